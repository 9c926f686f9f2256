r"""Figures of chapter 2 (linear algebra): data as vectors, the matrix product, broadcasting, linear maps, speed.

Every function that returns a figure makes it with :func:`~nnmath.plots.static_figure` (pyplot), so a notebook
cell ``fig = plots.linear.image_as_vector(img)`` shows it once. The ``draw_*`` helpers and
:class:`MatmulDiagram` draw into an axes you pass, so the widgets of :mod:`nnmath.widgets` reuse them.
"""

from __future__ import annotations

import timeit

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Polygon, Rectangle

from ._style import DIVERGING, PALETTE, SEQUENTIAL, describe, static_figure

__all__ = [
    "grid_lines", "draw_grid", "det2", "draw_linear_map", "linear_map_gallery",
    "image_as_vector", "batch_matrix", "template_scores",
    "MatmulDiagram", "matmul_diagram", "broadcast_diagram",
    "best_time", "ratio_bucket", "timing_bars", "stack_outputs",
]


# -- grids and linear maps of the plane ------------------------------------------------------------------------

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


UNIT_SQUARE = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=float)


def det2(W, tol: float = 1e-9) -> float:
    r"""Determinant of a 2×2 matrix, :math:`w_{11} w_{22} - w_{12} w_{21}`, with round-off below ``tol`` set to 0."""
    W = np.asarray(W, dtype=float)
    det = float(W[0, 0] * W[1, 1] - W[0, 1] * W[1, 0])
    return 0.0 if abs(det) < tol else det


def orientation_color(det: float, tol: float = 1e-9) -> str:
    """Fill colour of the image of the unit square: orange if orientation is kept, purple if flipped."""
    if abs(det) < tol:
        return PALETTE["grey"]
    return PALETTE["orange"] if det > 0 else PALETTE["purple"]


def draw_linear_map(ax, W, *, lim: float = 2.0, view: float = 3.2, relu: bool = False, title: str | None = None):
    r"""Draw the image of a grid, the unit square and the basis vectors under :math:`\mathbf x \mapsto \mathbf x W`.

    The rows of ``W`` are the images of :math:`\mathbf e_1` (vermillion arrow) and :math:`\mathbf e_2` (green).
    The unit square becomes the parallelogram they span, of signed area :math:`\det W`: filled orange when the
    orientation is kept, purple when it is flipped. With ``relu=True`` the picture is :math:`\max(0, \mathbf x W)`.
    """
    W = np.asarray(W, dtype=float)
    f = (lambda v: np.maximum(v, 0.0)) if relu else (lambda v: v)
    draw_grid(ax, [f(p @ W) for p in grid_lines(lim, 9, 161)], color=PALETTE["sky"], lw=0.8)
    det = det2(W)
    ax.add_patch(Polygon(f(UNIT_SQUARE @ W), closed=True, color=orientation_color(det), alpha=0.55, lw=0))
    for row, c in zip(f(W), (PALETTE["vermillion"], PALETTE["green"])):
        ax.annotate("", xy=tuple(row), xytext=(0, 0), arrowprops={"arrowstyle": "->", "lw": 2.2, "color": c})
    ax.axhline(0, color="black", lw=0.6)
    ax.axvline(0, color="black", lw=0.6)
    ax.set(xlim=(-view, view), ylim=(-view, view), aspect="equal")
    ax.set_title(title if title is not None else f"det W = {det:+.2f}")


