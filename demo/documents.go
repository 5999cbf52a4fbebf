package demo

import (
	"fmt"
	"strings"

	"github.com/ismsdk/isms"
)

// Controlled documentation (guide 2.8) and the leadership documents of
// guide 2.2: Solbjerg Kommune's form rules, retention periods, its
// decisions on the optional documentation, and the documents of the
// register, each written by the coordinator (the operating procedures by
// the system owner), approved by the municipal director and published.
// The information security policy has an older version it superseded; the
// list of roles and responsibilities was sent back once before it was
// approved.

func init() { addStep(300, "documentation", fillDocuments) }

// docSpec is one demo document.
type docSpec struct {
	req      string // key of the documentation requirement it fulfils
	kind     isms.DocumentKind
	title    string
	class    isms.Classification
	owner    isms.Role
	interval int
	clause   string
	location string
	versions []string // texts; each is approved and published in turn
	returned string   // a version sent back before the first, with this comment
	file     string   // when set, the first version is this file (a PDF)
}

func fillDocuments(d *Demo) error {
	coord := d.As(coordinator)
	if _, err := d.DB.SaveDocumentFormRules(coord, d.Org.ID, isms.DocumentFormRulesInput{
		NamingStandard: "Dokumenter i ISMS'et navngives »ISMS-nn Titel«, hvor nn er et løbenummer fra dokumentoversigten og titlen er på dansk " +
			"og siger, hvad dokumentet er (fx »ISMS-01 Informationssikkerhedspolitik«).",
		NamingPattern: "ISMS-## *",
		FormatStandard: "Dansk. Kommunens Word-skabelon for styrende dokumenter med forside (titel, version, ejer, klassifikation, godkendt af og dato), " +
			"indholdsfortegnelse for dokumenter over fem sider og ændringslog bagest. Tekst skrevet direkte i ISMS'et følger samme opbygning.",
		MediaStandard: "Den gældende version opbevares elektronisk i ISMS'et, som er det eneste autoritative sted. Papirudskrifter er ustyrede kopier. " +
			"Hemmelige bilag til beredskabsplanen opbevares desuden på papir i brandskabet hos Digitalisering og IT.",
		RequiredMetadata: []string{"owner", "classification", "language", "approvers", "review_interval"},
		AcceptedFormats:  []string{"pdf", "docx", "xlsx", "md", "txt"},
	}); err != nil {
		return fmt.Errorf("form rules: %w", err)
	}

	reqs, err := d.DB.DocumentationRequirements(coord, d.Org.ID)
	if err != nil {
		return err
	}
	byKey := map[string]*isms.DocumentationRequirement{}
	for _, q := range reqs {
		byKey[q.Key] = q
	}
	for _, dec := range optionalDecisions {
		q := byKey[dec.key]
		if q == nil {
			return fmt.Errorf("demo data names unknown documentation requirement %q", dec.key)
		}
		if _, err := d.DB.DecideDocumentationRequirement(coord, d.Org.ID, q.ID, isms.RequirementDecisionInput{
			Decision: dec.decision, Reason: dec.reason, Version: q.Version}); err != nil {
			return fmt.Errorf("decision on %s: %w", dec.key, err)
		}
	}

	kinds := map[isms.DocumentKind]bool{}
	for i, s := range demoDocuments {
		kinds[s.kind] = true
		if err := d.addDocument(i+1, s, byKey); err != nil {
			return fmt.Errorf("document %q: %w", s.title, err)
		}
	}
	for _, r := range retentionRules {
		if _, err := d.DB.SaveRetentionRule(coord, d.Org.ID, isms.RetentionRuleInput{Kind: r.kind, RetentionMonths: r.months, DeletionProcedure: r.procedure}); err != nil {
			return fmt.Errorf("retention of %s: %w", r.kind, err)
		}
		delete(kinds, r.kind)
	}
	for k := range kinds {
		return fmt.Errorf("demo documents of kind %s have no retention rule", k)
	}
	return nil
}

