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
	"time"

	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/web"
)

func init() {
	commands["serve"] = command{"start the web server (default 127.0.0.1:8080, data in ./isms.db)", cmdServe}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func cmdServe(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	db := dbFlag(fs)
	addr := fs.String("addr", envOr("ISMS_ADDR", "127.0.0.1:8080"), "address to listen on (env ISMS_ADDR)")
	secure := fs.Bool("secure-cookies", os.Getenv("ISMS_SECURE_COOKIES") == "true", "mark cookies Secure, for serving over HTTPS (env ISMS_SECURE_COOKIES=true)")
	debug := fs.Bool("debug", os.Getenv("ISMS_DEBUG") == "true", "log every request (env ISMS_DEBUG=true)")
	for _, add := range serveFlags {
		add(fs)
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	level := slog.LevelInfo
	if *debug {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	store, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()

	cfg := web.Config{Logger: log, SecureCookies: *secure, Now: store.Now, Settings: map[string]string{}}
	for _, set := range serveSettings {
		set(cfg.Settings)
	}
	n, err := store.CountUsers(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		cfg.SetupCode = setupCode()
	}
	srv, err := web.New(services(store), cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "ISMS serving at %s (database %s)\n", url, redact(*db))
	if cfg.SetupCode != "" {
		fmt.Fprintf(stdout, "No users yet. Create the first administrator at %s/setup with the one-time code %s\n", url, cfg.SetupCode)
		fmt.Fprintf(stdout, "or on the command line: isms user add --email you@example.org --name \"Your Name\" --admin\n")
	}
	for _, job := range backgroundJobs {
		go job(ctx, store, log)
	}
	hs := srv.HTTPServer(*addr)
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

// Elements that need their own serve flags, settings for the web layer or
// background work (such as sending reminders) add them from their own files.
var (
	serveFlags     []func(fs *flag.FlagSet)
	serveSettings  []func(settings map[string]string)
	backgroundJobs []func(ctx context.Context, store *sqlstore.DB, log *slog.Logger)
)

// services wires the store into the web layer's service set.
func services(store *sqlstore.DB) web.Services {
	return web.Services{
		Users: store, Orgs: store, Audit: store, Overview: store, Checklist: store, Topics: store,
		Documents: store, Wheel: store, Leadership: store, Communication: store, Risk: store, SoA: store,
		Ping: store.Ping, HasRule: sqlstore.HasRule,
	}
}

// setupCode is the one-time code that opens the first-run page.
func setupCode() string {
	b := make([]byte, 10)
	rand.Read(b)
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}
