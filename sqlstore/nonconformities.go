package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
)

// Nonconformities and corrective action (guide 2.10, clause 10.2). The
// status is derived from what is recorded (see isms.Nonconformity); the
// same derivation is written once in SQL (ncStatusSQL) for filtering and
// once in Go (DeriveStatus), and the tests hold them together. Contributors
// edit the nonconformities they own, including every corrective action on
// them; an action's owner who does not own the nonconformity is named on
// it but edits through its owner (or a coordinator), so one person answers
// for the whole record.

const (
	typeNonconformity = "nonconformity"
	maxNCActions      = 50
)

func init() {
	registerTopicSource("topic.source.improvement", "topic.source.improvement.planned", improvementTopicActivities)
	registerScheduleSource(improvementScheduledItems)
}

func nonconformityPath(id int64) string { return "/nonconformities/" + strconv.FormatInt(id, 10) }

// ncStatusSQL derives the status in SQL, exactly as DeriveStatus does.
const ncStatusSQL = `CASE WHEN n.closed_on IS NOT NULL THEN 'closed'
	WHEN n.root_cause = '' THEN 'open'
	WHEN n.no_action_needed = 0 AND NOT EXISTS (SELECT 1 FROM nonconformity_actions x WHERE x.nonconformity_id = n.id) THEN 'analysed'
	WHEN n.effective = 0 THEN 'actions'
	WHEN EXISTS (SELECT 1 FROM nonconformity_actions x WHERE x.nonconformity_id = n.id AND x.done_on IS NULL) THEN 'actions'
	ELSE 'review' END`

const ncColumns = `n.id, n.organisation_id, n.title, n.source, n.source_decision_id, COALESCE(d.text, ''), n.source_ref,
	n.requirement_kind, n.requirement, n.description, n.detected_on, n.reported_by, n.owner_id, COALESCE(u.name, ''),
	n.correction, n.correction_on, n.method, n.whys, n.root_cause, n.similar_exist, n.similar_could_occur, n.similar_note,
	n.no_action_needed, n.no_action_reason, n.review_planned_on, n.reviewed_on, n.effective, n.review_note, n.closed_on,
	n.version, n.created_at, n.updated_at, n.source_incident_id, COALESCE(inc.title, ''), n.source_supervision_id, COALESCE(sup.name, ''),
	sv.planned_on`

const ncFrom = ` FROM nonconformities n LEFT JOIN users u ON u.id = n.owner_id LEFT JOIN forum_decisions d ON d.id = n.source_decision_id
	LEFT JOIN incidents inc ON inc.id = n.source_incident_id LEFT JOIN supplier_supervisions sv ON sv.id = n.source_supervision_id
	LEFT JOIN suppliers sup ON sup.id = sv.supplier_id`

func boolPtr(n sql.NullInt64) *bool {
	if !n.Valid {
		return nil
	}
	b := n.Int64 != 0
	return &b
}

func nullBool(p *bool) any {
	if p == nil {
		return nil
	}
	return b2i(*p)
}

func scanNonconformity(row scanner) (*isms.Nonconformity, error) {
	var n isms.Nonconformity
	var decision, owner, simExist, simCould, effective, incident, supervision sql.NullInt64
	var supplier string
	var planned *isms.Date
	var source, kind, method, whys string
	var noAction int
	if err := row.Scan(&n.ID, &n.OrganisationID, &n.Title, &source, &decision, &n.SourceDecisionText, &n.SourceRef,
		&kind, &n.Requirement, &n.Description, scanDate{&n.DetectedOn}, &n.ReportedBy, &owner, &n.OwnerName,
		&n.Correction, scanDatePtr{&n.CorrectionOn}, &method, &whys, &n.RootCause, &simExist, &simCould, &n.SimilarNote,
		&noAction, &n.NoActionReason, scanDatePtr{&n.ReviewPlannedOn}, scanDatePtr{&n.ReviewedOn}, &effective, &n.ReviewNote,
		scanDatePtr{&n.ClosedOn}, &n.Version, scanTime{&n.CreatedAt}, scanTime{&n.UpdatedAt}, &incident, &n.SourceIncidentTitle, &supervision,
		&supplier, scanDatePtr{&planned}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("nonconformity")
		}
		return nil, err
	}
	n.Source, n.RequirementKind, n.Method = isms.NCSource(source), isms.NCRequirementKind(kind), isms.NCMethod(method)
	n.SourceDecisionID, n.OwnerID = int64Ptr(decision), int64Ptr(owner)
	n.SourceIncidentID, n.SourceSupervisionID = int64Ptr(incident), int64Ptr(supervision)
	if planned != nil {
		n.SourceSupervisionText = supplier + " " + planned.String()
	}
	n.SimilarExist, n.SimilarCouldOccur, n.Effective = boolPtr(simExist), boolPtr(simCould), boolPtr(effective)
	n.NoActionNeeded = noAction != 0
	n.Whys = []string{}
	if whys != "" {
		if err := json.Unmarshal([]byte(whys), &n.Whys); err != nil {
			return nil, fmt.Errorf("nonconformity %d: whys: %w", n.ID, err)
		}
	}
	n.Actions = []isms.NCAction{}
	return &n, nil
}

