package sqlstore_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// TestRegisterSearchFindsSubstrings holds the registers' text search to
// what it has always meant, now that it reads through the trigram indexes
// (and, on SQLite, text indexes that triggers keep): the rows whose text
// contains the words, in any case, Danish letters included, the words
// taken literally; the same after risks and entries are created, changed
// and deleted; and never another organisation's rows. Words shorter than a
// trigram are searched without the index, with the same answers.
func TestRegisterSearchFindsSubstrings(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		w := newRiskWorld(t, db)
		ctx := as(w.coord)
		ra := w.assessment(t, w.system)
		// The texts the search should see, by id, to hold the answers to.
		risks := map[int64]string{}
		newRisk := func(title, desc string) *isms.Risk {
			r := w.risk(t, ra, "ransomware", 2, 2, func(in *isms.RiskInput) { in.Title, in.Description = title, desc })
			risks[r.ID] = title + " " + desc
			return r
		}
		entries := map[int64]string{}
		for _, e := range []*isms.OverviewEntry{w.process, w.info, w.system} {
			entries[e.ID] = e.Name + "\n" + e.Description
		}
		newEntry := func(name, desc string) *isms.OverviewEntry {
			e, err := db.CreateOverviewEntry(ctx, w.org.ID, isms.OverviewEntryInput{Kind: isms.KindSystem, Name: name, Description: desc, Status: isms.StatusActive})
			if err != nil {
				t.Fatal(err)
			}
			entries[e.ID] = name + "\n" + desc
			return e
		}
		nord := newRisk("Nedbrud i Jobcenter Nord", "Borgerne kan ikke søge om ydelser")
		aero := newRisk("Læk af helbredsoplysninger", "Post sendt til ÆRØSKØBING i stedet for Århus")
		newRisk("Ransomware", "Kryptering af 50% af drev_a; \"gendannelse\" tager dage")
		vest := newEntry("Jobcenter Vest", "sagsbehandling på tværs af forvaltninger")
		korsel := newEntry("Kørselsordning", "bestilles af jobcenter-medarbejdere")
		// Another organisation's rows hold the same words.
		if _, err := db.CreateOverviewEntry(as(w.outsider), w.other.ID, isms.OverviewEntryInput{Kind: isms.KindSystem,
			Name: "Jobcenter Syd", Description: "sagsbehandling", Status: isms.StatusActive}); err != nil {
			t.Fatal(err)
		}
		// SQLite's LOWER, which the business overview's search has always
		// used, lowers ASCII letters only, so the entries' Danish letters
		// are searched in the case they are written in.
		queries := []string{"jobcenter", "JobCenter", "ærø", "ÆRØSKØBING", "århus", "søge", "på tværs", "50%", "drev_a", "v_a",
			`"gendannelse"`, "jobcenter-", "ørsel", "kørsel", "ob", "æ", "%", "_", "ingen steder", "nord\nborgerne"}
		check := func(when string) {
			t.Helper()
			for _, q := range queries {
				got, total, err := db.Risks(ctx, w.org.ID, isms.RiskFilter{Query: q, Limit: 500})
				if err != nil {
					t.Fatalf("%s: risks matching %q: %v", when, q, err)
				}
				if ids, want := riskIDs(got), matching(risks, q); !slices.Equal(ids, want) || total != len(want) {
					t.Errorf("%s: risks matching %q are %v (%d in all), want %v", when, q, ids, total, want)
				}
				es, total, err := db.OverviewEntries(ctx, w.org.ID, isms.EntryFilter{Query: q, Limit: 500})
				if err != nil {
					t.Fatalf("%s: entries matching %q: %v", when, q, err)
				}
				var ids []int64
				for _, e := range es {
					ids = append(ids, e.ID)
				}
				slices.Sort(ids)
				if want := matching(entries, q); !slices.Equal(ids, want) || total != len(want) {
					t.Errorf("%s: entries matching %q are %v (%d in all), want %v", when, q, ids, total, want)
				}
			}
		}
		check("created")
		// A page past the last match still says how many there are.
		if got, total, err := db.Risks(ctx, w.org.ID, isms.RiskFilter{Query: "søge", Offset: 100}); err != nil || len(got) != 0 || total != 1 {
			t.Errorf("risks matching søge past the end: %d on the page, %d in all, %v; want 0 and 1", len(got), total, err)
		}

		in := isms.RiskInput{AssessmentID: ra.ID, ThreatID: nord.ThreatID, Title: "Nedbrud i borgerservice", Description: "Ingen kan søge",
			Likelihood: 2, Consequence: isms.Consequences{Confidentiality: 2}, Version: nord.Version}
		if _, err := db.UpdateRisk(ctx, w.org.ID, nord.ID, in); err != nil {
			t.Fatal(err)
		}
		risks[nord.ID] = in.Title + " " + in.Description
		if _, err := db.UpdateOverviewEntry(ctx, w.org.ID, korsel.ID, isms.OverviewEntryInput{Kind: korsel.Kind, Name: "Kørselsordning",
			Description: "bestilles af borgerne", Status: isms.StatusActive, Version: korsel.Version}); err != nil {
			t.Fatal(err)
		}
		entries[korsel.ID] = "Kørselsordning\nbestilles af borgerne"
		check("changed")

		if err := db.DeleteRisk(ctx, w.org.ID, aero.ID, aero.Version); err != nil {
			t.Fatal(err)
		}
		delete(risks, aero.ID)
		if err := db.DeleteOverviewEntry(ctx, w.org.ID, vest.ID, vest.Version); err != nil {
			t.Fatal(err)
		}
		delete(entries, vest.ID)
		check("deleted")
	})
}

// matching is the ids of the texts that contain q, in any case: what the
// registers' search finds.
func matching(texts map[int64]string, q string) []int64 {
	q = strings.ToLower(strings.TrimSpace(q))
	var out []int64
	for id, s := range texts {
		if strings.Contains(strings.ToLower(s), q) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

func riskIDs(rs []*isms.Risk) []int64 {
	var out []int64
	for _, r := range rs {
		out = append(out, r.ID)
	}
	slices.Sort(out)
	return out
}
