"""Fast redraws for widgets whose axes change only with some controls (blitting, keyed by the static state).

A full matplotlib draw re-renders every tick label, legend and spine, which costs far more than the few lines
that move. :class:`KeyedBlitMixin` draws the unchanging part of the figure once and keeps it as a bitmap; on a
change it pastes the bitmap back and draws only the artists named in ``self.dynamic``. Unlike a plain blit,
the background is redrawn whenever ``self.static_key`` changes, so a control that rescales the axes (a
range slider, a choice of curve) still gets a correct picture, and the frequent moves (a point, a count)
stay fast.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

__all__ = ["KeyedBlitMixin", "png_bytes"]


def png_bytes(rgba) -> bytes:
    """An RGBA buffer as PNG bytes, encoded for speed (zlib level 1) rather than size."""
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(np.asarray(rgba)[..., :3])).save(buf, format="png", compress_level=1)
    return buf.getvalue()


class KeyedBlitMixin:
    """Mix into a :class:`~nnmath.widgets._base.Playground` before it in the bases.

    The subclass sets ``self.dynamic`` (the artists :meth:`update` changes: lines, patches, texts, titles such
    as ``ax.title``, legends) in ``__init__``, and ``self.static_key`` (any hashable value that changes exactly
    when something outside ``self.dynamic`` changes, such as axis limits) in :meth:`update`.
    """

    dynamic: list = []
    static_key = None
    _background = None
    _background_key = None
    _laid_out = False

    def render(self) -> bytes:
        canvas = self.figure.canvas
        if not self._laid_out:
            canvas.draw()  # lay out once with every artist in place, then freeze the layout
            self.figure.set_layout_engine("none")
            self._laid_out = True
        if self._background is None or self.static_key != self._background_key:
            for artist in self.dynamic:
                artist.set_animated(True)  # left out of the full draw, drawn by hand below
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self._background_key = self.static_key
        else:
            canvas.restore_region(self._background)
        for artist in self.dynamic:
            self.figure.draw_artist(artist)
        return png_bytes(canvas.buffer_rgba())
