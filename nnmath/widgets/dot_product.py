r"""The dot-product widget (chapter 2): :math:`\mathbf x \cdot \mathbf w = \|\mathbf x\| \|\mathbf w\| \cos\theta`."""

from __future__ import annotations

import numpy as np

from ..plots import PALETTE, widget_figure
from ._base import Playground, slider
from ._blit import BlitMixin

__all__ = ["DotProductPlayground", "dot_product_playground"]


def _clean(v: float) -> float:
    """Round-off that would print as "-0.00" prints as "+0.00"."""
    return 0.0 if abs(v) < 5e-3 else float(v)


class DotProductPlayground(BlitMixin, Playground):
    r"""Turn and stretch an input :math:`\mathbf x` against a fixed weight vector :math:`\mathbf w`.

    .. math::
        \mathbf x \cdot \mathbf w = x_1 w_1 + x_2 w_2 = \lVert\mathbf x\rVert\,\lVert\mathbf w\rVert \cos\theta

    Left: the two arrows, the angle :math:`\theta` from :math:`\mathbf w` to :math:`\mathbf x`, the shadow
    (projection) of :math:`\mathbf x` on the line of :math:`\mathbf w`, of signed length
    :math:`\lVert\mathbf x\rVert\cos\theta`, and the line :math:`\mathbf x \cdot \mathbf w = 0` that separates
    the inputs a neuron with weights :math:`\mathbf w` scores positive from those it scores negative. Right:
    :math:`\mathbf x \cdot \mathbf w` as a function of :math:`\theta` at the current length, with the current
    point marked.
    """

    view = 2.6

    def __init__(self, theta=40.0, norm_x=1.5, w=(1.6, 0.6)):
        self.w = np.asarray(w, dtype=float)
        if self.w.shape != (2,) or not np.all(np.isfinite(self.w)) or np.hypot(*self.w) == 0:
            raise ValueError(f"w must be a non-zero vector of 2 finite numbers; got {w!r}")
        self.norm_w = float(np.hypot(*self.w))
        self.phi_w = float(np.arctan2(self.w[1], self.w[0]))
        controls = {
            "theta": slider("angle θ from w to x (degrees)", theta, -180, 180, 5),
            "norm_x": slider("length ‖x‖", norm_x, 0, 2.5, 0.1),
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
        ax.annotate("", xy=tuple(self.w), xytext=(0, 0),
                    arrowprops={"arrowstyle": "->", "lw": 2.4, "color": PALETTE["vermillion"]})
        ax.text(*(self.w + 0.12 * perp), "w", color=PALETTE["vermillion"], fontsize=12, weight="bold")
        self.x_arrow = ax.annotate("", xy=(1, 0), xytext=(0, 0),
                                   arrowprops={"arrowstyle": "->", "lw": 2.4, "color": PALETTE["blue"]})
        self.x_label = ax.text(0, 0, "x", color=PALETTE["blue"], fontsize=12, weight="bold")
        (self.drop,) = ax.plot([], [], ":", color="black", lw=1)
        (self.shadow,) = ax.plot([], [], color=PALETTE["orange"], lw=5, alpha=0.85, solid_capstyle="butt",
                                 label="shadow of x on w: ‖x‖ cos θ")
        (self.arc,) = ax.plot([], [], color="black", lw=1)
        self.theta_label = ax.text(0, 0, "θ", fontsize=11, ha="center", va="center")
        ax.legend(loc="lower left", fontsize=7.5)
        ax.text(0.98, 0.98, "x · w > 0", transform=ax.transAxes, ha="right", va="top", fontsize=8,
                color=PALETTE["green"])
        # right panel: x·w against θ
        self.thetas = np.linspace(-180, 180, 361)
        (self.curve,) = self.ax_c.plot([], [], color=PALETTE["blue"], lw=2, label="‖x‖ ‖w‖ cos θ")
        (self.point,) = self.ax_c.plot([], [], "o", color=PALETTE["vermillion"], ms=8, zorder=3)
        self.ax_c.axhline(0, color="black", lw=0.6)
        for t in (-90, 90):
            self.ax_c.axvline(t, color=PALETTE["grey"], lw=0.8, ls="--")
        top = 2.5 * self.norm_w
        self.ax_c.set(xlim=(-180, 180), ylim=(-1.15 * top, 1.15 * top), xticks=range(-180, 181, 90),
                      xlabel="angle θ from w to x (degrees)", ylabel="x · w")
        self.ax_c.text(0, 1.08 * top, "aligned:\nlargest", ha="center", va="top", fontsize=8)
        self.ax_c.text(90, 1.08 * top, "perpendicular:\n0", ha="center", va="top", fontsize=8)
        self.ax_c.text(-180, -1.1 * top, "opposite:\nmost negative", ha="left", va="bottom", fontsize=8)
        self.ax_c.legend(loc="lower right", fontsize=8)
        self.dynamic = [self.drop, self.shadow, self.x_arrow, self.x_label, self.arc, self.theta_label, self.curve,
                        self.point, self.ax.title, self.ax_c.title]

    def update(self, theta, norm_x):
        angle = self.phi_w + np.deg2rad(theta)
        x = norm_x * np.array([np.cos(angle), np.sin(angle)])
        u = self.w / self.norm_w
        self.x_arrow.xy = tuple(x)
        self.x_arrow.set_visible(norm_x > 0)
        self.x_label.set_position(tuple(x * (1 + 0.12 / max(norm_x, 1e-9)) if norm_x > 0 else (0.1, 0.1)))
        shadow = (x @ u) * u
        self.drop.set_data([x[0], shadow[0]], [x[1], shadow[1]])
        self.shadow.set_data([0, shadow[0]], [0, shadow[1]])
        r = 0.45
        arc = self.phi_w + np.linspace(0, np.deg2rad(theta), 60)
        self.arc.set_data(r * np.cos(arc), r * np.sin(arc))
        mid = self.phi_w + np.deg2rad(theta) / 2
        self.theta_label.set_position((1.5 * r * np.cos(mid), 1.5 * r * np.sin(mid)))
        self.theta_label.set_visible(abs(theta) >= 15)
        cos = _clean(np.cos(np.deg2rad(theta)))
        algebraic = _clean(x @ self.w)
        geometric = _clean(norm_x * self.norm_w * cos)
        self.ax.set_title(f"x = ({x[0]:+.2f}, {x[1]:+.2f}),  w = ({self.w[0]:.1f}, {self.w[1]:.1f})", fontsize=10)
        self.curve.set_data(self.thetas, norm_x * self.norm_w * np.cos(np.deg2rad(self.thetas)))
        self.point.set_data([theta], [geometric])
        cos_text = f"({cos:.2f})" if cos < 0 else f"{cos:.2f}"
        self.ax_c.set_title(f"x₁w₁ + x₂w₂ = {algebraic:+.2f}\n‖x‖ ‖w‖ cos θ = {norm_x:.1f} · {self.norm_w:.2f} · "
                            f"{cos_text} = {geometric:+.2f}", fontsize=10)


def dot_product_playground(**initial):
    """Make the chapter 2 dot-product widget (see :class:`DotProductPlayground`)."""
    return DotProductPlayground(**initial)
