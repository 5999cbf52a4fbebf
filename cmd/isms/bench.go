package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/loadgen"
)

// isms bench: what the main pages cost over HTTP, against a database made
// with isms generate. The product runs as its own `isms serve` process
// (bench_server.go), so its memory and its start are its own; each page is
// requested at every --concurrency in turn, and beside each run the same
// client requests a bare net/http handler that answers a body of the
// page's size (the floor), the same way at the same concurrency. The
// report ends with issue 9's targets, met or not, with the figures.

// benchLoad is what a run of requests measured. Latency is the client's:
// from sending a request to having read the whole answer.
type benchLoad struct {
	Requests  int     `json:"requests"` // answered 200 within the run
	Errors    int     `json:"errors"`   // failed or answered otherwise
	PerSecond float64 `json:"requests_per_second"`
	MedianMS  float64 `json:"median_ms"` // p50
	P90MS     float64 `json:"p90_ms"`
	P99MS     float64 `json:"p99_ms"`
	MaxMS     float64 `json:"max_ms"`
}

// benchPage is what was measured of one page at one concurrency.
type benchPage struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Path        string `json:"path"`
	Concurrency int    `json:"concurrency"`
	Available   bool   `json:"available"`
	Status      int    `json:"status,omitempty"`  // the answer when not available
	Problem     string `json:"problem,omitempty"` // an error seen, when there was one
	benchLoad
	FirstMS float64 `json:"first_ms"` // the run's first request, before its load
	Bytes   int64   `json:"response_bytes"`
	// Floor is the bare handler's run beside the page's, answering a body
	// of the page's size; RateVsFloor is the page's requests per second
	// over the floor's (1 would be as fast as the floor), MedianVsFloor
	// the page's p50 over the floor's (1 would be as quick).
	Floor         *benchLoad `json:"floor,omitempty"`
	RateVsFloor   float64    `json:"rate_vs_floor,omitempty"`
	MedianVsFloor float64    `json:"median_vs_floor,omitempty"`
	// ServerPeakRSS is the server process's peak resident set during the
	// page's run (its high-water mark is reset before the run where the
	// system allows; see benchServer.PeakReset); ServerRSSBefore and
	// ServerRSS its resident set before and after the run. A run's peak
	// starts from what the server holds before it, which may be memory an
	// earlier, larger page left and the Go runtime has not yet given back.
	// ClientPeakRSS is this process's peak so far: the client, with the
	// floor server.
	ServerPeakRSS   uint64 `json:"server_peak_rss"`
	ServerRSSBefore uint64 `json:"server_rss_before"`
	ServerRSS       uint64 `json:"server_rss"`
	ClientPeakRSS   uint64 `json:"client_peak_rss"`
	primary         bool   // held to the per-page targets (not a file)
}

// benchServer is the product server as measured.
type benchServer struct {
	Command string `json:"command"`
	PID     int    `json:"pid"` // of the server the pages were measured on
	// StartMS are the times from starting the process on the (already
	// migrated) database to the first 200 from /healthz, one per start;
	// the last start is the server the pages are measured on.
	StartMS       []float64 `json:"start_to_healthz_ms"`
	StartBestMS   float64   `json:"start_to_healthz_best_ms"`
	StartMedianMS float64   `json:"start_to_healthz_median_ms"`
	// SettleMS is how long the server worked after its start (its daily
	// tasks) before the first page was measured.
	SettleMS float64 `json:"settle_ms"`
	// PeakRSS is the highest of the pages' server_peak_rss: the server's
	// peak resident set under load.
	PeakRSS uint64 `json:"peak_rss"`
	// PeakReset says whether the high-water mark could be reset before
	// each run; where not, each run's peak is the process's peak so far.
	PeakReset bool `json:"peak_reset"`
}

// benchTarget is one of issue 9's targets, as this run measured it.
type benchTarget struct {
	Target   string `json:"target"`
	Measured bool   `json:"measured"` // the run holds the figures it needs
	Met      bool   `json:"met"`
	Figure   string `json:"figure"`
}

