"""Tests for what chapter 7 adds: momentum on a quadratic exactly, the averages inside Adam, learning-rate schedules,
the optimizer races, the two widgets and the exercises."""

import math
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnmath import descent, moments, optim, race, schedules, surfaces, widgets
from nnmath import momentum as M
from nnmath.exercises import ch07
from nnmath.plots.descent import outcome


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _run(cls, H, lr, beta, steps, start=(1.0, 1.0)):
    """The optimizer itself on the quadratic ½ wᵀHw: the path, shape (steps + 1, d)."""
    opt = cls(lr=lr, beta=beta)
    w = np.array(start, dtype=float)
    path = [w.copy()]
    for _ in range(steps):
        opt.step([w], [H @ w])
        path.append(w.copy())
    return np.array(path)


# --- momentum on a quadratic: the closed form is the optimizer ----------------------------------------------

@pytest.mark.parametrize("method, cls", [("heavy_ball", optim.Momentum), ("nesterov", optim.Nesterov)])
@pytest.mark.parametrize("lr, beta", [(0.5, 0.0), (1.0, 0.5), (2.5, 0.9), (0.05, 0.99), (3.2, 0.7)])
def test_mode_errors_are_the_optimizer(method, cls, lr, beta):
    mus = np.array([0.01, 0.3, 1.0])
    with np.errstate(over="ignore", invalid="ignore"):  # some of these settings diverge, on purpose
        path = _run(cls, np.diag(mus), lr, beta, 60, start=(1.0, 1.0, 1.0))
    for i, mu in enumerate(mus):
        exact = M.mode_errors(lr, beta, mu, 60, 1.0, method)
        finite = np.isfinite(path[:, i]) & (np.abs(path[:, i]) < 1e250)
        assert np.allclose(path[finite, i], exact[finite], rtol=1e-9, atol=1e-13)


@pytest.mark.parametrize("method", M.METHODS)
def test_mode_rate_is_the_spectral_radius_and_governs_the_decay(method, rng):
    for _ in range(50):
        lr, beta, mu = 10 ** rng.uniform(-2, 0.6), rng.uniform(0, 0.99), 10 ** rng.uniform(-2, 0)
        rho = M.mode_rate(lr, beta, mu, method)
        assert rho == pytest.approx(max(abs(np.linalg.eigvals(M.mode_matrix(lr, beta, mu, method)))), rel=1e-9)
        roots = M.mode_roots(lr, beta, mu, method)
        trace, det = M.mode_coefficients(lr, beta, mu, method)
        assert np.allclose(roots ** 2 - trace * roots + det, 0, atol=1e-12)
    # a measured decay: the error over a long run shrinks by ρ per step
    lr, beta, mu = 0.3, 0.5, 0.1
    c = np.abs(M.mode_errors(lr, beta, mu, 400, 1.0, method))
    assert (c[400] / c[300]) ** (1 / 100) == pytest.approx(M.mode_rate(lr, beta, mu, method), rel=1e-3)


def test_momentum_zero_is_gradient_descent():
    H = np.diag([0.2, 3.0])
    for lr in (0.1, 0.5, 0.66):
        assert M.convergence_factor(lr, 0.0, H) == pytest.approx(descent.convergence_factor(lr, H))
        assert M.convergence_factor(lr, 0.0, H, "nesterov") == pytest.approx(descent.convergence_factor(lr, H))
    assert M.lr_limit(0.0, 3.0) == pytest.approx(descent.max_stable_lr(H))


def test_heavy_ball_never_beats_sqrt_beta(rng):
    for _ in range(200):
        lr, beta, mu = 10 ** rng.uniform(-3, 0.6), rng.uniform(0, 0.99), 10 ** rng.uniform(-3, 0)
        assert M.mode_rate(lr, beta, mu) >= math.sqrt(beta) - 1e-12


@pytest.mark.parametrize("method", M.METHODS)
@pytest.mark.parametrize("beta", [0.0, 0.3, 0.6, 0.9, 0.99])
def test_lr_limit_is_the_edge_of_convergence(method, beta):
    mu_max = 2.5
    edge = M.lr_limit(beta, mu_max, method)
    assert M.mode_rate(edge * (1 - 1e-6), beta, mu_max, method) < 1
    assert M.mode_rate(edge * (1 + 1e-6), beta, mu_max, method) > 1
    assert M.convergence_factor(edge * 0.999, beta, [0.01, mu_max], method) < 1


