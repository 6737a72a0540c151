"""Weekly dosing sheets: content per week, PDF text, page sizes, ink inside the margins."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from support.printing_samples import LIQUID, START, ink_box, pdf_pages, png_pages, sample_plan

from taperdesk.core.sheet_measure import measure_for_sheet
from taperdesk.core.titration import MethodSettings
from taperdesk.printing.document import MARGIN_PT, PageSize, write_pdf
from taperdesk.printing.sources import inputs_for_plan
from taperdesk.printing.weekly_sheet import (
    WeeklySheetDocument,
    coming_monday,
    sheet_week,
    short_date,
    strength_text,
    week_start,
)

MONDAY = dt.date(2027, 1, 18)
SIZES_PT = {PageSize.A4: (595.28, 841.89), PageSize.LETTER: (612.0, 792.0)}


def test_weeks_start_on_monday_and_default_to_the_coming_week() -> None:
    assert week_start(dt.date(2027, 1, 24)) == MONDAY  # a Sunday
    assert week_start(MONDAY) == MONDAY
    assert coming_monday(dt.date(2027, 1, 14)) == MONDAY
    assert coming_monday(dt.date(2027, 1, 11)) == MONDAY  # on a Monday: the next one


def test_sheet_week_follows_the_schedule(inputs) -> None:
    week = sheet_week(inputs, MONDAY)
    assert [d.day for d in week.days] == [MONDAY + dt.timedelta(days=i) for i in range(7)]
    for day in week.days:
        planned = inputs.schedule.doses_on(day.day)
        assert [d.total_mg for d in day.doses] == list(planned.rows[-1].doses_mg)
        assert day.cut == planned.rows[-1].is_cut_day
        assert day.hold == planned.hold
        for dose in day.doses:
            # the thing measured, from the Titration tab's engine
            wanted = measure_for_sheet(inputs.method, dose.total_mg).measure
            assert dose.measure.strip() == wanted
    assert [d.day.day for d in week.days if d.cut] == [20]
    assert [d.day.day for d in week.days if d.hold] == [22, 23, 24]
    assert week.step_text.startswith("Steps 1–2 of ")
    assert week.labels == ("Morning · 08:00", "Night · 21:00")


def test_days_before_the_plan_show_the_starting_dose_and_after_it_no_dose(inputs) -> None:
    before = sheet_week(inputs, week_start(START) - dt.timedelta(weeks=1))
    assert all(d.note == "before 1st cut" for d in before.days)
    assert before.days[0].doses[0].total_mg == 0.5
    after = sheet_week(inputs, week_start(inputs.schedule.summary.end_date) + dt.timedelta(weeks=1))
    assert all(d.doses[0].total_mg == 0 and d.note == "taper complete" for d in after.days)
    assert after.step_text == "Taper complete"


def test_without_a_method_the_cells_hold_only_the_dose() -> None:
    bare = inputs_for_plan(sample_plan(), today=START)
    week = sheet_week(bare, MONDAY)
    # nothing to measure: the mg is the large figure, with nothing beneath it
    assert all(
        d.measure == d.amounts[0] and not d.items[0].mg_text for day in week.days for d in day.doses
    )
    assert "tablets" in week.strength_text


@pytest.mark.parametrize("page", list(PageSize))
def test_pdf_has_every_date_dose_and_instruction_one_page_a_week(
    inputs, tmp_path: Path, page: PageSize
) -> None:
    path = tmp_path / "sheet.pdf"
    assert write_pdf(WeeklySheetDocument(inputs, MONDAY, weeks=3), path, page) == 3
    pages = pdf_pages(path)
    assert len(pages) == 3
    for index, (text, width, height) in enumerate(pages):
        assert width == pytest.approx(SIZES_PT[page][0], abs=1)
        assert height == pytest.approx(SIZES_PT[page][1], abs=1)
        week = sheet_week(inputs, MONDAY + dt.timedelta(weeks=index))
        for day in week.days:
            assert short_date(day.day) in text
            for dose in day.doses:
                # figure spaces (decimal points aligned) read as plain spaces in the PDF text
                assert all(re.sub(r"\s+", " ", amount).strip() in text for amount in dose.amounts)
                assert dose.measure.strip() in text
        assert f"Page {index + 1} of 3" in text
        assert "Never stop a benzodiazepine abruptly" in text
        assert "Alex Example" in text and "Clonazepam" in text
        assert "Anxiety" in text


@pytest.mark.parametrize("page", list(PageSize))
def test_pages_have_ink_and_none_outside_the_margins(
    inputs, tmp_path: Path, page: PageSize
) -> None:
    path = tmp_path / "sheet.pdf"
    write_pdf(WeeklySheetDocument(inputs, MONDAY, weeks=2), path, page)
    dpi = 50
    margin_px = MARGIN_PT / 72 * dpi
    for image in png_pages(path, tmp_path, dpi):
        box = ink_box(image)
        assert box is not None, "blank page"
        left, top, right, bottom = box
        assert left >= margin_px - 1 and top >= margin_px - 1
        assert right <= image.width() - margin_px + 1
        assert bottom <= image.height() - margin_px + 1
        # and the page is really used: ink reaches near every margin
        assert right - left > image.width() * 0.8 and bottom - top > image.height() * 0.8


def test_a_crossover_week_names_both_drugs(tmp_path: Path) -> None:
    from taperdesk.core.plan import Crossover

    plan = sample_plan(
        dosing_times=(sample_plan().dosing_times[0],),
        crossover=Crossover("diazepam", stage_days=7),
        holds=(),
    )
    inputs = inputs_for_plan(plan, today=START)
    week = sheet_week(inputs, week_start(START))
    assert week.drug_text == "Clonazepam → Diazepam"
    path = tmp_path / "x.pdf"
    assert write_pdf(WeeklySheetDocument(inputs, week_start(START), 2), path, PageSize.A4) == 2


def test_four_dosing_times_with_tablet_instructions_fit(tmp_path: Path) -> None:
    from taperdesk.core.plan import DosingTime

    plan = sample_plan(
        dosing_times=tuple(DosingTime(n, 0.25) for n in ("morning", "noon", "evening", "night")),
        rounding_mg=0.0625,
        final_dose_mg=0.2,  # quarter tablets cannot go lower than 25% cuts allow
    )
    method = MethodSettings.from_dict(
        {"kind": "tablets", "strengths": [{"strength_mg": 0.25, "scoring": "quarter"}]}
    )
    inputs = inputs_for_plan(plan, method=method, tracked_symptoms=("A", "B", "C"), today=START)
    path = tmp_path / "four.pdf"
    write_pdf(WeeklySheetDocument(inputs, MONDAY), path, PageSize.LETTER)
    text = pdf_pages(path)[0][0]
    for day in sheet_week(inputs, MONDAY).days:
        for dose in day.doses:
            assert dose.measure in text
    image = png_pages(path, tmp_path)[0]
    assert ink_box(image)[3] <= image.height() - MARGIN_PT / 72 * 50 + 1


def test_method_in_liquid_fixture_is_valid() -> None:
    assert MethodSettings.from_dict(LIQUID).kind.value == "liquid"


def test_weeks_out_of_range_are_refused(inputs) -> None:
    with pytest.raises(ValueError, match="1 to 104"):
        WeeklySheetDocument(inputs, MONDAY, weeks=0)


MANY_SYMPTOMS = tuple(f"Symptom number {n}" for n in range(1, 15))


@pytest.mark.parametrize(
    ("times", "page", "shown"),
    [
        (2, PageSize.A4, 8),  # room for 8 columns beside two readable dosing columns
        (2, PageSize.LETTER, 9),
        (4, PageSize.A4, 6),  # four dosing times: the 6 the sheet always keeps
    ],
)
def test_more_tracked_symptoms_than_columns_are_named_under_the_table(
    tmp_path: Path, times: int, page: PageSize, shown: int
) -> None:
    from taperdesk.core.plan import DosingTime

    dosing = tuple(DosingTime(f"time {n}", 0.25) for n in range(times))
    inputs = inputs_for_plan(
        sample_plan(dosing_times=dosing, rounding_mg=0.001),
        tracked_symptoms=MANY_SYMPTOMS,
        today=START,
    )
    document = WeeklySheetDocument(inputs, MONDAY)
    path = tmp_path / "many.pdf"
    assert write_pdf(document, path, page) == 1
    assert len(document.symptoms) == shown
    hidden = MANY_SYMPTOMS[shown:]
    assert document.hidden_symptoms == hidden
    text = pdf_pages(path)[0][0]
    assert f"+{len(hidden)} more tracked symptoms not shown: " in text
    assert hidden[0] in text
    image = png_pages(path, tmp_path)[0]
    margin = MARGIN_PT / 72 * 50
    left, top, right, bottom = ink_box(image)
    assert left >= margin - 1 and top >= margin - 1
    assert right <= image.width() - margin + 1 and bottom <= image.height() - margin + 1


def test_up_to_six_symptoms_need_no_note(inputs, tmp_path: Path) -> None:
    path = tmp_path / "six.pdf"
    document = WeeklySheetDocument(inputs, MONDAY)
    write_pdf(document, path, PageSize.A4)
    assert document.hidden_symptoms == ()
    assert "more tracked symptom" not in pdf_pages(path)[0][0]


def test_a_hold_week_says_so_under_the_step() -> None:
    from taperdesk.core.plan import Hold

    plan = sample_plan(holds=(Hold(dt.date(2027, 1, 8), dt.date(2027, 1, 31)),))
    inputs = inputs_for_plan(plan, today=START)
    assert sheet_week(inputs, dt.date(2027, 1, 11)).step_text.endswith("\non hold all week")
    assert "hold" not in sheet_week(inputs, dt.date(2027, 3, 1)).step_text


def test_equipment_for_one_drug_is_never_applied_to_another_after_a_crossover() -> None:
    """Clonazepam's 1 mg tablets in a mix are not a way to measure diazepam."""
    from taperdesk.core.plan import Crossover

    plan = sample_plan(crossover=Crossover("diazepam", (), 7), holds=())
    on_diazepam = week_start(START) + dt.timedelta(weeks=3)
    for drug in ("clonazepam", None):  # named for the other drug, or not named at all
        method = MethodSettings.from_dict({**LIQUID, "drug_key": drug})
        crossed = inputs_for_plan(plan, method=method)
        week = sheet_week(crossed, on_diazepam)
        measured = {item.mg_text for day in week.days for dose in day.doses for item in dose.items}
        assert measured == {""}, measured  # only the mg: "How to measure" says what to do
        assert "mix" not in strength_text(crossed)  # the catalogue's diazepam tablets instead
    own = MethodSettings.from_dict({**LIQUID, "tablet_mg": 5.0, "drug_key": "diazepam"})
    week = sheet_week(inputs_for_plan(plan, method=own), on_diazepam)
    measures = {dose.measure for day in week.days for dose in day.doses}
    assert measures and all(m.endswith("mL") for m in measures), measures


