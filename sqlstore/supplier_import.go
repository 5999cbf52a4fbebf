package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/ismsdk/isms"
)

// Imports of the supplier register and the incident log from spreadsheets
// (guide 2.9; see isms.RegisterImportService). What both share is here:
// the staging of an upload by its SHA-256, the preview's hash, and the
// import itself, which stores every created and updated row in the write's
// one transaction with an audit event per record and one for the import.
// Each register's own checks are in its file: the suppliers below, the
// incidents in incident_import.go.

const (
	typeSupplierImport = "supplier_import"
	typeIncidentImport = "incident_import"
)

// regStore stores one checked row and returns the record's id.
type regStore func() (int64, error)

// regResolved is a sheet checked against the records: the preview, and
// for each row that creates or updates, how to store it (by row index).
type regResolved struct {
	pv    *isms.RegisterImportPreview
	store map[int]regStore
	// after runs once every row is stored: work a register does once for
	// all its rows (the business overview adopts its new entries as
	// assets), in the same transaction.
	after func() error
}

// regAccess checks that the caller may import into the register at all:
// the incident log is the coordinator's (triage needs the edit
// permission); suppliers may be imported by whoever may add a supplier,
// each row then checked against what the caller may edit.
func (tx *Tx) regAccess(orgID int64, kind string) (isms.Access, error) {
	switch kind {
	case isms.ImportIncidents:
		return tx.require(orgID, isms.PermEdit)
	case isms.ImportSuppliers:
		a, err := tx.access(orgID)
		if err != nil {
			return a, err
		}
		if !a.Can(isms.PermEdit) && !a.Can(isms.PermEditOwn) {
			return a, isms.Errorf(isms.EForbidden, "err.forbidden")
		}
		return a, nil
	}
	if k, ok := regMoreKinds[kind]; ok {
		return k.access(tx, orgID)
	}
	return isms.Access{}, notFound("import")
}

// regResolve checks every row of a sheet and says what its import would do.
func (tx *Tx) regResolve(orgID int64, a isms.Access, s *isms.RegisterSheet) (*regResolved, error) {
	var res *regResolved
	var err error
	switch s.Kind {
	case isms.ImportSuppliers:
		res, err = tx.supResolveSheet(orgID, a, s)
	case isms.ImportIncidents:
		res, err = tx.incResolveSheet(orgID, s)
	default:
		k, ok := regMoreKinds[s.Kind]
		if !ok {
			return nil, notFound("import")
		}
		res, err = k.resolve(tx, orgID, a, s)
	}
	if err != nil {
		return nil, err
	}
	pv := res.pv
	for i := range pv.Rows {
		r := &pv.Rows[i]
		r.Problems = len(r.Reasons)
		if r.Changes == nil {
			r.Changes = []string{}
		}
		switch r.Outcome {
		case isms.OutcomeCreated:
			pv.Created++
		case isms.OutcomeUpdated:
			pv.Updated++
		case isms.OutcomeSkipped:
			pv.Skipped++
		case isms.OutcomeRefused:
			pv.Refused++
		}
	}
	pv.PreviewSHA256 = regPreviewHash(pv)
	return res, nil
}

