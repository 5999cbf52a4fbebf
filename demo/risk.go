package demo

import (
	"fmt"
	"strings"

	"github.com/ismsdk/isms"
)

// Risk management (guide 2.3): Solbjerg Kommune's risk method on the
// Danish "4x4 Standard" scale, its supporting assets, a threat of its own,
// a risk assessment of every business-critical process, information and
// IT system of the business overview with a risk for each relevant threat,
// treatment decisions with Annex A controls and actions, the residual
// risks, and the municipal director's acceptance of those that remain
// above the acceptance criteria.

func init() { addStep(500, "risk management", fillRisk) }

// riskDemoSpec is one risk of the demo: a threat to an entry of the
// business overview. The consequences follow from the entry's
// requirements for what the threat harms; the likelihood and the
// residual risk are the municipality's judgement.
type riskDemoSpec struct {
	entry, threat string
	l             int
	citizens      int      // consequence for the citizens concerned, 0 for none
	existing      []string // Annex A controls in place
	existingText  string
	treatment     isms.Treatment
	planned       []string
	rl, rc        int // residual likelihood and consequence, 0 for as inherent
	due           int // days until the treatment's deadline
	task          string
	taskDue       int // days; negative for an action that is late
	taskStatus    isms.TaskStatus
	note          string
}

