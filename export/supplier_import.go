package export

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/ismsdk/isms"
)

// Reading a supplier list as organisations keep it before the product
// (guide 2.9), through the shared sheet reader (sheet_reader.go): the
// heading row is the first with a name column and one more that a supplier
// list has (CVR, what it delivers, criticality, owner, contact); the cells
// are returned as text for the store to check against the records.

// Limits of an imported supplier list.
const (
	SupplierSheetMaxBytes = 4 << 20
	SupplierSheetMaxRows  = 5000
)

// supplierHeadings maps normalised headings (see NormalizeImportHeading)
// to fields, in Danish and English as supplier lists are headed.
var supplierHeadings = map[string]string{
	"name": "name", "navn": "name", "supplier": "name", "suppliername": "name", "leverandør": "name", "leverandørnavn": "name",
	"leverandøren": "name", "vendor": "name", "vendorname": "name", "firma": "name", "firmanavn": "name", "virksomhed": "name",
	"company": "name", "companyname": "name", "databehandler": "name", "processor": "name",

	"cvr": "cvr", "cvrnr": "cvr", "cvrnummer": "cvr", "cvrno": "cvr", "cvrnumber": "cvr", "companynumber": "cvr", "vat": "cvr",
	"vatno": "cvr", "vatnumber": "cvr", "momsnr": "cvr", "senr": "cvr", "registrationnumber": "cvr",

	"delivers": "delivers", "leverer": "delivers", "leverance": "delivers", "leverancer": "delivers", "ydelse": "delivers",
	"ydelser": "delivers", "service": "delivers", "services": "delivers", "whatitdelivers": "delivers", "hvadleverer": "delivers",
	"hvadleverertleverandøren": "delivers", "hvadlevererleverandøren": "delivers", "beskrivelse": "delivers", "description": "delivers",
	"produkt": "delivers", "product": "delivers", "system": "delivers", "systemer": "delivers", "leveret": "delivers", "scope": "delivers",

	"criticality": "criticality", "kritikalitet": "criticality", "kritiskhed": "criticality", "vigtighed": "criticality",
	"klassifikation": "criticality", "classification": "criticality", "risikoniveau": "criticality", "risklevel": "criticality",
	"tier": "criticality", "betydning": "criticality",

	"owner": "owner", "ejer": "owner", "owneremail": "owner", "ejeremail": "owner", "ansvarlig": "owner", "ansvarligemail": "owner",
	"leverandøransvarlig": "owner", "kontraktejer": "owner", "contractowner": "owner", "supplierowner": "owner",
	"relationsejer": "owner", "relationshipowner": "owner", "systemejer": "owner", "forretningsejer": "owner", "businessowner": "owner",

	"contact": "contact", "kontakt": "contact", "kontaktperson": "contact", "kontaktoplysninger": "contact", "contactperson": "contact",
	"contactdetails": "contact", "kontaktinfo": "contact", "contactinfo": "contact", "email": "contact", "telefon": "contact", "phone": "contact",

	"status": "status", "aktiv": "status", "active": "status", "state": "status", "tilstand": "status",

	"note": "note", "noter": "note", "notes": "note", "bemærkning": "note", "bemærkninger": "note", "kommentar": "note",
	"kommentarer": "note", "comment": "note", "comments": "note", "remarks": "note",

	"contractend": "contract_end", "contractenddate": "contract_end", "contractexpiry": "contract_end", "contractends": "contract_end",
	"kontraktudløb": "contract_end", "kontraktenudløber": "contract_end", "kontraktslut": "contract_end", "kontraktslutdato": "contract_end",
	"kontraktudløber": "contract_end", "aftaleudløb": "contract_end", "aftaleudløber": "contract_end", "udløbsdato": "contract_end",
	"kontraktophør": "contract_end", "contractenddato": "contract_end", "kontraktensophør": "contract_end", "kontraktudløbsdato": "contract_end",

	"dpaend": "dpa_end", "dpaenddate": "dpa_end", "dpaexpiry": "dpa_end", "databehandleraftaleudløb": "dpa_end",
	"databehandleraftaleudløber": "dpa_end", "databehandleraftaleslut": "dpa_end", "dbaudløb": "dpa_end", "dbaudløber": "dpa_end",
	"dbaslut": "dpa_end", "dataprocessingagreementend": "dpa_end", "dataprocessingagreementexpiry": "dpa_end",
	"databehandleraftalenudløber": "dpa_end", "databehandleraftaleophør": "dpa_end",
}

