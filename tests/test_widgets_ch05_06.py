"""The widgets of chapters 5 and 6: what each draws is what nnmath computes, live and in the static book.

Gradient descent on a surface, in one variable and on mini-batches (chapter 5); backpropagation step by step and
a network learning (chapter 6). ``tests/test_widgets.py`` and ``tests/test_static.py`` check the contract for
every widget; here are the checks that belong to one widget: its numbers, its grid, what the chapter says it shows.
"""

import base64
import io
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

import nnmath as nm
from nnmath import backprop as bp
from nnmath import descent as D
from nnmath import plots, surfaces, widgets
from nnmath.widgets.backprop_steps import backprop_steps
from nnmath.widgets.static import StaticControl, static_states
from nnmath.widgets.training import EPOCHS, MAP_PIXELS, STATIC_EPOCHS, TRAINING_SETUPS, train_with_snapshots


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _only(controls, **chosen):
    """The same grid, each control reduced to the listed values (its first value if not named)."""
    out = []
    for c in controls:
        keep = [c.values.index(v) for v in chosen.get(c.name, [c.values[0]])]
        out.append(StaticControl(c.name, c.description, [c.values[i] for i in keep], [c.labels[i] for i in keep],
                                 "select" if c.kind == "checkbox" else c.kind, 0))
    return out


def _texts(state):
    return [command[6] for command in state[1] if command[0] == "t"]


def _texts_of(frame):
    return [command[6] for command in frame["commands"] if command[0] == "t"]


# --- gradient descent on a surface (chapter 5) -----------------------------------------------------------------

def test_descent_widget_draws_the_path_of_descend():
    pg = widgets.DescentPlayground()
    frame = pg.refresh()
    v = pg.values()
    expected = D.descend(v["surface"], (v["x0"], v["y0"]), lr=v["lr"], steps=v["steps"])
    x, y = pg.path_line.get_data()
    assert np.allclose(x, expected.points[:, 0]) and np.allclose(y, expected.points[:, 1])
    assert frame["labels"]["lr"] == "0.08 = 0.80 × 2/μ_max"  # 0.08 on the elongated bowl, 2/μ_max = 0.1
    key = pg.static_key
    pg.set(lr=0.05)
    pg.set(steps=49)  # the same step axis (0 to 50)
    assert pg.static_key == key and list(pg._backgrounds) == [key]  # only the moving artists were drawn again


def test_descent_widget_reports_divergence_on_the_plot():
    pg = widgets.DescentPlayground()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pg.set(lr=10 ** widgets.descent.LR_RANGE[1])
    assert pg.trajectory.diverged
    assert pg.status.get_text().startswith("diverged after ")
    assert np.all(np.isfinite(pg.loss_line.get_ydata()))


def test_descent_widget_surface_change_moves_the_start_sliders():
    pg = widgets.DescentPlayground()
    pg.set(surface="rosenbrock")
    s = surfaces.SURFACES["rosenbrock"]
    assert (pg.controls["x0"].min, pg.controls["x0"].max) == s.xlim
    assert (pg.controls["y0"].min, pg.controls["y0"].max) == s.ylim
    assert (pg.controls["x0"].value, pg.controls["y0"].value) == s.start
    assert pg.ax.get_xlim() == s.xlim
    assert pg.trajectory.points[0].tolist() == list(s.start)
    pg.set(surface="saddle")
    assert pg.ax_loss.get_yscale() == "symlog"


def test_descent_widget_live_view_keeps_the_new_start():
    """The page sends every control; the start it sends for the old surface must not undo the jump."""
    pg = widgets.DescentPlayground()
    view = pg.widget
    old = pg.values()
    view.request = {"seq": 1, "values": {**old, "surface": "rosenbrock"}}
    assert "error" not in view.frame
    assert (pg.controls["x0"].value, pg.controls["y0"].value) == surfaces.SURFACES["rosenbrock"].start
    assert view.values["x0"] == pg.controls["x0"].value  # the page is told where the start went


