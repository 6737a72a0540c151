"""The prescriber report's facts in words: the block a prescriber reads first.

Plain data (:class:`Deviation`, :func:`deviations`, :func:`hold_spans`) and the
sentences made of it (:func:`glance_lines`), kept apart from the page layout so
tests check them directly. Every planned dose comes from
:meth:`LivedPlan.on`; every number keeps the digits :func:`format_mg` gives it.
The words state what was planned and logged; they never say what to do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from taperdesk.app.lived_plan import DayKind, PlanDay
from taperdesk.core.measure import DOSE_DECIMALS, EPSILON, clean, format_mg, format_percent
from taperdesk.printing.sources import DiaryDay, PrintInputs
from taperdesk.printing.weekly_sheet import short_date

#: Dates listed in one line of the first block before "and N more (table below)".
MAX_DATES_LISTED = 6
#: Doses closer than this (mg) are equal (the report's tolerance since its first version).
TOLERANCE_MG = EPSILON * 1000


def signed_mg(value_mg: float) -> str:
    """``+0.05 mg``, ``−0.1 mg`` (a true minus sign) or ``±0 mg``, digits as
    :func:`format_mg`."""
    sign = "+" if value_mg > 0 else ("\u2212" if value_mg < 0 else "\u00b1")
    return sign + format_mg(abs(value_mg), DOSE_DECIMALS)


def date_span(first: dt.date, last: dt.date) -> str:
    """``3–9 Nov 2026``, ``28 Oct – 3 Nov 2026``, ``28 Dec 2026 – 3 Jan 2027``."""
    if first == last:
        return short_date(first, True)
    if first.year != last.year:
        return f"{short_date(first, True)} – {short_date(last, True)}"
    if first.month != last.month:
        return f"{short_date(first)} – {short_date(last, True)}"
    return f"{first.day}–{short_date(last, True)}"


def days_text(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


@dataclass(frozen=True)
class Deviation:
    """A logged day whose doses differ from the plan of that day.

    ``by_drug`` holds (drug key, mg taken minus mg planned) for each drug that
    differs; ``missed`` the dosing times planned above zero and logged as 0 mg,
    ``not_logged`` those planned above zero and not logged at all.
    """

    day: dt.date
    by_drug: tuple[tuple[str, float], ...]
    missed: tuple[str, ...] = ()
    not_logged: tuple[str, ...] = ()

    @property
    def direction(self) -> str:
        """``higher``, ``lower``, ``same total`` (a dose moved between dosing times) or
        ``different`` (one drug up, another down)."""
        if all(d > 0 for _k, d in self.by_drug):
            return "higher"
        if all(d < 0 for _k, d in self.by_drug):
            return "lower"
        if all(d == 0 for _k, d in self.by_drug):
            return "same total, other times"
        return "different"

    def signed_text(self, name_of: Callable[[str], str] | None = None) -> str:
        """``+0.05 mg``; with ``name_of`` (several drugs) each drug named:
        ``+1 mg diazepam, −0.5 mg clonazepam``."""
        return ", ".join(
            signed_mg(d) + (f" {name_of(k)}" if name_of is not None and k else "")
            for k, d in self.by_drug
        )

    def size_text(self, name_of: Callable[[str], str] | None = None) -> str:
        """``+0.05 mg (higher)``, ``−0.1 mg (lower)``."""
        return f"{self.signed_text(name_of)} ({self.direction})"

    @property
    def detail(self) -> str:
        """Which dosing times were missed or not logged ("morning dose missed")."""
        parts = [f"{label} dose missed" for label in self.missed]
        parts += [f"{label} not logged" for label in self.not_logged]
        return "; ".join(parts)


def _planned(planned_day: PlanDay | None, entry: DiaryDay) -> dict[str, dict[str, float]]:
    """mg planned by drug then dosing time: the plan as lived, or the diary's own planned
    mg when the day has no plan."""
    if planned_day is None or not entry.taken_by_drug:
        key = next(iter(entry.taken_by_drug), "")
        return {key: dict(entry.planned_mg)}
    return {d.drug_key: planned_day.doses_by_label(d.drug_key) for d in planned_day.drugs}


def deviation_of(planned_day: PlanDay | None, entry: DiaryDay) -> Deviation | None:
    """How a logged day differs from its plan, drug by drug; ``None`` when it does not
    (or when nothing was logged)."""
    if not entry.taken_mg and not entry.taken_by_drug:
        return None
    if planned_day is None and not entry.planned_mg:
        return None  # logged before there was a plan: nothing to differ from
    planned = _planned(planned_day, entry)
    if planned_day is None or not entry.taken_by_drug:
        key = next(iter(planned))
        taken = {key: dict(entry.taken_mg)}
    else:
        taken = {k: dict(v) for k, v in entry.taken_by_drug.items()}
    logged_labels = {label for doses in taken.values() for label in doses}
    by_drug, missed, not_logged = [], [], []
    for key in list(planned) + [k for k in taken if k not in planned]:
        plan_doses, taken_doses = planned.get(key, {}), taken.get(key, {})
        labels = list(plan_doses) + [x for x in taken_doses if x not in plan_doses]
        difference = 0.0
        for label in labels:
            planned_mg = plan_doses.get(label, 0.0)
            taken_mg = taken_doses.get(label, 0.0)
            if abs(taken_mg - planned_mg) <= TOLERANCE_MG:
                continue
            difference += taken_mg - planned_mg
            if planned_mg > 0 and taken_mg <= 0:
                if label in taken_doses:
                    missed.append(label)
                elif label not in logged_labels:
                    not_logged.append(label)
        if any(
            abs(taken_doses.get(x, 0.0) - plan_doses.get(x, 0.0)) > TOLERANCE_MG for x in labels
        ):
            by_drug.append((key, clean(difference)))
    if not by_drug:
        return None
    # A dose moved from one drug to another at the same total: keep both parts.
    return Deviation(entry.day, tuple(by_drug), tuple(missed), tuple(dict.fromkeys(not_logged)))


def deviations(inputs: PrintInputs, diary: Sequence[DiaryDay]) -> tuple[Deviation, ...]:
    """Every logged day of ``diary`` that differs from the plan, oldest first."""
    found = (deviation_of(inputs.lived.on(entry.day), entry) for entry in diary)
    return tuple(d for d in found if d is not None)


def hold_spans(inputs: PrintInputs, first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Each run of held days within ``first``..``last`` (the plan as lived)."""
    spans: list[tuple[dt.date, dt.date]] = []
    for day in inputs.lived.days(first, last):
        if not day.hold:
            continue
        if spans and (day.day - spans[-1][1]).days == 1:
            spans[-1] = (spans[-1][0], day.day)
        else:
            spans.append((day.day, day.day))
    return spans


