package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ismsdk/isms"
)

// partEnv is an organisation with units and activities as the
// LibreOffice-made e-learning export (export/testdata) names them, and a
// coordinator, a reader and another organisation's coordinator.
type partEnv struct {
	e                     *env
	coord, reader, other  *isms.User
	otherOrg              *isms.Organisation
	elearning, quiz, meet *isms.AwarenessActivity
}

func newPartEnv(t *testing.T) *partEnv {
	e := newEnv(t)
	// The file's dates are of March 2026, and one is in January 2027.
	e.db.Now = func() time.Time { return time.Date(2026, 6, 15, 9, 0, 0, 0, time.UTC) }
	p := &partEnv{e: e}
	p.coord = e.member("coord@awp.example", e.org, isms.RoleCoordinator)
	p.reader = e.member("reader@awp.example", e.org, isms.RoleReader)
	p.otherOrg = mustOrgFor(t, e, "Nabokommune")
	p.other = e.member("coord@nabo.example", p.otherOrg, isms.RoleCoordinator)
	ctx := e.as(p.coord)
	for _, u := range []isms.OrgUnitInput{{Name: "Borgerservice", StaffCount: 4}, {Name: "Teknik og Miljø", StaffCount: 3}, {Name: "Økonomi og HR", StaffCount: 2}} {
		if _, err := e.db.CreateOrgUnit(ctx, e.org.ID, u); err != nil {
			t.Fatal(err)
		}
	}
	start := isms.Date{Time: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)}
	mk := func(title string, ch isms.AwarenessChannel, themes ...string) *isms.AwarenessActivity {
		a, err := e.db.CreateAwarenessActivity(ctx, e.org.ID, isms.AwarenessActivityInput{Title: title, Themes: themes, Channel: ch,
			Target: isms.TargetAllStaff, StartsOn: &start})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	p.elearning = mk("E-læring: Informationssikkerhed for alle", isms.ChannelELearning, isms.GuideThemes...)
	p.quiz = mk("Quiz om phishing", isms.ChannelQuiz, isms.ThemePhishing)
	p.meet = mk("Personalemøde om hændelser", isms.ChannelMeeting, isms.ThemeIncidentReporting)
	return p
}

func (p *partEnv) org() string { return fmt.Sprintf("/orgs/%d", p.e.org.ID) }

