"""Neuron and dense layer: forward values, backward against centred differences, shapes and errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnmath import layers as L
from nnmath.activations import sigmoid
from nnmath.gradcheck import gradient_check


def test_neuron_worked_example():
    # z = 0.5*1 + (-0.25)*2 + 0.1 = 0.1 ; a = sigmoid(0.1)
    a = L.neuron([1.0, 2.0], [0.5, -0.25], 0.1)
    assert a == pytest.approx(1 / (1 + np.exp(-0.1)))
    assert isinstance(a, float)
    batch = L.neuron([[1.0, 2.0], [0.0, 0.0]], [0.5, -0.25], 0.1, activation="relu")
    np.testing.assert_allclose(batch, [0.1, 0.1])


def test_dense_forward_by_hand():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    W = np.array([[1.0, 0.0, -1.0], [0.5, 2.0, 1.0]])
    b = np.array([0.0, 1.0, -1.0])
    Z, _ = L.dense_forward(X, W, b)
    # row 1: [1 + 1, 0 + 4 + 1, -1 + 2 - 1]; row 2: [3 + 2, 0 + 8 + 1, -3 + 4 - 1]
    np.testing.assert_allclose(Z, [[2.0, 5.0, 0.0], [5.0, 9.0, 0.0]])
    np.testing.assert_allclose(L.dense_forward_loop(X, W, b), Z)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5), st.integers(0, 2**32 - 1))
def test_dense_backward_matches_centred_differences(n, d_in, d_out, seed):
    rng = np.random.default_rng(seed)
    X, W, b = rng.normal(size=(n, d_in)), rng.normal(size=(d_in, d_out)), rng.normal(size=d_out)
    G = rng.normal(size=(n, d_out))  # upstream gradient: L = sum(G * Z)
    _, cache = L.dense_forward(X, W, b)
    dX, dW, db = L.dense_backward(G, cache)
    assert gradient_check(lambda v: np.sum(G * L.dense_forward(v, W, b)[0]), dX, X).error < 1e-7
    assert gradient_check(lambda v: np.sum(G * L.dense_forward(X, v, b)[0]), dW, W).error < 1e-7
    assert gradient_check(lambda v: np.sum(G * L.dense_forward(X, W, v)[0]), db, b).error < 1e-7


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "identity"])
def test_dense_then_activation_backward(name, rng):
    X, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    G = rng.normal(size=(4, 2))

    def loss(Wv):
        Z, _ = L.dense_forward(X, Wv, b)
        return np.sum(G * L.activation_forward(Z, name)[0])

    Z, dcache = L.dense_forward(X, W, b)
    _, acache = L.activation_forward(Z, name)
    _, dW, _ = L.dense_backward(L.activation_backward(G, acache), dcache)
    assert gradient_check(loss, dW, W).error < 1e-7


def test_layer_equals_many_neurons(rng):
    x, W, b = rng.normal(size=4), rng.normal(size=(4, 3)), rng.normal(size=3)
    Z, _ = L.dense_forward(x[None, :], W, b)
    for j in range(3):
        assert sigmoid(Z[0, j]) == pytest.approx(L.neuron(x, W[:, j], b[j]))


def test_parameter_count():
    assert L.count_parameters([2, 3, 1]) == (2 + 1) * 3 + (3 + 1) * 1 == 13
    assert L.count_parameters([784, 128, 10]) == 785 * 128 + 129 * 10 == 101_770
    assert L.layer_shapes([2, 3, 1]) == [((2, 3), (3,)), ((3, 1), (1,))]


def test_float32_stays_float32():
    X = np.ones((2, 3), dtype=np.float32)
    W = np.ones((3, 4), dtype=np.float32)
    b = np.zeros(4, dtype=np.float32)
    Z, cache = L.dense_forward(X, W, b)
    assert Z.dtype == np.float32
    assert all(g.dtype == np.float32 for g in L.dense_backward(Z, cache))


def test_bad_shapes_are_named():
    with pytest.raises(ValueError, match=r"X has 3 features but W expects 2 \(X: \(5, 3\), W: \(2, 4\)\)"):
        L.dense_forward(np.ones((5, 3)), np.ones((2, 4)), np.ones(4))
    with pytest.raises(ValueError, match=r"b has 3 entries but W has 4 output columns"):
        L.dense_forward(np.ones((5, 2)), np.ones((2, 4)), np.ones(3))
    with pytest.raises(ValueError, match=r"X must be 2-D; got shape \(3,\)"):
        L.dense_forward(np.ones(3), np.ones((3, 4)), np.ones(4))
    with pytest.raises(ValueError, match=r"dZ must have shape \(5, 4\)"):
        L.dense_backward(np.ones((5, 3)), (np.ones((5, 2)), np.ones((2, 4))))
    with pytest.raises(ValueError, match=r"x has 3 features but w has 2 weights"):
        L.neuron([1.0, 2.0, 3.0], [1.0, 2.0], 0.0)
    with pytest.raises(TypeError, match="b must be a real number"):
        L.neuron([1.0], [1.0], "0")
    with pytest.raises(ValueError, match="b must be finite"):
        L.neuron([1.0], [1.0], float("nan"))
    with pytest.raises(ValueError, match="at least an input and an output layer"):
        L.count_parameters([3])
    with pytest.raises(ValueError, match="layer size 1 must be a positive integer; got 0"):
        L.count_parameters([3, 0, 1])
    with pytest.raises(TypeError, match=r"layer size 0 must be a positive integer; got 2.5 \(float\)"):
        L.count_parameters([2.5, 1])
    with pytest.raises(TypeError, match="list of integers"):
        L.count_parameters("2,3")
    with pytest.raises(ValueError, match="not a rectangular array"):
        L.dense_forward([[1.0, 2.0], [3.0]], np.ones((2, 1)), np.ones(1))
