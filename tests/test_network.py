"""The MLP: every gradient against centred differences, agreement with the layer functions, init, errors."""

import ast
import pathlib
import subprocess
import sys
import zlib

import numpy as np
import pytest

from nnmath import init
from nnmath.activations import ACTIVATIONS, softmax
from nnmath.gradcheck import gradient_check
from nnmath.layers import activation_backward, activation_forward, count_parameters, dense_backward, dense_forward
from nnmath.losses import softmax_cross_entropy, softmax_cross_entropy_prime
from nnmath.network import MLP

HIDDEN = sorted(a for a in ACTIVATIONS if a != "identity") + ["identity"]


def rng_for(*key):
    return np.random.default_rng(zlib.crc32(repr(key).encode()))


def targets_for(net, n, rng):
    k = net.sizes[-1]
    if net.loss.kind == "multiclass":
        return rng.integers(0, k, n)
    if net.loss.kind == "binary":
        return rng.integers(0, 2, n)
    return rng.standard_normal((n, k))


def check_every_gradient(net, X, y, reseed=None):
    """Each parameter array, against centred differences of net.compute_loss."""
    # non-zero biases: with zero biases a dead ReLU layer would put the next layer exactly on ReLU's kink
    for b in net.b:
        b[:] = rng_for("biases", b.size).normal(0.0, 0.5, b.size)
    if reseed is not None:
        net.rng = np.random.default_rng(reseed)
    loss, grads = net.loss_and_gradients(X, y) if reseed is None else _train_mode_grads(net, X, y, reseed)
    grads = [g.copy() for g in grads]
    for i, (p, g) in enumerate(zip(net.params, grads)):
        def f(v, p=p):
            old = p.copy()
            p[...] = v
            value = _loss(net, X, y, reseed)
            p[...] = old
            return value
        check = gradient_check(f, g, p.copy())
        assert check.error < 1e-7, (i, check)
    return loss


def _loss(net, X, y, reseed):
    if reseed is None:
        return net.compute_loss(X, y)
    net.rng = np.random.default_rng(reseed)  # the same dropout mask every time
    out, _ = net.forward(X, train=True)
    return net.loss.f(out, net.check_targets(y, len(X)))


def _train_mode_grads(net, X, y, reseed):
    net.rng = np.random.default_rng(reseed)
    out, cache = net.forward(X, train=True)
    targets = net.check_targets(y, len(X))
    return net.loss.f(out, targets), net.backward(net.loss.f_prime(out, targets), cache)


@pytest.mark.parametrize("activation", HIDDEN)
def test_gradients_of_every_weight_and_bias_for_each_activation(activation):
    rng = rng_for("act", activation)
    sizes = [int(rng.integers(1, 5)), int(rng.integers(2, 6)), int(rng.integers(2, 6)), int(rng.integers(2, 5))]
    net = MLP(sizes, activation, "cross_entropy", seed=1)
    n = int(rng.integers(1, 7))
    X = rng.standard_normal((n, sizes[0]))
    check_every_gradient(net, X, targets_for(net, n, rng))


@pytest.mark.parametrize("loss", ["cross_entropy", "binary_cross_entropy", "mse", "mae"])
def test_gradients_for_each_loss(loss):
    rng = rng_for("loss", loss)
    out = 1 if loss == "binary_cross_entropy" else 3
    net = MLP([3, 5, out], "tanh", loss, seed=2)
    X = rng.standard_normal((4, 3))
    check_every_gradient(net, X, targets_for(net, 4, rng))


def test_gradients_with_dropout_in_training_mode():
    rng = rng_for("dropout")
    net = MLP([4, 6, 5, 3], "sigmoid", dropout=0.3, seed=3)
    X = rng.standard_normal((5, 4))
    check_every_gradient(net, X, rng.integers(0, 3, 5), reseed=7)


@pytest.mark.parametrize("seed", range(3))
def test_input_gradient(seed):
    rng = rng_for("input", seed)
    net = MLP([3, 4, 4, 2], ["tanh", "elu"], seed=seed)
    X = rng.standard_normal((3, 3))
    y = rng.integers(0, 2, 3)
    out, cache = net.forward(X)
    _, dX = net.backward(softmax_cross_entropy_prime(out, y), cache, return_input_grad=True)
    check = gradient_check(lambda v: net.compute_loss(v, y), dX, X)
    assert check.error < 1e-7, check


