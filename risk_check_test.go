package isms_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ismsdk/isms"
)

// testMethod is a 4×4 scale, accepting scores up to 4, with the
// organisation dimension on and the others off.
func testMethod() *isms.RiskMethod {
	return &isms.RiskMethod{Scale: isms.RiskScale{Size: 4, Classification: isms.ClassifyScore,
		Bands: []isms.RiskBand{{Key: "low", MinScore: 1, MaxScore: 4}, {Key: "high", MinScore: 5, MaxScore: 16}}},
		AcceptRule: isms.AcceptByScore, AcceptScore: 4, Dimensions: isms.ConsequenceDimensions{Organisation: true}}
}

// fakeRecords knows control 1 and 2 and members 10 and 11.
type fakeRecords struct{ fail error }

func (f fakeRecords) CheckControls(v *isms.Validation, field string, ids []int64) error {
	for _, id := range ids {
		if id != 1 && id != 2 {
			v.Add(field, "risk.err.unknown_control")
			break
		}
	}
	return f.fail
}

func (f fakeRecords) CheckMember(v *isms.Validation, field string, userID *int64) {
	if userID != nil && *userID != 10 && *userID != 11 {
		v.Add(field, "err.not_member")
	}
}

func TestRiskInputCheck(t *testing.T) {
	owner, stranger := int64(10), int64(99)
	deadline := isms.DateOf(time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC))
	// base is a complete, valid risk: likelihood 3, consequence 4, not yet decided.
	base := func() isms.RiskInput {
		return isms.RiskInput{AssessmentID: 1, ThreatID: 1, Title: "Ransomware", Likelihood: 3,
			Consequence: isms.Consequences{Confidentiality: 2, Availability: 4}}
	}
	type fe struct{ field, key string }
	for _, c := range []struct {
		name   string
		edit   func(*isms.RiskInput)
		want   []fe // in this order
		levels [4]int
	}{
		{"valid, undecided", nil, nil, [4]int{3, 4, 3, 4}},
		{"title required", func(in *isms.RiskInput) { in.Title = "  " }, []fe{{"risk_title", "err.required"}}, [4]int{3, 4, 3, 4}},
		{"title too long", func(in *isms.RiskInput) { in.Title = strings.Repeat("x", 301) }, []fe{{"risk_title", "err.too_long"}}, [4]int{3, 4, 3, 4}},
		{"description not UTF-8", func(in *isms.RiskInput) { in.Description = "\xff" }, []fe{{"description", "err.bad_text"}}, [4]int{3, 4, 3, 4}},
		{"likelihood missing", func(in *isms.RiskInput) { in.Likelihood = 0 }, []fe{{"likelihood", "risk.err.level"}}, [4]int{0, 4, 0, 4}},
		{"likelihood off the scale", func(in *isms.RiskInput) { in.Likelihood = 5 }, []fe{{"likelihood", "risk.err.level"}}, [4]int{5, 4, 5, 4}},
		{"consequence off the scale", func(in *isms.RiskInput) { in.Consequence.Integrity = 9 },
			[]fe{{"consequence_integrity", "risk.err.level"}}, [4]int{3, 9, 3, 9}},
		{"no consequence", func(in *isms.RiskInput) { in.Consequence = isms.Consequences{} },
			[]fe{{"consequence_confidentiality", "risk.err.consequence_missing"}}, [4]int{3, 0, 3, 0}},
		{"dimension off", func(in *isms.RiskInput) { in.Consequence.Citizens = 2 },
			[]fe{{"consequence_citizens", "risk.err.dimension_off"}}, [4]int{3, 4, 3, 4}},
		{"dimension on rates the risk", func(in *isms.RiskInput) { in.Consequence = isms.Consequences{Confidentiality: 1, Organisation: 3} },
			nil, [4]int{3, 3, 3, 3}},
		{"dimension on, off the scale", func(in *isms.RiskInput) { in.Consequence.Organisation = 7 },
			[]fe{{"consequence_organisation", "risk.err.level"}}, [4]int{3, 7, 3, 7}},
		{"unknown controls", func(in *isms.RiskInput) { in.ExistingControls, in.PlannedControls = []int64{1, 5}, []int64{6} },
			[]fe{{"existing_controls", "risk.err.unknown_control"}, {"planned_controls", "risk.err.unknown_control"}}, [4]int{3, 4, 3, 4}},
		{"unknown treatment", func(in *isms.RiskInput) { in.Treatment, in.OwnerID = "ignore", &owner },
			[]fe{{"treatment", "err.choice"}}, [4]int{3, 4, 3, 4}},
		{"owner not a member", func(in *isms.RiskInput) { in.OwnerID = &stranger }, []fe{{"owner_id", "err.not_member"}}, [4]int{3, 4, 3, 4}},
		{"accept needs an owner", func(in *isms.RiskInput) { in.Treatment = isms.TreatmentAccept },
			[]fe{{"owner_id", "risk.err.treatment_owner"}}, [4]int{3, 4, 3, 4}},
		{"accept needs no deadline", func(in *isms.RiskInput) { in.Treatment, in.OwnerID = isms.TreatmentAccept, &owner }, nil, [4]int{3, 4, 3, 4}},
		{"mitigate needs owner, deadline and planned controls", func(in *isms.RiskInput) { in.Treatment = isms.TreatmentMitigate },
			[]fe{{"owner_id", "risk.err.treatment_owner"}, {"treatment_deadline", "risk.err.treatment_deadline"}, {"planned_controls", "risk.err.planned_controls"}},
			[4]int{3, 4, 3, 4}},
		{"mitigate complete", func(in *isms.RiskInput) {
			in.Treatment, in.OwnerID, in.Deadline, in.PlannedControls = isms.TreatmentMitigate, &owner, &deadline, []int64{2}
			in.ResidualLikelihood, in.ResidualConsequence = 1, 2
		}, nil, [4]int{3, 4, 1, 2}},
		{"avoid needs a deadline, not controls", func(in *isms.RiskInput) { in.Treatment, in.OwnerID = isms.TreatmentAvoid, &owner },
			[]fe{{"treatment_deadline", "risk.err.treatment_deadline"}}, [4]int{3, 4, 3, 4}},
		{"share needs a deadline", func(in *isms.RiskInput) { in.Treatment, in.OwnerID = isms.TreatmentShare, &owner },
			[]fe{{"treatment_deadline", "risk.err.treatment_deadline"}}, [4]int{3, 4, 3, 4}},
		{"residual likelihood above inherent", func(in *isms.RiskInput) {
			in.Treatment, in.OwnerID, in.Deadline, in.ResidualLikelihood = isms.TreatmentAvoid, &owner, &deadline, 4
		}, []fe{{"residual_likelihood", "risk.err.residual_above"}}, [4]int{3, 4, 4, 4}},
		{"residual consequence above inherent", func(in *isms.RiskInput) {
			in.Treatment, in.OwnerID, in.Deadline, in.Consequence, in.ResidualConsequence = isms.TreatmentShare, &owner, &deadline, isms.Consequences{Integrity: 2}, 3
		}, []fe{{"residual_consequence", "risk.err.residual_above"}}, [4]int{3, 2, 3, 3}},
		{"residual off the scale", func(in *isms.RiskInput) { in.ResidualConsequence = 5 },
			[]fe{{"residual_consequence", "risk.err.level"}}, [4]int{3, 4, 3, 5}},
		{"undecided keeps the inherent risk", func(in *isms.RiskInput) { in.ResidualLikelihood = 2 },
			[]fe{{"residual_likelihood", "risk.err.residual_untreated"}}, [4]int{3, 4, 2, 4}},
		{"accepted keeps the inherent risk", func(in *isms.RiskInput) {
			in.Treatment, in.OwnerID, in.ResidualConsequence = isms.TreatmentAccept, &owner, 1
		},
			[]fe{{"residual_likelihood", "risk.err.residual_untreated"}}, [4]int{3, 4, 3, 1}},
		{"residual as inherent given explicitly", func(in *isms.RiskInput) { in.ResidualLikelihood, in.ResidualConsequence = 3, 4 }, nil, [4]int{3, 4, 3, 4}},
		{"residual not compared while a level is wrong", func(in *isms.RiskInput) { in.Likelihood, in.ResidualLikelihood = 7, 2 },
			[]fe{{"likelihood", "risk.err.level"}}, [4]int{7, 4, 2, 4}},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := base()
			if c.edit != nil {
				c.edit(&in)
			}
			var v isms.Validation
			got, err := in.Check(&v, testMethod(), nil, "", fakeRecords{})
			if err != nil {
				t.Fatal(err)
			}
			var fields []fe
			if e := isms.AsError(v.Err()); e != nil {
				if e.Code != isms.EInvalid || e.Key != "err.invalid" {
					t.Errorf("error %v, want invalid", e)
				}
				for _, f := range e.Fields {
					fields = append(fields, fe{f.Field, f.Key})
				}
			}
			if !reflect.DeepEqual(fields, c.want) {
				t.Errorf("problems %v, want %v", fields, c.want)
			}
			if levels := [4]int{got.InherentLikelihood, got.InherentConsequence, got.ResidualLikelihood, got.ResidualConsequence}; levels != c.levels {
				t.Errorf("levels %v, want %v", levels, c.levels)
			}
		})
	}
}

