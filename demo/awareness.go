package demo

import (
	"fmt"

	"github.com/ismsdk/isms"
)

// Awareness (guide 2.6): Solbjerg Kommune's behaviour policy, approved by
// the municipal director and published, with its acknowledgement link and
// the first acknowledgements; and the awareness programme of this year and
// last: the yearly e-learning on the guide's themes for all staff, the
// quarterly newsletter and the yearly phishing exercise, each brought round
// by the annual wheel and held on time, the introduction for new
// employees, a workshop for the system owners and two phishing exercises
// with their results. Checklist questions 4.5 and 4.7 answer yes from
// these records.

func init() {
	addStep(480, "awareness", fillAwareness)
	addStep(495, "acknowledgements of the behaviour policy", fillAcknowledgements)
}

// The titles the participation demo looks activities up by.
const (
	AwarenessELearning      = "E-læring: Informationssikkerhed for alle"
	AwarenessPhishingSpring = "Phishing-øvelse forår"
	AwarenessPhishingAutumn = "Phishing-øvelse efterår"
	AwarenessIntroduction   = "Introduktion for nye medarbejdere"
)

const behaviourPolicyText = `Adfærdspolitik for medarbejdere i Solbjerg Kommune

Formål
Politikken beskriver, hvordan du som medarbejder i Solbjerg Kommune handler, så borgernes og kommunens oplysninger er beskyttet, og risikoen for sikkerhedshændelser bliver så lille som muligt. Den gælder alle ansatte, vikarer, elever og konsulenter og supplerer informationssikkerhedspolitikken.

1. Rapportér hændelser straks
Opdager du noget usædvanligt – en mistænkelig mail, en bortkommen computer eller telefon, et brev sendt til den forkerte borger, eller at nogen har fået adgang til noget, de ikke skulle have – så kontakter du IT-servicedesken på telefon 7777 1234 eller sikkerhed@solbjerg.example med det samme. Det er altid rigtigt at rapportere, også hvis du selv har lavet fejlen.

2. Håndtér information efter dens klassifikation
Fortrolige og følsomme personoplysninger sendes kun med sikker mail eller Digital Post. Papirer med personoplysninger låses inde, når du går fra dit skrivebord, og makuleres i de aflåste containere. Du printer med aftrækskort og henter straks dine udskrifter.

3. Lås din skærm og beskyt dit login
Lås skærmen (Windows-tast + L), hver gang du forlader din computer. Din adgangskode og dit login med MitID eller nøglekort er personlige; du deler dem aldrig, heller ikke med kolleger eller IT-support. Brug en lang adgangssætning og den godkendte adgangskodeboks.

4. Arbejd sikkert hjemme og på farten
Du arbejder kun på kommunens udstyr og via kommunens VPN. Tal ikke om fortrolige sager, hvor andre kan høre det, og sørg for, at ingen kan se din skærm i toget eller på caféen. Udstyr opbevares ikke synligt i bilen.

5. Vær på vagt over for phishing
Klik ikke på links og åbn ikke vedhæftede filer i mails, du ikke venter. Kommunen beder dig aldrig om din adgangskode på mail. Brug knappen »Rapportér phishing« i Outlook, hvis du er i tvivl.

6. Deltag i awareness-aktiviteterne
Du gennemfører kommunens årlige e-læring i informationssikkerhed og deltager i de øvrige aktiviteter, din leder beder dig om.

Overtrædelse af politikken kan få ansættelsesretlige konsekvenser. Spørgsmål stilles til informationssikkerhedskoordinatoren.`

// awarenessStatus is held on the day given when it has passed, else
// planned (the demo can be made on any day of the year).
func (d *Demo) awarenessHeld(in *isms.AwarenessActivityInput, on isms.Date) {
	if on.Before(d.Today) {
		in.Status, in.HeldOn = isms.AwarenessHeld, &on
	} else {
		in.Status = isms.AwarenessPlanned
	}
}

// lastOn is the latest given day of the year (month and day) before today.
func (d *Demo) lastOn(month, day int) isms.Date {
	t := isms.MonthDay(d.Today.Year(), month, day)
	if !t.Before(d.Today) {
		t = isms.MonthDay(d.Today.Year()-1, month, day)
	}
	return t
}

