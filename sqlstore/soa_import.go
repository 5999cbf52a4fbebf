package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
)

// Import of a 2013-edition SoA (guide footnote 5: the 2022 revision gives
// reason to revisit the SoA). Each 2013 control's decision is carried to
// the 2022 controls it maps to (catalog.AnnexA2013). The 11 controls new
// in 2022, controls fed by 2013 controls that disagree, and controls the
// file excludes although recorded requirements or risks rely on them are
// flagged: the user decides each before anything is written, and then
// everything is written in one transaction.

// soaImportCols are the columns a problem in the rows themselves names
// (the file parser names the file's own columns instead).
const (
	soaColRef           = "soa.col.ref_2013"
	soaColApplicability = "soa.col.applicability"
	soaColJustification = "soa.col.justification"
	soaColExclusion     = "soa.col.exclusion_reason"
	soaColStatus        = "soa.col.status"
)

// soaImportRowLimit bounds a file: a 2013 SoA has 114 controls.
const soaImportRowLimit = 2000

func soaNorm2013(ref string) string {
	ref = strings.TrimSpace(ref)
	if len(ref) > 1 && (ref[0] == 'A' || ref[0] == 'a') {
		ref = strings.TrimLeft(ref[1:], ". ")
	}
	return ref
}

// soaImportPlan works out what an import would do against the current
// state, and what stands in its way.
func (tx *Tx) soaImportPlan(orgID int64, in isms.SoAImportInput) (*isms.SoAImportPreview, map[int64]*isms.SoAControl, error) {
	env, err := tx.soaEnv()
	if err != nil {
		return nil, nil, err
	}
	lines, err := tx.soaLines(orgID, env, 0, false)
	if err != nil {
		return nil, nil, err
	}
	p := &isms.SoAImportPreview{FileName: in.FileName, Rows: len(in.Rows), StateToken: soaStateToken(lines),
		Controls: []*isms.SoAImportControl{}, Problems: []isms.SoAImportProblem{}}
	problem := func(row int, col, key string, args ...any) {
		p.Problems = append(p.Problems, isms.SoAImportProblem{Row: row, Column: col, Message: isms.Msg(key, args...)})
	}
	if len(in.Rows) == 0 {
		problem(0, "", "soa.import.err.no_rows")
	}
	if len(in.Rows) > soaImportRowLimit {
		problem(0, "", "soa.import.err.too_many_rows", soaImportRowLimit)
		in.Rows = in.Rows[:soaImportRowLimit]
	}

	// The rows as such.
	old := map[string]catalog.Control{}
	for _, c := range catalog.AnnexA2013() {
		old[c.ID] = c
	}
	seen := map[string]int{}
	for i := range in.Rows {
		r := &in.Rows[i]
		r.Ref2013 = soaNorm2013(r.Ref2013)
		r.Justification, r.ExclusionReason = strings.TrimSpace(r.Justification), strings.TrimSpace(r.ExclusionReason)
		if _, ok := old[r.Ref2013]; !ok {
			problem(r.Row, soaColRef, "soa.import.err.unknown_control", r.Ref2013)
		} else if first, dup := seen[r.Ref2013]; dup {
			problem(r.Row, soaColRef, "soa.import.err.duplicate", r.Ref2013, first)
		} else {
			seen[r.Ref2013] = r.Row
		}
		switch r.Applicability {
		case isms.Applicable:
			if r.Status == isms.ImplNotApplicable {
				problem(r.Row, soaColStatus, "soa.import.err.applicable_not_applicable")
			}
		case isms.Excluded:
			if r.ExclusionReason == "" {
				// Many 2013 SoAs keep one column for the reason either way.
				r.ExclusionReason, r.Justification = r.Justification, ""
			}
			if r.ExclusionReason == "" {
				problem(r.Row, soaColExclusion, "soa.import.err.excluded_no_reason")
			}
			if r.Status != "" && r.Status != isms.ImplNotApplicable {
				problem(r.Row, soaColStatus, "soa.import.err.excluded_status")
			}
		default:
			problem(r.Row, soaColApplicability, "soa.import.err.no_decision")
		}
		if r.Status != "" && !r.Status.Valid() {
			problem(r.Row, soaColStatus, "soa.import.err.bad_status")
		}
		for col, s := range map[string]string{soaColJustification: r.Justification, soaColExclusion: r.ExclusionReason} {
			var v isms.Validation
			checkText(&v, "x", s, soaMaxReason)
			if v.Err() != nil {
				problem(r.Row, col, "soa.import.err.too_long", soaMaxReason)
			}
		}
	}

	// Carry the rows to 2022.
	feeds := map[string][]isms.SoAImportRow{}
	for _, r := range in.Rows {
		for _, to := range old[r.Ref2013].MapsTo {
			feeds[to] = append(feeds[to], r)
		}
	}
	isNew := map[string]bool{}
	for _, c := range catalog.AnnexA2022() {
		isNew[c.ID] = c.New
	}
	current := map[int64]*isms.SoAControl{}
	known := map[string]bool{}
	for _, c := range lines {
		current[c.ControlID] = c
		if c.Catalogue != isms.CatalogueAnnexA2022 {
			continue
		}
		known[c.Ref] = true
		ic := &isms.SoAImportControl{ControlID: c.ControlID, Ref: c.Ref, Theme: c.Theme, TitleDA: c.TitleDA, TitleEN: c.TitleEN,
			Sources: feeds[c.Ref], CurrentApplicability: c.Applicability, CurrentStatus: c.Status}
		if ic.Sources == nil {
			ic.Sources = []isms.SoAImportRow{}
		}
		switch {
		case isNew[c.Ref]:
			ic.Flag = isms.ImportFlagNew
		case len(ic.Sources) == 0:
			ic.Outcome = "keep" // not in the file: left as it is
		case soaSourcesDisagree(ic.Sources):
			ic.Flag = isms.ImportFlagConflict
		default:
			ic.Result = soaMerge(ic.Sources)
			if ic.Result.Applicability == isms.Excluded && (len(c.Requirements) > 0 || c.RiskCount > 0) {
				ic.Flag, ic.Result = isms.ImportFlagRequired, nil
			} else {
				ic.Outcome = "set"
			}
		}
		if ic.Flag != "" {
			p.Flagged++
			soaDecide(ic, in.Decisions, problem)
			if ic.Outcome == "pending" {
				p.Pending++
			}
		}
		if ic.Result != nil {
			for _, s := range []string{ic.Result.BusinessReason, ic.Result.ExclusionReason} {
				var v isms.Validation
				checkText(&v, "x", s, soaMaxReason)
				if v.Err() != nil {
					problem(0, "", "soa.import.err.merged_too_long", c.Ref, soaMaxReason)
				}
			}
			if ic.Outcome == "set" && ic.Result.Applicability == c.Applicability && ic.Result.Status == c.Status &&
				ic.Result.BusinessReason == c.BusinessReason && ic.Result.ExclusionReason == c.ExclusionReason {
				ic.Outcome = "unchanged"
			}
		}
		if ic.Outcome == "set" {
			p.Changes++
		}
		p.Controls = append(p.Controls, ic)
	}
	for ref := range in.Decisions {
		if !known[ref] {
			problem(0, "", "soa.import.err.unknown_decision", ref)
		}
	}
	p.Ready = len(p.Problems) == 0 && p.Pending == 0
	return p, current, nil
}

