package sqlstore

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"

	"github.com/ismsdk/isms"
)

// How VerifyAudit reads the events of an imported organisation
// (org_archive.go): with the ids they were hashed with, and with the check
// of the import's own event over the ids they show here.

// scanAuditForVerify reads an event as VerifyAudit checks it: an imported
// event with the organisation, actor and record ids it was hashed with;
// shown are the ids its ordinary columns hold, and imported says whether
// it came with an archive.
func scanAuditForVerify(rows scanner) (e *isms.AuditEvent, at string, shown [3]int64, imported bool, err error) {
	e = &isms.AuditEvent{}
	var before, after string
	var oo, oa, or sql.NullInt64
	if err = rows.Scan(&e.ID, &e.OrganisationID, &e.Seq, &at, &e.ActorID, &e.ActorName, &e.Action,
		&e.RecordType, &e.RecordID, &before, &after, &e.PrevHash, &e.Hash, &oo, &oa, &or); err != nil {
		return nil, "", shown, false, err
	}
	shown = [3]int64{e.OrganisationID, e.ActorID, e.RecordID}
	if oo.Valid {
		e.OrganisationID, imported = oo.Int64, true
	}
	if oa.Valid {
		e.ActorID = oa.Int64
	}
	if or.Valid {
		e.RecordID = or.Int64
	}
	e.Before, e.After = json.RawMessage(before), json.RawMessage(after)
	return e, at, shown, imported, nil
}

// auditVerifyColumns are what scanAuditForVerify reads.
const auditVerifyColumns = auditColumns + ", origin_organisation_id, origin_actor_id, origin_record_id"

// importedIDs follows the ids an organisation's imported events show, for
// the check of the import event that records them (ids_sha256).
type importedIDs struct{ sum hash.Hash }

func newImportedIDs() *importedIDs { return &importedIDs{sum: sha256.New()} }

// add notes an imported event's shown ids, as importAuditEvent wrote them.
func (m *importedIDs) add(seq int64, shown [3]int64) {
	fmt.Fprintf(m.sum, "%d:%d:%d:%d;", seq, shown[0], shown[1], shown[2])
}

// check compares an event written here with what it says of the imported
// events before it, when it is the record of an import; "" when it
// agrees or is no such record.
func (m *importedIDs) check(e *isms.AuditEvent) string {
	if e.Action != "import" || e.RecordType != "organisation" {
		return ""
	}
	var after struct {
		IDs string `json:"ids_sha256"`
	}
	if json.Unmarshal(e.After, &after) != nil || after.IDs == "" {
		return ""
	}
	if hex.EncodeToString(m.sum.Sum(nil)) != after.IDs {
		return "the ids shown by the imported events before it were changed after the import"
	}
	return ""
}
