package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ismsdk/isms/web"
)

// The upload limit of document versions (guide 2.8): --max-upload or
// ISMS_MAX_UPLOAD, in bytes or with a unit (KiB, MiB, GiB; KB, MB, GB are
// read the same). The web layer reads it as "documents.max_upload_bytes".
// A value that is not a size stops the start with a message.
func init() {
	const def = 50 << 20
	var maxUpload byteSize
	serveFlags = append(serveFlags, func(fs *flag.FlagSet) {
		maxUpload = def // each start begins from the default
		envVar(fs, &maxUpload, "max-upload", "ISMS_MAX_UPLOAD", "largest document file accepted, e.g. 50MiB or 200MiB")
	})
	serveSettings = append(serveSettings, func(settings map[string]string) {
		settings["documents.max_upload_bytes"] = strconv.FormatInt(int64(maxUpload), 10)
	})
}

// Uploads in flight (web/uploads.go): --max-uploads or ISMS_MAX_UPLOADS,
// how many uploads (document files, imports) the server reads at once, and
// --upload-wait or ISMS_UPLOAD_WAIT, how long a further one waits for a
// free slot before it is answered 503 with Retry-After. The web layer reads
// them as "uploads.max_in_flight" and "uploads.wait".
func init() {
	var maxUploads positiveInt
	var uploadWait time.Duration
	serveFlags = append(serveFlags, func(fs *flag.FlagSet) {
		maxUploads = web.DefaultMaxUploadsInFlight // each start begins from the default
		envVar(fs, &maxUploads, "max-uploads", "ISMS_MAX_UPLOADS", "uploads of document files and imports read at once; more wait for a free slot")
		envDurationVar(fs, &uploadWait, "upload-wait", "ISMS_UPLOAD_WAIT", web.DefaultUploadWait,
			"how long an upload waits for a free slot before it is answered 503 with Retry-After, e.g. 30s or 0")
	})
	serveSettings = append(serveSettings, func(settings map[string]string) {
		settings["uploads.max_in_flight"] = strconv.Itoa(int(maxUploads))
		settings["uploads.wait"] = uploadWait.String()
	})
}

// positiveInt is a count flag of at least 1.
type positiveInt int

func (n *positiveInt) String() string { return strconv.Itoa(int(*n)) }

func (n *positiveInt) Set(s string) error {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || v < 1 {
		return fmt.Errorf("not a positive number")
	}
	*n = positiveInt(v)
	return nil
}

// byteSize is a size flag: read by parseSize, shown in the largest unit
// that divides it.
type byteSize int64

func (b *byteSize) String() string {
	n := int64(*b)
	for _, u := range []struct {
		name string
		m    int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n != 0 && n%u.m == 0 {
			return strconv.FormatInt(n/u.m, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10)
}

func (b *byteSize) Set(s string) error {
	n, err := parseSize(s)
	if err != nil {
		return err
	}
	*b = byteSize(n)
	return nil
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
