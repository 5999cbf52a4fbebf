package demo

import (
	"fmt"
	"strings"

	"github.com/ismsdk/isms"
)

// Leadership (guide 2.2): Solbjerg Kommune's security roles and who holds
// them, the responsibility matrix over the ISMS activities approved by the
// municipal director, and the information security committee with a year
// of quarterly meetings behind it and a year planned ahead, whose agendas
// and decisions cover the seven management topics.

func init() { addStep(350, "leadership", fillLeadership) }

// roleSpec is one security role of the demo.
type roleSpec struct {
	key         string // template key, or "" for the municipality's own
	name        string
	description string
	holders     []isms.Role
	deputies    []isms.Role
	systems     []string // business-overview keys
}

var demoRoles = []roleSpec{
	{key: "top_management", name: "Direktionen", holders: []isms.Role{management},
		description: "Kommunaldirektøren og direktørerne har det overordnede ansvar for informationssikkerheden. Direktionen fastlægger sikkerhedsniveauet og risikovilligheden, accepterer restrisici, godkender politikken, rollerne og budgettet og gennemfører den årlige ledelsesevaluering."},
	{key: "security_owner", name: "Informationssikkerhedsansvarlig", holders: []isms.Role{management},
		description: "Kommunaldirektøren ejer ISMS'et på direktionens vegne, er formand for informationssikkerhedsudvalget og sikrer, at arbejdet har ressourcer og mandat."},
	{key: "coordinator", name: "Informationssikkerhedskoordinator", holders: []isms.Role{coordinator}, deputies: []isms.Role{administrator},
		description: "Driver ISMS'et i hverdagen: koordinerer risikovurderinger, årshjul, dokumentation, awareness og kommunikation, er sekretær for informationssikkerhedsudvalget og følger op på dets beslutninger."},
	{key: "committee", name: "Informationssikkerhedsudvalget", holders: []isms.Role{management, coordinator, administrator, contributor},
		description: "Koordinerer informationssikkerhedsarbejdet på tværs af forvaltningerne, igangsætter aktiviteter, følger op på politikker og retningslinjer, måler effekten og rapporterer til direktionen. Mødes kvartalsvis."},
	{key: "system_owner", name: "Systemejere", holders: []isms.Role{contributor, administrator}, deputies: []isms.Role{coordinator},
		systems:     []string{"sys.esdh", "sys.fag", "sys.oekonomi", "sys.borger", "sys.loen", "sys.netvaerk"},
		description: "Ejer hvert sit forretningskritiske IT-system: fastlægger kravene til fortrolighed, integritet og tilgængelighed, godkender adgange, sikrer risikovurdering og følger op på leverandøren og databehandleraftalen."},
	{key: "data_owner", name: "Dataejere", holders: []isms.Role{contributor},
		description: "Fagcheferne ejer forvaltningernes forretningskritiske informationer: klassificerer dem, fastlægger adgangen og slettefristerne."},
	{key: "dpo", name: "Databeskyttelsesrådgiver (DPO)", holders: []isms.Role{isms.RoleAuditor},
		description: "Rådgiver om databeskyttelse, overvåger overholdelsen af databeskyttelsesforordningen, vurderer brud på persondatasikkerheden og er kontaktpunkt for Datatilsynet og borgerne."},
	{key: "it_operations", name: "IT-drift (Digitalisering og IT)", holders: []isms.Role{administrator}, deputies: []isms.Role{coordinator},
		description: "Driver netværk, klienter, identitetsstyring og driftsaftalerne med leverandørerne: adgangsstyring, backup, logning, opdateringer og tekniske hændelser."},
	{key: "all_staff", name: "Alle medarbejdere", holders: []isms.Role{isms.RoleReader, contributor},
		description: "Følger informationssikkerhedspolitikken og retningslinjerne for god adfærd, beskytter de oplysninger, de arbejder med, og rapporterer hændelser og mistanke om phishing til IT-supporten."},
	{name: "Intern auditor", holders: []isms.Role{isms.RoleAuditor},
		description: "Planlægger og gennemfører den interne audit af ISMS'et uafhængigt af driften og rapporterer observationerne til informationssikkerhedsudvalget."},
}

