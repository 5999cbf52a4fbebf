package isms

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// The mapping step of an import. A register kept in a spreadsheet has the
// author's headings ("Sandsynlighed (1-4)", "Risikoejer (navn)") and
// words ("Høj", "Reducér"); the product proposes which of its fields each
// column fills and what each word means on the organisation's scale, and
// the user corrects the proposal. The mapping is saved per organisation
// and file shape (the register kind and the heading row as compared), so
// next year's file with the same headings imports in one step.

// SheetHeading is one heading of a file's heading row: its column letter,
// the heading as written and the field it fills ("" when ignored).
type SheetHeading struct {
	Letter string `json:"letter"`
	Header string `json:"header"`
	Field  string `json:"field"`
}

// ImportMapping is a saved mapping: for one register kind and file shape,
// the field of each heading (by MappingKey; "" ignores the column) and,
// per field, what the file's words mean (by MappingKey of the word).
type ImportMapping struct {
	ID        int64                        `json:"id"`
	Kind      string                       `json:"kind"`
	Shape     string                       `json:"shape"`
	Headings  []string                     `json:"headings"` // as the file that made it wrote them
	Columns   map[string]string            `json:"columns"`
	Values    map[string]map[string]string `json:"values"`
	UpdatedBy string                       `json:"updated_by"`
	UpdatedAt time.Time                    `json:"updated_at"`
	Version   int64                        `json:"version"`
}

// ImportMappingInput saves the mapping of a file shape.
type ImportMappingInput struct {
	Kind     string                       `json:"kind"`
	Headings []string                     `json:"headings"`
	Columns  map[string]string            `json:"columns"`
	Values   map[string]map[string]string `json:"values"`
}

// Register kinds a mapping is saved for, besides ImportSuppliers and
// ImportIncidents.
const ImportRisks = "risks"

// ImportMappingService keeps the organisation's saved mappings.
type ImportMappingService interface {
	ImportMappings(ctx context.Context, orgID int64) ([]*ImportMapping, error)
	ImportMapping(ctx context.Context, orgID, id int64) (*ImportMapping, error)
	// ImportMappingForShape is the saved mapping of a file shape; ENotFound
	// when none is saved.
	ImportMappingForShape(ctx context.Context, orgID int64, kind, shape string) (*ImportMapping, error)
	// SaveImportMapping saves the mapping of the input's shape, replacing
	// the one saved for it before.
	SaveImportMapping(ctx context.Context, orgID int64, in ImportMappingInput) (*ImportMapping, error)
	DeleteImportMapping(ctx context.Context, orgID, id int64) error
}

// MappingKey is how headings and words are compared: lower case, letters
// and digits only, and what stands in brackets left out, as units,
// scales and notes are written ("Sandsynlighed (1-4)", "Konsekvens
// [1-5]", "Risikoejer (navn)" → "sandsynlighed", "konsekvens",
// "risikoejer"). A heading that is nothing but brackets keeps their
// content.
func MappingKey(s string) string {
	if k := mappingLetters(stripBrackets(s)); k != "" {
		return k
	}
	return mappingLetters(s)
}