// regPreviewHash names a preview's outcomes: the file, and for each row
// its outcome, the record it concerns, the fields it changes and the
// reasons it is refused. The confirmation compares it with the outcomes
// as they stand then.
func regPreviewHash(pv *isms.RegisterImportPreview) string {
	type row struct {
		Row     int
		Outcome isms.ImportOutcome
		Record  *int64
		Changes []string
		Reasons []isms.Message
	}
	rows := make([]row, 0, len(pv.Rows))
	for _, r := range pv.Rows {
		rows = append(rows, row{r.Row, r.Outcome, r.RecordID, r.Changes, r.Reasons})
	}
	b, _ := json.Marshal(struct {
		Kind, SHA string
		Rows      []row
	}{pv.Kind, pv.SHA256, rows})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// regPreview makes the preview of a sheet, its lists never null.
func regPreview(s *isms.RegisterSheet) *isms.RegisterImportPreview {
	return &isms.RegisterImportPreview{Kind: s.Kind, Filename: s.Filename, SHA256: s.SHA256, Columns: nonNilSlice(s.Columns),
		Ignored: nonNilSlice(s.Ignored), Rows: []isms.RegisterImportRow{}, Problems: []isms.ImportProblem{}}
}

// regRefuse records a row's problem: on the row (which is then refused)
// and in the preview's list, by the column the file shows.
func regRefuse(pv *isms.RegisterImportPreview, s *isms.RegisterSheet, r *isms.RegisterImportRow, field, key string, args ...any) {
	m := isms.Msg(key, args...)
	r.Reasons = append(r.Reasons, m)
	r.Outcome = isms.OutcomeRefused
	pv.Problems = append(pv.Problems, isms.ImportProblem{Row: r.Row, Column: s.Column(field), Field: field, Message: m})
}

// regNUL refuses a row with a cell holding a NUL character, which cannot
// be stored (see isms.HasNUL); the row is read no further.
func regNUL(pv *isms.RegisterImportPreview, s *isms.RegisterSheet, r *isms.RegisterImportRow, cells map[string]string, fields []string) bool {
	found := false
	for _, f := range fields {
		if isms.HasNUL(cells[f]) {
			regRefuse(pv, s, r, f, "err.nul_character")
			found = true
		}
	}
	return found
}

// regImport stores a checked sheet's created and updated rows in the
// caller's transaction, if its outcomes still hash to previewSHA (when
// given), and records the import.
func (tx *Tx) regImport(orgID int64, a isms.Access, s *isms.RegisterSheet, previewSHA string) (*isms.RegisterImportPreview, error) {
	return tx.regImportWith(orgID, a, s, isms.RegisterImportOptions{PreviewSHA256: previewSHA, SkipRefused: !isms.StrictImport(s.Kind)})
}

// regImportWith is regImport with the confirmation's options: a strict
// register stores nothing while a row is refused, unless told to skip the
// refused rows.
func (tx *Tx) regImportWith(orgID int64, a isms.Access, s *isms.RegisterSheet, opt isms.RegisterImportOptions) (*isms.RegisterImportPreview, error) {
	previewSHA := opt.PreviewSHA256
	res, err := tx.regResolve(orgID, a, s)
	if err != nil {
		return nil, err
	}
	pv := res.pv
	if previewSHA != "" && previewSHA != pv.PreviewSHA256 {
		return nil, isms.Errorf(isms.EConflict, "rimp.err.preview_changed")
	}
	if pv.Refused > 0 && !opt.SkipRefused {
		return nil, regRefusedError(pv)
	}
	if pv.Changing() == 0 && pv.Skipped == 0 {
		return nil, isms.Errorf(isms.EInvalid, "rimp.err.nothing_to_store", pv.Refused)
	}
	for i := range pv.Rows {
		st, ok := res.store[i]
		if !ok {
			continue
		}
		id, err := st()
		if err != nil {
			return nil, err
		}
		pv.Rows[i].RecordID = &id
	}
	if res.after != nil {
		if err := res.after(); err != nil {
			return nil, err
		}
	}
	pv.Imported = true
	typ, action := regImportType(s.Kind), "import_"+s.Kind
	return pv, tx.audit(orgID, action, typ, 0, nil, map[string]any{"filename": s.Filename, "sha256": s.SHA256, "rows": len(s.Rows),
		"created": pv.Created, "updated": pv.Updated, "skipped": pv.Skipped, "refused": pv.Refused})
}

// PreviewRegisterSheet checks a sheet and says what its import would do,
// storing nothing.
func (db *DB) PreviewRegisterSheet(ctx context.Context, orgID int64, s *isms.RegisterSheet) (*isms.RegisterImportPreview, error) {
	var pv *isms.RegisterImportPreview
	err := db.read(ctx, "PreviewRegisterSheet", func(tx *Tx) error {
		a, err := tx.regAccess(orgID, s.Kind)
		if err != nil {
			return err
		}
		res, err := tx.regResolve(orgID, a, s)
		if err == nil {
			pv = res.pv
		}
		return err
	})
	return pv, err
}

// ImportRegisterSheet imports a sheet in one transaction.
func (db *DB) ImportRegisterSheet(ctx context.Context, orgID int64, s *isms.RegisterSheet, previewSHA string) (*isms.RegisterImportPreview, error) {
	var pv *isms.RegisterImportPreview
	err := db.write(ctx, "ImportRegisterSheet", func(tx *Tx) error {
		a, err := tx.regAccess(orgID, s.Kind)
		if err != nil {
			return err
		}
		pv, err = tx.regImport(orgID, a, s, previewSHA)
		return err
	})
	return pv, err
}

// regStagedKeep is how long an upload waits for its confirmation.
const regStagedKeep = 7 * 24 * time.Hour

// StageRegisterImport keeps a read sheet, named by its register and
// SHA-256, for the user to confirm or refuse after the preview, and
// returns the preview. The same file uploaded again replaces the waiting
// copy.
func (db *DB) StageRegisterImport(ctx context.Context, orgID int64, s *isms.RegisterSheet) (*isms.RegisterImportPreview, error) {
	var pv *isms.RegisterImportPreview
	err := db.write(ctx, "StageRegisterImport", func(tx *Tx) error {
		a, err := tx.regAccess(orgID, s.Kind)
		if err != nil {
			return err
		}
		if len(s.SHA256) != 64 {
			return isms.Errorf(isms.EInvalid, "rimp.err.import_unreadable")
		}
		// Uploads never confirmed are dropped after a while; they were
		// never part of the register.
		if _, err := tx.exec("DELETE FROM register_import_uploads WHERE organisation_id = ? AND ((kind = ? AND sha256 = ?) OR created_at < ?)",
			orgID, s.Kind, s.SHA256, ts(tx.now.Add(-regStagedKeep))); err != nil {
			return err
		}
		data, err := json.Marshal(s)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO register_import_uploads (organisation_id, kind, sha256, filename, data, uploaded_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, orgID, s.Kind, s.SHA256, s.Filename, data, tx.actor.UserID, ts(tx.now)); err != nil {
			return err
		}
		res, err := tx.regResolve(orgID, a, s)
		if err != nil {
			return err
		}
		pv = res.pv
		return tx.audit(orgID, "stage_register_import", regImportType(s.Kind), 0, nil, map[string]any{"filename": s.Filename,
			"sha256": s.SHA256, "rows": len(s.Rows), "refused": pv.Refused})
	})
	return pv, err
}

func regImportType(kind string) string {
	switch kind {
	case isms.ImportIncidents:
		return typeIncidentImport
	case isms.ImportSuppliers:
		return typeSupplierImport
	}
	return regMoreKinds[kind].auditType
}

// regStaged reads a waiting upload.
func (tx *Tx) regStaged(orgID int64, kind, sha string) (*isms.RegisterSheet, error) {
	var data []byte
	err := tx.queryRow("SELECT data FROM register_import_uploads WHERE organisation_id = ? AND kind = ? AND sha256 = ?", orgID, kind, sha).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("import")
	}
	if err != nil {
		return nil, err
	}
	var s isms.RegisterSheet
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, err
	}
	s.Kind = kind
	return &s, nil
}

