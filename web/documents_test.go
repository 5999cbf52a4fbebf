package web_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/web"
)

// docEnv is a server whose upload limit is set, with members in the roles
// the documentation needs.
type docEnv struct {
	*env
	path                                   string // the SQLite file, when it is one
	coord, mgmt, reader, contrib, outsider *isms.User
	other                                  *isms.Organisation
}

func newDocEnv(t *testing.T, maxUpload string) *docEnv {
	t.Helper()
	path := filepath.Join(t.TempDir(), "docs.db")
	db, err := sqlstore.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	d := newDocEnvOn(t, db, maxUpload)
	d.path = path
	return d
}

// newDocEnvOn serves a given database, e.g. each of sqltest.ForEachDB's.
func newDocEnvOn(t *testing.T, db *sqlstore.DB, maxUpload string) *docEnv {
	t.Helper()
	var cfg web.Config
	if maxUpload != "" {
		n, err := strconv.ParseInt(maxUpload, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		cfg.MaxUpload = n
	}
	e := newEnvOn(t, db, cfg)
	d := &docEnv{env: e}
	d.coord = e.member("coord@example.org", e.org, isms.RoleCoordinator)
	d.mgmt = e.member("mgmt@example.org", e.org, isms.RoleManagement)
	d.reader = e.member("reader@example.org", e.org, isms.RoleReader)
	d.contrib = e.member("contrib@example.org", e.org, isms.RoleContributor)
	var err error
	if d.other, err = db.CreateOrganisation(e.as(e.admin), isms.OrganisationInput{Name: "Nabokommune"}); err != nil {
		t.Fatal(err)
	}
	d.outsider = e.member("outsider@example.org", d.other, isms.RoleCoordinator)
	return d
}

var pdfBytes = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// policy makes an information security policy with a published text
// version approved by management.
func (d *docEnv) policy() *isms.Document {
	d.t.Helper()
	ctx := d.as(d.coord)
	doc, err := d.db.CreateDocument(ctx, d.org.ID, isms.DocumentInput{Kind: isms.DocInformationSecurityPolicy, Title: "Informationssikkerhedspolitik",
		ApproverIDs: []int64{d.mgmt.ID}, ReviewIntervalMonths: 12, Classification: isms.ClassInternal, OwnerID: &d.coord.ID})
	if err != nil {
		d.t.Fatal(err)
	}
	v, err := d.db.AddDocumentVersion(ctx, d.org.ID, doc.ID, isms.VersionInput{Text: "# Politik\n\n<script>alert(1)</script> & mere", Version: doc.Version})
	if err != nil {
		d.t.Fatal(err)
	}
	step := func(u *isms.User, action string) {
		cur, _ := d.db.Document(ctx, d.org.ID, doc.ID)
		if _, err := d.db.TransitionDocumentVersion(d.as(u), d.org.ID, doc.ID, 1, isms.TransitionInput{Action: action, SHA256: v.SHA256, Version: cur.Version}); err != nil {
			d.t.Fatal(err)
		}
	}
	step(d.coord, isms.TransitionSubmit)
	step(d.mgmt, isms.TransitionApprove)
	step(d.coord, isms.TransitionPublish)
	doc, _ = d.db.Document(ctx, d.org.ID, doc.ID)
	return doc
}

// upload posts a multipart form as a browser does.
func (b *browser) upload(path string, fields map[string]string, fileName string, content []byte) *http.Response {
	ct, buf := multipartFields(b.e.t, fields, fileName, content)
	req, _ := http.NewRequest("POST", b.e.srv.URL+path, buf)
	req.Header.Set("Content-Type", ct)
	return b.do(req)
}

// multipartFields makes a multipart form with text fields and, when name
// is given, a file in the field "file".
func multipartFields(t *testing.T, fields map[string]string, name string, data []byte) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if name != "" {
		fw, err := w.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	w.Close()
	return w.FormDataContentType(), &buf
}

func (d *docEnv) countVersions() int64 {
	var n int64
	docs, _, _ := d.db.Documents(d.as(d.admin), d.org.ID, isms.DocumentFilter{Limit: 500})
	for _, doc := range docs {
		vs, _ := d.db.DocumentVersions(d.as(d.admin), d.org.ID, doc.ID)
		n += int64(len(vs))
	}
	return n
}

func (d *docEnv) auditCount() int {
	_, n, _ := d.db.AuditEvents(d.as(d.admin), d.org.ID, isms.AuditFilter{Limit: 1})
	return n
}

var docUntranslated = regexp.MustCompile(`\b(doc|ui|title|nav|field|flash|reason|rule|record|action|err|role|answer)\.[a-z_0-9.]+[a-z]\b`)

func TestDocumentPagesRenderInBothLanguages(t *testing.T) {
	t.Parallel()
	d := newDocEnv(t, "")
	doc := d.policy()
	b := d.login("coord@example.org")
	o := fmt.Sprintf("/orgs/%d", d.org.ID)
	reqs, _ := d.db.DocumentationRequirements(d.as(d.coord), d.org.ID)
	pages := []string{o + "/documents", o + "/documents?q=politik&sort=-title&classification=internal&state=published",
		o + "/documents/requirements", o + "/documents/new", fmt.Sprintf("%s/documents/new?requirement=%d", o, reqs[0].ID),
		o + "/documents/rules", o + "/documents/retention", fmt.Sprintf("%s/documents/%d", o, doc.ID),
		fmt.Sprintf("%s/documents/%d/edit", o, doc.ID), fmt.Sprintf("%s/documents/%d/versions/1", o, doc.ID), o + "/documents/leadership", o}
	b.pagesRender(t, pages, docUntranslated)
	// The text is shown escaped, never as markup.
	html := body(b.get(fmt.Sprintf("%s/documents/%d/versions/1", o, doc.ID)))
	if strings.Contains(html, "<script>alert") || !strings.Contains(html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; mere") {
		t.Error("the text version is not shown escaped")
	}
	// The leadership page names management's approval of the policy.
	b.lang = "en"
	if html := body(b.get(o + "/documents/leadership")); !strings.Contains(html, "approved by User mgmt@example.org") {
		t.Error("the leadership page does not show management's approval")
	}
	// Searching by the kind's name in the reader's language finds it.
	b.lang = "da"
	if html := body(b.get(o + "/documents?q=informationssikkerhedspolitik")); !strings.Contains(html, "/documents/"+fmt.Sprint(doc.ID)) {
		t.Error("search by title does not find the policy")
	}
	// The policy's review shows on the dashboard when it falls due.
	next := isms.DateOf(d.db.Now()).AddDays(10)
	in := isms.DocumentInput{Kind: doc.Kind, Title: doc.Title, ApproverIDs: doc.ApproverIDs(), ReviewIntervalMonths: 12, NextReview: &next,
		Classification: doc.Classification, OwnerID: doc.OwnerID, Version: doc.Version}
	if _, err := d.db.UpdateDocument(d.as(d.coord), d.org.ID, doc.ID, in); err != nil {
		t.Fatal(err)
	}
	if html := body(b.get(o)); !strings.Contains(html, "Gennemgang af dokument") || !strings.Contains(html, fmt.Sprintf("/documents/%d", doc.ID)) {
		t.Error("the dashboard does not show the document's review")
	}
}

func TestDocumentUploadThroughTheUI(t *testing.T) {
	t.Parallel()
	d := newDocEnv(t, "3500000") // 3.5 MB: above the global 2 MiB body limit
	b := d.login("coord@example.org")
	o := fmt.Sprintf("/orgs/%d", d.org.ID)
	res := b.post(o+"/documents", url.Values{"kind": {"procedure"}, "title": {"Backupprocedure"}, "classification": {"confidential"},
		"approver_ids": {fmt.Sprint(d.mgmt.ID)}, "review_interval_months": {"12"}, "version": {"0"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.StatusCode, body(res))
	}
	docPath := res.Header.Get("Location")
	docs, _, _ := d.db.Documents(d.as(d.coord), d.org.ID, isms.DocumentFilter{})
	doc := docs[0]
	versions, events := d.countVersions(), d.auditCount()
	ver := fmt.Sprint(doc.Version)

	refused := []struct {
		name    string
		fields  map[string]string
		file    string
		content []byte
		want    string
	}{
		{"refused format", map[string]string{"version": ver}, "program.exe", []byte("MZ\x90\x00binary"), "not among the accepted file formats"},
		{"content not matching", map[string]string{"version": ver}, "politik.pdf", []byte("<html><body>not a pdf</body></html>"), "does not match its extension"},
		{"over the limit", map[string]string{"version": ver}, "stor.pdf", append(append([]byte(nil), pdfBytes...), make([]byte, 3600000)...), "larger than the limit of 3.3 MiB"},
		{"stale version", map[string]string{"version": "99"}, "ok.pdf", pdfBytes, "Someone else changed"},
		{"no file", map[string]string{"version": ver}, "", nil, "Upload a file or write a text"},
	}
	for _, c := range refused {
		res := b.upload(docPath+"/versions", c.fields, c.file, c.content)
		html := body(res)
		if res.StatusCode != http.StatusUnprocessableEntity && res.StatusCode != http.StatusConflict {
			t.Errorf("%s: status %d", c.name, res.StatusCode)
		}
		if !strings.Contains(html, c.want) {
			t.Errorf("%s: page lacks %q", c.name, c.want)
		}
	}
	// A cut-off multipart body.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("version", ver)
	fw, _ := mw.CreateFormFile("file", "afbrudt.pdf")
	fw.Write(pdfBytes)
	mw.Close()
	cut := buf.Bytes()[:buf.Len()-40]
	req, _ := http.NewRequest("POST", d.srv.URL+docPath+"/versions", bytes.NewReader(cut))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res = b.do(req)
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, "cut off or is incomplete") {
		t.Errorf("cut-off upload: %d", res.StatusCode)
	}
	if v, e := d.countVersions(), d.auditCount(); v != versions || e != events {
		t.Fatalf("refused uploads stored %d versions and %d events", v-versions, e-events)
	}

	// A 3 MB PDF passes (the upload route has its own limit).
	big := append(append([]byte(nil), pdfBytes...), bytes.Repeat([]byte("0 0 0 RG\n"), 3000000/9)...)
	res = b.upload(docPath+"/versions", map[string]string{"version": ver, "change_note": "Første udgave"}, "Backup.pdf", big)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", res.StatusCode, body(res))
	}
	res = b.get(docPath + "/versions/1/download")
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	h := res.Header
	if res.StatusCode != 200 || !bytes.Equal(got, big) || h.Get("Content-Type") != "application/pdf" || h.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(h.Get("Content-Disposition"), "attachment") || !strings.Contains(h.Get("Content-Disposition"), "Backup.pdf") {
		t.Fatalf("download: %d %v", res.StatusCode, h)
	}
	// The reader may not see a confidential document.
	rb := d.login("reader@example.org")
	if res := rb.get(docPath + "/versions/1/download"); res.StatusCode != http.StatusNotFound {
		t.Errorf("reader downloads a confidential document: %d", res.StatusCode)
	}
	if res := rb.get(docPath); res.StatusCode != http.StatusNotFound {
		t.Errorf("reader opens a confidential document: %d", res.StatusCode)
	}

	// Submit, approve (management, with the checksum shown), publish.
	cur, _ := d.db.Document(d.as(d.coord), d.org.ID, doc.ID)
	res = b.post(docPath+"/versions/1/submit", url.Values{"version": {fmt.Sprint(cur.Version)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", res.StatusCode, body(res))
	}
	cur, _ = d.db.Document(d.as(d.coord), d.org.ID, doc.ID)
	// The coordinator is not a named approver.
	if res := b.post(docPath+"/versions/1/approve", url.Values{"version": {fmt.Sprint(cur.Version)}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("coordinator approves: %d", res.StatusCode)
	}
	mb := d.login("mgmt@example.org")
	page := body(mb.get(docPath + "/versions/1"))
	sum := regexp.MustCompile(`name="sha256" value="([0-9a-f]{64})"`).FindStringSubmatch(page)
	if sum == nil {
		t.Fatal("the approval form lacks the checksum")
	}
	res = mb.post(docPath+"/versions/1/approve", url.Values{"version": {fmt.Sprint(cur.Version)}, "sha256": {sum[1]}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", res.StatusCode, body(res))
	}
	cur, _ = d.db.Document(d.as(d.coord), d.org.ID, doc.ID)
	if res := b.post(docPath+"/versions/1/publish", url.Values{"version": {fmt.Sprint(cur.Version)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	cur, _ = d.db.Document(d.as(d.coord), d.org.ID, doc.ID)
	if cur.Published == nil || cur.NextReview == nil {
		t.Fatalf("published: %+v", cur)
	}

	// A text version written in the product; a second open version is refused.
	res = b.post(docPath+"/versions/text", url.Values{"text": {"# Backup\n\nDagligt."}, "version": {fmt.Sprint(cur.Version)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("text: %d %s", res.StatusCode, body(res))
	}
	cur, _ = d.db.Document(d.as(d.coord), d.org.ID, doc.ID)
	res = b.post(docPath+"/versions/text", url.Values{"text": {"mere"}, "version": {fmt.Sprint(cur.Version)}})
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, "still on its way") {
		t.Errorf("second open version: %d", res.StatusCode)
	}

	// Form rules through the UI: a bad pattern is refused by field.
	res = b.post(o+"/documents/rules", url.Values{"naming_pattern": {"^(["}, "version": {"0"}})
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `id="e-doc_naming_pattern">`) {
		t.Errorf("bad pattern: %d", res.StatusCode)
	}
	// The register downloads as a workbook with three sheets.
	res = b.get(o + "/documents/export.xlsx")
	x, err := excelize.OpenReader(res.Body)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("export: %d %v", res.StatusCode, err)
	}
	if sheets := x.GetSheetList(); len(sheets) != 3 {
		t.Fatalf("sheets %v", sheets)
	}
	rows, _ := x.GetRows(x.GetSheetList()[0])
	if len(rows) < 4 || rows[3][0] != "Backupprocedure" {
		t.Fatalf("document rows %v", rows)
	}
	reqRows, _ := x.GetRows(x.GetSheetList()[1])
	if len(reqRows) < 28 {
		t.Fatalf("requirement rows %d", len(reqRows))
	}
}

func TestDocumentAPI(t *testing.T) {
	t.Parallel()
	d := newDocEnv(t, "")
	tok, mtok, otok, rtok := d.token(d.coord), d.token(d.mgmt), d.token(d.outsider), d.token(d.reader)
	base := fmt.Sprintf("/api/v1/organisations/%d/documents", d.org.ID)
	res, out := d.api(tok, "POST", base, map[string]any{"kind": "roles_responsibilities", "title": "Roller og ansvar",
		"approver_ids": []int64{d.mgmt.ID}, "review_interval_months": 12, "classification": "internal"})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %v", res.StatusCode, out)
	}
	id := int64(out["id"].(float64))
	docURL := fmt.Sprintf("%s/%d", base, id)
	// A contributor cannot be the approver of the roles list.
	res, out = d.api(tok, "PUT", docURL, map[string]any{"kind": "roles_responsibilities", "title": "Roller og ansvar",
		"approver_ids": []int64{d.contrib.ID}, "version": 1})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(out), "management role") {
		t.Errorf("contributor as approver: %d %v", res.StatusCode, out)
	}
	// JSON with base64, refused when broken or of a refused format.
	res, out = d.api(tok, "POST", docURL+"/versions", map[string]any{"file_name": "roller.pdf", "content_base64": "***", "version": 1})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad base64: %d %v", res.StatusCode, out)
	}
	res, out = d.api(tok, "POST", docURL+"/versions", map[string]any{"file_name": "roller.sh", "content_base64": base64.StdEncoding.EncodeToString([]byte("#!/bin/sh")), "version": 1})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(out), "accepted file formats") {
		t.Errorf("refused format: %d %v", res.StatusCode, out)
	}
	res, out = d.api(tok, "POST", docURL+"/versions", map[string]any{"file_name": "roller.pdf", "content_base64": base64.StdEncoding.EncodeToString(pdfBytes), "version": 1})
	if res.StatusCode != http.StatusCreated || out["sha256"] == "" || out["media_type"] != "application/pdf" {
		t.Fatalf("upload: %d %v", res.StatusCode, out)
	}
	sum := out["sha256"].(string)
	// The same operation takes multipart/form-data.
	d2, _ := d.db.CreateDocument(d.as(d.coord), d.org.ID, isms.DocumentInput{Kind: isms.DocProcedure, Title: "Procedure"})
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("version", "1")
	fw, _ := mw.CreateFormFile("file", "procedure.pdf")
	fw.Write(pdfBytes)
	mw.Close()
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s%s/%d/versions", d.srv.URL, base, d2.ID), &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+tok)
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("multipart upload: %v %v", res.StatusCode, err)
	}

	res, out = d.api(tok, "POST", docURL+"/versions/1/submit", map[string]any{"version": 2})
	if res.StatusCode != 200 || out["state"] != "in_review" {
		t.Fatalf("submit: %d %v", res.StatusCode, out)
	}
	for name, c := range map[string]struct {
		tok  string
		body map[string]any
		code int
	}{
		"not named":     {tok, map[string]any{"version": 3}, 403},
		"reader":        {rtok, map[string]any{"version": 3}, 403},
		"outsider":      {otok, map[string]any{"version": 3}, 404},
		"stale":         {mtok, map[string]any{"version": 2}, 409},
		"other content": {mtok, map[string]any{"version": 3, "sha256": strings.Repeat("0", 64)}, 409},
	} {
		if res, out := d.api(c.tok, "POST", docURL+"/versions/1/approve", c.body); res.StatusCode != c.code {
			t.Errorf("approve %s: %d %v", name, res.StatusCode, out)
		}
	}
	res, out = d.api(mtok, "POST", docURL+"/versions/1/approve", map[string]any{"version": 3, "sha256": sum})
	if res.StatusCode != 200 || out["state"] != "approved" {
		t.Fatalf("approve: %d %v", res.StatusCode, out)
	}
	res, out = d.api(tok, "POST", docURL+"/versions/1/publish", map[string]any{"version": 4})
	if res.StatusCode != 200 || out["state"] != "published" {
		t.Fatalf("publish: %d %v", res.StatusCode, out)
	}
	res, out = d.api(rtok, "GET", docURL+"/versions/1/content", nil)
	if res.StatusCode != 200 || out["sha256"] != sum || out["content_base64"] != base64.StdEncoding.EncodeToString(pdfBytes) {
		t.Fatalf("content: %d %v", res.StatusCode, out)
	}
	res, out = d.api(rtok, "GET", base+"?kind=roles_responsibilities&state=published", nil)
	if res.StatusCode != 200 || out["total"].(float64) != 1 {
		t.Fatalf("list: %d %v", res.StatusCode, out)
	}
	// Everything of it is hidden from another organisation.
	for _, p := range []string{docURL, docURL + "/versions", docURL + "/versions/1", docURL + "/versions/1/content", base + "/requirements", base + "/form-rules", base + "/retention", base + "/deletion-queue"} {
		if res, _ := d.api(otok, "GET", p, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("outsider GET %s: %d", p, res.StatusCode)
		}
	}
	// Requirements, decisions, form rules, retention through the API.
	res, list := d.api(tok, "GET", base+"/requirements", nil)
	reqs := list["list"].([]any)
	if res.StatusCode != 200 || len(reqs) != 26 {
		t.Fatalf("requirements: %d %d", res.StatusCode, len(reqs))
	}
	var optID float64
	for _, r := range reqs {
		m := r.(map[string]any)
		if m["kind"] == "optional" && m["key"] == "roles" {
			optID = m["id"].(float64)
			if len(m["documents"].([]any)) != 0 {
				t.Errorf("roles requirement lists documents that do not name it")
			}
		}
	}
	res, out = d.api(tok, "PUT", fmt.Sprintf("%s/requirements/%.0f", base, optID), map[string]any{"decision": "chosen", "reason": "Direktionen godkender listen", "version": 1})
	if res.StatusCode != 200 || out["decision"] != "chosen" {
		t.Fatalf("decide: %d %v", res.StatusCode, out)
	}
	res, out = d.api(tok, "PUT", base+"/form-rules", map[string]any{"naming_standard": "Titel", "accepted_formats": []string{"pdf"}, "version": 0})
	if res.StatusCode != 200 || out["version"].(float64) != 1 {
		t.Fatalf("form rules: %d %v", res.StatusCode, out)
	}
	res, out = d.api(tok, "PUT", base+"/retention", map[string]any{"kind": "procedure", "retention_months": 24, "deletion_procedure": "Slettes", "version": 0})
	if res.StatusCode != 200 || out["retention_months"].(float64) != 24 {
		t.Fatalf("retention: %d %v", res.StatusCode, out)
	}
	if res, _ := d.api(tok, "DELETE", docURL+"/versions/1/content", nil); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("deleting the content in force: %d", res.StatusCode)
	}
	// The operations are in the OpenAPI document.
	_, doc := d.api("", "GET", "/api/v1/openapi.json", nil)
	paths := doc["paths"].(map[string]any)
	for _, p := range []string{"/api/v1/organisations/{org}/documents", "/api/v1/organisations/{org}/documents/{id}/versions",
		"/api/v1/organisations/{org}/documents/{id}/versions/{number}/approve", "/api/v1/organisations/{org}/documents/requirements",
		"/api/v1/organisations/{org}/documents/form-rules", "/api/v1/organisations/{org}/documents/deletion-queue"} {
		if paths[p] == nil {
			t.Errorf("OpenAPI lacks %s", p)
		}
	}
}

