package sqlstore_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
	"github.com/ismsdk/isms/sqlstore"
)

// docFixture is an organisation with one member in every role and a
// member of another organisation.
type docFixture struct {
	org, other                                   *isms.Organisation
	coord, contrib, mgmt, mgmt2, auditor, reader *isms.User
	admin, outsider                              *isms.User
}

func newDocFixture(t *testing.T, db *sqlstore.DB) *docFixture {
	t.Helper()
	f := &docFixture{org: mustOrg(t, db, "Dokumentkommune"), other: mustOrg(t, db, "Anden kommune")}
	for _, m := range []struct {
		u    **isms.User
		mail string
		role isms.Role
	}{{&f.admin, "admin@doc.example", isms.RoleAdministrator}, {&f.coord, "coord@doc.example", isms.RoleCoordinator},
		{&f.contrib, "contrib@doc.example", isms.RoleContributor}, {&f.mgmt, "mgmt@doc.example", isms.RoleManagement},
		{&f.mgmt2, "mgmt2@doc.example", isms.RoleManagement}, {&f.auditor, "auditor@doc.example", isms.RoleAuditor},
		{&f.reader, "reader@doc.example", isms.RoleReader}} {
		*m.u = mustUser(t, db, m.mail)
		mustMember(t, db, f.org, *m.u, m.role)
	}
	f.outsider = mustUser(t, db, "outsider@doc.example")
	mustMember(t, db, f.other, f.outsider, isms.RoleCoordinator)
	return f
}

func (f *docFixture) doc(t *testing.T, db *sqlstore.DB, in isms.DocumentInput) *isms.Document {
	t.Helper()
	if in.Kind == "" {
		in.Kind = isms.DocProcedure
	}
	if in.Title == "" {
		in.Title = "Procedure for adgangsstyring"
	}
	d, err := db.CreateDocument(as(f.coord), f.org.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func docSum(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

// readDocContent reads a version's content whole, as a download would.
func readDocContent(ctx context.Context, db *sqlstore.DB, orgID, docID int64, number int) (*isms.DocumentContent, []byte, error) {
	c, err := db.DocumentContent(ctx, orgID, docID, number)
	if err != nil {
		return nil, nil, err
	}
	defer c.Body.Close()
	data, err := io.ReadAll(c.Body)
	return c, data, err
}

// docPDF is the start of a genuine PDF file, enough for content sniffing.
var docPDF = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func docDOCX(t *testing.T) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, _ := z.Create("word/document.xml")
	w.Write([]byte("<w:document/>"))
	z.Close()
	return b.Bytes()
}

func docCountRows(t *testing.T, db *rawDB, table string) int64 {
	return db.int(t, "SELECT COUNT(*) FROM "+table)
}

func TestDocumentationRequirementsArePrefilled(t *testing.T) {
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newDocFixture(t, db.DB)
		reqs, err := db.DocumentationRequirements(as(f.reader), f.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		cat := catalog.DocumentationRequirements()
		if len(reqs) != len(cat) || len(cat) < 25 {
			t.Fatalf("%d rows, catalogue has %d", len(reqs), len(cat))
		}
		mandatory, optional := 0, 0
		for _, q := range reqs {
			switch q.Kind {
			case "mandatory":
				mandatory++
				if q.Clause2013 == "" || q.Clause2022 == "" {
					t.Errorf("mandatory %s lacks a clause: %+v", q.Key, q)
				}
			case "optional":
				optional++
				if q.AnnexA == "" || q.Clause2013 == "" {
					t.Errorf("optional %s lacks Annex A references: %+v", q.Key, q)
				}
			}
			if q.TitleDA == "" || q.TitleEN == "" {
				t.Errorf("%s lacks a title", q.Key)
			}
		}
		if mandatory != 11 || optional != 15 {
			t.Fatalf("%d mandatory, %d optional", mandatory, optional)
		}
		// Reading again adds nothing and is audited once.
		if _, err := db.DocumentationRequirements(as(f.coord), f.org.ID); err != nil {
			t.Fatal(err)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM documentation_requirements WHERE organisation_id = ?", f.org.ID); n != int64(len(cat)) {
			t.Fatalf("%d rows after a second read", n)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM audit_events WHERE organisation_id = ? AND action = 'doc_prefill' AND actor_name = 'system' AND actor_id = 0", f.org.ID); n != 1 {
			t.Fatalf("%d prefill events", n)
		}
		// The Statement of Applicability reads the optional rows by these
		// column names.
		if n := db.int(t, "SELECT COUNT(*) FROM documentation_requirements WHERE organisation_id = ? AND kind = 'optional' AND annex_a <> '' AND title_da <> '' AND title_en <> '' AND decision = '' AND reason = ''", f.org.ID); n != 15 {
			t.Fatalf("optional rows as the SoA reads them: %d", n)
		}
		// Another organisation cannot read them.
		if _, err := db.DocumentationRequirements(as(f.outsider), f.org.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("outsider: %v", err)
		}
	})
}

func TestDecideOptionalDocumentation(t *testing.T) {
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newDocFixture(t, db.DB)
		reqs, _ := db.DocumentationRequirements(as(f.coord), f.org.ID)
		var opt, man *isms.DocumentationRequirement
		for _, q := range reqs {
			if q.Kind == "optional" && opt == nil {
				opt = q
			}
			if q.Kind == "mandatory" && man == nil {
				man = q
			}
		}
		events := docCountRows(t, db, "audit_events")
		// Refusals store nothing.
		_, err := db.DecideDocumentationRequirement(as(f.coord), f.org.ID, opt.ID, isms.RequirementDecisionInput{Decision: "chosen", Version: opt.Version})
		wantCode(t, err, isms.EInvalid) // no reason
		_, err = db.DecideDocumentationRequirement(as(f.coord), f.org.ID, opt.ID, isms.RequirementDecisionInput{Decision: "maybe", Reason: "x", Version: opt.Version})
		wantCode(t, err, isms.EInvalid)
		_, err = db.DecideDocumentationRequirement(as(f.coord), f.org.ID, man.ID, isms.RequirementDecisionInput{Decision: "declined", Reason: "x", Version: man.Version})
		wantCode(t, err, isms.EInvalid)
		_, err = db.DecideDocumentationRequirement(as(f.contrib), f.org.ID, opt.ID, isms.RequirementDecisionInput{Decision: "chosen", Reason: "x", Version: opt.Version})
		wantCode(t, err, isms.EForbidden)
		_, err = db.DecideDocumentationRequirement(as(f.outsider), f.org.ID, opt.ID, isms.RequirementDecisionInput{Decision: "chosen", Reason: "x", Version: opt.Version})
		wantCode(t, err, isms.ENotFound)
		_, err = db.DecideDocumentationRequirement(as(f.coord), f.org.ID, opt.ID, isms.RequirementDecisionInput{Decision: "chosen", Reason: "x", Version: opt.Version + 1})
		wantCode(t, err, isms.EConflict)
		if got := docCountRows(t, db, "audit_events"); got != events {
			t.Fatalf("refusals wrote %d audit events", got-events)
		}
		q, err := db.DecideDocumentationRequirement(as(f.coord), f.org.ID, opt.ID, isms.RequirementDecisionInput{
			Decision: "declined", Reason: "Ingen egen systemudvikling; leverandørens ansvar", Version: opt.Version})
		if err != nil {
			t.Fatal(err)
		}
		if q.Decision != "declined" || q.DecidedBy != f.coord.Name || q.DecidedAt == nil || q.Version != opt.Version+1 {
			t.Fatalf("decision %+v", q)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM audit_events WHERE organisation_id = ? AND action = 'doc_decide' AND record_id = ?", f.org.ID, opt.ID); n != 1 {
			t.Fatalf("%d decide events", n)
		}
	})
}

