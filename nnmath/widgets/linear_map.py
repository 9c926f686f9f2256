r"""The weight-matrix widget (chapter 2): a 2×2 matrix :math:`W` warping the plane, then a ReLU's fold."""

from __future__ import annotations

import ipywidgets as w
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..activations import relu
from ..plots import PALETTE, draw_grid, grid_lines, widget_figure
from ..plots.linear import UNIT_SQUARE, det2, orientation_color
from ._base import Playground, slider
from ._blit import BlitMixin

__all__ = ["LinearMapPlayground", "linear_map_playground", "PRESETS"]

_C, _S = np.cos(np.pi / 6), np.sin(np.pi / 6)

#: Matrices worth trying, by name (rows are the images of e1 and e2).
PRESETS = {
    "identity": ((1.0, 0.0), (0.0, 1.0)),
    "stretch x, squash y": ((1.5, 0.0), (0.0, 0.5)),
    "rotate 30°": ((round(_C, 3), round(_S, 3)), (round(-_S, 3), round(_C, 3))),
    "shear": ((1.0, 0.0), (1.0, 1.0)),
    "mirror (x₁ → −x₁)": ((-1.0, 0.0), (0.0, 1.0)),
    "singular (det 0)": ((1.0, 0.5), (2.0, 1.0)),
}
CUSTOM = "(your own)"
_WEIGHTS = ("w11", "w12", "w21", "w22")


def _describe(det: float) -> str:
    if abs(det) < 1e-9:
        return "areas → 0: the plane collapses onto a line (or a point)"
    kept = "orientation kept" if det > 0 else "orientation flipped"
    return f"areas × {abs(det):.2f},  {kept}"


def _quadrant_colors(Y):
    """One colour per point by the signs of its two coordinates (which part of the plane ReLU folds where)."""
    table = {(True, True): PALETTE["blue"], (False, True): PALETTE["orange"],
             (True, False): PALETTE["purple"], (False, False): PALETTE["black"]}
    return [table[(bool(a > 0), bool(c > 0))] for a, c in Y]


