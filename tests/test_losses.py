"""Losses: values against hand-written formulas, gradients against centred differences, stability, errors."""

import math
import warnings
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import nnmath as nm
from nnmath import losses as L
from nnmath.activations import sigmoid, softmax
from nnmath.gradcheck import gradient_check

SHAPES = [(1, 1), (3, 1), (5, 4), (8, 10)]


def rng_for(*key):
    return np.random.default_rng(zlib.crc32(repr(key).encode()))  # a stable seed per test case


# --- values against formulas written out here ----------------------------------------------------

def test_mse_is_the_mean_of_squared_residuals():
    # residuals 1 and 2: (1 + 4) / 2 = 2.5 (the mean; the sum would be 5)
    assert L.mse([1.0, 2.0], [0.0, 0.0]) == pytest.approx(2.5)
    # the mean does not change when the batch is repeated
    y_hat, y = np.array([[0.3], [1.2], [-2.0]]), np.array([[0.0], [1.0], [-1.0]])
    assert L.mse(np.vstack([y_hat, y_hat]), np.vstack([y, y])) == pytest.approx(L.mse(y_hat, y))


def test_mse_prime_closed_form():
    # 2 (y_hat - y) / N with N = 2: [2 * 1 / 2, 2 * 2 / 2] = [1, 2]
    np.testing.assert_allclose(L.mse_prime([1.0, 2.0], [0.0, 0.0]), [1.0, 2.0])


def test_mae_value_and_subgradient():
    # |1| + |-3| = 4, over 2 entries: 2
    assert L.mae([1.0, -3.0], [0.0, 0.0]) == pytest.approx(2.0)
    # sign / N, and 0 where the residual is 0
    np.testing.assert_allclose(L.mae_prime([1.0, -3.0, 0.0], [0.0, 0.0, 0.0]), [1 / 3, -1 / 3, 0.0])


def test_binary_cross_entropy_by_hand():
    # -(log 0.8 + log(1 - 0.4)) / 2
    expected = -(math.log(0.8) + math.log(0.6)) / 2
    assert L.binary_cross_entropy([0.8, 0.4], [1.0, 0.0]) == pytest.approx(expected)


def test_bce_with_logits_equals_bce_of_sigmoid():
    z = np.linspace(-6, 6, 13)
    y = (np.arange(13) % 2).astype(float)
    assert L.binary_cross_entropy_with_logits(z, y) == pytest.approx(L.binary_cross_entropy(sigmoid(z), y), rel=1e-12)
    # and its gradient is (sigma(z) - y) / N
    np.testing.assert_allclose(L.binary_cross_entropy_with_logits_prime(z, y), (sigmoid(z) - y) / 13, rtol=1e-12)


def test_categorical_cross_entropy_by_hand():
    P = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    # -(log 0.7 + log 0.8) / 2
    assert L.categorical_cross_entropy(P, [0, 2]) == pytest.approx(-(math.log(0.7) + math.log(0.8)) / 2)


def test_softmax_cross_entropy_matches_probability_form_and_one_hot():
    Z = rng_for("sce").standard_normal((6, 4))
    y = np.array([0, 3, 1, 1, 2, 0])
    Y = np.eye(4)[y]
    value = L.softmax_cross_entropy(Z, y)
    assert value == pytest.approx(L.categorical_cross_entropy(softmax(Z), y), rel=1e-12)
    assert value == pytest.approx(L.softmax_cross_entropy(Z, Y), rel=1e-12)
    # the gradient is (P - Y) / n, with labels or one-hot rows alike
    np.testing.assert_allclose(L.softmax_cross_entropy_prime(Z, y), (softmax(Z) - Y) / 6, rtol=1e-12)
    np.testing.assert_allclose(L.softmax_cross_entropy_prime(Z, Y), (softmax(Z) - Y) / 6, rtol=1e-12)


def test_softmax_cross_entropy_gradient_rows_sum_to_zero():
    # p - y sums to 1 - 1 = 0 in every row
    Z = rng_for("rows").standard_normal((5, 7))
    G = L.softmax_cross_entropy_prime(Z, [0, 1, 2, 3, 4])
    np.testing.assert_allclose(G.sum(axis=1), 0.0, atol=1e-15)


# --- gradients against centred differences --------------------------------------------------------

@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", ["mse", "mae"])
def test_regression_loss_gradients(name, shape):
    rng = rng_for(name, shape)
    y_hat, y = rng.standard_normal(shape), rng.standard_normal(shape)
    f, f_prime = getattr(L, name), getattr(L, name + "_prime")
    check = gradient_check(lambda v: f(v, y), f_prime(y_hat, y), y_hat)
    assert check.error < 1e-7, check


