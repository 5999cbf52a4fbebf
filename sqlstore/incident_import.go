package sqlstore

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the Danish time zone, on a server without zoneinfo

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// Import of an incident log kept in a spreadsheet or another tool (guide
// 2.9). Each row is a past incident: already triaged, so it takes its
// category and severity as triage does and is never an event awaiting
// triage. A row matches an incident of the log with the same title
// detected the same day, which it updates; otherwise it creates one. Every
// incident the import creates or changes gets a timeline entry naming the
// file and row, so the log says where it came from.

// incImportZone is the time in which a spreadsheet's times are read: a
// Danish organisation's log is written in Danish time.
var incImportZone = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Copenhagen"); err == nil {
		return l
	}
	return time.UTC
}()

// incCategoryWords are categories as incident logs name them, besides
// the product's own names in both languages.
var incCategoryWords = map[string]isms.IncidentCategory{
	"malware": "malware", "virus": "malware", "ransomware": "malware", "skadeligsoftware": "malware", "trojan": "malware",
	"trojaner": "malware", "orm": "malware", "worm": "malware", "spyware": "malware", "malwareinfektion": "malware",
	"phishing": "phishing", "svindelmail": "phishing", "spearphishing": "phishing", "socialengineering": "phishing",
	"ceofraud": "phishing", "direktørsvindel": "phishing", "smishing": "phishing", "vishing": "phishing", "fupmail": "phishing",
	"unauthorisedaccess": "unauthorised_access", "unauthorizedaccess": "unauthorised_access", "uautoriseretadgang": "unauthorised_access",
	"uberettigetadgang": "unauthorised_access", "hacking": "unauthorised_access", "indbrud": "unauthorised_access", "hackerangreb": "unauthorised_access",
	"kompromitteretkonto": "unauthorised_access", "compromisedaccount": "unauthorised_access", "adgang": "unauthorised_access",
	"dataleak": "data_leak", "datalæk": "data_leak", "læk": "data_leak", "datalækage": "data_leak", "databrud": "data_leak",
	"fejlsendtmail": "data_leak", "fejlsendelse": "data_leak", "misdirectedemail": "data_leak", "brudpåfortrolighed": "data_leak",
	"deviceloss": "device_loss", "tabafudstyr": "device_loss", "tyveri": "device_loss", "theft": "device_loss", "lostdevice": "device_loss",
	"mistetudstyr": "device_loss", "bortkommetudstyr": "device_loss", "tabttelefon": "device_loss", "tabtcomputer": "device_loss",
	"tabellertyveriafudstyr": "device_loss", "lossortheftofadevice": "device_loss",
	"outage": "outage", "nedbrud": "outage", "driftsforstyrrelse": "outage", "driftsstop": "outage", "ddos": "outage",
	"availabilityoutage": "outage", "udfald": "outage", "nedetid": "outage", "downtime": "outage", "tilgængelighed": "outage",
	"misconfiguration": "misconfiguration", "fejlkonfiguration": "misconfiguration", "konfigurationsfejl": "misconfiguration",
	"opsætningsfejl": "misconfiguration", "configurationerror": "misconfiguration",
	"physical": "physical", "fysisk": "physical", "fysiskhændelse": "physical", "brand": "physical", "fire": "physical",
	"vandskade": "physical", "flood": "physical", "adgangskontrol": "physical", "fysiskindbrud": "physical",
	"other": "other", "andet": "other", "øvrige": "other", "diverse": "other", "misc": "other",
}

// incStatusWords are the statuses of a triaged incident as logs write
// them.
var incStatusWords = map[string]isms.IncidentStatus{
	"triaged": isms.IncidentTriaged, "triageret": isms.IncidentTriaged, "vurderet": isms.IncidentTriaged, "ny": isms.IncidentTriaged,
	"new": isms.IncidentTriaged, "åben": isms.IncidentTriaged, "open": isms.IncidentTriaged, "registreret": isms.IncidentTriaged,
	"investigating": isms.IncidentInvestigating, "undersøges": isms.IncidentInvestigating, "underundersøgelse": isms.IncidentInvestigating,
	"ibehandling": isms.IncidentInvestigating, "igang": isms.IncidentInvestigating, "inprogress": isms.IncidentInvestigating,
	"contained": isms.IncidentContained, "inddæmmet": isms.IncidentContained, "begrænset": isms.IncidentContained, "underkontrol": isms.IncidentContained,
	"resolved": isms.IncidentResolved, "løst": isms.IncidentResolved, "udbedret": isms.IncidentResolved, "håndteret": isms.IncidentResolved,
	"closed": isms.IncidentClosed, "lukket": isms.IncidentClosed, "afsluttet": isms.IncidentClosed, "done": isms.IncidentClosed,
	"færdig": isms.IncidentClosed, "afsluttetoglukket": isms.IncidentClosed,
}

