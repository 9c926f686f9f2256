"""Tests for what chapter 3 adds: universal approximation, gradients through depth, its figures, widgets, exercises."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nnmath as nm
from nnmath import approximation as ap
from nnmath import depth, init, plots, widgets
from nnmath.exercises import check
from nnmath.gradcheck import numerical_gradient, relative_error
from nnmath.widgets.softmax_temperature import entropy_bits


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --- nnmath.approximation -----------------------------------------------------------------------

def test_van_der_corput_mirrors_binary_digits():
    assert ap.van_der_corput(7).tolist() == [0.5, 0.25, 0.75, 0.125, 0.625, 0.375, 0.875]
    pts = ap.van_der_corput(2 ** 5 - 1)
    assert sorted(pts) == pytest.approx(np.arange(1, 32) / 32)  # the first 2^m - 1 points: multiples of 2^-m


def test_random_hidden_layer_is_nested_and_centred_where_promised():
    W10, b10 = ap.random_hidden_layer(10, (-3, 3), seed=4)
    W4, b4 = ap.random_hidden_layer(4, (-3, 3), seed=4)
    assert W10.shape == (1, 10) and b10.shape == (10,)
    assert np.array_equal(W10[:, :4], W4) and np.array_equal(b10[:4], b4)
    centres = -b10 / W10[0]
    assert centres == pytest.approx(-3 + 6 * ap.van_der_corput(10))
    k = np.abs(W10[0]) * 6
    assert np.all((k >= 4 - 1e-9) & (k <= 60 + 1e-9))
    with pytest.raises(ValueError, match="positive integer"):
        ap.random_hidden_layer(0)
    with pytest.raises(ValueError, match="lo < hi"):
        ap.random_hidden_layer(3, (1.0, 1.0))


def test_hidden_features_and_network_output_follow_the_sum(rng):
    W, b = ap.random_hidden_layer(5)
    x = rng.uniform(-3, 3, size=7)
    v, c = rng.normal(size=5), 0.3
    H = ap.hidden_features(x, W, b, "tanh")
    by_hand = np.array([[np.tanh(W[0, j] * xi + b[j]) for j in range(5)] for xi in x])
    assert np.allclose(H, by_hand)
    assert np.allclose(ap.one_hidden_layer(x, W, b, v, c, "tanh"), by_hand @ v + c)
    with pytest.raises(ValueError, match="v has 4 entries"):
        ap.one_hidden_layer(x, W, b, v[:4], c, "tanh")


def test_fit_output_layer_solves_the_ridge_problem(rng):
    H, y, lam = rng.normal(size=(40, 6)), rng.normal(size=40), 0.3
    v, c = ap.fit_output_layer(H, y, lam)
    # the same minimiser from an independent route: least squares on the stacked system
    A = np.vstack([np.hstack([H, np.ones((40, 1))]), np.hstack([np.sqrt(lam) * np.eye(6), np.zeros((6, 1))])])
    ref, *_ = np.linalg.lstsq(A, np.concatenate([y, np.zeros(6)]), rcond=None)
    assert np.allclose(np.r_[v, c], ref)
    # and the gradient of the objective vanishes there
    r = H @ v + c - y
    assert np.allclose(2 * H.T @ r + 2 * lam * v, 0, atol=1e-9) and abs(2 * r.sum()) < 1e-9


def test_fit_is_exact_when_the_target_is_in_the_span():
    x = np.linspace(-3, 3, 101)
    W, b = ap.random_hidden_layer(8)
    H = ap.hidden_features(x, W, b, "relu")
    y = H @ np.arange(1.0, 9.0) - 2.0
    v, c = ap.fit_output_layer(H, y, 1e-12)
    assert np.abs(H @ v + c - y).max() < 1e-6


def test_nested_fits_equal_separate_fits(rng):
    x = np.linspace(-3, 3, 201)
    W, b = ap.random_hidden_layer(12)
    H = ap.hidden_features(x, W, b, "sigmoid")
    y = np.sin(2 * x)
    fits = ap.fit_output_layers_nested(H, y)
    assert len(fits) == 12
    for m in (1, 5, 12):
        v, c = ap.fit_output_layer(H[:, :m], y)
        assert np.allclose(fits[m - 1][0], v, rtol=1e-6, atol=1e-8) and fits[m - 1][1] == pytest.approx(c)
    with pytest.raises(ValueError, match="H has 201 rows but y has 3"):
        ap.fit_output_layer(H, y[:3])
    with pytest.raises(ValueError, match="positive"):
        ap.fit_output_layer(H, y, 0.0)


def test_hat_is_the_triangle():
    x = np.linspace(-3, 3, 121)
    assert np.allclose(ap.hat(x), np.maximum(0, 1 - np.abs(x)))


def test_relu_interpolant_passes_through_the_points_and_meets_the_error_bound():
    t = np.array([-1.0, 0.0, 0.5, 2.0])
    y = np.array([2.0, -1.0, 0.0, 3.0])
    W, b, v, c = ap.relu_interpolant(t, y)
    assert W.shape == (1, 3) and b.shape == v.shape == (3,)
    assert np.allclose(ap.one_hidden_layer(t, W, b, v, c, "relu"), y)
    mid = (t[:-1] + t[1:]) / 2  # linear in between
    assert np.allclose(ap.one_hidden_layer(mid, W, b, v, c, "relu"), (y[:-1] + y[1:]) / 2)
    for m in (4, 16, 64):  # sin(2x): |f''| <= 4, so the error is at most 4 h^2 / 8
        knots = np.linspace(-3, 3, m + 1)
        x = np.linspace(-3, 3, 3001)
        err = np.abs(ap.one_hidden_layer(x, *ap.relu_interpolant(knots, np.sin(2 * knots)), "relu") - np.sin(2 * x))
        assert err.max() <= 4 * (6 / m) ** 2 / 8 + 1e-12
    with pytest.raises(ValueError, match="strictly increasing"):
        ap.relu_interpolant([0.0, 0.0, 1.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"knots and values must have the same shape \(knots: \(2,\), values: \(1,"):
        ap.relu_interpolant([0.0, 1.0], [1.0])
    with pytest.raises(ValueError, match="at least 2 knots"):
        ap.relu_interpolant([0.0], [1.0])


# --- nnmath.depth -------------------------------------------------------------------------------

def test_weight_std_rules():
    assert init.weight_std(100, 300, "xavier") == pytest.approx(np.sqrt(2 / 400))
    assert init.weight_std(50, 10, "he") == pytest.approx(np.sqrt(2 / 50))
    assert init.weight_std(7, 7, "standard") == 1.0
    with pytest.raises(ValueError, match="unknown init"):
        init.weight_std(3, 3, "zeros")


def test_random_deep_network_is_nested_and_scaled():
    deep = depth.random_deep_network(32, 10, "he", seed=5)
    shallow = depth.random_deep_network(32, 4, "he", seed=5)
    assert len(deep) == 10 and deep[0][0].shape == (32, 32) and deep[0][1].shape == (32,)
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(deep, shallow))
    assert np.std(np.stack([W for W, _ in deep])) == pytest.approx(np.sqrt(2 / 32), rel=0.05)
    with pytest.raises(ValueError, match="depth must be a positive integer"):
        depth.random_deep_network(8, 0)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "elu"])
def test_gradient_norms_match_finite_differences(activation, rng):
    X = rng.normal(size=(5, 4))
    layers = [(rng.normal(size=(4, 4)) * 0.8, rng.normal(size=4) * 0.1) for _ in range(3)]
    G = rng.normal(size=(5, 4))
    res = depth.gradient_norms(X, layers, activation, G=G)
    f = nm.get_activation(activation).f

    def loss(W_first):
        A = X
        for k, (W, b) in enumerate(layers):
            A = f(A @ (W_first if k == 0 else W) + b)
        return float(np.sum(G * A))

    numeric = numerical_gradient(loss, layers[0][0])
    assert relative_error(np.linalg.norm(numeric), res.dW[0]) < 1e-7
    assert res.dW.shape == res.dZ.shape == res.mean_f_prime.shape == res.mean_abs_a.shape == (3,)


def test_backpropagated_signal_obeys_the_derivative_bound(rng):
    # ||dL/dZ^{l-1}||_F <= max|f'| * ||W^{l}||_2 * ||dL/dZ^{l}||_F, with max sigma' = 1/4
    X = rng.normal(size=(32, 16))
    layers = depth.random_deep_network(16, 12, "xavier", seed=3)
    res = depth.gradient_norms(X, layers, "sigmoid")
    for ell in range(1, 12):
        bound = 0.25 * np.linalg.norm(layers[ell][0], 2) * res.dZ[ell]
        assert res.dZ[ell - 1] <= bound * (1 + 1e-12)
    assert np.all(res.mean_f_prime <= 0.25)


def test_sigmoid_gradients_vanish_and_relu_with_he_weights_do_not():
    X = np.random.default_rng(1).standard_normal((64, 64))
    sig = depth.gradient_norms(X, depth.random_deep_network(64, 20, "xavier"), "sigmoid")
    rel = depth.gradient_norms(X, depth.random_deep_network(64, 20, "he"), "relu")
    assert sig.dW[0] / sig.dW[-1] < 1e-8
    assert 0.1 < rel.dW[0] / rel.dW[-1] < 10


def test_gradient_norms_rejects_a_wrong_upstream_gradient(rng):
    layers = depth.random_deep_network(4, 2)
    with pytest.raises(ValueError, match=r"G and the output must have the same shape \(G: \(3, 5\), the output: \(3,"):
        depth.gradient_norms(rng.normal(size=(3, 4)), layers, "relu", G=np.ones((3, 5)))


# --- figures ------------------------------------------------------------------------------------

def test_static_figures_draw():
    assert len(plots.activation_gallery().axes) == 6
    fig = plots.what_relu_adds([[1.0, 1.0], [1.0, 1.0]], [0.0, -1.0], [1.0, -2.0], 0.0)
    labels = [t.get_text() for t in fig.axes[2].texts]
    assert labels == ["0", "1", "1", "0"]  # the XOR network's outputs on the four corners
    fig = plots.dying_relu([0.5, 0.4, 0.6], [0.0, 0.1, 0.0], [0.0, 0.2, 0.0], [0.01, 0.2, 0.02])
    assert "2 of 3 are dead" in fig.axes[0].get_title()
    assert len(plots.relu_interpolation(np.sin, f2_max=1.0).axes) == 2


# --- widgets ------------------------------------------------------------------------------------

@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu", "elu"])
def test_explorer_tangent_has_the_derivative_as_slope(activation):
    pg = widgets.ActivationExplorerPlayground()
    pg.update(activation=activation, z0=-1.3, z_max=6.0, alpha=0.3)
    z, t = pg.tangent.get_data()
    f, f_prime = pg.functions(activation, 0.3)
    slope = (t[-1] - t[0]) / (z[-1] - z[0])
    assert slope == pytest.approx(float(f_prime(np.array([-1.3]))[0]))
    assert pg.f_point.get_data()[1][0] == pytest.approx(float(f(np.array([-1.3]))[0]))
    assert "centred diff." in pg.note.get_text()


def test_explorer_keeps_the_point_in_view_and_explains_the_kink():
    pg = widgets.ActivationExplorerPlayground()
    pg.update(activation="relu", z0=9.5, z_max=2.0, alpha=0.1)
    assert pg.ax_f.get_xlim()[1] >= 9.5
    pg.update(activation="relu", z0=0.0, z_max=2.0, alpha=0.1)
    assert "kink" in pg.note.get_text()


def test_vanishing_widget_axes_are_fixed_and_results_cached():
    pg = widgets.VanishingGradientPlayground()
    limits = (pg.ax_g.get_ylim(), pg.ax_r.get_ylim())
    for d in (2, 30, 60):
        pg.update(depth=d, init="he")
        assert (pg.ax_g.get_ylim(), pg.ax_r.get_ylim()) == limits
        assert len(pg.lines["relu"].get_xdata()) == d
    assert pg.measure(30, "he") is pg.measure(30, "he")
    sig = pg.measure(40, "xavier")["sigmoid"].dW
    ylo, yhi = pg.ax_g.get_ylim()
    assert ylo <= sig.min() and sig.max() <= yhi


def test_softmax_widget_is_invariant_to_a_shift_and_has_the_right_limits():
    pg = widgets.SoftmaxTemperaturePlayground()
    assert np.allclose(pg.probabilities(0.7, 0.0), pg.probabilities(0.7, -9.5))
    cold, hot = pg.probabilities(0.05), pg.probabilities(20.0)
    assert cold[0] > 0.999 and np.allclose(hot, 0.2, atol=0.03)
    pg.update(T=1.0, shift=3.0)
    assert [b.get_height() for b in pg.p_bars] == pytest.approx(nm.softmax(np.array(pg.z)))
    assert entropy_bits(np.zeros(4)) == pytest.approx(2.0)
    assert entropy_bits(np.array([0.0, -1000.0])) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
def test_approximation_objective_never_grows_with_more_units(activation):
    # nested fits: with one more unit the old solution (new weight 0) is still available
    pg = widgets.ApproximationPlayground()
    data = pg.fits(activation, "sin(2x)")
    fits = ap.fit_output_layers_nested(data["H"], data["y"], pg.ridge)
    objective = [np.sum((data["H"][:, :m] @ v + c - data["y"]) ** 2) + pg.ridge * v @ v
                 for m, (v, c) in enumerate(fits, start=1)]
    assert np.all(np.diff(objective) <= 1e-12)
    assert data["rms"][-1] < 0.01 * data["rms"][0] and data["max"][-1] < 0.05


def test_approximation_of_a_step_keeps_a_large_max_error():
    pg = widgets.ApproximationPlayground()
    data = pg.fits("sigmoid", "step (not continuous)")
    assert data["max"].min() > 0.4 and data["rms"][-1] < data["rms"][0]


# --- exercises ----------------------------------------------------------------------------------

def test_chapter_3_exercises_catch_the_typical_mistakes():
    naive = check("sigmoid_prime", lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2)
    assert not naive.passed and "nan" in naive.message
    assert check("sigmoid_prime", lambda z: nm.sigmoid(z) * (1 - nm.sigmoid(z))).passed
    at_zero = check("leaky_relu_prime", lambda z, alpha: np.where(z >= 0, 1.0, alpha))
    assert not at_zero.passed and "alpha = 0.01" in at_zero.message
    naive_softmax = check("stable_softmax", lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True))
    assert not naive_softmax.passed
    global_max = check("stable_softmax", lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(axis=1,
                                                                                                  keepdims=True))
    assert not global_max.passed
    assert check("hat", lambda x: np.maximum(0, 1 - np.abs(x))).passed
