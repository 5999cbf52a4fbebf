-- The supplier questionnaire (guide 2.9, Annex A 5.22): a supervision by
-- questionnaire has at most one, sent to the supplier behind a secret
-- link (only its hash kept) with a last day. The questions are copied
-- onto each questionnaire, with the supplier's answer and comment per
-- question. Deleting the supervision deletes its questionnaire.

CREATE TABLE supplier_questionnaires (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    supervision_id BIGINT NOT NULL REFERENCES supplier_supervisions(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    sent_to TEXT NOT NULL DEFAULT '',
    respondent_name TEXT NOT NULL DEFAULT '',
    respondent_email TEXT NOT NULL DEFAULT '',
    draft_saved_at TEXT,
    submitted_at TEXT,
    created_by BIGINT REFERENCES users(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX supplier_questionnaires_supervision ON supplier_questionnaires (supervision_id);
CREATE UNIQUE INDEX supplier_questionnaires_token ON supplier_questionnaires (token_hash);

CREATE TABLE supplier_questionnaire_questions (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    questionnaire_id BIGINT NOT NULL REFERENCES supplier_questionnaires(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    answer TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX supplier_questionnaire_questions_q ON supplier_questionnaire_questions (questionnaire_id, position);

-- Agreements become editable, with a version against stale edits.
ALTER TABLE supplier_agreements ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE supplier_agreements ADD COLUMN updated_at TEXT;
