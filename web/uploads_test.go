package web

import (
	"time"

	"context"
	"testing"

	"github.com/ismsdk/isms"
)

func TestUploadLimiter(t *testing.T) {
	l := newUploadLimiter(2, NoUploadWait)
	r1, err := l.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r2, err := l.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if l.inFlight() != 2 {
		t.Fatalf("%d in flight", l.inFlight())
	}
	// Full, and no waiting: refused at once, as unavailable.
	if _, err := l.acquire(context.Background()); isms.ErrorCode(err) != isms.EUnavailable {
		t.Fatalf("third upload: %v", err)
	}
	r1()
	r3, err := l.acquire(context.Background())
	if err != nil {
		t.Fatalf("after a release: %v", err)
	}
	r2()
	r3()
	if l.inFlight() != 0 {
		t.Fatalf("%d in flight after every release", l.inFlight())
	}

	// With a wait: a request waits for a slot and gets it when one frees.
	l = newUploadLimiter(1, time.Hour)
	hold, _ := l.acquire(context.Background())
	got := make(chan error)
	go func() {
		release, err := l.acquire(context.Background())
		if err == nil {
			release()
		}
		got <- err
	}()
	for l.queued() != 1 {
		waitABit()
	}
	hold()
	if err := <-got; err != nil {
		t.Fatalf("the waiting upload: %v", err)
	}
	// A waiting request whose client leaves gives up its place.
	hold, _ = l.acquire(context.Background())
	ctx, cancel := context.WithCancel(context.Background())
	go func() { _, err := l.acquire(ctx); got <- err }()
	for l.queued() != 1 {
		waitABit()
	}
	cancel()
	if err := <-got; isms.ErrorCode(err) != isms.EUnavailable {
		t.Fatalf("the upload whose client left: %v", err)
	}
	if l.queued() != 0 || l.inFlight() != 1 {
		t.Fatalf("%d queued, %d in flight", l.queued(), l.inFlight())
	}
	hold()

	// Defaults when the configuration is missing or wrong.
	for _, s := range []struct {
		n    int
		wait time.Duration
	}{{0, 0}, {-3, -time.Second}} {
		l := newUploadLimiter(s.n, s.wait)
		if cap(l.slots) != DefaultMaxUploadsInFlight || l.wait != DefaultUploadWait {
			t.Errorf("%v: %d slots, wait %s", s, cap(l.slots), l.wait)
		}
	}
}
