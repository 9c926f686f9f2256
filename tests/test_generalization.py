"""The chapter 8 experiments: the small digit problem, random features, penalised SGD, the sweeps behind the widgets,
and the comparison that reads the test set once."""

import numpy as np
import pytest

import nnmath as nm
from nnmath import generalization as g
from nnmath.data import load_digits_split

TINY = {"sizes": (64, 8, 10), "activation": "relu", "lr": 3e-3, "epochs": 3, "batch_size": 32}


def test_small_digits_is_split_by_class_and_flips_exactly_the_listed_labels():
    p = g.small_digits()
    assert p.X_train.shape == (150, 64) and p.X_val.shape == (200, 64) and p.X_test.shape == (450, 64)
    clean = g.small_digits(label_noise=0.0)
    np.testing.assert_array_equal(clean.X_train, p.X_train)  # the same digits, only labels differ
    assert np.bincount(clean.y_train).tolist() == [15] * 10 and np.bincount(p.y_val).tolist() == [20] * 10
    assert len(p.flipped) == 30 and len(clean.flipped) == 0
    wrong = np.flatnonzero(p.y_train != clean.y_train)
    np.testing.assert_array_equal(wrong, p.flipped)  # every listed label is wrong, and no other
    _, X_test, _, y_test = load_digits_split()
    np.testing.assert_array_equal(p.X_test, X_test)
    np.testing.assert_array_equal(p.y_test, y_test)
    assert not p.X_train.flags.writeable and g.small_digits() is p  # cached and read-only
    with pytest.raises(ValueError, match="fewer than"):
        g.small_digits(per_class_train=100, per_class_val=100)
    with pytest.raises(ValueError, match="label_noise"):
        g.small_digits(label_noise=1.0)


def test_random_features_are_relu_of_one_random_layer():
    X = np.random.default_rng(0).random((7, 5))
    F = g.random_relu_features(X, 11, seed=3)
    assert F.shape == (7, 11) and np.all(F >= 0)
    np.testing.assert_array_equal(g.random_relu_features(X[:3], 11, seed=3), F[:3])  # the same V for every row
    assert not np.array_equal(g.random_relu_features(X, 11, seed=4), F)
    np.testing.assert_allclose(g.random_relu_features(2 * X, 11, seed=3), 2 * F)  # positively homogeneous


@pytest.mark.parametrize("shape", [(12, 5), (6, 15)])
def test_least_squares_minimises_the_penalised_mean_squared_error(shape):
    rng = np.random.default_rng(1)
    F, Y = rng.normal(size=shape), rng.normal(size=(shape[0], 3))
    n = shape[0]
    lam = 0.2
    theta = g.least_squares(F, Y, lam)

    def objective(T):
        return np.sum((F @ T - Y) ** 2) / n + lam / 2 * np.sum(T**2)

    def gradient(T):
        return 2 / n * F.T @ (F @ T - Y) + lam * T

    T = rng.normal(size=theta.shape)
    assert nm.gradient_check(objective, gradient(T), T).ok  # the gradient formula, by centred differences
    assert np.abs(gradient(theta)).max() < 1e-12  # ... vanishes at the solution
    assert np.abs(nm.numerical_gradient(objective, theta)).max() < 1e-8
    np.testing.assert_allclose(g.least_squares(F, Y), np.linalg.pinv(F) @ Y, atol=1e-10)  # minimum norm


def test_minimum_norm_fit_is_the_limit_of_small_penalties():
    rng = np.random.default_rng(2)
    F, y = rng.normal(size=(5, 9)), rng.normal(size=5)
    np.testing.assert_allclose(g.least_squares(F, y, 1e-10), g.least_squares(F, y), atol=1e-7)
    with pytest.raises(ValueError, match="one row per sample"):
        g.least_squares(F, y[:3])


def test_fit_penalized_l2_is_fit_with_sgd_and_l2():
    X, y = nm.make_moons(n=40, noise=0.3, seed=0)
    a, b = nm.MLP([2, 8, 2], seed=1), nm.MLP([2, 8, 2], seed=1)
    g.fit_penalized(a, X, y, "l2", 0.01, lr=0.3, epochs=20, batch_size=16, seed=5)
    nm.fit(b, X, y, nm.SGD(lr=0.3), epochs=20, batch_size=16, l2=0.01, seed=5)
    np.testing.assert_allclose(a.get_params(), b.get_params(), rtol=1e-12, atol=1e-14)


def test_fit_penalized_l1_makes_exact_zeros_and_leaves_biases_alone():
    X, y = nm.make_moons(n=40, noise=0.3, seed=0)
    net = nm.MLP([2, 16, 2], seed=0)
    losses = g.fit_penalized(net, X, y, "l1", 0.01, lr=0.5, epochs=200)
    assert len(losses) == 200 and losses[-1] < losses[0]
    assert sum(np.count_nonzero(W == 0) for W in net.W) > 0
    assert np.all(np.concatenate([b for b in net.b]) != 0)  # the biases are trained, never thresholded
    assert losses[-1] == pytest.approx(net.compute_loss(X, y) + nm.l1_penalty(list(net.W), 0.01))
    huge = nm.MLP([2, 16, 2], seed=0)
    g.fit_penalized(huge, X, y, "l1", 10.0, lr=0.5, epochs=5)
    assert all(np.all(W == 0) for W in huge.W)