// soaSourcesDisagree reports whether 2013 controls feeding one 2022
// control decided differently: one applicable and one excluded, or
// applicable with different implementation statuses.
func soaSourcesDisagree(rows []isms.SoAImportRow) bool {
	for _, r := range rows[1:] {
		if r.Applicability != rows[0].Applicability {
			return true
		}
		if r.Applicability == isms.Applicable && r.Status != rows[0].Status {
			return true
		}
	}
	return false
}

// soaMerge turns agreeing rows into one line, keeping each row's text
// with the 2013 control it came from.
func soaMerge(rows []isms.SoAImportRow) *isms.SoAImportLine {
	l := &isms.SoAImportLine{Applicability: rows[0].Applicability, Status: rows[0].Status}
	var texts []string
	for _, r := range rows {
		t := r.Justification
		if l.Applicability == isms.Excluded {
			t = r.ExclusionReason
		}
		if t != "" {
			texts = append(texts, "A."+r.Ref2013+": "+t)
		}
	}
	if l.Applicability == isms.Excluded {
		l.Status, l.ExclusionReason = isms.ImplNotApplicable, strings.Join(texts, "\n")
	} else {
		if l.Status == "" {
			l.Status = isms.ImplNotStarted
		}
		l.BusinessReason = strings.Join(texts, "\n")
	}
	return l
}

