package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/ismsdk/isms/metrics"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// parseMetrics reads the Prometheus text format with Prometheus's own
// parser.
func parseMetrics(t *testing.T, res *http.Response) map[string]*dto.MetricFamily {
	t.Helper()
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("metrics: %d", res.StatusCode)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(res.Body)
	if err != nil {
		t.Fatalf("the metrics do not parse: %v", err)
	}
	return fams
}

// gather is m's page, parsed.
func gather(t *testing.T, m *metrics.Metrics) map[string]*dto.MetricFamily {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	return parseMetrics(t, rec.Result())
}

// value is the value of family name's sample for the job (or of its only
// sample, job ""); -1 when there is none.
func value(fams map[string]*dto.MetricFamily, name, job string) float64 {
	for _, m := range fams[name].GetMetric() {
		match := job == ""
		for _, l := range m.GetLabel() {
			if l.GetName() == "job" && l.GetValue() == job {
				match = true
			}
		}
		if !match {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue()
		case m.Gauge != nil:
			return m.GetGauge().GetValue()
		}
	}
	return -1
}

// isms serve --metrics-addr serves the metrics on an address of their own
// and not on the main one; the daily work run at start shows there with
// its runs and its last success.
func TestServeMetricsOnTheirOwnAddress(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("ISMS_DB", filepath.Join(dir, "serve.db"))
	t.Setenv("ISMS_ADDR", "127.0.0.1:0")
	t.Setenv("ISMS_METRICS_ADDR", "127.0.0.1:0")
	t.Setenv("ISMS_LOG_FORMAT", "json")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, strings.NewReader(""), &out) }()
	serving := regexp.MustCompile(`ISMS serving at (http://127\.0\.0\.1:\d+) `)
	metricsAt := regexp.MustCompile(`Metrics at (http://127\.0\.0\.1:\d+/metrics)`)
	var base, metricsURL string
	for deadline := time.Now().Add(30 * time.Second); metricsURL == "" && time.Now().Before(deadline); {
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v\n%s", err, out.String())
		case <-time.After(20 * time.Millisecond):
		}
		if m := serving.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		if m := metricsAt.FindStringSubmatch(out.String()); m != nil {
			metricsURL = m[1]
		}
	}
	if base == "" || metricsURL == "" {
		t.Fatalf("serve did not say where:\n%s", out.String())
	}
	if res, err := http.Get(base + "/metrics"); err != nil || res.StatusCode != 404 {
		t.Fatalf("/metrics on the main address: %v, %v", res.StatusCode, err)
	}
	if res, err := http.Get(base + "/healthz"); err != nil || res.StatusCode != 200 {
		t.Fatalf("/healthz: %v, %v", res.StatusCode, err)
	}
	job := "daily_checklist_snapshots"
	var fams map[string]*dto.MetricFamily
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		res, err := http.Get(metricsURL)
		if err != nil {
			t.Fatal(err)
		}
		fams = parseMetrics(t, res)
		if value(fams, "isms_job_runs_total", job) >= 1 {
			break
		}
	}
	if runs := value(fams, "isms_job_runs_total", job); runs < 1 {
		t.Fatalf("runs of %s: %v", job, runs)
	}
	if last := value(fams, "isms_job_last_success_timestamp_seconds", job); last < float64(time.Now().Add(-time.Minute).Unix()) {
		t.Fatalf("last success of %s: %v", job, last)
	}
	if f := value(fams, "isms_job_failures_total", job); f != 0 {
		t.Fatalf("failures of %s: %v", job, f)
	}
	// Jobs that have not run yet are shown from the start.
	if runs := value(fams, "isms_job_runs_total", "reminders"); runs != 0 {
		t.Fatalf("runs of reminders without SMTP: %v, want 0", runs)
	}
	if fams["go_sql_open_connections"] == nil || fams["isms_mails_sent_total"] == nil {
		t.Fatal("the pools or the mail counters are missing")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestLogFormatFlag(t *testing.T) {
	err := run(context.Background(), []string{"serve", "--log-format", "xml"}, strings.NewReader(""), &bytes.Buffer{})
	var ue *usageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "text or json") {
		t.Fatalf("--log-format xml: %v", err)
	}
	var buf bytes.Buffer
	newLogger(&buf, "json", slog.LevelInfo).Info("hello", "n", 1)
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil || line["msg"] != "hello" || line["n"] != float64(1) {
		t.Fatalf("a JSON log line: %s (%v)", buf.String(), err)
	}
}

// Every mail handed to the SMTP server is counted as sent, every one
// refused as failed.
func TestMailsCounted(t *testing.T) {
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		w := newReminderWorld(t, db)
		mb := startMailbox(t, "127.0.0.1", nil, nil)
		mb.rejectTo = w.owner.Email
		m := metrics.New()
		cfg := mailConfig{Addr: mb.addr, From: "isms@aarhjul.example", Timeout: 10 * time.Second, Metrics: m}
		res, err := sendReminders(context.Background(), db, cfg, "", db.Now)
		if err != nil {
			t.Fatal(err)
		}
		if res.Sent != 1 || res.Failed != 2 {
			t.Fatalf("reminders: %+v", res)
		}
		fams := gather(t, m)
		if sent, failed := value(fams, "isms_mails_sent_total", ""), value(fams, "isms_mails_failed_total", ""); sent != 1 || failed != 2 {
			t.Fatalf("mails counted: %v sent, %v failed; want 1 and 2", sent, failed)
		}
		// Invitations go through the same mailer.
		if err := (smtpMailer{cfg: cfg, now: time.Now}).Send(context.Background(), "Ny", "ny@aarhjul.example", "Invitation", "Hej"); err != nil {
			t.Fatal(err)
		}
		if sent := value(gather(t, m), "isms_mails_sent_total", ""); sent != 2 {
			t.Fatalf("after an invitation: %v sent, want 2", sent)
		}
	})
}
