package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
	"github.com/ismsdk/isms/web"
)

// Large uploads and downloads through the UI and the API, on SQLite and on
// PostgreSQL: files of several pieces (the store keeps 1 MiB pieces), the
// checksum the same all the way, refusals that store nothing, and the
// server's limit of uploads in flight.

// upEnv is a server over a fresh database with a coordinator and a reader.
type upEnv struct {
	*env
	w             *web.Server
	raw           *sql.DB
	pg            bool
	coord, reader *isms.User
	coordTok      string
	readerTok     string
}

// forEachUploadServer runs fn against a server over SQLite and, when
// ISMS_TEST_POSTGRES names a server, over a fresh schema on PostgreSQL.
func forEachUploadServer(t *testing.T, cfg web.Config, fn func(t *testing.T, u *upEnv)) {
	t.Run("sqlite", func(t *testing.T) {
		r := sqltest.OpenSQLiteRaw(t)
		fn(t, newUpEnv(t, r.DB, r.Conn, false, cfg))
	})
	t.Run("postgres", func(t *testing.T) {
		r := sqltest.OpenPostgresRaw(t)
		fn(t, newUpEnv(t, r.DB, r.Conn, true, cfg))
	})
}

func newUpEnv(t *testing.T, db *sqlstore.DB, raw *sql.DB, pg bool, cfg web.Config) *upEnv {
	t.Helper()
	cfg.Now = db.Now
	w, err := web.New(Services(db), cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w)
	t.Cleanup(srv.Close)
	e := &env{t: t, db: db, srv: srv}
	if e.admin, err = db.CreateUser(context.Background(), "admin@example.org", "Site Admin", testPassword, true); err != nil {
		t.Fatal(err)
	}
	if e.org, err = db.CreateOrganisation(e.as(e.admin), isms.OrganisationInput{Name: "Uploadkommune"}); err != nil {
		t.Fatal(err)
	}
	u := &upEnv{env: e, w: w, raw: raw, pg: pg}
	u.coord = e.member("coord@example.org", e.org, isms.RoleCoordinator)
	u.reader = e.member("reader@example.org", e.org, isms.RoleReader)
	u.coordTok, u.readerTok = e.token(u.coord), e.token(u.reader)
	return u
}

// counts are the rows an upload adds: versions, pieces, audit events.
func (u *upEnv) counts() [3]int64 {
	u.t.Helper()
	var out [3]int64
	for i, table := range []string{"document_versions", "document_chunks", "audit_events"} {
		if err := u.raw.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&out[i]); err != nil {
			u.t.Fatal(err)
		}
	}
	return out
}

func (u *upEnv) pieces(docID int64) int64 {
	u.t.Helper()
	q := "SELECT COUNT(*) FROM document_chunks c JOIN document_versions v ON v.id = c.version_id WHERE v.document_id = ?"
	if u.pg {
		q = strings.Replace(q, "?", "$1", 1)
	}
	var n int64
	if err := u.raw.QueryRow(q, docID).Scan(&n); err != nil {
		u.t.Fatal(err)
	}
	return n
}

func (u *upEnv) newDoc(title string) *isms.Document {
	u.t.Helper()
	d, err := u.db.CreateDocument(u.as(u.coord), u.org.ID, isms.DocumentInput{Kind: isms.DocProcedure, Title: title, Classification: isms.ClassInternal})
	if err != nil {
		u.t.Fatal(err)
	}
	return d
}

func (u *upEnv) apiPath(docID int64, rest string) string {
	return fmt.Sprintf("/api/v1/organisations/%d/documents/%d%s", u.org.ID, docID, rest)
}

// largePDF is a file of several pieces.
func largePDF(size int, seed uint64) []byte {
	b := make([]byte, size)
	var key [32]byte
	key[0] = byte(seed)
	mrand.NewChaCha8(key).Read(b)
	copy(b, "%PDF-1.7\n")
	return b
}

