r"""Activation functions and their derivatives (chapters 1 and 3).

Every element-wise activation :math:`f` comes with its derivative ``f_prime``, both taking the
pre-activation :math:`z` and returning an array of the same shape. For the sigmoid the backward step can
reuse the forward pass's output, :math:`\sigma' = \sigma(1 - \sigma)` (:func:`sigmoid_backward`). Softmax is
not element-wise: it acts on the last axis, and its backward step is a Jacobian-vector product
(:func:`softmax_backward`).

All functions are stable for any finite input: no overflow warning, no NaN. Where the textbook
formula would overflow, the code computes an algebraically equal form that cannot; a comment says which.

**Non-finite input.** The element-wise functions follow IEEE arithmetic, as numpy does: NaN in gives NaN out (in
the derivatives too), and :math:`\pm\infty` gives the function's limit (:math:`\sigma(\infty) = 1`,
:math:`\operatorname{ReLU}(-\infty) = 0`). Functions that reduce over an axis (softmax, log-sum-exp) and every
loss refuse NaN and infinite input with a ValueError naming the array: a NaN there would spread to a whole row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ._checks import as_array, as_pair, as_scalar, lookup

__all__ = [
    "identity", "identity_prime",
    "sigmoid", "sigmoid_prime", "sigmoid_backward",
    "tanh", "tanh_prime",
    "relu", "relu_prime",
    "leaky_relu", "leaky_relu_prime",
    "elu", "elu_prime",
    "logsumexp", "softmax", "softmax_backward", "softmax_jacobian", "log_softmax",
    "Activation", "ACTIVATIONS", "get_activation",
]


# --- identity ---------------------------------------------------------------------------------

def identity(z):
    r"""The identity (a "linear" unit): :math:`f(z) = z`.

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    ndarray, same shape as ``z``
    """
    return as_array(z, "z").copy()


def identity_prime(z):
    r"""Derivative of the identity: :math:`f'(z) = 1`."""
    z = as_array(z, "z")
    return np.where(np.isnan(z), z, 1.0).astype(z.dtype, copy=False)  # 1, but NaN stays NaN


# --- sigmoid ----------------------------------------------------------------------------------

def sigmoid(z):
    r"""Logistic sigmoid, squashing any real number into :math:`(0, 1)`.

    .. math::
        \sigma(z) = \frac{1}{1 + e^{-z}}

    Book: eq-sigmoid.

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    ndarray, same shape as ``z``, values in :math:`[0, 1]` (exactly 0 or 1 only where
    floating point cannot tell :math:`\sigma(z)` from its limit).
    """
    z = as_array(z, "z")
    # e^{-|z|} never overflows; for z < 0 use the equal form e^z / (1 + e^z).
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(z):
    r"""Derivative of the sigmoid.

    .. math::
        \sigma'(z) = \sigma(z)\,\bigl(1 - \sigma(z)\bigr) = \frac{e^{-|z|}}{\bigl(1 + e^{-|z|}\bigr)^2}

    Its largest value is :math:`\sigma'(0) = 1/4`; it tends to 0 as :math:`|z|` grows (saturation), and stays
    positive until :math:`e^{-|z|}` underflows (:math:`|z| > 745`). The second form is computed: it is exact for
    large :math:`|z|`, where :math:`1 - \sigma(z)` rounds to 0 (from :math:`z \approx 37`) and the product form
    loses its digits (5.6% off at :math:`z = 35`). A backward pass that kept :math:`a = \sigma(z)` uses the first
    form (:func:`sigmoid_backward`).

    Book: eq-sigmoid-prime.

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    ndarray, same shape as ``z``
    """
    z = as_array(z, "z")
    e = np.exp(-np.abs(z))  # e^{-|z|} <= 1: no overflow; symmetric, since sigma'(-z) = sigma'(z)
    return e / ((1.0 + e) * (1.0 + e))


def _sigmoid_prime_of_output(a):
    return a * (1.0 - a)  # sigma'(z) = sigma(z) (1 - sigma(z)), from the output a = sigma(z)


def sigmoid_backward(dA, A):
    r"""The backward step through a sigmoid layer, from its cached output :math:`A = \sigma(Z)`.

    .. math::
        \frac{\partial L}{\partial Z} = \frac{\partial L}{\partial A} \odot \sigma'(Z)
        = \frac{\partial L}{\partial A} \odot A \odot (1 - A)

    Using the output means the backward pass never evaluates :math:`\sigma` again
    (:class:`nnmath.network.MLP` does the same, through ``ACTIVATIONS["sigmoid"].prime_from_output``).

    Book: eq-sigmoid-prime.

    Parameters
    ----------
    dA : array_like, any shape
    A : array_like, the same shape, entries in :math:`[0, 1]`

    Returns
    -------
    ndarray, the shape of ``A``
    """
    dA, A = as_pair(dA, A, "dA", "A")
    return dA * _sigmoid_prime_of_output(A)


# --- tanh ---------------------------------------------------------------------------------------

def tanh(z):
    r"""Hyperbolic tangent, squashing into :math:`(-1, 1)`; a shifted, stretched sigmoid.

    .. math::
        \tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}} = 2\,\sigma(2z) - 1

    Book: eq-tanh.

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    ndarray, same shape as ``z``
    """
    return np.tanh(as_array(z, "z"))  # numpy's tanh is stable for every finite z


def tanh_prime(z):
    r"""Derivative of tanh.

    .. math::
        \tanh'(z) = 1 - \tanh^2(z) = 4\sigma'(2z) = \frac{4 e^{-2|z|}}{\bigl(1 + e^{-2|z|}\bigr)^2}

    Its largest value is :math:`\tanh'(0) = 1`. The last form is computed: for :math:`|z| \gtrsim 19`,
    :math:`\tanh(z)` rounds to :math:`\pm 1` and :math:`1 - \tanh^2` to exactly 0, while the true slope is
    still positive. A backward pass that kept :math:`a = \tanh(z)` uses the first form.

    Book: eq-tanh-prime.
    """
    z = as_array(z, "z")
    e = np.exp(-2.0 * np.abs(z))  # e^{-2|z|} <= 1: no overflow
    return 4.0 * e / ((1.0 + e) * (1.0 + e))


def _tanh_prime_of_output(a):
    return 1.0 - a * a  # tanh'(z) = 1 - tanh(z)^2, from the output a = tanh(z)


# --- ReLU ---------------------------------------------------------------------------------------

def relu(z):
    r"""Rectified linear unit.

    .. math::
        \operatorname{ReLU}(z) = \max(0, z)

    Book: eq-relu.

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    ndarray, same shape as ``z``
    """
    z = as_array(z, "z")
    return np.maximum(z, 0.0)


def relu_prime(z):
    r"""Derivative of ReLU.

    .. math::
        \operatorname{ReLU}'(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}

    ReLU has no derivative at :math:`z = 0`; like most libraries we use the value 0 there
    (any number in :math:`[0, 1]` is a valid subgradient).

    Book: eq-relu.
    """
    z = as_array(z, "z")
    return np.heaviside(z, 0.0).astype(z.dtype, copy=False)  # 1 for z > 0, 0 for z <= 0, NaN stays NaN


# --- Leaky ReLU ---------------------------------------------------------------------------------

def leaky_relu(z, alpha=0.01):
    r"""Leaky ReLU: a small slope :math:`\alpha` for negative inputs, so the unit never goes silent.

    .. math::
        f(z) = \begin{cases} z & z > 0 \\ \alpha z & z \le 0 \end{cases}

    Book: eq-leaky-relu.

    Parameters
    ----------
    z : array_like, any shape
    alpha : float, default 0.01
        Slope for :math:`z \le 0` (Maas et al., 2013 used 0.01).
    """
    z = as_array(z, "z")
    alpha = as_scalar(alpha, "alpha", nonnegative=True)
    return np.where(z > 0, z, alpha * z)


def leaky_relu_prime(z, alpha=0.01):
    r"""Derivative of Leaky ReLU (value :math:`\alpha` chosen at :math:`z = 0`).

    .. math::
        f'(z) = \begin{cases} 1 & z > 0 \\ \alpha & z \le 0 \end{cases}

    Book: eq-leaky-relu.
    """
    z = as_array(z, "z")
    alpha = as_scalar(alpha, "alpha", nonnegative=True)
    return (alpha + (1.0 - alpha) * np.heaviside(z, 0.0)).astype(z.dtype, copy=False)  # NaN stays NaN


# --- ELU ----------------------------------------------------------------------------------------

def elu(z, alpha=1.0):
    r"""Exponential linear unit (Clevert et al., 2016): smooth, and negative outputs down to :math:`-\alpha`.

    .. math::
        f(z) = \begin{cases} z & z > 0 \\ \alpha\,(e^{z} - 1) & z \le 0 \end{cases}

    Book: eq-elu.

    Parameters
    ----------
    z : array_like, any shape
    alpha : float, default 1.0
    """
    z = as_array(z, "z")
    alpha = as_scalar(alpha, "alpha", nonnegative=True)
    # exp only of min(z, 0): no overflow for large positive z; expm1 keeps precision near 0.
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def elu_prime(z, alpha=1.0):
    r"""Derivative of ELU.

    .. math::
        f'(z) = \begin{cases} 1 & z > 0 \\ \alpha\, e^{z} = f(z) + \alpha & z \le 0 \end{cases}

    Book: eq-elu-prime.
    """
    z = as_array(z, "z")
    alpha = as_scalar(alpha, "alpha", nonnegative=True)
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0))).astype(z.dtype)


# --- softmax family -----------------------------------------------------------------------------

def logsumexp(z, axis=-1, keepdims=False):
    r"""Log of a sum of exponentials, computed without overflow.

    .. math::
        \operatorname{LSE}(\mathbf z) = \log \sum_j e^{z_j} = z_{\max} + \log \sum_j e^{z_j - z_{\max}},
        \qquad z_{\max} = \max_j z_j

    Book: eq-logsumexp.

    Parameters
    ----------
    z : array_like, shape (..., k)
    axis : int, default -1
    keepdims : bool, default False
    """
    z = as_array(z, "z", min_ndim=1, finite=True)
    z_max = np.max(z, axis=axis, keepdims=True)
    # after the shift the largest exponent is e^0 = 1: nothing overflows, and the sum is >= 1.
    out = z_max + np.log(np.sum(np.exp(_shifted(z, z_max)), axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


def _shifted(z, z_max):
    """``z - z_max`` for the row maxima ``z_max``: every entry <= 0. An entry more than the largest float (about
    1.8e308) below its row's maximum overflows to -inf, whose exponential is exactly 0, as it should be."""
    with np.errstate(over="ignore"):
        return z - z_max


