r"""Toy data sets in two dimensions (chapters 5, 6 and 8): small, seeded, and quick to plot.

Each generator returns ``X`` of shape (n, 2) (float64, one point per row) and integer labels ``y`` of
shape (n,), in shuffled order; :func:`make_linear_regression` returns ``X`` of shape (n, 1) and real
targets ``y`` of shape (n,). The same ``seed`` always gives the same data.
"""

from __future__ import annotations

import math

import numpy as np

from .._checks import as_generator, as_int, as_scalar

__all__ = ["make_xor", "make_moons", "make_circles", "make_spirals", "make_linear_regression"]


def _sample_size_noise_and_rng(n, noise, seed, minimum=2):
    """The arguments every generator shares, checked: the number of points, the noise level and the generator."""
    return as_int(n, "n", minimum=minimum), as_scalar(noise, "noise", nonnegative=True), as_generator(seed)


def _shuffled(X, y, rng):
    order = rng.permutation(len(y))
    return X[order], y[order]


def make_xor(n=200, noise=0.25, seed=0):
    r"""The XOR problem: four clouds at :math:`(\pm 1, \pm 1)`, labelled 1 where the signs of the coordinates differ.

    .. math::
        y = \mathbb 1\bigl[\operatorname{sign}(x_1) \ne \operatorname{sign}(x_2)\bigr]
        \quad\text{for the cloud's centre}

    No straight line separates the classes: a network needs a hidden layer.

    Parameters
    ----------
    n : int, default 200
        Number of points (spread evenly over the four clouds).
    noise : float, default 0.25
        Standard deviation of the Gaussian clouds.
    seed : int, numpy Generator or None, default 0

    Returns
    -------
    X : ndarray, shape (n, 2)
    y : ndarray of int, shape (n,), values 0 and 1
    """
    n, noise, rng = _sample_size_noise_and_rng(n, noise, seed, minimum=4)
    corners = np.array([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]])
    which = np.arange(n) % 4
    X = corners[which] + noise * rng.standard_normal((n, 2))
    y = (which >= 2).astype(np.intp)  # the last two corners have coordinates of opposite signs
    return _shuffled(X, y, rng)


def make_moons(n=200, noise=0.1, seed=0):
    r"""Two interleaving half circles.

    .. math::
        \text{class 0: } (\cos t,\ \sin t), \qquad
        \text{class 1: } (1 - \cos t,\ \tfrac12 - \sin t), \qquad t \sim \mathcal U(0, \pi)

    plus Gaussian noise of standard deviation ``noise``.

    Returns
    -------
    X : ndarray, shape (n, 2)
    y : ndarray of int, shape (n,), values 0 and 1
    """
    n, noise, rng = _sample_size_noise_and_rng(n, noise, seed)
    y = (np.arange(n) >= n // 2).astype(np.intp)
    t = rng.uniform(0.0, math.pi, n)
    X = np.where(y[:, None] == 0,
                 np.column_stack([np.cos(t), np.sin(t)]),
                 np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)]))
    X = X + noise * rng.standard_normal((n, 2))
    return _shuffled(X, y, rng)


def make_circles(n=200, noise=0.05, factor=0.5, seed=0):
    r"""A small circle inside a large one: class 0 on the unit circle, class 1 on radius ``factor``.

    .. math::
        \text{class 0: } (\cos t, \sin t), \qquad \text{class 1: } r\,(\cos t, \sin t),
        \qquad t \sim \mathcal U(0, 2\pi)

    Returns
    -------
    X : ndarray, shape (n, 2)
    y : ndarray of int, shape (n,), values 0 and 1
    """
    n, noise, rng = _sample_size_noise_and_rng(n, noise, seed)
    factor = as_scalar(factor, "factor", positive=True)
    if factor >= 1:
        raise ValueError(f"factor is the inner circle's radius and must be below 1; got {factor}")
    y = (np.arange(n) >= n // 2).astype(np.intp)
    t = rng.uniform(0.0, 2.0 * math.pi, n)
    radius = np.where(y == 0, 1.0, factor)
    X = radius[:, None] * np.column_stack([np.cos(t), np.sin(t)]) + noise * rng.standard_normal((n, 2))
    return _shuffled(X, y, rng)


def make_spirals(n=300, n_classes=3, noise=0.2, seed=0):
    r"""Interleaved spiral arms, one per class (the data set of Stanford's CS231n notes).

    Point :math:`i` of arm :math:`c` (of :math:`m` points per arm) sits at

    .. math::
        r = \frac{i}{m-1}, \qquad \theta = 4\,(c + r) + \varepsilon,\ \varepsilon \sim \mathcal N(0, s^2),
        \qquad \mathbf x = r\,(\sin\theta,\ \cos\theta)

    so each arm turns through 4 radians from the centre outwards; ``noise`` is :math:`s`.

    Returns
    -------
    X : ndarray, shape (n, 2)
    y : ndarray of int, shape (n,), values 0..n_classes-1
    """
    n_classes = as_int(n_classes, "n_classes", minimum=2)
    n, noise, rng = _sample_size_noise_and_rng(n, noise, seed, minimum=2 * n_classes)
    y = np.arange(n) % n_classes
    m = np.bincount(y, minlength=n_classes)  # points per arm
    rank = np.arange(n) // n_classes  # index of the point along its arm
    r = rank / (m[y] - 1)
    theta = 4.0 * (y + r) + noise * rng.standard_normal(n)
    X = r[:, None] * np.column_stack([np.sin(theta), np.cos(theta)])
    return _shuffled(X, y.astype(np.intp), rng)


def make_linear_regression(n=100, slope=2.0, intercept=-1.0, noise=0.5, x_range=(-3.0, 3.0), seed=0):
    r"""Noisy points around a straight line, for regression and for gradient descent on :math:`(w, b)`.

    .. math::
        y_i = w\, x_i + b + \varepsilon_i, \qquad x_i \sim \mathcal U(x_\text{lo}, x_\text{hi}),
        \quad \varepsilon_i \sim \mathcal N(0, \sigma^2)

    Parameters
    ----------
    n : int, default 100
    slope, intercept : float, default 2.0 and -1.0
        The true :math:`w` and :math:`b`.
    noise : float, default 0.5
        :math:`\sigma`.
    x_range : (float, float), default (-3, 3)
    seed : int, numpy Generator or None, default 0

    Returns
    -------
    X : ndarray, shape (n, 1)
    y : ndarray, shape (n,)
    """
    n, noise, rng = _sample_size_noise_and_rng(n, noise, seed)
    slope = as_scalar(slope, "slope")
    intercept = as_scalar(intercept, "intercept")
    lo, hi = (as_scalar(v, "x_range") for v in x_range)
    if not lo < hi:
        raise ValueError(f"x_range must be (low, high) with low < high; got {x_range}")
    x = rng.uniform(lo, hi, n)
    y = slope * x + intercept + noise * rng.standard_normal(n)
    return x[:, None], y
