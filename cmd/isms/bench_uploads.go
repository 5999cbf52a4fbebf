package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// isms bench-uploads: how much memory the server takes while many people
// upload large document versions at once, and while they download them.
//
// The server is measured as its own process — the binary named by
// --server (this program by default) started as `isms serve` — so the
// figures are the server's alone: its peak resident set (VmHWM in
// /proc/PID/status) after a fresh start and after N parallel uploads of
// one size, then, in a second fresh process, after N parallel downloads of
// those versions. The client talks to the server only through its command
// line (user add, token create) and its HTTP API, so the same command
// measures an older build of the server as well as this one.

const benchUploadsEmail = "upload-measure@bench.example"

type uploadRun struct {
	Phase       string  `json:"phase"` // upload or download
	Via         string  `json:"via"`
	Parallel    int     `json:"parallel"`
	SizeBytes   int64   `json:"size_bytes"`
	OK          int     `json:"ok"`
	Refused     int     `json:"refused"` // 503: the server's limit of uploads in flight
	Failed      int     `json:"failed"`
	Mismatched  int     `json:"mismatched"` // downloads whose content differs from what was uploaded
	WallSeconds float64 `json:"wall_seconds"`
	MedianMS    float64 `json:"median_ms"`
	MaxMS       float64 `json:"max_ms"`
	RSSStart    uint64  `json:"rss_start"`  // VmRSS once started and warmed up
	PeakStart   uint64  `json:"peak_start"` // VmHWM at the same moment
	PeakEnd     uint64  `json:"peak_end"`   // VmHWM after the run
	RSSEnd      uint64  `json:"rss_end"`
	errorSample string
}

