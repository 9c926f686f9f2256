"""Tests for what chapter 8 adds beyond its modules: the figures, the penalty and dropout widgets (live and
kernel-free, their recorded states held to nnmath), and the exercises."""

import re

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nnmath as nm
from nnmath import generalization as g
from nnmath import plots
from nnmath import regularization as reg
from nnmath.exercises import EXERCISES, check
from nnmath.widgets import DropoutCurvesPlayground, PenaltyPlayground
from nnmath.widgets.penalty import HIST_EDGES
from nnmath.widgets.static import static_states


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _texts(state):
    return [command[6] for command in state[1] if command[0] == "t"]


def _pixels(ax, xy):
    display = ax.transData.transform(np.asarray(xy, dtype=float))
    display[:, 1] = ax.figure.canvas.get_width_height()[1] - display[:, 1]
    return [int(v) for v in np.round(display).ravel()]


# --- figures --------------------------------------------------------------------------------------

def test_figures_draw():
    curves, sweep = g.dropout_curves(), g.penalty_sweep()
    H, w_star = np.array([[2.0, 0.6], [0.6, 1.0]]), np.array([1.2, 0.3])
    lams = np.geomspace(0.01, 5, 10)
    gd = np.cumsum(np.full((12, 2), 0.1), axis=0)
    figures = [
        plots.overfitting_curves(curves), plots.overfitting_curves(curves, index=3),
        plots.overfit_boundary(sweep), plots.overfit_boundary(sweep, "l1", 1e-2),
        plots.double_descent([10, 100, 1000], [0.5, 0.0, 0.0], [0.5, 0.7, 0.2], 150, [0.5, 0.3, 0.2], 1e-3),
        plots.penalty_geometry(H, w_star, reg.lasso_minimizer(H, w_star, 1.0), reg.ridge_minimizer(H, w_star, 1.0)),
        plots.coefficient_paths(lams, [reg.lasso_minimizer(H, w_star, v) for v in lams],
                                [reg.ridge_minimizer(H, w_star, v) for v in lams]),
        plots.zeros_histograms([np.r_[0.0, 1e-4, 0.5], np.r_[0.0, 0.0, 2.0]], ["a", "b"]),
        plots.early_stopping_as_l2(H, w_star, gd, 0.1, lams, [reg.ridge_minimizer(H, w_star, v) for v in lams],
                                   np.geomspace(1e-3, 10, 50), (5, 10, 100)),
        plots.thinned_networks(), plots.shifted_digits(g.small_digits().X_train, g.small_digits().y_train,
                                                       [(1, 0), (0, -1)], count=2),
    ]
    for fig in figures:
        assert fig.axes
        assert plots.description(fig)


def test_figure_descriptions_say_what_was_drawn():
    """The descriptions carry the numbers the figures show, computed from what they drew."""
    curves = g.dropout_curves()
    best = int(np.argmin(curves.val_loss[0])) + 1
    text = plots.description(plots.overfitting_curves(curves))
    assert f"lowest, {curves.val_loss[0, best - 1]:.3g}, at epoch {best}" in text
    assert f"{curves.val_accuracy[0, -1]:.0%} on the validation set" in text

    text = plots.description(plots.zeros_histograms([np.r_[0.0, 1e-4, 0.5], np.r_[0.0, 0.0, 2.0]], ["a", "b"]))
    assert "a, 1 of 3 exactly 0 and 2 below 0.001; b, 2 of 3 exactly 0 and 2 below 0.001" in text

    H, w_star = np.array([[2.0, 0.6], [0.6, 1.0]]), np.array([1.2, 0.3])
    w_l1, w_l2 = reg.lasso_minimizer(H, w_star, 1.0), reg.ridge_minimizer(H, w_star, 1.0)
    assert w_l1[1] == 0 and np.all(w_l2 != 0)
    text = plots.description(plots.penalty_geometry(H, w_star, w_l1, w_l2))
    assert "where w2 is exactly 0" in text and "where neither weight is 0" in text

    lams = np.geomspace(0.01, 5, 10)
    paths_l1 = np.array([reg.lasso_minimizer(H, w_star, v) for v in lams])
    text = plots.description(plots.coefficient_paths(lams, paths_l1, [reg.ridge_minimizer(H, w_star, v) for v in lams]))
    first_zero = lams[np.flatnonzero(paths_l1[:, 1] != 0)[-1] + 1]
    assert f"w2 goes from {paths_l1[0, 1]:.3g} to exactly 0, reached at λ ≈ {first_zero:.2g}" in text
    assert text.count("without reaching 0") == 2  # both L2 weights

    fig = plots.thinned_networks(sizes=(4, 6, 6, 2), q=0.5)
    kept = [re.search(r"(\d+) of 12", ax.get_title()).group(1) for ax in fig.axes[1:]]
    assert f"keep {kept[0]}, {kept[1]} and {kept[2]} of the 12 hidden units" in plots.description(fig)

    text = plots.description(plots.double_descent([10, 100, 1000], [0.5, 0.0, 0.0], [0.5, 0.7, 0.2], 150))
    assert "falls to 0.50 at d = 10, climbs to a peak of 0.70 at d = 100, then falls again to 0.20" in text


