package demo

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/ismsdk/isms"
)

// Competence (guide 2.5): what Solbjerg Kommune's security roles need,
// and what the holders of the roles have, with their certificates in the
// documentation register, so that every role's needs are met by a holder.

func init() { addStep(470, "competence", fillCompetence) }

// competenceNeed is one need of a role, by the role's template key.
type competenceNeed struct {
	subject, description string
	kind                 isms.CompetenceKind
	level                isms.CompetenceLevel
	provider             string
	validYears           int // a certification's validity; 0 for none
	// refreshMonths, when set, is how often the need must be refreshed,
	// the refresher brought round by the wheel's competence review.
	refreshMonths int
}

var demoCompetenceNeeds = map[string][]competenceNeed{
	"top_management": {{subject: "Ledelsens ansvar for informationssikkerhed", kind: isms.CompetenceTraining, level: isms.LevelBasic,
		description: "Kender ISO 27001's krav til ledelsen og kommunens risikobillede", provider: "KL's lederkursus i informationssikkerhed"}},
	"security_owner": {{subject: "ISO 27001 Lead Implementer", kind: isms.CompetenceCertification, level: isms.LevelPractitioner,
		description: "Kan lede indførelse og vedligehold af ledelsessystemet", provider: "PECB", validYears: 3}},
	"coordinator": {
		{subject: "ISO 27001 Lead Implementer", kind: isms.CompetenceCertification, level: isms.LevelExpert,
			description: "Planlægger og driver ISMS'et og risikovurderingerne", provider: "PECB", validYears: 3},
		{subject: "GDPR og databeskyttelse", kind: isms.CompetenceKnowledge, level: isms.LevelPractitioner,
			description: "Kan vurdere behandlingssikkerhed og brud på persondatasikkerheden", provider: "Dansk IT", refreshMonths: 24},
	},
	"committee": {{subject: "Kommunens risikovurderingsmetode", kind: isms.CompetenceKnowledge, level: isms.LevelBasic,
		description: "Kan læse og udfordre risikovurderingerne", provider: "Intern introduktion"}},
	"system_owner": {{subject: "Systemejerens opgaver og leverandørstyring", kind: isms.CompetenceTraining, level: isms.LevelBasic,
		description: "Adgangsstyring, databehandleraftaler og tilsyn", provider: "Intern uddannelse"}},
	"data_owner": {{subject: "Klassifikation af information", kind: isms.CompetenceKnowledge, level: isms.LevelBasic,
		description: "Kan klassificere data efter kommunens retningslinjer", provider: "Intern uddannelse"}},
	"dpo": {{subject: "Certificeret DPO", kind: isms.CompetenceCertification, level: isms.LevelExpert,
		description: "Databeskyttelsesrådgiverens uafhængige rådgivning og tilsyn", provider: "IAPP (CIPP/E)", validYears: 2}},
	"it_operations": {{subject: "Kommunens hændelsesproces", kind: isms.CompetenceKnowledge, level: isms.LevelPractitioner,
		description: "Håndterer og eskalerer sikkerhedshændelser efter beredskabsplanen", provider: "Intern øvelse"}},
	"all_staff": {{subject: "Grundlæggende informationssikkerhed", kind: isms.CompetenceTraining, level: isms.LevelBasic,
		description: "Awarenesskursus for alle medarbejdere", provider: "Kommunens e-læring"}},
}

func fillCompetence(d *Demo) error {
	coord := d.As(isms.RoleCoordinator)
	roles, err := d.DB.SecurityRoles(coord, d.Org.ID)
	if err != nil {
		return err
	}
	docs, _, err := d.DB.Documents(coord, d.Org.ID, isms.DocumentFilter{Limit: 1, Sort: "title"})
	if err != nil {
		return err
	}
	var evidence *int64
	if len(docs) > 0 {
		evidence = &docs[0].ID
	}
	review, err := competenceReview(d)
	if err != nil {
		return err
	}
	uploaded := false             // one certificate uploaded as a file
	recorded := map[string]bool{} // person and subject
	planned := false              // one holder's gap, with its development plan
	for _, r := range roles {
		needs, ok := demoCompetenceNeeds[r.TemplateKey]
		if !ok {
			needs = []competenceNeed{{subject: "Grundlæggende informationssikkerhed", kind: isms.CompetenceTraining, level: isms.LevelBasic,
				provider: "Kommunens e-læring"}}
		}
		for _, n := range needs {
			roleID := r.ID
			in := isms.CompetenceNeedInput{RoleID: &roleID, Subject: n.subject, Kind: n.kind, Level: n.level, Description: n.description,
				RefreshMonths: n.refreshMonths}
			if n.refreshMonths > 0 {
				in.WheelActivityID = &review.ID
			}
			need, err := d.DB.CreateCompetenceNeed(coord, d.Org.ID, in)
			if err != nil {
				return fmt.Errorf("competence need %q of %q: %w", n.subject, r.Name, err)
			}
			var members []isms.RolePerson
			for _, h := range r.Holders {
				if h.Member {
					members = append(members, h)
				}
			}
			for _, h := range r.Holders {
				if !planned && len(members) > 1 && h.Member && h.UserID == members[len(members)-1].UserID && !recorded[fmt.Sprint(h.UserID, n.subject)] {
					// A new holder has yet to take the course; the others
					// meet the need meanwhile.
					planned = true
					if _, err := d.DB.CreateCompetencePlan(coord, d.Org.ID, isms.CompetencePlanInput{NeedID: need.ID, UserID: h.UserID,
						Action: n.provider + ": " + n.subject, OwnerID: d.UserID(isms.RoleCoordinator), DueOn: d.Day(60)}); err != nil {
						return fmt.Errorf("development plan %q: %w", n.subject, err)
					}
					continue
				}
				key := fmt.Sprint(h.UserID, n.subject)
				if !h.Member || recorded[key] {
					continue
				}
				recorded[key] = true
				in := isms.CompetenceInput{UserID: h.UserID, Subject: n.subject, Kind: n.kind, Level: isms.LevelExpert, Provider: n.provider,
					AchievedOn: d.Day(-200)}
				if n.validYears > 0 {
					in.ExpiresOn = d.Day(n.validYears*365 - 200)
					in.EvidenceID = evidence
				}
				if n.refreshMonths > 0 && !uploaded {
					// The course certificate, scanned to PDF, uploaded with the
					// record: kept as a document of the register.
					uploaded = true
					in.EvidenceFile = &isms.EvidenceUpload{FileName: "Kursusbevis " + n.subject + ".pdf",
						Content: certificatePDF(h.Name, n.provider+": "+n.subject, in.AchievedOn.String())}
				}
				if _, err := d.DB.CreateCompetence(coord, d.Org.ID, in); err != nil {
					return fmt.Errorf("competence %q of %d: %w", n.subject, h.UserID, err)
				}
			}
		}
	}
	// A function of the ISMS that is not a role.
	if _, err := d.DB.CreateCompetenceNeed(coord, d.Org.ID, isms.CompetenceNeedInput{Function: "Intern audit", Subject: "ISO 19011 auditteknik",
		Kind: isms.CompetenceTraining, Level: isms.LevelPractitioner, Description: "Den interne auditor planlægger og gennemfører audit af ISMS'et"}); err != nil {
		return err
	}
	return nil
}