func TestDocumentRolesAndIsolation(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newDocFixture(t, db)
		for _, u := range []*isms.User{f.reader, f.auditor, f.mgmt} {
			_, err := db.CreateDocument(as(u), f.org.ID, isms.DocumentInput{Kind: isms.DocProcedure, Title: "x"})
			wantCode(t, err, isms.EForbidden)
		}
		_, err := db.CreateDocument(as(f.outsider), f.org.ID, isms.DocumentInput{Kind: isms.DocProcedure, Title: "x"})
		wantCode(t, err, isms.ENotFound)
		// A contributor adds a document they own, not one owned by another.
		_, err = db.CreateDocument(as(f.contrib), f.org.ID, isms.DocumentInput{Kind: isms.DocProcedure, Title: "x", OwnerID: &f.coord.ID})
		wantCode(t, err, isms.EForbidden)
		own, err := db.CreateDocument(as(f.contrib), f.org.ID, isms.DocumentInput{Kind: isms.DocProcedure, Title: "Driftsprocedure", OwnerID: &f.contrib.ID})
		if err != nil {
			t.Fatal(err)
		}
		theirs := f.doc(t, db, isms.DocumentInput{OwnerID: &f.coord.ID})
		in := isms.DocumentInput{Kind: isms.DocProcedure, Title: "Ændret", OwnerID: &f.coord.ID, Version: theirs.Version}
		_, err = db.UpdateDocument(as(f.contrib), f.org.ID, theirs.ID, in)
		wantCode(t, err, isms.EForbidden)
		_, err = db.AddDocumentVersion(as(f.contrib), f.org.ID, theirs.ID, isms.VersionInput{Text: "x", Version: theirs.Version})
		wantCode(t, err, isms.EForbidden)
		if _, err := db.AddDocumentVersion(as(f.contrib), f.org.ID, own.ID, isms.VersionInput{Text: "# Procedure", Version: own.Version}); err != nil {
			t.Fatal(err)
		}
		// The other organisation's coordinator sees nothing of it.
		_, err = db.Document(as(f.outsider), f.org.ID, own.ID)
		wantCode(t, err, isms.ENotFound)
		_, err = db.Document(as(f.outsider), f.other.ID, own.ID)
		wantCode(t, err, isms.ENotFound)
		_, err = db.DocumentContent(as(f.outsider), f.other.ID, own.ID, 1)
		wantCode(t, err, isms.ENotFound)
		list, total, err := db.Documents(as(f.outsider), f.other.ID, isms.DocumentFilter{})
		if err != nil || total != 0 || len(list) != 0 {
			t.Fatalf("other organisation lists %d: %v", total, err)
		}
		// Stale version.
		in.Version = theirs.Version + 5
		_, err = db.UpdateDocument(as(f.coord), f.org.ID, theirs.ID, in)
		wantCode(t, err, isms.EConflict)
		again, _ := db.Document(as(f.coord), f.org.ID, theirs.ID)
		if again.Title != theirs.Title || again.Version != theirs.Version {
			t.Fatalf("stale update changed the document: %+v", again)
		}
	})
}

