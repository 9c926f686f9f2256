"""Tests for what chapter 4 adds: noise models, line fits, the loss figures, the exercises.

Its widgets are tested in test_widgets_ch03_04.py."""

import itertools
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nnmath as nm
from nnmath import likelihood, linefit, losses, plots
from nnmath.exercises import check
from nnmath.gradcheck import numerical_gradient
from nnmath.widgets.classification_loss import loss_and_gradients


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --- nnmath.likelihood ----------------------------------------------------------------------------

def test_gaussian_nll_is_a_constant_plus_mse_over_two_zeta_squared(rng):
    y_hat, y = rng.normal(size=(7, 2)), rng.normal(size=(7, 2))
    for s in (0.3, 1.0, 2.5):
        # independent route: the product of the densities, then its logarithm (small n: no underflow)
        density = np.exp(-((y - y_hat) ** 2) / (2 * s**2)) / math.sqrt(2 * math.pi * s**2)
        assert likelihood.gaussian_nll(y_hat, y, scale=s) == pytest.approx(-math.log(np.prod(density)) / y.size)
        assert likelihood.gaussian_density(y, y_hat, scale=s) == pytest.approx(density)
        expected = 0.5 * math.log(2 * math.pi * s**2) + nm.mse(y_hat, y) / (2 * s**2)
        assert likelihood.gaussian_nll(y_hat, y, s) == pytest.approx(expected)


def test_the_best_noise_variance_is_the_mse(rng):
    y_hat, y = rng.normal(size=40), rng.normal(size=40)
    mse = nm.mse(y_hat, y)

    def nll_of_variance(v):
        return likelihood.gaussian_nll(y_hat, y, scale=math.sqrt(v[0]))

    for v in (0.3 * mse, mse, 3 * mse):  # d/d(ζ²) = 1/(2ζ²) − MSE/(2ζ⁴): zero at ζ² = MSE
        assert numerical_gradient(nll_of_variance, np.array([v]))[0] == pytest.approx(
            1 / (2 * v) - mse / (2 * v**2), rel=1e-6, abs=1e-9)


def test_densities_integrate_to_one_and_can_exceed_one():
    y = np.linspace(-80, 80, 1_600_001)
    for density in (likelihood.gaussian_density, likelihood.laplace_density):
        for s in (0.1, 1.0, 3.0):
            assert np.trapezoid(density(y, 0.5, scale=s), y) == pytest.approx(1.0, abs=1e-6)
    assert likelihood.gaussian_density(0.0, scale=0.1) == pytest.approx(1 / math.sqrt(2 * math.pi * 0.01))
    assert likelihood.gaussian_density(0.0, scale=0.1) > 1
    assert likelihood.laplace_density([1.0], scale=2.0) == pytest.approx(math.exp(-0.5) / 4)
    y = np.linspace(-40, 40, 800_001)
    variance = np.trapezoid(y**2 * likelihood.laplace_density(y, scale=1.5), y)
    assert variance == pytest.approx(2 * 1.5**2, rel=1e-6)  # Var = 2ζ²


def test_laplace_nll_is_a_constant_plus_mae_over_the_scale(rng):
    y_hat, y = rng.normal(size=9), rng.normal(size=9)
    for s in (0.5, 2.0):
        density = np.exp(-np.abs(y - y_hat) / s) / (2 * s)
        assert likelihood.laplace_nll(y_hat, y, s) == pytest.approx(-math.log(np.prod(density)) / y.size)
        assert likelihood.laplace_nll(y_hat, y, s) == pytest.approx(math.log(2 * s) + nm.mae(y_hat, y) / s)


