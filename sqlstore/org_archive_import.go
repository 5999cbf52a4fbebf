package sqlstore

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
)

// The import of an organisation's archive (org_archive.go describes the
// format): one transaction that gives every row a new id, matches people
// by e-mail, checks the audit chain as its events pass, and records the
// import on top of it.

// ImportOrganisation reads an organisation's archive into this
// installation as a new organisation. Only a site administrator may. It is
// one transaction: the checksum, the audit chain and every reference are
// checked before it commits, and any failure stores nothing.
func (db *DB) ImportOrganisation(ctx context.Context, r io.Reader, opt isms.OrganisationImport) (*isms.OrganisationImported, error) {
	if err := refuseNonSiteAdmin(isms.ActorFrom(ctx)); err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		z, err := gzip.NewReader(br)
		if err != nil {
			return nil, refusal(fmt.Errorf("%w: %v", ErrBadArchive, err))
		}
		defer z.Close()
		br = bufio.NewReaderSize(z, 64<<10)
	}
	a := &archiveReader{r: br, sum: sha256.New()}
	line, err := a.next()
	if err != nil {
		return nil, refusal(err)
	}
	a.sum.Write(line)
	var h OrgArchiveHeader
	if err := json.Unmarshal(line, &h); err != nil || h.Format != OrgArchiveFormat {
		return nil, refusal(fmt.Errorf("%w: it does not start with an %s header (a whole-database archive is brought back with isms restore)", ErrBadArchive, OrgArchiveFormat))
	}
	if h.FormatVersion != OrgArchiveVersion {
		return nil, refusal(fmt.Errorf("%w: archive format version %d, this program reads version %d", ErrBadArchive, h.FormatVersion, OrgArchiveVersion))
	}
	if err := checkMigrationsKnown(h.Migrations); err != nil {
		return nil, refusal(fmt.Errorf("%w: %w", ErrBadArchive, err))
	}
	var out *isms.OrganisationImported
	err = db.write(ctx, "ImportOrganisation", func(tx *Tx) error {
		if err := tx.requireSiteAdmin(); err != nil {
			return err
		}
		im, err := tx.newOrgImporter(&h, opt)
		if err != nil {
			return err
		}
		if err := im.run(a); err != nil {
			return err
		}
		out = im.result
		return nil
	})
	if err != nil {
		return nil, refusal(err)
	}
	return out, nil
}

// refusal makes an import's error one the user reads: a name that is
// taken names the field, a refused archive says why and that nothing was
// stored. Both keep the error they wrap (errors.Is ErrNameTaken,
// ErrBadArchive); other errors are faults of the installation.
func refusal(err error) error {
	var name string
	switch {
	case isms.AsError(err) != nil:
		return err
	case errors.As(err, new(nameTaken)):
		var nt nameTaken
		errors.As(err, &nt)
		name = string(nt)
		e := &isms.Error{Code: isms.EConflict, Key: "org_archive.err.name_taken", Args: []any{name},
			Fields: []isms.FieldError{{Field: "name", Key: "org_archive.err.name_taken", Args: []any{name}}}}
		return fmt.Errorf("%w (%w)", e, err)
	case errors.Is(err, ErrBadArchive):
		detail := err.Error()
		if _, after, ok := strings.Cut(detail, ErrBadArchive.Error()+": "); ok {
			detail = after
		}
		return fmt.Errorf("%w (%w)", isms.Errorf(isms.EInvalid, "org_archive.err.refused", detail), err)
	}
	return fmt.Errorf("import organisation: %w", err)
}

// nameTaken is the name an import found taken.
type nameTaken string

func (n nameTaken) Error() string {
	return fmt.Sprintf("%s: %q (import it under another name)", ErrNameTaken, string(n))
}

func (n nameTaken) Unwrap() error { return ErrNameTaken }

