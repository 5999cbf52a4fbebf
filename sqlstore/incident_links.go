package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// Incidents linked both ways (see isms/incident_links.go for the model).
// Every link is stored once: a nonconformity names its source incident or
// supervision, an incident names its risks, threats and controls, and an
// incident's row per communication plan entry records what was done. The
// other side reads the same rows backwards. Only an event triaged as an
// incident carries links, so the links never outlive it (an incident stays
// in the log). Changing the links changes the incident: its version rises
// and its audit event holds the links before and after.

const typeIncidentCommunication = "incident_communication"

const (
	maxIncidentLinks = 200
	// The prefill of a registered nonconformity, within its limits.
	ncTitleMax, ncDescriptionMax, ncReportedByMax = 300, 10000, 200
)

// incidentRecordLinks fills in the risks, threats and controls of
// incidents; in and ids are those of incidentDetails.
func (tx *Tx) incidentRecordLinks(in string, ids []any, byID map[int64]*isms.Incident) error {
	err := tx.queryEach(`SELECT l.incident_id, r.id, r.title, COALESCE(a.title, '') FROM incident_risks l JOIN risks r ON r.id = l.risk_id
		LEFT JOIN risk_assessments a ON a.id = r.assessment_id WHERE l.organisation_id = ? AND l.incident_id`+in+` ORDER BY r.title, r.id`, ids,
		func(row scanner) error {
			var iid int64
			var r isms.IncidentRiskRef
			if err := row.Scan(&iid, &r.ID, &r.Title, &r.AssessmentTitle); err != nil {
				return err
			}
			byID[iid].Risks = append(byID[iid].Risks, r)
			return nil
		})
	if err != nil {
		return err
	}
	err = tx.queryEach(`SELECT l.incident_id, t.id, t.name_da, t.name_en FROM incident_threats l JOIN threats t ON t.id = l.threat_id
		WHERE l.organisation_id = ? AND l.incident_id`+in+` ORDER BY t.name_da, t.id`, ids, func(row scanner) error {
		var iid int64
		var t isms.IncidentThreatRef
		if err := row.Scan(&iid, &t.ID, &t.NameDA, &t.NameEN); err != nil {
			return err
		}
		byID[iid].Threats = append(byID[iid].Threats, t)
		return nil
	})
	if err != nil {
		return err
	}
	return tx.queryEach(`SELECT l.incident_id, c.id, c.ref, c.title_da, c.title_en, c.organisation_id, l.effect FROM incident_controls l
		JOIN controls c ON c.id = l.control_id WHERE l.organisation_id = ? AND l.incident_id`+in+` ORDER BY c.sort_key, c.id`, ids,
		func(row scanner) error {
			var iid int64
			var c isms.IncidentControl
			var org sql.NullInt64
			var effect string
			if err := row.Scan(&iid, &c.ControlID, &c.Ref, &c.TitleDA, &c.TitleEN, &org, &effect); err != nil {
				return err
			}
			c.Own, c.Effect = org.Valid, isms.ControlEffect(effect)
			byID[iid].Controls = append(byID[iid].Controls, c)
			return nil
		})
}

// incLinksRecord is what the audit trail keeps of an incident's links.
func incLinksRecord(i *isms.Incident) map[string]any {
	risks, threats, controls := []int64{}, []int64{}, []string{}
	for _, r := range i.Risks {
		risks = append(risks, r.ID)
	}
	for _, t := range i.Threats {
		threats = append(threats, t.ID)
	}
	for _, c := range i.Controls {
		controls = append(controls, c.Ref+":"+string(c.Effect))
	}
	m := incRecord(i)
	m["risk_ids"], m["threat_ids"], m["controls"] = risks, threats, controls
	return m
}