def test_step_axis_ends():
    from nnmath.widgets.descent import STEP_AXIS_ENDS, step_axis_end

    assert [step_axis_end(k) for k in (1, 10, 11, 50, 51, 300)] == [10, 10, 20, 50, 100, 300]
    assert STEP_AXIS_ENDS[-1] >= widgets.DescentPlayground.max_steps


# --- gradient descent in one variable (chapter 5) --------------------------------------------------------------

def test_descent_1d_widget():
    pg = widgets.Descent1DPlayground()
    pg.refresh()
    assert np.allclose(pg.iterates.get_ydata(), D.quadratic_iterates(2.0, 0.2, 2.0, 8))
    pg.set(lr=10 ** 0.3)  # ηL ≈ 4: diverges
    assert pg.status.get_text().startswith("diverged")
    pg.set(function="double_well")
    fn = surfaces.FUNCTIONS_1D["double_well"]
    assert pg.controls["theta0"].value == fn.start
    assert (pg.controls["theta0"].min, pg.controls["theta0"].max) == fn.xlim


def test_descent_1d_tangents_are_drawn_apart():
    """The tangents are one line with NaN gaps: recorded as one polyline per tangent, never joined across a gap."""
    pg = widgets.Descent1DPlayground()
    frame = pg.refresh()
    (tangents,) = [c for c in frame["commands"] if c[0] == "p" and len(c[2]) > 1]
    assert len(tangents[2]) == len(pg.path.thetas) and all(len(piece) == 4 for piece in tangents[2])


def test_descent_1d_live_view_follows_the_function():
    pg = widgets.Descent1DPlayground()
    view = pg.widget
    view.request = {"seq": 1, "values": {**pg.values(), "function": "double_well"}}  # θ₀ = 2 is outside its window
    assert "error" not in view.frame and pg.values()["theta0"] == 1.6


def test_descent_1d_page_takes_every_slider_value_and_says_what_the_figure_says():
    """The kernel-free page evaluates the descent at every slider position: its numbers are descend_1d's and its
    texts the live figure's, "diverged" included."""
    pg = widgets.Descent1DPlayground()
    assert pg.static_mode == "page"
    lr_slider = pg.controls["lr"]
    assert all(lr_slider.min <= lr <= lr_slider.max for lr in (0.15, 0.2, 0.5, 0.8, 1.0, 1.05))  # the chapter's
    for function, theta0, lr, steps in (("parabola", 2.0, 0.2, 8), ("parabola", -1.35, 10 ** 0.3, 40),
                                        ("double_well", 1.6, 0.15, 20), ("double_well", 0.05, 0.05, 40),
                                        ("double_well", -1.9, 1.0, 3)):
        pg.set(function=function)
        pg.set(theta0=theta0, lr=lr, steps=steps)
        numbers = pg.numbers(function, lr, theta0, steps)
        path = D.descend_1d(function, theta0, lr, steps, max_abs=pg.max_abs)
        assert np.array_equal(numbers["thetas"], path.thetas) and np.array_equal(numbers["losses"], path.losses)
        assert np.array_equal(numbers["thetas"], pg.iterates.get_ydata())
        assert numbers["status"] == pg.status.get_text() and numbers["title"] == pg.ax_t.get_title()
        assert numbers["diverged"] == path.diverged == numbers["status"].startswith("diverged")
        tx, _ = pg.tangents.get_data()
        assert np.array_equal(numbers["tangents"][:, :2].ravel(), np.asarray(tx).reshape(-1, 3)[:, :2].ravel())
        assert numbers["background"] == page_background(pg)
    # from 1.6 a learning rate of 0.15 hops over the hump into the left minimum
    assert pg.numbers("double_well", 0.15, 1.6, 20)["thetas"][-1] < 0
    assert pg.numbers("parabola", 10 ** 0.3, 2.0, 40)["status"].startswith("diverged")


