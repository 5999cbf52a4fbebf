package demo

import (
	"fmt"
	"strings"

	"github.com/ismsdk/isms"
)

// The Statement of Applicability (guide 2.3 and 2.8): Solbjerg Kommune
// decides every one of the 93 controls of Annex A 2022. Applicable
// controls are justified by the risks that the risk register (step 500)
// already treats with them, by the laws, contracts and agreements of the
// business overview that demand them, and by a business reason; the two
// controls the municipality has no use for are excluded with the reason.
// The coordinator freezes the SoA and management approves it.

func init() { addStep(600, "statement of applicability", fillSoA) }

// soaDemoExcluded are the controls a municipality without in-house
// software development leaves out, with why.
var soaDemoExcluded = map[string]string{
	"8.4": "Kommunen udvikler ikke software og har ingen kildekode. Leverandørerne styrer adgangen til deres kildekode efter " +
		"kontrakterne, og risikovurderingerne af fagsystemerne viser ingen risiko, som foranstaltningen skulle behandle hos os.",
	"8.28": "Kommunen programmerer ikke selv; udvikling er udliciteret og styres gennem 8.30 (outsourcet udvikling) og " +
		"leverandørernes revisionserklæringer. Ingen lov eller kontrakt kræver sikker programmering af kommunen selv.",
}

// soaDemoRequirements names, per control or theme, the external factors
// that demand it (keys of the business overview's entries).
func soaDemoRequirements(ref, theme string) []string {
	specific := map[string][]string{
		"5.1": {"ext.strategi", "ext.gdpr"}, "5.2": {"ext.strategi"}, "5.3": {"ext.gdpr"}, "5.4": {"ext.strategi"},
		"5.5": {"ext.gdpr", "ext.nis2"}, "5.6": {"ext.strategi"}, "5.7": {"ext.nis2"}, "5.8": {"ext.gdpr"},
		"5.9": {"ext.gdpr"}, "5.10": {"ext.fvl"}, "5.11": {"ext.gdpr"}, "5.12": {"ext.fvl", "ext.gdpr"}, "5.13": {"ext.fvl"},
		"5.14": {"ext.gdpr", "ext.overfoersel"}, "5.15": {"ext.gdpr", "ext.fvl"}, "5.16": {"ext.gdpr"}, "5.17": {"ext.gdpr"},
		"5.18": {"ext.gdpr", "ext.fvl"}, "5.19": {"ext.dba"}, "5.20": {"ext.dba", "ext.kontrakt"}, "5.21": {"ext.kontrakt", "ext.nis2"},
		"5.22": {"ext.dba", "ext.kontrakt"}, "5.23": {"ext.dba", "ext.overfoersel"}, "5.24": {"ext.gdpr", "ext.nis2"},
		"5.25": {"ext.gdpr"}, "5.26": {"ext.gdpr", "ext.nis2"}, "5.27": {"ext.nis2"}, "5.28": {"ext.gdpr"},
		"5.29": {"ext.kontrakt", "ext.nis2"}, "5.30": {"ext.kontrakt", "ext.nis2"}, "5.31": {"ext.gdpr", "ext.dbl", "ext.fvl", "ext.arkiv"},
		"5.32": {"ext.kontrakt"}, "5.33": {"ext.arkiv", "ext.fvl"}, "5.34": {"ext.gdpr", "ext.dbl"}, "5.35": {"ext.strategi"},
		"5.36": {"ext.strategi"}, "5.37": {"ext.kontrakt"},
		"8.6": {"ext.kontrakt"}, "8.10": {"ext.gdpr", "ext.arkiv"}, "8.11": {"ext.gdpr", "ext.dbl"}, "8.13": {"ext.kontrakt", "ext.gdpr"},
		"8.14": {"ext.kontrakt"}, "8.15": {"ext.gdpr", "ext.kontrakt"}, "8.16": {"ext.nis2"}, "8.20": {"ext.nis2"}, "8.21": {"ext.kontrakt"},
		"8.22": {"ext.nis2"}, "8.24": {"ext.gdpr"}, "8.25": {"ext.dba"}, "8.26": {"ext.gdpr"}, "8.27": {"ext.gdpr"}, "8.29": {"ext.dba"},
		"8.30": {"ext.dba", "ext.kontrakt"}, "8.31": {"ext.kontrakt"}, "8.32": {"ext.kontrakt"}, "8.33": {"ext.gdpr"}, "8.34": {"ext.kontrakt"},
	}
	if r, ok := specific[ref]; ok {
		return r
	}
	// The people and physical controls and the remaining technical ones
	// are what article 32 of the GDPR asks of the processing.
	return []string{"ext.gdpr"}
}

var soaDemoReasons = map[string]string{
	"organizational": "Indgår i kommunens styring af informationssikkerheden efter ISO/IEC 27001, som kommunen har forpligtet sig til, og understøtter behandlingssikkerheden for borgernes oplysninger.",
	"people":         "Medarbejderne håndterer følsomme oplysninger om borgere og kolleger hver dag; foranstaltningen holder tavshedspligten og behandlingssikkerheden i hævd før, under og efter ansættelsen.",
	"physical":       "Kommunens rådhus, borgerservice og serverrum rummer udstyr og papir med følsomme oplysninger; foranstaltningen beskytter dem mod uvedkommende adgang, tab og skader.",
	"technological":  "Kommunens fagsystemer, netværk og Microsoft 365 behandler følsomme personoplysninger; foranstaltningen er en del af den tekniske behandlingssikkerhed.",
}

