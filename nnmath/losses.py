r"""Loss functions and their gradients (chapter 4), each beside its derivative.

A loss turns the network's output for a batch into one number to minimise. Every loss here is a
**mean over the batch**, never a sum: the value then does not grow with the batch size, so one learning
rate works for a batch of 1, of 64 or of the whole data set, and losses of different data sets compare.

* :func:`mse` (values, shape (n, k)): gradient :math:`\tfrac{2}{N}(\hat Y - Y)`, :math:`N = nk`
* :func:`mae` (values): gradient :math:`\tfrac{1}{N}\operatorname{sign}(\hat Y - Y)`
* :func:`huber` (values): gradient :math:`\tfrac{1}{N}\operatorname{clip}(\hat Y - Y, -\delta, \delta)`
* :func:`binary_cross_entropy` (probabilities): gradient :math:`\tfrac{1}{N}\,\tfrac{p - y}{p(1-p)}`
* :func:`binary_cross_entropy_with_logits` (logits): gradient :math:`\tfrac{1}{N}(\sigma(z) - y)`
* :func:`categorical_cross_entropy` (probabilities, shape (n, k)): gradient :math:`-\tfrac{1}{n}\,Y / P`
* :func:`softmax_cross_entropy` (logits, shape (n, k)): gradient :math:`\tfrac{1}{n}(P - Y)`

:func:`entropy` and :func:`kl_divergence` split the cross-entropy of distributions,
:math:`H(\mathbf y, \mathbf p) = H(\mathbf y) + \operatorname{KL}(\mathbf y \,\|\, \mathbf p)`.

The ``*_with_logits`` and ``softmax_*`` forms take the raw scores (logits) and fold the sigmoid or the
softmax into the loss: that is both stable for any finite input and gives the famously simple gradient
"prediction minus target". Networks in this package output logits and use those forms.

Class targets ``y`` may be integer labels, shape (n,), with values in :math:`0, \dots, k-1`, or one row
per sample of k probabilities (one-hot rows, shape (n, k)).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ._checks import as_array, as_labels, as_pair, as_scalar, lookup, same_shape
from .activations import log_softmax, sigmoid, softmax

__all__ = [
    "mse", "mse_prime",
    "mae", "mae_prime",
    "huber", "huber_prime",
    "binary_cross_entropy", "binary_cross_entropy_prime",
    "binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits_prime",
    "categorical_cross_entropy", "categorical_cross_entropy_prime",
    "softmax_cross_entropy", "softmax_cross_entropy_prime",
    "entropy", "kl_divergence",
    "class_targets",
    "Loss", "LOSSES", "get_loss",
]


# --- input checks -------------------------------------------------------------------------------

def _pair(y_hat, y, name_hat="y_hat"):
    """Both arrays as floats of one shape, ``y`` cast to the dtype of ``y_hat``."""
    y_hat, y = as_pair(y_hat, y, name_hat, "y", min_ndim=1, finite=True)
    return y_hat, y.astype(y_hat.dtype, copy=False)


def _binary_targets(y, like, name_hat):
    y_hat, y = _pair(like, y, name_hat)
    if y.size and (y.min() < 0 or y.max() > 1):
        raise ValueError(f"binary targets y must lie in [0, 1]; found values from {y.min()} to {y.max()} "
                         f"(y: {y.shape})")
    return y_hat, y


def class_targets(y, n: int, k: int, dtype=np.float64) -> np.ndarray:
    r"""Check class targets for a batch of n samples and k classes; return them as rows of probabilities.

    Parameters
    ----------
    y : array_like, shape (n,) of integer labels in :math:`0..k-1`, or shape (n, k) of probabilities
    n, k : int
        Batch size and number of classes.

    Returns
    -------
    Y : ndarray, shape (n, k)
        One-hot rows for labels; the rows themselves for probabilities.

    Raises
    ------
    ValueError
        If the shape does not match, a label is not an integer or lies outside :math:`0..k-1`, or a row
        of probabilities has negative entries or does not sum to 1.
    """
    y_arr = np.asarray(y)
    if y_arr.ndim == 1:
        return np.eye(k, dtype=dtype)[_labels(y_arr, n, k)]
    Y = as_array(y, "y", ndim=2, finite=True)
    if Y.shape != (n, k):
        raise ValueError(f"y must have one row of {k} class probabilities per sample: expected shape {(n, k)}, "
                         f"got {Y.shape}")
    if (Y < 0).any() or not np.allclose(Y.sum(axis=1), 1.0, atol=1e-6):
        raise ValueError("each row of y must be a probability distribution (entries >= 0, summing to 1)")
    return Y.astype(dtype, copy=False)


def _labels(y, n, k):
    """Integer labels of shape (n,), each in 0..k-1."""
    y = np.asarray(y)
    if y.shape != (n,):
        raise ValueError(f"y must hold one label per sample: expected shape {(n,)}, got {y.shape}")
    return as_labels(y, "y", n_classes=k)


def _logits_and_targets(Z, y, name):
    Z = as_array(Z, name, ndim=2, finite=True)
    n, k = Z.shape
    return Z, class_targets(y, n, k, dtype=Z.dtype)


#: How far a row of probabilities may sum from 1 (rounding of a softmax in float32 stays far below it).
_ROW_SUM_TOLERANCE = 1e-4


def _binary_probabilities(p, name):
    """Refuse predictions that are not probabilities: the usual mistake is passing logits."""
    if p.size and (p.min() < 0 or p.max() > 1):
        raise ValueError(f"{name} must be probabilities in [0, 1]; found values from {p.min():.4g} to {p.max():.4g} "
                         f"({name}: {p.shape}). Did you pass logits? Then use binary_cross_entropy_with_logits, "
                         "or apply sigmoid first")
    return p


def _class_probabilities(P, name):
    """Refuse rows that are not probability distributions: the usual mistake is passing logits."""
    sums = P.sum(axis=1)
    if P.size and (P.min() < 0 or P.max() > 1 or np.abs(sums - 1).max() > _ROW_SUM_TOLERANCE):
        raise ValueError(f"each row of {name} must be a probability distribution (entries in [0, 1], summing to 1); "
                         f"found entries from {P.min():.4g} to {P.max():.4g} and row sums from {sums.min():.4g} to "
                         f"{sums.max():.4g} ({name}: {P.shape}). Did you pass logits? Then use softmax_cross_entropy, "
                         "or apply softmax first")
    return P


def _weighted_log_sum(Y, log_P):
    r""":math:`\sum_{ic} Y_{ic} \log P_{ic}` over the entries where :math:`Y_{ic} \neq 0` only: a class with no
    weight contributes nothing even where its log-probability is :math:`-\infty` (no 0 · (−∞) = NaN)."""
    products = np.zeros_like(log_P)
    np.multiply(Y, log_P, out=products, where=Y != 0)
    return float(np.sum(products))


# --- mean squared error -------------------------------------------------------------------------

def mse(y_hat, y):
    r"""Mean squared error: the mean of the squared residuals over all :math:`N` entries.

    .. math::
        L = \frac{1}{N} \sum_{i} (\hat y_i - y_i)^2, \qquad N = n \cdot k

    The mean, not the sum: halving the batch must not halve the loss (see the module notes). For one
    output per sample (:math:`k = 1`) this is the mean over the samples.

    Book: eq-mse.

    Parameters
    ----------
    y_hat : array_like, shape (n,) or (n, k)
        Predictions.
    y : array_like, same shape
        Targets.

    Returns
    -------
    float
    """
    y_hat, y = _pair(y_hat, y)
    r = y_hat - y
    return float(np.mean(r * r))


def mse_prime(y_hat, y):
    r"""Gradient of :func:`mse` with respect to the predictions.

    .. math::
        \frac{\partial L}{\partial \hat y_i} = \frac{2}{N}\,(\hat y_i - y_i)

    Book: eq-mse.

    Returns
    -------
    ndarray, shape of ``y_hat``
    """
    y_hat, y = _pair(y_hat, y)
    return (2.0 / y_hat.size) * (y_hat - y)


# --- mean absolute error ------------------------------------------------------------------------

def mae(y_hat, y):
    r"""Mean absolute error: less swayed by outliers than MSE, since a residual counts once, not squared.

    .. math::
        L = \frac{1}{N} \sum_{i} \lvert \hat y_i - y_i \rvert

    Book: eq-mae.

    Parameters
    ----------
    y_hat, y : array_like, shape (n,) or (n, k)

    Returns
    -------
    float
    """
    y_hat, y = _pair(y_hat, y)
    return float(np.mean(np.abs(y_hat - y)))


def mae_prime(y_hat, y):
    r"""(Sub)gradient of :func:`mae`; at a zero residual we take 0, one valid subgradient.

    .. math::
        \frac{\partial L}{\partial \hat y_i} = \frac{1}{N}\,\operatorname{sign}(\hat y_i - y_i)

    Book: eq-mae.
    """
    y_hat, y = _pair(y_hat, y)
    return np.sign(y_hat - y) / y_hat.size


# --- Huber loss ---------------------------------------------------------------------------------

def _delta(delta):
    return as_scalar(delta, "delta (the Huber threshold)", positive=True)


def huber(y_hat, y, delta=1.0):
    r"""Huber loss: squared error for small residuals, absolute error (shifted to meet it) for large ones.

    .. math::
        L = \frac{1}{N} \sum_i \begin{cases} \tfrac12 r_i^2 & \lvert r_i \rvert \le \delta \\
        \delta\bigl(\lvert r_i \rvert - \tfrac12\delta\bigr) & \lvert r_i \rvert > \delta \end{cases}, \qquad
        r_i = \hat y_i - y_i

    The two pieces meet at :math:`\lvert r \rvert = \delta` with the same value :math:`\tfrac12\delta^2` and
    the same slope :math:`\delta`, so the loss is differentiable everywhere (Huber, 1964). Near the minimum it
    behaves like half the squared error, far from it like :math:`\delta` times the absolute error.

    Book: eq-huber.

    Parameters
    ----------
    y_hat, y : array_like, shape (n,) or (n, k)
    delta : float, > 0, default 1.0
        :math:`\delta`, the residual size at which the square turns into a straight line.

    Returns
    -------
    float
    """
    y_hat, y = _pair(y_hat, y)
    delta = _delta(delta)
    a = np.abs(y_hat - y)
    return float(np.mean(np.where(a <= delta, 0.5 * a * a, delta * (a - 0.5 * delta))))


def huber_prime(y_hat, y, delta=1.0):
    r"""Gradient of :func:`huber`: the residual, clipped to :math:`[-\delta, \delta]`.

    .. math::
        \frac{\partial L}{\partial \hat y_i} = \frac{1}{N}\,\operatorname{clip}(\hat y_i - y_i, -\delta, \delta)

    Book: eq-huber.

    Returns
    -------
    ndarray, shape of ``y_hat``
    """
    y_hat, y = _pair(y_hat, y)
    delta = _delta(delta)
    return np.clip(y_hat - y, -delta, delta) / y_hat.size


# --- binary cross-entropy -----------------------------------------------------------------------

def _clip_probability(p):
    # log(0) = -inf: keep p inside [eps, 1 - eps], eps the machine epsilon of p's dtype.
    eps = float(np.finfo(p.dtype).eps)
    return np.clip(p, eps, 1.0 - eps)


def binary_cross_entropy(p, y):
    r"""Binary cross-entropy of predicted probabilities: the negative log-likelihood of Bernoulli targets.

    .. math::
        L = -\frac{1}{N} \sum_{i} \bigl[\, y_i \log p_i + (1 - y_i) \log(1 - p_i) \,\bigr]

    The mean runs over all :math:`N` entries: each entry is its own two-outcome distribution (one coin per
    output), so a batch of shape (n, k) holds :math:`N = nk` of them.

    Book: eq-bce.

    Probabilities are clipped to :math:`[\epsilon_\text{mach}, 1-\epsilon_\text{mach}]` (the machine epsilon),
    so a confident wrong answer costs a large but finite loss instead of :math:`\log 0`. When the network
    produces logits, prefer :func:`binary_cross_entropy_with_logits`, which needs no clipping; values outside
    :math:`[0, 1]` (logits passed by mistake) raise a ValueError that says so.

    Parameters
    ----------
    p : array_like, shape (n,) or (n, k)
        Predicted probabilities :math:`p_i = P(y_i = 1)`, in :math:`[0, 1]`.
    y : array_like, same shape
        Targets in :math:`[0, 1]` (usually 0 or 1).

    Returns
    -------
    float
    """
    p, y = _binary_targets(y, p, "p")
    p = _clip_probability(_binary_probabilities(p, "p"))
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log1p(-p)))


def binary_cross_entropy_prime(p, y):
    r"""Gradient of :func:`binary_cross_entropy` with respect to the probabilities.

    .. math::
        \frac{\partial L}{\partial p_i} = \frac{1}{N}\left(-\frac{y_i}{p_i} + \frac{1 - y_i}{1 - p_i}\right)
        = \frac{1}{N}\,\frac{p_i - y_i}{p_i\,(1 - p_i)}

    Book: eq-bce.

    Evaluated at the clipped :math:`p`, like the loss, so it stays finite.
    """
    p, y = _binary_targets(y, p, "p")
    p = _clip_probability(_binary_probabilities(p, "p"))
    return (p - y) / (p * (1.0 - p)) / p.size


def binary_cross_entropy_with_logits(z, y):
    r"""Binary cross-entropy computed from logits :math:`z` (with :math:`p = \sigma(z)`), stable for any finite z.

    Substituting :math:`p = \sigma(z)` and simplifying gives a form with no overflow and no :math:`\log 0`:

    .. math::
        L = \frac{1}{N} \sum_i \bigl[\, \max(z_i, 0) - z_i\, y_i + \log\bigl(1 + e^{-\lvert z_i \rvert}\bigr) \,\bigr]

    Book: eq-bce-logits.

    Parameters
    ----------
    z : array_like, shape (n,) or (n, k)
        Logits, any real numbers.
    y : array_like, same shape
        Targets in :math:`[0, 1]`.

    Returns
    -------
    float
    """
    z, y = _binary_targets(y, z, "z")
    return float(np.mean(_bce_logits_terms(z, y)))


def _bce_logits_terms(z, y):
    # e^{-|z|} <= 1 never overflows, and log1p keeps precision when it is tiny.
    return np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))


def binary_cross_entropy_with_logits_prime(z, y):
    r"""Gradient of :func:`binary_cross_entropy_with_logits`: prediction minus target.

    .. math::
        \frac{\partial L}{\partial z_i} = \frac{1}{N}\,\bigl(\sigma(z_i) - y_i\bigr)

    The :math:`p(1-p)` of the sigmoid's derivative cancels the one in the denominator of
    :func:`binary_cross_entropy_prime`: the gradient never vanishes while the prediction is wrong.

    Book: eq-ce-gradient, eq-bce-logits.
    """
    z, y = _binary_targets(y, z, "z")
    return (sigmoid(z) - y) / z.size


# --- categorical cross-entropy ------------------------------------------------------------------

def categorical_cross_entropy(P, y):
    r"""Categorical cross-entropy of predicted class probabilities: the mean negative log-likelihood.

    .. math::
        L = -\frac{1}{n} \sum_{i=1}^{n} \sum_{c=0}^{k-1} Y_{ic} \log P_{ic}
          = -\frac{1}{n} \sum_{i=1}^{n} \log P_{i, y_i} \quad\text{(one-hot targets)}

    The mean runs over the :math:`n` rows, not the :math:`nk` entries: each row is one distribution over the
    :math:`k` classes, so a batch holds :math:`n` of them.

    Book: eq-cce.

    Probabilities are clipped below at the machine epsilon so that :math:`\log 0` cannot occur.
    Prefer :func:`softmax_cross_entropy` when you have logits: rows that are not distributions (logits passed by
    mistake) raise a ValueError that says so. A softmax applied twice cannot be caught this way — its rows are
    distributions too, only far too flat — so keep the logits and let :func:`softmax_cross_entropy` apply it.

    Parameters
    ----------
    P : array_like, shape (n, k)
        One row of class probabilities per sample.
    y : array_like, shape (n,) integer labels, or (n, k) one-hot / probability rows

    Returns
    -------
    float
    """
    P, Y = _logits_and_targets(P, y, "P")
    P = np.maximum(_class_probabilities(P, "P"), float(np.finfo(P.dtype).eps))  # log(0) = -inf
    return 0.0 - _weighted_log_sum(Y, np.log(P)) / P.shape[0]  # 0.0 -: a perfect fit is 0.0, not -0.0


def categorical_cross_entropy_prime(P, y):
    r"""Gradient of :func:`categorical_cross_entropy` with respect to the probabilities.

    .. math::
        \frac{\partial L}{\partial P_{ic}} = -\frac{1}{n}\,\frac{Y_{ic}}{P_{ic}}

    Book: eq-cce.
    """
    P, Y = _logits_and_targets(P, y, "P")
    P = np.maximum(_class_probabilities(P, "P"), float(np.finfo(P.dtype).eps))
    return -Y / P / P.shape[0]


def softmax_cross_entropy(Z, y):
    r"""Categorical cross-entropy computed from logits through log-softmax; stable for any finite Z.

    With :math:`P = \operatorname{softmax}(Z)` row by row,

    .. math::
        L = -\frac{1}{n} \sum_{i=1}^{n} \sum_{c=0}^{k-1} Y_{ic} \log \operatorname{softmax}(\mathbf z_i)_c,
        \qquad \log \operatorname{softmax}(\mathbf z)_c = z_c - \log \sum_j e^{z_j}

    Book: eq-softmax-ce.

    The log-sum-exp is computed after shifting by the row maximum, so nothing overflows, and the
    logarithm of a tiny probability is never taken.

    Parameters
    ----------
    Z : array_like, shape (n, k)
        Logits, one row per sample.
    y : array_like, shape (n,) integer labels in :math:`0..k-1`, or (n, k) one-hot / probability rows

    Returns
    -------
    float
    """
    Z, Y = _logits_and_targets(Z, y, "Z")
    return 0.0 - _weighted_log_sum(Y, log_softmax(Z)) / Z.shape[0]  # 0.0 -: a perfect fit is 0.0, not -0.0


def softmax_cross_entropy_prime(Z, y):
    r"""Gradient of softmax followed by cross-entropy with respect to the logits: :math:`\mathbf p - \mathbf y`.

    For one sample with :math:`\mathbf p = \operatorname{softmax}(\mathbf z)` and targets summing to 1,

    .. math::
        \frac{\partial}{\partial z_j}\Bigl(-\sum_c y_c \log p_c\Bigr)
        = -\sum_c y_c\,(\mathbb 1[c = j] - p_j) = p_j \sum_c y_c - y_j = p_j - y_j

    (using :math:`\partial \log p_c / \partial z_j = \mathbb 1[c = j] - p_j`, where :math:`\mathbb 1[c = j]` is 1
    if :math:`c = j` and 0 otherwise). For the mean over a batch,

    .. math::
        \frac{\partial L}{\partial Z} = \frac{1}{n}\,(P - Y)

    Book: eq-ce-gradient.

    Parameters
    ----------
    Z : array_like, shape (n, k)
    y : array_like, shape (n,) integer labels, or (n, k) probability rows

    Returns
    -------
    ndarray, shape (n, k)
    """
    Z, Y = _logits_and_targets(Z, y, "Z")
    return (softmax(Z) - Y) / Z.shape[0]


# --- entropy and Kullback-Leibler divergence -------------------------------------------------------

def _distributions(P, name):
    """Rows of probabilities (a single distribution of shape (k,) is one row), checked to be distributions."""
    P = as_array(P, name, finite=True)
    if P.ndim not in (1, 2):
        raise ValueError(f"{name} must be one distribution, shape (k,), or one per row, shape (n, k); got {P.shape}")
    return _class_probabilities(np.atleast_2d(P).astype(np.float64), name)


def entropy(P):
    r"""Entropy of a distribution over :math:`k` classes (the mean over the rows for a batch), in nats.

    .. math::
        H(\mathbf p) = -\sum_{c=0}^{k-1} p_c \log p_c \qquad (0 \log 0 = 0)

    It is 0 for a certain outcome (a one-hot row) and largest, :math:`\log k`, for the uniform distribution.

    Book: eq-cross-entropy-kl.

    Parameters
    ----------
    P : array_like, shape (k,) or (n, k)
        One distribution, or one per row.

    Returns
    -------
    float
    """
    P = _distributions(P, "P")
    return 0.0 - _weighted_log_sum(P, np.log(P, out=np.zeros_like(P), where=P > 0)) / P.shape[0]


def kl_divergence(Y, P):
    r"""Kullback-Leibler divergence of a model distribution :math:`\mathbf p` from a target :math:`\mathbf y`.

    .. math::
        \operatorname{KL}(\mathbf y \,\|\, \mathbf p) = \sum_{c=0}^{k-1} y_c \log \frac{y_c}{p_c},
        \qquad H(\mathbf y, \mathbf p) = H(\mathbf y) + \operatorname{KL}(\mathbf y \,\|\, \mathbf p)

    Terms with :math:`y_c = 0` contribute 0; a class with :math:`y_c > 0` and :math:`p_c = 0` makes the divergence
    infinite. It is :math:`\ge 0`, and 0 only for :math:`\mathbf p = \mathbf y` (Gibbs' inequality, from
    :math:`\log u \le u - 1`). The cross-entropy :math:`H(\mathbf y, \mathbf p) = -\sum_c y_c \log p_c` is
    :func:`categorical_cross_entropy`; this function computes the divergence directly, term by term, not as a
    difference of the two.

    Book: eq-cross-entropy-kl.

    Parameters
    ----------
    Y : array_like, shape (k,) or (n, k)
        The target distribution(s).
    P : array_like, same shape
        The model's distribution(s).

    Returns
    -------
    float
        The mean over the rows.
    """
    Y, P = _distributions(Y, "Y"), _distributions(P, "P")
    same_shape(Y, P, "Y", "P")
    if np.any((Y > 0) & (P == 0)):
        return float("inf")
    used = Y > 0
    log_ratio = np.zeros_like(Y)
    np.log(np.divide(Y, P, out=np.ones_like(Y), where=used), out=log_ratio, where=used)
    return _weighted_log_sum(Y, log_ratio) / Y.shape[0] + 0.0


# --- fused value-and-gradient kernels for the training loop -----------------------------------
# The same equations as above, computed together and without re-checking the inputs: the training
# loop checks its data once, before the first epoch. The tests compare each kernel with the pair above.

def _mse_value_and_grad(y_hat, y):
    r = y_hat - y
    return float(np.vdot(r, r)) / r.size, r * (2.0 / r.size)


def _mae_value_and_grad(y_hat, y):
    r = y_hat - y
    return float(np.abs(r).sum()) / r.size, np.sign(r) / r.size


def _bce_logits_value_and_grad(z, y):
    # log(1 + e^z) = max(z, 0) + log(1 + e^{-|z|}): numpy's logaddexp(0, z) computes it without overflow,
    # and sigma(z) = e^{z - log(1 + e^z)} has an exponent <= 0, so it cannot overflow either.
    softplus = np.logaddexp(0.0, z)
    value = (float(np.add.reduce(softplus, axis=None)) - float(np.vdot(z, y))) / z.size
    grad = np.exp(z - softplus)  # sigma(z)
    grad -= y
    grad /= z.size
    return value, grad


def _softmax_ce_value_and_grad(Z, y):
    n = Z.shape[0]
    shifted = Z - Z.max(axis=1, keepdims=True)  # max-shift: every exponent <= 0, the sum >= 1
    E = np.exp(shifted)
    total = E.sum(axis=1, keepdims=True)
    log_total = np.log(total)
    G = E / total  # G = P, turned into (P - Y) / n below
    if y.ndim == 1:  # integer labels: Y is one-hot, so only the labelled entries matter
        rows = np.arange(n)
        value = -float(shifted[rows, y].sum() - log_total.sum()) / n
        G[rows, y] -= 1.0
    else:
        value = -float(np.vdot(y, shifted - log_total)) / n
        G -= y
    G /= n
    return value, G


# --- target checks used by the networks ---------------------------------------------------------

def _regression_targets(y, out_shape, dtype):
    y = as_array(y, "y", finite=True)
    if y.ndim == 1 and len(out_shape) == 2 and out_shape[1] == 1:
        y = y[:, None]
    if y.shape != tuple(out_shape):
        raise ValueError(f"y must have the shape of the network's output: expected {tuple(out_shape)}, got {y.shape}")
    return np.ascontiguousarray(y, dtype=dtype)


def _binary_class_targets(y, out_shape, dtype):
    y = _regression_targets(y, out_shape, dtype)
    if y.size and (y.min() < 0 or y.max() > 1):
        raise ValueError(f"binary targets y must lie in [0, 1]; found values from {y.min()} to {y.max()}")
    return y


def _multiclass_targets(y, out_shape, dtype):
    n, k = out_shape
    if np.ndim(y) == 1:
        return _labels(y, n, k)
    return np.ascontiguousarray(class_targets(y, n, k, dtype=dtype))


# --- a registry, so a network (or a widget) can name its loss -----------------------------------

class Loss(NamedTuple):
    """A loss: its name, the function, its gradient, the formula, and what the network's output means.

    ``kind`` is ``"regression"`` (outputs are values), ``"binary"`` (one logit per sample) or
    ``"multiclass"`` (one logit per class). ``value_and_grad`` and ``targets`` serve the training loop.
    """

    name: str
    f: Callable
    f_prime: Callable
    latex: str
    kind: str
    value_and_grad: Callable
    targets: Callable


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("mse", mse, mse_prime, r"L = \frac{1}{N}\sum_i (\hat y_i - y_i)^2",
             "regression", _mse_value_and_grad, _regression_targets),
        Loss("mae", mae, mae_prime, r"L = \frac{1}{N}\sum_i \lvert \hat y_i - y_i \rvert",
             "regression", _mae_value_and_grad, _regression_targets),
        Loss("binary_cross_entropy", binary_cross_entropy_with_logits, binary_cross_entropy_with_logits_prime,
             r"L = -\frac{1}{N}\sum_i \bigl[y_i \log \sigma(z_i) + (1 - y_i)\log(1 - \sigma(z_i))\bigr]",
             "binary", _bce_logits_value_and_grad, _binary_class_targets),
        Loss("cross_entropy", softmax_cross_entropy, softmax_cross_entropy_prime,
             r"L = -\frac{1}{n}\sum_i \log \operatorname{softmax}(\mathbf z_i)_{y_i}",
             "multiclass", _softmax_ce_value_and_grad, _multiclass_targets),
    )
}


def get_loss(name) -> Loss:
    """Look up a loss for a network by name: ``"mse"``, ``"mae"``, ``"binary_cross_entropy"``, ``"cross_entropy"``.

    The two cross-entropies act on the network's logits (:func:`binary_cross_entropy_with_logits`,
    :func:`softmax_cross_entropy`). A :class:`Loss` passes through unchanged.

    Raises
    ------
    ValueError
        If the name is unknown; the message lists the known names.
    """
    return lookup(LOSSES, name, "loss", accept=Loss)
