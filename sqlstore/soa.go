package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
)

// The Statement of Applicability (guide 2.3 and 2.8). A line of the SoA is
// a control of the controls table (the 93 of Annex A 2022 and the
// organisation's own) with the organisation's decision in soa_controls.
// Its justification is read live: the risks from the risk register's
// links (risk → control), the requirements and documents from the SoA's
// own links (soa → overview_entry, soa → document).
//
// The risk register and the documentation register are other elements
// whose tables may not exist in every database this code meets; every
// read asks once per transaction which of them are there (soaEnv).

// Record and link types.
const (
	typeSoA        = "soa"         // link source: a line of the SoA, from_id = the control's id
	typeSoAControl = "soa_control" // audit record of a line (record id = the control's id)
	typeSoAVersion = "soa_version" // audit record of a frozen version
	typeSoAImport  = "soa_import"  // audit record of an import (record id = the organisation's id)
	typeSoARisk    = "risk"        // the risk register's records
	typeSoATarget  = "control"     // what the risk register links risks to
	typeSoADoc     = "document"    // the documentation register's documents
)

// Audit actions of the SoA besides create, update, delete and approve.
const (
	actionSoAFreeze = "soa_freeze"
	actionSoAImport = "soa_import"
)

// Limits on what a line holds.
const (
	soaMaxReason   = 5000
	soaMaxEvidence = 10000
	soaMaxLinks    = 200
)

// soaEnv says which of the other elements' tables exist.
type soaEnv struct {
	risks, documents, docReqs bool
}