// editableIncident reads an incident for a change to its links: the
// caller may edit incidents, sent the version stored (a version below 0
// asks for none: communications, like timeline entries, are added to an
// incident without changing it), and it was triaged as an incident.
func (tx *Tx) editableIncident(orgID, id, version int64) (*isms.Incident, error) {
	if _, err := tx.require(orgID, isms.PermEdit); err != nil {
		return nil, err
	}
	i, err := tx.incident(orgID, id)
	if err != nil {
		return nil, err
	}
	if version >= 0 {
		if err := checkVersion(i.Version, version); err != nil {
			return nil, err
		}
	}
	if !i.Status.IsIncident() {
		return nil, isms.Errorf(isms.EInvalid, "inc.err.not_triaged")
	}
	return i, nil
}

// touchIncident raises an incident's version after a change to what it
// links, and records the change.
func (tx *Tx) touchIncident(orgID int64, before *isms.Incident, action string) (*isms.Incident, error) {
	if _, err := tx.exec("UPDATE incidents SET version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?",
		ts(tx.now), orgID, before.ID); err != nil {
		return nil, err
	}
	after, err := tx.incident(orgID, before.ID)
	if err != nil {
		return nil, err
	}
	return after, tx.audit(orgID, action, typeIncident, before.ID, incLinksRecord(before), incLinksRecord(after))
}

// setIncidentClosedAt keeps closed_at in step with an incident's status
// after a change, whichever way it was made (the form, the API, an
// import): set when the incident is closed and has none, kept while it
// stays closed, cleared when it is taken up again.
func (tx *Tx) setIncidentClosedAt(orgID, id int64, status isms.IncidentStatus) error {
	if status == isms.IncidentClosed {
		_, err := tx.exec("UPDATE incidents SET closed_at = ? WHERE organisation_id = ? AND id = ? AND closed_at IS NULL", ts(tx.now), orgID, id)
		return err
	}
	_, err := tx.exec("UPDATE incidents SET closed_at = NULL WHERE organisation_id = ? AND id = ? AND closed_at IS NOT NULL", orgID, id)
	return err
}

func clipText(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n-1])) + "…"
}

// RegisterIncidentNonconformity creates the nonconformity of an incident
// flagged as one, in one transaction: titled and described as the
// incident, detected the day it was, reported by its reporter, owned by
// its owner (or the caller), with the requirement its category names (see
// isms.IncidentCategoryControls) or none yet. The incident's version
// rises, so a second click on a page read before the first makes a
// conflict rather than a second nonconformity.
func (db *DB) RegisterIncidentNonconformity(ctx context.Context, orgID, id, version int64) (*isms.Nonconformity, error) {
	var n *isms.Nonconformity
	err := db.write(ctx, "RegisterIncidentNonconformity", func(tx *Tx) error {
		i, err := tx.editableIncident(orgID, id, version)
		if err != nil {
			return err
		}
		if !i.Nonconformity {
			return isms.Errorf(isms.EInvalid, "incl.err.not_flagged")
		}
		owner := i.OwnerID
		if owner == nil || !tx.isMember(orgID, *owner) {
			owner = &tx.actor.UserID
		}
		detected := isms.DateOf(i.DetectedAt)
		in := isms.NonconformityInput{Title: clipText(i.Title, ncTitleMax), Source: isms.NCSourceIncident, SourceIncidentID: &i.ID,
			RequirementKind: isms.NCReqControl, Requirement: isms.IncidentCategoryControls[i.Category],
			Description: clipText(i.Description, ncDescriptionMax), DetectedOn: &detected, ReportedBy: clipText(i.ReportedByName, ncReportedByMax),
			OwnerID: owner}
		if n, err = tx.insertNonconformity(orgID, in, true); err != nil {
			return err
		}
		_, err = tx.touchIncident(orgID, i, "register_nonconformity")
		return err
	})
	return n, err
}

// isMember reports whether a user is a member of the organisation.
func (tx *Tx) isMember(orgID, userID int64) bool {
	var v isms.Validation
	tx.checkMember(&v, "owner_id", orgID, &userID)
	return v.Err() == nil
}

