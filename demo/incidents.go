package demo

import (
	"fmt"
	"time"

	"github.com/ismsdk/isms"
)

// Security incidents (guide 2.9): a year of Solbjerg Kommune's incident
// log. The municipality is covered by NIS2. It holds one significant NIS2
// incident (ransomware on a file server) with its early warning,
// notification and final report sent on time, one personal data breach
// notified to Datatilsynet within 72 hours, a few ordinary incidents, and
// one reported event triaged as not an incident.

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
		lessons: "Offline-backup genskabte data; segmenteringen af serverne skal skærpes, og administratorkonti skal have to-faktor-login."},
	{daysAgo: 160, hour: 10, reporter: isms.RoleReader, category: "data_leak", severity: 3, personal: true, status: isms.IncidentClosed,
		entries: []string{"proc.borgerservice", "info.cpr"},
		event: isms.IncidentEventInput{Title: "Brev med CPR-numre sendt til forkert borger",
			Description: "En partshøring med oplysninger om en anden borger, herunder CPR-nummer, blev sendt med Digital Post til en forkert modtager.",
			Location:    "Borgerservice", ReporterContact: "Anna Møller, lokal 4411"},
		timeline: []demoTimeline{{time.Hour, "Modtageren kontaktet og bedt om at slette brevet", "Borgerservice"},
			{4 * time.Hour, "Den registrerede orienteret", "Databeskyttelsesrådgiver"}},
		reports: []demoReport{{isms.RegimeGDPR, isms.ReportNotification, "Datatilsynet", "Anmeldelse af brud på persondatasikkerheden, j.nr. 2026-441-0087", 30 * time.Hour}},
		lessons: "Skabelonen for partshøring henter nu modtageren fra sagen; manuelt valg af modtager kræver bekræftelse."},
	{daysAgo: 95, hour: 13, reporter: isms.RoleContributor, category: "phishing", severity: 2, status: isms.IncidentClosed,
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
		if s.status == isms.IncidentTriaged {
			continue
		}
		in := isms.IncidentInput{Title: inc.Title, Description: inc.Description, DetectedAt: isms.InstantOf(inc.DetectedAt), Location: inc.Location,
			ReporterContact: inc.ReporterContact, Status: s.status, Category: inc.Category, Severity: inc.Severity, OwnerID: inc.OwnerID,
			Lessons: s.lessons, Nonconformity: s.nonconform, PersonalData: inc.PersonalData, NIS2Significant: inc.NIS2Significant, Version: inc.Version}
		for _, k := range s.entries {
			if e := d.Entries[k]; e != nil {
				in.EntryIDs = append(in.EntryIDs, e.ID)
			}
		}
		if _, err := d.DB.UpdateIncident(coord, d.Org.ID, inc.ID, in); err != nil {
			return fmt.Errorf("incident %q: %w", ev.Title, err)
		}
	}
	return nil
}
