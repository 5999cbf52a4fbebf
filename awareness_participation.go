package isms

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"
)

// Participation in the awareness programme (guide 2.6): the organisation's
// units with their staff counts, who took part in which activity (entered
// one by one or imported from what an e-learning system or HR exports),
// the reach per unit and theme in the last twelve months against the
// units' sizes, and the organisation's reach threshold.

// OrgUnitInput is what a caller sets on a unit.
type OrgUnitInput struct {
	Name       string `json:"name"`
	StaffCount int    `json:"staff_count"`
	Version    int64  `json:"version"`
}

// MaxStaffCount bounds a unit's staff count.
const MaxStaffCount = 1000000

// ParticipationInput is one participation entered by hand: a person by
// name and/or e-mail address, the activity, the day and, for a quiz or an
// e-learning test, the score in per cent.
type ParticipationInput struct {
	ActivityID int64    `json:"activity_id"`
	Name       string   `json:"name"`
	Email      string   `json:"email"`
	UnitID     *int64   `json:"unit_id"`
	TakenOn    *Date    `json:"taken_on"`
	Score      *float64 `json:"score"`
}

// ParticipationFilter narrows the list of participation. From and To
// bound the day taken, both included.
type ParticipationFilter struct {
	ActivityID int64  `json:"activity_id"`
	UnitID     int64  `json:"unit_id"`
	Theme      string `json:"theme"`
	From       *Date  `json:"from"`
	To         *Date  `json:"to"`
	Offset     int    `json:"offset"`
	Limit      int    `json:"limit"`
}

// PersonKey identifies a person across activities: the e-mail address in
// lower case when there is one, otherwise the name as compared.
func PersonKey(name, email string) string {
	if e := strings.ToLower(strings.TrimSpace(email)); e != "" {
		return e
	}
	return CompareKey(name)
}

// ParseScore reads a score as exports write it. A score is a per cent
// from 0 to 100: "85", "85 %", "85,5" and "85.5" are read as written; a
// fraction written with a decimal separator and no per cent sign, at most
// 1 ("0,85", "0.85", "1,0"), is read as that share of 100, as e-learning
// systems that export fractions write it. Anything else is not a score
// (ok false); a number outside 0–100 is returned for the caller to refuse.
func ParseScore(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	pct := strings.HasSuffix(s, "%")
	s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	if s == "" || strings.Count(s, ",")+strings.Count(s, ".") > 1 {
		return 0, false
	}
	decimal := strings.ContainsAny(s, ",.")
	f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	if !pct && decimal && f >= 0 && f <= 1 {
		f *= 100
	}
	return math.Round(f*100) / 100, true
}

// SheetColumn is a recognised column of an imported spreadsheet: the
// field it fills, the heading it has, and its letter.
type SheetColumn struct {
	Field  string `json:"field"`
	Header string `json:"header"`
	Letter string `json:"letter"`
}

// SheetRow is one data row of an imported spreadsheet: its row number in
// the file and its cells by field.
type SheetRow struct {
	Row   int               `json:"row"`
	Cells map[string]string `json:"cells"`
}

// ParticipationSheet is a participation file as read, before it is
// checked against the records.
type ParticipationSheet struct {
	Filename  string        `json:"filename"`
	SHA256    string        `json:"sha256"`
	HeaderRow int           `json:"header_row"`
	Columns   []SheetColumn `json:"columns"`
	Ignored   []string      `json:"ignored"`
	Rows      []SheetRow    `json:"rows"`
}

// Has reports whether the sheet has a column for the field.
func (s *ParticipationSheet) Has(field string) bool {
	for _, c := range s.Columns {
		if c.Field == field {
			return true
		}
	}
	return false
}

// The fields of a participation file.
var ParticipationSheetFields = []string{"name", "email", "unit", "activity", "date", "score"}

// ParticipationRowStatus is what an import does with one row.
type ParticipationRowStatus string

