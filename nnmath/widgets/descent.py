r"""The gradient descent widget (chapter 5): pick a surface, a learning rate, a start and a number of steps.

The left panel shows the contours of the surface with the path of plain gradient descent,

.. math::
    \boldsymbol\theta_{t+1} = \boldsymbol\theta_t - \eta\, \nabla f(\boldsymbol\theta_t),

computed by :func:`nnmath.descent.descend`; the right panel the loss at each step on a log scale; the strip
below marks the learning rate against :math:`1/\mu_{\max}` and :math:`2/\mu_{\max}` of the surface. A slider
move recomputes the path and redraws only the path, the loss curve and the labels over a cached picture of the
rest (the contours are drawn again only when the surface or the number of steps changes).
"""

from __future__ import annotations

import math
import time

import numpy as np

from ..descent import descend, with_steps
from ..plots import PALETTE, widget_figure
from ..plots.descent import PATH_COLOR, draw_surface, loss_gap, minimum_value, outcome
from ..surfaces import SURFACES, get_surface
from ._base import Playground
from .controls import Choice, Slider
from .static import StaticControl, grid_control

__all__ = ["DescentPlayground", "SURFACE_CHOICES", "LR_RANGE", "STEP_AXIS_ENDS", "step_axis_end"]

#: The surfaces offered, as (label, name) pairs for the dropdown.
SURFACE_CHOICES = [
    ("round bowl  x² + y²", "bowl"),
    ("elongated bowl  x² + 10y²", "elongated_bowl"),
    ("Rosenbrock's valley", "rosenbrock"),
    ("two minima", "two_minima"),
    ("saddle  x² − y²", "saddle"),
]
#: The learning-rate slider's range, as powers of ten: from 1e-4 to about 3.2.
LR_RANGE = (-4.0, 0.5)

#: The loss panel's step axis ends at the first of these at or above the number of steps, so that moving the
#: steps slider rarely changes the axis (which redraws the cached background).
STEP_AXIS_ENDS = (10, 20, 50, 100, 200, 300)

_ZONES = (("smooth", PALETTE["green"]), ("oscillates", PALETTE["orange"]), ("diverges", PALETTE["vermillion"]))


def _regime_note(surface) -> str:
    if surface.name in ("bowl", "elongated_bowl"):
        return "a quadratic: these regimes hold everywhere"
    if surface.name == "saddle":
        return "along x; along y the saddle pushes every path away"
    return "regimes near the minimum (μ_max = largest curvature there)"


