"""The widgets of chapters 1 and 2 show what the chapters say they show.

Every widget is also swept, checked against the contract and precomputed by test_widgets.py and test_static.py,
and driven in the built book by tests/browser (where the page's equations are held to ``numbers()``). Here: the
layer playground's network and its boundary, the dot product computed both ways, which cells make an entry of
the matrix product, and the linear map's images, fold and presets.
"""

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nnmath as nm
from nnmath.plots import contour_segments
from nnmath.plots.linear import det2
from nnmath.widgets import DotProductPlayground, LayerPlayground, LinearMapPlayground, MatmulPlayground
from nnmath.widgets.linear_map import CUSTOM, PRESETS
from nnmath.widgets.static import static_states

WIDGETS = [LayerPlayground, DotProductPlayground, MatmulPlayground, LinearMapPlayground]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _finite_lines(fig):
    """Every point of every line is finite, except the breaks of a line drawn in pieces (a NaN in x and y)."""
    for ax in fig.axes:
        for line in ax.get_lines():
            x, y = (np.asarray(v, dtype=float) for v in line.get_data())
            assert np.array_equal(np.isfinite(x), np.isfinite(y)), line
            assert np.all(np.isfinite(x) | np.isnan(x)), line


@pytest.mark.parametrize("cls", WIDGETS, ids=lambda c: c.__name__)
def test_every_position_draws_finite_lines(cls):
    pg = cls()
    defaults = pg.values()
    for name, control in pg.controls.items():
        for value in control.sweep(9):
            pg.set(**{name: value})
            _finite_lines(pg.figure)
        pg.set(**{name: defaults[name]})


@pytest.mark.parametrize(("cls", "change"), [(LayerPlayground, {"steepness": 9.0}),
                                             (DotProductPlayground, {"phi": -120.0}),
                                             (MatmulPlayground, {"show": "column"}),
                                             (LinearMapPlayground, {"w11": -1.5}),
                                             (LinearMapPlayground, {"relu_after": True})])
def test_the_picture_follows_the_controls_and_comes_back(cls, change):
    pg = cls()
    before = pg.render()
    pg.set(**change)
    assert pg.render() != before
    pg.set(**{k: cls().values()[k] for k in change})
    assert pg.render() == before  # back to the start: the very same picture (nothing left over)


# --- the layer playground (chapter 1) -------------------------------------------------------------------------

def test_layer_playground_forward_is_the_two_layer_formula(rng):
    pg = LayerPlayground()
    X = rng.normal(size=(6, 2))
    w, b, s = np.array([1.0, -2.0, 0.5]), 0.3, 2.5
    A1, a = pg.forward(X, w, b, s)
    A1_ref = nm.sigmoid(X @ (s * pg.W_unit) + s * pg.b_unit)
    assert np.allclose(A1, A1_ref)
    assert np.allclose(a, nm.sigmoid(A1_ref @ w + b))
    # at steepness 3 the hidden layer is chapter 1's W[1] = [[3, 0, -3], [0, 3, -3]], b[1] = (3, 3, 3)
    assert np.array_equal(3 * pg.W_unit, [[3, 0, -3], [0, 3, -3]]) and np.array_equal(3 * pg.b_unit, [3, 3, 3])


def test_layer_playground_draws_the_network_over_the_plane():
    pg = LayerPlayground()
    w, b, s = (1.5, -4.0, 2.0), 1.0, 2.5
    numbers = pg.numbers(w1=w[0], w2=w[1], w3=w[2], b=b, steepness=s)
    A1, a = pg.forward(pg.grid, w, b, s)
    np.testing.assert_allclose(numbers["hidden"], A1.sum(axis=1).reshape(pg.grid_shape), rtol=1e-12)
    np.testing.assert_allclose(numbers["a"], a.reshape(pg.grid_shape), rtol=1e-12)
    assert numbers["a"][0, 0] == pytest.approx(a[0]) and pg.grid[0].tolist() == [-3.0, -3.0]  # row 0: x2 = -3
    assert numbers["a_title"] == "output a = σ(w · a[1] + b),  w = (1.5, −4.0, 2.0),  b = 1.0"
    assert numbers["hidden_title"] == "hidden layer, steepness 2.5"


