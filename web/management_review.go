package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
)

// Management review (guide 2.9 "Ledelsesmæssig opfølgning", clause 9.3):
// the list of reviews with the open decisions, a review's page with the
// coordinator's inputs, sending (which freezes the pack), holding and the
// decisions, the pack as a printable page with the indicators' charts and
// as a DOCX document in Danish or English, and the API.

type mrevData struct {
	Review    *isms.ManagementReview
	Pack      *isms.ReviewPack
	Forums    []*isms.Forum
	Members   []*isms.Membership
	Inputs    []string
	Kinds     []isms.ReviewDecisionKind
	FollowUps []isms.FollowUp
	Today     isms.Date
	History   []historyItem
	Charts    map[int64]template.HTML
}

// Declared reports whether the review declares nothing to report on k.
func (d mrevData) Declared(k string) bool {
	return d.Review != nil && slices.Contains(d.Review.NothingToReport, k)
}

func (s *Server) mrevListPage(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	reviews, err := s.Reviews.ManagementReviews(r.Context(), org.ID)
	if err != nil {
		return err
	}
	open, err := s.Reviews.ReviewDecisions(r.Context(), org.ID, true)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.mrev_list")
	p.Data = struct {
		Reviews   []*isms.ManagementReview
		Decisions []*isms.ReviewDecision
		Today     isms.Date
	}{reviews, open, isms.DateOf(s.cfg.Now())}
	s.render(w, http.StatusOK, "management_review_list", p)
	return nil
}

func (s *Server) mrevNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderMrevNew(w, r, s.newPage(r, "title.mrev_new"), http.StatusOK)
}

func (s *Server) renderMrevNew(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	forums, err := s.Leadership.Forums(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	p.Data = mrevData{Forums: forums, Inputs: isms.ReviewInputs, Today: isms.DateOf(s.cfg.Now())}
	s.render(w, status, "management_review_form", p)
	return nil
}

func mrevInputFromForm(r *http.Request) (isms.ManagementReviewInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.ManagementReviewInput{Title: f.Get("title"), ReviewDate: parseOptionalDate(&v, "review_date", f.Get("review_date")),
		ForumID: parseOptionalID(&v, "forum_id", f.Get("forum_id")), Feedback: f.Get("feedback"), ThreatLandscape: f.Get("threat_landscape"),
		NothingToReport: f["nothing_to_report"], Minutes: f.Get("minutes"), Version: formVersion(r)}
	return in, v.Err()
}

func (s *Server) mrevCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, mrevInputFromForm, s.Reviews.CreateManagementReview,
		func(m *isms.ManagementReview) string { return idPath("/management-reviews/", m.ID) },
		func(_ isms.ManagementReviewInput, err error) error {
			return s.formRefused(r, err, s.newPage(r, "title.mrev_new"), func() int64 { return 0 },
				func(p *page, status int) error { return s.renderMrevNew(w, r, p, status) })
		})
}

func (s *Server) mrevPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderMrev(w, r, s.newPage(r, "title.mrev"), http.StatusOK)
}

func (s *Server) renderMrev(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	org := orgFrom(r.Context())
	m, err := s.Reviews.ManagementReview(r.Context(), org.ID, id)
	if err != nil {
		return err
	}
	pack, err := s.Reviews.ManagementReviewPack(r.Context(), org.ID, id)
	if err != nil {
		return err
	}
	forums, err := s.Leadership.Forums(r.Context(), org.ID)
	if err != nil {
		return err
	}
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "management_review", id)
	if err != nil {
		return err
	}
	p.Data = mrevData{Review: m, Pack: pack, Forums: forums, Members: members, Inputs: isms.ReviewInputs, Kinds: isms.ReviewDecisionKinds,
		FollowUps: isms.FollowUps, Today: isms.DateOf(s.cfg.Now()), History: hist}
	s.render(w, status, "management_review", p)
	return nil
}

// mrevRefused shows the review's page again with a refusal: invalid input
// names its fields, a stale version says the review changed meanwhile.
func (s *Server) mrevRefused(w http.ResponseWriter, r *http.Request, err error) error {
	switch isms.ErrorCode(err) {
	case isms.EInvalid:
		p := s.newPage(r, "title.mrev")
		p.setError(err)
		return s.renderMrev(w, r, p, http.StatusUnprocessableEntity)
	case isms.EConflict:
		p := s.newPage(r, "title.mrev")
		if e := isms.AsError(err); e != nil && e.Key != "err.stale" {
			p.setError(err)
		} else {
			p.setError(isms.Errorf(isms.EConflict, "mrev.err.changed"))
		}
		return s.renderMrev(w, r, p, http.StatusConflict)
	}
	return err
}

