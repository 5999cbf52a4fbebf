package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ismsdk/isms"
)

// The keeper computes a view once for a generation, however many readers
// ask at once; a failure is not kept; a reader behind a newer generation
// does not replace it; and what is kept stays within its bound.
func TestKeptViews(t *testing.T) {
	ctx := context.Background()
	day := isms.MonthDay(2026, 12, 6)
	g1 := generation{seq: 1, hash: "a", day: day}
	g2 := generation{seq: 2, hash: "b", day: day}
	key := keptKey{org: 1, view: "checklist"}

	t.Run("once for many readers", func(t *testing.T) {
		var k keptViews
		var computed atomic.Int32
		started, release := make(chan struct{}), make(chan struct{})
		var wg sync.WaitGroup
		got := make([]any, 16)
		read := func(i int) {
			defer wg.Done()
			got[i], _ = k.get(ctx, key, g1, func() (any, error) {
				computed.Add(1)
				close(started)
				<-release
				return "answer", nil
			})
		}
		wg.Add(1)
		go read(0)
		// Once the first reader computes, the view is in the keeper, so
		// every later reader waits for its answer instead of computing.
		<-started
		for i := 1; i < len(got); i++ {
			wg.Add(1)
			go read(i)
		}
		close(release)
		wg.Wait()
		for i, v := range got {
			if v != "answer" {
				t.Errorf("reader %d got %v", i, v)
			}
		}
		if n := computed.Load(); n != 1 {
			t.Errorf("computed %d times for one generation", n)
		}
		if v, _ := k.get(ctx, key, g1, func() (any, error) { return "again", nil }); v != "answer" {
			t.Errorf("the kept answer was not reused: %v", v)
		}
		if v, _ := k.get(ctx, key, g2, func() (any, error) { return "new", nil }); v != "new" {
			t.Errorf("a new generation kept the old answer: %v", v)
		}
	})

	t.Run("a failure is not kept", func(t *testing.T) {
		var k keptViews
		boom := errors.New("boom")
		if _, err := k.get(ctx, key, g1, func() (any, error) { return nil, boom }); !errors.Is(err, boom) {
			t.Fatalf("error: %v", err)
		}
		if v, err := k.get(ctx, key, g1, func() (any, error) { return "ok", nil }); err != nil || v != "ok" {
			t.Fatalf("after a failure: %v %v", v, err)
		}
	})

	t.Run("an older reader does not replace a newer answer", func(t *testing.T) {
		var k keptViews
		k.get(ctx, key, g2, func() (any, error) { return "newer", nil })
		if v, _ := k.get(ctx, key, g1, func() (any, error) { return "older", nil }); v != "older" {
			t.Errorf("the older reader got %v, not its own answer", v)
		}
		if v, _ := k.get(ctx, key, g2, func() (any, error) { return "recomputed", nil }); v != "newer" {
			t.Errorf("the newer answer was replaced: %v", v)
		}
		tomorrow := g2
		tomorrow.day = day.AddDays(1)
		if v, _ := k.get(ctx, key, tomorrow, func() (any, error) { return "tomorrow", nil }); v != "tomorrow" {
			t.Errorf("the next day kept yesterday's answer: %v", v)
		}
	})

	t.Run("bounded", func(t *testing.T) {
		var k keptViews
		for i := range 3 * keptLimit {
			k.get(ctx, keptKey{org: int64(i), view: fmt.Sprint(i)}, g1, func() (any, error) { return i, nil })
		}
		if n := len(k.entries); n > keptLimit {
			t.Errorf("%d entries kept, more than %d", n, keptLimit)
		}
	})
}
