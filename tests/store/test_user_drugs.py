"""Equivalence overrides and custom drugs in ``user_drugs``."""

from __future__ import annotations

from taperdesk.core.drugs import USER_SOURCE, TabletStrength, custom_drug, load_catalogue
from taperdesk.store import drugs
from taperdesk.store.database import Database


def test_the_catalogue_is_unchanged_without_customisations(database: Database) -> None:
    assert drugs.load_user_catalogue(database).keys == load_catalogue().keys


def test_an_override_is_stored_and_shown_with_its_source(database: Database) -> None:
    drugs.set_equivalence_override(database, "clonazepam", 1.0)
    catalogue = drugs.load_user_catalogue(database)
    clonazepam = catalogue.get("clonazepam")
    assert clonazepam.mg_per_diazepam_10 == 1.0
    assert clonazepam.equivalence.source == USER_SOURCE
    assert clonazepam.equivalence.default.mg == 0.5
    drugs.set_equivalence_override(database, "clonazepam", 0.75)
    assert drugs.load_overrides(database) == {"clonazepam": 0.75}
    drugs.clear_equivalence_override(database, "clonazepam")
    assert drugs.load_user_catalogue(database).get("clonazepam").mg_per_diazepam_10 == 0.5


def test_a_custom_drug_round_trips(database: Database) -> None:
    key = drugs.custom_drug_key("Etizolam (Etilaam)")
    assert key == "custom-etizolam-etilaam"
    drug = custom_drug(key, "Etizolam", 1.0, tablets=(TabletStrength(0.5),))
    drugs.save_custom_drug(database, drug)
    loaded = drugs.load_user_catalogue(database).get(key)
    assert (loaded.name, loaded.mg_per_diazepam_10, loaded.is_custom) == ("Etizolam", 1.0, True)
    assert [t.mg for t in loaded.tablets] == [0.5]
    drugs.delete_custom_drug(database, key)
    assert key not in drugs.load_user_catalogue(database)


def test_an_override_for_a_drug_no_longer_shipped_is_ignored(database: Database) -> None:
    drugs.set_equivalence_override(database, "retired-drug", 2.0)
    assert "retired-drug" not in drugs.load_user_catalogue(database)
