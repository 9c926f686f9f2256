"""What a widget's moving artists look like, as drawing commands the page replays (``figure.js``).

One renderer serves every widget, live and in the static book: the unchanging part of the figure is a picture
(a PNG per ``static_key``), and the artists that move (``Playground.dynamic``) are recorded here as vector
commands in pixel coordinates — polylines and polygons with their colours, widths and clip rectangles, markers,
texts and small images — by :class:`RecordingRenderer`, a matplotlib renderer that writes down what it is asked
to draw instead of painting it. The page paints the picture and replays the commands on a ``<canvas>``.

Commands (``RecordingRenderer.commands``; styles and marker shapes are stored once and referred to by index):

- ``["p", style, [[x, y, x, y, ...], ...]]``: a path of one or more polylines, filled and/or stroked;
- ``["m", style, marker, [x, y, x, y, ...]]``: the same marker path drawn at each point;
- ``["t", style, x, y, angle, width, text]``: a line of text, its baseline starting at (x, y), rotated by
  ``angle`` degrees; ``width`` is its width in the figure's font, so the page can centre it the same way;
- ``["i", image, x, y, w, h, smooth]``: image number ``image`` (a PNG data URI in ``images``) stretched over the
  rectangle (x, y, w, h), with bilinear smoothing or not (an ``AxesImage`` among the moving artists: its data,
  coloured by its colour map, a pixel per data point; the page scales it as matplotlib would).
"""

from __future__ import annotations

import base64
import functools

import numpy as np
from matplotlib import font_manager
from matplotlib.backend_bases import RendererBase
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.path import Path
from matplotlib.text import Text

from .png import rgba_png

__all__ = ["RecordingRenderer", "record_artists", "png_data_uri"]


def _css(rgba, alpha=None) -> str | None:
    r, g, b, a = (tuple(rgba) + (1.0,))[:4]
    a = a if alpha is None else alpha
    if a <= 0:
        return None
    return f"rgba({round(r * 255)},{round(g * 255)},{round(b * 255)},{round(a, 3):g})"


def _round(xy) -> list:
    """Pixel coordinates as whole pixels (what a 1:1 canvas can show), points that are not finite left out."""
    xy = np.asarray(xy, dtype=float)
    if xy.ndim == 2:
        finite = np.isfinite(xy).all(axis=-1)
        if not finite.all():
            xy = xy[finite]
    whole = np.rint(np.clip(xy, -1e5, 1e5)).ravel()  # rint: halves to even, as np.round
    if np.isnan(whole).any():
        raise ValueError("cannot convert float NaN to integer")
    return whole.astype(np.int64).tolist()


def _frozen(item):
    """A hashable stand-in for a table entry (dicts, lists, numbers, strings): equal exactly when the entries are
    equal (``==``), so that a dict finds an entry as ``table.index`` would."""
    if isinstance(item, dict):
        return dict, tuple(sorted((key, _frozen(value)) for key, value in item.items()))
    if isinstance(item, (list, tuple)):
        return type(item), tuple(_frozen(value) for value in item)
    return item


def _round_box(x, y, width, height) -> list:
    """:func:`_round` for the four numbers of a rectangle, in plain Python (one clip box per command)."""
    return [round(min(max(float(v), -1e5), 1e5)) for v in (x, y, width, height)]


#: The page's font for matplotlib's monospace texts (aligned columns of numbers: kept aligned).
_MONOSPACE = "DejaVu Sans Mono, Menlo, Consolas, monospace"


@functools.lru_cache(maxsize=64)
def _is_monospace(prop) -> bool:
    """Whether matplotlib draws this text in a monospace font (the family it resolves to)."""
    return "mono" in font_manager.get_font(font_manager.findfont(prop)).family_name.lower()


def _break_at_nans(path) -> Path:
    """A copy of a straight-line path that starts a new piece after each point that is not finite, as Agg draws it
    (``to_polygons`` would join the pieces across the gap: a line ``[0, 1, nan, 2, 3]`` is two segments)."""
    vertices, codes = np.asarray(path.vertices, dtype=float), path.codes
    bad = ~np.isfinite(vertices).all(axis=1)
    if bad.any() and (codes is None or np.isin(codes, (Path.MOVETO, Path.LINETO)).all()):
        codes = np.full(len(vertices), Path.LINETO, dtype=Path.code_type) if codes is None else codes.copy()
        codes[np.r_[True, bad[:-1]]] = Path.MOVETO  # the first point, and every point after a gap
        vertices, codes = vertices[~bad], codes[~bad]
    return Path(vertices, codes)


