"""Exercises of chapter 5 (gradient descent)."""

from __future__ import annotations

import numpy as np

from ..descent import gradient_step, max_stable_lr
from ..linefit import line_mse_gradient
from ..surfaces import elongated_bowl_grad
from ._core import Exercise, register


def elongated_bowl_step(theta, lr):
    r"""The reference of exercise ``"gd_step"``: one step of gradient descent on :math:`f(x, y) = x^2 + 10y^2`.

    .. math::
        \boldsymbol\theta_\text{new} = \boldsymbol\theta - \eta\,(2x,\ 20y)
    """
    return gradient_step(theta, elongated_bowl_grad(theta), lr)


def _step_inputs(rng):
    return rng.normal(scale=2.0, size=2), float(rng.uniform(0.001, 0.2))


def _hessian_inputs(rng):
    d = int(rng.integers(1, 5))
    Q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    eigenvalues = rng.uniform(0.1, 50.0, size=d)
    H = (Q * eigenvalues) @ Q.T
    return ((H + H.T) / 2,)  # exactly symmetric


def _batch_inputs(rng):
    m = int(rng.integers(1, 12))
    x = rng.uniform(-3.0, 3.0, size=m)
    y = 2.0 * x - 1.0 + rng.normal(scale=0.5, size=m)
    return x, y, float(rng.normal()), float(rng.normal())


register(Exercise(
    name="gd_step",
    signature="gd_step(theta, lr)",
    reference=elongated_bowl_step,
    make_inputs=_step_inputs,
    fixed_inputs=((np.array([1.0, 1.0]), 0.1), (np.array([-2.5, 1.0]), 0.08), (np.array([0.0, 0.0]), 0.05)),
))

register(Exercise(
    name="max_stable_lr",
    signature="max_stable_lr(H)",
    reference=max_stable_lr,
    make_inputs=_hessian_inputs,
    fixed_inputs=((np.array([[2.0, 0.0], [0.0, 20.0]]),), (np.array([[3.0, 1.0], [1.0, 3.0]]),),
                  (np.array([[4.0]]),)),
))

register(Exercise(
    name="minibatch_gradient",
    signature="minibatch_gradient(x, y, w, b)",
    reference=line_mse_gradient,
    make_inputs=_batch_inputs,
    fixed_inputs=((np.array([1.0, 2.0]), np.array([1.0, 3.0]), 0.0, 0.0),
                  (np.array([0.5]), np.array([2.0]), 1.0, -1.0)),
))
