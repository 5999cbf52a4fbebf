package sqlstore_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// Files are stored in pieces of 1 MiB (document_chunks) and read back a
// piece at a time; these tests use files of several pieces.

const piece = 1 << 20

// bigPDF is a file of the given size: a PDF header, then pseudo-random
// bytes from the seed.
func bigPDF(size int, seed uint64) []byte {
	b := make([]byte, size)
	var key [32]byte
	key[0] = byte(seed)
	rand.NewChaCha8(key).Read(b)
	copy(b, "%PDF-1.7\n")
	return b
}

// spool makes an upload from data as the web layer does, through a
// temporary file.
func spool(t testing.TB, data []byte) *isms.Upload {
	t.Helper()
	u, err := isms.SpoolUpload(bytes.NewReader(data), 64<<20)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { u.Close() })
	return u
}

// versionPieces counts a version's pieces and their largest length.
func versionPieces(t *testing.T, db *rawDB, docID int64, number int) (n, largest int64) {
	t.Helper()
	q := "FROM document_chunks WHERE version_id = (SELECT id FROM document_versions WHERE document_id = ? AND number = ?)"
	return db.int(t, "SELECT COUNT(*) "+q, docID, number), db.int(t, "SELECT COALESCE(MAX(length(data)), 0) "+q, docID, number)
}

func TestLargeFileRoundTrip(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newDocFixture(t, db.DB)
		for i, c := range []struct {
			size   int
			pieces int64
		}{{3*piece + 12345, 4}, {2 * piece, 2}, {5, 1}, {piece + 1, 2}} {
			d := f.doc(t, db.DB, isms.DocumentInput{Title: fmt.Sprintf("Stor fil %d", i)})
			data := bigPDF(c.size, uint64(i))
			up := spool(t, data)
			if i%2 == 1 {
				up = isms.UploadBytes(data) // from memory, as the demo adds files
			}
			v, err := db.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{FileName: "Stor.pdf", File: up, Version: d.Version})
			if err != nil {
				t.Fatal(err)
			}
			if v.Size != int64(c.size) || v.SHA256 != docSum(data) || v.MediaType != "application/pdf" {
				t.Fatalf("%d bytes: version %+v", c.size, v)
			}
			if n, largest := versionPieces(t, db, d.ID, 1); n != c.pieces || largest > piece {
				t.Fatalf("%d bytes: %d pieces, largest %d; want %d of at most %d", c.size, n, largest, c.pieces, piece)
			}
			if n := db.int(t, "SELECT COUNT(*) FROM document_versions WHERE document_id = ? AND content IS NOT NULL", d.ID); n != 0 {
				t.Fatalf("the file is also kept whole")
			}
			cont, got, err := readDocContent(as(f.reader), db.DB, f.org.ID, d.ID, 1)
			if err != nil || !bytes.Equal(got, data) || cont.Size != int64(c.size) || cont.SHA256 != docSum(got) {
				t.Fatalf("%d bytes: read back %d bytes, %v", c.size, len(got), err)
			}
		}
	})
}

func TestRefusedFileUploadsStoreNothing(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newDocFixture(t, db.DB)
		d := f.doc(t, db.DB, isms.DocumentInput{})
		// A change of the document, so an older version of it exists to be
		// stale with.
		d, err := db.UpdateDocument(as(f.coord), f.org.ID, d.ID, isms.DocumentInput{Kind: d.Kind, Title: d.Title + " (ændret)", Version: d.Version})
		if err != nil {
			t.Fatal(err)
		}
		data := bigPDF(2*piece+7, 9)
		counts := func() [3]int64 {
			return [3]int64{docCountRows(t, db, "document_versions"), docCountRows(t, db, "document_chunks"), docCountRows(t, db, "audit_events")}
		}
		before := counts()
		for _, c := range []struct {
			name string
			as   *isms.User
			org  int64
			in   isms.VersionInput
			code string
		}{
			{"a reader", f.reader, f.org.ID, isms.VersionInput{FileName: "Stor.pdf", File: spool(t, data), Version: d.Version}, isms.EForbidden},
			{"another organisation's member", f.outsider, f.org.ID, isms.VersionInput{FileName: "Stor.pdf", File: spool(t, data), Version: d.Version}, isms.ENotFound},
			{"a stale version", f.coord, f.org.ID, isms.VersionInput{FileName: "Stor.pdf", File: spool(t, data), Version: d.Version - 1}, isms.EConflict},
			{"a refused format", f.coord, f.org.ID, isms.VersionInput{FileName: "Stor.exe", File: spool(t, data), Version: d.Version}, isms.EInvalid},
			{"content that is not its format", f.coord, f.org.ID, isms.VersionInput{FileName: "Stor.docx", File: spool(t, data), Version: d.Version}, isms.EInvalid},
			{"a file and text", f.coord, f.org.ID, isms.VersionInput{FileName: "Stor.pdf", File: spool(t, data), Text: "tekst", Version: d.Version}, isms.EInvalid},
		} {
			_, err := db.AddDocumentVersion(as(c.as), c.org, d.ID, c.in)
			if isms.ErrorCode(err) != c.code {
				t.Errorf("%s: %v, want %s", c.name, err, c.code)
			}
		}
		if after := counts(); after != before {
			t.Fatalf("refused uploads stored versions, pieces, events: %v → %v", before, after)
		}
		// With a draft open, a second file is refused and stores nothing.
		if _, err := db.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{FileName: "Stor.pdf", File: spool(t, data), Version: d.Version}); err != nil {
			t.Fatal(err)
		}
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		before = counts()
		_, err = db.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{FileName: "Stor.pdf", File: spool(t, data), Version: d.Version})
		wantCode(t, err, isms.EInvalid)
		if after := counts(); after != before {
			t.Fatalf("a second open version stored versions, pieces, events: %v → %v", before, after)
		}
	})
}

