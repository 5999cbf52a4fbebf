package sqlstore_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
)

// The mapping step of a register import: the staged upload keeps the file
// and its heading row, so the mapping saved for it can read the file
// again; another organisation does not find it; every register kind takes
// a mapping of its own fields and no other's.
func TestStagedRegisterSheetForMapping(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "imp")
		ctx := as(f.coord)
		data := []byte("Leverandørens navn xyz;Leverer;Kritikalitet;Ejer\nDataCentralen A/S;Drift;High;" + f.coord.Email + "\n")
		s, err := export.ReadRegister(isms.ImportSuppliers, "l.csv", data)
		if err != nil {
			t.Fatal(err)
		}
		if s.Has("name") || len(s.Headings) != 4 || s.MappingID != 0 {
			t.Fatalf("proposal %+v", s)
		}
		s.File = data
		if _, err := db.StageRegisterImport(ctx, f.org.ID, s); err != nil {
			t.Fatal(err)
		}
		got, err := db.StagedRegisterSheet(ctx, f.org.ID, isms.ImportSuppliers, s.SHA256)
		if err != nil || !bytes.Equal(got.File, data) || got.Shape != s.Shape || len(got.Headings) != 4 {
			t.Fatalf("staged %v %+v", err, got)
		}
		other := newLeadFixture(t, db.DB, "imp-other")
		if _, err := db.StagedRegisterSheet(as(other.coord), other.org.ID, isms.ImportSuppliers, s.SHA256); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("other organisation finds the upload: %v", err)
		}
		if _, err := db.StagedRegisterSheet(as(f.reader), f.org.ID, isms.ImportSuppliers, s.SHA256); isms.ErrorCode(err) != isms.EForbidden {
			t.Fatalf("reader reads the upload: %v", err)
		}
		in := isms.ImportMappingInput{Kind: isms.ImportSuppliers, Columns: map[string]string{}}
		for _, h := range got.Headings {
			in.Headings = append(in.Headings, h.Header)
			in.Columns[isms.MappingKey(h.Header)] = h.Field
		}
		in.Columns["leverandørensnavnxyz"] = "name"
		m, err := db.SaveImportMapping(ctx, f.org.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if m.Shape != s.Shape {
			t.Fatal("the mapping is saved for another shape than the file's")
		}
		again, err := export.ReadRegisterMapped(isms.ImportSuppliers, got.Filename, got.File, m)
		if err != nil || !again.Has("name") || again.MappingID != m.ID || again.Shape != s.Shape || again.SHA256 != s.SHA256 {
			t.Fatalf("read again %v %+v", err, again)
		}
		pv, err := db.StageRegisterImport(ctx, f.org.ID, again)
		if err != nil || pv.Created != 1 || pv.Refused != 0 {
			t.Fatalf("staged again %v %+v", err, pv)
		}
		// Each register kind maps to its own fields only (with its key
		// columns, which every mapping must give a column).
		for kind, field := range map[string]string{isms.ImportAssets: "confidentiality", isms.ImportThreats: "name_en",
			isms.ImportMembers: "security_roles", isms.ImportOverview: "next_review", isms.ImportIncidents: "location"} {
			in := isms.ImportMappingInput{Kind: kind, Headings: []string{"X"}, Columns: map[string]string{"x": field}}
			for i, key := range isms.ImportKeyFields(kind) {
				h := fmt.Sprintf("K%d", i)
				in.Headings = append(in.Headings, h)
				in.Columns[isms.MappingKey(h)] = key
			}
			if _, err := db.SaveImportMapping(ctx, f.org.ID, in); err != nil {
				t.Errorf("%s mapping: %v", kind, err)
			}
		}
		if _, err := db.SaveImportMapping(ctx, f.org.ID, isms.ImportMappingInput{Kind: isms.ImportMembers, Headings: []string{"X"},
			Columns: map[string]string{"x": "cvr"}}); isms.ErrorCode(err) != isms.EInvalid {
			t.Errorf("a members mapping naming a supplier field: %v", err)
		}
	})
}
