package loadgen

import (
	"fmt"

	"github.com/ismsdk/isms"
)

// The business overview (guide 2.1): the primary assets — business-critical
// information, IT systems and processes, linked as systems hold information
// and processes use systems — with their requirements, the smaller
// registers (competences, stakeholders, external factors) and an approved
// scope. A tenth of the entries are revised later in the year, as
// registers are.

func init() { addStep(200, "business overview", 0.01, 0.30, fillOverview) }

var infoTypes = []string{"Sagsakter", "Personoplysninger", "Helbredsoplysninger", "Økonomidata", "Journalnotater",
	"Ansøgninger", "Afgørelser", "Kontrakter", "Lønoplysninger", "Elevoplysninger", "Tilsynsrapporter", "Kortdata",
	"Byggesagsakter", "Betalingsoplysninger", "Klagesager"}

var systemTypes = []string{"Fagsystem", "ESDH-modul", "Selvbetjeningsløsning", "Integrationsplatform", "Databasecluster",
	"Fildrev", "Webportal", "Mobilapp", "Rapporteringsværktøj", "Tidsregistrering", "Bookingsystem", "GIS-løsning"}

var processTypes = []string{"Sagsbehandling", "Visitation", "Udbetaling", "Indberetning", "Kontrol og tilsyn",
	"Borgerhenvendelser", "Planlægning", "Indskrivning", "Arkivering", "Fakturering", "Rekruttering", "Beredskabsvagt"}

var reasons = []string{
	"oplysningerne om borgerne er fortrolige efter databeskyttelsesreglerne",
	"fejl giver forkerte afgørelser og udbetalinger",
	"borgerne venter på ydelsen, og fristerne er lovbestemte",
	"et brud skal anmeldes til Datatilsynet inden for 72 timer",
	"opgaven kan klares manuelt i nogle dage",
	"data indgår i indberetninger til staten",
}

// The smaller registers, with a handful of entries each.
var smallRegisters = []struct {
	kind     isms.EntryKind
	category string
	names    []string
}{
	{isms.KindCompetence, "", []string{"Systemadministration af fagsystemer", "Informationssikkerhedskoordinering",
		"Databeskyttelsesjura", "Netværksdrift", "Beredskabsledelse", "Indkøb og kontraktstyring"}},
	{isms.KindInternalStakeholder, "", []string{"Kommunalbestyrelsen", "Direktionen", "Medarbejdere", "Hovedudvalget (MED)",
		"Databeskyttelsesrådgiveren"}},
	{isms.KindExternalFactor, "law", []string{"Databeskyttelsesforordningen", "Databeskyttelsesloven", "Forvaltningsloven",
		"Arkivloven"}},
	{isms.KindExternalFactor, "contract", []string{"Driftsaftale med hostingleverandør", "Rammeaftale om fagsystemer"}},
	{isms.KindExternalFactor, "supplier_agreement", []string{"Databehandleraftaler med leverandører"}},
	{isms.KindExternalStakeholder, "", []string{"Borgere", "Virksomheder", "Datatilsynet", "Digitaliseringsstyrelsen",
		"Leverandører", "Revisionen"}},
}

// entry makes one register entry, as the owner when a contributor owns it
// (system owners record their own systems), as the coordinator otherwise.
func (g *Gen) entry(in isms.OverviewEntryInput, by *isms.User) (*isms.OverviewEntry, error) {
	if err := g.Tick(); err != nil {
		return nil, err
	}
	e, err := g.DB.CreateOverviewEntry(g.As(by), g.Org.ID, in)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", in.Kind, in.Name, err)
	}
	g.Entries[in.Kind] = append(g.Entries[in.Kind], e)
	return e, nil
}

func (g *Gen) requirements(what string) isms.Requirements {
	r := isms.Requirements{Confidentiality: g.Level(), Integrity: g.Level(), Availability: g.Level()}
	r.Text = fmt.Sprintf("%s: fortrolighed %d, integritet %d, tilgængelighed %d, fordi %s.", what,
		r.Confidentiality, r.Integrity, r.Availability, g.Pick(reasons))
	return r
}

func (g *Gen) status() isms.EntryStatus {
	switch f := g.Rand.Float64(); {
	case f < 0.05:
		return isms.StatusRetired
	case f < 0.15:
		return isms.StatusDraft
	}
	return isms.StatusActive
}

