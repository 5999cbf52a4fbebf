package isms

import (
	"testing"
	"time"
)

func TestIncidentClocks(t *testing.T) {
	detected := time.Date(2026, 3, 10, 14, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return detected.Add(time.Duration(h) * time.Hour) }
	rep := func(regime, kind string, h int) *IncidentReport {
		return &IncidentReport{Regime: regime, Kind: kind, SentAt: at(h)}
	}
	both := IncidentSettings{NIS2Applies: true, GDPRApplies: true}
	type want struct {
		regime, kind string
		due          time.Time
		state        ClockState
		remaining    time.Duration
	}
	for _, c := range []struct {
		name     string
		inc      Incident
		settings IncidentSettings
		reports  []*IncidentReport
		now      time.Time
		want     []want
	}{
		{"event not triaged has no clocks", Incident{Status: IncidentReported, NIS2Significant: true, PersonalData: true}, both, nil, at(1), nil},
		{"not an incident has no clocks", Incident{Status: IncidentNotIncident, PersonalData: true}, both, nil, at(1), nil},
		{"ordinary incident has no clocks", Incident{Status: IncidentTriaged}, both, nil, at(1), nil},
		{"NIS2 not applying", Incident{Status: IncidentTriaged, NIS2Significant: true}, IncidentSettings{GDPRApplies: true}, nil, at(1), nil},
		{"GDPR not applying", Incident{Status: IncidentTriaged, PersonalData: true}, IncidentSettings{NIS2Applies: true}, nil, at(1), nil},
		{"personal data breach, 10 hours in", Incident{Status: IncidentInvestigating, PersonalData: true}, both, nil, at(10),
			[]want{{RegimeGDPR, ReportNotification, at(72), ClockDue, 62 * time.Hour}}},
		{"personal data breach overdue", Incident{Status: IncidentContained, PersonalData: true}, both, nil, at(80),
			[]want{{RegimeGDPR, ReportNotification, at(72), ClockOverdue, -8 * time.Hour}}},
		{"personal data breach met at the deadline", Incident{Status: IncidentClosed, PersonalData: true}, both,
			[]*IncidentReport{rep(RegimeGDPR, ReportNotification, 72)}, at(500),
			[]want{{RegimeGDPR, ReportNotification, at(72), ClockMet, 0}}},
		{"personal data breach reported late", Incident{Status: IncidentResolved, PersonalData: true}, both,
			[]*IncidentReport{rep(RegimeGDPR, ReportNotification, 73)}, at(500),
			[]want{{RegimeGDPR, ReportNotification, at(72), ClockLate, 0}}},
		{"significant NIS2, nothing sent: final from detection", Incident{Status: IncidentTriaged, NIS2Significant: true}, both, nil, at(30),
			[]want{{RegimeNIS2, ReportEarlyWarning, at(24), ClockOverdue, -6 * time.Hour},
				{RegimeNIS2, ReportNotification, at(72), ClockDue, 42 * time.Hour},
				{RegimeNIS2, ReportFinal, time.Date(2026, 4, 10, 14, 0, 0, 0, time.UTC), ClockDue, time.Date(2026, 4, 10, 14, 0, 0, 0, time.UTC).Sub(at(30))}}},
		{"significant NIS2, notification sent: final a month after it", Incident{Status: IncidentInvestigating, NIS2Significant: true}, both,
			[]*IncidentReport{rep(RegimeNIS2, ReportEarlyWarning, 20), rep(RegimeNIS2, ReportNotification, 70)}, at(100),
			[]want{{RegimeNIS2, ReportEarlyWarning, at(24), ClockMet, 0},
				{RegimeNIS2, ReportNotification, at(72), ClockMet, 0},
				{RegimeNIS2, ReportFinal, at(70).AddDate(0, 1, 0), ClockDue, at(70).AddDate(0, 1, 0).Sub(at(100))}}},
		{"both regimes, ordered by deadline, the earliest report counts", Incident{Status: IncidentContained, NIS2Significant: true, PersonalData: true}, both,
			[]*IncidentReport{rep(RegimeNIS2, ReportEarlyWarning, 30), rep(RegimeNIS2, ReportEarlyWarning, 12), rep(RegimeGDPR, ReportNotification, 48)}, at(50),
			[]want{{RegimeNIS2, ReportEarlyWarning, at(24), ClockMet, 0},
				{RegimeNIS2, ReportNotification, at(72), ClockDue, 22 * time.Hour},
				{RegimeGDPR, ReportNotification, at(72), ClockMet, 0},
				{RegimeNIS2, ReportFinal, detected.AddDate(0, 1, 0), ClockDue, detected.AddDate(0, 1, 0).Sub(at(50))}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			inc := c.inc
			inc.DetectedAt = detected
			got := IncidentClocks(&inc, c.settings, c.reports, c.now)
			if len(got) != len(c.want) {
				t.Fatalf("got %d clocks %+v, want %d", len(got), got, len(c.want))
			}
			for i, w := range c.want {
				g := got[i]
				if g.Regime != w.regime || g.Kind != w.kind || !g.Due.Equal(w.due) || g.State != w.state || g.Remaining != w.remaining {
					t.Errorf("clock %d = %s/%s due %s %s %s, want %s/%s due %s %s %s", i, g.Regime, g.Kind, g.Due, g.State, g.Remaining,
						w.regime, w.kind, w.due, w.state, w.remaining)
				}
			}
		})
	}
}

func TestNearestClock(t *testing.T) {
	d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if NearestClock(nil) != nil {
		t.Fatal("no clocks, no nearest")
	}
	clocks := []ReportingClock{{Kind: "a", Due: d, State: ClockMet}, {Kind: "b", Due: d.Add(time.Hour), State: ClockOverdue}, {Kind: "c", Due: d.Add(2 * time.Hour), State: ClockDue}}
	if n := NearestClock(clocks); n == nil || n.Kind != "b" {
		t.Fatalf("nearest %+v", n)
	}
}

func TestIncidentStatus(t *testing.T) {
	for _, c := range []struct {
		s                     IncidentStatus
		valid, incident, open bool
	}{{IncidentReported, true, false, true}, {IncidentNotIncident, true, false, false}, {IncidentTriaged, true, true, true},
		{IncidentResolved, true, true, true}, {IncidentClosed, true, true, false}, {"lost", false, false, true}} {
		if c.s.Valid() != c.valid || c.s.IsIncident() != c.incident || c.s.Open() != c.open {
			t.Errorf("%s: valid %v incident %v open %v", c.s, c.s.Valid(), c.s.IsIncident(), c.s.Open())
		}
	}
}