def softmax(z, axis=-1):
    r"""Softmax: turns a vector of scores (logits) into a probability distribution.

    .. math::
        \operatorname{softmax}(\mathbf z)_c = \frac{e^{z_c}}{\sum_{j=0}^{k-1} e^{z_j}}
        = \frac{e^{z_c - z_{\max}}}{\sum_{j} e^{z_j - z_{\max}}}, \qquad z_{\max} = \max_j z_j

    for the classes :math:`c = 0, \dots, k-1`. The two forms are equal (multiply top and bottom by
    :math:`e^{-z_{\max}}`); the second cannot overflow.

    Book: eq-softmax, eq-softmax-shift.

    Parameters
    ----------
    z : array_like, shape (k,) or (n, k)
        One row of logits per sample (batch first).
    axis : int, default -1

    Returns
    -------
    ndarray, same shape as ``z``; entries in :math:`[0, 1]`, summing to 1 along ``axis``.
    """
    z = as_array(z, "z", min_ndim=1, finite=True)
    e = np.exp(_shifted(z, np.max(z, axis=axis, keepdims=True)))  # max-shift: every exponent <= 0
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_jacobian(z):
    r"""The Jacobian of softmax for one vector of logits.

    .. math::
        \frac{\partial p_c}{\partial z_j} = p_c\,(\mathbb 1[c = j] - p_j),
        \qquad J = \operatorname{diag}(\mathbf p) - \mathbf p\,\mathbf p^\top

    (:math:`\mathbb 1[c = j]` is 1 if :math:`c = j` and 0 otherwise).

    Book: eq-softmax-jacobian.

    Parameters
    ----------
    z : array_like, shape (k,)

    Returns
    -------
    ndarray, shape (k, k)
    """
    z = as_array(z, "z", ndim=1)
    p = softmax(z)
    return np.diag(p) - np.outer(p, p)


