package web

import (
	"encoding/json"
	"mime"
	"net/http"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// The participation part of the awareness API: the import as a file
// (multipart, with the activity for a file without that column) or as
// JSON rows, checked row by row as the page's import is; with dry_run the
// preview is answered and nothing is stored. And the XLSX of the
// participation list and the reach.

// participationImportJSON is the JSON form of an import: rows as a file
// would have them, by field.
type participationImportJSON struct {
	Filename   string                       `json:"filename"`
	ActivityID *int64                       `json:"activity_id"`
	Rows       []participationImportJSONRow `json:"rows"`
}

type participationImportJSONRow struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Unit     string `json:"unit"`
	Activity string `json:"activity"`
	Date     string `json:"date"`
	Score    string `json:"score"`
}

// participationImportForm is the import's multipart form, beside its JSON.
var participationImportForm = []apiParam{
	{"import_file", "file", "the exported file: XLSX or CSV"},
	{"activity_id", "integer", "the activity of every row, for a file without an activity column"},
}

const participationImportSummary = "Import participation from a file an e-learning system or HR exports (multipart/form-data: import_file, and activity_id for a file without an activity column) or as JSON rows (name and/or email, unit, activity by title, date, score). Every row is checked (unknown unit or activity, bad or future date, score out of 0–100, no person, bad e-mail, duplicate row); rows already recorded are skipped. With dry_run=1 the preview is answered and nothing is stored; otherwise the good rows are stored in one transaction"

var participationImportQuery = []apiParam{{"dry_run", "boolean", "only check the rows and answer the preview"}}

func (s *Server) importParticipationAPI(r *http.Request) (any, error) {
	org, err := pathID(r, "org")
	if err != nil {
		return nil, err
	}
	return s.withUploadSlot(r, func() (any, error) {
		sheet, chosen, err := readParticipationBody(r)
		if err != nil {
			return nil, err
		}
		if parseFlag(r.URL.Query().Get("dry_run")) {
			return s.AwarenessParticipation.PreviewParticipation(r.Context(), org, sheet, chosen)
		}
		return s.AwarenessParticipation.ImportParticipation(r.Context(), org, sheet, chosen)
	})
}

// readParticipationBody reads the import's body: a multipart file or JSON
// rows.
func readParticipationBody(r *http.Request) (*isms.ParticipationSheet, *int64, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var v isms.Validation
	if ct == "multipart/form-data" {
		name, data, act, err := readImportForm(r, export.ParticipationMaxBytes)
		if err != nil {
			return nil, nil, importFileError(uploadError(err))
		}
		chosen := parseOptionalID(&v, "activity_id", act)
		if err := v.Err(); err != nil {
			return nil, nil, err
		}
		sheet, err := export.ReadParticipation(name, data)
		if err != nil {
			return nil, nil, importFileError(err)
		}
		return sheet, chosen, nil
	}
	r.Body = http.MaxBytesReader(nil, r.Body, export.ParticipationMaxBytes)
	var in participationImportJSON
	if err := decodeJSON(r, &in); err != nil {
		return nil, nil, err
	}
	// The rows as read name the upload, as a file's bytes do.
	data, err := json.Marshal(in)
	if err != nil {
		return nil, nil, err
	}
	if len(in.Rows) == 0 {
		v.Add("rows", "awp.err.import_no_rows")
	}
	if len(in.Rows) > export.ParticipationMaxRows {
		v.Add("rows", "awp.err.import_too_many_rows", export.ParticipationMaxRows)
	}
	if err := v.Err(); err != nil {
		return nil, nil, err
	}
	sheet := export.ParticipationFromRows(in.Filename, data, jsonRowsCells(in.Rows))
	return sheet, in.ActivityID, nil
}

func jsonRowsCells(rows []participationImportJSONRow) []map[string]string {
	out := make([]map[string]string, len(rows))
	for i, r := range rows {
		c := map[string]string{}
		for k, v := range map[string]string{"name": r.Name, "email": r.Email, "unit": r.Unit, "activity": r.Activity, "date": r.Date, "score": r.Score} {
			if v = strings.TrimSpace(v); v != "" {
				c[k] = v
			}
		}
		out[i] = c
	}
	return out
}

// reachExport writes the participation list as filtered and the reach as
// a workbook of two sheets.
func (s *Server) partExport(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	f, err := partFilterFrom(r, 500)
	if err != nil {
		return err
	}
	f.Offset, f.Limit = 0, 500
	var all []*isms.Participation
	for {
		page, total, err := s.AwarenessParticipation.Participations(r.Context(), org.ID, f)
		if err != nil {
			return err
		}
		all = append(all, page...)
		if len(page) == 0 || len(all) >= total {
			break
		}
		f.Offset = len(all)
	}
	reach, err := s.AwarenessParticipation.AwarenessReach(r.Context(), org.ID)
	if err != nil {
		return err
	}
	lang := i18n.Negotiate(r)
	t := translator(lang)
	today := isms.DateOf(s.cfg.Now()).String()
	list := export.Sheet{Name: t("awp.export.sheet"), Title: t("awp.export.title", org.Name, today), Widths: []float64{28, 30, 36, 22, 12, 10, 10}}
	// Headed as the import reads them, so the list can be edited and read
	// back.
	for _, f := range []string{"name", "email", "activity", "unit", "date", "score"} {
		list.Header = append(list.Header, export.ParticipationHeading(f, lang))
	}
	list.Header = append(list.Header, t("awp.export.imported"))
	for _, p := range all {
		imported := t("awp.export.by_hand")
		if p.ImportID != nil {
			imported = t("awp.export.by_import")
		}
		list.Rows = append(list.Rows, export.Row{Cells: []any{p.Person, p.Email, p.ActivityTitle, p.UnitName, p.TakenOn, p.Score, imported}})
	}
	themeName := func(th string) string {
		if isms.KnownTheme(th) {
			return t(i18n.Key("awareness.theme." + th))
		}
		return th
	}
	rs := export.Sheet{Name: t("awp.export.reach_sheet"), Title: t("awp.export.reach_title", org.Name, reach.From.String(), reach.To.String(), reach.Threshold),
		Widths: []float64{28, 10}}
	rs.Header = []string{t("field.unit_id"), t("field.staff_count")}
	for _, th := range reach.Themes {
		rs.Header = append(rs.Header, themeName(th)+" · "+t("awp.reach.people"), themeName(th)+" · %")
		rs.Widths = append(rs.Widths, 14, 8)
	}
	row := func(name string, staff int, cells []isms.ReachCell) export.Row {
		out := []any{name, staff}
		for _, c := range cells {
			out = append(out, c.People, c.Percent)
		}
		return export.Row{Cells: out}
	}
	for _, u := range reach.Units {
		rs.Rows = append(rs.Rows, row(u.Unit.Name, u.Unit.StaffCount, u.Cells))
	}
	rs.Rows = append(rs.Rows, row(t("awp.reach.all_staff"), reach.TotalStaff, reach.Totals))
	return s.sendXLSX(w, "deltagelse-"+today+".xlsx", []export.Sheet{list, rs})
}