// checkMigrationsKnown refuses an archive made by a newer program.
func checkMigrationsKnown(versions []int) error {
	known, err := loadMigrations()
	if err != nil {
		return err
	}
	have := map[int]bool{}
	latest := 0
	for _, m := range known {
		have[m.version] = true
		latest = max(latest, m.version)
	}
	for _, v := range versions {
		if !have[v] {
			return fmt.Errorf("the archive was made by a newer version of the program (schema migration %d; this program knows up to %d): import it with that version or later", v, latest)
		}
	}
	return nil
}

// orgImporter carries one import's state: the new ids given so far.
type orgImporter struct {
	tx     *Tx
	h      *OrgArchiveHeader
	name   string
	tables map[string]*orgTable
	newOrg int64
	users  map[int64]int64            // the archive's user id → this installation's
	ids    map[string]map[int64]int64 // table → the archive's id → the new id
	next   map[string]int64           // SQLite: the next free id per table
	// missingShared are the archive's shared rows this installation
	// lacks, by table.id, with their names.
	missingShared map[string]string
	archiveSum    string // the archive's checksum, for the import's event
	result        *isms.OrganisationImported
	chain         auditChainCheck
	head          *[2]any      // the archive's audit head: seq, hash
	idsSum        *importedIDs // what ids_sha256 covers, built as events are imported
}

// auditChainCheck recomputes the imported chain as its events pass.
type auditChainCheck struct {
	prev string
	seq  int64
}

func (tx *Tx) newOrgImporter(h *OrgArchiveHeader, opt isms.OrganisationImport) (*orgImporter, error) {
	schema, err := tx.orgSchema()
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(opt.Name)
	if name == "" {
		name = h.Organisation.Name
	}
	if n, err := tx.count("SELECT COUNT(*) FROM organisations WHERE name = ?", name); err != nil {
		return nil, err
	} else if n > 0 {
		return nil, nameTaken(name)
	}
	im := &orgImporter{tx: tx, h: h, name: name, tables: map[string]*orgTable{}, users: map[int64]int64{0: 0},
		ids: map[string]map[int64]int64{}, next: map[string]int64{}, missingShared: map[string]string{},
		result: &isms.OrganisationImported{SourceID: h.Organisation.ID, Tables: map[string]int{}}, idsSum: newImportedIDs()}
	for _, t := range schema {
		im.tables[t.name] = t
	}
	return im, nil
}

// newID gives the row of table that had id old in the archive its id
// here, the first time it is asked: a reference may name a row before the
// row itself comes (a later table), and gets the same id.
func (im *orgImporter) newID(table string, old int64) (int64, error) {
	m := im.ids[table]
	if m == nil {
		m = map[int64]int64{}
		im.ids[table] = m
	}
	if id, ok := m[old]; ok {
		return id, nil
	}
	var id int64
	if im.tx.db.Dialect == Postgres {
		if err := im.tx.queryRow("SELECT nextval(pg_get_serial_sequence(?, 'id'))", quoteIdent(table)).Scan(&id); err != nil {
			return 0, fmt.Errorf("a new id in %s: %w", table, translate(err))
		}
	} else {
		n, ok := im.next[table]
		if !ok {
			// The writer is SQLite's only one: the largest id, or the
			// largest AUTOINCREMENT ever gave, is free to count on.
			if err := im.tx.queryRow(`SELECT MAX(COALESCE((SELECT MAX(id) FROM `+quoteIdent(table)+`), 0),
				COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0))`, table).Scan(&n); err != nil {
				return 0, translate(err)
			}
		}
		n++
		im.next[table] = n
		id = n
	}
	m[old] = id
	return id, nil
}

