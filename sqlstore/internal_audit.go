package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// Internal audit (guide 2.9, clause 9.2): see internal_audit.go at the root
// for the rules. Every write takes the organisation's lock through its role
// check (lock.go), so "a finding becomes one nonconformity" and "an
// approved report is not changed" are decided against the state the write
// replaces on both databases.

const (
	typeAuditProgramme = "audit_programme"
	typeInternalAudit  = "internal_audit"
	typeAuditFinding   = "audit_finding"
)

func init() { registerScheduleSource(auditScheduledItems) }

func auditProgrammePath(id int64) string {
	return "/internal-audit/programmes/" + strconv.FormatInt(id, 10)
}
func internalAuditPath(id int64) string { return "/internal-audit/audits/" + strconv.FormatInt(id, 10) }

// mayRecordAudit is the check for recording an audit, its checklist and
// findings: the auditor role (PermAudit) or whoever edits every record
// (the coordinator, who also plans the programme).
func (tx *Tx) mayRecordAudit(orgID int64) (isms.Access, error) {
	a, err := tx.access(orgID)
	if err != nil {
		return a, err
	}
	if !a.Can(isms.PermAudit) && !a.Can(isms.PermEdit) {
		return a, isms.Errorf(isms.EForbidden, "err.forbidden")
	}
	return a, nil
}

// ---- programmes ----

const progColumns = `p.id, p.organisation_id, p.title, p.first_year, p.last_year, p.approach, p.version, p.created_at, p.updated_at`

func scanProgramme(row scanner) (*isms.AuditProgramme, error) {
	var p isms.AuditProgramme
	if err := row.Scan(&p.ID, &p.OrganisationID, &p.Title, &p.FirstYear, &p.LastYear, &p.Approach, &p.Version,
		scanTime{&p.CreatedAt}, scanTime{&p.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("audit programme")
		}
		return nil, err
	}
	p.Audits = []*isms.Audit{}
	return &p, nil
}

func (tx *Tx) auditProgramme(orgID, id int64) (*isms.AuditProgramme, error) {
	p, err := scanProgramme(tx.queryRow("SELECT "+progColumns+" FROM audit_programmes p WHERE p.organisation_id = ? AND p.id = ?", orgID, id))
	if err != nil {
		return nil, err
	}
	p.Audits, err = tx.internalAudits(orgID, " AND a.programme_id = ?", id)
	return p, err
}

func (tx *Tx) auditProgrammes(orgID int64) ([]*isms.AuditProgramme, error) {
	ps, err := queryAll(tx, scanProgramme, "SELECT "+progColumns+" FROM audit_programmes p WHERE p.organisation_id = ? ORDER BY p.first_year DESC, p.id", orgID)
	if err != nil {
		return nil, err
	}
	audits, err := tx.internalAudits(orgID, "")
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		for _, a := range audits {
			if a.ProgrammeID == p.ID {
				p.Audits = append(p.Audits, a)
			}
		}
	}
	return ps, nil
}

// AuditProgrammes lists the programmes, newest cycle first, with their
// audits.
func (db *DB) AuditProgrammes(ctx context.Context, orgID int64) ([]*isms.AuditProgramme, error) {
	var out []*isms.AuditProgramme
	err := db.read(ctx, "AuditProgrammes", func(tx *Tx) (err error) {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		out, err = tx.auditProgrammes(orgID)
		return err
	})
	return out, err
}

// AuditProgramme reads one programme with its audits.
func (db *DB) AuditProgramme(ctx context.Context, orgID, id int64) (*isms.AuditProgramme, error) {
	var out *isms.AuditProgramme
	err := db.read(ctx, "AuditProgramme", func(tx *Tx) (err error) {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		out, err = tx.auditProgramme(orgID, id)
		return err
	})
	return out, err
}

func progRecord(p *isms.AuditProgramme) map[string]any {
	return map[string]any{"title": p.Title, "first_year": p.FirstYear, "last_year": p.LastYear, "approach": p.Approach, "version": p.Version}
}

func trimProgramme(in *isms.AuditProgrammeInput) {
	in.Title, in.Approach = strings.TrimSpace(in.Title), strings.TrimSpace(in.Approach)
}

