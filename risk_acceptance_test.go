package isms_test

import (
	"testing"
	"time"

	"github.com/ismsdk/isms"
)

// Whether a risk needs management's acceptance, is validly accepted and
// is settled, from its levels, treatment and acceptance on a day. The
// store runs the same cases through its SQL (sqlstore's rules_test.go).
func TestRiskJudgeAcceptance(t *testing.T) {
	today := isms.DateOf(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC))
	level := func(l, c int, ok bool) isms.RiskLevel {
		return isms.RiskLevel{Likelihood: l, Consequence: c, Score: l * c, Acceptable: ok}
	}
	accepted := func(l, c, days int) *isms.RiskAcceptance {
		return &isms.RiskAcceptance{Likelihood: l, Consequence: c, Expires: today.AddDays(days)}
	}
	for _, c := range []struct {
		name                     string
		inherent, residual       isms.RiskLevel
		treatment                isms.Treatment
		acc                      *isms.RiskAcceptance
		accepted, needs, settled bool
	}{
		{"within the criteria", level(1, 2, true), level(1, 2, true), "", nil, false, false, true},
		{"above, undecided", level(3, 4, false), level(3, 4, false), "", nil, false, true, false},
		{"above, undecided, accepted", level(3, 4, false), level(3, 4, false), "", accepted(3, 4, 30), true, false, false},
		{"above, treated down", level(3, 4, false), level(1, 2, true), isms.TreatmentMitigate, nil, false, false, true},
		{"above, treated, still above", level(3, 4, false), level(2, 3, false), isms.TreatmentMitigate, nil, false, true, false},
		{"above, accepted", level(3, 4, false), level(3, 4, false), isms.TreatmentAccept, accepted(3, 4, 30), true, false, true},
		{"accepted until today", level(3, 4, false), level(3, 4, false), isms.TreatmentAccept, accepted(3, 4, 0), true, false, true},
		{"acceptance expired yesterday", level(3, 4, false), level(3, 4, false), isms.TreatmentAccept, accepted(3, 4, -1), false, true, false},
		{"residual likelihood above the accepted", level(4, 4, false), level(4, 4, false), isms.TreatmentAccept, accepted(3, 4, 30), false, true, false},
		{"residual consequence above the accepted", level(3, 4, false), level(3, 4, false), isms.TreatmentAccept, accepted(3, 3, 30), false, true, false},
		{"residual below the accepted", level(3, 4, false), level(2, 3, false), isms.TreatmentMitigate, accepted(3, 4, 30), true, false, true},
		{"within the criteria after treatment, acceptance expired", level(3, 4, false), level(1, 1, true), isms.TreatmentMitigate, accepted(3, 4, -5), false, false, true},
	} {
		r := &isms.Risk{Inherent: c.inherent, Residual: c.residual, Treatment: c.treatment, Acceptance: c.acc}
		r.JudgeAcceptance(today)
		if r.Accepted != c.accepted || r.NeedsAcceptance != c.needs || r.Settled() != c.settled {
			t.Errorf("%s: accepted %v, needs acceptance %v, settled %v; want %v, %v, %v",
				c.name, r.Accepted, r.NeedsAcceptance, r.Settled(), c.accepted, c.needs, c.settled)
		}
	}
}
