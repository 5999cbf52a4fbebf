package loadgen

import (
	"fmt"
	"math"

	"github.com/ismsdk/isms"
)

// Risk management (guide 2.3): supporting assets beside the business
// overview's primary ones, risk assessments of most assets with one risk
// per relevant threat of the shipped catalogue, each risk with its
// likelihood, consequences and treatment — mitigated with planned Annex A
// controls and a deadline, accepted, avoided or shared, a few still
// undecided — and the residual risk. Actions of the treatment plan for a
// share of the mitigated risks, management's acceptance of most residual
// risks above the criteria, and a few assessments marked for ad-hoc
// reassessment. Done over the middle of the year, after the business
// overview and before the Statement of Applicability.

func init() { addStep(500, "risk management", 0.30, 0.80, fillRisks) }

// risksPerAssessment is how many threats an assessment typically names.
const risksPerAssessment = 8

var supportingNames = map[isms.AssetKind][]string{
	isms.AssetHardware: {"Serverpark", "Bærbare pc'er", "Netværksudstyr", "Mobiltelefoner", "Printere"},
	isms.AssetSoftware: {"Kontorpakke", "Databaseplatform", "Integrationsplatform", "Identitetsløsning", "Backupløsning"},
	isms.AssetLocation: {"Rådhus", "Borgerservicecenter", "Serverrum", "Skolekontor", "Plejecenter"},
	isms.AssetSupplier: {"Hostingleverandør", "Fagsystemleverandør", "Printleverandør", "Supportpartner"},
	isms.AssetPerson:   {"Systemadministrator", "Nøglemedarbejder", "Superbruger", "Vagthavende"},
}

