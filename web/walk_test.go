package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	htmlpkg "html"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/demo"
)

// walkElements are the guide's elements the side navigation must offer, by
// the data-element attribute of their links. A new element of the
// navigation is added here, and nowhere else in the walk.
var walkElements = []string{"dashboard", "context", "leadership", "risk", "support", "competence", "awareness", "communication",
	"documentation", "operation", "wheel", "evaluation", "checklist", "improvement", "administration"}

// walkWidths are the window widths the walk sees every page at: a small
// phone and a common laptop, each with a height of its kind.
var walkWidths = []struct{ w, h int64 }{{360, 740}, {1366, 768}}

// walkLimit caps the pages of an organisation the walk opens, so that the
// walk stays a few minutes long on a small machine however the product
// grows; the walk fails when the cap cuts pages off, so that it is raised
// on purpose rather than pages left unseen.
const walkLimit = 172

// axeSource reads axe-core, which tools/axe installs from the npm
// registry (npm ci --prefix tools/axe); ISMS_AXE names another copy.
// Without it the walk skips with how to install it, except under CI=true,
// where it fails.
func axeSource(t *testing.T) string {
	t.Helper()
	p := os.Getenv("ISMS_AXE")
	if p == "" {
		p = filepath.Join("..", "tools", "axe", "node_modules", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(p)
	if err == nil {
		return string(b)
	}
	msg := fmt.Sprintf("axe-core not found at %s (%v): run `npm ci --prefix tools/axe` in the repository, or set ISMS_AXE to axe.min.js", p, err)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + "; CI must run the accessibility walk")
	}
	t.Skip(msg)
	return ""
}

// walkPage is a page the walk opens.
type walkPage struct {
	path   string
	status int // the status the page answers with
}