def test_nll_input_errors():
    with pytest.raises(ValueError, match="same shape"):
        likelihood.gaussian_nll([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="positive"):
        likelihood.gaussian_nll([1.0], [1.0], scale=0.0)
    with pytest.raises(ValueError, match="positive"):
        likelihood.laplace_nll([1.0], [1.0], scale=-1.0)


# --- nnmath.linefit --------------------------------------------------------------------------------

def test_least_squares_line_matches_polyfit_and_zeroes_the_gradient(rng):
    x, y = rng.uniform(-3, 3, 30), rng.normal(size=30)
    w, b = linefit.least_squares_line(x, y)
    assert (w, b) == pytest.approx(tuple(np.polyfit(x, y, 1)))
    r = w * x + b - y
    assert abs(np.mean(r * x)) < 1e-12 and abs(np.mean(r)) < 1e-12
    X, t = nm.make_linear_regression(n=40, seed=2)
    assert linefit.least_squares_line(X, t) == pytest.approx(nm.regression_surface(X, t).minima[0])


def test_least_absolute_line_is_optimal_and_passes_through_two_points(rng):
    x, y = rng.uniform(-3, 3, 15), rng.standard_t(2, size=15)
    w, b = linefit.least_absolute_line(x, y)
    best = nm.mae(w * x + b, y)
    # no line of a fine grid around it, nor any random line, does better
    W, B = np.meshgrid(np.linspace(w - 1, w + 1, 201), np.linspace(b - 1, b + 1, 201))
    assert best <= linefit.line_loss_grid(x, y, W, B, "mae").min() + 1e-12
    for w2, b2 in rng.normal(size=(200, 2)) * 2:
        assert best <= nm.mae(w2 * x + b2, y) + 1e-12
    assert np.sum(np.abs(w * x + b - y) < 1e-9) >= 2


def test_least_absolute_line_resists_an_outlier_that_least_squares_follows():
    X, y = nm.make_linear_regression(n=20, slope=1.0, intercept=0.0, noise=0.1, seed=1)
    x = X[:, 0]
    x_out, y_out = np.r_[x, 2.5], np.r_[y, -20.0]
    assert abs(linefit.least_absolute_line(x_out, y_out)[0] - 1.0) < 0.2
    assert abs(linefit.least_squares_line(x_out, y_out)[0] - 1.0) > 1.0


def test_line_loss_grid_matches_the_losses(rng):
    x, y = rng.normal(size=6), rng.normal(size=6)
    W, B = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    for name, f in (("mse", nm.mse), ("mae", nm.mae)):
        grid = linefit.line_loss_grid(x, y, W, B, name)
        assert grid.shape == (3, 4)
        for i, j in itertools.product(range(3), range(4)):
            assert grid[i, j] == pytest.approx(f(W[i, j] * x + B[i, j], y))


def test_linefit_input_errors():
    with pytest.raises(ValueError, match="two points with different x"):
        linefit.least_squares_line([1.0, 1.0], [0.0, 2.0])
    with pytest.raises(ValueError, match="one entry per point"):
        linefit.least_absolute_line([1.0, 2.0], [0.0])
    with pytest.raises(ValueError, match="unknown loss 'hinge'"):
        linefit.line_loss_grid([0.0, 1.0], [0.0, 1.0], [1.0], [0.0], "hinge")


def test_line_mse_hessian_is_the_second_derivative_of_the_mse(rng):
    x, y = rng.normal(size=12), rng.normal(size=12)
    H = linefit.line_mse_hessian(x)
    # every column of H: the centred difference of the gradient in w and in b
    for j, e in enumerate(np.eye(2)):
        plus = np.array(linefit.line_mse_gradient(x, y, *(np.array([0.3, -0.2]) + 1e-4 * e)))
        minus = np.array(linefit.line_mse_gradient(x, y, *(np.array([0.3, -0.2]) - 1e-4 * e)))
        assert (plus - minus) / 2e-4 == pytest.approx(H[:, j])
    assert H == pytest.approx(2 * np.array([[np.mean(x * x), x.mean()], [x.mean(), 1.0]]))
    assert np.linalg.eigvalsh(H)[-1] == pytest.approx(nm.regression_surface(x, y).mu_max)
    with pytest.raises(ValueError, match="W and B must have the same shape"):
        linefit.line_loss_grid([0.0, 1.0], [0.0, 1.0], [1.0, 2.0], [0.0], "mse")


# --- the chapter's claims, checked once more outside the notebook ------------------------------------

def test_mean_and_sum_have_the_same_minimiser_and_proportional_gradients(rng):
    y_hat, y = rng.normal(size=50), rng.normal(size=50)
    grad_sum = 2 * (y_hat - y)
    assert np.allclose(nm.mse_prime(y_hat, y) * y.size, grad_sum)
    X, t = nm.make_linear_regression(n=50, seed=3)
    surface = nm.regression_surface(X, t)
    w_star = np.array(surface.minima[0])
    assert np.allclose(surface.grad(w_star), 0, atol=1e-10)  # the mean's minimum is the sum's (gradient x n)


def test_cross_entropy_gradient_does_not_vanish_for_a_confident_mistake():
    for p in (1e-3, 0.01, 0.1, 0.5, 0.9):
        v = loss_and_gradients(p)
        assert v["ce"] == pytest.approx(-math.log(p))
        assert v["mse"] == pytest.approx((1 - p) ** 2)
        assert v["d_ce"] == pytest.approx(p - 1)
        assert v["d_mse"] == pytest.approx(2 * (p - 1) * p * (1 - p))
        assert v["d_ce"] / v["d_mse"] == pytest.approx(1 / (2 * p * (1 - p)))
        # both derivatives against centred differences in the logit
        z = np.array([v["z"]])
        d_ce = numerical_gradient(lambda t: nm.binary_cross_entropy_with_logits(t, np.ones(1)), z)
        d_mse = numerical_gradient(lambda t: nm.mse(nm.sigmoid(t), np.ones(1)), z)
        assert d_ce[0] == pytest.approx(v["d_ce"], rel=1e-6)
        assert d_mse[0] == pytest.approx(v["d_mse"], rel=1e-5, abs=1e-10)


# --- Huber loss, entropy and KL --------------------------------------------------------------------

def test_huber_is_half_squared_inside_and_linear_outside(rng):
    r = np.array([-3.0, -1.0, -0.4, 0.0, 0.5, 1.0, 2.5])
    by_hand = np.where(np.abs(r) <= 1.0, 0.5 * r**2, np.abs(r) - 0.5)
    assert losses.huber(r, np.zeros(7)) == pytest.approx(by_hand.mean())
    assert losses.huber(2 * r, np.zeros(7), delta=2.0) == pytest.approx(4 * by_hand.mean())  # δ and r doubled: 4 times
    assert losses.huber_prime(r, np.zeros(7)) == pytest.approx(np.clip(r, -1, 1) / 7)
    y_hat, y = rng.normal(scale=3, size=(4, 3)), rng.normal(size=(4, 3))
    result = nm.gradient_check(lambda P: losses.huber(P, y, 0.7), lambda P: losses.huber_prime(P, y, 0.7), y_hat)
    assert result.ok
    small = 1e-3 * rng.normal(size=9)  # near the minimum it is half the MSE
    assert losses.huber(small, np.zeros(9)) == pytest.approx(0.5 * nm.mse(small, np.zeros(9)))
    with pytest.raises(ValueError, match="delta"):
        losses.huber([1.0], [0.0], delta=0.0)


def test_cross_entropy_is_entropy_plus_kl(rng):
    Y = nm.softmax(2 * rng.normal(size=(50, 6)))
    P = nm.softmax(rng.normal(size=(50, 6)))
    assert nm.categorical_cross_entropy(P, Y) == pytest.approx(losses.entropy(Y) + losses.kl_divergence(Y, P))
    by_hand = np.mean(np.sum(Y * np.log(Y / P), axis=1))
    assert losses.kl_divergence(Y, P) == pytest.approx(by_hand)
    assert all(losses.kl_divergence(Y[i], P[i]) > 0 for i in range(50))
    assert losses.kl_divergence(Y, Y) == 0.0
    assert losses.entropy(np.full(6, 1 / 6)) == pytest.approx(math.log(6))
    assert losses.entropy([0.0, 1.0, 0.0]) == 0.0


def test_kl_handles_zeros_without_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert losses.kl_divergence([0.5, 0.5, 0.0], [0.25, 0.25, 0.5]) == pytest.approx(math.log(2))
        assert losses.kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf
        assert losses.entropy([1.0, 0.0]) == 0.0
    with pytest.raises(ValueError, match="Did you pass logits"):
        losses.entropy([2.0, -1.0])
    with pytest.raises(ValueError, match="same shape"):
        losses.kl_divergence([0.5, 0.5], [0.2, 0.3, 0.5])


def test_map_objective_is_the_penalised_loss(rng):
    # −(1/n)[log p(D | w) + log p(w)] = BCE + (λ/2)‖w‖² + (d/2n) log 2πτ², λ = 1/(nτ²): chapter 4's eq-map
    n, d, tau = 30, 3, 0.7
    X, y = rng.normal(size=(n, d)), (rng.random(n) < 0.5).astype(float)
    w = rng.normal(size=d)
    p = nm.sigmoid(X @ w)
    log_lik = np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))
    log_prior = np.sum(np.log(likelihood.gaussian_density(w, 0.0, scale=tau)))
    lam = 1 / (n * tau**2)
    penalised = nm.binary_cross_entropy_with_logits(X @ w, y) + nm.l2_penalty(w, lam)
    assert -(log_lik + log_prior) / n == pytest.approx(penalised + d / (2 * n) * math.log(2 * math.pi * tau**2))


