package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"regexp"
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
	members     map[string]int64             // by lower-case e-mail
	controls    map[string]int64             // by upper-case ref
	refs2013    map[string][]string          // 2013 ref → 2022 refs
	existing    map[[2]int64]bool            // (asset, threat) pairs already in the register
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
	l.members, err = queryMap(tx, func(row scanner) (string, int64, error) {
		email, id, err := scanPair[string, int64](row)
		return strings.ToLower(email), id, err
	}, "SELECT u.email, u.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organisation_id = ?", orgID)
	if err != nil {
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
	l.existing, err = queryMap(tx, func(row scanner) ([2]int64, bool, error) {
		a, t, err := scanPair[int64, int64](row)
		return [2]int64{a, t}, true, err
	}, "SELECT DISTINCT asset_id, threat_id FROM risks WHERE organisation_id = ? AND asset_id IS NOT NULL", orgID)
	if err != nil {
		return nil, err
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

// riskParseLevel reads a likelihood or consequence: a whole number on the
// scale or one of the scale's labels in either language.
func riskParseLevel(s string, labels []isms.ScaleLabel) (int, bool) {
	s = strings.TrimSpace(s)
	if f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64); err == nil {
		if f != math.Trunc(f) || f < 1 || f > float64(len(labels)) {
			return 0, false
		}
		return int(f), true
	}
	for i, l := range labels {
		if strings.EqualFold(s, l.DA) || strings.EqualFold(s, l.EN) {
			return i + 1, true
		}
	}
	return 0, false
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

// riskTreatmentWords are the decisions as registers write them.
var riskTreatmentWords = map[string]isms.Treatment{
	"mitigate": isms.TreatmentMitigate, "reduce": isms.TreatmentMitigate, "treat": isms.TreatmentMitigate, "modify": isms.TreatmentMitigate,
	"reducér": isms.TreatmentMitigate, "reducer": isms.TreatmentMitigate, "reduceres": isms.TreatmentMitigate, "reduktion": isms.TreatmentMitigate,
	"begræns": isms.TreatmentMitigate, "begrænse": isms.TreatmentMitigate, "begrænses": isms.TreatmentMitigate, "nedbring": isms.TreatmentMitigate,
	"accept": isms.TreatmentAccept, "accepted": isms.TreatmentAccept, "retain": isms.TreatmentAccept, "acceptér": isms.TreatmentAccept,
	"accepter": isms.TreatmentAccept, "accepteres": isms.TreatmentAccept, "accepteret": isms.TreatmentAccept,
	"avoid": isms.TreatmentAvoid, "terminate": isms.TreatmentAvoid, "undgå": isms.TreatmentAvoid, "undgås": isms.TreatmentAvoid, "undgaa": isms.TreatmentAvoid,
	"share": isms.TreatmentShare, "transfer": isms.TreatmentShare, "del": isms.TreatmentShare, "deles": isms.TreatmentShare,
	"overfør": isms.TreatmentShare, "overføre": isms.TreatmentShare, "overføres": isms.TreatmentShare,
}

// riskImportPlan is a checked row, ready to store.
type riskImportPlan struct {
	row     int
	assetID int64
	name    string
	p       *riskPrepared
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
	case "consequence_confidentiality", "consequence_integrity", "consequence_availability":
		short := "consequence_" + field[len("consequence_"):len("consequence_")+1]
		if s.Has(short) {
			return short
		}
		return "consequence"
	}
	return field
}

// riskResolveSheet checks every row of a sheet and says what the import
// would do.
func (tx *Tx) riskResolveSheet(orgID int64, m *isms.RiskMethod, s *isms.RiskSheet) (*isms.RiskImportPreview, []riskImportPlan, error) {
	pv := &isms.RiskImportPreview{Filename: s.Filename, Columns: s.Columns, Ignored: s.Ignored}
	l, err := tx.riskImportLookups(orgID)
	if err != nil {
		return nil, nil, err
	}
	problem := func(row int, field, key string, args ...any) {
		pv.Problems = append(pv.Problems, isms.ImportProblem{Row: row, Column: s.Column(field), Field: field, Message: isms.Msg(key, args...)})
	}
	for _, f := range []string{"asset", "threat", "likelihood"} {
		if !s.Has(f) {
			problem(0, "", "risk.err.import_missing_column", "risk.sheet."+f)
		}
	}
	if !s.Has("consequence") && !s.Has("consequence_c") && !s.Has("consequence_i") && !s.Has("consequence_a") {
		problem(0, "", "risk.err.import_missing_column", "risk.sheet.consequence")
	}
	var plans []riskImportPlan
	inFile := map[[2]int64]int{}
	newAssessments := map[int64]bool{}
	for _, r := range s.Rows {
		before := len(pv.Problems)
		c := r.Cells
		out := isms.RiskImportRow{Row: r.Row, Asset: c["asset"], Threat: c["threat"], Title: c["title"]}
		// A cell holding a NUL character cannot be stored (see
		// isms.HasNUL): it is refused, and the row read no further.
		for _, f := range isms.RiskSheetFields {
			if isms.HasNUL(c[f]) {
				problem(r.Row, f, "err.nul_character")
			}
		}
		if len(pv.Problems) > before {
			out.Problems = len(pv.Problems) - before
			pv.Rows = append(pv.Rows, out)
			continue
		}
		in := isms.RiskInput{Title: c["title"], Description: c["description"]}
		// The asset.
		var asset *riskImportAsset
		switch as := l.assets[strings.ToLower(c["asset"])]; {
		case c["asset"] == "":
			problem(r.Row, "asset", "err.required")
		case len(as) == 0:
			problem(r.Row, "asset", "risk.err.import_unknown_asset", c["asset"])
		case len(as) > 1:
			problem(r.Row, "asset", "risk.err.import_ambiguous", c["asset"])
		case as[0].status == string(isms.StatusRetired):
			problem(r.Row, "asset", "risk.err.import_asset_retired", c["asset"])
		default:
			asset = &as[0]
			out.Asset = asset.name
		}
		// The threat.
		var th *isms.Threat
		switch ts := l.threats[strings.ToLower(c["threat"])]; {
		case c["threat"] == "":
			problem(r.Row, "threat", "err.required")
		case len(ts) == 0:
			problem(r.Row, "threat", "risk.err.import_unknown_threat", c["threat"])
		case len(ts) > 1:
			problem(r.Row, "threat", "risk.err.import_ambiguous", c["threat"])
		case ts[0].Status != isms.StatusActive:
			problem(r.Row, "threat", "risk.err.threat_retired")
		default:
			th = ts[0]
			out.Threat = th.NameDA
			in.ThreatID = th.ID
		}
		if asset != nil && th != nil {
			pair := [2]int64{asset.id, th.ID}
			if l.existing[pair] {
				problem(r.Row, "threat", "risk.err.import_exists", asset.name, c["threat"])
			} else if first, ok := inFile[pair]; ok {
				problem(r.Row, "threat", "risk.err.import_duplicate", first)
			} else {
				inFile[pair] = r.Row
			}
		}
		// Levels: numbers or the scale's labels.
		level := func(field string, labels []isms.ScaleLabel) int {
			v := c[field]
			if v == "" {
				return 0
			}
			n, ok := riskParseLevel(v, labels)
			if !ok {
				problem(r.Row, field, "risk.err.import_level", v, 1, m.Scale.Size)
			}
			return n
		}
		if c["likelihood"] == "" {
			problem(r.Row, "likelihood", "err.required")
		}
		in.Likelihood = level("likelihood", m.Scale.Likelihood)
		in.Consequence.Confidentiality = level("consequence_c", m.Scale.Consequence)
		in.Consequence.Integrity = level("consequence_i", m.Scale.Consequence)
		in.Consequence.Availability = level("consequence_a", m.Scale.Consequence)
		if one := level("consequence", m.Scale.Consequence); one > 0 {
			// One consequence for the risk: it falls on what the threat
			// harms, where the file gives no more detailed figure.
			aff := isms.Affects{Confidentiality: true}
			if th != nil {
				aff = th.Affects
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
		} else if c["consequence"] == "" && in.Consequence.Max() == 0 && len(pv.Problems) == before {
			problem(r.Row, "consequence", "err.required")
		}
		in.ResidualLikelihood = level("residual_likelihood", m.Scale.Likelihood)
		in.ResidualConsequence = level("residual_consequence", m.Scale.Consequence)
		// Treatment, owner, deadline.
		if t := strings.ToLower(c["treatment"]); t != "" {
			tr, ok := riskTreatmentWords[t]
			if !ok {
				problem(r.Row, "treatment", "risk.err.import_treatment", c["treatment"])
			}
			in.Treatment = tr
		}
		if e := strings.ToLower(c["owner"]); e != "" {
			id, ok := l.members[e]
			if !ok {
				problem(r.Row, "owner", "risk.err.import_unknown_owner", c["owner"])
			} else {
				in.OwnerID = &id
				out.OwnerEmail = e
			}
		}
		if d := c["deadline"]; d != "" {
			day, ok := riskParseDate(d)
			if !ok {
				problem(r.Row, "deadline", "risk.err.import_date", d)
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
			problem(r.Row, field, "risk.err.import_unknown_control", token)
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
				problem(r.Row, "planned_controls", "risk.err.import_unknown_control", tok)
				continue
			}
			in.PlannedControls = append(in.PlannedControls, ref("planned_controls", tok)...)
			out.PlannedControls = append(out.PlannedControls, riskNormalizeRef(tok))
		}
		in.ExistingControls, in.PlannedControls = uniq(in.ExistingControls), uniq(in.PlannedControls)
		// The same checks as the form's, once the row reads right.
		if len(pv.Problems) == before {
			var v isms.Validation
			p, err := tx.riskCheck(&v, orgID, m, in, th, out.Asset)
			if err != nil {
				return nil, nil, err
			}
			if e := isms.AsError(v.Err()); e != nil {
				for _, fe := range e.Fields {
					problem(r.Row, riskFieldColumn(s, fe.Field), fe.Key, fe.Args...)
				}
			} else {
				out.Title = p.in.Title
				out.Likelihood, out.Consequence, out.Treatment, out.Deadline = p.in.Likelihood, p.in.Consequence, p.in.Treatment, p.in.Deadline
				out.Inherent, out.Residual = riskLevel(m, p.il, p.ic), riskLevel(m, p.rl, p.rc)
				plans = append(plans, riskImportPlan{row: r.Row, assetID: asset.id, name: asset.name, p: p})
				if _, ok := l.assessments[asset.id]; !ok {
					newAssessments[asset.id] = true
				}
			}
		}
		out.Problems = len(pv.Problems) - before
		pv.Rows = append(pv.Rows, out)
	}
	pv.Valid = len(pv.Problems) == 0
	pv.Assessments = len(newAssessments)
	return pv, plans, nil
}

// riskImport stores a checked sheet, or nothing when any row has a problem.
func (tx *Tx) riskImport(orgID int64, s *isms.RiskSheet) (*isms.RiskImportResult, error) {
	if err := tx.riskAdoptEntries(orgID); err != nil {
		return nil, err
	}
	m, err := tx.riskMethod(orgID)
	if err != nil {
		return nil, err
	}
	pv, plans, err := tx.riskResolveSheet(orgID, m, s)
	if err != nil {
		return nil, err
	}
	if !pv.Valid {
		return nil, isms.Errorf(isms.EInvalid, "risk.err.import_invalid", len(pv.Problems))
	}
	l, err := tx.riskImportLookups(orgID)
	if err != nil {
		return nil, err
	}
	res := &isms.RiskImportResult{}
	made := map[int64]int64{} // asset → assessment begun by this import
	var order []int64
	for _, pl := range plans {
		aid, ok := made[pl.assetID]
		if !ok {
			aid, ok = l.assessments[pl.assetID]
		}
		if !ok {
			now := ts(tx.now)
			interval := m.DefaultIntervalMonths
			aid, err = tx.insert(`INSERT INTO risk_assessments (organisation_id, title, asset_id, scenario, description, status,
				interval_months, version, created_at, updated_at) VALUES (?, ?, ?, '', ?, ?, ?, 1, ?, ?)`,
				orgID, pl.name, pl.assetID, "Importeret fra "+s.Filename+" / imported from "+s.Filename, isms.AssessmentInProgress, interval, now, now)
			if err != nil {
				return nil, err
			}
			made[pl.assetID] = aid
			order = append(order, aid)
		}
		pl.p.in.AssessmentID = aid
		asset := pl.assetID
		pl.p.assetID = &asset
		r, err := tx.riskInsert(orgID, m, pl.p, "import_risks")
		if err != nil {
			return nil, err
		}
		res.RiskIDs = append(res.RiskIDs, r.ID)
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
	res.Risks, res.Assessments = len(res.RiskIDs), len(order)
	return res, nil
}

// PreviewRiskSheet checks a sheet and says what an import would do.
func (db *DB) PreviewRiskSheet(ctx context.Context, orgID int64, s *isms.RiskSheet) (*isms.RiskImportPreview, error) {
	var pv *isms.RiskImportPreview
	err := db.read(ctx, "PreviewRiskSheet", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		m, err := tx.riskMethod(orgID)
		if err != nil {
			return err
		}
		pv, _, err = tx.riskResolveSheet(orgID, m, s)
		return err
	})
	return pv, err
}

// ImportRiskSheet imports a sheet in one transaction, or nothing.
func (db *DB) ImportRiskSheet(ctx context.Context, orgID int64, s *isms.RiskSheet) (*isms.RiskImportResult, error) {
	var res *isms.RiskImportResult
	err := db.write(ctx, "ImportRiskSheet", func(tx *Tx) (err error) {
		if _, err = tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		if res, err = tx.riskImport(orgID, s); err != nil {
			return err
		}
		return tx.audit(orgID, "import_risks", typeRiskImport, 0, nil, map[string]any{"filename": s.Filename, "rows": len(s.Rows),
			"risks": res.Risks, "new_assessments": res.Assessments})
	})
	return res, err
}

// riskStagedKeep is how long an upload waits for its confirmation.
const riskStagedKeep = 7 * 24 * time.Hour

// StageRiskImport keeps a read sheet for the user to confirm after the
// preview, and returns the preview.
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
		if pv, _, err = tx.riskResolveSheet(orgID, m, s); err != nil {
			return err
		}
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

// StagedRiskImport checks a staged sheet again (the records may have
// changed since it was uploaded) and says what the import would do.
func (db *DB) StagedRiskImport(ctx context.Context, orgID, id int64) (*isms.RiskImportPreview, error) {
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
		if pv, _, err = tx.riskResolveSheet(orgID, m, s); err != nil {
			return err
		}
		pv.ID, pv.Imported = id, imported
		return nil
	})
	return pv, err
}

// ImportStagedRisks imports a staged sheet in one transaction, or nothing.
func (db *DB) ImportStagedRisks(ctx context.Context, orgID, id int64) (*isms.RiskImportResult, error) {
	var res *isms.RiskImportResult
	err := db.write(ctx, "ImportStagedRisks", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		s, imported, err := tx.riskStaged(orgID, id)
		if err != nil {
			return err
		}
		if imported {
			return isms.Errorf(isms.EConflict, "risk.err.import_done")
		}
		if res, err = tx.riskImport(orgID, s); err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE risk_imports SET imported_at = ? WHERE organisation_id = ? AND id = ?", ts(tx.now), orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "import_risks", typeRiskImport, id, nil, map[string]any{"filename": s.Filename, "rows": len(s.Rows),
			"risks": res.Risks, "new_assessments": res.Assessments})
	})
	return res, err
}
