package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// derivedReading is every view computed from the records, read at once by
// a coordinator: the dashboard, the checklist page and API, the risk
// register's headline, the heat map page, image and API, the register's
// summary API, and the competence matrix's page and API.
type derivedReading struct {
	dashboard, checklist, register, heatmap, heatmapSVG, matrix string
	checklistAPI                                                []any
	heatmapAPI, summaryAPI, registerAPI, matrixAPI              map[string]any
}

func readEveryDerivedView(t *testing.T, f *riskFixture, b *browser, token string) derivedReading {
	t.Helper()
	var d derivedReading
	page := func(path string) string {
		t.Helper()
		res := b.get(f.o() + path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", path, res.StatusCode)
		}
		return body(res)
	}
	d.dashboard, d.checklist, d.register = page(""), page("/checklist"), page("/risks")
	d.heatmap, d.heatmapSVG = page("/risks/heatmap"), page("/risks/heatmap.svg")
	api := fmt.Sprintf("/api/v1/organisations/%d", f.e.org.ID)
	res, out := f.e.api(token, "GET", api+"/checklist", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("checklist API: %d", res.StatusCode)
	}
	d.checklistAPI, _ = out["list"].([]any)
	if res, out = f.e.api(token, "GET", api+"/risks/heatmap", nil); res.StatusCode != http.StatusOK {
		t.Fatalf("heat map API: %d", res.StatusCode)
	}
	d.heatmapAPI = out
	if res, out = f.e.api(token, "GET", api+"/risks/summary", nil); res.StatusCode != http.StatusOK {
		t.Fatalf("summary API: %d", res.StatusCode)
	}
	d.summaryAPI = out
	if res, out = f.e.api(token, "GET", api+"/risks?sort=-residual", nil); res.StatusCode != http.StatusOK {
		t.Fatalf("register API: %d", res.StatusCode)
	}
	d.registerAPI = out
	d.matrix = page("/competence/matrix")
	if res, out = f.e.api(token, "GET", api+"/competence-matrix", nil); res.StatusCode != http.StatusOK {
		t.Fatalf("competence matrix API: %d", res.StatusCode)
	}
	d.matrixAPI = out
	return d
}

// matrixExpiring is how many competences the matrix API lists as expired
// or expiring.
func (d derivedReading) matrixExpiring() int {
	l, _ := d.matrixAPI["expiring"].([]any)
	return len(l)
}

// manualAnswer is the status of a person's answer to the question, kept
// beside the records' answer, or "unanswered".
func (d derivedReading) manualAnswer(id string) string {
	for _, it := range d.checklistAPI {
		if a, _ := it.(map[string]any); a["id"] == id {
			if m, ok := a["manual"].(map[string]any); ok {
				return fmt.Sprint(m["status"])
			}
			return "unanswered"
		}
	}
	return ""
}

