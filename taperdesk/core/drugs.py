"""The drug catalogue: equivalence to diazepam, half-lives, strengths, liquids.

Equivalence is always "mg of this drug ~ diazepam 10 mg" (oral), the way the
Ashton table states it, so ``diazepam_eq_mg = dose_mg * 10 / mg_per_diazepam_10``.
Sources disagree, so every value carries its source, ranges keep both ends,
and the user can override the ratio (globally on the catalogue, or per plan).

The shipped data lives in ``resources/drugs.json`` (installed as the package
``taperdesk.resources``). Nothing here is medical advice.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any

from taperdesk.core.dosage_forms import DosageForm, parse_form

#: Diazepam dose the equivalence table is expressed against.
DIAZEPAM_REFERENCE_MG = 10.0

#: Source text used for values the user typed in.
USER_SOURCE = "Set by the user"


class Scoring(Enum):
    """How a tablet may be split along its score line."""

    NONE = "none"
    HALF = "half"
    QUARTER = "quarter"


@dataclass(frozen=True, slots=True)
class EquivalenceValue:
    """One figure for "mg of this drug ~ diazepam 10 mg" and where it comes from."""

    mg: float
    source: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class AlternativeEquivalence:
    """A figure (or range) from another source that disagrees with the default."""

    low_mg: float
    high_mg: float
    source: str


@dataclass(frozen=True, slots=True)
class Equivalence:
    """A drug's equivalence to diazepam 10 mg: range, default, alternatives, override."""

    low: EquivalenceValue
    high: EquivalenceValue
    default: EquivalenceValue
    alternatives: tuple[AlternativeEquivalence, ...] = ()
    override_mg: float | None = None

    @property
    def mg_per_diazepam_10(self) -> float:
        """The value used for conversions: the user's override, else the default."""
        return self.override_mg if self.override_mg is not None else self.default.mg

    @property
    def is_overridden(self) -> bool:
        """True when the user set a ratio different from the catalogue default."""
        return self.override_mg is not None and not math.isclose(
            self.override_mg, self.default.mg, rel_tol=1e-9
        )

    @property
    def source(self) -> str:
        """Where the value in use comes from."""
        return USER_SOURCE if self.is_overridden else self.default.source


@dataclass(frozen=True, slots=True)
class HalfLife:
    """Elimination half-life as the source writes it (hours, often a range)."""

    hours_text: str | None
    active_metabolite_hours_text: str | None
    source: str
    secondary_source: bool = False

    def describe(self) -> str:
        """``"20-100 h [active metabolite 36-200 h]"``."""
        parts = []
        if self.hours_text:
            parts.append(f"{self.hours_text} h")
        if self.active_metabolite_hours_text:
            parts.append(f"[active metabolite {self.active_metabolite_hours_text} h]")
        return " ".join(parts) or "unknown"


@dataclass(frozen=True, slots=True)
class TabletStrength:
    """A tablet that exists, with how it may be split."""

    mg: float
    form: DosageForm = DosageForm.TABLET
    scoring: Scoring = Scoring.NONE
    region: str | None = None
    source: str = USER_SOURCE

    @property
    def scored(self) -> bool:
        """True when the tablet may be split at least in half."""
        return self.scoring is not Scoring.NONE

    @property
    def smallest_piece_mg(self) -> float:
        """The smallest dose this tablet gives by splitting along its scores."""
        pieces = {Scoring.NONE: 1, Scoring.HALF: 2, Scoring.QUARTER: 4}[self.scoring]
        return self.mg / pieces


@dataclass(frozen=True, slots=True)
class Liquid:
    """A commercial liquid form of a drug."""

    name: str
    mg_per_ml: float
    region: str | None = None
    source: str = USER_SOURCE
    form: DosageForm = DosageForm.ORAL_SOLUTION


@dataclass(frozen=True, slots=True)
class Drug:
    """One drug in the catalogue (shipped or user-defined)."""

    key: str
    name: str
    equivalence: Equivalence
    drug_class: str = "benzodiazepine"
    brands: tuple[str, ...] = ()
    half_life: HalfLife | None = None
    tablets: tuple[TabletStrength, ...] = ()
    liquids: tuple[Liquid, ...] = ()
    notes: tuple[str, ...] = ()
    is_custom: bool = False
    #: The highest labelled daily dose across the drug's uses, and where it comes from
    #: (``None``: no labelled maximum shipped): a typed dose far above it is asked about.
    max_daily_mg: float | None = None
    max_daily_source: str = ""

    @property
    def mg_per_diazepam_10(self) -> float:
        """mg of this drug ~ diazepam 10 mg, as used for conversions."""
        return self.equivalence.mg_per_diazepam_10

    def with_equivalence_mg(self, mg_per_diazepam_10: float | None) -> Drug:
        """A copy using the given ratio (``None`` removes any override)."""
        if mg_per_diazepam_10 is not None:
            _check_ratio(mg_per_diazepam_10)
        return replace(self, equivalence=replace(self.equivalence, override_mg=mg_per_diazepam_10))


