"""The widgets of chapters 3 and 4 show what nnmath computes, live and in the static book.

test_widgets.py and test_static.py check the contract for every widget; these tests check what each of these
figures claims: the tangent's slope is the derivative, the shaded bands are where it is below 0.01, the gradient
reaching each layer is ``nnmath.depth.gradient_norms``'s, the fit is the least-squares one, the loss in a title is
``nnmath.losses``'s — in the live figure and in the states the static book replays. (The page's own equations of
the explorer and the classification loss are held to ``numbers()`` in tests/browser.)
"""

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nnmath as nm
from nnmath import approximation as ap
from nnmath import depth, linefit, widgets
from nnmath.losses import mae, mse
from nnmath.widgets.activation_explorer import ACTIVATION_NAMES, FLAT, RANGES
from nnmath.widgets.classification_loss import loss_and_gradients
from nnmath.widgets.softmax_temperature import entropy_bits
from nnmath.widgets.static import StaticControl, page_data, static_states
from nnmath.widgets.universal import _simplify


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _sub(controls, **chosen):
    """The same grid with fewer values: for each named control the listed values (the first if not named)."""
    out = []
    for c in controls:
        keep = [c.values.index(v) for v in chosen[c.name]] if c.name in chosen else [0]
        kind = "select" if c.kind == "checkbox" and len(keep) == 1 else c.kind
        out.append(StaticControl(c.name, c.description, [c.values[i] for i in keep], [c.labels[i] for i in keep],
                                 kind, 0))
    return out


def _texts(state):
    return [command[6] for command in state[1] if command[0] == "t"]


def _pixels(ax, xy):
    """Data coordinates to the recorder's whole pixels, y down."""
    display = ax.transData.transform(np.asarray(xy, dtype=float))
    display[:, 1] = ax.figure.canvas.get_width_height()[1] - display[:, 1]
    return [int(v) for v in np.round(display).ravel()]


def _within_a_pixel(expected, candidates) -> bool:
    want = np.asarray(expected)
    return any(len(c) == len(want) and np.max(np.abs(np.asarray(c) - want), initial=0) <= 1 for c in candidates)


# --- the activation explorer (chapter 3) ----------------------------------------------------------------------

@pytest.mark.parametrize("activation", list(ACTIVATION_NAMES))
def test_explorer_tangent_has_the_derivative_as_slope(activation):
    pg = widgets.ActivationExplorerPlayground()
    pg.update(activation=activation, z0=-1.3, z_max=6.0, alpha=0.3)
    z, t = pg.tangent.get_data()
    f, f_prime = pg.functions(activation, 0.3)
    slope = (t[-1] - t[0]) / (z[-1] - z[0])
    assert slope == pytest.approx(float(f_prime(np.array([-1.3]))[0]))
    assert pg.f_point.get_data()[1][0] == pytest.approx(float(f(np.array([-1.3]))[0]))
    assert "centred difference" in pg.note.get_text()


@pytest.mark.parametrize(("activation", "z0"), [("sigmoid", 0.0), ("sigmoid", 6.0), ("tanh", 2.5), ("elu", -1.0),
                                                ("leaky_relu", -0.5), ("relu", 3.0)])
def test_explorer_centred_difference_agrees_with_nnmath_away_from_the_kink(activation, z0):
    v = widgets.ActivationExplorerPlayground().numbers(activation=activation, z0=z0, z_max=8.0, alpha=0.2)
    centred = float(v["note"].split("centred difference = ")[1])
    assert centred == pytest.approx(round(v["d0"], 4), abs=1.5e-4)


def test_explorer_keeps_the_point_in_view_and_explains_the_kink():
    pg = widgets.ActivationExplorerPlayground()
    pg.update(activation="relu", z0=9.5, z_max=2.0, alpha=0.1)
    assert pg.ax_f.get_xlim()[1] >= 9.5
    pg.update(activation="relu", z0=0.0, z_max=2.0, alpha=0.1)
    assert "kink" in pg.note.get_text()
    assert "centred difference = +0.5000" in pg.note.get_text()  # the mean of the two one-sided slopes


@pytest.mark.parametrize("activation", list(ACTIVATION_NAMES))
def test_explorer_bands_are_where_the_derivative_is_below_a_hundredth(activation):
    pg = widgets.ActivationExplorerPlayground()
    v = pg.numbers(activation=activation, z0=1.0, z_max=8.0, alpha=0.005)
    z = v["half"] * pg.base
    inside = np.zeros(z.shape, dtype=bool)
    for a, b in v["bands"]:
        inside |= (z >= a) & (z <= b)
    assert np.array_equal(inside, v["d"] < FLAT)