def test_a_crossover_week_names_the_day_a_dose_changes_drug() -> None:
    from taperdesk.core.plan import Crossover

    plan = sample_plan(crossover=Crossover("diazepam", (), 7), holds=())
    crossed = inputs_for_plan(plan)
    first_switch = next(s for s in crossed.schedule.steps if s.kind.value == "switch")
    week = sheet_week(crossed, week_start(first_switch.start_date))
    assert "drug change" in week.step_text
    assert "no change of dose" not in week.step_text
    (day,) = [d for d in week.days if d.day == first_switch.start_date]
    assert day.note == "drug switch"


def test_long_dosing_time_headings_are_not_cut(tmp_path: Path) -> None:
    from taperdesk.core.plan import DosingTime

    times = (
        DosingTime("Early morning", 0.25, "06:30"),
        DosingTime("Lunchtime", 0.25, "12:30"),
        DosingTime("Late afternoon", 0.25, "17:00"),
        DosingTime("Bedtime", 0.25, "22:30"),
    )
    inputs = inputs_for_plan(sample_plan(dosing_times=times, holds=()))
    target = tmp_path / "four.pdf"
    write_pdf(WeeklySheetDocument(inputs, MONDAY, 1), target, PageSize.A4)
    ((text, _w, _h),) = pdf_pages(target)
    for heading in ("Early morning", "06:30", "Late afternoon", "17:00", "Bedtime", "22:30"):
        assert heading in text, heading
    assert "…" not in text.split("Day")[1].split("Mon")[0]  # no elided heading