def softmax_backward(dA, A):
    r"""Backward step through softmax: the vector-Jacobian product, one row per sample.

    Given :math:`\mathbf p = \operatorname{softmax}(\mathbf z)` and the upstream gradient
    :math:`\partial L / \partial \mathbf p`,

    .. math::
        \frac{\partial L}{\partial \mathbf z} = J^\top \frac{\partial L}{\partial \mathbf p}
        = \mathbf p \odot \Bigl(\frac{\partial L}{\partial \mathbf p}
        - \Bigl(\frac{\partial L}{\partial \mathbf p} \cdot \mathbf p\Bigr)\mathbf 1\Bigr)

    which costs :math:`O(k)` per row instead of building the :math:`k \times k` Jacobian.

    Book: eq-softmax-jacobian.

    Parameters
    ----------
    dA : array_like, shape (n, k) or (k,)
        Upstream gradient :math:`\partial L / \partial \mathbf p`.
    A : array_like, same shape
        The softmax output :math:`\mathbf p` saved by the forward pass.

    Returns
    -------
    ndarray, same shape: :math:`\partial L / \partial \mathbf z`.
    """
    dA, A = as_pair(dA, A, "dA", "A")
    return A * (dA - np.sum(dA * A, axis=-1, keepdims=True))


def log_softmax(z, axis=-1):
    r"""Log of softmax, computed directly so that tiny probabilities do not become :math:`\log 0`.

    .. math::
        \log \operatorname{softmax}(\mathbf z)_c = z_c - \operatorname{LSE}(\mathbf z)

    Book: eq-logsumexp.

    Parameters
    ----------
    z : array_like, shape (k,) or (n, k)

    Returns
    -------
    ndarray, same shape as ``z``; every entry :math:`\le 0`, and finite unless the exact value is below
    the most negative float (an entry about 1.8e308 below its row's maximum gives :math:`-\infty`).
    """
    z = as_array(z, "z", min_ndim=1, finite=True)
    with np.errstate(over="ignore"):  # as in _shifted: beyond float64's range the exact value is -inf
        return z - logsumexp(z, axis=axis, keepdims=True)


