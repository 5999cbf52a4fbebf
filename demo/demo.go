// Package demo fills a database with a fictional Danish municipality,
// Solbjerg Kommune, so the product can be tried with realistic records: its
// people in every role, a parent organisation that oversees it, the
// business overview of guide section 2.1 and an approved ISMS scope.
//
// Everything is created through the same service methods the web layer
// calls, each acting as the user who would do it in real life (the
// coordinator records the registers, a system owner his own systems,
// management approves the scope), so the audit trail reads like a real one.
//
// Each element of the guide fills its part in its own file with a function
// registered by addStep; later elements (documents, the annual wheel,
// risks, the Statement of Applicability) add theirs the same way and find
// the organisation, the users and the earlier records on the Demo.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
)

// Names and secrets of the demo. All of it is fictional; the e-mail domain
// is reserved for examples and never delivers mail.
const (
	OrgName        = "Solbjerg Kommune"
	ParentName     = "Solbjerg Kommunekoncern"
	Domain         = "solbjerg.example"
	Password       = "solbjerg-demo-2026"
	DefaultAddress = "http://127.0.0.1:8080"
)

// ErrExists is returned when the demo has been filled in before.
var ErrExists = errors.New("demo organisation already exists")

// Person is one demo user.
type Person struct {
	Email string
	Name  string
	Title string
	// Role is the role in Solbjerg Kommune; empty for the overseer, who
	// reads the municipality through the parent organisation.
	Role isms.Role
}

// People are the demo's users, one for each role in the municipality and
// one in the parent organisation with oversight.
var People = []Person{
	{"admin@" + Domain, "Mads Kjær", "Systemadministrator, Digitalisering og IT", isms.RoleAdministrator},
	{"koordinator@" + Domain, "Sofie Lindberg", "Informationssikkerhedskoordinator", isms.RoleCoordinator},
	{"direktion@" + Domain, "Peter Holm", "Kommunaldirektør", isms.RoleManagement},
	{"systemejer@" + Domain, "Jonas Bech", "Systemejer, Social og Sundhed", isms.RoleContributor},
	{"revisor@" + Domain, "Camilla Friis", "Intern revisor", isms.RoleAuditor},
	{"medarbejder@" + Domain, "Anna Møller", "Sagsbehandler, Borgerservice", isms.RoleReader},
	{"koncern@" + Domain, "Henrik Dalsgaard", "Koncernchef for digitalisering", ""},
}

// Demo is the filled demo: what later fill steps build on.
type Demo struct {
	DB     *sqlstore.DB
	Today  isms.Date
	Parent *isms.Organisation
	Org    *isms.Organisation
	// Users holds the municipality's users by their role there.
	Users map[isms.Role]*isms.User
	// Overseer reads the municipality through the parent organisation.
	Overseer *isms.User
	// Entries holds the business overview's entries by their key in this
	// package (e.g. "sys.esdh"), for steps that link to them.
	Entries map[string]*isms.OverviewEntry
	Scope   *isms.Scope

	ctx      context.Context // the caller's, without an actor
	operator context.Context // the command line's, as site administrator
}

// step is one element's part of the demo.
type step struct {
	order int
	name  string
	fill  func(d *Demo) error
}

var steps []step

// addStep registers an element's fill function. Steps run in order of
// their number: 100 business overview, 200 scope; leave gaps for the rest
// (e.g. 300 documents, 400 annual wheel, 500 risks, 600 SoA).
func addStep(order int, name string, fill func(d *Demo) error) {
	for _, s := range steps {
		if s.order == order || s.name == name {
			panic(fmt.Sprintf("demo: step %d %s registered twice", order, name))
		}
	}
	steps = append(steps, step{order, name, fill})
}