// SetIncidentLinks sets the risks, threats and controls an incident
// names, refusing a stale version and records of another organisation.
func (db *DB) SetIncidentLinks(ctx context.Context, orgID, id int64, in isms.IncidentLinksInput) (*isms.Incident, error) {
	var out *isms.Incident
	err := db.write(ctx, "SetIncidentLinks", func(tx *Tx) error {
		before, err := tx.editableIncident(orgID, id, in.Version)
		if err != nil {
			return err
		}
		var v isms.Validation
		risks, threats := uniqueIDs(in.RiskIDs), uniqueIDs(in.ThreatIDs) // sorted, each once
		var controls []isms.IncidentControlInput
		seen := map[int64]bool{}
		for _, c := range in.Controls {
			if !c.Effect.Valid() {
				v.Add("controls", "incl.err.effect")
			}
			if !seen[c.ControlID] {
				seen[c.ControlID] = true
				controls = append(controls, c)
			}
		}
		for _, ref := range []struct {
			field, q string
			n        int
			ids      func(yield func(int64) bool)
		}{
			{"risk_ids", "SELECT COUNT(*) FROM risks WHERE organisation_id = ? AND id = ?", len(risks), slices.Values(risks)},
			{"threat_ids", "SELECT COUNT(*) FROM threats WHERE (organisation_id IS NULL OR organisation_id = ?) AND id = ?", len(threats), slices.Values(threats)},
			{"controls", `SELECT COUNT(*) FROM controls WHERE ((organisation_id IS NULL AND catalogue = 'iso27001:2022') OR
				(organisation_id = ? AND catalogue IN ('iso27001:2022', 'own'))) AND id = ?`, len(controls), func(yield func(int64) bool) {
				for _, c := range controls {
					if !yield(c.ControlID) {
						return
					}
				}
			}},
		} {
			if ref.n > maxIncidentLinks {
				v.Add(ref.field, "incl.err.too_many", maxIncidentLinks)
				continue
			}
			for rid := range ref.ids {
				n, err := tx.count(ref.q, orgID, rid)
				if err != nil {
					return err
				}
				if n == 0 {
					v.Add(ref.field, "err.unknown_reference")
					break
				}
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		for _, table := range []string{"incident_risks", "incident_threats", "incident_controls"} {
			if _, err := tx.exec("DELETE FROM "+table+" WHERE organisation_id = ? AND incident_id = ?", orgID, id); err != nil {
				return err
			}
		}
		for _, r := range risks {
			if _, err := tx.exec("INSERT INTO incident_risks (organisation_id, incident_id, risk_id) VALUES (?, ?, ?)", orgID, id, r); err != nil {
				return err
			}
		}
		for _, t := range threats {
			if _, err := tx.exec("INSERT INTO incident_threats (organisation_id, incident_id, threat_id) VALUES (?, ?, ?)", orgID, id, t); err != nil {
				return err
			}
		}
		for _, c := range controls {
			if _, err := tx.exec("INSERT INTO incident_controls (organisation_id, incident_id, control_id, effect) VALUES (?, ?, ?, ?)",
				orgID, id, c.ControlID, string(c.Effect)); err != nil {
				return err
			}
		}
		out, err = tx.touchIncident(orgID, before, "update_links")
		return err
	})
	return out, err
}

// AddIncidentThreat adds a new threat to one of the organisation's own
// threat catalogues and names it on the incident, in one transaction: the
// threat is there, marking the assessments it may apply to, only if the
// incident names it.
func (db *DB) AddIncidentThreat(ctx context.Context, orgID, id int64, in isms.IncidentThreatInput) (*isms.Incident, error) {
	var out *isms.Incident
	err := db.write(ctx, "AddIncidentThreat", func(tx *Tx) error {
		before, err := tx.editableIncident(orgID, id, in.Version)
		if err != nil {
			return err
		}
		t, err := tx.createThreat(orgID, in.Threat)
		if err != nil {
			return err
		}
		if _, err := tx.exec("INSERT INTO incident_threats (organisation_id, incident_id, threat_id) VALUES (?, ?, ?)", orgID, id, t.ID); err != nil {
			return err
		}
		out, err = tx.touchIncident(orgID, before, "update_links")
		return err
	})
	return out, err
}

const incRefColumns = `i.id, i.title, i.detected_at, i.status, i.category`

func scanIncidentRef(row scanner, extra ...any) (*isms.IncidentRef, error) {
	var r isms.IncidentRef
	var status, category string
	if err := row.Scan(append([]any{&r.ID, &r.Title, scanTime{&r.DetectedAt}, &status, &category}, extra...)...); err != nil {
		return nil, err
	}
	r.Status, r.Category = isms.IncidentStatus(status), isms.IncidentCategory(category)
	return &r, nil
}

// IncidentsOfRisk lists the incidents that name a risk, newest first.
func (db *DB) IncidentsOfRisk(ctx context.Context, orgID, riskID int64) ([]*isms.IncidentRef, error) {
	return view(db, ctx, "IncidentsOfRisk", orgID, func(tx *Tx) ([]*isms.IncidentRef, error) {
		if n, err := tx.count("SELECT COUNT(*) FROM risks WHERE organisation_id = ? AND id = ?", orgID, riskID); err != nil {
			return nil, err
		} else if n == 0 {
			return nil, notFound("risk")
		}
		return queryAll(tx, func(row scanner) (*isms.IncidentRef, error) { return scanIncidentRef(row) },
			"SELECT "+incRefColumns+` FROM incident_risks l JOIN incidents i ON i.id = l.incident_id
			WHERE l.organisation_id = ? AND l.risk_id = ? ORDER BY i.detected_at DESC, i.id`, orgID, riskID)
	})
}

// IncidentsOfControl lists the incidents that name a control directly,
// with how it fared, and those that name a risk the control treats
// (existing or planned), with the risk; newest first.
func (db *DB) IncidentsOfControl(ctx context.Context, orgID, controlID int64) ([]*isms.IncidentRef, error) {
	return view(db, ctx, "IncidentsOfControl", orgID, func(tx *Tx) ([]*isms.IncidentRef, error) {
		if n, err := tx.count("SELECT COUNT(*) FROM controls WHERE (organisation_id IS NULL OR organisation_id = ?) AND id = ?", orgID, controlID); err != nil {
			return nil, err
		} else if n == 0 {
			return nil, notFound("control")
		}
		out, err := queryAll(tx, func(row scanner) (*isms.IncidentRef, error) {
			var effect string
			r, err := scanIncidentRef(row, &effect)
			if err == nil {
				r.Via, r.Effect = "control", isms.ControlEffect(effect)
			}
			return r, err
		}, "SELECT "+incRefColumns+`, l.effect FROM incident_controls l JOIN incidents i ON i.id = l.incident_id
			WHERE l.organisation_id = ? AND l.control_id = ? ORDER BY i.detected_at DESC, i.id`, orgID, controlID)
		if err != nil {
			return nil, err
		}
		viaRisk, err := queryAll(tx, func(row scanner) (*isms.IncidentRef, error) {
			var risk string
			r, err := scanIncidentRef(row, &risk)
			if err == nil {
				r.Via, r.RiskTitle = "risk", risk
			}
			return r, err
		}, "SELECT DISTINCT "+incRefColumns+`, r.title FROM incident_risks l JOIN incidents i ON i.id = l.incident_id
			JOIN risks r ON r.id = l.risk_id JOIN risk_controls rc ON rc.risk_id = l.risk_id AND rc.organisation_id = l.organisation_id
			WHERE l.organisation_id = ? AND rc.control_id = ? ORDER BY i.detected_at DESC, i.id, r.title`, orgID, controlID)
		if err != nil {
			return nil, err
		}
		out = append(out, viaRisk...)
		slices.SortStableFunc(out, func(a, b *isms.IncidentRef) int { return b.DetectedAt.Compare(a.DetectedAt) })
		return out, nil
	})
}

// planEntry is a communication plan entry as an incident needs it.
type planEntry struct {
	id                    int64
	caseKey, what, status string
	audience              string
}

func (tx *Tx) planEntries(orgID int64, where string, args ...any) ([]planEntry, error) {
	return queryAll(tx, func(row scanner) (planEntry, error) {
		var e planEntry
		return e, row.Scan(&e.id, &e.caseKey, &e.what, &e.status, &e.audience)
	}, "SELECT id, case_key, what, status, audience FROM communication_entries WHERE organisation_id = ?"+where+" ORDER BY what, id",
		append([]any{orgID}, args...)...)
}

const incCommColumns = `c.id, c.incident_id, c.entry_id, c.case_key, c.what, COALESCE(e.audience, ''), c.attached, c.done_at, c.done_by, c.note,
	COALESCE(u.name, '')`
const incCommFrom = ` FROM incident_communications c LEFT JOIN communication_entries e ON e.id = c.entry_id
	LEFT JOIN users u ON u.id = c.recorded_by`

func scanIncidentCommunication(row scanner) (*isms.IncidentCommunication, error) {
	var c isms.IncidentCommunication
	var entry sql.NullInt64
	var attached int
	if err := row.Scan(&c.ID, &c.IncidentID, &entry, &c.CaseKey, &c.What, &c.Audience, &attached, scanTimePtr{&c.DoneAt}, &c.DoneBy, &c.Note,
		&c.RecordedBy); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("communication")
		}
		return nil, err
	}
	c.EntryID, c.Attached = int64Ptr(entry), attached != 0
	return &c, nil
}

