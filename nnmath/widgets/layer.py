r"""The layer playground (chapter 1): a 2-3-1 network whose output neuron combines three half-planes."""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid
from ..layers import dense_forward
from ..plots import DIVERGING, PALETTE, decision_line, widget_figure
from ._base import Playground, slider

__all__ = ["LayerPlayground", "layer_playground"]

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
    its decision boundary :math:`a = 1/2` (no longer a straight line), and optional sample points
    (``points``, shape (n, 2), labelled A, B, C, ... in row order).
    """

    lim = 3.0
    resolution = 121
    #: Default hidden lines (one per column): x1 = -1, x2 = -1 and x1 + x2 = 1, each w pointing inside.
    D = np.array([[1.0, 0.0, -1.0], [0.0, 1.0, -1.0]])
    e = np.array([1.0, 1.0, 1.0])

    def __init__(self, v1=4.0, v2=4.0, v3=4.0, c=-10.0, k=3.0, *, points=None):
        controls = {
            "v1": slider("v₁", v1, -6, 6, 0.5),
            "v2": slider("v₂", v2, -6, 6, 0.5),
            "v3": slider("v₃", v3, -6, 6, 0.5),
            "c": slider("c (output bias)", c, -15, 15, 0.5),
            "k": slider("k (hidden steepness)", k, 0.5, 10, 0.5),
        }
        fig, (self.ax_h, self.ax_a) = widget_figure(2, width=9.0, height=4.0)
        super().__init__(fig, controls)
        t = np.linspace(-self.lim, self.lim, self.resolution)
        x1, x2 = np.meshgrid(t, t)
        self.grid_shape = x1.shape
        self.grid = np.column_stack([x1.ravel(), x2.ravel()])
        self.x1, self.x2 = x1, x2
        ext = (-self.lim, self.lim, -self.lim, self.lim)
        self.h_mesh = self.ax_h.imshow(np.zeros(self.grid_shape), origin="lower", extent=ext, cmap="viridis",
                                       vmin=0, vmax=3, interpolation="bilinear")
        fig.colorbar(self.h_mesh, ax=self.ax_h, label="h₁ + h₂ + h₃", ticks=[0, 1, 2, 3], shrink=0.9)
        self.a_mesh = self.ax_a.imshow(np.zeros(self.grid_shape), origin="lower", extent=ext, cmap=DIVERGING,
                                       vmin=0, vmax=1, interpolation="bilinear")
        fig.colorbar(self.a_mesh, ax=self.ax_a, label="output a", shrink=0.9)
        for ax in (self.ax_h, self.ax_a):
            ax.set(xlim=ext[:2], ylim=ext[2:], xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
        self._draw_hidden_lines()
        self.boundary = None
        self.points = None if points is None else np.asarray(points, dtype=float).reshape(-1, 2)
        if self.points is not None:
            self.ax_a.plot(self.points[:, 0], self.points[:, 1], "o", ms=7, color="white", mec="black", mew=1.5)
            for name, (p1, p2) in zip(_LETTERS, self.points):
                self.ax_a.annotate(name, (p1, p2), xytext=(6, 5), textcoords="offset points", fontsize=10,
                                   fontweight="bold", bbox={"facecolor": "white", "alpha": 0.8,
                                                            "edgecolor": "none", "pad": 0.5})

    def _draw_hidden_lines(self):
        for j in range(self.D.shape[1]):
            w, b = self.D[:, j], self.e[j]
            line = decision_line(w, b)
            if line is None:
                continue
            p, d = line
            seg = np.array([p - 4 * self.lim * d, p + 4 * self.lim * d])
            unit = w / np.linalg.norm(w)
            self.ax_h.plot(seg[:, 0], seg[:, 1], "--", color="white", lw=1.5)
            self.ax_a.plot(seg[:, 0], seg[:, 1], ":", color=PALETTE["grey"], lw=1)
            self.ax_h.annotate("", xy=tuple(p + 0.7 * unit), xytext=tuple(p),
                               arrowprops={"arrowstyle": "-|>", "lw": 1.8, "color": PALETTE["vermillion"]})
            self.ax_h.text(*(p - 0.4 * unit), str(j + 1), ha="center", va="center", fontsize=10,
                           fontweight="bold", bbox={"boxstyle": "circle", "facecolor": "white", "pad": 0.2})

    def forward(self, X, v, c, k):
        r"""The network's hidden activations and output for a batch ``X`` of shape (n, 2): ``(H, a)``."""
        Z1, _ = dense_forward(X, k * self.D, k * self.e)
        H = sigmoid(Z1)
        Z2, _ = dense_forward(H, np.reshape(v, (-1, 1)), np.array([c]))
        return H, sigmoid(Z2)[:, 0]

    def update(self, v1, v2, v3, c, k):
        H, a = self.forward(self.grid, [v1, v2, v3], c, k)
        self.h_mesh.set_data(H.sum(axis=1).reshape(self.grid_shape))
        a = a.reshape(self.grid_shape)
        self.a_mesh.set_data(a)
        if self.boundary is not None:
            self.boundary.remove()
            self.boundary = None
        z = a - 0.5
        if z.min() < 0 < z.max():  # a contour only exists where the output crosses 1/2
            self.boundary = self.ax_a.contour(self.x1, self.x2, z, levels=[0.0], colors="black", linewidths=2)
        self.ax_h.set_title(f"hidden layer: hⱼ = σ(k(x·Dⱼ + eⱼ)), k = {k:.1f}", fontsize=10)
        terms = " ".join(f"{'−' if vj < 0 else '+'} {abs(vj):.1f}h{sub}"
                         for vj, sub in zip((v1, v2, v3), "₁₂₃"))
        terms = terms[2:] if terms.startswith("+") else "−" + terms[2:]
        self.ax_a.set_title(f"output: a = σ({terms} {'−' if c < 0 else '+'} {abs(c):.1f})", fontsize=10)


def layer_playground(**initial):
    """Make the chapter 1 layer playground (see :class:`LayerPlayground`)."""
    return LayerPlayground(**initial)
