package demo

import (
	"fmt"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
)

// Awareness participation (guide 2.6): Solbjerg Kommune's units with their
// staff, a year's participation in the awareness programme as the
// e-learning system exports it, two phishing exercises and quizzes, so
// that checklist question 4.6 is answered yes from the records and the
// effect charts have something to show. The programme's activities are
// found by title, and created here only when the programme's own part of
// the demo has not made them.

func init() { addStep(490, "awareness participation", FillAwarenessParticipation) }

var demoUnits = []struct {
	name  string
	staff int
}{{"Borgerservice", 48}, {"Teknik og Miljø", 62}, {"Børn og Unge", 85}, {"Ældre og Sundhed", 110}, {"IT og Digitalisering", 22}, {"Økonomi og HR", 33}}

var demoFirstNames = []string{"Anne", "Mette", "Lars", "Henrik", "Camilla", "Jens", "Louise", "Mikkel", "Sofie", "Peter", "Hanne", "Søren",
	"Ida", "Rasmus", "Maria", "Thomas", "Line", "Niels", "Julie", "Morten", "Karen", "Jesper", "Pia", "Anders", "Birgitte", "Kasper"}

var demoLastNames = []string{"Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen",
	"Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen", "Johansen", "Knudsen", "Mortensen", "Møller"}

// demoPerson is one member of staff in a unit.
type demoPerson struct {
	name, email, unit string
	n                 int // the person's number, for spreading dates and scores
}

// demoStaff makes the staff of every unit, with names and e-mail
// addresses as the municipality's directory has them.
func demoStaff() []demoPerson {
	var out []demoPerson
	n := 0
	for ui, u := range demoUnits {
		for i := 0; i < u.staff; i++ {
			first := demoFirstNames[(n*7+ui)%len(demoFirstNames)]
			last := demoLastNames[(n*11+i)%len(demoLastNames)]
			mail := strings.NewReplacer("æ", "ae", "ø", "oe", "å", "aa").Replace(strings.ToLower(first + "." + last))
			out = append(out, demoPerson{name: first + " " + last, email: fmt.Sprintf("%s%d@solbjerg.example", mail, n+1), unit: u.name, n: n})
			n++
		}
	}
	return out
}

// demoActivity is an activity of the programme the participation needs.
type demoActivity struct {
	title   string
	themes  []string
	channel isms.AwarenessChannel
	target  isms.AwarenessTarget
	start   int // days from today
	held    int // days from today; 0 for not held yet
	// A phishing exercise's result.
	sent, clicked, reported int
}

var demoParticipationActivities = []demoActivity{
	{title: "E-læring: Informationssikkerhed for alle", channel: isms.ChannelELearning, target: isms.TargetAllStaff, start: -210, held: -20,
		themes: []string{isms.ThemeIncidentReporting, isms.ThemeInformationHandling, isms.ThemeRemoteWork, isms.ThemePhishing, isms.ThemePasswords}},
	{title: "Phishing-øvelse forår", channel: isms.ChannelPhishing, target: isms.TargetAllStaff, start: -250, held: -250,
		themes: []string{isms.ThemePhishing}, sent: 352, clicked: 67, reported: 58},
	{title: "Phishing-øvelse efterår", channel: isms.ChannelPhishing, target: isms.TargetAllStaff, start: -70, held: -70,
		themes: []string{isms.ThemePhishing}, sent: 358, clicked: 29, reported: 141},
	{title: "Introduktion for nye medarbejdere", channel: isms.ChannelMeeting, target: isms.TargetNewEmployees, start: -330,
		themes: []string{isms.ThemeIncidentReporting, isms.ThemeInformationHandling, isms.ThemeRemoteWork}},
	{title: "Quiz: Phishing og adgangskoder, forår", channel: isms.ChannelQuiz, target: isms.TargetAllStaff, start: -230, held: -225,
		themes: []string{isms.ThemePhishing, isms.ThemePasswords}},
	{title: "Quiz: Phishing og adgangskoder, efterår", channel: isms.ChannelQuiz, target: isms.TargetAllStaff, start: -50, held: -45,
		themes: []string{isms.ThemePhishing, isms.ThemePasswords}},
}