// CreateAuditProgramme plans a programme; the coordinator's task.
func (db *DB) CreateAuditProgramme(ctx context.Context, orgID int64, in isms.AuditProgrammeInput) (*isms.AuditProgramme, error) {
	var out *isms.AuditProgramme
	err := db.write(ctx, "CreateAuditProgramme", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		trimProgramme(&in)
		if err := in.Validate(); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO audit_programmes (organisation_id, title, first_year, last_year, approach, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, 1, ?, ?)`, orgID, in.Title, in.FirstYear, in.LastYear, in.Approach, now, now)
		if err != nil {
			return err
		}
		if out, err = tx.auditProgramme(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeAuditProgramme, id, nil, progRecord(out))
	})
	return out, err
}

// UpdateAuditProgramme changes a programme; its audits must stay within
// the cycle.
func (db *DB) UpdateAuditProgramme(ctx context.Context, orgID, id int64, in isms.AuditProgrammeInput) (*isms.AuditProgramme, error) {
	var out *isms.AuditProgramme
	err := db.write(ctx, "UpdateAuditProgramme", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.auditProgramme(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		trimProgramme(&in)
		if err := in.Validate(); err != nil {
			return err
		}
		for _, a := range before.Audits {
			if y := a.PlannedOn.Year(); y < in.FirstYear || y > in.LastYear {
				var v isms.Validation
				v.Add("first_year", "aud.err.audit_outside_cycle", a.Title, a.PlannedOn.String())
				return v.Err()
			}
		}
		if _, err := tx.exec(`UPDATE audit_programmes SET title = ?, first_year = ?, last_year = ?, approach = ?, version = version + 1, updated_at = ?
			WHERE organisation_id = ? AND id = ?`, in.Title, in.FirstYear, in.LastYear, in.Approach, ts(tx.now), orgID, id); err != nil {
			return err
		}
		if out, err = tx.auditProgramme(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeAuditProgramme, id, progRecord(before), progRecord(out))
	})
	return out, err
}

// DeleteAuditProgramme removes a programme that has no audits: audits are
// records of what was examined and found, and are deleted one by one.
func (db *DB) DeleteAuditProgramme(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteAuditProgramme", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.auditProgramme(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		if len(before.Audits) > 0 {
			return isms.Errorf(isms.EConflict, "aud.err.programme_has_audits")
		}
		return tx.deleteRecord(orgID, "audit_programmes", typeAuditProgramme, id, progRecord(before))
	})
}

// ---- audits ----

const auditColumns2 = `a.id, a.organisation_id, a.programme_id, a.title, a.scope, a.criteria, a.clauses, a.controls, a.planned_on,
	a.held_from, a.held_to, a.lead_auditor_id, COALESCE(u.name, ''), a.other_auditors, a.independence, a.independence_note,
	a.evidence_seen, a.conclusion, a.wheel_activity_id, COALESCE(w.title, ''), a.approved_at, a.approved_by, COALESCE(ab.name, ''),
	a.report_checksum, a.version, a.created_at, a.updated_at`

const auditFrom = ` FROM internal_audits a LEFT JOIN users u ON u.id = a.lead_auditor_id
	LEFT JOIN users ab ON ab.id = a.approved_by LEFT JOIN wheel_activities w ON w.id = a.wheel_activity_id`

func scanInternalAudit(row scanner) (*isms.Audit, error) {
	var a isms.Audit
	var clauses, controls, independence string
	var heldFrom, heldTo, approvedAt sql.NullString
	var lead, wheel, approver sql.NullInt64
	if err := row.Scan(&a.ID, &a.OrganisationID, &a.ProgrammeID, &a.Title, &a.Scope, &a.Criteria, &clauses, &controls, scanDate{&a.PlannedOn},
		&heldFrom, &heldTo, &lead, &a.LeadAuditorName, &a.OtherAuditors, &independence, &a.IndependenceWhy,
		&a.EvidenceSeen, &a.Conclusion, &wheel, &a.WheelActivity, &approvedAt, &approver, &a.ApprovedByName,
		&a.Checksum, &a.Version, scanTime{&a.CreatedAt}, scanTime{&a.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("audit")
		}
		return nil, err
	}
	a.Clauses, a.Controls = jsonList(clauses), jsonList(controls)
	a.HeldFrom, a.HeldTo = parseDatePtr(heldFrom), parseDatePtr(heldTo)
	a.LeadAuditorID, a.WheelActivityID, a.ApprovedByID = int64Ptr(lead), int64Ptr(wheel), int64Ptr(approver)
	a.ApprovedAt = parseTSPtr(approvedAt)
	a.Independence = isms.AuditIndependence(independence)
	a.Status = a.DeriveStatus()
	return &a, nil
}

func jsonList(s string) []string {
	out := []string{}
	_ = json.Unmarshal([]byte(s), &out)
	return out
}

func jsonText(l []string) string {
	if l == nil {
		l = []string{}
	}
	b, _ := json.Marshal(l)
	return string(b)
}

// internalAudits reads the organisation's audits (narrowed by where), with
// their findings counted.
func (tx *Tx) internalAudits(orgID int64, where string, args ...any) ([]*isms.Audit, error) {
	out, err := queryAll(tx, scanInternalAudit, "SELECT "+auditColumns2+auditFrom+" WHERE a.organisation_id = ?"+where+" ORDER BY a.planned_on, a.id",
		append([]any{orgID}, args...)...)
	if err != nil || len(out) == 0 {
		return out, err
	}
	byID := map[int64]*isms.Audit{}
	for _, a := range out {
		byID[a.ID] = a
	}
	err = tx.queryEach("SELECT audit_id, type FROM internal_audit_findings WHERE organisation_id = ?", []any{orgID}, func(row scanner) error {
		var id int64
		var t string
		if err := row.Scan(&id, &t); err != nil {
			return err
		}
		if a := byID[id]; a != nil {
			a.Counts.Add(isms.FindingType(t))
		}
		return nil
	})
	return out, err
}

// internalAudit reads one audit with its checklist and findings.
func (tx *Tx) internalAudit(orgID, id int64) (*isms.Audit, error) {
	l, err := tx.internalAudits(orgID, " AND a.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(l) == 0 {
		return nil, notFound("audit")
	}
	a := l[0]
	a.Checks, err = queryAll(tx, func(row scanner) (*isms.AuditCheck, error) {
		var c isms.AuditCheck
		var res string
		err := row.Scan(&c.Ref, &c.Kind, &res, &c.Note)
		c.Result = isms.CheckResult(res)
		return &c, err
	}, "SELECT ref, kind, result, note FROM internal_audit_checks WHERE audit_id = ?", id)
	if err != nil {
		return nil, err
	}
	// Clauses first, then controls, each in the order of their numbers.
	slices.SortFunc(a.Checks, func(x, y *isms.AuditCheck) int {
		if x.Kind != y.Kind {
			return strings.Compare(x.Kind, y.Kind)
		}
		return compareRefs(x.Ref, y.Ref)
	})
	a.Findings, err = tx.auditFindings(orgID, " AND f.audit_id = ?", id)
	return a, err
}

// compareRefs orders "5.10" after "5.9" and "10.1" after "9.3".
func compareRefs(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		x, errx := strconv.Atoi(pa[i])
		y, erry := strconv.Atoi(pb[i])
		if errx != nil || erry != nil {
			if c := strings.Compare(pa[i], pb[i]); c != 0 {
				return c
			}
			continue
		}
		if x != y {
			return x - y
		}
	}
	return len(pa) - len(pb)
}

// Audit reads one audit with its checklist and findings.
func (db *DB) Audit(ctx context.Context, orgID, id int64) (*isms.Audit, error) {
	var out *isms.Audit
	err := db.read(ctx, "Audit", func(tx *Tx) (err error) {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		out, err = tx.internalAudit(orgID, id)
		return err
	})
	return out, err
}

func auditRecord(a *isms.Audit) map[string]any {
	return map[string]any{"programme_id": a.ProgrammeID, "title": a.Title, "scope": a.Scope, "criteria": a.Criteria,
		"clauses": a.Clauses, "controls": a.Controls, "planned_on": a.PlannedOn.String(), "held_from": dateArg(a.HeldFrom),
		"held_to": dateArg(a.HeldTo), "lead_auditor_id": a.LeadAuditorID, "other_auditors": a.OtherAuditors,
		"independence": a.Independence, "independence_note": a.IndependenceWhy, "evidence_seen": a.EvidenceSeen,
		"conclusion": a.Conclusion, "wheel_activity_id": a.WheelActivityID, "approved_by": a.ApprovedByID,
		"report_checksum": a.Checksum, "version": a.Version}
}

// controlRefs returns the Annex A 2022 refs and the organisation's own
// controls' refs, with titles in the reader's language.
func (tx *Tx) controlTitles(orgID int64) (map[string]string, error) {
	out := map[string]string{}
	en := tx.lang == i18n.EN
	err := tx.queryEach(`SELECT ref, title_da, title_en FROM controls WHERE (organisation_id IS NULL AND catalogue = 'iso27001:2022') OR organisation_id = ?`,
		[]any{orgID}, func(row scanner) error {
			var ref, da, en2 string
			if err := row.Scan(&ref, &da, &en2); err != nil {
				return err
			}
			out[ref] = da
			if en {
				out[ref] = en2
			}
			return nil
		})
	return out, err
}

// controlOwners maps each applicable control of the SoA to its owner.
func (tx *Tx) soaApplicable(orgID int64) ([]string, map[string]int64, error) {
	var refs []string
	owners := map[string]int64{}
	err := tx.queryEach(`SELECT c.ref, s.owner_id FROM soa_controls s JOIN controls c ON c.id = s.control_id
		WHERE s.organisation_id = ? AND s.applicability = ?`, []any{orgID, string(isms.Applicable)}, func(row scanner) error {
		var ref string
		var owner sql.NullInt64
		if err := row.Scan(&ref, &owner); err != nil {
			return err
		}
		refs = append(refs, ref)
		if owner.Valid {
			owners[ref] = owner.Int64
		}
		return nil
	})
	slices.SortFunc(refs, compareRefs)
	return refs, owners, err
}

// validateAudit checks an audit's input against the records: its
// programme and cycle, known controls, the lead auditor a member and not
// auditing their own area, the wheel activity the organisation's.
func (tx *Tx) validateAudit(orgID int64, in *isms.AuditInput) error {
	for _, s := range []*string{&in.Title, &in.Scope, &in.Criteria, &in.OtherAuditors, &in.IndependenceWhy} {
		*s = strings.TrimSpace(*s)
	}
	in.Clauses, in.Controls = dedupe(in.Clauses), dedupe(in.Controls)
	v := in.Validate()
	p, err := scanProgramme(tx.queryRow("SELECT "+progColumns+" FROM audit_programmes p WHERE p.organisation_id = ? AND p.id = ?", orgID, in.ProgrammeID))
	switch {
	case isms.ErrorCode(err) == isms.ENotFound:
		v.Add("programme_id", "err.unknown_reference")
	case err != nil:
		return err
	case in.PlannedOn != nil && !p.Covers(in.PlannedOn.Year()):
		v.Add("planned_on", "aud.err.outside_cycle", p.FirstYear, p.LastYear)
	}
	if len(in.Controls) > 0 {
		titles, err := tx.controlTitles(orgID)
		if err != nil {
			return err
		}
		for _, c := range in.Controls {
			if _, ok := titles[c]; !ok {
				v.Add("controls", "aud.err.unknown_control", c)
				break
			}
		}
	}
	tx.checkMember(v, "lead_auditor_id", orgID, in.LeadAuditorID)
	if in.LeadAuditorID != nil && in.Independence == isms.IndependenceInternal && !v.Has("lead_auditor_id") {
		// An auditor may not audit their own area: refuse a lead auditor
		// who owns a control in scope.
		_, owners, err := tx.soaApplicable(orgID)
		if err != nil {
			return err
		}
		for _, c := range in.Controls {
			if owners[c] == *in.LeadAuditorID {
				v.Add("lead_auditor_id", "aud.err.own_area", c)
				break
			}
		}
	}
	if in.HeldTo != nil && in.LeadAuditorID == nil && in.OtherAuditors == "" {
		v.Add("lead_auditor_id", "aud.err.auditor_required")
	}
	if in.HeldFrom != nil && tx.Today().Before(*in.HeldFrom) {
		v.Add("held_from", "nc.err.future")
	}
	if in.WheelActivityID != nil {
		if n, err := tx.count("SELECT COUNT(*) FROM wheel_activities WHERE organisation_id = ? AND id = ?", orgID, *in.WheelActivityID); err != nil {
			return err
		} else if n == 0 {
			v.Add("wheel_activity_id", "err.unknown_reference")
		}
	}
	return v.Err()
}

func dedupe(l []string) []string {
	out := []string{}
	for _, s := range l {
		s = strings.TrimSpace(s)
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// syncChecks keeps one checklist line per clause and control in scope:
// new ones are added unchecked, those taken out of scope go, the others
// keep their results.
func (tx *Tx) syncChecks(orgID, auditID int64, clauses, controls []string) error {
	want := map[string]string{}
	for _, c := range clauses {
		want[c] = "clause"
	}
	for _, c := range controls {
		want[c] = "control"
	}
	have := map[string]string{}
	if err := tx.queryEach("SELECT ref, kind FROM internal_audit_checks WHERE audit_id = ?", []any{auditID}, func(row scanner) error {
		var r, k string
		err := row.Scan(&r, &k)
		have[r] = k
		return err
	}); err != nil {
		return err
	}
	for r, k := range have {
		if want[r] != k {
			if _, err := tx.exec("DELETE FROM internal_audit_checks WHERE audit_id = ? AND ref = ?", auditID, r); err != nil {
				return err
			}
			delete(have, r)
		}
	}
	for r, k := range want {
		if _, ok := have[r]; !ok {
			if _, err := tx.exec("INSERT INTO internal_audit_checks (audit_id, organisation_id, ref, kind) VALUES (?, ?, ?, ?)", auditID, orgID, r, k); err != nil {
				return err
			}
		}
	}
	return nil
}

// CreateAudit plans (or records) an audit of a programme.
func (db *DB) CreateAudit(ctx context.Context, orgID int64, in isms.AuditInput) (*isms.Audit, error) {
	var out *isms.Audit
	err := db.write(ctx, "CreateAudit", func(tx *Tx) error {
		if _, err := tx.mayRecordAudit(orgID); err != nil {
			return err
		}
		if err := tx.validateAudit(orgID, &in); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO internal_audits (organisation_id, programme_id, title, scope, criteria, clauses, controls, planned_on,
			held_from, held_to, lead_auditor_id, other_auditors, independence, independence_note, evidence_seen, conclusion, wheel_activity_id,
			version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			orgID, in.ProgrammeID, in.Title, in.Scope, in.Criteria, jsonText(in.Clauses), jsonText(in.Controls), in.PlannedOn.String(),
			dateArg(in.HeldFrom), dateArg(in.HeldTo), nullInt(in.LeadAuditorID), in.OtherAuditors, string(in.Independence), in.IndependenceWhy,
			in.EvidenceSeen, in.Conclusion, nullInt(in.WheelActivityID), now, now)
		if err != nil {
			return err
		}
		if err := tx.syncChecks(orgID, id, in.Clauses, in.Controls); err != nil {
			return err
		}
		if out, err = tx.internalAudit(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeInternalAudit, id, nil, auditRecord(out))
	})
	return out, err
}

// editableAudit reads an audit for a change by someone who may record
// audits, with the version they read, refusing an approved report.
func (tx *Tx) editableAudit(orgID, id, version int64) (*isms.Audit, error) {
	if _, err := tx.mayRecordAudit(orgID); err != nil {
		return nil, err
	}
	a, err := tx.internalAudit(orgID, id)
	if err != nil {
		return nil, err
	}
	if err := checkVersion(a.Version, version); err != nil {
		return nil, err
	}
	if a.ApprovedAt != nil {
		return nil, isms.Errorf(isms.EConflict, "aud.err.approved")
	}
	return a, nil
}

// UpdateAudit changes an audit whose report is not approved.
func (db *DB) UpdateAudit(ctx context.Context, orgID, id int64, in isms.AuditInput) (*isms.Audit, error) {
	var out *isms.Audit
	err := db.write(ctx, "UpdateAudit", func(tx *Tx) error {
		before, err := tx.editableAudit(orgID, id, in.Version)
		if err != nil {
			return err
		}
		if err := tx.validateAudit(orgID, &in); err != nil {
			return err
		}
		// A finding stays against what the audit covers.
		for _, f := range before.Findings {
			if !slices.Contains(in.Clauses, f.Ref) && !slices.Contains(in.Controls, f.Ref) {
				var v isms.Validation
				v.Add("controls", "aud.err.scope_has_finding", f.Ref)
				return v.Err()
			}
		}
		if _, err := tx.exec(`UPDATE internal_audits SET programme_id = ?, title = ?, scope = ?, criteria = ?, clauses = ?, controls = ?,
			planned_on = ?, held_from = ?, held_to = ?, lead_auditor_id = ?, other_auditors = ?, independence = ?, independence_note = ?,
			evidence_seen = ?, conclusion = ?, wheel_activity_id = ?, version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			in.ProgrammeID, in.Title, in.Scope, in.Criteria, jsonText(in.Clauses), jsonText(in.Controls), in.PlannedOn.String(),
			dateArg(in.HeldFrom), dateArg(in.HeldTo), nullInt(in.LeadAuditorID), in.OtherAuditors, string(in.Independence), in.IndependenceWhy,
			in.EvidenceSeen, in.Conclusion, nullInt(in.WheelActivityID), ts(tx.now), orgID, id); err != nil {
			return err
		}
		if err := tx.syncChecks(orgID, id, in.Clauses, in.Controls); err != nil {
			return err
		}
		if out, err = tx.internalAudit(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeInternalAudit, id, auditRecord(before), auditRecord(out))
	})
	return out, err
}