func fillRisks(g *Gen) error {
	coord := g.Users[isms.RoleCoordinator]
	mgmt := g.Users[isms.RoleManagement]
	ctx := g.As(coord)
	method, err := g.DB.RiskMethod(ctx, g.Org.ID)
	if err != nil {
		return err
	}
	threats, err := g.DB.Threats(ctx, g.Org.ID, isms.ThreatFilter{Status: isms.StatusActive})
	if err != nil {
		return err
	}
	if len(threats) == 0 {
		return fmt.Errorf("no threats in the catalogue")
	}
	options, err := g.DB.RiskControlOptions(ctx, g.Org.ID)
	if err != nil {
		return err
	}
	// The controls risks may name: Annex A, less those the SoA step
	// excludes (a control a risk relies on cannot be excluded).
	var controls []int64
	for _, c := range options {
		if _, excluded := soaExclusions[c.Ref]; !excluded && !c.Own {
			controls = append(controls, c.ID)
		}
	}

	// The primary assets, adopted from the business overview.
	var primary []*isms.Asset
	for off := 0; ; off += 500 {
		page, total, err := g.DB.Assets(ctx, g.Org.ID, isms.AssetFilter{Primary: "primary", Sort: "name", Offset: off, Limit: 500})
		if err != nil {
			return err
		}
		primary = append(primary, page...)
		if off+500 >= total || len(page) == 0 {
			break
		}
	}
	nSupporting := g.Cfg.Assets / 5
	nAssessments := int(math.Ceil(float64(g.Cfg.Risks) / risksPerAssessment))
	g.Phase(nSupporting + nAssessments*2 + g.Cfg.Risks + g.Cfg.Risks/4 + g.Cfg.Risks/20)

	// Supporting assets, each serving a few primary assets.
	assets := append([]*isms.Asset{}, primary...)
	for i := range nSupporting {
		kind := isms.SupportingAssetKinds[i%len(isms.SupportingAssetKinds)]
		var supports []int64
		for range 1 + g.Rand.IntN(3) {
			if len(primary) > 0 {
				supports = append(supports, primary[g.Rand.IntN(len(primary))].ID)
			}
		}
		if err := g.Tick(); err != nil {
			return err
		}
		a, err := g.DB.CreateAsset(ctx, g.Org.ID, isms.AssetInput{Kind: kind, Status: isms.StatusActive, OwnerID: ID(g.Owner()),
			Name:        fmt.Sprintf("%s – %s %04d", g.Pick(supportingNames[kind]), g.Pick(Areas), i+1),
			Description: "Understøttende aktiv for kommunens forretningskritiske systemer og processer.", Supports: uniqIDs(supports)})
		if err != nil {
			return fmt.Errorf("supporting asset %d: %w", i, err)
		}
		assets = append(assets, a)
	}
	g.Count("supporting assets", nSupporting)

	// Assessments: as many as the risks need, over assets picked across
	// the register (the rest stay unassessed, as in a real register).
	order := g.Rand.Perm(len(assets))
	made, accepted, tasks, marked, completed := 0, 0, 0, 0, 0
	var needAcceptance []*isms.Risk
	for n := 0; n < nAssessments && made < g.Cfg.Risks; n++ {
		g.Progress("risks", made, g.Cfg.Risks)
		asset := assets[order[n%len(assets)]]
		owner := coord
		if asset.OwnerID != nil {
			for _, u := range g.Owners {
				if u.ID == *asset.OwnerID {
					owner = u
				}
			}
		}
		if err := g.Tick(); err != nil {
			return err
		}
		id := asset.ID
		a, err := g.DB.CreateRiskAssessment(ctx, g.Org.ID, isms.RiskAssessmentInput{Title: "Risikovurdering af " + asset.Name,
			AssetID: &id, OwnerID: ID(owner), IntervalMonths: 12})
		if err != nil {
			return fmt.Errorf("assessment of %q: %w", asset.Name, err)
		}
		var relevant []*isms.Threat
		for _, t := range threats {
			if t.AppliesTo(asset.Kind) {
				relevant = append(relevant, t)
			}
		}
		k := min(len(relevant), risksPerAssessment, g.Cfg.Risks-made)
		for _, j := range g.Rand.Perm(len(relevant))[:k] {
			if err := g.Tick(); err != nil {
				return err
			}
			r, err := g.DB.CreateRisk(ctx, g.Org.ID, g.riskInput(a.ID, relevant[j], method, owner, controls))
			if err != nil {
				return fmt.Errorf("risk %d (%s on %q): %w", made, relevant[j].NameDA, asset.Name, err)
			}
			made++
			if r.NeedsAcceptance {
				needAcceptance = append(needAcceptance, r)
			}
			// A quarter of the mitigated risks have an action in the plan.
			if r.Treatment == isms.TreatmentMitigate && made%4 == 0 {
				if err := g.Tick(); err != nil {
					return err
				}
				if err := g.riskTask(r, owner); err != nil {
					return err
				}
				tasks++
			}
		}
		// Most assessments are completed; the rest are under way.
		if n%10 != 9 {
			if err := g.Tick(); err != nil {
				return err
			}
			cur, err := g.DB.RiskAssessment(ctx, g.Org.ID, a.ID)
			if err != nil {
				return err
			}
			done, err := g.DB.CompleteRiskAssessment(ctx, g.Org.ID, a.ID, cur.Version)
			if err != nil {
				return fmt.Errorf("completing the assessment of %q: %w", asset.Name, err)
			}
			completed++
			// A few are marked for reassessment after a change.
			if n%40 == 17 {
				if _, err := g.DB.MarkRiskReassessment(ctx, g.Org.ID, a.ID, "Systemet er flyttet til ny leverandør.", done.Version); err != nil {
					return err
				}
				marked++
			}
		}
	}
	// Management accepts most residual risks above the criteria, for a year.
	for i, r := range needAcceptance {
		if i%5 == 4 {
			continue
		}
		if err := g.Tick(); err != nil {
			return err
		}
		cur, err := g.DB.Risk(g.As(mgmt), g.Org.ID, r.ID)
		if err != nil {
			return err
		}
		if !cur.NeedsAcceptance || cur.Treatment == isms.TreatmentNone {
			continue
		}
		if _, err := g.DB.AcceptRisk(g.As(mgmt), g.Org.ID, r.ID, isms.RiskAcceptanceInput{
			Reason: "Restrisikoen accepteres, indtil de planlagte foranstaltninger er gennemført.", Expires: g.Day(365),
			Version: cur.Version}); err != nil {
			return fmt.Errorf("accepting risk %d: %w", r.ID, err)
		}
		accepted++
	}
	g.Count("risk assessments", nAssessments)
	g.Count("risk assessments completed", completed)
	g.Count("risk assessments marked for reassessment", marked)
	g.Count("risks", made)
	g.Count("risk treatment actions", tasks)
	g.Count("risk acceptances", accepted)
	return nil
}

