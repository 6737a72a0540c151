"""Issue 17 item 5: a prescriber report read in 30 seconds.

It had no words for the dose now or the next cut, said "differs" for a deviation, ran
reason and note together ("…took the old night dose Awful night…"), gave a hold one row
per day (pushing the latest updose to a near-empty page 2 on Letter) and drew five
tangled daily symptom lines. Each test here failed before.
"""

from __future__ import annotations

import datetime as dt

from support.printing_samples import START, pdf_pages, sample_plan

from taperdesk.core.measure import format_mg
from taperdesk.core.plan import DosingTime, Hold
from taperdesk.printing import charts
from taperdesk.printing.document import PageSize, write_pdf
from taperdesk.printing.prescriber_report import PrescriberReportDocument
from taperdesk.printing.sources import DiaryDay, inputs_for_plan
from taperdesk.printing.weekly_sheet import short_date


def report_inputs(**changes):
    """0.25 mg morning + 0.2 mg night of clonazepam, cut 10% a fortnight from START."""
    plan = sample_plan(
        dosing_times=(DosingTime("morning", 0.25, "08:00"), DosingTime("night", 0.2, "21:00")),
        rounding_mg=0.001,
        **changes,
    )
    return inputs_for_plan(plan, tracked_symptoms=("Anxiety", "Insomnia"), today=START)


def logged(inputs, day, changes=None, reason="", notes="", ratings=None) -> DiaryDay:
    """A diary day as planned, with ``changes`` (label -> mg taken) applied."""
    planned = inputs.lived.on(day).doses_by_label()
    taken = {**planned, **(changes or {})}
    return DiaryDay(day, taken, planned, ratings or {}, notes, reason,
                    taken_by_drug={"clonazepam": taken})  # fmt: skip


def test_the_report_opens_with_the_dose_now_the_next_cut_and_what_happened(tmp_path) -> None:
    """Item 5: the current dose and the next cut were never stated in words."""
    inputs = report_inputs(start_date=START + dt.timedelta(days=14))  # first cut ahead
    first, last = START - dt.timedelta(days=6), START + dt.timedelta(days=3)
    diary = [logged(inputs, first + dt.timedelta(days=i)) for i in range(10) if i not in (4, 5)]
    diary[1] = logged(inputs, diary[1].day, {"night": 0.25}, "took the old night dose")
    diary[2] = logged(inputs, diary[2].day, {"morning": 0.0}, "forgot")
    report = PrescriberReportDocument(inputs, diary, first, last)
    words = dict(report.glance())
    assert words["Now"] == (
        "clonazepam 0.45 mg a day (0.25 mg morning + 0.2 mg night); before the first cut"
    )
    cut = inputs.lived.next_cut(START)
    assert words["Next cut"] == (
        f"on {short_date(cut.day, True)}: 0.45 → {format_mg(cut.dose_after_mg)} clonazepam a "
        f"day (−{round(100 * cut.cut_mg / 0.45, 1):g}%)"
    )
    assert words["Logged"] == "8 of 10 days logged (80%); 6 as planned, 2 different"
    assert words["Higher"] == f"1 day: {short_date(diary[1].day)} +0.05 mg"
    assert words["Lower or missed"] == (
        f"1 day: {short_date(diary[2].day)} −0.25 mg (morning dose missed)"
    )
    assert words["Holds"] == "none in this range"
    path = tmp_path / "report.pdf"
    write_pdf(report, path, PageSize.A4)
    text = pdf_pages(path)[0][0]
    assert "clonazepam 0.45 mg a day (0.25 mg morning + 0.2 mg night)" in text
    assert f"on {short_date(cut.day, True)}: 0.45 →" in text


def test_a_step_of_the_plan_is_named_step_n_of_n_and_a_past_range_by_its_last_day() -> None:
    day = START + dt.timedelta(days=30)
    inputs = inputs_for_plan(sample_plan(holds=()), today=day + dt.timedelta(days=3))
    planned = inputs.lived.on(day)
    report = PrescriberReportDocument(inputs, (), START, day)
    total = inputs.schedule.summary.step_count
    now = dict(report.glance())[f"On {short_date(day, True)}"]  # the range ended 3 days ago
    assert now.endswith(f"step {planned.step.number} of {total}")
    assert dict(report.glance())["Logged"].startswith("No day of this range is logged (31 days)")


def test_a_deviation_says_higher_or_lower_by_how_much_with_reason_and_note_apart() -> None:
    """Item 5: a deviation said "differs", and reason and note ran together ("…took the
    old night dose Awful night…")."""
    from taperdesk.printing.document import Canvas

    class Device:
        def logicalDpiX(self) -> int:
            return 72

    inputs = report_inputs(holds=())  # before START: 0.25 mg morning + 0.2 mg night
    first = START - dt.timedelta(days=9)
    up = logged(inputs, first + dt.timedelta(days=2), {"night": 0.25},
                "took the old night dose", "Awful night")  # fmt: skip
    down = logged(inputs, first + dt.timedelta(days=5), {"morning": 0.15}, "felt groggy")
    report = PrescriberReportDocument(inputs, [up, down], first, START - dt.timedelta(days=1))
    table = report.day_table(Canvas(Device(), PageSize.A4))  # type: ignore[arg-type]
    headings = [c.title for c in table.columns]
    assert headings == ["Date", "Planned", "Taken", "Difference", "Reason given", "Note"]
    (first, second) = table.rows
    assert first[3].text == "+0.05 mg (higher)"
    assert (first[4], first[5]) == ("took the old night dose", "Awful night")
    assert second[3].text == "−0.1 mg (lower)" and second[4] == "felt groggy"
    assert not any("differs" in str(cell) for row in table.rows for cell in row)


