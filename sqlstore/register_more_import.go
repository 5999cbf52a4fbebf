package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// The imports of the asset list, the threat catalogue, the members and
// the business overview (isms.ImportAssets …), in the flow the supplier
// list's import set up (supplier_import.go): each register has its access
// rule and its resolver here, in its own file, and shares the staging,
// the preview's hash and the one transaction that stores the rows.

// regMoreKind is one register's part of the import.
type regMoreKind struct {
	auditType string
	access    func(tx *Tx, orgID int64) (isms.Access, error)
	resolve   func(tx *Tx, orgID int64, a isms.Access, s *isms.RegisterSheet) (*regResolved, error)
}

var regMoreKinds map[string]regMoreKind

func init() {
	// Assigned here: the resolvers refer back to regResolve through
	// regImport, which reads this table.
	regMoreKinds = map[string]regMoreKind{
		isms.ImportAssets:   {auditType: "asset_import", access: regEditOrOwn, resolve: (*Tx).assetResolveSheet},
		isms.ImportThreats:  {auditType: "threat_import", access: regEdit, resolve: (*Tx).threatResolveSheet},
		isms.ImportMembers:  {auditType: "member_import", access: regManageMembers, resolve: (*Tx).memberResolveSheet},
		isms.ImportOverview: {auditType: "overview_import", access: regEditOrOwn, resolve: (*Tx).overviewResolveSheet},
	}
}

// regEditOrOwn lets in whoever may add a record of the register, each row
// then checked against what the caller may edit (a contributor only the
// records they own), as the forms do.
func regEditOrOwn(tx *Tx, orgID int64) (isms.Access, error) {
	a, err := tx.access(orgID)
	if err != nil {
		return a, err
	}
	if !a.Can(isms.PermEdit) && !a.Can(isms.PermEditOwn) {
		return a, isms.Errorf(isms.EForbidden, "err.forbidden")
	}
	return a, nil
}

// regEdit: the threat catalogue is the coordinator's, as its form is.
func regEdit(tx *Tx, orgID int64) (isms.Access, error) { return tx.require(orgID, isms.PermEdit) }

// regManageMembers: members are the administrator's.
func regManageMembers(tx *Tx, orgID int64) (isms.Access, error) {
	return tx.require(orgID, isms.PermManageMembers)
}

// regRefusedError is the refusal of a strict register's file with refused
// rows: every problem named by row and column, nothing stored.
func regRefusedError(pv *isms.RegisterImportPreview) error {
	e := &isms.Error{Code: isms.EInvalid, Key: "rimp.err.refused_rows", Args: []any{pv.Refused}}
	for _, p := range pv.Problems {
		field := p.Column
		if field == "" {
			field = p.Field
		}
		if field == "" {
			field = "file"
		}
		if p.Row > 0 {
			field = "row " + strconv.Itoa(p.Row) + ": " + field
		}
		e.Fields = append(e.Fields, isms.FieldError{Field: field, Key: p.Message.Key, Args: p.Message.Args})
	}
	return e
}

// ImportRegister imports a sheet in one transaction with the
// confirmation's options.
func (db *DB) ImportRegister(ctx context.Context, orgID int64, s *isms.RegisterSheet, opt isms.RegisterImportOptions) (*isms.RegisterImportPreview, error) {
	var pv *isms.RegisterImportPreview
	err := db.write(ctx, "ImportRegister", func(tx *Tx) error {
		a, err := tx.regAccess(orgID, s.Kind)
		if err != nil {
			return err
		}
		pv, err = tx.regImportWith(orgID, a, s, opt)
		return err
	})
	return pv, err
}

