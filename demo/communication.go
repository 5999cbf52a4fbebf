package demo

import (
	"fmt"

	"github.com/ismsdk/isms"
)

// The communication plan (guide 2.7): Solbjerg Kommune's internal and
// external communication about information security, covering every one
// of the guide's typical cases and two of its own, each acknowledged by the
// person responsible for it.

func init() { addStep(450, "communication plan", fillCommunication) }

// commSpec is one entry of the demo's plan; sender names a security role
// by its template key.
type commSpec struct {
	in          isms.CommunicationEntryInput
	responsible isms.Role
	sender      string
}

var demoCommunication = []commSpec{
	{responsible: contributor, sender: "system_owner", in: isms.CommunicationEntryInput{CaseKey: "supplier_exchange",
		What:      "Udveksling af sikkerhedsoplysninger med leverandørerne af ESDH og fagsystemer",
		KeyPoints: "Sikkerhedskrav og ændringer i ydelsen, hændelser hos leverandøren eller kommunen, der berører systemet, databehandlertilsyn og revisionserklæringer (ISAE 3000/3402). Oplysninger om kommunens netværk og sikringsforanstaltninger gives kun i det omfang, opgaven kræver, og altid krypteret.",
		Timing:    isms.TimingEvent, TriggerEvent: "Ved kontraktindgåelse, ændringer i ydelsen, sikkerhedshændelser og det årlige tilsyn", ResponseTime: "Hændelser: straks og senest inden for 24 timer",
		Audience: "Leverandørernes kontaktpersoner og sikkerhedsansvarlige", Channel: "Krypteret e-mail og kvartalsvise driftsmøder",
		Direction: isms.DirectionExternal, Sensitivity: isms.SensitivityConfidential}},
	{responsible: isms.RoleAuditor, sender: "dpo", in: isms.CommunicationEntryInput{CaseKey: "breach_notice",
		What:      "Underretning af borgere om brud på persondatasikkerheden",
		KeyPoints: "Hvad der er sket, hvilke oplysninger der er berørt, de sandsynlige konsekvenser, hvad kommunen gør, hvad borgeren selv kan gøre (fx spærre CPR-nummeret i kreditoplysningsbureauer), og kontakt til databeskyttelsesrådgiveren. Skrives i et klart sprog uden tekniske detaljer om sårbarheden.",
		Timing:    isms.TimingEvent, TriggerEvent: "Ved brud på persondatasikkerheden, der sandsynligvis indebærer en høj risiko for de berørte borgere", ResponseTime: "Uden unødig forsinkelse",
		Audience: "De berørte borgere og samarbejdspartnere", Channel: "Digital Post og telefon; pressemeddelelse, når mange er berørt",
		Direction: isms.DirectionExternal, Sensitivity: isms.SensitivityPublic}},
	{responsible: isms.RoleAuditor, sender: "dpo", in: isms.CommunicationEntryInput{CaseKey: "breach_authority",
		What:      "Anmeldelse af brud på persondatasikkerheden til Datatilsynet",
		KeyPoints: "Bruddets karakter, kategorier og omtrentligt antal berørte borgere og registreringer, de sandsynlige konsekvenser, de foranstaltninger der er truffet, og kontaktoplysninger på databeskyttelsesrådgiveren. Anmeldelsen kan suppleres, efterhånden som flere oplysninger kommer frem.",
		Timing:    isms.TimingEvent, TriggerEvent: "Ved brud på persondatasikkerheden, medmindre bruddet sandsynligvis ikke indebærer en risiko", ResponseTime: "Inden for 72 timer efter, at bruddet er opdaget",
		Audience: "Datatilsynet", Channel: "Datatilsynets anmeldelsesformular på virk.dk",
		Direction: isms.DirectionExternal, Sensitivity: isms.SensitivityConfidential}},
	{responsible: management, sender: "top_management", in: isms.CommunicationEntryInput{CaseKey: "emergency_notice",
		What:      "Information til borgere og samarbejdspartnere ved nedbrud af kritiske services",
		KeyPoints: "Hvilke services der er ramt (fx selvbetjening, udbetalinger), hvad borgerne skal gøre i mellemtiden, hvornår vi forventer at være tilbage, og hvor der kommer nyt. Ingen oplysninger om årsagen, før den er afklaret.",
		Timing:    isms.TimingEvent, TriggerEvent: "Når IT-beredskabsplanen aktiveres, eller en kritisk service er nede i mere end 4 timer", ResponseTime: "Inden for 2 timer og derefter mindst to gange dagligt",
		Audience: "Borgere, virksomheder og samarbejdspartnere", Channel: "solbjerg.example, Facebook, lokalavisen og telefonbesked i borgerservice",
		Direction: isms.DirectionExternal, Sensitivity: isms.SensitivityPublic}},
	{responsible: coordinator, sender: "coordinator", in: isms.CommunicationEntryInput{CaseKey: "management_reporting",
		What:      "Kvartalsrapport til direktionen og informationssikkerhedsudvalget",
		KeyPoints: "Risikobilledet og nye risikovurderinger, sikkerhedshændelser, målinger og overskredne tærskelværdier, auditresultater, status på handlingsplaner og beslutninger, ændringer i trusselsbilledet og de beslutninger, der er brug for.",
		Timing:    isms.TimingQuarterly, TriggerEvent: "Forud for hvert møde i informationssikkerhedsudvalget; straks ved alvorlige hændelser", ResponseTime: "Senest en uge før mødet",
		Audience: "Direktionen og informationssikkerhedsudvalget", Channel: "Ledelsesinformation i ESDH og udvalgets dagsorden",
		Direction: isms.DirectionInternal, Sensitivity: isms.SensitivityConfidential}},
	{responsible: coordinator, sender: "coordinator", in: isms.CommunicationEntryInput{CaseKey: "risk_consultation",
		What:      "Høring af fagcheferne og systemejerne i risikovurderingerne",
		KeyPoints: "Konsekvenserne for borgerne og forvaltningen af brud på fortrolighed, integritet og tilgængelighed; resultatet af risikovurderingen; de besluttede handlingsplaner og restrisici.",
		Timing:    isms.TimingYearly, TriggerEvent: "Ved den årlige risikovurdering i 1. kvartal og ved væsentlige ændringer", ResponseTime: "Før risikovurderingen forelægges udvalget",
		Audience: "Fagchefer, proces- og systemejere", Channel: "Workshops og risikorapport",
		Direction: isms.DirectionInternal, Sensitivity: isms.SensitivityConfidential}},
	{responsible: administrator, sender: "it_operations", in: isms.CommunicationEntryInput{CaseKey: "staff_notice",
		What:      "Varsling af medarbejderne om sikkerhedshændelser og phishingkampagner",
		KeyPoints: "Hvad der er sket eller truer, hvordan man genkender det (eksempler på mails og sms'er), hvad man skal gøre og ikke gøre, og at mistanke meldes til IT-supporten på tlf. 4000.",
		Timing:    isms.TimingEvent, TriggerEvent: "Ved sikkerhedshændelser, der berører medarbejderne, og ved nye phishingkampagner mod kommuner", ResponseTime: "Samme dag",
		Audience: "Alle medarbejdere", Channel: "Intranettets forside, e-mail og ledernyt",
		Direction: isms.DirectionInternal, Sensitivity: isms.SensitivityInternal}},
	{responsible: management, sender: "top_management", in: isms.CommunicationEntryInput{
		What:      "Kommunaldirektørens årlige budskab om informationssikkerhed",
		KeyPoints: "Hvorfor informationssikkerheden er vigtig for borgernes tillid, årets resultater og fokusområder, og hvad ledelsen forventer af hver medarbejder.",
		Timing:    isms.TimingYearly, TriggerEvent: "I awarenessmåneden oktober", Audience: "Alle medarbejdere",
		Channel: "Intranettet og personalemøder", Direction: isms.DirectionInternal, Sensitivity: isms.SensitivityPublic}},
	{responsible: coordinator, sender: "coordinator", in: isms.CommunicationEntryInput{
		What:      "Halvårlig status til koncernledelsen i Solbjerg Kommunekoncern",
		KeyPoints: "Svarene på vejledningens tjekliste, væsentlige hændelser og risici og status på handlingsplanerne, som grundlag for koncernstyringen.",
		Timing:    isms.TimingHalfYearly, TriggerEvent: "I juni og december", ResponseTime: "Inden koncernledelsens møde",
		Audience: "Koncernledelsen", Channel: "Skriftlig rapport og ISMS'ets tilsynsadgang",
		Direction: isms.DirectionExternal, Sensitivity: isms.SensitivityConfidential}},
}

func fillCommunication(d *Demo) error {
	roles, err := d.DB.SecurityRoles(d.As(isms.RoleCoordinator), d.Org.ID)
	if err != nil {
		return err
	}
	roleID := map[string]int64{}
	for _, r := range roles {
		roleID[r.TemplateKey] = r.ID
	}
	for _, c := range demoCommunication {
		in := c.in
		in.Status = isms.StatusActive
		in.ResponsibleID = d.UserID(c.responsible)
		if id, ok := roleID[c.sender]; ok {
			in.SenderRoleID = &id
		}
		e, err := d.DB.CreateCommunicationEntry(d.As(isms.RoleCoordinator), d.Org.ID, in)
		if err != nil {
			return fmt.Errorf("communication %q: %w", in.What, err)
		}
		// The responsible person acknowledges, as themselves.
		if _, err := d.DB.AcknowledgeCommunication(d.As(c.responsible), d.Org.ID, e.ID, e.Version); err != nil {
			return fmt.Errorf("acknowledge %q: %w", in.What, err)
		}
	}
	return nil
}
