"""The referee itself: it must pass correct gradients and catch wrong ones."""

import numpy as np
import pytest

from nnmath.gradcheck import gradient_check, numerical_gradient, relative_error


def test_quadratic_closed_form(rng):
    A = rng.normal(size=(4, 4))
    A = A + A.T
    x = rng.normal(size=4)
    f = lambda v: 0.5 * v @ A @ v  # noqa: E731  gradient A v for symmetric A
    np.testing.assert_allclose(numerical_gradient(f, x), A @ x, rtol=1e-8)
    assert gradient_check(f, lambda v: A @ v, x).ok


def test_catches_a_wrong_gradient(rng):
    x = rng.normal(size=(3, 2))
    check = gradient_check(lambda v: np.sum(v**3), lambda v: 3 * v**2 + 1e-4, x)
    assert not check.ok
    assert "DISAGREE" in str(check)
    sign = gradient_check(lambda v: np.sum(np.sin(v)), lambda v: -np.cos(v), x)
    assert sign.error > 0.5


def test_does_not_modify_input():
    x = np.array([1.0, 2.0])
    numerical_gradient(lambda v: np.sum(v**2), x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_relative_error():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([0.0], [0.0]) == 0.0
    assert relative_error([1.0], [-1.0]) == 1.0


def test_bad_input():
    with pytest.raises(ValueError, match="f must return a scalar"):
        numerical_gradient(lambda v: v, np.ones(2))
    with pytest.raises(TypeError, match="f must be a function"):
        numerical_gradient(3, np.ones(2))
    with pytest.raises(ValueError, match="h must be positive"):
        numerical_gradient(np.sum, np.ones(2), h=0)
    with pytest.raises(ValueError, match="x contains 1 NaN"):
        numerical_gradient(np.sum, [1.0, np.nan])
    with pytest.raises(ValueError, match=r"the gradient and x must have the same shape \(the gradient: \(3,\), x: \(2"):
        gradient_check(np.sum, np.ones(3), np.ones(2))
    with pytest.raises(ValueError, match="same shape"):
        relative_error(np.ones(2), np.ones(3))


def test_one_graded_scale():
    from nnmath import gradcheck as GC

    assert [GC.grade(e) for e in (0.0, 1e-7, 2e-7, 1e-4, 5e-3, 1e-2, 0.3)] == [
        "good", "good", "kink", "kink", "doubtful", "doubtful", "wrong"]
    assert [bound for bound, *_ in GC.GRADES][:3] == [GC.GOOD, GC.KINK, GC.BUG] == [1e-7, 1e-4, 1e-2]
    with pytest.raises(ValueError, match="error must be"):
        GC.grade(-1.0)


def test_a_kink_within_h_is_graded_kink_and_passes_with_kinks(rng):
    # a weighted sum of |x|: its gradient w sign(x) is exact, but the entry within h of 0 makes the difference
    # average the slopes -w and +w there
    x = np.concatenate([rng.uniform(0.5, 2.0, 100), [3e-6]])
    w = np.concatenate([np.ones(100), [1e-3]])
    check = gradient_check(lambda v: np.sum(w * np.abs(v)), lambda v: w * np.sign(v), x)
    assert check.grade == "kink" and not check.ok  # the default tolerance is GOOD = 1e-7
    assert gradient_check(lambda v: np.sum(w * np.abs(v)), lambda v: w * np.sign(v), x, kinks=True).ok
    assert "kink" in str(check) and "grade='kink'" in repr(check)
    smooth = gradient_check(lambda v: np.sum(w * np.tanh(v)), lambda v: w * (1 - np.tanh(v) ** 2), x)
    assert smooth.grade == "good" and smooth.ok


def test_network_check_grades_each_array():
    import nnmath as nm

    X, y = nm.make_spirals(n=30, seed=1)
    X, y = X[:8], y[:8]
    assert all(r.grade == "good" for r in nm.check_network_gradients(nm.MLP([2, 5, 4, 3], "tanh", seed=1), X, y))
    # ReLU with zero biases: for samples whose first layer is all off, layer 2's Z is exactly b2 = 0, on the kink.
    # The backward pass is right (ReLU'(0) = 0), the centred difference averages 0 and 1 there.
    net = nm.MLP([2, 5, 4, 3], activation="relu", seed=6)
    assert (net.forward(X)[1][1][1] == 0.0).any()
    assert {r.name: r.grade for r in nm.check_network_gradients(net, X, y)}["b2"] == "wrong"
    for b in net.b:
        b += 0.01  # off the kinks: the same backward pass now agrees
    assert all(r.grade == "good" for r in nm.check_network_gradients(net, X, y))