@pytest.mark.parametrize("method", M.METHODS)
@pytest.mark.parametrize("kappa", [10.0, 100.0, 1000.0])
def test_optimal_parameters_beat_a_brute_force_search(method, kappa):
    mus = np.array([1.0 / kappa, 1.0])
    best = M.optimal_parameters(mus, method)
    L, B = np.meshgrid(np.linspace(0.01, 4.0, 500), np.linspace(0.0, 0.995, 400))
    grid = np.maximum(M.mode_rate(L, B, mus[0], method), M.mode_rate(L, B, mus[1], method))
    assert best.rate <= grid.min() + 1e-6  # nothing on the grid is faster
    assert grid.min() == pytest.approx(best.rate, abs=5e-3)  # and the grid gets close to it
    root = math.sqrt(kappa)
    expected = (root - 1) / (root + 1) if method == "heavy_ball" else 1 - 2 / math.sqrt(3 * kappa + 1)
    assert best.rate == pytest.approx(expected, rel=1e-6)
    # every curvature in between converges at least as fast as the extremes
    middle = np.geomspace(mus[0], mus[1], 25)
    assert np.all(M.mode_rate(best.lr, best.beta, middle, method) <= best.rate + 1e-6)


def test_optimal_parameters_accept_a_hessian():
    Q, _ = np.linalg.qr(np.random.default_rng(3).normal(size=(3, 3)))
    H = (Q * np.array([0.5, 2.0, 50.0])) @ Q.T
    assert M.optimal_parameters((H + H.T) / 2).rate == pytest.approx(M.optimal_parameters([0.5, 50.0]).rate)


def test_steps_to_reduce_and_effective_lr():
    assert M.steps_to_reduce(9 / 11, 1e-6) == 69  # chapter 5's elongated bowl at its best rate
    assert M.steps_to_reduce(0.5, 0.25) == 2 and M.steps_to_reduce(0.0, 1e-6) == 1
    assert M.effective_lr(0.01, 0.9) == pytest.approx(0.1)
    with pytest.raises(ValueError, match="never shrinks"):
        M.steps_to_reduce(1.0)
    with pytest.raises(ValueError, match="factor must lie in"):
        M.steps_to_reduce(0.5, 2.0)


def test_mode_regime_names_every_case():
    assert M.mode_regime(0.1, 0.0, 1.0) == "smooth"
    assert M.mode_regime(1.5, 0.0, 1.0) == "flips sign"
    assert M.mode_regime(1.0, 0.5, 1.0) == "oscillates"
    assert M.mode_regime(3.5, 0.5, 1.0) == "diverges"
    assert M.mode_regime(0.1, 0.0, 0.0) == "stalls"


def test_stationary_variance_is_what_noisy_runs_settle_into():
    rng = np.random.default_rng(11)
    for name, lr, beta in (("sgd", 0.05, 0.0), ("momentum", 0.005, 0.9), ("momentum", 0.02, 0.5)):
        opt = optim.make_optimizer(name, lr=lr, **({"beta": beta} if beta else {}))
        c = np.zeros(20_000)
        for _ in range(1_500):
            opt.step([c], [2.0 * c + rng.normal(scale=0.5, size=c.shape)])
        assert c.var() == pytest.approx(M.stationary_variance(lr, beta, 2.0, 0.25), rel=0.05)
    # β = 0 is the AR(1) variance of chapter 5's SGD cloud
    assert M.stationary_variance(0.1, 0.0, 1.0, 1.0) == pytest.approx(0.1 / (2 - 0.1))
    with pytest.raises(ValueError, match="no stationary spread"):
        M.stationary_variance(5.0, 0.5, 1.0, 1.0)


@pytest.mark.parametrize("nesterov, cls", [(False, optim.Momentum), (True, optim.Nesterov)])
def test_gradient_sum_convention_equals_velocity_convention_at_a_constant_rate(nesterov, cls):
    s = surfaces.get_surface("rosenbrock")
    opt, w1 = cls(lr=5e-4, beta=0.9), np.array(s.start)
    w2, buffer = np.array(s.start), np.zeros(2)
    for _ in range(200):
        opt.step([w1], [s.grad(w1)])
        w2, buffer = M.gradient_sum_step(w2, buffer, s.grad(w2), 5e-4, 0.9, nesterov)
        assert np.allclose(w1, w2, rtol=1e-10, atol=1e-12)
    # a change of the rate separates them: the buffer is rescaled at once in one form, not in the other
    opt.lr = 5e-5
    opt.step([w1], [s.grad(w1)])
    w2, buffer = M.gradient_sum_step(w2, buffer, s.grad(w2), 5e-5, 0.9, nesterov)
    assert not np.allclose(w1, w2, rtol=1e-6)