@pytest.mark.parametrize("shape", [(1,), (4,), (6, 1)])
def test_binary_cross_entropy_gradients(shape):
    rng = rng_for("bce", shape)
    p = rng.uniform(0.05, 0.95, shape)
    z = rng.standard_normal(shape) * 3
    y = rng.integers(0, 2, shape).astype(float)
    check = gradient_check(lambda v: L.binary_cross_entropy(v, y), L.binary_cross_entropy_prime(p, y), p)
    assert check.error < 1e-7, check
    check = gradient_check(lambda v: L.binary_cross_entropy_with_logits(v, y),
                           L.binary_cross_entropy_with_logits_prime(z, y), z)
    assert check.error < 1e-7, check


@pytest.mark.parametrize("shape", [(1, 2), (3, 3), (7, 10)])
def test_categorical_gradients(shape):
    rng = rng_for("cce", shape)
    n, k = shape
    y = rng.integers(0, k, n)
    Z = rng.standard_normal(shape) * 2
    check = gradient_check(lambda v: L.softmax_cross_entropy(v, y), L.softmax_cross_entropy_prime(Z, y), Z)
    assert check.error < 1e-7, check
    soft = softmax(rng.standard_normal(shape))  # soft targets: rows of probabilities
    check = gradient_check(lambda v: L.softmax_cross_entropy(v, soft), L.softmax_cross_entropy_prime(Z, soft), Z)
    assert check.error < 1e-7, check
    # probabilities away from 0, where 1/p is smooth enough for a centred difference to be accurate
    P = rng.uniform(0.2, 1.0, shape)
    P /= P.sum(axis=1, keepdims=True)
    check = gradient_check(lambda v: L.categorical_cross_entropy(v, y), L.categorical_cross_entropy_prime(P, y), P)
    assert check.error < 1e-7, check


@pytest.mark.parametrize("name", sorted(L.LOSSES))
def test_fused_training_kernels_agree_with_the_documented_pair(name):
    loss = L.LOSSES[name]
    rng = rng_for("fused", name)
    n, k = 6, (1 if loss.kind == "binary" else 4)
    out = rng.standard_normal((n, k)) * 3
    if loss.kind == "multiclass":
        targets = [rng.integers(0, k, n), softmax(rng.standard_normal((n, k)))]
    elif loss.kind == "binary":
        targets = [rng.integers(0, 2, (n, 1)).astype(float)]
    else:
        targets = [rng.standard_normal((n, k))]
    for y in targets:
        value, grad = loss.value_and_grad(out, y)
        assert value == pytest.approx(loss.f(out, y), rel=1e-12)
        np.testing.assert_allclose(grad, loss.f_prime(out, y), rtol=1e-12, atol=1e-300)


# --- stability: finite values and gradients for any finite input, and no warnings ----------------

finite_logits = arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(2, 6)),
                       elements=st.floats(-1e300, 1e300, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(Z=finite_logits, data=st.data())
def test_softmax_cross_entropy_is_finite_for_any_finite_logits(Z, data):
    y = np.array(data.draw(st.lists(st.integers(0, Z.shape[1] - 1), min_size=Z.shape[0], max_size=Z.shape[0])))
    assert np.isfinite(L.softmax_cross_entropy(Z, y))
    assert np.isfinite(L.softmax_cross_entropy_prime(Z, y)).all()
    value, grad = L.LOSSES["cross_entropy"].value_and_grad(Z, y)
    assert np.isfinite(value) and np.isfinite(grad).all()


@settings(max_examples=60, deadline=None)
@given(z=arrays(np.float64, st.integers(1, 8), elements=st.floats(-1e300, 1e300, allow_nan=False)),
       data=st.data())
def test_bce_with_logits_is_finite_for_any_finite_logits(z, data):
    y = np.array(data.draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=len(z), max_size=len(z))))
    assert np.isfinite(L.binary_cross_entropy_with_logits(z, y))
    assert np.isfinite(L.binary_cross_entropy_with_logits_prime(z, y)).all()
    value, grad = L.LOSSES["binary_cross_entropy"].value_and_grad(z[:, None], y[:, None])
    assert np.isfinite(value) and np.isfinite(grad).all()


@settings(max_examples=60, deadline=None)
@given(p=arrays(np.float64, st.integers(1, 8), elements=st.floats(0.0, 1.0)), data=st.data())
def test_bce_from_probabilities_is_finite_even_at_0_and_1(p, data):
    y = np.array(data.draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=len(p), max_size=len(p))))
    assert np.isfinite(L.binary_cross_entropy(p, y))
    assert np.isfinite(L.binary_cross_entropy_prime(p, y)).all()


def test_confident_wrong_answers_are_large_but_finite():
    assert 30 < L.binary_cross_entropy([0.0], [1.0]) < 40  # -log(machine epsilon) ~ 36
    assert L.softmax_cross_entropy([[1000.0, -1000.0]], [1]) == pytest.approx(2000.0)
    assert L.binary_cross_entropy_with_logits([-800.0], [1.0]) == pytest.approx(800.0)


def test_float32_stays_float32():
    Z = np.ones((2, 3), dtype=np.float32)
    assert L.softmax_cross_entropy_prime(Z, [0, 1]).dtype == np.float32
    assert L.mse_prime(Z, Z).dtype == np.float32


