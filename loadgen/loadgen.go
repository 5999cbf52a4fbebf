// Package loadgen makes a large organisation to measure the product
// against: thousands of assets, tens of thousands of risks with their
// treatment, a decided Statement of Applicability, documents, an annual
// wheel and a year of audit trail. `isms generate` and the benchmarks use
// it; it is not part of the product's runtime.
//
// Everything is written through the same service methods the web layer
// calls, acting as the member who would do it (the coordinator records the
// registers, system owners their own systems, management approves), so
// every change carries its audit event in the same transaction and the
// organisation's audit chain verifies afterwards. To give the trail a
// realistic shape the store's clock is stepped through the year before the
// end date while generating: the first records are a year old, the last
// are from the end date.
//
// The output is a function of the seed, the sizes and the end date: the
// same three give the same names, levels, links and timestamps.
//
// Each element of the guide adds its part in its own file with addStep,
// as the demo package does, so the generator grows with the product.
package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
)

// Password is the password of every generated account. The generated
// database is for measuring, never for real records, so the password is
// printed and documented.
const Password = "loadgen-measure-2026"

// Domain is the e-mail domain of generated accounts (reserved for examples).
const Domain = "storby.example"

// OrgName is the name of the generated organisation; a second one in the
// same database gets a number after it.
const OrgName = "Storby Kommune"

// Config says how large the organisation is.
type Config struct {
	// Assets is the number of primary assets: business-overview entries of
	// the kinds process, information and system. Supporting assets, where
	// the risk element has them, come on top (one for every five).
	Assets int
	// Risks is the number of risks, spread over risk assessments of the
	// assets, each with its treatment.
	Risks int
	// Seed makes the output repeatable.
	Seed uint64
	// End is the day the year of history ends (the zero value means today).
	End time.Time
	// Progress, when set, receives a line as each step starts and ends.
	Progress io.Writer
	// AllowExisting lets the generator add an organisation to a database
	// that already has users or organisations; by default it refuses.
	AllowExisting bool
}

// SmallConfig is a size for tests: every part present, quick to make.
func SmallConfig() Config { return Config{Assets: 50, Risks: 200, Seed: 1} }

// LargeConfig is the size the benchmarks measure at.
func LargeConfig() Config { return Config{Assets: 5000, Risks: 20000, Seed: 1} }

// ErrNotEmpty is returned when the database already holds users or
// organisations and Config.AllowExisting is false.
var ErrNotEmpty = errors.New("the database is not empty")

// Count is how many records of one kind were made.
type Count struct {
	What string
	N    int
}

// Result is what the generator made.
type Result struct {
	Org *isms.Organisation
	// Users holds one account per role; Owners are the contributors who
	// own systems, risks and actions.
	Users  map[isms.Role]*isms.User
	Owners []*isms.User
	// Counts are the records made, in the order they were made.
	Counts []Count
	// AuditEvents is the number of events in the organisation's chain.
	AuditEvents int
	Elapsed     time.Duration
	// Steps is how long each step took.
	Steps []Count
}

// Count returns the number of records of one kind made.
func (r *Result) Count(what string) int {
	for _, c := range r.Counts {
		if c.What == what {
			return c.N
		}
	}
	return 0
}

// Coordinator is the generated information security coordinator, who may
// see and edit everything in the organisation.
func (r *Result) Coordinator() *isms.User { return r.Users[isms.RoleCoordinator] }

// Gen is the generator's state while it runs; steps read and extend it.
type Gen struct {
	DB   *sqlstore.DB
	Cfg  Config
	Rand *rand.Rand
	Org  *isms.Organisation
	// Users by role, and the contributors who own things.
	Users  map[isms.Role]*isms.User
	Owners []*isms.User
	// Entries of the business overview by kind, in the order made.
	Entries map[isms.EntryKind][]*isms.OverviewEntry

	ctx      context.Context
	operator context.Context
	tag      string // "" for the first organisation, "2", "3", … after
	start    time.Time
	end      time.Time
	now      time.Time
	// The current phase: its window of the year and how far it is.
	phaseFrom, phaseTo time.Time
	phaseOps, phaseAt  int
	counts             []Count
	// What is scheduled to happen as the clock moves, in order of time.
	agenda  []scheduled
	seq     int
	tallies int
	lastDoc *isms.Document
}

// step is one element's part of the organisation.
type step struct {
	order int
	name  string
	// from and to are the part of the year the step's records are made
	// in, as fractions: 0 the first day, 1 the end date.
	from, to float64
	fill     func(g *Gen) error
}

var steps []step

// addStep registers an element's part. Steps run in order of their number:
// 100 people, 200 business overview, 300 documents, 400 annual wheel, 500
// risks, 600 Statement of Applicability, 900 what follows up on all.
func addStep(order int, name string, from, to float64, fill func(g *Gen) error) {
	for _, s := range steps {
		if s.order == order || s.name == name {
			panic(fmt.Sprintf("loadgen: step %d %s registered twice", order, name))
		}
	}
	steps = append(steps, step{order, name, from, to, fill})
}

