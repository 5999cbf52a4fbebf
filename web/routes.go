package web

import (
	"net/http"
)

// routes lists every route of the product in one place, in the order of
// the guide's sections (Digitaliseringsstyrelsen, "Vejledning i etablering
// og drift af et ledelsessystem for informationssikkerhed"), so one file
// shows every URL the product serves. Pages are wrapped by page (or
// upload, for the routes that stream a file), inside inOrg or requireUser
// for who may reach them. The JSON API's operations follow at the end,
// from their table in routes_api.go, which also feeds the OpenAPI
// document.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()

	// Operations and assets.
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.HandleFunc("GET /static/", s.static.serve)
	mux.HandleFunc("GET /api/v1/openapi.json", s.serveOpenAPI)

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

	// The site's user accounts (site administrators).
	mux.HandleFunc("GET /users", s.requireUser(s.page(s.usersPage)))
	mux.HandleFunc("POST /users", s.requireUser(s.page(s.createUserSubmit)))
	mux.HandleFunc("GET /users/{id}", s.requireUser(s.page(s.userPage)))
	mux.HandleFunc("POST /users/{id}", s.requireUser(s.page(s.updateUserSubmit)))
	mux.HandleFunc("POST /users/{id}/active", s.requireUser(s.page(s.userActiveSubmit)))
	mux.HandleFunc("POST /users/{id}/password", s.requireUser(s.page(s.resetPasswordSubmit)))

	// Organisations, members and invitations, the dashboard, the audit trail.
	mux.HandleFunc("GET /{$}", s.requireUser(s.page(s.homePage)))
	mux.HandleFunc("POST /orgs", s.requireUser(s.page(s.createOrgSubmit)))
	mux.HandleFunc("GET /orgs/{org}", s.inOrg(s.page(s.dashboardPage)))
	mux.HandleFunc("GET /orgs/{org}/settings", s.inOrg(s.page(s.settingsPage)))
	mux.HandleFunc("POST /orgs/{org}/settings", s.inOrg(s.page(s.settingsSubmit)))
	mux.HandleFunc("GET /orgs/{org}/members", s.inOrg(s.page(s.membersPage)))
	mux.HandleFunc("POST /orgs/{org}/members", s.inOrg(s.page(s.addMemberSubmit)))
	mux.HandleFunc("POST /orgs/{org}/members/{id}", s.inOrg(s.page(s.updateMemberSubmit)))
	mux.HandleFunc("POST /orgs/{org}/members/{id}/delete", s.inOrg(s.page(s.removeMemberSubmit)))
	mux.HandleFunc("POST /orgs/{org}/invitations", s.inOrg(s.page(s.inviteSubmit)))
	mux.HandleFunc("POST /orgs/{org}/invitations/{id}/revoke", s.inOrg(s.page(s.revokeInvitationSubmit)))
	mux.HandleFunc("GET /invitations/{token}", s.page(s.invitationPage))
	mux.HandleFunc("POST /invitations/{token}", s.page(s.invitationSignUpSubmit))
	mux.HandleFunc("POST /invitations/{token}/accept", s.page(s.invitationAcceptSubmit))
	mux.HandleFunc("GET /orgs/{org}/audit", s.inOrg(s.page(s.auditPage)))

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
	mux.HandleFunc("GET /orgs/{org}/risks/export.xlsx", s.inOrg(s.page(s.riskRegisterExport)))
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
	mux.HandleFunc("GET /orgs/{org}/risk-plan.xlsx", s.inOrg(s.page(s.riskPlanExport)))
	mux.HandleFunc("GET /orgs/{org}/risk-tasks/new", s.inOrg(s.page(s.riskTaskNewPage)))
	mux.HandleFunc("POST /orgs/{org}/risk-tasks", s.inOrg(s.page(s.riskTaskCreateSubmit)))
	mux.HandleFunc("GET /orgs/{org}/risk-tasks/{id}", s.inOrg(s.page(s.riskTaskPage)))
	mux.HandleFunc("POST /orgs/{org}/risk-tasks/{id}", s.inOrg(s.page(s.riskTaskUpdateSubmit)))
	mux.HandleFunc("POST /orgs/{org}/risk-tasks/{id}/delete", s.inOrg(s.page(s.riskTaskDeleteSubmit)))
	mux.HandleFunc("GET /orgs/{org}/risk-import", s.inOrg(s.page(s.riskImportPage)))
	mux.HandleFunc("POST /orgs/{org}/risk-import", s.inOrg(s.upload(s.riskImportUpload)))
	mux.HandleFunc("GET /orgs/{org}/risk-import/{id}", s.inOrg(s.page(s.riskImportPreviewPage)))
	mux.HandleFunc("POST /orgs/{org}/risk-import/{id}", s.inOrg(s.page(s.riskImportConfirm)))

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
	mux.HandleFunc("GET /orgs/{org}/soa/export.xlsx", s.inOrg(s.page(s.soaExport)))
	mux.HandleFunc("GET /orgs/{org}/soa/versions/{id}/export.xlsx", s.inOrg(s.page(s.soaExport)))
	mux.HandleFunc("GET /orgs/{org}/soa/print", s.inOrg(s.page(s.soaPrintPage)))
	mux.HandleFunc("GET /orgs/{org}/soa/versions/{id}/print", s.inOrg(s.page(s.soaPrintPage)))
	mux.HandleFunc("GET /orgs/{org}/soa/import", s.inOrg(s.page(s.soaImportPage)))
	mux.HandleFunc("POST /orgs/{org}/soa/import/preview", s.inOrg(s.upload(s.soaImportPreviewSubmit)))
	mux.HandleFunc("POST /orgs/{org}/soa/import", s.inOrg(s.page(s.soaImportApplySubmit)))

	// Guide 2.7 Kommunikation: the communication plan.
	mux.HandleFunc("GET /orgs/{org}/communication", s.inOrg(s.page(s.commPlanPage)))
	mux.HandleFunc("GET /orgs/{org}/communication/export.xlsx", s.inOrg(s.page(s.commExport)))
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
	mux.HandleFunc("GET /orgs/{org}/documents/export.xlsx", s.inOrg(s.page(s.docExport)))
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
	mux.HandleFunc("GET /orgs/{org}/wheel/export.xlsx", s.inOrg(s.page(s.wheelExport)))
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

	// The JSON API, every operation (routes_api.go).
	s.apiRoutes(mux)

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