def test_layer_playground_default_lights_the_triangle_only():
    pg = LayerPlayground()
    inside = np.array([[0.0, 0.0], [-0.5, -0.5]])
    outside = np.array([[1.5, 1.5], [-2.0, -2.0], [-2.0, 0.0], [0.0, -2.0]])
    _, a_in = pg.forward(inside, [4, 4, 4], -10, 3)
    _, a_out = pg.forward(outside, [4, 4, 4], -10, 3)
    assert (a_in > 0.5).all() and (a_out < 0.5).all()


def test_layer_playground_boundary_is_where_a_is_one_half():
    pg = LayerPlayground()
    for w, b, s in [((4, 4, 4), -10, 3), ((4, 4, -4), -6, 3), ((4, 4, 4), -6, 10), ((2, -3, 1), 0.5, 1)]:
        segments = np.array(pg.numbers(w1=w[0], w2=w[1], w3=w[2], b=b, steepness=s)["boundary"])
        assert len(segments) > 20
        _, a = pg.forward(segments.reshape(-1, 2), w, b, s)
        assert np.max(np.abs(a - 0.5)) < 0.03  # linear interpolation within cells 0.05 wide
    pg.update(w1=4.0, w2=4.0, w3=4.0, b=-10.0, steepness=3.0)
    x, y = pg.boundary.get_data()
    assert np.isnan(x[2::3]).all() and np.isfinite(x[0::3]).all()  # one line, broken between segments


def _lit(pg, w, b, s):
    """Which of the plotted points have output a > 1/2."""
    return pg.numbers(w1=w[0], w2=w[1], w3=w[2], b=b, steepness=s)["a"] > 0.5


def test_layer_playground_does_what_chapter_1_says():
    pg = LayerPlayground()
    corners = np.array([[-2.5, -2.5], [-1.5, 2.9], [2.9, -1.5]])  # beyond two lines: one in each corner region
    centre = np.array([[0.0, 0.0]])  # the triangle's centroid: (-1, -1), (-1, 2) and (2, -1) average to 0
    # 1. b = -10 needs all three half-planes; b = -6 needs two of three and lights all but the corner regions
    assert _lit(pg, (4, 4, 4), -10, 3).mean() < 0.25
    _, a = pg.forward(corners, [4, 4, 4], -6, 3)
    assert (a < 0.5).all()
    assert _lit(pg, (4, 4, 4), -6, 3).mean() > 0.5
    assert _lit(pg, (4, 4, 4), -2, 3).all()  # every point qualifies
    assert not _lit(pg, (4, 4, 4), -14, 3).any()  # none does
    # 2. a negative weight is a "not": inside lines 1 and 2 but beyond line 3, where B = (1.5, 1.5) lies
    _, a = pg.forward(np.array([[1.5, 1.5], [0.0, 0.0]]), [4, 4, -4], -6, 3)
    assert a[0] > 0.5 > a[1]
    # 3. a soft hidden layer: at steepness 1.5 and below no point reaches a = 1/2, not even the centre
    for s in (1.5, 1.0, 0.5):
        assert not _lit(pg, (4, 4, 4), -10, s).any()
        A1, _ = pg.forward(centre, [4, 4, 4], -10, s)
        assert A1.sum() < 2.5
    assert _lit(pg, (4, 4, 4), -10, 2.0).any()
    assert not pg.numbers(w1=0.0, w2=0.0, w3=0.0, b=-10.0, steepness=3.0)["boundary"]  # σ(-10): no a = 1/2
    pg.update(w1=0.0, w2=0.0, w3=0.0, b=-10.0, steepness=3.0)
    assert len(pg.boundary.get_xdata()) == 0


def test_layer_playground_marks_points_with_letters():
    pg = LayerPlayground(points=[[0, 0], [1.5, 1.5], [-2, -2]])
    assert [t.get_text() for t in pg.ax_a.texts] == ["A", "B", "C"]


