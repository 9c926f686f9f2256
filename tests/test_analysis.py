"""nnmath.analysis (chapter 9): baselines, checks before training, recipes, intervals, calibration."""

import math

import numpy as np
import pytest

import nnmath as nm
from nnmath import analysis


def _softmax_rows(rng, n, k, scale=3.0):
    return nm.softmax(rng.normal(scale=scale, size=(n, k)))


def test_chance_accuracy():
    assert analysis.chance_accuracy([0, 1, 1, 2], [1, 1, 0, 2]) == 0.5
    with pytest.raises(ValueError, match="whole numbers"):
        analysis.chance_accuracy([0.5], [1])


def test_nearest_class_mean_is_the_nearest_mean_and_a_linear_classifier(rng):
    X, y = rng.normal(size=(60, 4)), rng.integers(0, 3, 60)
    ncm = analysis.NearestClassMean().fit(X, y)
    assert np.allclose(ncm.means[1], X[y == 1].mean(axis=0))
    distances = ((X[:, None, :] - ncm.means[None]) ** 2).sum(axis=-1)
    assert np.array_equal(ncm.predict(X), distances.argmin(axis=1))
    with pytest.raises(ValueError, match="needs a training sample"):
        analysis.NearestClassMean().fit(X, np.where(y == 1, 2, y))
    with pytest.raises(RuntimeError, match="fit"):
        analysis.NearestClassMean().predict(X)
    with pytest.raises(ValueError, match="features"):
        ncm.predict(X[:, :2])


def test_update_to_weight_ratios_match_a_real_step_and_change_nothing(rng):
    X, y = rng.normal(size=(16, 5)), rng.integers(0, 3, 16)
    net = nm.MLP([5, 7, 3], seed=0, dropout=0.2)
    opt = nm.Adam(lr=0.01)
    nm.train_step(net, X, y, opt)  # an optimizer with some state
    before = net.get_params()
    state = {k: [a.copy() for a in v] for k, v in opt.state.items() if k != "t"}
    rng_state = net.rng.bit_generator.state
    ratios = analysis.update_to_weight_ratios(net, X, y, opt)
    assert np.array_equal(net.get_params(), before) and opt.t == 1
    assert all(np.array_equal(a, b) for k in state for a, b in zip(opt.state[k], state[k]))
    assert net.rng.bit_generator.state == rng_state
    W = [w.copy() for w in net.W]
    nm.train_step(net, X, y, opt)
    expected = [np.linalg.norm(w1 - w0) / np.linalg.norm(w0) for w1, w0 in zip(net.W, W)]
    assert np.allclose(ratios, expected)


def test_weight_gradient_norms_and_dead_units(rng):
    X, y = rng.normal(size=(10, 3)), rng.integers(0, 2, 10)
    net = nm.MLP([3, 4, 2], seed=1)
    _, grads = net.loss_and_gradients(X, y)
    expected = [np.linalg.norm(grads[0]), np.linalg.norm(grads[2])]
    assert np.allclose(analysis.weight_gradient_norms(net, X, y), expected)
    net.b[0][:2] = -1e3  # two units that can never fire
    dead = analysis.dead_units(net, X)
    assert dead[0].tolist()[:2] == [True, True] and len(dead) == 1


def test_with_rounded_weights_keeps_the_network_within_float16_error(rng):
    net = nm.MLP([6, 5, 3], seed=2)
    half = analysis.with_rounded_weights(net)
    assert half.sizes == net.sizes and half.dtype == net.dtype
    assert np.array_equal(half.flat_params, net.flat_params.astype(np.float16).astype(np.float64))
    big = np.abs(net.flat_params) > 1e-4
    assert np.all(np.abs(half.flat_params - net.flat_params)[big] <= 2.0**-11 * np.abs(net.flat_params[big]))
    net.W[0][0, 0] = 1e6
    with pytest.raises(ValueError, match="do not fit"):
        analysis.with_rounded_weights(net)
    with pytest.raises(TypeError, match="float type"):
        analysis.with_rounded_weights(half, np.int8)


def test_recipe_trains_reproducibly():
    X, y = nm.make_spirals(n=90, seed=3)
    recipe = analysis.Recipe(sizes=(2, 16, 3), epochs=3, batch_size=16, max_shift=0)
    net_a, history = recipe.train(X, y, (X, y), seed=4)
    net_b, _ = recipe.train(X, y, (X, y), seed=4)
    assert np.array_equal(net_a.flat_params, net_b.flat_params)
    assert history.lr == pytest.approx([2e-3, 2e-3 * 0.75, 2e-3 * 0.25])  # the cosine over 3 epochs
    assert isinstance(analysis.Recipe(weight_decay=0.1).optimizer(), nm.AdamW)


