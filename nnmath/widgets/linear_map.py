r"""The weight-matrix widget (chapter 2): a 2×2 matrix :math:`W` warping the plane, then a ReLU's fold."""

from __future__ import annotations

from importlib import resources

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon

from ..activations import relu
from ..plots import PALETTE, arrow_polyline, draw_grid, grid_lines, widget_figure
from ..plots.linear import UNIT_SQUARE, det2, orientation_color
from ._base import Playground
from .controls import Choice, Slider, Toggle

__all__ = ["LinearMapPlayground", "PRESETS", "CUSTOM"]

#: Matrices worth trying, by name (rows are the images of e1 and e2). Every entry sits on the sliders' grid of
#: 0.05, so that a preset is exactly what the sliders then show: the rotation is the one with cos = 0.8 and
#: sin = 0.6 (36.87°).
PRESETS = {
    "identity": ((1.0, 0.0), (0.0, 1.0)),
    "stretch x, squash y": ((1.5, 0.0), (0.0, 0.5)),
    "rotate 36.9°": ((0.8, 0.6), (-0.6, 0.8)),
    "shear": ((1.0, 0.0), (1.0, 1.0)),
    "mirror (x₁ → −x₁)": ((-1.0, 0.0), (0.0, 1.0)),
    "singular (det 0)": ((1.0, 0.5), (2.0, 1.0)),
}
CUSTOM = "(your own)"
_WEIGHTS = ("w11", "w12", "w21", "w22")
#: The four ways ReLU treats a point, by the signs of z = xW: (name, z₁ > 0, z₂ > 0, colour).
QUADRANTS = (("kept", True, True, "blue"), ("onto_y2", False, True, "orange"), ("onto_y1", True, False, "purple"),
             ("origin", False, False, "black"))
#: How long the arrows' heads are, in data units.
HEAD = 0.2


def _describe(det: float) -> str:
    if abs(det) < 1e-9:
        return "areas → 0: the plane collapses onto a line (or a point)"
    kept = "orientation kept" if det > 0 else "orientation flipped"
    return f"areas × {abs(det):.2f},  {kept}"


def _times(points, W):
    r""":math:`\mathbf z = \mathbf x W` for rows of points, one term at a time (the page's order and rounding:
    the dots' colours depend on signs of values that are often exactly 0)."""
    x1, x2 = points[:, 0], points[:, 1]
    return np.column_stack([x1 * W[0, 0] + x2 * W[1, 0], x1 * W[0, 1] + x2 * W[1, 1]])