def test_contour_segments_trace_a_circle_and_split_saddles():
    t = np.linspace(-1, 1, 41)
    x1, x2 = np.meshgrid(t, t)
    segments = np.array(contour_segments(x1**2 + x2**2 - 0.5, t))
    radii = np.hypot(segments[:, 0::2], segments[:, 1::2])
    assert np.allclose(radii, np.sqrt(0.5), atol=2e-3)
    assert len(segments) > 50
    # a saddle cell: the mean of the corners decides which corners the curve joins
    assert contour_segments([[1.0, -1.0], [-1.0, 3.0]], [0.0, 1.0]) == [[0.5, 0.0, 1.0, 0.25], [0.25, 1.0, 0.0, 0.5]]
    assert contour_segments([[1.0, -1.0], [-1.0, 1.0]], [0.0, 1.0]) == [[0.5, 0.0, 0.0, 0.5], [1.0, 0.5, 0.5, 1.0]]
    with pytest.raises(ValueError, match="square grid"):
        contour_segments(np.zeros((3, 4)), t)


# --- the dot product (chapter 2) ---------------------------------------------------------------------------------

def test_dot_product_widget_agrees_both_ways():
    p = DotProductPlayground()
    for phi, norm_x in itertools.product([-180, -90, -35, 0, 60, 90, 180], [0.0, 0.7, 2.5]):
        p.set(phi=phi, norm_x=norm_x)
        angle = np.arctan2(p.w[1], p.w[0]) + np.deg2rad(phi)
        x = norm_x * np.array([np.cos(angle), np.sin(angle)])
        _, y = p.point.get_data()
        assert y[0] == pytest.approx(x @ p.w, abs=1e-2)  # the marked point is x·w (titles round to 2 decimals)
        algebraic, geometric = (line.rsplit("=", 1)[1].strip() for line in p.ax_c.get_title().split("\n"))
        assert algebraic == geometric
        assert "-0.00" not in p.ax_c.get_title() + p.ax.get_title()


def test_dot_product_shadow_is_the_projection_on_w():
    p = DotProductPlayground()
    numbers = p.numbers(phi=120.0, norm_x=2.0)
    x = np.array(numbers["x"])
    shadow = np.array(numbers["shadow"])[:, 1]
    u = p.w / np.linalg.norm(p.w)
    np.testing.assert_allclose(shadow, (x @ u) * u)
    assert x @ u == pytest.approx(2.0 * np.cos(np.deg2rad(120.0)))  # ‖x‖ cos φ, negative past 90°
    assert numbers["x_arrow"][0][1] == x[0] and numbers["x_arrow"][1][1] == x[1]  # the arrow ends at x


def test_dot_product_widget_rejects_a_zero_weight_vector():
    with pytest.raises(ValueError, match="non-zero"):
        DotProductPlayground(w=(0.0, 0.0))


# --- the matrix product (chapter 2) -----------------------------------------------------------------------------

@pytest.mark.parametrize("show", ["entry", "row", "column"])
def test_matmul_widget_colours_the_cells_of_each_entry(show):
    pg = MatmulPlayground()
    pg.set(i=2, j=1, show=show)
    d = pg.diagram
    lit = {k: {rc for rc, p in np.ndenumerate(cells) if p.get_facecolor() != (1.0, 1.0, 1.0, 1.0)}
           for k, cells in d.cells.items()}
    expected_Z = {"entry": {(2, 1)}, "row": {(2, 0), (2, 1)}, "column": {(r, 1) for r in range(4)}}[show]
    assert lit["Z"] == expected_Z and lit["b"] == {(0, c) for _, c in expected_Z}
    assert pg.outline.get_xy() == d.cells["Z"][2, 1].get_xy()  # Z[i, j] is outlined whatever is shown
    assert d.numbers["Z"][2, 1].get_text() == f"{d.Z[2, 1]:g}"