// A file whose pieces were changed or lost in the database is never handed
// out whole: the reader fails before the last piece.
func TestTamperedPiecesAreNotServed(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newDocFixture(t, db.DB)
		size := 3*piece + 100
		last := int64(100)
		for _, c := range []struct {
			name   string
			change func(versionID int64)
		}{
			{"a middle piece changed", func(id int64) {
				db.exec(t, "UPDATE document_chunks SET data = ? WHERE version_id = ? AND seq = 1", bigPDF(piece, 77), id)
			}},
			{"the last piece changed", func(id int64) {
				db.exec(t, "UPDATE document_chunks SET data = ? WHERE version_id = ? AND seq = 3", bytes.Repeat([]byte("x"), int(last)), id)
			}},
			{"a piece lost", func(id int64) { db.exec(t, "DELETE FROM document_chunks WHERE version_id = ? AND seq = 2", id) }},
			{"a piece cut short", func(id int64) {
				db.exec(t, "UPDATE document_chunks SET data = ? WHERE version_id = ? AND seq = 0", []byte("%PDF-1.7\n"), id)
			}},
		} {
			d := f.doc(t, db.DB, isms.DocumentInput{Title: c.name})
			data := bigPDF(size, 3)
			v, err := db.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{FileName: "Stor.pdf", File: spool(t, data), Version: d.Version})
			if err != nil {
				t.Fatal(err)
			}
			c.change(v.ID)
			cont, err := db.DocumentContent(as(f.coord), f.org.ID, d.ID, 1)
			if err != nil {
				t.Fatalf("%s: opening: %v", c.name, err)
			}
			got, err := io.ReadAll(cont.Body)
			cont.Body.Close()
			if e := isms.AsError(err); e == nil || e.Key != "doc.err.integrity" {
				t.Fatalf("%s: %v, want the integrity error", c.name, err)
			}
			if int64(len(got)) > int64(size)-last {
				t.Fatalf("%s: %d of %d bytes handed out, the last piece among them", c.name, len(got), size)
			}
		}
	})
}

// Chunked files come back from an archive byte for byte, across dialects.
func TestChunkedContentSurvivesBackupAndRestore(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, src *sqlstore.DB) {
		f := newDocFixture(t, src)
		d := f.doc(t, src, isms.DocumentInput{})
		data := bigPDF(2*piece+4321, 5)
		if _, err := src.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{FileName: "Stor.pdf", File: spool(t, data), Version: d.Version}); err != nil {
			t.Fatal(err)
		}
		var archive bytes.Buffer
		if err := src.Backup(asSystem(), &archive); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(archive.String(), `{"table":"document_chunks"`) {
			t.Fatal("the archive has no document_chunks table")
		}
		for _, dst := range []*sqlstore.DB{sqltest.OpenSQLite(t), sqltest.OpenPostgres(t)} {
			if err := dst.Restore(asSystem(), bytes.NewReader(archive.Bytes())); err != nil {
				t.Fatal(err)
			}
			_, got, err := readDocContent(as(f.coord), dst, f.org.ID, d.ID, 1)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("restored content: %d bytes, %v", len(got), err)
			}
		}
	})
}