// incNotTriagedWords are the statuses an imported incident cannot have:
// an event awaiting triage or one judged not an incident.
var incNotTriagedWords = map[string]bool{"reported": true, "meldt": true, "indrapporteret": true, "afventer": true, "afventertriage": true,
	"notanincident": true, "notincident": true, "ikkeenhændelse": true, "ingenhændelse": true, "falskalarm": true, "falsealarm": true}

// incImportWords adds the product's own names of categories and severity
// levels, in both languages, to the words a log may use.
func incImportWords(settings *isms.IncidentSettings) (map[string]isms.IncidentCategory, map[string]int) {
	cats := map[string]isms.IncidentCategory{}
	for k, v := range incCategoryWords {
		cats[k] = v
	}
	for _, c := range isms.IncidentCategories {
		for _, lang := range []string{"da", "en"} {
			cats[regWordKey(i18n.T(lang, i18n.Key("inc.category."+string(c))))] = c
		}
		cats[regWordKey(string(c))] = c
	}
	levels := map[string]int{}
	if len(settings.Severities) == 0 {
		for n := 1; n <= isms.DefaultSeverityLevels; n++ {
			for _, lang := range []string{"da", "en"} {
				levels[regWordKey(i18n.T(lang, i18n.Key("inc.severity."+strconv.Itoa(n))))] = n
			}
		}
		levels["mellem"], levels["moderat"], levels["moderate"], levels["alvorlig"], levels["severe"] = 2, 2, 2, 3, 3
	} else {
		for i, l := range settings.Severities {
			levels[regWordKey(l)] = i + 1
		}
	}
	return cats, levels
}

// incClock is a time of day: "14:30", "14.30", "kl. 14:30", "14:30:15".
var incClock = regexp.MustCompile(`^(?i)(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$`)

// incParseClock reads a time of day, or the fraction of a day an Excel
// time cell holds.
func incParseClock(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	if m := incClock.FindStringSubmatch(s); m != nil {
		h, _ := strconv.Atoi(m[1])
		mi, _ := strconv.Atoi(m[2])
		sec := 0
		if m[3] != "" {
			sec, _ = strconv.Atoi(m[3])
		}
		if h > 23 || mi > 59 || sec > 59 {
			return 0, false
		}
		return time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute + time.Duration(sec)*time.Second, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 0 && f < 1 {
		return time.Duration(math.Round(f*86400)) * time.Second, true
	}
	return 0, false
}

// incParseDetected reads when an incident was detected: a date (as
// riskParseDate reads it) with an optional time, in one cell or two, or
// an Excel serial number whose fraction is the time of day, or an RFC 3339
// timestamp. Times without a zone are Danish time.
func incParseDetected(day, clock string) (time.Time, bool) {
	day, clock = strings.TrimSpace(day), strings.TrimSpace(clock)
	if t, err := time.Parse(time.RFC3339, day); err == nil && clock == "" {
		return t.UTC(), true
	}
	var d isms.Date
	var at time.Duration
	hasTime := false
	if f, err := strconv.ParseFloat(day, 64); err == nil && f >= 1 && f < 200000 {
		whole := math.Floor(f)
		d = isms.DateOf(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(whole)))
		if frac := f - whole; frac > 0 {
			at, hasTime = time.Duration(math.Round(frac*86400))*time.Second, true
		}
	} else {
		datePart, timePart := day, ""
		for _, sep := range []string{"T", " kl. ", " kl ", " "} {
			if i := strings.Index(day, sep); i > 0 {
				datePart, timePart = day[:i], strings.TrimSpace(day[i+len(sep):])
				break
			}
		}
		var ok bool
		if d, ok = riskParseDate(datePart); !ok {
			return time.Time{}, false
		}
		if timePart != "" {
			if at, ok = incParseClock(timePart); !ok {
				return time.Time{}, false
			}
			hasTime = true
		}
	}
	if clock != "" {
		c, ok := incParseClock(clock)
		if !ok || hasTime && c != at {
			return time.Time{}, false
		}
		at = c
	}
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, incImportZone).Add(at).UTC(), true
}

