package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ismsdk/isms"
)

// Record types as they appear in the audit trail and in links.
const (
	typeEntry = "overview_entry"
	typeScope = "scope"
)

const entryColumns = `e.id, e.organisation_id, e.kind, e.category, e.name, e.description, e.owner_id, COALESCE(u.name, ''),
	e.status, e.next_review, e.req_confidentiality, e.req_integrity, e.req_availability, e.req_text, e.version, e.created_at, e.updated_at`

const entryFrom = " FROM overview_entries e LEFT JOIN users u ON u.id = e.owner_id"

func scanEntry(row scanner) (*isms.OverviewEntry, error) {
	var e isms.OverviewEntry
	var owner sql.NullInt64
	var kind, status string
	var c, i, a int
	if err := row.Scan(&e.ID, &e.OrganisationID, &kind, &e.Category, &e.Name, &e.Description, &owner, &e.OwnerName,
		&status, scanDatePtr{&e.NextReview}, &c, &i, &a, &e.Requirements.Text, &e.Version, scanTime{&e.CreatedAt}, scanTime{&e.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("entry")
		}
		return nil, err
	}
	e.Kind, e.Status, e.OwnerID = isms.EntryKind(kind), isms.EntryStatus(status), int64Ptr(owner)
	e.Requirements.Confidentiality, e.Requirements.Integrity, e.Requirements.Availability = isms.Level(c), isms.Level(i), isms.Level(a)
	return &e, nil
}

func (tx *Tx) entry(orgID, id int64) (*isms.OverviewEntry, error) {
	e, err := scanEntry(tx.queryRow("SELECT "+entryColumns+entryFrom+" WHERE e.organisation_id = ? AND e.id = ?", orgID, id))
	if err != nil {
		return nil, err
	}
	if e.Links, err = tx.links(orgID, typeEntry, id, typeEntry, true); err != nil {
		return nil, err
	}
	return e, nil
}

// validateEntry checks an entry's input, including that its owner is a
// member and its links name entries of the same organisation.
func (tx *Tx) validateEntry(orgID int64, in *isms.OverviewEntryInput) error {
	in.Name = strings.TrimSpace(in.Name)
	var v isms.Validation
	if !in.Kind.Valid() {
		v.Add("kind", "err.choice")
	}
	requireText(&v, "name", in.Name, 300)
	checkText(&v, "description", in.Description, 10000)
	checkText(&v, "requirements.text", in.Requirements.Text, 10000)
	if in.Status == "" {
		in.Status = isms.StatusActive
	}
	if !slices.Contains(isms.EntryStatuses, in.Status) {
		v.Add("status", "err.choice")
	}
	if in.Kind == isms.KindExternalFactor {
		if in.Category == "" {
			v.Add("category", "err.required")
		} else if !slices.Contains(isms.FactorCategories, in.Category) {
			v.Add("category", "err.choice")
		}
	} else {
		in.Category = ""
	}
	for field, l := range map[string]isms.Level{"requirements.confidentiality": in.Requirements.Confidentiality,
		"requirements.integrity": in.Requirements.Integrity, "requirements.availability": in.Requirements.Availability} {
		if l < 0 || l > isms.MaxLevel {
			v.Add(field, "err.level", int(isms.MaxLevel))
		}
	}
	tx.checkMember(&v, "owner_id", orgID, in.OwnerID)
	if len(in.Links) > 200 {
		v.Add("links", "err.too_many_links", 200)
	} else if len(in.Links) > 0 {
		n, err := tx.count("SELECT COUNT(*) FROM overview_entries WHERE organisation_id = ? AND id IN ("+placeholders(len(in.Links))+")",
			append([]any{orgID}, int64sToAny(in.Links)...)...)
		if err != nil {
			return err
		}
		if n != len(uniq(in.Links)) {
			v.Add("links", "err.unknown_reference")
		}
	}
	return v.Err()
}

