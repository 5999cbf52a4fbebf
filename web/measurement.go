package web

import (
	"errors"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// Monitoring and measurement (guide 2.9, clause 9.1): the measurement
// programme with its filters and the common indicators offered, each
// indicator with its trend chart, values and breaches, the breaches to be
// answered, the monitoring guideline, a parent organisation's view of its
// children's indicators, the spreadsheet of the programme, and the API.

func indFilterFrom(r *http.Request, limit int) (isms.IndicatorFilter, error) {
	q := r.URL.Query()
	f := isms.IndicatorFilter{Query: q.Get("q"), Sort: q.Get("sort"), Active: parseFlag(q.Get("active")), Source: isms.IndicatorSource(q.Get("source"))}
	var v isms.Validation
	if f.Source != "" && f.Source != isms.SourceHand && f.Source != isms.SourceComputed {
		v.Add("source", "err.choice")
	}
	f.OwnerID = queryID(&v, q, "owner", "owner_id")
	var err error
	if f.Offset, f.Limit, err = pageFrom(r, limit); err != nil {
		return f, err
	}
	return f, v.Err()
}

func breachFilterFrom(r *http.Request, limit int) (isms.BreachFilter, error) {
	q := r.URL.Query()
	f := isms.BreachFilter{Open: parseFlag(q.Get("open"))}
	var v isms.Validation
	f.IndicatorID = queryID(&v, q, "indicator", "indicator_id")
	var err error
	if f.Offset, f.Limit, err = pageFrom(r, limit); err != nil {
		return f, err
	}
	return f, v.Err()
}

type indListData struct {
	Indicators []*isms.Indicator
	Filter     isms.IndicatorFilter
	Pager      pager
	Members    []*isms.Membership
	Templates  []isms.IndicatorTemplate
	Open       int
	Today      isms.Date
}

func (s *Server) indListPage(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	f, err := indFilterFrom(r, 50)
	if err != nil {
		return err
	}
	inds, total, err := s.Measurement.Indicators(r.Context(), org.ID, f)
	if err != nil {
		return err
	}
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	open, err := s.Measurement.OpenMeasurementBreaches(r.Context(), org.ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.indicators")
	p.Data = indListData{Indicators: inds, Filter: f, Pager: newPager(r, total, f.Offset, f.Limit), Members: members,
		Templates: isms.IndicatorTemplates, Open: len(open), Today: isms.DateOf(s.cfg.Now())}
	s.render(w, http.StatusOK, "indicator_list", p)
	return nil
}

func (s *Server) loadIndicator(r *http.Request) (*isms.Indicator, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Measurement.Indicator(r.Context(), orgFrom(r.Context()).ID, id)
}

type indData struct {
	Indicator *isms.Indicator
	Values    []*isms.IndicatorValue // newest first, for the table
	Breaches  []*isms.IndicatorBreach
	Chart     template.HTML
	Today     isms.Date
	History   []historyItem
}

func (s *Server) indPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderIndicator(w, r, s.newPage(r, "title.indicator"), http.StatusOK)
}

func (s *Server) renderIndicator(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	ind, err := s.loadIndicator(r)
	if err != nil {
		return err
	}
	vals, err := s.Measurement.IndicatorValues(r.Context(), ind.OrganisationID, ind.ID)
	if err != nil {
		return err
	}
	breaches, _, err := s.Measurement.IndicatorBreaches(r.Context(), ind.OrganisationID, isms.BreachFilter{IndicatorID: ind.ID, Limit: 100})
	if err != nil {
		return err
	}
	hist, err := s.history(r, "indicator", ind.ID)
	if err != nil {
		return err
	}
	d := indData{Indicator: ind, Breaches: breaches, Today: isms.DateOf(s.cfg.Now()), History: hist}
	if len(vals) > 0 {
		if d.Chart, err = draw("indicator_chart.svg", newIndicatorChart(p, ind, vals)); err != nil {
			return err
		}
	}
	// The table lists the latest values first, at most a year of daily
	// ones.
	for i := len(vals) - 1; i >= 0 && len(d.Values) < 366; i-- {
		d.Values = append(d.Values, vals[i])
	}
	p.Data = d
	s.render(w, status, "indicator", p)
	return nil
}

type indFormData struct {
	Indicator    *isms.Indicator
	Members      []*isms.Membership
	Objectives   []*isms.Objective
	Computations []string
	Directions   []isms.IndicatorDirection
	Frequencies  []isms.IndicatorFrequency
	Evaluates    []isms.IndicatorEvaluates
}

func (s *Server) indForm(w http.ResponseWriter, r *http.Request, p *page, ind *isms.Indicator, status int) error {
	org := orgFrom(r.Context())
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	objs, _, err := s.Objectives.Objectives(r.Context(), org.ID, isms.ObjectiveFilter{Limit: 500})
	if err != nil {
		return err
	}
	p.Data = indFormData{Indicator: ind, Members: members, Objectives: objs, Computations: isms.Computations, Directions: isms.IndicatorDirections,
		Frequencies: isms.IndicatorFrequencies, Evaluates: isms.IndicatorEvaluatesKinds}
	s.render(w, status, "indicator_form", p)
	return nil
}

// fromTemplate is a new indicator filled in from a common one, in the
// reader's language, owned by the reader.
func fromTemplate(p *page, t isms.IndicatorTemplate, owner int64) *isms.Indicator {
	ind := &isms.Indicator{Title: p.T("meas.tpl." + t.Key + ".title"), Definition: p.T("meas.tpl." + t.Key + ".def"),
		Computation: t.Computation, Unit: t.Unit, Direction: t.Direction, Frequency: t.Frequency, Evaluates: t.Evaluates, Control: t.Control,
		Process: t.Process, Active: true, Source: isms.SourceHand}
	if t.Computation != "" {
		ind.Source, ind.Method = isms.SourceComputed, p.T("meas.method_computed")
	}
	if t.Unit != "%" {
		ind.Unit = p.T("meas.unit." + t.Unit)
	}
	target, warning, breach := t.Target, t.Warning, t.Breach
	ind.Target, ind.Warning, ind.Breach = &target, &warning, &breach
	if owner != 0 {
		ind.OwnerID = &owner
	}
	return ind
}

func (s *Server) indNewPage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.indicator_new")
	ind := &isms.Indicator{Active: true, Direction: isms.HigherIsBetter, Frequency: isms.MeasureMonthly, Evaluates: isms.EvaluatesProcess}
	if key := r.URL.Query().Get("template"); key != "" {
		t, ok := isms.IndicatorTemplateByKey(key)
		if !ok {
			return isms.Errorf(isms.ENotFound, "err.not_found")
		}
		var me int64
		if p.User != nil {
			me = p.User.ID
		}
		ind = fromTemplate(p, t, me)
	}
	return s.indForm(w, r, p, ind, http.StatusOK)
}

