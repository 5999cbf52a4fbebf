package loadgen

import (
	"fmt"
	"time"

	"github.com/ismsdk/isms"
)

// The annual wheel (guide 2.2 and 2.9): the recurring activities that keep
// the ISMS running, laid out over the year and approved by management.
// Each occurrence is dealt with on its due day as the clock reaches it —
// most done with a result, a few skipped with a reason, a few left open
// and so overdue — the way a real year goes.

func init() { addStep(400, "annual wheel", 0.02, 0.04, fillWheel) }

var wheelActivities = []struct {
	title, serves, record string
	rec                   isms.Recurrence
	months                int
	topics                []string
	byOwner               bool // a system owner runs it, not the coordinator
}{
	{"Opfølgning på sikkerhedshændelser", "clause:10.2", "Referat med hændelser og læring", isms.RecurMonthly, 0, []string{"improvement"}, false},
	{"Gennemgang af brugeradgange", "annex:5.18", "Liste over fjernede og ændrede adgange", isms.RecurMonthly, 0, nil, true},
	{"Test af gendannelse fra backup", "annex:8.13", "Testrapport", isms.RecurQuarterly, 0, nil, true},
	{"Møde i informationssikkerhedsudvalget", "guide:2.2", "Referat", isms.RecurQuarterly, 0, []string{"organisation", "resources"}, false},
	{"Revurdering af risikovurderinger", "clause:8.2", "Opdateret risikoregister", isms.RecurQuarterly, 0, []string{"objectives"}, false},
	{"Status på risikohåndteringsplanen", "clause:8.3", "Statusnotat til ledelsen", isms.RecurQuarterly, 0, []string{"objectives", "resources"}, false},
	{"Awareness-kampagne for medarbejdere", "guide:2.6", "Kampagnemateriale og deltagelse", isms.RecurQuarterly, 0, []string{"communication"}, false},
	{"Phishing-øvelse", "annex:6.3", "Resultat af øvelsen", isms.RecurMonths, 4, []string{"communication"}, false},
	{"Leverandørtilsyn med databehandlere", "annex:5.22", "Tilsynsnotat pr. leverandør", isms.RecurMonths, 6, nil, true},
	{"Opdatering af forretningsoverblikket", "guide:2.1", "Opdaterede registre", isms.RecurMonths, 6, nil, false},
	{"Gennemgang af informationssikkerhedspolitikken", "clause:5.2", "Godkendt politik", isms.RecurYearly, 0, []string{"policies"}, false},
	{"Intern audit", "clause:9.2", "Auditrapport", isms.RecurYearly, 0, []string{"improvement"}, false},
	{"Ledelsens evaluering", "clause:9.3", "Referat af ledelsens evaluering", isms.RecurYearly, 0, []string{"objectives", "improvement", "roles"}, false},
	{"Godkendelse af Statement of Applicability", "clause:6.1.3", "Godkendt SoA-version", isms.RecurYearly, 0, []string{"policies"}, false},
	{"Beredskabsøvelse", "annex:5.30", "Evaluering af øvelsen", isms.RecurYearly, 0, []string{"resources"}, false},
	{"Gennemgang af roller og ansvar", "clause:5.3", "Opdateret ansvarsfordeling", isms.RecurYearly, 0, []string{"roles", "organisation"}, false},
	{"Sårbarhedsscanning af systemer", "annex:8.8", "Scanningsrapport og handlinger", isms.RecurMonthly, 0, nil, true},
	{"Måling af sikkerhedsmål", "clause:9.1", "Målerapport", isms.RecurQuarterly, 0, []string{"objectives"}, false},
}

func fillWheel(g *Gen) error {
	coord := g.Users[isms.RoleCoordinator]
	byID := map[int64]*isms.User{coord.ID: coord}
	for _, u := range g.Owners {
		byID[u.ID] = u
	}
	g.Phase(len(wheelActivities) + 2)
	// The activities start in the first month of the year, on days spread
	// over the month, so their occurrences fall across the whole year.
	first := isms.DateOf(g.start)
	for i, a := range wheelActivities {
		if err := g.Tick(); err != nil {
			return err
		}
		owner := coord
		if a.byOwner {
			owner = g.Owner()
		}
		start := first.AddDays(7 + (i*3)%28)
		if _, err := g.DB.CreateWheelActivity(g.As(coord), g.Org.ID, isms.ActivityInput{
			Title: a.title, Description: a.title + " efter kommunens årshjul.", OwnerID: ID(owner), Recurrence: a.rec,
			IntervalMonths: a.months, StartDate: &start, Serves: a.serves, Topics: a.topics, RecordText: a.record,
			Status: isms.ActivityActive}); err != nil {
			return fmt.Errorf("activity %q: %w", a.title, err)
		}
	}
	g.Count("annual wheel activities", len(wheelActivities))

	// The plans of both calendar years the history touches, approved by
	// management.
	years := []int{g.start.Year()}
	if g.end.Year() != g.start.Year() {
		years = append(years, g.end.Year())
	}
	for _, y := range years {
		if err := g.Tick(); err != nil {
			return err
		}
		plan, err := g.DB.SubmitYearPlan(g.As(coord), g.Org.ID, y, fmt.Sprintf("Årshjul for %d", y))
		if err != nil {
			return fmt.Errorf("year plan %d: %w", y, err)
		}
		if _, err := g.DB.ApproveYearPlan(g.AsRole(isms.RoleManagement), g.Org.ID, y, plan.Number, plan.Checksum); err != nil {
			return fmt.Errorf("approval of the year plan %d: %w", y, err)
		}
	}
	g.Count("approved year plans", len(years))

	// Each occurrence due within the history is dealt with on its day.
	from, to := isms.DateOf(g.now), isms.DateOf(g.end)
	var occ []*isms.Occurrence
	for off := 0; ; off += 500 {
		page, total, err := g.DB.WheelOccurrences(g.As(coord), g.Org.ID, isms.OccurrenceFilter{From: &from, To: &to,
			Sort: "due_date", Offset: off, Limit: 500})
		if err != nil {
			return err
		}
		occ = append(occ, page...)
		if off+500 >= total || len(page) == 0 {
			break
		}
	}
	for i, o := range occ {
		o := o
		who := coord
		if o.OwnerID != nil && byID[*o.OwnerID] != nil {
			who = byID[*o.OwnerID]
		}
		at := o.DueDate.Time.Add(10 * time.Hour)
		switch {
		case i%20 == 7: // left open: it shows as overdue
			g.Count("annual wheel occurrences left open", 1)
		case i%20 == 13:
			g.Schedule(at, func() error {
				_, err := g.DB.SkipOccurrence(g.As(coord), g.Org.ID, o.ID, "Udskudt: ressourcerne gik til en sikkerhedshændelse.", o.Version)
				return err
			})
			g.Count("annual wheel occurrences skipped", 1)
		default:
			g.Schedule(at, func() error {
				_, err := g.DB.CompleteOccurrence(g.As(who), g.Org.ID, o.ID, isms.CompletionInput{
					Result: "Gennemført som planlagt.", Comment: o.RecordText + " ligger i ESDH.", EvidenceRef: fmt.Sprintf("ESDH %d-%04d", o.DueDate.Year(), o.ID),
					Version: o.Version})
				if err != nil {
					return fmt.Errorf("completing %q due %s: %w", o.ActivityTitle, o.DueDate, err)
				}
				return nil
			})
			g.Count("annual wheel occurrences done", 1)
		}
	}
	return nil
}
