r"""Weight initialisation: start the weights at a scale that keeps signals alive through depth (chapters 3, 6).

If every weight starts at zero, every neuron of a layer computes the same thing and gets the same
gradient: they never become different (the symmetry is never broken). So weights start random. Their
*scale* matters too: for a layer :math:`Z = XW` with :math:`d_\text{in}` inputs and independent, centred
weights of variance :math:`\operatorname{Var}(w)`, independent of the inputs (:func:`preactivation_variance`),

.. math::
    \operatorname{Var}(z) = d_\text{in}\,\operatorname{Var}(w)\,\mathbb E[x^2]
    \quad\bigl(= d_\text{in}\,\operatorname{Var}(w)\,\operatorname{Var}(x) \text{ for centred inputs}\bigr),

so a variance a little too large or too small is multiplied layer after layer and the signal explodes
or vanishes. The two classic rules choose :math:`\operatorname{Var}(w)` to keep it steady:

* **Xavier / Glorot** (Glorot & Bengio, 2010) for activations that are linear around 0 (tanh, sigmoid,
  identity): :math:`\operatorname{Var}(w) = 2 / (d_\text{in} + d_\text{out})`, a compromise between
  keeping the forward signal (:math:`1/d_\text{in}`) and the backward gradient (:math:`1/d_\text{out}`).
* **He / Kaiming** (He et al., 2015) for ReLU, which zeroes half of its inputs and so halves the variance:
  :math:`\operatorname{Var}(w) = 2 / d_\text{in}`.

Biases start at zero: the random weights already break the symmetry. :func:`weight_std` gives each rule's
standard deviation: the normal initialisers here and the deep networks of :mod:`nnmath.depth` draw with it,
the uniform ones with the same variance.

References: X. Glorot and Y. Bengio, "Understanding the difficulty of training deep feedforward neural
networks", AISTATS 2010. K. He, X. Zhang, S. Ren and J. Sun, "Delving deep into rectifiers: surpassing
human-level performance on ImageNet classification", ICCV 2015.
"""

from __future__ import annotations

import math

import numpy as np

from ._checks import as_generator, as_int, as_scalar, lookup

__all__ = [
    "preactivation_variance", "weight_std", "WEIGHT_SCALES",
    "xavier_uniform", "xavier_normal", "he_normal", "he_uniform",
    "INITIALIZERS", "get_initializer", "initializer_for",
]

#: The rules of :func:`weight_std` by name.
WEIGHT_SCALES = ("xavier", "he", "standard")


def _fans(d_in, d_out):
    return as_int(d_in, "d_in", minimum=1), as_int(d_out, "d_out", minimum=1)


def _fan(d_in, d_out, rule) -> int:
    # Var(W) = 2 / fan: fan = d_in + d_out for Xavier, d_in for He
    if rule == "xavier":
        return d_in + d_out
    if rule == "he":
        return d_in
    raise ValueError(f"unknown init {rule!r}; choose one of: {', '.join(WEIGHT_SCALES)}")


def preactivation_variance(d_in, var_w, mean_sq_x=1.0) -> float:
    r"""The variance of one pre-activation :math:`z = \sum_{i=1}^{d_\text{in}} w_i x_i` at initialisation.

    With the weights independent of each other and of the inputs, and centred (:math:`\mathbb E[w_i] = 0`),
    every term has mean 0 and variance :math:`\mathbb E[w_i^2 x_i^2] = \operatorname{Var}(w)\,\mathbb E[x_i^2]`,
    and the variances of independent terms add:

    .. math::
        \operatorname{Var}(z) = d_\text{in}\,\operatorname{Var}(w)\,\mathbb E[x^2],

    which is :math:`d_\text{in}\operatorname{Var}(w)\operatorname{Var}(x)` when the inputs are centred. Keeping
    it equal to :math:`\operatorname{Var}(x)` layer after layer gives :math:`\operatorname{Var}(w) = 1/d_\text{in}`;
    after a ReLU, :math:`\mathbb E[a^2] = \tfrac12\operatorname{Var}(z)` for a symmetric :math:`z`, hence He's
    :math:`2/d_\text{in}` (:func:`weight_std`).

    Book: eq-var-z.

    Parameters
    ----------
    d_in : int
        The number of inputs of the layer.
    var_w : float, >= 0
        :math:`\operatorname{Var}(w)`.
    mean_sq_x : float, >= 0, default 1.0
        :math:`\mathbb E[x^2]`, the inputs' second moment (their variance if they are centred).

    Returns
    -------
    float
    """
    d_in = as_int(d_in, "d_in", minimum=1)
    var_w = as_scalar(var_w, "var_w", nonnegative=True)
    mean_sq_x = as_scalar(mean_sq_x, "mean_sq_x", nonnegative=True)
    return d_in * var_w * mean_sq_x


