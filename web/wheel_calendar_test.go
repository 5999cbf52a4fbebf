package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
)

// A month names its first obligations, open ones first, and counts the
// rest by kind with how many of them are done.
func TestShownScheduled(t *testing.T) {
	day := func(d int) isms.Date { return isms.MonthDay(2026, 3, d) }
	var items []isms.ScheduledItem
	for i := 1; i <= 8; i++ {
		items = append(items, isms.ScheduledItem{Day: day(i), Kind: "risk.due_review", Label: fmt.Sprint("vurdering ", i), Done: true})
	}
	for i := 1; i <= 6; i++ {
		items = append(items, isms.ScheduledItem{Day: day(10 + i), Kind: "kind.system", Label: fmt.Sprint("system ", i), Done: i > 4})
	}
	shown, more := shownScheduled(items)
	if len(shown) != wheelScheduledShown {
		t.Fatalf("shown %d", len(shown))
	}
	for i, it := range shown[:4] {
		if it.Done || it.Label != fmt.Sprint("system ", i+1) {
			t.Errorf("open ones first, by day: %d is %+v", i, it)
		}
	}
	got := fmt.Sprint(more)
	if got != "[{risk.due_review 2 2} {kind.system 2 2}]" {
		t.Errorf("the rest by kind: %s", got)
	}
	if shown, more := shownScheduled(items[:3]); len(shown) != 3 || more != nil {
		t.Errorf("a short month is named whole: %d %v", len(shown), more)
	}
	if l := scheduledLabel(items[8:11], "en"); !strings.Contains(l, "(3)") {
		t.Errorf("several on a day are counted by kind: %s", l)
	}
}