type benchReport struct {
	Machine     benchMachine `json:"machine"`
	Database    string       `json:"database"`
	Dialect     string       `json:"dialect"`
	Org         string       `json:"organisation"`
	OrgID       int64        `json:"organisation_id"`
	Data        []dataCount  `json:"data"`
	Duration    string       `json:"duration_per_page"`
	Concurrency []int        `json:"concurrency"`
	Server      benchServer  `json:"server"`
	// ClientPeakRSS is this process's peak resident set at the end: the
	// client, the floor server, and the store it opened to prepare.
	ClientPeakRSS uint64         `json:"client_peak_rss"`
	Pages         []*benchPage   `json:"pages"` // each page at each concurrency, in turn
	Targets       []*benchTarget `json:"targets"`
	// LoadBefore and LoadAfter are the machine's load averages (1, 5, 15
	// minutes): other work on the machine skews the figures.
	LoadBefore string `json:"load_average_before"`
	LoadAfter  string `json:"load_average_after"`
}

type benchMachine struct {
	CPUs      int    `json:"cpus"`
	CPUModel  string `json:"cpu_model"`
	GoVersion string `json:"go_version"`
	OS        string `json:"os"`
}

type dataCount struct {
	What string `json:"what"`
	N    int    `json:"n"`
}

// concurrencies is --concurrency: one number of requests in flight, or a
// comma-separated list of them, each measured in turn.
type concurrencies []int

func (c *concurrencies) String() string {
	var s []string
	for _, n := range *c {
		s = append(s, strconv.Itoa(n))
	}
	return strings.Join(s, ",")
}

func (c *concurrencies) Set(v string) error {
	var out []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return fmt.Errorf("%q is not a positive number", f)
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	*c = out
	return nil
}

func cmdBench(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	db := dbFlag(fs)
	duration := fs.Duration("duration", 20*time.Second, "how long each page (and its floor) is requested at each concurrency")
	conc := concurrencies{1, 32}
	fs.Var(&conc, "concurrency", "requests in flight at once: a number, or a comma-separated `list` of numbers measured in turn")
	starts := fs.Int("starts", 5, "how many times the server is started to time start to /healthz (the last start serves the pages)")
	email := fs.String("email", loadgen.CoordinatorEmail(), "the member to log in as: the generated coordinator unless given")
	password := fs.String("password", loadgen.Password, "their password: the generated accounts' password unless given")
	orgID := fs.Int64("org", 0, "the organisation's id (default the generated organisation, or the member's first)")
	only := fs.String("pages", "", "comma-separated page keys to measure (default all): "+strings.Join(pageKeys(), ","))
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *duration <= 0 || *starts < 1 {
		return usageErrorf("bench: --duration must be positive and --starts at least 1")
	}
	var keys []string
	if *only != "" {
		keys = strings.Split(*only, ",")
		for _, k := range keys {
			if !slices.Contains(pageKeys(), k) {
				return usageErrorf("bench: --pages: no page %q (the pages: %s)", k, strings.Join(pageKeys(), ","))
			}
		}
	}
	if err := mustExist(*db); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	// Opening the store migrates the database, so that the server's
	// starts below are starts on a migrated database.
	store, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()

	user, err := store.UserByEmail(ctx, *email)
	if err != nil {
		return fmt.Errorf("bench: no member %s in %s (make the data with `isms generate` first, or name one with --email)", *email, redact(*db))
	}
	as := isms.WithActor(ctx, &isms.Actor{UserID: user.ID, Name: user.Name, Email: user.Email, SiteAdmin: user.SiteAdmin})
	org, err := benchOrg(as, store, *orgID)
	if err != nil {
		return err
	}
	riskID, err := loadgen.FirstRisk(as, store, org.ID)
	if err != nil {
		return fmt.Errorf("bench: the register's first risk: %w", describe(err))
	}
	token, tok, err := store.CreateAPIToken(as, user.ID, "isms bench")
	if err != nil {
		return fmt.Errorf("bench: API token: %w", err)
	}
	defer store.DeleteAPIToken(as, tok.ID)

	rep := &benchReport{Machine: machine(), Database: redact(*db), Dialect: dialectName(store.Dialect), Org: org.Name, OrgID: org.ID,
		Duration: duration.String(), Concurrency: conc}
	rep.Data, err = benchData(as, store, org.ID)
	if err != nil {
		return err
	}

	// The product server: started --starts times for the time to
	// /healthz; the last one serves the pages once it has done what it
	// does at start.
	srv, took, err := startTimes(ctx, *db, *starts)
	if err != nil {
		return err
	}
	defer srv.close()
	rep.Server = benchServer{Command: "isms serve --db " + redact(*db) + " --addr 127.0.0.1:0", PID: srv.cmd.Process.Pid,
		StartBestMS: ms(slices.Min(took)), StartMedianMS: ms(medianOf(took))}
	for _, d := range took {
		rep.Server.StartMS = append(rep.Server.StartMS, ms(d))
	}
	rep.Server.SettleMS = ms(srv.settle(ctx))
	rep.Server.PeakReset = srv.resetPeak() == nil

	floor, err := startFloor()
	if err != nil {
		return err
	}
	defer floor.hs.Close()
	client, err := benchLogin(srv.base, *email, *password, slices.Max(conc))
	if err != nil {
		return err
	}

	rep.LoadBefore = loadAverage()
	if !*asJSON {
		printBenchHeader(stdout, rep)
	}
	for _, p := range loadgen.Pages(org.ID) {
		if keys != nil && !slices.Contains(keys, p.Key) {
			continue
		}
		noRisk := p.NeedsRisk() && riskID == 0
		p = p.WithRisk(riskID)
		for _, n := range conc {
			if ctx.Err() != nil {
				break
			}
			bp := &benchPage{Key: p.Key, Name: p.Name, Path: p.Path, Concurrency: n, primary: !p.Binary}
			if noRisk {
				bp.Problem = "the organisation holds no risk"
			} else {
				measurePage(ctx, client, srv, floor, token, p, bp, *duration)
			}
			rep.Pages = append(rep.Pages, bp)
			rep.Server.PeakRSS = max(rep.Server.PeakRSS, bp.ServerPeakRSS)
			if !*asJSON {
				printBenchRow(stdout, bp)
			}
		}
	}
	rep.LoadAfter = loadAverage()
	rep.ClientPeakRSS = procStatus("VmHWM")
	rep.Targets = benchTargets(rep)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printBenchFooter(stdout, rep)
	return ctx.Err()
}

