package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore/sqltest"
	"github.com/ismsdk/isms/web"
)

// FuzzDocumentUpload sends arbitrary multipart bodies to the upload
// operation: whatever arrives, the answer is a new version or a clear
// refusal, never a server error.
func FuzzDocumentUpload(f *testing.F) {
	const boundary = "b0undary"
	part := func(name, file, content string) string {
		if file != "" {
			return fmt.Sprintf("--%s\r\nContent-Disposition: form-data; name=%q; filename=%q\r\nContent-Type: application/octet-stream\r\n\r\n%s\r\n", boundary, name, file, content)
		}
		return fmt.Sprintf("--%s\r\nContent-Disposition: form-data; name=%q\r\n\r\n%s\r\n", boundary, name, content)
	}
	f.Add([]byte(part("version", "", "1") + part("file", "a.pdf", string(pdfBytes)) + "--" + boundary + "--\r\n"))
	f.Add([]byte(part("version", "", "1") + part("file", "a.txt", "hello") + "--" + boundary + "--\r\n"))
	f.Add([]byte(part("version", "", "1") + part("file", "../../etc/passwd.md", "# x") + "--" + boundary + "--\r\n"))
	f.Add([]byte(part("version", "", "1") + part("file", "a.pdf", "%PDF-1.4")))
	f.Add([]byte("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\x00.pdf\"\r\n\r\n"))
	f.Add([]byte(part("text", "", "# Tekst") + part("version", "", "1") + "--" + boundary + "--\r\n"))
	f.Add([]byte{})
	db := sqltest.OpenSQLite(f)
	w, err := web.New(Services(db), web.Config{Now: db.Now, MaxUpload: 65536})
	if err != nil {
		f.Fatal(err)
	}
	srv := httptest.NewServer(w)
	f.Cleanup(srv.Close)
	coord, err := db.CreateUser(context.Background(), "coord@example.org", "Koordinator", testPassword, true)
	if err != nil {
		f.Fatal(err)
	}
	ctx := isms.WithActor(context.Background(), &isms.Actor{UserID: coord.ID, Name: coord.Name, SiteAdmin: true})
	org, err := db.CreateOrganisation(ctx, isms.OrganisationInput{Name: "Fuzzkommune"})
	if err != nil {
		f.Fatal(err)
	}
	tok, _, err := db.CreateAPIToken(ctx, coord.ID, "fuzz")
	if err != nil {
		f.Fatal(err)
	}
	doc, err := db.CreateDocument(ctx, org.ID, isms.DocumentInput{Kind: isms.DocProcedure, Title: "Fuzz"})
	if err != nil {
		f.Fatal(err)
	}
	url := fmt.Sprintf("%s/api/v1/organisations/%d/documents/%d/versions", srv.URL, org.ID, doc.ID)
	f.Fuzz(func(t *testing.T, body []byte) {
		req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		switch res.StatusCode {
		case http.StatusCreated:
			// Start over, so the next input may add a version too.
			cur, _ := db.Document(ctx, org.ID, doc.ID)
			vs, _ := db.DocumentVersions(ctx, org.ID, doc.ID)
			if _, err := db.TransitionDocumentVersion(ctx, org.ID, doc.ID, vs[0].Number, isms.TransitionInput{Action: isms.TransitionWithdraw, Comment: "fuzz", Version: cur.Version}); err != nil {
				t.Fatal(err)
			}
		case http.StatusUnprocessableEntity, http.StatusConflict:
		default:
			t.Fatalf("status %d for %q", res.StatusCode, body)
		}
	})
}
