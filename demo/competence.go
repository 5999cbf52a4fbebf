package demo

import (
	"fmt"

	"github.com/ismsdk/isms"
)

// Competence (guide 2.5): what Solbjerg Kommune's security roles need,
// and what the holders of the roles have, with their certificates in the
// documentation register, so that every role's needs are met by a holder.

func init() { addStep(470, "competence", fillCompetence) }

// competenceNeed is one need of a role, by the role's template key.
type competenceNeed struct {
	subject, description string
	kind                 isms.CompetenceKind
	level                isms.CompetenceLevel
	provider             string
	validYears           int // a certification's validity; 0 for none
}

var demoCompetenceNeeds = map[string][]competenceNeed{
	"top_management": {{subject: "Ledelsens ansvar for informationssikkerhed", kind: isms.CompetenceTraining, level: isms.LevelBasic,
		description: "Kender ISO 27001's krav til ledelsen og kommunens risikobillede", provider: "KL's lederkursus i informationssikkerhed"}},
	"security_owner": {{subject: "ISO 27001 Lead Implementer", kind: isms.CompetenceCertification, level: isms.LevelPractitioner,
		description: "Kan lede indførelse og vedligehold af ledelsessystemet", provider: "PECB", validYears: 3}},
	"coordinator": {
		{subject: "ISO 27001 Lead Implementer", kind: isms.CompetenceCertification, level: isms.LevelExpert,
			description: "Planlægger og driver ISMS'et og risikovurderingerne", provider: "PECB", validYears: 3},
		{subject: "GDPR og databeskyttelse", kind: isms.CompetenceKnowledge, level: isms.LevelPractitioner,
			description: "Kan vurdere behandlingssikkerhed og brud på persondatasikkerheden", provider: "Dansk IT"},
	},
	"committee": {{subject: "Kommunens risikovurderingsmetode", kind: isms.CompetenceKnowledge, level: isms.LevelBasic,
		description: "Kan læse og udfordre risikovurderingerne", provider: "Intern introduktion"}},
	"system_owner": {{subject: "Systemejerens opgaver og leverandørstyring", kind: isms.CompetenceTraining, level: isms.LevelBasic,
		description: "Adgangsstyring, databehandleraftaler og tilsyn", provider: "Intern uddannelse"}},
	"data_owner": {{subject: "Klassifikation af information", kind: isms.CompetenceKnowledge, level: isms.LevelBasic,
		description: "Kan klassificere data efter kommunens retningslinjer", provider: "Intern uddannelse"}},
	"dpo": {{subject: "Certificeret DPO", kind: isms.CompetenceCertification, level: isms.LevelExpert,
		description: "Databeskyttelsesrådgiverens uafhængige rådgivning og tilsyn", provider: "IAPP (CIPP/E)", validYears: 2}},
	"it_operations": {{subject: "Kommunens hændelsesproces", kind: isms.CompetenceKnowledge, level: isms.LevelPractitioner,
		description: "Håndterer og eskalerer sikkerhedshændelser efter beredskabsplanen", provider: "Intern øvelse"}},
	"all_staff": {{subject: "Grundlæggende informationssikkerhed", kind: isms.CompetenceTraining, level: isms.LevelBasic,
		description: "Awarenesskursus for alle medarbejdere", provider: "Kommunens e-læring"}},
}

func fillCompetence(d *Demo) error {
	coord := d.As(isms.RoleCoordinator)
	roles, err := d.DB.SecurityRoles(coord, d.Org.ID)
	if err != nil {
		return err
	}
	docs, _, err := d.DB.Documents(coord, d.Org.ID, isms.DocumentFilter{Limit: 1, Sort: "title"})
	if err != nil {
		return err
	}
	var evidence *int64
	if len(docs) > 0 {
		evidence = &docs[0].ID
	}
	recorded := map[string]bool{} // person and subject
	planned := false              // one holder's gap, with its development plan
	for _, r := range roles {
		needs, ok := demoCompetenceNeeds[r.TemplateKey]
		if !ok {
			needs = []competenceNeed{{subject: "Grundlæggende informationssikkerhed", kind: isms.CompetenceTraining, level: isms.LevelBasic,
				provider: "Kommunens e-læring"}}
		}
		for _, n := range needs {
			roleID := r.ID
			need, err := d.DB.CreateCompetenceNeed(coord, d.Org.ID, isms.CompetenceNeedInput{RoleID: &roleID, Subject: n.subject, Kind: n.kind,
				Level: n.level, Description: n.description})
			if err != nil {
				return fmt.Errorf("competence need %q of %q: %w", n.subject, r.Name, err)
			}
			var members []isms.RolePerson
			for _, h := range r.Holders {
				if h.Member {
					members = append(members, h)
				}
			}
			for _, h := range r.Holders {
				if !planned && len(members) > 1 && h.Member && h.UserID == members[len(members)-1].UserID && !recorded[fmt.Sprint(h.UserID, n.subject)] {
					// A new holder has yet to take the course; the others
					// meet the need meanwhile.
					planned = true
					if _, err := d.DB.CreateCompetencePlan(coord, d.Org.ID, isms.CompetencePlanInput{NeedID: need.ID, UserID: h.UserID,
						Action: n.provider + ": " + n.subject, OwnerID: d.UserID(isms.RoleCoordinator), DueOn: d.Day(60)}); err != nil {
						return fmt.Errorf("development plan %q: %w", n.subject, err)
					}
					continue
				}
				key := fmt.Sprint(h.UserID, n.subject)
				if !h.Member || recorded[key] {
					continue
				}
				recorded[key] = true
				in := isms.CompetenceInput{UserID: h.UserID, Subject: n.subject, Kind: n.kind, Level: isms.LevelExpert, Provider: n.provider,
					AchievedOn: d.Day(-200)}
				if n.validYears > 0 {
					in.ExpiresOn = d.Day(n.validYears*365 - 200)
					in.EvidenceID = evidence
				}
				if _, err := d.DB.CreateCompetence(coord, d.Org.ID, in); err != nil {
					return fmt.Errorf("competence %q of %d: %w", n.subject, h.UserID, err)
				}
			}
		}
	}
	// A function of the ISMS that is not a role.
	if _, err := d.DB.CreateCompetenceNeed(coord, d.Org.ID, isms.CompetenceNeedInput{Function: "Intern audit", Subject: "ISO 19011 auditteknik",
		Kind: isms.CompetenceTraining, Level: isms.LevelPractitioner, Description: "Den interne auditor planlægger og gennemfører audit af ISMS'et"}); err != nil {
		return err
	}
	return nil
}
