package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// Exports of risk management as XLSX: the risk register (its columns are
// headed as the import reads them, so an exported register can be edited
// and read back) and the risk treatment plan (clause 6.1.3 e).

func riskDateCell(d *isms.Date) any {
	if d == nil {
		return ""
	}
	return d.String()
}

func (s *Server) riskRegisterExport(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	lang := i18n.Negotiate(r)
	f, err := riskFilterFrom(r, 500)
	if err != nil {
		return err
	}
	ui, err := s.riskUI(r, lang, true)
	if err != nil {
		return err
	}
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	emails := map[int64]string{}
	for _, m := range members {
		emails[m.UserID] = m.UserEmail
	}
	t := translator(lang)
	h := func(field string) string { return export.RiskSheetHeading(field, lang) }
	sheet := export.Sheet{Name: t("risk.export.sheet_register"), Title: t("risk.export.title_register", org.Name, ui.Today.String()),
		Header: []string{h("asset"), h("threat"), h("title"), h("description"), h("likelihood"), h("consequence_c"), h("consequence_i"),
			h("consequence_a"), t("risk.export.inherent"), h("existing_controls"), h("treatment"), h("owner"), h("deadline"),
			h("planned_controls"), h("residual_likelihood"), h("residual_consequence"), t("risk.export.residual"), t("risk.export.acceptance"),
			t("risk.export.assessment"), t("risk.export.id")},
		Widths: []float64{28, 30, 36, 40, 12, 12, 12, 12, 22, 30, 14, 26, 12, 26, 12, 12, 22, 36, 28, 8}}
	f.Offset, f.Limit = 0, 500
	for {
		risks, total, err := s.Risk.Risks(r.Context(), org.ID, f)
		if err != nil {
			return err
		}
		for _, rk := range risks {
			existing := make([]string, 0, len(rk.ExistingControls)+1)
			for _, id := range rk.ExistingControls {
				existing = append(existing, ui.Ref(id))
			}
			if rk.ExistingControlsText != "" {
				existing = append(existing, rk.ExistingControlsText)
			}
			planned := make([]string, 0, len(rk.PlannedControls))
			for _, id := range rk.PlannedControls {
				planned = append(planned, ui.Ref(id))
			}
			acc := ""
			if a := rk.Acceptance; a != nil {
				acc = t("risk.export.accepted", a.AcceptedByName, a.AcceptedAt.Format(isms.DateLayout), a.Expires.String(), a.Reason)
				if !rk.Accepted {
					acc = t("risk.export.acceptance_lapsed") + " " + acc
				}
			} else if rk.NeedsAcceptance {
				acc = t("risk.needs_acceptance")
			}
			owner := ""
			if rk.OwnerID != nil {
				owner = emails[*rk.OwnerID]
			}
			treatment := ""
			if rk.Treatment != isms.TreatmentNone {
				treatment = t(i18n.Key("risk.treatment." + string(rk.Treatment)))
			}
			level := func(l isms.RiskLevel) string { return fmt.Sprintf("%d · %s", l.Score, ui.Band(l.Band)) }
			zero := func(n int) any {
				if n == 0 {
					return ""
				}
				return n
			}
			residualL, residualC := any(rk.Residual.Likelihood), any(rk.Residual.Consequence)
			sheet.Rows = append(sheet.Rows, export.Row{Cells: []any{rk.AssetName, rk.ThreatName(lang), rk.Title, rk.Description, rk.Likelihood,
				zero(rk.Consequence.Confidentiality), zero(rk.Consequence.Integrity), zero(rk.Consequence.Availability), level(rk.Inherent),
				strings.Join(existing, ", "), treatment, owner, riskDateCell(rk.Deadline), strings.Join(planned, ", "), residualL, residualC,
				level(rk.Residual), acc, rk.AssessmentTitle, rk.ID}})
		}
		f.Offset += len(risks)
		if len(risks) == 0 || f.Offset >= total {
			break
		}
	}
	s.streamXLSX(w, "risk export", "risk-register.xlsx", []export.Sheet{sheet})
	return nil
}

func (s *Server) riskPlanExport(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	lang := i18n.Negotiate(r)
	t := translator(lang)
	ui, err := s.riskUI(r, lang, true)
	if err != nil {
		return err
	}
	f, err := riskTaskFilterFrom(r, 500)
	if err != nil {
		return err
	}
	sheet := export.Sheet{Name: t("risk.export.sheet_plan"), Title: t("risk.export.title_plan", org.Name, ui.Today.String()),
		Header: []string{t("field.task_title"), t("field.description"), t("risk.export.risk"), t("risk.export.asset"), t("field.owner"),
			t("field.task_deadline"), t("field.task_status"), t("field.completed_on"), t("field.task_controls"), t("risk.export.overdue")},
		Widths: []float64{36, 40, 36, 28, 24, 12, 14, 12, 30, 10}}
	f.Offset, f.Limit = 0, 500
	for {
		tasks, total, err := s.Risk.RiskTasks(r.Context(), org.ID, f)
		if err != nil {
			return err
		}
		for _, k := range tasks {
			refs := make([]string, 0, len(k.Controls))
			for _, id := range k.Controls {
				refs = append(refs, ui.Control(id))
			}
			overdue := ""
			if k.Overdue(ui.Today) {
				overdue = t("ui.yes")
			}
			sheet.Rows = append(sheet.Rows, export.Row{Cells: []any{k.Title, k.Description, k.RiskTitle, k.AssetName, k.OwnerName,
				riskDateCell(k.Deadline), t(i18n.Key("risk.task_status." + string(k.Status))), riskDateCell(k.CompletedOn), strings.Join(refs, "\n"), overdue}})
		}
		f.Offset += len(tasks)
		if len(tasks) == 0 || f.Offset >= total {
			break
		}
	}
	untasked, err := s.Risk.UntaskedRisks(r.Context(), org.ID, 500)
	if err != nil {
		return err
	}
	gaps := export.Sheet{Name: t("risk.export.sheet_gaps"), Title: t("risk.plan.untasked"),
		Header: []string{t("risk.export.risk"), t("risk.export.asset"), t("field.treatment"), t("field.owner_id"), t("field.treatment_deadline")},
		Widths: []float64{40, 28, 16, 24, 12}}
	for _, rk := range untasked {
		gaps.Rows = append(gaps.Rows, export.Row{Cells: []any{rk.Title, rk.AssetName, t(i18n.Key("risk.treatment." + string(rk.Treatment))), rk.OwnerName,
			riskDateCell(rk.Deadline)}})
	}
	s.streamXLSX(w, "risk export", "risk-treatment-plan.xlsx", []export.Sheet{sheet, gaps})
	return nil
}
