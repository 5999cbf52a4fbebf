package demo

import (
	"fmt"
	"strings"

	"github.com/ismsdk/isms"
)

// Monitoring and measurement (guide 2.9, clause 9.1): Solbjerg Kommune's
// guideline for monitoring, reported to the security committee; a
// measurement programme of indicators measured by hand with a year of
// values, and indicators the product computes from the records; a breach
// of the patching indicator turned into a nonconformity, another closed
// with a note. The step runs before the status report to management
// (660), so the report presented carries the programme's results.

func init() { addStep(655, "measurement programme", fillMeasurement) }

type demoIndicator struct {
	template  string
	owner     isms.Role
	title     string // "" keeps the template's
	values    []float64
	notes     map[int]string // by value index
	control   string         // overrides the template's
	objective string         // an objective's title prefix it evaluates
}

var demoIndicators = []demoIndicator{
	{template: "patch_critical", owner: administrator, title: "Kritiske opdateringer installeret inden 14 dage",
		values: []float64{91, 93, 96, 95, 97, 78, 88, 94, 96, 97, 95, 96}, notes: map[int]string{5: "Vedligeholdelsesvinduet aflyst to gange i ferien"}},
	{template: "phishing_clicks", owner: contributor, objective: "Færre medarbejdere klikker",
		values: []float64{14, 11, 9, 7}, notes: map[int]string{0: "Første øvelse", 3: "Efter læringsforløbet"}},
	{template: "backup_restore", owner: administrator, values: []float64{100, 100, 96, 100}},
	{template: "incident_response", owner: coordinator, values: []float64{6, 4, 3, 5, 3, 2, 4, 3, 9, 3, 2, 3}},
	{template: "critical_assessed", owner: coordinator},
	{template: "risks_untreated", owner: coordinator},
	{template: "documents_overdue", owner: coordinator},
	{template: "nonconformities_late", owner: coordinator},
}

const (
	demoGuidelineScope    = "Informationssikkerhedsprocesserne og kontrollerne i Statement of Applicability, sikkerhedsmålene og leverandørernes leverancer. Måleprogrammet under Måling, audit og ledelsens evaluering angiver for hver indikator, hvad der måles, hvordan, hvor ofte og af hvem."
	demoGuidelineMethods  = "Indikatorer, som systemet beregner dagligt ud fra registreringerne (risikovurderinger, dokumentgennemgang, afvigelser), og indikatorer, som den ansvarlige måler månedligt eller kvartalsvis ud fra udtræk af driftens værktøjer efter den samme metode hver gang, så målingerne kan sammenlignes."
	demoGuidelineAnalysis = "Informationssikkerhedskoordinatoren analyserer resultaterne hvert kvartal og forelægger dem med udviklingen og overskridelserne for Informationssikkerhedsudvalget. Overskridelser af tærskelværdier håndteres straks af indikatorens ejer som afvigelse eller med en begrundelse."
)

func fillMeasurement(d *Demo) error {
	ctx := d.As(isms.RoleCoordinator)
	g := isms.MonitoringGuidelineInput{Scope: demoGuidelineScope, Methods: demoGuidelineMethods, Analysis: demoGuidelineAnalysis,
		ReportTo: "Direktionen orienteres halvårligt", ReportMonths: 6}
	forums, err := d.DB.Forums(ctx, d.Org.ID)
	if err != nil {
		return err
	}
	if len(forums) > 0 {
		g.ForumID = &forums[0].ID
	}
	if _, err := d.DB.SaveMonitoringGuideline(ctx, d.Org.ID, g); err != nil {
		return fmt.Errorf("guideline: %w", err)
	}
	objs, _, err := d.DB.Objectives(ctx, d.Org.ID, isms.ObjectiveFilter{Limit: 100})
	if err != nil {
		return err
	}
	for _, spec := range demoIndicators {
		t, ok := isms.IndicatorTemplateByKey(spec.template)
		if !ok {
			return fmt.Errorf("no indicator template %s", spec.template)
		}
		in := demoIndicatorInput(t, spec, d.UserID(spec.owner))
		if spec.objective != "" {
			for _, o := range objs {
				if strings.HasPrefix(o.Title, spec.objective) {
					in.Evaluates, in.ObjectiveID = isms.EvaluatesObjective, &o.ID
				}
			}
		}
		ind, err := d.DB.CreateIndicator(d.As(spec.owner), d.Org.ID, in)
		if err != nil {
			return fmt.Errorf("indicator %s: %w", spec.template, err)
		}
		if len(spec.values) == 0 {
			continue
		}
		// A value for each of the last periods, the latest for the period
		// just ended, each entered on its period's last day.
		imp := isms.IndicatorValueImport{}
		n := len(spec.values)
		for i, v := range spec.values {
			day := periodEnd(d.Today, t.Frequency, n-i)
			imp.Rows = append(imp.Rows, isms.IndicatorValueInput{MeasuredOn: &day, Value: &v, Note: spec.notes[i]})
		}
		if _, err := d.DB.ImportIndicatorValues(d.As(spec.owner), d.Org.ID, ind.ID, imp); err != nil {
			return fmt.Errorf("values of %s: %w", spec.template, err)
		}
	}
	if _, err := d.DB.ComputeIndicators(ctx, d.Org.ID); err != nil {
		return fmt.Errorf("compute indicators: %w", err)
	}
	// The patching breach became a nonconformity; the incident response
	// warning was explained.
	open, err := d.DB.OpenMeasurementBreaches(ctx, d.Org.ID)
	if err != nil {
		return err
	}
	for _, b := range open {
		switch {
		case b.Level == isms.LevelBreach && strings.HasPrefix(b.IndicatorTitle, "Kritiske opdateringer"):
			if _, err := d.DB.BreachNonconformity(d.As(isms.RoleAdministrator), d.Org.ID, b.ID, b.Version); err != nil {
				return fmt.Errorf("breach to nonconformity: %w", err)
			}
		case strings.HasPrefix(b.IndicatorTitle, "Klik i phishing"):
			if _, err := d.DB.HandleBreach(d.As(isms.RoleContributor), d.Org.ID, b.ID, isms.BreachHandling{Version: b.Version,
				Note: "Følges af sikkerhedsmålet om færre klik og læringsforløbet efter hver øvelse."}); err != nil {
				return fmt.Errorf("handle breach: %w", err)
			}
		case strings.HasPrefix(b.IndicatorTitle, "Tid til første reaktion"):
			if _, err := d.DB.HandleBreach(ctx, d.Org.ID, b.ID, isms.BreachHandling{Version: b.Version,
				Note: "Hændelsen blev opdaget fredag eftermiddag; vagtordningen dækker nu også fredag. Ingen yderligere handling."}); err != nil {
				return fmt.Errorf("handle breach: %w", err)
			}
		}
	}
	return nil
}

