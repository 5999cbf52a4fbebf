package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
)

// Notifications (notification.go at the root says what they are for).
//
// The job (isms serve on its reminder ticker, or isms notifications send
// from cron) runs in three steps, each safe with several instances at once:
//
//  1. GenerateNotifications collects, per organisation, every open item
//     with an assignee from every register (assignmentSources: one query
//     per source, one line per register) and creates the notifications due
//     today: "assigned" when an item's assignee differs from the one the
//     job last saw (notification_assignees), "due soon" within the item's
//     lead, "overdue" weekly after the due date, and "escalation" for an
//     incident's reporting clock that ran out or is about to. Each has a
//     unique key naming exactly that event, inserted with ON CONFLICT DO
//     NOTHING, and the organisation's notification lock (a lock of its own,
//     not the organisation's write lock, so the job does not disturb what
//     the dashboard keeps) serialises the comparison of assignees.
//  2. PendingNotificationMails lists the mails to send: one per
//     notification for those who want them immediately and for every
//     escalation, one digest a day or a week for the others.
//  3. ClaimNotificationMail ties the notifications to the mail's key and
//     inserts the key into notification_mails, under the same lock, so each
//     mail is sent once; FinishNotificationMail records the outcome, and a
//     failed mail is claimed again on later runs up to three attempts.
//
// Creating inbox notifications needs no SMTP server: the serve loop runs
// step 1 with or without one.

const (
	notifMaxMailAttempts = 3
	// notifWheelAhead is how far ahead the annual wheel's occurrences are
	// collected, as far as the wheel's own reminders look.
	notifWheelAhead = wheelMaxRemindAhead
)

// assignment is one open item of a register with its assignee.
type assignment struct {
	source string // the kind of item: catalogue key notif.source.<source>
	key    string // unique in the organisation: source and the row's id (and the approver for approvals)
	// recordType and recordID name the record whose audit events show who
	// assigned it, so that no one is told of what they assigned themselves.
	recordType string
	recordID   int64
	title      string
	path       string // below the organisation
	assignee   int64
	due        *isms.Date
	lead       int // days before due that it is "due soon"
	// wheel marks an annual-wheel occurrence: it is shown in the inbox but
	// never mailed here, since the wheel's own reminders (reminders.go)
	// already mail its owner before it is due and while overdue.
	wheel bool
}

// assignmentSource reads one register's open, assigned items.
type assignmentSource struct {
	name string
	read func(tx *Tx, orgID int64) ([]assignment, error)
}

// assignmentSources are the registers whose items are assigned to people,
// in the guide's order. A new register adds one line here and one
// function below.
var assignmentSources = []assignmentSource{
	{"overview_review", overviewReviewAssignments},     // 2.1 business overview: next review
	{"scope_review", scopeReviewAssignments},           // 2.1 the ISMS scope: next review
	{"decision", decisionAssignments},                  // 2.2 leadership decisions' follow-up
	{"risk_task", riskTaskAssignments},                 // 2.3 risk treatment actions
	{"objective", objectiveAssignments},                // 2.4 security objectives' deadlines
	{"status_report", statusReportAssignments},         // 2.4 the next status report to management
	{"competence_plan", competencePlanAssignments},     // 2.5 development plans
	{"document_review", documentReviewAssignments},     // 2.8 documents' next review
	{"document_approval", documentApprovalAssignments}, // 2.8 versions awaiting an approver
	{"wheel", wheelAssignments},                        // 2.9 annual wheel occurrences (inbox only)
	{"incident", incidentAssignments},                  // 2.9 incidents (their clocks escalate too)
	{"supervision", supervisionAssignments},            // 2.9 supplier supervisions planned
	{"supervision_follow_up", followUpAssignments},     // 2.9 and their follow-up
	{"nc_action", ncActionAssignments},                 // 2.10 corrective actions
	{"nc_review", ncReviewAssignments},                 // 2.10 effectiveness reviews
	{"improvement", improvementAssignments},            // 2.10 improvements
	{"indicator_breach", breachAssignments},            // 9.1 thresholds breached, to the indicator's owner
	{"internal_audit", auditAssignments},               // 9.2 audits to hold and reports to approve, to the lead auditor
	{"review_decision", reviewDecisionAssignments},     // 9.3 management review decisions' follow-up
}

// NotificationSources names the kinds of assigned item, in the order of
// assignmentSources: each has its catalogue key notif.source.<name>.
func NotificationSources() []string {
	out := make([]string, len(assignmentSources))
	for i, src := range assignmentSources {
		out[i] = src.name
	}
	return out
}

func idPath(prefix string, id int64) string { return prefix + strconv.FormatInt(id, 10) }

// datedAssignments runs a query answering id, title, assignee, due date
// (or NULL) and makes assignments of one source from its rows.
func datedAssignments(tx *Tx, source, recordType, pathPrefix, q string, args ...any) ([]assignment, error) {
	var out []assignment
	err := tx.queryEach(q, args, func(row scanner) error {
		var a assignment
		if err := row.Scan(&a.recordID, &a.title, &a.assignee, scanDatePtr{&a.due}); err != nil {
			return err
		}
		a.source, a.recordType, a.lead = source, recordType, isms.NotificationDueSoonDays
		a.key = source + ":" + strconv.FormatInt(a.recordID, 10)
		a.path = idPath(pathPrefix, a.recordID)
		a.title = clip(a.title, 200)
		out = append(out, a)
		return nil
	})
	return out, err
}

func overviewReviewAssignments(tx *Tx, orgID int64) ([]assignment, error) {
	return datedAssignments(tx, "overview_review", typeEntry, "/overview/entries/",
		`SELECT id, name, owner_id, next_review FROM overview_entries WHERE organisation_id = ? AND status <> 'retired'
		AND owner_id IS NOT NULL AND next_review IS NOT NULL`, orgID)
}

