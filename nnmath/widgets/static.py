"""Widgets that still move in the static HTML book, with no kernel: a precomputed grid of states.

A reader of the published book has no Python behind the page. For a widget that lists its
:class:`StaticControl` grid (``Playground.static_controls``), this module moves the widget through
every combination of the grid's control values, computing each state with ``nnmath`` exactly as the
live widget does, and records what the figure shows:

- the unchanging part of the figure (everything but the widget's ``dynamic`` artists) once per
  ``static_key``, as a PNG;
- for every state, the dynamic artists themselves as vector drawing commands in pixel coordinates
  (polylines and polygons with their colours, line widths and clip rectangles; markers; texts), captured
  by :class:`RecordingRenderer`, a matplotlib renderer that writes down what it is asked to draw.

:func:`static_html` packs both, with the controls, into one HTML fragment: range inputs, selects and
check boxes, a ``<canvas>``, the data as JSON and the small script ``static.js`` (shipped beside this
module, no dependency) that paints the background and replays the recorded commands of the state the
controls point at. The fragment needs no network and no kernel.

In a notebook the same object shows its live ipywidgets view; the book's HTML builder prefers the
``text/html`` representation (``nb_mime_priority_overrides`` in ``_config.yml``).
"""

from __future__ import annotations

import base64
import dataclasses
import gzip
import hashlib
import html
import io
import itertools
import json
from importlib import resources

import ipywidgets as ipw
import numpy as np
from matplotlib.backend_bases import RendererBase
from matplotlib.path import Path
from PIL import Image

__all__ = ["StaticControl", "grid_control", "RecordingRenderer", "record_artists", "static_states",
           "static_html", "SCRIPT"]

#: The script that replays a recorded widget in the page (read from ``static.js`` beside this module).
SCRIPT = resources.files(__package__).joinpath("static.js").read_text(encoding="utf-8")



@dataclasses.dataclass
class StaticControl:
    """One control of the static widget: a finite list of values the reader can choose between.

    Attributes
    ----------
    name : str
        The keyword of ``Playground.update`` this control sets (or a name the widget's
        ``static_values`` maps to keywords).
    description : str
        The text before the control.
    values : list
        The values on the grid, in order.
    labels : list of str
        How each value is shown to the reader.
    kind : str
        ``"range"`` (a slider over the values), ``"select"`` (a drop-down) or ``"checkbox"`` (two values).
    initial : int
        Index of the value shown first.
    """

    name: str
    description: str
    values: list
    labels: list
    kind: str = "range"
    initial: int = 0

    def __post_init__(self):
        if len(self.values) != len(self.labels) or not self.values:
            raise ValueError(f"control {self.name!r}: {len(self.values)} values but {len(self.labels)} labels")
        if self.kind not in ("range", "select", "checkbox"):
            raise ValueError(f"control {self.name!r}: unknown kind {self.kind!r}")
        if self.kind == "checkbox" and list(self.values) != [False, True]:
            raise ValueError(f"control {self.name!r}: a checkbox has the values [False, True]")
        if not 0 <= self.initial < len(self.values):
            raise ValueError(f"control {self.name!r}: initial index {self.initial} out of range")


def _format(control, value) -> str:
    fmt = getattr(control, "readout_format", None)
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(int(value))
    return format(value, fmt) if fmt else f"{value:g}"


