package sqlstore_test

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"os"
	"testing"
	"time"

	"github.com/ismsdk/isms"
)

var compPeopleTables = []string{"competences"}

func TestCompetencesOfPeople(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Kompetencer")
		db.Now = func() time.Time { return time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC) }
		today := isms.DateOf(db.Now())
		doc, err := db.CreateDocument(as(f.coord), f.org.ID, isms.DocumentInput{Kind: isms.DocProcedure, Title: "Kursusbevis"})
		if err != nil {
			t.Fatal(err)
		}
		achieved, expires := today.AddDays(-400), today.AddDays(30)
		good := isms.CompetenceInput{UserID: f.reader.ID, Subject: "ISO 27001 Lead Implementer", Kind: isms.CompetenceCertification,
			Level: isms.LevelExpert, Provider: "PECB", AchievedOn: &achieved, ExpiresOn: &expires, EvidenceID: &doc.ID}

		other := newLeadFixture(t, db.DB, "AndreKompetencer")
		otherDoc, err := db.CreateDocument(as(other.coord), other.org.ID, isms.DocumentInput{Kind: isms.DocProcedure, Title: "Andet"})
		if err != nil {
			t.Fatal(err)
		}
		before := today.AddDays(-500)
		future := today.AddDays(3)
		for _, c := range []struct {
			name       string
			change     func(in *isms.CompetenceInput)
			field, key string
		}{
			{"no subject", func(in *isms.CompetenceInput) { in.Subject = "" }, "subject", "err.required"},
			{"bad kind", func(in *isms.CompetenceInput) { in.Kind = "hobby" }, "kind", "err.choice"},
			{"bad level", func(in *isms.CompetenceInput) { in.Level = "" }, "level", "err.required"},
			{"expires before achieved", func(in *isms.CompetenceInput) { in.ExpiresOn = &before }, "expires_on", "competence.err.expires_before_achieved"},
			{"achieved in the future", func(in *isms.CompetenceInput) { in.AchievedOn, in.ExpiresOn = &future, nil }, "achieved_on", "competence.err.achieved_future"},
			{"another organisation's document", func(in *isms.CompetenceInput) { in.EvidenceID = &otherDoc.ID }, "evidence_id", "err.unknown_reference"},
		} {
			in := good
			c.change(&in)
			leadUnchanged(t, db, f.org.ID, compPeopleTables, func() error {
				_, err := db.CreateCompetence(as(f.coord), f.org.ID, in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		outsider := good
		outsider.UserID = f.outside.ID
		_, err = db.CreateCompetence(as(f.coord), f.org.ID, outsider)
		leadWantField(t, err, "user_id", "err.not_member")

		// A reader records their own; a contributor may not record a reader's.
		mine, err := db.CreateCompetence(as(f.reader), f.org.ID, good)
		if err != nil || mine.UserName != f.reader.Name || mine.EvidenceTitle != "Kursusbevis" || !mine.ExpiresSoon(today) || mine.Expired(today) {
			t.Fatal(mine, err)
		}
		if mine.Expired(today.AddDays(31)) != true {
			t.Error("not expired after its expiry")
		}
		leadUnchanged(t, db, f.org.ID, compPeopleTables, func() error {
			_, err := db.CreateCompetence(as(f.contrib), f.org.ID, good)
			return err
		}, func(err error) { wantCode(t, err, isms.EForbidden) })
		// A reader cannot give theirs away or change another's.
		in := good
		in.UserID, in.Version = f.contrib.ID, mine.Version
		_, err = db.UpdateCompetence(as(f.reader), f.org.ID, mine.ID, in)
		wantCode(t, err, isms.EForbidden)
		wantCode(t, db.DeleteCompetence(as(f.contrib), f.org.ID, mine.ID, mine.Version), isms.EForbidden)
		// The coordinator records for anyone.
		coordFor, err := db.CreateCompetence(as(f.coord), f.org.ID, isms.CompetenceInput{UserID: f.contrib.ID, Subject: "GDPR",
			Kind: isms.CompetenceTraining, Level: isms.LevelBasic})
		if err != nil {
			t.Fatal(err)
		}
		if all, err := db.Competences(as(f.auditor), f.org.ID, 0); err != nil || len(all) != 2 {
			t.Fatalf("all %v %v", all, err)
		}
		if his, _ := db.Competences(as(f.auditor), f.org.ID, f.contrib.ID); len(his) != 1 || his[0].ID != coordFor.ID {
			t.Fatalf("one person's %v", his)
		}
		// Another organisation sees nothing.
		if _, err := db.Competence(as(other.coord), f.org.ID, mine.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("other org: %v", err)
		}
		if _, err := db.Competence(as(other.coord), other.org.ID, mine.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("other org through its own: %v", err)
		}
		// Stale versions are refused; changes are audited.
		in = good
		in.Level, in.Version = isms.LevelPractitioner, mine.Version
		up, err := db.UpdateCompetence(as(f.reader), f.org.ID, mine.ID, in)
		if err != nil || up.Level != isms.LevelPractitioner || up.Version != 2 {
			t.Fatal(up, err)
		}
		_, err = db.UpdateCompetence(as(f.reader), f.org.ID, mine.ID, in)
		wantCode(t, err, isms.EConflict)
		events, _, _ := db.AuditEvents(asSystem(), f.org.ID, isms.AuditFilter{RecordType: "competence", RecordID: mine.ID})
		if len(events) != 2 || events[0].Action != "update" || events[0].ActorID != f.reader.ID {
			t.Fatalf("audit %+v", events)
		}
		if err := db.DeleteCompetence(as(f.reader), f.org.ID, mine.ID, up.Version); err != nil {
			t.Fatal(err)
		}
	})
}

// Evidence uploaded with a competence becomes a document of the register
// (kind competence_records) holding the file, in the competence's one
// write; a bad file is refused with a field error and nothing is stored.
func TestCompetenceEvidenceUpload(t *testing.T) {
	t.Parallel()
	pdf, err := os.ReadFile("testdata/kursusbevis.pdf")
	if err != nil {
		t.Fatal(err)
	}
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Kursusbevis")
		ctx := as(f.coord)
		docCount := func() int {
			t.Helper()
			return int(db.int(t, "SELECT COUNT(*) FROM documents WHERE organisation_id = ?", f.org.ID))
		}
		compCount := func() int {
			t.Helper()
			cs, err := db.Competences(ctx, f.org.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			return len(cs)
		}
		docsBefore := docCount()
		in := func(name string, content []byte) isms.CompetenceInput {
			return isms.CompetenceInput{UserID: f.reader.ID, Subject: "GDPR og databeskyttelse", Kind: isms.CompetenceTraining, Level: isms.LevelBasic,
				EvidenceFile: &isms.EvidenceUpload{FileName: name, Content: content}}
		}
		for _, c := range []struct {
			name     string
			in       isms.CompetenceInput
			field    string
			key      string
			withDocs bool
		}{
			{"empty", in("bevis.pdf", nil), "evidence_file", "doc.err.file_empty", false},
			{"unknown type", in("bevis.exe", []byte("MZ\x90\x00")), "evidence_file", "competence.err.evidence_format", false},
			{"not what its name says", in("bevis.pdf", []byte("just some text, not a PDF")), "evidence_file", "doc.err.content_mismatch", false},
			{"bad classification", func() isms.CompetenceInput {
				x := in("bevis.pdf", pdf)
				x.EvidenceFile.Classification = isms.ClassSecret
				return x
			}(), "evidence_classification", "err.choice", false},
			{"both a document and a file", func() isms.CompetenceInput {
				x := in("bevis.pdf", pdf)
				one := int64(1)
				x.EvidenceID = &one
				return x
			}(), "evidence_file", "competence.err.evidence_both", false},
			{"the competence itself refused", func() isms.CompetenceInput {
				x := in("bevis.pdf", pdf)
				x.Subject = ""
				return x
			}(), "subject", "err.required", false},
		} {
			_, err := db.CreateCompetence(ctx, f.org.ID, c.in)
			leadWantField(t, err, c.field, c.key)
			if docCount() != docsBefore || compCount() != 0 {
				t.Fatalf("%s: something was stored", c.name)
			}
		}
		// The person records their own, with the real PDF.
		c, err := db.CreateCompetence(as(f.reader), f.org.ID, in("Kursusbevis GDPR.pdf", pdf))
		if err != nil {
			t.Fatal(err)
		}
		if c.EvidenceID == nil || c.EvidenceTitle != "GDPR og databeskyttelse – "+f.reader.Name || docCount() != docsBefore+1 {
			t.Fatalf("evidence: %+v", c)
		}
		d, err := db.Document(ctx, f.org.ID, *c.EvidenceID)
		if err != nil || d.Kind != isms.DocCompetenceRecords || d.Classification != isms.ClassInternal || d.OwnerID == nil || *d.OwnerID != f.reader.ID ||
			d.Published == nil || d.Published.Number != 1 || d.ReviewIntervalMonths != 12 || d.NextReview == nil || len(d.Approvers) != 1 ||
			d.Approvers[0].UserID != f.coord.ID {
			t.Fatalf("document %+v %v", d, err)
		}
		content, err := db.DocumentContent(ctx, f.org.ID, d.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(content.Body)
		content.Body.Close()
		if err != nil || !bytes.Equal(got, pdf) || content.MediaType != "application/pdf" || content.FileName != "Kursusbevis GDPR.pdf" {
			t.Fatalf("content: %d bytes, %s %s %v", len(got), content.MediaType, content.FileName, err)
		}
		// A later file replaces the link with a new document; the first
		// stays in the register as a record.
		up := in("bevis.png", nil)
		up.EvidenceFile.Content = pngBytes()
		up.EvidenceFile.Classification = isms.ClassConfidential
		up.Version = c.Version
		c2, err := db.UpdateCompetence(ctx, f.org.ID, c.ID, up)
		if err != nil || c2.EvidenceID == nil || *c2.EvidenceID == *c.EvidenceID || docCount() != docsBefore+2 {
			t.Fatalf("update with a new file: %+v %v", c2, err)
		}
		// Another organisation's coordinator cannot record here.
		other := newLeadFixture(t, db.DB, "AndetBevis")
		_, err = db.CreateCompetence(as(other.coord), f.org.ID, in("bevis.pdf", pdf))
		if code := isms.ErrorCode(err); code != isms.ENotFound && code != isms.EForbidden {
			t.Fatalf("other organisation: %v", err)
		}
	})
}

// pngBytes is a 1×1 PNG image.
func pngBytes() []byte {
	var b bytes.Buffer
	img := image.NewGray(image.Rect(0, 0, 1, 1))
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}
