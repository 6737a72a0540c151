"""The titration engine: turn a planned dose into something a person can measure.

This module is the front door. The methods live in their own modules and are
re-exported here:

- liquid titration, daily volumes and the fixed-volume method
  (:mod:`taperdesk.core.titration_liquid`);
- dry (scale) titration (:mod:`taperdesk.core.titration_dry`);
- whole and split tablets (:mod:`taperdesk.core.titration_tablets`);
- compounding (:mod:`taperdesk.core.compounding`).

Here live the user's saved method (:class:`MethodSettings`, stored by the app
as JSON in its settings) and the two functions the plan and the weekly sheets
call: :func:`instruction_for_dose` and :func:`measurable_step_mg`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from taperdesk.core.compounding import (
    CapsuleCount,
    CompoundingRequest,
    CompoundingResult,
    plan_compounding,
    validate_compounding,
)
from taperdesk.core.dosage_forms import (
    INTACT_FORM_REASON,
    DosageForm,
    intact_form_problem,
    parse_form,
)
from taperdesk.core.measure import clean, format_mg, format_ml, format_number
from taperdesk.core.titration_common import (
    CYLINDER_1_ML,
    DEVICE_PRESETS,
    SYRINGE_0_01_ML,
    SYRINGE_0_05_ML,
    SYRINGE_0_1_ML,
    MeasuringDevice,
    TitrationInputError,
    custom_device,
    parse_quantity,
    raise_if_errors,
)
from taperdesk.core.titration_dry import (
    DEFAULT_READABILITY_MG,
    ScaleResult,
    ScaleSetup,
    TabletWeightSpread,
    portion_too_large,
    scale_dose,
    validate_scale,
    weight_spread,
)
from taperdesk.core.titration_liquid import (
    LARGE_ERROR_PERCENT,
    LIQUID_NOTES,
    DailyVolumeRow,
    FixedVolumeDay,
    FixedVolumePlan,
    LiquidMix,
    LiquidResult,
    MixSuggestion,
    WholeTablets,
    daily_volumes,
    fixed_volume_schedule,
    liquid_dose,
    mix_too_large,
    suggest_mix_volume,
    validate_fixed_volume,
    validate_liquid_dose,
    validate_liquid_mix,
)
from taperdesk.core.titration_tablets import (
    Scoring,
    TabletCombination,
    TabletPiece,
    TabletResult,
    TabletStrength,
    tablet_combination,
    validate_tablets,
)

__all__ = [
    "CYLINDER_1_ML",
    "DEFAULT_READABILITY_MG",
    "DEVICE_PRESETS",
    "INTACT_FORM_REASON",
    "LIQUID_NOTES",
    "SYRINGE_0_01_ML",
    "SYRINGE_0_05_ML",
    "SYRINGE_0_1_ML",
    "CapsuleCount",
    "CompoundingRequest",
    "CompoundingResult",
    "DailyVolumeRow",
    "DosageForm",
    "FixedVolumeDay",
    "FixedVolumePlan",
    "LiquidMix",
    "LiquidResult",
    "MeasuringDevice",
    "MethodKind",
    "MethodSettings",
    "MixSuggestion",
    "ScaleResult",
    "ScaleSetup",
    "Scoring",
    "TabletCombination",
    "TabletPiece",
    "TabletResult",
    "TabletStrength",
    "TabletWeightSpread",
    "TitrationInputError",
    "WholeTablets",
    "custom_device",
    "daily_volumes",
    "fixed_volume_schedule",
    "instruction_for_dose",
    "intact_form_problem",
    "liquid_dose",
    "measurable_step_mg",
    "mix_too_large",
    "parse_quantity",
    "plan_compounding",
    "portion_too_large",
    "scale_dose",
    "suggest_mix_volume",
    "tablet_combination",
    "validate_compounding",
    "validate_fixed_volume",
    "validate_liquid_dose",
    "validate_liquid_mix",
    "validate_scale",
    "validate_settings",
    "validate_tablets",
    "weight_spread",
]


class MethodKind(Enum):
    """How the user measures doses."""

    LIQUID = "liquid"
    SCALE = "scale"
    TABLETS = "tablets"
    COMPOUNDED = "compounded"


@dataclass(frozen=True)
class MethodSettings:
    """The user's saved equipment and preferred method.

    Only the fields of ``kind`` matter: liquid uses ``tablet_mg``,
    ``tablet_count`` (or ``liquid_mg_per_ml``), ``volume_ml``,
    ``graduation_ml`` and ``whole_tablets``; scale uses ``tablet_mg``,
    ``tablet_weights_mg`` and ``readability_mg``; tablets uses ``strengths``;
    compounded uses ``compounded_step_mg``.
    """

    kind: MethodKind
    tablet_mg: float | None = None
    tablet_count: int | None = None
    liquid_mg_per_ml: float | None = None
    volume_ml: float | None = None
    graduation_ml: float = 0.1
    whole_tablets: WholeTablets = WholeTablets.AUTO
    tablet_weights_mg: tuple[float, ...] = ()
    readability_mg: float = DEFAULT_READABILITY_MG
    strengths: tuple[TabletStrength, ...] = field(default_factory=tuple)
    compounded_step_mg: float = 0.005
    #: The form of the tablets suspended or weighed (liquid and scale).
    tablet_form: DosageForm = DosageForm.TABLET
    #: The drug this equipment measures (tablets of clonazepam are not diazepam's);
    #: None in settings saved before it was recorded.
    drug_key: str | None = None

    def applies_to(self, drug_key: str, single_drug_plan: bool) -> bool:
        """Whether this equipment measures doses of ``drug_key``.

        Settings that do not name their drug are trusted only for a plan with one
        drug: after a crossover they could be the other drug's tablets.
        """
        if self.drug_key is not None:
            return self.drug_key == drug_key
        return single_drug_plan

    def liquid_mix(self) -> LiquidMix:
        return LiquidMix(
            volume_ml=self.volume_ml if self.volume_ml is not None else float("nan"),
            graduation_ml=self.graduation_ml,
            tablet_mg=self.tablet_mg if self.liquid_mg_per_ml is None else None,
            tablet_count=self.tablet_count if self.liquid_mg_per_ml is None else None,
            liquid_mg_per_ml=self.liquid_mg_per_ml,
            whole_tablets=self.whole_tablets,
            tablet_form=self.tablet_form,
        )

    def scale_setup(self) -> ScaleSetup:
        return ScaleSetup(
            tablet_mg=self.tablet_mg if self.tablet_mg is not None else float("nan"),
            tablet_weights_mg=self.tablet_weights_mg,
            readability_mg=self.readability_mg,
            tablet_form=self.tablet_form,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (plain str, int, float, list, None)."""
        return {
            "kind": self.kind.value,
            "tablet_mg": self.tablet_mg,
            "tablet_count": self.tablet_count,
            "liquid_mg_per_ml": self.liquid_mg_per_ml,
            "volume_ml": self.volume_ml,
            "graduation_ml": self.graduation_ml,
            "whole_tablets": self.whole_tablets.value,
            "tablet_weights_mg": list(self.tablet_weights_mg),
            "readability_mg": self.readability_mg,
            "strengths": [
                {"strength_mg": s.strength_mg, "scoring": s.scoring.value, "form": s.form.value}
                for s in self.strengths
            ],
            "tablet_form": self.tablet_form.value,
            "compounded_step_mg": self.compounded_step_mg,
            "drug_key": self.drug_key,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MethodSettings:
        """Read a dict made by :meth:`to_dict`; raises :class:`TitrationInputError`
        naming the field when it is malformed or describes unusable equipment."""
        if not isinstance(data, dict):
            raise TitrationInputError("kind", "Saved method settings are not a mapping.")
        try:
            kind = MethodKind(data.get("kind"))
        except ValueError:
            raise TitrationInputError("kind", f"Unknown method {data.get('kind')!r}.") from None
        try:
            whole = WholeTablets(data.get("whole_tablets", "auto"))
        except ValueError:
            raise TitrationInputError("whole_tablets", "Choose 'auto' or 'none'.") from None

        def number(name: str, default: float | None = None) -> float | None:
            value = data.get(name, default)
            if value is None:
                return None
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TitrationInputError(name, "Must be a number.")
            return float(value)

        count = data.get("tablet_count")
        if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
            raise TitrationInputError("tablet_count", "Must be a whole number.")
        weights = data.get("tablet_weights_mg", [])
        if not isinstance(weights, list) or any(
            isinstance(w, bool) or not isinstance(w, int | float) for w in weights
        ):
            raise TitrationInputError("tablet_weights_mg", "Must be a list of numbers.")
        strengths = []
        for item in data.get("strengths", []):
            try:
                strengths.append(
                    TabletStrength(
                        float(item["strength_mg"]),
                        Scoring(item.get("scoring", "unscored")),
                        parse_form(item.get("form", "tablet")),
                    )
                )
            except (KeyError, TypeError, ValueError, AttributeError):
                raise TitrationInputError(
                    "strengths", "A saved tablet strength is malformed."
                ) from None
        try:
            tablet_form = parse_form(data.get("tablet_form") or "tablet")
        except ValueError:
            raise TitrationInputError("tablet_form", "Unknown tablet form.") from None
        settings = cls(
            kind=kind,
            tablet_form=tablet_form,
            tablet_mg=number("tablet_mg"),
            tablet_count=count,
            liquid_mg_per_ml=number("liquid_mg_per_ml"),
            volume_ml=number("volume_ml"),
            graduation_ml=number("graduation_ml", 0.1) or 0.0,
            whole_tablets=whole,
            tablet_weights_mg=tuple(float(w) for w in weights),
            readability_mg=number("readability_mg", DEFAULT_READABILITY_MG) or 0.0,
            strengths=tuple(strengths),
            compounded_step_mg=number("compounded_step_mg", 0.005) or 0.0,
            drug_key=drug if isinstance(drug := data.get("drug_key"), str) and drug else None,
        )
        raise_if_errors(validate_settings(settings))
        return settings


def validate_settings(settings: MethodSettings) -> dict[str, str]:
    """Field-level problems with the equipment of the chosen method."""
    errors: dict[str, str] = {}
    if settings.kind is MethodKind.LIQUID:
        if settings.volume_ml is None:
            errors["volume_ml"] = "Enter the mix volume."
        errors = {**validate_liquid_mix(settings.liquid_mix()), **errors}
    elif settings.kind is MethodKind.SCALE:
        errors = {
            k: v for k, v in validate_scale(settings.scale_setup(), 1.0).items() if k != "dose_mg"
        }
        if settings.tablet_mg is None:
            errors["tablet_mg"] = "Enter the tablet strength."
    elif settings.kind is MethodKind.TABLETS:
        errors = {
            k: v for k, v in validate_tablets(settings.strengths, 1.0).items() if k != "dose_mg"
        }
    else:
        step = settings.compounded_step_mg
        if not (math.isfinite(step) and step > 0):
            errors["compounded_step_mg"] = "The compounding step must be more than zero."
    return errors


def _exact_step(step_mg: float) -> float:
    """``step_mg`` without float noise (0.0010000000000000002 -> 0.001), but every digit of
    a step that truly has more than 9 (1 mg in 35 mL x 0.1 mL = 0.00285714… mg): cut to 9
    decimals, 690 graduations would count as 690.0002 and round up to 691."""
    cleaned = clean(step_mg)
    return cleaned if abs(cleaned - step_mg) < 1e-15 else step_mg


def measurable_step_mg(settings: MethodSettings) -> float:
    """The finest dose step the user's tools allow, in mg (the plan's rounding).

    Liquid: concentration x graduation. Scale: strength x readability / mean
    tablet weight. Tablets: the greatest common divisor of all allowed pieces.
    Compounded: the compounding step.
    """
    raise_if_errors(validate_settings(settings))
    if settings.kind is MethodKind.LIQUID:
        return _exact_step(settings.liquid_mix().dose_step_mg)
    if settings.kind is MethodKind.SCALE:
        return clean(settings.scale_setup().dose_step_mg)
    if settings.kind is MethodKind.TABLETS:
        divisor = 0
        for strength in settings.strengths:
            for fraction in strength.scoring.fractions:
                divisor = math.gcd(divisor, round(strength.strength_mg * fraction * 1e6))
        return divisor / 1e6
    return settings.compounded_step_mg


def _with_rounding(parts: list[str], dose_mg: float, delivered_mg: float, tool: str) -> str:
    """The instruction, saying so when the measurable amount is not the planned dose."""
    if not parts:
        return f"too small to measure with {tool} ({format_mg(dose_mg, 4)})"
    text = " ".join(parts)
    if abs(delivered_mg - dose_mg) > dose_mg * LARGE_ERROR_PERCENT / 100 + 1e-12:
        text += f" (gives {format_mg(delivered_mg, 4)}, not {format_mg(dose_mg, 4)})"
    return text


def instruction_for_dose(settings: MethodSettings, dose_mg: float) -> str:
    """A short instruction for a weekly sheet cell, e.g. "take 8.7 mL of the 1 mg / 10 mL mix".

    A zero dose gives "no dose". Raises :class:`TitrationInputError` when the
    settings or the dose cannot give a preparation.
    """
    if dose_mg == 0:
        return "no dose"
    raise_if_errors(validate_settings(settings))
    if settings.kind is MethodKind.LIQUID:
        mix = settings.liquid_mix()
        result = liquid_dose(mix, dose_mg)
        ml = format_ml(result.take_ml, 3)
        parts = []
        if result.whole_tablet_count:
            parts.append(
                f"take {result.whole_tablet_count} x "
                f"{format_number(mix.tablet_mg or 0, 4)} mg whole"
            )
        if result.take_ml > 0:
            verb = "+" if parts else "take"
            parts.append(f"{verb} {ml} of the {mix.describe()}")
        return _with_rounding(parts, dose_mg, result.delivered_dose_mg, "this mix")
    if settings.kind is MethodKind.SCALE:
        setup = settings.scale_setup()
        scale = scale_dose(setup, dose_mg)
        parts = []
        if scale.whole_tablet_count:
            parts.append(
                f"take {scale.whole_tablet_count} x {format_number(setup.tablet_mg, 4)} mg whole"
            )
        if scale.powder_to_take_mg > 0:
            verb = "+ weigh" if parts else "weigh"
            parts.append(f"{verb} {format_mg(scale.powder_to_take_mg)} of powder")
            if scale.powder_to_take_mg < 10 * setup.readability_mg:  # the 10x readability rule
                parts.append("(too little for this scale to weigh reliably)")
        return _with_rounding(parts, dose_mg, scale.delivered_dose_mg, "this scale")
    if settings.kind is MethodKind.TABLETS:
        tablets = tablet_combination(settings.strengths, dose_mg)
        if tablets.exact is not None:
            return "take " + " + ".join(p.describe() for p in tablets.exact.pieces)
        return f"no exact tablets for {format_mg(dose_mg, 4)}"
    return f"take the {format_mg(dose_mg, 4)} capsule dose"
