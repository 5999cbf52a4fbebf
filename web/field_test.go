package web

import (
	"html/template"
	"net/url"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
)

// renderField draws one call of the field partial on a page.
func renderField(t *testing.T, p *page, call string) string {
	t.Helper()
	tpl := template.Must(template.New("t").Funcs(template.FuncMap{
		"field": newField, "keys": keysChoices, "members": memberChoices, "options": recordChoices,
		"list": func(s ...string) []string { return s },
	}).ParseFS(assets, "templates/partials/field.html"))
	tpl = template.Must(tpl.New("call").Parse(call))
	var b strings.Builder
	if err := tpl.ExecuteTemplate(&b, "call", p); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestFieldPartial(t *testing.T) {
	stored := &page{Lang: "en", Fields: map[string]string{}, Data: map[string]any{
		"Name":    `A <b>&"`,
		"Owner":   int64(2),
		"IDs":     []int64{1, 3},
		"Members": []*isms.Membership{{UserID: 1, UserName: "Ann"}, {UserID: 2, UserName: "Bo"}, {UserID: 3, UserName: "Cy"}},
	}}
	refused := &page{Lang: "en", Fields: map[string]string{"name": "Give a name."}, Form: url.Values{"name": {"typed"}, "owner_id": {"3"}, "ids": {"2"}}, Data: stored.Data}
	for _, c := range []struct {
		name      string
		p         *page
		call      string
		want, not []string
	}{
		{"text from the record, escaped", stored, `{{template "field" (field . "text" "name" "field.name" .Data.Name "required" "maxlength=300" "help=risk.form.title_help")}}`,
			[]string{`<label for="f-name">Name</label>`, `<input id="f-name" name="name" required maxlength="300" value="A &lt;b&gt;&amp;&#34;" aria-describedby="name-help e-name">`,
				`<p class="help" id="name-help">`, `<p class="field-error" id="e-name" hidden></p>`},
			[]string{`aria-invalid`, `<b>`}},
		{"text refused, with what was typed and the error", refused, `{{template "field" (field . "text" "name" "field.name" .Data.Name)}}`,
			[]string{`value="typed"`, `aria-invalid="true"`, `<p class="field-error" id="e-name">Give a name.</p>`}, nil},
		{"own id and error key", stored, `{{template "field" (field . "textarea" "description" "field.description" "x" "id=f-doc_description" "err=doc_description" "rows=3")}}`,
			[]string{`<label for="f-doc_description">`, `<textarea id="f-doc_description" name="description" rows="3" aria-describedby="e-doc_description">x</textarea>`, `id="e-doc_description"`}, nil},
		{"select of members, stored", stored, `{{template "field" (field . "select" "owner_id" "field.owner_id" .Data.Owner "empty=ui.none" (members .Data.Members))}}`,
			[]string{`<option value="">`, `<option value="2" selected>Bo</option>`, `<option value="1">Ann</option>`}, nil},
		{"select of members, refused", refused, `{{template "field" (field . "select" "owner_id" "field.owner_id" .Data.Owner (members .Data.Members))}}`,
			[]string{`<option value="3" selected>Cy</option>`, `<option value="2">Bo</option>`}, nil},
		{"select of catalogue keys", stored, `{{template "field" (field . "select" "status" "field.status" "active" (keys "status.%s" (list "draft" "active")))}}`,
			[]string{`<option value="active" selected>`, `<option value="draft">`}, nil},
		{"multi-select, stored", stored, `{{template "field" (field . "select" "ids" "field.holder_ids" .Data.IDs "multiple" "size=6" (options .Data.Members "UserID" "UserName"))}}`,
			[]string{`multiple size="6"`, `<option value="1" selected>Ann</option>`, `<option value="2">Bo</option>`, `<option value="3" selected>Cy</option>`}, nil},
		{"multi-select, refused", refused, `{{template "field" (field . "select" "ids" "field.holder_ids" .Data.IDs "multiple" (options .Data.Members "UserID" "UserName"))}}`,
			[]string{`<option value="1">Ann</option>`, `<option value="2" selected>Bo</option>`}, nil},
		{"password keeps no value", refused, `{{template "field" (field . "password" "password" "field.password" "" "autocomplete=new-password")}}`,
			[]string{`type="password"`, `autocomplete="new-password"`}, []string{`value=`}},
		{"checkbox from a filter", stored, `{{template "field" (field . "checkbox" "overdue" "ui.overdue_only" true)}}`,
			[]string{`<label><input type="checkbox" name="overdue" value="1" checked> `}, nil},
	} {
		got := renderField(t, c.p, c.call)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: no %s in\n%s", c.name, w, got)
			}
		}
		for _, n := range c.not {
			if strings.Contains(got, n) {
				t.Errorf("%s: %s in\n%s", c.name, n, got)
			}
		}
	}
}

func TestFieldRefusesUnknownOptions(t *testing.T) {
	p := &page{Lang: "en", Fields: map[string]string{}}
	if _, err := newField(p, "text", "name", "field.name", "", "maxlenght=3"); err == nil {
		t.Error("a mistyped option was accepted")
	}
	if _, err := newField(p, "txet", "name", "field.name", ""); err == nil {
		t.Error("an unknown kind was accepted")
	}
}