class LinearMapPlayground(Playground):
    r"""Every point :math:`\mathbf x` of the plane (a row vector) is sent to :math:`\mathbf z = \mathbf x W`.

    .. math::
        W = \begin{pmatrix} w_{11} & w_{12} \\ w_{21} & w_{22} \end{pmatrix}, \qquad
        \mathbf e_1 W = (w_{11}, w_{12}), \quad \mathbf e_2 W = (w_{21}, w_{22})

    so the rows of :math:`W` are where the two basis vectors land (vermillion and green arrows), straight
    lines stay straight, and areas scale by :math:`|\det W|`: the unit square (orange) becomes the
    parallelogram spanned by the rows, purple when :math:`\det W < 0` (orientation flipped). With
    "ReLU after" on, the picture becomes :math:`\max(0, \mathbf x W)`: everything outside the positive
    quadrant is folded onto its edges, and the linear image is kept in grey for comparison. The "try" menu sets
    the sliders to a matrix of ``PRESETS``; moving a slider away from it makes the matrix "your own".

    In the static book the page evaluates the same map (``static_mode = "page"``, ``linear_map.js``): the
    figure is a closed-form function of four sliders of 81 positions and a check box, 86 million states —
    far too many to precompute — and each is a few hundred points multiplied by a 2 × 2 matrix.
    """

    lim = 2.0
    view = 3.2
    title = "a 2 × 2 weight matrix acting on the plane"
    static_mode = "page"
    page_script = resources.files(__package__).joinpath("linear_map.js").read_text(encoding="utf-8")

    def __init__(self, w11=1.0, w12=0.5, w21=-0.5, w22=1.0, relu_after=False, preset=CUSTOM):
        if preset != CUSTOM:
            (w11, w12), (w21, w22) = PRESETS[preset]
        controls = {
            "preset": Choice("try", preset, [CUSTOM, *PRESETS]),
            "w11": Slider("w₁₁", w11, -2, 2, 0.05),
            "w12": Slider("w₁₂", w12, -2, 2, 0.05),
            "w21": Slider("w₂₁", w21, -2, 2, 0.05),
            "w22": Slider("w₂₂", w22, -2, 2, 0.05),
            "relu_after": Toggle("ReLU after", relu_after),
        }
        fig, (self.ax_in, self.ax_out) = widget_figure(2, width=8.0, height=5.2)
        super().__init__(fig, controls)
        self.lines = grid_lines(self.lim, n_lines=9, n_points=161)
        angle = np.linspace(0, 2 * np.pi, 200)
        self.circle = np.column_stack([np.cos(angle), np.sin(angle)])
        t = np.linspace(-self.lim, self.lim, 21)
        self.points = np.array([(a, c) for c in t for a in t])
        for ax in (self.ax_in, self.ax_out):
            ax.set(aspect="equal", xlim=(-self.view, self.view), ylim=(-self.view, self.view))
            ax.axhline(0, color="black", lw=0.6)
            ax.axvline(0, color="black", lw=0.6)
        self.ax_in.set(title="input plane: x", xlabel="x₁", ylabel="x₂")
        self.ax_out.set(title=" ", xlabel="z₁", ylabel="z₂")
        # the input plane: grid and square below the dots; circle, arrows and labels over them
        draw_grid(self.ax_in, self.lines)
        self.ax_in.fill(UNIT_SQUARE[:, 0], UNIT_SQUARE[:, 1], color=PALETTE["orange"], alpha=0.55, lw=0)
        self.dots_in = self._dots(self.ax_in)
        self.in_marks = self.ax_in.plot(self.circle[:, 0], self.circle[:, 1], color=PALETTE["blue"], lw=2)
        self.in_marks += self._arrows(self.ax_in, np.eye(2))
        self.in_marks += [self.ax_in.text(1.05, 0.12, "e₁", color=PALETTE["vermillion"], fontsize=10),
                          self.ax_in.text(0.1, 1.05, "e₂", color=PALETTE["green"], fontsize=10)]
        # the output plane: everything moves
        (self.square_out,) = self.ax_out.fill([], [], color=PALETTE["orange"], alpha=0.55, lw=0)
        self.dots_out = self._dots(self.ax_out)
        self.ghost_lines = draw_grid(self.ax_out, self.lines, color=PALETTE["grey"], lw=0.5, alpha=0.5)
        self.out_lines = draw_grid(self.ax_out, self.lines, color=PALETTE["sky"])
        (self.circle_out,) = self.ax_out.plot([], [], color=PALETTE["blue"], lw=2)
        self.arrows_out = self._arrows(self.ax_out, np.eye(2))
        self.note = self.ax_out.text(0.02, 0.02, "", transform=self.ax_out.transAxes, fontsize=8.5,
                                     bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none"})
        self._legend()
        self.dynamic = [*self.dots_in.values(), *self.in_marks, self.square_out, *self.dots_out.values(),
                        *self.ghost_lines, *self.out_lines, self.circle_out, *self.arrows_out, self.note,
                        self.ax_in.title, self.ax_out.title]

    def _legend(self):
        def patch(color, label):
            return Patch(color=color, alpha=0.55, label=label)

        def dot(color, label):
            return Line2D([], [], ls="", marker="o", ms=5, color=color, label=label)

        handles = [
            patch(PALETTE["orange"], "unit square / its image (det > 0)"),
            Line2D([], [], color=PALETTE["vermillion"], lw=2, label="e₁ and its image e₁W = row 1 of W"),
            dot(PALETTE["blue"], "ReLU on, dots with z = xW in (+,+): kept"),
            dot(PALETTE["orange"], "(−,+): folded onto the z₂-axis"),
            patch(PALETTE["purple"], "image when det < 0 (flipped)"),
            Line2D([], [], color=PALETTE["green"], lw=2, label="e₂ and its image e₂W = row 2 of W"),
            dot(PALETTE["purple"], "(+,−): folded onto the z₁-axis"),
            dot(PALETTE["black"], "(−,−): sent to the origin"),
        ]
        self.figure.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=8, columnspacing=1.2,
                           handlelength=1.6)

    @staticmethod
    def _dots(ax) -> dict:
        """One line of dots per way ReLU treats a point (:data:`QUADRANTS`), by name."""
        return {name: ax.plot([], [], ls="", marker="o", ms=np.sqrt(7), mew=1.5, color=PALETTE[color],
                              zorder=1.5)[0] for name, _, _, color in QUADRANTS}

    @staticmethod
    def _arrows(ax, rows) -> list:
        colors = (PALETTE["vermillion"], PALETTE["green"])
        return [ax.plot(*arrow_polyline(*row, head=HEAD), color=color, lw=2.2, solid_capstyle="round",
                        solid_joinstyle="round")[0] for row, color in zip(rows, colors)]

    # -- the preset menu and the sliders keep each other in step ------------------------------------------------
    def adjust(self, name, values):
        """A preset sets the four sliders; a slider moved away from the preset makes the matrix "your own"."""
        values = dict(values)
        preset = values["preset"]
        if name == "preset" and preset in PRESETS:
            values.update(zip(_WEIGHTS, np.ravel(PRESETS[preset]).tolist()))
        elif name in _WEIGHTS and preset in PRESETS:
            if any(abs(values[n] - v) > 1e-9 for n, v in zip(_WEIGHTS, np.ravel(PRESETS[preset]))):
                values["preset"] = CUSTOM
        return values

    def numbers(self, w11, w12, w21, w22, relu_after, preset=None) -> dict:
        r"""Every number the figure shows for these controls (the page computes the same).

        ``lines``: the image of each grid line, ``[ys₁, ys₂]`` (``ghost``: before the ReLU, shown only with it;
        otherwise empty); ``square``, ``circle``: the images of the unit square and the unit circle; ``color``:
        ``"pos"``, ``"neg"`` or ``"zero"``, the sign of :math:`\det W`; ``arrows``: the images of
        :math:`\mathbf e_1` and :math:`\mathbf e_2` as arrow polylines; ``dots_in`` and ``dots_out``: with the ReLU,
        the dots of the input grid and their images by the signs of :math:`\mathbf x W` (``QUADRANTS``);
        ``note`` and the titles.
        """
        W = np.array([[w11, w12], [w21, w22]], dtype=float)
        f = relu if relu_after else (lambda v: v)
        det = det2(W)
        linear = [_times(pts, W) for pts in self.lines]
        images = [f(y) for y in linear]
        basis = f(W)
        dots_in, dots_out = {}, {}
        if relu_after:
            Y = _times(self.points, W)
            for name, first, second, _ in QUADRANTS:
                mask = ((Y[:, 0] > 0) == first) & ((Y[:, 1] > 0) == second)
                dots_in[name] = [self.points[mask, 0], self.points[mask, 1]]
                dots_out[name] = [relu(Y[mask, 0]), relu(Y[mask, 1])]
        square, circle = f(_times(UNIT_SQUARE, W)), f(_times(self.circle, W))
        note = _describe(det)
        if relu_after:
            note += "\nthen ReLU: negative coordinates → 0\n(grey grid: xW before the fold)"
        what = "a = max(0, x W)" if relu_after else "z = x W"
        return {"lines": [[y[:, 0], y[:, 1]] for y in images],
                "ghost": [[y[:, 0], y[:, 1]] for y in linear] if relu_after else [],
                "square": [square[:, 0], square[:, 1]], "color": "zero" if det == 0 else "pos" if det > 0 else "neg",
                "circle": [circle[:, 0], circle[:, 1]],
                "arrows": [list(arrow_polyline(*row, head=HEAD)) for row in basis.tolist()],
                "dots_in": dots_in, "dots_out": dots_out, "note": note,
                "in_title": "input plane: x  (dots: signs of xW)" if relu_after else "input plane: x",
                "out_title": f"{what},   det W = {det:+.2f}"}

    def update(self, w11, w12, w21, w22, relu_after, preset=None):
        numbers = self.numbers(w11=w11, w12=w12, w21=w21, w22=w22, relu_after=relu_after)
        for line, xy in zip(self.out_lines, numbers["lines"]):
            line.set_data(*xy)
        for ghost, xy in zip(self.ghost_lines, numbers["ghost"] or numbers["lines"]):
            ghost.set_data(*xy)
            ghost.set_visible(bool(relu_after))
        self.square_out.set_xy(np.column_stack(numbers["square"]))
        self.square_out.set_facecolor(orientation_color(det2([[w11, w12], [w21, w22]])))
        self.circle_out.set_data(*numbers["circle"])
        for arrow, xy in zip(self.arrows_out, numbers["arrows"]):
            arrow.set_data(*xy)
        for dots, found in ((self.dots_in, numbers["dots_in"]), (self.dots_out, numbers["dots_out"])):
            for name, line in dots.items():
                line.set_data(*found.get(name, ([], [])))
                line.set_visible(bool(relu_after))
        self.ax_in.title.set_text(numbers["in_title"])
        self.ax_out.title.set_text(numbers["out_title"])
        self.note.set_text(numbers["note"])

    def static_page(self) -> dict:
        """The page's equation (``linear_map.js``) and what it draws with: the grid, the circle, the dots, the
        presets, and the input plane's circle, arrows and labels (which lie over the dots) as recorded commands."""
        templates = {"line": self.out_lines[0], "ghost": self.ghost_lines[0], "circle": self.circle_out,
                     "e1": self.arrows_out[0], "e2": self.arrows_out[1], "note": self.note,
                     "in_title": self.ax_in.title, "out_title": self.ax_out.title}
        for sign in ("pos", "neg", "zero"):  # the square's fill for each sign of det W (samples, never shown)
            templates[f"square_{sign}"] = self._sample(self.ax_out, Polygon(
                UNIT_SQUARE, closed=True, color=orientation_color({"pos": 1, "neg": -1, "zero": 0}[sign]),
                alpha=0.55, lw=0))
        for name, _, _, _ in QUADRANTS:
            templates[f"in_{name}"], templates[f"out_{name}"] = self.dots_in[name], self.dots_out[name]
        return {"equation": "linear_map", "axes": {"in": self.ax_in, "out": self.ax_out}, "templates": templates,
                # with the ReLU on and this W, every kind of dot and the grey grid show
                "template_values": {"preset": CUSTOM, "w11": 1.0, "w12": 0.5, "w21": -0.5, "w22": 1.0,
                                    "relu_after": True},
                "recorded": {"in_marks": self.in_marks},
                # the grid lines of nnmath.plots.grid_lines(lim, 9, 161): x = tick (vertical), then y = tick
                "data": {"ticks": np.linspace(-self.lim, self.lim, 9).tolist(),
                         "t": np.linspace(-self.lim, self.lim, 161).tolist(),
                         "dots": np.linspace(-self.lim, self.lim, 21).tolist(),
                         "circle": self.circle.T.tolist(), "presets": PRESETS, "custom": CUSTOM,
                         "quadrants": [list(q[:3]) for q in QUADRANTS], "head": HEAD}}

    @staticmethod
    def _sample(ax, patch):
        """A patch styled and placed as if in ``ax`` but not drawn there: a template's style sample."""
        ax.add_patch(patch)
        patch.remove()
        return patch
