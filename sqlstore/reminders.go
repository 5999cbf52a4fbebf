package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/ismsdk/isms"
)

// Reminders of the annual wheel by e-mail. The reminder run (isms serve
// every few minutes, or isms reminders send from cron) asks for the
// reminders due now, claims each one by inserting its key into the mail
// log, sends it, and records the outcome. The key names the reminder (which
// occurrence, which due date, which overdue week, which digest week), so
// the same reminder is never sent twice, even by several instances at
// once; a failed send is tried again on later runs up to wheelMaxMailAttempts.

const (
	wheelMaxMailAttempts = 3
	// wheelDigestAhead is how far ahead the coordinators' weekly digest looks.
	wheelDigestAhead = 14
	// wheelMaxRemindAhead bounds the remind_days of an activity (validated).
	wheelMaxRemindAhead = 90
)

// PendingReminders lays out this year and the next for every organisation
// with activities (the run may be the first to reach a new year) and
// returns the reminders due today that have not been sent: to each owner
// of an open occurrence some days before it is due and weekly while it is
// overdue, and to each coordinator a weekly digest. It acts for no user.
func (db *DB) PendingReminders(ctx context.Context) ([]*isms.Reminder, error) {
	if err := db.wheelLayOutCurrentYears(ctx); err != nil {
		return nil, err
	}
	var out []*isms.Reminder
	err := db.read(ctx, "PendingReminders", func(tx *Tx) error {
		logged, err := tx.wheelLoggedReminders()
		if err != nil {
			return err
		}
		orgs, err := tx.wheelOrganisations()
		if err != nil {
			return err
		}
		for _, org := range orgs {
			rs, err := tx.wheelOrgReminders(org)
			if err != nil {
				return fmt.Errorf("reminders of organisation %d: %w", org.ID, err)
			}
			for _, r := range rs {
				if !logged[r.Key] {
					out = append(out, r)
				}
			}
		}
		return nil
	})
	return out, err
}

// wheelLoggedReminders returns the keys that are sent, pending, or failed too
// often to try again.
func (tx *Tx) wheelLoggedReminders() (map[string]bool, error) {
	return querySet[string](tx, "SELECT reminder_key FROM wheel_mail_log WHERE result <> 'failed' OR attempts >= ?", wheelMaxMailAttempts)
}

func (tx *Tx) wheelOrganisations() ([]*isms.Organisation, error) {
	rows, err := tx.query(`SELECT id, name FROM organisations WHERE id IN (SELECT organisation_id FROM wheel_activities) ORDER BY id`)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(row scanner) (*isms.Organisation, error) {
		var o isms.Organisation
		if err := row.Scan(&o.ID, &o.Name); err != nil {
			return nil, err
		}
		return &o, nil
	})
}

// LayOutWheelYears makes sure this year and the next are laid out in every
// organisation with activities. It acts for no user; serve runs it daily so
// that a new year is complete for those who read the wheel but may not lay
// out a year themselves (OpenWheelYear).
func (db *DB) LayOutWheelYears(ctx context.Context) error { return db.wheelLayOutCurrentYears(ctx) }