// riskInput draws one risk: likelihood and consequences on the method's
// scale, and a treatment fitting its level.
func (g *Gen) riskInput(assessment int64, t *isms.Threat, m *isms.RiskMethod, owner *isms.User, controls []int64) isms.RiskInput {
	size := m.Scale.Size
	level := func() int { return 1 + g.Rand.IntN(size) }
	in := isms.RiskInput{AssessmentID: assessment, ThreatID: t.ID, Likelihood: level(), OwnerID: ID(owner),
		Description: t.NameDA + ": vurderet ud fra aktivets behov og de eksisterende foranstaltninger."}
	if t.Affects.Confidentiality || !(t.Affects.Integrity || t.Affects.Availability) {
		in.Consequence.Confidentiality = level()
	}
	if t.Affects.Integrity {
		in.Consequence.Integrity = level()
	}
	if t.Affects.Availability {
		in.Consequence.Availability = level()
	}
	if len(controls) > 0 {
		in.ExistingControls = []int64{controls[g.Rand.IntN(len(controls))]}
	}
	cons := in.Consequence.Max()
	if m.Acceptable(in.Likelihood, cons) {
		in.Treatment = isms.TreatmentAccept
		return in
	}
	switch f := g.Rand.Float64(); {
	case f < 0.04: // still undecided
		in.OwnerID = nil
		return in
	case f < 0.72:
		in.Treatment = isms.TreatmentMitigate
		for range 1 + g.Rand.IntN(3) {
			in.PlannedControls = append(in.PlannedControls, controls[g.Rand.IntN(len(controls))])
		}
		in.PlannedControls = uniqIDs(in.PlannedControls)
		in.ResidualLikelihood = max(1, in.Likelihood-1-g.Rand.IntN(2))
		in.ResidualConsequence = max(1, cons-g.Rand.IntN(2))
	case f < 0.86:
		in.Treatment = isms.TreatmentAccept
	case f < 0.93:
		in.Treatment = isms.TreatmentShare
		in.ResidualConsequence = max(1, cons-1)
		in.ResidualLikelihood = in.Likelihood
	default:
		in.Treatment = isms.TreatmentAvoid
		in.ResidualLikelihood, in.ResidualConsequence = 1, cons
	}
	if in.Treatment != isms.TreatmentAccept {
		in.Deadline = g.Day(30 + g.Rand.IntN(300))
		in.TreatmentNote = "Håndteres i årets handlingsplan."
	}
	return in
}

// riskTask adds an action to the treatment plan for a mitigated risk.
func (g *Gen) riskTask(r *isms.Risk, owner *isms.User) error {
	status := []isms.TaskStatus{isms.TaskPlanned, isms.TaskPlanned, isms.TaskInProgress, isms.TaskDone}[g.Rand.IntN(4)]
	_, err := g.DB.CreateRiskTask(g.AsRole(isms.RoleCoordinator), g.Org.ID, isms.RiskTaskInput{RiskID: r.ID,
		Title: "Indfør " + fmt.Sprint(len(r.PlannedControls)) + " foranstaltning(er) for " + r.Title, OwnerID: ID(owner),
		Deadline: r.Deadline, Status: status, Controls: r.PlannedControls,
		Description: "Foranstaltningerne indføres og dokumenteres; status følges op kvartalsvis."})
	if err != nil {
		return fmt.Errorf("action for risk %d: %w", r.ID, err)
	}
	return nil
}

func uniqIDs(ids []int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