func fillAwareness(d *Demo) error {
	coord := d.As(isms.RoleCoordinator)
	y := d.Today.Year()
	// The behaviour policy, next in the register after the guide's documents.
	if err := d.addDocument(len(demoDocuments)+1, docSpec{kind: isms.DocBehaviourPolicy, title: "Adfærdspolitik for medarbejdere",
		class: isms.ClassPublic, owner: isms.RoleCoordinator, interval: 12, clause: "7.3", versions: []string{behaviourPolicyText}}, nil); err != nil {
		return fmt.Errorf("behaviour policy: %w", err)
	}

	roles, err := d.DB.SecurityRoles(coord, d.Org.ID)
	if err != nil {
		return err
	}
	var systemOwners []int64
	for _, r := range roles {
		if r.TemplateKey == "system_owner" {
			systemOwners = append(systemOwners, r.ID)
		}
	}
	date := func(year, month, day int) *isms.Date { t := isms.MonthDay(year, month, day); return &t }
	owner := d.UserID(isms.RoleCoordinator)
	create := func(in isms.AwarenessActivityInput) (*isms.AwarenessActivity, error) {
		if in.OwnerID == nil {
			in.OwnerID = owner
		}
		a, err := d.DB.CreateAwarenessActivity(coord, d.Org.ID, in)
		if err != nil {
			return nil, fmt.Errorf("awareness activity %q: %w", in.Title, err)
		}
		return a, nil
	}
	guide := []string{isms.ThemeIncidentReporting, isms.ThemeInformationHandling, isms.ThemeRemoteWork, isms.ThemePasswords}

	// The yearly e-learning, due by 1 March each year, made with its
	// wheel activity; last year's round is its own record.
	el := isms.AwarenessActivityInput{Title: AwarenessELearning, Themes: guide, Channel: isms.ChannelELearning, Target: isms.TargetAllStaff,
		Description: "Årets obligatoriske e-læring (ca. 30 minutter): hvordan du rapporterer en sikkerhedshændelse, håndterer fysiske og digitale dokumenter, arbejder sikkert hjemme og vælger en god adgangssætning. Afsluttes med en test.",
		StartsOn:    date(y, 2, 1), EndsOn: date(y, 3, 1),
		NewWheelActivity: &isms.AwarenessWheelInput{Recurrence: isms.RecurYearly, StartDate: date(y-1, 3, 1),
			RecordText: "Kurset er åbnet for alle medarbejdere, og gennemførelsen er registreret"}}
	d.awarenessHeld(&el, *el.EndsOn)
	elearning, err := create(el)
	if err != nil {
		return err
	}
	last := el
	last.Title, last.StartsOn, last.EndsOn, last.NewWheelActivity, last.WheelActivityID = fmt.Sprintf("E-læring: Informationssikkerhed %d", y-1),
		date(y-1, 2, 1), date(y-1, 3, 1), nil, elearning.WheelActivityID
	d.awarenessHeld(&last, *last.EndsOn)
	if _, err := create(last); err != nil {
		return err
	}

	// The quarterly newsletter, from January last year on.
	news, err := create(isms.AwarenessActivityInput{Title: "Nyhedsbrev om informationssikkerhed", Channel: isms.ChannelEmail, Target: isms.TargetAllStaff,
		Themes:      []string{isms.ThemePhishing, isms.ThemeIncidentReporting, isms.ThemeRemoteWork},
		Description: "Kvartalsvist nyhedsbrev fra informationssikkerhedskoordinatoren: aktuelle trusler, en hændelse og hvad vi lærte af den, og et godt råd.",
		StartsOn:    date(y-1, 1, 15), EndsOn: date(y, 12, 31), Status: isms.AwarenessRunning,
		NewWheelActivity: &isms.AwarenessWheelInput{Recurrence: isms.RecurQuarterly, RecordText: "Nyhedsbrevet er udsendt til alle medarbejdere"}})
	if err != nil {
		return err
	}

	// Two phishing exercises with their results; the autumn one is the
	// yearly exercise of the wheel.
	spring, autumn := d.lastOn(4, 20), d.lastOn(10, 6)
	sp := isms.AwarenessActivityInput{Title: AwarenessPhishingSpring, Channel: isms.ChannelPhishing, Target: isms.TargetAllStaff,
		Themes:      []string{isms.ThemePhishing},
		Description: "Simuleret phishing-mail om en pakke, der venter hos PostNord. Medarbejdere, der klikkede, fik en kort vejledning.",
		StartsOn:    &spring, Status: isms.AwarenessHeld, HeldOn: &spring, ExerciseSent: intp(352), ExerciseClicked: intp(67), ExerciseReported: intp(58)}
	if _, err := create(sp); err != nil {
		return err
	}
	au := isms.AwarenessActivityInput{Title: AwarenessPhishingAutumn, Channel: isms.ChannelPhishing, Target: isms.TargetAllStaff,
		Themes:      []string{isms.ThemePhishing, isms.ThemePasswords},
		Description: "Simuleret mail fra »IT-servicedesken« om en udløbet adgangskode med link til en falsk loginside.",
		StartsOn:    &autumn, Status: isms.AwarenessHeld, HeldOn: &autumn, ExerciseSent: intp(358), ExerciseClicked: intp(29), ExerciseReported: intp(141),
		NewWheelActivity: &isms.AwarenessWheelInput{Recurrence: isms.RecurYearly, StartDate: date(autumn.Year()-1, 10, 6),
			RecordText: "Øvelsen er gennemført, og resultatet (modtagere, klik og rapporteringer) er registreret"}}
	phishing, err := create(au)
	if err != nil {
		return err
	}

	// The introduction for new employees, the workshop for the system
	// owners and last year's poster campaign.
	if _, err := create(isms.AwarenessActivityInput{Title: AwarenessIntroduction, Channel: isms.ChannelMeeting, Target: isms.TargetNewEmployees,
		Themes:      []string{isms.ThemeIncidentReporting, isms.ThemeInformationHandling, isms.ThemePasswords},
		Description: "En times introduktion på den første arbejdsdag: adfærdspolitikken, hvordan du rapporterer hændelser, og hvordan du logger sikkert på.",
		StartsOn:    date(y, 1, 1), EndsOn: date(y, 12, 31), Status: isms.AwarenessRunning}); err != nil {
		return err
	}
	if len(systemOwners) > 0 {
		ws := isms.AwarenessActivityInput{Title: "Workshop for systemejere: adgangsstyring og hændelser", Channel: isms.ChannelMeeting,
			Target: isms.TargetRoles, RoleIDs: systemOwners, Themes: []string{isms.ThemeIncidentReporting, "Adgangsstyring"},
			Description: "Halvdagsworkshop om periodisk gennemgang af brugeradgange og om systemejerens rolle, når der sker en hændelse.",
			StartsOn:    date(y-1, 11, 12), OwnerID: d.UserID(isms.RoleContributor)}
		d.awarenessHeld(&ws, *ws.StartsOn)
		if _, err := d.DB.CreateAwarenessActivity(d.As(isms.RoleContributor), d.Org.ID, ws); err != nil {
			return fmt.Errorf("awareness activity %q: %w", ws.Title, err)
		}
	}
	poster := isms.AwarenessActivityInput{Title: "Plakatkampagne: Lås skærmen – hver gang", Channel: isms.ChannelPoster, Target: isms.TargetAllStaff,
		Themes: []string{isms.ThemeInformationHandling, "Ryddeligt skrivebord"}, StartsOn: date(y-1, 9, 1), EndsOn: date(y-1, 9, 30)}
	d.awarenessHeld(&poster, *poster.EndsOn)
	if _, err := create(poster); err != nil {
		return err
	}

	// Every past occurrence of the three wheel activities was done on its
	// due date or the day before.
	for _, w := range []struct {
		act    *isms.AwarenessActivity
		result string
	}{{elearning, "E-læringen er åbnet for alle, og gennemførelsen er registreret."}, {news, "Nyhedsbrevet er udsendt til alle medarbejdere."},
		{phishing, "Øvelsen er gennemført; modtagere, klik og rapporteringer er registreret."}} {
		occs, _, err := d.DB.WheelOccurrences(coord, d.Org.ID, isms.OccurrenceFilter{ActivityID: *w.act.WheelActivityID, To: d.Day(-1), Sort: "due_date", Limit: 100})
		if err != nil {
			return err
		}
		for _, o := range occs {
			on := o.DueDate.AddDays(-int(o.ID % 2))
			if _, err := d.DB.CompleteOccurrence(coord, d.Org.ID, o.ID, isms.CompletionInput{Result: w.result, CompletedOn: &on,
				EvidencePath: fmt.Sprintf("/awareness/activities/%d", w.act.ID), Version: o.Version}); err != nil {
				return fmt.Errorf("complete %s: %w", o.DueDate, err)
			}
		}
	}

	// The coordinator puts the three wheel activities under the management
	// topic of communication and submits the year's wheel again, which the
	// municipal director approves.
	for _, a := range []*isms.AwarenessActivity{elearning, news, phishing} {
		w, err := d.DB.WheelActivity(coord, d.Org.ID, *a.WheelActivityID)
		if err != nil {
			return err
		}
		rd := w.RemindDays
		if _, err := d.DB.UpdateWheelActivity(coord, d.Org.ID, w.ID, isms.ActivityInput{Title: w.Title, Description: w.Description, OwnerID: w.OwnerID,
			Recurrence: w.Recurrence, IntervalMonths: w.IntervalMonths, StartDate: &w.StartDate, Serves: w.Serves, Topics: []string{"communication"},
			RecordText: w.RecordText, RemindDays: &rd, Status: w.Status, Version: w.Version}); err != nil {
			return fmt.Errorf("wheel activity %q: %w", w.Title, err)
		}
	}
	p, err := d.DB.SubmitYearPlan(coord, d.Org.ID, y, "Årets hjul med awareness-programmets faste aktiviteter: e-læringen, nyhedsbrevet og phishing-øvelsen.")
	if err != nil {
		return err
	}
	if _, err := d.DB.ApproveYearPlan(d.As(isms.RoleManagement), d.Org.ID, p.Year, p.Number, p.Checksum); err != nil {
		return err
	}
	if _, err := d.DB.SaveRetentionRule(coord, d.Org.ID, isms.RetentionRuleInput{Kind: isms.DocBehaviourPolicy, RetentionMonths: 60,
		DeletionProcedure: "Afløste versioner slettes i ISMS'et efter fem år."}); err != nil {
		return err
	}

	return nil
}

