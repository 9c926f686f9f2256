r"""The neuron playground (chapter 1): :math:`a = f(w_1 x_1 + w_2 x_2 + b)` over the input plane."""

from __future__ import annotations

import ipywidgets as w
import numpy as np

from ..activations import get_activation
from ..plots import DIVERGING, PALETTE, widget_figure
from ._base import Playground, slider

__all__ = ["NeuronPlayground", "neuron_playground"]

#: Output range of each activation on the plotted plane, for a colour scale that does not jump.
_BOUNDED = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}


class NeuronPlayground(Playground):
    r"""One neuron with two inputs, drawn as a heat map of its output over the plane :math:`(x_1, x_2)`.

    .. math::
        z = w_1 x_1 + w_2 x_2 + b, \qquad a = f(z)

    The dashed line is where :math:`z = 0` (for sigmoid the output is 1/2 there): the neuron's
    decision line. The arrow is the weight vector :math:`\mathbf w`, perpendicular to that line and
    pointing towards growing :math:`z`. The right panel shows :math:`f` and the range of :math:`z`
    that the plane produces.
    """

    lim = 3.0
    resolution = 121

    def __init__(self, w1=1.0, w2=-0.5, b=0.5, activation="sigmoid"):
        controls = {
            "w1": slider("w₁", w1, -3, 3, 0.1),
            "w2": slider("w₂", w2, -3, 3, 0.1),
            "b": slider("b", b, -3, 3, 0.1),
            "activation": w.Dropdown(options=["sigmoid", "tanh", "relu", "leaky_relu", "elu", "identity"],
                                     value=activation, description="f", layout=w.Layout(width="180px")),
        }
        fig, (self.ax, self.ax_f) = widget_figure(2, width=8.0, height=3.6, width_ratios=[1.25, 1])
        super().__init__(fig, controls)
        t = np.linspace(-self.lim, self.lim, self.resolution)
        self.x1, self.x2 = np.meshgrid(t, t)
        ext = (-self.lim, self.lim, -self.lim, self.lim)
        self.mesh = self.ax.imshow(np.zeros_like(self.x1), origin="lower", extent=ext, cmap=DIVERGING,
                                   vmin=0, vmax=1, interpolation="bilinear")
        self.colorbar = fig.colorbar(self.mesh, ax=self.ax, label="output a")
        (self.line,) = self.ax.plot([], [], "--", color="black", lw=1.5, label="decision line z = 0")
        self.arrow = self.ax.annotate("", xy=(0, 0), xytext=(0, 0),
                                      arrowprops={"arrowstyle": "->", "lw": 2, "color": PALETTE["vermillion"]})
        self.note = self.ax.text(0.02, 0.02, "", transform=self.ax.transAxes, fontsize=9,
                                 bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none"})
        self.ax.set(xlim=ext[:2], ylim=ext[2:], xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
        self.ax.legend(loc="upper right", fontsize=8)
        zmax = 3 * self.lim * 3 + 3
        self.z_curve = np.linspace(-zmax, zmax, 400)
        (self.f_line,) = self.ax_f.plot([], [], color=PALETTE["blue"], lw=2)
        self.span = self.ax_f.axvspan(0, 0, color=PALETTE["orange"], alpha=0.25, label="z on the plane")
        self.ax_f.axvline(0, color="black", lw=0.5)
        self.ax_f.set(xlabel="pre-activation z", ylabel="a = f(z)", xlim=(-zmax, zmax))
        self.ax_f.legend(loc="upper left", fontsize=8)

    def update(self, w1, w2, b, activation):
        act = get_activation(activation)
        z = w1 * self.x1 + w2 * self.x2 + b
        a = act.f(z)
        lo, hi = _BOUNDED.get(act.name, (float(a.min()), float(a.max())))
        if hi - lo < 1e-9:  # a flat output (all weights zero): keep the colour scale valid
            lo, hi = lo - 0.5, hi + 0.5
        self.mesh.set_data(a)
        self.mesh.set_clim(lo, hi)
        self._draw_decision_line(w1, w2, b)
        self.ax.set_title(f"a = {act.name}({w1:.1f}·x₁ {w2:+.1f}·x₂ {b:+.1f})")
        fz = act.f(self.z_curve)
        self.f_line.set_data(self.z_curve, fz)
        self.ax_f.set_ylim(float(fz.min()) - 0.1 * (np.ptp(fz) + 1e-9), float(fz.max()) + 0.1 * (np.ptp(fz) + 1))
        self.span.set_x(float(z.min()))
        self.span.set_width(max(float(z.max() - z.min()), 1e-3))
        self.ax_f.set_title(f"f = {act.name}")

    def _draw_decision_line(self, w1, w2, b):
        norm = np.hypot(w1, w2)
        if norm < 1e-12:
            self.line.set_data([], [])
            self.arrow.set_visible(False)
            self.note.set_text("w = 0: the output is f(b) everywhere,\nso there is no decision line")
            return
        # the point of the line z = 0 nearest the origin, and the line's direction (perpendicular to w)
        p = -b * np.array([w1, w2]) / norm**2
        d = np.array([-w2, w1]) / norm
        s = np.array([-1, 1]) * 4 * self.lim
        self.line.set_data(p[0] + s * d[0], p[1] + s * d[1])
        self.arrow.set_visible(True)
        self.arrow.xy = (w1, w2)
        self.arrow.set_position((0.0, 0.0))
        self.note.set_text("arrow: w (points towards larger z)")


def neuron_playground(**initial):
    """Make the chapter 1 neuron playground (see :class:`NeuronPlayground`)."""
    return NeuronPlayground(**initial)