func (s *Server) indEditPage(w http.ResponseWriter, r *http.Request) error {
	ind, err := s.loadIndicator(r)
	if err != nil {
		return err
	}
	return s.indForm(w, r, s.newPage(r, "title.indicator_edit"), ind, http.StatusOK)
}

func indInputFromForm(r *http.Request) (isms.IndicatorInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.IndicatorInput{Title: f.Get("title"), Definition: f.Get("definition"), Method: f.Get("method"), Computation: f.Get("computation"),
		Unit: f.Get("unit"), Direction: isms.IndicatorDirection(f.Get("direction")), Target: parseOptionalNumber(&v, "target", f.Get("target")),
		Warning: parseOptionalNumber(&v, "warning", f.Get("warning")), Breach: parseOptionalNumber(&v, "breach", f.Get("breach")),
		Frequency: isms.IndicatorFrequency(f.Get("frequency")), OwnerID: parseOptionalID(&v, "owner_id", f.Get("owner_id")),
		MeasuredBy: f.Get("measured_by"), Evaluates: isms.IndicatorEvaluates(f.Get("evaluates")),
		ObjectiveID: parseOptionalID(&v, "objective_id", f.Get("objective_id")), Control: f.Get("control"), Process: f.Get("process"),
		Active: parseFlag(f.Get("active")), Version: parseVersion(f.Get("version"))}
	in.Source = isms.SourceHand
	if in.Computation != "" {
		in.Source = isms.SourceComputed
	}
	return in, v.Err()
}

