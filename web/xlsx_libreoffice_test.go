package web_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ismsdk/isms"
)

// The product's XLSX exports open in LibreOffice Calc: each workbook is
// converted with `soffice --headless --convert-to csv` (every sheet to a
// CSV file of its own, UTF-8) and its sheets must hold the expected
// headings and values, Danish letters intact. Without soffice the test
// skips, saying why; under CI=true it fails instead (.ci/run installs
// LibreOffice Calc).

// xlsxExport is one export to check: its path below the organisation, and
// per sheet (by name) the cells that must be in it.
type xlsxExport struct {
	name, path string
	want       map[string][]string
}

// libreOfficeExports are the exports checked; another export is one line
// more here (and its records in seedForExports).
var libreOfficeExports = []xlsxExport{
	{"objectives", "/objectives/export.xlsx", map[string][]string{"Sikkerhedsmål": {"Hvad skal opnås", "Hvordan det måles", "Færre klik på phishing-øvelser", "Andel der klikker, målt ved øvelsen", "%"}}},
	{"competence matrix", "/competence/matrix/export.xlsx", map[string][]string{
		"Kompetencematrix":  {"Kompetence", "Type", "Niveau", "Person", "Status", "Direktionen", "Håndtering af sikkerhedshændelser", "Opfyldt", "Mangler", "Gennemført kursus"},
		"Mangler og planer": {"Sikkerhedsrolle", "Kompetence", "Person", "Mangel siden", "Handling", "Frist", "Håndtering af sikkerhedshændelser", "Øvelse med beredskabet i ærøskøbing", "Åben"},
	}},
	{"internal audit", "/internal-audit/export.xlsx", map[string][]string{
		"Auditprogram": {"Audit", "Planlagt", "Ledende auditor", "Uafhængighed", "Gennemgang af årshjulet", "Revisor Østergård", "9.2, 9.3", "Uafhængig ekstern part"},
		"Fund":         {"Krav eller kontrol", "Dokumentation for fundet", "Mindre afvigelse", "Årshjulet mangler ejere", "Ingen ansvarlig på 3 af 12 aktiviteter"},
	}},
}