// incidentCommunications lists the plan's entries as they stand for an
// incident: those recorded or attached, then those its cases apply to,
// with the gaps of a personal data breach marked (see the model).
func (tx *Tx) incidentCommunications(orgID int64, i *isms.Incident) ([]*isms.IncidentCommunication, error) {
	out := []*isms.IncidentCommunication{}
	if !i.Status.IsIncident() {
		return out, nil
	}
	rows, err := queryAll(tx, scanIncidentCommunication, "SELECT "+incCommColumns+incCommFrom+
		" WHERE c.organisation_id = ? AND c.incident_id = ? ORDER BY c.id", orgID, i.ID)
	if err != nil {
		return nil, err
	}
	have := map[int64]bool{}
	for _, c := range rows {
		if c.EntryID != nil {
			have[*c.EntryID] = true
		}
	}
	out = append(out, rows...)
	entries, err := tx.planEntries(orgID, " AND case_key IN ("+placeholders(len(isms.IncidentCases))+") AND status <> 'retired'",
		anySlice(isms.IncidentCases)...)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if have[e.id] || !isms.CaseAppliesTo(e.caseKey, i) {
			continue
		}
		id := e.id
		out = append(out, &isms.IncidentCommunication{IncidentID: i.ID, EntryID: &id, CaseKey: e.caseKey, What: e.what, Audience: e.audience})
	}
	if i.PersonalData {
		for _, k := range []string{isms.CaseBreachNotice, isms.CaseBreachAuthority} {
			covered := false
			for _, c := range out {
				if c.CaseKey == k {
					covered = true
					c.Gap = c.DoneAt == nil
				}
			}
			if !covered {
				out = append(out, &isms.IncidentCommunication{IncidentID: i.ID, CaseKey: k, Gap: true})
			}
		}
	}
	order := func(k string) int {
		if n := slices.Index(isms.IncidentCases, k); n >= 0 {
			return n
		}
		return len(isms.IncidentCases)
	}
	slices.SortStableFunc(out, func(a, b *isms.IncidentCommunication) int { return order(a.CaseKey) - order(b.CaseKey) })
	return out, nil
}

