package isms

import (
	"context"
	"slices"
	"time"
)

// Incidents linked to the rest of the ISMS (guide 2.9 and 2.10). The
// model, in one place:
//
//   - Nonconformities. A nonconformity whose source is an incident names
//     the incident record (Nonconformity.SourceIncidentID); one whose source
//     is a supplier may name the supervision that found it
//     (SourceSupervisionID). The incident shows the nonconformities that
//     name it; the link is stored once, on the nonconformity. An incident
//     flagged as a nonconformity registers its nonconformity in one step.
//   - Risks, threats and controls. The incident names the risks of the
//     register it touched or realised, the threats of the threat catalogues
//     it shows (an existing one, or a new one added to an own catalogue from
//     the incident), and the controls (Annex A or own) it put to the test,
//     each as failed or helped. A risk shows the incidents that name it. A
//     control of the Statement of Applicability shows the incidents that
//     name it directly and those that name a risk the control treats (the
//     risk's existing or planned controls), so a control with no direct
//     link still shows the incidents its risks met.
//   - The communication plan. The plan's entries for the guide's incident
//     cases apply by themselves: breach_notice and breach_authority to a
//     personal data breach, staff_notice and emergency_notice to every
//     incident; the coordinator attaches any other entry. Each entry
//     carried out is recorded once on the incident, with when, by whom and
//     a note, which also adds a timeline entry. A personal data breach
//     whose breach_notice or breach_authority entry is not recorded (or for
//     which the plan has no such entry) shows a gap.

// IncidentRiskRef is a risk of the register an incident touched.
type IncidentRiskRef struct {
	ID              int64  `json:"id"`
	Title           string `json:"title"`
	AssessmentTitle string `json:"assessment_title"`
}

// IncidentThreatRef is a threat an incident shows.
type IncidentThreatRef struct {
	ID     int64  `json:"id"`
	NameDA string `json:"name_da"`
	NameEN string `json:"name_en"`
}

// Name is the threat's name in lang.
func (t IncidentThreatRef) Name(lang string) string { return pick(lang, t.NameDA, t.NameEN) }

// ControlEffect says how a control fared in an incident.
type ControlEffect string

const (
	ControlFailed ControlEffect = "failed" // it did not stop or limit the incident
	ControlHelped ControlEffect = "helped" // it stopped or limited the incident
)

// ControlEffects lists the effects in order.
var ControlEffects = []ControlEffect{ControlFailed, ControlHelped}

// Valid reports whether e is a known effect.
func (e ControlEffect) Valid() bool { return slices.Contains(ControlEffects, e) }

// IncidentControl is a control an incident put to the test.
type IncidentControl struct {
	ControlID int64         `json:"control_id"`
	Ref       string        `json:"ref"`
	TitleDA   string        `json:"title_da"`
	TitleEN   string        `json:"title_en"`
	Own       bool          `json:"own"`
	Effect    ControlEffect `json:"effect"`
}

// Title is the control's title in lang.
func (c IncidentControl) Title(lang string) string { return pick(lang, c.TitleDA, c.TitleEN) }

// IncidentControlInput names a control and how it fared.
type IncidentControlInput struct {
	ControlID int64         `json:"control_id"`
	Effect    ControlEffect `json:"effect"`
}

// IncidentLinksInput sets the risks, threats and controls an incident
// names; what is left out is unlinked.
type IncidentLinksInput struct {
	RiskIDs   []int64                `json:"risk_ids"`
	ThreatIDs []int64                `json:"threat_ids"`
	Controls  []IncidentControlInput `json:"controls"`
	Version   int64                  `json:"version"`
}

// IncidentThreatInput is a new threat added to an own threat catalogue
// from an incident, which then names it.
type IncidentThreatInput struct {
	Threat  ThreatInput `json:"threat"`
	Version int64       `json:"version"` // the incident's
}

// IncidentRef is an incident as another record shows it.
type IncidentRef struct {
	ID         int64            `json:"id"`
	Title      string           `json:"title"`
	DetectedAt time.Time        `json:"detected_at"`
	Status     IncidentStatus   `json:"status"`
	Category   IncidentCategory `json:"category"`
	// For a control: how the incident names it ("control" directly,
	// "risk" through a risk the control treats), the effect when named
	// directly, and the risk's title when through a risk.
	Via       string        `json:"via,omitempty"`
	Effect    ControlEffect `json:"effect,omitempty"`
	RiskTitle string        `json:"risk_title,omitempty"`
}

// Communication cases that apply to incidents by themselves.
const (
	CaseBreachNotice    = "breach_notice"
	CaseBreachAuthority = "breach_authority"
	CaseStaffNotice     = "staff_notice"
	CaseEmergencyNotice = "emergency_notice"
)

