r"""Universal approximation in one dimension (chapter 3): a one-hidden-layer network fitted to a curve.

A network with one input, one hidden layer of :math:`N` units and one linear output computes

.. math::
    \hat y(x) = \sum_{j=1}^{N} v_j\, f(w_j x + b_j) + c ,

or, for a batch :math:`X` of shape (n, 1), :math:`\hat{\mathbf y} = f(XW + \mathbf 1\mathbf b^\top)\,\mathbf v + c`
with :math:`W` of shape (1, N), :math:`\mathbf b` and :math:`\mathbf v` of shape (N,). The output is *linear*
in :math:`(\mathbf v, c)`: once the hidden layer is fixed, the best output weights solve a linear
least-squares problem (:func:`fit_output_layer`). That is how the chapter's approximation demo fits
its curves; it is not how networks are trained (chapter 6 trains every weight by gradient descent).

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
        \varphi(j) = \sum_i d_i\, 2^{-i-1}, \qquad
        \varphi(1), \varphi(2), \varphi(3), \dots = \tfrac12, \tfrac14, \tfrac34, \tfrac18, \tfrac58, \dots

    Every prefix of the sequence is spread over :math:`(0, 1)` with no large gap: the first :math:`2^m - 1`
    points are exactly the multiples of :math:`2^{-m}`.

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
    r"""Weights and biases for a hidden layer of :math:`N` units on a one-dimensional input: spread-out centres,
    random slopes.

    Unit :math:`j` is placed by its *centre* :math:`t_j`, the input where :math:`w_j x + b_j = 0` (the kink of
    a ReLU, the midpoint of a sigmoid's step), taken from the van der Corput sequence :math:`\varphi`
    (:func:`van_der_corput`) so that the centres of the first :math:`N` units are spread over the interval for
    every :math:`N`; its slope is random:

    .. math::
        t_j = x_\text{lo} + (x_\text{hi} - x_\text{lo})\,\varphi(j), \qquad
        w_j = \pm\frac{k_j}{x_\text{hi} - x_\text{lo}},\ \ \log k_j \sim \mathcal U(\log k_\text{lo}, \log k_\text{hi}),
        \qquad b_j = -w_j t_j

    with a random sign, + or − with probability 1/2. A sigmoid unit then rises over about :math:`4/|w_j|`,
    between 1/15 of the interval and all of it for the default ``steepness``. The draws are made unit by unit, so
    the first :math:`N` units are the same for every larger layer drawn with the same seed: adding units never
    moves the ones already there.

    Parameters
    ----------
    n_hidden : int
        Number of hidden units :math:`N \ge 1`.
    interval : (float, float), default (-3, 3)
        The input interval :math:`[x_\text{lo}, x_\text{hi}]` the centres are spread over.
    steepness : (float, float), default (4, 60)
        Range :math:`[k_\text{lo}, k_\text{hi}]` of :math:`|w_j|\,(x_\text{hi} - x_\text{lo})`.
    seed : int, default 0

    Returns
    -------
    W : ndarray, shape (1, N)
    b : ndarray, shape (N,)
    """
    n_hidden = as_int(n_hidden, "n_hidden", minimum=1)
    lo, hi = (as_scalar(v, "interval") for v in interval)
    if not hi > lo:
        raise ValueError(f"interval must be (lo, hi) with lo < hi; got {tuple(interval)}")
    k_lo, k_hi = (as_scalar(v, "steepness", positive=True) for v in steepness)
    u = np.random.default_rng(seed).uniform(size=(n_hidden, 2))  # one row per unit: prefixes are stable
    centres = lo + (hi - lo) * van_der_corput(n_hidden)
    k = np.exp(np.log(k_lo) + (np.log(k_hi) - np.log(k_lo)) * u[:, 0])
    sign = np.where(u[:, 1] < 0.5, -1.0, 1.0)
    w = sign * k / (hi - lo)
    return w.reshape(1, -1), -w * centres


def hidden_features(x, W, b, activation):
    r"""The hidden layer's outputs for a batch of one-dimensional inputs.

    .. math::
        H = f(XW + \mathbf 1\mathbf b^\top), \qquad H_{ij} = f(w_j x_i + b_j)

    Parameters
    ----------
    x : array_like, shape (n,) or (n, 1)
    W : array_like, shape (1, N)
    b : array_like, shape (N,)
    activation : str
        An element-wise activation (``"relu"``, ``"sigmoid"``, ``"tanh"``, ...).

    Returns
    -------
    H : ndarray, shape (n, N)
    """
    X = as_array(x, "x", ndim=(1, 2)).reshape(-1, 1)
    Z, _ = dense_forward(X, W, b)
    H, _ = activation_forward(Z, activation)
    return H


def _design(H):
    """``[H 1]``: the hidden outputs with a column of ones for the output bias."""
    return np.hstack([H, np.ones((H.shape[0], 1))])


def _ridge_solve(G, r, lam):
    """Solve ``(G + lam D) theta = r`` with D = diag(1, ..., 1, 0): the last unknown (the bias) is not penalised."""
    D = np.eye(G.shape[0])
    D[-1, -1] = 0.0
    return np.linalg.solve(G + lam * D, r)


def fit_output_layer(H, y, ridge=1e-6):
    r"""The output weights :math:`(\mathbf v, c)` that fit the targets best, given the hidden layer's outputs.

    .. math::
        (\mathbf v, c) = \arg\min_{\mathbf v,\, c}\ \lVert H\mathbf v + c\,\mathbf 1 - \mathbf y \rVert^2
        + \lambda \lVert \mathbf v \rVert^2

    This is linear least squares with a small ridge penalty. With :math:`\tilde H = [H\ \mathbf 1]` of shape
    (n, N + 1) and :math:`D = \operatorname{diag}(1, \dots, 1, 0)` (the bias :math:`c` is not penalised), the
    minimiser solves the normal equations

    .. math::
        (\tilde H^\top \tilde H + \lambda D) \begin{pmatrix} \mathbf v \\ c \end{pmatrix} = \tilde H^\top \mathbf y .

    :math:`\lambda > 0` makes the system solvable even when two hidden units compute (nearly) the same thing,
    and keeps :math:`\mathbf v` from huge, cancelling values; at the default :math:`10^{-6}` it changes the fit
    only where the plain least-squares problem has no unique answer.

    Parameters
    ----------
    H : array_like, shape (n, N)
        Hidden outputs, one row per sample (:func:`hidden_features`).
    y : array_like, shape (n,)
        Targets.
    ridge : float, default 1e-6
        The penalty :math:`\lambda > 0`.

    Returns
    -------
    v : ndarray, shape (N,)
    c : float
    """
    H, y, lam = _check_fit(H, y, ridge)
    A = _design(H)
    theta = _ridge_solve(A.T @ A, A.T @ y, lam)
    return theta[:-1], float(theta[-1])


def fit_output_layers_nested(H, y, ridge=1e-6):
    r"""The fits of :func:`fit_output_layer` for the first 1, 2, ..., N hidden units at once.

    With nested hidden layers (:func:`random_hidden_layer` draws unit by unit), the normal equations of the
    first :math:`m` units are a sub-block of those of all :math:`N` units: the rows and columns of
    :math:`\tilde H^\top \tilde H` for units :math:`1..m` and the bias. So the Gram matrix is formed once and
    each fit is one small solve,

    .. math::
        (\tilde H_m^\top \tilde H_m + \lambda D)\, \boldsymbol\theta_m = \tilde H_m^\top \mathbf y,
        \qquad \tilde H_m = [H_{:,1..m}\ \mathbf 1], \qquad m = 1, \dots, N,

    each equal to ``fit_output_layer(H[:, :m], y, ridge)``.

    Parameters
    ----------
    H : array_like, shape (n, N)
    y : array_like, shape (n,)
    ridge : float, default 1e-6

    Returns
    -------
    list of N pairs ``(v, c)``, ``v`` of shape (m,) for m = 1, ..., N.
    """
    H, y, lam = _check_fit(H, y, ridge)
    A = _design(H)
    G, r = A.T @ A, A.T @ y
    N = H.shape[1]
    fits = []
    for m in range(1, N + 1):
        idx = np.r_[0:m, N]  # units 1..m and the bias column
        theta = _ridge_solve(G[np.ix_(idx, idx)], r[idx], lam)
        fits.append((theta[:-1], float(theta[-1])))
    return fits


def _check_fit(H, y, ridge):
    H = as_array(H, "H", ndim=2, finite=True)
    y = as_array(y, "y", ndim=1, finite=True)
    lam = as_scalar(ridge, "ridge", positive=True)
    if y.shape[0] != H.shape[0]:
        raise ValueError(f"H has {H.shape[0]} rows but y has {y.shape[0]} targets (H: {H.shape}, y: {y.shape})")
    return H, y, lam


def one_hidden_layer(x, W, b, v, c, activation):
    r"""Output of a one-input, one-output network with one hidden layer.

    .. math::
        \hat y_i = \sum_{j=1}^{N} v_j\, f(w_j x_i + b_j) + c, \qquad
        \hat{\mathbf y} = f(XW + \mathbf 1\mathbf b^\top)\,\mathbf v + c

    Parameters
    ----------
    x : array_like, shape (n,) or (n, 1)
    W : array_like, shape (1, N)
    b, v : array_like, shape (N,)
    c : float
    activation : str

    Returns
    -------
    y_hat : ndarray, shape (n,)
    """
    H = hidden_features(x, W, b, activation)
    v = as_array(v, "v", ndim=1)
    if v.shape[0] != H.shape[1]:
        raise ValueError(f"v has {v.shape[0]} entries but the hidden layer has {H.shape[1]} units")
    return H @ v + as_scalar(c, "c")


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
    r"""Weights of the ReLU network whose output is the piecewise-linear interpolant of the points :math:`(t_k, y_k)`.

    With knots :math:`t_0 < t_1 < \dots < t_m` and slopes :math:`s_k = (y_{k+1} - y_k)/(t_{k+1} - t_k)`,

    .. math::
        \hat y(x) = y_0 + \sum_{k=0}^{m-1} (s_k - s_{k-1})\, \operatorname{ReLU}(x - t_k), \qquad s_{-1} = 0 ,

    which is :math:`y_0` left of :math:`t_0`, passes through every :math:`(t_k, y_k)`, is linear between knots,
    and continues the last segment beyond :math:`t_m`. Each hidden unit adds one change of slope at its knot.
    So :math:`m` units interpolate :math:`m + 1` points, and for a function with :math:`|f''| \le M` on
    :math:`[t_0, t_m]` and knots :math:`h` apart the error there is at most :math:`M h^2 / 8`.

    Parameters
    ----------
    knots : array_like, shape (m + 1,), strictly increasing, m >= 1
    values : array_like, shape (m + 1,)

    Returns
    -------
    W : ndarray, shape (1, m)
        All ones.
    b : ndarray, shape (m,)
        :math:`b_k = -t_k`.
    v : ndarray, shape (m,)
        :math:`v_k = s_k - s_{k-1}`.
    c : float
        :math:`y_0`.

    Use them with :func:`one_hidden_layer` and ``activation="relu"``.
    """
    t, y = as_pair(knots, values, "knots", "values", ndim=1, finite=True)
    if t.size < 2:
        raise ValueError(f"an interpolant needs at least 2 knots; got {t.size}")
    if not np.all(np.diff(t) > 0):
        raise ValueError("knots must be strictly increasing")
    s = np.diff(y) / np.diff(t)
    v = np.diff(s, prepend=0.0)
    m = s.size
    return np.ones((1, m)), -t[:-1].copy(), v, float(y[0])
