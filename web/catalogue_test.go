package web_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/ismsdk/isms/i18n"
)

// keyShape is what a message key looks like: dotted lower-case words.
var keyShape = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$`)

// usedKeys is what the code and the templates say about the catalogue:
// the keys they name outright, and the formats of the keys they build at
// run time ("doc.kind.%s"), each with the places that use it.
type usedKeys struct {
	keys    map[string][]string
	formats map[string][]string
}

func (u *usedKeys) key(where, k string)    { u.keys[k] = append(u.keys[k], where) }
func (u *usedKeys) format(where, f string) { u.formats[f] = append(u.formats[f], where) }

// families are the first words of the catalogue's keys ("risk", "doc",
// "err" …): a dotted string literal that starts with one is a key.
func families() map[string]bool {
	out := map[string]bool{}
	for _, k := range i18n.Keys() {
		f, _, _ := strings.Cut(string(k), ".")
		out[f] = true
	}
	return out
}

// scanGo parses every Go file of the module outside tests and the
// catalogue itself, and records each string literal that is a key, and each
// key built by adding a literal prefix (and suffix) to a value at run time.
// A literal counts as a key when it starts with a catalogue family, or when
// it stands where a key goes: the key argument of a translating call
// (i18n.T, i18n.Has, isms.Errorf, isms.Msg, Validation.Add, a local t)
// or a Key field.
func scanGo(t *testing.T, u *usedKeys) {
	fam := families()
	isKey := func(s string) bool {
		f, _, _ := strings.Cut(s, ".")
		// A drawing's template ("wheel.svg") is named like a key of its
		// element's family, but is a file.
		return keyShape.MatchString(s) && fam[f] && !strings.HasSuffix(s, ".svg")
	}
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == ".git" || n == "node_modules" || n == "testdata" || path == filepath.Join("..", "i18n") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		at := func(n ast.Node) string { return fset.Position(n.Pos()).String() }
		lit := func(e ast.Expr) (string, bool) {
			b, ok := e.(*ast.BasicLit)
			if !ok || b.Kind != token.STRING {
				return "", false
			}
			s, err := strconv.Unquote(b.Value)
			return s, err == nil
		}
		// A literal at a key's place must be a key, whatever its family.
		keyAt := func(e ast.Expr) {
			if s, ok := lit(e); ok && strings.Contains(s, ".") {
				u.key(at(e), s)
			}
		}
		inSum := map[ast.Node]bool{}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BinaryExpr:
				if n.Op != token.ADD || inSum[n] {
					return true
				}
				// Flatten "prefix." + x + ".suffix" into "prefix.%s.suffix".
				var parts []ast.Expr
				var flatten func(e ast.Expr)
				flatten = func(e ast.Expr) {
					if b, ok := e.(*ast.BinaryExpr); ok && b.Op == token.ADD {
						inSum[b] = true
						flatten(b.X)
						flatten(b.Y)
						return
					}
					parts = append(parts, e)
				}
				flatten(n)
				first, ok := lit(parts[0])
				if !ok || len(parts) < 2 || !strings.Contains(first, ".") || !isKey(first+"x") {
					return true
				}
				var b strings.Builder
				for _, p := range parts {
					if s, ok := lit(p); ok {
						b.WriteString(strings.ReplaceAll(s, "%", "%%"))
					} else {
						b.WriteString("%s")
					}
				}
				u.format(at(n), b.String())
				for _, p := range parts {
					if _, ok := lit(p); ok {
						inSum[p] = true
					}
				}
			case *ast.BasicLit:
				if s, ok := lit(n); ok && !inSum[n] && isKey(s) {
					u.key(at(n), s)
				}
			case *ast.CallExpr:
				name := ""
				switch fn := n.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				}
				switch {
				case (name == "T" || name == "t") && len(n.Args) > 0:
					if _, isSel := n.Fun.(*ast.SelectorExpr); isSel && len(n.Args) > 1 {
						keyAt(n.Args[1]) // i18n.T(lang, key, …)
					}
					keyAt(n.Args[0]) // p.T(key, …), t(key, …)
				case (name == "Errorf" || name == "Add" || name == "Has") && len(n.Args) > 1:
					keyAt(n.Args[1])
				case (name == "Has" || name == "Msg") && len(n.Args) > 0:
					keyAt(n.Args[0])
				}
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && id.Name == "Key" {
					keyAt(n.Value)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

var (
	// {{.T "key" …}}, {{$.T "key"}}, {{$p.T "key"}}, {{.P.T "key"}}
	tmplKey = regexp.MustCompile(`\bT "([^"]+)"`)
	// {{.T (printf "doc.kind.%s" .Kind)}}
	tmplFormat = regexp.MustCompile(`\bT \(printf "([^"]+)"`)
	// {{.T .Key}}: a key that the Go code chose, checked there.
	tmplValue = regexp.MustCompile(`\bT (\$?[.][A-Za-z.]*)`)
	// The field partial's label, help and empty choice (web/field.go):
	// {{template "field" (field . "text" "name" "label.key" … "help=key")}}
	tmplField = regexp.MustCompile(`\(field [.$] "[a-z]+" (?:"[^"]*"|[.$][\w.]*) "([a-z0-9_.]+)"|"(?:help|empty)=([a-z0-9_.]+)"`)
)

