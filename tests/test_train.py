"""The training loop: digits to 97 %, determinism, batch modes, history, callbacks, progress, errors."""


import numpy as np
import pytest

from nnmath.data import load_digits_split, make_linear_regression, make_moons, make_xor
from nnmath.descent import descend
from nnmath.network import MLP
from nnmath.optim import SGD, Adam
from nnmath.regularization import EarlyStopping
from nnmath.train import Callback, History, _WidgetBar, accuracy, confusion_matrix, evaluate, fit, train_step


def test_digits_reach_97_percent():
    """The book's digit classifier: 64-128-64-10 ReLU, Adam, batch 64, on the fixed split (1,347 / 450 images).

    How long it takes is measured by benchmarks/bench_training.py, not here (about half a second on an idle
    2-core machine)."""
    X_train, X_test, y_train, y_test = load_digits_split()
    net = MLP([64, 128, 64, 10], "relu", seed=0)
    history = fit(net, X_train, y_train, Adam(lr=3e-3), epochs=30, batch_size=64, seed=0)
    loss, acc = evaluate(net, X_test, y_test)
    assert acc >= 0.97, f"test accuracy {acc:.4f}"
    assert history.accuracy[-1] > 0.99


def test_same_seeds_same_training():
    X, y = make_moons(100, seed=0)
    runs = []
    for _ in range(2):
        net = MLP([2, 8, 2], "tanh", dropout=0.1, seed=1)
        history = fit(net, X, y, Adam(lr=0.01), epochs=5, batch_size=16, seed=2)
        runs.append((net.get_params(), history.loss))
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    assert runs[0][1] == runs[1][1]


@pytest.mark.parametrize("batch_size, steps_per_epoch", [(None, 1), (32, 4), (1, 100)])
def test_full_batch_mini_batch_and_stochastic(batch_size, steps_per_epoch):
    X, y = make_moons(100, seed=0)
    opt = SGD(lr=0.1)
    history = fit(MLP([2, 6, 2], "tanh", seed=0), X, y, opt, epochs=3, batch_size=batch_size)
    assert opt.t == 3 * steps_per_epoch
    assert history.epochs == 3 and len(history.seconds) == 3


def test_xor_needs_and_gets_a_hidden_layer():
    X, y = make_xor(200, noise=0.2, seed=0)
    net = MLP([2, 8, 1], "tanh", "binary_cross_entropy", seed=0)
    fit(net, X, y, Adam(lr=0.05), epochs=60, batch_size=20)
    assert accuracy(y, net.predict(X)) > 0.95


def test_regression_fits_a_line():
    X, y = make_linear_regression(200, slope=2.0, intercept=-1.0, noise=0.05, seed=0)
    net = MLP([1, 1], loss="mse", seed=0)  # no hidden layer: the model is exactly w x + b
    history = fit(net, X, y, Adam(lr=0.05), epochs=100, batch_size=50)
    assert net.W[0][0, 0] == pytest.approx(2.0, abs=0.02) and net.b[0][0] == pytest.approx(-1.0, abs=0.02)
    assert history.accuracy == [] and history.loss[-1] < 0.01


def test_history_with_validation():
    X, y = make_moons(200, seed=0)
    history = fit(MLP([2, 8, 2], "tanh", seed=0), X[:150], y[:150], epochs=4, validation_data=(X[150:], y[150:]))
    assert len(history.val_loss) == len(history.val_accuracy) == len(history.loss) == 4
    assert set(history.as_dict()) == {"loss", "accuracy", "val_loss", "val_accuracy", "seconds"}
    assert "epochs=4" in repr(history) and repr(History()) == "History(epochs=0)"


def test_early_stopping_in_fit_restores_the_best_epoch():
    X_train, X_test, y_train, y_test = load_digits_split()
    net = MLP([64, 32, 10], "relu", seed=0)
    stopper = EarlyStopping(patience=3)
    history = fit(net, X_train, y_train, Adam(lr=0.03), epochs=200, batch_size=32,
                  validation_data=(X_test, y_test), callbacks=[stopper])
    assert stopper.stopped_epoch is not None and history.epochs == stopper.stopped_epoch < 200
    best = min(history.val_loss)
    assert history.val_loss[stopper.best_epoch - 1] == best
    assert evaluate(net, X_test, y_test)[0] == pytest.approx(best)


def test_l2_shrinks_the_weights():
    X, y = make_moons(100, seed=0)
    plain, penalised = MLP([2, 16, 2], "tanh", seed=0), MLP([2, 16, 2], "tanh", seed=0)
    fit(plain, X, y, Adam(lr=0.01), epochs=30, seed=0)
    fit(penalised, X, y, Adam(lr=0.01), epochs=30, seed=0, l2=0.05)
    assert sum(np.sum(W**2) for W in penalised.W) < 0.7 * sum(np.sum(W**2) for W in plain.W)


