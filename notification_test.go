package isms

import (
	"testing"
	"time"
)

func TestEscalationClockRoundTrip(t *testing.T) {
	due := time.Date(2026, 5, 4, 10, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	n := &Notification{Event: NotifyEscalation, Detail: EscalationDetail(RegimeNIS2, ReportEarlyWarning, "overdue", due)}
	c := n.Clock()
	if c == nil || *c != (EscalatedClock{Regime: RegimeNIS2, Kind: ReportEarlyWarning, State: "overdue", Deadline: "2026-05-04 08:00 UTC"}) {
		t.Fatalf("clock %+v from %q", c, n.Detail)
	}
	for _, other := range []*Notification{
		{Event: NotifyOverdue, Detail: n.Detail},  // not an escalation
		{Event: NotifyEscalation, Detail: "nis2"}, // not a clock
	} {
		if c := other.Clock(); c != nil {
			t.Errorf("%+v: clock %+v", other, c)
		}
	}
	for _, d := range NotificationDigests {
		if !d.Valid() {
			t.Errorf("%s not valid", d)
		}
	}
	if NotificationDigest("hourly").Valid() || NotificationDigest("").Valid() {
		t.Error("a digest not offered is valid")
	}
}