func sumOf(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

// multipartVersion is an upload form: the document's version and a file.
func multipartVersion(version int64, fileName string, content []byte) ([]byte, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("version", strconv.FormatInt(version, 10))
	mw.WriteField("change_note", "Ny udgave")
	fw, _ := mw.CreateFormFile("file", fileName)
	fw.Write(content)
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

// send posts a body to a path with a bearer token (none for "").
func (u *upEnv) send(token, path, contentType string, body io.Reader) (*http.Response, []byte) {
	u.t.Helper()
	req, _ := http.NewRequest("POST", u.srv.URL+path, body)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept-Language", "en")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		u.t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, b
}

func (u *upEnv) get(token, path string) (*http.Response, []byte) {
	u.t.Helper()
	req, _ := http.NewRequest("GET", u.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		u.t.Fatal(err)
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		u.t.Fatalf("GET %s: %v", path, err)
	}
	return res, b
}

func TestLargeUploadAndDownloadRoundTrip(t *testing.T) {
	forEachUploadServer(t, web.Config{}, func(t *testing.T, u *upEnv) {
		data := largePDF(2<<20+54321, 1) // three pieces
		sum := sumOf(data)
		check := func(how string, docID int64) {
			t.Helper()
			if n := u.pieces(docID); n != 3 {
				t.Fatalf("%s: %d pieces, want 3", how, n)
			}
			// The download page serves the file as stored.
			res, got := u.get(u.readerTok, fmt.Sprintf("/orgs/%d/documents/%d/versions/1/download", u.org.ID, docID))
			if res.StatusCode != 200 || !bytes.Equal(got, data) || res.Header.Get("X-Checksum-SHA256") != sum ||
				res.Header.Get("Content-Length") != strconv.Itoa(len(data)) {
				t.Fatalf("%s: download %d, %d bytes, %v", how, res.StatusCode, len(got), res.Header)
			}
			// The API's content answer is valid JSON with the same bytes.
			res, body := u.get(u.readerTok, u.apiPath(docID, "/versions/1/content"))
			var c struct {
				FileName      string `json:"file_name"`
				MediaType     string `json:"media_type"`
				SHA256        string `json:"sha256"`
				Size          int64  `json:"size"`
				ContentBase64 string `json:"content_base64"`
			}
			if err := json.Unmarshal(body, &c); err != nil || res.StatusCode != 200 {
				t.Fatalf("%s: API content %d: %v", how, res.StatusCode, err)
			}
			got, err := base64.StdEncoding.DecodeString(c.ContentBase64)
			if err != nil || !bytes.Equal(got, data) || c.SHA256 != sum || c.Size != int64(len(data)) || c.FileName != "Stor.pdf" || c.MediaType != "application/pdf" {
				t.Fatalf("%s: API content %+v, %d bytes, %v", how, c.SHA256, len(got), err)
			}
		}

		// The form, as a browser sends it.
		d := u.newDoc("Fra formularen")
		b := u.login(u.coord.Email)
		res := b.upload(fmt.Sprintf("/orgs/%d/documents/%d/versions", u.org.ID, d.ID), map[string]string{"version": strconv.FormatInt(d.Version, 10)}, "Stor.pdf", data)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("form upload: %d %s", res.StatusCode, body(res))
		}
		check("form", d.ID)

		// The API, multipart.
		d = u.newDoc("Fra API'et, multipart")
		form, ctype := multipartVersion(d.Version, "Stor.pdf", data)
		res, out := u.send(u.coordTok, u.apiPath(d.ID, "/versions"), ctype, bytes.NewReader(form))
		if res.StatusCode != http.StatusCreated || !strings.Contains(string(out), sum) {
			t.Fatalf("API multipart upload: %d %s", res.StatusCode, out)
		}
		check("API multipart", d.ID)

		// The API, JSON with base64.
		d = u.newDoc("Fra API'et, JSON")
		js, _ := json.Marshal(map[string]any{"file_name": "Stor.pdf", "content_base64": base64.StdEncoding.EncodeToString(data), "version": d.Version})
		res, out = u.send(u.coordTok, u.apiPath(d.ID, "/versions"), "application/json", bytes.NewReader(js))
		if res.StatusCode != http.StatusCreated || !strings.Contains(string(out), sum) {
			t.Fatalf("API JSON upload: %d %s", res.StatusCode, out)
		}
		check("API JSON", d.ID)
	})
}

func TestRefusedLargeUploadsStoreNothing(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	const limit = 2 << 20
	forEachUploadServer(t, web.Config{MaxUpload: int64(limit)}, func(t *testing.T, u *upEnv) {
		d := u.newDoc("Afviste uploads")
		// A change of the document, so an older version of it exists to be
		// stale with.
		d, err := u.db.UpdateDocument(u.as(u.coord), u.org.ID, d.ID, isms.DocumentInput{Kind: d.Kind, Title: d.Title + " (ændret)",
			Classification: d.Classification, Version: d.Version})
		if err != nil {
			t.Fatal(err)
		}
		ok := largePDF(limit-100, 2)
		tooLarge := largePDF(limit+1, 3)
		formPath := fmt.Sprintf("/orgs/%d/documents/%d/versions", u.org.ID, d.ID)
		apiPath := u.apiPath(d.ID, "/versions")
		jsonBody := func(data []byte, version int64) []byte {
			b, _ := json.Marshal(map[string]any{"file_name": "Stor.pdf", "content_base64": base64.StdEncoding.EncodeToString(data), "version": version})
			return b
		}
		before := u.counts()
		coord, reader := u.login(u.coord.Email), u.login(u.reader.Email)
		ver := strconv.FormatInt(d.Version, 10)
		for _, c := range []struct {
			name   string
			status int
			do     func() (*http.Response, string)
		}{
			{"form, too large", http.StatusUnprocessableEntity, func() (*http.Response, string) {
				res := coord.upload(formPath, map[string]string{"version": ver}, "Stor.pdf", tooLarge)
				return res, body(res)
			}},
			{"API multipart, too large", http.StatusUnprocessableEntity, func() (*http.Response, string) {
				form, ctype := multipartVersion(d.Version, "Stor.pdf", tooLarge)
				res, b := u.send(u.coordTok, apiPath, ctype, bytes.NewReader(form))
				return res, string(b)
			}},
			{"API JSON, too large", http.StatusUnprocessableEntity, func() (*http.Response, string) {
				res, b := u.send(u.coordTok, apiPath, "application/json", bytes.NewReader(jsonBody(tooLarge, d.Version)))
				return res, string(b)
			}},
			{"API JSON, body over its limit", http.StatusUnprocessableEntity, func() (*http.Response, string) {
				res, b := u.send(u.coordTok, apiPath, "application/json", bytes.NewReader(jsonBody(largePDF(2*limit, 4), d.Version)))
				return res, string(b)
			}},
			{"form, a reader", http.StatusForbidden, func() (*http.Response, string) {
				res := reader.upload(formPath, map[string]string{"version": ver}, "Stor.pdf", ok)
				return res, body(res)
			}},
			{"API multipart, a reader", http.StatusForbidden, func() (*http.Response, string) {
				form, ctype := multipartVersion(d.Version, "Stor.pdf", ok)
				res, b := u.send(u.readerTok, apiPath, ctype, bytes.NewReader(form))
				return res, string(b)
			}},
			{"API JSON, a reader", http.StatusForbidden, func() (*http.Response, string) {
				res, b := u.send(u.readerTok, apiPath, "application/json", bytes.NewReader(jsonBody(ok, d.Version)))
				return res, string(b)
			}},
			{"form, stale version", http.StatusConflict, func() (*http.Response, string) {
				res := coord.upload(formPath, map[string]string{"version": strconv.FormatInt(d.Version-1, 10)}, "Stor.pdf", ok)
				return res, body(res)
			}},
			{"API multipart, stale version", http.StatusConflict, func() (*http.Response, string) {
				form, ctype := multipartVersion(d.Version-1, "Stor.pdf", ok)
				res, b := u.send(u.coordTok, apiPath, ctype, bytes.NewReader(form))
				return res, string(b)
			}},
			{"API JSON, stale version", http.StatusConflict, func() (*http.Response, string) {
				res, b := u.send(u.coordTok, apiPath, "application/json", bytes.NewReader(jsonBody(ok, d.Version-1)))
				return res, string(b)
			}},
			{"form, cut off", http.StatusUnprocessableEntity, func() (*http.Response, string) {
				form, ctype := multipartVersion(d.Version, "Stor.pdf", ok)
				req, _ := http.NewRequest("POST", u.srv.URL+formPath, bytes.NewReader(form[:len(form)/2]))
				req.Header.Set("Content-Type", ctype)
				res := coord.do(req)
				return res, body(res)
			}},
			{"API JSON, bad base64 at the end", http.StatusUnprocessableEntity, func() (*http.Response, string) {
				b := jsonBody(ok, d.Version)
				b = bytes.Replace(b, []byte(`","file_name"`), []byte(`*","file_name"`), 1)
				res, out := u.send(u.coordTok, apiPath, "application/json", bytes.NewReader(b))
				return res, string(out)
			}},
		} {
			res, text := c.do()
			if res.StatusCode != c.status {
				t.Errorf("%s: %d, want %d: %.300s", c.name, res.StatusCode, c.status, text)
			}
		}
		if after := u.counts(); after != before {
			t.Fatalf("refused uploads stored versions, pieces, events: %v → %v", before, after)
		}
		// A file just under the limit passes.
		form, ctype := multipartVersion(d.Version, "Stor.pdf", ok)
		if res, out := u.send(u.coordTok, apiPath, ctype, bytes.NewReader(form)); res.StatusCode != http.StatusCreated {
			t.Fatalf("under the limit: %d %s", res.StatusCode, out)
		}
		left, _ := os.ReadDir(tmp)
		for _, f := range left {
			if strings.HasPrefix(f.Name(), "isms-upload-") {
				t.Fatalf("temporary file left: %s", f.Name())
			}
		}
	})
}

// The server reads a bounded number of uploads at once (uploads.go):
// with every slot taken and no wait, a further upload is answered 503 with
// Retry-After and stores nothing; once the slot is free, uploads pass.
func TestUploadSlotsRefuseWhenFull(t *testing.T) {
	forEachUploadServer(t, web.Config{MaxUploads: 1, UploadWait: web.NoUploadWait}, func(t *testing.T, u *upEnv) {
		first, second := u.newDoc("Den første"), u.newDoc("Den anden")
		data := largePDF(300<<10, 5)
		hold := u.holdSlot(first, data)
		before := u.counts()
		form, ctype := multipartVersion(second.Version, "Stor.pdf", data)
		res, out := u.send(u.coordTok, u.apiPath(second.ID, "/versions"), ctype, bytes.NewReader(form))
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" || !strings.Contains(string(out), `"unavailable"`) {
			t.Fatalf("API upload with every slot taken: %d %v %s", res.StatusCode, res.Header, out)
		}
		b := u.login(u.coord.Email)
		r := b.upload(fmt.Sprintf("/orgs/%d/documents/%d/versions", u.org.ID, second.ID), map[string]string{"version": strconv.FormatInt(second.Version, 10)}, "Stor.pdf", data)
		if text := body(r); r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" || !strings.Contains(text, "Many files are being uploaded") {
			t.Fatalf("form upload with every slot taken: %d %.300s", r.StatusCode, text)
		}
		res, out = u.send(u.coordTok, fmt.Sprintf("/api/v1/organisations/%d/risks/import?dry_run=1", u.org.ID), "text/csv", strings.NewReader("Aktiv;Trussel\n"))
		if res.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("risk import with every slot taken: %d %s", res.StatusCode, out)
		}
		if after := u.counts(); after != before {
			t.Fatalf("refused uploads stored versions, pieces, events: %v → %v", before, after)
		}
		if res := hold(); res != http.StatusCreated {
			t.Fatalf("the upload that held the slot: %d", res)
		}
		for u.w.UploadsInFlight() != 0 {
			time.Sleep(time.Millisecond)
		}
		res, out = u.send(u.coordTok, u.apiPath(second.ID, "/versions"), ctype, bytes.NewReader(form))
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("API upload once the slot is free: %d %s", res.StatusCode, out)
		}
	})
}

