package sqlstore

import (
	"slices"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// Import of a threat catalogue (guide 2.3). A row matches a threat the
// organisation can assess by its Danish or English name: one of the
// organisation's own, which it updates, or one of the catalogue that ships
// with the product, which is read-only and so skipped (the risk import
// then finds it by that name). Otherwise the row adds a threat to the
// organisation's catalogue named in the row, or to its first own
// catalogue; a catalogue that does not exist yet is made with the import.
// A new threat needs a group and the properties it affects: without them
// it is imported as an organisational threat affecting all three, with a
// warning, to be corrected in the catalogue.

// threatGroupWords are the threat groups as catalogues write them.
var threatGroupWords = func() map[string]string {
	m := map[string]string{
		"bevidst": "malicious", "bevidsteangreb": "malicious", "angreb": "malicious", "malicious": "malicious", "deliberate": "malicious",
		"deliberateattacks": "malicious", "cyber": "malicious", "cyberangreb": "malicious", "kriminalitet": "malicious", "crime": "malicious",
		"ondsindet": "malicious", "tilsigtet": "malicious", "intentional": "malicious",
		"menneskelig": "human", "menneskeligeforhold": "human", "menneskeligfejl": "human", "human": "human", "humanfactors": "human",
		"humanerror": "human", "utilsigtet": "human", "accidental": "human", "fejl": "human",
		"teknisk": "technical", "tekniskefejl": "technical", "technical": "technical", "teknik": "technical", "sårbarhed": "technical",
		"vulnerability": "technical", "technicalfailure": "technical", "it": "technical",
		"fysisk": "physical", "fysiske": "physical", "physical": "physical", "miljø": "physical", "environmental": "physical",
		"fysiskeogmiljømæssigeforhold": "physical", "naturkatastrofe": "physical", "natural": "physical",
		"leverandør": "supplier", "leverandører": "supplier", "supplier": "supplier", "suppliers": "supplier", "tredjepart": "supplier",
		"thirdparty": "supplier", "infrastruktur": "supplier", "infrastructure": "supplier",
		"organisatorisk": "organisational", "organisatoriske": "organisational", "organisational": "organisational",
		"organizational": "organisational", "juridisk": "organisational", "legal": "organisational", "compliance": "organisational",
	}
	for _, g := range isms.ThreatGroups {
		m[g] = g
		for _, lang := range []string{"da", "en"} {
			m[regWordKey(i18n.T(lang, i18n.Key("risk.threat_group."+g)))] = g
		}
	}
	return m
}()

// threatParseAffects reads the properties a threat affects: "F, I, T",
// "CIA", "Fortrolighed; Tilgængelighed", "ja" for all three.
func threatParseAffects(cell string) (isms.Affects, bool) {
	var a isms.Affects
	switch regWordKey(cell) {
	case "alle", "all", "ja", "yes", "alletre", "allthree":
		return isms.Affects{Confidentiality: true, Integrity: true, Availability: true}, true
	}
	words := strings.FieldsFunc(strings.ToLower(cell), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r == 'æ' || r == 'ø' || r == 'å')
	})
	if len(words) == 0 {
		return a, false
	}
	for _, w := range words {
		switch w {
		case "c", "f", "k", "confidentiality", "fortrolighed", "konfidentialitet":
			a.Confidentiality = true
		case "i", "integrity", "integritet":
			a.Integrity = true
		case "a", "t", "availability", "tilgængelighed":
			a.Availability = true
		default:
			// Letters run together: "CIA", "FIT", "CA".
			if len(w) > 3 || strings.Trim(w, "cfiat") != "" {
				return a, false
			}
			for _, r := range w {
				switch r {
				case 'c', 'f':
					a.Confidentiality = true
				case 'i':
					a.Integrity = true
				case 'a', 't':
					a.Availability = true
				}
			}
		}
	}
	return a, true
}

// threatImportRecord is a threat as the import compares it.
type threatImportRecord struct {
	t  *isms.Threat
	in isms.ThreatInput
}