func (s *Server) mrevUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, err := mrevInputFromForm(r)
	if err == nil {
		_, err = s.Reviews.UpdateManagementReview(r.Context(), orgFrom(r.Context()).ID, id, in)
	}
	if err != nil {
		return s.mrevRefused(w, r, err)
	}
	s.redirect(w, r, p0(r, idPath("/management-reviews/", id)), "flash.mrev_saved")
	return nil
}

// mrevStep answers the send and hold buttons.
func (s *Server) mrevStep(step func(r *http.Request, orgID, id, version int64) (*isms.ManagementReview, error), flash string) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if _, err := step(r, orgFrom(r.Context()).ID, id, formVersion(r)); err != nil {
			return s.mrevRefused(w, r, err)
		}
		s.redirect(w, r, p0(r, idPath("/management-reviews/", id)), flash)
		return nil
	}
}

func (s *Server) mrevSend(r *http.Request, orgID, id, version int64) (*isms.ManagementReview, error) {
	return s.Reviews.SendManagementReview(r.Context(), orgID, id, version)
}

func (s *Server) mrevHold(r *http.Request, orgID, id, version int64) (*isms.ManagementReview, error) {
	return s.Reviews.HoldManagementReview(r.Context(), orgID, id, version)
}

func (s *Server) mrevDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Reviews.DeleteManagementReview(r.Context(), orgFrom(r.Context()).ID, id, formVersion(r)), "/management-reviews")
}

func mrevDecisionFromForm(r *http.Request) (isms.ReviewDecisionInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.ReviewDecisionInput{Kind: isms.ReviewDecisionKind(f.Get("kind")), Text: f.Get("decision"),
		OwnerID: parseOptionalID(&v, "owner_id", f.Get("owner_id")), DueOn: parseOptionalDate(&v, "due_on", f.Get("due_on")),
		Status: isms.FollowUp(f.Get("status")), Note: f.Get("follow_up_note"), Version: formVersion(r)}
	return in, v.Err()
}

func (s *Server) mrevDecisionCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, err := mrevDecisionFromForm(r)
	if err == nil {
		_, err = s.Reviews.CreateReviewDecision(r.Context(), orgFrom(r.Context()).ID, id, in)
	}
	if err != nil {
		return s.mrevRefused(w, r, err)
	}
	s.redirect(w, r, p0(r, idPath("/management-reviews/", id)+"#decisions"), "flash.mrev_decision")
	return nil
}

func (s *Server) mrevDecisionUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	did, err := pathID(r, "decision")
	if err != nil {
		return err
	}
	in, err := mrevDecisionFromForm(r)
	if err == nil {
		_, err = s.Reviews.UpdateReviewDecision(r.Context(), orgFrom(r.Context()).ID, did, in)
	}
	if err != nil {
		return s.mrevRefused(w, r, err)
	}
	s.redirect(w, r, p0(r, idPath("/management-reviews/", id)+"#decisions"), "flash.mrev_decision")
	return nil
}

func (s *Server) mrevDecisionDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	did, err := pathID(r, "decision")
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Reviews.DeleteReviewDecision(r.Context(), orgFrom(r.Context()).ID, did, formVersion(r)), idPath("/management-reviews/", id))
}

// packIndicator is the indicator of a pack entry, with its values, as the
// chart draws it.
func packIndicator(pi isms.PackIndicator) (*isms.Indicator, []*isms.IndicatorValue) {
	ind := &isms.Indicator{ID: pi.ID, Title: pi.Title, Unit: pi.Unit, Target: pi.TargetValue, Warning: pi.Warning, Breach: pi.Breach}
	vals := make([]*isms.IndicatorValue, 0, len(pi.Points))
	for _, pt := range pi.Points {
		vals = append(vals, &isms.IndicatorValue{IndicatorID: pi.ID, MeasuredOn: pt.On, Value: pt.Value})
	}
	return ind, vals
}

// packLang is the language a pack is shown in: the one asked for, or the
// reader's.
func packLang(r *http.Request, p *page) {
	if l := r.URL.Query().Get("lang"); l == "da" || l == "en" {
		p.Lang = l
	}
}

func (s *Server) mrevPackPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	org := orgFrom(r.Context())
	m, err := s.Reviews.ManagementReview(r.Context(), org.ID, id)
	if err != nil {
		return err
	}
	pack, err := s.Reviews.ManagementReviewPack(r.Context(), org.ID, id)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.mrev_pack")
	packLang(r, p)
	charts := map[int64]template.HTML{}
	for _, pi := range pack.Indicators {
		if len(pi.Points) == 0 {
			continue
		}
		ind, vals := packIndicator(pi)
		if charts[pi.ID], err = draw("indicator_chart.svg", newIndicatorChart(p, ind, vals)); err != nil {
			return err
		}
	}
	p.Data = mrevData{Review: m, Pack: pack, Inputs: isms.ReviewInputs, Today: isms.DateOf(s.cfg.Now()), Charts: charts}
	s.render(w, http.StatusOK, "management_review_pack", p)
	return nil
}

