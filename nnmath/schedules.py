r"""Learning-rate schedules (chapter 7): the learning rate :math:`\eta_t` of step (or epoch) :math:`t = 1, 2, \dots`.

A schedule multiplies a base learning rate :math:`\eta` by a factor that changes over training: large steps
early, while the loss falls fast, small steps late, so that the noise of the mini-batches averages out near
a minimum. To use one with an optimizer of :mod:`nnmath.optim`, set ``opt.lr`` before each step or epoch,
for example with :class:`nnmath.train.LearningRateSchedule`.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_int, as_scalar

__all__ = ["cosine"]


def cosine(t, lr, total, lr_min=0.0):
    r"""Cosine decay (Loshchilov & Hutter, 2017): half a cosine wave from :math:`\eta` down to :math:`\eta_\min`.

    .. math::
        \eta_t = \eta_\min + \tfrac12(\eta - \eta_\min)\Bigl(1 + \cos\frac{\pi (t - 1)}{T}\Bigr),
        \qquad t = 1, \dots, T

    The first step uses :math:`\eta`; the last is just above :math:`\eta_\min`, so no step is wasted at exactly
    :math:`\eta_\min` (which may be 0). Steps beyond :math:`T` keep :math:`\eta_\min`.

    Parameters
    ----------
    t : int or array_like of int
        Step numbers, from 1.
    lr : float
        :math:`\eta > 0`.
    total : int
        :math:`T`, the number of steps of the decay.
    lr_min : float, default 0
        :math:`0 \le \eta_\min \le \eta`.

    Returns
    -------
    float, or ndarray of the shape of ``t``
    """
    steps = np.asarray(t)
    if isinstance(t, bool) or steps.dtype.kind not in "iu":
        raise TypeError(f"t must hold integer step numbers (1, 2, ...); got {t!r}")
    if steps.size and steps.min() < 1:
        raise ValueError(f"step numbers start at 1; got {int(steps.min())}")
    lr = as_scalar(lr, "lr", positive=True)
    total = as_int(total, "total", minimum=1)
    lr_min = as_scalar(lr_min, "lr_min", nonnegative=True)
    if lr_min > lr:
        raise ValueError(f"lr_min must not exceed lr (lr_min: {lr_min}, lr: {lr})")
    phase = np.minimum(steps - 1, total) / total
    eta = lr_min + 0.5 * (lr - lr_min) * (1.0 + np.cos(np.pi * phase))
    return float(eta) if steps.ndim == 0 else eta