def linear_map_gallery(matrices: dict, *, ncols: int = 3, relu: bool = False):
    r"""One panel per named 2×2 matrix: how :math:`\mathbf x \mapsto \mathbf x W` moves the plane.

    Parameters
    ----------
    matrices : dict
        Name → 2×2 array. Each panel's title gives the name and the determinant; the matrix is printed inside.
    ncols : int
        Panels per row.
    relu : bool
        Draw :math:`\max(0, \mathbf x W)` instead.
    """
    k = len(matrices)
    ncols = min(ncols, k)
    nrows = -(-k // ncols)
    fig, axes = static_figure(ncols, nrows, width=2.45 * ncols, height=2.75 * nrows)
    axes = np.atleast_1d(axes).ravel()
    for ax, (name, W) in zip(axes, matrices.items()):
        W = np.asarray(W, dtype=float)
        rows = "\n".join("[" + "  ".join(f"{v:5.2f}" for v in r) + "]" for r in W)
        draw_linear_map(ax, W, relu=relu, title=f"{name}\ndet W = {det2(W):+.2f}")
        ax.text(0.03, 0.03, rows, transform=ax.transAxes, fontsize=7.5, family="monospace",
                bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none", "pad": 1.5})
        ax.set_xticks([-2, 0, 2])
        ax.set_yticks([-2, 0, 2])
        ax.tick_params(labelsize=8)
    for ax in axes[k:]:
        ax.axis("off")
    for ax in axes[::ncols]:
        ax.set_ylabel("z₂")
    for ax in axes[:k][-ncols:]:
        ax.set_xlabel("z₁")
    maps = "; ".join(f"{name} (det W = {det2(np.asarray(W, dtype=float)):+.2f})" for name, W in matrices.items())
    after = "then ReLU, " if relu else ""
    return describe(fig, f"{k} panels, each showing how the plane moves under x ↦ xW {after}for one 2×2 matrix: a "
                         f"square grid bent into its image, the unit square turned into a parallelogram whose area "
                         f"is |det W|, shaded orange when the orientation is kept and purple when it is flipped, and "
                         f"the images of the two basis vectors as arrows. The matrices: {maps}.")


# -- data as vectors -------------------------------------------------------------------------------------------

def image_as_vector(img, *, title: str = "an 8×8 image is a vector of 64 numbers"):
    r"""An image beside the same numbers flattened row by row into one vector (``img.reshape(-1)``).

    Each row of pixels becomes a run of consecutive entries of the vector; alternate rows are outlined in
    alternating colours in both pictures so the correspondence can be followed.
    """
    img = np.asarray(img, dtype=float)
    h, w = img.shape
    fig = plt.figure(figsize=(7.6, 4.0), layout="constrained")
    gs = fig.add_gridspec(2, 2, height_ratios=[5, 1.5], width_ratios=[1, 1.5])
    ax_img, ax_txt = fig.add_subplot(gs[0, 0]), fig.add_subplot(gs[0, 1])
    ax_vec = fig.add_subplot(gs[1, :])
    row_colors = (PALETTE["blue"], PALETTE["orange"])
    ax_img.imshow(img, cmap=SEQUENTIAL, vmin=0, vmax=1)
    for r in range(h):
        for c in range(w):
            ax_img.text(c, r, f"{img[r, c]:.1f}".replace("0.", "."), ha="center", va="center", fontsize=6.5,
                        color="black" if img[r, c] > 0.55 else "white")
        ax_img.add_patch(Rectangle((-0.5, r - 0.5), w, 1, fill=False, lw=1.6, ec=row_colors[r % 2]))
    ax_img.set(xticks=range(w), yticks=range(h), xlabel="column c", ylabel="row r", title=f"image: shape ({h}, {w})")
    ax_img.tick_params(labelsize=7)
    vec = img.reshape(1, -1)
    ax_vec.imshow(vec, cmap=SEQUENTIAL, vmin=0, vmax=1, aspect="auto")
    for r in range(h):
        ax_vec.add_patch(Rectangle((r * w - 0.5, -0.5), w, 1, fill=False, lw=1.6, ec=row_colors[r % 2]))
        ax_vec.text(r * w + (w - 1) / 2, 0.75, f"row {r}", ha="center", va="top", fontsize=7.5,
                    color=row_colors[r % 2])
    ax_vec.set(yticks=[], xticks=range(0, h * w + 1, w), ylim=(1.6, -0.5),
               xlabel="vector index  k = 8r + c", title=f"vector x: shape ({h * w},)")
    ax_vec.tick_params(labelsize=7)
    ax_vec.spines[["left"]].set_visible(False)
    ax_txt.axis("off")
    ax_txt.text(0.0, 0.5,
                "x = img.reshape(-1)\n\n"
                f"pixel (r, c)  →  entry k = {w}·r + c\n\n"
                "row 0 gives entries 0–7,\nrow 1 gives entries 8–15, …\n\n"
                "The network sees only the\n64 numbers: the 2-D layout\nis gone.",
                va="center", fontsize=9.5, family="monospace")
    fig.suptitle(title)
    return describe(fig, f"A {h}×{w} grey-level image with each pixel's value written in it, and below it the same "
                         f"{h * w} numbers laid out as one long vector, row after row: pixel (r, c) becomes entry "
                         f"{w}r + c, so row 0 gives entries 0 to {w - 1}, row 1 entries {w} to {2 * w - 1}, and so on.")


def _thumbnail(ax, img, *, cmap=SEQUENTIAL, vmin=0.0, vmax=1.0):
    ax.imshow(img, cmap=cmap, vmin=vmin, vmax=vmax)
    ax.set(xticks=[], yticks=[])
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color(PALETTE["grey"])


def batch_matrix(images, names):
    r"""A batch of images as the matrix :math:`X` of shape (n, d): sample i is row i (its image flattened)."""
    images = np.asarray(images, dtype=float)
    n = images.shape[0]
    X = images.reshape(n, -1)
    fig = plt.figure(figsize=(7.6, 0.55 * n + 1.4), layout="constrained")
    gs = fig.add_gridspec(n, 2, width_ratios=[1, 9])
    ax_X = fig.add_subplot(gs[:, 1])
    for i, (img, name) in enumerate(zip(images, names)):
        ax = fig.add_subplot(gs[i, 0])
        _thumbnail(ax, img)
        ax.set_ylabel(name, rotation=0, ha="right", va="center", fontsize=8.5)
    ax_X.imshow(X, cmap=SEQUENTIAL, vmin=0, vmax=1, aspect="auto")
    ax_X.set(yticks=range(n), yticklabels=[f"row {i}" for i in range(n)],
             xticks=range(0, X.shape[1] + 1, 8), xlabel="feature j (pixel index)",
             title=f"X = images.reshape(n, -1): shape ({n}, {X.shape[1]}), one sample per row")
    ax_X.tick_params(labelsize=8)
    return describe(fig, f"{n} small images ({', '.join(names)}) beside the matrix X of shape ({n}, {X.shape[1]}) "
                         f"that holds them: each image, flattened, is one row of X, and each column is one pixel.")


def template_scores(images, names, W, template_names):
    r"""Scores :math:`Z = XW`: each column of ``W`` (drawn as an image) is a pattern one neuron looks for.

    ``images`` (n, h, w) give the rows of :math:`X`; ``W`` has shape (h·w, d_out). Cell (i, j) of the table is
    the dot product of image i with template j.
    """
    images = np.asarray(images, dtype=float)
    W = np.asarray(W, dtype=float)
    n, h, w = images.shape
    d_out = W.shape[1]
    Z = images.reshape(n, -1) @ W
    fig = plt.figure(figsize=(1.3 + 1.25 * d_out, 1.2 + 0.62 * (n + 1.5)), layout="constrained")
    gs = fig.add_gridspec(n + 1, d_out + 1, height_ratios=[1.5] + [1] * n, width_ratios=[1] + [1.6] * d_out)
    wmax = float(np.abs(W).max()) or 1.0
    for j in range(d_out):
        ax = fig.add_subplot(gs[0, j + 1])
        _thumbnail(ax, W[:, j].reshape(h, w), cmap=DIVERGING, vmin=-wmax, vmax=wmax)
        ax.set_title(f"column {j}:\n{template_names[j]}", fontsize=8.5)
    key = fig.add_subplot(gs[0, 0])
    key.axis("off")
    key.text(0.5, 0.5, "weights:\norange > 0\npurple < 0", ha="center", va="center", fontsize=8,
             transform=key.transAxes)
    for i in range(n):
        ax = fig.add_subplot(gs[i + 1, 0])
        _thumbnail(ax, images[i])
        ax.set_ylabel(names[i], rotation=0, ha="right", va="center", fontsize=8.5)
    ax_Z = fig.add_subplot(gs[1:, 1:])
    zmax = float(np.abs(Z).max()) or 1.0
    ax_Z.imshow(Z, cmap=DIVERGING, vmin=-zmax, vmax=zmax, aspect="auto")
    for i in range(n):
        for j in range(d_out):
            ax_Z.text(j, i, f"{Z[i, j]:+.2f}", ha="center", va="center", fontsize=9,
                      color="white" if abs(Z[i, j]) > 0.6 * zmax else "black")
    ax_Z.set(xticks=range(d_out), yticks=range(n), xticklabels=[f"neuron {j}" for j in range(d_out)],
             yticklabels=[f"sample {i}" for i in range(n)])
    ax_Z.tick_params(labelsize=8)
    ax_Z.set_xlabel(f"Z = X W: shape ({n}, {d_out})")
    fig.suptitle("Z[i, j] = (image i) · (column j of W)", fontsize=11)
    best = ", ".join(f"{names[i]} scores highest on {template_names[int(np.argmax(Z[i]))]}" for i in range(n))
    return describe(fig, f"The {d_out} columns of W drawn as images ({', '.join(template_names)}), the {n} input "
                         f"images, and the table of scores Z = XW, one row per image and one column per template, "
                         f"each cell the dot product of an image with a template: {best}.")


# -- the matrix product and broadcasting -----------------------------------------------------------------------

def _fmt_number(v: float) -> str:
    return f"{v:g}" if float(v).is_integer() else f"{v:.2f}"


def _cells(ax, M, x0: float, y0: float, *, color=None):
    """Draw a matrix as a grid of unit cells with its numbers; top-left corner at (x0, y0), rows going down."""
    M = np.atleast_2d(M)
    patches = np.empty(M.shape, dtype=object)
    texts = np.empty(M.shape, dtype=object)
    for r in range(M.shape[0]):
        for c in range(M.shape[1]):
            patches[r, c] = ax.add_patch(Rectangle((x0 + c, y0 + r), 1, 1, fc="white", ec="black", lw=1.0))
            texts[r, c] = ax.text(x0 + c + 0.5, y0 + r + 0.5, _fmt_number(M[r, c]), ha="center", va="center",
                                  fontsize=10, color=color or "black")
    return patches, texts


class MatmulDiagram:
    r"""The product :math:`Z = XW + \mathbf b` drawn cell by cell, with one entry, row or column highlighted.

    * ``"entry"``: :math:`Z_{ij} = \sum_k X_{ik} W_{kj} + b_j`, row i of X dotted with column j of W;
    * ``"row"``: :math:`Z_{i,:} = X_{i,:} W + \mathbf b`, one sample through every neuron;
    * ``"column"``: :math:`Z_{:,j} = X W_{:,j} + b_j`, one neuron over the whole batch.
    """

    HIGHLIGHT = {"X": PALETTE["sky"], "W": PALETTE["orange"], "b": PALETTE["green"], "Z": PALETTE["purple"]}

    def __init__(self, ax, X, W, b):
        self.ax = ax
        self.X, self.W, self.b = (np.asarray(a, dtype=float) for a in (X, W, b))
        self.Z = self.X @ self.W + self.b
        n, d_in = self.X.shape
        d_out = self.W.shape[1]
        gap = 1.4
        xs = {"X": 0.0}
        xs["W"] = xs["X"] + d_in + gap
        xs["b"] = xs["W"] + d_out + gap
        xs["Z"] = xs["b"] + d_out + gap
        drawn = {key: _cells(ax, M, xs[key], 0) for key, M in (("X", self.X), ("W", self.W), ("b", self.b),
                                                               ("Z", self.Z))}
        self.cells = {key: patches for key, (patches, _) in drawn.items()}  # the cells, by matrix
        self.numbers = {key: texts for key, (_, texts) in drawn.items()}    # the numbers in them
        for sym, x_left, x_right in (("@", "X", "W"), ("+", "W", "b"), ("=", "b", "Z")):
            right_edge = xs[x_left] + self.cells[x_left].shape[1]
            ax.text((right_edge + xs[x_right]) / 2, 0.5, sym, ha="center", va="center", fontsize=16)
        labels = {
            "X": (f"X  ({n}, {d_in})", "n × d_in"),
            "W": (f"W  ({d_in}, {d_out})", "d_in × d_out"),
            "b": (f"b  ({d_out},)", "one row, added\nto every row"),
            "Z": (f"Z  ({n}, {d_out})", "n × d_out"),
        }
        for key, (top, bottom) in labels.items():
            width = self.cells[key].shape[1]
            height = self.cells[key].shape[0]
            ax.text(xs[key] + width / 2, -0.35, top, ha="center", va="bottom", fontsize=10.5, weight="bold",
                    color="black")
            ax.text(xs[key] + width / 2, height + 0.25, bottom, ha="center", va="top", fontsize=8.5,
                    color=PALETTE["black"])
        self.depth = max(n, d_in) + 1.3
        self.formula = ax.text(0, self.depth, "", ha="left", va="top", fontsize=10, family="monospace")
        ax.set_xlim(-0.3, xs["Z"] + d_out + 0.3)
        ax.set_ylim(self.depth + 1.2, -1.2)
        ax.set_aspect("equal")
        ax.axis("off")

    def highlight(self, i: int = 0, j: int = 0, mode: str = "entry") -> None:
        """Colour the cells that make up ``Z[i, j]`` (mode "entry"), ``Z[i, :]`` ("row") or ``Z[:, j]`` ("column")."""
        if mode not in ("entry", "row", "column"):
            raise ValueError(f"mode must be 'entry', 'row' or 'column'; got {mode!r}")
        n, d_out = self.Z.shape
        i = int(np.clip(i, 0, n - 1))
        j = int(np.clip(j, 0, d_out - 1))
        rows = {"entry": [i], "row": [i], "column": list(range(n))}[mode]
        cols = {"entry": [j], "row": list(range(d_out)), "column": [j]}[mode]
        on = {
            "X": {(r, c) for r in rows for c in range(self.X.shape[1])},
            "W": {(r, c) for r in range(self.W.shape[0]) for c in cols},
            "b": {(0, c) for c in cols},
            "Z": {(r, c) for r in rows for c in cols},
        }
        for key, patches in self.cells.items():
            for (r, c), patch in np.ndenumerate(patches):
                patch.set_facecolor(self.HIGHLIGHT[key] if (r, c) in on[key] else "white")
                patch.set_alpha(0.75 if (r, c) in on[key] else 1.0)
                patch.set_edgecolor("black")
        self.formula.set_text(self._formula(i, j, mode))

    def _formula(self, i, j, mode):
        f = _fmt_number

        def p(v):  # negative factors in parentheses: 2·(-1), not 2·-1
            return f"({f(v)})" if v < 0 else f(v)

        if mode == "entry":
            terms = " + ".join(f"{p(x)}·{p(w)}" for x, w in zip(self.X[i], self.W[:, j]))
            return (f"Z[{i},{j}] = X[{i},:] · W[:,{j}] + b[{j}]   (one neuron, one sample)\n"
                    f"       = {terms} + {p(self.b[j])} = {f(self.Z[i, j])}")
        if mode == "row":
            vals = ", ".join(f(v) for v in self.Z[i])
            return (f"Z[{i},:] = X[{i},:] W + b   (sample {i} through every neuron)\n"
                    f"       = [{vals}]")
        vals = ", ".join(f(v) for v in self.Z[:, j])
        return (f"Z[:,{j}] = X W[:,{j}] + b[{j}]   (neuron {j} over the whole batch)\n"
                f"       = [{vals}]")


def matmul_diagram(X, W, b, *, i: int = 0, j: int = 0, mode: str = "entry"):
    r"""A static figure of :math:`Z = XW + \mathbf b` with the shapes of every term (see :class:`MatmulDiagram`)."""
    X = np.asarray(X, dtype=float)
    n, d_in = X.shape
    d_out = np.asarray(W).shape[1]
    width = 0.42 * (d_in + 3 * d_out + 4.2) + 0.6
    fig, ax = static_figure(width=max(width, 6.0), height=0.42 * (max(n, d_in) + 4.5))
    diagram = MatmulDiagram(ax, X, W, b)
    diagram.highlight(i, j, mode)
    part = {"entry": f"the entry Z[{i}, {j}], from row {i} of X and column {j} of W",
            "row": f"row {i} of Z, from row {i} of X and all of W", "column": f"column {j} of Z, from all of X and "
            f"column {j} of W"}[mode]
    return describe(fig, f"The product Z = XW + b drawn as grids of numbers with their shapes: X ({n}, {d_in}), "
                         f"W ({d_in}, {d_out}), b ({d_out},) and Z ({n}, {d_out}); coloured cells show {part}.")


def broadcast_diagram(XW, b):
    r"""Broadcasting the bias: :math:`XW + \mathbf 1 \mathbf b^\top`, the row :math:`\mathbf b^\top` on every row.

    The copies (dashed, faded) are what numpy behaves as if it had made; it never stores them.
    """
    XW = np.asarray(XW, dtype=float)
    b = np.asarray(b, dtype=float)
    n, d_out = XW.shape
    gap = 1.4
    x_b = d_out + gap
    x_z = x_b + d_out + gap
    fig, ax = static_figure(width=0.5 * (3 * d_out + 2 * gap) + 0.8, height=0.5 * (n + 2.8))
    _cells(ax, XW, 0, 0)
    patches, texts = _cells(ax, np.tile(b, (n, 1)), x_b, 0)
    for (r, _c), patch in np.ndenumerate(patches):
        patch.set_facecolor(PALETTE["green"])
        if r == 0:
            patch.set_alpha(0.75)
        else:
            patch.set(alpha=0.25, linestyle="--")
            texts[r, _c].set_color(PALETTE["grey"])
    _cells(ax, XW + b, x_z, 0)
    for x, sym in ((d_out + gap / 2, "+"), (x_b + d_out + gap / 2, "=")):
        ax.text(x, n / 2, sym, ha="center", va="center", fontsize=16)
    for x, top, bottom in ((0, f"XW  ({n}, {d_out})", ""),
                           (x_b, f"b  ({d_out},)", f"the row bᵀ and {n - 1} virtual copies\n(numpy never stores them)"),
                           (x_z, f"Z  ({n}, {d_out})", "")):
        ax.text(x + d_out / 2, -0.3, top, ha="center", va="bottom", fontsize=10.5, weight="bold")
        ax.text(x + d_out / 2, n + 0.25, bottom, ha="center", va="top", fontsize=8.5)
    ax.set_xlim(-0.3, x_z + d_out + 0.3)
    ax.set_ylim(n + 1.2, -1.2)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("broadcasting:  XW + b  means  XW + 1 bᵀ")
    return describe(fig, f"Broadcasting drawn as grids of numbers: the ({n}, {d_out}) matrix XW, plus the bias row "
                         f"b of {d_out} entries repeated on every one of the {n} rows (the repeated copies faded, "
                         f"since numpy never stores them), equals Z.")


# -- speed -----------------------------------------------------------------------------------------------------

def best_time(fn, number: int = 1, repeat: int = 3) -> float:
    """Seconds per call of ``fn()``: the fastest of ``repeat`` runs of ``number`` calls each.

    The fastest run is the one least disturbed by everything else the machine does, so it estimates what the code
    itself costs (the benchmarks in ``benchmarks/`` quote medians of many runs instead). A time depends on the
    machine and the moment: draw it (:func:`timing_bars`, whose picture is never compared as text), or print a
    :func:`ratio_bucket`, never the number itself, in a notebook whose outputs are checked.
    """
    if not callable(fn):
        raise TypeError(f"fn must be a function of no arguments, not {type(fn).__name__}")
    number, repeat = int(number), int(repeat)
    if number < 1 or repeat < 1:
        raise ValueError(f"number and repeat must be at least 1; got number={number}, repeat={repeat}")
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def ratio_bucket(ratio: float, edges) -> str:
    """Say in which of the ranges cut at ``edges`` a speed ratio falls: "more than 1,000×", "between 3× and 100×".

    For a notebook that states how much slower one computation is than another: the exact ratio varies from
    machine to machine and run to run, but with edges far from the typical ratio its bucket does not.

    Parameters
    ----------
    ratio : float
        A positive ratio of two times.
    edges : sequence of float
        Increasing, positive bucket edges.
    """
    ratio = float(ratio)
    edges = [float(e) for e in edges]
    if not ratio > 0 or not np.isfinite(ratio):
        raise ValueError(f"a speed ratio must be positive and finite; got {ratio}")
    if not edges or any(e <= 0 for e in edges) or any(a >= b for a, b in zip(edges, edges[1:])):
        raise ValueError(f"edges must be increasing positive numbers; got {edges}")

    def times(e: float) -> str:
        return f"{e:,g}×" if e < 1e4 else f"{e:,.0f}×"

    above = [e for e in edges if e <= ratio]
    below = [e for e in edges if e > ratio]
    if not below:
        return f"more than {times(above[-1])}"
    if not above:
        return f"less than {times(below[0])}"
    return f"between {times(above[-1])} and {times(below[0])}"


def _fmt_seconds(t: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if t >= scale:
            return f"{t / scale:.3g} {unit}"
    return f"{t:.2g} s"


def timing_bars(times: dict, *, title: str = "time for one forward pass (log scale)"):
    """Horizontal bars of run times on a log scale, each labelled with its time and its factor over the fastest.

    Parameters
    ----------
    times : dict
        Label → time in seconds (e.g. the best of several runs).
    """
    labels = list(times)
    values = np.array([float(times[k]) for k in labels])
    if not np.all(values > 0):
        raise ValueError("times must be positive")
    fastest = values.min()
    fig, ax = static_figure(width=7.0, height=0.65 * len(labels) + 1.2)
    y = np.arange(len(labels))[::-1]
    colors = [PALETTE["vermillion"], PALETTE["orange"], PALETTE["blue"], PALETTE["green"], PALETTE["purple"]]
    ax.barh(y, values, color=[colors[k % len(colors)] for k in range(len(labels))], height=0.6)
    ax.set_xscale("log")
    for yi, v in zip(y, values):
        factor = v / fastest
        note = "fastest" if factor < 1.5 else f"≈ {float(f'{factor:.2g}'):,.0f}× slower"
        ax.text(v * 1.15, yi, f"{_fmt_seconds(v)}  ({note})", va="center", fontsize=9)
    ax.set_yticks(y, labels)
    ax.set_xlim(fastest / 3, values.max() * 500)
    ax.set(xlabel="seconds (log scale: each tick is 10× more)", title=title)
    order = sorted(labels, key=lambda label: times[label])
    return describe(fig, f"Horizontal bars of run time on a logarithmic axis for {len(labels)} ways of computing the "
                         f"same result, each labelled with its time and how many times slower than the fastest it "
                         f"is; from fastest to slowest: {', '.join(order)}.")


# -- depth without non-linearity -------------------------------------------------------------------------------

def stack_outputs(x, panels: dict, *, xlabel: str = "input x", ylabel: str = "output"):
    r"""Side-by-side panels of scalar functions of one input, one line per network.

    Parameters
    ----------
    x : array_like, shape (m,)
    panels : dict
        Title → list of arrays of shape (m,), the outputs of several networks on ``x``.
    """
    x = np.asarray(x, dtype=float)
    k = len(panels)
    fig, axes = static_figure(k, width=3.5 * k, height=3.2)
    axes = np.atleast_1d(axes)
    for ax, (title, ys) in zip(axes, panels.items()):
        for y in ys:
            ax.plot(x, np.asarray(y, dtype=float).reshape(-1), lw=1.8)
        ax.axhline(0, color="black", lw=0.5)
        ax.set(title=title, xlabel=xlabel)
    axes[0].set_ylabel(ylabel)
    def shape(ys):
        straight = sum(_is_straight(x, np.asarray(y, dtype=float).reshape(-1)) for y in ys)
        if straight == len(ys):
            return f"{len(ys)} line{'s' if len(ys) != 1 else ''}, every one straight"
        return f"{len(ys)} line{'s' if len(ys) != 1 else ''}, {len(ys) - straight} of them bent"

    panels_text = "; ".join(f"{title}: {shape(ys)}" for title, ys in panels.items())
    return describe(fig, f"{k} panels of {ylabel} against {xlabel}, one line per network ({panels_text}).")


def _is_straight(x, y, rtol: float = 1e-9) -> bool:
    """Whether the points (x, y) lie on one straight line (a least-squares line leaves no residual)."""
    A = np.column_stack([x, np.ones_like(x)])
    residual = y - A @ np.linalg.lstsq(A, y, rcond=None)[0]
    return bool(np.max(np.abs(residual)) <= rtol * max(1.0, float(np.max(np.abs(y)))))