func cmdBenchUploads(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench-uploads", flag.ContinueOnError)
	db := fs.String("db", "", "the server's database: a SQLite file path or a postgres:// URL (default a new SQLite file in a temporary folder)")
	server := fs.String("server", "", "the isms binary to measure (default this program)")
	sizeFlag := fs.String("size", "36MiB", "size of each uploaded file")
	parallel := fs.String("parallel", "8,16", "comma-separated numbers of uploads (and downloads) in flight at once; each number is one run")
	via := fs.String("via", "multipart", "how files are sent: multipart (the form's and the API's multipart/form-data) or json (the API's base64 JSON)")
	downloads := fs.String("downloads", "file", "how the uploaded versions are read back: file (the download page), json (the API's base64 content), both, or none")
	serveArgs := fs.String("serve-args", "", "further flags for the server's serve command, e.g. \"--max-uploads 16\"")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	size, err := parseSize(*sizeFlag)
	if err != nil {
		return usageErrorf("bench-uploads: --size: %v", err)
	}
	var counts []int
	for _, p := range strings.Split(*parallel, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 1 {
			return usageErrorf("bench-uploads: --parallel: %q is not a positive number", p)
		}
		counts = append(counts, n)
	}
	if *via != "multipart" && *via != "json" {
		return usageErrorf("bench-uploads: --via must be multipart or json")
	}
	var readBack []string
	switch *downloads {
	case "file", "json":
		readBack = []string{*downloads}
	case "both":
		readBack = []string{"file", "json"}
	case "none":
	default:
		return usageErrorf("bench-uploads: --downloads must be file, json, both or none")
	}
	bin := *server
	if bin == "" {
		if bin, err = os.Executable(); err != nil {
			return err
		}
	}
	work, err := os.MkdirTemp("", "isms-bench-uploads-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if *db == "" {
		*db = filepath.Join(work, "measure.db")
	}

	token, err := benchUploadsToken(ctx, bin, *db)
	if err != nil {
		return err
	}
	if !*asJSON {
		fmt.Fprintf(stdout, "Server: %s serve --db %s %s\n", bin, redact(*db), *serveArgs)
		fmt.Fprintf(stdout, "Files of %s (%d bytes), sent as %s; load average %s; %d CPUs\n\n", *sizeFlag, size, *via, loadAverage(), machine().CPUs)
		fmt.Fprintf(stdout, "%-9s %-9s %8s %4s %7s %6s %8s %10s %10s  %-9s %-9s %-9s\n",
			"phase", "via", "parallel", "ok", "refused", "failed", "wall", "median", "max", "RSS start", "peak", "RSS end")
	}
	var runs []*uploadRun
	report := func(r *uploadRun) {
		runs = append(runs, r)
		if *asJSON {
			return
		}
		fmt.Fprintf(stdout, "%-9s %-9s %8d %4d %7d %6d %7.1fs %8.0fms %8.0fms  %-9s %-9s %-9s", r.Phase, r.Via, r.Parallel, r.OK, r.Refused, r.Failed,
			r.WallSeconds, r.MedianMS, r.MaxMS, mb(r.RSSStart), mb(r.PeakEnd), mb(r.RSSEnd))
		if r.Mismatched > 0 {
			fmt.Fprintf(stdout, "  %d downloads differ from the upload!", r.Mismatched)
		}
		if r.errorSample != "" {
			fmt.Fprintf(stdout, "  (%s)", r.errorSample)
		}
		fmt.Fprintln(stdout)
	}
	for _, n := range counts {
		if ctx.Err() != nil {
			break
		}
		srv, err := startMeasuredServer(ctx, bin, *db, work, strings.Fields(*serveArgs))
		if err != nil {
			return err
		}
		targets, err := benchUploadTargets(ctx, srv.base, token, n)
		if err != nil {
			srv.stop()
			return err
		}
		run := srv.measure("upload", *via, n, size, func(i int) (int, string, error) {
			return benchUploadOne(ctx, srv.base, token, targets[i], *via, size)
		})
		srv.stop()
		report(run)
		for _, how := range readBack {
			srv, err := startMeasuredServer(ctx, bin, *db, work, strings.Fields(*serveArgs))
			if err != nil {
				return err
			}
			run := srv.measure("download", how, n, size, func(i int) (int, string, error) {
				return benchDownloadOne(ctx, srv.base, token, targets[i], how, size)
			})
			srv.stop()
			report(run)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(runs)
	}
	fmt.Fprintln(stdout, "\nMemory is the server process's own: resident set after start and warm-up, its peak (VmHWM) after the run, and the resident set at the end.")
	fmt.Fprintln(stdout, "Each run starts a fresh server process; \"refused\" counts answers 503 (the server's limit of uploads in flight).")
	return nil
}

// benchUploadsToken makes the measuring site administrator (once per
// database) and an API token for them, with the server binary's own verbs.
func benchUploadsToken(ctx context.Context, bin, db string) (string, error) {
	add := exec.CommandContext(ctx, bin, "user", "add", "--db", db, "--email", benchUploadsEmail, "--name", "Upload measurement", "--admin")
	add.Stdin = strings.NewReader("upload-measure-2026\n")
	if out, err := add.CombinedOutput(); err != nil && !strings.Contains(string(out), "exist") && !strings.Contains(string(out), "already") {
		return "", fmt.Errorf("bench-uploads: %s user add: %v: %s", bin, err, out)
	}
	out, err := exec.CommandContext(ctx, bin, "token", "create", "--db", db, "--email", benchUploadsEmail, "--name", "bench-uploads").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("bench-uploads: %s token create: %v: %s", bin, err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(lines[len(lines)-1]), nil
}

// measuredServer is a running `isms serve` process.
type measuredServer struct {
	cmd  *exec.Cmd
	base string
	log  string
	done chan error
}

func startMeasuredServer(ctx context.Context, bin, db, work string, extra []string) (*measuredServer, error) {
	logPath := filepath.Join(work, fmt.Sprintf("server-%d.log", time.Now().UnixNano()))
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, extra...)...)
	cmd.Stderr = logFile
	out, err := cmd.StdoutPipe()
	if err != nil {
		logFile.Close()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("bench-uploads: start %s serve: %w", bin, err)
	}
	s := &measuredServer{cmd: cmd, log: logPath, done: make(chan error, 1)}
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if _, rest, ok := strings.Cut(lines.Text(), "serving at "); ok {
			s.base, _, _ = strings.Cut(rest, " ")
			break
		}
	}
	go func() {
		io.Copy(io.Discard, out)
		s.done <- cmd.Wait()
		logFile.Close()
	}()
	if s.base == "" {
		s.stop()
		log, _ := os.ReadFile(logPath)
		return nil, fmt.Errorf("bench-uploads: the server did not start: %s", log)
	}
	// Warm up: the first requests load templates' first use, the database
	// connections and the session check.
	for range 3 {
		res, err := http.Get(s.base + "/readyz")
		if err != nil {
			s.stop()
			return nil, err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	return s, nil
}

func (s *measuredServer) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// status reads a size in kB from the server's /proc/PID/status.
func (s *measuredServer) status(field string) uint64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// measure runs one(i) for i in 0..n-1 all at once and records the
// server's memory around it.
func (s *measuredServer) measure(phase, via string, n int, size int64, one func(i int) (int, string, error)) *uploadRun {
	r := &uploadRun{Phase: phase, Via: via, Parallel: n, SizeBytes: size}
	r.RSSStart, r.PeakStart = s.status("VmRSS"), s.status("VmHWM")
	var mu sync.Mutex
	var took []time.Duration
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			t := time.Now()
			status, problem, err := one(i)
			d := time.Since(t)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				r.Failed++
				r.errorSample = err.Error()
			case status == http.StatusServiceUnavailable:
				r.Refused++
			case status/100 != 2:
				r.Failed++
				r.errorSample = fmt.Sprintf("status %d: %s", status, problem)
			case problem != "":
				r.Mismatched++
				r.errorSample = problem
			default:
				r.OK++
				took = append(took, d)
			}
		}()
	}
	began := time.Now()
	close(start)
	wg.Wait()
	r.WallSeconds = time.Since(began).Seconds()
	r.PeakEnd, r.RSSEnd = s.status("VmHWM"), s.status("VmRSS")
	slices.Sort(took)
	if len(took) > 0 {
		r.MedianMS, r.MaxMS = ms(pct(took, 50)), ms(took[len(took)-1])
	}
	return r
}

