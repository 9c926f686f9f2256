r"""Figures of a single neuron and of what it does to the plane (chapter 1).

A neuron with two inputs computes :math:`z = \mathbf w \cdot \mathbf x + b` and :math:`a = f(z)`. Its
decision line :math:`z = 0` is perpendicular to :math:`\mathbf w`, at signed distance
:math:`-b / \lVert \mathbf w \rVert` from the origin along :math:`\mathbf w`; every figure here draws that fact.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from ..activations import get_activation
from ..layers import neuron
from ._style import COLORS, DIVERGING, PALETTE, describe, static_figure

__all__ = ["decision_line", "contour_segments", "neuron_diagram", "decision_geometry", "bias_and_scale", "logic_gates"]

_SYMBOLS = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{ReLU}", "identity": r"\mathrm{id}",
            "leaky_relu": r"\mathrm{LReLU}", "elu": r"\mathrm{ELU}"}


def decision_line(w, b):
    r"""The line :math:`\mathbf w \cdot \mathbf x + b = 0` of a two-input neuron, as a point and a direction.

    .. math::
        \mathbf p = -\frac{b}{\lVert \mathbf w \rVert^2}\, \mathbf w, \qquad
        \mathbf d = \frac{(-w_2,\ w_1)}{\lVert \mathbf w \rVert}

    :math:`\mathbf p` is the point of the line nearest the origin (at distance :math:`|b| / \lVert \mathbf w \rVert`)
    and :math:`\mathbf d` a unit vector along the line (perpendicular to :math:`\mathbf w`).

    Parameters
    ----------
    w : array_like, shape (2,)
    b : float

    Returns
    -------
    (p, d) : two ndarrays of shape (2,), or ``None`` when :math:`\mathbf w = \mathbf 0` (there is no line).
    """
    w = np.asarray(w, dtype=float)
    if w.shape != (2,):
        raise ValueError(f"w must have shape (2,) for a line in the plane; got {w.shape}")
    norm2 = float(w @ w)
    if norm2 < 1e-24:
        return None
    p = -float(b) * w / norm2
    d = np.array([-w[1], w[0]]) / np.sqrt(norm2)
    return p, d


def contour_segments(F, t, level: float = 0.0) -> list:
    r"""The curve :math:`F = \text{level}` of values on a square grid, as straight segments (marching squares).

    ``F[i, j]`` is the value at :math:`(x_1, x_2) = (t_j, t_i)` (row ``i`` at :math:`x_2 = t_i`, as
    ``np.meshgrid(t, t)`` makes it). A point is *above* when :math:`F > \text{level}`. In each cell the curve
    crosses the edges whose two corners differ, at the point found by linear interpolation along the edge; the
    crossed edges are paired in the order bottom, right, top, left, and in a saddle cell (four crossings) the
    mean of the four corners decides which two corners are joined. This is a decision boundary drawn by a
    widget both live and in the static page (``figure.js`` has the same function, ``contour``), so the two
    draw the same segments; it is matplotlib's ``contour`` without joining the pieces.

    Parameters
    ----------
    F : array_like, shape (m, m)
    t : array_like, shape (m,)
        The grid's coordinates along each axis, increasing.
    level : float

    Returns
    -------
    list of ``[x0, y0, x1, y1]``, cell by cell (rows of cells from the bottom, each from the left), a saddle
    cell's two segments one after the other.
    """
    F = np.asarray(F, dtype=float)
    t = np.asarray(t, dtype=float)
    if F.ndim != 2 or F.shape != (t.size, t.size):
        raise ValueError(f"F must be a square grid of shape (len(t), len(t)); got F: {F.shape}, t: {t.shape}")
    v00, v01, v10, v11 = F[:-1, :-1], F[:-1, 1:], F[1:, :-1], F[1:, 1:]  # bottom-left, bottom-right, top-left, ...
    a00, a01, a10, a11 = v00 > level, v01 > level, v10 > level, v11 > level
    x0, x1 = t[None, :-1], t[None, 1:]
    y0, y1 = t[:-1, None], t[1:, None]
    with np.errstate(divide="ignore", invalid="ignore"):  # edges that are not crossed are never used
        # the crossing point on each edge: bottom, right, top, left (x, y), each of shape (m - 1, m - 1)
        sb, sr = (level - v00) / (v01 - v00), (level - v01) / (v11 - v01)
        st, sl = (level - v10) / (v11 - v10), (level - v00) / (v10 - v00)
        edges_x = np.stack(np.broadcast_arrays(x0 + sb * (x1 - x0), x1, x0 + st * (x1 - x0), x0))
        edges_y = np.stack(np.broadcast_arrays(y0, y0 + sr * (y1 - y0), y1, y0 + sl * (y1 - y0)))
    crossed = np.stack([a00 != a01, a01 != a11, a10 != a11, a00 != a10])
    count = crossed.sum(axis=0)
    # two crossings: the first and the last crossed edge; a saddle (four): the mean decides the pairing
    first = np.argmax(crossed, axis=0)
    last = 3 - np.argmax(crossed[::-1], axis=0)
    joined = ((v00 + v01 + v10 + v11) / 4 > level) == a00  # the mean is on v00's side: v00 and v11 are joined
    saddle = count == 4
    # a saddle with v00 and v11 joined cuts off v01 (bottom, right) and v10 (top, left); else v00 (bottom,
    # left) and v11 (right, top)
    first = np.where(saddle, 0, first)
    last = np.where(saddle, np.where(joined, 1, 3), last)
    second_from, second_to = np.where(joined, 2, 1), np.where(joined, 3, 2)
    rows, cols = np.nonzero(count >= 2)  # cell by cell, rows first
    segments = []
    pieces = [(first, last), (second_from, second_to)]
    for r, c in zip(rows.tolist(), cols.tolist()):
        for k, (start, end) in enumerate(pieces):
            if k == 1 and not saddle[r, c]:
                break
            e0, e1 = start[r, c], end[r, c]
            segments.append([float(edges_x[e0, r, c]), float(edges_y[e0, r, c]),
                             float(edges_x[e1, r, c]), float(edges_y[e1, r, c])])
    return segments


def _segment(w, b, lim):
    """Two far-apart points of the decision line, enough to cross a square of half-width ``lim``."""
    p, d = decision_line(w, b)
    s = 4 * lim
    return np.array([p - s * d, p + s * d])


def _plane(lim, n=201):
    t = np.linspace(-lim, lim, n)
    x1, x2 = np.meshgrid(t, t)
    return x1, x2, np.column_stack([x1.ravel(), x2.ravel()])


def _fmt_vec(v) -> str:
    return "(" + ", ".join(f"{x:g}" for x in v) + ")"


# --- one neuron as a diagram ---------------------------------------------------------------------

def neuron_diagram(x, w, b, activation: str = "sigmoid", *, title: str | None = None):
    r"""A neuron drawn with its numbers: inputs :math:`x_i`, weights :math:`w_i` on the edges, the sum
    :math:`z = \sum_i w_i x_i + b` and the output :math:`a = f(z)`.

    Parameters
    ----------
    x, w : array_like, shape (d,) with 1 <= d <= 6
    b : float
    activation : str, default "sigmoid"

    Returns
    -------
    matplotlib.figure.Figure
    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    if x.ndim != 1 or not 1 <= x.size <= 6:
        raise ValueError(f"neuron_diagram draws 1 to 6 inputs; got x of shape {x.shape}")
    z = neuron(x, w, b, "identity")
    a = neuron(x, w, b, activation)
    d = x.size
    fig, ax = static_figure(width=7.2, height=1.2 + 0.55 * max(d, 3))
    ys = np.linspace((d - 1) / 2, -(d - 1) / 2, d) * 1.1
    sx, fx, ox = 3.4, 5.0, 6.6  # x positions of the sum, the activation and the output
    r = 0.32
    for i, (xi, wi, y) in enumerate(zip(x, w, ys), start=1):
        ax.add_patch(Circle((0, y), r, facecolor=PALETTE["sky"], edgecolor="black", zorder=3))
        ax.text(0, y, f"$x_{i}$", ha="center", va="center", fontsize=10, zorder=4)
        ax.text(-r - 0.12, y, f"{xi:g}", ha="right", va="center", fontsize=10)
        ax.add_patch(FancyArrowPatch((r, y), (sx - 0.45, 0), arrowstyle="-|>", mutation_scale=10,
                                     color=PALETTE["grey"], lw=1.2, zorder=1,
                                     shrinkA=0, shrinkB=0))
        t = 0.42
        ax.text(r + t * (sx - 0.45 - r), y + t * (0 - y), f"$w_{i} = {wi:g}$", ha="center", va="center",
                fontsize=9, zorder=4, bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
    ax.add_patch(Circle((sx, 0), 0.45, facecolor=PALETTE["orange"], edgecolor="black", zorder=3))
    ax.text(sx, 0, r"$\Sigma$", ha="center", va="center", fontsize=14, zorder=4)
    low = min(ys.min(), -1.0)
    ax.add_patch(FancyArrowPatch((sx, low - 0.25), (sx, -0.45), arrowstyle="-|>", mutation_scale=10,
                                 color=PALETTE["grey"], lw=1.2, shrinkA=0, shrinkB=0))
    ax.text(sx, low - 0.3, f"$b = {float(b):g}$", ha="center", va="top", fontsize=9)
    ax.text(sx, 0.6, f"$z = {z:.4g}$", ha="center", va="bottom", fontsize=10)
    ax.add_patch(FancyArrowPatch((sx + 0.45, 0), (fx - 0.4, 0), arrowstyle="-|>", mutation_scale=10,
                                 color="black", lw=1.2, shrinkA=0, shrinkB=0))
    ax.add_patch(FancyBboxPatch((fx - 0.4, -0.3), 0.8, 0.6, boxstyle="round,pad=0.05",
                                facecolor=PALETTE["green"], edgecolor="black", zorder=3))
    symbol = _SYMBOLS.get(activation, activation)
    ax.text(fx, 0, f"${symbol}$" if symbol.startswith("\\") else symbol, ha="center", va="center",
            fontsize=10 if len(activation) > 4 else 12, color="white", zorder=4)
    ax.add_patch(FancyArrowPatch((fx + 0.45, 0), (ox, 0), arrowstyle="-|>", mutation_scale=10,
                                 color="black", lw=1.2, shrinkA=0, shrinkB=0))
    ax.text(ox + 0.1, 0, f"$a = {a:.4g}$", ha="left", va="center", fontsize=11)
    for xpos, caption in ((0, "inputs"), (sx, "weighted sum\nplus bias"), (fx, "activation"), (ox + 0.5, "output")):
        ax.text(xpos, low - 0.95, caption, ha="center", va="top", fontsize=8, color=PALETTE["grey"])
    ax.set(xlim=(-1.2, ox + 1.4), ylim=(low - 1.6, max(ys.max(), 1.0) + 0.6), aspect="equal")
    ax.axis("off")
    terms = " + ".join(f"({wi:g})({xi:g})" for wi, xi in zip(w, x))
    ax.set_title(title or f"z = {terms} + ({float(b):g}) = {z:.4g},   a = {activation}(z) = {a:.4g}",
                 fontsize=10)
    inputs = ", ".join(f"x{i} = {xi:g} with weight w{i} = {wi:g}" for i, (xi, wi) in enumerate(zip(x, w), start=1))
    return describe(fig, f"A neuron drawn as a diagram: {d} input{'s' if d > 1 else ''} ({inputs}) feed a sum "
                         f"node that adds the bias b = {float(b):g}, giving z = {z:.4g}; the {activation} "
                         f"activation turns it into the output a = {a:.4g}.")


# --- the geometry of one neuron -----------------------------------------------------------------

def decision_geometry(w, b, *, lim: float = 3.0, levels=(-3, -2, -1, 1, 2, 3)):
    r"""The level lines of :math:`z = \mathbf w \cdot \mathbf x + b` over the plane, with the decision line,
    the normal vector :math:`\mathbf w` and the distance :math:`|b| / \lVert \mathbf w \rVert` from the origin.

    Returns
    -------
    matplotlib.figure.Figure
    """
    w = np.asarray(w, dtype=float)
    if decision_line(w, b) is None:
        raise ValueError("w = 0 has no decision line: z = b everywhere")
    p, _ = decision_line(w, b)
    norm = float(np.linalg.norm(w))
    x1, x2, pts = _plane(lim)
    z = neuron(pts, w, b, "identity").reshape(x1.shape)
    fig, ax = static_figure(width=5.6, height=5.0)
    zmax = float(np.abs(z).max())
    ax.imshow(z, origin="lower", extent=(-lim, lim, -lim, lim), cmap=DIVERGING, vmin=-zmax, vmax=zmax,
              alpha=0.45, interpolation="bilinear")
    cs = ax.contour(x1, x2, z, levels=list(levels), colors=PALETTE["grey"], linewidths=0.8)
    ax.clabel(cs, fmt=lambda v: f"z = {v:g}", fontsize=8)
    seg = _segment(w, b, lim)
    ax.plot(seg[:, 0], seg[:, 1], color="black", lw=2.2, label=r"decision line $z = 0$")
    ax.annotate("", xy=p + w, xytext=p,
                arrowprops={"arrowstyle": "-|>", "lw": 2.2, "color": PALETTE["vermillion"]})
    side = np.array([w[1], -w[0]]) / norm * 0.25  # put the label beside the arrow's middle
    ax.text(*(p + 0.5 * w + side), r"$\mathbf{w}$", color=PALETTE["vermillion"], fontsize=14,
            ha="center", va="center")
    ax.plot([0, p[0]], [0, p[1]], ":", color=PALETTE["blue"], lw=2,
            label=rf"distance $|b|/\Vert\mathbf{{w}}\Vert = {abs(b) / norm:.3g}$")
    ax.plot(*p, "o", color=PALETTE["blue"], ms=5)
    ax.plot(0, 0, "+", color="black", ms=10, mew=1.5)
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xlabel="$x_1$", ylabel="$x_2$")
    ax.set_title(f"z = w·x + b with w = {_fmt_vec(w)}, b = {float(b):g}\n"
                 f"level lines one unit of z apart are 1/‖w‖ = {1 / norm:.3g} apart", fontsize=10)
    ax.legend(loc="lower left", fontsize=8, frameon=True, framealpha=0.9)
    return describe(fig, f"The plane of inputs (x1, x2) shaded by z = w·x + b for w = {_fmt_vec(w)} and "
                         f"b = {float(b):g}, with level lines of z. The decision line z = 0 is a straight line; "
                         f"the arrow w stands at right angles to it, and a dotted segment of length "
                         f"|b|/‖w‖ = {abs(b) / norm:.3g} joins the origin to the line.")