// incDay is the Danish day of a time, by which a row matches an incident.
func incDay(t time.Time) string { return t.In(incImportZone).Format("2006-01-02") }

// incResolveSheet checks an incident log.
func (tx *Tx) incResolveSheet(orgID int64, s *isms.RegisterSheet) (*regResolved, error) {
	pv := regPreview(s)
	res := &regResolved{pv: pv, store: map[int]regStore{}}
	for _, f := range []string{"title", "detected"} {
		if !s.Has(f) {
			pv.Problems = append(pv.Problems, isms.ImportProblem{Field: f, Message: isms.Msg("rimp.err.missing_column", "rimp.inc."+f)})
		}
	}
	settings, err := tx.incidentSettings(orgID)
	if err != nil {
		return nil, err
	}
	cats, levels := incImportWords(settings)
	existing := map[string][]*isms.Incident{} // title as compared + day
	all, err := queryAll(tx, scanIncident, "SELECT "+incColumns+incFrom+" WHERE i.organisation_id = ? ORDER BY i.id", orgID)
	if err != nil {
		return nil, err
	}
	for _, i := range all {
		k := isms.CompareKey(i.Title) + "|" + incDay(i.DetectedAt)
		existing[k] = append(existing[k], i)
	}
	people, err := tx.importPeople(orgID)
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for _, sr := range s.Rows {
		c := sr.Cells
		r := isms.RegisterImportRow{Row: sr.Row, Name: strings.TrimSpace(c["title"])}
		if regNUL(pv, s, &r, c, isms.IncidentSheetFields) {
			pv.Rows = append(pv.Rows, r)
			continue
		}
		named := map[string]bool{}
		refuse := func(field, key string, args ...any) {
			named[field] = true
			regRefuse(pv, s, &r, field, key, args...)
		}
		var detected *time.Time
		switch v := c["detected"]; {
		case v == "":
			refuse("detected", "err.required")
		default:
			t, ok := incParseDetected(v, c["detected_time"])
			if !ok {
				field := "detected"
				if _, bad := incParseClock(c["detected_time"]); c["detected_time"] != "" && !bad {
					field = "detected_time"
				}
				refuse(field, "rimp.err.detected", strings.TrimSpace(v+" "+c["detected_time"]))
			} else {
				detected = &t
				// The day, and the time where the file gives one.
				r.Detail = strings.TrimSuffix(t.In(incImportZone).Format("2006-01-02 15:04"), " 00:00")
			}
		}
		// The incident it matches: the same title detected the same day.
		var match *isms.Incident
		if detected != nil && r.Name != "" {
			switch xs := existing[isms.CompareKey(r.Name)+"|"+incDay(*detected)]; {
			case len(xs) > 1:
				refuse("title", "rimp.err.inc_ambiguous", r.Name, len(xs))
			case len(xs) == 1 && !xs[0].Status.IsIncident():
				refuse("title", "rimp.err.inc_not_triaged", r.Name)
			case len(xs) == 1:
				match = xs[0]
				r.RecordID = &match.ID
			}
			k := isms.CompareKey(r.Name) + "|" + incDay(*detected)
			if first, ok := seen[k]; ok {
				refuse("title", "rimp.err.duplicate_row", first)
			} else {
				seen[k] = sr.Row
			}
		}
		// The incident as the row would leave it: the log's where the row
		// says nothing.
		in := isms.IncidentInput{Status: isms.IncidentTriaged}
		if match != nil {
			in = isms.IncidentInput{Title: match.Title, Description: match.Description, DetectedAt: isms.InstantOf(match.DetectedAt),
				Location: match.Location, ReporterContact: match.ReporterContact, Status: match.Status, Category: match.Category,
				Severity: match.Severity, OwnerID: match.OwnerID, Lessons: match.Lessons, Nonconformity: match.Nonconformity,
				PersonalData: match.PersonalData, NIS2Significant: match.NIS2Significant}
		}
		set := func(field string, dst *string) {
			if v := strings.TrimSpace(c[field]); v != "" {
				*dst = v
			}
		}
		set("title", &in.Title)
		set("description", &in.Description)
		set("location", &in.Location)
		set("lessons", &in.Lessons)
		if detected != nil {
			in.DetectedAt = isms.InstantOf(*detected)
		}
		if v := c["category"]; v != "" {
			if cat, ok := regWord(cats, v); ok {
				in.Category = cat
			} else {
				refuse("category", "rimp.err.inc_category", v)
			}
		} else if match == nil {
			refuse("category", "err.required")
		}
		if v := c["severity"]; v != "" {
			if n, ok := levels[regWordKey(v)]; ok {
				in.Severity = n
			} else if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 1 && n <= settings.Levels() {
				in.Severity = n
			} else {
				refuse("severity", "rimp.err.inc_severity", v, settings.Levels())
			}
		} else if match == nil {
			refuse("severity", "err.required")
		}
		if v := c["status"]; v != "" {
			if st, ok := regWord(incStatusWords, v); ok {
				in.Status = st
			} else if incNotTriagedWords[regWordKey(v)] {
				refuse("status", "rimp.err.inc_status_triage", v)
			} else {
				refuse("status", "rimp.err.inc_status", v)
			}
		}
		for _, f := range []struct {
			field string
			dst   *bool
		}{{"personal_data", &in.PersonalData}, {"nis2", &in.NIS2Significant}} {
			if v := c[f.field]; v != "" {
				if b, ok := regYesNo(v); ok {
					*f.dst = b
				} else {
					refuse(f.field, "rimp.err.yes_no", v)
				}
			}
		}
		if v := c["owner"]; v != "" {
			if id := regOwner(pv, s, &r, people, v); id != nil {
				in.OwnerID = id
			}
		}
		// The same checks as the form's.
		var v isms.Validation
		ev := isms.IncidentEventInput{Title: in.Title, Description: in.Description, DetectedAt: in.DetectedAt, Location: in.Location,
			ReporterContact: in.ReporterContact}
		if detected != nil || match != nil {
			tx.validateEvent(&v, &ev)
		} else {
			requireText(&v, "title", ev.Title, 300)
		}
		in.Title, in.Location, in.Lessons = ev.Title, ev.Location, strings.TrimSpace(in.Lessons)
		checkText(&v, "lessons_learned", in.Lessons, 20000)
		if in.Status == isms.IncidentClosed && in.Lessons == "" {
			v.Add("lessons_learned", "inc.err.lessons_required")
		}
		if e := isms.AsError(v.Err()); e != nil {
			for _, fe := range e.Fields {
				field := map[string]string{"detected_at": "detected", "lessons_learned": "lessons"}[fe.Field]
				if field == "" {
					field = fe.Field
				}
				if field == "lessons" && fe.Key == "inc.err.lessons_required" && !s.Has("lessons") {
					field = "status"
				}
				if !named[field] {
					refuse(field, fe.Key, fe.Args...) // a cell already refused is named once
				}
			}
		}
		r.Name = in.Title
		if r.Outcome == isms.OutcomeRefused {
			pv.Rows = append(pv.Rows, r)
			continue
		}
		row := sr.Row
		if match == nil {
			r.Outcome = isms.OutcomeCreated
			res.store[len(pv.Rows)] = func() (int64, error) { return tx.incImportCreate(orgID, in, s.Filename, row) }
		} else if r.Changes = incChanges(match, in); len(r.Changes) == 0 {
			r.Outcome = isms.OutcomeSkipped
		} else {
			r.Outcome = isms.OutcomeUpdated
			id := match.ID
			res.store[len(pv.Rows)] = func() (int64, error) { return id, tx.incImportUpdate(orgID, id, in, s.Filename, row) }
		}
		pv.Rows = append(pv.Rows, r)
	}
	return res, nil
}