func TestClassificationDecidesWhoReads(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newDocFixture(t, db)
		secret := f.doc(t, db, isms.DocumentInput{Title: "Beredskabsplan, hemmelig del", Classification: isms.ClassSecret, OwnerID: &f.coord.ID})
		confidential := f.doc(t, db, isms.DocumentInput{Title: "Risikovurdering", Classification: isms.ClassConfidential, OwnerID: &f.coord.ID})
		internal := f.doc(t, db, isms.DocumentInput{Title: "Politik for adgangsstyring", Classification: isms.ClassInternal, Clause: "A.5.15"})
		ownSecret := f.doc(t, db, isms.DocumentInput{Title: "Systemejers hemmelige notat", Classification: isms.ClassSecret, OwnerID: &f.contrib.ID})
		approverSecret := f.doc(t, db, isms.DocumentInput{Title: "Revisionens hemmelige bilag", Classification: isms.ClassSecret, ApproverIDs: []int64{f.auditor.ID}})
		for _, d := range []*isms.Document{secret, confidential, internal} {
			if _, err := db.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{Text: "Indhold", Version: d.Version}); err != nil {
				t.Fatal(err)
			}
		}
		sees := map[*isms.User][]int64{
			f.admin:   {secret.ID, confidential.ID, internal.ID, ownSecret.ID, approverSecret.ID},
			f.coord:   {secret.ID, confidential.ID, internal.ID, ownSecret.ID, approverSecret.ID},
			f.mgmt:    {secret.ID, confidential.ID, internal.ID, ownSecret.ID, approverSecret.ID},
			f.contrib: {confidential.ID, internal.ID, ownSecret.ID},
			f.auditor: {confidential.ID, internal.ID, approverSecret.ID},
			f.reader:  {internal.ID},
		}
		all := []int64{secret.ID, confidential.ID, internal.ID, ownSecret.ID, approverSecret.ID}
		for u, want := range sees {
			list, total, err := db.Documents(as(u), f.org.ID, isms.DocumentFilter{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			if total != len(want) || len(list) != len(want) {
				t.Errorf("%s lists %d (total %d), want %d", u.Email, len(list), total, len(want))
			}
			for _, id := range all {
				_, err := db.Document(as(u), f.org.ID, id)
				canSee := false
				for _, w := range want {
					canSee = canSee || w == id
				}
				if canSee && err != nil {
					t.Errorf("%s cannot read document %d: %v", u.Email, id, err)
				}
				if !canSee && isms.ErrorCode(err) != isms.ENotFound {
					t.Errorf("%s reads document %d it may not see: %v", u.Email, id, err)
				}
			}
		}
		_, err := db.DocumentContent(as(f.reader), f.org.ID, confidential.ID, 1)
		wantCode(t, err, isms.ENotFound)
		_, err = db.DocumentVersions(as(f.auditor), f.org.ID, secret.ID)
		wantCode(t, err, isms.ENotFound)
		if _, err := db.DocumentContent(as(f.auditor), f.org.ID, confidential.ID, 1); err != nil {
			t.Fatalf("auditor reads confidential: %v", err)
		}
		// Search covers title, owner, kind and clause.
		for q, want := range map[string]int{"adgangsstyring": 1, "procedure": 5, "5.15": 1, f.coord.Name: 2} {
			_, total, err := db.Documents(as(f.reader), f.org.ID, isms.DocumentFilter{Query: q})
			if err != nil {
				t.Fatal(err)
			}
			if q == "adgangsstyring" && total != want {
				t.Errorf("reader searching %q: %d", q, total)
			}
			_, total, _ = db.Documents(as(f.coord), f.org.ID, isms.DocumentFilter{Query: q})
			if q != "adgangsstyring" && total != want {
				t.Errorf("coordinator searching %q: %d, want %d", q, total, want)
			}
		}
	})
}

