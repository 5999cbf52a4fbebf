package i18n

// The seven management topics of guide 2.2 and the rules of checklist
// questions 2.1 and 2.2.
func init() {
	add(map[string][2]string{
		"topic.objectives":    {"Målfastsættelse og risikoaccept", "Objectives and risk acceptance"},
		"topic.organisation":  {"Organisering", "Organisation"},
		"topic.resources":     {"Ressourceallokering og prioritering", "Resources and priorities"},
		"topic.communication": {"Kommunikation", "Communication"},
		"topic.policies":      {"Politikker og strategier", "Policies and strategy"},
		"topic.roles":         {"Roller og ansvar", "Roles and responsibilities"},
		"topic.improvement":   {"Opfølgning og forbedring af ISMS'et", "Follow-up and improvement of the ISMS"},

		"rule.2.1": {"Ja, når ledelsen inden for de seneste 12 måneder har forholdt sig til hvert af de syv emner: en afsluttet aktivitet i årshjulet eller en beslutning i sikkerhedsudvalget, der er mærket med emnet. Delvist, når det gælder nogle af emnerne. Nej, når det gælder ingen.", "Yes when management has dealt with each of the seven topics within the last 12 months: a completed annual-wheel activity or a security-committee decision tagged with the topic. Partly when that holds for some topics. No when it holds for none."},
		"rule.2.2": {"Ja, når hvert af de syv emner har en planlagt lejlighed inden for de kommende 12 måneder: en forekomst i årshjulet eller et møde i sikkerhedsudvalget, der er mærket med emnet. Delvist, når det gælder nogle af emnerne. Nej, når det gælder ingen.", "Yes when each of the seven topics has a planned occasion within the coming 12 months: an annual-wheel occurrence or a security-committee meeting tagged with the topic. Partly when that holds for some topics. No when it holds for none."},

		"reason.topic_never":     {"Det er ikke registreret, at ledelsen har forholdt sig til »%s«.", "Management has no record of dealing with “%s”."},
		"reason.topic_stale":     {"»%s« blev sidst behandlet %s, for mere end 12 måneder siden.", "“%s” was last dealt with on %s, more than 12 months ago."},
		"reason.topic_unplanned": {"»%s« har ingen planlagt lejlighed de kommende 12 måneder.", "“%s” has no planned occasion in the coming 12 months."},
		"reason.topics_dealt":    {"Ledelsen har forholdt sig til alle syv emner inden for de seneste 12 måneder.", "Management has dealt with all seven topics within the last 12 months."},
		"reason.topics_planned":  {"Alle syv emner har en planlagt lejlighed de kommende 12 måneder.", "All seven topics have a planned occasion in the coming 12 months."},
	})
}
