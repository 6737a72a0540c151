"""What a printed sheet shows for one dose: the thing to measure first, then the mg.

A tired reader at the fridge needs the amount they actually draw up, weigh or
pick out ("3.3 mL", "83 mg powder", "½ × 0.5 mg", "capsules 0.115 + 0.115 mg"),
large, and the equipment once, in the sheet's header ("2 × 0.5 mg tablets in
100 mL water; oral syringe marked every 0.1 mL"). :func:`measure_for_sheet`
and :func:`equipment_text` say both from the saved :class:`MethodSettings`,
with the same engine as the Titration tab (:func:`liquid_dose`,
:func:`scale_dose`, :func:`tablet_combination`), so paper and screen agree.

Pure: no Qt, no files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from taperdesk.core.measure import clean, decimals_for_step, format_mg, format_ml, format_number
from taperdesk.core.titration import (
    LARGE_ERROR_PERCENT,
    MethodKind,
    MethodSettings,
    liquid_dose,
    raise_if_errors,
    scale_dose,
    tablet_combination,
    validate_settings,
)
from taperdesk.core.titration_tablets import TabletPiece

#: Oral syringe sizes sold in pharmacies, in mL (the smallest one a dose fits is named).
SYRINGE_SIZES_ML = (1.0, 2.5, 3.0, 5.0, 10.0, 20.0, 30.0, 60.0)
_FRACTIONS = {0.5: "½", 0.25: "¼", 0.75: "¾"}


@dataclass(frozen=True, slots=True)
class SheetMeasure:
    """One dose as a sheet prints it.

    ``measure`` is what is drawn up, weighed or picked out ("3.3 mL"); ``remove`` the
    forum-style figure for a tablet mix drunk all but a part ("remove 2.1 mL"), empty
    when the mix is a bought liquid or whole tablets cover the dose; ``note`` says when
    the measure is not exactly the planned dose, or cannot be measured well.
    """

    measure: str
    delivered_mg: float
    remove: str = ""
    note: str = ""
    #: Volume drawn up (liquid only), for the syringe named in the header.
    volume_ml: float | None = None
    #: Volume removed from a tablet mix, the rest drunk (the daily micro taper way).
    remove_ml: float | None = None


def _ml_places(settings: MethodSettings) -> int:
    return max(2, decimals_for_step(settings.graduation_ml))


def _pieces_text(pieces: Sequence[TabletPiece]) -> str:
    """Pieces of one strength as one amount: "2 × 1 mg", "½ of 0.5 mg", "1¾ × 0.25 mg"
    (a half and a quarter make ¾ of a tablet: one piece from a quarter-scored tablet)."""
    first = pieces[0]
    strength = format_number(first.strength_mg, 4)
    form = f" {first.form.short}" if first.form.short != "tablet" else ""
    quarters = round(sum(p.fraction * p.count for p in pieces) * 4)
    whole, rest = divmod(quarters, 4)
    symbol = _FRACTIONS.get(rest / 4, "")
    if not symbol:
        return f"{whole} × {strength} mg{form}"
    if not whole:
        return f"{symbol} of {strength} mg{form}"
    return f"{whole}{symbol} × {strength} mg{form}"


def _rounding_note(dose_mg: float, delivered_mg: float) -> str:
    """Said when what is measured is not the planned dose (the nearest mark or reading)."""
    if abs(delivered_mg - dose_mg) > dose_mg * LARGE_ERROR_PERCENT / 100 + 1e-12:
        return f"gives {format_mg(delivered_mg, 4)}, not {format_mg(dose_mg, 4)}"
    if abs(delivered_mg - dose_mg) > 1e-9:
        return f"plan {format_mg(dose_mg, 4)}: the nearest mark"
    return ""


def measure_for_sheet(
    settings: MethodSettings, dose_mg: float, capsules_mg: Sequence[float] | None = None
) -> SheetMeasure:
    """What to measure for ``dose_mg`` with ``settings`` (``capsules_mg``: the capsule
    strengths that make the dose, for compounded capsules).

    Raises :class:`TitrationInputError` when the settings or the dose cannot give a
    preparation (the same refusals as the Titration tab: an extended-release tablet is
    never suspended, weighed or split).
    """
    if dose_mg <= 0:
        return SheetMeasure("no dose", 0.0)
    raise_if_errors(validate_settings(settings))
    if settings.kind is MethodKind.LIQUID:
        mix = settings.liquid_mix()
        result = liquid_dose(mix, dose_mg)
        places = _ml_places(settings)
        parts = []
        if result.whole_tablet_count:
            parts.append(f"{result.whole_tablet_count} × {format_number(mix.tablet_mg or 0, 4)} mg")
        if result.take_ml > 0:
            parts.append(format_ml(result.take_ml, places))
        if not parts:
            return SheetMeasure(
                "too small to measure", result.delivered_dose_mg,
                note=f"{format_mg(dose_mg, 4)}: use more water or a finer syringe",
            )  # fmt: skip
        remove = ""
        if result.discard_ml is not None and result.take_ml > 0:
            remove = f"remove {format_ml(result.discard_ml, places)}"
        return SheetMeasure(
            " + ".join(parts),
            result.delivered_dose_mg,
            remove=remove,
            note=_rounding_note(dose_mg, result.delivered_dose_mg),
            volume_ml=result.take_ml if result.take_ml > 0 else None,
            remove_ml=result.discard_ml if remove else None,
        )
    if settings.kind is MethodKind.SCALE:
        setup = settings.scale_setup()
        scale = scale_dose(setup, dose_mg)
        parts = []
        if scale.whole_tablet_count:
            parts.append(f"{scale.whole_tablet_count} × {format_number(setup.tablet_mg, 4)} mg")
        note = _rounding_note(dose_mg, scale.delivered_dose_mg)
        if scale.powder_to_take_mg > 0:
            parts.append(f"{format_mg(scale.powder_to_take_mg, 3)} powder")
            if scale.powder_to_take_mg < 10 * setup.readability_mg:  # the 10x readability rule
                note = "too little for this scale to weigh reliably"
        if not parts:
            return SheetMeasure(
                "too small to weigh", scale.delivered_dose_mg,
                note=f"{format_mg(dose_mg, 4)} is below this scale's finest step",
            )  # fmt: skip
        return SheetMeasure(" + ".join(parts), scale.delivered_dose_mg, note=note)
    if settings.kind is MethodKind.TABLETS:
        tablets = tablet_combination(settings.strengths, dose_mg)
        if tablets.exact is None:
            return SheetMeasure(
                format_mg(dose_mg, 4), 0.0,
                note="no exact tablets make this dose: ask your pharmacist or prescriber",
            )  # fmt: skip
        by_strength: dict[tuple[float, str], list[TabletPiece]] = {}
        for piece in tablets.exact.pieces:
            by_strength.setdefault((piece.strength_mg, piece.form.value), []).append(piece)
        text = " + ".join(_pieces_text(group) for group in by_strength.values())
        intact = any(p.form.must_stay_intact for p in tablets.exact.pieces)
        return SheetMeasure(
            text, clean(tablets.exact.dose_mg), note="swallow whole" if intact else ""
        )
    if capsules_mg:
        numbers = " + ".join(format_number(mg, 4) for mg in capsules_mg)
        unit = "capsule" if len(capsules_mg) == 1 else "capsules"
        return SheetMeasure(f"{unit} {numbers}", clean(sum(capsules_mg)))
    return SheetMeasure(f"{format_mg(dose_mg, 4)} capsules", dose_mg)


#: What each way of measuring is called in the print dialog.
METHOD_LABELS = {
    MethodKind.LIQUID: "Liquid",
    MethodKind.SCALE: "Milligram scale",
    MethodKind.TABLETS: "Whole and split tablets",
    MethodKind.COMPOUNDED: "Compounded capsules",
}


def methods_offered(settings: MethodSettings | None) -> tuple[MethodKind, ...]:
    """The ways of measuring the saved equipment allows (the Titration tab keeps every
    page's fields): the saved method first, then each other whose fields are complete."""
    if settings is None:
        return ()
    offered = [settings.kind] if not validate_settings(settings) else []
    for kind in MethodKind:
        if kind not in offered and not validate_settings(replace(settings, kind=kind)):
            offered.append(kind)
    return tuple(offered)


def short_equipment(settings: MethodSettings) -> str:
    """A few words naming the equipment of ``settings.kind`` (the print dialog's choices:
    "Liquid: 2 × 0.5 mg tablets in 20 mL water"), so what a sheet will use is seen."""
    label = METHOD_LABELS[settings.kind]
    if settings.kind is MethodKind.LIQUID:
        mix = settings.liquid_mix()
        if mix.liquid_mg_per_ml is not None:
            return f"{label}: {format_number(mix.liquid_mg_per_ml, 4)} mg/mL oral liquid"
        count = round(mix.tablet_count or 0)
        return (
            f"{label}: {count} × {format_number(mix.tablet_mg or 0, 4)} mg in "
            f"{format_ml(mix.volume_ml)} water"
        )
    if settings.kind is MethodKind.SCALE:
        return f"{label}: {format_number(settings.tablet_mg or 0, 4)} mg tablets, weighed"
    if settings.kind is MethodKind.TABLETS:
        unique = sorted({s.strength_mg for s in settings.strengths})
        return f"{label}: {', '.join(format_number(mg, 4) for mg in unique)} mg"
    return label


def syringe_size_ml(largest_volume_ml: float) -> float | None:
    """The smallest usual oral syringe that holds ``largest_volume_ml`` in one draw
    (``None`` when even 60 mL is too small: a measuring cylinder then)."""
    for size in SYRINGE_SIZES_ML:
        if largest_volume_ml <= size + 1e-9:
            return size
    return None


def equipment_text(
    settings: MethodSettings,
    largest_volume_ml: float | None = None,
    capsule_strengths_mg: Sequence[float] = (),
    removing: bool = False,
) -> str:
    """The equipment, once, for a sheet's header: how the mix is made and what measures it.

    ``"2 × 0.5 mg tablets in 100 mL water (1 mg / 100 mL). Oral syringe: 5 mL, marked
    every 0.1 mL"``. ``largest_volume_ml`` (the largest dose drawn up on the sheet, or the
    largest part removed from a mix when ``removing``) names the syringe size;
    ``capsule_strengths_mg`` lists the capsules the sheet's doses use.
    """
    if settings.kind is MethodKind.LIQUID:
        mix = settings.liquid_mix()
        graduation = format_ml(settings.graduation_ml, 3)
        if mix.liquid_mg_per_ml is not None:
            made = f"{format_number(mix.liquid_mg_per_ml, 4)} mg/mL oral liquid"
        else:
            count = round(mix.tablet_count or 0)
            tablets = f"{count} × {format_number(mix.tablet_mg or 0, 4)} mg tablet"
            made = (
                f"{tablets}{'s' if count != 1 else ''} in {format_ml(mix.volume_ml)} water "
                f"({mix.describe().removesuffix(' mix')})"
            )
        size = syringe_size_ml(largest_volume_ml) if largest_volume_ml else None
        if largest_volume_ml and size is None:
            device = f"measuring cylinder marked every {graduation}"
        elif size is not None:
            device = f"{format_ml(size)} oral syringe marked every {graduation}"
        else:
            device = f"oral syringe marked every {graduation}"
        article = "an" if device[0] in "aeiou" else "a"  # "an oral syringe", "a 5 mL …"
        if removing:
            return (
                f"{made}, a fresh mix for each dose. Remove the part shown with {article} "
                f"{device} and throw it away; drink the rest."
            )
        return f"{made}. Measure with {article} {device}."
    if settings.kind is MethodKind.SCALE:
        setup = settings.scale_setup()
        weight = ""
        if setup.tablet_weights_mg:
            # Said as an assumption to check: a weight left at the Titration tab's example
            # would print wrong powder amounts for tablets that weigh otherwise.
            weight = (
                f" The amounts assume a whole tablet weighs {format_mg(setup.mean_weight_mg, 2)}:"
                " weigh a few of yours first; if they weigh otherwise, change it on the "
                "Titration tab and print again."
            )
        return (
            f"{format_number(setup.tablet_mg, 4)} mg tablets, crushed and weighed on a scale "
            f"reading {format_mg(setup.readability_mg, 3)}.{weight}"
        )
    if settings.kind is MethodKind.TABLETS:
        unique = sorted({s.strength_mg for s in settings.strengths})
        mgs = ", ".join(format_number(mg, 4) for mg in unique)
        if any(s.form.must_stay_intact for s in settings.strengths):
            return f"{mgs} mg extended-release tablets."
        return f"{mgs} mg tablets."
    if capsule_strengths_mg:
        mgs = ", ".join(format_number(mg, 4) for mg in sorted(capsule_strengths_mg, reverse=True))
        return f"Compounded capsules of {mgs} mg (check they match your pharmacy's labels)."
    return "Compounded capsules from your compounding pharmacy."
