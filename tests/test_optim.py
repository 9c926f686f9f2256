"""Optimizers: the first three steps against values worked by hand, convergence, state, dtype, errors.

The hand-worked cases all start at w0 = 1 and feed the same three gradients g1 = 0.5, g2 = -1, g3 = 2
(given, not computed from w), so each update can be followed on paper.
"""

import math

import numpy as np
import pytest

from nnmath import optim
from nnmath.optim import SGD, Adagrad, Adam, AdamW, Momentum, Nesterov, RMSprop

GRADS = [0.5, -1.0, 2.0]


def three_steps(opt):
    w = np.array([1.0])
    path = []
    for g in GRADS:
        opt.step([w], [np.array([g])])
        path.append(w[0])
    return path


def test_sgd_by_hand():
    # w1 = 1 - 0.1 * 0.5 = 0.95
    # w2 = 0.95 - 0.1 * (-1) = 1.05
    # w3 = 1.05 - 0.1 * 2 = 0.85
    assert three_steps(SGD(lr=0.1)) == pytest.approx([0.95, 1.05, 0.85], abs=1e-15)


def test_momentum_by_hand():
    # v1 = 0.9 * 0 - 0.1 * 0.5 = -0.05            w1 = 1 - 0.05 = 0.95
    # v2 = 0.9 * (-0.05) - 0.1 * (-1) = 0.055      w2 = 0.95 + 0.055 = 1.005
    # v3 = 0.9 * 0.055 - 0.1 * 2 = -0.1505         w3 = 1.005 - 0.1505 = 0.8545
    assert three_steps(Momentum(lr=0.1, beta=0.9)) == pytest.approx([0.95, 1.005, 0.8545], abs=1e-15)


def test_nesterov_by_hand():
    # v_t as for momentum; w_t = w_{t-1} + 0.9 v_t - 0.1 g_t
    # w1 = 1 + 0.9 * (-0.05) - 0.05 = 0.905
    # w2 = 0.905 + 0.9 * 0.055 + 0.1 = 1.0545
    # w3 = 1.0545 + 0.9 * (-0.1505) - 0.2 = 1.0545 - 0.13545 - 0.2 = 0.71905
    assert three_steps(Nesterov(lr=0.1, beta=0.9)) == pytest.approx([0.905, 1.0545, 0.71905], abs=1e-15)