// seedForExports gives the organisation the records the exports show.
func seedForExports(t *testing.T, e *env, l *leadRecords) {
	t.Helper()
	ctx := e.as(l.coord)
	target, due := 5.0, isms.DateOf(time.Now()).AddDays(200)
	if _, err := e.db.CreateObjective(ctx, e.org.ID, isms.ObjectiveInput{Title: "Færre klik på phishing-øvelser", Measure: "Andel der klikker, målt ved øvelsen",
		TargetValue: &target, Unit: "%", DueDate: &due, OwnerID: &l.coord.ID, Plan: "Kampagne og øvelser hvert kvartal"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.CreateCompetenceNeed(ctx, e.org.ID, isms.CompetenceNeedInput{RoleID: &l.roles[0].ID, Subject: "Håndtering af sikkerhedshændelser",
		Kind: isms.CompetenceTraining, Level: isms.LevelBasic, RefreshMonths: 24}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.CreateCompetenceNeed(ctx, e.org.ID, isms.CompetenceNeedInput{RoleID: &l.roles[1].ID, Subject: "Håndtering af sikkerhedshændelser",
		Kind: isms.CompetenceTraining, Level: isms.LevelBasic}); err != nil {
		t.Fatal(err)
	}
	achieved := isms.DateOf(time.Now()).AddDays(-100)
	if _, err := e.db.CreateCompetence(ctx, e.org.ID, isms.CompetenceInput{UserID: l.mgmt.ID, Subject: "Håndtering af sikkerhedshændelser",
		Kind: isms.CompetenceTraining, Level: isms.LevelPractitioner, AchievedOn: &achieved}); err != nil {
		t.Fatal(err)
	}
	year := time.Now().Year()
	prog, err := e.db.CreateAuditProgramme(ctx, e.org.ID, isms.AuditProgrammeInput{Title: "Auditprogram for Ærø", FirstYear: year - 1, LastYear: year + 1})
	if err != nil {
		t.Fatal(err)
	}
	held := isms.DateOf(time.Now()).AddDays(-10)
	audit, err := e.db.CreateAudit(ctx, e.org.ID, isms.AuditInput{ProgrammeID: prog.ID, Title: "Gennemgang af årshjulet", Clauses: []string{"9.2", "9.3"},
		PlannedOn: &held, HeldFrom: &held, HeldTo: &held, OtherAuditors: "Revisor Østergård", Independence: isms.IndependenceExternal, IndependenceWhy: "Ekstern revisor"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.CreateAuditFinding(ctx, e.org.ID, audit.ID, isms.AuditFindingInput{Type: isms.FindingMinorNC, Ref: "9.2",
		Title: "Årshjulet mangler ejere", Evidence: "Ingen ansvarlig på 3 af 12 aktiviteter"}); err != nil {
		t.Fatal(err)
	}
	planDue := isms.DateOf(time.Now()).AddDays(45)
	roleNeeds, _ := e.db.CompetenceNeeds(ctx, e.org.ID)
	for _, n := range roleNeeds {
		if n.RoleID != nil && *n.RoleID == l.roles[1].ID {
			if _, err := e.db.CreateCompetencePlan(ctx, e.org.ID, isms.CompetencePlanInput{NeedID: n.ID, UserID: l.coord.ID,
				Action: "Øvelse med beredskabet i ærøskøbing", OwnerID: &l.coord.ID, DueOn: &planDue}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestXLSXExportsOpenInLibreOffice(t *testing.T) {
	t.Parallel()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("soffice (LibreOffice Calc) is missing under CI=true: .ci/run installs libreoffice-calc-nogui")
		}
		t.Skip("soffice (LibreOffice Calc) is not installed: the XLSX exports are not checked in LibreOffice")
	}
	e := newEnv(t)
	l := e.leadFill()
	seedForExports(t, e, l)
	b := e.login("coord@example.org")
	b.lang = "da"
	for _, x := range libreOfficeExports {
		t.Run(x.name, func(t *testing.T) {
			res := b.get(fmt.Sprintf("/orgs/%d%s", e.org.ID, x.path))
			data, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d", x.path, res.StatusCode)
			}
			sheets := libreOfficeSheets(t, soffice, data)
			for name, want := range x.want {
				cells, ok := sheets[name]
				if !ok {
					t.Fatalf("no sheet %q in %v", name, slices.Sorted(func(yield func(string) bool) {
						for k := range sheets {
							if !yield(k) {
								return
							}
						}
					}))
				}
				for _, w := range want {
					if !slices.Contains(cells, w) {
						t.Errorf("sheet %q has no cell %q; it has %q", name, w, cells)
					}
				}
			}
		})
	}
}

// libreOfficeSheets converts a workbook with LibreOffice, every sheet to
// a UTF-8 CSV file of its own, and returns each sheet's cells by the
// sheet's name. LibreOffice runs with a profile of its own in a temporary
// folder, so it neither needs nor touches the user's.
func libreOfficeSheets(t *testing.T, soffice string, xlsx []byte) map[string][]string {
	t.Helper()
	return libreOfficeCSV(t, soffice, xlsx, false)
}

// libreOfficeCSV converts as libreOfficeSheets does; with asShown, each
// cell as Calc shows it (a date in its number format) rather than in
// Calc's default format for its type.
func libreOfficeCSV(t *testing.T, soffice string, xlsx []byte, asShown bool) map[string][]string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "export.xlsx")
	if err := os.WriteFile(in, xlsx, 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "csv")
	// Field separator ",", text delimiter '"', UTF-8 (76), from row 1; the
	// last token (-1) writes every sheet as export-<sheet>.csv.
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,"+strconv.FormatBool(asShown)+",false,false,-1", "--outdir", out, in)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, msg)
	}
	files, err := filepath.Glob(filepath.Join(out, "export-*.csv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("soffice wrote no CSV: %v", err)
	}
	sheets := map[string][]string{}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "export-"), ".csv")
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(fh)
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		fh.Close()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, row := range rows {
			for _, c := range row {
				if c != "" {
					sheets[name] = append(sheets[name], c)
				}
			}
		}
	}
	return sheets
}

// xlsxExportPaths are every register's XLSX export below the organisation.
var xlsxExportPaths = []string{"/risks/export.xlsx", "/risk-plan.xlsx", "/soa/export.xlsx", "/incidents/export.xlsx", "/suppliers/export.xlsx",
	"/objectives/export.xlsx", "/indicators/export.xlsx", "/internal-audit/export.xlsx", "/nonconformities/export.xlsx", "/improvements/export.xlsx",
	"/resources/export.xlsx", "/competence/matrix/export.xlsx", "/awareness/participation/export.xlsx", "/awareness/acknowledgements/export.xlsx",
	"/communication/export.xlsx", "/documents/export.xlsx", "/wheel/export.xlsx"}

// dateAsText is a cell's text that is a date or a time written as text,
// as the exports wrote them before their cells were typed.
var dateAsText = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}|\d{2}-\d{2}-\d{4})( \d{2}:\d{2}( UTC)?)?$`)

// Every export's every sheet: the header row frozen below the title, an
// autofilter over the table from the header row, every column between 6
// and 80 characters wide, and no date or time written as text; the dates
// are date cells with the dd-mm-yyyy format, the times dd-mm-yyyy hh:mm.
func TestXLSXExportsAreTyped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.fill()
	l := e.leadFill()
	seedForExports(t, e, l)
	e.fillWheel(l.coord)
	b := e.login("coord@example.org")
	b.lang = "da"
	dates, times, numbers := 0, 0, 0
	for _, path := range xlsxExportPaths {
		res := b.get(fmt.Sprintf("/orgs/%d%s", e.org.ID, path))
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		filters := map[string]string{}
		for _, d := range f.GetDefinedName() {
			if d.Name == "_xlnm._FilterDatabase" {
				filters[d.Scope] = d.RefersTo
			}
		}
		for _, sh := range f.GetSheetList() {
			rows, err := f.GetRows(sh, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			header := 1
			if len(rows) > 0 && len(rows[0]) > 0 && (len(rows) < 2 || len(rows[1]) == 0) {
				header = 3 // a title, a blank row, then the header
			}
			panes, err := f.GetPanes(sh)
			if err != nil || !panes.Freeze || panes.YSplit != header || panes.TopLeftCell != fmt.Sprintf("A%d", header+1) {
				t.Errorf("%s %q: panes %+v (%v), want frozen below the header row %d", path, sh, panes, err, header)
			}
			if !regexp.MustCompile(fmt.Sprintf(`!\$A\$%d:\$[A-Z]+\$\d+$`, header)).MatchString(filters[sh]) {
				t.Errorf("%s %q: autofilter %q, want one from the header row %d", path, sh, filters[sh], header)
			}
			cols := 0
			for _, r := range rows {
				cols = max(cols, len(r))
			}
			for c := 1; c <= cols; c++ {
				name, _ := excelize.ColumnNumberToName(c)
				if w, _ := f.GetColWidth(sh, name); w < 6 || w > 80 {
					t.Errorf("%s %q: column %s is %v wide", path, sh, name, w)
				}
			}
			for r, row := range rows {
				for c, v := range row {
					if v == "" || r+1 <= header {
						continue
					}
					ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
					typ, _ := f.GetCellType(sh, ref)
					if typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
						if dateAsText.MatchString(v) {
							t.Errorf("%s %q %s: a date as text: %q", path, sh, ref, v)
						}
						continue
					}
					style, _ := f.GetCellStyle(sh, ref)
					st, _ := f.GetStyle(style)
					switch {
					case st != nil && st.CustomNumFmt != nil && *st.CustomNumFmt == "dd-mm-yyyy":
						dates++
					case st != nil && st.CustomNumFmt != nil && *st.CustomNumFmt == "dd-mm-yyyy hh:mm":
						times++
					default:
						numbers++
					}
				}
			}
		}
	}
	t.Logf("%d exports: %d date cells, %d date-time cells, %d numbers", len(xlsxExportPaths), dates, times, numbers)
	if dates < 10 || times < 1 || numbers < 10 {
		t.Errorf("too few typed cells to tell: %d dates, %d date-times, %d numbers", dates, times, numbers)
	}
}

// LibreOffice Calc reads the exports' date cells as dates: in its own
// format (flat ODS) the audit's day is a cell of value type date with the
// day as its value, and shown (in the CSV of what the cells show) as
// dd-mm-yyyy.
func TestXLSXDatesAreDatesInLibreOffice(t *testing.T) {
	t.Parallel()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("soffice (LibreOffice Calc) is missing under CI=true: .ci/run installs libreoffice-calc-nogui")
		}
		t.Skip("soffice (LibreOffice Calc) is not installed: the XLSX exports' dates are not checked in LibreOffice")
	}
	e := newEnv(t)
	l := e.leadFill()
	seedForExports(t, e, l)
	b := e.login("coord@example.org")
	b.lang = "da"
	res := b.get(fmt.Sprintf("/orgs/%d/internal-audit/export.xlsx", e.org.ID))
	data, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("export: %d", res.StatusCode)
	}
	held := isms.DateOf(time.Now()).AddDays(-10)
	dir := t.TempDir()
	in := filepath.Join(dir, "audit.xlsx")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "fods", "--outdir", dir, in)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, msg)
	}
	flat, err := os.ReadFile(filepath.Join(dir, "audit.fods"))
	if err != nil {
		t.Fatal(err)
	}
	// The planned day and the days held from and to are one cell repeated
	// three times in Calc's format.
	if want := `office:value-type="date" office:date-value="` + held.String() + `"`; !strings.Contains(string(flat), want) {
		t.Errorf("LibreOffice reads no cell as the date %s", held)
	}
	if strings.Contains(string(flat), `office:value-type="string" calcext:value-type="string"><text:p>`+held.String()) {
		t.Error("LibreOffice reads the date as text")
	}
	sheets := libreOfficeCSV(t, soffice, data, true)
	if shown := held.Format("02-01-2006"); !slices.Contains(sheets["Auditprogram"], shown) {
		t.Errorf("the audit's day is not shown as %s: %q", shown, sheets["Auditprogram"])
	}
}
