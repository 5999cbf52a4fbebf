package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ismsdk/isms"
)

// The risk register: one risk per threat to an assessment's subject, with
// its inherent level, treatment, planned controls, residual level and
// management's acceptance. Levels are stored with their scores so the
// register is filtered, sorted and paginated in the database and the heat
// map is one GROUP BY per grid; bands and acceptability follow from the
// organisation's method when read.

// Every join is a LEFT JOIN (the assessment and threat always exist), so
// the planner keeps the risks as the outer loop and reads them in the
// order of the sort's index, stopping at the page's end.
const riskFrom = ` FROM risks r
	LEFT JOIN risk_assessments ra ON ra.id = r.assessment_id
	LEFT JOIN assets a ON a.id = r.asset_id
	LEFT JOIN overview_entries e ON e.id = a.entry_id AND e.organisation_id = a.organisation_id
	LEFT JOIN threats t ON t.id = r.threat_id
	LEFT JOIN users u ON u.id = r.owner_id
	LEFT JOIN risk_acceptances acc ON acc.id = r.acceptance_id
	LEFT JOIN users au ON au.id = acc.accepted_by`

const riskColumns = `r.id, r.organisation_id, r.assessment_id, ra.title, r.asset_id, COALESCE(e.name, a.name, ''), r.threat_id, t.name_da, t.name_en,
	r.title, r.description, r.likelihood, r.cons_c, r.cons_i, r.cons_a, r.cons_org, r.cons_citizens, r.cons_society, r.inherent_l, r.inherent_c,
	r.existing_text, r.treatment, r.treatment_note, r.owner_id, COALESCE(u.name, ''), r.deadline, r.residual_l, r.residual_c,
	acc.id, acc.accepted_by, COALESCE(au.name, ''), acc.accepted_at, acc.reason, acc.expires, acc.likelihood, acc.consequence,
	r.open_tasks, r.next_due, r.version, r.created_at, r.updated_at`

// scanRisk reads a risk and rates it with the method.
func scanRisk(row scanner, m *isms.RiskMethod, today isms.Date) (*isms.Risk, error) {
	var r isms.Risk
	var asset, owner, accID, accBy, accL, accC sql.NullInt64
	var treatment, accByName string
	var accAt, accReason, accExpires sql.NullString
	var il, ic, rl, rc int
	c := &r.Consequence
	if err := row.Scan(&r.ID, &r.OrganisationID, &r.AssessmentID, &r.AssessmentTitle, &asset, &r.AssetName, &r.ThreatID, &r.ThreatNameDA,
		&r.ThreatNameEN, &r.Title, &r.Description, &r.Likelihood, &c.Confidentiality, &c.Integrity, &c.Availability, &c.Organisation,
		&c.Citizens, &c.Society, &il, &ic, &r.ExistingControlsText, &treatment, &r.TreatmentNote, &owner, &r.OwnerName, scanDatePtr{&r.Deadline},
		&rl, &rc, &accID, &accBy, &accByName, &accAt, &accReason, &accExpires, &accL, &accC, &r.OpenTasks, scanDatePtr{&r.NextDue},
		&r.Version, scanTime{&r.CreatedAt}, scanTime{&r.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("risk")
		}
		return nil, err
	}
	r.AssetID, r.OwnerID, r.Treatment = int64Ptr(asset), int64Ptr(owner), isms.Treatment(treatment)
	r.Inherent, r.Residual = riskLevel(m, il, ic), riskLevel(m, rl, rc)
	if accID.Valid {
		exp := parseDatePtr(accExpires)
		r.Acceptance = &isms.RiskAcceptance{ID: accID.Int64, RiskID: r.ID, AcceptedByID: accBy.Int64, AcceptedByName: accByName,
			Reason: accReason.String, Likelihood: int(accL.Int64), Consequence: int(accC.Int64)}
		if t := parseTSPtr(accAt); t != nil {
			r.Acceptance.AcceptedAt = *t
		}
		if exp != nil {
			r.Acceptance.Expires = *exp
		}
	}
	r.JudgeAcceptance(today)
	return &r, nil
}

func (tx *Tx) risk(orgID int64, m *isms.RiskMethod, id int64) (*isms.Risk, error) {
	r, err := scanRisk(tx.queryRow("SELECT "+riskColumns+riskFrom+" WHERE r.organisation_id = ? AND r.id = ?", orgID, id), m, tx.Today())
	if err != nil {
		return nil, err
	}
	ctrl, err := tx.riskControlIDs(orgID, []int64{id})
	if err != nil {
		return nil, err
	}
	setRiskControls(r, ctrl)
	return r, nil
}

