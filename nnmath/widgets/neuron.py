r"""The neuron playground (chapter 1): :math:`a = f(w_1 x_1 + w_2 x_2 + b)` over the input plane."""

from __future__ import annotations

import ipywidgets as w
import numpy as np

from ..activations import get_activation
from ..plots import DIVERGING, PALETTE, decision_line, widget_figure
from ._base import Playground, slider

__all__ = ["NeuronPlayground", "neuron_playground"]

#: Output range of each activation on the plotted plane, for a colour scale that does not jump.
_BOUNDED = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}


class NeuronPlayground(Playground):
    r"""One neuron with two inputs, drawn as a heat map of its output over the plane :math:`(x_1, x_2)`.

    .. math::
        z = w_1 x_1 + w_2 x_2 + b, \qquad a = f(z)

    The dashed line is where :math:`z = 0` (for sigmoid the output is 1/2 there): the neuron's
    decision line, at distance :math:`|b| / \lVert \mathbf w \rVert` from the origin. The arrow is the
    weight vector :math:`\mathbf w`, drawn from the origin, perpendicular to that line and pointing
    towards growing :math:`z`. The colour scale is centred on :math:`f(0)`, the output on the line, so
    white marks the line for every activation. The right panel shows :math:`f` and, shaded, the range of
    :math:`z` that the plotted square produces: a narrow band uses only the middle of :math:`f`, a wide
    one reaches its flat tails.
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
        zmax = 12.0  # wide enough to show sigmoid and tanh saturate, narrow enough to see their bend
        self.z_curve = np.linspace(-zmax, zmax, 481)
        (self.f_line,) = self.ax_f.plot([], [], color=PALETTE["blue"], lw=2)
        self.span = self.ax_f.axvspan(0, 0, color=PALETTE["orange"], alpha=0.25, label="z on the plane")
        self.ax_f.axvline(0, color="black", lw=0.5)
        self.ax_f.set(xlabel="pre-activation z", ylabel="a = f(z)", xlim=(-zmax, zmax))
        self.ax_f.legend(loc="upper left", fontsize=8)
        self.z_note = self.ax_f.text(0.97, 0.04, "", transform=self.ax_f.transAxes, ha="right", va="bottom",
                                     fontsize=8, bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none"})

    def update(self, w1, w2, b, activation):
        act = get_activation(activation)
        z = w1 * self.x1 + w2 * self.x2 + b
        a = act.f(z)
        if act.name in _BOUNDED:
            lo, hi = _BOUNDED[act.name]
        else:  # centre the diverging scale on f(0), the output on the decision line
            centre = float(act.f(np.zeros(1))[0])
            half = max(float(np.abs(a - centre).max()), 1e-3)
            lo, hi = centre - half, centre + half
        self.mesh.set_data(a)
        self.mesh.set_clim(lo, hi)
        self._draw_decision_line(w1, w2, b)
        self.ax.set_title(f"a = {act.name}({w1:.1f}·x₁ {_signed(w2)}·x₂ {_signed(b)})")
        fz = act.f(self.z_curve)
        self.f_line.set_data(self.z_curve, fz)
        pad = 0.1 * max(float(np.ptp(fz)), 1.0)
        self.ax_f.set_ylim(float(fz.min()) - pad, float(fz.max()) + pad)
        zlo, zhi = float(z.min()), float(z.max())
        self.span.set_x(zlo)
        self.span.set_width(max(zhi - zlo, 1e-3))
        self.z_note.set_text(f"z on the plane:\n[{zlo:.1f}, {zhi:.1f}]")
        self.ax_f.set_title(f"f = {act.name}")

    def _draw_decision_line(self, w1, w2, b):
        line = decision_line((w1, w2), b)
        if line is None:
            self.line.set_data([], [])
            self.arrow.set_visible(False)
            self.note.set_text("w = 0: the output is f(b) everywhere,\nso there is no decision line")
            return
        # p: the point of the line z = 0 nearest the origin; d: the line's direction (perpendicular to w)
        p, d = line
        s = np.array([-1, 1]) * 4 * self.lim
        self.line.set_data(p[0] + s * d[0], p[1] + s * d[1])
        self.arrow.set_visible(True)
        self.arrow.xy = (w1, w2)
        self.arrow.set_position((0.0, 0.0))
        norm = float(np.hypot(w1, w2))
        self.note.set_text(f"arrow: w, ‖w‖ = {norm:.2f}\nline's distance from 0: |b|/‖w‖ = {abs(b) / norm:.2f}")


def _signed(v: float) -> str:
    """``+ 0.5`` or ``− 0.5``: a term of a sum, with a real minus sign."""
    return f"{'−' if v < 0 else '+'} {abs(v):.1f}"


def neuron_playground(**initial):
    """Make the chapter 1 neuron playground (see :class:`NeuronPlayground`)."""
    return NeuronPlayground(**initial)
