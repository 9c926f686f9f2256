r"""The book's plotting style: one colour-blind-safe palette, and figure factories for static and widget figures.

Static figures are made with pyplot, so that a notebook cell such as
``fig = plots.architecture([2, 3, 1])`` shows the figure once, below the cell. Widget figures are not:
they are plain :class:`matplotlib.figure.Figure` objects that :mod:`nnmath.widgets` renders itself.

Every static figure says what it shows, for a reader who cannot see it: the function that draws it knows, and
passes a sentence to :func:`describe`. In a notebook the sentence travels with the picture twice: as the
output's ``alt`` metadata (``{"image/png": {"alt": ...}}``) and inside the PNG itself, as its ``Description``
text chunk, which the book's build (``_ext/figure_alt.py``) turns into the ``alt`` of the page's image.
"""

from __future__ import annotations

import math

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

__all__ = ["PALETTE", "COLORS", "SEQUENTIAL", "DIVERGING", "style", "static_figure", "widget_figure", "arrow_polyline",
           "describe", "description", "ALT_KEY"]

#: Okabe & Ito's palette, distinguishable with every common colour-vision deficiency.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#999999",
}
#: The order in which series take colours.
COLORS = [PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "sky", "purple", "black")]
#: Colour maps: perceptually uniform and colour-blind safe.
SEQUENTIAL = "cividis"
DIVERGING = "PuOr_r"

_RC = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.prop_cycle": matplotlib.cycler(color=COLORS),
    "legend.frameon": False,
    "image.cmap": SEQUENTIAL,
}


def style() -> None:
    """Apply the book's plotting style to matplotlib (the chapters call it once, at the top)."""
    matplotlib.rcParams.update(_RC)


def static_figure(ncols: int = 1, nrows: int = 1, *, width: float = 6.4, height: float = 3.6, **kw):
    """A pyplot figure and its axes in the book's style (shown once, below the cell, by the notebook)."""
    with matplotlib.rc_context(_RC):
        fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), layout="constrained", **kw)
        # The first pyplot call loads the notebook's inline backend, which turns interactive mode on (that
        # is what shows figures below cells); leaving rc_context would restore the old "off": keep "on".
        interactive = matplotlib.is_interactive()
    matplotlib.interactive(interactive)
    return fig, axes


#: The PNG text chunk that carries a static figure's description (a keyword the PNG specification defines).
ALT_KEY = "Description"


def describe(fig, text: str):
    """Give a static figure its description (alt text): one or two sentences saying what the figure shows.

    Write what a reader should see ("the sigmoid and its derivative, which peaks at 1/4 at z = 0"), not the
    figure's name. Returns ``fig``, so that a plotting function can end with ``return describe(fig, ...)``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    text : str
        Not empty; runs of white space become single spaces.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig``, carrying the description (read it back with :func:`description`).
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"describe needs a matplotlib Figure, got {type(fig).__name__}")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("a figure's description must be a non-empty string")
    fig._nnmath_description = " ".join(text.split())
    _show_descriptions()
    return fig


def description(fig) -> str | None:
    """The description :func:`describe` gave ``fig``, or None."""
    return getattr(fig, "_nnmath_description", None)


def _show_descriptions() -> None:
    """In an IPython kernel, make the PNG of a described figure carry its description.

    The inline backend turns a figure into PNG with the formatter it registers for :class:`Figure`; this wraps
    that formatter once (again if the backend registers a new one, e.g. after ``%config InlineBackend``) so
    that a described figure's PNG gets the ``Description`` chunk and its output the ``alt`` metadata. Pixels
    are unchanged; figures without a description are printed exactly as before. Outside IPython: nothing.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is installed with Jupyter
        return
    shell = get_ipython()
    if shell is None:
        return
    formatter = shell.display_formatter.formatters["image/png"]
    try:
        current = formatter.lookup_by_type(Figure)
    except KeyError:  # no backend has registered a PNG printer for figures
        return
    if getattr(current, "_nnmath_wrapped", False):
        return

    def png(fig, _print=current):
        text = description(fig)
        if text is None:
            return _print(fig)
        result = _print(fig, metadata={ALT_KEY: text})
        data, metadata = result if isinstance(result, tuple) else (result, {})
        return data, {**metadata, "alt": text}

    png._nnmath_wrapped = True
    formatter.for_type(Figure, png)


def widget_figure(ncols: int = 1, nrows: int = 1, *, width: float = 7.2, height: float = 3.4, **kw):
    """A figure outside pyplot for a widget to redraw in place: never auto-shown, never piles up."""
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(nrows, ncols, **kw)
    return fig, axes


def arrow_polyline(x: float, y: float, head: float = 0.25) -> tuple:
    r"""An arrow from the origin to :math:`(x, y)` as one polyline: the shaft, then an open head at the tip.

    The head's two strokes leave the tip backwards at :math:`\pm\arctan\frac12` (about 27°) from the shaft,
    ``head`` long along it (in data units, at most half the arrow), so that a widget can move the arrow by setting
    a line's data (``figure.js`` draws the same polyline, ``arrowPolyline``). A zero arrow is no polyline at all.

    Returns
    -------
    (xs, ys) : two lists of 5 floats (empty for the zero vector)
    """
    length = math.hypot(x, y)
    if not length > 0:
        return [], []
    ux, uy = x / length, y / length
    h = min(head, 0.5 * length)
    left = (x - h * (ux - 0.5 * uy), y - h * (uy + 0.5 * ux))
    right = (x - h * (ux + 0.5 * uy), y - h * (uy - 0.5 * ux))
    return [0.0, x, left[0], x, right[0]], [0.0, y, left[1], y, right[1]]
