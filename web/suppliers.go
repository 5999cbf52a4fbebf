package web

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// The supplier register and the supervision of suppliers (guide 2.9,
// Annex A 5.19–5.23): the list with its filters, each supplier with its
// agreements, dependencies, outsourced controls and risks and its
// supervisions, the forms, the spreadsheet and the API.

func supFilterFrom(r *http.Request, limit int) (isms.SupplierFilter, error) {
	q := r.URL.Query()
	f := isms.SupplierFilter{Criticality: isms.SupplierCriticality(q.Get("criticality")), Status: isms.SupplierStatus(q.Get("status")),
		Overdue: parseFlag(q.Get("overdue")), Query: q.Get("q"), Sort: q.Get("sort")}
	var v isms.Validation
	if f.Criticality != "" && !f.Criticality.Valid() {
		v.Add("criticality", "err.choice")
	}
	if f.Status != "" && !f.Status.Valid() {
		v.Add("status", "err.choice")
	}
	var err error
	if f.Offset, f.Limit, err = pageFrom(r, limit); err != nil {
		return f, err
	}
	return f, v.Err()
}

type supListData struct {
	Suppliers     []*isms.Supplier
	Filter        isms.SupplierFilter
	Pager         pager
	Criticalities []isms.SupplierCriticality
	Statuses      []isms.SupplierStatus
	Today         isms.Date
}

func (s *Server) supListPage(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	f, err := supFilterFrom(r, 50)
	if err != nil {
		return err
	}
	sups, total, err := s.Suppliers.Suppliers(r.Context(), org.ID, f)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.suppliers")
	p.Data = supListData{Suppliers: sups, Filter: f, Pager: newPager(r, total, f.Offset, f.Limit), Criticalities: isms.SupplierCriticalities,
		Statuses: isms.SupplierStatuses, Today: isms.DateOf(s.cfg.Now())}
	s.render(w, http.StatusOK, "supplier_list", p)
	return nil
}

func (s *Server) loadSupplier(r *http.Request) (*isms.Supplier, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Suppliers.Supplier(r.Context(), orgFrom(r.Context()).ID, id)
}

type supData struct {
	Supplier     *isms.Supplier
	Agreements   []*isms.SupplierAgreement
	Supervisions []*isms.Supervision
	Gaps         []isms.StatementGap
	Documents    []*isms.Document
	Kinds        []isms.AgreementKind
	Today        isms.Date
	History      []historyItem
}

func (s *Server) supPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderSupplier(w, r, s.newPage(r, "title.supplier"), http.StatusOK)
}

func (s *Server) renderSupplier(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	sup, err := s.loadSupplier(r)
	if err != nil {
		return err
	}
	ags, err := s.Suppliers.SupplierAgreements(r.Context(), sup.OrganisationID, sup.ID)
	if err != nil {
		return err
	}
	svs, err := s.Suppliers.Supervisions(r.Context(), sup.OrganisationID, sup.ID)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "supplier", sup.ID)
	if err != nil {
		return err
	}
	d := supData{Supplier: sup, Agreements: ags, Supervisions: svs, Gaps: isms.StatementGaps(svs), Kinds: isms.AgreementKinds,
		Today: isms.DateOf(s.cfg.Now()), History: hist}
	if p.OwnsOrCan(sup.OwnerID) {
		// The documents an agreement may point to: the register's contracts.
		if d.Documents, _, err = s.Documents.Documents(r.Context(), sup.OrganisationID, isms.DocumentFilter{Kind: isms.DocContract, Sort: "title", Limit: 500}); err != nil {
			return err
		}
	}
	p.Data = d
	s.render(w, status, "supplier", p)
	return nil
}

type supFormData struct {
	Supplier      *isms.Supplier
	Members       []*isms.Membership
	Entries       []labelled
	Controls      []labelled
	Risks         []labelled
	Chosen        map[string][]int64
	Criticalities []isms.SupplierCriticality
	Statuses      []isms.SupplierStatus
}

func supLabelled(lang string, ls []isms.SupplierLink) []labelled {
	out := make([]labelled, len(ls))
	for i, l := range ls {
		out[i] = labelled{l.ID, l.Localised(lang)}
	}
	return out
}