class RecordingRenderer(RendererBase):
    """A matplotlib renderer that records drawing commands instead of painting pixels.

    Text is measured by the figure's Agg renderer (so layout and alignment match the PNG), and every command is
    stored in pixel coordinates with the origin at the top left, as a canvas expects (the commands are listed in
    the module's docstring). Styles (colours, widths, dashes, fonts, clip rectangles), marker shapes and images
    are stored once in the tables ``styles``, ``markers`` and ``images`` and referred to by index; one renderer
    records state after state into the same tables.
    """

    def __init__(self, figure, styles: list, markers: list, images: list | None = None):
        super().__init__()
        self.figure = figure
        self.agg = figure.canvas.get_renderer()
        self.width, self.height = self.agg.get_canvas_width_height()
        self.styles, self.markers = styles, markers
        self.images = [] if images is None else images
        self.commands: list = []
        self._extents: dict = {}
        self._font_heights: dict = {}
        self._positions: dict = {}  # id(table) -> [table, {frozen entry: position}, length indexed]
        self._path_styles: dict = {}  # what a path's style depends on -> (style, frozen style)
        self._shapes: dict = {}  # a marker's path and transform -> (shape, frozen shape)
        self._kept: dict = {}  # id(artist) -> (artist, what else its commands depend on, its commands)

    def record(self, artists) -> list:
        """The drawing commands of the visible ``artists`` as they stand now.

        One renderer records state after state: matplotlib caches text measurements per renderer, and an artist
        that has not changed since this renderer recorded it gets the same commands again without being drawn
        (``_unchanged``).
        """
        self.commands = []
        for artist in artists:
            if not artist.get_visible():
                continue
            if isinstance(artist, AxesImage):
                self._record_image(artist)
                continue
            kept, unchanged = self._kept.get(id(artist)), self._unchanged(artist)
            if unchanged is not None and kept is not None and kept[0] is artist and kept[1] == unchanged:
                self.commands.extend(kept[2])
                continue
            start = len(self.commands)
            artist.draw(self)
            unchanged = self._unchanged(artist)
            if unchanged is None:
                self._kept.pop(id(artist), None)
            else:
                self._kept[id(artist)] = (artist, unchanged, self.commands[start:])
        return self.commands

    @staticmethod
    def _unchanged(artist):
        """What a line's or a text's commands depend on besides the artist itself, or None if they cannot be kept.

        matplotlib marks an artist stale whenever one of its properties is set (even to the value it has) and
        clears the mark when the artist is drawn; so an artist that is not stale is as it was when last drawn
        (a text's box too). Its commands are then the same if its transform and clip box are: an affine
        transform is its matrix (a log axis's is not affine, and never kept). A clip path, or any other kind of
        artist, is drawn every time.
        """
        if type(artist) not in (Line2D, Text) or artist.stale or artist.get_clip_path() is not None:
            return None
        if isinstance(artist, Text) and artist.get_bbox_patch() is not None and artist.get_bbox_patch().stale:
            return None
        transform = artist.get_transform()
        if not transform.is_affine:
            return None
        clip = artist.get_clip_box() if artist.get_clip_on() else None
        return transform.get_matrix().tobytes(), None if clip is None else tuple(clip.extents)

    def _record_image(self, image: AxesImage) -> None:
        """An image as its data coloured by its colour map, a pixel per data point, stretched over its extent."""
        data = image.get_array()
        if data is None or data.size == 0:
            return
        rgba = image.to_rgba(data, bytes=True)
        if image.origin == "lower":
            rgba = rgba[::-1]  # row 0 is drawn at the bottom
        x0, x1, y0, y1 = image.get_extent()
        (px0, py0), (px1, py1) = image.axes.transData.transform([(x0, y0), (x1, y1)])
        if px1 < px0:  # a reversed extent or axis
            rgba, (px0, px1) = rgba[:, ::-1], (px1, px0)
        if py1 < py0:
            rgba, (py0, py1) = rgba[::-1], (py1, py0)
        uri = png_data_uri(rgba_png(np.ascontiguousarray(rgba)))
        index = self._index(self.images, uri)
        clip = image.get_clip_box()
        style = self._index(self.styles, {"clip": None if clip is None else _round(
            [clip.x0, self.height - clip.y1, clip.width, clip.height])})
        smooth = image.get_interpolation() not in ("nearest", "none")
        self.commands.append(["i", style, index, *[round(float(v), 1) for v in
                                                   (px0, self.height - py1, px1 - px0, py1 - py0)], smooth])

    # -- what layout needs: measured by Agg ------------------------------------------------------------
    def get_canvas_width_height(self):
        """The figure's size in pixels."""
        return self.width, self.height

    def get_text_width_height_descent(self, s, prop, ismath):
        """Text extents, measured by the Agg renderer (and remembered: :meth:`draw_text` asks again)."""
        key = (s, hash(prop), ismath)
        if key not in self._extents:
            self._extents[key] = self.agg.get_text_width_height_descent(s, prop, ismath)
        return self._extents[key]

    def _get_font_height_metrics(self, prop):
        """A font's ascent, descent and line gap in pixels, which matplotlib's text layout asks a renderer for
        first (``Text._get_layout``): the numbers it computes itself otherwise, from the font's OS/2 or hhea
        table, remembered per font (the layout of every text needs them, twice for a text in a box).
        ``tests/test_static.py`` holds the layouts to Agg's."""
        key = (hash(prop), self.figure.dpi)
        if key not in self._font_heights:
            self._font_heights[key] = None, None, None  # no table: matplotlib measures the font itself
            font = font_manager.get_font(font_manager.fontManager._find_fonts_by_props(prop))
            for table_name, gap, ascent, descent in (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                                                     ("hhea", "lineGap", "ascent", "descent")):
                table = font.get_sfnt_table(table_name)
                if table is None:
                    continue
                scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points() * self.figure.dpi / 72
                self._font_heights[key] = table[ascent] * scale, -table[descent] * scale, table[gap] * scale
                break
        return self._font_heights[key]

    def points_to_pixels(self, points):
        """Points to pixels at the figure's dpi."""
        return self.agg.points_to_pixels(points)

    def flipy(self):
        """False: matplotlib's display coordinates have y up (flipped when recorded)."""
        return False

    # -- helpers -------------------------------------------------------------------------------------------
    def _index(self, table: list, item, key=None) -> int:
        """The position of ``item`` in ``table``, appended if it is new; ``key`` is ``_frozen(item)`` if known.

        A dict per table finds the entry; it is made again when the table changed elsewhere (the live view
        clears its image table before each frame).
        """
        key = _frozen(item) if key is None else key
        known = self._positions.get(id(table))
        if known is None or known[0] is not table or known[2] != len(table):
            positions: dict = {}
            for i, entry in enumerate(table):
                positions.setdefault(_frozen(entry), i)
            known = self._positions[id(table)] = [table, positions, len(table)]
        positions = known[1]
        if key not in positions:
            positions[key] = len(table)
            table.append(item)
            known[2] = len(table)
        return positions[key]

    def _clip(self, gc):
        box = gc.get_clip_rectangle()
        if box is None:
            return None
        x0, y0, x1, y1 = box.extents
        return _round_box(x0, self.height - y1, x1 - x0, y1 - y0)

    def _path_style(self, gc, rgb_face) -> int:
        dashes, clip = gc.get_dashes()[1], self._clip(gc)
        # everything the style is made of, so that each style is made once
        known = (None if rgb_face is None else tuple(rgb_face), gc.get_alpha(), gc.get_forced_alpha(),
                 gc.get_linewidth(), tuple(gc.get_rgb()), None if not dashes else tuple(dashes),
                 gc.get_capstyle(), gc.get_joinstyle(), None if clip is None else tuple(clip))
        if known not in self._path_styles:
            face = None
            if rgb_face is not None:
                face = _css(rgb_face, gc.get_alpha() if gc.get_forced_alpha() or len(rgb_face) == 3 else None)
            lw = self.points_to_pixels(gc.get_linewidth())
            stroke = _css(gc.get_rgb()) if lw > 0 else None
            style = {"fill": face, "stroke": stroke, "width": round(float(lw), 2),
                     "dash": None if not dashes else [round(float(self.points_to_pixels(d)), 2) for d in dashes],
                     "cap": {"projecting": "square"}.get(gc.get_capstyle(), gc.get_capstyle()),
                     "join": gc.get_joinstyle(), "clip": clip}
            self._path_styles[known] = (style, _frozen(style))
        return self._index(self.styles, *self._path_styles[known])

    def _polylines(self, path, transform) -> list:
        vertices = path.vertices
        if path.codes is None and len(vertices) >= 2 and np.isfinite(vertices).all():
            # the common case, one polyline of finite points: the same as below, without splitting anything
            poly = np.array(transform.frozen().transform(vertices), dtype=float)  # to_polygons' polyline, a copy
            poly[:, 1] = self.height - poly[:, 1]
            if np.isfinite(poly).all():
                return [_round(poly)]
        path = _break_at_nans(path)
        path.should_simplify = False  # every point of the path, as computed (matplotlib may drop some otherwise)
        polys = path.to_polygons(transform, closed_only=False)
        if not polys:
            return []
        every = np.concatenate(polys).astype(float, copy=False)  # all the pieces at once (a new array)
        every[:, 1] = self.height - every[:, 1]
        if np.isfinite(every).all():  # as below, in one pass: each piece of two points or more
            flat, polylines, start = _round(every), [], 0
            for n in map(len, polys):
                if n >= 2:
                    polylines.append(flat[2 * start:2 * (start + n)])
                start += n
            return polylines
        polylines = []
        for poly in polys:
            poly = np.asarray(poly, dtype=float).copy()
            poly[:, 1] = self.height - poly[:, 1]
            # a point that is not finite is a gap in the line, as matplotlib draws it: split there
            for piece in np.split(poly, np.flatnonzero(~np.all(np.isfinite(poly), axis=1))):
                flat = _round(piece)
                if len(flat) >= 4:
                    polylines.append(flat)
        return polylines

    # -- drawing -------------------------------------------------------------------------------------------
    def draw_path(self, gc, path, transform, rgbFace=None):
        """Record a path as polylines (curves flattened), with its fill and stroke style."""
        polylines = self._polylines(path, transform)
        if polylines:
            self.commands.append(["p", self._path_style(gc, rgbFace), polylines])

    def draw_markers(self, gc, marker_path, marker_trans, path, trans, rgbFace=None):
        """Record a marker's shape once and the points it is drawn at."""
        codes = marker_path.codes
        known = (marker_path.vertices.tobytes(), None if codes is None else codes.tobytes(),
                 marker_path.should_simplify, marker_path.simplify_threshold, marker_trans.get_matrix().tobytes())
        if known not in self._shapes:
            shape = []
            for poly in marker_path.to_polygons(marker_trans, closed_only=False):
                poly = np.asarray(poly, dtype=float).copy()
                poly[:, 1] *= -1  # marker offsets in pixels, y down
                shape.append(_round(poly))
            self._shapes[known] = (shape, _frozen(shape))
        points = np.asarray(trans.transform(path.vertices), dtype=float) if len(path.vertices) else np.empty((0, 2))
        points[:, 1] = self.height - points[:, 1]
        points = _round(points)
        if points:
            self.commands.append(["m", self._path_style(gc, rgbFace), self._index(self.markers, *self._shapes[known]),
                                  points])

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        """Record a line of text with its font, colour, position and angle."""
        if not s.strip():
            return
        size = self.points_to_pixels(prop.get_size_in_points())
        weight = prop.get_weight()
        weight = "bold" if weight in ("bold", "heavy", "black", "semibold", "demibold") or (
            isinstance(weight, (int, float)) and weight >= 600) else "normal"
        italic = "italic " if prop.get_style() == "italic" else ""
        family = _MONOSPACE if _is_monospace(prop) else "DejaVu Sans, Verdana, sans-serif"
        font = f"{italic}{weight} {size:.1f}px {family}"
        style = self._index(self.styles, {"color": _css(gc.get_rgb()), "font": font, "clip": self._clip(gc)})
        width = self.get_text_width_height_descent(s, prop, ismath)[0]
        self.commands.append(["t", style, *_round([x, self.height - y]), round(float(angle), 2),
                              round(float(width), 1), s])

    def draw_image(self, gc, x, y, im, transform=None):
        """Refuse an image that is not an ``AxesImage`` among the moving artists (e.g. inside a moving axes)."""
        raise ValueError("only an AxesImage can move (put it in `dynamic` itself); other images belong in the "
                         "background")


def record_artists(figure, artists, styles: list, markers: list, images: list | None = None) -> list:
    """The drawing commands of ``artists`` as they stand now (see :class:`RecordingRenderer`)."""
    return RecordingRenderer(figure, styles, markers, images).record(artists)


def png_data_uri(png: bytes) -> str:
    """PNG bytes as a ``data:`` URI, which the page can use as an image source."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


