package web

import (
	"net/http"

	"github.com/ismsdk/isms"
)

// Incidents linked both ways (isms/incident_links.go has the model): on
// the incident's page, its nonconformities with their progress and the
// action that registers one, the risks, threats and controls it names, a
// new threat for an own catalogue, and the communication plan carried out
// for it. The risk, SoA control and communication entry pages list the
// incidents in turn (risk.go, soa.go, communication.go).

// incLinkData is what the incident's page shows of its links.
type incLinkData struct {
	Nonconformities []*isms.Nonconformity
	Communications  []*isms.IncidentCommunication
	// For editors: what can be chosen.
	PlanEntries []*isms.CommunicationEntry
	Risks       []*isms.Risk
	Threats     []*isms.Threat
	Controls    []*isms.RiskControlRef
	Catalogues  []*isms.ThreatCatalogue // the organisation's own
	Groups      []string
	Today       isms.Date
	// Failed and Helped are the ids of the controls named with each
	// effect, for the form's two choices.
	Failed, Helped []int64
	// RiskIDs and ThreatIDs are the ones named, for the form.
	RiskIDs, ThreatIDs []int64
}

func (s *Server) incLinks(r *http.Request, p *page, i *isms.Incident) (incLinkData, error) {
	d := incLinkData{Today: isms.DateOf(s.cfg.Now()), Groups: isms.ThreatGroups}
	if !i.Status.IsIncident() {
		return d, nil
	}
	for _, x := range i.Risks {
		d.RiskIDs = append(d.RiskIDs, x.ID)
	}
	for _, x := range i.Threats {
		d.ThreatIDs = append(d.ThreatIDs, x.ID)
	}
	for _, c := range i.Controls {
		if c.Effect == isms.ControlFailed {
			d.Failed = append(d.Failed, c.ControlID)
		} else {
			d.Helped = append(d.Helped, c.ControlID)
		}
	}
	ctx, org := r.Context(), i.OrganisationID
	var err error
	if d.Nonconformities, _, err = s.Nonconformities.Nonconformities(ctx, org, isms.NonconformityFilter{IncidentID: i.ID, Sort: "detected", Limit: 100}); err != nil {
		return d, err
	}
	if d.Communications, err = s.Incidents.IncidentCommunications(ctx, org, i.ID); err != nil {
		return d, err
	}
	if !p.Can("edit") {
		return d, nil
	}
	if d.PlanEntries, _, err = s.Communication.CommunicationEntries(ctx, org, isms.CommunicationFilter{Sort: "what", Limit: 500}); err != nil {
		return d, err
	}
	if d.Risks, _, err = s.Risk.Risks(ctx, org, isms.RiskFilter{Limit: 500}); err != nil {
		return d, err
	}
	if d.Threats, err = s.Risk.Threats(ctx, org, isms.ThreatFilter{Status: isms.StatusActive}); err != nil {
		return d, err
	}
	if d.Controls, err = s.Risk.RiskControlOptions(ctx, org); err != nil {
		return d, err
	}
	cats, err := s.Risk.ThreatCatalogues(ctx, org)
	if err != nil {
		return d, err
	}
	for _, c := range cats {
		if !c.Builtin {
			d.Catalogues = append(d.Catalogues, c)
		}
	}
	return d, nil
}

// incNonconformitySubmit registers the incident's nonconformity and opens
// it, for the analysis.
func (s *Server) incNonconformitySubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.Incidents.RegisterIncidentNonconformity(r.Context(), orgFrom(r.Context()).ID, id, formVersion(r))
	if err != nil {
		return s.incRefused(w, r, err)
	}
	s.redirect(w, r, p0(r, idPath("/nonconformities/", n.ID)), "flash.saved")
	return nil
}

