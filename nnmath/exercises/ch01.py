"""Exercises of chapter 1 (neurons and layers)."""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid
from ..layers import count_parameters, neuron
from ._core import Exercise, register


def _neuron_inputs(rng):
    d = int(rng.integers(1, 6))
    return rng.normal(size=d), rng.normal(size=d), float(rng.normal())


def _layer_inputs(rng):
    d_in, d_out = (int(v) for v in rng.integers(1, 6, size=2))
    return rng.normal(size=d_in), rng.normal(size=(d_in, d_out)), rng.normal(size=d_out)


def _sizes_inputs(rng):
    return ([int(v) for v in rng.integers(1, 50, size=int(rng.integers(2, 6)))],)


register(Exercise(
    name="neuron",
    signature="neuron(x, w, b)",
    reference=lambda x, w, b: neuron(x, w, b, "sigmoid"),
    make_inputs=_neuron_inputs,
    fixed_inputs=((np.array([1.0, 2.0]), np.array([0.5, -0.25]), 0.0),
                  (np.array([0.0, 0.0]), np.array([1.0, 1.0]), 800.0)),
))

register(Exercise(
    name="layer_output",
    signature="layer_output(x, W, b)",
    reference=lambda x, W, b: sigmoid(x @ W + b),
    make_inputs=_layer_inputs,
))

register(Exercise(
    name="count_parameters",
    signature="count_parameters(sizes)",
    reference=count_parameters,
    make_inputs=_sizes_inputs,
    fixed_inputs=(([2, 3, 1],), ([784, 128, 10],)),
))
