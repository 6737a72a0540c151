"""Shared fixtures for the printing tests: a sample plan, inputs, and PDF/PNG readers."""

from __future__ import annotations

import pytest
from support.printing_samples import LIQUID, START, SYMPTOMS, sample_plan

from taperdesk.core.titration import MethodSettings
from taperdesk.printing.document import ensure_gui_application
from taperdesk.printing.sources import PrintInputs, inputs_for_plan


@pytest.fixture(autouse=True)
def gui_app(qapp):
    """pytest-qt's QApplication, made first so later widget tests can share it."""
    assert ensure_gui_application() is qapp
    return qapp


@pytest.fixture
def inputs() -> PrintInputs:
    return inputs_for_plan(
        sample_plan(),
        method=MethodSettings.from_dict(LIQUID),
        person_name="Alex Example",
        tracked_symptoms=SYMPTOMS,
        today=START,
    )
