package web

import (
	"context"
	"testing"

	"github.com/ismsdk/isms"
)

func TestUploadLimiter(t *testing.T) {
	l := newUploadLimiter(map[string]string{"uploads.max_in_flight": "2", "uploads.wait": "0s"})
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
	l = newUploadLimiter(map[string]string{"uploads.max_in_flight": "1", "uploads.wait": "1h"})
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

	// Defaults when the settings are missing or wrong.
	for _, s := range []map[string]string{nil, {"uploads.max_in_flight": "x", "uploads.wait": "-1s"}} {
		l := newUploadLimiter(s)
		if cap(l.slots) != DefaultMaxUploadsInFlight || l.wait != DefaultUploadWait {
			t.Errorf("%v: %d slots, wait %s", s, cap(l.slots), l.wait)
		}
	}
}
