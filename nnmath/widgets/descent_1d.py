r"""Gradient descent in one variable (chapter 5), with the tangent line at every step.

.. math::
    \theta_{k+1} = \theta_k - \eta\, f'(\theta_k)

Left: the function, the iterates on it and the tangent :math:`t(\theta) = f(\theta_k) + f'(\theta_k)(\theta -
\theta_k)` at each; right: :math:`\theta_k` against :math:`k`, where convergence, oscillation and divergence
are plain to see.
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np
from matplotlib.ticker import MaxNLocator

from ..descent import contraction_factor, descend_1d, regime
from ..plots import PALETTE, widget_figure
from ..plots.descent import PATH_COLOR, tangent_pieces
from ..surfaces import FUNCTIONS_1D, get_function_1d
from ._base import Playground
from ._blit import KeyedBlitMixin

__all__ = ["Descent1DPlayground", "descent_1d_playground", "FUNCTION_CHOICES"]

#: The functions offered, as (label, name) pairs.
FUNCTION_CHOICES = [("parabola  θ²", "parabola"), ("double well  (θ² − 1)² + 0.3θ", "double_well")]


class Descent1DPlayground(KeyedBlitMixin, Playground):
    r"""Gradient descent on a function of one variable: learning rate, start and number of steps.

    The tangent pieces show the slope :math:`f'(\theta_k)` each step uses; the step is :math:`-\eta f'(\theta_k)`,
    long where the function is steep and short near a minimum. The right panel's title gives
    :math:`\eta L` and the regime of the parabola with the curvature :math:`L` of the minimum (for the
    parabola :math:`L = 2`, so :math:`2/L = 1`). A path that leaves :math:`|\theta| \le 1000` is cut and
    reported as diverged.
    """

    max_steps = 40
    max_abs = 1e3

    def __init__(self, function="parabola", lr=0.2, theta0=None, steps=8):
        fn = get_function_1d(function)
        style = {"style": {"description_width": "initial"}}
        controls = {
            "function": w.Dropdown(options=FUNCTION_CHOICES, value=fn.name, description="f",
                                   layout=w.Layout(width="300px")),
            "lr": w.FloatLogSlider(value=lr, base=10, min=-2, max=0.3, step=0.01, description="learning rate η",
                                   readout_format=".3g", continuous_update=True, layout=w.Layout(width="320px"),
                                   **style),
            "theta0": w.FloatSlider(value=fn.start if theta0 is None else theta0, min=fn.xlim[0], max=fn.xlim[1],
                                    step=0.05, description="start θ₀", readout_format=".2f",
                                    continuous_update=True, layout=w.Layout(width="280px"), **style),
            "steps": w.IntSlider(value=steps, min=1, max=self.max_steps, description="steps",
                                 continuous_update=True, layout=w.Layout(width="280px"), **style),
        }
        controls["function"].observe(self._on_function, names="value")
        fig, (self.ax, self.ax_t) = widget_figure(2, width=9.2, height=3.7, width_ratios=[1.2, 1])
        super().__init__(fig, controls)
        self.curve, = self.ax.plot([], [], color=PALETTE["blue"], lw=2)
        self.minimum_line = self.ax_t.axhline(0.0, color=PALETTE["grey"], ls="--", lw=1)
        self.tangents, = self.ax.plot([], [], color="black", lw=1.1)
        self.links, = self.ax.plot([], [], "-", color=PATH_COLOR, lw=0.8, alpha=0.7)
        self.dots, = self.ax.plot([], [], "o", color=PATH_COLOR, ms=5, zorder=4)
        self.start_dot, = self.ax.plot([], [], "o", color="black", ms=6, zorder=5)
        self.status = self.ax.text(0.03, 0.95, "", transform=self.ax.transAxes, va="top", fontsize=10, zorder=6,
                                   bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="none", alpha=0.9))
        self.iterates, = self.ax_t.plot([], [], "-o", color=PATH_COLOR, ms=4, lw=1.2)
        self.ax.set_xlabel(r"$\theta$")
        self.ax_t.set(xlabel="step $k$", ylabel=r"$\theta_k$")
        self.ax_t.xaxis.set_major_locator(MaxNLocator(integer=True))
        self.dynamic = [self.tangents, self.links, self.dots, self.start_dot, self.status, self.iterates,
                        self.ax_t.title]
        self._function = None
        self.path = None

    def _set_function(self, fn, steps):
        if fn.name != self._function:
            grid = np.linspace(*fn.xlim, 400)
            values = fn.f(grid)
            self.curve.set_data(grid, values)
            lo, hi = float(values.min()), float(values.max())
            self.ax.set(xlim=fn.xlim, ylim=(lo - 0.1 * (hi - lo), hi + 0.05 * (hi - lo)))
            self.ax.set_title(f"${fn.latex}$", fontsize=10)
            self.ax_t.set_ylim(*fn.xlim)
            self.minimum_line.set_ydata([fn.minimum, fn.minimum])
            self._function = fn.name
        # the axis ends at 5, 10, 20 or 40: most moves of the steps slider then keep the cached background
        self.ax_t.set_xlim(0, _axis_end(steps, (5, 10, 20, 40)))

    def update(self, function, lr, theta0, steps):
        fn = get_function_1d(function)
        steps = int(steps)
        self._set_function(fn, steps)
        self.static_key = (fn.name, _axis_end(steps, (5, 10, 20, 40)))
        path = descend_1d(fn, theta0, lr, steps, max_abs=self.max_abs)
        self.path = path
        tx, ty = tangent_pieces(fn, path.thetas, half_width=0.1 * (fn.xlim[1] - fn.xlim[0]))
        self.tangents.set_data(tx, ty)
        self.links.set_data(path.thetas, path.losses)
        self.dots.set_data(path.thetas, path.losses)
        self.start_dot.set_data([path.thetas[0]], [path.losses[0]])
        self.iterates.set_data(np.arange(len(path.thetas)), path.thetas)
        if path.diverged:
            self.status.set_text(f"diverged after {path.steps} step{'s' if path.steps != 1 else ''}")
        else:
            self.status.set_text(f"after {path.steps} step{'s' if path.steps != 1 else ''}: θ = {path.thetas[-1]:.4g}"
                                 .replace("-", "−"))
        self.status.set_color(PALETTE["vermillion"] if path.diverged else "black")
        self.status.set_fontweight("bold" if path.diverged else "normal")
        factor = contraction_factor(lr, fn.L)
        self.ax_t.set_title(f"ηL = {lr * fn.L:.3g}, 1 − ηL = {factor:.2f}: {regime(lr, fn.L)}".replace("-", "−"),
                            fontsize=10)

    def _on_function(self, change):
        fn = FUNCTIONS_1D[change["new"]]
        quiet, self._quiet = self._quiet, True
        try:
            control = self.controls["theta0"]
            if fn.xlim[0] > control.max:
                control.max, control.min = fn.xlim[1], fn.xlim[0]
            else:
                control.min, control.max = fn.xlim
            control.value = fn.start
        finally:
            self._quiet = quiet


def _axis_end(value, ends):
    """The first of ``ends`` at or above ``value`` (or ``value`` itself beyond the last)."""
    return next((end for end in ends if end >= value), value)


def descent_1d_playground(**initial):
    """Make the chapter 5 one-variable gradient descent widget (see :class:`Descent1DPlayground`)."""
    return Descent1DPlayground(**initial)