// StagedRegisterSheet is a waiting upload as read, with its file, for the
// mapping step to read again.
func (db *DB) StagedRegisterSheet(ctx context.Context, orgID int64, kind, sha string) (*isms.RegisterSheet, error) {
	var s *isms.RegisterSheet
	err := db.read(ctx, "StagedRegisterSheet", func(tx *Tx) error {
		if _, err := tx.regAccess(orgID, kind); err != nil {
			return err
		}
		var err error
		s, err = tx.regStaged(orgID, kind, sha)
		return err
	})
	return s, err
}

// StagedRegisterImport checks a waiting upload again (the records may
// have changed since) and says what its import would do.
func (db *DB) StagedRegisterImport(ctx context.Context, orgID int64, kind, sha string) (*isms.RegisterImportPreview, error) {
	var pv *isms.RegisterImportPreview
	err := db.read(ctx, "StagedRegisterImport", func(tx *Tx) error {
		a, err := tx.regAccess(orgID, kind)
		if err != nil {
			return err
		}
		s, err := tx.regStaged(orgID, kind, sha)
		if err != nil {
			return err
		}
		res, err := tx.regResolve(orgID, a, s)
		if err == nil {
			pv = res.pv
		}
		return err
	})
	return pv, err
}

// ImportStagedRegister imports a waiting upload in one transaction, if
// its outcomes are still those of the preview, and lets the upload go.
func (db *DB) ImportStagedRegister(ctx context.Context, orgID int64, kind, sha, previewSHA string) (*isms.RegisterImportPreview, error) {
	var pv *isms.RegisterImportPreview
	err := db.write(ctx, "ImportStagedRegister", func(tx *Tx) error {
		a, err := tx.regAccess(orgID, kind)
		if err != nil {
			return err
		}
		s, err := tx.regStaged(orgID, kind, sha)
		if err != nil {
			return err
		}
		if previewSHA == "" {
			return isms.Errorf(isms.EConflict, "rimp.err.preview_changed")
		}
		if pv, err = tx.regImport(orgID, a, s, previewSHA); err != nil {
			return err
		}
		_, err = tx.exec("DELETE FROM register_import_uploads WHERE organisation_id = ? AND kind = ? AND sha256 = ?", orgID, kind, sha)
		return err
	})
	return pv, err
}

