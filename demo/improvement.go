package demo

import (
	"fmt"

	"github.com/ismsdk/isms"
)

// Nonconformities and continual improvement (guide 2.10): Solbjerg
// Kommune's nonconformities from several sources – the ransomware
// incident's, registered from the incident itself, and a phishing
// incident's, both linked to their incident and followed all the way to an
// effective review and closed, so the checklist's question 7.4 finds every
// closed incident analysed – a committee
// decision's finding in progress with an overdue action, a member of
// staff's report, and an internal audit finding – and three improvements
// of the ISMS.

func init() { addStep(720, "nonconformities and improvements", fillImprovement) }

func yes() *bool { b := true; return &b }

func no() *bool { b := false; return &b }

func fillImprovement(d *Demo) error {
	ctx := d.As(isms.RoleCoordinator)
	decisions, _, err := d.DB.Decisions(ctx, d.Org.ID, isms.DecisionFilter{Limit: 1})
	if err != nil {
		return err
	}
	if len(decisions) == 0 {
		return fmt.Errorf("nonconformities: the demo has no committee decision to link")
	}
	coord, contrib, admin := d.UserID(coordinator), d.UserID(contributor), d.UserID(administrator)
	incidents, _, err := d.DB.Incidents(ctx, d.Org.ID, isms.IncidentFilter{Limit: 500})
	if err != nil {
		return err
	}
	incidentID := func(title string) (*isms.Incident, error) {
		for _, i := range incidents {
			if i.Title == title {
				return i, nil
			}
		}
		return nil, fmt.Errorf("nonconformities: the demo has no incident %q", title)
	}
	phishing, err := incidentID("Medarbejder indtastede kodeord på falsk loginside")
	if err != nil {
		return err
	}
	if err := fillRansomwareNonconformity(d); err != nil {
		return err
	}

	// 1. An incident, followed all the way and closed.
	incident := isms.NonconformityInput{Title: "Medarbejder afgav adgangskode på falsk loginside", Source: isms.NCSourceIncident,
		SourceIncidentID: &phishing.ID, RequirementKind: isms.NCReqControl, Requirement: "A.5.17",
		Description: "En medarbejder i Social og Sundhed indtastede sin adgangskode på en falsk Microsoft-loginside fra en phishingmail. Kontoen blev brugt til at sende videre phishing internt.",
		DetectedOn:  d.Day(-95), ReportedBy: "IT-servicedesk", OwnerID: coord,
		Correction: "Kontoen spærret, adgangskoden skiftet og de videresendte mails slettet fra alle postkasser.", CorrectionOn: d.Day(-95),
		Method: isms.NCMethodFiveWhys, Whys: []string{
			"Medarbejderen troede, siden var ægte.",
			"Mailen lignede en rigtig besked fra IT og kom fra en kendt afsender, hvis konto var overtaget.",
			"Medarbejderen havde ikke gennemført årets awareness-kursus.",
			"Nye medarbejdere fik ikke kurset automatisk ved ansættelsen.",
			"Onboarding-tjeklisten nævnte ikke informationssikkerhed."},
		RootCause:    "Onboarding omfattede ikke awareness-træning, og kontoen var ikke beskyttet af totrinsgodkendelse.",
		SimilarExist: no(), SimilarCouldOccur: yes(), SimilarNote: "Omkring 40 konti uden totrinsgodkendelse; alle nye medarbejdere det seneste år mangler kurset.",
		Actions: []isms.NCActionInput{
			{Action: "Totrinsgodkendelse slået til for alle konti", OwnerID: admin, DueOn: d.Day(-60), DoneOn: d.Day(-62)},
			{Action: "Awareness-kursus tilføjet onboarding-tjeklisten", OwnerID: coord, DueOn: d.Day(-50), DoneOn: d.Day(-48)}},
		ReviewPlannedOn: d.Day(-10), ReviewedOn: d.Day(-8), Effective: yes(),
		ReviewNote: "Ingen lykkedes phishing mod konti siden; alle nye medarbejdere har gennemført kurset."}
	n, err := d.DB.CreateNonconformity(ctx, d.Org.ID, incident)
	if err != nil {
		return fmt.Errorf("nonconformity %q: %w", incident.Title, err)
	}
	if _, err := d.DB.CloseNonconformity(ctx, d.Org.ID, n.ID, n.Version); err != nil {
		return fmt.Errorf("close %q: %w", incident.Title, err)
	}

	for _, in := range []isms.NonconformityInput{
		// 2. A committee decision's finding, in progress with an overdue action.
		{Title: "Fratrådte medarbejdere bevarer adgang til fagsystemer", Source: isms.NCSourceDecision, SourceDecisionID: &decisions[0].ID,
			RequirementKind: isms.NCReqControl, Requirement: "A.5.18",
			Description: "Udvalget bad om en kontrol af brugerlisterne; fem fratrådte havde stadig adgang til ESDH og økonomisystemet.",
			DetectedOn:  d.Day(-40), ReportedBy: "Sikkerhedsudvalget", OwnerID: coord,
			Correction: "De fem adgange lukket.", CorrectionOn: d.Day(-39), Method: isms.NCMethodFishbone,
			RootCause:    "HR's fratrædelsesliste når ikke systemejerne; der er ingen fast procedure for at lukke adgange.",
			SimilarExist: yes(), SimilarCouldOccur: yes(), SimilarNote: "Samme mangel gælder sandsynligvis alle fagsystemer med egen brugerstyring.",
			Actions: []isms.NCActionInput{
				{Action: "Fratrædelsesprocedure med tjekliste pr. fagsystem", OwnerID: coord, DueOn: d.Day(-20), DoneOn: d.Day(-22)},
				{Action: "HR sender fratrædelser automatisk til systemejerne", OwnerID: contrib, DueOn: d.Day(-10)},
				{Action: "Kvartalsvis gennemgang af brugerlister", OwnerID: admin, DueOn: d.Day(45)}},
			ReviewPlannedOn: d.Day(75)},
		// 3. Someone's report, just recorded with its correction.
		{Title: "Skærme efterlades ulåste i Borgerservice", Source: isms.NCSourceReport, RequirementKind: isms.NCReqControl, Requirement: "A.7.7",
			Description: "En medarbejder har set ulåste skærme med borgersager ved skrankerne i frokostpausen.",
			DetectedOn:  d.Day(-6), ReportedBy: "Medarbejder i Borgerservice", OwnerID: contrib,
			Correction: "Afdelingslederen har mindet alle om at låse skærmen.", CorrectionOn: d.Day(-5)},
		// 4. An internal audit finding, analysed.
		{Title: "Ledelsens evaluering er ikke dokumenteret", Source: isms.NCSourceAudit, SourceRef: "Intern audit 2026, fund 3",
			RequirementKind: isms.NCReqClause, Requirement: "9.3 Ledelsens evaluering",
			Description: "Ledelsen har drøftet ISMS'et, men der findes intet referat med input og beslutninger som krævet.",
			DetectedOn:  d.Day(-25), ReportedBy: "Intern auditor", OwnerID: coord, Method: isms.NCMethodOther,
			RootCause: "Der er ingen skabelon for ledelsens evaluering, og punktet står ikke fast i årshjulet."},
	} {
		if _, err := d.DB.CreateNonconformity(ctx, d.Org.ID, in); err != nil {
			return fmt.Errorf("nonconformity %q: %w", in.Title, err)
		}
	}

	for _, in := range []isms.ImprovementInput{
		{Title: "Fælles skabelon for procedurer", Area: isms.ImpDocumentation,
			Description: "Alle procedurer skrives i samme skabelon med formål, ansvar, trin og kontrol.",
			Benefit:     "Procedurerne er lettere at finde rundt i og at auditere.", OwnerID: coord, Status: isms.ImpDone, DueOn: d.Day(-30), DoneOn: d.Day(-33)},
		{Title: "Månedligt sikkerhedsnyt på intranettet", Area: isms.ImpInformation,
			Description: "En kort nyhed hver måned om aktuelle trusler og gode vaner.",
			Benefit:     "Medarbejderne hører om sikkerhed mellem kurserne.", OwnerID: contrib, Status: isms.ImpInProgress, DueOn: d.Day(60)},
		{Title: "Adgangskodemanager til alle medarbejdere", Area: isms.ImpTechnology,
			Description: "En fælles adgangskodemanager i stedet for adgangskoder i regneark og på sedler.",
			Benefit:     "Stærkere og unikke adgangskoder; færre nulstillinger hos servicedesk.", OwnerID: admin, Status: isms.ImpProposed},
	} {
		if _, err := d.DB.CreateImprovement(ctx, d.Org.ID, in); err != nil {
			return fmt.Errorf("improvement %q: %w", in.Title, err)
		}
	}
	return nil
}

