"""Chapter 2's linear algebra: the bias trick, stacked affine layers collapse to one (with a ReLU between they do
not), random layers, the best single layer by least squares, and the rank bound."""

import numpy as np
import pytest

import nnmath as nm
from nnmath.activations import relu
from nnmath.layers import dense_forward, forward_pass
from nnmath.linalg import (
    angle_between,
    augment_inputs,
    augment_weights,
    best_single_layer_error,
    compose_affine,
    fit_single_layer,
    random_layers,
)


def test_two_layers_by_hand():
    W1, b1 = np.array([[1.0, 2.0]]), np.array([1.0, -1.0])
    W2, b2 = np.array([[3.0], [4.0]]), np.array([0.5])
    W, b = compose_affine([(W1, b1), (W2, b2)])
    # W = W1 W2 = [[1*3 + 2*4]] = [[11]];  b = b1 W2 + b2 = [1*3 - 1*4 + 0.5] = [-0.5]
    np.testing.assert_allclose(W, [[11.0]])
    np.testing.assert_allclose(b, [-0.5])


def test_stack_equals_single_layer(rng):
    sizes = [3, 5, 4, 2]
    layers = [(rng.normal(size=(a, c)), rng.normal(size=c)) for a, c in zip(sizes[:-1], sizes[1:])]
    X = rng.normal(size=(7, 3))
    out = X
    for W, b in layers:
        out = dense_forward(out, W, b)[0]
    W, b = compose_affine(layers)
    np.testing.assert_allclose(dense_forward(X, W, b)[0], out, rtol=1e-12, atol=1e-12)
    relu_out = X
    for Wi, bi in layers:
        relu_out = relu(dense_forward(relu_out, Wi, bi)[0])
    assert not np.allclose(relu(dense_forward(X, W, b)[0]), relu_out)


def test_bad_input():
    with pytest.raises(ValueError, match="at least one"):
        compose_affine([])
    with pytest.raises(ValueError, match=r"layer 2 expects 3 inputs but layer 1 gives 2"):
        compose_affine([(np.ones((2, 2)), np.ones(2)), (np.ones((3, 1)), np.ones(1))])
    with pytest.raises(TypeError, match=r"layer 1 must be a \(W, b\) pair"):
        compose_affine([np.ones((2, 2))])
    with pytest.raises(ValueError, match=r"b2 has 2 entries but W2 has 1 columns"):
        compose_affine([(np.ones((2, 2)), np.ones(2)), (np.ones((2, 1)), np.ones(2))])
    with pytest.raises(TypeError, match="list of"):
        compose_affine("W, b")


# --- the bias trick ------------------------------------------------------------------------------------------