// soaDecide applies the user's decision to a flagged control.
func soaDecide(ic *isms.SoAImportControl, decisions map[string]isms.SoAImportDecision, problem func(int, string, string, ...any)) {
	ic.Outcome = "pending"
	d, ok := decisions[ic.Ref]
	if !ok || d.Choice == "" {
		return
	}
	d.Reason = strings.TrimSpace(d.Reason)
	ic.Decision = &d
	switch {
	case d.Choice == isms.ImportChoiceKeep:
		ic.Outcome = "keep"
	case d.Choice == isms.ImportChoiceApplicable:
		ic.Outcome, ic.Result = "set", &isms.SoAImportLine{Applicability: isms.Applicable, BusinessReason: d.Reason, Status: isms.ImplNotStarted}
	case d.Choice == isms.ImportChoiceExcluded:
		if d.Reason == "" {
			problem(0, "", "soa.import.err.decision_reason", ic.Ref)
			return
		}
		ic.Outcome, ic.Result = "set", &isms.SoAImportLine{Applicability: isms.Excluded, ExclusionReason: d.Reason, Status: isms.ImplNotApplicable}
	case strings.HasPrefix(d.Choice, "row:"):
		n, err := strconv.Atoi(strings.TrimPrefix(d.Choice, "row:"))
		i := slices.IndexFunc(ic.Sources, func(r isms.SoAImportRow) bool { return r.Row == n })
		if err != nil || i < 0 {
			problem(0, "", "soa.import.err.bad_decision", ic.Ref)
			return
		}
		ic.Outcome, ic.Result = "set", soaMerge(ic.Sources[i:i+1])
	default:
		problem(0, "", "soa.import.err.bad_decision", ic.Ref)
	}
}

// PreviewSoAImport shows what the import would do. It writes nothing.
func (db *DB) PreviewSoAImport(ctx context.Context, orgID int64, in isms.SoAImportInput) (*isms.SoAImportPreview, error) {
	var out *isms.SoAImportPreview
	err := db.read(ctx, "PreviewSoAImport", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		var err error
		out, _, err = tx.soaImportPlan(orgID, in)
		return err
	})
	return out, err
}

// ApplySoAImport writes the import in one transaction, when the preview is
// ready and the SoA is still in the state the preview was made against.
func (db *DB) ApplySoAImport(ctx context.Context, orgID int64, in isms.SoAImportInput) (*isms.SoAImportResult, error) {
	var out *isms.SoAImportResult
	err := db.write(ctx, "ApplySoAImport", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		p, current, err := tx.soaImportPlan(orgID, in)
		if err != nil {
			return err
		}
		if in.StateToken != p.StateToken {
			return isms.Errorf(isms.EConflict, "soa.err.state_changed")
		}
		if !p.Ready {
			return isms.Errorf(isms.EInvalid, "soa.err.import_not_ready", len(p.Problems), p.Pending)
		}
		env, err := tx.soaEnv()
		if err != nil {
			return err
		}
		out = &isms.SoAImportResult{}
		for _, ic := range p.Controls {
			if ic.Outcome != "set" {
				continue
			}
			before := current[ic.ControlID]
			if err := tx.soaWriteLine(orgID, ic.ControlID, before.Version > 0, *ic.Result, before.OwnerID, before.Evidence); err != nil {
				return err
			}
			if ic.Result.Applicability == isms.Excluded && len(before.Requirements) > 0 {
				// The user decided to exclude a control that recorded
				// requirements demanded: those links no longer hold.
				if err := tx.setLinks(orgID, typeSoA, ic.ControlID, typeEntry, nil, false); err != nil {
					return err
				}
			}
			after, err := tx.soaLine(orgID, ic.ControlID, env)
			if err != nil {
				return err
			}
			var b any = soaAudit(before)
			if before.Version == 0 {
				b = nil
			}
			if err := tx.audit(orgID, actionSoAImport, typeSoAControl, ic.ControlID, b, soaAudit(after)); err != nil {
				return err
			}
			out.Changed++
		}
		return tx.audit(orgID, actionSoAImport, typeSoAImport, orgID, nil, map[string]any{
			"file": in.FileName, "rows": len(in.Rows), "flagged": p.Flagged, "changed": out.Changed,
			"summary": fmt.Sprintf("%d rows, %d controls changed", len(in.Rows), out.Changed)})
	})
	return out, err
}