def _check_ratio(mg_per_diazepam_10: float) -> None:
    if not (math.isfinite(mg_per_diazepam_10) and 0 < mg_per_diazepam_10 <= 1000):
        raise ValueError(
            f"Equivalence must be more than 0 and at most 1000 mg per diazepam 10 mg, "
            f"got {mg_per_diazepam_10!r}"
        )


def custom_drug(
    key: str,
    name: str,
    mg_per_diazepam_10: float,
    *,
    tablets: tuple[TabletStrength, ...] = (),
    liquids: tuple[Liquid, ...] = (),
    source: str = USER_SOURCE,
) -> Drug:
    """A user-defined drug with a single equivalence value."""
    _check_ratio(mg_per_diazepam_10)
    value = EquivalenceValue(mg_per_diazepam_10, source)
    return Drug(
        key=key,
        name=name,
        equivalence=Equivalence(low=value, high=value, default=value),
        tablets=tablets,
        liquids=liquids,
        is_custom=True,
    )


def diazepam_equivalent_mg(drug: Drug, dose_mg: float) -> float:
    """Diazepam mg equivalent to ``dose_mg`` of ``drug`` (unrounded)."""
    return dose_mg * DIAZEPAM_REFERENCE_MG / drug.mg_per_diazepam_10


def convert_dose_mg(from_drug: Drug, to_drug: Drug, dose_mg: float) -> float:
    """mg of ``to_drug`` equivalent to ``dose_mg`` of ``from_drug`` (unrounded)."""
    return dose_mg * to_drug.mg_per_diazepam_10 / from_drug.mg_per_diazepam_10


@dataclass(frozen=True)
class DrugCatalogue:
    """Shipped drugs plus the user's custom drugs and equivalence overrides.

    Immutable: ``with_override`` and ``with_custom`` return new catalogues, so a
    plan preview can try a ratio without touching the saved catalogue.
    """

    drugs: Mapping[str, Drug] = field(default_factory=dict)
    sources: tuple[tuple[str, str], ...] = ()

    def __contains__(self, key: object) -> bool:
        return key in self.drugs

    def __iter__(self) -> Iterator[Drug]:
        return iter(self.drugs.values())

    def __len__(self) -> int:
        return len(self.drugs)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.drugs)

    def get(self, key: str) -> Drug:
        """The drug with ``key``; ``KeyError`` with a readable message if unknown."""
        try:
            return self.drugs[key]
        except KeyError:
            raise KeyError(f"Unknown drug {key!r}") from None

    def find(self, text: str) -> Drug | None:
        """The drug a person named: its key, its name or a brand name, in any case
        ("Klonopin", "valium"), also with an extended-release suffix ("alprazolam XR",
        "Xanax XR": see :func:`names_extended_release`); ``None`` when nothing matches."""
        wanted = _without_release_suffix(text).casefold()
        for drug in self.drugs.values():
            names = (drug.key, drug.name, *drug.brands)
            if any(name.casefold() == wanted for name in names):
                return drug
        return None

    def with_override(self, key: str, mg_per_diazepam_10: float | None) -> DrugCatalogue:
        """A catalogue where ``key`` uses the user's ratio (``None`` restores the default)."""
        drug = self.get(key).with_equivalence_mg(mg_per_diazepam_10)
        return replace(self, drugs={**self.drugs, key: drug})

    def with_overrides(self, overrides: Mapping[str, float] | None) -> DrugCatalogue:
        """Apply several ``key -> mg per diazepam 10 mg`` overrides at once."""
        catalogue = self
        for key, mg in (overrides or {}).items():
            catalogue = catalogue.with_override(key, mg)
        return catalogue

    def with_custom(self, drug: Drug) -> DrugCatalogue:
        """Add (or replace) a user-defined drug. Shipped drugs cannot be replaced."""
        if drug.key in self.drugs and not self.drugs[drug.key].is_custom:
            raise ValueError(f"{drug.key!r} is a catalogue drug; override its ratio instead")
        return replace(self, drugs={**self.drugs, drug.key: replace(drug, is_custom=True)})

    @property
    def overrides(self) -> dict[str, float]:
        """The ratios the user changed, ``key -> mg per diazepam 10 mg`` (for storage)."""
        return {
            d.key: d.equivalence.override_mg
            for d in self
            if d.equivalence.override_mg is not None and d.equivalence.is_overridden
        }


