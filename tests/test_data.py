"""Data: toy generators, split, standardisation, one-hot, mini-batches, and the shipped digits."""

import importlib.resources
import math

import numpy as np
import pytest

from nnmath import data
from nnmath.data import (
    DIGITS_SPLIT,
    load_digits,
    load_digits_split,
    make_circles,
    make_linear_regression,
    make_moons,
    make_spirals,
    make_xor,
    minibatches,
    one_hot,
    standardize,
    train_test_split,
)

GENERATORS = [make_xor, make_moons, make_circles, make_spirals]


@pytest.mark.parametrize("make", GENERATORS)
def test_generators_shapes_labels_and_determinism(make):
    X, y = make(120, seed=3)
    assert X.shape == (120, 2) and X.dtype == np.float64 and y.shape == (120,) and y.dtype.kind == "i"
    counts = np.bincount(y)
    assert counts.max() - counts.min() <= 1  # balanced classes
    X2, y2 = make(120, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(make(120, seed=4)[0], X)
    assert not (np.diff(y) == 0).all()  # shuffled, not in blocks


def test_noise_free_shapes():
    X, y = make_xor(40, noise=0.0)
    np.testing.assert_array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))
    X, y = make_circles(40, noise=0.0, factor=0.3)
    np.testing.assert_allclose(np.hypot(X[:, 0], X[:, 1]), np.where(y == 0, 1.0, 0.3))
    X, y = make_moons(40, noise=0.0)
    centre = np.where(y[:, None] == 0, [0.0, 0.0], [1.0, 0.5])
    np.testing.assert_allclose(np.linalg.norm(X - centre, axis=1), 1.0)
    X, y = make_spirals(90, n_classes=3, noise=0.0)
    assert set(y) == {0, 1, 2} and np.linalg.norm(X, axis=1).max() == pytest.approx(1.0)


def test_linear_regression_data():
    X, y = make_linear_regression(500, slope=2.0, intercept=-1.0, noise=0.1, seed=0)
    assert X.shape == (500, 1) and y.shape == (500,)
    slope, intercept = np.polyfit(X[:, 0], y, 1)
    assert slope == pytest.approx(2.0, abs=0.02) and intercept == pytest.approx(-1.0, abs=0.02)


def test_generator_errors():
    with pytest.raises(ValueError, match="n must be an integer"):
        make_moons(1)
    with pytest.raises(ValueError, match="noise must be non-negative"):
        make_moons(10, noise=-1.0)
    with pytest.raises(ValueError, match="factor"):
        make_circles(10, factor=1.5)


# --- split, standardise, one-hot, batches ------------------------------------------------------------

def test_split_sizes_disjoint_and_deterministic():
    X = np.arange(100.0)[:, None]
    y = np.arange(100) % 4
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, seed=1)
    assert len(X_te) == 25 and len(X_tr) == 75
    assert sorted(np.concatenate([X_tr[:, 0], X_te[:, 0]])) == list(range(100))
    np.testing.assert_array_equal(y_tr, X_tr[:, 0].astype(int) % 4)  # rows stay paired with their labels
    again = train_test_split(X, y, test_size=0.25, seed=1)
    np.testing.assert_array_equal(again[1], X_te)
    assert len(train_test_split(X, y, test_size=10)[1]) == 10


def test_stratified_split_keeps_class_proportions():
    y = np.array([0] * 80 + [1] * 20)
    X = np.zeros((100, 1))
    _, _, y_tr, y_te = train_test_split(X, y, test_size=0.25, stratify=True)
    assert np.bincount(y_te).tolist() == [20, 5]
    assert np.bincount(y_tr).tolist() == [60, 15]


def test_split_errors():
    with pytest.raises(ValueError, match=r"one row per sample \(X: \(4, 1\), y: \(3,\)\)"):
        train_test_split(np.zeros((4, 1)), np.zeros(3))
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        train_test_split(np.zeros((4, 1)), np.zeros(4), test_size=1.5)
    with pytest.raises(ValueError, match="NaN"):
        train_test_split(np.array([[np.nan], [0.0]]), np.zeros(2))


def test_standardize_uses_training_statistics():
    rng = np.random.default_rng(0)
    X_tr, X_te = rng.normal(5, 3, (200, 3)), rng.normal(5, 3, (50, 3))
    Z, mean, std = standardize(X_tr)
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=0), 1, atol=1e-12)
    Z_te, _, _ = standardize(X_te, mean, std)
    np.testing.assert_allclose(Z_te, (X_te - mean) / std)
    constant = np.hstack([X_tr, np.full((200, 1), 7.0)])
    Z, _, std = standardize(constant)
    assert np.isfinite(Z).all() and std[-1] == 1.0 and (Z[:, -1] == 0).all()


def test_standardize_errors():
    with pytest.raises(ValueError, match="NaN"):
        standardize(np.array([[1.0, np.nan]]))
    with pytest.raises(ValueError, match="both mean and std"):
        standardize(np.ones((2, 2)), mean=np.zeros(2))
    with pytest.raises(ValueError, match="one entry per feature"):
        standardize(np.ones((2, 2)), np.zeros(3), np.ones(3))


def test_one_hot():
    np.testing.assert_array_equal(one_hot([2, 0, 1]), [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    assert one_hot([0, 1], n_classes=4).shape == (2, 4)
    with pytest.raises(ValueError, match=r"0\.\.2 for 3 classes; found labels from 0 to 5"):
        one_hot([0, 5], n_classes=3)
    with pytest.raises(ValueError, match="non-negative"):
        one_hot([-1, 0])
    with pytest.raises(ValueError, match="whole numbers"):
        one_hot([0.5])


@pytest.mark.parametrize("batch_size", [1, 7, 10, 50])
def test_minibatches_visit_every_sample_once(batch_size):
    batches = list(minibatches(23, batch_size, seed=0))
    assert len(batches) == math.ceil(23 / min(batch_size, 23))
    assert sorted(np.concatenate(batches)) == list(range(23))
    assert all(len(b) == min(batch_size, 23) for b in batches[:-1])
    np.testing.assert_array_equal(np.concatenate(list(minibatches(5, 2, shuffle=False))), np.arange(5))
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        list(minibatches(5, 0))


# --- the digits -------------------------------------------------------------------------------------

def test_digits_load_offline():
    X, y = load_digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.min() == 0 and X.max() == 16 and (X == np.round(X)).all()
    assert set(y) == set(range(10)) and np.bincount(y).min() >= 170
    images, _ = load_digits(images=True)
    assert images.shape == (1797, 8, 8)
    np.testing.assert_array_equal(images[5].ravel(), X[5])
    X[0, 0] = 99.0  # the caller's copy; the cached table is untouched
    assert load_digits()[0][0, 0] == 0.0


def test_digits_file_and_notice_ship_with_the_package():
    folder = importlib.resources.files(data)
    assert folder.joinpath("digits.csv.gz").is_file()
    readme = folder.joinpath("README.md").read_text(encoding="utf-8")
    for fact in ("Alpaydin", "Kaynak", "1998", "UCI", "CC BY 4.0", "scikit-learn", "BSD 3-Clause"):
        assert fact in readme


def test_the_books_digit_split():
    X_tr, X_te, y_tr, y_te = load_digits_split()
    assert DIGITS_SPLIT == {"test_size": 0.25, "seed": 0, "stratify": True}
    assert X_tr.shape == (1347, 64) and X_te.shape == (450, 64)
    assert X_tr.max() <= 1.0 and X_tr.min() >= 0.0
    np.testing.assert_array_equal(load_digits_split()[3], y_te)
