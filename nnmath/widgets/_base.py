"""The plumbing every widget of the book shares.

A widget is a figure that redraws in place when a control moves. The figure lives outside pyplot
(so nothing piles up or shows twice); after each change its artists are updated and the canvas is
rendered to PNG into an :class:`ipywidgets.Image`. Because the picture is the Image's value, the
state saved with the notebook shows the figure in the static book too.

Subclasses set up their figure and controls in ``__init__`` and implement :meth:`Playground.update`,
which only touches artists: tests call it across every control's range without a kernel.
"""

from __future__ import annotations

import os

import ipywidgets as w
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from ._png import rgb_png

__all__ = ["Playground", "slider", "sweep_values", "static_html_enabled", "STATIC_HTML_VARIABLE"]


def slider(description: str, value: float, lo: float, hi: float, step: float, **kw) -> w.FloatSlider:
    """A float slider that updates continuously and shows its value with sensible precision."""
    decimals = max(0, int(np.ceil(-np.log10(step)))) if step < 1 else 0
    return w.FloatSlider(
        value=value, min=lo, max=hi, step=step, description=description, continuous_update=True,
        readout_format=f".{decimals}f", style={"description_width": "initial"},
        layout=w.Layout(width="300px"), **kw,
    )


class Playground:
    """A matplotlib figure plus controls; moving a control calls :meth:`update` and redraws.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    controls : dict[str, ipywidgets.ValueWidget]
        Name → control; each name is a keyword of :meth:`update`.
    image : ipywidgets.Image
        The rendered figure.
    """

    dpi = 100

    def __init__(self, figure, controls: dict):
        self.figure = figure
        FigureCanvasAgg(figure)
        self.controls = dict(controls)
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%", height="auto"))
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self._widget = None
        self._quiet = False

    # -- to implement ------------------------------------------------------------------------
    def update(self, **values) -> None:  # pragma: no cover - abstract
        """Redraw the figure's artists for these control values (no rendering)."""
        raise NotImplementedError

    # -- shared ------------------------------------------------------------------------------
    def values(self) -> dict:
        """The current value of every control, by name."""
        return {name: c.value for name, c in self.controls.items()}

    def render(self) -> bytes:
        """The figure as PNG bytes.

        The layout is worked out on the first render and then frozen: laying out again on every
        slider move would cost more than the drawing and make the axes jitter as labels change.
        """
        canvas = self.figure.canvas
        canvas.draw()
        if self.figure.get_layout_engine() is not None:
            self.figure.set_layout_engine("none")
        return rgb_png(canvas.buffer_rgba())

    def refresh(self) -> None:
        """Update the artists from the controls and put the new picture into the Image."""
        self.update(**self.values())
        self.image.value = self.render()

    def set(self, **values) -> None:
        """Move controls programmatically (as a reader would); the figure follows."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; this widget has {sorted(self.controls)}")
        self._quiet = True  # one redraw for the whole move, not one per control
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._quiet = False
        self.refresh()

    def _on_change(self, _change) -> None:
        if not self._quiet:
            self.refresh()

    def control_box(self):
        """The controls laid out above the figure (subclasses may override)."""
        return w.HBox(list(self.controls.values()), layout=w.Layout(flex_flow="row wrap"))

    @property
    def widget(self):
        """The whole interactive view: controls above the figure."""
        if self._widget is None:
            self.refresh()
            self._widget = w.VBox([self.control_box(), self.image])
        return self._widget

    # -- the kernel-free version for the static book (see nnmath.widgets.static) ---------------------
    def static_controls(self):
        """The grid of control values for the static HTML version, or None (the default) for none.

        Widgets that return a list of :class:`~nnmath.widgets.static.StaticControl` also get a ``text/html``
        representation that moves with no kernel; the live ipywidgets view is offered beside it.
        """
        return None

    def static_values(self, chosen: dict) -> dict:
        """The keywords of :meth:`update` for the static controls' ``chosen`` values (the same by default)."""
        return dict(chosen)

    def static_labels(self, chosen: dict) -> dict:
        """Labels that depend on the whole state, by control name (none by default)."""
        return {}

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if self.static_controls() is not None and static_html_enabled():
            from .static import static_html  # imported here: static.py reads its script file on import

            bundle = dict(bundle)
            bundle["text/html"] = static_html(self)
        return bundle


#: The environment variable that turns on the kernel-free ``text/html`` version of the widgets.
STATIC_HTML_VARIABLE = "NNMATH_STATIC_HTML"


def static_html_enabled() -> bool:
    """Whether widgets add their kernel-free ``text/html`` version: only when ``NNMATH_STATIC_HTML=1``.

    The book's build turns it on (``_ext/nnmath_book.py`` sets the variable before any notebook runs), so the
    published pages carry the precomputed states. Everywhere else — a notebook in JupyterLab, nbval, the
    notebooks as committed — it stays off: the live view needs no precomputed states, and the states' background
    pictures are rendered pixels, whose anti-aliased edges differ from one CPU to another (the last bits of
    floating point move an edge pixel), so they must never be stored where nbval compares text.
    """
    return os.environ.get(STATIC_HTML_VARIABLE, "") == "1"


def sweep_values(control, n: int = 7) -> list:
    """Values spanning a control's whole range: both ends and ``n`` points between (for tests)."""
    if isinstance(control, (w.FloatSlider, w.IntSlider, w.FloatLogSlider)):
        if isinstance(control, w.FloatLogSlider):
            grid = control.base ** np.linspace(control.min, control.max, n)
        else:
            grid = np.linspace(control.min, control.max, n)
        if isinstance(control, w.IntSlider):
            grid = np.unique(np.round(grid).astype(int))
        return [type(control.value)(v) for v in grid]
    if isinstance(control, (w.Dropdown, w.ToggleButtons, w.RadioButtons, w.Select)):
        return [value for _, value in control.options] if control.options and isinstance(
            control.options[0], tuple) else list(control.options)
    if isinstance(control, (w.Checkbox, w.ToggleButton)):
        return [False, True]
    raise TypeError(f"no sweep defined for {type(control).__name__}")