var riskDemoSpecs = []riskDemoSpec{
	// Information.
	{entry: "info.cpr", threat: "misdirected_information", l: 3, citizens: 3, existing: []string{"5.14", "6.3"},
		treatment: isms.TreatmentMitigate, planned: []string{"8.12", "5.12"}, rl: 2, rc: 3, due: 120,
		task: "Advarsel ved afsendelse af CPR-numre uden for kommunen (DLP-regel i Microsoft 365)", taskDue: 90, taskStatus: isms.TaskInProgress,
		note: "Fejlsendelse er den hyppigste kilde til brud i kommunen; DLP-regler og klassifikation mindsker sandsynligheden."},
	{entry: "info.cpr", threat: "insider_misuse", l: 2, citizens: 4, existing: []string{"5.15", "5.18", "8.15"},
		treatment: isms.TreatmentMitigate, planned: []string{"8.16"}, rl: 1, rc: 4, due: 180,
		task: "Stikprøvekontrol af opslag i CPR-data hvert kvartal", taskDue: 60, taskStatus: isms.TaskPlanned},
	{entry: "info.cpr", threat: "data_leakage", l: 2, citizens: 3, existing: []string{"5.15", "8.3"},
		treatment: isms.TreatmentAccept, note: "Adgangsstyringen og logningen begrænser læk; yderligere foranstaltninger står ikke mål med risikoen."},
	{entry: "info.helbred", threat: "misdirected_information", l: 3, citizens: 4, existing: []string{"5.14", "6.3"},
		treatment: isms.TreatmentMitigate, planned: []string{"5.12", "5.13", "8.12"}, rl: 2, rc: 4, due: 150,
		task: "Mærkning af følsomme dokumenter og opslag af modtager før afsendelse", taskDue: 100, taskStatus: isms.TaskPlanned},
	{entry: "info.helbred", threat: "excessive_rights", l: 3, citizens: 3, existing: []string{"5.15"},
		treatment: isms.TreatmentMitigate, planned: []string{"5.18", "8.2"}, rl: 1, rc: 4, due: 90,
		task: "Halvårlig gennemgang af adgangsrettigheder i fagsystemet med lederne", taskDue: -10, taskStatus: isms.TaskInProgress},
	{entry: "info.sociale", threat: "insider_misuse", l: 2, citizens: 4, existing: []string{"5.15", "8.15"},
		treatment: isms.TreatmentMitigate, planned: []string{"8.16", "6.4"}, rl: 1, rc: 4, due: 180,
		task: "Logovervågning af opslag i sager om børn med alarm ved usædvanlige mønstre", taskDue: 150, taskStatus: isms.TaskPlanned},
	{entry: "info.sociale", threat: "data_loss", l: 2, existing: []string{"8.13"},
		treatment: isms.TreatmentMitigate, planned: []string{"8.14"}, rl: 1, rc: 4, due: 200,
		task: "Årlig genetableringstest af sagsakter fra backup", taskDue: 45, taskStatus: isms.TaskDone},
	{entry: "info.oekonomi", threat: "payment_fraud", l: 3, existing: []string{"5.3"},
		treatment: isms.TreatmentMitigate, planned: []string{"5.14", "6.3"}, rl: 2, rc: 4, due: 60,
		task: "Telefonisk bekræftelse af ændrede kontonumre hos leverandører", taskDue: 30, taskStatus: isms.TaskDone},
	{entry: "info.oekonomi", threat: "data_leakage", l: 2, existing: []string{"5.15"}, treatment: isms.TreatmentAccept},
	{entry: "info.personale", threat: "misdirected_information", l: 2, existing: []string{"5.14"},
		treatment: isms.TreatmentMitigate, planned: []string{"5.12"}, rl: 1, rc: 3, due: 180,
		task: "Klassifikation af personalesager i ESDH", taskDue: 120, taskStatus: isms.TaskPlanned},
	{entry: "info.personale", threat: "excessive_retention", l: 3, existing: []string{"5.33"},
		treatment: isms.TreatmentMitigate, planned: []string{"8.10"}, rl: 1, rc: 3, due: 240,
		task: "Automatisk sletning af personalesager fem år efter fratræden", taskDue: 200, taskStatus: isms.TaskPlanned},
	{entry: "info.personale", threat: "shadow_it", l: 3, existing: []string{"5.10"},
		treatment: isms.TreatmentAvoid, planned: []string{"8.23"}, rl: 1, rc: 3, due: 60,
		task: "Luk for upload til private fildelingstjenester fra HR's computere", taskDue: 30, taskStatus: isms.TaskDone,
		note: "HR holder op med at dele personalesager gennem private fildelingstjenester; i stedet bruges sikker mail."},
	{entry: "info.journal", threat: "human_error", l: 3, existing: []string{"5.37"},
		treatment: isms.TreatmentMitigate, planned: []string{"6.3"}, rl: 2, rc: 4, due: 120,
		task: "Kursus i journalisering for nye medarbejdere", taskDue: 60, taskStatus: isms.TaskInProgress},
	{entry: "info.journal", threat: "legal_noncompliance", l: 2, existing: []string{"5.31", "5.33"}, treatment: isms.TreatmentAccept},

	// IT systems.
	{entry: "sys.esdh", threat: "ransomware", l: 3, existing: []string{"8.7", "8.13"},
		treatment: isms.TreatmentMitigate, planned: []string{"8.8", "8.22", "5.30"}, rl: 2, rc: 4, due: 180,
		task: "Netværkssegmentering af ESDH-serverne og offline kopi af backup", taskDue: 150, taskStatus: isms.TaskInProgress},
	{entry: "sys.esdh", threat: "software_vulnerability", l: 3, existing: []string{"8.8"},
		treatment: isms.TreatmentMitigate, planned: []string{"8.32"}, rl: 2, rc: 3, due: 90,
		task: "Krav i driftskontrakten om kritiske opdateringer inden for 14 dage", taskDue: 60, taskStatus: isms.TaskDone},
	{entry: "sys.esdh", threat: "supplier_failure", l: 2, existing: []string{"5.19", "5.20"},
		treatment: isms.TreatmentShare, planned: []string{"5.22"}, rl: 1, rc: 3, due: 200,
		task: "Exit-plan og dataudlevering aftalt med ESDH-leverandøren", taskDue: 180, taskStatus: isms.TaskPlanned,
		note: "Tabet ved leverandørsvigt bæres delvis af leverandøren efter kontraktens bodsbestemmelser."},
	{entry: "sys.fag", threat: "unauthorised_access", l: 2, citizens: 4, existing: []string{"5.15", "8.5"},
		treatment: isms.TreatmentMitigate, planned: []string{"8.2", "8.15"}, rl: 1, rc: 4, due: 120,
		task: "To-faktor-login for fagsystemets administratorer", taskDue: 90, taskStatus: isms.TaskInProgress},
	{entry: "sys.fag", threat: "software_failure", l: 3, existing: []string{"8.32"},
		treatment: isms.TreatmentMitigate, planned: []string{"8.29", "8.31"}, rl: 2, rc: 3, due: 150,
		task: "Accepttest af nye versioner i testmiljø før idriftsættelse", taskDue: 120, taskStatus: isms.TaskPlanned},
	{entry: "sys.fag", threat: "cloud_outage", l: 2, existing: []string{"5.23"}, treatment: isms.TreatmentAccept,
		note: "Leverandørens oppetid har været over kravet i tre år; nødprocedurer på papir dækker kortere afbrud."},
	{entry: "sys.oekonomi", threat: "unauthorised_access", l: 2, existing: []string{"5.15", "8.5"},
		treatment: isms.TreatmentMitigate, planned: []string{"5.3", "8.15"}, rl: 1, rc: 4, due: 120,
		task: "Funktionsadskillelse mellem oprettelse af kreditorer og godkendelse af betalinger", taskDue: 45, taskStatus: isms.TaskDone},
	{entry: "sys.oekonomi", threat: "hardware_failure", l: 2, existing: []string{"8.13", "8.14"}, treatment: isms.TreatmentAccept},
	{entry: "sys.loen", threat: "supplier_breach", l: 2, existing: []string{"5.19", "5.20"},
		treatment: isms.TreatmentMitigate, planned: []string{"5.22"}, rl: 1, rc: 4, due: 210,
		task: "Gennemgang af lønleverandørens revisionserklæring (ISAE 3000)", taskDue: 100, taskStatus: isms.TaskPlanned},
	{entry: "sys.loen", threat: "human_error", l: 2, existing: []string{"5.37"}, treatment: isms.TreatmentAccept},
	{entry: "sys.m365", threat: "phishing", l: 4, existing: []string{"6.3", "8.5"},
		treatment: isms.TreatmentMitigate, planned: []string{"8.23", "5.7", "6.8"}, rl: 2, rc: 3, due: 90,
		task: "Phishing-øvelse for alle medarbejdere to gange om året", taskDue: 75, taskStatus: isms.TaskInProgress},
	{entry: "sys.m365", threat: "third_country_transfer", l: 2, existing: []string{"5.23", "5.34"},
		treatment: isms.TreatmentMitigate, planned: []string{"5.20"}, rl: 1, rc: 3, due: 240,
		task: "Overførselsvurdering og tillæg til databehandleraftalen for Microsoft 365", taskDue: 200, taskStatus: isms.TaskPlanned},
	{entry: "sys.borger", threat: "ddos", l: 3, existing: []string{"8.20"},
		treatment: isms.TreatmentShare, planned: []string{"8.21"}, rl: 2, rc: 3, due: 150,
		task: "DDoS-beskyttelse hos hostingleverandøren aftalt og testet", taskDue: 120, taskStatus: isms.TaskPlanned},
	{entry: "sys.borger", threat: "shared_infrastructure_outage", l: 2, existing: []string{"5.30"}, treatment: isms.TreatmentAccept,
		note: "MitID og Digital Post er fællesoffentlige; kommunen kan ikke nedbringe sandsynligheden, men borgerservice har en nødprocedure."},
	{entry: "sys.netvaerk", threat: "power_outage", l: 2, existing: []string{"7.11"},
		treatment: isms.TreatmentMitigate, planned: []string{"8.14"}, rl: 1, rc: 4, due: 270,
		task: "Nødstrøm til serverrummet testet under belastning", taskDue: 240, taskStatus: isms.TaskPlanned},
	{entry: "sys.netvaerk", threat: "credential_theft", l: 3, existing: []string{"5.17"},
		treatment: isms.TreatmentMitigate, planned: []string{"8.5", "8.2"}, rl: 1, rc: 4, due: 120,
		task: "To-faktor-login for al fjernadgang og alle administratorkonti", taskDue: 100, taskStatus: isms.TaskInProgress},
	{entry: "sys.netvaerk", threat: "fire", l: 1, existing: []string{"7.5", "8.13"}, treatment: isms.TreatmentAccept},

	// Processes.
	{entry: "proc.ydelser", threat: "human_error", l: 3, citizens: 3, existing: []string{"5.37", "6.3"},
		treatment: isms.TreatmentMitigate, planned: []string{"5.3"}, rl: 2, rc: 4, due: 180,
		task: "Fire-øjne-princip ved afgørelser over 50.000 kr.", taskDue: 120, taskStatus: isms.TaskPlanned},
	{entry: "proc.ydelser", threat: "loss_of_key_staff", l: 2, existing: []string{"6.3"}, treatment: isms.TreatmentAccept},
	{entry: "proc.udbetaling", threat: "payment_fraud", l: 3, citizens: 2, existing: []string{"5.3"},
		treatment: isms.TreatmentMitigate, planned: []string{"6.3"}, rl: 2, rc: 4, due: 90,
		task: "Awareness om CEO- og fakturasvindel for bogholderiet", taskDue: 40, taskStatus: isms.TaskDone},
	{entry: "proc.udbetaling", threat: "shared_infrastructure_outage", l: 2, citizens: 3, existing: []string{"5.30"},
		treatment: isms.TreatmentMitigate, planned: []string{"5.29"}, rl: 1, rc: 4, due: 200,
		task: "Nødprocedure for akutudbetalinger, når NemKonto er nede", taskDue: 150, taskStatus: isms.TaskPlanned},
	{entry: "proc.borgerservice", threat: "pandemic", l: 2, existing: []string{"5.29"}, treatment: isms.TreatmentAccept},
	{entry: "proc.borgerservice", threat: "phishing", l: 3, existing: []string{"6.3"},
		treatment: isms.TreatmentMitigate, planned: []string{"6.8"}, rl: 2, rc: 3, due: 120,
		task: "Kort procedure for kontrol af identitet ved telefoniske henvendelser", taskDue: 90, taskStatus: isms.TaskInProgress},
	{entry: "proc.boern", threat: "network_outage", l: 2, citizens: 4, existing: []string{"5.29"},
		existingText: "Nødprocedure på papir for modtagelse af underretninger.",
		treatment:    isms.TreatmentMitigate, planned: []string{"5.30", "5.24"}, rl: 1, rc: 4, due: 150,
		task: "Øvelse i nødproceduren for underretninger med vagten", taskDue: 120, taskStatus: isms.TaskPlanned},
	{entry: "proc.boern", threat: "misdirected_information", l: 3, citizens: 4, existing: []string{"5.14", "6.3"},
		treatment: isms.TreatmentMitigate, planned: []string{"5.12", "8.12"}, rl: 2, rc: 4, due: 120,
		task: "Skabeloner og tjekliste for partshøring i børnesager", taskDue: 80, taskStatus: isms.TaskPlanned},
	{entry: "proc.loen", threat: "human_error", l: 2, existing: []string{"5.37"}, treatment: isms.TreatmentAccept},
	{entry: "proc.journal", threat: "legal_noncompliance", l: 2, existing: []string{"5.31", "5.33"},
		treatment: isms.TreatmentMitigate, planned: []string{"5.34"}, rl: 1, rc: 4, due: 240,
		task: "Procedure for udeladelse af tavshedsbelagte oplysninger ved aktindsigt", taskDue: 200, taskStatus: isms.TaskPlanned},
}

