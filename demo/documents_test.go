package demo_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/demo"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// The demo municipality answers the documentation questions of the
// checklist yes from its records: a management-approved policy and list of
// roles and responsibilities, the mandatory documentation approved, the
// form rules recorded and document control in place.
func TestFillAnswersTheDocumentationQuestions(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		d, err := demo.Fill(context.Background(), db, &bytes.Buffer{}, "")
		if err != nil {
			t.Fatal(err)
		}
		answers, err := db.Checklist(d.As(isms.RoleReader), d.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range answers {
			switch a.QuestionID {
			case "2.3", "2.4", "6.1", "6.3", "6.4":
				if a.Status != isms.AnswerYes || a.Source != isms.SourceRecords || len(a.Evidence) == 0 {
					t.Errorf("question %s: %s from %s, reasons %+v", a.QuestionID, a.Status, a.Source, a.Reasons)
				}
			}
		}

		reqs, err := db.DocumentationRequirements(d.As(isms.RoleReader), d.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range reqs {
			if q.Kind == "optional" && (q.Decision == "" || q.Reason == "") {
				t.Errorf("optional %s undecided", q.Key)
			}
			if q.Kind == "mandatory" && !q.Fulfilled {
				t.Errorf("mandatory %s not fulfilled", q.Key)
			}
		}
		docs, total, err := db.Documents(d.As(isms.RoleCoordinator), d.Org.ID, isms.DocumentFilter{Limit: 500})
		if err != nil || total < 15 {
			t.Fatalf("%d documents: %v", total, err)
		}
		mgmt := d.Users[isms.RoleManagement].ID
		for _, doc := range docs {
			if doc.Published == nil || doc.Classification == "" || doc.NextReview == nil || !d.Today.Before(*doc.NextReview) {
				t.Errorf("document %q incomplete: %+v", doc.Title, doc)
			}
			if doc.Kind == isms.DocInformationSecurityPolicy || doc.Kind == isms.DocRolesResponsibilities {
				vs, err := db.DocumentVersions(d.As(isms.RoleAuditor), d.Org.ID, doc.ID)
				if err != nil || len(vs) < 2 {
					t.Fatalf("%q versions: %d %v", doc.Title, len(vs), err)
				}
				pub := vs[0]
				if pub.State != isms.VersionPublished || len(pub.Approvals) != 1 || pub.Approvals[0].UserID != mgmt || pub.Approvals[0].SHA256 != pub.SHA256 {
					t.Errorf("%q published version %+v", doc.Title, pub)
				}
			}
		}
		// The secret contingency plan is hidden from readers.
		_, readerTotal, _ := db.Documents(d.As(isms.RoleReader), d.Org.ID, isms.DocumentFilter{Limit: 500})
		if readerTotal >= total {
			t.Errorf("reader sees %d of %d documents", readerTotal, total)
		}
		// The uploaded PDF passes its integrity check.
		pdfs, _, _ := db.Documents(d.As(isms.RoleCoordinator), d.Org.ID, isms.DocumentFilter{Kind: isms.DocSoA})
		if len(pdfs) != 1 {
			t.Fatalf("SoA documents: %d", len(pdfs))
		}
		c, err := db.DocumentContent(d.As(isms.RoleCoordinator), d.Org.ID, pdfs[0].ID, 1)
		if err != nil {
			t.Fatalf("SoA file: %v", err)
		}
		data, err := io.ReadAll(c.Body)
		c.Body.Close()
		if err != nil || c.MediaType != "application/pdf" || !bytes.HasPrefix(data, []byte("%PDF-")) {
			t.Fatalf("SoA file: %v", err)
		}
	})
}