func (im *orgImporter) run(a *archiveReader) error {
	var (
		done   = map[string]bool{}
		cur    *orgTable
		cols   []string
		rows   int64
		stmt   *sql.Stmt
		seen   bool   // the closing line
		shared string // the shared catalogue being listed
	)
	defer func() {
		if stmt != nil {
			stmt.Close()
		}
	}()
	for !seen {
		line, err := a.next()
		if err != nil {
			return err
		}
		trimmed := bytes.TrimSpace(line)
		if len(trimmed) > 0 && trimmed[0] == '[' {
			a.sum.Write(line)
			var raw []json.RawMessage
			if err := json.Unmarshal(trimmed, &raw); err != nil {
				return a.bad("a row that is not valid JSON")
			}
			if cols == nil {
				return a.bad("a row before any table")
			}
			if len(raw) != len(cols) {
				return a.bad("a row of %d values for %d columns", len(raw), len(cols))
			}
			vals := make([]any, len(raw))
			for i, r := range raw {
				v, err := decodeValue(r)
				if err != nil {
					return a.bad("column %s: %v", cols[i], err)
				}
				if s, ok := v.(string); ok && isms.HasNUL(s) {
					return a.bad("column %s: the text holds a NUL character (U+0000), which cannot be stored", cols[i])
				}
				vals[i] = v
			}
			rows++
			switch {
			case shared != "":
				err = im.matchShared(shared, cols, vals)
			case cur == nil:
				err = im.importUser(cols, vals)
			default:
				err = im.importRow(cur, cols, vals, stmt)
			}
			if err != nil {
				return a.bad("table %s: %v", tableName(cur, shared), err)
			}
			continue
		}
		var obj struct {
			Table   *string     `json:"table"`
			Columns []string    `json:"columns"`
			End     *archiveEnd `json:"end"`
		}
		if err := json.Unmarshal(trimmed, &obj); err != nil {
			return a.bad("not valid JSON")
		}
		if obj.End != nil {
			if got := hex.EncodeToString(a.sum.Sum(nil)); got != obj.End.SHA256 {
				return a.bad("the checksum does not match: the archive was changed or damaged")
			}
			im.archiveSum = obj.End.SHA256
			if obj.End.Tables != len(done) || obj.End.Rows != rows {
				return a.bad("the archive says %d tables and %d rows, it holds %d and %d", obj.End.Tables, obj.End.Rows, len(done), rows)
			}
			if _, err := a.r.ReadByte(); err != io.EOF {
				return a.bad("there is more after the closing line")
			}
			seen = true
			continue
		}
		if obj.Table == nil {
			return a.bad("neither a row, a table nor the closing line")
		}
		a.sum.Write(line)
		name := *obj.Table
		if done[name] {
			return a.bad("table %q appears twice", name)
		}
		if name != "users" && !done["users"] {
			return a.bad("the people (users) must come first")
		}
		done[name] = true
		if stmt != nil {
			stmt.Close()
			stmt = nil
		}
		cols = obj.Columns
		cur, shared = nil, ""
		if table, ok := strings.CutPrefix(name, sharedPrefix); ok {
			keys := sharedKeys[table]
			if keys == nil || im.tables[table] == nil || !slices.Equal(cols, append([]string{"id"}, keys...)) {
				return a.bad("%s is no shared catalogue this installation knows by the columns %v", name, cols)
			}
			shared = table
			continue
		}
		if name == "users" {
			if !slices.Equal(cols, []string{"id", "email", "name", "deactivated_at"}) {
				return a.bad("the people's columns are %v", cols)
			}
			continue
		}
		t := im.tables[name]
		if t == nil {
			return a.bad("table %q is not an organisation's table in this installation", name)
		}
		cur = t
		if len(cols) == 0 {
			return a.bad("table %s: no columns", name)
		}
		seenCol := map[string]bool{}
		for _, c := range cols {
			if !slices.Contains(t.cols, c) {
				return a.bad("table %s: column %q does not exist in this installation", name, c)
			}
			if seenCol[c] {
				return a.bad("table %s: column %q appears twice", name, c)
			}
			seenCol[c] = true
		}
		if name == "audit_heads" || name == "organisations" {
			continue
		}
		insCols := cols
		if name == "audit_events" {
			for _, c := range []string{"origin_organisation_id", "origin_actor_id", "origin_record_id"} {
				if !slices.Contains(insCols, c) {
					insCols = append(slices.Clone(insCols), c)
				}
			}
		}
		quoted := make([]string, len(insCols))
		for i, c := range insCols {
			quoted[i] = quoteIdent(c)
		}
		if stmt, err = im.tx.tx.PrepareContext(im.tx.ctx, im.tx.db.rebind("INSERT INTO "+quoteIdent(name)+" ("+strings.Join(quoted, ", ")+") VALUES ("+placeholders(len(insCols))+")")); err != nil {
			return translate(err)
		}
	}
	if im.newOrg == 0 {
		return fmt.Errorf("%w: it holds no organisation", ErrBadArchive)
	}
	return im.finish()
}

