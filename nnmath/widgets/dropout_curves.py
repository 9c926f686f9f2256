r"""The dropout widget (chapter 8): a drop rate and an early-stopping patience, and the training curves they give.

A thin layer over :func:`nnmath.generalization.dropout_curves`, which trains the chapter's digit network once
per drop rate and records its curves, and :func:`nnmath.regularization.early_stopping_replay`, which replays
:class:`~nnmath.regularization.EarlyStopping` on the recorded validation loss; this module only draws them.
"""

from __future__ import annotations

import numpy as np

from ..generalization import dropout_curves
from ..plots import PALETTE, widget_figure
from ..regularization import early_stopping_replay
from ._base import Playground
from .controls import Slider
from .static import grid_control

__all__ = ["DropoutCurvesPlayground", "PATIENCES"]

#: The patiences of the kernel-free version.
PATIENCES = (1, 2, 3, 5, 8, 12, 20, 30)


class DropoutCurvesPlayground(Playground):
    r"""Training and validation loss of the chapter's digit network for a drop rate :math:`1 - q`, and where early
    stopping with a given patience would stop.

    Left: the cross-entropy on the training set (measured in evaluation mode after each epoch) and on the
    validation set, for the chosen drop rate; the grey dashed curve is the validation loss without dropout. The
    green line marks the epoch :class:`~nnmath.regularization.EarlyStopping` (monitoring the validation loss)
    restores, the dotted line the epoch after which it stops. Right: validation accuracy against the drop rate,
    after all epochs and with early stopping's restored weights. One run per drop rate, same initial weights
    and batches (:func:`nnmath.generalization.dropout_curves`).

    Each drop rate is a training run of 80 epochs, far too slow to redo while the reader drags, so the runs are
    made once and the widget only replays them (early stopping is replayed on the recorded validation loss). In
    the static book the states are precomputed likewise (``static_mode = "grid"``): the 8 recorded drop rates × 8
    patiences (1, 2, 3, 5, 8, 12, 20, 30; the live slider takes every patience from 1 to 30), 64 states of four
    curves and two markers each.
    """

    title = "dropout and early stopping: the training curves"
    static_mode = "grid"

    def __init__(self, rate=0.5, patience=5):
        self.curves = dropout_curves()
        rates = self.curves.rates
        controls = {
            "rate": Slider("drop rate 1 − q", rate, rates[0], rates[-1], round(rates[1] - rates[0], 6), fmt=".1f"),
            "patience": Slider("early stopping: patience", patience, 1, max(PATIENCES), 1, integer=True),
        }
        fig, (self.ax_l, self.ax_r) = widget_figure(2, width=10.6, height=4.0, width_ratios=[1.35, 1])
        super().__init__(fig, controls)
        c = self.curves
        epochs = np.arange(1, c.val_loss.shape[1] + 1)
        self.epochs = epochs
        ax = self.ax_l
        ax.plot(epochs, c.val_loss[0], color=PALETTE["grey"], ls="--", lw=1.2, label="validation, no dropout")
        self.train_line, = ax.plot([], [], color=PALETTE["blue"], lw=2, label="training set")
        self.val_line, = ax.plot([], [], color=PALETTE["vermillion"], lw=2, label="validation set")
        self.best_line = ax.axvline(1, color=PALETTE["green"], lw=1.6, label="restored epoch")
        self.stop_line = ax.axvline(1, color="black", lw=1.2, ls=":", label="stops after")
        everything = np.concatenate([c.train_loss.ravel(), c.val_loss.ravel()])
        ax.set(yscale="log", ylim=(everything.min() / 1.5, everything.max() * 1.5), xlim=(0, epochs[-1] + 1),
               xlabel="epoch", ylabel="cross-entropy (log scale)")
        ax.legend(loc="lower left", fontsize=8, ncols=2)
        ax = self.ax_r
        final = c.val_accuracy[:, -1]
        ax.plot(rates, final, "o-", color=PALETTE["grey"], lw=1.5, ms=4, label=f"after all {epochs[-1]} epochs")
        self.stopped_acc, = ax.plot([], [], "s-", color=PALETTE["green"], lw=1.8, ms=4,
                                    label="with early stopping")
        self.rate_mark, = ax.plot([], [], "o", color=PALETTE["vermillion"], mec="black", ms=9, zorder=5)
        lowest = min(c.val_accuracy[r, early_stopping_replay(c.val_loss[r], p)[0] - 1]
                     for r in range(len(rates)) for p in PATIENCES)
        ax.set(xlabel="drop rate 1 − q", ylabel="validation accuracy",
               ylim=(min(lowest, final.min()) - 0.03, c.val_accuracy.max() + 0.03))
        ax.legend(loc="lower left", fontsize=8)
        ax.set_title("validation accuracy against the drop rate", fontsize=10)
        self.dynamic = [self.train_line, self.val_line, self.best_line, self.stop_line, self.stopped_acc,
                        self.rate_mark, self.ax_l.title]

    def index(self, rate) -> int:
        """The row of ``curves`` for a drop rate (the nearest one recorded)."""
        return int(np.argmin(np.abs(np.asarray(self.curves.rates) - rate)))

    def stopping(self, rate, patience):
        """``(restored epoch, stopped epoch or None)`` of early stopping on this rate's validation loss."""
        return early_stopping_replay(self.curves.val_loss[self.index(rate)], int(patience))

    def static_controls(self):
        """The grid of the kernel-free version: the 8 recorded drop rates × 8 patiences (64 states)."""
        c = self.controls
        return [grid_control(c["rate"], list(self.curves.rates), name="rate"),
                grid_control(c["patience"], list(PATIENCES), name="patience")]

    def update(self, rate, patience):
        c, i = self.curves, self.index(rate)
        self.train_line.set_data(self.epochs, c.train_loss[i])
        self.val_line.set_data(self.epochs, c.val_loss[i])
        best, stopped = self.stopping(rate, patience)
        self.best_line.set_xdata([best, best])
        self.stop_line.set_xdata([stopped, stopped] if stopped is not None else [np.nan, np.nan])
        restored = [c.val_accuracy[r, early_stopping_replay(c.val_loss[r], int(patience))[0] - 1]
                    for r in range(len(c.rates))]
        self.stopped_acc.set_data(c.rates, restored)
        self.rate_mark.set_data([c.rates[i]], [c.val_accuracy[i, -1]])
        stop = f"stops after epoch {stopped}" if stopped is not None else "never stops"
        self.ax_l.set_title(f"1 − q = {c.rates[i]:.1f}, patience {int(patience)}: {stop}, goes back to epoch {best}\n"
                            f"validation accuracy there {c.val_accuracy[i, best - 1]:.1%}, "
                            f"after all {len(self.epochs)} epochs {c.val_accuracy[i, -1]:.1%}", fontsize=9.5)

