r"""Momentum on a quadratic (chapter 7): choose :math:`\kappa`, :math:`\eta`, :math:`\beta`; watch every eigen-mode.

A thin layer over :mod:`nnmath.momentum`: the left panel is the :math:`(\eta\mu_\max, \beta)` plane shaded by the
convergence factor :math:`\rho` (:func:`nnmath.plots.optimizers.draw_momentum_region`) with the current point
marked; the right panel the error :math:`|c_t|` of three eigen-modes (:func:`nnmath.momentum.mode_errors`), the
flattest, a middle one and the steepest, beside the best that plain gradient descent can do.
"""

from __future__ import annotations

import math

import ipywidgets as w
import numpy as np

from .. import momentum as hb
from ..descent import convergence_factor as gd_factor
from ..descent import optimal_lr as gd_optimal_lr
from ..plots import PALETTE, widget_figure
from ..plots.optimizers import draw_momentum_region, thin
from ._base import Playground
from ._blit import KeyedBlitMixin
from .static import StaticControl, grid_control

__all__ = ["MomentumQuadraticPlayground", "momentum_quadratic_playground", "KAPPAS", "METHOD_CHOICES", "LR_RANGE",
           "STEPS"]

#: The condition numbers offered.
KAPPAS = (10.0, 100.0, 1000.0)
#: The methods, as (label, name) pairs for the drop-down.
METHOD_CHOICES = [("heavy ball (Polyak)", "heavy_ball"), ("Nesterov", "nesterov")]
#: The learning-rate slider's range, in units of 1/μ_max, as powers of ten: 0.01 to about 4.
LR_RANGE = (-2.0, 0.6)
#: Steps shown on the right.
STEPS = 150
#: The momentum values of the kernel-free version.
STATIC_BETAS = (0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99)

_FLOOR, _CEILING = 1e-9, 1e3
_MODE_COLORS = (PALETTE["blue"], PALETTE["green"], PALETTE["vermillion"])


def _curvatures(kappa):
    """Three curvatures of the quadratic with μ_max = 1 and μ_min = 1/κ: the flattest, their geometric mean, the
    steepest."""
    return (1.0 / kappa, 1.0 / math.sqrt(kappa), 1.0)