def test_a_quarter_tablet_dose_prints_with_all_its_digits() -> None:
    """A 0.0625 mg morning dose printed as '0.062 mg' and the day as 'total 0.188 mg'."""
    from taperdesk.core.plan import DosingTime

    plan = sample_plan(
        dosing_times=(DosingTime("morning", 0.0625), DosingTime("night", 0.125)),
        rounding_mg=0.0625,
        final_dose_mg=0.1875,  # it stops from there: quarter tablets allow no smaller cut
    )
    week = sheet_week(inputs_for_plan(plan, today=START), week_start(START) - dt.timedelta(weeks=1))
    day = week.days[-1]
    assert day.doses[0].amounts[0].startswith("0.0625")
    assert day.total_text == "0.1875 mg"


# -- issue 17: a sheet for a tired reader --------------------------------------------------


def _daily_water_inputs(**changes):
    """Lorazepam 1 mg a day, one 0.5 mg tablet whole and one in 35 mL, 10% over 7 days,
    rounded to the syringe (the BenzoBuddies worked example)."""
    from taperdesk.core.plan import DosingTime, ReductionModel, TaperPlan, TaperStyle
    from taperdesk.core.titration import measurable_step_mg

    method = MethodSettings.from_dict(
        {"kind": "liquid", "tablet_mg": 0.5, "tablet_count": 1, "volume_ml": 35,
         "graduation_ml": 0.1, "drug_key": "lorazepam"}
    )  # fmt: skip
    plan = TaperPlan(
        drug_key="lorazepam",
        dosing_times=(DosingTime("night", 1.0),),
        start_date=MONDAY,
        reduction=ReductionModel.percent(10),
        interval_days=7,
        style=TaperStyle.DAILY_MICRO,
        rounding_mg=measurable_step_mg(method),
        **changes,
    )
    return inputs_for_plan(plan, method=method, today=MONDAY)


