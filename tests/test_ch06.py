"""Tests for what chapter 6 adds: the scalar computational graph, cost counts, network gradient checks, the figures
and the exercises (its widgets, the step-through and the training run: test_widgets_ch05_06.py)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nnmath as nm
from nnmath import backprop as bp
from nnmath import plots
from nnmath.exercises import EXERCISES, check
from nnmath.exercises.ch06 import two_layer_gradients


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --- the scalar graph ---------------------------------------------------------------------------

def _by_layers(activation, p=bp.TINY_NETWORK):
    """The tiny network's gradients from the matrix functions of nnmath.layers (an independent route)."""
    X = p["x"][None, :]
    Z1, c1 = nm.dense_forward(X, p["W1"], p["b1"])
    H, cf = nm.activation_forward(Z1, activation)
    Z2, c2 = nm.dense_forward(H, p["W2"], p["b2"])
    G2 = nm.mse_prime(Z2, np.array([[p["y"]]]))
    dH, dW2, db2 = nm.dense_backward(G2, c2)
    dX, dW1, db1 = nm.dense_backward(nm.activation_backward(dH, cf), c1)
    return {"Z1": Z1, "H": H, "yhat": Z2.item(), "L": nm.mse(Z2, np.array([[p["y"]]])),
            "dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dX": dX}


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "elu"])
def test_tiny_graph_matches_dense_forward_and_backward(activation):
    g = bp.tiny_network_graph(activation=activation)
    g.backward("L")
    ref = _by_layers(activation)
    assert [g.value(f"z{j}") for j in (1, 2)] == pytest.approx(ref["Z1"].ravel(), abs=1e-15)
    assert [g.value(f"h{j}") for j in (1, 2)] == pytest.approx(ref["H"].ravel(), abs=1e-15)
    assert g.value("yhat") == pytest.approx(ref["yhat"], abs=1e-15)
    assert g.value("L") == pytest.approx(ref["L"], abs=1e-15)
    dW1 = np.array([[g.grad(f"w{i}{j}") for j in (1, 2)] for i in (1, 2)])
    assert np.allclose(dW1, ref["dW1"], rtol=1e-13, atol=1e-15)
    assert np.allclose([g.grad("b1"), g.grad("b2")], ref["db1"], rtol=1e-13, atol=1e-15)
    assert np.allclose([g.grad("v1"), g.grad("v2")], ref["dW2"].ravel(), rtol=1e-13, atol=1e-15)
    assert g.grad("c") == pytest.approx(ref["db2"][0], rel=1e-13)
    assert np.allclose([g.grad("x1"), g.grad("x2")], ref["dX"].ravel(), rtol=1e-13, atol=1e-15)
    assert g.grad("y") is None  # a constant gets no gradient


def test_tiny_graph_matches_the_mlp():
    p = bp.TINY_NETWORK
    net = nm.MLP([2, 2, 1], activation="sigmoid", loss="mse")
    for param, value in zip(net.params, (p["W1"], p["b1"], p["W2"], p["b2"])):
        param[...] = value
    loss, grads = net.loss_and_gradients(p["x"][None, :], np.array([p["y"]]))
    g = bp.tiny_network_graph()
    g.backward("L")
    assert g.value("L") == pytest.approx(loss, rel=1e-14)
    assert g.grad("w21") == pytest.approx(grads[0][1, 0], rel=1e-13)
    assert g.grad("v2") == pytest.approx(grads[2][1, 0], rel=1e-13)


def test_tiny_graph_gradients_match_centred_differences(rng):
    x, W1, b1 = rng.normal(size=3), rng.normal(size=(3, 4)), rng.normal(size=4)
    W2, b2, y = rng.normal(size=(4, 1)), rng.normal(size=1), 0.3

    def loss(flat):
        return bp.tiny_network_graph(x, flat[:12].reshape(3, 4), flat[12:16], flat[16:20].reshape(4, 1),
                                     flat[20:], y, "tanh").value("L")

    theta = np.concatenate([W1.ravel(), b1, W2.ravel(), b2])
    g = bp.tiny_network_graph(x, W1, b1, W2, b2, y, "tanh")
    g.backward("L")
    analytic = np.array([g.grad(f"w{i}{j}") for i in range(1, 4) for j in range(1, 5)]
                        + [g.grad(f"b{j}") for j in range(1, 5)] + [g.grad(f"v{j}") for j in range(1, 5)]
                        + [g.grad("c")])
    assert nm.relative_error(analytic, nm.numerical_gradient(loss, theta)) < 1e-8


