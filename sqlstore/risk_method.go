package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
)

// Record types of risk management in the audit trail and in links.
const (
	typeRiskMethod      = "risk_method"
	typeAsset           = "asset"
	typeThreatCatalogue = "threat_catalogue"
	typeThreat          = "threat"
	typeRiskAssessment  = "risk_assessment"
	typeRisk            = "risk"
	typeRiskTask        = "risk_task"
	typeOwnControl      = "own_control"
	typeRiskImport      = "risk_import"
	typeRiskControl     = "control" // the controls table, as the Statement of Applicability reads the links
)

// riskDefaultMethod is the method of an organisation that has not set its
// own: the "4x4 Standard" scale, its lowest band accepted without
// treatment, yearly reassessment.
func riskDefaultMethod(orgID int64) *isms.RiskMethod {
	s := cloneScale(defaultScale())
	return &isms.RiskMethod{OrganisationID: orgID, Scale: s, AcceptRule: isms.AcceptByBand, AcceptBand: s.Bands[0].Key,
		DefaultIntervalMonths: 12}
}

// defaultScale is the shipped default scale, read from the catalogue once:
// every page that shows a risk level reads the method, and an
// organisation without its own had the catalogue's file decoded each time.
var defaultScale = sync.OnceValue(func() isms.RiskScale {
	s, _ := catalog.RiskScale(catalog.DefaultRiskScaleKey)
	return s
})

// parsedScales keeps stored scales decoded, by their JSON: the key is the
// content, so a changed scale is a new entry and no change can be missed.
// There are few scales (one per organisation with its own); the map is
// emptied should it ever grow past a bound.
var parsedScales struct {
	sync.Mutex
	m map[string]isms.RiskScale
}

// parsedScale decodes a stored scale, once per distinct scale.
func parsedScale(js string) (isms.RiskScale, error) {
	parsedScales.Lock()
	s, ok := parsedScales.m[js]
	parsedScales.Unlock()
	if ok {
		return cloneScale(s), nil
	}
	if err := json.Unmarshal([]byte(js), &s); err != nil {
		return s, err
	}
	parsedScales.Lock()
	if parsedScales.m == nil || len(parsedScales.m) >= 1000 {
		parsedScales.m = map[string]isms.RiskScale{}
	}
	parsedScales.m[js] = s
	parsedScales.Unlock()
	return cloneScale(s), nil
}

// cloneScale copies a scale's slices and cells, so that the kept one is
// never changed through a method handed out.
func cloneScale(s isms.RiskScale) isms.RiskScale {
	s.Likelihood = slices.Clone(s.Likelihood)
	s.Consequence = slices.Clone(s.Consequence)
	s.Bands = slices.Clone(s.Bands)
	s.Cells = maps.Clone(s.Cells)
	return s
}

// riskMethod reads the organisation's method, or the defaults at version 0.
// A request's snapshot reads one state, so the method it read once is kept
// for the snapshot's other reads (a risk's page asks for it twice).
func (tx *Tx) riskMethod(orgID int64) (*isms.RiskMethod, error) {
	key := "riskMethod:" + strconv.FormatInt(orgID, 10)
	if m, ok := tx.kept[key].(*isms.RiskMethod); ok {
		return copyMethod(m), nil
	}
	m, err := tx.readRiskMethod(orgID)
	if err == nil && tx.kept != nil {
		tx.kept[key] = copyMethod(m)
	}
	return m, err
}

// copyMethod copies a method, so a kept one is never changed through one
// handed out.
func copyMethod(m *isms.RiskMethod) *isms.RiskMethod {
	c := *m
	c.Scale = cloneScale(m.Scale)
	return &c
}

func (tx *Tx) readRiskMethod(orgID int64) (*isms.RiskMethod, error) {
	var m isms.RiskMethod
	var scaleKey, scaleJSON string
	var dimO, dimC, dimS int
	var doc, by sql.NullInt64
	var updated string
	var byName sql.NullString
	err := tx.queryRow(`SELECT m.scale_key, m.scale_json, m.accept_rule, m.accept_band, m.accept_score, m.dim_organisation, m.dim_citizens,
		m.dim_society, m.default_interval_months, m.description, m.method_document_id, m.updated_by, u.name, m.version, m.updated_at
		FROM risk_methods m LEFT JOIN users u ON u.id = m.updated_by WHERE m.organisation_id = ?`, orgID).Scan(
		&scaleKey, &scaleJSON, &m.AcceptRule, &m.AcceptBand, &m.AcceptScore, &dimO, &dimC, &dimS, &m.DefaultIntervalMonths,
		&m.Description, &doc, &by, &byName, &m.Version, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return riskDefaultMethod(orgID), nil
	}
	if err != nil {
		return nil, err
	}
	if m.Scale, err = parsedScale(scaleJSON); err != nil {
		return nil, err
	}
	m.OrganisationID = orgID
	m.Dimensions = isms.ConsequenceDimensions{Organisation: dimO == 1, Citizens: dimC == 1, Society: dimS == 1}
	m.MethodDocumentID = int64Ptr(doc)
	m.UpdatedByName = byName.String
	t := parseTS(updated)
	m.UpdatedAt = &t
	if m.MethodDocumentID != nil {
		m.MethodDocumentTitle, err = tx.riskDocumentTitle(orgID, *m.MethodDocumentID)
		if err != nil {
			return nil, err
		}
	}
	return &m, nil
}