// withActions reads the actions of the nonconformities and derives their
// status.
func (tx *Tx) withActions(orgID int64, ncs []*isms.Nonconformity) error {
	if len(ncs) == 0 {
		return nil
	}
	byID := make(map[int64]*isms.Nonconformity, len(ncs))
	ids := make([]string, 0, len(ncs))
	for _, n := range ncs {
		byID[n.ID] = n
		ids = append(ids, strconv.FormatInt(n.ID, 10))
	}
	err := tx.queryEach(`SELECT a.nonconformity_id, a.id, a.action, a.owner_id, COALESCE(u.name, ''), a.due_on, a.done_on
		FROM nonconformity_actions a LEFT JOIN users u ON u.id = a.owner_id
		WHERE a.organisation_id = ? AND a.nonconformity_id IN (`+strings.Join(ids, ",")+`) ORDER BY a.nonconformity_id, a.position, a.id`,
		[]any{orgID}, func(row scanner) error {
			var ncID int64
			var a isms.NCAction
			var owner sql.NullInt64
			if err := row.Scan(&ncID, &a.ID, &a.Action, &owner, &a.OwnerName, scanDatePtr{&a.DueOn}, scanDatePtr{&a.DoneOn}); err != nil {
				return err
			}
			a.OwnerID = int64Ptr(owner)
			if n := byID[ncID]; n != nil {
				n.Actions = append(n.Actions, a)
			}
			return nil
		})
	for _, n := range ncs {
		n.Status = n.DeriveStatus()
	}
	return err
}

func (tx *Tx) nonconformity(orgID, id int64) (*isms.Nonconformity, error) {
	if _, err := tx.access(orgID); err != nil {
		return nil, err
	}
	n, err := scanNonconformity(tx.queryRow("SELECT "+ncColumns+ncFrom+" WHERE n.organisation_id = ? AND n.id = ?", orgID, id))
	if err != nil {
		return nil, err
	}
	return n, tx.withActions(orgID, []*isms.Nonconformity{n})
}

var clauseRef = regexp.MustCompile(`^(4|5|6|7|8|9|10)(\.\d{1,2}){0,3}\b`)

// annexAControl finds an Annex A (2022) control by its number, written
// with or without "A.".
func annexAControl(ref string) (string, bool) {
	id := strings.TrimPrefix(strings.TrimPrefix(strings.Fields(ref + " ")[0], "A."), "a.")
	for _, c := range catalog.AnnexA2022() {
		if c.ID == id || "A."+c.ID == id {
			return c.ID, true
		}
	}
	return "", false
}