def test_boundary_segments_separate_the_predicted_classes():
    sweep = g.penalty_sweep()
    net = sweep.network("l2", 1e-3)
    xs, ys = plots.boundary_grid(sweep.X)
    segments = plots.boundary_segments(net, xs, ys)
    assert segments
    points = np.concatenate(segments)
    assert np.allclose(net.predict_proba(points)[:, 1], 0.5, atol=0.05)  # on the boundary p1 is 1/2
    assert plots.boundary_segments(sweep.network("l1", 0.1), xs, ys) == []  # all weights 0: one class everywhere


# --- the penalty widget ---------------------------------------------------------------------------

def test_penalty_widget_draws_the_swept_networks():
    pg = PenaltyPlayground()
    pg.widget  # noqa: B018
    sweep = pg.sweep
    for penalty in ("l2", "l1"):
        for lam in sweep.lams[1:]:
            pg.set(penalty=penalty, lam=lam)
            segments = pg.boundary.get_segments()
            expected = plots.boundary_segments(sweep.network(penalty, lam), pg._xs, pg._ys)
            assert len(segments) == len(expected)
            assert all(np.allclose(a, b) for a, b in zip(segments, expected))
            counts, zeros = pg.histogram(penalty, lam)
            assert zeros == sweep.zeros[penalty, sweep._lam(lam)] and counts.sum() + zeros == sweep.n_weights
            bars = pg.bars.get_path().vertices.reshape(-1, 5, 2)  # one rectangle per bin that has weights
            assert len(bars) == np.count_nonzero(counts)
            np.testing.assert_array_equal(bars[:, 1, 1], counts[counts > 0])  # each bar's top is its bin's count
            assert f"{zeros:,} of 1,152 exactly 0" in pg.ax_h.get_title()
            assert pg.val_mark.get_data()[1][0] == sweep.val_accuracy[penalty, sweep._lam(lam)]