def page_background(pg):
    """The index of the page's background for the widget's current state (static_page's order)."""
    keys = []
    for values in pg.static_page()["backgrounds"]:
        fn = surfaces.FUNCTIONS_1D[values["function"]]
        keys.append((fn.name, widgets.descent_1d.step_axis_end(values["steps"])))
    return keys.index(pg.static_key)


def test_descent_1d_parabola_regimes_at_the_named_rates():
    pg = widgets.Descent1DPlayground()
    for lr, regime in ((0.2, "converges"), (0.5, "one step"), (0.8, "oscillates"), (1.0, "bounces"),
                       (1.05, "diverges")):
        pg.set(lr=lr)
        assert pg.ax_t.get_title().endswith(regime)


# --- mini-batches (chapter 5) ----------------------------------------------------------------------------------

def test_minibatch_widget_counts_steps_per_epoch():
    pg = widgets.MinibatchPlayground()
    for B, per_epoch in ((100, 1), (10, 10), (1, 100), (30, 4)):
        pg.set(batch_size=B, epochs=2)
        assert pg.trajectory.steps == 2 * per_epoch
        assert f"{per_epoch} step" in pg.ax_loss.get_title()
    pg.set(batch_size=1, lr=10 ** -0.5)
    assert pg.trajectory.diverged and pg.status.get_text().startswith("diverged")


def test_minibatch_states_are_regression_descent():
    pg = widgets.MinibatchPlayground()
    grid = pg.static_controls()
    assert [c.values[c.initial] for c in grid] == [10, 0.05, 5, 0]  # the widget's defaults are on the grid
    data = static_states(pg, _only(grid, batch_size=[1, 100], lr=[0.05, 0.25], epochs=[2], seed=[0, 1]))
    states = iter(data["states"])
    texts = {}
    for B in (1, 100):
        for lr in (0.05, 0.25):
            for seed in (0, 1):
                state = _texts(next(states))
                path = D.regression_descent(pg.X, pg.y, batch_size=B, lr=lr, epochs=2, seed=seed)
                w, b = path.points[-1]
                expected = "diverged" if path.diverged else f"w = {w:.3f}, b = {b:.3f}".replace("-", "−")
                assert any(t.startswith(expected) for t in state), (B, lr, seed)
                texts[B, lr, seed] = state
    assert texts[1, 0.05, 0] != texts[1, 0.05, 1]  # the shuffle seed changes the stochastic path ...
    assert texts[100, 0.05, 0] == texts[100, 0.05, 1]  # ... and nothing for the full batch
    # single samples kick harder than the average: B = 1 is thrown out at a rate the full batch survives
    assert any(t.startswith("diverged") for t in texts[1, 0.25, 0])
    assert not any(t.startswith("diverged") for t in texts[100, 0.25, 0])


# --- backpropagation step by step (chapter 6) ------------------------------------------------------------------

def test_steps_walk_forward_then_backward_then_summarise():
    g = bp.tiny_network_graph()
    steps = backprop_steps(g)
    assert len(steps) == 1 + 6 + 17 + 1
    assert [s.node for s in steps[1:7]] == g.forward_order()
    assert [s.node for s in steps[7:24]] == g.backward_order("L")
    assert not any(s.backward for s in steps[:7]) and all(s.backward for s in steps[7:])
    # the grads shown grow one node at a time, the values one node at a time in the forward phase
    assert [len(s.grads) for s in steps[7:24]] == list(range(1, 18))
    assert [len(s.values) for s in steps[:7]] == list(range(12, 19))
    # the equation of a step carries the numbers of nnmath
    x1 = next(s for s in steps if s.node == "x1" and s.backward)
    assert x1.equation.endswith("= \u22120.144") and len(x1.edges) == 2 and "∂L/∂z₂ · w₁₂" in x1.equation
    z1 = next(s for s in steps if s.node == "z1" and not s.backward)
    assert "0.75" in z1.equation and len(z1.edges) == 5
    assert "\u22120.18" in steps[-1].equation  # dW1[0, 0] in the summary


