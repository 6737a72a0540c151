"""Plan overview, prescriber report, pharmacy request, charts, and the store adapter."""

from __future__ import annotations

import datetime as dt

import pytest
from support.printing_samples import START, ink_box, pdf_pages, png_pages, sample_plan

from taperdesk.core.diary import DiaryEntry, DoseTaken
from taperdesk.printing import charts, sources
from taperdesk.printing.document import PageSize, default_page_size, write_pdf
from taperdesk.printing.pharmacy_request import PharmacyRequestDocument, compounding_for
from taperdesk.printing.plan_overview import PlanOverviewDocument
from taperdesk.printing.prescriber_report import PrescriberReportDocument, adherence
from taperdesk.printing.sources import DiaryDay


def diary_for(inputs, days: int = 40) -> list[DiaryDay]:
    entries = []
    for i in range(days):
        day = START + dt.timedelta(days=i)
        planned = inputs.schedule.doses_on(day).doses_mg_by_label()
        taken = dict(planned)
        reason = ""
        if i == 12:
            taken["night"] += 0.05
            reason = "Bad night, took a little more."
        if i == 20:
            continue
        entries.append(DiaryDay(day, taken, planned, {"Anxiety": i % 7, "Insomnia": 3}, "", reason))
    return entries


def test_overview_lists_every_step_over_pages_with_the_header_repeated(inputs, tmp_path) -> None:
    path = tmp_path / "overview.pdf"
    pages = write_pdf(PlanOverviewDocument(inputs), path, PageSize.A4)
    texts = [t for t, _w, _h in pdf_pages(path)]
    assert pages == len(texts) >= 2
    whole = " ".join(texts)
    for step in inputs.schedule.steps:
        assert step.start_date.strftime("%-d %b %Y") in whole
    assert all("Daily dose" in t for t in texts)  # header on every page
    assert "Steps (continued)" in texts[1]
    assert "CAUTION" in texts[0]


def test_plan_chart_draws_the_schedule(inputs) -> None:
    figure = charts.plan_figure(inputs.schedule, 500, 200)
    line = figure.axes[0].get_lines()[0]
    rows = list(inputs.schedule.rows_for_drug("clonazepam"))
    assert list(line.get_ydata()) == [r.total_mg for r in rows]
    svg = charts.to_svg(figure)
    assert svg.startswith(b"<?xml") and b"<svg" in svg


def test_adherence_counts_logged_planned_and_deviating_days(inputs) -> None:
    diary = diary_for(inputs)
    stats = adherence(inputs, diary, START, START + dt.timedelta(days=39))
    assert (stats.days, stats.days_logged, stats.days_as_planned) == (40, 39, 38)
    assert stats.deviations == (START + dt.timedelta(days=12),)
    assert stats.held_days == 3 and len(stats.holds) == 1


def test_report_pdf_has_summary_charts_and_days_to_note(inputs, tmp_path) -> None:
    path = tmp_path / "report.pdf"
    last = START + dt.timedelta(days=39)
    document = PrescriberReportDocument(inputs, diary_for(inputs), START, last)
    assert write_pdf(document, path, PageSize.LETTER) == 1
    text = pdf_pages(path)[0][0]
    assert "Report for the prescriber" in text
    assert "39 of 40 days logged" in text and "38 as planned" in text
    assert "Bad night, took a little more." in text and "HOLD" in text
    figure = charts.symptoms_figure(document.diary, document.symptoms, START, last, 500, 150)
    labels = [ln.get_label() for ln in figure.axes[0].get_lines()]
    assert [x for x in labels if not x.startswith("_")] == ["Anxiety", "Insomnia"]


def test_report_refuses_a_backwards_range(inputs) -> None:
    with pytest.raises(ValueError, match="before its start"):
        PrescriberReportDocument(inputs, [], START, START - dt.timedelta(days=1))


def test_pharmacy_request_prints_strengths_counts_and_signature(inputs, tmp_path) -> None:
    result = compounding_for(inputs, dt.date(2027, 1, 18), 28)
    path = tmp_path / "pharmacy.pdf"
    document = PharmacyRequestDocument(result, "Clonazepam", dt.date(2027, 1, 18), "Alex")
    assert write_pdf(document, path, PageSize.A4) == 1
    text = pdf_pages(path)[0][0]
    assert result.summary in text
    for count in result.counts:
        assert str(count.count) in text
    assert "Signature" in text and "Registration no." in text


@pytest.mark.parametrize("kind", ["overview", "report", "pharmacy"])
def test_other_documents_stay_inside_the_margins(inputs, tmp_path, kind) -> None:
    document = {
        "overview": lambda: PlanOverviewDocument(inputs),
        "report": lambda: PrescriberReportDocument(
            inputs, diary_for(inputs), START, START + dt.timedelta(days=39)
        ),
        "pharmacy": lambda: PharmacyRequestDocument(
            compounding_for(inputs, START, 28), "Clonazepam", START
        ),
    }[kind]()
    path = tmp_path / f"{kind}.pdf"
    write_pdf(document, path, PageSize.LETTER)
    margin = 40 / 72 * 50
    for image in png_pages(path, tmp_path):
        left, top, right, bottom = ink_box(image)
        assert left >= margin - 1 and top >= margin - 1
        assert right <= image.width() - margin + 1 and bottom <= image.height() - margin + 1