func supLinkIDs(ls []isms.SupplierLink) []int64 {
	out := make([]int64, len(ls))
	for i, l := range ls {
		out[i] = l.ID
	}
	return out
}

func (s *Server) supForm(w http.ResponseWriter, r *http.Request, p *page, sup *isms.Supplier, status int) error {
	org := orgFrom(r.Context())
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	c, err := s.Suppliers.SupplierChoices(r.Context(), org.ID)
	if err != nil {
		return err
	}
	d := supFormData{Supplier: sup, Members: members, Entries: supLabelled(p.Lang, c.Entries), Controls: supLabelled(p.Lang, c.Controls),
		Risks: supLabelled(p.Lang, c.Risks), Chosen: map[string][]int64{}, Criticalities: isms.SupplierCriticalities, Statuses: isms.SupplierStatuses}
	if sup != nil {
		d.Chosen["dependencies"], d.Chosen["controls"], d.Chosen["risks"] = supLinkIDs(sup.Dependencies), supLinkIDs(sup.Controls), supLinkIDs(sup.Risks)
	}
	p.Data = d
	s.render(w, status, "supplier_form", p)
	return nil
}

func (s *Server) supNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.supForm(w, r, s.newPage(r, "title.supplier_new"), nil, http.StatusOK)
}

func (s *Server) supEditPage(w http.ResponseWriter, r *http.Request) error {
	sup, err := s.loadSupplier(r)
	if err != nil {
		return err
	}
	return s.supForm(w, r, s.newPage(r, "title.supplier_edit"), sup, http.StatusOK)
}

func supInputFromForm(r *http.Request) (isms.SupplierInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.SupplierInput{Name: f.Get("name"), CVR: f.Get("cvr"), Contact: f.Get("contact"), Delivers: f.Get("delivers"),
		Criticality: isms.SupplierCriticality(f.Get("criticality")), Status: isms.SupplierStatus(f.Get("status")),
		OwnerID: parseOptionalID(&v, "owner_id", f.Get("owner_id")), Note: f.Get("note"),
		Dependencies: parseIDs(&v, "dependencies", f["dependencies"]), Controls: parseIDs(&v, "controls", f["controls"]),
		Risks: parseIDs(&v, "risks", f["risks"]), Version: parseVersion(f.Get("version"))}
	return in, v.Err()
}

func (s *Server) supFormError(w http.ResponseWriter, r *http.Request, sup *isms.Supplier, err error) error {
	title, current := "title.supplier_new", func() int64 { return 0 }
	if sup != nil {
		title = "title.supplier_edit"
		if cur, x := s.Suppliers.Supplier(r.Context(), sup.OrganisationID, sup.ID); x == nil {
			sup = cur
		}
		current = func() int64 { return sup.Version }
	}
	return s.formRefused(r, err, s.newPage(r, title), current,
		func(p *page, status int) error { return s.supForm(w, r, p, sup, status) })
}

func (s *Server) supCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, supInputFromForm, s.Suppliers.CreateSupplier,
		func(sup *isms.Supplier) string { return idPath("/suppliers/", sup.ID) },
		func(_ isms.SupplierInput, err error) error { return s.supFormError(w, r, nil, err) })
}

func (s *Server) supUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	sup, err := s.loadSupplier(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, supInputFromForm, s.Suppliers.UpdateSupplier, sup.OrganisationID, sup.ID,
		idPath("/suppliers/", sup.ID), func(err error) error { return s.supFormError(w, r, sup, err) })
}

func (s *Server) supDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	sup, err := s.loadSupplier(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Suppliers.DeleteSupplier(r.Context(), sup.OrganisationID, sup.ID, formVersion(r)), "/suppliers")
}

func (s *Server) supAgreementSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, err := agreementInputFromForm(r)
	if err == nil {
		_, err = s.Suppliers.AddSupplierAgreement(r.Context(), orgFrom(r.Context()).ID, id, in)
	}
	if err != nil {
		if isms.ErrorCode(err) == isms.EInvalid {
			p := s.newPage(r, "title.supplier")
			p.setError(err)
			p.Form = r.PostForm
			return s.renderSupplier(w, r, p, http.StatusUnprocessableEntity)
		}
		return err
	}
	s.redirect(w, r, p0(r, idPath("/suppliers/", id)), "flash.saved")
	return nil
}

