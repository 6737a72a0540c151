-- TaperDesk schema 2: taper plans, their revisions, dosing times and holds.
-- A plan is the user's taper; each edit or "re-plan from actual" adds a revision
-- (old revisions are kept for the chart). Holds belong to the plan: they are
-- real-world pauses, whatever revision is current.

CREATE TABLE plans (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 80),
    is_active   INTEGER NOT NULL DEFAULT 0 CHECK (is_active IN (0, 1)),
    created_at  TEXT NOT NULL
);
-- At most one active plan.
CREATE UNIQUE INDEX plans_one_active ON plans (is_active) WHERE is_active = 1;

CREATE TABLE plan_revisions (
    id               INTEGER PRIMARY KEY,
    plan_id          INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    revision         INTEGER NOT NULL CHECK (revision >= 1),
    created_at       TEXT NOT NULL,
    reason           TEXT NOT NULL DEFAULT '',
    drug_key         TEXT NOT NULL CHECK (length(drug_key) BETWEEN 1 AND 60),
    start_date       TEXT NOT NULL CHECK (date(start_date, '+0 days') IS start_date),
    reduction_model  TEXT NOT NULL CHECK (reduction_model IN ('percent', 'fixed')),
    -- percent of the current dose (0 < p <= 50), or mg per step
    reduction_value  REAL NOT NULL CHECK (reduction_value > 0 AND reduction_value <= 1000),
    interval_days    INTEGER NOT NULL CHECK (interval_days BETWEEN 1 AND 365),
    style            TEXT NOT NULL CHECK (style IN ('hold', 'daily')),
    cut_order        TEXT NOT NULL CHECK (cut_order IN ('proportional', 'sequential')),
    rounding_mg      REAL NOT NULL CHECK (rounding_mg > 0 AND rounding_mg <= 100),
    final_dose_mg    REAL CHECK (final_dose_mg IS NULL OR (final_dose_mg >= 0 AND final_dose_mg <= 1000)),
    -- the user's equivalence (mg ~ 10 mg diazepam) for the plan's drug, if overridden
    eq_override_mg   REAL CHECK (eq_override_mg IS NULL OR eq_override_mg > 0),
    crossover_drug_key   TEXT CHECK (crossover_drug_key IS NULL OR length(crossover_drug_key) BETWEEN 1 AND 60),
    crossover_stage_days INTEGER CHECK (crossover_stage_days IS NULL OR crossover_stage_days BETWEEN 1 AND 90),
    crossover_eq_override_mg REAL CHECK (crossover_eq_override_mg IS NULL OR crossover_eq_override_mg > 0),
    -- where revision 1 started (kept by re-planned revisions so the final-dose rule stays put)
    original_start_dose_mg   REAL CHECK (original_start_dose_mg IS NULL
                                         OR (original_start_dose_mg > 0 AND original_start_dose_mg <= 1000)),
    original_drug_key        TEXT CHECK (original_drug_key IS NULL OR length(original_drug_key) BETWEEN 1 AND 60),
    original_eq_override_mg  REAL CHECK (original_eq_override_mg IS NULL OR original_eq_override_mg > 0),
    -- a crossover has both a drug and a stage length, or neither
    CHECK ((crossover_drug_key IS NULL) = (crossover_stage_days IS NULL)),
    CHECK (reduction_model = 'fixed' OR reduction_value <= 50),
    UNIQUE (plan_id, revision)
);

CREATE TABLE plan_dosing_times (
    revision_id   INTEGER NOT NULL REFERENCES plan_revisions (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL CHECK (position BETWEEN 0 AND 3),
    label         TEXT NOT NULL CHECK (length(trim(label)) BETWEEN 1 AND 30),
    dose_mg       REAL NOT NULL CHECK (dose_mg >= 0 AND dose_mg <= 1000),
    clock_time    TEXT CHECK (clock_time IS NULL OR (length(clock_time) = 5
                              AND time(clock_time) IS clock_time || ':00')),
    -- order in which this time is cut when cutting one at a time (NULL: proportional)
    cut_rank      INTEGER CHECK (cut_rank IS NULL OR cut_rank BETWEEN 0 AND 3),
    -- order in which this time switches drug during a crossover
    swap_rank     INTEGER CHECK (swap_rank IS NULL OR swap_rank BETWEEN 0 AND 3),
    PRIMARY KEY (revision_id, position),
    UNIQUE (revision_id, label)
) WITHOUT ROWID;

CREATE TABLE plan_holds (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    start_date  TEXT NOT NULL CHECK (date(start_date, '+0 days') IS start_date),
    -- inclusive; NULL while the hold is open ("Hold from today", not resumed yet)
    end_date    TEXT CHECK (end_date IS NULL OR (date(end_date, '+0 days') IS end_date AND end_date >= start_date)),
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_holds_by_plan ON plan_holds (plan_id, start_date);
-- At most one open hold per plan.
CREATE UNIQUE INDEX plan_holds_one_open ON plan_holds (plan_id) WHERE end_date IS NULL;
