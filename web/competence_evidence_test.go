package web_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
	"github.com/ismsdk/isms/web"
)

// compUpload posts the competence form as a browser does, multipart, with
// the evidence file when name is given.
func (b *browser) compUpload(path string, fields map[string]string, name string, data []byte) *http.Response {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if name != "" {
		fw, _ := w.CreateFormFile("evidence_file", name)
		fw.Write(data)
	}
	w.Close()
	req, _ := http.NewRequest("POST", b.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

// A person records their competence with a certificate uploaded as a PDF
// on the form: it becomes a document of the register and the evidence of
// the competence, and can be downloaded. Bad files are refused on their
// field with nothing stored; a form without a file still works; another
// organisation's member is refused.
func TestCompetenceEvidenceUploadForm(t *testing.T) {
	t.Parallel()
	pdf, err := os.ReadFile("../sqlstore/testdata/kursusbevis.pdf")
	if err != nil {
		t.Fatal(err)
	}
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnvOn(t, db, web.Config{MaxUpload: 64 << 10})
		l := e.leadFill()
		o := fmt.Sprintf("/orgs/%d", e.org.ID)
		rb := e.login("reader@example.org")
		form := body(rb.get(o + "/competence/records/new"))
		if !strings.Contains(form, `enctype="multipart/form-data"`) || !strings.Contains(form, `name="evidence_file" type="file" accept=".pdf,.png,.jpg,.jpeg"`) {
			t.Fatalf("the form offers no file:\n%s", form)
		}
		fields := map[string]string{"user_id": fmt.Sprint(l.reader.ID), "subject": "GDPR og databeskyttelse", "comp_kind": "training",
			"level": "basic", "achieved_on": "2026-01-10", "version": "0", "evidence_classification": "internal"}
		docs := func() int {
			ds, _, err := e.db.Documents(e.as(l.coord), e.org.ID, isms.DocumentFilter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			return len(ds)
		}
		before := docs()
		for _, c := range []struct {
			name, file string
			data       []byte
			want       string
		}{
			{"empty", "bevis.pdf", nil, "The file is empty"},
			{"unknown type", "bevis.docx", []byte("PK\x03\x04"), "is not accepted as evidence"},
			{"not a PDF", "bevis.pdf", []byte("plain text pretending"), ""},
			{"too large", "stor.pdf", append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 70<<10)...), "64 KiB"},
		} {
			res := rb.compUpload(o+"/competence/records", fields, c.file, c.data)
			page := body(res)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="e-evidence_file">`) || !strings.Contains(page, c.want) {
				t.Fatalf("%s: %d\n%s", c.name, res.StatusCode, page)
			}
			if docs() != before {
				t.Fatalf("%s: a document was stored", c.name)
			}
			if cs, _ := e.db.Competences(e.as(l.coord), e.org.ID, 0); len(cs) != 0 {
				t.Fatalf("%s: a competence was stored", c.name)
			}
		}
		res := rb.compUpload(o+"/competence/records", fields, "Kursusbevis GDPR.pdf", pdf)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", res.StatusCode, body(res))
		}
		rec := body(rb.get(res.Header.Get("Location")))
		if !strings.Contains(rec, "GDPR og databeskyttelse – "+l.reader.Name) {
			t.Fatalf("the record does not show its evidence:\n%s", rec)
		}
		cs, _ := e.db.Competences(e.as(l.coord), e.org.ID, 0)
		if len(cs) != 1 || cs[0].EvidenceID == nil || docs() != before+1 {
			t.Fatalf("stored: %+v", cs)
		}
		dl := rb.get(fmt.Sprintf("%s/documents/%d/versions/1/download", o, *cs[0].EvidenceID))
		got, _ := io.ReadAll(dl.Body)
		dl.Body.Close()
		if dl.StatusCode != http.StatusOK || !bytes.Equal(got, pdf) {
			t.Fatalf("download: %d, %d bytes", dl.StatusCode, len(got))
		}
		// The multipart form without a file, and the URL-encoded one.
		delete(fields, "evidence_classification")
		fields["subject"] = "Hændelsesprocessen"
		if res := rb.compUpload(o+"/competence/records", fields, "", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("no file: %d %s", res.StatusCode, body(res))
		}
		// The kind's error is labelled as the kind of competence.
		fields["comp_kind"] = "wizardry"
		res = rb.compUpload(o+"/competence/records", fields, "", nil)
		if page := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `<a href="#f-comp_kind">Type</a>`) ||
			strings.Contains(page, `>Register</a>`) {
			t.Fatalf("kind's error: %d\n%s", res.StatusCode, page)
		}
		// Through the API, the file comes as base64 in JSON.
		api := fmt.Sprintf("/api/v1/organisations/%d/competences", e.org.ID)
		res2, out := e.api(e.token(l.coord), "POST", api, map[string]any{"user_id": l.contrib.ID, "subject": "ISO 27001 Lead Implementer",
			"kind": "certification", "level": "expert", "evidence_file": map[string]any{"file_name": "li.pdf", "content": pdf, "classification": "confidential"}})
		if res2.StatusCode != 201 || out["evidence_id"] == nil || docs() != before+2 {
			t.Fatalf("api upload: %d %v", res2.StatusCode, out)
		}
		res2, out = e.api(e.token(l.coord), "POST", api, map[string]any{"user_id": l.contrib.ID, "subject": "X", "kind": "training", "level": "basic",
			"evidence_file": map[string]any{"file_name": "x.gif", "content": []byte("GIF89a")}})
		if res2.StatusCode != 422 || !leadHasField(out, "evidence_file") || docs() != before+2 {
			t.Fatalf("api bad file: %d %v", res2.StatusCode, out)
		}
		// Another organisation's coordinator is refused, and nothing is kept.
		other := mustOrgFor(t, e, "Andenkommune")
		e.member("coord@other.example", other, isms.RoleCoordinator)
		ob := e.login("coord@other.example")
		fields["comp_kind"] = "training"
		if res := ob.compUpload(o+"/competence/records", fields, "bevis.pdf", pdf); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
			t.Fatalf("other organisation: %d", res.StatusCode)
		}
		if docs() != before+2 {
			t.Fatal("the other organisation's upload was kept")
		}
	})
}
