r"""Figures for the book: one style, one colour-blind-safe palette, and the drawings the chapters share.

Static figures are made with pyplot, so that a notebook cell such as
``fig = plots.architecture([2, 3, 1])`` shows the figure once, below the cell. Widget figures are not:
they are plain :class:`matplotlib.figure.Figure` objects that :mod:`nnmath.widgets` renders itself.
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from .layers import count_parameters, layer_shapes

__all__ = [
    "PALETTE", "COLORS", "SEQUENTIAL", "DIVERGING", "style", "static_figure", "widget_figure",
    "architecture", "draw_architecture", "draw_grid", "grid_lines",
]

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
    return fig, axes


def widget_figure(ncols: int = 1, nrows: int = 1, *, width: float = 7.2, height: float = 3.4, **kw):
    """A figure outside pyplot for a widget to redraw in place: never auto-shown, never piles up."""
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(nrows, ncols, **kw)
    return fig, axes


# --- architecture diagrams (chapter 1) ---------------------------------------------------------

def _layer_names(n_layers: int) -> list[str]:
    if n_layers == 2:
        return ["input", "output"]
    return ["input"] + [f"hidden {i}" for i in range(1, n_layers - 1)] + ["output"]


def draw_architecture(ax, sizes, *, max_drawn: int = 8, activations=None) -> None:
    r"""Draw a dense network as columns of neurons joined by every connection.

    Layers wider than ``max_drawn`` are drawn with their first and last neurons and a gap marked
    by dots; the label under each column gives the true width. ``activations``, if given, is one
    name per weight layer and is written under the columns it applies to.
    """
    shapes = layer_shapes(sizes)  # validates sizes
    sizes = [shapes[0][0][0]] + [w[1] for w, _ in shapes]
    names = _layer_names(len(sizes))
    positions = []
    for x, d in enumerate(sizes):
        if d <= max_drawn:
            ys = np.linspace(-(d - 1) / 2, (d - 1) / 2, d) if d > 1 else np.zeros(1)
        else:
            half = max_drawn // 2
            top = np.arange(half) - (max_drawn) / 2
            ys = np.concatenate([top, -top[::-1]])
        positions.append((x, np.sort(ys)[::-1]))
    for (x0, ys0), (x1, ys1) in zip(positions[:-1], positions[1:]):
        for y0 in ys0:
            for y1 in ys1:
                ax.plot([x0, x1], [y0, y1], color=PALETTE["grey"], lw=0.6, alpha=0.6, zorder=1)
    if activations is not None and len(activations) != len(sizes) - 1:
        raise ValueError(f"need one activation per weight layer ({len(sizes) - 1}); got {len(activations)}")
    acts = [None] + list(activations) if activations is not None else [None] * len(sizes)
    layer_colors = [PALETTE["sky"]] + [PALETTE["orange"]] * (len(sizes) - 2) + [PALETTE["green"]]
    low = min(ys.min() for _, ys in positions)
    for (x, ys), d, color, name, act in zip(positions, sizes, layer_colors, names, acts):
        ax.scatter(np.full(len(ys), x), ys, s=260, color=color, edgecolor="black", lw=1, zorder=2)
        if d > max_drawn:
            ax.text(x, 0, "⋮", ha="center", va="center", fontsize=16, zorder=3)
        label = f"{name}\n{d} neuron{'s' if d != 1 else ''}" + (f"\nf = {act}" if act else "")
        ax.text(x, low - 0.7, label, ha="center", va="top", fontsize=9)
    ax.set_xlim(-0.6, len(sizes) - 0.4)
    ax.margins(y=0.25)
    ax.axis("off")


def architecture(sizes, *, activations=None, title: str | None = None):
    r"""A figure of a dense network with its parameter count in the title.

    Parameters
    ----------
    sizes : sequence of int
        Neurons per layer, input first, e.g. ``[2, 3, 1]``.
    activations : sequence of str, optional
        One activation name per weight layer, written above the columns.
    title : str, optional
        Defaults to the layer list and :math:`P = \sum_\ell (d_{\ell-1} + 1)\, d_\ell`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    n_params = count_parameters(sizes)
    fig, ax = static_figure(width=1.6 + 1.5 * len(sizes), height=3.6)
    draw_architecture(ax, sizes, activations=activations)
    layers = " → ".join(str(d) for d in sizes)
    ax.set_title(title or f"{layers}:  {n_params:,} parameters")
    return fig


# --- grids and linear maps (chapter 2) ---------------------------------------------------------

def grid_lines(lim: float = 2.0, n_lines: int = 9, n_points: int = 101):
    """Points along the lines of a square grid, as a list of (n_points, 2) arrays (rows are points)."""
    ticks = np.linspace(-lim, lim, n_lines)
    t = np.linspace(-lim, lim, n_points)
    vertical = [np.column_stack([np.full_like(t, c), t]) for c in ticks]
    horizontal = [np.column_stack([t, np.full_like(t, c)]) for c in ticks]
    return vertical + horizontal


def draw_grid(ax, lines, *, color=None, lw: float = 0.8, **kw):
    """Draw grid lines (as made by :func:`grid_lines`, possibly transformed); returns the Line2D list."""
    color = color or PALETTE["grey"]
    return [ax.plot(p[:, 0], p[:, 1], color=color, lw=lw, **kw)[0] for p in lines]
