package i18n

// Competence (guide 2.5, ISO/IEC 27001 clause 7.2) and checklist questions
// 4.2–4.4.
func init() {
	add(map[Key][2]string{
		"nav.el.support":       {"Mål, ressourcer og kompetencer", "Objectives, resources and competence"},
		"nav.comp_needs":       {"Kompetencebehov", "Competence needs"},
		"title.comp_needs":     {"Kompetencebehov", "Competence needs"},
		"title.comp_need":      {"Kompetencebehov", "Competence need"},
		"title.comp_need_new":  {"Nyt kompetencebehov", "New competence need"},
		"title.comp_need_edit": {"Redigér kompetencebehov", "Edit competence need"},

		"record.competence_need": {"Kompetencebehov", "Competence need"},

		"field.role_id":  {"Sikkerhedsrolle", "Security role"},
		"field.function": {"ISMS-funktion", "ISMS function"},
		"field.subject":  {"Kompetence", "Competence"},
		"field.level":    {"Niveau", "Level"},

		"competence.kind.knowledge":     {"Viden", "Knowledge"},
		"competence.kind.education":     {"Uddannelse", "Education"},
		"competence.kind.certification": {"Certificering", "Certification"},
		"competence.kind.experience":    {"Erfaring", "Experience"},
		"competence.level.basic":        {"Grundlæggende", "Basic"},
		"competence.level.practitioner": {"Praktiker", "Practitioner"},
		"competence.level.expert":       {"Ekspert", "Expert"},

		"competence.needs.intro":     {"Hvilken viden, uddannelse eller certificering hver sikkerhedsrolle og hver funktion i ISMS'et kræver, og på hvilket niveau (ISO/IEC 27001, afsnit 7.2). Behovene er grundlaget for at vurdere, om rollernes indehavere har de nødvendige kompetencer.", "The knowledge, education or certification each security role and each function of the ISMS requires, and at which level (ISO/IEC 27001, clause 7.2). The needs are the basis for judging whether the holders of the roles have the competence required."},
		"competence.needs.uncovered": {"Disse sikkerhedsroller har endnu intet kompetencebehov:", "These security roles have no competence need yet:"},
		"competence.needs.all_roles": {"Alle sikkerhedsroller har kompetencebehov", "Every security role has its competence needs"},
		"competence.needs.no_roles":  {"Der er endnu ingen sikkerhedsroller. Kompetencebehov knyttes til rollerne under ledelse:", "There are no security roles yet. Competence needs are tied to the roles under leadership:"},
		"competence.needs.empty":     {"Der er endnu ikke registreret nogen kompetencebehov.", "No competence needs have been recorded yet."},
		"competence.need_new":        {"Nyt kompetencebehov", "New competence need"},
		"competence.need_add":        {"tilføj", "add"},
		"competence.for":             {"For", "For"},
		"competence.isms_function":   {"ISMS-funktion", "ISMS function"},
		"competence.no_role":         {"Ingen rolle – en ISMS-funktion", "No role – an ISMS function"},
		"competence.form_help":       {"Et behov gælder enten en sikkerhedsrolle eller en funktion i ISMS'et, som ikke er en rolle (fx intern audit).", "A need is either a security role's or that of a function of the ISMS that is not a role (e.g. internal audit)."},
		"competence.role_help":       {"Rollen fra listen over roller og ansvar (vejledningens afsnit 2.2).", "The role from the list of roles and responsibilities (the guide's section 2.2)."},
		"competence.function_help":   {"Kun når behovet ikke gælder en rolle, fx \"Intern audit\".", "Only when the need is not a role's, e.g. \"Internal audit\"."},
		"competence.subject_help":    {"Fx ISO 27001 Lead Implementer, GDPR, organisationens hændelsesproces.", "E.g. ISO 27001 Lead Implementer, GDPR, the organisation's incident process."},
		"competence.level_help":      {"Grundlæggende: kender og følger. Praktiker: anvender selvstændigt. Ekspert: leder, underviser og vurderer.", "Basic: knows and follows. Practitioner: applies on their own. Expert: leads, teaches and judges."},

		"nav.comp_people":                        {"Medarbejdernes kompetencer", "People's competence"},
		"title.comp_people":                      {"Medarbejdernes kompetencer", "People's competence"},
		"title.comp_record":                      {"Kompetence", "Competence"},
		"title.comp_record_new":                  {"Registrér kompetence", "Record competence"},
		"title.comp_record_edit":                 {"Redigér kompetence", "Edit competence"},
		"record.competence":                      {"Kompetence", "Competence"},
		"field.user_id":                          {"Person", "Person"},
		"field.provider":                         {"Udbyder eller udsteder", "Provider or issuer"},
		"field.achieved_on":                      {"Opnået", "Achieved"},
		"field.expires_on":                       {"Udløber", "Expires"},
		"field.evidence_id":                      {"Dokumentation", "Evidence"},
		"competence.kind.training":               {"Gennemført kursus", "Completed training"},
		"competence.people.intro":                {"Hvad hver medarbejder har af uddannelse, erfaring, certificeringer og gennemførte kurser, med dokumentation fra dokumentationsregistret. Den enkelte registrerer selv sine, eller koordinatoren gør det for dem.", "Each person's education, experience, certifications and completed training, with evidence from the documentation register. People record their own, or the coordinator does it for them."},
		"competence.people.empty":                {"Der er endnu ikke registreret nogen kompetencer.", "No competence has been recorded yet."},
		"competence.record_new":                  {"Registrér kompetence", "Record competence"},
		"competence.record_mine":                 {"Registrér din kompetence", "Record your competence"},
		"competence.record_form_help":            {"En certificering har normalt en udløbsdato; den vises som udløbet eller snart udløbende (inden for 90 dage).", "A certification usually has an expiry date; it is shown as expired or expiring soon (within 90 days)."},
		"competence.record_subject_help":         {"Skriv det som i behovet, fx \"ISO 27001 Lead Implementer\", så det kan matches.", "Write it as the need does, e.g. \"ISO 27001 Lead Implementer\", so the two can be matched."},
		"competence.expires_help":                {"Tom, hvis den ikke udløber.", "Empty when it does not expire."},
		"competence.evidence_help":               {"Et dokument i dokumentationsregistret, fx kursusbevis eller certifikat.", "A document of the documentation register, e.g. a course certificate."},
		"competence.expired":                     {"udløbet", "expired"},
		"competence.expires_soon":                {"udløber snart", "expires soon"},
		"competence.no_expiry":                   {"Udløber ikke", "Does not expire"},
		"competence.err.expires_before_achieved": {"Udløbsdatoen ligger før datoen, den blev opnået.", "The expiry date is before the date it was achieved."},
		"competence.err.achieved_future":         {"Datoen ligger i fremtiden.", "The date is in the future."},
		"competence.err.role_or_function":        {"Vælg en sikkerhedsrolle, eller skriv hvilken ISMS-funktion behovet gælder.", "Choose a security role, or write which ISMS function the need is for."},
		"competence.err.role_and_function":       {"Et behov gælder enten en rolle eller en funktion, ikke begge.", "A need is either a role's or a function's, not both."},
	})
	addPlural(map[Key]Plural{
		"competence.err.role_has_needs": {Count: 0, DA: [2]string{"Rollen har %d kompetencebehov. Slet det eller flyt det til en anden rolle, før rollen slettes.", "Rollen har %d kompetencebehov. Slet dem eller flyt dem til en anden rolle, før rollen slettes."}, EN: [2]string{"The role has %d competence need. Delete it or move it to another role before deleting the role.", "The role has %d competence needs. Delete them or move them to another role before deleting the role."}},
	})
}
