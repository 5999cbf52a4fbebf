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

// Reminders of the annual wheel by e-mail: isms serve sends them every few
// minutes when an SMTP server is configured, and `isms reminders send`
// sends them once (for cron, or where the web server runs without mail).
// Several instances may run at once: each reminder is claimed in the
// database before it is sent.

// reminderFlags are the mail settings of serve and of reminders send.
type reminderFlags struct {
	mail     mailConfig
	baseURL  string
	interval time.Duration
}

func (f *reminderFlags) register(fs *flag.FlagSet) {
	envStringVar(fs, &f.mail.Addr, "smtp-addr", "ISMS_SMTP_ADDR", "", "SMTP server for reminder, notification and invitation mails, `host:port`; none sends no mail (notifications then fill the inboxes only)")
	envStringVar(fs, &f.mail.From, "smtp-from", "ISMS_SMTP_FROM", "", "sender of reminder mails, e.g. \"ISMS <isms@example.org>\"")
	envStringVar(fs, &f.mail.User, "smtp-user", "ISMS_SMTP_USER", "", "SMTP user name, if the server wants one")
	envSecret(fs, &f.mail.Password, "smtp-password", "ISMS_SMTP_PASSWORD", "SMTP password; sent only over TLS or to this machine")
	envBoolVar(fs, &f.mail.ImplicitTLS, "smtp-implicit-tls", "ISMS_SMTP_IMPLICIT_TLS", false, "speak TLS from the start (port 465) instead of STARTTLS")
	envStringVar(fs, &f.baseURL, "base-url", "ISMS_BASE_URL", "", "the `address` users reach the product at, for links in mails and the calendar feed, e.g. https://isms.example.org")
	envDurationVar(fs, &f.interval, "reminder-interval", "ISMS_REMINDER_INTERVAL", 15*time.Minute, "how often serve looks for reminders to send")
}

// resolve checks the settings (the password file was read with the flags).
func (f *reminderFlags) resolve() error {
	if f.baseURL != "" && !strings.HasPrefix(f.baseURL, "http://") && !strings.HasPrefix(f.baseURL, "https://") {
		return fmt.Errorf("--base-url %q: want http:// or https://", f.baseURL)
	}
	f.baseURL = strings.TrimRight(f.baseURL, "/")
	if f.interval < time.Minute {
		return fmt.Errorf("--reminder-interval %s: at least one minute", f.interval)
	}
	return f.mail.check()
}

func runReminderLoop(ctx context.Context, store *sqlstore.DB, f *reminderFlags, log *slog.Logger, m *metrics.Metrics) {
	if f.mail.Addr == "" {
		log.Info("reminder mails are off: no --smtp-addr")
		return
	}
	if err := f.resolve(); err != nil {
		log.Error("reminder mails are off", "err", err)
		return
	}
	if f.baseURL == "" {
		log.Warn("reminder mails carry no links: set --base-url")
	}
	log.Info("reminder mails on", "smtp", f.mail.Addr, "every", f.interval)
	repeat(ctx, f.interval, func() {
		start := time.Now()
		res, err := sendReminders(ctx, store, f.mail, f.baseURL, store.Now)
		if ctx.Err() == nil {
			m.JobRun("reminders", start, err)
		}
		if err != nil && ctx.Err() == nil {
			log.Error("reminders", "err", err)
		} else if res.Sent+res.Failed > 0 {
			log.Info("reminders", "sent", res.Sent, "failed", res.Failed, "skipped", res.Skipped)
		}
	})
}

func cmdRemindersSend(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("reminders send", flag.ContinueOnError)
	db := dbFlag(fs)
	var f reminderFlags
	f.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if f.mail.Addr == "" {
		return errors.New("reminders send: --smtp-addr (or ISMS_SMTP_ADDR) is required")
	}
	if err := f.resolve(); err != nil {
		return fmt.Errorf("reminders send: %w", err)
	}
	if err := mustExist(*db); err != nil {
		return fmt.Errorf("reminders send: %w", err)
	}
	store, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	res, err := sendReminders(ctx, store, f.mail, f.baseURL, store.Now)
	fmt.Fprintf(stdout, "Reminders: %d sent, %d failed, %d no longer due or sent by another instance.\n", res.Sent, res.Failed, res.Skipped)
	if err == nil && res.Failed > 0 {
		err = fmt.Errorf("reminders send: %d mails failed; see the reminder log", res.Failed)
	}
	return err
}

