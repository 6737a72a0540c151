"""Diary and symptom storage on a real SQLite file."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from support.diary_samples import D, entry

from taperdesk.core.diary import EntryInvalid, FieldError
from taperdesk.store import diary as store
from taperdesk.store import symptoms


def test_round_trip_and_upsert_keeps_one_row_per_day(database) -> None:
    first = entry(wellbeing=6, sleep_hours=7.5, day_marker="window", notes="ok")
    store.save_entry(database, first)
    assert store.load_entry(database, D) == first
    second = entry(mg=0.25, ratings={3: 2}, notes="changed")
    store.save_entry(database, second)
    assert store.load_entry(database, D) == second
    assert database.query("SELECT count(*) FROM diary_entries")[0][0] == 1
    assert database.query("SELECT count(*) FROM symptom_ratings")[0][0] == 1
    assert [d.label for d in store.load_entry(database, D).doses] == ["morning", "night"]


def test_the_database_refuses_a_second_row_for_a_day(database) -> None:
    store.save_entry(database, entry())
    with pytest.raises(sqlite3.IntegrityError), database.transaction() as c:
        c.execute("INSERT INTO diary_entries (entry_date, updated_at) VALUES ('2026-03-01', 'x')")


def test_a_rated_symptom_cannot_be_deleted_without_the_by_symptom_index(database) -> None:
    """Schema 4 dropped the index; the foreign key still keeps every rating's symptom."""
    store.save_entry(database, entry(ratings={3: 2}))
    assert not database.query(
        "SELECT name FROM sqlite_master WHERE name = 'symptom_ratings_by_symptom'"
    )
    with pytest.raises(sqlite3.IntegrityError), database.transaction() as c:
        c.execute("DELETE FROM symptoms WHERE id = 3")
    assert store.load_entry(database, D).ratings == {3: 2}


def test_invalid_entry_is_not_written(database) -> None:
    with pytest.raises(EntryInvalid):
        store.save_entry(database, entry(wellbeing=11))
    assert store.load_entry(database, D) is None


def test_between_delete_search_and_last(database) -> None:
    for i in range(5):
        store.save_entry(database, entry(D + dt.timedelta(days=i), notes=f"day {i} 50% better"))
    assert (
        len(store.entries_between(database, D + dt.timedelta(days=1), D + dt.timedelta(days=3)))
        == 3
    )
    assert store.delete_entry(database, D) and not store.delete_entry(database, D)
    assert [h.entry_date for h in store.search_notes(database, "DAY 3")] == [
        D + dt.timedelta(days=3)
    ]
    assert len(store.search_notes(database, "50%")) == 4
    assert store.search_notes(database, "_") == []
    assert store.last_entry_before(
        database, D + dt.timedelta(days=3)
    ).entry_date == D + dt.timedelta(days=2)


def test_symptom_catalogue(database) -> None:
    seeds = symptoms.list_symptoms(database)
    assert len(seeds) == 15 and all(s.is_seed for s in seeds)
    tinnitus = symptoms.add_symptom(database, "  Tinnitus ")
    assert tinnitus.name == "Tinnitus" and tinnitus.tracked
    with pytest.raises(FieldError):
        symptoms.add_symptom(database, "anxiety")
    with pytest.raises(FieldError):
        symptoms.rename_symptom(database, tinnitus.id, "")
    symptoms.rename_symptom(database, tinnitus.id, "Ringing ears")
    store.save_entry(database, entry(ratings={tinnitus.id: 5}))
    symptoms.set_hidden(database, tinnitus.id, True)
    assert tinnitus.id not in [s.id for s in symptoms.tracked_symptoms(database)]
    assert store.load_entry(database, D).ratings == {tinnitus.id: 5}  # hidden keeps ratings
    symptoms.reorder_symptoms(database, [tinnitus.id])
    assert symptoms.list_symptoms(database)[0].name == "Ringing ears"
    symptoms.set_tracked(database, 1, False)
    assert 1 not in [s.id for s in symptoms.tracked_symptoms(database)]