func (s *Server) mrevPackDOCX(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	org := orgFrom(r.Context())
	m, err := s.Reviews.ManagementReview(r.Context(), org.ID, id)
	if err != nil {
		return err
	}
	pack, err := s.Reviews.ManagementReviewPack(r.Context(), org.ID, id)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.mrev_pack")
	packLang(r, p)
	doc, err := packDocument(p, org.Name, m, pack)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", export.DOCXType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="management-review-%d-%s.docx"`, m.ID, p.Lang))
	if err := export.WriteDOCX(w, doc); err != nil {
		s.log.ErrorContext(r.Context(), "management review pack", "err", err)
	}
	return nil
}

// packDocument lays the pack out as a document: the same sections as the
// printable page, in the page's language, with the indicators' trends as
// charts.
func packDocument(p *page, orgName string, m *isms.ManagementReview, pack *isms.ReviewPack) (*export.Document, error) {
	d := &export.Document{Title: m.Title, Lang: p.Lang}
	T := p.T
	d.Heading(1, T("title.mrev_pack")+": "+m.Title)
	d.Para(orgName + " · " + T("mrev.review_date") + ": " + showDateText(m.ReviewDate))
	d.Para(T("mrev.period", showDateText(pack.From), showDateText(pack.AsOf)))
	if m.Frozen() {
		d.Para(T("mrev.frozen", m.FrozenAt.Format("02.01.2006 15:04"), m.FrozenByName) + " " + T("mrev.checksum") + " " + m.Checksum)
	} else {
		d.Para(T("mrev.live", showDateText(pack.AsOf)))
	}
	date := func(x *isms.Date) string {
		if x == nil {
			return ""
		}
		return showDateText(*x)
	}
	for i, k := range isms.ReviewInputs {
		d.Heading(2, fmt.Sprintf("%d. %s", i+1, T("mrev.input."+k)))
		if !pack.HasContent(k) {
			if pack.Declared(k) {
				d.Para(T("mrev.declared"))
			} else {
				d.Para(T("mrev.none"))
			}
			continue
		}
		switch k {
		case isms.InputPreviousActions:
			rows := [][]string{}
			for _, a := range pack.PreviousActions {
				rows = append(rows, []string{a.Text, a.Review, T("mrev.kind." + string(a.Kind)), a.OwnerName, date(a.DueOn), T("mrev.followup." + string(a.Status))})
			}
			d.Table([]string{T("mrev.col.action"), T("mrev.col.review"), T("mrev.col.kind"), T("mrev.col.owner"), T("mrev.col.due"), T("mrev.col.status")}, rows)
		case isms.InputContextChanges:
			rows := [][]string{}
			for _, c := range pack.ContextChanges {
				rows = append(rows, []string{c.Name, T("kind." + c.Kind), T("mrev.change." + c.Action), showDateText(c.On)})
			}
			d.Table([]string{T("mrev.col.name"), T("mrev.col.kind"), T("mrev.col.change"), T("mrev.col.date")}, rows)
		case isms.InputNonconformities, isms.InputAudit:
			ncs := pack.Nonconformities
			if k == isms.InputAudit {
				ncs = pack.AuditResults
				if len(pack.Audits) > 0 {
					rows := [][]string{}
					for _, a := range pack.Audits {
						rows = append(rows, []string{a.Title, showDateText(a.HeldTo), T("mrev.findings", a.Major, a.Minor, a.Observations, a.Opportunities), a.Conclusion})
					}
					d.Table([]string{T("mrev.col.title"), T("mrev.col.date"), T("mrev.col.findings"), T("mrev.col.conclusion")}, rows)
				}
				if len(ncs) == 0 {
					continue
				}
			}
			rows := [][]string{}
			for _, n := range ncs {
				rows = append(rows, []string{n.Title, strings.TrimSpace(T("nc.source."+string(n.Source)) + " " + n.SourceRef), T("nc.status." + string(n.Status)),
					showDateText(n.DetectedOn), n.OwnerName, fmt.Sprintf("%d/%d", n.ActionsDone, n.Actions)})
			}
			d.Table([]string{T("mrev.col.title"), T("mrev.col.source"), T("mrev.col.status"), T("mrev.col.date"), T("mrev.col.owner"), T("mrev.col.actions")}, rows)
		case isms.InputMeasurement:
			rows := [][]string{}
			for _, ind := range pack.Indicators {
				trend := ""
				if ind.Trend != "" {
					trend = T("mrev.trend." + ind.Trend)
				}
				rows = append(rows, []string{ind.Title, ind.Target, ind.Latest, trend, fmt.Sprint(ind.Breaches)})
			}
			d.Table([]string{T("mrev.col.title"), T("mrev.col.target"), T("mrev.col.latest"), T("mrev.col.trend"), T("mrev.col.breaches")}, rows)
			for _, pi := range pack.Indicators {
				if len(pi.Points) < 2 {
					continue
				}
				ind, vals := packIndicator(pi)
				png, err := export.LineChartPNG(packChartSeries(ind, vals))
				if err != nil {
					return nil, err
				}
				d.Para(T("mrev.chart", pi.Title))
				d.Image(png, T("mrev.chart", pi.Title))
			}
		case isms.InputObjectives:
			rows := [][]string{}
			for _, o := range pack.Objectives {
				rows = append(rows, []string{o.Title, o.Target, o.Latest, date(o.DueDate), T("obj.status." + string(o.Status))})
			}
			d.Table([]string{T("mrev.col.title"), T("mrev.col.target"), T("mrev.col.latest"), T("mrev.col.due"), T("mrev.col.status")}, rows)
		case isms.InputFeedback:
			d.Para(pack.Feedback)
		case isms.InputRisk:
			rk := pack.Risk
			d.Para(T("mrev.risk.summary", rk.Risks, rk.AboveAccept, rk.Accepted, rk.TasksOpen, rk.TasksOverdue, rk.TasksDone))
			if len(rk.Overdue) > 0 {
				rows := [][]string{}
				for _, o := range rk.Overdue {
					rows = append(rows, []string{o.Title, o.OwnerName, showDateText(o.Due)})
				}
				d.Table([]string{T("mrev.col.action"), T("mrev.col.owner"), T("mrev.col.due")}, rows)
			}
		case isms.InputImprovement:
			rows := [][]string{}
			for _, i := range pack.Improvements {
				rows = append(rows, []string{i.Title, T("imp.area." + string(i.Area)), T("imp.status." + string(i.Status)), i.OwnerName, date(i.DueOn)})
			}
			d.Table([]string{T("mrev.col.title"), T("mrev.col.area"), T("mrev.col.status"), T("mrev.col.owner"), T("mrev.col.due")}, rows)
		case isms.InputThreats:
			d.Para(pack.ThreatLandscape)
		}
	}
	d.Heading(2, T("mrev.decisions"))
	if len(m.Decisions) == 0 {
		d.Para(T("mrev.decisions.none"))
	} else {
		rows := [][]string{}
		for _, x := range m.Decisions {
			rows = append(rows, []string{x.Text, T("mrev.kind." + string(x.Kind)), x.OwnerName, date(x.DueOn), T("mrev.followup." + string(x.Status))})
		}
		d.Table([]string{T("mrev.decision"), T("mrev.col.kind"), T("mrev.col.owner"), T("mrev.col.due"), T("mrev.col.status")}, rows)
	}
	if m.Minutes != "" {
		d.Heading(2, T("mrev.minutes"))
		d.Para(m.Minutes)
	}
	return d, nil
}

