package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// The two servers isms bench requests: the product, as its own `isms
// serve` process, so that its memory is its own and its start is a real
// start; and the floor, a bare net/http handler in this process that
// answers a fixed body of the page's size, so that each page's figures
// stand beside what the HTTP machinery alone costs on this machine.

// startProduct starts this program as `isms serve` on the database and a
// free loopback port, and returns it once /healthz answers 200, with the
// time from starting the process to that answer.
func startProduct(ctx context.Context, db string) (*measuredServer, time.Duration, error) {
	bin, err := os.Executable()
	if err != nil {
		return nil, 0, err
	}
	logFile, err := os.CreateTemp("", "isms-bench-server-*.log")
	if err != nil {
		return nil, 0, err
	}
	cmd := exec.Command(bin, "serve", "--db", db, "--addr", "127.0.0.1:0")
	cmd.Stderr = logFile
	out, err := cmd.StdoutPipe()
	if err != nil {
		logFile.Close()
		os.Remove(logFile.Name())
		return nil, 0, err
	}
	failed := func(err error) (*measuredServer, time.Duration, error) {
		log, _ := os.ReadFile(logFile.Name())
		logFile.Close()
		os.Remove(logFile.Name())
		if len(log) > 2000 {
			log = log[len(log)-2000:]
		}
		return nil, 0, fmt.Errorf("bench: %s serve: %w\n%s", bin, err, log)
	}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return failed(err)
	}
	s := &measuredServer{cmd: cmd, log: logFile.Name(), done: make(chan error, 1)}
	// serve prints its address once it listens; connections made from
	// then on wait in the listen queue until it serves them.
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
		return failed(errors.New("it printed no address"))
	}
	// A client of its own: no connection of an earlier server is reused.
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	for {
		res, err := c.Get(s.base + "/healthz")
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
			err = fmt.Errorf("/healthz: status %d", res.StatusCode)
		}
		if time.Since(began) > 30*time.Second || ctx.Err() != nil {
			s.stop()
			return failed(err)
		}
		time.Sleep(time.Millisecond)
	}
	return s, time.Since(began), nil
}

// close stops the server and removes its log.
func (s *measuredServer) close() {
	s.stop()
	os.Remove(s.log)
}

// cpuTicks is the server's CPU time so far, in clock ticks.
func (s *measuredServer) cpuTicks() uint64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// The fields after the command's name, which may hold spaces: state is
	// the third field of the line, utime the 14th and stime the 15th.
	_, rest, _ := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseUint(f[11], 10, 64)
	k, _ := strconv.ParseUint(f[12], 10, 64)
	return u + k
}

// settle waits until the server has done the work serve starts with (the
// daily tasks) — when its CPU time stands still for two looks in a row —
// so that neither the pages' figures nor their memory carry it. It gives
// up after a while and says how long it waited.
func (s *measuredServer) settle(ctx context.Context) time.Duration {
	began := time.Now()
	last, still := s.cpuTicks(), 0
	for still < 2 && time.Since(began) < 30*time.Second && ctx.Err() == nil {
		time.Sleep(100 * time.Millisecond)
		now := s.cpuTicks()
		if now-last <= 1 {
			still++
		} else {
			still = 0
		}
		last = now
	}
	return time.Since(began)
}

// resetPeak sets the server's peak resident set (VmHWM) back to its
// resident set now, so that the next reading is the peak of what happens
// from here on (Linux 4.0 and later; an error where it cannot).
func (s *measuredServer) resetPeak() error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", s.cmd.Process.Pid), []byte("5"), 0)
}

// startTimes starts the server tries times and returns the times from
// start to /healthz, and the last server, still running.
func startTimes(ctx context.Context, db string, tries int) (*measuredServer, []time.Duration, error) {
	var took []time.Duration
	for i := range tries {
		s, d, err := startProduct(ctx, db)
		if err != nil {
			return nil, nil, err
		}
		took = append(took, d)
		if i == tries-1 {
			return s, took, nil
		}
		s.close()
	}
	return nil, nil, errors.New("bench: no start")
}

// medianOf is the middle of the durations (the lower middle of an even
// count).
func medianOf(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

// floorBody is what the floor answers: a fixed body with the page's
// content type, and its length in a header where the page sent one (else
// the body goes chunked, as the page's did).
type floorBody struct {
	contentType string
	length      string
	body        []byte
}

// floorServer is the bare handler: no middleware, no work but writing the
// body it was given.
type floorServer struct {
	base string
	body atomic.Pointer[floorBody]
	hs   *http.Server
}

func startFloor() (*floorServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f := &floorServer{base: "http://" + ln.Addr().String()}
	f.body.Store(&floorBody{contentType: "text/plain", body: []byte("ok\n")})
	f.hs = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		b := f.body.Load()
		w.Header().Set("Content-Type", b.contentType)
		if b.length != "" {
			w.Header().Set("Content-Length", b.length)
		}
		w.Write(b.body)
	})}
	go f.hs.Serve(ln)
	return f, nil
}

// answer makes the floor answer n bytes of the content type from now on,
// saying their length in a header when withLength.
func (f *floorServer) answer(contentType string, n int64, withLength bool) {
	b := &floorBody{contentType: contentType, body: make([]byte, n)}
	for i := range b.body {
		b.body[i] = 'x'
	}
	if withLength {
		b.length = strconv.FormatInt(n, 10)
	}
	f.body.Store(b)
}
