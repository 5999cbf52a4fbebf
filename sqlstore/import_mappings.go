package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/ismsdk/isms"
)

// Saved mappings of imported spreadsheets (isms.ImportMappingService):
// one per organisation, register kind and file shape. They are read and
// changed by those who may import, which is to edit the organisation's
// records; the audit trail records each save and deletion.

const typeImportMapping = "import_mapping"

const importMappingColumns = `m.id, m.kind, m.shape, m.headings, m.columns_json, m.values_json, COALESCE(u.name, ''), m.updated_at, m.version`

func scanImportMapping(row scanner) (*isms.ImportMapping, error) {
	var m isms.ImportMapping
	var headings, columns, values string
	if err := row.Scan(&m.ID, &m.Kind, &m.Shape, &headings, &columns, &values, &m.UpdatedBy, scanTime{&m.UpdatedAt}, &m.Version); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("import_mapping")
		}
		return nil, err
	}
	for _, x := range []struct {
		s   string
		dst any
	}{{headings, &m.Headings}, {columns, &m.Columns}, {values, &m.Values}} {
		if err := json.Unmarshal([]byte(x.s), x.dst); err != nil {
			return nil, err
		}
	}
	if m.Columns == nil {
		m.Columns = map[string]string{}
	}
	if m.Values == nil {
		m.Values = map[string]map[string]string{}
	}
	if m.Headings == nil {
		m.Headings = []string{}
	}
	return &m, nil
}

const importMappingFrom = ` FROM import_mappings m LEFT JOIN users u ON u.id = m.updated_by`

func (tx *Tx) importMapping(orgID, id int64) (*isms.ImportMapping, error) {
	return scanImportMapping(tx.queryRow("SELECT "+importMappingColumns+importMappingFrom+" WHERE m.organisation_id = ? AND m.id = ?", orgID, id))
}

func (tx *Tx) importMappingForShape(orgID int64, kind, shape string) (*isms.ImportMapping, error) {
	return scanImportMapping(tx.queryRow("SELECT "+importMappingColumns+importMappingFrom+" WHERE m.organisation_id = ? AND m.kind = ? AND m.shape = ?",
		orgID, kind, shape))
}

// ImportMappings lists the organisation's saved mappings, the latest first.
func (db *DB) ImportMappings(ctx context.Context, orgID int64) ([]*isms.ImportMapping, error) {
	var out []*isms.ImportMapping
	err := db.read(ctx, "ImportMappings", func(tx *Tx) (err error) {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		out, err = queryAll(tx, scanImportMapping, "SELECT "+importMappingColumns+importMappingFrom+
			" WHERE m.organisation_id = ? ORDER BY m.updated_at DESC, m.id DESC", orgID)
		return err
	})
	return out, err
}

// ImportMapping reads one saved mapping.
func (db *DB) ImportMapping(ctx context.Context, orgID, id int64) (*isms.ImportMapping, error) {
	var out *isms.ImportMapping
	err := db.read(ctx, "ImportMapping", func(tx *Tx) (err error) {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		out, err = tx.importMapping(orgID, id)
		return err
	})
	return out, err
}

// ImportMappingForShape reads the mapping saved for a file shape.
func (db *DB) ImportMappingForShape(ctx context.Context, orgID int64, kind, shape string) (*isms.ImportMapping, error) {
	var out *isms.ImportMapping
	err := db.read(ctx, "ImportMappingForShape", func(tx *Tx) (err error) {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		out, err = tx.importMappingForShape(orgID, kind, shape)
		return err
	})
	return out, err
}

// SaveImportMapping saves the mapping of a file shape, replacing the one
// saved for that shape before. The organisation's write lock (taken by
// the access check) keeps two saves of one shape from both inserting.
func (db *DB) SaveImportMapping(ctx context.Context, orgID int64, in isms.ImportMappingInput) (*isms.ImportMapping, error) {
	var out *isms.ImportMapping
	err := db.write(ctx, "SaveImportMapping", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		fields := isms.ImportFields(in.Kind)
		if fields == nil {
			return isms.Errorf(isms.EInvalid, "imp.err.unknown_kind", in.Kind)
		}
		if err := in.Check(fields); err != nil {
			return err
		}
		if in.Columns == nil {
			in.Columns = map[string]string{}
		}
		if in.Values == nil {
			in.Values = map[string]map[string]string{}
		}
		shape := isms.SheetShape(in.Kind, in.Headings)
		headings, _ := json.Marshal(in.Headings)
		columns, _ := json.Marshal(in.Columns)
		values, _ := json.Marshal(in.Values)
		now := ts(tx.now)
		before, err := tx.importMappingForShape(orgID, in.Kind, shape)
		switch {
		case isms.ErrorCode(err) == isms.ENotFound:
			id, err := tx.insert(`INSERT INTO import_mappings (organisation_id, kind, shape, headings, columns_json, values_json, updated_by,
				version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
				orgID, in.Kind, shape, string(headings), string(columns), string(values), tx.actor.UserID, now, now)
			if err != nil {
				return err
			}
			out, err = audited(tx, tx.importMapping, orgID, "create", typeImportMapping, id, nil)
			return err
		case err != nil:
			return err
		}
		if _, err := tx.exec(`UPDATE import_mappings SET headings = ?, columns_json = ?, values_json = ?, updated_by = ?,
			version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			string(headings), string(columns), string(values), tx.actor.UserID, now, orgID, before.ID); err != nil {
			return err
		}
		out, err = audited(tx, tx.importMapping, orgID, "update", typeImportMapping, before.ID, before)
		return err
	})
	return out, err
}

// DeleteImportMapping forgets a saved mapping: the next file of its shape
// is read by the proposal again.
func (db *DB) DeleteImportMapping(ctx context.Context, orgID, id int64) error {
	return db.write(ctx, "DeleteImportMapping", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.importMapping(orgID, id)
		if err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "import_mappings", typeImportMapping, id, before)
	})
}
