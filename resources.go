package isms

import (
	"context"
	"slices"
	"strconv"
	"time"
)

// Resources (guide 2.4, ISO/IEC 27001 clauses 6.2 and 7.1): what the
// objectives, and the ISMS as a whole, need in the year's budget, and what
// management has granted. A resource line belongs to a budget year and
// either to one objective or to the ISMS as a whole. It is money (DKK,
// operating and one-off), people (FTE or hours for a role) or external help
// (DKK and/or hours from a supplier). Each line has the amounts planned
// (needed) and the amounts granted, so a gap shows. Granting is
// management's act of its own: who granted and when is kept, and when the
// planned amounts change after a grant, the line says the grant was given
// for the amounts as they were on its date.

// ResourceKind is what a resource line is.
type ResourceKind string

const (
	ResourceMoney    ResourceKind = "money"
	ResourcePeople   ResourceKind = "people"
	ResourceExternal ResourceKind = "external"
)

// ResourceKinds lists the kinds in order.
var ResourceKinds = []ResourceKind{ResourceMoney, ResourcePeople, ResourceExternal}

// Valid reports whether k is a known kind.
func (k ResourceKind) Valid() bool { return slices.Contains(ResourceKinds, k) }

// ResourceAmounts are the amounts of one line, planned or granted. Which
// of them a kind uses: money DKK operating and one-off; people FTE and
// hours; external help DKK (operating and one-off) and hours. None is nil.
type ResourceAmounts struct {
	Operating *float64 `json:"dkk_operating"` // DKK a year
	OneOff    *float64 `json:"dkk_one_off"`   // DKK once
	FTE       *float64 `json:"fte"`
	Hours     *float64 `json:"hours"`
}

