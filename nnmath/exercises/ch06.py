"""Exercises of chapter 6 (backpropagation)."""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid, sigmoid_backward, softmax, softmax_backward
from ..backprop import Graph
from ..layers import dense_backward
from ..network import MLP
from ._core import Exercise, register


def _sigmoid_inputs(rng):
    shape = (int(rng.integers(1, 5)), int(rng.integers(1, 5)))
    return rng.normal(size=shape), sigmoid(rng.normal(scale=3.0, size=shape))


def _dense_backward_inputs(rng):
    n, d_in, d_out = (int(v) for v in rng.integers(1, 6, size=3))
    return rng.normal(size=(n, d_out)), rng.normal(size=(n, d_in)), rng.normal(size=(d_in, d_out))


def _softmax_backward_inputs(rng):
    n, k = int(rng.integers(1, 6)), int(rng.integers(2, 6))
    return rng.normal(size=(n, k)), softmax(rng.normal(scale=2.0, size=(n, k)))


def _two_layer_inputs(rng):
    n, d_in, d_h, k = int(rng.integers(1, 7)), int(rng.integers(1, 4)), int(rng.integers(1, 6)), int(rng.integers(2, 4))
    return (rng.normal(size=(n, d_in)), rng.integers(0, k, size=n), rng.normal(size=(d_in, d_h)),
            rng.normal(scale=0.1, size=d_h), rng.normal(size=(d_h, k)), rng.normal(scale=0.1, size=k))


def two_layer_gradients(X, y, W1, b1, W2, b2):
    r"""The reference for Exercise 6.4: the gradients of a tanh network with a softmax + cross-entropy output.

    :math:`Z^{[1]} = XW^{[1]} + \mathbf b^{[1]}`, :math:`H = \tanh(Z^{[1]})`,
    :math:`Z^{[2]} = HW^{[2]} + \mathbf b^{[2]}`,
    :math:`L = -\frac1n \sum_i \log \operatorname{softmax}(\mathbf z^{[2]}_i)_{y_i}`,
    computed by :meth:`nnmath.network.MLP.loss_and_gradients`. Returns ``(dW1, db1, dW2, db2)``.
    """
    net = MLP([W1.shape[0], W1.shape[1], W2.shape[1]], activation="tanh", loss="cross_entropy")
    for param, value in zip(net.params, (W1, b1, W2, b2)):
        param[...] = value
    _, grads = net.loss_and_gradients(X, y)
    return tuple(g.copy() for g in grads)


def reverse_mode(tape):
    r"""The reference for the reverse-mode exercise: the gradient of the last node of a tape with respect to every
    node, by :meth:`nnmath.backprop.Graph.backward` on :meth:`nnmath.backprop.Graph.from_tape`.

    A tape is a list of ``(name, parents, local)`` in a topological order (:meth:`nnmath.backprop.Graph.tape`);
    the result lists :math:`\partial v_\text{out}/\partial v` for every node :math:`v`, in the tape's order.
    """
    g = Graph.from_tape(tape)
    output = tape[-1][0]
    g.backward(output)
    return [g.grad(name) or 0.0 for name, _, _ in tape]


def random_expression(rng):
    """A random expression for the reverse-mode exercise: input values, and operations ``(op, a, b)`` on the inputs
    and on earlier results (add, mul, maximum, square, tanh), so that a value often feeds several nodes."""
    n_inputs = int(rng.integers(1, 4))
    names = [f"x{i}" for i in range(n_inputs)]
    ops = []
    for k in range(int(rng.integers(2, 7))):
        a, b = (names[int(i)] for i in rng.integers(0, len(names), size=2))
        ops.append((str(rng.choice(["add", "mul", "maximum", "square", "tanh"])), a, b))
        names.append(f"v{k}")
    return rng.normal(size=n_inputs), ops


def build_expression(inputs, ops) -> Graph:
    """The :class:`nnmath.backprop.Graph` of a :func:`random_expression` at the given input values."""
    g = Graph()
    for i, value in enumerate(inputs):
        g.input(f"x{i}", float(value))
    for k, (op, a, b) in enumerate(ops):
        name = f"v{k}"
        if op == "square":
            g.square(name, a)
        elif op == "tanh":
            g.activation(name, a, "tanh")
        else:
            getattr(g, op)(name, a, b)
    return g


def _random_tape(rng):
    return (build_expression(*random_expression(rng)).tape(),)


def _fixed_tape(build):
    g = Graph()
    build(g)
    return (g.tape(),)


# small, readable edge cases first, so a wrong answer is reported on numbers one can check by hand
_dZ = np.array([[1.0, -1.0], [0.5, 2.0]])
_X = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, -1.0]])
_W = np.array([[1.0, -1.0], [0.0, 2.0], [3.0, 1.0]])

register(Exercise(
    name="sigmoid_backward",
    signature="sigmoid_backward(dA, A)",
    reference=sigmoid_backward,
    make_inputs=_sigmoid_inputs,
    fixed_inputs=((np.array([[1.0, 1.0, 1.0]]), np.array([[0.5, 0.9, 0.1]])),
                  (np.array([[2.0, -1.0]]), np.array([[0.0, 1.0]]))),
))

register(Exercise(
    name="dense_backward",
    signature="dense_backward(dZ, X, W)",
    reference=lambda dZ, X, W: dense_backward(dZ, (X, W)),
    make_inputs=_dense_backward_inputs,
    fixed_inputs=((_dZ, _X, _W),                                                        # n = 2, d_in = 3, d_out = 2
                  (np.array([[2.0]]), np.array([[1.0, 2.0, 3.0]]), np.ones((3, 1)))),   # one sample, one neuron
))

register(Exercise(
    name="softmax_backward",
    signature="softmax_backward(dP, P)",
    reference=softmax_backward,
    make_inputs=_softmax_backward_inputs,
    fixed_inputs=((np.array([[1.0, 0.0, 0.0]]), np.array([[0.5, 0.25, 0.25]])),
                  (np.array([[1.0, 1.0, 1.0]]), np.array([[0.2, 0.3, 0.5]])),          # a constant g: no change
                  (np.array([[-2.0, 0.0], [0.0, -4.0]]), np.array([[0.5, 0.5], [0.75, 0.25]]))),  # two rows
))

register(Exercise(
    name="reverse_mode",
    signature="reverse_mode(tape)",
    reference=reverse_mode,
    make_inputs=_random_tape,
    fixed_inputs=(
        # f = x·x at x = 3: x reaches f along two edges, so its gradient is 3 + 3 = 6, not 3
        _fixed_tape(lambda g: g.mul("f", g.input("x", 3.0), "x")),
        # f = max(x, y) + x·y at (2, 1): x fans out to the max gate and to the product
        _fixed_tape(lambda g: g.add("f", g.maximum("m", g.input("x", 2.0), g.input("y", 1.0)), g.mul("p", "x", "y"))),
    ),
))

register(Exercise(
    name="two_layer_gradients",
    signature="two_layer_gradients(X, y, W1, b1, W2, b2)",
    reference=two_layer_gradients,
    make_inputs=_two_layer_inputs,
    rtol=1e-6, atol=1e-9,
    fixed_inputs=((np.array([[1.0, 0.5]]), np.array([1]), np.array([[0.5, -0.4], [0.3, 0.8]]),
                   np.array([0.1, -0.2]), np.array([[0.9, -0.3], [-0.6, 0.2]]), np.array([0.2, 0.0])),),
))