func scopeReviewAssignments(tx *Tx, orgID int64) ([]assignment, error) {
	as, err := datedAssignments(tx, "scope_review", typeScope, "/scope",
		`SELECT organisation_id, '', owner_id, next_review FROM scopes WHERE organisation_id = ? AND owner_id IS NOT NULL AND next_review IS NOT NULL`, orgID)
	for i := range as {
		// One scope per organisation: its page has no id.
		as[i].path, as[i].title = "/scope", ""
	}
	return as, err
}

func decisionAssignments(tx *Tx, orgID int64) ([]assignment, error) {
	return datedAssignments(tx, "decision", typeDecision, "/leadership/decisions/",
		`SELECT id, text, owner_id, follow_up_by FROM forum_decisions WHERE organisation_id = ? AND status <> 'done'`, orgID)
}

func riskTaskAssignments(tx *Tx, orgID int64) ([]assignment, error) {
	return datedAssignments(tx, "risk_task", typeRiskTask, "/risk-tasks/",
		`SELECT id, title, owner_id, deadline FROM risk_tasks WHERE organisation_id = ? AND status IN ('planned', 'in_progress') AND owner_id IS NOT NULL`, orgID)
}

func objectiveAssignments(tx *Tx, orgID int64) ([]assignment, error) {
	return datedAssignments(tx, "objective", typeObjective, "/objectives/",
		`SELECT id, title, owner_id, due_date FROM objectives WHERE organisation_id = ? AND status IN ('planned', 'in_progress') AND owner_id IS NOT NULL`, orgID)
}

// statusReportAssignments: the latest status report names when the next
// is due; the one who presented it prepares the next.
func statusReportAssignments(tx *Tx, orgID int64) ([]assignment, error) {
	return datedAssignments(tx, "status_report", typeStatusReport, "/status-reports/",
		`SELECT id, title, presented_by, next_due FROM status_reports s WHERE organisation_id = ? AND presented_by IS NOT NULL AND next_due IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM status_reports l WHERE l.organisation_id = s.organisation_id
			AND (l.presented_on > s.presented_on OR l.presented_on = s.presented_on AND l.id > s.id))`, orgID)
}

func competencePlanAssignments(tx *Tx, orgID int64) ([]assignment, error) {
	return datedAssignments(tx, "competence_plan", typeCompetencePlan, "/competence/plans/",
		`SELECT id, action, owner_id, due_on FROM competence_plans WHERE organisation_id = ? AND completed_on IS NULL AND owner_id IS NOT NULL`, orgID)
}

func documentReviewAssignments(tx *Tx, orgID int64) ([]assignment, error) {
	return datedAssignments(tx, "document_review", typeDocument, "/documents/",
		`SELECT id, title, owner_id, next_review FROM documents WHERE organisation_id = ? AND owner_id IS NOT NULL AND next_review IS NOT NULL`, orgID)
}

// documentApprovalAssignments: each named approver of a version in review
// who has not yet decided on it. An approval has no due date.
func documentApprovalAssignments(tx *Tx, orgID int64) ([]assignment, error) {
	var out []assignment
	err := tx.queryEach(`SELECT v.id, d.id, d.title, v.number, p.user_id FROM document_versions v JOIN documents d ON d.id = v.document_id
		JOIN document_approvers p ON p.document_id = d.id
		WHERE v.organisation_id = ? AND v.state = 'in_review'
		AND NOT EXISTS (SELECT 1 FROM document_approvals x WHERE x.version_id = v.id AND x.user_id = p.user_id)`, []any{orgID}, func(row scanner) error {
		var vid, did, number, user int64
		var title string
		if err := row.Scan(&vid, &did, &title, &number, &user); err != nil {
			return err
		}
		out = append(out, assignment{source: "document_approval", key: fmt.Sprintf("document_approval:%d:%d", vid, user),
			recordType: typeDocument, recordID: did, title: fmt.Sprintf("%s (v%d)", clip(title, 200), number),
			path: fmt.Sprintf("/documents/%d/versions/%d", did, number), assignee: user})
		return nil
	})
	return out, err
}

// wheelAssignments: the open occurrences due within the wheel's reminder
// horizon, with the activity's remind days as their lead. Shown in the
// inbox; never mailed from here (see assignment.wheel).
func wheelAssignments(tx *Tx, orgID int64) ([]assignment, error) {
	var out []assignment
	err := tx.queryEach(`SELECT o.id, o.activity_id, a.title, a.owner_id, o.due_date, a.remind_days FROM wheel_occurrences o
		JOIN wheel_activities a ON a.id = o.activity_id
		WHERE o.organisation_id = ? AND o.status IN ('planned', 'in_progress') AND a.owner_id IS NOT NULL AND o.due_date <= ?`,
		[]any{orgID, tx.Today().AddDays(notifWheelAhead).String()}, func(row scanner) error {
			var a assignment
			var occ int64
			var due isms.Date
			if err := row.Scan(&occ, &a.recordID, &a.title, &a.assignee, scanDate{&due}, &a.lead); err != nil {
				return err
			}
			a.source, a.recordType, a.wheel, a.due = "wheel", typeWheelActivity, true, &due
			a.key, a.path, a.title = idPath("wheel:", occ), idPath("/wheel/occurrences/", occ), clip(a.title, 200)
			out = append(out, a)
			return nil
		})
	return out, err
}

