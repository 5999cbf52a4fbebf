package sqlstore

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ismsdk/isms"
)

// The archive: one file that holds the whole ISMS, readable by both
// dialects. It is JSON lines:
//
//	{"format":"isms-archive","format_version":1,"migrations":[1,2],"created_at":"…","source":"sqlite"}
//	{"table":"organisations","columns":["id","parent_id",…]}
//	[1,null,"Solbjerg Kommune",…]
//	…
//	{"end":{"tables":14,"rows":520,"sha256":"…"}}
//
// Tables come in the order they were created, so a row only refers to rows
// written before it (foreign-key checks are deferred on restore anyway).
// Values are JSON null, numbers (integers), strings, booleans, or
// {"b64":"…"} for binary data. The closing line counts the tables and rows
// and holds the SHA-256 of every byte before it, so a cut-off or damaged
// archive is refused before anything is committed.

// ArchiveFormat names the archive format in its header line.
const ArchiveFormat = "isms-archive"

// ArchiveVersion is the version of the archive format this code writes and reads.
const ArchiveVersion = 1

// ErrNotEmpty is returned by Restore for a database that already holds users
// or organisations.
var ErrNotEmpty = errors.New("the database is not empty: restore needs a new database that holds no users and no organisations")

// ErrBadArchive is wrapped by every error about the archive's content.
var ErrBadArchive = errors.New("not a valid ISMS archive")

// ArchiveHeader is the first line of an archive.
type ArchiveHeader struct {
	Format        string    `json:"format"`
	FormatVersion int       `json:"format_version"`
	Migrations    []int     `json:"migrations"`
	CreatedAt     time.Time `json:"created_at"`
	Source        string    `json:"source"` // the dialect it was taken from: sqlite or postgres
}

type archiveTable struct {
	Table   string   `json:"table"`
	Columns []string `json:"columns"`
}

type archiveEnd struct {
	Tables int    `json:"tables"`
	Rows   int64  `json:"rows"`
	SHA256 string `json:"sha256"`
}

