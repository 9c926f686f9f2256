"""Penalties and their gradients, L2 vs weight decay, dropout, early stopping."""

import numpy as np
import pytest

from nnmath.gradcheck import gradient_check
from nnmath.network import MLP
from nnmath.optim import SGD, Adam, AdamW
from nnmath.regularization import (
    EarlyStopping,
    dropout_backward,
    dropout_forward,
    dropout_mask,
    l1_penalty,
    l1_penalty_prime,
    l2_penalty,
    l2_penalty_prime,
)


@pytest.mark.parametrize("shape", [(1,), (3, 4), (2, 3, 2)])
def test_l2_gradient(shape):
    W = np.random.default_rng(len(shape)).standard_normal(shape)
    check = gradient_check(lambda v: l2_penalty(v, 0.3), l2_penalty_prime(W, 0.3), W)
    assert check.error < 1e-7, check


@pytest.mark.parametrize("shape", [(1,), (3, 4), (2, 3, 2)])
def test_l1_gradient_away_from_zero(shape):
    W = np.random.default_rng(len(shape)).standard_normal(shape)
    W += 0.1 * np.sign(W)  # keep every weight clear of the kink at 0
    check = gradient_check(lambda v: l1_penalty(v, 0.3), l1_penalty_prime(W, 0.3), W)
    assert check.error < 1e-7, check


def test_penalties_by_hand_and_over_lists():
    W1, W2 = np.array([[1.0, -2.0]]), np.array([3.0])
    # L2: 0.5 * 0.1 * (1 + 4 + 9) = 0.7;  L1: 0.1 * (1 + 2 + 3) = 0.6
    assert l2_penalty([W1, W2], 0.1) == pytest.approx(0.7)
    assert l1_penalty([W1, W2], 0.1) == pytest.approx(0.6)
    grads = l2_penalty_prime([W1, W2], 0.1)
    np.testing.assert_allclose(grads[0], [[0.1, -0.2]])
    np.testing.assert_allclose(l1_penalty_prime(np.array([-2.0, 0.0, 5.0]), 0.5), [-0.5, 0.0, 0.5])
    with pytest.raises(ValueError, match="lam must be non-negative"):
        l2_penalty(W1, -1.0)


def test_l2_term_and_weight_decay_are_the_same_for_sgd():
    w_term, w_decay = np.array([1.0, -2.0]), np.array([1.0, -2.0])
    data_grad = np.array([0.3, 0.1])
    SGD(lr=0.1).step([w_term], [data_grad + l2_penalty_prime(w_term, 0.5)])
    SGD(lr=0.1, weight_decay=0.5).step([w_decay], [data_grad])
    np.testing.assert_allclose(w_term, w_decay, rtol=1e-15)


def test_l2_term_and_decoupled_weight_decay_differ_for_adam():
    # Adam divides the L2 gradient by sqrt(v_hat): a weight with large gradients is barely decayed.
    # AdamW shrinks every weight by the same factor (1 - lr * lambda) instead.
    w_adam, w_adamw = np.array([1.0, 1.0]), np.array([1.0, 1.0])
    adam, adamw = Adam(lr=0.01, weight_decay=0.1), AdamW(lr=0.01, weight_decay=0.1)
    for _ in range(50):
        g = np.array([10.0, 0.0])  # a large gradient on the first weight, none on the second
        adam.step([w_adam], [g])
        adamw.step([w_adamw], [g])
    # the second weight has no data gradient: only the decay moves it
    assert w_adamw[1] == pytest.approx((1 - 0.01 * 0.1) ** 50)  # decoupled: 0.951
    assert w_adam[1] < 0.7  # coupled: lambda w / sqrt(lambda^2 w^2) ~ sign(w), a full lr-sized step each time


# --- dropout ---------------------------------------------------------------------------------------