// CreateOverviewEntry adds an entry to one of the registers. Contributors
// may add entries they own.
func (db *DB) CreateOverviewEntry(ctx context.Context, orgID int64, in isms.OverviewEntryInput) (*isms.OverviewEntry, error) {
	var e *isms.OverviewEntry
	err := db.write(ctx, "CreateOverviewEntry", func(tx *Tx) error {
		if _, err := tx.requireEdit(orgID, in.OwnerID); err != nil {
			return err
		}
		if err := tx.validateEntry(orgID, &in); err != nil {
			return err
		}
		now := ts(tx.now)
		r := in.Requirements
		id, err := tx.insert(`INSERT INTO overview_entries (organisation_id, kind, category, name, description, owner_id, status, next_review,
			req_confidentiality, req_integrity, req_availability, req_text, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			orgID, in.Kind, in.Category, in.Name, in.Description, nullInt(in.OwnerID), in.Status, dateArg(in.NextReview),
			int(r.Confidentiality), int(r.Integrity), int(r.Availability), r.Text, now, now)
		if err != nil {
			return err
		}
		if err := tx.setLinks(orgID, typeEntry, id, typeEntry, in.Links, true); err != nil {
			return err
		}
		// A business-critical entry is an asset from the moment it exists.
		if err := tx.riskAdoptEntries(orgID); err != nil {
			return err
		}
		e, err = audited(tx, tx.entry, orgID, "create", typeEntry, id, nil)
		return err
	})
	return e, err
}

// UpdateOverviewEntry changes an entry, refusing a stale version.
func (db *DB) UpdateOverviewEntry(ctx context.Context, orgID, id int64, in isms.OverviewEntryInput) (*isms.OverviewEntry, error) {
	var e *isms.OverviewEntry
	err := db.write(ctx, "UpdateOverviewEntry", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.entry(orgID, id)
		if err != nil {
			return err
		}
		// A contributor must own the entry before and after the change.
		if err := tx.mayEdit(orgID, before.Version, in.Version, before.OwnerID, in.OwnerID); err != nil {
			return err
		}
		in.Kind = before.Kind // an entry stays in its register
		if err := tx.validateEntry(orgID, &in); err != nil {
			return err
		}
		r := in.Requirements
		if _, err := tx.exec(`UPDATE overview_entries SET category = ?, name = ?, description = ?, owner_id = ?, status = ?, next_review = ?,
			req_confidentiality = ?, req_integrity = ?, req_availability = ?, req_text = ?, version = version + 1, updated_at = ?
			WHERE organisation_id = ? AND id = ?`,
			in.Category, in.Name, in.Description, nullInt(in.OwnerID), in.Status, dateArg(in.NextReview),
			int(r.Confidentiality), int(r.Integrity), int(r.Availability), r.Text, ts(tx.now), orgID, id); err != nil {
			return err
		}
		if err := tx.setLinks(orgID, typeEntry, id, typeEntry, in.Links, true); err != nil {
			return err
		}
		// The asset register sorts by its copy of the entry's name.
		if err := tx.riskAdoptEntries(orgID); err != nil {
			return err
		}
		e, err = audited(tx, tx.entry, orgID, "update", typeEntry, id, before)
		return err
	})
	return e, err
}

// DeleteOverviewEntry removes an entry and its links.
func (db *DB) DeleteOverviewEntry(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteOverviewEntry", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.entry(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, version, before.OwnerID); err != nil {
			return err
		}
		if err := tx.deleteLinks(orgID, typeEntry, id); err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "overview_entries", typeEntry, id, before)
	})
}

// OverviewEntry reads one entry.
func (db *DB) OverviewEntry(ctx context.Context, orgID, id int64) (*isms.OverviewEntry, error) {
	return view(db, ctx, "OverviewEntry", orgID, func(tx *Tx) (*isms.OverviewEntry, error) { return tx.entry(orgID, id) })
}

var entrySorts = map[string]string{
	"name": "e.name", "kind": "e.kind", "status": "e.status", "owner": "u.name", "next_review": "e.next_review",
}

// OverviewEntries lists a register, filtered, sorted and paginated in the
// database. It returns the page and the total number of matches.
func (db *DB) OverviewEntries(ctx context.Context, orgID int64, f isms.EntryFilter) ([]*isms.OverviewEntry, int, error) {
	var out []*isms.OverviewEntry
	var total int
	err := db.read(ctx, "OverviewEntries", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		q := entryListSQL(tx.db.Dialect, orgID, f, tx.Today())
		// The count of a filter is kept until the records change
		// (derived.go): the register's page counts every kind of entry.
		key := f
		key.Sort, key.Offset, key.Limit = "", 0, 0
		var err error
		if total, err = keep(tx, orgID, fmt.Sprintf("entry_count:%+v", key), func() (int, error) { return tx.count(q.count, q.countArgs...) }); err != nil {
			return err
		}
		rows, err := tx.query(q.page, q.pageArgs...)
		if err != nil {
			return err
		}
		out, err = collect(rows, scanEntry)
		return err
	})
	return out, total, err
}

// entrySearchText is what a search of the business overview reads: an
// entry's name and description as one text, which one trigram index of
// PostgreSQL serves (migration 0150). The line break between them keeps a
// search's words from matching across the two, as a search is one line.
const entrySearchText = "LOWER(e.name || '\n' || e.description)"

// entryListSQL is the reads of a register of the business overview for a
// filter. A text search starts from the text index's matches and sorts
// only those (see textSearch); otherwise an index on (organisation, name)
// or (organisation, kind, name) serves the default order.
func entryListSQL(d Dialect, orgID int64, f isms.EntryFilter, today isms.Date) listSQL {
	var search string
	var searchArgs []any
	org := "e.organisation_id"
	if q := strings.TrimSpace(f.Query); q != "" {
		var byIndex bool
		if search, searchArgs, byIndex = textSearch(d, q, "e.id", "overview_entries_text", entrySearchText); byIndex {
			org = "+" + org // see textSearch
		}
	}
	where := " WHERE " + org + " = ?"
	args := []any{orgID}
	if f.Kind != "" {
		where += " AND e.kind = ?"
		args = append(args, f.Kind)
	}
	if f.Status != "" {
		where += " AND e.status = ?"
		args = append(args, f.Status)
	}
	if f.OwnerID != 0 {
		where += " AND e.owner_id = ?"
		args = append(args, f.OwnerID)
	}
	if search != "" {
		where += " AND " + search
		args = append(args, searchArgs...)
	}
	if f.Overdue {
		where += " AND e.status <> 'retired' AND e.next_review < ?"
		args = append(args, today.String())
	}
	order := orderBy(f.Sort, entrySorts, "e.name")
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	return listSQL{
		count: "SELECT COUNT(*) FROM overview_entries e" + where, countArgs: args,
		page:     "SELECT " + entryColumns + entryFrom + where + " ORDER BY " + order + ", e.id LIMIT ? OFFSET ?",
		pageArgs: append(slices.Clip(args), limit, f.Offset),
	}
}

// orderBy turns a sort parameter ("name" or "-name") into an ORDER BY term
// from a fixed list, so user input never reaches the SQL.
func orderBy(sort string, allowed map[string]string, fallback string) string {
	desc := strings.HasPrefix(sort, "-")
	col, ok := allowed[strings.TrimPrefix(sort, "-")]
	if !ok {
		return fallback
	}
	if desc {
		return col + " DESC"
	}
	return col
}

func int64sToAny(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

func uniq(ids []int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

const scopeColumns = `s.organisation_id, s.description, s.information_types, s.organisation_units, s.exclusions, s.boundary_criteria,
	s.owner_id, COALESCE(o.name, ''), s.next_review, s.approved_by, COALESCE(a.name, ''), s.approved_at, s.approved_version, s.version, s.updated_at`

// scope reads the scope; an organisation without one gets an empty scope
// at version 0.
func (tx *Tx) scope(orgID int64) (*isms.Scope, error) {
	var s isms.Scope
	var owner, approver sql.NullInt64
	err := tx.queryRow("SELECT "+scopeColumns+` FROM scopes s LEFT JOIN users o ON o.id = s.owner_id
		LEFT JOIN users a ON a.id = s.approved_by WHERE s.organisation_id = ?`, orgID).Scan(
		&s.OrganisationID, &s.Description, &s.InformationTypes, &s.OrganisationUnits, &s.Exclusions, &s.BoundaryCriteria,
		&owner, &s.OwnerName, scanDatePtr{&s.NextReview}, &approver, &s.ApprovedByName, scanTimePtr{&s.ApprovedAt}, &s.ApprovedVersion, &s.Version, scanTime{&s.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return &isms.Scope{OrganisationID: orgID}, nil
	}
	if err != nil {
		return nil, err
	}
	s.OwnerID, s.ApprovedBy = int64Ptr(owner), int64Ptr(approver)
	if s.ProcessIDs, err = tx.links(orgID, typeScope, orgID, typeEntry, false); err != nil {
		return nil, err
	}
	return &s, nil
}

// Scope reads the ISMS scope.
func (db *DB) Scope(ctx context.Context, orgID int64) (*isms.Scope, error) {
	return view(db, ctx, "Scope", orgID, func(tx *Tx) (*isms.Scope, error) { return tx.scope(orgID) })
}

// SaveScope records the scope. A change after approval means the new
// version awaits approval again.
func (db *DB) SaveScope(ctx context.Context, orgID int64, in isms.ScopeInput) (*isms.Scope, error) {
	var s *isms.Scope
	err := db.write(ctx, "SaveScope", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.scope(orgID)
		if err != nil {
			return err
		}
		if err := checkUpsertVersion(before.Version, in.Version); err != nil {
			return err
		}
		var v isms.Validation
		requireText(&v, "description", in.Description, 10000)
		for f, s := range map[string]string{"information_types": in.InformationTypes, "organisation_units": in.OrganisationUnits,
			"exclusions": in.Exclusions, "boundary_criteria": in.BoundaryCriteria} {
			checkText(&v, f, s, 10000)
		}
		tx.checkMember(&v, "owner_id", orgID, in.OwnerID)
		if len(in.ProcessIDs) > 0 {
			n, err := tx.count("SELECT COUNT(*) FROM overview_entries WHERE organisation_id = ? AND kind = 'process' AND id IN ("+placeholders(len(in.ProcessIDs))+")",
				append([]any{orgID}, int64sToAny(in.ProcessIDs)...)...)
			if err != nil {
				return err
			}
			if n != len(uniq(in.ProcessIDs)) {
				v.Add("process_ids", "err.unknown_reference")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		args := []any{in.Description, in.InformationTypes, in.OrganisationUnits, in.Exclusions, in.BoundaryCriteria,
			nullInt(in.OwnerID), dateArg(in.NextReview), ts(tx.now), orgID}
		if before.Version == 0 {
			_, err = tx.exec(`INSERT INTO scopes (description, information_types, organisation_units, exclusions, boundary_criteria,
				owner_id, next_review, updated_at, organisation_id, version, approved_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0)`, args...)
		} else {
			_, err = tx.exec(`UPDATE scopes SET description = ?, information_types = ?, organisation_units = ?, exclusions = ?,
				boundary_criteria = ?, owner_id = ?, next_review = ?, updated_at = ?, version = version + 1 WHERE organisation_id = ?`, args...)
		}
		if err != nil {
			return err
		}
		if err := tx.setLinks(orgID, typeScope, orgID, typeEntry, in.ProcessIDs, false); err != nil {
			return err
		}
		if s, err = tx.scope(orgID); err != nil {
			return err
		}
		var b any
		if before.Version > 0 {
			b = before
		}
		return tx.audit(orgID, "update", typeScope, orgID, b, s)
	})
	return s, err
}

// ApproveScope records management's approval of the current version.
func (db *DB) ApproveScope(ctx context.Context, orgID, version int64) (*isms.Scope, error) {
	var s *isms.Scope
	err := db.write(ctx, "ApproveScope", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermApprove); err != nil {
			return err
		}
		before, err := tx.scope(orgID)
		if err != nil {
			return err
		}
		if !before.Recorded() {
			return isms.Errorf(isms.EInvalid, "err.scope_missing")
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE scopes SET approved_by = ?, approved_at = ?, approved_version = version WHERE organisation_id = ?",
			tx.actor.UserID, ts(tx.now), orgID); err != nil {
			return err
		}
		if s, err = tx.scope(orgID); err != nil {
			return err
		}
		return tx.audit(orgID, "approve", typeScope, orgID, before, s)
	})
	return s, err
}