type archiveBlob struct {
	B64 string `json:"b64"`
}

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// Backup writes the whole database to w as an archive. It reads in one
// transaction, so the archive is one consistent state even while others
// write, and streams row by row, so memory use does not grow with the
// database.
func (db *DB) Backup(ctx context.Context, w io.Writer) error {
	sum := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(w, sum), 64<<10)
	err := db.read(ctx, "Backup", func(tx *Tx) error {
		tables, err := tx.tables()
		if err != nil {
			return err
		}
		versions, err := tx.migrationVersions()
		if err != nil {
			return err
		}
		if err := writeLine(bw, ArchiveHeader{Format: ArchiveFormat, FormatVersion: ArchiveVersion,
			Migrations: versions, CreatedAt: tx.now, Source: db.Dialect.String()}); err != nil {
			return err
		}
		var rows int64
		for _, t := range tables {
			n, err := tx.backupTable(bw, t)
			if err != nil {
				return fmt.Errorf("back up table %s: %w", t, err)
			}
			rows += n
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		// The closing line is written past the checksum it carries.
		end, err := json.Marshal(map[string]archiveEnd{"end": {Tables: len(tables), Rows: rows, SHA256: hex.EncodeToString(sum.Sum(nil))}})
		if err != nil {
			return err
		}
		_, err = w.Write(append(end, '\n'))
		return err
	})
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

func writeLine(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// tables lists the database's tables in the order they were created. On
// SQLite, the text indexes' FTS5 tables (and the tables they keep their
// index in) are not listed: they hold no data of their own, and their
// triggers fill them again as a restore inserts the rows.
func (tx *Tx) tables() ([]string, error) {
	q := `SELECT m.name FROM sqlite_master m JOIN pragma_table_list l ON l.schema = 'main' AND l.name = m.name
		WHERE m.type = 'table' AND l.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.rowid`
	if tx.db.Dialect == Postgres {
		q = `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY c.oid`
	}
	return tx.strings(q)
}

func (tx *Tx) strings(q string, args ...any) ([]string, error) {
	return queryAll(tx, scanString, q, args...)
}

func (tx *Tx) migrationVersions() ([]int, error) {
	rows, err := tx.query("SELECT version FROM schema_migrations ORDER BY version")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []int{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// tableColumns returns a table's columns in their order, whether each holds
// text, and its primary key columns in key order.
func (tx *Tx) tableColumns(table string) (cols []string, text map[string]bool, pk []string, err error) {
	text = map[string]bool{}
	if tx.db.Dialect == Postgres {
		rows, err := tx.query(`SELECT column_name, data_type FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`, table)
		if err != nil {
			return nil, nil, nil, err
		}
		for rows.Next() {
			var c, typ string
			if err := rows.Scan(&c, &typ); err != nil {
				rows.Close()
				return nil, nil, nil, err
			}
			cols = append(cols, c)
			text[c] = typ == "text" || strings.HasPrefix(typ, "character")
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, nil, err
		}
		pk, err = tx.strings(`SELECT a.attname FROM pg_index i
			JOIN pg_class c ON c.oid = i.indrelid
			JOIN pg_namespace n ON n.oid = c.relnamespace
			CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
			JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
			WHERE n.nspname = current_schema() AND c.relname = ? AND i.indisprimary ORDER BY k.ord`, table)
		return cols, text, pk, err
	}
	rows, err := tx.query("SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid", table)
	if err != nil {
		return nil, nil, nil, err
	}
	defer rows.Close()
	keyed := map[int]string{}
	for rows.Next() {
		var c, typ string
		var k int
		if err := rows.Scan(&c, &typ, &k); err != nil {
			return nil, nil, nil, err
		}
		cols = append(cols, c)
		text[c] = strings.Contains(strings.ToUpper(typ), "TEXT") || strings.Contains(strings.ToUpper(typ), "CHAR")
		if k > 0 {
			keyed[k] = c
		}
	}
	for i := 1; i <= len(keyed); i++ {
		pk = append(pk, keyed[i])
	}
	return cols, text, pk, rows.Err()
}

// quoteIdent quotes a table or column name; names come from the database's
// own catalogue, never from an archive unchecked.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// backupTable writes one table's header line and rows. Rows are ordered by
// the primary key (by every column where there is none), comparing text
// bytewise in both dialects, so the same data always gives the same archive.
func (tx *Tx) backupTable(w io.Writer, table string) (int64, error) {
	cols, text, pk, err := tx.tableColumns(table)
	if err != nil {
		return 0, err
	}
	if len(cols) == 0 {
		return 0, fmt.Errorf("no columns")
	}
	if err := writeLine(w, archiveTable{Table: table, Columns: cols}); err != nil {
		return 0, err
	}
	order := pk
	if len(order) == 0 {
		order = cols
	}
	terms := make([]string, len(order))
	for i, c := range order {
		terms[i] = quoteIdent(c)
		if text[c] && tx.db.Dialect == Postgres {
			terms[i] += ` COLLATE "C"`
		}
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = quoteIdent(c)
	}
	rows, err := tx.query("SELECT " + strings.Join(quoted, ", ") + " FROM " + quoteIdent(table) + " ORDER BY " + strings.Join(terms, ", "))
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
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
				return n, fmt.Errorf("column %s: %w", cols[i], err)
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

// appendValue writes one column value as JSON.
func appendValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case string:
		s, err := json.Marshal(x)
		return append(b, s...), err
	case []byte:
		b = append(b, `{"b64":"`...)
		b = base64.StdEncoding.AppendEncode(b, x)
		return append(b, `"}`...), nil
	case float64:
		s, err := json.Marshal(x)
		return append(b, s...), err
	case time.Time:
		s, err := json.Marshal(x.UTC().Format(time.RFC3339Nano))
		return append(b, s...), err
	}
	return b, fmt.Errorf("cannot archive a value of type %T", v)
}

// archiveReader reads an archive line by line, keeping the checksum of
// every line but the closing one.
type archiveReader struct {
	r    *bufio.Reader
	sum  hash.Hash
	line int
}

// next returns the next line without its newline; io.ErrUnexpectedEOF when
// the archive stops before its closing line.
func (a *archiveReader) next() ([]byte, error) {
	b, err := a.r.ReadBytes('\n')
	if err == io.EOF {
		if len(b) == 0 {
			return nil, fmt.Errorf("%w: it ends before its closing line (cut off?)", ErrBadArchive)
		}
		return nil, fmt.Errorf("%w: it ends in the middle of line %d (cut off?)", ErrBadArchive, a.line+1)
	}
	if err != nil {
		return nil, err
	}
	a.line++
	return b, nil
}

func (a *archiveReader) bad(format string, args ...any) error {
	return fmt.Errorf("%w: line %d: %s", ErrBadArchive, a.line, fmt.Sprintf(format, args...))
}

// readArchiveHeader reads and checks the first line of an archive.
func readArchiveHeader(a *archiveReader) (*ArchiveHeader, error) {
	line, err := a.next()
	if err != nil {
		return nil, err
	}
	a.sum.Write(line)
	var h ArchiveHeader
	if err := json.Unmarshal(line, &h); err != nil || h.Format != ArchiveFormat {
		return nil, fmt.Errorf("%w: it does not start with an %s header", ErrBadArchive, ArchiveFormat)
	}
	if h.FormatVersion != ArchiveVersion {
		return nil, fmt.Errorf("%w: archive format version %d, this program reads version %d", ErrBadArchive, h.FormatVersion, ArchiveVersion)
	}
	return &h, nil
}

// Restore reads an archive into this database, which must be new: migrated
// but without users or organisations. It works across dialects (a SQLite
// archive restores into PostgreSQL and back). Everything happens in one
// transaction, so a damaged archive restores nothing. Rows that migrations
// seeded (the audit chain heads, the migration record) are replaced by the
// archive's. An archive from a newer version of the program, with
// migrations this one does not know, is refused.
//
// An archive of gzip-compressed JSON lines is read as well.
func (db *DB) Restore(ctx context.Context, r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		z, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("restore: %w: %v", ErrBadArchive, err)
		}
		defer z.Close()
		br = bufio.NewReaderSize(z, 64<<10)
	}
	a := &archiveReader{r: br, sum: sha256.New()}
	h, err := readArchiveHeader(a)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	known, err := loadMigrations()
	if err != nil {
		return err
	}
	knownVersions := map[int]bool{}
	latest := 0
	for _, m := range known {
		knownVersions[m.version] = true
		latest = max(latest, m.version)
	}
	for _, v := range h.Migrations {
		if !knownVersions[v] {
			return fmt.Errorf("restore: the archive was made by a newer version of the program (schema migration %d; this program knows up to %d): restore it with that version or later", v, latest)
		}
	}
	err = db.write(ctx, "Restore", func(tx *Tx) error {
		for _, t := range []string{"users", "organisations"} {
			n, err := tx.count("SELECT COUNT(*) FROM " + t)
			if err != nil {
				return err
			}
			if n > 0 {
				return ErrNotEmpty
			}
		}
		return tx.restore(a)
	})
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	db.kept.forgetAll()
	return nil
}

func (tx *Tx) restore(a *archiveReader) error {
	tables, err := tx.tables()
	if err != nil {
		return err
	}
	// The migrations this database has run; those the archive does not
	// list (it was made before them) stay recorded.
	ownVersions, err := tx.migrationVersions()
	if err != nil {
		return err
	}
	undefer, err := tx.deferForeignKeys()
	if err != nil {
		return err
	}
	var (
		done     = map[string]bool{}
		cur      *restoreTable
		rowCount int64
	)
	defer func() {
		if cur != nil {
			cur.stmt.Close()
		}
	}()
	for {
		line, err := a.next()
		if err != nil {
			return err
		}
		trimmed := bytes.TrimSpace(line)
		if len(trimmed) > 0 && trimmed[0] == '[' {
			if cur == nil {
				return a.bad("a row before any table")
			}
			a.sum.Write(line)
			if err := cur.insert(tx, trimmed); err != nil {
				return a.bad("table %s: %v", cur.name, err)
			}
			rowCount++
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
			if obj.End.Tables != len(done) || obj.End.Rows != rowCount {
				return a.bad("the archive says %d tables and %d rows, it holds %d and %d", obj.End.Tables, obj.End.Rows, len(done), rowCount)
			}
			if _, err := a.r.ReadByte(); err != io.EOF {
				return a.bad("there is more after the closing line")
			}
			break
		}
		if obj.Table == nil {
			return a.bad("neither a row, a table nor the closing line")
		}
		a.sum.Write(line)
		name := *obj.Table
		if !slices.Contains(tables, name) {
			return a.bad("table %q does not exist in this database", name)
		}
		if done[name] {
			return a.bad("table %q appears twice", name)
		}
		done[name] = true
		if cur != nil {
			cur.stmt.Close()
		}
		if cur, err = tx.startRestoreTable(name, obj.Columns); err != nil {
			return a.bad("table %s: %v", name, err)
		}
	}
	if cur != nil {
		cur.stmt.Close()
		cur = nil
	}
	if done["schema_migrations"] {
		restored, err := tx.migrationVersions()
		if err != nil {
			return err
		}
		for _, v := range ownVersions {
			if slices.Contains(restored, v) {
				continue
			}
			if _, err := tx.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				v, migrationName(v), ts(tx.now)); err != nil {
				return err
			}
		}
	}
	// An archive made before migration 0120 holds files whole in
	// document_versions.content; they move into pieces as that migration
	// moved them.
	if err := tx.moveLegacyDocContent(); err != nil {
		return err
	}
	if err := undefer(); err != nil {
		return fmt.Errorf("%w: the archive's rows refer to rows it does not hold: %v", ErrBadArchive, err)
	}
	if tx.db.Dialect == Postgres {
		for name := range done {
			if err := tx.resetSequences(name); err != nil {
				return err
			}
		}
	}
	return nil
}

