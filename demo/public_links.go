package demo

import (
	"fmt"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// Secret links (guide 2.9): Solbjerg Kommune has the public reporting link
// on, shared on the intranet, and one event came in through it last night
// and awaits triage; and the IT-support supplier, due for its next
// supervision, has answered the supplier questionnaire sent ahead of it.

func init() { addStep(715, "reporting link and supplier questionnaire", fillPublicLinks) }

// demoAnswers are the IT-support supplier's answers to the default
// questions, in order.
var demoAnswers = []isms.QuestionnaireResponse{
	{Answer: isms.QuestionnaireNo, Comment: "Vi arbejder efter ISO 27001, men er ikke certificeret. Certificering er planlagt til 2027."},
	{Answer: isms.QuestionnaireYes, Comment: "ISAE 3000-erklæring (type 2) for det seneste kalenderår; sendes på forespørgsel."},
	{Answer: isms.QuestionnairePartly, Comment: "Én underleverandør (fjernsupportværktøj); tilsyn ved årlig gennemgang af deres erklæring."},
	{Answer: isms.QuestionnaireYes, Comment: "Inden for 24 timer til kommunens servicedesk og informationssikkerhedskoordinator."},
	{Answer: isms.QuestionnaireYes, Comment: "Personlige konti med MFA; adgang gennemgås hvert kvartal."},
	{Answer: isms.QuestionnaireYes},
	{Answer: isms.QuestionnaireYes},
	{Answer: isms.QuestionnaireYes, Comment: "Al behandling sker i Danmark."},
	{Answer: isms.QuestionnairePartly, Comment: "Straffeattest ved ansættelse; ingen løbende screening."},
	{Answer: isms.QuestionnaireYes, Comment: "Exitplan er bilag 4 til serviceaftalen."},
}

func fillPublicLinks(d *Demo) error {
	ctx := d.As(isms.RoleCoordinator)
	token, _, err := d.DB.CreateIncidentIntakeLink(ctx, d.Org.ID)
	if err != nil {
		return fmt.Errorf("reporting link: %w", err)
	}
	detected := d.Today.Time.Add(-6 * time.Hour)
	if err := d.DB.ReportEventByLink(d.ctx, token, isms.IncidentEventInput{Title: "Ukendt person fulgte med ind ad personaleindgangen",
		Description: "En person uden synligt adgangskort gik med ind bag en medarbejder ved personaleindgangen på rådhuset og forsvandt op ad trappen.",
		DetectedAt:  isms.InstantOf(detected), Location: "Rådhuset, personaleindgangen"}); err != nil {
		return fmt.Errorf("event through the reporting link: %w", err)
	}

	sups, _, err := d.DB.Suppliers(ctx, d.Org.ID, isms.SupplierFilter{Query: "Solbjerg IT-Service"})
	if err != nil {
		return err
	}
	if len(sups) != 1 {
		return fmt.Errorf("demo data: %d suppliers named Solbjerg IT-Service", len(sups))
	}
	sv, err := d.DB.CreateSupervision(ctx, d.Org.ID, sups[0].ID, isms.SupervisionInput{Method: isms.SupervisionQuestionnaire, PlannedOn: d.Day(30)})
	if err != nil {
		return fmt.Errorf("questionnaire supervision: %w", err)
	}
	questions := make([]string, isms.DefaultQuestionnaireQuestions)
	for i := range questions {
		questions[i] = i18n.T("da", i18n.Key(fmt.Sprintf("pub.q.%d", i+1)))
	}
	qtoken, q, err := d.DB.CreateQuestionnaire(ctx, d.Org.ID, sv.ID, isms.QuestionnaireInput{Questions: questions, ExpiresOn: d.Day(21),
		SendTo: "servicedesk@solbjerg-it.example"})
	if err != nil {
		return fmt.Errorf("questionnaire: %w", err)
	}
	answers := make([]isms.QuestionnaireResponse, len(q.Questions))
	for i, x := range q.Questions {
		answers[i] = demoAnswers[i%len(demoAnswers)]
		answers[i].QuestionID = x.ID
	}
	if _, err := d.DB.AnswerQuestionnaire(d.ctx, qtoken, isms.QuestionnaireAnswersInput{Answers: answers, Submit: true,
		RespondentName: "Mikkel Sørensen, servicechef", RespondentEmail: "mikkel.sorensen@solbjerg-it.example"}); err != nil {
		return fmt.Errorf("answers to the questionnaire: %w", err)
	}
	return nil
}
