package web_test

import (
	"os"
	"strings"
	"testing"
)

// TestRecordPagesFollowOnePattern reads the record pages' templates and
// checks their order: the shared head first, the record's actions right
// under it and before the fields, the related records after the fields and
// the history last, so that a reader finds the same thing in the same
// place on every record.
func TestRecordPagesFollowOnePattern(t *testing.T) {
	pages := []string{"asset", "entry", "communication_entry", "competence_need", "competence_record", "competence_plan", "org_unit", "awareness_activity", "document", "document_version",
		"leadership_role", "leadership_forum", "leadership_meeting", "leadership_decision",
		"risk_risk", "risk_assessment", "soa_control", "soa_version", "wheel_activity",
		"wheel_occurrence", "scope", "risk_method", "user", "threat_form", "risk_task_form", "supplier", "supplier_supervision", "incident", "indicator",
		"audit_programme", "internal_audit", "audit_finding", "management_review"}
	for _, name := range pages {
		b, err := os.ReadFile("templates/" + name + ".html")
		if err != nil {
			t.Fatal(err)
		}
		// The page's content, without the blocks it gives the partials.
		content, _, _ := strings.Cut(string(b), "{{end}}\n\n{{define")
		content, _, _ = strings.Cut(content, "{{end}}\n\n{{/*")
		head := strings.Index(content, `{{template "record_head"`)
		if head < 0 {
			t.Errorf("%s: no record_head", name)
			continue
		}
		if strings.Contains(content, "<h1") || strings.Contains(content, `class="crumbs"`) {
			t.Errorf("%s: a heading or crumb of its own beside the record's head", name)
		}
		actions := strings.Index(content, `{{template "record_actions"`)
		if actions < 0 {
			actions = strings.Index(content, `class="actions record-actions"`)
		}
		facts := strings.Index(content, `<dl class="facts">`)
		if actions >= 0 && (actions < head || facts >= 0 && actions > facts) {
			t.Errorf("%s: the actions are not between the head and the fields", name)
		}
		history := strings.LastIndex(content, `{{template "history"`)
		if related := strings.Index(content, `{{template "related_head"`); related >= 0 && (related < facts || history >= 0 && related > history) {
			t.Errorf("%s: the related records are not between the fields and the history", name)
		}
		if history >= 0 && strings.Contains(content[history+1:], "{{template") {
			t.Errorf("%s: something follows the history", name)
		}
		if history < 0 && name != "document_version" {
			t.Errorf("%s: no history", name)
		}
	}
}
