package web

import (
	"net/http"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// Internal audit (guide 2.9, clause 9.2): the audit programmes with their
// coverage, the audits with checklist and findings, the printable report
// and its approval, the findings register and a parent's view of its
// children's findings. The coordinator plans; the auditor records; the
// lead auditor approves; management reads.

// ---- programmes ----

type audProgrammesData struct {
	Programmes []*isms.AuditProgramme
	Today      isms.Date
}

func (s *Server) audProgrammesPage(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.InternalAudit.AuditProgrammes(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.aud_programmes")
	p.Data = audProgrammesData{Programmes: ps, Today: isms.DateOf(s.cfg.Now())}
	s.render(w, http.StatusOK, "audit_programmes", p)
	return nil
}

func (s *Server) loadProgramme(r *http.Request) (*isms.AuditProgramme, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.InternalAudit.AuditProgramme(r.Context(), orgFrom(r.Context()).ID, id)
}

type audProgrammeData struct {
	Programme *isms.AuditProgramme
	Coverage  *isms.AuditCoverage
	Today     isms.Date
	History   []historyItem
}

func (s *Server) audProgrammePage(w http.ResponseWriter, r *http.Request) error {
	pr, err := s.loadProgramme(r)
	if err != nil {
		return err
	}
	cov, err := s.InternalAudit.AuditCoverage(r.Context(), pr.OrganisationID, pr.ID)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "audit_programme", pr.ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.aud_programme")
	p.Data = audProgrammeData{Programme: pr, Coverage: cov, Today: isms.DateOf(s.cfg.Now()), History: hist}
	s.render(w, http.StatusOK, "audit_programme", p)
	return nil
}

func (s *Server) audProgrammeForm(w http.ResponseWriter, p *page, pr *isms.AuditProgramme, status int) error {
	p.Data = struct{ Programme *isms.AuditProgramme }{pr}
	s.render(w, status, "audit_programme_form", p)
	return nil
}

func (s *Server) audProgrammeNewPage(w http.ResponseWriter, r *http.Request) error {
	y := isms.DateOf(s.cfg.Now()).Year()
	p := s.newPage(r, "title.aud_programme_new")
	return s.audProgrammeForm(w, p, &isms.AuditProgramme{Title: p.T("aud.programme_default", y, y+2), FirstYear: y, LastYear: y + 2}, http.StatusOK)
}

func (s *Server) audProgrammeEditPage(w http.ResponseWriter, r *http.Request) error {
	pr, err := s.loadProgramme(r)
	if err != nil {
		return err
	}
	return s.audProgrammeForm(w, s.newPage(r, "title.aud_programme_edit"), pr, http.StatusOK)
}

func audProgrammeFromForm(r *http.Request) (isms.AuditProgrammeInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.AuditProgrammeInput{Title: f.Get("title"), Approach: f.Get("approach"), Version: parseVersion(f.Get("version"))}
	in.FirstYear = parseYear(&v, "first_year", f.Get("first_year"))
	in.LastYear = parseYear(&v, "last_year", f.Get("last_year"))
	return in, v.Err()
}

// parseYear reads a year; the programme's validation names a missing one.
func parseYear(v *isms.Validation, field, s string) int { return formInt(v, field, s, 0) }

func (s *Server) audProgrammeRefused(w http.ResponseWriter, r *http.Request, pr *isms.AuditProgramme, err error) error {
	title, current := "title.aud_programme_new", func() int64 { return 0 }
	if pr == nil {
		pr = &isms.AuditProgramme{}
	} else {
		title = "title.aud_programme_edit"
		current = func() int64 { return pr.Version }
	}
	return s.formRefused(r, err, s.newPage(r, title), current,
		func(p *page, status int) error { return s.audProgrammeForm(w, p, pr, status) })
}

func (s *Server) audProgrammeCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, audProgrammeFromForm, s.InternalAudit.CreateAuditProgramme,
		func(pr *isms.AuditProgramme) string { return idPath("/internal-audit/programmes/", pr.ID) },
		func(_ isms.AuditProgrammeInput, err error) error { return s.audProgrammeRefused(w, r, nil, err) })
}