func (s *Server) indFormError(w http.ResponseWriter, r *http.Request, ind *isms.Indicator, err error) error {
	title, current := "title.indicator_new", func() int64 { return 0 }
	if ind == nil {
		// The form shows what was typed; the empty record only gives it
		// its shape.
		ind = &isms.Indicator{}
	} else {
		title = "title.indicator_edit"
		if cur, x := s.Measurement.Indicator(r.Context(), ind.OrganisationID, ind.ID); x == nil {
			ind = cur
		}
		current = func() int64 { return ind.Version }
	}
	return s.formRefused(r, err, s.newPage(r, title), current,
		func(p *page, status int) error { return s.indForm(w, r, p, ind, status) })
}

func (s *Server) indCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, indInputFromForm, s.Measurement.CreateIndicator,
		func(ind *isms.Indicator) string { return idPath("/indicators/", ind.ID) },
		func(_ isms.IndicatorInput, err error) error { return s.indFormError(w, r, nil, err) })
}

func (s *Server) indUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	ind, err := s.loadIndicator(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, indInputFromForm, s.Measurement.UpdateIndicator, ind.OrganisationID, ind.ID,
		idPath("/indicators/", ind.ID), func(err error) error { return s.indFormError(w, r, ind, err) })
}

func (s *Server) indDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	ind, err := s.loadIndicator(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Measurement.DeleteIndicator(r.Context(), ind.OrganisationID, ind.ID, formVersion(r)), "/indicators")
}

// indRefused shows the indicator's page again with a refused value,
// breach answer or import; other errors go to the error page.
func (s *Server) indRefused(w http.ResponseWriter, r *http.Request, err error) error {
	if c := isms.ErrorCode(err); c == isms.EInvalid || c == isms.EConflict {
		p := s.newPage(r, "title.indicator")
		p.setError(err)
		status := http.StatusUnprocessableEntity
		if c == isms.EConflict {
			status = http.StatusConflict
		}
		return s.renderIndicator(w, r, p, status)
	}
	return err
}

func (s *Server) indValueSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f := r.PostForm
	var v isms.Validation
	in := isms.IndicatorValueInput{MeasuredOn: parseOptionalDate(&v, "measured_on", f.Get("measured_on")),
		Value: parseOptionalNumber(&v, "value", f.Get("value")), Note: f.Get("note")}
	err = v.Err()
	if err == nil {
		_, err = s.Measurement.AddIndicatorValue(r.Context(), orgFrom(r.Context()).ID, id, in)
	}
	if err != nil {
		return s.indRefused(w, r, err)
	}
	s.redirect(w, r, p0(r, idPath("/indicators/", id)), "meas.flash.value_added")
	return nil
}

// parseValueLines reads pasted values, one a line: a day, a value and an
// optional note, separated by a semicolon or a tab (as a spreadsheet's
// columns paste). Each line's error names its row.
func parseValueLines(text string) (isms.IndicatorValueImport, error) {
	var imp isms.IndicatorValueImport
	var v isms.Validation
	row := 0
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		row++
		sep := ";"
		if strings.Contains(line, "\t") {
			sep = "\t"
		}
		cells := strings.SplitN(line, sep, 3)
		prefix := "rows." + itoa(row) + "."
		in := isms.IndicatorValueInput{MeasuredOn: parseOptionalDate(&v, prefix+"measured_on", strings.TrimSpace(cells[0]))}
		if in.MeasuredOn == nil && !v.Has(prefix+"measured_on") {
			v.Add(prefix+"measured_on", "err.required")
		}
		if len(cells) < 2 {
			v.Add(prefix+"value", "err.required")
		} else {
			in.Value = parseOptionalNumber(&v, prefix+"value", cells[1])
		}
		if len(cells) == 3 {
			in.Note = cells[2]
		}
		imp.Rows = append(imp.Rows, in)
	}
	return imp, v.Err()
}

func (s *Server) indImportSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	imp, err := parseValueLines(r.PostForm.Get("lines"))
	if err == nil {
		_, err = s.Measurement.ImportIndicatorValues(r.Context(), orgFrom(r.Context()).ID, id, imp)
	}
	if err != nil {
		return s.indRefused(w, r, importErrorOnField(translator(i18n.Negotiate(r)), "lines", nil, err))
	}
	s.redirect(w, r, p0(r, idPath("/indicators/", id)), "meas.flash.imported")
	return nil
}