func anySlice[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// IncidentCommunications lists the plan's entries for an incident.
func (db *DB) IncidentCommunications(ctx context.Context, orgID, id int64) ([]*isms.IncidentCommunication, error) {
	return view(db, ctx, "IncidentCommunications", orgID, func(tx *Tx) ([]*isms.IncidentCommunication, error) {
		i, err := tx.incident(orgID, id)
		if err != nil {
			return nil, err
		}
		return tx.incidentCommunications(orgID, i)
	})
}

func incCommRecord(i *isms.Incident, c *isms.IncidentCommunication) map[string]any {
	var done any
	if c.DoneAt != nil {
		done = ts(*c.DoneAt)
	}
	return map[string]any{"incident": i.Title, "entry_id": c.EntryID, "case_key": c.CaseKey, "what": c.What, "attached": c.Attached,
		"done_at": done, "done_by": c.DoneBy, "note": c.Note}
}

func (tx *Tx) incidentCommunication(orgID, incidentID, commID int64) (*isms.IncidentCommunication, error) {
	return scanIncidentCommunication(tx.queryRow("SELECT "+incCommColumns+incCommFrom+" WHERE c.organisation_id = ? AND c.incident_id = ? AND c.id = ?",
		orgID, incidentID, commID))
}

// commEntry reads the plan entry a communication names, or says by field
// that the organisation's plan has none such.
func (tx *Tx) commEntry(orgID, entryID int64) (*planEntry, error) {
	es, err := tx.planEntries(orgID, " AND id = ?", entryID)
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		var v isms.Validation
		v.Add("entry_id", "err.unknown_reference")
		return nil, v.Err()
	}
	return &es[0], nil
}

