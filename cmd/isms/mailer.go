package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/ismsdk/isms"
)

// smtpMailer is the web server's isms.Mailer: the SMTP settings of the
// reminders (--smtp-addr and friends), one message per call.
type smtpMailer struct {
	cfg mailConfig
	now func() time.Time
}

func (m smtpMailer) Send(_ context.Context, toName, toAddress, subject, body string) error {
	err := m.send(toName, toAddress, subject, body)
	m.cfg.Metrics.Mail(err)
	return err
}

func (m smtpMailer) send(toName, toAddress, subject, body string) error {
	msg, err := buildMail(m.cfg.From, toName, toAddress, subject, body, m.now())
	if err != nil {
		return err
	}
	return sendMail(m.cfg, toAddress, msg)
}

// mailer is the mailer the SMTP flags configure, or nil without
// --smtp-addr (the web server then shows invitation links to the inviter).
func (f *reminderFlags) mailer(log *slog.Logger) isms.Mailer {
	if f.mail.Addr == "" {
		return nil
	}
	if err := f.resolve(); err != nil {
		log.Error("invitation mails are off", "err", err)
		return nil
	}
	return smtpMailer{cfg: f.mail, now: time.Now}
}
