package sqlstore_test

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/demo"
	"github.com/ismsdk/isms/i18n"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// TestTopicRulesSayWhatTheyCount ties the readable statements of checklist
// questions 2.1 and 2.2 to what the rules count: over the demo
// municipality, whose records feed every topic source, each occasion the
// rules count comes from a source whose words the statement lists, every
// source the statement lists is counted, and the statement shows the words
// in both languages.
func TestTopicRulesSayWhatTheyCount(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		d, err := demo.Fill(context.Background(), db, io.Discard, "")
		if err != nil {
			t.Fatal(err)
		}
		dealt, planned := sqlstore.TopicSourceTexts(true), sqlstore.TopicSourceTexts(false)
		if len(dealt) < 4 || len(planned) != len(dealt) {
			t.Fatalf("topic sources: dealt %v, planned %v", dealt, planned)
		}
		acts, err := db.TopicActivities(context.Background(), d.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, a := range acts {
			want := planned
			if a.Done {
				want = dealt
			}
			if !slices.Contains(want, a.Source) {
				t.Errorf("an occasion (%s, done %v, %q) comes from %q, which the statement does not list", a.Topic, a.Done, a.Label, a.Source)
			}
			seen[a.Source]++
		}
		for _, k := range append(append([]string{}, dealt...), planned...) {
			if seen[k] == 0 {
				t.Errorf("the demo has no occasion of %q: the test does not see that source counted", k)
			}
		}
		answers := checklistByID(t, db, d.Users[isms.RoleAdministrator], d.Org.ID)
		for q, keys := range map[string][]string{"2.1": dealt, "2.2": planned} {
			a := answers[q]
			if a.Rule.Key != "rule."+q {
				t.Fatalf("%s: rule %v", q, a.Rule)
			}
			for _, lang := range i18n.Langs {
				text := i18n.T(lang, i18n.Key(a.Rule.Key), a.Rule.Args...)
				for _, k := range keys {
					if !i18n.Has(i18n.Key(k)) {
						t.Errorf("%s: %q is not in the catalogue", q, k)
					}
					if words := i18n.T(lang, i18n.Key(k)); !strings.Contains(text, words) {
						t.Errorf("%s (%s): the statement %q does not name %q", q, lang, text, words)
					}
				}
				if strings.Contains(text, "%!") || strings.Contains(text, "topic.source") {
					t.Errorf("%s (%s): the statement is not filled in: %q", q, lang, text)
				}
			}
		}
	})
}