// addDocument records a document and takes its versions through review,
// approval by the municipal director and publication.
func (d *Demo) addDocument(n int, s docSpec, byKey map[string]*isms.DocumentationRequirement) error {
	owner := d.As(s.owner)
	in := isms.DocumentInput{Kind: s.kind, Title: fmt.Sprintf("ISMS-%02d %s", n, s.title), OwnerID: d.UserID(s.owner),
		Classification: s.class, Language: "Dansk", Format: "Kommunens skabelon", Medium: "electronic", StorageLocation: "ISMS'et",
		Clause: s.clause, ApproverIDs: []int64{d.Users[management].ID}, ReviewIntervalMonths: s.interval}
	if s.location != "" {
		in.Medium, in.StorageLocation = "both", s.location
	}
	if q := byKey[s.req]; q != nil {
		in.RequirementID = &q.ID
	} else if s.req != "" {
		return fmt.Errorf("unknown documentation requirement %q", s.req)
	}
	doc, err := d.DB.CreateDocument(owner, d.Org.ID, in)
	if err != nil {
		return err
	}
	version := func(v isms.VersionInput) (*isms.DocumentVersion, error) {
		cur, err := d.DB.Document(owner, d.Org.ID, doc.ID)
		if err != nil {
			return nil, err
		}
		v.Version = cur.Version
		return d.DB.AddDocumentVersion(owner, d.Org.ID, doc.ID, v)
	}
	step := func(as isms.Role, number int, action, comment, sum string) error {
		ctx := d.As(as)
		cur, err := d.DB.Document(ctx, d.Org.ID, doc.ID)
		if err != nil {
			return err
		}
		_, err = d.DB.TransitionDocumentVersion(ctx, d.Org.ID, doc.ID, number, isms.TransitionInput{Action: action, Comment: comment, SHA256: sum, Version: cur.Version})
		return err
	}
	if s.returned != "" {
		v, err := version(isms.VersionInput{Text: strings.TrimSpace(s.versions[0]) + "\n\n(Udkast)", ChangeNote: "Første udkast"})
		if err != nil {
			return err
		}
		if err := step(s.owner, v.Number, isms.TransitionSubmit, "", ""); err != nil {
			return err
		}
		if err := step(management, v.Number, isms.TransitionSendBack, s.returned, v.SHA256); err != nil {
			return err
		}
	}
	for i, text := range s.versions {
		vin := isms.VersionInput{Text: strings.TrimSpace(text), ChangeNote: "Gennemgået og opdateret"}
		if i == 0 {
			vin.ChangeNote = "Første udgave"
			if s.returned != "" {
				vin.ChangeNote = "Rettet efter direktionens kommentar"
			}
			if s.file != "" {
				vin = isms.VersionInput{FileName: s.file, Content: demoPDF(s.title, text), ChangeNote: "Første udgave (underskrevet pdf)"}
			}
		}
		v, err := version(vin)
		if err != nil {
			return err
		}
		if err := step(s.owner, v.Number, isms.TransitionSubmit, "", ""); err != nil {
			return err
		}
		if err := step(management, v.Number, isms.TransitionApprove, "", v.SHA256); err != nil {
			return err
		}
		if err := step(s.owner, v.Number, isms.TransitionPublish, "", ""); err != nil {
			return err
		}
	}
	return nil
}