func TestVersionsFilesAndText(t *testing.T) {
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newDocFixture(t, db.DB)
		d := f.doc(t, db.DB, isms.DocumentInput{})
		v, err := db.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{FileName: `C:\Users\sl\Procedure.pdf`, Content: docPDF, ChangeNote: "Første udgave", Version: d.Version})
		if err != nil {
			t.Fatal(err)
		}
		if v.Number != 1 || v.State != isms.VersionDraft || v.Source != "file" || v.FileName != "Procedure.pdf" || v.MediaType != "application/pdf" ||
			v.Size != int64(len(docPDF)) || v.SHA256 != docSum(docPDF) || v.CreatedBy != f.coord.Name {
			t.Fatalf("version %+v", v)
		}
		c, data, err := readDocContent(as(f.reader), db.DB, f.org.ID, d.ID, 1)
		if err != nil || !bytes.Equal(data, docPDF) || c.MediaType != "application/pdf" || c.FileName != "Procedure.pdf" || c.Size != int64(len(docPDF)) {
			t.Fatalf("content %+v %v", c, err)
		}
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		if d.Current == nil || d.Current.Number != 1 || d.Current.State != isms.VersionDraft || d.Published != nil {
			t.Fatalf("document state %+v", d)
		}

		rows, events := docCountRows(t, db, "document_versions"), docCountRows(t, db, "audit_events")
		refuse := func(name string, in isms.VersionInput, code string) {
			t.Helper()
			_, err := db.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, in)
			if isms.ErrorCode(err) != code {
				t.Errorf("%s: %v, want %s", name, err, code)
			}
		}
		// One open version at a time.
		refuse("second open version", isms.VersionInput{Text: "x", Version: d.Version}, isms.EInvalid)
		if r, e := docCountRows(t, db, "document_versions"), docCountRows(t, db, "audit_events"); r != rows || e != events {
			t.Fatalf("a refused second open version stored %d rows and %d events", r-rows, e-events)
		}
		if _, err := db.TransitionDocumentVersion(as(f.coord), f.org.ID, d.ID, 1, isms.TransitionInput{Action: isms.TransitionWithdraw, Comment: "Forkert fil", Version: d.Version}); err != nil {
			t.Fatal(err)
		}
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		rows, events = docCountRows(t, db, "document_versions"), docCountRows(t, db, "audit_events")
		refuse("stale version", isms.VersionInput{Text: "x", Version: d.Version - 1}, isms.EConflict)
		refuse("executable", isms.VersionInput{FileName: "setup.exe", Content: []byte("MZ\x90\x00"), Version: d.Version}, isms.EInvalid)
		refuse("no extension", isms.VersionInput{FileName: "README", Content: []byte("tekst"), Version: d.Version}, isms.EInvalid)
		refuse("pdf that is a zip", isms.VersionInput{FileName: "politik.pdf", Content: docDOCX(t), Version: d.Version}, isms.EInvalid)
		refuse("docx that is html", isms.VersionInput{FileName: "politik.docx", Content: []byte("<html><script>alert(1)</script></html>"), Version: d.Version}, isms.EInvalid)
		refuse("empty file", isms.VersionInput{FileName: "tom.pdf", Content: nil, Version: d.Version}, isms.EInvalid)
		refuse("file and text", isms.VersionInput{FileName: "a.pdf", Content: docPDF, Text: "x", Version: d.Version}, isms.EInvalid)
		refuse("nothing", isms.VersionInput{Version: d.Version}, isms.EInvalid)
		refuse("bad utf-8 text", isms.VersionInput{Text: "\xff\xfe", Version: d.Version}, isms.EInvalid)
		_, err = db.AddDocumentVersion(as(f.reader), f.org.ID, d.ID, isms.VersionInput{Text: "x", Version: d.Version})
		wantCode(t, err, isms.EForbidden)
		if r, e := docCountRows(t, db, "document_versions"), docCountRows(t, db, "audit_events"); r != rows || e != events {
			t.Fatalf("refused versions stored %d rows and %d events", r-rows, e-events)
		}
		// A Word file and a text version.
		w, err := db.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{FileName: "Procedure.DOCX", Content: docDOCX(t), Version: d.Version})
		if err != nil || w.Number != 2 || w.MediaType != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
			t.Fatalf("docx: %+v %v", w, err)
		}
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		db.TransitionDocumentVersion(as(f.coord), f.org.ID, d.ID, 2, isms.TransitionInput{Action: isms.TransitionWithdraw, Comment: "x", Version: d.Version})
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		text := "# Procedure\n\n<script>alert('x')</script> er bare tekst."
		tv, err := db.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{Text: text, Version: d.Version})
		if err != nil || tv.Number != 3 || tv.Source != "text" || tv.SHA256 != docSum([]byte(text)) {
			t.Fatalf("text: %+v %v", tv, err)
		}
		got, err := db.DocumentVersion(as(f.reader), f.org.ID, d.ID, 3)
		if err != nil || got.Text != text {
			t.Fatalf("text version read back: %+v %v", got, err)
		}
		c, data, err = readDocContent(as(f.reader), db.DB, f.org.ID, d.ID, 3)
		if err != nil || string(data) != text || c.FileName != "Procedure-for-adgangsstyring-v3.md" {
			t.Fatalf("text content %+v %v", c, err)
		}
		// Old versions stay readable.
		if _, data, err := readDocContent(as(f.reader), db.DB, f.org.ID, d.ID, 1); err != nil || !bytes.Equal(data, docPDF) {
			t.Fatalf("old version: %v", err)
		}
		vs, err := db.DocumentVersions(as(f.reader), f.org.ID, d.ID)
		if err != nil || len(vs) != 3 || vs[0].Number != 3 || vs[2].State != isms.VersionWithdrawn || vs[2].CloseComment != "Forkert fil" {
			t.Fatalf("versions %+v %v", vs, err)
		}
	})
}

func TestIntegrityIsCheckedOnEveryRead(t *testing.T) {
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newDocFixture(t, db.DB)
		d := f.doc(t, db.DB, isms.DocumentInput{})
		if _, err := db.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{FileName: "p.pdf", Content: docPDF, Version: d.Version}); err != nil {
			t.Fatal(err)
		}
		tampered := append([]byte(nil), docPDF...)
		tampered[10] = 'X'
		db.exec(t, "UPDATE document_chunks SET data = ? WHERE version_id IN (SELECT id FROM document_versions WHERE document_id = ?)", tampered, d.ID)
		_, err := db.DocumentContent(as(f.coord), f.org.ID, d.ID, 1)
		wantCode(t, err, isms.EInternal)
		if e := isms.AsError(err); e == nil || e.Key != "doc.err.integrity" {
			t.Fatalf("integrity error: %v", err)
		}
	})
}

// approvedDoc takes a document through submit, approval by every
// approver and publication.
func docApprove(t *testing.T, db *sqlstore.DB, f *docFixture, d *isms.Document, n int, approvers ...*isms.User) *isms.DocumentVersion {
	t.Helper()
	d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
	v, err := db.TransitionDocumentVersion(as(f.coord), f.org.ID, d.ID, n, isms.TransitionInput{Action: isms.TransitionSubmit, Version: d.Version})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range approvers {
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		if v, err = db.TransitionDocumentVersion(as(u), f.org.ID, d.ID, n, isms.TransitionInput{Action: isms.TransitionApprove, SHA256: v.SHA256, Version: d.Version}); err != nil {
			t.Fatal(err)
		}
	}
	return v
}