// fillRansomwareNonconformity registers the ransomware incident's
// nonconformity from the incident, analyses it, records the corrective
// actions done and the effective review, and closes it.
func fillRansomwareNonconformity(d *Demo) error {
	ctx := d.As(isms.RoleCoordinator)
	incs, _, err := d.DB.Incidents(ctx, d.Org.ID, isms.IncidentFilter{Category: "malware", Limit: 10})
	if err != nil {
		return err
	}
	if len(incs) != 1 {
		return fmt.Errorf("nonconformities: %d ransomware incidents", len(incs))
	}
	n, err := d.DB.RegisterIncidentNonconformity(ctx, d.Org.ID, incs[0].ID, incs[0].Version)
	if err != nil {
		return fmt.Errorf("register the ransomware's nonconformity: %w", err)
	}
	admin, coord := d.UserID(administrator), d.UserID(coordinator)
	in := isms.NonconformityInput{Title: n.Title, Source: n.Source, SourceIncidentID: n.SourceIncidentID, RequirementKind: isms.NCReqControl,
		Requirement: "A.8.22", Description: n.Description, DetectedOn: &n.DetectedOn, ReportedBy: n.ReportedBy, OwnerID: coord,
		Correction: "Filserveren isoleret fra netværket og data genskabt fra offline-backup.", CorrectionOn: d.Day(-289),
		Method: isms.NCMethodFiveWhys, Whys: []string{
			"Ransomwaren krypterede fællesdrevene på filserveren.",
			"Den kom ind via en administratorkonto, hvis adgangskode var lækket.",
			"Administratorkontoen havde ikke to-faktor-login.",
			"Fra administratorens pc var der fri adgang til alle servere."},
		RootCause:    "Serverne var ikke adskilt i netværket, og administratorkonti var ikke beskyttet af to-faktor-login.",
		SimilarExist: no(), SimilarCouldOccur: yes(), SimilarNote: "Gælder alle servere i det fælles servernet.",
		Actions: []isms.NCActionInput{
			{Action: "To-faktor-login på alle administratorkonti", OwnerID: admin, DueOn: d.Day(-250), DoneOn: d.Day(-255)},
			{Action: "Servernettet opdelt i zoner med firewall imellem", OwnerID: admin, DueOn: d.Day(-180), DoneOn: d.Day(-185)}},
		ReviewPlannedOn: d.Day(-120), ReviewedOn: d.Day(-118), Effective: yes(),
		ReviewNote: "Penetrationstest i foråret kom ikke fra en klient-pc til filserverne; alle administratorkonti kræver to-faktor-login.",
		Version:    n.Version}
	if n, err = d.DB.UpdateNonconformity(ctx, d.Org.ID, n.ID, in); err != nil {
		return fmt.Errorf("analyse the ransomware's nonconformity: %w", err)
	}
	if _, err := d.DB.CloseNonconformity(ctx, d.Org.ID, n.ID, n.Version); err != nil {
		return fmt.Errorf("close the ransomware's nonconformity: %w", err)
	}
	return nil
}