// DeleteAudit removes a planned audit without findings; the coordinator
// plans, so the coordinator removes. A held audit's findings are records.
func (db *DB) DeleteAudit(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteAudit", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.editableAudit(orgID, id, version)
		if err != nil {
			return err
		}
		if len(before.Findings) > 0 {
			return isms.Errorf(isms.EConflict, "aud.err.audit_has_findings")
		}
		if _, err := tx.exec("DELETE FROM internal_audit_checks WHERE audit_id = ?", id); err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "internal_audits", typeInternalAudit, id, auditRecord(before))
	})
}

// SaveAuditChecks records the checklist's results and notes.
func (db *DB) SaveAuditChecks(ctx context.Context, orgID, id int64, in isms.AuditCheckInput) (*isms.Audit, error) {
	var out *isms.Audit
	err := db.write(ctx, "SaveAuditChecks", func(tx *Tx) error {
		before, err := tx.editableAudit(orgID, id, in.Version)
		if err != nil {
			return err
		}
		var v isms.Validation
		for i, c := range in.Checks {
			field := fmt.Sprintf("checks.%d", i)
			if !before.Covers(c.Ref) {
				v.Add(field+".ref", "aud.err.not_in_scope", c.Ref)
			}
			if !c.Result.Valid() {
				v.Add(field+".result", "err.choice")
			}
			checkText(&v, field+".note", c.Note, 5000)
		}
		if err := v.Err(); err != nil {
			return err
		}
		for _, c := range in.Checks {
			if _, err := tx.exec("UPDATE internal_audit_checks SET result = ?, note = ? WHERE audit_id = ? AND ref = ?",
				string(c.Result), strings.TrimSpace(c.Note), id, c.Ref); err != nil {
				return err
			}
		}
		if _, err := tx.exec("UPDATE internal_audits SET version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?", ts(tx.now), orgID, id); err != nil {
			return err
		}
		if out, err = tx.internalAudit(orgID, id); err != nil {
			return err
		}
		// The trail keeps the lines that changed, not the whole list.
		was, now := map[string]string{}, map[string]string{}
		for _, c := range before.Checks {
			was[c.Ref] = string(c.Result) + " " + c.Note
		}
		for _, c := range out.Checks {
			if v := string(c.Result) + " " + c.Note; v != was[c.Ref] {
				now[c.Ref] = strings.TrimSpace(v)
			} else {
				delete(was, c.Ref)
			}
		}
		for r, v := range was {
			was[r] = strings.TrimSpace(v)
		}
		return tx.audit(orgID, "update", typeInternalAudit, id, map[string]any{"checks": was, "version": before.Version},
			map[string]any{"checks": now, "version": out.Version})
	})
	return out, err
}

