"""Write ``schema_vN.sqlite3``: a small database of every schema version.

Run once when a new migration is added (``python tests/store/data/make_schema_fixtures.py``)
and commit the new file; never regenerate an old one, since it stands for files
that real users have on disk.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from taperdesk.store import migrations

HERE = Path(__file__).parent

# Rows each version can hold, added cumulatively.
SAMPLE_ROWS: dict[int, list[str]] = {
    1: [
        "INSERT INTO settings VALUES ('person.name', '\"Sam\"', '2026-01-01T00:00:00+00:00')",
        "INSERT INTO symptoms (name, is_seed, tracked, position) VALUES ('Tinnitus', 0, 1, 15)",
        "INSERT INTO user_drugs (drug_key, is_custom, eq_mg_per_diazepam_10, updated_at) "
        "VALUES ('clonazepam', 0, 1.0, '2026-01-01T00:00:00+00:00')",
    ],
    2: [
        "INSERT INTO plans (id, name, is_active, created_at) VALUES (1, 'Clonazepam taper', 1, "
        "'2026-01-01T00:00:00+00:00')",
        "INSERT INTO plan_revisions (id, plan_id, revision, created_at, drug_key, start_date, "
        "reduction_model, reduction_value, interval_days, style, cut_order, rounding_mg) VALUES "
        "(1, 1, 1, '2026-01-01T00:00:00+00:00', 'clonazepam', '2026-01-05', 'percent', 10, 14, "
        "'hold', 'proportional', 0.01)",
        "INSERT INTO plan_dosing_times VALUES (1, 0, 'Morning', 0.5, '08:00', NULL, NULL)",
        "INSERT INTO plan_dosing_times VALUES (1, 1, 'Night', 0.5, '21:00', NULL, NULL)",
        "INSERT INTO plan_holds (plan_id, start_date, end_date) VALUES (1, '2026-02-01', '2026-02-14')",
    ],
    3: [
        "INSERT INTO diary_entries (id, entry_date, wellbeing, sleep_hours, day_marker, notes, "
        "updated_at) VALUES (1, '2026-01-05', 6, 7.5, 'window', 'First cut today.', "
        "'2026-01-05T20:00:00+00:00')",
        "INSERT INTO doses_taken VALUES (1, 'Morning', 'clonazepam', 0.45, 0.45, '08:05')",
        "INSERT INTO symptom_ratings VALUES (1, 1, 4)",
    ],
    5: [
        "INSERT INTO plan_revisions (id, plan_id, revision, created_at, drug_key, start_date, "
        "reduction_model, reduction_value, interval_days, style, cut_order, rounding_mg, "
        "crossover_drug_key, crossover_stage_days, crossover_parts) VALUES "
        "(2, 1, 2, '2026-02-01T00:00:00+00:00', 'clonazepam', '2026-02-15', 'percent', 10, 14, "
        "'hold', 'proportional', 0.5, 'diazepam', 3, 4)",
        "INSERT INTO plan_dosing_times VALUES (2, 0, 'Morning', 0.5, '08:00', NULL, 0)",
        "INSERT INTO plan_dosing_times VALUES (2, 1, 'Night', 0.5, '21:00', NULL, 1)",
    ],
}


def write_fixture(version: int) -> Path:
    target = HERE / f"schema_v{version}.sqlite3"
    if target.exists():
        target.unlink()
    connection = sqlite3.connect(target, isolation_level=None)
    migrations.migrate(connection, target=version)
    connection.execute("BEGIN")
    for step in range(1, version + 1):
        for statement in SAMPLE_ROWS.get(step, []):
            connection.execute(statement)
    connection.execute("COMMIT")
    connection.execute("VACUUM")
    connection.close()
    return target


if __name__ == "__main__":
    versions = [int(v) for v in sys.argv[1:]] or [m.version for m in migrations.MIGRATIONS]
    for v in versions:
        print(write_fixture(v))