// validateNonconformity checks a nonconformity's input; before is the
// stored one when it is changed. A draft may leave the requirement blank:
// the nonconformity an incident registers knows it only when the
// incident's category names a control (see RegisterIncidentNonconformity),
// and its owner fills it in with the analysis.
func (tx *Tx) validateNonconformity(orgID int64, before *isms.Nonconformity, in *isms.NonconformityInput, draft bool) error {
	for _, s := range []*string{&in.Title, &in.SourceRef, &in.Requirement, &in.ReportedBy, &in.RootCause, &in.NoActionReason} {
		*s = strings.TrimSpace(*s)
	}
	var v isms.Validation
	requireText(&v, "title", in.Title, 300)
	checkText(&v, "description", in.Description, 10000)
	checkText(&v, "source_ref", in.SourceRef, 300)
	checkText(&v, "reported_by", in.ReportedBy, 200)
	checkText(&v, "correction", in.Correction, 10000)
	checkText(&v, "root_cause", in.RootCause, 10000)
	checkText(&v, "similar_note", in.SimilarNote, 5000)
	checkText(&v, "no_action_reason", in.NoActionReason, 5000)
	checkText(&v, "review_note", in.ReviewNote, 5000)
	today := tx.Today()
	if !in.Source.Valid() {
		v.Add("source", "err.choice")
	}
	if in.Source == isms.NCSourceDecision {
		if in.SourceDecisionID == nil {
			v.Add("source_decision_id", "nc.err.decision_required")
		} else if n, err := tx.count("SELECT COUNT(*) FROM forum_decisions WHERE organisation_id = ? AND id = ?", orgID, *in.SourceDecisionID); err != nil {
			return err
		} else if n == 0 {
			v.Add("source_decision_id", "err.unknown_reference")
		}
	} else if in.SourceDecisionID != nil {
		v.Add("source_decision_id", "nc.err.decision_only")
	}
	if err := tx.validateNCSourceRecords(&v, orgID, in); err != nil {
		return err
	}
	if !in.RequirementKind.Valid() {
		v.Add("requirement_kind", "err.choice")
	}
	if draft {
		checkText(&v, "requirement", in.Requirement, 1000)
	} else {
		requireText(&v, "requirement", in.Requirement, 1000)
	}
	if in.Requirement != "" {
		switch in.RequirementKind {
		case isms.NCReqClause:
			if !clauseRef.MatchString(in.Requirement) {
				v.Add("requirement", "nc.err.clause")
			}
		case isms.NCReqControl:
			if _, ok := annexAControl(in.Requirement); !ok {
				v.Add("requirement", "nc.err.control")
			}
		}
	}
	if in.DetectedOn == nil {
		v.Add("detected_on", "err.required")
	} else if today.Before(*in.DetectedOn) {
		v.Add("detected_on", "nc.err.future")
	}
	if in.OwnerID == nil {
		v.Add("owner_id", "nc.err.owner_required")
	}
	tx.checkMember(&v, "owner_id", orgID, in.OwnerID)
	if in.CorrectionOn != nil {
		if today.Before(*in.CorrectionOn) {
			v.Add("correction_on", "nc.err.future")
		}
		if strings.TrimSpace(in.Correction) == "" {
			v.Add("correction", "nc.err.correction_required")
		}
	}
	if !in.Method.Valid() {
		v.Add("method", "err.choice")
	}
	// The five whys: blank answers at the end are dropped; a gap in the
	// middle is not.
	for len(in.Whys) > 0 && strings.TrimSpace(in.Whys[len(in.Whys)-1]) == "" {
		in.Whys = in.Whys[:len(in.Whys)-1]
	}
	if in.Whys == nil {
		in.Whys = []string{}
	}
	switch {
	case len(in.Whys) > isms.MaxWhys:
		v.Add("whys", "nc.err.whys_max", isms.MaxWhys)
	case len(in.Whys) > 0 && in.Method != isms.NCMethodFiveWhys:
		v.Add("whys", "nc.err.whys_method")
	}
	for i := range in.Whys {
		in.Whys[i] = strings.TrimSpace(in.Whys[i])
		field := fmt.Sprintf("whys.%d", i)
		requireText(&v, field, in.Whys[i], 1000)
	}
	if in.NoActionNeeded && in.NoActionReason == "" {
		v.Add("no_action_reason", "nc.err.reason_required")
	}
	if in.NoActionNeeded && len(in.Actions) > 0 {
		v.Add("actions", "nc.err.no_action_with_actions")
	}
	if len(in.Actions) > maxNCActions {
		v.Add("actions", "nc.err.actions_max", maxNCActions)
	}
	known := map[int64]bool{}
	if before != nil {
		for _, a := range before.Actions {
			known[a.ID] = true
		}
	}
	for i := range in.Actions {
		a := &in.Actions[i]
		a.Action = strings.TrimSpace(a.Action)
		p := fmt.Sprintf("actions.%d.", i)
		requireText(&v, p+"action", a.Action, 1000)
		tx.checkMember(&v, p+"owner_id", orgID, a.OwnerID)
		if a.DoneOn != nil && today.Before(*a.DoneOn) {
			v.Add(p+"done_on", "nc.err.future")
		}
		if a.ID != 0 && !known[a.ID] {
			v.Add(p+"id", "err.unknown_reference")
		}
	}
	if in.ReviewedOn != nil && today.Before(*in.ReviewedOn) {
		v.Add("reviewed_on", "nc.err.future")
	}
	if in.ReviewedOn != nil && in.Effective == nil {
		v.Add("effective", "nc.err.effective_required")
	}
	if in.Effective != nil && in.ReviewedOn == nil {
		v.Add("reviewed_on", "nc.err.reviewed_on_required")
	}
	return v.Err()
}

