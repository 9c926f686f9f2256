r"""Vanishing and exploding gradients, measured (chapter 3): backpropagate through a deep random network and look
at every layer, for a depth and a weight scale."""

from __future__ import annotations

import math

import numpy as np

from ..depth import gradient_norms
from ..init import weight_std
from ..plots import PALETTE, widget_figure
from ._base import Playground
from .controls import Slider
from .static import grid_control

__all__ = ["VanishingGradientPlayground", "COMPARED"]

#: The activations compared, with their colours.
COMPARED = {"sigmoid": PALETTE["blue"], "tanh": PALETTE["orange"], "relu": PALETTE["green"]}


class VanishingGradientPlayground(Playground):
    r"""How large a gradient reaches each layer of a deep random network, for sigmoid, tanh and ReLU, as the
    depth and the scale of the weights change.

    The network has :math:`D` square dense layers of width :math:`d = 64`, each followed by the activation,
    zero biases and normal weights :math:`W^{[\ell]}_{ij} \sim \mathcal N(0, \operatorname{sd}^2)`
    (:func:`nnmath.depth.random_deep_network`). The weight sd moves in half-octaves (factors of :math:`\sqrt 2`)
    from 1/16 to 2, through Xavier's :math:`\sqrt{2/(d_\text{in} + d_\text{out})} = 0.125` and He's
    :math:`\sqrt{2/d_\text{in}} \approx 0.177` (:func:`nnmath.init.weight_std`). A batch of :math:`n = 64`
    standard-normal inputs goes forward; one fixed random gradient :math:`\partial L/\partial A^{[D]}` comes back
    (:func:`nnmath.depth.gradient_norms`). The same standard-normal draws, scaled, and the same gradient are used
    for every activation and every scale, and a shallower network is the first layers of a deeper one.

    Left, on a log scale: :math:`\lVert \partial L / \partial W^{[\ell]} \rVert_F` for each layer :math:`\ell`,
    the size of the update gradient descent would make to that layer. Right, also on a log scale: the gain
    by which the backpropagated signal :math:`G^{[\ell]} = \partial L/\partial Z^{[\ell]}` changes across each
    layer,

    .. math::
        \operatorname{gain}_\ell = \lVert G^{[\ell-1]} \rVert_F \,/\, \lVert G^{[\ell]} \rVert_F, \qquad
        G^{[\ell-1]} = \bigl(G^{[\ell]} W^{[\ell]\top}\bigr) \odot f'(Z^{[\ell-1]}),

    (:attr:`nnmath.depth.GradientNorms.gains`). Gains steadily below 1 shrink the gradient geometrically with
    depth (vanishing), steadily above 1 they grow it (exploding): over the depth they multiply.

    In the static book the states are precomputed (``static_mode = "grid"``): each is a measurement — a forward
    and a backward pass through up to 60 random layers for each activation — not a formula the page could
    evaluate. The grid holds 18 of the 59 depths (every one up to 6, then steps of 2, 3 and 5 up to 60; the live
    widget takes every depth) × 11 weight scales, 198 states of six short polylines each.
    """

    width = 64
    n = 64
    max_depth = 60
    title = "vanishing and exploding gradients, measured"
    static_mode = "grid"
    #: The weight sd: 1/16 to 2 in steps of a factor sqrt(2) (the slider's step, in decades).
    sd_range = (2.0 ** -4, 2.0)
    sd_step = math.log10(2.0) / 2
    #: The depths of the kernel-free version.
    static_depths = (2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60)

    def __init__(self, depth=20, sd=None):
        self.xavier = weight_std(self.width, self.width, "xavier")
        self.he = weight_std(self.width, self.width, "he")
        controls = {
            "depth": Slider("depth D", depth, 2, self.max_depth, 1, integer=True),
            "sd": Slider("weight sd", self.xavier if sd is None else sd, *self.sd_range, self.sd_step, log=True,
                         fmt=".3g"),
        }
        fig, (self.ax_g, self.ax_r) = widget_figure(2, width=9.4, height=4.0, width_ratios=[1.35, 1])
        super().__init__(fig, controls)
        self.X = np.random.default_rng(1).standard_normal((self.n, self.width))
        self.dA = np.random.default_rng(2).standard_normal((self.n, self.width)) / self.n
        # the layers of random_deep_network(width, max_depth, sd, seed=0): standard normals, scaled per sd
        self._normals = np.random.default_rng(0).standard_normal((self.max_depth, self.width, self.width))
        self._zeros = np.zeros(self.width)
        self._cache: dict = {}
        self.lines, self.ratio_lines = {}, {}
        for name, color in COMPARED.items():
            (self.lines[name],) = self.ax_g.semilogy([], [], "o-", color=color, ms=3, lw=1.8, label=name)
            (self.ratio_lines[name],) = self.ax_r.semilogy([], [], "o-", color=color, ms=3, lw=1.5, label=name)
        self.ax_r.axhline(1.0, color="black", lw=0.8, ls="--")
        self.ax_g.set(xlabel=r"layer $\ell$ (1 = next to the input)",
                      ylabel=r"$\Vert\partial L/\partial W^{[\ell]}\Vert_F$  (log scale)")
        self.ax_r.set(xlabel=r"layer $\ell$", ylabel=r"gain across layer $\ell$ (1 = kept; log scale)")
        self.ax_r.set_title("backpropagated signal kept across each layer", fontsize=10)
        self.ax_g.legend(loc="lower right", fontsize=8)
        self.ax_r.legend(loc="upper left", fontsize=8)
        # Fixed axes for every state (so a slider move only redraws the curves): the extremes are reached by the
        # deepest network at the smallest and at the largest weights, whose first layers get the smallest and the
        # largest gradients (tests/test_widgets_ch03_04.py checks every state of the grid against these limits).
        lo, hi, g_lo, g_hi = np.inf, 0.0, 0.5, 2.0
        for sd in self.sd_range:
            for res in self.measure(self.max_depth, sd).values():
                lo, hi = min(lo, float(res.dW.min())), max(hi, float(res.dW.max()))
                gains = res.gains[res.gains > 0]
                g_lo, g_hi = min(g_lo, float(gains.min())), max(g_hi, float(gains.max()))
        self.ax_g.set(xlim=(0, self.max_depth + 1), ylim=(max(lo, 1e-300) / 10, hi * 10))
        self.ax_r.set(xlim=(0, self.max_depth + 1), ylim=(g_lo / 1.3, g_hi * 1.3))
        self.dynamic = [*self.lines.values(), *self.ratio_lines.values(), self.ax_g.title]

    def layers(self, depth, sd):
        """The first ``depth`` layers at weight sd ``sd``: ``random_deep_network(64, depth, sd, seed=0)``."""
        return [(sd * self._normals[k], self._zeros) for k in range(int(depth))]

    def measure(self, depth, sd):
        """The :class:`~nnmath.depth.GradientNorms` of each compared activation (cached by depth and sd)."""
        key = (int(depth), float(sd))
        if key not in self._cache:
            layers = self.layers(depth, sd)
            self._cache[key] = {name: gradient_norms(self.X, layers, name, dA=self.dA) for name in COMPARED}
        return self._cache[key]

    def scale_name(self, sd) -> str:
        """``"Xavier"`` or ``"He"`` when ``sd`` is that rule's standard deviation, else ``""``."""
        for name, value in (("Xavier", self.xavier), ("He", self.he)):
            if math.isclose(sd, value, rel_tol=1e-6):
                return name
        return ""

    def labels(self, depth, sd):
        """The weight sd, and the rule it equals."""
        name = self.scale_name(sd)
        return {"sd": f"{sd:.3g}" + (f" ({name})" if name else f" = {sd * math.sqrt(self.width):.3g}/√d")}

    def static_controls(self):
        """The grid of the kernel-free version: 18 depths from 2 to 60 × every weight sd (1/16 to 2)."""
        c = self.controls
        return [grid_control(c["depth"], self.static_depths, name="depth"), grid_control(c["sd"], name="sd")]

    def update(self, depth, sd):
        results = self.measure(depth, sd)
        ell = np.arange(1, int(depth) + 1)
        ratios = []
        for name, res in results.items():
            self.lines[name].set_data(ell, res.dW)
            self.ratio_lines[name].set_data(ell[1:], res.gains)
            ratios.append(f"{name} {res.dW[0] / res.dW[-1]:.1e}")
        rule = self.scale_name(sd)
        self.ax_g.set_title(f"D = {int(depth)} layers of width {self.width}, weight sd {sd:.3g}"
                            f"{f' ({rule})' if rule else ''}\nfirst layer / last layer: {', '.join(ratios)}",
                            fontsize=9)
