r"""The layer playground (chapter 1): a 2-3-1 network whose output neuron combines three half-planes."""

from __future__ import annotations

from importlib import resources

import numpy as np

from ..activations import sigmoid
from ..layers import dense_forward
from ..plots import DIVERGING, PALETTE, contour_segments, decision_line, widget_figure
from ._base import Playground
from .controls import Slider

__all__ = ["LayerPlayground"]

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class LayerPlayground(Playground):
    r"""A 2-3-1 network drawn over the input plane: a hidden layer of three sigmoid neurons, one sigmoid output.

    .. math::
        \mathbf a^{[1]} = \sigma\bigl(\mathbf x W^{[1]} + \mathbf b^{[1]}\bigr), \quad
        W^{[1]} = \text{steepness}\cdot W_\text{unit},\ \mathbf b^{[1]} = \text{steepness}\cdot\mathbf b_\text{unit};
        \qquad a = \sigma\bigl(\mathbf a^{[1]} \cdot \mathbf w + b\bigr)

    Column :math:`j` of ``W_unit`` (shape (2, 3)) and entry :math:`j` of ``b_unit`` fix hidden neuron :math:`j`'s
    line; the default three lines, :math:`x_1 = -1`, :math:`x_2 = -1` and :math:`x_1 + x_2 = 1`, bound a triangle,
    and each weight vector points into it. The steepness (a positive slider; 3 is chapter 1's network) scales the
    hidden weights and biases together, so the lines stay put while each :math:`a^{[1]}_j` goes from a soft ramp to
    a sharp 0/1 step. The other sliders set the output neuron's weights :math:`\mathbf w = (w_1, w_2, w_3)` (the
    column :math:`W^{[2]}`) and bias :math:`b` (:math:`b^{[2]}`): with sharp hidden units and equal weights
    :math:`w`, the output is on where more than :math:`-b/w` of the
    :math:`a^{[1]}_j` are on.

    Left: :math:`a^{[1]}_1 + a^{[1]}_2 + a^{[1]}_3`, the number of half-planes a point lies in. Right: the output
    :math:`a`, its decision boundary :math:`a = 1/2` (where the output's pre-activation
    :math:`\mathbf a^{[1]} \cdot \mathbf w + b` is 0; no longer a straight line, drawn by
    :func:`~nnmath.plots.contour_segments` on the plotted grid), and optional sample points (``points``, shape
    (n, 2), labelled A, B, C, ... in row order).

    In the static book the page evaluates the same equations (``static_mode = "page"``, ``layer.js``): the figure
    is a closed-form function of five sliders, 25³ × 61 × 20 ≈ 19 million positions — far too many states to
    precompute — and each is two heat maps of 121 × 121 values and one boundary, which a few lines of script
    compute in about a millisecond.
    """

    lim = 3.0
    resolution = 121
    title = "a 2-3-1 network over the input plane"
    static_mode = "page"
    page_script = resources.files(__package__).joinpath("layer.js").read_text(encoding="utf-8")
    #: Default hidden lines (one per column): x1 = -1, x2 = -1 and x1 + x2 = 1, each weight vector pointing inside;
    #: the hidden layer is ``steepness * W_unit``, ``steepness * b_unit``.
    W_unit = np.array([[1.0, 0.0, -1.0], [0.0, 1.0, -1.0]])
    b_unit = np.array([1.0, 1.0, 1.0])

    def __init__(self, w1=4.0, w2=4.0, w3=4.0, b=-10.0, steepness=3.0, *, points=None):
        controls = {
            "w1": Slider("w₁ (output)", w1, -6, 6, 0.5),
            "w2": Slider("w₂ (output)", w2, -6, 6, 0.5),
            "w3": Slider("w₃ (output)", w3, -6, 6, 0.5),
            "b": Slider("b (output bias)", b, -15, 15, 0.5),
            "steepness": Slider("hidden steepness", steepness, 0.5, 10, 0.5),
        }
        fig, (self.ax_h, self.ax_a) = widget_figure(2, width=9.0, height=4.0)
        super().__init__(fig, controls)
        self.t = np.linspace(-self.lim, self.lim, self.resolution)
        x1, x2 = np.meshgrid(self.t, self.t)
        self.grid_shape = x1.shape
        self.grid = np.column_stack([x1.ravel(), x2.ravel()])
        ext = (-self.lim, self.lim, -self.lim, self.lim)
        self.h_mesh = self.ax_h.imshow(np.zeros(self.grid_shape), origin="lower", extent=ext, cmap="viridis",
                                       vmin=0, vmax=3, interpolation="bilinear")
        fig.colorbar(self.h_mesh, ax=self.ax_h, label="$a^{[1]}_1 + a^{[1]}_2 + a^{[1]}_3$", ticks=[0, 1, 2, 3],
                     shrink=0.9)
        self.a_mesh = self.ax_a.imshow(np.zeros(self.grid_shape), origin="lower", extent=ext, cmap=DIVERGING,
                                       vmin=0, vmax=1, interpolation="bilinear")
        fig.colorbar(self.a_mesh, ax=self.ax_a, label="output a", shrink=0.9)
        for ax in (self.ax_h, self.ax_a):
            ax.set(xlim=ext[:2], ylim=ext[2:], xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
        self.h_marks, self.a_lines = self._hidden_lines()
        (self.boundary,) = self.ax_a.plot([], [], color="black", lw=2, solid_capstyle="round")
        self.points = None if points is None else np.asarray(points, dtype=float).reshape(-1, 2)
        self.a_marks = self._sample_points()
        self.ax_h.set_title(" ", fontsize=10)
        self.ax_a.set_title(" ", fontsize=10)
        # the heat maps move; the lines, arrows and labels over them do not, but are drawn after them
        self.dynamic = [self.h_mesh, *self.h_marks, self.a_mesh, *self.a_lines, self.boundary, *self.a_marks,
                        self.ax_h.title, self.ax_a.title]

    def _hidden_lines(self):
        """Each hidden neuron's line (left: dashed, with its number and an arrow towards growing z; right:
        dotted)."""
        left, right = [], []
        for j in range(self.W_unit.shape[1]):
            w, b = self.W_unit[:, j], self.b_unit[j]
            line = decision_line(w, b)
            if line is None:
                continue
            p, d = line
            seg = np.array([p - 4 * self.lim * d, p + 4 * self.lim * d])
            unit = w / np.linalg.norm(w)
            left += self.ax_h.plot(seg[:, 0], seg[:, 1], "--", color="white", lw=1.5)
            right += self.ax_a.plot(seg[:, 0], seg[:, 1], ":", color=PALETTE["grey"], lw=1)
            left.append(self.ax_h.annotate("", xy=tuple(p + 0.7 * unit), xytext=tuple(p), arrowprops={
                "arrowstyle": "-|>", "lw": 1.8, "color": PALETTE["vermillion"]}))
            left.append(self.ax_h.text(*(p - 0.4 * unit), str(j + 1), ha="center", va="center", fontsize=10,
                                       fontweight="bold",
                                       bbox={"boxstyle": "circle", "facecolor": "white", "pad": 0.2}))
        return left, right

    def _sample_points(self) -> list:
        """The sample points on the right, white dots labelled A, B, C, ..."""
        if self.points is None:
            return []
        marks = self.ax_a.plot(self.points[:, 0], self.points[:, 1], "o", ms=7, color="white", mec="black",
                               mew=1.5)
        for name, (p1, p2) in zip(_LETTERS, self.points):
            marks.append(self.ax_a.annotate(name, (p1, p2), xytext=(6, 5), textcoords="offset points", fontsize=10,
                                            fontweight="bold", bbox={"facecolor": "white", "alpha": 0.8,
                                                                     "edgecolor": "none", "pad": 0.5}))
        return marks

    def forward(self, X, w, b, steepness):
        r"""The network's hidden activations and output for a batch ``X`` of shape (n, 2): ``(A1, a)``, with
        ``A1`` of shape (n, 3) and ``a`` of shape (n,)."""
        Z1, _ = dense_forward(X, steepness * self.W_unit, steepness * self.b_unit)
        A1 = sigmoid(Z1)
        Z2, _ = dense_forward(A1, np.reshape(w, (-1, 1)), np.array([b]))
        return A1, sigmoid(Z2)[:, 0]

    def numbers(self, w1, w2, w3, b, steepness) -> dict:
        r"""Every number the figure shows for these controls, computed by ``nnmath`` (the page computes the same).

        ``hidden``: :math:`a^{[1]}_1 + a^{[1]}_2 + a^{[1]}_3` over the plane and ``a``: the output, each of shape
        (121, 121), row ``i`` at :math:`x_2 = t_i`; ``boundary``: the segments of
        :math:`\mathbf a^{[1]} \cdot \mathbf w + b = 0` (:func:`~nnmath.plots.contour_segments`); the two titles.
        """
        Z1, _ = dense_forward(self.grid, steepness * self.W_unit, steepness * self.b_unit)
        A1 = sigmoid(Z1)
        # the output's pre-activation a[1]·w + b, summed term by term in the page's order: where it is exactly 0
        # (symmetric settings), the boundary's cells must come out the same on both sides
        z = w1 * A1[:, 0] + w2 * A1[:, 1] + w3 * A1[:, 2] + b
        shape = self.grid_shape
        weights = ", ".join(f"{'−' if wj < 0 else ''}{abs(wj):.1f}" for wj in (w1, w2, w3))
        return {"hidden": (A1[:, 0] + A1[:, 1] + A1[:, 2]).reshape(shape), "a": sigmoid(z).reshape(shape),
                "boundary": contour_segments(z.reshape(shape), self.t),
                "hidden_title": f"hidden layer, steepness {steepness:.1f}",
                "a_title": f"output a = σ(w · a[1] + b),  w = ({weights}),  b = {'−' if b < 0 else ''}{abs(b):.1f}"}

    def update(self, w1, w2, w3, b, steepness):
        numbers = self.numbers(w1=w1, w2=w2, w3=w3, b=b, steepness=steepness)
        self.h_mesh.set_data(numbers["hidden"])
        self.a_mesh.set_data(numbers["a"])
        xs, ys = [], []
        for x0, y0, x1, y1 in numbers["boundary"]:  # one line, broken between segments
            xs += [x0, x1, np.nan]
            ys += [y0, y1, np.nan]
        self.boundary.set_data(xs, ys)
        self.ax_h.title.set_text(numbers["hidden_title"])
        self.ax_a.title.set_text(numbers["a_title"])

    def static_page(self) -> dict:
        """The page's equation (``layer.js``) and what it draws with: the plane's grid, the hidden layer's
        lines, the two colour maps, and the lines and labels over the heat maps as recorded commands."""
        return {"equation": "layer", "axes": {"h": self.ax_h, "a": self.ax_a},
                "templates": {"h_mesh": self.h_mesh, "a_mesh": self.a_mesh, "boundary": self.boundary,
                              "hidden_title": self.ax_h.title, "a_title": self.ax_a.title},
                "recorded": {"h_marks": self.h_marks, "a_lines": self.a_lines, "a_marks": self.a_marks},
                "template_values": {"w1": 4.0, "w2": 4.0, "w3": 4.0, "b": -10.0, "steepness": 3.0},  # a boundary
                "colormaps": {"hidden": self.h_mesh.get_cmap(), "a": self.a_mesh.get_cmap()},
                "data": {"t": self.t.tolist(), "W_unit": self.W_unit.tolist(), "b_unit": self.b_unit.tolist()}}
