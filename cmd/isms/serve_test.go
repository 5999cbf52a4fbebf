package main

import (
	"bytes"
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is standard output shared between the server and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// isms serve configured only through the environment: behind a trusted
// proxy the login throttle counts the forwarded client, and the first-run
// page opens with the operator's setup code, which the output does not
// repeat.
func TestServeBehindProxyFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "serve.db")
	code := filepath.Join(dir, "setup-code")
	os.WriteFile(code, []byte("operatørens-egen-kode\n"), 0o600)
	t.Setenv("ISMS_DB", db)
	t.Setenv("ISMS_ADDR", "127.0.0.1:0")
	t.Setenv("ISMS_TRUSTED_PROXY", "127.0.0.1")
	t.Setenv("ISMS_SETUP_CODE_FILE", code)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, strings.NewReader(""), &out) }()
	serving := regexp.MustCompile(`ISMS serving at (http://127\.0\.0\.1:\d+) `)
	var base string
	for deadline := time.Now().Add(30 * time.Second); base == "" && time.Now().Before(deadline); {
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v\n%s", err, out.String())
		case <-time.After(20 * time.Millisecond):
		}
		if m := serving.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		t.Fatalf("serve did not start:\n%s", out.String())
	}
	if o := out.String(); !strings.Contains(o, "/setup with the code given by --setup-code") || strings.Contains(o, "operatørens") {
		t.Fatalf("serve output:\n%s", o)
	}

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path string, form url.Values, forwarded string) int {
		req, _ := http.NewRequest("POST", base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if forwarded != "" {
			req.Header.Set("X-Forwarded-For", forwarded)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if s := post("/login", url.Values{"email": {"nobody@example.org"}, "password": {"wrong password!"}}, "198.51.100.1, 203.0.113.7"); s != http.StatusUnauthorized {
		t.Fatalf("login: %d", s)
	}
	if s := post("/setup", url.Values{"code": {"wrong code, long enough"}, "email": {"admin@example.org"}, "name": {"Admin"},
		"password": {"a long enough password"}, "password2": {"a long enough password"}}, ""); s == http.StatusSeeOther {
		t.Fatal("setup with a wrong code succeeded")
	}
	if s := post("/setup", url.Values{"code": {"operatørens-egen-kode"}, "email": {"admin@example.org"}, "name": {"Admin"},
		"password": {"a long enough password"}, "password2": {"a long enough password"}}, ""); s != http.StatusSeeOther {
		t.Fatalf("setup with the operator's code: %d", s)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	raw, err := sql.Open("sqlite", "file:"+db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query("SELECT throttle_key FROM login_failures ORDER BY throttle_key")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for rows.Next() {
		var k string
		rows.Scan(&k)
		keys = append(keys, k)
	}
	if want := []string{"client:203.0.113.7", "pair:nobody@example.org|203.0.113.7"}; !slices.Equal(keys, want) {
		t.Fatalf("throttle keys %q, want %q", keys, want)
	}
	var users int
	if err := raw.QueryRow("SELECT COUNT(*) FROM users WHERE email = 'admin@example.org'").Scan(&users); err != nil || users != 1 {
		t.Fatalf("administrator made by the setup page: %d, %v", users, err)
	}
}