// TestBrowserWalk opens the product's pages the way a user meets them —
// the dashboard, every page of the side navigation and of each element's
// tabs, a record and a form of each register, and the pages outside an
// organisation — in Danish and English, at a phone's and a laptop's
// width, and checks that axe-core finds nothing, that the page does not
// scroll sideways, and that the navigation reaches every element, on a
// phone through its collapsed box. With ISMS_SCREENSHOTS set to a folder,
// every page is saved there as PNG at every width and language.
func TestBrowserWalk(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser walk of every page takes minutes; run without -short")
	}
	axe := axeSource(t)
	ctx := startBrowserFor(t, 10*time.Minute)
	e := newEnv(t)
	d, err := demo.Fill(context.Background(), e.db, io.Discard, "")
	if err != nil {
		t.Fatal(err)
	}
	// The site administrator is offered every tab and the site's own pages.
	b := e.login("admin@example.org")
	org := fmt.Sprintf("/orgs/%d", d.Org.ID)
	pages := orgPages(t, b, org)
	// Each person's inbox, reached from the header.
	pages = append(pages, walkPage{org + "/inbox", 200}, walkPage{org + "/inbox?show=all", 200})
	// Views no tab, record or form link finds.
	pages = append(pages, walkPage{org + "/awareness/participation/reach", 200})
	// The organisation's archive, offered on its settings page.
	pages = append(pages, walkPage{org + "/archive", 200})
	// The incident with every link filled in (nonconformity, risk,
	// threat, controls, communications): the list's first is a plainer one.
	if incs, _, err := e.db.Incidents(d.As(isms.RoleCoordinator), d.Org.ID, isms.IncidentFilter{Category: "malware", Limit: 1}); err != nil || len(incs) != 1 {
		t.Fatalf("the demo's ransomware incident: %v", err)
	} else {
		pages = append(pages, walkPage{fmt.Sprintf("%s/incidents/%d", org, incs[0].ID), 200})
	}
	// The imports of the supplier list and the incident log, and a
	// preview of each with its refused rows.
	pages = append(pages, walkImportPreviews(t, e, d)...)
	// The management review's printable pack (a page, not a record).
	if rs, err := e.db.ManagementReviews(d.As(isms.RoleReader), d.Org.ID); err != nil || len(rs) == 0 {
		t.Fatalf("management reviews %d %v", len(rs), err)
	} else {
		pages = append(pages, walkPage{fmt.Sprintf("%s/management-reviews/%d/pack", org, rs[0].ID), 200})
	}
	outside := []walkPage{{"/", 200}, {"/account", 200}, {"/users", 200}, {"/sso", 200}, {"/organisations/import", 200}}
	if u := firstLink(body(b.get("/users")), regexp.MustCompile(`^/users/[0-9]+$`)); u != "" {
		outside = append(outside, walkPage{u, 200})
	}
	// The behaviour policy's public acknowledgement page, as staff open it.
	ackToken, _, err := e.db.CreateAcknowledgementLink(d.As(isms.RoleCoordinator), d.Org.ID)
	if err != nil {
		t.Fatal(err)
	}
	outside = append(outside, walkPage{"/ack/" + ackToken, 200})
	// The public reporting link's page, and the supplier questionnaire's
	// page as the supplier opens it (on the questionnaire supervision the
	// demo left without one), with the coordinator's pages around them.
	coordCtx := d.As(isms.RoleCoordinator)
	reportToken, _, err := e.db.CreateIncidentIntakeLink(coordCtx, d.Org.ID)
	if err != nil {
		t.Fatal(err)
	}
	outside = append(outside, walkPage{"/report/" + reportToken, 200})
	// The internal audit's printable report, which only its audit's page
	// links.
	if ps, err := e.db.AuditProgrammes(coordCtx, d.Org.ID); err != nil || len(ps) == 0 || len(ps[0].Audits) == 0 {
		t.Fatalf("the demo's audit programme: %v", err)
	} else {
		pages = append(pages, walkPage{fmt.Sprintf("%s/internal-audit/audits/%d/report", org, ps[0].Audits[0].ID), 200})
	}
	svs, err := e.db.Supervisions(coordCtx, d.Org.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range svs {
		if v.Method != isms.SupervisionQuestionnaire {
			continue
		}
		if _, err := e.db.SupervisionQuestionnaire(coordCtx, d.Org.ID, v.ID); err == nil {
			pages = append(pages, walkPage{fmt.Sprintf("%s/supplier-supervisions/%d", org, v.ID), 200})
			continue
		}
		pages = append(pages, walkPage{fmt.Sprintf("%s/supplier-supervisions/%d/questionnaire/new", org, v.ID), 200})
		qToken, _, err := e.db.CreateQuestionnaire(coordCtx, d.Org.ID, v.ID, isms.QuestionnaireInput{Questions: []string{"Er I certificeret efter ISO/IEC 27001?", "Tager I backup?"},
			ExpiresOn: d.Day(14)})
		if err != nil {
			t.Fatal(err)
		}
		outside = append(outside, walkPage{"/questionnaire/" + qToken, 200})
	}
	if ags, err := e.db.SupplierAgreements(coordCtx, d.Org.ID, 0); err != nil || len(ags) == 0 {
		t.Fatalf("agreements %d %v", len(ags), err)
	} else {
		pages = append(pages, walkPage{fmt.Sprintf("%s/suppliers/%d/agreements/%d/edit", org, ags[0].SupplierID, ags[0].ID), 200})
	}
	outside = append(outside, walkPage{org + "/no-such-page", http.StatusNotFound})
	t.Logf("walking %d pages of the organisation and %d outside it", len(pages), len(outside))

	shots := os.Getenv("ISMS_SCREENSHOTS")
	if shots != "" {
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	w := &walker{ctx: ctx, base: e.srv.URL, axe: axe, shots: shots}
	start := time.Now()
	if err := chromedp.Do(ctx, loginInEnglish(e.srv.URL, "admin@example.org")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
		t.Fatalf("load axe-core: %v", err)
	}
	axeVersion, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.version`))
	if err != nil {
		t.Fatal(err)
	}
	// The tabs share the first tab's cookies: its login and language.
	n := min(runtime.NumCPU(), 4)
	w.tabs = make(chan context.Context, n)
	for range n {
		tab, cancel := chromedp.NewContext(ctx)
		t.Cleanup(cancel)
		if err := chromedp.Do(tab, chromedp.Navigate("about:blank")); err != nil {
			t.Fatal(err)
		}
		w.tabs <- tab
	}
	for _, lang := range []string{"da", "en"} {
		t.Run(lang, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/account"), switchLanguage(lang)); err != nil {
				t.Fatal(err)
			}
			t.Run("navigation", func(t *testing.T) { w.checkNavigation(t, org) })
			for _, p := range append(append([]walkPage(nil), pages...), outside...) {
				w.page(t, lang, p)
			}
		})
	}
	// The login page, logged out.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`header form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`main form[action="/login"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"da", "en"} {
		t.Run(lang+"/logged-out", func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/login"), switchLanguage(lang)); err != nil {
				t.Fatal(err)
			}
			w.check(t, ctx, lang, walkPage{"/login", 200})
		})
	}
	t.Logf("walked %d page views (a page in a language, at %d widths) in %d tabs in %s (axe-core %s)", w.views.Load(), len(walkWidths), n, time.Since(start).Round(time.Second), axeVersion)
}

// switchLanguage presses the header's language button, from any page,
// and waits for the page to come back in that language.
func switchLanguage(lang string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Click(chromedp.CSS(`form.lang button[value="`+lang+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="`+lang+`"] form.lang button[value="`+lang+`"][aria-pressed="true"]`)),
	)
}

// orgPages finds the organisation's pages as a user meets them: the
// dashboard, the side navigation's pages, the tabs of each of those, and
// from each of those pages one record and one form (new or edit) of each
// kind it links to, and the edit form of each record. A page is taken
// once per route (its path with numbers as N, and its query's names).
func orgPages(t *testing.T, b *browser, org string) []walkPage {
	t.Helper()
	seen := map[string]bool{}
	var out []walkPage
	htmls := map[string]string{}
	// add opens a page once: each page of the navigation and its tabs
	// (their queries pick a view, e.g. a register's kind), and one of each
	// route otherwise.
	add := func(p string, each bool) bool {
		if p == "" || walkSkip.MatchString(p) || !strings.HasPrefix(p, org) {
			return false
		}
		r := routeOf(strings.SplitN(p, "?", 2)[0])
		if each {
			r = p
		}
		if seen[r] || seen[p] {
			return false
		}
		seen[r], seen[p] = true, true
		res := b.get(p)
		html := body(res)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Logf("walk: %s answers %d %s; not walked", p, res.StatusCode, res.Header.Get("Content-Type"))
			return false
		}
		out = append(out, walkPage{p, 200})
		htmls[p] = html
		return true
	}
	add(org, true)
	dash := htmls[org]
	navPages := linksIn(section(dash, sideNav), org)
	if len(navPages) == 0 {
		t.Fatalf("the dashboard %s has no side navigation", org)
	}
	var registers []string
	for _, p := range navPages {
		if add(p, true) {
			registers = append(registers, p)
		}
	}
	// Each element's tabs, from every page of the navigation.
	for _, p := range append([]string(nil), registers...) {
		for _, tab := range linksIn(section(htmls[p], tabsNav), org) {
			if add(tab, true) {
				registers = append(registers, tab)
			}
		}
	}
	// One record and one form of each kind a page lists.
	var records []string
	for _, p := range registers {
		for _, l := range linksIn(section(htmls[p], mainPart), org) {
			switch {
			case walkForm.MatchString(l):
				add(l, false)
			case walkRecord.MatchString(l):
				if add(l, false) {
					records = append(records, l)
				}
			}
		}
	}
	for _, p := range records {
		for _, l := range linksIn(section(htmls[p], mainPart), org) {
			if walkForm.MatchString(l) {
				add(l, false)
			}
		}
	}
	if len(out) > walkLimit {
		t.Errorf("the walk found %d pages of the organisation, over its limit of %d: raise walkLimit if the walk still takes minutes", len(out), walkLimit)
		out = out[:walkLimit]
	}
	return out
}

