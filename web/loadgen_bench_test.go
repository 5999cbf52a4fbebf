package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/ismsdk/isms/loadgen"
	"github.com/ismsdk/isms/web"
)

// Benchmarks of the main pages over a large generated organisation, each
// request going through the whole handler (authentication, the services,
// the templates) without the network (see loadgen/large.go for the
// switches):
//
//	ISMS_BENCH_LARGE=1 ISMS_TEST_POSTGRES=postgres://… go test -bench . -run '^$' -timeout 60m ./web/
//
// `isms bench` measures the same pages over real HTTP. Neither asserts a
// timing.

// TestMain removes the large databases after the run: they are made once
// per test binary, for all benchmarks.
func TestMain(m *testing.M) {
	code := m.Run()
	largeMu.Lock()
	for _, l := range largeDBs {
		l.Close()
	}
	if largeDir != "" {
		os.RemoveAll(largeDir)
	}
	largeMu.Unlock()
	os.Exit(code)
}

var (
	largeMu   sync.Mutex
	largeDBs  = map[string]*loadgen.Large{}
	largeErrs = map[string]error{}
	largeDir  string
)

func largeDB(b *testing.B, dialect string) *loadgen.Large {
	b.Helper()
	if why := loadgen.LargeSkipReason(dialect); why != "" {
		b.Skip(why)
	}
	largeMu.Lock()
	defer largeMu.Unlock()
	if l := largeDBs[dialect]; l != nil {
		return l
	}
	if err := largeErrs[dialect]; err != nil {
		b.Fatal(err)
	}
	if largeDir == "" {
		dir, err := os.MkdirTemp("", "isms-bench-")
		if err != nil {
			b.Fatal(err)
		}
		largeDir = dir
	}
	l, err := loadgen.OpenLarge(context.Background(), dialect, largeDir, os.Stderr)
	if err != nil {
		largeErrs[dialect] = err
		b.Fatal(err)
	}
	largeDBs[dialect] = l
	return l
}

func BenchmarkLargePages(b *testing.B) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) {
			l := largeDB(b, dialect)
			srv, err := web.New(Services(l.DB), web.Config{Now: l.DB.Now})
			if err != nil {
				b.Fatal(err)
			}
			// Log in through the form, as a browser does.
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{
				"email": {l.Coordinator.Email}, "password": {loadgen.Password}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			srv.ServeHTTP(rec, req)
			cookies := rec.Result().Cookies()
			if rec.Code != http.StatusSeeOther || len(cookies) == 0 {
				b.Fatalf("login: status %d", rec.Code)
			}
			token, _, err := l.DB.CreateAPIToken(l.As(), l.Coordinator.ID, "benchmark")
			if err != nil {
				b.Fatal(err)
			}
			riskID, err := loadgen.FirstRisk(l.As(), l.DB, l.Org.ID)
			if err != nil {
				b.Fatal(err)
			}
			for _, p := range loadgen.Pages(l.Org.ID) {
				p = p.WithRisk(riskID) // the page about one risk: the register's first
				b.Run(p.Key, func(b *testing.B) {
					get := func() *httptest.ResponseRecorder {
						req := httptest.NewRequest("GET", p.Path, nil)
						req.Header.Set("Accept-Language", "da")
						if p.API {
							req.Header.Set("Authorization", "Bearer "+token)
						} else {
							for _, c := range cookies {
								req.AddCookie(c)
							}
						}
						rec := httptest.NewRecorder()
						srv.ServeHTTP(rec, req)
						return rec
					}
					if rec := get(); rec.Code == http.StatusNotFound {
						b.Skipf("%s answers 404: its element is not in this build", p.Path)
					} else if rec.Code != http.StatusOK {
						b.Fatalf("%s: status %d: %.300s", p.Path, rec.Code, rec.Body.String())
					}
					b.ReportAllocs()
					for b.Loop() {
						rec := get()
						if rec.Code != http.StatusOK {
							b.Fatalf("%s: status %d", p.Path, rec.Code)
						}
						io.Copy(io.Discard, rec.Body)
					}
				})
			}
		})
	}
}
