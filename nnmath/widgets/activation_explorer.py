r"""The activation explorer (chapter 3): an activation :math:`f`, its derivative :math:`f'` and a tangent line."""

from __future__ import annotations

import math
from importlib import resources

import numpy as np
from matplotlib.collections import PolyCollection

from ..activations import elu, elu_prime, get_activation, leaky_relu, leaky_relu_prime
from ..depth import FLAT
from ..plots import PALETTE, widget_figure
from ._base import Playground
from .controls import Choice, Slider, format_value

__all__ = ["ActivationExplorerPlayground", "FLAT", "ACTIVATION_NAMES", "RANGES"]

#: The activations offered, with the names the figure shows.
ACTIVATION_NAMES = {"sigmoid": "sigmoid σ", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "Leaky ReLU",
                    "elu": "ELU"}
#: The plotted ranges ±z_max the range slider offers (each is a picture of its own in the static book).
RANGES = (2.0, 4.0, 6.0, 8.0, 10.0, 12.0)
#: The activations that take the parameter α.
WITH_ALPHA = ("leaky_relu", "elu")


def _range_text(name: str, alpha: float) -> str:
    return {
        "sigmoid": "range (0, 1)",
        "tanh": "range (−1, 1)",
        "relu": "range [0, ∞)",
        "leaky_relu": "range (−∞, ∞)" if alpha > 0 else "range [0, ∞)",
        "elu": f"range (−{format_value(alpha, '.2f')}, ∞)" if alpha > 0 else "range [0, ∞)",
    }[name]


def _alpha_label(activation: str, alpha: float) -> str:
    """The text beside the α slider: its value, and a note when the activation does not use it."""
    unused = "" if activation in WITH_ALPHA else f" (unused by {ACTIVATION_NAMES[activation]})"
    return format_value(alpha, ".2f") + unused


def _signed(value: float, fmt: str) -> str:
    """``value`` with an explicit sign, ``+0.1050`` or ``-0.1050`` (never ``-0.0000``; the page does the same)."""
    text = format_value(value, fmt)
    return text if text.startswith("-") else "+" + text