// riskDemoOrder is the order the entries are assessed in.
var riskDemoOrder = []string{"info.cpr", "info.helbred", "info.sociale", "info.oekonomi", "info.personale", "info.journal",
	"sys.esdh", "sys.fag", "sys.oekonomi", "sys.loen", "sys.m365", "sys.borger", "sys.netvaerk",
	"proc.ydelser", "proc.udbetaling", "proc.borgerservice", "proc.boern", "proc.loen", "proc.journal"}

func fillRisk(d *Demo) error {
	coord := d.As(isms.RoleCoordinator)
	// The method, on the default scale, with the consequence for the
	// citizens concerned as a municipality needs, referring to the
	// documented method where the documentation register has it.
	in := isms.RiskMethodInput{ScaleKey: "SCALE_1_4", AcceptRule: isms.AcceptByBand, AcceptBand: "low", DefaultIntervalMonths: 12,
		Dimensions: isms.ConsequenceDimensions{Citizens: true}, Description: strings.TrimSpace(riskDemoMethod)}
	docs, err := d.DB.RiskMethodDocuments(coord, d.Org.ID)
	if err != nil {
		return err
	}
	if len(docs) > 0 {
		in.MethodDocumentID = &docs[0].ID
	}
	method, err := d.DB.SaveRiskMethod(coord, d.Org.ID, in)
	if err != nil {
		return fmt.Errorf("risk method: %w", err)
	}
	// No own control here: the Statement of Applicability (step 600)
	// decides every control, and its demo decides those it knows.
	// The municipality's own threat, before any assessment, so it is
	// assessed rather than marked.
	cat, err := d.DB.CreateThreatCatalogue(coord, d.Org.ID, isms.ThreatCatalogueInput{Name: "Solbjerg Kommunes egne trusler",
		Description: "Trusler, som fælleskommunale erfaringer viser, og som standardkataloget ikke dækker præcist nok."})
	if err != nil {
		return err
	}
	if _, err := d.DB.CreateThreat(coord, d.Org.ID, isms.ThreatInput{CatalogueID: cat.ID, Group: "supplier",
		NameDA: "Angreb på fælleskommunal it-leverandør", NameEN: "Attack on a joint municipal IT supplier",
		DescriptionDA: "Et cyberangreb hos en leverandør, som mange kommuner deler, lammer fagsystemer i flere kommuner på én gang.",
		DescriptionEN: "A cyber attack at a supplier many municipalities share paralyses case systems in several municipalities at once.",
		Affects:       isms.Affects{Confidentiality: true, Availability: true}, AssetKinds: []isms.AssetKind{isms.AssetSystem, isms.AssetSupplier}}); err != nil {
		return err
	}
	threats, err := d.DB.Threats(coord, d.Org.ID, isms.ThreatFilter{})
	if err != nil {
		return err
	}
	threatByKey := map[string]*isms.Threat{}
	for _, t := range threats {
		key := t.Key
		if key == "" {
			key = "own.joint_supplier"
		}
		threatByKey[key] = t
	}
	controls, err := d.DB.RiskControlOptions(coord, d.Org.ID)
	if err != nil {
		return err
	}
	controlByRef := map[string]int64{}
	for _, c := range controls {
		controlByRef[c.Ref] = c.ID
	}
	refs := func(rs []string) ([]int64, error) {
		var out []int64
		for _, r := range rs {
			id, ok := controlByRef[r]
			if !ok {
				return nil, fmt.Errorf("demo data names control %s, which is not in the catalogue", r)
			}
			out = append(out, id)
		}
		return out, nil
	}
	// The primary assets, as the asset register has them.
	assets := map[string]*isms.Asset{}
	for _, key := range riskDemoOrder {
		e, ok := d.Entries[key]
		if !ok {
			return fmt.Errorf("demo risk data refers to entry %q, which the business overview lacks", key)
		}
		if assets[key], err = d.DB.AssetForEntry(coord, d.Org.ID, e.ID); err != nil {
			return err
		}
	}
	if err := d.fillSupportingAssets(assets); err != nil {
		return err
	}
	ownerOf := func(key string) isms.Role {
		for _, s := range overviewEntries {
			if s.key == key {
				if s.owner == isms.RoleManagement {
					return isms.RoleCoordinator
				}
				return s.owner
			}
		}
		return isms.RoleCoordinator
	}
	var toAccept []*isms.Risk
	for _, key := range riskDemoOrder {
		role := ownerOf(key)
		ctx := d.As(role)
		a := assets[key]
		ra, err := d.DB.CreateRiskAssessment(ctx, d.Org.ID, isms.RiskAssessmentInput{AssetID: &a.ID, OwnerID: d.UserID(role),
			Description: "Risikovurdering af " + a.Name + " med de relevante trusler fra kataloget, ud fra kravene i forretningsoverblikket."})
		if err != nil {
			return fmt.Errorf("assessment of %s: %w", key, err)
		}
		for _, s := range riskDemoSpecs {
			if s.entry != key {
				continue
			}
			th, ok := threatByKey[s.threat]
			if !ok {
				return fmt.Errorf("demo risk data names threat %q, which the catalogue lacks", s.threat)
			}
			existing, err := refs(s.existing)
			if err != nil {
				return err
			}
			planned, err := refs(s.planned)
			if err != nil {
				return err
			}
			n := a.Needs
			cons := isms.Consequences{Citizens: s.citizens}
			if th.Affects.Confidentiality {
				cons.Confidentiality = int(n.Confidentiality)
			}
			if th.Affects.Integrity {
				cons.Integrity = int(n.Integrity)
			}
			if th.Affects.Availability {
				cons.Availability = int(n.Availability)
			}
			in := isms.RiskInput{AssessmentID: ra.ID, ThreatID: th.ID, Likelihood: s.l, Consequence: cons, ExistingControls: existing,
				ExistingControlsText: s.existingText, Treatment: s.treatment, TreatmentNote: s.note, OwnerID: d.UserID(role),
				PlannedControls: planned, ResidualLikelihood: s.rl, ResidualConsequence: s.rc,
				Description: th.DescriptionDA}
			if s.due != 0 {
				in.Deadline = d.Day(s.due)
			}
			r, err := d.DB.CreateRisk(ctx, d.Org.ID, in)
			if err != nil {
				return fmt.Errorf("risk %s/%s: %w", key, s.threat, err)
			}
			if s.task != "" {
				if _, err := d.DB.CreateRiskTask(ctx, d.Org.ID, isms.RiskTaskInput{RiskID: r.ID, Title: s.task, OwnerID: d.UserID(role),
					Deadline: d.Day(s.taskDue), Status: s.taskStatus, Controls: planned}); err != nil {
					return fmt.Errorf("action for %s/%s: %w", key, s.threat, err)
				}
			}
			if !r.Residual.Acceptable {
				toAccept = append(toAccept, r)
			}
		}
		if ra, err = d.DB.RiskAssessment(ctx, d.Org.ID, ra.ID); err != nil {
			return err
		}
		if _, err := d.DB.CompleteRiskAssessment(ctx, d.Org.ID, ra.ID, ra.Version); err != nil {
			return fmt.Errorf("completing the assessment of %s: %w", key, err)
		}
	}
	// The municipal director accepts the residual risks above the
	// criteria, each for a year, with the reason.
	mgmt := d.As(isms.RoleManagement)
	for _, r := range toAccept {
		cur, err := d.DB.Risk(mgmt, d.Org.ID, r.ID)
		if err != nil {
			return err
		}
		reason := fmt.Sprintf("Direktionen accepterer restrisikoen (%s) på mødet om risikovurderingerne: de planlagte foranstaltninger "+
			"er det, der står mål med risikoen, og den følges op ved næste revurdering.", bandName(method, cur.Residual.Band))
		if _, err := d.DB.AcceptRisk(mgmt, d.Org.ID, r.ID, isms.RiskAcceptanceInput{Reason: reason, Expires: d.Day(365), Version: cur.Version}); err != nil {
			return fmt.Errorf("acceptance of %s: %w", r.Title, err)
		}
	}
	return nil
}