def bias_and_scale(w, biases=(-2.0, 0.0, 2.0), scales=(0.5, 1.0, 2.0, 4.0), *, activation: str = "sigmoid",
                   lim: float = 3.0):
    r"""What the bias and the length of :math:`\mathbf w` do, side by side.

    Left: for a fixed :math:`\mathbf w`, the decision line for several biases (parallel lines; raising
    :math:`b` moves the line against :math:`\mathbf w`). Right: the output across the line for
    :math:`(c\mathbf w, cb)` with several :math:`c > 0`: the same line, but
    :math:`a = f(c \lVert \mathbf w \rVert s)` with :math:`s` the signed distance to the line, so a longer
    weight vector makes a sharper transition.

    Returns
    -------
    matplotlib.figure.Figure
    """
    w = np.asarray(w, dtype=float)
    if decision_line(w, 0.0) is None:
        raise ValueError("w = 0 has no decision line")
    norm = float(np.linalg.norm(w))
    f = get_activation(activation).f
    fig, (ax_l, ax_r) = static_figure(2, width=9.6, height=4.2)
    for b, color in zip(biases, COLORS):
        seg = _segment(w, b, lim)
        ax_l.plot(seg[:, 0], seg[:, 1], color=color, lw=2, label=f"b = {b:g}")
        p, _ = decision_line(w, b)
        ax_l.plot(*p, "o", color=color, ms=5)
    ax_l.annotate("", xy=tuple(w), xytext=(0, 0),
                  arrowprops={"arrowstyle": "-|>", "lw": 2.2, "color": "black"})
    ax_l.text(*(1.08 * w), r"$\mathbf{w}$", fontsize=13, ha="left", va="bottom")
    ax_l.plot(0, 0, "+", color="black", ms=10, mew=1.5)
    ax_l.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xlabel="$x_1$", ylabel="$x_2$",
             title=f"w = {_fmt_vec(w)}: changing b slides the line along w")
    ax_l.legend(loc="lower left", fontsize=8, frameon=True, framealpha=0.9)
    s = np.linspace(-lim, lim, 400)
    for c, color in zip(scales, COLORS):
        ax_r.plot(s, f(c * norm * s), color=color, lw=2, label=f"(w, b) × {c:g}:  ‖w‖ = {c * norm:.3g}")
    ax_r.axvline(0, color="black", lw=0.8, ls="--")
    ax_r.set(xlabel=r"signed distance from the line, $s = z / \Vert\mathbf{w}\Vert$",
             ylabel=f"a = {activation}(z)", title="scaling (w, b) keeps the line, sharpens the step")
    ax_r.legend(loc="upper left", fontsize=8)
    return describe(fig, f"Left: decision lines of a neuron with w = {_fmt_vec(w)} for the biases "
                         f"{', '.join(f'{b:g}' for b in biases)}: parallel lines, all at right angles to w, moved "
                         f"along w as b changes. Right: the {activation} output against the signed distance from "
                         f"the line when w and b are multiplied by {', '.join(f'{c:g}' for c in scales)}: the same "
                         f"line, and a steeper step the longer w is.")


