package isms

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Risk management (guide 2.3, ISO/IEC 27001 clauses 6.1.2, 6.1.3, 8.2 and
// 8.3): the assets whose confidentiality, integrity and availability are at
// stake, the threats to them, the organisation's risk method (a likelihood ×
// consequence scale and the criteria for accepting risk), the risk
// assessments of assets, processes and scenarios with one risk per relevant
// threat, the treatment of each risk with its planned controls and actions,
// the residual risk, and management's acceptance of what remains above the
// acceptance criteria.

// AssetKind is what an asset is. The business-critical processes,
// information and IT systems of the business overview (guide 2.1) are the
// primary assets; supporting assets are what they depend on.
type AssetKind string

const (
	AssetProcess     AssetKind = "process"     // primary: a business-critical process
	AssetInformation AssetKind = "information" // primary: business-critical information
	AssetSystem      AssetKind = "system"      // primary: a business-critical IT system
	AssetHardware    AssetKind = "hardware"    // supporting: servers, laptops, network equipment
	AssetSoftware    AssetKind = "software"    // supporting: applications, platforms, services
	AssetLocation    AssetKind = "location"    // supporting: buildings, server rooms, offices
	AssetSupplier    AssetKind = "supplier"    // supporting: an outsourced service or its provider
	AssetPerson      AssetKind = "person"      // supporting: key staff, roles
)

// PrimaryAssetKinds are the business overview's registers that are assets.
var PrimaryAssetKinds = []AssetKind{AssetProcess, AssetInformation, AssetSystem}

// SupportingAssetKinds are the kinds of asset added in the risk element.
var SupportingAssetKinds = []AssetKind{AssetHardware, AssetSoftware, AssetLocation, AssetSupplier, AssetPerson}

// AssetKinds lists every kind, primary first.
var AssetKinds = append(append([]AssetKind{}, PrimaryAssetKinds...), SupportingAssetKinds...)

// Valid reports whether k is a known kind.
func (k AssetKind) Valid() bool {
	for _, x := range AssetKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Primary reports whether assets of this kind come from the business overview.
func (k AssetKind) Primary() bool {
	return k == AssetProcess || k == AssetInformation || k == AssetSystem
}

// CIA is a level for each of confidentiality, integrity and availability.
type CIA struct {
	Confidentiality Level `json:"confidentiality"`
	Integrity       Level `json:"integrity"`
	Availability    Level `json:"availability"`
}

// Max is the highest of the three.
func (c CIA) Max() Level { return max(c.Confidentiality, c.Integrity, c.Availability) }

// String writes the three levels as C/I/A, e.g. "4/3/2".
func (c CIA) String() string {
	return fmt.Sprintf("%d/%d/%d", c.Confidentiality, c.Integrity, c.Availability)
}

// CIAOverride marks which of an asset's needs are set by hand instead of
// derived.
type CIAOverride struct {
	Confidentiality bool `json:"confidentiality"`
	Integrity       bool `json:"integrity"`
	Availability    bool `json:"availability"`
}

// Any reports whether any need is set by hand.
func (o CIAOverride) Any() bool { return o.Confidentiality || o.Integrity || o.Availability }

// Asset is something whose confidentiality, integrity or availability the
// risk assessments protect. A primary asset is a business-overview entry:
// its name, description and status are the entry's, and its needs are
// derived from the entry's requirement levels unless set by hand. A
// supporting asset's needs are derived from the primary assets it supports.
type Asset struct {
	ID             int64       `json:"id"`
	OrganisationID int64       `json:"organisation_id"`
	Kind           AssetKind   `json:"kind"`
	EntryID        *int64      `json:"entry_id"` // the business-overview entry of a primary asset
	Name           string      `json:"name"`
	Description    string      `json:"description"`
	OwnerID        *int64      `json:"owner_id"`
	OwnerName      string      `json:"owner_name"`
	Status         EntryStatus `json:"status"`
	// Needs are the effective needs: set by hand where Overridden says so,
	// derived elsewhere.
	Needs      CIA         `json:"needs"`
	Derived    CIA         `json:"derived_needs"`
	Overridden CIAOverride `json:"overridden"`
	// Criticality is how much the organisation depends on the asset, 1–4;
	// derived as the highest need unless set by hand.
	Criticality           Level   `json:"criticality"`
	CriticalityOverridden bool    `json:"criticality_overridden"`
	Supports              []int64 `json:"supports"`     // primary assets a supporting asset serves
	SupportedBy           []int64 `json:"supported_by"` // supporting assets a primary asset depends on
	// Assessment is the state of the asset's latest risk assessment.
	AssessmentID     *int64          `json:"assessment_id"`
	AssessmentStatus AssetAssessment `json:"assessment_status"`
	RiskCount        int             `json:"risk_count"`
	Version          int64           `json:"version"`
	CreatedAt        time.Time       `json:"created_at"`
	UpdatedAt        time.Time       `json:"updated_at"`
}

// AssetAssessment is where an asset stands with its risk assessment.
type AssetAssessment string

const (
	AssetUnassessed    AssetAssessment = "none"        // never assessed
	AssetInProgress    AssetAssessment = "in_progress" // an assessment is under way, none completed
	AssetCurrent       AssetAssessment = "current"     // assessed, not due, nothing changed
	AssetReassessDue   AssetAssessment = "due"         // past its reassessment date
	AssetReassessAdHoc AssetAssessment = "ad_hoc"      // marked for ad-hoc reassessment, or its needs changed
)

// AssetInput is what a caller sets on an asset. For a primary asset the
// kind, name, description and status are the business overview's and are
// ignored here. A nil need or criticality means "derive it".
type AssetInput struct {
	Kind            AssetKind   `json:"asset_kind"`
	Name            string      `json:"name"`
	Description     string      `json:"description"`
	OwnerID         *int64      `json:"owner_id"`
	Status          EntryStatus `json:"status"`
	Criticality     *Level      `json:"criticality"`
	Confidentiality *Level      `json:"need_confidentiality"`
	Integrity       *Level      `json:"need_integrity"`
	Availability    *Level      `json:"need_availability"`
	Supports        []int64     `json:"supports"`
	Version         int64       `json:"version"`
}

// AssetFilter narrows and orders the asset register.
type AssetFilter struct {
	Kind       AssetKind
	Primary    string // "primary", "supporting" or "" for both
	OwnerID    int64
	Query      string
	Unassessed bool // only assets without a current assessment
	Status     EntryStatus
	Sort       string // name, kind, owner, criticality (prefix "-" for descending)
	Offset     int
	Limit      int
}

// ThreatGroups are the groups of the threat catalogue.
var ThreatGroups = []string{"malicious", "human", "technical", "physical", "supplier", "organisational"}

// ValidThreatGroup reports whether g is one of ThreatGroups.
func ValidThreatGroup(g string) bool {
	for _, x := range ThreatGroups {
		if x == g {
			return true
		}
	}
	return false
}

// ThreatCatalogue is a list of threats: the one that ships with the
// product (OrganisationID nil) or one of an organisation's own.
type ThreatCatalogue struct {
	ID             int64     `json:"id"`
	OrganisationID *int64    `json:"organisation_id"`
	Name           string    `json:"name"`
	NameEN         string    `json:"name_en"` // the shipped catalogue's English name
	Description    string    `json:"description"`
	Builtin        bool      `json:"builtin"`
	ThreatCount    int       `json:"threat_count"`
	Version        int64     `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
}

// Title is the catalogue's name in lang.
func (c *ThreatCatalogue) Title(lang string) string { return pick(lang, c.Name, c.NameEN) }

// ThreatCatalogueInput is what an organisation sets on its own catalogue.
type ThreatCatalogueInput struct {
	Name        string `json:"catalogue_name"`
	Description string `json:"description"`
	Version     int64  `json:"version"`
}

// Affects says which of confidentiality, integrity and availability a
// threat typically harms.
type Affects struct {
	Confidentiality bool `json:"confidentiality"`
	Integrity       bool `json:"integrity"`
	Availability    bool `json:"availability"`
}

// String writes the affected properties as letters, e.g. "C·A".
func (a Affects) String() string {
	s := ""
	for _, x := range []struct {
		on bool
		l  string
	}{{a.Confidentiality, "C"}, {a.Integrity, "I"}, {a.Availability, "A"}} {
		if x.on {
			if s != "" {
				s += "·"
			}
			s += x.l
		}
	}
	return s
}

// Threat is one threat of a catalogue, named in Danish and English.
type Threat struct {
	ID             int64       `json:"id"`
	CatalogueID    int64       `json:"catalogue_id"`
	CatalogueName  string      `json:"catalogue_name"`
	OrganisationID *int64      `json:"organisation_id"`
	Key            string      `json:"key"` // stable code of a shipped threat, e.g. "ransomware"
	Group          string      `json:"group"`
	NameDA         string      `json:"name_da"`
	NameEN         string      `json:"name_en"`
	DescriptionDA  string      `json:"description_da"`
	DescriptionEN  string      `json:"description_en"`
	Affects        Affects     `json:"affects"`
	AssetKinds     []AssetKind `json:"asset_kinds"` // kinds it applies to; empty for all
	Status         EntryStatus `json:"status"`
	Builtin        bool        `json:"builtin"`
	Version        int64       `json:"version"`
	CreatedAt      time.Time   `json:"created_at"`
}

// Name is the threat's name in lang, falling back to the other language.
func (t *Threat) Name(lang string) string { return pick(lang, t.NameDA, t.NameEN) }

// Description is the threat's description in lang, falling back.
func (t *Threat) Description(lang string) string { return pick(lang, t.DescriptionDA, t.DescriptionEN) }

// AppliesTo reports whether the threat is relevant to assets of kind k.
func (t *Threat) AppliesTo(k AssetKind) bool {
	if len(t.AssetKinds) == 0 {
		return true
	}
	for _, x := range t.AssetKinds {
		if x == k {
			return true
		}
	}
	return false
}

func pick(lang, da, en string) string {
	if (lang == "en" && en != "") || da == "" {
		return en
	}
	return da
}

// ThreatInput is what an organisation sets on one of its own threats.
type ThreatInput struct {
	CatalogueID   int64       `json:"catalogue_id"`
	Group         string      `json:"threat_group"`
	NameDA        string      `json:"threat_name_da"`
	NameEN        string      `json:"threat_name_en"`
	DescriptionDA string      `json:"threat_description_da"`
	DescriptionEN string      `json:"threat_description_en"`
	Affects       Affects     `json:"affects"`
	AssetKinds    []AssetKind `json:"asset_kinds"`
	Status        EntryStatus `json:"status"`
	Version       int64       `json:"version"`
}

// ThreatFilter narrows the threat listing.
type ThreatFilter struct {
	CatalogueID int64
	Group       string
	Query       string
	Status      EntryStatus
}

// ScaleLabel is a label in Danish and English.
type ScaleLabel struct {
	DA string `json:"da"`
	EN string `json:"en"`
}

// In returns the label in lang, falling back to the other language.
func (l ScaleLabel) In(lang string) string { return pick(lang, l.DA, l.EN) }

// RiskBand is a class of risk on a scale, e.g. low, medium, high, with the
// colour it is shown in and, for score classification, the scores it spans.
type RiskBand struct {
	Key      string `json:"key"`
	DA       string `json:"da"`
	EN       string `json:"en"`
	Color    string `json:"color"` // #rrggbb
	MinScore int    `json:"min_score"`
	MaxScore int    `json:"max_score"`
}

// Label is the band's name in lang.
func (b *RiskBand) Label(lang string) string { return pick(lang, b.DA, b.EN) }

// Classification modes of a scale.
const (
	ClassifyScore = "score" // a cell's band is the one whose score range holds likelihood × consequence
	ClassifyCells = "cells" // each cell is given its band
)

// Scale sizes an organisation may choose.
const (
	MinScaleSize = 3
	MaxScaleSize = 6
)

// RiskScale is a likelihood × consequence matrix: the labels of each level
// in both languages and how each cell is classified into bands.
type RiskScale struct {
	Key            string            `json:"key"` // a shipped scale's id, or "custom"
	Name           string            `json:"name"`
	Size           int               `json:"size"`
	Likelihood     []ScaleLabel      `json:"likelihood"`  // index 0 is level 1
	Consequence    []ScaleLabel      `json:"consequence"` // index 0 is level 1
	Bands          []RiskBand        `json:"bands"`       // lowest first
	Classification string            `json:"classification"`
	Cells          map[string]string `json:"cells,omitempty"` // CellKey(l, c) → band key
}

// CustomScale is the key of an organisation's own scale.
const CustomScale = "custom"

// CellKey names a cell of the matrix, e.g. "3-4" for likelihood 3 and
// consequence 4.
func CellKey(likelihood, consequence int) string {
	return strconv.Itoa(likelihood) + "-" + strconv.Itoa(consequence)
}

// InRange reports whether a level is on the scale.
func (s *RiskScale) InRange(level int) bool { return level >= 1 && level <= s.Size }

// BandIndex is the position in Bands of a cell's band, -1 when the cell is
// off the scale or unclassified.
func (s *RiskScale) BandIndex(likelihood, consequence int) int {
	if !s.InRange(likelihood) || !s.InRange(consequence) {
		return -1
	}
	if s.Classification == ClassifyCells {
		key := s.Cells[CellKey(likelihood, consequence)]
		for i := range s.Bands {
			if s.Bands[i].Key == key {
				return i
			}
		}
		return -1
	}
	score := likelihood * consequence
	for i := range s.Bands {
		if score >= s.Bands[i].MinScore && score <= s.Bands[i].MaxScore {
			return i
		}
	}
	return -1
}

// Band is a cell's band, nil when there is none.
func (s *RiskScale) Band(likelihood, consequence int) *RiskBand {
	if i := s.BandIndex(likelihood, consequence); i >= 0 {
		return &s.Bands[i]
	}
	return nil
}

// BandByKey finds a band.
func (s *RiskScale) BandByKey(key string) *RiskBand {
	for i := range s.Bands {
		if s.Bands[i].Key == key {
			return &s.Bands[i]
		}
	}
	return nil
}

var (
	bandKeyRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,29}$`)
	colorRe   = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
)

// Validate checks a scale: its size, every label in both languages, the
// bands, and that every cell falls in exactly one band. Problems are
// reported on the fields scale_size, scale_likelihood, scale_consequence,
// scale_bands and scale_cells.
func (s *RiskScale) Validate() error {
	var v Validation
	s.Validation(&v)
	return v.Err()
}

// Validation adds the scale's problems to v.
func (s *RiskScale) Validation(v *Validation) {
	if s.Size < MinScaleSize || s.Size > MaxScaleSize {
		v.Add("scale_size", "risk.err.scale_size", MinScaleSize, MaxScaleSize)
		return
	}
	for field, labels := range map[string][]ScaleLabel{"scale_likelihood": s.Likelihood, "scale_consequence": s.Consequence} {
		if len(labels) != s.Size {
			v.Add(field, "risk.err.scale_labels_count", s.Size)
			continue
		}
		for i, l := range labels {
			if l.DA == "" || l.EN == "" {
				v.Add(field, "risk.err.scale_label_missing", i+1)
				break
			}
			if len([]rune(l.DA)) > 100 || len([]rune(l.EN)) > 100 {
				v.Add(field, "err.too_long", 100)
				break
			}
		}
	}
	if len(s.Bands) < 2 || len(s.Bands) > 6 {
		v.Add("scale_bands", "risk.err.band_count", 2, 6)
		return
	}
	seen := map[string]bool{}
	for i, b := range s.Bands {
		switch {
		case !bandKeyRe.MatchString(b.Key):
			v.Add("scale_bands", "risk.err.band_key", i+1)
		case seen[b.Key]:
			v.Add("scale_bands", "risk.err.band_key_twice", b.Key)
		case b.DA == "" || b.EN == "":
			v.Add("scale_bands", "risk.err.band_label", i+1)
		case !colorRe.MatchString(b.Color):
			v.Add("scale_bands", "risk.err.band_color", i+1)
		}
		seen[b.Key] = true
	}
	if v.Has("scale_bands") {
		return
	}
	switch s.Classification {
	case ClassifyScore:
		// The ranges must cover 1 … size² without gaps or overlaps, in
		// band order.
		next := 1
		for i, b := range s.Bands {
			if b.MinScore != next || b.MaxScore < b.MinScore {
				v.Add("scale_bands", "risk.err.band_ranges", i+1, next)
				return
			}
			next = b.MaxScore + 1
		}
		if next != s.Size*s.Size+1 {
			v.Add("scale_bands", "risk.err.band_ranges_end", s.Size*s.Size)
		}
	case ClassifyCells:
		for l := 1; l <= s.Size; l++ {
			for c := 1; c <= s.Size; c++ {
				if !seen[s.Cells[CellKey(l, c)]] {
					v.Add("scale_cells", "risk.err.cell_unclassified", l, c)
					return
				}
			}
		}
		for k := range s.Cells {
			var l, c int
			if n, _ := fmt.Sscanf(k, "%d-%d", &l, &c); n != 2 || !s.InRange(l) || !s.InRange(c) || CellKey(l, c) != k {
				v.Add("scale_cells", "risk.err.cell_off_scale", k)
				return
			}
		}
	default:
		v.Add("scale_classification", "err.choice")
	}
}

// Acceptance rules of a risk method.
const (
	AcceptByBand  = "band"  // risks in this band or a lower one are accepted without treatment
	AcceptByScore = "score" // risks with likelihood × consequence at or below this score are
)

// ConsequenceDimensions are the further consequences a method asks for
// beside confidentiality, integrity and availability.
type ConsequenceDimensions struct {
	Organisation bool `json:"organisation"`
	Citizens     bool `json:"citizens"`
	Society      bool `json:"society"`
}

// RiskMethod is the organisation's risk method (clause 6.1.2): the scale,
// the criteria for accepting risk, the consequences assessed and the usual
// reassessment interval. The method is described in full in a document of
// the documentation register, which it may refer to.
type RiskMethod struct {
	OrganisationID        int64                 `json:"organisation_id"`
	Scale                 RiskScale             `json:"scale"`
	AcceptRule            string                `json:"accept_rule"`
	AcceptBand            string                `json:"accept_band"`
	AcceptScore           int                   `json:"accept_score"`
	Dimensions            ConsequenceDimensions `json:"dimensions"`
	DefaultIntervalMonths int                   `json:"default_interval_months"`
	Description           string                `json:"description"`
	MethodDocumentID      *int64                `json:"method_document_id"`
	MethodDocumentTitle   string                `json:"method_document_title"` // empty when the document is not found
	Version               int64                 `json:"version"`               // 0 while the defaults apply
	UpdatedAt             *time.Time            `json:"updated_at"`
	UpdatedByName         string                `json:"updated_by_name"`
}

// Acceptable reports whether a risk in this cell is within the acceptance
// criteria, i.e. accepted without treatment.
func (m *RiskMethod) Acceptable(likelihood, consequence int) bool {
	if !m.Scale.InRange(likelihood) || !m.Scale.InRange(consequence) {
		return false
	}
	if m.AcceptRule == AcceptByScore {
		return likelihood*consequence <= m.AcceptScore
	}
	i := m.Scale.BandIndex(likelihood, consequence)
	limit := -1
	for j := range m.Scale.Bands {
		if m.Scale.Bands[j].Key == m.AcceptBand {
			limit = j
		}
	}
	return i >= 0 && i <= limit
}

// AcceptableCells lists the cells within the acceptance criteria.
func (m *RiskMethod) AcceptableCells() [][2]int {
	var out [][2]int
	for l := 1; l <= m.Scale.Size; l++ {
		for c := 1; c <= m.Scale.Size; c++ {
			if m.Acceptable(l, c) {
				out = append(out, [2]int{l, c})
			}
		}
	}
	return out
}

// RiskMethodInput is what a coordinator sets on the method. ScaleKey names
// a shipped scale or CustomScale, in which case Scale is the organisation's
// own.
type RiskMethodInput struct {
	ScaleKey              string                `json:"scale_key"`
	Scale                 *RiskScale            `json:"scale"`
	AcceptRule            string                `json:"accept_rule"`
	AcceptBand            string                `json:"accept_band"`
	AcceptScore           int                   `json:"accept_score"`
	Dimensions            ConsequenceDimensions `json:"dimensions"`
	DefaultIntervalMonths int                   `json:"default_interval_months"`
	Description           string                `json:"method_description"`
	MethodDocumentID      *int64                `json:"method_document_id"`
	Version               int64                 `json:"version"`
}

// AssessmentStatus is where a risk assessment is in its life.
type AssessmentStatus string

const (
	AssessmentInProgress AssessmentStatus = "in_progress"
	AssessmentCompleted  AssessmentStatus = "completed"
)

// Reasons an assessment is marked for ad-hoc reassessment.
const (
	ReassessManual    = "manual"     // a coordinator marked it
	ReassessNewThreat = "new_threat" // a threat was added that may apply
)

// ReassessMark is a stored mark for ad-hoc reassessment.
type ReassessMark struct {
	Reason       string    `json:"reason"`
	Note         string    `json:"note"`
	ThreatID     *int64    `json:"threat_id,omitempty"`
	MarkedAt     time.Time `json:"marked_at"`
	MarkedByName string    `json:"marked_by_name"`
}

// RiskAssessment is the assessment of one asset, process or scenario: its
// risks, one per relevant threat, are assessed together and reassessed at
// an interval or when something changes.
type RiskAssessment struct {
	ID               int64            `json:"id"`
	OrganisationID   int64            `json:"organisation_id"`
	Title            string           `json:"title"`
	AssetID          *int64           `json:"asset_id"` // nil for a scenario
	AssetName        string           `json:"asset_name"`
	AssetKind        AssetKind        `json:"asset_kind"`
	EntryID          *int64           `json:"entry_id"`
	Scenario         string           `json:"scenario"`
	Description      string           `json:"description"`
	OwnerID          *int64           `json:"owner_id"`
	OwnerName        string           `json:"owner_name"`
	Status           AssessmentStatus `json:"status"`
	AssessedOn       *Date            `json:"assessed_on"`
	AssessedByName   string           `json:"assessed_by_name"`
	IntervalMonths   int              `json:"interval_months"`
	NextReassessment *Date            `json:"next_reassessment"`
	// Basis are the asset's needs when it was last assessed; CurrentNeeds
	// are its needs now. They differ when the business overview changed
	// the entry's requirement levels since.
	Basis        CIA           `json:"basis"`
	CurrentNeeds CIA           `json:"current_needs"`
	Mark         *ReassessMark `json:"reassess_mark"`
	RiskCount    int           `json:"risk_count"`
	Version      int64         `json:"version"`
	CreatedAt    time.Time     `json:"created_at"`
	UpdatedAt    time.Time     `json:"updated_at"`
}

// NeedsChanged reports whether the asset's needs differ from those the
// assessment was made against.
func (a *RiskAssessment) NeedsChanged() bool {
	return a.Status == AssessmentCompleted && a.AssetID != nil && a.Basis != a.CurrentNeeds
}

// Overdue reports whether the reassessment date has passed.
func (a *RiskAssessment) Overdue(today Date) bool {
	return a.Status == AssessmentCompleted && a.NextReassessment != nil && a.NextReassessment.Before(today)
}

// Current reports whether the assessment holds: completed, not past its
// reassessment date, not marked for ad-hoc reassessment, and made against
// the asset's present needs.
func (a *RiskAssessment) Current(today Date) bool {
	return a.Status == AssessmentCompleted && !a.Overdue(today) && a.Mark == nil && !a.NeedsChanged()
}

// ReassessReasons says why the assessment must be done again, if it must.
func (a *RiskAssessment) ReassessReasons(today Date) []Message {
	var out []Message
	if a.Status != AssessmentCompleted {
		return nil
	}
	if a.Overdue(today) {
		out = append(out, Msg("risk.reason.overdue", a.NextReassessment.String()))
	}
	if a.NeedsChanged() {
		out = append(out, Msg("risk.reason.needs_changed", a.Basis.String(), a.CurrentNeeds.String()))
	}
	if m := a.Mark; m != nil {
		if m.Reason == ReassessNewThreat {
			out = append(out, Msg("risk.reason.new_threat", m.Note))
		} else {
			out = append(out, Msg("risk.reason.marked", m.MarkedByName, m.Note))
		}
	}
	return out
}

// RiskAssessmentInput is what a caller sets on an assessment: either an
// asset or a scenario.
type RiskAssessmentInput struct {
	Title            string `json:"assessment_title"`
	AssetID          *int64 `json:"asset_id"`
	Scenario         string `json:"scenario"`
	Description      string `json:"description"`
	OwnerID          *int64 `json:"owner_id"`
	IntervalMonths   int    `json:"interval_months"`
	NextReassessment *Date  `json:"next_reassessment"`
	Version          int64  `json:"version"`
}

// AssessmentFilter narrows the list of assessments.
type AssessmentFilter struct {
	AssetID  int64
	OwnerID  int64
	Status   AssessmentStatus
	Reassess bool // only those due or marked for reassessment
	Query    string
	Sort     string // title, asset, owner, next_reassessment, assessed_on
	Offset   int
	Limit    int
}

// Treatment is the decision on how to treat a risk (clause 6.1.3).
type Treatment string

const (
	TreatmentNone     Treatment = ""
	TreatmentMitigate Treatment = "mitigate" // reduce with controls
	TreatmentAccept   Treatment = "accept"   // retain as it is
	TreatmentAvoid    Treatment = "avoid"    // stop the activity that causes it
	TreatmentShare    Treatment = "share"    // transfer to an insurer or supplier
)

// Treatments lists the decisions in order.
var Treatments = []Treatment{TreatmentMitigate, TreatmentAccept, TreatmentAvoid, TreatmentShare}

// Valid reports whether t is a decision or none.
func (t Treatment) Valid() bool {
	if t == TreatmentNone {
		return true
	}
	for _, x := range Treatments {
		if x == t {
			return true
		}
	}
	return false
}

// Consequences are a risk's consequence levels for each dimension; 0 means
// not affected (or not assessed in this method).
type Consequences struct {
	Confidentiality int `json:"confidentiality"`
	Integrity       int `json:"integrity"`
	Availability    int `json:"availability"`
	Organisation    int `json:"organisation"`
	Citizens        int `json:"citizens"`
	Society         int `json:"society"`
}

// Max is the highest consequence, the one that rates the risk.
func (c Consequences) Max() int {
	return max(c.Confidentiality, c.Integrity, c.Availability, c.Organisation, c.Citizens, c.Society)
}

// RiskLevel is a point in the matrix: likelihood, consequence, their
// product and the band it falls in.
type RiskLevel struct {
	Likelihood  int    `json:"likelihood"`
	Consequence int    `json:"consequence"`
	Score       int    `json:"score"`
	Band        string `json:"band"`
	Acceptable  bool   `json:"acceptable"` // within the acceptance criteria
}

// RiskAcceptance is management's acceptance of a residual risk above the
// acceptance criteria, with the reason and until when it holds.
type RiskAcceptance struct {
	ID             int64     `json:"id"`
	RiskID         int64     `json:"risk_id"`
	AcceptedByID   int64     `json:"accepted_by_id"`
	AcceptedByName string    `json:"accepted_by_name"`
	AcceptedAt     time.Time `json:"accepted_at"`
	Reason         string    `json:"reason"`
	Expires        Date      `json:"expires"`
	// The residual risk that was accepted; a higher one later needs a new
	// acceptance.
	Likelihood  int `json:"likelihood"`
	Consequence int `json:"consequence"`
}

// ValidFor reports whether the acceptance covers a residual risk today.
func (a *RiskAcceptance) ValidFor(residual RiskLevel, today Date) bool {
	return a != nil && !a.Expires.Before(today) && residual.Likelihood <= a.Likelihood && residual.Consequence <= a.Consequence
}

// RiskAcceptanceInput is management's acceptance.
type RiskAcceptanceInput struct {
	Reason  string `json:"reason"`
	Expires *Date  `json:"acceptance_expires"`
	Version int64  `json:"version"` // the risk's version that was read
}

// Risk is one threat to the subject of an assessment: its likelihood and
// consequences, the controls already in place, the inherent risk, the
// treatment decision with owner and deadline, the planned controls, the
// residual risk, and management's acceptance where needed.
type Risk struct {
	ID                   int64           `json:"id"`
	OrganisationID       int64           `json:"organisation_id"`
	AssessmentID         int64           `json:"assessment_id"`
	AssessmentTitle      string          `json:"assessment_title"`
	AssetID              *int64          `json:"asset_id"`
	AssetName            string          `json:"asset_name"`
	ThreatID             int64           `json:"threat_id"`
	ThreatNameDA         string          `json:"threat_name_da"`
	ThreatNameEN         string          `json:"threat_name_en"`
	Title                string          `json:"title"`
	Description          string          `json:"description"`
	Likelihood           int             `json:"likelihood"`
	Consequence          Consequences    `json:"consequence"`
	Inherent             RiskLevel       `json:"inherent"`
	ExistingControls     []int64         `json:"existing_controls"`
	ExistingControlsText string          `json:"existing_controls_text"`
	Treatment            Treatment       `json:"treatment"`
	TreatmentNote        string          `json:"treatment_note"`
	OwnerID              *int64          `json:"owner_id"`
	OwnerName            string          `json:"owner_name"`
	Deadline             *Date           `json:"deadline"`
	PlannedControls      []int64         `json:"planned_controls"`
	Residual             RiskLevel       `json:"residual"`
	Acceptance           *RiskAcceptance `json:"acceptance"`
	Accepted             bool            `json:"accepted"`         // a valid acceptance covers the residual risk
	NeedsAcceptance      bool            `json:"needs_acceptance"` // above the criteria and not validly accepted
	// Incomplete: the treatment decision lacks what it needs (an owner, a
	// deadline, planned controls for a reduction), as an imported register
	// may leave it until it is completed in the product.
	Incomplete bool      `json:"incomplete"`
	OpenTasks  int       `json:"open_tasks"`
	NextDue    *Date     `json:"next_due"` // the earliest open deadline of its treatment
	Version    int64     `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// JudgeComplete sets Incomplete by the same rules the form checks a
// treatment decision by (RiskInput.Check); the register's filter
// "incomplete" is the same rule in SQL.
func (r *Risk) JudgeComplete() {
	r.Incomplete = r.Treatment != TreatmentNone && (r.OwnerID == nil || (r.Treatment.NeedsDeadline() && r.Deadline == nil) ||
		(r.Treatment == TreatmentMitigate && len(r.PlannedControls) == 0))
}

// ThreatName is the threat's name in lang.
func (r *Risk) ThreatName(lang string) string { return pick(lang, r.ThreatNameDA, r.ThreatNameEN) }

// Overdue reports whether its treatment is past a deadline.
func (r *Risk) Overdue(today Date) bool { return r.NextDue != nil && r.NextDue.Before(today) }

// JudgeAcceptance sets Accepted and NeedsAcceptance from the residual
// risk, management's acceptance and the day: an acceptance holds until its
// expiry day and only for a residual risk no higher than the one accepted;
// a residual risk above the criteria without one needs acceptance. The
// register's filter "needs acceptance" is the same rule in SQL.
func (r *Risk) JudgeAcceptance(today Date) {
	r.Accepted = r.Acceptance.ValidFor(r.Residual, today)
	r.NeedsAcceptance = !r.Residual.Acceptable && !r.Accepted
}

// Settled reports whether the risk needs nothing more from anyone: within
// the criteria as it is, or treated down to within them, or above them and
// validly accepted. The checklist's count of unsettled risks (question
// 3.1) is the same rule in SQL.
func (r *Risk) Settled() bool {
	if r.Inherent.Acceptable {
		return true
	}
	if r.Treatment == TreatmentNone {
		return false
	}
	return r.Residual.Acceptable || r.Accepted
}

// RiskInput is what a caller sets on a risk. A residual level of 0 means
// "as the inherent risk".
type RiskInput struct {
	AssessmentID         int64        `json:"assessment_id"`
	ThreatID             int64        `json:"threat_id"`
	Title                string       `json:"risk_title"`
	Description          string       `json:"description"`
	Likelihood           int          `json:"likelihood"`
	Consequence          Consequences `json:"consequence"`
	ExistingControls     []int64      `json:"existing_controls"`
	ExistingControlsText string       `json:"existing_controls_text"`
	Treatment            Treatment    `json:"treatment"`
	TreatmentNote        string       `json:"treatment_note"`
	OwnerID              *int64       `json:"owner_id"`
	Deadline             *Date        `json:"treatment_deadline"`
	PlannedControls      []int64      `json:"planned_controls"`
	ResidualLikelihood   int          `json:"residual_likelihood"`
	ResidualConsequence  int          `json:"residual_consequence"`
	Version              int64        `json:"version"`
}

// Grids of the heat map.
const (
	GridInherent = "inherent"
	GridResidual = "residual"
)

// RiskFilter narrows and orders the risk register. Band and the cell
// (Likelihood, Consequence) apply to the grid named by Grid, residual when
// empty.
type RiskFilter struct {
	AssetID         int64
	OwnerID         int64
	AssessmentID    int64
	ThreatID        int64
	Grid            string
	Band            string
	Likelihood      int
	Consequence     int
	Treatment       string // a Treatment, or "none" for undecided
	Overdue         bool
	NeedsAcceptance bool
	Incomplete      bool // only risks whose treatment lacks an owner, deadline or planned controls
	Query           string
	Sort            string // title, asset, threat, owner, inherent, residual, treatment, deadline; "-" for descending
	Offset          int
	Limit           int
}

// RiskHeatMap counts the risks in each cell of the matrix, before and
// after treatment. Inherent[l-1][c-1] is the count at likelihood l and
// consequence c.
type RiskHeatMap struct {
	Size     int     `json:"size"`
	Inherent [][]int `json:"inherent"`
	Residual [][]int `json:"residual"`
	Total    int     `json:"total"`
}

// RiskSummary is the register's headline: how many risks, how many need
// management's acceptance, how many are past a treatment deadline, how
// many await a treatment decision.
type RiskSummary struct {
	Total           int `json:"total"`
	NeedsAcceptance int `json:"needs_acceptance"`
	Overdue         int `json:"overdue"`
	Undecided       int `json:"undecided"`
}

// TaskStatus is where a treatment action is.
type TaskStatus string

const (
	TaskPlanned    TaskStatus = "planned"
	TaskInProgress TaskStatus = "in_progress"
	TaskDone       TaskStatus = "done"
	TaskCancelled  TaskStatus = "cancelled"
)

// TaskStatuses lists the statuses in order.
var TaskStatuses = []TaskStatus{TaskPlanned, TaskInProgress, TaskDone, TaskCancelled}

// Valid reports whether s is a known status.
func (s TaskStatus) Valid() bool {
	for _, x := range TaskStatuses {
		if x == s {
			return true
		}
	}
	return false
}

// Open reports whether the action still has to be done.
func (s TaskStatus) Open() bool { return s == TaskPlanned || s == TaskInProgress }

// RiskTask is an action of the risk treatment plan (clause 6.1.3 e): what
// is done, by whom, by when, and which controls it puts in place.
type RiskTask struct {
	ID             int64      `json:"id"`
	OrganisationID int64      `json:"organisation_id"`
	RiskID         int64      `json:"risk_id"`
	RiskTitle      string     `json:"risk_title"`
	AssetName      string     `json:"asset_name"`
	Title          string     `json:"title"`
	Description    string     `json:"description"`
	OwnerID        *int64     `json:"owner_id"`
	OwnerName      string     `json:"owner_name"`
	Deadline       *Date      `json:"deadline"`
	Status         TaskStatus `json:"status"`
	CompletedOn    *Date      `json:"completed_on"`
	Controls       []int64    `json:"controls"`
	Version        int64      `json:"version"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// Overdue reports whether an open action is past its deadline.
func (t *RiskTask) Overdue(today Date) bool {
	return t.Status.Open() && t.Deadline != nil && t.Deadline.Before(today)
}

// RiskTaskInput is what a caller sets on an action.
type RiskTaskInput struct {
	RiskID      int64      `json:"risk_id"`
	Title       string     `json:"task_title"`
	Description string     `json:"description"`
	OwnerID     *int64     `json:"owner_id"`
	Deadline    *Date      `json:"task_deadline"`
	Status      TaskStatus `json:"task_status"`
	Controls    []int64    `json:"task_controls"`
	Version     int64      `json:"version"`
}

// RiskTaskFilter narrows the treatment plan.
type RiskTaskFilter struct {
	RiskID  int64
	OwnerID int64
	Status  TaskStatus
	Open    bool
	Overdue bool
	Sort    string // deadline, title, owner, status, risk
	Offset  int
	Limit   int
}

// RiskControlRef is a control a risk can name: an Annex A control or one
// of the organisation's own.
type RiskControlRef struct {
	ID        int64  `json:"id"`
	Catalogue string `json:"catalogue"`
	Ref       string `json:"ref"`
	Theme     string `json:"theme"`
	TitleDA   string `json:"title_da"`
	TitleEN   string `json:"title_en"`
	Own       bool   `json:"own"`
}

// Title is the control's title in lang.
func (c *RiskControlRef) Title(lang string) string { return pick(lang, c.TitleDA, c.TitleEN) }

// RiskDocumentRef names a document of the documentation register.
type RiskDocumentRef struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
}

// OwnRiskControlInput adds one of the organisation's own controls.
type OwnRiskControlInput struct {
	Ref     string `json:"own_control_ref"`
	TitleDA string `json:"own_control_title_da"`
	TitleEN string `json:"own_control_title_en"`
	Theme   string `json:"own_control_theme"`
}

// RiskSheet is a risk register read from a spreadsheet (XLSX or CSV):
// the columns recognised by their headings and every row's cells as text,
// before anything is looked up. The export package reads files into it;
// the store checks it against the records.
type RiskSheet struct {
	Filename  string            `json:"filename"`
	HeaderRow int               `json:"header_row"`
	Columns   []RiskSheetColumn `json:"columns"`
	Ignored   []string          `json:"ignored"` // headings not recognised
	Rows      []RiskSheetRow    `json:"rows"`
	// Headings are the whole heading row with the field each column
	// fills, and Shape names it (SheetShape), for the mapping step.
	Headings []SheetHeading `json:"headings"`
	Shape    string         `json:"shape"`
	// MappingID is the saved mapping the file was read with, 0 when the
	// proposal was used; Values are that mapping's words (see
	// MappedValue).
	MappingID int64                        `json:"mapping_id"`
	Values    map[string]map[string]string `json:"values,omitempty"`
	// File is the file itself, kept with a staged upload so the mapping
	// step can read it again.
	File []byte `json:"file,omitempty"`
}

// RiskSheetColumn is a recognised column: the field it fills, the heading
// as written in the file, and its letter (A, B, …).
type RiskSheetColumn struct {
	Field  string `json:"field"`
	Header string `json:"header"`
	Letter string `json:"letter"`
}

// RiskSheetRow is one data row: its row number in the file and its cells
// by field.
type RiskSheetRow struct {
	Row   int               `json:"row"`
	Cells map[string]string `json:"cells"`
}

// Fields of an imported risk register.
var RiskSheetFields = []string{"asset", "threat", "title", "description", "likelihood", "consequence", "consequence_c",
	"consequence_i", "consequence_a", "consequence_org", "consequence_citizens", "consequence_society", "existing_controls",
	"treatment", "owner", "deadline", "residual_likelihood", "residual_consequence", "planned_controls", "key"}

// RiskLevelFields are the fields of a risk sheet that hold a level on the
// scale, and RiskLikelihoodFields those of them rated by likelihood.
var (
	RiskLevelFields = []string{"likelihood", "consequence", "consequence_c", "consequence_i", "consequence_a", "consequence_org",
		"consequence_citizens", "consequence_society", "residual_likelihood", "residual_consequence"}
	RiskLikelihoodFields = map[string]bool{"likelihood": true, "residual_likelihood": true}
)

// Column names the field's column as the user sees it ("C · Sandsynlighed"),
// empty when the file has no such column.
func (s *RiskSheet) Column(field string) string {
	for _, c := range s.Columns {
		if c.Field == field {
			return c.Letter + " · " + c.Header
		}
	}
	return ""
}

// Has reports whether the file has a column for the field.
func (s *RiskSheet) Has(field string) bool {
	for _, c := range s.Columns {
		if c.Field == field {
			return true
		}
	}
	return false
}

// ImportProblem is one thing wrong with an imported file: the row as the
// user sees it in the spreadsheet (0 for the file as a whole) and the
// column.
type ImportProblem struct {
	Row     int     `json:"row"`
	Column  string  `json:"column"` // as in the file, empty when the file lacks it
	Field   string  `json:"field"`  // one of RiskSheetFields
	Message Message `json:"message"`
}

// RiskImportRow is one row of an imported register and its outcome:
// created, updated (the risk it matches differs), skipped (the risk it
// matches already says this) or refused, with the reasons.
type RiskImportRow struct {
	Row     int           `json:"row"` // as the spreadsheet numbers it, title rows counted
	Outcome ImportOutcome `json:"outcome"`
	// RiskID is the risk the row updates or skips, and once imported the
	// one it created; nil otherwise.
	RiskID           *int64       `json:"risk_id"`
	Key              string       `json:"key"` // the register's own id of the risk, when it has a key column
	Asset            string       `json:"asset"`
	Threat           string       `json:"threat"`
	NewAsset         bool         `json:"new_asset"`  // the asset is created with the import
	NewThreat        bool         `json:"new_threat"` // the threat is created with the import
	Title            string       `json:"title"`
	Likelihood       int          `json:"likelihood"`
	Consequence      Consequences `json:"consequence"`
	Inherent         RiskLevel    `json:"inherent"`
	Residual         RiskLevel    `json:"residual"`
	Treatment        Treatment    `json:"treatment"`
	OwnerEmail       string       `json:"owner_email"`
	Owner            string       `json:"owner"` // the member the owner cell names, as found
	Deadline         *Date        `json:"deadline"`
	ExistingControls []string     `json:"existing_controls"`
	PlannedControls  []string     `json:"planned_controls"`
	// Changes names the fields an update changes.
	Changes []string `json:"changes"`
	// Incomplete: the treatment lacks what it needs (an owner, a deadline,
	// planned controls); the risk is imported and shown as incomplete.
	Incomplete bool      `json:"incomplete"`
	Problems   int       `json:"problems"`
	Reasons    []Message `json:"-"`
	Warnings   []Message `json:"-"`
}

// RiskImportOptions are what the user agreed to: CreateMissing creates
// the assets and threats the file names that are not in the register;
// SkipRefused stores the other rows of a file with refused rows (without
// it such a file stores nothing).
type RiskImportOptions struct {
	CreateMissing bool `json:"create_missing"`
	SkipRefused   bool `json:"skip_refused"`
}

// RiskImportPreview is what an import would do: every row with its
// outcome, every problem and warning named by row and column, and the
// assets and threats it would create.
type RiskImportPreview struct {
	ID        int64             `json:"id"` // the staged upload to confirm; 0 when not staged
	Filename  string            `json:"filename"`
	Columns   []RiskSheetColumn `json:"columns"`
	Ignored   []string          `json:"ignored"`
	Rows      []RiskImportRow   `json:"rows"`
	Problems  []ImportProblem   `json:"problems"`
	Warnings  []ImportProblem   `json:"warnings"`
	MappingID int64             `json:"mapping_id"` // the saved mapping the file was read with
	// MissingAssets and MissingThreats are named by the file and not in
	// the register: created with the import when the user agrees.
	MissingAssets  []string          `json:"missing_assets"`
	MissingThreats []string          `json:"missing_threats"`
	Options        RiskImportOptions `json:"options"`
	Created        int               `json:"created"`
	Updated        int               `json:"updated"`
	Skipped        int               `json:"skipped"`
	Refused        int               `json:"refused"`
	Incomplete     int               `json:"incomplete"`
	Valid          bool              `json:"valid"`           // no row refused, no problem with the file
	Assessments    int               `json:"new_assessments"` // assessments the import begins, one per asset that has none
	Imported       bool              `json:"imported"`
}

// Missing reports whether the file names assets or threats not in the
// register.
func (p *RiskImportPreview) Missing() bool { return len(p.MissingAssets)+len(p.MissingThreats) > 0 }

// RiskImportResult is what an import did.
type RiskImportResult struct {
	Risks          int     `json:"risks"` // created
	Updated        int     `json:"updated"`
	Skipped        int     `json:"skipped"`
	Refused        int     `json:"refused"`
	Assessments    int     `json:"new_assessments"`
	AssetsCreated  int     `json:"assets_created"`
	ThreatsCreated int     `json:"threats_created"`
	RiskIDs        []int64 `json:"risk_ids"` // created and updated
	// Preview is every row's outcome as stored.
	Preview *RiskImportPreview `json:"-"`
}

// RiskAgendaItem is something of risk management that is due: a
// reassessment, a treatment action, an expiring acceptance.
type RiskAgendaItem struct {
	Kind  string `json:"kind"` // catalogue key naming what it is
	Label string `json:"label"`
	Due   Date   `json:"due"`
	Path  string `json:"path"` // below /orgs/{id}
}

// RiskService serves risk management (guide 2.3): assets, threats, scales, assessments, treatment, acceptance.
type RiskService interface {
	// The method: scale, acceptance criteria, dimensions, interval.
	RiskMethod(ctx context.Context, orgID int64) (*RiskMethod, error)
	SaveRiskMethod(ctx context.Context, orgID int64, in RiskMethodInput) (*RiskMethod, error)

	// Assets: the business overview's processes, information and systems
	// and the supporting assets added here.
	Assets(ctx context.Context, orgID int64, f AssetFilter) ([]*Asset, int, error)
	Asset(ctx context.Context, orgID, id int64) (*Asset, error)
	AssetForEntry(ctx context.Context, orgID, entryID int64) (*Asset, error)
	CreateAsset(ctx context.Context, orgID int64, in AssetInput) (*Asset, error)
	UpdateAsset(ctx context.Context, orgID, id int64, in AssetInput) (*Asset, error)
	DeleteAsset(ctx context.Context, orgID, id, version int64) error

	// Threats and catalogues.
	ThreatCatalogues(ctx context.Context, orgID int64) ([]*ThreatCatalogue, error)
	CreateThreatCatalogue(ctx context.Context, orgID int64, in ThreatCatalogueInput) (*ThreatCatalogue, error)
	UpdateThreatCatalogue(ctx context.Context, orgID, id int64, in ThreatCatalogueInput) (*ThreatCatalogue, error)
	Threats(ctx context.Context, orgID int64, f ThreatFilter) ([]*Threat, error)
	Threat(ctx context.Context, orgID, id int64) (*Threat, error)
	CreateThreat(ctx context.Context, orgID int64, in ThreatInput) (*Threat, error)
	UpdateThreat(ctx context.Context, orgID, id int64, in ThreatInput) (*Threat, error)

	// Assessments.
	RiskAssessments(ctx context.Context, orgID int64, f AssessmentFilter) ([]*RiskAssessment, int, error)
	RiskAssessment(ctx context.Context, orgID, id int64) (*RiskAssessment, error)
	CreateRiskAssessment(ctx context.Context, orgID int64, in RiskAssessmentInput) (*RiskAssessment, error)
	UpdateRiskAssessment(ctx context.Context, orgID, id int64, in RiskAssessmentInput) (*RiskAssessment, error)
	// CompleteRiskAssessment records that the assessment was carried out
	// (or reassessed) today: the next date follows from the interval, the
	// basis becomes the asset's present needs, and a mark is cleared.
	CompleteRiskAssessment(ctx context.Context, orgID, id, version int64) (*RiskAssessment, error)
	MarkRiskReassessment(ctx context.Context, orgID, id int64, note string, version int64) (*RiskAssessment, error)
	DeleteRiskAssessment(ctx context.Context, orgID, id, version int64) error

	// Risks: the register, the heat map, acceptance.
	Risks(ctx context.Context, orgID int64, f RiskFilter) ([]*Risk, int, error)
	Risk(ctx context.Context, orgID, id int64) (*Risk, error)
	CreateRisk(ctx context.Context, orgID int64, in RiskInput) (*Risk, error)
	UpdateRisk(ctx context.Context, orgID, id int64, in RiskInput) (*Risk, error)
	DeleteRisk(ctx context.Context, orgID, id, version int64) error
	AcceptRisk(ctx context.Context, orgID, id int64, in RiskAcceptanceInput) (*Risk, error)
	RiskAcceptances(ctx context.Context, orgID, riskID int64) ([]*RiskAcceptance, error)
	RiskHeatMap(ctx context.Context, orgID int64, f RiskFilter) (*RiskHeatMap, error)
	// RiskSummary counts the whole register, for its headline.
	RiskSummary(ctx context.Context, orgID int64) (*RiskSummary, error)

	// The treatment plan.
	RiskTasks(ctx context.Context, orgID int64, f RiskTaskFilter) ([]*RiskTask, int, error)
	RiskTask(ctx context.Context, orgID, id int64) (*RiskTask, error)
	CreateRiskTask(ctx context.Context, orgID int64, in RiskTaskInput) (*RiskTask, error)
	UpdateRiskTask(ctx context.Context, orgID, id int64, in RiskTaskInput) (*RiskTask, error)
	DeleteRiskTask(ctx context.Context, orgID, id, version int64) error
	// UntaskedRisks are risks decided to be mitigated, avoided or shared
	// that have no action in the plan yet.
	UntaskedRisks(ctx context.Context, orgID int64, limit int) ([]*Risk, error)

	// Controls a risk can name, and the organisation's own.
	RiskControlOptions(ctx context.Context, orgID int64) ([]*RiskControlRef, error)
	CreateOwnRiskControl(ctx context.Context, orgID int64, in OwnRiskControlInput) (*RiskControlRef, error)

	// Import of a register kept in a spreadsheet, read into a RiskSheet:
	// stage it and preview every row's problems, then import the staged
	// sheet in one transaction, or nothing if any row has a problem.
	StageRiskImport(ctx context.Context, orgID int64, sheet *RiskSheet) (*RiskImportPreview, error)
	StagedRiskImport(ctx context.Context, orgID, id int64, opt RiskImportOptions) (*RiskImportPreview, error)
	// StagedRiskSheet is a staged upload as read, with its file, for the
	// mapping step to read again.
	StagedRiskSheet(ctx context.Context, orgID, id int64) (*RiskSheet, error)
	ImportStagedRisks(ctx context.Context, orgID, id int64, opt RiskImportOptions) (*RiskImportResult, error)
	// PreviewRiskSheet and ImportRiskSheet do the same without staging,
	// for the API.
	PreviewRiskSheet(ctx context.Context, orgID int64, sheet *RiskSheet, opt RiskImportOptions) (*RiskImportPreview, error)
	ImportRiskSheet(ctx context.Context, orgID int64, sheet *RiskSheet, opt RiskImportOptions) (*RiskImportResult, error)

	// RiskMethodDocuments lists the documents of the documentation
	// register of kind 'risk_method', none when there is no register.
	RiskMethodDocuments(ctx context.Context, orgID int64) ([]RiskDocumentRef, error)

	// RiskAgenda lists what is due up to a day, for the dashboard.
	RiskAgenda(ctx context.Context, orgID int64, until Date) ([]RiskAgendaItem, error)
}
