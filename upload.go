package isms

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"unicode/utf8"
)

// An uploaded file travels from the request to the database without being
// held whole in memory. The web layer reads it once, as it arrives, into a
// temporary file (SpoolUpload), and measures on the way everything the
// store checks before it keeps a file: its size, its SHA-256, its first
// bytes (what the content is) and whether it is valid UTF-8. The store then
// copies it into the database a piece at a time. So the slow part — reading
// from the network and hashing — happens before the store's write
// transaction begins, and the memory an upload takes does not grow with
// the file. Content the program makes itself (the demo, tests) may come
// from memory instead (UploadBytes).

// UploadHead is how many of the first bytes an Upload keeps: what
// http.DetectContentType looks at to say what a file is.
const UploadHead = 512

// ErrUploadTooLarge is returned by SpoolUpload for content over its limit.
var ErrUploadTooLarge = errors.New("upload: larger than the limit")

// ErrUploadSpool wraps a failure of the temporary file itself (no room on
// the disk, say): the server's fault, not the upload's.
var ErrUploadSpool = errors.New("upload: temporary file")

// Upload is an uploaded file's content with what was measured of it while
// it was read. Only SpoolUpload and UploadBytes make one, so the measures
// always belong to the content. Close it when done.
type Upload struct {
	size int64
	sum  string
	head []byte
	utf8 bool
	data io.ReaderAt
	file *os.File
	path string // removed by Close, where the system kept the name of an open file
}

// Size is the content's length in bytes.
func (u *Upload) Size() int64 { return u.size }

// SHA256 is the hex SHA-256 of the content.
func (u *Upload) SHA256() string { return u.sum }

// Head is the content's first UploadHead bytes (all of it when shorter).
func (u *Upload) Head() []byte { return u.head }

// ValidUTF8 reports whether the whole content is valid UTF-8.
func (u *Upload) ValidUTF8() bool { return u.utf8 }

// Reader reads the content from its start; each call gives a new reader.
func (u *Upload) Reader() io.Reader { return io.NewSectionReader(u.data, 0, u.size) }

// Close releases the temporary file (a nil Upload is fine).
func (u *Upload) Close() error {
	if u == nil || u.file == nil {
		return nil
	}
	err := u.file.Close()
	if u.path != "" {
		os.Remove(u.path)
	}
	u.file = nil
	return err
}

// SpoolUpload reads r to its end into a temporary file in the system's
// temporary folder (TMPDIR), measuring the content on the way. Content over
// limit bytes stops the read with ErrUploadTooLarge; an error of r (a
// cut-off body) is returned as it is. Either way nothing is left behind.
// The temporary file has no name once it is open where the system allows
// that (Linux and other Unix systems), so a crash leaves nothing either.
func SpoolUpload(r io.Reader, limit int64) (*Upload, error) {
	f, err := os.CreateTemp("", "isms-upload-*")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUploadSpool, err)
	}
	u := &Upload{data: f, file: f}
	if os.Remove(f.Name()) != nil {
		u.path = f.Name()
	}
	m := newUploadMeter()
	n, err := io.Copy(io.MultiWriter(spoolWriter{f}, m), io.LimitReader(r, limit+1))
	if err == nil && n > limit {
		err = ErrUploadTooLarge
	}
	if err != nil {
		u.Close()
		return nil, err
	}
	m.finish(u)
	return u, nil
}

// spoolWriter marks the temporary file's write errors as such.
type spoolWriter struct{ f *os.File }

func (w spoolWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil {
		err = fmt.Errorf("%w: %v", ErrUploadSpool, err)
	}
	return n, err
}

// UploadBytes is content the program holds in memory already.
func UploadBytes(b []byte) *Upload {
	u := &Upload{data: bytes.NewReader(b)}
	m := newUploadMeter()
	m.Write(b)
	m.finish(u)
	return u
}

// uploadMeter measures content written to it: length, SHA-256, the first
// bytes, and UTF-8 validity across writes that split a character.
type uploadMeter struct {
	n       int64
	h       hash.Hash
	head    []byte
	valid   bool
	partial []byte // the start of a character cut off at the end of the last write
}

func newUploadMeter() *uploadMeter { return &uploadMeter{h: sha256.New(), valid: true} }

func (m *uploadMeter) Write(p []byte) (int, error) {
	m.n += int64(len(p))
	m.h.Write(p)
	if len(m.head) < UploadHead {
		m.head = append(m.head, p[:min(len(p), UploadHead-len(m.head))]...)
	}
	m.checkUTF8(p)
	return len(p), nil
}

// checkUTF8 validates p as the continuation of what came before.
func (m *uploadMeter) checkUTF8(p []byte) {
	if !m.valid || len(p) == 0 {
		return
	}
	if len(m.partial) > 0 {
		// Finish the character the last write cut off.
		buf := append(m.partial, p[:min(len(p), utf8.UTFMax)]...)
		r, size := utf8.DecodeRune(buf)
		if r == utf8.RuneError && size <= 1 {
			if utf8.FullRune(buf) {
				m.valid = false
				return
			}
			// Still not complete: p was shorter than the rest of it.
			m.partial = buf
			return
		}
		p = p[size-len(m.partial):]
		m.partial = m.partial[:0]
	}
	// Keep an incomplete character at the end for the next write: the last
	// byte that starts a character, if the bytes from it are not complete.
	for i := len(p) - 1; i >= 0 && i >= len(p)-utf8.UTFMax; i-- {
		if utf8.RuneStart(p[i]) {
			if !utf8.FullRune(p[i:]) {
				m.partial = append(m.partial[:0], p[i:]...)
				p = p[:i]
			}
			break
		}
	}
	m.valid = utf8.Valid(p)
}

func (m *uploadMeter) finish(u *Upload) {
	u.size, u.sum, u.head = m.n, hex.EncodeToString(m.h.Sum(nil)), m.head
	u.utf8 = m.valid && len(m.partial) == 0
}