var demoActivities = []struct{ key, name, description string }{
	{"policy", "Informationssikkerhedspolitik", "Udarbejdelse, godkendelse i direktionen, formidling og årlig revision af politikken."},
	{"risk_assessment", "Risikovurdering", "Årlig risikovurdering af de forretningskritiske systemer og processer og ved væsentlige ændringer; behandlingsplaner og accept af restrisici."},
	{"soa", "Statement of Applicability (SoA)", "Til- og fravalg af Annex A-kontrollerne med begrundelse i risikovurderingerne og lovkravene."},
	{"documentation", "Dokumentstyring", "Registrering, godkendelse, beskyttelse, opbevaring og sletning af ISMS'ets dokumentation."},
	{"annual_wheel", "Årshjul", "Planlægning af og opfølgning på ISMS'ets tilbagevendende aktiviteter."},
	{"incident_handling", "Håndtering af sikkerhedshændelser", "Rapportering via IT-supporten, vurdering, håndtering, anmeldelse af brud og læring."},
	{"supplier_management", "Leverandørstyring", "Krav i kontrakter og databehandleraftaler, årligt tilsyn med revisionserklæringer."},
	{"awareness", "Awareness og uddannelse", "E-læring ved ansættelse, årlig kampagne og phishingtests."},
	{"internal_audit", "Intern audit", "Årlig auditplan, gennemførelse og opfølgning på observationerne."},
	{"management_review", "Ledelsens evaluering", "Direktionens årlige gennemgang af ISMS'ets egnethed, tilstrækkelighed og effektivitet."},
	{"improvement", "Forbedring og korrigerende handlinger", "Årsagsanalyse af afvigelser, handlingsplaner og opfølgning på effekten."},
	{"communication", "Kommunikation", "Kommunikationsplanen for intern og ekstern kommunikation om informationssikkerhed."},
}

// demoMatrix gives each activity's roles, by the roles' template keys
// ("own" is the internal auditor): exactly one accountable each.
var demoMatrix = map[string]map[string]isms.RACI{
	"policy":              {"top_management": "A", "coordinator": "R", "committee": "C", "dpo": "C", "all_staff": "I"},
	"risk_assessment":     {"security_owner": "A", "coordinator": "R", "system_owner": "R", "data_owner": "C", "it_operations": "C", "committee": "I"},
	"soa":                 {"security_owner": "A", "coordinator": "R", "it_operations": "C", "committee": "I"},
	"documentation":       {"coordinator": "AR", "all_staff": "I"},
	"annual_wheel":        {"security_owner": "A", "coordinator": "R", "committee": "I"},
	"incident_handling":   {"security_owner": "A", "it_operations": "R", "coordinator": "C", "dpo": "C", "all_staff": "I"},
	"supplier_management": {"system_owner": "AR", "coordinator": "C", "dpo": "C", "it_operations": "C"},
	"awareness":           {"coordinator": "AR", "committee": "C", "all_staff": "I"},
	"internal_audit":      {"top_management": "A", "own": "R", "coordinator": "C", "committee": "I"},
	"management_review":   {"top_management": "AR", "coordinator": "R", "committee": "C"},
	"improvement":         {"security_owner": "A", "coordinator": "R", "system_owner": "R", "committee": "I"},
	"communication":       {"security_owner": "A", "coordinator": "R", "dpo": "C", "all_staff": "I"},
}

func (d *Demo) leadUserIDs(roles []isms.Role) []int64 {
	var out []int64
	for _, r := range roles {
		out = append(out, d.Users[r].ID)
	}
	return out
}

