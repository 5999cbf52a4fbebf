package export

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestICalendarFoldsAndEscapes(t *testing.T) {
	day := time.Date(2026, 5, 15, 0, 0, 0, 0, time.UTC)
	// Danish letters are two octets each, so the fold lands in the middle
	// of one unless the writer takes care.
	long := strings.Repeat("æøå", 40) + ", ; \\ ny\r\nlinje\rslut"
	var b bytes.Buffer
	err := WriteICalendar(&b, Calendar{ProdID: "-//test//DA", Name: "Årshjul", Refresh: time.Hour,
		Events: []CalendarEvent{{UID: "a@b", Stamp: day, Day: day, Summary: long, Status: "CONFIRMED", Categories: []string{"x,y", "z"}}}})
	if err != nil {
		t.Fatal(err)
	}
	raw := b.String()
	if !strings.HasSuffix(raw, "END:VCALENDAR\r\n") || strings.Contains(strings.ReplaceAll(raw, "\r\n", ""), "\n") {
		t.Fatal("lines must end in CRLF and nowhere else")
	}
	for _, l := range strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n") {
		if len(l) > 75 || !utf8.ValidString(l) {
			t.Fatalf("bad line (%d octets): %q", len(l), l)
		}
	}
	unfolded := strings.ReplaceAll(raw, "\r\n ", "")
	for _, want := range []string{"SUMMARY:" + strings.Repeat("æøå", 40) + `\, \; \\ ny\nlinje\nslut` + "\r\n",
		"DTSTART;VALUE=DATE:20260515\r\n", "DTEND;VALUE=DATE:20260516\r\n", "DTSTAMP:20260515T000000Z\r\n",
		`CATEGORIES:x\,y,z` + "\r\n", "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n", "X-WR-CALNAME:Årshjul\r\n"} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("lacks %q in\n%s", want, unfolded)
		}
	}
}
