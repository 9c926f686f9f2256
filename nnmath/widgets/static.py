r"""How a widget moves in the static book, with no kernel: ``static_mode = "grid"`` or ``"page"``.

A reader of the published book has no Python behind the page. Each widget says, once, how its figure still
follows the controls there (its class attribute ``static_mode``, with the reason in its docstring):

- ``"grid"``: this module moves the widget through every combination of a grid of its controls
  (:class:`StaticControl`, from ``Playground.static_controls``), computing each state with ``nnmath`` exactly as
  the live widget does, and records each state's frame — the background's number and the moving artists'
  drawing commands (:mod:`nnmath.widgets.record`). For widgets whose states are few enough: a descent path per
  learning rate, a training run per epoch.
- ``"page"``: for a figure that is a closed-form function of the controls (a heat map :math:`f(\mathbf w \cdot
  \mathbf x + b)` over the plane), the page evaluates the same equation itself, in a small function the widget
  ships beside its module (``Playground.static_page``), and draws it with the same commands. The controls take
  every value of the live sliders. ``tests/browser`` holds each such function to its ``nnmath`` counterpart.

:func:`static_html` packs the controls, a ``<canvas>``, the data (gzipped JSON) and ``figure.js`` — the same
renderer as the live view — into one HTML fragment that needs no network and no kernel. The book's build asks
for it (``NNMATH_STATIC_HTML=1``); the HTML builder prefers it to the live view (``nb_mime_priority_overrides``
in ``_config.yml``).
"""

from __future__ import annotations

import base64
import dataclasses
import gzip
import hashlib
import io
import itertools
import json

import numpy as np
from matplotlib.image import AxesImage
from matplotlib.text import Text
from PIL import Image

from ._base import FIGURE_SCRIPT
from .controls import Choice, Slider, Toggle
from .record import RecordingRenderer

__all__ = ["StaticControl", "grid_control", "static_states", "page_data", "static_html", "static_data"]


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


def grid_control(control, values=None, name: str | None = None) -> StaticControl:
    """A :class:`StaticControl` for one control of a widget: its grid of ``values`` (by default every value a
    :class:`~nnmath.widgets.controls.Slider` can take, every option of a :class:`~nnmath.widgets.controls.Choice`,
    both states of a :class:`~nnmath.widgets.controls.Toggle`), labelled as the live view labels them. The
    initial value is the grid value nearest to the control's current value."""
    name = name or control.label
    if isinstance(control, Toggle):
        return StaticControl(name, control.label, [False, True], ["off", "on"], "checkbox", int(control.value))
    if isinstance(control, Choice):
        pairs = [(text, v) for text, v in control.options if values is None or v in values]
        chosen = [v for _, v in pairs]
        initial = chosen.index(control.value) if control.value in chosen else 0
        return StaticControl(name, control.label, chosen, [text for text, _ in pairs], "select", initial)
    if not isinstance(control, Slider):
        raise TypeError(f"no grid for a {type(control).__name__}")
    values = control.grid() if values is None else [control.coerce(v) for v in values]
    initial = int(np.argmin([abs(float(v) - float(control.value)) for v in values]))
    return StaticControl(name, control.label, values, [control.text(v) for v in values], "range", initial)


