package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// TestEveryKeyInTheCatalogue scans the templates and the Go code for the
// message keys they use and fails on any the catalogue lacks, so a message
// cannot ship missing in Danish or English (the i18n package's own test
// checks that both languages are filled).
func TestEveryKeyInTheCatalogue(t *testing.T) {
	tmplKey := regexp.MustCompile(`\.T "([a-z0-9_.]+)"`)
	codeKey := regexp.MustCompile(`"((?:err|reason|rule|title|flash|nav|evidence|ui|field|checklist)\.[a-z0-9_.]+)"`)
	var missing []string
	check := func(file, key string) {
		if !i18n.Has(i18n.Key(key)) && !strings.HasSuffix(key, ".") {
			missing = append(missing, file+": "+key)
		}
	}
	filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return err
		}
		b, _ := os.ReadFile(path)
		switch {
		case strings.HasSuffix(path, ".html"):
			for _, m := range tmplKey.FindAllStringSubmatch(string(b), -1) {
				check(path, m[1])
			}
		case strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") && !strings.Contains(path, "/i18n/"):
			for _, m := range codeKey.FindAllStringSubmatch(string(b), -1) {
				check(path, m[1])
			}
		}
		return nil
	})
	// Keys built from domain values in the templates.
	for _, k := range isms.EntryKinds {
		check("kinds", "kind."+string(k))
		check("kinds", "kind."+string(k)+".help")
	}
	for _, s := range isms.EntryStatuses {
		check("statuses", "status."+string(s))
	}
	for _, c := range isms.FactorCategories {
		check("categories", "category."+c)
	}
	for _, r := range isms.Roles {
		check("roles", "role."+string(r))
		check("roles", "role."+string(r)+".desc")
	}
	for _, a := range isms.AnswerStatuses {
		check("answers", "answer."+string(a))
	}
	for _, tp := range isms.ManagementTopics {
		check("topics", "topic."+tp)
	}
	for _, p := range []string{"plan", "do", "check", "act"} {
		check("phases", "phase."+p)
		check("phases", "phase."+p+".intro")
	}
	for i := 0; i <= int(isms.MaxLevel); i++ {
		check("levels", "level."+string(rune('0'+i)))
	}
	for _, s := range []string{isms.SourceRecords, isms.SourceManual} {
		check("sources", "source."+s)
	}
	for _, m := range missing {
		t.Errorf("missing from the catalogue: %s", m)
	}
}
