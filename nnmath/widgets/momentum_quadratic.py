r"""Momentum on a quadratic (chapter 7): choose :math:`\kappa`, :math:`\eta`, :math:`\beta`; watch every eigen-mode.

A thin layer over :mod:`nnmath.momentum`: the left panel is the :math:`(\eta\mu_{\max}, \beta)` plane shaded by the
convergence factor :math:`\rho` (:func:`nnmath.plots.optimizers.draw_momentum_region`) with the current point
marked; the right panel the error :math:`|c_t|` of three eigen-modes (:func:`nnmath.momentum.mode_errors`), the
flattest, a middle one and the steepest, beside the best that plain gradient descent can do.
"""

from __future__ import annotations

import math
from importlib import resources

import numpy as np

from .. import momentum as hb
from ..descent import convergence_factor as gd_factor
from ..descent import optimal_lr as gd_optimal_lr
from ..plots import PALETTE, widget_figure
from ..plots.optimizers import draw_momentum_region
from ._base import Playground
from .controls import Choice, Slider

__all__ = ["MomentumQuadraticPlayground", "KAPPAS", "METHOD_CHOICES", "LR_RANGE", "STEPS", "curvatures"]

#: The condition numbers offered.
KAPPAS = (10.0, 100.0, 1000.0)
#: The methods, as (label, name) pairs for the drop-down.
METHOD_CHOICES = [("heavy ball (Polyak)", "heavy_ball"), ("Nesterov", "nesterov")]
#: The learning-rate slider's range, in units of 1/μ_max: 0.01 to about 4 (10^-2 to 10^0.6).
LR_RANGE = (1e-2, 10**0.6)
#: Steps shown on the right.
STEPS = 150
#: The right panel's vertical range: errors below the floor are drawn at it, above the ceiling at it.
FLOOR, CEILING = 1e-9, 1e3
#: How small the verdict asks the error to become.
TARGET = 1e-6

_MODE_COLORS = (PALETTE["blue"], PALETTE["green"], PALETTE["vermillion"])


def curvatures(kappa) -> tuple:
    r"""Three curvatures of the quadratic with :math:`\mu_{\max} = 1` and :math:`\mu_{\min} = 1/\kappa`: the
    flattest, their geometric mean :math:`1/\sqrt\kappa`, the steepest."""
    return (1.0 / kappa, 1.0 / math.sqrt(kappa), 1.0)