// soaEnv asks the database once which of the tables the SoA reads from
// other elements exist, in the current schema (PostgreSQL tests run each
// in a schema of its own).
func (tx *Tx) soaEnv() (soaEnv, error) {
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('risks', 'documents', 'documentation_requirements')"
	if tx.db.Dialect == Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
			AND table_name IN ('risks', 'documents', 'documentation_requirements')`
	}
	names, err := tx.strings(q)
	if err != nil {
		return soaEnv{}, err
	}
	var e soaEnv
	for _, n := range names {
		switch n {
		case "risks":
			e.risks = true
		case "documents":
			e.documents = true
		case "documentation_requirements":
			e.docReqs = true
		}
	}
	return e, nil
}

// soaRiskPrint is what the SoA knows of a control's risks without reading
// them one by one: how many, and two sums over their ids. A change of the
// set of risks changes the print (barring a coincidence of all three
// sums), so the current state can be compared with a frozen one in one
// grouped query even over tens of thousands of risks.
type soaRiskPrint struct {
	count, sum, mix int64
}

// soaMixMul and soaMixMod spread an id over a large range; the same sum
// is computed in SQL and in Go (soaPrintOf), with 64-bit integers in both.
const (
	soaMixMul = 2654435761
	soaMixMod = 4294967291
)

func soaPrintOf(ids []int64) soaRiskPrint {
	p := soaRiskPrint{count: int64(len(ids))}
	for _, id := range ids {
		p.sum += id
		p.mix += (id * soaMixMul) % soaMixMod
	}
	return p
}

// soaLineDigest identifies everything a line says.
func soaLineDigest(c *isms.SoAControl, p soaRiskPrint) string {
	h := sha256.New()
	owner := ""
	if c.OwnerID != nil {
		owner = strconv.FormatInt(*c.OwnerID, 10)
	}
	ids := func(refs []isms.SoARef) string {
		s := make([]string, len(refs))
		for i, r := range refs {
			s[i] = strconv.FormatInt(r.ID, 10)
		}
		sort.Strings(s)
		return strings.Join(s, ",")
	}
	for _, f := range []string{strconv.FormatInt(c.ControlID, 10), c.Ref, c.Theme, c.TitleDA, c.TitleEN,
		string(c.Applicability), c.BusinessReason, c.ExclusionReason, string(c.Status), owner, c.Evidence,
		ids(c.Requirements), ids(c.Documents), fmt.Sprintf("%d/%d/%d", p.count, p.sum, p.mix)} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// soaStateToken identifies a whole state from its lines' digests.
func soaStateToken(lines []*isms.SoAControl) string {
	h := sha256.New()
	for _, c := range lines {
		fmt.Fprintf(h, "%d=%s\n", c.ControlID, c.Digest)
	}
	return hex.EncodeToString(h.Sum(nil))
}

const soaLineColumns = `c.id, c.catalogue, c.ref, c.theme, c.title_da, c.title_en,
	COALESCE(s.applicability, ''), COALESCE(s.business_reason, ''), COALESCE(s.exclusion_reason, ''), COALESCE(s.status, ''),
	s.owner_id, COALESCE(u.name, ''), COALESCE(s.evidence, ''), COALESCE(s.version, 0), s.updated_at`

// soaLines reads the SoA's lines in catalogue order: every line, or only
// the control only when it is not 0. With full set, each line gets its
// risks by id and title (for a snapshot); otherwise only their count.
// The number of queries does not depend on the number of controls or
// risks.
func (tx *Tx) readSoALines(orgID int64, env soaEnv, only int64, full bool) ([]*isms.SoAControl, error) {
	q := "SELECT " + soaLineColumns + ` FROM controls c
		LEFT JOIN soa_controls s ON s.control_id = c.id AND s.organisation_id = ?
		LEFT JOIN users u ON u.id = s.owner_id
		WHERE ((c.organisation_id IS NULL AND c.catalogue = ?) OR c.organisation_id = ?)`
	args := []any{orgID, isms.CatalogueAnnexA2022, orgID}
	if only != 0 {
		q += " AND c.id = ?"
		args = append(args, only)
	}
	rows, err := tx.query(q+" ORDER BY c.sort_key, c.id", args...)
	if err != nil {
		return nil, err
	}
	var lines []*isms.SoAControl
	byID := map[int64]*isms.SoAControl{}
	for rows.Next() {
		var c isms.SoAControl
		var owner sql.NullInt64
		var app, status string
		if err := rows.Scan(&c.ControlID, &c.Catalogue, &c.Ref, &c.Theme, &c.TitleDA, &c.TitleEN, &app, &c.BusinessReason,
			&c.ExclusionReason, &status, &owner, &c.OwnerName, &c.Evidence, &c.Version, scanTimePtr{&c.UpdatedAt}); err != nil {
			rows.Close()
			return nil, err
		}
		c.Applicability, c.Status, c.OwnerID = isms.Applicability(app), isms.ImplementationStatus(status), int64Ptr(owner)
		c.Requirements, c.Documents, c.DocChoices = []isms.SoARef{}, []isms.SoARef{}, []isms.SoADocChoice{}
		lines = append(lines, &c)
		byID[c.ControlID] = &c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(lines) == 0 {
		return lines, nil
	}

	// Requirements and documents the lines point to.
	if err := tx.soaRefs(`SELECT l.from_id, e.id, e.name, e.category FROM record_links l
		JOIN overview_entries e ON e.id = l.to_id AND e.organisation_id = l.organisation_id
		WHERE l.organisation_id = ? AND l.from_type = ? AND l.to_type = ?`, []any{orgID, typeSoA, typeEntry},
		"l.from_id", only, "e.name, e.id", func(c *isms.SoAControl, r isms.SoARef) {
			c.Requirements = append(c.Requirements, r)
		}, byID); err != nil {
		return nil, err
	}
	if env.documents {
		if err := tx.soaRefs(`SELECT l.from_id, d.id, d.title, d.kind FROM record_links l
			JOIN documents d ON d.id = l.to_id AND d.organisation_id = l.organisation_id
			WHERE l.organisation_id = ? AND l.from_type = ? AND l.to_type = ?`, []any{orgID, typeSoA, typeSoADoc},
			"l.from_id", only, "d.title, d.id", func(c *isms.SoAControl, r isms.SoARef) {
				c.Documents = append(c.Documents, r)
			}, byID); err != nil {
			return nil, err
		}
	}

	// The risks: printed per control in one grouped query, and listed
	// in full for a snapshot or a single line.
	prints := map[int64]soaRiskPrint{}
	pq := `SELECT to_id, COUNT(*), CAST(SUM(from_id) AS BIGINT), CAST(SUM((from_id * ` + strconv.Itoa(soaMixMul) + `) % ` + strconv.Itoa(soaMixMod) + `) AS BIGINT)
		FROM record_links WHERE organisation_id = ? AND to_type = ? AND from_type = ?`
	pargs := []any{orgID, typeSoATarget, typeSoARisk}
	if only != 0 {
		pq += " AND to_id = ?"
		pargs = append(pargs, only)
	}
	prow, err := tx.query(pq+" GROUP BY to_id", pargs...)
	if err != nil {
		return nil, err
	}
	for prow.Next() {
		var id int64
		var p soaRiskPrint
		if err := prow.Scan(&id, &p.count, &p.sum, &p.mix); err != nil {
			prow.Close()
			return nil, err
		}
		prints[id] = p
	}
	prow.Close()
	if err := prow.Err(); err != nil {
		return nil, err
	}
	if full || only != 0 {
		rq := `SELECT l.to_id, l.from_id, '', '' FROM record_links l WHERE l.organisation_id = ? AND l.to_type = ? AND l.from_type = ?`
		if env.risks {
			rq = `SELECT l.to_id, l.from_id, COALESCE(r.title, ''), '' FROM record_links l
				LEFT JOIN risks r ON r.id = l.from_id AND r.organisation_id = l.organisation_id
				WHERE l.organisation_id = ? AND l.to_type = ? AND l.from_type = ?`
		}
		if err := tx.soaRefs(rq, []any{orgID, typeSoATarget, typeSoARisk}, "l.to_id", only, "l.to_id, l.from_id", func(c *isms.SoAControl, r isms.SoARef) {
			c.Risks = append(c.Risks, r)
		}, byID); err != nil {
			return nil, err
		}
	}

	// The documentation register's optional types, by the controls their
	// Annex A references name.
	if env.docReqs {
		if err := tx.soaDocChoices(orgID, byID, lines); err != nil {
			return nil, err
		}
	}

	for _, c := range lines {
		p := prints[c.ControlID]
		c.RiskCount = int(p.count)
		if full || only != 0 {
			c.Risks = nonNilSlice(c.Risks)
		}
		c.Digest = soaLineDigest(c, p)
	}
	return lines, nil
}

// soaRefs runs a query of (line's control id, record id, name, kind),
// narrowed to one line's rows when only is set (onlyColumn holds the
// line's control id), and hands each row to add.
func (tx *Tx) soaRefs(q string, args []any, onlyColumn string, only int64, order string, add func(*isms.SoAControl, isms.SoARef), byID map[int64]*isms.SoAControl) error {
	if only != 0 {
		q += " AND " + onlyColumn + " = ?"
		args = append(args, only)
	}
	return tx.queryEach(q+" ORDER BY "+order, args, func(row scanner) error {
		var from int64
		var r isms.SoARef
		if err := row.Scan(&from, &r.ID, &r.Name, &r.Kind); err != nil {
			return err
		}
		if c := byID[from]; c != nil {
			add(c, r)
		}
		return nil
	})
}

// soaAnnexRef normalises an Annex A reference as registers write it
// ("A.5.9", "a.5.9", "5.9") to the controls table's form ("5.9").
func soaAnnexRef(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 1 && (s[0] == 'A' || s[0] == 'a') {
		s = strings.TrimLeft(s[1:], ". ")
	}
	return strings.TrimRight(s, ".,;")
}

func (tx *Tx) soaDocChoices(orgID int64, byID map[int64]*isms.SoAControl, lines []*isms.SoAControl) error {
	byRef := map[string][]*isms.SoAControl{}
	for _, c := range lines {
		if c.Catalogue == isms.CatalogueAnnexA2022 {
			byRef[c.Ref] = append(byRef[c.Ref], c)
		}
	}
	rows, err := tx.query(`SELECT title_da, title_en, annex_a, decision, reason FROM documentation_requirements
		WHERE organisation_id = ? AND kind = 'optional' ORDER BY title_da`, orgID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ch isms.SoADocChoice
		var da, en, annex, decision, reason sql.NullString
		if err := rows.Scan(&da, &en, &annex, &decision, &reason); err != nil {
			return err
		}
		ch = isms.SoADocChoice{TitleDA: da.String, TitleEN: en.String, AnnexA: annex.String, Decision: decision.String, Reason: reason.String}
		seen := map[*isms.SoAControl]bool{}
		for _, ref := range strings.Fields(annex.String) {
			for _, c := range byRef[soaAnnexRef(ref)] {
				if !seen[c] {
					seen[c] = true
					c.DocChoices = append(c.DocChoices, ch)
				}
			}
		}
	}
	return rows.Err()
}

// soaLine reads one line; a control that is not Annex A 2022 nor the
// organisation's own is not found.
func (tx *Tx) soaLine(orgID, controlID int64, env soaEnv) (*isms.SoAControl, error) {
	lines, err := tx.soaLines(orgID, env, controlID, false)
	if err != nil {
		return nil, err
	}
	if len(lines) == 0 {
		return nil, notFound("control")
	}
	return lines[0], nil
}

// soaVersionColumns are a version's columns without the snapshot.
const soaVersionColumns = `v.id, v.organisation_id, v.number, v.note, v.checksum, v.state_token, v.control_count, v.applicable_count,
	v.excluded_count, v.frozen_by, COALESCE(f.name, ''), v.frozen_at, v.approved_by, COALESCE(a.name, ''), v.approved_at,
	v.approval_note, v.version`

const soaVersionFrom = ` FROM soa_versions v LEFT JOIN users f ON f.id = v.frozen_by LEFT JOIN users a ON a.id = v.approved_by`

func scanSoAVersion(row scanner) (*isms.SoAVersion, error) {
	var v isms.SoAVersion
	var approver sql.NullInt64
	if err := row.Scan(&v.ID, &v.OrganisationID, &v.Number, &v.Note, &v.Checksum, &v.StateToken, &v.ControlCount, &v.ApplicableCount,
		&v.ExcludedCount, &v.FrozenBy, &v.FrozenByName, scanTime{&v.FrozenAt}, &approver, &v.ApprovedByName, scanTimePtr{&v.ApprovedAt}, &v.ApprovalNote, &v.Version); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("version")
		}
		return nil, err
	}
	v.ApprovedBy = int64Ptr(approver)
	return &v, nil
}

// soaLatestVersions reads the latest frozen and the latest approved
// version (either may be nil) and the approved one's line digests.
func (tx *Tx) soaLatestVersions(orgID int64) (latest, approved *isms.SoAVersion, digests map[int64]string, err error) {
	latest, err = scanSoAVersion(tx.queryRow("SELECT "+soaVersionColumns+soaVersionFrom+
		" WHERE v.organisation_id = ? ORDER BY v.number DESC LIMIT 1", orgID))
	if isms.ErrorCode(err) == isms.ENotFound {
		return nil, nil, nil, nil
	}
	if err != nil {
		return nil, nil, nil, err
	}
	var raw string
	row := tx.queryRow("SELECT "+soaVersionColumns+", v.digests"+soaVersionFrom+
		" WHERE v.organisation_id = ? AND v.approved_at IS NOT NULL ORDER BY v.number DESC LIMIT 1", orgID)
	approved, err = scanSoAVersion(soaScanExtra{row, &raw})
	if isms.ErrorCode(err) == isms.ENotFound {
		return latest, nil, nil, nil
	}
	if err != nil {
		return nil, nil, nil, err
	}
	digests, err = soaParseDigests(raw)
	return latest, approved, digests, err
}

// soaScanExtra scans a version's columns followed by one more.
type soaScanExtra struct {
	row   scanner
	extra any
}

func (s soaScanExtra) Scan(dest ...any) error { return s.row.Scan(append(dest, s.extra)...) }

// SoA lists the current SoA: the lines matching the filter, the summary
// over all of them, and how the state stands to the approved version.
func (db *DB) SoA(ctx context.Context, orgID int64, f isms.SoAFilter) (*isms.StatementOfApplicability, error) {
	var out *isms.StatementOfApplicability
	err := db.read(ctx, "SoA", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		// The statement is derived from every risk's links to the
		// controls: kept until the records change (derived.go). Each
		// reader gets its own copy of the statement's head, the lines are
		// shared and never changed.
		kept, err := keep(tx, orgID, fmt.Sprintf("soa:%+v", f), func() (*isms.StatementOfApplicability, error) { return tx.soaState(orgID, f) })
		if err != nil {
			return err
		}
		cp := *kept
		out = &cp
		return nil
	})
	return out, err
}

func (tx *Tx) soaState(orgID int64, f isms.SoAFilter) (*isms.StatementOfApplicability, error) {
	env, err := tx.soaEnv()
	if err != nil {
		return nil, err
	}
	lines, err := tx.soaLines(orgID, env, 0, false)
	if err != nil {
		return nil, err
	}
	latest, approved, digests, err := tx.soaLatestVersions(orgID)
	if err != nil {
		return nil, err
	}
	s := &isms.StatementOfApplicability{OrganisationID: orgID, StateToken: soaStateToken(lines), Latest: latest, Approved: approved,
		Controls: []*isms.SoAControl{}, Summary: isms.SoASummary{ByStatus: map[isms.ImplementationStatus]int{}}}
	s.UpToDate = approved != nil && approved.StateToken == s.StateToken
	sum := &s.Summary
	for _, c := range lines {
		if approved != nil && digests[c.ControlID] != c.Digest {
			c.ChangedSinceApproval = true
			sum.Changed++
		}
		sum.Total++
		switch c.Applicability {
		case isms.Applicable:
			sum.Applicable++
			if c.RiskCount > 0 {
				sum.JustifiedByRisk++
			}
		case isms.Excluded:
			sum.Excluded++
		default:
			sum.Undecided++
		}
		if c.Status != "" {
			sum.ByStatus[c.Status]++
		}
		for _, p := range c.Problems() {
			switch p {
			case isms.SoAProblemUnjustified:
				sum.Unjustified++
			case isms.SoAProblemBusinessOnly:
				sum.BusinessOnly++
			case isms.SoAProblemNoExclusionReason:
				sum.NoExclusionReason++
			case isms.SoAProblemExcludedWithRisks:
				sum.ExcludedWithRisks++
			}
		}
		if soaMatches(c, f) {
			s.Controls = append(s.Controls, c)
		}
	}
	return s, nil
}

func soaMatches(c *isms.SoAControl, f isms.SoAFilter) bool {
	switch f.Applicability {
	case "applicable":
		if c.Applicability != isms.Applicable {
			return false
		}
	case "excluded":
		if c.Applicability != isms.Excluded {
			return false
		}
	case "undecided":
		if c.Applicability != isms.Undecided {
			return false
		}
	}
	if f.Status != "" && c.Status != f.Status {
		return false
	}
	if f.OwnerID != 0 && (c.OwnerID == nil || *c.OwnerID != f.OwnerID) {
		return false
	}
	if f.Theme != "" && c.Theme != f.Theme {
		return false
	}
	if f.Changed && !c.ChangedSinceApproval {
		return false
	}
	if f.Problem != "" {
		probs := c.Problems()
		found := false
		for _, p := range probs {
			if p == f.Problem || (f.Problem == "unjustified_any" && (p == isms.SoAProblemUnjustified || p == isms.SoAProblemBusinessOnly)) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		if !strings.Contains(strings.ToLower(c.Ref+" "+c.TitleDA+" "+c.TitleEN), q) {
			return false
		}
	}
	return true
}

// SoAControl reads one line with its links.
func (db *DB) SoAControl(ctx context.Context, orgID, controlID int64) (*isms.SoAControl, error) {
	var out *isms.SoAControl
	err := db.read(ctx, "SoAControl", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		env, err := tx.soaEnv()
		if err != nil {
			return err
		}
		out, err = tx.soaLine(orgID, controlID, env)
		return err
	})
	return out, err
}

// SoAControlsOfRisk lists the lines of the controls a risk's treatment
// uses, so the risk register can show where its risk stands in the SoA.
func (db *DB) SoAControlsOfRisk(ctx context.Context, orgID, riskID int64) ([]*isms.SoAControl, error) {
	var out []*isms.SoAControl
	err := db.read(ctx, "SoAControlsOfRisk", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		env, err := tx.soaEnv()
		if err != nil {
			return err
		}
		if env.risks {
			n, err := tx.count("SELECT COUNT(*) FROM risks WHERE organisation_id = ? AND id = ?", orgID, riskID)
			if err != nil {
				return err
			}
			if n == 0 {
				return notFound("risk")
			}
		}
		ids, err := tx.links(orgID, typeSoARisk, riskID, typeSoATarget, false)
		if err != nil {
			return err
		}
		want := map[int64]bool{}
		for _, id := range ids {
			want[id] = true
		}
		out = []*isms.SoAControl{}
		if len(want) == 0 {
			return nil
		}
		lines, err := tx.soaLines(orgID, env, 0, false)
		if err != nil {
			return err
		}
		for _, c := range lines {
			if want[c.ControlID] {
				out = append(out, c)
			}
		}
		return nil
	})
	return out, err
}

// SoADocumentCandidates lists the organisation's documents, for the
// evidence of a line; none while the documentation register is absent.
func (db *DB) SoADocumentCandidates(ctx context.Context, orgID int64) ([]isms.SoARef, error) {
	out := []isms.SoARef{}
	err := db.read(ctx, "SoADocumentCandidates", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		env, err := tx.soaEnv()
		if err != nil || !env.documents {
			return err
		}
		refs, err := queryAll(tx, func(row scanner) (isms.SoARef, error) {
			var r isms.SoARef
			err := row.Scan(&r.ID, &r.Name, &r.Kind)
			return r, err
		}, "SELECT id, title, kind FROM documents WHERE organisation_id = ? ORDER BY title, id LIMIT 2000", orgID)
		out = append(out, refs...)
		return err
	})
	return out, err
}

// soaAuditLine is how a line appears in the audit trail: what a reader of
// the history wants to see change, without computed fields.
type soaAuditLine struct {
	Ref             string   `json:"ref"`
	Title           string   `json:"title"`
	Theme           string   `json:"theme"`
	Applicability   string   `json:"applicability"`
	BusinessReason  string   `json:"business_reason"`
	ExclusionReason string   `json:"exclusion_reason"`
	Status          string   `json:"implementation_status"`
	Owner           string   `json:"owner"`
	Evidence        string   `json:"implementation_evidence"`
	Requirements    []string `json:"requirements"`
	Documents       []string `json:"documents"`
}

func soaAudit(c *isms.SoAControl) *soaAuditLine {
	if c == nil {
		return nil
	}
	names := func(refs []isms.SoARef) []string {
		out := make([]string, 0, len(refs))
		for _, r := range refs {
			out = append(out, r.Name)
		}
		return out
	}
	return &soaAuditLine{Ref: c.Ref, Title: c.TitleDA, Theme: c.Theme, Applicability: string(c.Applicability),
		BusinessReason: c.BusinessReason, ExclusionReason: c.ExclusionReason, Status: string(c.Status), Owner: c.OwnerName,
		Evidence: c.Evidence, Requirements: names(c.Requirements), Documents: names(c.Documents)}
}

func soaSameIDs(a []int64, b []isms.SoARef) bool {
	x := uniq(a)
	if len(x) != len(b) {
		return false
	}
	have := map[int64]bool{}
	for _, r := range b {
		have[r.ID] = true
	}
	for _, id := range x {
		if !have[id] {
			return false
		}
	}
	return true
}

// validateSoALine checks a line's input and normalises it: trimmed texts,
// the status an excluded control always has, the default status of an
// applicable one.
func (tx *Tx) validateSoALine(orgID int64, env soaEnv, in *isms.SoAControlInput) error {
	in.BusinessReason = strings.TrimSpace(in.BusinessReason)
	in.ExclusionReason = strings.TrimSpace(in.ExclusionReason)
	in.Evidence = strings.TrimSpace(in.Evidence)
	var v isms.Validation
	switch in.Applicability {
	case isms.Applicable:
		if in.Status == "" {
			in.Status = isms.ImplNotStarted
		}
		if !in.Status.Valid() {
			v.Add("implementation_status", "err.choice")
		} else if in.Status == isms.ImplNotApplicable {
			v.Add("implementation_status", "soa.err.applicable_not_applicable")
		}
		if in.ExclusionReason != "" {
			v.Add("exclusion_reason", "soa.err.reason_for_excluded_only")
		}
		checkText(&v, "business_reason", in.BusinessReason, soaMaxReason)
	case isms.Excluded:
		// Guide 2.8 point 2: leaving a control out must be well founded.
		requireText(&v, "exclusion_reason", in.ExclusionReason, soaMaxReason)
		if in.Status == "" {
			in.Status = isms.ImplNotApplicable
		}
		if in.Status != isms.ImplNotApplicable {
			v.Add("implementation_status", "soa.err.excluded_status")
		}
		if in.BusinessReason != "" {
			v.Add("business_reason", "soa.err.reason_for_applicable_only")
		}
		if len(in.RequirementIDs) > 0 {
			v.Add("requirement_ids", "soa.err.excluded_required")
		}
	case isms.Undecided:
		v.Add("applicability", "soa.err.decide")
	default:
		v.Add("applicability", "err.choice")
	}
	checkText(&v, "implementation_evidence", in.Evidence, soaMaxEvidence)
	tx.checkMember(&v, "owner_id", orgID, in.OwnerID)
	in.RequirementIDs, in.DocumentIDs = uniq(in.RequirementIDs), uniq(in.DocumentIDs)
	if len(in.RequirementIDs) > soaMaxLinks {
		v.Add("requirement_ids", "err.too_many_links", soaMaxLinks)
	} else if len(in.RequirementIDs) > 0 && !v.Has("requirement_ids") {
		n, err := tx.count("SELECT COUNT(*) FROM overview_entries WHERE organisation_id = ? AND kind = ? AND id IN ("+placeholders(len(in.RequirementIDs))+")",
			append([]any{orgID, isms.KindExternalFactor}, int64sToAny(in.RequirementIDs)...)...)
		if err != nil {
			return err
		}
		if n != len(in.RequirementIDs) {
			v.Add("requirement_ids", "soa.err.unknown_requirement")
		}
	}
	if len(in.DocumentIDs) > soaMaxLinks {
		v.Add("document_ids", "err.too_many_links", soaMaxLinks)
	} else if len(in.DocumentIDs) > 0 {
		n := 0
		if env.documents {
			var err error
			n, err = tx.count("SELECT COUNT(*) FROM documents WHERE organisation_id = ? AND id IN ("+placeholders(len(in.DocumentIDs))+")",
				append([]any{orgID}, int64sToAny(in.DocumentIDs)...)...)
			if err != nil {
				return err
			}
		}
		if n != len(in.DocumentIDs) {
			v.Add("document_ids", "err.unknown_reference")
		}
	}
	return v.Err()
}

// soaWriteLine stores a line's decision, inserting its row the first time.
func (tx *Tx) soaWriteLine(orgID, controlID int64, exists bool, l isms.SoAImportLine, owner *int64, evidence string) error {
	var err error
	if exists {
		_, err = tx.exec(`UPDATE soa_controls SET applicability = ?, business_reason = ?, exclusion_reason = ?, status = ?, owner_id = ?,
			evidence = ?, version = version + 1, updated_at = ? WHERE organisation_id = ? AND control_id = ?`,
			l.Applicability, l.BusinessReason, l.ExclusionReason, l.Status, nullInt(owner), evidence, ts(tx.now), orgID, controlID)
	} else {
		_, err = tx.exec(`INSERT INTO soa_controls (organisation_id, control_id, applicability, business_reason, exclusion_reason, status,
			owner_id, evidence, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`,
			orgID, controlID, l.Applicability, l.BusinessReason, l.ExclusionReason, l.Status, nullInt(owner), evidence, ts(tx.now))
	}
	return err
}

// SaveSoAControl records the decision on a control. A coordinator records
// everything; the member who owns the line may record how far it is
// implemented and what shows it, but not the decision itself.
func (db *DB) SaveSoAControl(ctx context.Context, orgID, controlID int64, in isms.SoAControlInput) (*isms.SoAControl, error) {
	var out *isms.SoAControl
	err := db.write(ctx, "SaveSoAControl", func(tx *Tx) error {
		a, err := tx.access(orgID)
		if err != nil {
			return err
		}
		env, err := tx.soaEnv()
		if err != nil {
			return err
		}
		before, err := tx.soaLine(orgID, controlID, env)
		if err != nil {
			return err
		}
		if !a.Can(isms.PermEdit) {
			if _, err := tx.requireEdit(orgID, before.OwnerID); err != nil {
				return err
			}
			// The owner of a line reports on it; the decision, its
			// justification and who owns it stay with the coordinator.
			if in.Applicability != before.Applicability || strings.TrimSpace(in.BusinessReason) != before.BusinessReason ||
				strings.TrimSpace(in.ExclusionReason) != before.ExclusionReason || !sameID(in.OwnerID, before.OwnerID) ||
				!soaSameIDs(in.RequirementIDs, before.Requirements) {
				return isms.Errorf(isms.EForbidden, "soa.err.owner_limited")
			}
		}
		if err := checkUpsertVersion(before.Version, in.Version); err != nil {
			return err
		}
		if err := tx.validateSoALine(orgID, env, &in); err != nil {
			return err
		}
		line := isms.SoAImportLine{Applicability: in.Applicability, BusinessReason: in.BusinessReason, ExclusionReason: in.ExclusionReason, Status: in.Status}
		if err := tx.soaWriteLine(orgID, controlID, before.Version > 0, line, in.OwnerID, in.Evidence); err != nil {
			return err
		}
		if err := tx.setLinks(orgID, typeSoA, controlID, typeEntry, in.RequirementIDs, false); err != nil {
			return err
		}
		if err := tx.setLinks(orgID, typeSoA, controlID, typeSoADoc, in.DocumentIDs, false); err != nil {
			return err
		}
		if out, err = tx.soaLine(orgID, controlID, env); err != nil {
			return err
		}
		action := "update"
		var b any = soaAudit(before)
		if before.Version == 0 {
			action, b = "create", nil
		}
		return tx.audit(orgID, action, typeSoAControl, controlID, b, soaAudit(out))
	})
	return out, err
}

// themeNumbers give own controls a sort key within their theme, after
// the Annex A controls of that theme.
var themeNumbers = map[string]string{"organizational": "05", "people": "06", "physical": "07", "technological": "08"}

func (tx *Tx) validateOwnControl(orgID, self int64, in *isms.OwnControlInput) error {
	in.Ref, in.Title = strings.TrimSpace(in.Ref), strings.TrimSpace(in.Title)
	var v isms.Validation
	requireText(&v, "control_ref", in.Ref, 20)
	requireText(&v, "control_title", in.Title, 300)
	if !isms.ValidTheme(in.Theme) {
		v.Add("control_theme", "err.choice")
	}
	if !v.Has("control_ref") {
		if strings.ContainsAny(in.Ref, " \t\r\n") {
			v.Add("control_ref", "soa.err.ref_spaces")
		} else {
			// An own control must not pass for an Annex A control.
			n, err := tx.count("SELECT COUNT(*) FROM controls WHERE organisation_id IS NULL AND catalogue = ? AND (ref = ? OR ref = ?)",
				isms.CatalogueAnnexA2022, in.Ref, soaAnnexRef(in.Ref))
			if err != nil {
				return err
			}
			if n > 0 {
				v.Add("control_ref", "soa.err.ref_annex")
			}
			n, err = tx.count("SELECT COUNT(*) FROM controls WHERE organisation_id = ? AND LOWER(ref) = LOWER(?) AND id <> ?", orgID, in.Ref, self)
			if err != nil {
				return err
			}
			if n > 0 {
				v.Add("control_ref", "soa.err.ref_taken")
			}
		}
	}
	return v.Err()
}

// CreateOwnControl adds a control of the organisation's own to its SoA,
// undecided until a coordinator records the decision.
func (db *DB) CreateOwnControl(ctx context.Context, orgID int64, in isms.OwnControlInput) (*isms.SoAControl, error) {
	var out *isms.SoAControl
	err := db.write(ctx, "CreateOwnControl", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		if err := tx.validateOwnControl(orgID, 0, &in); err != nil {
			return err
		}
		id, err := tx.insert(`INSERT INTO controls (organisation_id, catalogue, ref, theme, title_da, title_en, sort_key, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, orgID, isms.CatalogueOwn, in.Ref, in.Theme, in.Title, in.Title,
			themeNumbers[in.Theme]+".z"+strings.ToLower(in.Ref), ts(tx.now))
		if err != nil {
			return err
		}
		if _, err := tx.exec("INSERT INTO soa_controls (organisation_id, control_id, version, updated_at) VALUES (?, ?, 1, ?)", orgID, id, ts(tx.now)); err != nil {
			return err
		}
		env, err := tx.soaEnv()
		if err != nil {
			return err
		}
		if out, err = tx.soaLine(orgID, id, env); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeSoAControl, id, nil, soaAudit(out))
	})
	return out, err
}