# --- figures ----------------------------------------------------------------------------------------

def test_static_figures_draw():
    fig = plots.sum_vs_mean(sizes=(10, 100, 1000))
    sums, means = (line.get_ydata() for line in fig.axes[0].get_lines()[:2])
    assert np.allclose(sums / means, [10, 100, 1000])
    lr_sum, lr_mean = (line.get_ydata() for line in fig.axes[1].get_lines()[:2])
    assert np.allclose(lr_mean / lr_sum, [10, 100, 1000])
    assert len(plots.residual_penalties().axes) == 2
    X, y = nm.make_linear_regression(n=20, seed=0)
    assert len(plots.noise_models(X, y, 2.0, -1.0).axes) == 2
    fig = plots.ce_vs_mse()
    assert fig.axes[0].get_title().startswith("loss for target y = 1")
    fig = plots.stable_bce()
    stable, clipped = (line.get_ydata() for line in fig.axes[0].get_lines()[:2])
    assert stable[-1] == pytest.approx(60.0, abs=1e-9)  # softplus(60) = 60 + log(1 + e^-60)
    assert clipped.max() == pytest.approx(-math.log(np.finfo(float).eps))
    y = np.array([1.0, 2.0, 9.0])
    fig = plots.constant_descent({"a": (np.linspace(0, 2, 5), 2.0), "b": (np.full(5, 1.0), 2.0)}, y, highlight="a")
    assert len(fig.axes) == 2 and len(fig.axes[1].get_lines()) == 2
    fig = plots.saturated_start({"mse": np.linspace(0.98, 0.1, 30), "ce": np.linspace(0.98, 0.01, 30)}, eta=0.15)
    assert "η = 0.15" in fig.axes[0].get_title()


