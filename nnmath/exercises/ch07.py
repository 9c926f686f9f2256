"""Exercises of chapter 7 (optimizers)."""

from __future__ import annotations

import math

import numpy as np

from ..moments import bias_correction
from ..momentum import gradient_sum_step, mode_rate
from ..schedules import warmup_cosine
from ._core import Exercise, register


def momentum_step(w, v, g, lr, beta):
    r"""The reference of exercise ``"momentum_step"``: one heavy-ball step in the velocity convention.

    .. math::
        \mathbf v_t = \beta\,\mathbf v_{t-1} - \eta\,\mathbf g_t, \qquad \mathbf w_t = \mathbf w_{t-1} + \mathbf v_t

    Computed through the other convention, :func:`nnmath.momentum.gradient_sum_step`, with the buffer
    :math:`\boldsymbol\nu = -\mathbf v/\eta` (the two are the same method at a constant :math:`\eta`); the tests
    hold it to :class:`nnmath.optim.Momentum`.
    """
    w_new, buffer_new = gradient_sum_step(w, -np.asarray(v, dtype=float) / lr, g, lr, beta)
    return w_new, -lr * buffer_new


def heavy_ball_rate(lr, beta, mu):
    r"""The reference of exercise ``"heavy_ball_rate"``: the larger root modulus of :math:`r^2 - (1 + \beta - \eta\mu)r
    + \beta = 0` (:func:`nnmath.momentum.mode_rate`)."""
    return mode_rate(lr, beta, mu)


def adam_step(w, m, s, g, t, lr, beta1, beta2, eps):
    r"""The reference of exercise ``"adam_step"``: step :math:`t` of Adam; returns the new
    :math:`(\mathbf w, \mathbf m, \mathbf s)`.

    .. math::
        \mathbf m_t = \beta_1\mathbf m_{t-1} + (1 - \beta_1)\mathbf g_t, \quad
        \mathbf s_t = \beta_2\mathbf s_{t-1} + (1 - \beta_2)\mathbf g_t^2, \quad
        \mathbf w_t = \mathbf w_{t-1}
            - \eta\,\frac{\mathbf m_t/(1 - \beta_1^t)}{\sqrt{\mathbf s_t/(1 - \beta_2^t)} + \epsilon}

    The tests hold it to :class:`nnmath.optim.Adam`.
    """
    m = beta1 * np.asarray(m, dtype=float) + (1.0 - beta1) * np.asarray(g, dtype=float)
    s = beta2 * np.asarray(s, dtype=float) + (1.0 - beta2) * np.asarray(g, dtype=float) ** 2
    m_hat = m / bias_correction(t, beta1)
    s_hat = s / bias_correction(t, beta2)
    return np.asarray(w, dtype=float) - lr * m_hat / (np.sqrt(s_hat) + eps), m, s


def warmup_cosine_lr(t, lr, warmup, total):
    r"""The reference of exercise ``"warmup_cosine_lr"``: :func:`nnmath.schedules.warmup_cosine` with
    :math:`\eta_\min = 0`, for one step number ``t``."""
    return float(warmup_cosine(t, lr, warmup, total))


def _momentum_inputs(rng):
    shape = (int(rng.integers(1, 5)),)
    return (rng.normal(size=shape), rng.normal(scale=0.1, size=shape), rng.normal(size=shape),
            float(10 ** rng.uniform(-3, 0)), float(rng.choice([0.0, 0.5, 0.9, 0.99])))


def _rate_inputs(rng):
    return float(10 ** rng.uniform(-2, 0.7)), float(rng.uniform(0.0, 0.99)), float(10 ** rng.uniform(-3, 0))


def _adam_inputs(rng):
    shape = (int(rng.integers(1, 5)),)
    t = int(rng.integers(1, 50))
    return (rng.normal(size=shape), rng.normal(scale=0.1, size=shape), rng.uniform(0.0, 0.1, size=shape),
            rng.normal(size=shape), t, float(10 ** rng.uniform(-4, -1)), 0.9, 0.999, 1e-8)


def _schedule_inputs(rng):
    total = int(rng.integers(5, 200))
    warmup = int(rng.integers(1, total))
    return int(rng.integers(1, total + 1)), float(10 ** rng.uniform(-3, 0)), warmup, total


register(Exercise(
    name="momentum_step",
    signature="momentum_step(w, v, g, lr, beta)",
    reference=momentum_step,
    make_inputs=_momentum_inputs,
    fixed_inputs=((np.array([1.0]), np.array([0.0]), np.array([2.0]), 0.1, 0.9),
                  (np.array([1.0, -1.0]), np.array([0.5, 0.5]), np.array([0.0, 0.0]), 0.1, 0.9),
                  (np.array([2.0]), np.array([0.3]), np.array([1.0]), 0.01, 0.0)),
))

register(Exercise(
    name="heavy_ball_rate",
    signature="heavy_ball_rate(lr, beta, mu)",
    reference=heavy_ball_rate,
    make_inputs=_rate_inputs,
    fixed_inputs=((0.5, 0.0, 1.0), (1.0, 0.81, 1.0), (3.0, 0.25, 1.0), (2.5, 0.0, 1.0),
                  (4.0 / (1 + math.sqrt(0.01)) ** 2, (9 / 11) ** 2, 0.01)),
))

register(Exercise(
    name="adam_step",
    signature="adam_step(w, m, s, g, t, lr, beta1, beta2, eps)",
    reference=adam_step,
    make_inputs=_adam_inputs,
    fixed_inputs=((np.array([1.0]), np.array([0.0]), np.array([0.0]), np.array([0.5]), 1, 0.1, 0.9, 0.999, 1e-8),
                  (np.array([1.0, 2.0]), np.array([0.1, -0.2]), np.array([0.01, 0.04]), np.array([0.3, -0.1]), 5,
                   0.01, 0.9, 0.999, 1e-8)),
))

register(Exercise(
    name="warmup_cosine_lr",
    signature="warmup_cosine_lr(t, lr, warmup, total)",
    reference=warmup_cosine_lr,
    make_inputs=_schedule_inputs,
    fixed_inputs=((1, 0.1, 10, 100), (10, 0.1, 10, 100), (11, 0.1, 10, 100), (100, 0.1, 10, 100),
                  (56, 0.1, 10, 100)),
))