// ncRecord is a nonconformity as the audit trail keeps it.
func ncRecord(n *isms.Nonconformity) map[string]any {
	actions := make([]map[string]any, 0, len(n.Actions))
	for _, a := range n.Actions {
		actions = append(actions, map[string]any{"action": a.Action, "owner": a.OwnerName, "due_on": dateArg(a.DueOn), "done_on": dateArg(a.DoneOn)})
	}
	return map[string]any{"title": n.Title, "source": n.Source, "source_decision_id": n.SourceDecisionID, "source_ref": n.SourceRef,
		"source_incident_id": n.SourceIncidentID, "source_supervision_id": n.SourceSupervisionID,
		"requirement_kind": n.RequirementKind, "requirement": n.Requirement, "description": n.Description, "detected_on": n.DetectedOn.String(),
		"reported_by": n.ReportedBy, "owner": n.OwnerName, "correction": n.Correction, "correction_on": dateArg(n.CorrectionOn),
		"method": n.Method, "whys": n.Whys, "root_cause": n.RootCause, "similar_exist": n.SimilarExist, "similar_could_occur": n.SimilarCouldOccur,
		"similar_note": n.SimilarNote, "no_action_needed": n.NoActionNeeded, "no_action_reason": n.NoActionReason, "actions": actions,
		"review_planned_on": dateArg(n.ReviewPlannedOn), "reviewed_on": dateArg(n.ReviewedOn), "effective": n.Effective,
		"review_note": n.ReviewNote, "closed_on": dateArg(n.ClosedOn), "status": n.Status}
}

var ncSorts = map[string]string{"title": "n.title", "detected": "n.detected_on", "owner": "u.name", "updated": "n.updated_at", "status": ncStatusSQL}

// Nonconformities lists the nonconformities, filtered, sorted and
// paginated.
func (db *DB) Nonconformities(ctx context.Context, orgID int64, f isms.NonconformityFilter) ([]*isms.Nonconformity, int, error) {
	var out []*isms.Nonconformity
	var total int
	err := db.read(ctx, "Nonconformities", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		where := " WHERE n.organisation_id = ?"
		args := []any{orgID}
		if f.Status != "" {
			where += " AND (" + ncStatusSQL + ") = ?"
			args = append(args, string(f.Status))
		}
		if f.NotClosed {
			where += " AND n.closed_on IS NULL"
		}
		if f.Source != "" {
			where += " AND n.source = ?"
			args = append(args, string(f.Source))
		}
		if f.OwnerID != 0 {
			where += " AND n.owner_id = ?"
			args = append(args, f.OwnerID)
		}
		if f.IncidentID != 0 {
			where += " AND n.source_incident_id = ?"
			args = append(args, f.IncidentID)
		}
		if q := strings.TrimSpace(f.Query); q != "" {
			where += " AND (LOWER(n.title) LIKE ? OR LOWER(n.description) LIKE ? OR LOWER(n.root_cause) LIKE ?)"
			like := "%" + strings.ToLower(q) + "%"
			args = append(args, like, like, like)
		}
		var err error
		if total, err = tx.count("SELECT COUNT(*)"+ncFrom+where, args...); err != nil {
			return err
		}
		limit := f.Limit
		if limit <= 0 || limit > 500 {
			limit = 100
		}
		order := orderBy(f.Sort, ncSorts, "n.detected_on DESC")
		if out, err = queryAll(tx, scanNonconformity, "SELECT "+ncColumns+ncFrom+where+" ORDER BY "+order+", n.id LIMIT ? OFFSET ?", append(args, limit, f.Offset)...); err != nil {
			return err
		}
		return tx.withActions(orgID, out)
	})
	return out, total, err
}

