r"""Learning-rate schedules (chapter 7): the learning rate :math:`\eta_t` of step :math:`t = 1, 2, \dots, T`.

A schedule multiplies a base learning rate :math:`\eta` by a factor that changes over training. Each function
takes the step number :math:`t` (an integer from 1, or an array of them) and returns :math:`\eta_t` of the same
shape:

* :func:`constant`: :math:`\eta_t = \eta`;
* :func:`step_decay`: :math:`\eta_t = \eta\,\gamma^{\lfloor (t - 1)/\tau \rfloor}`, a drop by :math:`\gamma` every
  :math:`\tau` steps;
* :func:`cosine`: half a cosine from :math:`\eta` down towards :math:`\eta_\min` over :math:`T` steps
  (Loshchilov & Hutter, 2017);
* :func:`linear_warmup`: a ramp :math:`\eta\,t/t_\mathrm{w}` over the first :math:`t_\mathrm{w}` steps, then
  :math:`\eta` (Goyal et al., 2017);
* :func:`warmup_cosine`: the ramp, then the cosine over the remaining steps.

To use one with an optimizer of :mod:`nnmath.optim`, set ``opt.lr`` before each step:
``opt.lr = cosine(t, lr=0.1, total=T)``, or once per epoch with :class:`nnmath.train.LearningRateSchedule`.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._checks import as_int, as_scalar

__all__ = ["constant", "step_decay", "cosine", "linear_warmup", "warmup_cosine", "SCHEDULES"]


def _steps(t, name="t"):
    """Step numbers t >= 1 as an int array (a scalar stays 0-D), or a clear error."""
    if isinstance(t, bool):
        raise TypeError(f"{name} must be a step number (an integer from 1), not a bool")
    if isinstance(t, numbers.Integral):
        arr = np.asarray(int(t))
    else:
        arr = np.asarray(t)
        if arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
            arr = arr.astype(np.int64)
        if arr.dtype.kind not in "iu":
            raise TypeError(f"{name} must hold integer step numbers (1, 2, ...); got dtype {arr.dtype}")
    if arr.size and arr.min() < 1:
        raise ValueError(f"step numbers start at 1; got {int(arr.min())}")
    return arr


def _out(values, t):
    return float(values) if np.ndim(t) == 0 else values


def constant(t, lr):
    r"""No schedule: the same learning rate at every step.

    .. math::
        \eta_t = \eta

    Book: eq-schedules.

    Parameters
    ----------
    t : int or array_like of int
        Step numbers, from 1.
    lr : float
        :math:`\eta > 0`.

    Returns
    -------
    float or ndarray, the shape of ``t``
    """
    t = _steps(t)
    lr = as_scalar(lr, "lr", positive=True)
    return _out(np.full(t.shape, lr), t)


def step_decay(t, lr, every, drop=0.1):
    r"""Step decay: the learning rate falls by the factor :math:`\gamma` every :math:`\tau` steps.

    .. math::
        \eta_t = \eta\,\gamma^{\lfloor (t - 1)/\tau \rfloor}

    Steps :math:`1..\tau` use :math:`\eta`, steps :math:`\tau+1..2\tau` use :math:`\gamma\eta`, and so on (the
    schedule of the deep networks of the early 2010s, usually with :math:`\gamma = 0.1` every few tens of epochs).

    Book: eq-schedules.

    Parameters
    ----------
    t : int or array_like of int
        Step numbers, from 1.
    lr : float
        :math:`\eta > 0`.
    every : int
        :math:`\tau \ge 1`.
    drop : float, default 0.1
        :math:`\gamma \in (0, 1]`.
    """
    t = _steps(t)
    lr = as_scalar(lr, "lr", positive=True)
    every = as_int(every, "every", minimum=1)
    drop = as_scalar(drop, "drop", positive=True)
    if drop > 1:
        raise ValueError(f"drop must lie in (0, 1] (a factor the learning rate is multiplied by); got {drop}")
    return _out(lr * drop ** ((t - 1) // every), t)


def cosine(t, lr, total, lr_min=0.0):
    r"""Cosine decay (Loshchilov & Hutter, 2017): half a cosine wave from :math:`\eta` down to :math:`\eta_\min`.

    .. math::
        \eta_t = \eta_\min + \tfrac12(\eta - \eta_\min)\Bigl(1 + \cos\frac{\pi (t - 1)}{T}\Bigr),
        \qquad t = 1, \dots, T

    The first step uses :math:`\eta`; the last is just above :math:`\eta_\min` (no step is wasted at exactly
    :math:`\eta_\min`, which may be 0). Steps beyond :math:`T` keep :math:`\eta_\min`.

    Book: eq-schedules.

    Parameters
    ----------
    t : int or array_like of int
    lr : float
        :math:`\eta > 0`.
    total : int
        :math:`T`, the number of steps of the decay.
    lr_min : float, default 0
        :math:`0 \le \eta_\min \le \eta`.
    """
    t = _steps(t)
    lr = as_scalar(lr, "lr", positive=True)
    total = as_int(total, "total", minimum=1)
    lr_min = as_scalar(lr_min, "lr_min", nonnegative=True)
    if lr_min > lr:
        raise ValueError(f"lr_min must not exceed lr (lr_min: {lr_min}, lr: {lr})")
    phase = np.minimum(t - 1, total) / total
    return _out(lr_min + 0.5 * (lr - lr_min) * (1.0 + np.cos(np.pi * phase)), t)


def linear_warmup(t, lr, warmup):
    r"""Linear warm-up (Goyal et al., 2017): a ramp up to :math:`\eta` over the first :math:`t_\mathrm{w}` steps.

    .. math::
        \eta_t = \eta\,\min\Bigl(1, \frac{t}{t_\mathrm{w}}\Bigr)

    Small first steps while the optimizer's statistics and the network's scale settle (Adam's second moment
    starts at zero; large learning rates can throw a fresh network far off in its first steps).

    Book: eq-schedules.

    Parameters
    ----------
    t : int or array_like of int
    lr : float
    warmup : int
        :math:`t_\mathrm{w} \ge 1`.
    """
    t = _steps(t)
    lr = as_scalar(lr, "lr", positive=True)
    warmup = as_int(warmup, "warmup", minimum=1)
    return _out(lr * np.minimum(1.0, t / warmup), t)


def warmup_cosine(t, lr, warmup, total, lr_min=0.0):
    r"""Linear warm-up for :math:`t_\mathrm{w}` steps, then cosine decay over the remaining :math:`T - t_\mathrm{w}`.

    .. math::
        \eta_t = \begin{cases}
            \eta\, t / t_\mathrm{w} & t \le t_\mathrm{w} \\
            \eta_\min + \tfrac12(\eta - \eta_\min)
                \Bigl(1 + \cos\dfrac{\pi (t - t_\mathrm{w} - 1)}{T - t_\mathrm{w}}\Bigr) & t > t_\mathrm{w}
        \end{cases}

    Book: eq-schedules.

    Parameters
    ----------
    t : int or array_like of int
    lr : float
    warmup : int
        :math:`t_\mathrm{w} \ge 1`, less than ``total``.
    total : int
        :math:`T`, the whole schedule's length.
    lr_min : float, default 0
    """
    t = _steps(t)
    warmup = as_int(warmup, "warmup", minimum=1)
    total = as_int(total, "total", minimum=1)
    if warmup >= total:
        raise ValueError(f"warmup must be shorter than total (warmup: {warmup}, total: {total})")
    ramp = linear_warmup(np.minimum(t, warmup), lr, warmup)
    after = cosine(np.maximum(t - warmup, 1), lr, total - warmup, lr_min)
    return _out(np.where(t <= warmup, ramp, after), t)


#: The schedules by name, each a function ``(t, lr, **settings) -> eta_t``.
SCHEDULES = {f.__name__: f for f in (constant, step_decay, cosine, linear_warmup, warmup_cosine)}