def test_matmul_widget_offers_every_state_in_the_static_book():
    pg = MatmulPlayground()
    data = static_states(pg, pg.static_controls())
    assert len(data["states"]) == 4 * 2 * 3
    texts = {command[6] for state in data["states"] for command in state[1] if command[0] == "t"}
    assert "       = 2·1 + (-1)·0 + 1·3 + 1 = 6" in texts  # Z[2, 0], the arithmetic written out


def test_matmul_widget_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="need X"):
        MatmulPlayground(X=np.ones((2, 3)), W=np.ones((2, 2)), b=np.ones(2))


# --- the linear map (chapter 2) -----------------------------------------------------------------------------------

def test_linear_map_sends_basis_vectors_to_rows_of_W():
    pg = LinearMapPlayground()
    pg.update(w11=1.5, w12=-0.5, w21=0.3, w22=2.0, relu_after=False)
    tips = [(arrow.get_xdata()[1], arrow.get_ydata()[1]) for arrow in pg.arrows_out]
    assert tips[0] == pytest.approx((1.5, -0.5)) and tips[1] == pytest.approx((0.3, 2.0))


def test_linear_map_draws_x_times_W_and_the_relu_fold():
    p = LinearMapPlayground(w11=1.0, w12=0.5, w21=-0.5, w22=1.0)
    W = np.array([[1.0, 0.5], [-0.5, 1.0]])
    for line, pts in zip(p.out_lines, p.lines):
        np.testing.assert_allclose(np.column_stack(line.get_data()), pts @ W)
    assert "+1.25" in p.ax_out.get_title()
    p.set(relu_after=True)
    for line, ghost, pts in zip(p.out_lines, p.ghost_lines, p.lines):
        np.testing.assert_allclose(np.column_stack(line.get_data()), np.maximum(pts @ W, 0))
        np.testing.assert_allclose(np.column_stack(ghost.get_data()), pts @ W)
        assert ghost.get_visible()
    dots = p.numbers(**p.values())["dots_out"]
    assert sum(len(xs) for xs, _ in dots.values()) == len(p.points)
    np.testing.assert_array_equal(dots["origin"], np.zeros_like(dots["origin"]))  # (−,−) all go to 0
    assert np.all(np.asarray(dots["onto_y2"][0]) == 0) and np.all(np.asarray(dots["onto_y1"][1]) == 0)


def test_linear_map_presets_and_sliders_stay_in_step():
    p = LinearMapPlayground()
    for name, rows in PRESETS.items():
        p.set(preset=name)
        values = p.values()
        assert (values["w11"], values["w12"], values["w21"], values["w22"]) == tuple(np.ravel(rows))
        assert f"{det2(rows):+.2f}" in p.ax_out.get_title()
    p.set(preset="shear")
    p.set(w22=-1.0)  # moving a slider away from the preset makes it "your own"
    assert p.controls["preset"].value == CUSTOM
    assert "flipped" in p.note.get_text()
    p.set(preset="singular (det 0)")
    assert "collapses" in p.note.get_text()
    assert det2(PRESETS["rotate 36.9°"]) == pytest.approx(1.0)  # a rotation keeps areas


def test_linear_map_presets_sit_on_the_sliders():
    """The page's sliders move in steps of 0.05: a preset they could not show would jump when touched."""
    p = LinearMapPlayground()
    for rows in PRESETS.values():
        for name, value in zip(("w11", "w12", "w21", "w22"), np.ravel(rows)):
            assert value in p.controls[name].grid()


def test_linear_map_live_view_follows_the_preset_menu():
    """The page sends every control's value; only the one the reader moved counts, the others follow it."""
    p = LinearMapPlayground()
    view = p.widget
    view.request = {"seq": 1, "values": {**p.values(), "preset": "shear"}}
    assert "error" not in view.frame and view.frame["answer"] == 1
    assert p.values() == {"preset": "shear", "w11": 1.0, "w12": 0.0, "w21": 1.0, "w22": 1.0, "relu_after": False}
    assert view.values["w21"] == 1.0  # told to the page, which still showed the old value
    view.request = {"seq": 2, "values": {**p.values(), "w12": 0.25}}
    assert p.values()["preset"] == CUSTOM and p.values()["w12"] == 0.25