// incidentAssignments: the incidents being handled, for their owner. An
// incident has no due date of its own; its reporting clocks escalate
// (incidentEscalations).
func incidentAssignments(tx *Tx, orgID int64) ([]assignment, error) {
	return datedAssignments(tx, "incident", typeIncident, "/incidents/",
		`SELECT id, title, owner_id, NULL FROM incidents WHERE organisation_id = ? AND owner_id IS NOT NULL
		AND status IN ('triaged', 'investigating', 'contained', 'resolved')`, orgID)
}

// supervisionAssignments: a supervision planned and not done, for the
// supplier's owner.
func supervisionAssignments(tx *Tx, orgID int64) ([]assignment, error) {
	return datedAssignments(tx, "supervision", typeSupervision, "/supplier-supervisions/",
		`SELECT v.id, s.name, s.owner_id, v.planned_on FROM supplier_supervisions v JOIN suppliers s ON s.id = v.supplier_id
		WHERE v.organisation_id = ? AND v.done_on IS NULL AND s.status = 'active' AND s.owner_id IS NOT NULL`, orgID)
}

// followUpAssignments: the follow-up of a supervision done, not yet done
// itself, for the supplier's owner.
func followUpAssignments(tx *Tx, orgID int64) ([]assignment, error) {
	return datedAssignments(tx, "supervision_follow_up", typeSupervision, "/supplier-supervisions/",
		`SELECT v.id, s.name, s.owner_id, v.follow_up_due FROM supplier_supervisions v JOIN suppliers s ON s.id = v.supplier_id
		WHERE v.organisation_id = ? AND v.done_on IS NOT NULL AND v.follow_up <> '' AND v.follow_up_done = 0 AND s.status = 'active' AND s.owner_id IS NOT NULL`, orgID)
}

// ncActionAssignments: the corrective actions not done of nonconformities
// not closed. The audit record is the nonconformity, which holds them.
func ncActionAssignments(tx *Tx, orgID int64) ([]assignment, error) {
	var out []assignment
	err := tx.queryEach(`SELECT a.id, n.id, a.action, a.owner_id, a.due_on FROM nonconformity_actions a JOIN nonconformities n ON n.id = a.nonconformity_id
		WHERE a.organisation_id = ? AND a.done_on IS NULL AND n.closed_on IS NULL AND a.owner_id IS NOT NULL`, []any{orgID}, func(row scanner) error {
		a := assignment{source: "nc_action", recordType: typeNonconformity, lead: isms.NotificationDueSoonDays}
		var id int64
		if err := row.Scan(&id, &a.recordID, &a.title, &a.assignee, scanDatePtr{&a.due}); err != nil {
			return err
		}
		a.key, a.path, a.title = idPath("nc_action:", id), nonconformityPath(a.recordID), clip(a.title, 200)
		out = append(out, a)
		return nil
	})
	return out, err
}

// ncReviewAssignments: the planned effectiveness review of a nonconformity
// not yet reviewed, for its owner.
func ncReviewAssignments(tx *Tx, orgID int64) ([]assignment, error) {
	return datedAssignments(tx, "nc_review", typeNonconformity, "/nonconformities/",
		`SELECT id, title, owner_id, review_planned_on FROM nonconformities WHERE organisation_id = ? AND closed_on IS NULL
		AND reviewed_on IS NULL AND review_planned_on IS NOT NULL AND owner_id IS NOT NULL`, orgID)
}

func improvementAssignments(tx *Tx, orgID int64) ([]assignment, error) {
	return datedAssignments(tx, "improvement", typeImprovement, "/improvements/",
		`SELECT id, title, owner_id, due_on FROM improvements WHERE organisation_id = ? AND status IN ('proposed', 'approved', 'in_progress') AND owner_id IS NOT NULL`, orgID)
}

// breachAssignments are the open breaches of the measurement programme's
// thresholds, each the indicator owner's to answer (by a nonconformity or
// a note). A breach has no due date: it is announced when it is recorded
// and stays in the inbox until answered.
func breachAssignments(tx *Tx, orgID int64) ([]assignment, error) {
	bs, err := tx.openBreaches(orgID)
	if err != nil {
		return nil, err
	}
	var out []assignment
	for _, b := range bs {
		if b.OwnerID == nil {
			continue
		}
		out = append(out, assignment{source: "indicator_breach", key: "indicator_breach:" + strconv.FormatInt(b.ID, 10),
			recordType: typeIndicatorBreach, recordID: b.ID, title: clip(b.IndicatorTitle+" · "+b.Period, 200),
			path: idPath("/indicators/", b.IndicatorID), assignee: *b.OwnerID, lead: isms.NotificationDueSoonDays})
	}
	return out, nil
}

// auditAssignments are the internal audits their lead auditor has still to
// hold (due on the planned day) or whose report awaits the lead auditor's
// approval (due 30 days after the audit), as OpenAuditAssignments lists them.
func auditAssignments(tx *Tx, orgID int64) ([]assignment, error) {
	items, err := tx.openAuditAssignments(orgID)
	if err != nil {
		return nil, err
	}
	out := make([]assignment, 0, len(items))
	for _, it := range items {
		due := it.DueOn
		out = append(out, assignment{source: "internal_audit", key: "internal_audit:" + it.Kind + ":" + strconv.FormatInt(it.auditID, 10),
			recordType: typeInternalAudit, recordID: it.auditID, title: clip(it.Title, 200), path: it.Path,
			assignee: it.UserID, due: &due, lead: isms.NotificationDueSoonDays})
	}
	return out, nil
}