func pageKeys() []string {
	var out []string
	for _, p := range loadgen.Pages(0) {
		out = append(out, p.Key)
	}
	return out
}

// benchOrg is the organisation to measure: the one named, the generated
// one, or the member's first.
func benchOrg(ctx context.Context, store interface {
	Organisations(context.Context) ([]*isms.Organisation, error)
	Organisation(context.Context, int64) (*isms.Organisation, error)
}, id int64) (*isms.Organisation, error) {
	if id != 0 {
		o, err := store.Organisation(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("bench: organisation %d: %w", id, describe(err))
		}
		return o, nil
	}
	orgs, err := store.Organisations(ctx)
	if err != nil {
		return nil, err
	}
	if len(orgs) == 0 {
		return nil, errors.New("bench: the member belongs to no organisation")
	}
	for _, o := range orgs {
		if o.Name == loadgen.OrgName {
			return o, nil
		}
	}
	return orgs[0], nil
}

// benchLogin logs in through the login form, as a browser does, and
// returns a client that carries the session cookie. The jar keeps the
// cookie for the host whatever the port, so the floor's requests carry it
// too, as alike as the page's as they can be.
func benchLogin(base, email, password string, conns int) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = conns * 2
	c := &http.Client{Jar: jar, Transport: tr, Timeout: 2 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(base+"/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		return nil, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("bench: logging in as %s failed (status %d); check --email and --password", email, res.StatusCode)
	}
	return c, nil
}

// benchAnswer is one request's answer.
type benchAnswer struct {
	took        time.Duration
	status      int
	size        int64
	contentType string
	length      bool // the answer said its length (else it came chunked)
}

