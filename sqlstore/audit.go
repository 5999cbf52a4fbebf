package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"github.com/ismsdk/isms"
)

// audit appends an event to the organisation's chain in the running
// transaction. before and after are marshalled as they are; pass nil for
// "nothing" (a creation has no before, a deletion no after).
//
// The transaction must hold the organisation's write lock, taken before it
// read the state it changes (lock.go); an event without it is refused, on
// both databases, so a write that forgot the lock fails its tests.
func (tx *Tx) audit(orgID int64, action, recordType string, recordID int64, before, after any) error {
	if !tx.holds(organisationLock(orgID)) {
		return fmt.Errorf("store: %s of %s %d audited without the write lock of organisation %d", action, recordType, recordID, orgID)
	}
	b, err := marshalOrEmpty(before)
	if err != nil {
		return err
	}
	a, err := marshalOrEmpty(after)
	if err != nil {
		return err
	}
	var seq int64
	var prev string
	// Taking the head row first locks the chain for this transaction.
	if err := tx.queryRow("UPDATE audit_heads SET seq = seq + 1 WHERE organisation_id = ? RETURNING seq, hash", orgID).Scan(&seq, &prev); err != nil {
		return fmt.Errorf("advance audit chain of organisation %d: %w", orgID, translate(err))
	}
	var actorID int64
	actorName := "system"
	if tx.actor != nil {
		actorID, actorName = tx.actor.UserID, tx.actor.Name
	}
	e := isms.AuditEvent{OrganisationID: orgID, Seq: seq, At: tx.now, ActorID: actorID, ActorName: actorName,
		Action: action, RecordType: recordType, RecordID: recordID, Before: b, After: a, PrevHash: prev}
	e.Hash = eventHash(&e, ts(tx.now))
	if _, err := tx.exec(`INSERT INTO audit_events (organisation_id, seq, at, actor_id, actor_name, action, record_type, record_id, before_json, after_json, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		orgID, seq, ts(tx.now), actorID, actorName, action, recordType, recordID, string(b), string(a), prev, e.Hash); err != nil {
		return fmt.Errorf("append audit event: %w", err)
	}
	if _, err := tx.exec("UPDATE audit_heads SET hash = ? WHERE organisation_id = ?", e.Hash, orgID); err != nil {
		return err
	}
	if tx.audited == nil {
		tx.audited = map[int64]bool{}
	}
	tx.audited[orgID] = true
	return nil
}

// startChain creates the audit chain of a new organisation.
func (tx *Tx) startChain(orgID int64) error {
	_, err := tx.exec("INSERT INTO audit_heads (organisation_id, seq, hash) VALUES (?, 0, '')", orgID)
	return err
}

func marshalOrEmpty(v any) ([]byte, error) {
	if v == nil {
		return []byte{}, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("marshal audit record: %w", err)
	}
	if string(b) == "null" {
		return []byte{}, nil
	}
	return b, nil
}

// eventHash is SHA-256 over the event's fields, each length-prefixed so
// that no two different events can write the same byte string, and over
// the previous event's hash.
func eventHash(e *isms.AuditEvent, at string) string {
	h := sha256.New()
	for _, f := range []string{
		strconv.FormatInt(e.OrganisationID, 10), strconv.FormatInt(e.Seq, 10), at,
		strconv.FormatInt(e.ActorID, 10), e.ActorName, e.Action, e.RecordType,
		strconv.FormatInt(e.RecordID, 10), string(e.Before), string(e.After), e.PrevHash,
	} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// audited reads a record after its change and keeps the change in the
// audit trail, so what the caller gets back is what the trail says it
// became. before is nil for a create.
func audited[T any](tx *Tx, read func(orgID, id int64) (T, error), orgID int64, action, recordType string, id int64, before any) (T, error) {
	after, err := read(orgID, id)
	if err != nil {
		return after, err
	}
	return after, tx.audit(orgID, action, recordType, id, before, after)
}

// deleteRecord removes one record of the organisation from its table and
// keeps what it was in the audit trail: the last step of every delete,
// after its checks and after the rows that hang on the record are gone.
func (tx *Tx) deleteRecord(orgID int64, table, recordType string, id int64, before any) error {
	if _, err := tx.exec("DELETE FROM "+table+" WHERE organisation_id = ? AND id = ?", orgID, id); err != nil {
		return err
	}
	return tx.audit(orgID, "delete", recordType, id, before, nil)
}

// auditEvents reads the events a WHERE clause (with its ORDER and LIMIT)
// selects.
func (tx *Tx) auditEvents(where string, args ...any) ([]*isms.AuditEvent, error) {
	return queryAll(tx, func(row scanner) (*isms.AuditEvent, error) {
		e, _, err := scanAudit(row)
		return e, err
	}, "SELECT "+auditColumns+" FROM audit_events WHERE "+where, args...)
}

const auditColumns = "id, organisation_id, seq, at, actor_id, actor_name, action, record_type, record_id, before_json, after_json, prev_hash, hash"

func scanAudit(rows scanner) (*isms.AuditEvent, string, error) {
	var e isms.AuditEvent
	var at, before, after string
	if err := rows.Scan(&e.ID, &e.OrganisationID, &e.Seq, &at, &e.ActorID, &e.ActorName, &e.Action,
		&e.RecordType, &e.RecordID, &before, &after, &e.PrevHash, &e.Hash); err != nil {
		return nil, "", err
	}
	e.At = parseTS(at)
	if before != "" {
		e.Before = json.RawMessage(before)
	}
	if after != "" {
		e.After = json.RawMessage(after)
	}
	return &e, at, nil
}

// AuditEvents lists an organisation's audit trail, newest first, to anyone
// who may read the organisation.
func (db *DB) AuditEvents(ctx context.Context, orgID int64, f isms.AuditFilter) ([]*isms.AuditEvent, int, error) {
	var out []*isms.AuditEvent
	var total int
	err := db.read(ctx, "AuditEvents", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		where := "organisation_id = ?"
		args := []any{orgID}
		if f.RecordType != "" {
			where += " AND record_type = ?"
			args = append(args, f.RecordType)
		}
		if f.RecordID != 0 {
			where += " AND record_id = ?"
			args = append(args, f.RecordID)
		}
		var err error
		if total, err = tx.count("SELECT COUNT(*) FROM audit_events WHERE "+where, args...); err != nil {
			return err
		}
		limit := f.Limit
		if limit <= 0 || limit > 500 {
			limit = 100
		}
		if out, err = tx.auditEvents(where+" ORDER BY seq DESC LIMIT ? OFFSET ?", append(args, limit, f.Offset)...); err != nil {
			return err
		}
		if err := tx.markFormerActors(out); err != nil {
			return err
		}
		return tx.redactAudit(orgID, out)
	})
	return out, total, err
}

// auditVisibility lets an element whose records are not readable by every
// member (documents by classification) say whether the caller may read a
// record; the audit trail then leaves out what such events contain.
var auditVisibility = map[string]func(tx *Tx, orgID, recordID int64) (bool, error){}

func registerAuditVisibility(recordType string, f func(tx *Tx, orgID, recordID int64) (bool, error)) {
	auditVisibility[recordType] = f
}

// redactAudit blanks before and after of the events about records the
// caller may not read, asking once per record.
func (tx *Tx) redactAudit(orgID int64, events []*isms.AuditEvent) error {
	type key struct {
		typ string
		id  int64
	}
	seen := map[key]bool{}
	for _, e := range events {
		visible, ok := auditVisibility[e.RecordType]
		if !ok {
			continue
		}
		k := key{e.RecordType, e.RecordID}
		v, done := seen[k]
		if !done {
			var err error
			if v, err = visible(tx, orgID, e.RecordID); err != nil {
				return err
			}
			seen[k] = v
		}
		if !v {
			e.Before, e.After, e.Redacted = nil, nil, true
		}
	}
	return nil
}

// VerifyAudit walks every chain from its first event and recomputes each
// hash; the first event that does not follow from its predecessor (changed,
// removed or inserted) is reported for its chain.
func (db *DB) VerifyAudit(ctx context.Context) (int, []isms.ChainBreak, error) {
	checked := 0
	var breaks []isms.ChainBreak
	err := db.read(ctx, "VerifyAudit", func(tx *Tx) error {
		heads := map[int64][2]any{}
		hrows, err := tx.query("SELECT organisation_id, seq, hash FROM audit_heads ORDER BY organisation_id")
		if err != nil {
			return err
		}
		var orgs []int64
		for hrows.Next() {
			var org, seq int64
			var hash string
			if err := hrows.Scan(&org, &seq, &hash); err != nil {
				hrows.Close()
				return err
			}
			heads[org] = [2]any{seq, hash}
			orgs = append(orgs, org)
		}
		hrows.Close()
		// Every organisation has a chain from its creation on; one whose
		// head is gone (with or without its events) was tampered with too.
		orows, err := tx.query("SELECT id FROM organisations UNION SELECT organisation_id FROM audit_events")
		if err != nil {
			return err
		}
		for orows.Next() {
			var org int64
			if err := orows.Scan(&org); err != nil {
				orows.Close()
				return err
			}
			if _, ok := heads[org]; !ok {
				orgs = append(orgs, org)
			}
		}
		orows.Close()
		sort.Slice(orgs, func(i, j int) bool { return orgs[i] < orgs[j] })
		for _, org := range orgs {
			rows, err := tx.query("SELECT "+auditVerifyColumns+" FROM audit_events WHERE organisation_id = ? ORDER BY seq", org)
			if err != nil {
				return err
			}
			prev, want := "", int64(1)
			var broken *isms.ChainBreak
			// An organisation imported from another installation
			// (org_archive.go): its events are hashed with the ids
			// they had there, and the import's own event vouches for
			// the ids they show here.
			ids := newImportedIDs()
			for rows.Next() {
				e, at, shown, imported, err := scanAuditForVerify(rows)
				if err != nil {
					rows.Close()
					return err
				}
				checked++
				if broken != nil {
					continue
				}
				switch {
				case e.Seq != want:
					broken = &isms.ChainBreak{OrganisationID: org, Seq: e.Seq, EventID: e.ID, Reason: fmt.Sprintf("expected event number %d, found %d (an event is missing)", want, e.Seq)}
				case e.PrevHash != prev:
					broken = &isms.ChainBreak{OrganisationID: org, Seq: e.Seq, EventID: e.ID, Reason: "its link to the previous event does not match"}
				case eventHash(e, at) != e.Hash:
					broken = &isms.ChainBreak{OrganisationID: org, Seq: e.Seq, EventID: e.ID, Reason: "its content does not match its hash (changed after it was written)"}
				}
				if broken == nil && !imported {
					if reason := ids.check(e); reason != "" {
						broken = &isms.ChainBreak{OrganisationID: org, Seq: e.Seq, EventID: e.ID, Reason: reason}
					}
				}
				if imported {
					ids.add(e.Seq, shown)
				}
				prev, want = e.Hash, want+1
			}
			rows.Close()
			if broken == nil {
				h, ok := heads[org]
				if !ok {
					broken = &isms.ChainBreak{OrganisationID: org, Seq: want, Reason: "the chain's head record is missing (removed after it was written)"}
				} else if h[0].(int64) != want-1 || h[1].(string) != prev {
					broken = &isms.ChainBreak{OrganisationID: org, Seq: want, Reason: fmt.Sprintf("the chain ends at event %d but its head says %d (events were removed at the end)", want-1, h[0].(int64))}
				}
			}
			if broken != nil {
				breaks = append(breaks, *broken)
			}
		}
		return nil
	})
	return checked, breaks, err
}