// With a wait, an upload that finds the slots taken waits for one and
// then passes.
func TestUploadSlotsWaitForAFreeOne(t *testing.T) {
	forEachUploadServer(t, web.Config{MaxUploads: 1, UploadWait: time.Hour}, func(t *testing.T, u *upEnv) {
		first, second := u.newDoc("Den første"), u.newDoc("Den anden")
		data := largePDF(300<<10, 6)
		hold := u.holdSlot(first, data)
		done := make(chan int)
		go func() {
			form, ctype := multipartVersion(second.Version, "Stor.pdf", data)
			res, _ := u.send(u.coordTok, u.apiPath(second.ID, "/versions"), ctype, bytes.NewReader(form))
			done <- res.StatusCode
		}()
		for u.w.UploadsQueued() != 1 {
			time.Sleep(time.Millisecond)
		}
		if res := hold(); res != http.StatusCreated {
			t.Fatalf("the upload that held the slot: %d", res)
		}
		if status := <-done; status != http.StatusCreated {
			t.Fatalf("the upload that waited: %d", status)
		}
		if n := u.pieces(first.ID) + u.pieces(second.ID); n != 2 {
			t.Fatalf("%d pieces stored, want 2", n)
		}
	})
}

// holdSlot starts an API upload whose body is sent only in part, and
// returns once the server holds a slot for it; the function it returns
// sends the rest and gives the answer's status.
func (u *upEnv) holdSlot(d *isms.Document, data []byte) func() int {
	u.t.Helper()
	form, ctype := multipartVersion(d.Version, "Stor.pdf", data)
	pr, pw := io.Pipe()
	status := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("POST", u.srv.URL+u.apiPath(d.ID, "/versions"), pr)
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Authorization", "Bearer "+u.coordTok)
		req.ContentLength = int64(len(form))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			status <- 0
			return
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		status <- res.StatusCode
	}()
	half := len(form) / 2
	if _, err := pw.Write(form[:half]); err != nil {
		u.t.Fatal(err)
	}
	for u.w.UploadsInFlight() != 1 {
		time.Sleep(time.Millisecond)
	}
	return func() int {
		pw.Write(form[half:])
		pw.Close()
		return <-status
	}
}
