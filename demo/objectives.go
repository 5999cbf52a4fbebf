package demo

import (
	"fmt"

	"github.com/ismsdk/isms"
)

// Information security objectives (guide 2.4): Solbjerg Kommune's
// objectives for the year, each serving the information security policy
// or a risk of the register, with an owner, a measurable target, a plan,
// measurements over the year and management's approval.

func init() { addStep(650, "security objectives", fillObjectives) }

type objSpec struct {
	in       isms.ObjectiveInput
	owner    isms.Role
	due      int // days from today
	risk     bool
	progress []struct {
		days  int
		value float64
		note  string
	}
}

func demoNumber(f float64) *float64 { return &f }

var demoObjectives = []objSpec{
	{owner: coordinator, due: 200, in: isms.ObjectiveInput{
		Title:   "Alle medarbejdere har gennemført årets awareness-træning",
		Measure: "Andel af kommunens medarbejdere, der har gennemført e-læringskurset i informationssikkerhed", TargetValue: demoNumber(95), Unit: "%",
		Plan:   "E-læringskurset sendes ud i marts med påmindelser efter to og fire uger. Afdelingslederne følger op på deres medarbejdere på personalemøderne i maj. Nye medarbejdere tager kurset i deres første uge.",
		Status: isms.ObjectiveInProgress},
		progress: []struct {
			days  int
			value float64
			note  string
		}{{-120, 38, "Efter første udsendelse"}, {-60, 71.5, "Efter påmindelserne"}, {-10, 86, "Efter opfølgningen i afdelingerne"}}},
	{owner: contributor, due: 150, risk: true, in: isms.ObjectiveInput{
		Title:   "Færre medarbejdere klikker på phishingmails",
		Measure: "Andel af modtagerne, der klikker på linket i kvartalets phishingøvelse", TargetValue: demoNumber(5), Unit: "%",
		Plan:   "Kvartalsvise phishingøvelser med kort læring til dem, der klikker. Resultaterne drøftes i sikkerhedsudvalget.",
		Status: isms.ObjectiveInProgress},
		progress: []struct {
			days  int
			value float64
			note  string
		}{{-150, 14, "Første øvelse"}, {-60, 9, "Anden øvelse"}}},
	{owner: administrator, due: 300, in: isms.ObjectiveInput{
		Title:   "Kritiske sikkerhedsopdateringer installeres hurtigt",
		Measure: "Mediantid fra frigivelse til installation af kritiske opdateringer på servere og klienter", TargetValue: demoNumber(14), Unit: "dage",
		Plan:   "Automatisk udrulning til klienter, fast vedligeholdelsesvindue for servere hver anden tirsdag, månedlig rapport fra driften.",
		Status: isms.ObjectivePlanned}},
}

func fillObjectives(d *Demo) error {
	ctx := d.As(isms.RoleCoordinator)
	docs, _, err := d.DB.Documents(ctx, d.Org.ID, isms.DocumentFilter{Kind: isms.DocInformationSecurityPolicy, Limit: 1})
	if err != nil {
		return err
	}
	risks, _, err := d.DB.Risks(ctx, d.Org.ID, isms.RiskFilter{Query: "phishing", Limit: 1})
	if err != nil {
		return err
	}
	for _, s := range demoObjectives {
		in := s.in
		in.OwnerID, in.DueDate = d.UserID(s.owner), d.Day(s.due)
		if len(docs) > 0 {
			in.DocumentID = &docs[0].ID
		}
		if s.risk && len(risks) > 0 {
			in.RiskID = &risks[0].ID
		}
		o, err := d.DB.CreateObjective(ctx, d.Org.ID, in)
		if err != nil {
			return fmt.Errorf("objective %q: %w", in.Title, err)
		}
		if _, err := d.DB.ApproveObjective(d.As(isms.RoleManagement), d.Org.ID, o.ID, o.Version); err != nil {
			return fmt.Errorf("approve %q: %w", in.Title, err)
		}
		for _, p := range s.progress {
			v := p.value
			if _, err := d.DB.AddObjectiveProgress(d.As(s.owner), d.Org.ID, o.ID,
				isms.ObjectiveProgressInput{MeasuredOn: d.Day(p.days), Value: &v, Note: p.note}); err != nil {
				return fmt.Errorf("progress of %q: %w", in.Title, err)
			}
		}
	}
	return nil
}
