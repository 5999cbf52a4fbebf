package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// Exports of risk management as XLSX: the risk register (its columns are
// headed as the import reads them, so an exported register can be edited
// and read back) and the risk treatment plan (clause 6.1.3 e).

// riskLevel is a level of the organisation's scale with its label, for a
// spreadsheet: the number and, beside it, the label (empty when out of
// the scale, 0 when not assessed).
func riskLevel(labels []isms.ScaleLabel, lang string, v int) export.Level {
	l := export.Level{Value: v}
	if v >= 1 && v <= len(labels) {
		l.Name = labels[v-1].In(lang)
	}
	return l
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
	scale := &ui.M.Scale
	// The columns the import reads are headed as it reads them; a level's
	// name beside its number is not read back. The further consequences
	// are columns where the method assesses them.
	type column struct {
		heading string
		level   bool // a number and its name: two columns
		width   float64
	}
	cols := []column{}
	field := func(f string, level bool, width float64) {
		cols = append(cols, column{export.RiskSheetHeading(f, lang), level, width})
	}
	field("asset", false, 28)
	field("threat", false, 30)
	field("title", false, 36)
	field("description", false, 40)
	field("likelihood", true, 16)
	field("consequence_c", true, 16)
	field("consequence_i", true, 16)
	field("consequence_a", true, 16)
	dims := ui.M.Dimensions
	for _, d := range []struct {
		on  bool
		key i18n.Key
	}{{dims.Organisation, "risk.export.consequence_org"}, {dims.Citizens, "risk.export.consequence_citizens"},
		{dims.Society, "risk.export.consequence_society"}} {
		if d.on {
			cols = append(cols, column{t(d.key), true, 16})
		}
	}
	cols = append(cols, column{t("risk.export.inherent_score"), false, 10}, column{t("risk.export.inherent_band"), false, 16})
	field("existing_controls", false, 30)
	field("treatment", false, 14)
	field("owner", false, 26)
	field("deadline", false, 12)
	field("planned_controls", false, 26)
	field("residual_likelihood", true, 16)
	field("residual_consequence", true, 16)
	cols = append(cols, column{t("risk.export.residual_score"), false, 10}, column{t("risk.export.residual_band"), false, 16},
		column{t("risk.export.acceptance"), false, 36}, column{t("risk.export.accepted_on"), false, 12},
		column{t("risk.export.accepted_until"), false, 12}, column{t("risk.export.assessment"), false, 28}, column{t("risk.export.product_id"), false, 8})
	sheet := export.Sheet{Name: t("risk.export.sheet_register"), Title: t("risk.export.title_register", org.Name, ui.Today.String())}
	for _, c := range cols {
		sheet.Header = append(sheet.Header, c.heading)
		sheet.Widths = append(sheet.Widths, c.width)
		if c.level {
			sheet.Header = append(sheet.Header, t("xlsx.level_name", c.heading))
			sheet.Widths = append(sheet.Widths, 16)
		}
	}
	likelihood := func(v int) export.Level { return riskLevel(scale.Likelihood, lang, v) }
	consequence := func(v int) export.Level { return riskLevel(scale.Consequence, lang, v) }
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
			var accOn *time.Time
			var accUntil *isms.Date
			if a := rk.Acceptance; a != nil {
				acc = t("risk.export.accepted", a.AcceptedByName, a.AcceptedAt.Format(isms.DateLayout), a.Expires.String(), a.Reason)
				if !rk.Accepted {
					acc = t("risk.export.acceptance_lapsed") + " " + acc
				}
				accOn, accUntil = &a.AcceptedAt, &a.Expires
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
			c := rk.Consequence
			cells := []any{rk.AssetName, rk.ThreatName(lang), rk.Title, rk.Description, likelihood(rk.Likelihood),
				consequence(c.Confidentiality), consequence(c.Integrity), consequence(c.Availability)}
			for _, d := range []struct {
				on    bool
				level int
			}{{dims.Organisation, c.Organisation}, {dims.Citizens, c.Citizens}, {dims.Society, c.Society}} {
				if d.on {
					cells = append(cells, consequence(d.level))
				}
			}
			cells = append(cells, rk.Inherent.Score, ui.Band(rk.Inherent.Band), strings.Join(existing, ", "), treatment, owner,
				rk.Deadline, strings.Join(planned, ", "), likelihood(rk.Residual.Likelihood), consequence(rk.Residual.Consequence),
				rk.Residual.Score, ui.Band(rk.Residual.Band), acc, accOn, accUntil, rk.AssessmentTitle, rk.ID)
			sheet.Rows = append(sheet.Rows, export.Row{Cells: cells})
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
				k.Deadline, t(i18n.Key("risk.task_status." + string(k.Status))), k.CompletedOn, strings.Join(refs, "\n"), overdue}})
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
			rk.Deadline}})
	}
	s.streamXLSX(w, "risk export", "risk-treatment-plan.xlsx", []export.Sheet{sheet, gaps})
	return nil
}