// DiscardStagedRegisterImport refuses a waiting upload: nothing of it is
// stored.
func (db *DB) DiscardStagedRegisterImport(ctx context.Context, orgID int64, kind, sha string) error {
	return db.write(ctx, "DiscardStagedRegisterImport", func(tx *Tx) error {
		if _, err := tx.regAccess(orgID, kind); err != nil {
			return err
		}
		s, err := tx.regStaged(orgID, kind, sha)
		if err != nil {
			return err
		}
		if _, err := tx.exec("DELETE FROM register_import_uploads WHERE organisation_id = ? AND kind = ? AND sha256 = ?", orgID, kind, sha); err != nil {
			return err
		}
		return tx.audit(orgID, "refuse_register_import", regImportType(kind), 0, nil, map[string]any{"filename": s.Filename, "sha256": sha,
			"rows": len(s.Rows)})
	})
}

// regWarn records a row's warning: the row is stored, and the preview
// names what the user may want to finish in the product.
func regWarn(pv *isms.RegisterImportPreview, s *isms.RegisterSheet, r *isms.RegisterImportRow, field, key string, args ...any) {
	m := isms.Msg(key, args...)
	r.Warnings = append(r.Warnings, m)
	pv.Warnings = append(pv.Warnings, isms.ImportProblem{Row: r.Row, Column: s.Column(field), Field: field, Message: m})
}

// regOwner reads an owner cell through the person resolver
// (import_people.go): a person no one member matches leaves the record
// without that owner and the row with a warning saying why.
func regOwner(pv *isms.RegisterImportPreview, s *isms.RegisterSheet, r *isms.RegisterImportRow, people *importPeople, cell string) *int64 {
	id, _, ok := people.find(cell)
	if !ok {
		regWarn(pv, s, r, "owner", people.why(cell), cell)
		return nil
	}
	return &id
}

// regWord reads a cell as one of a set of words (compared without case,
// spaces and punctuation), "" when it is none.
func regWord[T ~string](words map[string]T, cell string) (T, bool) {
	v, ok := words[regWordKey(cell)]
	return v, ok
}

func regWordKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '✓' || r == '✔' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// regYesNo reads a yes/no cell as spreadsheets write it.
func regYesNo(cell string) (bool, bool) {
	switch regWordKey(cell) {
	case "ja", "j", "yes", "y", "x", "1", "true", "sand", "sandt", "✓", "✔":
		return true, true
	case "nej", "n", "no", "0", "false", "falsk", "":
		return false, true
	}
	return false, false
}

