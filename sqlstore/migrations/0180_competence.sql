-- Competence (guide 2.5): what each security role, or a function of the
-- ISMS that is not a role, needs to know, have learnt or be certified
-- in, and at which level.

CREATE TABLE competence_needs (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    role_id BIGINT REFERENCES security_roles(id),
    isms_function TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL,
    kind TEXT NOT NULL,
    level TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX competence_needs_org ON competence_needs (organisation_id, role_id);

-- What a member has: education, experience, certifications (which may
-- expire) and completed training, with the register's document that
-- shows it.
CREATE TABLE competences (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    subject TEXT NOT NULL,
    kind TEXT NOT NULL,
    level TEXT NOT NULL,
    provider TEXT NOT NULL DEFAULT '',
    achieved_on TEXT,
    expires_on TEXT,
    evidence_id BIGINT REFERENCES documents(id),
    note TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX competences_user ON competences (organisation_id, user_id);

-- Development plans: the training or other action that closes a person's
-- gap against a need of their role.
CREATE TABLE competence_plans (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    need_id BIGINT NOT NULL REFERENCES competence_needs(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    action TEXT NOT NULL,
    owner_id BIGINT REFERENCES users(id),
    due_on TEXT NOT NULL,
    completed_on TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX competence_plans_need ON competence_plans (organisation_id, need_id, user_id);