// benchGet requests a page's path from base, as the page is requested:
// in Danish, and with the bearer token for an API page.
func benchGet(ctx context.Context, c *http.Client, base, token string, p loadgen.Page) (benchAnswer, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", base+p.Path, nil)
	req.Header.Set("Accept-Language", "da")
	if p.API {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	t := time.Now()
	res, err := c.Do(req)
	if err != nil {
		return benchAnswer{}, err
	}
	size, err := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return benchAnswer{took: time.Since(t), status: res.StatusCode, size: size,
		contentType: res.Header.Get("Content-Type"), length: res.ContentLength >= 0}, err
}

// measurePage measures one page at bp.Concurrency, then the floor beside
// it, and the server's memory during the page's run.
func measurePage(ctx context.Context, c *http.Client, srv *measuredServer, floor *floorServer, token string, p loadgen.Page, bp *benchPage, d time.Duration) {
	n := bp.Concurrency
	// Where the mark cannot be reset, the run's peak is the process's
	// peak so far (benchServer.PeakReset says which).
	bp.ServerRSSBefore = srv.status("VmRSS")
	srv.resetPeak()
	first, err := benchGet(ctx, c, srv.base, token, p)
	if err != nil || first.status != http.StatusOK {
		bp.Status = first.status
		if err != nil {
			bp.Problem = err.Error()
		}
		return
	}
	bp.Available, bp.FirstMS, bp.Bytes = true, ms(first.took), first.size
	get := func() (benchAnswer, error) { return benchGet(ctx, c, srv.base, token, p) }
	bp.benchLoad, bp.Problem = load(ctx, get, d, n)
	bp.ServerPeakRSS, bp.ServerRSS = srv.status("VmHWM"), srv.status("VmRSS")

	floor.answer(first.contentType, first.size, first.length)
	fl, problem := load(ctx, func() (benchAnswer, error) { return benchGet(ctx, c, floor.base, token, p) }, d, n)
	bp.Floor = &fl
	if bp.Problem == "" && problem != "" {
		bp.Problem = "floor: " + problem
	}
	if fl.PerSecond > 0 {
		bp.RateVsFloor = bp.PerSecond / fl.PerSecond
	}
	if fl.MedianMS > 0 {
		bp.MedianVsFloor = bp.MedianMS / fl.MedianMS
	}
	bp.ClientPeakRSS = procStatus("VmHWM")
}

// load requests with n requests in flight until d has passed.
func load(ctx context.Context, get func() (benchAnswer, error), d time.Duration, n int) (benchLoad, string) {
	var out benchLoad
	var problem string
	var mu sync.Mutex
	var lat []time.Duration
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	start := time.Now()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			errs, sample := 0, ""
			// Each connection sends at least one request, however short
			// the run.
			for {
				a, err := get()
				switch {
				case err != nil:
					errs, sample = errs+1, err.Error()
				case a.status != http.StatusOK:
					errs, sample = errs+1, fmt.Sprintf("status %d", a.status)
				default:
					mine = append(mine, a.took)
				}
				if !time.Now().Before(deadline) || ctx.Err() != nil {
					break
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			out.Errors += errs
			if sample != "" {
				problem = sample
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	out.Requests = len(lat)
	if len(lat) > 0 {
		out.PerSecond = float64(len(lat)) / elapsed.Seconds()
		out.MedianMS, out.P90MS, out.P99MS, out.MaxMS = ms(pct(lat, 50)), ms(pct(lat, 90)), ms(pct(lat, 99)), ms(lat[len(lat)-1])
	}
	return out, problem
}

// pct is the p-th percentile by the nearest-rank method.
func pct(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	return sorted[max(0, min(len(sorted)-1, i-1))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// procStatus reads a size in kB from /proc/self/status (0 where there is
// no such file).
func procStatus(field string) uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), field+":"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func machine() benchMachine {
	m := benchMachine{CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		s := bufio.NewScanner(f)
		for s.Scan() {
			if k, v, ok := strings.Cut(s.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	return m
}

// loadAverage is the first three fields of /proc/loadavg.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// busy reports whether the one-minute load average before the run shows
// other work using more than half the CPUs.
func busy(load string, cpus int) bool {
	f := strings.Fields(load)
	if len(f) == 0 {
		return false
	}
	l, err := strconv.ParseFloat(f[0], 64)
	return err == nil && l > float64(cpus)*0.5
}

func mb(b uint64) string { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }

func mib(b uint64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

// msText is a latency for the table: two decimals below 10 ms, where the
// floor's figures are.
func msText(v float64) string {
	if v < 10 {
		return fmt.Sprintf("%.2f ms", v)
	}
	return fmt.Sprintf("%.1f ms", v)
}

func printBenchHeader(w io.Writer, r *benchReport) {
	fmt.Fprintf(w, "Machine: %d CPUs, %s, %s, %s\n", r.Machine.CPUs, r.Machine.CPUModel, r.Machine.GoVersion, r.Machine.OS)
	fmt.Fprintf(w, "Database: %s (%s), organisation %q (id %d)\n", r.Database, r.Dialect, r.Org, r.OrgID)
	var parts []string
	for _, c := range r.Data {
		parts = append(parts, fmt.Sprintf("%d %s", c.N, c.What))
	}
	fmt.Fprintf(w, "Data: %s\n", strings.Join(parts, ", "))
	s := r.Server
	fmt.Fprintf(w, "Server: %s, pid %d; start to /healthz best %.1f ms, median %.1f ms of %d starts; settled %.1f s after its start\n",
		s.Command, s.PID, s.StartBestMS, s.StartMedianMS, len(s.StartMS), s.SettleMS/1000)
	fmt.Fprintf(w, "Each page for %s at %s requests in flight, each run followed by its floor for as long; load average %s.\n\n",
		r.Duration, (*concurrencies)(&r.Concurrency).String(), r.LoadBefore)
	fmt.Fprintf(w, "%-14s %5s %8s %8s %9s %9s %9s | %8s %8s %8s | %7s %7s | %9s %15s\n", "", "", "", "", "", "", "",
		"floor", "", "", "÷ floor", "", "", "server RSS")
	fmt.Fprintf(w, "%-14s %5s %8s %8s %9s %9s %9s | %8s %8s %8s | %7s %7s | %9s %15s\n", "page", "conns", "requests", "req/s", "first", "p50", "p99",
		"req/s", "p50", "p99", "req/s", "p50", "bytes", "before → peak")
}

func printBenchRow(w io.Writer, p *benchPage) {
	if !p.Available {
		why := fmt.Sprintf("status %d", p.Status)
		if p.Problem != "" {
			why = p.Problem
		}
		fmt.Fprintf(w, "%-14s %5d unavailable (%s): %s\n", p.Key, p.Concurrency, why, p.Path)
		return
	}
	fl := p.Floor
	if fl == nil {
		fl = &benchLoad{}
	}
	fmt.Fprintf(w, "%-14s %5d %8d %8.1f %9s %9s %9s | %8.0f %8s %8s | %7.2g %6.0f× | %9s %15s", p.Key, p.Concurrency, p.Requests, p.PerSecond,
		msText(p.FirstMS), msText(p.MedianMS), msText(p.P99MS), fl.PerSecond, msText(fl.MedianMS), msText(fl.P99MS),
		p.RateVsFloor, p.MedianVsFloor, fmt.Sprintf("%.1f kB", float64(p.Bytes)/1000),
		fmt.Sprintf("%.0f → %s", float64(p.ServerRSSBefore)/(1<<20), mib(p.ServerPeakRSS)))
	if p.Errors > 0 {
		fmt.Fprintf(w, "  (%d failed: %s)", p.Errors, p.Problem)
	} else if p.Problem != "" {
		fmt.Fprintf(w, "  (%s)", p.Problem)
	}
	fmt.Fprintln(w)
}

func printBenchFooter(w io.Writer, r *benchReport) {
	fmt.Fprintf(w, "\nLoad average before: %s, after: %s", r.LoadBefore, r.LoadAfter)
	if busy(r.LoadBefore, r.Machine.CPUs) {
		fmt.Fprint(w, " — the machine was busy with other work before the run; the figures are skewed, measure again when it is quiet")
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Latency is the client's, over HTTP on loopback: from sending the request to having read the whole answer.")
	fmt.Fprintln(w, "The floor is a bare net/http handler in the client's process answering a fixed body of the page's size, requested the same way;")
	fmt.Fprintln(w, "÷ floor is the page's req/s over the floor's (1 = as fast as bare HTTP) and its p50 over the floor's (1 = as quick).")
	peak := "its peak (VmHWM) during the run, the high-water mark reset before it"
	if !r.Server.PeakReset {
		peak = "its peak (VmHWM) so far, at the end of the run (this system cannot reset the mark)"
	}
	fmt.Fprintf(w, "Server RSS is the server process's resident set before each page's run (it may hold what an earlier page left) → %s.\n", peak)
	fmt.Fprintf(w, "The server's peak under load: %s. The client's process (with the floor) peaked at %s.\n", mib(r.Server.PeakRSS), mib(r.ClientPeakRSS))
	fmt.Fprintln(w, "\nIssue 9's targets (files — the SVG image and the XLSX export — are not held to the per-page latency targets):")
	for _, t := range r.Targets {
		verdict := "met"
		switch {
		case !t.Measured:
			verdict = "not measured"
		case !t.Met:
			verdict = "NOT MET"
		}
		fmt.Fprintf(w, "  %-58s %-12s %s\n", t.Target, verdict, t.Figure)
	}
}
