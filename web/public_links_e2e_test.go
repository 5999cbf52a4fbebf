package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ismsdk/isms"
)

// TestBrowserSupplierAnswersQuestionnaire drives the supplier's side in
// headless Chromium, without logging in: open the link, answer the first
// question and save a draft, come back and find it kept, answer the rest
// with the respondent's name and address and submit; the page then shows
// the answers only, and the supervision holds them.
func TestBrowserSupplierAnswersQuestionnaire(t *testing.T) {
	ctx := startBrowser(t)
	e := newEnv(t)
	coord := e.member("coord@example.org", e.org, isms.RoleCoordinator)
	_, sv := qnSupervision(t, e, coord)
	until := isms.DateOf(e.db.Now()).AddDays(10)
	token, q, err := e.db.CreateQuestionnaire(e.as(coord), e.org.ID, sv.ID, isms.QuestionnaireInput{
		Questions: []string{"Are you certified to ISO/IEC 27001?", "Is our data stored in the EU/EEA only?"}, ExpiresOn: &until})
	if err != nil {
		t.Fatal(err)
	}
	link := e.srv.URL + "/questionnaire/" + token
	radio := func(i int, answer string) string {
		return fmt.Sprintf(`input[name="answer_%d"][value="%s"]`, q.Questions[i].ID, answer)
	}
	comment := func(i int) string { return fmt.Sprintf(`#comment_%d`, q.Questions[i].ID) }
	err = chromedp.Do(ctx,
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS(radio(0, "yes"))),
		chromedp.Click(chromedp.CSS(radio(0, "yes"))),
		chromedp.SendKeys(chromedp.CSS(comment(0)), "Certified since 2024"),
		chromedp.Click(chromedp.CSS(`button[value="draft"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice[role="status"]`)),
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS(radio(1, "partly"))),
	)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector('%s').checked`, radio(0, "yes"))))
	if err != nil || !kept {
		t.Fatalf("the draft's answer is not kept: %v", err)
	}
	// Submitting with the second question unanswered is refused, and the
	// form comes back with the error at the question and the answers kept.
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#f-respondent_name`), "Ida Holm"),
		chromedp.SendKeys(chromedp.CSS(`#f-respondent_email`), "ida@nordhavn.example"),
		chromedp.Click(chromedp.CSS(`button[value="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#e-answer_%d:not([hidden])`, q.Questions[1].ID))),
		chromedp.Click(chromedp.CSS(radio(1, "partly"))),
		chromedp.SendKeys(chromedp.CSS(comment(1)), "Backups in Norway"),
		chromedp.Click(chromedp.CSS(`button[value="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`dl.answers`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	shown, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
	if err != nil || !strings.Contains(shown, "Certified since 2024") || !strings.Contains(shown, "Backups in Norway") || !strings.Contains(shown, "Ida Holm") {
		t.Fatalf("submitted page: %v\n%s", err, shown)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('main textarea, main button[type=submit]').length`)); n != 0 {
		t.Fatalf("the submitted questionnaire still has %d fields or buttons", n)
	}
	got, err := e.db.SupervisionQuestionnaire(e.as(coord), e.org.ID, sv.ID)
	if err != nil || got.Status != isms.QuestionnaireSubmitted || got.RespondentName != "Ida Holm" || got.Questions[0].Answer != isms.QuestionnaireYes ||
		got.Questions[1].Answer != isms.QuestionnairePartly || got.Questions[1].Comment != "Backups in Norway" {
		t.Fatalf("stored %+v %v", got, err)
	}
}
