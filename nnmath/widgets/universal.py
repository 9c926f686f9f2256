r"""The universal approximation widget (chapter 3): a one-hidden-layer network with m units fitted to a curve."""

from __future__ import annotations

import numpy as np

from ..approximation import fit_output_layers_nested, hidden_features, random_hidden_layer
from ..plots import COLORS, PALETTE, widget_figure
from ._base import Playground
from .controls import Choice, Slider
from .static import grid_control

__all__ = ["ApproximationPlayground", "TARGETS", "INTERVAL"]

#: The input interval of every target.
INTERVAL = (-3.0, 3.0)

#: Target curves on :data:`INTERVAL`, by name. The step is not continuous: the theorem does not cover it.
TARGETS = {
    "sin(2x)": lambda x: np.sin(2 * x),
    "|x| − 1 (a kink)": lambda x: np.abs(x) - 1.0,
    "exp(−x²)·cos(5x) (wiggles)": lambda x: np.exp(-x * x) * np.cos(5 * x),
    "step (not continuous)": lambda x: np.where(x > 0, 1.0, 0.0),
}


class ApproximationPlayground(Playground):
    r"""Fit :math:`\hat y(x) = b^{[2]} + \sum_{j=1}^{m} w^{[2]}_j f(w_j x + b_j)` to a target curve on :math:`[-3, 3]`.

    How the fit is made: the hidden layer is *not* trained. Unit :math:`j` gets a random slope :math:`w_j` and
    a centre :math:`t_j` (where :math:`w_j x + b_j = 0`) from an evenly spreading sequence, so the first
    :math:`m` units are spread over the interval for every :math:`m` and adding a unit never moves the others
    (:func:`nnmath.approximation.random_hidden_layer`). Only the output weights :math:`(\mathbf w^{[2]}, b^{[2]})` are
    fitted, by least squares on 401 equally spaced points of the interval with a tiny ridge penalty
    :math:`\lambda = 10^{-6}` (:func:`nnmath.approximation.fit_output_layer`); the errors are measured on
    the same points. Training every weight by gradient descent (chapter 6) can only match or beat this fit
    at the same :math:`m`, if it finds the best weights.

    Top left: the target and the fit. Bottom left: the :math:`m` building blocks :math:`f(w_j x + b_j)`, each
    scaled to the same height; the fit is a weighted sum of these plus :math:`b^{[2]}`. Right: the largest and the
    root-mean-square error for every :math:`m` from 1 to 50, the current one marked. The curves are drawn
    through the fewest of the 401 points that keep them within a quarter of a pixel of the full curves
    (``_simplify``).

    In the static book the states are precomputed (``static_mode = "grid"``): each is a least-squares fit, a
    linear solve the page would have to repeat, and there are 50 numbers of units × 3 activations × 4 targets,
    600 states. The building blocks of an activation are the same for every target and the first :math:`m` of
    them for every :math:`m`, so neighbouring states repeat each other and pack small.
    """

    n_points = 401
    max_units = 50
    ridge = 1e-6
    title = "a one-hidden-layer network fitted to a curve"
    static_mode = "grid"
    #: Fixed axes, wide enough for every target and fit, so that no control ever forces a full redraw.
    y_view = (-1.7, 2.9)
    error_view = (5e-5, 3.0)
    #: A quarter of a pixel of the fit panel and of the building blocks' panel, in data units (x, y).
    fit_tolerance = (0.003, 0.004)
    unit_tolerance = (0.003, 0.004)

    def __init__(self, n_hidden=6, activation="relu", target="sin(2x)"):
        controls = {
            "n_hidden": Slider("hidden units m", n_hidden, 1, self.max_units, 1, integer=True),
            "activation": Choice("f", activation, [("ReLU", "relu"), ("sigmoid", "sigmoid"), ("tanh", "tanh")]),
            "target": Choice("target", target, list(TARGETS)),
        }
        fig, axes = widget_figure(2, 2, width=9.6, height=5.0, width_ratios=[1.45, 1], height_ratios=[2.1, 1])
        self.ax_fit, self.ax_units = axes[:, 0]
        gs = axes[0, 1].get_gridspec()
        axes[0, 1].remove()
        axes[1, 1].remove()
        self.ax_err = fig.add_subplot(gs[:, 1])
        super().__init__(fig, controls)
        self.x = np.linspace(*INTERVAL, self.n_points)
        self.W, self.b = random_hidden_layer(self.max_units, INTERVAL)
        self._cache: dict = {}
        (self.target_line,) = self.ax_fit.plot([], [], color="black", lw=2.5, label="target y(x)")
        (self.fit_line,) = self.ax_fit.plot([], [], color=PALETTE["vermillion"], lw=1.8, label="network ŷ(x)")
        (self.centre_marks,) = self.ax_fit.plot([], [], "|", ms=9.5, mew=1.2, color=PALETTE["grey"],
                                                label="unit centres tⱼ")
        self.ax_fit.set(xlim=INTERVAL, ylim=self.y_view, ylabel="y")
        self.ax_fit.tick_params(labelbottom=False)
        self.ax_fit.legend(loc="upper left", fontsize=8, ncols=3)
        self.unit_lines = [self.ax_units.plot([], [], lw=1, color=COLORS[j % len(COLORS)], alpha=0.7)[0]
                           for j in range(self.max_units)]
        self.ax_units.set(xlim=INTERVAL, ylim=(-1.15, 1.15), xlabel="input x", ylabel="f(wⱼx + bⱼ)\n(scaled)")
        (self.max_curve,) = self.ax_err.semilogy([], [], color=PALETTE["vermillion"], lw=1.8, label="max |ŷ − y|")
        (self.rms_curve,) = self.ax_err.semilogy([], [], color=PALETTE["blue"], lw=1.8, label="RMS error")
        (self.max_dot,) = self.ax_err.plot([], [], "o", color=PALETTE["vermillion"], ms=7)
        (self.rms_dot,) = self.ax_err.plot([], [], "o", color=PALETTE["blue"], ms=7)
        self.ax_err.set(xlabel="hidden units m", ylabel="error on the 401 points (log scale)",
                        xlim=(0, self.max_units + 1), ylim=self.error_view, title="error vs number of units")
        self.ax_err.legend(loc="lower left", fontsize=8)
        # the target changes only with the target control: it belongs to the picture of the rest
        self.dynamic = [*self.unit_lines, self.fit_line, self.centre_marks, self.max_curve, self.rms_curve,
                        self.max_dot, self.rms_dot, self.ax_fit.title]
        self._units: dict = {}

    def fits(self, activation, target):
        """Features, fits and errors for m = 1..50 (cached per activation and target)."""
        key = (activation, target)
        if key not in self._cache:
            y = TARGETS[target](self.x)
            A = hidden_features(self.x, self.W, self.b, activation)
            fits = fit_output_layers_nested(A, y, self.ridge)
            preds = np.array([A[:, :m] @ w2 + b2 for m, (w2, b2) in enumerate(fits, start=1)])
            err = np.abs(preds - y)
            self._cache[key] = {"y": y, "A": A, "preds": preds,
                                "max": err.max(axis=1), "rms": np.sqrt(np.mean(err ** 2, axis=1))}
        return self._cache[key]

    def building_blocks(self, activation) -> list:
        """The 50 units :math:`f(w_j x + b_j)`, each scaled to height 1, as ``(x, y)`` polylines through the
        points that keep them within ``unit_tolerance`` of the full curves (cached per activation)."""
        if activation not in self._units:
            A = hidden_features(self.x, self.W, self.b, activation)
            blocks = []
            for column in A.T:
                column = column / max(float(np.abs(column).max()), 1e-12)
                keep = _simplify(self.x, column, *self.unit_tolerance)
                blocks.append((self.x[keep], column[keep]))
            self._units[activation] = blocks
        return self._units[activation]

    def update(self, n_hidden, activation, target):
        data = self.fits(activation, target)
        m = int(n_hidden)
        self.static_key = target
        y, y_hat = data["y"], data["preds"][m - 1]
        self.target_line.set_data(self.x, y)
        keep = _simplify(self.x, y_hat, *self.fit_tolerance)
        self.fit_line.set_data(self.x[keep], y_hat[keep])
        centres = -self.b[:m] / self.W[0, :m]
        self.centre_marks.set_data(centres, np.full(m, self.y_view[0] + 0.2))
        for j, (line, block) in enumerate(zip(self.unit_lines, self.building_blocks(activation))):
            self.restyle(line, data=block, visible=j < m)
        n = np.arange(1, self.max_units + 1)
        self.max_curve.set_data(n, data["max"])
        self.rms_curve.set_data(n, data["rms"])
        self.max_dot.set_data([m], [data["max"][m - 1]])
        self.rms_dot.set_data([m], [data["rms"][m - 1]])
        units = {"relu": "ReLU", "sigmoid": "sigmoid", "tanh": "tanh"}[activation]
        self.ax_fit.set_title(f"m = {m} {units} unit{'s' if m > 1 else ''}:  max error {data['max'][m - 1]:.3f},  "
                              f"RMS error {data['rms'][m - 1]:.3f}", fontsize=10)

    def static_controls(self):
        """The grid of the kernel-free version: every m (1 to 50) × the 3 activations × the 4 targets; the
        target varies fastest, so that the states that share their building blocks sit side by side."""
        c = self.controls
        return [grid_control(c["n_hidden"], name="n_hidden"), grid_control(c["activation"], name="activation"),
                grid_control(c["target"], name="target")]


def _simplify(x, y, tol_x, tol_y):
    """Which points of the polyline ``(x, y)`` to keep so that none of the others lies farther than
    ``(tol_x, tol_y)`` from the polyline through the kept ones (Ramer–Douglas–Peucker: keep the farthest point of
    a segment and split there, until every dropped point is within the tolerance); a boolean mask."""
    u, v = np.asarray(x, dtype=float) / tol_x, np.asarray(y, dtype=float) / tol_y
    keep = np.zeros(len(u), dtype=bool)
    keep[[0, -1]] = True
    segments = [(0, len(u) - 1)]
    while segments:
        a, b = segments.pop()
        if b - a < 2:
            continue
        du, dv = u[b] - u[a], v[b] - v[a]
        inner = slice(a + 1, b)
        distance = np.abs(du * (v[inner] - v[a]) - dv * (u[inner] - u[a])) / max(float(np.hypot(du, dv)), 1e-300)
        k = int(np.argmax(distance))
        if distance[k] > 1.0:
            keep[a + 1 + k] = True
            segments += [(a, a + 1 + k), (a + 1 + k, b)]
    return keep