// linksTo picks up to n distinct entries of a kind made before.
func (g *Gen) linksTo(kind isms.EntryKind, n int) []int64 {
	have := g.Entries[kind]
	if len(have) == 0 {
		return nil
	}
	seen := map[int64]bool{}
	var out []int64
	for range n {
		id := have[g.Rand.IntN(len(have))].ID
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func fillOverview(g *Gen) error {
	coord := g.Users[isms.RoleCoordinator]
	nInfo := g.Cfg.Assets * 35 / 100
	nSys := g.Cfg.Assets * 35 / 100
	nProc := g.Cfg.Assets - nInfo - nSys
	small := 0
	for _, r := range smallRegisters {
		small += len(r.names)
	}
	revisions := g.Cfg.Assets / 10
	g.Phase(g.Cfg.Assets + small + revisions + 2)

	for _, r := range smallRegisters {
		for _, name := range r.names {
			if _, err := g.entry(isms.OverviewEntryInput{Kind: r.kind, Category: r.category, Name: name,
				Description: name + " er en del af kommunens forretningsoverblik.", OwnerID: ID(coord),
				Status: isms.StatusActive, NextReview: g.Day(180 + g.Rand.IntN(180))}, coord); err != nil {
				return err
			}
		}
	}
	for i := range nInfo {
		g.Progress("information", i, nInfo)
		area := g.Pick(Areas)
		name := fmt.Sprintf("%s – %s %04d", g.Pick(infoTypes), area, i+1)
		owner := coord
		if g.Chance(0.5) {
			owner = g.Owner()
		}
		if _, err := g.entry(isms.OverviewEntryInput{Kind: isms.KindInformation, Name: name,
			Description: fmt.Sprintf("Oplysninger, som %s bruger i sin daglige opgaveløsning.", area),
			OwnerID:     ID(owner), Status: g.status(), NextReview: g.Day(60 + g.Rand.IntN(360)),
			Requirements: g.requirements(name)}, coord); err != nil {
			return err
		}
	}
	for i := range nSys {
		g.Progress("systems", i, nSys)
		area := g.Pick(Areas)
		name := fmt.Sprintf("%s – %s %04d", g.Pick(systemTypes), area, i+1)
		owner := g.Owner()
		if _, err := g.entry(isms.OverviewEntryInput{Kind: isms.KindSystem, Name: name,
			Description: fmt.Sprintf("IT-system, som %s bruger; driftes af leverandør efter aftale.", area),
			OwnerID:     ID(owner), Status: g.status(), NextReview: g.Day(60 + g.Rand.IntN(360)),
			Requirements: g.requirements(name), Links: g.linksTo(isms.KindInformation, 1+g.Rand.IntN(3))}, owner); err != nil {
			return err
		}
	}
	for i := range nProc {
		g.Progress("processes", i, nProc)
		area := g.Pick(Areas)
		name := fmt.Sprintf("%s – %s %04d", g.Pick(processTypes), area, i+1)
		owner := coord
		if g.Chance(0.3) {
			owner = g.Owner()
		}
		if _, err := g.entry(isms.OverviewEntryInput{Kind: isms.KindProcess, Name: name,
			Description: fmt.Sprintf("Forretningskritisk proces i %s.", area),
			OwnerID:     ID(owner), Status: g.status(), NextReview: g.Day(60 + g.Rand.IntN(360)),
			Requirements: g.requirements(name), Links: g.linksTo(isms.KindSystem, 1+g.Rand.IntN(3))}, coord); err != nil {
			return err
		}
	}
	for _, k := range isms.EntryKinds {
		g.Count("overview entries: "+string(k), len(g.Entries[k]))
	}

	// Revisions later in the year: a changed assessment and a new review date.
	primary := append(append(append([]*isms.OverviewEntry{}, g.Entries[isms.KindInformation]...),
		g.Entries[isms.KindSystem]...), g.Entries[isms.KindProcess]...)
	for i := range revisions {
		k := g.Rand.IntN(len(primary))
		// Read it again: links made to it since were not on the copy.
		e, err := g.DB.OverviewEntry(g.As(coord), g.Org.ID, primary[k].ID)
		if err != nil {
			return err
		}
		if err := g.Tick(); err != nil {
			return err
		}
		in := isms.OverviewEntryInput{Kind: e.Kind, Category: e.Category, Name: e.Name, Description: e.Description,
			OwnerID: e.OwnerID, Status: e.Status, NextReview: g.Day(200 + g.Rand.IntN(200)),
			Requirements: g.requirements(e.Name), Links: e.Links, Version: e.Version}
		updated, err := g.DB.UpdateOverviewEntry(g.As(coord), g.Org.ID, e.ID, in)
		if err != nil {
			return fmt.Errorf("revision %d of %q: %w", i, e.Name, err)
		}
		primary[k] = updated
		// Keep the kind's list current, so later steps read the latest version.
		list := g.Entries[e.Kind]
		for j := range list {
			if list[j].ID == e.ID {
				list[j] = updated
			}
		}
	}
	g.Count("overview revisions", revisions)

	// The scope, with the processes of the core areas, approved by management.
	var procs []int64
	for i, p := range g.Entries[isms.KindProcess] {
		if i%10 == 0 && p.Status == isms.StatusActive && len(procs) < 100 {
			procs = append(procs, p.ID)
		}
	}
	if err := g.Tick(); err != nil {
		return err
	}
	scope, err := g.DB.SaveScope(g.As(coord), g.Org.ID, isms.ScopeInput{
		Description:       "ISMS'et omfatter hele kommunens forvaltning og de IT-systemer, der understøtter den.",
		InformationTypes:  "Personoplysninger om borgere og medarbejdere, sagsakter, økonomidata.",
		OrganisationUnits: "Alle forvaltninger og stabsfunktioner.", ProcessIDs: procs,
		Exclusions: "Kommunens selvejende institutioner, som har egne ledelsessystemer.", BoundaryCriteria: "Kommunens myndighedsopgaver.",
		OwnerID: ID(coord), NextReview: g.Day(365)})
	if err != nil {
		return fmt.Errorf("scope: %w", err)
	}
	if err := g.Tick(); err != nil {
		return err
	}
	if _, err := g.DB.ApproveScope(g.AsRole(isms.RoleManagement), g.Org.ID, scope.Version); err != nil {
		return fmt.Errorf("scope approval: %w", err)
	}
	g.Count("scope", 1)
	return nil
}
