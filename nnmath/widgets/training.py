r"""A network learning (chapter 6): an epoch slider over a training run recorded once, with a fixed seed.

The run is computed when a data set is first chosen: the network's parameters are saved after every epoch
(:func:`train_with_snapshots`), and moving the slider only evaluates the saved network on a grid and redraws.
"""

from __future__ import annotations

from typing import NamedTuple

import contourpy
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgb
from matplotlib.ticker import NullLocator

from ..data import make_moons, make_spirals, make_xor
from ..network import MLP
from ..optim import SGD
from ..plots import PALETTE, widget_figure
from ..train import Callback, fit
from ._base import Playground
from .controls import Choice, Slider
from .static import grid_control

__all__ = ["TRAINING_SETUPS", "TrainingRun", "train_with_snapshots", "TrainingPlayground", "STATIC_EPOCHS",
           "CONFIDENT"]

#: The toy problems of the widget: data, layer sizes, learning rate of plain SGD and batch size.
TRAINING_SETUPS = {
    "moons": {"data": lambda: make_moons(n=200, noise=0.15, seed=0), "sizes": [2, 16, 16, 2], "lr": 0.05,
              "batch_size": 32, "label": "moons (2 classes)"},
    "xor": {"data": lambda: make_xor(n=200, noise=0.3, seed=0), "sizes": [2, 8, 8, 2], "lr": 0.05,
            "batch_size": 32, "label": "XOR (2 classes)"},
    "spirals": {"data": lambda: make_spirals(n=300, n_classes=3, seed=0), "sizes": [2, 32, 32, 3], "lr": 0.05,
                "batch_size": 32, "label": "spirals (3 classes)"},
}
EPOCHS = 300
_CLASS_COLORS = np.array([to_rgb(PALETTE[c]) for c in ("blue", "orange", "green")])
_GRID = 100
#: The decision map's picture is this many pixels a side: the probabilities on the grid, interpolated bilinearly
#: at the pixels' centres, then coloured (about the map axes' size on the page, so the tints' edges are smooth).
MAP_PIXELS = 400
#: Probability above which the map's tint is strong ("confident").
CONFIDENT = 0.9
#: The epochs of the kernel-free version: every early epoch that changes the picture much, then every 10 to 25.
STATIC_EPOCHS = (0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 100, 120, 140, 160, 180, 200, 225, 250,
                 275, 300)
# the map's colours: for class c, row 2c is the faint tint (unsure) and row 2c + 1 the strong one (confident)
_TINTS = np.round(255 * (1.0 - np.array([0.15, 0.45])[None, :, None] * (1.0 - _CLASS_COLORS[:, None, :])))
_TINTS = _TINTS.reshape(-1, 3).astype(np.uint8)


class TrainingRun(NamedTuple):
    """A recorded training run: one row per epoch, epoch 0 being the initial network.

    ``params`` has shape (epochs + 1, P); ``loss`` and ``accuracy`` are measured on the whole training set with
    each saved network; ``grad_norms`` has shape (epochs + 1, D): :math:`\\lVert \\partial L/\\partial W^{[\\ell]}
    \\rVert_F` of each layer, also on the whole set.
    """

    X: np.ndarray
    y: np.ndarray
    net: MLP
    params: np.ndarray
    loss: np.ndarray
    accuracy: np.ndarray
    grad_norms: np.ndarray


class _Snapshots(Callback):
    def __init__(self):
        self.params = []

    def on_train_begin(self, net):
        self.params.append(net.get_params())

    def on_epoch_end(self, epoch, logs, net):
        self.params.append(net.get_params())
        return False


def train_with_snapshots(X, y, sizes, activation="tanh", lr=0.3, epochs=EPOCHS, batch_size=32, seed=0) -> TrainingRun:
    r"""Train an :class:`nnmath.network.MLP` with mini-batch SGD (:func:`nnmath.train.fit`), saving the parameters
    after every epoch, then measure each saved network's loss, accuracy and weight gradients on the whole set.

    .. math::
        \theta_{t+1} = \theta_t - \eta\, \nabla_\theta L_B(\theta_t)
        \quad\text{for every mini-batch } B \text{ of every epoch}
    """
    net = MLP(sizes, activation=activation, loss="cross_entropy", seed=seed)
    snapshots = _Snapshots()
    fit(net, X, y, SGD(lr=lr), epochs=epochs, batch_size=batch_size, callbacks=[snapshots], seed=seed)
    params = np.array(snapshots.params)
    loss, accuracy, norms = [], [], []
    labels = np.asarray(y)
    for theta in params:
        net.set_params(theta)
        value, _ = net.loss_and_gradients(X, y)
        loss.append(value)
        norms.append([np.linalg.norm(dW) for dW in net.dW])
        accuracy.append(float(np.mean(net.predict(X) == labels)))
    return TrainingRun(np.asarray(X), labels, net, params, np.array(loss), np.array(accuracy), np.array(norms))