func TestDocumentRolesAndIntegrityThroughTheWeb(t *testing.T) {
	t.Parallel()
	d := newDocEnv(t, "")
	o := fmt.Sprintf("/orgs/%d", d.org.ID)
	doc := d.policy()
	docPath := fmt.Sprintf("%s/documents/%d", o, doc.ID)
	form := url.Values{"kind": {"procedure"}, "title": {"Procedure"}, "version": {"0"}}
	// Readers and management do not add documents; a contributor adds
	// their own but does not change the coordinator's.
	for _, u := range []string{"reader@example.org", "mgmt@example.org"} {
		if res := d.login(u).post(o+"/documents", form); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s creates a document: %d", u, res.StatusCode)
		}
	}
	cb := d.login("contrib@example.org")
	if res := cb.post(docPath+"/versions/text", url.Values{"text": {"x"}, "version": {fmt.Sprint(doc.Version)}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("contributor adds a version to another's document: %d", res.StatusCode)
	}
	if res := cb.post(o+"/documents/rules", url.Values{"naming_standard": {"x"}, "version": {"0"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("contributor records form rules: %d", res.StatusCode)
	}
	// Another organisation's coordinator gets 404 on every page.
	ob := d.login("outsider@example.org")
	for _, p := range []string{o + "/documents", o + "/documents/requirements", o + "/documents/rules", o + "/documents/retention",
		o + "/documents/leadership", o + "/documents/export.xlsx", docPath, docPath + "/versions/1", docPath + "/versions/1/download"} {
		if res := ob.get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("outsider GET %s: %d", p, res.StatusCode)
		}
	}
	if res := ob.post(docPath+"/versions/1/withdraw", url.Values{"comment": {"x"}, "version": {fmt.Sprint(doc.Version)}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("outsider withdraws: %d", res.StatusCode)
	}
	// Content changed behind the product's back is refused with a 500
	// and a message, never served.
	raw, err := sql.Open("sqlite", "file:"+d.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("UPDATE document_versions SET text_content = 'Ændret i databasen' WHERE document_id = ?", doc.ID); err != nil {
		t.Fatal(err)
	}
	b := d.login("coord@example.org")
	res := b.get(docPath + "/versions/1/download")
	if html := body(res); res.StatusCode != http.StatusInternalServerError || !strings.Contains(html, "does not match its stored checksum") ||
		strings.Contains(html, "Ændret i databasen") {
		t.Errorf("tampered download: %d", res.StatusCode)
	}
	tok := d.token(d.coord)
	if res, out := d.api(tok, "GET", fmt.Sprintf("/api/v1/organisations/%d/documents/%d/versions/1/content", d.org.ID, doc.ID), nil); res.StatusCode != 500 ||
		!strings.Contains(fmt.Sprint(out), "stored checksum") {
		t.Errorf("tampered content through the API: %d %v", res.StatusCode, out)
	}
}