def test_a_daily_micro_taper_sheet_says_what_to_remove_each_day(tmp_path: Path) -> None:
    """The forum-style "remove X mL" was missing; every day was a bold "▼ CUT"."""
    inputs = _daily_water_inputs()
    week = sheet_week(inputs, MONDAY)
    assert week.shows_remove
    removes = [day.doses[0].items[0].remove for day in week.days]
    assert removes == [f"remove {n} mL" for n in range(1, 8)]
    assert not any(day.cut for day in week.days)  # a steady daily fall is no "cut"
    assert "a little each day" in week.step_text
    path = tmp_path / "daily.pdf"
    write_pdf(WeeklySheetDocument(inputs, MONDAY), path, PageSize.A4)
    text = pdf_pages(path)[0][0]
    for n in range(1, 8):
        assert f"remove {n} mL" in text
    # what is taken is the large figure (never the part thrown away, which grows as the
    # dose falls): "1 × 0.5 mg + 34 mL", then how to get there
    assert "1 × 0.5 mg + 34 mL" in text
    assert "= remove 1 mL of the mix, throw it away, drink the rest" in text
    assert "a fresh mix for each dose" in text
    assert "▼ CUT" not in text.split("Day")[1].split("▼ CUT")[0]  # only in the legend
    # the syringe is named once, in the header: it holds the largest part removed
    assert "1 × 0.5 mg tablet in 35 mL water" in text
    assert "10 mL oral syringe marked every 0.1 mL" in text


def test_a_daily_micro_taper_marks_the_stop_day() -> None:
    inputs = _daily_water_inputs()
    stop = next(s for s in inputs.schedule.steps if s.dose_after_mg == 0)
    week = sheet_week(inputs, week_start(stop.start_date))
    from taperdesk.printing.weekly_sheet import Mark

    (marked,) = [d for d in week.days if d.mark is not Mark.NONE]
    assert marked.day == stop.start_date and marked.mark is Mark.STOP  # not one more cut
    assert "last dose the day before" in week.step_text
    assert "100%" not in week.rate_text


def test_the_measure_comes_first_and_large_with_the_mg_beneath(inputs, tmp_path: Path) -> None:
    """The amount measured was 7.4 pt regular, the smallest text in the cell."""
    from taperdesk.printing.weekly_sheet import MEASURE_PT, MG_PT

    week = sheet_week(inputs, MONDAY)
    item = week.days[0].doses[0].items[0]
    assert item.measure.strip().endswith(" mL") and item.mg_text.strip().endswith(" mg")
    assert MEASURE_PT >= 13 and MEASURE_PT > MG_PT + 4
    document = WeeklySheetDocument(inputs, MONDAY)
    path = tmp_path / "sheet.pdf"
    write_pdf(document, path, PageSize.A4)
    text = pdf_pages(path)[0][0]
    assert "1 × 1 mg tablet in 10 mL water (1 mg / 10 mL)" in text  # how the mix is made
    assert "oral syringe marked every 0.1 mL" in text