# --- bad input ------------------------------------------------------------------------------------

def test_shape_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"same shape.*\(3,\).*\(2,\)"):
        L.mse([1.0, 2.0, 3.0], [1.0, 2.0])


def test_labels_out_of_range():
    with pytest.raises(ValueError, match=r"0\.\.2.*labels from 0 to 3"):
        L.softmax_cross_entropy(np.zeros((2, 3)), [0, 3])
    with pytest.raises(ValueError, match="0..2"):
        L.softmax_cross_entropy(np.zeros((2, 3)), [-1, 0])


def test_label_count_and_type():
    with pytest.raises(ValueError, match="one label per sample"):
        L.softmax_cross_entropy(np.zeros((2, 3)), [0, 1, 2])
    with pytest.raises(ValueError, match="whole numbers"):
        L.softmax_cross_entropy(np.zeros((2, 3)), [0.5, 1.0])
    with pytest.raises(ValueError, match="probability distribution"):
        L.softmax_cross_entropy(np.zeros((2, 3)), np.ones((2, 3)))


def test_nan_is_rejected():
    with pytest.raises(ValueError, match="NaN"):
        L.mse([np.nan], [0.0])
    with pytest.raises(ValueError, match="NaN"):
        L.softmax_cross_entropy([[0.0, np.nan]], [0])


def test_binary_targets_must_be_probabilities():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        L.binary_cross_entropy_with_logits([0.0, 1.0], [0.0, 2.0])


def test_unknown_loss_lists_the_known_ones():
    with pytest.raises(ValueError, match="unknown loss 'hinge'.*cross_entropy"):
        L.get_loss("hinge")
    assert L.get_loss("MSE") is L.LOSSES["mse"]


# --- the docstrings state the formulas the code computes -------------------------------------------

@pytest.mark.parametrize("func, formula", [
    (L.mse, r"L = \frac{1}{N} \sum_{i} (\hat y_i - y_i)^2"),
    (L.mae, r"L = \frac{1}{N} \sum_{i} \lvert \hat y_i - y_i \rvert"),
    (L.binary_cross_entropy, r"L = -\frac{1}{N} \sum_{i} \bigl[\, y_i \log p_i + (1 - y_i) \log(1 - p_i) \,\bigr]"),
    (L.categorical_cross_entropy, r"L = -\frac{1}{n} \sum_{i=1}^{n} \sum_{c=0}^{k-1} Y_{ic} \log P_{ic}"),
    (L.softmax_cross_entropy_prime, r"\frac{\partial L}{\partial Z} = \frac{1}{n}\,(P - Y)"),
])
def test_docstring_formula_is_the_one_tested(func, formula):
    """Each formula above is checked against the code by a test in this file; the docstring must show it."""
    assert formula in func.__doc__


# --- logits passed where probabilities belong -------------------------------------------------------------------

def test_binary_cross_entropy_asks_about_logits():
    with pytest.raises(ValueError, match="Did you pass logits.*binary_cross_entropy_with_logits"):
        nm.binary_cross_entropy(np.array([3.0, -2.0]), np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match="Did you pass logits"):
        nm.binary_cross_entropy_prime(np.array([1.5]), np.array([1.0]))
    assert np.isclose(nm.binary_cross_entropy(nm.sigmoid(np.array([3.0, -2.0])), np.array([1.0, 0.0])),
                      nm.binary_cross_entropy_with_logits(np.array([3.0, -2.0]), np.array([1.0, 0.0])))


def test_categorical_cross_entropy_asks_about_logits():
    Z = np.array([[2.0, 1.0, -1.0]])
    with pytest.raises(ValueError, match="Did you pass logits.*softmax_cross_entropy"):
        nm.categorical_cross_entropy(Z, np.array([0]))
    with pytest.raises(ValueError, match="row sums from 0.9"):
        nm.categorical_cross_entropy(np.array([[0.5, 0.4]]), np.array([0]))
    with pytest.raises(ValueError, match="Did you pass logits"):
        nm.categorical_cross_entropy_prime(Z, np.array([0]))
    assert np.isclose(nm.categorical_cross_entropy(nm.softmax(Z), np.array([0])),
                      nm.softmax_cross_entropy(Z, np.array([0])))
    float32 = nm.softmax(np.random.default_rng(0).normal(size=(50, 10)).astype(np.float32) * 30)
    assert np.isfinite(nm.categorical_cross_entropy(float32, np.zeros(50, dtype=int)))  # rounding is not refused


def test_softmax_cross_entropy_is_never_nan():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Z = np.array([[1e308, -1e308]])
        assert nm.softmax_cross_entropy(Z, np.array([0])) == 0.0  # not NaN (no 0 · log 0)
        assert nm.softmax_cross_entropy(Z, np.array([1])) == np.inf  # the exact 2e308 is beyond float64
        assert np.array_equal(nm.softmax_cross_entropy_prime(Z, np.array([0])), [[0.0, 0.0]])
