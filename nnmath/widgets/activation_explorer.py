r"""The activation explorer (chapter 3): an activation :math:`f`, its derivative :math:`f'` and a tangent line."""

from __future__ import annotations

import ipywidgets as w
import numpy as np

from ..activations import elu, elu_prime, get_activation, leaky_relu, leaky_relu_prime
from ..plots import PALETTE, widget_figure
from ._base import Playground, slider
from ._blit import KeyedBlitMixin

__all__ = ["ActivationExplorerPlayground", "activation_explorer", "FLAT"]

#: Below this derivative almost no gradient passes: the region is shaded as "flat".
FLAT = 0.01

_NAMES = {"sigmoid": "sigmoid σ", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "Leaky ReLU", "elu": "ELU"}


def _range_text(name: str, alpha: float) -> str:
    return {
        "sigmoid": "range (0, 1)",
        "tanh": "range (−1, 1)",
        "relu": "range [0, ∞)",
        "leaky_relu": "range (−∞, ∞)" if alpha > 0 else "range [0, ∞)",
        "elu": f"range (−{alpha:.2f}, ∞)" if alpha > 0 else "range [0, ∞)",
    }[name]


class ActivationExplorerPlayground(KeyedBlitMixin, Playground):
    r"""An activation function and its derivative over a range of pre-activations :math:`z`.

    Left: :math:`f(z)` and its tangent line at the point :math:`z_0`,

    .. math::
        t(z) = f(z_0) + f'(z_0)\,(z - z_0),

    whose slope is the derivative. Right: :math:`f'(z)` on a fixed vertical scale, so that the sizes of the
    derivatives of different activations can be compared (the sigmoid's never exceeds 1/4), with the point
    :math:`(z_0, f'(z_0))`. The shaded bands mark where :math:`f'(z) < 0.01`: there the unit passes back less
    than 1% of the gradient it receives (saturation for sigmoid and tanh, the silent side of ReLU). The box
    compares :math:`f'(z_0)` from ``nnmath`` with the centred difference
    :math:`\bigl(f(z_0 + h) - f(z_0 - h)\bigr) / 2h`, :math:`h = 10^{-5}`. The slider :math:`\alpha` sets the
    negative-side parameter of Leaky ReLU (slope :math:`\alpha`) and ELU (floor :math:`-\alpha`); the other
    activations ignore it.
    """

    h = 1e-5

    def __init__(self, activation="sigmoid", z0=2.0, z_max=8.0, alpha=0.1):
        controls = {
            "activation": w.Dropdown(options=[(label, name) for name, label in _NAMES.items()], value=activation,
                                     description="f", layout=w.Layout(width="200px")),
            "z0": slider("point z₀", z0, -z_max, z_max, 0.1),
            "z_max": slider("range ±", z_max, 1, 12, 0.5),
            "alpha": slider("α (Leaky ReLU, ELU)", alpha, 0, 1, 0.01),
        }
        fig, (self.ax_f, self.ax_d) = widget_figure(2, width=9.0, height=3.8)
        super().__init__(fig, controls)
        self.z = np.linspace(-1.0, 1.0, 801)  # rescaled to ±z_max on every update
        blue, orange, red = PALETTE["blue"], PALETTE["orange"], PALETTE["vermillion"]
        (self.f_line,) = self.ax_f.plot([], [], color=blue, lw=2.2, label="f(z)")
        (self.tangent,) = self.ax_f.plot([], [], "--", color=red, lw=1.6, label="tangent at z₀, slope f′(z₀)")
        (self.f_point,) = self.ax_f.plot([], [], "o", color=red, ms=7, zorder=5)
        (self.d_line,) = self.ax_d.plot([], [], color=orange, lw=2.2, label="f′(z)")
        (self.d_point,) = self.ax_d.plot([], [], "o", color=red, ms=7, zorder=5)
        self.flat_f = self.ax_f.fill_between([0, 1], 0, 1, color=PALETTE["grey"], alpha=0.2, lw=0)
        self.flat_d = self.ax_d.fill_between([0, 1], 0, 1, color=PALETTE["grey"], alpha=0.2, lw=0,
                                             label=f"f′(z) < {FLAT:g}: almost no gradient")
        for ax in (self.ax_f, self.ax_d):
            ax.axhline(0, color="black", lw=0.5)
            ax.axvline(0, color="black", lw=0.5)
            ax.locator_params(nbins=5)  # fewer tick labels: a full redraw (new range) costs mostly text
        self.ax_d.axhline(0.25, color=PALETTE["grey"], lw=0.8, ls=":")
        self.ax_d.text(0.01, 0.25, " 1/4", color=PALETTE["grey"], fontsize=8, va="bottom",
                       transform=self.ax_d.get_yaxis_transform())
        self.ax_f.set(xlabel="pre-activation z", ylabel="a = f(z)")
        self.ax_d.set(xlabel="pre-activation z", ylabel="f′(z)", ylim=(-0.05, 1.15))
        self.ax_f.legend(loc="upper left", fontsize=8)
        self.ax_d.legend(loc="upper left", fontsize=8)
        self.note = self.ax_d.text(0.98, 0.5, "", transform=self.ax_d.transAxes, ha="right", va="center",
                                   multialignment="left", fontsize=8, family="monospace",
                                   bbox={"facecolor": "white", "alpha": 0.9, "edgecolor": PALETTE["grey"]})
        self.dynamic = [self.flat_f, self.flat_d, self.tangent, self.f_line, self.f_point, self.d_line, self.d_point,
                        self.note, self.ax_f.title, self.ax_d.title]

    def _on_change(self, change) -> None:
        if change["owner"] is self.controls["z_max"]:
            self._fit_point_to_range(change["new"])
        super()._on_change(change)

    def _fit_point_to_range(self, z_max) -> None:
        """The point slider spans the plotted range, so moving the point never rescales the axes."""
        point = self.controls["z0"]
        quiet, self._quiet = self._quiet, True  # clipping the point's value must not redraw on its own
        try:
            if z_max > point.max:
                point.max, point.min = z_max, -z_max
            else:
                point.min, point.max = -z_max, z_max
        finally:
            self._quiet = quiet

    @staticmethod
    def functions(activation, alpha):
        """``(f, f_prime)`` for the chosen activation, with ``alpha`` bound for Leaky ReLU and ELU."""
        if activation == "leaky_relu":
            return (lambda z: leaky_relu(z, alpha)), (lambda z: leaky_relu_prime(z, alpha))
        if activation == "elu":
            return (lambda z: elu(z, alpha)), (lambda z: elu_prime(z, alpha))
        act = get_activation(activation)
        return act.f, act.f_prime

    def update(self, activation, z0, z_max, alpha):
        f, f_prime = self.functions(activation, alpha)
        half = z_max if abs(z0) <= z_max else abs(z0) + 0.5  # the slider keeps |z0| <= z_max; direct calls may not
        self.static_key = (activation, half)  # alpha moves only the curves: the axes are those for alpha = 1
        z = half * self.z
        fz, dz = f(z), f_prime(z)
        f0 = float(f(np.array([z0]))[0])
        d0 = float(f_prime(np.array([z0]))[0])
        centred = float((f(np.array([z0 + self.h])) - f(np.array([z0 - self.h])))[0] / (2 * self.h))
        self.f_line.set_data(z, fz)
        self.tangent.set_data(z, f0 + d0 * (z - z0))
        self.f_point.set_data([z0], [f0])
        self.d_line.set_data(z, dz)
        self.d_point.set_data([z0], [d0])
        f_frame = self.functions(activation, 1.0)[0](z)  # axes fitted to alpha = 1 contain every alpha in [0, 1]
        lo, hi = float(min(fz.min(), f_frame.min())), float(max(fz.max(), f_frame.max()))
        pad = 0.12 * max(hi - lo, 0.5)
        self.ax_f.set(xlim=(-half, half), ylim=(lo - pad, hi + pad))
        self.ax_d.set_xlim(-half, half)
        flat = dz < FLAT
        for poly, ax in ((self.flat_f, self.ax_f), (self.flat_d, self.ax_d)):
            y0, y1 = ax.get_ylim()
            verts = [_band(z, flat, y0, y1)]
            poly.set_verts(verts)
        name = _NAMES[activation]
        param = f", α = {alpha:.2f}" if activation in ("leaky_relu", "elu") else ""
        self.ax_f.set_title(f"{name}{param}: {_range_text(activation, alpha)}")
        self.ax_d.set_title(f"its derivative: max f′ = {float(dz.max()):.3g} on this range")
        note = (f"z₀            = {z0:+.2f}\nf(z₀)         = {f0:+.4f}\nf′(z₀)        = {d0:+.4f}\n"
                f"centred diff. = {centred:+.4f}")
        if activation in ("relu", "leaky_relu") and abs(z0) < self.h:
            note += "\n\nz₀ = 0 is the kink: the slope\njumps, f′(0) is a convention"
        self.note.set_text(note)


def _band(z, mask, y0, y1):
    """One polygon covering the x-intervals where ``mask`` holds, from ``y0`` to ``y1`` (empty if none)."""
    if not mask.any():
        return np.zeros((0, 2))
    edges = np.flatnonzero(np.diff(np.r_[0, mask.astype(int), 0]))
    starts, stops = edges[::2], edges[1::2] - 1
    verts = []
    for a, b in zip(starts, stops):
        verts += [(z[a], y0), (z[a], y1), (z[b], y1), (z[b], y0), (z[a], y0)]
    return np.array(verts)


def activation_explorer(**initial):
    """Make the chapter 3 activation explorer (see :class:`ActivationExplorerPlayground`)."""
    return ActivationExplorerPlayground(**initial)
