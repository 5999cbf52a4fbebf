package sqlstore

import (
	"testing"
	"time"

	"github.com/ismsdk/isms"
)

func TestPairBackOffDoublesToItsCeiling(t *testing.T) {
	for n, want := range map[int]time.Duration{
		0: 0, 4: 0, 5: time.Minute, 6: 2 * time.Minute, 7: 4 * time.Minute, 8: 8 * time.Minute,
		9: 15 * time.Minute, 10: 15 * time.Minute, 1000: 15 * time.Minute,
	} {
		if got := pairBackOff(n); got != want {
			t.Errorf("after %d failures: wait %v, want %v", n, got, want)
		}
	}
}

func TestTooManySaysHowLongToWait(t *testing.T) {
	for _, c := range []struct {
		wait time.Duration
		key  string
		arg  int
	}{
		{0, "err.login_wait_seconds", 1},
		{1500 * time.Millisecond, "err.login_wait_seconds", 2},
		{119 * time.Second, "err.login_wait_seconds", 119},
		{120 * time.Second, "err.login_wait_minutes", 2},
		{14*time.Minute + time.Second, "err.login_wait_minutes", 15},
	} {
		de := isms.AsError(tooMany(c.wait))
		if de == nil || de.Code != isms.ETooMany {
			t.Fatalf("wait %v: %v", c.wait, de)
		}
		if de.Key != c.key || len(de.Args) != 1 || de.Args[0] != c.arg {
			t.Errorf("wait %v: %s %v, want %s %d", c.wait, de.Key, de.Args, c.key, c.arg)
		}
	}
}