def test_the_velocity_is_a_decaying_sum_of_every_gradient(rng):
    """Unrolled from v0 = 0, the velocity is v_t = -lr * sum_s beta^(t-s) g_s, and w_t = w_0 + v_1 + ... + v_t."""
    lr, beta = 0.05, 0.8
    opt, w = Momentum(lr=lr, beta=beta), rng.normal(size=(2, 3))
    w0, grads, velocities = w.copy(), [], []
    for t in range(1, 26):
        grads.append(rng.normal(size=w.shape))
        opt.step([w], [grads[-1].copy()])
        weights = beta ** np.arange(t - 1, -1, -1.0)  # beta^(t-s) for s = 1, ..., t
        velocities.append(-lr * np.tensordot(weights, np.array(grads), axes=1))
        np.testing.assert_allclose(opt.state["v"][0], velocities[-1], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(w, w0 + np.sum(velocities, axis=0), rtol=1e-12, atol=1e-14)


def test_nesterov_stores_the_look_ahead_point_of_its_definition():
    """Nesterov's definition takes the gradient at w + beta v; the optimizer stores that point, w~ = w + beta v,
    and steps it with the gradient there, w~_t = w~_{t-1} + beta v_t - lr g_t. On a loss that is not quadratic the
    two must give the same velocities and the stored point must stay w_t + beta v_t."""
    def grad(x):  # the gradient of x^4/4 - x^2/2 + 0.3 x, entry by entry
        return x**3 - x + 0.3

    lr, beta = 0.05, 0.9
    w, v = np.array([1.5, -0.7, 0.2]), np.zeros(3)  # the definition's parameters and velocity
    opt, stored = Nesterov(lr=lr, beta=beta), w.copy()  # at rest the look-ahead point is w itself
    for _ in range(40):
        v = beta * v - lr * grad(w + beta * v)
        w = w + v
        opt.step([stored], [grad(stored)])
        np.testing.assert_allclose(opt.state["v"][0], v, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(stored, w + beta * v, rtol=1e-12, atol=1e-14)
    assert not np.allclose(stored, w)  # the two sequences differ while the velocity is not zero


def test_adagrad_by_hand():
    # s1 = 0.25, sqrt = 0.5:                 w1 = 1 - 0.1 * 0.5 / 0.5 = 0.9
    # s2 = 0.25 + 1 = 1.25, sqrt = 1.1180339887498949
    #                                        w2 = 0.9 + 0.1 / 1.1180339887 = 0.9 + 0.0894427191 = 0.9894427191
    # s3 = 1.25 + 4 = 5.25, sqrt = 2.2912878474779200
    #                                        w3 = 0.9894427191 - 0.2 / 2.2912878475 = 0.9894427191 - 0.0872871561
    #                                           = 0.9021555630
    # eps = 1e-12 moves these by less than 1e-12
    assert three_steps(Adagrad(lr=0.1, eps=1e-12)) == pytest.approx([0.9, 0.9894427191, 0.9021555630], abs=1e-10)


def test_rmsprop_by_hand():
    # s1 = 0.1 * 0.25 = 0.025, sqrt = 0.1581138830     w1 = 1 - 0.01 * 0.5 / 0.1581138830 = 0.9683772234
    # s2 = 0.9 * 0.025 + 0.1 * 1 = 0.1225, sqrt = 0.35 w2 = 0.9683772234 + 0.01 / 0.35 = 0.9969486520
    # s3 = 0.9 * 0.1225 + 0.1 * 4 = 0.51025, sqrt = 0.7143178564
    #                                                  w3 = 0.9969486520 - 0.02 / 0.7143178564 = 0.9689499119
    path = three_steps(RMSprop(lr=0.01, beta=0.9, eps=1e-12))
    assert path == pytest.approx([0.9683772234, 0.9969486520, 0.9689499119], abs=1e-10)


def test_adam_by_hand():
    # t = 1: m = 0.1 * 0.5 = 0.05, s = 0.001 * 0.25 = 0.00025
    #        m_hat = 0.05 / (1 - 0.9) = 0.5, s_hat = 0.00025 / (1 - 0.999) = 0.25, sqrt = 0.5
    #        w1 = 1 - 0.1 * 0.5 / 0.5 = 0.9
    # t = 2: m = 0.9 * 0.05 + 0.1 * (-1) = -0.055, s = 0.999 * 0.00025 + 0.001 * 1 = 0.00124975
    #        m_hat = -0.055 / (1 - 0.81) = -0.2894736842, s_hat = 0.00124975 / (1 - 0.998001) = 0.6251875938
    #        sqrt(s_hat) = 0.7906880509;  w2 = 0.9 + 0.1 * 0.2894736842 / 0.7906880509 = 0.9 + 0.0366103527
    #        = 0.9366103527
    # t = 3: m = 0.9 * (-0.055) + 0.1 * 2 = 0.1505, s = 0.999 * 0.00124975 + 0.001 * 4 = 0.0052485002
    #        m_hat = 0.1505 / (1 - 0.729) = 0.5553505535, s_hat = 0.0052485002 / (1 - 0.997002999) = 1.7512507503
    #        sqrt(s_hat) = 1.3233483103;  w3 = 0.9366103527 - 0.1 * 0.5553505535 / 1.3233483103
    #        = 0.9366103527 - 0.0419655618 = 0.8946447909
    path = three_steps(Adam(lr=0.1, beta1=0.9, beta2=0.999, eps=1e-12))
    assert path == pytest.approx([0.9, 0.9366103527, 0.8946447909], abs=1e-10)


def test_adamw_by_hand():
    # each step first shrinks w by (1 - lr * lambda) = (1 - 0.1 * 0.1) = 0.99, then takes Adam's step
    # w1 = 1 * 0.99 - 0.1 = 0.89
    # w2 = 0.89 * 0.99 + 0.0366103527 = 0.8811 + 0.0366103527 = 0.9177103527
    # w3 = 0.9177103527 * 0.99 - 0.0419655618 = 0.9085332492 - 0.0419655618 = 0.8665676874
    path = three_steps(AdamW(lr=0.1, weight_decay=0.1, eps=1e-12))
    assert path == pytest.approx([0.89, 0.9177103527, 0.8665676874], abs=1e-10)


def test_adam_bias_correction_matters_at_step_1():
    """With the correction the first step is lr * sign(g), whatever the gradient's size; without it, ~3.16 lr."""
    for g in (0.5, 1e-3, 50.0):
        w = np.array([0.0])
        Adam(lr=0.01).step([w], [np.array([g])])
        assert -w[0] == pytest.approx(0.01, rel=1e-5)
        # the same step without bias correction, by hand: m1 = 0.1 g, s1 = 0.001 g^2
        # lr * m1 / sqrt(s1) = 0.01 * 0.1 / sqrt(0.001) = 0.0316..., more than three times too large
        uncorrected = 0.01 * (0.1 * g) / (math.sqrt(0.001 * g * g) + 1e-8)
        assert uncorrected == pytest.approx(0.0316227766, rel=1e-3)
        assert uncorrected / -w[0] > 3


def test_paper_defaults():
    adam = Adam()
    assert (adam.lr, adam.beta1, adam.beta2, adam.eps) == (0.001, 0.9, 0.999, 1e-8)
    assert (RMSprop().lr, RMSprop().beta) == (0.001, 0.9)
    assert Momentum().beta == 0.9 and Nesterov().beta == 0.9
    assert AdamW().weight_decay == 0.01


# --- every optimizer converges on a convex quadratic ----------------------------------------------

A = np.diag([1.0, 3.0, 10.0]) + 0.2  # symmetric positive definite
B = np.array([1.0, -2.0, 0.5])
W_STAR = np.linalg.solve(A, B)


@pytest.mark.parametrize("opt, steps", [
    (SGD(lr=0.15), 300), (Momentum(lr=0.05), 300), (Nesterov(lr=0.05), 300), (Adagrad(lr=0.5), 3000),
    (RMSprop(lr=0.002), 3000), (Adam(lr=0.05), 2000), (AdamW(lr=0.05, weight_decay=0.0), 2000),
])
def test_converges_on_a_convex_quadratic(opt, steps):
    # f(w) = 1/2 w^T A w - b^T w, gradient A w - b, minimum at A^{-1} b
    w = np.zeros(3)
    for _ in range(steps):
        opt.step([w], [A @ w - B])
    np.testing.assert_allclose(w, W_STAR, atol=2e-3)


# --- one interface, explicit state -----------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(optim.OPTIMIZERS))
def test_flat_vector_and_separate_arrays_give_the_same_steps(name):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((3, 2)), rng.standard_normal(4)]
    flat = np.concatenate([a.ravel() for a in arrays])
    separate, together = optim.make_optimizer(name, lr=0.05), optim.make_optimizer(name, lr=0.05)
    for _ in range(3):
        grads = [rng.standard_normal(a.shape) for a in arrays]
        separate.step(arrays, grads)
        together.step([flat], [np.concatenate([g.ravel() for g in grads])])
    np.testing.assert_allclose(np.concatenate([a.ravel() for a in arrays]), flat, rtol=1e-13)


def test_state_is_explicit_and_reset_forgets_it():
    opt = Adam()
    w = np.ones(2)
    opt.step([w], [np.array([1.0, -1.0])])
    state = opt.state
    assert state["t"] == 1 and set(state) == {"t", "m", "s"}
    np.testing.assert_allclose(state["m"][0], [0.1, -0.1])
    np.testing.assert_allclose(state["s"][0], [0.001, 0.001])
    opt.reset()
    assert opt.state == {"t": 0, "m": [], "s": []}
    names = {name: set(optim.make_optimizer(name).state) - {"t"} for name in optim.OPTIMIZERS}
    assert names == {"sgd": set(), "momentum": {"v"}, "nesterov": {"v"}, "adagrad": {"s"}, "rmsprop": {"s"},
                     "adam": {"m", "s"}, "adamw": {"m", "s"}}


def test_each_parameter_has_its_own_named_state():
    opt = Momentum(lr=0.1, beta=0.5)
    a, b = np.zeros(2), np.zeros(3)
    opt.step([a, b], [np.ones(2), -np.ones(3)])
    v_a, v_b = opt.state["v"]
    np.testing.assert_allclose(v_a, [-0.1, -0.1])
    np.testing.assert_allclose(v_b, [0.1, 0.1, 0.1])


def test_the_shared_running_average_and_scaled_step():
    a, scratch = np.array([1.0, 2.0]), np.empty(2)
    optim._running_average(a, np.array([3.0, 0.0]), 0.75, scratch)
    np.testing.assert_allclose(a, [0.75 + 0.75, 1.5])  # 0.75 a + 0.25 x
    w = np.array([1.0, 1.0])
    optim._scaled_step(w, np.array([2.0, -2.0]), np.array([4.0, 16.0]), 0.5, 0.0, scratch)
    np.testing.assert_allclose(w, [1.0 - 0.5 * 2 / 2, 1.0 + 0.5 * 2 / 4])


@pytest.mark.parametrize("name", sorted(optim.OPTIMIZERS))
def test_float32_parameters_stay_float32(name):
    w = np.ones(5, dtype=np.float32)
    opt = optim.make_optimizer(name, lr=0.01, weight_decay=0.01)
    for _ in range(3):
        opt.step([w], [np.full(5, 0.3, dtype=np.float32)])
    assert w.dtype == np.float32
    assert all(a.dtype == np.float32 for key, arrays in opt.state.items() if key != "t" for a in arrays)


def test_weight_decay_is_the_l2_gradient_for_sgd():
    # lambda w joins the gradient: w1 = 2 - 0.1 * (0.5 + 0.2 * 2) = 2 - 0.09 = 1.91
    w = np.array([2.0])
    SGD(lr=0.1, weight_decay=0.2).step([w], [np.array([0.5])])
    assert w[0] == pytest.approx(1.91)


# --- bad input ------------------------------------------------------------------------------------

@pytest.mark.parametrize("cls", [SGD, Momentum, Nesterov, Adagrad, RMSprop, Adam, AdamW])
def test_negative_learning_rate(cls):
    with pytest.raises(ValueError, match="learning rate lr must be positive; got -0.1"):
        cls(lr=-0.1)


def test_bad_hyperparameters():
    with pytest.raises(ValueError, match=r"beta1 must lie in \[0, 1\)"):
        Adam(beta1=1.0)
    with pytest.raises(ValueError, match="eps must be positive"):
        RMSprop(eps=0.0)
    with pytest.raises(ValueError, match="weight_decay must be non-negative"):
        SGD(weight_decay=-1.0)
    with pytest.raises(TypeError, match="lr must be a real number"):
        SGD(lr="fast")
    with pytest.raises(ValueError, match="unknown optimizer 'adamax'"):
        optim.make_optimizer("adamax")


def test_mismatched_parameters_and_gradients():
    opt = SGD()
    with pytest.raises(ValueError, match="2 parameter arrays but 1 gradients"):
        opt.step([np.ones(2), np.ones(3)], [np.ones(2)])
    with pytest.raises(ValueError, match=r"gradient 0 has shape \(3,\) but its parameter has shape \(2,\)"):
        opt.step([np.ones(2)], [np.ones(3)])
    with pytest.raises(TypeError, match="lists of arrays"):
        opt.step(np.ones(2), np.ones(2))
    with pytest.raises(TypeError, match="writable float numpy arrays"):
        opt.step([[1.0, 2.0]], [np.ones(2)])
    with pytest.raises(ValueError, match="NaN"):
        opt.step([np.ones(2)], [np.array([np.nan, 0.0])])


def test_new_shapes_need_a_reset():
    opt = Adam()
    opt.step([np.ones(2)], [np.ones(2)])
    with pytest.raises(ValueError, match=r"shapes \[\(2,\)\].*reset\(\)"):
        opt.step([np.ones(3)], [np.ones(3)])
    opt.reset()
    opt.step([np.ones(3)], [np.ones(3)])
    assert opt.t == 1