func demoIndicatorInput(t isms.IndicatorTemplate, spec demoIndicator, owner *int64) isms.IndicatorInput {
	title := spec.title
	if title == "" {
		title = demoTemplateTitles[t.Key]
	}
	target, warning, breach := t.Target, t.Warning, t.Breach
	unit := t.Unit
	if u, ok := demoIndicatorUnits[unit]; ok {
		unit = u
	}
	in := isms.IndicatorInput{Title: title, Definition: demoTemplateDefinitions[t.Key], Computation: t.Computation, Unit: unit,
		Direction: t.Direction, Target: &target, Warning: &warning, Breach: &breach, Frequency: t.Frequency, OwnerID: owner,
		Evaluates: t.Evaluates, Control: t.Control, Process: t.Process, Active: true}
	if spec.control != "" {
		in.Control = spec.control
	}
	if t.Computation == "" {
		in.Method = "Udtræk fra driftens værktøjer ved periodens udgang, efter samme forespørgsel hver gang."
	} else {
		in.Method = "Beregnes dagligt af systemet ud fra registreringerne."
	}
	switch t.Process {
	case "risk":
		in.Process = "Risikostyring"
	case "wheel":
		in.Process = "Årshjulet"
	case "improvement":
		in.Process = "Afvigelser og forbedringer"
	}
	return in
}

var demoIndicatorUnits = map[string]string{"documents": "dokumenter", "risks": "risici", "nonconformities": "afvigelser", "hours": "timer"}

// The demo is in Danish; the product offers the templates in the reader's
// language.
var demoTemplateTitles = map[string]string{
	"phishing_clicks":      "Klik i phishingøvelser",
	"backup_restore":       "Vellykkede gendannelsestest",
	"incident_response":    "Tid til første reaktion på sikkerhedshændelser",
	"critical_assessed":    "Kritiske aktiver med aktuel risikovurdering",
	"risks_untreated":      "Risici over acceptkriterierne uden håndtering",
	"documents_overdue":    "Dokumenter med overskredet gennemgang",
	"nonconformities_late": "Åbne afvigelser over deres frist",
}

var demoTemplateDefinitions = map[string]string{
	"patch_critical":       "Andel af kritiske sikkerhedsopdateringer installeret på servere og klienter inden 14 dage efter frigivelse.",
	"phishing_clicks":      "Andel af modtagerne, der klikkede på linket i kvartalets phishingøvelse.",
	"backup_restore":       "Andel af kvartalets gendannelsestest af sikkerhedskopier af fagsystemerne, der lykkedes.",
	"incident_response":    "Gennemsnitligt antal timer fra en sikkerhedshændelse opdages, til håndteringen begynder.",
	"critical_assessed":    "Andel af de aktive forretningskritiske processer, informationer og it-systemer med en aktuel risikovurdering.",
	"risks_untreated":      "Antal risici over acceptkriterierne, der hverken er håndteret eller accepteret af ledelsen.",
	"documents_overdue":    "Antal dokumenter, hvis dato for næste gennemgang er passeret.",
	"nonconformities_late": "Antal åbne afvigelser med en handling eller opfølgning over fristen.",
}

// periodEnd is the last day of the period back periods before today's:
// back 1 is the period just ended.
func periodEnd(today isms.Date, f isms.IndicatorFrequency, back int) isms.Date {
	start := f.PeriodStart(today)
	return isms.Date{Time: start.AddDate(0, -f.Months()*(back-1), -1)}
}
