package sqlstore

import "github.com/ismsdk/isms"

// The audit trail shows to every member that a document changed, but what
// changed (its title, metadata, version records) only to those who may
// read the document by its classification.
func init() {
	registerAuditVisibility(typeDocument, func(tx *Tx, orgID, id int64) (bool, error) {
		rd, err := tx.docReader(orgID)
		if err != nil {
			return false, err
		}
		if isms.ClassSecret.ReadableBy(rd.access) {
			return true, nil
		}
		d, err := tx.document(orgID, id)
		if isms.ErrorCode(err) == isms.ENotFound {
			return false, nil // gone: only the highest level reads its past
		}
		if err != nil {
			return false, err
		}
		return rd.canRead(d), nil
	})
}
