-- TaperDesk schema 3: the daily diary (one entry per day), doses taken and symptom ratings.

CREATE TABLE diary_entries (
    id                INTEGER PRIMARY KEY,
    entry_date        TEXT NOT NULL UNIQUE CHECK (date(entry_date, '+0 days') IS entry_date),
    wellbeing         INTEGER CHECK (wellbeing IS NULL OR wellbeing BETWEEN 0 AND 10),
    sleep_hours       REAL CHECK (sleep_hours IS NULL OR (sleep_hours >= 0 AND sleep_hours <= 24)),
    day_marker        TEXT NOT NULL DEFAULT 'neutral' CHECK (day_marker IN ('window', 'wave', 'neutral')),
    notes             TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 20000),
    -- why a dose above plan was taken (asked for by the app)
    deviation_reason  TEXT NOT NULL DEFAULT '' CHECK (length(deviation_reason) <= 2000),
    updated_at        TEXT NOT NULL
);

CREATE TABLE doses_taken (
    entry_id      INTEGER NOT NULL REFERENCES diary_entries (id) ON DELETE CASCADE,
    dosing_label  TEXT NOT NULL CHECK (length(trim(dosing_label)) BETWEEN 1 AND 30),
    drug_key      TEXT NOT NULL CHECK (length(drug_key) BETWEEN 1 AND 60),
    dose_mg       REAL NOT NULL CHECK (dose_mg >= 0 AND dose_mg <= 1000),
    -- what the plan said for that time on that day, when there was a plan
    planned_mg    REAL CHECK (planned_mg IS NULL OR (planned_mg >= 0 AND planned_mg <= 1000)),
    taken_time    TEXT CHECK (taken_time IS NULL OR (length(taken_time) = 5
                              AND time(taken_time) IS taken_time || ':00')),
    PRIMARY KEY (entry_id, dosing_label, drug_key)
) WITHOUT ROWID;

CREATE TABLE symptom_ratings (
    entry_id    INTEGER NOT NULL REFERENCES diary_entries (id) ON DELETE CASCADE,
    symptom_id  INTEGER NOT NULL REFERENCES symptoms (id) ON DELETE RESTRICT,
    severity    INTEGER NOT NULL CHECK (severity BETWEEN 0 AND 10),
    PRIMARY KEY (entry_id, symptom_id)
) WITHOUT ROWID;
CREATE INDEX symptom_ratings_by_symptom ON symptom_ratings (symptom_id, entry_id);