// importUpload posts the import form as a browser does: the file and,
// when given, the activity for all rows.
func (b *browser) importUpload(path, name string, data []byte, activity string) *http.Response {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if activity != "" {
		w.WriteField("activity_id", activity)
	}
	fw, _ := w.CreateFormFile("import_file", name)
	fw.Write(data)
	w.Close()
	req, _ := http.NewRequest("POST", b.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

// The e-learning export as LibreOffice saved it, with its broken rows,
// imported through the upload form as a new user would: the preview names
// every problem by row, nothing is stored before the confirmation, and
// the confirmation stores the good rows.
func TestParticipationImportOfARealFile(t *testing.T) {
	t.Parallel()
	p := newPartEnv(t)
	data, err := os.ReadFile("../export/testdata/elaering-eksport.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	b := p.e.login("coord@awp.example")
	o := p.org()
	if res := b.get(o + "/awareness/imports/new"); res.StatusCode != 200 {
		t.Fatalf("upload page: %d", res.StatusCode)
	}
	res := b.importUpload(o+"/awareness/imports", "elaering-eksport.xlsx", data, "")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", res.StatusCode, body(res))
	}
	preview := res.Header.Get("Location")
	if !regexp.MustCompile(`/awareness/import-uploads/[0-9a-f]{64}$`).MatchString(preview) {
		t.Fatalf("preview at %q", preview)
	}
	html := body(b.get(preview))
	for _, want := range []string{
		"12 rows: 4 will be stored, 0 are already recorded and skipped, 8 problems.",
		"Unknown unit «Ukendt afdeling».", "Unknown activity «Kursus der ikke findes».", "«31-02-2026» is not a date.",
		"The date 2027-01-10 is in the future.", "The score «130» is not between 0 and 100 %.", "Neither name nor e-mail.",
		"«jens(at)solbjerg» is not a valid e-mail address.", "The same person, activity and date as row 2.",
		"Store the 4 good rows", "Refuse the whole file",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	// Each problem is named by its row in the file.
	for row, problem := range map[int]string{6: "Unknown unit", 7: "Unknown activity", 8: "is not a date", 9: "in the future",
		10: "not between 0 and 100", 11: "Neither name nor e-mail", 12: "not a valid e-mail", 13: "as row 2"} {
		re := regexp.MustCompile(fmt.Sprintf(`(?s)<tr><td class="nw" data-label="Row">%d</td><td data-label="Column">[^<]*</td><td data-label="Problem">[^<]*%s`, row, regexp.QuoteMeta(problem)))
		if !re.MatchString(html) {
			t.Errorf("row %d: no problem %q", row, problem)
		}
	}
	if _, n, _ := p.e.db.Participations(p.e.as(p.coord), p.e.org.ID, isms.ParticipationFilter{}); n != 0 {
		t.Fatalf("%d stored by the preview", n)
	}
	// A reader may neither see nor confirm the upload; another
	// organisation does not find it.
	rb := p.e.login("reader@awp.example")
	if res := rb.post(preview, nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("reader confirms: %d", res.StatusCode)
	}
	ob := p.e.login("coord@nabo.example")
	otherPreview := strings.Replace(preview, o, fmt.Sprintf("/orgs/%d", p.otherOrg.ID), 1)
	if res := ob.get(otherPreview); res.StatusCode != http.StatusNotFound {
		t.Fatalf("another organisation reads the upload: %d", res.StatusCode)
	}
	if res := ob.post(preview, nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("another organisation confirms the upload: %d", res.StatusCode)
	}

	res = b.post(preview, nil)
	if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "/awareness/participation") {
		t.Fatalf("confirm: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	items, n, err := p.e.db.Participations(p.e.as(p.reader), p.e.org.ID, isms.ParticipationFilter{})
	if err != nil || n != 4 {
		t.Fatalf("%d stored: %v", n, err)
	}
	got := map[string]string{}
	for _, it := range items {
		got[it.Person] = fmt.Sprintf("%s|%s|%s|%s", it.ActivityTitle, it.UnitName, it.TakenOn, it.ScoreText())
	}
	want := map[string]string{
		"Anna Jensen":                 "E-læring: Informationssikkerhed for alle|Borgerservice|2026-03-02|92 %",
		"Bo Hansen":                   "E-læring: Informationssikkerhed for alle|Teknik og Miljø|2026-03-03|78 %",
		"Carla Nielsen":               "E-læring: Informationssikkerhed for alle|Økonomi og HR|2026-03-04|88 %",
		"dorte.vang@solbjerg.example": "Quiz om phishing|Borgerservice|2026-03-05|70 %",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("stored %v\nwant %v", got, want)
	}
	// The list shows them, filtered by unit, and the import can be
	// undone from it.
	page := body(b.get(o + "/awareness/participation?unit=" + fmt.Sprint(*items[0].UnitID)))
	if !strings.Contains(page, "elaering-eksport.xlsx") {
		t.Fatal("the list does not show the import")
	}
	imports, _ := p.e.db.AwarenessImports(p.e.as(p.coord), p.e.org.ID)
	if res := b.post(fmt.Sprintf("%s/awareness/imports/%d/undo", o, imports[0].ID), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("undo: %d", res.StatusCode)
	}
	if _, n, _ := p.e.db.Participations(p.e.as(p.coord), p.e.org.ID, isms.ParticipationFilter{}); n != 0 {
		t.Fatalf("%d left after undo", n)
	}
}

// A file without an activity column takes the activity chosen on the
// upload form; a refused file stores nothing; a broken file is named on
// the form.
func TestParticipationImportChosenActivityAndRefusal(t *testing.T) {
	t.Parallel()
	p := newPartEnv(t)
	b := p.e.login("coord@awp.example")
	o := p.org()
	csv := "\xef\xbb\xbfNavn;E-mail;Enhed;Dato\r\nAnna;anna@x.dk;Borgerservice;02-03-2026\r\nBo;bo@x.dk;BORGERSERVICE;3.3.2026\r\n"
	res := b.importUpload(o+"/awareness/imports", "moede.csv", []byte(csv), fmt.Sprint(p.meet.ID))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", res.StatusCode, body(res))
	}
	preview := res.Header.Get("Location")
	html := body(b.get(preview))
	if !strings.Contains(html, "Activity for all rows: Personalemøde om hændelser") || !strings.Contains(html, "2 rows: 2 will be stored") {
		t.Fatalf("preview: %s", html)
	}
	if res := b.post(preview+"/refuse", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("refuse: %d", res.StatusCode)
	}
	if res := b.get(preview); res.StatusCode != http.StatusNotFound {
		t.Fatalf("refused upload still there: %d", res.StatusCode)
	}
	if _, n, _ := p.e.db.Participations(p.e.as(p.coord), p.e.org.ID, isms.ParticipationFilter{}); n != 0 {
		t.Fatalf("%d stored after refusal", n)
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"x.csv", []byte("a;b\n1;2\n"), "There is no heading row with name or e-mail and date"},
		{"x.xlsx", []byte("PK\x03\x04broken"), "The file cannot be read as XLSX or CSV."},
		{"x.csv", nil, "The file is empty."},
	} {
		res := b.importUpload(o+"/awareness/imports", c.name, c.data, "")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(res), c.want) {
			t.Errorf("%s: %d, want %q", c.name, res.StatusCode, c.want)
		}
	}
}

func TestAwarenessPagesAndForms(t *testing.T) {
	t.Parallel()
	p := newPartEnv(t)
	o := p.org()
	b := p.e.login("coord@awp.example")
	// A unit by hand, a duplicate refused by name on the form.
	if res := b.post(o+"/awareness/units", url.Values{"name": {"IT og Digitalisering"}, "staff_count": {"12"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("new unit: %d %s", res.StatusCode, body(res))
	}
	res := b.post(o+"/awareness/units", url.Values{"name": {"it og  DIGITALISERING"}, "staff_count": {"3"}})
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, "There is already a unit with that name.") {
		t.Fatalf("duplicate unit: %d", res.StatusCode)
	}
	units, _ := p.e.db.OrgUnits(p.e.as(p.coord), p.e.org.ID)
	bs := units[0]
	// Participation by hand; then the unit it names cannot be deleted.
	res = b.post(o+"/awareness/participation", url.Values{"activity_id": {fmt.Sprint(p.quiz.ID)}, "name": {"Ida"}, "email": {"ida@x.dk"},
		"unit_id": {fmt.Sprint(bs.ID)}, "taken_on": {"2026-05-01"}, "score": {"0,8"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("participation by hand: %d %s", res.StatusCode, body(res))
	}
	res = b.post(o+"/awareness/participation", url.Values{"activity_id": {fmt.Sprint(p.quiz.ID)}, "taken_on": {"2026-05-01"}})
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, "Neither name nor e-mail.") {
		t.Fatalf("participation without a person: %d", res.StatusCode)
	}
	res = b.post(fmt.Sprintf("%s/awareness/units/%d/delete", o, bs.ID), url.Values{"version": {fmt.Sprint(bs.Version)}})
	if html := body(res); res.StatusCode != http.StatusConflict || !strings.Contains(html, "cannot be deleted") {
		t.Fatalf("delete a unit in use: %d", res.StatusCode)
	}
	// Settings: the threshold refused out of range, saved in range.
	res = b.post(o+"/awareness/settings", url.Values{"reach_threshold": {"0"}, "acknowledgement_wanted": {"no"}, "version": {"1"}})
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, "The threshold must be between 1 and 100 %.") {
		t.Fatalf("threshold 0: %d", res.StatusCode)
	}
	if res := b.post(o+"/awareness/settings", url.Values{"reach_threshold": {"75"}, "acknowledgement_wanted": {"yes"}, "version": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("settings: %d", res.StatusCode)
	}
	if s, _ := p.e.db.AwarenessSettings(p.e.as(p.reader), p.e.org.ID); s.ReachThreshold != 75 || !s.AcknowledgementWanted {
		t.Fatalf("settings %+v", s)
	}
	// Every page renders in both languages for the coordinator and the
	// reader; the XLSX is a workbook.
	pages := []string{o + "/awareness/participation", o + "/awareness/participation?theme=phishing&from=2026-01-01",
		o + "/awareness/participation/reach", o + "/awareness/participation/new", o + "/awareness/imports/new", o + "/awareness/effect",
		fmt.Sprintf("%s/awareness/units/%d", o, bs.ID),
		o + "/awareness/units", fmt.Sprintf("%s/awareness/units/%d/edit", o, bs.ID), o + "/awareness/settings"}
	b.pagesRender(t, pages)
	p.e.login("reader@awp.example").pagesRender(t, []string{o + "/awareness/participation", o + "/awareness/participation/reach",
		o + "/awareness/effect", o + "/awareness/units", o + "/awareness/settings"})
	res = b.get(o + "/awareness/participation/export.xlsx?theme=phishing")
	if xl := body(res); res.StatusCode != 200 || !strings.HasPrefix(xl, "PK") {
		t.Fatalf("export: %d", res.StatusCode)
	}
	// Another organisation's coordinator reaches none of it.
	ob := p.e.login("coord@nabo.example")
	for _, path := range []string{o + "/awareness/participation", o + "/awareness/units"} {
		if res := ob.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s for another organisation: %d", path, res.StatusCode)
		}
	}
	if res := ob.post(fmt.Sprintf("/orgs/%d/awareness/units/%d/delete", p.otherOrg.ID, bs.ID), url.Values{"version": {"1"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("delete another organisation's unit: %d", res.StatusCode)
	}
}

func TestAwarenessAPI(t *testing.T) {
	t.Parallel()
	p := newPartEnv(t)
	e := p.e
	tok, rtok, otok := e.token(p.coord), e.token(p.reader), e.token(p.other)
	base := fmt.Sprintf("/api/v1/organisations/%d", e.org.ID)
	res, out := e.api(tok, "POST", base+"/units", map[string]any{"name": "Børn og Unge", "staff_count": 40})
	if res.StatusCode != 201 {
		t.Fatalf("create unit: %d %v", res.StatusCode, out)
	}
	unitID := int64(out["id"].(float64))
	if res, _ := e.api(tok, "POST", base+"/units", map[string]any{"name": "børn og unge", "staff_count": 1}); res.StatusCode != 422 {
		t.Fatalf("duplicate unit: %d", res.StatusCode)
	}
	if res, _ := e.api(rtok, "POST", base+"/units", map[string]any{"name": "X", "staff_count": 1}); res.StatusCode != 403 {
		t.Fatalf("reader creates a unit: %d", res.StatusCode)
	}
	if res, _ := e.api(otok, "GET", base+"/units", nil); res.StatusCode != 404 {
		t.Fatalf("another organisation lists the units: %d", res.StatusCode)
	}
	if res, _ := e.api(otok, "GET", fmt.Sprintf("/api/v1/organisations/%d/units/%d", p.otherOrg.ID, unitID), nil); res.StatusCode != 404 {
		t.Fatalf("another organisation reads the unit by id: %d", res.StatusCode)
	}
	if res, _ := e.api(tok, "PUT", fmt.Sprintf("%s/units/%d", base, unitID), map[string]any{"name": "Børn og Unge", "staff_count": 41, "version": 1}); res.StatusCode != 200 {
		t.Fatalf("update unit: %d", res.StatusCode)
	}
	// The import as JSON rows: the dry run previews and stores nothing.
	rows := map[string]any{"filename": "hr.json", "rows": []map[string]any{
		{"name": "Eva", "email": "eva@x.dk", "unit": "Børn og Unge", "activity": "quiz OM phishing", "date": "2026-04-01", "score": "90"},
		{"name": "Finn", "unit": "Ukendt", "activity": "Quiz om phishing", "date": "2026-04-01"},
	}}
	res, out = e.api(tok, "POST", base+"/participations/import?dry_run=1", rows)
	if res.StatusCode != 200 || out["new"].(float64) != 1 || len(out["problems"].([]any)) != 1 || out["imported"].(bool) {
		t.Fatalf("dry run: %d %v", res.StatusCode, out)
	}
	if _, n, _ := e.db.Participations(e.as(p.coord), e.org.ID, isms.ParticipationFilter{}); n != 0 {
		t.Fatalf("dry run stored %d", n)
	}
	if res, _ := e.api(rtok, "POST", base+"/participations/import", rows); res.StatusCode != 403 {
		t.Fatalf("reader imports: %d", res.StatusCode)
	}
	res, out = e.api(tok, "POST", base+"/participations/import", rows)
	if res.StatusCode != 200 || !out["imported"].(bool) {
		t.Fatalf("import: %d %v", res.StatusCode, out)
	}
	importID := int64(out["import_id"].(float64))
	// The unit is in use now.
	if res, _ := e.api(tok, "DELETE", fmt.Sprintf("%s/units/%d", base, unitID), map[string]any{"version": 2}); res.StatusCode != 409 {
		t.Fatalf("delete a unit in use: %d", res.StatusCode)
	}
	// The multipart import with the activity chosen.
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("activity_id", fmt.Sprint(p.meet.ID))
	fw, _ := w.CreateFormFile("import_file", "moede.csv")
	fw.Write([]byte("E-mail,Completed\ngry@x.dk,2026-04-02\n"))
	w.Close()
	res, out = e.apiBody(tok, "POST", base+"/participations/import", w.FormDataContentType(), &buf)
	if res.StatusCode != 200 || out["new"].(float64) != 1 {
		t.Fatalf("multipart import: %d %v", res.StatusCode, out)
	}
	res, out = e.api(rtok, "GET", base+"/participations?theme=phishing", nil)
	if res.StatusCode != 200 || out["total"].(float64) != 1 {
		t.Fatalf("list: %d %v", res.StatusCode, out)
	}
	res, out = e.api(rtok, "GET", base+"/awareness/reach", nil)
	if res.StatusCode != 200 || out["threshold"].(float64) != 80 {
		t.Fatalf("reach: %d %v", res.StatusCode, out)
	}
	if res, _ := e.api(otok, "GET", base+"/awareness/reach", nil); res.StatusCode != 404 {
		t.Fatalf("another organisation reads the reach: %d", res.StatusCode)
	}
	res, out = e.api(tok, "POST", base+"/participations", map[string]any{"activity_id": p.quiz.ID, "name": "Hans", "taken_on": "2026-04-03", "score": 120})
	if res.StatusCode != 422 || !strings.Contains(fmt.Sprint(out), "score") {
		t.Fatalf("participation with a score of 120: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tok, "POST", base+"/participations", map[string]any{"activity_id": p.quiz.ID, "name": "Hans", "taken_on": "2026-04-03"})
	if res.StatusCode != 201 {
		t.Fatalf("participation: %d %v", res.StatusCode, out)
	}
	pid := int64(out["id"].(float64))
	if res, _ := e.api(otok, "DELETE", fmt.Sprintf("/api/v1/organisations/%d/participations/%d", p.otherOrg.ID, pid), nil); res.StatusCode != 404 {
		t.Fatalf("another organisation deletes the participation: %d", res.StatusCode)
	}
	if res, _ := e.api(tok, "DELETE", fmt.Sprintf("%s/participations/%d", base, pid), nil); res.StatusCode != 204 {
		t.Fatalf("delete participation: %d", res.StatusCode)
	}
	if res, _ := e.api(tok, "DELETE", fmt.Sprintf("%s/participation-imports/%d", base, importID), nil); res.StatusCode != 204 {
		t.Fatalf("undo import: %d", res.StatusCode)
	}
	// Settings with their version.
	res, out = e.api(rtok, "GET", base+"/awareness/settings", nil)
	if res.StatusCode != 200 || out["reach_threshold"].(float64) != 80 || out["version"].(float64) != 1 {
		t.Fatalf("settings: %d %v", res.StatusCode, out)
	}
	if res, _ := e.api(tok, "PUT", base+"/awareness/settings", map[string]any{"reach_threshold": 101, "version": 1}); res.StatusCode != 422 {
		t.Fatalf("threshold 101: %d", res.StatusCode)
	}
	if res, _ := e.api(tok, "PUT", base+"/awareness/settings", map[string]any{"reach_threshold": 70, "acknowledgement_wanted": true, "version": 1}); res.StatusCode != 200 {
		t.Fatalf("settings update: %d", res.StatusCode)
	}
	if res, _ := e.api(tok, "PUT", base+"/awareness/settings", map[string]any{"reach_threshold": 60, "version": 1}); res.StatusCode != 409 {
		t.Fatalf("stale settings: %d", res.StatusCode)
	}
	evs, _, err := e.db.AuditEvents(e.as(p.coord), e.org.ID, isms.AuditFilter{RecordType: "awareness_import", Limit: 100})
	actions := map[string]int{}
	for _, ev := range evs {
		actions[ev.Action]++
	}
	if err != nil || actions["import_participation"] != 2 || actions["undo_import"] != 1 {
		t.Fatalf("import audit events %v %v", actions, err)
	}
}
