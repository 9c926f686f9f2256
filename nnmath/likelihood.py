r"""Noise models behind the regression losses (chapter 4): negative log-likelihoods per sample.

A loss is a negative log-likelihood in disguise. If each target is the prediction plus noise,
:math:`y_i = \hat y_i + \varepsilon_i` with independent :math:`\varepsilon_i`, then the mean negative
log-likelihood of the data is

* :func:`gaussian_nll` for :math:`\varepsilon_i \sim \mathcal N(0, \zeta^2)`, Gaussian noise of standard
  deviation :math:`\zeta`: a constant plus :math:`\operatorname{MSE} / 2\zeta^2` (see :func:`nnmath.losses.mse`);
* :func:`laplace_nll` for Laplace noise of scale :math:`\zeta`: a constant plus :math:`\operatorname{MAE} / \zeta`
  (see :func:`nnmath.losses.mae`).

Both compute the density's logarithm directly, term by term, so that comparing them with the losses is a
real check of the derivation, not the same formula twice. (The book writes :math:`\zeta` for the noise's scale in
both: :math:`\sigma` is the sigmoid only.) The classification losses need no module of their own:
:func:`nnmath.losses.binary_cross_entropy` *is* the Bernoulli negative log-likelihood and
:func:`nnmath.losses.categorical_cross_entropy` the categorical one.
"""

from __future__ import annotations

import math

import numpy as np

from ._checks import as_array, as_pair, as_scalar

__all__ = ["gaussian_density", "laplace_density", "gaussian_nll", "laplace_nll"]


def _pair(y_hat, y):
    return as_pair(y_hat, y, "y_hat", "y", min_ndim=1, finite=True)


def gaussian_density(y, mean=0.0, scale=1.0):
    r"""The density of a Gaussian (normal) distribution :math:`\mathcal N(\text{mean}, \zeta^2)`, entry by entry.

    .. math::
        p(y) = \frac{1}{\sqrt{2\pi \zeta^2}} \exp\Bigl(-\frac{(y - \text{mean})^2}{2\zeta^2}\Bigr)

    A density, not a probability: the probability of an interval is the area under :math:`p` over it, the total
    area is 1, and the values themselves can exceed 1 (:math:`1/\sqrt{2\pi \zeta^2}` at the mean).

    Parameters
    ----------
    y : array_like, any shape
    mean : float or array_like broadcasting with ``y``, default 0.0
    scale : float, default 1.0
        :math:`\zeta`, the standard deviation, positive.

    Returns
    -------
    ndarray, the broadcast shape of ``y`` and ``mean``
    """
    y = as_array(y, "y", finite=True)
    mean = as_array(mean, "mean", finite=True)
    zeta = as_scalar(scale, "scale", positive=True)
    return np.exp(-((y - mean) ** 2) / (2.0 * zeta * zeta)) / math.sqrt(2.0 * math.pi * zeta * zeta)


def laplace_density(y, mean=0.0, scale=1.0):
    r"""The density of a Laplace (double-exponential) distribution of scale :math:`\zeta`, entry by entry.

    .. math::
        p(y) = \frac{1}{2\zeta} \exp\Bigl(-\frac{\lvert y - \text{mean} \rvert}{\zeta}\Bigr)

    Its variance is :math:`2\zeta^2`; its tails fall like :math:`e^{-|y|/\zeta}`, far more slowly than a Gaussian's.

    Parameters
    ----------
    y : array_like, any shape
    mean : float or array_like broadcasting with ``y``, default 0.0
    scale : float, default 1.0
        :math:`\zeta`, positive.

    Returns
    -------
    ndarray, the broadcast shape of ``y`` and ``mean``
    """
    y = as_array(y, "y", finite=True)
    mean = as_array(mean, "mean", finite=True)
    zeta = as_scalar(scale, "scale", positive=True)
    return np.exp(-np.abs(y - mean) / zeta) / (2.0 * zeta)


def gaussian_nll(y_hat, y, scale=1.0):
    r"""Mean negative log-likelihood of targets under Gaussian noise around the predictions.

    Each target is modelled as :math:`y_i \sim \mathcal N(\hat y_i, \zeta^2)`, with density
    :math:`p(y_i) = (2\pi \zeta^2)^{-1/2} \exp\bigl(-(y_i - \hat y_i)^2 / 2\zeta^2\bigr)`. Over the
    :math:`N` entries,

    .. math::
        -\frac{1}{N} \sum_{i} \log p(y_i)
        = \frac12 \log(2\pi \zeta^2) + \frac{1}{2\zeta^2} \cdot \frac{1}{N} \sum_i (\hat y_i - y_i)^2 ,

    a constant plus :math:`\operatorname{MSE}/2\zeta^2`: for a fixed :math:`\zeta`, the predictions that maximise the
    likelihood are the ones that minimise the mean squared error. As a function of the variance :math:`\zeta^2` it is
    smallest at :math:`\zeta^2 = \operatorname{MSE}`. With ``y_hat = 0``, ``y = w`` and ``scale`` :math:`= \tau`
    it is the negative log-density of a Gaussian prior :math:`\mathcal N(0, \tau^2)` on weights :math:`\mathbf w`,
    per weight.

    Book: eq-nll, eq-gaussian-nll.

    Parameters
    ----------
    y_hat, y : array_like, same shape (n,) or (n, k)
        Predictions (the means of the Gaussians) and targets.
    scale : float, default 1.0
        :math:`\zeta`, the noise's standard deviation, positive.

    Returns
    -------
    float
    """
    y_hat, y = _pair(y_hat, y)
    zeta = as_scalar(scale, "scale", positive=True)
    log_density = -0.5 * math.log(2.0 * math.pi * zeta * zeta) - (y - y_hat) ** 2 / (2.0 * zeta * zeta)
    return float(-np.mean(log_density))


def laplace_nll(y_hat, y, scale=1.0):
    r"""Mean negative log-likelihood of targets under Laplace (double-exponential) noise.

    Each target is modelled with the density
    :math:`p(y_i) = \frac{1}{2\zeta} \exp\bigl(-|y_i - \hat y_i| / \zeta\bigr)`, whose tails are heavier
    than a Gaussian's: large errors are less surprising. Over the :math:`N` entries,

    .. math::
        -\frac{1}{N} \sum_{i} \log p(y_i)
        = \log(2\zeta) + \frac{1}{\zeta} \cdot \frac{1}{N} \sum_i \lvert \hat y_i - y_i \rvert ,

    a constant plus :math:`\operatorname{MAE}/\zeta`.

    Book: eq-nll, eq-laplace-nll.

    Parameters
    ----------
    y_hat, y : array_like, same shape (n,) or (n, k)
    scale : float, default 1.0
        :math:`\zeta`, positive.

    Returns
    -------
    float
    """
    y_hat, y = _pair(y_hat, y)
    zeta = as_scalar(scale, "scale", positive=True)
    log_density = -math.log(2.0 * zeta) - np.abs(y - y_hat) / zeta
    return float(-np.mean(log_density))
