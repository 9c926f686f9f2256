r"""The penalty widget (chapter 8): choose L1 or L2 and its strength, watch the boundary smooth and the weights shrink.

A thin layer over :func:`nnmath.generalization.penalty_sweep`, which trains the 2-32-32-2 network of
:data:`nnmath.generalization.MOONS` once for every penalty and strength; this module only draws those networks.
The decision boundary is drawn as a line (a contour of :math:`p_1 = \tfrac12`), not as an image, so that the
kernel-free version records it as vector commands.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.patches import PathPatch
from matplotlib.path import Path

from ..generalization import penalty_sweep
from ..plots import PALETTE, widget_figure
from ..plots.regularization import boundary_grid, boundary_segments, class_colors
from ._base import Playground
from .controls import Choice, Slider
from .static import grid_control

__all__ = ["PenaltyPlayground", "PENALTY_CHOICES", "HIST_EDGES", "bar_path"]

#: The penalties offered, as (label, name) pairs for the drop-down.
PENALTY_CHOICES = [("L2: (λ/2)‖W‖²", "l2"), ("L1: λ‖W‖₁", "l1")]
#: The histogram's bin edges for the non-zero weights (weights beyond them fall into the outer bins).
HIST_EDGES = np.linspace(-3.0, 3.0, 31)
_FLOOR = 0.8  # the bars' bottom on the log axis (a count of 0 has no logarithm)


class PenaltyPlayground(Playground):
    r"""A network on 40 noisy moons, trained with an L2 or L1 penalty of strength :math:`\lambda`.

    Left: the training points (large), the validation points (small), the decision boundary at this
    :math:`\lambda` (black) and without any penalty (grey, dashed). Middle: the histogram of all 1,152 weights
    (biases excluded), with the weights that are *exactly* 0 as a red bar of their own. Right: training and
    validation accuracy against :math:`\lambda` for the chosen penalty, with the unpenalised network's as dotted
    lines. Every network was trained by :func:`nnmath.generalization.fit_penalized`: full-batch SGD, the L2
    penalty as weight decay :math:`W \leftarrow (1 - \eta\lambda)W - \eta\nabla_W L_0`, the L1 penalty by proximal
    steps :math:`W \leftarrow S_{\eta\lambda}(W - \eta\nabla_W L_0)`, which make exact zeros.

    The strength slider takes exactly the seven strengths of the sweep (:math:`10^{-4}` to :math:`10^{-1}`, half a
    decade apart), live as in the static book: each is a network trained for 700 steps, too slow to train while
    the reader drags. So in the static book the states are precomputed (``static_mode = "grid"``): both penalties
    × the seven strengths, 14 states of a boundary, 30 bars and two markers each; the page could not redo them
    without training the networks itself.
    """

    title = "an L1 or L2 penalty and its strength"
    static_mode = "grid"

    def __init__(self, penalty="l2", lam=1e-3):
        self.sweep = penalty_sweep()
        lams = [v for v in self.sweep.lams if v > 0]
        decades = float(np.round(np.log10(lams[1] / lams[0]), 6))  # the sweep's spacing: the slider's step
        controls = {
            "penalty": Choice("penalty", penalty, PENALTY_CHOICES),
            "lam": Slider("strength λ", lam, lams[0], lams[-1], decades, log=True, fmt=".2g"),
        }
        fig, (self.ax_b, self.ax_h, self.ax_a) = widget_figure(3, width=11.4, height=4.0,
                                                               width_ratios=[1.2, 1, 1])
        super().__init__(fig, controls)
        self._xs, self._ys = boundary_grid(np.vstack([self.sweep.X, self.sweep.X_val]), pad=0.05)
        self._drawn, self._weights = {}, {}
        self._draw_static()
        self.dynamic = [self.boundary, self.bars, self.zero_bar, self.val_mark, self.train_mark, self.ax_b.title,
                        self.ax_h.title]

    # -- set-up ----------------------------------------------------------------------------------
    def _draw_static(self):
        s, ax = self.sweep, self.ax_b
        ax.scatter(s.X_val[:, 0], s.X_val[:, 1], s=5, color=class_colors(s.y_val), alpha=0.3)
        ax.scatter(s.X[:, 0], s.X[:, 1], s=28, color=class_colors(s.y), edgecolor="black", lw=0.6)
        free = LineCollection(self.segments("l2", 0.0), colors=PALETTE["grey"], linestyles="--", linewidths=1.4,
                              label="no penalty")
        ax.add_collection(free)
        self.boundary = LineCollection([], colors="black", linewidths=2.0, label="with the penalty")
        ax.add_collection(self.boundary)
        ax.set(xlim=(self._xs[0], self._xs[-1]), ylim=(self._ys[0], self._ys[-1]), xlabel="$x_1$", ylabel="$x_2$")
        ax.legend(loc="lower left", fontsize=8)

        ax = self.ax_h
        free_counts = self.histogram("l2", 0.0)[0]
        ax.stairs(np.maximum(free_counts, _FLOOR), HIST_EDGES, baseline=_FLOOR, color=PALETTE["grey"], lw=1,
                  label="no penalty")
        # the 30 bars are one path (one drawing command, recorded in a fraction of the time of 30 rectangles)
        self.bars = ax.add_patch(PathPatch(Path(np.zeros((0, 2))), facecolor=PALETTE["blue"], edgecolor="none",
                                           label="non-zero weights"))
        self.zero_bar = ax.bar([0.0], [0.0], width=0.12, bottom=_FLOOR, color=PALETTE["vermillion"],
                               label="exactly 0")[0]
        ax.set(yscale="log", ylim=(_FLOOR, 2.0 * self.sweep.n_weights), xlim=(HIST_EDGES[0], HIST_EDGES[-1]),
               xlabel="weight value", ylabel="number of weights (log scale)")
        ax.legend(loc="upper right", fontsize=7.5)

        ax = self.ax_a
        positive = [v for v in s.lams if v > 0]
        self._curves = {}
        for penalty, _ in ((p, None) for _, p in PENALTY_CHOICES):
            train = [s.train_accuracy[penalty, v] for v in positive]
            val = [s.val_accuracy[penalty, v] for v in positive]
            lines = (ax.plot(positive, train, "o-", color=PALETTE["blue"], lw=1.5, ms=3, label="training")[0],
                     ax.plot(positive, val, "o-", color=PALETTE["vermillion"], lw=1.8, ms=3, label="validation")[0])
            self._curves[penalty] = lines
        ax.axhline(s.train_accuracy["l2", 0.0], color=PALETTE["blue"], ls=":", lw=1)
        ax.axhline(s.val_accuracy["l2", 0.0], color=PALETTE["vermillion"], ls=":", lw=1)
        self.train_mark, = ax.plot([], [], "o", color=PALETTE["blue"], mec="black", ms=8, zorder=5)
        self.val_mark, = ax.plot([], [], "o", color=PALETTE["vermillion"], mec="black", ms=8, zorder=5)
        ax.set(xscale="log", ylim=(0.45, 1.02), xlabel="λ (log scale; dotted: no penalty)", ylabel="accuracy")
        ax.legend(handles=list(self._curves["l2"]), loc="lower left", fontsize=8)

    # -- what is drawn, from the sweep -------------------------------------------------------------
    def segments(self, penalty, lam):
        """The decision boundary of the network trained with this penalty and strength (cached)."""
        key = (penalty, self.sweep._lam(lam))
        if key not in self._drawn:
            self._drawn[key] = boundary_segments(self.sweep.network(*key), self._xs, self._ys)
        return self._drawn[key]

    def weights(self, penalty, lam):
        """All weights of the network trained with this penalty and strength, in one vector (cached)."""
        key = (penalty, self.sweep._lam(lam))
        if key not in self._weights:
            self._weights[key] = self.sweep.weights(*key)
        return self._weights[key]

    def histogram(self, penalty, lam):
        """Counts of the non-zero weights in the bins of ``HIST_EDGES``, and the number of exact zeros."""
        weights = self.weights(penalty, lam)
        nonzero = weights[weights != 0]
        counts = np.histogram(np.clip(nonzero, HIST_EDGES[0], HIST_EDGES[-1]), HIST_EDGES)[0]
        return counts, int(weights.size - nonzero.size)

    def static_controls(self):
        """The grid of the kernel-free version: both penalties × the 7 strengths of the sweep (14 states)."""
        c = self.controls
        return [grid_control(c["penalty"], name="penalty"), grid_control(c["lam"], name="lam")]

    # -- redraw ----------------------------------------------------------------------------------
    def update(self, penalty, lam):
        s = self.sweep
        lam = s._lam(lam)
        key = (penalty, lam)
        self.static_key = penalty
        for name, lines in self._curves.items():
            for line in lines:
                line.set_visible(name == penalty)
        self.boundary.set_segments(self.segments(penalty, lam))
        counts, zeros = self.histogram(penalty, lam)
        self.bars.set_path(bar_path(counts))
        self.zero_bar.set_height(zeros - _FLOOR if zeros > 0 else 0.0)
        self.train_mark.set_data([lam], [s.train_accuracy[key]])
        self.val_mark.set_data([lam], [s.val_accuracy[key]])
        name = "L2" if penalty == "l2" else "L1"
        self.ax_a.set_title(f"accuracy against λ, {name} ", fontsize=10)
        self.ax_b.set_title(f"{name}, λ = {lam:.2g}: training {s.train_accuracy[key]:.0%}, "
                            f"validation {s.val_accuracy[key]:.1%}", fontsize=10)
        largest = float(np.abs(self.weights(penalty, lam)).max())
        self.ax_h.set_title(f"weights: {zeros:,} of {s.n_weights:,} exactly 0, largest |w| {largest:.2f}",
                            fontsize=10)



def bar_path(counts, edges=HIST_EDGES, bottom=_FLOOR, fill=0.9) -> Path:
    """One path of rectangles: a bar for each bin with a count above 0, from ``bottom`` to the count, ``fill`` of
    the bin wide and centred in it (the histogram's bars as a single artist)."""
    counts = np.asarray(counts, dtype=float)
    centers, half = (edges[:-1] + edges[1:]) / 2, fill * np.diff(edges) / 2
    shown = counts > 0
    x0, x1, top = centers[shown] - half[shown], centers[shown] + half[shown], counts[shown]
    corners = np.stack([np.c_[x0, np.full_like(x0, bottom)], np.c_[x0, top], np.c_[x1, top],
                        np.c_[x1, np.full_like(x0, bottom)], np.c_[x0, np.full_like(x0, bottom)]], axis=1)
    codes = np.tile([Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY], len(x0))
    return Path(corners.reshape(-1, 2), codes.astype(Path.code_type))
