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
        \mathbf h = \sigma(\mathbf x W^{[1]} + \mathbf b^{[1]}), \quad W^{[1]} = kD,\ \mathbf b^{[1]} = k\mathbf e;
        \qquad a = \sigma(\mathbf h \cdot \mathbf v + c)

    Column :math:`j` of :math:`D` (shape (2, 3)) and entry :math:`e_j` fix hidden neuron :math:`j`'s line
    :math:`\mathbf x \cdot D_{:,j} + e_j = 0`; the default three lines bound the triangle
    :math:`x_1 > -1,\ x_2 > -1,\ x_1 + x_2 < 1`. The steepness :math:`k > 0` scales the hidden weights and
    biases together, so the lines stay put while each :math:`h_j` goes from a soft ramp to a sharp 0/1 step.
    The sliders set the output neuron's weights :math:`\mathbf v` and bias :math:`c`: with sharp hidden
    units and equal weights :math:`v`, the output is on where more than :math:`-c/v` of the :math:`h_j` are on.

    Left: :math:`h_1 + h_2 + h_3`, the number of half-planes a point lies in. Right: the output :math:`a`,
    its decision boundary :math:`a = 1/2` (where the output's pre-activation :math:`\mathbf h \cdot \mathbf v + c`
    is 0; no longer a straight line, drawn by :func:`~nnmath.plots.contour_segments` on the plotted grid), and
    optional sample points (``points``, shape (n, 2), labelled A, B, C, ... in row order).

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
    #: Default hidden lines (one per column): x1 = -1, x2 = -1 and x1 + x2 = 1, each w pointing inside.
    D = np.array([[1.0, 0.0, -1.0], [0.0, 1.0, -1.0]])
    e = np.array([1.0, 1.0, 1.0])

    def __init__(self, v1=4.0, v2=4.0, v3=4.0, c=-10.0, k=3.0, *, points=None):
        controls = {
            "v1": Slider("v₁", v1, -6, 6, 0.5),
            "v2": Slider("v₂", v2, -6, 6, 0.5),
            "v3": Slider("v₃", v3, -6, 6, 0.5),
            "c": Slider("c (output bias)", c, -15, 15, 0.5),
            "k": Slider("k (hidden steepness)", k, 0.5, 10, 0.5),
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
        fig.colorbar(self.h_mesh, ax=self.ax_h, label="h₁ + h₂ + h₃", ticks=[0, 1, 2, 3], shrink=0.9)
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
        for j in range(self.D.shape[1]):
            w, b = self.D[:, j], self.e[j]
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

    def forward(self, X, v, c, k):
        r"""The network's hidden activations and output for a batch ``X`` of shape (n, 2): ``(H, a)``."""
        Z1, _ = dense_forward(X, k * self.D, k * self.e)
        H = sigmoid(Z1)
        Z2, _ = dense_forward(H, np.reshape(v, (-1, 1)), np.array([c]))
        return H, sigmoid(Z2)[:, 0]

    def numbers(self, v1, v2, v3, c, k) -> dict:
        r"""Every number the figure shows for these controls, computed by ``nnmath`` (the page computes the same).

        ``h``: :math:`h_1 + h_2 + h_3` over the plane and ``a``: the output, each of shape (121, 121), row ``i`` at
        :math:`x_2 = t_i`; ``boundary``: the segments of :math:`\mathbf h \cdot \mathbf v + c = 0`
        (:func:`~nnmath.plots.contour_segments`); the two titles.
        """
        Z1, _ = dense_forward(self.grid, k * self.D, k * self.e)
        H = sigmoid(Z1)
        # the output's pre-activation h·v + c, summed term by term in the page's order: where it is exactly 0
        # (symmetric settings), the boundary's cells must come out the same on both sides
        z = v1 * H[:, 0] + v2 * H[:, 1] + v3 * H[:, 2] + c
        shape = self.grid_shape
        terms = " ".join(f"{'−' if vj < 0 else '+'} {abs(vj):.1f}h{sub}" for vj, sub in zip((v1, v2, v3), "₁₂₃"))
        terms = terms[2:] if terms.startswith("+") else "−" + terms[2:]
        return {"h": (H[:, 0] + H[:, 1] + H[:, 2]).reshape(shape), "a": sigmoid(z).reshape(shape),
                "boundary": contour_segments(z.reshape(shape), self.t),
                "h_title": f"hidden layer: hⱼ = σ(k(x·Dⱼ + eⱼ)), k = {k:.1f}",
                "a_title": f"output: a = σ({terms} {'−' if c < 0 else '+'} {abs(c):.1f})"}

    def update(self, v1, v2, v3, c, k):
        numbers = self.numbers(v1=v1, v2=v2, v3=v3, c=c, k=k)
        self.h_mesh.set_data(numbers["h"])
        self.a_mesh.set_data(numbers["a"])
        xs, ys = [], []
        for x0, y0, x1, y1 in numbers["boundary"]:  # one line, broken between segments
            xs += [x0, x1, np.nan]
            ys += [y0, y1, np.nan]
        self.boundary.set_data(xs, ys)
        self.ax_h.title.set_text(numbers["h_title"])
        self.ax_a.title.set_text(numbers["a_title"])

    def static_page(self) -> dict:
        """The page's equation (``layer.js``) and what it draws with: the plane's grid, the hidden layer's
        lines, the two colour maps, and the lines and labels over the heat maps as recorded commands."""
        return {"equation": "layer", "axes": {"h": self.ax_h, "a": self.ax_a},
                "templates": {"h_mesh": self.h_mesh, "a_mesh": self.a_mesh, "boundary": self.boundary,
                              "h_title": self.ax_h.title, "a_title": self.ax_a.title},
                "recorded": {"h_marks": self.h_marks, "a_lines": self.a_lines, "a_marks": self.a_marks},
                "template_values": {"v1": 4.0, "v2": 4.0, "v3": 4.0, "c": -10.0, "k": 3.0},  # a boundary shows
                "colormaps": {"h": self.h_mesh.get_cmap(), "a": self.a_mesh.get_cmap()},
                "data": {"t": self.t.tolist(), "D": self.D.tolist(), "e": self.e.tolist()}}