class LinearMapPlayground(BlitMixin, Playground):
    r"""Every point :math:`\mathbf x` of the plane (a row vector) is sent to :math:`\mathbf y = \mathbf x W`.

    .. math::
        W = \begin{pmatrix} w_{11} & w_{12} \\ w_{21} & w_{22} \end{pmatrix}, \qquad
        \mathbf e_1 W = (w_{11}, w_{12}), \quad \mathbf e_2 W = (w_{21}, w_{22})

    so the rows of :math:`W` are where the two basis vectors land (vermillion and green arrows), straight
    lines stay straight, and areas scale by :math:`|\det W|`: the unit square (orange) becomes the
    parallelogram spanned by the rows, purple when :math:`\det W < 0` (orientation flipped). With
    "ReLU after" on, the picture becomes :math:`\max(0, \mathbf x W)`: everything outside the positive
    quadrant is folded onto its edges, and the linear image is kept in grey for comparison.
    """

    lim = 2.0
    view = 3.2

    def __init__(self, w11=1.0, w12=0.5, w21=-0.5, w22=1.0, relu_after=False, preset=CUSTOM):
        if preset != CUSTOM:
            (w11, w12), (w21, w22) = PRESETS[preset]
        controls = {
            "preset": w.Dropdown(options=[CUSTOM, *PRESETS], value=preset, description="try",
                                 layout=w.Layout(width="250px")),
            "w11": slider("w₁₁", w11, -2, 2, 0.05),
            "w12": slider("w₁₂", w12, -2, 2, 0.05),
            "w21": slider("w₂₁", w21, -2, 2, 0.05),
            "w22": slider("w₂₂", w22, -2, 2, 0.05),
            "relu_after": w.Checkbox(value=relu_after, description="ReLU after", indent=False),
        }
        fig, (self.ax_in, self.ax_out) = widget_figure(2, width=8.0, height=5.2)
        super().__init__(fig, controls)
        self._syncing = False
        self.lines = grid_lines(self.lim, n_lines=9, n_points=161)
        theta = np.linspace(0, 2 * np.pi, 200)
        self.circle = np.column_stack([np.cos(theta), np.sin(theta)])
        for ax in (self.ax_in, self.ax_out):
            ax.set(aspect="equal", xlim=(-self.view, self.view), ylim=(-self.view, self.view))
            ax.axhline(0, color="black", lw=0.6)
            ax.axvline(0, color="black", lw=0.6)
        self.ax_in.set(title="input plane: x", xlabel="x₁", ylabel="x₂")
        self.ax_out.set(xlabel="y₁", ylabel="y₂")
        draw_grid(self.ax_in, self.lines)
        self.ax_in.fill(UNIT_SQUARE[:, 0], UNIT_SQUARE[:, 1], color=PALETTE["orange"], alpha=0.55, lw=0)
        self.ax_in.plot(self.circle[:, 0], self.circle[:, 1], color=PALETTE["blue"], lw=2)
        self._arrows(self.ax_in, np.eye(2))
        self.ax_in.text(1.05, 0.12, "e₁", color=PALETTE["vermillion"], fontsize=10)
        self.ax_in.text(0.1, 1.05, "e₂", color=PALETTE["green"], fontsize=10)
        self.ghost_lines = draw_grid(self.ax_out, self.lines, color=PALETTE["grey"], lw=0.5, alpha=0.5)
        self.out_lines = draw_grid(self.ax_out, self.lines, color=PALETTE["sky"])
        (self.square_out,) = self.ax_out.fill([], [], color=PALETTE["orange"], alpha=0.55, lw=0)
        (self.circle_out,) = self.ax_out.plot([], [], color=PALETTE["blue"], lw=2)
        self.arrows_out = self._arrows(self.ax_out, np.eye(2))
        t = np.linspace(-self.lim, self.lim, 21)
        self.points = np.array([(a, c) for c in t for a in t])
        self.dots_in = self.ax_in.scatter(self.points[:, 0], self.points[:, 1], s=7, zorder=1.5, visible=False)
        self.dots_out = self.ax_out.scatter(self.points[:, 0], self.points[:, 1], s=7, zorder=1.5, visible=False)
        self.note = self.ax_out.text(0.02, 0.02, "", transform=self.ax_out.transAxes, fontsize=8.5,
                                     bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none"})
        self._legend()
        self.dynamic = [*self.ghost_lines, *self.out_lines, self.square_out, self.circle_out, self.dots_in,
                        self.dots_out, *self.arrows_out, self.note, self.ax_in.title, self.ax_out.title]

    def _legend(self):
        def patch(color, label):
            return Patch(color=color, alpha=0.55, label=label)

        def dot(color, label):
            return Line2D([], [], ls="", marker="o", ms=5, color=color, label=label)

        handles = [
            patch(PALETTE["orange"], "unit square / its image (det > 0)"),
            Line2D([], [], color=PALETTE["vermillion"], lw=2, label="e₁ and its image e₁W = row 1 of W"),
            dot(PALETTE["blue"], "ReLU on, dots with y = xW in (+,+): kept"),
            dot(PALETTE["orange"], "(−,+): folded onto the y₂-axis"),
            patch(PALETTE["purple"], "image when det < 0 (flipped)"),
            Line2D([], [], color=PALETTE["green"], lw=2, label="e₂ and its image e₂W = row 2 of W"),
            dot(PALETTE["purple"], "(+,−): folded onto the y₁-axis"),
            dot(PALETTE["black"], "(−,−): sent to the origin"),
        ]
        self.figure.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=8, columnspacing=1.2,
                           handlelength=1.6)

    @staticmethod
    def _arrows(ax, rows):
        colors = (PALETTE["vermillion"], PALETTE["green"])
        return [ax.annotate("", xy=tuple(r), xytext=(0, 0), arrowprops={"arrowstyle": "->", "lw": 2.2, "color": c})
                for r, c in zip(rows, colors)]

    # -- the preset menu and the sliders keep each other in step ------------------------------------------------
    def _on_change(self, change) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            preset = self.controls["preset"]
            if change["owner"] is preset and preset.value in PRESETS:
                for name, value in zip(_WEIGHTS, np.ravel(PRESETS[preset.value])):
                    self.controls[name].value = float(value)
            elif change["owner"] is not preset and preset.value in PRESETS:
                current = tuple(self.controls[name].value for name in _WEIGHTS)
                if not np.allclose(current, np.ravel(PRESETS[preset.value])):
                    preset.value = CUSTOM
        finally:
            self._syncing = False
        self.refresh()

    def update(self, w11, w12, w21, w22, relu_after, preset=None):
        W = np.array([[w11, w12], [w21, w22]], dtype=float)
        f = relu if relu_after else (lambda v: v)
        for line, ghost, pts in zip(self.out_lines, self.ghost_lines, self.lines):
            y = pts @ W
            ghost.set_data(y[:, 0], y[:, 1])
            ghost.set_visible(bool(relu_after))
            fy = f(y)
            line.set_data(fy[:, 0], fy[:, 1])
        det = det2(W)
        self.square_out.set_xy(f(UNIT_SQUARE @ W))
        self.square_out.set_facecolor(orientation_color(det))
        ci = f(self.circle @ W)
        self.circle_out.set_data(ci[:, 0], ci[:, 1])
        for arrow, row in zip(self.arrows_out, f(W)):
            arrow.xy = tuple(row)
        colors = _quadrant_colors(self.points @ W)
        self.dots_in.set_facecolor(colors)
        self.dots_out.set_offsets(f(self.points @ W))
        self.dots_out.set_facecolor(colors)
        for dots in (self.dots_in, self.dots_out):
            dots.set_visible(bool(relu_after))
        self.ax_in.set_title("input plane: x  (dots: signs of xW)" if relu_after else "input plane: x")
        what = "y = max(0, x W)" if relu_after else "y = x W"
        self.ax_out.set_title(f"{what},   det W = {det:+.2f}")
        note = _describe(det)
        if relu_after:
            note += "\nthen ReLU: negative coordinates → 0\n(grey grid: xW before the fold)"
        self.note.set_text(note)


def linear_map_playground(**initial):
    """Make the chapter 2 weight-matrix widget (see :class:`LinearMapPlayground`)."""
    return LinearMapPlayground(**initial)