type reminderResult struct{ Sent, Failed, Skipped int }

// sendReminders runs one round: the reminders due, each claimed before it
// is sent and its outcome recorded after.
func sendReminders(ctx context.Context, store isms.ReminderStore, cfg mailConfig, baseURL string, now func() time.Time) (reminderResult, error) {
	var res reminderResult
	rs, err := store.PendingReminders(ctx)
	if err != nil {
		return res, err
	}
	for _, r := range rs {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		subject, body := composeReminder(r, baseURL)
		r.Subject = subject
		claimed, err := store.ClaimReminder(ctx, r)
		if err != nil {
			return res, err
		}
		if !claimed {
			res.Skipped++
			continue
		}
		err = smtpMailer{cfg: cfg, now: now}.Send(ctx, r.Name, r.Email, subject, body)
		if err != nil {
			res.Failed++
		} else {
			res.Sent++
		}
		if ferr := store.FinishReminder(ctx, r.LogID, err); ferr != nil {
			return res, ferr
		}
	}
	return res, nil
}

// composeReminder writes a reminder's subject and body in the recipient's
// language.
func composeReminder(r *isms.Reminder, baseURL string) (string, string) {
	t := func(key i18n.Key, args ...any) string { return i18n.T(r.Lang, key, args...) }
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }
	line(t("wheel.msg_greeting", r.Name))
	line("")
	var subject string
	switch r.Kind {
	case isms.ReminderDue, isms.ReminderOverdue:
		it := r.Items[0]
		if r.Kind == isms.ReminderDue {
			subject = t("wheel.msg_due_subject", it.ActivityTitle, it.Due.String())
			line(t("wheel.msg_due_body", it.ActivityTitle, r.OrganisationName, it.Due.String()))
		} else {
			subject = t("wheel.msg_overdue_subject", it.ActivityTitle, it.Due.String())
			line(t("wheel.msg_overdue_body", it.ActivityTitle, r.OrganisationName, it.Due.String()))
		}
		if it.RecordText != "" {
			line(t("wheel.msg_record", it.RecordText))
		}
		if baseURL != "" {
			line("")
			line(t("wheel.msg_act"))
			line(fmt.Sprintf("%s/orgs/%d/wheel/occurrences/%d", baseURL, r.OrganisationID, it.OccurrenceID))
		}
	case isms.ReminderDigest:
		var due, over []isms.ReminderItem
		for _, it := range r.Items {
			if it.Overdue {
				over = append(over, it)
			} else {
				due = append(due, it)
			}
		}
		subject = t("wheel.msg_digest_subject", r.OrganisationName, len(due), len(over))
		line(t("wheel.msg_digest_body", r.OrganisationName))
		for _, part := range []struct {
			key   string
			items []isms.ReminderItem
		}{{"wheel.msg_digest_overdue", over}, {"wheel.msg_digest_due", due}} {
			if len(part.items) == 0 {
				continue
			}
			line("")
			line(t(i18n.Key(part.key)))
			for _, it := range part.items {
				owner := it.OwnerName
				if owner == "" {
					owner = t("wheel.msg_no_owner")
				}
				line("- " + t("wheel.msg_digest_item", it.Due.String(), it.ActivityTitle, owner))
				if baseURL != "" {
					line(fmt.Sprintf("  %s/orgs/%d/wheel/occurrences/%d", baseURL, r.OrganisationID, it.OccurrenceID))
				}
			}
		}
		if baseURL != "" {
			line("")
			line(t("wheel.msg_digest_open"))
			line(fmt.Sprintf("%s/orgs/%d/wheel", baseURL, r.OrganisationID))
		}
	}
	line("")
	line("-- ")
	line(t("wheel.msg_footer"))
	return subject, b.String()
}
