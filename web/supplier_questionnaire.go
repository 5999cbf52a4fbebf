package web

import (
	"fmt"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// The supplier questionnaire (guide 2.9, Annex A 5.22): on a supervision
// by questionnaire the coordinator makes one from the default questions
// on supplier security (edited as they like) and gets a secret link,
// shown once and mailed to the supplier when the server can send mail;
// the supplier answers through /questionnaire/{token} without an
// account, saving drafts and then submitting; the answers show on the
// supervision's page. As with the reporting link, the token in the
// address is the secret, so the public form needs no nonce of its own
// (see incident_intake.go), and writes are throttled per client.

// Per client address: 30 saves at once, then one every two seconds, as
// for the acknowledgement page: a supplier's whole staff may sit behind
// one address.
const (
	questionnaireBurst  = 30
	questionnairePerSec = 0.5
)

// publicQuestionnaireMaxBody bounds a submission: at most 60 questions,
// each with a comment of at most 4 000 characters, in UTF-8 and form
// encoding.
const publicQuestionnaireMaxBody = 1 << 20

// questionnaireLinkDays is the default time the supplier gets to answer.
const questionnaireLinkDays = 30

// defaultQuestions is the default question set on supplier security in
// the language given.
func defaultQuestions(lang string) []string {
	out := make([]string, isms.DefaultQuestionnaireQuestions)
	for i := range out {
		out[i] = i18n.T(lang, i18n.Key(fmt.Sprintf("pub.q.%d", i+1)))
	}
	return out
}

// contactAddress finds an e-mail address in a supplier's contact text,
// to offer as the address the link is mailed to.
func contactAddress(contact string) string {
	for _, f := range strings.FieldsFunc(contact, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '<' || r == '>' }) {
		if a, err := mail.ParseAddress(f); err == nil && strings.Contains(a.Address, ".") {
			return a.Address
		}
	}
	return ""
}

type qnFormData struct {
	Supervision *isms.Supervision
	Supplier    *isms.Supplier
	Questions   string
	ExpiresOn   isms.Date
	SendTo      string
	Mail        bool
}

func (s *Server) qnNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderQnForm(w, r, s.newPage(r, "title.questionnaire_new"), http.StatusOK)
}

func (s *Server) renderQnForm(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	v, err := s.loadSupervision(r)
	if err != nil {
		return err
	}
	sup, err := s.Suppliers.Supplier(r.Context(), v.OrganisationID, v.SupplierID)
	if err != nil {
		return err
	}
	p.Data = qnFormData{Supervision: v, Supplier: sup, Questions: strings.Join(defaultQuestions(p.Lang), "\n"),
		ExpiresOn: isms.DateOf(s.cfg.Now()).AddDays(questionnaireLinkDays), SendTo: contactAddress(sup.Contact), Mail: s.Mail != nil}
	s.render(w, status, "supplier_questionnaire_new", p)
	return nil
}

func qnInputFromForm(r *http.Request) (isms.QuestionnaireInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.QuestionnaireInput{Questions: strings.Split(f.Get("questions"), "\n"),
		ExpiresOn: parseOptionalDate(&v, "expires_on", f.Get("expires_on")), SendTo: f.Get("send_to")}
	return in, v.Err()
}

// qnSent is what became of a new questionnaire's link: its address,
// shown this once, and whether it was mailed.
type qnSent struct {
	Token, URL         string
	Mailed, MailFailed bool
}

// createQuestionnaire makes the questionnaire and mails its link when an
// address is given and the server can send mail.
func (s *Server) createQuestionnaire(r *http.Request, orgID, supervisionID int64, in isms.QuestionnaireInput) (*isms.SupplierQuestionnaire, qnSent, error) {
	token, q, err := s.Questionnaires.CreateQuestionnaire(r.Context(), orgID, supervisionID, in)
	if err != nil {
		return nil, qnSent{}, err
	}
	sent := qnSent{Token: token, URL: s.baseURL(r) + "/questionnaire/" + token}
	if s.Mail != nil && q.SentTo != "" {
		subject, body := questionnaireMail(i18n.Negotiate(r), q, sent.URL)
		if err := s.Mail.Send(r.Context(), "", q.SentTo, subject, body); err != nil {
			s.log.ErrorContext(r.Context(), "mail supplier questionnaire", "questionnaire", q.ID, "err", err)
			sent.MailFailed = true
		} else {
			sent.Mailed = true
		}
	}
	return q, sent, nil
}

// questionnaireMail writes the mail with the link, in the sender's
// language.
func questionnaireMail(lang string, q *isms.SupplierQuestionnaire, link string) (subject, body string) {
	t := translator(lang)
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }
	line(t("pub.mail_body", q.OrganisationName, q.SupplierName))
	line("")
	line(t("pub.mail_open", q.ExpiresOn.String()))
	line(link)
	return t("pub.mail_subject", q.OrganisationName), b.String()
}

func (s *Server) qnCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadSupervision(r)
	if err != nil {
		return err
	}
	in, err := qnInputFromForm(r)
	var sent qnSent
	if err == nil {
		_, sent, err = s.createQuestionnaire(r, v.OrganisationID, v.ID, in)
	}
	if err != nil {
		return s.formRefused(r, err, s.newPage(r, "title.questionnaire_new"), nil,
			func(p *page, status int) error { return s.renderQnForm(w, r, p, status) })
	}
	// The link is shown on this answer only, never in a redirect's
	// address or a cache.
	w.Header().Set("Cache-Control", "no-store")
	p := s.newPage(r, "title.supervision")
	p.Flash = p.T("pub.flash.questionnaire_created")
	return s.renderSupervision(w, r, p, &sent, http.StatusOK)
}