def weight_std(d_in, d_out, init="xavier") -> float:
    r"""The standard deviation of the initial weights of a :math:`d_\text{in} \to d_\text{out}` layer.

    .. math::
        \text{xavier: } \operatorname{sd}(W_{ij}) = \sqrt{\frac{2}{d_\text{in} + d_\text{out}}}
        \quad\text{(Glorot and Bengio, 2010)}, \qquad
        \text{he: } \sqrt{\frac{2}{d_\text{in}}}
        \quad\text{(He et al., 2015)}, \qquad
        \text{standard: } 1

    The normal initialisers draw :math:`\mathcal N(0, \operatorname{sd}^2)`; the uniform ones
    :math:`\mathcal U(-a, a)` with :math:`a = \sqrt 3\,\operatorname{sd}`, the same variance. "standard" (unit
    normal weights, no scaling) is the naive choice that chapter 3 shows exploding.

    Book: eq-xavier-he.

    Parameters
    ----------
    d_in, d_out : int
        Inputs and outputs of the layer (fan-in and fan-out).
    init : {"xavier", "he", "standard"}, default "xavier"

    Returns
    -------
    float
    """
    d_in, d_out = _fans(d_in, d_out)
    if init == "standard":
        return 1.0
    return math.sqrt(2.0 / _fan(d_in, d_out, init))


def _normal(d_in, d_out, rule, seed, dtype):
    # W ~ N(0, sd^2), sd = weight_std(d_in, d_out, rule)
    d_in, d_out = _fans(d_in, d_out)
    return (weight_std(d_in, d_out, rule) * as_generator(seed).standard_normal((d_in, d_out))).astype(dtype)


def _uniform(d_in, d_out, rule, seed, dtype):
    # W ~ U(-a, a) with a = sqrt(3) sd (a uniform on [-a, a] has variance a^2 / 3): sqrt(6 / fan), in one rounding
    d_in, d_out = _fans(d_in, d_out)
    limit = math.sqrt(6.0 / _fan(d_in, d_out, rule))
    return as_generator(seed).uniform(-limit, limit, size=(d_in, d_out)).astype(dtype)


def xavier_uniform(d_in, d_out, seed=None, dtype=np.float64):
    r"""Xavier/Glorot "normalized" initialisation (Glorot & Bengio, 2010, eq. 16): uniform weights.

    .. math::
        W_{ij} \sim \mathcal U\!\left(-\sqrt{\frac{6}{d_\text{in} + d_\text{out}}},\
        \sqrt{\frac{6}{d_\text{in} + d_\text{out}}}\right),
        \qquad \operatorname{Var}(W_{ij}) = \frac{2}{d_\text{in} + d_\text{out}}

    (a uniform on :math:`[-a, a]` has variance :math:`a^2/3`).

    Parameters
    ----------
    d_in, d_out : int
        Inputs and outputs of the layer (fan-in and fan-out).
    seed : int, numpy Generator or None
    dtype : numpy float dtype, default float64

    Returns
    -------
    W : ndarray, shape (d_in, d_out)
    """
    return _uniform(d_in, d_out, "xavier", seed, dtype)


def xavier_normal(d_in, d_out, seed=None, dtype=np.float64):
    r"""Xavier/Glorot initialisation with normal weights of the same variance.

    .. math::
        W_{ij} \sim \mathcal N\!\left(0,\ \frac{2}{d_\text{in} + d_\text{out}}\right)

    Returns
    -------
    W : ndarray, shape (d_in, d_out)
    """
    return _normal(d_in, d_out, "xavier", seed, dtype)


def he_normal(d_in, d_out, seed=None, dtype=np.float64):
    r"""He/Kaiming initialisation for ReLU layers (He et al., 2015, eq. 10): normal weights.

    .. math::
        W_{ij} \sim \mathcal N\!\left(0,\ \frac{2}{d_\text{in}}\right)

    ReLU sets half of its inputs to zero, halving the second moment of the signal; the factor 2 puts
    it back, so the variance of the pre-activations stays the same from layer to layer.

    Returns
    -------
    W : ndarray, shape (d_in, d_out)
    """
    return _normal(d_in, d_out, "he", seed, dtype)


def he_uniform(d_in, d_out, seed=None, dtype=np.float64):
    r"""He/Kaiming initialisation with uniform weights of the same variance.

    .. math::
        W_{ij} \sim \mathcal U\!\left(-\sqrt{\frac{6}{d_\text{in}}},\ \sqrt{\frac{6}{d_\text{in}}}\right),
        \qquad \operatorname{Var}(W_{ij}) = \frac{2}{d_\text{in}}

    Returns
    -------
    W : ndarray, shape (d_in, d_out)
    """
    return _uniform(d_in, d_out, "he", seed, dtype)


#: Initialisers by name: ``"xavier"`` (= ``"glorot"``, ``"xavier_uniform"``), ``"xavier_normal"``,
#: ``"he"`` (= ``"kaiming"``, ``"he_normal"``) and ``"he_uniform"``.
INITIALIZERS = {
    "xavier": xavier_uniform,
    "glorot": xavier_uniform,
    "xavier_uniform": xavier_uniform,
    "xavier_normal": xavier_normal,
    "he": he_normal,
    "kaiming": he_normal,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
}

_RELU_FAMILY = ("relu", "leaky_relu", "elu")


def get_initializer(name):
    """Look up an initialiser by name (``"xavier"``, ``"he"``, ...); a callable is returned unchanged."""
    if callable(name):
        return name
    return lookup(INITIALIZERS, name, "initialiser")


def initializer_for(activation_name: str):
    """The initialiser that suits an activation: He for the ReLU family, Xavier for the others."""
    return he_normal if activation_name in _RELU_FAMILY else xavier_uniform
