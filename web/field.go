package web

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
)

// A form field is drawn by the partial "field" (templates/partials/field.html):
// its label, its control, its help and its error, tied together by ids so
// that a screen reader reads the help and the error with the field. A
// template builds one with the function field:
//
//	{{template "field" (field . "text" "name" "field.name" $a.Name "required" "maxlength=300")}}
//
// that is the page, the kind of control, the form name, the label's
// catalogue key, the stored value (shown unless the form was sent back
// refused, then what the user typed is shown), and options:
//
//	required            the field must be filled in
//	multiple            a select of several choices; the stored value is
//	                    then the slice of the chosen values
//	minlength=, maxlength=, rows=, min=, max=, size=, autocomplete=, placeholder=
//	                    the control's attributes of the same name
//	id=f-x              the control's id (f-<name> unless given)
//	err=x               the key of the field's error (the name unless given)
//	help=key            a help text under the control, id <name>-help
//	helpid=x            another id for the help text
//	describedby=x       the id of other text on the page describing the field
//	empty=key           a select's first option, with no value
//	value=x             a checkbox's value (1 unless given)
//
// and, for a select, its choices: (keys "status.%s" $d.Statuses) names
// each value by a catalogue key, (members $d.Members) offers the members,
// (options $d.Documents "ID" "Title") takes each value and its name from
// two fields of the records.
type formField struct {
	P                                    *page
	Kind                                 string // text, email, password, date, number, textarea, select, checkbox (of a filter)
	Name, ID, Err                        string
	Label                                string
	Value                                string
	Checked                              bool
	Required                             bool
	Multiple                             bool // a select of several choices
	MinLength, MaxLength, Rows, Min, Max string
	Size                                 string
	Autocomplete, Placeholder            string
	Help, HelpID, NoteID                 string
	Empty                                string
	Choices                              []choice
}

// choice is one option of a select.
type choice struct {
	Value, Label string
	Selected     bool
}

// choiceKeys are a select's values, each named by the catalogue key Format
// filled with the value; they are put in words in the page's language.
type choiceKeys struct {
	Format string
	Values []string
}

var fieldKinds = map[string]bool{"text": true, "email": true, "password": true, "date": true, "number": true, "textarea": true, "select": true, "checkbox": true}

// newField builds a field for the partial; an option it does not know is an
// error, so a mistyped option fails the page's tests rather than vanishing.
func newField(p *page, kind, name, labelKey string, stored any, opts ...any) (*formField, error) {
	if !fieldKinds[kind] {
		return nil, fmt.Errorf("field %s: unknown kind %q", name, kind)
	}
	f := &formField{P: p, Kind: kind, Name: name, ID: "f-" + name, Err: name, Label: p.T(labelKey)}
	for _, o := range opts {
		switch o := o.(type) {
		case []choice:
			f.Choices = append(f.Choices, o...)
		case choiceKeys:
			for _, v := range o.Values {
				f.Choices = append(f.Choices, choice{Value: v, Label: p.T(fmt.Sprintf(o.Format, v))})
			}
		case string:
			k, v, _ := strings.Cut(o, "=")
			switch k {
			case "required":
				f.Required = true
			case "multiple":
				f.Multiple = true
			case "help":
				f.Help = p.T(v)
			case "empty":
				f.Empty = p.T(v)
			default:
				// The options that are a value taken as it is.
				to, ok := map[string]*string{"minlength": &f.MinLength, "maxlength": &f.MaxLength, "rows": &f.Rows,
					"min": &f.Min, "max": &f.Max, "size": &f.Size, "autocomplete": &f.Autocomplete, "placeholder": &f.Placeholder,
					"id": &f.ID, "err": &f.Err, "helpid": &f.HelpID, "describedby": &f.NoteID, "value": &f.Value}[k]
				if !ok {
					return nil, fmt.Errorf("field %s: unknown option %q", name, o)
				}
				*to = v
			}
		default:
			return nil, fmt.Errorf("field %s: option of type %T", name, o)
		}
	}
	if f.Help != "" && f.HelpID == "" {
		f.HelpID = name + "-help"
	}
	if kind == "checkbox" {
		// A checkbox of a list's filter: it sends its value when ticked and
		// nothing otherwise, and shows the filter in force (the query's), not
		// a refused form's, which a page with a filter may show as well.
		if f.Value == "" {
			f.Value = "1"
		}
		f.Checked = truthy(stored)
		return f, nil
	}
	if f.Multiple {
		chosen := map[string]bool{}
		values := p.Values(name)
		if p.Form == nil {
			values = listOf(stored)
		}
		for _, v := range values {
			chosen[v] = true
		}
		for i := range f.Choices {
			f.Choices[i].Selected = chosen[f.Choices[i].Value]
		}
		return f, nil
	}
	f.Value = p.Value(name, stored)
	for i := range f.Choices {
		f.Choices[i].Selected = f.Choices[i].Value == f.Value
	}
	return f, nil
}