// riskTableExists reports whether a table is in the schema. The
// documentation register is another element's; an installation may run
// without it, and on PostgreSQL a failed query would abort the whole
// transaction, so look before reading.
func (tx *Tx) riskTableExists(name string) (bool, error) {
	q := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
	if tx.db.Dialect == Postgres {
		q = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?"
	}
	n, err := tx.count(q, name)
	return n > 0, err
}

// riskDocumentTitle is the title of a document of the documentation
// register, empty when there is no such register or document.
func (tx *Tx) riskDocumentTitle(orgID, id int64) (string, error) {
	ok, err := tx.riskTableExists("documents")
	if err != nil || !ok {
		return "", err
	}
	var title string
	err = tx.queryRow("SELECT title FROM documents WHERE organisation_id = ? AND id = ?", orgID, id).Scan(&title)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return title, err
}

// RiskMethodDocuments lists the documents of kind 'risk_method' that a
// method can refer to, none when the documentation register is absent.
func (db *DB) RiskMethodDocuments(ctx context.Context, orgID int64) ([]isms.RiskDocumentRef, error) {
	var out []isms.RiskDocumentRef
	err := db.read(ctx, "RiskMethodDocuments", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		ok, err := tx.riskTableExists("documents")
		if err != nil || !ok {
			return err
		}
		rows, err := tx.query("SELECT id, title FROM documents WHERE organisation_id = ? AND kind = 'risk_method' ORDER BY title, id", orgID)
		if err != nil {
			return err
		}
		out, err = collect(rows, func(row scanner) (isms.RiskDocumentRef, error) {
			var d isms.RiskDocumentRef
			if err := row.Scan(&d.ID, &d.Title); err != nil {
				return isms.RiskDocumentRef{}, err
			}
			return d, nil
		})
		return err
	})
	return out, err
}

// RiskMethod reads the organisation's risk method.
func (db *DB) RiskMethod(ctx context.Context, orgID int64) (*isms.RiskMethod, error) {
	return view(db, ctx, "RiskMethod", orgID, func(tx *Tx) (*isms.RiskMethod, error) { return tx.riskMethod(orgID) })
}

