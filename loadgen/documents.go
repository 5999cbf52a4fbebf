package loadgen

import (
	"fmt"

	"github.com/ismsdk/isms"
)

// The documentation register (guide 2.8): a document for every mandatory
// requirement and for the optional ones the coordinator chooses (the
// others declined with a reason), plus the procedures, plans and records
// a large organisation keeps — each with a version written, sent for
// approval, approved by management and published. A share of the
// documents get a second version later in the year.

func init() { addStep(300, "documentation", 0.04, 0.28, fillDocuments) }

var docExtra = []struct {
	kind  isms.DocumentKind
	title string
}{
	{isms.DocProcedure, "Procedure for"},
	{isms.DocPolicy, "Retningslinje for"},
	{isms.DocPlan, "Plan for"},
	{isms.DocRecord, "Registrering af"},
	{isms.DocContract, "Databehandleraftale om"},
}

var docSubjects = []string{"adgangsstyring", "backup og gendannelse", "logning og overvågning", "hændelseshåndtering",
	"leverandørstyring", "mobile enheder", "hjemmearbejde", "kryptering", "sletning af data", "patchstyring",
	"fysisk sikkerhed", "beredskab", "awareness", "klassifikation af information", "systemudvikling"}

func fillDocuments(g *Gen) error {
	coord := g.Users[isms.RoleCoordinator]
	mgmt := g.Users[isms.RoleManagement]
	reqs, err := g.DB.DocumentationRequirements(g.As(coord), g.Org.ID)
	if err != nil {
		return err
	}
	extra := max(10, g.Cfg.Assets/25)
	// Per document: create, version, submit, approve, publish.
	g.Phase(len(reqs)*6 + extra*5 + extra/4*4)
	made := 0
	for i, r := range reqs {
		if r.Kind == "optional" {
			if err := g.Tick(); err != nil {
				return err
			}
			in := isms.RequirementDecisionInput{Decision: "chosen", Version: r.Version,
				Reason: "Behov for at dokumentere kontrollen, så den kan følges op og auditeres."}
			if i%3 == 2 {
				in = isms.RequirementDecisionInput{Decision: "declined", Version: r.Version,
					Reason: "Dækkes af kommunens fælles procedurer; vurderet ved årets gennemgang."}
			}
			if _, err := g.DB.DecideDocumentationRequirement(g.As(coord), g.Org.ID, r.ID, in); err != nil {
				return fmt.Errorf("decision on %s: %w", r.Key, err)
			}
			if in.Decision == "declined" {
				continue
			}
		}
		kind := isms.DocumentKind(r.DocKind)
		if !kind.Valid() {
			kind = isms.DocOther
		}
		id := r.ID
		if err := g.document(isms.DocumentInput{Kind: kind, Title: r.TitleDA, Clause: r.Clause2022, RequirementID: &id,
			OwnerID: ID(coord), Classification: isms.ClassInternal, Language: "da", Format: "PDF",
			ApproverIDs: []int64{mgmt.ID}, ReviewIntervalMonths: 12}, coord); err != nil {
			return err
		}
		made++
	}
	var docs []*isms.Document
	for i := range extra {
		e := docExtra[i%len(docExtra)]
		owner := coord
		if i%3 == 1 {
			owner = g.Owner()
		}
		class := isms.ClassInternal
		if i%7 == 3 {
			class = isms.ClassConfidential
		}
		title := fmt.Sprintf("%s %s – %s %03d", e.title, g.Pick(docSubjects), g.Pick(Areas), i+1)
		if err := g.document(isms.DocumentInput{Kind: e.kind, Title: title, OwnerID: ID(owner), Classification: class,
			Language: "da", Format: "DOCX", ApproverIDs: []int64{mgmt.ID}, ReviewIntervalMonths: 12 + 12*(i%2)}, owner); err != nil {
			return err
		}
		made++
		if i%4 == 0 {
			docs = append(docs, g.lastDoc)
		}
	}
	g.Count("documents", made)
	// Second versions later in the year: written, sent, approved, published.
	for _, d := range docs {
		if err := g.docVersion(d, 2, "Opdateret efter årets gennemgang."); err != nil {
			return err
		}
	}
	g.Count("document versions", made+len(docs))
	return nil
}

// document creates a document as its owner, with a first published version.
func (g *Gen) document(in isms.DocumentInput, owner *isms.User) error {
	if err := g.Tick(); err != nil {
		return err
	}
	d, err := g.DB.CreateDocument(g.As(owner), g.Org.ID, in)
	if err != nil {
		return fmt.Errorf("document %q: %w", in.Title, err)
	}
	g.lastDoc = d
	return g.docVersion(d, 1, "Første udgave.")
}

// docVersion writes version n of a document and takes it through approval
// to publication: the owner writes and submits, management approves, the
// owner publishes.
func (g *Gen) docVersion(d *isms.Document, n int, note string) error {
	owner := g.Users[isms.RoleCoordinator]
	for _, u := range g.Owners {
		if d.OwnerID != nil && u.ID == *d.OwnerID {
			owner = u
		}
	}
	steps := []struct {
		by     *isms.User
		action string
	}{{owner, isms.TransitionSubmit}, {g.Users[isms.RoleManagement], isms.TransitionApprove}, {owner, isms.TransitionPublish}}
	if err := g.Tick(); err != nil {
		return err
	}
	cur, err := g.DB.Document(g.As(owner), g.Org.ID, d.ID)
	if err != nil {
		return err
	}
	text := fmt.Sprintf("%s\n\nUdgave %d. %s\n\nFormål, ansvar og fremgangsmåde er beskrevet herunder.\n", d.Title, n, note)
	if _, err := g.DB.AddDocumentVersion(g.As(owner), g.Org.ID, d.ID, isms.VersionInput{Text: text, ChangeNote: note,
		Version: cur.Version}); err != nil {
		return fmt.Errorf("version %d of %q: %w", n, d.Title, err)
	}
	for _, s := range steps {
		if err := g.Tick(); err != nil {
			return err
		}
		cur, err := g.DB.Document(g.As(s.by), g.Org.ID, d.ID)
		if err != nil {
			return err
		}
		if _, err := g.DB.TransitionDocumentVersion(g.As(s.by), g.Org.ID, d.ID, n, isms.TransitionInput{Action: s.action,
			Version: cur.Version}); err != nil {
			return fmt.Errorf("%s version %d of %q: %w", s.action, n, d.Title, err)
		}
	}
	return nil
}
