"""Tests for what chapter 5 adds: the descent equations, their figures, the exercises (its widgets:
test_widgets_ch05_06.py)."""

import io
import itertools
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from nnmath import descent as D
from nnmath import linefit, plots, surfaces
from nnmath.data import make_linear_regression, minibatches
from nnmath.exercises import check
from nnmath.gradcheck import numerical_gradient
from nnmath.losses import mse
from nnmath.widgets.png import rgb_png


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def line():
    X, y = make_linear_regression(n=40, seed=3)
    return X[:, 0], y


# --- the step and the direction ------------------------------------------------------------------

def test_gradient_step_is_theta_minus_lr_g(rng):
    theta, g = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    new = D.gradient_step(theta, g, 0.1)
    assert np.allclose(new, theta - 0.1 * g)
    assert not np.shares_memory(new, theta)
    with pytest.raises(ValueError, match=r"theta: \(3, 2\), grad: \(2,\)"):
        D.gradient_step(theta, g[0], 0.1)
    with pytest.raises(ValueError, match="positive"):
        D.gradient_step(theta, g, 0.0)


@pytest.mark.parametrize("name", list(surfaces.SURFACES))
def test_directional_derivative_is_the_slope_and_peaks_along_the_gradient(name, rng):
    s = surfaces.SURFACES[name]
    p = np.array([0.7, -0.4])
    g = s.grad(p)
    U = rng.normal(size=(50, 2))
    slopes = D.directional_derivative(g, U)
    unit = U / np.linalg.norm(U, axis=1, keepdims=True)
    h = 1e-6
    numeric = (s.f(p + h * unit) - s.f(p - h * unit)) / (2 * h)
    assert np.allclose(slopes, numeric, rtol=1e-6, atol=1e-6)
    # Cauchy-Schwarz: no direction is steeper than |grad f|, and the gradient's own direction attains it
    assert np.all(slopes <= np.linalg.norm(g) + 1e-12)
    assert D.directional_derivative(g, g) == pytest.approx(np.linalg.norm(g))
    assert D.directional_derivative(g, -g) == pytest.approx(-np.linalg.norm(g))
    assert D.directional_derivative(g, [-g[1], g[0]]) == pytest.approx(0.0, abs=1e-12)  # along the contour


def test_directional_derivative_errors():
    with pytest.raises(ValueError, match="zero vector"):
        D.directional_derivative([1.0, 2.0], [0.0, 0.0])
    with pytest.raises(ValueError, match="2 components"):
        D.directional_derivative([1.0, 2.0], [1.0, 0.0, 0.0])


# --- one variable ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(surfaces.FUNCTIONS_1D))
def test_functions_1d_derivatives_minimum_and_curvature(name):
    fn = surfaces.FUNCTIONS_1D[name]
    theta = np.linspace(*fn.xlim, 9)
    numeric = numerical_gradient(lambda t: float(np.sum(fn.f(t))), theta)
    assert np.allclose(fn.f_prime(theta), numeric, atol=1e-6)
    assert fn.f_prime(fn.minimum) == pytest.approx(0.0, abs=1e-12)
    h = 1e-4
    second = (fn.f(fn.minimum + h) - 2 * fn.f(fn.minimum) + fn.f(fn.minimum - h)) / h**2
    assert second == pytest.approx(fn.mu_max, rel=1e-5)
    assert fn.lr_limit == pytest.approx(2 / fn.mu_max)


def test_one_variable_functions_are_slices_of_the_surfaces():
    theta = np.linspace(-1.8, 1.8, 13)
    on_axis = np.column_stack([theta, np.zeros_like(theta)])
    assert np.allclose(surfaces.FUNCTIONS_1D["parabola"].f(theta), surfaces.bowl(on_axis))
    assert np.allclose(surfaces.FUNCTIONS_1D["double_well"].f(theta), surfaces.two_minima(on_axis))
    two = surfaces.SURFACES["two_minima"]
    assert surfaces.FUNCTIONS_1D["double_well"].minimum == pytest.approx(two.minima[0][0])
    assert surfaces.FUNCTIONS_1D["double_well"].mu_max == pytest.approx(two.mu_max)


