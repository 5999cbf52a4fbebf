package sqlstore

import (
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// Import of the business overview's registers (guide 2.1): the
// business-critical processes, information, IT systems and competences,
// the internal and external stakeholders and the external factors. A
// sheet may hold several registers with a column naming each row's, or
// one register whose name column says which ("IT-system"). A row matches
// the entry of its register with the same name, which it updates;
// otherwise it adds one. A process, information or system entry is an
// asset of the risk assessment from the moment it exists, as when it is
// added by hand. Cells left empty keep what the register says.

// entryKindWords are the registers as spreadsheets name them.
var entryKindWords = func() map[string]isms.EntryKind {
	m := map[string]isms.EntryKind{
		"proces": isms.KindProcess, "processer": isms.KindProcess, "process": isms.KindProcess, "processes": isms.KindProcess,
		"forretningsproces": isms.KindProcess, "arbejdsgang": isms.KindProcess, "businessprocess": isms.KindProcess,
		"information": isms.KindInformation, "informationer": isms.KindInformation, "data": isms.KindInformation,
		"informationstype": isms.KindInformation, "oplysninger": isms.KindInformation,
		"system": isms.KindSystem, "systemer": isms.KindSystem, "itsystem": isms.KindSystem, "itsystemer": isms.KindSystem,
		"systems": isms.KindSystem, "fagsystem": isms.KindSystem, "applikation": isms.KindSystem, "application": isms.KindSystem,
		"kompetence": isms.KindCompetence, "kompetencer": isms.KindCompetence, "competence": isms.KindCompetence,
		"medarbejderkompetence": isms.KindCompetence, "staffcompetence": isms.KindCompetence, "skill": isms.KindCompetence,
		"interninteressent": isms.KindInternalStakeholder, "interneinteressenter": isms.KindInternalStakeholder,
		"internalstakeholder": isms.KindInternalStakeholder, "intern": isms.KindInternalStakeholder, "internal": isms.KindInternalStakeholder,
		"eksterntforhold": isms.KindExternalFactor, "eksterneforhold": isms.KindExternalFactor, "externalfactor": isms.KindExternalFactor,
		"eksternfaktor": isms.KindExternalFactor, "lovkrav": isms.KindExternalFactor, "krav": isms.KindExternalFactor,
		"eksterninteressent": isms.KindExternalStakeholder, "eksterneinteressenter": isms.KindExternalStakeholder,
		"externalstakeholder": isms.KindExternalStakeholder, "ekstern": isms.KindExternalStakeholder, "external": isms.KindExternalStakeholder,
	}
	for _, k := range isms.EntryKinds {
		m[regWordKey(string(k))] = k
		for _, lang := range []string{"da", "en"} {
			m[regWordKey(i18n.T(lang, i18n.Key("kind."+string(k))))] = k
		}
	}
	return m
}()

// factorCategoryWords are the kinds of external factor as registers write
// them.
var factorCategoryWords = func() map[string]string {
	m := map[string]string{
		"lov": "law", "lovgivning": "law", "bekendtgørelse": "law", "forordning": "law", "regulation": "law", "legislation": "law",
		"gdpr": "law", "nis2": "law", "kontrakt": "contract", "aftale": "contract", "agreement": "contract",
		"leverandøraftale": "supplier_agreement", "databehandleraftale": "supplier_agreement", "dpa": "supplier_agreement",
		"internationalaftale": "international_agreement", "konvention": "international_agreement", "treaty": "international_agreement",
		"andet": "other", "øvrigt": "other", "other": "other", "standard": "other",
	}
	for _, c := range isms.FactorCategories {
		m[regWordKey(c)] = c
		for _, lang := range []string{"da", "en"} {
			m[regWordKey(i18n.T(lang, i18n.Key("category."+c)))] = c
		}
	}
	return m
}()

// overviewResolveSheet checks entries of the business overview.
func (tx *Tx) overviewResolveSheet(orgID int64, a isms.Access, s *isms.RegisterSheet) (*regResolved, error) {
	pv := regPreview(s)
	// A business-critical entry is an asset from the moment it exists:
	// the new and renamed entries are adopted once, after the rows.
	res := &regResolved{pv: pv, store: map[int]regStore{}, after: func() error { return tx.riskAdoptEntries(orgID) }}
	if !s.Has("name") {
		pv.Problems = append(pv.Problems, isms.ImportProblem{Field: "name", Message: isms.Msg("rimp.err.missing_column", "rimp.overview.name")})
	}
	entries, err := queryAll(tx, scanEntry, "SELECT "+entryColumns+entryFrom+" WHERE e.organisation_id = ? ORDER BY e.id", orgID)
	if err != nil {
		return nil, err
	}
	byKey := map[string][]*isms.OverviewEntry{}  // kind + name
	byName := map[string][]*isms.OverviewEntry{} // name alone
	for _, e := range entries {
		k := isms.CompareKey(e.Name)
		byKey[string(e.Kind)+":"+k] = append(byKey[string(e.Kind)+":"+k], e)
		byName[k] = append(byName[k], e)
	}
	people, err := tx.importPeople(orgID)
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for _, sr := range s.Rows {
		c := sr.Cells
		r := isms.RegisterImportRow{Row: sr.Row, Name: strings.TrimSpace(c["name"])}
		if regNUL(pv, s, &r, c, isms.OverviewSheetFields) {
			pv.Rows = append(pv.Rows, r)
			continue
		}
		named := map[string]bool{}
		refuse := func(field, key string, args ...any) {
			named[field] = true
			regRefuse(pv, s, &r, field, key, args...)
		}
		warn := func(field, key string, args ...any) { regWarn(pv, s, &r, field, key, args...) }
		name := isms.CompareKey(r.Name)
		var kind isms.EntryKind
		if v := c["kind"]; v != "" {
			if k, ok := regWord(entryKindWords, v); ok {
				kind = k
			} else {
				refuse("kind", "rimp.err.entry_kind", v)
			}
		} else if xs := byName[name]; len(xs) == 1 {
			kind = xs[0].Kind // the one entry of that name, in whichever register
		} else if name != "" {
			refuse("kind", "rimp.err.entry_kind_required")
		}
		if name == "" {
			refuse("name", "err.required")
		}
		var match *isms.OverviewEntry
		key := string(kind) + ":" + name
		if r.Outcome != isms.OutcomeRefused {
			switch xs := byKey[key]; {
			case len(xs) > 1:
				refuse("name", "rimp.err.entry_ambiguous", r.Name, len(xs))
			case len(xs) == 1:
				match = xs[0]
			}
			if first, ok := seen[key]; ok {
				refuse("name", "rimp.err.duplicate_row", first)
			} else {
				seen[key] = sr.Row
			}
		}
		if r.Outcome == isms.OutcomeRefused {
			pv.Rows = append(pv.Rows, r)
			continue
		}
		var in isms.OverviewEntryInput
		if match != nil {
			in = isms.OverviewEntryInput{Kind: match.Kind, Category: match.Category, Name: match.Name, Description: match.Description,
				OwnerID: match.OwnerID, Status: match.Status, NextReview: match.NextReview, Requirements: match.Requirements}
			r.RecordID = &match.ID
		} else {
			in = isms.OverviewEntryInput{Kind: kind, Name: r.Name, Status: isms.StatusActive}
		}
		if v := strings.TrimSpace(c["description"]); v != "" {
			in.Description = v
		}
		if v := strings.TrimSpace(c["requirements"]); v != "" {
			in.Requirements.Text = v
		}
		if v := c["category"]; v != "" && kind == isms.KindExternalFactor {
			if cat, ok := regWord(factorCategoryWords, v); ok {
				in.Category = cat
			} else {
				refuse("category", "rimp.err.entry_category", v)
			}
		} else if kind == isms.KindExternalFactor && in.Category == "" {
			in.Category = "other"
			warn("category", "rimp.warn.entry_category")
		}
		if v := c["status"]; v != "" {
			if st, ok := regWord(regStatusWords, v); ok {
				in.Status = st
			} else {
				refuse("status", "rimp.err.entry_status", v)
			}
		}
		if v := c["next_review"]; v != "" {
			if d, ok := riskParseDate(v); ok {
				in.NextReview = &d
			} else {
				refuse("next_review", "rimp.err.date", v)
			}
		}
		for _, lv := range []struct {
			field string
			dst   *isms.Level
		}{{"confidentiality", &in.Requirements.Confidentiality}, {"integrity", &in.Requirements.Integrity},
			{"availability", &in.Requirements.Availability}} {
			if v := c[lv.field]; v != "" {
				if l, ok := regLevel(v); ok {
					*lv.dst = l
				} else {
					refuse(lv.field, "rimp.err.level", v, int(isms.MaxLevel))
				}
			}
		}
		if v := c["owner"]; v != "" {
			if id := regOwner(pv, s, &r, people, v); id != nil {
				in.OwnerID = id
			}
		}
		if match != nil {
			in.Links = match.Links
		}
		check := in
		if err := tx.validateEntry(orgID, &check); err != nil {
			e := isms.AsError(err)
			if e == nil {
				return nil, err
			}
			for _, fe := range e.Fields {
				if col := overviewFieldColumn(fe.Field); !named[col] {
					refuse(col, fe.Key, fe.Args...) // a cell already refused is named once
				}
			}
		}
		in = check
		if r.Outcome != isms.OutcomeRefused {
			owners := []*int64{in.OwnerID}
			if match != nil {
				owners = append(owners, match.OwnerID)
			}
			for _, owner := range owners {
				if err := a.CheckEdit(tx.actor.UserID, owner); r.Outcome != isms.OutcomeRefused && err != nil {
					refuse("owner", isms.AsError(err).Key)
				}
			}
		}
		r.Name, r.Detail = in.Name, i18n.T(tx.lang, i18n.Key("kind."+string(in.Kind)))
		if r.Outcome == isms.OutcomeRefused {
			pv.Rows = append(pv.Rows, r)
			continue
		}
		row := sr.Row
		if match == nil {
			r.Outcome = isms.OutcomeCreated
			res.store[len(pv.Rows)] = func() (int64, error) { return tx.overviewImportCreate(orgID, in, s.Filename, row) }
		} else if r.Changes = overviewChanges(match, in); len(r.Changes) == 0 {
			r.Outcome = isms.OutcomeSkipped
		} else {
			r.Outcome = isms.OutcomeUpdated
			id := match.ID
			res.store[len(pv.Rows)] = func() (int64, error) { return id, tx.overviewImportUpdate(orgID, id, in, s.Filename, row) }
		}
		pv.Rows = append(pv.Rows, r)
	}
	return res, nil
}

func overviewFieldColumn(field string) string {
	switch field {
	case "owner_id":
		return "owner"
	case "requirements.confidentiality":
		return "confidentiality"
	case "requirements.integrity":
		return "integrity"
	case "requirements.availability":
		return "availability"
	case "requirements.text":
		return "requirements"
	}
	return field
}

// overviewChanges names the fields that differ.
func overviewChanges(e *isms.OverviewEntry, in isms.OverviewEntryInput) []string {
	var out []string
	sameDate := (e.NextReview == nil && in.NextReview == nil) || (e.NextReview != nil && in.NextReview != nil && *e.NextReview == *in.NextReview)
	r := e.Requirements
	for _, f := range []struct {
		name string
		same bool
	}{{"name", e.Name == in.Name}, {"category", e.Category == in.Category}, {"description", e.Description == in.Description},
		{"owner", regSameID(e.OwnerID, in.OwnerID)}, {"status", e.Status == in.Status}, {"next_review", sameDate},
		{"confidentiality", r.Confidentiality == in.Requirements.Confidentiality}, {"integrity", r.Integrity == in.Requirements.Integrity},
		{"availability", r.Availability == in.Requirements.Availability}, {"requirements", r.Text == in.Requirements.Text}} {
		if !f.same {
			out = append(out, f.name)
		}
	}
	return out
}

// overviewImportCreate stores a new entry from a row.
func (tx *Tx) overviewImportCreate(orgID int64, in isms.OverviewEntryInput, filename string, row int) (int64, error) {
	now := ts(tx.now)
	r := in.Requirements
	id, err := tx.insert(`INSERT INTO overview_entries (organisation_id, kind, category, name, description, owner_id, status, next_review,
		req_confidentiality, req_integrity, req_availability, req_text, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		orgID, in.Kind, in.Category, in.Name, in.Description, nullInt(in.OwnerID), in.Status, dateArg(in.NextReview),
		int(r.Confidentiality), int(r.Integrity), int(r.Availability), r.Text, now, now)
	if err != nil {
		return 0, err
	}
	return id, regImportAudit(tx, orgID, "import_create", typeEntry, id, nil, tx.entry, filename, row)
}

// overviewImportUpdate changes an entry from a row, keeping its links.
func (tx *Tx) overviewImportUpdate(orgID, id int64, in isms.OverviewEntryInput, filename string, row int) error {
	before, err := tx.entry(orgID, id)
	if err != nil {
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
	return regImportAudit(tx, orgID, "import_update", typeEntry, id, before, tx.entry, filename, row)
}
