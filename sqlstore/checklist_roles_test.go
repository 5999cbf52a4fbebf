package sqlstore_test

import (
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

func rolesAnswer(t *testing.T, db *sqlstore.DB, u *isms.User, orgID int64, q string) *isms.ChecklistAnswer {
	t.Helper()
	answers, err := db.Checklist(as(u), orgID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range answers {
		if a.QuestionID == q {
			return a
		}
	}
	t.Fatalf("no answer to %s", q)
	return nil
}

// TestRolesListAsDataAnswers24: without a roles document, the roles and
// matrix kept as data answer question 2.4: partly while unapproved, yes
// once management approves the current version, partly again after a
// change.
func TestRolesListAsDataAnswers24(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		org := mustOrg(t, db, "Roller som data")
		coord, mgmt := mustUser(t, db, "c@example.org"), mustUser(t, db, "m@example.org")
		mustMember(t, db, org, coord, isms.RoleCoordinator)
		mustMember(t, db, org, mgmt, isms.RoleManagement)
		if a := rolesAnswer(t, db, coord, org.ID, "2.4"); a.Status != isms.AnswerNo {
			t.Fatalf("empty: %s", a.Status)
		}
		roles, err := db.CreateSecurityRoles(as(coord), org.ID, []isms.SecurityRoleInput{{TemplateKey: "top_management", Name: "Direktionen", HolderIDs: []int64{mgmt.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		acts, err := db.CreateISMSActivities(as(coord), org.ID, []isms.ISMSActivityInput{{TemplateKey: "policy", Name: "Politik"}})
		if err != nil {
			t.Fatal(err)
		}
		if a := rolesAnswer(t, db, coord, org.ID, "2.4"); a.Status != isms.AnswerPartly {
			t.Fatalf("unapproved roles: %s", a.Status)
		}
		l, _ := db.RolesList(as(coord), org.ID)
		saved, err := db.SaveMatrix(as(coord), org.ID, isms.MatrixInput{Version: l.Version,
			Cells: []isms.MatrixCell{{ActivityID: acts[0].ID, RoleID: roles[0].ID, Value: isms.RACIAccountable}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ApproveRolesList(as(mgmt), org.ID, saved.Version); err != nil {
			t.Fatal(err)
		}
		if a := rolesAnswer(t, db, coord, org.ID, "2.4"); a.Status != isms.AnswerYes || a.Source != isms.SourceRecords {
			t.Fatalf("approved roles: %s %s", a.Status, a.Source)
		}
		if _, err := db.CreateISMSActivity(as(coord), org.ID, isms.ISMSActivityInput{Name: "Beredskab"}); err != nil {
			t.Fatal(err)
		}
		if a := rolesAnswer(t, db, coord, org.ID, "2.4"); a.Status != isms.AnswerPartly {
			t.Fatalf("changed after approval: %s", a.Status)
		}
	})
}
