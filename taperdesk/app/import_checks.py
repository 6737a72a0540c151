"""What an import must not bring in: data the app cannot start or run on.

The store checks each record against the schema (types, ranges, references). This adds
what only the application knows: every drug a dose or a plan names is in the catalogue or
defined in the same file, and every plan revision can be worked out into a schedule
within the limits the plan form enforces (dosing times, length). It looks at the data
after the import was applied to a copy in memory, and only at what the import brought:
a problem the person's own data already had is not the file's fault.
"""

from __future__ import annotations

from taperdesk.store.database import Database


def data_problems(database: Database) -> set[str]:
    """Sentences naming what in ``database`` the app could not use."""
    from taperdesk.core.schedule import build_schedule
    from taperdesk.store.drugs import load_user_catalogue
    from taperdesk.store.plans import load_revisions

    problems: set[str] = set()
    catalogue = load_user_catalogue(database)
    for row in database.query("SELECT DISTINCT drug_key FROM doses_taken"):
        if row[0] not in catalogue:
            problems.add(
                f"a diary dose is of '{row[0]}', a drug that is neither in TaperDesk's "
                "catalogue nor defined in the file"
            )
    for plan in database.query("SELECT id, name FROM plans"):
        name = plan["name"]
        try:
            revisions = load_revisions(database, int(plan["id"]))
        except (KeyError, ValueError, TypeError) as error:
            problems.add(f"the plan '{name}' cannot be read ({_reason(error)})")
            continue
        if not revisions:
            problems.add(f"the plan '{name}' has no revision")
        for saved in revisions:
            where = f"the plan '{name}', revision {saved.revision}"
            taper = saved.plan
            unknown = [k for k in (taper.drug_key, *_crossover_keys(taper)) if k not in catalogue]
            for key in unknown:
                problems.add(
                    f"{where} names '{key}', a drug that is neither in TaperDesk's "
                    "catalogue nor defined in the file"
                )
            if unknown:
                continue
            if not taper.dosing_times:
                problems.add(f"{where} has no dosing times")
                continue
            try:
                build_schedule(taper, catalogue, taper.start_date, strict=False)
            except (KeyError, ValueError) as error:
                problems.add(f"{where} cannot be worked out ({_reason(error)})")
    return problems


def _crossover_keys(taper) -> tuple[str, ...]:
    keys = []
    if taper.crossover is not None:
        keys.append(taper.crossover.to_drug_key)
    original = getattr(taper, "original_drug_key", None)
    if original:
        keys.append(original)
    return tuple(keys)


def _reason(error: Exception) -> str:
    return str(error.args[0] if error.args else error).rstrip(".")