func agreementInputFromForm(r *http.Request) (isms.SupplierAgreementInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.SupplierAgreementInput{Kind: isms.AgreementKind(f.Get("kind")), Title: f.Get("title"),
		StartsOn: parseOptionalDate(&v, "starts_on", f.Get("starts_on")), EndsOn: parseOptionalDate(&v, "ends_on", f.Get("ends_on")),
		ReviewOn: parseOptionalDate(&v, "review_on", f.Get("review_on")), DocumentID: parseOptionalID(&v, "document_id", f.Get("document_id")),
		Note: f.Get("note"), Version: parseVersion(f.Get("version"))}
	return in, v.Err()
}

// loadAgreement reads the supplier of the path and its agreement.
func (s *Server) loadAgreement(r *http.Request) (*isms.Supplier, *isms.SupplierAgreement, error) {
	sup, err := s.loadSupplier(r)
	if err != nil {
		return nil, nil, err
	}
	aid, err := pathID(r, "agreement")
	if err != nil {
		return nil, nil, err
	}
	ags, err := s.Suppliers.SupplierAgreements(r.Context(), sup.OrganisationID, sup.ID)
	if err != nil {
		return nil, nil, err
	}
	for _, a := range ags {
		if a.ID == aid {
			return sup, a, nil
		}
	}
	return nil, nil, isms.Errorf(isms.ENotFound, "err.not_found", "agreement")
}

type agreementFormData struct {
	Supplier  *isms.Supplier
	Agreement *isms.SupplierAgreement
	Documents []*isms.Document
	Kinds     []isms.AgreementKind
}

func (s *Server) agreementForm(w http.ResponseWriter, r *http.Request, p *page, sup *isms.Supplier, a *isms.SupplierAgreement, status int) error {
	docs, _, err := s.Documents.Documents(r.Context(), sup.OrganisationID, isms.DocumentFilter{Kind: isms.DocContract, Sort: "title", Limit: 500})
	if err != nil {
		return err
	}
	p.Data = agreementFormData{Supplier: sup, Agreement: a, Documents: docs, Kinds: isms.AgreementKinds}
	s.render(w, status, "supplier_agreement_form", p)
	return nil
}

func (s *Server) supAgreementEditPage(w http.ResponseWriter, r *http.Request) error {
	sup, a, err := s.loadAgreement(r)
	if err != nil {
		return err
	}
	return s.agreementForm(w, r, s.newPage(r, "title.agreement_edit"), sup, a, http.StatusOK)
}

func (s *Server) supAgreementUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	sup, a, err := s.loadAgreement(r)
	if err != nil {
		return err
	}
	return saveForm(s, w, r, agreementInputFromForm, func(ctx context.Context, in isms.SupplierAgreementInput) (*isms.SupplierAgreement, error) {
		return s.Suppliers.UpdateSupplierAgreement(ctx, sup.OrganisationID, sup.ID, a.ID, in)
	}, func(*isms.SupplierAgreement) string { return idPath("/suppliers/", sup.ID) }, func(_ isms.SupplierAgreementInput, err error) error {
		return s.formRefused(r, err, s.newPage(r, "title.agreement_edit"), func() int64 {
			if _, cur, x := s.loadAgreement(r); x == nil {
				return cur.Version
			}
			return 0
		}, func(p *page, status int) error { return s.agreementForm(w, r, p, sup, a, status) })
	})
}

func (s *Server) supAgreementDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	aid, err := pathID(r, "agreement")
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Suppliers.DeleteSupplierAgreement(r.Context(), orgFrom(r.Context()).ID, id, aid), idPath("/suppliers/", id))
}

// Supervisions.

func (s *Server) loadSupervision(r *http.Request) (*isms.Supervision, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Suppliers.Supervision(r.Context(), orgFrom(r.Context()).ID, id)
}

type svData struct {
	Supervision *isms.Supervision
	Supplier    *isms.Supplier
	Today       isms.Date
	History     []historyItem
	// Questionnaire is the supervision's questionnaire, if it has one
	// (supplier_questionnaire.go); Sent its new link, shown once.
	Questionnaire *isms.SupplierQuestionnaire
	Sent          *qnSent
	// ReopenUntil is the last day offered when reopening.
	ReopenUntil isms.Date
}

