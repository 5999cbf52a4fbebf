package sqlstore

import (
	"context"
	"regexp"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// Former users. A deactivated account keeps its name on everything it
// owns, approved or did, but wherever a record names a person through the
// users table, a deactivated one reads "Jens Hansen (former user)" in the
// reader's language, so nobody assigns work to someone who has left or
// takes their approval for a current one.
//
// The marking is done in one place that no query can forget: every query
// that joins users (JOIN users u ON …, LEFT JOIN users o ON …) is given,
// in place of the table, a derived table with the same columns whose name
// carries the marker. Both databases flatten such a single-table derived
// table into the outer query, so the join still uses users' primary key
// and costs what it did. Queries that read users directly (FROM users) see
// the stored name: the login, the site administrators' list of accounts.
// Write transactions see stored names too (see people), so the audit
// chain never records a reader's translation.
//
// The derived table lists users' columns as the schema has them when the
// store opens, so a column a later migration adds is joinable as before.

var joinUsers = regexp.MustCompile(`\bJOIN\s+users\s`)

// loadPeople builds the derived table for each language from users'
// columns.
func (db *DB) loadPeople(ctx context.Context) error {
	var cols []string
	err := db.read(ctx, "loadPeople", func(tx *Tx) (err error) {
		cols, _, _, err = tx.tableColumns("users")
		return err
	})
	if err != nil {
		return err
	}
	db.people = map[string]string{}
	for _, lang := range i18n.Langs {
		suffix := strings.ReplaceAll(i18n.T(lang, "people.former_suffix"), "'", "''")
		var b strings.Builder
		b.WriteString("JOIN (SELECT ")
		for _, c := range cols {
			if c != "name" {
				b.WriteString(c + ", ")
			}
		}
		b.WriteString("CASE WHEN deactivated_at IS NULL THEN name ELSE name || '" + suffix + "' END AS name FROM users) ")
		db.people[lang] = b.String()
	}
	return nil
}

// people is the query as a transaction runs it: a read marks former users'
// names for its reader; a write reads the names as stored, because what it
// reads becomes the audit event's before and after, which must hold the
// records' own data and no reader's translation. (A write's answer shows
// the name unmarked; the page or list read afterwards marks it.)
func (tx *Tx) people(q string) string {
	if tx.writing {
		return q
	}
	return tx.db.withPeople(q, tx.lang)
}

// withPeople puts the derived table in place of every join of users.
func (db *DB) withPeople(q, lang string) string {
	if db.people == nil || !strings.Contains(q, "JOIN") || !strings.Contains(q, "users") {
		return q
	}
	derived, ok := db.people[lang]
	if !ok {
		derived = db.people[i18n.DA]
	}
	return joinUsers.ReplaceAllLiteralString(q, derived)
}

// formerName is a name as the reader sees it: marked when the account is
// deactivated.
func formerName(lang, name string) string {
	if lang != i18n.EN {
		lang = i18n.DA
	}
	return name + i18n.T(lang, "people.former_suffix")
}

// markFormerActors marks the names of audit events' actors whose accounts
// are deactivated now. The event keeps the name it was chained with; only
// what the reader is shown changes.
func (tx *Tx) markFormerActors(events []*isms.AuditEvent) error {
	ids := map[int64]bool{}
	var args []any
	for _, e := range events {
		if e.ActorID != 0 && !ids[e.ActorID] {
			ids[e.ActorID] = true
			args = append(args, e.ActorID)
		}
	}
	if len(args) == 0 {
		return nil
	}
	gone, err := querySet[int64](tx, "SELECT id FROM users WHERE deactivated_at IS NOT NULL AND id IN ("+placeholders(len(args))+")", args...)
	if err != nil {
		return err
	}
	for _, e := range events {
		if gone[e.ActorID] {
			e.ActorName = formerName(tx.lang, e.ActorName)
		}
	}
	return nil
}
