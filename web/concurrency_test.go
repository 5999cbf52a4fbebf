package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
	"github.com/ismsdk/isms/web"
)

// twoInstances opens two stores on one database and a server over each,
// as two `isms serve` processes behind a load balancer: on a SQLite file,
// and on a fresh PostgreSQL schema when ISMS_TEST_POSTGRES names a server
// (CI always does; there its absence fails the test).
func twoInstances(t *testing.T, dialect string) (*sqlstore.DB, []*httptest.Server) {
	t.Helper()
	var dsn string
	switch dialect {
	case "sqlite":
		dsn = filepath.Join(t.TempDir(), "two.db")
	case "postgres":
		dsn = sqltest.PostgresSchema(t)
	}
	var first *sqlstore.DB
	var servers []*httptest.Server
	for i := 0; i < 2; i++ {
		db, err := sqlstore.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		w, err := web.New(Services(db), web.Config{Now: db.Now})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(w)
		t.Cleanup(func() { srv.Close(); db.Close() })
		servers = append(servers, srv)
		if first == nil {
			first = db
		}
	}
	return first, servers
}

// 32 API clients, spread over two instances, read one record and send a
// PUT with the version they read: exactly one gets 200, every other one
// 409, and the record's audit trail holds one update whose "before" is
// the state that was replaced. A PUT without a version is a 422 that names
// the field.
func TestConcurrentAPIUpdatesAcrossTwoInstances(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			db, servers := twoInstances(t, dialect)
			admin, err := db.CreateUser(context.Background(), "admin@two.example", "Site Admin", testPassword, true)
			if err != nil {
				t.Fatal(err)
			}
			ctx := isms.WithActor(context.Background(), &isms.Actor{UserID: admin.ID, Name: admin.Name, SiteAdmin: true})
			org, err := db.CreateOrganisation(ctx, isms.OrganisationInput{Name: "To instanser"})
			if err != nil {
				t.Fatal(err)
			}
			entry, err := db.CreateOverviewEntry(ctx, org.ID, isms.OverviewEntryInput{Kind: isms.KindProcess, Name: "Sagsbehandling"})
			if err != nil {
				t.Fatal(err)
			}
			token, _, err := db.CreateAPIToken(ctx, admin.ID, "test")
			if err != nil {
				t.Fatal(err)
			}
			path := fmt.Sprintf("/api/v1/organisations/%d/entries/%d", org.ID, entry.ID)
			// Connections kept open and warmed by parallel reads first, so
			// that the writers meet in the database rather than queue for
			// new connections one after the other.
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			call := func(srv *httptest.Server, method string, body map[string]any) (int, map[string]any) {
				var b []byte
				if body != nil {
					b, _ = json.Marshal(body)
				}
				req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(string(b)))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept-Language", "en")
				res, err := client.Do(req)
				if err != nil {
					t.Error(err)
					return 0, nil
				}
				defer res.Body.Close()
				var out map[string]any
				json.NewDecoder(res.Body).Decode(&out)
				return res.StatusCode, out
			}
			put := func(srv *httptest.Server, body map[string]any) (int, map[string]any) { return call(srv, "PUT", body) }

			// Without a version: 422, the field named, nothing changed.
			status, out := put(servers[0], map[string]any{"name": "Uden version"})
			if status != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(out), "version") ||
				!strings.Contains(fmt.Sprint(out), "The version is required") {
				t.Fatalf("PUT without version: %d %v", status, out)
			}

			const clients = 32
			var warm sync.WaitGroup
			for i := 0; i < clients; i++ {
				warm.Add(1)
				go func(i int) { defer warm.Done(); call(servers[i%2], "GET", nil) }(i)
			}
			warm.Wait()
			statuses := make([]int, clients)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := 0; i < clients; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					<-start
					statuses[i], _ = put(servers[i%2], map[string]any{"name": fmt.Sprintf("Klient %d", i), "version": entry.Version})
				}(i)
			}
			close(start)
			wg.Wait()
			count := map[int]int{}
			winner := -1
			for i, s := range statuses {
				count[s]++
				if s == http.StatusOK {
					winner = i
				}
			}
			if count[http.StatusOK] != 1 || count[http.StatusConflict] != clients-1 {
				t.Fatalf("statuses %v, want one 200 and %d 409", count, clients-1)
			}
			got, err := db.OverviewEntry(ctx, org.ID, entry.ID)
			if err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprintf("Klient %d", winner); got.Name != want || got.Version != entry.Version+1 {
				t.Fatalf("entry %q v%d, want %q v%d", got.Name, got.Version, want, entry.Version+1)
			}
			events, _, err := db.AuditEvents(ctx, org.ID, isms.AuditFilter{RecordType: "overview_entry", RecordID: entry.ID})
			if err != nil {
				t.Fatal(err)
			}
			updates := 0
			for _, ev := range events {
				if ev.Action != "update" {
					continue
				}
				updates++
				var before struct {
					Name    string `json:"name"`
					Version int64  `json:"version"`
				}
				json.Unmarshal(ev.Before, &before)
				if before.Name != "Sagsbehandling" || before.Version != entry.Version {
					t.Fatalf("audit before %+v, want the original", before)
				}
			}
			if updates != 1 {
				t.Fatalf("%d update events, want 1", updates)
			}
		})
	}
}
