package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"

	"github.com/ismsdk/isms"
)

// The files of document versions live in document_chunks, in pieces of at
// most docChunkSize bytes, numbered from 0 (migration 0120). A file goes
// in a piece at a time from its temporary file, inside the transaction
// that adds the version, and comes out a piece at a time, each piece read
// by its own short query, so a download neither holds the whole file nor
// keeps a transaction (or SQLite snapshot) open while a slow client reads.
// Versions never change their content once stored, so reading the pieces
// one after another is consistent; a deletion of the content in between
// shows as a missing piece, which stops the download.

// docChunkSize is the size of a piece. Both drivers copy a parameter or a
// column value whole (modernc into SQLite's memory, pgx into its wire
// buffer), so this is also about the most memory one upload or download
// asks of them at a time.
const docChunkSize = 1 << 20

// storeDocChunks copies a version's file into document_chunks.
func (tx *Tx) storeDocChunks(orgID, versionID int64, f *isms.Upload) error {
	buf := make([]byte, min(docChunkSize, f.Size()))
	r := f.Reader()
	var total int64
	for seq := 0; total < f.Size(); seq++ {
		n, err := io.ReadFull(r, buf[:min(int64(len(buf)), f.Size()-total)])
		if err != nil {
			return fmt.Errorf("read the uploaded file: %w", err)
		}
		if _, err := tx.exec("INSERT INTO document_chunks (organisation_id, version_id, seq, data) VALUES (?, ?, ?, ?)",
			orgID, versionID, seq, buf[:n]); err != nil {
			return err
		}
		total += int64(n)
	}
	return nil
}

// DocumentContent opens a version's content for reading. The caller's
// access and the version are checked in one read transaction; the file's
// pieces are read after it, one query each, as Body is read. The first
// piece is read before DocumentContent returns, so a file of one piece has
// passed its checksum by then, and a missing file is an error here rather
// than in the middle of a download.
func (db *DB) DocumentContent(ctx context.Context, orgID, docID int64, number int) (*isms.DocumentContent, error) {
	var out *isms.DocumentContent
	var versionID int64
	err := db.read(ctx, "DocumentContent", func(tx *Tx) error {
		d, _, err := tx.visibleDocument(orgID, docID)
		if err != nil {
			return err
		}
		v, err := tx.docVersion(docID, number)
		if err != nil {
			return err
		}
		if v.ContentDeleted != nil {
			return isms.Errorf(isms.ENotFound, "doc.err.content_deleted", v.ContentDeleted.Format(isms.DateLayout))
		}
		out = &isms.DocumentContent{FileName: v.FileName, MediaType: v.MediaType, SHA256: v.SHA256, Size: v.Size}
		if v.Source != "text" {
			versionID = v.ID
			return nil
		}
		var text sql.NullString
		if err := tx.queryRow("SELECT text_content FROM document_versions WHERE id = ?", v.ID).Scan(&text); err != nil {
			return err
		}
		data := []byte(text.String)
		out.FileName, out.Size = docTextFileName(d.Title, v.Number), int64(len(data))
		if got := docChecksum(data); got != v.SHA256 {
			return docIntegrityError(docID, v.Number, fmt.Sprintf("stored SHA-256 %s, content has %s", v.SHA256, got))
		}
		out.Body = io.NopCloser(bytes.NewReader(data))
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out.Body == nil {
		r := &docContentReader{ctx: ctx, db: db, versionID: versionID, docID: docID, number: number,
			size: out.Size, sum: out.SHA256, h: sha256.New()}
		if r.err = r.fill(); r.err != nil {
			return nil, r.err
		}
		out.Body = r
	}
	return out, nil
}

func docIntegrityError(docID int64, number int, detail string) error {
	return &isms.Error{Code: isms.EInternal, Key: "doc.err.integrity",
		Args: []any{number, fmt.Sprintf("document %d version %d: %s", docID, number, detail)}}
}

// docContentReader reads a file's pieces in order and checks the whole
// against its checksum before it hands out the last piece.
type docContentReader struct {
	ctx       context.Context
	db        *DB
	versionID int64
	docID     int64
	number    int
	size      int64  // the stored size
	sum       string // the stored SHA-256
	h         hash.Hash
	read      int64 // bytes of pieces read from the database
	seq       int   // the next piece
	done      bool  // the last piece was read and the whole checked
	buf       []byte
	off       int   // how much of buf was handed out
	err       error // io.EOF at the end, or what stopped the reading
}

var errContentClosed = errors.New("document content: read after close")

func (r *docContentReader) Read(p []byte) (int, error) {
	for r.off == len(r.buf) {
		if r.err != nil {
			return 0, r.err
		}
		r.err = r.fill()
	}
	n := copy(p, r.buf[r.off:])
	r.off += n
	return n, nil
}

func (r *docContentReader) Close() error {
	r.buf, r.off, r.err = nil, 0, errContentClosed
	return nil
}

// fill reads the next piece into buf; io.EOF when there is none.
func (r *docContentReader) fill() error {
	if r.done {
		return io.EOF
	}
	r.buf, r.off = r.buf[:0], 0
	if r.read < r.size {
		// A reader of its own, so the request's snapshot lets its reader go.
		r.db.leaveSnapshot(r.ctx)
		rows, err := r.db.reader.QueryContext(r.ctx, r.db.rebind("SELECT data FROM document_chunks WHERE version_id = ? AND seq = ?"), r.versionID, r.seq)
		if err != nil {
			return fmt.Errorf("read document content: %w", err)
		}
		if rows.Next() {
			var raw sql.RawBytes
			if err := rows.Scan(&raw); err != nil {
				rows.Close()
				return fmt.Errorf("read document content: %w", err)
			}
			if r.buf == nil {
				r.buf = make([]byte, 0, min(docChunkSize, r.size))
			}
			r.buf = append(r.buf, raw...)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read document content: %w", err)
		}
		if len(r.buf) == 0 {
			return docIntegrityError(r.docID, r.number, fmt.Sprintf("piece %d is missing after %d of %d bytes", r.seq, r.read, r.size))
		}
		r.seq++
		r.read += int64(len(r.buf))
		r.h.Write(r.buf)
		if r.read < r.size {
			return nil
		}
	}
	// The last piece: the whole must match before it is handed out.
	r.done = true
	if got := hex.EncodeToString(r.h.Sum(nil)); r.read != r.size || got != r.sum {
		r.buf = r.buf[:0]
		return docIntegrityError(r.docID, r.number, fmt.Sprintf("stored %d bytes with SHA-256 %s, content has %d bytes with %s", r.size, r.sum, r.read, got))
	}
	return nil
}

// moveLegacyDocContent moves files kept whole in document_versions.content
// (by versions of the program before migration 0120, so also in their
// archives) into document_chunks, with the statements of migration 0120
// itself: every statement of it after the first, which creates the table.
func (tx *Tx) moveLegacyDocContent() error {
	b, err := migrations.ReadFile("migrations/0120_document_chunks.sql")
	if err != nil {
		return err
	}
	stmts := strings.Split(string(b), ";\n")
	for _, s := range stmts[1:] {
		if strings.TrimSpace(s) == "" {
			continue
		}
		if _, err := tx.exec(tx.db.schemaSQL(s)); err != nil {
			return fmt.Errorf("move files into document_chunks: %w", err)
		}
	}
	return nil
}