@pytest.mark.parametrize("call, message", [
    (lambda: M.mode_rate(0.0, 0.5, 1.0), "lr must be positive"),
    (lambda: M.mode_rate(0.1, 1.0, 1.0), r"beta must lie in \[0, 1\)"),
    (lambda: M.mode_rate(0.1, -0.1, 1.0), r"beta must lie in \[0, 1\)"),
    (lambda: M.mode_rate(0.1, 0.5, np.nan), "NaN or infinite"),
    (lambda: M.mode_rate([0.1, 0.2], [0.5, 0.6, 0.7], 1.0), "must broadcast together"),
    (lambda: M.mode_rate(0.1, 0.5, 1.0, "adam"), "method must be one of"),
    (lambda: M.convergence_factor(0.1, 0.5, [[1.0, 2.0], [0.0, 1.0]]), "symmetric"),
    (lambda: M.convergence_factor(0.1, 0.5, [[1.0, 0.0], [0.0, -1.0]]), "no minimum"),
    (lambda: M.convergence_factor(0.1, 0.5, np.ones((2, 3))), "square"),
    (lambda: M.optimal_parameters([]), "no curvatures"),
    (lambda: M.mode_errors(0.1, 0.5, 1.0, -1), "non-negative integer"),
    (lambda: M.lr_limit(0.5, 0.0), "mu_max must be positive"),
    (lambda: M.gradient_sum_step([1.0], [0.0, 0.0], [1.0], 0.1, 0.9), "buffer and g must have the same shape"),
    (lambda: M.effective_lr(0.1, 1.0), r"beta must lie in \[0, 1\)"),
])
def test_momentum_bad_input_fails_clearly(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_momentum_functions_stay_quiet_when_a_mode_diverges():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c = M.mode_errors(4.5, 0.99, 1.0, 5000)
        assert np.isinf(c[-1]) and np.all(np.isfinite(c[:10]))
        assert M.mode_rate(100.0, 0.5, 1.0) > 1


# --- zero-started averages and Adam's bias correction -------------------------------------------------------

def test_ema_and_its_bias_correction(rng):
    x = rng.normal(size=(30, 2))
    m, out = np.zeros(2), []
    for xt in x:
        m = 0.8 * m + 0.2 * xt
        out.append(m.copy())
    assert np.allclose(moments.ema(x, 0.8), out)
    assert np.allclose(moments.ema(np.full(40, 3.0), 0.95, corrected=True), 3.0)  # unbiased from the first step
    assert moments.bias_correction(1, 0.9) == pytest.approx(0.1)
    assert np.allclose(moments.bias_correction(np.arange(1, 5), 0.5), [0.5, 0.75, 0.875, 0.9375])
    with pytest.raises(ValueError, match="integer step numbers from 1"):
        moments.bias_correction(0, 0.9)
    with pytest.raises(ValueError, match=r"beta must lie in \[0, 1\)"):
        moments.ema(x, 1.0)


def test_adam_direction_is_optim_adam(rng):
    G = rng.normal(size=(100, 4)) * np.array([1.0, 1e-3, 10.0, 1e2])
    opt, w, steps = optim.Adam(lr=0.01), np.zeros(4), []
    for g in G:
        before = w.copy()
        opt.step([w], [g.copy()])
        steps.append((before - w) / 0.01)
    assert np.allclose(steps, moments.adam_direction(G), rtol=1e-8, atol=1e-12)


def test_the_first_adam_step_with_and_without_correction():
    g = np.full(20, 0.5)
    assert moments.adam_direction(g)[0] == pytest.approx(1.0, rel=1e-7)
    raw = moments.adam_direction(g, corrected=False)
    assert raw[0] == pytest.approx(0.1 / math.sqrt(0.001), rel=1e-5)  # ε = 1e-8 next to √s = 0.016
    assert np.allclose(raw, (1 - 0.9 ** np.arange(1, 21)) / np.sqrt(1 - 0.999 ** np.arange(1, 21)), rtol=1e-6)
    w = np.zeros(1)
    optim.RMSprop(lr=0.1).step([w], [np.array([0.5])])
    assert -w[0] == pytest.approx(0.1 / math.sqrt(0.1), rel=1e-7)  # RMSprop has no correction: 3.16 η


# --- schedules ----------------------------------------------------------------------------------------------

def test_schedules_by_hand():
    assert schedules.constant(7, 0.3) == 0.3
    assert list(schedules.step_decay([1, 10, 11, 20, 21], 1.0, every=10, drop=0.5)) == [1.0, 1.0, 0.5, 0.5, 0.25]
    T = 100
    assert schedules.cosine(1, 0.1, T) == pytest.approx(0.1)
    assert schedules.cosine(51, 0.1, T) == pytest.approx(0.05)
    assert schedules.cosine(26, 0.1, T, lr_min=0.02) == pytest.approx(0.02 + 0.04 * (1 + math.cos(math.pi / 4)))
    assert schedules.cosine(T + 5, 0.1, T, lr_min=0.01) == pytest.approx(0.01)
    assert 0 < schedules.cosine(T, 0.1, T) < 1e-4
    assert list(schedules.linear_warmup([1, 2, 4, 9], 0.8, warmup=4)) == pytest.approx([0.2, 0.4, 0.8, 0.8])
    ramp_top, cosine_start = schedules.warmup_cosine([10, 11], 0.1, 10, 100)
    assert ramp_top == pytest.approx(0.1) and cosine_start == pytest.approx(0.1)
    assert schedules.warmup_cosine(55, 0.1, 10, 100) == pytest.approx(0.05 * (1 + math.cos(math.pi * 44 / 90)))


@pytest.mark.parametrize("name", list(schedules.SCHEDULES))
def test_schedules_are_vectorised_and_positive(name):
    fn = schedules.SCHEDULES[name]
    settings = {"constant": {}, "step_decay": {"every": 7}, "cosine": {"total": 50}, "linear_warmup": {"warmup": 5},
                "warmup_cosine": {"warmup": 5, "total": 50}}[name]
    t = np.arange(1, 51)
    values = fn(t, 0.2, **settings)
    assert values.shape == t.shape and np.all(values > 0) and np.all(values <= 0.2 + 1e-15)
    assert [fn(int(k), 0.2, **settings) for k in t] == pytest.approx(list(values))


@pytest.mark.parametrize("call, error, message", [
    (lambda: schedules.cosine(0, 0.1, 10), ValueError, "start at 1"),
    (lambda: schedules.cosine(1.5, 0.1, 10), TypeError, "integer step numbers"),
    (lambda: schedules.cosine(True, 0.1, 10), TypeError, "not a bool"),
    (lambda: schedules.cosine(1, -0.1, 10), ValueError, "lr must be positive"),
    (lambda: schedules.cosine(1, 0.1, 0), ValueError, "total must be a positive integer"),
    (lambda: schedules.cosine(1, 0.1, 10, lr_min=0.2), ValueError, "lr_min must not exceed lr"),
    (lambda: schedules.step_decay(1, 0.1, every=5, drop=2.0), ValueError, "drop must lie in"),
    (lambda: schedules.warmup_cosine(1, 0.1, 10, 10), ValueError, "warmup must be shorter"),
    (lambda: schedules.linear_warmup("3", 0.1, 2), TypeError, "integer step numbers"),
])
def test_schedules_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --- the races --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, lr", [("sgd", 1e-3), ("momentum", 1e-3), ("adam", 0.3), ("rmsprop", 0.01),
                                      ("sgd", 0.01)])  # the last one diverges from some starts
