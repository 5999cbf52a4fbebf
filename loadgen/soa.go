package loadgen

import (
	"fmt"

	"github.com/ismsdk/isms"
)

// The Statement of Applicability (guide 2.3 and 2.8): a decision on every
// Annex A 2022 control, made late in the year when the risk assessments
// are done, so most applicable controls are justified by the risks whose
// treatment uses them (read live from the risk register); those without
// risks by a legal requirement or a business reason, and a few excluded
// with the reason why. The coordinator freezes the SoA and management
// approves the version.

func init() { addStep(600, "statement of applicability", 0.80, 0.92, fillSoA) }

// excludedThemes are where a municipality with everything hosted by
// suppliers can leave a control out; a control there with no risk using
// it is excluded.
var soaExclusions = map[string]string{
	"7.5":  "Kommunen har ingen egne datacentre; fysiske og miljømæssige trusler håndteres af hostingleverandøren efter aftalen.",
	"7.11": "Forsyningsanlæg til driften ligger hos hostingleverandøren og er omfattet af leverandørtilsynet.",
	"7.12": "Kommunen ejer ingen kabelføring til driftsudstyr; den ligger hos leverandøren.",
	"8.31": "Kommunen udvikler ikke selv software; adskillelse af miljøer er leverandørens ansvar efter aftalen.",
	"8.30": "Kommunen får ikke udviklet software på kontrakt; anskaffelser er standardsystemer.",
}

func fillSoA(g *Gen) error {
	coord := g.Users[isms.RoleCoordinator]
	soa, err := g.DB.SoA(g.As(coord), g.Org.ID, isms.SoAFilter{})
	if err != nil {
		return err
	}
	var laws []int64
	for _, e := range g.Entries[isms.KindExternalFactor] {
		laws = append(laws, e.ID)
	}
	statuses := []isms.ImplementationStatus{isms.ImplImplemented, isms.ImplImplemented, isms.ImplImplemented,
		isms.ImplPartial, isms.ImplPartial, isms.ImplPlanned, isms.ImplNotStarted}
	g.Phase(len(soa.Controls) + 2)
	decided, byRisk := 0, 0
	for i, c := range soa.Controls {
		if c.Catalogue != isms.CatalogueAnnexA2022 {
			continue
		}
		if err := g.Tick(); err != nil {
			return err
		}
		owner := coord
		if i%3 == 0 {
			owner = g.Owner()
		}
		in := isms.SoAControlInput{OwnerID: ID(owner), Version: c.Version}
		if reason, ok := soaExclusions[c.Ref]; ok && c.RiskCount == 0 {
			in.Applicability, in.ExclusionReason, in.Status = isms.Excluded, reason, isms.ImplNotApplicable
		} else {
			in.Applicability = isms.Applicable
			in.Status = statuses[g.Rand.IntN(len(statuses))]
			in.Evidence = fmt.Sprintf("Procedure og dokumentation for %s i ESDH; status gennemgås kvartalsvis.", c.Ref)
			if c.RiskCount > 0 {
				byRisk++
			} else if len(laws) > 0 && i%2 == 0 {
				in.RequirementIDs = []int64{laws[i%len(laws)]}
			} else {
				in.BusinessReason = "Kontrollen er en del af kommunens fælles sikkerhedsniveau og forudsættes af leverandøraftalerne."
			}
		}
		if _, err := g.DB.SaveSoAControl(g.As(coord), g.Org.ID, c.ControlID, in); err != nil {
			return fmt.Errorf("SoA line %s: %w", c.Ref, err)
		}
		decided++
	}
	g.Count("SoA controls decided", decided)
	g.Count("SoA controls justified by risks", byRisk)

	if err := g.Tick(); err != nil {
		return err
	}
	now, err := g.DB.SoA(g.As(coord), g.Org.ID, isms.SoAFilter{})
	if err != nil {
		return err
	}
	v, err := g.DB.FreezeSoA(g.As(coord), g.Org.ID, isms.SoAFreezeInput{Note: "Årets SoA efter risikovurderingerne.", StateToken: now.StateToken})
	if err != nil {
		return fmt.Errorf("freezing the SoA: %w", err)
	}
	if err := g.Tick(); err != nil {
		return err
	}
	if _, err := g.DB.ApproveSoAVersion(g.AsRole(isms.RoleManagement), g.Org.ID, v.ID, isms.SoAApprovalInput{
		Version: v.Version, Note: "Godkendt på ledelsens evaluering."}); err != nil {
		return fmt.Errorf("approving the SoA: %w", err)
	}
	g.Count("approved SoA versions", 1)
	return nil
}
