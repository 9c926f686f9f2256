r"""The dot-product widget (chapter 2): :math:`\mathbf x \cdot \mathbf w = \|\mathbf x\| \|\mathbf w\| \cos\varphi`."""

from __future__ import annotations

from importlib import resources

import numpy as np

from ..plots import PALETTE, arrow_polyline, widget_figure
from ._base import Playground
from .controls import Slider

__all__ = ["DotProductPlayground"]

#: How long the arrows' heads are, in data units.
HEAD = 0.2
#: The radius of the arc that marks the angle.
ARC = 0.45


def _clean(v: float) -> float:
    """Round-off that would print as "-0.00" prints as "+0.00"."""
    return 0.0 if abs(v) < 5e-3 else float(v)


class DotProductPlayground(Playground):
    r"""Turn and stretch an input :math:`\mathbf x` against a fixed weight vector :math:`\mathbf w`.

    .. math::
        \mathbf x \cdot \mathbf w = x_1 w_1 + x_2 w_2 = \lVert\mathbf x\rVert\,\lVert\mathbf w\rVert \cos\varphi

    Left: the two arrows, the angle :math:`\varphi` from :math:`\mathbf w` to :math:`\mathbf x`, the shadow
    (projection) of :math:`\mathbf x` on the line of :math:`\mathbf w`, of signed length
    :math:`\lVert\mathbf x\rVert\cos\varphi`, and the line :math:`\mathbf x \cdot \mathbf w = 0` that separates
    the inputs a neuron with weights :math:`\mathbf w` scores positive from those it scores negative. Right:
    :math:`\mathbf x \cdot \mathbf w` as a function of :math:`\varphi` at the current length, with the current
    point marked.

    In the static book the page evaluates the same formulas (``static_mode = "page"``, ``dot_product.js``): the
    figure is a closed-form function of its two sliders. Their 73 × 26 positions could be precomputed, but each
    state carries a curve of 361 points and an arc, so the page's few lines of arithmetic weigh a tenth of the
    recorded states and take the same positions.
    """

    view = 2.6
    title = "the dot product x · w"
    static_mode = "page"
    page_script = resources.files(__package__).joinpath("dot_product.js").read_text(encoding="utf-8")

    def __init__(self, phi=40.0, norm_x=1.5, w=(1.6, 0.6)):
        self.w = np.asarray(w, dtype=float)
        if self.w.shape != (2,) or not np.all(np.isfinite(self.w)) or np.hypot(*self.w) == 0:
            raise ValueError(f"w must be a non-zero vector of 2 finite numbers; got {w!r}")
        self.norm_w = float(np.hypot(*self.w))
        self.angle_w = float(np.arctan2(self.w[1], self.w[0]))
        controls = {
            "phi": Slider("angle φ from w to x (degrees)", phi, -180, 180, 5),
            "norm_x": Slider("length ‖x‖", norm_x, 0, 2.5, 0.1),
        }
        fig, (self.ax, self.ax_c) = widget_figure(2, width=8.6, height=4.0, width_ratios=[1, 1.15])
        super().__init__(fig, controls)
        v = self.view
        ax = self.ax
        ax.set(xlim=(-v, v), ylim=(-v, v), aspect="equal", xlabel="first coordinate", ylabel="second coordinate")
        ax.axhline(0, color="black", lw=0.4)
        ax.axvline(0, color="black", lw=0.4)
        u = self.w / self.norm_w
        perp = np.array([-u[1], u[0]])
        big = 4 * v
        # the half-plane x·w > 0 tinted; its edge x·w = 0 dashed
        ax.fill([big * perp[0], big * perp[0] + big * u[0], -big * perp[0] + big * u[0], -big * perp[0]],
                [big * perp[1], big * perp[1] + big * u[1], -big * perp[1] + big * u[1], -big * perp[1]],
                color=PALETTE["green"], alpha=0.08, lw=0)
        ax.plot([-big * perp[0], big * perp[0]], [-big * perp[1], big * perp[1]], "--", color=PALETTE["grey"],
                lw=1, label="x · w = 0")
        ax.plot([-big * u[0], big * u[0]], [-big * u[1], big * u[1]], color=PALETTE["grey"], lw=0.6, alpha=0.6)
        (self.drop,) = ax.plot([], [], ":", color="black", lw=1)
        (self.shadow,) = ax.plot([], [], color=PALETTE["orange"], lw=5, alpha=0.85, solid_capstyle="butt",
                                 label="shadow of x on w: ‖x‖ cos φ")
        # w does not move, but lies over the shadow: drawn after it
        arrow = {"lw": 2.4, "solid_capstyle": "round", "solid_joinstyle": "round"}
        (self.w_arrow,) = ax.plot(*arrow_polyline(*self.w, head=HEAD), color=PALETTE["vermillion"], **arrow)
        self.w_label = ax.text(*(self.w + 0.12 * perp), "w", color=PALETTE["vermillion"], fontsize=12,
                               weight="bold")
        (self.x_arrow,) = ax.plot([], [], color=PALETTE["blue"], **arrow)
        self.x_label = ax.text(0, 0, "x", color=PALETTE["blue"], fontsize=12, weight="bold")
        (self.arc,) = ax.plot([], [], color="black", lw=1)
        self.phi_label = ax.text(0, 0, "φ", fontsize=11, ha="center", va="center")
        ax.legend(loc="lower left", fontsize=7.5)
        ax.text(0.98, 0.98, "x · w > 0", transform=ax.transAxes, ha="right", va="top", fontsize=8,
                color=PALETTE["green"])
        ax.set_title(" ", fontsize=10)
        # right panel: x·w against φ
        self.phis = np.linspace(-180, 180, 361)
        (self.curve,) = self.ax_c.plot([], [], color=PALETTE["blue"], lw=2, label="‖x‖ ‖w‖ cos φ")
        (self.point,) = self.ax_c.plot([], [], "o", color=PALETTE["vermillion"], ms=8, zorder=3)
        self.ax_c.axhline(0, color="black", lw=0.6)
        for t in (-90, 90):
            self.ax_c.axvline(t, color=PALETTE["grey"], lw=0.8, ls="--")
        top = 2.5 * self.norm_w
        self.ax_c.set(xlim=(-180, 180), ylim=(-1.15 * top, 1.15 * top), xticks=range(-180, 181, 90),
                      xlabel="angle φ from w to x (degrees)", ylabel="x · w")
        self.ax_c.text(0, 1.08 * top, "aligned:\nlargest", ha="center", va="top", fontsize=8)
        self.ax_c.text(90, 1.08 * top, "perpendicular:\n0", ha="center", va="top", fontsize=8)
        self.ax_c.text(-180, -1.1 * top, "opposite:\nmost negative", ha="left", va="bottom", fontsize=8)
        self.ax_c.legend(loc="lower right", fontsize=8)
        self.ax_c.set_title(" \n ", fontsize=10)
        self.dynamic = [self.drop, self.shadow, self.w_arrow, self.w_label, self.x_arrow, self.x_label, self.arc,
                        self.phi_label, self.curve, self.point, self.ax.title, self.ax_c.title]

    def numbers(self, phi, norm_x) -> dict:
        r"""Every number the figure shows for these controls (the page computes the same).

        ``x``: the input; ``x_arrow``, ``drop``, ``shadow``, ``arc``: polylines ``[xs, ys]``; ``x_label``,
        ``phi_label``: where those labels go (``phi_label`` empty below 15°); ``curve``: :math:`\mathbf x \cdot
        \mathbf w` at every degree from -180 to 180; ``point``: :math:`(\varphi, \lVert\mathbf x\rVert\lVert\mathbf
        w\rVert\cos\varphi)`; the two titles. Sums are written out term by term, in the page's order.
        """
        w1, w2 = self.w
        angle = self.angle_w + np.deg2rad(phi)
        x1, x2 = norm_x * np.cos(angle), norm_x * np.sin(angle)
        u1, u2 = w1 / self.norm_w, w2 / self.norm_w
        along = x1 * u1 + x2 * u2  # ‖x‖ cos φ, the shadow's signed length
        s1, s2 = along * u1, along * u2
        arc = self.angle_w + np.linspace(0, np.deg2rad(phi), 60)
        mid = self.angle_w + np.deg2rad(phi) / 2
        if norm_x > 0:
            x_label = [x1 * (1 + 0.12 / norm_x), x2 * (1 + 0.12 / norm_x)]
        else:
            x_label = [0.1, 0.1]
        cos = _clean(np.cos(np.deg2rad(phi)))
        algebraic = _clean(x1 * w1 + x2 * w2)
        geometric = _clean(norm_x * self.norm_w * cos)
        cos_text = f"({cos:.2f})" if cos < 0 else f"{cos:.2f}"
        return {"x": [x1, x2], "x_arrow": arrow_polyline(x1, x2, head=HEAD), "drop": [[x1, s1], [x2, s2]],
                "shadow": [[0.0, s1], [0.0, s2]], "arc": [ARC * np.cos(arc), ARC * np.sin(arc)], "x_label": x_label,
                "phi_label": [1.5 * ARC * np.cos(mid), 1.5 * ARC * np.sin(mid)] if abs(phi) >= 15 else [],
                "curve": norm_x * self.norm_w * np.cos(np.deg2rad(self.phis)), "point": [phi, geometric],
                "title": f"x = ({_clean(x1):+.2f}, {_clean(x2):+.2f}),  w = ({w1:.1f}, {w2:.1f})",
                "c_title": f"x₁w₁ + x₂w₂ = {algebraic:+.2f}\n‖x‖ ‖w‖ cos φ = {norm_x:.1f} · {self.norm_w:.2f} · "
                           f"{cos_text} = {geometric:+.2f}"}

    def update(self, phi, norm_x):
        numbers = self.numbers(phi=phi, norm_x=norm_x)
        self.x_arrow.set_data(*numbers["x_arrow"])
        self.x_label.set_position(numbers["x_label"])
        self.drop.set_data(*numbers["drop"])
        self.shadow.set_data(*numbers["shadow"])
        self.arc.set_data(*numbers["arc"])
        self.phi_label.set_visible(bool(numbers["phi_label"]))
        if numbers["phi_label"]:
            self.phi_label.set_position(numbers["phi_label"])
        self.curve.set_data(self.phis, numbers["curve"])
        self.point.set_data([numbers["point"][0]], [numbers["point"][1]])
        self.ax.title.set_text(numbers["title"])
        self.ax_c.title.set_text(numbers["c_title"])

    def static_page(self) -> dict:
        """The page's equation (``dot_product.js``) and what it draws with: w, the angles of the right panel's
        curve, and w's arrow and label (which lie over the shadow) as recorded commands."""
        return {"equation": "dot_product", "axes": {"plane": self.ax, "curve": self.ax_c},
                "templates": {name: getattr(self, name) for name in (
                    "drop", "shadow", "x_arrow", "x_label", "arc", "phi_label", "curve", "point")}
                | {"title": self.ax.title, "c_title": self.ax_c.title},
                "template_values": {"phi": 40.0, "norm_x": 1.5},  # every part shows
                "recorded": {"w": [self.w_arrow, self.w_label]},
                "data": {"w": self.w.tolist(), "norm_w": self.norm_w, "angle_w": self.angle_w,
                         "phis": self.phis.tolist(), "head": HEAD, "arc": ARC}}