def test_descend_many_rows_are_descend_paths(name, lr):
    s = surfaces.get_surface("rosenbrock")
    starts = race.surface_starts(s, n=6)
    batch = race.descend_many(s, starts, name, lr, 150)
    for i, start in enumerate(starts):
        path = descent.descend(s, start, optimizer=optim.make_optimizer(name, lr=lr), steps=150, tol=0.0)
        k = len(path.points)
        assert np.allclose(batch.points[:k, i], path.points, rtol=1e-12, atol=1e-12)
        assert batch.diverged[i] == path.diverged
        if path.diverged:
            assert batch.diverged_at[i] == k and np.all(batch.points[k:, i] == path.points[-1])
    assert np.all(np.isfinite(batch.points)) and np.all(np.isfinite(batch.losses))


def test_surface_starts_and_scores():
    for name in surfaces.SURFACES:
        s = surfaces.get_surface(name)
        P = race.surface_starts(s, n=10, seed=4)
        assert P.shape == (10, 2) and tuple(P[0]) == s.start
        assert np.all((P[:, 0] >= s.xlim[0]) & (P[:, 0] <= s.xlim[1]) & (P[:, 1] >= s.ylim[0]) & (P[:, 1] <= s.ylim[1]))
        assert np.array_equal(P, race.surface_starts(s, n=10, seed=4))
    assert race.surface_score("bowl", [1e-4, 1e-6], [False, False]) == pytest.approx(-5.0)
    assert race.surface_score("bowl", [0.0, 0.0], [False, False]) == pytest.approx(-16.0)
    assert race.surface_score("bowl", [1e-4, 1e-6], [False, True]) == math.inf


