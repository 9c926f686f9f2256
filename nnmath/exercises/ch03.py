"""Exercises of chapter 3 (activation functions)."""

from __future__ import annotations

import numpy as np

from ..activations import leaky_relu_prime, sigmoid_prime, softmax
from ..approximation import hat
from ._core import Exercise, register


def _z_inputs(rng):
    shape = tuple(int(s) for s in rng.integers(1, 5, size=int(rng.integers(1, 3))))
    return (rng.normal(scale=4.0, size=shape),)


def _leaky_inputs(rng):
    z = rng.normal(scale=3.0, size=int(rng.integers(1, 9)))
    z[rng.random(z.shape) < 0.2] = 0.0  # exact zeros: the convention at the kink is part of the answer
    return z, float(rng.uniform(0.0, 0.5))


def _softmax_inputs(rng):
    n, k = int(rng.integers(1, 5)), int(rng.integers(2, 7))
    scale = float(rng.choice([1.0, 10.0, 1000.0]))
    return (rng.normal(scale=scale, size=(n, k)),)


def _hat_inputs(rng):
    return (rng.uniform(-3.0, 3.0, size=int(rng.integers(1, 12))),)


register(Exercise(
    name="sigmoid_prime",
    signature="sigmoid_prime(z)",
    reference=sigmoid_prime,
    make_inputs=_z_inputs,
    fixed_inputs=((np.array([0.0, 2.0, -2.0]),), (np.array([-800.0, -30.0, 30.0, 800.0]),)),
))

register(Exercise(
    name="leaky_relu_prime",
    signature="leaky_relu_prime(z, alpha)",
    reference=leaky_relu_prime,
    make_inputs=_leaky_inputs,
    fixed_inputs=((np.array([-2.0, -0.5, 0.0, 0.5, 2.0]), 0.01), (np.array([-1.0, 0.0, 1.0]), 0.2)),
))

register(Exercise(
    name="stable_softmax",
    signature="softmax(Z)",
    reference=softmax,
    make_inputs=_softmax_inputs,
    fixed_inputs=((np.array([[1.0, 2.0, 3.0]]),), (np.array([[1000.0, 999.0, 998.0]]),),
                  (np.array([[-1000.0, -1001.0, -1002.0], [0.0, 0.0, 0.0]]),)),
))

register(Exercise(
    name="hat",
    signature="hat(x)",
    reference=hat,
    make_inputs=_hat_inputs,
    fixed_inputs=((np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]),),),
))