// reportChecksum is the SHA-256 of the report's content: the audit, its
// checklist and its findings as recorded. A report read later with the
// same checksum is the report that was approved.
func reportChecksum(a *isms.Audit) string {
	type finding struct {
		ID                                      int64
		Type, Ref, Title, Description, Evidence string
		DocumentID                              *int64
	}
	fs := make([]finding, 0, len(a.Findings))
	for _, f := range a.Findings {
		fs = append(fs, finding{f.ID, string(f.Type), f.Ref, f.Title, f.Description, f.Evidence, f.DocumentID})
	}
	// The content only: not the change counter nor the approval itself,
	// so the same content approved again has the same checksum.
	rec := auditRecord(a)
	delete(rec, "version")
	delete(rec, "approved_by")
	delete(rec, "report_checksum")
	b, _ := json.Marshal(map[string]any{"audit": rec, "checks": a.Checks, "findings": fs})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ApproveAuditReport is the lead auditor's approval of the report: the
// audit must be held, every checklist line answered, a conclusion written
// and every nonconformity found registered. The approval records who,
// when and the content's checksum, and freezes the audit.
func (db *DB) ApproveAuditReport(ctx context.Context, orgID, id, version int64) (*isms.Audit, error) {
	var out *isms.Audit
	err := db.write(ctx, "ApproveAuditReport", func(tx *Tx) error {
		before, err := tx.leadAuditorsAudit(orgID, id, version)
		if err != nil {
			return err
		}
		if before.ApprovedAt != nil {
			return isms.Errorf(isms.EConflict, "aud.err.approved")
		}
		var v isms.Validation
		if before.HeldTo == nil {
			v.Add("held_to", "aud.err.not_held")
		}
		if strings.TrimSpace(before.Conclusion) == "" {
			v.Add("conclusion", "aud.err.conclusion_required")
		}
		var open []string
		for _, c := range before.Checks {
			if c.Result == isms.CheckNotChecked {
				open = append(open, c.Ref)
			}
		}
		if len(open) > 0 {
			v.Add("checks", "aud.err.checks_open", strings.Join(open, ", "))
		}
		for _, f := range before.Findings {
			if f.AwaitsRegistration() {
				v.Add("findings", "aud.err.unregistered", f.Title)
				break
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE internal_audits SET approved_at = ?, approved_by = ?, report_checksum = ?, version = version + 1, updated_at = ?
			WHERE organisation_id = ? AND id = ?`, ts(tx.now), tx.actor.UserID, reportChecksum(before), ts(tx.now), orgID, id); err != nil {
			return err
		}
		if out, err = tx.internalAudit(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "approve", typeInternalAudit, id, auditRecord(before), auditRecord(out))
	})
	return out, err
}

// leadAuditorsAudit reads an audit for its lead auditor's act: only the
// audit's lead auditor, a member of the organisation, may approve or
// withdraw the approval of its report.
func (tx *Tx) leadAuditorsAudit(orgID, id, version int64) (*isms.Audit, error) {
	acc, err := tx.require(orgID, isms.PermView)
	if err != nil {
		return nil, err
	}
	a, err := tx.internalAudit(orgID, id)
	if err != nil {
		return nil, err
	}
	if acc.Role == "" || a.LeadAuditorID == nil || *a.LeadAuditorID != tx.actor.UserID {
		return nil, isms.Errorf(isms.EForbidden, "aud.err.lead_only")
	}
	return a, checkVersion(a.Version, version)
}

// WithdrawAuditApproval reopens an approved report for correction by its
// lead auditor; the trail keeps the approval withdrawn.
func (db *DB) WithdrawAuditApproval(ctx context.Context, orgID, id, version int64) (*isms.Audit, error) {
	var out *isms.Audit
	err := db.write(ctx, "WithdrawAuditApproval", func(tx *Tx) error {
		before, err := tx.leadAuditorsAudit(orgID, id, version)
		if err != nil {
			return err
		}
		if before.ApprovedAt == nil {
			return isms.Errorf(isms.EConflict, "aud.err.not_approved")
		}
		if _, err := tx.exec(`UPDATE internal_audits SET approved_at = NULL, approved_by = NULL, report_checksum = '', version = version + 1, updated_at = ?
			WHERE organisation_id = ? AND id = ?`, ts(tx.now), orgID, id); err != nil {
			return err
		}
		if out, err = tx.internalAudit(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "withdraw", typeInternalAudit, id, auditRecord(before), auditRecord(out))
	})
	return out, err
}

// ---- findings ----

const findingColumns = `f.id, f.organisation_id, f.audit_id, a.title, f.type, f.ref, f.title, f.description, f.evidence, f.document_id,
	COALESCE(d.title, ''), COALESCE(u.name, ''), f.nonconformity_id, COALESCE(n.title, ''), ` + findingNCStatusSQL + `,
	n.effective, n.reviewed_on, f.version, f.created_at, f.updated_at`

// findingNCStatusSQL is the linked nonconformity's derived status (empty
// without one), as ncStatusSQL derives it.
const findingNCStatusSQL = `CASE WHEN n.id IS NULL THEN '' ELSE ` + ncStatusSQL + ` END`

const findingFrom = ` FROM internal_audit_findings f JOIN internal_audits a ON a.id = f.audit_id
	LEFT JOIN documents d ON d.id = f.document_id LEFT JOIN users u ON u.id = f.recorded_by
	LEFT JOIN nonconformities n ON n.id = f.nonconformity_id`

func scanFinding(row scanner) (*isms.AuditFinding, error) {
	var f isms.AuditFinding
	var t, status string
	var doc, nc, effective sql.NullInt64
	var reviewed sql.NullString
	if err := row.Scan(&f.ID, &f.OrganisationID, &f.AuditID, &f.AuditTitle, &t, &f.Ref, &f.Title, &f.Description, &f.Evidence, &doc,
		&f.DocumentTitle, &f.RecordedByName, &nc, &f.NCTitle, &status, &effective, &reviewed, &f.Version,
		scanTime{&f.CreatedAt}, scanTime{&f.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("finding")
		}
		return nil, err
	}
	f.Type, f.NCStatus = isms.FindingType(t), isms.NCStatus(status)
	f.DocumentID, f.NonconformityID = int64Ptr(doc), int64Ptr(nc)
	f.NCEffective, f.NCReviewedOn = boolPtr(effective), parseDatePtr(reviewed)
	return &f, nil
}

func (tx *Tx) auditFindings(orgID int64, where string, args ...any) ([]*isms.AuditFinding, error) {
	return queryAll(tx, scanFinding, "SELECT "+findingColumns+findingFrom+" WHERE f.organisation_id = ?"+where+" ORDER BY a.planned_on, f.audit_id, f.id",
		append([]any{orgID}, args...)...)
}

func (tx *Tx) auditFinding(orgID, id int64) (*isms.AuditFinding, error) {
	return scanFinding(tx.queryRow("SELECT "+findingColumns+findingFrom+" WHERE f.organisation_id = ? AND f.id = ?", orgID, id))
}

// AuditFindings lists every finding of the organisation's audits.
func (db *DB) AuditFindings(ctx context.Context, orgID int64) ([]*isms.AuditFinding, error) {
	var out []*isms.AuditFinding
	err := db.read(ctx, "AuditFindings", func(tx *Tx) (err error) {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		out, err = tx.auditFindings(orgID, "")
		return err
	})
	return out, err
}

// AuditFinding reads one finding with its nonconformity's status.
func (db *DB) AuditFinding(ctx context.Context, orgID, id int64) (*isms.AuditFinding, error) {
	var out *isms.AuditFinding
	err := db.read(ctx, "AuditFinding", func(tx *Tx) (err error) {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		out, err = tx.auditFinding(orgID, id)
		return err
	})
	return out, err
}

func findingRecord(f *isms.AuditFinding) map[string]any {
	return map[string]any{"audit_id": f.AuditID, "type": f.Type, "ref": f.Ref, "title": f.Title, "description": f.Description,
		"evidence": f.Evidence, "document_id": f.DocumentID, "nonconformity_id": f.NonconformityID, "version": f.Version}
}

// validateFinding checks a finding against its audit: the clause or
// control is in the audit's scope, the document is the organisation's.
func (tx *Tx) validateFinding(orgID int64, a *isms.Audit, in *isms.AuditFindingInput) error {
	in.Ref, in.Title = strings.TrimSpace(in.Ref), strings.TrimSpace(in.Title)
	in.Evidence, in.Description = strings.TrimSpace(in.Evidence), strings.TrimSpace(in.Description)
	v := in.Validate()
	if in.Ref != "" && !a.Covers(in.Ref) {
		v.Add("ref", "aud.err.not_in_scope", in.Ref)
	}
	if in.DocumentID != nil {
		if n, err := tx.count("SELECT COUNT(*) FROM documents WHERE organisation_id = ? AND id = ?", orgID, *in.DocumentID); err != nil {
			return err
		} else if n == 0 {
			v.Add("document_id", "err.unknown_reference")
		}
	}
	return v.Err()
}

// CreateAuditFinding records a finding of an audit not yet approved; its
// checklist line is marked as having a finding.
func (db *DB) CreateAuditFinding(ctx context.Context, orgID, auditID int64, in isms.AuditFindingInput) (*isms.AuditFinding, error) {
	var out *isms.AuditFinding
	err := db.write(ctx, "CreateAuditFinding", func(tx *Tx) error {
		if _, err := tx.mayRecordAudit(orgID); err != nil {
			return err
		}
		a, err := tx.internalAudit(orgID, auditID)
		if err != nil {
			return err
		}
		if a.ApprovedAt != nil {
			return isms.Errorf(isms.EConflict, "aud.err.approved")
		}
		if err := tx.validateFinding(orgID, a, &in); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO internal_audit_findings (organisation_id, audit_id, type, ref, title, description, evidence, document_id,
			recorded_by, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			orgID, auditID, string(in.Type), in.Ref, in.Title, in.Description, in.Evidence, nullInt(in.DocumentID), tx.actor.UserID, now, now)
		if err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE internal_audit_checks SET result = ? WHERE audit_id = ? AND ref = ?", string(isms.CheckFinding), auditID, in.Ref); err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE internal_audits SET version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?", now, orgID, auditID); err != nil {
			return err
		}
		if out, err = tx.auditFinding(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeAuditFinding, id, nil, findingRecord(out))
	})
	return out, err
}

// editableFinding reads a finding for a change: the caller may record
// audits, sent the version read, and the audit's report is not approved.
func (tx *Tx) editableFinding(orgID, id, version int64) (*isms.AuditFinding, *isms.Audit, error) {
	if _, err := tx.mayRecordAudit(orgID); err != nil {
		return nil, nil, err
	}
	f, err := tx.auditFinding(orgID, id)
	if err != nil {
		return nil, nil, err
	}
	if err := checkVersion(f.Version, version); err != nil {
		return nil, nil, err
	}
	a, err := tx.internalAudit(orgID, f.AuditID)
	if err != nil {
		return nil, nil, err
	}
	if a.ApprovedAt != nil {
		return nil, nil, isms.Errorf(isms.EConflict, "aud.err.approved")
	}
	return f, a, nil
}

// UpdateAuditFinding changes a finding. Once registered as a
// nonconformity its type stays a nonconformity: the register holds it.
func (db *DB) UpdateAuditFinding(ctx context.Context, orgID, id int64, in isms.AuditFindingInput) (*isms.AuditFinding, error) {
	var out *isms.AuditFinding
	err := db.write(ctx, "UpdateAuditFinding", func(tx *Tx) error {
		before, a, err := tx.editableFinding(orgID, id, in.Version)
		if err != nil {
			return err
		}
		if err := tx.validateFinding(orgID, a, &in); err != nil {
			return err
		}
		if before.NonconformityID != nil && !in.Type.Nonconformity() {
			var v isms.Validation
			v.Add("type", "aud.err.registered_type")
			return v.Err()
		}
		if _, err := tx.exec(`UPDATE internal_audit_findings SET type = ?, ref = ?, title = ?, description = ?, evidence = ?, document_id = ?,
			version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			string(in.Type), in.Ref, in.Title, in.Description, in.Evidence, nullInt(in.DocumentID), ts(tx.now), orgID, id); err != nil {
			return err
		}
		if out, err = tx.auditFinding(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeAuditFinding, id, findingRecord(before), findingRecord(out))
	})
	return out, err
}

// DeleteAuditFinding removes a finding not yet registered as a
// nonconformity (the register's record would lose its source).
func (db *DB) DeleteAuditFinding(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteAuditFinding", func(tx *Tx) error {
		before, _, err := tx.editableFinding(orgID, id, version)
		if err != nil {
			return err
		}
		if before.NonconformityID != nil {
			return isms.Errorf(isms.EConflict, "aud.err.registered_delete")
		}
		return tx.deleteRecord(orgID, "internal_audit_findings", typeAuditFinding, id, findingRecord(before))
	})
}

