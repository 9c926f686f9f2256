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

register(Exercise(
    name="dense_forward",
    signature="dense_forward(X, W, b)",
    reference=lambda X, W, b: dense_forward(X, W, b)[0],
    make_inputs=_dense_inputs,
))

register(Exercise(
    name="compose_two_layers",
    signature="compose_two_layers(W1, b1, W2, b2)",
    reference=lambda W1, b1, W2, b2: compose_affine([(W1, b1), (W2, b2)]),
    make_inputs=_compose_inputs,
))
