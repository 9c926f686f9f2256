"""Test surfaces and the descents on them: gradients, minima, regimes (converge, oscillate, diverge), lines on data."""

import numpy as np
import pytest

from nnmath import descent as D
from nnmath import linefit
from nnmath import surfaces as S
from nnmath.gradcheck import gradient_check
from nnmath.optim import SGD, Adam, Momentum, make_optimizer

POINTS = [(0.3, -0.7), (-1.2, 0.4), (1.5, 1.9)]


@pytest.mark.parametrize("name", list(S.SURFACES))
@pytest.mark.parametrize("point", POINTS)
def test_gradients_against_centred_differences(name, point):
    surface = S.SURFACES[name]
    w = np.array(point)
    check = gradient_check(lambda v: float(surface.f(v)), surface.grad(w), w)
    assert check.error < 1e-7, check


@pytest.mark.parametrize("name", list(S.SURFACES))
def test_minima_have_zero_gradient_and_grids_match_points(name):
    surface = S.SURFACES[name]
    for m in surface.minima:
        np.testing.assert_allclose(surface.grad(np.array(m)), 0.0, atol=1e-12)
    X, Y, Z = surface.grid(30)
    assert X.shape == Y.shape == Z.shape == (30, 30)
    assert Z[4, 7] == pytest.approx(float(surface.f(np.array([X[4, 7], Y[4, 7]]))))
    assert surface.grad(np.zeros((5, 3, 2))).shape == (5, 3, 2)


def test_known_values():
    assert S.rosenbrock(np.array([1.0, 1.0])) == 0.0
    assert S.bowl(np.array([3.0, 4.0])) == 25.0
    assert S.SURFACES["elongated_bowl"].mu_max == 20.0 and S.SURFACES["bowl"].lr_limit == 1.0
    left, right = S.SURFACES["two_minima"].minima
    assert S.two_minima(np.array(left)) < S.two_minima(np.array(right))  # the left one is the global minimum


@pytest.mark.parametrize("name", ["bowl", "elongated_bowl"])
def test_learning_rate_regimes_on_the_quadratics(name):
    surface = S.SURFACES[name]
    limit = surface.lr_limit  # 2 / mu_max
    smooth = D.descend(surface, lr=0.4 * limit, steps=500)
    assert smooth.converged and not smooth.diverged
    oscillating = D.descend(surface, lr=0.95 * limit, steps=2000, tol=1e-6)
    assert oscillating.converged
    steepest = np.diff(oscillating.points[:, 1])  # along the steep axis the path flips side every step
    assert (np.sign(steepest[:-1]) != np.sign(steepest[1:])).mean() > 0.9
    diverging = D.descend(surface, lr=1.1 * limit, steps=1000)
    assert diverging.diverged and not diverging.converged and diverging.status == "diverged"
    assert diverging.steps < 1000 and np.isfinite(diverging.points).all() and np.isfinite(diverging.losses).all()
    assert np.linalg.norm(diverging.points, axis=1).max() <= 1e3


@pytest.mark.parametrize("name", list(S.SURFACES))
@pytest.mark.parametrize("lr", [2.5, 1e3, 1e300])
def test_huge_learning_rates_give_a_finite_truncated_path_and_no_warning(name, lr):
    path = D.descend(name, lr=lr, steps=200)
    assert np.isfinite(path.points).all() and np.isfinite(path.losses).all()
    assert len(path.points) == len(path.losses) == path.steps + 1
    assert path.diverged


def test_adam_finds_the_bottom_of_the_rosenbrock_valley():
    path = D.descend("rosenbrock", optimizer=Adam(lr=0.05), steps=3000)
    np.testing.assert_allclose(path.points[-1], [1.0, 1.0], atol=1e-3)


def test_where_you_start_decides_which_minimum():
    left, right = S.SURFACES["two_minima"].minima
    np.testing.assert_allclose(D.descend("two_minima", (-0.5, 1.0), lr=0.05, steps=1000).points[-1], left, atol=1e-6)
    np.testing.assert_allclose(D.descend("two_minima", (0.5, 1.0), lr=0.05, steps=1000).points[-1], right, atol=1e-6)


def test_saddle_stops_on_the_axis_and_escapes_off_it():
    on_axis = D.descend("saddle", (1.0, 0.0), lr=0.1, steps=500)
    assert on_axis.converged
    np.testing.assert_allclose(on_axis.points[-1], [0.0, 0.0], atol=1e-8)
    assert D.descend("saddle", (1.0, 1e-6), lr=0.1, steps=500).diverged


