r"""Weight initialisation: start the weights at a scale that keeps signals alive through depth (chapters 3, 6).

If every weight starts at zero, every neuron of a layer computes the same thing and gets the same
gradient: they never become different (the symmetry is never broken). So weights start random. Their
*scale* matters too: for a layer :math:`Z = XW` with :math:`d_\text{in}` inputs of unit variance and
independent weights of variance :math:`\operatorname{Var}(w)`,

.. math::
    \operatorname{Var}(z) = d_\text{in}\,\operatorname{Var}(w)\,\operatorname{Var}(x),

so a variance a little too large or too small is multiplied layer after layer and the signal explodes
or vanishes. The two classic rules choose :math:`\operatorname{Var}(w)` to keep it steady:

* **Xavier / Glorot** (Glorot & Bengio, 2010) for activations that are linear around 0 (tanh, sigmoid,
  identity): :math:`\operatorname{Var}(w) = 2 / (d_\text{in} + d_\text{out})`, a compromise between
  keeping the forward signal (:math:`1/d_\text{in}`) and the backward gradient (:math:`1/d_\text{out}`).
* **He / Kaiming** (He et al., 2015) for ReLU, which zeroes half of its inputs and so halves the variance:
  :math:`\operatorname{Var}(w) = 2 / d_\text{in}`.

Biases start at zero: the random weights already break the symmetry.

References: X. Glorot and Y. Bengio, "Understanding the difficulty of training deep feedforward neural
networks", AISTATS 2010. K. He, X. Zhang, S. Ren and J. Sun, "Delving deep into rectifiers: surpassing
human-level performance on ImageNet classification", ICCV 2015.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = [
    "xavier_uniform", "xavier_normal", "he_normal", "he_uniform",
    "INITIALIZERS", "get_initializer", "initializer_for", "as_generator",
]


def as_generator(seed=None) -> np.random.Generator:
    """A ``numpy.random.Generator`` from a seed (int), an existing Generator (used as is), or None (fresh entropy)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool)):
        return np.random.default_rng(seed)
    raise TypeError(f"seed must be an integer, a numpy Generator or None, not {type(seed).__name__}")


def _fans(d_in, d_out):
    for name, d in (("d_in", d_in), ("d_out", d_out)):
        if isinstance(d, bool) or not isinstance(d, numbers.Integral) or d < 1:
            raise ValueError(f"{name} must be a positive integer; got {d!r}")
    return int(d_in), int(d_out)


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
    d_in, d_out = _fans(d_in, d_out)
    limit = math.sqrt(6.0 / (d_in + d_out))
    return as_generator(seed).uniform(-limit, limit, size=(d_in, d_out)).astype(dtype)


def xavier_normal(d_in, d_out, seed=None, dtype=np.float64):
    r"""Xavier/Glorot initialisation with normal weights of the same variance.

    .. math::
        W_{ij} \sim \mathcal N\!\left(0,\ \frac{2}{d_\text{in} + d_\text{out}}\right)

    Returns
    -------
    W : ndarray, shape (d_in, d_out)
    """
    d_in, d_out = _fans(d_in, d_out)
    std = math.sqrt(2.0 / (d_in + d_out))
    return (std * as_generator(seed).standard_normal((d_in, d_out))).astype(dtype)


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
    d_in, d_out = _fans(d_in, d_out)
    std = math.sqrt(2.0 / d_in)
    return (std * as_generator(seed).standard_normal((d_in, d_out))).astype(dtype)


def he_uniform(d_in, d_out, seed=None, dtype=np.float64):
    r"""He/Kaiming initialisation with uniform weights of the same variance.

    .. math::
        W_{ij} \sim \mathcal U\!\left(-\sqrt{\frac{6}{d_\text{in}}},\ \sqrt{\frac{6}{d_\text{in}}}\right),
        \qquad \operatorname{Var}(W_{ij}) = \frac{2}{d_\text{in}}

    Returns
    -------
    W : ndarray, shape (d_in, d_out)
    """
    d_in, d_out = _fans(d_in, d_out)
    limit = math.sqrt(6.0 / d_in)
    return as_generator(seed).uniform(-limit, limit, size=(d_in, d_out)).astype(dtype)


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
    if not isinstance(name, str):
        raise TypeError(f"init must be a name such as 'he' or a function, not {type(name).__name__}")
    try:
        return INITIALIZERS[name.lower()]
    except KeyError:
        known = ", ".join(sorted(INITIALIZERS))
        raise ValueError(f"unknown initialiser {name!r}; choose one of: {known}, or 'auto'") from None


def initializer_for(activation_name: str):
    """The initialiser that suits an activation: He for the ReLU family, Xavier for the others."""
    return he_normal if activation_name in _RELU_FAMILY else xavier_uniform