func tableName(t *orgTable, shared string) string {
	switch {
	case shared != "":
		return sharedPrefix + shared
	case t == nil:
		return "users"
	}
	return t.name
}

// matchShared notes which of this installation's shared rows stands for
// one of the archive's: the same name (sharedKeys). A row this one lacks
// (an older catalogue) is an error only when a record refers to it.
func (im *orgImporter) matchShared(table string, cols []string, vals []any) error {
	old, ok := vals[0].(int64)
	if !ok {
		return fmt.Errorf("a shared row without an id")
	}
	where := make([]string, len(cols)-1)
	for i, c := range cols[1:] {
		where[i] = quoteIdent(c) + " = ?"
	}
	var id int64
	err := im.tx.queryRow("SELECT id FROM "+quoteIdent(table)+" WHERE organisation_id IS NULL AND "+strings.Join(where, " AND "), vals[1:]...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		im.missingShared[table+"."+strconv.FormatInt(old, 10)] = fmt.Sprint(vals[1:])
		return nil
	}
	if err != nil {
		return translate(err)
	}
	if im.ids[table] == nil {
		im.ids[table] = map[int64]int64{}
	}
	im.ids[table][old] = id
	return nil
}

// importUser matches one of the archive's people by e-mail, or creates
// the account without a password.
func (im *orgImporter) importUser(cols []string, vals []any) error {
	id, ok1 := vals[0].(int64)
	email, ok2 := vals[1].(string)
	name, ok3 := vals[2].(string)
	if !ok1 || !ok2 || !ok3 {
		return fmt.Errorf("a person without id, e-mail or name")
	}
	email = normEmail(email)
	var v isms.Validation
	checkEmail(&v, "email", email)
	if v.Err() != nil || strings.TrimSpace(name) == "" {
		return fmt.Errorf("person %d: %q is not a valid e-mail address with a name", id, email)
	}
	var have int64
	err := im.tx.queryRow("SELECT id FROM users WHERE email = ?", email).Scan(&have)
	switch {
	case err == nil:
		im.users[id] = have
		im.result.PeopleMatched++
		return nil
	case !errors.Is(err, sql.ErrNoRows):
		return translate(err)
	}
	now := ts(im.tx.now)
	newID, err := im.tx.insert("INSERT INTO users (email, name, password_hash, site_admin, created_at, updated_at, deactivated_at) VALUES (?, ?, '', 0, ?, ?, ?)",
		email, strings.TrimSpace(name), now, now, vals[3])
	if err != nil {
		return err
	}
	im.users[id] = newID
	im.result.PeopleCreated++
	u, err := im.tx.userRow(newID)
	if err != nil {
		return err
	}
	// The site's own chain records the account, as for any other.
	return im.tx.audit(0, "create", "user", newID, nil, u)
}