func fillLeadership(d *Demo) error {
	coord := d.As(isms.RoleCoordinator)
	var in []isms.SecurityRoleInput
	for _, r := range demoRoles {
		systems, err := d.EntryIDs(r.systems...)
		if err != nil {
			return err
		}
		in = append(in, isms.SecurityRoleInput{TemplateKey: r.key, Name: r.name, Description: r.description,
			HolderIDs: d.leadUserIDs(r.holders), DeputyIDs: d.leadUserIDs(r.deputies), SystemIDs: systems})
	}
	roles, err := d.DB.CreateSecurityRoles(coord, d.Org.ID, in)
	if err != nil {
		return fmt.Errorf("roles: %w", err)
	}
	roleID := map[string]int64{}
	for _, r := range roles {
		key := r.TemplateKey
		if key == "" {
			key = "own"
		}
		roleID[key] = r.ID
	}
	var acts []isms.ISMSActivityInput
	for _, a := range demoActivities {
		acts = append(acts, isms.ISMSActivityInput{TemplateKey: a.key, Name: a.name, Description: a.description})
	}
	activities, err := d.DB.CreateISMSActivities(coord, d.Org.ID, acts)
	if err != nil {
		return fmt.Errorf("activities: %w", err)
	}
	var cells []isms.MatrixCell
	for _, a := range activities {
		for role, v := range demoMatrix[a.TemplateKey] {
			id, ok := roleID[role]
			if !ok {
				return fmt.Errorf("demo matrix names role %q, which the demo does not make", role)
			}
			cells = append(cells, isms.MatrixCell{ActivityID: a.ID, RoleID: id, Value: v})
		}
	}
	list, err := d.DB.RolesList(coord, d.Org.ID)
	if err != nil {
		return err
	}
	if list, err = d.DB.SaveMatrix(coord, d.Org.ID, isms.MatrixInput{Cells: cells, Version: list.Version}); err != nil {
		return fmt.Errorf("matrix: %w", err)
	}
	if _, err := d.DB.ApproveRolesList(d.As(isms.RoleManagement), d.Org.ID, list.Version); err != nil {
		return fmt.Errorf("approve roles: %w", err)
	}
	return d.fillCommittee()
}

// meetingSpec is one meeting of the committee: days from today, the
// agenda with its topics, the minutes and the decisions.
type meetingSpec struct {
	day       int
	venue     string
	agenda    []isms.AgendaItemInput
	minutes   string
	decisions []decisionSpec
}

type decisionSpec struct {
	text   string
	owner  isms.Role
	due    int // days from today; 0 for none
	status isms.FollowUp
	note   string
	topics []string
}

func agendaItem(title string, topics ...string) isms.AgendaItemInput {
	return isms.AgendaItemInput{Title: title, Topics: topics}
}

