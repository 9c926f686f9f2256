r"""A network learning (chapter 6): an epoch slider over a training run recorded once, with a fixed seed.

The run is computed when a data set is first chosen: the network's parameters are saved after every epoch
(:func:`train_with_snapshots`), and moving the slider only evaluates the saved network on a grid and redraws.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import NamedTuple

import contourpy
import ipywidgets as w
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
from ._png import rgb_png

__all__ = ["TRAINING_SETUPS", "TrainingRun", "train_with_snapshots", "TrainingPlayground", "training_playground"]

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
#: Probability above which the map's tint is strong ("confident").
CONFIDENT = 0.9
_CACHED_MAPS = 64  # decision maps kept (pixels of the map for one epoch: about 0.4 MB each)
# the map's colours: for class c, row 2c is the faint tint (unsure) and row 2c + 1 the strong one (confident)
_TINTS = np.round(255 * (1.0 - np.array([0.15, 0.45])[None, :, None] * (1.0 - _CLASS_COLORS[:, None, :])))
_TINTS = _TINTS.reshape(-1, 3).astype(np.uint8)


class TrainingRun(NamedTuple):
    """A recorded training run: one row per epoch, epoch 0 being the initial network.

    ``params`` has shape (epochs + 1, P); ``loss`` and ``accuracy`` are measured on the whole training set with
    each saved network; ``grad_norms`` has shape (epochs + 1, L): :math:`\\lVert \\partial L/\\partial W^{[\\ell]}
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
    class probabilities :math:`\mathbf p = \operatorname{softmax}(\mathbf z)` (the white-ish bands are where the
    network is unsure), with the decision boundary in black. Right: the loss on the whole training set over the
    epochs, and the size of the gradient backpropagation delivers to each layer's weights,
    :math:`\lVert \partial L/\partial W^{[\ell]} \rVert_F`. Training is plain mini-batch SGD with a fixed seed
    (``TRAINING_SETUPS`` in ``nnmath.widgets.training``), so every reader sees the same run.

    Redraws are blitted: axes, curves and labels are drawn once per (data set, activation); for each epoch the
    decision map is computed once at the figure's pixel resolution (bilinear interpolation of the probabilities
    on a 100 × 100 grid), kept in a small cache, and pasted into the frame under the moving artists.
    """

    def __init__(self, data="moons", activation="tanh", epoch=EPOCHS):
        controls = {
            "data": w.Dropdown(options=[(s["label"], k) for k, s in TRAINING_SETUPS.items()], value=data,
                               description="data", layout=w.Layout(width="240px")),
            "activation": w.Dropdown(options=[("tanh", "tanh"), ("ReLU", "relu")], value=activation,
                                     description="hidden f", layout=w.Layout(width="180px")),
            "epoch": w.IntSlider(value=epoch, min=0, max=EPOCHS, step=1, description="epoch",
                                 continuous_update=True, style={"description_width": "initial"},
                                 layout=w.Layout(width="380px")),
        }
        fig, axes = widget_figure(2, 2, width=9.6, height=4.4, width_ratios=[1.05, 1])
        gs = axes[0, 0].get_gridspec()
        for ax in axes[:, 0]:
            ax.remove()
        self.ax_map = fig.add_subplot(gs[:, 0])
        self.ax_loss, self.ax_grad = axes[0, 1], axes[1, 1]
        super().__init__(fig, controls)
        self._runs: dict = {}
        self._maps: OrderedDict = OrderedDict()
        self._pixels: dict = {}
        self._current = (data, activation, epoch)
        self.static_key = None
        self._backgrounds: dict = {}  # one per (data set, activation): switching back is instant
        self._laid_out = False
        self.last_timing: dict = {}
        self.boundary = LineCollection([], colors="black", linewidths=1.6)
        self.ax_map.add_collection(self.boundary)
        self.points = self.ax_map.scatter([], [], s=16, edgecolors="black", linewidths=0.4)
        self.ax_map.set(xlabel="$x_1$", ylabel="$x_2$")
        self.loss_lines = []
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
        self._static_lines = []
        self.dynamic = [self.boundary, self.points, self.loss_marker, self.acc_text, self.grad_marker]

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
        """The class probabilities on the grid, shape (100, 100, k), and the decision boundary's segments."""
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

    def _map_pixels(self, data, activation, epoch):
        """The decision map as RGB pixels filling the map axes, and the boundary (cached for recent epochs)."""
        key = (data, activation, int(epoch))
        if key in self._maps:
            self._maps.move_to_end(key)
            return self._maps[key]
        P, segments = self.decision_map(data, activation, epoch)
        P = np.ascontiguousarray(np.moveaxis(P, 2, 0), dtype=np.float32)  # (k, grid, grid): one plane per class
        (i0, tx), (j0, ty) = self._pixels[(data, activation)][2:]
        # bilinear interpolation of the probabilities at the pixel centres: along x, then along y
        along_x = P[:, :, i0] * (1 - tx) + P[:, :, i0 + 1] * tx
        Pp = along_x[:, j0, :] * (1 - ty)[:, None] + along_x[:, j0 + 1, :] * ty[:, None]
        # flat tints, strong where the network is confident and faint where it is not; the boundary is a line
        code = 2 * Pp.argmax(axis=0) + (Pp.max(axis=0) >= CONFIDENT)
        pixels = _TINTS[code]
        self._maps[key] = (pixels, segments)
        if len(self._maps) > _CACHED_MAPS:
            self._maps.popitem(last=False)
        return pixels, segments

    def _locate_pixels(self, run):
        """Which rows and columns of the frame the map fills, and where their centres fall on the grid."""
        fig_h = int(round(self.figure.bbox.height))
        bb = self.ax_map.get_window_extent()
        c0, c1 = int(np.floor(bb.x0)) + 1, int(np.ceil(bb.x1))  # inside the left spine
        r0, r1 = fig_h - int(np.ceil(bb.y1)), fig_h - int(np.floor(bb.y0)) - 1  # rows count from the top
        inv = self.ax_map.transData.inverted()
        cx = inv.transform(np.column_stack([np.arange(c0, c1) + 0.5, np.zeros(c1 - c0)]))[:, 0]
        cy = inv.transform(np.column_stack([np.zeros(r1 - r0), fig_h - (np.arange(r0, r1) + 0.5)]))[:, 1]
        xs, ys = self._grid(run)
        fx = np.clip((cx - xs[0]) / (xs[1] - xs[0]), 0, _GRID - 1)
        fy = np.clip((cy - ys[0]) / (ys[1] - ys[0]), 0, _GRID - 1)
        i0 = np.minimum(fx.astype(int), _GRID - 2)
        j0 = np.minimum(fy.astype(int), _GRID - 2)
        tx, ty = (fx - i0).astype(np.float32), (fy - j0).astype(np.float32)
        return (slice(r0, r1), slice(c0, c1), (i0, tx), (j0, ty))

    # -- drawing ------------------------------------------------------------------------------------
    def _draw_static(self, run):
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
        self.points.set_offsets(run.X)
        self.points.set_facecolors(_CLASS_COLORS[run.y])

    def update(self, data, activation, epoch):
        run = self.run(data, activation)
        if self.static_key != (data, activation):
            self._draw_static(run)
            self.static_key = (data, activation)
            sizes = "-".join(str(s) for s in run.net.sizes)
            self.ax_map.set_title(f"{sizes} network, {activation}: decision boundary", fontsize=10)
        epoch = int(np.clip(epoch, 0, EPOCHS))
        self._current = (data, activation, epoch)
        self.loss_marker.set_data([epoch], [run.loss[epoch]])
        self.grad_marker.set_xdata([epoch, epoch])
        self.acc_text.set_text(f"epoch {epoch}: loss {run.loss[epoch]:.3f}, accuracy {run.accuracy[epoch]:.0%}")

    def render(self) -> bytes:
        canvas = self.figure.canvas
        t0 = time.perf_counter()
        if not self._laid_out:
            canvas.draw()  # lay out once with every artist in place, then freeze the layout
            self.figure.set_layout_engine("none")
            self._laid_out = True
        data, activation, epoch = self._current
        if self.static_key not in self._backgrounds:
            for artist in self.dynamic:
                artist.set_animated(True)  # left out of the full draw, drawn by hand below
            canvas.draw()
            self._backgrounds[self.static_key] = canvas.copy_from_bbox(self.figure.bbox)
            self._pixels[self.static_key] = self._locate_pixels(self.run(data, activation))
        else:
            canvas.restore_region(self._backgrounds[self.static_key])
        pixels, segments = self._map_pixels(data, activation, epoch)
        rows, cols = self._pixels[(data, activation)][:2]
        np.asarray(canvas.buffer_rgba())[rows, cols, :3] = pixels  # the map, pasted under the moving artists
        self.boundary.set_segments(segments)
        for artist in self.dynamic:
            self.figure.draw_artist(artist)
        t1 = time.perf_counter()
        png = rgb_png(canvas.buffer_rgba())
        self.last_timing = {"draw": t1 - t0, "encode": time.perf_counter() - t1}
        return png


def training_playground(**initial):
    """Make the chapter 6 training widget (see :class:`TrainingPlayground`)."""
    return TrainingPlayground(**initial)
