package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// templates holds one template set per page: the layout, the shared
// partials and the page's own file. The layout and the partials are parsed
// when the server is made; a page's set is a copy of them with the page's
// file parsed in, made the first time the page is asked for, so that
// starting the server does not wait for a hundred pages to be parsed, and
// an instance holds only the pages its users open (each set takes some
// hundred kilobytes). TestEveryTemplateParses parses them all.
type templates struct {
	base  *template.Template
	pages map[string]*pageTemplate
}

type pageTemplate struct {
	file string
	once sync.Once
	t    *template.Template
	err  error
}

// page returns a page's template set, parsing it on first use.
func (t *templates) page(name string) (*template.Template, error) {
	pt, ok := t.pages[name]
	if !ok {
		return nil, fmt.Errorf("no template %s", name)
	}
	pt.once.Do(func() {
		c, err := t.base.Clone()
		if err == nil {
			c, err = c.ParseFS(assets, pt.file)
		}
		if err != nil {
			pt.err = fmt.Errorf("template %s: %w", name, err)
			return
		}
		pt.t = c
	})
	return pt.t, pt.err
}

// warm parses every page's set, and reports the first that does not parse
// (for the test).
func (t *templates) warm() error {
	var first error
	for name := range t.pages {
		if _, err := t.page(name); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func parseTemplates(s *Server) (*templates, error) {
	funcs := template.FuncMap{
		"date":     fmtDate,
		"datetime": fmtDateTime,
		"dateval":  dateValue,
		// showDate and showDateTime are date and datetime for a page's
		// text: a <time> element, which the style sheet keeps on one line.
		"showDate":     func(v any) template.HTML { return timeElement(fmtDate(v), fmtDate(v)) },
		"showDateTime": func(v any) template.HTML { return timeElement(machineDateTime(v), fmtDateTime(v)) },
		"add":          func(a, b int) int { return a + b },
		"seq": func(n int) []int {
			out := make([]int, n)
			for i := range out {
				out[i] = i
			}
			return out
		},
		"int64": func(i int) int64 { return int64(i) },
		"itoa":  func(i int64) string { return strconv.FormatInt(i, 10) },
		"contains": func(ids []int64, id int64) bool {
			for _, x := range ids {
				if x == id {
					return true
				}
			}
			return false
		},
		"field":   newField,
		"keys":    keysChoices,
		"members": memberChoices,
		"options": recordChoices,
		"static":  s.static.URL,
		"lower":   strings.ToLower,
		"safeURL": func(s string) template.URL { return template.URL(s) },
		"list":    func(s ...string) []string { return s },
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		},
	}
	partials, err := fs.Glob(assets, "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, append([]string{"templates/layout.html"}, partials...)...)
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	t := &templates{base: base, pages: map[string]*pageTemplate{}}
	for _, f := range files {
		if name := strings.TrimSuffix(path.Base(f), ".html"); name != "layout" {
			t.pages[name] = &pageTemplate{file: f}
		}
	}
	return t, nil
}

func fmtDate(v any) string {
	switch d := v.(type) {
	case *isms.Date:
		if d == nil {
			return ""
		}
		return d.String()
	case isms.Date:
		return d.String()
	case time.Time:
		if d.IsZero() {
			return ""
		}
		return d.Format(isms.DateLayout)
	case *time.Time:
		if d == nil {
			return ""
		}
		return d.Format(isms.DateLayout)
	}
	return ""
}

func fmtDateTime(v any) string {
	switch d := v.(type) {
	case time.Time:
		return d.UTC().Format("2006-01-02 15:04 UTC")
	case *time.Time:
		if d == nil {
			return ""
		}
		return d.UTC().Format("2006-01-02 15:04 UTC")
	}
	return ""
}

// timeElement is shown as a <time> element with its machine-readable
// value, or nothing when there is no date.
func timeElement(machine, shown string) template.HTML {
	if shown == "" {
		return ""
	}
	return template.HTML(`<time datetime="` + template.HTMLEscapeString(machine) + `">` + template.HTMLEscapeString(shown) + `</time>`)
}

// machineDateTime is a moment in the form of a <time> element's datetime.
func machineDateTime(v any) string {
	switch d := v.(type) {
	case time.Time:
		return d.UTC().Format(time.RFC3339)
	case *time.Time:
		if d != nil {
			return d.UTC().Format(time.RFC3339)
		}
	}
	return ""
}

func dateValue(d *isms.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// page is what every template gets: the language, the user, the current
// organisation and the caller's access there, the outcome of a form, and
// the page's own data.
type page struct {
	s      *Server
	r      *http.Request
	Lang   string
	User   *isms.User
	Org    *isms.Organisation
	Title  string // catalogue key
	Flash  string // translated notice from the previous request
	Error  string // translated error for the whole form
	Fields map[string]string
	Form   url.Values
	Data   any
}

func (s *Server) newPage(r *http.Request, title string) *page {
	p := &page{s: s, r: r, Lang: i18n.Negotiate(r), User: userFrom(r.Context()), Org: orgFrom(r.Context()), Title: title, Fields: map[string]string{}}
	return p
}

// RequestID names the request in the server's log, which the error page
// shows ("Fejl-id") for the user to quote.
func (p *page) RequestID() string {
	if p.r == nil {
		return ""
	}
	return requestID(p.r.Context())
}

// T translates a catalogue key into the page's language.
func (p *page) T(key string, args ...any) string { return i18n.T(p.Lang, i18n.Key(key), args...) }

// TH translates a catalogue key into HTML, where an argument may be HTML
// itself: a date drawn by showDate stays a <time> element kept on one
// line inside the sentence. Everything else, the catalogue's text
// included, is escaped.
func (p *page) TH(key string, args ...any) template.HTML {
	var parts []string
	a := make([]any, len(args))
	for i, x := range args {
		if h, ok := x.(template.HTML); ok {
			a[i] = htmlArg(len(parts))
			parts = append(parts, string(h))
			continue
		}
		a[i] = x
	}
	out := template.HTMLEscapeString(i18n.T(p.Lang, i18n.Key(key), a...))
	for i, h := range parts {
		out = strings.Replace(out, htmlArg(i), h, 1)
	}
	return template.HTML(out)
}

// htmlArg marks where TH puts an HTML argument back: characters of the
// private use area, which no catalogue text or record holds and escaping
// leaves alone.
func htmlArg(i int) string { return "\ue000" + strconv.Itoa(i) + "\ue001" }

// Msg translates a domain message.
func (p *page) Msg(m isms.Message) string {
	return i18n.T(p.Lang, i18n.Key(m.Key), m.Args...)
}

// Can reports whether the caller holds a permission in the current
// organisation; the templates use it to offer only what will be allowed.
func (p *page) Can(perm string) bool { return p.Org != nil && p.Org.Access.Can(isms.Permission(perm)) }

// OwnsOrCan reports whether the caller may edit a record with this owner.
func (p *page) OwnsOrCan(owner *int64) bool {
	if p.Org == nil {
		return false
	}
	var user int64
	if p.User != nil {
		user = p.User.ID
	}
	return p.Org.Access.MayEdit(user, owner)
}

// OrgURL is a path below the current organisation.
func (p *page) OrgURL(suffix string) string {
	if p.Org == nil {
		return suffix
	}
	return fmt.Sprintf("/orgs/%d%s", p.Org.ID, suffix)
}

// Path is the request path, for the language switch to come back to.
func (p *page) Path() string { return p.r.URL.RequestURI() }

// Query returns a query parameter of the request.
func (p *page) Query(name string) string { return p.r.URL.Query().Get(name) }

// Value returns the submitted value of a form field, or the fallback when
// the form was not submitted (so a refused form keeps what the user typed).
func (p *page) Value(name string, fallback any) string {
	if p.Form != nil {
		return p.Form.Get(name)
	}
	if fallback == nil {
		return ""
	}
	if rv := reflect.ValueOf(fallback); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return ""
	}
	switch v := fallback.(type) {
	case string:
		return v
	case *isms.Date:
		return dateValue(v)
	case *int64:
		if v == nil {
			return ""
		}
		return strconv.FormatInt(*v, 10)
	default:
		return fmt.Sprint(v)
	}
}

// Values returns all submitted values of a field (for multi-selects).
func (p *page) Values(name string) []string {
	if p.Form == nil {
		return nil
	}
	return p.Form[name]
}

// Selected tells a multi-select option whether it is chosen: from the
// submitted form, or else from the stored ids.
func (p *page) Selected(name string, id int64, stored []int64) bool {
	if p.Form != nil {
		for _, v := range p.Form[name] {
			if v == strconv.FormatInt(id, 10) {
				return true
			}
		}
		return false
	}
	for _, x := range stored {
		if x == id {
			return true
		}
	}
	return false
}

// SortURL is the current URL with the list sorted by col, or by col
// descending when it is sorted by col already.
func (p *page) SortURL(col string) string {
	q := p.r.URL.Query()
	if q.Get("sort") == col {
		q.Set("sort", "-"+col)
	} else {
		q.Set("sort", col)
	}
	q.Del("offset")
	return p.r.URL.Path + "?" + q.Encode()
}

// SortMark shows the direction of the sort on a column heading.
func (p *page) SortMark(col string) string {
	switch p.r.URL.Query().Get("sort") {
	case col:
		return " ▲"
	case "-" + col:
		return " ▼"
	}
	return ""
}

// FieldError is the translated problem with a field, if any.
func (p *page) FieldError(name string) string { return p.Fields[name] }

// ErrFor renders a field's error message, which the field points to with
// aria-describedby="e-<name>". Without an error the element is there all
// the same, empty and hidden, so that the field's aria-describedby always
// names an element of the page (and describes the field with nothing).
func (p *page) ErrFor(name string) template.HTML {
	id := template.HTMLEscapeString("e-" + name)
	m, ok := p.Fields[name]
	if !ok {
		return template.HTML(`<p class="field-error" id="` + id + `" hidden></p>`)
	}
	return template.HTML(`<p class="field-error" id="` + id + `">` + template.HTMLEscapeString(m) + `</p>`)
}

// SideNav is the side navigation of the current organisation: one entry
// per element of the guide the caller may use, the one in view marked.
func (p *page) SideNav() (template.HTML, error) {
	n, err := p.navigation()
	return n.side, err
}

// ElementTabs are the pages of the element in view, as tabs, the one in
// view marked; nothing for an element of one page.
func (p *page) ElementTabs() (template.HTML, error) {
	n, err := p.navigation()
	return n.tabs, err
}

// drawnNav is the side navigation and the element's tabs, drawn.
type drawnNav struct{ side, tabs template.HTML }

// navKey names a drawn navigation: what it shows depends only on the
// language, the organisation (its id is in every link), where the page is
// in the navigation and which of the permissions that offer tabs the
// caller holds; nothing a write does can make a kept one wrong.
type navKey struct {
	lang   string
	orgID  int64
	at     place
	home   bool
	access uint8
}

// navigation draws the side navigation and the tabs once per kind of page
// and caller and keeps them: they are the same on every page of a tab,
// and drawing their links was a good part of drawing a short page.
func (p *page) navigation() (drawnNav, error) {
	if p.Org == nil {
		return drawnNav{}, nil
	}
	path := strings.TrimPrefix(p.r.URL.Path, p.OrgURL(""))
	key := navKey{lang: p.Lang, orgID: p.Org.ID, at: placeOf(path), home: path == "" || path == "/"}
	for i, perm := range tabPermissions {
		if p.Org.Access.Can(perm) {
			key.access |= 1 << i
		}
	}
	if n, ok := p.s.navs.Load(key); ok {
		return n.(drawnNav), nil
	}
	t, err := p.s.pages.page("error")
	if err != nil {
		return drawnNav{}, fmt.Errorf("no template to draw the navigation with: %w", err)
	}
	v := navigation(p, path)
	var side, tabs strings.Builder
	if err := t.ExecuteTemplate(&side, "sidenav", v); err != nil {
		return drawnNav{}, err
	}
	if v.Current != nil && len(v.Current.Tabs) > 1 {
		if err := t.ExecuteTemplate(&tabs, "element_tabs", v); err != nil {
			return drawnNav{}, err
		}
	}
	n := drawnNav{side: template.HTML(side.String()), tabs: template.HTML(tabs.String())}
	p.s.navs.Store(key, n)
	return n, nil
}

// Static is the hashed URL of an asset.
func (p *page) Static(name string) string { return p.s.static.URL(name) }

// setError shows a domain error on the page: field problems next to their
// fields, the rest at the top.
func (p *page) setError(err error) { p.setFieldError(err, "") }

// setFieldError is setError for a page whose fields are named with
// prefix before the domain's field names.
func (p *page) setFieldError(err error, prefix string) {
	e := isms.AsError(err)
	if e == nil {
		p.Error = p.T("err.internal")
		return
	}
	p.Error = i18n.T(p.Lang, i18n.Key(e.Key), e.Args...)
	for _, f := range e.Fields {
		p.Fields[prefix+f.Field] = i18n.T(p.Lang, i18n.Key(f.Key), f.Args...)
	}
}

// render writes a page with the given status. Rendering into a buffer
// first means a template error becomes a clean 500, not half a page.
func (s *Server) render(w http.ResponseWriter, status int, name string, p *page) {
	t, err := s.pages.page(name)
	if err != nil {
		s.log.ErrorContext(p.r.Context(), "template", "name", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if c, err := p.r.Cookie("flash"); err == nil && p.Flash == "" {
		if i18n.Has(i18n.Key(c.Value)) {
			p.Flash = p.T(c.Value)
		}
		http.SetCookie(w, &http.Cookie{Name: "flash", Path: "/", MaxAge: -1})
	}
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	if err := t.Execute(buf, p); err != nil {
		s.log.ErrorContext(p.r.Context(), "render", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", p.Lang)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// renderBuffers are the buffers pages are drawn into, reused: a page is
// tens of kilobytes, grown in steps each time from an empty buffer.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putRenderBuffer returns a buffer for reuse, unless an unusually large
// page grew it: the pool would keep that memory for every later page.
func putRenderBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return
	}
	b.Reset()
	renderBuffers.Put(b)
}

// redirect sends the browser on after a successful form (POST, redirect,
// GET), with a notice for the next page.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to, flashKey string) {
	if flashKey != "" {
		http.SetCookie(w, &http.Cookie{Name: "flash", Value: flashKey, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies})
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// fail shows an error page for errors that are not about a form's fields.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := s.status(r, err)
	if status == http.StatusUnauthorized {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	setRetryAfter(w, status)
	p := s.newPage(r, "title.error")
	p.setError(err)
	s.render(w, status, "error", p)
}

// show renders the template name, for formRefused to show a form again.
func (s *Server) show(w http.ResponseWriter, name string) func(p *page, status int) error {
	return func(p *page, status int) error {
		s.render(w, status, name, p)
		return nil
	}
}