def test_explorer_alpha_moves_no_axes_and_says_when_it_does_nothing():
    pg = widgets.ActivationExplorerPlayground()
    for activation in ("leaky_relu", "elu"):
        lo, hi = pg.y_range(activation, 8.0)
        for alpha in (0.0, 0.3, 1.0):
            f = pg.numbers(activation=activation, z0=1.0, z_max=8.0, alpha=alpha)["f"]
            assert lo < f.min() and f.max() < hi
    assert pg.labels(activation="sigmoid", alpha=0.3)["alpha"] == "0.30 (unused by sigmoid σ)"
    assert pg.labels(activation="elu", alpha=0.3)["alpha"] == "0.30"


def test_explorer_point_slider_spans_the_range():
    pg = widgets.ActivationExplorerPlayground(z0=6.0)
    pg.set(z_max=4.0)
    assert (pg.controls["z0"].min, pg.controls["z0"].max, pg.values()["z0"]) == (-4.0, 4.0, 4.0)
    pg.set(z_max=12.0)
    assert pg.controls["z0"].max == 12.0 and pg.values()["z0"] == 4.0


def test_explorer_page_has_a_background_per_activation_and_range():
    data = page_data(widgets.ActivationExplorerPlayground())
    assert len(data["backgrounds"]) == len(ACTIVATION_NAMES) * len(RANGES) == len(set(data["backgrounds"]))
    assert set(data["data"]["ylims"]) == set(ACTIVATION_NAMES)
    assert {"marker", "marker_style"} <= set(data["templates"]["f_point"])


# --- vanishing gradients (chapter 3) --------------------------------------------------------------------------

def test_vanishing_widget_axes_are_fixed_and_hold_every_state():
    pg = widgets.VanishingGradientPlayground()
    limits = (pg.ax_g.get_ylim(), pg.ax_r.get_ylim())
    for d in (2, 30, 60):
        pg.update(depth=d, sd=pg.he)
        assert (pg.ax_g.get_ylim(), pg.ax_r.get_ylim()) == limits
        assert len(pg.lines["relu"].get_xdata()) == d
    assert pg.measure(30, pg.he) is pg.measure(30, pg.he)
    (glo, ghi), (rlo, rhi) = limits
    for sd in pg.controls["sd"].grid():  # the deepest network reaches the extremes; every state fits
        for res in pg.measure(pg.max_depth, sd).values():
            assert glo <= res.dW.min() and res.dW.max() <= ghi
            assert rlo <= res.gains.min() and res.gains.max() <= rhi


def test_vanishing_widget_sd_grid_holds_xavier_and_he():
    pg = widgets.VanishingGradientPlayground()
    grid = pg.controls["sd"].grid()
    assert len(grid) == 11 and grid[0] == pytest.approx(1 / 16) and grid[-1] == pytest.approx(2.0)
    assert pg.controls["depth"].label == "depth D"
    names = [pg.scale_name(sd) for sd in grid]
    assert names.count("Xavier") == 1 and names.count("He") == 1
    assert pg.labels(depth=20, sd=pg.xavier) == {"sd": "0.125 (Xavier)"}
    assert pg.labels(depth=20, sd=1.0) == {"sd": "1 = 8/√d"}


@pytest.mark.parametrize("sd_index", [2, 3, 10])  # Xavier, He, the largest
def test_vanishing_states_are_nnmath_gradient_norms(sd_index):
    pg = widgets.VanishingGradientPlayground()
    grid = pg.static_controls()
    sd = grid[1].values[sd_index]
    depths = [2, 20, 60]
    states = static_states(pg, _sub(grid, depth=depths, sd=[sd]))["states"]
    pg.record()
    for d, state in zip(depths, states):
        layers = depth.random_deep_network(pg.width, d, sd, seed=0)
        lines = [poly for command in state[1] if command[0] == "p" for poly in command[2]]
        title = " ".join(_texts(state))
        for name in ("sigmoid", "tanh", "relu"):
            res = depth.gradient_norms(pg.X, layers, name, dA=pg.dA)
            ell = np.arange(1, d + 1)
            assert _within_a_pixel(_pixels(pg.ax_g, np.column_stack([ell, res.dW])), lines), (name, d)
            assert f"{name} {res.dW[0] / res.dW[-1]:.1e}" in title


