r"""Noise models behind the regression losses (chapter 4): negative log-likelihoods per sample.

A loss is a negative log-likelihood in disguise. If each target is the prediction plus noise,
:math:`y_i = \hat y_i + \varepsilon_i` with independent :math:`\varepsilon_i`, then the mean negative
log-likelihood of the data is

* :func:`gaussian_nll` for :math:`\varepsilon_i \sim \mathcal N(0, \sigma^2)`: a constant plus
  :math:`\operatorname{MSE} / 2\sigma^2` (see :func:`nnmath.losses.mse`);
* :func:`laplace_nll` for Laplace noise of scale :math:`s`: a constant plus :math:`\operatorname{MAE} / s`
  (see :func:`nnmath.losses.mae`).

Both compute the density's logarithm directly, term by term, so that comparing them with the losses is a
real check of the derivation, not the same formula twice. The classification losses need no module of
their own: :func:`nnmath.losses.binary_cross_entropy` *is* the Bernoulli negative log-likelihood and
:func:`nnmath.losses.categorical_cross_entropy` the categorical one.
"""

from __future__ import annotations

import math

import numpy as np

from ._checks import as_pair, as_scalar

__all__ = ["gaussian_nll", "laplace_nll"]


def _pair(y_hat, y):
    return as_pair(y_hat, y, "y_hat", "y", min_ndim=1, finite=True)


def gaussian_nll(y_hat, y, sigma=1.0):
    r"""Mean negative log-likelihood of targets under Gaussian noise around the predictions.

    Each target is modelled as :math:`y_i \sim \mathcal N(\hat y_i, \sigma^2)`, with density
    :math:`p(y_i) = (2\pi\sigma^2)^{-1/2} \exp\bigl(-(y_i - \hat y_i)^2 / 2\sigma^2\bigr)`. Over the
    :math:`N` entries,

    .. math::
        -\frac{1}{N} \sum_{i} \log p(y_i)
        = \frac12 \log(2\pi\sigma^2) + \frac{1}{2\sigma^2} \cdot \frac{1}{N} \sum_i (\hat y_i - y_i)^2 ,

    a constant plus :math:`\operatorname{MSE}/2\sigma^2`: for a fixed :math:`\sigma`, the predictions that
    maximise the likelihood are the ones that minimise the mean squared error.

    Parameters
    ----------
    y_hat, y : array_like, same shape (n,) or (n, k)
        Predictions (the means of the Gaussians) and targets.
    sigma : float, default 1.0
        The noise's standard deviation, positive.

    Returns
    -------
    float
    """
    y_hat, y = _pair(y_hat, y)
    sigma = as_scalar(sigma, "sigma", positive=True)
    log_density = -0.5 * math.log(2.0 * math.pi * sigma**2) - (y - y_hat) ** 2 / (2.0 * sigma**2)
    return float(-np.mean(log_density))


def laplace_nll(y_hat, y, scale=1.0):
    r"""Mean negative log-likelihood of targets under Laplace (double-exponential) noise.

    Each target is modelled with the density :math:`p(y_i) = \frac{1}{2s} \exp\bigl(-|y_i - \hat y_i| / s\bigr)`,
    whose tails are heavier than a Gaussian's: large errors are less surprising. Over the :math:`N` entries,

    .. math::
        -\frac{1}{N} \sum_{i} \log p(y_i)
        = \log(2s) + \frac{1}{s} \cdot \frac{1}{N} \sum_i \lvert \hat y_i - y_i \rvert ,

    a constant plus :math:`\operatorname{MAE}/s`.

    Parameters
    ----------
    y_hat, y : array_like, same shape (n,) or (n, k)
    scale : float, default 1.0
        :math:`s`, positive.

    Returns
    -------
    float
    """
    y_hat, y = _pair(y_hat, y)
    s = as_scalar(scale, "scale", positive=True)
    log_density = -math.log(2.0 * s) - np.abs(y - y_hat) / s
    return float(-np.mean(log_density))