// mapRef gives a reference its id here.
func (im *orgImporter) mapRef(target string, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	old, ok := v.(int64)
	if !ok {
		return nil, fmt.Errorf("a reference that is not a number")
	}
	switch target {
	case "users":
		id, ok := im.users[old]
		if !ok {
			return nil, fmt.Errorf("a reference to person %d, whom the archive does not hold", old)
		}
		return id, nil
	case "organisations":
		if old == im.h.Organisation.ID {
			return im.newOrg, nil
		}
		// Another organisation (a parent): not moved with this one.
		return nil, nil
	}
	t := im.tables[target]
	if t == nil || !t.surrogate {
		return nil, fmt.Errorf("a reference to table %s, which is not moved with an organisation", target)
	}
	if name, ok := im.missingShared[target+"."+strconv.FormatInt(old, 10)]; ok {
		return nil, fmt.Errorf("a reference to the shared %s %s, which this installation does not have (update it to the source's version)", target, name)
	}
	return im.newID(target, old)
}

// importRow stores one row of an organisation's table under new ids.
func (im *orgImporter) importRow(t *orgTable, cols []string, vals []any, stmt *sql.Stmt) error {
	switch t.name {
	case "organisations":
		return im.importOrganisation(cols, vals)
	case "audit_heads":
		return im.noteAuditHead(cols, vals)
	case "audit_events":
		return im.importAuditEvent(cols, vals, stmt)
	}
	if im.newOrg == 0 {
		return fmt.Errorf("a row before the organisation's own")
	}
	row := map[string]any{}
	for i, c := range cols {
		row[c] = vals[i]
	}
	out := make([]any, len(vals))
	for i, c := range cols {
		v := vals[i]
		var err error
		switch {
		case c == "organisation_id":
			if v != nil {
				if old, _ := v.(int64); old != im.h.Organisation.ID {
					return fmt.Errorf("a row of organisation %v in the archive of organisation %d", v, im.h.Organisation.ID)
				}
				v = im.newOrg
			}
		case c == "id" && t.surrogate:
			old, ok := v.(int64)
			if !ok {
				return fmt.Errorf("a row without an id")
			}
			v, err = im.newID(t.name, old)
		case c == "token_hash":
			v, err = im.freshToken(t.name, v)
		default:
			target, typeCol, types := t.refTarget(c)
			if typeCol != "" {
				typ, _ := row[typeCol].(string)
				target = types[typ]
				if target == "" {
					return fmt.Errorf("column %s: a link of type %q, which this installation does not know", c, typ)
				}
			}
			if target != "" {
				v, err = im.mapRef(target, v)
			}
		}
		if err != nil {
			return fmt.Errorf("column %s: %v", c, err)
		}
		out[i] = v
	}
	if _, err := stmt.ExecContext(im.tx.ctx, out...); err != nil {
		return fmt.Errorf("%s", translateDetail(err))
	}
	im.result.Rows++
	im.result.Tables[t.name]++
	return nil
}

// translateDetail names a refused insert plainly.
func translateDetail(err error) string {
	switch driverErrorKind(err) {
	case errDuplicate:
		return "a row that is already here (a duplicate key): " + err.Error()
	case errUnknownReference:
		return "a row that refers to a row the archive does not hold: " + err.Error()
	}
	return err.Error()
}

