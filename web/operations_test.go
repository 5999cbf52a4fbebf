package web_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/metrics"
	"github.com/ismsdk/isms/sqlstore/sqltest"
	"github.com/ismsdk/isms/web"
)

// scrape reads the metrics page at url and parses it with Prometheus's own
// parser of the text format, as a Prometheus server would.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d", url, res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("GET %s: Content-Type %q", url, ct)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(res.Body)
	if err != nil {
		t.Fatalf("the metrics do not parse: %v", err)
	}
	return fams
}

// sample finds the sample of family name whose labels include want;
// nil when there is none.
func sample(fams map[string]*dto.MetricFamily, name string, want map[string]string) *dto.Metric {
	f := fams[name]
	if f == nil {
		return nil
	}
next:
	for _, m := range f.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if labels[k] != v {
				continue next
			}
		}
		return m
	}
	return nil
}

// scrapeAfter scrapes until ready holds of what it read, or gives up
// after a few seconds and returns the last scrape: a request is counted
// once its handler has returned, which may be a moment after its client
// read the answer.
func scrapeAfter(t *testing.T, url string, ready func(map[string]*dto.MetricFamily) bool) map[string]*dto.MetricFamily {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		fams := scrape(t, url)
		if ready(fams) || time.Now().After(deadline) {
			return fams
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func counter(fams map[string]*dto.MetricFamily, name string, labels map[string]string) float64 {
	if m := sample(fams, name, labels); m != nil {
		return m.GetCounter().GetValue()
	}
	return 0
}

func histogramCount(fams map[string]*dto.MetricFamily, name string, labels map[string]string) uint64 {
	if m := sample(fams, name, labels); m != nil {
		return m.GetHistogram().GetSampleCount()
	}
	return 0
}

// The metrics page counts requests by the route pattern that served them
// (never the path with its ids) and by status, times them, and shows the
// database's pools and transactions; the counts move with the requests.
func TestMetricsCountRequestsByRoutePattern(t *testing.T) {
	t.Parallel()
	db := sqltest.OpenSQLite(t)
	m := metrics.New()
	m.DBPools(db.Pools())
	db.TxObserver = m.Transaction
	e := newEnvOn(t, db, web.Config{Metrics: m})
	b := e.login("admin@example.org")
	orgPath := fmt.Sprintf("/orgs/%d", e.org.ID)
	for range 2 {
		if res := b.get(orgPath); body(res) == "" || res.StatusCode != 200 {
			t.Fatalf("dashboard: %d", res.StatusCode)
		}
	}
	if res := b.get("/orgs/987654"); res.StatusCode != 404 {
		t.Fatalf("another organisation: %d", res.StatusCode)
	}
	tok := e.token(e.admin)
	if res, _ := e.api(tok, "GET", fmt.Sprintf("/api/v1/organisations/%d", e.org.ID), nil); res.StatusCode != 200 {
		t.Fatalf("API: %d", res.StatusCode)
	}
	if res, _ := e.api("", "GET", "/api/v1/me", nil); res.StatusCode != 401 {
		t.Fatalf("API without a token: %d", res.StatusCode)
	}

	dash := map[string]string{"method": "GET", "route": "GET /orgs/{org}", "code": "200"}
	counts := []struct {
		labels map[string]string
		want   float64
	}{
		{dash, 2},
		{map[string]string{"method": "GET", "route": "GET /orgs/{org}", "code": "404"}, 1},
		{map[string]string{"method": "GET", "route": "GET /api/v1/organisations/{org}", "code": "200"}, 1},
		{map[string]string{"method": "GET", "route": "GET /api/v1/me", "code": "401"}, 1},
		{map[string]string{"method": "POST", "route": "POST /login", "code": "303"}, 1},
	}
	fams := scrapeAfter(t, e.srv.URL+"/metrics", func(fams map[string]*dto.MetricFamily) bool {
		for _, c := range counts {
			if counter(fams, "isms_http_requests_total", c.labels) != c.want {
				return false
			}
		}
		return true
	})
	for _, c := range counts {
		if got := counter(fams, "isms_http_requests_total", c.labels); got != c.want {
			t.Errorf("isms_http_requests_total%v = %v, want %v", c.labels, got, c.want)
		}
	}
	if n := histogramCount(fams, "isms_http_request_duration_seconds", dash); n != 2 {
		t.Errorf("request durations of the dashboard: %d, want 2", n)
	}
	// No label carries a path: every route is a pattern.
	for _, m := range fams["isms_http_requests_total"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "route" && (strings.Contains(l.GetValue(), "987654") || strings.Contains(l.GetValue(), fmt.Sprint("/", e.org.ID))) {
				t.Errorf("a route label holds a path: %q", l.GetValue())
			}
		}
	}
	for _, kind := range []string{"read", "write"} {
		if n := histogramCount(fams, "isms_db_transaction_duration_seconds", map[string]string{"kind": kind}); n == 0 {
			t.Errorf("no %s transactions timed", kind)
		}
	}
	for _, name := range []string{"go_sql_open_connections", "go_sql_in_use_connections", "go_sql_idle_connections", "go_sql_wait_count_total", "go_sql_wait_duration_seconds_total"} {
		for _, pool := range []string{"sqlite_read", "sqlite_write"} {
			if sample(fams, name, map[string]string{"db_name": pool}) == nil {
				t.Errorf("no %s for the pool %s", name, pool)
			}
		}
	}

	// Another request moves its counter by one.
	b.get(orgPath)
	fams = scrapeAfter(t, e.srv.URL+"/metrics", func(fams map[string]*dto.MetricFamily) bool {
		return counter(fams, "isms_http_requests_total", dash) == 3
	})
	if got := counter(fams, "isms_http_requests_total", dash); got != 3 {
		t.Errorf("after one more request: %v, want 3", got)
	}
	// The scrapes count themselves under their own route.
	if got := counter(fams, "isms_http_requests_total", map[string]string{"route": "GET /metrics", "code": "200"}); got < 1 {
		t.Errorf("scrapes counted: %v, want at least 1", got)
	}
}

// With the metrics on a listener of their own, the main address does not
// serve them, and the metrics listener serves nothing else.
func TestMetricsElsewhere(t *testing.T) {
	t.Parallel()
	e := newEnvOn(t, sqltest.OpenSQLite(t), web.Config{MetricsElsewhere: true})
	if res, err := http.Get(e.srv.URL + "/metrics"); err != nil || res.StatusCode != 404 {
		t.Fatalf("/metrics on the main address: %v %v", res.StatusCode, err)
	}
	w, err := web.New(Services(e.db), web.Config{MetricsElsewhere: true})
	if err != nil {
		t.Fatal(err)
	}
	ms := httptest.NewServer(w.MetricsHandler())
	defer ms.Close()
	http.Get(ms.URL + "/metrics")
	if fams := scrape(t, ms.URL+"/metrics"); fams["isms_http_requests_total"] == nil && fams["isms_mails_sent_total"] == nil {
		t.Fatalf("the metrics listener serves no isms metrics: %v", len(fams))
	}
	if res, _ := http.Get(ms.URL + "/healthz"); res.StatusCode != 404 {
		t.Fatalf("/healthz on the metrics listener: %d", res.StatusCode)
	}
}

// logBuffer collects JSON log lines written while the server runs.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// lines parses every line as JSON, failing on one that does not parse.
func (l *logBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(l.b.Bytes()))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("a log line is not JSON: %v\n%s", err, sc.Text())
		}
		out = append(out, m)
	}
	return out
}

