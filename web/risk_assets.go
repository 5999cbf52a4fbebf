package web

import (
	"net/http"
	"strconv"

	"github.com/ismsdk/isms"
)

// The asset register: the business overview's processes, information and
// systems with what risk management adds to them, and supporting assets.

func assetFilterFrom(r *http.Request, limit int) (isms.AssetFilter, error) {
	q := r.URL.Query()
	f := isms.AssetFilter{Kind: isms.AssetKind(q.Get("kind")), Primary: q.Get("primary"), Query: q.Get("q"), Sort: q.Get("sort"),
		Unassessed: parseFlag(q.Get("unassessed")), Status: isms.EntryStatus(q.Get("status"))}
	var v isms.Validation
	if f.Kind != "" && !f.Kind.Valid() {
		v.Add("asset_kind", "err.choice")
	}
	if f.Primary != "" && f.Primary != "primary" && f.Primary != "supporting" {
		v.Add("asset_kind", "err.choice")
	}
	f.OwnerID = queryID(&v, q, "owner", "owner_id")
	var err error
	if f.Offset, f.Limit, err = pageFrom(r, limit); err != nil {
		return f, err
	}
	return f, v.Err()
}

type assetListData struct {
	Assets  []*isms.Asset
	Filter  isms.AssetFilter
	Pager   pager
	Members []*isms.Membership
	Kinds   []isms.AssetKind
}

func (s *Server) assetListPage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.risk_assets")
	org := orgFrom(r.Context())
	f, err := assetFilterFrom(r, 50)
	if err != nil {
		return err
	}
	assets, total, err := s.Risk.Assets(r.Context(), org.ID, f)
	if err != nil {
		return err
	}
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	p.Data = assetListData{Assets: assets, Filter: f, Pager: newPager(r, total, f.Offset, f.Limit), Members: members, Kinds: isms.AssetKinds}
	s.render(w, http.StatusOK, "asset_list", p)
	return nil
}

type assetPageData struct {
	Asset       *isms.Asset
	Supports    []*isms.Asset
	SupportedBy []*isms.Asset
	Assessments []*isms.RiskAssessment
	History     []historyItem
	Today       isms.Date
}

func (s *Server) loadAsset(r *http.Request) (*isms.Asset, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Risk.Asset(r.Context(), orgFrom(r.Context()).ID, id)
}

// assetForEntryPage opens the asset of a business-overview entry.
func (s *Server) assetForEntryPage(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.URL.Query().Get("entry"), 10, 64)
	if err != nil {
		return isms.Errorf(isms.ENotFound, "err.not_found", "entry")
	}
	a, err := s.Risk.AssetForEntry(r.Context(), orgFrom(r.Context()).ID, id)
	if err != nil {
		return err
	}
	http.Redirect(w, r, p0(r, "/assets/"+strconv.FormatInt(a.ID, 10)), http.StatusSeeOther)
	return nil
}

func (s *Server) assetPage(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadAsset(r)
	if err != nil {
		return err
	}
	org := orgFrom(r.Context())
	d := assetPageData{Asset: a, Today: isms.DateOf(s.cfg.Now())}
	for _, x := range []struct {
		ids []int64
		dst *[]*isms.Asset
	}{{a.Supports, &d.Supports}, {a.SupportedBy, &d.SupportedBy}} {
		for _, id := range x.ids {
			if o, err := s.Risk.Asset(r.Context(), org.ID, id); err == nil {
				*x.dst = append(*x.dst, o)
			}
		}
	}
	if d.Assessments, _, err = s.Risk.RiskAssessments(r.Context(), org.ID, isms.AssessmentFilter{AssetID: a.ID, Sort: "-assessed_on", Limit: 100}); err != nil {
		return err
	}
	if d.History, err = s.history(r, "asset", a.ID); err != nil {
		return err
	}
	p := s.newPage(r, "title.risk_asset")
	p.Data = d
	s.render(w, http.StatusOK, "asset", p)
	return nil
}

type assetFormData struct {
	Asset   *isms.Asset
	Primary []*isms.Asset
	Members []*isms.Membership
	Kinds   []isms.AssetKind
	Levels  []int
}