// The level errors name the scale's range, for the message.
func TestRiskInputCheckLevelArgs(t *testing.T) {
	var v isms.Validation
	in := isms.RiskInput{Title: "x", Likelihood: 9, Consequence: isms.Consequences{Availability: 1}}
	if _, err := in.Check(&v, testMethod(), nil, "", fakeRecords{}); err != nil {
		t.Fatal(err)
	}
	e := isms.AsError(v.Err())
	if e == nil || len(e.Fields) != 1 || !reflect.DeepEqual(e.Fields[0].Args, []any{1, 4}) {
		t.Fatalf("got %v, want likelihood's range 1–4", e)
	}
}

// A risk without a title is named after its threat and the assessment's
// subject; the title is trimmed.
func TestRiskInputCheckTitle(t *testing.T) {
	th := &isms.Threat{NameDA: "Ransomware", NameEN: "Ransomware attack"}
	for _, c := range []struct {
		title, subject string
		threat         *isms.Threat
		want           string
	}{
		{"  Egen titel ", "ESDH", th, "Egen titel"},
		{"", "ESDH", th, "Ransomware – ESDH"},
		{"", "ESDH", &isms.Threat{NameEN: "Flood"}, "Flood – ESDH"},
		{"", "", th, ""},
		{"", "ESDH", nil, ""},
	} {
		var v isms.Validation
		in := isms.RiskInput{Title: c.title, Likelihood: 1, Consequence: isms.Consequences{Integrity: 1}}
		got, err := in.Check(&v, testMethod(), c.threat, c.subject, fakeRecords{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Input.Title != c.want {
			t.Errorf("title %q with subject %q: got %q, want %q", c.title, c.subject, got.Input.Title, c.want)
		}
		if (c.want == "") != v.Has("risk_title") {
			t.Errorf("title %q: problem %v", c.want, v.Err())
		}
	}
}

// A failure to look up the records is the check's error, not a problem of
// the input.
func TestRiskInputCheckRecordsFail(t *testing.T) {
	boom := errors.New("database gone")
	var v isms.Validation
	in := isms.RiskInput{Title: "x", Likelihood: 1, Consequence: isms.Consequences{Integrity: 1}}
	if _, err := in.Check(&v, testMethod(), nil, "", fakeRecords{fail: boom}); !errors.Is(err, boom) {
		t.Fatalf("got %v, want the records' error", err)
	}
}

// What management's acceptance needs: a reason, an expiry within three
// years, a decided risk above the criteria.
func TestRiskAcceptanceInputCheck(t *testing.T) {
	today := isms.DateOf(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC))
	day := func(years, days int) *isms.Date {
		d := isms.DateOf(today.AddDate(years, 0, days))
		return &d
	}
	above := &isms.Risk{Treatment: isms.TreatmentAccept, Residual: isms.RiskLevel{Likelihood: 3, Consequence: 4}}
	within := &isms.Risk{Treatment: isms.TreatmentMitigate, Residual: isms.RiskLevel{Likelihood: 1, Consequence: 1, Acceptable: true}}
	undecided := &isms.Risk{Residual: isms.RiskLevel{Likelihood: 3, Consequence: 4}}
	type fe struct{ field, key string }
	for _, c := range []struct {
		name    string
		reason  string
		expires *isms.Date
		risk    *isms.Risk
		key     string // the error's key, "" when accepted
		fields  []fe
	}{
		{"accepted", " Budget 2027 ", day(0, 30), above, "", nil},
		{"until tomorrow", "Budget", day(0, 1), above, "", nil},
		{"three years ahead", "Budget", day(3, 0), above, "", nil},
		{"a day beyond three years", "Budget", day(3, 1), above, "err.invalid", []fe{{"acceptance_expires", "risk.err.expiry_far"}}},
		{"until today", "Budget", day(0, 0), above, "err.invalid", []fe{{"acceptance_expires", "risk.err.expiry_past"}}},
		{"no expiry, no reason", "  ", nil, above, "err.invalid",
			[]fe{{"reason", "err.required"}, {"acceptance_expires", "risk.err.expiry_missing"}}},
		{"reason too long", strings.Repeat("x", 5001), day(0, 30), above, "err.invalid", []fe{{"reason", "err.too_long"}}},
		{"undecided", "Budget", day(0, 30), undecided, "risk.err.accept_undecided", nil},
		{"within the criteria", "Budget", day(0, 30), within, "risk.err.accept_not_needed", nil},
		{"input problems before the risk's", "", day(0, 30), undecided, "err.invalid", []fe{{"reason", "err.required"}}},
	} {
		in := isms.RiskAcceptanceInput{Reason: c.reason, Expires: c.expires}
		err := in.Check(c.risk, today)
		var key string
		var fields []fe
		if e := isms.AsError(err); e != nil {
			if e.Code != isms.EInvalid {
				t.Errorf("%s: code %s", c.name, e.Code)
			}
			key = e.Key
			for _, f := range e.Fields {
				fields = append(fields, fe{f.Field, f.Key})
			}
		}
		if key != c.key || !reflect.DeepEqual(fields, c.fields) {
			t.Errorf("%s: got %q %v, want %q %v", c.name, key, fields, c.key, c.fields)
		}
		if err == nil && in.Reason != strings.TrimSpace(c.reason) {
			t.Errorf("%s: reason %q not trimmed", c.name, in.Reason)
		}
	}
}
