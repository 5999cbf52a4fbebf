package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// Resources (guide 2.4): the year's budget per objective and for the ISMS
// as a whole, planned against granted; each line's page with management's
// grant, the form, the spreadsheet, and the API.

// amountText writes an amount with its thousands grouped by a thin space
// ("125 000") and the decimal sign of the language ("0,5" in Danish,
// "0.5" in English).
func amountText(lang string, f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteRune(c)
	}
	out := b.String()
	if frac != "" {
		sep := "."
		if lang == "da" {
			sep = ","
		}
		out += sep + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// amountsView names a line's amounts for pages: one entry per amount the
// line has, planned beside granted.
type amountView struct {
	Key              string
	Planned, Granted string
	Gap              bool
}

func lineAmounts(lang string, l *isms.ResourceLine) []amountView {
	keys := map[isms.ResourceKind][4]string{
		isms.ResourceMoney:    {"res.m.operating", "res.m.one_off", "", ""},
		isms.ResourcePeople:   {"", "", "res.m.fte", "res.m.hours"},
		isms.ResourceExternal: {"res.m.operating", "res.m.one_off", "", "res.m.external_hours"},
	}[l.Kind]
	p, g := l.Planned, l.Granted
	var out []amountView
	for i, pair := range [][2]*float64{{p.Operating, g.Operating}, {p.OneOff, g.OneOff}, {p.FTE, g.FTE}, {p.Hours, g.Hours}} {
		if keys[i] == "" || (pair[0] == nil && pair[1] == nil) {
			continue
		}
		a := amountView{Key: keys[i], Planned: "–", Granted: "–"}
		if pair[0] != nil {
			a.Planned = amountText(lang, *pair[0])
		}
		if pair[1] != nil {
			a.Granted = amountText(lang, *pair[1])
		}
		var pv, gv float64
		if pair[0] != nil {
			pv = *pair[0]
		}
		if pair[1] != nil {
			gv = *pair[1]
		}
		a.Gap = !l.IsGranted() || gv < pv
		out = append(out, a)
	}
	return out
}

// resView is a line as pages show it.
type resView struct {
	*isms.ResourceLine
	Amounts []amountView
}

func resViews(lang string, lines []*isms.ResourceLine) []resView {
	out := make([]resView, len(lines))
	for i, l := range lines {
		out[i] = resView{l, lineAmounts(lang, l)}
	}
	return out
}

// totalView is one measure of the totals as pages show it.
type totalView struct {
	Key              string
	Planned, Granted string
	Gap              bool
}

func totalViews(lang string, t isms.ResourceTotals) []totalView {
	var out []totalView
	for _, r := range t.Rows() {
		out = append(out, totalView{Key: r.Key, Planned: amountText(lang, r.Planned), Granted: amountText(lang, r.Granted), Gap: r.Gap()})
	}
	return out
}

// resYear reads ?year=, this year when absent.
func (s *Server) resYear(r *http.Request) (int, error) {
	v := r.URL.Query().Get("year")
	if v == "" {
		return isms.DateOf(s.cfg.Now()).Year(), nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || y > 2100 {
		return 0, &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "year", Key: "res.err.year"}}}
	}
	return y, nil
}

type resObjView struct {
	*isms.ObjectiveResources
	Rows []resView
}

type resListData struct {
	Year        *isms.ResourceYear
	Totals      []totalView
	ISMS        []resView
	ISMSTotals  []totalView
	Objectives  []resObjView
	ThisYear    int
	CanAddLines bool
}

func (s *Server) resListPage(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	year, err := s.resYear(r)
	if err != nil {
		return err
	}
	y, err := s.Resources.ResourceYear(r.Context(), org.ID, year)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.resources")
	d := resListData{Year: y, Totals: totalViews(p.Lang, y.Totals), ISMS: resViews(p.Lang, y.ISMS), ISMSTotals: totalViews(p.Lang, y.ISMSTotals),
		ThisYear: isms.DateOf(s.cfg.Now()).Year()}
	for _, o := range y.Objectives {
		d.Objectives = append(d.Objectives, resObjView{o, resViews(p.Lang, o.Lines)})
	}
	p.Data = d
	s.render(w, http.StatusOK, "resource_list", p)
	return nil
}

