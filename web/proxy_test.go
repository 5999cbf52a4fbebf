package web_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore/sqltest"
	"github.com/ismsdk/isms/web"
)

// clientRecorder passes logins on to the store and keeps the client
// address each was counted against.
type clientRecorder struct {
	isms.UserService
	mu      sync.Mutex
	clients []string
}

func (c *clientRecorder) Authenticate(ctx context.Context, email, password, client string) (*isms.User, error) {
	c.mu.Lock()
	c.clients = append(c.clients, client)
	c.mu.Unlock()
	return c.UserService.Authenticate(ctx, email, password, client)
}

// The login throttle counts the client the trusted proxy names, and only
// a trusted proxy may name one; the request log shows the same address.
func TestLoginBehindTrustedProxy(t *testing.T) {
	t.Parallel()
	db := sqltest.OpenSQLite(t)
	if _, err := db.CreateUser(context.Background(), "admin@example.org", "Site Admin", testPassword, true); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		trusted []netip.Prefix
		header  string
		want    string
	}{
		// httptest's server sees the test as 127.0.0.1.
		{"trusted proxy", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, "203.0.113.7", "203.0.113.7"},
		{"trusted proxy, forged entry first", []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}, "1.1.1.1, 203.0.113.8", "203.0.113.8"},
		{"no trusted proxy", nil, "203.0.113.7", "127.0.0.1"},
		{"another proxy trusted", []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, "203.0.113.7", "127.0.0.1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			users := &clientRecorder{UserService: db}
			services := Services(db)
			services.Users = users
			var logged bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
			w, err := web.New(services, web.Config{Now: db.Now, Logger: log, TrustedProxies: c.trusted})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(w)
			defer srv.Close()
			form := url.Values{"email": {"nobody@example.org"}, "password": {"wrong password!"}}
			req, _ := http.NewRequest("POST", srv.URL+"/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", c.header)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status %d", res.StatusCode)
			}
			users.mu.Lock()
			defer users.mu.Unlock()
			if len(users.clients) != 1 || users.clients[0] != c.want {
				t.Fatalf("throttle keys %q, want [%q]", users.clients, c.want)
			}
			if line := logged.String(); !strings.Contains(line, "path=/login ") || !strings.Contains(line, " status=401 ") || !strings.Contains(line, " client="+c.want+" request_id=") {
				t.Fatalf("request log: %s", line)
			}
		})
	}
}