// RegisterFindingNonconformity puts a major or minor nonconformity finding
// into the nonconformity register in one transaction: source "audit", the
// finding's clause or control as the requirement, detected when the audit
// was held, owned by the owner given or the control's owner in the SoA,
// linked from the finding. A finding already registered is refused, so
// two auditors registering it at once leave one nonconformity. The
// auditor may do this without the edit permission: the register is where
// audit nonconformities are followed.
func (db *DB) RegisterFindingNonconformity(ctx context.Context, orgID, id int64, in isms.FindingRegistration) (*isms.Nonconformity, error) {
	var n *isms.Nonconformity
	err := db.write(ctx, "RegisterFindingNonconformity", func(tx *Tx) error {
		if _, err := tx.mayRecordAudit(orgID); err != nil {
			return err
		}
		f, err := tx.auditFinding(orgID, id)
		if err != nil {
			return err
		}
		if f.NonconformityID != nil {
			return isms.Errorf(isms.EConflict, "aud.err.already_registered")
		}
		if err := checkVersion(f.Version, in.Version); err != nil {
			return err
		}
		if !f.Type.Nonconformity() {
			return isms.Errorf(isms.EInvalid, "aud.err.not_nc")
		}
		a, err := tx.internalAudit(orgID, f.AuditID)
		if err != nil {
			return err
		}
		owner := in.OwnerID
		kind := isms.NCReqClause
		if slices.Contains(a.Controls, f.Ref) {
			kind = isms.NCReqControl
			if owner == nil {
				_, owners, err := tx.soaApplicable(orgID)
				if err != nil {
					return err
				}
				if o, ok := owners[f.Ref]; ok {
					owner = &o
				}
			}
		}
		detected := tx.Today()
		if a.HeldTo != nil {
			detected = *a.HeldTo
		} else if a.HeldFrom != nil {
			detected = *a.HeldFrom
		}
		lang := tx.lang
		if lang == "" {
			lang = i18n.DA
		}
		reporter := a.LeadAuditorName
		if reporter == "" {
			reporter = a.OtherAuditors
		}
		nin := isms.NonconformityInput{
			Title: f.Title, Source: isms.NCSourceAudit,
			SourceRef:       i18n.T(lang, "aud.nc.ref", a.Title, i18n.T(lang, i18n.Key("aud.type."+string(f.Type)))),
			RequirementKind: kind, Requirement: f.Ref,
			Description: strings.TrimSpace(f.Description + "\n\n" + i18n.T(lang, "aud.nc.evidence", f.Evidence)),
			DetectedOn:  &detected, ReportedBy: reporter, OwnerID: owner,
		}
		if n, err = tx.recordNonconformity(orgID, nin, false); err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE internal_audit_findings SET nonconformity_id = ?, version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?",
			n.ID, ts(tx.now), orgID, f.ID); err != nil {
			return err
		}
		after, err := tx.auditFinding(orgID, f.ID)
		if err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeAuditFinding, f.ID, findingRecord(f), findingRecord(after))
	})
	return n, err
}