func mappingLetters(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// stripBrackets leaves out what stands in (), [] or {}.
func stripBrackets(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
		default:
			if depth == 0 {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// SheetShape names a file's shape: the register kind and its heading row
// as compared (MappingKey of each non-empty heading, in order).
func SheetShape(kind string, headings []string) string {
	var b strings.Builder
	b.WriteString(kind)
	for _, h := range headings {
		if k := mappingLetters(h); k != "" {
			b.WriteString("\x1f")
			b.WriteString(k)
		}
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// Check checks a mapping's input against the fields of its kind.
func (in *ImportMappingInput) Check(fields []string) error {
	var v Validation
	if len(in.Headings) == 0 || len(in.Headings) > 200 {
		v.Add("headings", "err.required")
	}
	known := map[string]bool{"": true}
	for _, f := range fields {
		known[f] = true
	}
	taken := map[string]string{}
	for h, f := range in.Columns {
		if !known[f] {
			v.Add("columns", "imp.err.unknown_field", f)
			continue
		}
		if f != "" {
			if other, ok := taken[f]; ok && other != h {
				v.Add("columns", "imp.err.field_twice", f)
			}
			taken[f] = h
		}
	}
	for _, f := range importKeyFields[in.Kind] {
		if _, ok := taken[f]; !ok {
			v.Add("columns", "imp.err.field_missing", f)
		}
	}
	for f, words := range in.Values {
		if !known[f] || len(words) > 500 {
			v.Add("values", "imp.err.unknown_field", f)
		}
	}
	return v.Err()
}

// levelWords are the words registers rate with, on a scale of 4 or 5,
// from the lowest: a word's place decides its level. Where the scale has
// four levels, "meget lav" is the lowest with "lav".
var levelWords = [][]string{
	{"megetlav", "verylow", "ubetydelig", "negligible", "minimal", "sjælden", "rare", "usandsynlig", "meget usandsynlig", "meget usandsynligt", "megetusandsynlig", "megetusandsynligt"},
	{"lav", "low", "lille", "minor", "begrænset", "limited", "usandsynligt", "unlikely", "mindre"},
	{"middel", "medium", "moderat", "moderate", "mellem", "mulig", "muligt", "possible", "betydelig", "significant", "gennemsnitlig"},
	{"høj", "hoej", "hoj", "high", "stor", "major", "sandsynlig", "sandsynligt", "likely", "alvorlig", "serious", "væsentlig"},
	{"megethøj", "megethoej", "megethoj", "veryhigh", "kritisk", "critical", "katastrofal", "catastrophic", "megetsandsynlig", "megetsandsynligt", "verylikely", "næstensikker", "almostcertain", "ekstrem", "extreme"},
}

var levelLead = regexp.MustCompile(`^\s*(\d{1,2})(?:[.,]0+)?\s*(?:$|[-–—:.)=/ ]\s*\D)`)

// ProposeLevel reads a likelihood or consequence as registers write it:
// a whole number on the scale ("3", "3,0"), a number with its name ("4 -
// Høj"), one of the scale's own labels, or a common word ("Høj", "Meget
// lav", "Medium"), placed on a scale of size levels.
func ProposeLevel(cell string, labels []ScaleLabel) (int, bool) {
	size := len(labels)
	cell = strings.TrimSpace(cell)
	if cell == "" || size == 0 {
		return 0, false
	}
	num := strings.ReplaceAll(cell, ",", ".")
	if f, err := strconv.ParseFloat(num, 64); err == nil {
		if f != float64(int(f)) || f < 1 || f > float64(size) {
			return 0, false
		}
		return int(f), true
	}
	if m := levelLead.FindStringSubmatch(cell); m != nil {
		if n, _ := strconv.Atoi(m[1]); n >= 1 && n <= size {
			return n, true
		}
		return 0, false
	}
	k := mappingLetters(cell)
	for i, l := range labels {
		if k == mappingLetters(l.DA) || k == mappingLetters(l.EN) {
			return i + 1, true
		}
	}
	for place, words := range levelWords {
		for _, w := range words {
			if k != mappingLetters(w) {
				continue
			}
			switch {
			case size == 5:
				return place + 1, true
			case size == 4:
				return max(place, 1), true
			case size == 3:
				return min(max(place, 1), 3), true
			default:
				// Other scales: the word's place spread over the scale.
				return max(1, min(size, (place*size+size/2)/5+1)), true
			}
		}
	}
	return 0, false
}

// treatmentWords are the treatment decisions as registers write them.
var treatmentWords = map[string]Treatment{
	"mitigate": TreatmentMitigate, "mitigation": TreatmentMitigate, "reduce": TreatmentMitigate, "reduction": TreatmentMitigate,
	"treat": TreatmentMitigate, "modify": TreatmentMitigate, "reducér": TreatmentMitigate, "reducer": TreatmentMitigate,
	"reduceres": TreatmentMitigate, "reduktion": TreatmentMitigate, "reducere": TreatmentMitigate, "begræns": TreatmentMitigate,
	"begrænse": TreatmentMitigate, "begrænses": TreatmentMitigate, "nedbring": TreatmentMitigate, "nedbringes": TreatmentMitigate,
	"håndteres": TreatmentMitigate, "minimer": TreatmentMitigate, "minimere": TreatmentMitigate, "minimeres": TreatmentMitigate,
	"accept": TreatmentAccept, "accepted": TreatmentAccept, "acceptance": TreatmentAccept, "retain": TreatmentAccept,
	"tolerate": TreatmentAccept, "acceptér": TreatmentAccept, "accepter": TreatmentAccept, "acceptere": TreatmentAccept,
	"accepteres": TreatmentAccept, "accepteret": TreatmentAccept, "bære": TreatmentAccept, "bæres": TreatmentAccept,
	"avoid": TreatmentAvoid, "avoidance": TreatmentAvoid, "terminate": TreatmentAvoid, "undgå": TreatmentAvoid,
	"undgås": TreatmentAvoid, "undgaa": TreatmentAvoid, "undga": TreatmentAvoid, "ophør": TreatmentAvoid, "ophøre": TreatmentAvoid,
	"share": TreatmentShare, "transfer": TreatmentShare, "del": TreatmentShare, "dele": TreatmentShare, "deles": TreatmentShare,
	"overfør": TreatmentShare, "overføre": TreatmentShare, "overføres": TreatmentShare, "overfor": TreatmentShare,
	"overfore": TreatmentShare, "forsikr": TreatmentShare, "forsikre": TreatmentShare, "forsikring": TreatmentShare,
}

// ProposeTreatment reads a treatment decision as registers write it, in
// Danish or English ("Reducér", "Accepter", "Overfør", "Undgå", "Risk
// accepted"); the first word decides where the cell holds several.
func ProposeTreatment(cell string) (Treatment, bool) {
	if t, ok := treatmentWords[mappingLetters(cell)]; ok {
		return t, true
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(cell), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if t, ok := treatmentWords[w]; ok {
			return t, true
		}
		if w == "risk" || w == "risiko" || w == "risikoen" || w == "the" {
			continue
		}
		break
	}
	return "", false
}

// MappedValue is a cell as the mapping reads it: the word the user mapped
// it to for the field, if any, else the cell itself.
func MappedValue(values map[string]map[string]string, field, cell string) string {
	if v, ok := values[field][MappingKey(cell)]; ok && v != "" {
		return v
	}
	return cell
}

// importKeyFields are the columns without which a register kind's rows
// cannot be read at all: what names the record (and, for a risk, the
// asset and threat it is a scenario of). A mapping that leaves one out is
// refused when it is saved, so it can never be reused for next year's file.
var importKeyFields = map[string][]string{
	ImportRisks:     {"asset", "threat"},
	ImportSuppliers: {"name"},
	ImportIncidents: {"title", "detected"},
	ImportAssets:    {"name"},
	ImportThreats:   {"name"},
	ImportMembers:   {"email"},
	ImportOverview:  {"name"},
}

// MappedImportKinds are the register kinds that have a mapping step: the
// risk register and every kind of the register flow.
var MappedImportKinds = append([]string{ImportRisks}, ImportKinds...)

// ImportKeyFields are the fields every mapping of the kind must give a
// column.
func ImportKeyFields(kind string) []string { return importKeyFields[kind] }

// ImportFields are the fields a register kind's mapping may name, nil for
// a kind that has no mapping step.
func ImportFields(kind string) []string {
	switch kind {
	case ImportRisks:
		return RiskSheetFields
	case ImportSuppliers:
		return SupplierSheetFields
	case ImportIncidents:
		return IncidentSheetFields
	case ImportAssets:
		return AssetSheetFields
	case ImportThreats:
		return ThreatSheetFields
	case ImportMembers:
		return MemberSheetFields
	case ImportOverview:
		return OverviewSheetFields
	}
	return nil
}