// scanTemplates records the keys and key formats the templates translate,
// and the places that translate a value the code handed them.
func scanTemplates(t *testing.T, u *usedKeys) map[string]bool {
	values := map[string]bool{}
	files, err := filepath.Glob("templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	partials, _ := filepath.Glob("templates/*/*.html")
	for _, path := range append(files, partials...) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			where := fmt.Sprintf("%s:%d", path, i+1)
			for _, m := range tmplKey.FindAllStringSubmatch(line, -1) {
				u.key(where, m[1])
			}
			for _, m := range tmplFormat.FindAllStringSubmatch(line, -1) {
				u.format(where, m[1])
			}
			for _, m := range tmplField.FindAllStringSubmatch(line, -1) {
				u.key(where, m[1]+m[2])
			}
			for _, m := range tmplValue.FindAllStringSubmatch(line, -1) {
				values[filepath.Base(path)+" "+m[1]] = true
			}
		}
	}
	return values
}

// TestEveryKeyInTheCatalogue finds the message keys the Go code and the
// templates use, by parsing them, and fails on any the catalogue lacks, so
// a message cannot ship missing in Danish or English (the i18n package's
// own test checks that both languages are filled). A key built at run time
// is checked for every value it can be built from, listed in keyFormats;
// a new way of building keys fails until its values are listed there.
func TestEveryKeyInTheCatalogue(t *testing.T) {
	u := &usedKeys{keys: map[string][]string{}, formats: map[string][]string{}}
	scanGo(t, u)
	values := scanTemplates(t, u)
	if len(u.keys) < 1000 {
		t.Fatalf("found only %d keys; the scan is broken", len(u.keys))
	}
	var missing []string
	for k, where := range u.keys {
		if !i18n.Has(i18n.Key(k)) {
			missing = append(missing, fmt.Sprintf("%s (%s)", k, where[0]))
		}
	}
	formats := keyFormats()
	for f, where := range u.formats {
		vals, ok := formats[f]
		if !ok {
			t.Errorf("key format %q (%s) has no list of its values in keyFormats", f, where[0])
			continue
		}
		for _, v := range vals {
			args := []any{v}
			if many, ok := v.([]any); ok {
				args = many
			}
			if k := fmt.Sprintf(f, args...); !i18n.Has(i18n.Key(k)) {
				missing = append(missing, fmt.Sprintf("%s (from %q at %s)", k, f, where[0]))
			}
		}
	}
	for v := range values {
		if !translatedValues[v] {
			t.Errorf("template translates %s, a key chosen by the code: list it in translatedValues once the code's keys are literals the scan finds", v)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("missing from the catalogue: %s", m)
	}
}
