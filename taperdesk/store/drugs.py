"""The user's drug customisations in ``user_drugs``: ratio overrides and custom drugs.

An override changes "mg of this drug ~ diazepam 10 mg" for a catalogue drug
everywhere in the app (a plan can still carry its own ratio); a custom drug is
one the shipped catalogue does not have. :func:`load_user_catalogue` is the
catalogue every screen should use.
"""

from __future__ import annotations

import json
import re

from taperdesk.core.dosage_forms import DosageForm, parse_form
from taperdesk.core.drugs import (
    Drug,
    DrugCatalogue,
    Liquid,
    Scoring,
    TabletStrength,
    custom_drug,
    load_catalogue,
)
from taperdesk.store.database import Database, utc_now_text

_KEY_CHARS = re.compile(r"[^a-z0-9]+")


def custom_drug_key(name: str) -> str:
    """A catalogue key for a custom drug name: ``"My Drug 2"`` -> ``"custom-my-drug-2"``."""
    slug = _KEY_CHARS.sub("-", name.strip().lower()).strip("-")[:50] or "drug"
    return f"custom-{slug}"


def set_equivalence_override(database: Database, drug_key: str, mg_per_diazepam_10: float) -> None:
    """Use ``mg_per_diazepam_10`` for catalogue drug ``drug_key`` from now on."""
    with database.transaction() as connection:
        connection.execute(
            "INSERT INTO user_drugs (drug_key, is_custom, eq_mg_per_diazepam_10, updated_at) "
            "VALUES (?, 0, ?, ?) ON CONFLICT (drug_key) DO UPDATE SET "
            "eq_mg_per_diazepam_10 = excluded.eq_mg_per_diazepam_10, "
            "updated_at = excluded.updated_at",
            (drug_key, mg_per_diazepam_10, utc_now_text()),
        )


def clear_equivalence_override(database: Database, drug_key: str) -> None:
    """Go back to the catalogue's ratio for ``drug_key``."""
    with database.transaction() as connection:
        connection.execute(
            "DELETE FROM user_drugs WHERE drug_key = ? AND is_custom = 0", (drug_key,)
        )


def save_custom_drug(database: Database, drug: Drug, note: str = "") -> None:
    """Add or update a drug the user defined (its key should come from :func:`custom_drug_key`)."""
    tablets = [{"mg": t.mg, "scoring": t.scoring.value, "form": t.form.value} for t in drug.tablets]
    liquids = [{"name": liq.name, "mg_per_ml": liq.mg_per_ml} for liq in drug.liquids]
    with database.transaction() as connection:
        connection.execute(
            "INSERT INTO user_drugs (drug_key, is_custom, name, eq_mg_per_diazepam_10, "
            "strengths_json, liquids_json, note, updated_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (drug_key) DO UPDATE SET is_custom = 1, name = excluded.name, "
            "eq_mg_per_diazepam_10 = excluded.eq_mg_per_diazepam_10, "
            "strengths_json = excluded.strengths_json, liquids_json = excluded.liquids_json, "
            "note = excluded.note, updated_at = excluded.updated_at",
            (
                drug.key,
                drug.name.strip(),
                drug.mg_per_diazepam_10,
                json.dumps(tablets),
                json.dumps(liquids),
                note,
                utc_now_text(),
            ),
        )


def delete_custom_drug(database: Database, drug_key: str) -> None:
    with database.transaction() as connection:
        connection.execute(
            "DELETE FROM user_drugs WHERE drug_key = ? AND is_custom = 1", (drug_key,)
        )


def load_overrides(database: Database) -> dict[str, float]:
    """``drug_key -> mg per diazepam 10 mg`` for catalogue drugs the user re-rated."""
    rows = database.query(
        "SELECT drug_key, eq_mg_per_diazepam_10 FROM user_drugs WHERE is_custom = 0"
    )
    return {r["drug_key"]: float(r["eq_mg_per_diazepam_10"]) for r in rows}


def load_custom_drugs(database: Database) -> tuple[Drug, ...]:
    rows = database.query("SELECT * FROM user_drugs WHERE is_custom = 1 ORDER BY name")
    drugs = []
    for r in rows:
        tablets = tuple(_saved_tablet(t) for t in json.loads(r["strengths_json"]))
        liquids = tuple(
            Liquid(name=liq["name"], mg_per_ml=float(liq["mg_per_ml"]))
            for liq in json.loads(r["liquids_json"])
        )
        drugs.append(
            custom_drug(
                r["drug_key"],
                r["name"],
                float(r["eq_mg_per_diazepam_10"]),
                tablets=tablets,
                liquids=liquids,
            )
        )
    return tuple(drugs)


def load_user_catalogue(database: Database) -> DrugCatalogue:
    """The shipped catalogue with the user's custom drugs and ratio overrides applied.

    An override for a drug the catalogue no longer ships is ignored rather
    than stopping the app.
    """
    catalogue = load_catalogue(custom_drugs=load_custom_drugs(database))
    overrides = {k: v for k, v in load_overrides(database).items() if k in catalogue}
    return catalogue.with_overrides(overrides)


def _saved_tablet(saved: dict) -> TabletStrength:
    """A custom drug's saved strength, with its scoring and form. A form this version does
    not know is read as extended-release: never split, crushed or suspended, the safe
    reading of a product nobody described."""
    try:
        form = parse_form(saved.get("form", "tablet"))
    except ValueError:
        form = DosageForm.EXTENDED_RELEASE
    try:
        scoring = Scoring(saved.get("scoring", "none"))
    except ValueError:
        scoring = Scoring.NONE
    if not form.may_be_split:
        scoring = Scoring.NONE
    return TabletStrength(mg=float(saved["mg"]), form=form, scoring=scoring)
