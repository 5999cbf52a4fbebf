package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// docExport writes the register of documented information as XLSX: one
// row per document the caller may read with its metadata and the state
// of its versions, a sheet with the mandatory and optional documentation
// and the organisation's decisions, and a sheet with the form rules and
// retention periods.
func (s *Server) docExport(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	lang := i18n.Negotiate(r)
	t := translator(lang)
	var docs []*isms.Document
	for offset := 0; ; offset += 500 {
		page, total, err := s.Documents.Documents(r.Context(), org.ID, isms.DocumentFilter{Sort: "kind", Limit: 500, Offset: offset})
		if err != nil {
			return err
		}
		docs = append(docs, page...)
		if offset+500 >= total {
			break
		}
	}
	reqs, err := s.Documents.DocumentationRequirements(r.Context(), org.ID)
	if err != nil {
		return err
	}
	rules, err := s.Documents.DocumentFormRules(r.Context(), org.ID)
	if err != nil {
		return err
	}
	retention, err := s.Documents.RetentionRules(r.Context(), org.ID)
	if err != nil {
		return err
	}
	reqTitle := map[int64]string{}
	for _, q := range reqs {
		reqTitle[q.ID] = q.Title(lang)
	}
	today := isms.DateOf(s.cfg.Now())

	register := export.Sheet{Name: t("doc.xlsx.documents"), Title: fmt.Sprintf("%s · %s · %s", t("title.doc_list"), org.Name, today),
		Header: []string{t("field.doc_title"), t("field.doc_kind"), t("field.doc_classification"), t("field.doc_owner_id"),
			t("field.doc_language"), t("field.doc_format"), t("field.doc_medium"), t("field.doc_storage_location"), t("field.doc_clause"),
			t("field.doc_requirement_id"), t("field.doc_approver_ids"), t("field.doc_review_interval_months"), t("field.doc_next_review"),
			t("ui.overdue"), t("doc.current_version"), t("doc.current_state"), t("doc.published_version"), t("doc.published_at")},
		Widths: []float64{40, 24, 14, 20, 10, 12, 12, 24, 12, 40, 24, 10, 12, 12, 10, 14, 10, 12}}
	for _, d := range docs {
		var approvers []string
		for _, a := range d.Approvers {
			approvers = append(approvers, a.Name)
		}
		req := ""
		if d.RequirementID != nil {
			req = reqTitle[*d.RequirementID]
		}
		overdue := ""
		if d.NextReview != nil && d.ReviewOverdue(today) {
			overdue = t("ui.yes")
		}
		class := t("doc.class.unset")
		if d.Classification != "" {
			class = t(i18n.Key("doc.class." + string(d.Classification)))
		}
		medium := ""
		if d.Medium != "" {
			medium = t(i18n.Key("doc.medium." + d.Medium))
		}
		cells := []any{d.Title, t(i18n.Key("doc.kind." + string(d.Kind))), class, d.OwnerName, d.Language, d.Format, medium,
			d.StorageLocation, d.Clause, req, strings.Join(approvers, ", "), d.ReviewIntervalMonths, d.NextReview, overdue}
		if d.Current != nil {
			cells = append(cells, d.Current.Number, t(i18n.Key("doc.state."+string(d.Current.State))))
		} else {
			cells = append(cells, nil, t("doc.state.none"))
		}
		if d.Published != nil {
			cells = append(cells, d.Published.Number, d.Published.PublishedAt)
		} else {
			cells = append(cells, nil, "")
		}
		register.Rows = append(register.Rows, export.Row{Cells: cells})
	}

	requirements := export.Sheet{Name: t("doc.xlsx.requirements"), Title: t("title.doc_requirements"),
		Header: []string{t("doc.req_kind"), t("doc.requirement"), t("doc.clause_2013"), t("doc.clause_2022"), t("doc.annex_a"),
			t("field.doc_decision"), t("field.doc_reason"), t("doc.decided"), t("doc.fulfilled_by"), t("doc.fulfilled")},
		Widths: []float64{12, 50, 16, 14, 14, 12, 40, 24, 40, 10}}
	section := ""
	for _, q := range reqs {
		if q.Kind != section {
			section = q.Kind
			requirements.Rows = append(requirements.Rows, export.Row{Section: t(i18n.Key("doc.req_kind." + q.Kind))})
		}
		var titles []string
		for _, ref := range q.Documents {
			titles = append(titles, ref.Title)
		}
		decision := ""
		if q.Decision != "" {
			decision = t(i18n.Key("doc.decision." + q.Decision))
		}
		decided := ""
		if q.DecidedAt != nil {
			decided = q.DecidedBy + ", " + fmtDate(q.DecidedAt)
		}
		fulfilled := t("answer.no")
		if q.Fulfilled {
			fulfilled = t("answer.yes")
		}
		requirements.Rows = append(requirements.Rows, export.Row{Cells: []any{t(i18n.Key("doc.req_kind." + q.Kind)), q.Title(lang),
			q.Clause2013, q.Clause2022, q.AnnexA, decision, q.Reason, decided, strings.Join(titles, "; "), fulfilled}})
	}

	control := export.Sheet{Name: t("doc.xlsx.control"), Title: t("doc.xlsx.control_title"),
		Header: []string{t("ui.field"), t("doc.value")}, Widths: []float64{30, 80}}
	var metadata []string
	for _, m := range rules.RequiredMetadata {
		metadata = append(metadata, t(i18n.Key("doc.meta."+m)))
	}
	control.Rows = append(control.Rows,
		export.Row{Section: t("title.doc_rules")},
		export.Row{Cells: []any{t("field.doc_naming_standard"), rules.NamingStandard}},
		export.Row{Cells: []any{t("field.doc_naming_pattern"), rules.NamingPattern}},
		export.Row{Cells: []any{t("field.doc_format_standard"), rules.FormatStandard}},
		export.Row{Cells: []any{t("field.doc_media_standard"), rules.MediaStandard}},
		export.Row{Cells: []any{t("field.doc_required_metadata"), strings.Join(metadata, ", ")}},
		export.Row{Cells: []any{t("field.doc_accepted_formats"), strings.Join(rules.AcceptedFormats, ", ")}},
		export.Row{Section: t("title.doc_retention")})
	for _, rr := range retention {
		if rr.Version == 0 && rr.InUse == 0 {
			continue
		}
		value := t("doc.retention_none")
		if rr.Version > 0 {
			value = t("doc.retention_value", rr.RetentionMonths, rr.DeletionProcedure)
		}
		control.Rows = append(control.Rows, export.Row{Cells: []any{t(i18n.Key("doc.kind." + string(rr.Kind))), value}})
	}

	name := fmt.Sprintf("dokumentation-%d-%s.xlsx", org.ID, today)
	if lang == i18n.EN {
		name = fmt.Sprintf("documentation-%d-%s.xlsx", org.ID, today)
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return s.sendXLSX(w, name, []export.Sheet{register, requirements, control})
}
