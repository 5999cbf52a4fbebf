package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// enumTypes finds the enumerations among the types of every API
// operation's bodies, as the document's generator meets them.
func enumTypes(routes []apiRoute) map[reflect.Type]bool {
	found := map[reflect.Type]bool{}
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		if t == nil || seen[t] {
			return
		}
		seen[t] = true
		if t.Kind() == reflect.String && t.Implements(enumType) {
			found[t] = true
			return
		}
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			walk(t.Elem())
		case reflect.Map:
			walk(t.Key())
			walk(t.Elem())
		case reflect.Struct:
			for i := 0; i < t.NumField(); i++ {
				if f := t.Field(i); f.IsExported() {
					walk(f.Type)
				}
			}
		}
	}
	for _, rt := range routes {
		if rt.Request != nil {
			walk(reflect.TypeOf(rt.Request))
		}
		if rt.Response != nil {
			walk(reflect.TypeOf(rt.Response))
		}
	}
	return found
}

// rootConstants reads the string constants of the root package by the
// name of their type: "Role" → {"administrator", …}.
func rootConstants(t *testing.T) map[string][]string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := parseRoot(fset, "..")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, f := range files {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				id, ok := vs.Type.(*ast.Ident)
				if !ok {
					continue
				}
				for _, v := range vs.Values {
					if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						if s, err := strconv.Unquote(lit.Value); err == nil {
							out[id.Name] = append(out[id.Name], s)
						}
					}
				}
			}
		}
	}
	return out
}

// TestOpenAPIEnumsMatchValidation holds the enum of every enumeration the
// API carries to the code: each value is accepted by the type's Valid
// method, and each constant of the type that Valid accepts (or, for a
// type only the product sets, without Valid, each constant) is in the
// enum. So a value the API takes or gives is never missing from the
// document, and the document never offers one the API refuses.
func TestOpenAPIEnumsMatchValidation(t *testing.T) {
	db := sqltest.OpenSQLite(t) // the routes are the same on either database
	s, err := New(Services{Users: db, Orgs: db, Audit: db, Overview: db, Checklist: db, Topics: db,
		Documents: db, Wheel: db, Leadership: db, Communication: db, Objectives: db, Incidents: db, Nonconformities: db, Improvements: db, Suppliers: db, Resources: db, Reviews: db, Competence: db, RegisterImports: db, AwarenessParticipation: db, Risk: db, SoA: db,
		Accounts: db, Invitations: db,
		Awareness: db, Acknowledgements: db, IncidentIntake: db, Questionnaires: db, Measurement: db, Notifications: db, InternalAudit: db, SSO: db, OrgArchives: db, SecondFactors: db}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	consts := rootConstants(t)
	types := enumTypes(s.api)
	if len(types) < 40 {
		t.Errorf("only %d enumerations in the API's bodies", len(types))
	}
	for typ := range types {
		values := reflect.Zero(typ).Interface().(isms.Enum).EnumValues()
		if len(values) == 0 {
			t.Errorf("%s: no values", typ)
			continue
		}
		valid := func(v string) (ok, has bool) {
			x := reflect.New(typ).Elem()
			x.SetString(v)
			if c, has := x.Interface().(interface{ Valid() bool }); has {
				return c.Valid(), true
			}
			return false, false
		}
		for _, v := range values {
			if ok, has := valid(v); has && !ok {
				t.Errorf("%s: the enum offers %q, which Valid refuses", typ, v)
			}
		}
		if typ.PkgPath() != reflect.TypeFor[isms.Role]().PkgPath() {
			continue // constants are read from the root package only
		}
		for _, c := range consts[typ.Name()] {
			ok, has := valid(c)
			if (ok || !has) && !slices.Contains(values, c) {
				t.Errorf("%s: the constant %q is a value (Valid: %v) missing from the enum %q", typ, c, ok, values)
			}
		}
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
