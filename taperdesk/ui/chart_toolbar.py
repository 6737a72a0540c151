"""The charts' toolbar: matplotlib's, trimmed to what a person uses.

Home (back to the whole view), pan, zoom and save as a picture. matplotlib's
subplot-spacing and axes-editing tools are for developers and are left out.
Import this module lazily: it pulls in matplotlib.
"""

from __future__ import annotations

import warnings
from typing import ClassVar

from matplotlib.backends.backend_qtagg import NavigationToolbar2QT

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
            return super()._icon(name)