def test_hold_days_are_one_row_per_hold_period(tmp_path) -> None:
    """Item 5: 7 hold days took 7 rows (and pushed the latest updose to a near-empty page 2
    on Letter)."""
    hold = Hold(START + dt.timedelta(days=16), START + dt.timedelta(days=22))
    inputs = report_inputs(holds=(hold,))
    first, last = START, START + dt.timedelta(days=42)
    diary = [logged(inputs, first + dt.timedelta(days=i), ratings={"Anxiety": i % 5})
             for i in range(43)]  # fmt: skip
    for i in (3, 9, 12, 27, 31, 35):
        diary[i] = logged(inputs, diary[i].day, notes="Tired, long day at work; slept badly.")
    night = inputs.lived.on(last).doses_by_label()["night"]
    diary[-1] = logged(inputs, last, {"night": night + 0.1}, "took the old night dose", "Awful")
    report = PrescriberReportDocument(inputs, diary, first, last)
    path = tmp_path / "report.pdf"
    assert write_pdf(report, path, PageSize.LETTER) == 1  # the updose is on page 1
    text = pdf_pages(path)[0][0]
    assert text.count("HOLD (") == 1 and "HOLD (7 days)" in text
    assert f"{hold.start.day}–{short_date(hold.end, True)}" in text
    assert "+0.1 mg (higher)" in text
    assert (
        dict(report.glance())["Holds"] == f"{hold.start.day}–{short_date(hold.end, True)} (7 days)"
    )


def test_symptoms_are_charted_as_bold_7_day_means_over_faint_daily_values() -> None:
    """Item 5: the chart was five overlapping daily lines with no average."""
    inputs = report_inputs(holds=())
    diary = [logged(inputs, START + dt.timedelta(days=i),
                    ratings={"Anxiety": i % 7, "Insomnia": 3}) for i in range(20)]  # fmt: skip
    figure = charts.symptoms_figure(diary, ["Anxiety", "Insomnia"], START, diary[-1].day, 500, 140)
    lines = figure.axes[0].get_lines()
    means = {ln.get_label(): ln for ln in lines if not ln.get_label().startswith("_")}
    daily = [ln for ln in lines if ln.get_label().startswith("_")]
    assert set(means) == {"Anxiety", "Insomnia"} and len(daily) == 2
    points = [(d.day, d.ratings["Anxiety"]) for d in diary]
    assert list(means["Anxiety"].get_ydata()) == [m for _d, m in charts.weekly_average(points)]
    assert list(daily[0].get_ydata()) == [r for _d, r in points]
    for mean in means.values():
        assert mean.get_linewidth() >= 1.5
    for faint in daily:
        assert faint.get_linewidth() < 0.8 and faint.get_color() not in ("black", "#000000")
    (legend,) = figure.legends
    assert [t.get_text() for t in legend.get_texts()] == ["Anxiety", "Insomnia"]


def test_a_dose_moved_between_times_or_drugs_is_named_as_such() -> None:
    """Not every deviation is higher or lower: the night dose taken in the morning, or the
    old drug taken instead of the new one during a switch."""
    from taperdesk.printing.report_summary import deviation_of

    inputs = report_inputs(holds=())
    day = START - dt.timedelta(days=2)
    planned = inputs.lived.on(day)
    moved = logged(inputs, day, {"morning": 0.2, "night": 0.25})
    assert deviation_of(planned, moved).size_text() == "±0 mg (same total, other times)"
    swapped = DiaryDay(day, {"morning": 0.25}, {"morning": 0.25, "night": 0.2},
                       taken_by_drug={"clonazepam": {"morning": 0.25}, "diazepam": {"night": 4.0}})  # fmt: skip
    found = deviation_of(planned, swapped)
    assert found.direction == "different"
    assert found.size_text(str) == "−0.2 mg clonazepam, +4 mg diazepam (different)"
    assert found.detail == ""  # the night was logged, on the other drug


def test_days_logged_before_the_plan_are_not_updoses(database) -> None:
    """Days logged before the plan was saved read "HIGHER 5 days: 27 Nov +1 mg …"."""
    from taperdesk.app import clock
    from taperdesk.printing.sources import load_inputs
    from taperdesk.store.plans import save_new_plan

    today = clock.today()
    save_new_plan(database, sample_plan(start_date=today + dt.timedelta(days=6)), "Mine")
    inputs = load_inputs(database)
    first = today - dt.timedelta(days=4)
    diary = [
        DiaryDay(first + dt.timedelta(days=i), {"morning": 0.5, "night": 0.5}, {}, {},
                 taken_by_drug={"clonazepam": {"morning": 0.5, "night": 0.5}})
        for i in range(4)
    ]  # fmt: skip
    assert inputs.lived.on(first) is None  # before the plan existed
    report = PrescriberReportDocument(inputs, diary, first, today)
    words = dict(report.glance())
    assert (
        words["Logged"] == "4 of 5 days logged (80%); 0 as planned, 0 different, 4 before the plan"
    )
    assert words["Higher"] == "none"
    assert not report.found