// Fill creates the demo in db and prints how to log in to out. address is
// where the server answers (DefaultAddress when empty). It refuses with
// ErrExists when the demo is there already, rather than make duplicates.
func Fill(ctx context.Context, db *sqlstore.DB, out io.Writer, address string) (*Demo, error) {
	if address == "" {
		address = DefaultAddress
	}
	d := &Demo{
		DB:       db,
		Today:    isms.DateOf(db.Now()),
		Users:    map[isms.Role]*isms.User{},
		Entries:  map[string]*isms.OverviewEntry{},
		ctx:      ctx,
		operator: isms.WithActor(ctx, &isms.Actor{Name: "demo", SiteAdmin: true}),
	}
	if err := d.checkAbsent(); err != nil {
		return nil, err
	}
	if err := d.createPeople(); err != nil {
		return nil, fmt.Errorf("demo users: %w", err)
	}
	if err := d.createOrganisations(); err != nil {
		return nil, fmt.Errorf("demo organisations: %w", err)
	}
	ordered := append([]step(nil), steps...)
	sort.Slice(ordered, func(i, j int) bool { return ordered[i].order < ordered[j].order })
	for _, s := range ordered {
		if err := s.fill(d); err != nil {
			return nil, fmt.Errorf("demo %s: %w", s.name, err)
		}
	}
	d.PrintLogins(out, address)
	return d, nil
}

// checkAbsent refuses when the demo's organisations or users exist.
func (d *Demo) checkAbsent() error {
	orgs, err := d.DB.Organisations(d.operator)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if o.Name == OrgName || o.Name == ParentName {
			return fmt.Errorf("%w: there is already an organisation named %q", ErrExists, o.Name)
		}
	}
	for _, p := range People {
		if _, err := d.DB.UserByEmail(d.ctx, p.Email); err == nil {
			return fmt.Errorf("%w: there is already a user %s", ErrExists, p.Email)
		} else if isms.ErrorCode(err) != isms.ENotFound {
			return err
		}
	}
	return nil
}

// As returns a context acting as the municipality's user with that role.
func (d *Demo) As(role isms.Role) context.Context {
	return asUser(d.ctx, d.Users[role])
}

// AsOverseer returns a context acting as the parent organisation's overseer.
func (d *Demo) AsOverseer() context.Context { return asUser(d.ctx, d.Overseer) }

func asUser(ctx context.Context, u *isms.User) context.Context {
	return isms.WithActor(ctx, &isms.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, SiteAdmin: u.SiteAdmin})
}

// Day returns the date n days from today (negative for the past).
func (d *Demo) Day(n int) *isms.Date {
	day := d.Today.AddDays(n)
	return &day
}

// UserID returns the id of the user with that role, for owner fields.
func (d *Demo) UserID(role isms.Role) *int64 {
	id := d.Users[role].ID
	return &id
}

// EntryIDs returns the ids of entries by their keys; an unknown key is a
// mistake in the demo data and reported as such.
func (d *Demo) EntryIDs(keys ...string) ([]int64, error) {
	ids := make([]int64, 0, len(keys))
	for _, k := range keys {
		e, ok := d.Entries[k]
		if !ok {
			return nil, fmt.Errorf("demo data refers to entry %q before it is made", k)
		}
		ids = append(ids, e.ID)
	}
	return ids, nil
}

// createPeople makes the accounts. In an empty database the first account
// (the administrator) becomes site administrator, as every first account
// does.
func (d *Demo) createPeople() error {
	for _, p := range People {
		u, err := d.DB.CreateUser(d.operator, p.Email, p.Name, Password, false)
		if err != nil {
			return fmt.Errorf("%s: %w", p.Email, err)
		}
		if p.Role == "" {
			d.Overseer = u
		} else {
			d.Users[p.Role] = u
		}
	}
	return nil
}

// createOrganisations makes the parent and the municipality, gives
// everyone their membership (as a site administrator adds existing
// accounts; in the UI the municipality's administrator would invite them)
// and lets the coordinator write down the purpose.
func (d *Demo) createOrganisations() error {
	var err error
	d.Parent, err = d.DB.CreateOrganisation(d.operator, isms.OrganisationInput{Name: ParentName, Purpose: parentPurpose})
	if err != nil {
		return err
	}
	if _, err := d.DB.AddMembership(d.operator, d.Parent.ID, isms.MembershipInput{
		Email: d.Overseer.Email, Role: isms.RoleReader, Oversight: true}); err != nil {
		return err
	}
	org, err := d.DB.CreateOrganisation(d.operator, isms.OrganisationInput{Name: OrgName, ParentID: &d.Parent.ID})
	if err != nil {
		return err
	}
	admin := d.Users[isms.RoleAdministrator]
	if _, err := d.DB.AddMembership(d.operator, org.ID, isms.MembershipInput{Email: admin.Email, Role: isms.RoleAdministrator}); err != nil {
		return err
	}
	for _, p := range People {
		if p.Role == "" || p.Role == isms.RoleAdministrator {
			continue
		}
		if _, err := d.DB.AddMembership(d.operator, org.ID, isms.MembershipInput{Email: p.Email, Role: p.Role}); err != nil {
			return fmt.Errorf("membership of %s: %w", p.Email, err)
		}
	}
	d.Org, err = d.DB.UpdateOrganisation(d.As(isms.RoleCoordinator), org.ID, isms.OrganisationInput{
		Name: org.Name, ParentID: org.ParentID, Purpose: orgPurpose, Version: org.Version})
	return err
}