// Supports are the stored supported assets, none for a new asset.
func (d assetFormData) Supports() []int64 {
	if d.Asset == nil {
		return nil
	}
	return d.Asset.Supports
}

// Set is the value of a need or criticality set by hand, "" when derived.
func (d assetFormData) Set(field string) string {
	a := d.Asset
	if a == nil {
		return ""
	}
	var on bool
	var l isms.Level
	switch field {
	case "need_confidentiality":
		on, l = a.Overridden.Confidentiality, a.Needs.Confidentiality
	case "need_integrity":
		on, l = a.Overridden.Integrity, a.Needs.Integrity
	case "need_availability":
		on, l = a.Overridden.Availability, a.Needs.Availability
	case "criticality":
		on, l = a.CriticalityOverridden, a.Criticality
	}
	if !on {
		return ""
	}
	return strconv.Itoa(int(l))
}

func (s *Server) assetForm(w http.ResponseWriter, r *http.Request, p *page, a *isms.Asset, status int) error {
	org := orgFrom(r.Context())
	d := assetFormData{Asset: a, Kinds: isms.SupportingAssetKinds, Levels: []int{1, 2, 3, 4}}
	var err error
	if a == nil || a.EntryID == nil {
		if d.Primary, _, err = s.Risk.Assets(r.Context(), org.ID, isms.AssetFilter{Primary: "primary", Limit: 500}); err != nil {
			return err
		}
	}
	if d.Members, err = s.Orgs.Memberships(r.Context(), org.ID); err != nil {
		return err
	}
	p.Data = d
	s.render(w, status, "asset_form", p)
	return nil
}

func (s *Server) assetNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.assetForm(w, r, s.newPage(r, "title.risk_asset_new"), nil, http.StatusOK)
}

func (s *Server) assetEditPage(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadAsset(r)
	if err != nil {
		return err
	}
	return s.assetForm(w, r, s.newPage(r, "title.risk_asset_edit"), a, http.StatusOK)
}

func riskLevelPtr(v *isms.Validation, field, s string) *isms.Level {
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		v.Add(field, "err.number")
		return nil
	}
	l := isms.Level(n)
	return &l
}

func assetInputFromForm(r *http.Request) (isms.AssetInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.AssetInput{Kind: isms.AssetKind(f.Get("asset_kind")), Name: f.Get("name"), Description: f.Get("description"),
		Status: isms.EntryStatus(f.Get("status")), OwnerID: parseOptionalID(&v, "owner_id", f.Get("owner_id")),
		Criticality:     riskLevelPtr(&v, "criticality", f.Get("criticality")),
		Confidentiality: riskLevelPtr(&v, "need_confidentiality", f.Get("need_confidentiality")),
		Integrity:       riskLevelPtr(&v, "need_integrity", f.Get("need_integrity")),
		Availability:    riskLevelPtr(&v, "need_availability", f.Get("need_availability")),
		Supports:        parseIDs(&v, "supports", f["supports"]), Version: parseVersion(f.Get("version"))}
	return in, v.Err()
}

func (s *Server) assetFormError(w http.ResponseWriter, r *http.Request, a *isms.Asset, err error) error {
	current := versionOf(a, func(a *isms.Asset) int64 { return a.Version })
	return s.formRefused(r, err, s.newPage(r, "title.risk_asset_edit"), current,
		func(p *page, status int) error { return s.assetForm(w, r, p, a, status) })
}

func (s *Server) assetCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, assetInputFromForm, s.Risk.CreateAsset,
		func(a *isms.Asset) string { return idPath("/assets/", a.ID) },
		func(_ isms.AssetInput, err error) error { return s.assetFormError(w, r, nil, err) })
}

func (s *Server) assetUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadAsset(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, assetInputFromForm, s.Risk.UpdateAsset, a.OrganisationID, a.ID, idPath("/assets/", a.ID),
		func(err error) error { return s.assetFormError(w, r, a, err) })
}

func (s *Server) assetDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadAsset(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Risk.DeleteAsset(r.Context(), a.OrganisationID, a.ID, formVersion(r)), "/assets")
}
