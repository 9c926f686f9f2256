r"""Running averages that start at zero, and their bias correction (chapter 7): the arithmetic inside Adam.

RMSprop and Adam keep exponential moving averages of the gradient and of its square,

.. math::
    m_t = \beta\, m_{t-1} + (1 - \beta)\, x_t, \qquad m_0 = 0
    \qquad\Longrightarrow\qquad m_t = (1 - \beta) \sum_{i=1}^{t} \beta^{t-i} x_i .

The weights :math:`(1 - \beta)\beta^{t-i}` add up to :math:`1 - \beta^t`, not 1, so for a sequence of constant
mean :math:`\mathbb E[m_t] = (1 - \beta^t)\,\mathbb E[x]`: the average starts far too small. Kingma & Ba's
bias correction divides by that sum, :math:`\hat m_t = m_t / (1 - \beta^t)`. :func:`ema` computes both
versions for a whole sequence (independently of :mod:`nnmath.optim`, so that the tests can hold the optimizers
to it), and :func:`adam_direction` puts them together into the direction of an Adam step, with the bias
correction switched on or off.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_array, as_scalar

__all__ = ["ema", "bias_correction", "adam_direction"]


def _decay(beta, name="beta"):
    return as_scalar(beta, name, unit_interval=True)


def bias_correction(t, beta):
    r"""The total weight :math:`1 - \beta^t` of a zero-started running average after :math:`t` steps.

    .. math::
        \sum_{i=1}^{t} (1 - \beta)\,\beta^{t-i} = 1 - \beta^t

    Parameters
    ----------
    t : int or array_like of int
        Step numbers, from 1.
    beta : float
        The decay :math:`0 \le \beta < 1`.
    """
    t = np.asarray(t)
    if t.dtype.kind not in "iu" or (t.size and t.min() < 1):
        raise ValueError("t must hold integer step numbers from 1")
    out = 1.0 - _decay(beta) ** t.astype(float)
    return float(out) if out.ndim == 0 else out


def ema(x, beta, corrected=False):
    r"""The exponential moving average of a sequence, started at zero, after every step.

    .. math::
        m_t = \beta\, m_{t-1} + (1 - \beta)\, x_t,\quad m_0 = 0; \qquad
        \hat m_t = \frac{m_t}{1 - \beta^t}\ \text{(with ``corrected``)}

    Parameters
    ----------
    x : array_like, shape (T, ...)
        The sequence, step along the first axis (scalars, or arrays of any shape).
    beta : float
        :math:`0 \le \beta < 1`.
    corrected : bool, default False
        Divide by :math:`1 - \beta^t`.

    Returns
    -------
    ndarray, shape (T, ...)
        :math:`m_1, \dots, m_T` (or :math:`\hat m_1, \dots, \hat m_T`).
    """
    x = as_array(x, "x", min_ndim=1, finite=True).astype(float)
    beta = _decay(beta)
    out = np.empty_like(x)
    m = np.zeros_like(x[0])
    for t in range(len(x)):
        m = beta * m + (1.0 - beta) * x[t]
        out[t] = m
    if corrected and len(x):
        weights = bias_correction(np.arange(1, len(x) + 1), beta)
        out /= np.reshape(weights, (-1,) + (1,) * (x.ndim - 1))
    return out


def adam_direction(grads, beta1=0.9, beta2=0.999, eps=1e-8, corrected=True):
    r"""What Adam multiplies by :math:`\eta` at every step of a gradient sequence: the step is :math:`-\eta` times it.

    .. math::
        \mathbf d_t = \frac{\hat{\mathbf m}_t}{\sqrt{\hat{\mathbf s}_t} + \epsilon}, \qquad
        \hat{\mathbf m}_t = \frac{\mathbf m_t}{1 - \beta_1^t},\quad
        \hat{\mathbf s}_t = \frac{\mathbf s_t}{1 - \beta_2^t}

    with :math:`\mathbf m` the running average of :math:`\mathbf g` and :math:`\mathbf s` that of :math:`\mathbf g^2`
    (Kingma & Ba write :math:`\mathbf v` for :math:`\mathbf s`). With ``corrected=False``, :math:`\mathbf m_t /
    (\sqrt{\mathbf s_t} + \epsilon)`: Adam without its bias correction. For a constant gradient the corrected
    direction is :math:`\mathbf g/(|\mathbf g| + \epsilon) \approx \operatorname{sign}(\mathbf g)` from the first
    step, and the uncorrected one is :math:`\frac{1 - \beta_1^t}{\sqrt{1 - \beta_2^t}}\operatorname{sign}(\mathbf g)`.

    Parameters
    ----------
    grads : array_like, shape (T, ...)
        The gradients :math:`\mathbf g_1, \dots, \mathbf g_T`.
    beta1, beta2, eps : float
        The paper's defaults.
    corrected : bool, default True

    Returns
    -------
    ndarray, shape (T, ...)
    """
    g = as_array(grads, "grads", min_ndim=1, finite=True).astype(float)
    eps = as_scalar(eps, "eps", positive=True)
    m = ema(g, beta1, corrected)
    s = ema(g * g, beta2, corrected)
    return m / (np.sqrt(s) + eps)