def test_sum_over_paths_and_repeated_parents():
    d = bp.Graph()
    x = d.input("x", 2.0)
    d.mul("f", d.square("a", x), d.scale("b", x, 3.0))
    steps = d.backward("f")
    assert d.grad("x") == pytest.approx(9 * 2.0 ** 2)  # f = 3x^3
    (x_step,) = [s for s in steps if s.node == "x"]
    assert len(x_step.terms) == 2 and sum(d_ * g for _, d_, g in x_step.terms) == pytest.approx(36.0)
    sq = bp.Graph()
    u = sq.input("u", -1.5)
    sq.mul("v", u, u)  # the same parent twice: two edges, two terms
    sq.backward("v")
    assert sq.grad("u") == pytest.approx(-3.0)
    add = bp.Graph()
    a, b = add.input("a", 1.0), add.input("b", 2.0)
    add.add("s", a, b)
    add.backward("s")
    assert add.grad("a") == add.grad("b") == 1.0


def test_max_gate_routes_the_gradient_to_the_larger_input():
    for x, y in ((2.0, 1.0), (-0.5, 0.7)):
        g = bp.Graph()
        g.add("f", g.maximum("m", g.input("x", x), g.input("y", y)), g.mul("p", "x", "y"))
        g.backward("f")

        def f(v):
            return max(v[0], v[1]) + v[0] * v[1]

        numeric = nm.numerical_gradient(f, np.array([x, y]))
        assert [g.grad("x"), g.grad("y")] == pytest.approx(numeric, rel=1e-9)
        assert g.value("m") == max(x, y) and g["m"].local == ((1.0, 0.0) if x >= y else (0.0, 1.0))
    tie = bp.Graph()
    tie.maximum("m", tie.input("a", 1.0), tie.input("b", 1.0))
    assert tie["m"].local == (1.0, 0.0)  # at a tie the first input wins, by convention


def test_backward_accumulates_every_edge():
    # one value feeding many nodes: each edge adds its share (the += of the engine)
    g = bp.Graph()
    x = g.input("x", 1.5)
    total = x
    for k in range(5):
        total = g.add(f"s{k}", total, g.mul(f"m{k}", x, x))  # s = x + 5 x^2
    g.backward(total)
    assert g.grad("x") == pytest.approx(1 + 10 * 1.5)
    (step,) = [s for s in g.backward(total) if s.node == "x"]
    assert len(step.terms) == 11 and step.grad == pytest.approx(sum(d * c for _, d, c in step.terms))


def test_tape_round_trip_and_the_reverse_mode_reference(rng):
    from nnmath.exercises.ch06 import build_expression, random_expression, reverse_mode

    g = bp.tiny_network_graph()
    g.backward("L")
    tape = g.tape()
    assert [t[0] for t in tape] == list(g.nodes) and tape[-1][0] == "L"
    again = bp.Graph.from_tape(tape)
    again.backward("L")
    assert all(again.grad(n) == pytest.approx(g.grad(n) or 0.0) for n in g.nodes if n != "y")
    with pytest.raises(ValueError, match="2 parents but 1 local"):
        bp.Graph.from_tape([("a", (), ()), ("b", ("a", "a"), (1.0,))])
    for _ in range(20):  # the random expressions the exercise uses: the reference against centred differences
        inputs, ops = random_expression(rng)
        tape = build_expression(inputs, ops).tape()
        grads = reverse_mode(tape)
        assert len(grads) == len(tape) and grads[-1] == 1.0

        def output(v, ops=ops):
            return build_expression(v, ops).value(f"v{len(ops) - 1}")

        numeric = nm.numerical_gradient(output, inputs)
        assert np.allclose(grads[:len(inputs)], numeric, rtol=1e-6, atol=1e-8)


def test_layer_by_layer_is_the_mlp_and_the_differences():
    X, y = nm.make_spirals(n=60, seed=1)
    for activation, loss in (("tanh", "cross_entropy"), ("sigmoid", "mse"), ("relu", "binary_cross_entropy")):
        k = 1 if loss == "binary_cross_entropy" else 3
        target = (y > 0).astype(float) if loss == "binary_cross_entropy" else (np.eye(3)[y] if loss == "mse" else y)
        net = nm.MLP([2, 6, 5, k], activation=activation, loss=loss, seed=2)
        result = bp.layer_by_layer(net, X, target)
        value, grads = net.loss_and_gradients(X, target)
        assert result.loss == pytest.approx(value, rel=1e-12)
        assert all(np.allclose(a, b, rtol=1e-10, atol=1e-14) for a, b in zip(result.grads, grads))
        assert [G.shape for G in result.G] == [(60, 6), (60, 5), (60, k)]
    net = nm.MLP([2, 4, 3], activation="tanh", seed=3)
    result = bp.layer_by_layer(net, X[:10], y[:10])
    # G[D] of softmax + cross-entropy is (P - Y)/n, and dL/db = 1^T G for each layer
    assert np.allclose(result.G[-1], (net.predict_proba(X[:10]) - np.eye(3)[y[:10]]) / 10)
    assert np.allclose(result.grads[1], result.G[0].sum(axis=0))
    for r in nm.check_network_gradients(net, X[:10], y[:10]):
        assert r.grade == "good"


