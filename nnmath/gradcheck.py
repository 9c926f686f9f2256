r"""Numerical gradients by centred differences: the referee for every backward pass in the book.

For a scalar function :math:`f` of an array :math:`\mathbf x`, each partial derivative is
estimated by nudging one entry up and down by :math:`h`:

.. math::
    \frac{\partial f}{\partial x_i} \approx \frac{f(\mathbf x + h\mathbf e_i) - f(\mathbf x - h\mathbf e_i)}{2h}

The error of this estimate is :math:`O(h^2)` (the one-sided difference is only :math:`O(h)`). One scale grades
the relative error between an analytic gradient and the estimate, in float64 with :math:`h = 10^{-5}`
(:data:`GRADES`, :func:`grade`):

* :math:`\le 10^{-7}`, **good**: the gradients agree to the accuracy of the differences;
* :math:`10^{-7}` to :math:`10^{-4}`, **kink**: right only if a kink (ReLU at 0, a max, :math:`|x|`) lies within
  :math:`h` of the point, where the difference averages the slopes on its two sides;
* :math:`10^{-4}` to :math:`10^{-2}`, **doubtful**: probably a bug; check again at other points;
* :math:`> 10^{-2}`, **wrong**: a bug, unless the point sits exactly on kinks.

A smooth function (tanh, sigmoid, softmax) gives "good" when its gradient is right, typically
:math:`10^{-13}` to :math:`10^{-8}` (the rounding of the two loss values); a kink within :math:`h` gives a larger
error that has nothing to do with the backward pass, so check away from kinks. Both the tests and the chapters
call these functions:

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

__all__ = ["numerical_gradient", "relative_error", "GOOD", "KINK", "BUG", "GRADES", "grade",
           "gradient_check", "GradientCheck", "check_network_gradients", "ArrayCheck"]

#: Relative errors up to this mean "the gradient is right" (float64, h = 1e-5, a smooth function).
GOOD = 1e-7
#: Up to this, a right gradient is still possible if a kink lies within h of the point.
KINK = 1e-4
#: Above this, the analytic gradient is wrong (unless the point sits exactly on kinks).
BUG = 1e-2
#: The grades of a relative error, as (upper bound, grade, meaning), from the best.
GRADES = (
    (GOOD, "good", "the gradients agree to the accuracy of the differences"),
    (KINK, "kink", "right only if a kink (ReLU at 0, max, |x|) lies within h of the point"),
    (BUG, "doubtful", "probably a bug: check again at other points"),
    (float("inf"), "wrong", "a bug, unless the point sits exactly on kinks"),
)


def numerical_gradient(f: Callable[[np.ndarray], float], x, h: float = 1e-5) -> np.ndarray:
    r"""Centred-difference estimate of :math:`\nabla f(\mathbf x)`, one entry at a time, in float64.

    .. math::
        \hat g_i = \frac{f(\mathbf x + h\mathbf e_i) - f(\mathbf x - h\mathbf e_i)}{2h}

    Book: eq-centred-difference.

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

    0 means identical; :func:`grade` says what a value means for a gradient check.

    Book: eq-relative-error.
    """
    a, b = as_pair(a, b, "a", "b")
    a, b = a.astype(np.float64), b.astype(np.float64)
    denom = max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300)
    return float(np.linalg.norm(a - b) / denom)


def grade(error) -> str:
    r"""The grade of a gradient check's relative error: ``"good"`` (:math:`\le 10^{-7}`), ``"kink"``
    (:math:`\le 10^{-4}`), ``"doubtful"`` (:math:`\le 10^{-2}`) or ``"wrong"`` (see :data:`GRADES`)."""
    error = as_scalar(error, "error", nonnegative=True)
    return next(name for bound, name, _ in GRADES if error <= bound)


@dataclass(frozen=True)
class GradientCheck:
    """Result of :func:`gradient_check`: both gradients, their relative error and the verdict."""

    analytic: np.ndarray
    numeric: np.ndarray
    error: float
    tolerance: float

    @property
    def ok(self) -> bool:
        """Whether the relative error is within the tolerance (:data:`GOOD`, or :data:`KINK` with ``kinks=True``)."""
        return self.error <= self.tolerance

    @property
    def grade(self) -> str:
        """The error's grade on the one scale: ``"good"``, ``"kink"``, ``"doubtful"`` or ``"wrong"``."""
        return grade(self.error)

    def __str__(self) -> str:
        verdict = "agree" if self.ok else "DISAGREE"
        return (f"gradients {verdict}: relative error {self.error:.1e}, {self.grade} "
                f"(tolerance {self.tolerance:.0e})")

    def __repr__(self) -> str:
        return f"GradientCheck(error={self.error:.2e}, grade={self.grade!r}, ok={self.ok})"