def test_tune_surface_searches_the_grid_reproducibly():
    t = race.tune_surface("elongated_bowl", "sgd", 60)
    assert t.lr in race.LR_GRID and t.scores.shape == (len(race.LR_GRID),)
    assert t.score == pytest.approx(float(np.nanmin(np.where(np.isfinite(t.scores), t.scores, np.nan))))
    assert t.lr < 0.1  # 2/μ_max: above it plain descent diverges on this bowl
    assert np.all(np.isinf(t.scores[np.array(race.LR_GRID) > 0.1]))
    again = race._tune_surface.__wrapped__(surfaces.get_surface("elongated_bowl"), "sgd", 60,
                                           tuple(map(tuple, race.surface_starts("elongated_bowl"))), race.LR_GRID,
                                           False, ())
    assert again.lr == t.lr and np.array_equal(again.scores, t.scores)
    refined = race.tune_surface("elongated_bowl", "sgd", 60, lrs=race.LR_GRID[::2], refine=True)
    assert len(refined.lrs) == len(race.LR_GRID[::2]) + 2


def test_quadratic_rotated_and_scaled_surfaces(rng):
    R = race.rotation(0.7)
    assert np.allclose(R @ R.T, np.eye(2))
    H = R @ np.diag([2.0, 20.0]) @ R.T
    s = race.quadratic_surface(H, "turned")
    w = rng.normal(size=(5, 2))
    h = 1e-6
    for i in range(2):
        e = np.zeros(2)
        e[i] = h
        assert np.allclose((s.f(w + e) - s.f(w - e)) / (2 * h), s.grad(w)[:, i], atol=1e-6)
    assert s.lr_limit == pytest.approx(0.1)
    scaled = race.scaled_surface("rosenbrock", 100.0)
    base = surfaces.get_surface("rosenbrock")
    assert np.allclose(scaled.grad(w), 100 * base.grad(w)) and scaled.minima == base.minima
    with pytest.raises(ValueError, match="positive definite"):
        race.quadratic_surface(np.diag([1.0, -1.0]))
    with pytest.raises(ValueError, match="symmetric"):
        race.quadratic_surface(np.array([[1.0, 2.0], [0.0, 1.0]]))


def test_which_minimum_and_the_online_problem():
    s = surfaces.get_surface("two_minima")
    assert list(race.which_minimum(s, np.array([s.minima[0], s.minima[1], (0.07, 0.0)]))) == [0, 1, -1]
    assert list(race.which_minimum("saddle", np.zeros((2, 2)))) == [-1, -1]
    bad = race.online_problem("adam", 3000, lr=0.1, beta1=0.0, beta2=0.1)
    good = race.online_problem("adam", 3000, lr=0.1)
    assert bad[-300:].mean() > 0.9 and good[-300:].mean() < -0.99
    assert np.all(np.abs(bad) <= 1.0)
    with pytest.raises(ValueError, match="C must exceed 2"):
        race.online_problem("adam", 10, C=1.5)


def test_train_digits_is_reproducible_and_catches_divergence():
    a = race.train_digits("adam", 0.01, seed=3, epochs=2)
    b = race.train_digits("adam", 0.01, seed=3, epochs=2)
    assert np.array_equal(a.loss, b.loss) and a.final_loss == b.final_loss and not a.diverged
    assert a.loss.shape == (3,) and a.loss[2] < a.loss[0] and 0.5 < a.val_accuracy <= 1
    quick = race.train_digits("adam", 0.01, seed=3, epochs=2, validate=False)
    assert quick.final_loss == a.final_loss and math.isnan(quick.val_loss) and math.isnan(quick.val_accuracy)
    X_fit, _, y_fit, _ = race.digits_data()
    fresh = race.MLP(**race.DIGITS_NET, seed=3)
    assert a.loss[0] == race.evaluate(fresh, X_fit, y_fit)[0]  # the cached start loss is the fresh network's
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        blown = race.train_digits("sgd", 50.0, seed=0, epochs=3)
    assert blown.diverged and blown.final_loss == math.inf
    sched = race.train_digits("momentum", 0.1, seed=0, epochs=4,
                              schedule=lambda t: float(schedules.cosine(t, 0.1, total=4)))
    assert np.allclose(sched.lrs, schedules.cosine(np.arange(1, 5), 0.1, total=4))


