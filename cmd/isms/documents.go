package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ismsdk/isms/web"
)

// uploadOptions are serve's flags for uploads. The upload limit of
// document versions (guide 2.8): --max-upload or ISMS_MAX_UPLOAD, in bytes
// or with a unit (KiB, MiB, GiB; KB, MB, GB are read the same); a value
// that is not a size stops the start with a message. Uploads in flight
// (web/uploads.go): --max-uploads or ISMS_MAX_UPLOADS, how many uploads
// (document files, imports) the server reads at once, and --upload-wait or
// ISMS_UPLOAD_WAIT, how long a further one waits for a free slot before it
// is answered 503 with Retry-After.
type uploadOptions struct {
	maxUpload  byteSize
	maxUploads positiveInt
	wait       time.Duration
}

func (o *uploadOptions) declare(fs *flag.FlagSet) {
	o.maxUpload = web.DefaultMaxUpload // the default the help shows
	envVar(fs, &o.maxUpload, "max-upload", "ISMS_MAX_UPLOAD", "largest document file accepted, e.g. 50MiB or 200MiB")
	o.maxUploads = web.DefaultMaxUploadsInFlight
	envVar(fs, &o.maxUploads, "max-uploads", "ISMS_MAX_UPLOADS", "uploads of document files and imports read at once; more wait for a free slot")
	envDurationVar(fs, &o.wait, "upload-wait", "ISMS_UPLOAD_WAIT", web.DefaultUploadWait,
		"how long an upload waits for a free slot before it is answered 503 with Retry-After, e.g. 30s or 0")
}

// configure sets the web layer's upload limits.
func (o *uploadOptions) configure(cfg *web.Config) {
	cfg.MaxUpload = int64(o.maxUpload)
	cfg.MaxUploads = int(o.maxUploads)
	cfg.UploadWait = o.wait
	if o.wait <= 0 { // --upload-wait 0: answer at once
		cfg.UploadWait = web.NoUploadWait
	}
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