def test_stored_numbers_match_what_the_mlp_keeps():
    sizes = [5, 7, 4, 3]
    net = nm.MLP(sizes, activation="tanh")
    out, cache = net.forward(np.ones((6, 5)))
    kept = {id(a): a.size for layer in cache for a in layer[:3]}  # inputs, Z, f(Z); shared arrays once
    costs = bp.pass_costs(sizes, n=6)
    assert costs.stored == 6 * (5 + 7 + 4) + 6 * (7 + 4)
    assert sum(kept.values()) == costs.stored + out.size  # the MLP also keeps its output


def test_backward_order_finishes_children_first():
    g = bp.tiny_network_graph()
    order = g.backward_order("L")
    position = {name: k for k, name in enumerate(order)}
    for name in order:
        for child, _ in g.children(name):
            if child in position:
                assert position[child] < position[name], (child, name)
    assert order[0] == "L" and set(order) == set(g.nodes) - {"y"}
    assert g.forward_order() == ["z1", "z2", "h1", "h2", "yhat", "L"]
    # a layer's parameters are finished before the backward pass moves below it
    assert order.index("v1") < order.index("h1") and order.index("w11") < order.index("x1")


def test_graph_rejects_bad_construction():
    g = bp.Graph()
    g.input("x", 1.0)
    with pytest.raises(ValueError, match="already has a node named 'x'"):
        g.input("x", 2.0)
    with pytest.raises(ValueError, match="unknown node"):
        g.add("s", "x", "nope")
    with pytest.raises(ValueError, match="one weight per input"):
        g.affine("z", ["x"], [], "x")
    with pytest.raises(ValueError, match="non-finite"):
        g.param("w", np.inf)
    with pytest.raises(ValueError, match="unknown output"):
        g.backward("L")
    with pytest.raises(ValueError, match="shapes must be"):
        bp.tiny_network_graph(x=np.ones(3))
    with pytest.raises(ValueError, match="tiny networks"):
        bp.tiny_network_graph(np.ones(10), np.ones((10, 2)), np.ones(2), np.ones((2, 1)), np.ones(1), 0.0)


# --- cost counts, small pieces --------------------------------------------------------------------

def test_pass_costs_count_the_matrix_products():
    c = bp.pass_costs([2, 3, 1], n=4)
    assert c.parameters == nm.count_parameters([2, 3, 1]) == 13
    assert c.forward == 4 * (2 * 3 + 3 * 1)
    assert c.backward == c.forward + 4 * 3 * 1  # no dL/dX for the first layer
    assert c.finite_differences == 2 * c.parameters * c.forward
    assert c.forward_mode == c.parameters * c.forward
    big = bp.pass_costs([64, 128, 64, 10], n=64)
    assert big.parameters == 17_226 and big.forward <= big.backward <= 2 * big.forward
    assert big.stored == 64 * (64 + 128 + 64) + 64 * (128 + 64) == 28_672
    with pytest.raises(ValueError, match="batch size"):
        bp.pass_costs([2, 1], n=0)


def test_sigmoid_backward_uses_the_cached_output(rng):
    Z, dA = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    expected = nm.activation_backward(dA, (Z, nm.get_activation("sigmoid")))
    assert np.allclose(nm.sigmoid_backward(dA, nm.sigmoid(Z)), expected)
    with pytest.raises(ValueError, match=r"dA and A must have the same shape \(dA: \(3, 4\), A: \(4, 3\)\)"):
        nm.sigmoid_backward(dA, nm.sigmoid(Z).T)


def test_check_network_gradients_agrees_and_restores_the_parameters():
    X, y = nm.make_spirals(n=30, seed=1)
    net = nm.MLP([2, 5, 3], activation="tanh", seed=1)
    before = net.get_params()
    results = nm.check_network_gradients(net, X[:8], y[:8])
    assert [r.name for r in results] == ["W1", "b1", "W2", "b2"]
    assert [r.shape for r in results] == [(2, 5), (5,), (5, 3), (3,)]
    assert max(r.error for r in results) < 1e-8
    assert np.array_equal(net.get_params(), before)