def grid_control(control, values=None, name: str | None = None, step: float | None = None) -> StaticControl:
    """A :class:`StaticControl` on the grid ``values`` for one ipywidgets control (all options by default).

    Sliders need ``values``, or ``step``: then the grid is every value ``control.value + k * step`` inside the
    slider's range (for a log slider, ``step`` is in powers of ten), so the control's current value is on it.
    Drop-downs and check boxes take all their options. The initial value is the grid value nearest to the
    control's current value.
    """
    name = name or control.description
    if values is None and step is not None:
        log = isinstance(control, ipw.FloatLogSlider)
        here = np.log10(control.value) if log else float(control.value)
        lo, hi = (control.min, control.max)
        k = np.arange(np.ceil((lo - here) / step - 1e-9), np.floor((hi - here) / step + 1e-9) + 1)
        values = here + k * step
        values = 10.0 ** values if log else values
        values = [float(v) + 0.0 for v in np.round(values, 10)]  # + 0.0: no "-0.00" label
    if isinstance(control, ipw.Checkbox):
        values = [False, True]
        return StaticControl(name, control.description, values, ["off", "on"], "checkbox", int(bool(control.value)))
    if isinstance(control, ipw.Dropdown):
        options = [o if isinstance(o, tuple) else (str(o), o) for o in control.options]
        options = [(label, value) for label, value in options if values is None or value in values]
        chosen = [value for _, value in options]
        initial = chosen.index(control.value) if control.value in chosen else 0
        return StaticControl(name, control.description, chosen, [label for label, _ in options], "select", initial)
    if values is None:
        raise ValueError(f"control {name!r}: a slider needs its grid of values")
    values = [type(control.value)(v) for v in values]
    initial = int(np.argmin([abs(float(v) - float(control.value)) for v in values]))
    return StaticControl(name, control.description, values, [_format(control, v) for v in values], "range",
                         initial)


# -- recording what matplotlib draws -----------------------------------------------------------------------

def _css(rgba, alpha=None) -> str | None:
    r, g, b, a = (tuple(rgba) + (1.0,))[:4]
    a = a if alpha is None else alpha
    if a <= 0:
        return None
    return f"rgba({round(r * 255)},{round(g * 255)},{round(b * 255)},{round(a, 3):g})"


def _round(xy) -> list:
    """Pixel coordinates as whole pixels (what a 1:1 canvas can show), points that are not finite left out."""
    xy = np.asarray(xy, dtype=float)
    xy = xy[np.all(np.isfinite(xy), axis=-1)] if xy.ndim == 2 else xy
    return [int(v) for v in np.round(np.clip(xy, -1e5, 1e5)).ravel()]


