package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
)

// Versions of the SoA: a coordinator freezes the current state as a
// snapshot with a checksum, management approves it. A snapshot is written
// once and never updated; the checksum lets anyone see that it is the one
// that was frozen.

func soaChecksum(snapshot string) string {
	sum := sha256.Sum256([]byte(snapshot))
	return hex.EncodeToString(sum[:])
}

func soaParseDigests(raw string) (map[int64]string, error) {
	m := map[string]string{}
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return nil, fmt.Errorf("soa version digests: %w", err)
	}
	out := make(map[int64]string, len(m))
	for k, v := range m {
		id, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("soa version digests: %w", err)
		}
		out[id] = v
	}
	return out, nil
}

// SoASnapshotNow is the current state in full, as a version would freeze
// it (for the export and the printable page).
func (db *DB) SoASnapshotNow(ctx context.Context, orgID int64) (*isms.SoASnapshot, error) {
	var out *isms.SoASnapshot
	err := db.read(ctx, "SoASnapshotNow", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		env, err := tx.soaEnv()
		if err != nil {
			return err
		}
		lines, err := tx.soaLines(orgID, env, 0, true)
		out = &isms.SoASnapshot{Controls: lines}
		return err
	})
	return out, err
}

// SoAVersions lists the frozen versions, newest first.
func (db *DB) SoAVersions(ctx context.Context, orgID int64) ([]*isms.SoAVersion, error) {
	return view(db, ctx, "SoAVersions", orgID, func(tx *Tx) ([]*isms.SoAVersion, error) {
		out, err := queryAll(tx, scanSoAVersion, "SELECT "+soaVersionColumns+soaVersionFrom+" WHERE v.organisation_id = ? ORDER BY v.number DESC", orgID)
		return nonNilSlice(out), err
	})
}

// soaVersion reads a version, with its snapshot when withSnapshot.
func (tx *Tx) soaVersion(orgID, id int64, withSnapshot bool) (*isms.SoAVersion, error) {
	if !withSnapshot {
		return scanSoAVersion(tx.queryRow("SELECT "+soaVersionColumns+soaVersionFrom+" WHERE v.organisation_id = ? AND v.id = ?", orgID, id))
	}
	var raw string
	v, err := scanSoAVersion(soaScanExtra{tx.queryRow("SELECT "+soaVersionColumns+", v.snapshot"+soaVersionFrom+
		" WHERE v.organisation_id = ? AND v.id = ?", orgID, id), &raw})
	if err != nil {
		return nil, err
	}
	v.Intact = soaChecksum(raw) == v.Checksum
	var snap isms.SoASnapshot
	if err := json.Unmarshal([]byte(raw), &snap); err != nil {
		// A snapshot that no longer parses has been damaged; show the
		// version as not intact rather than fail the page.
		v.Intact = false
		snap.Controls = []*isms.SoAControl{}
	}
	v.Snapshot = &snap
	return v, nil
}

// SoAVersion reads a frozen version with its snapshot.
func (db *DB) SoAVersion(ctx context.Context, orgID, id int64) (*isms.SoAVersion, error) {
	return view(db, ctx, "SoAVersion", orgID, func(tx *Tx) (*isms.SoAVersion, error) { return tx.soaVersion(orgID, id, true) })
}

// soaVersionAudit is how a version appears in the audit trail: the
// snapshot itself is identified by its checksum.
func soaVersionAudit(v *isms.SoAVersion) map[string]any {
	m := map[string]any{"number": v.Number, "note": v.Note, "checksum": v.Checksum, "controls": v.ControlCount,
		"applicable": v.ApplicableCount, "excluded": v.ExcludedCount}
	if v.ApprovedAt != nil {
		m["approved_by"] = v.ApprovedByName
		m["approved_at"] = ts(*v.ApprovedAt)
		m["approval_note"] = v.ApprovalNote
	}
	return m
}

