package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/loadgen"
	"github.com/ismsdk/isms/web"
)

// benchPage is what was measured of one page.
type benchPage struct {
	Key         string  `json:"key"`
	Name        string  `json:"name"`
	Path        string  `json:"path"`
	Available   bool    `json:"available"`
	Status      int     `json:"status,omitempty"` // the answer when not available
	Requests    int     `json:"requests"`
	Errors      int     `json:"errors"`
	PerSecond   float64 `json:"requests_per_second"`
	FirstMS     float64 `json:"first_ms"` // the first request, before anything is warm
	MedianMS    float64 `json:"median_ms"`
	P90MS       float64 `json:"p90_ms"`
	P99MS       float64 `json:"p99_ms"`
	MaxMS       float64 `json:"max_ms"`
	Bytes       int64   `json:"response_bytes"`
	HeapBefore  uint64  `json:"heap_inuse_before"`
	HeapAfter   uint64  `json:"heap_inuse_after"`
	PeakBefore  uint64  `json:"peak_rss_before"`
	PeakAfter   uint64  `json:"peak_rss_after"`
	errorSample string
}

type benchReport struct {
	Machine     benchMachine `json:"machine"`
	Database    string       `json:"database"`
	Dialect     string       `json:"dialect"`
	Org         string       `json:"organisation"`
	OrgID       int64        `json:"organisation_id"`
	Data        []dataCount  `json:"data"`
	Duration    string       `json:"duration_per_page"`
	Concurrency int          `json:"concurrency"`
	Pages       []*benchPage `json:"pages"`
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

func cmdBench(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	db := dbFlag(fs)
	duration := fs.Duration("duration", 20*time.Second, "how long each page is requested")
	concurrency := fs.Int("concurrency", 4, "requests in flight at once")
	email := fs.String("email", loadgen.CoordinatorEmail(), "the member to log in as: the generated coordinator unless given")
	password := fs.String("password", loadgen.Password, "their password: the generated accounts' password unless given")
	orgID := fs.Int64("org", 0, "the organisation's id (default the generated organisation, or the member's first)")
	only := fs.String("pages", "", "comma-separated page keys to measure (default all): "+strings.Join(pageKeys(), ","))
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *concurrency < 1 || *duration <= 0 {
		return fmt.Errorf("bench: --concurrency must be at least 1 and --duration positive")
	}
	if err := mustExist(*db); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
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

	// The server, wired exactly as `isms serve` wires it, on a free
	// loopback port in this process.
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cfg := web.Config{Logger: log, Now: store.Now}
	srv, err := web.New(services(store), cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := srv.HTTPServer(ln.Addr().String())
	go hs.Serve(ln)
	defer hs.Close()
	base := "http://" + ln.Addr().String()

	client, err := benchLogin(base, *email, *password, *concurrency)
	if err != nil {
		return err
	}
	token, tok, err := store.CreateAPIToken(as, user.ID, "isms bench")
	if err != nil {
		return fmt.Errorf("bench: API token: %w", err)
	}
	defer store.DeleteAPIToken(as, tok.ID)

	rep := &benchReport{Machine: machine(), Database: redact(*db), Dialect: dialectName(store.Dialect), Org: org.Name, OrgID: org.ID,
		Duration: duration.String(), Concurrency: *concurrency}
	rep.Data, err = benchData(as, store, org.ID)
	if err != nil {
		return err
	}
	rep.LoadBefore = loadAverage()
	if !*asJSON {
		printBenchHeader(stdout, rep)
	}
	var keys []string
	if *only != "" {
		keys = strings.Split(*only, ",")
	}
	for _, p := range loadgen.Pages(org.ID) {
		if keys != nil && !slices.Contains(keys, p.Key) {
			continue
		}
		if ctx.Err() != nil {
			break
		}
		bp := measure(ctx, client, base, token, p, *duration, *concurrency)
		rep.Pages = append(rep.Pages, bp)
		if !*asJSON {
			printBenchRow(stdout, bp)
		}
	}
	rep.LoadAfter = loadAverage()
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	fmt.Fprintf(stdout, "\nLoad average before: %s, after: %s", rep.LoadBefore, rep.LoadAfter)
	if busy(rep.LoadBefore, rep.Machine.CPUs) {
		fmt.Fprint(stdout, " — the machine was busy with other work before the run; the figures are skewed, measure again when it is quiet")
	}
	fmt.Fprintln(stdout)
	fmt.Fprintln(stdout, "Latency is measured by the client over HTTP on loopback: from sending the request to reading the whole answer.")
	fmt.Fprintln(stdout, "Memory is the whole process (server and client): Go heap in use, and the peak resident set (VmHWM), before → after each page.")
	return nil
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
// returns a client that carries the session cookie.
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

// measure requests one page for d with n requests in flight.
func measure(ctx context.Context, c *http.Client, base, token string, p loadgen.Page, d time.Duration, n int) *benchPage {
	bp := &benchPage{Key: p.Key, Name: p.Name, Path: p.Path}
	get := func() (time.Duration, int, int64, error) {
		req, _ := http.NewRequestWithContext(ctx, "GET", base+p.Path, nil)
		req.Header.Set("Accept-Language", "da")
		if p.API {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		t := time.Now()
		res, err := c.Do(req)
		if err != nil {
			return 0, 0, 0, err
		}
		size, err := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return time.Since(t), res.StatusCode, size, err
	}
	runtime.GC()
	bp.HeapBefore, bp.PeakBefore = memory()
	first, status, size, err := get()
	if err != nil || status != http.StatusOK {
		bp.Status = status
		if err != nil {
			bp.errorSample = err.Error()
		}
		return bp
	}
	bp.Available, bp.FirstMS, bp.Bytes = true, ms(first), size

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
			errs := 0
			for time.Now().Before(deadline) && ctx.Err() == nil {
				took, status, _, err := get()
				if err != nil || status != http.StatusOK {
					errs++
					continue
				}
				mine = append(mine, took)
			}
			mu.Lock()
			lat = append(lat, mine...)
			bp.Errors += errs
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	bp.HeapAfter, bp.PeakAfter = memory()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	bp.Requests = len(lat)
	if len(lat) > 0 {
		bp.PerSecond = float64(len(lat)) / elapsed.Seconds()
		bp.MedianMS, bp.P90MS, bp.P99MS, bp.MaxMS = ms(pct(lat, 50)), ms(pct(lat, 90)), ms(pct(lat, 99)), ms(lat[len(lat)-1])
	}
	return bp
}

// pct is the p-th percentile by the nearest-rank method.
func pct(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	return sorted[max(0, min(len(sorted)-1, i-1))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// memory is the Go heap in use and the process's peak resident set.
func memory() (heap, peak uint64) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse, procStatus("VmHWM")
}

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

func printBenchHeader(w io.Writer, r *benchReport) {
	fmt.Fprintf(w, "Machine: %d CPUs, %s, %s, %s\n", r.Machine.CPUs, r.Machine.CPUModel, r.Machine.GoVersion, r.Machine.OS)
	fmt.Fprintf(w, "Database: %s (%s), organisation %q (id %d)\n", r.Database, r.Dialect, r.Org, r.OrgID)
	var parts []string
	for _, c := range r.Data {
		parts = append(parts, fmt.Sprintf("%d %s", c.N, c.What))
	}
	fmt.Fprintf(w, "Data: %s\n", strings.Join(parts, ", "))
	fmt.Fprintf(w, "Each page for %s with %d requests in flight.\n\n", r.Duration, r.Concurrency)
	fmt.Fprintf(w, "%-14s %8s %8s %9s %9s %9s %9s %9s  %-17s %-17s\n", "page", "requests", "req/s", "first", "median", "p90", "p99", "max",
		"heap in use", "peak RSS")
}

func printBenchRow(w io.Writer, p *benchPage) {
	if !p.Available {
		why := fmt.Sprintf("status %d", p.Status)
		if p.errorSample != "" {
			why = p.errorSample
		}
		fmt.Fprintf(w, "%-14s unavailable (%s): %s\n", p.Key, why, p.Path)
		return
	}
	f := func(v float64) string { return fmt.Sprintf("%.1f ms", v) }
	fmt.Fprintf(w, "%-14s %8d %8.1f %9s %9s %9s %9s %9s  %-17s %-17s", p.Key, p.Requests, p.PerSecond, f(p.FirstMS), f(p.MedianMS),
		f(p.P90MS), f(p.P99MS), f(p.MaxMS), mb(p.HeapBefore)+" → "+mb(p.HeapAfter), mb(p.PeakBefore)+" → "+mb(p.PeakAfter))
	if p.Errors > 0 {
		fmt.Fprintf(w, "  (%d failed)", p.Errors)
	}
	fmt.Fprintln(w)
}