func val(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// Empty reports whether no amount is given.
func (a ResourceAmounts) Empty() bool {
	return a.Operating == nil && a.OneOff == nil && a.FTE == nil && a.Hours == nil
}

// Covers reports whether these amounts (granted) are at least those
// (planned), amount by amount.
func (a ResourceAmounts) Covers(planned ResourceAmounts) bool {
	return val(a.Operating) >= val(planned.Operating) && val(a.OneOff) >= val(planned.OneOff) &&
		val(a.FTE) >= val(planned.FTE) && val(a.Hours) >= val(planned.Hours)
}

// ResourceLink is a control, annual-wheel activity or risk treatment
// action a resource line carries.
type ResourceLink struct {
	Kind    string `json:"kind"` // control, activity, task
	ID      int64  `json:"id"`
	Label   string `json:"label"`    // the control's reference and Danish title, the activity's or action's title
	LabelEN string `json:"label_en"` // the control's reference and English title
}

// Text is the link's label in a language.
func (l ResourceLink) Text(lang string) string {
	if lang == "en" && l.LabelEN != "" {
		return l.LabelEN
	}
	return l.Label
}

// Path is the link's record page below /orgs/{id}.
func (l ResourceLink) Path() string {
	switch l.Kind {
	case LinkControl:
		return "/soa/controls/" + strconv.FormatInt(l.ID, 10)
	case LinkActivity:
		return "/wheel/activities/" + strconv.FormatInt(l.ID, 10)
	}
	return "/risk-tasks/" + strconv.FormatInt(l.ID, 10)
}

// Resource link kinds.
const (
	LinkControl  = "control"
	LinkActivity = "activity"
	LinkTask     = "task"
)

// ResourceLine is one line of the year's resources.
type ResourceLine struct {
	ID             int64        `json:"id"`
	OrganisationID int64        `json:"organisation_id"`
	Year           int          `json:"year"`
	ObjectiveID    *int64       `json:"objective_id"` // none: the ISMS as a whole
	ObjectiveTitle string       `json:"objective_title"`
	ObjectiveOwner *int64       `json:"objective_owner_id"`
	Kind           ResourceKind `json:"kind"`
	Title          string       `json:"title"` // what it is for
	// For people: a security role of guide 2.2, or a role in words.
	RoleID   *int64          `json:"role_id"`
	RoleName string          `json:"role_name"`
	RoleText string          `json:"role_text"`
	Supplier string          `json:"supplier"` // for external help
	Planned  ResourceAmounts `json:"planned"`
	Granted  ResourceAmounts `json:"granted"`
	// GrantedAt is when management last recorded the grant, by whom, and
	// for which version of the line.
	GrantedBy      *int64         `json:"granted_by"`
	GrantedByName  string         `json:"granted_by_name"`
	GrantedAt      *time.Time     `json:"granted_at"`
	GrantedVersion int64          `json:"granted_version"`
	GrantNote      string         `json:"grant_note"`
	Links          []ResourceLink `json:"links"`
	OwnerID        *int64         `json:"owner_id"`
	OwnerName      string         `json:"owner_name"`
	Note           string         `json:"note"`
	Version        int64          `json:"version"`
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`
}

// IsGranted reports whether management has recorded a grant on the line.
func (l *ResourceLine) IsGranted() bool { return l != nil && l.GrantedAt != nil }

// Gap reports whether what is planned is not covered by what was granted
// (a line never granted has a gap).
func (l *ResourceLine) Gap() bool { return !l.IsGranted() || !l.Granted.Covers(l.Planned) }

// ChangedSinceGrant reports whether the line changed after the grant, so
// the grant shown is the one given as of its date.
func (l *ResourceLine) ChangedSinceGrant() bool {
	return l.IsGranted() && l.GrantedVersion != l.Version
}

// RoleLabel is the role a people line is for, as shown.
func (l *ResourceLine) RoleLabel() string {
	if l.RoleName != "" {
		return l.RoleName
	}
	return l.RoleText
}

// ResourceLineInput is what a caller sets on a resource line; the granted
// amounts are set by GrantResourceLine only.
type ResourceLineInput struct {
	Year        int             `json:"year"`
	ObjectiveID *int64          `json:"objective_id"`
	Kind        ResourceKind    `json:"kind"`
	Title       string          `json:"title"`
	RoleID      *int64          `json:"role_id"`
	RoleText    string          `json:"role_text"`
	Supplier    string          `json:"supplier"`
	Planned     ResourceAmounts `json:"planned"`
	Controls    []int64         `json:"controls"`   // control ids of the SoA
	Activities  []int64         `json:"activities"` // annual-wheel activity ids
	Tasks       []int64         `json:"tasks"`      // risk treatment action ids
	OwnerID     *int64          `json:"owner_id"`
	Note        string          `json:"note"`
	Version     int64           `json:"version"`
}

// ResourceGrantInput is management's grant on a line, for the version
// read.
type ResourceGrantInput struct {
	Granted ResourceAmounts `json:"granted"`
	Note    string          `json:"grant_note"`
	Version int64           `json:"version"`
}

// ResourceTotals adds up lines, planned and granted, per measure.
type ResourceTotals struct {
	Lines            int     `json:"lines"`
	Gaps             int     `json:"gaps"`
	PlannedOperating float64 `json:"planned_dkk_operating"`
	GrantedOperating float64 `json:"granted_dkk_operating"`
	PlannedOneOff    float64 `json:"planned_dkk_one_off"`
	GrantedOneOff    float64 `json:"granted_dkk_one_off"`
	PlannedFTE       float64 `json:"planned_fte"`
	GrantedFTE       float64 `json:"granted_fte"`
	PlannedHours     float64 `json:"planned_hours"`
	GrantedHours     float64 `json:"granted_hours"`
	PlannedExternal  float64 `json:"planned_external_dkk"`
	GrantedExternal  float64 `json:"granted_external_dkk"`
	PlannedExtHours  float64 `json:"planned_external_hours"`
	GrantedExtHours  float64 `json:"granted_external_hours"`
}

// Add counts one line.
func (t *ResourceTotals) Add(l *ResourceLine) {
	t.Lines++
	if l.Gap() {
		t.Gaps++
	}
	p, g := l.Planned, l.Granted
	if l.Kind == ResourceExternal {
		t.PlannedExternal += val(p.Operating) + val(p.OneOff)
		t.GrantedExternal += val(g.Operating) + val(g.OneOff)
		t.PlannedExtHours += val(p.Hours)
		t.GrantedExtHours += val(g.Hours)
		return
	}
	t.PlannedOperating += val(p.Operating)
	t.GrantedOperating += val(g.Operating)
	t.PlannedOneOff += val(p.OneOff)
	t.GrantedOneOff += val(g.OneOff)
	t.PlannedFTE += val(p.FTE)
	t.GrantedFTE += val(g.FTE)
	t.PlannedHours += val(p.Hours)
	t.GrantedHours += val(g.Hours)
}

// TotalRow is one measure of the totals, for tables.
type TotalRow struct {
	Key              string  `json:"key"` // catalogue key naming the measure
	Planned, Granted float64 `json:"-"`
}

// Gap reports whether less was granted than planned.
func (r TotalRow) Gap() bool { return r.Granted < r.Planned }

// Rows lists the measures that have an amount.
func (t ResourceTotals) Rows() []TotalRow {
	all := []TotalRow{{"res.m.operating", t.PlannedOperating, t.GrantedOperating}, {"res.m.one_off", t.PlannedOneOff, t.GrantedOneOff},
		{"res.m.fte", t.PlannedFTE, t.GrantedFTE}, {"res.m.hours", t.PlannedHours, t.GrantedHours},
		{"res.m.external", t.PlannedExternal, t.GrantedExternal}, {"res.m.external_hours", t.PlannedExtHours, t.GrantedExtHours}}
	var out []TotalRow
	for _, r := range all {
		if r.Planned != 0 || r.Granted != 0 {
			out = append(out, r)
		}
	}
	return out
}

// ObjectiveResources is one objective's lines of the year.
type ObjectiveResources struct {
	ObjectiveID int64           `json:"objective_id"`
	Title       string          `json:"title"`
	Current     bool            `json:"current"`
	Lines       []*ResourceLine `json:"lines"`
	Totals      ResourceTotals  `json:"totals"`
}

// ResourceYear is the year's budget of the ISMS: every line, the totals
// for the ISMS as a whole and per objective, the current objectives with
// no resources listed, and what the lines carry.
type ResourceYear struct {
	Year       int                   `json:"year"`
	Years      []int                 `json:"years"` // years with lines, and this one
	Totals     ResourceTotals        `json:"totals"`
	ISMS       []*ResourceLine       `json:"isms_lines"`
	ISMSTotals ResourceTotals        `json:"isms_totals"`
	Objectives []*ObjectiveResources `json:"objectives"`
	// Unresourced are the current objectives with no line this year.
	Unresourced []*Objective `json:"unresourced"`
	// Carried are the controls, activities and actions the lines carry.
	Carried []ResourceLink `json:"carried"`
}

// ResourceChoice is something a line may carry, offered in the form.
type ResourceChoice struct {
	ID      int64  `json:"id"`
	Label   string `json:"label"`
	LabelEN string `json:"label_en"`
}

// Text is the choice's label in a language.
func (c ResourceChoice) Text(lang string) string {
	if lang == "en" && c.LabelEN != "" {
		return c.LabelEN
	}
	return c.Label
}

// ResourceChoices are what a line may point at.
type ResourceChoices struct {
	Objectives []*Objective     `json:"objectives"`
	Roles      []ResourceChoice `json:"roles"`
	Controls   []ResourceChoice `json:"controls"`
	Activities []ResourceChoice `json:"activities"`
	Tasks      []ResourceChoice `json:"tasks"`
}

// ResourceService keeps the resource lines.
type ResourceService interface {
	ResourceYear(ctx context.Context, orgID int64, year int) (*ResourceYear, error)
	ResourceLine(ctx context.Context, orgID, id int64) (*ResourceLine, error)
	ObjectiveResources(ctx context.Context, orgID, objectiveID int64, year int) ([]*ResourceLine, error)
	CreateResourceLine(ctx context.Context, orgID int64, in ResourceLineInput) (*ResourceLine, error)
	UpdateResourceLine(ctx context.Context, orgID, id int64, in ResourceLineInput) (*ResourceLine, error)
	DeleteResourceLine(ctx context.Context, orgID, id, version int64) error
	// GrantResourceLine records management's grant (PermApprove).
	GrantResourceLine(ctx context.Context, orgID, id int64, in ResourceGrantInput) (*ResourceLine, error)
	ResourceChoices(ctx context.Context, orgID int64) (*ResourceChoices, error)
	StatusReportService
}
