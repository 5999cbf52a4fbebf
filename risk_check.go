package isms

import "strings"

// The rules a risk's input must follow (guide 2.3, clause 6.1.2 and
// 6.1.3): its levels on the organisation's scale, the residual risk no
// higher than the inherent one, and what each treatment decision needs.
// They hold for the form, the API and an imported spreadsheet alike.

// RiskRecords answers the checks of a risk's input that need the
// organisation's records. The store answers them inside the write's
// transaction; the checks ask in the order the fields are checked, so the
// problems are listed in the form's order.
type RiskRecords interface {
	// CheckControls records a problem with field when ids do not all
	// name controls a risk may name.
	CheckControls(v *Validation, field string, ids []int64) error
	// CheckMember records a problem with field when userID, if set, is
	// not a member of the organisation.
	CheckMember(v *Validation, field string, userID *int64)
}

// CheckedRisk is a risk input that passed its checks, with the levels that
// follow from it: the inherent risk at the likelihood and the highest
// consequence, and the residual risk as given or, where not given, as the
// inherent one.
type CheckedRisk struct {
	Input               RiskInput // with its title trimmed or made up
	InherentLikelihood  int
	InherentConsequence int
	ResidualLikelihood  int
	ResidualConsequence int
}

// Check checks a risk's input against the method and records every
// problem in v. threat is the risk's threat and subject the name of the
// assessment's subject, both looked up by the caller (nil and "" when
// unknown): together they make up the title when none is given. The
// error is only ever one of records'; the input's problems are in v.
func (in RiskInput) Check(v *Validation, m *RiskMethod, threat *Threat, subject string, records RiskRecords) (*CheckedRisk, error) {
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" && threat != nil && subject != "" {
		name := threat.NameDA
		if name == "" {
			name = threat.NameEN
		}
		in.Title = name + " – " + subject
	}
	v.RequireText("risk_title", in.Title, 300)
	v.CheckText("description", in.Description, 10000)
	v.CheckText("existing_controls_text", in.ExistingControlsText, 5000)
	v.CheckText("treatment_note", in.TreatmentNote, 5000)
	s := &m.Scale
	s.checkLevel(v, "likelihood", in.Likelihood, false)
	c := in.Consequence
	s.checkLevel(v, "consequence_confidentiality", c.Confidentiality, true)
	s.checkLevel(v, "consequence_integrity", c.Integrity, true)
	s.checkLevel(v, "consequence_availability", c.Availability, true)
	for _, d := range []struct {
		field string
		level int
		on    bool
	}{{"consequence_organisation", c.Organisation, m.Dimensions.Organisation}, {"consequence_citizens", c.Citizens, m.Dimensions.Citizens},
		{"consequence_society", c.Society, m.Dimensions.Society}} {
		if !d.on && d.level != 0 {
			v.Add(d.field, "risk.err.dimension_off")
		} else {
			s.checkLevel(v, d.field, d.level, true)
		}
	}
	consOK := !v.Has("consequence_confidentiality") && !v.Has("consequence_integrity") && !v.Has("consequence_availability")
	if c.Max() == 0 && consOK {
		v.Add("consequence_confidentiality", "risk.err.consequence_missing")
		consOK = false
	}
	if err := records.CheckControls(v, "existing_controls", in.ExistingControls); err != nil {
		return nil, err
	}
	if err := records.CheckControls(v, "planned_controls", in.PlannedControls); err != nil {
		return nil, err
	}
	if !in.Treatment.Valid() {
		v.Add("treatment", "err.choice")
	}
	records.CheckMember(v, "owner_id", in.OwnerID)
	if in.Treatment != TreatmentNone && in.OwnerID == nil {
		v.Add("owner_id", "risk.err.treatment_owner")
	}
	if in.Treatment.NeedsDeadline() && in.Deadline == nil {
		v.Add("treatment_deadline", "risk.err.treatment_deadline")
	}
	if in.Treatment == TreatmentMitigate && len(in.PlannedControls) == 0 {
		v.Add("planned_controls", "risk.err.planned_controls")
	}
	p := &CheckedRisk{InherentLikelihood: in.Likelihood, InherentConsequence: c.Max(),
		ResidualLikelihood: in.ResidualLikelihood, ResidualConsequence: in.ResidualConsequence}
	if p.ResidualLikelihood == 0 {
		p.ResidualLikelihood = p.InherentLikelihood
	}
	if p.ResidualConsequence == 0 {
		p.ResidualConsequence = p.InherentConsequence
	}
	s.checkLevel(v, "residual_likelihood", in.ResidualLikelihood, true)
	s.checkLevel(v, "residual_consequence", in.ResidualConsequence, true)
	levelsOK := !v.Has("likelihood") && consOK && !v.Has("residual_likelihood") && !v.Has("residual_consequence")
	switch {
	case !levelsOK:
	case p.ResidualLikelihood > p.InherentLikelihood:
		v.Add("residual_likelihood", "risk.err.residual_above")
	case p.ResidualConsequence > p.InherentConsequence:
		v.Add("residual_consequence", "risk.err.residual_above")
	case !in.Treatment.ChangesRisk() && (p.ResidualLikelihood != p.InherentLikelihood || p.ResidualConsequence != p.InherentConsequence):
		// Without a treatment that changes it, the risk stays as it is.
		v.Add("residual_likelihood", "risk.err.residual_untreated")
	}
	p.Input = in
	return p, nil
}

// NeedsDeadline reports whether the decision needs a deadline: each
// treatment that is carried out (mitigate, avoid, share) has one.
func (t Treatment) NeedsDeadline() bool {
	return t == TreatmentMitigate || t == TreatmentAvoid || t == TreatmentShare
}

// ChangesRisk reports whether the decision can bring the risk below its
// inherent level; accepting it, or deciding nothing yet, leaves it as it is.
func (t Treatment) ChangesRisk() bool { return t != TreatmentAccept && t != TreatmentNone }

// checkLevel checks a likelihood or consequence against the scale; 0 is
// allowed where optional (not affected, or as the inherent risk).
func (s *RiskScale) checkLevel(v *Validation, field string, level int, optional bool) {
	if optional && level == 0 {
		return
	}
	if !s.InRange(level) {
		v.Add(field, "risk.err.level", 1, s.Size)
	}
}

// MaxAcceptanceYears is how far ahead an acceptance may run: it must come
// back to management for a new look.
const MaxAcceptanceYears = 3

// Check checks management's acceptance of risk r (clause 6.1.3 f) on day
// today: a reason (trimmed here) and an expiry after today and at most
// MaxAcceptanceYears ahead, for a risk that has a treatment decision and
// whose residual risk is above the acceptance criteria.
func (in *RiskAcceptanceInput) Check(r *Risk, today Date) error {
	var v Validation
	in.Reason = strings.TrimSpace(in.Reason)
	v.RequireText("reason", in.Reason, 5000)
	switch {
	case in.Expires == nil:
		v.Add("acceptance_expires", "risk.err.expiry_missing")
	case !today.Before(*in.Expires):
		v.Add("acceptance_expires", "risk.err.expiry_past")
	case DateOf(today.AddDate(MaxAcceptanceYears, 0, 0)).Before(*in.Expires):
		v.Add("acceptance_expires", "risk.err.expiry_far", MaxAcceptanceYears)
	}
	if err := v.Err(); err != nil {
		return err
	}
	if r.Treatment == TreatmentNone {
		return Errorf(EInvalid, "risk.err.accept_undecided")
	}
	if r.Residual.Acceptable {
		return Errorf(EInvalid, "risk.err.accept_not_needed")
	}
	return nil
}