def test_penalty_widget_kernel_free_states_hold_nnmaths_numbers():
    pg = PenaltyPlayground()
    grid = pg.static_controls()
    assert [len(c.values) for c in grid] == [2, 7] and grid[1].values[grid[1].initial] == pytest.approx(1e-3)
    data = static_states(pg, grid)
    assert len(data["states"]) == 14 and len(data["backgrounds"]) == 2  # one background per penalty
    sweep = pg.sweep
    zeros_shown = []
    for k, state in enumerate(data["states"]):
        penalty, lam = grid[0].values[k // 7], grid[1].values[k % 7]
        key = (penalty, sweep._lam(lam))
        texts = _texts(state)
        assert any(f"validation {sweep.val_accuracy[key]:.1%}" in t for t in texts)
        shown = [int(m.group(1).replace(",", "")) for t in texts if (m := re.search(r"([\d,]+) of 1,152 exactly 0", t))]
        assert shown == [sweep.zeros[key]]
        if penalty == "l1":
            zeros_shown.append(shown[0])
        pg.update(penalty, lam)
        lines = [poly for command in state[1] if command[0] == "p" for poly in command[2]]
        for segment in pg.segments(penalty, lam):  # the boundary's polylines, in the page's pixels
            assert _pixels(pg.ax_b, segment) in lines
    assert zeros_shown == sorted(zeros_shown) and zeros_shown[0] > 0 and zeros_shown[-1] == 1152
    assert HIST_EDGES[0] < 0 < HIST_EDGES[-1]


# --- the dropout widget ---------------------------------------------------------------------------

def test_dropout_widget_draws_the_recorded_curves_and_the_replayed_stop():
    pg = DropoutCurvesPlayground()
    pg.widget  # noqa: B018
    c = pg.curves
    for rate in (0.0, 0.3, 0.7):
        for patience in (1, 5, 30):
            pg.set(rate=rate, patience=patience)
            i = pg.index(rate)
            np.testing.assert_array_equal(pg.val_line.get_ydata(), c.val_loss[i])
            np.testing.assert_array_equal(pg.train_line.get_ydata(), c.train_loss[i])
            best, stopped = reg.early_stopping_replay(c.val_loss[i], patience)
            assert pg.best_line.get_xdata()[0] == best
            assert f"goes back to epoch {best}" in pg.ax_l.get_title()
            assert (stopped is None) == ("never stops" in pg.ax_l.get_title())


def test_dropout_widget_kernel_free_states():
    pg = DropoutCurvesPlayground()
    grid = pg.static_controls()
    assert [len(c.values) for c in grid] == [8, 8]
    data = static_states(pg, grid)
    assert len(data["states"]) == 64 and len(data["backgrounds"]) == 1
    for k in (0, 9, 63):
        rate, patience = grid[0].values[k // 8], grid[1].values[k % 8]
        best, _ = reg.early_stopping_replay(pg.curves.val_loss[pg.index(rate)], patience)
        assert any(f"goes back to epoch {best}" in t for t in _texts(data["states"][k]))


# --- exercises ------------------------------------------------------------------------------------

def test_exercises_accept_the_reference_and_reject_common_mistakes():
    for name in ("soft_threshold", "weight_decay_step", "early_stopping"):
        assert check(name, EXERCISES[name].reference), name
    assert not check("soft_threshold", lambda u, t: np.where(np.abs(u) > t, u, 0.0))  # hard thresholding
    assert not check("soft_threshold", lambda u, t: u - t * np.sign(u))  # the subgradient step
    assert not check("weight_decay_step", lambda w, g_, lr, lam: (1 - lam) * w - lr * g_)
    assert not check("early_stopping", lambda v, p: (int(np.argmin(v)) + 1, len(v)))


def test_weight_decay_reference_does_not_change_its_input():
    w = np.array([1.0, 2.0])
    out = EXERCISES["weight_decay_step"].reference(w, np.zeros(2), 0.1, 0.5)
    np.testing.assert_allclose(out, [0.95, 1.9])
    np.testing.assert_array_equal(w, [1.0, 2.0])
    assert nm.SGD  # the reference is SGD with weight decay


@pytest.mark.parametrize("cls, limit", [(PenaltyPlayground, 120_000), (DropoutCurvesPlayground, 45_000)],
                         ids=["penalty", "dropout"])
def test_kernel_free_html_is_made_only_for_the_book_and_is_deterministic(cls, limit, monkeypatch):
    from nnmath.widgets.static import static_html

    monkeypatch.delenv("NNMATH_STATIC_HTML", raising=False)
    assert "text/html" not in cls()._repr_mimebundle_()  # notebooks as committed store the live view only
    monkeypatch.setenv("NNMATH_STATIC_HTML", "1")  # as in the book's build
    widget = cls()
    before = widget.values()
    html = widget._repr_mimebundle_()["text/html"]
    assert widget.values() == before
    frame = widget.render()
    widget.refresh()
    assert widget.render() == frame  # the live view draws the same picture after the recording
    assert html == static_html(cls())
    packed = re.search(r'class="nnmath-figure-data">([^<]*)</script>', html).group(1)
    assert len(packed) < limit  # the widget's own data (the renderer, figure.js, is the same for every widget)