def test_dropout_preserves_the_expectation():
    A = np.full((2000, 50), 3.0)
    out, mask = dropout_forward(A, 0.4, rng=0)
    assert out.mean() == pytest.approx(3.0, rel=0.01)
    assert (mask == 0).mean() == pytest.approx(0.4, abs=0.01)
    assert set(np.unique(out)) == {0.0, 3.0 / 0.6}


def test_dropout_mask_is_bernoulli_over_q():
    """M = xi / q with xi ~ Bernoulli(q): values 0 and 1/q, a fraction q kept, mean 1 and variance (1 - q)/q, so
    that E[A * M] = A entry by entry; dropout_forward draws exactly this mask from its generator."""
    q = 0.6
    M = dropout_mask((400, 500), 1 - q, np.random.default_rng(0))
    assert M.shape == (400, 500) and set(np.unique(M)) == {0.0, 1 / q}
    se_kept = np.sqrt(q * (1 - q) / M.size)  # the standard error of the kept fraction over 200,000 entries
    assert abs(np.mean(M > 0) - q) < 4 * se_kept
    assert abs(M.mean() - 1.0) < 4 * se_kept / q
    assert M.var() == pytest.approx((1 - q) / q, rel=0.02)
    A = np.random.default_rng(1).normal(size=500)
    mean = (A * M).mean(axis=0)  # A * M averaged over 400 masks, for each of 500 entries
    assert np.all(np.abs(mean - A) <= 5 * np.abs(A) * np.sqrt((1 - q) / q / 400))  # unscaled (q A) fails this
    X = np.random.default_rng(2).normal(size=(30, 40))
    out, mask = dropout_forward(X, 1 - q, rng=7)
    np.testing.assert_array_equal(mask, dropout_mask(X.shape, 1 - q, np.random.default_rng(7)))
    np.testing.assert_array_equal(out, X * mask)
    assert dropout_mask((3, 3), 0.5, np.random.default_rng(0), np.float32).dtype == np.float32


def test_dropout_eval_mode_is_the_identity():
    A = np.random.default_rng(0).standard_normal((4, 5))
    out, mask = dropout_forward(A, 0.5, rng=0, train=False)
    np.testing.assert_array_equal(out, A)
    assert mask is None
    net = MLP([5, 8, 3], dropout=0.5, seed=0)
    np.testing.assert_array_equal(net.forward(A)[0], net.forward(A)[0])  # no dropout outside training


def test_dropout_same_seed_same_mask():
    A = np.ones((6, 7))
    _, m1 = dropout_forward(A, 0.5, rng=42)
    _, m2 = dropout_forward(A, 0.5, rng=42)
    _, m3 = dropout_forward(A, 0.5, rng=43)
    np.testing.assert_array_equal(m1, m2)
    assert not np.array_equal(m1, m3)


def test_dropout_backward_uses_the_mask():
    A = np.random.default_rng(1).standard_normal((3, 4))
    out, mask = dropout_forward(A, 0.25, rng=1)
    dout = np.random.default_rng(2).standard_normal((3, 4))
    np.testing.assert_array_equal(dropout_backward(dout, mask), dout * mask)
    check = gradient_check(lambda v: float(np.sum(dout * dropout_forward(v, 0.25, rng=1)[0])),
                           dropout_backward(dout, mask), A)
    assert check.error < 1e-7


def test_dropout_bad_rate_and_shapes():
    with pytest.raises(ValueError, match=r"dropout rate must lie in \[0, 1\); got 1.0"):
        dropout_forward(np.ones(3), 1.0)
    with pytest.raises(ValueError, match=r"dropout rate must lie in \[0, 1\); got -0.1"):
        dropout_forward(np.ones(3), -0.1)
    with pytest.raises(ValueError, match=r"dout and the dropout mask must have the same shape \(dout: \(2, 2\)"):
        dropout_backward(np.ones((2, 2)), np.ones((2, 3)))
    out, mask = dropout_forward(np.ones(3), 0.0)
    np.testing.assert_array_equal(mask, np.ones(3))  # training mode always has a mask, all ones at rate 0
    np.testing.assert_array_equal(dropout_backward(np.full(3, 2.0), mask), np.full(3, 2.0))


