r"""Universal approximation in one dimension (chapter 3): a one-hidden-layer network fitted to a curve.

A network with one input, one hidden layer of :math:`m` units and one linear output computes

.. math::
    \hat y(x) = b^{[2]} + \sum_{j=1}^{m} w^{[2]}_j\, f(w_j x + b_j) ,

or, for a batch :math:`X` of shape (n, 1), :math:`\hat{\mathbf y} = f(XW + \mathbf 1\mathbf b^\top)\,\mathbf w^{[2]}
+ b^{[2]}` with :math:`W` of shape (1, m) (entries :math:`w_j`), :math:`\mathbf b` and the output weights
:math:`\mathbf w^{[2]}` of shape (m,) and the output bias :math:`b^{[2]}`. The output is *linear* in
:math:`(\mathbf w^{[2]}, b^{[2]})`: once the hidden layer is fixed, the best output weights solve a linear
least-squares problem (:func:`fit_output_layer`). That is how the chapter's approximation demo fits its curves; it is
not how networks are trained (chapter 6 trains every weight by gradient descent).

For ReLU the weights can even be written down: :func:`relu_interpolant` builds the network whose output is
the piecewise-linear interpolant of given points, one hidden unit per segment.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_array, as_int, as_pair, as_scalar
from .activations import relu
from .layers import activation_forward, dense_forward

__all__ = ["van_der_corput", "random_hidden_layer", "hidden_features", "fit_output_layer",
           "fit_output_layers_nested", "one_hidden_layer", "hat", "relu_interpolant"]


def van_der_corput(n):
    r"""The first :math:`n` points of the van der Corput sequence in base 2: evenly spread points of :math:`(0, 1)`.

    Write :math:`j = \sum_i d_i 2^i` in binary and mirror the digits about the point:

    .. math::
        \operatorname{vdc}(j) = \sum_i d_i\, 2^{-i-1}, \qquad
        \operatorname{vdc}(1), \operatorname{vdc}(2), \operatorname{vdc}(3), \dots
        = \tfrac12, \tfrac14, \tfrac34, \tfrac18, \tfrac58, \dots

    Every prefix of the sequence is spread over :math:`(0, 1)` with no large gap: the first 3 points are the
    multiples of 1/4 in :math:`(0, 1)`, the first 7 those of 1/8, the first 15 those of 1/16, and so on.

    Parameters
    ----------
    n : int

    Returns
    -------
    ndarray, shape (n,)
    """
    j = np.arange(1, int(n) + 1)
    phi = np.zeros(j.shape)
    scale = 0.5
    while np.any(j):
        phi += scale * (j & 1)
        j >>= 1
        scale /= 2
    return phi


def random_hidden_layer(n_hidden, interval=(-3.0, 3.0), steepness=(4.0, 60.0), seed=0):
    r"""Weights and biases for a hidden layer of :math:`m` units on a one-dimensional input: spread-out centres,
    random slopes.

    Unit :math:`j` is placed by its *centre* :math:`t_j`, the input where :math:`w_j x + b_j = 0` (the kink of
    a ReLU, the midpoint of a sigmoid's step), taken from the van der Corput sequence :math:`\operatorname{vdc}`
    (:func:`van_der_corput`) so that the centres of the first :math:`m` units are spread over the interval for
    every :math:`m`; its slope is random:

    .. math::
        t_j = x_\text{lo} + (x_\text{hi} - x_\text{lo})\,\operatorname{vdc}(j), \qquad
        \log\bigl(\lvert w_j\rvert\,(x_\text{hi} - x_\text{lo})\bigr) \sim
        \mathcal U\bigl(\log \text{steep}_\text{lo}, \log \text{steep}_\text{hi}\bigr), \qquad b_j = -w_j t_j

    with a random sign, + or − with probability 1/2. A sigmoid unit then rises over about :math:`4/|w_j|`,
    between 1/15 of the interval and all of it for the default ``steepness``. The draws are made unit by unit, so
    the first :math:`m` units are the same for every larger layer drawn with the same seed: adding units never
    moves the ones already there.

    Parameters
    ----------
    n_hidden : int
        Number of hidden units :math:`m \ge 1`.
    interval : (float, float), default (-3, 3)
        The input interval :math:`[x_\text{lo}, x_\text{hi}]` the centres are spread over.
    steepness : (float, float), default (4, 60)
        Range :math:`[\text{steep}_\text{lo}, \text{steep}_\text{hi}]` of :math:`|w_j|\,(x_\text{hi} - x_\text{lo})`.
    seed : int, default 0

    Returns
    -------
    W : ndarray, shape (1, m)
    b : ndarray, shape (m,)
    """
    n_hidden = as_int(n_hidden, "n_hidden", minimum=1)
    lo, hi = (as_scalar(v, "interval") for v in interval)
    if not hi > lo:
        raise ValueError(f"interval must be (lo, hi) with lo < hi; got {tuple(interval)}")
    steep_lo, steep_hi = (as_scalar(v, "steepness", positive=True) for v in steepness)
    draws = np.random.default_rng(seed).uniform(size=(n_hidden, 2))  # one row per unit: prefixes are stable
    centres = lo + (hi - lo) * van_der_corput(n_hidden)
    steep = np.exp(np.log(steep_lo) + (np.log(steep_hi) - np.log(steep_lo)) * draws[:, 0])
    sign = np.where(draws[:, 1] < 0.5, -1.0, 1.0)
    w = sign * steep / (hi - lo)
    return w.reshape(1, -1), -w * centres


def hidden_features(x, W, b, activation):
    r"""The hidden layer's outputs for a batch of one-dimensional inputs.

    .. math::
        A = f(XW + \mathbf 1\mathbf b^\top), \qquad A_{ij} = f(w_j x_i + b_j)

    Parameters
    ----------
    x : array_like, shape (n,) or (n, 1)
    W : array_like, shape (1, m)
    b : array_like, shape (m,)
    activation : str
        An element-wise activation (``"relu"``, ``"sigmoid"``, ``"tanh"``, ...).

    Returns
    -------
    A : ndarray, shape (n, m)
    """
    X = as_array(x, "x", ndim=(1, 2)).reshape(-1, 1)
    Z, _ = dense_forward(X, W, b)
    A, _ = activation_forward(Z, activation)
    return A


def _design(A):
    """``[A 1]``: the hidden outputs with a column of ones for the output bias."""
    return np.hstack([A, np.ones((A.shape[0], 1))])


def _ridge_solve(gram, r, lam):
    """Solve ``(gram + lam E) theta = r`` with E = diag(1, ..., 1, 0): the last unknown (the bias) is not penalised."""
    E = np.eye(gram.shape[0])
    E[-1, -1] = 0.0
    return np.linalg.solve(gram + lam * E, r)


def fit_output_layer(A, y, ridge=1e-6):
    r"""The output weights :math:`(\mathbf w^{[2]}, b^{[2]})` that fit the targets best, given the hidden layer's
    outputs.

    .. math::
        (\mathbf w^{[2]}, b^{[2]}) = \arg\min_{\mathbf w^{[2]},\, b^{[2]}}\
        \lVert A\mathbf w^{[2]} + b^{[2]}\mathbf 1 - \mathbf y \rVert^2 + \lambda \lVert \mathbf w^{[2]} \rVert^2

    This is linear least squares with a small ridge penalty. With :math:`\tilde A = [A\ \mathbf 1]` of shape
    (n, m + 1) and :math:`E = \operatorname{diag}(1, \dots, 1, 0)` (the bias :math:`b^{[2]}` is not penalised), the
    minimiser solves the normal equations

    .. math::
        (\tilde A^\top \tilde A + \lambda E) \begin{pmatrix} \mathbf w^{[2]} \\ b^{[2]} \end{pmatrix}
        = \tilde A^\top \mathbf y .

    :math:`\lambda > 0` makes the system solvable even when two hidden units compute (nearly) the same thing,
    and keeps :math:`\mathbf w^{[2]}` from huge, cancelling values; at the default :math:`10^{-6}` it changes the fit
    only where the plain least-squares problem has no unique answer.

    Parameters
    ----------
    A : array_like, shape (n, m)
        Hidden outputs, one row per sample (:func:`hidden_features`).
    y : array_like, shape (n,)
        Targets.
    ridge : float, default 1e-6
        The penalty :math:`\lambda > 0`.

    Returns
    -------
    w2 : ndarray, shape (m,)
    b2 : float
    """
    A, y, lam = _check_fit(A, y, ridge)
    design = _design(A)
    theta = _ridge_solve(design.T @ design, design.T @ y, lam)
    return theta[:-1], float(theta[-1])


def fit_output_layers_nested(A, y, ridge=1e-6):
    r"""The fits of :func:`fit_output_layer` for the first 1, 2, ..., m hidden units at once.

    With nested hidden layers (:func:`random_hidden_layer` draws unit by unit), the normal equations of the
    first :math:`m'` units are a sub-block of those of all :math:`m` units: the rows and columns of
    :math:`\tilde A^\top \tilde A` for units :math:`1..m'` and the bias. So the Gram matrix is formed once and
    each fit is one small solve,

    .. math::
        (\tilde A_{m'}^\top \tilde A_{m'} + \lambda E)\, (\mathbf w^{[2]}, b^{[2]})_{m'} = \tilde A_{m'}^\top \mathbf y,
        \qquad \tilde A_{m'} = [A_{:,1..m'}\ \mathbf 1], \qquad m' = 1, \dots, m,

    each equal to ``fit_output_layer(A[:, :m'], y, ridge)``.

    Parameters
    ----------
    A : array_like, shape (n, m)
    y : array_like, shape (n,)
    ridge : float, default 1e-6

    Returns
    -------
    list of m pairs ``(w2, b2)``, ``w2`` of shape (m',) for m' = 1, ..., m.
    """
    A, y, lam = _check_fit(A, y, ridge)
    design = _design(A)
    gram, r = design.T @ design, design.T @ y
    m_all = A.shape[1]
    fits = []
    for m in range(1, m_all + 1):
        idx = np.r_[0:m, m_all]  # units 1..m and the bias column
        theta = _ridge_solve(gram[np.ix_(idx, idx)], r[idx], lam)
        fits.append((theta[:-1], float(theta[-1])))
    return fits


def _check_fit(A, y, ridge):
    A = as_array(A, "A", ndim=2, finite=True)
    y = as_array(y, "y", ndim=1, finite=True)
    lam = as_scalar(ridge, "ridge", positive=True)
    if y.shape[0] != A.shape[0]:
        raise ValueError(f"A has {A.shape[0]} rows but y has {y.shape[0]} targets (A: {A.shape}, y: {y.shape})")
    return A, y, lam


def one_hidden_layer(x, W, b, w2, b2, activation):
    r"""Output of a one-input, one-output network with one hidden layer of :math:`m` units.

    .. math::
        \hat y_i = b^{[2]} + \sum_{j=1}^{m} w^{[2]}_j\, f(w_j x_i + b_j), \qquad
        \hat{\mathbf y} = f(XW + \mathbf 1\mathbf b^\top)\,\mathbf w^{[2]} + b^{[2]}

    Book: eq-one-hidden-layer.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, 1)
    W : array_like, shape (1, m)
        The hidden units' slopes :math:`w_j`.
    b : array_like, shape (m,)
        The hidden units' biases :math:`b_j`.
    w2 : array_like, shape (m,)
        The output weights :math:`\mathbf w^{[2]}`.
    b2 : float
        The output bias :math:`b^{[2]}`.
    activation : str

    Returns
    -------
    y_hat : ndarray, shape (n,)
    """
    A = hidden_features(x, W, b, activation)
    w2 = as_array(w2, "w2", ndim=1)
    if w2.shape[0] != A.shape[1]:
        raise ValueError(f"w2 has {w2.shape[0]} entries but the hidden layer has {A.shape[1]} units")
    return A @ w2 + as_scalar(b2, "b2")


def hat(x):
    r"""The hat (triangle) function, built from three ReLUs.

    .. math::
        \operatorname{hat}(x) = \operatorname{ReLU}(x + 1) - 2\,\operatorname{ReLU}(x) + \operatorname{ReLU}(x - 1)
        = \max(0,\ 1 - |x|)

    It is 0 outside :math:`[-1, 1]` and rises linearly to 1 at :math:`x = 0`: a bump that a one-hidden-layer
    ReLU network with three units computes exactly.

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    ndarray, same shape as ``x``
    """
    x = as_array(x, "x")
    return relu(x + 1.0) - 2.0 * relu(x) + relu(x - 1.0)


def relu_interpolant(knots, values):
    r"""Weights of the ReLU network whose output is the piecewise-linear interpolant of the points :math:`(t_j, y_j)`.

    With knots :math:`t_0 < t_1 < \dots < t_m`, segment :math:`j` running from :math:`t_{j-1}` to :math:`t_j`
    with slope :math:`(y_j - y_{j-1})/(t_j - t_{j-1})`, and the slope of "segment 0" (left of :math:`t_0`) taken as 0,

    .. math::
        \hat y(x) = y_0 + \sum_{j=1}^{m} w^{[2]}_j\, \operatorname{ReLU}(x - t_{j-1}), \qquad
        w^{[2]}_j = (\text{slope of segment } j) - (\text{slope of segment } j - 1),

    which is :math:`y_0` left of :math:`t_0`, passes through every :math:`(t_j, y_j)`, is linear between knots,
    and continues the last segment beyond :math:`t_m`. Unit :math:`j` adds one change of slope at its knot
    :math:`t_{j-1}`. So :math:`m` units interpolate :math:`m + 1` points, and for a curve :math:`y(x)` with
    knots :math:`\Delta t` apart the error on :math:`[t_0, t_m]` is at most
    :math:`\max\lvert y''\rvert\, \Delta t^2 / 8`.

    Book: eq-relu-interpolant.

    Parameters
    ----------
    knots : array_like, shape (m + 1,), strictly increasing, m >= 1
    values : array_like, shape (m + 1,)

    Returns
    -------
    W : ndarray, shape (1, m)
        All ones.
    b : ndarray, shape (m,)
        :math:`b_j = -t_{j-1}`.
    w2 : ndarray, shape (m,)
        The changes of slope :math:`w^{[2]}_j`.
    b2 : float
        :math:`y_0`, the output bias.

    Use them with :func:`one_hidden_layer` and ``activation="relu"``.
    """
    t, y = as_pair(knots, values, "knots", "values", ndim=1, finite=True)
    if t.size < 2:
        raise ValueError(f"an interpolant needs at least 2 knots; got {t.size}")
    if not np.all(np.diff(t) > 0):
        raise ValueError("knots must be strictly increasing")
    slopes = np.diff(y) / np.diff(t)  # segment j = 1..m, from t_{j-1} to t_j
    w2 = np.diff(slopes, prepend=0.0)  # the change of slope at each knot (0 left of t_0)
    m = slopes.size
    return np.ones((1, m)), -t[:-1].copy(), w2, float(y[0])
