package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
)

// The organisation's saved import mappings: the API lists, reads and
// deletes them (the mapping step of an import saves them), and the import
// pages read a file with the one saved for its shape.

const importMappingsSummary = "List the saved import mappings (per register kind and file shape: the field of each heading and what the file's words mean)"

// importMappings is the service that keeps saved mappings: the store,
// which serves the risk register and its imports too.
func (s *Server) importMappings() isms.ImportMappingService {
	ms, _ := s.Risk.(isms.ImportMappingService)
	return ms
}

// mappingColumn is one column of the file in the mapping step: its
// heading and the field it fills ("" to ignore it).
type mappingColumn struct {
	Letter, Header, Key, Field string
}

// mappingValue is one word of the file in a column whose words the
// mapping reads (levels, treatments): what it is proposed to mean.
type mappingValue struct {
	Field, Cell, Name, Proposed string
	Choices                     []mappingChoice
}

type mappingChoice struct{ Value, Label string }

// importMappingData is the mapping step's page: the register's fields by
// their catalogue keys (FieldKey+field), the file's columns and words.
type importMappingData struct {
	Title, Action, Back string
	Filename            string
	Fields              []string
	FieldKey            string
	// Labels name the fields where the register has no catalogue keys
	// for them: the headings its export writes, in the page's language.
	Labels  map[string]string
	Columns []mappingColumn
	Values  []mappingValue
	Saved   bool // the file was read with a saved mapping
}

// riskImportMappingPage shows the mapping step of a staged risk register:
// each column with the field proposed (or saved) for it, and the words of
// its level and treatment columns with what they are proposed to mean on
// the organisation's scale.
func (s *Server) riskImportMappingPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	org := orgFrom(r.Context()).ID
	sheet, err := s.Risk.StagedRiskSheet(r.Context(), org, id)
	if err != nil {
		return err
	}
	m, err := s.Risk.RiskMethod(r.Context(), org)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.import_mapping")
	d := importMappingData{Action: "/risk-import/" + strconv.FormatInt(id, 10) + "/mapping", Back: "/risk-import/" + strconv.FormatInt(id, 10),
		Filename: sheet.Filename, Fields: isms.RiskSheetFields, FieldKey: "risk.sheet.", Saved: sheet.MappingID != 0}
	for _, h := range sheet.Headings {
		d.Columns = append(d.Columns, mappingColumn{Letter: h.Letter, Header: h.Header, Key: isms.MappingKey(h.Header), Field: h.Field})
	}
	level := func(labels []isms.ScaleLabel) []mappingChoice {
		out := []mappingChoice{{"", p.T("imp.mapping.as_written")}}
		for i, l := range labels {
			out = append(out, mappingChoice{strconv.Itoa(i + 1), strconv.Itoa(i+1) + " – " + l.In(p.Lang)})
		}
		return out
	}
	treatments := []mappingChoice{{"", p.T("imp.mapping.as_written")}}
	for _, t := range []isms.Treatment{isms.TreatmentMitigate, isms.TreatmentAccept, isms.TreatmentAvoid, isms.TreatmentShare} {
		treatments = append(treatments, mappingChoice{string(t), p.T("risk.treatment." + string(t))})
	}
	seen := map[string]bool{}
	for _, c := range d.Columns {
		f := c.Field
		var choices []mappingChoice
		var propose func(string) string
		switch {
		case f == "treatment":
			choices = treatments
			propose = func(v string) string { t, _ := isms.ProposeTreatment(v); return string(t) }
		case slices.Contains(isms.RiskLevelFields, f):
			labels := m.Scale.Consequence
			if isms.RiskLikelihoodFields[f] {
				labels = m.Scale.Likelihood
			}
			choices = level(labels)
			propose = func(v string) string {
				if n, ok := isms.ProposeLevel(v, labels); ok {
					return strconv.Itoa(n)
				}
				return ""
			}
		default:
			continue
		}
		for _, row := range sheet.Rows {
			v := row.Cells[f]
			k := isms.MappingKey(v)
			if v == "" || k == "" || seen[f+"\x00"+k] || len(d.Values) >= 300 {
				continue
			}
			seen[f+"\x00"+k] = true
			proposed := sheet.Values[f][k]
			if proposed == "" {
				proposed = propose(v)
			}
			d.Values = append(d.Values, mappingValue{Field: f, Cell: v, Name: "val." + f + "." + k, Proposed: proposed, Choices: choices})
		}
	}
	p.Data = d
	s.render(w, http.StatusOK, "import_mapping", p)
	return nil
}