// The supplier list.

// supCriticalityWords are criticalities as supplier lists write them, in
// Danish and English, and as numbers 1 (lowest) to 4.
var supCriticalityWords = map[string]isms.SupplierCriticality{
	"kritisk": isms.CriticalityCritical, "critical": isms.CriticalityCritical, "meget høj": isms.CriticalityCritical,
	"megethøj": isms.CriticalityCritical, "veryhigh": isms.CriticalityCritical, "forretningskritisk": isms.CriticalityCritical,
	"businesscritical": isms.CriticalityCritical, "4": isms.CriticalityCritical, "a": isms.CriticalityCritical,
	"høj": isms.CriticalityHigh, "hoej": isms.CriticalityHigh, "hoj": isms.CriticalityHigh, "high": isms.CriticalityHigh,
	"væsentlig": isms.CriticalityHigh, "significant": isms.CriticalityHigh, "3": isms.CriticalityHigh, "b": isms.CriticalityHigh,
	"middel": isms.CriticalityMedium, "mellem": isms.CriticalityMedium, "medium": isms.CriticalityMedium, "moderat": isms.CriticalityMedium,
	"moderate": isms.CriticalityMedium, "mid": isms.CriticalityMedium, "2": isms.CriticalityMedium, "c": isms.CriticalityMedium,
	"lav": isms.CriticalityLow, "low": isms.CriticalityLow, "lille": isms.CriticalityLow, "minor": isms.CriticalityLow,
	"ubetydelig": isms.CriticalityLow, "ikkekritisk": isms.CriticalityLow, "noncritical": isms.CriticalityLow, "1": isms.CriticalityLow,
	"d": isms.CriticalityLow,
}

// supStatusWords are a supplier's statuses as lists write them.
var supStatusWords = map[string]isms.SupplierStatus{
	"aktiv": isms.SupplierActive, "active": isms.SupplierActive, "idrift": isms.SupplierActive, "igang": isms.SupplierActive,
	"løbende": isms.SupplierActive, "current": isms.SupplierActive, "ja": isms.SupplierActive, "yes": isms.SupplierActive,
	"ophørt": isms.SupplierEnded, "ended": isms.SupplierEnded, "afsluttet": isms.SupplierEnded, "inaktiv": isms.SupplierEnded,
	"inactive": isms.SupplierEnded, "opsagt": isms.SupplierEnded, "terminated": isms.SupplierEnded, "udløbet": isms.SupplierEnded,
	"expired": isms.SupplierEnded, "nej": isms.SupplierEnded, "no": isms.SupplierEnded, "tidligere": isms.SupplierEnded, "former": isms.SupplierEnded,
}

// supImportSupplier is a supplier as the import compares it.
type supImportSupplier struct {
	id      int64
	in      isms.SupplierInput
	version int64
	ends    map[isms.AgreementKind]map[string]bool // agreements' end days by kind
}

// supFieldColumn is the sheet's field for a field of the supplier's
// validation.
func supFieldColumn(field string) string {
	if field == "owner_id" {
		return "owner"
	}
	return field
}

