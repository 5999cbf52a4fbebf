package sqlstore_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
)

// derivedViews is what one reader sees of the views the store keeps
// between writes: the register's headline, the heat map and the checklist.
type derivedViews struct {
	total, overdue, undecided int
	heatTotal, cell11         int
	answer31                  isms.AnswerStatus
	manual                    isms.AnswerStatus // a person's answer to answeredQuestion
}

// answeredQuestion is a question a person answers by hand in the tests:
// every question has a rule, and a person's answer is kept beside the
// records' answer (Answer.Manual).
const answeredQuestion = "7.3"

func readDerived(t *testing.T, db *sqlstore.DB, w *riskWorld) derivedViews {
	t.Helper()
	var v derivedViews
	sum, err := db.RiskSummary(as(w.reader), w.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	v.total, v.overdue, v.undecided = sum.Total, sum.Overdue, sum.Undecided
	h, err := db.RiskHeatMap(as(w.reader), w.org.ID, isms.RiskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	v.heatTotal, v.cell11 = h.Total, h.Residual[0][0]
	answers, err := db.Checklist(as(w.reader), w.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range answers {
		switch a.QuestionID {
		case "3.1":
			v.answer31 = a.Status
		case answeredQuestion:
			v.manual = isms.AnswerUnanswered
			if a.Manual != nil {
				v.manual = a.Manual.Status
			}
		}
	}
	return v
}

// The views are kept between writes, but no reader ever sees one older
// than the records: a write through one instance shows at once through
// another that kept the views before it, and what turns overdue at
// midnight does so with no write at all.
func TestDerivedViewsFollowWritesAndTheDay(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		writer := openDSN(t, dsn)
		reader := openDSN(t, dsn) // a second instance of the product
		w := newRiskWorld(t, writer)
		reader.Now = writer.Now

		before := readDerived(t, reader, w)
		if before.total != 0 || before.heatTotal != 0 || before.answer31 != isms.AnswerNo {
			t.Fatalf("empty register: %+v", before)
		}
		if again := readDerived(t, reader, w); again != before {
			t.Fatalf("the same records read twice differ: %+v, then %+v", before, again)
		}

		// A mitigated risk whose deadline is tomorrow, and an undecided one.
		tomorrow := isms.DateOf(w.now).AddDays(1)
		ra := w.assessment(t, w.system)
		w.risk(t, ra, "ransomware", 3, 3, func(in *isms.RiskInput) {
			in.Treatment, in.OwnerID, in.Deadline, in.PlannedControls = isms.TreatmentMitigate, &w.contrib.ID, &tomorrow, []int64{w.control(t, "8.7")}
			in.ResidualLikelihood, in.ResidualConsequence = 1, 1
		})
		w.risk(t, ra, "phishing", 2, 2, nil)
		after := readDerived(t, reader, w)
		if after.total != 2 || after.undecided != 1 || after.heatTotal != 2 || after.cell11 != 1 || after.overdue != 0 {
			t.Fatalf("after two risks were written through the other instance: %+v", after)
		}

		// A person's answer is a write like any other.
		if after.manual != isms.AnswerUnanswered {
			t.Fatalf("no one has answered %s: %+v", answeredQuestion, after)
		}
		if err := writer.AnswerManually(as(w.coord), w.org.ID, answeredQuestion, isms.AnswerPartly, "Delvist på plads", 0); err != nil {
			t.Fatal(err)
		}
		if v := readDerived(t, reader, w); v.manual != isms.AnswerPartly {
			t.Fatalf("the manual answer: %+v", v)
		}

		// Completing the assessment answers 3.1 partly (the other two
		// entries are not assessed).
		ra, err := writer.RiskAssessment(as(w.coord), w.org.ID, ra.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := writer.CompleteRiskAssessment(as(w.coord), w.org.ID, ra.ID, ra.Version); err != nil {
			t.Fatal(err)
		}
		if v := readDerived(t, reader, w); v.answer31 != isms.AnswerPartly {
			t.Fatalf("3.1 after the assessment was completed: %+v", v)
		}

		// The day after tomorrow the deadline has passed: overdue, with no
		// write in between.
		w.now = w.now.Add(48 * time.Hour)
		if v := readDerived(t, reader, w); v.overdue != 1 {
			t.Fatalf("two days later the deadline has passed: %+v", v)
		}
	})
}

// Readers that keep the views while writers on two instances add risks at
// the same time never end up with a count the records do not have.
func TestDerivedViewsUnderConcurrentWriters(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		one, two := openDSN(t, dsn), openDSN(t, dsn)
		w := newRiskWorld(t, one)
		two.Now = one.Now
		threats := []string{"ransomware", "phishing", "fire", "human_error", "ddos", "malware"}
		assessments := []*isms.RiskAssessment{w.assessment(t, w.process), w.assessment(t, w.info)}
		ids := map[string]int64{}
		for _, th := range threats {
			ids[th] = w.threat(t, th).ID
		}
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		stop := make(chan struct{})
		for i, db := range []*sqlstore.DB{one, two} {
			ra := assessments[i]
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, th := range threats {
					_, err := db.CreateRisk(as(w.coord), w.org.ID, isms.RiskInput{AssessmentID: ra.ID, ThreatID: ids[th], Likelihood: 2, Consequence: isms.Consequences{Confidentiality: 2}})
					if err != nil && isms.ErrorCode(err) != isms.EConflict {
						errs <- fmt.Errorf("create: %w", err)
					}
				}
			}()
		}
		var readers sync.WaitGroup
		for _, db := range []*sqlstore.DB{one, two} {
			readers.Add(1)
			go func() {
				defer readers.Done()
				last := 0
				for {
					select {
					case <-stop:
						return
					default:
					}
					sum, err := db.RiskSummary(as(w.reader), w.org.ID)
					if err != nil {
						errs <- err
						return
					}
					if sum.Total < last {
						errs <- fmt.Errorf("the count went back from %d to %d", last, sum.Total)
						return
					}
					last = sum.Total
				}
			}()
		}
		wg.Wait()
		close(stop)
		readers.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		want := riskCount(t, one, "SELECT COUNT(*) FROM risks")
		for i, db := range []*sqlstore.DB{one, two} {
			sum, err := db.RiskSummary(as(w.reader), w.org.ID)
			if err != nil {
				t.Fatal(err)
			}
			h, err := db.RiskHeatMap(as(w.reader), w.org.ID, isms.RiskFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if sum.Total != want || h.Total != want || want == 0 {
				t.Errorf("instance %d after the writers: headline %d, heat map %d, risks stored %d", i+1, sum.Total, h.Total, want)
			}
		}
	})
}

