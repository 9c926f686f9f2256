r"""The weight-matrix widget (chapter 2): a 2×2 matrix :math:`W` warping the plane, then a ReLU's fold."""

from __future__ import annotations

import ipywidgets as w
import numpy as np

from ..activations import relu
from ..plots import PALETTE, draw_grid, grid_lines, widget_figure
from ._base import Playground, slider

__all__ = ["LinearMapPlayground", "linear_map_playground"]


class LinearMapPlayground(Playground):
    r"""Every point :math:`\mathbf x` of the plane (a row vector) is sent to :math:`\mathbf y = \mathbf x W`.

    .. math::
        W = \begin{pmatrix} w_{11} & w_{12} \\ w_{21} & w_{22} \end{pmatrix}, \qquad
        \mathbf e_1 W = (w_{11}, w_{12}), \quad \mathbf e_2 W = (w_{21}, w_{22})

    so the rows of :math:`W` are where the two basis vectors land, straight lines stay straight,
    and areas scale by :math:`|\det W|`. With "ReLU after" on, the picture becomes
    :math:`\max(0, \mathbf x W)`: everything outside the positive quadrant is folded onto its edges.
    """

    lim = 2.0

    def __init__(self, w11=1.0, w12=0.5, w21=-0.5, w22=1.0, relu_after=False):
        controls = {
            "w11": slider("w₁₁", w11, -2, 2, 0.1),
            "w12": slider("w₁₂", w12, -2, 2, 0.1),
            "w21": slider("w₂₁", w21, -2, 2, 0.1),
            "w22": slider("w₂₂", w22, -2, 2, 0.1),
            "relu_after": w.Checkbox(value=relu_after, description="ReLU after", indent=False),
        }
        fig, (self.ax_in, self.ax_out) = widget_figure(2, width=8.0, height=4.0)
        super().__init__(fig, controls)
        self.lines = grid_lines(self.lim, n_lines=9, n_points=161)
        draw_grid(self.ax_in, self.lines)
        self.out_lines = draw_grid(self.ax_out, self.lines, color=PALETTE["sky"])
        theta = np.linspace(0, 2 * np.pi, 200)
        self.circle = np.column_stack([np.cos(theta), np.sin(theta)])
        self.square = np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], dtype=float)
        for ax, title in ((self.ax_in, "input plane  x"), (self.ax_out, "")):
            ax.set(aspect="equal", xlabel="first coordinate", ylabel="second coordinate")
            ax.axhline(0, color="black", lw=0.6)
            ax.axvline(0, color="black", lw=0.6)
            ax.set_title(title)
        self.ax_in.set(xlim=(-self.lim, self.lim), ylim=(-self.lim, self.lim))
        self.ax_in.fill(self.square[:, 0], self.square[:, 1], color=PALETTE["orange"], alpha=0.5)
        self.ax_in.plot(self.circle[:, 0], self.circle[:, 1], color=PALETTE["blue"], lw=2)
        self._arrows(self.ax_in, np.eye(2))
        (self.square_out,) = self.ax_out.fill([], [], color=PALETTE["orange"], alpha=0.5, label="unit square")
        (self.circle_out,) = self.ax_out.plot([], [], color=PALETTE["blue"], lw=2, label="unit circle")
        self.arrows_out = self._arrows(self.ax_out, np.eye(2))
        view = 5.0
        self.ax_out.set(xlim=(-view, view), ylim=(-view, view))
        self.ax_out.legend(loc="lower right", fontsize=8)

    @staticmethod
    def _arrows(ax, rows):
        colors = (PALETTE["vermillion"], PALETTE["green"])
        return [ax.annotate("", xy=tuple(r), xytext=(0, 0),
                            arrowprops={"arrowstyle": "->", "lw": 2.2, "color": c})
                for r, c in zip(rows, colors)]

    def update(self, w11, w12, w21, w22, relu_after):
        W = np.array([[w11, w12], [w21, w22]])
        f = relu if relu_after else (lambda v: v)
        for line, pts in zip(self.out_lines, self.lines):
            y = f(pts @ W)
            line.set_data(y[:, 0], y[:, 1])
        sq = f(self.square @ W)
        self.square_out.set_xy(sq)
        ci = f(self.circle @ W)
        self.circle_out.set_data(ci[:, 0], ci[:, 1])
        for arrow, row in zip(self.arrows_out, f(W)):
            arrow.xy = tuple(row)
        det = np.linalg.det(W)
        what = "y = max(0, xW)" if relu_after else "y = xW"
        self.ax_out.set_title(f"{what},  det W = {det:+.2f}")


def linear_map_playground(**initial):
    """Make the chapter 2 weight-matrix widget (see :class:`LinearMapPlayground`)."""
    return LinearMapPlayground(**initial)
