package isms

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// freeText are the string types of this package that are not an
// enumeration: their values are the organisation's own words or ids.
var freeText = map[string]string{}

// Every string type of the package that is an enumeration — it has a
// Valid method, or typed constants — lists its values (Enum), so the API
// document gives its fields an enum; a new one without EnumValues fails
// here until it has one (enums.go) or is named free text above.
func TestEveryStringEnumerationListsItsValues(t *testing.T) {
	fset := token.NewFileSet()
	files, err := parseRoot(fset, ".")
	if err != nil {
		t.Fatal(err)
	}
	stringTypes := map[string]bool{}
	methods := map[string]map[string]bool{}
	consts := map[string]int{}
	for _, f := range files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if id, ok := s.Type.(*ast.Ident); ok && id.Name == "string" && s.Assign == 0 {
							stringTypes[s.Name.Name] = true
						}
					case *ast.ValueSpec:
						if id, ok := s.Type.(*ast.Ident); ok && d.Tok == token.CONST {
							consts[id.Name] += len(s.Names)
						}
					}
				}
			case *ast.FuncDecl:
				if d.Recv == nil || len(d.Recv.List) != 1 {
					continue
				}
				typ := d.Recv.List[0].Type
				if st, ok := typ.(*ast.StarExpr); ok {
					typ = st.X
				}
				if id, ok := typ.(*ast.Ident); ok {
					if methods[id.Name] == nil {
						methods[id.Name] = map[string]bool{}
					}
					methods[id.Name][d.Name.Name] = true
				}
			}
		}
	}
	n := 0
	for name := range stringTypes {
		if _, ok := freeText[name]; ok {
			continue
		}
		if !methods[name]["Valid"] && consts[name] < 2 {
			continue
		}
		n++
		if !methods[name]["EnumValues"] {
			t.Errorf("%s is an enumeration (a Valid method or %d constants) without EnumValues: add it to enums.go, from the list Valid checks", name, consts[name])
		}
	}
	if n < 60 {
		t.Errorf("only %d enumerations found", n)
	}
}

// parseRoot parses the root package's Go files in dir, without its tests.
func parseRoot(fset *token.FileSet, dir string) ([]*ast.File, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var files []*ast.File
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, 0)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}
