package demo

import (
	"fmt"
	"slices"
	"time"

	"github.com/ismsdk/isms"
)

// Security incidents (guide 2.9): a year of Solbjerg Kommune's incident
// log. The municipality is covered by NIS2. It holds one significant NIS2
// incident (ransomware on a file server) with its early warning,
// notification and final report sent on time, one personal data breach
// notified to Datatilsynet within 72 hours, a few ordinary incidents, and
// one reported event triaged as not an incident. The breach's
// communication plan entries (notice to the citizen, notification to
// Datatilsynet) and the ransomware's staff and emergency notices are
// recorded as carried out; the ransomware names the risk it realised, the
// threat it shows and the controls that failed and helped.

func init() { addStep(700, "security incidents", fillIncidents) }

// demoReport is a report sent, hours after detection.
type demoReport struct {
	regime, kind, recipient, content string
	after                            time.Duration
}

type demoTimeline struct {
	after       time.Duration
	text, actor string
}

type demoIncident struct {
	daysAgo  int
	hour     int
	reporter isms.Role
	event    isms.IncidentEventInput
	// triage; notIncident gives the reason instead.
	notIncident string
	category    isms.IncidentCategory
	severity    int
	personal    bool
	nis2        bool
	status      isms.IncidentStatus
	lessons     string
	nonconform  bool
	entries     []string
	timeline    []demoTimeline
	reports     []demoReport
	comms       []demoComm
}

// demoComm is a communication plan entry of a case carried out, hours
// after detection.
type demoComm struct {
	caseKey, by, note string
	after             time.Duration
}

var demoIncidents = []demoIncident{
	{daysAgo: 290, hour: 6, reporter: isms.RoleAdministrator, category: "malware", severity: 4, nis2: true, status: isms.IncidentClosed,
		nonconform: true, entries: []string{"sys.esdh", "sys.netvaerk"},
		event: isms.IncidentEventInput{Title: "Ransomware krypterede filserveren med fællesdrev",
			Description: "Overvågningen alarmerede om masseomdøbning af filer på filserveren. Fællesdrevene for tre forvaltninger var utilgængelige i to døgn.",
			Location:    "Datacenter, filserver FS02", ReporterContact: "IT-vagten, tlf. 7000 1122"},
		timeline: []demoTimeline{{0, "Alarm fra overvågningen om masseomdøbning af filer", "IT-drift"},
			{time.Hour, "Filserveren isoleret fra netværket", "IT-drift"},
			{5 * time.Hour, "Beredskabsplanen aktiveret; direktionen orienteret", "Informationssikkerhedskoordinator"},
			{30 * time.Hour, "Data genskabt fra backup; fællesdrev tilgængelige igen", "IT-drift"}},
		reports: []demoReport{{isms.RegimeNIS2, isms.ReportEarlyWarning, "CFCS (kompetent NIS2-myndighed)", "Tidlig varsling via virk.dk, kvittering 2026-0412", 9 * time.Hour},
			{isms.RegimeNIS2, isms.ReportNotification, "CFCS (kompetent NIS2-myndighed)", "Hændelsesanmeldelse med første vurdering af alvor og virkning", 60 * time.Hour},
			{isms.RegimeNIS2, isms.ReportFinal, "CFCS (kompetent NIS2-myndighed)", "Endelig rapport med årsag, afhjælpning og grænseoverskridende virkning (ingen)", 60*time.Hour + 25*24*time.Hour}},
		comms: []demoComm{{isms.CaseStaffNotice, "IT-drift", "Besked på intranettet og sms til ledere: fællesdrevene er nede, gem lokalt.", 2 * time.Hour},
			{isms.CaseEmergencyNotice, "Kommunaldirektøren", "Besked på kommunens hjemmeside om forsinket sagsbehandling.", 6 * time.Hour}},
		lessons: "Offline-backup genskabte data; segmenteringen af serverne skal skærpes, og administratorkonti skal have to-faktor-login."},
	{daysAgo: 160, hour: 10, reporter: isms.RoleReader, category: "data_leak", severity: 3, personal: true, status: isms.IncidentClosed,
		entries: []string{"proc.borgerservice", "info.cpr"},
		event: isms.IncidentEventInput{Title: "Brev med CPR-numre sendt til forkert borger",
			Description: "En partshøring med oplysninger om en anden borger, herunder CPR-nummer, blev sendt med Digital Post til en forkert modtager.",
			Location:    "Borgerservice", ReporterContact: "Anna Møller, lokal 4411"},
		timeline: []demoTimeline{{time.Hour, "Modtageren kontaktet og bedt om at slette brevet", "Borgerservice"},
			{4 * time.Hour, "Den registrerede orienteret", "Databeskyttelsesrådgiver"}},
		reports: []demoReport{{isms.RegimeGDPR, isms.ReportNotification, "Datatilsynet", "Anmeldelse af brud på persondatasikkerheden, j.nr. 2026-441-0087", 30 * time.Hour}},
		comms: []demoComm{{isms.CaseBreachNotice, "Databeskyttelsesrådgiveren", "Brev i Digital Post til den registrerede med forklaring og kontaktoplysninger.", 4 * time.Hour},
			{isms.CaseBreachAuthority, "Databeskyttelsesrådgiveren", "Anmeldt via virk.dk, j.nr. 2026-441-0087.", 30 * time.Hour}},
		lessons: "Skabelonen for partshøring henter nu modtageren fra sagen; manuelt valg af modtager kræver bekræftelse."},
	{daysAgo: 95, hour: 13, reporter: isms.RoleContributor, category: "phishing", severity: 2, status: isms.IncidentClosed, nonconform: true,
		event: isms.IncidentEventInput{Title: "Medarbejder indtastede kodeord på falsk loginside",
			Description: "En medarbejder fulgte et link i en mail om en delt fil og indtastede sit kodeord.", Location: "Social og Sundhed"},
		timeline: []demoTimeline{{time.Hour, "Kodeordet skiftet og sessioner lukket", "IT-drift"}},
		lessons:  "Mailfilteret blokerer nu domænet; phishingøvelsen i næste kvartal bruger samme type mail."},
	{daysAgo: 40, hour: 8, reporter: isms.RoleReader, category: "device_loss", severity: 1, status: isms.IncidentResolved,
		event: isms.IncidentEventInput{Title: "Bærbar computer glemt i toget",
			Description: "En krypteret bærbar blev glemt i toget og er ikke fundet.", Location: "Hjemmeplejen", ReporterContact: "lokal 5120"},
		timeline: []demoTimeline{{2 * time.Hour, "Computeren spærret og fjernslettet via enhedsstyringen", "IT-drift"}}},
	{daysAgo: 6, hour: 11, reporter: isms.RoleAdministrator, category: "outage", severity: 2, status: isms.IncidentInvestigating,
		entries: []string{"sys.fag"},
		event: isms.IncidentEventInput{Title: "Fagsystemet utilgængeligt en formiddag",
			Description: "Leverandørens opdatering fejlede, og fagsystemet var nede i tre timer.", Location: "Fagsystem, Social og Sundhed"}},
	{daysAgo: 20, hour: 9, reporter: isms.RoleReader, notIncident: "Mailen var en ægte, men uventet, besked fra kommunens lønsystem.",
		event: isms.IncidentEventInput{Title: "Mistænkelig mail om lønseddel",
			Description: "Mail om ny lønseddel med link; afsenderen så ukendt ud.", Location: "Borgerservice"}},
}