// demoPDF is a small, valid one-page PDF showing the title and the first
// line of the text.
func demoPDF(title, text string) []byte {
	line := strings.TrimSpace(strings.SplitN(strings.TrimSpace(text), "\n", 2)[0])
	esc := strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`)
	ascii := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			switch {
			case r < 128:
				b.WriteRune(r)
			case r == 'æ':
				b.WriteString("ae")
			case r == 'ø':
				b.WriteString("oe")
			case r == 'å':
				b.WriteString("aa")
			case r == 'Æ':
				b.WriteString("AE")
			case r == 'Ø':
				b.WriteString("OE")
			case r == 'Å':
				b.WriteString("AA")
			}
		}
		return esc.Replace(b.String())
	}
	stream := fmt.Sprintf("BT /F1 18 Tf 72 760 Td (%s) Tj ET\nBT /F1 11 Tf 72 730 Td (%s) Tj ET\n", ascii(title), ascii(line))
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return []byte(b.String())
}

var optionalDecisions = []struct{ key, decision, reason string }{
	{"roles", "chosen", "Roller og ansvar beskrives i et selvstændigt dokument, som direktionen godkender (vejledningens afsnit 2.2)."},
	{"employment_terms", "chosen", "Ansættelsesbreve og kontrakter med eksterne konsulenter henviser til tavshedspligt og informationssikkerhedspolitikken; HR ejer skabelonerne."},
	{"asset_inventory", "chosen", "Fortegnelsen over informationer og it-systemer med ejere føres i forretningsoverblikket i ISMS'et."},
	{"classification", "chosen", "Kommunen behandler følsomme personoplysninger og har brug for en fælles klassifikation med håndteringsregler."},
	{"access_control", "chosen", "Adgang til fagsystemer med personoplysninger skal tildeles efter arbejdsbetinget behov og gennemgås årligt; det kræver en politik."},
	{"operating_procedures", "chosen", "Driften af netværk, servere og backup udføres af få medarbejdere; procedurerne sikrer, at andre kan overtage."},
	{"event_logs", "chosen", "Logning af adgang til personoplysninger er et krav i databeskyttelsesreglerne og i aftalerne med KOMBIT."},
	{"admin_logs", "chosen", "Privilegerede handlinger på servere og i Microsoft 365 logges og gennemgås månedligt."},
	{"confidentiality_agreements", "chosen", "Leverandører og konsulenter med adgang til borgerdata skal underskrive fortrolighedsaftaler efter fast skabelon."},
	{"change_control", "chosen", "Ændringer i fagsystemerne planlægges med leverandørerne; procedure for test og godkendelse før idriftsættelse."},
	{"secure_engineering", "declined", "Kommunen udvikler ikke selv systemer; krav til sikker udvikling stilles til leverandørerne i kontrakterne (se politik for leverandørforhold)."},
	{"supplier_policy", "chosen", "Næsten alle fagsystemer driftes af leverandører; kravene til dem samles i én politik."},
	{"incident_response", "chosen", "Sikkerhedsbrud skal håndteres og anmeldes til Datatilsynet inden for 72 timer; det kræver en fast proces."},
	{"continuity", "chosen", "Udbetalinger og borgerbetjening skal kunne fortsætte ved nedbrud; beredskabsplanen beskriver nødprocedurer."},
	{"legal_requirements", "chosen", "Fortegnelsen over love og kontrakter føres som eksterne forhold i forretningsoverblikket og i dette dokument."},
}

var retentionRules = []struct {
	kind      isms.DocumentKind
	months    int
	procedure string
}{
	{isms.DocInformationSecurityPolicy, 60, "Afløste versioner slettes i ISMS'et efter fem år; den gældende version afleveres til arkivet efter arkivlovens regler."},
	{isms.DocRolesResponsibilities, 60, "Afløste versioner slettes i ISMS'et efter fem år."},
	{isms.DocScope, 60, "Afløste versioner slettes i ISMS'et efter fem år."},
	{isms.DocRiskMethod, 60, "Afløste versioner slettes i ISMS'et efter fem år."},
	{isms.DocRiskTreatmentMethod, 60, "Afløste versioner slettes i ISMS'et efter fem år."},
	{isms.DocSoA, 60, "Afløste versioner slettes i ISMS'et efter fem år."},
	{isms.DocRiskResults, 36, "Slettes i ISMS'et tre år efter, at en ny vurdering er godkendt."},
	{isms.DocCompetenceRecords, 60, "Slettes fem år efter fratrædelse; HR sletter også kopier i personalesagen efter kommunens slettepolitik."},
	{isms.DocEvaluation, 36, "Slettes i ISMS'et efter tre år."},
	{isms.DocInternalAudit, 60, "Slettes i ISMS'et efter fem år; rapporter til revisionsudvalget arkiveres efter arkivloven."},
	{isms.DocManagementReview, 60, "Slettes i ISMS'et efter fem år; referater er journaliseret i ESDH."},
	{isms.DocNonconformities, 60, "Slettes i ISMS'et efter fem år; anmeldelser til Datatilsynet er journaliseret i ESDH."},
	{isms.DocPolicy, 60, "Afløste versioner slettes i ISMS'et efter fem år."},
	{isms.DocProcedure, 24, "Afløste versioner slettes i ISMS'et efter to år; papirkopier makuleres i sikkerhedsmakulering."},
	{isms.DocPlan, 36, "Afløste versioner slettes i ISMS'et efter tre år; papireksemplarer i brandskabet makuleres, når en ny plan er lagt ind."},
	{isms.DocRegister, 36, "Afløste versioner slettes i ISMS'et efter tre år."},
	{isms.DocContract, 60, "Slettes fem år efter kontraktens ophør."},
	{isms.DocRecord, 12, "Logs slettes automatisk efter et år; udtræk i ISMS'et slettes samtidig."},
}

// demoDocuments are the register's documents in the order of their
// numbers: the mandatory documentation first, then the optional
// documentation the municipality chose.
var demoDocuments = []docSpec{
	{req: "policy", kind: isms.DocInformationSecurityPolicy, title: "Informationssikkerhedspolitik", class: isms.ClassPublic, owner: coordinator,
		interval: 12, clause: "5.2", versions: []string{policyV1, policyV2}},
	{req: "scope", kind: isms.DocScope, title: "Omfang af ISMS'et", class: isms.ClassInternal, owner: coordinator, interval: 12, clause: "4.3",
		versions: []string{`# Omfang af ISMS'et

ISMS'et omfatter Solbjerg Kommunes administration og myndighedsudøvelse med de forretningskritiske processer, informationer og it-systemer,
som er beskrevet i forretningsoverblikket. Afgrænsningen, kriterierne og det udeladte står i ISMS'ets registrering af omfanget, som direktionen
har godkendt; dette dokument er den offentliggjorte udgave.`}},
	{req: "risk_assessment_process", kind: isms.DocRiskMethod, title: "Metode for risikovurdering", class: isms.ClassInternal, owner: coordinator,
		interval: 24, clause: "6.1.2", versions: []string{`# Metode for risikovurdering

1. Forretningskritiske aktiver, processer og systemer vurderes mindst én gang om året og ved væsentlige ændringer.
2. Trusler vurderes for fortrolighed, integritet og tilgængelighed på den offentlige sektors 4×4-skala for sandsynlighed og konsekvens.
3. Risici med score over direktionens acceptniveau skal behandles; resten kan accepteres af risikoejeren.
4. Resultaterne registreres i ISMS'ets risikoregister og forelægges sikkerhedsudvalget.`}},
	{req: "risk_treatment_process", kind: isms.DocRiskTreatmentMethod, title: "Proces for risikohåndtering", class: isms.ClassInternal,
		owner: coordinator, interval: 24, clause: "6.1.3", versions: []string{`# Proces for risikohåndtering

For hver risiko over acceptniveauet vælger risikoejeren mellem at reducere, undgå, overføre eller acceptere risikoen. Valgte
sikringsforanstaltninger knyttes til kontrollerne i Anneks A og til SoA-dokumentet. Handlingsplanen godkendes af risikoejerne, og direktionen
accepterer restrisikoen.`}},
	{req: "soa", kind: isms.DocSoA, title: "SoA-dokument (Statement of Applicability)", class: isms.ClassConfidential, owner: coordinator,
		interval: 12, clause: "6.1.3 d)", file: "ISMS-05 SoA.pdf", versions: []string{`Statement of Applicability for Solbjerg Kommune, ISO/IEC 27001:2022 Anneks A`}},
	{req: "competence", kind: isms.DocCompetenceRecords, title: "Kompetencer i sikkerhedsarbejdet", class: isms.ClassConfidential, owner: coordinator,
		interval: 12, clause: "7.2 d)", versions: []string{`# Kompetencer i sikkerhedsarbejdet

Oversigt over uddannelse, erfaring og kvalifikationer for informationssikkerhedskoordinatoren, systemejerne og Digitalisering og IT's
driftsmedarbejdere, med de kurser, der er gennemført, og de udviklingsplaner, der er aftalt. Kursusbeviser ligger i personalesagerne.`}},
	{req: "risk_results", kind: isms.DocRiskResults, title: "Risikovurdering og -håndtering, resultater", class: isms.ClassConfidential,
		owner: coordinator, interval: 12, clause: "8.2, 8.3", versions: []string{`# Resultater af risikovurdering og -håndtering

Årets risikovurdering omfattede ESDH, ydelsessystemerne, lønsystemet, borgerservice og netværket. Fire risici lå over acceptniveauet;
for alle er der vedtaget behandling, og restrisikoen er accepteret af direktionen. Detaljerne står i ISMS'ets risikoregister.`}},
	{req: "evaluation", kind: isms.DocEvaluation, title: "Evaluering af informationssikkerheden", class: isms.ClassInternal, owner: coordinator,
		interval: 12, clause: "9.1", versions: []string{`# Evaluering af informationssikkerheden

Målingerne omfatter andel gennemførte awareness-forløb, tid fra sikkerhedsopdatering til installation, antal hændelser og brud samt resultatet af
den årlige adgangsgennemgang. Målingerne samles kvartalsvis og indgår i ledelsens gennemgang.`}},
	{req: "internal_audit", kind: isms.DocInternalAudit, title: "Intern audit, program og resultater", class: isms.ClassConfidential,
		owner: coordinator, interval: 12, clause: "9.2.2", versions: []string{`# Intern audit

Programmet dækker alle ISMS'ets elementer over tre år. Audits udføres af den interne revisor, som ikke reviderer eget arbejde. Observationer,
anbefalinger og afvigelser registreres i ISMS'et og følges op i sikkerhedsudvalget.`}},
	{req: "management_review", kind: isms.DocManagementReview, title: "Ledelsens gennemgang", class: isms.ClassInternal, owner: coordinator,
		interval: 12, clause: "9.3.3", versions: []string{`# Ledelsens gennemgang

Direktionen gennemgår ISMS'et én gang om året på grundlag af målinger og tendenser, auditresultater, status på handlingsplaner og ændringer i
trusselsbilledet. Beslutningerne protokolleres i referatet og registreres som opfølgning i ISMS'et.`}},
	{req: "nonconformities", kind: isms.DocNonconformities, title: "Afvigelser og korrigerende handlinger", class: isms.ClassConfidential,
		owner: coordinator, interval: 12, clause: "10.2", versions: []string{`# Afvigelser og korrigerende handlinger

Oversigt over sikkerhedshændelser og andre afvigelser, deres årsager, de korrigerende handlinger og vurderingen af, om handlingerne virkede.
Brud på persondatasikkerheden anmeldes til Datatilsynet efter kommunens procedure.`}},
	{req: "roles", kind: isms.DocRolesResponsibilities, title: "Roller og ansvar for informationssikkerhed", class: isms.ClassInternal,
		owner: coordinator, interval: 12, clause: "A.5.2", returned: "Systemejernes ansvar for adgangsgennemgang skal stå tydeligt. Tilføj også databeskyttelsesrådgiverens rolle.",
		versions: []string{rolesText}},
	{req: "access_control", kind: isms.DocPolicy, title: "Politik for adgangsstyring", class: isms.ClassInternal, owner: coordinator,
		interval: 24, clause: "A.5.15", versions: []string{`# Politik for adgangsstyring

Adgang tildeles efter arbejdsbetinget behov og godkendes af nærmeste leder. Systemejerne gennemgår adgangene til deres systemer hvert år.
Privilegerede adgange er personlige, tidsbegrænsede og logges. Fratrådte medarbejderes adgange lukkes senest på fratrædelsesdagen.`}},
	{req: "operating_procedures", kind: isms.DocProcedure, title: "Driftsprocedurer for fagsystemer", class: isms.ClassConfidential,
		owner: contributor, interval: 12, clause: "A.5.37", versions: []string{`# Driftsprocedurer for fagsystemer i Social og Sundhed

Procedurer for opstart og lukning, brugeroprettelse, kontrol af integrationer til KOMBIT's støttesystemer, genstart efter nedbrud og kontakt
til leverandørens servicedesk. Proceduren gennemgås af systemejeren hvert år og efter hver større opdatering.`}},
	{req: "incident_response", kind: isms.DocProcedure, title: "Håndtering af sikkerhedshændelser og brud", class: isms.ClassInternal,
		owner: coordinator, interval: 12, clause: "A.5.26", versions: []string{`# Håndtering af sikkerhedshændelser og brud

1. Alle medarbejdere melder mistanke om hændelser til Digitalisering og IT's servicedesk straks.
2. Koordinatoren vurderer hændelsen, inddrager databeskyttelsesrådgiveren ved brud på persondatasikkerheden og anmelder til Datatilsynet inden
   for 72 timer.
3. Hændelsen registreres som afvigelse i ISMS'et med årsagsanalyse og korrigerende handlinger.`}},
	{req: "continuity", kind: isms.DocPlan, title: "Beredskabsplan for it", class: isms.ClassSecret, owner: coordinator, interval: 12,
		clause: "A.5.29", location: "ISMS'et; papireksemplar i brandskabet hos Digitalisering og IT", versions: []string{`# Beredskabsplan for it

Planen beskriver nødprocedurer for udbetalinger og borgerbetjening, prioriteret genetablering af systemerne, kontaktlister og
beslutningskompetence under en krise. Kontaktlister og adgangskoder til nødkonti står i det hemmelige bilag.`}},
	{req: "supplier_policy", kind: isms.DocPolicy, title: "Politik for leverandørforhold", class: isms.ClassInternal, owner: coordinator,
		interval: 24, clause: "A.5.19", versions: []string{`# Politik for leverandørforhold

Leverandører, der behandler kommunens informationer, skal leve op til kravene i databehandleraftalen og i denne politik: ISAE 3000- eller
ISAE 3402-erklæring hvert år, underretning om brud inden for 24 timer, sikker udvikling og test samt ret for kommunen til tilsyn.`}},
}

