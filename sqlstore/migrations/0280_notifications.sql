-- Notifications: everyone with something assigned hears of it in the
-- product's inbox and, with an SMTP server, by mail (sqlstore/notifications.go).

-- One row per (organisation, person, item, event). The key names the event
-- exactly (the item, its due date, the overdue week, the assignee), and is
-- unique, so two instances running the job at once create each notification
-- once (INSERT ... ON CONFLICT DO NOTHING). mail_key is NULL while the
-- notification waits for a mail; then the key of the mail that carries it
-- (notification_mails), or a word saying why it is not mailed: 'wheel' (the
-- annual wheel's reminders mail those), 'none' (the person wants no mail),
-- 'stale' (the item moved on before the mail went), 'inbox' (no mail
-- server was configured when it was noted), 'left' (the person left the
-- organisation or was deactivated before it went).
CREATE TABLE notifications (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    notification_key TEXT NOT NULL,
    item_key TEXT NOT NULL,
    source TEXT NOT NULL,
    event TEXT NOT NULL,
    title TEXT NOT NULL,
    path TEXT NOT NULL,
    due_on TEXT,
    detail TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    read_at TEXT,
    mail_key TEXT
);
CREATE UNIQUE INDEX notifications_key ON notifications (notification_key);
CREATE INDEX notifications_inbox ON notifications (organisation_id, user_id, read_at, created_at);
CREATE INDEX notifications_mail ON notifications (mail_key, organisation_id);

-- The assignee each item had when the job last looked, so that a change of
-- assignee is noticed as an assignment of the new one.
CREATE TABLE notification_assignees (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    item_key TEXT NOT NULL,
    user_id BIGINT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (organisation_id, item_key)
);

-- Organisations the job has looked at once: the first look takes the
-- assignees as they stand as known, so that switching notifications on does
-- not announce every old assignment again.
CREATE TABLE notification_baselines (
    organisation_id BIGINT PRIMARY KEY REFERENCES organisations(id),
    taken_at TEXT NOT NULL
);

-- How each person wants notifications mailed: immediate, daily, weekly or
-- none. Without a row: immediate, as the annual wheel's reminders are.
CREATE TABLE notification_preferences (
    user_id BIGINT PRIMARY KEY REFERENCES users(id),
    digest TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The mails sent, as the annual wheel's wheel_mail_log: a mail is claimed
-- by inserting its unique key before it is sent (so several instances send
-- it once), its outcome recorded after; a failed send is claimed again up
-- to three attempts. A sibling of wheel_mail_log rather than rows in it, so
-- that the wheel's reminder log keeps showing the wheel's reminders only.
CREATE TABLE notification_mails (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    mail_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    sent_at TEXT,
    result TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1,
    error TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX notification_mails_key ON notification_mails (mail_key);
CREATE INDEX notification_mails_org ON notification_mails (organisation_id, claimed_at);
