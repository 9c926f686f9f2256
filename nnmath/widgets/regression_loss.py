r"""The regression-loss widget (chapter 4): a line through data, its residual squares, its point on the loss surface."""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection, PolyCollection

from ..data import make_linear_regression
from ..linefit import least_absolute_line, least_squares_line, line_loss_grid
from ..losses import mae, mse
from ..plots import PALETTE, SEQUENTIAL, widget_figure
from ._base import Playground
from .controls import Choice, Slider, Toggle
from .static import grid_control

__all__ = ["RegressionLossPlayground", "OUTLIER"]

#: The point the "outlier" box adds to the data: far below the trend of the others.
OUTLIER = (2.4, -3.6)
_LOSSES = {"mse": ("MSE", mse), "mae": ("MAE", mae)}
_W_RANGE = (-1.0, 2.0)
_B_RANGE = (-2.0, 3.0)


class RegressionLossPlayground(Playground):
    r"""Fit a line :math:`\hat y = wx + b` by hand and watch its loss, on the data and on the loss surface.

    Left: ten points :math:`(x_i, y_i)` (:func:`nnmath.data.make_linear_regression`, slope 0.6, intercept
    0.4, noise 0.6, seed 4), the line, and for each point its residual :math:`r_i = \hat y_i - y_i`. With the
    MSE each residual is drawn as a square of side :math:`|r_i|` (equal axis scales, so they are squares):
    its area is :math:`r_i^2`, and

    .. math::
        \operatorname{MSE}(w, b) = \frac1n \sum_{i=1}^{n} (w x_i + b - y_i)^2 = \text{the mean area of the squares}.

    With the MAE the residuals are drawn as segments: :math:`\operatorname{MAE} = \frac1n \sum_i |r_i|` is their
    mean length. The faint dashed line is the best line for the chosen loss
    (:func:`nnmath.linefit.least_squares_line`, :func:`nnmath.linefit.least_absolute_line`).

    Right: the same loss over every :math:`(w, b)` of the slider ranges (:func:`nnmath.linefit.line_loss_grid`),
    its minimum (star) and the current line (dot). The box "outlier" adds the point :math:`(2.4, -3.6)`: the
    hollow circle marks where the minimum was without it. Squares punish it so hard that the best MSE line
    swings towards it; the best MAE line barely moves.

    In the static book the states are precomputed (``static_mode = "grid"``, :meth:`static_controls`): the best
    MAE line is a search over pairs of points and the contours are drawn by matplotlib, so the page could not
    redo them; a grid of 12 slopes × 10 intercepts × 2 losses × the outlier box, 480 states of a few squares,
    segments and a dot each, is small.
    """

    n_grid = 121
    title = "a line, its residuals and its loss"
    static_mode = "grid"
    _legend_key = None

    def __init__(self, w=1.2, b=-0.6, loss="mse", outlier=False):
        controls = {
            "w": Slider("slope w", w, *_W_RANGE, 0.02),
            "b": Slider("intercept b", b, *_B_RANGE, 0.02),
            "loss": Choice("loss", loss, [("MSE: mean of r²", "mse"), ("MAE: mean of |r|", "mae")]),
            "outlier": Toggle("add an outlier", outlier),
        }
        fig, (self.ax_d, self.ax_s) = widget_figure(2, width=10.0, height=4.6, width_ratios=[1, 1.1])
        super().__init__(fig, controls)
        X, y = make_linear_regression(n=10, slope=0.6, intercept=0.4, noise=0.6, x_range=(-3.0, 3.0), seed=4)
        self.data = {False: (X[:, 0], y), True: (np.r_[X[:, 0], OUTLIER[0]], np.r_[y, OUTLIER[1]])}
        self._legends: dict = {}
        self._fits = {(name, out): (least_squares_line if name == "mse" else least_absolute_line)(*self.data[out])
                      for name in _LOSSES for out in (False, True)}
        self._draw_data_panel(X[:, 0], y)
        self._draw_surface_panel()
        self.dynamic = [self.squares, self.segments, self.line, self.point, self.ax_d.title, self.ax_s.title]

    # -- set-up ----------------------------------------------------------------------------------
    def _draw_data_panel(self, x, y):
        ax = self.ax_d
        self.xlim, self.ylim = (-3.6, 3.6), (-4.6, 4.6)
        self.squares = PolyCollection([], facecolor=PALETTE["orange"], edgecolor=PALETTE["orange"], alpha=0.35,
                                      lw=1.0)
        ax.add_collection(self.squares)
        self.segments = LineCollection([], colors=PALETTE["vermillion"], linewidths=1.2)
        ax.add_collection(self.segments)
        (self.fit_line,) = ax.plot(self.xlim, [0, 0], "--", color=PALETTE["grey"], lw=1.2, label="best line")
        (self.line,) = ax.plot(self.xlim, [0, 0], color=PALETTE["blue"], lw=2.2, label="your line ŷ = wx + b")
        self.dots = ax.scatter(x, y, s=22, color=PALETTE["black"], zorder=4, label="data")
        (self.outlier_point,) = ax.plot(*OUTLIER, "o", ms=7, mfc="white", mec=PALETTE["purple"], mew=2, zorder=4,
                                        label="outlier")
        ax.set(xlim=self.xlim, ylim=self.ylim, xlabel="x", ylabel="y")
        ax.set_aspect("equal", adjustable="box")
        ax.axhline(0, color="black", lw=0.4)
        ax.axvline(0, color="black", lw=0.4)

    def _draw_surface_panel(self):
        ax = self.ax_s
        Wg, Bg = np.meshgrid(np.linspace(*_W_RANGE, self.n_grid), np.linspace(*_B_RANGE, self.n_grid))
        self.contours = {}
        for name in _LOSSES:
            for out in (False, True):
                grid = line_loss_grid(*self.data[out], Wg, Bg, loss=name)
                # evenly spaced rings: the MSE grows with the squared distance from its minimum, the MAE
                # (piecewise linear) with the distance itself
                lo, hi = float(grid.min()), float(grid.max())
                levels = lo + (hi - lo) * np.linspace(0.0, 1.0, 18) ** (2 if name == "mse" else 1)
                filled = ax.contourf(Wg, Bg, grid, levels=levels, cmap=SEQUENTIAL)
                lines = ax.contour(Wg, Bg, grid, levels=levels, colors="white", linewidths=0.4, alpha=0.6)
                self.contours[name, out] = (filled, lines)
        (self.best_clean,) = ax.plot([], [], "o", ms=9, mfc="none", mec="white", mew=2, label="best without outlier")
        (self.best,) = ax.plot([], [], "*", ms=15, color="white", mec="black", mew=1, label="best (w, b)")
        (self.point,) = ax.plot([], [], "o", ms=9, color=PALETTE["vermillion"], mec="white", mew=1.5, zorder=5,
                                label="your (w, b)")
        ax.set(xlim=_W_RANGE, ylim=_B_RANGE, xlabel="slope w", ylabel="intercept b")

    # -- the model -------------------------------------------------------------------------------
    def loss_value(self, w, b, loss="mse", outlier=False) -> float:
        """The chosen loss of the line :math:`\\hat y = wx + b` on the widget's data."""
        x, y = self.data[bool(outlier)]
        return _LOSSES[loss][1](w * x + b, y)

    def best_line(self, loss="mse", outlier=False):
        """The ``(w, b)`` that minimises the chosen loss on the widget's data."""
        return self._fits[loss, bool(outlier)]

    def static_controls(self):
        """The grid of the kernel-free version: slopes 0.25 apart × intercepts 0.5 apart (through the initial line)
        × both losses × the outlier box (480 states)."""
        c = self.controls
        return [grid_control(c["w"], c["w"].grid(step=0.25), name="w"),
                grid_control(c["b"], c["b"].grid(step=0.5), name="b"),
                grid_control(c["loss"], name="loss"), grid_control(c["outlier"], name="outlier")]

    # -- redraw ----------------------------------------------------------------------------------
    def update(self, w, b, loss, outlier):
        outlier = bool(outlier)
        self.static_key = (loss, outlier)
        x, y = self.data[outlier]
        label = _LOSSES[loss][0]
        y_hat = w * x + b
        r = y_hat - y
        # each square stands on its residual and opens towards the middle, so it stays in view
        side = np.abs(r) * np.where(x > 0, -1.0, 1.0)
        self.squares.set_verts([[(xi, yi), (xi, yh), (xi + s, yh), (xi + s, yi)]
                                for xi, yi, yh, s in zip(x, y, y_hat, side)])
        self.squares.set_visible(loss == "mse")
        self.segments.set_segments([[(xi, yi), (xi, yh)] for xi, yi, yh in zip(x, y, y_hat)])
        self.segments.set_linewidth(1.2 if loss == "mse" else 3.0)
        xs = np.array(self.xlim)
        self.line.set_ydata(w * xs + b)
        value = self.loss_value(w, b, loss, outlier)
        what = "mean area of the squares" if loss == "mse" else "mean length of the segments"
        self.ax_d.set_title(f"{label} = {what} = {value:.3f}", fontsize=10)
        # static for this (loss, outlier): the surface, the best lines, the outlier
        w_best, b_best = self.best_line(loss, outlier)
        self.fit_line.set_ydata(w_best * xs + b_best)
        self.outlier_point.set_visible(outlier)
        for key, (filled, lines) in self.contours.items():
            filled.set_visible(key == (loss, outlier))
            lines.set_visible(key == (loss, outlier))
        self.best.set_data([w_best], [b_best])
        clean = self.best_line(loss, False)
        self.best_clean.set_data([clean[0]], [clean[1]])
        self.best_clean.set_visible(outlier)
        if self._legend_key != outlier:  # only the outlier adds legend entries
            self._legend_key = outlier
            if outlier in self._legends:  # each pair of legends is made once (their entries never change)
                self.ax_d.legend_, self.ax_s.legend_ = self._legends[outlier]
            else:
                extra = [self.outlier_point] if outlier else []
                data_legend = self.ax_d.legend(handles=[self.fit_line, self.line, self.dots, *extra],
                                               loc="upper left", fontsize=8)
                extra = [self.best_clean] if outlier else []
                surface_legend = self.ax_s.legend(handles=[self.point, self.best, *extra], loc="lower left",
                                                  fontsize=8, frameon=True, facecolor="0.75", framealpha=0.9)
                self._legends[outlier] = data_legend, surface_legend
        self.point.set_data([w], [b])
        best_value = self.loss_value(w_best, b_best, loss, outlier)
        self.ax_s.set_title(f"{label}(w, b): here {value:.3f}, best {best_value:.3f} at w = {w_best:.2f}, "
                            f"b = {b_best:.2f}", fontsize=10)