#: Name endings that mean an extended-release product ("Xanax XR", "alprazolam ER").
_RELEASE_SUFFIXES = (" xr", " er", " extended-release", " extended release", " retard")


def names_extended_release(text: str) -> bool:
    """``text`` names an extended-release product ("alprazolam XR", "Xanax XR")."""
    lowered = text.strip().casefold()
    return any(lowered.endswith(suffix) for suffix in _RELEASE_SUFFIXES)


def _without_release_suffix(text: str) -> str:
    stripped = text.strip()
    lowered = stripped.casefold()
    for suffix in _RELEASE_SUFFIXES:
        if lowered.endswith(suffix):
            return stripped[: -len(suffix)].strip()
    return stripped


def _resource_text(name: str) -> str:
    """Text of a file in ``taperdesk.resources``, or the source tree's ``resources/``.

    The fallback only helps when the package mapping is missing (an uninstalled
    checkout); an installed TaperDesk always reads through importlib.
    """
    try:
        return resources.files("taperdesk.resources").joinpath(name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        path = Path(__file__).resolve().parents[2] / "resources" / name
        return path.read_text(encoding="utf-8")


def _value(raw: Mapping[str, Any], sources: Mapping[str, str]) -> EquivalenceValue:
    return EquivalenceValue(float(raw["mg"]), sources[raw["source"]], raw.get("note"))


def _drug_from_json(raw: Mapping[str, Any], sources: Mapping[str, str]) -> Drug:
    eq = raw["equivalence"]
    hl = raw.get("half_life")
    most = raw.get("max_daily") or {}
    return Drug(
        max_daily_mg=float(most["mg"]) if most else None,
        max_daily_source=sources[most["source"]] if most else "",
        key=raw["key"],
        name=raw["name"],
        drug_class=raw.get("drug_class", "benzodiazepine"),
        brands=tuple(raw.get("brands", ())),
        equivalence=Equivalence(
            low=_value(eq["low"], sources),
            high=_value(eq["high"], sources),
            default=_value(eq["default"], sources),
            alternatives=tuple(
                AlternativeEquivalence(
                    float(a["low_mg"]), float(a["high_mg"]), sources[a["source"]]
                )
                for a in eq.get("alternatives", ())
            ),
        ),
        half_life=None
        if hl is None
        else HalfLife(
            hours_text=hl.get("hours_text"),
            active_metabolite_hours_text=hl.get("active_metabolite_hours_text"),
            source=sources[hl["source"]],
            secondary_source=bool(hl.get("secondary_source", False)),
        ),
        tablets=tuple(
            TabletStrength(
                mg=float(t["mg"]),
                form=parse_form(t.get("form", "tablet")),
                scoring=_scoring_for(parse_form(t.get("form", "tablet")), t.get("scoring")),
                region=t.get("region"),
                source=sources[t["source"]],
            )
            for t in raw.get("tablets", ())
        ),
        liquids=tuple(
            Liquid(
                name=liq["name"],
                mg_per_ml=float(liq["mg_per_ml"]),
                region=liq.get("region"),
                source=sources[liq["source"]],
            )
            for liq in raw.get("liquids", ())
        ),
        notes=tuple(raw.get("notes", ())),
    )


def _scoring_for(form: DosageForm, text: str | None) -> Scoring:
    """A product's scoring; a form that is never split (extended-release, capsule) has none,
    whatever the file says."""
    scoring = Scoring(text or "none")
    if scoring is not Scoring.NONE and not form.may_be_split:
        raise ValueError(f"A {form.label} cannot be scored")
    return scoring


def parse_catalogue(text: str) -> DrugCatalogue:
    """Build a catalogue from the JSON text of ``drugs.json``."""
    doc = json.loads(text)
    sources = {s["id"]: s["citation"] for s in doc["sources"]}
    drugs = {d["key"]: _drug_from_json(d, sources) for d in doc["drugs"]}
    return DrugCatalogue(drugs=drugs, sources=tuple(sources.items()))


@functools.cache
def _shipped_catalogue() -> DrugCatalogue:
    """``drugs.json`` read once a process: every diary save asked for the catalogue (its
    drug names), ~2.5 ms of JSON and dataclasses each time. Catalogues are never changed
    in place (``with_custom`` and ``with_overrides`` make new ones), so one is shared."""
    return parse_catalogue(_resource_text("drugs.json"))


def load_catalogue(
    overrides: Mapping[str, float] | None = None, custom_drugs: tuple[Drug, ...] = ()
) -> DrugCatalogue:
    """The shipped catalogue, with the user's custom drugs and ratio overrides on top."""
    catalogue = _shipped_catalogue()
    for drug in custom_drugs:
        catalogue = catalogue.with_custom(drug)
    return catalogue.with_overrides(overrides)