// An archive made before files were kept in pieces (migration 0120) holds
// each file whole in document_versions.content and no document_chunks;
// it restores, and its files are moved into pieces as the migration moved
// the files of a database it upgraded.
func TestArchiveWithWholeFilesRestores(t *testing.T) {
	t.Parallel()
	src := sqltest.OpenSQLite(t)
	f := newDocFixture(t, src)
	d := f.doc(t, src, isms.DocumentInput{})
	data := bigPDF(2*piece+99, 6)
	if _, err := src.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{FileName: "Stor.pdf", File: spool(t, data), Version: d.Version}); err != nil {
		t.Fatal(err)
	}
	text := "# Tekst\n\nEn tekstversion står i sin række."
	d, _ = src.Document(as(f.coord), f.org.ID, d.ID)
	if _, err := src.TransitionDocumentVersion(as(f.coord), f.org.ID, d.ID, 1, isms.TransitionInput{Action: isms.TransitionWithdraw, Comment: "ny", Version: d.Version}); err != nil {
		t.Fatal(err)
	}
	d, _ = src.Document(as(f.coord), f.org.ID, d.ID)
	if _, err := src.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{Text: text, Version: d.Version}); err != nil {
		t.Fatal(err)
	}
	var archive bytes.Buffer
	if err := src.Backup(asSystem(), &archive); err != nil {
		t.Fatal(err)
	}
	old := wholeFileArchive(t, archive.Bytes())
	if bytes.Contains(old, []byte(`{"table":"document_chunks"`)) || !bytes.Contains(old, []byte(base64.StdEncoding.EncodeToString(data[:300]))) {
		t.Fatal("the archive was not made into the old form")
	}
	forEachRawDB(t, func(t *testing.T, dst *rawDB) {
		if err := dst.Restore(asSystem(), bytes.NewReader(old)); err != nil {
			t.Fatal(err)
		}
		_, got, err := readDocContent(as(f.coord), dst.DB, f.org.ID, d.ID, 1)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("restored file: %d bytes, %v", len(got), err)
		}
		if _, got, err := readDocContent(as(f.coord), dst.DB, f.org.ID, d.ID, 2); err != nil || string(got) != text {
			t.Fatalf("restored text: %q, %v", got, err)
		}
		if n, largest := versionPieces(t, dst, d.ID, 1); n != 3 || largest != piece {
			t.Fatalf("%d pieces, largest %d", n, largest)
		}
		if n := dst.int(t, "SELECT COUNT(*) FROM document_versions WHERE content IS NOT NULL"); n != 0 {
			t.Fatalf("%d versions keep their file whole", n)
		}
		if n := dst.int(t, "SELECT COUNT(*) FROM schema_migrations WHERE version = 120"); n != 1 {
			t.Fatal("migration 0120 is not recorded after the restore")
		}
	})
}

// wholeFileArchive rewrites an archive as the program wrote it before
// migration 0120: each version's pieces joined into document_versions'
// content column, no document_chunks table, no migration 120 in the header,
// and the closing line's counts and checksum made again.
func wholeFileArchive(t *testing.T, archive []byte) []byte {
	t.Helper()
	var lines [][]byte
	s := bufio.NewScanner(bytes.NewReader(archive))
	s.Buffer(nil, 16<<20)
	for s.Scan() {
		lines = append(lines, bytes.Clone(s.Bytes()))
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	// The pieces of each version, in order.
	files := map[int64][]byte{}
	table := ""
	var chunkRows int64
	for _, l := range lines[1 : len(lines)-1] {
		if l[0] == '{' {
			var h struct{ Table string }
			json.Unmarshal(l, &h)
			table = h.Table
			continue
		}
		if table == "document_chunks" {
			var row []json.RawMessage // organisation_id, version_id, seq, data
			var id int64
			var blob struct{ B64 string }
			json.Unmarshal(l, &row)
			json.Unmarshal(row[1], &id)
			json.Unmarshal(row[3], &blob)
			b, _ := base64.StdEncoding.DecodeString(blob.B64)
			files[id] = append(files[id], b...) // rows come ordered by version and piece
			chunkRows++
		}
	}
	if len(files) == 0 {
		t.Fatal("no pieces in the archive")
	}
	var out bytes.Buffer
	var header map[string]any
	json.Unmarshal(lines[0], &header)
	var migrations []any
	for _, m := range header["migrations"].([]any) {
		if m.(float64) != 120 {
			migrations = append(migrations, m)
		}
	}
	header["migrations"] = migrations
	hb, _ := json.Marshal(header)
	out.Write(append(hb, '\n'))
	var end struct {
		End struct {
			Tables int    `json:"tables"`
			Rows   int64  `json:"rows"`
			SHA256 string `json:"sha256"`
		} `json:"end"`
	}
	json.Unmarshal(lines[len(lines)-1], &end)
	table, contentCol, idCol := "", -1, -1
	for _, l := range lines[1 : len(lines)-1] {
		if l[0] == '{' {
			var h struct {
				Table   string
				Columns []string
			}
			json.Unmarshal(l, &h)
			table = h.Table
			if table == "document_versions" {
				contentCol, idCol = slices.Index(h.Columns, "content"), slices.Index(h.Columns, "id")
			}
		}
		if table == "document_chunks" {
			continue
		}
		if table == "document_versions" && l[0] == '[' {
			var row []json.RawMessage
			var id int64
			json.Unmarshal(l, &row)
			json.Unmarshal(row[idCol], &id)
			if b, ok := files[id]; ok {
				row[contentCol], _ = json.Marshal(map[string]string{"b64": base64.StdEncoding.EncodeToString(b)})
			}
			l, _ = json.Marshal(row)
		}
		out.Write(append(l, '\n'))
	}
	sum := sha256.Sum256(out.Bytes())
	end.End.Tables--
	end.End.Rows -= chunkRows
	end.End.SHA256 = hex.EncodeToString(sum[:])
	eb, _ := json.Marshal(end)
	out.Write(append(eb, '\n'))
	return out.Bytes()
}