func (s *Server) audProgrammeUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	pr, err := s.loadProgramme(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, audProgrammeFromForm, s.InternalAudit.UpdateAuditProgramme, pr.OrganisationID, pr.ID,
		idPath("/internal-audit/programmes/", pr.ID), func(err error) error { return s.audProgrammeRefused(w, r, pr, err) })
}

func (s *Server) audProgrammeDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	pr, err := s.loadProgramme(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.InternalAudit.DeleteAuditProgramme(r.Context(), pr.OrganisationID, pr.ID, formVersion(r)), "/internal-audit")
}

// ---- audits ----

func (s *Server) loadAudit(r *http.Request) (*isms.Audit, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.InternalAudit.Audit(r.Context(), orgFrom(r.Context()).ID, id)
}

type audData struct {
	Audit        *isms.Audit
	Programme    *isms.AuditProgramme
	Members      []*isms.Membership
	Documents    []*isms.Document
	FindingTypes []isms.FindingType
	IsLead       bool
	Today        isms.Date
	History      []historyItem
}

func (s *Server) audPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAudit(w, r, s.newPage(r, "title.aud_audit"), http.StatusOK)
}

func (s *Server) renderAudit(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	a, err := s.loadAudit(r)
	if err != nil {
		return err
	}
	pr, err := s.InternalAudit.AuditProgramme(r.Context(), a.OrganisationID, a.ProgrammeID)
	if err != nil {
		return err
	}
	members, err := s.Orgs.Memberships(r.Context(), a.OrganisationID)
	if err != nil {
		return err
	}
	docs, _, err := s.Documents.Documents(r.Context(), a.OrganisationID, isms.DocumentFilter{Limit: 500})
	if err != nil {
		return err
	}
	hist, err := s.history(r, "internal_audit", a.ID)
	if err != nil {
		return err
	}
	p.Data = audData{Audit: a, Programme: pr, Members: members, Documents: docs, FindingTypes: isms.FindingTypes,
		IsLead: p.User != nil && a.LeadAuditorID != nil && *a.LeadAuditorID == p.User.ID, Today: isms.DateOf(s.cfg.Now()), History: hist}
	s.render(w, status, "internal_audit", p)
	return nil
}

// audRefused shows the audit's page again with a refused checklist,
// finding or approval; other errors go to the error page.
func (s *Server) audRefused(w http.ResponseWriter, r *http.Request, err error) error {
	if c := isms.ErrorCode(err); c == isms.EInvalid || c == isms.EConflict {
		p := s.newPage(r, "title.aud_audit")
		p.setError(err)
		status := http.StatusUnprocessableEntity
		if c == isms.EConflict {
			status = http.StatusConflict
		}
		return s.renderAudit(w, r, p, status)
	}
	return err
}

type audFormData struct {
	Audit          *isms.Audit
	Programmes     []*isms.AuditProgramme
	Members        []*isms.Membership
	Activities     []*isms.Activity
	ClauseChoices  []choice
	ControlChoices []choice
	Independences  []isms.AuditIndependence
}

func (s *Server) audForm(w http.ResponseWriter, r *http.Request, p *page, a *isms.Audit, status int) error {
	org := orgFrom(r.Context())
	ps, err := s.InternalAudit.AuditProgrammes(r.Context(), org.ID)
	if err != nil {
		return err
	}
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	acts, _, err := s.Wheel.WheelActivities(r.Context(), org.ID, isms.ActivityFilter{Limit: 500})
	if err != nil {
		return err
	}
	d := audFormData{Audit: a, Programmes: ps, Members: members, Activities: acts, Independences: isms.AuditIndependences}
	for _, c := range isms.StandardClauses {
		d.ClauseChoices = append(d.ClauseChoices, choice{Value: c, Label: c + " " + p.T("wheel.clause."+c)})
	}
	// The controls offered are the SoA's applicable ones, as the coverage
	// counts them; the programme's first line of coverage gives them.
	if len(ps) > 0 {
		cov, err := s.InternalAudit.AuditCoverage(r.Context(), org.ID, ps[0].ID)
		if err != nil {
			return err
		}
		for _, l := range cov.Controls {
			d.ControlChoices = append(d.ControlChoices, choice{Value: l.Ref, Label: l.Ref + " " + l.Title})
		}
	}
	p.Data = d
	s.render(w, status, "internal_audit_form", p)
	return nil
}