def test_race_digits_protocol():
    lrs = {"sgd": 0.3, "adam": 0.01}
    first = race.race_digits(names=("sgd", "adam"), epochs=2, seeds=(0, 1), lrs=lrs)
    second = race.race_digits(names=("sgd", "adam"), epochs=2, seeds=(0, 1), lrs=lrs)
    for n in ("sgd", "adam"):
        assert np.array_equal(first.loss[n], second.loss[n]) and first.loss[n].shape == (2, 3)
    mean, sd = first.summary()["adam"]
    assert mean == pytest.approx(first.final_loss["adam"].mean()) and sd >= 0
    tuned = race.tune_digits("sgd", epochs=1, lrs=(0.01, 0.1, 1.0), refine=True)
    assert len(tuned.lrs) == 5 and tuned.lr in tuned.lrs
    with pytest.raises(ValueError, match="must differ from the tuning seeds"):
        race.race_digits(names=("sgd",), epochs=1, seeds=(100, 1), lrs=lrs)
    with pytest.raises(ValueError, match="at least two seeds"):
        race.race_digits(names=("sgd",), epochs=1, seeds=(0,), lrs=lrs)
    with pytest.raises(ValueError, match="unknown optimizer 'lion'"):
        race.tune_digits("lion")


@pytest.mark.parametrize("call, message", [
    (lambda: race.descend_many("bowl", [[0.0, 0.0, 0.0]], "sgd", 0.1, 5), r"shape \(n, 2\)"),
    (lambda: race.descend_many("bowl", [[2e3, 0.0]], "sgd", 0.1, 5), "must lie inside"),
    (lambda: race.descend_many("bowl", [[1.0, 0.0]], "sgd", -0.1, 5), "lr must be positive"),
    (lambda: race.descend_many("bowl", [[1.0, 0.0]], "sgd", 0.1, -2), "steps must be a non-negative integer"),
    (lambda: race.tune_surface("bowl", "sgd", 10, lrs=[]), "non-empty"),
    (lambda: race.surface_starts("bowl", n=0), "n must be a positive integer"),
])
def test_race_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- the widgets ----------------------------------------------------------------------------------------------

def test_momentum_widget_draws_nnmath_mode_errors():
    pg = widgets.MomentumQuadraticPlayground()
    pg.update(kappa=100.0, lr=1.0, beta=0.5, method="heavy_ball")
    curves = pg.mode_curves(100.0, 1.0, 0.5, "heavy_ball")
    for line, c in zip(pg.mode_lines, curves):
        x, y = line.get_data()
        assert np.array_equal(y, np.clip(c[np.asarray(x, dtype=int)], 1e-9, 1e3))
    assert pg.point.get_data() == ([1.0], [0.5])
    rho = M.convergence_factor(1.0, 0.5, [0.01, 1.0])
    assert f"ρ = {rho:.3f}" in pg.verdict.get_text() and not pg.verdict_diverges.get_text()
    pg.update(kappa=10.0, lr=3.9, beta=0.9, method="nesterov")
    assert pg.verdict_diverges.get_text().startswith("diverged") and not pg.verdict.get_text()
    assert pg.numbers(kappa=10.0, lr=3.9, beta=0.9, method="nesterov")["diverges"]


def test_momentum_widget_page_has_a_background_per_kappa_and_method():
    pg = widgets.MomentumQuadraticPlayground()
    page = pg.static_page()
    assert page["equation"] == "momentum_quadratic" and len(page["backgrounds"]) == 3 * 2
    keys = set()
    for values in page["backgrounds"]:
        pg.update(**{**pg.values(), **values})
        keys.add(pg.static_key)
    assert len(keys) == 6
    for lr in (0.01, 0.1, 1.0, 3.0, 3.9):  # the verdict is nnmath.momentum's, converging or not
        numbers = pg.numbers(kappa=10.0, lr=lr, beta=0.5, method="heavy_ball")
        rho = M.convergence_factor(lr, 0.5, [0.1, 1.0])
        assert numbers["rho"] == rho and f"ρ = {rho:.3f}" in numbers["verdict"]
        assert numbers["diverges"] == (rho >= 1) == (lr >= M.lr_limit(0.5, 1.0))


def test_race_widget_runs_nnmath_at_the_tuned_rates():
    pg = widgets.OptimizerRacePlayground()
    values = pg.values()
    pg.update(**values)
    chosen = pg.settings(**values)
    assert list(chosen) == ["sgd", "momentum", "rmsprop", "adam"]
    for name, (eta, hyper) in chosen.items():
        assert eta == race.tune_surface("rosenbrock", name, race.SURFACE_BUDGETS["rosenbrock"]).lr
        path = descent.descend("rosenbrock", optimizer=optim.make_optimizer(name, lr=eta, **hyper),
                                steps=values["steps"])
        assert np.array_equal(pg.trajectories[name].points, path.points)
        assert any(outcome(path, "rosenbrock") in t.get_text() for t in pg.texts)
    numbers = pg.numbers(**values)
    assert numbers["names"] == list(chosen) and numbers["disabled"] == ["lr"]
    assert [len(x) for x in numbers["x"]] == [values["steps"] + 1] * 4