class MomentumQuadraticPlayground(KeyedBlitMixin, Playground):
    r"""The heavy ball (or Nesterov's method) on a quadratic with curvatures :math:`\mu \in [1/\kappa, 1]`.

    Controls: the condition number :math:`\kappa`, the learning rate :math:`\eta` (in units of
    :math:`1/\mu_\max`, log slider), the momentum :math:`\beta` and the method. Every eigen-mode obeys
    :math:`c_t = a c_{t-1} - b c_{t-2}` (:func:`nnmath.momentum.mode_coefficients`); its convergence factor is the
    larger modulus of the roots of :math:`r^2 - ar + b`. The left map shows the worst mode's factor over the
    whole :math:`(\eta, \beta)` plane, the edge of convergence, the best tuning (star) and gradient descent's best
    (diamond); the dot is you. The right panel shows :math:`|c_t|` from :math:`c_0 = 1` at rest for three modes
    (complex roots make it swing through 0, the dips of the log plot), and dashed the error of plain gradient
    descent at its best learning rate, :math:`((\kappa - 1)/(\kappa + 1))^t`.
    """

    #: Draw each curve through fewer points (``nnmath.plots.optimizers.thin``): set for the static version,
    #: whose page carries every point of every state; the live view draws them all.
    thinning = False

    def __init__(self, kappa=100.0, lr=1.0, beta=0.5, method="heavy_ball"):
        description = {"style": {"description_width": "initial"}}
        controls = {
            "kappa": w.Dropdown(options=[(f"κ = {k:g}", k) for k in KAPPAS], value=float(kappa),
                                description="condition number", layout=w.Layout(width="240px"), **description),
            "lr": w.FloatLogSlider(value=lr, base=10, min=LR_RANGE[0], max=LR_RANGE[1], step=0.01,
                                   description="learning rate η·μ_max", readout_format=".3g",
                                   continuous_update=True, layout=w.Layout(width="360px"), **description),
            "beta": w.FloatSlider(value=beta, min=0.0, max=0.99, step=0.01, description="momentum β",
                                  readout_format=".2f", continuous_update=True, layout=w.Layout(width="300px"),
                                  **description),
            "method": w.Dropdown(options=METHOD_CHOICES, value=method, description="method",
                                 layout=w.Layout(width="240px"), **description),
        }
        fig, (self.ax_map, self.ax_modes) = widget_figure(2, width=10.2, height=4.3, width_ratios=[1, 1.05])
        super().__init__(fig, controls)
        self._regions = {}
        for kappa_ in KAPPAS:
            for _, name in METHOD_CHOICES:
                before = set(self.ax_map.get_children())
                draw_momentum_region(self.ax_map, kappa_, name, label=False)
                self._regions[kappa_, name] = list(set(self.ax_map.get_children()) - before)
        self.ax_map.text(0.97, 0.97, "diverges", transform=self.ax_map.transAxes, ha="right", va="top", fontsize=8,
                         color="#8a3b1a")
        self.point, = self.ax_map.plot([], [], "o", ms=9, color=PALETTE["yellow"], mec="black", mew=1.4, zorder=8)
        t = np.arange(STEPS + 1)
        self._t = t
        self.gd_lines = {}
        for kappa_ in KAPPAS:
            H = np.diag([1.0 / kappa_, 1.0])
            rho = gd_factor(gd_optimal_lr(H), H)
            self.gd_lines[kappa_], = self.ax_modes.plot(t, np.maximum(rho ** t, _FLOOR), "--", color="#555555",
                                                        lw=1.2, label="gradient descent at its best η")
        self.mode_lines = [self.ax_modes.plot([], [], color=c, lw=1.6)[0] for c in _MODE_COLORS]
        self.mode_texts = [self.ax_modes.text(0.98, 0.97 - 0.075 * i, "", transform=self.ax_modes.transAxes,
                                              ha="right", va="top", fontsize=8.5, color=c)
                           for i, c in enumerate(_MODE_COLORS)]
        self.verdict = self.ax_modes.text(0.02, 0.03, "", transform=self.ax_modes.transAxes, fontsize=9.5,
                                          bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="none", alpha=0.9))
        self.ax_modes.set(yscale="log", ylim=(_FLOOR, _CEILING), xlim=(0, STEPS), xlabel="step t",
                          ylabel=r"error of each eigen-mode $|c_t|$")
        self.ax_modes.legend(handles=[self.gd_lines[KAPPAS[0]]], loc="upper left", fontsize=8)
        # text is the costly part of a redraw (each glyph is rendered anew): the title, which changes only with
        # kappa and the method, belongs to the cached background
        self.dynamic = [self.point, *self.mode_lines, *self.mode_texts, self.verdict]

    # -- the numbers, from nnmath.momentum -------------------------------------------------------------
    @staticmethod
    def mode_curves(kappa, lr, beta, method, steps=STEPS):
        """:math:`|c_t|` of the three modes (flattest, middle, steepest) from :math:`c_0 = 1`: shape (3, steps + 1)."""
        return np.array([np.abs(hb.mode_errors(lr, beta, mu, steps, 1.0, method)) for mu in _curvatures(kappa)])

    def update(self, kappa, lr, beta, method):
        kappa = float(kappa)
        self.static_key = (kappa, method)
        for key, artists in self._regions.items():
            for artist in artists:
                artist.set_visible(key == (kappa, method))
        for key, line in self.gd_lines.items():
            line.set_visible(key == kappa)
        self.point.set_data([lr], [beta])
        curves = self.mode_curves(kappa, lr, beta, method)
        span = (STEPS, math.log10(_CEILING / _FLOOR))
        for line, text, mu, c in zip(self.mode_lines, self.mode_texts, _curvatures(kappa), curves):
            shown = np.clip(c, _FLOOR, _CEILING)
            keep = thin(np.column_stack([self._t, np.log10(shown)]), span) if self.thinning else slice(None)
            line.set_data(self._t[keep], shown[keep])
            rate = hb.mode_rate(lr, beta, mu, method)
            text.set_text(f"μ = {mu:.3g}: ρ = {rate:.3f}, {hb.mode_regime(lr, beta, mu, method)}")
        rho = hb.convergence_factor(lr, beta, np.array([1.0 / kappa, 1.0]), method)
        limit = hb.lr_limit(beta, 1.0, method)
        if rho >= 1.0:
            self.verdict.set_text(f"diverges: ρ = {rho:.3f} ≥ 1 (η·μ_max must stay below {limit:.3g})")
            self.verdict.set_color(PALETTE["vermillion"])
            self.verdict.set_fontweight("bold")
        else:
            steps = hb.steps_to_reduce(rho, 1e-6)
            self.verdict.set_text(f"ρ = {rho:.3f}: error × 10⁻⁶ in about {steps:,} steps")
            self.verdict.set_color("black")
            self.verdict.set_fontweight("normal")
        name = dict((v, k) for k, v in METHOD_CHOICES)[method]
        title = f"{name}, κ = {kappa:g}: the worst mode's factor ρ"
        if self.ax_map.get_title() != title:
            self.ax_map.set_title(title, fontsize=10)

    # -- the kernel-free version ------------------------------------------------------------------------
    def static_controls(self):
        """The grid of the kernel-free version: 3 condition numbers × 2 methods × 11 learning rates (a factor
        :math:`10^{1/4}` apart) × 8 momentum values (``STATIC_BETAS``)."""
        self.thinning = True
        c = self.controls
        beta = c["beta"].value
        initial = int(np.argmin([abs(b - beta) for b in STATIC_BETAS]))
        return [grid_control(c["kappa"], name="kappa"), grid_control(c["method"], name="method"),
                grid_control(c["lr"], name="lr", step=0.25),
                StaticControl("beta", c["beta"].description, list(STATIC_BETAS), [f"{b:.2f}" for b in STATIC_BETAS],
                              "range", initial)]

    def control_box(self):
        c = self.controls
        row = dict(flex_flow="row wrap", align_items="center")
        return w.VBox([w.HBox([c["kappa"], c["method"]], layout=w.Layout(**row)),
                       w.HBox([c["lr"], c["beta"]], layout=w.Layout(**row))])


def momentum_quadratic_playground(**initial):
    """Make the chapter 7 momentum-on-a-quadratic widget (see :class:`MomentumQuadraticPlayground`)."""
    return MomentumQuadraticPlayground(**initial)