func (s *Server) audNewPage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.aud_audit_new")
	a := &isms.Audit{Independence: isms.IndependenceInternal, Criteria: p.T("aud.criteria_default"), PlannedOn: isms.DateOf(s.cfg.Now())}
	if v := r.URL.Query().Get("programme"); v != "" {
		var val isms.Validation
		if id := parseOptionalID(&val, "programme", v); id != nil {
			a.ProgrammeID = *id
		}
	}
	if p.User != nil && p.Can("audit") {
		me := p.User.ID
		a.LeadAuditorID = &me
	}
	return s.audForm(w, r, p, a, http.StatusOK)
}

func (s *Server) audEditPage(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadAudit(r)
	if err != nil {
		return err
	}
	return s.audForm(w, r, s.newPage(r, "title.aud_audit_edit"), a, http.StatusOK)
}

func audInputFromForm(r *http.Request) (isms.AuditInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.AuditInput{Title: f.Get("title"), Scope: f.Get("scope"), Criteria: f.Get("criteria"), Clauses: f["clauses"], Controls: f["controls"],
		PlannedOn: parseOptionalDate(&v, "planned_on", f.Get("planned_on")), HeldFrom: parseOptionalDate(&v, "held_from", f.Get("held_from")),
		HeldTo: parseOptionalDate(&v, "held_to", f.Get("held_to")), LeadAuditorID: parseOptionalID(&v, "lead_auditor_id", f.Get("lead_auditor_id")),
		OtherAuditors: f.Get("other_auditors"), Independence: isms.AuditIndependence(f.Get("independence")), IndependenceWhy: f.Get("independence_note"),
		EvidenceSeen: f.Get("evidence_seen"), Conclusion: f.Get("conclusion"),
		WheelActivityID: parseOptionalID(&v, "wheel_activity_id", f.Get("wheel_activity_id")), Version: parseVersion(f.Get("version"))}
	if id := parseOptionalID(&v, "programme_id", f.Get("programme_id")); id != nil {
		in.ProgrammeID = *id
	}
	return in, v.Err()
}

func (s *Server) audFormRefused(w http.ResponseWriter, r *http.Request, a *isms.Audit, err error) error {
	title, current := "title.aud_audit_new", func() int64 { return 0 }
	if a == nil {
		a = &isms.Audit{}
	} else {
		title = "title.aud_audit_edit"
		current = func() int64 { return a.Version }
	}
	return s.formRefused(r, err, s.newPage(r, title), current,
		func(p *page, status int) error { return s.audForm(w, r, p, a, status) })
}

func (s *Server) audCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, audInputFromForm, s.InternalAudit.CreateAudit,
		func(a *isms.Audit) string { return idPath("/internal-audit/audits/", a.ID) },
		func(_ isms.AuditInput, err error) error { return s.audFormRefused(w, r, nil, err) })
}

func (s *Server) audUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadAudit(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, audInputFromForm, s.InternalAudit.UpdateAudit, a.OrganisationID, a.ID,
		idPath("/internal-audit/audits/", a.ID), func(err error) error { return s.audFormRefused(w, r, a, err) })
}

func (s *Server) audDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadAudit(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.InternalAudit.DeleteAudit(r.Context(), a.OrganisationID, a.ID, formVersion(r)),
		idPath("/internal-audit/programmes/", a.ProgrammeID))
}

// audChecksSubmit saves the checklist: one result and note per line, the
// lines named by their ref.
func (s *Server) audChecksSubmit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadAudit(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	in := isms.AuditCheckInput{Version: formVersion(r)}
	for _, ref := range f["ref"] {
		in.Checks = append(in.Checks, isms.AuditCheck{Ref: ref, Result: isms.CheckResult(f.Get("result_" + ref)), Note: f.Get("note_" + ref)})
	}
	if _, err := s.InternalAudit.SaveAuditChecks(r.Context(), a.OrganisationID, a.ID, in); err != nil {
		return s.audRefused(w, r, err)
	}
	s.redirect(w, r, p0(r, idPath("/internal-audit/audits/", a.ID)+"#checklist"), "flash.saved")
	return nil
}

