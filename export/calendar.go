package export

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Calendar is an iCalendar object (RFC 5545) published as a feed: a
// VCALENDAR of all-day events, which Outlook, Google Calendar and Apple
// Calendar subscribe to.
type Calendar struct {
	ProdID      string // e.g. "-//ismsdk//ISMS//DA"
	Name        string // X-WR-CALNAME, the name subscribers see
	Description string // X-WR-CALDESC
	// Refresh is how often subscribers should fetch the feed again.
	Refresh time.Duration
	Events  []CalendarEvent
}

// CalendarEvent is one all-day event.
type CalendarEvent struct {
	UID         string // stable across fetches, so a calendar updates rather than duplicates
	Stamp       time.Time
	Day         time.Time // the day (its date in UTC)
	Summary     string
	Description string
	Status      string // TENTATIVE, CONFIRMED or CANCELLED
	URL         string
	Categories  []string
}

// WriteICalendar writes the calendar with CRLF line endings, lines folded
// at 75 octets (never inside a UTF-8 character) and text values escaped.
func WriteICalendar(w io.Writer, c Calendar) error {
	bw := bufio.NewWriter(w)
	line := func(name, value string) { writeFolded(bw, name+":"+value) }
	line("BEGIN", "VCALENDAR")
	line("PRODID", c.ProdID)
	line("VERSION", "2.0")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	line("X-WR-CALNAME", escapeText(c.Name))
	if c.Description != "" {
		line("X-WR-CALDESC", escapeText(c.Description))
	}
	if c.Refresh > 0 {
		d := icalDuration(c.Refresh)
		line("REFRESH-INTERVAL;VALUE=DURATION", d)
		line("X-PUBLISHED-TTL", d)
	}
	for _, e := range c.Events {
		line("BEGIN", "VEVENT")
		line("UID", escapeText(e.UID))
		line("DTSTAMP", e.Stamp.UTC().Format("20060102T150405Z"))
		day := e.Day.UTC()
		line("DTSTART;VALUE=DATE", day.Format("20060102"))
		line("DTEND;VALUE=DATE", day.AddDate(0, 0, 1).Format("20060102"))
		line("SUMMARY", escapeText(e.Summary))
		if e.Description != "" {
			line("DESCRIPTION", escapeText(e.Description))
		}
		if e.Status != "" {
			line("STATUS", e.Status)
		}
		if len(e.Categories) > 0 {
			cats := make([]string, len(e.Categories))
			for i, x := range e.Categories {
				cats[i] = escapeText(x)
			}
			line("CATEGORIES", strings.Join(cats, ","))
		}
		if e.URL != "" {
			line("URL;VALUE=URI", e.URL)
		}
		line("TRANSP", "TRANSPARENT") // a reminder of work, not busy time
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	return bw.Flush()
}

// escapeText escapes a TEXT value (RFC 5545 3.3.11): backslash, semicolon,
// comma and line breaks.
func escapeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case ';':
			b.WriteString(`\;`)
		case ',':
			b.WriteString(`\,`)
		case '\n':
			b.WriteString(`\n`)
		default:
			if r < 0x20 && r != '\t' || r == 0x7f {
				continue // control characters are not allowed in TEXT
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// writeFolded writes a content line, folded (RFC 5545 3.1): no line longer
// than 75 octets without its CRLF; each continuation starts with a space.
func writeFolded(w *bufio.Writer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.WriteString(s[:cut])
		w.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	w.WriteString(s)
	w.WriteString("\r\n")
}

func icalDuration(d time.Duration) string {
	if d%time.Hour == 0 {
		return "PT" + strconv.Itoa(int(d/time.Hour)) + "H"
	}
	return "PT" + strconv.Itoa(int(d/time.Minute)) + "M"
}
