r"""Preparing data (chapters 6 to 9): split, standardise, one-hot encode, cut into mini-batches.

Every function takes and returns plain arrays, batch first (one sample per row); the statistics of a
standardisation are returned, not hidden, so the same transformation can be applied to the test set.
"""

from __future__ import annotations

import numbers

import numpy as np

from .._checks import as_array, as_generator, as_int, as_labels, as_scalar

__all__ = ["train_test_split", "standardize", "one_hot", "minibatches"]


def _samples(X, y):
    X = as_array(X, "X", min_ndim=1, finite=True)
    y = np.asarray(y)
    if y.ndim == 0 or len(y) != len(X):
        raise ValueError(f"X and y must have one row per sample (X: {X.shape}, y: {y.shape})")
    if y.dtype.kind in "fc" and not np.isfinite(y).all():
        raise ValueError(f"y contains NaN or infinite values (y: {y.shape})")
    return X, y


def train_test_split(X, y, test_size=0.2, seed=0, stratify=False):
    r"""Shuffle the samples and hold out a fraction of them as a test set.

    Parameters
    ----------
    X : array_like, shape (n, ...)
    y : array_like, shape (n, ...)
    test_size : float in (0, 1) or int, default 0.2
        The fraction of samples (or their number) held out.
    seed : int, numpy Generator or None, default 0
    stratify : bool, default False
        Hold out the same fraction of every class of ``y`` (for integer labels), so the class proportions
        of both parts match those of the whole.

    Returns
    -------
    X_train, X_test, y_train, y_test : ndarray
    """
    X, y = _samples(X, y)
    n = len(y)
    if isinstance(test_size, numbers.Integral) and not isinstance(test_size, bool):
        fraction = as_int(test_size, "test_size (a count)", minimum=1, maximum=n - 1) / n
    else:
        fraction = as_scalar(test_size, "test_size")
        if not 0 < fraction < 1:
            raise ValueError(f"test_size as a fraction must lie strictly between 0 and 1; got {fraction}")
    rng = as_generator(seed)
    if stratify:
        if y.ndim != 1:
            raise ValueError(f"stratify needs one label per sample, y of shape (n,); got {y.shape}")
        test = []
        for label in np.unique(y):
            members = rng.permutation(np.flatnonzero(y == label))
            test.append(members[: int(round(fraction * len(members)))])
        test = np.sort(np.concatenate(test))
        is_test = np.zeros(n, dtype=bool)
        is_test[test] = True
        train = rng.permutation(np.flatnonzero(~is_test))
        test = rng.permutation(test)
    else:
        order = rng.permutation(n)
        n_test = max(1, min(n - 1, int(round(fraction * n))))
        test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def standardize(X, mean=None, std=None):
    r"""Shift and scale every feature (column) to mean 0 and standard deviation 1.

    .. math::
        \tilde X_{ij} = \frac{X_{ij} - \mu_j}{\sigma_j}, \qquad
        \mu_j = \frac1n \sum_i X_{ij}, \quad \sigma_j = \sqrt{\frac1n \sum_i (X_{ij} - \mu_j)^2}

    Compute :math:`\mu, \sigma` on the training set only and pass them when standardising the test set:
    the test data must not leak into the preprocessing. A constant feature (:math:`\sigma_j = 0`) is
    only shifted (its :math:`\sigma_j` is taken as 1), so no division by zero happens.

    Parameters
    ----------
    X : array_like, shape (n, d)
    mean, std : array_like, shape (d,), optional
        Statistics from the training set; computed from ``X`` when omitted.

    Returns
    -------
    X_std : ndarray, shape (n, d)
    mean, std : ndarray, shape (d,)
    """
    X = as_array(X, "X", ndim=2, finite=True)
    if (mean is None) != (std is None):
        raise ValueError("pass both mean and std (from the training set), or neither")
    if mean is None:
        mean = X.mean(axis=0)
        std = X.std(axis=0)
        std = np.where(std > 0, std, 1.0).astype(X.dtype)
    else:
        mean = as_array(mean, "mean", ndim=1, finite=True)
        std = as_array(std, "std", ndim=1, finite=True)
        if mean.shape != (X.shape[1],) or std.shape != (X.shape[1],):
            raise ValueError(f"mean and std need one entry per feature of X (X: {X.shape}, mean: {mean.shape}, "
                             f"std: {std.shape})")
        if (std <= 0).any():
            raise ValueError("std must be positive in every feature")
    return (X - mean) / std, mean, std


def one_hot(y, n_classes=None, dtype=np.float64):
    r"""One-hot encoding: label :math:`c` becomes the row :math:`\mathbf e_c` of the identity matrix.

    .. math::
        Y_{ic} = \begin{cases} 1 & c = y_i \\ 0 & \text{otherwise} \end{cases}

    Parameters
    ----------
    y : array_like of int, shape (n,)
        Labels in :math:`0, \dots, k-1`.
    n_classes : int, optional
        :math:`k`; by default ``max(y) + 1``.

    Returns
    -------
    Y : ndarray, shape (n, k)
    """
    y = as_labels(y, "y")
    k = int(y.max()) + 1 if n_classes is None and y.size else as_int(n_classes, "n_classes", minimum=1)
    return np.eye(k, dtype=dtype)[as_labels(y, "y", n_classes=k)]


def minibatches(n, batch_size, seed=None, shuffle=True):
    r"""Index arrays that cut ``n`` samples into mini-batches: one pass over the data is one epoch.

    ``batch_size = n`` gives full-batch gradient descent, ``batch_size = 1`` stochastic gradient descent,
    anything between mini-batch descent. The last batch is smaller when ``batch_size`` does not divide ``n``.

    Parameters
    ----------
    n : int
        Number of samples.
    batch_size : int
    seed : int, numpy Generator or None
        For the shuffle.
    shuffle : bool, default True
        Visit the samples in a new random order (each exactly once).

    Yields
    ------
    ndarray of int, shape (batch_size,) (the last one possibly shorter)
    """
    n, batch_size = as_int(n, "n", minimum=1), as_int(batch_size, "batch_size", minimum=1)
    order = as_generator(seed).permutation(n) if shuffle else np.arange(n)
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]
