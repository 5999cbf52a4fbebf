package sqlstore

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ismsdk/isms"
)

// An organisation's archive: everything of one organisation, to move it to
// another installation (SQLite or PostgreSQL) or to keep an offline copy.
// It is JSON lines like the whole-database archive (backup.go), and reuses
// its value encoding and closing checksum line:
//
//	{"format":"isms-organisation-archive","format_version":1,"migrations":[…],"organisation":{"id":1,"name":"…"},…}
//	{"table":"users","columns":["id","email","name","deactivated_at"]}
//	[3,"koordinator@solbjerg.example","Mette Holm",null]
//	{"table":"organisations","columns":[…]}
//	…
//	{"table":"audit_events","columns":[…]}
//	…
//	{"end":{"tables":90,"rows":4200,"sha256":"…"}}
//
// Which tables belong to an organisation is read from the schema, so a
// table a later migration adds is moved without an edit here: every table
// with an organisation_id column, and every table whose foreign key leads
// (through any number of tables) to one. A table that is neither, and not
// listed in siteWideTables, makes the export fail, and a test fails with it.
// Tables are written parents first (by their foreign keys), so the import
// can insert row by row; a reference to a row that comes later (a column
// without a declared key) gets the id that row will get. A few of an
// organisation's tables stay behind (orgTablesLeftBehind: the inbox and
// mail logs, made again in the target). The shared catalogues every
// organisation refers to (Annex A's controls, the shipped threats) are not
// copied: the archive names the source's rows (sharedKeys) and the import
// refers to the target's rows of the same name.
//
// People are the installation's, not the organisation's: the archive holds
// the accounts its rows refer to (e-mail, name, whether deactivated, never a
// password), and the import matches them by e-mail. An account that does
// not exist in the target is created without a password: it cannot sign in
// until a site administrator sets one (the account page's password reset)
// or the person signs in through single sign-on. Site administration is
// never carried over.
//
// Only the one organisation moves. Its parent (parent_id) is another
// organisation with its own archive: the import drops the link, and a site
// administrator sets it again in the target. Child organisations are
// exported each on its own.
//
// The audit trail. An event's hash covers the organisation id, the actor's
// id and the record's id as they were when it was written (audit.go,
// eventHash); the target gives all three new values. An imported event
// therefore shows the new ids in its ordinary columns (so a record's history
// finds its events) and keeps the values it was hashed with in
// origin_organisation_id, origin_actor_id and origin_record_id; VerifyAudit
// recomputes its hash from those. The before and after JSON are kept as they
// were written, with the source's ids inside: they are what happened, in the
// words of the installation it happened in. The import recomputes the whole
// chain before it commits (a changed, missing or reordered event refuses the
// archive), keeps the chain's sequence numbers and hashes, and appends an
// "import" event on top of the last imported event, whose after JSON names
// the source (organisation id, name, installation dialect, archive checksum)
// and holds ids_sha256: the SHA-256 over every imported event's new ids, so
// that the remapping is under the chain as well. An organisation moved
// again keeps the oldest origin values, which are what its hashes cover.
// Each export is an "export" event in the source's chain (after the
// archive's last event): who took the whole ISMS, and the archive's
// checksum.

// OrgArchiveFormat names the organisation archive format in its header.
const OrgArchiveFormat = "isms-organisation-archive"

// OrgArchiveVersion is the version of the organisation archive this code
// writes and reads.
const OrgArchiveVersion = 1

// ErrNameTaken is returned by ImportOrganisation when the target already
// has an organisation of the archive's name (or of the name asked for).
var ErrNameTaken = errors.New("an organisation of that name already exists here")

// OrgArchiveHeader is the first line of an organisation archive.
type OrgArchiveHeader struct {
	Format        string           `json:"format"`
	FormatVersion int              `json:"format_version"`
	Migrations    []int            `json:"migrations"`
	CreatedAt     time.Time        `json:"created_at"`
	Source        string           `json:"source"`
	Organisation  OrgArchiveOrigin `json:"organisation"`
}