def test_network_equals_the_layer_functions_forward_and_backward():
    """An independent path: the checked functions of nnmath.layers, one layer at a time."""
    rng = rng_for("layers")
    net = MLP([5, 7, 6, 4], ["relu", "tanh"], seed=4)
    X = rng.standard_normal((8, 5))
    y = rng.integers(0, 4, 8)
    out, cache = net.forward(X)
    grads = [g.copy() for g in net.backward(softmax_cross_entropy_prime(out, y), cache)]

    A, caches = X, []
    for W, b, act in zip(net.W, net.b, net.activations):
        Z, dense_cache = dense_forward(A, W, b)
        A, act_cache = activation_forward(Z, act.name)
        caches.append((dense_cache, act_cache))
    np.testing.assert_allclose(A, out, rtol=1e-12)
    G, expected = softmax_cross_entropy_prime(A, y), []
    for dense_cache, act_cache in reversed(caches):
        G, dW, db = dense_backward(activation_backward(G, act_cache), dense_cache)
        expected = [dW, db] + expected
    for got, want in zip(grads, expected):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    assert net.compute_loss(X, y) == pytest.approx(softmax_cross_entropy(A, y), rel=1e-12)


def test_derivatives_from_the_output_match_the_activation_module():
    z = np.linspace(-5, 5, 41)
    with_form = [act for act in ACTIVATIONS.values() if act.prime_from_output is not None]
    assert {act.name for act in with_form} == {"sigmoid", "tanh"}
    for act in with_form:
        np.testing.assert_allclose(act.prime_from_output(act.f(z)), act.f_prime(z), rtol=1e-12, atol=1e-15)


def test_parameters_are_views_of_the_flat_vectors():
    net = MLP([3, 4, 2], seed=0)
    assert net.n_parameters == count_parameters([3, 4, 2]) == 3 * 4 + 4 + 4 * 2 + 2
    assert [p.shape for p in net.params] == [(3, 4), (4,), (4, 2), (2,)]
    net.flat_params[:] = 0.5
    assert all((p == 0.5).all() for p in net.params)
    net.W[1][0, 0] = 9.0
    assert net.flat_params[3 * 4 + 4] == 9.0
    assert all(np.shares_memory(g, net.flat_grads) for g in net.grads)


def test_get_and_set_params_round_trip():
    net = MLP([2, 3, 2], seed=0)
    saved = net.get_params()
    net.flat_params += 1.0
    net.set_params(saved)
    np.testing.assert_array_equal(net.flat_params, saved)
    with pytest.raises(ValueError, match="expected 17 parameters"):
        net.set_params(np.zeros(3))


def test_predictions():
    net = MLP([2, 4, 3], seed=0)
    X = rng_for("pred").standard_normal((5, 2))
    P = net.predict_proba(X)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    np.testing.assert_array_equal(net.predict(X), P.argmax(axis=1))
    np.testing.assert_allclose(P, softmax(net.forward(X)[0]))
    binary = MLP([2, 4, 1], loss="binary_cross_entropy", seed=0)
    p = binary.predict_proba(X)
    assert p.shape == (5,)
    np.testing.assert_array_equal(binary.predict(X), (p > 0.5).astype(int))
    regression = MLP([2, 4, 2], loss="mse", seed=0)
    assert regression.predict(X).shape == (5, 2)
    with pytest.raises(TypeError, match="classification loss"):
        regression.predict_proba(X)


def test_same_seed_same_network():
    a, b, c = MLP([4, 8, 3], seed=5), MLP([4, 8, 3], seed=5), MLP([4, 8, 3], seed=6)
    np.testing.assert_array_equal(a.flat_params, b.flat_params)
    assert not np.array_equal(a.flat_params, c.flat_params)


def test_float32_network_stays_float32():
    net = MLP([3, 5, 2], dtype=np.float32, seed=0)
    X = np.ones((4, 3))  # float64 input is converted once at the boundary
    out, cache = net.forward(X)
    assert out.dtype == np.float32
    assert all(g.dtype == np.float32 for g in net.backward(np.ones((4, 2)), cache))
    assert net.flat_params.dtype == np.float32


# --- initialisation ------------------------------------------------------------------------------

def test_he_and_xavier_scales():
    W = init.he_normal(400, 300, seed=0)
    assert W.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    W = init.xavier_uniform(400, 300, seed=0)
    limit = np.sqrt(6 / 700)
    assert np.abs(W).max() <= limit and W.std() == pytest.approx(np.sqrt(2 / 700), rel=0.02)
    assert init.xavier_normal(400, 300, seed=0).std() == pytest.approx(np.sqrt(2 / 700), rel=0.02)
    assert init.he_uniform(400, 300, seed=0).std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert init.he_normal(3, 2, seed=0, dtype=np.float32).dtype == np.float32