// demoActivityIDs finds the activities by title, creating those the
// programme's part of the demo has not made.
func (d *Demo) demoActivityIDs() (map[string]int64, error) {
	coord := d.As(isms.RoleCoordinator)
	have, err := d.DB.AwarenessActivities(coord, d.Org.ID, isms.AwarenessActivityFilter{})
	if err != nil {
		return nil, err
	}
	ids := map[string]int64{}
	for _, a := range have {
		ids[isms.CompareKey(a.Title)] = a.ID
	}
	out := map[string]int64{}
	for _, a := range demoParticipationActivities {
		if id, ok := ids[isms.CompareKey(a.title)]; ok {
			out[a.title] = id
			continue
		}
		in := isms.AwarenessActivityInput{Title: a.title, Themes: a.themes, Channel: a.channel, Target: a.target, StartsOn: d.Day(a.start),
			OwnerID: d.UserID(isms.RoleCoordinator), Status: isms.AwarenessRunning}
		if a.held != 0 {
			in.Status, in.HeldOn = isms.AwarenessHeld, d.Day(a.held)
			if a.held > a.start {
				in.EndsOn = d.Day(a.held)
			}
		}
		if a.sent > 0 {
			in.ExerciseSent, in.ExerciseClicked, in.ExerciseReported = &a.sent, &a.clicked, &a.reported
		}
		created, err := d.DB.CreateAwarenessActivity(coord, d.Org.ID, in)
		if err != nil {
			return nil, fmt.Errorf("awareness activity %q: %w", a.title, err)
		}
		out[a.title] = created.ID
	}
	return out, nil
}

// FillAwarenessParticipation fills the units and a year's participation.
func FillAwarenessParticipation(d *Demo) error {
	coord := d.As(isms.RoleCoordinator)
	for _, u := range demoUnits {
		if _, err := d.DB.CreateOrgUnit(coord, d.Org.ID, isms.OrgUnitInput{Name: u.name, StaffCount: u.staff}); err != nil {
			return fmt.Errorf("unit %q: %w", u.name, err)
		}
	}
	acts, err := d.demoActivityIDs()
	if err != nil {
		return err
	}
	staff := demoStaff()
	// Each activity's participants, as its export lists them: who, from
	// which unit, on which day, with a score where the activity gives one.
	imports := []struct {
		activity, file string
		take           func(p demoPerson) bool
		day            func(p demoPerson) int
		score          func(p demoPerson) string
	}{
		// The yearly e-learning: nearly nine in ten of every unit, spread
		// over the months it ran.
		{"E-læring: Informationssikkerhed for alle", "elaering-informationssikkerhed.csv", func(p demoPerson) bool { return p.n%9 != 4 },
			func(p demoPerson) int { return -200 + (p.n*37)%175 }, func(p demoPerson) string { return fmt.Sprint(70 + (p.n*13)%31) }},
		// New employees' introduction, for the year's newcomers.
		{"Introduktion for nye medarbejdere", "introduktion-nye.csv", func(p demoPerson) bool { return p.n%17 == 3 },
			func(p demoPerson) int { return -320 + (p.n*23)%300 }, func(demoPerson) string { return "" }},
		// The quizzes: fewer took them; the autumn scores are better.
		{"Quiz: Phishing og adgangskoder, forår", "quiz-foraar.csv", func(p demoPerson) bool { return p.n%5 < 2 },
			func(p demoPerson) int { return -225 + p.n%10 }, func(p demoPerson) string { return fmt.Sprint(55 + (p.n*7)%36) }},
		{"Quiz: Phishing og adgangskoder, efterår", "quiz-efteraar.csv", func(p demoPerson) bool { return p.n%5 < 3 },
			func(p demoPerson) int { return -45 + p.n%10 }, func(p demoPerson) string { return fmt.Sprint(68 + (p.n*7)%31) }},
	}
	for _, imp := range imports {
		var rows []map[string]string
		var csv strings.Builder
		for _, p := range staff {
			if !imp.take(p) {
				continue
			}
			day := d.Day(imp.day(p)).String()
			rows = append(rows, map[string]string{"name": p.name, "email": p.email, "unit": p.unit, "date": day, "score": imp.score(p)})
			fmt.Fprintf(&csv, "%s;%s;%s;%s;%s\n", p.name, p.email, p.unit, day, imp.score(p))
		}
		id := acts[imp.activity]
		sheet := export.ParticipationFromRows(imp.file, []byte(csv.String()), rows)
		pv, err := d.DB.ImportParticipation(coord, d.Org.ID, sheet, &id)
		if err != nil {
			return fmt.Errorf("participation in %q: %w", imp.activity, err)
		}
		if len(pv.Problems) > 0 {
			return fmt.Errorf("participation in %q: %d problems, the first in row %d: %s", imp.activity, len(pv.Problems), pv.Problems[0].Row,
				pv.Problems[0].Message.Key)
		}
	}
	return nil
}
