-- Leadership (guide 2.2): the security roles and who holds them, the ISMS
-- activities, the responsibility matrix (RACI) between them, management's
-- approval of that list, and the forums (the security committee and
-- others) with their members, meetings, agendas and decisions.

CREATE TABLE security_roles (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    template_key TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX security_roles_name ON security_roles (organisation_id, name);
CREATE UNIQUE INDEX security_roles_template ON security_roles (organisation_id, template_key) WHERE template_key <> '';

-- Holders and deputies of a role; one person is either, not both.
CREATE TABLE security_role_people (
    role_id BIGINT NOT NULL REFERENCES security_roles(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    deputy INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (role_id, user_id)
);
CREATE INDEX security_role_people_user ON security_role_people (organisation_id, user_id);

CREATE TABLE isms_activities (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    template_key TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX isms_activities_name ON isms_activities (organisation_id, name);
CREATE UNIQUE INDEX isms_activities_template ON isms_activities (organisation_id, template_key) WHERE template_key <> '';

-- One cell of the matrix: R, A, AR, C or I.
CREATE TABLE raci_cells (
    activity_id BIGINT NOT NULL REFERENCES isms_activities(id),
    role_id BIGINT NOT NULL REFERENCES security_roles(id),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    value TEXT NOT NULL,
    PRIMARY KEY (activity_id, role_id)
);
CREATE INDEX raci_cells_org ON raci_cells (organisation_id);

-- The list of roles and responsibilities as a whole: its version rises
-- with every change to roles, holders, activities or the matrix, so an
-- approval names exactly what management saw.
CREATE TABLE roles_lists (
    organisation_id BIGINT PRIMARY KEY REFERENCES organisations(id),
    version BIGINT NOT NULL,
    approved_version BIGINT NOT NULL DEFAULT 0,
    approved_by BIGINT REFERENCES users(id),
    approved_at TEXT,
    updated_at TEXT NOT NULL
);

CREATE TABLE forums (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    mandate TEXT NOT NULL DEFAULT '',
    chair_id BIGINT REFERENCES users(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX forums_name ON forums (organisation_id, name);

CREATE TABLE forum_members (
    forum_id BIGINT NOT NULL REFERENCES forums(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (forum_id, user_id)
);

CREATE TABLE forum_meetings (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    forum_id BIGINT NOT NULL REFERENCES forums(id),
    meeting_date TEXT NOT NULL,
    status TEXT NOT NULL,
    venue TEXT NOT NULL DEFAULT '',
    minutes TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX forum_meetings_org_date ON forum_meetings (organisation_id, meeting_date);
CREATE INDEX forum_meetings_forum ON forum_meetings (forum_id, meeting_date);

-- Topics are the keys of the seven management topics, comma-separated.
CREATE TABLE meeting_agenda_items (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    meeting_id BIGINT NOT NULL REFERENCES forum_meetings(id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    topics TEXT NOT NULL DEFAULT ''
);
CREATE INDEX meeting_agenda_items_meeting ON meeting_agenda_items (meeting_id, position);

CREATE TABLE forum_decisions (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    meeting_id BIGINT NOT NULL REFERENCES forum_meetings(id),
    text TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES users(id),
    follow_up_by TEXT,
    status TEXT NOT NULL,
    follow_up_note TEXT NOT NULL DEFAULT '',
    topics TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX forum_decisions_meeting ON forum_decisions (meeting_id);
CREATE INDEX forum_decisions_org_status ON forum_decisions (organisation_id, status, follow_up_by);
