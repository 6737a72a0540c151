"""TaperDesk started through its real entry point, telling a benchmark where to click.

    python -m benchmarks.gui_child DATA_DIR

Runs ``taperdesk.cli.main(["--data-dir", DATA_DIR])`` unchanged; the only addition
is a timer that, once the Diary tab's chart is built and the idle-time preload has
finished, prints one JSON line with the screen rectangle of the first symptom's
rating box. The benchmark clicks there with real X input events (XTest) and times
the repaints from the X server's damage reports.

    python -m benchmarks.gui_child --bare

A bare window with one QSpinBox and a second one to Tab to, in the first of two tabs,
placed at the right of the screen (the baseline: the least a click, a Tab and a change
of tab can cost).
"""

from __future__ import annotations

import json
import sys


def _report(box, diary_tab, plan_tab) -> None:
    """One JSON line: the rating box's screen rectangle, the Diary and Plan tabs' centres."""
    top_left = box.mapToGlobal(box.rect().topLeft())
    where = {"x": top_left.x(), "y": top_left.y(), "w": box.width(), "h": box.height()}
    tabs = {"diary": (diary_tab.x(), diary_tab.y()), "plan": (plan_tab.x(), plan_tab.y())}
    print(json.dumps(where | tabs), flush=True)


def _report_when_ready() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from taperdesk.ui.main_window import MainWindow

    def look() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        window = windows[0] if windows else None
        tab = window._built_tabs.get("diary") if window is not None else None
        preload = getattr(window, "preload", None)
        if tab is None or tab.chart is None or preload is None or not preload.finished:
            QTimer.singleShot(100, look)
            return
        box = next(iter(tab.form.rating_boxes.values()))
        bar = window.tabs.tabBar()
        _report(box, bar.mapToGlobal(bar.tabRect(2).center()), bar.mapToGlobal(
            bar.tabRect(0).center()))  # fmt: skip

    QTimer.singleShot(100, look)


def run_app(data_dir: str) -> int:
    from taperdesk import cli
    from taperdesk.ui.main_window import MainWindow

    after_show = MainWindow.after_show

    def after_show_then_report(window: MainWindow) -> None:
        from PySide6.QtWidgets import QApplication

        QApplication.setCursorFlashTime(0)  # no blinking cursor in the damage we time
        after_show(window)
        _report_when_ready()

    MainWindow.after_show = after_show_then_report  # type: ignore[method-assign]
    return cli.main(["--data-dir", data_dir])


def run_bare() -> int:
    from PySide6.QtWidgets import QApplication, QSpinBox, QTabWidget, QVBoxLayout, QWidget

    app = QApplication(sys.argv[:1])
    app.setCursorFlashTime(0)
    window = QTabWidget()
    page = QWidget()
    layout = QVBoxLayout(page)
    box, other = QSpinBox(), QSpinBox()
    box.setRange(0, 10)
    layout.addWidget(box)
    layout.addWidget(other)
    window.addTab(page, "&Diary")
    window.addTab(QSpinBox(), "&Plan")  # a click goes there and back, as in the app
    window.setGeometry(1500, 100, 300, 200)
    window.show()

    def report() -> None:
        bar = window.tabBar()
        _report(box, bar.mapToGlobal(bar.tabRect(0).center()), bar.mapToGlobal(
            bar.tabRect(1).center()))  # fmt: skip

    from PySide6.QtCore import QTimer

    QTimer.singleShot(300, report)
    return app.exec()


if __name__ == "__main__":
    sys.exit(run_bare() if sys.argv[1] == "--bare" else run_app(sys.argv[1]))
