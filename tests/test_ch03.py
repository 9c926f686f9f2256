"""Tests for what chapter 3 adds: universal approximation, gradients through depth, its figures, exercises.

Its widgets are tested in test_widgets_ch03_04.py."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nnmath as nm
from nnmath import approximation as ap
from nnmath import depth, init, plots
from nnmath.exercises import check
from nnmath.gradcheck import numerical_gradient, relative_error


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
    with pytest.raises(ValueError, match="w2 has 4 entries"):
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
    with pytest.raises(ValueError, match="A has 201 rows but y has 3"):
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
    for m in (4, 16, 64):  # sin(2x): |f''| <= 4, so the error is at most 4 Δt² / 8
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
    res = depth.gradient_norms(X, layers, activation, dA=G)
    f = nm.get_activation(activation).f

    def loss(W_first):
        A = X
        for k, (W, b) in enumerate(layers):
            A = f(A @ (W_first if k == 0 else W) + b)
        return float(np.sum(G * A))

    numeric = numerical_gradient(loss, layers[0][0])
    assert relative_error(np.linalg.norm(numeric), res.dW[0]) < 1e-7
    assert res.dW.shape == res.dZ.shape == res.mean_f_prime.shape == res.mean_abs_a.shape == res.flat.shape == (3,)


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
    with pytest.raises(ValueError, match=r"dA and the output must have the same shape \(dA: \(3, 5\), the output"):
        depth.gradient_norms(rng.normal(size=(3, 4)), layers, "relu", dA=np.ones((3, 5)))


def test_gains_multiply_to_the_ratio_of_first_and_last(rng):
    X = rng.normal(size=(16, 8))
    res = depth.gradient_norms(X, depth.random_deep_network(8, 6, "he", seed=1), "tanh")
    assert res.gains.shape == (5,)
    assert res.gains == pytest.approx(res.dZ[:-1] / res.dZ[1:])
    assert np.prod(res.gains) == pytest.approx(res.dZ[0] / res.dZ[-1])
    assert res.mean_gain ** 5 == pytest.approx(res.dZ[0] / res.dZ[-1])
    assert np.isnan(depth.gradient_norms(X, depth.random_deep_network(8, 1), "tanh").mean_gain)


def test_mean_sq_z_and_flat_are_what_the_forward_pass_has(rng):
    X = rng.normal(size=(20, 6))
    layers = depth.random_deep_network(6, 3, 0.9, seed=2)
    res = depth.gradient_norms(X, layers, "sigmoid")
    A = X
    for k, (W, b) in enumerate(layers):
        Z = A @ W + b
        assert res.mean_sq_z[k] == pytest.approx(np.mean(Z ** 2))
        assert res.flat[k] == pytest.approx(np.mean(nm.sigmoid_prime(Z) < depth.FLAT))
        A = nm.sigmoid(Z)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu", "elu"])
def test_every_gain_is_within_its_bound(activation, rng):
    X = rng.normal(size=(32, 16))
    layers = depth.random_deep_network(16, 10, 0.6, seed=4)
    res = depth.gradient_norms(X, layers, activation)
    bounds = depth.gain_bounds(layers, activation)
    assert bounds.shape == (9,)
    assert np.all(res.gains <= bounds * (1 + 1e-12))
    assert bounds == pytest.approx([depth.MAX_SLOPE[activation] * np.linalg.norm(W, 2) for W, _ in layers[1:]])


def test_max_slopes_are_the_activations_largest_derivatives():
    z = np.linspace(-20, 20, 400_001)
    for name, bound in depth.MAX_SLOPE.items():
        assert np.abs(nm.get_activation(name).f_prime(z)).max() == pytest.approx(bound, rel=1e-6), name


def test_random_deep_network_takes_a_standard_deviation():
    by_rule = depth.random_deep_network(16, 3, "he", seed=7)
    by_sd = depth.random_deep_network(16, 3, init.weight_std(16, 16, "he"), seed=7)
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(by_rule, by_sd))
    doubled = depth.random_deep_network(16, 3, 2 * init.weight_std(16, 16, "he"), seed=7)
    assert all(np.allclose(2 * a[0], b[0]) for a, b in zip(by_rule, doubled))
    with pytest.raises(ValueError, match="positive"):
        depth.random_deep_network(4, 2, 0.0)


def test_large_sigmoid_weights_trade_vanishing_for_exploding():
    # the chapter's table: width 64, 60 layers, the widget's inputs and upstream gradient
    X = np.random.default_rng(1).standard_normal((64, 64))
    dA = np.random.default_rng(2).standard_normal((64, 64)) / 64
    gain = {sd: depth.gradient_norms(X, depth.random_deep_network(64, 60, sd, seed=0), "sigmoid", dA=dA)
            for sd in (0.125, 1.0, 1.5, 2.0)}
    assert gain[0.125].mean_gain < 0.3 and gain[1.0].mean_gain < 1 < gain[1.5].mean_gain < gain[2.0].mean_gain
    assert gain[1.5].flat.mean() > 0.5  # saturated: more than half of the slopes below 0.01
    assert gain[2.0].dW[0] / gain[2.0].dW[-1] > 1e4


def test_gain_sensitivity_is_the_relative_change_of_the_gain_and_finds_chaos():
    X = np.random.default_rng(1).standard_normal((32, 32))
    dA = np.random.default_rng(2).standard_normal((32, 32)) / 32
    layers = depth.random_deep_network(32, 40, 2.0, seed=0)
    # by hand: the same nudge of the inputs, the same measurement twice
    changed = X * (1.0 + 1e-15 * np.random.default_rng(0).standard_normal(X.shape))
    before = depth.gradient_norms(X, layers, "tanh", dA=dA).mean_gain
    after = depth.gradient_norms(changed, layers, "tanh", dA=dA).mean_gain
    assert depth.gain_sensitivity(X, layers, "tanh", dA=dA) == pytest.approx(abs(after - before) / before)
    assert depth.gain_sensitivity(X, layers, "tanh", dA=dA) > 1e-4  # large tanh weights: chaotic
    # ReLU's backward pass sees only which units are active: a change in the 15th digit moves nothing
    assert depth.gain_sensitivity(X, layers, "relu", dA=dA) < 1e-12
    xavier = depth.random_deep_network(32, 40, "xavier", seed=0)
    assert depth.gain_sensitivity(X, xavier, "sigmoid", dA=dA) < 1e-9
    assert depth.gain_sensitivity(X, xavier, "tanh") < 1e-9  # dA drawn with the seed
    with pytest.raises(ValueError, match="nudge"):
        depth.gain_sensitivity(X, xavier, "tanh", nudge=0.0)


def test_scalar_chain_gradient_is_the_product_of_its_factors_and_matches_finite_differences(rng):
    w, b = rng.normal(size=6) * 1.5, rng.normal(size=6) * 0.3
    for activation in ("sigmoid", "tanh"):
        chain = depth.scalar_chain(0.4, w, b, activation)
        f = nm.get_activation(activation)
        a = 0.4
        for ell in range(6):  # the forward pass by hand
            assert chain.z[ell] == pytest.approx(w[ell] * a + b[ell])
            a = float(f.f(chain.z[ell]))
        assert chain.a[-1] == pytest.approx(a)
        assert chain.factors == pytest.approx(w[1:] * f.f_prime(chain.z[1:]))

        def out(b1, activation=activation):
            return depth.scalar_chain(0.4, w, np.r_[b1, b[1:]], activation).a[-1]

        numeric = numerical_gradient(out, b[:1])[0]
        assert chain.grad_b1 == pytest.approx(numeric, rel=1e-5, abs=1e-10)  # a_D is O(1): rounding/h ~ 1e-11
    assert np.all(np.abs(depth.scalar_chain(0.4, w, b).factors) <= np.abs(w[1:]) / 4)
    with pytest.raises(ValueError, match="same shape"):
        depth.scalar_chain(0.0, [1.0, 2.0], [0.0])
    with pytest.raises(ValueError, match="at least one layer"):
        depth.scalar_chain(0.0, [], [])


def test_probe_units_finds_dead_units_and_leaves_the_network_alone(rng):
    X = rng.normal(size=(50, 3))
    y = rng.normal(size=50)
    net = nm.MLP([3, 6, 1], "relu", loss="mse", seed=1)
    net.b[0][:2] = -100.0  # two units below zero on every input: dead
    params, grads = net.get_params(), net.flat_grads.copy()
    probe = depth.probe_units(net, X, y)
    assert np.array_equal(net.get_params(), params) and np.array_equal(net.flat_grads, grads)
    assert probe.dead.tolist() == [True, True, False, False, False, False]
    assert np.all(probe.dW[:2] == 0) and np.all(probe.db[:2] == 0) and np.all(probe.dW[2:] > 0)
    Z = X @ net.W[0] + net.b[0]
    assert probe.active == pytest.approx((Z > 0).mean(axis=0))
    _, g = net.loss_and_gradients(X, y)
    assert probe.dW == pytest.approx(np.linalg.norm(g[0], axis=0)) and probe.db == pytest.approx(g[1])
    with pytest.raises(ValueError, match="layer"):
        depth.probe_units(net, X, y, layer=1)  # the output layer is not a hidden layer


def test_preactivation_variance_matches_a_measurement(rng):
    d_in = 128
    X = rng.normal(scale=2.0, size=(4000, d_in))  # Var(x) = 4
    W = rng.normal(scale=0.05, size=(d_in, 256))  # Var(w) = 0.0025
    assert init.preactivation_variance(d_in, 0.0025, 4.0) == pytest.approx(1.28)
    assert (X @ W).var() == pytest.approx(1.28, rel=0.03)
    A = nm.relu(X)
    assert (A @ W).var() == pytest.approx(init.preactivation_variance(d_in, 0.0025, np.mean(A ** 2)), rel=0.05)
    with pytest.raises(ValueError, match="non-negative"):
        init.preactivation_variance(4, -1.0)


# --- figures ------------------------------------------------------------------------------------

def test_static_figures_draw():
    assert len(plots.activation_gallery().axes) == 6
    fig = plots.what_relu_adds([[1.0, 1.0], [1.0, 1.0]], [0.0, -1.0], [1.0, -2.0], 0.0)
    labels = [t.get_text() for t in fig.axes[2].texts]
    assert labels == ["0", "1", "1", "0"]  # the XOR network's outputs on the four corners
    fig = plots.dying_relu([0.5, 0.4, 0.6], [0.0, 0.1, 0.0], [0.0, 0.2, 0.0], [0.01, 0.2, 0.02])
    assert "2 of 3 are dead" in fig.axes[0].get_title()
    fig = plots.dying_relu([0.5, 0.4], [0.0, 0.1], [0.0, 0.2], [0.01, 0.2], after="after 10 steps")
    assert fig.axes[0].get_title().endswith("are dead after 10 steps")
    A = np.abs(np.random.default_rng(0).normal(size=(20, 2)))
    path = np.cumsum(np.full((5, 2), 0.1), axis=0)
    assert len(plots.sign_zigzag([("positive", A, path), ("centred", A - 0.5, path)], [1.0, -1.0]).axes) == 2
    assert len(plots.relu_interpolation(np.sin, f2_max=1.0).axes) == 2


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