// incChanges names the fields a row changes on the incident it matches.
func incChanges(i *isms.Incident, in isms.IncidentInput) []string {
	var out []string
	eq := func(x, y *int64) bool { return (x == nil && y == nil) || (x != nil && y != nil && *x == *y) }
	for _, f := range []struct {
		name string
		same bool
	}{{"title", i.Title == in.Title}, {"description", i.Description == in.Description},
		{"detected", i.DetectedAt.Equal(in.DetectedAt.Time)}, {"location", i.Location == in.Location},
		{"category", i.Category == in.Category}, {"severity", i.Severity == in.Severity}, {"status", i.Status == in.Status},
		{"personal_data", i.PersonalData == in.PersonalData}, {"nis2", i.NIS2Significant == in.NIS2Significant},
		{"lessons", i.Lessons == in.Lessons}, {"owner", eq(i.OwnerID, in.OwnerID)}} {
		if !f.same {
			out = append(out, f.name)
		}
	}
	return out
}

// incImportMark is the timeline entry that says where an incident came
// from, in both languages (the log is read in either).
func incImportMark(created bool, filename string, row int) string {
	if created {
		return "Importeret fra filen «" + filename + "», række " + strconv.Itoa(row) + " / imported from the file «" + filename + "», row " + strconv.Itoa(row)
	}
	return "Opdateret fra filen «" + filename + "», række " + strconv.Itoa(row) + " / updated from the file «" + filename + "», row " + strconv.Itoa(row)
}