// IncidentCases are the cases whose plan entries apply to an incident by
// themselves.
var IncidentCases = []string{CaseBreachNotice, CaseBreachAuthority, CaseStaffNotice, CaseEmergencyNotice}

// CaseAppliesTo reports whether plan entries of a case apply to the
// incident by themselves: the breach cases to a personal data breach, the
// staff and emergency notices to every incident.
func CaseAppliesTo(caseKey string, inc *Incident) bool {
	switch caseKey {
	case CaseBreachNotice, CaseBreachAuthority:
		return inc.PersonalData
	case CaseStaffNotice, CaseEmergencyNotice:
		return true
	}
	return false
}

// BreachCase reports whether a case must be recorded for a personal data
// breach.
func BreachCase(caseKey string) bool {
	return caseKey == CaseBreachNotice || caseKey == CaseBreachAuthority
}

// IncidentCommunication is one plan entry as it stands for an incident:
// applying by its case or attached, and carried out or not.
type IncidentCommunication struct {
	ID         int64  `json:"id"` // 0 while nothing is recorded or attached
	IncidentID int64  `json:"incident_id"`
	EntryID    *int64 `json:"entry_id"` // nil once the plan's entry is removed
	CaseKey    string `json:"case_key"`
	What       string `json:"what"`
	Audience   string `json:"audience"`
	Attached   bool   `json:"attached"` // attached by the coordinator rather than by its case
	// DoneAt is when it was carried out; nil while it waits.
	DoneAt     *time.Time `json:"done_at"`
	DoneBy     string     `json:"done_by"`
	Note       string     `json:"note"`
	RecordedBy string     `json:"recorded_by_name"`
	// Gap is set on a breach case not carried out for a personal data
	// breach, and on the breach case missing from the plan (ID 0, no
	// entry).
	Gap bool `json:"gap"`
}

// IncidentCommunicationInput records a plan entry carried out for an
// incident.
type IncidentCommunicationInput struct {
	EntryID int64    `json:"entry_id"`
	DoneAt  *Instant `json:"done_at"`
	DoneBy  string   `json:"done_by"`
	Note    string   `json:"note"`
}

// IncidentAttachInput attaches a plan entry to an incident.
type IncidentAttachInput struct {
	EntryID int64 `json:"entry_id"`
}

// IncidentLinkService keeps the links of incidents to nonconformities,
// risks, threats, controls and the communication plan.
type IncidentLinkService interface {
	// RegisterIncidentNonconformity creates the nonconformity of an
	// incident flagged as one, prefilled from it (send the incident's
	// version).
	RegisterIncidentNonconformity(ctx context.Context, orgID, id, version int64) (*Nonconformity, error)
	SetIncidentLinks(ctx context.Context, orgID, id int64, in IncidentLinksInput) (*Incident, error)
	AddIncidentThreat(ctx context.Context, orgID, id int64, in IncidentThreatInput) (*Incident, error)
	IncidentsOfRisk(ctx context.Context, orgID, riskID int64) ([]*IncidentRef, error)
	IncidentsOfControl(ctx context.Context, orgID, controlID int64) ([]*IncidentRef, error)
	IncidentCommunications(ctx context.Context, orgID, id int64) ([]*IncidentCommunication, error)
	AttachIncidentCommunication(ctx context.Context, orgID, id int64, in IncidentAttachInput) (*IncidentCommunication, error)
	RecordIncidentCommunication(ctx context.Context, orgID, id int64, in IncidentCommunicationInput) (*IncidentCommunication, error)
	DeleteIncidentCommunication(ctx context.Context, orgID, id, commID int64) error
	// IncidentsOfCommunication lists the incidents an entry of the plan
	// was attached to or carried out for.
	IncidentsOfCommunication(ctx context.Context, orgID, entryID int64) ([]*IncidentRef, error)
}

// IncidentCategoryControls names, per incident category, the Annex A
// (2022) control a nonconformity registered from such an incident most
// likely did not meet; "other" names none, and the nonconformity's owner
// gives the requirement with the analysis.
var IncidentCategoryControls = map[IncidentCategory]string{
	"malware":             "A.8.7",  // protection against malware
	"phishing":            "A.6.3",  // awareness, education and training
	"unauthorised_access": "A.5.15", // access control
	"data_leak":           "A.8.12", // data leakage prevention
	"device_loss":         "A.8.1",  // user endpoint devices
	"outage":              "A.5.30", // ICT readiness for business continuity
	"misconfiguration":    "A.8.9",  // configuration management
	"physical":            "A.7.1",  // physical security perimeters
}

// Entry is the plan entry's id, 0 once it is removed from the plan.
func (c *IncidentCommunication) Entry() int64 { return idOf(c.EntryID) }