func fillIncidents(d *Demo) error {
	coord := d.As(isms.RoleCoordinator)
	set, err := d.DB.IncidentSettings(coord, d.Org.ID)
	if err != nil {
		return err
	}
	set.NIS2Applies, set.GDPRApplies = true, true
	if _, err := d.DB.UpdateIncidentSettings(coord, d.Org.ID, *set); err != nil {
		return fmt.Errorf("incident settings: %w", err)
	}
	plan, _, err := d.DB.CommunicationEntries(coord, d.Org.ID, isms.CommunicationFilter{Limit: 500})
	if err != nil {
		return err
	}
	for _, s := range demoIncidents {
		at := d.Day(-s.daysAgo).Time.Add(time.Duration(s.hour) * time.Hour)
		ev := s.event
		ev.DetectedAt = isms.InstantOf(at)
		inc, err := d.DB.ReportEvent(d.As(s.reporter), d.Org.ID, ev)
		if err != nil {
			return fmt.Errorf("incident %q: %w", ev.Title, err)
		}
		if s.notIncident != "" {
			if _, err := d.DB.TriageIncident(coord, d.Org.ID, inc.ID, isms.IncidentTriageInput{Reason: s.notIncident, Version: inc.Version}); err != nil {
				return fmt.Errorf("triage %q: %w", ev.Title, err)
			}
			continue
		}
		if inc, err = d.DB.TriageIncident(coord, d.Org.ID, inc.ID, isms.IncidentTriageInput{Incident: true, Category: s.category, Severity: s.severity,
			OwnerID: d.UserID(isms.RoleCoordinator), PersonalData: s.personal, NIS2Significant: s.nis2, Version: inc.Version}); err != nil {
			return fmt.Errorf("triage %q: %w", ev.Title, err)
		}
		for _, t := range s.timeline {
			when := at.Add(t.after)
			if _, err := d.DB.AddIncidentTimeline(coord, d.Org.ID, inc.ID, isms.IncidentTimelineInput{At: isms.InstantOf(when), Text: t.text, Actor: t.actor}); err != nil {
				return fmt.Errorf("timeline of %q: %w", ev.Title, err)
			}
		}
		for _, r := range s.reports {
			sent := at.Add(r.after)
			if _, err := d.DB.AddIncidentReport(coord, d.Org.ID, inc.ID, isms.IncidentReportInput{Regime: r.regime, Kind: r.kind, SentAt: isms.InstantOf(sent),
				Recipient: r.recipient, Content: r.content}); err != nil {
				return fmt.Errorf("report of %q: %w", ev.Title, err)
			}
		}
		for _, c := range s.comms {
			var entry *isms.CommunicationEntry
			for _, e := range plan {
				if e.CaseKey == c.caseKey {
					entry = e
				}
			}
			if entry == nil {
				return fmt.Errorf("communication of %q: the plan has no entry of case %s", ev.Title, c.caseKey)
			}
			if _, err := d.DB.RecordIncidentCommunication(coord, d.Org.ID, inc.ID, isms.IncidentCommunicationInput{EntryID: entry.ID,
				DoneAt: isms.InstantOf(at.Add(c.after)), DoneBy: c.by, Note: c.note}); err != nil {
				return fmt.Errorf("communication of %q: %w", ev.Title, err)
			}
		}
		if s.status == isms.IncidentTriaged {
			continue
		}
		if inc, err = d.DB.Incident(coord, d.Org.ID, inc.ID); err != nil {
			return err
		}
		in := isms.IncidentInput{Title: inc.Title, Description: inc.Description, DetectedAt: isms.InstantOf(inc.DetectedAt), Location: inc.Location,
			ReporterContact: inc.ReporterContact, Status: s.status, Category: inc.Category, Severity: inc.Severity, OwnerID: inc.OwnerID,
			Lessons: s.lessons, Nonconformity: s.nonconform, PersonalData: inc.PersonalData, NIS2Significant: inc.NIS2Significant, Version: inc.Version}
		for _, k := range s.entries {
			if e := d.Entries[k]; e != nil {
				in.EntryIDs = append(in.EntryIDs, e.ID)
			}
		}
		if inc, err = d.DB.UpdateIncident(coord, d.Org.ID, inc.ID, in); err != nil {
			return fmt.Errorf("incident %q: %w", ev.Title, err)
		}
		if s.nis2 {
			if err := linkRansomware(d, inc); err != nil {
				return fmt.Errorf("links of %q: %w", ev.Title, err)
			}
		}
	}
	return nil
}

