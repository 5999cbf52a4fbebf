package demo

import (
	"fmt"

	"github.com/ismsdk/isms"
)

// The annual wheel (guide 2.2 and 2.9): the municipality's recurring ISMS
// activities, a year of their history (done, one skipped, one overdue) and
// the year plan approved by the municipal director. Between them the
// activities cover all seven management topics both in the past twelve
// months and in the coming twelve, so checklist questions 2.1 and 2.2
// answer yes from the records.

func init() { addStep(400, "annual wheel", fillWheel) }

// wheelActivity is one activity of the demo's wheel. start is the first
// due date in days from today (negative: in the past).
type wheelActivity struct {
	title, description, record, serves string
	owner                              isms.Role
	recurrence                         isms.Recurrence
	interval                           int
	start                              int
	topics                             []string
	result, evidence                   string
	remind                             int
}

var wheelActivities = []wheelActivity{
	{title: "Gennemgang af informationssikkerhedspolitikken", owner: isms.RoleCoordinator, recurrence: isms.RecurYearly, start: -495,
		description: "Koordinatoren gennemgår politikken med udgangspunkt i risikovurderingen, auditrapporten og ændringer i lovgivningen og forelægger eventuelle ændringer for direktionen.",
		record:      "Politikken med nyt versionsnummer og direktionens godkendelse", serves: "clause:5.2", topics: []string{"policies", "roles"},
		result: "Politikken er gennemgået; afsnittet om hjemmearbejde er skærpet. Direktionen har godkendt version 4.", evidence: "/scope"},
	{title: "Risikovurdering af forretningskritiske systemer", owner: isms.RoleContributor, recurrence: isms.RecurMonths, interval: 6, start: -430,
		description: "Systemejerne vurderer risici for de forretningskritiske systemer mod fortrolighed, integritet og tilgængelighed og indstiller risikoaccept til direktionen.",
		record:      "Opdateret risikoregister med direktionens risikoaccept", serves: "clause:6.1.2", topics: []string{"objectives"},
		result: "Risikoregistret er opdateret for de otte forretningskritiske systemer; to risici er løftet til direktionen og accepteret.", evidence: "/overview?kind=system"},
	{title: "Intern audit af ISMS'et", owner: isms.RoleAuditor, recurrence: isms.RecurYearly, start: -320,
		description: "Den interne revisor gennemgår ISMS'et efter auditplanen: om styringen lever op til kommunens egne krav og til ISO 27001.",
		record:      "Auditrapport med observationer og anbefalinger", serves: "clause:9.2", topics: []string{"improvement"},
		result: "Auditrapporten har fem observationer og to anbefalinger; handlingsplanen er lagt ind i forbedringsregistret.", evidence: "/checklist"},
	{title: "Ledelsens evaluering af ISMS'et", owner: isms.RoleCoordinator, recurrence: isms.RecurYearly, start: -400,
		description: "Direktionen følger op på målinger og tendenser, auditrapporten, status på handlingsplaner, ændringer i trusselsbilledet og ressourcerne til informationssikkerhed, og beslutter mål og forbedringer for det kommende år.",
		record:      "Referat af direktionens evaluering med beslutninger", serves: "clause:9.3",
		topics: []string{"objectives", "organisation", "resources", "roles", "improvement", "policies"},
		result: "Direktionen har godkendt målene for næste år, afsat en ekstra halv stilling til informationssikkerhed og bekræftet rolle- og ansvarsfordelingen.", evidence: "/checklist"},
	{title: "Awareness-kampagne for medarbejdere", owner: isms.RoleCoordinator, recurrence: isms.RecurQuarterly, start: -440,
		description: "Kvartalets kampagne om phishing, håndtering af fysiske og digitale dokumenter og hjemmearbejde, med en hilsen fra kommunaldirektøren.",
		record:      "Kampagnemateriale og deltagelse i e-læringen", serves: "annex:6.3", topics: []string{"communication"},
		result: "Kampagnen er gennemført; 87 % af medarbejderne har gennemført e-læringen.", evidence: "/overview?kind=competence"},
	{title: "Opfølgning på leverandører og databehandlere", owner: isms.RoleContributor, recurrence: isms.RecurYearly, start: -250,
		description: "Systemejerne gennemgår revisionserklæringer og tilsyn med leverandører, hvor kommunen har outsourcet risikohåndteringen.",
		record:      "Notat om tilsyn med hver leverandør", serves: "annex:5.22", topics: []string{"objectives", "resources"},
		result: "Erklæringerne fra fire leverandører er gennemgået; én afvigelse er fulgt op med leverandøren.", evidence: "/overview?kind=external_factor"},
	{title: "Rapportering af sikkerhedsmålinger til direktionen", owner: isms.RoleCoordinator, recurrence: isms.RecurQuarterly, start: -375,
		description: "Kvartalsrapport med måleprogrammets indikatorer, tendenser og overskredne tærskelværdier.",
		record:      "Kvartalsrapport med indikatorer og tendenser", serves: "clause:9.1", topics: []string{"improvement", "objectives"},
		result: "Rapporten er forelagt direktionen; indikatoren for patch-tid ligger over tærsklen.", evidence: "/checklist", remind: 14},
	{title: "Møde i informationssikkerhedsudvalget", owner: isms.RoleCoordinator, recurrence: isms.RecurMonths, interval: 2, start: -380,
		description: "Udvalget koordinerer sikkerhedsarbejdet på tværs af forvaltningerne, følger op på politikker og retningslinjer og rapporterer til direktionen.",
		record:      "Dagsorden og referat", serves: "guide:2.2", topics: []string{"organisation", "communication", "roles"},
		result: "Mødet er afholdt; referatet er sendt til direktionen.", evidence: "/members"},
}