// AttachIncidentCommunication attaches a plan entry to an incident, to be
// carried out for it.
func (db *DB) AttachIncidentCommunication(ctx context.Context, orgID, id int64, in isms.IncidentAttachInput) (*isms.IncidentCommunication, error) {
	var out *isms.IncidentCommunication
	err := db.write(ctx, "AttachIncidentCommunication", func(tx *Tx) error {
		i, err := tx.editableIncident(orgID, id, -1)
		if err != nil {
			return err
		}
		e, err := tx.commEntry(orgID, in.EntryID)
		if err != nil {
			return err
		}
		if n, err := tx.count("SELECT COUNT(*) FROM incident_communications WHERE organisation_id = ? AND incident_id = ? AND entry_id = ?",
			orgID, id, e.id); err != nil {
			return err
		} else if n > 0 || isms.CaseAppliesTo(e.caseKey, i) {
			var v isms.Validation
			v.Add("entry_id", "incl.err.comm_listed")
			return v.Err()
		}
		now := ts(tx.now)
		cid, err := tx.insert(`INSERT INTO incident_communications (organisation_id, incident_id, entry_id, case_key, what, attached, recorded_by,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)`, orgID, id, e.id, e.caseKey, e.what, tx.actor.UserID, now, now)
		if err != nil {
			return err
		}
		if out, err = tx.incidentCommunication(orgID, id, cid); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeIncidentCommunication, cid, nil, incCommRecord(i, out))
	})
	return out, err
}

