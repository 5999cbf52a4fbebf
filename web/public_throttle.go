package web

import (
	"sync"
	"time"
)

// publicThrottle bounds how fast one client may write through a public
// secret link: the behaviour policy's acknowledgement page takes no
// login, so without it anyone holding the link could script thousands of
// acknowledgements a minute. It is a token bucket per client address
// (clientAddr, the same key the login throttle uses), kept in memory:
// it guards this instance's database writes, not a count that must hold
// across instances. The rate is generous on purpose, because a whole
// municipality may sit behind one address and follow the link on the
// same morning.
type publicThrottle struct {
	mu      sync.Mutex
	buckets map[string]*throttleBucket
	burst   float64 // the writes a client may make at once
	perSec  float64 // the writes it gets back each second
}

type throttleBucket struct {
	tokens float64
	at     time.Time
}

// Per client address: 30 acknowledgements at once, then one every two
// seconds (1 800 an hour).
const (
	ackBurst  = 30
	ackPerSec = 0.5
)

func newPublicThrottle(burst, perSec float64) *publicThrottle {
	return &publicThrottle{buckets: map[string]*throttleBucket{}, burst: burst, perSec: perSec}
}

// allow takes one write from key's bucket at now, or reports that the
// client must wait and how long.
func (t *publicThrottle) allow(key string, now time.Time) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.buckets[key]
	if b == nil {
		// Forget full buckets first, so the map does not grow with every
		// address that ever came by.
		if len(t.buckets) >= 10000 {
			t.prune(now)
		}
		b = &throttleBucket{tokens: t.burst, at: now}
		t.buckets[key] = b
	}
	b.tokens = min(t.burst, b.tokens+now.Sub(b.at).Seconds()*t.perSec)
	b.at = now
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) / t.perSec * float64(time.Second))
	}
	b.tokens--
	return true, 0
}

// prune drops the buckets that have filled up again: a client that comes
// back starts full, as it would have.
func (t *publicThrottle) prune(now time.Time) {
	for k, b := range t.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*t.perSec >= t.burst {
			delete(t.buckets, k)
		}
	}
}
