package export_test

import (
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
)

// The asset list as Danish Excel saves it (Windows-1252, semicolons, CRLF,
// two title rows, bracketed notes in the headings, blank rows at the end),
// the threat catalogue with a byte order mark and commas, the members as
// tab-separated text, and the business overview in one register's sheet
// and, made by LibreOffice, in several registers' (dates as serials).
func TestReadMoreRegisterFiles(t *testing.T) {
	for _, c := range []struct {
		kind, file string
		header     int
		fields     string
		rows       int
		first      map[string]string
	}{
		{isms.ImportAssets, "aktiver.csv", 3, "name kind description owner criticality confidentiality supports", 6,
			map[string]string{"name": "Firewall", "description": "Perimeterfirewall ved rådhuset", "confidentiality": "Høj", "owner": "IT-chef"}},
		{isms.ImportThreats, "trusler.csv", 2, "name name_en group description affects asset_kinds", 6,
			map[string]string{"name": "Ransomware-angreb", "affects": "CIA", "description": "Malware that encrypts data, then demands a ransom"}},
		{isms.ImportMembers, "medarbejdere.tsv", 1, "email name role security_roles deputy_roles", 5,
			map[string]string{"email": "contributor@imp.example", "role": "Koordinator", "security_roles": "IT-chef"}},
		{isms.ImportOverview, "systemoversigt.csv", 2, "name owner description next_review confidentiality integrity availability", 3,
			map[string]string{"name": "ESDH", "kind": "system", "next_review": "01.06.2026", "description": "Sags- og dokumenthåndtering"}},
		{isms.ImportOverview, "forretningsoverblik.xlsx", 3, "kind name category description owner next_review confidentiality integrity availability", 7,
			map[string]string{"kind": "Proces", "name": "Sagsbehandling", "next_review": "46280", "owner": "IT-chef"}},
	} {
		t.Run(c.file, func(t *testing.T) {
			s, err := export.ReadRegister(c.kind, c.file, readTestdata(t, c.file))
			if err != nil {
				t.Fatal(err)
			}
			var fields []string
			for _, col := range s.Columns {
				fields = append(fields, col.Field)
			}
			if s.Kind != c.kind || s.HeaderRow != c.header || strings.Join(fields, " ") != c.fields || len(s.Rows) != c.rows {
				t.Fatalf("read %s header %d fields %q rows %d", s.Kind, s.HeaderRow, fields, len(s.Rows))
			}
			if s.Rows[0].Row != c.header+1 {
				t.Fatalf("first row numbered %d", s.Rows[0].Row)
			}
			for f, want := range c.first {
				if got := s.Rows[0].Cells[f]; got != want {
					t.Errorf("first row's %s: %q, want %q", f, got, want)
				}
			}
		})
	}
}

func TestMoreRegisterHeadings(t *testing.T) {
	for _, c := range []struct {
		field func(string) string
		h     string
		want  string
	}{
		{export.AssetHeadingField, "Kritikalitet (1-4)", "criticality"}, {export.AssetHeadingField, "Asset owner", "owner"},
		{export.AssetHeadingField, "TILGÆNGELIGHED [T]", "availability"}, {export.AssetHeadingField, "Aktivtype", "kind"},
		{export.ThreatHeadingField, "Rammer (F/I/T)", "affects"}, {export.ThreatHeadingField, "Trusselsgruppe", "group"},
		{export.ThreatHeadingField, "English name", "name_en"}, {export.MemberHeadingField, "E-mail-adresse", "email"},
		{export.MemberHeadingField, "Rolle i ISMS'et", "role"}, {export.MemberHeadingField, "Stedfortræder for", "deputy_roles"},
		{export.OverviewHeadingField, "IT-system", "name"}, {export.OverviewHeadingField, "Næste gennemgang (dato)", "next_review"},
		{export.OverviewHeadingField, "Farve", ""},
	} {
		if got := c.field(c.h); got != c.want {
			t.Errorf("heading %q: %q, want %q", c.h, got, c.want)
		}
	}
	// Every heading the upload pages list and the exports write is read
	// back as its field.
	fields := map[string]func(string) string{isms.ImportAssets: export.AssetHeadingField, isms.ImportThreats: export.ThreatHeadingField,
		isms.ImportMembers: export.MemberHeadingField, isms.ImportOverview: export.OverviewHeadingField}
	for kind, field := range fields {
		for _, f := range export.RegisterSheetFields(kind) {
			for _, lang := range []string{"da", "en"} {
				if h := export.RegisterHeading(kind, f, lang); field(h) != f {
					t.Errorf("%s heading %q (%s) reads as %q, want %q", kind, h, lang, field(h), f)
				}
			}
		}
	}
	// A file without the e-mail column is read from the first row with
	// two headings the reader knows, for the mapping step to name the
	// column (the store refuses it while none is named); a file with
	// fewer has no heading row.
	if s, err := export.ReadMembers("x.csv", []byte("Navn;Rolle\nA;læser\n")); err != nil || s.Has("email") || s.HeaderRow != 1 || len(s.Headings) != 2 {
		t.Errorf("members without an e-mail column: %v %+v", err, s)
	}
	if _, err := export.ReadMembers("x.csv", []byte("Navn;Farve\nA;blå\n")); isms.AsError(err) == nil || isms.AsError(err).Key != "rimp.err.import_no_header" {
		t.Errorf("members with one known heading: %v", err)
	}
}

func FuzzReadAssets(f *testing.F) {
	f.Add("aktiver.csv", readTestdata(f, "aktiver.csv"))
	fuzzRegister(f, export.ReadAssets, export.MoreSheetMaxRows, "Aktiv;Type\nA;hardware\n", "Asset,Owner,C,I,A\nA,x@y,1,2,3\n")
}

func FuzzReadThreats(f *testing.F) {
	f.Add("trusler.csv", readTestdata(f, "trusler.csv"))
	fuzzRegister(f, export.ReadThreats, export.MoreSheetMaxRows, "Trussel;Gruppe\nA;teknisk\n", "Threat\tAffects (CIA)\r\nS\xf8ren\tCI\r\n")
}

func FuzzReadMembers(f *testing.F) {
	f.Add("medarbejdere.tsv", readTestdata(f, "medarbejdere.tsv"))
	fuzzRegister(f, export.ReadMembers, export.MoreSheetMaxRows, "E-mail;Rolle\na@b;læser\n", "Email,Name,Security roles\n\"a@b\",\"A\nB\",\"IT-chef; DPO\"\n")
}

func FuzzReadOverview(f *testing.F) {
	for _, name := range []string{"systemoversigt.csv", "forretningsoverblik.csv", "forretningsoverblik.xlsx"} {
		f.Add(name, readTestdata(f, name))
	}
	fuzzRegister(f, export.ReadOverview, export.MoreSheetMaxRows, "IT-system;Ejer\nESDH;x@y\n", "Register,Name,Next review\nProces,A,46203\n")
}