def dose_words(day: PlanDay, name_of: Callable[[str], str]) -> str:
    """``clonazepam 0.45 mg a day (0.25 mg morning + 0.2 mg night)``; each drug of a
    switch day in turn."""
    parts = []
    for drug in day.taken_drugs:
        text = f"{name_of(drug.drug_key)} {format_mg(drug.total_mg, DOSE_DECIMALS)} a day"
        split = [
            f"{format_mg(mg, DOSE_DECIMALS)} {label}"
            for label, mg in zip(day.labels, drug.doses_mg, strict=True)
            if mg > 0
        ]
        if len(day.labels) > 1 and split:
            text += f" ({' + '.join(split)})"
        parts.append(text)
    return " + ".join(parts)


def _listed(items: Sequence[str]) -> str:
    shown = list(items[:MAX_DATES_LISTED])
    if len(items) > MAX_DATES_LISTED:
        shown.append(f"and {len(items) - MAX_DATES_LISTED} more (in the table below)")
    return "; ".join(shown)


def glance_lines(
    inputs: PrintInputs,
    diary: Sequence[DiaryDay],
    first: dt.date,
    last: dt.date,
    found: Sequence[Deviation],
    several_drugs: bool,
) -> list[tuple[str, str]]:
    """The first block of the report: (label, sentence) pairs.

    Now (or on the report's last day, when it ended before today): the dose and the
    step; the next cut; days logged; higher and lower days with their sizes; holds.
    """
    lived = inputs.lived

    def name_of(key: str) -> str:
        return inputs.catalogue.get(key).name.lower()

    reference = min(max(lived.today, first), last)
    label = "Now" if reference == lived.today else f"On {short_date(reference, True)}"
    lines: list[tuple[str, str]] = []
    planned = lived.on(reference)
    if planned is None:
        lines.append((label, "the plan had not begun"))
    elif planned.kind is DayKind.FINISHED:
        lines.append((label, "the taper is finished (0 mg)"))
    else:
        step = planned.step
        total = lived.schedule.summary.step_count
        if planned.open_hold:
            where = f"on hold since {short_date(lived.open_hold.start, True)}"  # type: ignore[union-attr]
        elif planned.hold:
            where = "on hold"
        elif planned.kind is DayKind.LEAD_IN or step is None:
            where = "before the first cut"
        elif step.is_cut:
            where = f"step {step.number} of {total}"
        else:
            where = f"step {step.number} of {total}, switching drug"
        lines.append((label, f"{dose_words(planned, name_of)}; {where}"))
    lines.append(("Next cut", _next_cut_text(inputs, reference)))
    logged = [d for d in diary if first <= d.day <= last and d.taken_mg]  # as adherence()
    days = (last - first).days + 1
    if not logged:
        # Not "every logged day went as planned": there is nothing to compare.
        lines.append(
            (
                "Logged",
                f"No day of this range is logged ({days_text(days)}): nothing to compare "
                "with the plan.",
            )
        )
    else:
        percent = format_percent(100 * len(logged) / days, 0)
        unplanned = [d for d in logged if inputs.lived.on(d.day) is None and not d.planned_mg]
        before = f", {len(unplanned)} before the plan" if unplanned else ""
        lines.append(
            (
                "Logged",
                f"{len(logged)} of {days_text(days)} logged ({percent}); "
                f"{len(logged) - len(found) - len(unplanned)} as planned, "
                f"{len(found)} different{before}",
            )
        )
    names = name_of if several_drugs else None
    for title, direction in (("Higher", "higher"), ("Lower or missed", "lower")):
        chosen = [d for d in found if d.direction == direction]
        if not chosen and not logged:
            continue
        items = [
            f"{short_date(d.day)} {d.signed_text(names)}" + (f" ({d.detail})" if d.detail else "")
            for d in chosen
        ]
        lines.append((title, f"{days_text(len(chosen))}: {_listed(items)}" if items else "none"))
    mixed = [d for d in found if d.direction not in ("higher", "lower")]
    if mixed:
        items = [f"{short_date(d.day)} {d.size_text(names)}" for d in mixed]
        lines.append(("Other changes", f"{days_text(len(mixed))}: {_listed(items)}"))
    spans = hold_spans(inputs, first, last)
    hold_texts = [f"{date_span(a, b)} ({days_text((b - a).days + 1)})" for a, b in spans]
    if spans and lived.open_hold is not None and spans[-1][1] >= lived.open_hold.start:
        hold_texts[-1] += ", not resumed yet"
    lines.append(("Holds", "; ".join(hold_texts) if hold_texts else "none in this range"))
    return lines


def _next_cut_text(inputs: PrintInputs, reference: dt.date) -> str:
    lived = inputs.lived
    if lived.open_hold is not None and reference >= lived.open_hold.start:
        return "none while on hold: the same dose until the person resumes"
    cut = lived.next_cut(reference)
    if cut is None:
        return "none: the plan has no further cut"
    before = clean(cut.dose_after_mg + cut.cut_mg)
    drug = inputs.catalogue.get(cut.drug_key).name.lower()
    percent = format_percent(100 * cut.cut_mg / before) if before > 0 else ""
    change = (
        f"{format_mg(before, DOSE_DECIMALS).removesuffix(' mg')} → "
        f"{format_mg(cut.dose_after_mg, DOSE_DECIMALS)} {drug} a day"
    )
    if percent:
        change += f" (\u2212{percent})"
    return f"on {short_date(cut.day, True)}: {change}"
