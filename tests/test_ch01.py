"""Tests for what chapter 1 adds: the neuron figures, the architecture options and the neuron playground's colours
(the layer playground: test_widgets_ch01_02.py)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nnmath as nm
from nnmath import plots, widgets


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --- decision_line ------------------------------------------------------------------------------

@pytest.mark.parametrize("w, b", [((2.0, -1.0), 1.0), ((1.0, 2.0), -2.0), ((0.0, 3.0), 0.5), ((-0.3, 0.0), -1.2)])
def test_decision_line_is_the_zero_set_of_z_and_perpendicular_to_w(w, b):
    p, d = plots.decision_line(w, b)
    w = np.asarray(w)
    assert np.dot(w, p) + b == pytest.approx(0.0, abs=1e-12)  # p is on the line
    assert np.dot(w, d) == pytest.approx(0.0, abs=1e-12)  # the line is perpendicular to w
    assert np.linalg.norm(d) == pytest.approx(1.0)
    assert np.linalg.norm(p) == pytest.approx(abs(b) / np.linalg.norm(w))  # distance |b| / ||w||
    # p is the nearest point: it is parallel to w (no component along the line)
    assert np.dot(p, d) == pytest.approx(0.0, abs=1e-12)
    # every point p + t d of the line has z = 0, checked with the neuron itself
    pts = p + np.outer(np.linspace(-5, 5, 11), d)
    assert np.allclose(nm.neuron(pts, w, b, "identity"), 0.0, atol=1e-12)


def test_decision_line_signed_distance_is_z_over_norm_w(rng):
    w, b = np.array([1.5, -0.5]), 0.7
    p, _ = plots.decision_line(w, b)
    x = rng.normal(size=(20, 2))
    z = nm.neuron(x, w, b, "identity")
    signed_distance = (x - p) @ (w / np.linalg.norm(w))
    assert np.allclose(z / np.linalg.norm(w), signed_distance)


def test_decision_line_of_zero_weights_is_none_and_bad_shapes_are_named():
    assert plots.decision_line((0.0, 0.0), 1.0) is None
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        plots.decision_line((1.0, 2.0, 3.0), 0.0)


def test_exercise_line_of_chapter_1():
    # exercise 1.2: w = (2, -1), b = 1 gives x2 = 2 x1 + 1, at distance 1/sqrt(5) from the origin
    p, d = plots.decision_line((2.0, -1.0), 1.0)
    assert p == pytest.approx([-0.4, 0.2])
    assert abs(d[1] / d[0]) == pytest.approx(2.0)
    assert np.linalg.norm(p) == pytest.approx(1 / np.sqrt(5))


# --- static figures -----------------------------------------------------------------------------

def test_neuron_diagram_shows_the_neurons_numbers():
    fig = plots.neuron_diagram([1.0, 2.0, -1.0], [0.5, -0.25, 1.0], 0.5)
    texts = " ".join(t.get_text() for t in fig.axes[0].texts) + fig.axes[0].get_title()
    assert "-0.5" in texts  # z
    assert f"{nm.sigmoid(-0.5):.4g}" in texts  # a
    with pytest.raises(ValueError, match="1 to 6 inputs"):
        plots.neuron_diagram(np.ones(7), np.ones(7), 0.0)


def test_geometry_figures_draw_and_reject_zero_weights():
    assert plots.decision_geometry([1.0, 2.0], -2.0).axes
    assert plots.bias_and_scale([1.0, 0.5]).axes
    with pytest.raises(ValueError, match="no decision line"):
        plots.decision_geometry([0.0, 0.0], 1.0)
    with pytest.raises(ValueError, match="no decision line"):
        plots.bias_and_scale([0.0, 0.0])


def test_logic_gates_neurons_compute_their_gates():
    corners = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=float)
    gates = {"AND": ([10, 10], -15), "OR": ([10, 10], -5), "NAND": ([-10, -10], 15)}
    expected = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "NAND": [1, 1, 1, 0]}
    for name, (w, b) in gates.items():
        assert np.round(nm.neuron(corners, w, b)).tolist() == expected[name]
    fig = plots.logic_gates({**gates, "XOR": None})
    assert len(fig.axes) == 4
    with pytest.raises(ValueError, match="unknown gate"):
        plots.logic_gates({"MAYBE": None})


def test_architecture_shapes_and_values_options():
    fig = plots.architecture([784, 128, 10], show_shapes=True)
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "100,480 parameters" in texts and "1,290 parameters" in texts
    assert "101,770" in fig.axes[0].get_title()
    fig = plots.architecture([2, 3, 1], values=[[0.0, 1.0], [0.1, 0.2, 0.3], [0.9]])
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert {"0.1", "0.2", "0.3", "0.9"} <= set(texts)
    with pytest.raises(ValueError, match="one array of values per layer"):
        plots.architecture([2, 3, 1], values=[[0.0, 1.0]])
    with pytest.raises(ValueError, match="needs 3 values"):
        plots.architecture([2, 3, 1], values=[[0.0, 1.0], [0.1, 0.2], [0.9]])


# --- the neuron playground's colour scale -------------------------------------------------------

@pytest.mark.parametrize("activation", ["relu", "identity", "elu", "leaky_relu"])
def test_neuron_playground_centres_unbounded_colour_scales_on_f0(activation):
    pg = widgets.NeuronPlayground()
    pg.update(w1=2.0, w2=1.0, b=-1.0, activation=activation)
    lo, hi = pg.mesh.get_clim()
    f0 = float(nm.get_activation(activation).f(np.zeros(1))[0])
    assert (lo + hi) / 2 == pytest.approx(f0)
    assert np.isfinite([lo, hi]).all() and hi > lo


def test_neuron_playground_reports_distance_of_the_line():
    pg = widgets.NeuronPlayground()
    pg.update(w1=2.0, w2=-1.0, b=1.0, activation="sigmoid")
    assert f"{1 / np.sqrt(5):.2f}" in pg.note.get_text()


# --- the perceptron and the smooth neuron (chapter 1) ------------------------------------------------------------

def test_perceptron_is_the_step_of_z():
    corners = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=float)
    assert nm.perceptron(corners, [-2, -2], 3).tolist() == [1, 1, 1, 0]  # NAND
    assert nm.perceptron(corners, [1, 1], -2).tolist() == [0, 0, 0, 1]  # AND, z = 0 at (1, 1) counts as 1
    assert nm.perceptron([0.0, 0.0], [1.0, 1.0], 0.0) == 1 and isinstance(nm.perceptron([0.0], [1.0], -1.0), int)
    with pytest.raises(ValueError, match=r"x has 3 features but w has 2 weights"):
        nm.perceptron(np.ones(3), [1.0, 1.0], 0.0)


def test_nand_perceptrons_compute_xor():
    corners = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=float)

    def nand(p, q):
        return nm.perceptron(np.column_stack([p, q]), [-2, -2], 3)

    x1, x2 = corners[:, 0], corners[:, 1]
    m = nand(x1, x2)
    assert nand(nand(x1, m), nand(x2, m)).tolist() == [0, 1, 1, 0]


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "identity", "elu"])
def test_neuron_gradient_against_centred_differences(activation, rng):
    x, w, b = rng.normal(size=4), rng.normal(size=4), float(rng.normal())
    da_dw, da_db = nm.neuron_gradient(x, w, b, activation)
    numeric_w = nm.numerical_gradient(lambda v: nm.neuron(x, v, b, activation), w)
    numeric_b = nm.numerical_gradient(lambda v: nm.neuron(x, w, float(v[0]), activation), np.array([b]))
    assert da_dw.shape == w.shape
    np.testing.assert_allclose(da_dw, numeric_w, rtol=1e-7, atol=1e-10)
    assert da_db == pytest.approx(numeric_b[0], rel=1e-7)


def test_first_order_change_of_a_sigmoid_neuron(rng):
    # chapter 1: a small change moves a sigmoid neuron by about f'(z) (x·Δw + Δb); the error shrinks like Δ²
    x, w, b = np.array([1.0, 2.0, -1.0]), np.array([0.5, -0.25, 1.0]), 0.5
    da_dw, da_db = nm.neuron_gradient(x, w, b)
    direction_w, direction_b = rng.normal(size=3), float(rng.normal())
    errors = []
    for size in (1e-1, 1e-2, 1e-3):
        actual = nm.neuron(x, w + size * direction_w, b + size * direction_b) - nm.neuron(x, w, b)
        predicted = da_dw @ (size * direction_w) + da_db * size * direction_b
        errors.append(abs(actual - predicted))
    assert errors[1] < errors[0] / 50 and errors[2] < errors[1] / 50  # second order: 100× per decade


def test_neuron_gradient_takes_one_sample():
    with pytest.raises(ValueError, match=r"one input vector"):
        nm.neuron_gradient(np.ones((2, 3)), np.ones(3), 0.0)


def test_a_non_monotone_activation_computes_xor_with_one_neuron():
    # chapter 1's counterexample: w = (1, 1), b = -1 and f(z) = 1 - z² give XOR on the corners
    corners = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=float)
    z = nm.neuron(corners, [1.0, 1.0], -1.0, "identity")
    assert (1 - z**2).tolist() == [0.0, 1.0, 1.0, 0.0]


@pytest.mark.parametrize("d", [2, 3, 7])
def test_signed_distance_in_any_dimension(d, rng):
    w, b = rng.normal(size=d), float(rng.normal())
    w_hat = w / np.linalg.norm(w)
    x_star = -b * w / (w @ w)
    assert nm.signed_distance(x_star, w, b) == pytest.approx(0.0, abs=1e-12)
    # x = x* + s ŵ + x_⊥ with x_⊥ ⟂ w has signed distance s, whatever x_⊥
    for s in (-1.5, 0.3, 2.0):
        x_perp = rng.normal(size=d)
        x_perp -= (x_perp @ w_hat) * w_hat
        assert nm.signed_distance(x_star + s * w_hat + x_perp, w, b) == pytest.approx(s)
    X = rng.normal(size=(5, d))
    np.testing.assert_allclose(nm.signed_distance(X, w, b), nm.neuron(X, w, b, "identity") / np.linalg.norm(w))
    with pytest.raises(ValueError, match="zero vector"):
        nm.signed_distance(np.ones(d), np.zeros(d), 1.0)