def test_default_page_size_follows_the_locale() -> None:
    from PySide6.QtCore import QLocale

    assert default_page_size(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)) is (
        PageSize.LETTER
    )
    assert default_page_size(QLocale(QLocale.Language.French, QLocale.Country.Canada)) is (
        PageSize.LETTER
    )
    assert default_page_size(QLocale(QLocale.Language.German, QLocale.Country.Germany)) is (
        PageSize.A4
    )


def test_write_pdf_says_plainly_when_the_folder_is_missing(inputs, tmp_path) -> None:
    with pytest.raises(OSError, match="does not exist"):
        write_pdf(PlanOverviewDocument(inputs), tmp_path / "nope" / "x.pdf", PageSize.A4)


def test_sources_read_plan_settings_symptoms_and_diary(database) -> None:
    from taperdesk.store.diary import save_entry
    from taperdesk.store.plans import save_new_plan
    from taperdesk.store.settings import set_setting

    with pytest.raises(sources.NoPlanError):
        sources.load_inputs(database)
    save_new_plan(database, sample_plan(), "My taper")
    set_setting(database, sources.NAME_KEY, "  Sam  ")
    set_setting(
        database,
        "titration.method",
        {"kind": "liquid", "tablet_mg": 1.0, "tablet_count": 1, "volume_ml": 10.0},
    )
    inputs = sources.load_inputs(database, today=START)
    assert inputs.person_name == "Sam" and inputs.method is not None
    assert inputs.tracked_symptoms[:2] == ("Anxiety", "Insomnia")
    anxiety_id = 1
    save_entry(
        database,
        DiaryEntry(
            START,
            doses=(
                DoseTaken("morning", "clonazepam", 0.45, 0.45),
                DoseTaken("night", "clonazepam", 0.5, 0.45),
            ),
            ratings={anxiety_id: 6},
            notes="Tired.",
        ),
    )
    (day,) = sources.load_diary(database, START, START, "clonazepam")
    assert day.taken_mg == {"morning": 0.45, "night": 0.5}
    assert day.planned_mg == {"morning": 0.45, "night": 0.45}
    assert day.ratings == {"Anxiety": 6} and day.notes == "Tired."


def test_an_unreadable_saved_method_prints_plain_doses(database) -> None:
    with database.transaction() as connection:  # as a damaged file or an old version left it
        connection.execute(
            "INSERT INTO settings VALUES ('titration.method', '{\"kind\": \"nonsense\"}', '')"
        )
    assert sources.load_method(database) is None


def test_pharmacy_request_names_drug_strengths_counts_supply_and_dose_days(inputs, tmp_path):
    from taperdesk.printing.pharmacy_request import dose_runs, supply_doses

    first = dt.date(2027, 1, 18)
    doses = supply_doses(inputs, first, 28)
    result = compounding_for(inputs, first, 28, step_mg=0.01, max_capsules_per_dose=2)
    document = PharmacyRequestDocument(result, "Clonazepam", first, None, doses, inputs.plan.labels)
    path = tmp_path / "request.pdf"
    assert write_pdf(document, path, PageSize.A4) == 1
    text = pdf_pages(path)[0][0]
    assert "Clonazepam" in text and "28 days: 18 Jan 2027 – 14 Feb 2027" in text
    for count in result.counts:
        assert f"{count.strength_mg:g} mg {count.count}" in text
    assert "When each dose is taken" in text and "Morning" in text
    for start, end, _doses in dose_runs(first, doses):
        assert f"{start.day} {start:%b}" in text and f"{end.day} {end:%b}" in text
    assert all(len(caps) <= 2 for caps in result.dose_capsules.values())


def test_a_long_request_goes_on_to_more_pages_and_keeps_the_prescriber_box_whole(tmp_path):
    """A daily micro taper over 16 weeks: more strengths and doses than one page holds.
    It used to say what it left out ("… and 29 more doses (see TaperDesk)"); now every
    dose is printed, on as many pages as it takes (issue 17 item 3)."""
    from support.printing_samples import sample_plan

    from taperdesk.core.plan import TaperStyle
    from taperdesk.printing.pharmacy_request import supply_doses
    from taperdesk.printing.sources import inputs_for_plan

    daily = inputs_for_plan(sample_plan(style=TaperStyle.DAILY_MICRO, holds=()))
    first = START + dt.timedelta(days=3)
    doses = supply_doses(daily, first, 112)
    result = compounding_for(daily, first, 112, step_mg=0.001, max_capsules_per_dose=3)
    document = PharmacyRequestDocument(result, "Clonazepam", first, None, doses, daily.plan.labels)
    path = tmp_path / "long.pdf"
    pages = write_pdf(document, path, PageSize.A4)
    texts = [page[0] for page in pdf_pages(path)]
    assert pages == len(texts) > 1
    whole = " ".join(texts)
    for section in ("How each dose is made", "When each dose is taken"):
        assert section in whole
    assert "see TaperDesk" not in whole and "no room" not in whole
    request = texts[0].index("Please compound")
    assert request < texts[0].index("PRESCRIBER")  # the request comes before the box
    box = texts[0][texts[0].index("PRESCRIBER") :]
    assert "Signature" in box and "Registration no." in box and f"has {pages} pages" in box
    for count in result.counts:  # every strength is in the request text
        assert f"{count.count} x {count.strength_mg:g} mg" in texts[0]


