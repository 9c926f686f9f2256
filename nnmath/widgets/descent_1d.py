r"""Gradient descent in one variable (chapter 5), with the tangent line at every step.

.. math::
    \theta_{t+1} = \theta_t - \eta\, f'(\theta_t)

Left: the function, the iterates on it and the tangent :math:`\tilde f_t(\theta) = f(\theta_t) + f'(\theta_t)(\theta -
\theta_t)` at each; right: :math:`\theta_t` against :math:`t`, where convergence, oscillation and divergence
are plain to see.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
from matplotlib.ticker import MaxNLocator

from ..descent import contraction_factor, descend_1d, regime, with_steps
from ..plots import PALETTE, widget_figure
from ..plots.descent import PATH_COLOR, tangent_pieces
from ..surfaces import FUNCTIONS_1D, get_function_1d
from ._base import Playground
from .controls import Choice, Slider

__all__ = ["Descent1DPlayground", "FUNCTION_CHOICES", "function_window", "step_axis_end"]

#: The functions offered, as (label, name) pairs.
FUNCTION_CHOICES = [("parabola  θ²", "parabola"), ("double well  (θ² − 1)² + 0.3θ", "double_well")]

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

    In the static book the page runs the same descent (``static_mode = "page"``, ``descent_1d.js``): a path is at
    most 40 steps of :math:`\theta_{t+1} = \theta_t - \eta f'(\theta_t)` with a polynomial :math:`f'`, which a
    few lines of script repeat at once, float for float as :func:`nnmath.descent.descend_1d` does, at every one of
    the 2 × 231 × 101 (or 77) × 40 positions of the controls — a grid could offer only a few of them. The
    background is one of 8 pictures: the function's curve and the step axis's end (``step_axis_end``).
    """

    max_steps = 40
    max_abs = 1e3
    title = "gradient descent in one variable"
    static_mode = "page"
    page_script = resources.files(__package__).joinpath("descent_1d.js").read_text(encoding="utf-8")

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
        box = dict(boxstyle="round,pad=0.3", fc="white", ec="none", alpha=0.9)
        self.status = self.ax.text(0.03, 0.95, "", transform=self.ax.transAxes, va="top", fontsize=10, zorder=6,
                                   bbox=box)
        # the status's style once the path has diverged, for the page to draw in (never shown here: empty)
        self._diverged_style = self.ax.text(0.03, 0.95, "", transform=self.ax.transAxes, va="top", fontsize=10,
                                            zorder=6, bbox=box, color=PALETTE["vermillion"], fontweight="bold")
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
            grid, values, ylim = function_window(fn)
            self.curve.set_data(grid, values)
            self.ax.set(xlim=fn.xlim, ylim=ylim)
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
        self.restyle(self.status, text=self.status_text(path),
                     color=PALETTE["vermillion"] if path.diverged else "black",
                     fontweight="bold" if path.diverged else "normal")
        title = self.title_text(fn, lr)
        if title != self.ax_t.get_title():  # an unchanged title keeps its recorded commands
            self.ax_t.set_title(title, fontsize=10)

    @staticmethod
    def status_text(path) -> str:
        """What the left panel says about the path: where it stands after its steps, or that it diverged."""
        steps_text = f"{path.steps} step{'s' if path.steps != 1 else ''}"
        if path.diverged:
            return f"diverged after {steps_text}"
        return f"after {steps_text}: θ = {path.thetas[-1]:.4g}".replace("-", "−")

    @staticmethod
    def title_text(fn, lr) -> str:
        r"""The right panel's title: :math:`\eta\mu`, the factor :math:`1 - \eta\mu` and the parabola's regime."""
        factor = contraction_factor(lr, fn.mu_max)
        return f"ημ = {lr * fn.mu_max:.3g}, 1 − ημ = {factor:.2f}: {regime(lr, fn.mu_max)}".replace("-", "−")

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
    def numbers(self, function, lr, theta0, steps) -> dict:
        """Every number the figure shows for these controls, computed by ``nnmath`` (the page computes the same):
        ``thetas`` and ``losses``, the path of :func:`nnmath.descent.descend_1d`; ``tangents``, the ends of each
        tangent piece as rows ``(θ − w, θ + w, f̃(θ − w), f̃(θ + w))`` (``nnmath.plots.descent.tangent_pieces``);
        ``diverged``, ``status`` and ``title``; ``background``, the picture behind them."""
        fn = get_function_1d(function)
        path = descend_1d(fn, theta0, lr, int(steps), max_abs=self.max_abs)
        tx, ty = tangent_pieces(fn, path.thetas, half_width=0.1 * (fn.xlim[1] - fn.xlim[0]))
        tangents = np.column_stack([tx[0::3], tx[1::3], ty[0::3], ty[1::3]])
        return {"thetas": path.thetas, "losses": path.losses, "tangents": tangents, "diverged": bool(path.diverged),
                "status": self.status_text(path), "title": self.title_text(fn, lr),
                "background": [name for _, name in FUNCTION_CHOICES].index(fn.name) * len(STEP_AXIS_ENDS)
                + STEP_AXIS_ENDS.index(step_axis_end(steps))}

    def static_page(self) -> dict:
        """The page's equation (``descent_1d.js``) and what it draws with: the two axes (whose ranges follow the
        function and the number of steps), the moving artists' styles, one background per (function, step axis
        end), and each function's constants."""
        functions = {}
        for _, name in FUNCTION_CHOICES:
            fn = get_function_1d(name)
            functions[name] = {"xlim": [float(v) for v in fn.xlim], "ylim": [float(v) for v in function_window(fn)[2]],
                               "minimum": float(fn.minimum), "mu_max": float(fn.mu_max), "start": float(fn.start)}
        return {"equation": "descent_1d", "axes": {"f": self.ax, "t": self.ax_t},
                "templates": {"tangents": self.tangents, "links": self.links, "dots": self.dots,
                              "start_dot": self.start_dot, "iterates": self.iterates, "status": self.status,
                              "status_diverged": self._diverged_style, "title": self.ax_t.title},
                "backgrounds": [{"function": name, "theta0": functions[name]["start"], "steps": end}
                                for _, name in FUNCTION_CHOICES for end in STEP_AXIS_ENDS],
                "data": {"functions": functions, "names": [name for _, name in FUNCTION_CHOICES],
                         "ends": list(STEP_AXIS_ENDS), "max_abs": self.max_abs}}


def function_window(fn) -> tuple:
    """The curve of the left panel, ``(grid, values, ylim)``: 400 points across the function's window and a
    vertical range with a margin below (for the tangents) and above."""
    grid = np.linspace(*fn.xlim, 400)
    values = fn.f(grid)
    lo, hi = float(values.min()), float(values.max())
    return grid, values, (lo - 0.1 * (hi - lo), hi + 0.05 * (hi - lo))


def step_axis_end(steps) -> int:
    """Where the step axis of the right panel ends for this many steps (see :data:`STEP_AXIS_ENDS`)."""
    return next((end for end in STEP_AXIS_ENDS if end >= steps), int(steps))