func fillWheel(d *Demo) error {
	coord := d.As(isms.RoleCoordinator)
	ids := map[int64]wheelActivity{}
	for _, w := range wheelActivities {
		rd := 7
		if w.remind != 0 {
			rd = w.remind
		}
		a, err := d.DB.CreateWheelActivity(coord, d.Org.ID, isms.ActivityInput{Title: w.title, Description: w.description, OwnerID: d.UserID(w.owner),
			Recurrence: w.recurrence, IntervalMonths: w.interval, StartDate: d.Day(w.start), Serves: w.serves, Topics: w.topics,
			RecordText: w.record, RemindDays: &rd})
		if err != nil {
			return fmt.Errorf("activity %q: %w", w.title, err)
		}
		ids[a.ID] = w
	}
	// Last year holds most of the history.
	if _, err := d.DB.OpenWheelYear(coord, d.Org.ID, d.Today.Year()-1); err != nil {
		return err
	}
	past, _, err := d.DB.WheelOccurrences(coord, d.Org.ID, isms.OccurrenceFilter{To: d.Day(-1), Sort: "due_date", Limit: 500})
	if err != nil {
		return err
	}
	// The latest measurement report is still being written (and overdue);
	// the first awareness campaign of the period was merged into the next.
	latest := map[int64]*isms.Occurrence{}
	for _, o := range past {
		latest[o.ActivityID] = o
	}
	skipped := false
	for _, o := range past {
		w := ids[o.ActivityID]
		switch {
		case w.title == wheelActivities[6].title && latest[o.ActivityID] == o && !o.DueDate.Before(d.Today.AddDays(-45)):
			if _, err := d.DB.StartOccurrence(coord, d.Org.ID, o.ID, o.Version); err != nil {
				return err
			}
			continue
		case w.recurrence == isms.RecurQuarterly && w.topics[0] == "communication" && !skipped:
			skipped = true
			if _, err := d.DB.SkipOccurrence(coord, d.Org.ID, o.ID, "Sprunget over på grund af sommerferien; emnet blev lagt ind i efterårets kampagne.", o.Version); err != nil {
				return err
			}
			continue
		}
		// The work is done a few days before or after the due date, never
		// after today; the system owner records his own.
		doneOn := o.DueDate.AddDays(int(o.ID%5) - 2)
		if !doneOn.Before(d.Today) {
			doneOn = d.Today.AddDays(-1)
		}
		by := coord
		if w.owner == isms.RoleContributor {
			by = d.As(isms.RoleContributor)
		}
		if _, err := d.DB.CompleteOccurrence(by, d.Org.ID, o.ID, isms.CompletionInput{Result: w.result, CompletedOn: &doneOn,
			EvidencePath: w.evidence, EvidenceRef: fmt.Sprintf("Sagsnr. %d-%05d", o.DueDate.Year(), 1200+o.ID), Version: o.Version}); err != nil {
			return fmt.Errorf("complete %q %s: %w", w.title, o.DueDate, err)
		}
	}
	// The auditor reads her reminders in English.
	if err := d.DB.SetMailLanguage(d.As(isms.RoleAuditor), "en"); err != nil {
		return err
	}
	// This year's wheel as a plan, approved by the municipal director.
	p, err := d.DB.SubmitYearPlan(coord, d.Org.ID, d.Today.Year(), "Årets hjul med de faste aktiviteter, udvalgsmøderne og kvartalsrapporteringen.")
	if err != nil {
		return err
	}
	_, err = d.DB.ApproveYearPlan(d.As(isms.RoleManagement), d.Org.ID, p.Year, p.Number, p.Checksum)
	return err
}
