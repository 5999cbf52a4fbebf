package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ismsdk/isms/web"
)

// The upload limit of document versions (guide 2.8): --max-upload or
// ISMS_MAX_UPLOAD, in bytes or with a unit (KiB, MiB, GiB; KB, MB, GB are
// read the same). The web layer reads it as "documents.max_upload_bytes".
// A value that is not a size stops the start with a message.
var maxUploadBytes int64 = 50 << 20

func init() {
	serveFlags = append(serveFlags, func(fs *flag.FlagSet) {
		if v := os.Getenv("ISMS_MAX_UPLOAD"); v != "" {
			if n, err := parseSize(v); err == nil {
				maxUploadBytes = n
			} else {
				fmt.Fprintf(os.Stderr, "isms serve: ISMS_MAX_UPLOAD=%q: %v; using %d bytes\n", v, err, maxUploadBytes)
			}
		}
		fs.Func("max-upload", "largest document file accepted, e.g. 50MiB or 200MiB (default 50MiB; env ISMS_MAX_UPLOAD)", func(s string) error {
			n, err := parseSize(s)
			if err != nil {
				return err
			}
			maxUploadBytes = n
			return nil
		})
	})
	serveSettings = append(serveSettings, func(settings map[string]string) {
		settings["documents.max_upload_bytes"] = strconv.FormatInt(maxUploadBytes, 10)
	})
}

// Uploads in flight (web/uploads.go): --max-uploads or ISMS_MAX_UPLOADS,
// how many uploads (document files, imports) the server reads at once, and
// --upload-wait or ISMS_UPLOAD_WAIT, how long a further one waits for a
// free slot before it is answered 503 with Retry-After. The web layer reads
// them as "uploads.max_in_flight" and "uploads.wait".
var (
	maxUploads = web.DefaultMaxUploadsInFlight
	uploadWait = web.DefaultUploadWait
)

func init() {
	serveFlags = append(serveFlags, func(fs *flag.FlagSet) {
		if v := os.Getenv("ISMS_MAX_UPLOADS"); v != "" {
			if n, err := strconv.Atoi(v); err == nil && n > 0 {
				maxUploads = n
			} else {
				fmt.Fprintf(os.Stderr, "isms serve: ISMS_MAX_UPLOADS=%q is not a positive number; using %d\n", v, maxUploads)
			}
		}
		if v := os.Getenv("ISMS_UPLOAD_WAIT"); v != "" {
			if d, err := time.ParseDuration(v); err == nil && d >= 0 {
				uploadWait = d
			} else {
				fmt.Fprintf(os.Stderr, "isms serve: ISMS_UPLOAD_WAIT=%q is not a duration such as 15s; using %s\n", v, uploadWait)
			}
		}
		fs.Func("max-uploads", fmt.Sprintf("uploads (document files, imports) read at once; more wait (default %d; env ISMS_MAX_UPLOADS)", maxUploads), func(s string) error {
			n, err := strconv.Atoi(s)
			if err != nil || n <= 0 {
				return fmt.Errorf("not a positive number")
			}
			maxUploads = n
			return nil
		})
		fs.Func("upload-wait", fmt.Sprintf("how long an upload waits for a free slot before it is answered 503, e.g. 15s or 0 (default %s; env ISMS_UPLOAD_WAIT)", uploadWait), func(s string) error {
			d, err := time.ParseDuration(s)
			if err != nil || d < 0 {
				return fmt.Errorf("not a duration such as 15s")
			}
			uploadWait = d
			return nil
		})
	})
	serveSettings = append(serveSettings, func(settings map[string]string) {
		settings["uploads.max_in_flight"] = strconv.Itoa(maxUploads)
		settings["uploads.wait"] = uploadWait.String()
	})
}

// parseSize reads a byte count such as 52428800, 50MiB or 1GB.
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(strings.ToUpper(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.m
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("not a positive size")
	}
	if n > (8<<30)/mult {
		return 0, fmt.Errorf("larger than 8 GiB")
	}
	return n * mult, nil
}
