package demo

import (
	"fmt"

	"github.com/ismsdk/isms"
)

// Management review (guide 2.9 "Ledelsesmæssig opfølgning", clause 9.3):
// the security committee's annual review of the ISMS. The coordinator
// prepared the pack from the records (the measurement programme, the
// audit's nonconformities, the objectives, the risk treatment plan, the
// improvements), wrote the interested parties' feedback and the threat
// landscape, froze the pack and sent it; the committee met and recorded
// its decisions with owners and due dates. It runs after the audit and
// measurement steps, so the pack carries their results.

func init() { addStep(750, "management review", fillManagementReview) }

func fillManagementReview(d *Demo) error {
	ctx := d.As(isms.RoleCoordinator)
	forums, err := d.DB.Forums(ctx, d.Org.ID)
	if err != nil {
		return err
	}
	in := isms.ManagementReviewInput{Title: fmt.Sprintf("Ledelsens evaluering af ISMS'et %d", d.Today.Year()), ReviewDate: d.Day(0),
		Feedback: "Borgerpanelet har bedt om klarere information, når kommunen har haft et brud på persondatasikkerheden. " +
			"Revisionen har i sin årlige erklæring bemærket, at adgangsrettigheder til økonomisystemet ikke blev gennemgået i første halvår. " +
			"Medarbejderne melder i trivselsmålingen, at e-læringen om phishing var relevant, men for lang.",
		ThreatLandscape: "Styrelsen for Samfundssikkerhed vurderer truslen fra cyberkriminalitet mod kommuner som MEGET HØJ. " +
			"Ransomware-angreb via leverandører og phishing med kunstigt genererede mails er steget i årets løb; " +
			"to nabokommuner har haft nedbrud af borgerrettede systemer.",
	}
	if len(forums) > 0 {
		in.ForumID = &forums[0].ID
	}
	r, err := d.DB.CreateManagementReview(ctx, d.Org.ID, in)
	if err != nil {
		return fmt.Errorf("management review: %w", err)
	}
	// The first review in the tool has no earlier review's actions: the
	// coordinator declares that input as having nothing to report, as for
	// any other input the records leave empty this period.
	p, err := d.DB.ManagementReviewPack(ctx, d.Org.ID, r.ID)
	if err != nil {
		return err
	}
	for _, k := range isms.ReviewInputs {
		if !p.HasContent(k) {
			in.NothingToReport = append(in.NothingToReport, k)
		}
	}
	in.Version = r.Version
	if r, err = d.DB.UpdateManagementReview(ctx, d.Org.ID, r.ID, in); err != nil {
		return fmt.Errorf("management review inputs: %w", err)
	}
	if r, err = d.DB.SendManagementReview(ctx, d.Org.ID, r.ID, r.Version); err != nil {
		return fmt.Errorf("send the pack: %w", err)
	}
	if r, err = d.DB.HoldManagementReview(ctx, d.Org.ID, r.ID, r.Version); err != nil {
		return fmt.Errorf("hold the review: %w", err)
	}
	in.Minutes = "Udvalget gennemgik materialet punkt for punkt. Målingerne viser, at patch-tiden fortsat ligger over tærsklen; " +
		"auditfundene er under behandling. Udvalget vurderer, at ISMS'et er egnet og tilstrækkeligt, men at effektiviteten " +
		"skal styrkes på opdateringer og leverandørstyring."
	in.Version = r.Version
	if _, err = d.DB.UpdateManagementReview(ctx, d.Org.ID, r.ID, in); err != nil {
		return fmt.Errorf("minutes: %w", err)
	}
	mgmt := d.As(isms.RoleManagement)
	for _, dec := range []isms.ReviewDecisionInput{
		{Kind: isms.DecisionImprovement, Text: "Indfør automatisk udrulning af kritiske sikkerhedsopdateringer på alle servere.",
			OwnerID: d.UserID(isms.RoleContributor), DueOn: d.Day(120)},
		{Kind: isms.DecisionISMSChange, Text: "Leverandørstyringen udvides med krav om beredskabsplan ved ransomware hos kritiske leverandører.",
			OwnerID: d.UserID(isms.RoleCoordinator), DueOn: d.Day(90)},
		{Kind: isms.DecisionResources, Text: "Afsæt en ekstra halv stilling til informationssikkerhed fra næste budgetår.",
			OwnerID: d.UserID(isms.RoleManagement), DueOn: d.Day(60), Status: isms.FollowUpInProgress,
			Note: "Indgår i budgetforslaget til byrådet."},
	} {
		if _, err := d.DB.CreateReviewDecision(mgmt, d.Org.ID, r.ID, dec); err != nil {
			return fmt.Errorf("review decision: %w", err)
		}
	}
	return nil
}