// linesOf are the log lines that carry request id id. The request's own
// line is written once its handler has returned, which may be a moment
// after its client read the answer: linesOf waits a little for one.
func (l *logBuffer) linesOf(t *testing.T, id string) []map[string]any {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		var out []map[string]any
		for _, m := range l.lines(t) {
			if m["request_id"] == id {
				out = append(out, m)
			}
		}
		if len(out) > 0 || time.Now().After(deadline) {
			return out
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Every answer names its request in X-Request-Id; an error page shows the
// id ("Fejl-id"), a JSON error carries it in request_id, and the JSON log
// line of the request carries the same id, so a user's report leads to the
// line.
func TestRequestIDsInErrorsAndJSONLog(t *testing.T) {
	t.Parallel()
	var logs logBuffer
	e := newEnvOn(t, sqltest.OpenSQLite(t), web.Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})

	// A JSON error.
	res, out := e.api("", "GET", "/api/v1/me", nil)
	id := res.Header.Get("X-Request-Id")
	if res.StatusCode != 401 || len(id) < 16 {
		t.Fatalf("API without a token: %d, request id %q", res.StatusCode, id)
	}
	if errBody, _ := out["error"].(map[string]any); errBody["request_id"] != id {
		t.Fatalf("JSON error %v: request_id is not %q", out, id)
	}
	lines := logs.linesOf(t, id)
	if len(lines) != 1 || lines[0]["msg"] != "request" || lines[0]["route"] != "GET /api/v1/me" || lines[0]["status"] != float64(401) {
		t.Fatalf("log lines of request %s: %v", id, lines)
	}

	// An error page, in both languages.
	e.member("reader@example.org", e.org, isms.RoleReader)
	b := e.login("reader@example.org")
	for lang, label := range map[string]string{"da": "Fejl-id: ", "en": "Error id: "} {
		b.lang = lang
		res := b.get("/users")
		id := res.Header.Get("X-Request-Id")
		html := body(res)
		if res.StatusCode != 403 || id == "" || !strings.Contains(html, label+id) {
			t.Fatalf("%s: the error page (%d) does not show %q", lang, res.StatusCode, label+id)
		}
		if lines := logs.linesOf(t, id); len(lines) != 1 || lines[0]["path"] != "/users" || lines[0]["level"] != "INFO" {
			t.Fatalf("log lines of request %s: %v", id, lines)
		}
	}

	// Two requests never share an id.
	r1, _ := http.Get(e.srv.URL + "/healthz")
	r2, _ := http.Get(e.srv.URL + "/healthz")
	if a, b := r1.Header.Get("X-Request-Id"), r2.Header.Get("X-Request-Id"); a == "" || a == b {
		t.Fatalf("request ids %q and %q", a, b)
	}
	// A successful request is logged at debug level only: nothing here.
	if lines := logs.linesOf(t, r1.Header.Get("X-Request-Id")); len(lines) != 0 {
		t.Fatalf("a healthy request was logged at info: %v", lines)
	}
}

// A trusted proxy's request id is kept, so its log and ours share it;
// anyone else's, and a malformed one, is replaced by a fresh id.
func TestRequestIDFromTrustedProxy(t *testing.T) {
	t.Parallel()
	db := sqltest.OpenSQLite(t)
	get := func(srv *httptest.Server, sent string) string {
		req, _ := http.NewRequest("GET", srv.URL+"/healthz", nil)
		req.Header.Set("X-Request-Id", sent)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.Header.Get("X-Request-Id")
	}
	behind := newEnvOn(t, db, web.Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	if got := get(behind.srv, "Root=1-67891233-abcdef012345678912345678"); got != "Root=1-67891233-abcdef012345678912345678" {
		t.Errorf("the trusted proxy's id: got %q", got)
	}
	for _, bad := range []string{"two words", "line\tbreak", "<script>", strings.Repeat("x", 129)} {
		if got := get(behind.srv, bad); got == bad || got == "" {
			t.Errorf("malformed id %q: got %q", bad, got)
		}
	}
	w, err := web.New(Services(db), web.Config{})
	if err != nil {
		t.Fatal(err)
	}
	direct := httptest.NewServer(w)
	defer direct.Close()
	if got := get(direct, "chosen-by-the-client"); got == "chosen-by-the-client" || got == "" {
		t.Errorf("an untrusted client chose its request id: %q", got)
	}
}