def test_the_optimizer_object_is_reset_so_runs_repeat():
    opt = Momentum(lr=0.02)
    first = D.descend("elongated_bowl", optimizer=opt, steps=50)
    second = D.descend("elongated_bowl", optimizer=opt, steps=50)
    np.testing.assert_array_equal(first.points, second.points)
    assert len(first.points) == 51


@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"])
def test_every_optimizer_runs_on_a_surface(name):
    path = D.descend("bowl", optimizer=make_optimizer(name, lr=0.05), steps=300)
    assert path.losses[-1] < path.losses[0]


def test_descend_errors():
    with pytest.raises(ValueError, match="unknown surface 'donut'"):
        D.descend("donut")
    with pytest.raises(ValueError, match=r"start must be a point \(x, y\)"):
        D.descend("bowl", start=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="learning rate lr must be positive"):
        D.descend("bowl", lr=-0.1)
    with pytest.raises(ValueError, match="give the learning rate to the optimizer object"):
        D.descend("bowl", optimizer=SGD(), lr=0.1)
    with pytest.raises(ValueError, match="NaN"):
        D.descend("bowl", start=(np.nan, 0.0))
    with pytest.raises(ValueError, match="last axis of w must have length 2"):
        S.bowl(np.ones(3))


# --- the same on data: full batch, mini-batch, stochastic ------------------------------------------

def line_data():
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 2, 60)
    return x[:, None], 1.5 * x - 0.5 + 0.3 * rng.standard_normal(60)


def test_regression_surface_minimum_is_least_squares():
    X, y = line_data()
    surface = linefit.regression_surface(X, y)
    slope, intercept = np.polyfit(X[:, 0], y, 1)
    np.testing.assert_allclose(surface.minima[0], [slope, intercept], rtol=1e-10)
    w = np.array([0.3, -1.1])
    assert float(surface.f(w)) == pytest.approx(np.mean((w[0] * X[:, 0] + w[1] - y) ** 2))
    check = gradient_check(lambda v: float(surface.f(v)), surface.grad(w), w)
    assert check.error < 1e-7


@pytest.mark.parametrize("batch_size, steps_per_epoch", [(None, 1), (10, 6), (1, 60)])
def test_batch_mini_batch_and_stochastic(batch_size, steps_per_epoch):
    X, y = line_data()
    path = D.regression_descent(X, y, batch_size=batch_size, lr=0.05, epochs=40)
    assert path.steps == 40 * steps_per_epoch
    assert path.extra["epoch_ends"][-1] == path.steps
    best = linefit.regression_surface(X, y).minima[0]
    np.testing.assert_allclose(path.points[-1], best, atol=0.15)
    again = D.regression_descent(X, y, batch_size=batch_size, lr=0.05, epochs=40)
    np.testing.assert_array_equal(path.points, again.points)


def test_regression_descent_diverges_cleanly():
    X, y = line_data()
    limit = linefit.regression_surface(X, y).lr_limit
    path = D.regression_descent(X, y, lr=1.5 * limit, epochs=500)
    assert path.diverged and np.isfinite(path.points).all()


def test_regression_descent_errors():
    X, y = line_data()
    with pytest.raises(ValueError, match="batch_size must be an integer from 1 to 60; got 0"):
        D.regression_descent(X, y, batch_size=0)
    with pytest.raises(ValueError, match=r"one input feature.*\(60, 2\)"):
        D.regression_descent(np.hstack([X, X]), y)
    with pytest.raises(ValueError, match=r"X and y must have one entry per point \(X: \(60,\), y: \(59,\)\)"):
        linefit.regression_surface(X, y[:-1])


def test_the_double_well_is_the_slice_of_two_minima():
    theta = np.linspace(-2.0, 2.0, 41)
    on_axis = np.column_stack([theta, np.zeros_like(theta)])
    np.testing.assert_array_equal(S.two_minima(on_axis), S.double_well(theta))
    np.testing.assert_array_equal(S.two_minima_grad(on_axis)[:, 0], S.double_well_prime(theta))
    np.testing.assert_array_equal(S.bowl(on_axis), S.parabola(theta))
    two, well = S.SURFACES["two_minima"], S.FUNCTIONS_1D["double_well"]
    assert (well.minimum, 0.0) == two.minima[0] and well.mu_max == two.mu_max


def test_lookups_share_one_behaviour():
    assert S.get_surface("BOWL") is S.SURFACES["bowl"] and S.get_surface(S.SURFACES["saddle"]).name == "saddle"
    assert S.get_function_1d("parabola") is S.get_function_1d(S.FUNCTIONS_1D["parabola"])
    with pytest.raises(ValueError, match="unknown function 'cubic'; choose one of: parabola, double_well"):
        S.get_function_1d("cubic")
    with pytest.raises(TypeError, match="surface must be a name such as 'bowl', not int"):
        S.get_surface(3)
