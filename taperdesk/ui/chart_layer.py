"""A chart's data lines redrawn over a saved picture of everything else (blitting).

A diary edit changes a line or two; a full matplotlib redraw also lays out and
rasterises every tick label, the grid and the spines again (~80% of the ~65 ms a
ten-year Diary chart took). The data lines here are matplotlib "animated" artists:
a full draw paints everything else, this layer saves that picture (the
background) and paints the lines over it. When only their data changed and the
view did not, :meth:`DataLayer.redraw` puts the saved background back and paints
the lines again (the whole chart repainted from memory in a few ms).

A full draw is still made whenever the background may have changed: the view's
limits, the canvas size or dpi, anything the chart's ``view_key`` names, or
:meth:`DataLayer.invalidate`. Saving or printing the figure draws everything
(matplotlib includes animated artists when saving). The lines are drawn after the
background, in the order given: the grid, which used to be drawn over the dose
lines of a twin axes, is now under every line.

Import this module lazily: it is used with matplotlib.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


class DataLayer:
    """Blitting for one canvas: ``artists`` gives the data lines in drawing order,
    ``view_key`` anything that, when it changes, changes the background too."""

    def __init__(
        self,
        canvas: Any,
        artists: Callable[[], Sequence[Any]],
        view_key: Callable[[], tuple[object, ...]],
    ) -> None:
        self.canvas = canvas
        self._artists = artists
        self._view_key = view_key
        self._background: Any = None
        self._drawn_for: tuple[object, ...] | None = None
        self._version = 0
        #: How each :meth:`redraw` went, for tests and benchmarks: "blit" or "full".
        self.last_redraw = ""
        canvas.mpl_connect("draw_event", self._full_draw_done)

    def invalidate(self) -> None:
        """The background changed (text, strips, colours): the next redraw is a full one."""
        self._version += 1

    def _key(self) -> tuple[object, ...]:
        return (
            self._version,
            self.canvas.get_width_height(),
            self.canvas.figure.dpi,
            self._view_key(),
        )

    def _full_draw_done(self, event: Any) -> None:
        canvas = self.canvas
        if event is None or event.canvas is not canvas or canvas.is_saving():
            return  # a figure saved or printed draws its lines itself
        self._background = canvas.copy_from_bbox(canvas.figure.bbox)
        self._drawn_for = self._key()
        for artist in self._artists():
            artist.draw(event.renderer)

    def redraw(self) -> None:
        """Show the lines' new data: over the saved background when nothing else changed
        (painted with the window's next repaint; a hidden chart's picture is ready when
        it is shown), else by a full draw when Qt is next idle."""
        canvas = self.canvas
        if (
            self._background is None
            or self._drawn_for != self._key()
            or getattr(canvas, "_draw_pending", False)
        ):
            self.last_redraw = "full"
            canvas.draw_idle()
            return
        self.last_redraw = "blit"
        canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for artist in self._artists():
            artist.draw(renderer)
        canvas.update()  # the picture is in the canvas's buffer: Qt paints it when due