class RecordingRenderer(RendererBase):
    """A matplotlib renderer that records drawing commands instead of painting pixels.

    Text is measured by the figure's Agg renderer (so layout and alignment match the PNG), and every
    command is stored in pixel coordinates with the origin at the top left, as a canvas expects. Styles
    (colours, widths, dashes, fonts, clip rectangles) are stored once in ``styles`` and referred to by index.

    Commands (``commands``):

    - ``["p", style, [[x, y, x, y, ...], ...]]``: a path of one or more polylines, filled and/or stroked;
    - ``["m", style, marker, [x, y, x, y, ...]]``: the same marker path drawn at each point;
    - ``["t", style, x, y, angle, width, text]``: a line of text, its baseline starting at (x, y), rotated by
      ``angle`` degrees; ``width`` is its width in the figure's font, so the page can centre it the same way.
    """

    def __init__(self, figure, styles: list, markers: list):
        super().__init__()
        self.figure = figure
        self.agg = figure.canvas.get_renderer()
        self.width, self.height = self.agg.get_canvas_width_height()
        self.styles, self.markers = styles, markers
        self.commands: list = []
        self._extents: dict = {}

    def record(self, artists) -> list:
        """The drawing commands of the visible ``artists`` as they stand now.

        One renderer records state after state: matplotlib caches text measurements per renderer.
        """
        self.commands = []
        for artist in artists:
            if artist.get_visible():
                artist.draw(self)
        return self.commands

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

    def points_to_pixels(self, points):
        """Points to pixels at the figure's dpi."""
        return self.agg.points_to_pixels(points)

    def flipy(self):
        """False: matplotlib's display coordinates have y up (flipped when recorded)."""
        return False

    # -- helpers -------------------------------------------------------------------------------------------
    def _index(self, table: list, item) -> int:
        if item not in table:
            table.append(item)
        return table.index(item)

    def _clip(self, gc):
        box = gc.get_clip_rectangle()
        if box is None:
            return None
        x0, y0, x1, y1 = box.extents
        return _round([x0, self.height - y1, x1 - x0, y1 - y0])

    def _path_style(self, gc, rgb_face) -> int:
        face = None
        if rgb_face is not None:
            face = _css(rgb_face, gc.get_alpha() if gc.get_forced_alpha() or len(rgb_face) == 3 else None)
        lw = self.points_to_pixels(gc.get_linewidth())
        stroke = _css(gc.get_rgb()) if lw > 0 else None
        offset, dashes = gc.get_dashes()
        style = {"fill": face, "stroke": stroke, "width": round(float(lw), 2),
                 "dash": None if not dashes else [round(float(self.points_to_pixels(d)), 2) for d in dashes],
                 "cap": {"projecting": "square"}.get(gc.get_capstyle(), gc.get_capstyle()),
                 "join": gc.get_joinstyle(), "clip": self._clip(gc)}
        return self._index(self.styles, style)

    def _polylines(self, path, transform) -> list:
        path = Path(path.vertices, path.codes)
        path.should_simplify = False  # every point of the path, as computed (matplotlib may drop some otherwise)
        polylines = []
        for poly in path.to_polygons(transform, closed_only=False):
            poly = np.asarray(poly, dtype=float).copy()
            poly[:, 1] = self.height - poly[:, 1]
            flat = _round(poly)
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
        shape = []
        for poly in marker_path.to_polygons(marker_trans, closed_only=False):
            poly = np.asarray(poly, dtype=float).copy()
            poly[:, 1] *= -1  # marker offsets in pixels, y down
            shape.append(_round(poly))
        points = np.asarray(trans.transform(path.vertices), dtype=float) if len(path.vertices) else np.empty((0, 2))
        points[:, 1] = self.height - points[:, 1]
        points = _round(points)
        if points:
            self.commands.append(["m", self._path_style(gc, rgbFace), self._index(self.markers, shape), points])

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        """Record a line of text with its font, colour, position and angle."""
        if not s.strip():
            return
        size = self.points_to_pixels(prop.get_size_in_points())
        weight = prop.get_weight()
        weight = "bold" if weight in ("bold", "heavy", "black", "semibold", "demibold") or (
            isinstance(weight, (int, float)) and weight >= 600) else "normal"
        italic = "italic " if prop.get_style() == "italic" else ""
        font = f"{italic}{weight} {size:.1f}px DejaVu Sans, Verdana, sans-serif"
        style = self._index(self.styles, {"color": _css(gc.get_rgb()), "font": font, "clip": self._clip(gc)})
        width = self.get_text_width_height_descent(s, prop, ismath)[0]
        self.commands.append(["t", style, *_round([x, self.height - y]), round(float(angle), 2),
                              round(float(width), 1), s])

    def draw_image(self, gc, x, y, im, transform=None):
        """Refuse: a moving image would need a picture per state (keep images in the background)."""
        raise ValueError("a static widget cannot record a moving image: keep images out of `dynamic`")


def record_artists(figure, artists, styles: list, markers: list) -> list:
    """The drawing commands of ``artists`` as they stand now (see :class:`RecordingRenderer`)."""
    return RecordingRenderer(figure, styles, markers).record(artists)