func migrationName(v int) string {
	ms, _ := loadMigrations()
	for _, m := range ms {
		if m.version == v {
			return m.name
		}
	}
	return strconv.Itoa(v)
}

type restoreTable struct {
	name string
	cols []string
	stmt *sql.Stmt
	vals []any
	key  []int // the columns of the primary key, to name a record
	rows int   // rows inserted so far, to name a record without a key
}

// startRestoreTable empties a table of what the migrations seeded and
// prepares the insert of the archive's rows. Only columns this database's
// table has are accepted; columns the archive lacks (added by a later
// migration) take their defaults.
func (tx *Tx) startRestoreTable(name string, cols []string) (*restoreTable, error) {
	have, _, pk, err := tx.tableColumns(name)
	if err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("no columns")
	}
	seen := map[string]bool{}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		if !slices.Contains(have, c) {
			return nil, fmt.Errorf("column %q does not exist in this database", c)
		}
		if seen[c] {
			return nil, fmt.Errorf("column %q appears twice", c)
		}
		seen[c] = true
		quoted[i] = quoteIdent(c)
	}
	if _, err := tx.exec("DELETE FROM " + quoteIdent(name)); err != nil {
		return nil, err
	}
	stmt, err := tx.tx.PrepareContext(tx.ctx, tx.db.rebind("INSERT INTO "+quoteIdent(name)+" ("+strings.Join(quoted, ", ")+") VALUES ("+placeholders(len(cols))+")"))
	if err != nil {
		return nil, translate(err)
	}
	t := &restoreTable{name: name, cols: cols, stmt: stmt, vals: make([]any, len(cols))}
	for _, k := range pk {
		if i := slices.Index(cols, k); i >= 0 {
			t.key = append(t.key, i)
		}
	}
	return t, nil
}