// importErrorOnField puts an import's row errors on the form's one field,
// each message naming its line, so the form shows them where the values
// came from. lines maps the import's rows (1, 2, …) to the lines of the
// file they were read from; nil when they are the same.
func importErrorOnField(t func(i18n.Key, ...any) string, field string, lines []int, err error) error {
	var e *isms.Error
	if !errors.As(err, &e) {
		return err
	}
	if len(e.Fields) == 0 {
		if e.Code != isms.EInvalid {
			return err
		}
		// A problem with the file as a whole belongs to its field.
		return &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: field, Key: e.Key, Args: e.Args}}}
	}
	var v isms.Validation
	for _, fe := range e.Fields {
		rest, ok := strings.CutPrefix(fe.Field, "rows.")
		if !ok {
			v.Add(field, fe.Key, fe.Args...)
			continue
		}
		n, _, _ := strings.Cut(rest, ".")
		if k, err := strconv.Atoi(n); err == nil && lines != nil && k >= 1 && k <= len(lines) {
			n = strconv.Itoa(lines[k-1])
		}
		v.Add(field, "meas.err.import_row", n, t(i18n.Key(fe.Key), fe.Args...))
	}
	return v.Err()
}

// sheetDateLayouts are the ways a spreadsheet writes a day: ISO, and the
// Danish day-month-year with a dash, a dot or a slash.
var sheetDateLayouts = []string{"2006-01-02", "02-01-2006", "2-1-2006", "02.01.2006", "2.1.2006", "02/01/2006", "2/1/2006"}

// parseSheetDate reads a day as a spreadsheet cell holds it, or an Excel
// serial day number (a date cell's raw value).
func parseSheetDate(s string) (isms.Date, bool) {
	s = strings.TrimSpace(s)
	for _, l := range sheetDateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return isms.DateOf(t), true
		}
	}
	if n, err := strconv.Atoi(s); err == nil && n > 0 && n < 100000 {
		return isms.DateOf(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n)), true
	}
	return isms.Date{}, false
}

// indUploadSubmit imports an indicator's values from an XLSX or CSV file:
// a date column and a value column (and a note), all rows or none.
func (s *Server) indUploadSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t := translator(i18n.Negotiate(r))
	refused := func(lines []int, err error) error {
		return s.indRefused(w, r, importErrorOnField(t, "import_file", lines, err))
	}
	release, err := s.uploads.acquire(r.Context())
	if err != nil {
		io.Copy(io.Discard, r.Body)
		return err
	}
	defer release()
	name, data, err := readFormFile(r, "import_file", export.IndicatorSheetMaxBytes)
	switch err {
	case nil:
	case errFormTooLarge:
		return refused(nil, isms.Errorf(isms.EInvalid, "meas.err.import_too_large", export.IndicatorSheetMaxBytes>>20))
	case errFormNoFile:
		return refused(nil, isms.Errorf(isms.EInvalid, "meas.err.import_no_file"))
	default:
		return refused(nil, isms.Errorf(isms.EInvalid, "meas.err.import_unreadable"))
	}
	rows, err := export.ReadIndicatorValues(name, data)
	if err != nil {
		return refused(nil, err)
	}
	var imp isms.IndicatorValueImport
	var v isms.Validation
	lines := make([]int, len(rows))
	for k, row := range rows {
		lines[k] = row.Row
		prefix := "rows." + strconv.Itoa(k+1) + "."
		in := isms.IndicatorValueInput{Value: parseOptionalNumber(&v, prefix+"value", row.Cells["value"]), Note: row.Cells["note"]}
		if day, ok := parseSheetDate(row.Cells["measured_on"]); ok {
			in.MeasuredOn = &day
		} else {
			v.Add(prefix+"measured_on", "meas.err.import_date")
		}
		if in.Value == nil && !v.Has(prefix+"value") {
			v.Add(prefix+"value", "err.required")
		}
		imp.Rows = append(imp.Rows, in)
	}
	err = v.Err()
	if err == nil {
		_, err = s.Measurement.ImportIndicatorValues(r.Context(), orgFrom(r.Context()).ID, id, imp)
	}
	if err != nil {
		return refused(lines, err)
	}
	s.redirect(w, r, p0(r, idPath("/indicators/", id)), "meas.flash.imported")
	return nil
}

