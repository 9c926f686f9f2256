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


def test_dropout_eval_mode_is_the_identity():
    A = np.random.default_rng(0).standard_normal((4, 5))
    out, mask = dropout_forward(A, 0.5, rng=0, train=False)
    np.testing.assert_array_equal(out, A)
    assert mask is None
    np.testing.assert_array_equal(dropout_backward(A, None), A)
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
    assert mask is None


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