def test_relu_step_shows_the_dead_unit():
    steps = backprop_steps(bp.tiny_network_graph(activation="relu"))
    z2 = next(s for s in steps if s.node == "z2" and s.backward)
    assert z2.equation.endswith("· 0 = 0") and "off" in z2.note


def test_the_summary_is_dense_backward():
    g = bp.tiny_network_graph()
    summary = backprop_steps(g)[-1]
    p = bp.TINY_NETWORK
    Z1, cache1 = nm.dense_forward(p["x"][None, :], p["W1"], p["b1"])
    H = nm.sigmoid(Z1)
    yhat, cache2 = nm.dense_forward(H, p["W2"], p["b2"])
    dH, dW2, db2 = nm.dense_backward(2 * (yhat - p["y"]), cache2)  # G[2] of the squared error of one sample
    _, dW1, db1 = nm.dense_backward(dH * H * (1 - H), cache1)  # G[1] = (G[2] W[2]ᵀ) ⊙ σ′(Z[1])
    for value in [*dW1.ravel(), *db1, *dW2.ravel(), *db2]:
        assert plots.backprop.format_number(value) in summary.equation


def test_backprop_steps_playground_draws_what_the_step_says():
    pg = widgets.BackpropStepsPlayground()
    pg.set(step=9)  # backward: v1
    assert pg.ring.get_visible() and tuple(pg.ring.get_offsets()[0]) == plots.backprop.TINY_LAYOUT["v1"]
    assert pg.grad_texts["v1"].get_visible() and not pg.grad_texts["w11"].get_visible()
    assert sum(a.get_visible() for a in pg.arrows) == 1
    pg.set(step=0)
    assert not pg.ring.get_visible() and not pg.value_texts["z1"].get_visible()
    pg.set(step=24, activation="tanh")
    frame = pg.refresh()
    assert all(t.get_visible() for name, t in pg.grad_texts.items() if name != "y")
    step = pg.steps("tanh")[24]
    assert {step.equation, step.note, f"step 24 of 24 · {step.title}"} <= set(_texts_of(frame))


def test_step_through_has_a_kernel_free_version():
    pg = widgets.BackpropStepsPlayground(step=22)
    controls = pg.static_controls()
    assert [len(c.values) for c in controls] == [25, 3] and controls[0].values[controls[0].initial] == 22
    data = static_states(pg, controls)
    assert len(data["states"]) == 75 and len(data["backgrounds"]) == 3  # one background per activation
    for a, activation in enumerate(("sigmoid", "tanh", "relu")):
        for k, step in enumerate(pg.steps(activation)):
            assert step.equation in _texts(data["states"][3 * k + a])  # the first control varies slowest
    pg.set(step=9)  # the live widget still draws after the recording
    assert pg.grad_texts["v1"].get_visible()


# --- a network learning (chapter 6) ----------------------------------------------------------------------------

def test_train_with_snapshots_records_the_run_fit_makes():
    X, y = nm.make_xor(n=40, seed=3)
    run = train_with_snapshots(X, y, [2, 4, 2], "tanh", lr=0.1, epochs=5, batch_size=8, seed=0)
    assert run.params.shape == (6, nm.count_parameters([2, 4, 2]))
    net = nm.MLP([2, 4, 2], activation="tanh", seed=0)
    assert np.array_equal(run.params[0], net.get_params())
    nm.fit(net, X, y, nm.SGD(lr=0.1), epochs=5, batch_size=8, seed=0)
    assert np.allclose(run.params[-1], net.get_params())
    assert run.loss[-1] == pytest.approx(net.compute_loss(X, y))
    assert run.grad_norms.shape == (6, 2) and np.all(run.grad_norms > 0)
    assert np.all((run.accuracy >= 0) & (run.accuracy <= 1))