// riskImportMappingSubmit saves the mapping for the file's shape, reads
// the staged file again with it and shows the preview of that reading.
func (s *Server) riskImportMappingSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	org := orgFrom(r.Context()).ID
	sheet, err := s.Risk.StagedRiskSheet(r.Context(), org, id)
	if err != nil {
		return err
	}
	in := isms.ImportMappingInput{Kind: isms.ImportRisks, Columns: map[string]string{}, Values: map[string]map[string]string{}}
	for _, h := range sheet.Headings {
		in.Headings = append(in.Headings, h.Header)
		k := isms.MappingKey(h.Header)
		in.Columns[k] = r.PostForm.Get("col." + k)
	}
	for name, vs := range r.PostForm {
		rest, ok := strings.CutPrefix(name, "val.")
		if !ok || len(vs) == 0 || vs[0] == "" {
			continue
		}
		field, key, ok := strings.Cut(rest, ".")
		if !ok {
			continue
		}
		if in.Values[field] == nil {
			in.Values[field] = map[string]string{}
		}
		in.Values[field][key] = vs[0]
	}
	m, err := s.importMappings().SaveImportMapping(r.Context(), org, in)
	if err != nil {
		return err
	}
	again, err := export.ReadRiskSheetMapped(sheet.Filename, sheet.File, m)
	if err != nil {
		return err // a mapping that leaves the file without its asset or threat column
	}
	again.File = sheet.File
	pv, err := s.Risk.StageRiskImport(r.Context(), org, again)
	if err != nil {
		return err
	}
	http.Redirect(w, r, p0(r, "/risk-import/"+strconv.FormatInt(pv.ID, 10)), http.StatusSeeOther)
	return nil
}

// importHubEntry is one register that imports, with its upload page.
type importHubEntry struct{ Key, Path string }

// importHubRegisters are the registers that import from spreadsheets, in
// the guide's order: the register flow's kinds by their own upload pages,
// and the risk register, the SoA and the awareness participation.
func importHubRegisters() []importHubEntry {
	out := []importHubEntry{}
	for _, k := range []regImportKind{overviewImportKind, assetImportKind, threatImportKind} {
		out = append(out, importHubEntry{k.Title, k.Path})
	}
	out = append(out, importHubEntry{"title.risk_import", "/risk-import"}, importHubEntry{"title.soa_import", "/soa/import"},
		importHubEntry{memberImportKind.Title, memberImportKind.Path}, importHubEntry{"title.awp_import", "/awareness/imports/new"})
	for _, k := range []regImportKind{supImportKind, incImportKind} {
		out = append(out, importHubEntry{k.Title, k.Path})
	}
	return out
}

type importHubData struct {
	Registers []importHubEntry
	Mappings  []*isms.ImportMapping
}

// importHubPage lists every register that imports, and the saved
// mappings.
func (s *Server) importHubPage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.import_hub")
	ms, err := s.importMappings().ImportMappings(r.Context(), orgFrom(r.Context()).ID)
	if err != nil && isms.ErrorCode(err) != isms.EForbidden {
		return err
	}
	p.Data = importHubData{Registers: importHubRegisters(), Mappings: ms}
	s.render(w, http.StatusOK, "import_hub", p)
	return nil
}

// importMappingDeleteSubmit forgets a saved mapping.
func (s *Server) importMappingDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.importMappings().DeleteImportMapping(r.Context(), orgFrom(r.Context()).ID, id); err != nil {
		return err
	}
	s.redirect(w, r, p0(r, "/import"), "flash.import_mapping_deleted")
	return nil
}
