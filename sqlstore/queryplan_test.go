package sqlstore_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/loadgen"
	"github.com/ismsdk/isms/sqlstore"
)

// TestRegistersReadOnlyTheirPage holds the reads behind the registers'
// lists (the risk register's page and API, the business overview, the
// documentation register) to the indexes that let them read what they
// show: the filters and sorts that isms bench measures, and each
// register's default order. A text search starts from the text index's
// matches; a list in its default order walks the index of that order and
// stops at the page's end, with no sort of the whole register. The plans
// are asked of both databases, over a generated organisation grown to a
// few thousand risks and entries, with PostgreSQL's statistics current
// (SQLite keeps none).
func TestRegistersReadOnlyTheirPage(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		t.Parallel()
		res, err := loadgen.Generate(context.Background(), db.DB, loadgen.SmallConfig())
		if err != nil {
			t.Fatal(err)
		}
		org := res.Org.ID
		u := res.Coordinator()
		ctx := isms.WithActor(context.Background(), &isms.Actor{UserID: u.ID, Name: u.Name, Email: u.Email})
		// Seven doublings: 200 risks become about 25,000, the entries
		// likewise; after the first two, the rows holding the word the
		// bench searches for are not copied, so it becomes as rare as the
		// bench has it (about one in thirty).
		word := loadgen.FilterWord
		for i := range 7 {
			not := ""
			if i >= 2 {
				not = " AND search_text NOT LIKE '%" + word + "%'"
			}
			db.exec(t, `INSERT INTO risks (`+riskCopyColumns+`) SELECT `+riskCopyColumns+` FROM risks WHERE organisation_id = ?`+not, org)
			if i >= 2 {
				not = " AND LOWER(name || description) NOT LIKE '%" + word + "%'"
			}
			db.exec(t, `INSERT INTO overview_entries (`+entryCopyColumns+`) SELECT `+entryCopyColumns+` FROM overview_entries WHERE organisation_id = ?`+not, org)
		}
		if db.pg {
			// As autovacuum keeps a running database (see
			// RefreshStatistics): statistics current, and the trigram
			// indexes' pending entries merged into them.
			db.exec(t, "VACUUM ANALYZE")
		}
		if n, all := db.int(t, "SELECT COUNT(*) FROM risks WHERE search_text LIKE ?", "%"+word+"%"), db.int(t, "SELECT COUNT(*) FROM risks"); n == 0 || n > all/10 {
			t.Fatalf("%d risks of %d hold %q: the plans below want a word that a few of them hold", n, all, word)
		}
		var pageIDs []int64 // fifty ids of risks, for the read of a page's risks
		for i := range int64(50) {
			pageIDs = append(pageIDs, db.int(t, "SELECT MIN(id) FROM risks WHERE organisation_id = ?", org)+i)
		}
		for _, c := range []struct {
			name  string
			reads func() ([]sqlstore.RegisterQuery, error)
			// text is the text index a search must start from; index
			// the index that must serve the page's order, with no sort.
			text, index string
		}{
			{"risks, bench: mitigated, a word, by residual descending", func() ([]sqlstore.RegisterQuery, error) {
				return db.RiskListQueries(ctx, org, isms.RiskFilter{Treatment: string(isms.TreatmentMitigate), Query: word, Sort: "-residual", Limit: 50}, pageIDs...)
			}, "risks_text", ""},
			{"risks, default order", func() ([]sqlstore.RegisterQuery, error) {
				return db.RiskListQueries(ctx, org, isms.RiskFilter{Limit: 50}, pageIDs...)
			}, "", "risks_residual"},
			{"overview, bench: systems, a word, by owner descending", func() ([]sqlstore.RegisterQuery, error) {
				return db.EntryListQueries(ctx, org, isms.EntryFilter{Kind: isms.KindSystem, Query: word, Sort: "-owner", Limit: 50})
			}, "overview_entries_text", ""},
			{"overview, default order", func() ([]sqlstore.RegisterQuery, error) {
				return db.EntryListQueries(ctx, org, isms.EntryFilter{Limit: 50})
			}, "", "overview_entries_org_name"},
			{"overview, one register in the default order", func() ([]sqlstore.RegisterQuery, error) {
				return db.EntryListQueries(ctx, org, isms.EntryFilter{Kind: isms.KindSystem, Limit: 50})
			}, "", "overview_entries_org_kind"},
			{"documents, default order", func() ([]sqlstore.RegisterQuery, error) {
				return db.DocumentListQueries(ctx, org, isms.DocumentFilter{Limit: 50})
			}, "", "documents_org_title"},
		} {
			t.Run(c.name, func(t *testing.T) {
				qs, err := c.reads()
				if err != nil {
					t.Fatal(err)
				}
				count, page := db.plan(t, qs[0]), db.plan(t, qs[1])
				if len(qs) > 2 {
					// The risks of the page, read whole by their ids.
					if p := db.plan(t, qs[2]); db.pg && pgFullScan.MatchString(p) || !db.pg && !strings.Contains(p, "SEARCH r USING INTEGER PRIMARY KEY") {
						t.Errorf("the page's risks must be read by their ids\n%s\nplan:\n%s", qs[2].SQL, p)
					}
				}
				if c.text != "" {
					for _, p := range []string{count, page} {
						if msg := db.searchPlanFault(p, c.text); msg != "" {
							t.Errorf("%s\n%s\nplan:\n%s", msg, qs[0].SQL, p)
						}
					}
					return
				}
				if msg := db.orderPlanFault(page, c.index); msg != "" {
					t.Errorf("%s\n%s\nplan:\n%s", msg, qs[1].SQL, page)
				}
			})
		}
	})
}