// reviewDecisionAssignments are the management review's decisions still
// to be carried out, each its owner's by its due date.
func reviewDecisionAssignments(tx *Tx, orgID int64) ([]assignment, error) {
	ds, err := tx.reviewDecisions(orgID, " AND d.status <> 'done'")
	if err != nil {
		return nil, err
	}
	out := make([]assignment, 0, len(ds))
	for _, d := range ds {
		out = append(out, assignment{source: "review_decision", key: "review_decision:" + strconv.FormatInt(d.ID, 10),
			recordType: typeReviewDecision, recordID: d.ID, title: clip(d.Text, 200), path: reviewPath(d.ReviewID),
			assignee: d.OwnerID, due: d.DueOn, lead: isms.NotificationDueSoonDays})
	}
	return out, nil
}

// collectAssignments gathers every source's open, assigned items.
func (tx *Tx) collectAssignments(orgID int64) ([]assignment, error) {
	var all []assignment
	for _, src := range assignmentSources {
		as, err := src.read(tx, orgID)
		if err != nil {
			return nil, fmt.Errorf("assignments of %s: %w", src.name, err)
		}
		for _, a := range as {
			// The inbox and the mails name the source by a catalogue key
			// per name (NotificationSources), so each item carries its
			// source's name.
			if a.source != src.name {
				return nil, fmt.Errorf("assignments of %s: an item of source %q", src.name, a.source)
			}
		}
		all = append(all, as...)
	}
	return all, nil
}

// newNotification is a notification to create.
type newNotification struct {
	key    string
	a      *assignment
	user   int64
	event  isms.NotificationEvent
	detail string
}

// notificationsLock serialises the job's work on one organisation across
// instances. It is not the organisation's write lock: the job changes no
// record of the ISMS, and taking that lock would make every run count as
// a change of the organisation (derived.go).
func notificationsLock(orgID int64) string { return "notifications:" + strconv.FormatInt(orgID, 10) }

// GenerateNotifications creates the notifications due now in every
// organisation and answers how many are new. mailing says whether mails go
// out (an SMTP server is configured): without, the notifications are for
// the inbox only and are marked so, so that a server configured later
// mails what is new from then on rather than everything ever noted. It acts
// for no user.
func (db *DB) GenerateNotifications(ctx context.Context, mailing bool) (int, error) {
	var orgs []int64
	err := db.read(ctx, "GenerateNotifications", func(tx *Tx) error {
		var err error
		orgs, err = queryAll(tx, scanInt64, "SELECT id FROM organisations ORDER BY id")
		return err
	})
	if err != nil {
		return 0, err
	}
	total := 0
	for _, org := range orgs {
		err := db.write(ctx, "GenerateNotifications", func(tx *Tx) error {
			n, err := tx.generateNotifications(org, mailing)
			total += n
			return err
		})
		if err != nil {
			return total, fmt.Errorf("notifications of organisation %d: %w", org, err)
		}
	}
	return total, nil
}

// notifDigests reads the chosen digest of each user given.
func (tx *Tx) notifDigests() (map[int64]isms.NotificationDigest, error) {
	return queryMap(tx, func(row scanner) (int64, isms.NotificationDigest, error) {
		var id int64
		var d string
		err := row.Scan(&id, &d)
		return id, isms.NotificationDigest(d), err
	}, "SELECT user_id, digest FROM notification_preferences")
}

func digestOf(prefs map[int64]isms.NotificationDigest, user int64) isms.NotificationDigest {
	if d, ok := prefs[user]; ok && d.Valid() {
		return d
	}
	return isms.DefaultNotificationDigest
}