class TrainingPlayground(Playground):
    r"""Watch a small network learn a toy problem, epoch by epoch, from one recorded training run.

    Left: the training points and the network's decision regions at the chosen epoch, coloured by the predicted
    class probabilities :math:`\mathbf p = \operatorname{softmax}(\mathbf z)` on a 100 × 100 grid — a strong tint
    where the largest probability is at least ``CONFIDENT``, a faint one where the network is less sure — with
    the decision boundary in black (the probabilities between grid points are interpolated bilinearly,
    :meth:`map_picture`). Right: the loss on the whole training set over the epochs, and the size of the
    gradient backpropagation delivers to each layer's weights, :math:`\lVert \partial L/\partial W^{[\ell]}
    \rVert_F`. Training is plain mini-batch SGD with a fixed seed (``TRAINING_SETUPS`` in
    ``nnmath.widgets.training``), so every reader sees the same run.

    In the static book the states are precomputed (``static_mode = "grid"``): 3 data sets × 2 activations ×
    26 epochs (``STATIC_EPOCHS``), 156 states. Each state needs a trained network — a training run that the
    page could not repeat — evaluated on the grid; its decision map travels as a PNG of flat tints
    (``MAP_PIXELS`` a side, about 4 kB), the rest as drawing commands.
    """

    title = "a network learning, epoch by epoch"
    static_mode = "grid"

    def __init__(self, data="moons", activation="tanh", epoch=EPOCHS):
        controls = {
            "data": Choice("data", data, [(s["label"], k) for k, s in TRAINING_SETUPS.items()]),
            "activation": Choice("hidden f", activation, [("tanh", "tanh"), ("ReLU", "relu")]),
            "epoch": Slider("epoch", epoch, 0, EPOCHS, 1, integer=True),
        }
        fig, axes = widget_figure(2, 2, width=9.6, height=4.4, width_ratios=[1.05, 1])
        gs = axes[0, 0].get_gridspec()
        for ax in axes[:, 0]:
            ax.remove()
        self.ax_map = fig.add_subplot(gs[:, 0])
        self.ax_loss, self.ax_grad = axes[0, 1], axes[1, 1]
        super().__init__(fig, controls)
        self._runs: dict = {}
        self.decision = self.ax_map.imshow(np.full((MAP_PIXELS, MAP_PIXELS, 3), 255, dtype=np.uint8),
                                           origin="lower", interpolation="bilinear", aspect="auto", zorder=0)
        self.boundary = LineCollection([], colors="black", linewidths=1.6)
        self.ax_map.add_collection(self.boundary)
        # the points of each class as one line of markers: one marker shape, the points' positions
        self.points = [self.ax_map.plot([], [], "o", ms=4, mfc=color, mec="black", mew=0.4, ls="none")[0]
                       for color in _CLASS_COLORS]
        self.ax_map.set(xlabel="$x_1$", ylabel="$x_2$")
        self.loss_marker, = self.ax_loss.plot([], [], "o", color=PALETTE["vermillion"], ms=7, clip_on=False)
        self.acc_text = self.ax_loss.text(0.97, 0.93, "", transform=self.ax_loss.transAxes, ha="right", va="top",
                                          fontsize=9)
        self.grad_marker = self.ax_grad.axvline(0, color=PALETTE["vermillion"], lw=1.2)
        self.ax_loss.set(ylabel="loss L (log scale)", yscale="log", xlim=(0, EPOCHS))
        self.ax_grad.set(xlabel="epoch", ylabel=r"$\Vert\partial L/\partial W^{[\ell]}\Vert_F$", yscale="log",
                         xlim=(0, EPOCHS))
        for ax in (self.ax_loss, self.ax_grad):
            ax.yaxis.set_minor_locator(NullLocator())  # log axes: major ticks only (faster layout, cleaner)
        self.ax_loss.set_title("cross-entropy on the training set", fontsize=10)
        self.ax_grad.set_title("gradient reaching each layer's weights", fontsize=10)
        self._static_lines: list = []
        self._drawn = None
        self.dynamic = [self.decision, self.boundary, *self.points, self.loss_marker, self.acc_text,
                        self.grad_marker]

    # -- the recorded runs ----------------------------------------------------------------------------
    def run(self, data, activation) -> TrainingRun:
        """The recorded run for a data set and hidden activation (trained on first use, then cached)."""
        key = (data, activation)
        if key not in self._runs:
            setup = TRAINING_SETUPS[data]
            X, y = setup["data"]()
            self._runs[key] = train_with_snapshots(X, y, setup["sizes"], activation, setup["lr"], EPOCHS,
                                                   setup["batch_size"], seed=0)
        return self._runs[key]

    def _grid(self, run):
        lo, hi = run.X.min(axis=0), run.X.max(axis=0)
        pad = 0.15 * (hi - lo)
        xs = np.linspace(lo[0] - pad[0], hi[0] + pad[0], _GRID)
        ys = np.linspace(lo[1] - pad[1], hi[1] + pad[1], _GRID)
        return xs, ys

    def decision_map(self, data, activation, epoch):
        """The class probabilities on the grid, shape (100, 100, k) (row 0 at the bottom), and the decision
        boundary's segments: where the most probable class changes."""
        run = self.run(data, activation)
        xs, ys = self._grid(run)
        gx, gy = np.meshgrid(xs, ys)
        run.net.set_params(run.params[int(epoch)])
        P = run.net.predict_proba(np.column_stack([gx.ravel(), gy.ravel()]))
        k = P.shape[1]
        segments = []
        for c in range(k if k > 2 else 1):  # where class c stops being the most probable
            margin = (P[:, c] - np.delete(P, c, axis=1).max(axis=1)).reshape(_GRID, _GRID)
            segments.extend(line for line in contourpy.contour_generator(xs, ys, margin).lines(0.0) if len(line) > 1)
        return P.reshape(_GRID, _GRID, k), segments

    def map_picture(self, P) -> np.ndarray:
        """The decision map's picture for class probabilities ``P`` of shape (grid, grid, k): ``MAP_PIXELS``
        a side (row 0 at the bottom), the probabilities interpolated bilinearly at the pixels' centres, each pixel
        the tint of its most probable class — strong where that probability is at least ``CONFIDENT``, faint
        elsewhere. RGB, uint8."""
        rows, row_t = _bilinear(P.shape[0], MAP_PIXELS)
        cols, col_t = _bilinear(P.shape[1], MAP_PIXELS)
        planes = np.ascontiguousarray(np.moveaxis(P, 2, 0), dtype=np.float32)  # (k, grid, grid): single precision
        along_y = planes[:, rows] * (1 - row_t)[:, None] + planes[:, rows + 1] * row_t[:, None]  # is plenty here
        both = along_y[:, :, cols] * (1 - col_t) + along_y[:, :, cols + 1] * col_t
        best, winner = both[0], np.zeros(both.shape[1:], dtype=np.intp)
        for c in range(1, len(both)):  # the arg max over the few classes, plane by plane (faster than argmax)
            better = both[c] > best
            winner[better] = c
            best = np.maximum(best, both[c])
        return _TINTS[2 * winner + (best >= CONFIDENT)]

    # -- drawing ------------------------------------------------------------------------------------
    def _draw_static(self, data, activation, run):
        """What depends on the data set and the activation only: the curves, the axes' ranges, the title."""
        for line in self._static_lines:
            line.remove()
        epochs = np.arange(EPOCHS + 1)
        self._static_lines = [self.ax_loss.plot(epochs, run.loss, color=PALETTE["blue"], lw=1.6)[0]]
        colors = [PALETTE["purple"], PALETTE["green"], PALETTE["black"]]
        for ell in range(run.grad_norms.shape[1]):
            self._static_lines.append(self.ax_grad.plot(epochs, run.grad_norms[:, ell], lw=1.4,
                                                        color=colors[ell % len(colors)],
                                                        label=rf"$W^{{[{ell + 1}]}}$")[0])
        self._static_lines.append(self.ax_grad.legend(loc="upper right", fontsize=8, ncols=3))
        lo, hi = run.loss.min(), run.loss.max()
        self.ax_loss.set_ylim(lo / 1.5, hi * 1.5)
        g = run.grad_norms[run.grad_norms > 0]
        self.ax_grad.set_ylim(g.min() / 2, g.max() * 3)
        xs, ys = self._grid(run)
        self.ax_map.set(xlim=(xs[0], xs[-1]), ylim=(ys[0], ys[-1]))
        self.decision.set_extent((xs[0], xs[-1], ys[0], ys[-1]))
        sizes = "-".join(str(s) for s in run.net.sizes)
        self.ax_map.set_title(f"{sizes} network, {activation}: decision boundary", fontsize=10)
        self._drawn = (data, activation)

    def update(self, data, activation, epoch):
        run = self.run(data, activation)
        if self._drawn != (data, activation):
            self._draw_static(data, activation, run)
        self.static_key = (data, activation)
        epoch = int(epoch)
        P, segments = self.decision_map(data, activation, epoch)
        self.decision.set_data(self.map_picture(P))
        self.boundary.set_segments(segments)
        for c, points in enumerate(self.points):
            inside = run.y == c
            points.set_data(run.X[inside, 0], run.X[inside, 1])
        self.loss_marker.set_data([epoch], [run.loss[epoch]])
        self.grad_marker.set_xdata([epoch, epoch])
        self.acc_text.set_text(f"epoch {epoch}: loss {run.loss[epoch]:.3f}, accuracy {run.accuracy[epoch]:.0%}")

    # -- the kernel-free version (nnmath.widgets.static) ------------------------------------------------
    def static_controls(self):
        """The grid of the kernel-free version: every data set and activation × ``STATIC_EPOCHS``."""
        c = self.controls
        return [grid_control(c["data"], name="data"), grid_control(c["activation"], name="activation"),
                grid_control(c["epoch"], STATIC_EPOCHS, name="epoch")]


def _bilinear(n: int, m: int):
    """Where m points spanning a grid of n values fall on it: the index of the grid point on their left, and
    their fraction of the way to the next one (linear interpolation: ``v[i] * (1 - t) + v[i + 1] * t``)."""
    position = np.linspace(0, n - 1, m)
    left = np.minimum(position.astype(int), n - 2)
    return left, (position - left).astype(np.float32)
