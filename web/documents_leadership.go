package web

import (
	"net/http"

	"github.com/ismsdk/isms"
)

// The leadership documents of guide 2.2: the management-approved
// information security policy and list of roles and responsibilities,
// kept in the documentation register and shown together here with who in
// management approved which version, and when they are next reviewed.

type leadershipDoc struct {
	Doc      *isms.Document
	Approved *isms.DocumentVersion // newest approved or published version with management's approval
	Approval *isms.Approval
}

type leadershipKind struct {
	Kind isms.DocumentKind
	Docs []leadershipDoc
}

func (s *Server) docLeadershipPage(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	var kinds []leadershipKind
	for _, k := range []isms.DocumentKind{isms.DocInformationSecurityPolicy, isms.DocRolesResponsibilities} {
		docs, _, err := s.Documents.Documents(r.Context(), org.ID, isms.DocumentFilter{Kind: k, Limit: 100})
		if err != nil {
			return err
		}
		lk := leadershipKind{Kind: k}
		for _, d := range docs {
			ld := leadershipDoc{Doc: d}
			versions, err := s.Documents.DocumentVersions(r.Context(), org.ID, d.ID)
			if err != nil {
				return err
			}
		find:
			for _, v := range versions {
				if v.State != isms.VersionPublished && v.State != isms.VersionApproved {
					continue
				}
				for i := range v.Approvals {
					a := &v.Approvals[i]
					if a.Decision == "approve" && a.Role.Can(isms.PermApprove) && a.SHA256 == v.SHA256 {
						ld.Approved, ld.Approval = v, a
						break find
					}
				}
			}
			lk.Docs = append(lk.Docs, ld)
		}
		kinds = append(kinds, lk)
	}
	p := s.newPage(r, "title.doc_leadership")
	p.Data = struct {
		Kinds []leadershipKind
		Today isms.Date
	}{kinds, isms.DateOf(s.cfg.Now())}
	s.render(w, http.StatusOK, "document_leadership", p)
	return nil
}