def test_recipe_in_float32_starts_from_the_float64_weights_rounded():
    X, y = nm.make_spirals(n=90, seed=3)
    wide, narrow = (analysis.Recipe(sizes=(2, 16, 3), epochs=2, batch_size=16, dtype=d) for d in ("float64", "float32"))
    assert narrow.network(seed=5).dtype == np.float32
    assert np.array_equal(narrow.network(seed=5).flat_params, wide.network(seed=5).flat_params.astype(np.float32))
    net, history = narrow.train(X, y, (X, y), seed=5)
    assert net.flat_params.dtype == np.float32 and np.isfinite(history.loss).all()
    with pytest.raises(TypeError, match="float32 or float64"):
        analysis.Recipe(dtype="float16").network()


def test_compare_recipes_uses_the_same_seeds():
    X, y = nm.make_moons(n=60, seed=0)
    recipes = {"a": analysis.Recipe(sizes=(2, 8, 2), epochs=2), "b": analysis.Recipe(sizes=(2, 8, 2), epochs=2)}
    results = analysis.compare_recipes(recipes, X, y, (X, y), seeds=(0, 1))
    assert np.array_equal(results["a"].val_accuracy, results["b"].val_accuracy)
    assert results["a"].val_loss.shape == (2,) and len(results["a"].histories) == 2
    with pytest.raises(TypeError, match="Recipe"):
        analysis.compare_recipes({"x": 1}, X, y, (X, y))
    with pytest.raises(ValueError, match="seeds"):
        analysis.compare_recipes(recipes, X, y, (X, y), seeds=())


def test_accuracy_interval_is_wilsons():
    low, high = analysis.accuracy_interval(1952, 2000)
    p, n, u = 0.976, 2000, 1.959963984540054
    centre = (p + u * u / (2 * n)) / (1 + u * u / n)
    half = u / (1 + u * u / n) * math.sqrt(p * (1 - p) / n + u * u / (4 * n * n))
    assert (low, high) == pytest.approx((centre - half, centre + half))
    assert low < p < high
    assert analysis.accuracy_interval(0, 10)[0] == pytest.approx(0.0, abs=1e-15)
    assert analysis.accuracy_interval(10, 10)[1] == pytest.approx(1.0)
    assert analysis.accuracy_interval(10, 10)[0] > 0.6  # not empty at p = 1
    wide, narrow = analysis.accuracy_interval(90, 100, 0.99), analysis.accuracy_interval(90, 100, 0.9)
    assert wide[0] < narrow[0] and wide[1] > narrow[1]
    with pytest.raises(ValueError, match="correct <= n"):
        analysis.accuracy_interval(11, 10)
    with pytest.raises(ValueError, match="level"):
        analysis.accuracy_interval(5, 10, 1.0)
    with pytest.raises(TypeError, match="integer"):
        analysis.accuracy_interval(5.0, 10)


def test_worst_mistakes_sorted_by_confidence():
    P = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])
    y = np.array([1, 0, 1, 1])
    assert analysis.worst_mistakes(P, y).tolist() == [0, 1, 2]
    assert analysis.worst_mistakes(P, y, count=1).tolist() == [0]
    with pytest.raises(ValueError, match="probabilities"):
        analysis.worst_mistakes(P * 2, y)


def test_reliability_bins_and_ece_by_hand():
    P = np.array([[0.9, 0.1], [0.9, 0.1], [0.6, 0.4], [0.3, 0.7]])
    y = np.array([0, 1, 0, 1])
    bins = analysis.reliability_bins(P, y, n_bins=10)
    assert bins.count.sum() == 4 and bins.count[8] == 2 and bins.count[5] == 1 and bins.count[6] == 1
    assert bins.accuracy[8] == 0.5 and bins.confidence[8] == pytest.approx(0.9)
    assert np.isnan(bins.accuracy[0])
    # bins: (0.9: acc 0.5, 2 of 4), (0.6: acc 1), (0.7: acc 1)
    expected = 0.5 * 0.4 + 0.25 * 0.4 + 0.25 * 0.3
    assert analysis.expected_calibration_error(P, y, 10) == pytest.approx(expected)
    confident = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert analysis.expected_calibration_error(confident, np.array([0, 1]), 5) == 0.0
    with pytest.raises(ValueError, match="n_bins"):
        analysis.reliability_bins(P, y, 0)


def test_ece_is_zero_for_a_calibrated_classifier(rng):
    # labels drawn from the predicted probabilities themselves: calibrated by construction
    P = _softmax_rows(rng, 200_000, 3)
    y = (rng.random(200_000)[:, None] > np.cumsum(P, axis=1)).sum(axis=1)
    assert analysis.expected_calibration_error(P, y, 10) < 0.01


def test_sampled_gradient_check_of_a_large_network(rng):
    net = nm.MLP([50, 40, 10], seed=0)
    X, y = rng.random((4, 50)), rng.integers(0, 10, 4)
    results = nm.check_network_gradients(net, X, y, entries=15, seed=1)
    assert [r.name for r in results] == ["W1", "b1", "W2", "b2"] and all(r.error < 1e-7 for r in results)
    assert len(nm.check_network_gradients(net, X, y, entries=10_000)) == 4  # more than an array holds
    with pytest.raises(ValueError, match="entries"):
        nm.check_network_gradients(net, X, y, entries=0)