func (s *Server) loadResource(r *http.Request) (*isms.ResourceLine, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Resources.ResourceLine(r.Context(), orgFrom(r.Context()).ID, id)
}

type resData struct {
	Line    resView
	History []historyItem
}

func (s *Server) resPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderResource(w, r, s.newPage(r, "title.resource"), http.StatusOK)
}

func (s *Server) renderResource(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	l, err := s.loadResource(r)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "resource_line", l.ID)
	if err != nil {
		return err
	}
	p.Data = resData{Line: resView{l, lineAmounts(p.Lang, l)}, History: hist}
	s.render(w, status, "resource", p)
	return nil
}

// labelled is a choice already in the page's language.
type labelled struct {
	ID    int64
	Label string
}

type resFormData struct {
	Line        *resView
	Year        int
	ObjectiveID int64
	Kinds       []isms.ResourceKind
	Objectives  []*isms.Objective
	Members     []*isms.Membership
	Roles       []labelled
	Controls    []labelled
	Activities  []labelled
	Tasks       []labelled
	Chosen      map[string][]int64
}

func localise(lang string, cs []isms.ResourceChoice) []labelled {
	out := make([]labelled, len(cs))
	for i, c := range cs {
		out[i] = labelled{c.ID, c.Text(lang)}
	}
	return out
}

func (s *Server) resForm(w http.ResponseWriter, r *http.Request, p *page, l *isms.ResourceLine, status int) error {
	org := orgFrom(r.Context())
	c, err := s.Resources.ResourceChoices(r.Context(), org.ID)
	if err != nil {
		return err
	}
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	d := resFormData{Kinds: isms.ResourceKinds, Objectives: c.Objectives, Members: members, Roles: localise(p.Lang, c.Roles),
		Controls: localise(p.Lang, c.Controls), Activities: localise(p.Lang, c.Activities), Tasks: localise(p.Lang, c.Tasks),
		Chosen: map[string][]int64{}}
	if l != nil {
		d.Line = &resView{l, lineAmounts(p.Lang, l)}
		d.Year = l.Year
		if l.ObjectiveID != nil {
			d.ObjectiveID = *l.ObjectiveID
		}
		for _, k := range l.Links {
			d.Chosen[k.Kind] = append(d.Chosen[k.Kind], k.ID)
		}
	} else {
		var v isms.Validation
		d.ObjectiveID = queryID(&v, r.URL.Query(), "objective", "objective_id")
		if d.Year, err = s.resYear(r); err != nil {
			return err
		}
	}
	p.Data = d
	s.render(w, status, "resource_form", p)
	return nil
}

func (s *Server) resNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.resForm(w, r, s.newPage(r, "title.resource_new"), nil, http.StatusOK)
}

func (s *Server) resEditPage(w http.ResponseWriter, r *http.Request) error {
	l, err := s.loadResource(r)
	if err != nil {
		return err
	}
	return s.resForm(w, r, s.newPage(r, "title.resource_edit"), l, http.StatusOK)
}

// thousandsDots is an amount written with dots between its thousands, as
// Danish does ("60.000").
var thousandsDots = regexp.MustCompile(`^-?[0-9]{1,3}(\.[0-9]{3})+$`)

// parseAmount reads an amount as people write it in either language:
// "60000", "60 000", "60.000", "12.500,50", "0,5", "0.5"; empty is none.
func parseAmount(v *isms.Validation, field, s string) *float64 {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(strings.TrimSpace(s))
	switch {
	case strings.Contains(s, ","):
		s = strings.ReplaceAll(s, ".", "")
	case thousandsDots.MatchString(s):
		s = strings.ReplaceAll(s, ".", "")
	}
	return parseOptionalNumber(v, field, s)
}

