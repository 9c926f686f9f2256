"""Data augmentation by shifts: the shift by hand, random shifts, shifted copies, bad input."""

import numpy as np
import pytest

from nnmath.augment import random_shifts, shift_images, shifted_copies


def test_shift_moves_pixels_and_fills_with_zero():
    img = np.arange(1, 10, dtype=float).reshape(1, 3, 3)  # 1..9 row by row
    right = shift_images(img, 1, 0, shape=(3, 3))
    np.testing.assert_array_equal(right[0], [[0, 1, 2], [0, 4, 5], [0, 7, 8]])
    up = shift_images(img, 0, -1, shape=(3, 3))
    np.testing.assert_array_equal(up[0], [[4, 5, 6], [7, 8, 9], [0, 0, 0]])
    diagonal = shift_images(img.reshape(1, 9), -1, 1, shape=(3, 3))  # rows of pixels in, rows out
    np.testing.assert_array_equal(diagonal.reshape(3, 3), [[0, 0, 0], [2, 3, 0], [5, 6, 0]])
    np.testing.assert_array_equal(shift_images(img, 0, 0, shape=(3, 3)), img)


def test_shifts_compose_and_undo_inside_the_frame():
    X = np.random.default_rng(0).random((5, 64))
    X[:, :8] = X[:, -8:] = 0  # an empty top and bottom row: moving down and back up loses nothing
    there_and_back = shift_images(shift_images(X, 0, 1), 0, -1)
    np.testing.assert_array_equal(there_and_back, X)
    np.testing.assert_array_equal(shift_images(shift_images(X, 1, 0), 1, 0), shift_images(X, 2, 0))


def test_random_shifts_shift_about_prob_of_the_images_by_one_pixel():
    X = np.zeros((2000, 64))
    X[:, 27] = 1.0  # one bright pixel at (3, 3)
    out = random_shifts(X, seed=0, prob=0.3)
    moved = np.any(out != X, axis=1)
    assert moved.mean() == pytest.approx(0.3, abs=0.03)
    where = np.argmax(out[moved], axis=1)
    rows, cols = where // 8, where % 8
    assert np.all(np.maximum(np.abs(rows - 3), np.abs(cols - 3)) == 1)  # one of the 8 one-pixel moves
    assert len(set(zip(rows, cols))) == 8
    np.testing.assert_array_equal(random_shifts(X, seed=0, prob=0.3), out)  # seeded
    np.testing.assert_array_equal(random_shifts(X, seed=1, prob=0.0), X)


def test_shifted_copies_repeat_the_labels():
    X = np.random.default_rng(1).random((4, 64))
    y = np.array([3, 1, 4, 1])
    X_aug, y_aug = shifted_copies(X, y)
    assert X_aug.shape == (20, 64) and y_aug.tolist() == y.tolist() * 5
    np.testing.assert_array_equal(X_aug[:4], X)
    np.testing.assert_array_equal(X_aug[4:8], shift_images(X, 1, 0))


def test_bad_input_is_named():
    with pytest.raises(ValueError, match=r"images of 8 x 8 pixels.*got shape \(3, 10\)"):
        shift_images(np.ones((3, 10)), 1, 0)
    with pytest.raises(ValueError, match=r"dx \(a whole number of pixels\) must be an integer from -7 to 7; got 8"):
        shift_images(np.ones((1, 64)), 8, 0)
    with pytest.raises(TypeError, match="whole number of pixels"):
        shift_images(np.ones((1, 64)), 0.5, 0)
    with pytest.raises(ValueError, match="prob is a probability"):
        random_shifts(np.ones((1, 64)), prob=1.5)
    with pytest.raises(ValueError, match=r"max_shift \(pixels\) must be an integer from 1 to 7"):
        random_shifts(np.ones((1, 64)), max_shift=0)
    with pytest.raises(ValueError, match="one label per image"):
        shifted_copies(np.ones((2, 64)), [1, 2, 3])
