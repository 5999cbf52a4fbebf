package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
)

// Import of a risk register kept in a spreadsheet. The web layer reads the
// file into an isms.RiskSheet; here every row is checked against the
// records (asset, threat, owner, controls, the scale) and every problem is
// named by row and column. Nothing is imported unless every row is right,
// and then all of it in one transaction: a new assessment for each asset
// that has none (completed, since the register is the result of one), the
// risks in the asset's latest assessment otherwise.

// riskImportLookups are the organisation's records a sheet is checked
// against, read once per sheet.
type riskImportLookups struct {
	assets      map[string][]riskImportAsset // by lower-case name
	threats     map[string][]*isms.Threat    // by lower-case Danish name, English name and key
	people      *importPeople                // members by e-mail, name or role
	controls    map[string]int64             // by upper-case ref
	refs2013    map[string][]string          // 2013 ref → 2022 refs
	assessments map[int64]int64              // asset → latest assessment
}

type riskImportAsset struct {
	id     int64
	name   string
	status string
}

func (tx *Tx) riskImportLookups(orgID int64) (*riskImportLookups, error) {
	l := &riskImportLookups{assets: map[string][]riskImportAsset{}, threats: map[string][]*isms.Threat{},
		controls: map[string]int64{}, refs2013: map[string][]string{}}
	err := tx.queryEach(`SELECT a.id, COALESCE(e.name, a.name), `+assetStatusSQL+` FROM assets a
		LEFT JOIN overview_entries e ON e.id = a.entry_id AND e.organisation_id = a.organisation_id WHERE a.organisation_id = ?`, []any{orgID}, func(row scanner) error {
		var a riskImportAsset
		if err := row.Scan(&a.id, &a.name, &a.status); err != nil {
			return err
		}
		k := strings.ToLower(strings.TrimSpace(a.name))
		l.assets[k] = append(l.assets[k], a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	threats, err := tx.threats(orgID, isms.ThreatFilter{})
	if err != nil {
		return nil, err
	}
	for _, t := range threats {
		for _, k := range []string{t.NameDA, t.NameEN, t.Key} {
			k = strings.ToLower(strings.TrimSpace(k))
			if k == "" {
				continue
			}
			dup := false
			for _, x := range l.threats[k] {
				dup = dup || x.ID == t.ID
			}
			if !dup {
				l.threats[k] = append(l.threats[k], t)
			}
		}
	}
	if l.people, err = tx.importPeople(orgID); err != nil {
		return nil, err
	}
	controls, err := tx.riskControlOptions(orgID)
	if err != nil {
		return nil, err
	}
	for _, c := range controls {
		l.controls[strings.ToUpper(c.Ref)] = c.ID
	}
	for _, c := range catalog.AnnexA2013() {
		l.refs2013[riskNormalizeRef(c.ID)] = c.MapsTo
	}
	l.assessments, err = queryMap(tx, scanPair[int64, int64],
		"SELECT asset_id, MAX(id) FROM risk_assessments WHERE organisation_id = ? AND asset_id IS NOT NULL GROUP BY asset_id", orgID)
	if err != nil {
		return nil, err
	}
	return l, nil
}

// riskNormalizeRef turns a control reference as people write it ("A.8.7",
// "Anneks A 8.7", "8.07") into the catalogue's form ("8.7").
func riskNormalizeRef(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	for _, p := range []string{"ANNEX A", "ANNEKS A", "A."} {
		s = strings.TrimSpace(strings.TrimPrefix(s, p))
	}
	parts := strings.Split(s, ".")
	for i, p := range parts {
		if n, err := strconv.Atoi(p); err == nil {
			parts[i] = strconv.Itoa(n)
		}
	}
	return strings.Join(parts, ".")
}

// riskRefLike matches what reads as an Annex A reference: "5.15",
// "A.8.7", "A.12.2.1".
var riskRefLike = regexp.MustCompile(`^(?i)(annex a|anneks a|a\.?)?\s*\d{1,2}(\.\d{1,2}){1,2}$`)

// riskSplitList splits a cell listing several things.
func riskSplitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '|' })
	var out []string
	for _, x := range f {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

var riskDateLayouts = []string{"2006-01-02", "02-01-2006", "2-1-2006", "02.01.2006", "2.1.2006", "02/01/2006", "2/1/2006", time.RFC3339}

// riskParseDate reads a date as written in Danish spreadsheets, or as an
// Excel serial number (the raw value of a date cell).
func riskParseDate(s string) (isms.Date, bool) {
	s = strings.TrimSpace(s)
	for _, l := range riskDateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return isms.DateOf(t), true
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 1 && f < 200000 {
		base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
		return isms.DateOf(base.AddDate(0, 0, int(f))), true
	}
	return isms.Date{}, false
}

// riskImportExisting is a risk of the register as the import matches it.
type riskImportExisting struct {
	id               int64
	assetID, threat  int64
	title, importKey string
}

// riskImportPlan is a checked row, ready to store: the asset and threat
// it names (or the names of those to create), the risk it updates, and
// the prepared risk.
type riskImportPlan struct {
	idx       int // in the preview's rows
	row       int
	assetID   int64
	assetName string
	newAsset  string // the name of an asset to create, "" when it exists
	threat    *isms.Threat
	newThreat string // the name of a threat to create
	key       string
	before    *isms.Risk // the risk it updates, nil when it creates one
	p         *riskPrepared
}

// riskIncompleteKeys are the checks a treatment decision needs that an
// import lets pass with a warning: the risk is imported and shown as
// incomplete until its owner, deadline or planned controls are named.
var riskIncompleteKeys = map[string]string{
	"risk.err.treatment_owner":    "imp.warn.incomplete_owner",
	"risk.err.treatment_deadline": "imp.warn.incomplete_deadline",
	"risk.err.planned_controls":   "imp.warn.incomplete_controls",
}

// riskImportState is a sheet checked against the records.
type riskImportState struct {
	pv    *isms.RiskImportPreview
	plans []riskImportPlan
}

// riskResolveSheet checks every row of a sheet and says what the import
// would do with it. A row matches a risk of the register by the file's key
// column when it has one, else by its title with its asset and threat: a
// risk is a scenario, and one asset and threat may carry several.
func (tx *Tx) riskResolveSheet(orgID int64, m *isms.RiskMethod, s *isms.RiskSheet, opt isms.RiskImportOptions) (*riskImportState, error) {
	pv := &isms.RiskImportPreview{Filename: s.Filename, Columns: nonNilSlice(s.Columns), Ignored: nonNilSlice(s.Ignored),
		Rows: []isms.RiskImportRow{}, Problems: []isms.ImportProblem{}, Warnings: []isms.ImportProblem{}, MappingID: s.MappingID,
		MissingAssets: []string{}, MissingThreats: []string{}, Options: opt}
	st := &riskImportState{pv: pv}
	l, err := tx.riskImportLookups(orgID)
	if err != nil {
		return nil, err
	}
	var existing []riskImportExisting
	byKey := map[string][]int{}
	byScenario := map[string][]int{}
	err = tx.queryEach(`SELECT id, COALESCE(asset_id, 0), threat_id, title, import_key FROM risks WHERE organisation_id = ? ORDER BY id`,
		[]any{orgID}, func(row scanner) error {
			var x riskImportExisting
			if err := row.Scan(&x.id, &x.assetID, &x.threat, &x.title, &x.importKey); err != nil {
				return err
			}
			existing = append(existing, x)
			if x.importKey != "" {
				byKey[x.importKey] = append(byKey[x.importKey], len(existing)-1)
			}
			k := riskScenarioKey(x.assetID, x.threat, x.title)
			byScenario[k] = append(byScenario[k], len(existing)-1)
			return nil
		})
	if err != nil {
		return nil, err
	}
	fileProblem := func(field, key string, args ...any) {
		pv.Problems = append(pv.Problems, isms.ImportProblem{Column: s.Column(field), Field: field, Message: isms.Msg(key, args...)})
	}
	for _, f := range []string{"asset", "threat", "likelihood"} {
		if !s.Has(f) {
			fileProblem("", "risk.err.import_missing_column", "risk.sheet."+f)
		}
	}
	hasCons := false
	for _, f := range isms.RiskLevelFields {
		hasCons = hasCons || (!isms.RiskLikelihoodFields[f] && f != "residual_consequence" && s.Has(f))
	}
	if !hasCons {
		fileProblem("", "risk.err.import_missing_column", "risk.sheet.consequence")
	}
	missingAsset, missingThreat := map[string]bool{}, map[string]bool{}
	newAssessments := map[string]bool{}
	seen := map[string]int{} // key or scenario → the row that took it
	for _, sr := range s.Rows {
		c := map[string]string{}
		for f, v := range sr.Cells {
			c[f] = v
		}
		out := isms.RiskImportRow{Row: sr.Row, Key: c["key"], Asset: c["asset"], Threat: c["threat"], Title: c["title"],
			ExistingControls: []string{}, PlannedControls: []string{}, Changes: []string{}}
		refuse := func(field, key string, args ...any) {
			msg := isms.Msg(key, args...)
			out.Reasons = append(out.Reasons, msg)
			pv.Problems = append(pv.Problems, isms.ImportProblem{Row: sr.Row, Column: s.Column(field), Field: field, Message: msg})
		}
		warn := func(field, key string, args ...any) {
			msg := isms.Msg(key, args...)
			out.Warnings = append(out.Warnings, msg)
			pv.Warnings = append(pv.Warnings, isms.ImportProblem{Row: sr.Row, Column: s.Column(field), Field: field, Message: msg})
		}
		done := func() {
			if len(out.Reasons) > 0 {
				out.Outcome = isms.OutcomeRefused
			}
			out.Problems = len(out.Reasons)
			pv.Rows = append(pv.Rows, out)
		}
		// A cell holding a NUL character cannot be stored (see
		// isms.HasNUL): it is refused, and the row read no further.
		for _, f := range isms.RiskSheetFields {
			if isms.HasNUL(c[f]) {
				refuse(f, "err.nul_character")
			}
		}
		if len(out.Reasons) > 0 {
			done()
			continue
		}
		// The words the mapping step gave a meaning.
		for f, v := range c {
			c[f] = isms.MappedValue(s.Values, f, v)
		}
		in := isms.RiskInput{Title: c["title"], Description: c["description"]}
		plan := riskImportPlan{idx: -1, row: sr.Row, key: strings.TrimSpace(c["key"])}
		// The asset.
		switch as := l.assets[strings.ToLower(strings.TrimSpace(c["asset"]))]; {
		case c["asset"] == "":
			refuse("asset", "err.required")
		case len(as) == 0:
			name := strings.TrimSpace(c["asset"])
			if !missingAsset[strings.ToLower(name)] {
				missingAsset[strings.ToLower(name)] = true
				pv.MissingAssets = append(pv.MissingAssets, name)
			}
			if opt.CreateMissing {
				plan.newAsset, plan.assetName, out.NewAsset, out.Asset = name, name, true, name
			} else {
				refuse("asset", "imp.err.asset_missing", name)
			}
		case len(as) > 1:
			refuse("asset", "risk.err.import_ambiguous", c["asset"])
		case as[0].status == string(isms.StatusRetired):
			refuse("asset", "risk.err.import_asset_retired", c["asset"])
		default:
			plan.assetID, plan.assetName, out.Asset = as[0].id, as[0].name, as[0].name
		}
		// The threat.
		switch ts := l.threats[strings.ToLower(strings.TrimSpace(c["threat"]))]; {
		case c["threat"] == "":
			refuse("threat", "err.required")
		case len(ts) == 0:
			name := strings.TrimSpace(c["threat"])
			if !missingThreat[strings.ToLower(name)] {
				missingThreat[strings.ToLower(name)] = true
				pv.MissingThreats = append(pv.MissingThreats, name)
			}
			if opt.CreateMissing {
				plan.newThreat, out.NewThreat, out.Threat = name, true, name
				// As the threat will be: it may harm all three.
				plan.threat = &isms.Threat{NameDA: name, Status: isms.StatusActive,
					Affects: isms.Affects{Confidentiality: true, Integrity: true, Availability: true}}
			} else {
				refuse("threat", "imp.err.threat_missing", name)
			}
		case len(ts) > 1:
			refuse("threat", "risk.err.import_ambiguous", c["threat"])
		case ts[0].Status != isms.StatusActive:
			refuse("threat", "risk.err.threat_retired")
		default:
			plan.threat = ts[0]
			out.Threat = ts[0].NameDA
			in.ThreatID = ts[0].ID
		}
		// Levels: numbers, the scale's labels, or the words registers use.
		level := func(field string, labels []isms.ScaleLabel) int {
			v := strings.TrimSpace(c[field])
			if v == "" {
				return 0
			}
			n, ok := isms.ProposeLevel(v, labels)
			if !ok {
				refuse(field, "risk.err.import_level", v, 1, m.Scale.Size)
			}
			return n
		}
		if c["likelihood"] == "" {
			refuse("likelihood", "err.required")
		}
		in.Likelihood = level("likelihood", m.Scale.Likelihood)
		in.Consequence.Confidentiality = level("consequence_c", m.Scale.Consequence)
		in.Consequence.Integrity = level("consequence_i", m.Scale.Consequence)
		in.Consequence.Availability = level("consequence_a", m.Scale.Consequence)
		in.Consequence.Organisation = level("consequence_org", m.Scale.Consequence)
		in.Consequence.Citizens = level("consequence_citizens", m.Scale.Consequence)
		in.Consequence.Society = level("consequence_society", m.Scale.Consequence)
		if one := level("consequence", m.Scale.Consequence); one > 0 {
			// One consequence for the risk: it falls on what the threat
			// harms, where the file gives no more detailed figure.
			aff := isms.Affects{Confidentiality: true}
			if plan.threat != nil {
				aff = plan.threat.Affects
			}
			for _, d := range []struct {
				on  bool
				dst *int
			}{{aff.Confidentiality, &in.Consequence.Confidentiality}, {aff.Integrity, &in.Consequence.Integrity},
				{aff.Availability, &in.Consequence.Availability}} {
				if d.on && *d.dst == 0 {
					*d.dst = one
				}
			}
		} else if c["consequence"] == "" && in.Consequence.Max() == 0 && len(out.Reasons) == 0 {
			refuse("consequence", "err.required")
		}
		in.ResidualLikelihood = level("residual_likelihood", m.Scale.Likelihood)
		in.ResidualConsequence = level("residual_consequence", m.Scale.Consequence)
		// Treatment, owner, deadline.
		if t := strings.TrimSpace(c["treatment"]); t != "" {
			tr, ok := isms.ProposeTreatment(t)
			if !ok {
				refuse("treatment", "risk.err.import_treatment", t)
			}
			in.Treatment = tr
		}
		if cell := c["owner"]; cell != "" {
			// An owner no one member matches leaves the risk unassigned,
			// with a warning: the register gets in, and the owner is
			// named in the product.
			if id, display, ok := l.people.find(cell); ok {
				in.OwnerID = &id
				out.Owner, out.OwnerEmail = display, l.people.emails[id]
			} else {
				warn("owner", l.people.why(cell), cell)
			}
		}
		if d := c["deadline"]; d != "" {
			day, ok := riskParseDate(d)
			if !ok {
				refuse("deadline", "risk.err.import_date", d)
			} else {
				in.Deadline = &day
			}
		}
		// Controls: references must name a control; other words in the
		// existing-controls column are kept as text.
		ref := func(field, token string) []int64 {
			n := riskNormalizeRef(token)
			if id, ok := l.controls[n]; ok {
				return []int64{id}
			}
			if id, ok := l.controls[strings.ToUpper(strings.TrimSpace(token))]; ok {
				return []int64{id} // an own control's reference
			}
			if to, ok := l.refs2013[n]; ok && len(to) > 0 {
				// A 2013 reference (guide footnote 5): the 2022 controls
				// that replace it.
				var ids []int64
				for _, x := range to {
					if id, ok := l.controls[x]; ok {
						ids = append(ids, id)
					}
				}
				if len(ids) > 0 {
					return ids
				}
			}
			refuse(field, "risk.err.import_unknown_control", token)
			return nil
		}
		var text []string
		for _, tok := range riskSplitList(c["existing_controls"]) {
			if riskRefLike.MatchString(tok) {
				in.ExistingControls = append(in.ExistingControls, ref("existing_controls", tok)...)
				out.ExistingControls = append(out.ExistingControls, riskNormalizeRef(tok))
			} else {
				text = append(text, tok)
			}
		}
		in.ExistingControlsText = strings.Join(text, "\n")
		for _, tok := range riskSplitList(c["planned_controls"]) {
			if !riskRefLike.MatchString(tok) {
				if id, ok := l.controls[strings.ToUpper(tok)]; ok {
					in.PlannedControls = append(in.PlannedControls, id)
					out.PlannedControls = append(out.PlannedControls, tok)
					continue
				}
				refuse("planned_controls", "risk.err.import_unknown_control", tok)
				continue
			}
			in.PlannedControls = append(in.PlannedControls, ref("planned_controls", tok)...)
			out.PlannedControls = append(out.PlannedControls, riskNormalizeRef(tok))
		}
		in.ExistingControls, in.PlannedControls = uniq(in.ExistingControls), uniq(in.PlannedControls)
		if len(out.Reasons) > 0 {
			done()
			continue
		}
		// The same checks as the form's; what a treatment still lacks is
		// a warning, the rest refuses the row.
		var v isms.Validation
		p, err := tx.riskCheck(&v, orgID, m, in, plan.threat, plan.assetName)
		if err != nil {
			return nil, err
		}
		if e := isms.AsError(v.Err()); e != nil {
			for _, fe := range e.Fields {
				if w, ok := riskIncompleteKeys[fe.Key]; ok {
					warn(riskFieldColumn(s, fe.Field), w)
					out.Incomplete = true
				} else {
					refuse(riskFieldColumn(s, fe.Field), fe.Key, fe.Args...)
				}
			}
		}
		if len(out.Reasons) > 0 {
			done()
			continue
		}
		plan.p = p
		out.Title = p.in.Title
		out.Likelihood, out.Consequence, out.Treatment, out.Deadline = p.in.Likelihood, p.in.Consequence, p.in.Treatment, p.in.Deadline
		out.Inherent, out.Residual = riskLevel(m, p.il, p.ic), riskLevel(m, p.rl, p.rc)
		// The risk it matches, and one row a risk.
		scenario := riskScenarioKey(plan.assetID, in.ThreatID, p.in.Title)
		if plan.newAsset != "" || plan.newThreat != "" {
			scenario = "new:" + isms.CompareKey(plan.newAsset+"|"+plan.assetName) + "|" + isms.CompareKey(out.Threat) + "|" + isms.CompareKey(p.in.Title)
		}
		seenKey := "s:" + scenario
		var match []int
		if plan.key != "" {
			seenKey = "k:" + plan.key
			match = byKey[plan.key]
		}
		if match == nil && plan.newAsset == "" && plan.newThreat == "" {
			match = byScenario[scenario]
		}
		dupField := "title"
		if !s.Has("title") {
			dupField = "threat"
		}
		if first, ok := seen[seenKey]; ok {
			refuse(dupField, "imp.err.risk_twice", first)
		} else if len(match) > 1 {
			refuse(dupField, "imp.err.risk_ambiguous", len(match))
		}
		if len(out.Reasons) > 0 {
			done()
			continue
		}
		seen[seenKey] = sr.Row
		if len(match) == 1 {
			x := existing[match[0]]
			before, err := tx.risk(orgID, m, x.id)
			if err != nil {
				return nil, err
			}
			plan.before = before
			out.RiskID = &before.ID
			riskKeepUnstated(s, before, &p.in, in.OwnerID == nil && c["owner"] != "")
			// The levels follow from the input kept.
			var v2 isms.Validation
			if p2, err := tx.riskCheck(&v2, orgID, m, p.in, plan.threat, plan.assetName); err != nil {
				return nil, err
			} else {
				p = p2
				plan.p = p
			}
			out.Changes = riskImportChanges(before, p, plan.assetID, plan.key)
			if len(out.Changes) == 0 {
				out.Outcome = isms.OutcomeSkipped
			} else {
				out.Outcome = isms.OutcomeUpdated
			}
			out.Inherent, out.Residual = riskLevel(m, p.il, p.ic), riskLevel(m, p.rl, p.rc)
		} else {
			out.Outcome = isms.OutcomeCreated
			ak := "id:" + strconv.FormatInt(plan.assetID, 10)
			_, has := l.assessments[plan.assetID]
			if plan.newAsset != "" {
				ak, has = "new:"+strings.ToLower(plan.newAsset), false
			}
			if !has {
				newAssessments[ak] = true
			}
		}
		if out.Incomplete {
			pv.Incomplete++
		}
		if out.Outcome != isms.OutcomeSkipped {
			plan.idx = len(pv.Rows)
			st.plans = append(st.plans, plan)
		}
		done()
	}
	for _, r := range pv.Rows {
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
	pv.Valid = len(pv.Problems) == 0
	pv.Assessments = len(newAssessments)
	return st, nil
}

// riskScenarioKey names a risk by its asset, threat and title as compared.
func riskScenarioKey(assetID, threatID int64, title string) string {
	return strconv.FormatInt(assetID, 10) + "|" + strconv.FormatInt(threatID, 10) + "|" + isms.CompareKey(title)
}

// riskKeepUnstated keeps what the register's risk says where the file
// has no column for it, and its owner where the file's owner matched no
// one: a file that leaves something out does not erase it.
func riskKeepUnstated(s *isms.RiskSheet, before *isms.Risk, in *isms.RiskInput, ownerUnknown bool) {
	if !s.Has("description") {
		in.Description = before.Description
	}
	if !s.Has("treatment") {
		in.Treatment = before.Treatment
	}
	if !s.Has("owner") || ownerUnknown {
		in.OwnerID = before.OwnerID
	}
	if !s.Has("deadline") {
		in.Deadline = before.Deadline
	}
	if !s.Has("existing_controls") {
		in.ExistingControls, in.ExistingControlsText = before.ExistingControls, before.ExistingControlsText
	}
	if !s.Has("planned_controls") {
		in.PlannedControls = before.PlannedControls
	}
	if !s.Has("residual_likelihood") && !s.Has("residual_consequence") && before.Treatment.ChangesRisk() {
		in.ResidualLikelihood, in.ResidualConsequence = before.Residual.Likelihood, before.Residual.Consequence
	}
	in.TreatmentNote = before.TreatmentNote
	c := &in.Consequence
	for _, d := range []struct {
		field string
		dst   *int
		was   int
	}{{"consequence_org", &c.Organisation, before.Consequence.Organisation}, {"consequence_citizens", &c.Citizens, before.Consequence.Citizens},
		{"consequence_society", &c.Society, before.Consequence.Society}} {
		if !s.Has(d.field) {
			*d.dst = d.was
		}
	}
}

// riskImportChanges names what an update changes.
func riskImportChanges(before *isms.Risk, p *riskPrepared, assetID int64, key string) []string {
	in := p.in
	var out []string
	add := func(field string, same bool) {
		if !same {
			out = append(out, field)
		}
	}
	eqID := func(a, b *int64) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }
	eqDay := func(a, b *isms.Date) bool {
		return (a == nil && b == nil) || (a != nil && b != nil && a.String() == b.String())
	}
	eqSet := func(a, b []int64) bool {
		a, b = uniq(a), uniq(b)
		slices.Sort(a)
		slices.Sort(b)
		return slices.Equal(a, b)
	}
	add("title", before.Title == in.Title)
	add("description", before.Description == strings.TrimSpace(in.Description))
	add("likelihood", before.Likelihood == in.Likelihood)
	add("consequence", before.Consequence == in.Consequence)
	add("existing_controls", eqSet(before.ExistingControls, in.ExistingControls) && before.ExistingControlsText == strings.TrimSpace(in.ExistingControlsText))
	add("treatment", before.Treatment == in.Treatment)
	add("owner", eqID(before.OwnerID, in.OwnerID))
	add("deadline", eqDay(before.Deadline, in.Deadline))
	add("planned_controls", eqSet(before.PlannedControls, in.PlannedControls))
	add("residual", before.Residual.Likelihood == p.rl && before.Residual.Consequence == p.rc)
	add("asset", before.AssetID != nil && *before.AssetID == assetID)
	// A key the risk did not have yet is kept with it.
	if key != "" && len(out) == 0 {
		return nil
	}
	return out
}

// riskImport stores a checked sheet's created and updated rows in the
// caller's transaction: the missing assets and threats first when the
// user agreed, then the risks, each with its audit event. A file with
// refused rows stores nothing unless the user chose to skip them.
func (tx *Tx) riskImport(orgID int64, s *isms.RiskSheet, opt isms.RiskImportOptions) (*isms.RiskImportResult, error) {
	if err := tx.riskAdoptEntries(orgID); err != nil {
		return nil, err
	}
	m, err := tx.riskMethod(orgID)
	if err != nil {
		return nil, err
	}
	st, err := tx.riskResolveSheet(orgID, m, s, opt)
	if err != nil {
		return nil, err
	}
	pv := st.pv
	fileProblems := 0
	for _, p := range pv.Problems {
		if p.Row == 0 {
			fileProblems++
		}
	}
	if fileProblems > 0 || (pv.Refused > 0 && !opt.SkipRefused) {
		return nil, riskImportRefused(pv)
	}
	if pv.Created+pv.Updated+pv.Skipped == 0 {
		return nil, isms.Errorf(isms.EInvalid, "rimp.err.nothing_to_store", pv.Refused)
	}
	l, err := tx.riskImportLookups(orgID)
	if err != nil {
		return nil, err
	}
	res := &isms.RiskImportResult{Preview: pv, Updated: pv.Updated, Skipped: pv.Skipped, Refused: pv.Refused}
	assets := map[string]int64{}  // lower-case name → created asset
	threats := map[string]int64{} // lower-case name → created threat
	made := map[int64]int64{}     // asset → assessment begun by this import
	var order []int64
	var catalogue int64
	for _, pl := range st.plans {
		if pl.newAsset != "" {
			k := strings.ToLower(pl.newAsset)
			id, ok := assets[k]
			if !ok {
				if id, err = tx.riskImportAsset(orgID, pl.newAsset, s.Filename); err != nil {
					return nil, err
				}
				assets[k] = id
				res.AssetsCreated++
			}
			pl.assetID = id
		}
		if pl.newThreat != "" {
			k := strings.ToLower(pl.newThreat)
			id, ok := threats[k]
			if !ok {
				if catalogue == 0 {
					if catalogue, err = tx.riskImportCatalogue(orgID); err != nil {
						return nil, err
					}
				}
				t, err := tx.createThreat(orgID, isms.ThreatInput{CatalogueID: catalogue, Group: "organisational", NameDA: pl.newThreat,
					DescriptionDA: "Importeret fra " + s.Filename, DescriptionEN: "Imported from " + s.Filename,
					Affects: isms.Affects{Confidentiality: true, Integrity: true, Availability: true}})
				if err != nil {
					return nil, err
				}
				id = t.ID
				threats[k] = id
				res.ThreatsCreated++
			}
			pl.p.in.ThreatID = id
		}
		asset := pl.assetID
		pl.p.assetID = &asset
		if pl.before != nil {
			if err := tx.riskImportUpdate(orgID, m, pl.before, pl.p, pl.key); err != nil {
				return nil, err
			}
			res.RiskIDs = append(res.RiskIDs, pl.before.ID)
			continue
		}
		aid, ok := made[pl.assetID]
		if !ok {
			aid, ok = l.assessments[pl.assetID]
		}
		if !ok {
			now := ts(tx.now)
			aid, err = tx.insert(`INSERT INTO risk_assessments (organisation_id, title, asset_id, scenario, description, status,
				interval_months, version, created_at, updated_at) VALUES (?, ?, ?, '', ?, ?, ?, 1, ?, ?)`,
				orgID, pl.assetName, pl.assetID, "Importeret fra "+s.Filename+" / imported from "+s.Filename, isms.AssessmentInProgress,
				m.DefaultIntervalMonths, now, now)
			if err != nil {
				return nil, err
			}
			made[pl.assetID] = aid
			order = append(order, aid)
		}
		pl.p.in.AssessmentID = aid
		r, err := tx.riskInsert(orgID, m, pl.p, "import_risks")
		if err != nil {
			return nil, err
		}
		if pl.key != "" {
			if _, err := tx.exec("UPDATE risks SET import_key = ? WHERE organisation_id = ? AND id = ?", pl.key, orgID, r.ID); err != nil {
				return nil, err
			}
		}
		id := r.ID
		pv.Rows[pl.idx].RiskID = &id
		res.RiskIDs = append(res.RiskIDs, r.ID)
		res.Risks++
	}
	// The assessments the import began are the register's assessments:
	// completed today against the assets' present needs.
	today := tx.Today()
	for _, id := range order {
		a, err := tx.riskAssessment(orgID, id)
		if err != nil {
			return nil, err
		}
		n := a.CurrentNeeds
		if _, err := tx.exec(`UPDATE risk_assessments SET status = ?, assessed_on = ?, assessed_by = ?, next_reassessment = ?,
			basis_c = ?, basis_i = ?, basis_a = ? WHERE organisation_id = ? AND id = ?`,
			isms.AssessmentCompleted, today.String(), tx.riskActorID(), riskMonthsLater(today, a.IntervalMonths).String(),
			int(n.Confidentiality), int(n.Integrity), int(n.Availability), orgID, id); err != nil {
			return nil, err
		}
		after, err := tx.riskAssessment(orgID, id)
		if err != nil {
			return nil, err
		}
		if err := tx.audit(orgID, "import_risks", typeRiskAssessment, id, nil, after); err != nil {
			return nil, err
		}
	}
	res.Assessments = len(order)
	pv.Imported = true
	return res, nil
}

// riskImportRefused is the error of a file with refused rows: each
// problem named by row and column.
func riskImportRefused(pv *isms.RiskImportPreview) error {
	e := &isms.Error{Code: isms.EInvalid, Key: "risk.err.import_invalid", Args: []any{len(pv.Problems)}}
	for _, p := range pv.Problems {
		field := p.Column
		if field == "" {
			field = p.Field
		}
		if field == "" {
			field = "file"
		}
		name := "file: " + field
		if p.Row > 0 {
			name = "row " + strconv.Itoa(p.Row) + ": " + field
		}
		e.Fields = append(e.Fields, isms.FieldError{Field: name, Key: p.Message.Key, Args: p.Message.Args})
	}
	return e
}

// riskImportAsset creates an asset a file names that the register lacks:
// a supporting asset (an application, as registers mostly name systems),
// whose kind and owner the coordinator sets in the register afterwards.
func (tx *Tx) riskImportAsset(orgID int64, name, filename string) (int64, error) {
	in := isms.AssetInput{Kind: isms.AssetSoftware, Name: name, Description: "Importeret fra " + filename + " / imported from " + filename}
	if err := tx.validateAsset(orgID, false, &in); err != nil {
		return 0, err
	}
	now := ts(tx.now)
	id, err := tx.insert(`INSERT INTO assets (organisation_id, kind, entry_id, name, description, owner_id, status, criticality,
		need_c, need_i, need_a, version, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, NULL, ?, NULL, NULL, NULL, NULL, 1, ?, ?)`,
		orgID, in.Kind, in.Name, in.Description, in.Status, now, now)
	if err != nil {
		return 0, err
	}
	_, err = audited(tx, tx.asset, orgID, "import_risks", typeAsset, id, nil)
	return id, err
}

// riskImportCatalogue is the own threat catalogue imported threats go
// into: the organisation's first own catalogue, or a new one.
func (tx *Tx) riskImportCatalogue(orgID int64) (int64, error) {
	var id int64
	err := tx.queryRow("SELECT id FROM threat_catalogues WHERE organisation_id = ? ORDER BY id LIMIT 1", orgID).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	now := ts(tx.now)
	id, err = tx.insert(`INSERT INTO threat_catalogues (organisation_id, name, name_en, description, version, created_at, updated_at)
		VALUES (?, ?, ?, '', 1, ?, ?)`, orgID, "Importerede trusler", "Imported threats", now, now)
	if err != nil {
		return 0, err
	}
	_, err = audited(tx, tx.threatCatalogue, orgID, "import_risks", typeThreatCatalogue, id, nil)
	return id, err
}

// riskImportUpdate changes a risk as an imported row says, with its audit
// event.
func (tx *Tx) riskImportUpdate(orgID int64, m *isms.RiskMethod, before *isms.Risk, p *riskPrepared, key string) error {
	in, c := p.in, p.in.Consequence
	if _, err := tx.exec(`UPDATE risks SET asset_id = ?, threat_id = ?, title = ?, description = ?, likelihood = ?,
		cons_c = ?, cons_i = ?, cons_a = ?, cons_org = ?, cons_citizens = ?, cons_society = ?, inherent_l = ?, inherent_c = ?,
		inherent_score = ?, existing_text = ?, treatment = ?, treatment_note = ?, owner_id = ?, deadline = ?, residual_l = ?,
		residual_c = ?, residual_score = ?, search_text = ?, import_key = CASE WHEN ? <> '' THEN ? ELSE import_key END,
		version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
		nullInt(p.assetID), before.ThreatID, in.Title, strings.TrimSpace(in.Description), in.Likelihood,
		c.Confidentiality, c.Integrity, c.Availability, c.Organisation, c.Citizens, c.Society, p.il, p.ic, p.il*p.ic,
		strings.TrimSpace(in.ExistingControlsText), in.Treatment, strings.TrimSpace(in.TreatmentNote), nullInt(in.OwnerID),
		dateArg(in.Deadline), p.rl, p.rc, p.rl*p.rc, riskSearchText(in), key, key, ts(tx.now), orgID, before.ID); err != nil {
		return err
	}
	if err := tx.riskSetControls(orgID, before.ID, in.ExistingControls, in.PlannedControls); err != nil {
		return err
	}
	if err := tx.riskRefreshDue(orgID, before.ID); err != nil {
		return err
	}
	after, err := tx.risk(orgID, m, before.ID)
	if err != nil {
		return err
	}
	return tx.audit(orgID, "import_risks", typeRisk, before.ID, before, after)
}

// PreviewRiskSheet checks a sheet and says what an import would do,
// storing nothing.
func (db *DB) PreviewRiskSheet(ctx context.Context, orgID int64, s *isms.RiskSheet, opt isms.RiskImportOptions) (*isms.RiskImportPreview, error) {
	var pv *isms.RiskImportPreview
	err := db.read(ctx, "PreviewRiskSheet", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		m, err := tx.riskMethod(orgID)
		if err != nil {
			return err
		}
		st, err := tx.riskResolveSheet(orgID, m, s, opt)
		if err == nil {
			pv = st.pv
		}
		return err
	})
	return pv, err
}

// ImportRiskSheet imports a sheet in one transaction: every created and
// updated row, or nothing when a row is refused and the caller did not
// choose to skip refused rows.
func (db *DB) ImportRiskSheet(ctx context.Context, orgID int64, s *isms.RiskSheet, opt isms.RiskImportOptions) (*isms.RiskImportResult, error) {
	var res *isms.RiskImportResult
	err := db.write(ctx, "ImportRiskSheet", func(tx *Tx) (err error) {
		if _, err = tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		if res, err = tx.riskImport(orgID, s, opt); err != nil {
			return err
		}
		return tx.audit(orgID, "import_risks", typeRiskImport, 0, nil, riskImportAudit(s, res))
	})
	return res, err
}

func riskImportAudit(s *isms.RiskSheet, res *isms.RiskImportResult) map[string]any {
	return map[string]any{"filename": s.Filename, "rows": len(s.Rows), "risks": res.Risks, "updated": res.Updated, "skipped": res.Skipped,
		"refused": res.Refused, "new_assessments": res.Assessments, "assets_created": res.AssetsCreated, "threats_created": res.ThreatsCreated,
		"mapping_id": s.MappingID}
}

// riskStagedKeep is how long an upload waits for its confirmation.
const riskStagedKeep = 7 * 24 * time.Hour

// StageRiskImport keeps a read sheet (with its file, for the mapping
// step) for the user to confirm after the preview, and returns the
// preview.
func (db *DB) StageRiskImport(ctx context.Context, orgID int64, s *isms.RiskSheet) (*isms.RiskImportPreview, error) {
	var pv *isms.RiskImportPreview
	err := db.write(ctx, "StageRiskImport", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		if err := tx.riskAdoptEntries(orgID); err != nil {
			return err
		}
		// Uploads never confirmed are dropped after a while; they were
		// never part of the register.
		if _, err := tx.exec("DELETE FROM risk_imports WHERE organisation_id = ? AND imported_at IS NULL AND created_at < ?",
			orgID, ts(tx.now.Add(-riskStagedKeep))); err != nil {
			return err
		}
		data, err := json.Marshal(s)
		if err != nil {
			return err
		}
		id, err := tx.insert(`INSERT INTO risk_imports (organisation_id, uploaded_by, filename, data, created_at) VALUES (?, ?, ?, ?, ?)`,
			orgID, tx.actor.UserID, s.Filename, data, ts(tx.now))
		if err != nil {
			return err
		}
		m, err := tx.riskMethod(orgID)
		if err != nil {
			return err
		}
		st, err := tx.riskResolveSheet(orgID, m, s, isms.RiskImportOptions{CreateMissing: true})
		if err != nil {
			return err
		}
		pv = st.pv
		pv.ID = id
		return tx.audit(orgID, "stage_risk_import", typeRiskImport, id, nil, map[string]any{"filename": s.Filename, "rows": len(s.Rows),
			"valid": pv.Valid, "problems": len(pv.Problems)})
	})
	return pv, err
}

// riskStaged reads a staged sheet.
func (tx *Tx) riskStaged(orgID, id int64) (*isms.RiskSheet, bool, error) {
	var data []byte
	var imported sql.NullString
	err := tx.queryRow("SELECT data, imported_at FROM risk_imports WHERE organisation_id = ? AND id = ?", orgID, id).Scan(&data, &imported)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, notFound("import")
	}
	if err != nil {
		return nil, false, err
	}
	var s isms.RiskSheet
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, false, err
	}
	return &s, imported.Valid, nil
}

// StagedRiskSheet reads a staged upload as read, with its file.
func (db *DB) StagedRiskSheet(ctx context.Context, orgID, id int64) (*isms.RiskSheet, error) {
	var s *isms.RiskSheet
	err := db.read(ctx, "StagedRiskSheet", func(tx *Tx) (err error) {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		s, _, err = tx.riskStaged(orgID, id)
		return err
	})
	return s, err
}

// StagedRiskImport checks a staged sheet again (the records may have
// changed since it was uploaded) and says what the import would do.
func (db *DB) StagedRiskImport(ctx context.Context, orgID, id int64, opt isms.RiskImportOptions) (*isms.RiskImportPreview, error) {
	var pv *isms.RiskImportPreview
	err := db.read(ctx, "StagedRiskImport", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		s, imported, err := tx.riskStaged(orgID, id)
		if err != nil {
			return err
		}
		m, err := tx.riskMethod(orgID)
		if err != nil {
			return err
		}
		st, err := tx.riskResolveSheet(orgID, m, s, opt)
		if err != nil {
			return err
		}
		pv = st.pv
		pv.ID, pv.Imported = id, imported
		return nil
	})
	return pv, err
}

// ImportStagedRisks imports a staged sheet in one transaction, or nothing.
// The upload is marked imported first, under the organisation's write
// lock, so two confirmations of one upload store it once.
func (db *DB) ImportStagedRisks(ctx context.Context, orgID, id int64, opt isms.RiskImportOptions) (*isms.RiskImportResult, error) {
	var res *isms.RiskImportResult
	err := db.write(ctx, "ImportStagedRisks", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		s, _, err := tx.riskStaged(orgID, id)
		if err != nil {
			return err
		}
		r, err := tx.exec("UPDATE risk_imports SET imported_at = ? WHERE organisation_id = ? AND id = ? AND imported_at IS NULL", ts(tx.now), orgID, id)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return isms.Errorf(isms.EConflict, "risk.err.import_done")
		}
		if res, err = tx.riskImport(orgID, s, opt); err != nil {
			return err
		}
		return tx.audit(orgID, "import_risks", typeRiskImport, id, nil, riskImportAudit(s, res))
	})
	return res, err
}

// riskFieldColumn maps the fields of a risk's validation to the sheet's
// columns, so a problem found by the same checks as the form's is named by
// the column the user sees.
func riskFieldColumn(s *isms.RiskSheet, field string) string {
	switch field {
	case "risk_title":
		return "title"
	case "existing_controls_text":
		return "existing_controls"
	case "treatment_note":
		return "treatment"
	case "owner_id":
		return "owner"
	case "treatment_deadline":
		return "deadline"
	case "consequence_organisation":
		return "consequence_org"
	case "consequence_confidentiality", "consequence_integrity", "consequence_availability":
		short := "consequence_" + field[len("consequence_"):len("consequence_")+1]
		if s.Has(short) {
			return short
		}
		return "consequence"
	}
	return field
}