func amountsFromForm(v *isms.Validation, f map[string][]string, prefix string) isms.ResourceAmounts {
	get := func(name string) string {
		if vs := f[prefix+name]; len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	return isms.ResourceAmounts{Operating: parseAmount(v, prefix+"operating", get("operating")),
		OneOff: parseAmount(v, prefix+"one_off", get("one_off")), FTE: parseAmount(v, prefix+"fte", get("fte")),
		Hours: parseAmount(v, prefix+"hours", get("hours"))}
}

func resInputFromForm(r *http.Request) (isms.ResourceLineInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.ResourceLineInput{Kind: isms.ResourceKind(f.Get("kind")), Title: f.Get("title"),
		ObjectiveID: parseOptionalID(&v, "objective_id", f.Get("objective_id")), RoleID: parseOptionalID(&v, "role_id", f.Get("role_id")),
		RoleText: f.Get("role_text"), Supplier: f.Get("supplier"), Planned: amountsFromForm(&v, f, "planned_"),
		Controls: parseIDs(&v, "controls", f["controls"]), Activities: parseIDs(&v, "activities", f["activities"]),
		Tasks: parseIDs(&v, "tasks", f["tasks"]), OwnerID: parseOptionalID(&v, "owner_id", f.Get("owner_id")), Note: f.Get("note"),
		Version: parseVersion(f.Get("version"))}
	if y, err := strconv.Atoi(strings.TrimSpace(f.Get("year"))); err == nil {
		in.Year = y
	} else {
		v.Add("year", "res.err.year")
	}
	return in, v.Err()
}

func (s *Server) resFormError(w http.ResponseWriter, r *http.Request, l *isms.ResourceLine, err error) error {
	title, current := "title.resource_new", func() int64 { return 0 }
	if l != nil {
		title = "title.resource_edit"
		if cur, x := s.Resources.ResourceLine(r.Context(), l.OrganisationID, l.ID); x == nil {
			l = cur
		}
		current = func() int64 { return l.Version }
	}
	return s.formRefused(r, err, s.newPage(r, title), current,
		func(p *page, status int) error { return s.resForm(w, r, p, l, status) })
}

func (s *Server) resCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, resInputFromForm, s.Resources.CreateResourceLine,
		func(l *isms.ResourceLine) string { return idPath("/resources/", l.ID) },
		func(_ isms.ResourceLineInput, err error) error { return s.resFormError(w, r, nil, err) })
}

func (s *Server) resUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	l, err := s.loadResource(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, resInputFromForm, s.Resources.UpdateResourceLine, l.OrganisationID, l.ID,
		idPath("/resources/", l.ID), func(err error) error { return s.resFormError(w, r, l, err) })
}

func (s *Server) resDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	l, err := s.loadResource(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Resources.DeleteResourceLine(r.Context(), l.OrganisationID, l.ID, formVersion(r)),
		"/resources?year="+strconv.Itoa(l.Year))
}

func (s *Server) resGrantSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var v isms.Validation
	in := isms.ResourceGrantInput{Granted: amountsFromForm(&v, r.PostForm, "granted_"), Note: r.PostForm.Get("grant_note"), Version: formVersion(r)}
	err = v.Err()
	if err == nil {
		_, err = s.Resources.GrantResourceLine(r.Context(), orgFrom(r.Context()).ID, id, in)
	}
	if err != nil {
		switch isms.ErrorCode(err) {
		case isms.EInvalid:
			p := s.newPage(r, "title.resource")
			p.setError(err)
			return s.renderResource(w, r, p, http.StatusUnprocessableEntity)
		case isms.EConflict:
			p := s.newPage(r, "title.resource")
			p.setError(isms.Errorf(isms.EConflict, "res.err.changed"))
			return s.renderResource(w, r, p, http.StatusConflict)
		}
		return err
	}
	s.redirect(w, r, p0(r, idPath("/resources/", id)), "flash.res_granted")
	return nil
}