var committeeMeetings = []meetingSpec{
	{day: -322, venue: "Rådhuset, mødelokale 2", agenda: []isms.AgendaItemInput{
		agendaItem("Godkendelse af referat og opfølgning på beslutninger"),
		agendaItem("Informationssikkerhedspolitik version 2.0 til godkendelse i direktionen", "policies"),
		agendaItem("Risikovillighed og kriterier for accept af risici", "objectives"),
		agendaItem("Kommunikationsplan for informationssikkerhed", "communication"),
	}, minutes: `Udvalget gennemgik udkastet til informationssikkerhedspolitik version 2.0, som nu bygger på ISO/IEC 27001:2022,
og indstiller den til direktionens godkendelse.

Risikovilligheden blev drøftet ud fra den fællesoffentlige risikoskala: risici vurderet til "høj" eller derover
accepteres ikke uden en handlingsplan, og restrisici accepteres af direktionen.

Koordinatoren fremlagde udkast til kommunikationsplan; udvalget lagde vægt på, at anmeldelse af brud til Datatilsynet
inden for 72 timer og orientering af medarbejderne om phishing er tydeligt placeret.`,
		decisions: []decisionSpec{
			{"Informationssikkerhedspolitik version 2.0 godkendes og offentliggøres på intranettet med en nyhed fra kommunaldirektøren.",
				coordinator, -300, isms.FollowUpDone, "Offentliggjort på intranettet; nyheden havde 2.900 visninger.", []string{"policies", "communication"}},
			{"Risikovilligheden fastsættes: risici vurderet til høj eller derover kræver en handlingsplan, og restrisici accepteres af direktionen.",
				management, -290, isms.FollowUpDone, "Indarbejdet i metoden for risikovurdering.", []string{"objectives"}},
		}},
	{day: -231, venue: "Rådhuset, mødelokale 2", agenda: []isms.AgendaItemInput{
		agendaItem("Roller og ansvar: rollebeskrivelser og ansvarsmatrice", "roles"),
		agendaItem("Udvalgets forretningsorden og sammensætning", "organisation"),
		agendaItem("Budget 2026 for informationssikkerhed", "resources"),
	}, minutes: `Udvalget gennemgik rollebeskrivelserne og ansvarsmatricen. Systemejerne får ansvaret for leverandørstyringen af
deres systemer, herunder det årlige tilsyn med databehandlerne.

Forretningsordenen blev vedtaget: udvalget mødes kvartalsvis, kommunaldirektøren er formand, og koordinatoren er sekretær.

Budgetforslaget for 2026 blev drøftet og sendes videre til budgetforhandlingerne.`,
		decisions: []decisionSpec{
			{"Rollebeskrivelserne og ansvarsmatricen indstilles til direktionens godkendelse; systemejerne får ansvar for leverandørstyring.",
				coordinator, -210, isms.FollowUpDone, "Godkendt af direktionen.", []string{"roles"}},
			{"Udvalget mødes kvartalsvis med kommunaldirektøren som formand og koordinatoren som sekretær.",
				management, 0, isms.FollowUpDone, "", []string{"organisation"}},
			{"Der indstilles 1,2 mio. kr. og et halvt årsværk til informationssikkerhed i budget 2026.",
				management, -150, isms.FollowUpDone, "Vedtaget i budgetaftalen.", []string{"resources"}},
		}},
	{day: -140, venue: "Rådhuset, mødelokale 2", agenda: []isms.AgendaItemInput{
		agendaItem("Risikovurdering af ESDH og fagsystemerne: restrisici til accept", "objectives"),
		agendaItem("Status på awarenesskampagnen og phishingtest", "communication"),
		agendaItem("Intern audit: observationer og handlingsplan", "improvement"),
	}, minutes: `Systemejeren fremlagde risikovurderingerne af ESDH-systemet og fagsystemet for sociale ydelser. Restrisikoen for
uautoriseret adgang til sager accepteres, mens kryptering af eksporter gennemføres.

Phishingtesten viste en klikrate på 11 %, ned fra 19 %. Den interne audit fandt to mindre afvigelser om adgangsgennemgang;
handlingsplanen blev godkendt.`,
		decisions: []decisionSpec{
			{"Restrisiciene for ESDH-systemet og fagsystemet accepteres; kryptering af dataeksporter gennemføres.",
				contributor, 25, isms.FollowUpInProgress, "Leverandøren har leveret løsningen til test.", []string{"objectives"}},
			{"Handlingsplanen for den interne audits to afvigelser om adgangsgennemgang godkendes.",
				coordinator, -60, isms.FollowUpDone, "Adgangsgennemgangen er gennemført for alle systemer.", []string{"improvement"}},
		}},
	{day: -49, venue: "Rådhuset, byrådssalen", agenda: []isms.AgendaItemInput{
		agendaItem("Ledelsens evaluering af ISMS'et: målinger, audit og hændelser", "improvement", "objectives"),
		agendaItem("Trusselsbilledet og ledelsens budskab til medarbejderne", "communication"),
		agendaItem("Ressourcer til forberedelse af NIS2-kravene", "resources"),
		agendaItem("Rollefordeling efter sammenlægningen af Social og Sundhed", "roles", "organisation"),
		agendaItem("Revision af retningslinjerne for hjemmearbejde", "policies"),
	}, minutes: `Direktionen gennemgik ISMS'et: målingerne ligger inden for tærskelværdierne, auditafvigelserne er lukket, og der
har været tre hændelser, ingen med brud på persondatasikkerheden.

Kommunaldirektøren sender et budskab til alle medarbejdere om phishing i forbindelse med awarenessmåneden.

Systemejer- og dataejerrollerne i den sammenlagte forvaltning blev opdateret. Retningslinjerne for hjemmearbejde
revideres, så de også dækker arbejde fra udlandet.`,
		decisions: []decisionSpec{
			{"ISMS'et vurderes egnet og effektivt; målene for 2026 fastholdes.",
				management, 0, isms.FollowUpDone, "", []string{"improvement", "objectives"}},
			{"Kommunaldirektøren sender et budskab til alle medarbejdere om phishing i awarenessmåneden.",
				management, -30, isms.FollowUpDone, "Sendt på intranettet og i ledernyt.", []string{"communication"}},
			{"Der afsættes 0,3 mio. kr. af puljen til en gap-analyse mod NIS2-kravene.",
				coordinator, 60, isms.FollowUpInProgress, "Tilbud indhentet fra to rådgivere.", []string{"resources"}},
			{"Rollefordelingen opdateres efter sammenlægningen, og ansvarsmatricen godkendes igen.",
				coordinator, -20, isms.FollowUpDone, "Ansvarsmatricen er opdateret og godkendt.", []string{"roles", "organisation"}},
			{"Retningslinjerne for hjemmearbejde revideres, så de dækker arbejde fra udlandet.",
				coordinator, 45, isms.FollowUpOpen, "", []string{"policies"}},
		}},
	{day: 41, venue: "Rådhuset, mødelokale 2", agenda: []isms.AgendaItemInput{
		agendaItem("Kvartalsrapport: hændelser, målinger og handlingsplaner", "improvement"),
		agendaItem("Accept af risici for det nye bookingsystem", "objectives"),
		agendaItem("Ledelsens budskab i awarenessmåneden", "communication"),
	}},
	{day: 132, venue: "Rådhuset, mødelokale 2", agenda: []isms.AgendaItemInput{
		agendaItem("Budget 2027 for informationssikkerhed", "resources"),
		agendaItem("Organisering af beredskabet for IT-nedbrud", "organisation"),
		agendaItem("Gennemgang af roller og ansvar", "roles"),
	}},
	{day: 223, venue: "Rådhuset, mødelokale 2", agenda: []isms.AgendaItemInput{
		agendaItem("Årlig revision af informationssikkerhedspolitikken", "policies"),
		agendaItem("Ledelsens evaluering af ISMS'et", "improvement"),
	}},
	{day: 314, venue: "Rådhuset, byrådssalen", agenda: []isms.AgendaItemInput{
		agendaItem("Informationssikkerhedsstrategi 2028–2030", "policies", "objectives"),
		agendaItem("Kommunikationsplanen: erfaringer og revision", "communication"),
	}},
}

