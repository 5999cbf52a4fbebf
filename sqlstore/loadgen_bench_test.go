package sqlstore_test

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/loadgen"
)

// Benchmarks of the store's heaviest reads over a large generated
// organisation (see loadgen/large.go for the switches):
//
//	ISMS_BENCH_LARGE=1 ISMS_TEST_POSTGRES=postgres://… go test -bench . -run '^$' -timeout 60m ./sqlstore/
//
// They never assert a timing; they report one.

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

// largeDB returns the large database of a dialect, generating it on first use.
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

func BenchmarkLarge(b *testing.B) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) {
			l := largeDB(b, dialect)
			ctx, org := l.As(), l.Org.ID
			b.Run("overview_register", func(b *testing.B) {
				f := isms.EntryFilter{Kind: isms.KindSystem, Query: loadgen.FilterWord, Sort: "-owner", Limit: 50}
				b.ReportAllocs()
				for b.Loop() {
					if _, _, err := l.DB.OverviewEntries(ctx, org, f); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("checklist", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := l.DB.Checklist(ctx, org); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("soa", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := l.DB.SoA(ctx, org, isms.SoAFilter{}); err != nil {
						b.Fatal(err)
					}
				}
			})
			benchRiskStore(b, l)
		})
	}
}
