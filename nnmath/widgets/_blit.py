"""Fast redraws by blitting: draw the unchanging part of a figure once, then only what moves.

A full matplotlib draw re-renders every tick label, legend and spine, which costs far more than the few lines
that move. :class:`KeyedBlitMixin` draws the unchanging part of the figure once and keeps it as a bitmap; on a
change it pastes the bitmap back and draws only the artists named in ``self.dynamic``. The background is
redrawn whenever ``self.static_key`` changes, so a control that rescales the axes (a range slider, a choice of
curve) still gets a correct picture while the frequent moves (a point, a count) stay fast; the last few
backgrounds are kept, so switching back is instant. :class:`BlitMixin` is the case with a single background.
"""

from __future__ import annotations

import time
from collections import OrderedDict

from ._png import rgb_png

__all__ = ["KeyedBlitMixin", "BlitMixin"]


class KeyedBlitMixin:
    """Mix into a :class:`~nnmath.widgets._base.Playground` before it in the bases.

    The subclass sets ``self.dynamic`` (the artists :meth:`update` changes: lines, patches, texts, titles such
    as ``ax.title``, legends) in ``__init__``, and ``self.static_key`` (any hashable value that changes exactly
    when something outside ``self.dynamic`` changes, such as axis limits) in :meth:`update`. After each render,
    ``last_timing`` holds the seconds spent drawing and encoding (for the benchmarks).
    """

    dynamic: list = []
    static_key = None
    max_backgrounds = 8
    _backgrounds = None
    _laid_out = False
    last_timing: dict = {}

    def render(self) -> bytes:
        canvas = self.figure.canvas
        t0 = time.perf_counter()
        if not self._laid_out:
            canvas.draw()  # lay out once with every artist in place, then freeze the layout
            self.figure.set_layout_engine("none")
            self._laid_out = True
            self._backgrounds = OrderedDict()
        key = self.static_key
        if key in self._backgrounds:
            canvas.restore_region(self._backgrounds[key])
            self._backgrounds.move_to_end(key)
        else:
            for artist in self.dynamic:
                artist.set_animated(True)  # left out of the full draw, drawn by hand below
            canvas.draw()
            self._backgrounds[key] = canvas.copy_from_bbox(self.figure.bbox)
            if len(self._backgrounds) > self.max_backgrounds:
                self._backgrounds.popitem(last=False)
        for artist in self.dynamic:
            self.figure.draw_artist(artist)
        t1 = time.perf_counter()
        png = rgb_png(canvas.buffer_rgba())
        self.last_timing = {"draw": t1 - t0, "encode": time.perf_counter() - t1}
        return png


class BlitMixin(KeyedBlitMixin):
    """:class:`KeyedBlitMixin` for a figure whose axes, ticks and legends never change: one background."""

    static_key = None