// uploadTarget is a document that takes the next version.
type uploadTarget struct {
	org, doc, version int64
	seed              uint64
}

// benchUploadTargets makes an organisation (once) and n new documents in it.
func benchUploadTargets(ctx context.Context, base, token string, n int) ([]*uploadTarget, error) {
	var orgs []struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	if err := benchAPI(ctx, base, token, "GET", "/api/v1/organisations", nil, &orgs); err != nil {
		return nil, err
	}
	var org int64
	for _, o := range orgs {
		if o.Name == "Upload measurement" {
			org = o.ID
		}
	}
	if org == 0 {
		var o struct {
			ID int64 `json:"id"`
		}
		if err := benchAPI(ctx, base, token, "POST", "/api/v1/organisations", map[string]any{"name": "Upload measurement"}, &o); err != nil {
			return nil, err
		}
		org = o.ID
	}
	out := make([]*uploadTarget, n)
	stamp := uint64(time.Now().UnixNano())
	for i := range out {
		var d struct {
			ID      int64 `json:"id"`
			Version int64 `json:"version"`
		}
		if err := benchAPI(ctx, base, token, "POST", fmt.Sprintf("/api/v1/organisations/%d/documents", org),
			map[string]any{"kind": "procedure", "title": fmt.Sprintf("Measured upload %d-%d", stamp, i), "classification": "internal"}, &d); err != nil {
			return nil, err
		}
		out[i] = &uploadTarget{org: org, doc: d.ID, version: d.Version, seed: stamp + uint64(i)}
	}
	return out, nil
}

func benchAPI(ctx context.Context, base, token, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("bench-uploads: %s %s: status %d: %s", method, path, res.StatusCode, b)
	}
	return json.Unmarshal(b, out)
}

// benchContent is a file's content: a PDF header (so the server's check of
// the content against the .pdf extension passes) and then pseudo-random
// bytes from the seed, which do not compress. It is made as it is read,
// so the client holds none of it.
func benchContent(seed uint64, size int64) io.Reader {
	head := []byte("%PDF-1.7\n%measured upload\n")
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	return io.LimitReader(io.MultiReader(bytes.NewReader(head), rand.NewChaCha8(key)), size)
}