// OrgArchiveOrigin names the organisation an archive was made of.
type OrgArchiveOrigin struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// siteWideTables belong to the installation, not to an organisation, and
// are never in an organisation's archive (users only as the people the
// organisation's rows refer to). Each says why.
var siteWideTables = map[string]string{
	"schema_migrations":        "the installation's schema",
	"users":                    "accounts are the installation's; matched by e-mail on import",
	"sessions":                 "sign-ins to this installation",
	"api_tokens":               "credentials for this installation",
	"login_failures":           "this installation's throttling",
	"user_preferences":         "a person's own settings",
	"notification_preferences": "a person's own settings",
	"sso_identities":           "a person's link to this installation's identity providers",
	"sso_pending_logins":       "single sign-on logins under way on this installation",
	"sso_sessions":             "sign-ins to this installation through a provider",
	"totp_secrets":             "a person's own second factor, for this installation",
	"recovery_codes":           "a person's own second factor, for this installation",
	"passkeys":                 "a person's own second factor, bound to this installation's address",
	"pending_logins":           "logins under way on this installation",
	"webauthn_challenges":      "passkey ceremonies under way on this installation",
}

// orgTablesLeftBehind are an organisation's tables that are not moved:
// state the target builds again, keyed by text that holds the source's ids.
var orgTablesLeftBehind = map[string]string{
	"notifications":           "the inbox is made again by the target's next notifications run",
	"notification_assignees":  "derived from the assignments by the notifications run",
	"notification_baselines":  "derived from the assignments by the notifications run",
	"notification_mails":      "which mails this installation sent",
	"wheel_mail_log":          "which reminders this installation mailed (keyed by text holding ids)",
	"audit_heads":             "written from the imported chain and checked against the archive's own",
	"sso_role_mappings":       "claims of this installation's identity providers; the target's site administrator maps its own",
	"sso_managed_memberships": "memberships this installation's role mappings gave; the target's mappings decide there",
}

// implicitRefs are id columns that refer to another table's rows without a
// declared foreign key (added by a migration that could not declare one).
var implicitRefs = map[string]string{
	"assets.entry_id":                      "overview_entries",
	"risks.acceptance_id":                  "risk_acceptances",
	"risk_assessments.mark_threat_id":      "threats",
	"competence_needs.wheel_activity_id":   "wheel_activities",
	"risk_methods.method_document_id":      "documents",
	"wheel_mail_log.occurrence_id":         "wheel_occurrences",
	"awareness_import_uploads.activity_id": "awareness_activities",
	"notification_assignees.user_id":       "users",
}

// notReferences are columns named like references that hold text or
// catalogue keys, not ids.
var notReferences = map[string]bool{
	"nonconformities.reported_by":         true,
	"incident_communications.done_by":     true,
	"forum_decisions.follow_up_by":        true,
	"indicators.measured_by":              true,
	"checklist_manual.question_id":        true,
	"checklist_answer_days.question_id":   true,
	"audit_events.actor_id":               true, // remapped by importAuditEvent
	"audit_events.record_id":              true, // remapped by importAuditEvent
	"audit_events.origin_actor_id":        true,
	"audit_events.origin_record_id":       true,
	"audit_events.origin_organisation_id": true,
}

// polymorphicRefs are id columns whose table is named by a type column of
// the same row (the links between records).
var polymorphicRefs = map[string]struct {
	typeColumn string
	tables     map[string]string
}{
	"record_links.from_id":     {"from_type", linkTypeTables},
	"record_links.to_id":       {"to_type", linkTypeTables},
	"resource_links.target_id": {"kind", map[string]string{"control": "controls", "activity": "wheel_activities", "task": "risk_tasks"}},
	"supplier_links.target_id": {"kind", map[string]string{"control": "controls", "entry": "overview_entries", "risk": "risks"}},
}

// linkTypeTables are the tables of record_links' types (links.go).
var linkTypeTables = map[string]string{
	typeEntry: "overview_entries", typeScope: "organisations", typeSecurityRole: "security_roles",
	typeAsset: "assets", typeRisk: "risks", typeRiskTask: "risk_tasks", typeRiskControl: "controls",
	typeSoA: "controls", typeSoADoc: "documents",
}