// soaOwnLine reads a line that must be one of the organisation's own
// controls.
func (tx *Tx) soaOwnLine(orgID, controlID int64, env soaEnv) (*isms.SoAControl, error) {
	c, err := tx.soaLine(orgID, controlID, env)
	if err != nil {
		return nil, err
	}
	if !c.Own() {
		return nil, isms.Errorf(isms.EInvalid, "soa.err.not_own")
	}
	return c, nil
}

// UpdateOwnControl changes an own control's reference, theme or title.
func (db *DB) UpdateOwnControl(ctx context.Context, orgID, controlID int64, in isms.OwnControlInput) (*isms.SoAControl, error) {
	var out *isms.SoAControl
	err := db.write(ctx, "UpdateOwnControl", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		env, err := tx.soaEnv()
		if err != nil {
			return err
		}
		before, err := tx.soaOwnLine(orgID, controlID, env)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		if err := tx.validateOwnControl(orgID, controlID, &in); err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE controls SET ref = ?, theme = ?, title_da = ?, title_en = ?, sort_key = ? WHERE id = ? AND organisation_id = ?",
			in.Ref, in.Theme, in.Title, in.Title, themeNumbers[in.Theme]+".z"+strings.ToLower(in.Ref), controlID, orgID); err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE soa_controls SET version = version + 1, updated_at = ? WHERE organisation_id = ? AND control_id = ?",
			ts(tx.now), orgID, controlID); err != nil {
			return err
		}
		if out, err = tx.soaLine(orgID, controlID, env); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeSoAControl, controlID, soaAudit(before), soaAudit(out))
	})
	return out, err
}

// DeleteOwnControl removes an own control that no other record relies on.
// Frozen versions keep it in their snapshots.
func (db *DB) DeleteOwnControl(ctx context.Context, orgID, controlID, version int64) error {
	return db.write(ctx, "DeleteOwnControl", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		env, err := tx.soaEnv()
		if err != nil {
			return err
		}
		before, err := tx.soaOwnLine(orgID, controlID, env)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		n, err := tx.count("SELECT COUNT(*) FROM record_links WHERE organisation_id = ? AND to_type = ? AND to_id = ?", orgID, typeSoATarget, controlID)
		if err != nil {
			return err
		}
		if n > 0 {
			return isms.Errorf(isms.EInvalid, "soa.err.control_in_use", n)
		}
		if _, err := tx.exec("DELETE FROM record_links WHERE organisation_id = ? AND from_type = ? AND from_id = ?", orgID, typeSoA, controlID); err != nil {
			return err
		}
		if _, err := tx.exec("DELETE FROM soa_controls WHERE organisation_id = ? AND control_id = ?", orgID, controlID); err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "controls", typeSoAControl, controlID, soaAudit(before))
	})
}