// incLinksSubmit saves the risks, threats and controls; a control chosen
// as both failed and helped is refused.
func (s *Server) incLinksSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f := r.PostForm
	var v isms.Validation
	in := isms.IncidentLinksInput{RiskIDs: parseIDs(&v, "risk_ids", f["risk_ids"]), ThreatIDs: parseIDs(&v, "threat_ids", f["threat_ids"]),
		Version: formVersion(r)}
	seen := map[int64]bool{}
	for _, e := range isms.ControlEffects {
		for _, cid := range parseIDs(&v, "controls", f["controls_"+string(e)]) {
			if seen[cid] {
				v.Add("controls", "incl.err.effect")
				continue
			}
			seen[cid] = true
			in.Controls = append(in.Controls, isms.IncidentControlInput{ControlID: cid, Effect: e})
		}
	}
	err = v.Err()
	if err == nil {
		_, err = s.Incidents.SetIncidentLinks(r.Context(), orgFrom(r.Context()).ID, id, in)
	}
	if err != nil {
		return s.incRefused(w, r, err)
	}
	s.redirect(w, r, p0(r, idPath("/incidents/", id)+"#h-links"), "flash.saved")
	return nil
}

// incThreatSubmit adds a new threat to an own catalogue and names it on
// the incident.
func (s *Server) incThreatSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f := r.PostForm
	var v isms.Validation
	cat := parseOptionalID(&v, "catalogue_id", f.Get("catalogue_id"))
	in := isms.IncidentThreatInput{Threat: isms.ThreatInput{Group: f.Get("threat_group"), NameDA: f.Get("threat_name_da"),
		NameEN: f.Get("threat_name_en"), DescriptionDA: f.Get("threat_description_da"),
		Affects: isms.Affects{Confidentiality: parseFlag(f.Get("affects_c")), Integrity: parseFlag(f.Get("affects_i")), Availability: parseFlag(f.Get("affects_a"))},
		Status:  isms.StatusActive}, Version: formVersion(r)}
	if cat != nil {
		in.Threat.CatalogueID = *cat
	}
	err = v.Err()
	if err == nil {
		_, err = s.Incidents.AddIncidentThreat(r.Context(), orgFrom(r.Context()).ID, id, in)
	}
	if err != nil {
		return s.incRefused(w, r, err)
	}
	s.redirect(w, r, p0(r, idPath("/incidents/", id)+"#h-links"), "flash.saved")
	return nil
}

// incCommSubmit records a plan entry carried out for the incident.
func (s *Server) incCommSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f := r.PostForm
	var v isms.Validation
	in := isms.IncidentCommunicationInput{DoneAt: parseDateTime(&v, "done_at", f.Get("done_at"), f.Get("done_time")), DoneBy: f.Get("done_by"),
		Note: f.Get("note")}
	if e := parseOptionalID(&v, "entry_id", f.Get("entry_id")); e != nil {
		in.EntryID = *e
	} else {
		v.Add("entry_id", "err.required")
	}
	err = v.Err()
	if err == nil {
		_, err = s.Incidents.RecordIncidentCommunication(r.Context(), orgFrom(r.Context()).ID, id, in)
	}
	if err != nil {
		return s.incRefused(w, r, err)
	}
	s.redirect(w, r, p0(r, idPath("/incidents/", id)+"#h-comms"), "flash.saved")
	return nil
}

// incAttachSubmit attaches a plan entry to the incident.
func (s *Server) incAttachSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var v isms.Validation
	var in isms.IncidentAttachInput
	if e := parseOptionalID(&v, "attach_entry_id", r.PostForm.Get("attach_entry_id")); e != nil {
		in.EntryID = *e
	} else {
		v.Add("attach_entry_id", "err.required")
	}
	err = v.Err()
	if err == nil {
		_, err = s.Incidents.AttachIncidentCommunication(r.Context(), orgFrom(r.Context()).ID, id, in)
	}
	if err != nil {
		if e := isms.AsError(err); e != nil {
			for k := range e.Fields {
				if e.Fields[k].Field == "entry_id" {
					e.Fields[k].Field = "attach_entry_id"
				}
			}
		}
		return s.incRefused(w, r, err)
	}
	s.redirect(w, r, p0(r, idPath("/incidents/", id)+"#h-comms"), "flash.saved")
	return nil
}

func (s *Server) incCommDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	cid, err := pathID(r, "comm")
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Incidents.DeleteIncidentCommunication(r.Context(), orgFrom(r.Context()).ID, id, cid), idPath("/incidents/", id))
}
