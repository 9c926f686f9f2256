"""Exercises of chapter 4 (loss functions)."""

from __future__ import annotations

import numpy as np

from ..losses import binary_cross_entropy_with_logits, mse, softmax_cross_entropy_prime
from ._core import Exercise, register


def _mse_inputs(rng):
    n = int(rng.integers(1, 9))
    shape = (n,) if rng.random() < 0.5 else (n, int(rng.integers(2, 5)))
    return rng.normal(scale=3.0, size=shape), rng.normal(scale=3.0, size=shape)


def _bce_inputs(rng):
    n = int(rng.integers(1, 9))
    scale = float(rng.choice([1.0, 10.0, 100.0, 1000.0]))
    return rng.normal(scale=scale, size=n), rng.integers(0, 2, size=n).astype(float)


def _softmax_grad_inputs(rng):
    n, k = int(rng.integers(1, 6)), int(rng.integers(2, 6))
    scale = float(rng.choice([1.0, 10.0, 1000.0]))
    return rng.normal(scale=scale, size=(n, k)), rng.integers(0, k, size=n)


register(Exercise(
    name="mse_mean",
    signature="mse(y_hat, y)",
    reference=mse,
    make_inputs=_mse_inputs,
    fixed_inputs=(
        (np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 5.0])),
        # two outputs per sample: the mean runs over all n·k = 6 entries, not over the 3 samples
        (np.array([[1.0, 0.0], [2.0, 1.0], [0.0, 0.0]]), np.array([[0.0, 0.0], [2.0, 3.0], [1.0, 0.0]])),
    ),
))

register(Exercise(
    name="bce_from_logits",
    signature="bce_with_logits(z, y)",
    reference=binary_cross_entropy_with_logits,
    make_inputs=_bce_inputs,
    fixed_inputs=(
        (np.array([0.0, 2.0, -2.0]), np.array([1.0, 0.0, 1.0])),
        (np.array([40.0, -40.0]), np.array([0.0, 1.0])),  # sigmoid(40) == 1.0 exactly in float64
        (np.array([1000.0, -1000.0, 1000.0]), np.array([0.0, 1.0, 1.0])),  # exp(1000) overflows
    ),
))

register(Exercise(
    name="softmax_ce_gradient",
    signature="softmax_ce_grad(Z, y)",
    reference=softmax_cross_entropy_prime,
    make_inputs=_softmax_grad_inputs,
    fixed_inputs=(
        (np.array([[1.0, 2.0, 3.0]]), np.array([2])),
        (np.array([[2.0, 0.0, -1.0], [0.0, 0.0, 0.0]]), np.array([0, 1])),  # the mean: divide by n = 2
        (np.array([[1000.0, 0.0, -1000.0]]), np.array([2])),  # needs a stable softmax
    ),
))