func (s *Server) svPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderSupervision(w, r, s.newPage(r, "title.supervision"), nil, http.StatusOK)
}

func (s *Server) renderSupervision(w http.ResponseWriter, r *http.Request, p *page, sent *qnSent, status int) error {
	v, err := s.loadSupervision(r)
	if err != nil {
		return err
	}
	sup, err := s.Suppliers.Supplier(r.Context(), v.OrganisationID, v.SupplierID)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "supplier_supervision", v.ID)
	if err != nil {
		return err
	}
	q, err := s.Questionnaires.SupervisionQuestionnaire(r.Context(), v.OrganisationID, v.ID)
	if err != nil && isms.ErrorCode(err) != isms.ENotFound {
		return err
	}
	if q != nil {
		// The questionnaire's own events (made, answered, submitted,
		// reopened, revoked) belong to the supervision's history: they
		// say when the supplier answered and who did.
		qh, err := s.history(r, "supplier_questionnaire", q.ID)
		if err != nil {
			return err
		}
		hist = append(hist, qh...)
		sort.SliceStable(hist, func(i, j int) bool { return hist[i].Event.Seq > hist[j].Event.Seq })
	}
	today := isms.DateOf(s.cfg.Now())
	p.Data = svData{Supervision: v, Supplier: sup, Today: today, History: hist, Questionnaire: q, Sent: sent,
		ReopenUntil: today.AddDays(questionnaireLinkDays)}
	s.render(w, status, "supplier_supervision", p)
	return nil
}

type svFormData struct {
	Supervision *isms.Supervision
	Supplier    *isms.Supplier
	Methods     []isms.SupervisionMethod
	Results     []isms.SupervisionResult
	Today       isms.Date
}

func (s *Server) svForm(w http.ResponseWriter, r *http.Request, p *page, sup *isms.Supplier, v *isms.Supervision, status int) error {
	p.Data = svFormData{Supervision: v, Supplier: sup, Methods: isms.SupervisionMethods, Results: isms.SupervisionResults, Today: isms.DateOf(s.cfg.Now())}
	s.render(w, status, "supplier_supervision_form", p)
	return nil
}

func (s *Server) svNewPage(w http.ResponseWriter, r *http.Request) error {
	sup, err := s.loadSupplier(r)
	if err != nil {
		return err
	}
	return s.svForm(w, r, s.newPage(r, "title.supervision_new"), sup, nil, http.StatusOK)
}

func (s *Server) svEditPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadSupervision(r)
	if err != nil {
		return err
	}
	sup, err := s.Suppliers.Supplier(r.Context(), v.OrganisationID, v.SupplierID)
	if err != nil {
		return err
	}
	return s.svForm(w, r, s.newPage(r, "title.supervision_edit"), sup, v, http.StatusOK)
}

func svInputFromForm(r *http.Request) (isms.SupervisionInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.SupervisionInput{Method: isms.SupervisionMethod(f.Get("method")), PlannedOn: parseOptionalDate(&v, "planned_on", f.Get("planned_on")),
		DoneOn: parseOptionalDate(&v, "done_on", f.Get("done_on")), Result: isms.SupervisionResult(f.Get("result")),
		Findings: strings.Split(f.Get("findings"), "\n"), PeriodFrom: parseOptionalDate(&v, "period_from", f.Get("period_from")),
		PeriodTo: parseOptionalDate(&v, "period_to", f.Get("period_to")), FollowUp: f.Get("follow_up"),
		FollowUpDue: parseOptionalDate(&v, "follow_up_due", f.Get("follow_up_due")), FollowUpDone: parseFlag(f.Get("follow_up_done")),
		Version: parseVersion(f.Get("version"))}
	return in, v.Err()
}

func (s *Server) svFormError(w http.ResponseWriter, r *http.Request, sup *isms.Supplier, v *isms.Supervision, err error) error {
	title, current := "title.supervision_new", func() int64 { return 0 }
	if v != nil {
		title = "title.supervision_edit"
		if cur, x := s.Suppliers.Supervision(r.Context(), v.OrganisationID, v.ID); x == nil {
			v = cur
		}
		current = func() int64 { return v.Version }
	}
	return s.formRefused(r, err, s.newPage(r, title), current,
		func(p *page, status int) error { return s.svForm(w, r, p, sup, v, status) })
}

