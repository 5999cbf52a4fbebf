package sqlstore

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestOrgArchiveKnowsEveryTable: every table is an organisation's (and
// moved, or left behind with a reason) or the site's, and every column
// named like a reference is a foreign key, a known implicit or polymorphic
// reference, or known to hold no id. A migration that adds a table or a
// reference the archive cannot place fails here, not in a customer's move.
func TestOrgArchiveKnowsEveryTable(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.read(context.Background(), "test", func(tx *Tx) error {
		schema, err := tx.orgSchema()
		if err != nil {
			return err
		}
		names, err := tx.tables()
		if err != nil {
			return err
		}
		moved := map[string]*orgTable{}
		for _, s := range schema {
			moved[s.name] = s
		}
		for _, n := range names {
			if moved[n] == nil && siteWideTables[n] == "" && orgTablesLeftBehind[n] == "" {
				t.Errorf("table %s is neither moved with an organisation nor listed as site-wide or left behind", n)
			}
		}
		for n := range siteWideTables {
			if !contains(names, n) {
				t.Errorf("siteWideTables names %s, which does not exist", n)
			}
		}
		for n := range orgTablesLeftBehind {
			if !contains(names, n) {
				t.Errorf("orgTablesLeftBehind names %s, which does not exist", n)
			}
		}
		known := map[string]bool{}
		for _, s := range schema {
			for _, c := range s.cols {
				known[s.name+"."+c] = true
				if c == "id" || c == "organisation_id" || c == "token_hash" {
					continue
				}
				if !strings.HasSuffix(c, "_id") && !strings.HasSuffix(c, "_by") {
					continue
				}
				target, typeCol, _ := s.refTarget(c)
				if target == "" && typeCol == "" && !notReferences[s.name+"."+c] {
					t.Errorf("column %s.%s looks like a reference but is no foreign key: list it in implicitRefs, polymorphicRefs or notReferences", s.name, c)
				}
			}
		}
		for _, m := range []map[string]bool{notReferences, keysOf(implicitRefs), keysOf(polymorphicRefs)} {
			for k := range m {
				if !known[k] && !strings.HasPrefix(k, "wheel_mail_log.") && !strings.HasPrefix(k, "notification_assignees.") {
					t.Errorf("%s is listed but is no column of a moved table", k)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func keysOf[V any](m map[string]V) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}
