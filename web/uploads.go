package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/ismsdk/isms"
)

// Uploads in flight. An upload of a document file (or of a risk register
// or an SoA to import) takes a temporary file on the disk, a connection for
// as long as the client takes to send it and, at its end, the database's
// writer; an import also parses a workbook in memory. The server takes a
// bounded number of them at once, whatever the number of clients:
//
//   - at most Config.MaxUploads (default DefaultMaxUploadsInFlight;
//     `isms serve --max-uploads`), counted from before the body is read
//     until the version is stored;
//   - a request that finds them all taken waits, its body unread, for up
//     to Config.UploadWait (default DefaultUploadWait; `--upload-wait`), and
//     then gets 503 Service Unavailable with Retry-After; nothing is
//     stored. A browser's form sees the message on the error page.
//
// Memory per upload does not grow with the file (uploads are streamed to
// a temporary file and stored a piece at a time: some 100 KiB while the
// body arrives, about 3 MiB while it is stored), so the limit bounds the
// disk the temporary files take (16 × a 50 MiB upload limit is 800 MiB),
// the work queued behind the database's writer, and imports' workbooks. A
// slot is held while the client sends, so slow senders hold theirs longer;
// the wait is long enough for a few uploads to finish on a busy server.

const (
	DefaultMaxUploadsInFlight = 16
	DefaultUploadWait         = 30 * time.Second
	// NoUploadWait as Config.UploadWait answers at once when every slot
	// is taken (`--upload-wait 0`).
	NoUploadWait time.Duration = -1
)

type uploadLimiter struct {
	slots   chan struct{}
	wait    time.Duration
	waiting atomic.Int64
}

// newUploadLimiter reads the limit and the wait from the settings.
func newUploadLimiter(n int, wait time.Duration) *uploadLimiter {
	if n <= 0 {
		n = DefaultMaxUploadsInFlight
	}
	switch {
	case wait == NoUploadWait:
		wait = 0
	case wait <= 0:
		wait = DefaultUploadWait
	}
	return &uploadLimiter{slots: make(chan struct{}, n), wait: wait}
}

// errUploadsBusy is the answer when every slot stays taken.
func errUploadsBusy() error { return isms.Errorf(isms.EUnavailable, "err.uploads_busy") }

// acquire takes a slot, waiting for one up to the configured time; the
// caller calls release once when the upload is done.
func (l *uploadLimiter) acquire(ctx context.Context) (release func(), err error) {
	release = func() { <-l.slots }
	select {
	case l.slots <- struct{}{}:
		return release, nil
	default:
	}
	if l.wait <= 0 {
		return nil, errUploadsBusy()
	}
	l.waiting.Add(1)
	defer l.waiting.Add(-1)
	t := time.NewTimer(l.wait)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}:
		return release, nil
	case <-t.C:
	case <-ctx.Done():
	}
	return nil, errUploadsBusy()
}

// inFlight is the number of slots taken.
func (l *uploadLimiter) inFlight() int { return len(l.slots) }

// queued is the number of requests waiting for a slot.
func (l *uploadLimiter) queued() int { return int(l.waiting.Load()) }

// Errors of readFormFile.
var (
	errFormBroken   = errors.New("the form is cut off or not a multipart form")
	errFormNoFile   = errors.New("the form has no file")
	errFormTooLarge = errors.New("the file is larger than the limit")
)

// readFormFile reads one file field of a multipart form into memory, at
// most limit bytes, for imports whose parsers need the whole file (a
// workbook is a zip archive, read from its end). It reads the part as it
// arrives, skipping the other fields, unless the form was parsed already
// (the check for NUL characters in text.go parses forms that are small
// enough to hold), in which case it reads the parsed file.
func readFormFile(r *http.Request, field string, limit int64) (name string, data []byte, err error) {
	if r.MultipartForm != nil {
		files := r.MultipartForm.File[field]
		if len(files) == 0 || (files[0].Filename == "" && files[0].Size == 0) {
			return "", nil, errFormNoFile
		}
		if files[0].Size > limit {
			return "", nil, errFormTooLarge
		}
		f, err := files[0].Open()
		if err != nil {
			return "", nil, errFormBroken
		}
		defer f.Close()
		if data, err = io.ReadAll(io.LimitReader(f, limit+1)); err != nil {
			return "", nil, errFormBroken
		}
		return files[0].Filename, data, nil
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, errFormBroken
	}
	found := false
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", nil, formReadError(err)
		}
		if part.FormName() == field && !found {
			found = true
			name = part.FileName()
			if data, err = io.ReadAll(io.LimitReader(part, limit+1)); err != nil {
				return "", nil, formReadError(err)
			}
			if int64(len(data)) > limit {
				return "", nil, errFormTooLarge
			}
		} else if _, err := io.Copy(io.Discard, part); err != nil {
			return "", nil, formReadError(err)
		}
		part.Close()
	}
	if !found || (name == "" && len(data) == 0) {
		return "", nil, errFormNoFile
	}
	return name, data, nil
}

func formReadError(err error) error {
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return errFormTooLarge
	}
	return errFormBroken
}