def test_race_widget_flags_divergence():
    pg = widgets.OptimizerRacePlayground(optimizers=("momentum", "adam"), mode="same", lr=10**0.5)
    numbers = pg.numbers(**pg.values())
    assert numbers["diverged"] == [True, False]  # Adam's steps are about η long: it wanders, it does not leave
    assert numbers["texts"][0].startswith("momentum (η = 3.16): diverged after")
    momentum, adam = pg.texts[:2]
    assert "diverged" in momentum.get_text() and momentum.get_fontweight() == "bold"
    assert pg.ends[0].get_marker() == "X"
    assert set(pg.disabled(**pg.values())) == {"factor"}  # momentum's β and Adam's β₁, β₂ are in use
    pg.set(mode="tuned")
    numbers = pg.numbers(**pg.values())
    assert numbers["diverged"] == [False, False] and numbers["texts"][0].startswith("momentum (η = 0.001): 300 steps")
    assert pg.adjust("surface", {**pg.values(), "surface": "bowl"})["steps"] == race.SURFACE_BUDGETS["bowl"]
    pg.set(opt1="sgd", opt2="sgd")  # a repeat races once; no momentum nor Adam: their β sliders are greyed out
    assert pg.numbers(**pg.values())["names"] == ["sgd"]
    assert pg.disabled(**pg.values()) == ["lr", "beta", "beta1", "beta2"]


def test_race_widget_does_what_the_chapter_says():
    """The bullets under "Race them yourself", at the positions they name."""
    def race_at(**values):
        pg = widgets.OptimizerRacePlayground(**{k: v for k, v in values.items() if k in ("surface", "optimizers")})
        pg.set(**{k: v for k, v in values.items() if k not in ("surface", "optimizers")})
        return pg.numbers(**pg.values())

    def gap(numbers, name):
        return numbers["gaps"][numbers["names"].index(name)][-1]

    duel = [race_at(optimizers=("momentum", "adam"), factor=10**k) for k in (0, 0.25, 0.5, 0.75, 1)]
    assert not any(duel[0]["diverged"] + duel[1]["diverged"])
    assert gap(duel[1], "momentum") < gap(duel[0], "momentum") and gap(duel[1], "adam") < gap(duel[0], "adam")
    assert duel[2]["texts"][0] == "momentum (η = 0.00316): diverged after 4 steps"
    adam = [gap(d, "adam") for d in duel]
    assert adam[2] == min(adam) and not any(d["diverged"][1] for d in duel)
    same = race_at(mode="same", lr=10**-2.5)
    assert same["diverged"] == [True, True, False, False]  # SGD, momentum; RMSprop and Adam barely move
    assert all(gap(same, n) > 1 for n in ("rmsprop", "adam"))
    bowl = race_at(surface="elongated_bowl", optimizers=("sgd", "momentum", "nesterov"))
    assert max(bowl["gaps"], key=lambda g: g[-1]) is bowl["gaps"][1]  # momentum at β = 0.9, the slowest
    low = race_at(surface="elongated_bowl", optimizers=("sgd", "momentum", "nesterov"), mode="same", lr=10**-1.25,
                  beta=0.3)
    assert gap(low, "momentum") == race.LOSS_FLOOR and 1e-10 < gap(low, "sgd") < 1e-9
    wells = [race_at(surface="two_minima", factor=10**k) for k in (0, 0.25, 0.5)]
    ends = [race.which_minimum("two_minima", np.column_stack([[x[-1] for x in w["x"]], [y[-1] for y in w["y"]]]))
            for w in wells]
    higher = int(np.argmax([surfaces.get_surface("two_minima").f(np.array(m)) for m in
                            surfaces.get_surface("two_minima").minima]))
    assert list(ends[0]) == [higher] * 4
    assert ends[1][wells[1]["names"].index("adam")] == 1 - higher and ends[2][wells[2]["names"].index("adam")] == higher
    saddle = race_at(surface="saddle", mode="same", lr=0.01)
    f = {n: saddle["losses"][i][-1] for i, n in enumerate(saddle["names"])}
    assert f["momentum"] < f["adam"] < f["sgd"] and f["rmsprop"] < f["sgd"]


def test_race_widget_page_has_what_the_page_needs():
    pg = widgets.OptimizerRacePlayground()
    page = pg.static_page()
    surfaces = page["data"]["surfaces"]
    assert set(surfaces) == set(race.SURFACE_BUDGETS) and len(page["backgrounds"]) == 5  # one per surface
    for end, ticks in page["data"]["xticks"].items():  # the step axis, drawn by the page, from 0 to its end
        assert ticks[0] == [0.0, "0"] and ticks[-1] == [float(end), str(end)]
    for name, s in surfaces.items():
        assert s["tuned"] == {n: pg.tuned_lr(name, n) for n in race.OPTIMIZER_NAMES}
        assert s["budget"] == race.SURFACE_BUDGETS[name] and s["symlog"] == (name == "saddle")
    assert {f"ink_{n}" for n in race.OPTIMIZER_NAMES} <= set(page["templates"])
    before = pg.background_rgba()
    assert np.array_equal(before, pg.background_rgba())  # the style samples are never drawn


