"""Held days are hatched with vector lines (issue 17, point 7)."""

from __future__ import annotations

import datetime as dt

from support.printing_samples import START, sample_plan

from taperdesk.core.plan import Hold
from taperdesk.printing import charts
from taperdesk.printing.document import PageSize, write_pdf
from taperdesk.printing.plan_overview import PlanOverviewDocument
from taperdesk.printing.sources import inputs_for_plan


def test_a_plan_overview_with_a_hold_stays_small(tmp_path) -> None:
    """matplotlib's hatch pattern came out as two 1200 x 1200 images: 620 KB, not ~35 KB."""
    plan = sample_plan(holds=(Hold(dt.date(2027, 3, 1), dt.date(2027, 4, 15)),))
    path = tmp_path / "overview.pdf"
    write_pdf(PlanOverviewDocument(inputs_for_plan(plan, today=START)), path, PageSize.A4)
    assert path.stat().st_size < 100_000, path.stat().st_size
    svg = charts.to_svg(charts.plan_figure(inputs_for_plan(plan).schedule, 500, 200))
    assert b"<pattern" not in svg and b"<image" not in svg
