"""The idle-time preload after the first paint (issue 18): one step per event-loop turn,
a chart that is wanted sooner moves its modules to the front, nothing is shown."""

from __future__ import annotations

import sys

from taperdesk.ui import preload


def test_steps_run_one_per_turn_and_a_wanted_chart_goes_first(qtbot, monkeypatch) -> None:
    imported: list[str] = []
    monkeypatch.setattr(preload.importlib, "import_module", imported.append)
    loader = preload.IdlePreload(("a", "b", "c", "d"))
    loader.start()
    built: list[list[str]] = []
    preload.when_loaded(("c",), lambda: built.append(list(imported)))
    assert imported == []  # nothing before the event loop turns
    qtbot.waitUntil(lambda: loader.finished)
    assert imported == ["c", "a", "b", "d"]
    assert built == [["c"]]  # built as soon as its module was in, not after the rest
    assert preload._running is None
    done: list[bool] = []
    preload.when_loaded(("c",), lambda: done.append(True))  # none running: at once
    assert done == [True]


def test_a_failing_step_does_not_stop_the_preload(qtbot) -> None:
    loader = preload.IdlePreload(("taperdesk_no_such_module", "json"))
    loader.start()
    qtbot.waitUntil(lambda: loader.finished)
    assert loader.done == {"taperdesk_no_such_module", "json"}


def test_the_real_steps_import_what_the_charts_need(qtbot) -> None:
    loader = preload.IdlePreload()
    loader.start()
    qtbot.waitUntil(lambda: loader.finished, timeout=30_000)
    for name in (*preload.CHART_MODULES, *preload.TAB_MODULES):
        assert name in sys.modules
    assert preload.FONT_WARM_UP in loader.timings