// The columns a test copies to grow a register (every column but the id).
const (
	riskCopyColumns = `organisation_id, assessment_id, asset_id, threat_id, title, description, likelihood, cons_c, cons_i, cons_a,
		cons_org, cons_citizens, cons_society, inherent_l, inherent_c, inherent_score, existing_text, treatment, treatment_note, owner_id,
		deadline, residual_l, residual_c, residual_score, accepted_l, accepted_c, open_tasks, next_due, version, created_at, updated_at, search_text`
	entryCopyColumns = `organisation_id, kind, category, name, description, owner_id, status, next_review, req_confidentiality,
		req_integrity, req_availability, req_text, version, created_at, updated_at`
)

// plan is the database's plan of a query, one step a line.
func (r *rawDB) plan(t *testing.T, q sqlstore.RegisterQuery) string {
	t.Helper()
	ctx := context.Background()
	conn, err := r.raw.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	explain := "EXPLAIN QUERY PLAN "
	if r.pg {
		// A few thousand rows fit in a few hundred pages, which
		// PostgreSQL rightly reads whole; what is asked here is the plan
		// of a register of tens of thousands, where reading the table
		// costs what its size does.
		if _, err := conn.ExecContext(ctx, "SET enable_seqscan = off"); err != nil {
			t.Fatal(err)
		}
		defer conn.ExecContext(ctx, "RESET enable_seqscan")
		explain = "EXPLAIN "
	}
	rows, err := conn.QueryContext(ctx, explain+q.SQL, q.Args...)
	if err != nil {
		t.Fatalf("%s: %v", q.SQL, err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var line string
		if r.pg {
			err = rows.Scan(&line)
		} else {
			var id, parent, unused int
			err = rows.Scan(&id, &parent, &unused, &line)
		}
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}

// The registers' tables as the queries name them.
var (
	sqliteTableStep = regexp.MustCompile(`(?m)^(SCAN|SEARCH) (r|e|d)\b.*$`)
	pgFullScan      = regexp.MustCompile(`Seq Scan on (risks|overview_entries|documents)\b`)
	pgSort          = regexp.MustCompile(`(?m)^\s*(->\s*)?(Incremental )?Sort  \(`)
)

// searchPlanFault says what is wrong with the plan of a text search: it
// must read the register's table only at the rows the text index names
// (SQLite: by id, from the FTS5 table; PostgreSQL: from the trigram index).
func (r *rawDB) searchPlanFault(plan, text string) string {
	if r.pg {
		if !strings.Contains(plan, text) || pgFullScan.MatchString(plan) {
			return "a text search must find its rows through the index " + text + ", not by reading the table"
		}
		return ""
	}
	if !strings.Contains(plan, "SCAN "+text+" VIRTUAL TABLE") {
		return "a text search must ask the text index " + text
	}
	for _, step := range sqliteTableStep.FindAllString(plan, -1) {
		if !strings.Contains(step, "USING INTEGER PRIMARY KEY") {
			return "a text search must read the register only at the text index's matches, by id; it plans " + step
		}
	}
	return ""
}

// orderPlanFault says what is wrong with the plan of a page in an order:
// the order's index must serve it, with no sort and no read of the whole
// table.
func (r *rawDB) orderPlanFault(plan, index string) string {
	if r.pg {
		if !strings.Contains(plan, "Index Scan using "+index) && !strings.Contains(plan, "Index Scan Backward using "+index) &&
			!strings.Contains(plan, "Index Only Scan using "+index) && !strings.Contains(plan, "Index Only Scan Backward using "+index) {
			return "the page must be read in the order of the index " + index
		}
		if pgFullScan.MatchString(plan) || pgSort.MatchString(plan) {
			return "the page must not read or sort the whole register"
		}
		return ""
	}
	if !strings.Contains(plan, "INDEX "+index+" ") || strings.Contains(plan, "TEMP B-TREE") {
		return "the page must be read in the order of the index " + index + ", with no sort"
	}
	return ""
}