func TestReviewApprovalAndPublication(t *testing.T) {
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newDocFixture(t, db.DB)
		// The policy's approvers must hold the management role.
		_, err := db.CreateDocument(as(f.coord), f.org.ID, isms.DocumentInput{Kind: isms.DocInformationSecurityPolicy, Title: "Politik",
			ApproverIDs: []int64{f.coord.ID}})
		if e := isms.AsError(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Key != "doc.err.approver_not_management" {
			t.Fatalf("coordinator as policy approver: %v", err)
		}
		_, err = db.CreateDocument(as(f.coord), f.org.ID, isms.DocumentInput{Kind: isms.DocProcedure, Title: "x", ApproverIDs: []int64{f.outsider.ID}})
		wantCode(t, err, isms.EInvalid)
		d := f.doc(t, db.DB, isms.DocumentInput{Kind: isms.DocInformationSecurityPolicy, Title: "Informationssikkerhedspolitik",
			ApproverIDs: []int64{f.mgmt.ID, f.mgmt2.ID}, ReviewIntervalMonths: 12, Classification: isms.ClassPublic, OwnerID: &f.coord.ID})
		v1, err := db.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{Text: "Politikken v1", Version: d.Version})
		if err != nil {
			t.Fatal(err)
		}
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		// Nothing but a draft can be approved, and only after submission.
		_, err = db.TransitionDocumentVersion(as(f.mgmt), f.org.ID, d.ID, 1, isms.TransitionInput{Action: isms.TransitionApprove, Version: d.Version})
		wantCode(t, err, isms.EInvalid)
		_, err = db.TransitionDocumentVersion(as(f.coord), f.org.ID, d.ID, 1, isms.TransitionInput{Action: isms.TransitionPublish, Version: d.Version})
		wantCode(t, err, isms.EInvalid)
		_, err = db.TransitionDocumentVersion(as(f.mgmt), f.org.ID, d.ID, 1, isms.TransitionInput{Action: isms.TransitionSubmit, Version: d.Version})
		wantCode(t, err, isms.EForbidden)
		v, err := db.TransitionDocumentVersion(as(f.coord), f.org.ID, d.ID, 1, isms.TransitionInput{Action: isms.TransitionSubmit, Version: d.Version})
		if err != nil || v.State != isms.VersionInReview || v.SubmittedAt == nil {
			t.Fatalf("submit: %+v %v", v, err)
		}
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		approvals, events := docCountRows(t, db, "document_approvals"), docCountRows(t, db, "audit_events")
		for name, c := range map[string]struct {
			u    *isms.User
			in   isms.TransitionInput
			code string
		}{
			"coordinator not named":     {f.coord, isms.TransitionInput{Action: isms.TransitionApprove, Version: d.Version}, isms.EForbidden},
			"auditor not named":         {f.auditor, isms.TransitionInput{Action: isms.TransitionApprove, Version: d.Version}, isms.EForbidden},
			"outsider":                  {f.outsider, isms.TransitionInput{Action: isms.TransitionApprove, Version: d.Version}, isms.ENotFound},
			"stale version":             {f.mgmt, isms.TransitionInput{Action: isms.TransitionApprove, Version: d.Version - 1}, isms.EConflict},
			"other content":             {f.mgmt, isms.TransitionInput{Action: isms.TransitionApprove, SHA256: docSum([]byte("andet")), Version: d.Version}, isms.EConflict},
			"send back without comment": {f.mgmt, isms.TransitionInput{Action: isms.TransitionSendBack, Version: d.Version}, isms.EInvalid},
			"unknown action":            {f.mgmt, isms.TransitionInput{Action: "sign", Version: d.Version}, isms.EInvalid},
		} {
			_, err := db.TransitionDocumentVersion(as(c.u), f.org.ID, d.ID, 1, c.in)
			if isms.ErrorCode(err) != c.code {
				t.Errorf("%s: %v, want %s", name, err, c.code)
			}
		}
		if a, e := docCountRows(t, db, "document_approvals"), docCountRows(t, db, "audit_events"); a != approvals || e != events {
			t.Fatalf("refused approvals stored %d approvals and %d events", a-approvals, e-events)
		}
		// A named approver who has lost the management role may not
		// approve the policy.
		db.exec(t, "UPDATE memberships SET role = 'coordinator' WHERE user_id = ?", f.mgmt2.ID)
		_, err = db.TransitionDocumentVersion(as(f.mgmt2), f.org.ID, d.ID, 1, isms.TransitionInput{Action: isms.TransitionApprove, SHA256: v1.SHA256, Version: d.Version})
		wantCode(t, err, isms.EForbidden)
		db.exec(t, "UPDATE memberships SET role = 'management' WHERE user_id = ?", f.mgmt2.ID)
		// First approval: still in review until every approver has approved.
		v, err = db.TransitionDocumentVersion(as(f.mgmt), f.org.ID, d.ID, 1, isms.TransitionInput{Action: isms.TransitionApprove, SHA256: v1.SHA256, Version: d.Version})
		if err != nil || v.State != isms.VersionInReview || len(v.Approvals) != 1 || v.Approvals[0].SHA256 != v1.SHA256 || v.Approvals[0].Role != isms.RoleManagement {
			t.Fatalf("first approval: %+v %v", v, err)
		}
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		_, err = db.TransitionDocumentVersion(as(f.mgmt), f.org.ID, d.ID, 1, isms.TransitionInput{Action: isms.TransitionApprove, Version: d.Version})
		wantCode(t, err, isms.EConflict) // twice
		v, err = db.TransitionDocumentVersion(as(f.mgmt2), f.org.ID, d.ID, 1, isms.TransitionInput{Action: isms.TransitionApprove, SHA256: v1.SHA256, Version: d.Version})
		if err != nil || v.State != isms.VersionApproved || v.ApprovedAt == nil {
			t.Fatalf("second approval: %+v %v", v, err)
		}
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		v, err = db.TransitionDocumentVersion(as(f.coord), f.org.ID, d.ID, 1, isms.TransitionInput{Action: isms.TransitionPublish, Version: d.Version})
		if err != nil || v.State != isms.VersionPublished || v.PublishedBy != f.coord.Name {
			t.Fatalf("publish: %+v %v", v, err)
		}
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		today := isms.DateOf(db.Now())
		if d.Published == nil || d.Published.Number != 1 || d.NextReview == nil || d.NextReview.Before(today.AddDays(360)) {
			t.Fatalf("published document %+v", d)
		}
		// Version 2 is sent back, version 3 supersedes version 1.
		db.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{Text: "Politikken v2", Version: d.Version})
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		db.TransitionDocumentVersion(as(f.coord), f.org.ID, d.ID, 2, isms.TransitionInput{Action: isms.TransitionSubmit, Version: d.Version})
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		v, err = db.TransitionDocumentVersion(as(f.mgmt2), f.org.ID, d.ID, 2, isms.TransitionInput{Action: isms.TransitionSendBack, Comment: "Afsnit 3 mangler", Version: d.Version})
		if err != nil || v.State != isms.VersionReturned || v.CloseComment != "Afsnit 3 mangler" || v.ClosedAt == nil {
			t.Fatalf("send back: %+v %v", v, err)
		}
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		db.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{Text: "Politikken v3", Version: d.Version})
		docApprove(t, db.DB, f, d, 3, f.mgmt, f.mgmt2)
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		if _, err := db.TransitionDocumentVersion(as(f.coord), f.org.ID, d.ID, 3, isms.TransitionInput{Action: isms.TransitionPublish, Version: d.Version}); err != nil {
			t.Fatal(err)
		}
		vs, _ := db.DocumentVersions(as(f.coord), f.org.ID, d.ID)
		states := []isms.VersionState{vs[0].State, vs[1].State, vs[2].State}
		if states[0] != isms.VersionPublished || states[1] != isms.VersionReturned || states[2] != isms.VersionSuperseded || vs[2].ClosedAt == nil {
			t.Fatalf("states %v", states)
		}
		// Withdrawing needs a reason.
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		_, err = db.TransitionDocumentVersion(as(f.coord), f.org.ID, d.ID, 3, isms.TransitionInput{Action: isms.TransitionWithdraw, Version: d.Version})
		wantCode(t, err, isms.EInvalid)
		// The audit trail tells the whole story on the document.
		for _, action := range []string{"create", "doc_add_version", "doc_submit", "approve", "doc_publish", "doc_send_back"} {
			if n := db.int(t, "SELECT COUNT(*) FROM audit_events WHERE record_type = 'document' AND record_id = ? AND action = ?", d.ID, action); n == 0 {
				t.Errorf("no %s event", action)
			}
		}
		if _, breaks, err := db.VerifyAudit(asSystem()); err != nil || len(breaks) > 0 {
			t.Fatalf("audit chain: %v %v", breaks, err)
		}
	})
}