// freshToken keeps a link's token unless this installation already has
// it (the organisation imported here before, as a copy): then the copy's
// link gets a token no one holds, and must be made again to be used.
func (im *orgImporter) freshToken(table string, v any) (any, error) {
	s, ok := v.(string)
	if !ok || s == "" {
		return v, nil
	}
	n, err := im.tx.count("SELECT COUNT(*) FROM "+quoteIdent(table)+" WHERE token_hash = ?", s)
	if err != nil || n == 0 {
		return v, err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// importOrganisation creates the organisation itself, without its
// parent.
func (im *orgImporter) importOrganisation(cols []string, vals []any) error {
	if im.newOrg != 0 {
		return fmt.Errorf("a second organisation")
	}
	row := map[string]any{}
	for i, c := range cols {
		row[c] = vals[i]
	}
	if id, _ := row["id"].(int64); id != im.h.Organisation.ID {
		return fmt.Errorf("organisation %v in the archive of organisation %d", row["id"], im.h.Organisation.ID)
	}
	purpose, _ := row["purpose"].(string)
	created, _ := row["created_at"].(string)
	if created == "" {
		created = ts(im.tx.now)
	}
	id, err := im.tx.insert("INSERT INTO organisations (parent_id, name, purpose, version, created_at, updated_at) VALUES (NULL, ?, ?, 1, ?, ?)",
		im.name, purpose, created, ts(im.tx.now))
	if err != nil {
		if isms.ErrorCode(err) == isms.EConflict {
			return nameTaken(im.name)
		}
		return err
	}
	im.newOrg = id
	im.ids["organisations"] = map[int64]int64{im.h.Organisation.ID: id}
	im.result.Rows++
	im.result.Tables["organisations"]++
	return im.tx.lockOrganisation(id)
}

// noteAuditHead keeps the archive's chain head, to check the chain's end
// against.
func (im *orgImporter) noteAuditHead(cols []string, vals []any) error {
	row := map[string]any{}
	for i, c := range cols {
		row[c] = vals[i]
	}
	seq, ok1 := row["seq"].(int64)
	hash, ok2 := row["hash"].(string)
	if !ok1 || !ok2 || im.head != nil {
		return fmt.Errorf("not one audit chain head")
	}
	im.head = &[2]any{seq, hash}
	return nil
}

// importAuditEvent checks one event of the imported chain against its
// predecessor and its own hash, as it was written in the source, and
// stores it with this installation's ids beside the ones it was hashed
// with.
func (im *orgImporter) importAuditEvent(cols []string, vals []any, stmt *sql.Stmt) error {
	if im.newOrg == 0 {
		return fmt.Errorf("an event before the organisation")
	}
	row := map[string]any{}
	for i, c := range cols {
		row[c] = vals[i]
	}
	str := func(c string) string { s, _ := row[c].(string); return s }
	num := func(c string) int64 { n, _ := row[c].(int64); return n }
	origin := func(c string) int64 {
		if n, ok := row["origin_"+c].(int64); ok {
			return n
		}
		return num(c)
	}
	e := isms.AuditEvent{OrganisationID: origin("organisation_id"), Seq: num("seq"), ActorID: origin("actor_id"),
		ActorName: str("actor_name"), Action: str("action"), RecordType: str("record_type"), RecordID: origin("record_id"),
		Before: []byte(str("before_json")), After: []byte(str("after_json")), PrevHash: str("prev_hash")}
	switch {
	case num("organisation_id") != im.h.Organisation.ID:
		return fmt.Errorf("an event of organisation %d in the archive of organisation %d", num("organisation_id"), im.h.Organisation.ID)
	case e.Seq != im.chain.seq+1:
		return fmt.Errorf("the audit chain is broken at event %d: expected event number %d (an event is missing)", e.Seq, im.chain.seq+1)
	case e.PrevHash != im.chain.prev:
		return fmt.Errorf("the audit chain is broken at event %d: its link to the previous event does not match", e.Seq)
	case eventHash(&e, str("at")) != str("hash"):
		return fmt.Errorf("the audit chain is broken at event %d: its content does not match its hash (changed after it was written)", e.Seq)
	}
	im.chain.seq, im.chain.prev = e.Seq, str("hash")

	actor, ok := im.users[num("actor_id")]
	if !ok {
		actor = 0 // an account the archive does not hold: the name stays
	}
	record := num("record_id")
	if t := im.recordTable(e.RecordType); t != nil {
		switch {
		case t.name == "organisations" || !t.surrogate:
			if record == im.h.Organisation.ID {
				record = im.newOrg
			}
		case t.name == "users":
			if m, ok := im.users[record]; ok {
				record = m
			}
		default:
			if m, ok := im.ids[t.name][record]; ok {
				record = m
			}
		}
	}
	id, err := im.newID("audit_events", num("id"))
	if err != nil {
		return err
	}
	out := make([]any, 0, len(cols)+3)
	for _, c := range cols {
		switch c {
		case "id":
			out = append(out, id)
		case "organisation_id":
			out = append(out, im.newOrg)
		case "actor_id":
			out = append(out, actor)
		case "record_id":
			out = append(out, record)
		case "origin_organisation_id":
			out = append(out, e.OrganisationID)
		case "origin_actor_id":
			out = append(out, e.ActorID)
		case "origin_record_id":
			out = append(out, e.RecordID)
		default:
			out = append(out, row[c])
		}
	}
	for _, c := range []string{"origin_organisation_id", "origin_actor_id", "origin_record_id"} {
		if !slices.Contains(cols, c) {
			out = append(out, map[string]int64{"origin_organisation_id": e.OrganisationID, "origin_actor_id": e.ActorID, "origin_record_id": e.RecordID}[c])
		}
	}
	if _, err := stmt.ExecContext(im.tx.ctx, out...); err != nil {
		return translate(err)
	}
	im.idsSum.add(e.Seq, [3]int64{im.newOrg, actor, record})
	im.result.AuditEvents++
	im.result.Tables["audit_events"]++
	return nil
}

// recordTable is the table of an audit event's record type, where one is
// found by the names' convention (risk → risks, entry → entries); nil
// where none is.
func (im *orgImporter) recordTable(recordType string) *orgTable {
	switch recordType {
	case "organisation", typeScope, typeRACIMatrix:
		return im.tables["organisations"] // the record is the organisation's one
	case "user", "user_preference":
		return &orgTable{name: "users"}
	case "soa_control":
		return im.tables["controls"]
	case typeAuditFinding:
		return im.tables["internal_audit_findings"]
	}
	for _, n := range []string{recordType + "s", strings.TrimSuffix(recordType, "y") + "ies", recordType + "es", recordType} {
		if t := im.tables[n]; t != nil {
			return t
		}
	}
	return nil
}

// finish checks the imported chain's end against the archive's head and
// records the import on top of it.
func (im *orgImporter) finish() error {
	if im.head == nil {
		return fmt.Errorf("%w: it holds no audit chain head", ErrBadArchive)
	}
	if im.head[0].(int64) != im.chain.seq || im.head[1].(string) != im.chain.prev {
		return fmt.Errorf("%w: the audit chain ends at event %d but its head says %d (events were removed at the end)", ErrBadArchive, im.chain.seq, im.head[0].(int64))
	}
	if _, err := im.tx.exec("INSERT INTO audit_heads (organisation_id, seq, hash) VALUES (?, ?, ?)", im.newOrg, im.chain.seq, im.chain.prev); err != nil {
		return err
	}
	o, err := im.tx.org(im.newOrg)
	if err != nil {
		return err
	}
	im.result.Organisation = o
	tables := make([]string, 0, len(im.result.Tables))
	for t := range im.result.Tables {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	counts := make([]string, len(tables))
	for i, t := range tables {
		counts[i] = t + "=" + strconv.Itoa(im.result.Tables[t])
	}
	return im.tx.audit(im.newOrg, "import", "organisation", im.newOrg, nil, map[string]any{
		"source": map[string]any{"organisation_id": im.h.Organisation.ID, "name": im.h.Organisation.Name,
			"installation": im.h.Source, "archive_created_at": im.h.CreatedAt, "archive_sha256": im.archiveSum},
		"organisation":   o,
		"audit_events":   im.chain.seq,
		"people_matched": im.result.PeopleMatched,
		"people_created": im.result.PeopleCreated,
		"rows":           strings.Join(counts, " "),
		// The new ids of every imported event, under this event's hash.
		"ids_sha256": hex.EncodeToString(im.idsSum.sum.Sum(nil)),
	})
}