func (s *Server) qnReopenSubmit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadSupervision(r)
	if err != nil {
		return err
	}
	var val isms.Validation
	in := isms.QuestionnaireReopenInput{ExpiresOn: parseOptionalDate(&val, "expires_on", r.PostForm.Get("expires_on")), Version: formVersion(r)}
	err = val.Err()
	if err == nil {
		_, err = s.Questionnaires.ReopenQuestionnaire(r.Context(), v.OrganisationID, v.ID, in)
	}
	if err != nil {
		if c := isms.ErrorCode(err); c == isms.EInvalid || c == isms.EConflict {
			p := s.newPage(r, "title.supervision")
			p.setError(err)
			p.Form = r.PostForm
			return s.renderSupervision(w, r, p, nil, s.status(r, err))
		}
		return err
	}
	s.redirect(w, r, p0(r, idPath("/supplier-supervisions/", v.ID)), "pub.flash.questionnaire_reopened")
	return nil
}

func (s *Server) qnRevokeSubmit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadSupervision(r)
	if err != nil {
		return err
	}
	if err := s.Questionnaires.RevokeQuestionnaire(r.Context(), v.OrganisationID, v.ID, formVersion(r)); err != nil {
		return err
	}
	s.redirect(w, r, p0(r, idPath("/supplier-supervisions/", v.ID)), "pub.flash.questionnaire_revoked")
	return nil
}

// The public page.

type qnPublicData struct {
	Q       *isms.SupplierQuestionnaire
	Token   string
	Answers []isms.QuestionnaireAnswer
	// Saved is set after a draft is saved.
	Saved bool
}

func (s *Server) qnPublicPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderQnPublic(w, r, s.newPage(r, "title.questionnaire_public"), false, http.StatusOK)
}

func (s *Server) renderQnPublic(w http.ResponseWriter, r *http.Request, p *page, saved bool, status int) error {
	// The address holds the secret: keep it out of caches.
	w.Header().Set("Cache-Control", "no-store")
	token := r.PathValue("token")
	q, err := s.Questionnaires.QuestionnaireByToken(r.Context(), token)
	if err != nil {
		return err
	}
	p.Data = qnPublicData{Q: q, Token: token, Answers: isms.QuestionnaireAnswers, Saved: saved}
	s.render(w, status, "supplier_questionnaire_public", p)
	return nil
}

// qnAnswersFromForm reads the answers: answer_<id> and comment_<id> per
// question, the respondent, and which button was pressed.
func qnAnswersFromForm(r *http.Request) (isms.QuestionnaireAnswersInput, error) {
	f := r.PostForm
	in := isms.QuestionnaireAnswersInput{RespondentName: f.Get("respondent_name"), RespondentEmail: f.Get("respondent_email"),
		Submit: f.Get("action") == "submit"}
	// A question is in the answers when its answer or its comment is
	// sent: a comment written before choosing an answer is kept too.
	var v isms.Validation
	seen := map[string]bool{}
	for key := range f {
		idText, ok := strings.CutPrefix(key, "answer_")
		if !ok {
			if idText, ok = strings.CutPrefix(key, "comment_"); !ok {
				continue
			}
		}
		if seen[idText] {
			continue
		}
		seen[idText] = true
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil {
			v.Add("answers", "err.unknown_reference")
			continue
		}
		in.Answers = append(in.Answers, isms.QuestionnaireResponse{QuestionID: id, Answer: isms.QuestionnaireAnswer(f.Get("answer_" + idText)),
			Comment: f.Get("comment_" + idText)})
	}
	return in, v.Err()
}

func (s *Server) qnPublicSubmit(w http.ResponseWriter, r *http.Request) error {
	if ok, wait := s.questionnaires.allow(s.clientAddr(r), s.cfg.Now()); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)+1))
		return isms.Errorf(isms.ETooMany, "pub.err.too_many", int(wait/time.Second)+1)
	}
	in, err := qnAnswersFromForm(r)
	if err == nil {
		_, err = s.Questionnaires.AnswerQuestionnaire(r.Context(), r.PathValue("token"), in)
	}
	p := s.newPage(r, "title.questionnaire_public")
	if err != nil {
		c := isms.ErrorCode(err)
		if c != isms.EInvalid && c != isms.EConflict {
			return err
		}
		p.setError(err)
		if c == isms.EInvalid {
			p.Form = r.PostForm
		}
		return s.renderQnPublic(w, r, p, false, s.status(r, err))
	}
	return s.renderQnPublic(w, r, p, !in.Submit, http.StatusOK)
}

// QuestionnaireCreated is the API's answer to a new questionnaire: the
// link's address and token, shown this once, whether it was mailed, and
// the questionnaire.
type QuestionnaireCreated struct {
	Token         string                      `json:"token"`
	URL           string                      `json:"url"`
	Mailed        bool                        `json:"mailed"`
	Questionnaire *isms.SupplierQuestionnaire `json:"questionnaire"`
}

func (s *Server) qnCreateAPI(r *http.Request) (any, error) {
	org, id, err := pathIDs(r)
	if err != nil {
		return nil, err
	}
	var in isms.QuestionnaireInput
	if err := decodeJSON(r, &in); err != nil {
		return nil, err
	}
	q, sent, err := s.createQuestionnaire(r, org, id, in)
	if err != nil {
		return nil, err
	}
	return &QuestionnaireCreated{Token: sent.Token, URL: sent.URL, Mailed: sent.Mailed, Questionnaire: q}, nil
}