func findingInputFromForm(r *http.Request) (isms.AuditFindingInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.AuditFindingInput{Type: isms.FindingType(f.Get("type")), Ref: f.Get("ref"), Title: f.Get("title"), Description: f.Get("description"),
		Evidence: f.Get("evidence"), DocumentID: parseOptionalID(&v, "document_id", f.Get("document_id")), Version: parseVersion(f.Get("version"))}
	return in, v.Err()
}

func (s *Server) audFindingCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadAudit(r)
	if err != nil {
		return err
	}
	in, err := findingInputFromForm(r)
	var fd *isms.AuditFinding
	if err == nil {
		fd, err = s.InternalAudit.CreateAuditFinding(r.Context(), a.OrganisationID, a.ID, in)
	}
	if err != nil {
		return s.audRefused(w, r, err)
	}
	s.redirect(w, r, p0(r, idPath("/internal-audit/findings/", fd.ID)), "aud.flash.finding_recorded")
	return nil
}

func (s *Server) audApproveSubmit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadAudit(r)
	if err != nil {
		return err
	}
	if _, err := s.InternalAudit.ApproveAuditReport(r.Context(), a.OrganisationID, a.ID, formVersion(r)); err != nil {
		return s.audRefused(w, r, err)
	}
	s.redirect(w, r, p0(r, idPath("/internal-audit/audits/", a.ID)+"/report"), "aud.flash.approved")
	return nil
}

func (s *Server) audWithdrawSubmit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadAudit(r)
	if err != nil {
		return err
	}
	if _, err := s.InternalAudit.WithdrawAuditApproval(r.Context(), a.OrganisationID, a.ID, formVersion(r)); err != nil {
		return s.audRefused(w, r, err)
	}
	s.redirect(w, r, p0(r, idPath("/internal-audit/audits/", a.ID)), "aud.flash.withdrawn")
	return nil
}

// audReportPage is the audit report assembled from the audit's records,
// laid out for print; management reads it here.
func (s *Server) audReportPage(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadAudit(r)
	if err != nil {
		return err
	}
	pr, err := s.InternalAudit.AuditProgramme(r.Context(), a.OrganisationID, a.ProgrammeID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.aud_report")
	p.Data = struct {
		Audit     *isms.Audit
		Programme *isms.AuditProgramme
	}{a, pr}
	s.render(w, http.StatusOK, "internal_audit_report", p)
	return nil
}

// ---- findings ----

func (s *Server) audFindingsPage(w http.ResponseWriter, r *http.Request) error {
	fs, err := s.InternalAudit.AuditFindings(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	if t := isms.FindingType(r.URL.Query().Get("type")); t.Valid() {
		kept := fs[:0]
		for _, f := range fs {
			if f.Type == t {
				kept = append(kept, f)
			}
		}
		fs = kept
	}
	p := s.newPage(r, "title.aud_findings")
	p.Data = struct {
		Findings []*isms.AuditFinding
		Types    []isms.FindingType
	}{fs, isms.FindingTypes}
	s.render(w, http.StatusOK, "audit_findings", p)
	return nil
}

func (s *Server) loadFinding(r *http.Request) (*isms.AuditFinding, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.InternalAudit.AuditFinding(r.Context(), orgFrom(r.Context()).ID, id)
}

type findingData struct {
	Finding *isms.AuditFinding
	Audit   *isms.Audit
	NC      *isms.Nonconformity
	Members []*isms.Membership
	History []historyItem
}

func (s *Server) audFindingPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderFinding(w, r, s.newPage(r, "title.aud_finding"), http.StatusOK)
}

func (s *Server) renderFinding(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	f, err := s.loadFinding(r)
	if err != nil {
		return err
	}
	a, err := s.InternalAudit.Audit(r.Context(), f.OrganisationID, f.AuditID)
	if err != nil {
		return err
	}
	d := findingData{Finding: f, Audit: a}
	if f.NonconformityID != nil {
		if d.NC, err = s.Nonconformities.Nonconformity(r.Context(), f.OrganisationID, *f.NonconformityID); err != nil {
			return err
		}
	}
	if d.Members, err = s.Orgs.Memberships(r.Context(), f.OrganisationID); err != nil {
		return err
	}
	if d.History, err = s.history(r, "audit_finding", f.ID); err != nil {
		return err
	}
	p.Data = d
	s.render(w, status, "audit_finding", p)
	return nil
}

func (s *Server) audFindingEditPage(w http.ResponseWriter, r *http.Request) error {
	f, err := s.loadFinding(r)
	if err != nil {
		return err
	}
	return s.findingForm(w, r, s.newPage(r, "title.aud_finding_edit"), f, http.StatusOK)
}

func (s *Server) findingForm(w http.ResponseWriter, r *http.Request, p *page, f *isms.AuditFinding, status int) error {
	a, err := s.InternalAudit.Audit(r.Context(), f.OrganisationID, f.AuditID)
	if err != nil {
		return err
	}
	docs, _, err := s.Documents.Documents(r.Context(), f.OrganisationID, isms.DocumentFilter{Limit: 500})
	if err != nil {
		return err
	}
	p.Data = struct {
		Finding   *isms.AuditFinding
		Audit     *isms.Audit
		Documents []*isms.Document
		Types     []isms.FindingType
	}{f, a, docs, isms.FindingTypes}
	s.render(w, status, "audit_finding_form", p)
	return nil
}

func (s *Server) audFindingUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := s.loadFinding(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, findingInputFromForm, s.InternalAudit.UpdateAuditFinding, f.OrganisationID, f.ID,
		idPath("/internal-audit/findings/", f.ID), func(err error) error {
			return s.formRefused(r, err, s.newPage(r, "title.aud_finding_edit"), func() int64 { return f.Version },
				func(p *page, status int) error { return s.findingForm(w, r, p, f, status) })
		})
}