// SaveRiskMethod records the organisation's method. The scale's size is
// fixed while risks are rated on it: every likelihood and consequence
// would change meaning.
func (db *DB) SaveRiskMethod(ctx context.Context, orgID int64, in isms.RiskMethodInput) (*isms.RiskMethod, error) {
	var m *isms.RiskMethod
	err := db.write(ctx, "SaveRiskMethod", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.riskMethod(orgID)
		if err != nil {
			return err
		}
		if err := checkUpsertVersion(before.Version, in.Version); err != nil {
			return err
		}
		var v isms.Validation
		var scale isms.RiskScale
		switch {
		case in.ScaleKey == isms.CustomScale:
			if in.Scale == nil {
				v.Add("scale_key", "risk.err.custom_scale_missing")
				break
			}
			scale = *in.Scale
			scale.Key, scale.Name = isms.CustomScale, strings.TrimSpace(scale.Name)
			if scale.Classification == isms.ClassifyScore {
				scale.Cells = nil
			}
			scale.Validation(&v)
		default:
			s, ok := catalog.RiskScale(in.ScaleKey)
			if !ok {
				v.Add("scale_key", "err.choice")
			}
			scale = s
		}
		switch in.AcceptRule {
		case isms.AcceptByBand:
			in.AcceptScore = 0
			if !v.Has("scale_bands") && scale.BandByKey(in.AcceptBand) == nil {
				v.Add("accept_band", "risk.err.accept_band")
			}
		case isms.AcceptByScore:
			in.AcceptBand = ""
			if scale.Size > 0 && (in.AcceptScore < 1 || in.AcceptScore > scale.Size*scale.Size) {
				v.Add("accept_score", "risk.err.accept_score", scale.Size*scale.Size)
			}
		default:
			v.Add("accept_rule", "err.choice")
		}
		if in.DefaultIntervalMonths < 1 || in.DefaultIntervalMonths > 60 {
			v.Add("default_interval_months", "risk.err.interval", 1, 60)
		}
		checkText(&v, "method_description", in.Description, 20000)
		if in.MethodDocumentID != nil {
			ok, err := tx.riskTableExists("documents")
			if err != nil {
				return err
			}
			n := 0
			if ok {
				if n, err = tx.count("SELECT COUNT(*) FROM documents WHERE organisation_id = ? AND id = ?", orgID, *in.MethodDocumentID); err != nil {
					return err
				}
			}
			if n == 0 {
				v.Add("method_document_id", "err.unknown_reference")
			}
		}
		if scale.Size > 0 && scale.Size != before.Scale.Size {
			n, err := tx.count("SELECT COUNT(*) FROM risks WHERE organisation_id = ?", orgID)
			if err != nil {
				return err
			}
			if n > 0 {
				v.Add("scale_size", "risk.err.scale_size_locked", before.Scale.Size, n)
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		scaleJSON, err := json.Marshal(scale)
		if err != nil {
			return err
		}
		d := in.Dimensions
		args := []any{scale.Key, string(scaleJSON), in.AcceptRule, in.AcceptBand, in.AcceptScore, b2i(d.Organisation), b2i(d.Citizens),
			b2i(d.Society), in.DefaultIntervalMonths, strings.TrimSpace(in.Description), nullInt(in.MethodDocumentID), tx.riskActorID(),
			ts(tx.now), orgID}
		if before.Version == 0 {
			_, err = tx.exec(`INSERT INTO risk_methods (scale_key, scale_json, accept_rule, accept_band, accept_score, dim_organisation,
				dim_citizens, dim_society, default_interval_months, description, method_document_id, updated_by, updated_at, organisation_id, version)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, args...)
		} else {
			_, err = tx.exec(`UPDATE risk_methods SET scale_key = ?, scale_json = ?, accept_rule = ?, accept_band = ?, accept_score = ?,
				dim_organisation = ?, dim_citizens = ?, dim_society = ?, default_interval_months = ?, description = ?, method_document_id = ?,
				updated_by = ?, updated_at = ?, version = version + 1 WHERE organisation_id = ?`, args...)
		}
		if err != nil {
			return err
		}
		if m, err = tx.riskMethod(orgID); err != nil {
			return err
		}
		var b any
		if before.Version > 0 {
			b = before
		}
		return tx.audit(orgID, "update", typeRiskMethod, orgID, b, m)
	})
	return m, err
}

// riskActorID is the acting user's id for a user column, NULL for the
// system (the demo's operator, the command line).
func (tx *Tx) riskActorID() any {
	if tx.actor == nil || tx.actor.UserID == 0 {
		return nil
	}
	return tx.actor.UserID
}

// riskMonthsLater is the day n months after d.
func riskMonthsLater(d isms.Date, n int) isms.Date { return isms.Date{Time: d.Time.AddDate(0, n, 0)} }

// riskLevel rates a point of the matrix with the organisation's method.
func riskLevel(m *isms.RiskMethod, l, c int) isms.RiskLevel {
	lv := isms.RiskLevel{Likelihood: l, Consequence: c, Score: l * c, Acceptable: m.Acceptable(l, c)}
	if b := m.Scale.Band(l, c); b != nil {
		lv.Band = b.Key
	}
	return lv
}

// riskAcceptableCellSQL is an SQL condition on a grid's columns that holds
// for cells within the acceptance criteria; prefix names the columns
// (e.g. "r.residual").
func riskAcceptableCellSQL(m *isms.RiskMethod, prefix string) string {
	cells := m.AcceptableCells()
	if len(cells) == 0 {
		return "1 = 0"
	}
	var b strings.Builder
	b.WriteString("(")
	for i, c := range cells {
		if i > 0 {
			b.WriteString(" OR ")
		}
		b.WriteString("(" + prefix + "_l = " + strconv.Itoa(c[0]) + " AND " + prefix + "_c = " + strconv.Itoa(c[1]) + ")")
	}
	b.WriteString(")")
	return b.String()
}

// riskBandCellSQL is an SQL condition for the cells of one band.
func riskBandCellSQL(m *isms.RiskMethod, band, prefix string) string {
	var conds []string
	for l := 1; l <= m.Scale.Size; l++ {
		for c := 1; c <= m.Scale.Size; c++ {
			if b := m.Scale.Band(l, c); b != nil && b.Key == band {
				conds = append(conds, "("+prefix+"_l = "+strconv.Itoa(l)+" AND "+prefix+"_c = "+strconv.Itoa(c)+")")
			}
		}
	}
	if len(conds) == 0 {
		return "1 = 0"
	}
	return "(" + strings.Join(conds, " OR ") + ")"
}