def test_vanishing_widget_shows_vanishing_turn_into_exploding():
    pg = widgets.VanishingGradientPlayground()
    small, large = pg.measure(60, pg.xavier)["sigmoid"], pg.measure(60, 2.0)["sigmoid"]
    assert small.dW[0] / small.dW[-1] < 1e-30 and large.dW[0] / large.dW[-1] > 1e4
    assert pg.measure(60, pg.he)["relu"].mean_gain == pytest.approx(1.0, abs=0.05)


# --- the softmax temperature (chapter 3) ----------------------------------------------------------------------

def test_softmax_widget_is_invariant_to_a_shift_and_has_the_right_limits():
    pg = widgets.SoftmaxTemperaturePlayground()
    assert np.allclose(pg.probabilities(0.7, 0.0), pg.probabilities(0.7, -9.5))
    cold, hot = pg.probabilities(0.05), pg.probabilities(20.0)
    assert cold[0] > 0.999 and np.allclose(hot, 0.2, atol=0.03)
    pg.update(T=1.0, shift=3.0)
    assert [b.get_height() for b in pg.p_bars] == pytest.approx(nm.softmax(np.array(pg.z)))
    assert entropy_bits(np.zeros(4)) == pytest.approx(2.0)
    assert entropy_bits(np.array([0.0, -1000.0])) == pytest.approx(0.0, abs=1e-12)


# --- universal approximation (chapter 3) ----------------------------------------------------------------------

@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
def test_approximation_objective_never_grows_with_more_units(activation):
    # nested fits: with one more unit the old solution (new weight 0) is still available
    pg = widgets.ApproximationPlayground()
    data = pg.fits(activation, "sin(2x)")
    fits = ap.fit_output_layers_nested(data["A"], data["y"], pg.ridge)
    objective = [np.sum((data["A"][:, :m] @ w2 + b2 - data["y"]) ** 2) + pg.ridge * w2 @ w2
                 for m, (w2, b2) in enumerate(fits, start=1)]
    assert np.all(np.diff(objective) <= 1e-12)
    assert data["rms"][-1] < 0.01 * data["rms"][0] and data["max"][-1] < 0.05


def test_approximation_of_a_step_keeps_a_large_max_error():
    pg = widgets.ApproximationPlayground()
    data = pg.fits("sigmoid", "step (not continuous)")
    assert data["max"].min() > 0.4 and data["rms"][-1] < data["rms"][0]


def _distances(x, y, keep, tol_x, tol_y):
    """How far each point of (x, y) lies from the polyline through the kept points, in units of the tolerance."""
    u, v = x / tol_x, y / tol_y
    ku, kv = u[keep], v[keep]
    out = np.zeros(len(u))
    for a, b, ua, ub, va, vb in zip(np.flatnonzero(keep)[:-1], np.flatnonzero(keep)[1:], ku[:-1], ku[1:], kv[:-1],
                                    kv[1:]):
        du, dv = ub - ua, vb - va
        inner = slice(a, b + 1)
        out[inner] = np.abs(du * (v[inner] - va) - dv * (u[inner] - ua)) / np.hypot(du, dv)
    return out


@pytest.mark.parametrize(("activation", "target"), [("relu", "sin(2x)"), ("sigmoid", "step (not continuous)"),
                                                    ("tanh", "exp(−x²)·cos(5x) (wiggles)")])
def test_approximation_curves_keep_within_a_quarter_pixel(activation, target):
    pg = widgets.ApproximationPlayground()
    y_hat = pg.fits(activation, target)["preds"][29]
    keep = _simplify(pg.x, y_hat, *pg.fit_tolerance)
    assert keep[0] and keep[-1] and keep.sum() < len(keep)
    assert _distances(pg.x, y_hat, keep, *pg.fit_tolerance).max() <= 1.0 + 1e-9
    H = ap.hidden_features(pg.x, pg.W, pg.b, activation)
    for (x, y), h in zip(pg.building_blocks(activation), H.T):
        h = h / np.abs(h).max()
        assert np.all(np.isin(x, pg.x)) and np.allclose(y, h[np.isin(pg.x, x)])
        assert _distances(pg.x, h, np.isin(pg.x, x), *pg.unit_tolerance).max() <= 1.0 + 1e-9