const policyV1 = `# Informationssikkerhedspolitik for Solbjerg Kommune

Solbjerg Kommune beskytter borgernes og kommunens informationer, så de er fortrolige, korrekte og tilgængelige, når de skal bruges.
Direktionen har det overordnede ansvar; informationssikkerhedskoordinatoren koordinerer arbejdet.`

const policyV2 = `# Informationssikkerhedspolitik for Solbjerg Kommune

## Formål
Solbjerg Kommune beskytter borgernes og kommunens informationer, så de er fortrolige, korrekte og tilgængelige, når de skal bruges.

## Mål
1. Ingen brud på persondatasikkerheden med alvorlige følger for borgerne.
2. Udbetalinger og borgerbetjening kan genoptages inden for 24 timer efter et nedbrud.
3. Alle medarbejdere gennemfører årligt awareness-forløb.

## Organisering
Direktionen har det overordnede ansvar og fastlægger acceptniveauet for risici. Sikkerhedsudvalget følger arbejdet, og
informationssikkerhedskoordinatoren koordinerer det. Systemejerne har ansvaret for deres systemer.

## Ledelsessystem
Kommunen driver et ledelsessystem for informationssikkerhed efter ISO/IEC 27001 og Digitaliseringsstyrelsens vejledning.
Politikken gennemgås hvert år af direktionen.`

const rolesText = `# Roller og ansvar for informationssikkerhed

| Rolle | Ansvar |
| --- | --- |
| Direktionen | Godkender politik, mål og acceptniveau for risici; afsætter ressourcer; gennemgår ISMS'et årligt. |
| Sikkerhedsudvalget | Følger op på handlingsplaner, hændelser og målinger; rådgiver direktionen. |
| Informationssikkerhedskoordinatoren | Koordinerer ISMS'et, årshjulet og risikovurderingerne; rapporterer til direktionen. |
| Systemejere | Ansvarlige for deres systemers sikkerhed, herunder den årlige adgangsgennemgang. |
| Databeskyttelsesrådgiveren | Rådgiver om og kontrollerer overholdelsen af databeskyttelsesreglerne. |
| Ledere | Sikrer, at medarbejderne kender og følger retningslinjerne, og godkender adgange. |
| Medarbejdere | Følger retningslinjerne og melder hændelser straks. |`
