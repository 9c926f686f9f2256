"""Faster redraws for widgets whose axes, ticks and legends never change (blitting).

A full matplotlib draw re-renders every tick label and legend entry, which costs far more than the few lines
that actually move. :class:`BlitMixin` draws the unchanging part of the figure once, keeps it as a bitmap, and on
each change pastes that bitmap back and draws only the artists the widget names as dynamic.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image


class BlitMixin:
    """Mix into a :class:`~nnmath.widgets._base.Playground` whose axes limits and layout stay fixed.

    The subclass sets ``self.dynamic``, the list of artists that :meth:`update` changes (lines, patches,
    texts, titles such as ``ax.title``), before the first render.
    """

    dynamic: list = []
    _background = None

    def render(self) -> bytes:
        canvas = self.figure.canvas
        if self._background is None:
            for artist in self.dynamic:
                artist.set_animated(True)  # left out of the full draw, drawn by hand below
            canvas.draw()
            if self.figure.get_layout_engine() is not None:
                self.figure.set_layout_engine("none")  # layout frozen after the first draw, as in Playground
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self.dynamic:
            self.figure.draw_artist(artist)
        buf = io.BytesIO()
        # zlib level 3, as in Playground.render: faster to encode than the default, slightly larger
        Image.fromarray(np.asarray(canvas.buffer_rgba())).save(buf, format="png", compress_level=3)
        return buf.getvalue()