var soaDemoEvidence = map[string]string{
	"organizational": "ISMS-håndbogen på intranettet (SharePoint › ISMS); årshjulets aktiviteter og referater fra sikkerhedsudvalget.",
	"people":         "Ansættelsestjekliste og fratrædelsestjekliste i HR; kursusoversigt for awareness-træningen.",
	"physical":       "Adgangskontrolsystemets logs, nøgleprotokol og serverrummets tilsynsrapport.",
	"technological":  "Konfigurationsdokumentation og driftsrapporter fra Digitalisering og IT; leverandørernes månedsrapporter.",
}

// soaDemoStatus is how far each control is, as a real municipality's SoA
// would show it: most in place, some partly, a few planned.
func soaDemoStatus(ref string) isms.ImplementationStatus {
	switch ref {
	case "5.7", "5.23", "5.30", "8.9", "8.12", "8.16", "5.21", "8.11":
		return isms.ImplPartial
	case "8.23", "5.13":
		return isms.ImplPlanned
	}
	return isms.ImplImplemented
}

func soaDemoOwner(ref, theme string) isms.Role {
	switch ref {
	case "5.19", "5.20", "5.21", "5.22", "5.23", "8.25", "8.29", "8.30", "8.31", "8.33":
		return contributor
	case "5.1", "5.4", "5.35":
		return management
	}
	if theme == "organizational" {
		return coordinator
	}
	return administrator
}

func fillSoA(d *Demo) error {
	ctx := d.As(coordinator)
	soa, err := d.DB.SoA(ctx, d.Org.ID, isms.SoAFilter{})
	if err != nil {
		return err
	}
	docs, err := d.DB.SoADocumentCandidates(ctx, d.Org.ID)
	if err != nil {
		return err
	}
	for _, c := range soa.Controls {
		if c.Catalogue != isms.CatalogueAnnexA2022 {
			continue
		}
		in := isms.SoAControlInput{Version: c.Version}
		reason, exclude := soaDemoExcluded[c.Ref]
		// The risk register or a chosen documentation type relying on the
		// control overrides the plan to leave it out.
		chosen := false
		for _, ch := range c.DocChoices {
			chosen = chosen || ch.Decision == "chosen"
		}
		if exclude && c.RiskCount == 0 && !chosen {
			in.Applicability, in.ExclusionReason = isms.Excluded, reason
		} else {
			reqs, err := d.EntryIDs(soaDemoRequirements(c.Ref, c.Theme)...)
			if err != nil {
				return err
			}
			in.Applicability, in.RequirementIDs, in.Status = isms.Applicable, reqs, soaDemoStatus(c.Ref)
			in.BusinessReason = soaDemoReasons[c.Theme]
			in.OwnerID = d.UserID(soaDemoOwner(c.Ref, c.Theme))
			in.Evidence = soaDemoEvidence[c.Theme]
			if c.Ref == "5.1" {
				for _, doc := range docs {
					if strings.Contains(doc.Kind, "policy") {
						in.DocumentIDs = append(in.DocumentIDs, doc.ID)
					}
				}
			}
		}
		if _, err := d.DB.SaveSoAControl(ctx, d.Org.ID, c.ControlID, in); err != nil {
			return fmt.Errorf("SoA line %s: %w", c.Ref, err)
		}
	}
	own, err := d.DB.CreateOwnControl(ctx, d.Org.ID, isms.OwnControlInput{Ref: "SK-1", Theme: "organizational",
		Title: "Dobbeltkontrol af ændrede kreditoroplysninger"})
	if err != nil {
		return err
	}
	oeko, err := d.EntryIDs("ext.kontrakt")
	if err != nil {
		return err
	}
	if _, err := d.DB.SaveSoAControl(ctx, d.Org.ID, own.ControlID, isms.SoAControlInput{Applicability: isms.Applicable,
		Status: isms.ImplImplemented, OwnerID: d.UserID(coordinator), RequirementIDs: oeko, Version: own.Version,
		BusinessReason: "Fakturasvindel med ændrede kontonumre rammer kommuner flere gange om året; to personer godkender hver ændring.",
		Evidence:       "Økonomisystemets ændringslog for kreditorer; månedlig stikprøve i Økonomi."}); err != nil {
		return err
	}
	soa, err = d.DB.SoA(ctx, d.Org.ID, isms.SoAFilter{})
	if err != nil {
		return err
	}
	v, err := d.DB.FreezeSoA(ctx, d.Org.ID, isms.SoAFreezeInput{StateToken: soa.StateToken,
		Note: "SoA efter årets risikovurderinger; overgang til ISO/IEC 27001:2022 afsluttet."})
	if err != nil {
		return err
	}
	_, err = d.DB.ApproveSoAVersion(d.As(management), d.Org.ID, v.ID, isms.SoAApprovalInput{Version: v.Version,
		Note: "Godkendt på direktionsmødet."})
	return err
}