// Generate makes the organisation described by cfg in db and reports what
// it made. The store's clock is restored before it returns.
func Generate(ctx context.Context, db *sqlstore.DB, cfg Config) (*Result, error) {
	if cfg.Assets < 1 || cfg.Risks < 0 {
		return nil, fmt.Errorf("loadgen: need at least one asset and no negative number of risks")
	}
	began := time.Now()
	end := cfg.End
	if end.IsZero() {
		end = time.Now().UTC()
	}
	end = time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, time.UTC)
	g := &Gen{
		DB: db, Cfg: cfg, Rand: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		Users: map[isms.Role]*isms.User{}, Entries: map[isms.EntryKind][]*isms.OverviewEntry{},
		ctx: ctx, operator: isms.WithActor(ctx, &isms.Actor{Name: "loadgen", SiteAdmin: true}),
		start: end.AddDate(-1, 0, 0).Add(8 * time.Hour), end: end,
	}
	g.now = g.start
	clock := db.Now
	db.Now = func() time.Time { return g.now }
	defer func() { db.Now = clock }()

	if err := g.prepare(); err != nil {
		return nil, err
	}
	ordered := append([]step(nil), steps...)
	sort.Slice(ordered, func(i, j int) bool { return ordered[i].order < ordered[j].order })
	res := &Result{}
	for _, s := range ordered {
		g.phaseFrom, g.phaseTo = g.at(s.from), g.at(s.to)
		g.phaseOps, g.phaseAt = 0, 0
		if err := g.advanceTo(g.phaseFrom); err != nil {
			return nil, err
		}
		t := time.Now()
		g.logf("%s …", s.name)
		if err := s.fill(g); err != nil {
			return nil, fmt.Errorf("loadgen %s: %w", s.name, err)
		}
		d := time.Since(t)
		res.Steps = append(res.Steps, Count{s.name, int(d.Milliseconds())})
		g.logf("%s done in %s", s.name, d.Round(time.Millisecond))
	}
	// What was scheduled up to the end date happens; what lies beyond it
	// is the future.
	if err := g.advanceTo(g.end); err != nil {
		return nil, err
	}
	if err := g.tally(); err != nil {
		return nil, err
	}
	g.Count("checklist tallies", g.tallies)
	events, err := g.auditEvents()
	if err != nil {
		return nil, err
	}
	db.Now = clock
	if err := db.RefreshStatistics(ctx); err != nil {
		return nil, err
	}
	res.Org, res.Users, res.Owners, res.Counts = g.Org, g.Users, g.Owners, g.counts
	res.AuditEvents, res.Elapsed = events, time.Since(began)
	return res, nil
}

func (g *Gen) logf(format string, args ...any) {
	if g.Cfg.Progress != nil {
		fmt.Fprintf(g.Cfg.Progress, "  "+format+"\n", args...)
	}
}

// at is the moment a fraction f of the way through the year.
func (g *Gen) at(f float64) time.Time {
	return g.start.Add(time.Duration(f * float64(g.end.Sub(g.start))))
}

// Phase says that the next n changes of the current step are spread
// evenly over what is left of its window; Tick moves the clock to the next.
func (g *Gen) Phase(n int) {
	g.phaseOps, g.phaseAt = n, 0
	if g.now.After(g.phaseFrom) {
		g.phaseFrom = g.now
	}
}

// Tick moves the store's clock forward to the next change of the phase. The
// clock never runs backwards, so the audit trail is in order of time. What
// was scheduled up to the new time (see Schedule) happens first.
func (g *Gen) Tick() error {
	next := g.now.Add(time.Second)
	if g.phaseOps > 0 {
		t := g.phaseFrom.Add(time.Duration(float64(g.phaseTo.Sub(g.phaseFrom)) * float64(g.phaseAt) / float64(g.phaseOps)))
		if t.After(next) {
			next = t
		}
		g.phaseAt++
	}
	return g.advanceTo(next)
}

// Schedule has fn happen when the clock reaches at, between the changes of
// whatever step runs then: a checklist tally every week, an annual-wheel
// occurrence completed on its due day. fn must not call Tick.
func (g *Gen) Schedule(at time.Time, fn func() error) {
	g.seq++
	e := scheduled{at, g.seq, fn}
	i := sort.Search(len(g.agenda), func(i int) bool {
		a := g.agenda[i]
		return a.at.After(at) || (a.at.Equal(at) && a.seq > e.seq)
	})
	g.agenda = append(g.agenda, scheduled{})
	copy(g.agenda[i+1:], g.agenda[i:])
	g.agenda[i] = e
}

type scheduled struct {
	at  time.Time
	seq int
	fn  func() error
}

