// Package metrics counts what an operator watches the service by, in the
// Prometheus text format (the official client library): the requests by
// route and status, the database's connection pools and transactions, the
// background jobs and the mails. It holds counts and durations only, never
// a name, an e-mail address, a record's title or an id from a path, so the
// page may be read by a monitoring system without seeing anything of an
// organisation's ISMS.
//
// Each Metrics has its own registry (not the library's global default):
// the server owns it, and each test's server counts for itself.
package metrics

import (
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is one server's set of metrics. Its methods may be called on a
// nil *Metrics, which counts nothing: the command-line verbs that run a job
// once (`isms reminders send`) share the code serve runs, without a page
// to show the counts on.
type Metrics struct {
	reg *prometheus.Registry

	requests        *prometheus.CounterVec
	requestDuration *prometheus.HistogramVec
	txDuration      *prometheus.HistogramVec
	jobRuns         *prometheus.CounterVec
	jobFailures     *prometheus.CounterVec
	jobLastSuccess  *prometheus.GaugeVec
	jobDuration     *prometheus.HistogramVec
	mailsSent       prometheus.Counter
	mailsFailed     prometheus.Counter
}

// New makes a set of metrics with a registry of its own, which also holds
// the Go runtime's and the process's standard metrics.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "isms_http_requests_total",
		Help: "HTTP requests answered, by method, route pattern (as registered, e.g. \"GET /orgs/{org}/risks/{id}\"; \"none\" when no route matched) and status code.",
	}, []string{"method", "route", "code"})
	m.requestDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "isms_http_request_duration_seconds",
		Help:    "Time from a request's arrival until its handler returned, by method, route pattern and status code.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"method", "route", "code"})
	m.txDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "isms_db_transaction_duration_seconds",
		Help:    "How long database transactions were open, by kind: read (one read, or the reads of a page sharing one snapshot) or write (a change with its audit event).",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
	}, []string{"kind"})
	m.jobRuns = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "isms_job_runs_total",
		Help: "Runs of a background job (the daily tasks, reminders, notifications), whatever their outcome.",
	}, []string{"job"})
	m.jobFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "isms_job_failures_total",
		Help: "Runs of a background job that failed (the log says why).",
	}, []string{"job"})
	m.jobLastSuccess = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "isms_job_last_success_timestamp_seconds",
		Help: "When a background job last ran without error, in seconds since 1970 (0: not yet since start).",
	}, []string{"job"})
	m.jobDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "isms_job_duration_seconds",
		Help:    "How long a background job's run took.",
		Buckets: []float64{.01, .05, .1, .5, 1, 5, 10, 30, 60, 300},
	}, []string{"job"})
	m.mailsSent = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "isms_mails_sent_total",
		Help: "Mails handed to the SMTP server (reminders, notifications, invitations, supplier questionnaires).",
	})
	m.mailsFailed = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "isms_mails_failed_total",
		Help: "Mails that could not be handed to the SMTP server; reminders and notifications are tried again.",
	})
	m.reg.MustRegister(m.requests, m.requestDuration, m.txDuration,
		m.jobRuns, m.jobFailures, m.jobLastSuccess, m.jobDuration, m.mailsSent, m.mailsFailed,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is the registry the metrics are kept in.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// knownMethods are the methods counted by name; any other is "other", so
// that a client sending made-up methods cannot grow the label set.
var knownMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true,
}

// Request counts one answered request. route is the pattern of the
// ServeMux that matched it (http.Request.Pattern), never the path: a path
// holds ids, and every id would be a series of its own.
func (m *Metrics) Request(method, route string, status int, d time.Duration) {
	if m == nil {
		return
	}
	if !knownMethods[method] {
		method = "other"
	}
	if route == "" {
		route = "none"
	}
	code := strconv.Itoa(status)
	m.requests.WithLabelValues(method, route, code).Inc()
	m.requestDuration.WithLabelValues(method, route, code).Observe(d.Seconds())
}

// Transaction records how long a database transaction of a kind ("read"
// or "write") was open. It has the shape of sqlstore.DB's TxObserver.
func (m *Metrics) Transaction(kind string, d time.Duration) {
	if m == nil {
		return
	}
	m.txDuration.WithLabelValues(kind).Observe(d.Seconds())
}

// Jobs shows the named jobs on the page before their first run, with no
// runs and no success yet, so an alert on a job that never succeeds has a
// series to look at from the start.
func (m *Metrics) Jobs(names ...string) {
	if m == nil {
		return
	}
	for _, name := range names {
		m.jobRuns.WithLabelValues(name)
		m.jobFailures.WithLabelValues(name)
		m.jobLastSuccess.WithLabelValues(name)
	}
}

// JobRun records one run of a background job: when it started and how it
// ended.
func (m *Metrics) JobRun(name string, started time.Time, err error) {
	if m == nil {
		return
	}
	m.jobRuns.WithLabelValues(name).Inc()
	m.jobDuration.WithLabelValues(name).Observe(time.Since(started).Seconds())
	if err != nil {
		m.jobFailures.WithLabelValues(name).Inc()
		return
	}
	m.jobLastSuccess.WithLabelValues(name).SetToCurrentTime()
}

// Mail counts one mail handed to the SMTP server (err nil) or not.
func (m *Metrics) Mail(err error) {
	if m == nil {
		return
	}
	if err != nil {
		m.mailsFailed.Inc()
		return
	}
	m.mailsSent.Inc()
}

// DBPools shows the database's connection pools, each under its name:
// connections open, in use and idle, and how often and how long requests
// waited for one (the library's collector of sql.DBStats).
func (m *Metrics) DBPools(pools map[string]*sql.DB) {
	if m == nil {
		return
	}
	for name, db := range pools {
		m.reg.MustRegister(collectors.NewDBStatsCollector(db, name))
	}
}
