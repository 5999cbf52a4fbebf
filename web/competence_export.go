package web

import (
	"net/http"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// compMatrixExport answers the competence matrix as a workbook: one sheet
// of each role's needs against its holders (met, expiring, gap), one of
// the gaps with the development plans that close them.
func (s *Server) compMatrixExport(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	m, err := s.Competence.CompetenceMatrix(r.Context(), org.ID)
	if err != nil {
		return err
	}
	have, err := s.Competence.Competences(r.Context(), org.ID, 0)
	if err != nil {
		return err
	}
	plans, err := s.Competence.CompetencePlans(r.Context(), org.ID)
	if err != nil {
		return err
	}
	t := translator(i18n.Negotiate(r))
	today := isms.DateOf(s.cfg.Now())
	byID := map[int64]*isms.Competence{}
	for _, c := range have {
		byID[c.ID] = c
	}
	headers := func(keys ...i18n.Key) []string {
		out := make([]string, len(keys))
		for i, k := range keys {
			out[i] = t(k)
		}
		return out
	}

	matrix := export.Sheet{Name: t("competence.export.matrix_sheet"), Title: t("competence.export.title", org.Name, today.String()),
		Header: headers("field.subject", "field.comp_kind", "field.level", "field.refresh_months", "field.user_id", "competence.export.status",
			"competence.export.held", "competence.export.valid_until"),
		Widths: []float64{36, 16, 14, 12, 26, 16, 36, 14}}
	for _, rc := range m.Roles {
		matrix.Rows = append(matrix.Rows, export.Row{Section: rc.Role.Name})
		for j, n := range rc.Needs {
			refresh := any("")
			if n.RefreshMonths > 0 {
				refresh = n.RefreshMonths
			}
			need := []any{n.Subject, t(i18n.Key("competence.kind." + string(n.Kind))), t(i18n.Key("competence.level." + string(n.Level))), refresh}
			if len(rc.Holders) == 0 {
				matrix.Rows = append(matrix.Rows, export.Row{Cells: append(need, t("lead.vacant"), t("competence.gap.missing"), "", "")})
				continue
			}
			for i, h := range rc.Holders {
				c := rc.Cells[i][j]
				held, until := "", (*isms.Date)(nil)
				if c.HaveID != nil {
					if hc := byID[*c.HaveID]; hc != nil {
						held = hc.Subject + " (" + t(i18n.Key("competence.level."+string(hc.Level))) + ")"
						until = n.ValidUntil(hc)
					}
				}
				row := append(append([]any(nil), need...), h.Name, t(i18n.Key("competence.gap."+string(c.Status))), held, until)
				matrix.Rows = append(matrix.Rows, export.Row{Cells: row})
			}
		}
	}
	if len(m.Functions) > 0 {
		matrix.Rows = append(matrix.Rows, export.Row{Section: t("competence.matrix.functions")})
		for _, n := range m.Functions {
			matrix.Rows = append(matrix.Rows, export.Row{Cells: []any{n.Subject, t(i18n.Key("competence.kind." + string(n.Kind))),
				t(i18n.Key("competence.level." + string(n.Level))), "", n.Function, "", "", ""}})
		}
	}

	planFor := map[[2]int64]*isms.CompetencePlan{}
	for _, p := range plans { // open ones first, by due date: the first open plan wins
		k := [2]int64{p.NeedID, p.UserID}
		if planFor[k] == nil || (planFor[k].CompletedOn != nil && p.CompletedOn == nil) {
			planFor[k] = p
		}
	}
	gaps := export.Sheet{Name: t("competence.export.gaps_sheet"), Title: t("competence.export.gaps_title", org.Name, today.String()),
		Header: headers("field.role_id", "field.subject", "field.user_id", "competence.export.status", "competence.export.since",
			"field.action", "field.owner_id", "field.due_on", "competence.export.plan_state"),
		Widths: []float64{26, 36, 26, 16, 12, 40, 26, 12, 18}}
	for _, g := range m.Gaps {
		row := []any{g.Role.Name, g.Need.Subject, g.Person.Name, t(i18n.Key("competence.gap." + string(g.Status))), g.Since}
		p := planFor[[2]int64{g.Need.ID, g.Person.UserID}]
		switch {
		case p == nil:
			row = append(row, "", "", "", t("competence.export.no_plan"))
		default:
			state := t("competence.export.plan_open")
			if p.CompletedOn != nil {
				state = t("competence.plan_done") + " " + p.CompletedOn.String()
			} else if p.Overdue(today) {
				state = t("competence.wheel_overdue")
			}
			row = append(row, p.Action, p.OwnerName, p.DueOn, state)
		}
		gaps.Rows = append(gaps.Rows, export.Row{Cells: row})
	}
	return s.sendXLSX(w, "kompetencematrix.xlsx", []export.Sheet{matrix, gaps})
}