// ImportStagedRegisterWith imports a waiting upload in one transaction
// with the confirmation's options, if its outcomes are still those of the
// preview, and lets the upload go.
func (db *DB) ImportStagedRegisterWith(ctx context.Context, orgID int64, kind, sha string, opt isms.RegisterImportOptions) (*isms.RegisterImportPreview, error) {
	var pv *isms.RegisterImportPreview
	err := db.write(ctx, "ImportStagedRegisterWith", func(tx *Tx) error {
		a, err := tx.regAccess(orgID, kind)
		if err != nil {
			return err
		}
		s, err := tx.regStaged(orgID, kind, sha)
		if err != nil {
			return err
		}
		if opt.PreviewSHA256 == "" {
			return isms.Errorf(isms.EConflict, "rimp.err.preview_changed")
		}
		if pv, err = tx.regImportWith(orgID, a, s, opt); err != nil {
			return err
		}
		_, err = tx.exec("DELETE FROM register_import_uploads WHERE organisation_id = ? AND kind = ? AND sha256 = ?", orgID, kind, sha)
		return err
	})
	return pv, err
}

// regLevel reads a requirement level: 1–4, or its name in either language
// ("høj", "very high"); 0 (or "ikke vurderet") for none.
func regLevel(cell string) (isms.Level, bool) {
	s := strings.TrimSpace(strings.ReplaceAll(cell, ",", "."))
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if f != float64(int(f)) || f < 0 || f > float64(isms.MaxLevel) {
			return 0, false
		}
		return isms.Level(int(f)), true
	}
	l, ok := regLevelWords[regWordKey(cell)]
	return l, ok
}

var regLevelWords = func() map[string]isms.Level {
	m := map[string]isms.Level{
		"lav": 1, "low": 1, "lille": 1, "l": 1, "ringe": 1, "minor": 1,
		"middel": 2, "mellem": 2, "medium": 2, "moderat": 2, "moderate": 2, "m": 2, "mid": 2,
		"høj": 3, "hoej": 3, "hoj": 3, "high": 3, "h": 3, "stor": 3, "væsentlig": 3,
		"meget høj": 4, "megethøj": 4, "veryhigh": 4, "kritisk": 4, "critical": 4, "mh": 4, "vh": 4,
		"ikkevurderet": 0, "notassessed": 0, "ingen": 0, "none": 0,
	}
	for n := 0; n <= int(isms.MaxLevel); n++ {
		for _, lang := range []string{"da", "en"} {
			m[regWordKey(i18n.T(lang, i18n.Key(fmt.Sprintf("level.%d", n))))] = isms.Level(n)
		}
	}
	return m
}()

// regStatusWords are an entry's statuses as registers write them.
var regStatusWords = func() map[string]isms.EntryStatus {
	m := map[string]isms.EntryStatus{
		"aktiv": isms.StatusActive, "active": isms.StatusActive, "idrift": isms.StatusActive, "ibrug": isms.StatusActive,
		"inuse": isms.StatusActive, "gældende": isms.StatusActive, "ja": isms.StatusActive, "yes": isms.StatusActive,
		"kladde": isms.StatusDraft, "draft": isms.StatusDraft, "udkast": isms.StatusDraft, "planlagt": isms.StatusDraft,
		"planned": isms.StatusDraft, "ny": isms.StatusDraft,
		"udgået": isms.StatusRetired, "retired": isms.StatusRetired, "nedlagt": isms.StatusRetired, "ophørt": isms.StatusRetired,
		"inaktiv": isms.StatusRetired, "inactive": isms.StatusRetired, "udfaset": isms.StatusRetired, "decommissioned": isms.StatusRetired,
		"nej": isms.StatusRetired, "no": isms.StatusRetired, "arkiveret": isms.StatusRetired, "archived": isms.StatusRetired,
	}
	for _, st := range isms.EntryStatuses {
		m[string(st)] = st
	}
	return m
}()

// regList splits a cell listing several names ("IT-chef; DPO", one a
// line), without empty ones.
func regList(cell string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(cell, func(r rune) bool { return r == ';' || r == '\n' || r == ',' || r == '|' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// regSameID reports whether two optional ids are the same.
func regSameID(x, y *int64) bool { return (x == nil && y == nil) || (x != nil && y != nil && *x == *y) }

// regSameLevel reports whether two optional levels are the same.
func regSameLevel(x, y *isms.Level) bool {
	return (x == nil && y == nil) || (x != nil && y != nil && *x == *y)
}