// threatResolveSheet checks a threat catalogue.
func (tx *Tx) threatResolveSheet(orgID int64, a isms.Access, s *isms.RegisterSheet) (*regResolved, error) {
	pv := regPreview(s)
	res := &regResolved{pv: pv, store: map[int]regStore{}}
	if !s.Has("name") {
		pv.Problems = append(pv.Problems, isms.ImportProblem{Field: "name", Message: isms.Msg("rimp.err.missing_column", "rimp.threat.name")})
	}
	threats, err := tx.threats(orgID, isms.ThreatFilter{})
	if err != nil {
		return nil, err
	}
	byName := map[string][]*threatImportRecord{}
	for _, t := range threats {
		x := &threatImportRecord{t: t, in: isms.ThreatInput{CatalogueID: t.CatalogueID, Group: t.Group, NameDA: t.NameDA, NameEN: t.NameEN,
			DescriptionDA: t.DescriptionDA, DescriptionEN: t.DescriptionEN, Affects: t.Affects, AssetKinds: slices.Clone(t.AssetKinds),
			Status: t.Status, Version: t.Version}}
		keys := []string{isms.CompareKey(t.NameDA)}
		if k := isms.CompareKey(t.NameEN); k != "" && k != keys[0] {
			keys = append(keys, k)
		}
		for _, k := range keys {
			if k != "" {
				byName[k] = append(byName[k], x)
			}
		}
	}
	cats, err := tx.threatCataloguesOwn(orgID)
	if err != nil {
		return nil, err
	}
	// A catalogue the file names that does not exist yet is made once, by
	// the first row that needs it.
	made := map[string]int64{}
	catalogue := func(name string) (int64, error) {
		if id, ok := made[isms.CompareKey(name)]; ok {
			return id, nil
		}
		c, err := tx.createThreatCatalogue(orgID, isms.ThreatCatalogueInput{Name: name})
		if err != nil {
			return 0, err
		}
		made[isms.CompareKey(name)] = c.ID
		return c.ID, nil
	}
	defaultCatalogue := ""
	if len(cats) == 0 {
		defaultCatalogue = i18n.T(tx.lang, "rimp.threat.own_catalogue")
	}
	seen := map[string]int{}
	announced := map[string]bool{} // the new catalogues a row's warning named
	for _, sr := range s.Rows {
		c := sr.Cells
		r := isms.RegisterImportRow{Row: sr.Row, Name: strings.TrimSpace(c["name"])}
		if regNUL(pv, s, &r, c, isms.ThreatSheetFields) {
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
		if key == "" {
			key = isms.CompareKey(c["name_en"])
			r.Name = strings.TrimSpace(c["name_en"])
		}
		var match *threatImportRecord
		switch xs := byName[key]; {
		case key == "":
			refuse("name", "err.required")
		case len(xs) > 1:
			// The organisation's own before the shipped one of that name.
			own := slices.DeleteFunc(slices.Clone(xs), func(x *threatImportRecord) bool { return x.t.Builtin })
			if len(own) == 1 {
				match = own[0]
			} else {
				refuse("name", "rimp.err.threat_ambiguous", r.Name, len(xs))
			}
		case len(xs) == 1:
			match = xs[0]
		}
		if first, ok := seen[key]; ok && key != "" {
			refuse("name", "rimp.err.duplicate_row", first)
		} else if key != "" {
			seen[key] = sr.Row
		}
		if r.Outcome == isms.OutcomeRefused {
			pv.Rows = append(pv.Rows, r)
			continue
		}
		if match != nil && match.t.Builtin {
			r.RecordID, r.Outcome, r.Detail = &match.t.ID, isms.OutcomeSkipped, match.t.CatalogueName
			warn("name", "rimp.warn.threat_builtin")
			pv.Rows = append(pv.Rows, r)
			continue
		}
		var in isms.ThreatInput
		if match != nil {
			in = match.in
			in.AssetKinds = slices.Clone(match.in.AssetKinds)
			r.RecordID = &match.t.ID
		} else {
			in = isms.ThreatInput{NameDA: strings.TrimSpace(c["name"]), Status: isms.StatusActive}
		}
		set := func(field string, dst *string) {
			if v := strings.TrimSpace(c[field]); v != "" {
				*dst = v
			}
		}
		set("name_en", &in.NameEN)
		set("description", &in.DescriptionDA)
		set("description_en", &in.DescriptionEN)
		if v := c["group"]; v != "" {
			if g, ok := regWord(threatGroupWords, v); ok {
				in.Group = g
			} else {
				refuse("group", "rimp.err.threat_group", v)
			}
		} else if match == nil {
			in.Group = "organisational"
			warn("group", "rimp.warn.threat_group")
		}
		if v := c["affects"]; v != "" {
			if af, ok := threatParseAffects(v); ok && (af.Confidentiality || af.Integrity || af.Availability) {
				in.Affects = af
			} else {
				refuse("affects", "rimp.err.threat_affects", v)
			}
		} else if match == nil {
			in.Affects = isms.Affects{Confidentiality: true, Integrity: true, Availability: true}
			warn("affects", "rimp.warn.threat_affects")
		}
		if v := c["asset_kinds"]; v != "" {
			var kinds []isms.AssetKind
			for _, w := range regList(v) {
				if regWordKey(w) == "alle" || regWordKey(w) == "all" {
					kinds = nil
					break
				}
				k, ok := regWord(assetKindWords, w)
				if !ok {
					refuse("asset_kinds", "rimp.err.asset_kind", w)
					break
				}
				if !slices.Contains(kinds, k) {
					kinds = append(kinds, k)
				}
			}
			in.AssetKinds = kinds
		}
		if v := c["status"]; v != "" {
			if st, ok := regWord(regStatusWords, v); ok {
				in.Status = st
			} else {
				refuse("status", "rimp.err.entry_status", v)
			}
		}
		// The catalogue: the one named, else the threat's own, else the
		// organisation's first.
		newCatalogue := ""
		if v := strings.TrimSpace(c["catalogue"]); v != "" {
			found := false
			for _, cat := range cats {
				if isms.CompareKey(cat.Name) == isms.CompareKey(v) {
					in.CatalogueID, found = cat.ID, true
				}
			}
			if !found {
				newCatalogue = v
			}
		} else if match == nil {
			if len(cats) > 0 {
				in.CatalogueID = cats[0].ID
			} else {
				newCatalogue = defaultCatalogue
			}
		}
		if newCatalogue != "" {
			if len([]rune(newCatalogue)) > 200 {
				refuse("catalogue", "err.too_long", 200)
			}
			if k := isms.CompareKey(newCatalogue); !announced[k] && r.Outcome != isms.OutcomeRefused {
				announced[k] = true
				warn("catalogue", "rimp.warn.threat_new_catalogue", newCatalogue)
			}
		}
		check := in
		if newCatalogue != "" && len(cats) > 0 {
			check.CatalogueID = cats[0].ID // the new one is checked when made
		}
		if err := tx.validateThreat(orgID, &check); err != nil {
			e := isms.AsError(err)
			if e == nil {
				return nil, err
			}
			for _, fe := range e.Fields {
				if fe.Field == "catalogue_id" && newCatalogue != "" {
					continue
				}
				if col := threatFieldColumn(fe.Field); !named[col] {
					refuse(col, fe.Key, fe.Args...) // a cell already refused is named once
				}
			}
		}
		check.CatalogueID = in.CatalogueID
		in = check
		r.Detail = i18n.T(tx.lang, i18n.Key("risk.threat_group."+in.Group))
		if r.Outcome == isms.OutcomeRefused {
			pv.Rows = append(pv.Rows, r)
			continue
		}
		row := sr.Row
		store := func(id int64) (int64, error) {
			if newCatalogue != "" {
				cid, err := catalogue(newCatalogue)
				if err != nil {
					return 0, err
				}
				in.CatalogueID = cid
			}
			if id == 0 {
				t, err := tx.createThreat(orgID, in)
				if err != nil {
					return 0, err
				}
				return t.ID, nil
			}
			return id, tx.threatImportUpdate(orgID, id, in, s.Filename, row)
		}
		if match == nil {
			r.Outcome = isms.OutcomeCreated
			res.store[len(pv.Rows)] = func() (int64, error) { return store(0) }
		} else {
			r.Changes = threatChanges(match.in, in, newCatalogue != "")
			if len(r.Changes) == 0 {
				r.Outcome = isms.OutcomeSkipped
			} else {
				r.Outcome = isms.OutcomeUpdated
				id := match.t.ID
				res.store[len(pv.Rows)] = func() (int64, error) { return store(id) }
			}
		}
		pv.Rows = append(pv.Rows, r)
	}
	return res, nil
}

func threatFieldColumn(field string) string {
	switch field {
	case "threat_group":
		return "group"
	case "threat_name_da":
		return "name"
	case "threat_name_en":
		return "name_en"
	case "threat_description_da":
		return "description"
	case "threat_description_en":
		return "description_en"
	case "catalogue_id":
		return "catalogue"
	}
	return field
}

// threatChanges names the fields that differ.
func threatChanges(a, b isms.ThreatInput, newCatalogue bool) []string {
	var out []string
	for _, f := range []struct {
		name string
		same bool
	}{{"name", a.NameDA == b.NameDA}, {"name_en", a.NameEN == b.NameEN}, {"group", a.Group == b.Group},
		{"description", a.DescriptionDA == b.DescriptionDA}, {"description_en", a.DescriptionEN == b.DescriptionEN},
		{"affects", a.Affects == b.Affects}, {"asset_kinds", slices.Equal(a.AssetKinds, b.AssetKinds)}, {"status", a.Status == b.Status},
		{"catalogue", a.CatalogueID == b.CatalogueID && !newCatalogue}} {
		if !f.same {
			out = append(out, f.name)
		}
	}
	return out
}

// threatImportUpdate changes one of the organisation's threats from a row.
func (tx *Tx) threatImportUpdate(orgID, id int64, in isms.ThreatInput, filename string, row int) error {
	before, err := tx.threat(orgID, id)
	if err != nil {
		return err
	}
	af := in.Affects
	if _, err := tx.exec(`UPDATE threats SET catalogue_id = ?, threat_group = ?, name_da = ?, name_en = ?, description_da = ?,
		description_en = ?, affects_c = ?, affects_i = ?, affects_a = ?, asset_kinds = ?, status = ?, version = version + 1, updated_at = ?
		WHERE organisation_id = ? AND id = ?`,
		in.CatalogueID, in.Group, in.NameDA, in.NameEN, strings.TrimSpace(in.DescriptionDA), strings.TrimSpace(in.DescriptionEN),
		b2i(af.Confidentiality), b2i(af.Integrity), b2i(af.Availability), threatKindsArg(in.AssetKinds), in.Status, ts(tx.now), orgID, id); err != nil {
		return err
	}
	return regImportAudit(tx, orgID, "import_update", typeThreat, id, before, tx.threat, filename, row)
}

// threatCataloguesOwn lists the organisation's own threat catalogues,
// oldest first.
func (tx *Tx) threatCataloguesOwn(orgID int64) ([]*isms.ThreatCatalogue, error) {
	return queryAll(tx, scanThreatCatalogue, "SELECT "+threatCatalogueColumns+" FROM threat_catalogues c WHERE c.organisation_id = ? ORDER BY c.id", orgID)
}

// createThreatCatalogue adds a catalogue of the organisation's own with
// its audit event; the caller checked the role.
func (tx *Tx) createThreatCatalogue(orgID int64, in isms.ThreatCatalogueInput) (*isms.ThreatCatalogue, error) {
	if err := validateThreatCatalogue(&in); err != nil {
		return nil, err
	}
	now := ts(tx.now)
	id, err := tx.insert(`INSERT INTO threat_catalogues (organisation_id, name, description, version, created_at, updated_at)
		VALUES (?, ?, ?, 1, ?, ?)`, orgID, in.Name, strings.TrimSpace(in.Description), now, now)
	if err != nil {
		return nil, err
	}
	return audited(tx, tx.threatCatalogue, orgID, "import_create", typeThreatCatalogue, id, nil)
}