func (s *Server) svCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	sup, err := s.loadSupplier(r)
	if err != nil {
		return err
	}
	return createFromForm(s, w, r, svInputFromForm,
		func(ctx2 context.Context, orgID int64, in isms.SupervisionInput) (*isms.Supervision, error) {
			return s.Suppliers.CreateSupervision(ctx2, orgID, sup.ID, in)
		},
		func(v *isms.Supervision) string { return idPath("/supplier-supervisions/", v.ID) },
		func(_ isms.SupervisionInput, err error) error { return s.svFormError(w, r, sup, nil, err) })
}

func (s *Server) svUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadSupervision(r)
	if err != nil {
		return err
	}
	sup, err := s.Suppliers.Supplier(r.Context(), v.OrganisationID, v.SupplierID)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, svInputFromForm, s.Suppliers.UpdateSupervision, v.OrganisationID, v.ID,
		idPath("/supplier-supervisions/", v.ID), func(err error) error { return s.svFormError(w, r, sup, v, err) })
}

func (s *Server) svDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadSupervision(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Suppliers.DeleteSupervision(r.Context(), v.OrganisationID, v.ID, formVersion(r)), idPath("/suppliers/", v.SupplierID))
}

var suppliersQuery = []apiParam{{"criticality", "string", "low, medium, high, critical"}, {"status", "string", "active, ended"},
	{"overdue", "boolean", "only suppliers whose next supervision has passed"}, {"q", "string", "text in name, CVR number or what it delivers"},
	{"sort", "string", "name, criticality, status, owner, updated; prefix - for descending"}, {"offset", "integer", ""}, {"limit", "integer", "at most 500"}}

