package i18n

// Information security objectives (guide 2.4, ISO/IEC 27001 clause 6.2).
func init() {
	add(map[Key][2]string{
		"nav.el.support":       {"Mål, ressourcer og kompetencer", "Objectives, resources and competence"},
		"nav.objectives":       {"Sikkerhedsmål", "Security objectives"},
		"title.objectives":     {"Informationssikkerhedsmål", "Information security objectives"},
		"title.objective":      {"Sikkerhedsmål", "Security objective"},
		"title.objective_new":  {"Nyt sikkerhedsmål", "New security objective"},
		"title.objective_edit": {"Redigér sikkerhedsmål", "Edit security objective"},

		"record.objective":          {"Sikkerhedsmål", "Security objective"},
		"record.objective_progress": {"Måling af et sikkerhedsmål", "Measurement of a security objective"},

		"flash.obj_progress_added": {"Målingen er registreret.", "The measurement has been recorded."},

		"field.measure":         {"Hvordan det måles", "How it is measured"},
		"field.target_value":    {"Målværdi", "Target value"},
		"field.unit":            {"Enhed", "Unit"},
		"field.plan":            {"Plan for at nå målet", "Plan to reach it"},
		"field.policy_document": {"Politik eller dokument det understøtter", "Policy or document it serves"},
		"field.measured_on":     {"Målt den", "Measured on"},
		"field.value":           {"Målt værdi", "Measured value"},

		"obj.intro":               {"Ledelsens mål for informationssikkerheden: hvad der skal opnås, hvordan det måles, hvornår, hvem der er ansvarlig, og hvordan det går. Ledelsen godkender hvert mål; ændres et mål bagefter, skal det godkendes igen.", "Management's information security objectives: what is to be achieved, how it is measured, by when, who is responsible, and how it is going. Management approves each objective; an objective changed afterwards must be approved again."},
		"obj.new":                 {"Nyt mål", "New objective"},
		"obj.empty":               {"Ingen mål matcher.", "No objectives match."},
		"obj.what":                {"Hvad skal opnås", "What is to be achieved"},
		"obj.target":              {"Mål", "Target"},
		"obj.latest":              {"Seneste måling", "Latest measurement"},
		"obj.due":                 {"Senest", "By when"},
		"obj.serves":              {"Understøtter", "Serves"},
		"obj.document_restricted": {"Dokument du ikke har adgang til", "A document you may not read"},
		"obj.no_target":           {"Ingen målbar værdi", "No measurable target"},
		"obj.current_only":        {"Kun aktuelle mål", "Current objectives only"},
		"obj.unapproved_only":     {"Kun mål der venter på godkendelse", "Only objectives awaiting approval"},
		"obj.approved":            {"Godkendt", "Approved"},
		"obj.approved_by_on":      {"af %s den %s", "by %s on %s"},
		"obj.changed_since":       {"Ændret efter godkendelse", "Changed since approval"},
		"obj.not_approved":        {"Ikke godkendt", "Not approved"},
		"obj.approve":             {"Godkend målet", "Approve the objective"},
		"obj.progress":            {"Fremdrift", "Progress"},
		"obj.no_progress":         {"Der er ikke registreret målinger endnu.", "No measurements have been recorded yet."},
		"obj.add_progress":        {"Registrér måling", "Record a measurement"},
		"obj.recorded_by":         {"Registreret af", "Recorded by"},
		"obj.value_help":          {"Et tal i målets enhed, fx 62,5.", "A number in the objective's unit, e.g. 62.5."},
		"obj.form_help":           {"Et godt mål er målbart: angiv hvordan det måles, en målværdi med enhed og en dato.", "A good objective is measurable: say how it is measured, a target value with its unit, and a date."},
		"obj.reapprove_warning":   {"Målet er godkendt af ledelsen. Gemmer du en ændring, skal det godkendes igen.", "Management has approved this objective. If you save a change, it must be approved again."},
		"obj.measure_legend":      {"Måling", "Measure"},
		"obj.measure_help":        {"Fx andelen af medarbejdere der har gennemført awareness-træning.", "For example the share of staff who have completed awareness training."},
		"obj.unit_help":           {"Fx %, dage, antal.", "For example %, days, count."},
		"obj.plan_help":           {"Hvad der skal gøres, af hvem og hvornår, for at nå målet.", "What is to be done, by whom and when, to reach the objective."},

		"obj.status.planned":      {"Planlagt", "Planned"},
		"obj.status.in_progress":  {"I gang", "In progress"},
		"obj.status.achieved":     {"Nået", "Achieved"},
		"obj.status.not_achieved": {"Ikke nået", "Not achieved"},
		"obj.status.withdrawn":    {"Trukket tilbage", "Withdrawn"},

		"obj.err.number":         {"Skriv et tal, fx 95 eller 62,5.", "Write a number, e.g. 95 or 62.5."},
		"obj.err.unit_required":  {"En målværdi skal have en enhed.", "A target value needs a unit."},
		"obj.err.owner_required": {"Et planlagt eller igangværende mål skal have en ansvarlig.", "A planned or in-progress objective needs someone responsible."},
		"obj.err.future":         {"En måling kan ikke ligge i fremtiden.", "A measurement cannot be in the future."},
		"obj.err.withdrawn":      {"Et mål der er trukket tilbage, kan ikke godkendes.", "A withdrawn objective cannot be approved."},
		"obj.err.changed":        {"Målet er ændret, siden du åbnede det. Læs det igen, før du godkender.", "The objective has changed since you opened it. Read it again before approving."},
	})
}
