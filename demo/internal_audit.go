package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ismsdk/isms"
)

// Internal audit (guide 2.9, clause 9.2): Solbjerg Kommune's audit
// programme over three years (last year to next), planned by the
// coordinator and linked to the annual wheel's internal audit activity:
// last year's audit of clauses 4–6 and half of the SoA's controls, this
// year's of clauses 7–10 and the other half with findings (a minor
// nonconformity registered and followed to an effective review,
// observations, an opportunity), both reports approved by the internal
// auditor; next year's re-audit of the controls weighted yearly. Rule 7.2
// answers yes.

func init() { addStep(740, "internal audit", fillInternalAudit) }

func fillInternalAudit(d *Demo) error {
	coord, auditor := d.As(coordinator), d.As(isms.RoleAuditor)
	year := d.Today.Year()
	prog, err := d.DB.CreateAuditProgramme(coord, d.Org.ID, isms.AuditProgrammeInput{
		Title: fmt.Sprintf("Auditprogram %d–%d", year-1, year+1), FirstYear: year - 1, LastYear: year + 1,
		Approach: "Alle krav i ISO 27001 kapitel 4–10 og alle kontroller, der er valgt i SoA'en, auditeres mindst én gang i cyklussen. " +
			"Kontroller, der håndterer risici over acceptniveauet, eller hvor tidligere audits fandt afvigelser, auditeres hvert år. " +
			"Auditor er kommunens interne revisor fra Økonomi og Styring, som ikke har ansvar for sikkerhedskontroller; " +
			"Solbjerg Kommunes koncernfunktion kan supplere som central enhed."})
	if err != nil {
		return fmt.Errorf("programme: %w", err)
	}
	cov, err := d.DB.AuditCoverage(coord, d.Org.ID, prog.ID)
	if err != nil {
		return err
	}
	var controls []string
	for _, l := range cov.Controls {
		controls = append(controls, l.Ref)
	}
	var early, late []string
	for _, c := range isms.StandardClauses {
		if c < "7" && !strings.HasPrefix(c, "10") {
			early = append(early, c)
		} else {
			late = append(late, c)
		}
	}
	half := len(controls) / 2
	var wheel *int64
	acts, _, err := d.DB.WheelActivities(coord, d.Org.ID, isms.ActivityFilter{Limit: 500})
	if err != nil {
		return err
	}
	for _, a := range acts {
		if strings.Contains(strings.ToLower(a.Title), "intern audit") {
			wheel = &a.ID
		}
	}
	lead := d.UserID(isms.RoleAuditor)

	// Last year's audit: held, no findings, approved.
	first := isms.AuditInput{ProgrammeID: prog.ID, Title: fmt.Sprintf("Intern audit %d: kontekst, ledelse og planlægning", year-1),
		Scope:    "Hele ISMS'et: forretningsoverblik, ledelsesforankring, risikostyring og de organisatoriske kontroller.",
		Criteria: "ISO/IEC 27001:2022 og Solbjerg Kommunes informationssikkerhedspolitik", Clauses: early, Controls: controls[:half],
		PlannedOn: dayOf(year-1, 10, 1), HeldFrom: dayOf(year-1, 10, 1), HeldTo: dayOf(year-1, 10, 3), LeadAuditorID: lead, Independence: isms.IndependenceInternal,
		OtherAuditors: "Koncernfunktionen (observatør)", EvidenceSeen: "Politik, rolleliste, risikovurderinger, SoA, referater fra Informationssikkerhedsudvalget; interview med koordinatoren og direktøren.",
		Conclusion: "Kapitel 4–6 og de gennemgåede kontroller er opfyldt. Ingen afvigelser.", WheelActivityID: wheel}
	if _, err := d.auditHeld(auditor, first, nil); err != nil {
		return err
	}

	// This year's audit with findings.
	second := isms.AuditInput{ProgrammeID: prog.ID, Title: fmt.Sprintf("Intern audit %d: drift, evaluering og forbedring", year),
		Scope:    "IT-afdelingen, HR og Borgerservice: drift af kontrollerne, overvågning og måling, afvigelser og forbedringer.",
		Criteria: "ISO/IEC 27001:2022, informationssikkerhedspolitikken og retningslinjerne for overvågning og måling",
		Clauses:  late, Controls: controls[half:], PlannedOn: d.Day(-45), HeldFrom: d.Day(-45), HeldTo: d.Day(-43), LeadAuditorID: lead,
		Independence: isms.IndependenceInternal, EvidenceSeen: "Adgangslister fra AD, log over gennemgang af rettigheder, måleprogrammet, afvigelsesregistret, statusrapporter; stikprøver på 20 brugere.",
		Conclusion:      "ISMS'et er i drift og forbedres løbende. Én mindre afvigelse ved gennemgang af adgangsrettigheder; to observationer og én forbedringsmulighed.",
		WheelActivityID: wheel}
	ncRef := "9.1"
	for _, c := range []string{"5.18", "5.15", "8.2"} {
		for _, have := range second.Controls {
			if have == c {
				ncRef = c
			}
		}
		if ncRef != "9.1" {
			break
		}
	}
	findings := []isms.AuditFindingInput{
		{Type: isms.FindingMinorNC, Ref: ncRef, Title: "Adgangsrettigheder gennemgås ikke kvartalsvis som fastsat",
			Description: "Retningslinjen kræver kvartalsvis gennemgang af adgangsrettigheder til fagsystemerne; to kvartaler mangler.",
			Evidence:    "Log over gennemgang viser 1. og 4. kvartal sidste år; intet for 1. og 2. kvartal i år. 3 af 20 stikprøver havde rettigheder efter jobskifte."},
		{Type: isms.FindingObservation, Ref: "9.1", Title: "Måleresultater rapporteres uden analyse af udviklingen",
			Evidence: "Statusrapporterne viser værdierne, men ikke en vurdering af tendensen."},
		{Type: isms.FindingObservation, Ref: "10.2", Title: "Årsagsanalyser er korte for mindre afvigelser",
			Evidence: "To af fem afvigelser har én linje som årsag."},
		{Type: isms.FindingOpportunity, Ref: "9.3", Title: "Auditresultater kan indgå fast i ledelsens evaluering",
			Evidence: "Dagsordenen for ledelsens evaluering nævner ikke auditrapporten som fast punkt."},
	}
	a, err := d.auditHeld(auditor, second, findings)
	if err != nil {
		return err
	}
	// The nonconformity in the register, followed to an effective review.
	for _, f := range a.Findings {
		if !f.Type.Nonconformity() {
			continue
		}
		n, err := d.DB.Nonconformity(coord, d.Org.ID, *f.NonconformityID)
		if err != nil {
			return err
		}
		owner := n.OwnerID
		in := isms.NonconformityInput{Title: n.Title, Source: n.Source, SourceRef: n.SourceRef, RequirementKind: n.RequirementKind,
			Requirement: n.Requirement, Description: n.Description, DetectedOn: &n.DetectedOn, ReportedBy: n.ReportedBy, OwnerID: owner,
			Correction: "De tre brugeres overflødige rettigheder fjernet.", CorrectionOn: d.Day(-40), Method: isms.NCMethodOther,
			RootCause:    "Gennemgangen var ikke lagt ind i årshjulet og blev glemt ved ferie og sygdom.",
			SimilarExist: no(), SimilarCouldOccur: yes(), SimilarNote: "Andre periodiske kontroller uden aktivitet i årshjulet er gennemgået.",
			Actions: []isms.NCActionInput{{Action: "Kvartalsvis gennemgang af adgangsrettigheder lagt ind i årshjulet med stedfortræder", OwnerID: owner,
				DueOn: d.Day(-30), DoneOn: d.Day(-32)}},
			ReviewPlannedOn: d.Day(-6), ReviewedOn: d.Day(-5), Effective: yes(),
			ReviewNote: "Gennemgangen for 3. kvartal er gennemført til tiden; stikprøve på 20 brugere uden fejl.", Version: n.Version}
		if n, err = d.DB.UpdateNonconformity(coord, d.Org.ID, n.ID, in); err != nil {
			return fmt.Errorf("audit nonconformity: %w", err)
		}
		if _, err := d.DB.CloseNonconformity(coord, d.Org.ID, n.ID, n.Version); err != nil {
			return fmt.Errorf("close audit nonconformity: %w", err)
		}
	}

	// Next year's re-audit: the controls weighted yearly, and the clause
	// with this year's nonconformity.
	var again []string
	for _, l := range cov.Controls {
		if l.Yearly {
			again = append(again, l.Ref)
		}
	}
	if len(again) == 0 && ncRef != "9.1" {
		again = []string{ncRef}
	}
	third := isms.AuditInput{ProgrammeID: prog.ID, Title: fmt.Sprintf("Intern audit %d: opfølgning og højrisikokontroller", year+1),
		Scope: "Opfølgning på årets fund og kontroller med høje risici.", Criteria: "ISO/IEC 27001:2022",
		Clauses: []string{"9.1", "9.2", "10.2"}, Controls: again, PlannedOn: &isms.Date{Time: d.Today.AddDate(1, 0, 0)},
		LeadAuditorID: lead, Independence: isms.IndependenceInternal, WheelActivityID: wheel}
	if _, err := d.DB.CreateAudit(coord, d.Org.ID, third); err != nil {
		return fmt.Errorf("planned audit: %w", err)
	}
	return nil
}