// packChartSeries is an indicator's values with its target and thresholds as
// the PNG chart draws them.
func packChartSeries(ind *isms.Indicator, vals []*isms.IndicatorValue) export.ChartSeries {
	c := export.ChartSeries{}
	for _, v := range vals {
		c.Days = append(c.Days, v.MeasuredOn.Time)
		c.Values = append(c.Values, v.Value)
	}
	c.Target, c.Warning, c.Breach = ind.Target, ind.Warning, ind.Breach
	return c
}

// reviewDue puts the open decisions of the management reviews on the
// dashboard when their due date falls in the period or has passed.
func reviewDue(s *Server, r *http.Request, orgID int64, until isms.Date) ([]dueItem, error) {
	ds, err := s.Reviews.ReviewDecisions(r.Context(), orgID, true)
	if err != nil {
		return nil, err
	}
	today := isms.DateOf(s.cfg.Now())
	var out []dueItem
	for _, d := range ds {
		if d.DueOn != nil && !until.Before(*d.DueOn) {
			out = append(out, dueItem{Label: d.Text, Kind: "mrev.due", Due: *d.DueOn, Overdue: d.DueOn.Before(today), Path: idPath("/management-reviews/", d.ReviewID)})
		}
	}
	return out, nil
}

// mrevAPIDecisions lists every decision of the reviews for the API.
func (s *Server) mrevAPIDecisions(ctx context.Context, orgID int64) ([]*isms.ReviewDecision, error) {
	return s.Reviews.ReviewDecisions(ctx, orgID, false)
}