// supExport writes the register as a spreadsheet: the suppliers, their
// agreements and their supervisions, a sheet each.
func (s *Server) supExport(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	var all []*isms.Supplier
	for {
		page, total, err := s.Suppliers.Suppliers(r.Context(), org.ID, isms.SupplierFilter{Offset: len(all), Limit: 500})
		if err != nil {
			return err
		}
		all = append(all, page...)
		if len(page) == 0 || len(all) >= total {
			break
		}
	}
	ags, err := s.Suppliers.SupplierAgreements(r.Context(), org.ID, 0)
	if err != nil {
		return err
	}
	svs, err := s.Suppliers.Supervisions(r.Context(), org.ID, 0)
	if err != nil {
		return err
	}
	lang := i18n.Negotiate(r)
	t := translator(lang)
	today := isms.DateOf(s.cfg.Now())
	header := func(keys ...string) []string {
		out := make([]string, len(keys))
		for i, k := range keys {
			out[i] = t(i18n.Key(k))
		}
		return out
	}
	labels := func(ls []isms.SupplierLink) string {
		out := make([]string, len(ls))
		for i, l := range ls {
			out[i] = l.Localised(lang)
		}
		return strings.Join(out, "; ")
	}
	// The supplier list's columns are headed as its import reads them, so
	// the list can be edited and read back; the latest end of a contract
	// and of a data processing agreement are the agreements the import
	// knows by their end day.
	h := func(field string) string { return export.SupplierHeading(field, lang) }
	lastEnd := map[int64]map[isms.AgreementKind]*isms.Date{}
	for _, a := range ags {
		if a.EndsOn == nil || (a.Kind != isms.AgreementContract && a.Kind != isms.AgreementDPA) {
			continue
		}
		if lastEnd[a.SupplierID] == nil {
			lastEnd[a.SupplierID] = map[isms.AgreementKind]*isms.Date{}
		}
		if d := lastEnd[a.SupplierID][a.Kind]; d == nil || d.Before(*a.EndsOn) {
			lastEnd[a.SupplierID][a.Kind] = a.EndsOn
		}
	}
	title := t("sup.export.title", org.Name, today.String())
	sheet := export.Sheet{Name: t("sup.export.sheet"), Title: title, Widths: []float64{30, 12, 28, 36, 12, 14, 10, 20, 36, 30, 30, 14, 14, 14, 14, 36},
		Header: append([]string{h("name"), h("cvr"), h("contact"), h("delivers"), h("criticality"), t("xlsx.level_name", h("criticality")),
			h("status"), h("owner")}, append(header("sup.dependencies", "sup.controls", "sup.risks", "sup.last_supervision", "sup.next_supervision"),
			h("contract_end"), h("dpa_end"), h("note"))...)}
	for _, x := range all {
		crit := export.Level{Value: slices.Index(isms.SupplierCriticalities, x.Criticality) + 1, Name: t(i18n.Key("sup.crit." + string(x.Criticality)))}
		sheet.Rows = append(sheet.Rows, export.Row{Cells: []any{x.Name, x.CVR, x.Contact, x.Delivers, crit,
			t(i18n.Key("sup.status." + string(x.Status))), x.OwnerName, labels(x.Dependencies), labels(x.Controls), labels(x.Risks),
			x.LastSupervision, x.NextSupervision, lastEnd[x.ID][isms.AgreementContract], lastEnd[x.ID][isms.AgreementDPA], x.Note}})
	}
	agSheet := export.Sheet{Name: t("sup.export.agreements"), Title: title, Widths: []float64{30, 22, 36, 12, 12, 12, 30},
		Header: header("field.supplier", "field.kind", "field.title", "field.starts_on", "field.ends_on", "field.review_on", "field.document_id")}
	for _, a := range ags {
		agSheet.Rows = append(agSheet.Rows, export.Row{Cells: []any{a.SupplierName, t(i18n.Key("sup.agreement." + string(a.Kind))), a.Title,
			a.StartsOn, a.EndsOn, a.ReviewOn, a.DocumentTitle}})
	}
	svSheet := export.Sheet{Name: t("sup.export.supervisions"), Title: title, Widths: []float64{30, 24, 12, 12, 18, 12, 12, 40, 40, 12, 10},
		Header: header("field.supplier", "field.method", "field.planned_on", "field.done_on", "field.result", "field.period_from", "field.period_to",
			"sup.findings", "field.follow_up", "field.follow_up_due", "sup.follow_up_done")}
	for _, v := range svs {
		result, done := "", ""
		if v.Result != "" {
			result = t(i18n.Key("sup.result." + string(v.Result)))
		}
		if v.FollowUp != "" {
			done = t("sup.follow_up_open")
			if v.FollowUpDone {
				done = t("sup.follow_up_closed")
			}
		}
		svSheet.Rows = append(svSheet.Rows, export.Row{Cells: []any{v.SupplierName, t(i18n.Key("sup.method." + string(v.Method))),
			v.PlannedOn, v.DoneOn, result, v.PeriodFrom, v.PeriodTo, strings.Join(v.Findings, "\n"), v.FollowUp, v.FollowUpDue, done}})
	}
	s.streamXLSX(w, "suppliers export", t("sup.export.file")+".xlsx", []export.Sheet{sheet, agSheet, svSheet})
	return nil
}

// supplierDue puts on the dashboard the active suppliers whose next
// supervision falls in the window or has passed, and the open follow-ups
// of supervisions that do.
func supplierDue(s *Server, r *http.Request, orgID int64, until isms.Date) ([]dueItem, error) {
	today := isms.DateOf(s.cfg.Now())
	var out []dueItem
	for offset := 0; ; {
		page, total, err := s.Suppliers.Suppliers(r.Context(), orgID, isms.SupplierFilter{Status: isms.SupplierActive, Offset: offset, Limit: 500})
		if err != nil {
			return nil, err
		}
		for _, x := range page {
			if d := x.NextSupervision; d != nil && !until.Before(*d) {
				out = append(out, dueItem{Label: x.Name, Kind: "sup.due.supervision", Due: *d, Overdue: d.Before(today), Path: idPath("/suppliers/", x.ID)})
			}
		}
		offset += len(page)
		if len(page) == 0 || offset >= total {
			break
		}
	}
	svs, err := s.Suppliers.Supervisions(r.Context(), orgID, 0)
	if err != nil {
		return nil, err
	}
	for _, v := range svs {
		if v.FollowUp != "" && !v.FollowUpDone && v.FollowUpDue != nil && !until.Before(*v.FollowUpDue) {
			out = append(out, dueItem{Label: v.SupplierName, Kind: "sup.due.follow_up", Due: *v.FollowUpDue, Overdue: v.FollowUpOverdue(today),
				Path: idPath("/supplier-supervisions/", v.ID)})
		}
	}
	return out, nil
}

func init() { dueSources = append(dueSources, supplierDue) }
