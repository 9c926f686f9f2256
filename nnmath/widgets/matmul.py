r"""The matrix-product widget (chapter 2): which row of X and which column of W make each entry of Z = XW + b."""

from __future__ import annotations

import ipywidgets as w
import numpy as np

from ..plots import widget_figure
from ..plots.linear import MatmulDiagram
from ._base import Playground

__all__ = ["MatmulPlayground", "matmul_playground"]

#: Small integers, so every entry can be checked by mental arithmetic.
DEFAULT_X = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, -1.0], [2.0, -1.0, 1.0], [1.0, 1.0, 1.0]])
DEFAULT_W = np.array([[1.0, -1.0], [0.0, 2.0], [3.0, 1.0]])
DEFAULT_B = np.array([1.0, -2.0])


class MatmulPlayground(Playground):
    r"""Pick a sample i and a neuron j and see which numbers make :math:`Z_{ij}`.

    .. math::
        Z_{ij} = \sum_{k=1}^{d_\text{in}} X_{ik} W_{kj} + b_j, \qquad
        Z_{i,:} = X_{i,:} W + \mathbf b, \qquad Z_{:,j} = X W_{:,j} + b_j

    "show" switches between one entry (one dot product), one row of :math:`Z` (sample i through every
    neuron) and one column (neuron j over the whole batch).
    """

    def __init__(self, X=None, W=None, b=None, i=0, j=0, show="entry"):
        X = DEFAULT_X if X is None else np.asarray(X, dtype=float)
        W = DEFAULT_W if W is None else np.asarray(W, dtype=float)
        b = DEFAULT_B if b is None else np.asarray(b, dtype=float)
        if X.ndim != 2 or W.ndim != 2 or b.shape != (W.shape[1],) or X.shape[1] != W.shape[0]:
            raise ValueError(f"need X (n, d_in), W (d_in, d_out), b (d_out,); got X: {X.shape}, W: {W.shape}, "
                             f"b: {b.shape}")
        n, d_in = X.shape
        d_out = W.shape[1]
        style = {"description_width": "initial"}
        controls = {
            "i": w.IntSlider(value=i, min=0, max=n - 1, description="sample i (row of X)", style=style),
            "j": w.IntSlider(value=j, min=0, max=d_out - 1, description="neuron j (column of W)", style=style),
            "show": w.ToggleButtons(options=[("one entry Z[i, j]", "entry"), ("row Z[i, :]", "row"),
                                             ("column Z[:, j]", "column")], value=show, description="show",
                                    style={"button_width": "130px"}),
        }
        width = 0.5 * (d_in + 3 * d_out + 4.2) + 0.8
        fig, ax = widget_figure(width=max(width, 6.4), height=0.5 * (max(n, d_in) + 4.5))
        super().__init__(fig, controls)
        self.diagram = MatmulDiagram(ax, X, W, b)

    def update(self, i, j, show):
        self.diagram.highlight(i, j, show)


def matmul_playground(**initial):
    """Make the chapter 2 matrix-product widget (see :class:`MatmulPlayground`)."""
    return MatmulPlayground(**initial)
