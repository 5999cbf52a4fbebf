package web

import (
	"net/http"
	"strconv"

	"github.com/ismsdk/isms"
)

// The site administrator's page of single sign-on (/sso): the configured
// providers (from the command line, shown read-only), the table that maps
// group or role claim values to organisations and roles, and who has
// linked a provider's subject to their account.

type ssoAdminData struct {
	Providers  []SSOProvider
	SSOOnly    bool
	Mappings   []*isms.SSORoleMapping
	Identities []*isms.SSOIdentity
	Orgs       []*isms.Organisation
	Roles      []isms.Role
	// BaseURL begins the redirect URI to register at a provider.
	BaseURL string
}

func (s *Server) ssoAdminPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderSSOAdmin(w, r, s.newPage(r, "title.sso"), http.StatusOK)
}

func (s *Server) renderSSOAdmin(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	if s.SSO == nil {
		return errPageNotFound
	}
	mappings, err := s.SSO.SSORoleMappings(r.Context())
	if err != nil {
		return err
	}
	ids, err := s.SSO.SSOIdentities(r.Context())
	if err != nil {
		return err
	}
	orgs, err := s.Orgs.Organisations(r.Context())
	if err != nil {
		return err
	}
	// The secrets stay out of the page.
	providers := make([]SSOProvider, len(s.cfg.SSO))
	for i, c := range s.cfg.SSO {
		c.ClientSecret = ""
		providers[i] = c
	}
	p.Data = ssoAdminData{Providers: providers, SSOOnly: s.ssoOnly(), Mappings: mappings, Identities: ids, Orgs: orgs, Roles: isms.Roles, BaseURL: s.baseURL(r)}
	s.render(w, status, "sso", p)
	return nil
}

func (s *Server) ssoMappingSubmit(w http.ResponseWriter, r *http.Request) error {
	if s.SSO == nil {
		return errPageNotFound
	}
	f := r.PostForm
	org, _ := strconv.ParseInt(f.Get("organisation_id"), 10, 64)
	in := isms.SSORoleMappingInput{Provider: f.Get("provider"), ClaimValue: f.Get("claim_value"), OrganisationID: org, Role: isms.Role(f.Get("role"))}
	if in.Provider != "" {
		if _, err := s.provider(in.Provider); err != nil {
			err = &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "provider", Key: "err.choice"}}}
			return s.formRefused(r, err, s.newPage(r, "title.sso"), nil, func(p *page, status int) error { return s.renderSSOAdmin(w, r, p, status) })
		}
	}
	if _, err := s.SSO.CreateSSORoleMapping(r.Context(), in); err != nil {
		return s.formRefused(r, err, s.newPage(r, "title.sso"), nil, func(p *page, status int) error { return s.renderSSOAdmin(w, r, p, status) })
	}
	s.redirect(w, r, "/sso", "flash.sso_mapping_added")
	return nil
}

func (s *Server) ssoMappingDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	if s.SSO == nil {
		return errPageNotFound
	}
	id, err := pathID(r, "id")
	if err == nil {
		err = s.SSO.DeleteSSORoleMapping(r.Context(), id)
	}
	if err != nil {
		return err
	}
	s.redirect(w, r, "/sso", "flash.sso_mapping_deleted")
	return nil
}