// setRiskControls gives a risk its controls from riskControlIDs: empty
// lists, never nil, when it has none, so that every answer of the API says
// [] alike.
func setRiskControls(r *isms.Risk, ctrl map[int64]map[string][]int64) {
	r.ExistingControls, r.PlannedControls = ctrl[r.ID]["existing"], ctrl[r.ID]["planned"]
	if r.ExistingControls == nil {
		r.ExistingControls = []int64{}
	}
	if r.PlannedControls == nil {
		r.PlannedControls = []int64{}
	}
	r.JudgeComplete()
}

// riskControlIDs reads the existing and planned controls of risks.
func (tx *Tx) riskControlIDs(orgID int64, ids []int64) (map[int64]map[string][]int64, error) {
	out := map[int64]map[string][]int64{}
	if len(ids) == 0 {
		return out, nil
	}
	err := tx.queryEach(`SELECT rc.risk_id, rc.role, rc.control_id FROM risk_controls rc JOIN controls c ON c.id = rc.control_id
		WHERE rc.organisation_id = ? AND rc.risk_id IN (`+placeholders(len(ids))+`) ORDER BY c.sort_key, c.id`,
		append([]any{orgID}, int64sToAny(ids)...), func(row scanner) error {
			var rid, cid int64
			var role string
			if err := row.Scan(&rid, &role, &cid); err != nil {
				return err
			}
			if out[rid] == nil {
				out[rid] = map[string][]int64{}
			}
			out[rid][role] = append(out[rid][role], cid)
			return nil
		})
	return out, err
}

// riskWhere turns a filter into SQL over the risks table alone, so that
// counting and the heat map need no joins.
// A text search reads only the matching risks through the text index (see
// textSearch).
func riskWhere(d Dialect, m *isms.RiskMethod, f isms.RiskFilter, today isms.Date) (string, []any, error) {
	var v isms.Validation
	var search string
	var searchArgs []any
	org := "r.organisation_id"
	if q := strings.TrimSpace(f.Query); q != "" {
		var byIndex bool
		if search, searchArgs, byIndex = textSearch(d, q, "r.id", "risks_text", "r.search_text"); byIndex {
			org = "+" + org // see textSearch
		}
	}
	where := " WHERE " + org + " = ?"
	var args []any
	for _, x := range []struct {
		col string
		id  int64
	}{{"r.asset_id", f.AssetID}, {"r.owner_id", f.OwnerID}, {"r.assessment_id", f.AssessmentID}, {"r.threat_id", f.ThreatID}} {
		if x.id != 0 {
			where += " AND " + x.col + " = ?"
			args = append(args, x.id)
		}
	}
	grid := "r.residual"
	switch f.Grid {
	case "", isms.GridResidual:
	case isms.GridInherent:
		grid = "r.inherent"
	default:
		v.Add("grid", "err.choice")
	}
	if f.Band != "" {
		if m.Scale.BandByKey(f.Band) == nil {
			v.Add("band", "err.choice")
		}
		where += " AND " + riskBandCellSQL(m, f.Band, grid)
	}
	if f.Likelihood != 0 || f.Consequence != 0 {
		if !m.Scale.InRange(f.Likelihood) || !m.Scale.InRange(f.Consequence) {
			v.Add("cell", "risk.err.level", 1, m.Scale.Size)
		}
		where += " AND " + grid + "_l = ? AND " + grid + "_c = ?"
		args = append(args, f.Likelihood, f.Consequence)
	}
	switch {
	case f.Treatment == "":
	case f.Treatment == "none":
		where += " AND r.treatment = ''"
	case isms.Treatment(f.Treatment).Valid():
		where += " AND r.treatment = ?"
		args = append(args, f.Treatment)
	default:
		v.Add("treatment", "err.choice")
	}
	if f.Overdue {
		where += " AND r.next_due < ?"
		args = append(args, today.String())
	}
	if f.NeedsAcceptance {
		where += " AND NOT " + riskAcceptableCellSQL(m, "r.residual") +
			" AND NOT (COALESCE(r.accepted_until, '') >= ? AND r.residual_l <= r.accepted_l AND r.residual_c <= r.accepted_c)"
		args = append(args, today.String())
	}
	if f.Incomplete {
		// isms.Risk.JudgeComplete in SQL.
		where += ` AND r.treatment <> '' AND (r.owner_id IS NULL OR (r.treatment IN ('mitigate', 'avoid', 'share') AND r.deadline IS NULL)
			OR (r.treatment = 'mitigate' AND NOT EXISTS (SELECT 1 FROM risk_controls rc WHERE rc.organisation_id = r.organisation_id
			AND rc.risk_id = r.id AND rc.role = 'planned')))`
	}
	if search != "" {
		where += " AND " + search
		args = append(args, searchArgs...)
	}
	return where, args, v.Err()
}

var riskSorts = map[string]string{
	"title": "r.title", "asset": "a.name", "threat": "t.name_da", "owner": "u.name",
	"inherent": "r.inherent_score", "residual": "r.residual_score", "treatment": "r.treatment", "deadline": "r.deadline",
	"next_due": "r.next_due", "assessment": "ra.title",
}