class DescentPlayground(Playground):
    r"""Plain gradient descent on a 2-D test surface, live: the path on the contours and the loss per step.

    Controls: the surface (one of ``nnmath.surfaces.SURFACES``), the learning rate :math:`\eta` on a log slider,
    the start point :math:`(x_0, y_0)` (its sliders span the surface's window and jump to the surface's
    suggested start when the surface changes) and the number of steps.

    The loss panel shows :math:`f(\boldsymbol\theta_t) - f^*` on a log axis, :math:`f^*` the lowest minimum
    (values below ``nnmath.plots.descent.LOSS_FLOOR`` = :math:`10^{-16}` are drawn at it); for the saddle, which has no
    minimum, :math:`f(\boldsymbol\theta_t)` on a symmetric log axis. The strip at the bottom places
    :math:`\eta` among the regimes of :math:`\tfrac12 \mu_{\max}\theta^2`: smooth below :math:`1/\mu_{\max}`,
    oscillating up to :math:`2/\mu_{\max}`, diverging beyond, with :math:`\mu_{\max}` the surface's largest Hessian
    eigenvalue (at the minimum, for the surfaces that are not quadratic). A path that leaves
    :math:`\lVert\boldsymbol\theta\rVert \le 1000` is cut there and reported as "diverged after t steps".

    In the static book the states are precomputed on a grid (``static_mode = "grid"``, :meth:`static_controls`):
    5 surfaces × 36 learning rates × 3 starts × 3 step counts. A path is an iteration that the page would have to
    reproduce step by step, with each surface's gradient; 1,620 states of a few polylines each are about 0.6 MB
    once gzipped, and every one of them is computed by ``nnmath.descent.descend`` itself.
    """

    max_steps = 300
    title = "gradient descent on a surface"
    static_mode = "grid"

    def __init__(self, surface="elongated_bowl", lr=0.08, start=None, steps=50):
        s = get_surface(surface)
        x0, y0 = s.start if start is None else start
        controls = {
            "surface": Choice("surface", s.name, SURFACE_CHOICES),
            "lr": Slider("learning rate η", lr, 10 ** LR_RANGE[0], 10 ** LR_RANGE[1], 0.01, log=True, fmt=".3g"),
            "x0": Slider("start x₀", x0, *s.xlim, 0.05),
            "y0": Slider("start y₀", y0, *s.ylim, 0.05),
            "steps": Slider("steps", steps, 1, self.max_steps, 1, integer=True),
        }

        fig = widget_figure(width=9.6, height=4.9)[0]
        gs = fig.add_gridspec(2, 2, height_ratios=[1, 0.08], width_ratios=[1.3, 1])
        fig.delaxes(fig.axes[0])
        self.ax = fig.add_subplot(gs[0, 0])
        self.ax_loss = fig.add_subplot(gs[0, 1])
        self.ax_eta = fig.add_subplot(gs[1, :])
        super().__init__(fig, controls)

        self.path_line, = self.ax.plot([], [], "-o", color=PATH_COLOR, lw=1.5, ms=3.2, mec="white", mew=0.4,
                                       zorder=6)
        self.start_dot, = self.ax.plot([], [], "o", color="black", mec="white", ms=7, zorder=7)
        self.end_dot, = self.ax.plot([], [], "o", color=PATH_COLOR, mec="black", ms=7, zorder=7)
        self.status = self.ax.text(0.03, 0.04, "", transform=self.ax.transAxes, fontsize=10, zorder=8,
                                   bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="none", alpha=0.9))
        self.loss_line, = self.ax_loss.plot([], [], "-", color=PATH_COLOR, lw=1.8)
        self.loss_end, = self.ax_loss.plot([], [], "o", color=PATH_COLOR, ms=5)
        self.eta_mark, = self.ax_eta.plot([], [], color="black", lw=3, solid_capstyle="butt", zorder=5)
        self.ax_loss.set(xlabel="step $t$")
        self.ax_loss.set_title("the loss at each step", fontsize=10)
        self.ax_eta.set(xscale="log", xlim=(10 ** LR_RANGE[0], 10 ** LR_RANGE[1]), ylim=(0, 1), yticks=[])
        self.ax_eta.tick_params(labelsize=8)
        for spine in ("left", "right", "top"):
            self.ax_eta.spines[spine].set_visible(False)
        # the only text that moves is the status: each string costs about 2 ms to draw
        self.dynamic = [self.path_line, self.start_dot, self.end_dot, self.status, self.loss_line, self.loss_end,
                        self.eta_mark]
        self._background_artists: list = []
        self._surface_name = None
        self._steps_drawn = None
        self.trajectory = None
        self._run = None
        self.compute_time = 0.0

    # -- the static part: redrawn only when the surface or the number of steps changes -----------------
    def _draw_background(self, surface, steps):
        if surface.name != self._surface_name:
            for artist in self._background_artists:
                artist.remove()
            before = set(self.ax.get_children()) | set(self.ax_eta.get_children())
            draw_surface(self.ax, surface, n=200, levels=14)
            self._draw_zones(surface)
            after = set(self.ax.get_children()) | set(self.ax_eta.get_children())
            self._background_artists = list(after - before)
            self.ax.set_title(f"${surface.latex}$", fontsize=10)
            self._set_loss_scale(surface)
            self._surface_name = surface.name
        end = step_axis_end(steps)
        if end != self._steps_drawn:
            self.ax_loss.set_xlim(0, end)
            self._steps_drawn = end

    def _draw_zones(self, surface):
        lo, hi = 10 ** LR_RANGE[0], 10 ** LR_RANGE[1]
        edges = [lo, 1.0 / surface.mu_max, 2.0 / surface.mu_max, hi]
        ax = self.ax_eta
        for (name, color), a, b in zip(_ZONES, edges[:-1], edges[1:]):
            if b > lo and a < hi:
                ax.axvspan(max(a, lo), min(b, hi), color=color, alpha=0.35, lw=0)
                middle = math.sqrt(max(a, lo) * min(b, hi))
                ax.text(middle, 0.5, name, ha="center", va="center", fontsize=8)
        for value, text, align in ((1.0 / surface.mu_max, "1/μ_max = ", "right"),
                                   (2.0 / surface.mu_max, " 2/μ_max = ", "left")):
            if lo < value < hi:
                ax.axvline(value, color="black", lw=1)
                ax.text(value, 1.1, f"{text}{value:.3g}" if align == "left" else f"{text}{value:.3g} ", ha=align,
                        va="bottom", fontsize=8.5)
        ax.set_xlabel(f"learning rate η (log scale); {_regime_note(surface)}", fontsize=9, labelpad=1)

    def _set_loss_scale(self, surface):
        ax = self.ax_loss
        f_star = minimum_value(surface)
        X, Y, Z = surface.grid(60)
        if f_star is None:
            ax.set_yscale("symlog", linthresh=1.0)
            ax.set_ylim(-1e7, 10.0 ** math.ceil(math.log10(Z.max()) + 1))
            ax.set_ylabel(r"$f(\theta_t)$ (symmetric log scale)")
        else:
            ax.set_yscale("log")
            top = 10.0 ** math.ceil(math.log10(float((Z - f_star).max())) + 1)
            ax.set_ylim(1e-14, top)
            ax.set_ylabel(r"$f(\theta_t) - f^*$ (log scale)")

    # -- the moving part -------------------------------------------------------------------------------
    def update(self, surface, lr, x0, y0, steps):
        s = get_surface(surface)
        steps = int(steps)
        self._draw_background(s, steps)
        self.static_key = (s.name, step_axis_end(steps))
        t0 = time.perf_counter()
        path = self._descend(s, (x0, y0), lr, steps)
        self.compute_time = time.perf_counter() - t0
        self.trajectory = path
        pts = path.points
        self.restyle(self.path_line, data=(pts[:, 0], pts[:, 1]))
        self.restyle(self.start_dot, data=([pts[0, 0]], [pts[0, 1]]))
        self.restyle(self.end_dot, data=([pts[-1, 0]], [pts[-1, 1]]))
        losses = loss_gap(s, path.losses)
        k = np.arange(len(losses))
        self.loss_line.set_data(k, losses)
        self.loss_end.set_data([k[-1]], [losses[-1]])
        self.restyle(self.status, text=outcome(path, s), color=PALETTE["vermillion"] if path.diverged else "black",
                     fontweight="bold" if path.diverged else "normal")
        self.eta_mark.set_data([lr, lr], [0.0, 1.0])

    def _descend(self, surface, start, lr, steps):
        """``descend(surface, start, lr=lr, steps=steps)``, cut from or carried on from the last run when only
        the number of steps changed (:func:`nnmath.descent.with_steps`: the same run, float for float)."""
        key = (surface.name, float(start[0]), float(start[1]), float(lr))
        run = self._run
        if run is not None and run[0] == key:
            path = with_steps(run[2], steps, lambda end, k: descend(surface, end, lr=lr, steps=k))
        else:
            path = descend(surface, start, lr=lr, steps=steps)
        if run is None or run[0] != key or steps > run[1]:
            self._run = (key, steps, path)  # the longest run of these settings so far, and its budget
        return path

    def labels(self, surface, lr, **_):
        """The learning rate as a multiple of 2/μ_max, which depends on the surface."""
        s = get_surface(surface)
        return {"lr": f"{lr:.3g} = {lr / s.lr_limit:.2f} × 2/μ_max"}

    def adjust(self, name, values):
        """A new surface: the start sliders span its window and jump to its suggested start."""
        if name == "surface":
            s = SURFACES[values["surface"]]
            for key, lim, start in (("x0", s.xlim, s.start[0]), ("y0", s.ylim, s.start[1])):
                self.controls[key].set_range(*lim, start)
                values[key] = self.controls[key].value
        return values

    # -- the kernel-free version (nnmath.widgets.static) ------------------------------------------------
    #: Number of steps offered by the kernel-free version (one loss-axis end each).
    static_steps = (20, 50, 100)

    def static_controls(self):
        """The grid of the kernel-free version: 5 surfaces × 36 learning rates (a factor 10^0.125 apart, the
        slider's value among them) × 3 start points (:meth:`static_starts`) × 3 numbers of steps."""
        c = self.controls
        return [grid_control(c["surface"], name="surface"),
                grid_control(c["lr"], c["lr"].grid(step=0.125), name="lr"),
                StaticControl("start", "start (x₀, y₀)", [0, 1, 2], ["suggested", "mirrored in x", "mirrored in y"],
                              "range", 0),
                grid_control(c["steps"], self.static_steps, name="steps")]

    @staticmethod
    def static_starts(surface) -> list:
        """Three start points on a surface: its suggested start, and that start mirrored in x and in y (kept
        inside the window)."""
        s = get_surface(surface)
        x, y = s.start

        def inside(v, lim):  # at least a tenth of the window from its edges
            margin = 0.1 * (lim[1] - lim[0])
            return float(np.clip(v, lim[0] + margin, lim[1] - margin))

        return [(x, y), (inside(-x, s.xlim), y), (x, inside(-y, s.ylim))]

    def static_values(self, chosen):
        x0, y0 = self.static_starts(chosen["surface"])[chosen["start"]]
        return {"surface": chosen["surface"], "lr": chosen["lr"], "x0": x0, "y0": y0, "steps": chosen["steps"]}

    def static_labels(self, chosen):
        """The learning rate as a multiple of 2/μ_max and the start's coordinates, which depend on the surface."""
        x0, y0 = self.static_starts(chosen["surface"])[chosen["start"]]
        return {**self.labels(chosen["surface"], chosen["lr"]), "start": f"({x0:.2f}, {y0:.2f})"}


def step_axis_end(steps) -> int:
    """Where the loss panel's step axis ends for this many steps (see :data:`STEP_AXIS_ENDS`)."""
    return next((end for end in STEP_AXIS_ENDS if end >= steps), int(steps))