def test_training_setups_learn():
    pg = widgets.TrainingPlayground()
    for data in TRAINING_SETUPS:
        run = pg.run(data, "tanh")
        assert run.accuracy[-1] > 0.95 and run.loss[-1] < run.loss[0]


def test_training_playground_marks_the_epoch():
    pg = widgets.TrainingPlayground()
    pg.set(epoch=120)
    run = pg.run("moons", "tanh")
    assert pg.loss_marker.get_data()[1][0] == pytest.approx(run.loss[120])
    assert pg.grad_marker.get_xdata()[0] == 120
    assert pg.acc_text.get_text() == f"epoch 120: loss {run.loss[120]:.3f}, accuracy {run.accuracy[120]:.0%}"
    P, segments = pg.decision_map("moons", "tanh", 120)
    assert P.shape == (100, 100, 2) and np.allclose(P.sum(axis=2), 1) and segments
    assert pg.controls["epoch"].max == EPOCHS
    run.net.set_params(run.params[120])
    assert np.mean(run.net.predict(run.X) == run.y) == pytest.approx(run.accuracy[120])


@pytest.mark.parametrize("data", ["moons", "spirals"])
def test_decision_map_colours_the_network_prediction(data):
    """At each pixel's centre away from the boundary, the map's tint is that of the class the network predicts,
    strong where it is confident."""
    pg = widgets.TrainingPlayground(data=data, epoch=200)
    picture = pg.decision.get_array()
    assert picture.shape == (MAP_PIXELS, MAP_PIXELS, 3) and picture.dtype == np.uint8
    run = pg.run(data, "tanh")
    xs, ys = pg._grid(run)
    cols = np.arange(0, MAP_PIXELS, 7)
    gx, gy = np.meshgrid(np.linspace(xs[0], xs[-1], MAP_PIXELS)[cols], np.linspace(ys[0], ys[-1], MAP_PIXELS)[cols])
    run.net.set_params(run.params[200])
    P = run.net.predict_proba(np.column_stack([gx.ravel(), gy.ravel()]))
    top = np.sort(P, axis=1)
    clear = (top[:, -1] - top[:, -2] > 0.2) & (np.abs(top[:, -1] - widgets.training.CONFIDENT) > 0.05)
    code = 2 * P.argmax(axis=1) + (P.max(axis=1) >= widgets.training.CONFIDENT)
    expected = widgets.training._TINTS[code]
    shown = picture[np.ix_(cols, cols)].reshape(-1, 3)
    agree = np.all(shown == expected, axis=1)
    assert clear.mean() > 0.5 and agree[clear].mean() > 0.99  # the grid is interpolated: a rare pixel may differ


def test_training_has_a_kernel_free_version():
    pg = widgets.TrainingPlayground(epoch=300)
    grid = pg.static_controls()
    epochs = grid[2].values
    assert epochs[0] == 0 and epochs[-1] == EPOCHS and grid[2].values[grid[2].initial] == 300
    assert {10, 100, 200} <= set(epochs)  # the epochs the chapter points at
    assert len(epochs) * 6 == int(np.prod([len(c.values) for c in grid]))
    data = static_states(pg, _only(grid, data=["xor"], activation=["relu"], epoch=[0, 10, 300]))
    assert len(data["states"]) == 3 and len(data["images"]) == 3  # one picture of the map per state
    run = pg.run("xor", "relu")
    for state, epoch in zip(data["states"], (0, 10, 300)):
        assert f"epoch {epoch}: loss {run.loss[epoch]:.3f}, accuracy {run.accuracy[epoch]:.0%}" in _texts(state)
        (image,) = state[3]
        png = Image.open(io.BytesIO(base64.b64decode(data["images"][image].split(",")[1])))
        assert png.size == (MAP_PIXELS, MAP_PIXELS)
    assert STATIC_EPOCHS == tuple(epochs)
