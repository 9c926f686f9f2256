"""nnmath: the mathematics of neural networks, one tested function per equation.

The package is layered; imports point down only:

* math core: :mod:`nnmath.activations`, :mod:`nnmath.layers`, :mod:`nnmath.linalg`, :mod:`nnmath.gradcheck`,
  :mod:`nnmath.losses`, :mod:`nnmath.init`, :mod:`nnmath.network`, and the chapter helpers
  :mod:`nnmath.depth`, :mod:`nnmath.approximation`, :mod:`nnmath.likelihood`, :mod:`nnmath.linefit`,
  :mod:`nnmath.backprop`
* training: :mod:`nnmath.optim`, :mod:`nnmath.regularization`, :mod:`nnmath.surfaces`, :mod:`nnmath.descent`,
  :mod:`nnmath.data`, :mod:`nnmath.train`, and the optimizer chapter's :mod:`nnmath.momentum`, :mod:`nnmath.moments`,
  :mod:`nnmath.schedules`, :mod:`nnmath.race`
* presentation: :mod:`nnmath.plots`, :mod:`nnmath.widgets`, :mod:`nnmath.exercises`

Importing ``nnmath`` loads only the math core; the training names (``nnmath.fit``, ``nnmath.Adam``, ...)
load on first use; import the presentation modules when you need them.
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
    "activations", "gradcheck", "layers", "linalg", "approximation", "backprop", "depth", "likelihood", "linefit",
    "ACTIVATIONS", "get_activation",
    "identity", "identity_prime", "sigmoid", "sigmoid_prime", "tanh", "tanh_prime",
    "relu", "relu_prime", "leaky_relu", "leaky_relu_prime", "elu", "elu_prime",
    "logsumexp", "softmax", "softmax_backward", "softmax_jacobian", "log_softmax",
    "numerical_gradient", "relative_error", "gradient_check",
    "neuron", "dense_forward", "dense_backward", "dense_forward_loop",
    "activation_forward", "activation_backward", "layer_shapes", "count_parameters",
    "compose_affine",
]

# --- losses, the network and its initialisation (math core) ----------------------------------------
from . import approximation, backprop, depth, init, likelihood, linefit, losses, network  # noqa: E402
from .init import he_normal, he_uniform, xavier_normal, xavier_uniform  # noqa: E402
from .losses import (  # noqa: E402
    LOSSES,
    binary_cross_entropy,
    binary_cross_entropy_prime,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_prime,
    categorical_cross_entropy,
    categorical_cross_entropy_prime,
    get_loss,
    mae,
    mae_prime,
    mse,
    mse_prime,
    softmax_cross_entropy,
    softmax_cross_entropy_prime,
)
from .network import MLP, dropout_backward, dropout_forward  # noqa: E402

__all__ += [
    "init", "losses", "network",
    "xavier_uniform", "xavier_normal", "he_normal", "he_uniform",
    "LOSSES", "get_loss", "mse", "mse_prime", "mae", "mae_prime",
    "binary_cross_entropy", "binary_cross_entropy_prime",
    "binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits_prime",
    "categorical_cross_entropy", "categorical_cross_entropy_prime",
    "softmax_cross_entropy", "softmax_cross_entropy_prime",
    "MLP", "dropout_forward", "dropout_backward",
]

# --- the training layer: optimizers, regularization, surfaces, data, the training loop ------------------
# Imported on first use (``nnmath.fit``, ``from nnmath import Adam``), so ``import nnmath`` stays the core.
_TRAINING_LAYER = {
    "optim": ["SGD", "Momentum", "Nesterov", "Adagrad", "RMSprop", "Adam", "AdamW", "make_optimizer"],
    "regularization": ["l1_penalty", "l1_penalty_prime", "l2_penalty", "l2_penalty_prime", "EarlyStopping"],
    "surfaces": ["SURFACES", "get_surface", "descend", "regression_surface", "regression_descent"],
    "data": ["make_xor", "make_moons", "make_circles", "make_spirals", "make_linear_regression",
             "train_test_split", "standardize", "one_hot", "load_digits", "load_digits_split"],
    "train": ["fit", "train_step", "evaluate", "accuracy", "confusion_matrix", "History", "Callback"],
}
_LAZY = {**{module: module for module in _TRAINING_LAYER},
         **{name: module for module, names in _TRAINING_LAYER.items() for name in names}}
__all__ += list(_LAZY)


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(f"module 'nnmath' has no attribute {name!r}")
    import importlib

    module = importlib.import_module(f".{_LAZY[name]}", __name__)
    return module if name == _LAZY[name] else getattr(module, name)


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