def seed_years(database, years: int = 10, symptom_count: int = 15) -> None:
    with database.transaction() as connection:
        for i in range(365 * years):
            if i % 17 == 5:
                continue  # some missing days
            day = D - dt.timedelta(days=365 * years - i)
            ratings = {s: (i + s) % 11 for s in range(1, symptom_count + 1)}
            store.write_entry(
                connection,
                entry(
                    day, mg=0.5, ratings=ratings, day_marker=("neutral", "window", "wave")[i % 3]
                ),
            )


def test_ten_years_of_chart_data_load(database) -> None:
    seed_years(database)
    series = store.diary_series(database)
    assert len(series.days) == 3650 - 215
    assert len(series.ratings) == 15
    days, values = series.ratings[3]
    assert list(days) == list(series.days)
    first = store.entries_between(database)[0]
    assert values[0] == first.ratings[3] and series.taken_mg[0] == 1.0


def test_doses_taken_by_day_and_drug(database) -> None:
    from taperdesk.core.diary import DiaryEntry, DoseTaken

    store.save_entry(database, entry(mg=0.25))
    crossover_day = D + dt.timedelta(days=1)
    store.save_entry(
        database,
        DiaryEntry(
            crossover_day,
            (DoseTaken("morning", "diazepam", 5.0), DoseTaken("night", "clonazepam", 0.25)),
        ),
    )
    assert store.doses_taken_on(database, D, "clonazepam") == {"morning": 0.25, "night": 0.25}
    assert store.doses_taken_on(database, crossover_day, "diazepam") == {"morning": 5.0}
    assert store.doses_taken_on(database, D + dt.timedelta(days=9), "clonazepam") == {}
    assert store.daily_totals_taken(database, "clonazepam") == {D: 0.5, crossover_day: 0.25}


def test_note_search_folds_every_letter_and_shows_a_reason_hit(database) -> None:
    store.save_entry(database, entry(notes="Übelkeit am Morgen"))
    store.save_entry(
        database, entry(D + dt.timedelta(days=1), notes="", deviation_reason="Bad NIGHT")
    )
    (hit,) = store.search_notes(database, "übelkeit")
    assert hit.entry_date == D and hit.notes == "Übelkeit am Morgen"
    (hit,) = store.search_notes(database, "night")
    assert hit.notes == "Reason: Bad NIGHT"
    assert store.search_notes(database, "50%") == []  # no wildcard surprises


def test_drug_keys_after_a_days_save_are_what_a_full_read_finds(database) -> None:
    """Issue 18: each diary save read every dose of the diary to know which drugs it logs
    (~3 ms at ten years). After a save of one day, the day's drugs and the known ones
    still logged somewhere are the same answer."""
    from taperdesk.core.diary import DiaryEntry, DoseTaken

    def log(day: dt.date, *drugs: str) -> None:
        store.restore_day(database, day, DiaryEntry(day, tuple(
            DoseTaken(f"dose {n}", key, 1.0, 1.0) for n, key in enumerate(drugs)), {}))  # fmt: skip

    first, second, third = D, D + dt.timedelta(days=1), D + dt.timedelta(days=2)
    log(first, "clonazepam")
    log(second, "clonazepam")
    known = store.logged_drug_keys(database)
    log(third, "clonazepam", "diazepam")  # a crossover's first diazepam
    assert (
        store.drug_keys_still_logged(database, known, third)
        == store.logged_drug_keys(database)
        == ("clonazepam", "diazepam")
    )
    known = store.logged_drug_keys(database)
    log(third, "clonazepam")  # taken back: diazepam is logged nowhere now
    assert store.drug_keys_still_logged(database, known, third) == ("clonazepam",)
    store.restore_day(database, first, None)
    assert store.drug_keys_still_logged(database, ("clonazepam",), first) == ("clonazepam",)