// supResolveSheet checks a supplier list. A row matches a supplier by its
// CVR number, or else by name; cells left empty keep what the register
// says.
func (tx *Tx) supResolveSheet(orgID int64, a isms.Access, s *isms.RegisterSheet) (*regResolved, error) {
	pv := regPreview(s)
	res := &regResolved{pv: pv, store: map[int]regStore{}}
	if !s.Has("name") {
		pv.Problems = append(pv.Problems, isms.ImportProblem{Field: "name", Message: isms.Msg("rimp.err.missing_column", "rimp.sup.name")})
	}
	byCVR := map[string]*supImportSupplier{}
	byName := map[string][]*supImportSupplier{}
	sups := map[int64]*supImportSupplier{}
	err := tx.queryEach(`SELECT id, name, cvr, contact, delivers, criticality, status, owner_id, note, version FROM suppliers
		WHERE organisation_id = ? ORDER BY id`, []any{orgID}, func(row scanner) error {
		x := &supImportSupplier{ends: map[isms.AgreementKind]map[string]bool{}}
		var crit, status string
		var owner sql.NullInt64
		if err := row.Scan(&x.id, &x.in.Name, &x.in.CVR, &x.in.Contact, &x.in.Delivers, &crit, &status, &owner, &x.in.Note, &x.version); err != nil {
			return err
		}
		x.in.Criticality, x.in.Status, x.in.OwnerID = isms.SupplierCriticality(crit), isms.SupplierStatus(status), int64Ptr(owner)
		sups[x.id] = x
		if x.in.CVR != "" {
			byCVR[x.in.CVR] = x
		}
		k := isms.CompareKey(x.in.Name)
		byName[k] = append(byName[k], x)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.queryEach("SELECT supplier_id, kind, ends_on FROM supplier_agreements WHERE organisation_id = ? AND ends_on IS NOT NULL",
		[]any{orgID}, func(row scanner) error {
			var id int64
			var kind string
			var ends isms.Date
			if err := row.Scan(&id, &kind, scanDate{&ends}); err != nil {
				return err
			}
			if x := sups[id]; x != nil {
				if x.ends[isms.AgreementKind(kind)] == nil {
					x.ends[isms.AgreementKind(kind)] = map[string]bool{}
				}
				x.ends[isms.AgreementKind(kind)][ends.String()] = true
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	people, err := tx.importPeople(orgID)
	if err != nil {
		return nil, err
	}
	seen := map[string]int{} // "cvr:…", "name:…" and "id:…" → the row that took it
	for _, sr := range s.Rows {
		c := sr.Cells
		r := isms.RegisterImportRow{Row: sr.Row, Name: strings.TrimSpace(c["name"]), Detail: isms.NormaliseCVR(c["cvr"])}
		if regNUL(pv, s, &r, c, isms.SupplierSheetFields) {
			pv.Rows = append(pv.Rows, r)
			continue
		}
		named := map[string]bool{}
		refuse := func(field, key string, args ...any) {
			named[field] = true
			regRefuse(pv, s, &r, field, key, args...)
		}
		// The supplier it matches.
		var match *supImportSupplier
		cvr := r.Detail
		if cvr != "" {
			match = byCVR[cvr]
		}
		if match == nil && r.Name != "" {
			switch xs := byName[isms.CompareKey(r.Name)]; {
			case len(xs) > 1:
				refuse("name", "rimp.err.sup_ambiguous", r.Name, len(xs))
			case len(xs) == 1 && cvr != "" && xs[0].in.CVR != "" && xs[0].in.CVR != cvr:
				refuse("cvr", "rimp.err.sup_other_cvr", r.Name, xs[0].in.CVR)
			case len(xs) == 1:
				match = xs[0]
			}
		}
		if r.Outcome == isms.OutcomeRefused {
			pv.Rows = append(pv.Rows, r)
			continue
		}
		// The supplier as the row would leave it: the register's where
		// the row says nothing.
		var in isms.SupplierInput
		if match != nil {
			in = match.in
			r.RecordID = &match.id
		} else {
			in.Status = isms.SupplierActive
		}
		set := func(field string, dst *string) {
			if v := strings.TrimSpace(c[field]); v != "" {
				*dst = v
			}
		}
		set("name", &in.Name)
		set("cvr", &in.CVR)
		set("contact", &in.Contact)
		set("delivers", &in.Delivers)
		set("note", &in.Note)
		if v := c["criticality"]; v != "" {
			if cr, ok := regWord(supCriticalityWords, v); ok {
				in.Criticality = cr
			} else {
				refuse("criticality", "rimp.err.sup_criticality", v)
			}
		} else if match == nil {
			refuse("criticality", "err.required")
		}
		if v := c["status"]; v != "" {
			if st, ok := regWord(supStatusWords, v); ok {
				in.Status = st
			} else {
				refuse("status", "rimp.err.sup_status", v)
			}
		}
		if v := c["owner"]; v != "" {
			if id := regOwner(pv, s, &r, people, v); id != nil {
				in.OwnerID = id
			}
		}
		agreements := map[isms.AgreementKind]*isms.Date{}
		for _, ag := range []struct {
			field string
			kind  isms.AgreementKind
		}{{"contract_end", isms.AgreementContract}, {"dpa_end", isms.AgreementDPA}} {
			if v := c[ag.field]; v != "" {
				d, ok := riskParseDate(v)
				if !ok {
					refuse(ag.field, "rimp.err.date", v)
					continue
				}
				if match == nil || !match.ends[ag.kind][d.String()] {
					agreements[ag.kind] = &d
				}
			}
		}
		// The same checks as the form's.
		check := in
		if err := tx.validateSupplier(orgID, &check); err != nil {
			e := isms.AsError(err)
			if e == nil {
				return nil, err
			}
			for _, fe := range e.Fields {
				if col := supFieldColumn(fe.Field); !named[col] {
					refuse(col, fe.Key, fe.Args...) // a cell already refused is named once
				}
			}
		}
		in = check
		r.Name, r.Detail = in.Name, in.CVR
		// Who may: a contributor only suppliers they own, before and after.
		if r.Outcome != isms.OutcomeRefused {
			owners := []*int64{in.OwnerID}
			if match != nil {
				owners = append(owners, match.in.OwnerID)
			}
			for _, owner := range owners {
				if err := a.CheckEdit(tx.actor.UserID, owner); err != nil {
					refuse("owner", isms.AsError(err).Key)
					break
				}
			}
		}
		// One row a supplier.
		if r.Outcome != isms.OutcomeRefused {
			keys := []string{"name:" + isms.CompareKey(in.Name)}
			if in.CVR != "" {
				keys = append(keys, "cvr:"+in.CVR)
			}
			if match != nil {
				keys = append(keys, "id:"+strconv.FormatInt(match.id, 10))
			}
			for _, k := range keys {
				if first, ok := seen[k]; ok {
					refuse("name", "rimp.err.duplicate_row", first)
					break
				}
			}
			if r.Outcome != isms.OutcomeRefused {
				for _, k := range keys {
					seen[k] = sr.Row
				}
			}
		}
		if r.Outcome == isms.OutcomeRefused {
			pv.Rows = append(pv.Rows, r)
			continue
		}
		row := sr.Row
		if match == nil {
			r.Outcome = isms.OutcomeCreated
			for _, k := range []isms.AgreementKind{isms.AgreementContract, isms.AgreementDPA} {
				if agreements[k] != nil {
					r.Changes = append(r.Changes, string(k)) // in order: the preview's hash names them
				}
			}
			owner := ""
			if in.OwnerID != nil {
				owner = people.names[*in.OwnerID]
			}
			res.store[len(pv.Rows)] = func() (int64, error) { return tx.supImportCreate(orgID, in, owner, agreements, s.Filename, row) }
		} else {
			r.Changes = supChanges(match.in, in)
			for _, k := range []isms.AgreementKind{isms.AgreementContract, isms.AgreementDPA} {
				if agreements[k] != nil {
					r.Changes = append(r.Changes, string(k))
				}
			}
			if len(r.Changes) == 0 {
				r.Outcome = isms.OutcomeSkipped
			} else {
				r.Outcome = isms.OutcomeUpdated
				id := match.id
				res.store[len(pv.Rows)] = func() (int64, error) {
					return id, tx.supImportUpdate(orgID, id, in, agreements, s.Filename, row)
				}
			}
		}
		pv.Rows = append(pv.Rows, r)
	}
	return res, nil
}

// supChanges names the fields that differ.
func supChanges(a, b isms.SupplierInput) []string {
	var out []string
	eq := func(x, y *int64) bool { return (x == nil && y == nil) || (x != nil && y != nil && *x == *y) }
	for _, f := range []struct {
		name string
		same bool
	}{{"name", a.Name == b.Name}, {"cvr", a.CVR == b.CVR}, {"delivers", a.Delivers == b.Delivers},
		{"criticality", a.Criticality == b.Criticality}, {"owner", eq(a.OwnerID, b.OwnerID)}, {"contact", a.Contact == b.Contact},
		{"status", a.Status == b.Status}, {"note", a.Note == b.Note}} {
		if !f.same {
			out = append(out, f.name)
		}
	}
	return out
}

// supImportCreate stores a new supplier from a row, with its agreements.
func (tx *Tx) supImportCreate(orgID int64, in isms.SupplierInput, ownerName string, ags map[isms.AgreementKind]*isms.Date, filename string, row int) (int64, error) {
	now := ts(tx.now)
	id, err := tx.insert(`INSERT INTO suppliers (organisation_id, name, cvr, contact, delivers, criticality, status, owner_id, note, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, orgID, in.Name, in.CVR, in.Contact, in.Delivers, string(in.Criticality), string(in.Status),
		nullInt(in.OwnerID), in.Note, now, now)
	if err != nil {
		return 0, err
	}
	// The record as stored, without reading it back: a new supplier has
	// no links, and the import knows its owner's name (a list of
	// thousands is imported in seconds this way).
	rec := supRecord(&isms.Supplier{Name: in.Name, CVR: in.CVR, Contact: in.Contact, Delivers: in.Delivers, Criticality: in.Criticality,
		Status: in.Status, OwnerName: ownerName, Note: in.Note})
	rec["imported_from"], rec["row"] = filename, row
	if err := tx.audit(orgID, "import_create", typeSupplier, id, nil, rec); err != nil {
		return 0, err
	}
	return id, tx.supImportAgreements(orgID, id, in.Name, ags, filename)
}

// supImportUpdate changes a supplier from a row, keeping its links, and
// adds the agreements the row names.
func (tx *Tx) supImportUpdate(orgID, id int64, in isms.SupplierInput, ags map[isms.AgreementKind]*isms.Date, filename string, row int) error {
	before, err := tx.supplier(orgID, id)
	if err != nil {
		return err
	}
	if _, err := tx.exec(`UPDATE suppliers SET name = ?, cvr = ?, contact = ?, delivers = ?, criticality = ?, status = ?, owner_id = ?, note = ?,
		version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`, in.Name, in.CVR, in.Contact, in.Delivers,
		string(in.Criticality), string(in.Status), nullInt(in.OwnerID), in.Note, ts(tx.now), orgID, id); err != nil {
		return err
	}
	after, err := tx.supplier(orgID, id)
	if err != nil {
		return err
	}
	rec := supRecord(after)
	rec["imported_from"], rec["row"] = filename, row
	if err := tx.audit(orgID, "import_update", typeSupplier, id, supRecord(before), rec); err != nil {
		return err
	}
	return tx.supImportAgreements(orgID, id, after.Name, ags, filename)
}

// supImportAgreements records the agreements a row names by their end
// day: a contract and a data processing agreement (GDPR Art. 28).
func (tx *Tx) supImportAgreements(orgID, supplierID int64, supplierName string, ags map[isms.AgreementKind]*isms.Date, filename string) error {
	for _, kind := range []isms.AgreementKind{isms.AgreementContract, isms.AgreementDPA} {
		ends := ags[kind]
		if ends == nil {
			continue
		}
		a := &isms.SupplierAgreement{SupplierID: supplierID, SupplierName: supplierName, Kind: kind, EndsOn: ends,
			Title: map[isms.AgreementKind]string{isms.AgreementContract: "Kontrakt", isms.AgreementDPA: "Databehandleraftale"}[kind],
			Note:  "Importeret fra " + filename + " / imported from " + filename}
		aid, err := tx.insert(`INSERT INTO supplier_agreements (organisation_id, supplier_id, kind, title, ends_on, note, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, orgID, supplierID, string(kind), a.Title, ends.String(), a.Note, ts(tx.now))
		if err != nil {
			return err
		}
		if err := tx.audit(orgID, "import_create", typeSupplierAgreement, aid, nil, agreementRecord(a)); err != nil {
			return err
		}
	}
	return nil
}