// fillCommittee sets up the information security committee and its
// meetings: four held in the past year with minutes and decisions, four
// planned in the year ahead.
func (d *Demo) fillCommittee() error {
	coord := d.As(isms.RoleCoordinator)
	forum, err := d.DB.CreateForum(coord, d.Org.ID, isms.ForumInput{Name: "Informationssikkerhedsudvalget",
		Mandate: leadProse(committeeMandate), ChairID: d.UserID(isms.RoleManagement),
		MemberIDs: d.leadUserIDs([]isms.Role{coordinator, administrator, contributor, isms.RoleAuditor})})
	if err != nil {
		return fmt.Errorf("committee: %w", err)
	}
	for _, ms := range committeeMeetings {
		status := isms.MeetingPlanned
		if ms.day < 0 {
			status = isms.MeetingHeld
		}
		m, err := d.DB.CreateMeeting(coord, d.Org.ID, forum.ID, isms.MeetingInput{Date: d.Day(ms.day), Status: status, Venue: ms.venue,
			Minutes: leadProse(ms.minutes), Agenda: ms.agenda})
		if err != nil {
			return fmt.Errorf("meeting on day %d: %w", ms.day, err)
		}
		for _, ds := range ms.decisions {
			in := isms.DecisionInput{Text: ds.text, OwnerID: d.UserID(ds.owner), Status: isms.FollowUpOpen, Topics: ds.topics}
			if ds.due != 0 {
				in.FollowUpBy = d.Day(ds.due)
			}
			dec, err := d.DB.CreateDecision(coord, d.Org.ID, m.ID, in)
			if err != nil {
				return fmt.Errorf("decision %q: %w", ds.text, err)
			}
			if ds.status != isms.FollowUpOpen {
				// The owner records the follow-up, as in real life.
				if _, err := d.DB.RecordFollowUp(d.As(ds.owner), d.Org.ID, dec.ID, isms.FollowUpInput{Status: ds.status,
					FollowUpNote: ds.note, Version: dec.Version}); err != nil {
					return fmt.Errorf("follow-up of %q: %w", ds.text, err)
				}
			}
		}
	}
	return nil
}

// leadProse turns text written wrapped in the source into paragraphs: lines
// are joined, blank lines separate paragraphs.
func leadProse(s string) string {
	var paras []string
	for _, p := range strings.Split(strings.TrimSpace(s), "\n\n") {
		paras = append(paras, strings.Join(strings.Fields(p), " "))
	}
	return strings.Join(paras, "\n\n")
}

const committeeMandate = `
Informationssikkerhedsudvalget koordinerer informationssikkerhedsarbejdet i Solbjerg Kommune på direktionens vegne.
Udvalget igangsætter aktiviteter, følger op på implementeringen af politikken og retningslinjerne, behandler
risikovurderinger og restrisici til direktionens accept, følger målingerne og den interne audit og rapporterer
kvartalsvis til direktionen. Udvalget behandler mindst én gang om året hvert af ledelsens syv emner.

Formand: kommunaldirektøren. Sekretær: informationssikkerhedskoordinatoren.`