// RecordIncidentCommunication records that a plan entry was carried out
// for an incident: when, by whom and a note, once per entry; it adds the
// timeline entry that says so. An entry neither applying by its case nor
// attached is attached by being recorded.
func (db *DB) RecordIncidentCommunication(ctx context.Context, orgID, id int64, in isms.IncidentCommunicationInput) (*isms.IncidentCommunication, error) {
	var out *isms.IncidentCommunication
	err := db.write(ctx, "RecordIncidentCommunication", func(tx *Tx) error {
		i, err := tx.editableIncident(orgID, id, -1)
		if err != nil {
			return err
		}
		var v isms.Validation
		in.DoneBy, in.Note = strings.TrimSpace(in.DoneBy), strings.TrimSpace(in.Note)
		if in.DoneAt == nil || in.DoneAt.IsZero() {
			v.Add("done_at", "err.required")
		} else if in.DoneAt.After(tx.now.Add(5 * time.Minute)) {
			v.Add("done_at", "inc.err.future")
		} else if in.DoneAt.Before(i.DetectedAt) {
			v.Add("done_at", "inc.err.before_detection")
		}
		requireText(&v, "done_by", in.DoneBy, 200)
		checkText(&v, "note", in.Note, 5000)
		if err := v.Err(); err != nil {
			return err
		}
		e, err := tx.commEntry(orgID, in.EntryID)
		if err != nil {
			return err
		}
		var before *isms.IncidentCommunication
		existing, err := queryAll(tx, scanInt64, "SELECT id FROM incident_communications WHERE organisation_id = ? AND incident_id = ? AND entry_id = ?",
			orgID, id, e.id)
		if err != nil {
			return err
		}
		if len(existing) > 0 {
			if before, err = tx.incidentCommunication(orgID, id, existing[0]); err != nil {
				return err
			}
		}
		now := ts(tx.now)
		var cid int64
		switch {
		case before != nil && before.DoneAt != nil:
			v.Add("entry_id", "incl.err.comm_recorded")
			return v.Err()
		case before != nil:
			cid = before.ID
			_, err = tx.exec(`UPDATE incident_communications SET done_at = ?, done_by = ?, note = ?, recorded_by = ?, updated_at = ?
				WHERE organisation_id = ? AND id = ?`, ts(in.DoneAt.Time), in.DoneBy, in.Note, tx.actor.UserID, now, orgID, cid)
		default:
			cid, err = tx.insert(`INSERT INTO incident_communications (organisation_id, incident_id, entry_id, case_key, what, attached, done_at,
				done_by, note, recorded_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				orgID, id, e.id, e.caseKey, e.what, b2i(!isms.CaseAppliesTo(e.caseKey, i)), ts(in.DoneAt.Time), in.DoneBy, in.Note,
				tx.actor.UserID, now, now)
		}
		if err != nil {
			return err
		}
		if out, err = tx.incidentCommunication(orgID, id, cid); err != nil {
			return err
		}
		var b any
		if before != nil {
			b = incCommRecord(i, before)
		}
		if err := tx.audit(orgID, "record", typeIncidentCommunication, cid, b, incCommRecord(i, out)); err != nil {
			return err
		}
		// The timeline tells the incident's story in one place: the
		// communication is a step of it.
		text := clipText(i18n.T(tx.lang, "incl.timeline_text", e.what), 4000)
		if in.Note != "" {
			text = clipText(text+"\n"+in.Note, 5000)
		}
		eid, err := tx.insert(`INSERT INTO incident_timeline (organisation_id, incident_id, at, text, actor, recorded_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, orgID, id, ts(in.DoneAt.Time), text, in.DoneBy, tx.actor.UserID, now)
		if err != nil {
			return err
		}
		te, err := scanTimeline(tx.queryRow("SELECT "+timelineColumns+timelineFrom+" WHERE e.organisation_id = ? AND e.id = ?", orgID, eid))
		if err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeIncidentTimeline, eid, nil, timelineRecord(i, te))
	})
	return out, err
}

// DeleteIncidentCommunication removes a communication recorded or
// attached in error; the timeline keeps its entry until it is deleted
// there too.
func (db *DB) DeleteIncidentCommunication(ctx context.Context, orgID, id, commID int64) error {
	return db.write(ctx, "DeleteIncidentCommunication", func(tx *Tx) error {
		i, err := tx.editableIncident(orgID, id, -1)
		if err != nil {
			return err
		}
		c, err := tx.incidentCommunication(orgID, id, commID)
		if err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "incident_communications", typeIncidentCommunication, commID, incCommRecord(i, c))
	})
}

// IncidentsOfCommunication lists the incidents a plan entry was attached
// to or carried out for, newest first.
func (db *DB) IncidentsOfCommunication(ctx context.Context, orgID, entryID int64) ([]*isms.IncidentRef, error) {
	return view(db, ctx, "IncidentsOfCommunication", orgID, func(tx *Tx) ([]*isms.IncidentRef, error) {
		if n, err := tx.count("SELECT COUNT(*) FROM communication_entries WHERE organisation_id = ? AND id = ?", orgID, entryID); err != nil {
			return nil, err
		} else if n == 0 {
			return nil, notFound("communication entry")
		}
		return queryAll(tx, func(row scanner) (*isms.IncidentRef, error) {
			var done sql.NullString
			r, err := scanIncidentRef(row, &done)
			if err == nil && done.Valid {
				r.Via = "done"
			}
			return r, err
		}, "SELECT "+incRefColumns+`, c.done_at FROM incident_communications c JOIN incidents i ON i.id = c.incident_id
			WHERE c.organisation_id = ? AND c.entry_id = ? ORDER BY i.detected_at DESC, i.id`, orgID, entryID)
	})
}