// wheelLayOutCurrentYears makes sure this year and the next are laid out in
// every organisation with activities, as the command line.
func (db *DB) wheelLayOutCurrentYears(ctx context.Context) error {
	var todo [][2]int64
	err := db.read(ctx, "wheelLayOutCurrentYears", func(tx *Tx) error {
		orgs, err := tx.wheelOrganisations()
		if err != nil {
			return err
		}
		y := tx.Today().Year()
		for _, o := range orgs {
			years, err := tx.wheelOpenYears(o.ID)
			if err != nil {
				return err
			}
			for _, yy := range []int{y, y + 1} {
				if !years[yy] {
					todo = append(todo, [2]int64{o.ID, int64(yy)})
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	op := isms.WithActor(ctx, &isms.Actor{Name: "reminders", SiteAdmin: true})
	for _, t := range todo {
		if _, err := db.OpenWheelYear(op, t[0], int(t[1])); err != nil {
			return err
		}
	}
	return nil
}

type wheelRecipient struct {
	id          int64
	name, email string
	lang        string
}

// members returns the organisation's members by user id, with their mail
// language, and the coordinators among them.
func (tx *Tx) wheelReminderMembers(orgID int64) (map[int64]wheelRecipient, []wheelRecipient, error) {
	// A deactivated member gets no mail: they have left.
	rows, err := tx.query(`SELECT u.id, u.name, u.email, m.role, COALESCE(p.mail_language, '') FROM memberships m JOIN users u ON u.id = m.user_id
		LEFT JOIN user_preferences p ON p.user_id = u.id WHERE m.organisation_id = ? AND u.deactivated_at IS NULL ORDER BY u.id`, orgID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	all := map[int64]wheelRecipient{}
	var coordinators []wheelRecipient
	for rows.Next() {
		var r wheelRecipient
		var role string
		if err := rows.Scan(&r.id, &r.name, &r.email, &role, &r.lang); err != nil {
			return nil, nil, err
		}
		if r.lang != "en" {
			r.lang = "da"
		}
		all[r.id] = r
		if isms.Role(role) == isms.RoleCoordinator {
			coordinators = append(coordinators, r)
		}
	}
	return all, coordinators, rows.Err()
}

// wheelOrgReminders works out the reminders due today in one organisation.
func (tx *Tx) wheelOrgReminders(org *isms.Organisation) ([]*isms.Reminder, error) {
	today := tx.Today()
	members, coordinators, err := tx.wheelReminderMembers(org.ID)
	if err != nil {
		return nil, err
	}
	remind, err := queryMap(tx, scanPair[int64, int], "SELECT id, remind_days FROM wheel_activities WHERE organisation_id = ?", org.ID)
	if err != nil {
		return nil, err
	}
	ahead := today.AddDays(wheelMaxRemindAhead)
	open, err := tx.wheelQueryOccurrences(org.ID, " WHERE o.organisation_id = ? AND o.status IN ('planned', 'in_progress') AND o.due_date <= ? ORDER BY o.due_date, a.title, o.id",
		org.ID, ahead.String())
	if err != nil {
		return nil, err
	}
	var out []*isms.Reminder
	item := func(o *isms.Occurrence) isms.ReminderItem {
		return isms.ReminderItem{OccurrenceID: o.ID, ActivityTitle: o.ActivityTitle, OwnerName: o.OwnerName, RecordText: o.RecordText, Due: o.DueDate, Overdue: o.Overdue}
	}
	for _, o := range open {
		if o.OwnerID == nil {
			continue
		}
		owner, ok := members[*o.OwnerID]
		if !ok {
			continue // no longer a member: the digest still names it to the coordinators
		}
		r := &isms.Reminder{OrganisationID: org.ID, OrganisationName: org.Name, UserID: owner.id, Name: owner.name, Email: owner.email,
			Lang: owner.lang, Items: []isms.ReminderItem{item(o)}}
		switch {
		case o.DueDate.Before(today):
			// Weekly while overdue: the first the day after the due date.
			days := int(today.Sub(o.DueDate.Time).Hours()/24+0.5) - 1
			r.Kind, r.Key = isms.ReminderOverdue, fmt.Sprintf("overdue:%d:%s:%d", o.ID, o.DueDate, days/7)
		case !today.Before(o.DueDate.AddDays(-remind[o.ActivityID])):
			r.Kind, r.Key = isms.ReminderDue, fmt.Sprintf("due:%d:%s", o.ID, o.DueDate)
		default:
			continue
		}
		out = append(out, r)
	}
	if len(coordinators) > 0 {
		var items []isms.ReminderItem
		until := today.AddDays(wheelDigestAhead)
		for _, o := range open {
			if !until.Before(o.DueDate) {
				items = append(items, item(o))
			}
		}
		if len(items) > 0 {
			// Overdue first, then by due date.
			sort.SliceStable(items, func(i, j int) bool { return items[i].Overdue && !items[j].Overdue })
			year, week := today.ISOWeek()
			for _, c := range coordinators {
				out = append(out, &isms.Reminder{Kind: isms.ReminderDigest, Key: fmt.Sprintf("digest:%d:%d:%d-W%02d", org.ID, c.id, year, week),
					OrganisationID: org.ID, OrganisationName: org.Name, UserID: c.id, Name: c.name, Email: c.email, Lang: c.lang, Items: items})
			}
		}
	}
	return out, nil
}

// ClaimReminder takes a reminder for sending: it checks again that its
// occurrence is still open with the same due date (so nothing is sent for
// an occurrence completed or skipped meanwhile) and inserts its key into
// the mail log, or takes back a failed attempt. It reports false when the
// reminder is no longer due or another run has claimed it.
func (db *DB) ClaimReminder(ctx context.Context, r *isms.Reminder) (bool, error) {
	claimed := false
	err := db.write(ctx, "ClaimReminder", func(tx *Tx) error {
		// The occurrence's state is read under the organisation's lock, so
		// a completion committed meanwhile is seen (lock.go).
		if err := tx.lockOrganisation(r.OrganisationID); err != nil {
			return err
		}
		var occID any
		if r.Kind != isms.ReminderDigest {
			if len(r.Items) != 1 {
				return fmt.Errorf("reminder %s: %d occurrences", r.Key, len(r.Items))
			}
			it := r.Items[0]
			occID = it.OccurrenceID
			var status, due string
			err := tx.queryRow("SELECT status, due_date FROM wheel_occurrences WHERE id = ? AND organisation_id = ?", it.OccurrenceID, r.OrganisationID).Scan(&status, &due)
			if errors.Is(err, sql.ErrNoRows) {
				return nil
			}
			if err != nil {
				return err
			}
			if !isms.OccurrenceStatus(status).Open() || due != it.Due.String() {
				return nil
			}
		}
		subject := wheelTruncate(r.Subject, 500)
		res, err := tx.exec(`INSERT INTO wheel_mail_log (organisation_id, reminder_key, kind, user_id, recipient, subject, occurrence_id, claimed_at, result, attempts)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 1) ON CONFLICT (reminder_key) DO NOTHING`,
			r.OrganisationID, r.Key, r.Kind, r.UserID, r.Email, subject, occID, ts(tx.now))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			// Claimed before: take it back only if its last send failed.
			res, err = tx.exec(`UPDATE wheel_mail_log SET result = 'pending', attempts = attempts + 1, claimed_at = ?, subject = ?, recipient = ?, error = ''
				WHERE reminder_key = ? AND result = 'failed' AND attempts < ?`, ts(tx.now), subject, r.Email, r.Key, wheelMaxMailAttempts)
			if err != nil {
				return err
			}
			if n, err = res.RowsAffected(); err != nil || n == 0 {
				return err
			}
		}
		claimed = true
		return tx.queryRow("SELECT id FROM wheel_mail_log WHERE reminder_key = ?", r.Key).Scan(&r.LogID)
	})
	return claimed, err
}

// FinishReminder records the outcome of a claimed reminder's send.
func (db *DB) FinishReminder(ctx context.Context, logID int64, sendErr error) error {
	return db.write(ctx, "FinishReminder", func(tx *Tx) error {
		var err error
		if sendErr == nil {
			_, err = tx.exec("UPDATE wheel_mail_log SET result = 'sent', sent_at = ?, error = '' WHERE id = ?", ts(tx.now), logID)
		} else {
			_, err = tx.exec("UPDATE wheel_mail_log SET result = 'failed', error = ? WHERE id = ?", wheelTruncate(sendErr.Error(), 500), logID)
		}
		return err
	})
}

func wheelTruncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

func scanMailLogEntry(row scanner) (*isms.MailLogEntry, error) {
	var e isms.MailLogEntry
	var user, occ sql.NullInt64
	if err := row.Scan(&e.ID, &e.OrganisationID, &e.Kind, &e.Recipient, &user, &e.Subject, &occ, scanTime{&e.ClaimedAt}, scanTimePtr{&e.SentAt}, &e.Result, &e.Error); err != nil {
		return nil, err
	}
	e.UserID, e.OccurrenceID = int64Ptr(user), int64Ptr(occ)
	return &e, nil
}

// MailLog lists an organisation's reminder mails, newest first, to those
// who run the ISMS and to auditors.
func (db *DB) MailLog(ctx context.Context, orgID int64, offset, limit int) ([]*isms.MailLogEntry, int, error) {
	out := []*isms.MailLogEntry{}
	var total int
	err := db.read(ctx, "MailLog", func(tx *Tx) error {
		a, err := tx.access(orgID)
		if err != nil {
			return err
		}
		if !a.Can(isms.PermEdit) && !a.Can(isms.PermAudit) {
			return isms.Errorf(isms.EForbidden, "err.forbidden")
		}
		if total, err = tx.count("SELECT COUNT(*) FROM wheel_mail_log WHERE organisation_id = ?", orgID); err != nil {
			return err
		}
		if limit <= 0 || limit > 500 {
			limit = 100
		}
		entries, err := queryAll(tx, scanMailLogEntry, `SELECT id, organisation_id, kind, recipient, user_id, subject, occurrence_id, claimed_at, sent_at, result, error
			FROM wheel_mail_log WHERE organisation_id = ? ORDER BY claimed_at DESC, id DESC LIMIT ? OFFSET ?`, orgID, limit, offset)
		out = append(out, entries...)
		return err
	})
	return out, total, err
}

// MailLanguage is the caller's language for reminder mails, Danish unless
// they chose English.
func (db *DB) MailLanguage(ctx context.Context) (string, error) {
	lang := "da"
	err := db.read(ctx, "MailLanguage", func(tx *Tx) error {
		if tx.actor == nil || tx.actor.UserID == 0 {
			return isms.Errorf(isms.EUnauthorized, "err.unauthorized")
		}
		var l string
		err := tx.queryRow("SELECT mail_language FROM user_preferences WHERE user_id = ?", tx.actor.UserID).Scan(&l)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		lang = l
		return err
	})
	return lang, err
}

// SetMailLanguage stores the caller's language for reminder mails.
func (db *DB) SetMailLanguage(ctx context.Context, lang string) error {
	lang = strings.TrimSpace(lang)
	if lang != "da" && lang != "en" {
		var v isms.Validation
		v.Add("language", "err.choice")
		return v.Err()
	}
	return db.write(ctx, "SetMailLanguage", func(tx *Tx) error {
		if err := tx.lockSite(); err != nil {
			return err
		}
		if tx.actor == nil || tx.actor.UserID == 0 {
			return isms.Errorf(isms.EUnauthorized, "err.unauthorized")
		}
		var before any
		var l string
		err := tx.queryRow("SELECT mail_language FROM user_preferences WHERE user_id = ?", tx.actor.UserID).Scan(&l)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		default:
			if l == lang {
				return nil
			}
			before = map[string]string{"mail_language": l}
		}
		if _, err := tx.exec(`INSERT INTO user_preferences (user_id, mail_language, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET mail_language = excluded.mail_language, updated_at = excluded.updated_at`,
			tx.actor.UserID, lang, ts(tx.now)); err != nil {
			return err
		}
		return tx.audit(0, "update", "user_preference", tx.actor.UserID, before, map[string]string{"mail_language": lang})
	})
}
