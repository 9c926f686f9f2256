"""Exercises of chapter 9 (handwritten digits)."""

from __future__ import annotations

import numpy as np

from ..analysis import NearestClassMean, expected_calibration_error
from ..data.mnist import center_of_mass
from ._core import Exercise, register


def nearest_mean_predict(X, means):
    r"""The reference for Exercise 9.2: the label of the nearest class mean, :math:`\arg\min_c \lVert\mathbf x -
    \boldsymbol\mu_c\rVert^2`, for every row of ``X`` (``means`` holds one row per class)."""
    classifier = NearestClassMean()
    classifier.means = np.asarray(means, dtype=np.float64)
    return classifier.predict(X)


def _image_inputs(rng):
    h, w = (int(v) for v in rng.integers(1, 9, size=2))
    image = rng.random((h, w)) * (rng.random((h, w)) < 0.6)
    image[rng.integers(h), rng.integers(w)] += 0.5  # never blank
    return (image,)


def _nearest_inputs(rng):
    n, d, k = int(rng.integers(1, 8)), int(rng.integers(1, 6)), int(rng.integers(2, 6))
    return rng.normal(size=(n, d)), rng.normal(size=(k, d))


def _calibration_inputs(rng):
    n, k = int(rng.integers(1, 40)), int(rng.integers(2, 6))
    logits = rng.normal(scale=3.0, size=(n, k))
    P = np.exp(logits - logits.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    return P, rng.integers(0, k, size=n), int(rng.integers(1, 12))


register(Exercise(
    name="center_of_mass",
    signature="center_of_mass(image)",
    reference=center_of_mass,
    make_inputs=_image_inputs,
    fixed_inputs=((np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]),),   # one pixel: its position
                  (np.array([[1.0, 0.0, 0.0, 3.0]]),),                                   # mass 1 at 0, 3 at 3
                  (np.array([[0.0, 2.0], [0.0, 2.0], [0.0, 0.0]]),)),                    # a short vertical bar
))

register(Exercise(
    name="nearest_mean_predict",
    signature="nearest_mean_predict(X, means)",
    reference=nearest_mean_predict,
    make_inputs=_nearest_inputs,
    fixed_inputs=((np.array([[0.0, 0.0], [4.0, 4.0], [1.0, 3.0]]), np.array([[0.0, 0.0], [4.0, 4.0]])),
                  (np.array([[1.0, 1.0]]), np.array([[0.0, 0.0], [3.0, 3.0], [1.0, 2.0]]))),
))

register(Exercise(
    name="expected_calibration_error",
    signature="expected_calibration_error(P, y, n_bins)",
    reference=expected_calibration_error,
    make_inputs=_calibration_inputs,
    rtol=1e-9, atol=1e-12,
    fixed_inputs=((np.array([[0.9, 0.1], [0.9, 0.1], [0.6, 0.4], [0.3, 0.7]]), np.array([0, 1, 0, 1]), 10),
                  (np.array([[0.5, 0.5], [0.2, 0.8]]), np.array([0, 0]), 2)),
))