def test_days_before_the_plan_ask_for_the_starting_dose(inputs) -> None:
    from taperdesk.printing.pharmacy_request import supply_doses

    doses = supply_doses(inputs, START - dt.timedelta(days=2), 3)
    assert doses[0] == doses[1] == (0.5, 0.5)


def test_long_report_charts_weekly_symptom_averages(inputs) -> None:
    diary = diary_for(inputs, 90)
    last = START + dt.timedelta(days=89)
    figure = charts.symptoms_figure(diary, ["Anxiety"], START, last, 500, 140)
    daily, mean = figure.axes[0].get_lines()
    ys = mean.get_ydata()
    # Ratings cycle 0..6 day by day: every full week averages 3 (day 20 is missing).
    assert all(abs(y - 3) < 0.6 for y in ys[7:]) and max(ys) <= 3
    assert max(daily.get_ydata()) == 6  # the days themselves, faint beneath
    assert figure.legends  # under the axes, not beside them


def test_the_final_stop_is_not_flagged_as_a_fast_cut(inputs) -> None:
    from taperdesk.printing.document import Canvas

    class Device:
        def logicalDpiX(self) -> int:
            return 72

    table = PlanOverviewDocument(inputs).step_table(Canvas(Device(), PageSize.A4))  # type: ignore[arg-type]
    last = table.rows[-1]
    assert last[7] == "stop" and last[8].text == "stop" and not last[8].hatched


def test_a_day_logged_only_on_the_other_drug_is_marked_and_never_charted_as_this_one() -> None:
    from taperdesk.core.diary import DiaryEntry, DoseTaken
    from taperdesk.printing.sources import diary_day_from_entry

    entry = DiaryEntry(START, (DoseTaken("night", "clonazepam", 0.5),))
    day = diary_day_from_entry(entry, {}, "diazepam")
    assert day.other_drug and day.taken_mg == {"night": 0.5}  # logged, but not diazepam
    same = diary_day_from_entry(entry, {}, "clonazepam")
    assert not same.other_drug


def test_the_overview_names_what_is_still_taken_of_the_old_drug_during_a_switch(tmp_path):
    from support.printing_samples import sample_plan

    from taperdesk.core.plan import Crossover
    from taperdesk.printing.sources import inputs_for_plan

    crossed = inputs_for_plan(sample_plan(crossover=Crossover("diazepam", (), 7), holds=()))
    path = tmp_path / "overview.pdf"
    write_pdf(PlanOverviewDocument(crossed), path, PageSize.A4)
    text = " ".join(page[0] for page in pdf_pages(path))
    # Every drug taken during the stage, each with its dosing time.
    assert "Clonazepam 0.5 mg night + Diazepam 10 mg morning" in text


def test_a_pdf_is_written_whole_and_private_or_not_at_all(inputs, tmp_path, monkeypatch) -> None:
    """Issue 15 points 4 and 6: a full disk left a truncated PDF reported as written, and
    PDFs were 0644. Now the old file stays as it was, nothing half-written is left beside
    it, and the message says the disk is full."""
    import errno
    import os
    import stat

    from taperdesk.store import paths

    target = tmp_path / "sheet.pdf"
    pages = write_pdf(PlanOverviewDocument(inputs), target, PageSize.A4)
    assert pages >= 1 and target.read_bytes().rstrip().endswith(b"%%EOF")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    before = target.read_bytes()

    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle) -> None:
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *_exc) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            self.handle.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(paths.os, "fdopen", lambda *a, **k: FullDisk(real_fdopen(*a, **k)))
    with pytest.raises(OSError, match="the disk is full"):
        write_pdf(PlanOverviewDocument(inputs), target, PageSize.A4)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.pdf"]


def test_a_report_with_no_day_logged_does_not_say_every_day_went_as_planned(
    inputs, tmp_path
) -> None:
    """Issue 17 point 5: with 0 of 43 days logged it said "every logged day went as
    planned"."""
    path = tmp_path / "empty.pdf"
    last = START + dt.timedelta(days=42)
    write_pdf(PrescriberReportDocument(inputs, [], START, last), path, PageSize.A4)
    text = " ".join(page for page, *_ in pdf_pages(path))
    assert "every logged day went as planned" not in text
    assert "No day of this range is logged (43 days)" in text