# --- a registry, so layers and widgets can name an activation ---------------------------------

class Activation(NamedTuple):
    r"""An element-wise activation: its name, the function, its derivative and its formula.

    ``prime_from_output``, where there is one, gives :math:`f'(z)` from the output :math:`a = f(z)` alone
    (:math:`\sigma' = a(1 - a)`, :math:`\tanh' = 1 - a^2`), unchecked: a backward pass that cached the output
    calls it on its own arrays and never evaluates :math:`f` again. None for the others.
    """

    name: str
    f: Callable
    f_prime: Callable
    latex: str
    prime_from_output: Callable | None = None


#: Every element-wise activation by name: ``ACTIVATIONS["relu"].f_prime(z)``.
ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("identity", identity, identity_prime, r"f(z) = z"),
        Activation("sigmoid", sigmoid, sigmoid_prime, r"\sigma(z) = \frac{1}{1 + e^{-z}}",
                   _sigmoid_prime_of_output),
        Activation("tanh", tanh, tanh_prime, r"\tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}",
                   _tanh_prime_of_output),
        Activation("relu", relu, relu_prime, r"\mathrm{ReLU}(z) = \max(0, z)"),
        Activation("leaky_relu", leaky_relu, leaky_relu_prime, r"f(z) = \max(\alpha z, z),\ \alpha = 0.01"),
        Activation("elu", elu, elu_prime, r"f(z) = z \text{ if } z > 0 \text{ else } e^{z} - 1"),
    )
}


def get_activation(name) -> Activation:
    """Look up an element-wise activation by name (``"sigmoid"``, ``"relu"``, ...); an :class:`Activation` passes.

    Raises
    ------
    ValueError
        If the name is unknown; the message lists the known names.
    """
    return lookup(ACTIVATIONS, name, "activation", accept=Activation)