func (s *Server) indValueDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	vid, err := pathID(r, "value")
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Measurement.DeleteIndicatorValue(r.Context(), orgFrom(r.Context()).ID, id, vid), idPath("/indicators/", id))
}

func (s *Server) indComputeSubmit(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.Measurement.ComputeIndicators(r.Context(), orgFrom(r.Context()).ID); err != nil {
		return err
	}
	s.redirect(w, r, p0(r, "/indicators"), "meas.flash.computed")
	return nil
}

type breachListData struct {
	Breaches []*isms.IndicatorBreach
	Filter   isms.BreachFilter
	Pager    pager
}

func (s *Server) breachListPage(w http.ResponseWriter, r *http.Request) error {
	f, err := breachFilterFrom(r, 50)
	if err != nil {
		return err
	}
	bs, total, err := s.Measurement.IndicatorBreaches(r.Context(), orgFrom(r.Context()).ID, f)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.indicator_breaches")
	p.Data = breachListData{Breaches: bs, Filter: f, Pager: newPager(r, total, f.Offset, f.Limit)}
	s.render(w, http.StatusOK, "indicator_breaches", p)
	return nil
}

// breachBack is where a breach's answer returns: the page it was given on.
func breachBack(r *http.Request) string {
	if back := r.PostForm.Get("back"); strings.HasPrefix(back, "/indicators") && !strings.Contains(back, "//") {
		return back
	}
	return "/indicators/breaches"
}

func (s *Server) breachNCSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.Measurement.BreachNonconformity(r.Context(), orgFrom(r.Context()).ID, id, formVersion(r))
	if err != nil {
		return err
	}
	s.redirect(w, r, p0(r, idPath("/nonconformities/", n.ID)), "meas.flash.nc_created")
	return nil
}

func (s *Server) breachHandleSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Measurement.HandleBreach(r.Context(), orgFrom(r.Context()).ID, id,
		isms.BreachHandling{Note: r.PostForm.Get("note"), Version: formVersion(r)}); err != nil {
		if isms.ErrorCode(err) == isms.EInvalid {
			return isms.Errorf(isms.EInvalid, "meas.err.note_required")
		}
		return err
	}
	s.redirect(w, r, p0(r, breachBack(r)), "meas.flash.breach_handled")
	return nil
}

type guidelineData struct {
	Guideline *isms.MonitoringGuideline
	Forums    []*isms.Forum
	History   []historyItem
}

func (s *Server) guidelinePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderGuideline(w, r, s.newPage(r, "title.monitoring_guideline"), nil, http.StatusOK)
}

func (s *Server) renderGuideline(w http.ResponseWriter, r *http.Request, p *page, g *isms.MonitoringGuideline, status int) error {
	org := orgFrom(r.Context())
	if g == nil {
		var err error
		if g, err = s.Measurement.MonitoringGuideline(r.Context(), org.ID); err != nil {
			return err
		}
	}
	forums, err := s.Leadership.Forums(r.Context(), org.ID)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "monitoring_guideline", org.ID)
	if err != nil {
		return err
	}
	p.Data = guidelineData{Guideline: g, Forums: forums, History: hist}
	s.render(w, status, "monitoring_guideline", p)
	return nil
}

func (s *Server) guidelineSubmit(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	var v isms.Validation
	in := isms.MonitoringGuidelineInput{Scope: f.Get("scope"), Methods: f.Get("methods"), Analysis: f.Get("analysis"),
		ForumID: parseOptionalID(&v, "forum_id", f.Get("forum_id")), ReportTo: f.Get("report_to"), Version: parseVersion(f.Get("version"))}
	if m := parseOptionalNumber(&v, "report_months", f.Get("report_months")); m != nil {
		in.ReportMonths = int(*m)
	}
	err := v.Err()
	if err == nil {
		_, err = s.Measurement.SaveMonitoringGuideline(r.Context(), orgFrom(r.Context()).ID, in)
	}
	if err != nil {
		org := orgFrom(r.Context())
		return s.formRefused(r, err, s.newPage(r, "title.monitoring_guideline"), func() int64 {
			g, x := s.Measurement.MonitoringGuideline(r.Context(), org.ID)
			if x != nil {
				return 0
			}
			return g.Version
		}, func(p *page, status int) error { return s.renderGuideline(w, r, p, nil, status) })
	}
	s.redirect(w, r, p0(r, "/indicators/guideline"), "flash.saved")
	return nil
}