// Nonconformity reads one nonconformity with its actions.
func (db *DB) Nonconformity(ctx context.Context, orgID, id int64) (*isms.Nonconformity, error) {
	return view(db, ctx, "Nonconformity", orgID, func(tx *Tx) (*isms.Nonconformity, error) { return tx.nonconformity(orgID, id) })
}

func whysJSON(whys []string) string {
	b, _ := json.Marshal(whys)
	return string(b)
}

// writeActions makes the stored actions those of the input: kept ones
// changed, new ones added, missing ones removed.
func (tx *Tx) writeActions(orgID, ncID int64, in []isms.NCActionInput) error {
	keep := []string{"0"}
	for _, a := range in {
		if a.ID != 0 {
			keep = append(keep, strconv.FormatInt(a.ID, 10))
		}
	}
	if _, err := tx.exec("DELETE FROM nonconformity_actions WHERE organisation_id = ? AND nonconformity_id = ? AND id NOT IN ("+strings.Join(keep, ",")+")", orgID, ncID); err != nil {
		return err
	}
	for i, a := range in {
		if a.ID != 0 {
			if _, err := tx.exec(`UPDATE nonconformity_actions SET position = ?, action = ?, owner_id = ?, due_on = ?, done_on = ?
				WHERE organisation_id = ? AND nonconformity_id = ? AND id = ?`, i, a.Action, nullInt(a.OwnerID), dateArg(a.DueOn), dateArg(a.DoneOn), orgID, ncID, a.ID); err != nil {
				return err
			}
			continue
		}
		if _, err := tx.insert(`INSERT INTO nonconformity_actions (organisation_id, nonconformity_id, position, action, owner_id, due_on, done_on)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, orgID, ncID, i, a.Action, nullInt(a.OwnerID), dateArg(a.DueOn), dateArg(a.DoneOn)); err != nil {
			return err
		}
	}
	return nil
}

// CreateNonconformity records a nonconformity. Contributors may record
// nonconformities they own themselves.
func (db *DB) CreateNonconformity(ctx context.Context, orgID int64, in isms.NonconformityInput) (*isms.Nonconformity, error) {
	var n *isms.Nonconformity
	err := db.write(ctx, "CreateNonconformity", func(tx *Tx) (err error) {
		n, err = tx.createNonconformity(orgID, in)
		return err
	})
	return n, err
}

// createNonconformity records a nonconformity in the running transaction,
// for the elements that raise one from their own records (a breached
// indicator threshold) in the same transaction as their own change.
func (tx *Tx) createNonconformity(orgID int64, in isms.NonconformityInput) (*isms.Nonconformity, error) {
	return tx.insertNonconformity(orgID, in, false)
}

// insertNonconformity checks the caller may edit a nonconformity of the
// owner, validates and records it with its actions and audit event. draft
// lets the requirement wait (see validateNonconformity): an incident's
// nonconformity is registered before its analysis names it.
func (tx *Tx) insertNonconformity(orgID int64, in isms.NonconformityInput, draft bool) (*isms.Nonconformity, error) {
	if _, err := tx.requireEdit(orgID, in.OwnerID); err != nil {
		return nil, err
	}
	return tx.recordNonconformity(orgID, in, draft)
}

// recordNonconformity validates and records a nonconformity for a caller
// whose right to raise it the element raising it has checked (an auditor
// registers an audit finding without the edit permission).
func (tx *Tx) recordNonconformity(orgID int64, in isms.NonconformityInput, draft bool) (*isms.Nonconformity, error) {
	for _, a := range in.Actions {
		if a.ID != 0 {
			var v isms.Validation
			v.Add("actions", "err.unknown_reference")
			return nil, v.Err()
		}
	}
	if err := tx.validateNonconformity(orgID, nil, &in, draft); err != nil {
		return nil, err
	}
	now := ts(tx.now)
	id, err := tx.insert(`INSERT INTO nonconformities (organisation_id, title, source, source_decision_id, source_ref, requirement_kind, requirement,
			description, detected_on, reported_by, owner_id, correction, correction_on, method, whys, root_cause, similar_exist, similar_could_occur,
			similar_note, no_action_needed, no_action_reason, review_planned_on, reviewed_on, effective, review_note, source_incident_id,
			source_supervision_id, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		orgID, in.Title, string(in.Source), nullInt(in.SourceDecisionID), in.SourceRef, string(in.RequirementKind), in.Requirement,
		in.Description, in.DetectedOn.String(), in.ReportedBy, nullInt(in.OwnerID), in.Correction, dateArg(in.CorrectionOn), string(in.Method),
		whysJSON(in.Whys), in.RootCause, nullBool(in.SimilarExist), nullBool(in.SimilarCouldOccur), in.SimilarNote, b2i(in.NoActionNeeded),
		in.NoActionReason, dateArg(in.ReviewPlannedOn), dateArg(in.ReviewedOn), nullBool(in.Effective), in.ReviewNote,
		nullInt(in.SourceIncidentID), nullInt(in.SourceSupervisionID), now, now)
	if err != nil {
		return nil, err
	}
	if err := tx.writeActions(orgID, id, in.Actions); err != nil {
		return nil, err
	}
	n, err := tx.nonconformity(orgID, id)
	if err != nil {
		return nil, err
	}
	return n, tx.audit(orgID, "create", typeNonconformity, id, nil, ncRecord(n))
}

// UpdateNonconformity changes a nonconformity and its actions, refusing a
// stale version and a closed nonconformity (reopen it first). When the
// last review found the actions not effective and a new action is added,
// that review is cleared so the new actions are reviewed in their turn.
func (db *DB) UpdateNonconformity(ctx context.Context, orgID, id int64, in isms.NonconformityInput) (*isms.Nonconformity, error) {
	var n *isms.Nonconformity
	err := db.write(ctx, "UpdateNonconformity", func(tx *Tx) error {
		before, err := tx.nonconformity(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, in.Version, before.OwnerID, in.OwnerID); err != nil {
			return err
		}
		if before.ClosedOn != nil {
			return isms.Errorf(isms.EInvalid, "nc.err.closed")
		}
		if err := tx.validateNonconformity(orgID, before, &in, false); err != nil {
			return err
		}
		if before.Effective != nil && !*before.Effective && in.Effective != nil && !*in.Effective {
			for _, a := range in.Actions {
				if a.ID == 0 {
					in.ReviewedOn, in.Effective = nil, nil
					break
				}
			}
		}
		if _, err := tx.exec(`UPDATE nonconformities SET title = ?, source = ?, source_decision_id = ?, source_ref = ?, requirement_kind = ?,
			requirement = ?, description = ?, detected_on = ?, reported_by = ?, owner_id = ?, correction = ?, correction_on = ?, method = ?, whys = ?,
			root_cause = ?, similar_exist = ?, similar_could_occur = ?, similar_note = ?, no_action_needed = ?, no_action_reason = ?,
			review_planned_on = ?, reviewed_on = ?, effective = ?, review_note = ?, source_incident_id = ?, source_supervision_id = ?,
			version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			in.Title, string(in.Source), nullInt(in.SourceDecisionID), in.SourceRef, string(in.RequirementKind), in.Requirement, in.Description,
			in.DetectedOn.String(), in.ReportedBy, nullInt(in.OwnerID), in.Correction, dateArg(in.CorrectionOn), string(in.Method), whysJSON(in.Whys),
			in.RootCause, nullBool(in.SimilarExist), nullBool(in.SimilarCouldOccur), in.SimilarNote, b2i(in.NoActionNeeded), in.NoActionReason,
			dateArg(in.ReviewPlannedOn), dateArg(in.ReviewedOn), nullBool(in.Effective), in.ReviewNote, nullInt(in.SourceIncidentID),
			nullInt(in.SourceSupervisionID), ts(tx.now), orgID, id); err != nil {
			return err
		}
		if err := tx.writeActions(orgID, id, in.Actions); err != nil {
			return err
		}
		if n, err = tx.nonconformity(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeNonconformity, id, ncRecord(before), ncRecord(n))
	})
	return n, err
}

// DeleteNonconformity removes a nonconformity with its actions.
func (db *DB) DeleteNonconformity(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteNonconformity", func(tx *Tx) error {
		before, err := tx.nonconformity(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, version, before.OwnerID); err != nil {
			return err
		}
		if _, err := tx.exec("DELETE FROM nonconformity_actions WHERE organisation_id = ? AND nonconformity_id = ?", orgID, id); err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "nonconformities", typeNonconformity, id, ncRecord(before))
	})
}

// closeMissing names, by field, what a nonconformity lacks to be closed.
func closeMissing(n *isms.Nonconformity) error {
	var v isms.Validation
	if n.RootCause == "" {
		v.Add("root_cause", "nc.err.close_cause")
	}
	switch {
	case len(n.Actions) == 0 && !n.NoActionNeeded:
		v.Add("actions", "nc.err.close_no_actions")
	case len(n.Actions) > 0 && !n.ActionsDone():
		v.Add("actions", "nc.err.close_actions_open")
	}
	if n.ReviewedOn == nil || n.Effective == nil || !*n.Effective {
		v.Add("effective", "nc.err.close_review")
	}
	return v.Err()
}

// CloseNonconformity closes a nonconformity with its analysis, actions
// and an effective review recorded.
func (db *DB) CloseNonconformity(ctx context.Context, orgID, id, version int64) (*isms.Nonconformity, error) {
	return db.setClosed(ctx, "CloseNonconformity", orgID, id, version, true)
}

// ReopenNonconformity takes a closed nonconformity back into work.
func (db *DB) ReopenNonconformity(ctx context.Context, orgID, id, version int64) (*isms.Nonconformity, error) {
	return db.setClosed(ctx, "ReopenNonconformity", orgID, id, version, false)
}

func (db *DB) setClosed(ctx context.Context, op string, orgID, id, version int64, closing bool) (*isms.Nonconformity, error) {
	var n *isms.Nonconformity
	err := db.write(ctx, op, func(tx *Tx) error {
		before, err := tx.nonconformity(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, version, before.OwnerID); err != nil {
			return err
		}
		var closedOn any
		action := "reopen"
		if closing {
			if before.ClosedOn != nil {
				n = before
				return nil
			}
			if err := closeMissing(before); err != nil {
				return err
			}
			closedOn, action = tx.Today().String(), "close"
		} else if before.ClosedOn == nil {
			return isms.Errorf(isms.EInvalid, "nc.err.not_closed")
		}
		if _, err := tx.exec("UPDATE nonconformities SET closed_on = ?, version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?",
			closedOn, ts(tx.now), orgID, id); err != nil {
			return err
		}
		if n, err = tx.nonconformity(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, action, typeNonconformity, id, ncRecord(before), ncRecord(n))
	})
	return n, err
}

// improvementTopicActivities reports closed nonconformities and done
// improvements as occasions of the topic "improvement" (guide 2.2), and
// planned effectiveness reviews and improvements due as planned ones.
func improvementTopicActivities(tx *Tx, orgID int64) ([]isms.TopicActivity, error) {
	var out []isms.TopicActivity
	err := tx.queryEach(`SELECT id, title, closed_on, review_planned_on FROM nonconformities
		WHERE organisation_id = ? AND (closed_on IS NOT NULL OR review_planned_on IS NOT NULL) ORDER BY id`, []any{orgID}, func(row scanner) error {
		var id int64
		var title string
		var closed, planned *isms.Date
		if err := row.Scan(&id, &title, scanDatePtr{&closed}, scanDatePtr{&planned}); err != nil {
			return err
		}
		ev := isms.Evidence{RecordType: typeNonconformity, RecordID: id, Label: title, Path: nonconformityPath(id)}
		if closed != nil {
			out = append(out, isms.TopicActivity{Topic: "improvement", Day: *closed, Done: true, Label: title, Evidence: ev})
		} else {
			out = append(out, isms.TopicActivity{Topic: "improvement", Day: *planned, Label: title, Evidence: ev})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.queryEach(`SELECT id, title, status, due_on, done_on FROM improvements
		WHERE organisation_id = ? AND ((status = 'done' AND done_on IS NOT NULL) OR (status IN ('approved', 'in_progress') AND due_on IS NOT NULL)) ORDER BY id`,
		[]any{orgID}, func(row scanner) error {
			var id int64
			var title, status string
			var due, done *isms.Date
			if err := row.Scan(&id, &title, &status, scanDatePtr{&due}, scanDatePtr{&done}); err != nil {
				return err
			}
			ev := isms.Evidence{RecordType: typeImprovement, RecordID: id, Label: title, Path: improvementPath(id)}
			if status == string(isms.ImpDone) {
				out = append(out, isms.TopicActivity{Topic: "improvement", Day: *done, Done: true, Label: title, Evidence: ev})
			} else {
				out = append(out, isms.TopicActivity{Topic: "improvement", Day: *due, Label: title, Evidence: ev})
			}
			return nil
		})
	return out, err
}

// improvementScheduledItems puts corrective actions' due dates,
// effectiveness reviews and improvements' due dates in the annual
// wheel's calendar.
func improvementScheduledItems(tx *Tx, orgID int64, from, to isms.Date) ([]isms.ScheduledItem, error) {
	var out []isms.ScheduledItem
	f, t := from.String(), to.String()
	err := tx.queryEach(`SELECT n.id, n.title, a.action, a.due_on, a.done_on FROM nonconformity_actions a JOIN nonconformities n ON n.id = a.nonconformity_id
		WHERE a.organisation_id = ? AND a.due_on >= ? AND a.due_on <= ? ORDER BY a.due_on, a.id`, []any{orgID, f, t}, func(row scanner) error {
		var id int64
		var title, action string
		var due isms.Date
		var done *isms.Date
		if err := row.Scan(&id, &title, &action, scanDate{&due}, scanDatePtr{&done}); err != nil {
			return err
		}
		out = append(out, isms.ScheduledItem{Day: due, Label: clip(action, 120), Kind: "nc.schedule.action", Done: done != nil,
			Evidence: isms.Evidence{RecordType: typeNonconformity, RecordID: id, Label: title, Path: nonconformityPath(id)}})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.queryEach(`SELECT id, title, review_planned_on, reviewed_on FROM nonconformities
		WHERE organisation_id = ? AND review_planned_on >= ? AND review_planned_on <= ? ORDER BY review_planned_on, id`, []any{orgID, f, t}, func(row scanner) error {
		var id int64
		var title string
		var day isms.Date
		var done *isms.Date
		if err := row.Scan(&id, &title, scanDate{&day}, scanDatePtr{&done}); err != nil {
			return err
		}
		out = append(out, isms.ScheduledItem{Day: day, Label: clip(title, 120), Kind: "nc.schedule.review", Done: done != nil,
			Evidence: isms.Evidence{RecordType: typeNonconformity, RecordID: id, Label: title, Path: nonconformityPath(id)}})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.queryEach(`SELECT id, title, status, due_on FROM improvements
		WHERE organisation_id = ? AND status <> 'rejected' AND due_on >= ? AND due_on <= ? ORDER BY due_on, id`, []any{orgID, f, t}, func(row scanner) error {
		var id int64
		var title, status string
		var day isms.Date
		if err := row.Scan(&id, &title, &status, scanDate{&day}); err != nil {
			return err
		}
		out = append(out, isms.ScheduledItem{Day: day, Label: clip(title, 120), Kind: "imp.schedule.due", Done: status == string(isms.ImpDone),
			Evidence: isms.Evidence{RecordType: typeImprovement, RecordID: id, Label: title, Path: improvementPath(id)}})
		return nil
	})
	return out, err
}

// validateNCSourceRecords checks the source records a nonconformity names:
// an incident (only for the source "incident", and only an event triaged
// as an incident) and a supplier supervision (only for the source
// "supplier"), each of the same organisation.
func (tx *Tx) validateNCSourceRecords(v *isms.Validation, orgID int64, in *isms.NonconformityInput) error {
	if in.SourceIncidentID != nil {
		if in.Source != isms.NCSourceIncident {
			v.Add("source_incident_id", "incl.err.incident_only")
		} else {
			var status string
			err := tx.queryRow("SELECT status FROM incidents WHERE organisation_id = ? AND id = ?", orgID, *in.SourceIncidentID).Scan(&status)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				v.Add("source_incident_id", "err.unknown_reference")
			case err != nil:
				return err
			case !isms.IncidentStatus(status).IsIncident():
				v.Add("source_incident_id", "incl.err.not_incident")
			}
		}
	}
	if in.SourceSupervisionID != nil {
		if in.Source != isms.NCSourceSupplier {
			v.Add("source_supervision_id", "incl.err.supervision_only")
		} else if n, err := tx.count("SELECT COUNT(*) FROM supplier_supervisions WHERE organisation_id = ? AND id = ?", orgID, *in.SourceSupervisionID); err != nil {
			return err
		} else if n == 0 {
			v.Add("source_supervision_id", "err.unknown_reference")
		}
	}
	return nil
}