var (
	// walkSkip: downloads, feeds and exports are not pages.
	walkSkip   = regexp.MustCompile(`\.(xlsx|svg|ics|json|csv|zip|pdf|txt|docx)(\?|$)|/(download|feed)(/|\?|$)|export`)
	walkForm   = regexp.MustCompile(`/(new|edit)(\?|$)`)
	walkRecord = regexp.MustCompile(`/[0-9]+$`)
	hrefAttr   = regexp.MustCompile(`href="(/[^"#]*)"`)
	digitsRun  = regexp.MustCompile(`[0-9]+`)
	sideNav    = regexp.MustCompile(`(?s)<nav[^>]*class="side[ "].*?</nav>`)
	tabsNav    = regexp.MustCompile(`(?s)<nav[^>]*class="tabs[ "].*?</nav>`)
	mainPart   = regexp.MustCompile(`(?s)<main[ >].*?</main>`)
)

// section is the parts of html that re matches, joined.
func section(html string, re *regexp.Regexp) string {
	return strings.Join(re.FindAllString(html, -1), "\n")
}

// linksIn is the links of html below prefix, in order, once each.
func linksIn(html, prefix string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range hrefAttr.FindAllStringSubmatch(html, -1) {
		l := htmlpkg.UnescapeString(m[1])
		if (l == prefix || strings.HasPrefix(l, prefix+"/") || strings.HasPrefix(l, prefix+"?")) && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

// firstLink is the first link of html whose path matches re.
func firstLink(html string, re *regexp.Regexp) string {
	for _, m := range hrefAttr.FindAllStringSubmatch(html, -1) {
		if l := htmlpkg.UnescapeString(m[1]); re.MatchString(l) {
			return l
		}
	}
	return ""
}

// routeOf is a page's route: its path with numbers as N and the names of
// its query.
func routeOf(p string) string {
	path, query, _ := strings.Cut(p, "?")
	r := digitsRun.ReplaceAllString(path, "N")
	if query != "" {
		var keys []string
		for _, kv := range strings.Split(query, "&") {
			k, _, _ := strings.Cut(kv, "=")
			keys = append(keys, k)
		}
		r += "?" + strings.Join(keys, "&")
	}
	return r
}

// pageName names a page in test names and screenshot files.
func pageName(p string) string {
	n := strings.Trim(regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(p, "-"), "-")
	if n == "" {
		return "home"
	}
	return n
}

// walker opens pages in the one browser of the walk.
type walker struct {
	ctx   context.Context // the browser's first tab
	tabs  chan context.Context
	base  string
	axe   string
	shots string
	views atomic.Int64 // pages checked, for the walk's summary
}

// page checks a page in a tab of its own, beside the other pages of its
// language: axe-core keeps a processor busy, so the walk opens a tab for
// each processor.
func (w *walker) page(t *testing.T, lang string, p walkPage) {
	t.Run(pageName(p.path), func(t *testing.T) {
		t.Parallel()
		tab := <-w.tabs
		defer func() { w.tabs <- tab }()
		w.check(t, tab, lang, p)
	})
}

// axeViolation is what axe-core says is wrong, as much as a report needs.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Nodes   int      `json:"nodes"`
	Targets []string `json:"targets"`
}

// overflow is how wide the page is against the window, and what sticks out.
type overflow struct {
	ScrollWidth int    `json:"scrollWidth"`
	InnerWidth  int    `json:"innerWidth"`
	Outer       string `json:"outer"` // the first element (in document order) reaching furthest right
	Inner       string `json:"inner"` // the last element ending at that edge: usually the cause
	Right       int    `json:"right"`
	Text        string `json:"text"`
	Clipped     string `json:"clipped"` // reaching further, inside a box that clips or scrolls
}

// runAxe runs axe-core's default rules on the document; it loads axe into
// the page first when the page has none.
const runAxe = `(typeof axe === "undefined" ? Promise.reject(new Error("axe not loaded")) : axe.run(document, {resultTypes: ["violations"]}))
.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help, nodes: v.nodes.length,
  targets: v.nodes.slice(0, 3).map(n => n.target.join(" "))})))`

// measureOverflow finds, when the page scrolls sideways, the element
// reaching furthest beyond the window's right edge, with its box or its
// overflowing content, leaving out those inside an element that clips or
// scrolls them (a table's own scroller) unless nothing else reaches as far.
const measureOverflow = `(() => {
  const W = window.innerWidth, sw = document.documentElement.scrollWidth;
  const res = {scrollWidth: sw, innerWidth: W, outer: "", inner: "", right: 0, text: ""};
  if (sw <= W) return res;
  const clipped = el => {
    for (let p = el.parentElement; p && p !== document.body && p !== document.documentElement; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") return true;
    }
    return false;
  };
  const path = el => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 5; e = e.parentElement) {
      let s = e.localName;
      if (e.id) { parts.unshift(s + "#" + e.id); break; }
      if (e.classList.length) s += "." + [...e.classList].join(".");
      parts.unshift(s);
    }
    return parts.join(" > ");
  };
  let outer = null, inner = null, right = W + 0.5, hidden = null, hiddenRight = W + 0.5;
  for (const el of document.body.querySelectorAll("*")) {
    // An element's own box, or its content where that overflows it (a
    // word too long for its box overflows without widening the box).
    const box = el.getBoundingClientRect();
    const spills = el.scrollWidth > el.clientWidth + 0.5 && getComputedStyle(el).overflowX === "visible";
    const r = {right: spills ? Math.max(box.right, box.left + el.scrollWidth) : box.right};
    if (r.right < Math.min(right, hiddenRight) - 0.5) continue;
    if (clipped(el)) {
      if (r.right > hiddenRight + 0.5) { hidden = el; hiddenRight = r.right; }
      continue;
    }
    if (r.right < right - 0.5) continue;
    if (r.right > right + 0.5) { outer = el; right = r.right; }
    inner = el;
  }
  if (outer) {
    res.outer = path(outer); res.inner = path(inner); res.right = Math.round(right);
    res.text = (inner.textContent || "").trim().replace(/\s+/g, " ").slice(0, 60);
  }
  // What reaches further inside a clipping or scrolling box still widens
  // the page when the box does not contain it (e.g. positioned content).
  if (hidden && hiddenRight > right + 0.5 && sw > right + 0.5) {
    res.clipped = path(hidden) + " (" + Math.round(hiddenRight) + " px)";
  }
  return res;
})()`

// measureTouchTargets lists the controls on a phone-wide page that are
// less than 44 px high: buttons, fields, the navigation's and the tabs'
// links, the navigation's summary. A link inside running text is not a
// control of its own and is left out (WCAG 2.5.5 excepts it); a checkbox
// is a box beside its label, which is what one touches.
const measureTouchTargets = `(() => {
  const sel = 'button, .button, select, textarea, summary, nav.side a, .tabs a, ' +
    'input:not([type=hidden]):not([type=checkbox]):not([type=radio])';
  const out = [];
  for (const e of document.querySelectorAll(sel)) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || !e.checkVisibility()) continue;
    if (e.closest('nav.side') && !e.closest('details[open]')) continue;
    if (r.height < 43.5) {
      out.push(e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' "' +
        (e.textContent || e.value || e.name || '').trim().slice(0, 30) + '" ' + Math.round(r.height) + ' px');
    }
  }
  return out;
})()`

// check opens a page and checks it at every width: the status it answers
// with, axe-core's violations, sideways scrolling, and on a phone the
// height of what one touches.
func (w *walker) check(t *testing.T, ctx context.Context, lang string, p walkPage) {
	t.Helper()
	w.views.Add(1)
	res, err := chromedp.RunResponse(ctx, chromedp.Navigate(w.base+p.path))
	if err != nil {
		t.Fatalf("open %s: %v", p.path, err)
	}
	if res != nil && int(res.Status) != p.status {
		t.Errorf("%s answers %d, want %d", p.path, res.Status, p.status)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](w.axe)); err != nil {
		t.Fatalf("load axe-core into %s: %v", p.path, err)
	}
	for _, size := range walkWidths {
		where := fmt.Sprintf("%s at %d px in %s", p.path, size.w, lang)
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(size.w, size.h)); err != nil {
			t.Fatalf("%s: set the width: %v", where, err)
		}
		o, err := chromedp.Run(ctx, chromedp.Evaluate[overflow](measureOverflow))
		if err != nil {
			t.Fatalf("%s: measure: %v", where, err)
		}
		if o.ScrollWidth > o.InnerWidth {
			msg := fmt.Sprintf("%s scrolls sideways: %d px wide in a %d px window; furthest right (%d px): %s; innermost there: %s %q",
				where, o.ScrollWidth, o.InnerWidth, o.Right, o.Outer, o.Inner, o.Text)
			if o.Clipped != "" {
				msg += "; further still, inside a clipping box: " + o.Clipped
			}
			t.Error(msg)
		}
		if size.w < 800 {
			small, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](measureTouchTargets))
			if err != nil {
				t.Fatalf("%s: measure the touch targets: %v", where, err)
			}
			if len(small) > 0 {
				t.Errorf("%s: %d control(s) less than 44 px high to touch; first: %s", where, len(small), strings.Join(small[:min(3, len(small))], " | "))
			}
		}
		vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](runAxe, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: axe-core: %v", where, err)
		}
		for _, v := range vs {
			t.Errorf("%s: axe %s (%s) on %d element(s): %s; first: %s", where, v.ID, v.Impact, v.Nodes, v.Help, strings.Join(v.Targets, " | "))
		}
		if w.shots != "" {
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("%s: screenshot: %v", where, err)
			}
			name := fmt.Sprintf("%s-%d-%s.png", pageName(p.path), size.w, lang)
			if err := os.WriteFile(filepath.Join(w.shots, name), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// navState is what the walk reads of the side navigation.
type navState struct {
	Nav     bool     `json:"nav"`     // nav.side is on the page
	Missing []string `json:"missing"` // elements without a link
	Current string   `json:"current"` // the dashboard link's aria-current
	Box     bool     `json:"box"`     // details.navbox with a summary is on the page
	Open    bool     `json:"open"`    // the box is open
	Hidden  []string `json:"hidden"`  // elements whose link is not in the box or not seen
}

// readNav reads the side navigation: which elements it has a link for,
// and of those, which are not inside the navigation box or not visible
// within the window.
func readNav() chromedp.Action[navState] {
	ids, _ := json.Marshal(walkElements)
	return chromedp.Evaluate[navState](`((ids) => {
  const nav = document.querySelector("nav.side");
  const box = document.querySelector("details.navbox");
  const res = {nav: !!nav, missing: [], current: "", box: !!(box && box.querySelector(":scope > summary")), open: !!(box && box.open), hidden: []};
  for (const id of ids) {
    const a = nav && nav.querySelector('a[data-element="' + id + '"]');
    if (!a) { res.missing.push(id); continue; }
    if (id === "dashboard") res.current = a.getAttribute("aria-current") || "";
    const r = a.getBoundingClientRect();
    if (!box || !box.contains(a) || !a.checkVisibility() || r.width === 0 || r.left < -1 || r.right > window.innerWidth + 1) res.hidden.push(id);
  }
  return res;
})(` + string(ids) + `)`)
}

// checkNavigation checks on the dashboard that the side navigation has a
// link for every element (the dashboard's own marked as the current
// page), and that on a phone the links are behind the navigation box's
// summary and shown by a click on it.
func (w *walker) checkNavigation(t *testing.T, org string) {
	if err := chromedp.Do(w.ctx, chromedp.EmulateViewport(1366, 768), chromedp.Navigate(w.base+org)); err != nil {
		t.Fatal(err)
	}
	wide, err := chromedp.Run(w.ctx, readNav())
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case !wide.Nav:
		t.Errorf("the dashboard has no nav.side")
	case len(wide.Missing) > 0:
		t.Errorf("the side navigation has no a[data-element] link for %v", wide.Missing)
	}
	if wide.Current != "page" && !contains(wide.Missing, "dashboard") {
		t.Errorf("on the dashboard, its navigation link has aria-current=%q, want \"page\"", wide.Current)
	}
	if err := chromedp.Do(w.ctx, chromedp.EmulateViewport(360, 740), chromedp.Navigate(w.base+org)); err != nil {
		t.Fatal(err)
	}
	closed, err := chromedp.Run(w.ctx, readNav())
	if err != nil {
		t.Fatal(err)
	}
	if !closed.Box {
		t.Fatalf("at 360 px the dashboard has no details.navbox with a summary to open the navigation")
	}
	if closed.Open {
		t.Errorf("at 360 px the navigation box is open before it is asked for; it should be collapsed")
	}
	if err := chromedp.Do(w.ctx, chromedp.Click(chromedp.CSS(`details.navbox > summary`))); err != nil {
		t.Fatalf("open the navigation box: %v", err)
	}
	opened, err := chromedp.Run(w.ctx, readNav())
	if err != nil {
		t.Fatal(err)
	}
	if !opened.Open {
		t.Errorf("at 360 px a click on the navigation box's summary does not open it")
	}
	if len(opened.Missing) > 0 || len(opened.Hidden) > 0 {
		t.Errorf("at 360 px, with the navigation box open, no link for %v and not seen inside the box: %v", opened.Missing, opened.Hidden)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
