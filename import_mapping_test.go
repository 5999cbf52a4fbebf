package isms

import (
	"fmt"
	"slices"
	"testing"
)

func TestMappingKeyStripsBrackets(t *testing.T) {
	for in, want := range map[string]string{
		"Sandsynlighed (1-4)": "sandsynlighed", "Konsekvens [1-5]": "konsekvens", "Risikoejer (navn)": "risikoejer",
		"  RISIKO-EJER ": "risikoejer", "(Nr.)": "nr", "Owner e-mail {required}": "owneremail",
	} {
		if got := MappingKey(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

func TestProposeLevelAndTreatment(t *testing.T) {
	four := []ScaleLabel{{DA: "Usandsynlig"}, {DA: "Mindre sandsynlig"}, {DA: "Sandsynlig"}, {DA: "Forventet"}}
	five := make([]ScaleLabel, 5)
	for _, c := range []struct {
		cell   string
		labels []ScaleLabel
		want   int
	}{
		{"3", four, 3}, {"3,0", four, 3}, {"4 - Høj", four, 4}, {"2: lav", four, 2}, {"Høj", four, 3}, {"Meget høj", four, 4},
		{"Middel", four, 2}, {"Lav", four, 1}, {"Meget lav", four, 1}, {"Forventet", four, 4}, {"mindre sandsynlig", four, 2},
		{"Høj", five, 4}, {"Meget høj", five, 5}, {"Meget lav", five, 1}, {"Medium", five, 3}, {"high", five, 4},
		{"5", four, 0}, {"2,5", four, 0}, {"snart", four, 0}, {"", four, 0}, {"7 - Høj", four, 0},
	} {
		got, ok := ProposeLevel(c.cell, c.labels)
		if got != c.want || ok != (c.want != 0) {
			t.Errorf("%q on %d: %d %v, want %d", c.cell, len(c.labels), got, ok, c.want)
		}
	}
	for cell, want := range map[string]Treatment{"Reducér": TreatmentMitigate, "reduceres": TreatmentMitigate, "Accepter": TreatmentAccept,
		"Overfør": TreatmentShare, "Undgå": TreatmentAvoid, "Risk accepted": TreatmentAccept, "Transfer": TreatmentShare, "Mitigate": TreatmentMitigate} {
		if got, ok := ProposeTreatment(cell); !ok || got != want {
			t.Errorf("%q: %q, want %q", cell, got, want)
		}
	}
	if _, ok := ProposeTreatment("måske"); ok {
		t.Error("an unknown word read as a treatment")
	}
}

// FuzzProposeLevel: any cell on any scale size gives a level on the scale
// or none, and never panics.
func FuzzProposeLevel(f *testing.F) {
	for _, s := range []string{"3", "4 - Høj", "Meget høj", "(1-4)", "٣", "99999999999999999999", "1e9", "-1"} {
		f.Add(s, 4)
	}
	f.Fuzz(func(t *testing.T, cell string, size int) {
		size = size%12 + 1
		if size < 1 {
			size = -size + 1
		}
		n, ok := ProposeLevel(cell, make([]ScaleLabel, size))
		if ok && (n < 1 || n > size) {
			t.Fatalf("%q on %d: %d", cell, size, n)
		}
		MappingKey(cell)
		ProposeTreatment(cell)
	})
}

// TestMappingNeedsTheKeyColumns: a mapping that leaves a kind's key column
// unmapped (a risk's asset or threat, a supplier's name) is refused naming
// the field, so no saved mapping can make next year's file unreadable.
func TestMappingNeedsTheKeyColumns(t *testing.T) {
	in := ImportMappingInput{Kind: ImportRisks, Headings: []string{"Aktiv", "Trussel", "Beskrivelse"},
		Columns: map[string]string{"aktiv": "asset", "trussel": "", "beskrivelse": "description"}}
	err := in.Check(ImportFields(in.Kind))
	if e := AsError(err); e == nil || e.Code != EInvalid || fmt.Sprint(e.Fields) != "[{columns imp.err.field_missing [threat]}]" {
		t.Fatalf("a risk mapping without the threat column: %v", err)
	}
	in.Columns["trussel"] = "threat"
	if err := in.Check(ImportFields(in.Kind)); err != nil {
		t.Fatalf("a complete risk mapping: %v", err)
	}
	for _, kind := range MappedImportKinds {
		if len(ImportKeyFields(kind)) == 0 {
			t.Errorf("the %s import names no key field", kind)
		}
		for _, f := range ImportKeyFields(kind) {
			if !slices.Contains(ImportFields(kind), f) {
				t.Errorf("the %s import's key field %s is not one of its fields", kind, f)
			}
		}
	}
}
