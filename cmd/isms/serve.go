package main

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/ismsdk/isms/metrics"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/web"
)

// serveOptions are serve's flags: its own, and those of the elements that
// configure the web layer (uploads) or run work beside it (reminders).
type serveOptions struct {
	db             string
	addr           string
	secureCookies  bool
	debug          bool
	requireMFA     bool
	trustedProxies prefixList
	setupCode      string
	uploads        uploadOptions // documents.go
	reminders      reminderFlags // reminders.go
	sso            ssoFlags      // sso.go
	ops            opsFlags      // operations.go
}

func (o *serveOptions) declare(fs *flag.FlagSet) {
	dbFlagVar(fs, &o.db)
	envStringVar(fs, &o.addr, "addr", "ISMS_ADDR", "127.0.0.1:8080", "`host:port` to listen on")
	envBoolVar(fs, &o.secureCookies, "secure-cookies", "ISMS_SECURE_COOKIES", false, "mark cookies Secure, for serving over HTTPS (directly or behind a proxy)")
	envBoolVar(fs, &o.debug, "debug", "ISMS_DEBUG", false, "log every request")
	envBoolVar(fs, &o.requireMFA, "require-second-factor", "ISMS_REQUIRE_SECOND_FACTOR", false,
		"require a second factor (authenticator app or passkey) of every local account; one without is sent to set one up at its next login. API tokens are not affected")
	envVar(fs, &o.trustedProxies, "trusted-proxy", "ISMS_TRUSTED_PROXY",
		"the reverse `proxies` in front of the server, comma-separated CIDRs or addresses (10.0.0.0/8,192.0.2.1); only from them is X-Forwarded-For believed, for the client address that login throttling counts")
	envSecret(fs, &o.setupCode, "setup-code", "ISMS_SETUP_CODE",
		"the one-time `code` of the first-run page /setup while no user exists (at least 12 characters); default a random code printed at start. Give every instance behind a load balancer the same code")
	o.uploads.declare(fs)
	o.reminders.register(fs)
	o.sso.declare(fs)
	o.ops.declare(fs)
}

// webConfig is what of the options the web layer needs.
func (o *serveOptions) webConfig(log *slog.Logger, now func() time.Time) web.Config {
	cfg := web.Config{Logger: log, SecureCookies: o.secureCookies, Now: now, TrustedProxies: o.trustedProxies,
		BaseURL:             strings.TrimRight(o.reminders.baseURL, "/"),
		Reminders:           o.reminders.mail.Addr != "",
		RequireSecondFactor: o.requireMFA,
	}
	o.uploads.configure(&cfg)
	o.sso.configure(&cfg)
	return cfg
}

// backgroundJobs is the work serve runs beside the web server: the daily
// tasks (daily.go), with an SMTP server the reminder mails (reminders.go),
// and the notifications of everything assigned, in the inboxes always and
// by mail with an SMTP server (notifications.go). Each run is counted in m
// (nil counts none).
func (o *serveOptions) backgroundJobs(m *metrics.Metrics) []func(ctx context.Context, store *sqlstore.DB, log *slog.Logger) {
	m.Jobs(jobNames()...)
	return []func(ctx context.Context, store *sqlstore.DB, log *slog.Logger){
		func(ctx context.Context, store *sqlstore.DB, log *slog.Logger) {
			runDaily(ctx, store, log, dailyCheck, m)
		},
		func(ctx context.Context, store *sqlstore.DB, log *slog.Logger) {
			runReminderLoop(ctx, store, &o.reminders, log, m)
		},
		func(ctx context.Context, store *sqlstore.DB, log *slog.Logger) {
			f := o.reminders // its own copy: resolve() rewrites the base URL
			runNotificationLoop(ctx, store, &f, log, m)
		},
	}
}

func cmdServe(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var o serveOptions
	o.declare(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	o.setupCode = strings.TrimSpace(o.setupCode) // the page trims what is typed, too
	if o.setupCode != "" && len(o.setupCode) < 12 {
		return usageErrorf("serve: --setup-code: at least 12 characters, or none for a random one")
	}
	if err := o.sso.check(o.reminders.baseURL); err != nil {
		return err
	}
	level := slog.LevelInfo
	if o.debug {
		level = slog.LevelDebug
	}
	log := newLogger(os.Stderr, o.ops.logFormat, level)
	for _, p := range o.trustedProxies {
		if p.Bits() == 0 {
			log.Warn("--trusted-proxy trusts every address: any client can name its own address and escape the login throttle", "proxy", p)
		}
	}

	store, err := openDB(ctx, o.db)
	if err != nil {
		return err
	}
	defer store.Close()

	cfg := o.webConfig(log, store.Now)
	cfg.Metrics = serveMetrics(store)
	cfg.MetricsElsewhere = o.ops.metricsAddr != ""
	// Every mail sent is counted, whichever part of serve sends it.
	o.reminders.mail.Metrics = cfg.Metrics
	n, err := store.CountUsers(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		cfg.SetupCode = o.setupCode
		if cfg.SetupCode == "" {
			cfg.SetupCode = setupCode()
		}
	}
	svc := services(store)
	// Invitations go out through the reminders' SMTP server (mailer.go).
	svc.Mail = o.reminders.mailer(log)
	srv, err := web.New(svc, cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.addr, err)
	}
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "ISMS serving at %s (database %s)\n", url, redact(o.db))
	if cfg.SetupCode != "" {
		if o.setupCode != "" {
			// The operator's own code: a secret kept out of the log.
			fmt.Fprintf(stdout, "No users yet. Create the first administrator at %s/setup with the code given by --setup-code\n", url)
		} else {
			fmt.Fprintf(stdout, "No users yet. Create the first administrator at %s/setup with the one-time code %s\n", url, cfg.SetupCode)
		}
		fmt.Fprintf(stdout, "or on the command line: isms user add --email you@example.org --name \"Your Name\" --admin\n")
	}
	if o.ops.metricsAddr != "" {
		at, err := metricsListener(ctx, o.ops.metricsAddr, srv, log)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Metrics at http://%s/metrics\n", at)
	}
	for _, job := range o.backgroundJobs(cfg.Metrics) {
		go job(ctx, store, log)
	}
	hs := srv.HTTPServer(o.addr)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// services wires the store into the web layer's service set.
func services(store *sqlstore.DB) web.Services {
	return web.Services{
		Users: store, Orgs: store, Audit: store, Overview: store, Checklist: store, Topics: store,
		Documents: store, Wheel: store, Leadership: store, Communication: store, Objectives: store, Incidents: store, Nonconformities: store, Improvements: store, Suppliers: store, Resources: store, Reviews: store, Competence: store, RegisterImports: store, AwarenessParticipation: store, Risk: store, SoA: store,
		Accounts: store, Invitations: store, SSO: store,
		Awareness: store, Acknowledgements: store, IncidentIntake: store, Questionnaires: store, Measurement: store, Notifications: store, InternalAudit: store, OrgArchives: store, SecondFactors: store,
		Ping: store.Ping, HasRule: sqlstore.HasRule, Derived: store.Derived, Snapshot: store.Snapshot,
	}
}

// setupCode is the one-time code that opens the first-run page.
func setupCode() string {
	b := make([]byte, 10)
	rand.Read(b)
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}
