package loadgen_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/loadgen"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

var end = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)

func TestGenerateSmall(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		cfg := loadgen.SmallConfig()
		cfg.End = end
		res, err := loadgen.Generate(ctx, db, cfg)
		if err != nil {
			t.Fatal(err)
		}
		coord := isms.WithActor(ctx, &isms.Actor{UserID: res.Coordinator().ID, Name: res.Coordinator().Name})

		// The primary assets: as many business-overview entries of the
		// three kinds as asked for, and what the result says.
		primary := 0
		for _, k := range []isms.EntryKind{isms.KindProcess, isms.KindInformation, isms.KindSystem} {
			_, n, err := db.OverviewEntries(coord, res.Org.ID, isms.EntryFilter{Kind: k, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if n != res.Count("overview entries: "+string(k)) {
				t.Errorf("%s: %d in the register, result says %d", k, n, res.Count("overview entries: "+string(k)))
			}
			primary += n
		}
		if primary != cfg.Assets {
			t.Errorf("primary assets: %d, want %d", primary, cfg.Assets)
		}
		checkRisks(t, db, coord, res, cfg)
		checkSoA(t, db, coord, res)
		checkWheel(t, db, coord, res)
		checkDocuments(t, db, coord, res)

		// A year of audit trail, in order of time, ending on the end day,
		// and every chain intact.
		var events []*isms.AuditEvent
		total := 0
		for off := 0; ; off += 500 {
			page, n, err := db.AuditEvents(coord, res.Org.ID, isms.AuditFilter{Offset: off, Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			events, total = append(events, page...), n
			if len(page) < 500 {
				break
			}
		}
		if total != res.AuditEvents || len(events) != total || total < cfg.Assets {
			t.Fatalf("audit events: %d read of %d, result says %d", len(events), total, res.AuditEvents)
		}
		// Newest first: the times never increase going down the list.
		for i := 1; i < len(events); i++ {
			if events[i].At.After(events[i-1].At) {
				t.Fatalf("event %d at %s comes after event %d at %s", events[i].Seq, events[i].At, events[i-1].Seq, events[i-1].At)
			}
		}
		first, last := events[len(events)-1].At, events[0].At
		if first.After(end.AddDate(0, -11, 0)) || first.Before(end.AddDate(-1, 0, -1)) || last.After(end.Add(time.Second)) || last.Before(end.AddDate(0, 0, -14)) {
			t.Errorf("audit trail from %s to %s, want a year ending %s", first, last, end)
		}
		checked, breaks, err := db.VerifyAudit(ctx)
		if err != nil || len(breaks) > 0 || checked < total {
			t.Fatalf("verify: %d checked, breaks %v, %v", checked, breaks, err)
		}
		// The clock is the real one again.
		if time.Since(db.Now()) > time.Minute {
			t.Errorf("store clock left at %s", db.Now())
		}
		history, err := db.ChecklistHistory(coord, res.Org.ID)
		if err != nil || len(history) < 40 {
			t.Errorf("checklist history: %d days, %v; want a tally for about every week", len(history), err)
		}
	})
}

// A database with data in it is refused unless adding is allowed; then a
// second organisation with its own people comes beside the first.
func TestGenerateRefusesNonEmpty(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		cfg := loadgen.Config{Assets: 10, Risks: 0, Seed: 3, End: end}
		first, err := loadgen.Generate(ctx, db, cfg)
		if err != nil {
			t.Fatal(err)
		}
		users, _ := db.CountUsers(ctx)
		if _, err := loadgen.Generate(ctx, db, cfg); !errors.Is(err, loadgen.ErrNotEmpty) {
			t.Fatalf("second run without permission: %v", err)
		}
		if n, _ := db.CountUsers(ctx); n != users {
			t.Fatalf("refused run made users: %d → %d", users, n)
		}
		cfg.AllowExisting = true
		second, err := loadgen.Generate(ctx, db, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if second.Org.ID == first.Org.ID || second.Org.Name == first.Org.Name || second.Coordinator().Email == first.Coordinator().Email {
			t.Fatalf("second organisation %q (%s) clashes with the first %q (%s)", second.Org.Name, second.Coordinator().Email,
				first.Org.Name, first.Coordinator().Email)
		}
		if _, breaks, err := db.VerifyAudit(ctx); err != nil || len(breaks) > 0 {
			t.Fatalf("verify: %v %v", breaks, err)
		}
	})
}

// The same seed, sizes and end day make the same records.
func TestGenerateDeterministic(t *testing.T) {
	t.Parallel()
	names := func(seed uint64) []string {
		db := sqltest.OpenSQLite(t)
		res, err := loadgen.Generate(context.Background(), db, loadgen.Config{Assets: 20, Risks: 0, Seed: seed, End: end})
		if err != nil {
			t.Fatal(err)
		}
		u := res.Coordinator()
		entries, _, err := db.OverviewEntries(isms.WithActor(context.Background(), &isms.Actor{UserID: u.ID}), res.Org.ID,
			isms.EntryFilter{Sort: "name", Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Name+"|"+e.Requirements.Text+"|"+e.UpdatedAt.String())
		}
		return out
	}
	a, b, c := names(7), names(7), names(8)
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Fatal("the same seed made different records")
	}
	if strings.Join(a, "\n") == strings.Join(c, "\n") {
		t.Fatal("another seed made the same records")
	}
}
