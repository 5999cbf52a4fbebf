package web

import (
	"net/http"

	"github.com/ismsdk/isms"
)

// The status report to management (guide 2.4): the page that assembles it
// live from the records, presenting it (which keeps a frozen copy), the
// list of reports presented, each report's page with management's receipt,
// and the API.

type srView struct {
	Content    *isms.StatusReportContent
	Totals     []totalView
	ISMSTotals []totalView
}

func newSRView(lang string, c *isms.StatusReportContent) srView {
	return srView{Content: c, Totals: totalViews(lang, c.Totals), ISMSTotals: totalViews(lang, c.ISMSTotals)}
}

type srData struct {
	// Report is the presented report; nil on the page that assembles a new
	// one from the records.
	Report *isms.StatusReport
	View   srView
	Forums []*isms.Forum
	Today  isms.Date
	// Latest is the report presented last, shown on the new report's page.
	Latest  *isms.StatusReport
	History []historyItem
}

func (s *Server) srListPage(w http.ResponseWriter, r *http.Request) error {
	reports, err := s.Resources.StatusReports(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.status_reports")
	p.Data = struct {
		Reports []*isms.StatusReport
		Today   isms.Date
	}{reports, isms.DateOf(s.cfg.Now())}
	s.render(w, http.StatusOK, "status_report_list", p)
	return nil
}

func (s *Server) srNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderSRNew(w, r, s.newPage(r, "title.status_report_new"), http.StatusOK)
}

func (s *Server) renderSRNew(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	org := orgFrom(r.Context())
	c, err := s.Resources.StatusReportPreview(r.Context(), org.ID)
	if err != nil {
		return err
	}
	forums, err := s.Leadership.Forums(r.Context(), org.ID)
	if err != nil {
		return err
	}
	reports, err := s.Resources.StatusReports(r.Context(), org.ID)
	if err != nil {
		return err
	}
	d := srData{View: newSRView(p.Lang, c), Forums: forums, Today: isms.DateOf(s.cfg.Now())}
	if len(reports) > 0 {
		d.Latest = reports[0]
	}
	p.Data = d
	s.render(w, status, "status_report", p)
	return nil
}

func srInputFromForm(r *http.Request) (isms.StatusReportInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.StatusReportInput{Title: f.Get("title"), PresentedOn: parseOptionalDate(&v, "presented_on", f.Get("presented_on")),
		ForumID: parseOptionalID(&v, "forum_id", f.Get("forum_id")), PresentedTo: f.Get("presented_to"),
		NextDue: parseOptionalDate(&v, "next_due", f.Get("next_due"))}
	return in, v.Err()
}

func (s *Server) srPresentSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, srInputFromForm, s.Resources.PresentStatusReport,
		func(sr *isms.StatusReport) string { return idPath("/status-reports/", sr.ID) },
		func(_ isms.StatusReportInput, err error) error {
			return s.formRefused(r, err, s.newPage(r, "title.status_report_new"), func() int64 { return 0 },
				func(p *page, status int) error { return s.renderSRNew(w, r, p, status) })
		})
}

func (s *Server) srPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderSR(w, r, s.newPage(r, "title.status_report"), http.StatusOK)
}

func (s *Server) renderSR(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sr, err := s.Resources.StatusReport(r.Context(), orgFrom(r.Context()).ID, id)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "status_report", sr.ID)
	if err != nil {
		return err
	}
	p.Data = srData{Report: sr, View: newSRView(p.Lang, &sr.Content), Today: isms.DateOf(s.cfg.Now()), History: hist}
	s.render(w, status, "status_report", p)
	return nil
}

func (s *Server) srReceiveSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in := isms.StatusReportReceipt{Decisions: r.PostForm.Get("decisions"), Version: formVersion(r)}
	if _, err := s.Resources.ReceiveStatusReport(r.Context(), orgFrom(r.Context()).ID, id, in); err != nil {
		switch isms.ErrorCode(err) {
		case isms.EInvalid:
			p := s.newPage(r, "title.status_report")
			p.setError(err)
			return s.renderSR(w, r, p, http.StatusUnprocessableEntity)
		case isms.EConflict:
			p := s.newPage(r, "title.status_report")
			p.setError(isms.Errorf(isms.EConflict, "sr.err.changed"))
			return s.renderSR(w, r, p, http.StatusConflict)
		}
		return err
	}
	s.redirect(w, r, p0(r, idPath("/status-reports/", id)), "flash.sr_received")
	return nil
}

func (s *Server) srDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Resources.DeleteStatusReport(r.Context(), orgFrom(r.Context()).ID, id, formVersion(r)), "/status-reports")
}

// statusReportDue puts the next status report to management on the
// dashboard when the latest report's next due date falls in the period or
// has passed.
func statusReportDue(s *Server, r *http.Request, orgID int64, until isms.Date) ([]dueItem, error) {
	reports, err := s.Resources.StatusReports(r.Context(), orgID)
	if err != nil || len(reports) == 0 || reports[0].NextDue == nil || until.Before(*reports[0].NextDue) {
		return nil, err
	}
	due := *reports[0].NextDue
	return []dueItem{{Kind: "sr.due_next", Due: due, Overdue: due.Before(isms.DateOf(s.cfg.Now())), Path: "/status-reports/new"}}, nil
}