// sharedKeys are the tables whose rows without an organisation are the
// catalogues every organisation shares (Annex A's controls, the shipped
// threat catalogue), with the columns that name such a row in every
// installation. The archive lists the source's shared rows by these
// columns, and the import refers to the target's rows of the same name.
var sharedKeys = map[string][]string{
	"controls":          {"catalogue", "ref"},
	"threat_catalogues": {"builtin_key"},
	"threats":           {"threat_key"},
}

// sharedPrefix marks the archive's lists of shared rows.
const sharedPrefix = "shared:"

// orgTable is one table of an organisation as the schema describes it.
type orgTable struct {
	name  string
	cols  []string
	text  map[string]bool
	pk    []string
	fks   map[string]string // column → the table it refers to (by its id)
	where string            // selects the organisation's rows; every ? is the organisation's id
	nargs int
	// surrogate: the table's key is one integer column "id", which the
	// import gives anew.
	surrogate bool
}

// orgSchema reads which tables hold an organisation's rows, parents before
// children.
func (tx *Tx) orgSchema() ([]*orgTable, error) {
	names, err := tx.tables()
	if err != nil {
		return nil, err
	}
	all := map[string]*orgTable{}
	for _, n := range names {
		cols, text, pk, err := tx.tableColumns(n)
		if err != nil {
			return nil, err
		}
		fks, err := tx.foreignKeys(n)
		if err != nil {
			return nil, fmt.Errorf("foreign keys of %s: %w", n, err)
		}
		all[n] = &orgTable{name: n, cols: cols, text: text, pk: pk, fks: fks,
			surrogate: len(pk) == 1 && pk[0] == "id"}
	}
	// Which rows are the organisation's: its own row, rows with its id,
	// and rows that hang on such rows; repeated until nothing changes, so a
	// chain of child tables of any depth is found.
	all["organisations"].where, all["organisations"].nargs = "id = ?", 1
	for _, t := range all {
		if t.where == "" && slices.Contains(t.cols, "organisation_id") {
			t.where, t.nargs = "organisation_id = ?", 1
		}
	}
	for changed := true; changed; {
		changed = false
		for _, n := range names {
			t := all[n]
			if t.where != "" || siteWideTables[n] != "" {
				continue
			}
			cols := make([]string, 0, len(t.fks))
			for c := range t.fks {
				cols = append(cols, c)
			}
			sort.Strings(cols)
			for _, c := range cols {
				p := all[t.fks[c]]
				if p == nil || p.where == "" || p.name == "organisations" || !p.surrogate {
					continue
				}
				t.where = quoteIdent(c) + " IN (SELECT id FROM " + quoteIdent(p.name) + " WHERE " + p.where + ")"
				t.nargs = p.nargs
				changed = true
				break
			}
		}
	}
	var out []*orgTable
	for _, n := range names {
		t := all[n]
		switch {
		case siteWideTables[n] != "":
			continue
		case t.where == "":
			return nil, fmt.Errorf("table %s belongs neither to an organisation (no organisation_id, no foreign key leading to one) nor to the site (siteWideTables in org_archive.go): say which it is", n)
		case orgTablesLeftBehind[n] != "" && n != "audit_heads":
			continue
		}
		out = append(out, t)
	}
	return sortByReferences(out)
}

// sortByReferences orders the tables so that each comes after every table
// its foreign keys point to (a reference to its own table excepted); the
// audit trail goes last.
func sortByReferences(tables []*orgTable) ([]*orgTable, error) {
	byName := map[string]*orgTable{}
	for _, t := range tables {
		byName[t.name] = t
	}
	var out []*orgTable
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(t *orgTable, path []string) error
	visit = func(t *orgTable, path []string) error {
		switch state[t.name] {
		case 2:
			return nil
		case 1:
			return fmt.Errorf("the tables refer to each other in a circle: %s", strings.Join(append(path, t.name), " → "))
		}
		state[t.name] = 1
		// Implicit references have no constraint to satisfy: the id they
		// name is given when first asked for (newID), whichever comes first.
		var deps []string
		for _, target := range t.fks {
			if target != t.name {
				deps = append(deps, target)
			}
		}
		sort.Strings(deps)
		for _, d := range deps {
			if p := byName[d]; p != nil {
				if err := visit(p, append(path, t.name)); err != nil {
					return err
				}
			}
		}
		state[t.name] = 2
		out = append(out, t)
		return nil
	}
	for _, t := range tables {
		if t.name == "audit_events" || t.name == "audit_heads" {
			continue
		}
		if err := visit(t, nil); err != nil {
			return nil, err
		}
	}
	for _, n := range []string{"audit_heads", "audit_events"} {
		if t := byName[n]; t != nil {
			out = append(out, t)
		}
	}
	return out, nil
}