def test_dropout_backward_refuses_an_evaluation_mode_forward():
    """A gradient step after an evaluation-mode forward would train without the dropout asked for: an error."""
    A = np.ones((2, 3))
    out, mask = dropout_forward(A, 0.5, rng=0, train=False)
    with pytest.raises(ValueError, match=r"needs the mask of a training-mode dropout_forward \(train=True\); got None"):
        dropout_backward(np.ones_like(out), mask)


def test_float32_dropout_mask():
    out, mask = dropout_forward(np.ones((3, 3), dtype=np.float32), 0.5, rng=0)
    assert out.dtype == np.float32 and mask.dtype == np.float32


# --- early stopping --------------------------------------------------------------------------------

def test_early_stopping_stops_after_patience_and_restores_the_best_weights():
    net = MLP([2, 2], seed=0)
    stopper = EarlyStopping(patience=2)
    stopper.on_train_begin(net)
    losses = [1.0, 0.5, 0.6, 0.4, 0.45, 0.41, 0.9]
    stopped_at = None
    for epoch, loss in enumerate(losses, start=1):
        net.flat_params[:] = epoch  # weights that remember their epoch
        if stopper.on_epoch_end(epoch, {"val_loss": loss}, net):
            stopped_at = epoch
            break
    # best 0.4 at epoch 4; epochs 5 and 6 do not improve: stop after epoch 6
    assert stopped_at == 6 and stopper.best == 0.4 and stopper.best_epoch == 4
    stopper.on_train_end(net)
    assert (net.flat_params == 4).all()


def test_early_stopping_on_accuracy_wants_it_to_rise():
    net = MLP([2, 2], seed=0)
    stopper = EarlyStopping(patience=1, monitor="val_accuracy")
    assert not stopper.on_epoch_end(1, {"val_accuracy": 0.8}, net)
    assert not stopper.on_epoch_end(2, {"val_accuracy": 0.9}, net)
    assert stopper.on_epoch_end(3, {"val_accuracy": 0.85}, net)
    assert stopper.best == 0.9


def test_early_stopping_min_delta():
    net = MLP([2, 2], seed=0)
    stopper = EarlyStopping(patience=1, min_delta=0.1)
    stopper.on_epoch_end(1, {"val_loss": 1.0}, net)
    assert stopper.on_epoch_end(2, {"val_loss": 0.95}, net)  # better, but by less than min_delta


def test_early_stopping_errors():
    with pytest.raises(ValueError, match="patience must be a positive integer"):
        EarlyStopping(patience=0)
    stopper = EarlyStopping()
    with pytest.raises(ValueError, match="monitors 'val_loss'.*validation data"):
        stopper.on_epoch_end(1, {"loss": 1.0, "val_loss": None}, MLP([2, 2]))


# --- chapter 8: soft-thresholding, shrinkage on a quadratic, priors, replayed early stopping, thinned networks ---

from nnmath import likelihood  # noqa: E402
from nnmath.activations import softmax  # noqa: E402
from nnmath.regularization import (  # noqa: E402
    early_stopping_replay,
    early_stopping_shrinkage,
    equivalent_l2_strength,
    l1_proximal_step,
    l2_shrinkage,
    lasso_minimizer,
    mc_dropout_proba,
    prior_strength,
    ridge_minimizer,
    soft_threshold,
    thinned_ensemble,
)
from nnmath.train import fit  # noqa: E402


def test_soft_threshold_by_hand_and_exact_zeros():
    u = np.array([-2.0, -1.0, -0.5, 0.0, 0.3, 1.0, 1.5])
    out = soft_threshold(u, 1.0)
    np.testing.assert_array_equal(out, [-1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5])
    assert not np.signbit(out[1:6]).any()  # +0.0, not -0.0
    np.testing.assert_array_equal(soft_threshold(u, 0.0), u)
    with pytest.raises(ValueError, match="threshold must be non-negative"):
        soft_threshold(u, -0.1)