// riskSortJoins are the joins a sort needs to find its key.
var riskSortJoins = map[string]string{
	"asset":      " LEFT JOIN assets a ON a.id = r.asset_id",
	"threat":     " LEFT JOIN threats t ON t.id = r.threat_id",
	"owner":      " LEFT JOIN users u ON u.id = r.owner_id",
	"assessment": " LEFT JOIN risk_assessments ra ON ra.id = r.assessment_id",
}

// Risks lists the register, filtered, sorted and paginated in the
// database: only the page is read into memory, each risk with its
// controls. The page's risks are
// found first by id with only the joins the sort needs, then read whole,
// so a sort on a joined column or a deep page sorts narrow rows.
func (db *DB) Risks(ctx context.Context, orgID int64, f isms.RiskFilter) ([]*isms.Risk, int, error) {
	var out []*isms.Risk
	var total int
	err := db.read(ctx, "Risks", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		m, err := tx.riskMethod(orgID)
		if err != nil {
			return err
		}
		q, err := riskListSQL(tx.db.Dialect, m, orgID, f, tx.Today())
		if err != nil {
			return err
		}
		// Which risks a filter's page holds, and how many the filter
		// matches, are kept until the records change (derived.go): the
		// register's first page, which every coordinator opens, and a
		// text search are found once, and the risks themselves are then
		// read by their ids. The count is kept apart, for every page of
		// the filter.
		key := f
		key.Sort, key.Offset, key.Limit = "", 0, 0
		count := func() (int, error) {
			return keep(tx, orgID, fmt.Sprintf("risk_count:%+v", key), func() (int, error) { return tx.count(q.count, q.countArgs...) })
		}
		page, err := keep(tx, orgID, fmt.Sprintf("risk_page:%+v", f), func() (riskPage, error) {
			var p riskPage
			ids, err := tx.riskPageIDs(q, count, &p.total)
			p.ids = ids
			return p, err
		})
		if err != nil {
			return err
		}
		ids := page.ids
		total = page.total
		if len(ids) == 0 {
			return nil
		}
		rows, err := tx.query(riskPageSQL(len(ids)),
			append([]any{orgID}, int64sToAny(ids)...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		today := tx.Today()
		byID := make(map[int64]*isms.Risk, len(ids))
		for rows.Next() {
			r, err := scanRisk(rows, m, today)
			if err != nil {
				return err
			}
			byID[r.ID] = r
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		// Each risk with its controls, as Risk reads one.
		ctrl, err := tx.riskControlIDs(orgID, ids)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if r, ok := byID[id]; ok {
				setRiskControls(r, ctrl)
				out = append(out, r)
			}
		}
		return nil
	})
	return out, total, err
}

// Risk reads one risk with its controls.
func (db *DB) Risk(ctx context.Context, orgID, id int64) (*isms.Risk, error) {
	var r *isms.Risk
	err := db.read(ctx, "Risk", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		m, err := tx.riskMethod(orgID)
		if err != nil {
			return err
		}
		r, err = tx.risk(orgID, m, id)
		return err
	})
	return r, err
}

// RiskHeatMap counts the risks per cell before and after treatment, with
// the register's filter: one GROUP BY per grid, kept until the records
// change (derived.go).
func (db *DB) RiskHeatMap(ctx context.Context, orgID int64, f isms.RiskFilter) (*isms.RiskHeatMap, error) {
	// The cell of a grid is what the map shows, so a cell filter does not
	// narrow the map itself; the order and the page do not change counts.
	f.Likelihood, f.Consequence, f.Band = 0, 0, ""
	f.Sort, f.Offset, f.Limit = "", 0, 0
	return view(db, ctx, "RiskHeatMap", orgID, func(tx *Tx) (*isms.RiskHeatMap, error) {
		return keep(tx, orgID, fmt.Sprintf("risk_heatmap:%+v", f), func() (*isms.RiskHeatMap, error) { return tx.riskHeatMap(orgID, f) })
	})
}

func (tx *Tx) riskHeatMap(orgID int64, f isms.RiskFilter) (*isms.RiskHeatMap, error) {
	m, err := tx.riskMethod(orgID)
	if err != nil {
		return nil, err
	}
	where, args, err := riskWhere(tx.db.Dialect, m, f, tx.Today())
	if err != nil {
		return nil, err
	}
	args = append([]any{orgID}, args...)
	n := m.Scale.Size
	h := &isms.RiskHeatMap{Size: n}
	for _, g := range []struct {
		prefix string
		grid   *[][]int
	}{{"r.inherent", &h.Inherent}, {"r.residual", &h.Residual}} {
		*g.grid = make([][]int, n)
		for i := range *g.grid {
			(*g.grid)[i] = make([]int, n)
		}
		total := 0
		err := tx.queryEach("SELECT "+g.prefix+"_l, "+g.prefix+"_c, COUNT(*) FROM risks r"+where+" GROUP BY "+g.prefix+"_l, "+g.prefix+"_c", args,
			func(row scanner) error {
				var l, c, k int
				if err := row.Scan(&l, &c, &k); err != nil {
					return err
				}
				if l >= 1 && l <= n && c >= 1 && c <= n {
					(*g.grid)[l-1][c-1] = k
				}
				total += k
				return nil
			})
		if err != nil {
			return nil, err
		}
		h.Total = total
	}
	return h, nil
}

