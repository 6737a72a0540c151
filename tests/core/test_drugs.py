"""The drug catalogue: every reference drug, sourced values, overrides, conversions."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from taperdesk.core.dosage_forms import DosageForm, parse_form
from taperdesk.core.drugs import (
    DrugCatalogue,
    Liquid,
    Scoring,
    TabletStrength,
    convert_dose_mg,
    custom_drug,
    diazepam_equivalent_mg,
    load_catalogue,
    parse_catalogue,
)

# The Ashton column of the reference table: key -> (low, high) mg ~ diazepam 10 mg.
ASHTON = {
    "alprazolam": (0.5, 0.5),
    "bromazepam": (6, 6),
    "chlordiazepoxide": (25, 25),
    "clobazam": (20, 20),
    "clonazepam": (0.5, 0.5),
    "clorazepate": (15, 15),
    "diazepam": (10, 10),
    "estazolam": (1, 2),
    "flurazepam": (15, 30),
    "loprazolam": (1, 2),
    "lorazepam": (1, 1),
    "lormetazepam": (1, 2),
    "nitrazepam": (10, 10),
    "oxazepam": (20, 20),
    "quazepam": (20, 20),
    "temazepam": (20, 20),
    "triazolam": (0.5, 0.5),
    "zaleplon": (20, 20),  # the Ashton table's Z-drugs (reference, added December 2026)
    "zolpidem": (20, 20),
    "zopiclone": (15, 15),
}


@pytest.fixture(scope="module")
def catalogue() -> DrugCatalogue:
    return load_catalogue()


def test_every_reference_drug_is_shipped_with_its_ashton_range(catalogue: DrugCatalogue) -> None:
    assert set(catalogue.keys) == set(ASHTON)
    for key, (low, high) in ASHTON.items():
        eq = catalogue.get(key).equivalence
        assert (eq.low.mg, eq.high.mg) == (low, high)
        assert low <= eq.default.mg <= high
        assert "Ashton" in eq.low.source and "Ashton" in eq.default.source


def test_alternative_values_from_other_sources(catalogue: DrugCatalogue) -> None:
    va = {
        "alprazolam": 1,
        "clonazepam": 1,
        "lorazepam": 2,
        "oxazepam": 30,
        "temazepam": 15,
        "quazepam": 10,  # ASAM 2025 Table 7, VA/DoD column
        "triazolam": 0.25,
    }
    for key, mg in va.items():
        alternatives = catalogue.get(key).equivalence.alternatives
        assert any(a.low_mg == mg and "VA/DoD" in a.source for a in alternatives)
    bnf = [a for a in catalogue.get("clonazepam").equivalence.alternatives if "BNF" in a.source]
    assert [(a.low_mg, a.high_mg) for a in bnf] == [(0.5, 1)]


def test_half_lives_with_secondary_sources_marked(catalogue: DrugCatalogue) -> None:
    diazepam = catalogue.get("diazepam").half_life
    assert diazepam is not None
    assert diazepam.describe() == "20-100 h [active metabolite 36-200 h]"
    assert "NHS Scotland" in diazepam.source and not diazepam.secondary_source
    secondary = {d.key for d in catalogue if d.half_life and d.half_life.secondary_source}
    assert secondary == {"bromazepam", "estazolam", "quazepam", "triazolam", "clorazepate"}


def test_strengths_and_liquids_only_where_the_reference_gives_them(
    catalogue: DrugCatalogue,
) -> None:
    with_tablets = {d.key for d in catalogue if d.tablets}
    assert with_tablets == {"clonazepam", "diazepam", "alprazolam", "lorazepam"}
    clonazepam = catalogue.get("clonazepam")
    plain = [t for t in clonazepam.tablets if t.form is DosageForm.TABLET]
    assert [(t.mg, t.scored) for t in plain] == [(0.5, True), (1, False), (2, False)]
    alprazolam_2 = next(
        t for t in catalogue.get("alprazolam").tablets if t.mg == 2 and t.form is DosageForm.TABLET
    )
    assert alprazolam_2.scoring is Scoring.QUARTER and alprazolam_2.smallest_piece_mg == 0.5
    assert [liq.mg_per_ml for liq in clonazepam.liquids] == [2.5]
    assert sorted(liq.mg_per_ml for liq in catalogue.get("diazepam").liquids) == [0.4, 1, 1]
    assert [liq.mg_per_ml for liq in catalogue.get("lorazepam").liquids] == [2.0]


def test_brands_and_top_level_sources(catalogue: DrugCatalogue) -> None:
    assert {"Klonopin", "Rivotril"} <= set(catalogue.get("clonazepam").brands)
    doc = json.loads(resources.files("taperdesk.resources").joinpath("drugs.json").read_text())
    ids = {s["id"] for s in doc["sources"]}
    assert len(doc["drugs"]) == 20 and len(ids) == len(doc["sources"])
    vadod = next(s for s in doc["sources"] if s["id"] == "asam2025_vadod")
    assert vadod["url"] == "https://doi.org/10.1007/s11606-025-09499-2"  # it had no address


def test_brand_and_drug_names_are_found_in_any_case(catalogue: DrugCatalogue) -> None:
    for text, key in (
        ("Klonopin", "clonazepam"),
        ("xanax", "alprazolam"),
        ("VALIUM", "diazepam"),
        ("Ativan", "lorazepam"),
        (" Clonazepam ", "clonazepam"),
    ):
        found = catalogue.find(text)
        assert found is not None and found.key == key
    assert catalogue.find("unobtainium") is None


def test_conversions_use_mg_per_diazepam_10(catalogue: DrugCatalogue) -> None:
    clonazepam, diazepam = catalogue.get("clonazepam"), catalogue.get("diazepam")
    lorazepam = catalogue.get("lorazepam")
    assert diazepam_equivalent_mg(clonazepam, 1) == pytest.approx(20)
    assert diazepam_equivalent_mg(diazepam, 7) == pytest.approx(7)
    assert convert_dose_mg(lorazepam, diazepam, 1) == pytest.approx(10)
    assert convert_dose_mg(diazepam, clonazepam, 10) == pytest.approx(0.5)


def test_override_changes_conversions_and_is_reported(catalogue: DrugCatalogue) -> None:
    changed = catalogue.with_override("clonazepam", 1)
    drug = changed.get("clonazepam")
    assert drug.equivalence.is_overridden and drug.equivalence.source == "Set by the user"
    assert diazepam_equivalent_mg(drug, 1) == pytest.approx(10)
    assert changed.overrides == {"clonazepam": 1}
    assert not catalogue.get("clonazepam").equivalence.is_overridden  # original untouched
    assert changed.with_override("clonazepam", None).overrides == {}
    with pytest.raises(ValueError, match="Equivalence"):
        catalogue.with_override("clonazepam", 0)


def test_custom_drugs(catalogue: DrugCatalogue) -> None:
    drug = custom_drug(
        "etizolam",
        "Etizolam",
        1,
        tablets=(TabletStrength(1, scoring=Scoring.HALF),),
        liquids=(Liquid("home suspension", 0.1),),
    )
    extended = catalogue.with_custom(drug)
    assert extended.get("etizolam").is_custom and "etizolam" not in catalogue
    assert diazepam_equivalent_mg(extended.get("etizolam"), 0.5) == pytest.approx(5)
    with pytest.raises(ValueError, match="catalogue drug"):
        catalogue.with_custom(custom_drug("diazepam", "Mine", 5))
    assert load_catalogue(overrides={"lorazepam": 2}, custom_drugs=(drug,)).get(
        "lorazepam"
    ).mg_per_diazepam_10 == pytest.approx(2)


def test_unknown_drug_is_a_readable_key_error(catalogue: DrugCatalogue) -> None:
    with pytest.raises(KeyError, match="Unknown drug 'nope'"):
        catalogue.get("nope")


def test_extended_release_names_are_found_and_known_as_such(catalogue: DrugCatalogue) -> None:
    from taperdesk.core.drugs import names_extended_release

    for text in ("alprazolam XR", "Xanax XR", "alprazolam ER", "Xanax extended-release"):
        found = catalogue.find(text)
        assert found is not None and found.key == "alprazolam", text
        assert names_extended_release(text)
    assert not names_extended_release("Xanax")


def test_the_catalogue_knows_each_products_form(catalogue: DrugCatalogue) -> None:
    """Issue 14 point 5: alprazolam XR is a product of its own, swallowed whole (FDA label);
    clonazepam's ODTs are orally disintegrating; liquids are oral solutions."""
    alprazolam = catalogue.get("alprazolam")
    xr = [t for t in alprazolam.tablets if t.form is DosageForm.EXTENDED_RELEASE]
    assert [t.mg for t in xr] == [0.5, 1, 2, 3]
    assert all(t.scoring is Scoring.NONE and "swallowed whole" in t.source for t in xr)
    assert all(t.form.must_stay_intact and not t.form.may_be_split for t in xr)
    odt = [t for t in catalogue.get("clonazepam").tablets if t.form.short == "ODT"]
    assert [t.mg for t in odt] == [0.125, 0.25, 0.5, 1, 2]
    assert {liq.form for d in catalogue for liq in d.liquids} == {DosageForm.ORAL_SOLUTION}


def test_a_form_that_is_never_split_cannot_be_scored_in_the_file() -> None:
    text = resources.files("taperdesk.resources").joinpath("drugs.json").read_text()
    doc = json.loads(text)
    alprazolam = next(d for d in doc["drugs"] if d["key"] == "alprazolam")
    xr = next(t for t in alprazolam["tablets"] if t["form"] == "extended-release tablet")
    xr["scoring"] = "half"
    with pytest.raises(ValueError, match="extended-release tablet cannot be scored"):
        parse_catalogue(json.dumps(doc))


def test_form_names_people_write_are_understood() -> None:
    assert parse_form("XR") is DosageForm.EXTENDED_RELEASE
    assert parse_form("odt") is DosageForm.ORALLY_DISINTEGRATING
    assert parse_form("oral concentrate") is DosageForm.ORAL_SOLUTION
    with pytest.raises(ValueError, match="Unknown dosage form 'patch'"):
        parse_form("patch")
