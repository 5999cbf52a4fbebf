package web

import (
	"net/http"
	"strconv"

	"github.com/ismsdk/isms"
)

// What competence has due (guide 2.5), among the dashboard's due items:
// certifications that expire within competenceDueDays, the expired
// competences a holder of a security role still needs (a gap of the
// matrix, whether the certificate ran out or the need's refresh interval
// passed), and development plans that are overdue or fall due in the
// dashboard's window.

// competenceDueDays is how far ahead an expiring certification is shown:
// long enough to book the renewal.
const competenceDueDays = 60

func init() { dueSources = append(dueSources, competenceDue) }

func competenceDue(s *Server, r *http.Request, orgID int64, until isms.Date) ([]dueItem, error) {
	today := isms.DateOf(s.cfg.Now())
	m, err := s.Competence.CompetenceMatrix(r.Context(), orgID)
	if err != nil {
		return nil, err
	}
	have, err := s.Competence.Competences(r.Context(), orgID, 0)
	if err != nil {
		return nil, err
	}
	plans, err := s.Competence.CompetencePlans(r.Context(), orgID)
	if err != nil {
		return nil, err
	}
	var out []dueItem
	horizon := today.AddDays(competenceDueDays)
	byID := map[int64]*isms.Competence{}
	for _, c := range have {
		byID[c.ID] = c
		if c.Kind != isms.CompetenceCertification || c.ExpiresOn == nil || c.Expired(today) || horizon.Before(*c.ExpiresOn) {
			continue
		}
		out = append(out, dueItem{Label: c.UserName + ": " + c.Subject, Kind: "competence.due.expiring", Due: *c.ExpiresOn,
			Path: "/competence/records/" + strconv.FormatInt(c.ID, 10)})
	}
	for _, g := range m.Gaps {
		if g.Status != isms.GapExpired {
			continue
		}
		path, due := "/competence/needs/"+strconv.FormatInt(g.Need.ID, 10), g.Since
		if c := byID[ptrID(g.HaveID)]; c != nil {
			path = "/competence/records/" + strconv.FormatInt(c.ID, 10)
			if until := g.Need.ValidUntil(c); until != nil {
				due = *until
			}
		}
		out = append(out, dueItem{Label: g.Person.Name + ": " + g.Need.Subject + " (" + g.Role.Name + ")", Kind: "competence.due.expired",
			Due: due, Overdue: true, Path: path})
	}
	for _, p := range plans {
		if p.CompletedOn != nil || until.Before(p.DueOn) {
			continue
		}
		out = append(out, dueItem{Label: p.UserName + ": " + p.Action, Kind: "competence.due.plan", Due: p.DueOn, Overdue: p.Overdue(today),
			Path: "/competence/plans/" + strconv.FormatInt(p.ID, 10)})
	}
	return out, nil
}

func ptrID(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
