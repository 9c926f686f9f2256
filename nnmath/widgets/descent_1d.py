r"""Gradient descent in one variable (chapter 5), with the tangent line at every step.

.. math::
    \theta_{t+1} = \theta_t - \eta\, f'(\theta_t)

Left: the function, the iterates on it and the tangent :math:`\tilde f_t(\theta) = f(\theta_t) + f'(\theta_t)(\theta -
\theta_t)` at each; right: :math:`\theta_t` against :math:`t`, where convergence, oscillation and divergence
are plain to see.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from ..descent import contraction_factor, descend_1d, regime, with_steps
from ..plots import PALETTE, widget_figure
from ..plots.descent import PATH_COLOR, tangent_pieces
from ..surfaces import FUNCTIONS_1D, get_function_1d
from ._base import Playground
from .controls import Choice, Slider
from .static import StaticControl, grid_control

__all__ = ["Descent1DPlayground", "FUNCTION_CHOICES", "STATIC_LEARNING_RATES", "STATIC_STEPS"]

#: The functions offered, as (label, name) pairs.
FUNCTION_CHOICES = [("parabola  θ²", "parabola"), ("double well  (θ² − 1)² + 0.3θ", "double_well")]

#: The learning rates of the kernel-free version: dense where the regimes change (1/μ and 2/μ are 0.5 and 1 on
#: the parabola, about 0.11 and 0.22 at the double well's lower minimum), with the values the chapter names.
STATIC_LEARNING_RATES = (0.01, 0.02, 0.05, 0.1, 0.12, 0.15, 0.2, 0.22, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8, 0.95, 1.0,
                         1.05, 1.25, 10 ** 0.3)
#: The numbers of steps of the kernel-free version (the step axis ends at 5, 10, 20 or 40).
STATIC_STEPS = (1, 3, 8, 20, 40)
#: The step axis ends at the first of these at or above the number of steps: most moves keep the background.
STEP_AXIS_ENDS = (5, 10, 20, 40)


class Descent1DPlayground(Playground):
    r"""Gradient descent on a function of one variable: learning rate, start and number of steps.

    The tangent pieces show the slope :math:`f'(\theta_t)` each step uses; the step is :math:`-\eta f'(\theta_t)`,
    long where the function is steep and short near a minimum. The right panel's title gives
    :math:`\eta\mu` and the regime of the parabola with the curvature :math:`\mu` of the minimum (for the
    parabola :math:`\mu = 2`, so :math:`2/\mu = 1`). A path that leaves :math:`|\theta| \le 1000` is cut and
    reported as diverged. The start slider spans the chosen function's window and jumps to its suggested start
    when the function changes (:meth:`adjust`).

    In the static book the states are precomputed on a grid (``static_mode = "grid"``, :meth:`static_controls`):
    2 functions × 19 learning rates × 9 starts × 5 step counts, 1,710 states of a few short polylines each
    (about 0.3 MB in the page). A path is an iteration (on the double well each step's slope is a cubic's), so
    the page would have to repeat it step by step; precomputed, every state is ``nnmath.descent.descend_1d``
    itself. The learning rates are dense where the regimes change and include every value the chapter names.
    """

    max_steps = 40
    max_abs = 1e3
    title = "gradient descent in one variable"
    static_mode = "grid"

    def __init__(self, function="parabola", lr=0.2, theta0=None, steps=8):
        fn = get_function_1d(function)
        controls = {
            "function": Choice("f", fn.name, FUNCTION_CHOICES),
            "lr": Slider("learning rate η", lr, 10 ** -2, 10 ** 0.3, 0.01, log=True, fmt=".3g"),
            "theta0": Slider("start θ₀", fn.start if theta0 is None else theta0, *fn.xlim, 0.05),
            "steps": Slider("steps", steps, 1, self.max_steps, 1, integer=True),
        }
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
        self.ax_t.set(xlabel="step $t$", ylabel=r"$\theta_t$")
        self.ax_t.xaxis.set_major_locator(MaxNLocator(integer=True))
        self.dynamic = [self.tangents, self.links, self.dots, self.start_dot, self.status, self.iterates,
                        self.ax_t.title]
        self._function = None
        self.path = None
        self._run = None

    def _set_function(self, fn, steps):
        """The unchanging part: the curve, its window and minimum (per function) and the step axis's end."""
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
        self.ax_t.set_xlim(0, step_axis_end(steps))

    def update(self, function, lr, theta0, steps):
        fn = get_function_1d(function)
        steps = int(steps)
        self._set_function(fn, steps)
        self.static_key = (fn.name, step_axis_end(steps))
        path = self._descend(fn, theta0, lr, steps)
        self.path = path
        tx, ty = tangent_pieces(fn, path.thetas, half_width=0.1 * (fn.xlim[1] - fn.xlim[0]))
        self.restyle(self.tangents, data=(tx, ty))
        self.restyle(self.links, data=(path.thetas, path.losses))
        self.restyle(self.dots, data=(path.thetas, path.losses))
        self.restyle(self.start_dot, data=([path.thetas[0]], [path.losses[0]]))
        self.restyle(self.iterates, data=(np.arange(len(path.thetas)), path.thetas))
        steps_text = f"{path.steps} step{'s' if path.steps != 1 else ''}"
        if path.diverged:
            status = f"diverged after {steps_text}"
        else:
            status = f"after {steps_text}: θ = {path.thetas[-1]:.4g}".replace("-", "−")
        self.restyle(self.status, text=status, color=PALETTE["vermillion"] if path.diverged else "black",
                     fontweight="bold" if path.diverged else "normal")
        factor = contraction_factor(lr, fn.mu_max)
        title = f"ημ = {lr * fn.mu_max:.3g}, 1 − ημ = {factor:.2f}: {regime(lr, fn.mu_max)}".replace("-", "−")
        if title != self.ax_t.get_title():  # an unchanged title keeps its recorded commands
            self.ax_t.set_title(title, fontsize=10)

    def _descend(self, fn, theta0, lr, steps):
        """``descend_1d(fn, theta0, lr, steps)``, cut from or carried on from the last run when only the number of
        steps changed (:func:`nnmath.descent.with_steps`: the same run, float for float)."""
        key = (fn.name, float(theta0), float(lr))
        run = self._run
        if run is not None and run[0] == key:
            path = with_steps(run[2], steps, lambda end, k: descend_1d(fn, end, lr, k, max_abs=self.max_abs))
        else:
            path = descend_1d(fn, theta0, lr, steps, max_abs=self.max_abs)
        if run is None or run[0] != key or steps > run[1]:
            self._run = (key, steps, path)  # the longest run of these settings so far, and its budget
        return path

    def adjust(self, name, values):
        """A new function: the start slider spans its window and jumps to its suggested start."""
        if name == "function":
            fn = FUNCTIONS_1D[values["function"]]
            self.controls["theta0"].set_range(*fn.xlim, fn.start)
            values["theta0"] = self.controls["theta0"].value
        return values

    # -- the kernel-free version (nnmath.widgets.static) ------------------------------------------------
    def static_controls(self):
        """The grid of the kernel-free version: 2 functions × ``STATIC_LEARNING_RATES`` × 9 starts
        (:meth:`static_starts`) × ``STATIC_STEPS``."""
        c = self.controls
        starts = self.static_starts(c["function"].value)
        here = int(np.argmin([abs(t - c["theta0"].value) for t in starts]))
        return [grid_control(c["function"], name="function"),
                grid_control(c["lr"], STATIC_LEARNING_RATES, name="lr"),
                StaticControl("start", c["theta0"].label, list(range(len(starts))),
                              [c["theta0"].text(t) for t in starts], "range", here),
                grid_control(c["steps"], STATIC_STEPS, name="steps")]

    @staticmethod
    def static_starts(function) -> list:
        """Nine starts across a function's window, its suggested start among them: on the parabola −2 to 2 in
        steps of 0.5, on the double well −1.6 to 1.6 in steps of 0.4 (0 and 0.4 lie on either side of the hump
        at 0.08)."""
        fn = get_function_1d(function)
        step = 0.5 if fn.name == "parabola" else 0.4
        return [round(step * (k - 4), 10) + 0.0 for k in range(9)]

    def static_values(self, chosen):
        theta0 = self.static_starts(chosen["function"])[chosen["start"]]
        return {"function": chosen["function"], "lr": chosen["lr"], "theta0": theta0, "steps": chosen["steps"]}

    def static_labels(self, chosen):
        """The start's value, which depends on the function."""
        theta0 = self.static_starts(chosen["function"])[chosen["start"]]
        return {"start": self.controls["theta0"].text(theta0)}


def step_axis_end(steps) -> int:
    """Where the step axis of the right panel ends for this many steps (see :data:`STEP_AXIS_ENDS`)."""
    return next((end for end in STEP_AXIS_ENDS if end >= steps), int(steps))
