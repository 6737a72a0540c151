"""The daily diary: what was taken, how each symptom felt, sleep, notes.

Pure values and rules (no Qt, no SQL). One :class:`DiaryEntry` per calendar
day. Doses are in mg of the drug named by ``drug_key``; severities and
wellbeing are whole numbers 0-10; sleep is in hours (0-24).

A day without an entry is *missing*: averages skip it, adherence counts it as
not logged, and nothing here ever assumes a dose was taken on it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType

from taperdesk.core.measure import clean, format_mg, parse_decimal

#: The community's words for the pattern: better days, worse days, neither.
DAY_MARKERS: tuple[str, ...] = ("neutral", "window", "wave")
MIN_DATE = dt.date(1970, 1, 1)
MAX_DATE = dt.date(2199, 12, 31)
MAX_DOSE_MG = 1000.0
#: The smallest non-zero dose a diary records (smaller ones would be stored as 0).
MIN_DOSE_MG = 0.00001
MAX_NOTES = 20000
MAX_REASON = 2000
MAX_LABEL = 30
MAX_SYMPTOM_NAME = 60
#: Doses closer than this (mg) count as equal: float noise, not a deviation.
DOSE_TOLERANCE_MG = 1e-6

KINDLING_CAUTION = (
    "About kindling: repeated ups and downs in dose can make later "
    "withdrawal harder, so community and clinical guidance is to hold (pause) at a dose rather "
    "than go up and down again. Your prescriber can help you decide what comes next."
)
BELOW_PLAN_NOTE = "Less than planned: recorded as taken. The plan is not changed."
REINSTATEMENT_DAYS = 30


def reinstatement_guidance(days_since_zero: int | None) -> str:
    """Text shown when a dose is logged after the taper reached zero."""
    when = "Your plan has reached zero."
    if days_since_zero is not None:
        days = f"{days_since_zero} day{'s' * (days_since_zero != 1)}"
        when = f"Your plan reached zero {days} ago."
    return (
        f"{when} Community guidance is that reinstating, if at all, happens within "
        f"{REINSTATEMENT_DAYS} days of stopping and together with the prescriber, who is the "
        "person to talk to about any dose from here."
    )


class FieldError(ValueError):
    """A value a person typed that is not accepted; ``field`` names the input."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


