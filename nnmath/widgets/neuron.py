r"""The neuron playground (chapter 1): :math:`a = f(w_1 x_1 + w_2 x_2 + b)` over the input plane."""

from __future__ import annotations

from importlib import resources

import numpy as np

from ..activations import get_activation
from ..plots import DIVERGING, PALETTE, arrow_polyline, decision_line, widget_figure
from ._base import Playground
from .controls import Choice, Slider

__all__ = ["NeuronPlayground", "ACTIVATION_CHOICES"]

#: The activations offered (the names of ``nnmath.activations.ACTIVATIONS``).
ACTIVATION_CHOICES = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "identity"]
#: The colour scale of each activation's output: fixed, so that it never jumps while a slider moves. Bounded
#: activations use their range; the others f(0) ± 6 (beyond that the colour saturates), so that white — f(0) —
#: always marks the decision line.
COLOR_SCALES = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (-6.0, 6.0), "leaky_relu": (-6.0, 6.0),
                "elu": (-6.0, 6.0), "identity": (-6.0, 6.0)}
#: How far the pre-activation axis of the right panel reaches.
Z_MAX = 12.0


class NeuronPlayground(Playground):
    r"""One neuron with two inputs, drawn as a heat map of its output over the plane :math:`(x_1, x_2)`.

    .. math::
        z = w_1 x_1 + w_2 x_2 + b, \qquad a = f(z)

    The dashed line is where :math:`z = 0` (for sigmoid the output is 1/2 there): the neuron's decision line, at
    distance :math:`|b| / \lVert \mathbf w \rVert` from the origin. The arrow is the weight vector :math:`\mathbf w`,
    drawn from the origin, perpendicular to that line and pointing towards growing :math:`z`. The colour scale is
    fixed per activation and centred on :math:`f(0)`, the output on the line, so white marks the line for every
    activation (``COLOR_SCALES``). The right panel shows :math:`f` and, shaded, the range of :math:`z` that the
    plotted square produces: a narrow band uses only the middle of :math:`f`, a wide one reaches its flat tails.

    In the static book the page evaluates the same equation (``static_mode = "page"``, ``neuron.js``): the figure
    is a closed-form function of four controls, 61 × 61 × 61 × 6 positions — far too many states to precompute,
    and each a heat map of 121 × 121 values that a few lines of script compute in well under a millisecond.
    """

    lim = 3.0
    resolution = 121
    title = "a neuron over the input plane"
    static_mode = "page"
    page_script = resources.files(__package__).joinpath("neuron.js").read_text(encoding="utf-8")

    def __init__(self, w1=1.0, w2=-0.5, b=0.5, activation="sigmoid"):
        controls = {
            "w1": Slider("w₁", w1, -3, 3, 0.1),
            "w2": Slider("w₂", w2, -3, 3, 0.1),
            "b": Slider("b", b, -3, 3, 0.1),
            "activation": Choice("f", activation, ACTIVATION_CHOICES),
        }
        fig, (self.ax, self.ax_f) = widget_figure(2, width=8.0, height=3.6, width_ratios=[1.25, 1])
        super().__init__(fig, controls)
        self.t = np.linspace(-self.lim, self.lim, self.resolution)
        self.x1, self.x2 = np.meshgrid(self.t, self.t)
        ext = (-self.lim, self.lim, -self.lim, self.lim)
        self.mesh = self.ax.imshow(np.zeros_like(self.x1), origin="lower", extent=ext, cmap=DIVERGING,
                                   vmin=0, vmax=1, interpolation="bilinear")
        self.colorbar = fig.colorbar(self.mesh, ax=self.ax, label="output a")
        (self.line,) = self.ax.plot([], [], "--", color="black", lw=1.5, label="decision line z = 0")
        (self.arrow,) = self.ax.plot([], [], "-", color=PALETTE["vermillion"], lw=2, solid_capstyle="round")
        self.note = self.ax.text(0.02, 0.02, "", transform=self.ax.transAxes, fontsize=9, va="bottom",
                                 bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none"})
        self.ax.set(xlim=ext[:2], ylim=ext[2:], xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
        self.ax.legend(loc="upper right", fontsize=8)
        self.z_curve = np.linspace(-Z_MAX, Z_MAX, 481)  # wide enough to show sigmoid and tanh saturate
        (self.f_line,) = self.ax_f.plot([], [], color=PALETTE["blue"], lw=2)
        self.span = self.ax_f.axvspan(0, 1, color=PALETTE["orange"], alpha=0.25, label="z on the plane")
        self.ax_f.axvline(0, color="black", lw=0.5)
        self.ax_f.set(xlabel="pre-activation z", ylabel="a = f(z)", xlim=(-Z_MAX, Z_MAX))
        self.ax_f.legend(loc="upper left", fontsize=8)
        self.z_note = self.ax_f.text(0.97, 0.04, "", transform=self.ax_f.transAxes, ha="right", va="bottom",
                                     fontsize=8, bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none"})
        self.dynamic = [self.mesh, self.line, self.arrow, self.note, self.ax.title, self.f_line, self.span,
                        self.z_note, self.ax_f.title]

    def update(self, w1, w2, b, activation):
        numbers = self.numbers(w1=w1, w2=w2, b=b, activation=activation)
        self.static_key = activation  # the colour bar and the right panel's y range follow the activation
        lo, hi = COLOR_SCALES[activation]
        self.mesh.set_data(numbers["a"])
        self.mesh.set_clim(lo, hi)
        self.colorbar.update_normal(self.mesh)
        line, arrow = numbers["line"], numbers["arrow"]
        self.line.set_data(line[0], line[1])
        self.arrow.set_data(arrow[0], arrow[1])
        self.note.set_text(numbers["note"])
        self.ax.set_title(numbers["title"])
        self.f_line.set_data(self.z_curve, numbers["f"])
        ylo, yhi = _f_range(activation)
        self.ax_f.set_ylim(ylo, yhi)
        zlo, zhi = numbers["z_range"]
        self.span.set_x(zlo)
        self.span.set_width(max(zhi - zlo, 1e-3))
        self.z_note.set_text(f"z on the plane:\n[{zlo:.1f}, {zhi:.1f}]")
        self.ax_f.set_title(f"f = {activation}")

    def numbers(self, w1, w2, b, activation) -> dict:
        """Every number the figure shows for these controls, computed by ``nnmath`` (the page computes the same).

        ``a``: the output over the plane, shape (121, 121), row ``i`` at :math:`x_2 = t_i`; ``line``: two points of
        the decision line (or none); ``arrow``: the weight vector's shaft and head; ``f``: :math:`f` over the
        right panel's axis; ``z_range``: the smallest and largest :math:`z` on the plane.
        """
        f = get_activation(activation).f
        z = w1 * self.x1 + w2 * self.x2 + b
        found = decision_line((w1, w2), b)
        if found is None:
            line, arrow = ([], []), ([], [])
            note = "w = 0: the output is f(b) everywhere,\nso there is no decision line"
        else:
            p, d = found
            s = np.array([-1.0, 1.0]) * 4 * self.lim
            line = (p[0] + s * d[0], p[1] + s * d[1])
            arrow = arrow_polyline(w1, w2)  # the weight vector: shaft from the origin, open head at w
            norm = float(np.hypot(w1, w2))
            note = f"arrow: w, ‖w‖ = {norm:.2f}\nline's distance from 0: |b|/‖w‖ = {abs(b) / norm:.2f}"
        return {"a": f(z), "line": line, "arrow": arrow, "note": note, "f": f(self.z_curve),
                "z_range": (float(z.min()), float(z.max())),
                "title": f"a = {activation}({w1:.1f}·x₁ {_signed(w2)}·x₂ {_signed(b)})"}

    def static_page(self) -> dict:
        """The page's equation (``neuron.js``) and what it draws with: the plane's grid, the z axis, the colour
        scales, one background per activation."""
        return {"equation": "neuron", "axes": {"plane": self.ax, "f": self.ax_f},
                "templates": {"mesh": self.mesh, "line": self.line, "arrow": self.arrow, "note": self.note,
                              "title": self.ax.title, "f_line": self.f_line, "span": self.span,
                              "z_note": self.z_note, "f_title": self.ax_f.title},
                "colormaps": {"output": self.mesh.get_cmap()},
                "backgrounds": [{"activation": name} for name in ACTIVATION_CHOICES],
                "data": {"t": self.t.tolist(), "z": self.z_curve.tolist(), "lim": self.lim,
                         "scales": COLOR_SCALES, "f_ranges": {name: _f_range(name) for name in ACTIVATION_CHOICES},
                         "activations": ACTIVATION_CHOICES}}


def _f_range(activation) -> tuple:
    """The right panel's y range for an activation: its values over the z axis, padded by a tenth."""
    fz = get_activation(activation).f(np.linspace(-Z_MAX, Z_MAX, 481))
    pad = 0.1 * max(float(np.ptp(fz)), 1.0)
    return float(fz.min()) - pad, float(fz.max()) + pad


def _signed(v: float) -> str:
    """``+ 0.5`` or ``− 0.5``: a term of a sum, with a real minus sign."""
    return f"{'−' if v < 0 else '+'} {abs(v):.1f}"

