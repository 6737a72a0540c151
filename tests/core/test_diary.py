"""Diary values: field validation, deviation from the plan, averages, adherence."""

from __future__ import annotations

import datetime as dt

import pytest

from taperdesk.core.diary import (
    DeviationKind,
    DiaryEntry,
    DoseTaken,
    EntryInvalid,
    FieldError,
    adherence_summary,
    classify_deviation,
    diverging_days,
    parse_dose_mg,
    parse_entry_date,
    parse_score,
    parse_sleep_hours,
    parse_taken_time,
    rolling_mean,
    validate_entry,
)
from taperdesk.core.diary_csv import CsvProblems, diary_from_csv, diary_to_csv

D = dt.date(2026, 3, 1)


@pytest.mark.parametrize("text, mg", [("7,5", 7.5), ("7.5", 7.5), (" 0 ", 0.0), (0.25, 0.25)])
def test_dose_accepts_comma_and_dot(text, mg) -> None:
    assert parse_dose_mg(text) == mg


@pytest.mark.parametrize("text", ["nan", "inf", "-1", "1001", "abc", "", "1e999", True])
def test_dose_rejects_bad_values(text) -> None:
    with pytest.raises(FieldError):
        parse_dose_mg(text)


def test_a_typed_dose_too_small_to_record_is_refused_but_a_planned_one_is_kept() -> None:
    with pytest.raises(FieldError, match="too small to record"):
        parse_dose_mg("0.0000001")
    # A micro taper can plan such a dose itself: the day still saves.
    validate_entry(DiaryEntry(D, (DoseTaken("morning", "clonazepam", 0.0, 0.000001),)))


@pytest.mark.parametrize("text", ["-1", "11", "5.5", "x", "nan"])
def test_scores_are_whole_0_to_10(text) -> None:
    with pytest.raises(FieldError):
        parse_score(text, "wellbeing")
    assert parse_score("10", "wellbeing") == 10


def test_sleep_dates_and_times() -> None:
    assert parse_sleep_hours("7,25") == 7.25
    for bad in ("25", "-0.5", "inf"):
        with pytest.raises(FieldError):
            parse_sleep_hours(bad)
    assert parse_entry_date("2026-03-01") == D
    for bad in ("2026-02-30", "1969-12-31", "2200-01-01", "01/03/2026", "2026-3-1"):
        with pytest.raises(FieldError):
            parse_entry_date(bad)
    assert parse_taken_time("08:05") == "08:05"
    assert parse_taken_time("") is None
    with pytest.raises(FieldError):
        parse_taken_time("25:00")


def test_validate_entry_lists_every_bad_field() -> None:
    entry = DiaryEntry(
        D,
        (DoseTaken("morning", "clonazepam", -1.0), DoseTaken("morning", "clonazepam", 1.0)),
        {1: 11},
        wellbeing=12,
        sleep_hours=30.0,
        day_marker="sunny",
    )
    with pytest.raises(EntryInvalid) as caught:
        validate_entry(entry)
    assert {"doses[0].dose_mg", "doses[1].label", "ratings[1]", "wellbeing", "sleep_hours",
            "day_marker"} <= set(caught.value.errors)  # fmt: skip


def _dose(mg: float, planned: float | None) -> DoseTaken:
    return DoseTaken("morning", "clonazepam", mg, planned)


def test_deviation_kinds() -> None:
    assert classify_deviation([_dose(0.5, 0.5)]).kind is DeviationKind.AS_PLANNED
    above = classify_deviation([_dose(0.75, 0.5)])
    assert above.kind is DeviationKind.ABOVE_PLAN and above.needs_reason
    assert "kindling" in above.message
    below = classify_deviation([_dose(0.25, 0.5)])
    assert below.kind is DeviationKind.BELOW_PLAN and not below.needs_reason
    assert "recorded as taken" in below.message
    assert classify_deviation([_dose(0.5, None)]).kind is DeviationKind.NO_PLAN


def test_reinstatement_after_zero_shows_guidance() -> None:
    result = classify_deviation([_dose(0.25, 0.0)], days_since_zero=12)
    assert result.kind is DeviationKind.REINSTATEMENT
    assert "30 days" in result.message and "prescriber" in result.message
    assert "12 days ago" in result.message
    assert (
        classify_deviation([_dose(0.0, 0.0)], days_since_zero=12).kind is DeviationKind.AS_PLANNED
    )


def test_rolling_mean_skips_missing_days() -> None:
    days = [D, D + dt.timedelta(days=1), D + dt.timedelta(days=10)]
    assert rolling_mean(days, [2.0, 4.0, 9.0]) == [2.0, 3.0, 9.0]
    assert rolling_mean(days, [None, 4.0, None]) == [None, 4.0, None]


def test_adherence_and_divergence() -> None:
    entries = [
        DiaryEntry(D, (_dose(0.5, 0.5),)),
        DiaryEntry(D + dt.timedelta(days=1), (_dose(0.75, 0.5),), day_marker="wave"),
        DiaryEntry(D + dt.timedelta(days=2), (_dose(0.25, 0.5),)),
        DiaryEntry(D + dt.timedelta(days=3), (_dose(0.25, 0.5),)),
    ]
    summary = adherence_summary(entries, D, D + dt.timedelta(days=6))
    assert (summary.days_logged, summary.days_missing, summary.days_as_planned) == (4, 3, 1)
    assert (summary.days_above_plan, summary.days_below_plan, summary.wave_days) == (1, 2, 1)
    assert "4 of 7 days logged" in summary.describe()
    assert diverging_days(entries) == 3
    assert diverging_days([*entries[:2], entries[3]]) == 1  # a missing day ends the run


def test_csv_round_trip_and_bad_rows() -> None:
    entries = [
        DiaryEntry(
            D,
            (DoseTaken("morning", "clonazepam", 0.5, 0.5),),
            {1: 3},
            6,
            7.5,
            "window",
            'slept, "ok"\nsecond line',
        ),
        DiaryEntry(D + dt.timedelta(days=1), (), {2: 0}),
    ]
    text = diary_to_csv(entries, {1: "Anxiety", 2: "Insomnia"})
    assert diary_from_csv(text, {"Anxiety": 1, "Insomnia": 2}) == entries
    header = text.splitlines()[0]
    bad = (
        header + "\n2026-02-30,0.5,0.5,6,7.5,window,3,0,,\n2026-03-01,0.5,0.5,6,7.5,window,11,0,,\n"
    )
    with pytest.raises(CsvProblems) as caught:
        diary_from_csv(bad, {"Anxiety": 1, "Insomnia": 2})
    assert caught.value.problems[0].startswith("line 2: date")
    assert caught.value.problems[1].startswith("line 3: Anxiety")
    dup = header + "\n2026-03-01,,,,,neutral,,,,\n2026-03-01,,,,,neutral,,,,\n"
    with pytest.raises(CsvProblems, match="line 3: 2026-03-01 is already on line 2"):
        diary_from_csv(dup, {"Anxiety": 1, "Insomnia": 2})
    with pytest.raises(CsvProblems, match="unknown column 'Mood'"):
        diary_from_csv("date,Mood\n2026-03-01,3\n", {"Anxiety": 1})
    with pytest.raises(CsvProblems, match="no 'date' column"):
        diary_from_csv("day,Anxiety\n2026-03-01,3\n", {"Anxiety": 1})
