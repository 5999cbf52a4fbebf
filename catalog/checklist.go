package catalog

// Question is one of the guide's 29 checklist questions (section 3). The
// ids are the product's own; the Danish text is the guide's, the English
// text is the product's translation.
type Question struct {
	ID      string // "1.1" … "7.4"
	Area    string // message catalogue key of the area
	Section string // the guide section the question belongs to
	Phase   string // plan, do, check or act
	DA, EN  string
}

// Text returns the question in the given language ("da" or "en").
func (q Question) Text(lang string) string {
	if lang == "en" {
		return q.EN
	}
	return q.DA
}

// Checklist is the guide's checklist in its order.
var Checklist = []Question{
	{"1.1", "area.overview", "2.1", "plan",
		"Har du identificeret og dokumenteret: i) organisationens formål, ii) forretningskritiske processer, iii) forretningskritiske informationer, iv) forretningskritiske systemer, v) forretningskritiske medarbejderkompetencer og vi) interne interessenter?",
		"Have you identified and documented: i) the organisation's purpose, ii) business-critical processes, iii) business-critical information, iv) business-critical systems, v) business-critical staff competences and vi) internal stakeholders?"},
	{"1.2", "area.overview", "2.1", "plan",
		"Identificér og dokumentér hvilke krav punkterne i-vi stiller til informationssikkerheden i din organisation",
		"Identify and document the requirements that points i–vi place on information security in your organisation"},
	{"1.3", "area.overview", "2.1", "plan",
		"Har du identificeret og dokumenteret eksterne forhold og eksterne interessenter?",
		"Have you identified and documented external factors and external stakeholders?"},
	{"1.4", "area.overview", "2.1", "plan",
		"Identificér og dokumentér hvilke krav eksterne forhold og eksterne interessenter stiller til informationssikkerheden i din organisation",
		"Identify and document the requirements that external factors and external stakeholders place on information security in your organisation"},
	{"1.5", "area.overview", "2.1", "plan",
		"Har du defineret omfanget af din organisations ISMS?",
		"Have you defined the scope of your organisation's ISMS?"},
	{"1.6", "area.overview", "2.1", "plan",
		"Ud fra hvilke kriterier er grænserne for din organisations ISMS draget?",
		"By which criteria have the boundaries of your organisation's ISMS been drawn?"},
	{"2.1", "area.leadership", "2.2", "plan",
		"Forholder din organisations ledelse sig med passende interval til de emner, der er oplistet i starten af afsnittet?",
		"Does your organisation's management deal at suitable intervals with the topics listed at the start of the section?"},
	{"2.2", "area.leadership", "2.2", "plan",
		"Er der indlagt aktiviteter i årshjulet og årsplanerne og/eller oprettet udvalg, der sikrer, at ledelsen forholder sig til de emner, der er oplistet i starten af afsnittet?",
		"Are there activities in the annual wheel and annual plans, and/or committees, that ensure management deals with the topics listed at the start of the section?"},
	{"2.3", "area.leadership", "2.2", "plan",
		"Foreligger der en ledelsesgodkendt politik for informationssikkerhed?",
		"Is there a management-approved information security policy?"},
	{"2.4", "area.leadership", "2.2", "plan",
		"Foreligger der en ledelsesgodkendt liste over roller og ansvar i forbindelse med sikkerhedsarbejdet?",
		"Is there a management-approved list of roles and responsibilities for the security work?"},
	{"3.1", "area.risk", "2.3", "plan",
		"Er der udarbejdet risikovurderinger af forretningskritiske aktiver, processer og systemer?",
		"Have risk assessments been made of business-critical assets, processes and systems?"},
	{"3.2", "area.risk", "2.3", "plan",
		"Baserer informationssikkerhedsarbejdet og valget af sikringsforanstaltninger sig på risikovurderingerne, og er til- og fravalg af sikringsforanstaltninger dokumenteret i et SoA-dokument?",
		"Is the information security work and the choice of controls based on the risk assessments, and are the inclusion and exclusion of controls documented in a Statement of Applicability?"},
	{"4.1", "area.resources", "2.4", "do",
		"Er der afsat tilstrækkelige ressourcer til at de informationssikkerhedsmål, der er fastsat af ledelsen, kan opfyldes?",
		"Have sufficient resources been allocated to meet the information security objectives set by management?"},
	{"4.2", "area.resources", "2.5", "do",
		"Har organisationen overblik over sikkerhedskompetencebehovet?",
		"Does the organisation have an overview of its need for security competence?"},
	{"4.3", "area.resources", "2.5", "do",
		"Besidder organisationen de påkrævede sikkerhedskompetencer?",
		"Does the organisation possess the required security competences?"},
	{"4.4", "area.resources", "2.5", "do",
		"Er der etableret processer, der sikrer løbende opkvalificering af medarbejdere, såfremt der findes et behov?",
		"Are there processes that ensure continual upskilling of staff where there is a need?"},
	{"4.5", "area.resources", "2.6", "do",
		"Foreligger der en politik for, hvordan medarbejdere bør agere for at minimere risikoen for sikkerhedshændelser?",
		"Is there a policy on how staff should act to minimise the risk of security incidents?"},
	{"4.6", "area.resources", "2.6", "do",
		"Er medarbejderne i organisationen bevidste om, hvordan de agerer på en måde, der minimerer risikoen for en sikkerhedshændelse?",
		"Are the organisation's staff aware of how to act in a way that minimises the risk of a security incident?"},
	{"4.7", "area.resources", "2.6", "do",
		"Er der iværksat aktiviteter, der sikrer, at medarbejder løbende mindes om, hvordan de agerer på måder, der minimerer risikoen for sikkerhedshændelser?",
		"Are there activities that regularly remind staff how to act in ways that minimise the risk of security incidents?"},
	{"5.1", "area.communication", "2.7", "do",
		"Er der vedtaget retningslinjer for intern og ekstern kommunikation?",
		"Have guidelines for internal and external communication been adopted?"},
	{"5.2", "area.communication", "2.7", "do",
		"Er ansvar for kommunikation fordelt og kommunikeret til de ansvarlige?",
		"Has responsibility for communication been assigned and communicated to those responsible?"},
	{"6.1", "area.documentation", "2.8", "do",
		"Har organisationen udarbejdet obligatorisk dokumentation?",
		"Has the organisation produced the mandatory documentation?"},
	{"6.2", "area.documentation", "2.8", "do",
		"Har organisationen taget stilling til hvilke af de valgfri dokumentationstyper, organisationen har behov for, og er tilvalg/fravalg begrundet i SoA-dokumentet?",
		"Has the organisation decided which of the optional documentation types it needs, and are the choices justified in the Statement of Applicability?"},
	{"6.3", "area.documentation", "2.8", "do",
		"Har organisationen taget stilling til formkrav til dokumentation?",
		"Has the organisation decided on form requirements for documentation?"},
	{"6.4", "area.documentation", "2.8", "do",
		"Er der etableret en proces for dokumentstyring (fx mht. dokumentationens beskyttelse, slettefrister mm.)?",
		"Is there a document control process (e.g. for the protection of documentation, deletion deadlines, etc.)?"},
	{"7.1", "area.evaluation", "2.9", "check",
		"Foreligger der en plan for løbende egenevaluering af ISMS'et?",
		"Is there a plan for continual self-evaluation of the ISMS?"},
	{"7.2", "area.evaluation", "2.9", "check",
		"Foreligger der en plan for intern audit?",
		"Is there a plan for internal audit?"},
	{"7.3", "area.evaluation", "2.9", "check",
		"Foreligger der en plan for hvordan ledelsen involveres i opfølgningen på ISMS's kvalitet?",
		"Is there a plan for how management is involved in following up on the quality of the ISMS?"},
	{"7.4", "area.evaluation", "2.10", "act",
		"Foreligger der procedurer i organisationen, der sikrer, at sikkerhedshændelser underkastes nærmere analyse med henblik på at identificere forbedringspotentiale?",
		"Are there procedures that ensure security incidents are analysed further to identify potential for improvement?"},
}

// QuestionByID returns the question with the given id.
func QuestionByID(id string) (Question, bool) {
	for _, q := range Checklist {
		if q.ID == id {
			return q, true
		}
	}
	return Question{}, false
}