def test_approximation_states_show_nnmath_fit_errors():
    pg = widgets.ApproximationPlayground()
    grid = pg.static_controls()
    units = [1, 7, 50]
    targets = list(widgets.universal.TARGETS)
    data = static_states(pg, _sub(grid, n_hidden=units, activation=["tanh"], target=targets))
    assert len(data["backgrounds"]) == len(targets)  # the target curve is part of the picture
    for state, (n, target) in zip(data["states"], itertools.product(units, targets)):
        y = widgets.universal.TARGETS[target](pg.x)
        H = ap.hidden_features(pg.x, pg.W, pg.b, "tanh")[:, :n]
        v, c = ap.fit_output_layer(H, y, pg.ridge)
        err = np.abs(H @ v + c - y)
        assert f"max error {err.max():.3f},  RMS error {np.sqrt(np.mean(err ** 2)):.3f}" in _texts(state)[-1]


# --- the regression loss (chapter 4) --------------------------------------------------------------------------

def _polygon_area(verts):
    x, y = verts[:, 0], verts[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))


@pytest.mark.parametrize("outlier", [False, True])
def test_regression_widget_mse_is_the_mean_area_of_its_squares(outlier):
    pg = widgets.RegressionLossPlayground()
    pg.update(w=1.3, b=-0.7, loss="mse", outlier=outlier)
    areas = [_polygon_area(path.vertices[:4]) for path in pg.squares.get_paths()]
    value = pg.loss_value(1.3, -0.7, "mse", outlier)
    assert np.mean(areas) == pytest.approx(value)
    assert len(areas) == (11 if outlier else 10)
    assert f"{value:.3f}" in pg.ax_d.get_title()


def test_regression_widget_marks_the_true_minimum_and_mae_segments():
    pg = widgets.RegressionLossPlayground()
    for loss, outlier in itertools.product(("mse", "mae"), (False, True)):
        pg.update(w=0.0, b=0.0, loss=loss, outlier=outlier)
        w_best, b_best = (float(v[0]) for v in pg.best.get_data())
        x, y = pg.data[outlier]
        fit = linefit.least_squares_line(x, y) if loss == "mse" else linefit.least_absolute_line(x, y)
        assert (w_best, b_best) == pytest.approx(fit)
        assert pg.squares.get_visible() == (loss == "mse")
        assert pg.outlier_point.get_visible() == outlier
        lengths = [abs(seg[1, 1] - seg[0, 1]) for seg in pg.segments.get_segments()]
        if loss == "mae":
            assert np.mean(lengths) == pytest.approx(pg.loss_value(0.0, 0.0, "mae", outlier))
    # the outlier drags the least-squares slope much further than the least-absolute one
    moved = {loss: abs(pg.best_line(loss, True)[0] - pg.best_line(loss, False)[0]) for loss in ("mse", "mae")}
    assert moved["mse"] > 2 * moved["mae"]


def test_regression_loss_is_nnmath_loss():
    widget = widgets.RegressionLossPlayground()
    grid = widget.static_controls()
    ws, bs, losses = grid[0].values[::5], grid[1].values[::4], ["mse", "mae"]
    states = static_states(widget, _sub(grid, w=ws, b=bs, loss=losses, outlier=[True]))["states"]
    x, y = widget.data[True]
    for state, (w, b, loss) in zip(states, itertools.product(ws, bs, losses)):
        fn = {"mse": mse, "mae": mae}[loss]
        assert f"{fn(w * x + b, y):.3f}" in _texts(state)[0]


# --- the classification loss (chapter 4) ----------------------------------------------------------------------

def test_classification_widget_points_sit_on_the_curves_on_both_axes():
    pg = widgets.ClassificationLossPlayground()
    for axis, p in itertools.product(("p", "z"), (0.001, 0.05, 0.5, 0.999)):
        pg.update(p=p, axis=axis)
        v = loss_and_gradients(p)
        x = p if axis == "p" else v["z"]
        for marker, key in zip(pg.markers, ("ce", "mse", "d_ce", "d_mse")):
            mx, my = marker.get_data()
            assert (mx[0], my[0]) == pytest.approx((x, v[key]))
        lo, hi = pg.ax_l.get_xlim()
        assert lo <= x <= hi


@pytest.mark.parametrize("p", [0.001, 0.05, 0.25, 0.5, 0.75, 0.999])
def test_classification_titles_give_the_losses_and_the_ratio(p):
    v = widgets.ClassificationLossPlayground().numbers(p=p, axis="p")
    assert v["ce"] == pytest.approx(-np.log(p)) and v["mse"] == pytest.approx((1 - p) ** 2)
    ratio = float(v["title_g"].split("pushes ")[1].split("×")[0])
    assert ratio == pytest.approx(1 / (2 * p * (1 - p)), rel=5e-3)
    assert f"p = {p:.3f}" in v["title_l"]