def test_auto_init_picks_he_for_relu_and_xavier_otherwise():
    relu_net = MLP([500, 400, 10], "relu", seed=0)
    tanh_net = MLP([500, 400, 10], "tanh", seed=0)
    assert relu_net.W[0].std() == pytest.approx(np.sqrt(2 / 500), rel=0.02)
    assert tanh_net.W[0].std() == pytest.approx(np.sqrt(2 / 900), rel=0.02)
    assert np.abs(relu_net.W[1]).max() <= np.sqrt(6 / 410)  # the linear output layer: Xavier
    assert (relu_net.b[0] == 0).all()


def test_he_keeps_the_signal_alive_through_depth():
    """With He initialisation the variance of ReLU pre-activations stays of order 1 over 10 layers."""
    net = MLP([200] * 11 + [2], "relu", seed=0)
    X = rng_for("depth").standard_normal((500, 200))
    _, cache = net.forward(X)
    variances = [Z.var() for _, Z, _, _ in cache[:-1]]
    assert 0.3 < variances[-1] / variances[0] < 3


# --- bad input -----------------------------------------------------------------------------------

def test_wrong_number_of_features_names_shapes():
    net = MLP([2, 3, 1], loss="mse")
    with pytest.raises(ValueError, match=r"X has 3 features but the network expects 2 \(X: \(5, 3\)"):
        net.forward(np.ones((5, 3)))
    with pytest.raises(ValueError, match=r"x\[None, :\]"):
        net.predict(np.ones(2))


def test_nan_in_inputs_is_rejected():
    with pytest.raises(ValueError, match="NaN"):
        MLP([2, 3, 1], loss="mse").forward([[0.0, np.nan]])


def test_bad_construction():
    with pytest.raises(ValueError, match="unknown activation 'relux'"):
        MLP([2, 3, 1], "relux")
    with pytest.raises(ValueError, match="2 hidden layer"):
        MLP([2, 3, 3, 1], ["relu"])
    with pytest.raises(TypeError, match="float32 or float64"):
        MLP([2, 1], dtype=np.int64)
    with pytest.raises(ValueError, match="layer size 1 must be a positive integer; got 0"):
        MLP([2, 0, 1])
    with pytest.raises(ValueError, match=r"dropout rate must lie in \[0, 1\); got 1.0"):
        MLP([2, 3, 1], dropout=1.0)
    with pytest.raises(ValueError, match="unknown initialiser"):
        MLP([2, 3, 1], init="zeros")


def test_labels_out_of_range_in_the_network():
    net = MLP([2, 3, 4])
    with pytest.raises(ValueError, match=r"0\.\.3"):
        net.loss_and_gradients(np.zeros((2, 2)), [0, 4])


def test_backward_checks_the_gradient_shape():
    net = MLP([2, 3, 4])
    _, cache = net.forward(np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"\(2, 4\)"):
        net.backward(np.zeros((2, 3)), cache)


# --- the package's layers: the math core never imports the training layer ------------------------

CORE = ["losses", "init", "regularization", "network"]
TRAINING = {"optim", "descent", "data", "train", "plots", "widgets", "exercises"}


@pytest.mark.parametrize("module", CORE)
def test_core_modules_import_nothing_above_them(module):
    source = (pathlib.Path(__file__).parents[1] / "nnmath" / f"{module}.py").read_text()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level:
            top = (node.module or "").split(".")[0]
            assert top not in TRAINING, f"nnmath.{module} imports nnmath.{node.module}"


def test_the_core_modules_load_without_the_training_layer():
    # an empty stand-in for the package's __init__, so only what the core modules import gets loaded
    code = ("import sys, types, importlib.util\n"
            "package = types.ModuleType('nnmath')\n"
            "package.__path__ = importlib.util.find_spec('nnmath').submodule_search_locations\n"
            "sys.modules['nnmath'] = package\n"
            "import nnmath.losses, nnmath.init, nnmath.regularization, nnmath.network\n"
            "print(sorted(m for m in sys.modules if m.startswith('nnmath.')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for name in ("nnmath.train", "nnmath.optim", "nnmath.descent", "nnmath.data"):
        assert f"'{name}'" not in loaded