class ActivationExplorerPlayground(Playground):
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
    activations ignore it, and its label says so. The plotted range is :math:`\pm z_\text{max}`, one of
    ``RANGES``; the point's slider spans it.

    In the static book the page evaluates the same functions (``static_mode = "page"``,
    ``activation_explorer.js``): the figure is a closed form of its controls — 5 activations × 161 points ×
    6 ranges × 101 values of :math:`\alpha` — far too many states to precompute, and each is two curves of 801
    points that a few lines of script compute at once. The axes depend on the activation and the range only: 30
    pictures of the rest of the figure, one per pair.
    """

    h = 1e-5
    n_points = 801
    title = "an activation, its derivative and a tangent"
    static_mode = "page"
    page_script = resources.files(__package__).joinpath("activation_explorer.js").read_text(encoding="utf-8")

    def __init__(self, activation="sigmoid", z0=2.0, z_max=8.0, alpha=0.1):
        controls = {
            "activation": Choice("f", activation, [(label, name) for name, label in ACTIVATION_NAMES.items()]),
            "z0": Slider("point z₀", z0, -z_max, z_max, 0.1),
            "z_max": Slider("range ±", z_max, RANGES[0], RANGES[-1], RANGES[1] - RANGES[0]),
            "alpha": Slider("α (Leaky ReLU, ELU)", alpha, 0, 1, 0.01),
        }
        fig, (self.ax_f, self.ax_d) = widget_figure(2, width=9.0, height=3.8)
        super().__init__(fig, controls)
        self.base = np.linspace(-1.0, 1.0, self.n_points)  # the z axis is ±(the range) times this
        blue, orange, red, grey = PALETTE["blue"], PALETTE["orange"], PALETTE["vermillion"], PALETTE["grey"]
        self.flat_f = PolyCollection([], facecolor=grey, alpha=0.2, lw=0)
        self.flat_d = PolyCollection([], facecolor=grey, alpha=0.2, lw=0,
                                     label=f"f′(z) < {FLAT:g}: almost no gradient")
        self.ax_f.add_collection(self.flat_f)
        self.ax_d.add_collection(self.flat_d)
        (self.f_line,) = self.ax_f.plot([], [], color=blue, lw=2.2, label="f(z)")
        (self.tangent,) = self.ax_f.plot([], [], "--", color=red, lw=1.6, label="tangent at z₀, slope f′(z₀)")
        (self.f_point,) = self.ax_f.plot([], [], "o", color=red, ms=7, zorder=5)
        (self.d_line,) = self.ax_d.plot([], [], color=orange, lw=2.2, label="f′(z)")
        (self.d_point,) = self.ax_d.plot([], [], "o", color=red, ms=7, zorder=5)
        for ax in (self.ax_f, self.ax_d):
            ax.axhline(0, color="black", lw=0.5)
            ax.axvline(0, color="black", lw=0.5)
            ax.locator_params(nbins=5)
        self.ax_d.axhline(0.25, color=grey, lw=0.8, ls=":")
        self.ax_d.text(0.01, 0.25, " 1/4", color=grey, fontsize=8, va="bottom",
                       transform=self.ax_d.get_yaxis_transform())
        self.ax_f.set(xlabel="pre-activation z", ylabel="a = f(z)")
        self.ax_d.set(xlabel="pre-activation z", ylabel="f′(z)", ylim=(-0.05, 1.15))
        self.ax_f.legend(loc="upper left", fontsize=8)
        self.ax_d.legend(handles=[self.d_line, self.flat_d], loc="upper left", fontsize=8)
        self.note = self.ax_d.text(0.53, 0.5, "", transform=self.ax_d.transAxes, ha="left", va="center",
                                   fontsize=8, bbox={"facecolor": "white", "alpha": 0.9, "edgecolor": grey})
        self.dynamic = [self.flat_f, self.flat_d, self.tangent, self.f_line, self.f_point, self.d_line, self.d_point,
                        self.note, self.ax_f.title, self.ax_d.title]

    # -- the equations ----------------------------------------------------------------------------------------
    @staticmethod
    def functions(activation, alpha):
        """``(f, f_prime)`` for the chosen activation, with ``alpha`` bound for Leaky ReLU and ELU."""
        if activation == "leaky_relu":
            return (lambda z: leaky_relu(z, alpha)), (lambda z: leaky_relu_prime(z, alpha))
        if activation == "elu":
            return (lambda z: elu(z, alpha)), (lambda z: elu_prime(z, alpha))
        act = get_activation(activation)
        return act.f, act.f_prime

    @staticmethod
    def half_range(z0, z_max) -> float:
        """The plotted range ±half: ``z_max``, unless the point lies outside it (a direct call, or the page,
        whose point slider keeps the range it was built with); then the first of ``RANGES`` (or even number)
        that holds the point with half a unit to spare."""
        if abs(z0) <= z_max:
            return float(z_max)
        need = abs(z0) + 0.5
        return next((r for r in RANGES if r >= need), 2.0 * math.ceil(need / 2.0))

    def y_range(self, activation, half) -> tuple:
        """The left panel's y range for an activation on ±half: fitted to α = 1, which holds the curve of every
        α in [0, 1] (so α never moves the axes), padded by 12%."""
        f = self.functions(activation, 1.0)[0](half * self.base)
        lo, hi = float(f.min()), float(f.max())
        pad = 0.12 * max(hi - lo, 0.5)
        return lo - pad, hi + pad

    def disabled(self, activation, **_) -> list:
        """α is greyed out for the activations that have no α (sigmoid, tanh, ReLU)."""
        return [] if activation in WITH_ALPHA else ["alpha"]

    def numbers(self, activation, z0, z_max, alpha) -> dict:
        """Every number and text the figure shows for these controls, computed with ``nnmath`` (the page's
        ``activation_explorer.js`` computes the same).

        ``half``: the plotted range; ``f``, ``d``: :math:`f` and :math:`f'` at the 801 points ``half * base``;
        ``f0``, ``d0``: at :math:`z_0`; ``tangent``: the tangent's two ends; ``bands``: the intervals where
        :math:`f' < 0.01`; ``ylim``: the left panel's range; the titles, the note and the label beside α.
        """
        f, f_prime = self.functions(activation, alpha)
        half = self.half_range(z0, z_max)
        z = half * self.base
        fz, dz = f(z), f_prime(z)
        point = np.array([z0])
        f0, d0 = float(f(point)[0]), float(f_prime(point)[0])
        centred = float((f(point + self.h) - f(point - self.h))[0] / (2 * self.h))
        ends = np.array([-half, half])
        name = ACTIVATION_NAMES[activation]
        param = f", α = {format_value(alpha, '.2f')}" if activation in WITH_ALPHA else ""
        note = (f"z₀ = {_signed(z0, '.2f')}\nf(z₀) = {_signed(f0, '.4f')}\nf′(z₀) = {_signed(d0, '.4f')}\n"
                f"centred difference = {_signed(centred, '.4f')}")
        if activation in ("relu", "leaky_relu") and abs(z0) < self.h:
            note += "\n\nz₀ = 0 is the kink: the slope\njumps, f′(0) is a convention"
        return {"half": half, "f": fz, "d": dz, "f0": f0, "d0": d0,
                "tangent": (ends, f0 + d0 * (ends - z0)), "bands": _bands(z, dz < FLAT),
                "ylim": self.y_range(activation, half),
                "title_f": f"{name}{param}: {_range_text(activation, alpha)}",
                "title_d": f"its derivative: max f′ = {format_value(float(dz.max()), '.3g')} on this range",
                "note": note, "alpha_label": _alpha_label(activation, alpha)}

    # -- the figure --------------------------------------------------------------------------------------------
    def update(self, activation, z0, z_max, alpha):
        v = self.numbers(activation, z0, z_max, alpha)
        half = v["half"]
        self.static_key = (activation, half)  # alpha moves only the curves: the axes are those for alpha = 1
        z = half * self.base
        self.f_line.set_data(z, v["f"])
        self.tangent.set_data(*v["tangent"])
        self.f_point.set_data([z0], [v["f0"]])
        self.d_line.set_data(z, v["d"])
        self.d_point.set_data([z0], [v["d0"]])
        self.ax_f.set(xlim=(-half, half), ylim=v["ylim"])
        self.ax_d.set_xlim(-half, half)
        for poly, ax in ((self.flat_f, self.ax_f), (self.flat_d, self.ax_d)):
            y0, y1 = ax.get_ylim()
            poly.set_verts([[(a, y0), (a, y1), (b, y1), (b, y0)] for a, b in v["bands"]])
        self.ax_f.set_title(v["title_f"])
        self.ax_d.set_title(v["title_d"])
        self.note.set_text(v["note"])

    def labels(self, activation, alpha, **_):
        """Beside α: its value, and whether the chosen activation uses it."""
        return {"alpha": _alpha_label(activation, alpha)}

    def adjust(self, name, values):
        """A new range: the point's slider spans it, so moving the point never rescales the axes."""
        if name == "z_max":
            self.controls["z0"].set_range(-values["z_max"], values["z_max"])
            values["z0"] = self.controls["z0"].value
        return values

    def static_page(self) -> dict:
        """The page's equation (``activation_explorer.js``) and what it draws with: the z axis, the y range of the
        left panel for each activation and range, one background per activation and range."""
        ranges = [float(r) for r in RANGES]
        return {"equation": "activation_explorer", "axes": {"f": self.ax_f, "d": self.ax_d},
                "templates": {"flat_f": self.flat_f, "flat_d": self.flat_d, "tangent": self.tangent,
                              "f_line": self.f_line, "f_point": self.f_point, "d_line": self.d_line,
                              "d_point": self.d_point, "note": self.note, "title_f": self.ax_f.title,
                              "title_d": self.ax_d.title},
                "backgrounds": [{"activation": a, "z_max": r, "z0": 0.0} for a in ACTIVATION_NAMES for r in ranges],
                "data": {"base": self.base.tolist(), "h": self.h, "flat": FLAT, "ranges": ranges,
                         "names": ACTIVATION_NAMES, "activations": list(ACTIVATION_NAMES), "with_alpha": WITH_ALPHA,
                         "ylims": {a: [list(self.y_range(a, r)) for r in ranges] for a in ACTIVATION_NAMES}}}


def _bands(z, mask) -> list:
    """The intervals ``[z_a, z_b]`` of the grid ``z`` where ``mask`` holds (a run of points each)."""
    edges = np.flatnonzero(np.diff(np.r_[0, mask.astype(int), 0]))
    return [(float(z[a]), float(z[b - 1])) for a, b in zip(edges[::2], edges[1::2])]