func bandName(m *isms.RiskMethod, key string) string {
	if b := m.Scale.BandByKey(key); b != nil {
		return strings.ToLower(b.DA)
	}
	return key
}

// fillSupportingAssets records what the primary assets depend on, and
// assesses the most important supplier.
func (d *Demo) fillSupportingAssets(primary map[string]*isms.Asset) error {
	coord := d.As(isms.RoleCoordinator)
	ids := func(keys ...string) []int64 {
		var out []int64
		for _, k := range keys {
			out = append(out, primary[k].ID)
		}
		return out
	}
	specs := []isms.AssetInput{
		{Kind: isms.AssetLocation, Name: "Serverrum, Rådhuset", Description: "Kommunens eget serverrum med netværksudstyr, domænecontrollere og filservere.",
			OwnerID: d.UserID(isms.RoleAdministrator), Supports: ids("sys.netvaerk", "sys.m365")},
		{Kind: isms.AssetSupplier, Name: "Driftsleverandør (hosting af ESDH og fagsystemer)", Description: "Leverandøren, der driver ESDH og fagsystemet i sit datacenter.",
			OwnerID: d.UserID(isms.RoleContributor), Supports: ids("sys.esdh", "sys.fag", "sys.oekonomi")},
		{Kind: isms.AssetHardware, Name: "Bærbare pc'er og telefoner", Description: "Ca. 3.800 bærbare pc'er og 2.900 tjenestetelefoner.",
			OwnerID: d.UserID(isms.RoleAdministrator), Supports: ids("sys.m365", "info.cpr", "info.helbred")},
		{Kind: isms.AssetPerson, Name: "Vagtordningen i Børn og Unge", Description: "Socialrådgivere, der modtager underretninger uden for åbningstid.",
			OwnerID: d.UserID(isms.RoleCoordinator), Supports: ids("proc.boern")},
	}
	var supplier *isms.Asset
	for i, in := range specs {
		a, err := d.DB.CreateAsset(coord, d.Org.ID, in)
		if err != nil {
			return fmt.Errorf("supporting asset %s: %w", in.Name, err)
		}
		if i == 1 {
			supplier = a
		}
	}
	// The supplier is assessed as the system owner's, with the
	// municipality's own threat.
	sys := d.As(isms.RoleContributor)
	ra, err := d.DB.CreateRiskAssessment(sys, d.Org.ID, isms.RiskAssessmentInput{AssetID: &supplier.ID, OwnerID: d.UserID(isms.RoleContributor)})
	if err != nil {
		return err
	}
	threats, err := d.DB.Threats(sys, d.Org.ID, isms.ThreatFilter{})
	if err != nil {
		return err
	}
	var own *isms.Threat
	for _, t := range threats {
		if !t.Builtin {
			own = t
		}
	}
	controls, err := d.DB.RiskControlOptions(sys, d.Org.ID)
	if err != nil {
		return err
	}
	var c522, c530 int64
	for _, c := range controls {
		switch c.Ref {
		case "5.22":
			c522 = c.ID
		case "5.30":
			c530 = c.ID
		}
	}
	if _, err := d.DB.CreateRisk(sys, d.Org.ID, isms.RiskInput{AssessmentID: ra.ID, ThreatID: own.ID, Likelihood: 2,
		Consequence: isms.Consequences{Confidentiality: int(supplier.Needs.Confidentiality), Availability: int(supplier.Needs.Availability)},
		Treatment:   isms.TreatmentMitigate, OwnerID: d.UserID(isms.RoleContributor), Deadline: d.Day(180),
		PlannedControls: []int64{c522, c530}, ResidualLikelihood: 1, ResidualConsequence: 3,
		TreatmentNote: "Leverandøren skal dokumentere beredskab og genetablering i den årlige revisionserklæring."}); err != nil {
		return err
	}
	ra, err = d.DB.RiskAssessment(sys, d.Org.ID, ra.ID)
	if err != nil {
		return err
	}
	_, err = d.DB.CompleteRiskAssessment(sys, d.Org.ID, ra.ID, ra.Version)
	return err
}

const riskDemoMethod = `Solbjerg Kommune vurderer risici på den fællesoffentlige 4×4-skala ("4x4 Standard"): sandsynlighed fra usandsynligt til forventet og konsekvens fra ubetydelig til graverende, for fortrolighed, integritet og tilgængelighed og for de berørte borgere.

Hvert forretningskritisk aktiv, hver proces og hvert it-system i forretningsoverblikket vurderes mindst en gang om året og igen, når kravene til det ændres, eller der kommer nye trusler. Risici i det grønne felt accepteres uden håndtering; alle andre håndteres, og restrisici over det grønne felt forelægges direktionen til accept.`
