-- Each checklist question's answer per organisation and day, taken by the
-- daily job of isms serve whether or not anyone opens the checklist: the
-- path of every question over time, and, counted per day, the tallies of
-- the progress chart. checklist_snapshots keeps the tallies of the days
-- before this table; the chart still shows them.
CREATE TABLE checklist_answer_days (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    day TEXT NOT NULL,
    question_id TEXT NOT NULL,
    status TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (organisation_id, day, question_id)
);
