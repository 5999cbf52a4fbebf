package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
	"github.com/ismsdk/isms/metrics"
	"github.com/ismsdk/isms/sqlstore"
)

// Notifications of everything assigned (sqlstore/notifications.go): isms
// serve creates them on the reminders' ticker and, with an SMTP server,
// mails them; `isms notifications send` does one round (for cron). Without
// --smtp-addr a round still fills the inboxes. Each mail is claimed in the
// database before it is sent, so several instances send it once.

type notificationResult struct {
	Created               int
	Sent, Failed, Skipped int
}

// sendNotifications runs one round: create the notifications due, then,
// when mail is on (cfg.Addr set), send the mails due, each claimed before
// it is sent and its outcome recorded after.
func sendNotifications(ctx context.Context, store isms.NotificationStore, cfg mailConfig, baseURL string, now func() time.Time) (notificationResult, error) {
	var res notificationResult
	n, err := store.GenerateNotifications(ctx, cfg.Addr != "")
	res.Created = n
	if err != nil || cfg.Addr == "" {
		return res, err
	}
	mails, err := store.PendingNotificationMails(ctx)
	if err != nil {
		return res, err
	}
	for _, m := range mails {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		m.Subject, _ = composeNotificationMail(m, baseURL)
		claimed, err := store.ClaimNotificationMail(ctx, m)
		if err != nil {
			return res, err
		}
		if !claimed {
			res.Skipped++
			continue
		}
		// The claim settles what the mail carries: write it again from that.
		subject, body := composeNotificationMail(m, baseURL)
		err = smtpMailer{cfg: cfg, now: now}.Send(ctx, m.Name, m.Email, subject, body)
		if err != nil {
			res.Failed++
		} else {
			res.Sent++
		}
		if ferr := store.FinishNotificationMail(ctx, m.LogID, err); ferr != nil {
			return res, ferr
		}
	}
	return res, nil
}

// notifLine is one notification as a line of a mail: what happened, to
// which item, when due.
func notifLine(t func(i18n.Key, ...any) string, n *isms.Notification) string {
	title := n.Title
	if title == "" {
		title = t(i18n.Key("notif.source." + n.Source))
	} else {
		title = t(i18n.Key("notif.source."+n.Source)) + ": " + title
	}
	s := t(i18n.Key("notif.event."+string(n.Event))) + " – " + title
	if c := n.Clock(); c != nil {
		// The clock runs to the minute: its deadline, not only its day.
		return s + " – " + t("notif.clock", t(i18n.Key("inc.regime."+c.Regime)), t(i18n.Key("inc.kind."+c.Regime+"."+c.Kind)),
			t(i18n.Key("notif.clock_state."+c.State))) + " – " + t("notif.msg_due", c.Deadline)
	}
	if n.Due != nil {
		s += " – " + t("notif.msg_due", n.Due.String())
	}
	return s
}

// composeNotificationMail writes a notification mail's subject and body in
// the recipient's language.
func composeNotificationMail(m *isms.NotificationMail, baseURL string) (string, string) {
	t := func(key i18n.Key, args ...any) string { return i18n.T(m.Lang, key, args...) }
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }
	link := func(path string) string { return fmt.Sprintf("%s/orgs/%d%s", baseURL, m.OrganisationID, path) }
	line(t("notif.msg_greeting", m.Name))
	line("")
	var subject string
	if m.Kind == isms.NotificationMailSingle && len(m.Items) == 1 {
		n := m.Items[0]
		title := n.Title
		if title == "" {
			title = t(i18n.Key("notif.source." + n.Source))
		}
		subject = t(i18n.Key("notif.msg_subject."+string(n.Event)), title)
		if n.Event == isms.NotifyEscalation {
			// Also to the coordinators, to whom the incident is not assigned.
			line(t("notif.msg_escalation_body", m.OrganisationName))
		} else {
			line(t("notif.msg_single_body", m.OrganisationName))
		}
		line("")
		line(notifLine(t, n))
		if baseURL != "" {
			line(link(n.Path))
		}
	} else {
		subject = t(i18n.Key("notif.msg_digest_subject."+string(m.Digest)), m.OrganisationName, len(m.Items))
		line(t("notif.msg_digest_body", m.OrganisationName))
		for _, n := range m.Items {
			line("")
			line("- " + notifLine(t, n))
			if baseURL != "" {
				line("  " + link(n.Path))
			}
		}
	}
	if baseURL != "" {
		line("")
		line(t("notif.msg_inbox"))
		line(link("/inbox"))
	}
	line("")
	line("-- ")
	line(t("notif.msg_footer"))
	return subject, b.String()
}

// runNotificationLoop fills the inboxes every interval, with or without
// an SMTP server, and mails when one is configured.
func runNotificationLoop(ctx context.Context, store *sqlstore.DB, f *reminderFlags, log *slog.Logger, m *metrics.Metrics) {
	cfg := f.mail
	if cfg.Addr != "" {
		if err := f.resolve(); err != nil {
			log.Error("notification mails are off", "err", err)
			cfg.Addr = ""
		}
	}
	if f.interval < time.Minute {
		f.interval = 15 * time.Minute
	}
	repeat(ctx, f.interval, func() {
		start := time.Now()
		res, err := sendNotifications(ctx, store, cfg, f.baseURL, store.Now)
		if ctx.Err() == nil {
			m.JobRun("notifications", start, err)
		}
		if err != nil && ctx.Err() == nil {
			log.Error("notifications", "err", err)
		} else if res.Created+res.Sent+res.Failed > 0 {
			log.Info("notifications", "created", res.Created, "sent", res.Sent, "failed", res.Failed, "skipped", res.Skipped)
		}
	})
}

func cmdNotificationsSend(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("notifications send", flag.ContinueOnError)
	db := dbFlag(fs)
	var f reminderFlags
	f.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if f.mail.Addr != "" {
		if err := f.resolve(); err != nil {
			return fmt.Errorf("notifications send: %w", err)
		}
	}
	if err := mustExist(*db); err != nil {
		return fmt.Errorf("notifications send: %w", err)
	}
	store, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	res, err := sendNotifications(ctx, store, f.mail, f.baseURL, store.Now)
	if f.mail.Addr == "" {
		fmt.Fprintf(stdout, "Notifications: %d new in the inboxes; no mail sent (no --smtp-addr).\n", res.Created)
	} else {
		fmt.Fprintf(stdout, "Notifications: %d new in the inboxes; %d mails sent, %d failed, %d sent by another instance or with nothing left to send.\n",
			res.Created, res.Sent, res.Failed, res.Skipped)
	}
	if err == nil && res.Failed > 0 {
		err = errors.New("notifications send: " + fmt.Sprint(res.Failed) + " mails failed; they are tried again on the next runs")
	}
	return err
}