// NormalizeImportHeading is how the imports of registers compare headings:
// notes in brackets dropped ("Kritikalitet (høj/middel/lav)"), then lower
// case, letters and digits only ("CVR-nr." → "cvrnr").
func NormalizeImportHeading(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[', '{':
			depth++
			continue
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return NormalizeRiskHeading(b.String())
}

// SupplierHeadingField is the field a heading fills, "" when not
// recognised.
func SupplierHeadingField(heading string) string {
	return supplierHeadings[NormalizeImportHeading(heading)]
}

// supplierSpec reads a supplier list: the heading row has a name column
// and at least one other a supplier list has, so that a title row with
// the word "Leverandør" alone is not taken for it.
var supplierSpec = sheetSpec{maxBytes: SupplierSheetMaxBytes, maxRows: SupplierSheetMaxRows, field: SupplierHeadingField,
	isHeader: func(f map[string]bool) bool {
		return f["name"] && (f["cvr"] || f["delivers"] || f["criticality"] || f["owner"] || f["contact"])
	}, errFamily: "rimp"}

// ReadSuppliers reads a supplier list from an XLSX or CSV file.
func ReadSuppliers(filename string, data []byte) (*isms.RegisterSheet, error) {
	return readRegister(isms.ImportSuppliers, supplierSpec, filename, data)
}

// readRegister reads a register's file by its spec; the sheet carries the
// file's SHA-256, which names its upload.
func readRegister(kind string, sp sheetSpec, filename string, data []byte) (*isms.RegisterSheet, error) {
	return readRegisterMapped(kind, sp, filename, data, nil)
}

// readRegisterMapped reads a register's file with a saved mapping's
// choice of fields for its headings (nil for the proposal). A file whose
// heading row the proposal does not recognise (the name column headed in
// the author's words) is read from the first row with two headings it
// does recognise, so the mapping step can name the rest.
func readRegisterMapped(kind string, sp sheetSpec, filename string, data []byte, m *isms.ImportMapping) (*isms.RegisterSheet, error) {
	if m != nil {
		sp = sp.withColumns(m.Columns)
	}
	r, err := readSheet(sp, filename, data)
	if e := isms.AsError(err); e != nil && e.Key == sp.errFamily+".err.import_no_header" {
		loose := sp
		loose.isHeader = func(f map[string]bool) bool {
			n := 0
			for k := range f {
				if k != "" {
					n++
				}
			}
			return n >= 2
		}
		if r2, err2 := readSheet(loose, filename, data); err2 == nil {
			r, err = r2, nil
		}
	}
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	s := &isms.RegisterSheet{Kind: kind, Filename: r.Filename, SHA256: hex.EncodeToString(sum[:]), HeaderRow: r.HeaderRow,
		Columns: r.Columns, Ignored: r.Ignored, Rows: r.Rows, Headings: r.Headings}
	var hs []string
	for _, h := range r.Headings {
		hs = append(hs, h.Header)
	}
	s.Shape = isms.SheetShape(kind, hs)
	if m != nil {
		s.MappingID = m.ID
	}
	return s, nil
}

// SupplierHeading is the heading a supplier list uses for a field, in the
// given language; the reader recognises every one of them.
func SupplierHeading(field, lang string) string {
	return registerHeading(supplierExportHeadings, field, lang)
}

func registerHeading(m map[string][2]string, field, lang string) string {
	h, ok := m[field]
	if !ok {
		panic(fmt.Sprintf("export: no import heading for field %q", field))
	}
	if lang == "en" {
		return h[1]
	}
	return h[0]
}

var supplierExportHeadings = map[string][2]string{
	"name": {"Leverandør", "Supplier"}, "cvr": {"CVR-nr.", "CVR no."}, "delivers": {"Leverer", "Delivers"},
	"criticality": {"Kritikalitet", "Criticality"}, "owner": {"Ejer", "Owner"}, "contact": {"Kontakt", "Contact"},
	"status": {"Status", "Status"}, "note": {"Bemærkning", "Note"}, "contract_end": {"Kontrakt udløber", "Contract end"},
	"dpa_end": {"Databehandleraftale udløber", "DPA end"},
}