func (s *Server) audFindingDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := s.loadFinding(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.InternalAudit.DeleteAuditFinding(r.Context(), f.OrganisationID, f.ID, formVersion(r)),
		idPath("/internal-audit/audits/", f.AuditID))
}

// audFindingNCSubmit registers a nonconformity finding in the
// nonconformity register and goes on to the new record.
func (s *Server) audFindingNCSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := s.loadFinding(r)
	if err != nil {
		return err
	}
	var v isms.Validation
	in := isms.FindingRegistration{OwnerID: parseOptionalID(&v, "owner_id", r.PostForm.Get("owner_id")), Version: formVersion(r)}
	err = v.Err()
	var n *isms.Nonconformity
	if err == nil {
		n, err = s.InternalAudit.RegisterFindingNonconformity(r.Context(), f.OrganisationID, f.ID, in)
	}
	if err != nil {
		if c := isms.ErrorCode(err); c == isms.EInvalid || c == isms.EConflict {
			p := s.newPage(r, "title.aud_finding")
			p.setError(err)
			status := http.StatusUnprocessableEntity
			if c == isms.EConflict {
				status = http.StatusConflict
			}
			return s.renderFinding(w, r, p, status)
		}
		return err
	}
	s.redirect(w, r, p0(r, idPath("/nonconformities/", n.ID)), "aud.flash.registered")
	return nil
}

// ---- group, export, due ----

type groupFindings struct {
	Org      *isms.Organisation
	Findings []*isms.AuditFinding
	Counts   isms.FindingCounts
}

// audGroupPage shows a parent organisation its children's audit findings
// side by side, read-only (guide 2.2 "koncernstyring"); the store refuses
// a child the reader may not see.
func (s *Server) audGroupPage(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	orgs, err := s.Orgs.Organisations(r.Context())
	if err != nil {
		return err
	}
	var out []groupFindings
	for _, o := range orgs {
		if o.ParentID == nil || *o.ParentID != org.ID {
			continue
		}
		fs, err := s.InternalAudit.AuditFindings(r.Context(), o.ID)
		if err != nil {
			return err
		}
		g := groupFindings{Org: o, Findings: fs}
		for _, f := range fs {
			g.Counts.Add(f.Type)
		}
		out = append(out, g)
	}
	p := s.newPage(r, "title.aud_group")
	p.Data = struct{ Children []groupFindings }{out}
	s.render(w, http.StatusOK, "audit_group", p)
	return nil
}

