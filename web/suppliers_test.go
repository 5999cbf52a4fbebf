package web_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ismsdk/isms"
)

// The supplier register's pages render in both languages; a supplier is
// made through the form with its dependencies, given an agreement and a
// supervision with remarks followed up; bad input names its field and
// writes nothing; a contributor edits only what it owns, a reader only
// reads, another organisation is refused; the spreadsheet has its three
// sheets; the dashboard shows the overdue supervision; the API does the
// same.
func TestSuppliersPagesAndSupervision(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	coord := e.member("coord@example.org", e.org, isms.RoleCoordinator)
	contrib := e.member("contrib@example.org", e.org, isms.RoleContributor)
	reader := e.member("reader@example.org", e.org, isms.RoleReader)
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	cb := e.login(coord.Email)
	esdh, err := e.db.CreateOverviewEntry(e.as(coord), e.org.ID, isms.OverviewEntryInput{Kind: isms.KindSystem, Name: "ESDH-system"})
	if err != nil {
		t.Fatal(err)
	}

	good := url.Values{"version": {"0"}, "name": {"Dokumentsystemer A/S"}, "cvr": {"12345674"}, "contact": {"support@dok.example"},
		"delivers": {"ESDH-system som SaaS"}, "criticality": {"critical"}, "status": {"active"}, "owner_id": {fmt.Sprint(coord.ID)},
		"dependencies": {fmt.Sprint(esdh.ID)}}
	bad := url.Values{}
	for k, v := range good {
		bad[k] = v
	}
	bad.Set("cvr", "12345678")
	if res := cb.post(o+"/suppliers", bad); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(res), `id="e-cvr"`) {
		t.Fatalf("bad CVR: %d", res.StatusCode)
	}
	if _, n, _ := e.db.Suppliers(e.as(coord), e.org.ID, isms.SupplierFilter{}); n != 0 {
		t.Fatalf("a refused supplier was stored: %d", n)
	}
	if res := cb.post(o+"/suppliers", good); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.StatusCode, body(res))
	}
	sups, _, _ := e.db.Suppliers(e.as(coord), e.org.ID, isms.SupplierFilter{})
	if len(sups) != 1 || len(sups[0].Dependencies) != 1 || sups[0].CVR != "12345674" {
		t.Fatalf("suppliers %+v", sups)
	}
	sup := sups[0]
	rec := fmt.Sprintf("%s/suppliers/%d", o, sup.ID)
	if res := cb.post(rec+"/agreements", url.Values{"kind": {"dpa"}, "title": {"Databehandleraftale 2024"}, "starts_on": {"2024-01-01"}, "ends_on": {"2023-01-01"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("agreement ending before start: %d", res.StatusCode)
	}
	if res := cb.post(rec+"/agreements", url.Values{"kind": {"dpa"}, "title": {"Databehandleraftale 2024"}, "starts_on": {"2024-01-01"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("agreement: %d", res.StatusCode)
	}
	if res := cb.post(rec+"/supervisions", url.Values{"version": {"0"}, "method": {"isae3402"}, "planned_on": {"2026-01-15"}, "done_on": {"2026-01-20"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(res), `id="e-result"`) {
		t.Fatalf("done without result: %d", res.StatusCode)
	}
	res := cb.post(rec+"/supervisions", url.Values{"version": {"0"}, "method": {"isae3402"}, "planned_on": {"2026-01-15"}, "done_on": {"2026-01-20"},
		"result": {"remarks"}, "period_from": {"2025-01-01"}, "period_to": {"2025-12-31"}, "findings": {"Logning mangler\r\nAdgangsgennemgang for sjælden"},
		"follow_up": {"Handlingsplan fra leverandøren"}, "follow_up_due": {"2026-03-01"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("supervision: %d %s", res.StatusCode, body(res))
	}
	svs, _ := e.db.Supervisions(e.as(coord), e.org.ID, sup.ID)
	if len(svs) != 1 || len(svs[0].Findings) != 2 || svs[0].Findings[0] != "Logning mangler" {
		t.Fatalf("supervisions %+v", svs)
	}
	sv := fmt.Sprintf("%s/supplier-supervisions/%d", o, svs[0].ID)
	// A planned supervision long past: the supplier is overdue.
	if _, err := e.db.CreateSupervision(e.as(coord), e.org.ID, sup.ID, isms.SupervisionInput{Method: isms.SupervisionAudit, PlannedOn: &isms.Date{Time: e.db.Now().AddDate(0, -1, 0)}}); err != nil {
		t.Fatal(err)
	}
	keys := regexp.MustCompile(`\b(sup|title|field|nav)\.[a-z_.]+\b`)
	cb.pagesRender(t, []string{o + "/suppliers", o + "/suppliers?criticality=critical&status=active&overdue=1&sort=-criticality", o + "/suppliers/new",
		rec, rec + "/edit", rec + "/supervisions/new", sv, sv + "/edit"}, keys)
	if html := body(cb.get(o + "/suppliers?overdue=1")); !strings.Contains(html, "Dokumentsystemer A/S") {
		t.Error("the overdue filter leaves out the overdue supplier")
	}
	if html := body(cb.get(o + "/suppliers?criticality=low")); strings.Contains(html, "Dokumentsystemer A/S") {
		t.Error("the criticality filter lets a critical supplier through")
	}
	if html := body(cb.get(o)); !strings.Contains(html, "Dokumentsystemer A/S") {
		t.Error("the dashboard does not show the overdue supervision")
	}

	// A contributor may not change a supplier another owns; a reader reads but changes nothing.
	kb := e.login(contrib.Email)
	edit := url.Values{}
	for k, v := range good {
		edit[k] = v
	}
	edit.Set("version", fmt.Sprint(sup.Version))
	if res := kb.post(rec, edit); res.StatusCode != http.StatusForbidden {
		t.Fatalf("contributor edits another's supplier: %d", res.StatusCode)
	}
	rb := e.login(reader.Email)
	if html := body(rb.get(rec)); strings.Contains(html, "/edit") || strings.Contains(html, "/agreements\"") || !strings.Contains(html, "Databehandleraftale 2024") {
		t.Error("a reader is offered changes, or does not see the agreement")
	}
	if res := rb.post(rec+"/supervisions", url.Values{"version": {"0"}, "method": {"audit"}, "planned_on": {"2026-06-01"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("reader plans supervision: %d", res.StatusCode)
	}

	// Another organisation is refused.
	other := mustOrgFor(t, e, "Anden kommune")
	e.member("outsider@example.org", other, isms.RoleCoordinator)
	ob := e.login("outsider@example.org")
	for _, p := range []string{rec, sv, fmt.Sprintf("/orgs/%d/suppliers/%d", other.ID, sup.ID), fmt.Sprintf("/orgs/%d/supplier-supervisions/%d", other.ID, svs[0].ID)} {
		if res := ob.get(p); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
			t.Errorf("another organisation read %s: %d", p, res.StatusCode)
		}
	}

	// The spreadsheet: suppliers, agreements and supervisions.
	rb.lang = "en"
	res = rb.get(o + "/suppliers/export.xlsx")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "suppliers.xlsx") {
		t.Fatalf("export: %d %v", res.StatusCode, res.Header)
	}
	data, _ := io.ReadAll(res.Body)
	res.Body.Close()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	for sheet, wants := range map[string][]string{"Suppliers": {"Dokumentsystemer A/S", "12345674", "Critical", "ESDH-system"},
		"Agreements": {"Databehandleraftale 2024", "Data processing agreement"}, "Supervisions": {"ISAE 3402 statement reviewed", "With remarks", "01-01-2025 31-12-2025", "Logning mangler"}} {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range wants {
			if !strings.Contains(fmt.Sprint(rows), want) {
				t.Errorf("sheet %s lacks %q: %v", sheet, want, rows)
			}
		}
	}

	// The API.
	tok := e.token(coord)
	api := fmt.Sprintf("/api/v1/organisations/%d/suppliers", e.org.ID)
	res, out := e.api(tok, "POST", api, map[string]any{"name": "Print og Post ApS", "criticality": "medium", "owner_id": coord.ID})
	if res.StatusCode != http.StatusCreated || out["status"] != "active" || out["next_supervision"] == nil {
		t.Fatalf("API create: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(tok, "POST", api, map[string]any{"name": "X", "criticality": "huge", "owner_id": coord.ID}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("API bad criticality: %d %v", res.StatusCode, out)
	}
	id := int64(out["id"].(float64))
	if res, out := e.api(tok, "POST", fmt.Sprintf("%s/%d/supervisions", api, id), map[string]any{"method": "questionnaire", "planned_on": "2026-09-01"}); res.StatusCode != http.StatusCreated {
		t.Fatalf("API supervision: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(tok, "GET", api+"?criticality=medium", nil); res.StatusCode != http.StatusOK || out["total"].(float64) != 1 {
		t.Fatalf("API list: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(tok, "GET", fmt.Sprintf("%s/%d/supervisions", api, id), nil); res.StatusCode != http.StatusOK || len(out["list"].([]any)) != 1 {
		t.Fatalf("API supervisions: %d %v", res.StatusCode, out)
	}
	otok := e.token(e.member("outsider2@example.org", other, isms.RoleCoordinator))
	if res, _ := e.api(otok, "GET", fmt.Sprintf("%s/%d", api, id), nil); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
		t.Fatalf("API another organisation: %d", res.StatusCode)
	}
}