def test_fit_penalized_rejects_bad_input():
    X, y = nm.make_moons(n=10, seed=0)
    with pytest.raises(ValueError, match="penalty must be 'l2' or 'l1'"):
        g.fit_penalized(nm.MLP([2, 3, 2]), X, y, "l3", 0.1)
    with pytest.raises(ValueError, match="lam must be non-negative"):
        g.fit_penalized(nm.MLP([2, 3, 2]), X, y, "l2", -0.1)
    with pytest.raises(ValueError, match="without dropout"):
        g.fit_penalized(nm.MLP([2, 3, 2], dropout=0.5), X, y, "l2", 0.1)
    with pytest.raises(TypeError, match="MLP"):
        g.fit_penalized("net", X, y)
    with pytest.raises(ValueError, match="features"):
        g.fit_penalized(nm.MLP([3, 3, 2]), X, y)


def test_penalty_sweep_shrinks_the_weights_and_l1_zeros_them():
    s = g.penalty_sweep()
    lams = s.lams
    assert lams[0] == 0 and np.allclose(np.diff(np.log10(lams[1:])), 0.5)
    zeros = [s.zeros["l1", v] for v in lams]
    assert zeros == sorted(zeros) and zeros[0] == 0 and zeros[-1] == s.n_weights == 1152
    assert all(s.zeros["l2", v] == 0 for v in lams)
    norms = [np.linalg.norm(s.weights("l2", v)) for v in lams]
    assert all(a > b for a, b in zip(norms, norms[1:]))  # L2: smaller weights for every larger strength
    assert s.train_accuracy["l2", 0.0] > s.val_accuracy["l2", 0.0] + 0.1  # the unpenalised network overfits
    assert max(s.val_accuracy[k] for k in s.val_accuracy) > s.val_accuracy["l2", 0.0] + 0.05
    net = s.network("l1", 1e-3)
    assert np.mean(net.predict(s.X_val) == s.y_val) == pytest.approx(s.val_accuracy["l1", 1e-3])
    assert s._lam(0.00099) == 1e-3 and s._lam(0) == 0.0


def test_dropout_curves_record_every_rate():
    c = g.dropout_curves()
    assert c.rates == g.DROPOUT_RATES and c.val_loss.shape == (len(c.rates), g.BUDGET["epochs"])
    assert c.train_accuracy[0, -1] == 1.0  # without dropout it learns every training label, the wrong ones too
    assert c.train_loss[0, -1] < c.val_loss[0, -1] / 10
    assert np.argmin(c.val_loss[0]) < 40  # and overfits: the validation loss turns up early
    assert c.val_accuracy[:, -1].max() > c.val_accuracy[0, -1] + 0.05  # some dropout helps


def test_train_regularized_rejects_unknown_methods():
    p = g.small_digits()
    with pytest.raises(ValueError, match="unknown method 'l3'"):
        g.train_regularized(p, "l3", 0.1)
    with pytest.raises(ValueError, match="needs a setting"):
        g.train_regularized(p, "dropout")


def test_augmented_training_keeps_the_budget():
    p = g.small_digits()
    net, history = g.train_regularized(p, "augmentation", 0.5, seed=0, budget=TINY)
    assert history.epochs == TINY["epochs"] and len(history.val_loss) == TINY["epochs"]


def test_comparison_chooses_on_validation_and_reads_the_test_set_once(monkeypatch):
    p = g.small_digits()
    calls = []
    real = g.evaluate

    def recording(net, X, y):
        calls.append("test" if X is p.X_test else "val" if X is p.X_val else "other")
        return real(net, X, y)

    monkeypatch.setattr(g, "evaluate", recording)
    grid = {"none": (None,), "l2": (1e-3, 1e-1), "dropout": (0.5,)}
    c = g.compare_regularizers(p, grid=grid, seeds=(0, 1), budget=TINY)
    runs = 2 * (1 + 2 + 1)
    val_calls = [k for k in calls if k == "val"]
    assert len(val_calls) == runs and calls.index("test") == len([k for k in calls if k != "test"])
    assert calls.count("test") == 2 * len(grid)  # the chosen setting of each method, each seed, once
    for method, settings in grid.items():
        assert c.chosen[method] == max(settings, key=lambda s: np.mean(c.val[method, s]))
    assert c.best == max(grid, key=lambda m: np.mean(c.val[m, c.chosen[m]]))
    assert "<- chosen" in c.table() and c.table().count("\n") == 4
    with pytest.raises(ValueError, match="at least one seed"):
        g.compare_regularizers(p, grid=grid, seeds=(), budget=TINY)
