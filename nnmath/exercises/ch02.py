"""Exercises of chapter 2 (linear algebra)."""

from __future__ import annotations

import numpy as np

from ..layers import dense_forward
from ..linalg import compose_affine
from ._core import Exercise, register


def _dot_inputs(rng):
    d = int(rng.integers(1, 8))
    return rng.normal(size=d), rng.normal(size=d)


def _dense_inputs(rng):
    n, d_in, d_out = (int(v) for v in rng.integers(1, 7, size=3))
    return rng.normal(size=(n, d_in)), rng.normal(size=(d_in, d_out)), rng.normal(size=d_out)


def _compose_inputs(rng):
    d0, d1, d2 = (int(v) for v in rng.integers(1, 6, size=3))
    return (rng.normal(size=(d0, d1)), rng.normal(size=d1), rng.normal(size=(d1, d2)), rng.normal(size=d2))


register(Exercise(
    name="dot",
    signature="dot(x, w)",
    reference=lambda x, w: float(np.sum(x * w)),
    make_inputs=_dot_inputs,
    fixed_inputs=((np.array([1.0, 2.0, 3.0]), np.array([4.0, -5.0, 6.0])),),
))

# small, readable edge cases first: so a wrong answer is reported on numbers one can check by hand
_X = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, -1.0]])
_W = np.array([[1.0, -1.0], [0.0, 2.0], [3.0, 1.0]])
_B = np.array([1.0, -2.0])

register(Exercise(
    name="dense_forward",
    signature="dense_forward(X, W, b)",
    reference=lambda X, W, b: dense_forward(X, W, b)[0],
    make_inputs=_dense_inputs,
    fixed_inputs=((_X, _W, _B),                                      # n = 2, d_in = 3, d_out = 2
                  (np.array([[1.0, 2.0, 3.0]]), np.ones((3, 1)), np.array([0.5]))),  # one sample, one neuron
))

register(Exercise(
    name="compose_two_layers",
    signature="compose_two_layers(W1, b1, W2, b2)",
    reference=lambda W1, b1, W2, b2: compose_affine([(W1, b1), (W2, b2)]),
    make_inputs=_compose_inputs,
    fixed_inputs=((_W, _B, np.array([[1.0], [2.0]]), np.array([0.5])),   # 3 -> 2 -> 1
                  (_W, _B, np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]]), np.zeros(3))),  # 3 -> 2 -> 3
))
