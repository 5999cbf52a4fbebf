package sqlstore

import (
	"database/sql"
	"encoding/json"
	"slices"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// Import of an asset list (guide 2.3). A row matches the asset of the
// register with the same name, which it updates; otherwise it adds a
// supporting asset (hardware, software, a location, a supplier, a person).
// The primary assets are the business overview's processes, information
// and systems: a row naming one sets only what risk management adds to it
// (an owner of its own, criticality and needs), and a row of a primary
// kind that matches none is refused, since such an asset is made in the
// business overview. Cells left empty keep what the register says.

// assetKindWords are asset kinds as lists write them, besides the
// product's own names in both languages.
var assetKindWords = func() map[string]isms.AssetKind {
	m := map[string]isms.AssetKind{
		"proces": isms.AssetProcess, "process": isms.AssetProcess, "forretningsproces": isms.AssetProcess, "arbejdsgang": isms.AssetProcess,
		"information": isms.AssetInformation, "data": isms.AssetInformation, "informationsaktiv": isms.AssetInformation, "oplysninger": isms.AssetInformation,
		"system": isms.AssetSystem, "itsystem": isms.AssetSystem, "applikation": isms.AssetSystem, "application": isms.AssetSystem, "fagsystem": isms.AssetSystem,
		"hardware": isms.AssetHardware, "udstyr": isms.AssetHardware, "equipment": isms.AssetHardware, "server": isms.AssetHardware,
		"netværk": isms.AssetHardware, "network": isms.AssetHardware, "infrastruktur": isms.AssetHardware, "infrastructure": isms.AssetHardware,
		"software": isms.AssetSoftware, "program": isms.AssetSoftware, "programmel": isms.AssetSoftware, "platform": isms.AssetSoftware,
		"lokalitet": isms.AssetLocation, "location": isms.AssetLocation, "bygning": isms.AssetLocation, "building": isms.AssetLocation,
		"lokale": isms.AssetLocation, "site": isms.AssetLocation, "datacenter": isms.AssetLocation, "fysisk": isms.AssetLocation,
		"leverandør": isms.AssetSupplier, "supplier": isms.AssetSupplier, "vendor": isms.AssetSupplier, "tjeneste": isms.AssetSupplier,
		"service": isms.AssetSupplier, "cloud": isms.AssetSupplier, "cloudtjeneste": isms.AssetSupplier,
		"person": isms.AssetPerson, "rolle": isms.AssetPerson, "role": isms.AssetPerson, "medarbejder": isms.AssetPerson,
		"personale": isms.AssetPerson, "staff": isms.AssetPerson, "nøgleperson": isms.AssetPerson, "keyperson": isms.AssetPerson,
		"personellerrolle": isms.AssetPerson,
	}
	for _, k := range isms.AssetKinds {
		m[regWordKey(string(k))] = k
		for _, lang := range []string{"da", "en"} {
			m[regWordKey(i18n.T(lang, i18n.Key("risk.asset_kind."+string(k))))] = k
		}
	}
	return m
}()

// assetImportRecord is an asset as the import compares it: what is the
// asset row's own, not what it derives from its entry.
type assetImportRecord struct {
	id          int64
	primary     bool
	kind        isms.AssetKind
	name        string
	description string
	owner       *int64 // the effective owner: the asset's own, else its entry's
	ownOwner    *int64 // the asset's own
	status      isms.EntryStatus
	crit        *isms.Level
	c, i, a     *isms.Level
	supports    []int64
}

func levelPtr(n sql.NullInt64) *isms.Level {
	if !n.Valid {
		return nil
	}
	l := isms.Level(n.Int64)
	return &l
}

// assetImportRecords reads the register as the import compares it.
func (tx *Tx) assetImportRecords(orgID int64) (map[int64]*assetImportRecord, []*assetImportRecord, error) {
	byID := map[int64]*assetImportRecord{}
	var all []*assetImportRecord
	err := tx.queryEach(`SELECT a.id, a.kind, a.entry_id, COALESCE(e.name, a.name), COALESCE(e.description, a.description), COALESCE(a.owner_id, e.owner_id),
		a.owner_id, `+assetStatusSQL+`, a.criticality, a.need_c, a.need_i, a.need_a
		FROM assets a LEFT JOIN overview_entries e ON e.id = a.entry_id AND e.organisation_id = a.organisation_id
		WHERE a.organisation_id = ? ORDER BY a.id`, []any{orgID}, func(row scanner) error {
		x := &assetImportRecord{}
		var kind, status string
		var entry, owner, own, crit, c, i, a sql.NullInt64
		if err := row.Scan(&x.id, &kind, &entry, &x.name, &x.description, &owner, &own, &status, &crit, &c, &i, &a); err != nil {
			return err
		}
		x.kind, x.primary, x.status = isms.AssetKind(kind), entry.Valid, isms.EntryStatus(status)
		x.owner, x.ownOwner = int64Ptr(owner), int64Ptr(own)
		x.crit, x.c, x.i, x.a = levelPtr(crit), levelPtr(c), levelPtr(i), levelPtr(a)
		byID[x.id] = x
		all = append(all, x)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	err = tx.queryEach("SELECT from_id, to_id FROM record_links WHERE organisation_id = ? AND from_type = 'asset' AND to_type = 'asset' ORDER BY to_id",
		[]any{orgID}, func(row scanner) error {
			var from, to int64
			if err := row.Scan(&from, &to); err != nil {
				return err
			}
			if x := byID[from]; x != nil {
				x.supports = append(x.supports, to)
			}
			return nil
		})
	return byID, all, err
}

// assetResolveSheet checks an asset list.
func (tx *Tx) assetResolveSheet(orgID int64, a isms.Access, s *isms.RegisterSheet) (*regResolved, error) {
	pv := regPreview(s)
	res := &regResolved{pv: pv, store: map[int]regStore{}}
	if !s.Has("name") {
		pv.Problems = append(pv.Problems, isms.ImportProblem{Field: "name", Message: isms.Msg("rimp.err.missing_column", "rimp.asset.name")})
	}
	byID, all, err := tx.assetImportRecords(orgID)
	if err != nil {
		return nil, err
	}
	byName := map[string][]*assetImportRecord{}
	primaries := map[string][]int64{}
	for _, x := range all {
		k := isms.CompareKey(x.name)
		byName[k] = append(byName[k], x)
		if x.primary {
			primaries[k] = append(primaries[k], x.id)
		}
	}
	people, err := tx.importPeople(orgID)
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for _, sr := range s.Rows {
		c := sr.Cells
		r := isms.RegisterImportRow{Row: sr.Row, Name: strings.TrimSpace(c["name"])}
		if regNUL(pv, s, &r, c, isms.AssetSheetFields) {
			pv.Rows = append(pv.Rows, r)
			continue
		}
		named := map[string]bool{}
		refuse := func(field, key string, args ...any) {
			named[field] = true
			regRefuse(pv, s, &r, field, key, args...)
		}
		warn := func(field, key string, args ...any) { regWarn(pv, s, &r, field, key, args...) }
		key := isms.CompareKey(r.Name)
		var match *assetImportRecord
		switch xs := byName[key]; {
		case r.Name == "":
			refuse("name", "err.required")
		case len(xs) > 1:
			refuse("name", "rimp.err.asset_ambiguous", r.Name, len(xs))
		case len(xs) == 1:
			match = xs[0]
		}
		if first, ok := seen[key]; ok && r.Name != "" {
			refuse("name", "rimp.err.duplicate_row", first)
		} else if r.Name != "" {
			seen[key] = sr.Row
		}
		if r.Outcome == isms.OutcomeRefused {
			pv.Rows = append(pv.Rows, r)
			continue
		}
		// The asset as the row would leave it.
		var x assetImportRecord
		if match != nil {
			x = *match
			x.supports = slices.Clone(match.supports)
			r.RecordID = &match.id
		} else {
			x = assetImportRecord{name: r.Name, status: isms.StatusActive}
		}
		if v := c["kind"]; v != "" {
			k, ok := regWord(assetKindWords, v)
			switch {
			case !ok:
				refuse("kind", "rimp.err.asset_kind", v)
			case match == nil && k.Primary():
				refuse("kind", "rimp.err.asset_primary_new", r.Name)
			case match == nil || !match.primary:
				x.kind = k
			}
		} else if match == nil {
			refuse("kind", "rimp.err.asset_kind_required")
		}
		if match != nil && match.primary {
			// The business overview's to change: said once, not refused.
			if v := c["description"]; v != "" && v != match.description {
				warn("description", "rimp.warn.asset_primary_kept", i18n.Key("rimp.asset.description"))
			}
		} else {
			if v := c["description"]; v != "" {
				x.description = v
			}
			if v := c["status"]; v != "" {
				if st, ok := regWord(regStatusWords, v); ok {
					x.status = st
				} else {
					refuse("status", "rimp.err.entry_status", v)
				}
			}
			if v := c["supports"]; v != "" {
				var ids []int64
				for _, n := range regList(v) {
					switch ps := primaries[isms.CompareKey(n)]; len(ps) {
					case 1:
						if !slices.Contains(ids, ps[0]) {
							ids = append(ids, ps[0])
						}
					default:
						warn("supports", "rimp.warn.asset_supports_unknown", n)
					}
				}
				slices.Sort(ids)
				x.supports = ids
			}
		}
		if v := c["owner"]; v != "" {
			if id := regOwner(pv, s, &r, people, v); id != nil && !regSameID(id, x.owner) {
				x.owner, x.ownOwner = id, id
			}
		}
		for _, lv := range []struct {
			field string
			dst   **isms.Level
		}{{"criticality", &x.crit}, {"confidentiality", &x.c}, {"integrity", &x.i}, {"availability", &x.a}} {
			v := c[lv.field]
			if v == "" {
				continue
			}
			l, ok := regLevel(v)
			if !ok {
				refuse(lv.field, "rimp.err.level", v, int(isms.MaxLevel))
				continue
			}
			if l == 0 {
				*lv.dst = nil // derived again
			} else {
				*lv.dst = &l
			}
		}
		if r.Outcome == isms.OutcomeRefused {
			pv.Rows = append(pv.Rows, r)
			continue
		}
		// The form's checks, and who may: a contributor only assets they
		// own, before and after.
		in := isms.AssetInput{Kind: x.kind, Name: x.name, Description: x.description, OwnerID: x.ownOwner, Status: x.status,
			Criticality: x.crit, Confidentiality: x.c, Integrity: x.i, Availability: x.a, Supports: x.supports}
		if err := tx.validateAsset(orgID, match != nil && match.primary, &in); err != nil {
			e := isms.AsError(err)
			if e == nil {
				return nil, err
			}
			for _, fe := range e.Fields {
				if col := assetFieldColumn(fe.Field); !named[col] {
					refuse(col, fe.Key, fe.Args...) // a cell already refused is named once
				}
			}
		}
		owners := []*int64{x.owner}
		if match != nil {
			owners = append(owners, match.owner)
		}
		for _, owner := range owners {
			if err := a.CheckEdit(tx.actor.UserID, owner); r.Outcome != isms.OutcomeRefused && err != nil {
				refuse("owner", isms.AsError(err).Key)
			}
		}
		if x.kind != "" {
			r.Detail = i18n.T(tx.lang, i18n.Key("risk.asset_kind."+string(x.kind)))
		}
		if r.Outcome == isms.OutcomeRefused {
			pv.Rows = append(pv.Rows, r)
			continue
		}
		row := sr.Row
		if match == nil {
			r.Outcome = isms.OutcomeCreated
			res.store[len(pv.Rows)] = func() (int64, error) { return tx.assetImportCreate(orgID, in, s.Filename, row) }
		} else if r.Changes = assetChanges(match, &x); len(r.Changes) == 0 {
			r.Outcome = isms.OutcomeSkipped
		} else {
			r.Outcome = isms.OutcomeUpdated
			before := byID[match.id]
			res.store[len(pv.Rows)] = func() (int64, error) {
				return before.id, tx.assetImportUpdate(orgID, before.id, before.primary, in, s.Filename, row)
			}
		}
		pv.Rows = append(pv.Rows, r)
	}
	return res, nil
}

// assetFieldColumn is the sheet's field for a field of the asset's
// validation.
func assetFieldColumn(field string) string {
	switch field {
	case "owner_id":
		return "owner"
	case "asset_kind":
		return "kind"
	case "need_confidentiality":
		return "confidentiality"
	case "need_integrity":
		return "integrity"
	case "need_availability":
		return "availability"
	}
	return field
}

// assetChanges names the fields that differ.
func assetChanges(a, b *assetImportRecord) []string {
	var out []string
	for _, f := range []struct {
		name string
		same bool
	}{{"name", a.name == b.name}, {"kind", a.kind == b.kind}, {"description", a.description == b.description},
		{"owner", regSameID(a.owner, b.owner)}, {"status", a.status == b.status}, {"criticality", regSameLevel(a.crit, b.crit)},
		{"confidentiality", regSameLevel(a.c, b.c)}, {"integrity", regSameLevel(a.i, b.i)}, {"availability", regSameLevel(a.a, b.a)},
		{"supports", slices.Equal(a.supports, b.supports)}} {
		if !f.same {
			out = append(out, f.name)
		}
	}
	return out
}

// assetImportCreate stores a new supporting asset from a row.
func (tx *Tx) assetImportCreate(orgID int64, in isms.AssetInput, filename string, row int) (int64, error) {
	now := ts(tx.now)
	id, err := tx.insert(`INSERT INTO assets (organisation_id, kind, entry_id, name, description, owner_id, status, criticality,
		need_c, need_i, need_a, version, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		orgID, in.Kind, in.Name, strings.TrimSpace(in.Description), nullInt(in.OwnerID), in.Status, riskLevelArg(in.Criticality),
		riskLevelArg(in.Confidentiality), riskLevelArg(in.Integrity), riskLevelArg(in.Availability), now, now)
	if err != nil {
		return 0, err
	}
	if err := tx.setLinks(orgID, typeAsset, id, typeAsset, in.Supports, false); err != nil {
		return 0, err
	}
	return id, regImportAudit(tx, orgID, "import_create", typeAsset, id, nil, tx.asset, filename, row)
}

// assetImportUpdate changes an asset from a row; of a primary asset only
// what risk management adds.
func (tx *Tx) assetImportUpdate(orgID, id int64, primary bool, in isms.AssetInput, filename string, row int) error {
	before, err := tx.asset(orgID, id)
	if err != nil {
		return err
	}
	if primary {
		_, err = tx.exec(`UPDATE assets SET owner_id = ?, criticality = ?, need_c = ?, need_i = ?, need_a = ?, version = version + 1,
			updated_at = ? WHERE organisation_id = ? AND id = ?`, nullInt(in.OwnerID), riskLevelArg(in.Criticality),
			riskLevelArg(in.Confidentiality), riskLevelArg(in.Integrity), riskLevelArg(in.Availability), ts(tx.now), orgID, id)
	} else {
		_, err = tx.exec(`UPDATE assets SET kind = ?, name = ?, description = ?, owner_id = ?, status = ?, criticality = ?, need_c = ?,
			need_i = ?, need_a = ?, version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			in.Kind, in.Name, strings.TrimSpace(in.Description), nullInt(in.OwnerID), in.Status, riskLevelArg(in.Criticality),
			riskLevelArg(in.Confidentiality), riskLevelArg(in.Integrity), riskLevelArg(in.Availability), ts(tx.now), orgID, id)
		if err == nil {
			err = tx.setLinks(orgID, typeAsset, id, typeAsset, in.Supports, false)
		}
	}
	if err != nil {
		return err
	}
	return regImportAudit(tx, orgID, "import_update", typeAsset, id, before, tx.asset, filename, row)
}

// regImportAudit records a record an import created or changed, as the
// record reads after the change, naming the file and row it came from.
func regImportAudit[T any](tx *Tx, orgID int64, action, recordType string, id int64, before any, read func(orgID, id int64) (T, error),
	filename string, row int) error {
	after, err := read(orgID, id)
	if err != nil {
		return err
	}
	b, err := json.Marshal(after)
	if err != nil {
		return err
	}
	rec := map[string]any{}
	if err := json.Unmarshal(b, &rec); err != nil {
		return err
	}
	rec["imported_from"], rec["row"] = filename, row
	return tx.audit(orgID, action, recordType, id, before, rec)
}