def test_the_two_step_softmax_route_loses_the_gradient_the_fused_one_keeps():
    Z, y = np.array([[0.0, 800.0]]), np.array([0])
    P = nm.softmax(Z)
    assert np.all(nm.softmax_backward(nm.categorical_cross_entropy_prime(P, y), P) == 0)
    assert np.allclose(nm.softmax_cross_entropy_prime(Z, y), [[-1.0, 1.0]])


# --- figures --------------------------------------------------------------------------------------

def test_figures_draw():
    g = bp.tiny_network_graph()
    g.backward("L")
    d = bp.Graph()
    x = d.input("x", 2.0)
    d.mul("f", d.square("a", x), d.scale("b", x, 3.0))
    d.backward("f")
    figures = [plots.chain_rule_graphs(g, d), plots.gradient_cost([4, 3, 2], 8, {"forward": 1e-4, "both": 3e-4}),
               plots.gradient_cost([4, 3, 2]), plots.dense_gradient_shapes(),
               plots.gradcheck_step_sizes(np.logspace(-12, -1, 12), np.logspace(-4, -10, 12)),
               plots.softmax_ce_gradient([2.0, 1.0, -0.5], 1)]
    for fig in figures:
        assert fig.axes
    fig, ax = plt.subplots()
    art = plots.draw_graph(ax, g, plots.backprop.TINY_LAYOUT)
    assert set(art["values"]) == set(g.nodes) and len(art["edges"]) == 2 * 5 + 2 + 5 + 2
    assert art["grads"]["y"].get_text() == ""


def test_gradient_timings_measure_three_ways_and_restore_the_network():
    X, y = nm.make_moons(n=20, seed=0)
    net = nm.MLP([2, 3, 2], activation="tanh", seed=0)
    before = net.get_params()
    timings = plots.gradient_timings(net, X, y, repeat=2, fd_repeat=1)
    assert list(timings)[:2] == ["forward", "forward +\nbackward"] and "2|θ| = 34" in list(timings)[2]
    assert all(t > 0 for t in timings.values())
    assert np.array_equal(net.get_params(), before)
    assert plots.gradient_cost([2, 3, 2], n=20, timings=timings).axes


def test_format_number():
    from nnmath.plots.backprop import format_number

    assert format_number(-0.123456) == "\u22120.123"
    assert format_number(1e-14) == "0" and format_number(-1e-14) == "0"
    assert format_number(1.5e-7) == "1.5e\u22127"


# --- exercises ------------------------------------------------------------------------------------

def test_exercises_are_registered_and_accept_the_reference():
    for name in ("sigmoid_backward", "dense_backward", "softmax_backward", "reverse_mode", "two_layer_gradients"):
        assert check(name, EXERCISES[name].reference), name


def test_exercises_reject_common_mistakes():
    assert not check("sigmoid_backward", lambda dA, A: dA * A)
    assert not check("dense_backward", lambda dZ, X, W: (dZ @ W.T, X.T @ dZ, dZ.mean(axis=0)))
    assert not check("softmax_backward", lambda dP, P: dP * P * (1 - P))  # the diagonal of the Jacobian only
    assert not check("two_layer_gradients", lambda X, y, W1, b1, W2, b2: (W1 * 0, b1 * 0, W2 * 0, b2 * 0))

    def overwriting(tape):  # the classic bug: = instead of +=
        index = {name: i for i, (name, _, _) in enumerate(tape)}
        grads = [0.0] * len(tape)
        grads[-1] = 1.0
        for i in reversed(range(len(tape))):
            for parent, d in zip(tape[i][1], tape[i][2]):
                grads[index[parent]] = d * grads[i]
        return grads

    result = check("reverse_mode", overwriting)
    assert not result and "expected [6., 1.]" in result.message


def test_two_layer_reference_matches_centred_differences(rng):
    X, y = rng.normal(size=(5, 3)), np.array([0, 1, 2, 1, 0])
    W1, b1, W2, b2 = rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(4, 3)), rng.normal(size=3)

    def loss(W):
        return nm.softmax_cross_entropy(nm.tanh(X @ W + b1) @ W2 + b2, y)

    dW1 = two_layer_gradients(X, y, W1, b1, W2, b2)[0]
    assert nm.gradient_check(loss, dW1, W1).ok
