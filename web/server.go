// Package web serves the product over HTTP: the server-rendered HTML UI and
// the JSON API under /api/v1, both over the same domain services. Handlers
// are thin: parse, call a service, render. Every rule about who may do what
// lives in the services, so the UI and the API cannot disagree.
package web

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime"
	"sync"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/metrics"
)

// Services are the domain services the web layer serves.
type Services struct {
	Users     isms.UserService
	Orgs      isms.OrganisationService
	Audit     isms.AuditService
	Overview  isms.OverviewService
	Checklist isms.ChecklistService
	Topics    isms.TopicService

	Documents       isms.DocumentService
	Wheel           isms.AnnualWheelService
	Leadership      isms.LeadershipService
	Communication   isms.CommunicationService
	Objectives      isms.ObjectiveService
	Incidents       isms.IncidentService
	Nonconformities isms.NonconformityService
	Improvements    isms.ImprovementService
	Suppliers       isms.SupplierService
	Resources       isms.ResourceService
	Reviews         isms.ManagementReviewService
	Competence      isms.CompetenceService
	Risk            isms.RiskService
	SoA             isms.SoAService
	// Measurement keeps the monitoring guideline and the measurement
	// programme (guide 2.9, clause 9.1).
	Measurement isms.MeasurementService
	// InternalAudit keeps the audit programme, audits and findings
	// (guide 2.9, clause 9.2).
	InternalAudit isms.InternalAuditService

	// Awareness keeps the awareness programme (guide 2.6);
	// Acknowledgements the behaviour policy's acknowledgement link;
	// AwarenessParticipation the units, participation and reach.
	Awareness              isms.AwarenessService
	Acknowledgements       isms.AcknowledgementService
	AwarenessParticipation isms.AwarenessParticipationService
	// RegisterImports imports the supplier list and the incident log
	// from spreadsheets.
	RegisterImports isms.RegisterImportService

	// IncidentIntake keeps the public reporting link for security events;
	// Questionnaires the supplier questionnaires of supervisions.
	IncidentIntake isms.IncidentIntakeService
	Questionnaires isms.SupplierQuestionnaireService

	// Accounts and Invitations are how people get into the product: site
	// administrators manage accounts, organisations invite colleagues.
	Accounts    isms.AccountService
	Invitations isms.InvitationService
	// SSO keeps the logins through OpenID Connect providers (sso.go).
	SSO isms.SSOService
	// Notifications are each person's inbox of what is assigned to them,
	// and their choice of mail digest.
	Notifications isms.NotificationService
	// OrgArchives exports an organisation's archive and imports one as
	// a new organisation.
	OrgArchives isms.OrganisationArchiveService
	// SecondFactors keeps authenticator apps, recovery codes, passkeys
	// and the pending logins of the second step (mfa.go); nil: logins
	// have one step.
	SecondFactors isms.SecondFactorService
	// Mail sends invitations; nil when no SMTP server is configured, and
	// the inviter is then shown the link to pass on instead.
	Mail isms.Mailer
	// Ping reports whether the database answers, for /readyz.
	Ping func(ctx context.Context) error
	// HasRule reports whether the records answer a checklist question.
	HasRule func(questionID string) bool
	// Derived keeps a view the web layer assembles from several services
	// (the dashboard, the checklist page) until a write changes the
	// organisation's records or the day turns; per reader when the view
	// shows what only the reader sees. nil computes it every time.
	Derived func(ctx context.Context, orgID int64, view string, perReader bool, compute func(context.Context) (any, error)) (any, error)
	// Snapshot runs fn with a context in which the services' reads share
	// one read transaction; a request that only reads (GET) is served
	// in one. Nil: each read is a transaction of its own.
	Snapshot func(ctx context.Context, fn func(ctx context.Context) error) error
}