// A write shows at once in every view the product derives from the records,
// though each is kept between writes; and what falls overdue at midnight
// shows as overdue the next morning with no write at all.
func TestEveryDerivedViewFollowsAWrite(t *testing.T) {
	t.Parallel()
	f := newRiskFixture(t)
	b := f.e.login("coord@risk.example")
	token := f.e.token(f.coord)
	// Every question has a rule; a person's answer to one is kept beside
	// the records' answer, and is a write like any other.
	const manual = "7.3"

	before := readEveryDerivedView(t, f, b, token)
	if again := readEveryDerivedView(t, f, b, token); again.summaryAPI["total"] != before.summaryAPI["total"] {
		t.Fatal("the same records read twice differ")
	}
	if before.summaryAPI["total"] != float64(2) || before.heatmapAPI["total"] != float64(2) || before.manualAnswer(manual) != "unanswered" {
		t.Fatalf("before: summary %v, heat map %v, %s %s", before.summaryAPI, before.heatmapAPI["total"], manual, before.manualAnswer(manual))
	}
	if !strings.Contains(before.register, "2 risks in all") || strings.Contains(before.dashboard, "Phishing ved løn") {
		t.Fatal("before: the register's headline or the dashboard")
	}
	if before.matrixExpiring() != 0 || strings.Contains(before.matrix, "Certificeret DPO") {
		t.Fatal("before: the competence matrix")
	}

	// The writes: a risk whose treatment deadline is tomorrow, and a
	// person's answer to a question.
	ctx := f.e.as(f.coord)
	tomorrow := isms.DateOf(f.e.db.Now()).AddDays(1)
	threats, _ := f.e.db.Threats(ctx, f.e.org.ID, isms.ThreatFilter{})
	var phishing int64
	for _, th := range threats {
		if th.Key == "phishing" {
			phishing = th.ID
		}
	}
	controls, _ := f.e.db.RiskControlOptions(ctx, f.e.org.ID)
	_, err := f.e.db.CreateRisk(ctx, f.e.org.ID, isms.RiskInput{AssessmentID: f.assessment.ID, ThreatID: phishing, Title: "Phishing ved løn",
		Likelihood: 4, Consequence: isms.Consequences{Confidentiality: 4}, Treatment: isms.TreatmentMitigate, OwnerID: &f.contrib.ID,
		Deadline: &tomorrow, PlannedControls: []int64{controls[0].ID}, ResidualLikelihood: 1, ResidualConsequence: 1})
	if err != nil {
		t.Fatal(err)
	}
	// A certification that expires tomorrow.
	if _, err := f.e.db.CreateCompetence(ctx, f.e.org.ID, isms.CompetenceInput{UserID: f.coord.ID, Subject: "Certificeret DPO",
		Kind: isms.CompetenceCertification, Level: isms.LevelExpert, ExpiresOn: &tomorrow}); err != nil {
		t.Fatal(err)
	}
	if res, out := f.e.api(token, "PUT", fmt.Sprintf("/api/v1/organisations/%d/checklist/%s", f.e.org.ID, manual),
		map[string]any{"status": "partly", "reason": "Delvist på plads", "version": 0}); res.StatusCode != http.StatusOK {
		t.Fatalf("answer: %d %v", res.StatusCode, out)
	}

	after := readEveryDerivedView(t, f, b, token)
	if after.summaryAPI["total"] != float64(3) || !strings.Contains(after.register, "3 risks in all") || !strings.Contains(after.register, "Phishing ved løn") {
		t.Errorf("the register's headline after the write: %v", after.summaryAPI)
	}
	if after.registerAPI["total"] != float64(3) || !strings.Contains(fmt.Sprint(after.registerAPI["items"]), "Phishing ved løn") {
		t.Errorf("the register through the API after the write: %v", after.registerAPI["total"])
	}
	if after.heatmapAPI["total"] != float64(3) || after.heatmap == before.heatmap || after.heatmapSVG == before.heatmapSVG {
		t.Errorf("the heat map after the write: %v", after.heatmapAPI["total"])
	}
	if after.manualAnswer(manual) != "partly" || after.checklist == before.checklist {
		t.Errorf("the checklist after the write: %s %s", manual, after.manualAnswer(manual))
	}
	if !strings.Contains(after.dashboard, "Phishing ved løn") || !strings.Contains(after.dashboard, "Partly: 1") && after.dashboard == before.dashboard {
		t.Error("the dashboard after the write does not list the risk's deadline")
	}
	if strings.Contains(after.dashboard, `<tr class="overdue"><td><time datetime="`+tomorrow.String()) {
		t.Error("the deadline is tomorrow, not overdue")
	}
	if after.matrixExpiring() != 1 || !strings.Contains(after.matrix, "Certificeret DPO") || strings.Contains(after.matrix, `<tr class="overdue">`) {
		t.Errorf("the competence matrix after the write: %d expiring", after.matrixExpiring())
	}
	if !strings.Contains(after.dashboard, "Certificeret DPO") {
		t.Error("the dashboard does not list the expiring certification")
	}

	// Two days later, with no write: the deadline has passed. (The
	// session has ended by then; logging in again writes no record.)
	f.e.db.Now = func() time.Time { return tomorrow.Time.Add(36 * time.Hour) }
	later := readEveryDerivedView(t, f, f.e.login("coord@risk.example"), token)
	if later.summaryAPI["overdue"] != after.summaryAPI["overdue"].(float64)+1 {
		t.Errorf("overdue risks after the deadline: %v, before it %v", later.summaryAPI["overdue"], after.summaryAPI["overdue"])
	}
	if !strings.Contains(later.dashboard, `<tr class="overdue"><td><time datetime="`+tomorrow.String()) {
		t.Error("the dashboard does not show the passed deadline as overdue")
	}
	if !strings.Contains(later.matrix, `<tr class="overdue">`) {
		t.Error("the competence matrix does not show the certification as expired the day after")
	}
}

