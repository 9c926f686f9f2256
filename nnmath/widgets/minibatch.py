r"""Full-batch, mini-batch and stochastic gradient descent on a line (chapter 5): the batch size as a slider.

Each step uses the gradient of the mean squared error on one batch :math:`B` of the data,

.. math::
    \nabla L_B(w, b) = \frac{2}{|B|} \sum_{i \in B} (w x_i + b - y_i)\,(x_i,\ 1),

computed by :func:`nnmath.descent.regression_descent`; one epoch is :math:`\lceil n/|B|\rceil` steps.
"""

from __future__ import annotations

import numpy as np

from ..data.toy import make_linear_regression
from ..descent import regression_descent, steps_per_epoch, with_epochs
from ..linefit import regression_surface
from ..plots import PALETTE, widget_figure
from ..plots.descent import LOSS_FLOOR, PATH_COLOR, draw_regression
from ._base import Playground
from .controls import Slider
from .static import grid_control

__all__ = ["MinibatchPlayground", "EPOCH_AXIS_ENDS"]

#: The loss panel's epoch axis ends at the first of these at or above the number of epochs.
EPOCH_AXIS_ENDS = (1, 2, 5, 10)


class MinibatchPlayground(Playground):
    r"""Fit :math:`\hat y = w x + b` by gradient descent on batches of size :math:`B`, and watch the path.

    Left: the data (100 noisy points around :math:`y = 2x - 1`, :func:`nnmath.data.make_linear_regression`) and
    the line after the last step. Middle: the path of :math:`(w, b)` over the contours of the full-data loss,
    a dot at the end of every epoch. Right: the full-data loss minus its minimum, against epochs (step
    :math:`t` is at epoch :math:`t|B|/n`), on a log scale.

    ``B = n`` is full-batch gradient descent, one step per epoch; ``B = 1`` is stochastic gradient descent,
    :math:`n` steps per epoch, each on one sample. The shuffle seed changes the order in which the samples
    are visited, and so the noise; it changes nothing for the full batch.

    In the static book the states are precomputed on a grid (``static_mode = "grid"``, :meth:`static_controls`):
    7 batch sizes × 10 learning rates × 4 numbers of epochs × 3 seeds, 840 states. Each is a run of up to a
    thousand random steps, which only ``nnmath.descent.regression_descent`` with its shuffles reproduces; the
    paths are long (a stochastic run of 10 epochs is 1,000 points), so the grid keeps the batch sizes to powers
    of 1, 2, 5 and the epochs to the ends of the loss axis (about 1 MB in the page).
    """

    max_epochs = 10
    title = "mini-batch gradient descent on a line"
    static_mode = "grid"
    #: The kernel-free version's grid (batch sizes, learning rates, epochs, seeds).
    static_batch_sizes = (1, 2, 5, 10, 20, 50, 100)
    static_learning_rates = (0.001, 0.003, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)
    static_seeds = (0, 1, 2)

    def __init__(self, batch_size=10, lr=0.05, epochs=5, seed=0, n=100):
        self.X, self.y = make_linear_regression(n=n, seed=0)
        self.n = len(self.y)
        self.surface = regression_surface(self.X, self.y)
        self.w_star, self.b_star = self.surface.minima[0]
        self.f_star = float(self.surface.f(np.array([self.w_star, self.b_star])))
        controls = {
            "batch_size": Slider("batch size B", batch_size, 1, self.n, 1, integer=True),
            "lr": Slider("learning rate η", lr, 10 ** -3, 10 ** -0.5, 0.01, log=True, fmt=".3g"),
            "epochs": Slider("epochs", epochs, 1, self.max_epochs, 1, integer=True),
            "seed": Slider("shuffle seed", seed, 0, 9, 1, integer=True),
        }
        fig, (self.ax_data, self.ax, self.ax_loss) = widget_figure(3, width=10.4, height=3.7,
                                                                    width_ratios=[0.9, 1, 1.05])
        super().__init__(fig, controls)
        x = self.X[:, 0]
        self.ax_data.scatter(x, self.y, s=9, color=PALETTE["blue"], alpha=0.6, edgecolors="none")
        grid = np.array([x.min() - 0.3, x.max() + 0.3])
        self.ax_data.plot(grid, self.w_star * grid + self.b_star, color="black", lw=1, ls="--",
                          label="least squares")
        self.fit_line, = self.ax_data.plot([], [], color=PATH_COLOR, lw=2, label="after the last step")
        pad = 0.15 * (self.y.max() - self.y.min())
        self.ax_data.set(xlabel="$x$", ylabel="$y$", xlim=tuple(grid), ylim=(self.y.min() - pad, self.y.max() + pad))
        self.ax_data.set_title("the data and the line", fontsize=10)
        self.ax_data.legend(fontsize=8, loc="upper left")
        self._grid = grid
        xlim, ylim = (self.w_star - 2.6, self.w_star + 1.4), (self.b_star - 1.8, self.b_star + 1.8)
        draw_regression(self.ax, self.surface, xlim, ylim)
        self.ax.set_title(r"the path of $(w, b)$", fontsize=10)
        self.path_line, = self.ax.plot([], [], "-", color=PATH_COLOR, lw=1.0)
        self.epoch_dots, = self.ax.plot([], [], "o", color=PATH_COLOR, mec="white", mew=0.6, ms=5, zorder=5)
        self.ax.plot(0.0, 0.0, "o", color="black", ms=5, zorder=6)
        self.status = self.ax.text(0.03, 0.04, "", transform=self.ax.transAxes, fontsize=9, zorder=8,
                                   bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="none", alpha=0.9))
        self.loss_line, = self.ax_loss.plot([], [], color=PATH_COLOR, lw=1.3)
        self.ax_loss.set(yscale="log", ylim=(1e-5, 1e2), xlabel="epoch", ylabel=r"$L(w, b) - L^*$ (all data)")
        self.dynamic = [self.fit_line, self.path_line, self.epoch_dots, self.status, self.loss_line,
                        self.ax_loss.title]
        self.trajectory = None
        self._runs: dict = {}

    def update(self, batch_size, lr, epochs, seed):
        B, epochs = int(batch_size), int(epochs)
        end = epoch_axis_end(epochs)  # a new axis (and background) only at 1, 2, 5, 10
        self.ax_loss.set_xlim(0, end)
        self.static_key = end
        path = self._descend(B, lr, epochs, int(seed))
        self.trajectory = path
        pts = path.points
        w_end, b_end = pts[-1]
        self.restyle(self.fit_line, data=(self._grid, w_end * self._grid + b_end))
        self.restyle(self.path_line, data=(pts[:, 0], pts[:, 1]))
        ends = pts[path.extra["epoch_ends"]]
        self.restyle(self.epoch_dots, data=(ends[:, 0], ends[:, 1]))
        epoch = np.arange(len(pts)) * B / self.n
        self.loss_line.set_data(np.minimum(epoch, epochs), np.maximum(path.losses - self.f_star, LOSS_FLOOR))
        per_epoch = steps_per_epoch(self.n, B)
        if path.diverged:
            status = f"diverged after {path.steps} step{'s' if path.steps != 1 else ''}"
        else:
            status = f"w = {w_end:.3f}, b = {b_end:.3f}".replace("-", "−")
        self.restyle(self.status, text=status, color=PALETTE["vermillion"] if path.diverged else "black",
                     fontweight="bold" if path.diverged else "normal")
        kind = "full batch" if B == self.n else "stochastic" if B == 1 else "mini-batch"
        title = f"{kind}: {per_epoch} step{'s' if per_epoch != 1 else ''}/epoch, {per_epoch * epochs} in all"
        if title != self.ax_loss.get_title():  # an unchanged title keeps its recorded commands
            self.ax_loss.set_title(title, fontsize=10)

    #: Runs kept for ``_descend`` (the static grid goes through the seeds for each number of epochs).
    max_runs = 8

    def _descend(self, B, lr, epochs, seed):
        """``regression_descent`` of the data with these settings, cut from or carried on from an earlier run
        that differs only in its number of epochs (:func:`nnmath.descent.with_epochs`: the same run, float for
        float; each run keeps the random generator it shuffled with, where it left it)."""
        key = (B, float(lr), seed)
        run = self._runs.pop(key, None)
        if run is None:
            rng = np.random.default_rng(seed)
            run = (epochs, regression_descent(self.X, self.y, batch_size=B, lr=lr, epochs=epochs, seed=rng), rng)
            path = run[1]
        else:
            budget, longest, rng = run
            path = with_epochs(longest, epochs, lambda end, k: regression_descent(
                self.X, self.y, batch_size=B, lr=lr, epochs=k, start=end, seed=rng))
            if epochs > budget:
                run = (epochs, path, rng)
        self._runs[key] = run  # the longest run of these settings so far, the newest last
        while len(self._runs) > self.max_runs:
            del self._runs[next(iter(self._runs))]
        return path

    # -- the kernel-free version (nnmath.widgets.static) ------------------------------------------------
    def static_controls(self):
        """The grid of the kernel-free version: ``static_batch_sizes`` (the full batch is ``n``) ×
        ``static_learning_rates`` × the epoch axis's ends (``EPOCH_AXIS_ENDS``) × ``static_seeds``."""
        c = self.controls
        sizes = sorted({min(B, self.n) for B in self.static_batch_sizes} | {self.n})
        return [grid_control(c["batch_size"], sizes, name="batch_size"),
                grid_control(c["lr"], self.static_learning_rates, name="lr"),
                grid_control(c["epochs"], EPOCH_AXIS_ENDS, name="epochs"),
                grid_control(c["seed"], self.static_seeds, name="seed")]


def epoch_axis_end(epochs) -> int:
    """Where the loss panel's epoch axis ends for this many epochs (see ``EPOCH_AXIS_ENDS``)."""
    return next((end for end in EPOCH_AXIS_ENDS if end >= epochs), int(epochs))