@pytest.mark.parametrize("t", [0.0, 0.3, 1.7])
def test_soft_threshold_is_the_proximal_map_of_the_l1_norm(t):
    # S_t(u) = argmin_w (w - u)^2 / 2 + t |w|, checked against a fine brute-force search
    grid = np.linspace(-4, 4, 80_001)
    for u in np.random.default_rng(3).uniform(-3, 3, size=12):
        brute = grid[np.argmin(0.5 * (grid - u) ** 2 + t * np.abs(grid))]
        assert soft_threshold(u, t) == pytest.approx(brute, abs=2e-4)


def test_l1_proximal_step_makes_exact_zeros_and_checks_shapes():
    W = np.array([[0.5, -0.02], [0.001, 2.0]])
    dW = np.array([[1.0, 0.0], [0.0, -1.0]])
    out = l1_proximal_step(W, dW, lr=0.1, lam=0.5)
    # W - lr dW = [[0.4, -0.02], [0.001, 2.1]], threshold lr * lam = 0.05
    np.testing.assert_allclose(out, [[0.35, 0.0], [0.0, 2.05]])
    assert np.count_nonzero(out == 0) == 2
    with pytest.raises(ValueError, match=r"W and dW must have the same shape \(W: \(2, 2\), dW: \(2,\)\)"):
        l1_proximal_step(W, np.ones(2), 0.1, 0.5)
    with pytest.raises(ValueError, match="lam must be non-negative"):
        l1_proximal_step(W, dW, 0.1, -1.0)
    with pytest.raises(ValueError, match="lr must be positive"):
        l1_proximal_step(W, dW, 0.0, 0.1)


def test_proximal_descent_on_a_quadratic_reaches_the_lasso_minimum_subgradient_descent_does_not():
    H, w_star, lam = np.array([[2.0, 0.5], [0.5, 1.0]]), np.array([1.0, 0.2]), 0.5
    w_prox, w_sub = np.zeros(2), np.zeros(2)
    for _ in range(2000):
        w_prox = l1_proximal_step(w_prox, H @ (w_prox - w_star), 0.1, lam)
        w_sub = w_sub - 0.1 * (H @ (w_sub - w_star) + l1_penalty_prime(w_sub, lam))
    lasso = lasso_minimizer(H, w_star, lam)
    np.testing.assert_allclose(w_prox, lasso, atol=1e-12)
    assert lasso[1] == 0.0 and w_prox[1] == 0.0
    assert w_sub[1] != 0.0 and abs(w_sub[1]) <= 2 * 0.1 * lam  # it rattles around 0 (steps of about lr * lam)


def test_lasso_and_ridge_minimizers_satisfy_their_optimality_conditions():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(3, 3))
    H = A @ A.T + 0.5 * np.eye(3)
    w_star = np.array([1.5, -0.1, 0.05])
    for lam in (0.0, 0.1, 1.0):
        w = ridge_minimizer(H, w_star, lam)
        np.testing.assert_allclose(H @ (w - w_star) + lam * w, 0, atol=1e-12)  # the gradient vanishes
        w1 = lasso_minimizer(H, w_star, lam)
        grad = H @ (w1 - w_star)
        nonzero = w1 != 0
        np.testing.assert_allclose(grad[nonzero] + lam * np.sign(w1[nonzero]), 0, atol=1e-9)
        assert np.all(np.abs(grad[~nonzero]) <= lam + 1e-9)  # 0 is in the subgradient where w = 0
    assert np.count_nonzero(lasso_minimizer(H, w_star, 1.0) == 0) >= 1
    with pytest.raises(ValueError, match="positive definite"):
        ridge_minimizer(-np.eye(2), np.ones(2), 0.1)
    with pytest.raises(ValueError, match="one row per entry of w_star"):
        lasso_minimizer(np.eye(2), np.ones(3), 0.1)
    with pytest.raises(ValueError, match="symmetric"):
        ridge_minimizer(np.array([[1.0, 0.5], [0.0, 1.0]]), np.ones(2), 0.1)


