"""Exercises of chapter 8 (regularization)."""

from __future__ import annotations

import numpy as np

from ..optim import SGD
from ..regularization import early_stopping_replay, soft_threshold
from ._core import Exercise, register


def weight_decay_step(w, g, lr, lam):
    r"""The reference of exercise ``"weight_decay_step"``: one SGD step on :math:`L_0 + \tfrac\lambda2\lVert\mathbf
    w\rVert^2`, computed by :class:`nnmath.optim.SGD` with ``weight_decay``.

    .. math::
        \mathbf w \leftarrow \mathbf w - \eta(\mathbf g + \lambda\mathbf w) = (1 - \eta\lambda)\,\mathbf w - \eta\,
        \mathbf g
    """
    w = np.array(w, dtype=float)
    SGD(lr=lr, weight_decay=lam).step([w], [np.asarray(g, dtype=float)])
    return w


def stop_epochs(val_losses, patience):
    """The reference of exercise ``"early_stopping"``: ``(restored epoch, epochs trained)`` when
    :class:`nnmath.regularization.EarlyStopping` watches a recorded validation loss (epochs count from 1; a run
    that is never stopped trains for all ``len(val_losses)`` epochs)."""
    best, stopped = early_stopping_replay(val_losses, patience)
    return best, len(val_losses) if stopped is None else stopped


def _threshold_inputs(rng):
    U = rng.normal(scale=2.0, size=tuple(int(v) for v in rng.integers(1, 5, size=int(rng.integers(1, 3)))))
    return U, float(rng.choice([0.0, rng.uniform(0.1, 2.0)]))


def _decay_inputs(rng):
    d = int(rng.integers(1, 6))
    return rng.normal(size=d), rng.normal(size=d), float(rng.uniform(0.001, 0.5)), float(rng.uniform(0.0, 1.0))


def _stopping_inputs(rng):
    n = int(rng.integers(1, 40))
    # a falling curve with noise that turns up after a random epoch, like a validation loss
    turn = int(rng.integers(1, n + 1))
    t = np.arange(1, n + 1)
    curve = 1.0 / t + 0.02 * np.maximum(t - turn, 0) + rng.normal(scale=0.01, size=n)
    return np.round(curve, 3), int(rng.integers(1, 8))


register(Exercise(
    name="soft_threshold",
    signature="soft_threshold(u, threshold)",
    reference=soft_threshold,
    make_inputs=_threshold_inputs,
    fixed_inputs=((np.array([-2.0, -0.5, 0.0, 0.3, 1.5]), 1.0), (np.array([0.7, -0.7]), 0.7),
                  (np.array([[3.0, -1.0], [0.2, -4.0]]), 0.0)),
))

register(Exercise(
    name="weight_decay_step",
    signature="weight_decay_step(w, g, lr, lam)",
    reference=weight_decay_step,
    make_inputs=_decay_inputs,
    fixed_inputs=((np.array([1.0, -2.0]), np.array([0.0, 0.0]), 0.1, 0.5),
                  (np.array([1.0, -2.0]), np.array([0.3, 0.1]), 0.1, 0.0),
                  (np.array([0.5]), np.array([1.0]), 0.2, 0.1)),
))

register(Exercise(
    name="early_stopping",
    signature="stop_epochs(val_losses, patience)",
    reference=stop_epochs,
    make_inputs=_stopping_inputs,
    fixed_inputs=((np.array([1.0, 0.5, 0.6, 0.4, 0.45, 0.41, 0.9]), 2),
                  (np.array([1.0, 0.8, 0.85, 0.9, 0.7]), 2),   # a lower loss after the stop: never seen
                  (np.array([1.0, 0.9, 0.8]), 5),
                  (np.array([0.5, 0.5, 0.5]), 1)),
))
