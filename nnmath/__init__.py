"""nnmath: the mathematics of neural networks, one tested function per equation.

The package is flat, one module per topic, and layered; imports point down only:

* math core: :mod:`nnmath.activations`, :mod:`nnmath.layers`, :mod:`nnmath.linalg`, :mod:`nnmath.gradcheck`,
  :mod:`nnmath.losses`, :mod:`nnmath.init`, :mod:`nnmath.regularization`, :mod:`nnmath.network`, and the
  chapter modules :mod:`nnmath.surfaces`, :mod:`nnmath.linefit`, :mod:`nnmath.likelihood`,
  :mod:`nnmath.depth`, :mod:`nnmath.approximation`, :mod:`nnmath.backprop`, :mod:`nnmath.momentum`,
  :mod:`nnmath.moments`
* training: :mod:`nnmath.optim`, :mod:`nnmath.schedules`, :mod:`nnmath.descent`, :mod:`nnmath.data`,
  :mod:`nnmath.train`, :mod:`nnmath.race`, :mod:`nnmath.analysis`, :mod:`nnmath.augment`,
  :mod:`nnmath.generalization`
* presentation: :mod:`nnmath.plots`, :mod:`nnmath.widgets`, :mod:`nnmath.exercises`, :mod:`nnmath.floating`

The root holds what the book and a user reach for most: the core's equations, the network, the optimizers,
the training loop and the data sets. Everything else is one hop away in its module
(``nnmath.descent.descend``, ``nnmath.surfaces.SURFACES``, ``nnmath.init.he_normal``, ...).

Importing ``nnmath`` loads only the math core; the other modules (``nnmath.descent``, ``nnmath.plots``, ...)
and the training names (``nnmath.fit``, ``nnmath.Adam``, ...) load on first use.
"""

from . import (
    activations,
    approximation,
    backprop,
    depth,
    gradcheck,
    init,
    layers,
    likelihood,
    linalg,
    linefit,
    losses,
    moments,
    momentum,
    network,
    regularization,
    surfaces,
)
from .activations import (
    elu,
    elu_prime,
    get_activation,
    leaky_relu,
    leaky_relu_prime,
    log_softmax,
    logsumexp,
    relu,
    relu_prime,
    sigmoid,
    sigmoid_backward,
    sigmoid_prime,
    softmax,
    softmax_backward,
    softmax_jacobian,
    tanh,
    tanh_prime,
)
from .gradcheck import check_network_gradients, gradient_check, numerical_gradient, relative_error
from .layers import (
    activation_backward,
    activation_forward,
    count_parameters,
    dense_backward,
    dense_forward,
    dense_forward_loop,
    forward_pass,
    layer_shapes,
    neuron,
    neuron_gradient,
    perceptron,
    signed_distance,
)
from .linalg import (
    angle_between,
    augment_inputs,
    augment_weights,
    best_single_layer_error,
    compose_affine,
    random_layers,
)
from .linefit import regression_surface
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_prime,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_prime,
    categorical_cross_entropy,
    categorical_cross_entropy_prime,
    mae,
    mae_prime,
    mse,
    mse_prime,
    softmax_cross_entropy,
    softmax_cross_entropy_prime,
)
from .network import MLP
from .regularization import (
    EarlyStopping,
    dropout_backward,
    dropout_forward,
    l1_penalty,
    l1_penalty_prime,
    l2_penalty,
    l2_penalty_prime,
)

__version__ = "0.1.0"

__all__ = [
    "activations", "layers", "linalg", "gradcheck", "losses", "init", "regularization", "network",
    "surfaces", "linefit", "likelihood", "depth", "approximation", "backprop", "momentum", "moments",
    "get_activation", "sigmoid", "sigmoid_prime", "sigmoid_backward", "tanh", "tanh_prime",
    "relu", "relu_prime", "leaky_relu", "leaky_relu_prime", "elu", "elu_prime",
    "logsumexp", "softmax", "softmax_backward", "softmax_jacobian", "log_softmax",
    "numerical_gradient", "relative_error", "gradient_check", "check_network_gradients",
    "neuron", "neuron_gradient", "perceptron", "signed_distance",
    "dense_forward", "dense_backward", "dense_forward_loop",
    "activation_forward", "activation_backward", "forward_pass", "layer_shapes", "count_parameters",
    "angle_between", "augment_inputs", "augment_weights", "compose_affine", "random_layers", "best_single_layer_error",
    "mse", "mse_prime", "mae", "mae_prime",
    "binary_cross_entropy", "binary_cross_entropy_prime",
    "binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits_prime",
    "categorical_cross_entropy", "categorical_cross_entropy_prime",
    "softmax_cross_entropy", "softmax_cross_entropy_prime",
    "MLP",
    "l1_penalty", "l1_penalty_prime", "l2_penalty", "l2_penalty_prime",
    "dropout_forward", "dropout_backward", "EarlyStopping",
    "regression_surface",
]

# --- the training layer, loaded on first use (``nnmath.fit``, ``from nnmath import Adam``) -------------
_TRAINING_NAMES = {
    "optim": ["SGD", "Momentum", "Nesterov", "Adagrad", "RMSprop", "Adam", "AdamW"],
    "data": ["make_xor", "make_moons", "make_circles", "make_spirals", "make_linear_regression",
             "train_test_split", "standardize", "one_hot", "load_digits", "load_digits_split",
             "load_mnist", "load_mnist_split"],
    "train": ["fit", "train_step", "evaluate", "accuracy", "confusion_matrix", "History", "Callback",
              "LearningRateSchedule"],
}
_TRAINING_MODULES = ["optim", "schedules", "descent", "data", "train", "race", "analysis", "augment", "generalization"]
# the presentation layer: reachable as attributes (``nnmath.plots``), but no part of ``from nnmath import *``
_PRESENTATION_MODULES = ["plots", "widgets", "exercises", "floating"]

_LAZY = {**{module: module for module in _TRAINING_MODULES + _PRESENTATION_MODULES},
         **{name: module for module, names in _TRAINING_NAMES.items() for name in names}}
__all__ += _TRAINING_MODULES + [name for names in _TRAINING_NAMES.values() for name in names]


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(f"module 'nnmath' has no attribute {name!r}")
    import importlib

    module = importlib.import_module(f".{_LAZY[name]}", __name__)
    return module if name == _LAZY[name] else getattr(module, name)


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