// advanceTo moves the clock to t, doing on the way what was scheduled.
func (g *Gen) advanceTo(t time.Time) error {
	for len(g.agenda) > 0 && !g.agenda[0].at.After(t) {
		e := g.agenda[0]
		g.agenda = g.agenda[1:]
		if e.at.After(g.now) {
			g.now = e.at
		}
		if err := e.fn(); err != nil {
			return err
		}
	}
	if g.now.Before(t) {
		g.now = t
	}
	return nil
}

// Now is the store's clock as the generator has set it.
func (g *Gen) Now() time.Time { return g.now }

// Today is the generator's current day.
func (g *Gen) Today() isms.Date { return isms.DateOf(g.now) }

// Day returns the day n days from the current one (negative for the past).
func (g *Gen) Day(n int) *isms.Date {
	d := g.Today().AddDays(n)
	return &d
}

// Count records that n records of one kind were made.
func (g *Gen) Count(what string, n int) {
	for i := range g.counts {
		if g.counts[i].What == what {
			g.counts[i].N += n
			return
		}
	}
	g.counts = append(g.counts, Count{what, n})
}

// Progress reports how far a long step is, every tenth of the way.
func (g *Gen) Progress(what string, i, n int) {
	if n >= 1000 && i > 0 && i%(n/10) == 0 {
		g.logf("  %s %d/%d", what, i, n)
	}
}

// As returns a context acting as the user.
func (g *Gen) As(u *isms.User) context.Context {
	return isms.WithActor(g.ctx, &isms.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, SiteAdmin: u.SiteAdmin})
}

// AsRole returns a context acting as the member with that role.
func (g *Gen) AsRole(r isms.Role) context.Context { return g.As(g.Users[r]) }

// Owner picks a contributor to own a record.
func (g *Gen) Owner() *isms.User { return g.Owners[g.Rand.IntN(len(g.Owners))] }

// ID returns a pointer to a user's id, for owner fields.
func ID(u *isms.User) *int64 {
	id := u.ID
	return &id
}

// Pick returns one of the strings.
func (g *Gen) Pick(list []string) string { return list[g.Rand.IntN(len(list))] }

// Chance reports true with probability p.
func (g *Gen) Chance(p float64) bool { return g.Rand.Float64() < p }

// Level draws a requirement level from 1 to 4, weighted towards the
// middle as real registers are.
func (g *Gen) Level() isms.Level {
	return isms.Level([]int{1, 2, 2, 3, 3, 3, 4, 4}[g.Rand.IntN(8)])
}

// prepare checks that the database may take the organisation and finds a
// free name for it.
func (g *Gen) prepare() error {
	users, err := g.DB.CountUsers(g.ctx)
	if err != nil {
		return err
	}
	orgs, err := g.DB.Organisations(g.operator)
	if err != nil {
		return err
	}
	if (users > 0 || len(orgs) > 0) && !g.Cfg.AllowExisting {
		return fmt.Errorf("%w: it has %d users and %d organisations", ErrNotEmpty, users, len(orgs))
	}
	taken := map[string]bool{}
	for _, o := range orgs {
		taken[o.Name] = true
	}
	for n := 1; ; n++ {
		if n > 1 {
			g.tag = fmt.Sprint(n)
		}
		if taken[g.OrgName()] {
			continue
		}
		if _, err := g.DB.UserByEmail(g.ctx, g.Email("koordinator")); err == nil {
			continue
		} else if isms.ErrorCode(err) != isms.ENotFound {
			return err
		}
		return nil
	}
}

// OrgName is the generated organisation's name.
func (g *Gen) OrgName() string {
	if g.tag == "" {
		return OrgName
	}
	return OrgName + " " + g.tag
}

// Email is a generated account's address: local@storby.example for the
// first organisation, local@2.storby.example for the second, …
func (g *Gen) Email(local string) string {
	if g.tag == "" {
		return local + "@" + Domain
	}
	return local + "@" + g.tag + "." + Domain
}

// CoordinatorEmail is the address of the coordinator of the first
// generated organisation in a database; the load command logs in with it.
func CoordinatorEmail() string { return "koordinator@" + Domain }

func (g *Gen) auditEvents() (int, error) {
	_, n, err := g.DB.AuditEvents(g.AsRole(isms.RoleAuditor), g.Org.ID, isms.AuditFilter{Limit: 1})
	return n, err
}

// Areas are the work areas names are made of. Every name carries one, so a
// filter on an area word finds a realistic share of a register.
var Areas = []string{"Borgerservice", "Jobcenter", "Ydelsescenter", "Skole", "Dagtilbud", "Ældrepleje", "Hjemmepleje",
	"Handicap", "Familie", "Sundhed", "Psykiatri", "Byggesag", "Miljø", "Vej og Park", "Kultur", "Bibliotek", "Økonomi",
	"Løn", "HR", "Indkøb", "Digitalisering", "IT-drift", "Beredskab", "Forsyning", "Erhverv", "Integration", "Ungdomsskole",
	"Tandpleje", "Sekretariat", "Jura"}