def test_a_capsule_sheet_says_which_capsules_make_each_dose(tmp_path: Path) -> None:
    """Capsule sheets said only "take the 0.345 mg capsule dose"."""
    method = MethodSettings.from_dict({"kind": "compounded", "compounded_step_mg": 0.005})
    inputs = inputs_for_plan(sample_plan(rounding_mg=0.005), method=method, today=START)
    document = WeeklySheetDocument(inputs, MONDAY, weeks=2)
    for week in document.weeks():
        for day in week.days:
            for dose in day.doses:
                measure = dose.measure
                assert measure.startswith("capsule"), measure
                capsules = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", measure)]
                assert sum(capsules) == pytest.approx(dose.total_mg)
    path = tmp_path / "capsules.pdf"
    write_pdf(document, path, PageSize.A4)
    text = pdf_pages(path)[0][0]
    assert "capsule dose" not in text
    assert "Compounded capsules of" in text


def test_the_day_a_dose_changes_drug_is_marked_like_a_cut() -> None:
    """The switch day was only a small grey italic note."""
    from taperdesk.core.plan import Crossover
    from taperdesk.printing.weekly_sheet import Mark

    plan = sample_plan(crossover=Crossover("diazepam", (), 7), holds=())
    crossed = inputs_for_plan(plan)
    switch = next(s for s in crossed.schedule.steps if s.kind.value == "switch")
    week = sheet_week(crossed, week_start(switch.start_date))
    (day,) = [d for d in week.days if d.day == switch.start_date]
    assert day.mark is Mark.SWITCH


def test_decimal_points_line_up_without_trailing_zeros() -> None:
    from taperdesk.core.measure import align_integers

    assert align_integers(["9.9", "10.35", "0.342", "x"]) == [
        "\u20079.9", "10.35", "\u20070.342", "x",
    ]  # fmt: skip


def test_long_symptom_names_are_printed_whole(tmp_path: Path, inputs) -> None:
    """The header read "Muscle pain and…"."""
    path = tmp_path / "sheet.pdf"
    write_pdf(WeeklySheetDocument(inputs, MONDAY), path, PageSize.A4)
    import unicodedata

    text = unicodedata.normalize("NFKC", pdf_pages(path)[0][0])  # "ﬀ" is a ligature
    assert "Muscle pain and stiffness" in text or (
        "Muscle pain" in text and "and stiffness" in text
    )
    assert "…" not in text


def test_two_weeks_fit_a_page_where_they_can(inputs, tmp_path: Path) -> None:
    one = tmp_path / "one.pdf"
    two = tmp_path / "two.pdf"
    assert write_pdf(WeeklySheetDocument(inputs, MONDAY, weeks=4), one, PageSize.A4) == 4
    document = WeeklySheetDocument(inputs, MONDAY, weeks=4, weeks_per_page=2)
    assert write_pdf(document, two, PageSize.A4) == 2
    pages = pdf_pages(two)
    for index, (text, _w, _h) in enumerate(pages):
        for week in (2 * index, 2 * index + 1):
            monday = MONDAY + dt.timedelta(weeks=week)
            assert short_date(monday) in text
    with pytest.raises(ValueError):
        WeeklySheetDocument(inputs, MONDAY, weeks_per_page=3)


def test_every_line_survives_a_black_and_white_printer(inputs, tmp_path: Path) -> None:
    """Day separators and note lines were 0.5 pt light grey: a 55% threshold removed them."""
    from PySide6.QtGui import QImage

    path = tmp_path / "sheet.pdf"
    write_pdf(WeeklySheetDocument(inputs, MONDAY), path, PageSize.A4)
    dpi = 100
    image = png_pages(path, tmp_path, dpi)[0].convertToFormat(QImage.Format.Format_Grayscale8)
    # Down the last symptom column (empty cells): every horizontal line it crosses.
    x = int((595.28 - MARGIN_PT - 6) / 72 * dpi)
    dark = [image.pixelColor(x, y).value() < 255 * 0.55 for y in range(image.height())]
    runs = sum(1 for y in range(1, len(dark)) if dark[y] and not dark[y - 1])
    # the table's top and header rule, 6 day separators, its bottom, and the note lines
    assert runs >= 12, runs


def test_the_job_is_named_after_the_weeks(inputs) -> None:
    assert WeeklySheetDocument(inputs, dt.date(2026, 12, 7)).title == (
        "TaperDesk weekly sheet 7–13 Dec 2026"
    )
    assert WeeklySheetDocument(inputs, dt.date(2026, 12, 28), 2).title == (
        "TaperDesk weekly sheet 28 Dec 2026 – 10 Jan 2027"
    )