// ---- results, coverage, assignments ----

// AuditResults is what management review reads of the internal audits:
// the audits held (last day) within from–to with their findings counted by
// type, and the nonconformities raised by audit findings not yet closed.
func (db *DB) AuditResults(ctx context.Context, orgID int64, from, to isms.Date) (*isms.AuditResults, error) {
	var out *isms.AuditResults
	err := db.read(ctx, "AuditResults", func(tx *Tx) (err error) {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		out, err = tx.auditResults(orgID, from, to)
		return err
	})
	return out, err
}

func (tx *Tx) auditResults(orgID int64, from, to isms.Date) (*isms.AuditResults, error) {
	out := &isms.AuditResults{From: from, To: to, Audits: []isms.AuditResult{}, OpenNonconformities: []isms.AuditOpenFindingNC{}}
	audits, err := tx.internalAudits(orgID, " AND a.held_to IS NOT NULL AND a.held_to >= ? AND a.held_to <= ?", from.String(), to.String())
	if err != nil {
		return nil, err
	}
	slices.SortFunc(audits, func(x, y *isms.Audit) int { return x.HeldTo.Compare(y.HeldTo.Time) })
	for _, a := range audits {
		out.Audits = append(out.Audits, isms.AuditResult{AuditID: a.ID, Title: a.Title, HeldFrom: *a.HeldFrom, HeldTo: *a.HeldTo,
			LeadAuditorName: a.LeadAuditorName, Approved: a.ApprovedAt != nil, Conclusion: a.Conclusion, Counts: a.Counts, Path: internalAuditPath(a.ID)})
		out.Totals.MajorNC += a.Counts.MajorNC
		out.Totals.MinorNC += a.Counts.MinorNC
		out.Totals.Observations += a.Counts.Observations
		out.Totals.Opportunity += a.Counts.Opportunity
	}
	fs, err := tx.auditFindings(orgID, " AND f.nonconformity_id IS NOT NULL AND n.closed_on IS NULL")
	if err != nil {
		return nil, err
	}
	today := tx.Today()
	for _, f := range fs {
		nc, err := tx.nonconformity(orgID, *f.NonconformityID)
		if err != nil {
			return nil, err
		}
		out.OpenNonconformities = append(out.OpenNonconformities, isms.AuditOpenFindingNC{NonconformityID: nc.ID, Title: nc.Title, Status: nc.Status,
			FindingID: f.ID, FindingType: f.Type, Ref: f.Ref, AuditID: f.AuditID, AuditTitle: f.AuditTitle, Overdue: nc.Overdue(today),
			Path: nonconformityPath(nc.ID)})
	}
	return out, nil
}

