"""The charts' toolbar: matplotlib's, trimmed to what a person uses.

Home (back to the whole view), pan, zoom and save as a picture. matplotlib's
subplot-spacing and axes-editing tools are for developers and are left out.
Import this module lazily: it pulls in matplotlib.
"""

from __future__ import annotations

import warnings
from typing import ClassVar

from matplotlib.backends.backend_qtagg import NavigationToolbar2QT
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QIcon, QIconEngine, QPainter, QPixmap

#: The tools kept, by matplotlib's names for them.
KEPT_TOOLS = ("Home", "Pan", "Zoom", "Save")


class ChartToolbar(NavigationToolbar2QT):
    toolitems: ClassVar[list] = [
        item for item in NavigationToolbar2QT.toolitems if item[0] in KEPT_TOOLS
    ]

    def __init__(self, canvas, parent=None) -> None:
        super().__init__(canvas, parent, coordinates=False)
        self.setIconSize(self.iconSize() * 0.8)

    def _icon(self, name: str):
        # Its icons read a Qt attribute that PySide6 6.12 marks deprecated.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return QIcon(_KeptPixmaps(super()._icon(name), self))


class _KeptPixmaps(QIconEngine):
    """matplotlib's icon, drawn once per size, mode, pixel ratio and light or dark
    palette. Its own engine reads and renders the SVG file at every paint: each time a
    tab with a chart was shown, ~1.5 ms an icon (issue 18)."""

    def __init__(self, icon: QIcon, toolbar) -> None:
        super().__init__()
        self._icon = icon
        self._toolbar = toolbar
        self._kept: dict[tuple[object, ...], QPixmap] = {}

    def pixmap(self, size: QSize, mode, state) -> QPixmap:
        toolbar = self._toolbar
        dark = toolbar.palette().color(toolbar.backgroundRole()).value() < 128
        key = (size.width(), size.height(), mode, state, toolbar.devicePixelRatioF(), dark)
        kept = self._kept.get(key)
        if kept is None:
            kept = self._kept[key] = self._icon.pixmap(size, mode, state)
        return kept

    def paint(self, painter: QPainter, rect: QRect, mode, state) -> None:
        pixmap = self.pixmap(rect.size(), mode, state)
        if not pixmap.isNull():
            painter.drawPixmap(rect, pixmap)

    def clone(self) -> QIconEngine:
        return _KeptPixmaps(self._icon, self._toolbar)