// foreignKeys lists a table's single-column foreign keys: column → the
// table it refers to.
func (tx *Tx) foreignKeys(table string) (map[string]string, error) {
	q := `SELECT "from", "table" FROM pragma_foreign_key_list(?)`
	if tx.db.Dialect == Postgres {
		q = `SELECT a.attname, cf.relname FROM pg_constraint k
			JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
			JOIN pg_class cf ON cf.oid = k.confrelid
			JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
			WHERE n.nspname = current_schema() AND c.relname = ? AND k.contype = 'f'`
	}
	out := map[string]string{}
	err := tx.queryEach(q, []any{table}, func(row scanner) error {
		var c, t string
		if err := row.Scan(&c, &t); err != nil {
			return err
		}
		out[c] = t
		return nil
	})
	return out, err
}

// refTarget is the table a column refers to by id ("" for none), and for a
// polymorphic column the type column that names it.
func (t *orgTable) refTarget(col string) (target, typeColumn string, tables map[string]string) {
	if f, ok := t.fks[col]; ok {
		return f, "", nil
	}
	if f, ok := implicitRefs[t.name+"."+col]; ok {
		return f, "", nil
	}
	if p, ok := polymorphicRefs[t.name+"."+col]; ok {
		return "", p.typeColumn, p.tables
	}
	return "", "", nil
}

// ExportOrganisation writes one organisation's archive to w: its records,
// its files (document versions and their pieces, evidence: they are rows),
// its audit trail and the people they refer to. It reads in one
// transaction, so the archive is one consistent state. Only the
// organisation's administrators (and site administrators) may.
func (db *DB) ExportOrganisation(ctx context.Context, orgID int64, w io.Writer) error {
	sum := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(w, sum), 64<<10)
	var sumHex string // the archive's checksum, for the audit trail
	err := db.read(ctx, "ExportOrganisation", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermManageMembers); err != nil {
			return err
		}
		o, err := tx.org(orgID)
		if err != nil {
			return err
		}
		tables, err := tx.orgSchema()
		if err != nil {
			return err
		}
		versions, err := tx.migrationVersions()
		if err != nil {
			return err
		}
		if err := writeLine(bw, OrgArchiveHeader{Format: OrgArchiveFormat, FormatVersion: OrgArchiveVersion,
			Migrations: versions, CreatedAt: tx.now, Source: db.Dialect.String(),
			Organisation: OrgArchiveOrigin{ID: o.ID, Name: o.Name}}); err != nil {
			return err
		}
		n, err := tx.exportPeople(bw, tables, orgID)
		if err != nil {
			return fmt.Errorf("export the people: %w", err)
		}
		rows, count := n, 1
		for _, t := range tables {
			keys := sharedKeys[t.name]
			if keys == nil {
				continue
			}
			n, err := tx.exportShared(bw, t.name, keys)
			if err != nil {
				return fmt.Errorf("export the shared rows of %s: %w", t.name, err)
			}
			rows += n
			count++
		}
		for _, t := range tables {
			n, err := tx.exportOrgTable(bw, t, orgID)
			if err != nil {
				return fmt.Errorf("export table %s: %w", t.name, err)
			}
			rows += n
			count++
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		sumHex = hex.EncodeToString(sum.Sum(nil))
		end, err := json.Marshal(map[string]archiveEnd{"end": {Tables: count, Rows: rows, SHA256: sumHex}})
		if err != nil {
			return err
		}
		_, err = w.Write(append(end, '\n'))
		return err
	})
	if err != nil {
		return fmt.Errorf("export organisation %d: %w", orgID, err)
	}
	// Who took the whole ISMS away, confidential documents and all, is
	// kept in the audit trail (after the archive, which ends before it).
	err = db.write(ctx, "ExportOrganisation", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermManageMembers); err != nil {
			return err
		}
		return tx.audit(orgID, "export", "organisation", orgID, nil, map[string]any{
			"format": OrgArchiveFormat, "format_version": OrgArchiveVersion, "archive_sha256": sumHex})
	})
	if err != nil {
		return fmt.Errorf("export organisation %d: record it: %w", orgID, err)
	}
	return nil
}

