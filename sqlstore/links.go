package sqlstore

// Links between records are stored once, from the record being edited to
// the records it names, and read in both directions: if A names B, B shows
// A as related too.

// setLinks replaces the links of one record to records of one type.
func (tx *Tx) setLinks(orgID int64, fromType string, fromID int64, toType string, toIDs []int64, symmetric bool) error {
	if _, err := tx.exec("DELETE FROM record_links WHERE organisation_id = ? AND from_type = ? AND from_id = ? AND to_type = ?",
		orgID, fromType, fromID, toType); err != nil {
		return err
	}
	if symmetric {
		if _, err := tx.exec("DELETE FROM record_links WHERE organisation_id = ? AND to_type = ? AND to_id = ? AND from_type = ?",
			orgID, fromType, fromID, toType); err != nil {
			return err
		}
	}
	seen := map[int64]bool{}
	for _, id := range toIDs {
		if seen[id] || (symmetric && fromType == toType && id == fromID) {
			continue
		}
		seen[id] = true
		if _, err := tx.exec("INSERT INTO record_links (organisation_id, from_type, from_id, to_type, to_id) VALUES (?, ?, ?, ?, ?)",
			orgID, fromType, fromID, toType, id); err != nil {
			return err
		}
	}
	return nil
}

// links returns the ids of the records of toType linked to a record,
// following links in both directions when symmetric.
func (tx *Tx) links(orgID int64, fromType string, fromID int64, toType string, symmetric bool) ([]int64, error) {
	q := "SELECT to_id FROM record_links WHERE organisation_id = ? AND from_type = ? AND from_id = ? AND to_type = ?"
	args := []any{orgID, fromType, fromID, toType}
	if symmetric {
		q += " UNION SELECT from_id FROM record_links WHERE organisation_id = ? AND to_type = ? AND to_id = ? AND from_type = ?"
		args = append(args, orgID, fromType, fromID, toType)
	}
	return queryAll(tx, scanInt64, q+" ORDER BY 1", args...)
}

// deleteLinks removes every link to and from a record.
func (tx *Tx) deleteLinks(orgID int64, typ string, id int64) error {
	_, err := tx.exec("DELETE FROM record_links WHERE organisation_id = ? AND ((from_type = ? AND from_id = ?) OR (to_type = ? AND to_id = ?))",
		orgID, typ, id, typ, id)
	return err
}