// The dashboard is kept per reader: what waits for one member's approval
// is on their dashboard and never on a colleague's, whoever read first.
func TestDashboardKeptPerReader(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		d := newDocEnvOn(t, db, "")
		ctx := d.as(d.coord)
		doc, err := d.db.CreateDocument(ctx, d.org.ID, isms.DocumentInput{Kind: isms.DocInformationSecurityPolicy, Title: "Politik til godkendelse",
			ApproverIDs: []int64{d.mgmt.ID}, ReviewIntervalMonths: 12, Classification: isms.ClassInternal, OwnerID: &d.coord.ID})
		if err != nil {
			t.Fatal(err)
		}
		v, err := d.db.AddDocumentVersion(ctx, d.org.ID, doc.ID, isms.VersionInput{Text: "# Politik", Version: doc.Version})
		if err != nil {
			t.Fatal(err)
		}
		cur, _ := d.db.Document(ctx, d.org.ID, doc.ID)
		if _, err := d.db.TransitionDocumentVersion(ctx, d.org.ID, doc.ID, 1, isms.TransitionInput{Action: isms.TransitionSubmit, SHA256: v.SHA256, Version: cur.Version}); err != nil {
			t.Fatal(err)
		}
		dashboard := func(email string) string {
			t.Helper()
			res := d.login(email).get(fmt.Sprintf("/orgs/%d", d.org.ID))
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: status %d", email, res.StatusCode)
			}
			return body(res)
		}
		const waiting = "Document awaiting your approval"
		if s := dashboard("coord@example.org"); strings.Contains(s, waiting) {
			t.Error("the coordinator is not an approver")
		}
		if s := dashboard("mgmt@example.org"); !strings.Contains(s, waiting) || !strings.Contains(s, "Politik til godkendelse") {
			t.Error("the approver's dashboard does not show what waits for them")
		}
		if s := dashboard("coord@example.org"); strings.Contains(s, waiting) {
			t.Error("the approver's dashboard was handed to the coordinator")
		}
	})
}

// The checklist page is kept for readers who may answer and for those who
// may not: a reader never gets the answer forms, whoever read first.
func TestChecklistKeptPerKindOfReader(t *testing.T) {
	t.Parallel()
	d := newDocEnv(t, "")
	page := func(email string) string {
		t.Helper()
		res := d.login(email).get(fmt.Sprintf("/orgs/%d/checklist", d.org.ID))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", email, res.StatusCode)
		}
		return body(res)
	}
	form := fmt.Sprintf(`action="/orgs/%d/checklist/`, d.org.ID)
	if strings.Contains(page("reader@example.org"), form) {
		t.Error("a reader is offered the answer forms")
	}
	if !strings.Contains(page("coord@example.org"), form) {
		t.Error("the coordinator is not offered the answer forms")
	}
	if strings.Contains(page("reader@example.org"), form) {
		t.Error("the coordinator's page was handed to a reader")
	}
}
