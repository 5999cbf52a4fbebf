package i18n

// Awareness and behaviour (guide 2.6, ISO/IEC 27001 clause 7.3): the
// awareness programme, the behaviour policy and checklist questions 4.5
// and 4.7.
func init() {
	add(map[Key][2]string{
		"awareness.err.theme_required":    {"Vælg mindst ét tema.", "Choose at least one theme."},
		"awareness.err.theme_long":        {"Et eget tema er højst 80 tegn.", "An own theme is at most 80 characters."},
		"awareness.err.units_required":    {"Vælg de enheder, aktiviteten er for.", "Choose the units the activity is for."},
		"awareness.err.roles_required":    {"Vælg de roller, aktiviteten er for.", "Choose the roles the activity is for."},
		"awareness.err.ends_before_start": {"Slutdatoen ligger før startdatoen.", "The end date is before the start date."},
		"awareness.err.held_on_required":  {"En gennemført aktivitet skal have en dato for, hvornår den blev holdt.", "A held activity needs the date it was held."},
		"awareness.err.held_future":       {"Datoen for gennemførelse ligger i fremtiden.", "The date it was held is in the future."},
		"awareness.err.count_negative":    {"Et antal kan ikke være negativt.", "A count cannot be negative."},
		"awareness.err.sent_required":     {"Angiv, hvor mange der modtog øvelsen.", "Give how many received the exercise."},
		"awareness.err.more_than_sent":    {"Tallet er større end antallet, der modtog øvelsen.", "The number is larger than the number who received the exercise."},
		"awareness.err.has_participation": {"Aktiviteten har %d registrerede deltagelser; aflys den i stedet, eller slet deltagelsen først.", "The activity has %d recorded participations; cancel it instead, or delete the participation first."},
	})
}
