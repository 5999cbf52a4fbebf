package web_test

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

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
	dir := t.TempDir()
	in := filepath.Join(dir, "export.xlsx")
	if err := os.WriteFile(in, xlsx, 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "csv")
	// Field separator ",", text delimiter '"', UTF-8 (76), from row 1; the
	// last token (-1) writes every sheet as export-<sheet>.csv.
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir", out, in)
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