func TestFormRulesAreEnforced(t *testing.T) {
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newDocFixture(t, db.DB)
		_, err := db.SaveDocumentFormRules(as(f.contrib), f.org.ID, isms.DocumentFormRulesInput{NamingStandard: "x"})
		wantCode(t, err, isms.EForbidden)
		for name, in := range map[string]isms.DocumentFormRulesInput{
			"bad regexp":    {NamingPattern: "^ISMS-(["},
			"unknown field": {RequiredMetadata: []string{"colour"}},
			"bad extension": {AcceptedFormats: []string{"p df"}},
		} {
			_, err := db.SaveDocumentFormRules(as(f.coord), f.org.ID, in)
			if isms.ErrorCode(err) != isms.EInvalid {
				t.Errorf("%s: %v", name, err)
			}
		}
		if n := docCountRows(t, db, "document_form_rules"); n != 0 {
			t.Fatalf("refused rules stored %d rows", n)
		}
		r, err := db.SaveDocumentFormRules(as(f.coord), f.org.ID, isms.DocumentFormRulesInput{NamingStandard: "ISMS-nnn Titel",
			NamingPattern: "ISMS-### *", FormatStandard: "Dansk, kommunens skabelon", MediaStandard: "Elektronisk i ISMS'et",
			RequiredMetadata: []string{"owner", "classification", "approvers"}, AcceptedFormats: []string{".PDF", "docx", "pdf"}})
		if err != nil || r.Version != 1 || len(r.AcceptedFormats) != 2 || r.AcceptedFormats[0] != "pdf" {
			t.Fatalf("rules %+v %v", r, err)
		}
		_, err = db.SaveDocumentFormRules(as(f.coord), f.org.ID, isms.DocumentFormRulesInput{NamingStandard: "y"})
		wantCode(t, err, isms.EConflict)

		docs := docCountRows(t, db, "documents")
		_, err = db.CreateDocument(as(f.coord), f.org.ID, isms.DocumentInput{Kind: isms.DocProcedure, Title: "Procedure for backup",
			OwnerID: &f.coord.ID, Classification: isms.ClassInternal, ApproverIDs: []int64{f.mgmt.ID}})
		e := isms.AsError(err)
		if e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "title" || e.Fields[0].Key != "doc.err.naming" {
			t.Fatalf("naming: %v", err)
		}
		_, err = db.CreateDocument(as(f.coord), f.org.ID, isms.DocumentInput{Kind: isms.DocProcedure, Title: "ISMS-012 Procedure for backup"})
		e = isms.AsError(err)
		if e == nil || len(e.Fields) != 3 {
			t.Fatalf("required metadata: %v", err)
		}
		for _, fe := range e.Fields {
			if fe.Key != "doc.err.required_by_rules" {
				t.Errorf("field %s: %s", fe.Field, fe.Key)
			}
		}
		if n := docCountRows(t, db, "documents"); n != docs {
			t.Fatalf("refused documents stored %d rows", n-docs)
		}
		d, err := db.CreateDocument(as(f.coord), f.org.ID, isms.DocumentInput{Kind: isms.DocProcedure, Title: "ISMS-012 Procedure for backup",
			OwnerID: &f.coord.ID, Classification: isms.ClassInternal, ApproverIDs: []int64{f.mgmt.ID}})
		if err != nil {
			t.Fatal(err)
		}
		// Only the accepted formats; docx is accepted and sniffed.
		_, err = db.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{FileName: "notat.odt", Content: docDOCX(t), Version: d.Version})
		if e := isms.AsError(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Key != "doc.err.format_refused" {
			t.Fatalf("odt refused: %v", err)
		}
		if _, err := db.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{FileName: "ISMS-012.docx", Content: docDOCX(t), Version: d.Version}); err != nil {
			t.Fatal(err)
		}
		// Rules tightened after the document was saved apply when its
		// version is sent for review.
		if _, err := db.SaveDocumentFormRules(as(f.coord), f.org.ID, isms.DocumentFormRulesInput{NamingPattern: r.NamingPattern, FormatStandard: r.FormatStandard,
			MediaStandard: r.MediaStandard, RequiredMetadata: []string{"owner", "storage_location"}, AcceptedFormats: r.AcceptedFormats, Version: r.Version}); err != nil {
			t.Fatal(err)
		}
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		_, err = db.TransitionDocumentVersion(as(f.coord), f.org.ID, d.ID, 1, isms.TransitionInput{Action: isms.TransitionSubmit, Version: d.Version})
		if e := isms.AsError(err); e == nil || e.Key != "doc.err.rules_not_met" || len(e.Fields) != 1 || e.Fields[0].Field != "storage_location" {
			t.Fatalf("submit against tightened rules: %v", err)
		}
	})
}