// groupIndicators is one child organisation's programme in the group view.
type groupIndicators struct {
	Org        *isms.Organisation
	Indicators []*isms.Indicator
}

// groupPage shows a parent organisation its children's indicators side by
// side, read-only (guide 2.2 "koncernstyring"): each child keeps its own
// programme; the store refuses a child the reader may not see.
func (s *Server) indGroupPage(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	orgs, err := s.Orgs.Organisations(r.Context())
	if err != nil {
		return err
	}
	var out []groupIndicators
	for _, o := range orgs {
		if o.ParentID == nil || *o.ParentID != org.ID {
			continue
		}
		inds, _, err := s.Measurement.Indicators(r.Context(), o.ID, isms.IndicatorFilter{Active: true, Limit: 500})
		if err != nil {
			return err
		}
		out = append(out, groupIndicators{Org: o, Indicators: inds})
	}
	p := s.newPage(r, "title.indicator_group")
	p.Data = struct {
		Children []groupIndicators
		Today    isms.Date
	}{out, isms.DateOf(s.cfg.Now())}
	s.render(w, http.StatusOK, "indicator_group", p)
	return nil
}

var indicatorsQuery = []apiParam{{"active", "boolean", "only active indicators"}, {"source", "string", "manual or computed"},
	{"owner", "integer", "owner's user id"}, {"q", "string", "text in title or definition"},
	{"sort", "string", "title, owner, frequency, updated; prefix - for descending"}, {"offset", "integer", ""}, {"limit", "integer", "at most 500"}}

var breachesQuery = []apiParam{{"open", "boolean", "only breaches no one has answered"}, {"indicator", "integer", "the indicator's id"},
	{"offset", "integer", ""}, {"limit", "integer", "at most 500"}}

// breachNCBody is the body of turning a breach into a nonconformity.
type breachNCBody struct {
	Version int64 `json:"version"`
}

// indExport writes the measurement programme as a spreadsheet: the
// guideline, then one row per indicator with what it measures, how, how
// often, by whom, its target and thresholds and its latest value.
func (s *Server) indExport(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	var all []*isms.Indicator
	for {
		page, total, err := s.Measurement.Indicators(r.Context(), org.ID, isms.IndicatorFilter{Offset: len(all), Limit: 500})
		if err != nil {
			return err
		}
		all = append(all, page...)
		if len(page) == 0 || len(all) >= total {
			break
		}
	}
	g, err := s.Measurement.MonitoringGuideline(r.Context(), org.ID)
	if err != nil {
		return err
	}
	t := translator(i18n.Negotiate(r))
	today := isms.DateOf(s.cfg.Now())
	sheet := export.Sheet{Name: t("meas.export.sheet"), Title: t("meas.export.title", org.Name, today.String()),
		Widths: []float64{34, 40, 30, 12, 10, 14, 10, 10, 10, 12, 20, 20, 24, 12, 12, 10}}
	for _, k := range []string{"meas.field.title", "meas.field.definition", "meas.field.method", "meas.field.source", "meas.field.unit",
		"meas.field.direction", "meas.field.target", "meas.field.warning", "meas.field.breach", "meas.field.frequency", "field.owner_id",
		"meas.field.measured_by", "meas.field.evaluates", "meas.latest", "field.measured_on", "meas.level"} {
		sheet.Header = append(sheet.Header, t(i18n.Key(k)))
	}
	sheet.Rows = append(sheet.Rows, export.Row{Section: t("meas.export.guideline")})
	for _, line := range []struct {
		key  i18n.Key
		text string
	}{{"meas.field.scope", g.Scope}, {"meas.field.methods", g.Methods}, {"meas.field.analysis", g.Analysis}, {"meas.reported_to", g.Audience()}} {
		sheet.Rows = append(sheet.Rows, export.Row{Cells: []any{t(line.key), line.text}})
	}
	sheet.Rows = append(sheet.Rows, export.Row{Section: t("meas.export.indicators")})
	for _, ind := range all {
		evaluates := t(i18n.Key("meas.evaluates." + string(ind.Evaluates)))
		switch ind.Evaluates {
		case isms.EvaluatesObjective:
			evaluates += ": " + ind.ObjectiveTitle
		case isms.EvaluatesControl:
			evaluates += ": " + ind.Control
		case isms.EvaluatesProcess:
			evaluates += ": " + ind.Process
		}
		level := ""
		if ind.LatestOn != nil {
			level = t(i18n.Key("meas.level." + string(ind.LatestLevel())))
		}
		sheet.Rows = append(sheet.Rows, export.Row{Cells: []any{ind.Title, ind.Definition, ind.Method, t(i18n.Key("meas.source." + string(ind.Source))),
			ind.Unit, t(i18n.Key("meas.direction." + string(ind.Direction))), ind.Target, ind.Warning, ind.Breach,
			t(i18n.Key("meas.frequency." + string(ind.Frequency))), ind.OwnerName, ind.MeasuredBy, evaluates, ind.Latest, ind.LatestOn, level}})
	}
	s.streamXLSX(w, "measurement programme export", t("meas.export.file")+".xlsx", []export.Sheet{sheet})
	return nil
}

