r"""Vanishing gradients, measured (chapter 3): backpropagate through a deep random network and look at every layer."""

from __future__ import annotations

import numpy as np

from ..depth import gradient_norms, random_deep_network
from ..plots import PALETTE, widget_figure
from ._base import Playground
from .controls import Choice, Slider
from .static import grid_control

__all__ = ["VanishingGradientPlayground", "COMPARED"]

#: The activations compared, with their colours.
COMPARED = {"sigmoid": PALETTE["blue"], "tanh": PALETTE["orange"], "relu": PALETTE["green"]}
_INITS = [("Xavier/Glorot: Var w = 2/(d_in + d_out)", "xavier"), ("He: Var w = 2/d_in", "he")]


class VanishingGradientPlayground(Playground):
    r"""How large a gradient reaches each layer of a deep random network, for sigmoid, tanh and ReLU.

    The network has :math:`L` square dense layers of width :math:`d = 64`, each followed by the activation,
    zero biases and normal weights of the chosen initialisation (:func:`nnmath.depth.random_deep_network`). A
    batch of :math:`n = 64` standard-normal inputs goes forward; one fixed random gradient
    :math:`G = \partial L/\partial A^{[L]}` comes back (:func:`nnmath.depth.gradient_norms`). The same weights
    and the same :math:`G` are used for all three activations, and a shallower network is the first layers
    of a deeper one.

    Left, on a log scale: :math:`\lVert \partial L / \partial W^{[\ell]} \rVert_F` for each layer :math:`\ell`,
    the size of the update gradient descent would make to that layer. Right: the factor by which the
    backpropagated signal changes across each layer,

    .. math::
        g_\ell = \lVert \partial L/\partial Z^{[\ell-1]} \rVert_F \,/\, \lVert \partial L/\partial Z^{[\ell]} \rVert_F,

    where :math:`\partial L/\partial Z^{[\ell-1]} = (\partial L/\partial Z^{[\ell]}\, W^{[\ell]\top}) \odot
    f'(Z^{[\ell-1]})`. A factor steadily below 1 shrinks the gradient geometrically with depth: about
    :math:`\prod_\ell g_\ell`.

    In the static book the states are precomputed (``static_mode = "grid"``): each is a measurement — a forward
    and a backward pass through up to 60 random layers for each activation — not a formula the page could
    evaluate, and there are only 59 depths × 2 initialisations, 118 states of six short polylines each.
    """

    width = 64
    n = 64
    max_depth = 60
    title = "vanishing gradients, measured"
    static_mode = "grid"

    def __init__(self, depth=20, init="xavier"):
        controls = {
            "depth": Slider("depth L", depth, 2, self.max_depth, 1, integer=True),
            "init": Choice("weights", init, _INITS),
        }
        fig, (self.ax_g, self.ax_r) = widget_figure(2, width=9.4, height=4.0, width_ratios=[1.35, 1])
        super().__init__(fig, controls)
        self.X = np.random.default_rng(1).standard_normal((self.n, self.width))
        self.G = np.random.default_rng(2).standard_normal((self.n, self.width)) / self.n
        self._networks = {init: random_deep_network(self.width, self.max_depth, init, seed=0)
                          for _, init in _INITS}
        self._cache: dict = {}
        self.lines, self.ratio_lines = {}, {}
        for name, color in COMPARED.items():
            (self.lines[name],) = self.ax_g.semilogy([], [], "o-", color=color, ms=3, lw=1.8, label=name)
            (self.ratio_lines[name],) = self.ax_r.plot([], [], "o-", color=color, ms=3, lw=1.5, label=name)
        self.ax_r.axhline(1.0, color="black", lw=0.8, ls="--")
        self.ax_g.set(xlabel=r"layer $\ell$ (1 = next to the input)",
                      ylabel=r"$\Vert\partial L/\partial W^{[\ell]}\Vert_F$  (log scale)")
        self.ax_r.set(xlabel=r"layer $\ell$", ylabel=r"factor $g_\ell$ (1 = kept)")
        self.ax_r.set_title("backpropagated signal kept across each layer", fontsize=10)
        self.legend = self.ax_g.legend(loc="lower right", fontsize=8, title="first layer / last layer:",
                                       title_fontsize=8)
        self.ax_r.legend(loc="upper right", fontsize=8)
        # Fixed axes for every depth (so a slider move only redraws the curves): the extremes are reached by the
        # deepest network, whose first layers get the smallest gradients.
        lo, hi, r_hi = np.inf, 0.0, 1.2
        for _, name in _INITS:
            for res in self.measure(self.max_depth, name).values():
                lo, hi = min(lo, float(res.dW.min())), max(hi, float(res.dW.max()))
                r_hi = max(r_hi, 1.1 * float(_ratio(res.dZ[:-1], res.dZ[1:]).max()))
        self.ax_g.set(xlim=(0, self.max_depth + 1), ylim=(max(lo, 1e-300) / 10, hi * 10))
        self.ax_r.set(xlim=(0, self.max_depth + 1), ylim=(0, r_hi))
        self.dynamic = [*self.lines.values(), *self.ratio_lines.values(), self.legend, self.ax_g.title]

    def measure(self, depth, init):
        """The :class:`~nnmath.depth.GradientNorms` of each compared activation (cached by depth and init)."""
        key = (int(depth), init)
        if key not in self._cache:
            layers = self._networks[init][: int(depth)]
            self._cache[key] = {name: gradient_norms(self.X, layers, name, G=self.G) for name in COMPARED}
        return self._cache[key]

    def static_controls(self):
        """The grid of the kernel-free version: every depth (2 to 60) × both initialisations."""
        c = self.controls
        return [grid_control(c["depth"], name="depth"), grid_control(c["init"], name="init")]

    def update(self, depth, init):
        results = self.measure(depth, init)
        ell = np.arange(1, int(depth) + 1)
        for text, (name, res) in zip(self.legend.get_texts(), results.items()):
            self.lines[name].set_data(ell, res.dW)
            self.ratio_lines[name].set_data(ell[1:], _ratio(res.dZ[:-1], res.dZ[1:]))
            text.set_text(f"{name}: {_ratio(res.dW[:1], res.dW[-1:])[0]:.1e}")
        short = "Xavier" if init == "xavier" else "He"
        self.ax_g.set_title(f"gradient reaching each layer: L = {int(depth)}, {short} weights, width {self.width}",
                            fontsize=10)


def _ratio(a, b):
    """``a / b`` entry by entry, 0 where ``b`` is 0 (a layer that passes nothing back)."""
    return np.divide(a, b, out=np.zeros_like(a), where=b > 0)

