package i18n

// The seven management topics of guide 2.2 and the rules of checklist
// questions 2.1 and 2.2.
func init() {
	add(map[Key][2]string{
		"topic.objectives":    {"Målfastsættelse og risikoaccept", "Objectives and risk acceptance"},
		"topic.organisation":  {"Organisering", "Organisation"},
		"topic.resources":     {"Ressourceallokering og prioritering", "Resources and priorities"},
		"topic.communication": {"Kommunikation", "Communication"},
		"topic.policies":      {"Politikker og strategier", "Policies and strategy"},
		"topic.roles":         {"Roller og ansvar", "Roles and responsibilities"},
		"topic.improvement":   {"Opfølgning og forbedring af ISMS'et", "Follow-up and improvement of the ISMS"},

		"rule.2.1": {"Ja, når ledelsen inden for de seneste 12 måneder har forholdt sig til hvert af de syv emner, dvs. når der for hvert emne er %s. Delvist, når det gælder nogle af emnerne. Nej, når det gælder ingen.",
			"Yes when management has dealt with each of the seven topics within the last 12 months, that is when for each topic there is %s. Partly when that holds for some topics. No when it holds for none."},
		"rule.2.2": {"Ja, når hvert af de syv emner har en planlagt lejlighed inden for de kommende 12 måneder, dvs. %s. Delvist, når det gælder nogle af emnerne. Nej, når det gælder ingen.",
			"Yes when each of the seven topics has a planned occasion within the coming 12 months, that is %s. Partly when that holds for some topics. No when it holds for none."},
		// What each topic source counts (sqlstore.registerTopicSource), as
		// management having dealt with a topic and as a planned occasion;
		// the statements of rules 2.1 and 2.2 list them.
		"topic.source.documents": {"ledelsens godkendelse af informationssikkerhedspolitikken (emnet politikker og strategier) og af dokumentet om roller og ansvar (emnet roller og ansvar)",
			"management's approval of the information security policy (the topic policies and strategy) and of the roles and responsibilities document (the topic roles and responsibilities)"},
		"topic.source.documents.planned": {"den næste gennemgang af informationssikkerhedspolitikken (politikker og strategier) og af dokumentet om roller og ansvar (roller og ansvar)",
			"the next review of the information security policy (policies and strategy) and of the roles and responsibilities document (roles and responsibilities)"},
		"topic.source.forums": {"et dagsordenspunkt eller en beslutning mærket med emnet på et afholdt møde i et forum (fx sikkerhedsudvalget)",
			"an agenda item or decision tagged with the topic at a held meeting of a forum (e.g. the security committee)"},
		"topic.source.forums.planned": {"et dagsordenspunkt mærket med emnet på et planlagt møde i et forum",
			"an agenda item tagged with the topic on a planned meeting of a forum"},
		"topic.source.risk":          {"ledelsens accept af en risiko (emnet målfastsættelse og risikoaccept)", "management's acceptance of a risk (the topic objectives and risk acceptance)"},
		"topic.source.risk.planned":  {"udløbet af ledelsens accept af en risiko (målfastsættelse og risikoaccept)", "the expiry of management's acceptance of a risk (objectives and risk acceptance)"},
		"topic.source.wheel":         {"en udført forekomst af en årshjulsaktivitet mærket med emnet", "a completed occurrence of an annual-wheel activity tagged with the topic"},
		"topic.source.wheel.planned": {"en kommende forekomst af en årshjulsaktivitet mærket med emnet", "an upcoming occurrence of an annual-wheel activity tagged with the topic"},

		"reason.topic_never":     {"Det er ikke registreret, at ledelsen har forholdt sig til »%s«.", "Management has no record of dealing with “%s”."},
		"reason.topic_stale":     {"»%s« blev sidst behandlet %s, for mere end 12 måneder siden.", "“%s” was last dealt with on %s, more than 12 months ago."},
		"reason.topic_unplanned": {"»%s« har ingen planlagt lejlighed de kommende 12 måneder.", "“%s” has no planned occasion in the coming 12 months."},
		"reason.topics_dealt":    {"Ledelsen har forholdt sig til alle syv emner inden for de seneste 12 måneder.", "Management has dealt with all seven topics within the last 12 months."},
		"reason.topics_planned":  {"Alle syv emner har en planlagt lejlighed de kommende 12 måneder.", "All seven topics have a planned occasion in the coming 12 months."},
	})
}