def _quantized_png(rgba) -> str:
    """A picture as a data URI, reduced to 256 colours (flat fills, lines, text: no visible loss, a third the
    bytes)."""
    buf = io.BytesIO()
    image = Image.fromarray(np.ascontiguousarray(np.asarray(rgba)[..., :3]))
    image.quantize(256, dither=Image.Dither.NONE).save(buf, format="png", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def static_states(playground, controls: list[StaticControl]) -> dict:
    """Move ``playground`` through every combination of ``controls`` and record each state (``"grid"`` mode).

    Returns the JSON-ready description the page reads: the figure size, the controls, the background PNGs, the
    style, marker and image tables and, for each state (the first control varying slowest), ``[background index,
    commands, labels, images]`` (labels: one per control or null; images: indices into the image table). The
    widget is left at its current control values.
    """
    before = playground.values()
    playground.update(**before)
    playground.record()  # the layout frozen and the aspect applied, as for a frame (whose picture is not needed)
    backgrounds, keys, styles, markers, images, states = [], {}, [], [], [], []
    # one renderer for every state: matplotlib keeps its text measurements per renderer
    recorder = RecordingRenderer(playground.figure, styles, markers)
    image_numbers: dict = {}
    for index in itertools.product(*(range(len(c.values)) for c in controls)):
        chosen = {c.name: c.values[i] for c, i in zip(controls, index)}
        playground.update(**{**before, **playground.static_values(chosen)})
        key = playground.static_key
        if key not in keys:
            keys[key] = len(backgrounds)
            backgrounds.append(_quantized_png(playground.background_rgba()))
        recorder.images = state_images = []  # this state's pictures, in the order its commands refer to them
        commands = recorder.record(playground.dynamic)
        shared = [_index(images, image_numbers, uri) for uri in state_images]  # each picture stored once
        labels = playground.static_labels(chosen)
        state = [keys[key], commands, [labels.get(c.name) for c in controls] if labels else None, shared or None]
        while state[-1] is None:
            state.pop()
        states.append(state)
    playground.update(**before)
    width, height = playground.figure.canvas.get_width_height()
    return {"mode": "grid", "width": width, "height": height, "backgrounds": backgrounds, "styles": styles,
            "markers": markers, "images": images,
            "controls": [{"name": c.name, "label": c.description, "labels": c.labels, "kind": c.kind,
                          "initial": c.initial} for c in controls],
            "states": states}


def _index(table: list, numbers: dict, item) -> int:
    """The position of ``item`` in ``table`` (appended if new); ``numbers`` maps each item to its position."""
    if item not in numbers:
        numbers[item] = len(table)
        table.append(item)
    return numbers[item]


# -- "page" mode: what the page's equation needs to draw ---------------------------------------------------------

def _axes_description(ax, height) -> dict:
    box = ax.get_window_extent()
    return {"box": [round(float(box.x0), 2), round(float(height - box.y1), 2), round(float(box.width), 2),
                    round(float(box.height), 2)],
            "xlim": [float(v) for v in ax.get_xlim()], "ylim": [float(v) for v in ax.get_ylim()],
            "xscale": ax.get_xscale(), "yscale": ax.get_yscale()}


def _template(playground, artist, recorder, height) -> dict:
    """The style (and for a text, its placement; for an image, its rectangle) of one moving artist, as it is now."""
    if isinstance(artist, AxesImage):
        (command,) = [c for c in recorder.record([artist]) if c[0] == "i"]
        return {"style": command[1], "rect": command[3:7], "smooth": command[7]}
    if isinstance(artist, Text):
        visible, text = artist.get_visible(), artist.get_text()
        artist.set_visible(True)
        artist.set_text(text or "x")
        commands = recorder.record([artist])
        artist.set_text(text)
        artist.set_visible(visible)
        text_style = next(c[1] for c in commands if c[0] == "t")
        box_style = next((c[1] for c in commands if c[0] == "p"), None)
        x, y = artist.get_transform().transform(artist.get_position())
        size = recorder.points_to_pixels(artist.get_fontsize())
        pad = 0.0
        if artist.get_bbox_patch() is not None:
            pad = float(artist.get_bbox_patch().get_boxstyle().pad) * size
        return {"style": text_style, "box": box_style, "pad": round(pad, 2), "x": round(float(x), 2),
                "y": round(float(height - y), 2), "ha": artist.get_horizontalalignment(),
                "va": artist.get_verticalalignment(), "size": round(float(size), 2)}
    commands = recorder.record([artist])
    if not commands:
        raise ValueError(f"template artist {artist!r} draws nothing in the current state; show it first")
    template = {"style": commands[0][1]}
    marker = next((c for c in commands if c[0] == "m"), None)
    if marker is not None:  # a line with markers: their style and shape too (``draw.markers`` in figure.js)
        template.update(marker=marker[2], marker_style=marker[1])
    return template


def page_data(playground) -> dict:
    """The JSON-ready description for ``"page"`` mode: the controls (every value of the live sliders), the
    background(s), the axes' pixel boxes and ranges, the templates of the moving artists, colour maps as lookup
    tables and the widget's own data (``Playground.static_page``).

    Besides ``equation``, ``axes``, ``templates``, ``colormaps``, ``backgrounds`` and ``data``, ``static_page`` may
    return ``template_values`` (control values at which every template shows, if some show only in some states:
    the templates are recorded there) and ``recorded`` (name → artists that never move but lie over moving ones,
    such as labels on a heat map: recorded once as drawing commands, ``data.recorded[name]``, for the page's
    equation to draw in their place among its own commands)."""
    page = playground.static_page()
    playground.update(**playground.values())
    playground.record()  # the layout frozen and the aspect applied, as for a frame (whose picture is not needed)
    height = playground.figure.canvas.get_width_height()[1]
    styles, markers, images = [], [], []
    recorder = RecordingRenderer(playground.figure, styles, markers, images)
    backgrounds, keys = [], {}
    for values in page.get("backgrounds", [playground.values()]):
        playground.update(**{**playground.values(), **values})
        keys[playground.static_key] = len(backgrounds)
        backgrounds.append(_quantized_png(playground.background_rgba()))
    # templates are recorded where every one of them shows (``template_values``: e.g. with a toggle on)
    playground.update(**{**playground.values(), **page.get("template_values", {})})
    templates = {name: _template(playground, artist, recorder, height) for name, artist in page["templates"].items()}
    # artists that never move but lie over moving ones (a label on a heat map): recorded once, drawn by the page
    recorded = {name: recorder.record(list(artists)) for name, artists in page.get("recorded", {}).items()}
    playground.update(**playground.values())
    lut = {name: np.round(cmap(np.linspace(0, 1, cmap.N)) * 255).astype(int).ravel().tolist()
           for name, cmap in page.get("colormaps", {}).items()}  # cmap.N colours, as matplotlib picks them
    width = playground.figure.canvas.get_width_height()[0]
    return {"mode": "page", "equation": page["equation"], "width": width, "height": height,
            "backgrounds": backgrounds, "background_keys": [str(k) for k in keys], "styles": styles,
            "markers": markers, "controls": playground.spec(with_values=True)["controls"],
            "axes": {name: _axes_description(ax, height) for name, ax in page["axes"].items()},
            "templates": templates, "recorded": recorded, "colormaps": lut, "data": page.get("data", {})}


# -- the HTML fragment ----------------------------------------------------------------------------------------------

def static_data(playground) -> dict:
    """The data the page reads for this widget, in its ``static_mode``."""
    if playground.static_mode == "grid":
        return static_states(playground, playground.static_controls())
    if playground.static_mode == "page":
        return page_data(playground)
    raise ValueError(f"{type(playground).__name__} has no static version (static_mode={playground.static_mode!r})")


def static_html(playground, data: dict | None = None) -> str:
    """The widget as a self-contained HTML fragment that moves with no kernel (see the module docstring)."""
    data = static_data(playground) if data is None else data
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    # gzip, then base64: the states repeat themselves a lot, and the browser unpacks gzip natively
    packed = base64.b64encode(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)).decode("ascii")
    ident = "nnmath-figure-" + hashlib.sha1(packed.encode("ascii")).hexdigest()[:12]
    if data["mode"] == "grid":
        states = len(data["states"])
        note = (f"This figure moves here without Python: its {states:,} states (every combination of the positions "
                "above) were computed by <code>nnmath</code> when the book was built. In a live notebook the sliders "
                "take any value.")
    else:
        note = ("This figure moves here without Python: the page computes the same equation as <code>nnmath</code> "
                "(a test holds the two to the same numbers). In a live notebook the kernel computes it.")
    equation = getattr(playground, "page_script", "") if data["mode"] == "page" else ""
    return (f'<div class="nnmath-figure" data-static="{data["mode"]}" data-widget="{type(playground).__name__}" '
            f'id="{ident}">'
            f'<div class="nnmath-figure-controls"></div>'
            f'<canvas width="{data["width"]}" height="{data["height"]}" role="img"></canvas>'
            f'<p class="nnmath-figure-note">{note}</p>'
            f'<script type="application/gzip+base64" class="nnmath-figure-data">{packed}</script>'
            + (f"<script>{equation}</script>" if equation else "")
            + f"<script>{FIGURE_SCRIPT}</script></div>")