# --- what one neuron can and cannot separate ----------------------------------------------------

_GATES = {
    "AND": lambda x1, x2: x1 * x2,
    "OR": lambda x1, x2: np.maximum(x1, x2),
    "NAND": lambda x1, x2: 1 - x1 * x2,
    "NOR": lambda x1, x2: 1 - np.maximum(x1, x2),
    "XOR": lambda x1, x2: np.abs(x1 - x2),
}


def logic_gates(neurons, *, activation: str = "sigmoid"):
    r"""Boolean functions of two inputs as four points of the plane, with a neuron that computes each one.

    Parameters
    ----------
    neurons : dict
        Gate name (``"AND"``, ``"OR"``, ``"NAND"``, ``"NOR"``, ``"XOR"``) → ``(w, b)``, or → ``None`` to draw
        the points alone (for XOR no single neuron exists).
    activation : str, default "sigmoid"

    Returns
    -------
    matplotlib.figure.Figure
    """
    unknown = set(neurons) - set(_GATES)
    if unknown:
        raise ValueError(f"unknown gate(s) {sorted(unknown)}; choose from {sorted(_GATES)}")
    corners = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=float)
    lim = (-0.5, 1.5)
    t = np.linspace(*lim, 161)
    x1, x2 = np.meshgrid(t, t)
    grid = np.column_stack([x1.ravel(), x2.ravel()])
    fig, axes = static_figure(len(neurons), width=3.2 * len(neurons), height=3.6)
    axes = np.atleast_1d(axes)
    for ax, (name, params) in zip(axes, neurons.items()):
        target = _GATES[name](corners[:, 0], corners[:, 1])
        if params is not None:
            w, b = params
            a = neuron(grid, w, b, activation).reshape(x1.shape)
            ax.imshow(a, origin="lower", extent=(*lim, *lim), cmap=DIVERGING, vmin=0, vmax=1,
                      interpolation="bilinear", alpha=0.6)
            seg = _segment(np.asarray(w, dtype=float), b, 2.0)
            ax.plot(seg[:, 0], seg[:, 1], "--", color="black", lw=1.5)
            ax.set_title(f"{name}:  w = {_fmt_vec(w)}, b = {float(b):g}", fontsize=10)
        else:
            ax.set_title(f"{name}: no line separates ● from ○", fontsize=10)
        for (c1, c2), y in zip(corners, target):
            ax.plot(c1, c2, "o", ms=13, mec="black", mew=1.5, color="black" if y else "white")
            ax.annotate(f"{int(y)}", (c1, c2), xytext=(9, 9), textcoords="offset points", fontsize=10,
                        fontweight="bold")
        ax.set(xlim=lim, ylim=lim, aspect="equal", xlabel="$x_1$", ylabel="$x_2$", xticks=[0, 1], yticks=[0, 1])
    panels = [f"{name}, separated by a single neuron's line" if params is not None
              else f"{name}, whose 1s sit on one diagonal and 0s on the other, so that no line separates them"
              for name, params in neurons.items()]
    return describe(fig, "The four inputs (0, 0), (1, 0), (0, 1), (1, 1) of a logic gate drawn as points, filled "
                         "black where the gate outputs 1 and white where it outputs 0, for " + "; ".join(panels) + ".")