// resExport writes the year's resources as a spreadsheet: one row per
// line, planned beside granted, the ISMS as a whole first, then per
// objective.
func (s *Server) resExport(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	year, err := s.resYear(r)
	if err != nil {
		return err
	}
	y, err := s.Resources.ResourceYear(r.Context(), org.ID, year)
	if err != nil {
		return err
	}
	lang := i18n.Negotiate(r)
	t := translator(lang)
	sheet := export.Sheet{Name: t("res.export.sheet"), Title: t("res.export.title", org.Name, year),
		Widths: []float64{34, 14, 22, 14, 14, 14, 14, 14, 14, 14, 14, 20, 14, 40, 20, 30}}
	for _, k := range []string{"field.title", "field.kind", "res.role_or_supplier", "res.x.planned_operating", "res.x.granted_operating",
		"res.x.planned_one_off", "res.x.granted_one_off", "res.x.planned_fte", "res.x.granted_fte", "res.x.planned_hours", "res.x.granted_hours",
		"res.granted_by", "res.granted_on", "res.carries", "field.owner_id", "field.note"} {
		sheet.Header = append(sheet.Header, t(i18n.Key(k)))
	}
	num := func(p *float64) *float64 { return p }
	row := func(l *isms.ResourceLine) export.Row {
		who := l.RoleLabel()
		if l.Kind == isms.ResourceExternal {
			who = l.Supplier
		}
		by, on := "", (*isms.Date)(nil)
		if l.IsGranted() {
			d := isms.DateOf(*l.GrantedAt)
			by, on = l.GrantedByName, &d
		}
		var carries []string
		for _, k := range l.Links {
			carries = append(carries, k.Text(lang))
		}
		return export.Row{Cells: []any{l.Title, t(i18n.Key("res.kind." + string(l.Kind))), who, num(l.Planned.Operating), num(l.Granted.Operating),
			num(l.Planned.OneOff), num(l.Granted.OneOff), num(l.Planned.FTE), num(l.Granted.FTE), num(l.Planned.Hours), num(l.Granted.Hours),
			by, on, strings.Join(carries, "; "), l.OwnerName, l.Note}}
	}
	sheet.Rows = append(sheet.Rows, export.Row{Section: t("res.isms_whole")})
	for _, l := range y.ISMS {
		sheet.Rows = append(sheet.Rows, row(l))
	}
	for _, o := range y.Objectives {
		sheet.Rows = append(sheet.Rows, export.Row{Section: o.Title})
		for _, l := range o.Lines {
			sheet.Rows = append(sheet.Rows, row(l))
		}
	}
	s.streamXLSX(w, "resources export", t("res.export.file", year)+".xlsx", []export.Sheet{sheet})
	return nil
}

// EditorID is whose line it is for the edit-own check: the objective's
// owner, or for a line of the ISMS as a whole the line's owner.
func (v resView) EditorID() *int64 {
	if v.ObjectiveID != nil {
		return v.ObjectiveOwner
	}
	return v.OwnerID
}

func pickAmount(a isms.ResourceAmounts, which string) *float64 {
	switch which {
	case "operating":
		return a.Operating
	case "one_off":
		return a.OneOff
	case "fte":
		return a.FTE
	}
	return a.Hours
}

// PlannedText is a planned amount as written in forms.
func (v resView) PlannedText(which string) string {
	return isms.NumberText(pickAmount(v.Planned, which))
}

// GrantDefault is what the grant form offers: the amount granted, or
// before any grant the amount planned.
func (v resView) GrantDefault(which string) string {
	if v.IsGranted() {
		return isms.NumberText(pickAmount(v.Granted, which))
	}
	return v.PlannedText(which)
}