// auditHeld records a held audit as its auditor would: the audit, its
// findings (nonconformities registered), the checklist answered, and the
// report approved by the lead auditor.
func (d *Demo) auditHeld(ctx context.Context, in isms.AuditInput, findings []isms.AuditFindingInput) (*isms.Audit, error) {
	a, err := d.DB.CreateAudit(ctx, d.Org.ID, in)
	if err != nil {
		return nil, fmt.Errorf("audit %q: %w", in.Title, err)
	}
	for _, f := range findings {
		fd, err := d.DB.CreateAuditFinding(ctx, d.Org.ID, a.ID, f)
		if err != nil {
			return nil, fmt.Errorf("finding %q: %w", f.Title, err)
		}
		if fd.Type.Nonconformity() {
			if _, err := d.DB.RegisterFindingNonconformity(ctx, d.Org.ID, fd.ID, isms.FindingRegistration{OwnerID: d.UserID(coordinator), Version: fd.Version}); err != nil {
				return nil, fmt.Errorf("register %q: %w", f.Title, err)
			}
		}
	}
	if a, err = d.DB.Audit(ctx, d.Org.ID, a.ID); err != nil {
		return nil, err
	}
	checks := isms.AuditCheckInput{Version: a.Version}
	for _, c := range a.Checks {
		if c.Result == isms.CheckNotChecked {
			checks.Checks = append(checks.Checks, isms.AuditCheck{Ref: c.Ref, Result: isms.CheckConform})
		}
	}
	if a, err = d.DB.SaveAuditChecks(ctx, d.Org.ID, a.ID, checks); err != nil {
		return nil, fmt.Errorf("checklist %q: %w", in.Title, err)
	}
	if a, err = d.DB.ApproveAuditReport(ctx, d.Org.ID, a.ID, a.Version); err != nil {
		return nil, fmt.Errorf("approve %q: %w", in.Title, err)
	}
	return a, nil
}

// dayOf is a date of the calendar, for audits placed in a year of the
// programme's cycle whatever day the demo is made.
func dayOf(y int, m time.Month, day int) *isms.Date {
	return &isms.Date{Time: time.Date(y, m, day, 0, 0, 0, 0, time.UTC)}
}