def test_race_widget_rejects_bad_line_ups():
    with pytest.raises(ValueError, match="at most 4 optimizers"):
        widgets.OptimizerRacePlayground(optimizers=("sgd",) * 5)
    with pytest.raises(ValueError, match="unknown optimizer 'lion'"):
        widgets.OptimizerRacePlayground(optimizers=("lion",))


def test_adam_bias_correction_powers_are_products():
    """β^t by repeated squaring: within t units of the last place (t 2^-53 relative) of the exact power, and the
    same on every machine (and in the static book's script)."""
    from fractions import Fraction

    for beta in (0.9, 0.99, 0.999, 0.9999, 0.37):
        for t in (0, 1, 2, 3, 10, 100, 499, 10_000):
            exact = float(Fraction(beta) ** t)
            assert optim._power(beta, t) == pytest.approx(exact, rel=max(t, 1) * 2.0**-53, abs=0)
    assert optim._power(0.5, 10) == 2.0**-10


def test_surfaces_give_the_same_bits_on_a_point_and_on_a_grid(rng):
    points = rng.uniform(-2, 2, size=(500, 2))
    for name in ("rosenbrock", "two_minima"):
        s = surfaces.get_surface(name)
        assert np.array_equal(s.f(points), [s.f(p) for p in points])


# --- the exercises' references are the optimizers ------------------------------------------------------------

def test_exercise_references_match_the_optimizers(rng):
    w, v = rng.normal(size=3), np.zeros(3)
    opt, w_opt = optim.Momentum(lr=0.05, beta=0.9), w.copy()
    m, s = np.zeros(3), np.zeros(3)
    adam, w_adam, w_ref = optim.Adam(lr=0.01), w.copy(), w.copy()
    for t in range(1, 30):
        g = rng.normal(size=3)
        w, v = ch07.momentum_step(w, v, g, 0.05, 0.9)
        opt.step([w_opt], [g.copy()])
        assert np.allclose(w, w_opt, rtol=1e-12, atol=1e-14)
        w_ref, m, s = ch07.adam_step(w_ref, m, s, g, t, 0.01, 0.9, 0.999, 1e-8)
        adam.step([w_adam], [g.copy()])
        assert np.allclose(w_ref, w_adam, rtol=1e-10, atol=1e-13)
    assert ch07.heavy_ball_rate(0.5, 0.0, 1.0) == pytest.approx(0.5)
    assert ch07.warmup_cosine_lr(11, 0.1, 10, 100) == pytest.approx(0.1)


def test_exercise_checks_catch_typical_slips():
    from nnmath.exercises import check

    lagging = check("momentum_step", lambda w, v, g, lr, beta: (w + v, beta * v - lr * g))
    assert not lagging.passed and "v = [0.]" in lagging.message and "expected [0.8]" in lagging.message
    no_correction = check("adam_step", lambda w, m, s, g, t, lr, b1, b2, eps: (
        w - lr * (b1 * m + (1 - b1) * g) / (np.sqrt(b2 * s + (1 - b2) * g * g) + eps),
        b1 * m + (1 - b1) * g, b2 * s + (1 - b2) * g * g))
    assert not no_correction.passed
    off_by_one = check("warmup_cosine_lr", lambda t, lr, w, T: lr * t / w if t <= w else
                       0.5 * lr * (1 + np.cos(np.pi * (t - w) / (T - w))))
    assert not off_by_one.passed and "t = 11" in off_by_one.message
    real_sqrt = check("heavy_ball_rate", lambda lr, beta, mu: max(
        abs((1 + beta - lr * mu + np.sqrt((1 + beta - lr * mu) ** 2 - 4 * beta + 0j)) / 2),
        abs((1 + beta - lr * mu - np.sqrt((1 + beta - lr * mu) ** 2 - 4 * beta + 0j)) / 2)))
    assert real_sqrt.passed


def test_chapter_seven_lists_every_optimizer():
    assert set(race.OPTIMIZER_NAMES) == set(optim.OPTIMIZERS)
    assert set(race.LABELS) == set(race.OPTIMIZER_NAMES)
    assert {v for _, v in widgets.optimizer_race.OPTIMIZER_CHOICES} == {"none", *race.OPTIMIZER_NAMES}