func TestRetentionAndDeletion(t *testing.T) {
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newDocFixture(t, db.DB)
		start := time.Date(2026, 1, 31, 10, 0, 0, 0, time.UTC)
		now := start
		db.Now = func() time.Time { return now }
		d := f.doc(t, db.DB, isms.DocumentInput{ApproverIDs: []int64{f.mgmt.ID}})
		db.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{FileName: "v1.pdf", Content: docPDF, Version: d.Version})
		docApprove(t, db.DB, f, d, 1, f.mgmt)
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		db.TransitionDocumentVersion(as(f.coord), f.org.ID, d.ID, 1, isms.TransitionInput{Action: isms.TransitionPublish, Version: d.Version})
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		db.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{Text: "v2", Version: d.Version})
		docApprove(t, db.DB, f, d, 2, f.mgmt)
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		db.TransitionDocumentVersion(as(f.coord), f.org.ID, d.ID, 2, isms.TransitionInput{Action: isms.TransitionPublish, Version: d.Version})

		// Without a rule nothing is due.
		if q, err := db.DeletionQueue(as(f.coord), f.org.ID); err != nil || len(q) != 0 {
			t.Fatalf("queue without rule: %v %v", q, err)
		}
		_, err := db.SaveRetentionRule(as(f.coord), f.org.ID, isms.RetentionRuleInput{Kind: isms.DocProcedure, RetentionMonths: 0, DeletionProcedure: "x"})
		wantCode(t, err, isms.EInvalid)
		_, err = db.SaveRetentionRule(as(f.coord), f.org.ID, isms.RetentionRuleInput{Kind: isms.DocProcedure, RetentionMonths: 1})
		wantCode(t, err, isms.EInvalid)
		_, err = db.SaveRetentionRule(as(f.contrib), f.org.ID, isms.RetentionRuleInput{Kind: isms.DocProcedure, RetentionMonths: 1, DeletionProcedure: "x"})
		wantCode(t, err, isms.EForbidden)
		r, err := db.SaveRetentionRule(as(f.coord), f.org.ID, isms.RetentionRuleInput{Kind: isms.DocProcedure, RetentionMonths: 1,
			DeletionProcedure: "Slettes i ISMS'et; papirkopier makuleres"})
		if err != nil || r.Version != 1 {
			t.Fatalf("rule %+v %v", r, err)
		}
		_, err = db.SaveRetentionRule(as(f.coord), f.org.ID, isms.RetentionRuleInput{Kind: isms.DocProcedure, RetentionMonths: 2, DeletionProcedure: "x"})
		wantCode(t, err, isms.EConflict)
		rules, _ := db.RetentionRules(as(f.reader), f.org.ID)
		if len(rules) != len(isms.DocumentKinds) {
			t.Fatalf("%d rules listed", len(rules))
		}

		// 31 January + 1 month is 28 February: not due on the 27th.
		now = time.Date(2026, 2, 27, 10, 0, 0, 0, time.UTC)
		if q, _ := db.DeletionQueue(as(f.coord), f.org.ID); len(q) != 0 {
			t.Fatalf("due too early: %+v", q)
		}
		err = db.DeleteDocumentContent(as(f.coord), f.org.ID, d.ID, 1)
		wantCode(t, err, isms.EInvalid)
		now = time.Date(2026, 2, 28, 10, 0, 0, 0, time.UTC)
		q, err := db.DeletionQueue(as(f.coord), f.org.ID)
		if err != nil || len(q) != 1 || q[0].Number != 1 || q[0].State != isms.VersionSuperseded || q[0].DueAt.String() != "2026-02-28" {
			t.Fatalf("queue %+v %v", q, err)
		}
		// The published version is never due; only a coordinator deletes.
		wantCode(t, db.DeleteDocumentContent(as(f.coord), f.org.ID, d.ID, 2), isms.EInvalid)
		wantCode(t, db.DeleteDocumentContent(as(f.contrib), f.org.ID, d.ID, 1), isms.EForbidden)
		wantCode(t, db.DeleteDocumentContent(as(f.outsider), f.org.ID, d.ID, 1), isms.ENotFound)
		if err := db.DeleteDocumentContent(as(f.coord), f.org.ID, d.ID, 1); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.DeleteDocumentContent(as(f.coord), f.org.ID, d.ID, 1), isms.EConflict)
		if n := db.int(t, "SELECT COUNT(*) FROM document_versions WHERE document_id = ? AND number = 1 AND content IS NULL AND text_content IS NULL AND content_deleted_at IS NOT NULL", d.ID); n != 1 {
			t.Fatal("content not removed")
		}
		_, err = db.DocumentContent(as(f.coord), f.org.ID, d.ID, 1)
		wantCode(t, err, isms.ENotFound)
		v, _ := db.DocumentVersion(as(f.coord), f.org.ID, d.ID, 1)
		if v.ContentDeleted == nil || v.DeletedBy != f.coord.Name || v.SHA256 != docSum(docPDF) || v.DeletionRule == "" {
			t.Fatalf("deleted version %+v", v)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'delete_content' AND record_id = ? AND actor_id = ? AND after_json LIKE '%Slettes%'", d.ID, f.coord.ID); n != 1 {
			t.Fatalf("%d deletion records", n)
		}
		if q, _ := db.DeletionQueue(as(f.coord), f.org.ID); len(q) != 0 {
			t.Fatalf("queue after deletion %+v", q)
		}
	})
}