// Every committed write that takes an organisation's lock moves its
// generation on, audited or not (the daily jobs write outside the chain); a
// read or a refused write leaves it where it is.
func TestGenerationMovesWithEveryWrite(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		db := openDSN(t, dsn)
		w := newRiskWorld(t, db)
		gen := func() string {
			t.Helper()
			g, err := db.Generation(as(w.reader), w.org.ID)
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		g0 := gen()
		if _, err := db.Checklist(as(w.reader), w.org.ID); err != nil {
			t.Fatal(err)
		}
		if g := gen(); g != g0 {
			t.Fatalf("a read moved the generation: %s → %s", g0, g)
		}
		_, err := db.CreateRisk(as(w.coord), w.org.ID, isms.RiskInput{AssessmentID: 0})
		wantCode(t, err, isms.EInvalid)
		if g := gen(); g != g0 {
			t.Fatalf("a refused write moved the generation: %s → %s", g0, g)
		}
		if _, err := db.TakeChecklistSnapshot(asSystem(), w.org.ID); err != nil {
			t.Fatal(err)
		}
		g1 := gen()
		if g1 == g0 {
			t.Fatal("the daily snapshot, a write outside the audit chain, left the generation as it was")
		}
		w.assessment(t, w.system)
		if g := gen(); g == g1 {
			t.Fatal("an audited write left the generation as it was")
		}
		// The other organisation's writes are its own.
		other, err := db.Generation(asSystem(), w.other.ID)
		if err != nil {
			t.Fatal(err)
		}
		g2 := gen()
		if _, err := db.TakeChecklistSnapshot(asSystem(), w.other.ID); err != nil {
			t.Fatal(err)
		}
		if g := gen(); g != g2 {
			t.Fatalf("another organisation's write moved this one's generation: %s → %s", g2, g)
		}
		if o, _ := db.Generation(asSystem(), w.other.ID); o == other {
			t.Fatal("the other organisation's write left its own generation as it was")
		}
	})
}
