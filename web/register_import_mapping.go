package web

import (
	"net/http"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
)

// The mapping step of the register imports (suppliers, incidents, assets,
// threats, members, the business overview), as the risk import has it: a
// file whose heading row has a saved mapping is read with it and goes to
// the preview; another first shows each column with the field proposed
// for it, and saving stores the mapping for the file's shape and reads
// the staged file again with it.

// readRegisterSheet reads a register's file with the saved mapping named
// (mappingID, which must be the organisation's and of the kind), else
// with the one saved for the file's shape, else as proposed.
func (s *Server) readRegisterSheet(r *http.Request, org int64, kind, name string, data []byte, mappingID int64) (*isms.RegisterSheet, error) {
	ms := s.importMappings()
	if mappingID != 0 {
		m, err := ms.ImportMapping(r.Context(), org, mappingID)
		if err != nil {
			return nil, err
		}
		if m.Kind != kind {
			return nil, isms.Errorf(isms.EInvalid, "imp.err.mapping_kind", m.Kind)
		}
		return export.ReadRegisterMapped(kind, name, data, m)
	}
	sheet, err := export.ReadRegister(kind, name, data)
	if err != nil {
		return nil, err
	}
	m, err := ms.ImportMappingForShape(r.Context(), org, kind, sheet.Shape)
	switch {
	case isms.ErrorCode(err) == isms.ENotFound || isms.ErrorCode(err) == isms.EForbidden:
		// No mapping saved, or none the caller may read: the proposal.
		return sheet, nil
	case err != nil:
		return nil, err
	}
	return export.ReadRegisterMapped(kind, name, data, m)
}

// regImportMappingPage shows the mapping step of a staged file: each
// column with the field proposed (or saved) for it.
func (s *Server) regImportMappingPage(k regImportKind) pageHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		sha, err := stagedSHA(r)
		if err != nil {
			return err
		}
		sheet, err := s.RegisterImports.StagedRegisterSheet(r.Context(), orgFrom(r.Context()).ID, k.Kind, sha)
		if err != nil {
			return err
		}
		p := s.newPage(r, "title.import_mapping")
		d := importMappingData{Action: k.Path + "/" + sha + "/mapping", Back: k.Path + "/" + sha, Filename: sheet.Filename,
			Fields: isms.ImportFields(k.Kind), FieldKey: k.Prefix, Labels: map[string]string{}, Saved: sheet.MappingID != 0}
		for _, f := range d.Fields {
			d.Labels[f] = export.RegisterHeading(k.Kind, f, p.Lang)
		}
		for _, h := range sheet.Headings {
			d.Columns = append(d.Columns, mappingColumn{Letter: h.Letter, Header: h.Header, Key: isms.MappingKey(h.Header), Field: h.Field})
		}
		p.Data = d
		s.render(w, http.StatusOK, "import_mapping", p)
		return nil
	}
}

// regImportMappingSubmit saves the mapping for the file's shape, reads
// the staged file again with it and shows the preview of that reading.
func (s *Server) regImportMappingSubmit(k regImportKind) pageHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		sha, err := stagedSHA(r)
		if err != nil {
			return err
		}
		org := orgFrom(r.Context()).ID
		sheet, err := s.RegisterImports.StagedRegisterSheet(r.Context(), org, k.Kind, sha)
		if err != nil {
			return err
		}
		if len(sheet.File) == 0 {
			// Staged before the mapping step kept the file: upload it again.
			return isms.Errorf(isms.EInvalid, "imp.err.mapping_file_gone")
		}
		in := isms.ImportMappingInput{Kind: k.Kind, Columns: map[string]string{}, Values: map[string]map[string]string{}}
		for _, h := range sheet.Headings {
			in.Headings = append(in.Headings, h.Header)
			key := isms.MappingKey(h.Header)
			in.Columns[key] = r.PostForm.Get("col." + key)
		}
		m, err := s.importMappings().SaveImportMapping(r.Context(), org, in)
		if err != nil {
			return err
		}
		again, err := export.ReadRegisterMapped(k.Kind, sheet.Filename, sheet.File, m)
		if err != nil {
			return err // a mapping that leaves the file without the columns its heading row needs
		}
		again.File = sheet.File
		pv, err := s.RegisterImports.StageRegisterImport(r.Context(), org, again)
		if err != nil {
			return err
		}
		http.Redirect(w, r, p0(r, k.Path+"/"+pv.SHA256), http.StatusSeeOther)
		return nil
	}
}