// measurementDue puts on the dashboard the open breaches, which someone
// must answer, and the indicators whose next value is due in the period.
func measurementDue(s *Server, r *http.Request, orgID int64, until isms.Date) ([]dueItem, error) {
	today := isms.DateOf(s.cfg.Now())
	open, err := s.Measurement.OpenMeasurementBreaches(r.Context(), orgID)
	if err != nil {
		return nil, err
	}
	var out []dueItem
	for _, b := range open {
		out = append(out, dueItem{Label: b.IndicatorTitle + " (" + b.Period + ")", Kind: "meas.due.breach", Due: b.MeasuredOn, Overdue: true,
			Path: idPath("/indicators/", b.IndicatorID)})
	}
	inds, _, err := s.Measurement.Indicators(r.Context(), orgID, isms.IndicatorFilter{Active: true, Source: isms.SourceHand, Limit: 500})
	if err != nil {
		return nil, err
	}
	for _, ind := range inds {
		if due := ind.NextDue(); !until.Before(due) {
			out = append(out, dueItem{Label: ind.Title, Kind: "meas.due.value", Due: due, Overdue: due.Before(today), Path: idPath("/indicators/", ind.ID)})
		}
	}
	return out, nil
}

// indValuesExport writes an indicator's values as a spreadsheet, oldest
// first: the day as a date cell and the value as a number, headed as the
// value import reads them, so the file can be read back (into another
// indicator, or by a colleague's tool).
func (s *Server) indValuesExport(w http.ResponseWriter, r *http.Request) error {
	ind, err := s.loadIndicator(r)
	if err != nil {
		return err
	}
	vals, err := s.Measurement.IndicatorValues(r.Context(), ind.OrganisationID, ind.ID)
	if err != nil {
		return err
	}
	org := orgFrom(r.Context())
	t := translator(i18n.Negotiate(r))
	// The unit stays out of the value's heading, which the import would
	// not know with it.
	value := t("field.value")
	sheet := export.Sheet{Name: t("meas.export.values_sheet"), Title: t("meas.export.values_title", org.Name, ind.Title, isms.DateOf(s.cfg.Now()).String()),
		Header: []string{t("field.measured_on"), value, t("meas.level"), t("field.note"), t("obj.recorded_by")},
		Widths: []float64{12, 16, 14, 50, 24}}
	for _, v := range vals {
		level := ""
		if v.Level != "" {
			level = t(i18n.Key("meas.level." + string(v.Level)))
		}
		sheet.Rows = append(sheet.Rows, export.Row{Cells: []any{v.MeasuredOn, v.Value, level, v.Note, v.RecordedName}})
	}
	s.streamXLSX(w, "indicator values export", t("meas.export.values_file")+"-"+strconv.FormatInt(ind.ID, 10)+".xlsx", []export.Sheet{sheet})
	return nil
}