func (t *restoreTable) insert(tx *Tx, line []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(line, &raw); err != nil {
		return fmt.Errorf("a row that is not valid JSON")
	}
	if len(raw) != len(t.cols) {
		return fmt.Errorf("a row of %d values for %d columns", len(raw), len(t.cols))
	}
	for i, r := range raw {
		v, err := decodeValue(r)
		if err != nil {
			return fmt.Errorf("column %s: %v", t.cols[i], err)
		}
		if s, ok := v.(string); ok && isms.HasNUL(s) {
			// PostgreSQL cannot hold it, and no database of the product
			// may (see text.go): name the record, to be corrected where
			// the archive was made.
			return fmt.Errorf("%s, column %s: the text holds a NUL character (U+0000), which cannot be stored; "+
				"remove it in the database the archive was made from and make a new archive", t.record(raw), t.cols[i])
		}
		t.vals[i] = v
	}
	if _, err := t.stmt.ExecContext(tx.ctx, t.vals...); err != nil {
		return err
	}
	t.rows++
	return nil
}

// record names the row being restored by its primary key ("record id
// 12", "record organisation_id 2, question_id "2.1""), or by its place
// among the table's rows.
func (t *restoreTable) record(raw []json.RawMessage) string {
	if len(t.key) == 0 {
		return fmt.Sprintf("record %d of the table", t.rows+1)
	}
	parts := make([]string, len(t.key))
	for n, i := range t.key {
		parts[n] = t.cols[i] + " " + string(bytes.TrimSpace(raw[i]))
	}
	return "record " + strings.Join(parts, ", ")
}

