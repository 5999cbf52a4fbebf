package demo

import (
	"fmt"
	"strings"

	"github.com/ismsdk/isms"
)

// Resources and the status report (guide 2.4): Solbjerg Kommune's budget
// for the year, per objective and for the ISMS as a whole, granted by
// management; one line of the ISMS as a whole (the internal audit's
// external hours) is granted only in part, so the year's page shows a gap.
// The coordinator presented the status report to the security committee,
// and management acknowledged it with its decisions.

func init() { addStep(660, "resources and status report", fillResources) }

type resSpec struct {
	objective string // start of the objective's title; "" for the ISMS as a whole
	in        isms.ResourceLineInput
	role      string // start of a security role's name, for people
	controls  []string
	activity  string // a word of an annual-wheel activity's title
	task      string // a word of a risk action's title
	granted   *isms.ResourceAmounts
}

func findChoice(cs []isms.ResourceChoice, prefix string, contains bool) []int64 {
	for _, c := range cs {
		l := strings.ToLower(c.Label)
		if (contains && strings.Contains(l, strings.ToLower(prefix))) || (!contains && strings.HasPrefix(c.Label, prefix)) {
			return []int64{c.ID}
		}
	}
	return nil
}

func fillResources(d *Demo) error {
	ctx := d.As(isms.RoleCoordinator)
	year := d.Today.Year()
	c, err := d.DB.ResourceChoices(ctx, d.Org.ID)
	if err != nil {
		return err
	}
	objectives := map[string]int64{}
	for _, o := range c.Objectives {
		objectives[o.Title] = o.ID
	}
	objectiveID := func(prefix string) (*int64, error) {
		for title, id := range objectives {
			if strings.HasPrefix(title, prefix) {
				return &id, nil
			}
		}
		return nil, fmt.Errorf("no objective %q", prefix)
	}
	n := demoNumber
	specs := []resSpec{
		{objective: "Alle medarbejdere", controls: []string{"6.3 "}, activity: "awareness", in: isms.ResourceLineInput{Kind: isms.ResourceMoney,
			Title: "Licens til e-læringskursus i informationssikkerhed", Planned: isms.ResourceAmounts{Operating: n(60000)},
			Note: "Licens for alle 2.400 medarbejdere, inkl. nye medarbejdere i løbet af året."}},
		{objective: "Alle medarbejdere", role: "Informationssikkerhedskoordinator", in: isms.ResourceLineInput{Kind: isms.ResourcePeople,
			Title: "Udsendelse, påmindelser og opfølgning i afdelingerne", Planned: isms.ResourceAmounts{Hours: n(120)}}},
		{objective: "Færre medarbejdere", controls: []string{"6.3 "}, task: "phishing", in: isms.ResourceLineInput{Kind: isms.ResourceExternal,
			Title: "Fire phishingøvelser med læringsside", Supplier: "Phishing-øvelser ApS", Planned: isms.ResourceAmounts{OneOff: n(45000), Hours: n(16)}}},
		{objective: "Kritiske sikkerhedsopdateringer", controls: []string{"8.8 ", "8.19 "}, in: isms.ResourceLineInput{Kind: isms.ResourcePeople,
			Title: "Fast vedligeholdelsesvindue og månedlig rapport", RoleText: "Driftstekniker, Digitalisering og IT", Planned: isms.ResourceAmounts{FTE: n(0.5)}}},
		{objective: "Kritiske sikkerhedsopdateringer", in: isms.ResourceLineInput{Kind: isms.ResourceMoney,
			Title: "Værktøj til automatisk udrulning af opdateringer", Planned: isms.ResourceAmounts{Operating: n(35000), OneOff: n(20000)}}},
		{role: "Informationssikkerhedskoordinator", in: isms.ResourceLineInput{Kind: isms.ResourcePeople,
			Title: "Koordinering af ISMS'et", Planned: isms.ResourceAmounts{FTE: n(1)}}},
		{controls: []string{"5.1 "}, in: isms.ResourceLineInput{Kind: isms.ResourceMoney,
			Title: "ISMS-værktøj og kurser for sikkerhedsrollerne", Planned: isms.ResourceAmounts{Operating: n(150000), OneOff: n(25000)}}},
		{controls: []string{"5.35 "}, in: isms.ResourceLineInput{Kind: isms.ResourceExternal, Title: "Intern audit af ISMS'et",
			Supplier: "Revisionsfirmaet Nord", Planned: isms.ResourceAmounts{Hours: n(80)}},
			granted: &isms.ResourceAmounts{Hours: n(40)}},
	}
	mgmt := d.As(isms.RoleManagement)
	for _, s := range specs {
		in := s.in
		in.Year, in.OwnerID = year, d.UserID(isms.RoleCoordinator)
		if s.objective != "" {
			if in.ObjectiveID, err = objectiveID(s.objective); err != nil {
				return err
			}
		}
		if s.role != "" {
			if ids := findChoice(c.Roles, s.role, false); len(ids) > 0 {
				in.RoleID = &ids[0]
			} else {
				in.RoleText = s.role
			}
		}
		for _, ref := range s.controls {
			in.Controls = append(in.Controls, findChoice(c.Controls, ref, false)...)
		}
		if s.activity != "" {
			in.Activities = findChoice(c.Activities, s.activity, true)
		}
		if s.task != "" {
			in.Tasks = findChoice(c.Tasks, s.task, true)
		}
		l, err := d.DB.CreateResourceLine(ctx, d.Org.ID, in)
		if err != nil {
			return fmt.Errorf("resource line %q: %w", in.Title, err)
		}
		g := in.Planned
		if s.granted != nil {
			g = *s.granted
		}
		note := "Bevilget i budgettet for " + fmt.Sprint(year) + "."
		if s.granted != nil {
			note = "Halvdelen af timerne bevilget; resten vurderes efter første halvår."
		}
		if _, err := d.DB.GrantResourceLine(mgmt, d.Org.ID, l.ID, isms.ResourceGrantInput{Granted: g, Note: note, Version: l.Version}); err != nil {
			return fmt.Errorf("grant %q: %w", in.Title, err)
		}
	}
	// The status report, presented to the security committee.
	forums, err := d.DB.Forums(ctx, d.Org.ID)
	if err != nil {
		return err
	}
	in := isms.StatusReportInput{Title: fmt.Sprintf("Status på informationssikkerheden, %d", year), PresentedOn: d.Day(-7),
		PresentedTo: "Direktionen orienteres af formanden", NextDue: d.Day(175)}
	if len(forums) > 0 {
		in.ForumID = &forums[0].ID
	}
	r, err := d.DB.PresentStatusReport(ctx, d.Org.ID, in)
	if err != nil {
		return fmt.Errorf("status report: %w", err)
	}
	if _, err := d.DB.ReceiveStatusReport(mgmt, d.Org.ID, r.ID, isms.StatusReportReceipt{Version: r.Version,
		Decisions: "Rapporten taget til efterretning. Resten af timerne til intern audit vurderes efter første halvår. Awareness-målet fastholdes."}); err != nil {
		return fmt.Errorf("receive status report: %w", err)
	}
	return nil
}
