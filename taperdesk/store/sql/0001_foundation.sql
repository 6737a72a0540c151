-- TaperDesk schema 1: settings, the user's drug customisations, the symptom catalogue.
-- Dates are ISO 8601 text (YYYY-MM-DD); timestamps are ISO 8601 UTC text.

-- Marks the file as TaperDesk's ("TpDk"), so a foreign SQLite file is recognised.
PRAGMA application_id = 1416643691;

CREATE TABLE settings (
    key        TEXT PRIMARY KEY NOT NULL CHECK (length(key) BETWEEN 1 AND 100),
    value_json TEXT NOT NULL CHECK (json_valid(value_json)),
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

-- A catalogue drug whose equivalence the user overrode, or a drug the user defined.
CREATE TABLE user_drugs (
    drug_key        TEXT PRIMARY KEY NOT NULL CHECK (length(drug_key) BETWEEN 1 AND 60),
    is_custom       INTEGER NOT NULL CHECK (is_custom IN (0, 1)),
    name            TEXT CHECK (name IS NULL OR length(trim(name)) BETWEEN 1 AND 80),
    -- mg of this drug taken as equivalent to 10 mg diazepam
    eq_mg_per_diazepam_10 REAL CHECK (eq_mg_per_diazepam_10 IS NULL
                                      OR (eq_mg_per_diazepam_10 > 0 AND eq_mg_per_diazepam_10 <= 1000)),
    -- JSON list of {"mg": 0.5, "scored": "half"} tablets; liquids alike
    strengths_json  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(strengths_json)),
    liquids_json    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(liquids_json)),
    half_life_text  TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    updated_at      TEXT NOT NULL,
    -- a custom drug must have a name and an equivalence; an override needs the ratio
    CHECK (is_custom = 0 OR (name IS NOT NULL AND eq_mg_per_diazepam_10 IS NOT NULL)),
    CHECK (is_custom = 1 OR eq_mg_per_diazepam_10 IS NOT NULL)
) WITHOUT ROWID;

CREATE TABLE symptoms (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) BETWEEN 1 AND 60),
    is_seed   INTEGER NOT NULL DEFAULT 0 CHECK (is_seed IN (0, 1)),
    hidden    INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    tracked   INTEGER NOT NULL DEFAULT 0 CHECK (tracked IN (0, 1)),
    position  INTEGER NOT NULL CHECK (position >= 0)
);

-- Seed list: common withdrawal symptoms named in the seed article (see
-- shared/reference/domain.md, "Common withdrawal symptoms"). Users add their own.
INSERT INTO symptoms (name, is_seed, tracked, position) VALUES
    ('Anxiety', 1, 1, 0),
    ('Insomnia', 1, 1, 1),
    ('Agitation', 1, 0, 2),
    ('Depression', 1, 1, 3),
    ('Depersonalisation/derealisation (DP/DR)', 1, 0, 4),
    ('Panic attacks', 1, 0, 5),
    ('Tremors', 1, 0, 6),
    ('Dizziness', 1, 0, 7),
    ('Headaches', 1, 1, 8),
    ('Nausea', 1, 0, 9),
    ('Memory problems', 1, 0, 10),
    ('Muscle pain and stiffness', 1, 1, 11),
    ('Intrusive thoughts/memories', 1, 0, 12),
    ('Burning skin', 1, 0, 13),
    ('Weakness', 1, 0, 14);