// exportPeople writes the accounts the organisation's rows refer to.
func (tx *Tx) exportPeople(w io.Writer, tables []*orgTable, orgID int64) (int64, error) {
	var parts []string
	var args []any
	for _, t := range tables {
		for _, c := range t.cols {
			target, _, _ := t.refTarget(c)
			// An imported event's origin_actor_id is an id of the
			// installation it came from, and stays as it is.
			if target != "users" && !(t.name == "audit_events" && c == "actor_id") {
				continue
			}
			parts = append(parts, "SELECT "+quoteIdent(c)+" FROM "+quoteIdent(t.name)+" WHERE "+t.where)
			for range t.nargs {
				args = append(args, orgID)
			}
		}
	}
	if err := writeLine(w, archiveTable{Table: "users", Columns: []string{"id", "email", "name", "deactivated_at"}}); err != nil {
		return 0, err
	}
	var n int64
	err := tx.queryEach("SELECT id, email, name, deactivated_at FROM users WHERE id IN ("+strings.Join(parts, " UNION ")+") ORDER BY id", args, func(row scanner) error {
		var id int64
		var email, name string
		var deactivated sql.NullString
		if err := row.Scan(&id, &email, &name, &deactivated); err != nil {
			return err
		}
		var d any
		if deactivated.Valid {
			d = deactivated.String
		}
		n++
		return writeLine(w, []any{id, email, name, d})
	})
	return n, err
}

// exportShared writes the ids and names of a shared catalogue's rows.
func (tx *Tx) exportShared(w io.Writer, table string, keys []string) (int64, error) {
	cols := append([]string{"id"}, keys...)
	if err := writeLine(w, archiveTable{Table: sharedPrefix + table, Columns: cols}); err != nil {
		return 0, err
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = quoteIdent(c)
	}
	var n int64
	err := tx.queryEach("SELECT "+strings.Join(quoted, ", ")+" FROM "+quoteIdent(table)+" WHERE organisation_id IS NULL ORDER BY id", nil, func(row scanner) error {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := row.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		n++
		return writeLine(w, vals)
	})
	return n, err
}

// exportOrgTable writes one table's header line and the organisation's
// rows, ordered by key so the same data gives the same archive.
func (tx *Tx) exportOrgTable(w io.Writer, t *orgTable, orgID int64) (int64, error) {
	if err := writeLine(w, archiveTable{Table: t.name, Columns: t.cols}); err != nil {
		return 0, err
	}
	order := t.pk
	if len(order) == 0 {
		order = t.cols
	}
	if t.name == "audit_events" {
		order = []string{"seq"}
	}
	terms := make([]string, len(order))
	for i, c := range order {
		terms[i] = quoteIdent(c)
		if t.text[c] && tx.db.Dialect == Postgres {
			terms[i] += ` COLLATE "C"`
		}
	}
	quoted := make([]string, len(t.cols))
	for i, c := range t.cols {
		quoted[i] = quoteIdent(c)
	}
	args := make([]any, t.nargs)
	for i := range args {
		args[i] = orgID
	}
	rows, err := tx.query("SELECT "+strings.Join(quoted, ", ")+" FROM "+quoteIdent(t.name)+" WHERE "+t.where+" ORDER BY "+strings.Join(terms, ", "), args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	vals := make([]any, len(t.cols))
	ptrs := make([]any, len(t.cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n int64
	var line []byte
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		line = append(line[:0], '[')
		for i, v := range vals {
			if i > 0 {
				line = append(line, ',')
			}
			if line, err = appendValue(line, v); err != nil {
				return n, fmt.Errorf("column %s: %w", t.cols[i], err)
			}
		}
		line = append(line, ']', '\n')
		if _, err := w.Write(line); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}
