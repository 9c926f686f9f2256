r"""Numerical gradients by centred differences: the referee for every backward pass in the book.

For a scalar function :math:`f` of an array :math:`\mathbf x`, each partial derivative is
estimated by nudging one entry up and down by :math:`h`:

.. math::
    \frac{\partial f}{\partial x_i} \approx \frac{f(\mathbf x + h\mathbf e_i) - f(\mathbf x - h\mathbf e_i)}{2h}

The error of this estimate is :math:`O(h^2)` (the one-sided difference is only :math:`O(h)`), and in
float64 with :math:`h = 10^{-5}` a correct analytic gradient typically agrees to a relative error
below :math:`10^{-8}`. Both the tests and the chapters call these functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._checks import as_array, as_scalar

__all__ = ["numerical_gradient", "relative_error", "gradient_check", "GradientCheck"]


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
    a = as_array(a, "a").astype(np.float64)
    b = as_array(b, "b").astype(np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape (a: {a.shape}, b: {b.shape})")
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
    if analytic.shape != x.shape:
        raise ValueError(f"the gradient must have the shape of x (gradient: {analytic.shape}, x: {x.shape})")
    numeric = numerical_gradient(f, x, h)
    return GradientCheck(analytic, numeric, relative_error(analytic, numeric),
                         as_scalar(tolerance, "tolerance", positive=True))