def _png_data_uri(rgba) -> str:
    """A figure as a data URI, reduced to 256 colours (flat fills, lines, text: no visible loss, a third the bytes)."""
    buf = io.BytesIO()
    image = Image.fromarray(np.ascontiguousarray(np.asarray(rgba)[..., :3]))
    image.quantize(256, dither=Image.Dither.NONE).save(buf, format="png", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _background(playground) -> np.ndarray:
    """The figure without its dynamic artists, as an RGBA array."""
    canvas = playground.figure.canvas
    for artist in playground.dynamic:
        artist.set_animated(True)  # left out of the full draw
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def static_states(playground, controls: list[StaticControl]) -> dict:
    """Move ``playground`` through every combination of ``controls`` and record each state.

    Returns the JSON-ready description the page script reads: the figure size, the controls, the
    background PNGs, the style and marker tables and, for each state (the first control varying slowest),
    ``[background index, commands]`` or ``[background index, commands, labels]`` when the widget's
    ``static_labels`` gives labels that depend on the state. The widget's artists are left at its current
    control values.
    """
    before = playground.values()
    playground.update(**before)
    playground.render()  # lays the figure out once and freezes the layout, as the live widget does
    backgrounds, keys, styles, markers, states = [], {}, [], [], []
    recorder = RecordingRenderer(playground.figure, styles, markers)
    for index in itertools.product(*(range(len(c.values)) for c in controls)):
        chosen = {c.name: c.values[i] for c, i in zip(controls, index)}
        playground.update(**{**before, **playground.static_values(chosen)})
        key = getattr(playground, "static_key", None)
        if key not in keys:
            keys[key] = len(backgrounds)
            backgrounds.append(_png_data_uri(_background(playground)))
        state = [keys[key], recorder.record(playground.dynamic)]
        labels = playground.static_labels(chosen)
        if labels:
            state.append([labels.get(c.name) for c in controls])
        states.append(state)
    if getattr(playground, "_backgrounds", None):
        playground._backgrounds.clear()  # let the live widget redraw its blit backgrounds from scratch
    playground.update(**before)
    width, height = playground.figure.canvas.get_width_height()
    return {"width": width, "height": height, "backgrounds": backgrounds, "styles": styles, "markers": markers,
            "controls": [{"description": c.description, "labels": c.labels, "kind": c.kind, "initial": c.initial}
                         for c in controls],
            "states": states}


def static_html(playground, controls: list[StaticControl] | None = None) -> str:
    """The widget as a self-contained HTML fragment that moves with no kernel (see the module docstring)."""
    controls = playground.static_controls() if controls is None else controls
    data = json.dumps(static_states(playground, controls), separators=(",", ":"), ensure_ascii=False)
    # gzip, then base64: the states repeat themselves a lot, and the browser unpacks gzip natively
    packed = base64.b64encode(gzip.compress(data.encode("utf-8"), compresslevel=9, mtime=0)).decode("ascii")
    ident = "nnmath-static-" + hashlib.sha1(packed.encode("ascii")).hexdigest()[:12]
    rows = []
    for i, c in enumerate(controls):
        label = f'<span class="nnmath-static-description">{html.escape(c.description)}</span>'
        if c.kind == "range":
            field = (f'<input type="range" min="0" max="{len(c.values) - 1}" step="1" value="{c.initial}" '
                     f'data-control="{i}" aria-label="{html.escape(c.description)}">')
        elif c.kind == "select":
            options = "".join(f'<option value="{j}"{" selected" if j == c.initial else ""}>{html.escape(text)}'
                              "</option>" for j, text in enumerate(c.labels))
            field = f'<select data-control="{i}" aria-label="{html.escape(c.description)}">{options}</select>'
        else:
            field = (f'<input type="checkbox" data-control="{i}"{" checked" if c.initial else ""} '
                     f'aria-label="{html.escape(c.description)}">')
        value = ("" if c.kind == "select" else  # a drop-down shows its own value
                 f'<output class="nnmath-static-value" data-control="{i}">{html.escape(c.labels[c.initial])}</output>')
        rows.append(f'<label class="nnmath-static-control">{label} {field} {value}</label>')
    style = ("<style>.nnmath-static-controls{display:flex;flex-wrap:wrap;gap:.3em 1.5em;margin-bottom:.4em;"
             "font-size:.9em;align-items:center}.nnmath-static-control{display:inline-flex;gap:.4em;"
             "align-items:center}.nnmath-static-value{min-width:3.5em;font-variant-numeric:tabular-nums}"
             ".nnmath-static canvas{max-width:100%;height:auto}.nnmath-static-note{font-size:.8em;opacity:.75;"
             "margin:.2em 0 0}</style>")
    width, height = playground.figure.canvas.get_width_height()
    states = int(np.prod([len(c.values) for c in controls]))
    note = (f'<p class="nnmath-static-note">This figure moves here without Python: its {states:,} states (every '
            "combination of the positions above) were computed by <code>nnmath</code> when the book was built. "
            "In a live notebook the sliders take any value.</p>")
    return (f'<div class="nnmath-static" id="{ident}">{style}'
            f'<div class="nnmath-static-controls">{"".join(rows)}</div>'
            f'<canvas width="{width}" height="{height}" role="img"></canvas>{note}'
            f'<script type="application/gzip+base64" class="nnmath-static-data">{packed}</script>'
            f"<script>{SCRIPT}</script></div>")