def test_bias_trick_is_the_same_layer(rng):
    X, W, b = rng.normal(size=(5, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    X1, Wb = augment_inputs(X), augment_weights(W, b)
    assert X1.shape == (5, 4) and Wb.shape == (4, 2)
    assert np.array_equal(X1[:, -1], np.ones(5)) and np.array_equal(Wb[-1], b)
    np.testing.assert_allclose(X1 @ Wb, dense_forward(X, W, b)[0], rtol=1e-14, atol=1e-14)
    assert augment_inputs(X.astype(np.float32)).dtype == np.float32


def test_bias_trick_checks_shapes():
    with pytest.raises(ValueError, match="X must be 2-D"):
        augment_inputs(np.ones(3))
    with pytest.raises(ValueError, match=r"b1 has 3 entries but W1 has 2 columns"):
        augment_weights(np.ones((3, 2)), np.ones(3))


# --- the forward pass of a stack -----------------------------------------------------------------------------

def test_forward_pass_is_the_loop_over_layers(rng):
    layers = random_layers([3, 5, 4, 2], rng)
    X = rng.normal(size=(6, 3))
    A = X
    for k, (W, b) in enumerate(layers):
        Z = A @ W + b
        A = np.maximum(Z, 0) if k < len(layers) - 1 else Z  # ReLU between the layers, not after the last
    np.testing.assert_allclose(forward_pass(X, layers, "relu", output="identity"), A, rtol=1e-13)
    # default: a linear stack, which compose_affine collapses
    W, b = compose_affine(layers)
    np.testing.assert_allclose(forward_pass(X, layers), X @ W + b, rtol=1e-12, atol=1e-12)
    # chapter 1's network: sigmoid in both layers
    (W1, b1), (W2, b2) = layers[0], (rng.normal(size=(5, 1)), rng.normal(size=1))
    np.testing.assert_allclose(forward_pass(X, [(W1, b1), (W2, b2)], "sigmoid"),
                               nm.sigmoid(nm.sigmoid(X @ W1 + b1) @ W2 + b2), rtol=1e-13)


def test_forward_pass_names_the_layer_that_does_not_fit():
    layers = [(np.ones((2, 3)), np.zeros(3)), (np.ones((4, 1)), np.zeros(1))]
    with pytest.raises(ValueError, match=r"layer 2 expects 4 inputs but layer 1 gives 3"):
        forward_pass(np.ones((5, 2)), layers)
    with pytest.raises(ValueError, match=r"layer 1 expects 2 inputs but the input has 3"):
        forward_pass(np.ones((5, 3)), layers[:1])
    with pytest.raises(ValueError, match="unknown activation"):
        forward_pass(np.ones((5, 2)), layers[:1], "step")


# --- random layers and the best single layer -----------------------------------------------------------------

def test_random_layers_shapes_scale_and_seed():
    layers = random_layers([4, 16, 3], seed=0)
    assert [(W.shape, b.shape) for W, b in layers] == [((4, 16), (16,)), ((16, 3), (3,))]
    again = random_layers([4, 16, 3], seed=0)
    assert all(np.array_equal(W, W2) and np.array_equal(b, b2) for (W, b), (W2, b2) in zip(layers, again))
    rng = np.random.default_rng(1)
    assert not np.array_equal(random_layers([4, 3], rng)[0][0], random_layers([4, 3], rng)[0][0])
    big = random_layers([400, 300], seed=2)[0][0]
    assert big.std() == pytest.approx(1 / np.sqrt(400), rel=0.02)  # variance 1 / d_in


def test_fit_single_layer_recovers_a_layer_exactly(rng):
    X, W, b = rng.normal(size=(50, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    W_fit, b_fit = fit_single_layer(X, X @ W + b)
    np.testing.assert_allclose(W_fit, W, atol=1e-12)
    np.testing.assert_allclose(b_fit, b, atol=1e-12)
    w_fit, c_fit = fit_single_layer(X, X @ W[:, 0] + 0.5)  # a 1-D target: one neuron
    np.testing.assert_allclose(w_fit, W[:, 0], atol=1e-12)
    assert c_fit == pytest.approx(0.5)


def test_best_single_layer_error_separates_linear_from_relu_stacks(rng):
    layers = random_layers([4, 16, 16, 3], rng)
    X = rng.normal(size=(2000, 4))
    assert best_single_layer_error(X, forward_pass(X, layers)) < 1e-10
    assert best_single_layer_error(X, forward_pass(X, layers, "relu", output="identity")) > 0.1
    # the error is relative: 1 for outputs no layer can predict better than their mean
    noise = rng.normal(size=(2000, 1))
    assert best_single_layer_error(X, noise) == pytest.approx(1.0, abs=0.01)


def test_best_single_layer_error_checks_its_input():
    with pytest.raises(ValueError, match="one row per sample"):
        best_single_layer_error(np.ones((5, 2)), np.ones(4))
    with pytest.raises(ValueError, match="constant"):
        best_single_layer_error(np.eye(3), np.ones((3, 2)))
    with pytest.raises(ValueError, match="NaN"):
        fit_single_layer(np.ones((3, 2)), [1.0, np.nan, 2.0])


# --- the rank bound ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sizes", [[4, 2, 3], [5, 1, 5], [3, 6, 3], [2, 8, 8, 2], [6, 6, 2, 6]])
def test_rank_of_a_collapsed_stack_is_at_most_the_narrowest_width(sizes, rng):
    W, _ = compose_affine(random_layers(sizes, rng))
    assert np.linalg.matrix_rank(W) <= min(sizes)
    assert np.linalg.matrix_rank(W) == min(sizes)  # random layers reach the bound


# --- the angle between two vectors ---------------------------------------------------------------------------

def test_angle_between_known_angles(rng):
    assert angle_between([1.0, 0.0], [0.0, 2.0]) == pytest.approx(np.pi / 2)
    assert angle_between([1.0, 1.0], [3.0, 3.0]) < 1e-15  # no NaN from a cosine rounded to 1 + 1e-16
    assert angle_between([1.0, 0.0], [-1.0, 0.0]) == pytest.approx(np.pi)
    assert np.degrees(angle_between([1.0, 2.0, 3.0], [4.0, -5.0, 6.0])) == pytest.approx(68.56, abs=0.01)
    x, w = rng.normal(size=5), rng.normal(size=5)
    phi = angle_between(x, w)
    assert x @ w == pytest.approx(np.linalg.norm(x) * np.linalg.norm(w) * np.cos(phi))
    for v in rng.normal(size=(20, 3)):
        assert angle_between(v, 1e8 * v) < 1e-15  # arccos of the rounded cosine would give about 1e-8
        assert angle_between(v, -v) == pytest.approx(np.pi, rel=1e-15)


def test_angle_between_rejects_zero_and_mismatched_vectors():
    with pytest.raises(ValueError, match="no direction"):
        angle_between([0.0, 0.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="same length"):
        angle_between([1.0, 2.0], [1.0, 2.0, 3.0])
