package sqlstore

import "context"

// FindImportPerson is the person resolver as an import runs it: the member
// a cell names and how it shows them, or the reason it names no one.
func (db *DB) FindImportPerson(ctx context.Context, orgID int64, cell string) (id int64, display, why string, err error) {
	err = db.read(ctx, "FindImportPerson", func(tx *Tx) error {
		p, err := tx.importPeople(orgID)
		if err != nil {
			return err
		}
		id, display, why = p.resolve(cell)
		return nil
	})
	return id, display, why, err
}
