package i18n

// The live checklist (guide section 3): areas, answers, and the rules of
// the business overview's questions with their reasons.
func init() {
	add(map[Key][2]string{
		"title.checklist":         {"Tjekliste", "Checklist"},
		"checklist.intro":         {"Vejledningens 29 spørgsmål besvaret ud fra registreringerne, hvor reglerne kan afgøre det, og ellers af en person med en begrundelse. Hvor registreringerne svarer, vinder de; et manuelt svar vises ved siden af.", "The guide's 29 questions answered from the records where the rules can tell, otherwise by a person with a reason. Where the records answer, they win; a manual answer is shown beside them."},
		"checklist.chart_title":   {"Svarene over tid", "Answers over time"},
		"checklist.chart_alt":     {"Søjlediagram over antallet af ja, delvist, nej og ubesvaret pr. dag", "Bar chart of the number of yes, partly, no and unanswered per day"},
		"checklist.chart_empty":   {"Ingen historik endnu.", "No history yet."},
		"checklist.evidence":      {"Dokumentation", "Evidence"},
		"checklist.rule":          {"Sådan afgøres svaret", "How the answer is decided"},
		"checklist.guide_section": {"vejledningens afsnit %s", "guide section %s"},
		"checklist.manual_answer": {"Manuelt svar af %s, %s:", "Manual answer by %s, %s:"},
		"checklist.answer":        {"Besvar spørgsmålet", "Answer the question"},
		"checklist.answer_anyway": {"Tilføj et manuelt svar (registreringerne vinder)", "Add a manual answer (the records win)"},
		// Each question's path: its answer day by day from the daily snapshot.
		"checklist.path_from":        {"%s fra %s", "%s from %s"},
		"checklist.path_none":        {"Svaret dag for dag: ingen historik endnu.", "The answer day by day: no history yet."},
		"checklist.path_no_snapshot": {"intet øjebliksbillede", "no snapshot"},
		"err.checklist_days":         {"Vælg et antal dage fra 1 til %d.", "Choose a number of days from 1 to %d."},

		"answer.yes":        {"Ja", "Yes"},
		"answer.partly":     {"Delvist", "Partly"},
		"answer.no":         {"Nej", "No"},
		"answer.unanswered": {"Ubesvaret", "Unanswered"},
		"source.records":    {"Besvaret ud fra registreringerne", "Answered from the records"},
		"source.manual":     {"Besvaret af en person", "Answered by a person"},

		"area.overview":      {"Forretningsoverblik", "Business overview"},
		"area.leadership":    {"Ledelsesforankring", "Leadership"},
		"area.risk":          {"Risikostyring", "Risk management"},
		"area.resources":     {"Ressourcer, kompetencer, awareness", "Resources, competence, awareness"},
		"area.communication": {"Kommunikation", "Communication"},
		"area.documentation": {"Dokumentation", "Documentation"},
		"area.evaluation":    {"Evaluering og forbedring", "Evaluation and improvement"},

		"evidence.purpose": {"Organisationens formål", "The organisation's purpose"},
		"evidence.scope":   {"Omfang af ISMS'et", "Scope of the ISMS"},

		"rule.1.1": {"Ja, når formålet er beskrevet, og hvert af de fem interne registre (processer, informationer, it-systemer, kompetencer, interne interessenter) har mindst én aktiv post. Delvist, når noget mangler, eller når poster har overskredet deres gennemgangsdato. Nej, når intet er registreret.", "Yes when the purpose is described and each of the five internal registers (processes, information, IT systems, competences, internal stakeholders) has at least one active entry. Partly when something is missing or entries are past their review date. No when nothing is recorded."},
		"rule.1.2": {"Ja, når hver aktiv post i de interne registre har vurderet kravene til fortrolighed, integritet og tilgængelighed (niveau 1–4) og beskrevet dem med ord. Delvist, når nogle har. Nej, når ingen har, eller der ingen poster er.", "Yes when every active entry of the internal registers has its confidentiality, integrity and availability requirements assessed (level 1–4) and described in words. Partly when some have. No when none have, or there are no entries."},
		"rule.1.3": {"Ja, når der er mindst ét aktivt eksternt forhold og én aktiv ekstern interessent. Delvist, når kun det ene findes, eller når poster har overskredet deres gennemgangsdato. Nej ellers.", "Yes when there is at least one active external factor and one active external stakeholder. Partly when only one of them exists, or entries are past their review date. No otherwise."},
		"rule.1.4": {"Ja, når hvert aktivt eksternt forhold og hver aktiv ekstern interessent har vurderet kravene til fortrolighed, integritet og tilgængelighed og beskrevet dem med ord. Delvist, når nogle har. Nej, når ingen har.", "Yes when every active external factor and external stakeholder has its confidentiality, integrity and availability requirements assessed and described in words. Partly when some have. No when none have."},
		"rule.1.5": {"Ja, når omfanget er beskrevet, angiver hvad der er med efter mindst én af dimensionerne (informationstyper, organisatoriske enheder, forretningsprocesser), har afgrænsningskriterier og ikke har overskredet sin gennemgangsdato. Delvist, når noget af det mangler. Nej, når intet omfang er registreret. Om ledelsen har godkendt det, vises som begrundelse.", "Yes when the scope is described, says what is inside by at least one of the dimensions (information types, organisation units, business processes), has boundary criteria and is not past its review date. Partly when part of that is missing. No when no scope is recorded. Whether management has approved it is shown as a reason."},
		"rule.1.6": {"Ja, når kriterierne for afgrænsningen er skrevet ned, og det er angivet, hvad der er udeladt og hvorfor (eller at intet er). Delvist, når kun kriterierne eller kun dimensionerne er angivet. Nej ellers.", "Yes when the criteria for the boundary are written down and it is stated what is left out and why (or that nothing is). Partly when only the criteria or only the dimensions are given. No otherwise."},

		"reason.purpose_missing":      {"Organisationens formål er ikke beskrevet.", "The organisation's purpose is not described."},
		"reason.register_empty":       {"Registret »%s« har ingen aktive poster.", "The register “%s” has no active entries."},
		"reason.internal_complete":    {"Formålet og alle fem interne registre er udfyldt.", "The purpose and all five internal registers are filled in."},
		"reason.no_entries":           {"Der er ingen aktive poster at vurdere.", "There are no active entries to assess."},
		"reason.external_complete":    {"Både eksterne forhold og eksterne interessenter er registreret.", "Both external factors and external stakeholders are recorded."},
		"reason.scope_missing":        {"Der er ikke registreret noget omfang.", "No scope is recorded."},
		"reason.scope_complete":       {"Omfanget er beskrevet med dimensioner og afgrænsningskriterier.", "The scope is described with dimensions and boundary criteria."},
		"reason.scope_no_dimensions":  {"Omfanget angiver ikke informationstyper, organisatoriske enheder eller forretningsprocesser.", "The scope names no information types, organisation units or business processes."},
		"reason.scope_no_criteria":    {"Kriterierne for afgrænsningen er ikke skrevet ned.", "The criteria for the boundary are not written down."},
		"reason.scope_no_exclusions":  {"Det er ikke angivet, hvad der er udeladt og hvorfor (skriv 'Intet udeladt', hvis intet er).", "It is not stated what is left out and why (write 'Nothing left out' if nothing is)."},
		"reason.criteria_complete":    {"Afgrænsningskriterierne og det udeladte er beskrevet.", "The boundary criteria and what is left out are described."},
		"reason.scope_approved":       {"Godkendt af %s den %s.", "Approved by %s on %s."},
		"reason.scope_not_approved":   {"Den gældende version er ikke godkendt af ledelsen.", "The current version is not approved by management."},
		"reason.scope_review_overdue": {"Omfanget skulle have været gennemgået senest %s.", "The scope was due for review by %s."},
	})
	// Messages that state a count: the form for one, then for any other number.
	addPlural(map[Key]Plural{
		"checklist.path_label":         {Count: 0, DA: [2]string{"Seneste %d dag:", "Seneste %d dage:"}, EN: [2]string{"Last %d day:", "Last %d days:"}},
		"checklist.path":               {Count: 0, DA: [2]string{"Svaret den seneste %d dag: %s.", "Svaret dag for dag de seneste %d dage: %s."}, EN: [2]string{"The answer over the last %d day: %s.", "The answer day by day over the last %d days: %s."}},
		"reason.entries_overdue":       {Count: 0, DA: [2]string{"%d post har overskredet sin gennemgangsdato.", "%d poster har overskredet deres gennemgangsdato."}, EN: [2]string{"%d entry is past its review date.", "%d entries are past their review date."}},
		"reason.requirements_missing":  {Count: 0, DA: [2]string{"%d post i »%s« mangler vurderede krav til fortrolighed, integritet og tilgængelighed.", "%d poster i »%s« mangler vurderede krav til fortrolighed, integritet og tilgængelighed."}, EN: [2]string{"%d entry in “%s” lacks assessed requirements for confidentiality, integrity and availability.", "%d entries in “%s” lack assessed requirements for confidentiality, integrity and availability."}},
		"reason.requirements_complete": {Count: 0, DA: [2]string{"Den %d aktive post har vurderede og beskrevne krav.", "Alle %d aktive poster har vurderede og beskrevne krav."}, EN: [2]string{"The %d active entry has assessed and described requirements.", "All %d active entries have assessed and described requirements."}},
	})
}