def test_train_step_and_callbacks():
    X, y = make_moons(50, seed=0)
    net = MLP([2, 4, 2], "tanh", seed=0)
    opt = SGD(lr=0.5)
    losses = [train_step(net, X, y, opt) for _ in range(30)]
    assert losses[-1] < losses[0]

    class StopAtTwo(Callback):
        def on_epoch_end(self, epoch, logs, net):
            self.keys = sorted(logs)
            return epoch == 2

    cb = StopAtTwo()
    assert fit(net, X, y, opt, epochs=10, callbacks=[cb]).epochs == 2
    assert cb.keys == ["accuracy", "loss", "val_accuracy", "val_loss"]


def test_the_same_optimizer_class_drives_a_surface_and_a_network():
    path = descend("elongated_bowl", optimizer=Adam(lr=0.1), steps=200)
    assert path.losses[-1] < 1e-3 * path.losses[0]
    X, y = make_moons(100, seed=0)
    history = fit(MLP([2, 8, 2], "tanh", seed=0), X, y, Adam(lr=0.1), epochs=20)
    assert history.loss[-1] < 0.5 * history.loss[0]


# --- progress ---------------------------------------------------------------------------------------

def test_text_progress_is_one_line_on_stdout(capsys):
    X, y = make_moons(40, seed=0)
    fit(MLP([2, 4, 2], seed=0), X, y, epochs=3, progress=True)
    out, err = capsys.readouterr()
    assert err == ""
    assert out.count("\n") == 1 and out.endswith("\n") and out.count("\r") == 3
    assert "epoch 3/3" in out and "loss" in out


def test_no_progress_means_no_output(capsys):
    X, y = make_moons(40, seed=0)
    fit(MLP([2, 4, 2], seed=0), X, y, epochs=2)
    assert capsys.readouterr() == ("", "")


def test_widget_progress_bar(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    bar = _WidgetBar(5)
    bar.update(2, {"loss": 0.5, "accuracy": 0.9, "val_loss": None, "val_accuracy": None})
    bar.close()
    assert len(shown) == 1 and bar.bar.value == 2 and bar.bar.max == 5
    assert "epoch 2/5" in bar.label.value and bar.bar.bar_style == "success"


# --- metrics ----------------------------------------------------------------------------------------

def test_accuracy_and_confusion_matrix_by_hand():
    y_true, y_pred = np.array([0, 1, 2, 2, 1]), np.array([0, 2, 2, 2, 1])
    assert accuracy(y_true, y_pred) == pytest.approx(0.8)
    np.testing.assert_array_equal(confusion_matrix(y_true, y_pred), [[1, 0, 0], [0, 1, 1], [0, 0, 2]])
    assert confusion_matrix(y_true, y_pred, n_classes=4).shape == (4, 4)
    with pytest.raises(ValueError, match="same shape"):
        accuracy([0, 1], [0])
    with pytest.raises(ValueError, match=r"0\.\.1"):
        confusion_matrix([0, 2], [0, 1], n_classes=2)


# --- bad input --------------------------------------------------------------------------------------

def test_fit_rejects_bad_input_with_clear_errors():
    X, y = make_moons(20, seed=0)
    net = MLP([2, 4, 2], seed=0)
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="X contains 1 NaN"):
        fit(net, bad, y)
    with pytest.raises(ValueError, match=r"labels y must lie in 0\.\.1"):
        fit(net, X, y + 1)
    with pytest.raises(ValueError, match=r"one label per sample: expected shape \(20,\), got \(19,\)"):
        fit(net, X, y[:-1])
    with pytest.raises(ValueError, match="X has 3 features but the network expects 2"):
        fit(net, np.hstack([X, X[:, :1]]), y)
    with pytest.raises(TypeError, match="nnmath.optim optimizer"):
        fit(net, X, y, optimizer="adam")
    with pytest.raises(ValueError, match="epochs must be a non-negative integer; got -1"):
        fit(net, X, y, epochs=-1)
    with pytest.raises(TypeError, match=r"batch_size must be a positive integer; got 2.0 \(float\)"):
        fit(net, X, y, batch_size=2.0)
    with pytest.raises(ValueError, match="l2 must be non-negative"):
        fit(net, X, y, l2=-0.1)
    with pytest.raises(ValueError, match="learning rate lr must be positive"):
        fit(net, X, y, SGD(lr=-1.0))
    with pytest.raises(TypeError, match="pair"):
        fit(net, X, y, validation_data=X)
    with pytest.raises(ValueError, match="progress must be"):
        fit(net, X, y, progress="bar")
