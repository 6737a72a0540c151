"""Dosage forms, and which of them may be split, crushed, weighed or suspended.

The catalogue records each product's form (``resources/drugs.json``), and every
titration method asks :func:`intact_form_problem` before it tells anyone to
split, crush, weigh or suspend a tablet. Extended-release tablets must be
swallowed whole (FDA label of alprazolam extended-release, DailyMed; domain
reference, "Dosage forms"): titration applies to immediate-release forms, and a
switch of form is the prescriber's decision.
"""

from __future__ import annotations

from enum import Enum


class DosageForm(Enum):
    """How a product is made. The value is the word the catalogue uses."""

    TABLET = "tablet"  # immediate-release
    ORALLY_DISINTEGRATING = "orally disintegrating tablet"
    EXTENDED_RELEASE = "extended-release tablet"
    CAPSULE = "capsule"
    ORAL_SOLUTION = "oral solution"

    @property
    def label(self) -> str:
        """The name a person reads: "immediate-release tablet", "extended-release tablet"."""
        return _LABELS[self]

    @property
    def short(self) -> str:
        """A short name for lists: "tablet", "ODT", "XR tablet"."""
        return _SHORT[self]

    @property
    def must_stay_intact(self) -> bool:
        """True when the product must be swallowed whole: never split, crushed,
        weighed as powder or suspended."""
        return self is DosageForm.EXTENDED_RELEASE

    @property
    def may_be_split(self) -> bool:
        """True when splitting along a score line is possible at all (the tablet's own
        scoring still decides): capsules, liquids and XR tablets are never split."""
        return self in (DosageForm.TABLET, DosageForm.ORALLY_DISINTEGRATING)


_LABELS = {
    DosageForm.TABLET: "immediate-release tablet",
    DosageForm.ORALLY_DISINTEGRATING: "orally disintegrating tablet",
    DosageForm.EXTENDED_RELEASE: "extended-release tablet",
    DosageForm.CAPSULE: "capsule",
    DosageForm.ORAL_SOLUTION: "oral solution",
}

_SHORT = {
    DosageForm.TABLET: "tablet",
    DosageForm.ORALLY_DISINTEGRATING: "ODT",
    DosageForm.EXTENDED_RELEASE: "XR tablet",
    DosageForm.CAPSULE: "capsule",
    DosageForm.ORAL_SOLUTION: "oral solution",
}

#: Other words for the forms, as people and older files write them.
_ALIASES = {
    "ir": DosageForm.TABLET,
    "immediate-release tablet": DosageForm.TABLET,
    "immediate release tablet": DosageForm.TABLET,
    "odt": DosageForm.ORALLY_DISINTEGRATING,
    "wafer": DosageForm.ORALLY_DISINTEGRATING,
    "xr": DosageForm.EXTENDED_RELEASE,
    "er": DosageForm.EXTENDED_RELEASE,
    "extended release tablet": DosageForm.EXTENDED_RELEASE,
    "modified-release tablet": DosageForm.EXTENDED_RELEASE,
    "oral suspension": DosageForm.ORAL_SOLUTION,
    "oral concentrate": DosageForm.ORAL_SOLUTION,
    "drops": DosageForm.ORAL_SOLUTION,
}


def parse_form(text: str) -> DosageForm:
    """The form ``text`` names ("tablet", "ODT", "xr", "extended-release tablet");
    ``ValueError`` naming the text when it names none."""
    wanted = str(text).strip().casefold()
    for form in DosageForm:
        if wanted == form.value:
            return form
    try:
        return _ALIASES[wanted]
    except KeyError:
        raise ValueError(f"Unknown dosage form {text!r}") from None


#: Why an extended-release tablet is never titrated, for every method that would crush,
#: split, weigh or suspend one (FDA label of alprazolam extended-release; domain reference).
INTACT_FORM_REASON = (
    "Extended-release tablets must be swallowed whole, not chewed, crushed or broken (FDA "
    "label of alprazolam extended-release), so they cannot be split, weighed as powder or "
    "suspended. Measuring part of a dose needs an immediate-release form; switching forms is "
    "a decision for your prescriber."
)


def intact_form_problem(form: DosageForm) -> str | None:
    """The sentence refusing to crush, weigh or suspend ``form``; ``None`` when allowed."""
    return INTACT_FORM_REASON if form.must_stay_intact else None
