r"""Numerical gradients by centred differences: the referee for every backward pass in the book.

For a scalar function :math:`f` of an array :math:`\mathbf x`, each partial derivative is
estimated by nudging one entry up and down by :math:`h`:

.. math::
    \frac{\partial f}{\partial x_i} \approx \frac{f(\mathbf x + h\mathbf e_i) - f(\mathbf x - h\mathbf e_i)}{2h}

The error of this estimate is :math:`O(h^2)` (the one-sided difference is only :math:`O(h)`), and in
float64 with :math:`h = 10^{-5}` a correct analytic gradient typically agrees to a relative error
below :math:`10^{-8}`. Both the tests and the chapters call these functions:

* :func:`numerical_gradient` and :func:`relative_error`, the two pieces;
* :func:`gradient_check`, one function's gradient against the estimate;
* :func:`check_network_gradients`, every weight array of an :class:`nnmath.network.MLP` at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ._checks import as_array, as_int, as_pair, as_scalar, same_shape

__all__ = ["numerical_gradient", "relative_error", "gradient_check", "GradientCheck",
           "check_network_gradients", "ArrayCheck"]


def numerical_gradient(f: Callable[[np.ndarray], float], x, h: float = 1e-5) -> np.ndarray:
    r"""Centred-difference estimate of :math:`\nabla f(\mathbf x)`, one entry at a time, in float64.

    .. math::
        \hat g_i = \frac{f(\mathbf x + h\mathbf e_i) - f(\mathbf x - h\mathbf e_i)}{2h}

    Parameters
    ----------
    f : callable
        Takes an array shaped like ``x`` and returns a scalar.
    x : array_like, any shape
        The point; it is copied to float64 and never modified.
    h : float, default 1e-5
        The step.

    Returns
    -------
    ndarray, float64, shape of ``x``
    """
    if not callable(f):
        raise TypeError(f"f must be a function of x, not {type(f).__name__}")
    h = as_scalar(h, "h", positive=True)
    x = as_array(x, "x", finite=True).astype(np.float64)  # always a float64 copy
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        f_plus = _scalar(f(x))
        flat[i] = old - h
        f_minus = _scalar(f(x))
        flat[i] = old
        gflat[i] = (f_plus - f_minus) / (2.0 * h)
    return grad


def _scalar(value) -> float:
    arr = np.asarray(value)
    if arr.size != 1:
        raise ValueError(f"f must return a scalar; it returned an array of shape {arr.shape}")
    return float(arr.reshape(()))


def relative_error(a, b) -> float:
    r"""Relative distance between two arrays, scale-free and safe at zero.

    .. math::
        \operatorname{err}(\mathbf a, \mathbf b) = \frac{\lVert \mathbf a - \mathbf b \rVert_2}
        {\max\bigl(\lVert \mathbf a \rVert_2 + \lVert \mathbf b \rVert_2,\ 10^{-300}\bigr)}

    0 means identical; values below about :math:`10^{-7}` mean "agree to floating-point accuracy".
    """
    a, b = as_pair(a, b, "a", "b")
    a, b = a.astype(np.float64), b.astype(np.float64)
    denom = max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300)
    return float(np.linalg.norm(a - b) / denom)


@dataclass(frozen=True)
class GradientCheck:
    """Result of :func:`gradient_check`: both gradients, their relative error and the verdict."""

    analytic: np.ndarray
    numeric: np.ndarray
    error: float
    tolerance: float

    @property
    def ok(self) -> bool:
        return self.error <= self.tolerance

    def __str__(self) -> str:
        verdict = "agree" if self.ok else "DISAGREE"
        return f"gradients {verdict}: relative error {self.error:.1e} (tolerance {self.tolerance:.0e})"

    def __repr__(self) -> str:
        return f"GradientCheck(error={self.error:.2e}, ok={self.ok})"


def gradient_check(f, grad, x, h: float = 1e-5, tolerance: float = 1e-7) -> GradientCheck:
    r"""Compare an analytic gradient with the centred-difference estimate at ``x``.

    Parameters
    ----------
    f : callable
        Scalar function of an array shaped like ``x``.
    grad : callable or array_like
        Either a function returning :math:`\nabla f(\mathbf x)`, or the gradient already computed.
    x : array_like
    h : float, default 1e-5
    tolerance : float, default 1e-7
        Largest relative error accepted as agreement.

    Returns
    -------
    GradientCheck
        ``.error`` is :func:`relative_error` of the two; ``.ok`` says whether it is within tolerance.
    """
    x = as_array(x, "x", finite=True).astype(np.float64)
    analytic = as_array(grad(x.copy()) if callable(grad) else grad, "grad").astype(np.float64)
    same_shape(analytic, x, "the gradient", "x")
    numeric = numerical_gradient(f, x, h)
    return GradientCheck(analytic, numeric, relative_error(analytic, numeric),
                         as_scalar(tolerance, "tolerance", positive=True))


# --- a whole network ----------------------------------------------------------------------------------

class ArrayCheck(NamedTuple):
    """One parameter array's gradient check: its name (``"W1"``, ``"b1"``, ...), shape and relative error."""

    name: str
    shape: tuple
    error: float


def check_network_gradients(net, X, y, h=1e-5, entries=None, seed=0) -> list:
    r"""Compare an MLP's backpropagated gradients with centred differences, one weight array at a time.

    For every parameter array :math:`\theta` (``W1, b1, W2, ...``, the text's :math:`W^{[1]}, \mathbf b^{[1]}, \dots`),

    .. math::
        \operatorname{err}(\theta) = \frac{\lVert g - \hat g \rVert_2}{\lVert g \rVert_2 + \lVert \hat g \rVert_2},
        \qquad \hat g_i = \frac{L(\theta + h\mathbf e_i) - L(\theta - h\mathbf e_i)}{2h}

    with :math:`g` from :meth:`nnmath.network.MLP.loss_and_gradients` (no dropout) and :math:`L` from
    :meth:`nnmath.network.MLP.compute_loss`. Costs two loss evaluations per parameter checked: every entry of a
    small network, or, with ``entries``, that many entries of each array drawn at random (a large network's
    check in a fraction of a second). The network's parameters are restored afterwards.

    Parameters
    ----------
    net : MLP
    X, y : a small batch
    h : float, default 1e-5
    entries : int, optional
        Check only this many randomly chosen entries of each array (all of a smaller array).
    seed : int, default 0
        Chooses the entries.

    Returns
    -------
    list of ArrayCheck
    """
    if entries is not None:
        entries = as_int(entries, "entries (per array)", minimum=1)
    _, grads = net.loss_and_gradients(X, y)
    analytic = [g.copy() for g in grads]
    names = [f"{kind}{layer}" for layer in range(1, len(net.W) + 1) for kind in ("W", "b")]
    rng = np.random.default_rng(seed)
    saved = net.get_params()
    results = []
    try:
        for name, param, g in zip(names, net.params, analytic):
            flat = param.reshape(-1)  # a view: writing it moves the network's parameter
            chosen = (np.arange(flat.size) if entries is None or entries >= flat.size
                      else np.sort(rng.choice(flat.size, size=entries, replace=False)))

            def loss_at(values, flat=flat, chosen=chosen):
                flat[chosen] = values
                return net.compute_loss(X, y)

            original = flat[chosen].copy()
            numeric = numerical_gradient(loss_at, original, h)
            flat[chosen] = original
            results.append(ArrayCheck(name, param.shape, relative_error(g.reshape(-1)[chosen], numeric)))
    finally:
        net.set_params(saved)
    return results