func (tx *Tx) generateNotifications(orgID int64, mailing bool) (int, error) {
	if err := tx.lock(notificationsLock(orgID)); err != nil {
		return 0, err
	}
	today := tx.Today()
	// A deactivated member, or one no longer a member, gets nothing.
	members, coordinators, err := tx.wheelReminderMembers(orgID)
	if err != nil {
		return 0, err
	}
	prefs, err := tx.notifDigests()
	if err != nil {
		return 0, err
	}
	baseline, err := tx.count("SELECT COUNT(*) FROM notification_baselines WHERE organisation_id = ?", orgID)
	if err != nil {
		return 0, err
	}
	known, err := queryMap(tx, scanPair[string, int64], "SELECT item_key, user_id FROM notification_assignees WHERE organisation_id = ?", orgID)
	if err != nil {
		return 0, err
	}
	items, err := tx.collectAssignments(orgID)
	if err != nil {
		return 0, err
	}
	var todo []newNotification
	current := map[string]*assignment{}
	for i := range items {
		a := &items[i]
		current[a.key] = a
		if _, ok := members[a.assignee]; !ok {
			continue
		}
		if prev, ok := known[a.key]; !ok || prev != a.assignee {
			if err := tx.noteAssignee(orgID, a, ok); err != nil {
				return 0, err
			}
			// The first look at an organisation only learns who has what.
			self := true
			if baseline > 0 {
				if self, err = tx.assignedBySelf(orgID, a); err != nil {
					return 0, err
				}
			}
			if !self {
				todo = append(todo, newNotification{key: fmt.Sprintf("assigned:%d:%s:%d:%s", orgID, a.key, a.assignee, ts(tx.now)), a: a, user: a.assignee, event: isms.NotifyAssigned})
			}
		}
		if a.due == nil {
			continue
		}
		switch due := *a.due; {
		case due.Before(today):
			// Weekly while overdue: the first the day after the due date.
			days := int(today.Sub(due.Time).Hours()/24+0.5) - 1
			todo = append(todo, newNotification{key: fmt.Sprintf("overdue:%d:%s:%d:%s:%d", orgID, a.key, a.assignee, due, days/7), a: a, user: a.assignee, event: isms.NotifyOverdue})
		case !today.Before(due.AddDays(-a.lead)):
			todo = append(todo, newNotification{key: fmt.Sprintf("due_soon:%d:%s:%d:%s", orgID, a.key, a.assignee, due), a: a, user: a.assignee, event: isms.NotifyDueSoon})
		}
	}
	// Items no longer open are forgotten: reopened, they are assigned anew.
	for key := range known {
		if current[key] == nil {
			if _, err := tx.exec("DELETE FROM notification_assignees WHERE organisation_id = ? AND item_key = ?", orgID, key); err != nil {
				return 0, err
			}
		}
	}
	if baseline == 0 {
		if _, err := tx.exec("INSERT INTO notification_baselines (organisation_id, taken_at) VALUES (?, ?) ON CONFLICT (organisation_id) DO NOTHING", orgID, ts(tx.now)); err != nil {
			return 0, err
		}
	}
	escalations, running, err := tx.incidentEscalations(orgID, members, coordinators)
	if err != nil {
		return 0, err
	}
	todo = append(todo, escalations...)
	created := 0
	for _, n := range todo {
		var mailKey any
		switch {
		case n.a.wheel:
			mailKey = "wheel"
		case digestOf(prefs, n.user) == isms.DigestNone:
			mailKey = "none"
		case !mailing:
			mailKey = "inbox"
		}
		res, err := tx.exec(`INSERT INTO notifications (organisation_id, user_id, notification_key, item_key, source, event, title, path, due_on, detail, created_at, mail_key)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (notification_key) DO NOTHING`,
			orgID, n.user, n.key, n.a.key, n.a.source, n.event, n.a.title, n.a.path, dateArg(n.a.due), n.detail, ts(tx.now), mailKey)
		if err != nil {
			return 0, err
		}
		k, err := res.RowsAffected()
		if err != nil {
			return 0, err
		}
		created += int(k)
	}
	if !mailing {
		// Left waiting by a run that mailed, before the server went.
		if _, err := tx.exec("UPDATE notifications SET mail_key = 'inbox' WHERE organisation_id = ? AND mail_key IS NULL", orgID); err != nil {
			return 0, err
		}
	}
	// Nothing waits for a mail that will not go: to one who chose no
	// mail since, or who left or was deactivated.
	if _, err := tx.exec(`UPDATE notifications SET mail_key = 'none' WHERE organisation_id = ? AND mail_key IS NULL
		AND user_id IN (SELECT user_id FROM notification_preferences WHERE digest = 'none')`, orgID); err != nil {
		return 0, err
	}
	if _, err := tx.exec(`UPDATE notifications SET mail_key = 'left' WHERE organisation_id = ? AND mail_key IS NULL
		AND user_id NOT IN (SELECT m.user_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organisation_id = ? AND u.deactivated_at IS NULL)`,
		orgID, orgID); err != nil {
		return 0, err
	}
	return created, tx.markStaleNotifications(orgID, current, running)
}

// noteAssignee records the assignee the job saw last.
func (tx *Tx) noteAssignee(orgID int64, a *assignment, had bool) error {
	if had {
		_, err := tx.exec("UPDATE notification_assignees SET user_id = ?, seen_at = ? WHERE organisation_id = ? AND item_key = ?", a.assignee, ts(tx.now), orgID, a.key)
		return err
	}
	_, err := tx.exec("INSERT INTO notification_assignees (organisation_id, item_key, user_id, seen_at) VALUES (?, ?, ?, ?)", orgID, a.key, a.assignee, ts(tx.now))
	return err
}

// assignedBySelf reports whether the last change of the item's record was
// made by its assignee: no one is told of what they assigned to themselves.
func (tx *Tx) assignedBySelf(orgID int64, a *assignment) (bool, error) {
	var actor int64
	err := tx.queryRow(`SELECT actor_id FROM audit_events WHERE organisation_id = ? AND record_type = ? AND record_id = ? ORDER BY seq DESC LIMIT 1`,
		orgID, a.recordType, a.recordID).Scan(&actor)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil && actor == a.assignee, err
}

