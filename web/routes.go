package web

import (
	"net/http"
)

// routes lists every route of the product in one place. UI pages are
// registered here directly; API operations through handleAPI, which also
// feeds the OpenAPI document. Each element of the guide adds its routes in
// its own function, called below in the guide's order.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()

	// Operations and assets.
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.HandleFunc("GET /static/", s.static.serve)
	mux.HandleFunc("GET /api/v1/openapi.json", s.serveOpenAPI)

	// Accounts: first-run set-up, login, logout, language, own account.
	mux.HandleFunc("GET /setup", s.setupPage)
	mux.HandleFunc("POST /setup", s.setupSubmit)
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.loginSubmit)
	mux.HandleFunc("POST /logout", s.logout)
	mux.HandleFunc("POST /lang", s.setLanguage)
	mux.HandleFunc("GET /account", s.requireUser(s.accountPage))
	mux.HandleFunc("POST /account/password", s.requireUser(s.changePassword))
	mux.HandleFunc("POST /account/tokens", s.requireUser(s.createToken))
	mux.HandleFunc("POST /account/tokens/{id}/delete", s.requireUser(s.deleteToken))

	// Organisations, members, the dashboard, the audit trail.
	mux.HandleFunc("GET /{$}", s.requireUser(s.homePage))
	mux.HandleFunc("POST /orgs", s.requireUser(s.createOrgSubmit))
	mux.HandleFunc("GET /orgs/{org}", s.inOrg(s.dashboardPage))
	mux.HandleFunc("GET /orgs/{org}/settings", s.inOrg(s.settingsPage))
	mux.HandleFunc("POST /orgs/{org}/settings", s.inOrg(s.settingsSubmit))
	mux.HandleFunc("GET /orgs/{org}/members", s.inOrg(s.membersPage))
	mux.HandleFunc("POST /orgs/{org}/members", s.inOrg(s.addMemberSubmit))
	mux.HandleFunc("POST /orgs/{org}/members/{id}", s.inOrg(s.updateMemberSubmit))
	mux.HandleFunc("POST /orgs/{org}/members/{id}/delete", s.inOrg(s.removeMemberSubmit))
	mux.HandleFunc("GET /orgs/{org}/audit", s.inOrg(s.auditPage))

	// Section 3: the live checklist.
	mux.HandleFunc("GET /orgs/{org}/checklist", s.inOrg(s.checklistPage))
	mux.HandleFunc("POST /orgs/{org}/checklist/{question}", s.inOrg(s.answerSubmit))
	mux.HandleFunc("GET /orgs/{org}/checklist/history.svg", s.inOrg(s.checklistChart))

	// Guide 2.1: the business overview and the scope.
	s.overviewRoutes(mux)

	// The JSON API, every operation (routes_api.go).
	s.apiRoutes(mux)

	for _, add := range elementRoutes {
		add(s, mux)
	}

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if len(r.URL.Path) > 7 && r.URL.Path[:8] == "/api/v1/" {
			s.jsonError(w, r, errPageNotFound)
			return
		}
		s.fail(w, r, errPageNotFound)
	})

	var h http.Handler = mux
	h = s.refuseNUL(h)
	h = s.authenticate(h)
	h = s.crossOrigin(h)
	h = limitBody(maxBody, h)
	h = securityHeaders(h)
	h = s.recoverer(h)
	h = s.logRequests(h)
	return h
}

// maxBody limits request bodies, except the document uploads' (see
// limitBody).
const maxBody = 2 << 20

// elementRoutes lets each later element of the guide register its routes
// from its own file (func init() { elementRoutes = append(…) }), so
// elements do not edit each other's code.
var elementRoutes []func(s *Server, mux *http.ServeMux)

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.Ping != nil {
		if err := s.Ping(r.Context()); err != nil {
			s.log.Error("readyz", "err", err)
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
	}
	w.Write([]byte("ok\n"))
}

// crossOrigin refuses state-changing browser requests from other sites
// (CSRF), using the Fetch metadata browsers send.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := s.newPage(r, "title.error")
		p.Error = p.T("err.cross_origin")
		s.render(w, http.StatusForbidden, "error", p)
	}))
	return cop.Handler(next)
}
