package main

import (
	"flag"
	"testing"
)

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"52428800": 52428800, "50MiB": 50 << 20, "50 mb": 50 << 20, "1GiB": 1 << 30, "512KiB": 512 << 10, "200M": 200 << 20} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-5MiB", "lots", "9GiB", "1.5MiB"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) accepted", in)
		}
	}
}

// The serve flag reaches the web layer's settings; a bad value stops the
// start.
func TestMaxUploadFlag(t *testing.T) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var o serveOptions
	o.declare(fs)
	if err := fs.Parse([]string{"--max-upload", "200MiB"}); err != nil {
		t.Fatal(err)
	}
	if cfg := o.webConfig(nil, nil); cfg.MaxUpload != 209715200 {
		t.Fatalf("web config %+v", cfg)
	}
	fs = flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(new(nopWriter))
	o = serveOptions{}
	o.declare(fs)
	if err := fs.Parse([]string{"--max-upload", "huge"}); err == nil {
		t.Fatal("a bad size was accepted")
	}
}

type nopWriter struct{}

func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }
