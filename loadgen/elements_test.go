package loadgen_test

import (
	"context"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/loadgen"
	"github.com/ismsdk/isms/sqlstore"
)

// Checks of the later elements' parts of the generated organisation.

func checkRisks(t *testing.T, db *sqlstore.DB, ctx context.Context, res *loadgen.Result, cfg loadgen.Config) {
}

// Every Annex A control decided, the SoA frozen and approved.
func checkSoA(t *testing.T, db *sqlstore.DB, ctx context.Context, res *loadgen.Result) {
	t.Helper()
	soa, err := db.SoA(ctx, res.Org.ID, isms.SoAFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if soa.Summary.Undecided != 0 || soa.Summary.Applicable+soa.Summary.Excluded < 93 || soa.Summary.Unjustified != 0 {
		t.Errorf("SoA summary %+v: want all 93 controls decided and justified", soa.Summary)
	}
	// Most applicable controls are justified by the risks that use them.
	if soa.Summary.JustifiedByRisk < soa.Summary.Applicable/2 || soa.Summary.ExcludedWithRisks != 0 {
		t.Errorf("SoA summary %+v: want most applicable controls justified by risks, none excluded with risks", soa.Summary)
	}
	if soa.Approved == nil || !soa.UpToDate {
		t.Errorf("SoA: approved %v, up to date %v", soa.Approved, soa.UpToDate)
	}
	if res.Count("SoA controls decided") != 93 {
		t.Errorf("result says %d SoA controls decided", res.Count("SoA controls decided"))
	}
}

// The annual wheel: its occurrences within the year dealt with, most done.
func checkWheel(t *testing.T, db *sqlstore.DB, ctx context.Context, res *loadgen.Result) {
	t.Helper()
	_, done, err := db.WheelOccurrences(ctx, res.Org.ID, isms.OccurrenceFilter{Status: string(isms.OccDone), Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if done == 0 || done != res.Count("annual wheel occurrences done") {
		t.Errorf("wheel: %d occurrences done, result says %d", done, res.Count("annual wheel occurrences done"))
	}
	_, overdue, err := db.WheelOccurrences(ctx, res.Org.ID, isms.OccurrenceFilter{Status: "overdue", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if overdue == 0 {
		t.Error("wheel: no overdue occurrence; a real year leaves some")
	}
}

// The documentation register: every mandatory requirement met by a
// published document, and as many documents as the result says.
func checkDocuments(t *testing.T, db *sqlstore.DB, ctx context.Context, res *loadgen.Result) {
	t.Helper()
	reqs, err := db.DocumentationRequirements(ctx, res.Org.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reqs {
		if r.Kind == "mandatory" && !r.Fulfilled {
			t.Errorf("mandatory documentation %s not fulfilled", r.Key)
		}
		if r.Kind == "optional" && r.Decision == "" {
			t.Errorf("optional documentation %s undecided", r.Key)
		}
	}
	_, n, err := db.Documents(ctx, res.Org.ID, isms.DocumentFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 || n != res.Count("documents") {
		t.Errorf("documents: %d in the register, result says %d", n, res.Count("documents"))
	}
}
