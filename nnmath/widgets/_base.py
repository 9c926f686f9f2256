"""The one contract every widget of the book follows, and the one renderer that draws it (see ``nnmath.widgets``).

A widget is a matplotlib figure, laid out once, whose moving artists follow a few controls. The figure lives
outside pyplot (nothing piles up or shows twice). After each move the widget records two things: the unchanging
part of the figure as a picture (one PNG per value of ``static_key``, kept), and the moving artists
(``dynamic``) as drawing commands (:mod:`nnmath.widgets.record`). ``figure.js`` paints the picture and replays
the commands on a canvas — in a notebook (:class:`FigureView`, a small anywidget: the kernel computes, the page
draws) and in the static book (:mod:`nnmath.widgets.static`: the same script, with no kernel).
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from importlib import resources

import anywidget
import numpy as np
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg

from .controls import Control
from .png import rgb_png
from .record import RecordingRenderer, png_data_uri

__all__ = ["Playground", "FigureView", "FIGURE_SCRIPT", "static_html_enabled", "STATIC_HTML_VARIABLE"]

#: The page-side renderer (``figure.js`` beside this module): controls, canvas, drawing commands.
FIGURE_SCRIPT = resources.files(__package__).joinpath("figure.js").read_text(encoding="utf-8")

#: The environment variable that turns on the kernel-free ``text/html`` version of the widgets.
STATIC_HTML_VARIABLE = "NNMATH_STATIC_HTML"


def static_html_enabled() -> bool:
    """Whether widgets add their kernel-free ``text/html`` version: only when ``NNMATH_STATIC_HTML=1``.

    The book's build turns it on (``_ext/nnmath_book.py`` sets the variable before any notebook runs), so the
    published pages carry it. Everywhere else — a notebook in JupyterLab, nbval, the notebooks as committed — it
    stays off: the live view needs none of it, and its pictures are rendered pixels, whose anti-aliased edges
    differ from one CPU to another (the last bits of floating point move an edge pixel), so they must never be
    stored where nbval compares text.
    """
    return os.environ.get(STATIC_HTML_VARIABLE, "") == "1"


class FigureView(anywidget.AnyWidget):
    """The live view of a :class:`Playground` in a notebook: ``figure.js`` draws, the kernel computes.

    The page sends a ``request`` (a sequence number and the controls' values); the widget answers with a
    ``frame`` (the moving artists' drawing commands, and the request's number as ``answer``) and, when the
    unchanging part changed, a ``background``. While the kernel works on one move the page holds on to the
    newest position only and sends it when the answer arrives, so a fast drag never queues up stale positions.
    ``spec`` describes the controls and ``values`` shows moves made from Python.
    """

    _esm = FIGURE_SCRIPT + "\nexport default { render: (view) => globalThis.nnmathFigure.live(view) };\n"
    spec = traitlets.Dict().tag(sync=True)
    values = traitlets.Dict().tag(sync=True)
    request = traitlets.Dict().tag(sync=True)
    frame = traitlets.Dict().tag(sync=True)
    background = traitlets.Dict().tag(sync=True)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.spec.get('title', 'a widget')!r})"


class Playground:
    """A figure whose moving artists follow a few controls; subclasses fill in the contract below.

    **The contract.** A subclass, in ``__init__``, builds its figure (``nnmath.plots.widget_figure``), passes
    ``name → Control`` (:mod:`nnmath.widgets.controls`) to ``super().__init__`` and lists in ``self.dynamic``
    the artists its :meth:`update` changes (lines, patches, texts, an axes' ``title``, images). It implements:

    - :meth:`update` ``(**values)``: set the artists for these control values; it sets ``self.static_key``, a
      hashable value that changes exactly when something *outside* ``dynamic`` changes (an axis range, a set of
      contours), so that the picture of the rest is drawn again only then;
    - optionally :meth:`labels` ``(**values)``: texts shown beside the controls that depend on the whole state,
      and :meth:`disabled` ``(**values)``: the controls that change nothing in this state (greyed out);
    - optionally :meth:`adjust` ``(name, values)``: when control ``name`` moved, move the ranges of the others
      (a surface's window); it returns the values to use;
    - ``static_mode``, how the widget moves in the static book (:mod:`nnmath.widgets.static`), with the reason
      in the class docstring: ``"grid"`` (states precomputed on the grid :meth:`static_controls` returns) or
      ``"page"`` (the page evaluates the widget's equation itself: :meth:`static_page`).

    **The rules**, which the tests check for every widget: everything outside ``dynamic`` depends only on
    ``static_key``; :meth:`update` depends only on its arguments, never on the previous state; moving texts are
    plain text (no TeX); moving images are ``AxesImage`` artists listed in ``dynamic`` themselves.
    """

    dpi = 100
    #: How the widget moves in the static book: "grid" or "page" (see the class docstring).
    static_mode: str | None = None
    #: Backgrounds kept for the live view (switching back to one of them costs nothing).
    max_backgrounds = 8
    #: A short title for the live view's text form.
    title = "a widget"

    def __init_subclass__(cls, **kwargs):
        """Lay every widget out once, when it is built, at its initial values (see :meth:`_lay_out`)."""
        super().__init_subclass__(**kwargs)
        init = cls.__init__

        def __init__(self, *args, __init=init, __cls=cls, **kw):
            __init(self, *args, **kw)
            if type(self) is __cls:  # the most derived class's __init__ has finished: the figure is complete
                self.update(**self.values())
                self._lay_out()

        __init__.__doc__, __init__.__wrapped__ = init.__doc__, init
        cls.__init__ = __init__

    def __init__(self, figure, controls: dict):
        for name, control in controls.items():
            if not isinstance(control, Control):
                raise TypeError(f"control {name!r} must be a nnmath.widgets.controls.Control; "
                                f"got {type(control).__name__}")
        self.figure = figure
        FigureCanvasAgg(figure)
        self.controls = dict(controls)
        self.dynamic: list = []
        self.static_key = None
        self._laid_out = False
        self._view: FigureView | None = None
        self._backgrounds: OrderedDict = OrderedDict()  # static_key -> (index, data URI)
        self._styles, self._markers, self._images = [], [], []
        self._recorder = None
        self._sequence = 0
        self.last_timing: dict = {}

    # -- to implement ------------------------------------------------------------------------------------------
    def update(self, **values) -> None:  # pragma: no cover - abstract
        """Set the moving artists (and ``self.static_key``) for these control values; draws nothing."""
        raise NotImplementedError

    def labels(self, **values) -> dict:
        """Texts beside the controls that depend on the whole state, by control name (none by default)."""
        return {}

    def disabled(self, **values) -> list:
        """Controls that change nothing in this state (α for an activation that has none): the page greys them out,
        so that no control can be moved without changing the figure. None by default."""
        return []

    def adjust(self, name: str, values: dict) -> dict:
        """Control ``name`` has moved to ``values[name]``: move the other controls' ranges; returns the values."""
        return values

    @staticmethod
    def restyle(artist, **props) -> None:
        """``artist.set(**props)`` for the properties whose value changes (``data``, a line's ``(x, y)``, point for
        point): matplotlib marks an artist changed whenever a property is set, even to the value it has, and
        the renderer records an artist again only if it changed (:mod:`nnmath.widgets.record`). ``update`` may
        use it for the moving artists that often stay as they are."""
        changed = {}
        for name, value in props.items():
            if name == "data":
                same = all(np.array_equal(old, new) for old, new in zip(artist.get_data(orig=True), value))
            else:
                same = np.array_equal(getattr(artist, f"get_{name}")(), value)
            if not same:
                changed[name] = value
        if changed:
            artist.set(**changed)

    # -- the state -----------------------------------------------------------------------------------------------
    def values(self) -> dict:
        """The current value of every control, by name."""
        return {name: c.value for name, c in self.controls.items()}

    def set(self, **values) -> None:
        """Move controls programmatically (as a reader would); the figure follows."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; this widget has {sorted(self.controls)}")
        for name, value in values.items():
            self._move(name, value)
        self.refresh()

    def _move(self, name, value) -> None:
        self.controls[name].value = self.controls[name].coerce(value)
        adjusted = self.adjust(name, self.values())
        for other, v in adjusted.items():
            self.controls[other].value = self.controls[other].coerce(v)

    def refresh(self) -> dict:
        """Update the artists from the controls and draw them: the new frame (sent to the live view, if any)."""
        self.update(**self.values())
        frame = self.frame()
        if self._view is not None:
            self._send(frame, self.values())
        return frame

    # -- the one renderer -----------------------------------------------------------------------------------------
    def _lay_out(self) -> None:
        """Lay the figure out once with every artist in place, then freeze the layout.

        It happens when the widget is built, at its initial values, so that the layout never depends on which
        states came first. Laying out again on every move would cost more than the drawing and make the axes
        jitter as labels change.
        """
        if not self._laid_out:
            self.figure.canvas.draw()
            if self.figure.get_layout_engine() is not None:
                self.figure.set_layout_engine("none")
            self._laid_out = True
            self._recorder = RecordingRenderer(self.figure, self._styles, self._markers, self._images)

    def background_rgba(self) -> np.ndarray:
        """The figure without its moving artists, as an RGBA array (for the current ``static_key``)."""
        self._lay_out()
        for artist in self.dynamic:
            artist.set_animated(True)  # left out of the full draw
        canvas = self.figure.canvas
        canvas.draw()
        return np.asarray(canvas.buffer_rgba()).copy()

    def record(self) -> list:
        """The moving artists' drawing commands as they stand now (see :mod:`nnmath.widgets.record`)."""
        self._lay_out()
        for ax in self.figure.axes:  # what a full draw does first: an equal-aspect box follows its limits
            ax.apply_aspect()
        return self._recorder.record(self.dynamic)

    def frame(self) -> dict:
        """What the page draws for the current state: the background's number, the commands and their tables."""
        t0 = time.perf_counter()
        self._lay_out()
        key = self.static_key
        if key not in self._backgrounds:
            index = max((i for i, _ in self._backgrounds.values()), default=-1) + 1
            self._backgrounds[key] = (index, png_data_uri(rgb_png(self.background_rgba())))
            while len(self._backgrounds) > self.max_backgrounds:
                self._backgrounds.popitem(last=False)
        self._backgrounds.move_to_end(key)
        t1 = time.perf_counter()
        self._images.clear()  # the live view sends this frame's images only
        commands = self.record()
        self._sequence += 1
        frame = {"seq": self._sequence, "background": self._backgrounds[key][0], "commands": commands,
                 "styles": list(self._styles), "markers": list(self._markers), "images": list(self._images),
                 "labels": self._label_texts(self.values()), "disabled": list(self.disabled(**self.values()))}
        self.last_timing = {"background": t1 - t0, "record": time.perf_counter() - t1}
        return frame

    def _label_texts(self, values: dict) -> dict:
        texts = {name: c.text(values[name]) for name, c in self.controls.items()}
        texts.update({name: str(text) for name, text in self.labels(**values).items() if text is not None})
        return texts

    def render(self) -> bytes:
        """The whole figure for the current state as PNG bytes (the picture the page draws, painted by Agg)."""
        self.background_rgba()  # a full draw without the moving artists ...
        for artist in self.dynamic:
            self.figure.draw_artist(artist)  # ... then the moving artists over it
        return rgb_png(self.figure.canvas.buffer_rgba())

    # -- the live view ---------------------------------------------------------------------------------------------
    def spec(self, with_values: bool = False) -> dict:
        """What the page builds the view from: the figure's size in pixels and the controls (their ranges and
        options; their values too if asked — the live view gets those separately, so that a move does not
        rebuild the controls under the reader's hand)."""
        self._lay_out()
        width, height = self.figure.canvas.get_width_height()
        controls = [{"name": name, **c.spec()} for name, c in self.controls.items()]
        if not with_values:
            for control in controls:
                del control["value"]
        return {"title": self.title, "width": width, "height": height, "controls": controls}

    @property
    def widget(self) -> FigureView:
        """The live view (an anywidget): controls above the figure, drawn in the page."""
        if self._view is None:
            self.update(**self.values())
            frame = self.frame()
            self._view = FigureView(spec=self.spec(), values=self.values())
            self._send(frame)
            self._view.observe(self._on_request, names="request")
        return self._view

    def _send(self, frame: dict, values: dict | None = None) -> None:
        """Send a frame to the live view, with its background if the view may not have it, and ``values``: the
        controls that moved other than by the reader's hand (never the one being dragged: it would jump back)."""
        view = self._view
        index = frame["background"]
        with view.hold_sync():
            if view.background.get("index") != index:
                uri = next(u for i, u in self._backgrounds.values() if i == index)
                view.background = {"index": index, "src": uri}
            view.spec = self.spec()
            if values:  # numbered, so that a move back to a value the page last heard of is sent too
                view.values = {**view.values, **values, "_seq": frame["seq"]}
            view.frame = frame

    def _on_request(self, change) -> None:
        """The reader moved a control in the page: check it, adjust the others, draw, answer with a frame."""
        request = change["new"]
        asked = request.get("values", {})
        try:
            # what the reader changed, decided before anything moves: the page sends every control, and a
            # control that adjust() moves (a range that follows another) still has its old value in the request
            changed = {name: v for name, v in asked.items() if name in self.controls and self.controls[name].value != v}
            for name, value in changed.items():
                self._move(name, value)
            self.update(**self.values())
            frame = self.frame()
        except Exception as error:  # the page waits for this answer, and shows the error
            self._sequence += 1
            frame = {**self._view.frame, "seq": self._sequence, "error": f"{type(error).__name__}: {error}"}
        frame["answer"] = request.get("seq")
        moved = {name: v for name, v in self.values().items() if name not in asked or asked[name] != v}
        self._send(frame, moved)

    def _repr_mimebundle_(self, **kwargs):
        text = f"{self.title} (a live widget: it moves in a running notebook)"
        if static_html_enabled():  # the book's build: the kernel-free version only, no live view to save
            from .static import static_html  # imported here: only the book's build needs it

            if self.static_mode is None:  # a picture and a note, never a control that moves nothing
                self.update(**self.values())
                picture = png_data_uri(self.render())
                return {"text/html": f'<div class="nnmath-figure-still"><img src="{picture}" alt="{self.title}">'
                                     f"<p><em>This figure is live in a notebook: run the chapter to move it."
                                     "</em></p></div>", "text/plain": text}
            return {"text/html": static_html(self), "text/plain": text}
        shown = self.widget._repr_mimebundle_(**kwargs) or {}
        bundle, metadata = shown if isinstance(shown, tuple) else (shown, {})
        return {**bundle, "text/plain": text}, metadata

    # -- the kernel-free version for the static book (see nnmath.widgets.static) -----------------------------------
    def static_controls(self):
        """For ``static_mode = "grid"``: the grid of control values, a list of ``StaticControl``."""
        raise NotImplementedError(f"{type(self).__name__} has static_mode {self.static_mode!r} but no grid")

    def static_values(self, chosen: dict) -> dict:
        """The keywords of :meth:`update` for the static controls' ``chosen`` values (the same by default)."""
        return dict(chosen)

    def static_labels(self, chosen: dict) -> dict:
        """Labels of a grid state, by control name (by default :meth:`labels` of its values)."""
        values = {**self.values(), **self.static_values(chosen)}
        return {name: str(text) for name, text in self.labels(**values).items() if text is not None}

    def static_page(self) -> dict:
        """For ``static_mode = "page"``: the widget's equation for the page (see :mod:`nnmath.widgets.static`)."""
        raise NotImplementedError(f"{type(self).__name__} has static_mode {self.static_mode!r} but no page version")
