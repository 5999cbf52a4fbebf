package sqlstore

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ismsdk/isms"
)

// Rules for checklist questions 3.2 and 6.2, answered from the Statement
// of Applicability and the documentation register's optional types. Their
// readable statements are the catalogue keys rule.3.2 and rule.6.2.
func init() {
	registerRule("3.2", ruleSoADocumented)
	registerRule("6.2", ruleSoAOptionalDocumentation)
}

func soaEvidence() isms.Evidence {
	return isms.Evidence{RecordType: typeSoA, Label: "soa_current", Path: "/soa"}
}

// 3.2: every control is decided; every applicable control is justified by
// a risk it treats or a requirement that demands it (a business reason
// alone makes it partly); every excluded control says why and no risk
// relies on it; some controls rest on the risk assessment at all; and
// the current state is the one management approved.
func ruleSoADocumented(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	s, err := tx.soaState(orgID, isms.SoAFilter{})
	if err != nil {
		return nil, err
	}
	a := &isms.ChecklistAnswer{}
	sum := s.Summary
	if sum.Applicable+sum.Excluded == 0 && s.Latest == nil {
		a.Status = isms.AnswerNo
		a.Reasons = append(a.Reasons, isms.Msg("reason.soa_none"))
		return a, nil
	}
	a.Evidence = append(a.Evidence, soaEvidence())
	complete := true
	miss := func(n int, key string) {
		if n > 0 {
			complete = false
			a.Reasons = append(a.Reasons, isms.Msg(key, n))
		}
	}
	miss(sum.Undecided, "reason.soa_undecided")
	miss(sum.Unjustified, "reason.soa_unjustified")
	miss(sum.BusinessOnly, "reason.soa_business_only")
	miss(sum.NoExclusionReason, "reason.soa_no_exclusion_reason")
	miss(sum.ExcludedWithRisks, "reason.soa_excluded_with_risks")
	if sum.Applicable > 0 && sum.JustifiedByRisk == 0 {
		complete = false
		a.Reasons = append(a.Reasons, isms.Msg("reason.soa_no_risk_basis"))
	}
	switch {
	case s.Approved == nil:
		complete = false
		a.Reasons = append(a.Reasons, isms.Msg("reason.soa_not_approved"))
	case !s.UpToDate:
		complete = false
		a.Reasons = append(a.Reasons, isms.Msg("reason.soa_changed_since_approval", s.Approved.Number, sum.Changed))
	}
	if s.Approved != nil {
		a.Evidence = append(a.Evidence, isms.Evidence{RecordType: typeSoAVersion, RecordID: s.Approved.ID, Label: "soa_approved_version",
			Path: fmt.Sprintf("/soa/versions/%d", s.Approved.ID)})
		a.Reasons = append(a.Reasons, isms.Msg("reason.soa_approved", s.Approved.Number, s.Approved.ApprovedByName,
			s.Approved.ApprovedAt.Format(isms.DateLayout)))
	}
	if complete {
		a.Status = isms.AnswerYes
		a.Reasons = append([]isms.Message{isms.Msg("reason.soa_complete", sum.Applicable, sum.Excluded, sum.JustifiedByRisk)}, a.Reasons...)
	} else {
		a.Status = isms.AnswerPartly
	}
	return a, nil
}

// 6.2: every optional documentation type of the register is chosen or
// declined with a reason, and the SoA agrees: the Annex A controls of a
// chosen type are applicable; those of a declined type are excluded or
// justified otherwise.
func ruleSoAOptionalDocumentation(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	a := &isms.ChecklistAnswer{}
	env, err := tx.soaEnv()
	if err != nil {
		return nil, err
	}
	if !env.docReqs {
		a.Status = isms.AnswerNo
		a.Reasons = append(a.Reasons, isms.Msg("reason.soa_docreg_missing"))
		return a, nil
	}
	lines, err := tx.soaLines(orgID, env, 0, false)
	if err != nil {
		return nil, err
	}
	byRef := map[string]*isms.SoAControl{}
	for _, c := range lines {
		if c.Catalogue == isms.CatalogueAnnexA2022 {
			byRef[c.Ref] = c
		}
	}
	rows, err := tx.query(`SELECT COALESCE(annex_a, ''), COALESCE(decision, ''), COALESCE(reason, '') FROM documentation_requirements
		WHERE organisation_id = ? AND kind = 'optional'`, orgID)
	if err != nil {
		return nil, err
	}
	type docType struct{ annex, decision, reason string }
	types, err := collect(rows, func(row scanner) (docType, error) {
		var t docType
		if err := row.Scan(&t.annex, &t.decision, &t.reason); err != nil {
			return docType{}, err
		}
		return t, nil
	})
	if err != nil {
		return nil, err
	}
	if len(types) == 0 {
		a.Status = isms.AnswerNo
		a.Reasons = append(a.Reasons, isms.Msg("reason.soa_no_optional_types"))
		return a, nil
	}
	undecided, ok := 0, 0
	disagree := map[string]bool{}
	for _, t := range types {
		decided := (t.decision == "chosen" || t.decision == "declined") && strings.TrimSpace(t.reason) != ""
		if !decided {
			undecided++
			continue
		}
		consistent := true
		for _, ref := range strings.Fields(t.annex) {
			c := byRef[soaAnnexRef(ref)]
			if c == nil {
				continue // a reference to ISO 27002 or to a 2013 clause, not a 2022 control
			}
			switch {
			case t.decision == "chosen" && c.Applicability != isms.Applicable,
				t.decision == "declined" && c.Applicability != isms.Excluded &&
					!(c.Applicability == isms.Applicable && (c.JustifiedByRecords() || c.BusinessReason != "")):
				consistent = false
				disagree[c.Ref] = true
			}
		}
		if consistent {
			ok++
		}
	}
	a.Evidence = append(a.Evidence, soaEvidence())
	if undecided > 0 {
		a.Reasons = append(a.Reasons, isms.Msg("reason.soa_optional_undecided", undecided, len(types)))
	}
	if len(disagree) > 0 {
		refs := make([]string, 0, len(disagree))
		for r := range disagree {
			refs = append(refs, r)
		}
		sort.Slice(refs, func(i, j int) bool { return soaRefLess(refs[i], refs[j]) })
		a.Reasons = append(a.Reasons, isms.Msg("reason.soa_optional_disagree", strings.Join(refs, ", ")))
	}
	// Yes when every type is decided and the SoA agrees; partly when at
	// least some types are decided; no when none is.
	a.Status = grade(ok, len(types))
	if a.Status == isms.AnswerNo && undecided < len(types) {
		a.Status = isms.AnswerPartly
	}
	if a.Status == isms.AnswerYes {
		a.Reasons = append(a.Reasons, isms.Msg("reason.soa_optional_complete", len(types)))
	}
	return a, nil
}

// soaRefLess orders Annex A references numerically ("5.9" before "5.10").
func soaRefLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if pa[i] == pb[i] {
			continue
		}
		var x, y int
		_, ex := fmt.Sscan(pa[i], &x)
		_, ey := fmt.Sscan(pb[i], &y)
		if ex == nil && ey == nil {
			return x < y
		}
		return pa[i] < pb[i]
	}
	return len(pa) < len(pb)
}