func TestDocumentReviewsInCalendarAndTopics(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newDocFixture(t, db)
		d := f.doc(t, db, isms.DocumentInput{Kind: isms.DocInformationSecurityPolicy, Title: "Informationssikkerhedspolitik",
			ApproverIDs: []int64{f.mgmt.ID}, ReviewIntervalMonths: 12})
		db.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{Text: "Politik", Version: d.Version})
		docApprove(t, db, f, d, 1, f.mgmt)
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		if _, err := db.TransitionDocumentVersion(as(f.coord), f.org.ID, d.ID, 1, isms.TransitionInput{Action: isms.TransitionPublish, Version: d.Version}); err != nil {
			t.Fatal(err)
		}
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		today := isms.DateOf(db.Now())
		items, err := db.ScheduledItems(as(f.reader), f.org.ID, today, today.AddDays(400))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, it := range items {
			if it.Kind == "doc.schedule_review" && it.Evidence.RecordID == d.ID && it.Day == *d.NextReview {
				found = true
			}
		}
		if !found {
			t.Fatalf("review not in the calendar: %+v", items)
		}
		topics, err := db.ManagementTopicStatus(as(f.reader), f.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range topics {
			if st.Topic == "policies" && (st.Last == nil || st.Next == nil) {
				t.Fatalf("policies topic %+v", st)
			}
		}
		// Recording a review moves the next review on from today.
		before := *d.NextReview
		db.Now = func() time.Time { return time.Now().UTC().AddDate(0, 2, 0) }
		d, err = db.RecordDocumentReview(as(f.coord), f.org.ID, d.ID, d.Version)
		if err != nil || !before.Before(*d.NextReview) {
			t.Fatalf("review: %+v %v", d, err)
		}
		_, err = db.RecordDocumentReview(as(f.reader), f.org.ID, d.ID, d.Version)
		wantCode(t, err, isms.EForbidden)
	})
}

// A secret document's review is in everyone's calendar, but only those who
// may read it see its title.
func TestRestrictedTitlesStayOutOfCalendars(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newDocFixture(t, db)
		next := isms.DateOf(db.Now()).AddDays(20)
		d := f.doc(t, db, isms.DocumentInput{Title: "Nødkonti og adgangskoder", Classification: isms.ClassSecret, NextReview: &next, ReviewIntervalMonths: 12})
		today := isms.DateOf(db.Now())
		for u, want := range map[*isms.User]string{f.coord: d.Title, f.reader: "", f.auditor: ""} {
			items, err := db.ScheduledItems(as(u), f.org.ID, today, today.AddDays(60))
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, it := range items {
				if it.Kind == "doc.schedule_review" && it.Evidence.RecordID == d.ID {
					found = true
					if it.Label != want {
						t.Errorf("%s sees %q, want %q", u.Email, it.Label, want)
					}
				}
			}
			if !found {
				t.Errorf("%s: review missing from the calendar", u.Email)
			}
		}
	})
}

// Files live in the database, so one archive holds them: a version's
// content comes back from a restore byte for byte and passes its
// integrity check, on either database.
func TestDocumentContentSurvivesBackupAndRestore(t *testing.T) {
	src := OpenSQLite(t)
	f := newDocFixture(t, src)
	d := f.doc(t, src, isms.DocumentInput{})
	blob := append(append([]byte(nil), docPDF...), bytes.Repeat([]byte{0, 1, 2, 255}, 5000)...)
	if _, err := src.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{FileName: "binær.pdf", Content: blob, Version: d.Version}); err != nil {
		t.Fatal(err)
	}
	var archive bytes.Buffer
	if err := src.Backup(asSystem(), &archive); err != nil {
		t.Fatal(err)
	}
	forEachDB(t, func(t *testing.T, dst *sqlstore.DB) {
		if err := dst.Restore(asSystem(), bytes.NewReader(archive.Bytes())); err != nil {
			t.Fatal(err)
		}
		c, data, err := readDocContent(as(f.coord), dst, f.org.ID, d.ID, 1)
		if err != nil || !bytes.Equal(data, blob) || c.FileName != "binær.pdf" {
			t.Fatalf("restored content: %v", err)
		}
	})
}