// DescribedBy lists the ids of the texts that describe the field: other
// text on the page, its help and its error message.
func (f *formField) DescribedBy() string {
	ids := make([]string, 0, 3)
	for _, id := range []string{f.NoteID, f.HelpID, "e-" + f.Err} {
		if id != "" {
			ids = append(ids, id)
		}
	}
	return strings.Join(ids, " ")
}

// Invalid tells whether the field has an error to show.
func (f *formField) Invalid() bool { return f.P.FieldError(f.Err) != "" }

// truthy is a stored value as a ticked checkbox: true, or a non-zero,
// non-empty, non-nil value.
func truthy(v any) bool {
	if v == nil {
		return false
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return false
		}
		rv = rv.Elem()
	}
	return !rv.IsZero()
}

// listOf is a stored slice's values as a form sends them.
func listOf(v any) []string {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice {
		return nil
	}
	out := make([]string, rv.Len())
	for i := range out {
		out[i] = fmt.Sprint(rv.Index(i).Interface())
	}
	return out
}

// keysChoices names each value of a slice by a catalogue key.
func keysChoices(format string, values any) (choiceKeys, error) {
	rv := reflect.ValueOf(values)
	if rv.Kind() != reflect.Slice {
		return choiceKeys{}, fmt.Errorf("keys %s: %T is not a slice", format, values)
	}
	return choiceKeys{Format: format, Values: listOf(values)}, nil
}

// memberChoices offers an organisation's members, by name.
func memberChoices(ms []*isms.Membership) []choice {
	out := make([]choice, len(ms))
	for i, m := range ms {
		out[i] = choice{Value: strconv.FormatInt(m.UserID, 10), Label: m.UserName}
	}
	return out
}

// recordChoices offers records, each by the values of two of its fields
// (or methods without arguments): the one the form sends, and its name.
func recordChoices(records any, valueField, labelField string) ([]choice, error) {
	rv := reflect.ValueOf(records)
	if rv.Kind() != reflect.Slice {
		return nil, fmt.Errorf("options: %T is not a slice", records)
	}
	out := make([]choice, rv.Len())
	for i := range out {
		v, err := recordField(rv.Index(i), valueField)
		if err != nil {
			return nil, err
		}
		l, err := recordField(rv.Index(i), labelField)
		if err != nil {
			return nil, err
		}
		out[i] = choice{Value: v, Label: l}
	}
	return out, nil
}

func recordField(rv reflect.Value, name string) (string, error) {
	if m := rv.MethodByName(name); m.IsValid() && m.Type().NumIn() == 0 && m.Type().NumOut() == 1 {
		return fmt.Sprint(m.Call(nil)[0].Interface()), nil
	}
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		rv = rv.Elem()
	}
	if rv.Kind() == reflect.Struct {
		if f := rv.FieldByName(name); f.IsValid() {
			return fmt.Sprint(f.Interface()), nil
		}
	}
	return "", fmt.Errorf("options: %s has no field %s", rv.Type(), name)
}