// FreezeSoA freezes the current state as the next version. It refuses a
// state other than the one the coordinator reviewed (the token), a state
// with undecided controls, and a state equal to the latest version.
func (db *DB) FreezeSoA(ctx context.Context, orgID int64, in isms.SoAFreezeInput) (*isms.SoAVersion, error) {
	var out *isms.SoAVersion
	err := db.write(ctx, "FreezeSoA", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		in.Note = strings.TrimSpace(in.Note)
		var v isms.Validation
		checkText(&v, "freeze_note", in.Note, 2000)
		if err := v.Err(); err != nil {
			return err
		}
		env, err := tx.soaEnv()
		if err != nil {
			return err
		}
		lines, err := tx.soaLines(orgID, env, 0, true)
		if err != nil {
			return err
		}
		token := soaStateToken(lines)
		if in.StateToken != token {
			return isms.Errorf(isms.EConflict, "soa.err.state_changed")
		}
		undecided, applicable, excluded := 0, 0, 0
		digests := map[string]string{}
		for _, c := range lines {
			switch c.Applicability {
			case isms.Applicable:
				applicable++
			case isms.Excluded:
				excluded++
			default:
				undecided++
			}
			digests[strconv.FormatInt(c.ControlID, 10)] = c.Digest
		}
		if undecided > 0 {
			return isms.Errorf(isms.EInvalid, "soa.err.freeze_undecided", undecided)
		}
		latest, _, _, err := tx.soaLatestVersions(orgID)
		if err != nil {
			return err
		}
		if latest != nil && latest.StateToken == token {
			return isms.Errorf(isms.EInvalid, "soa.err.freeze_unchanged", latest.Number)
		}
		number := int64(1)
		if latest != nil {
			number = latest.Number + 1
		}
		snap, err := json.Marshal(isms.SoASnapshot{Controls: lines})
		if err != nil {
			return err
		}
		dig, err := json.Marshal(digests)
		if err != nil {
			return err
		}
		id, err := tx.insert(`INSERT INTO soa_versions (organisation_id, number, note, snapshot, checksum, state_token, digests,
			control_count, applicable_count, excluded_count, frozen_by, frozen_at, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
			orgID, number, in.Note, string(snap), soaChecksum(string(snap)), token, string(dig),
			len(lines), applicable, excluded, tx.actor.UserID, ts(tx.now))
		if err != nil {
			return err
		}
		if out, err = tx.soaVersion(orgID, id, false); err != nil {
			return err
		}
		return tx.audit(orgID, actionSoAFreeze, typeSoAVersion, id, nil, soaVersionAudit(out))
	})
	return out, err
}

// ApproveSoAVersion records management's approval of a frozen version: the
// latest one, not approved before, with its snapshot intact.
func (db *DB) ApproveSoAVersion(ctx context.Context, orgID, id int64, in isms.SoAApprovalInput) (*isms.SoAVersion, error) {
	var out *isms.SoAVersion
	err := db.write(ctx, "ApproveSoAVersion", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermApprove); err != nil {
			return err
		}
		in.Note = strings.TrimSpace(in.Note)
		var v isms.Validation
		checkText(&v, "approval_note", in.Note, 2000)
		if err := v.Err(); err != nil {
			return err
		}
		before, err := tx.soaVersion(orgID, id, true)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		if before.Approved() {
			return isms.Errorf(isms.EConflict, "soa.err.already_approved", before.Number)
		}
		latest, _, _, err := tx.soaLatestVersions(orgID)
		if err != nil {
			return err
		}
		if latest != nil && latest.Number > before.Number {
			return isms.Errorf(isms.EConflict, "soa.err.superseded", before.Number, latest.Number)
		}
		if !before.Intact {
			return isms.Errorf(isms.EInvalid, "soa.err.snapshot_damaged", before.Number)
		}
		if _, err := tx.exec(`UPDATE soa_versions SET approved_by = ?, approved_at = ?, approval_note = ?, version = version + 1
			WHERE organisation_id = ? AND id = ? AND approved_at IS NULL`, tx.actor.UserID, ts(tx.now), in.Note, orgID, id); err != nil {
			return err
		}
		if out, err = tx.soaVersion(orgID, id, false); err != nil {
			return err
		}
		return tx.audit(orgID, "approve", typeSoAVersion, id, soaVersionAudit(before), soaVersionAudit(out))
	})
	return out, err
}

// SoADiff compares two versions, or a version with the current state
// (to = 0), control by control.
func (db *DB) SoADiff(ctx context.Context, orgID, from, to int64) (*isms.SoADiff, error) {
	var out *isms.SoADiff
	err := db.read(ctx, "SoADiff", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		a, err := tx.soaVersion(orgID, from, true)
		if err != nil {
			return err
		}
		out = &isms.SoADiff{From: a}
		var after []*isms.SoAControl
		if to == 0 {
			env, err := tx.soaEnv()
			if err != nil {
				return err
			}
			if after, err = tx.soaLines(orgID, env, 0, true); err != nil {
				return err
			}
		} else {
			b, err := tx.soaVersion(orgID, to, true)
			if err != nil {
				return err
			}
			out.To = b
			after = b.Snapshot.Controls
		}
		out.Changes = soaCompare(a.Snapshot.Controls, after)
		// The comparison shows the lines; the snapshots themselves are
		// served by their own reads.
		a.Snapshot = nil
		if out.To != nil {
			out.To.Snapshot = nil
		}
		return nil
	})
	return out, err
}

// soaCompare lists the lines that differ between two states, in the order
// of the later state (removed lines last).
func soaCompare(before, after []*isms.SoAControl) []isms.SoAControlChange {
	old := map[int64]*isms.SoAControl{}
	for _, c := range before {
		old[c.ControlID] = c
	}
	out := []isms.SoAControlChange{}
	seen := map[int64]bool{}
	for _, c := range after {
		seen[c.ControlID] = true
		b := old[c.ControlID]
		ch := isms.SoAControlChange{ControlID: c.ControlID, Ref: c.Ref, TitleDA: c.TitleDA, TitleEN: c.TitleEN, Kind: "changed"}
		if b == nil {
			ch.Kind = "added"
			b = &isms.SoAControl{}
		}
		field := func(name, x, y string) {
			if x != y {
				ch.Fields = append(ch.Fields, isms.SoAFieldChange{Field: name, Before: x, After: y})
			}
		}
		field("control_ref", b.Ref, c.Ref)
		field("control_title", b.TitleDA, c.TitleDA)
		field("applicability", string(b.Applicability), string(c.Applicability))
		field("implementation_status", string(b.Status), string(c.Status))
		field("business_reason", b.BusinessReason, c.BusinessReason)
		field("exclusion_reason", b.ExclusionReason, c.ExclusionReason)
		field("owner", b.OwnerName, c.OwnerName)
		field("implementation_evidence", b.Evidence, c.Evidence)
		ch.RisksAdded, ch.RisksRemoved = soaRefDiff(b.Risks, c.Risks)
		ch.RequirementsAdded, ch.RequirementsRemoved = soaRefDiff(b.Requirements, c.Requirements)
		ch.DocumentsAdded, ch.DocumentsRemoved = soaRefDiff(b.Documents, c.Documents)
		if ch.Kind == "added" || len(ch.Fields) > 0 || len(ch.RisksAdded)+len(ch.RisksRemoved)+len(ch.RequirementsAdded)+
			len(ch.RequirementsRemoved)+len(ch.DocumentsAdded)+len(ch.DocumentsRemoved) > 0 {
			out = append(out, ch)
		}
	}
	for _, b := range before {
		if !seen[b.ControlID] {
			out = append(out, isms.SoAControlChange{ControlID: b.ControlID, Ref: b.Ref, TitleDA: b.TitleDA, TitleEN: b.TitleEN, Kind: "removed",
				RisksAdded: []isms.SoARef{}, RisksRemoved: nonNilSlice(b.Risks), RequirementsAdded: []isms.SoARef{}, RequirementsRemoved: nonNilSlice(b.Requirements),
				DocumentsAdded: []isms.SoARef{}, DocumentsRemoved: nonNilSlice(b.Documents)})
		}
	}
	return out
}

func soaRefDiff(before, after []isms.SoARef) (added, removed []isms.SoARef) {
	had, has := map[int64]bool{}, map[int64]bool{}
	for _, r := range before {
		had[r.ID] = true
	}
	for _, r := range after {
		has[r.ID] = true
		if !had[r.ID] {
			added = append(added, r)
		}
	}
	for _, r := range before {
		if !has[r.ID] {
			removed = append(removed, r)
		}
	}
	return nonNilSlice(added), nonNilSlice(removed)
}