// AuditCoverage sets the programme's plan against what it must cover.
func (db *DB) AuditCoverage(ctx context.Context, orgID, programmeID int64) (*isms.AuditCoverage, error) {
	var out *isms.AuditCoverage
	err := db.read(ctx, "AuditCoverage", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		p, err := tx.auditProgramme(orgID, programmeID)
		if err != nil {
			return err
		}
		out, err = tx.auditCoverage(orgID, p)
		return err
	})
	return out, err
}

// auditCoverage lists each clause and each applicable control with the
// programme's audits that have it in scope, and weighs each control: one
// treating a risk whose inherent level is above the acceptance criteria,
// or with earlier nonconformities or observations against it, is
// suggested for every year of the cycle; the others once per cycle.
func (tx *Tx) auditCoverage(orgID int64, p *isms.AuditProgramme) (*isms.AuditCoverage, error) {
	cov := &isms.AuditCoverage{ProgrammeID: p.ID, Clauses: []isms.CoverageLine{}, Controls: []isms.CoverageLine{}}
	for y := p.FirstYear; y <= p.LastYear; y++ {
		cov.Years = append(cov.Years, y)
	}
	refs, _, err := tx.soaApplicable(orgID)
	if err != nil {
		return nil, err
	}
	titles, err := tx.controlTitles(orgID)
	if err != nil {
		return nil, err
	}
	method, err := tx.riskMethod(orgID)
	if err != nil {
		return nil, err
	}
	highRisks := map[string][]string{}
	err = tx.queryEach(`SELECT c.ref, r.title, r.inherent_l, r.inherent_c FROM risk_controls rc JOIN risks r ON r.id = rc.risk_id
		JOIN controls c ON c.id = rc.control_id WHERE rc.organisation_id = ? ORDER BY r.title`, []any{orgID}, func(row scanner) error {
		var ref, title string
		var l, c int
		if err := row.Scan(&ref, &title, &l, &c); err != nil {
			return err
		}
		if !method.Acceptable(l, c) && !slices.Contains(highRisks[ref], title) {
			highRisks[ref] = append(highRisks[ref], title)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Earlier results: findings other than opportunities in audits held
	// before this cycle began or earlier in it.
	earlier := map[string]int{}
	err = tx.queryEach(`SELECT f.ref FROM internal_audit_findings f JOIN internal_audits a ON a.id = f.audit_id
		WHERE f.organisation_id = ? AND f.type <> ?`, []any{orgID, string(isms.FindingOpportunity)}, func(row scanner) error {
		var ref string
		err := row.Scan(&ref)
		earlier[ref]++
		return err
	})
	if err != nil {
		return nil, err
	}
	line := func(ref, title string, weigh bool) isms.CoverageLine {
		l := isms.CoverageLine{Ref: ref, Title: title, Audits: []isms.CoverageAudit{}, HighRisks: highRisks[ref], Findings: earlier[ref], YearsPlanned: []int{}}
		if l.HighRisks == nil {
			l.HighRisks = []string{}
		}
		for _, a := range p.Audits {
			if !a.Covers(ref) {
				continue
			}
			on := a.PlannedOn
			if a.HeldTo != nil {
				on = *a.HeldTo
			}
			l.Audits = append(l.Audits, isms.CoverageAudit{AuditID: a.ID, Title: a.Title, On: on, Status: a.Status})
			if !slices.Contains(l.YearsPlanned, on.Year()) {
				l.YearsPlanned = append(l.YearsPlanned, on.Year())
			}
		}
		l.Yearly = weigh && (len(l.HighRisks) > 0 || l.Findings > 0)
		if !l.Covered() {
			cov.Uncovered++
		}
		if l.Underweighted(cov.Years) {
			cov.Underweighted++
		}
		return l
	}
	for _, c := range isms.StandardClauses {
		cov.Clauses = append(cov.Clauses, line(c, "", false))
	}
	for _, r := range refs {
		cov.Controls = append(cov.Controls, line(r, titles[r], true))
	}
	return cov, nil
}

// OpenAuditAssignments lists each person's open internal-audit items: a
// planned audit for its lead auditor to hold (due the day planned) and a
// held audit's report for its lead auditor to approve (due 30 days after
// the audit), for the per-person inbox and reminders.
func (db *DB) OpenAuditAssignments(ctx context.Context, orgID int64) ([]isms.AssignedAuditItem, error) {
	out := []isms.AssignedAuditItem{}
	err := db.read(ctx, "OpenAuditAssignments", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		items, err := tx.openAuditAssignments(orgID)
		for _, it := range items {
			out = append(out, it.AssignedAuditItem)
		}
		return err
	})
	return out, err
}

// auditAssignment is an AssignedAuditItem with its audit, for the
// notifications (notifications.go) to name the record.
type auditAssignment struct {
	isms.AssignedAuditItem
	auditID int64
}

// openAuditAssignments lists what the lead auditors have still to do: hold
// a planned audit, or approve a held one's report.
func (tx *Tx) openAuditAssignments(orgID int64) ([]auditAssignment, error) {
	audits, err := tx.internalAudits(orgID, " AND a.lead_auditor_id IS NOT NULL AND a.approved_at IS NULL")
	if err != nil {
		return nil, err
	}
	var out []auditAssignment
	for _, a := range audits {
		item := isms.AssignedAuditItem{UserID: *a.LeadAuditorID, DueOn: a.PlannedOn, Title: a.Title, Kind: "hold", Path: internalAuditPath(a.ID)}
		if a.HeldTo != nil {
			item.Kind, item.DueOn = "approve", a.HeldTo.AddDays(30)
		}
		out = append(out, auditAssignment{item, a.ID})
	}
	return out, nil
}

// auditScheduledItems puts the audits on the annual wheel's calendar: a
// held audit on its last day, done; a planned one on the day planned.
func auditScheduledItems(tx *Tx, orgID int64, from, to isms.Date) ([]isms.ScheduledItem, error) {
	audits, err := tx.internalAudits(orgID, " AND COALESCE(a.held_to, a.planned_on) >= ? AND COALESCE(a.held_to, a.planned_on) <= ?", from.String(), to.String())
	if err != nil {
		return nil, err
	}
	var out []isms.ScheduledItem
	for _, a := range audits {
		day := a.PlannedOn
		if a.HeldTo != nil {
			day = *a.HeldTo
		}
		out = append(out, isms.ScheduledItem{Day: day, Label: clip(a.Title, 120), Kind: "aud.schedule.audit", Done: a.HeldTo != nil,
			Evidence: isms.Evidence{RecordType: typeInternalAudit, RecordID: a.ID, Label: a.Title, Path: internalAuditPath(a.ID)}})
	}
	return out, nil
}
