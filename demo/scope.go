package demo

import (
	"strings"

	"github.com/ismsdk/isms"
)

// The ISMS scope (guide 2.1, ISO/IEC 27001 clause 4.3): recorded by the
// coordinator and approved by the municipal director.

func init() { addStep(200, "scope", fillScope) }

func fillScope(d *Demo) error {
	processes, err := d.EntryIDs("proc.ydelser", "proc.udbetaling", "proc.borgerservice", "proc.boern", "proc.loen", "proc.journal")
	if err != nil {
		return err
	}
	s, err := d.DB.SaveScope(d.As(isms.RoleCoordinator), d.Org.ID, isms.ScopeInput{
		Description:       strings.TrimSpace(scopeDescription),
		InformationTypes:  strings.TrimSpace(scopeInformationTypes),
		OrganisationUnits: strings.TrimSpace(scopeUnits),
		ProcessIDs:        processes,
		Exclusions:        strings.TrimSpace(scopeExclusions),
		BoundaryCriteria:  strings.TrimSpace(scopeCriteria),
		OwnerID:           d.UserID(isms.RoleCoordinator),
		NextReview:        d.Day(365),
	})
	if err != nil {
		return err
	}
	d.Scope, err = d.DB.ApproveScope(d.As(isms.RoleManagement), d.Org.ID, s.Version)
	return err
}

const scopeDescription = `
ISMS'et omfatter Solbjerg Kommunes administration og myndighedsudøvelse: de forretningskritiske processer
sagsbehandling af sociale ydelser, udbetaling, borgerservice, børne- og ungesager, løn og personaleadministration
samt journalisering og arkivering, med de informationer og IT-systemer, de bygger på, uanset om systemerne
driftes af kommunen selv eller af leverandører. Ledelsen af ISMS'et ligger hos direktionen; den daglige
koordinering hos informationssikkerhedskoordinatoren.`

const scopeInformationTypes = `
Personoplysninger om borgere, herunder CPR-numre og følsomme oplysninger om helbred og sociale forhold;
økonomi- og betalingsoplysninger; personale- og lønoplysninger; journaliserede sagsakter og afgørelser.`

const scopeUnits = `
Direktionen; Borgerservice; Social og Sundhed; Børn og Familie; Beskæftigelse; Økonomi og Løn; HR;
Digitalisering og IT.`

const scopeExclusions = `
Solbjerg Forsyning A/S er udeladt: selskabet har egen bestyrelse og direktion og driver sit eget ISMS efter
NIS2-lovgivningen; koncernen følger det gennem koncernstyringen.
Skolernes undervisnings-IT (elevplatforme og elev-pc'er) er udeladt i første omgang, fordi den ikke behandler
de forretningskritiske informationer ovenfor; den vurderes igen ved næste gennemgang af omfanget.
Fysisk sikring af daginstitutioner og plejecentre er udeladt, fordi der ikke opbevares sagsakter dér; de
tilgår systemerne gennem kommunens netværk og klienter, som er omfattet.`

const scopeCriteria = `
Grænsen er trukket efter vejledningens tre kriterier:
1) Informationstyper: alle informationer, som kommunen er dataansvarlig for, og som stiller høje krav
   (niveau 3 eller 4) til fortrolighed eller integritet.
2) Organisatoriske enheder: de enheder, der ejer eller behandler disse informationer, og de enheder, der
   leverer IT til dem.
3) Forretningsprocesser: de processer, hvor et afbrud på mere end en uge eller en fejl rammer borgernes
   retssikkerhed, sundhed eller udbetalinger.
Grænsefladen til leverandørerne styres gennem databehandleraftaler og kontrakter; leverandørernes egne
systemer er ikke en del af omfanget.`