def gradient_check(f, grad, x, h: float = 1e-5, tolerance: float | None = None, kinks: bool = False) -> GradientCheck:
    r"""Compare an analytic gradient with the centred-difference estimate at ``x``.

    Parameters
    ----------
    f : callable
        Scalar function of an array shaped like ``x``.
    grad : callable or array_like
        Either a function returning :math:`\nabla f(\mathbf x)`, or the gradient already computed.
    x : array_like
    h : float, default 1e-5
    tolerance : float, optional
        Largest relative error accepted as agreement: :data:`GOOD` (:math:`10^{-7}`) by default, :data:`KINK`
        (:math:`10^{-4}`) with ``kinks=True``.
    kinks : bool, default False
        The function has kinks (ReLU, max, absolute values) that may lie within ``h`` of ``x``: accept errors up
        to :data:`KINK`.

    Returns
    -------
    GradientCheck
        ``.error`` is :func:`relative_error` of the two, ``.grade`` its grade, ``.ok`` whether it is within the
        tolerance.
    """
    x = as_array(x, "x", finite=True).astype(np.float64)
    analytic = as_array(grad(x.copy()) if callable(grad) else grad, "grad").astype(np.float64)
    same_shape(analytic, x, "the gradient", "x")
    numeric = numerical_gradient(f, x, h)
    if tolerance is None:
        tolerance = KINK if kinks else GOOD
    return GradientCheck(analytic, numeric, relative_error(analytic, numeric),
                         as_scalar(tolerance, "tolerance", positive=True))


# --- a whole network ----------------------------------------------------------------------------------

class ArrayCheck(NamedTuple):
    """One parameter array's gradient check: its name (``"W1"``, ``"b1"``, ...), shape and relative error."""

    name: str
    shape: tuple
    error: float

    @property
    def grade(self) -> str:
        """The error's grade (:func:`grade`): ``"good"``, ``"kink"``, ``"doubtful"`` or ``"wrong"``."""
        return grade(self.error)


def check_network_gradients(net, X, y, h=1e-5, entries=None, seed=0) -> list:
    r"""Compare an MLP's backpropagated gradients with centred differences, one weight array at a time.

    For every parameter array :math:`\theta` (``W1, b1, W2, ...``, the text's :math:`W^{[1]}, \mathbf b^{[1]}, \dots`),

    .. math::
        \operatorname{err}(\theta) = \frac{\lVert g - \hat g \rVert_2}{\lVert g \rVert_2 + \lVert \hat g \rVert_2},
        \qquad \hat g_i = \frac{L(\theta + h\mathbf e_i) - L(\theta - h\mathbf e_i)}{2h}

    with :math:`g` from :meth:`nnmath.network.MLP.loss_and_gradients` (no dropout) and :math:`L` from
    :meth:`nnmath.network.MLP.compute_loss`. Costs two loss evaluations per parameter checked: every entry of a
    small network, or, with ``entries``, that many entries of each array drawn at random (a large network's
    check in a fraction of a second). The network's parameters are restored afterwards. Each result's ``.grade``
    reads the error on the scale of :data:`GRADES`; with ReLU units, a sample whose pre-activation lies within
    reach of 0 makes the differences (not the backward pass) inexact.

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
