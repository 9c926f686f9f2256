r"""The matrix-product widget (chapter 2): which row of X and which column of W make each entry of Z = XW + b."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from ..plots import widget_figure
from ..plots.linear import MatmulDiagram
from ._base import Playground
from .controls import Choice, Slider
from .static import grid_control

__all__ = ["MatmulPlayground", "SHOW"]

#: Small integers, so every entry can be checked by mental arithmetic.
DEFAULT_X = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, -1.0], [2.0, -1.0, 1.0], [1.0, 1.0, 1.0]])
DEFAULT_W = np.array([[1.0, -1.0], [0.0, 2.0], [3.0, 1.0]])
DEFAULT_B = np.array([1.0, -2.0])
#: What "show" offers: one entry, one row or one column of Z.
SHOW = [("one entry Z[i, j]", "entry"), ("row Z[i, :]", "row"), ("column Z[:, j]", "column")]


class MatmulPlayground(Playground):
    r"""Pick a sample i and a neuron j and see which numbers make :math:`Z_{ij}`.

    .. math::
        Z_{ij} = \sum_{k=1}^{d_\text{in}} X_{ik} W_{kj} + b_j, \qquad
        Z_{i,:} = X_{i,:} W + \mathbf b, \qquad Z_{:,j} = X W_{:,j} + b_j

    "show" switches between one entry (one dot product), one row of :math:`Z` (sample i through every
    neuron) and one column (neuron j over the whole batch). The entry :math:`Z_{ij}` is outlined in every mode,
    so that the control the row or column does not use still shows where it points.

    In the static book every state is precomputed (``static_mode = "grid"``): there are only
    :math:`n \cdot d_\text{out} \cdot 3` of them (24 for the default 4 × 3 and 3 × 2 matrices), each a few
    cell colours and two lines of arithmetic, drawn by ``nnmath`` itself.
    """

    title = "the matrix product Z = XW + b"
    static_mode = "grid"

    def __init__(self, X=None, W=None, b=None, i=0, j=0, show="entry"):
        X = DEFAULT_X if X is None else np.asarray(X, dtype=float)
        W = DEFAULT_W if W is None else np.asarray(W, dtype=float)
        b = DEFAULT_B if b is None else np.asarray(b, dtype=float)
        if X.ndim != 2 or W.ndim != 2 or b.shape != (W.shape[1],) or X.shape[1] != W.shape[0]:
            raise ValueError(f"need X (n, d_in), W (d_in, d_out), b (d_out,); got X: {X.shape}, W: {W.shape}, "
                             f"b: {b.shape}")
        n, d_in = X.shape
        d_out = W.shape[1]
        if n < 2 or d_out < 2:
            raise ValueError(f"need at least 2 samples and 2 neurons to choose from; got X: {X.shape}, W: {W.shape}")
        controls = {
            "i": Slider("sample i (row of X)", i, 0, n - 1, 1, integer=True),
            "j": Slider("neuron j (column of W)", j, 0, d_out - 1, 1, integer=True),
            "show": Choice("show", show, SHOW),
        }
        width = 0.5 * (d_in + 3 * d_out + 4.2) + 0.8
        fig, ax = widget_figure(width=max(width, 6.4), height=0.5 * (max(n, d_in) + 4.5))
        super().__init__(fig, controls)
        self.diagram = MatmulDiagram(ax, X, W, b)
        cells = [p for patches in self.diagram.cells.values() for p in patches.ravel()]
        numbers = [t for texts in self.diagram.numbers.values() for t in texts.ravel()]
        self.outline = ax.add_patch(Rectangle((0, 0), 1, 1, fill=False, ec="black", lw=2.5))
        # the cells' colours move; their numbers do not, but are drawn over them
        self.dynamic = [*cells, self.outline, *numbers, self.diagram.formula]

    def update(self, i, j, show):
        self.diagram.highlight(i, j, show)
        self.outline.set_xy(self.diagram.cells["Z"][i, j].get_xy())  # Z[i, j], whatever is shown

    def static_controls(self):
        """Every state: each sample, each neuron, each way of showing."""
        return [grid_control(self.controls[name], name=name) for name in ("i", "j", "show")]