class MomentumQuadraticPlayground(Playground):
    r"""The heavy ball (or Nesterov's method) on a quadratic with curvatures :math:`\mu \in [1/\kappa, 1]`.

    Controls: the condition number :math:`\kappa`, the learning rate :math:`\eta` (in units of
    :math:`1/\mu_{\max}`, log slider), the momentum :math:`\beta` and the method. Every eigen-mode obeys
    :math:`c_t = (\operatorname{tr}M)\,c_{t-1} - (\det M)\,c_{t-2}` (:func:`nnmath.momentum.mode_coefficients`);
    its convergence factor is the larger modulus of the roots of :math:`r^2 - (\operatorname{tr}M)\,r + \det M`.
    The left map shows the worst mode's factor over the whole :math:`(\eta, \beta)` plane, the edge of convergence,
    the best tuning (star) and gradient descent's best (diamond); the dot is you. The right panel shows
    :math:`|c_t|` from :math:`c_0 = 1` at rest for three modes (complex roots make it swing through 0, the dips of
    the log plot), and dashed the error of plain gradient descent at its best learning rate,
    :math:`((\kappa - 1)/(\kappa + 1))^t`. The verdict gives the worst factor :math:`\rho` and the steps it needs
    to shrink the error :math:`10^6` times (:func:`nnmath.momentum.steps_to_reduce`), or, in bold red, "diverged"
    (the worst mode grows).

    In the static book the page evaluates the same analysis (``static_mode = "page"``, ``momentum_quadratic.js``):
    the figure is a closed form of its controls — three recurrences of order two, their roots, a few formulas —
    which a few lines of script compute at once, at every one of the 261 × 100 positions of the two sliders for
    each of the 3 × 2 choices (a grid could offer only a few of them). The map of each :math:`(\kappa,
    \text{method})` pair is one of 6 pictures of the rest of the figure.
    """

    title = "momentum on a quadratic"
    static_mode = "page"
    page_script = resources.files(__package__).joinpath("momentum_quadratic.js").read_text(encoding="utf-8")

    def __init__(self, kappa=100.0, lr=1.0, beta=0.5, method="heavy_ball"):
        controls = {
            "kappa": Choice("condition number", float(kappa), [(f"κ = {k:g}", k) for k in KAPPAS]),
            "lr": Slider("learning rate η·μ_max", lr, *LR_RANGE, 0.01, log=True, fmt=".3g"),
            "beta": Slider("momentum β", beta, 0.0, 0.99, 0.01, fmt=".2f"),
            "method": Choice("method", method, METHOD_CHOICES),
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
        self.t = np.arange(STEPS + 1)
        self.gd_lines = {}
        for kappa_ in KAPPAS:
            H = np.diag([1.0 / kappa_, 1.0])
            rho = gd_factor(gd_optimal_lr(H), H)
            self.gd_lines[kappa_], = self.ax_modes.plot(self.t, np.maximum(rho ** self.t, FLOOR), "--",
                                                        color="#555555", lw=1.2,
                                                        label="gradient descent at its best η")
        self.mode_lines = [self.ax_modes.plot([], [], color=c, lw=1.6)[0] for c in _MODE_COLORS]
        self.mode_texts = [self.ax_modes.text(0.98, 0.97 - 0.075 * i, "", transform=self.ax_modes.transAxes,
                                              ha="right", va="top", fontsize=8.5, color=c)
                           for i, c in enumerate(_MODE_COLORS)]
        box = dict(boxstyle="round,pad=0.3", fc="white", ec="none", alpha=0.9)
        # the verdict in two styles, one of them empty: plain when the method converges, red and bold when not
        self.verdict = self.ax_modes.text(0.02, 0.03, "", transform=self.ax_modes.transAxes, fontsize=9.5, bbox=box)
        self.verdict_diverges = self.ax_modes.text(0.02, 0.03, "", transform=self.ax_modes.transAxes, fontsize=9.5,
                                                   bbox=box, color=PALETTE["vermillion"], fontweight="bold")
        self.ax_modes.set(yscale="log", ylim=(FLOOR, CEILING), xlim=(0, STEPS), xlabel="step t",
                          ylabel=r"error of each eigen-mode $|c_t|$")
        self.ax_modes.legend(handles=[self.gd_lines[KAPPAS[0]]], loc="upper left", fontsize=8)
        # text is the costly part of a redraw (each glyph is rendered anew): the title, which changes only with
        # kappa and the method, belongs to the background
        self.dynamic = [self.point, *self.mode_lines, *self.mode_texts, self.verdict, self.verdict_diverges]

    # -- the numbers, from nnmath.momentum -------------------------------------------------------------
    @staticmethod
    def mode_curves(kappa, lr, beta, method, steps=STEPS):
        """:math:`|c_t|` of the three modes (flattest, middle, steepest) from :math:`c_0 = 1`: shape (3, steps + 1)."""
        return np.array([np.abs(hb.mode_errors(lr, beta, mu, steps, 1.0, method)) for mu in curvatures(kappa)])

    def numbers(self, kappa, lr, beta, method) -> dict:
        r"""Every number the figure shows for these controls, computed by ``nnmath.momentum`` (the page computes the
        same): ``modes``, :math:`|c_t|` of the three modes clipped to the panel's range, shape (3, 151); ``rates``
        and ``mode_texts``, each mode's factor and regime; ``rho``, the worst factor over :math:`\mu \in
        [1/\kappa, 1]`; ``limit``, the edge :math:`\eta\mu_{\max}` at this :math:`\beta`; ``steps``, the steps to
        shrink the error :math:`10^6` times (0 when it diverges); ``verdict`` and ``diverges``."""
        kappa = float(kappa)
        modes = np.clip(self.mode_curves(kappa, lr, beta, method), FLOOR, CEILING)
        rates = [hb.mode_rate(lr, beta, mu, method) for mu in curvatures(kappa)]
        texts = [f"μ = {mu:.3g}: ρ = {rate:.3f}, {hb.mode_regime(lr, beta, mu, method)}"
                 for mu, rate in zip(curvatures(kappa), rates)]
        rho = hb.convergence_factor(lr, beta, np.array([1.0 / kappa, 1.0]), method)
        limit = hb.lr_limit(beta, 1.0, method)
        diverges = rho >= 1.0
        if diverges:
            steps, verdict = 0, f"diverged: ρ = {rho:.3f} ≥ 1 (η·μ_max must stay below {limit:.3g})"
        else:
            steps = hb.steps_to_reduce(rho, TARGET)
            verdict = f"ρ = {rho:.3f}: error × 10⁻⁶ in about {steps:,} steps"
        return {"modes": modes, "rates": rates, "mode_texts": texts, "rho": rho, "limit": limit, "steps": steps,
                "verdict": verdict, "diverges": diverges}

    def update(self, kappa, lr, beta, method):
        kappa = float(kappa)
        self.static_key = (kappa, method)
        for key, artists in self._regions.items():
            for artist in artists:
                artist.set_visible(key == (kappa, method))
        for key, line in self.gd_lines.items():
            line.set_visible(key == kappa)
        name = dict((v, k) for k, v in METHOD_CHOICES)[method]
        title = f"{name}, κ = {kappa:g}: the worst mode's factor ρ"
        if self.ax_map.get_title() != title:
            self.ax_map.set_title(title, fontsize=10)
        numbers = self.numbers(kappa, lr, beta, method)
        self.point.set_data([lr], [beta])
        for line, text, curve, label in zip(self.mode_lines, self.mode_texts, numbers["modes"],
                                            numbers["mode_texts"]):
            line.set_data(self.t, curve)
            text.set_text(label)
        self.verdict.set_text("" if numbers["diverges"] else numbers["verdict"])
        self.verdict_diverges.set_text(numbers["verdict"] if numbers["diverges"] else "")

    # -- the kernel-free version ------------------------------------------------------------------------
    def static_page(self) -> dict:
        """The page's equation (``momentum_quadratic.js``) and what it draws with: the two axes, the moving
        artists' styles, one background per (κ, method)."""
        return {"equation": "momentum_quadratic", "axes": {"map": self.ax_map, "modes": self.ax_modes},
                "templates": {"point": self.point, **{f"mode{i}": line for i, line in enumerate(self.mode_lines)},
                              **{f"text{i}": text for i, text in enumerate(self.mode_texts)},
                              "verdict": self.verdict, "verdict_diverges": self.verdict_diverges},
                "backgrounds": [{"kappa": k, "method": m} for k in KAPPAS for _, m in METHOD_CHOICES],
                "data": {"kappas": list(KAPPAS), "methods": [m for _, m in METHOD_CHOICES], "steps": STEPS,
                         "floor": FLOOR, "ceiling": CEILING, "target": TARGET}}