@pytest.mark.parametrize("lr", [0.1, 0.5, 0.8, 0.99, 1.0, 1.05])
def test_descend_1d_on_the_parabola_follows_the_closed_form(lr):
    path = D.descend_1d("parabola", 1.5, lr, 30)
    closed = D.quadratic_iterates(1.5, lr, 2.0, 30)[: len(path.points)]
    assert np.allclose(path.points, closed, rtol=1e-12, atol=1e-300)
    assert np.allclose(path.losses, path.points**2)
    # and it is the x coordinate of the same descent on the round bowl started on the x axis
    bowl = D.descend("bowl", (1.5, 0.0), lr=lr, steps=30, tol=0.0)
    n = min(len(bowl.points), len(path.points))
    assert np.allclose(bowl.points[:n, 0], path.points[:n])


def test_descend_1d_divergence_is_cut_and_finite():
    path = D.descend_1d("parabola", 1.0, 1.5, 200)  # factor 1 - 3 = -2
    assert path.diverged and path.steps < 200
    assert np.all(np.isfinite(path.points)) and np.abs(path.points).max() <= 1e6
    assert np.allclose(path.points, (-2.0) ** np.arange(path.steps + 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        huge = D.descend_1d("double_well", 1.0, 1e6, 50)
    assert huge.diverged and np.all(np.isfinite(huge.losses))


def test_descend_1d_errors():
    with pytest.raises(ValueError, match="unknown function"):
        D.descend_1d("cubic", 1.0, 0.1, 3)
    with pytest.raises(TypeError, match="steps must be a non-negative integer; got 2.5"):
        D.descend_1d("parabola", 1.0, 0.1, 2.5)
    with pytest.raises(ValueError, match="outside"):
        D.descend_1d("parabola", 1e7, 0.1, 3)


def test_tangent_line_touches_and_predicts_the_step():
    fn = surfaces.FUNCTIONS_1D["double_well"]
    theta_k, lr = 1.3, 0.05
    assert D.tangent_line(fn, theta_k, theta_k) == pytest.approx(fn.f(theta_k))
    slope = (D.tangent_line(fn, theta_k, theta_k + 0.5) - D.tangent_line(fn, theta_k, theta_k)) / 0.5
    assert slope == pytest.approx(fn.f_prime(theta_k))
    nxt = theta_k - lr * fn.f_prime(theta_k)
    assert D.tangent_line(fn, theta_k, nxt) == pytest.approx(fn.f(theta_k) - lr * fn.f_prime(theta_k) ** 2)


# --- the learning rate on a quadratic ----------------------------------------------------------------

def test_regimes_and_contraction_factor():
    L = 4.0
    cases = {0.1: "converges", 0.25: "one step", 0.4: "oscillates", 0.5: "bounces", 0.6: "diverges"}
    for lr, name in cases.items():
        assert D.regime(lr, L) == name
        r = D.contraction_factor(lr, L)
        assert r == pytest.approx(1 - lr * L)
    assert D.regime(0.1, -2.0) == "diverges" and D.regime(0.1, 0.0) == "stays"
    bounce = D.quadratic_iterates(1.0, 0.5, L, 6)
    assert np.allclose(bounce, [1, -1, 1, -1, 1, -1, 1])


def test_max_stable_lr_is_two_over_the_largest_eigenvalue(rng):
    for name in ("bowl", "elongated_bowl"):
        s = surfaces.SURFACES[name]
        H = np.diag([2.0, 20.0]) if name == "elongated_bowl" else 2 * np.eye(2)
        assert D.max_stable_lr(H) == pytest.approx(s.lr_limit)
    Q, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    H = (Q * [1.0, 4.0, 10.0]) @ Q.T
    H = (H + H.T) / 2
    limit = D.max_stable_lr(H)
    assert limit == pytest.approx(0.2)

    def run(lr, steps=3000):
        theta = np.ones(3)
        for _ in range(steps):
            theta = D.gradient_step(theta, H @ theta, lr)  # f = ½ θᵀHθ, ∇f = Hθ
        return np.linalg.norm(theta)

    assert run(0.99 * limit) < 1e-6
    assert run(1.01 * limit, steps=2000) > 1e3


def test_optimal_lr_balances_the_slowest_and_the_steepest_direction():
    H = np.diag([2.0, 20.0])  # the elongated bowl
    eta = D.optimal_lr(H)
    assert eta == pytest.approx(2 / 22)
    kappa = 10.0
    assert D.convergence_factor(eta, H) == pytest.approx((kappa - 1) / (kappa + 1))
    grid = np.linspace(0.001, 0.099, 200)
    assert all(D.convergence_factor(e, H) >= D.convergence_factor(eta, H) - 1e-12 for e in grid)
    # measured on the surface: the error shrinks by that factor per step (along both axes at once)
    path = D.descend("elongated_bowl", (1.0, 1.0), lr=eta, steps=40)
    ratio = np.linalg.norm(path.points[1:], axis=1) / np.linalg.norm(path.points[:-1], axis=1)
    assert ratio[-1] == pytest.approx((kappa - 1) / (kappa + 1), rel=1e-9)


def test_hessian_errors():
    with pytest.raises(ValueError, match="symmetric"):
        D.max_stable_lr([[1.0, 2.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="positive definite"):
        D.max_stable_lr([[2.0, 0.0], [0.0, -2.0]])  # the saddle
    with pytest.raises(ValueError, match="square"):
        D.max_stable_lr(np.ones((2, 3)))


# --- a line on batches ---------------------------------------------------------------------------------

def test_line_mse_gradient_matches_the_surface_the_loss_and_centred_differences(line):
    x, y = line
    w, b = 0.7, -0.2
    g = np.array(linefit.line_mse_gradient(x, y, w, b))
    assert np.allclose(g, linefit.regression_surface(x, y).grad(np.array([w, b])))
    numeric = numerical_gradient(lambda p: mse(p[0] * x + p[1], y), np.array([w, b]))
    assert np.allclose(g, numeric, atol=1e-7)
    assert np.allclose(linefit.per_sample_gradients(x, y, w, b).mean(axis=0), g)
    assert np.allclose(linefit.line_mse_gradient(x[:, None], y, w, b), g)  # X of shape (n, 1) works too


def test_regression_descent_steps_use_this_gradient_on_each_batch(line):
    x, y = line
    B, lr, seed = 8, 0.05, 4
    path = D.regression_descent(x, y, batch_size=B, lr=lr, epochs=1, seed=seed)
    theta = np.zeros(2)
    for k, batch in enumerate(minibatches(len(x), B, np.random.default_rng(seed)), start=1):
        theta = D.gradient_step(theta, np.array(linefit.line_mse_gradient(x[batch], y[batch], *theta)), lr)
        assert np.allclose(path.points[k], theta)
    assert path.steps == D.steps_per_epoch(len(x), B) == 5


def _same_run(a, b):
    """Two trajectories that are the same, float for float."""
    assert (a.converged, a.diverged, a.extra.keys()) == (b.converged, b.diverged, b.extra.keys())
    assert a.points.tobytes() == b.points.tobytes() and a.points.shape == b.points.shape
    assert a.losses.tobytes() == b.losses.tobytes() and a.losses.shape == b.losses.shape
    assert [list(v) for v in a.extra.values()] == [list(v) for v in b.extra.values()]


# runs that converge, oscillate, stop, diverge (also at the very first step) or start at the minimum
@pytest.mark.parametrize("surface, start, lr", [("elongated_bowl", (-2.5, 1.0), 0.08), ("bowl", (1.0, 1.0), 0.5),
                                                ("rosenbrock", (-1.5, 2.0), 0.0021), ("saddle", (1.0, 0.1), 0.3),
                                                ("elongated_bowl", (-2.5, 1.0), 0.3), ("bowl", (2.0, 1.0), 900.0),
                                                ("bowl", (0.0, 0.0), 0.1)])
def test_with_steps_is_the_run_with_that_budget(surface, start, lr):
    budgets = (0, 1, 2, 3, 5, 8, 13, 40, 100, 300)
    runs = {k: D.descend(surface, start, lr=lr, steps=k) for k in budgets}
    calls = []

    def more(end, k):
        calls.append(k)
        return D.descend(surface, end, lr=lr, steps=k)

    for a, b in itertools.product(budgets, repeat=2):
        _same_run(D.with_steps(runs[a], b, more), runs[b])
    # carried on exactly when a shorter run stopped for want of steps
    assert all(k > 0 for k in calls) and bool(calls) == any(runs[k].status == "stopped" for k in budgets[:-1])
    fn, lr1 = "double_well", 0.25
    runs = {k: D.descend_1d(fn, -1.6, lr1, k, max_abs=1e3) for k in (1, 3, 8, 20, 40)}
    for a, b in itertools.product(runs, repeat=2):
        _same_run(D.with_steps(runs[a], b, lambda end, k: D.descend_1d(fn, end, lr1, k, max_abs=1e3)), runs[b])


# runs that converge, diverge in the first epoch, or diverge after 8 epochs
@pytest.mark.parametrize("B, lr", [(1, 0.05), (7, 0.3), (40, 0.2), (1, 0.9), (5, 2.0), (40, 1.0)])
def test_with_epochs_is_the_run_with_that_many_epochs(line, B, lr):
    x, y = line
    epochs = (0, 1, 2, 5, 8, 9, 10)

    def run(k, rng=None):
        rng = np.random.default_rng(3) if rng is None else rng
        return D.regression_descent(x, y, batch_size=B, lr=lr, epochs=k, seed=rng), rng

    runs = {k: run(k) for k in epochs}
    for a, b in itertools.product(epochs, repeat=2):
        path, rng = run(a)
        _same_run(D.with_epochs(path, b, lambda end, k, rng=rng: D.regression_descent(
            x, y, batch_size=B, lr=lr, epochs=k, start=end, seed=rng)), runs[b][0])
    scheduled = D.regression_descent(x, y, batch_size=B, epochs=2, schedule=lambda t: 0.01)
    with pytest.raises(ValueError, match="schedule"):
        D.with_epochs(scheduled, 1, None)


def test_minibatch_covariance_is_exact_over_all_batches():
    x = np.array([-2.0, -0.5, 0.3, 1.1, 2.4, 3.0])
    y = 2 * x - 1 + np.array([0.3, -0.2, 0.5, -0.4, 0.1, 0.2])
    w, b = 0.4, 0.1
    G = linefit.per_sample_gradients(x, y, w, b)
    for B in (1, 2, 3, 6):
        means = np.array([G[list(c)].mean(axis=0) for c in itertools.combinations(range(6), B)])
        assert np.allclose(means.mean(axis=0), G.mean(axis=0))  # unbiased
        centred = means - G.mean(axis=0)
        exact = centred.T @ centred / len(means)
        assert np.allclose(D.minibatch_gradient_covariance(x, y, w, b, B), exact)
    with pytest.raises(ValueError, match="batch_size must be an integer from 1 to 6; got 7"):
        D.minibatch_gradient_covariance(x, y, w, b, 7)


def test_steps_per_epoch():
    assert D.steps_per_epoch(100, 100) == 1 and D.steps_per_epoch(100, 1) == 100
    assert D.steps_per_epoch(100, 30) == 4 == len(list(minibatches(100, 30, 0)))
    assert D.steps_per_epoch(60000, 128) == 469
    with pytest.raises(ValueError):
        D.steps_per_epoch(0, 1)


# --- figures -------------------------------------------------------------------------------------------

def test_static_figures_draw_without_warnings():
    X, y = make_linear_regression()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figs = [plots.steepest_ascent(), plots.descent_1d_regimes(), plots.lr_regimes(),
                plots.batch_size_paths(X, y), plots.minibatch_noise(X, y, draws=50)]
        for name in surfaces.SURFACES:
            figs.append(plots.lr_regimes(name, steps=10))
        for fig in figs:
            fig.canvas.draw()


@pytest.mark.parametrize("name", list(surfaces.SURFACES))
@pytest.mark.parametrize("point", [(0.3, -0.7), (-1.2, 0.4), (1.5, 1.9)])
def test_hessians_against_centred_differences_of_the_gradient(name, point):
    s = surfaces.SURFACES[name]
    w = np.array(point)
    H = s.hessian(w)
    numeric = np.stack([numerical_gradient(lambda v, j=j: float(s.grad(v)[j]), w) for j in range(2)])
    assert H.shape == (2, 2) and np.allclose(H, H.T)
    assert np.allclose(H, numeric, rtol=1e-7, atol=1e-6)
    assert s.hessian(np.zeros((4, 3, 2))).shape == (4, 3, 2, 2)
    assert s.curvature(w) == pytest.approx(np.linalg.eigvalsh(H)[-1])


def test_curvature_is_the_largest_rayleigh_quotient_of_the_hessian():
    # eq-curvature as written: the maximum of u^T H u over unit vectors u, here over 200,001 directions
    angles = np.linspace(0.0, np.pi, 200_001)
    u = np.stack([np.cos(angles), np.sin(angles)], axis=-1)
    for name, s in surfaces.SURFACES.items():
        assert isinstance(s, surfaces.Surface)
        for w in [(0.3, -0.7), (-1.2, 0.4), (1.0, 1.0)]:
            H = s.hessian(np.array(w))
            rayleigh = np.einsum("ni,ij,nj->n", u, H, u)
            assert s.curvature(w) == pytest.approx(rayleigh.max(), rel=1e-9, abs=1e-9), (name, w)


def test_curvature_at_the_minimum_and_over_the_window():
    for name, s in surfaces.SURFACES.items():
        if s.minima:
            assert s.curvature(s.minima[0]) == pytest.approx(s.mu_max, rel=1e-12), name
    assert surfaces.SURFACES["elongated_bowl"].max_curvature() == 20.0
    rosen = surfaces.SURFACES["rosenbrock"]
    assert 5300 < rosen.max_curvature() < 5350 and rosen.curvature((-2.0, -1.0)) == pytest.approx(rosen.max_curvature())
    assert surfaces.SURFACES["two_minima"].max_curvature() == pytest.approx(44.0)
    assert rosen.curvature(np.zeros((3, 2))).shape == (3,)
    with pytest.raises(ValueError, match="no Hessian"):
        linefit.regression_surface(np.arange(5.0), np.arange(5.0)).curvature((0.0, 0.0))


def test_two_over_mu_max_bounds_convergence_not_divergence():
    # chapter 5: just above 2/mu_max on Rosenbrock the path stays bounded (a two-cycle near the minimum)
    rosen = surfaces.SURFACES["rosenbrock"]
    assert D.descend(rosen, lr=0.0019, steps=20_000).points[-1] == pytest.approx([1.0, 1.0], abs=1e-4)
    for lr in (0.0020, 0.00205):
        assert lr > rosen.lr_limit
        path = D.descend(rosen, lr=lr, steps=20_000)
        assert not path.diverged and not path.converged
        assert np.allclose(path.points[-1], path.points[-3], atol=1e-9)  # period two
    assert D.descend(rosen, lr=0.0021, steps=20_000).steps == 6
    # the descent lemma with M = the window's largest curvature: every step goes down
    path = D.descend(rosen, lr=1 / rosen.max_curvature(), steps=20_000)
    assert np.all(np.diff(path.losses) < 0)


def test_inverse_time_decay_and_a_scheduled_descent(line):
    x, y = line
    t = np.arange(1, 6)
    assert np.allclose(D.inverse_time_decay(t, 0.1, 100), 0.1 / (1 + t / 100))
    assert D.inverse_time_decay(100, 0.1, 100) == pytest.approx(0.05)
    with pytest.raises(ValueError, match="step numbers"):
        D.inverse_time_decay(0, 0.1, 10)
    with pytest.raises(ValueError, match="t0 must be positive"):
        D.inverse_time_decay(1, 0.1, 0)
    import functools

    schedule = functools.partial(D.inverse_time_decay, lr=0.1, t0=40)
    run = D.regression_descent(x, y, batch_size=1, epochs=30, schedule=schedule, seed=0)
    assert np.allclose(run.extra["lrs"], schedule(np.arange(1, run.steps + 1)))
    # the same steps by hand: each one uses eta_t on one sample's gradient
    w = np.zeros(2)
    rng = np.random.default_rng(0)
    for step, batch in enumerate((b for _ in range(30) for b in minibatches(len(x), 1, rng)), start=1):
        w -= schedule(step) * np.array(linefit.line_mse_gradient(x[batch], y[batch], *w))
    assert np.allclose(run.points[-1], w)
    # beats the noise floor of a constant rate
    best = linefit.regression_surface(x, y)
    f_star = float(best.f(np.asarray(best.minima[0])))
    constant = D.regression_descent(x, y, batch_size=1, lr=0.03, epochs=30, seed=0)
    assert np.mean(run.losses[-40:]) - f_star < 0.5 * (np.mean(constant.losses[-40:]) - f_star)
    with pytest.raises(TypeError, match="schedule must be a function"):
        D.regression_descent(x, y, schedule=0.1)


def test_new_figures_and_step_times():
    import nnmath as nm

    X, y = make_linear_regression(n=30, seed=1)
    net = nm.MLP([3, 4, 2], seed=0)
    seconds = plots.step_times(net, batch_sizes=(1, 4), number=2, repeat=2)
    assert set(seconds) == {1, 4} and all(v > 0 for v in seconds.values())
    figures = [plots.eigenvectors(), plots.eigenvectors([[2.0, 0.0], [0.0, 20.0]]),
               plots.schedule_vs_constant(X, y, {"c": dict(lr=0.05), "s": dict(schedule=lambda t: 0.05 / t)},
                                          epochs=2),
               plots.loss_curves({"a": [1.0, 0.5, 0.3], "b": np.array([1.0, 2.0])}, start=0.69),
               plots.batch_cost(seconds)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fig in figures:
            assert fig.axes
            fig.canvas.draw()


def test_loss_gap_and_outcome():
    from nnmath.plots.descent import LOSS_FLOOR, loss_gap, outcome

    assert np.allclose(loss_gap("bowl", [4.0, 0.0]), [4.0, LOSS_FLOOR])
    assert np.allclose(loss_gap("saddle", [-3.0, 1.0]), [-3.0, 1.0])
    assert outcome(D.descend("bowl", lr=1.5, steps=100)).startswith("diverged after ")
    assert outcome(D.descend("bowl", (1.0, 1.0), lr=0.5, steps=10)) == "converged in 1 step"


def test_rgb_png_round_trips(rng):
    img = rng.integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    png = rgb_png(img)
    back = np.asarray(Image.open(io.BytesIO(png)))
    assert back.shape == (7, 5, 3) and np.array_equal(back, img[..., :3])
    with pytest.raises(ValueError, match="uint8"):
        rgb_png(img.astype(float))


# --- exercises -------------------------------------------------------------------------------------------

def test_exercises_accept_the_answers_and_catch_typical_mistakes():
    assert check("gd_step", lambda theta, lr: theta - lr * np.array([2 * theta[0], 20 * theta[1]])).passed
    assert not check("gd_step", lambda theta, lr: theta + lr * np.array([2 * theta[0], 20 * theta[1]])).passed
    assert check("max_stable_lr", lambda H: 2 / np.linalg.eigvalsh(H).max()).passed
    assert not check("max_stable_lr", lambda H: 1 / np.linalg.eigvalsh(H).max()).passed
    assert not check("max_stable_lr", lambda H: 2 / np.max(np.diag(H))).passed  # the diagonal is not enough

    def batch_grad(x, y, w, b):
        r = w * x + b - y
        return 2 * np.mean(r * x), 2 * np.mean(r)

    assert check("minibatch_gradient", batch_grad).passed
    assert not check("minibatch_gradient", lambda x, y, w, b: (np.mean((w * x + b - y) * x),
                                                               np.mean(w * x + b - y))).passed


def test_minibatch_gradient_is_line_mse_gradient_on_the_batch(line):
    x, y = line
    gradient = linefit.minibatch_gradient(x[:, None], y)
    rng = np.random.default_rng(1)
    for B in (1, 3, 17, len(x)):
        batch = rng.permutation(len(x))[:B]
        w = rng.normal(size=2) * 3
        g = gradient(batch, w)
        assert g.shape == (2,) and g.tobytes() == np.array(linefit.line_mse_gradient(x[batch], y[batch], *w)).tobytes()
    # the mean it takes is numpy's, to the last bit, for one line and for a grid of lines
    W, Bs = np.meshgrid(np.linspace(-3, 3, 7), np.linspace(-2, 2, 5))
    r = W[..., None] * x + Bs[..., None] - y
    assert linefit.line_loss_grid(x, y, W, Bs).tobytes() == np.square(r).mean(axis=-1).tobytes()
    assert linefit.line_loss_grid(x, y, 0.5, -0.25) == np.square(0.5 * x - 0.25 - y).mean()