func benchContentSum(seed uint64, size int64) string {
	h := sha256.New()
	io.Copy(h, benchContent(seed, size))
	return hex.EncodeToString(h.Sum(nil))
}

// benchUploadOne sends one file as a new version of its document.
func benchUploadOne(ctx context.Context, base, token string, t *uploadTarget, via string, size int64) (int, string, error) {
	name := fmt.Sprintf("measured-%d.pdf", t.seed)
	var prefix, suffix []byte
	var content io.Reader
	var length int64
	var contentType string
	switch via {
	case "multipart":
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("version", strconv.FormatInt(t.version, 10))
		mw.WriteField("change_note", "Measured upload")
		if _, err := mw.CreateFormFile("file", name); err != nil {
			return 0, "", err
		}
		prefix = bytes.Clone(buf.Bytes())
		buf.Reset()
		mw.Close()
		suffix = buf.Bytes()
		content, length, contentType = benchContent(t.seed, size), size, mw.FormDataContentType()
	case "json":
		prefix = fmt.Appendf(nil, `{"file_name":%q,"change_note":"Measured upload","version":%d,"content_base64":"`, name, t.version)
		suffix = []byte(`"}`)
		pr, pw := io.Pipe()
		go func() {
			enc := base64.NewEncoder(base64.StdEncoding, pw)
			_, err := io.Copy(enc, benchContent(t.seed, size))
			if err == nil {
				err = enc.Close()
			}
			pw.CloseWithError(err)
		}()
		content, length, contentType = pr, int64(base64.StdEncoding.EncodedLen(int(size))), "application/json"
	}
	body := io.MultiReader(bytes.NewReader(prefix), content, bytes.NewReader(suffix))
	req, err := http.NewRequestWithContext(ctx, "POST", fmt.Sprintf("%s/api/v1/organisations/%d/documents/%d/versions", base, t.org, t.doc), body)
	if err != nil {
		return 0, "", err
	}
	req.ContentLength = int64(len(prefix)) + length + int64(len(suffix))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", contentType)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 4<<10))
	if res.StatusCode/100 == 2 {
		return res.StatusCode, "", nil
	}
	return res.StatusCode, strings.TrimSpace(string(b)), nil
}

// benchDownloadOne reads one uploaded version back and compares it with
// what was sent.
func benchDownloadOne(ctx context.Context, base, token string, t *uploadTarget, how string, size int64) (int, string, error) {
	path := fmt.Sprintf("%s/orgs/%d/documents/%d/versions/1/download", base, t.org, t.doc)
	if how == "json" {
		path = fmt.Sprintf("%s/api/v1/organisations/%d/documents/%d/versions/1/content", base, t.org, t.doc)
	}
	req, err := http.NewRequestWithContext(ctx, "GET", path, nil)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(res.Body, 4<<10))
		return res.StatusCode, strings.TrimSpace(string(b)), nil
	}
	h := sha256.New()
	var n int64
	if how == "json" {
		// The API's answer: read the base64 content without holding it.
		var c struct {
			SHA256        string `json:"sha256"`
			ContentBase64 string `json:"content_base64"`
		}
		if err := json.NewDecoder(res.Body).Decode(&c); err != nil {
			return 0, "", err
		}
		data, err := base64.StdEncoding.DecodeString(c.ContentBase64)
		if err != nil {
			return 0, "", err
		}
		h.Write(data)
		n = int64(len(data))
	} else if n, err = io.Copy(h, res.Body); err != nil {
		return 0, "", err
	}
	if n != size {
		return res.StatusCode, fmt.Sprintf("%d bytes instead of %d", n, size), nil
	}
	if got, want := hex.EncodeToString(h.Sum(nil)), benchContentSum(t.seed, size); got != want {
		return res.StatusCode, "content differs from the upload", nil
	}
	return res.StatusCode, "", nil
}