// decodeValue reads one column value written by appendValue.
func decodeValue(r json.RawMessage) (any, error) {
	r = bytes.TrimSpace(r)
	if len(r) == 0 {
		return nil, fmt.Errorf("an empty value")
	}
	switch r[0] {
	case 'n':
		return nil, nil
	case 't', 'f':
		var b bool
		err := json.Unmarshal(r, &b)
		return b, err
	case '"':
		var s string
		err := json.Unmarshal(r, &s)
		return s, err
	case '{':
		var b archiveBlob
		dec := json.NewDecoder(bytes.NewReader(r))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&b); err != nil {
			return nil, fmt.Errorf("an object that is not binary data")
		}
		out, err := base64.StdEncoding.DecodeString(b.B64)
		if err != nil {
			return nil, fmt.Errorf("binary data that is not base64")
		}
		return out, nil
	}
	var n json.Number
	if err := json.Unmarshal(r, &n); err != nil {
		return nil, fmt.Errorf("a value that is not a number, text, null or binary data")
	}
	if i, err := n.Int64(); err == nil {
		return i, nil
	}
	return n.Float64()
}

// deferForeignKeys postpones foreign-key checks to the end of the restore,
// so rows may come in any order (an organisation before its parent). It
// returns the function that checks them and puts the constraints back.
func (tx *Tx) deferForeignKeys() (func() error, error) {
	if tx.db.Dialect != Postgres {
		if _, err := tx.exec("PRAGMA defer_foreign_keys = ON"); err != nil {
			return nil, err
		}
		return func() error {
			// SQLite checks deferred keys at commit; ask now for a clear error.
			n, err := tx.count("SELECT COUNT(*) FROM pragma_foreign_key_check")
			if err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("%d rows", n)
			}
			return nil
		}, nil
	}
	// PostgreSQL defers only constraints declared deferrable; make the
	// schema's foreign keys so for this transaction and restore them after.
	rows, err := tx.query(`SELECT c.relname, k.conname FROM pg_constraint k
		JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND k.contype = 'f' AND NOT k.condeferrable ORDER BY c.relname, k.conname`)
	if err != nil {
		return nil, err
	}
	var fks [][2]string
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			rows.Close()
			return nil, err
		}
		fks = append(fks, [2]string{t, c})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, fk := range fks {
		if _, err := tx.exec("ALTER TABLE " + quoteIdent(fk[0]) + " ALTER CONSTRAINT " + quoteIdent(fk[1]) + " DEFERRABLE INITIALLY DEFERRED"); err != nil {
			return nil, err
		}
	}
	return func() error {
		if _, err := tx.tx.ExecContext(tx.ctx, "SET CONSTRAINTS ALL IMMEDIATE"); err != nil {
			return err
		}
		for _, fk := range fks {
			if _, err := tx.exec("ALTER TABLE " + quoteIdent(fk[0]) + " ALTER CONSTRAINT " + quoteIdent(fk[1]) + " NOT DEFERRABLE INITIALLY IMMEDIATE"); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// resetSequences moves each serial column's sequence past the restored
// rows, so the next insert gets a fresh id.
func (tx *Tx) resetSequences(table string) error {
	cols, err := tx.strings(`SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = ? AND column_default LIKE 'nextval(%'`, table)
	if err != nil {
		return err
	}
	for _, c := range cols {
		var seq sql.NullString
		if err := tx.queryRow("SELECT pg_get_serial_sequence(?, ?)", quoteIdent(table), c).Scan(&seq); err != nil {
			return translate(err)
		}
		if !seq.Valid {
			continue
		}
		if _, err := tx.exec("SELECT setval(?, COALESCE((SELECT MAX("+quoteIdent(c)+") FROM "+quoteIdent(table)+"), 0) + 1, false)", seq.String); err != nil {
			return err
		}
	}
	return nil
}
