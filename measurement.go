package isms

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Monitoring and measurement (guide 2.9 "Overvågning og måling", ISO/IEC
// 27001 clause 9.1). The guide asks for documented guidelines that say
// what is monitored, by which method, how often and by whom ("metoder,
// frekvens og genstande"), and suggests a measurement programme: a set of
// predefined indicators computed and reported according to a plan. Here
// the guidelines are one record per organisation (the method, the
// analysis and to whom the results are reported), and each indicator says
// what it measures, how, how often, by whom, against which target and
// thresholds, and which objective, control or process it evaluates.
//
// An indicator is measured by hand (or imported), or computed by the
// product every day from its own records. A value past the breach
// threshold (or the warning threshold) is recorded as a breach once per
// indicator and period; a breach is an event someone must respond to: it
// becomes a nonconformity in one step, or is closed with a note saying how
// it was handled. Management reviews the results through the status report
// (status_report.go), which carries the indicators.

// IndicatorDirection says whether a higher or a lower value is better.
type IndicatorDirection string

const (
	HigherIsBetter IndicatorDirection = "higher"
	LowerIsBetter  IndicatorDirection = "lower"
)

// IndicatorDirections lists the directions in order.
var IndicatorDirections = []IndicatorDirection{HigherIsBetter, LowerIsBetter}

// Valid reports whether d is a known direction.
func (d IndicatorDirection) Valid() bool { return slices.Contains(IndicatorDirections, d) }

// IndicatorFrequency is how often an indicator is measured and reported.
type IndicatorFrequency string

const (
	MeasureMonthly    IndicatorFrequency = "monthly"
	MeasureQuarterly  IndicatorFrequency = "quarterly"
	MeasureHalfYearly IndicatorFrequency = "half_yearly"
	MeasureYearly     IndicatorFrequency = "yearly"
)

// IndicatorFrequencies lists the frequencies in order.
var IndicatorFrequencies = []IndicatorFrequency{MeasureMonthly, MeasureQuarterly, MeasureHalfYearly, MeasureYearly}

// Valid reports whether f is a known frequency.
func (f IndicatorFrequency) Valid() bool { return slices.Contains(IndicatorFrequencies, f) }

// Months is the length of one period in months.
func (f IndicatorFrequency) Months() int {
	switch f {
	case MeasureQuarterly:
		return 3
	case MeasureHalfYearly:
		return 6
	case MeasureYearly:
		return 12
	}
	return 1
}

// PeriodStart is the first day of the period d falls in: periods are
// calendar months, quarters, halves and years, so a breach is recorded
// once per period whoever measures and however often.
func (f IndicatorFrequency) PeriodStart(d Date) Date {
	n := f.Months()
	m := (int(d.Month())-1)/n*n + 1
	return Date{time.Date(d.Year(), time.Month(m), 1, 0, 0, 0, 0, time.UTC)}
}

// Period names the period d falls in: "2026-03", "2026-Q1", "2026-H1",
// "2026".
func (f IndicatorFrequency) Period(d Date) string {
	start := f.PeriodStart(d)
	switch f {
	case MeasureQuarterly:
		return fmt.Sprintf("%d-Q%d", start.Year(), (int(start.Month())-1)/3+1)
	case MeasureHalfYearly:
		return fmt.Sprintf("%d-H%d", start.Year(), (int(start.Month())-1)/6+1)
	case MeasureYearly:
		return fmt.Sprintf("%d", start.Year())
	}
	return fmt.Sprintf("%d-%02d", start.Year(), int(start.Month()))
}

// IndicatorSource says how an indicator is measured.
type IndicatorSource string

const (
	// SourceHand is measured by a person, entered by hand or imported.
	SourceHand IndicatorSource = "manual"
	// SourceComputed is computed daily by the product from its records.
	SourceComputed IndicatorSource = "computed"
)

// IndicatorEvaluates is the kind of thing an indicator evaluates.
type IndicatorEvaluates string

const (
	EvaluatesObjective IndicatorEvaluates = "objective"
	EvaluatesControl   IndicatorEvaluates = "control"
	EvaluatesProcess   IndicatorEvaluates = "process"
)

// IndicatorEvaluatesKinds lists them in order.
var IndicatorEvaluatesKinds = []IndicatorEvaluates{EvaluatesObjective, EvaluatesControl, EvaluatesProcess}

// Valid reports whether e is a known kind.
func (e IndicatorEvaluates) Valid() bool { return slices.Contains(IndicatorEvaluatesKinds, e) }

// IndicatorLevel is where a value stands against the thresholds.
type IndicatorLevel string

const (
	LevelOK      IndicatorLevel = "ok"
	LevelWarning IndicatorLevel = "warning"
	LevelBreach  IndicatorLevel = "breach"
)

// Computations are the indicators the product computes from its own
// records, by key; each key's definition is the catalogue's
// "meas.comp.<key>" and its computation is in the store.
var Computations = []string{
	"critical_assessed",    // % of business-critical entries with a current risk assessment
	"documents_overdue",    // documents past their review date
	"risks_untreated",      // risks over the acceptance criteria neither treated nor accepted
	"awareness_reach",      // lowest reach among the guide's awareness themes, %
	"wheel_on_time",        // annual-wheel activities of the last 12 months done on time, %
	"nonconformities_late", // open nonconformities with an action or review past its date
}

// ValidComputation reports whether key names a computation.
func ValidComputation(key string) bool { return slices.Contains(Computations, key) }

// Indicator is one indicator of the measurement programme.
type Indicator struct {
	ID             int64              `json:"id"`
	OrganisationID int64              `json:"organisation_id"`
	Title          string             `json:"title"`
	Definition     string             `json:"definition"` // what exactly is counted
	Method         string             `json:"method"`     // how it is measured, from which source
	Source         IndicatorSource    `json:"source"`
	Computation    string             `json:"computation" enum:"Computation,empty"` // the computation's key when computed
	Unit           string             `json:"unit"`
	Direction      IndicatorDirection `json:"direction"`
	Target         *float64           `json:"target"`
	Warning        *float64           `json:"warning"`
	Breach         *float64           `json:"breach"`
	Frequency      IndicatorFrequency `json:"frequency"`
	OwnerID        *int64             `json:"owner_id"`
	OwnerName      string             `json:"owner_name"`
	MeasuredBy     string             `json:"measured_by"` // who measures, when not the owner
	Evaluates      IndicatorEvaluates `json:"evaluates"`
	ObjectiveID    *int64             `json:"objective_id"`
	ObjectiveTitle string             `json:"objective_title"`
	Control        string             `json:"control"` // an Annex A control id, e.g. "5.24"
	Process        string             `json:"process"`
	Active         bool               `json:"active"`
	// The latest value, if any.
	Latest       *float64  `json:"latest"`
	LatestOn     *Date     `json:"latest_on"`
	OpenBreaches int       `json:"open_breaches"`
	Version      int64     `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Level is where a value stands: past the breach threshold, past the
// warning threshold, or within them. A value equal to a threshold has
// reached it.
func (i *Indicator) Level(v float64) IndicatorLevel {
	past := func(t *float64) bool {
		if t == nil {
			return false
		}
		if i.Direction == LowerIsBetter {
			return v >= *t
		}
		return v <= *t
	}
	switch {
	case past(i.Breach):
		return LevelBreach
	case past(i.Warning):
		return LevelWarning
	}
	return LevelOK
}

// LatestLevel is the level of the latest value; "" when none.
func (i *Indicator) LatestLevel() IndicatorLevel {
	if i.Latest == nil {
		return ""
	}
	return i.Level(*i.Latest)
}

// NextDue is the day by which the next value is due: the end of the
// period after the one last measured (a value of each period may be
// entered until the next period ends, since a month is measured when it
// has passed), or for an indicator never measured, the end of the period
// after the one it was created in.
func (i *Indicator) NextDue() Date {
	from := DateOf(i.CreatedAt)
	if i.LatestOn != nil {
		from = *i.LatestOn
	}
	start := i.Frequency.PeriodStart(from)
	return Date{start.AddDate(0, 2*i.Frequency.Months(), -1)}
}

// Overdue reports whether an active indicator has missed its schedule.
func (i *Indicator) Overdue(today Date) bool { return i.Active && i.NextDue().Before(today) }

// TargetText, WarningText, BreachText and LatestText write the numbers.
func (i *Indicator) TargetText() string  { return NumberText(i.Target) }
func (i *Indicator) WarningText() string { return NumberText(i.Warning) }
func (i *Indicator) BreachText() string  { return NumberText(i.Breach) }
func (i *Indicator) LatestText() string  { return NumberText(i.Latest) }

// IndicatorInput is what a caller sets on an indicator.
type IndicatorInput struct {
	Title       string             `json:"title"`
	Definition  string             `json:"definition"`
	Method      string             `json:"method"`
	Source      IndicatorSource    `json:"source"`
	Computation string             `json:"computation" enum:"Computation,empty"`
	Unit        string             `json:"unit"`
	Direction   IndicatorDirection `json:"direction"`
	Target      *float64           `json:"target"`
	Warning     *float64           `json:"warning"`
	Breach      *float64           `json:"breach"`
	Frequency   IndicatorFrequency `json:"frequency"`
	OwnerID     *int64             `json:"owner_id"`
	MeasuredBy  string             `json:"measured_by"`
	Evaluates   IndicatorEvaluates `json:"evaluates"`
	ObjectiveID *int64             `json:"objective_id"`
	Control     string             `json:"control"`
	Process     string             `json:"process"`
	Active      bool               `json:"active"`
	Version     int64              `json:"version"`
}

// CheckThresholds checks that the target and thresholds lie in the
// indicator's direction: for higher-is-better, breach ≤ warning < target
// (a breach is worse than a warning, which is worse than the target), the
// reverse for lower-is-better.
func (in *IndicatorInput) CheckThresholds(v *Validation) {
	worse := func(a, b float64) bool { // a is worse than b
		if in.Direction == LowerIsBetter {
			return a > b
		}
		return a < b
	}
	if in.Warning != nil && in.Target != nil && !worse(*in.Warning, *in.Target) {
		v.Add("warning", "meas.err.warning_order")
	}
	if in.Breach != nil && in.Warning != nil && worse(*in.Warning, *in.Breach) {
		v.Add("breach", "meas.err.breach_order")
	}
	if in.Breach != nil && in.Target != nil && !worse(*in.Breach, *in.Target) {
		v.Add("breach", "meas.err.breach_order")
	}
}

// IndicatorValue is one measured value.
type IndicatorValue struct {
	ID           int64          `json:"id"`
	IndicatorID  int64          `json:"indicator_id"`
	MeasuredOn   Date           `json:"measured_on"`
	Value        float64        `json:"value"`
	Note         string         `json:"note"`
	Source       string         `json:"source"` // manual, import, computed
	RecordedBy   *int64         `json:"recorded_by"`
	RecordedName string         `json:"recorded_by_name"`
	Level        IndicatorLevel `json:"level"`
	CreatedAt    time.Time      `json:"created_at"`
}

// ValueText is the value as written.
func (v *IndicatorValue) ValueText() string { return NumberText(&v.Value) }

// IndicatorValueInput is a value entered by hand.
type IndicatorValueInput struct {
	MeasuredOn *Date    `json:"measured_on"`
	Value      *float64 `json:"value"`
	Note       string   `json:"note"`
}

// IndicatorValueImport is several values imported at once.
type IndicatorValueImport struct {
	Rows []IndicatorValueInput `json:"rows"`
}

// ImportResult says how many values an import recorded.
type ImportResult struct {
	Recorded int `json:"recorded"`
}

// ComputeResult says how many computed indicators got today's value.
type ComputeResult struct {
	Computed int `json:"computed"`
}

// IndicatorBreach is a value past a threshold: once per indicator and
// period, raised from warning to breach if a later value of the period is
// worse.
type IndicatorBreach struct {
	ID                 int64          `json:"id"`
	OrganisationID     int64          `json:"organisation_id"`
	IndicatorID        int64          `json:"indicator_id"`
	IndicatorTitle     string         `json:"indicator_title"`
	Unit               string         `json:"unit"`
	OwnerID            *int64         `json:"owner_id"`
	OwnerName          string         `json:"owner_name"`
	Period             string         `json:"period"`
	MeasuredOn         Date           `json:"measured_on"`
	Value              float64        `json:"value"`
	Level              IndicatorLevel `json:"level"`
	Threshold          float64        `json:"threshold"`
	NonconformityID    *int64         `json:"nonconformity_id"`
	NonconformityTitle string         `json:"nonconformity_title"`
	HandledNote        string         `json:"handled_note"`
	HandledBy          *int64         `json:"handled_by"`
	HandledByName      string         `json:"handled_by_name"`
	HandledAt          *time.Time     `json:"handled_at"`
	Version            int64          `json:"version"`
	CreatedAt          time.Time      `json:"created_at"`
}

// Open reports whether no one has responded to the breach yet.
func (b *IndicatorBreach) Open() bool { return b.NonconformityID == nil && b.HandledAt == nil }

// ValueText and ThresholdText write the numbers.
func (b *IndicatorBreach) ValueText() string     { return NumberText(&b.Value) }
func (b *IndicatorBreach) ThresholdText() string { return NumberText(&b.Threshold) }

// BreachHandling closes a breach without a nonconformity, saying how it
// was handled.
type BreachHandling struct {
	Note    string `json:"note"`
	Version int64  `json:"version"`
}

// BreachFilter narrows the breaches.
type BreachFilter struct {
	Open        bool
	IndicatorID int64
	Offset      int
	Limit       int
}

// IndicatorFilter narrows and orders the indicators.
type IndicatorFilter struct {
	Active  bool
	OwnerID int64
	Source  IndicatorSource
	Query   string
	Sort    string // title, owner, frequency, latest (prefix "-" for descending)
	Offset  int
	Limit   int
}

// MonitoringGuideline is the organisation's documented guideline for
// monitoring and measurement: what is monitored by which method and how
// often (the indicators carry the details), when the results are analysed
// and by whom, and to whom they are reported — a forum of the leadership
// (guide 2.2) where possible — how often.
type MonitoringGuideline struct {
	OrganisationID int64      `json:"organisation_id"`
	Scope          string     `json:"scope"`    // what is monitored and measured, and why
	Methods        string     `json:"methods"`  // methods, so that results are comparable
	Analysis       string     `json:"analysis"` // when and by whom results are analysed and evaluated
	ForumID        *int64     `json:"forum_id"`
	ForumName      string     `json:"forum_name"`
	ReportTo       string     `json:"report_to"`
	ReportMonths   int        `json:"report_months"` // how often results are reported
	UpdatedBy      *int64     `json:"updated_by"`
	UpdatedByName  string     `json:"updated_by_name"`
	UpdatedAt      *time.Time `json:"updated_at"`
	Version        int64      `json:"version"`
}

// Documented reports whether the guideline says what, how, when analysed
// and to whom reported.
func (g *MonitoringGuideline) Documented() bool {
	return g != nil && g.Scope != "" && g.Methods != "" && g.Analysis != "" && (g.ForumID != nil || g.ReportTo != "") && g.ReportMonths > 0
}

// Audience is to whom results are reported, as shown.
func (g *MonitoringGuideline) Audience() string {
	switch {
	case g.ForumName != "" && g.ReportTo != "":
		return g.ForumName + " · " + g.ReportTo
	case g.ForumName != "":
		return g.ForumName
	}
	return g.ReportTo
}

// MonitoringGuidelineInput is what a caller sets on the guideline.
type MonitoringGuidelineInput struct {
	Scope        string `json:"scope"`
	Methods      string `json:"methods"`
	Analysis     string `json:"analysis"`
	ForumID      *int64 `json:"forum_id"`
	ReportTo     string `json:"report_to"`
	ReportMonths int    `json:"report_months"`
	Version      int64  `json:"version"`
}

// IndicatorTemplate is a common ISMS indicator offered as a starting
// point; its title and definition are the catalogue's
// "meas.tpl.<key>.title" and "meas.tpl.<key>.def", and a unit other than
// "%" is the catalogue's "meas.unit.<unit>" in the reader's language.
type IndicatorTemplate struct {
	Key         string             `json:"key"`
	Computation string             `json:"computation" enum:"Computation,empty"` // "" for one measured by hand
	Unit        string             `json:"unit"`
	Direction   IndicatorDirection `json:"direction"`
	Target      float64            `json:"target"`
	Warning     float64            `json:"warning"`
	Breach      float64            `json:"breach"`
	Frequency   IndicatorFrequency `json:"frequency"`
	Evaluates   IndicatorEvaluates `json:"evaluates"`
	Control     string             `json:"control"`
	Process     string             `json:"process"`
}

// IndicatorTemplates are the common indicators offered: the ones the
// product computes, and common ones measured by hand.
var IndicatorTemplates = []IndicatorTemplate{
	{Key: "critical_assessed", Computation: "critical_assessed", Unit: "%", Direction: HigherIsBetter, Target: 100, Warning: 90, Breach: 75, Frequency: MeasureMonthly, Evaluates: EvaluatesProcess, Process: "risk"},
	{Key: "documents_overdue", Computation: "documents_overdue", Unit: "documents", Direction: LowerIsBetter, Target: 0, Warning: 1, Breach: 3, Frequency: MeasureMonthly, Evaluates: EvaluatesControl, Control: "5.1"},
	{Key: "risks_untreated", Computation: "risks_untreated", Unit: "risks", Direction: LowerIsBetter, Target: 0, Warning: 1, Breach: 3, Frequency: MeasureMonthly, Evaluates: EvaluatesProcess, Process: "risk"},
	{Key: "awareness_reach", Computation: "awareness_reach", Unit: "%", Direction: HigherIsBetter, Target: 90, Warning: 80, Breach: 60, Frequency: MeasureQuarterly, Evaluates: EvaluatesControl, Control: "6.3"},
	{Key: "wheel_on_time", Computation: "wheel_on_time", Unit: "%", Direction: HigherIsBetter, Target: 95, Warning: 85, Breach: 70, Frequency: MeasureMonthly, Evaluates: EvaluatesProcess, Process: "wheel"},
	{Key: "nonconformities_late", Computation: "nonconformities_late", Unit: "nonconformities", Direction: LowerIsBetter, Target: 0, Warning: 1, Breach: 3, Frequency: MeasureMonthly, Evaluates: EvaluatesProcess, Process: "improvement"},
	{Key: "patch_critical", Unit: "%", Direction: HigherIsBetter, Target: 95, Warning: 90, Breach: 80, Frequency: MeasureMonthly, Evaluates: EvaluatesControl, Control: "8.8"},
	{Key: "phishing_clicks", Unit: "%", Direction: LowerIsBetter, Target: 5, Warning: 10, Breach: 20, Frequency: MeasureQuarterly, Evaluates: EvaluatesControl, Control: "6.3"},
	{Key: "backup_restore", Unit: "%", Direction: HigherIsBetter, Target: 100, Warning: 95, Breach: 90, Frequency: MeasureQuarterly, Evaluates: EvaluatesControl, Control: "8.13"},
	{Key: "access_reviews", Unit: "%", Direction: HigherIsBetter, Target: 100, Warning: 90, Breach: 75, Frequency: MeasureQuarterly, Evaluates: EvaluatesControl, Control: "5.18"},
	{Key: "incident_response", Unit: "hours", Direction: LowerIsBetter, Target: 4, Warning: 8, Breach: 24, Frequency: MeasureMonthly, Evaluates: EvaluatesControl, Control: "5.26"},
}

// IndicatorTemplateByKey finds a template.
func IndicatorTemplateByKey(key string) (IndicatorTemplate, bool) {
	for _, t := range IndicatorTemplates {
		if t.Key == key {
			return t, true
		}
	}
	return IndicatorTemplate{}, false
}

// MeasurementService keeps the monitoring guideline, the measurement
// programme and its values and breaches (guide 2.9, clause 9.1).
type MeasurementService interface {
	MonitoringGuideline(ctx context.Context, orgID int64) (*MonitoringGuideline, error)
	// SaveMonitoringGuideline sets the guideline (PermEdit), refusing a
	// stale version.
	SaveMonitoringGuideline(ctx context.Context, orgID int64, in MonitoringGuidelineInput) (*MonitoringGuideline, error)
	Indicators(ctx context.Context, orgID int64, f IndicatorFilter) ([]*Indicator, int, error)
	Indicator(ctx context.Context, orgID, id int64) (*Indicator, error)
	CreateIndicator(ctx context.Context, orgID int64, in IndicatorInput) (*Indicator, error)
	UpdateIndicator(ctx context.Context, orgID, id int64, in IndicatorInput) (*Indicator, error)
	DeleteIndicator(ctx context.Context, orgID, id, version int64) error
	// IndicatorValues lists an indicator's values, oldest first.
	IndicatorValues(ctx context.Context, orgID, id int64) ([]*IndicatorValue, error)
	// AddIndicatorValue records a value measured by hand; a value past a
	// threshold records the period's breach.
	AddIndicatorValue(ctx context.Context, orgID, id int64, in IndicatorValueInput) (*IndicatorValue, error)
	// ImportIndicatorValues records several values at once, all or none.
	ImportIndicatorValues(ctx context.Context, orgID, id int64, in IndicatorValueImport) (*ImportResult, error)
	DeleteIndicatorValue(ctx context.Context, orgID, id, valueID int64) error
	// ComputeIndicators computes today's value of every active computed
	// indicator of the organisation now (PermEdit), and answers how many
	// were computed.
	ComputeIndicators(ctx context.Context, orgID int64) (*ComputeResult, error)
	IndicatorBreaches(ctx context.Context, orgID int64, f BreachFilter) ([]*IndicatorBreach, int, error)
	// BreachNonconformity turns an open breach into a nonconformity
	// (source "measurement") linked to it, in one step.
	BreachNonconformity(ctx context.Context, orgID, breachID, version int64) (*Nonconformity, error)
	// HandleBreach closes an open breach with a note on how it was handled.
	HandleBreach(ctx context.Context, orgID, breachID int64, in BreachHandling) (*IndicatorBreach, error)
	// OpenMeasurementBreaches lists the breaches no one has responded to,
	// with the indicator's owner and the day measured, for notifications.
	OpenMeasurementBreaches(ctx context.Context, orgID int64) ([]*IndicatorBreach, error)
}
