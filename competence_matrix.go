package isms

import "strings"

// The competence matrix (guide 2.5): each security role's needs against
// what its holders have, certifications that have expired or soon will,
// and the needs of a role that no holder meets.

// GapStatus is how a holder stands against one need of their role.
type GapStatus string

const (
	GapMet        GapStatus = "met"         // has it at the level, valid
	GapExpiring   GapStatus = "expiring"    // has it, but it expires within ExpiresSoonDays
	GapExpired    GapStatus = "expired"     // had it; it has expired
	GapBelowLevel GapStatus = "below_level" // has it at a lower level
	GapMissing    GapStatus = "missing"     // has nothing of it recorded
)

// Meets reports whether the holder meets the need today.
func (g GapStatus) Meets() bool { return g == GapMet || g == GapExpiring }

// CompetenceCell is one holder against one need.
type CompetenceCell struct {
	NeedID int64     `json:"need_id"`
	UserID int64     `json:"user_id"`
	Status GapStatus `json:"status"`
	// Have is the person's best matching competence, if any.
	HaveID *int64 `json:"have_id"`
}

// RoleCompetence is a role's needs against its holders.
type RoleCompetence struct {
	Role    *SecurityRole     `json:"role"`
	Needs   []*CompetenceNeed `json:"needs"`
	Holders []RolePerson      `json:"holders"` // the holders still members
	// Cells holds a row per holder, a column per need.
	Cells [][]CompetenceCell `json:"cells"`
	// Unmet are the needs no holder meets.
	Unmet []*CompetenceNeed `json:"unmet"`
}

// Gap is a holder who does not meet a need of their role.
type Gap struct {
	Role   *SecurityRole   `json:"role"`
	Need   *CompetenceNeed `json:"need"`
	Person RolePerson      `json:"person"`
	Status GapStatus       `json:"status"`
	// Since is the first day the records show the gap: the day the need
	// was recorded, or the day after the holder's competence ran out,
	// whichever is later. (When the person took the role is not
	// recorded, so a gap of a new holder dates from the need.)
	Since Date `json:"since"`
	// HaveID is the person's best matching competence, if any (the one
	// that expired or is below the level).
	HaveID *int64 `json:"have_id"`
}

// CompetenceMatrix is the gap view of the organisation.
type CompetenceMatrix struct {
	Today Date             `json:"today"`
	Roles []RoleCompetence `json:"roles"`
	// Functions are the needs of ISMS functions that are not roles: shown,
	// not matched against people.
	Functions []*CompetenceNeed `json:"functions"`
	// NoNeeds are the roles with no need recorded.
	NoNeeds []*SecurityRole `json:"no_needs"`
	Gaps    []Gap           `json:"gaps"`
	// Expiring are the certifications and other competences that have
	// expired or expire within ExpiresSoonDays, soonest first.
	Expiring []*Competence `json:"expiring"`
}

// SameCompetence reports whether a competence someone has is the one a
// need names: the same subject, ignoring case and surrounding space.
func SameCompetence(need, have string) bool {
	return strings.EqualFold(strings.TrimSpace(need), strings.TrimSpace(have))
}

// Stand finds how a person's competences meet a need today, and the best
// matching one. A competence counts until the need's ValidUntil: its own
// expiry, or the need's refresh interval after it was achieved.
func Stand(need *CompetenceNeed, have []*Competence, today Date) (GapStatus, *Competence) {
	status, best := GapMissing, (*Competence)(nil)
	rank := map[GapStatus]int{GapMissing: 0, GapExpired: 1, GapBelowLevel: 2, GapExpiring: 3, GapMet: 4}
	for _, c := range have {
		if !SameCompetence(need.Subject, c.Subject) {
			continue
		}
		s := GapMet
		until := need.ValidUntil(c)
		switch {
		case until != nil && until.Before(today):
			s = GapExpired
		case !c.Level.Meets(need.Level):
			s = GapBelowLevel
		case until != nil && until.Before(today.AddDays(ExpiresSoonDays+1)):
			s = GapExpiring
		}
		if rank[s] > rank[status] {
			status, best = s, c
		}
	}
	return status, best
}

// BuildCompetenceMatrix sets the needs of each role against what its
// holders (members only) have on the day today.
func BuildCompetenceMatrix(roles []*SecurityRole, needs []*CompetenceNeed, have []*Competence, today Date) *CompetenceMatrix {
	m := &CompetenceMatrix{Today: today}
	byPerson := map[int64][]*Competence{}
	for _, c := range have {
		byPerson[c.UserID] = append(byPerson[c.UserID], c)
		if c.Expired(today) || c.ExpiresSoon(today) {
			m.Expiring = append(m.Expiring, c)
		}
	}
	for i := 1; i < len(m.Expiring); i++ { // soonest first, stable
		for j := i; j > 0 && m.Expiring[j].ExpiresOn.Before(*m.Expiring[j-1].ExpiresOn); j-- {
			m.Expiring[j], m.Expiring[j-1] = m.Expiring[j-1], m.Expiring[j]
		}
	}
	byRole := map[int64][]*CompetenceNeed{}
	for _, n := range needs {
		if n.RoleID == nil {
			m.Functions = append(m.Functions, n)
			continue
		}
		byRole[*n.RoleID] = append(byRole[*n.RoleID], n)
	}
	for _, r := range roles {
		rn := byRole[r.ID]
		if len(rn) == 0 {
			m.NoNeeds = append(m.NoNeeds, r)
			continue
		}
		rc := RoleCompetence{Role: r, Needs: rn}
		for _, h := range r.Holders {
			if h.Member {
				rc.Holders = append(rc.Holders, h)
			}
		}
		met := make([]bool, len(rn))
		for _, h := range rc.Holders {
			row := make([]CompetenceCell, len(rn))
			for j, n := range rn {
				s, best := Stand(n, byPerson[h.UserID], today)
				row[j] = CompetenceCell{NeedID: n.ID, UserID: h.UserID, Status: s}
				if best != nil {
					row[j].HaveID = &best.ID
				}
				if s.Meets() {
					met[j] = true
				} else {
					g := Gap{Role: r, Need: n, Person: h, Status: s, Since: DateOf(n.CreatedAt), HaveID: row[j].HaveID}
					if s == GapExpired {
						if end := n.ValidUntil(best).AddDays(1); g.Since.Before(end) {
							g.Since = end
						}
					}
					m.Gaps = append(m.Gaps, g)
				}
			}
			rc.Cells = append(rc.Cells, row)
		}
		for j, n := range rn {
			if !met[j] {
				rc.Unmet = append(rc.Unmet, n)
			}
		}
		m.Roles = append(m.Roles, rc)
	}
	return m
}

// Unmet counts the role needs no holder meets.
func (m *CompetenceMatrix) Unmet() int {
	n := 0
	for _, r := range m.Roles {
		n += len(r.Unmet)
	}
	return n
}