// fillAcknowledgements asks staff to acknowledge the behaviour policy,
// once the units exist (the participation step makes them): the link, and
// the first from each unit who followed it, more in some units than others.
func fillAcknowledgements(d *Demo) error {
	coord := d.As(isms.RoleCoordinator)
	set, err := d.DB.AwarenessSettings(coord, d.Org.ID)
	if err != nil {
		return err
	}
	set.AcknowledgementWanted = true
	if _, err := d.DB.UpdateAwarenessSettings(coord, d.Org.ID, *set); err != nil {
		return err
	}
	units, err := d.DB.OrgUnits(coord, d.Org.ID)
	if err != nil {
		return err
	}
	unitID := map[string]int64{}
	for _, u := range units {
		unitID[u.Name] = u.ID
	}
	token, _, err := d.DB.CreateAcknowledgementLink(coord, d.Org.ID)
	if err != nil {
		return err
	}
	for _, p := range demoStaff() {
		// One in three of IT og Digitalisering, one in six elsewhere: the
		// link went out with IT's newsletter first.
		every := 6
		if p.unit == "IT og Digitalisering" {
			every = 3
		}
		if p.n%every != 0 {
			continue
		}
		id := unitID[p.unit]
		if _, err := d.DB.Acknowledge(d.ctx, token, isms.AcknowledgementInput{Name: p.name, Email: p.email, UnitID: &id, Accept: true}); err != nil {
			return fmt.Errorf("acknowledgement of %s: %w", p.email, err)
		}
	}
	return nil
}

func intp(n int) *int { return &n }
