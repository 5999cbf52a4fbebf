package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/ismsdk/isms/metrics"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/web"
)

// Running serve as a service: the log's format, and the metrics of
// package metrics, served at /metrics on the main address or, with
// --metrics-addr, on a listener of their own.

// opsFlags are serve's flags for the operator's tools.
type opsFlags struct {
	metricsAddr string
	logFormat   logFormat
}

func (f *opsFlags) declare(fs *flag.FlagSet) {
	envStringVar(fs, &f.metricsAddr, "metrics-addr", "ISMS_METRICS_ADDR", "",
		"serve the Prometheus metrics at /metrics on this `host:port` of their own instead of on --addr (e.g. 127.0.0.1:9090, where only the monitoring system reaches)")
	f.logFormat = "text"
	envVar(fs, &f.logFormat, "log-format", "ISMS_LOG_FORMAT", "the log's `format`: text (key=value lines) or json (one JSON object a line, for a log collector)")
}

// logFormat is text or json; any other value is refused when the flags
// are read.
type logFormat string

func (f *logFormat) String() string { return string(*f) }

func (f *logFormat) Set(s string) error {
	switch s {
	case "text", "json":
		*f = logFormat(s)
		return nil
	}
	return fmt.Errorf("want text or json, not %q", s)
}

// newLogger writes the log to w in the format, from the level up.
func newLogger(w io.Writer, format logFormat, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// serveMetrics makes serve's metrics and hooks the store into them: its
// connection pools and the duration of its transactions.
func serveMetrics(store *sqlstore.DB) *metrics.Metrics {
	m := metrics.New()
	m.DBPools(store.Pools())
	store.TxObserver = m.Transaction
	return m
}

// metricsListener serves srv's metrics alone on addr until ctx ends, when
// --metrics-addr asks for it; it answers the address it listens on.
func metricsListener(ctx context.Context, addr string, srv *web.Server, log *slog.Logger) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("listen on %s (--metrics-addr): %w", addr, err)
	}
	hs := &http.Server{Handler: srv.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 16 << 10}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics listener", "err", err)
		}
	}()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(shutdown)
	}()
	return ln.Addr().String(), nil
}