// incidentEscalations are the escalations of running reporting clocks that
// ran out or will within isms.NotificationEscalationLead, to the incident's
// owner and every coordinator, once per clock and state; and the running
// clocks by item key and clock, for the stale check.
func (tx *Tx) incidentEscalations(orgID int64, members map[int64]wheelRecipient, coordinators []wheelRecipient) ([]newNotification, map[string]bool, error) {
	incs, err := queryAll(tx, scanIncident, "SELECT "+incColumns+incFrom+` WHERE i.organisation_id = ?
		AND i.status IN ('triaged', 'investigating', 'contained', 'resolved') AND (i.nis2_significant = 1 OR i.personal_data = 1)`, orgID)
	if err != nil || len(incs) == 0 {
		return nil, nil, err
	}
	if err := tx.incidentDetails(orgID, incs); err != nil {
		return nil, nil, err
	}
	settings, err := tx.incidentSettings(orgID)
	if err != nil {
		return nil, nil, err
	}
	var out []newNotification
	running := map[string]bool{}
	for _, inc := range incs {
		a := &assignment{source: "incident", key: idPath("incident:", inc.ID), recordType: typeIncident, recordID: inc.ID,
			title: clip(inc.Title, 200), path: idPath("/incidents/", inc.ID)}
		for _, c := range isms.IncidentClocks(inc, *settings, inc.Reports, tx.now) {
			if !c.Running() {
				continue
			}
			clock := c.Regime + "/" + c.Kind
			running[a.key+"|"+clock] = true
			state := "overdue"
			if c.State == isms.ClockDue {
				if c.Remaining > isms.NotificationEscalationLead {
					continue
				}
				state = "soon"
			}
			due := isms.DateOf(c.Due)
			ca := *a
			ca.due = &due
			to := map[int64]bool{}
			if inc.OwnerID != nil {
				if _, ok := members[*inc.OwnerID]; ok {
					to[*inc.OwnerID] = true
				}
			}
			for _, co := range coordinators {
				to[co.id] = true
			}
			for user := range to {
				out = append(out, newNotification{key: fmt.Sprintf("escalation:%d:%s:%s:%s:%s:%d", orgID, a.key, clock, ts(c.Due), state, user),
					a: &ca, user: user, event: isms.NotifyEscalation, detail: isms.EscalationDetail(c.Regime, c.Kind, state, c.Due)})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out, running, nil
}

// markStaleNotifications takes out of the mail queue the notifications
// whose item moved on before their mail went: done, deleted, given to
// someone else, or due another day; an escalation whose report was sent.
// They stay in the inbox.
func (tx *Tx) markStaleNotifications(orgID int64, current map[string]*assignment, running map[string]bool) error {
	type pending struct {
		id, user    int64
		item, event string
		due         *isms.Date
		detail      string
	}
	rows, err := queryAll(tx, func(row scanner) (pending, error) {
		var p pending
		err := row.Scan(&p.id, &p.user, &p.item, &p.event, scanDatePtr{&p.due}, &p.detail)
		return p, err
	}, "SELECT id, user_id, item_key, event, due_on, detail FROM notifications WHERE organisation_id = ? AND mail_key IS NULL", orgID)
	if err != nil {
		return err
	}
	for _, p := range rows {
		stale := false
		if isms.NotificationEvent(p.event) == isms.NotifyEscalation {
			n := isms.Notification{Event: isms.NotifyEscalation, Detail: p.detail}
			c := n.Clock()
			stale = c == nil || !running[p.item+"|"+c.Regime+"/"+c.Kind]
		} else {
			a := current[p.item]
			stale = a == nil || a.assignee != p.user || p.event != string(isms.NotifyAssigned) && (a.due == nil || p.due == nil || *a.due != *p.due)
		}
		if stale {
			if _, err := tx.exec("UPDATE notifications SET mail_key = 'stale' WHERE id = ? AND mail_key IS NULL", p.id); err != nil {
				return err
			}
		}
	}
	return nil
}

const notifColumns = `id, organisation_id, user_id, source, event, title, path, due_on, detail, created_at, read_at`

func scanNotification(row scanner) (*isms.Notification, error) {
	var n isms.Notification
	var event string
	if err := row.Scan(&n.ID, &n.OrganisationID, &n.UserID, &n.Source, &event, &n.Title, &n.Path, scanDatePtr{&n.Due}, &n.Detail,
		scanTime{&n.CreatedAt}, scanTimePtr{&n.ReadAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("notification")
		}
		return nil, err
	}
	n.Event = isms.NotificationEvent(event)
	return &n, nil
}

// PendingNotificationMails lists the mails due now: each waiting
// notification of a person who wants them immediately, and every
// escalation, in a mail of its own; the rest of each person's waiting
// notifications in one digest a day (daily) or a week (weekly), sent at the
// first run of the day or week that finds any; and the failed mails to try
// again. It acts for no user.
func (db *DB) PendingNotificationMails(ctx context.Context) ([]*isms.NotificationMail, error) {
	var out []*isms.NotificationMail
	err := db.read(ctx, "PendingNotificationMails", func(tx *Tx) error {
		done, err := querySet[string](tx, "SELECT mail_key FROM notification_mails WHERE result <> 'failed' OR attempts >= ?", notifMaxMailAttempts)
		if err != nil {
			return err
		}
		retry, err := querySet[string](tx, "SELECT mail_key FROM notification_mails WHERE result = 'failed' AND attempts < ?", notifMaxMailAttempts)
		if err != nil {
			return err
		}
		prefs, err := tx.notifDigests()
		if err != nil {
			return err
		}
		orgs, err := queryMap(tx, scanPair[int64, string], `SELECT id, name FROM organisations WHERE id IN
			(SELECT organisation_id FROM notifications WHERE mail_key IS NULL)
			OR id IN (SELECT organisation_id FROM notification_mails WHERE result = 'failed' AND attempts < ?)`, notifMaxMailAttempts)
		if err != nil {
			return err
		}
		ids := make([]int64, 0, len(orgs))
		for id := range orgs {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		year, week := tx.Today().ISOWeek()
		for _, orgID := range ids {
			members, _, err := tx.wheelReminderMembers(orgID)
			if err != nil {
				return err
			}
			byMail := map[string]*isms.NotificationMail{}
			var order []string
			add := func(key string, kind isms.NotificationMailKind, r wheelRecipient, n *isms.Notification) {
				m := byMail[key]
				if m == nil {
					m = &isms.NotificationMail{Key: key, Kind: kind, Digest: digestOf(prefs, r.id), OrganisationID: orgID, OrganisationName: orgs[orgID],
						UserID: r.id, Name: r.name, Email: r.email, Lang: r.lang}
					byMail[key] = m
					order = append(order, key)
				}
				m.Items = append(m.Items, n)
			}
			err = tx.queryEach("SELECT "+notifColumns+", COALESCE(mail_key, '') FROM notifications WHERE organisation_id = ? AND (mail_key IS NULL OR mail_key IN (SELECT mail_key FROM notification_mails WHERE organisation_id = ? AND result = 'failed' AND attempts < ?)) ORDER BY id",
				[]any{orgID, orgID, notifMaxMailAttempts}, func(row scanner) error {
					var n isms.Notification
					var event, mailKey string
					if err := row.Scan(&n.ID, &n.OrganisationID, &n.UserID, &n.Source, &event, &n.Title, &n.Path, scanDatePtr{&n.Due}, &n.Detail,
						scanTime{&n.CreatedAt}, scanTimePtr{&n.ReadAt}, &mailKey); err != nil {
						return err
					}
					n.Event = isms.NotificationEvent(event)
					r, ok := members[n.UserID]
					if !ok {
						return nil // left or deactivated: nothing more is sent
					}
					digest := digestOf(prefs, n.UserID)
					switch {
					case mailKey != "":
						if retry[mailKey] {
							kind := isms.NotificationMailSingle
							if strings.HasPrefix(mailKey, "notif-digest:") {
								kind = isms.NotificationMailDigest
							}
							add(mailKey, kind, r, &n)
						}
					case digest == isms.DigestNone:
					case digest == isms.DigestImmediate || n.Event == isms.NotifyEscalation:
						if key := fmt.Sprintf("notif:%d", n.ID); !done[key] {
							add(key, isms.NotificationMailSingle, r, &n)
						}
					default:
						period := tx.Today().String()
						if digest == isms.DigestWeekly {
							period = fmt.Sprintf("%d-W%02d", year, week)
						}
						if key := fmt.Sprintf("notif-digest:%d:%d:%s", orgID, n.UserID, period); !done[key] {
							add(key, isms.NotificationMailDigest, r, &n)
						}
					}
					return nil
				})
			if err != nil {
				return err
			}
			for _, k := range order {
				out = append(out, byMail[k])
			}
		}
		return nil
	})
	return out, err
}

// errNotClaimed rolls back a claim another run made first.
var errNotClaimed = errors.New("claimed by another run")

// ClaimNotificationMail takes a mail for sending: under the organisation's
// notification lock it checks that the recipient is still an active member,
// ties the mail's notifications that no other mail carries to its key and
// inserts the key into the mail log (or takes back a failed attempt). The
// mail's items are then exactly those it carries. It reports false when
// there is nothing left to send or another run claimed it.
func (db *DB) ClaimNotificationMail(ctx context.Context, m *isms.NotificationMail) (bool, error) {
	claimed := false
	err := db.write(ctx, "ClaimNotificationMail", func(tx *Tx) error {
		if err := tx.lock(notificationsLock(m.OrganisationID)); err != nil {
			return err
		}
		active, err := tx.count(`SELECT COUNT(*) FROM memberships ms JOIN users u ON u.id = ms.user_id
			WHERE ms.organisation_id = ? AND ms.user_id = ? AND u.deactivated_at IS NULL`, m.OrganisationID, m.UserID)
		if err != nil || active == 0 {
			return err
		}
		subject := wheelTruncate(m.Subject, 500)
		res, err := tx.exec(`UPDATE notification_mails SET result = 'pending', attempts = attempts + 1, claimed_at = ?, subject = ?, recipient = ?, error = ''
			WHERE mail_key = ? AND result = 'failed' AND attempts < ?`, ts(tx.now), subject, m.Email, m.Key, notifMaxMailAttempts)
		if err != nil {
			return err
		}
		retried, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if retried == 0 {
			ids := make([]any, 0, len(m.Items)+3)
			ids = append(ids, m.Key, m.OrganisationID, m.UserID)
			for _, n := range m.Items {
				ids = append(ids, n.ID)
			}
			res, err := tx.exec("UPDATE notifications SET mail_key = ? WHERE organisation_id = ? AND user_id = ? AND mail_key IS NULL AND id IN ("+placeholders(len(m.Items))+")", ids...)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return err
			}
			res, err = tx.exec(`INSERT INTO notification_mails (organisation_id, mail_key, kind, user_id, recipient, subject, claimed_at, result, attempts)
				VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 1) ON CONFLICT (mail_key) DO NOTHING`,
				m.OrganisationID, m.Key, m.Kind, m.UserID, m.Email, subject, ts(tx.now))
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				if err == nil {
					err = errNotClaimed
				}
				return err
			}
		}
		items, err := queryAll(tx, scanNotification, "SELECT "+notifColumns+" FROM notifications WHERE mail_key = ? ORDER BY id", m.Key)
		if err != nil {
			return err
		}
		m.Items = items
		claimed = len(items) > 0
		return tx.queryRow("SELECT id FROM notification_mails WHERE mail_key = ?", m.Key).Scan(&m.LogID)
	})
	if errors.Is(err, errNotClaimed) {
		return false, nil
	}
	return claimed, err
}

// FinishNotificationMail records the outcome of a claimed mail's send.
func (db *DB) FinishNotificationMail(ctx context.Context, logID int64, sendErr error) error {
	return db.write(ctx, "FinishNotificationMail", func(tx *Tx) error {
		var err error
		if sendErr == nil {
			_, err = tx.exec("UPDATE notification_mails SET result = 'sent', sent_at = ?, error = '' WHERE id = ?", ts(tx.now), logID)
		} else {
			_, err = tx.exec("UPDATE notification_mails SET result = 'failed', error = ? WHERE id = ?", wheelTruncate(sendErr.Error(), 500), logID)
		}
		return err
	})
}

// inboxAccess checks that the caller may see the organisation at all: an
// organisation they may not see reads as not found, as everywhere. Inside
// it, every query is narrowed to the caller's own notifications, so one who
// only oversees it, or a site administrator who is no member, finds an
// empty inbox and can mark nothing.
func (tx *Tx) inboxAccess(orgID int64) error {
	if tx.actor == nil || tx.actor.UserID == 0 {
		return isms.Errorf(isms.EUnauthorized, "err.unauthorized")
	}
	_, err := tx.access(orgID)
	return err
}

// inboxWrite runs a change of the caller's own read marks: the access
// check in a read first, then fn in a write that touches the caller's own
// rows only. The write takes no organisation lock: marking read is the
// reader's own state, not a record of the ISMS, so it leaves no audit event
// (as a session does not) and does not count as a change of the
// organisation (derived.go).
func (db *DB) inboxWrite(ctx context.Context, op string, orgID int64, fn func(tx *Tx) error) error {
	if err := db.read(ctx, op, func(tx *Tx) error { return tx.inboxAccess(orgID) }); err != nil {
		return err
	}
	return db.write(ctx, op, fn)
}

// Notifications lists the caller's notifications in the organisation,
// newest first.
func (db *DB) Notifications(ctx context.Context, orgID int64, f isms.NotificationFilter) ([]*isms.Notification, int, error) {
	out := []*isms.Notification{}
	total := 0
	err := db.read(ctx, "Notifications", func(tx *Tx) error {
		if err := tx.inboxAccess(orgID); err != nil {
			return err
		}
		where := " FROM notifications WHERE organisation_id = ? AND user_id = ?"
		if f.Unread {
			where += " AND read_at IS NULL"
		}
		var err error
		if total, err = tx.count("SELECT COUNT(*)"+where, orgID, tx.actor.UserID); err != nil {
			return err
		}
		limit := f.Limit
		if limit <= 0 || limit > 500 {
			limit = 50
		}
		rows, err := queryAll(tx, scanNotification, "SELECT "+notifColumns+where+" ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
			orgID, tx.actor.UserID, limit, max(f.Offset, 0))
		out = append(out, rows...)
		return err
	})
	return out, total, err
}

// UnreadNotifications counts the caller's unread notifications.
func (db *DB) UnreadNotifications(ctx context.Context, orgID int64) (int, error) {
	n := 0
	err := db.read(ctx, "UnreadNotifications", func(tx *Tx) error {
		if err := tx.inboxAccess(orgID); err != nil {
			return err
		}
		var err error
		n, err = tx.count("SELECT COUNT(*) FROM notifications WHERE organisation_id = ? AND user_id = ? AND read_at IS NULL", orgID, tx.actor.UserID)
		return err
	})
	return n, err
}

// MarkNotificationRead marks one of the caller's notifications read (again
// is no change); another's reads as not found.
func (db *DB) MarkNotificationRead(ctx context.Context, orgID, id int64) (*isms.Notification, error) {
	var out *isms.Notification
	err := db.inboxWrite(ctx, "MarkNotificationRead", orgID, func(tx *Tx) error {
		if _, err := tx.exec("UPDATE notifications SET read_at = ? WHERE id = ? AND organisation_id = ? AND user_id = ? AND read_at IS NULL",
			ts(tx.now), id, orgID, tx.actor.UserID); err != nil {
			return err
		}
		var err error
		out, err = scanNotification(tx.queryRow("SELECT "+notifColumns+" FROM notifications WHERE id = ? AND organisation_id = ? AND user_id = ?", id, orgID, tx.actor.UserID))
		return err
	})
	return out, err
}

// MarkAllNotificationsRead marks all the caller's notifications in the
// organisation read and answers how many were unread.
func (db *DB) MarkAllNotificationsRead(ctx context.Context, orgID int64) (int, error) {
	n := 0
	err := db.inboxWrite(ctx, "MarkAllNotificationsRead", orgID, func(tx *Tx) error {
		res, err := tx.exec("UPDATE notifications SET read_at = ? WHERE organisation_id = ? AND user_id = ? AND read_at IS NULL", ts(tx.now), orgID, tx.actor.UserID)
		if err != nil {
			return err
		}
		k, err := res.RowsAffected()
		n = int(k)
		return err
	})
	return n, err
}

// NotificationPreferences reads the caller's choices.
func (db *DB) NotificationPreferences(ctx context.Context) (*isms.NotificationPreferences, error) {
	out := &isms.NotificationPreferences{Digest: isms.DefaultNotificationDigest}
	err := db.read(ctx, "NotificationPreferences", func(tx *Tx) error {
		if tx.actor == nil || tx.actor.UserID == 0 {
			return isms.Errorf(isms.EUnauthorized, "err.unauthorized")
		}
		var d string
		err := tx.queryRow("SELECT digest FROM notification_preferences WHERE user_id = ?", tx.actor.UserID).Scan(&d)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if isms.NotificationDigest(d).Valid() {
			out.Digest = isms.NotificationDigest(d)
		}
		return err
	})
	return out, err
}

// SetNotificationPreferences stores the caller's choices, audited on the
// site's chain as the mail language is (SetMailLanguage).
func (db *DB) SetNotificationPreferences(ctx context.Context, in isms.NotificationPreferences) (*isms.NotificationPreferences, error) {
	in.Digest = isms.NotificationDigest(strings.TrimSpace(string(in.Digest)))
	if !in.Digest.Valid() {
		var v isms.Validation
		v.Add("digest", "err.choice")
		return nil, v.Err()
	}
	err := db.write(ctx, "SetNotificationPreferences", func(tx *Tx) error {
		if err := tx.lockSite(); err != nil {
			return err
		}
		if tx.actor == nil || tx.actor.UserID == 0 {
			return isms.Errorf(isms.EUnauthorized, "err.unauthorized")
		}
		before := map[string]string{"digest": string(isms.DefaultNotificationDigest)}
		var d string
		err := tx.queryRow("SELECT digest FROM notification_preferences WHERE user_id = ?", tx.actor.UserID).Scan(&d)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		default:
			before["digest"] = d
		}
		if before["digest"] == string(in.Digest) {
			return nil
		}
		if _, err := tx.exec(`INSERT INTO notification_preferences (user_id, digest, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET digest = excluded.digest, updated_at = excluded.updated_at`,
			tx.actor.UserID, in.Digest, ts(tx.now)); err != nil {
			return err
		}
		return tx.audit(0, "update", "notification_preference", tx.actor.UserID, before, map[string]string{"digest": string(in.Digest)})
	})
	if err != nil {
		return nil, err
	}
	return &in, nil
}
