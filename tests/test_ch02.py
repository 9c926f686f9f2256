"""Chapter 2 (linear algebra): its figures and its exercises (its widgets: test_widgets_ch01_02.py)."""


import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from nnmath import compose_affine, dense_forward  # noqa: E402
from nnmath.exercises import EXERCISES, check  # noqa: E402
from nnmath.plots import linear as P  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _images():
    vertical = np.zeros((8, 8))
    vertical[1:7, 3:5] = 1
    horizontal = vertical.T.copy()
    return np.stack([vertical, horizontal, np.eye(8)])


def _finite_lines(fig):
    for ax in fig.axes:
        for line in ax.get_lines():
            x, y = (np.asarray(v, dtype=float) for v in line.get_data())
            assert np.all(np.isfinite(x)) and np.all(np.isfinite(y))


# -- static figures --------------------------------------------------------------------------------------------

def test_static_figures_build_quietly():
    imgs = _images()
    W = imgs.reshape(3, -1).T - imgs.reshape(3, -1).T.mean(axis=0)
    X = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, -1.0]])
    Wm = np.array([[1.0, -1.0], [0.0, 2.0], [3.0, 1.0]])
    b = np.array([1.0, -2.0])
    figs = [
        P.image_as_vector(imgs[0]),
        P.batch_matrix(imgs, ["v", "h", "d"]),
        P.template_scores(imgs, ["v", "h", "d"], W, ["v", "h", "d"]),
        P.matmul_diagram(X, Wm, b, i=1, j=1, mode="column"),
        P.broadcast_diagram(X @ Wm, b),
        P.timing_bars({"slow": 0.1, "fast": 1e-5}),
        P.linear_map_gallery({"id": np.eye(2), "flip": [[0, 1], [1, 0]], "zero": np.zeros((2, 2))}),
        P.linear_map_gallery({"shear": [[1, 0], [1, 1]]}, relu=True),
        P.stack_outputs(np.linspace(-1, 1, 5), {"a": [np.arange(5.0)], "b": [np.ones(5), np.zeros(5)]}),
    ]
    for fig in figs:
        assert isinstance(fig, Figure)
        fig.canvas.draw()
        _finite_lines(fig)


def test_timing_bars_rejects_non_positive_times():
    with pytest.raises(ValueError, match="positive"):
        P.timing_bars({"a": 0.0, "b": 1.0})


def test_det2_and_orientation():
    assert P.det2([[1, 2], [3, 4]]) == pytest.approx(-2.0)
    assert P.det2([[1, 0.5], [2, 1]]) == 0.0
    assert P.det2([[0.1 * 3, 0.3], [1, 1]]) == 0.0  # round-off below the tolerance reads as exactly 0
    assert P.orientation_color(1.0) != P.orientation_color(-1.0) != P.orientation_color(0.0)


@pytest.mark.parametrize("mode", ["entry", "row", "column"])
def test_matmul_diagram_highlights_the_right_cells(mode):
    X = np.arange(12.0).reshape(4, 3) - 5
    W = np.arange(6.0).reshape(3, 2) - 2
    b = np.array([1.0, -1.0])
    fig, ax = plt.subplots()
    d = P.MatmulDiagram(ax, X, W, b)
    np.testing.assert_allclose(d.Z, X @ W + b)
    d.highlight(2, 1, mode)
    lit = {k: {rc for rc, p in np.ndenumerate(cells) if p.get_facecolor() != (1.0, 1.0, 1.0, 1.0)}
           for k, cells in d.cells.items()}
    expected_Z = {"entry": {(2, 1)}, "row": {(2, 0), (2, 1)}, "column": {(r, 1) for r in range(4)}}[mode]
    assert lit["Z"] == expected_Z
    assert lit["b"] == {(0, c) for _, c in expected_Z}
    assert lit["X"] == {(r, c) for r, _ in expected_Z for c in range(3)}
    assert lit["W"] == {(r, c) for _, c in expected_Z for r in range(3)}
    if mode == "entry":  # the written-out arithmetic ends in the right value
        assert d.formula.get_text().endswith(f"= {X[2] @ W[:, 1] + b[1]:g}")
    with pytest.raises(ValueError, match="mode"):
        d.highlight(0, 0, "diagonal")


# -- exercises -------------------------------------------------------------------------------------------------

def test_chapter_2_exercises_are_registered():
    assert {"dot", "dense_forward", "compose_two_layers"} <= set(EXERCISES)


def test_exercise_checks_accept_right_and_reject_wrong_answers():
    assert check("dot", lambda x, w: float(np.sum(x * w)))
    assert not check("dot", lambda x, w: float(np.sum(x + w)))
    assert check("dense_forward", lambda X, W, b: X @ W + b)
    assert check("dense_forward", lambda X, W, b: dense_forward(X, W, b)[0])
    assert not check("dense_forward", lambda X, W, b: X @ W + b.reshape(-1, 1))  # the column-bias bug
    assert not check("dense_forward", lambda X, W, b: X @ W)
    assert check("compose_two_layers", lambda W1, b1, W2, b2: compose_affine([(W1, b1), (W2, b2)]))
    assert check("compose_two_layers", lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2 + b2))
    assert not check("compose_two_layers", lambda W1, b1, W2, b2: (W1 @ W2, b1 + b2))
    assert not check("compose_two_layers", lambda W1, b1, W2, b2: (W1 @ W2, b2))


def test_column_bias_bug_is_caught_on_the_first_readable_input():
    result = check("dense_forward", lambda X, W, b: X @ W + b.reshape(-1, 1))
    assert "[ 1., -2.]" in result.message  # reported on the small hand-checkable case, not a random one


# -- timing: drawn or bucketed, never printed ------------------------------------------------------------------

def test_best_time_is_the_fastest_run_per_call():
    calls = []
    t = P.best_time(lambda: calls.append(1), number=4, repeat=2)
    assert len(calls) == 8 and 0 < t < 1e-3
    with pytest.raises(ValueError, match="at least 1"):
        P.best_time(lambda: None, number=0)
    with pytest.raises(TypeError, match="function"):
        P.best_time(3.0)


@pytest.mark.parametrize(("ratio", "edges", "text"), [
    (4200.0, (1000,), "more than 1,000×"),
    (16.0, (3, 100), "between 3× and 100×"),
    (1.2, (3, 100), "less than 3×"),
    (3.0, (3, 100), "between 3× and 100×"),
])
def test_ratio_bucket_names_the_range(ratio, edges, text):
    assert P.ratio_bucket(ratio, edges) == text


def test_ratio_bucket_rejects_bad_input():
    with pytest.raises(ValueError, match="positive"):
        P.ratio_bucket(0.0, (3,))
    with pytest.raises(ValueError, match="increasing"):
        P.ratio_bucket(5.0, (10, 3))