// Config is what the command line sets.
type Config struct {
	// SetupCode, when set, opens the first-run page /setup to whoever
	// knows the code, as long as no user exists.
	SetupCode string
	// SecureCookies marks cookies Secure; set when served over TLS
	// (directly or behind a proxy).
	SecureCookies bool
	Logger        *slog.Logger
	// Now is the clock (tests set it).
	Now func() time.Time
	// BaseURL is the address users reach the product at, without a
	// trailing slash (e.g. "https://isms.example.org"), for links that
	// leave it: the calendar feed's address and its events. Empty: the
	// address each request came to (`isms serve --base-url`).
	BaseURL string
	// Reminders says the annual wheel's reminders go out by e-mail (an
	// SMTP server is configured), which the wheel's pages tell the reader.
	// Default off (`isms serve --smtp-addr`).
	Reminders bool
	// MaxUpload is the largest document file accepted, in bytes; 0 means
	// DefaultMaxUpload, 50 MiB (`isms serve --max-upload`).
	MaxUpload int64
	// MaxUploads is how many uploads (document files, imports) are read
	// at once; 0 means DefaultMaxUploadsInFlight, 16 (`--max-uploads`).
	MaxUploads int
	// UploadWait is how long an upload waits for a free slot before it is
	// answered 503 with Retry-After; 0 means DefaultUploadWait, 30
	// seconds, and NoUploadWait answers at once (`--upload-wait`).
	UploadWait time.Duration
	// TrustedProxies are the reverse proxies in front of the server. Only
	// for a request whose direct peer is inside one of them is the
	// client's address read from X-Forwarded-For (see clientAddress);
	// without any, the header is ignored, since any client can write it.
	TrustedProxies []netip.Prefix
	// SSO are the OpenID Connect providers the login page offers
	// (`isms serve --oidc`); SSOOnly offers only them, and passwords to
	// site administrators only, at /login?local (`--local-login=false`).
	SSO     []SSOProvider
	SSOOnly bool
	// RequireSecondFactor makes every local account log in with a second
	// factor, enrolling one at the next login if it has none; API tokens
	// are not affected (`isms serve --require-second-factor`).
	RequireSecondFactor bool
	// Metrics counts the requests, among what the operator watches
	// (package metrics); nil: the server makes its own. They are served
	// at /metrics on the server's own address, unless MetricsElsewhere
	// says a listener of their own serves them (MetricsHandler; `isms
	// serve --metrics-addr`).
	Metrics          *metrics.Metrics
	MetricsElsewhere bool
}

// Server is the HTTP handler of the product.
type Server struct {
	Services
	cfg     Config
	log     *slog.Logger
	metrics *metrics.Metrics
	pages   *templates
	handler http.Handler
	api     []apiRoute
	static  staticFiles
	uploads *uploadLimiter
	// navs keeps the side navigation drawn, per language and
	// organisation (page.SideNav).
	navs sync.Map
	// diffs keeps the changes of audit events worked out (history.go).
	diffs diffCache
	// workbooks admits the exports that read and make a workbook at once:
	// half as many as there are processors, at least one (workbook.go).
	workbooks chan struct{}
	// acks throttles the public acknowledgement page's writes per client
	// (public_throttle.go).
	acks *publicThrottle
	// reports and questionnaires throttle the writes through the public
	// reporting link and the supplier questionnaire links, per client.
	reports, questionnaires *publicThrottle
	// sso holds the configured OpenID Connect providers (sso.go).
	sso ssoProviders
}

//go:embed templates static
var assets embed.FS

// New parses the layout and the partials (each page's template is parsed
// the first time the page is asked for, and a test parses them all) and
// builds the routes.
func New(s Services, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Metrics == nil {
		cfg.Metrics = metrics.New()
	}
	cfg.TrustedProxies = normalisePrefixes(cfg.TrustedProxies)
	// Every line logged with a request's context names the request.
	log := slog.New(requestIDLog{cfg.Logger.Handler()})
	srv := &Server{Services: s, cfg: cfg, log: log, metrics: cfg.Metrics, uploads: newUploadLimiter(cfg.MaxUploads, cfg.UploadWait),
		acks:      newPublicThrottle(ackBurst, ackPerSec),
		reports:   newPublicThrottle(reportBurst, reportPerSec),
		workbooks: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2))}
	staticFS, err := fs.Sub(assets, "static")
	if err != nil {
		return nil, err
	}
	srv.static, err = loadStatic(staticFS)
	if err != nil {
		return nil, err
	}
	if srv.pages, err = parseTemplates(srv); err != nil {
		return nil, err
	}
	srv.questionnaires = newPublicThrottle(questionnaireBurst, questionnairePerSec)
	srv.handler = srv.routes()
	return srv, nil
}

// Metrics are the server's metrics (Config.Metrics).
func (s *Server) Metrics() *metrics.Metrics { return s.metrics }

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// HTTPServer wraps the handler with the timeouts a public server needs.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // uploads of large documents
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}
