package web

import (
	"net/http"
	"strings"

	"github.com/ismsdk/isms"
)

// routes lists every route of the product in one place, in the order of
// the guide's sections (Digitaliseringsstyrelsen, "Vejledning i etablering
// og drift af et ledelsessystem for informationssikkerhed"), so one file
// shows every URL the product serves. Pages are wrapped by page (or
// upload, for the routes that stream a file), inside inOrg or requireUser
// for who may reach them. The JSON API's operations follow at the end,
// from their table in apiRoutes below, which also feeds the OpenAPI
// document.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()

	// Operations and assets.
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.HandleFunc("GET /static/", s.static.serve)
	mux.HandleFunc("GET /api/v1/openapi.json", s.serveOpenAPI)
	if !s.cfg.MetricsElsewhere {
		// Counts and durations only, nothing of anyone's ISMS (package
		// metrics), so it needs no login; an operator who keeps even
		// those in gives them a listener of their own (--metrics-addr).
		mux.Handle("GET /metrics", s.metrics.Handler())
	}

	// Accounts: first-run set-up, login, logout, language, own account.
	mux.HandleFunc("GET /setup", s.page(s.setupPage))
	mux.HandleFunc("POST /setup", s.page(s.setupSubmit))
	mux.HandleFunc("GET /login", s.page(s.loginPage))
	mux.HandleFunc("POST /login", s.page(s.loginSubmit))
	mux.HandleFunc("POST /logout", s.page(s.logout))
	mux.HandleFunc("POST /lang", s.page(s.setLanguage))
	mux.HandleFunc("GET /account", s.requireUser(s.page(s.accountPage)))
	mux.HandleFunc("POST /account/password", s.requireUser(s.page(s.changePassword)))
	mux.HandleFunc("POST /account/tokens", s.requireUser(s.page(s.createToken)))
	mux.HandleFunc("POST /account/tokens/{id}/delete", s.requireUser(s.page(s.deleteToken)))
	mux.HandleFunc("POST /account/notifications", s.requireUser(s.page(s.notificationPrefsSubmit)))
	// The second factor: the login's second step, enrolment when one is
	// required, and the account's own authenticator app, recovery codes
	// and passkeys (mfa.go, mfa_webauthn.go).
	mux.HandleFunc("GET /login/second-factor", s.page(s.secondStepPage))
	mux.HandleFunc("POST /login/second-factor", s.page(s.secondStepSubmit))
	mux.HandleFunc("POST /login/second-factor/passkey/options", s.passkeyLoginOptions)
	mux.HandleFunc("POST /login/second-factor/passkey", s.passkeyLogin)
	mux.HandleFunc("GET /login/enrol", s.page(s.enrolPage))
	mux.HandleFunc("POST /login/enrol", s.page(s.enrolSubmit))
	mux.HandleFunc("POST /account/totp", s.requireUser(s.page(s.totpBegin)))
	mux.HandleFunc("POST /account/totp/confirm", s.requireUser(s.page(s.totpConfirm)))
	mux.HandleFunc("POST /account/totp/delete", s.requireUser(s.page(s.totpRemove)))
	mux.HandleFunc("POST /account/recovery-codes", s.requireUser(s.page(s.recoveryCodesRegenerate)))
	mux.HandleFunc("POST /account/passkeys/options", s.requireUser(s.passkeyRegisterOptions))
	mux.HandleFunc("POST /account/passkeys", s.requireUser(s.passkeyRegister))
	mux.HandleFunc("POST /account/passkeys/{id}/delete", s.requireUser(s.page(s.passkeyRemove)))

	// Single sign-on through OpenID Connect providers (sso.go), and the
	// site administrators' page of providers and role mappings.
	mux.HandleFunc("GET /auth/oidc/{name}", s.page(s.ssoStart))
	mux.HandleFunc("GET /auth/oidc/{name}/callback", s.page(s.ssoCallback))
	mux.HandleFunc("GET /sso", s.requireUser(s.page(s.ssoAdminPage)))
	mux.HandleFunc("POST /sso/mappings", s.requireUser(s.page(s.ssoMappingSubmit)))
	mux.HandleFunc("POST /sso/mappings/{id}/delete", s.requireUser(s.page(s.ssoMappingDeleteSubmit)))

	// The site's user accounts (site administrators).
	mux.HandleFunc("GET /users", s.requireUser(s.page(s.usersPage)))
	mux.HandleFunc("POST /users", s.requireUser(s.page(s.createUserSubmit)))
	mux.HandleFunc("GET /users/{id}", s.requireUser(s.page(s.userPage)))
	mux.HandleFunc("POST /users/{id}", s.requireUser(s.page(s.updateUserSubmit)))
	mux.HandleFunc("POST /users/{id}/active", s.requireUser(s.page(s.userActiveSubmit)))
	mux.HandleFunc("POST /users/{id}/password", s.requireUser(s.page(s.resetPasswordSubmit)))
	mux.HandleFunc("POST /users/{id}/second-factor/reset", s.requireUser(s.page(s.userSecondFactorReset)))

	// Organisations, members and invitations, the dashboard, the audit trail.
	mux.HandleFunc("GET /{$}", s.requireUser(s.page(s.homePage)))
	mux.HandleFunc("POST /orgs", s.requireUser(s.page(s.createOrgSubmit)))
	mux.HandleFunc("GET /orgs/{org}", s.inOrg(s.page(s.dashboardPage)))
	mux.HandleFunc("GET /orgs/{org}/settings", s.inOrg(s.page(s.settingsPage)))
	mux.HandleFunc("POST /orgs/{org}/settings", s.inOrg(s.page(s.settingsSubmit)))
	mux.HandleFunc("POST /orgs/{org}/settings/second-factor", s.inOrg(s.page(s.orgSecondFactorSubmit)))
	mux.HandleFunc("GET /orgs/{org}/members", s.inOrg(s.page(s.membersPage)))
	// The caller's own inbox: what is assigned to them (notifications.go).
	mux.HandleFunc("GET /orgs/{org}/inbox", s.inOrg(s.page(s.inboxPage)))
	mux.HandleFunc("POST /orgs/{org}/inbox/read-all", s.inOrg(s.page(s.inboxReadAllSubmit)))
	mux.HandleFunc("POST /orgs/{org}/inbox/{id}/read", s.inOrg(s.page(s.inboxReadSubmit)))
	mux.HandleFunc("POST /orgs/{org}/members", s.inOrg(s.page(s.addMemberSubmit)))
	mux.HandleFunc("POST /orgs/{org}/members/{id}", s.inOrg(s.page(s.updateMemberSubmit)))
	mux.HandleFunc("POST /orgs/{org}/members/{id}/delete", s.inOrg(s.page(s.removeMemberSubmit)))
	mux.HandleFunc("POST /orgs/{org}/invitations", s.inOrg(s.page(s.inviteSubmit)))
	mux.HandleFunc("POST /orgs/{org}/invitations/{id}/revoke", s.inOrg(s.page(s.revokeInvitationSubmit)))
	mux.HandleFunc("GET /invitations/{token}", s.page(s.invitationPage))
	mux.HandleFunc("POST /invitations/{token}", s.page(s.invitationSignUpSubmit))
	mux.HandleFunc("POST /invitations/{token}/accept", s.page(s.invitationAcceptSubmit))
	mux.HandleFunc("GET /orgs/{org}/audit", s.inOrg(s.page(s.auditPage)))
	// An organisation's archive, to move it to another installation
	// (org_archive.go): downloaded by its administrators, imported as a new
	// organisation by a site administrator.
	mux.HandleFunc("GET /orgs/{org}/archive", s.inOrg(s.page(s.orgArchivePage)))
	mux.HandleFunc("GET /orgs/{org}/archive/download", s.inOrg(s.page(s.orgArchiveDownload)))
	mux.HandleFunc("GET /organisations/import", s.requireUser(s.page(s.orgImportPage)))
	mux.HandleFunc("POST /organisations/import", s.requireUser(s.upload(s.orgImportSubmit)))

	// Guide 2.1 Etablering af forretningsoverblik: the business overview
	// and the scope.
	mux.HandleFunc("GET /orgs/{org}/overview", s.inOrg(s.page(s.overviewPage)))
	mux.HandleFunc("GET /orgs/{org}/overview/new", s.inOrg(s.page(s.entryNewPage)))
	mux.HandleFunc("POST /orgs/{org}/overview", s.inOrg(s.page(s.entryCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/overview/entries/{id}", s.inOrg(s.page(s.entryPage)))
	mux.HandleFunc("GET /orgs/{org}/overview/entries/{id}/edit", s.inOrg(s.page(s.entryEditPage)))
	mux.HandleFunc("POST /orgs/{org}/overview/entries/{id}", s.inOrg(s.page(s.entryUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/overview/entries/{id}/delete", s.inOrg(s.page(s.entryDeleteSubmit)))
	mux.HandleFunc("GET /orgs/{org}/scope", s.inOrg(s.page(s.scopePage)))
	mux.HandleFunc("GET /orgs/{org}/scope/edit", s.inOrg(s.page(s.scopeEditPage)))
	mux.HandleFunc("POST /orgs/{org}/scope", s.inOrg(s.page(s.scopeSubmit)))
	mux.HandleFunc("POST /orgs/{org}/scope/approve", s.inOrg(s.page(s.scopeApproveSubmit)))

	// Guide 2.2 Ledelsesforankring: security roles, the responsibility
	// matrix, forums, meetings and decisions, management topics, and the
	// documents management approves.
	mux.HandleFunc("GET /orgs/{org}/leadership", s.inOrg(s.page(func(w http.ResponseWriter, r *http.Request) error {
		http.Redirect(w, r, p0(r, "/leadership/roles"), http.StatusSeeOther)
		return nil
	})))
	mux.HandleFunc("GET /orgs/{org}/leadership/roles", s.inOrg(s.page(s.rolesPage)))
	mux.HandleFunc("GET /orgs/{org}/leadership/roles/new", s.inOrg(s.page(s.roleNewPage)))
	mux.HandleFunc("POST /orgs/{org}/leadership/roles", s.inOrg(s.page(s.roleCreateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/leadership/roles/templates", s.inOrg(s.page(s.roleTemplatesSubmit)))
	mux.HandleFunc("POST /orgs/{org}/leadership/roles/approve", s.inOrg(s.page(s.rolesApproveSubmit)))
	mux.HandleFunc("GET /orgs/{org}/leadership/roles/{id}", s.inOrg(s.page(s.rolePage)))
	mux.HandleFunc("GET /orgs/{org}/leadership/roles/{id}/edit", s.inOrg(s.page(s.roleEditPage)))
	mux.HandleFunc("POST /orgs/{org}/leadership/roles/{id}", s.inOrg(s.page(s.roleUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/leadership/roles/{id}/delete", s.inOrg(s.page(s.roleDeleteSubmit)))
	mux.HandleFunc("GET /orgs/{org}/leadership/matrix", s.inOrg(s.page(s.matrixPage)))
	mux.HandleFunc("POST /orgs/{org}/leadership/matrix", s.inOrg(s.page(s.matrixSubmit)))
	mux.HandleFunc("POST /orgs/{org}/leadership/activities", s.inOrg(s.page(s.activityCreateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/leadership/activities/templates", s.inOrg(s.page(s.activityTemplatesSubmit)))
	mux.HandleFunc("GET /orgs/{org}/leadership/activities/{id}/edit", s.inOrg(s.page(s.activityEditPage)))
	mux.HandleFunc("POST /orgs/{org}/leadership/activities/{id}", s.inOrg(s.page(s.activityUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/leadership/activities/{id}/delete", s.inOrg(s.page(s.activityDeleteSubmit)))
	mux.HandleFunc("GET /orgs/{org}/leadership/topics", s.inOrg(s.page(s.topicsPage)))
	mux.HandleFunc("GET /orgs/{org}/leadership/forums", s.inOrg(s.page(s.forumsPage)))
	mux.HandleFunc("GET /orgs/{org}/leadership/forums/new", s.inOrg(s.page(s.forumNewPage)))
	mux.HandleFunc("POST /orgs/{org}/leadership/forums", s.inOrg(s.page(s.forumCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/leadership/forums/{id}", s.inOrg(s.page(s.forumPage)))
	mux.HandleFunc("GET /orgs/{org}/leadership/forums/{id}/edit", s.inOrg(s.page(s.forumEditPage)))
	mux.HandleFunc("POST /orgs/{org}/leadership/forums/{id}", s.inOrg(s.page(s.forumUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/leadership/forums/{id}/delete", s.inOrg(s.page(s.forumDeleteSubmit)))
	mux.HandleFunc("GET /orgs/{org}/leadership/forums/{id}/meetings/new", s.inOrg(s.page(s.meetingNewPage)))
	mux.HandleFunc("POST /orgs/{org}/leadership/forums/{id}/meetings", s.inOrg(s.page(s.meetingCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/leadership/meetings/{id}", s.inOrg(s.page(s.meetingPage)))
	mux.HandleFunc("GET /orgs/{org}/leadership/meetings/{id}/edit", s.inOrg(s.page(s.meetingEditPage)))
	mux.HandleFunc("POST /orgs/{org}/leadership/meetings/{id}", s.inOrg(s.page(s.meetingUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/leadership/meetings/{id}/delete", s.inOrg(s.page(s.meetingDeleteSubmit)))
	mux.HandleFunc("POST /orgs/{org}/leadership/meetings/{id}/decisions", s.inOrg(s.page(s.decisionCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/leadership/decisions", s.inOrg(s.page(s.decisionsPage)))
	mux.HandleFunc("GET /orgs/{org}/leadership/decisions/{id}", s.inOrg(s.page(s.decisionPage)))
	mux.HandleFunc("GET /orgs/{org}/leadership/decisions/{id}/edit", s.inOrg(s.page(s.decisionEditPage)))
	mux.HandleFunc("POST /orgs/{org}/leadership/decisions/{id}", s.inOrg(s.page(s.decisionUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/leadership/decisions/{id}/follow-up", s.inOrg(s.page(s.followUpSubmit)))
	mux.HandleFunc("POST /orgs/{org}/leadership/decisions/{id}/delete", s.inOrg(s.page(s.decisionDeleteSubmit)))
	mux.HandleFunc("GET /orgs/{org}/documents/leadership", s.inOrg(s.page(s.docLeadershipPage)))

	// Guide 2.3 Risikostyring: the risk register and heat map, risk
	// assessments, supporting assets, threats, the risk method, the
	// treatment plan, the import of a register.
	mux.HandleFunc("GET /orgs/{org}/risks", s.inOrg(s.page(s.riskRegisterPage)))
	mux.HandleFunc("GET /orgs/{org}/risks/heatmap", s.inOrg(s.page(s.riskHeatMapPage)))
	mux.HandleFunc("GET /orgs/{org}/risks/heatmap.svg", s.inOrg(s.page(s.riskHeatMapSVG)))
	mux.HandleFunc("GET /orgs/{org}/risks/export.xlsx", s.inOrg(s.page(s.workbook(s.riskRegisterExport))))
	mux.HandleFunc("GET /orgs/{org}/risks/new", s.inOrg(s.page(s.riskNewPage)))
	mux.HandleFunc("POST /orgs/{org}/risks", s.inOrg(s.page(s.riskCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/risks/{id}", s.inOrg(s.page(s.riskPage)))
	mux.HandleFunc("GET /orgs/{org}/risks/{id}/edit", s.inOrg(s.page(s.riskEditPage)))
	mux.HandleFunc("POST /orgs/{org}/risks/{id}", s.inOrg(s.page(s.riskUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/risks/{id}/delete", s.inOrg(s.page(s.riskDeleteSubmit)))
	mux.HandleFunc("POST /orgs/{org}/risks/{id}/accept", s.inOrg(s.page(s.riskAcceptSubmit)))
	mux.HandleFunc("GET /orgs/{org}/risk-assessments", s.inOrg(s.page(s.riskAssessmentsPage)))
	mux.HandleFunc("GET /orgs/{org}/risk-assessments/new", s.inOrg(s.page(s.riskAssessmentNewPage)))
	mux.HandleFunc("POST /orgs/{org}/risk-assessments", s.inOrg(s.page(s.riskAssessmentCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/risk-assessments/{id}", s.inOrg(s.page(s.riskAssessmentPage)))
	mux.HandleFunc("GET /orgs/{org}/risk-assessments/{id}/edit", s.inOrg(s.page(s.riskAssessmentEditPage)))
	mux.HandleFunc("POST /orgs/{org}/risk-assessments/{id}", s.inOrg(s.page(s.riskAssessmentUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/risk-assessments/{id}/complete", s.inOrg(s.page(s.riskAssessmentCompleteSubmit)))
	mux.HandleFunc("POST /orgs/{org}/risk-assessments/{id}/mark", s.inOrg(s.page(s.riskAssessmentMarkSubmit)))
	mux.HandleFunc("POST /orgs/{org}/risk-assessments/{id}/delete", s.inOrg(s.page(s.riskAssessmentDeleteSubmit)))
	mux.HandleFunc("GET /orgs/{org}/assets", s.inOrg(s.page(s.assetListPage)))
	mux.HandleFunc("GET /orgs/{org}/assets/new", s.inOrg(s.page(s.assetNewPage)))
	mux.HandleFunc("POST /orgs/{org}/assets", s.inOrg(s.page(s.assetCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/assets/for-entry", s.inOrg(s.page(s.assetForEntryPage)))
	mux.HandleFunc("GET /orgs/{org}/assets/{id}", s.inOrg(s.page(s.assetPage)))
	mux.HandleFunc("GET /orgs/{org}/assets/{id}/edit", s.inOrg(s.page(s.assetEditPage)))
	mux.HandleFunc("POST /orgs/{org}/assets/{id}", s.inOrg(s.page(s.assetUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/assets/{id}/delete", s.inOrg(s.page(s.assetDeleteSubmit)))
	mux.HandleFunc("GET /orgs/{org}/threats", s.inOrg(s.page(s.threatListPage)))
	mux.HandleFunc("POST /orgs/{org}/threats/catalogues", s.inOrg(s.page(s.threatCatalogueCreateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/threats/catalogues/{id}", s.inOrg(s.page(s.threatCatalogueUpdateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/threats/new", s.inOrg(s.page(s.threatNewPage)))
	mux.HandleFunc("POST /orgs/{org}/threats", s.inOrg(s.page(s.threatCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/threats/{id}", s.inOrg(s.page(s.threatPage)))
	mux.HandleFunc("POST /orgs/{org}/threats/{id}", s.inOrg(s.page(s.threatUpdateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/risk-method", s.inOrg(s.page(s.riskMethodPage)))
	mux.HandleFunc("GET /orgs/{org}/risk-method/edit", s.inOrg(s.page(s.riskMethodEditPage)))
	mux.HandleFunc("POST /orgs/{org}/risk-method", s.inOrg(s.page(s.riskMethodSubmit)))
	mux.HandleFunc("POST /orgs/{org}/risk-method/controls", s.inOrg(s.page(s.riskOwnControlSubmit)))
	mux.HandleFunc("GET /orgs/{org}/risk-plan", s.inOrg(s.page(s.riskPlanPage)))
	mux.HandleFunc("GET /orgs/{org}/risk-plan.xlsx", s.inOrg(s.page(s.workbook(s.riskPlanExport))))
	mux.HandleFunc("GET /orgs/{org}/risk-tasks/new", s.inOrg(s.page(s.riskTaskNewPage)))
	mux.HandleFunc("POST /orgs/{org}/risk-tasks", s.inOrg(s.page(s.riskTaskCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/risk-tasks/{id}", s.inOrg(s.page(s.riskTaskPage)))
	mux.HandleFunc("POST /orgs/{org}/risk-tasks/{id}", s.inOrg(s.page(s.riskTaskUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/risk-tasks/{id}/delete", s.inOrg(s.page(s.riskTaskDeleteSubmit)))
	mux.HandleFunc("GET /orgs/{org}/risk-import", s.inOrg(s.page(s.riskImportPage)))
	mux.HandleFunc("POST /orgs/{org}/risk-import", s.inOrg(s.upload(s.riskImportUpload)))
	mux.HandleFunc("GET /orgs/{org}/risk-import/{id}", s.inOrg(s.page(s.riskImportPreviewPage)))
	mux.HandleFunc("POST /orgs/{org}/risk-import/{id}", s.inOrg(s.page(s.riskImportConfirm)))
	// Every register that imports from a spreadsheet, and the saved
	// mappings of file shapes.
	mux.HandleFunc("GET /orgs/{org}/import", s.inOrg(s.page(s.importHubPage)))
	mux.HandleFunc("POST /orgs/{org}/import/mappings/{id}/delete", s.inOrg(s.page(s.importMappingDeleteSubmit)))
	mux.HandleFunc("GET /orgs/{org}/risk-import/{id}/mapping", s.inOrg(s.page(s.riskImportMappingPage)))
	mux.HandleFunc("POST /orgs/{org}/risk-import/{id}/mapping", s.inOrg(s.page(s.riskImportMappingSubmit)))

	// Guide 2.3 (and Annex A): the statement of applicability.
	mux.HandleFunc("GET /orgs/{org}/soa", s.inOrg(s.page(s.soaPage)))
	mux.HandleFunc("GET /orgs/{org}/soa/controls", s.inOrg(s.page(s.soaRiskPage)))
	mux.HandleFunc("GET /orgs/{org}/soa/controls/{id}", s.inOrg(s.page(s.soaControlPage)))
	mux.HandleFunc("GET /orgs/{org}/soa/controls/{id}/edit", s.inOrg(s.page(s.soaEditPage)))
	mux.HandleFunc("POST /orgs/{org}/soa/controls/{id}", s.inOrg(s.page(s.soaSaveSubmit)))
	mux.HandleFunc("GET /orgs/{org}/soa/own/new", s.inOrg(s.page(s.soaOwnNewPage)))
	mux.HandleFunc("POST /orgs/{org}/soa/own", s.inOrg(s.page(s.soaOwnCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/soa/controls/{id}/own", s.inOrg(s.page(s.soaOwnEditPage)))
	mux.HandleFunc("POST /orgs/{org}/soa/controls/{id}/own", s.inOrg(s.page(s.soaOwnUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/soa/controls/{id}/delete", s.inOrg(s.page(s.soaOwnDeleteSubmit)))
	mux.HandleFunc("GET /orgs/{org}/soa/versions", s.inOrg(s.page(s.soaVersionsPage)))
	mux.HandleFunc("POST /orgs/{org}/soa/versions", s.inOrg(s.page(s.soaFreezeSubmit)))
	mux.HandleFunc("GET /orgs/{org}/soa/versions/{id}", s.inOrg(s.page(s.soaVersionPage)))
	mux.HandleFunc("POST /orgs/{org}/soa/versions/{id}/approve", s.inOrg(s.page(s.soaApproveSubmit)))
	mux.HandleFunc("GET /orgs/{org}/soa/diff", s.inOrg(s.page(s.soaDiffPage)))
	mux.HandleFunc("GET /orgs/{org}/soa/export.xlsx", s.inOrg(s.page(s.workbook(s.soaExport))))
	mux.HandleFunc("GET /orgs/{org}/soa/versions/{id}/export.xlsx", s.inOrg(s.page(s.workbook(s.soaExport))))
	mux.HandleFunc("GET /orgs/{org}/soa/print", s.inOrg(s.page(s.soaPrintPage)))
	mux.HandleFunc("GET /orgs/{org}/soa/versions/{id}/print", s.inOrg(s.page(s.soaPrintPage)))
	mux.HandleFunc("GET /orgs/{org}/soa/import", s.inOrg(s.page(s.soaImportPage)))
	mux.HandleFunc("POST /orgs/{org}/soa/import/preview", s.inOrg(s.upload(s.soaImportPreviewSubmit)))
	mux.HandleFunc("POST /orgs/{org}/soa/import", s.inOrg(s.page(s.soaImportApplySubmit)))

	// Guide 2.9 Drift og evaluering: the incident log. Any member reports an
	// event; the coordinator triages and handles it.
	mux.HandleFunc("GET /orgs/{org}/incidents", s.inOrg(s.page(s.incListPage)))
	mux.HandleFunc("GET /orgs/{org}/incidents/export.xlsx", s.inOrg(s.page(s.workbook(s.incExport))))
	mux.HandleFunc("GET /orgs/{org}/incidents/report", s.inOrg(s.page(s.incReportPage)))
	mux.HandleFunc("POST /orgs/{org}/incidents/report", s.inOrg(s.page(s.incReportSubmit)))
	mux.HandleFunc("GET /orgs/{org}/incidents/settings", s.inOrg(s.page(s.incSettingsPage)))
	mux.HandleFunc("POST /orgs/{org}/incidents/settings", s.inOrg(s.page(s.incSettingsSubmit)))
	mux.HandleFunc("POST /orgs/{org}/incidents/settings/intake-link", s.inOrg(s.page(s.intakeLinkCreate)))
	mux.HandleFunc("POST /orgs/{org}/incidents/settings/intake-link/revoke", s.inOrg(s.page(s.intakeLinkRevoke)))
	// The public reporting link: staff report an event without an account.
	mux.HandleFunc("GET /report/{token}", s.page(s.reportPublicPage))
	mux.HandleFunc("POST /report/{token}", s.page(s.reportPublicSubmit))
	mux.HandleFunc("GET /orgs/{org}/incidents/{id}", s.inOrg(s.page(s.incPage)))
	mux.HandleFunc("GET /orgs/{org}/incidents/{id}/edit", s.inOrg(s.page(s.incEditPage)))
	mux.HandleFunc("POST /orgs/{org}/incidents/{id}", s.inOrg(s.page(s.incUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/incidents/{id}/delete", s.inOrg(s.page(s.incDeleteSubmit)))
	mux.HandleFunc("POST /orgs/{org}/incidents/{id}/triage", s.inOrg(s.page(s.incTriageSubmit)))
	mux.HandleFunc("POST /orgs/{org}/incidents/{id}/reassess", s.inOrg(s.page(s.incReassessSubmit)))
	mux.HandleFunc("POST /orgs/{org}/incidents/{id}/timeline", s.inOrg(s.page(s.incTimelineSubmit)))
	mux.HandleFunc("POST /orgs/{org}/incidents/{id}/timeline/{entry}/delete", s.inOrg(s.page(s.incTimelineDeleteSubmit)))
	mux.HandleFunc("POST /orgs/{org}/incidents/{id}/reports", s.inOrg(s.page(s.incReportSentSubmit)))
	mux.HandleFunc("POST /orgs/{org}/incidents/{id}/reports/{report}/delete", s.inOrg(s.page(s.incReportDeleteSubmit)))
	mux.HandleFunc("POST /orgs/{org}/incidents/{id}/nonconformity", s.inOrg(s.page(s.incNonconformitySubmit)))
	mux.HandleFunc("POST /orgs/{org}/incidents/{id}/links", s.inOrg(s.page(s.incLinksSubmit)))
	mux.HandleFunc("POST /orgs/{org}/incidents/{id}/threats", s.inOrg(s.page(s.incThreatSubmit)))
	mux.HandleFunc("POST /orgs/{org}/incidents/{id}/communications", s.inOrg(s.page(s.incCommSubmit)))
	mux.HandleFunc("POST /orgs/{org}/incidents/{id}/communications/attach", s.inOrg(s.page(s.incAttachSubmit)))
	mux.HandleFunc("POST /orgs/{org}/incidents/{id}/communications/{comm}/delete", s.inOrg(s.page(s.incCommDeleteSubmit)))

	// Guide 2.9 Drift og evaluering: the supplier register and supervision.
	mux.HandleFunc("GET /orgs/{org}/suppliers", s.inOrg(s.page(s.supListPage)))
	mux.HandleFunc("GET /orgs/{org}/suppliers/export.xlsx", s.inOrg(s.page(s.workbook(s.supExport))))
	mux.HandleFunc("GET /orgs/{org}/suppliers/new", s.inOrg(s.page(s.supNewPage)))
	mux.HandleFunc("POST /orgs/{org}/suppliers", s.inOrg(s.page(s.supCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/suppliers/{id}", s.inOrg(s.page(s.supPage)))
	mux.HandleFunc("GET /orgs/{org}/suppliers/{id}/edit", s.inOrg(s.page(s.supEditPage)))
	mux.HandleFunc("POST /orgs/{org}/suppliers/{id}", s.inOrg(s.page(s.supUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/suppliers/{id}/delete", s.inOrg(s.page(s.supDeleteSubmit)))
	mux.HandleFunc("POST /orgs/{org}/suppliers/{id}/agreements", s.inOrg(s.page(s.supAgreementSubmit)))
	mux.HandleFunc("GET /orgs/{org}/suppliers/{id}/agreements/{agreement}/edit", s.inOrg(s.page(s.supAgreementEditPage)))
	mux.HandleFunc("POST /orgs/{org}/suppliers/{id}/agreements/{agreement}", s.inOrg(s.page(s.supAgreementUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/suppliers/{id}/agreements/{agreement}/delete", s.inOrg(s.page(s.supAgreementDeleteSubmit)))
	mux.HandleFunc("GET /orgs/{org}/suppliers/{id}/supervisions/new", s.inOrg(s.page(s.svNewPage)))
	mux.HandleFunc("POST /orgs/{org}/suppliers/{id}/supervisions", s.inOrg(s.page(s.svCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/supplier-supervisions/{id}", s.inOrg(s.page(s.svPage)))
	mux.HandleFunc("GET /orgs/{org}/supplier-supervisions/{id}/edit", s.inOrg(s.page(s.svEditPage)))
	mux.HandleFunc("POST /orgs/{org}/supplier-supervisions/{id}", s.inOrg(s.page(s.svUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/supplier-supervisions/{id}/delete", s.inOrg(s.page(s.svDeleteSubmit)))
	// The supplier questionnaire of a supervision, and the public page its
	// secret link opens for the supplier.
	mux.HandleFunc("GET /orgs/{org}/supplier-supervisions/{id}/questionnaire/new", s.inOrg(s.page(s.qnNewPage)))
	mux.HandleFunc("POST /orgs/{org}/supplier-supervisions/{id}/questionnaire", s.inOrg(s.page(s.qnCreateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/supplier-supervisions/{id}/questionnaire/reopen", s.inOrg(s.page(s.qnReopenSubmit)))
	mux.HandleFunc("POST /orgs/{org}/supplier-supervisions/{id}/questionnaire/revoke", s.inOrg(s.page(s.qnRevokeSubmit)))
	mux.HandleFunc("GET /questionnaire/{token}", s.page(s.qnPublicPage))
	mux.HandleFunc("POST /questionnaire/{token}", s.page(s.qnPublicSubmit))
	// The imports of the supplier list and the incident log from spreadsheets.
	s.supplierImportRoutes(mux)
	s.incidentImportRoutes(mux)
	// The imports of the asset list, the threat catalogue, the members and
	// the business overview, and those registers' exports.
	s.registerMoreImportRoutes(mux)

	// Guide 2.4 Mål og ressourcer: the information security objectives.
	mux.HandleFunc("GET /orgs/{org}/objectives", s.inOrg(s.page(s.objListPage)))
	mux.HandleFunc("GET /orgs/{org}/objectives/export.xlsx", s.inOrg(s.page(s.workbook(s.objExport))))
	mux.HandleFunc("GET /orgs/{org}/objectives/new", s.inOrg(s.page(s.objNewPage)))
	mux.HandleFunc("POST /orgs/{org}/objectives", s.inOrg(s.page(s.objCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/objectives/{id}", s.inOrg(s.page(s.objPage)))
	mux.HandleFunc("GET /orgs/{org}/objectives/{id}/edit", s.inOrg(s.page(s.objEditPage)))
	mux.HandleFunc("POST /orgs/{org}/objectives/{id}", s.inOrg(s.page(s.objUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/objectives/{id}/delete", s.inOrg(s.page(s.objDeleteSubmit)))
	mux.HandleFunc("POST /orgs/{org}/objectives/{id}/approve", s.inOrg(s.page(s.objApproveSubmit)))
	mux.HandleFunc("POST /orgs/{org}/objectives/{id}/progress", s.inOrg(s.page(s.objProgressSubmit)))
	mux.HandleFunc("POST /orgs/{org}/objectives/{id}/progress/{progress}/delete", s.inOrg(s.page(s.objProgressDeleteSubmit)))

	// Guide 2.9 Overvågning og måling (clause 9.1): the monitoring
	// guideline and the measurement programme, its values, computed
	// indicators, breaches and a parent's view of its children.
	mux.HandleFunc("GET /orgs/{org}/indicators", s.inOrg(s.page(s.indListPage)))
	mux.HandleFunc("GET /orgs/{org}/indicators/export.xlsx", s.inOrg(s.page(s.workbook(s.indExport))))
	mux.HandleFunc("GET /orgs/{org}/indicators/new", s.inOrg(s.page(s.indNewPage)))
	mux.HandleFunc("POST /orgs/{org}/indicators", s.inOrg(s.page(s.indCreateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/indicators/compute", s.inOrg(s.page(s.indComputeSubmit)))
	mux.HandleFunc("GET /orgs/{org}/indicators/breaches", s.inOrg(s.page(s.breachListPage)))
	mux.HandleFunc("POST /orgs/{org}/indicators/breaches/{id}/nonconformity", s.inOrg(s.page(s.breachNCSubmit)))
	mux.HandleFunc("POST /orgs/{org}/indicators/breaches/{id}/handle", s.inOrg(s.page(s.breachHandleSubmit)))
	mux.HandleFunc("GET /orgs/{org}/indicators/guideline", s.inOrg(s.page(s.guidelinePage)))
	mux.HandleFunc("POST /orgs/{org}/indicators/guideline", s.inOrg(s.page(s.guidelineSubmit)))
	mux.HandleFunc("GET /orgs/{org}/indicators/group", s.inOrg(s.page(s.indGroupPage)))
	mux.HandleFunc("GET /orgs/{org}/indicators/{id}", s.inOrg(s.page(s.indPage)))
	mux.HandleFunc("GET /orgs/{org}/indicators/{id}/edit", s.inOrg(s.page(s.indEditPage)))
	mux.HandleFunc("GET /orgs/{org}/indicators/{id}/values.xlsx", s.inOrg(s.page(s.workbook(s.indValuesExport))))
	mux.HandleFunc("POST /orgs/{org}/indicators/{id}", s.inOrg(s.page(s.indUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/indicators/{id}/delete", s.inOrg(s.page(s.indDeleteSubmit)))
	mux.HandleFunc("POST /orgs/{org}/indicators/{id}/values", s.inOrg(s.page(s.indValueSubmit)))
	mux.HandleFunc("POST /orgs/{org}/indicators/{id}/values/import", s.inOrg(s.page(s.indImportSubmit)))
	mux.HandleFunc("POST /orgs/{org}/indicators/{id}/values/upload", s.inOrg(s.upload(s.indUploadSubmit)))
	mux.HandleFunc("POST /orgs/{org}/indicators/{id}/values/{value}/delete", s.inOrg(s.page(s.indValueDeleteSubmit)))

	// Guide 2.9 Intern audit (clause 9.2): the audit programmes and their
	// coverage, audits with checklist, findings and report, the findings
	// register, a parent's view of its children's findings.
	mux.HandleFunc("GET /orgs/{org}/internal-audit", s.inOrg(s.page(s.audProgrammesPage)))
	mux.HandleFunc("GET /orgs/{org}/internal-audit/export.xlsx", s.inOrg(s.page(s.workbook(s.audExport))))
	mux.HandleFunc("GET /orgs/{org}/internal-audit/group", s.inOrg(s.page(s.audGroupPage)))
	mux.HandleFunc("GET /orgs/{org}/internal-audit/programmes/new", s.inOrg(s.page(s.audProgrammeNewPage)))
	mux.HandleFunc("POST /orgs/{org}/internal-audit/programmes", s.inOrg(s.page(s.audProgrammeCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/internal-audit/programmes/{id}", s.inOrg(s.page(s.audProgrammePage)))
	mux.HandleFunc("GET /orgs/{org}/internal-audit/programmes/{id}/edit", s.inOrg(s.page(s.audProgrammeEditPage)))
	mux.HandleFunc("POST /orgs/{org}/internal-audit/programmes/{id}", s.inOrg(s.page(s.audProgrammeUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/internal-audit/programmes/{id}/delete", s.inOrg(s.page(s.audProgrammeDeleteSubmit)))
	mux.HandleFunc("GET /orgs/{org}/internal-audit/audits/new", s.inOrg(s.page(s.audNewPage)))
	mux.HandleFunc("POST /orgs/{org}/internal-audit/audits", s.inOrg(s.page(s.audCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/internal-audit/audits/{id}", s.inOrg(s.page(s.audPage)))
	mux.HandleFunc("GET /orgs/{org}/internal-audit/audits/{id}/edit", s.inOrg(s.page(s.audEditPage)))
	mux.HandleFunc("GET /orgs/{org}/internal-audit/audits/{id}/report", s.inOrg(s.page(s.audReportPage)))
	mux.HandleFunc("POST /orgs/{org}/internal-audit/audits/{id}", s.inOrg(s.page(s.audUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/internal-audit/audits/{id}/delete", s.inOrg(s.page(s.audDeleteSubmit)))
	mux.HandleFunc("POST /orgs/{org}/internal-audit/audits/{id}/checks", s.inOrg(s.page(s.audChecksSubmit)))
	mux.HandleFunc("POST /orgs/{org}/internal-audit/audits/{id}/findings", s.inOrg(s.page(s.audFindingCreateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/internal-audit/audits/{id}/approve", s.inOrg(s.page(s.audApproveSubmit)))
	mux.HandleFunc("POST /orgs/{org}/internal-audit/audits/{id}/withdraw", s.inOrg(s.page(s.audWithdrawSubmit)))
	mux.HandleFunc("GET /orgs/{org}/internal-audit/findings", s.inOrg(s.page(s.audFindingsPage)))
	mux.HandleFunc("GET /orgs/{org}/internal-audit/findings/{id}", s.inOrg(s.page(s.audFindingPage)))
	mux.HandleFunc("GET /orgs/{org}/internal-audit/findings/{id}/edit", s.inOrg(s.page(s.audFindingEditPage)))
	mux.HandleFunc("POST /orgs/{org}/internal-audit/findings/{id}", s.inOrg(s.page(s.audFindingUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/internal-audit/findings/{id}/delete", s.inOrg(s.page(s.audFindingDeleteSubmit)))
	mux.HandleFunc("POST /orgs/{org}/internal-audit/findings/{id}/nonconformity", s.inOrg(s.page(s.audFindingNCSubmit)))

	// Guide 2.10 Afvigelser og forbedringer: nonconformities with their
	// corrective actions, and continual improvements.
	mux.HandleFunc("GET /orgs/{org}/nonconformities", s.inOrg(s.page(s.ncListPage)))
	mux.HandleFunc("GET /orgs/{org}/nonconformities/export.xlsx", s.inOrg(s.page(s.workbook(s.ncExport))))
	mux.HandleFunc("GET /orgs/{org}/nonconformities/new", s.inOrg(s.page(s.ncNewPage)))
	mux.HandleFunc("POST /orgs/{org}/nonconformities", s.inOrg(s.page(s.ncCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/nonconformities/{id}", s.inOrg(s.page(s.ncPage)))
	mux.HandleFunc("GET /orgs/{org}/nonconformities/{id}/edit", s.inOrg(s.page(s.ncEditPage)))
	mux.HandleFunc("POST /orgs/{org}/nonconformities/{id}", s.inOrg(s.page(s.ncUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/nonconformities/{id}/delete", s.inOrg(s.page(s.ncDeleteSubmit)))
	mux.HandleFunc("POST /orgs/{org}/nonconformities/{id}/close", s.inOrg(s.page(s.ncCloseSubmit(false))))
	mux.HandleFunc("POST /orgs/{org}/nonconformities/{id}/reopen", s.inOrg(s.page(s.ncCloseSubmit(true))))
	mux.HandleFunc("GET /orgs/{org}/improvements", s.inOrg(s.page(s.impListPage)))
	mux.HandleFunc("GET /orgs/{org}/improvements/export.xlsx", s.inOrg(s.page(s.workbook(s.impExport))))
	mux.HandleFunc("GET /orgs/{org}/improvements/new", s.inOrg(s.page(s.impNewPage)))
	mux.HandleFunc("POST /orgs/{org}/improvements", s.inOrg(s.page(s.impCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/improvements/{id}", s.inOrg(s.page(s.impPage)))
	mux.HandleFunc("GET /orgs/{org}/improvements/{id}/edit", s.inOrg(s.page(s.impEditPage)))
	mux.HandleFunc("POST /orgs/{org}/improvements/{id}", s.inOrg(s.page(s.impUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/improvements/{id}/delete", s.inOrg(s.page(s.impDeleteSubmit)))
	// Guide 2.4: the year's resources, planned against granted, and the
	// status report to management.
	mux.HandleFunc("GET /orgs/{org}/resources", s.inOrg(s.page(s.resListPage)))
	mux.HandleFunc("GET /orgs/{org}/resources/export.xlsx", s.inOrg(s.page(s.workbook(s.resExport))))
	mux.HandleFunc("GET /orgs/{org}/resources/new", s.inOrg(s.page(s.resNewPage)))
	mux.HandleFunc("POST /orgs/{org}/resources", s.inOrg(s.page(s.resCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/resources/{id}", s.inOrg(s.page(s.resPage)))
	mux.HandleFunc("GET /orgs/{org}/resources/{id}/edit", s.inOrg(s.page(s.resEditPage)))
	mux.HandleFunc("POST /orgs/{org}/resources/{id}", s.inOrg(s.page(s.resUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/resources/{id}/delete", s.inOrg(s.page(s.resDeleteSubmit)))
	mux.HandleFunc("POST /orgs/{org}/resources/{id}/grant", s.inOrg(s.page(s.resGrantSubmit)))
	// Guide 2.9 Ledelsesmæssig opfølgning (clause 9.3): management reviews
	// with their pack, frozen when sent, and decisions.
	mux.HandleFunc("GET /orgs/{org}/management-reviews", s.inOrg(s.page(s.mrevListPage)))
	mux.HandleFunc("GET /orgs/{org}/management-reviews/new", s.inOrg(s.page(s.mrevNewPage)))
	mux.HandleFunc("POST /orgs/{org}/management-reviews", s.inOrg(s.page(s.mrevCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/management-reviews/{id}", s.inOrg(s.page(s.mrevPage)))
	mux.HandleFunc("POST /orgs/{org}/management-reviews/{id}", s.inOrg(s.page(s.mrevUpdateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/management-reviews/{id}/pack", s.inOrg(s.page(s.mrevPackPage)))
	mux.HandleFunc("GET /orgs/{org}/management-reviews/{id}/pack.docx", s.inOrg(s.page(s.workbook(s.mrevPackDOCX))))
	mux.HandleFunc("POST /orgs/{org}/management-reviews/{id}/send", s.inOrg(s.page(s.mrevStep(s.mrevSend, "flash.mrev_sent"))))
	mux.HandleFunc("POST /orgs/{org}/management-reviews/{id}/hold", s.inOrg(s.page(s.mrevStep(s.mrevHold, "flash.mrev_held"))))
	mux.HandleFunc("POST /orgs/{org}/management-reviews/{id}/delete", s.inOrg(s.page(s.mrevDeleteSubmit)))
	mux.HandleFunc("POST /orgs/{org}/management-reviews/{id}/decisions", s.inOrg(s.page(s.mrevDecisionCreate)))
	mux.HandleFunc("POST /orgs/{org}/management-reviews/{id}/decisions/{decision}", s.inOrg(s.page(s.mrevDecisionUpdate)))
	mux.HandleFunc("POST /orgs/{org}/management-reviews/{id}/decisions/{decision}/delete", s.inOrg(s.page(s.mrevDecisionDelete)))

	mux.HandleFunc("GET /orgs/{org}/status-reports", s.inOrg(s.page(s.srListPage)))
	mux.HandleFunc("GET /orgs/{org}/status-reports/new", s.inOrg(s.page(s.srNewPage)))
	mux.HandleFunc("POST /orgs/{org}/status-reports", s.inOrg(s.page(s.srPresentSubmit)))
	mux.HandleFunc("GET /orgs/{org}/status-reports/{id}", s.inOrg(s.page(s.srPage)))
	mux.HandleFunc("POST /orgs/{org}/status-reports/{id}/receive", s.inOrg(s.page(s.srReceiveSubmit)))
	mux.HandleFunc("POST /orgs/{org}/status-reports/{id}/delete", s.inOrg(s.page(s.srDeleteSubmit)))
	// Guide 2.5 Kompetencer: the competence needs of the security roles
	// and the ISMS functions.
	mux.HandleFunc("GET /orgs/{org}/competence", s.inOrg(s.page(s.compNeedsPage)))
	mux.HandleFunc("GET /orgs/{org}/competence/needs/new", s.inOrg(s.page(s.compNeedNewPage)))
	mux.HandleFunc("POST /orgs/{org}/competence/needs", s.inOrg(s.page(s.compNeedCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/competence/needs/{id}", s.inOrg(s.page(s.compNeedPage)))
	mux.HandleFunc("GET /orgs/{org}/competence/needs/{id}/edit", s.inOrg(s.page(s.compNeedEditPage)))
	mux.HandleFunc("POST /orgs/{org}/competence/needs/{id}", s.inOrg(s.page(s.compNeedUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/competence/needs/{id}/delete", s.inOrg(s.page(s.compNeedDeleteSubmit)))
	mux.HandleFunc("GET /orgs/{org}/competence/people", s.inOrg(s.page(s.compPeoplePage)))
	mux.HandleFunc("GET /orgs/{org}/competence/matrix", s.inOrg(s.page(s.compMatrixPage)))
	mux.HandleFunc("GET /orgs/{org}/competence/matrix/export.xlsx", s.inOrg(s.page(s.workbook(s.compMatrixExport))))
	mux.HandleFunc("GET /orgs/{org}/competence/plans", s.inOrg(s.page(s.compPlansPage)))
	mux.HandleFunc("GET /orgs/{org}/competence/plans/new", s.inOrg(s.page(s.compPlanNewPage)))
	mux.HandleFunc("POST /orgs/{org}/competence/plans", s.inOrg(s.page(s.compPlanCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/competence/plans/{id}", s.inOrg(s.page(s.compPlanPage)))
	mux.HandleFunc("GET /orgs/{org}/competence/plans/{id}/edit", s.inOrg(s.page(s.compPlanEditPage)))
	mux.HandleFunc("POST /orgs/{org}/competence/plans/{id}", s.inOrg(s.page(s.compPlanUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/competence/plans/{id}/delete", s.inOrg(s.page(s.compPlanDeleteSubmit)))
	// Guide 2.6 Awareness: units, participation and its import, reach,
	// effect and settings.
	mux.HandleFunc("GET /orgs/{org}/awareness/units", s.inOrg(s.page(s.unitsPage)))
	mux.HandleFunc("POST /orgs/{org}/awareness/units", s.inOrg(s.page(s.unitCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/awareness/units/{id}", s.inOrg(s.page(s.unitPage)))
	mux.HandleFunc("GET /orgs/{org}/awareness/units/{id}/edit", s.inOrg(s.page(s.unitEditPage)))
	mux.HandleFunc("POST /orgs/{org}/awareness/units/{id}", s.inOrg(s.page(s.unitUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/awareness/units/{id}/delete", s.inOrg(s.page(s.unitDeleteSubmit)))
	mux.HandleFunc("GET /orgs/{org}/awareness/participation", s.inOrg(s.page(s.partListPage)))
	mux.HandleFunc("POST /orgs/{org}/awareness/participation", s.inOrg(s.page(s.partCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/awareness/participation/new", s.inOrg(s.page(s.partNewPage)))
	mux.HandleFunc("GET /orgs/{org}/awareness/participation/reach", s.inOrg(s.page(s.reachPage)))
	mux.HandleFunc("GET /orgs/{org}/awareness/participation/export.xlsx", s.inOrg(s.page(s.workbook(s.partExport))))
	mux.HandleFunc("POST /orgs/{org}/awareness/participation/{id}/delete", s.inOrg(s.page(s.partDeleteSubmit)))
	mux.HandleFunc("GET /orgs/{org}/awareness/imports/new", s.inOrg(s.page(s.partImportPage)))
	mux.HandleFunc("POST /orgs/{org}/awareness/imports", s.inOrg(s.upload(s.partImportUpload)))
	mux.HandleFunc("GET /orgs/{org}/awareness/import-uploads/{sha}", s.inOrg(s.page(s.partImportPreviewPage)))
	mux.HandleFunc("POST /orgs/{org}/awareness/import-uploads/{sha}", s.inOrg(s.page(s.partImportConfirm)))
	mux.HandleFunc("POST /orgs/{org}/awareness/import-uploads/{sha}/refuse", s.inOrg(s.page(s.partImportRefuse)))
	mux.HandleFunc("POST /orgs/{org}/awareness/imports/{id}/undo", s.inOrg(s.page(s.importUndoSubmit)))
	mux.HandleFunc("GET /orgs/{org}/awareness/effect", s.inOrg(s.page(s.effectPage)))
	mux.HandleFunc("GET /orgs/{org}/awareness/settings", s.inOrg(s.page(s.awarenessSettingsPage)))
	mux.HandleFunc("POST /orgs/{org}/awareness/settings", s.inOrg(s.page(s.awarenessSettingsSubmit)))
	mux.HandleFunc("GET /orgs/{org}/competence/records/new", s.inOrg(s.page(s.compRecordNewPage)))
	mux.HandleFunc("POST /orgs/{org}/competence/records", s.inOrg(s.page(s.compRecordCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/competence/records/{id}", s.inOrg(s.page(s.compRecordPage)))
	mux.HandleFunc("GET /orgs/{org}/competence/records/{id}/edit", s.inOrg(s.page(s.compRecordEditPage)))
	mux.HandleFunc("POST /orgs/{org}/competence/records/{id}", s.inOrg(s.page(s.compRecordUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/competence/records/{id}/delete", s.inOrg(s.page(s.compRecordDeleteSubmit)))
	// Guide 2.6 Awareness: the programme, the behaviour policy's
	// acknowledgement link and the public page it opens.
	mux.HandleFunc("GET /orgs/{org}/awareness", s.inOrg(s.page(s.awProgrammePage)))
	mux.HandleFunc("GET /orgs/{org}/awareness/activities/new", s.inOrg(s.page(s.awNewPage)))
	mux.HandleFunc("POST /orgs/{org}/awareness/activities", s.inOrg(s.page(s.awCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/awareness/activities/{id}", s.inOrg(s.page(s.awActivityPage)))
	mux.HandleFunc("GET /orgs/{org}/awareness/activities/{id}/edit", s.inOrg(s.page(s.awEditPage)))
	mux.HandleFunc("POST /orgs/{org}/awareness/activities/{id}", s.inOrg(s.page(s.awUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/awareness/activities/{id}/delete", s.inOrg(s.page(s.awDeleteSubmit)))
	mux.HandleFunc("POST /orgs/{org}/awareness/activities/{id}/held", s.inOrg(s.page(s.awHeldSubmit)))
	mux.HandleFunc("GET /orgs/{org}/awareness/acknowledgements", s.inOrg(s.page(s.ackPage)))
	mux.HandleFunc("GET /orgs/{org}/awareness/acknowledgements/export.xlsx", s.inOrg(s.page(s.workbook(s.ackExport))))
	mux.HandleFunc("POST /orgs/{org}/awareness/acknowledgements/link", s.inOrg(s.page(s.ackLinkCreate)))
	mux.HandleFunc("POST /orgs/{org}/awareness/acknowledgements/link/revoke", s.inOrg(s.page(s.ackLinkRevoke)))
	mux.HandleFunc("GET /ack/{token}", s.page(s.ackPublicPage))
	mux.HandleFunc("POST /ack/{token}", s.page(s.ackPublicSubmit))

	// Guide 2.7 Kommunikation: the communication plan.
	mux.HandleFunc("GET /orgs/{org}/communication", s.inOrg(s.page(s.commPlanPage)))
	mux.HandleFunc("GET /orgs/{org}/communication/export.xlsx", s.inOrg(s.page(s.workbook(s.commExport))))
	mux.HandleFunc("GET /orgs/{org}/communication/new", s.inOrg(s.page(s.commNewPage)))
	mux.HandleFunc("POST /orgs/{org}/communication", s.inOrg(s.page(s.commCreateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/communication/templates", s.inOrg(s.page(s.commTemplateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/communication/entries/{id}", s.inOrg(s.page(s.commEntryPage)))
	mux.HandleFunc("GET /orgs/{org}/communication/entries/{id}/edit", s.inOrg(s.page(s.commEditPage)))
	mux.HandleFunc("POST /orgs/{org}/communication/entries/{id}", s.inOrg(s.page(s.commUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/communication/entries/{id}/delete", s.inOrg(s.page(s.commDeleteSubmit)))
	mux.HandleFunc("POST /orgs/{org}/communication/entries/{id}/acknowledge", s.inOrg(s.page(s.commAcknowledgeSubmit)))

	// Guide 2.8 Dokumentation: the documentation register and its
	// documents' versions.
	mux.HandleFunc("GET /orgs/{org}/documents", s.inOrg(s.page(s.docListPage)))
	mux.HandleFunc("GET /orgs/{org}/documents/new", s.inOrg(s.page(s.docNewPage)))
	mux.HandleFunc("POST /orgs/{org}/documents", s.inOrg(s.page(s.docCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/documents/export.xlsx", s.inOrg(s.page(s.workbook(s.docExport))))
	mux.HandleFunc("GET /orgs/{org}/documents/requirements", s.inOrg(s.page(s.docRequirementsPage)))
	mux.HandleFunc("POST /orgs/{org}/documents/requirements/{id}/decision", s.inOrg(s.page(s.docDecideSubmit)))
	mux.HandleFunc("GET /orgs/{org}/documents/rules", s.inOrg(s.page(s.docRulesPage)))
	mux.HandleFunc("POST /orgs/{org}/documents/rules", s.inOrg(s.page(s.docRulesSubmit)))
	mux.HandleFunc("GET /orgs/{org}/documents/retention", s.inOrg(s.page(s.docRetentionPage)))
	mux.HandleFunc("POST /orgs/{org}/documents/retention", s.inOrg(s.page(s.docRetentionSubmit)))
	mux.HandleFunc("GET /orgs/{org}/documents/{id}", s.inOrg(s.page(s.docPage)))
	mux.HandleFunc("GET /orgs/{org}/documents/{id}/edit", s.inOrg(s.page(s.docEditPage)))
	mux.HandleFunc("POST /orgs/{org}/documents/{id}", s.inOrg(s.page(s.docUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/documents/{id}/review", s.inOrg(s.page(s.docReviewSubmit)))
	mux.HandleFunc("POST /orgs/{org}/documents/{id}/versions", s.inOrg(s.upload(s.docUploadSubmit)))
	mux.HandleFunc("POST /orgs/{org}/documents/{id}/versions/text", s.inOrg(s.page(s.docTextSubmit)))
	mux.HandleFunc("GET /orgs/{org}/documents/{id}/versions/{n}", s.inOrg(s.page(s.docVersionPage)))
	mux.HandleFunc("GET /orgs/{org}/documents/{id}/versions/{n}/download", s.inOrg(s.page(s.docDownload)))
	mux.HandleFunc("POST /orgs/{org}/documents/{id}/versions/{n}/delete-content", s.inOrg(s.page(s.docDeleteContentSubmit)))
	mux.HandleFunc("POST /orgs/{org}/documents/{id}/versions/{n}/{action}", s.inOrg(s.page(s.docTransitionSubmit)))

	// Guide 2.9 Drift og evaluering: the annual wheel, its plan, reminders
	// and calendar feed.
	mux.HandleFunc("GET /orgs/{org}/wheel", s.inOrg(s.page(s.wheelPage)))
	mux.HandleFunc("GET /orgs/{org}/wheel/list", s.inOrg(s.page(s.wheelListPage)))
	mux.HandleFunc("GET /orgs/{org}/wheel/export.xlsx", s.inOrg(s.page(s.workbook(s.wheelExport))))
	mux.HandleFunc("GET /orgs/{org}/wheel/activities", s.inOrg(s.page(s.wheelActivitiesPage)))
	mux.HandleFunc("GET /orgs/{org}/wheel/activities/new", s.inOrg(s.page(s.wheelActivityNewPage)))
	mux.HandleFunc("POST /orgs/{org}/wheel/activities", s.inOrg(s.page(s.wheelActivityCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/wheel/activities/{id}", s.inOrg(s.page(s.wheelActivityPage)))
	mux.HandleFunc("GET /orgs/{org}/wheel/activities/{id}/edit", s.inOrg(s.page(s.wheelActivityEditPage)))
	mux.HandleFunc("POST /orgs/{org}/wheel/activities/{id}", s.inOrg(s.page(s.wheelActivityUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/wheel/activities/{id}/delete", s.inOrg(s.page(s.wheelActivityDeleteSubmit)))
	mux.HandleFunc("GET /orgs/{org}/wheel/occurrences/{id}", s.inOrg(s.page(s.wheelOccurrencePage)))
	mux.HandleFunc("POST /orgs/{org}/wheel/occurrences/{id}/{action}", s.inOrg(s.page(s.wheelOccurrenceSubmit)))
	mux.HandleFunc("GET /orgs/{org}/wheel/plan", s.inOrg(s.page(s.wheelPlanPage)))
	mux.HandleFunc("POST /orgs/{org}/wheel/years/{year}/open", s.inOrg(s.page(s.wheelOpenYearSubmit)))
	mux.HandleFunc("POST /orgs/{org}/wheel/plan/submit", s.inOrg(s.page(s.wheelPlanSubmit)))
	mux.HandleFunc("POST /orgs/{org}/wheel/plan/approve", s.inOrg(s.page(s.wheelPlanApprove)))
	mux.HandleFunc("GET /orgs/{org}/wheel/topics", s.inOrg(s.page(s.wheelTopicsPage)))
	mux.HandleFunc("GET /orgs/{org}/wheel/feed", s.inOrg(s.page(s.wheelFeedPage)))
	mux.HandleFunc("POST /orgs/{org}/wheel/feed", s.inOrg(s.page(s.wheelFeedCreate)))
	mux.HandleFunc("POST /orgs/{org}/wheel/feed/revoke", s.inOrg(s.page(s.wheelFeedRevoke)))
	mux.HandleFunc("GET /orgs/{org}/wheel/reminders", s.inOrg(s.page(s.wheelRemindersPage)))
	mux.HandleFunc("POST /orgs/{org}/wheel/preferences", s.inOrg(s.page(s.wheelPreferencesSubmit)))
	mux.HandleFunc("GET /feeds/wheel/{file}", s.wheelFeedICS)

	// Guide section 3 Tjekliste: the live checklist.
	mux.HandleFunc("GET /orgs/{org}/checklist", s.inOrg(s.page(s.checklistPage)))
	mux.HandleFunc("POST /orgs/{org}/checklist/{question}", s.inOrg(s.page(s.answerSubmit)))
	mux.HandleFunc("GET /orgs/{org}/checklist/history.svg", s.inOrg(s.page(s.checklistChart)))

	// The JSON API, every operation (apiRoutes, below).
	s.apiRoutes(mux)

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if len(r.URL.Path) > 7 && r.URL.Path[:8] == "/api/v1/" {
			s.jsonError(w, r, errPageNotFound)
			return
		}
		s.fail(w, r, errPageNotFound)
	})

	h := withPattern(mux)
	h = s.refuseNUL(h)
	h = limitPublicBodies(h)
	h = s.authenticate(h)
	h = s.crossOrigin(h)
	h = limitBody(maxBody, h)
	h = securityHeaders(h)
	h = s.recoverer(h)
	h = s.instrument(h)
	return h
}

// maxBody limits request bodies, except the document uploads' (see
// limitBody).
const maxBody = 2 << 20

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.Ping != nil {
		if err := s.Ping(r.Context()); err != nil {
			s.log.ErrorContext(r.Context(), "readyz", "err", err)
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

// apiRoutes lists every operation of the JSON API, in the guide's order.
// An operation that only passes through to a service method is one
// createRoute/readRoute/updateRoute/deleteRoute/listRoute line
// (api_service.go); one that does more names its handler, written in the
// element's *_api.go file. The OpenAPI document is made from this table.
func (s *Server) apiRoutes(mux *http.ServeMux) {
	// Organisations, members and invitations, the audit trail, accounts.
	s.handleAPIs(mux, "organisations",
		readRoute("GET /api/v1/organisations", "List the organisations the caller may see", s.Orgs.Organisations),
		createRoute("POST /api/v1/organisations", "Create an organisation (site administrators; administrators of the parent for a child)", s.Orgs.CreateOrganisation),
		readRoute("GET /api/v1/organisations/{org}", "Read an organisation", s.Orgs.Organisation),
		updateRoute("PUT /api/v1/organisations/{org}", "Change an organisation's name, purpose or parent (send the version you read)", s.Orgs.UpdateOrganisation),
	)
	s.handleAPIs(mux, "memberships",
		readRoute("GET /api/v1/organisations/{org}/memberships", "List the members and their roles", s.Orgs.Memberships),
		createRoute("POST /api/v1/organisations/{org}/memberships", "Give an existing user (by e-mail) a role (site administrators; an organisation's administrator invites instead)", s.Orgs.AddMembership),
		updateRoute("PUT /api/v1/organisations/{org}/memberships/{id}", "Change a member's role or oversight right", s.Orgs.UpdateMembership),
		deleteRoute("DELETE /api/v1/organisations/{org}/memberships/{id}", "Remove a member", s.Orgs.RemoveMembership),
		apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/invitations", Status: http.StatusCreated, Summary: inviteSummary, Request: isms.InvitationInput{}, Response: &InvitationCreated{}, Handle: s.inviteAPI},
		listRoute("GET /api/v1/organisations/{org}/invitations", "List the organisation's invitations, newest first (administrators)", invitationQuery, invitationFilterFrom, s.Invitations.Invitations),
		deleteRoute("DELETE /api/v1/organisations/{org}/invitations/{id}", "Revoke a pending invitation (administrators): its link stops working and says so; the invitation stays listed as revoked", s.Invitations.RevokeInvitation),
	)
	s.handleAPIs(mux, "audit",
		apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/audit", Summary: "The organisation's audit trail, newest first", Query: auditQuery, Response: listResponse[*isms.AuditEvent]{}, Handle: s.auditTrailAPI},
	)
	s.handleAPIs(mux, "account",
		apiRoute{Method: "GET", Pattern: "/api/v1/me", Summary: "The caller's own account", Response: &isms.User{}, Handle: s.meAPI},
		readRoute("GET /api/v1/account/notification-preferences", "How the caller wants notifications mailed: immediate, daily, weekly or none", s.Notifications.NotificationPreferences),
		updateRoute("PUT /api/v1/account/notification-preferences", "Choose how notifications are mailed: immediate (one mail each), daily or weekly digest, or none (the inbox only); escalations of incident reporting deadlines are mailed at once unless none", s.Notifications.SetNotificationPreferences),
	)
	s.handleAPIs(mux, "notifications",
		listRoute("GET /api/v1/organisations/{org}/notifications", "The caller's own notifications in the organisation, newest first: assigned to them, due soon, overdue, incident reporting deadlines (only members receive any)", notificationsQuery, limitedTo(inboxFilterFrom, 100), s.Notifications.Notifications),
		updateRoute("POST /api/v1/organisations/{org}/notifications/{id}/read", "Mark one of the caller's notifications read", s.Notifications.MarkNotificationRead),
		updateRoute("POST /api/v1/organisations/{org}/notifications/read-all", "Mark all the caller's notifications in the organisation read; answers how many were unread", s.notificationReadAllAPI),
	)
	s.handleAPIs(mux, "sso",
		readRoute("GET /api/v1/sso/role-mappings", "The single sign-on role mappings: claim value → organisation and role, applied at every login through a provider (site administrators)", s.SSO.SSORoleMappings),
		createRoute("POST /api/v1/sso/role-mappings", "Add a role mapping (site administrators): everyone whose group or role claim holds claim_value gets the role in the organisation at their next login; provider empty for any provider", s.SSO.CreateSSORoleMapping),
		deleteRoute("DELETE /api/v1/sso/role-mappings/{id}", "Delete a role mapping (site administrators); the memberships it gave are removed at each person's next login", s.SSO.DeleteSSORoleMapping),
		readRoute("GET /api/v1/sso/identities", "The provider subjects linked to accounts, most recent login first (site administrators)", s.SSO.SSOIdentities),
	)
	s.handleAPIs(mux, "users",
		apiRoute{Method: "GET", Pattern: "/api/v1/users", Summary: "List the site's user accounts, filtered, sorted and paginated (site administrators)", Query: userQuery, Response: listResponse[*isms.User]{}, Handle: s.usersAPI},
		createRoute("POST /api/v1/users", "Create a user account (site administrators); the password must have at least 10 characters", s.Users.CreateUser).withBody(isms.UserInput{}),
		readRoute("GET /api/v1/users/{id}", "Read a user account (site administrators)", s.Accounts.Account),
		updateRoute("PATCH /api/v1/users/{id}", updateUserSummary, s.Accounts.UpdateUser),
		updateRoute("PUT /api/v1/users/{id}/password", "Reset a user's password (site administrators; send the version you read): the user's sessions end and their API tokens are revoked", s.Accounts.ResetPassword),
	)

	// Guide 2.1: the business overview and the scope.
	s.handleAPIs(mux, "business overview",
		listRoute("GET /api/v1/organisations/{org}/entries", "List the business-overview registers (guide 2.1), filtered, sorted and paginated", entryQuery, limitedTo(entryFilterFrom, 100), s.Overview.OverviewEntries),
		createRoute("POST /api/v1/organisations/{org}/entries", "Add an entry to a register", s.Overview.CreateOverviewEntry),
		readRoute("GET /api/v1/organisations/{org}/entries/{id}", "Read an entry", s.Overview.OverviewEntry),
		updateRoute("PUT /api/v1/organisations/{org}/entries/{id}", "Change an entry (send the version you read)", s.Overview.UpdateOverviewEntry),
		deleteRoute("DELETE /api/v1/organisations/{org}/entries/{id}", "Delete an entry (send the version you read)", s.Overview.DeleteOverviewEntry),
		readRoute("GET /api/v1/organisations/{org}/scope", "Read the ISMS scope (version 0 when none is recorded)", s.Overview.Scope),
		updateRoute("PUT /api/v1/organisations/{org}/scope", "Record the ISMS scope (send the version you read; 0 for the first)", s.Overview.SaveScope),
		updateRoute("POST /api/v1/organisations/{org}/scope/approve", "Approve the current version of the scope (management)", s.Overview.ApproveScope),
	)

	// Guide 2.2: leadership — roles and holders, ISMS activities and the
	// responsibility matrix, forums, meetings, decisions, the seven topics.
	s.handleAPIs(mux, "leadership",
		readRoute("GET /api/v1/organisations/{org}/security-roles", "List the security roles with their holders, deputies and systems (guide 2.2)", s.Leadership.SecurityRoles),
		createRoute("POST /api/v1/organisations/{org}/security-roles", "Add a security role (holders and deputies must be members; system_ids name IT systems of the business overview)", s.Leadership.CreateSecurityRole),
		apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/security-roles/templates", Status: http.StatusCreated, Summary: roleTemplatesSummary, Request: templatesBody{}, Response: []*isms.SecurityRole{}, Handle: s.addRoleTemplatesAPI},
		readRoute("GET /api/v1/organisations/{org}/security-roles/{id}", "Read a security role", s.Leadership.SecurityRole),
		updateRoute("PUT /api/v1/organisations/{org}/security-roles/{id}", "Change a security role (send the version you read)", s.Leadership.UpdateSecurityRole),
		updateRoute("PUT /api/v1/organisations/{org}/security-roles/{id}/holders", "Set who holds a role and who stands in (send the version you read)", s.Leadership.SetRoleHolders),
		deleteRoute("DELETE /api/v1/organisations/{org}/security-roles/{id}", "Delete a security role (refused while it is accountable for an activity or sends communication)", s.Leadership.DeleteSecurityRole),
		readRoute("GET /api/v1/organisations/{org}/isms-activities", "List the ISMS activities of the responsibility matrix", s.Leadership.ISMSActivities),
		createRoute("POST /api/v1/organisations/{org}/isms-activities", "Add an ISMS activity", s.Leadership.CreateISMSActivity),
		apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/isms-activities/templates", Status: http.StatusCreated, Summary: "Add offered activities (" + strings.Join(isms.ActivityTemplates, ", ") + "); no keys adds every one not yet added", Request: templatesBody{}, Response: []*isms.ISMSActivity{}, Handle: s.addActivityTemplatesAPI},
		updateRoute("PUT /api/v1/organisations/{org}/isms-activities/{id}", "Change an ISMS activity (send the version you read)", s.Leadership.UpdateISMSActivity),
		deleteRoute("DELETE /api/v1/organisations/{org}/isms-activities/{id}", "Delete an ISMS activity and its row of the matrix", s.Leadership.DeleteISMSActivity),
		readRoute("GET /api/v1/organisations/{org}/responsibility-matrix", "The list of roles and responsibilities: roles, activities, the RACI matrix, its version and management's approval", s.Leadership.RolesList),
		updateRoute("PUT /api/v1/organisations/{org}/responsibility-matrix", "Replace the whole RACI matrix (values R, A, AR, C, I; every activity exactly one accountable role; send the list's version)", s.Leadership.SaveMatrix),
		updateRoute("POST /api/v1/organisations/{org}/responsibility-matrix/approve", "Approve the current list of roles and responsibilities (management; send the list's version)", s.Leadership.ApproveRolesList),
		readRoute("GET /api/v1/organisations/{org}/forums", "List the forums (the security committee and others) with members and chair", s.Leadership.Forums),
		createRoute("POST /api/v1/organisations/{org}/forums", "Set up a forum with its mandate, members and chair (the chair is made a member)", s.Leadership.CreateForum),
		readRoute("GET /api/v1/organisations/{org}/forums/{id}", "Read a forum", s.Leadership.Forum),
		updateRoute("PUT /api/v1/organisations/{org}/forums/{id}", "Change a forum, its members or chair (send the version you read)", s.Leadership.UpdateForum),
		deleteRoute("DELETE /api/v1/organisations/{org}/forums/{id}", "Delete a forum without meetings", s.Leadership.DeleteForum),
		apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/forums/{id}/meetings", Summary: "List a forum's meetings, newest first, with agenda and decisions", Query: meetingQuery, Response: listResponse[*isms.Meeting]{}, Handle: s.forumMeetingsAPI},
		createRoute("POST /api/v1/organisations/{org}/forums/{id}/meetings", "Plan or record a meeting with its agenda (items tagged with management topics)", s.Leadership.CreateMeeting),
		listRoute("GET /api/v1/organisations/{org}/meetings", "List the meetings of every forum, newest first", meetingQuery, meetingFilterFrom, s.Leadership.Meetings),
		readRoute("GET /api/v1/organisations/{org}/meetings/{id}", "Read a meeting with its agenda, minutes and decisions", s.Leadership.Meeting),
		updateRoute("PUT /api/v1/organisations/{org}/meetings/{id}", "Change a meeting and replace its agenda (send the version you read)", s.Leadership.UpdateMeeting),
		deleteRoute("DELETE /api/v1/organisations/{org}/meetings/{id}", "Delete a meeting without decisions", s.Leadership.DeleteMeeting),
		listRoute("GET /api/v1/organisations/{org}/decisions", "List the forums' decisions by follow-up date", decisionQuery, limitedTo(decisionFilterFrom, 100), s.Leadership.Decisions),
		createRoute("POST /api/v1/organisations/{org}/meetings/{id}/decisions", "Record a decision of a held meeting (an owner who is a member is required)", s.Leadership.CreateDecision),
		readRoute("GET /api/v1/organisations/{org}/decisions/{id}", "Read a decision", s.Leadership.Decision),
		updateRoute("PUT /api/v1/organisations/{org}/decisions/{id}", "Change a decision (send the version you read)", s.Leadership.UpdateDecision),
		updateRoute("POST /api/v1/organisations/{org}/decisions/{id}/follow-up", "Record how a decision's follow-up stands (the coordinator or the decision's owner)", s.Leadership.RecordFollowUp),
		deleteRoute("DELETE /api/v1/organisations/{org}/decisions/{id}", "Delete a decision recorded by mistake", s.Leadership.DeleteDecision),
		apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/management-topics", Summary: "The seven management topics of guide 2.2: when management last dealt with each and when it next will, with the evidence", Response: []topicStatusJSON{}, Handle: s.managementTopicsAPI},
	)

	// Guide 2.3: risk management — the method, assets, threats,
	// assessments, the register, the treatment plan and controls.
	s.handleAPIs(mux, riskTag,
		readRoute("GET /api/v1/organisations/{org}/risk-method", "Read the risk method: scale, acceptance criteria, dimensions, reassessment interval (version 0 while the defaults apply)", s.Risk.RiskMethod),
		updateRoute("PUT /api/v1/organisations/{org}/risk-method", "Set the risk method (scale_key: SCALE_1_4, SCALE_1_4_KL, SCALE_1_4_HERNING, SCALE_1_4_DATATILSYNET or custom with scale)", s.Risk.SaveRiskMethod),
		listRoute("GET /api/v1/organisations/{org}/assets", "List the assets: the business overview's processes, information and systems, and supporting assets", assetQuery, limitedTo(assetFilterFrom, 100), s.Risk.Assets),
		createRoute("POST /api/v1/organisations/{org}/assets", "Add a supporting asset", s.Risk.CreateAsset),
		readRoute("GET /api/v1/organisations/{org}/assets/{id}", "Read an asset", s.Risk.Asset),
		updateRoute("PUT /api/v1/organisations/{org}/assets/{id}", "Change an asset (of a primary asset only owner, criticality and needs; null to derive)", s.Risk.UpdateAsset),
		deleteRoute("DELETE /api/v1/organisations/{org}/assets/{id}", "Delete a supporting asset no assessment covers", s.Risk.DeleteAsset),
		apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/threats", Summary: "List the threats: the shipped catalogue's and the organisation's own", Query: threatQuery, Response: []*isms.Threat{}, Handle: s.threatsAPI},
		createRoute("POST /api/v1/organisations/{org}/threats", "Add a threat to an own catalogue (marks the assessments it may apply to for reassessment)", s.Risk.CreateThreat),
		readRoute("GET /api/v1/organisations/{org}/threats/{id}", "Read a threat", s.Risk.Threat),
		updateRoute("PUT /api/v1/organisations/{org}/threats/{id}", "Change an own threat", s.Risk.UpdateThreat),
		readRoute("GET /api/v1/organisations/{org}/threat-catalogues", "List the threat catalogues", s.Risk.ThreatCatalogues),
		createRoute("POST /api/v1/organisations/{org}/threat-catalogues", "Add an own threat catalogue", s.Risk.CreateThreatCatalogue),
		updateRoute("PUT /api/v1/organisations/{org}/threat-catalogues/{id}", "Rename an own threat catalogue", s.Risk.UpdateThreatCatalogue),
		listRoute("GET /api/v1/organisations/{org}/risk-assessments", "List the risk assessments", riskAssessmentQuery, limitedTo(riskAssessmentFilterFrom, 100), s.Risk.RiskAssessments),
		createRoute("POST /api/v1/organisations/{org}/risk-assessments", "Begin a risk assessment of an asset or a scenario", s.Risk.CreateRiskAssessment),
		readRoute("GET /api/v1/organisations/{org}/risk-assessments/{id}", "Read a risk assessment", s.Risk.RiskAssessment),
		updateRoute("PUT /api/v1/organisations/{org}/risk-assessments/{id}", "Change a risk assessment", s.Risk.UpdateRiskAssessment),
		updateRoute("POST /api/v1/organisations/{org}/risk-assessments/{id}/complete", "Record that the assessment was carried out (or again) today", s.Risk.CompleteRiskAssessment),
		updateRoute("POST /api/v1/organisations/{org}/risk-assessments/{id}/mark", "Mark a completed assessment for ad-hoc reassessment, with the reason", s.Risk.MarkRiskReassessment).withBody(riskMarkBody{}),
		deleteRoute("DELETE /api/v1/organisations/{org}/risk-assessments/{id}", "Delete an assessment with its risks", s.Risk.DeleteRiskAssessment),
		s.kept(listRoute("GET /api/v1/organisations/{org}/risks", "The risk register, filtered, sorted and paginated", riskQuery, limitedTo(riskFilterFrom, 100), s.Risk.Risks)),
		createRoute("POST /api/v1/organisations/{org}/risks", "Add a risk to an assessment", s.Risk.CreateRisk),
		apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/risks/heatmap", Summary: "Counts of risks per cell before and after treatment, for the register's filter", Query: riskQuery, Response: &isms.RiskHeatMap{}, Handle: s.riskHeatMapAPI},
		readRoute("GET /api/v1/organisations/{org}/risks/summary", "The register's headline: risks in all, needing acceptance, past a deadline, undecided", s.Risk.RiskSummary),
		apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/risks/import", Summary: riskImportSummary, Query: riskImportQuery, Upload: spreadsheetUpload, Response: &riskImportResponse{}, Handle: s.importRiskSheetAPI},
		readRoute("GET /api/v1/organisations/{org}/import-mappings", importMappingsSummary, s.importMappings().ImportMappings),
		readRoute("GET /api/v1/organisations/{org}/import-mappings/{id}", "Read a saved import mapping", s.importMappings().ImportMapping),
		deleteRoute("DELETE /api/v1/organisations/{org}/import-mappings/{id}", "Forget a saved import mapping: the next file of its shape is read by the proposal", s.importMappings().DeleteImportMapping),
		apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/risks/{id}", Summary: "Read a risk with its controls and the history of its acceptances", Response: &riskPageResponse{}, Handle: s.readRiskAPI},
		updateRoute("PUT /api/v1/organisations/{org}/risks/{id}", "Change a risk (send the version you read)", s.Risk.UpdateRisk),
		deleteRoute("DELETE /api/v1/organisations/{org}/risks/{id}", "Delete a risk with its actions", s.Risk.DeleteRisk),
		updateRoute("POST /api/v1/organisations/{org}/risks/{id}/acceptance", "Accept a residual risk above the acceptance criteria (management), with a reason and an expiry", s.Risk.AcceptRisk),
		listRoute("GET /api/v1/organisations/{org}/risk-tasks", "The risk treatment plan's actions", riskTaskQuery, limitedTo(riskTaskFilterFrom, 100), s.Risk.RiskTasks),
		createRoute("POST /api/v1/organisations/{org}/risk-tasks", "Add an action to the treatment plan", s.Risk.CreateRiskTask),
		readRoute("GET /api/v1/organisations/{org}/risk-tasks/{id}", "Read an action", s.Risk.RiskTask),
		updateRoute("PUT /api/v1/organisations/{org}/risk-tasks/{id}", "Change an action", s.Risk.UpdateRiskTask),
		deleteRoute("DELETE /api/v1/organisations/{org}/risk-tasks/{id}", "Delete an action", s.Risk.DeleteRiskTask),
		readRoute("GET /api/v1/organisations/{org}/risk-controls", "The controls a risk can name: Annex A 2022 and the organisation's own", s.Risk.RiskControlOptions),
		createRoute("POST /api/v1/organisations/{org}/risk-controls", "Add an own control", s.Risk.CreateOwnRiskControl),
	)

	// Guide 2.3: the Statement of Applicability.
	s.handleAPIs(mux, "statement of applicability",
		apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/soa", Summary: soaSummary, Query: soaQuery, Response: &isms.StatementOfApplicability{}, Handle: s.soaAPI},
		apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/soa/controls", Summary: "The SoA lines of the controls a risk's treatment uses", Query: []apiParam{{"risk", "integer", "the risk's id (required)"}}, Response: []*isms.SoAControl{}, Handle: s.soaControlsOfRiskAPI},
		readRoute("GET /api/v1/organisations/{org}/soa/controls/{id}", "One SoA line with its risks, requirements, documents and documentation choices", s.SoA.SoAControl),
		updateRoute("PUT /api/v1/organisations/{org}/soa/controls/{id}", "Record the decision on a control (send the version you read; 0 for a control never recorded)", s.SoA.SaveSoAControl),
		createRoute("POST /api/v1/organisations/{org}/soa/own-controls", "Add a control of the organisation's own to the SoA", s.SoA.CreateOwnControl),
		updateRoute("PUT /api/v1/organisations/{org}/soa/own-controls/{id}", "Change an own control's reference, theme or title (send the line's version)", s.SoA.UpdateOwnControl),
		deleteRoute("DELETE /api/v1/organisations/{org}/soa/own-controls/{id}", "Delete an own control no risk relies on (send the line's version)", s.SoA.DeleteOwnControl),
		readRoute("GET /api/v1/organisations/{org}/soa/versions", "The frozen versions of the SoA, newest first", s.SoA.SoAVersions),
		createRoute("POST /api/v1/organisations/{org}/soa/versions", "Freeze the current state as a new version (send the state_token of the state you reviewed)", s.SoA.FreezeSoA),
		readRoute("GET /api/v1/organisations/{org}/soa/versions/{id}", "A frozen version with its snapshot and whether it still matches its checksum", s.SoA.SoAVersion),
		updateRoute("POST /api/v1/organisations/{org}/soa/versions/{id}/approve", "Approve the latest frozen version (management)", s.SoA.ApproveSoAVersion),
		apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/soa/diff", Summary: "What changed between two versions, or between a version and the current state", Query: soaDiffQuery, Response: &isms.SoADiff{}, Handle: s.soaDiffAPI},
		apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/soa/import/preview", Summary: "Preview the import of a 2013 SoA (CSV or XLSX): the mapping to 2022, the flagged controls and every problem by row and column", Request: soaImportBody{}, Response: &soaImportPreviewResponse{}, Handle: s.soaImportPreviewAPI},
		apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/soa/import", Summary: "Import a 2013 SoA in one transaction, once every row parses and every flagged control is decided (send the preview's state_token)", Request: soaImportBody{}, Response: &isms.SoAImportResult{}, Handle: s.soaImportAPI},
	)

	// Guide 2.9: the incident log with its reporting clocks.
	s.handleAPIs(mux, "incidents",
		listRoute("GET /api/v1/organisations/{org}/incidents", "List the incident log (guide 2.9), filtered, sorted and paginated", incidentsQuery, limitedTo(incFilterFrom, 100), s.Incidents.Incidents),
		createRoute("POST /api/v1/organisations/{org}/incidents", "Report a security event (any member of the organisation, readers included); it awaits triage", s.Incidents.ReportEvent),
		readRoute("GET /api/v1/organisations/{org}/incidents/{id}", "Read a reported event or incident with the assets it touched and the reports sent", s.Incidents.Incident),
		updateRoute("POST /api/v1/organisations/{org}/incidents/{id}/triage", "Triage a reported event: an incident with category and severity, or not an incident with the reason (send the version you read)", s.Incidents.TriageIncident),
		updateRoute("PUT /api/v1/organisations/{org}/incidents/{id}", "Change a triaged incident (send the version you read); closing needs the lessons learned", s.Incidents.UpdateIncident),
		deleteRoute("DELETE /api/v1/organisations/{org}/incidents/{id}", "Delete an event awaiting triage or triaged as not an incident; an incident stays in the log", s.Incidents.DeleteIncident),
		readRoute("GET /api/v1/organisations/{org}/incidents/{id}/clocks", "The incident's NIS2 and GDPR reporting clocks as they stand now: due, overdue, met or late", s.incClocksAPI),
		readRoute("GET /api/v1/organisations/{org}/incidents/{id}/timeline", "List the incident's timeline, oldest first", s.Incidents.IncidentTimeline),
		createRoute("POST /api/v1/organisations/{org}/incidents/{id}/timeline", "Add a dated entry to the incident's timeline: what happened or was done, and by whom", s.Incidents.AddIncidentTimeline),
		deleteRoute("DELETE /api/v1/organisations/{org}/incidents/{id}/timeline/{entry}", "Delete a timeline entry recorded in error", s.Incidents.DeleteIncidentTimeline),
		createRoute("POST /api/v1/organisations/{org}/incidents/{id}/reports", "Record a report sent to an authority (NIS2 early warning, notification or final report; GDPR notification); it stops its clock", s.Incidents.AddIncidentReport),
		deleteRoute("DELETE /api/v1/organisations/{org}/incidents/{id}/reports/{report}", "Delete a report recorded in error", s.Incidents.DeleteIncidentReport),
		readRoute("GET /api/v1/organisations/{org}/incident-settings", "Read the incident settings: whether NIS2 and GDPR apply and the severity scale (empty for the default scale)", s.Incidents.IncidentSettings),
		updateRoute("PUT /api/v1/organisations/{org}/incident-settings", "Change the incident settings (send the version you read)", s.Incidents.UpdateIncidentSettings),
		createRoute("POST /api/v1/organisations/{org}/incidents/{id}/nonconformity", "Register the nonconformity of an incident flagged as one, prefilled from the incident (send the incident's version); answers the nonconformity", s.Incidents.RegisterIncidentNonconformity),
		updateRoute("PUT /api/v1/organisations/{org}/incidents/{id}/links", "Set the risks the incident touched, the threats it shows and the controls that failed or helped (send the incident's version; what is left out is unlinked)", s.Incidents.SetIncidentLinks),
		updateRoute("POST /api/v1/organisations/{org}/incidents/{id}/threats", "Add a new threat to an own threat catalogue and name it on the incident, in one step (send the incident's version)", s.Incidents.AddIncidentThreat),
		readRoute("GET /api/v1/organisations/{org}/incidents/{id}/communications", "The communication plan's entries for the incident: applying by their case or attached, carried out or not, and the gaps of a personal data breach", s.Incidents.IncidentCommunications),
		createRoute("POST /api/v1/organisations/{org}/incidents/{id}/communications", "Record a plan entry carried out for the incident: when, by whom and a note (once per entry); adds a timeline entry", s.Incidents.RecordIncidentCommunication),
		createRoute("POST /api/v1/organisations/{org}/incidents/{id}/communications/attach", "Attach a plan entry to the incident, to be carried out for it", s.Incidents.AttachIncidentCommunication),
		deleteRoute("DELETE /api/v1/organisations/{org}/incidents/{id}/communications/{comm}", "Delete a communication recorded or attached in error", s.Incidents.DeleteIncidentCommunication),
		readRoute("GET /api/v1/organisations/{org}/risks/{id}/incidents", "The security incidents that name the risk, newest first", s.Incidents.IncidentsOfRisk),
		readRoute("GET /api/v1/organisations/{org}/soa/controls/{id}/incidents", "The security incidents that name the control (with how it fared) or touched a risk it treats (with the risk), newest first", s.Incidents.IncidentsOfControl),
		readRoute("GET /api/v1/organisations/{org}/communication-plan/{id}/incidents", "The security incidents a plan entry was attached to or carried out for, newest first", s.Incidents.IncidentsOfCommunication),
		readRoute("GET /api/v1/organisations/{org}/incident-intake-link", "The public reporting link's state: whether it is on, since when, by whom, and how many events came through it", s.IncidentIntake.IncidentIntakeLink),
		apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/incident-intake-link", Status: http.StatusCreated, Summary: "Turn on the public reporting link for security events, or make a new one in place of the old (coordinators); the token is in this response only", Response: &IntakeLinkCreated{}, Handle: s.intakeLinkCreateAPI},
		deleteRoute("DELETE /api/v1/organisations/{org}/incident-intake-link", "Turn off the public reporting link (coordinators)", s.IncidentIntake.RevokeIncidentIntakeLink),
	)

	// Guide 2.9: the supplier register, agreements and supervision.
	s.handleAPIs(mux, "suppliers",
		listRoute("GET /api/v1/organisations/{org}/suppliers", "List the supplier register (guide 2.9), filtered, sorted and paginated, each supplier with its links and next supervision", suppliersQuery, limitedTo(supFilterFrom, 100), s.Suppliers.Suppliers),
		readRoute("GET /api/v1/organisations/{org}/suppliers/choices", "What a supplier may be linked to: the business-critical systems, information and processes, the Annex A and own controls, and the risks", s.Suppliers.SupplierChoices),
		createRoute("POST /api/v1/organisations/{org}/suppliers", "Register a supplier (an active one needs an owner; a CVR number is checked)", s.Suppliers.CreateSupplier),
		readRoute("GET /api/v1/organisations/{org}/suppliers/{id}", "Read a supplier with its dependencies, outsourced controls and risks and its next supervision", s.Suppliers.Supplier),
		updateRoute("PUT /api/v1/organisations/{org}/suppliers/{id}", "Change a supplier (send the version you read); the links are replaced whole", s.Suppliers.UpdateSupplier),
		deleteRoute("DELETE /api/v1/organisations/{org}/suppliers/{id}", "Delete a supplier with its agreements and supervisions", s.Suppliers.DeleteSupplier),
		readRoute("GET /api/v1/organisations/{org}/suppliers/{id}/agreements", "List a supplier's contracts and data processing agreements, those ending first", s.Suppliers.SupplierAgreements),
		createRoute("POST /api/v1/organisations/{org}/suppliers/{id}/agreements", "Record a contract or data processing agreement (GDPR Art. 28) of a supplier", s.Suppliers.AddSupplierAgreement),
		updateRoute("PUT /api/v1/organisations/{org}/suppliers/{id}/agreements/{agreement}", "Change an agreement (send the version you read)", s.Suppliers.UpdateSupplierAgreement),
		deleteRoute("DELETE /api/v1/organisations/{org}/suppliers/{id}/agreements/{agreement}", "Delete an agreement", s.Suppliers.DeleteSupplierAgreement),
		readRoute("GET /api/v1/organisations/{org}/suppliers/{id}/supervisions", "List a supplier's supervisions, newest planned first", s.Suppliers.Supervisions),
		createRoute("POST /api/v1/organisations/{org}/suppliers/{id}/supervisions", "Plan or record a supervision of a supplier (method, result, findings, an ISAE statement's period, follow-up)", s.Suppliers.CreateSupervision),
		readRoute("GET /api/v1/organisations/{org}/supplier-supervisions/{id}", "Read a supervision", s.Suppliers.Supervision),
		updateRoute("PUT /api/v1/organisations/{org}/supplier-supervisions/{id}", "Change a supervision (send the version you read)", s.Suppliers.UpdateSupervision),
		deleteRoute("DELETE /api/v1/organisations/{org}/supplier-supervisions/{id}", "Delete a supervision", s.Suppliers.DeleteSupervision),
		readRoute("GET /api/v1/organisations/{org}/supplier-supervisions/{id}/questionnaire", "Read the supervision's supplier questionnaire: its questions with the supplier's answers, its state, last day and respondent", s.Questionnaires.SupervisionQuestionnaire),
		apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/supplier-supervisions/{id}/questionnaire", Status: http.StatusCreated, Summary: "Make the questionnaire of a supervision by questionnaire with its secret link for the supplier (mailed to send_to when mail is configured); the token is in this response only", Request: isms.QuestionnaireInput{}, Response: &QuestionnaireCreated{}, Handle: s.qnCreateAPI},
		updateRoute("POST /api/v1/organisations/{org}/supplier-supervisions/{id}/questionnaire/reopen", "Reopen a submitted or expired questionnaire for the supplier to amend, until a new last day (send the version you read)", s.Questionnaires.ReopenQuestionnaire),
		deleteRoute("DELETE /api/v1/organisations/{org}/supplier-supervisions/{id}/questionnaire", "Revoke the questionnaire's link (send the version you read); the answers stay", s.Questionnaires.RevokeQuestionnaire),
	)
	s.handleAPIs(mux, "suppliers",
		apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/suppliers/import", Summary: supImportSummary, Query: regImportQuery, Upload: spreadsheetUpload, Response: &regImportResponse{}, Handle: s.regImportAPI(isms.ImportSuppliers)})
	s.handleAPIs(mux, "incidents",
		apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/incidents/import", Summary: incImportSummary, Query: regImportQuery, Upload: spreadsheetUpload, Response: &regImportResponse{}, Handle: s.regImportAPI(isms.ImportIncidents)})
	s.registerMoreImportAPIs(mux)

	// Guide 2.4: the information security objectives.
	s.handleAPIs(mux, "objectives",
		listRoute("GET /api/v1/organisations/{org}/objectives", "List the information security objectives (guide 2.4), filtered, sorted and paginated", objectivesQuery, limitedTo(objFilterFrom, 100), s.Objectives.Objectives),
		createRoute("POST /api/v1/organisations/{org}/objectives", "Add an objective (a current one needs an owner; a target value needs its unit)", s.Objectives.CreateObjective),
		readRoute("GET /api/v1/organisations/{org}/objectives/{id}", "Read an objective with its latest measurement and approval", s.Objectives.Objective),
		updateRoute("PUT /api/v1/organisations/{org}/objectives/{id}", "Change an objective (send the version you read); a change after approval awaits approval again", s.Objectives.UpdateObjective),
		deleteRoute("DELETE /api/v1/organisations/{org}/objectives/{id}", "Delete an objective with its measurements", s.Objectives.DeleteObjective),
		updateRoute("POST /api/v1/organisations/{org}/objectives/{id}/approve", "Approve an objective as it stands (management; send the version you read)", s.Objectives.ApproveObjective).withBody(versionBody{}),
		readRoute("GET /api/v1/organisations/{org}/objectives/{id}/progress", "List an objective's progress measurements, newest first", s.Objectives.ObjectiveProgress),
		createRoute("POST /api/v1/organisations/{org}/objectives/{id}/progress", "Record a dated measurement of an objective's progress", s.Objectives.AddObjectiveProgress),
		deleteRoute("DELETE /api/v1/organisations/{org}/objectives/{id}/progress/{progress}", "Delete a progress measurement recorded in error", s.Objectives.DeleteObjectiveProgress),
	)

	// Guide 2.9, clause 9.1: the monitoring guideline and the measurement
	// programme.
	s.handleAPIs(mux, "measurement",
		readRoute("GET /api/v1/organisations/{org}/monitoring-guideline", "Read the monitoring guideline: what is monitored, by which methods, when results are analysed and to whom they are reported how often", s.Measurement.MonitoringGuideline),
		updateRoute("PUT /api/v1/organisations/{org}/monitoring-guideline", "Set the monitoring guideline (send the version you read, 0 for the first)", s.Measurement.SaveMonitoringGuideline),
		listRoute("GET /api/v1/organisations/{org}/indicators", "List the measurement programme's indicators, each with its latest value and open breaches", indicatorsQuery, limitedTo(indFilterFrom, 100), s.Measurement.Indicators),
		createRoute("POST /api/v1/organisations/{org}/indicators", "Add an indicator (definition, unit, direction, target, warning and breach thresholds, frequency, owner, what it evaluates; a computation's key for one the product computes)", s.Measurement.CreateIndicator),
		updateRoute("POST /api/v1/organisations/{org}/indicators/compute", "Compute today's value of every active computed indicator now, recording the breaches they make", s.Measurement.ComputeIndicators),
		readRoute("GET /api/v1/organisations/{org}/indicators/{id}", "Read an indicator with its latest value", s.Measurement.Indicator),
		updateRoute("PUT /api/v1/organisations/{org}/indicators/{id}", "Change an indicator (send the version you read)", s.Measurement.UpdateIndicator),
		deleteRoute("DELETE /api/v1/organisations/{org}/indicators/{id}", "Delete an indicator with its values and breaches", s.Measurement.DeleteIndicator),
		readRoute("GET /api/v1/organisations/{org}/indicators/{id}/values", "List an indicator's values, oldest first, each with its level against the thresholds", s.Measurement.IndicatorValues),
		createRoute("POST /api/v1/organisations/{org}/indicators/{id}/values", "Record a value measured by hand; a value past a threshold records the period's breach", s.Measurement.AddIndicatorValue),
		createRoute("POST /api/v1/organisations/{org}/indicators/{id}/values/import", "Import several values at once: all are recorded or none, each error naming its row", s.Measurement.ImportIndicatorValues),
		deleteRoute("DELETE /api/v1/organisations/{org}/indicators/{id}/values/{value}", "Delete a value recorded in error", s.Measurement.DeleteIndicatorValue),
		listRoute("GET /api/v1/organisations/{org}/indicator-breaches", "List the breaches of indicator thresholds, newest first", breachesQuery, limitedTo(breachFilterFrom, 100), s.Measurement.IndicatorBreaches),
		readRoute("GET /api/v1/organisations/{org}/indicator-breaches/open", "The breaches no one has answered yet, oldest first, with the indicator's owner and the day measured", s.Measurement.OpenMeasurementBreaches),
		createRoute("POST /api/v1/organisations/{org}/indicator-breaches/{id}/nonconformity", "Turn an open breach into a nonconformity (source measurement) linked to it (send the breach's version)", s.Measurement.BreachNonconformity).withBody(breachNCBody{}),
		updateRoute("POST /api/v1/organisations/{org}/indicator-breaches/{id}/handle", "Close an open breach with a note on how it was handled (send the breach's version)", s.Measurement.HandleBreach),
	)

	// Guide 2.9, clause 9.2: internal audit.
	s.handleAPIs(mux, "internal audit",
		readRoute("GET /api/v1/organisations/{org}/audit-programmes", "List the audit programmes, newest cycle first, each with its audits", s.InternalAudit.AuditProgrammes),
		createRoute("POST /api/v1/organisations/{org}/audit-programmes", "Plan an audit programme over a cycle of years (coordinator)", s.InternalAudit.CreateAuditProgramme),
		readRoute("GET /api/v1/organisations/{org}/audit-programmes/{id}", "Read an audit programme with its audits", s.InternalAudit.AuditProgramme),
		updateRoute("PUT /api/v1/organisations/{org}/audit-programmes/{id}", "Change an audit programme (send the version you read)", s.InternalAudit.UpdateAuditProgramme),
		deleteRoute("DELETE /api/v1/organisations/{org}/audit-programmes/{id}", "Delete an audit programme without audits", s.InternalAudit.DeleteAuditProgramme),
		readRoute("GET /api/v1/organisations/{org}/audit-programmes/{id}/coverage", "Every clause and applicable control with the programme's audits covering it and the suggested frequency with its reasons", s.InternalAudit.AuditCoverage),
		createRoute("POST /api/v1/organisations/{org}/internal-audits", "Plan or record an audit: scope, criteria, clauses and controls, dates, lead auditor and independence", s.InternalAudit.CreateAudit),
		readRoute("GET /api/v1/organisations/{org}/internal-audits/{id}", "Read an audit with its checklist and findings", s.InternalAudit.Audit),
		updateRoute("PUT /api/v1/organisations/{org}/internal-audits/{id}", "Change an audit whose report is not approved (send the version you read)", s.InternalAudit.UpdateAudit),
		deleteRoute("DELETE /api/v1/organisations/{org}/internal-audits/{id}", "Delete an audit without findings", s.InternalAudit.DeleteAudit),
		updateRoute("PUT /api/v1/organisations/{org}/internal-audits/{id}/checks", "Record the checklist's results and notes (send the audit's version)", s.InternalAudit.SaveAuditChecks),
		updateRoute("POST /api/v1/organisations/{org}/internal-audits/{id}/approve", "Approve the audit report as its lead auditor, freezing it with a checksum (send the audit's version)", s.InternalAudit.ApproveAuditReport).withBody(versionBody{}),
		updateRoute("POST /api/v1/organisations/{org}/internal-audits/{id}/withdraw", "Withdraw the report's approval as its lead auditor (send the audit's version)", s.InternalAudit.WithdrawAuditApproval).withBody(versionBody{}),
		createRoute("POST /api/v1/organisations/{org}/internal-audits/{id}/findings", "Record a finding against a clause or control in the audit's scope, with its evidence", s.InternalAudit.CreateAuditFinding),
		readRoute("GET /api/v1/organisations/{org}/audit-findings", "List every finding of the organisation's audits with its nonconformity's status", s.InternalAudit.AuditFindings),
		readRoute("GET /api/v1/organisations/{org}/audit-findings/{id}", "Read a finding with its nonconformity's status", s.InternalAudit.AuditFinding),
		updateRoute("PUT /api/v1/organisations/{org}/audit-findings/{id}", "Change a finding of an audit whose report is not approved (send the version you read)", s.InternalAudit.UpdateAuditFinding),
		deleteRoute("DELETE /api/v1/organisations/{org}/audit-findings/{id}", "Delete a finding not registered as a nonconformity", s.InternalAudit.DeleteAuditFinding),
		createRoute("POST /api/v1/organisations/{org}/audit-findings/{id}/nonconformity", "Register a major or minor nonconformity finding in the nonconformity register, once (send the finding's version)", s.InternalAudit.RegisterFindingNonconformity),
		readRoute("GET /api/v1/organisations/{org}/audit-assignments", "The open internal-audit items per person: audits to hold and reports to approve", s.InternalAudit.OpenAuditAssignments),
	)

	// Guide 2.10: nonconformities with corrective actions, and continual
	// improvements.
	s.handleAPIs(mux, "nonconformities and improvements",
		listRoute("GET /api/v1/organisations/{org}/nonconformities", "List the nonconformities (guide 2.10) with their actions, filtered, sorted and paginated; the status is derived from what is recorded", nonconformitiesQuery, limitedTo(ncFilterFrom, 100), s.Nonconformities.Nonconformities),
		createRoute("POST /api/v1/organisations/{org}/nonconformities", "Record a nonconformity with its source, the requirement not met, correction, cause analysis, corrective actions and effectiveness review", s.Nonconformities.CreateNonconformity),
		readRoute("GET /api/v1/organisations/{org}/nonconformities/{id}", "Read a nonconformity with its corrective actions", s.Nonconformities.Nonconformity),
		updateRoute("PUT /api/v1/organisations/{org}/nonconformities/{id}", "Change a nonconformity and its actions (send the version you read; actions left out are removed, id 0 adds one)", s.Nonconformities.UpdateNonconformity),
		deleteRoute("DELETE /api/v1/organisations/{org}/nonconformities/{id}", "Delete a nonconformity with its actions", s.Nonconformities.DeleteNonconformity),
		updateRoute("POST /api/v1/organisations/{org}/nonconformities/{id}/close", "Close a nonconformity: needs a root cause, its actions all done (or a justified no action needed) and an effective review; refused naming what is missing", s.Nonconformities.CloseNonconformity).withBody(versionBody{}),
		updateRoute("POST /api/v1/organisations/{org}/nonconformities/{id}/reopen", "Reopen a closed nonconformity", s.Nonconformities.ReopenNonconformity).withBody(versionBody{}),
		listRoute("GET /api/v1/organisations/{org}/improvements", "List the continual improvements (guide 2.10), filtered, sorted and paginated", improvementsQuery, limitedTo(impFilterFrom, 100), s.Improvements.Improvements),
		createRoute("POST /api/v1/organisations/{org}/improvements", "Add a continual improvement", s.Improvements.CreateImprovement),
		readRoute("GET /api/v1/organisations/{org}/improvements/{id}", "Read a continual improvement", s.Improvements.Improvement),
		updateRoute("PUT /api/v1/organisations/{org}/improvements/{id}", "Change a continual improvement (send the version you read)", s.Improvements.UpdateImprovement),
		deleteRoute("DELETE /api/v1/organisations/{org}/improvements/{id}", "Delete a continual improvement", s.Improvements.DeleteImprovement),
	)
	// Guide 2.4: resources per objective and for the ISMS, and the status
	// report to management.
	s.handleAPIs(mux, "resources",
		readRoute("GET /api/v1/organisations/{org}/resources/years/{year}", "The year's resources: every line, totals planned against granted for the ISMS as a whole and per objective, the current objectives without resources and the controls, activities and actions carried", s.Resources.ResourceYear),
		readRoute("GET /api/v1/organisations/{org}/resources/choices", "What a resource line may belong to and carry: objectives, security roles, controls, annual-wheel activities and open risk treatment actions", s.Resources.ResourceChoices),
		createRoute("POST /api/v1/organisations/{org}/resources", "Add a resource line (money, people or external help) for a year, an objective or the ISMS as a whole, with the amounts planned", s.Resources.CreateResourceLine),
		readRoute("GET /api/v1/organisations/{org}/resources/{id}", "Read a resource line with its grant and what it carries", s.Resources.ResourceLine),
		updateRoute("PUT /api/v1/organisations/{org}/resources/{id}", "Change a resource line (send the version you read); a grant stays as it was given", s.Resources.UpdateResourceLine),
		deleteRoute("DELETE /api/v1/organisations/{org}/resources/{id}", "Delete a resource line", s.Resources.DeleteResourceLine),
		updateRoute("POST /api/v1/organisations/{org}/resources/{id}/grant", "Record management's grant on a resource line (management; send the version you read)", s.Resources.GrantResourceLine),
		readRoute("GET /api/v1/organisations/{org}/objectives/{id}/resources/{year}", "An objective's resource lines of a year", s.Resources.ObjectiveResources),
		readRoute("GET /api/v1/organisations/{org}/management-reviews", "List the management reviews (clause 9.3), newest first, with their decisions", s.Reviews.ManagementReviews),
		createRoute("POST /api/v1/organisations/{org}/management-reviews", "Plan a management review with the coordinator's inputs (interested parties' feedback, threat landscape, inputs with nothing to report)", s.Reviews.CreateManagementReview),
		readRoute("GET /api/v1/organisations/{org}/management-reviews/{id}", "Read a management review with its frozen pack (once sent), checksum and decisions", s.Reviews.ManagementReview),
		readRoute("GET /api/v1/organisations/{org}/management-reviews/{id}/pack", "The review's pack of every clause 9.3.2 input: frozen once sent, otherwise assembled from the records as they now stand", s.Reviews.ManagementReviewPack),
		updateRoute("PUT /api/v1/organisations/{org}/management-reviews/{id}", "Change a management review (send the version you read); once sent, its inputs stay as frozen", s.Reviews.UpdateManagementReview),
		updateRoute("POST /api/v1/organisations/{org}/management-reviews/{id}/send", "Freeze the pack as it now stands with its SHA-256 checksum and send it to management; once only", s.Reviews.SendManagementReview).withBody(versionBody{}),
		updateRoute("POST /api/v1/organisations/{org}/management-reviews/{id}/hold", "Record that the review meeting was held (after the pack was sent)", s.Reviews.HoldManagementReview).withBody(versionBody{}),
		deleteRoute("DELETE /api/v1/organisations/{org}/management-reviews/{id}", "Delete a management review recorded in error, with its decisions", s.Reviews.DeleteManagementReview),
		readRoute("GET /api/v1/organisations/{org}/management-review-decisions", "List the decisions of all management reviews by due date", s.mrevAPIDecisions),
		createRoute("POST /api/v1/organisations/{org}/management-reviews/{id}/decisions", "Record a decision of a held review: improvement, change to the ISMS or resource need, with owner and due date (management)", s.Reviews.CreateReviewDecision),
		updateRoute("PUT /api/v1/organisations/{org}/management-review-decisions/{id}", "Change a decision (management) or record its follow-up (the coordinator or the decision's owner); send the version you read", s.Reviews.UpdateReviewDecision),
		deleteRoute("DELETE /api/v1/organisations/{org}/management-review-decisions/{id}", "Delete a decision recorded in error (management)", s.Reviews.DeleteReviewDecision),
		readRoute("GET /api/v1/organisations/{org}/management-review-decisions/assigned", "The open decisions with their owners and due dates", s.Reviews.ReviewAssignedItems),
		readRoute("GET /api/v1/organisations/{org}/status-reports/preview", "The status report to management as the records now stand: objectives with progress, the year's resources granted against needed, overdue actions", s.Resources.StatusReportPreview),
		readRoute("GET /api/v1/organisations/{org}/status-reports", "List the status reports presented to management, newest first", s.Resources.StatusReports),
		createRoute("POST /api/v1/organisations/{org}/status-reports", "Present the status report as it now stands: keeps a frozen copy with the day, to whom and by whom", s.Resources.PresentStatusReport),
		readRoute("GET /api/v1/organisations/{org}/status-reports/{id}", "Read a presented status report with its frozen content", s.Resources.StatusReport),
		updateRoute("POST /api/v1/organisations/{org}/status-reports/{id}/receive", "Record management's receipt of a status report and its decisions (management; send the version you read)", s.Resources.ReceiveStatusReport),
		deleteRoute("DELETE /api/v1/organisations/{org}/status-reports/{id}", "Delete a status report recorded in error", s.Resources.DeleteStatusReport),
	)

	// Guide 2.6: awareness — units, participation, reach, effect, settings.
	s.handleAPIs(mux, "awareness",
		readRoute("GET /api/v1/organisations/{org}/units", "List the organisation's units with their staff counts (guide 2.6)", s.AwarenessParticipation.OrgUnits),
		createRoute("POST /api/v1/organisations/{org}/units", "Add a unit with its staff count; the name is unique in the organisation, compared without case and extra spaces", s.AwarenessParticipation.CreateOrgUnit),
		readRoute("GET /api/v1/organisations/{org}/units/{id}", "Read a unit", s.AwarenessParticipation.OrgUnit),
		updateRoute("PUT /api/v1/organisations/{org}/units/{id}", "Rename a unit or change its staff count (send the version you read)", s.AwarenessParticipation.UpdateOrgUnit),
		deleteRoute("DELETE /api/v1/organisations/{org}/units/{id}", "Delete a unit; one that participation, an activity or an acknowledgement names is refused", s.AwarenessParticipation.DeleteOrgUnit),
		listRoute("GET /api/v1/organisations/{org}/participations", "List participation in the awareness programme, newest first, filtered and paginated", participationsQuery, limitedTo(partFilterFrom, 100), s.AwarenessParticipation.Participations),
		createRoute("POST /api/v1/organisations/{org}/participations", "Record one participation: the activity, a person by name and/or e-mail, the unit, the day and the score in per cent", s.AwarenessParticipation.CreateParticipation),
		deleteRoute("DELETE /api/v1/organisations/{org}/participations/{id}", "Delete a participation recorded in error", s.AwarenessParticipation.DeleteParticipation),
		apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/participations/import", Summary: participationImportSummary, Query: participationImportQuery,
			Request: participationImportJSON{}, Form: participationImportForm, Response: &isms.ParticipationPreview{}, Handle: s.importParticipationAPI},
		readRoute("GET /api/v1/organisations/{org}/participation-imports", "List the imports of participation, newest first, with how many of their rows are still recorded", s.AwarenessParticipation.AwarenessImports),
		deleteRoute("DELETE /api/v1/organisations/{org}/participation-imports/{id}", "Undo an import: delete its participations and the import, in one transaction", s.AwarenessParticipation.UndoAwarenessImport),
		readRoute("GET /api/v1/organisations/{org}/awareness/reach", "The reach of the last twelve months: distinct people per unit and theme against the unit's staff, and per theme against all staff, with the threshold", s.AwarenessParticipation.AwarenessReach),
		readRoute("GET /api/v1/organisations/{org}/awareness/effect", "The effect over time: phishing exercises' click and report rates, and the average score per activity", s.AwarenessParticipation.AwarenessEffect),
		readRoute("GET /api/v1/organisations/{org}/awareness/settings", "Read the awareness settings: the reach threshold in per cent and whether staff acknowledge the behaviour policy", s.AwarenessParticipation.AwarenessSettings),
		updateRoute("PUT /api/v1/organisations/{org}/awareness/settings", "Change the awareness settings (threshold 1–100; send the version you read)", s.AwarenessParticipation.UpdateAwarenessSettings),
	)

	// Guide 2.5: competence.
	s.handleAPIs(mux, "competence",
		readRoute("GET /api/v1/organisations/{org}/competence-needs", "List the competence needs of the security roles and ISMS functions (guide 2.5)", s.Competence.CompetenceNeeds),
		createRoute("POST /api/v1/organisations/{org}/competence-needs", "Record a competence need: a security role (role_id) or an ISMS function (function), the subject, its kind and the level required", s.Competence.CreateCompetenceNeed),
		readRoute("GET /api/v1/organisations/{org}/competence-needs/{id}", "Read a competence need", s.Competence.CompetenceNeed),
		updateRoute("PUT /api/v1/organisations/{org}/competence-needs/{id}", "Change a competence need (send the version you read)", s.Competence.UpdateCompetenceNeed),
		deleteRoute("DELETE /api/v1/organisations/{org}/competence-needs/{id}", "Delete a competence need", s.Competence.DeleteCompetenceNeed),
		apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/competences", Summary: "List what the members have (education, experience, certifications with expiry, training); ?person= for one member", Query: compPeopleQuery, Response: []*isms.Competence{}, Handle: s.competencesAPI},
		createRoute("POST /api/v1/organisations/{org}/competences", "Record a member's competence (the member themself, or one who may edit the ISMS); evidence_id names a document of the register, or evidence_file (file_name, content in base64, classification internal or confidential) uploads a PDF or image that becomes one", s.Competence.CreateCompetence),
		readRoute("GET /api/v1/organisations/{org}/competences/{id}", "Read a member's competence", s.Competence.Competence),
		updateRoute("PUT /api/v1/organisations/{org}/competences/{id}", "Change a member's competence (send the version you read)", s.Competence.UpdateCompetence),
		deleteRoute("DELETE /api/v1/organisations/{org}/competences/{id}", "Delete a member's competence", s.Competence.DeleteCompetence),
		readRoute("GET /api/v1/organisations/{org}/competence-plans", "List the development plans: the action that closes a person's gap against a need, open ones first by due date", s.Competence.CompetencePlans),
		createRoute("POST /api/v1/organisations/{org}/competence-plans", "Add a development plan for a person and a need (a contributor adds the plans they own)", s.Competence.CreateCompetencePlan),
		readRoute("GET /api/v1/organisations/{org}/competence-plans/{id}", "Read a development plan", s.Competence.CompetencePlan),
		updateRoute("PUT /api/v1/organisations/{org}/competence-plans/{id}", "Change a development plan, e.g. record its completion (send the version you read)", s.Competence.UpdateCompetencePlan),
		deleteRoute("DELETE /api/v1/organisations/{org}/competence-plans/{id}", "Delete a development plan", s.Competence.DeleteCompetencePlan),
		readRoute("GET /api/v1/organisations/{org}/competence-matrix", "The competence matrix: each security role's needs against its holders, the gaps, the roles without needs, and competences expired or expiring within 90 days", s.Competence.CompetenceMatrix),
	)

	// Guide 2.7: the communication plan.
	s.handleAPIs(mux, "communication plan",
		listRoute("GET /api/v1/organisations/{org}/communication-plan", "List the communication plan (guide 2.7), filtered, sorted and paginated", communicationQuery, limitedTo(commFilterFrom, 100), s.Communication.CommunicationEntries),
		createRoute("POST /api/v1/organisations/{org}/communication-plan", "Add an entry to the plan (an active entry needs a responsible member)", s.Communication.CreateCommunicationEntry),
		apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/communication-plan/templates", Status: http.StatusCreated, Summary: commTemplatesSummary, Request: commTemplateBody{}, Response: &isms.CommunicationEntry{}, Handle: s.addCommunicationTemplateAPI},
		readRoute("GET /api/v1/organisations/{org}/communication-plan/{id}", "Read an entry of the plan", s.Communication.CommunicationEntry),
		updateRoute("PUT /api/v1/organisations/{org}/communication-plan/{id}", "Change an entry (send the version you read); a new responsible person or a change of substance asks for a new acknowledgement", s.Communication.UpdateCommunicationEntry),
		deleteRoute("DELETE /api/v1/organisations/{org}/communication-plan/{id}", "Delete an entry of the plan", s.Communication.DeleteCommunicationEntry),
		updateRoute("POST /api/v1/organisations/{org}/communication-plan/{id}/acknowledge", "Acknowledge responsibility for an entry as it stands (only the responsible person; send the version you read)", s.Communication.AcknowledgeCommunication).withBody(ackBody{}),
	)

	// Guide 2.8: controlled documentation.
	s.handleAPIs(mux, "documentation",
		readRoute("GET /api/v1/organisations/{org}/documents/requirements", requirementsSummary, s.Documents.DocumentationRequirements),
		updateRoute("PUT /api/v1/organisations/{org}/documents/requirements/{id}", "Choose or decline an optional type of documentation, with a reason (decision chosen, declined or \"\"; send the version you read)", s.Documents.DecideDocumentationRequirement),
		listRoute("GET /api/v1/organisations/{org}/documents", "List the documents the caller may read (by classification), filtered, searched, sorted and paginated", documentQuery, documentListFilter, s.Documents.Documents),
		createRoute("POST /api/v1/organisations/{org}/documents", "Add a document to the register (the form rules' naming pattern and required metadata apply)", s.Documents.CreateDocument),
		readRoute("GET /api/v1/organisations/{org}/documents/{id}", "Read a document's metadata and the state of its versions", s.Documents.Document),
		updateRoute("PUT /api/v1/organisations/{org}/documents/{id}", "Change a document's metadata (send the version you read)", s.Documents.UpdateDocument),
		updateRoute("POST /api/v1/organisations/{org}/documents/{id}/review", "Record that the document was reviewed without change: the next review moves one interval on", s.Documents.RecordDocumentReview),
		readRoute("GET /api/v1/organisations/{org}/documents/{id}/versions", "List a document's versions, newest first, with their checksums and approvals", s.Documents.DocumentVersions),
		apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/documents/{id}/versions", Status: http.StatusCreated, Summary: addVersionSummary, Request: versionUpload{}, Response: &isms.DocumentVersion{}, Handle: s.addDocumentVersionAPI},
		apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/documents/{id}/versions/{number}", Summary: "Read one version (a text version with its text)", Response: &isms.DocumentVersion{}, Handle: s.documentVersionAPI},
		apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/documents/{id}/versions/{number}/content", Summary: contentSummary, Response: &contentResponse{}, Handle: s.documentContentAPI},
		s.transitionRoute("POST /api/v1/organisations/{org}/documents/{id}/versions/{number}/submit", isms.TransitionSubmit, "Send a draft version for review by the document's named approvers"),
		s.transitionRoute("POST /api/v1/organisations/{org}/documents/{id}/versions/{number}/approve", isms.TransitionApprove, "Approve a version in review as one of its named approvers (management for the information security policy and the roles and responsibilities); send the sha256 you read to approve exactly that content. The version is approved once every approver has"),
		s.transitionRoute("POST /api/v1/organisations/{org}/documents/{id}/versions/{number}/send-back", isms.TransitionSendBack, "Send a version in review back with a comment (a named approver)"),
		s.transitionRoute("POST /api/v1/organisations/{org}/documents/{id}/versions/{number}/publish", isms.TransitionPublish, "Publish an approved version; the version published before is superseded"),
		s.transitionRoute("POST /api/v1/organisations/{org}/documents/{id}/versions/{number}/withdraw", isms.TransitionWithdraw, "Withdraw a version (draft, in review, approved or published), with a reason in comment"),
		apiRoute{Method: "DELETE", Pattern: "/api/v1/organisations/{org}/documents/{id}/versions/{number}/content", Summary: "Delete the content of a version whose retention period has passed (coordinator); the deletion is recorded in the audit trail", Handle: s.deleteDocumentContentAPI},
		readRoute("GET /api/v1/organisations/{org}/documents/form-rules", "Read the form rules for documentation (version 0 when none are recorded)", s.Documents.DocumentFormRules),
		updateRoute("PUT /api/v1/organisations/{org}/documents/form-rules", formRulesSummary, s.Documents.SaveDocumentFormRules),
		readRoute("GET /api/v1/organisations/{org}/documents/retention", "List the retention period and deletion procedure of every document kind", s.Documents.RetentionRules),
		updateRoute("PUT /api/v1/organisations/{org}/documents/retention", "Set the retention period (months) and deletion procedure of a document kind (send the rule's version; 0 for a new one)", s.Documents.SaveRetentionRule),
		readRoute("GET /api/v1/organisations/{org}/documents/deletion-queue", "List the versions whose retention period has passed and whose content awaits deletion", s.Documents.DeletionQueue),
	)

	// Guide 2.6: the awareness programme and the behaviour policy's acknowledgement.
	s.handleAPIs(mux, "awareness",
		apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/awareness-activities", Summary: "List the awareness programme (guide 2.6), newest first: this year's activities unless another year (or all) is asked for", Query: awarenessQuery, Response: []*isms.AwarenessActivity{}, Handle: s.awListAPI},
		createRoute("POST /api/v1/organisations/{org}/awareness-activities", "Add an activity to the programme (a contributor adds the ones they own); new_wheel_activity makes the annual wheel's activity that brings it round, in the same write", s.Awareness.CreateAwarenessActivity),
		readRoute("GET /api/v1/organisations/{org}/awareness-activities/{id}", "Read an activity with its participations counted and where its wheel activity stands (next occurrence, last one on time)", s.Awareness.AwarenessActivity),
		updateRoute("PUT /api/v1/organisations/{org}/awareness-activities/{id}", "Change an activity (send the version you read), e.g. mark it held with held_on", s.Awareness.UpdateAwarenessActivity),
		deleteRoute("DELETE /api/v1/organisations/{org}/awareness-activities/{id}", "Delete an activity without participation (cancel one that has)", s.Awareness.DeleteAwarenessActivity),
		readRoute("GET /api/v1/organisations/{org}/acknowledgements", "The behaviour policy's acknowledgement: the published version, the link's state, the counts per unit against its staff and every acknowledgement of the version", s.Acknowledgements.AcknowledgementStatus),
		apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/acknowledgement-link", Status: http.StatusCreated, Summary: "Make a new secret link for the published behaviour policy, revoking the old (coordinators); the token is in this response only", Response: &AckLinkCreated{}, Handle: s.ackLinkCreateAPI},
		deleteRoute("DELETE /api/v1/organisations/{org}/acknowledgement-link", "Revoke the acknowledgement link (coordinators)", s.Acknowledgements.RevokeAcknowledgementLink),
	)

	// Guide 2.9: the annual wheel.
	s.handleAPIs(mux, "annual wheel",
		listRoute("GET /api/v1/organisations/{org}/wheel/activities", "List the annual wheel's activities, filtered, sorted and paginated", wheelActivityQuery, limitedTo(activityFilterFrom, 100), s.Wheel.WheelActivities),
		createRoute("POST /api/v1/organisations/{org}/wheel/activities", "Add a recurring activity; its occurrences are laid out at once", s.Wheel.CreateWheelActivity),
		readRoute("GET /api/v1/organisations/{org}/wheel/activities/{id}", "Read an activity", s.Wheel.WheelActivity),
		updateRoute("PUT /api/v1/organisations/{org}/wheel/activities/{id}", "Change an activity (send the version you read); open occurrences follow the new rule", s.Wheel.UpdateWheelActivity),
		deleteRoute("DELETE /api/v1/organisations/{org}/wheel/activities/{id}", "Delete an activity without records (one with done or skipped occurrences is retired instead)", s.Wheel.DeleteWheelActivity),
		apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/wheel/years/{year}/open", Summary: "Lay out a year's occurrences (coordinators and administrators; idempotent; returns how many were new)", Response: wheelOpenResponse{}, Handle: s.openWheelYearAPI},
		listRoute("GET /api/v1/organisations/{org}/wheel/occurrences", "List occurrences, filtered, sorted and paginated (overdue is derived from the due date)", occurrenceQuery, limitedTo(occurrenceFilterFrom, 500), s.Wheel.WheelOccurrences),
		readRoute("GET /api/v1/organisations/{org}/wheel/occurrences/{id}", "Read an occurrence", s.Wheel.WheelOccurrence),
		updateRoute("POST /api/v1/organisations/{org}/wheel/occurrences/{id}/start", "Mark a planned occurrence as in progress", s.Wheel.StartOccurrence).withBody(wheelStatusBody{}),
		updateRoute("POST /api/v1/organisations/{org}/wheel/occurrences/{id}/complete", "Complete an occurrence with its result, comment, day and evidence; on a completed one, amend the record (audited)", s.Wheel.CompleteOccurrence),
		updateRoute("POST /api/v1/organisations/{org}/wheel/occurrences/{id}/skip", "Skip an open occurrence, with the reason", s.Wheel.SkipOccurrence).withBody(wheelSkipBody{}),
		updateRoute("POST /api/v1/organisations/{org}/wheel/occurrences/{id}/reopen", "Put a started, done or skipped occurrence back to planned (coordinators)", s.Wheel.ReopenOccurrence).withBody(wheelStatusBody{}),
		apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/wheel/occurrences/{id}/reschedule", Summary: "Move an open occurrence's due date", Request: wheelRescheduleBody{}, Response: &isms.Occurrence{}, Handle: s.rescheduleOccurrenceAPI},
		apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/wheel/calendar", Summary: calendarSummary, Query: []apiParam{{"year", "integer", "this year when absent"}}, Response: &isms.WheelCalendar{}, Handle: s.wheelCalendarAPI},
		readRoute("GET /api/v1/organisations/{org}/wheel/plans/{year}", "Where a year's plan stands: the approved and pending versions, whether the wheel changed since approval, every version", s.Wheel.YearPlan),
		apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/wheel/plans/{year}/versions/{number}", Summary: "One submitted version of a year's plan with its frozen snapshot", Response: &isms.YearPlan{}, Handle: s.yearPlanVersionAPI},
		createRoute("POST /api/v1/organisations/{org}/wheel/plans/{year}/submit", "Submit the year's wheel as a plan for management's approval (coordinators)", s.Wheel.SubmitYearPlan).withBody(wheelSubmitBody{}),
		updateRoute("POST /api/v1/organisations/{org}/wheel/plans/{year}/approve", "Approve a submitted version (management); send its number and the checksum you saw", s.Wheel.ApproveYearPlan).withBody(wheelApproveBody{}),
		readRoute("GET /api/v1/organisations/{org}/wheel/plans/{year}/progress", "How the year is going against the approved plan, per month and per topic, with activities added and removed since", s.Wheel.PlanProgress),
		readRoute("GET /api/v1/organisations/{org}/wheel/feed", "Whether the calendar feed is published (coordinators; the secret is never shown again)", s.Wheel.FeedTokenState),
		apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/wheel/feed", Status: http.StatusCreated, Summary: "Make a new secret address for the iCalendar feed, revoking the old (coordinators); the token is in this response only", Response: wheelFeedResponse{}, Handle: s.createFeedTokenAPI},
		deleteRoute("DELETE /api/v1/organisations/{org}/wheel/feed", "Revoke the calendar feed (coordinators)", s.Wheel.RevokeFeedToken),
		apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/wheel/reminders", Summary: "The reminder mail log, newest first (coordinators and auditors)", Query: []apiParam{{"offset", "integer", ""}, {"limit", "integer", "at most 500"}}, Response: listResponse[*isms.MailLogEntry]{}, Handle: s.mailLogAPI},
		apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/wheel/preferences", Summary: "The caller's language for reminder mails (da unless chosen)", Response: wheelPreferences{}, Handle: s.mailPreferencesAPI},
		apiRoute{Method: "PUT", Pattern: "/api/v1/organisations/{org}/wheel/preferences", Summary: "Set the caller's language for reminder mails (da or en)", Request: wheelPreferences{}, Response: wheelPreferences{}, Handle: s.setMailPreferencesAPI},
	)

	// Section 3: the live checklist.
	s.handleAPIs(mux, "checklist",
		apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/checklist", Summary: "The guide's 29 checklist questions answered now: status, source (records or manual), reasons, evidence", Response: []checklistItem{}, Handle: s.checklistAPI},
		apiRoute{Method: "PUT", Pattern: "/api/v1/organisations/{org}/checklist/{question}", Summary: "Answer a question by hand with a reason (where a rule answers from the records, the records win)", Request: manualAnswerBody{}, Response: &checklistItem{}, Handle: s.answerManuallyAPI},
		apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/checklist/history/answers", Summary: "Each question's answer per day as the daily snapshot took it (the questions' paths), by question and then day", Query: []apiParam{{"days", "integer", "how many days back from today, today included (default 30, at most 366)"}}, Response: []isms.ChecklistDayAnswer{}, Handle: s.checklistAnswerHistoryAPI},
		readRoute("GET /api/v1/organisations/{org}/checklist/history", "The number of answers of each status per day, oldest first", s.Checklist.ChecklistHistory),
	)
}