// incImportTimeline adds the import's entry to an incident's timeline.
func (tx *Tx) incImportTimeline(orgID int64, i *isms.Incident, text string) error {
	eid, err := tx.insert(`INSERT INTO incident_timeline (organisation_id, incident_id, at, text, actor, recorded_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, orgID, i.ID, ts(tx.now), text, "", tx.actor.UserID, ts(tx.now))
	if err != nil {
		return err
	}
	e, err := scanTimeline(tx.queryRow("SELECT "+timelineColumns+timelineFrom+" WHERE e.organisation_id = ? AND e.id = ?", orgID, eid))
	if err != nil {
		return err
	}
	return tx.audit(orgID, "import_create", typeIncidentTimeline, eid, nil, timelineRecord(i, e))
}

// incImportCreate stores a triaged incident from a row: reported and
// triaged by the importer now, detected when the row says.
func (tx *Tx) incImportCreate(orgID int64, in isms.IncidentInput, filename string, row int) (int64, error) {
	now := ts(tx.now)
	id, err := tx.insert(`INSERT INTO incidents (organisation_id, title, description, detected_at, location, reporter_contact, reported_by,
		reported_at, status, category, severity, owner_id, lessons, nonconformity, personal_data, nis2_significant, triaged_by, triaged_at,
		version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, 1, ?, ?)`,
		orgID, in.Title, in.Description, ts(in.DetectedAt.Time), in.Location, tx.actor.UserID, now, string(in.Status), string(in.Category),
		in.Severity, nullInt(in.OwnerID), in.Lessons, b2i(in.PersonalData), b2i(in.NIS2Significant), tx.actor.UserID, now, now, now)
	if err != nil {
		return 0, err
	}
	if err := tx.setIncidentClosedAt(orgID, id, in.Status); err != nil {
		return 0, err
	}
	i, err := tx.incident(orgID, id)
	if err != nil {
		return 0, err
	}
	rec := incRecord(i)
	rec["imported_from"], rec["row"] = filename, row
	if err := tx.audit(orgID, "import_create", typeIncident, id, nil, rec); err != nil {
		return 0, err
	}
	return id, tx.incImportTimeline(orgID, i, incImportMark(true, filename, row))
}

// incImportUpdate changes an incident from a row, keeping its links,
// reports and timeline, and adds to the timeline that it did.
func (tx *Tx) incImportUpdate(orgID, id int64, in isms.IncidentInput, filename string, row int) error {
	before, err := tx.incident(orgID, id)
	if err != nil {
		return err
	}
	if _, err := tx.exec(`UPDATE incidents SET title = ?, description = ?, detected_at = ?, location = ?, status = ?, category = ?, severity = ?,
		owner_id = ?, lessons = ?, personal_data = ?, nis2_significant = ?, version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
		in.Title, in.Description, ts(in.DetectedAt.Time), in.Location, string(in.Status), string(in.Category), in.Severity, nullInt(in.OwnerID),
		in.Lessons, b2i(in.PersonalData), b2i(in.NIS2Significant), ts(tx.now), orgID, id); err != nil {
		return err
	}
	if err := tx.setIncidentClosedAt(orgID, id, in.Status); err != nil {
		return err
	}
	i, err := tx.incident(orgID, id)
	if err != nil {
		return err
	}
	rec := incRecord(i)
	rec["imported_from"], rec["row"] = filename, row
	if err := tx.audit(orgID, "import_update", typeIncident, id, incRecord(before), rec); err != nil {
		return err
	}
	return tx.incImportTimeline(orgID, i, incImportMark(false, filename, row))
}
