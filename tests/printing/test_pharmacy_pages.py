"""Issue 17 item 3: the pharmacy request on as many pages as it needs.

It stayed on one page: a 90-day compounded supply showed 4 of 33 dose recipes, then
"… and 29 more doses (see TaperDesk)", and "When each dose is taken: no room on this page
for its 42 changes of dose"; even the 30-day request of Titration > Compounding dropped
some. Each test here failed before.
"""

from __future__ import annotations

import datetime as dt

import pytest
from support.printing_samples import pdf_pages, sample_plan

from taperdesk.core.measure import format_mg
from taperdesk.core.plan import DosingTime, TaperStyle
from taperdesk.printing.document import PageSize, write_pdf
from taperdesk.printing.pharmacy_request import (
    PharmacyRequestDocument,
    compounding_for,
    dose_runs,
    supply_doses,
)
from taperdesk.printing.sources import inputs_for_plan
from taperdesk.printing.weekly_sheet import short_date

MICRO_START = dt.date(2026, 12, 7)


def micro_inputs():
    """A daily micro taper (0.5 + 0.5 mg clonazepam, 10% a fortnight, 0.005 mg grid):
    90 days of it need 49 dose recipes and 55 changes of dose."""
    plan = sample_plan(
        dosing_times=(DosingTime("morning", 0.5, "08:00"), DosingTime("night", 0.5, "21:00")),
        start_date=MICRO_START,
        rounding_mg=0.005,
        style=TaperStyle.DAILY_MICRO,
        holds=(),
    )
    return inputs_for_plan(plan, today=MICRO_START)


def request_text(document, tmp_path, page: PageSize) -> tuple[int, list[str]]:
    path = tmp_path / f"request-{page.value}.pdf"
    pages = write_pdf(document, path, page)
    return pages, [text for text, _w, _h in pdf_pages(path)]


def run_text(start: dt.date, end: dt.date) -> str:
    days = (end - start).days + 1
    when = short_date(start) if start == end else f"{short_date(start)} – {short_date(end)}"
    return f"{when} ({days} day{'s' if days != 1 else ''})"


@pytest.mark.parametrize("page", [PageSize.A4, PageSize.LETTER])
def test_a_90_day_compounded_request_prints_every_recipe_and_every_change(tmp_path, page):
    """Item 3: it showed 4 of 33 recipes, then "… and 29 more doses (see TaperDesk)", and
    "no room on this page" for the 42 changes of dose."""
    inputs = micro_inputs()
    doses = supply_doses(inputs, MICRO_START, 90)
    result = compounding_for(inputs, MICRO_START, 90)
    assert len(result.dose_capsules) >= 30  # the case of the issue: dozens of recipes
    document = PharmacyRequestDocument(
        result, "Clonazepam", MICRO_START, None, doses, inputs.plan.labels
    )
    pages, texts = request_text(document, tmp_path, page)
    whole = " ".join(texts)
    assert pages == len(texts) >= 2
    assert "see TaperDesk" not in whole and "no room" not in whole and "more doses" not in whole
    for dose, capsules in result.dose_capsules.items():  # every recipe, whole
        assert f"{format_mg(dose)} {' + '.join(format_mg(c) for c in capsules)}" in whole
    runs = dose_runs(MICRO_START, doses)
    assert len(runs) >= 30
    for start, end, run_doses in runs:  # every change of dose, with its doses
        assert f"{run_text(start, end)} {' '.join(format_mg(d) for d in run_doses)}" in whole
    # The order and the prescriber's box are on page 1; the box counts the pages.
    assert result.summary in texts[0] and "PRESCRIBER" in texts[0]
    assert f"This request has {pages} pages" in texts[0]
    assert all(f"Page {n} of {pages}" in t for n, t in enumerate(texts, 1))  # the footer
    continued = [t for t in texts[1:] if "(continued)" in t]
    assert continued and all("Capsules taken" in t or "Morning" in t for t in continued)


def test_the_30_day_request_of_the_compounding_page_no_longer_drops_a_recipe(tmp_path):
    """Item 3: "Even the 30-day request from Titration > Compounding drops one." That page's
    dialog (ui/print_dialogs.PharmacyRequestDialog) gives the document the result, the
    daily doses and the plan's dosing times, and no other-drug doses."""
    inputs = micro_inputs()
    doses = supply_doses(inputs, MICRO_START, 30)
    result = compounding_for(inputs, MICRO_START, 30)
    document = PharmacyRequestDocument(result, "Clonazepam", MICRO_START, "Alex", doses,
                                       inputs.plan.labels)  # fmt: skip
    for page in (PageSize.A4, PageSize.LETTER):
        _pages, texts = request_text(document, tmp_path, page)
        whole = " ".join(texts)
        for dose, capsules in result.dose_capsules.items():
            assert f"{format_mg(dose)} {' + '.join(format_mg(c) for c in capsules)}" in whole
        for start, end, _doses in dose_runs(MICRO_START, doses):
            assert run_text(start, end) in whole
        assert "see TaperDesk" not in whole and "more changes" not in whole


def test_a_short_request_stays_on_one_page_with_the_box_after_the_request(inputs, tmp_path):
    result = compounding_for(inputs, dt.date(2027, 1, 18), 14)
    document = PharmacyRequestDocument(result, "Clonazepam", dt.date(2027, 1, 18), "Alex")
    pages, (text,) = request_text(document, tmp_path, PageSize.A4)
    assert pages == 1 and "This request has" not in text
    assert text.index("Please compound") < text.index("PRESCRIBER") < text.index("Capsules taken")