// RiskSummary counts the whole register: the register's headline, kept
// until the records change (derived.go). Each count is answered from an
// index when it is computed.
func (db *DB) RiskSummary(ctx context.Context, orgID int64) (*isms.RiskSummary, error) {
	return view(db, ctx, "RiskSummary", orgID, func(tx *Tx) (*isms.RiskSummary, error) {
		sum, err := keep(tx, orgID, "risk_summary", func() (isms.RiskSummary, error) { return tx.riskSummary(orgID) })
		return &sum, err
	})
}

func (tx *Tx) riskSummary(orgID int64) (isms.RiskSummary, error) {
	var sum isms.RiskSummary
	m, err := tx.riskMethod(orgID)
	if err != nil {
		return sum, err
	}
	today := tx.Today()
	for _, c := range []struct {
		dst *int
		f   isms.RiskFilter
	}{{&sum.Total, isms.RiskFilter{}}, {&sum.NeedsAcceptance, isms.RiskFilter{NeedsAcceptance: true}},
		{&sum.Overdue, isms.RiskFilter{Overdue: true}}, {&sum.Undecided, isms.RiskFilter{Treatment: "none"}}} {
		where, args, err := riskWhere(tx.db.Dialect, m, c.f, today)
		if err != nil {
			return sum, err
		}
		if *c.dst, err = tx.count("SELECT COUNT(*) FROM risks r"+where, append([]any{orgID}, args...)...); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// riskValidControls checks that control ids name Annex A 2022 controls or
// the organisation's own.
func (tx *Tx) riskValidControls(v *isms.Validation, field string, orgID int64, ids []int64) error {
	ids = uniq(ids)
	if len(ids) == 0 {
		return nil
	}
	if len(ids) > 100 {
		v.Add(field, "err.too_many_links", 100)
		return nil
	}
	n, err := tx.count(`SELECT COUNT(*) FROM controls WHERE (organisation_id IS NULL OR organisation_id = ?)
		AND catalogue IN ('iso27001:2022', 'own') AND id IN (`+placeholders(len(ids))+")", append([]any{orgID}, int64sToAny(ids)...)...)
	if err != nil {
		return err
	}
	if n != len(ids) {
		v.Add(field, "risk.err.unknown_control")
	}
	return nil
}

// riskPrepared is a validated risk input with its derived levels.
type riskPrepared struct {
	in      isms.RiskInput
	assetID *int64
	il, ic  int
	rl, rc  int
}

// validateRisk checks a risk's input against the method's scale and the
// organisation's records, and works out the inherent and residual levels.
func (tx *Tx) validateRisk(orgID int64, m *isms.RiskMethod, in isms.RiskInput) (*riskPrepared, error) {
	var v isms.Validation
	var subject string
	var assetID sql.NullInt64
	err := tx.queryRow(`SELECT ra.asset_id, COALESCE(e.name, a.name, ra.title) FROM risk_assessments ra LEFT JOIN assets a ON a.id = ra.asset_id
		LEFT JOIN overview_entries e ON e.id = a.entry_id AND e.organisation_id = a.organisation_id WHERE ra.organisation_id = ? AND ra.id = ?`,
		orgID, in.AssessmentID).Scan(&assetID, &subject)
	if errors.Is(err, sql.ErrNoRows) {
		v.Add("assessment_id", "err.unknown_reference")
	} else if err != nil {
		return nil, err
	}
	th, err := tx.threat(orgID, in.ThreatID)
	switch {
	case isms.ErrorCode(err) == isms.ENotFound:
		v.Add("threat_id", "risk.err.unknown_threat")
		th = nil
	case err != nil:
		return nil, err
	case th.Status != isms.StatusActive:
		v.Add("threat_id", "risk.err.threat_retired")
	}
	p, err := tx.riskCheck(&v, orgID, m, in, th, subject)
	if err != nil {
		return nil, err
	}
	p.assetID = int64Ptr(assetID)
	return p, v.Err()
}

// riskCheck checks everything of a risk but its assessment and threat,
// which the caller has looked up: the import checks rows before their
// assessments exist.
func (tx *Tx) riskCheck(v *isms.Validation, orgID int64, m *isms.RiskMethod, in isms.RiskInput, th *isms.Threat, subject string) (*riskPrepared, error) {
	c, err := in.Check(v, m, th, subject, riskRecords{tx, orgID})
	if err != nil {
		return nil, err
	}
	return &riskPrepared{in: c.Input, il: c.InherentLikelihood, ic: c.InherentConsequence, rl: c.ResidualLikelihood, rc: c.ResidualConsequence}, nil
}

// riskRecords answers a risk's checks that need the organisation's records.
type riskRecords struct {
	tx    *Tx
	orgID int64
}

func (r riskRecords) CheckControls(v *isms.Validation, field string, ids []int64) error {
	return r.tx.riskValidControls(v, field, r.orgID, ids)
}

func (r riskRecords) CheckMember(v *isms.Validation, field string, userID *int64) {
	r.tx.checkMember(v, field, r.orgID, userID)
}

// riskSetControls replaces a risk's existing and planned controls, in its
// own table (which knows which is which) and in record_links (which the
// Statement of Applicability reads).
func (tx *Tx) riskSetControls(orgID, riskID int64, existing, planned []int64) error {
	if _, err := tx.exec("DELETE FROM risk_controls WHERE organisation_id = ? AND risk_id = ?", orgID, riskID); err != nil {
		return err
	}
	for role, ids := range map[string][]int64{"existing": uniq(existing), "planned": uniq(planned)} {
		for _, id := range ids {
			if _, err := tx.exec("INSERT INTO risk_controls (organisation_id, risk_id, control_id, role) VALUES (?, ?, ?, ?)",
				orgID, riskID, id, role); err != nil {
				return err
			}
		}
	}
	return tx.setLinks(orgID, typeRisk, riskID, typeRiskControl, append(append([]int64{}, existing...), planned...), false)
}

// riskRefreshDue works out what of a risk's treatment is due: the
// earliest deadline of its open actions, or, while it has no actions, the
// decision's own deadline.
func (tx *Tx) riskRefreshDue(orgID, riskID int64) error {
	var open, all int
	var first sql.NullString
	if err := tx.queryRow(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN status IN ('planned', 'in_progress') THEN 1 ELSE 0 END), 0),
		MIN(CASE WHEN status IN ('planned', 'in_progress') THEN deadline END) FROM risk_tasks WHERE organisation_id = ? AND risk_id = ?`,
		orgID, riskID).Scan(&all, &open, &first); err != nil {
		return err
	}
	var due any
	if first.Valid {
		due = first.String
	}
	if all == 0 {
		_, err := tx.exec(`UPDATE risks SET open_tasks = 0, next_due = CASE WHEN treatment IN ('mitigate', 'avoid', 'share') THEN deadline END
			WHERE organisation_id = ? AND id = ?`, orgID, riskID)
		return err
	}
	_, err := tx.exec("UPDATE risks SET open_tasks = ?, next_due = ? WHERE organisation_id = ? AND id = ?", open, due, orgID, riskID)
	return err
}

// riskSearchText is what the register's search looks in, lower-cased.
func riskSearchText(in isms.RiskInput) string {
	return strings.ToLower(in.Title + " " + strings.TrimSpace(in.Description))
}

// riskInsert stores a validated risk and its audit event.
func (tx *Tx) riskInsert(orgID int64, m *isms.RiskMethod, p *riskPrepared, action string) (*isms.Risk, error) {
	in, c := p.in, p.in.Consequence
	now := ts(tx.now)
	id, err := tx.insert(`INSERT INTO risks (organisation_id, assessment_id, asset_id, threat_id, title, description, likelihood,
		cons_c, cons_i, cons_a, cons_org, cons_citizens, cons_society, inherent_l, inherent_c, inherent_score, existing_text,
		treatment, treatment_note, owner_id, deadline, residual_l, residual_c, residual_score, search_text, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		orgID, in.AssessmentID, nullInt(p.assetID), in.ThreatID, in.Title, strings.TrimSpace(in.Description), in.Likelihood,
		c.Confidentiality, c.Integrity, c.Availability, c.Organisation, c.Citizens, c.Society, p.il, p.ic, p.il*p.ic,
		strings.TrimSpace(in.ExistingControlsText), in.Treatment, strings.TrimSpace(in.TreatmentNote), nullInt(in.OwnerID),
		dateArg(in.Deadline), p.rl, p.rc, p.rl*p.rc, riskSearchText(in), now, now)
	if err != nil {
		return nil, err
	}
	if err := tx.riskSetControls(orgID, id, in.ExistingControls, in.PlannedControls); err != nil {
		return nil, err
	}
	if err := tx.riskRefreshDue(orgID, id); err != nil {
		return nil, err
	}
	r, err := tx.risk(orgID, m, id)
	if err != nil {
		return nil, err
	}
	return r, tx.audit(orgID, action, typeRisk, id, nil, r)
}

// CreateRisk adds a risk to an assessment. Contributors may add risks
// they own.
func (db *DB) CreateRisk(ctx context.Context, orgID int64, in isms.RiskInput) (*isms.Risk, error) {
	var r *isms.Risk
	err := db.write(ctx, "CreateRisk", func(tx *Tx) error {
		if _, err := tx.requireEdit(orgID, in.OwnerID); err != nil {
			return err
		}
		m, err := tx.riskMethod(orgID)
		if err != nil {
			return err
		}
		p, err := tx.validateRisk(orgID, m, in)
		if err != nil {
			return err
		}
		r, err = tx.riskInsert(orgID, m, p, "create")
		return err
	})
	return r, err
}

// UpdateRisk changes a risk, refusing a stale version.
func (db *DB) UpdateRisk(ctx context.Context, orgID, id int64, in isms.RiskInput) (*isms.Risk, error) {
	var r *isms.Risk
	err := db.write(ctx, "UpdateRisk", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		m, err := tx.riskMethod(orgID)
		if err != nil {
			return err
		}
		before, err := tx.risk(orgID, m, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, in.Version, before.OwnerID, in.OwnerID); err != nil {
			return err
		}
		if in.AssessmentID == 0 {
			in.AssessmentID = before.AssessmentID
		}
		p, err := tx.validateRisk(orgID, m, in)
		if err != nil {
			return err
		}
		in, c := p.in, p.in.Consequence
		if _, err := tx.exec(`UPDATE risks SET assessment_id = ?, asset_id = ?, threat_id = ?, title = ?, description = ?, likelihood = ?,
			cons_c = ?, cons_i = ?, cons_a = ?, cons_org = ?, cons_citizens = ?, cons_society = ?, inherent_l = ?, inherent_c = ?,
			inherent_score = ?, existing_text = ?, treatment = ?, treatment_note = ?, owner_id = ?, deadline = ?, residual_l = ?,
			residual_c = ?, residual_score = ?, search_text = ?, version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			in.AssessmentID, nullInt(p.assetID), in.ThreatID, in.Title, strings.TrimSpace(in.Description), in.Likelihood,
			c.Confidentiality, c.Integrity, c.Availability, c.Organisation, c.Citizens, c.Society, p.il, p.ic, p.il*p.ic,
			strings.TrimSpace(in.ExistingControlsText), in.Treatment, strings.TrimSpace(in.TreatmentNote), nullInt(in.OwnerID),
			dateArg(in.Deadline), p.rl, p.rc, p.rl*p.rc, riskSearchText(in), ts(tx.now), orgID, id); err != nil {
			return err
		}
		if err := tx.riskSetControls(orgID, id, in.ExistingControls, in.PlannedControls); err != nil {
			return err
		}
		if err := tx.riskRefreshDue(orgID, id); err != nil {
			return err
		}
		if r, err = tx.risk(orgID, m, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeRisk, id, before, r)
	})
	return r, err
}

// riskDelete removes a risk with its actions, acceptances and links.
func (tx *Tx) riskDelete(orgID int64, m *isms.RiskMethod, id int64) error {
	before, err := tx.risk(orgID, m, id)
	if err != nil {
		return err
	}
	tasks, err := queryAll(tx, scanInt64, "SELECT id FROM risk_tasks WHERE organisation_id = ? AND risk_id = ?", orgID, id)
	if err != nil {
		return err
	}
	for _, t := range tasks {
		if err := tx.deleteLinks(orgID, typeRiskTask, t); err != nil {
			return err
		}
	}
	for _, q := range []string{"DELETE FROM risk_tasks WHERE organisation_id = ? AND risk_id = ?",
		"DELETE FROM risk_acceptances WHERE organisation_id = ? AND risk_id = ?",
		"DELETE FROM risk_controls WHERE organisation_id = ? AND risk_id = ?"} {
		if _, err := tx.exec(q, orgID, id); err != nil {
			return err
		}
	}
	if err := tx.deleteLinks(orgID, typeRisk, id); err != nil {
		return err
	}
	return tx.deleteRecord(orgID, "risks", typeRisk, id, before)
}

// DeleteRisk removes a risk, refusing a stale version.
func (db *DB) DeleteRisk(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteRisk", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		m, err := tx.riskMethod(orgID)
		if err != nil {
			return err
		}
		before, err := tx.risk(orgID, m, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, version, before.OwnerID); err != nil {
			return err
		}
		return tx.riskDelete(orgID, m, id)
	})
}

// AcceptRisk records management's acceptance of a residual risk above the
// acceptance criteria (clause 6.1.3 f). Only a user with the management
// role may; a reason and an expiry are required.
func (db *DB) AcceptRisk(ctx context.Context, orgID, id int64, in isms.RiskAcceptanceInput) (*isms.Risk, error) {
	var r *isms.Risk
	err := db.write(ctx, "AcceptRisk", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermApprove); err != nil {
			return err
		}
		m, err := tx.riskMethod(orgID)
		if err != nil {
			return err
		}
		before, err := tx.risk(orgID, m, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		if err := in.Check(before, tx.Today()); err != nil {
			return err
		}
		accID, err := tx.insert(`INSERT INTO risk_acceptances (organisation_id, risk_id, accepted_by, accepted_at, reason, expires, likelihood, consequence)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, orgID, id, tx.actor.UserID, ts(tx.now), in.Reason, in.Expires.String(),
			before.Residual.Likelihood, before.Residual.Consequence)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE risks SET acceptance_id = ?, accepted_until = ?, accepted_l = ?, accepted_c = ?, version = version + 1,
			updated_at = ? WHERE organisation_id = ? AND id = ?`, accID, in.Expires.String(), before.Residual.Likelihood,
			before.Residual.Consequence, ts(tx.now), orgID, id); err != nil {
			return err
		}
		if r, err = tx.risk(orgID, m, id); err != nil {
			return err
		}
		return tx.audit(orgID, "accept_risk", typeRisk, id, before, r)
	})
	return r, err
}

// RiskAcceptances lists a risk's acceptances, latest first.
func (db *DB) RiskAcceptances(ctx context.Context, orgID, riskID int64) ([]*isms.RiskAcceptance, error) {
	var out []*isms.RiskAcceptance
	err := db.read(ctx, "RiskAcceptances", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		if n, err := tx.count("SELECT COUNT(*) FROM risks WHERE organisation_id = ? AND id = ?", orgID, riskID); err != nil || n == 0 {
			if err == nil {
				err = notFound("risk")
			}
			return err
		}
		var err error
		out, err = queryAll(tx, func(row scanner) (*isms.RiskAcceptance, error) {
			a := &isms.RiskAcceptance{RiskID: riskID}
			var exp string
			if err := row.Scan(&a.ID, &a.AcceptedByID, &a.AcceptedByName, scanTime{&a.AcceptedAt}, &a.Reason, &exp, &a.Likelihood, &a.Consequence); err != nil {
				return nil, err
			}
			if d, err := isms.ParseDate(exp); err == nil {
				a.Expires = d
			}
			return a, nil
		}, `SELECT acc.id, acc.accepted_by, u.name, acc.accepted_at, acc.reason, acc.expires, acc.likelihood, acc.consequence
			FROM risk_acceptances acc JOIN users u ON u.id = acc.accepted_by WHERE acc.organisation_id = ? AND acc.risk_id = ? ORDER BY acc.id DESC`,
			orgID, riskID)
		return err
	})
	return out, err
}

// riskControlOptions lists the controls a risk can name: Annex A's, kept
// by the store once read (catalogue.go), then the organisation's own.
func (tx *Tx) riskControlOptions(orgID int64) ([]*isms.RiskControlRef, error) {
	annex, err := tx.annexAControls()
	if err != nil {
		return nil, err
	}
	own, err := queryAll(tx, scanRiskControlRef, `SELECT id, catalogue, ref, theme, title_da, title_en, organisation_id FROM controls
		WHERE organisation_id = ? AND catalogue IN ('iso27001:2022', 'own') ORDER BY sort_key, id`, orgID)
	if err != nil {
		return nil, err
	}
	out := make([]*isms.RiskControlRef, 0, len(annex)+len(own))
	copies := slices.Clone(annex)
	for i := range copies {
		out = append(out, &copies[i])
	}
	return append(out, own...), nil
}

func scanRiskControlRef(row scanner) (*isms.RiskControlRef, error) {
	var c isms.RiskControlRef
	var org sql.NullInt64
	if err := row.Scan(&c.ID, &c.Catalogue, &c.Ref, &c.Theme, &c.TitleDA, &c.TitleEN, &org); err != nil {
		return nil, err
	}
	c.Own = org.Valid
	return &c, nil
}

// RiskControlOptions lists the controls a risk can name: the Annex A 2022
// controls, then the organisation's own.
func (db *DB) RiskControlOptions(ctx context.Context, orgID int64) ([]*isms.RiskControlRef, error) {
	return view(db, ctx, "RiskControlOptions", orgID, func(tx *Tx) ([]*isms.RiskControlRef, error) { return tx.riskControlOptions(orgID) })
}

var riskControlThemes = []string{"organizational", "people", "physical", "technological"}

// CreateOwnRiskControl adds one of the organisation's own controls, for
// risks that Annex A does not cover as the organisation needs.
func (db *DB) CreateOwnRiskControl(ctx context.Context, orgID int64, in isms.OwnRiskControlInput) (*isms.RiskControlRef, error) {
	var c *isms.RiskControlRef
	err := db.write(ctx, "CreateOwnRiskControl", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		var v isms.Validation
		in.Ref, in.TitleDA, in.TitleEN = strings.TrimSpace(in.Ref), strings.TrimSpace(in.TitleDA), strings.TrimSpace(in.TitleEN)
		requireText(&v, "own_control_ref", in.Ref, 30)
		if in.TitleDA == "" && in.TitleEN == "" {
			v.Add("own_control_title_da", "err.required")
		}
		checkText(&v, "own_control_title_da", in.TitleDA, 300)
		checkText(&v, "own_control_title_en", in.TitleEN, 300)
		ok := false
		for _, t := range riskControlThemes {
			ok = ok || t == in.Theme
		}
		if !ok {
			v.Add("own_control_theme", "err.choice")
		}
		if !v.Has("own_control_ref") {
			n, err := tx.count("SELECT COUNT(*) FROM controls WHERE organisation_id = ? AND catalogue = 'own' AND LOWER(ref) = ?", orgID, strings.ToLower(in.Ref))
			if err != nil {
				return err
			}
			if n > 0 {
				v.Add("own_control_ref", "err.duplicate")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		titleDA, titleEN := in.TitleDA, in.TitleEN
		if titleDA == "" {
			titleDA = titleEN
		}
		if titleEN == "" {
			titleEN = titleDA
		}
		id, err := tx.insert(`INSERT INTO controls (organisation_id, catalogue, ref, theme, title_da, title_en, sort_key, created_at)
			VALUES (?, 'own', ?, ?, ?, ?, ?, ?)`, orgID, in.Ref, in.Theme, titleDA, titleEN, "own."+strings.ToLower(in.Ref), ts(tx.now))
		if err != nil {
			return err
		}
		c = &isms.RiskControlRef{ID: id, Catalogue: "own", Ref: in.Ref, Theme: in.Theme, TitleDA: titleDA, TitleEN: titleEN, Own: true}
		return tx.audit(orgID, "create", typeOwnControl, id, nil, c)
	})
	return c, err
}

// listSQL is a register's two reads: the count of the rows the filter
// finds, and the page of them (for the risk register, the page's ids).
// When counted, the page's read also counts the rows, each row's last
// column, so the count's read is needed only for a page past the end.
// riskPage is a page of the register as kept: its risks' ids in order and
// the number the filter matches.
type riskPage struct {
	ids   []int64
	total int
}

type listSQL struct {
	count     string
	countArgs []any
	page      string
	pageArgs  []any
	counted   bool
}

// riskListSQL is the risk register's reads for a filter. The tie-breaker
// runs the same way as the sort, so an index on (organisation, sort
// column) serves the order without sorting; a text search starts from the
// text index's matches and sorts only those (see textSearch).
func riskListSQL(d Dialect, m *isms.RiskMethod, orgID int64, f isms.RiskFilter, today isms.Date) (listSQL, error) {
	where, args, err := riskWhere(d, m, f, today)
	if err != nil {
		return listSQL{}, err
	}
	args = append([]any{orgID}, args...)
	sort := f.Sort
	if sort == "" {
		sort = "-residual"
	}
	order := orderBy(sort, riskSorts, "r.residual_score DESC")
	if strings.HasSuffix(order, " DESC") {
		order += ", r.id DESC"
	} else {
		order += ", r.id"
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	// On SQLite a text search reads its matches to sort them anyway, so
	// the page's read counts them too, instead of a second search for the
	// count. Without one, the count is read apart: the page stops at its
	// end. PostgreSQL's planner takes the LIMIT to stop a read that the
	// count must finish, and may walk the sort's index through the whole
	// register, so there the count is always read apart.
	counted, count := d == SQLite && strings.TrimSpace(f.Query) != "", ""
	if counted {
		count = ", COUNT(*) OVER ()"
	}
	return listSQL{
		count: "SELECT COUNT(*) FROM risks r" + where, countArgs: args,
		page: "SELECT r.id" + count + " FROM risks r" + riskSortJoins[strings.TrimPrefix(sort, "-")] + where +
			" ORDER BY " + order + " LIMIT ? OFFSET ?",
		pageArgs: append(slices.Clip(args), limit, f.Offset),
		counted:  counted,
	}, nil
}

// riskPageIDs reads the ids of a page of the register, and the number of
// risks the filter finds into total.
func (tx *Tx) riskPageIDs(q listSQL, count func() (int, error), total *int) ([]int64, error) {
	if !q.counted {
		n, err := count()
		if err != nil {
			return nil, err
		}
		*total = n
		return queryAll(tx, scanInt64, q.page, q.pageArgs...)
	}
	var ids []int64
	err := tx.queryEach(q.page, q.pageArgs, func(row scanner) error {
		var id int64
		if err := row.Scan(&id, total); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	})
	if err == nil && len(ids) == 0 {
		// A page past the end counts nothing: the count is read apart.
		*total, err = count()
	}
	return ids, err
}

// riskPageSQL reads the page's risks whole by their ids (the organisation
// and the ids are its arguments). +r.organisation_id keeps SQLite, which
// has no statistics, from walking the organisation's risks by an index
// of the organisation to find the page's few ids (see textSearch).
func riskPageSQL(n int) string {
	return "SELECT " + riskColumns + riskFrom + " WHERE +r.organisation_id = ? AND r.id IN (" + placeholders(n) + ")"
}