class EntryInvalid(ValueError):
    """An entry with one or more bad fields: ``errors`` maps field name to message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


@dataclass(frozen=True, slots=True)
class DoseTaken:
    """One dose actually taken at a dosing time, with what the plan said (mg)."""

    label: str
    drug_key: str
    dose_mg: float
    planned_mg: float | None = None
    taken_time: str | None = None  # "HH:MM"


@dataclass(frozen=True)
class DiaryEntry:
    """One calendar day of the diary. ``ratings`` maps symptom id to severity 0-10."""

    entry_date: dt.date
    doses: tuple[DoseTaken, ...] = ()
    ratings: Mapping[int, int] = field(default_factory=dict)
    wellbeing: int | None = None
    sleep_hours: float | None = None
    day_marker: str = "neutral"
    notes: str = ""
    deviation_reason: str = ""

    def __post_init__(self) -> None:
        # Doses in a canonical order (by time label, then drug), as the database returns them.
        doses = tuple(sorted(self.doses, key=lambda d: (str(d.label), str(d.drug_key))))
        object.__setattr__(self, "doses", doses)
        object.__setattr__(self, "ratings", MappingProxyType(dict(sorted(self.ratings.items()))))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DiaryEntry):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[object, ...]:
        return (
            self.entry_date,
            self.doses,
            tuple(self.ratings.items()),
            self.wellbeing,
            self.sleep_hours,
            self.day_marker,
            self.notes,
            self.deviation_reason,
        )

    @property
    def taken_mg(self) -> float:
        """Total mg taken that day (all drugs summed; per-drug totals: :meth:`taken_mg_of`)."""
        return clean(sum(d.dose_mg for d in self.doses))

    def taken_mg_of(self, drug_key: str) -> float:
        return clean(sum(d.dose_mg for d in self.doses if d.drug_key == drug_key))

    @property
    def planned_mg(self) -> float | None:
        """Total planned mg, or ``None`` when no dose of the day had a plan."""
        planned = [d.planned_mg for d in self.doses if d.planned_mg is not None]
        return clean(sum(planned)) if planned else None

    @property
    def is_empty(self) -> bool:
        return (
            not self.doses
            and not self.ratings
            and self.wellbeing is None
            and self.sleep_hours is None
            and self.day_marker == "neutral"
            and not self.notes.strip()
            and not self.deviation_reason.strip()
        )


@dataclass(frozen=True, slots=True)
class Symptom:
    """A symptom of the catalogue; ``hidden`` ones keep their ratings."""

    id: int
    name: str
    is_seed: bool = False
    hidden: bool = False
    tracked: bool = False
    position: int = 0


# -- parsing what people type ------------------------------------------------


def _number(field_name: str, text: str | float | int, what: str) -> float:
    if isinstance(text, bool):
        raise FieldError(field_name, f"Enter {what} as a number.")
    if isinstance(text, int | float):
        value = float(text)
    else:
        if not str(text).strip():
            raise FieldError(field_name, f"Enter {what}.")
        try:
            value = parse_decimal(str(text))
        except ValueError:
            raise FieldError(field_name, f"Enter {what} as a number, e.g. 7.5.") from None
    if not math.isfinite(value):
        raise FieldError(field_name, f"Enter {what} as an ordinary number.")
    return value


def parse_dose_mg(text: str | float, field_name: str = "dose", *, any_size: bool = False) -> float:
    """A dose in mg: "7,5" and "7.5" both work; 0 to 1000 mg.

    A typed dose below :data:`MIN_DOSE_MG` is refused (it would be stored as 0);
    ``any_size`` accepts it, for a planned dose the plan itself computed.
    """
    value = _number(field_name, text, "the dose in mg")
    if value < 0:
        raise FieldError(field_name, "A dose cannot be negative.")
    if value > MAX_DOSE_MG:
        raise FieldError(field_name, f"A dose above {format_mg(MAX_DOSE_MG)} is not accepted.")
    if 0 < value < MIN_DOSE_MG and not any_size:  # it would be stored as 0: say so instead
        raise FieldError(
            field_name, f"A dose below {format_mg(MIN_DOSE_MG, 6)} is too small to record."
        )
    return clean(value)


def parse_score(text: str | int, field_name: str, what: str = "a number") -> int:
    """A whole number 0-10 (severity or wellbeing)."""
    value = _number(field_name, text, what)
    if value != int(value):
        raise FieldError(field_name, "Use a whole number from 0 to 10.")
    if not 0 <= value <= 10:
        raise FieldError(field_name, "Use a number from 0 (none) to 10 (worst).")
    return int(value)


def parse_sleep_hours(text: str | float, field_name: str = "sleep_hours") -> float:
    value = _number(field_name, text, "hours of sleep")
    if not 0 <= value <= 24:
        raise FieldError(field_name, "Hours of sleep must be from 0 to 24.")
    return clean(value)


def parse_entry_date(text: str | dt.date, field_name: str = "entry_date") -> dt.date:
    """An ISO date (YYYY-MM-DD) between 1970 and 2199."""
    if isinstance(text, dt.datetime):
        raise FieldError(field_name, "Give a date without a time.")
    if isinstance(text, dt.date):
        day = text
    else:
        raw = str(text).strip()
        try:
            if len(raw) != 10:
                raise ValueError
            day = dt.date.fromisoformat(raw)
        except ValueError:
            raise FieldError(field_name, f"'{raw}' is not a date like 2026-03-01.") from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise FieldError(field_name, f"{day.isoformat()} is outside 1970-2199.")
    return day


def parse_taken_time(text: str | None, field_name: str = "taken_time") -> str | None:
    """ "HH:MM" (24-hour), or ``None`` for blank."""
    if text is None or not str(text).strip():
        return None
    raw = str(text).strip()
    try:
        if len(raw) != 5:
            raise ValueError
        parsed = dt.time.fromisoformat(raw)
    except ValueError:
        raise FieldError(field_name, f"'{raw}' is not a time like 08:00.") from None
    return parsed.strftime("%H:%M")


def parse_day_marker(text: str, field_name: str = "day_marker") -> str:
    value = str(text).strip().lower()
    if value not in DAY_MARKERS:
        raise FieldError(field_name, "Mark the day as window, wave or neutral.")
    return value


def validate_symptom_name(name: str, taken: Iterable[str] = ()) -> str:
    """A trimmed symptom name, 1-60 characters, not already in the catalogue."""
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise FieldError("name", "Give the symptom a name.")
    if len(cleaned) > MAX_SYMPTOM_NAME:
        raise FieldError("name", f"Keep the name to {MAX_SYMPTOM_NAME} characters.")
    if not cleaned.isprintable():
        raise FieldError("name", "Use letters, digits and punctuation only.")
    if cleaned.casefold() in {t.casefold() for t in taken}:
        raise FieldError("name", f"'{cleaned}' is already in your list.")
    return cleaned


def _planned_dose(value: float) -> float:
    return parse_dose_mg(value, "planned_mg", any_size=True)


def validate_entry(entry: DiaryEntry) -> None:
    """Check every field of ``entry``; raise :class:`EntryInvalid` listing the bad ones."""
    errors: dict[str, str] = {}

    def check(name: str, fn: object, *args: object) -> None:
        try:
            fn(*args)  # type: ignore[operator]
        except FieldError as error:
            errors.setdefault(name, error.message)

    check("entry_date", parse_entry_date, entry.entry_date)
    seen: set[tuple[str, str]] = set()
    for i, dose in enumerate(entry.doses):
        where = f"doses[{i}]"
        label = dose.label.strip() if isinstance(dose.label, str) else ""
        if not label or len(label) > MAX_LABEL:
            errors.setdefault(f"{where}.label", f"Name the dosing time (1-{MAX_LABEL} characters).")
        if not isinstance(dose.drug_key, str) or not 1 <= len(dose.drug_key) <= 60:
            errors.setdefault(f"{where}.drug_key", "Choose the drug taken.")
        if (dose.label, dose.drug_key) in seen:
            errors.setdefault(f"{where}.label", f"'{dose.label}' is listed twice.")
        seen.add((dose.label, dose.drug_key))
        check(f"{where}.dose_mg", parse_dose_mg, dose.dose_mg)
        if dose.planned_mg is not None:
            check(f"{where}.planned_mg", _planned_dose, dose.planned_mg)
        check(f"{where}.taken_time", parse_taken_time, dose.taken_time)
    for symptom_id, severity in entry.ratings.items():
        if type(severity) is int and 0 <= severity <= 10:
            continue  # the usual case, checked without the parser (saves run on every edit)
        if isinstance(severity, bool) or not isinstance(severity, int):
            errors.setdefault(f"ratings[{symptom_id}]", "Use a whole number from 0 to 10.")
        else:
            check(f"ratings[{symptom_id}]", parse_score, severity, f"ratings[{symptom_id}]")
    if entry.wellbeing is not None:
        check("wellbeing", parse_score, entry.wellbeing, "wellbeing")
    if entry.sleep_hours is not None:
        check("sleep_hours", parse_sleep_hours, entry.sleep_hours)
    check("day_marker", parse_day_marker, entry.day_marker)
    if len(entry.notes) > MAX_NOTES:
        errors["notes"] = f"Notes are limited to {MAX_NOTES} characters."
    if len(entry.deviation_reason) > MAX_REASON:
        errors["deviation_reason"] = f"The reason is limited to {MAX_REASON} characters."
    for name, text in (("notes", entry.notes), ("deviation_reason", entry.deviation_reason)):
        if "\x00" in text:  # a damaged file, never something typed
            errors.setdefault(name, "Contains a NUL character: the file may be damaged.")
    if errors:
        raise EntryInvalid(errors)


# -- deviation from the plan ------------------------------------------------


class DeviationKind(Enum):
    NO_PLAN = "no plan"
    AS_PLANNED = "as planned"
    ABOVE_PLAN = "above plan"
    BELOW_PLAN = "below plan"
    #: A non-zero dose after the taper reached zero.
    REINSTATEMENT = "after zero"


@dataclass(frozen=True, slots=True)
class Deviation:
    kind: DeviationKind
    taken_mg: float
    planned_mg: float | None
    message: str = ""
    #: The first sentence on its own ("0.253 mg above the plan (0.75 mg)"): a banner cut
    #: the message at its first full stop, the decimal point of "0.253".
    headline: str = ""

    @property
    def needs_reason(self) -> bool:
        return self.kind in (DeviationKind.ABOVE_PLAN, DeviationKind.REINSTATEMENT)

    @property
    def parts_ways(self) -> bool:
        """The log and the plan differ this day."""
        return self.kind in (
            DeviationKind.ABOVE_PLAN,
            DeviationKind.BELOW_PLAN,
            DeviationKind.REINSTATEMENT,
        )


def classify_deviation(doses: Sequence[DoseTaken], days_since_zero: int | None = None) -> Deviation:
    """Compare what was taken with the plan, over the doses that had a planned amount.

    ``days_since_zero`` is given when the plan had already reached zero before
    this day (0 = the first day at zero); then any dose is a reinstatement.
    """
    taken = clean(sum(d.dose_mg for d in doses))
    planned_doses = [d for d in doses if d.planned_mg is not None]
    if days_since_zero is not None and taken > DOSE_TOLERANCE_MG:
        return Deviation(
            DeviationKind.REINSTATEMENT, taken, 0.0, reinstatement_guidance(days_since_zero)
        )
    if not planned_doses:
        return Deviation(DeviationKind.NO_PLAN, taken, None)
    # Drug by drug: during a switch 1 mg lorazepam + 10 mg diazepam is not "11 mg", and
    # 10 mg diazepam taken instead of 1 mg lorazepam is not "9 mg above the plan".
    keys = sorted({d.drug_key for d in planned_doses})
    several = len(keys) > 1
    below: Deviation | None = None
    for key in keys:
        of_drug = [d for d in planned_doses if d.drug_key == key]
        planned = clean(sum(d.planned_mg or 0.0 for d in of_drug))
        taken_vs = clean(sum(d.dose_mg for d in of_drug))
        name = f" of {key}" if several else ""
        if taken_vs > planned + DOSE_TOLERANCE_MG:
            extra = format_mg(clean(taken_vs - planned), 4)
            headline = f"{extra}{name} above the plan ({format_mg(planned, 4)})"
            return Deviation(
                DeviationKind.ABOVE_PLAN,
                taken_vs,
                planned,
                f"{headline}. {KINDLING_CAUTION}",
                headline,
            )
        if taken_vs < planned - DOSE_TOLERANCE_MG and below is None:
            less = format_mg(clean(planned - taken_vs), 4)
            below = Deviation(
                DeviationKind.BELOW_PLAN,
                taken_vs,
                planned,
                f"{less}{name} less. " + BELOW_PLAN_NOTE,
            )
    if below is not None:
        return below
    planned = clean(sum(d.planned_mg or 0.0 for d in planned_doses))
    return Deviation(
        DeviationKind.AS_PLANNED, clean(sum(d.dose_mg for d in planned_doses)), planned
    )


def diverging_days(entries: Sequence[DiaryEntry]) -> int:
    """How many of the latest consecutive logged days part ways with the plan.

    ``entries`` are in date order; a gap in the dates (a missing day) ends the
    run, since a missing day says nothing either way.
    """
    count = 0
    previous: dt.date | None = None
    for entry in reversed(entries):
        if previous is not None and (previous - entry.entry_date).days != 1:
            break
        if not classify_deviation(entry.doses).parts_ways:
            break
        count += 1
        previous = entry.entry_date
    return count


# -- averages and adherence -------------------------------------------------


def rolling_mean(
    days: Sequence[dt.date] | Sequence[int], values: Sequence[float | None], window_days: int = 7
) -> list[float | None]:
    """Mean over the last ``window_days`` calendar days, at each logged day.

    ``days`` are increasing dates (or day ordinals). Missing days and ``None``
    values are skipped, never filled in: a window with nothing in it gives
    ``None``.
    """
    ordinals = [d.toordinal() if isinstance(d, dt.date) else int(d) for d in days]
    result: list[float | None] = []
    total = 0.0
    count = 0
    start = 0
    for i, day in enumerate(ordinals):
        value = values[i]
        if value is not None:
            total += value
            count += 1
        while ordinals[start] <= day - window_days:
            old = values[start]
            if old is not None:
                total -= old
                count -= 1
            start += 1
        result.append(total / count if count else None)
    return result


@dataclass(frozen=True, slots=True)
class Adherence:
    """How the log compares with the plan over a period, for the prescriber report."""

    start: dt.date
    end: dt.date
    days_in_period: int
    days_logged: int
    days_with_dose: int
    days_as_planned: int
    days_above_plan: int
    days_below_plan: int
    days_without_plan: int
    window_days: int
    wave_days: int

    @property
    def days_missing(self) -> int:
        return self.days_in_period - self.days_logged

    def describe(self) -> str:
        return (
            f"{self.days_logged} of {self.days_in_period} days logged; "
            f"{self.days_as_planned} taken as planned, {self.days_above_plan} above plan, "
            f"{self.days_below_plan} below plan; {self.days_missing} days not logged."
        )


def adherence_summary(entries: Iterable[DiaryEntry], start: dt.date, end: dt.date) -> Adherence:
    """Count logged, as-planned, above and below days from ``start`` to ``end`` (inclusive)."""
    counts = dict.fromkeys(DeviationKind, 0)
    logged = with_dose = window = wave = 0
    for entry in entries:
        if not start <= entry.entry_date <= end:
            continue
        logged += 1
        with_dose += bool(entry.doses)
        window += entry.day_marker == "window"
        wave += entry.day_marker == "wave"
        if entry.doses:
            counts[classify_deviation(entry.doses).kind] += 1
    return Adherence(
        start=start,
        end=end,
        days_in_period=max(0, (end - start).days + 1),
        days_logged=logged,
        days_with_dose=with_dose,
        days_as_planned=counts[DeviationKind.AS_PLANNED],
        days_above_plan=counts[DeviationKind.ABOVE_PLAN] + counts[DeviationKind.REINSTATEMENT],
        days_below_plan=counts[DeviationKind.BELOW_PLAN],
        days_without_plan=counts[DeviationKind.NO_PLAN],
        window_days=window,
        wave_days=wave,
    )


def missing_days(logged: Iterable[dt.date], start: dt.date, end: dt.date) -> list[dt.date]:
    """Days from ``start`` to ``end`` (inclusive) without an entry."""
    have = set(logged)
    return [
        start + dt.timedelta(days=i)
        for i in range((end - start).days + 1)
        if start + dt.timedelta(days=i) not in have
    ]