// audExport writes the audit programmes and the findings as a workbook:
// one sheet of the programmes' audits with their scope, dates, auditors
// and counts, one of the findings with their nonconformities' status.
func (s *Server) audExport(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	ps, err := s.InternalAudit.AuditProgrammes(r.Context(), org.ID)
	if err != nil {
		return err
	}
	fs, err := s.InternalAudit.AuditFindings(r.Context(), org.ID)
	if err != nil {
		return err
	}
	t := translator(i18n.Negotiate(r))
	today := isms.DateOf(s.cfg.Now())
	prog := export.Sheet{Name: t("aud.export.programme_sheet"), Title: t("aud.export.title", org.Name, today.String()),
		Widths: []float64{34, 12, 12, 12, 24, 16, 40, 40, 12, 8, 8, 8, 8}}
	for _, k := range []string{"aud.field.title", "aud.field.planned_on", "aud.field.held_from", "aud.field.held_to", "aud.field.lead_auditor_id",
		"aud.field.independence", "aud.field.clauses", "aud.field.controls", "aud.status", "aud.type.major_nc", "aud.type.minor_nc",
		"aud.type.observation", "aud.type.opportunity"} {
		prog.Header = append(prog.Header, t(i18n.Key(k)))
	}
	for _, p := range ps {
		prog.Rows = append(prog.Rows, export.Row{Section: t("aud.export.cycle", p.Title, p.FirstYear, p.LastYear)})
		for _, a := range p.Audits {
			prog.Rows = append(prog.Rows, export.Row{Cells: []any{a.Title, a.PlannedOn, a.HeldFrom, a.HeldTo,
				strings.TrimSpace(a.LeadAuditorName + " " + a.OtherAuditors), t(i18n.Key("aud.independence." + string(a.Independence))),
				strings.Join(a.Clauses, ", "), strings.Join(a.Controls, ", "), t(i18n.Key("aud.status." + string(a.Status))),
				a.Counts.MajorNC, a.Counts.MinorNC, a.Counts.Observations, a.Counts.Opportunity}})
		}
	}
	find := export.Sheet{Name: t("aud.export.findings_sheet"), Title: t("aud.export.title", org.Name, today.String()),
		Widths: []float64{30, 20, 10, 34, 40, 40, 30, 14}}
	for _, k := range []string{"aud.audit", "aud.field.type", "aud.field.ref", "aud.field.finding_title", "aud.field.description",
		"aud.field.evidence", "aud.nonconformity", "aud.nc_status"} {
		find.Header = append(find.Header, t(i18n.Key(k)))
	}
	for _, f := range fs {
		status := ""
		if f.NCStatus != "" {
			status = t(i18n.Key("nc.status." + string(f.NCStatus)))
		}
		find.Rows = append(find.Rows, export.Row{Cells: []any{f.AuditTitle, t(i18n.Key("aud.type." + string(f.Type))), f.Ref, f.Title,
			f.Description, f.Evidence, f.NCTitle, status}})
	}
	s.streamXLSX(w, "internal audit export", t("aud.export.file")+".xlsx", []export.Sheet{prog, find})
	return nil
}

// internalAuditDue puts on the dashboard the audits planned in the period
// and not yet held, and held audits whose report awaits approval.
func internalAuditDue(s *Server, r *http.Request, orgID int64, until isms.Date) ([]dueItem, error) {
	today := isms.DateOf(s.cfg.Now())
	ps, err := s.InternalAudit.AuditProgrammes(r.Context(), orgID)
	if err != nil {
		return nil, err
	}
	var out []dueItem
	for _, p := range ps {
		for _, a := range p.Audits {
			switch {
			case a.HeldTo == nil && !until.Before(a.PlannedOn):
				out = append(out, dueItem{Label: a.Title, Kind: "aud.due.hold", Due: a.PlannedOn, Overdue: a.Overdue(today),
					Path: idPath("/internal-audit/audits/", a.ID)})
			case a.HeldTo != nil && a.ApprovedAt == nil:
				due := a.HeldTo.AddDays(30)
				out = append(out, dueItem{Label: a.Title, Kind: "aud.due.approve", Due: due, Overdue: due.Before(today),
					Path: idPath("/internal-audit/audits/", a.ID)})
			}
		}
	}
	return out, nil
}