const parentPurpose = "Koncernfællesskabet for Solbjerg Kommune og kommunens selskaber. Koncernledelsen følger " +
	"informationssikkerheden i de enkelte enheder (koncernstyring, vejledningens afsnit 2.2), mens hver enhed selv " +
	"ejer og driver sit ISMS."

const orgPurpose = "Solbjerg Kommune løser de opgaver, som lovgivningen og kommunalbestyrelsen pålægger kommunen, for " +
	"ca. 48.000 borgere: social- og sundhedsområdet, børn og unge, beskæftigelse, borgerservice, skoler og dagtilbud, " +
	"teknik og miljø.\n\nInformationssikkerheden skal beskytte borgernes oplysninger, sikre korrekte afgørelser og " +
	"udbetalinger og holde de kritiske services kørende, så borgere, virksomheder og samarbejdspartnere kan have " +
	"tillid til kommunen."

// PrintLogins tells how to log in as each demo user.
func (d *Demo) PrintLogins(out io.Writer, address string) {
	fmt.Fprintf(out, "Demo organisation %q is ready, under %q.\n\n", OrgName, ParentName)
	fmt.Fprintf(out, "Start the server (isms serve), open %s and log in as one of:\n\n", address)
	fmt.Fprintf(out, "  %-26s %-32s %s\n", "role", "e-mail", "name")
	for _, p := range People {
		role := string(p.Role)
		u := d.Users[p.Role]
		if p.Role == "" {
			role, u = "oversight (parent org.)", d.Overseer
		}
		if u != nil && u.SiteAdmin {
			role += " + site admin"
		}
		fmt.Fprintf(out, "  %-26s %-32s %s, %s\n", role, p.Email, p.Name, p.Title)
	}
	fmt.Fprintf(out, "\nPassword for every demo user: %s\n", Password)
	fmt.Fprintln(out, "The demo users share a published password: use the demo on a test installation only.")
}

// entrySpec is one business-overview entry of the demo.
type entrySpec struct {
	key         string // how other demo data refers to it
	kind        isms.EntryKind
	category    string // for external factors
	name        string
	description string
	owner       isms.Role
	review      int // days until the next review
	c, i, a     isms.Level
	req         string // what the entry requires of C, I and A, and why
	links       []string
}

// addEntry records one entry: a contributor records the entries they own
// themselves, the coordinator all others.
func (d *Demo) addEntry(s entrySpec) error {
	links, err := d.EntryIDs(s.links...)
	if err != nil {
		return err
	}
	by := isms.RoleCoordinator
	if s.owner == isms.RoleContributor {
		by = isms.RoleContributor
	}
	e, err := d.DB.CreateOverviewEntry(d.As(by), d.Org.ID, isms.OverviewEntryInput{
		Kind: s.kind, Category: s.category, Name: s.name, Description: strings.TrimSpace(s.description),
		OwnerID: d.UserID(s.owner), Status: isms.StatusActive, NextReview: d.Day(s.review),
		Requirements: isms.Requirements{Confidentiality: s.c, Integrity: s.i, Availability: s.a, Text: strings.TrimSpace(s.req)},
		Links:        links,
	})
	if err != nil {
		return fmt.Errorf("entry %s: %w", s.key, err)
	}
	if _, dup := d.Entries[s.key]; dup {
		return fmt.Errorf("demo data has two entries with key %q", s.key)
	}
	d.Entries[s.key] = e
	return nil
}