const (
	RowNew      ParticipationRowStatus = "new"      // stored by the import
	RowExisting ParticipationRowStatus = "existing" // already recorded; skipped
	RowProblem  ParticipationRowStatus = "problem"  // refused, with its reasons
)

// ParticipationPreviewRow is one row of a file as the import would take
// it.
type ParticipationPreviewRow struct {
	Row        int                    `json:"row"`
	Person     string                 `json:"person"`
	Email      string                 `json:"email"`
	UnitID     *int64                 `json:"unit_id"`
	Unit       string                 `json:"unit"`
	ActivityID int64                  `json:"activity_id"`
	Activity   string                 `json:"activity"`
	TakenOn    *Date                  `json:"taken_on"`
	Score      *float64               `json:"score"`
	Status     ParticipationRowStatus `json:"status"`
	Problems   []Message              `json:"problems"`
}

// ParticipationPreview is what importing a file would do: every row with
// its status, the problems by row, and the counts.
type ParticipationPreview struct {
	Filename   string                     `json:"filename"`
	SHA256     string                     `json:"sha256"`
	ActivityID *int64                     `json:"activity_id"` // chosen for a file without an activity column
	Columns    []SheetColumn              `json:"columns"`
	Ignored    []string                   `json:"ignored"`
	Rows       []*ParticipationPreviewRow `json:"rows"`
	Problems   []ImportProblem            `json:"problems"`
	New        int                        `json:"new"`
	Existing   int                        `json:"existing"`
	Imported   bool                       `json:"imported"`
	ImportID   *int64                     `json:"import_id"`
}

// AwarenessImport is one import of participation from a file.
type AwarenessImport struct {
	ID           int64     `json:"id"`
	Filename     string    `json:"filename"`
	SHA256       string    `json:"sha256"`
	RowCount     int       `json:"row_count"`
	Remaining    int       `json:"remaining"` // its participations still recorded
	ImportedBy   string    `json:"imported_by"`
	ImportedAt   time.Time `json:"imported_at"`
	ImportedByID *int64    `json:"imported_by_id"`
}

// ReachCell is the reach of one theme in a unit, or in the whole
// organisation: distinct people reached against the staff.
type ReachCell struct {
	Theme   string `json:"theme"`
	People  int    `json:"people"`
	Staff   int    `json:"staff"`
	Percent int    `json:"percent"` // rounded down; 0 when there is no staff
	Met     bool   `json:"met"`     // at or over the threshold
}

// UnitReach is one unit's row of the reach view.
type UnitReach struct {
	Unit  *OrgUnit    `json:"unit"`
	Cells []ReachCell `json:"cells"`
}

// AwarenessReach is who was reached in the last twelve months, per unit
// and theme against the unit's staff, and per theme against all staff. A
// person is counted once per theme and unit, however many activities on
// the theme they took.
type AwarenessReach struct {
	From       Date         `json:"from"`
	To         Date         `json:"to"`
	Threshold  int          `json:"threshold"`
	TotalStaff int          `json:"total_staff"`
	Themes     []string     `json:"themes"` // the guide's themes, then those with participation
	Units      []*UnitReach `json:"units"`
	Totals     []ReachCell  `json:"totals"`
	// Participations counts the participations in the period.
	Participations int `json:"participations"`
}

// ReachPercent is people against staff in whole per cent, rounded down.
func ReachPercent(people, staff int) int {
	if staff <= 0 {
		return 0
	}
	return people * 100 / staff
}

// Total is the reach of a theme against all staff; ok false when the
// theme is not in the view.
func (r *AwarenessReach) Total(theme string) (ReachCell, bool) {
	for _, c := range r.Totals {
		if c.Theme == theme {
			return c, true
		}
	}
	return ReachCell{}, false
}