# --- exercises --------------------------------------------------------------------------------------

def test_chapter_4_exercises_accept_the_solutions_and_catch_the_typical_mistakes():
    def mse_mean(y_hat, y):
        return np.mean((y_hat - y) ** 2)

    def mse_per_sample(y_hat, y):  # divides by n, not by n·k
        return np.sum((y_hat - y) ** 2) / len(y)

    assert check("mse_mean", mse_mean)
    assert not check("mse_mean", mse_per_sample)

    def bce_stable(z, y):
        return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))

    def bce_naive(z, y):
        p = 1 / (1 + np.exp(-z))
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

    def bce_clipped(z, y):
        return nm.binary_cross_entropy(nm.sigmoid(z), y)

    assert check("bce_from_logits", bce_stable)
    result = check("bce_from_logits", bce_naive)
    assert not result and "inf" in result.message
    assert not check("bce_from_logits", bce_clipped)

    def grad(Z, y):
        P = nm.softmax(Z)
        P[np.arange(len(y)), y] -= 1
        return P / len(y)

    def grad_sum(Z, y):  # forgets the mean
        return grad(Z, y) * len(y)

    def grad_naive(Z, y):
        E = np.exp(Z)
        P = E / E.sum(axis=1, keepdims=True)
        P[np.arange(len(y)), y] -= 1
        return P / len(y)

    assert check("softmax_ce_gradient", grad)
    assert not check("softmax_ce_gradient", grad_sum)
    assert not check("softmax_ce_gradient", grad_naive)
