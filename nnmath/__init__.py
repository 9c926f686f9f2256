"""nnmath: the mathematics of neural networks, one tested function per equation.

The package is layered; imports point down only:

* math core: :mod:`nnmath.activations`, :mod:`nnmath.layers`, :mod:`nnmath.linalg`, :mod:`nnmath.gradcheck`
* presentation: :mod:`nnmath.plots`, :mod:`nnmath.widgets`, :mod:`nnmath.exercises`

Importing ``nnmath`` loads only the math core; import the presentation modules when you need them.
"""

from . import activations, gradcheck, layers, linalg
from .activations import (
    ACTIVATIONS,
    elu,
    elu_prime,
    get_activation,
    identity,
    identity_prime,
    leaky_relu,
    leaky_relu_prime,
    log_softmax,
    logsumexp,
    relu,
    relu_prime,
    sigmoid,
    sigmoid_prime,
    softmax,
    softmax_backward,
    softmax_jacobian,
    tanh,
    tanh_prime,
)
from .gradcheck import gradient_check, numerical_gradient, relative_error
from .layers import (
    activation_backward,
    activation_forward,
    count_parameters,
    dense_backward,
    dense_forward,
    dense_forward_loop,
    layer_shapes,
    neuron,
)
from .linalg import compose_affine

__version__ = "0.1.0"

__all__ = [
    "activations", "gradcheck", "layers", "linalg",
    "ACTIVATIONS", "get_activation",
    "identity", "identity_prime", "sigmoid", "sigmoid_prime", "tanh", "tanh_prime",
    "relu", "relu_prime", "leaky_relu", "leaky_relu_prime", "elu", "elu_prime",
    "logsumexp", "softmax", "softmax_backward", "softmax_jacobian", "log_softmax",
    "numerical_gradient", "relative_error", "gradient_check",
    "neuron", "dense_forward", "dense_backward", "dense_forward_loop",
    "activation_forward", "activation_backward", "layer_shapes", "count_parameters",
    "compose_affine",
]