// The wheel's yearly competence review (guide 2.5), which also brings the
// GDPR refresher round: last year's was done a few days before it fell
// due. Added after the year's wheel was approved, so the revised wheel is
// submitted and approved again.
func competenceReview(d *Demo) (*isms.Activity, error) {
	coord := d.As(isms.RoleCoordinator)
	a, err := d.DB.CreateWheelActivity(coord, d.Org.ID, isms.ActivityInput{Title: "Kompetencegennemgang og GDPR-opfriskning",
		Description: "Koordinatoren gennemgår kompetencematrixen med rolleindehaverne, lægger udviklingsplaner for manglerne og booker årets GDPR-opfriskning.",
		OwnerID:     d.UserID(isms.RoleCoordinator), Recurrence: isms.RecurYearly, StartDate: d.Day(-330), Serves: "guide:2.5",
		Topics: []string{"resources"}, RecordText: "Opdateret kompetencematrix og udviklingsplaner"})
	if err != nil {
		return nil, fmt.Errorf("competence review: %w", err)
	}
	past, _, err := d.DB.WheelOccurrences(coord, d.Org.ID, isms.OccurrenceFilter{ActivityID: a.ID, To: d.Day(-1), Limit: 10})
	if err != nil {
		return nil, err
	}
	if len(past) == 0 {
		return nil, fmt.Errorf("competence review: no occurrence laid out before today")
	}
	for _, o := range past {
		done := o.DueDate.AddDays(-4)
		if _, err := d.DB.CompleteOccurrence(coord, d.Org.ID, o.ID, isms.CompletionInput{Result: "Matrixen er gennemgået med alle rolleindehavere; én ny koordinator har fået en udviklingsplan, og GDPR-opfriskningen er holdt.",
			CompletedOn: &done, EvidencePath: "/competence/matrix", EvidenceRef: fmt.Sprintf("Sagsnr. %d-00470", o.DueDate.Year()), Version: o.Version}); err != nil {
			return nil, fmt.Errorf("competence review %s: %w", o.DueDate, err)
		}
	}
	p, err := d.DB.SubmitYearPlan(coord, d.Org.ID, d.Today.Year(), "Årets hjul med kompetencegennemgangen tilføjet.")
	if err != nil {
		return nil, err
	}
	if _, err := d.DB.ApproveYearPlan(d.As(isms.RoleManagement), d.Org.ID, p.Year, p.Number, p.Checksum); err != nil {
		return nil, err
	}
	return a, nil
}

// certificatePDF is a one-page PDF course certificate, as a scanner's
// software would make it: the text in Helvetica (WinAnsi, so Danish
// letters show), with a correct cross-reference table.
func certificatePDF(person, course, date string) []byte {
	latin1 := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			switch {
			case r == '(' || r == ')' || r == '\\':
				b.WriteByte('\\')
				b.WriteRune(r)
			case r < 0x80:
				b.WriteRune(r)
			case r <= 0xff:
				b.WriteByte(byte(r))
			case r == '–':
				b.WriteByte(0x96)
			default:
				b.WriteByte('?')
			}
		}
		return b.String()
	}
	text := fmt.Sprintf("BT /F1 24 Tf 72 720 Td (Kursusbevis) Tj ET\nBT /F1 14 Tf 72 680 Td (%s) Tj ET\nBT /F1 12 Tf 72 650 Td (Deltager: %s) Tj ET\nBT /F1 12 Tf 72 630 Td (Gennemført: %s) Tj ET\n",
		latin1(course), latin1(person), latin1(date))
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", len(text), text),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}