// linkRansomware names on the ransomware incident the risk of ransomware
// on the case management system it realised, the threat, and the controls:
// malware protection and network segregation failed, the backup helped.
func linkRansomware(d *Demo, inc *isms.Incident) error {
	coord := d.As(isms.RoleCoordinator)
	threats, err := d.DB.Threats(coord, d.Org.ID, isms.ThreatFilter{})
	if err != nil {
		return err
	}
	in := isms.IncidentLinksInput{Version: inc.Version}
	for _, t := range threats {
		if t.Key == "ransomware" {
			in.ThreatIDs = append(in.ThreatIDs, t.ID)
		}
	}
	risks, _, err := d.DB.Risks(coord, d.Org.ID, isms.RiskFilter{Limit: 500})
	if err != nil {
		return err
	}
	for _, r := range risks {
		if slices.Contains(in.ThreatIDs, r.ThreatID) {
			in.RiskIDs = append(in.RiskIDs, r.ID)
		}
	}
	controls, err := d.DB.RiskControlOptions(coord, d.Org.ID)
	if err != nil {
		return err
	}
	effects := map[string]isms.ControlEffect{"8.7": isms.ControlFailed, "8.22": isms.ControlFailed, "8.13": isms.ControlHelped}
	for _, c := range controls {
		if e, ok := effects[c.Ref]; ok && !c.Own {
			in.Controls = append(in.Controls, isms.IncidentControlInput{ControlID: c.ID, Effect: e})
		}
	}
	if len(in.ThreatIDs) == 0 || len(in.RiskIDs) == 0 || len(in.Controls) != len(effects) {
		return fmt.Errorf("threat, risk or controls missing: %+v", in)
	}
	_, err = d.DB.SetIncidentLinks(coord, d.Org.ID, inc.ID, in)
	return err
}
