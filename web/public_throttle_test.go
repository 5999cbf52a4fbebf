package web

import (
	"testing"
	"time"
)

// A client gets its burst, then one write per refill; another client is
// not held up by it; a bucket that has filled again is forgotten.
func TestPublicThrottle(t *testing.T) {
	th := newPublicThrottle(3, 0.5)
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		if ok, _ := th.allow("10.0.0.1", now); !ok {
			t.Fatalf("write %d of the burst refused", i+1)
		}
	}
	ok, wait := th.allow("10.0.0.1", now)
	if ok || wait != 2*time.Second {
		t.Fatalf("after the burst: %v, wait %v", ok, wait)
	}
	if ok, _ := th.allow("10.0.0.2", now); !ok {
		t.Fatal("another client was held up")
	}
	if ok, _ := th.allow("10.0.0.1", now.Add(2*time.Second)); !ok {
		t.Fatal("no write after the refill")
	}
	if ok, _ := th.allow("10.0.0.1", now.Add(2*time.Second)); ok {
		t.Fatal("two writes from one refill")
	}
	th.prune(now.Add(time.Hour))
	if len(th.buckets) != 0 {
		t.Fatalf("%d buckets kept after they filled", len(th.buckets))
	}
}
