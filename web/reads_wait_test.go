package web_test

import (
	"context"
	"fmt"
	"hash/fnv"
	"net/http"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore/sqltest"
	"github.com/ismsdk/isms/web"
)

// A page that only reads never waits on a write, on either database: while
// another connection holds a write transaction open that has changed the
// organisation's audit head, one of its risks, the reader's session, API
// token and calendar feed, and holds the write locks the store's own writers take, the
// main pages and one risk over the API answer 200 at once. The store waits
// up to ten seconds for a busy database, so a page that waited would miss
// the client's deadline of a few seconds and fail the test rather than
// pass slowly.
func TestReadsDoNotWaitOnAWrite(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			var raw *sqltest.Raw
			if dialect == "sqlite" {
				raw = sqltest.OpenSQLiteRaw(t)
			} else {
				raw = sqltest.OpenPostgresRaw(t)
			}
			e := newEnvOn(t, raw.DB, web.Config{})
			coord := e.member("coord@reads.example", e.org, isms.RoleCoordinator)
			entries := e.fill()
			ctx := e.as(coord)
			asset, err := e.db.AssetForEntry(ctx, e.org.ID, entries[2].ID)
			if err != nil {
				t.Fatal(err)
			}
			ra, err := e.db.CreateRiskAssessment(ctx, e.org.ID, isms.RiskAssessmentInput{AssetID: &asset.ID, OwnerID: &coord.ID})
			if err != nil {
				t.Fatal(err)
			}
			threats, err := e.db.Threats(ctx, e.org.ID, isms.ThreatFilter{})
			if err != nil || len(threats) == 0 {
				t.Fatal("no threats", err)
			}
			risk, err := e.db.CreateRisk(ctx, e.org.ID, isms.RiskInput{AssessmentID: ra.ID, ThreatID: threats[0].ID, Likelihood: 2,
				Consequence: isms.Consequences{Confidentiality: 3}})
			if err != nil {
				t.Fatal(err)
			}
			// A token never used, whose first use would record the time.
			token := e.token(coord)
			feed, _, err := e.db.CreateFeedToken(ctx, e.org.ID)
			if err != nil {
				t.Fatal(err)
			}
			b := e.login(coord.Email)
			b.c.Timeout = 4 * time.Second

			release := holdWrite(t, raw, e.org.ID, risk.ID)
			defer release()

			o := fmt.Sprintf("/orgs/%d", e.org.ID)
			for _, path := range []string{o, o + "/checklist", fmt.Sprintf("%s/risks/%d", o, risk.ID), o + "/risks", o + "/soa",
				o + "/risks/heatmap", o + "/scope"} {
				start := time.Now()
				res := b.get(path)
				if got := body(res); res.StatusCode != http.StatusOK {
					t.Errorf("GET %s while a write is open: %d, want 200\n%.300s", path, res.StatusCode, got)
				}
				if d := time.Since(start); d > 2*time.Second {
					t.Errorf("GET %s while a write is open took %v", path, d)
				}
			}
			// Reads that note their use: the API with a token never used,
			// and the calendar feed.
			api, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/organisations/%d/risks/%d", e.srv.URL, e.org.ID, risk.ID), nil)
			api.Header.Set("Authorization", "Bearer "+token)
			ics, _ := http.NewRequest("GET", e.srv.URL+"/feeds/wheel/"+feed+".ics", nil)
			c := &http.Client{Timeout: 4 * time.Second}
			for _, req := range []*http.Request{api, ics} {
				start := time.Now()
				res, err := c.Do(req)
				if err != nil {
					t.Fatalf("GET %s while a write is open: %v (after %v)", req.URL.Path, err, time.Since(start))
				}
				if got := body(res); res.StatusCode != http.StatusOK {
					t.Errorf("GET %s while a write is open: %d, want 200\n%.300s", req.URL.Path, res.StatusCode, got)
				}
				if d := time.Since(start); d > 2*time.Second {
					t.Errorf("GET %s while a write is open took %v", req.URL.Path, d)
				}
			}
		})
	}
}

// holdWrite opens a write transaction beside the store that changes the
// organisation's audit head, a risk, and every session, API token and
// calendar feed token, and on PostgreSQL also holds the site's and the
// organisation's write locks as the store's writers take them; it stays
// open until release.
func holdWrite(t *testing.T, raw *sqltest.Raw, orgID, riskID int64) (release func()) {
	t.Helper()
	ctx := context.Background()
	conn, err := raw.Conn.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := conn.ExecContext(ctx, q, args...); err != nil {
			conn.Close()
			t.Fatalf("%s: %v", q, err)
		}
	}
	p := func(n int) string {
		if raw.Postgres {
			return fmt.Sprintf("$%d", n)
		}
		return "?"
	}
	if raw.Postgres {
		exec("BEGIN")
		for _, id := range []int64{0, orgID} {
			h := fnv.New64a()
			fmt.Fprintf(h, "organisation:%d", id)
			exec("SELECT pg_advisory_xact_lock("+p(1)+")", int64(h.Sum64()))
		}
	} else {
		exec("BEGIN IMMEDIATE")
	}
	exec("UPDATE audit_heads SET seq = seq WHERE organisation_id = "+p(1), orgID)
	exec("UPDATE risks SET title = title || ' (changing)' WHERE id = "+p(1), riskID)
	exec("UPDATE sessions SET expires_at = expires_at")
	exec("UPDATE api_tokens SET name = name")
	exec("UPDATE wheel_feed_tokens SET created_at = created_at")
	var released bool
	return func() {
		if released {
			return
		}
		released = true
		conn.ExecContext(ctx, "ROLLBACK")
		conn.Close()
	}
}