// ExerciseResult is one phishing exercise's result over time.
type ExerciseResult struct {
	ActivityID   int64   `json:"activity_id"`
	Title        string  `json:"title"`
	On           Date    `json:"on"`
	Sent         int     `json:"sent"`
	Clicked      int     `json:"clicked"`
	Reported     int     `json:"reported"`
	ClickRate    float64 `json:"click_rate"`  // per cent
	ReportRate   float64 `json:"report_rate"` // per cent
	ClickedKnown bool    `json:"clicked_known"`
}

// ScoreResult is the average score of one activity's participants.
type ScoreResult struct {
	ActivityID int64            `json:"activity_id"`
	Title      string           `json:"title"`
	Channel    AwarenessChannel `json:"channel"`
	On         Date             `json:"on"` // the last day a score was recorded
	Average    float64          `json:"average"`
	Scores     int              `json:"scores"`
}

// AwarenessEffect is the effect of the programme over time: phishing
// exercises' click and report rates, and average scores per activity,
// oldest first.
type AwarenessEffect struct {
	Exercises []ExerciseResult `json:"exercises"`
	Scores    []ScoreResult    `json:"scores"`
}

// AwarenessParticipationService keeps units, participation and reach.
type AwarenessParticipationService interface {
	// AwarenessActivities is the programme's list (AwarenessService's),
	// which the filters and the import offer.
	AwarenessActivities(ctx context.Context, orgID int64, f AwarenessActivityFilter) ([]*AwarenessActivity, error)

	OrgUnits(ctx context.Context, orgID int64) ([]*OrgUnit, error)
	OrgUnit(ctx context.Context, orgID, id int64) (*OrgUnit, error)
	CreateOrgUnit(ctx context.Context, orgID int64, in OrgUnitInput) (*OrgUnit, error)
	UpdateOrgUnit(ctx context.Context, orgID, id int64, in OrgUnitInput) (*OrgUnit, error)
	DeleteOrgUnit(ctx context.Context, orgID, id, version int64) error

	Participations(ctx context.Context, orgID int64, f ParticipationFilter) ([]*Participation, int, error)
	CreateParticipation(ctx context.Context, orgID int64, in ParticipationInput) (*Participation, error)
	DeleteParticipation(ctx context.Context, orgID, id int64) error

	PreviewParticipation(ctx context.Context, orgID int64, s *ParticipationSheet, activityID *int64) (*ParticipationPreview, error)
	StageParticipation(ctx context.Context, orgID int64, s *ParticipationSheet, activityID *int64) (*ParticipationPreview, error)
	StagedParticipation(ctx context.Context, orgID int64, sha string) (*ParticipationPreview, error)
	ImportParticipation(ctx context.Context, orgID int64, s *ParticipationSheet, activityID *int64) (*ParticipationPreview, error)
	ImportStagedParticipation(ctx context.Context, orgID int64, sha string) (*ParticipationPreview, error)
	DiscardStagedParticipation(ctx context.Context, orgID int64, sha string) error
	AwarenessImports(ctx context.Context, orgID int64) ([]*AwarenessImport, error)
	UndoAwarenessImport(ctx context.Context, orgID, id int64) error

	AwarenessReach(ctx context.Context, orgID int64) (*AwarenessReach, error)
	AwarenessEffect(ctx context.Context, orgID int64) (*AwarenessEffect, error)
	AwarenessSettings(ctx context.Context, orgID int64) (*AwarenessSettings, error)
	UpdateAwarenessSettings(ctx context.Context, orgID int64, in AwarenessSettings) (*AwarenessSettings, error)
}

// scoreText writes a score for a page: whole per cents without decimals.
func scoreText(s *float64) string {
	if s == nil {
		return ""
	}
	return strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(*s, 'f', 2, 64), "0"), ".") + " %"
}

// ScoreText is the score as a page shows it, "" for none.
func (p *Participation) ScoreText() string { return scoreText(p.Score) }

// ScoreText is the score as a page shows it, "" for none.
func (r *ParticipationPreviewRow) ScoreText() string { return scoreText(r.Score) }
