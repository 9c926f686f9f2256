"""Activations: derivatives against centred differences (float64), closed forms, stability, invariants."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import nnmath as nm
from nnmath import activations as A
from nnmath.gradcheck import gradient_check, numerical_gradient

ELEMENTWISE = sorted(A.ACTIVATIONS)
finite = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False)
finite_arrays = arrays(np.float64, st.integers(1, 12), elements=finite)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_centred_differences(name, rng):
    act = A.get_activation(name)
    z = rng.normal(scale=3, size=(4, 5))
    z[np.abs(z) < 1e-3] = 0.5  # keep away from ReLU-family kinks at 0, where no derivative exists
    g = rng.normal(size=z.shape)  # f(z) -> scalar sum(g * act(z)) tests every entry's derivative
    check = gradient_check(lambda v: np.sum(g * act.f(v)), lambda v: g * act.f_prime(v), z)
    assert check.error < 1e-7, check


@pytest.mark.parametrize(("f", "f_prime", "alpha"), [(A.leaky_relu, A.leaky_relu_prime, 0.2),
                                                       (A.elu, A.elu_prime, 0.5)])
def test_derivative_with_alpha(f, f_prime, alpha, rng):
    z = rng.normal(scale=2, size=20)
    z[np.abs(z) < 1e-3] = 0.3
    check = gradient_check(lambda v: np.sum(f(v, alpha)), lambda v: f_prime(v, alpha), z)
    assert check.error < 1e-7


def test_closed_forms():
    assert A.sigmoid(0.0) == 0.5
    assert A.sigmoid_prime(0.0) == 0.25
    assert A.tanh_prime(0.0) == 1.0
    np.testing.assert_allclose(A.sigmoid(np.log(3.0)), 0.75)  # 1 / (1 + 1/3)
    np.testing.assert_allclose(A.tanh(1.3), 2 * A.sigmoid(2.6) - 1)
    np.testing.assert_array_equal(A.relu([-2.0, 0.0, 3.0]), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(A.relu_prime([-2.0, 0.0, 3.0]), [0.0, 0.0, 1.0])
    np.testing.assert_allclose(A.leaky_relu([-2.0, 3.0]), [-0.02, 3.0])
    np.testing.assert_allclose(A.elu([-1.0, 2.0]), [np.exp(-1) - 1, 2.0])
    np.testing.assert_allclose(A.softmax([0.0, np.log(3.0)]), [0.25, 0.75])
    np.testing.assert_allclose(A.logsumexp([0.0, 0.0]), np.log(2.0))
    np.testing.assert_allclose(A.softmax_jacobian([0.0, 0.0]), [[0.25, -0.25], [-0.25, 0.25]])


def test_softmax_backward_matches_jacobian_and_differences(rng):
    z = rng.normal(size=(3, 5))
    g = rng.normal(size=(3, 5))
    p = A.softmax(z)
    got = A.softmax_backward(g, p)
    for i in range(3):
        np.testing.assert_allclose(got[i], A.softmax_jacobian(z[i]).T @ g[i], atol=1e-15)
    check = gradient_check(lambda v: np.sum(g * A.softmax(v)), got, z)
    assert check.error < 1e-7


def test_log_softmax_gradient(rng):
    z = rng.normal(size=(2, 4))
    g = rng.normal(size=(2, 4))
    # d/dz sum(g * (z - lse(z))) = g - softmax(z) * sum(g)
    analytic = g - A.softmax(z) * g.sum(axis=1, keepdims=True)
    assert gradient_check(lambda v: np.sum(g * A.log_softmax(v)), analytic, z).error < 1e-7


@settings(max_examples=200, deadline=None)
@given(finite_arrays)
def test_every_activation_is_finite_and_silent_for_any_finite_input(z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for act in A.ACTIVATIONS.values():
            assert np.all(np.isfinite(act.f(z))), act.name
            assert np.all(np.isfinite(act.f_prime(z))), act.name
        for fn in (A.softmax, A.log_softmax, A.logsumexp):
            assert np.all(np.isfinite(fn(z)))


@settings(max_examples=200, deadline=None)
@given(finite_arrays)
def test_sigmoid_symmetry_and_range(z):
    s = A.sigmoid(z)
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(A.sigmoid(-z), 1 - s, atol=1e-15)


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 6)),
              elements=st.floats(-1e6, 1e6)), st.floats(-1e6, 1e6))
def test_softmax_rows_sum_to_one_and_are_shift_invariant(z, c):
    p = A.softmax(z)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)
    assert np.all(p >= 0)
    np.testing.assert_allclose(A.softmax(z + c), p, atol=1e-9)
    np.testing.assert_allclose(np.exp(A.log_softmax(z)), p, atol=1e-12)


def test_softmax_of_huge_logits_does_not_overflow():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = A.softmax([1000.0, 1000.0, -1000.0])
        lp = A.log_softmax([1000.0, 0.0])
    np.testing.assert_allclose(p, [0.5, 0.5, 0.0])
    np.testing.assert_allclose(lp, [0.0, -1000.0])


def test_dtype_is_kept_for_float32():
    z = np.linspace(-5, 5, 11, dtype=np.float32)
    for act in A.ACTIVATIONS.values():
        assert act.f(z).dtype == np.float32, act.name
        assert act.f_prime(z).dtype == np.float32, act.name
    assert A.softmax(z).dtype == np.float32


def test_numerical_gradient_of_sigmoid_is_its_derivative():
    z = np.array([-2.0, 0.0, 1.5])
    num = numerical_gradient(lambda v: np.sum(A.sigmoid(v)), z)
    np.testing.assert_allclose(num, A.sigmoid_prime(z), rtol=1e-9)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="unknown activation 'relu6'.*choose one of"):
        A.get_activation("relu6")
    with pytest.raises(TypeError, match="activation must be a name"):
        A.get_activation(3)
    with pytest.raises(TypeError, match="z must hold real numbers"):
        A.sigmoid(np.array(["a", "b"]))
    with pytest.raises(TypeError, match="z must be a number"):
        A.relu("1.0")
    with pytest.raises(ValueError, match="alpha must be non-negative"):
        A.leaky_relu([1.0], alpha=-1)
    with pytest.raises(ValueError, match="z must have at least 1 dimension"):
        A.softmax(3.0)
    with pytest.raises(ValueError, match=r"same shape \(dA: \(2, 3\), A: \(2, 2\)\)"):
        A.softmax_backward(np.ones((2, 3)), np.ones((2, 2)))


# --- exact derivatives where the product forms lose their digits ---------------------------------------------

def test_sigmoid_prime_is_exact_in_the_tails():
    z = np.array([-745.0, -40.0, -35.0, 0.0, 35.0, 37.0, 40.0, 700.0])
    exact = np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))) ** 2
    assert np.allclose(nm.sigmoid_prime(z), exact, rtol=1e-14, atol=0)
    assert np.all(nm.sigmoid_prime(z[np.abs(z) < 745]) > 0)  # positive until e^{-|z|} underflows
    product = nm.sigmoid(35.0) * (1 - nm.sigmoid(35.0))  # the textbook form, off by several percent there
    assert abs(product / exact[4] - 1) > 0.01


def test_tanh_prime_is_exact_in_the_tails():
    z = np.array([-30.0, -19.0, 0.0, 19.0, 30.0])
    exact = 4 * np.exp(-2 * np.abs(z)) / (1 + np.exp(-2 * np.abs(z))) ** 2
    assert np.allclose(nm.tanh_prime(z), exact, rtol=1e-14, atol=0) and np.all(nm.tanh_prime(z) > 0)
    assert np.allclose(nm.tanh_prime(np.linspace(-3, 3, 61)), 1 - np.tanh(np.linspace(-3, 3, 61)) ** 2, rtol=1e-13)


# --- the policy for non-finite input ---------------------------------------------------------------------------

#: Each element-wise activation's values and slopes at -inf and +inf: its limits.
LIMITS = {"identity": ((-np.inf, np.inf), (1.0, 1.0)), "sigmoid": ((0.0, 1.0), (0.0, 0.0)),
          "tanh": ((-1.0, 1.0), (0.0, 0.0)), "relu": ((0.0, np.inf), (0.0, 1.0)),
          "leaky_relu": ((-np.inf, np.inf), (0.01, 1.0)), "elu": ((-1.0, np.inf), (0.0, 1.0))}


@pytest.mark.parametrize("name", sorted(LIMITS))
def test_elementwise_functions_follow_ieee_arithmetic(name):
    """NaN in, NaN out (derivatives too); infinities give the limits; no warning."""
    f, f_prime = getattr(A, name), getattr(A, f"{name}_prime")
    values, slopes = LIMITS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(f(np.array([np.nan]))[0]) and np.isnan(f_prime(np.array([np.nan]))[0])
        z = np.array([-np.inf, np.inf])
        assert np.array_equal(f(z), values) and np.array_equal(f_prime(z), slopes)


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_reductions_refuse_non_finite_input(name, bad):
    with pytest.raises(ValueError, match="z"):
        getattr(nm, name)(np.array([1.0, bad]))


def test_softmax_at_the_ends_of_float64():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.array_equal(nm.softmax(np.array([1e308, -1e308])), [1.0, 0.0])
        assert np.array_equal(nm.log_softmax(np.array([1e308, -1e308])), [0.0, -np.inf])  # -2e308 is below -max
        assert nm.logsumexp(np.array([1e308, 1e308])) == 1e308 + np.log(2)