def test_l2_shrinkage_is_the_ridge_minimum_in_the_eigenbasis():
    rng = np.random.default_rng(1)
    A = rng.normal(size=(4, 4))
    H = A @ A.T + 0.1 * np.eye(4)
    w_star = rng.normal(size=4)
    mu, Q = np.linalg.eigh(H)
    for lam in (0.01, 0.3, 5.0):
        np.testing.assert_allclose(Q.T @ ridge_minimizer(H, w_star, lam), l2_shrinkage(mu, lam) * (Q.T @ w_star),
                                   rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(l2_shrinkage(np.array([0.0, 1.0]), 1.0), [0.0, 0.5])
    with pytest.raises(ValueError, match="no unique minimum"):
        l2_shrinkage(np.array([0.0, 1.0]), 0.0)
    with pytest.raises(ValueError, match="mu"):
        l2_shrinkage(np.array([-1.0]), 1.0)


@pytest.mark.parametrize("steps", [0, 1, 7, 40])
def test_early_stopping_shrinkage_is_gradient_descent_from_zero_on_a_quadratic(steps):
    rng = np.random.default_rng(2)
    A = rng.normal(size=(3, 3))
    H = A @ A.T + 0.2 * np.eye(3)
    w_star = rng.normal(size=3)
    mu, Q = np.linalg.eigh(H)
    lr = 0.5 / mu[-1]
    w = np.zeros(3)
    opt = SGD(lr=lr)
    for _ in range(steps):
        opt.step([w], [H @ (w - w_star)])
    np.testing.assert_allclose(Q.T @ w, early_stopping_shrinkage(mu, lr, steps) * (Q.T @ w_star), atol=1e-12)


def test_early_stopping_goes_at_least_as_far_as_the_equivalent_l2():
    for lr, steps in ((0.1, 5), (0.1, 20), (0.01, 300)):
        mu = np.geomspace(1e-4, 1 / lr, 500)
        lam = equivalent_l2_strength(lr, steps)
        assert lam == pytest.approx(1 / (lr * steps))
        assert np.all(early_stopping_shrinkage(mu, lr, steps) >= l2_shrinkage(mu, lam) - 1e-15)
    small = np.array([1e-4])  # eta mu t << 1: both are about eta mu t
    assert early_stopping_shrinkage(small, 0.01, 10)[0] == pytest.approx(
        l2_shrinkage(small, equivalent_l2_strength(0.01, 10))[0], rel=1e-4)
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        equivalent_l2_strength(0.1, 0)
    with pytest.raises(TypeError, match="steps must be a non-negative integer"):
        early_stopping_shrinkage(np.ones(2), 0.1, 2.5)


def test_priors_give_the_penalties_up_to_a_constant():
    n, s = 150, 0.3
    lam2, lam1 = prior_strength(n, s, "gaussian"), prior_strength(n, s, "laplace")
    assert lam2 == pytest.approx(1 / (n * s * s)) and lam1 == pytest.approx(1 / (n * s))
    rng = np.random.default_rng(4)
    gaps2, gaps1 = [], []
    for _ in range(3):
        w = rng.normal(size=20)
        gaps2.append(likelihood.gaussian_nll(w, np.zeros(20), s) * 20 / n - l2_penalty(w, lam2))
        gaps1.append(likelihood.laplace_nll(w, np.zeros(20), s) * 20 / n - l1_penalty(w, lam1))
    assert np.ptp(gaps2) < 1e-12 and np.ptp(gaps1) < 1e-12
    with pytest.raises(ValueError, match="'gaussian' \\(gives L2\\) or 'laplace'"):
        prior_strength(n, s, "cauchy")
    with pytest.raises(ValueError, match=r"n \(the number of training samples\) must be a positive integer"):
        prior_strength(0, s)
    with pytest.raises(ValueError, match="scale must be positive"):
        prior_strength(n, 0.0)


def test_replayed_early_stopping_is_what_fit_does():
    from nnmath.data import make_moons

    X, y = make_moons(n=60, noise=0.3, seed=0)
    Xv, yv = make_moons(n=60, noise=0.3, seed=1)
    net = MLP([2, 16, 2], seed=0)
    full = fit(net, X, y, Adam(lr=0.05), epochs=60, validation_data=(Xv, yv), seed=0)
    net = MLP([2, 16, 2], seed=0)
    stopper = EarlyStopping(patience=3)
    fit(net, X, y, Adam(lr=0.05), epochs=60, validation_data=(Xv, yv), callbacks=[stopper], seed=0)
    assert early_stopping_replay(full.val_loss, 3) == (stopper.best_epoch, stopper.stopped_epoch)
    assert early_stopping_replay([3.0, 2.0, 1.0], 2) == (3, None)  # never stopped
    assert early_stopping_replay([0.5, 0.8, 0.9], 1, monitor="val_accuracy") == (3, None)
    with pytest.raises(ValueError, match="values is empty"):
        early_stopping_replay([], 2)
    with pytest.raises(ValueError, match="patience must be a positive integer"):
        early_stopping_replay([1.0], 0)


@pytest.mark.parametrize("q", [0.2, 0.5, 0.9, 1.0])
def test_the_full_layer_is_the_geometric_mean_of_its_thinned_versions(q):
    rng = np.random.default_rng(5)
    X, W, b = rng.normal(size=(4, 8)), rng.normal(size=(8, 3)), rng.normal(size=3)
    arithmetic, geometric = thinned_ensemble(X, W, b, q)
    np.testing.assert_allclose(geometric, softmax(X @ W + b), atol=1e-14)
    np.testing.assert_allclose(arithmetic.sum(axis=1), 1.0)
    if q == 1:  # nothing is dropped: one network
        np.testing.assert_allclose(arithmetic, geometric, atol=1e-14)
        return
    assert not np.allclose(arithmetic, geometric, atol=1e-3)
    # the arithmetic mean by Monte Carlo over masks drawn the way inverted dropout draws them
    masks = np.array([dropout_forward(np.ones_like(X[:1]), 1 - q, rng=seed)[1][0] for seed in range(20_000)])
    mc = np.mean([softmax((X * m) @ W + b) for m in masks], axis=0)
    np.testing.assert_allclose(mc, arithmetic, atol=0.02)


def test_thinned_ensemble_and_mc_dropout_reject_bad_input():
    with pytest.raises(ValueError, match="keep probability"):
        thinned_ensemble(np.ones((1, 2)), np.ones((2, 2)), np.ones(2), 1.5)
    with pytest.raises(ValueError, match="too many"):
        thinned_ensemble(np.ones((1, 17)), np.ones((17, 2)), np.ones(2), 0.5)
    with pytest.raises(ValueError, match="need X"):
        thinned_ensemble(np.ones((1, 3)), np.ones((2, 2)), np.ones(2), 0.5)
    with pytest.raises(ValueError, match="has no dropout"):
        mc_dropout_proba(MLP([2, 4, 2]), np.ones((1, 2)))
    with pytest.raises(ValueError, match="softmax classifier"):
        mc_dropout_proba(MLP([2, 4, 1], loss="mse", dropout=0.5), np.ones((1, 2)))
    with pytest.raises(ValueError, match="samples must be a positive integer"):
        mc_dropout_proba(MLP([2, 4, 2], dropout=0.5), np.ones((1, 2)), samples=0)


def test_mc_dropout_averages_thinned_networks():
    net = MLP([3, 8, 3], dropout=0.5, seed=0)
    X = np.random.default_rng(6).normal(size=(5, 3))
    P = mc_dropout_proba(net, X, samples=50)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    assert not np.allclose(P, net.predict_proba(X))  # thinned networks differ from the full one
