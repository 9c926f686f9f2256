r"""Working like a practitioner (chapter 9): baselines, checks before training, recipes compared over seeds,
and reading the result (an accuracy's uncertainty, calibration, the worst mistakes).

* **Baselines** say what a number means: :func:`chance_accuracy` (always the most common class) and
  :class:`NearestClassMean` (the closest class average), before any network.
* **Checks before training** catch bugs cheaply: :func:`update_to_weight_ratios` (how far one step moves each
  layer), :func:`weight_gradient_norms` (the gradient each layer receives) and :func:`dead_units` (ReLU units
  that never switch on); the gradient check itself is :func:`nnmath.gradcheck.check_network_gradients`.
* **Recipes**: a :class:`Recipe` is every training choice in one place, :meth:`Recipe.train` trains it with
  :func:`nnmath.train.fit`, and :func:`compare_recipes` trains several on the same budget over several seeds.
* **Reading the result**: :func:`accuracy_interval` (a confidence interval for a test accuracy),
  :func:`worst_mistakes`, :func:`reliability_bins` and :func:`expected_calibration_error` (does a confidence of
  0.9 mean right nine times in ten?).
"""

from __future__ import annotations

import copy
import functools
import math
import numbers
from dataclasses import dataclass
from statistics import NormalDist
from typing import NamedTuple

import numpy as np

from ._checks import as_array, as_int, as_labels, as_scalar
from .data.mnist import random_shifts
from .network import MLP
from .optim import Adam, AdamW, Optimizer
from .schedules import cosine
from .train import LearningRateSchedule, fit, train_step

__all__ = [
    "chance_accuracy", "NearestClassMean",
    "update_to_weight_ratios", "weight_gradient_norms", "dead_units", "with_rounded_weights",
    "Recipe", "RecipeResult", "compare_recipes",
    "accuracy_interval", "worst_mistakes", "ReliabilityBins", "reliability_bins", "expected_calibration_error",
]


def _labels(y, name="y", n=None):
    y = as_labels(y, name)
    if n is not None and len(y) != n:
        raise ValueError(f"{name} must have one label per sample ({n}); got {len(y)}")
    return y


def _probabilities(P, y):
    P = as_array(P, "P", ndim=2, finite=True)
    y = _labels(y, "y", len(P))
    if (P < 0).any() or not np.allclose(P.sum(axis=1), 1.0, atol=1e-6):
        raise ValueError(f"P must hold probabilities, each row summing to 1 (P: {P.shape})")
    if y.size and y.max() >= P.shape[1]:
        raise ValueError(f"labels must lie in 0..{P.shape[1] - 1} for P of shape {P.shape}; found {y.max()}")
    return P, y


# --- baselines --------------------------------------------------------------------------------------------

def chance_accuracy(y_train, y_test) -> float:
    r"""The accuracy of always answering the training set's most common class, measured on ``y_test``.

    .. math::
        \hat c = \operatorname*{arg\,max}_c \#\{i : y^{\text{train}}_i = c\}, \qquad
        \text{accuracy} = \frac1n \sum_{i=1}^n \mathbb 1\bigl[y^{\text{test}}_i = \hat c\bigr]

    With ten balanced classes it is close to :math:`1/k = 10\%`: any classifier must beat it.
    """
    y_train, y_test = _labels(y_train, "y_train"), _labels(y_test, "y_test")
    if not y_train.size or not y_test.size:
        raise ValueError("chance_accuracy needs labels in both y_train and y_test")
    return float(np.mean(y_test == np.bincount(y_train).argmax()))


class NearestClassMean:
    r"""The nearest-class-mean classifier: answer the class whose average training image is closest.

    .. math::
        \boldsymbol\mu_c = \frac{1}{n_c} \sum_{i : y_i = c} \mathbf x_i, \qquad
        \hat y(\mathbf x) = \operatorname*{arg\,min}_c \lVert \mathbf x - \boldsymbol\mu_c \rVert^2
                          = \operatorname*{arg\,max}_c \Bigl(\mathbf x \cdot \boldsymbol\mu_c
                            - \tfrac12 \lVert \boldsymbol\mu_c \rVert^2\Bigr)

    The second form, expanding the square and dropping :math:`\lVert\mathbf x\rVert^2` (the same for every
    class), shows that it is a *linear* classifier, :math:`\mathbf z = \mathbf x W + \mathbf b` with the
    columns of :math:`W` the means :math:`\boldsymbol\mu_c` and
    :math:`b_c = -\frac12\lVert\boldsymbol\mu_c\rVert^2`, whose weights are written down rather than learned.

    Attributes
    ----------
    means : ndarray, shape (k, d)
        :math:`\boldsymbol\mu_c`, one row per class (after :meth:`fit`).
    """

    def __init__(self):
        self.means = None

    def fit(self, X, y):
        """Average the training samples of each class; returns ``self``."""
        X = as_array(X, "X", ndim=2, finite=True)
        y = _labels(y, "y", len(X))
        counts = np.bincount(y)
        if (counts == 0).any():
            raise ValueError(f"every class 0..{len(counts) - 1} needs a training sample; none for "
                             f"{np.flatnonzero(counts == 0).tolist()}")
        sums = np.zeros((len(counts), X.shape[1]))
        np.add.at(sums, y, X)
        self.means = sums / counts[:, None]
        return self

    def scores(self, X):
        r"""The scores :math:`\mathbf x \cdot \boldsymbol\mu_c - \frac12\lVert\boldsymbol\mu_c\rVert^2`, (n, k)."""
        if self.means is None:
            raise RuntimeError("call fit(X, y) first")
        X = as_array(X, "X", ndim=2, finite=True)
        if X.shape[1] != self.means.shape[1]:
            raise ValueError(f"X has {X.shape[1]} features but the class means have {self.means.shape[1]} "
                             f"(X: {X.shape}, means: {self.means.shape})")
        return X @ self.means.T - 0.5 * np.sum(self.means**2, axis=1)

    def predict(self, X):
        """The nearest class mean's label for every row of ``X``, shape (n,)."""
        return self.scores(X).argmax(axis=1)


# --- checks before training -------------------------------------------------------------------------------

def _weights_norms(net):
    return np.array([float(np.linalg.norm(W)) for W in net.W])


def update_to_weight_ratios(net: MLP, X, y, optimizer: Optimizer, l2=0.0):
    r"""How far one training step would move each layer's weights, relative to their size.

    .. math::
        r^{[\ell]} = \frac{\lVert \Delta W^{[\ell]} \rVert_F}{\lVert W^{[\ell]} \rVert_F}, \qquad \ell = 1, \dots, D

    for the step the optimizer takes on the batch :math:`(X, \mathbf y)`. A rule of thumb from practice
    (Karpathy's): around :math:`10^{-3}` is healthy; much smaller and the layer barely learns, much larger and
    the step is likely too big. The step is taken on copies: the network and the optimizer are unchanged.

    Book: eq-update-ratio.

    Parameters
    ----------
    net : MLP
    X, y : one batch
    optimizer : Optimizer
        The optimizer as training would use it (its state, if it has stepped before, included).
    l2 : float, default 0

    Returns
    -------
    ndarray, shape (D,)
        One ratio per weight matrix, :math:`W^{[1]}` first.
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an nnmath.optim optimizer; got {type(optimizer).__name__}")
    saved, rng_state = net.get_params(), copy.deepcopy(net.rng.bit_generator.state)
    norms = _weights_norms(net)
    before = [W.copy() for W in net.W]
    try:
        train_step(net, X, y, copy.deepcopy(optimizer), l2=l2)  # a copy: the optimizer's own state stays
        steps = np.array([float(np.linalg.norm(W - W0)) for W, W0 in zip(net.W, before)])
    finally:
        net.set_params(saved)
        net.rng.bit_generator.state = rng_state
    return steps / norms


def weight_gradient_norms(net: MLP, X, y):
    r"""The size of the gradient each weight matrix receives: :math:`\lVert \partial L / \partial W^{[\ell]} \rVert_F`.

    Computed by :meth:`nnmath.network.MLP.loss_and_gradients` on :math:`(X, \mathbf y)` (no dropout). Layers
    whose gradient is orders of magnitude below the others learn orders of magnitude more slowly (chapter 3's
    vanishing gradients).

    Returns
    -------
    ndarray, shape (D,)
        :math:`W^{[1]}` first.
    """
    net.loss_and_gradients(X, y)
    return np.array([float(np.linalg.norm(dW)) for dW in net.dW])


def dead_units(net: MLP, X):
    r"""The hidden units that output 0 for every sample of ``X``: dead ReLUs (chapter 3).

    A ReLU unit with :math:`z_j \le 0` on every input passes no gradient back (:math:`\operatorname{ReLU}'(z) = 0`
    there), so no training step can revive it through its own weights.

    Parameters
    ----------
    net : MLP
    X : array_like, shape (n, sizes[0])

    Returns
    -------
    list of ndarray of bool
        One array per hidden layer, shape ``(sizes[l],)``: True where the unit never fired.
    """
    _, cache = net.forward(X)
    return [np.all(F <= 0, axis=0) for (_, _, F, _) in cache[:-1]]


def with_rounded_weights(net: MLP, dtype=np.float16) -> MLP:
    r"""A copy of a network whose every weight and bias is rounded to a shorter float type (and back).

    .. math::
        \tilde\theta_i = \operatorname{fl}_{16}(\theta_i), \qquad
        \frac{\lvert \tilde\theta_i - \theta_i \rvert}{\lvert\theta_i\rvert} \le 2^{-11}

    for float16 (11 significant bits), as long as :math:`\lvert\theta_i\rvert` is a normal float16 number
    (between :math:`6.1\times 10^{-5}` and 65504). Storing a network in half the bytes costs a relative error of
    at most about :math:`5 \times 10^{-4}` per parameter; the copy computes in the original network's dtype.

    Parameters
    ----------
    net : MLP
    dtype : numpy float type, default float16

    Returns
    -------
    MLP
        The same sizes, activations, loss and dropout; the rounded parameters.
    """
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"dtype must be a float type such as float16; got {dtype}")
    largest = float(np.abs(net.flat_params).max(initial=0.0))
    if dtype.itemsize < net.dtype.itemsize and largest > float(np.finfo(dtype).max):
        raise ValueError(f"some parameters do not fit in {dtype} (largest magnitude {largest:.4g}, "
                         f"{dtype} ends at {float(np.finfo(dtype).max):.4g})")
    rounded = net.flat_params.astype(dtype)
    copy_ = MLP(net.sizes, [act.name for act in net.activations[:-1]], net.loss.name, dropout=net.dropout,
                seed=0, dtype=net.dtype)
    copy_.set_params(rounded.astype(net.dtype))
    return copy_


# --- recipes and comparisons over seeds -------------------------------------------------------------------

@dataclass(frozen=True)
class Recipe:
    r"""Every choice of a training run in one place, for :meth:`train`.

    The network is an :class:`~nnmath.network.MLP` of ``sizes`` with ReLU hidden layers (He initialisation) and
    softmax + cross-entropy; the optimizer is Adam (chapter 7), or AdamW when ``weight_decay`` > 0
    (decoupled weight decay, chapter 8), its learning rate following :func:`nnmath.schedules.cosine` from ``lr``
    down over ``epochs`` epochs; ``dropout`` (chapter 8) is inverted dropout on every hidden layer; ``max_shift``
    > 0 augments each training batch with :func:`nnmath.data.random_shifts`; ``dtype`` is the precision the
    network computes in (float32 halves the bytes and, on a CPU, runs the matrix products about twice as fast:
    enough for a quick screening run, whose result is a ranking).

    Attributes
    ----------
    sizes : tuple of int
    epochs : int
    lr : float
    batch_size : int
    dropout : float
    weight_decay : float
    max_shift : int
    dtype : str
        ``"float64"`` (the default) or ``"float32"``.
    """

    sizes: tuple = (784, 256, 128, 10)
    epochs: int = 15
    lr: float = 2e-3
    batch_size: int = 128
    dropout: float = 0.0
    weight_decay: float = 0.0
    max_shift: int = 0
    dtype: str = "float64"

    def network(self, seed=0) -> MLP:
        """A fresh network for this recipe, its weights seeded by ``seed`` (drawn in float64, then rounded to
        ``dtype``: the same seed starts both precisions from the same weights)."""
        return MLP(list(self.sizes), activation="relu", loss="cross_entropy", dropout=self.dropout, seed=seed,
                   dtype=self.dtype)

    def optimizer(self) -> Optimizer:
        """A fresh optimizer for this recipe (Adam, or AdamW with ``weight_decay``)."""
        if self.weight_decay:
            return AdamW(lr=self.lr, weight_decay=self.weight_decay)
        return Adam(lr=self.lr)

    def train(self, X, y, validation_data=None, seed=0, progress=False):
        """Train a fresh network on ``(X, y)`` with this recipe; ``seed`` seeds the weights, batches and shifts.

        Returns
        -------
        net : MLP
        history : History
            With ``lr``, the learning rate of every epoch, added as an attribute.
        """
        net = self.network(seed)
        opt = self.optimizer()
        schedule = LearningRateSchedule(opt, functools.partial(cosine, lr=self.lr, total=self.epochs))
        augment = functools.partial(random_shifts, max_shift=self.max_shift) if self.max_shift else None
        history = fit(net, X, y, opt, epochs=self.epochs, batch_size=self.batch_size,
                      validation_data=validation_data, callbacks=[schedule], seed=seed + 1000, progress=progress,
                      augment=augment)
        history.lr = list(schedule.lrs)
        return net, history


class RecipeResult(NamedTuple):
    """What :func:`compare_recipes` measured for one recipe: one entry per seed."""

    val_accuracy: np.ndarray
    val_loss: np.ndarray
    histories: list
    seconds: np.ndarray


def compare_recipes(recipes: dict, X, y, validation_data, seeds=(1, 2, 3)) -> dict:
    r"""Train every recipe once per seed on the same data and budget; measure each on the validation data.

    The same seeds for every recipe mean the same initial weights wherever the shapes agree, and the same
    order of mini-batches: the recipes differ only in what they are meant to differ in.

    Parameters
    ----------
    recipes : dict of name -> Recipe
    X, y : the training data
    validation_data : (X_val, y_val)
    seeds : sequence of int

    Returns
    -------
    dict of name -> RecipeResult
        The final validation accuracy and loss of every seed (arrays of shape (len(seeds),)), the histories
        and the training times in seconds.
    """
    if not recipes:
        raise ValueError("give at least one recipe to compare")
    for name, recipe in recipes.items():
        if not isinstance(recipe, Recipe):
            raise TypeError(f"recipe {name!r} must be a Recipe; got {type(recipe).__name__}")
    seeds = list(seeds)
    if not seeds or any(isinstance(s, bool) or not isinstance(s, numbers.Integral) for s in seeds):
        raise ValueError(f"seeds must be a non-empty sequence of integers; got {seeds!r}")
    results = {}
    for name, recipe in recipes.items():
        histories = [recipe.train(X, y, validation_data, seed=s)[1] for s in seeds]
        results[name] = RecipeResult(np.array([h.val_accuracy[-1] for h in histories]),
                                     np.array([h.val_loss[-1] for h in histories]), histories,
                                     np.array([sum(h.seconds) for h in histories]))
    return results


# --- reading the result -----------------------------------------------------------------------------------

def accuracy_interval(correct, n, level=0.95):
    r"""A confidence interval for an accuracy measured as ``correct`` right answers out of ``n``: Wilson's score
    interval (Wilson, 1927).

    Treat each test sample as a coin that comes up "right" with the unknown probability :math:`p`; with
    :math:`\hat p = \text{correct}/n` and :math:`u` the standard normal quantile of the level (1.96 for 95%),

    .. math::
        \frac{\hat p + \frac{u^2}{2n}}{1 + \frac{u^2}{n}} \;\pm\;
        \frac{u}{1 + \frac{u^2}{n}} \sqrt{\frac{\hat p (1 - \hat p)}{n} + \frac{u^2}{4n^2}}

    Close to the familiar :math:`\hat p \pm u\sqrt{\hat p(1 - \hat p)/n}` for large :math:`n`, but it stays
    inside :math:`[0, 1]` and is not empty when :math:`\hat p` is 0 or 1.

    Book: eq-wilson.

    Parameters
    ----------
    correct : int
    n : int
    level : float in (0, 1), default 0.95

    Returns
    -------
    (low, high) : tuple of float
    """
    correct, n = as_int(correct, "correct"), as_int(n, "n", minimum=1)
    if correct > n:
        raise ValueError(f"need 0 <= correct <= n and n >= 1; got correct={correct}, n={n}")
    level = as_scalar(level, "level")
    if not 0 < level < 1:
        raise ValueError(f"level must lie strictly between 0 and 1; got {level}")
    u = NormalDist().inv_cdf(0.5 + level / 2)
    p = correct / n
    denominator = 1 + u * u / n
    centre = (p + u * u / (2 * n)) / denominator
    half = u / denominator * math.sqrt(p * (1 - p) / n + u * u / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def worst_mistakes(P, y, count=None):
    r"""The misclassified samples, the most confident mistakes first.

    A mistake is a sample whose most probable class :math:`\hat y_i = \arg\max_c p_{ic}` is not its label;
    they are sorted by :math:`p_{i\hat y_i}`, the probability the classifier gave its wrong answer.

    Parameters
    ----------
    P : array_like, shape (n, k)
        Predicted probabilities, one row per sample.
    y : array_like of int, shape (n,)
    count : int, optional
        Return only the first ``count``.

    Returns
    -------
    ndarray of int
        Row indices into ``P``.
    """
    P, y = _probabilities(P, y)
    predicted = P.argmax(axis=1)
    wrong = np.flatnonzero(predicted != y)
    order = wrong[np.argsort(-P[wrong, predicted[wrong]], kind="stable")]
    if count is not None:
        order = order[:as_int(count, "count")]
    return order


class ReliabilityBins(NamedTuple):
    r"""What :func:`reliability_bins` returns: arrays of shape (M,) for M bins of confidence, and their edges (M + 1,).

    ``confidence`` and ``accuracy`` are NaN in a bin that holds no sample (``count`` 0).
    """

    edges: np.ndarray
    count: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray


def reliability_bins(P, y, n_bins=10):
    r"""Group predictions by their confidence and compare, bin by bin, the confidence with the accuracy.

    The confidence of a prediction is its largest probability, :math:`\hat p_i = \max_c p_{ic}`. With
    :math:`M` bins :math:`\bigl(\tfrac{m-1}{M}, \tfrac{m}{M}\bigr]`, :math:`m = 1, \dots, M`, and :math:`S_m` the
    samples whose confidence falls in bin :math:`m`,

    .. math::
        \operatorname{conf}(S_m) = \frac{1}{\lvert S_m\rvert} \sum_{i \in S_m} \hat p_i, \qquad
        \operatorname{acc}(S_m) = \frac{1}{\lvert S_m\rvert} \sum_{i \in S_m} \mathbb 1[\hat y_i = y_i]

    A calibrated classifier has :math:`\operatorname{acc} \approx \operatorname{conf}` in every bin: of all
    the answers given with 90% confidence, nine in ten are right (Guo et al., 2017). Plotted against each
    other this is a *reliability diagram*.

    Parameters
    ----------
    P : array_like, shape (n, k)
    y : array_like of int, shape (n,)
    n_bins : int, default 10

    Returns
    -------
    ReliabilityBins
    """
    P, y = _probabilities(P, y)
    n_bins = as_int(n_bins, "n_bins", minimum=1)
    confidence = P.max(axis=1)
    correct = (P.argmax(axis=1) == y).astype(np.float64)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.clip(np.ceil(confidence * n_bins).astype(np.intp) - 1, 0, n_bins - 1)  # (m-1)/M < p <= m/M
    count = np.bincount(which, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        conf = np.bincount(which, weights=confidence, minlength=n_bins) / count
        acc = np.bincount(which, weights=correct, minlength=n_bins) / count
    return ReliabilityBins(edges, count, np.where(count > 0, conf, np.nan), np.where(count > 0, acc, np.nan))


def expected_calibration_error(P, y, n_bins=10) -> float:
    r"""The expected calibration error: the gap between confidence and accuracy, averaged over the bins of
    :func:`reliability_bins` with the share of samples in each as weight.

    .. math::
        \operatorname{ECE} = \sum_{m=1}^{M} \frac{\lvert S_m \rvert}{n}\,
            \bigl\lvert \operatorname{acc}(S_m) - \operatorname{conf}(S_m) \bigr\rvert

    Book: eq-ece.
    """
    bins = reliability_bins(P, y, n_bins)
    n = bins.count.sum()
    used = bins.count > 0
    return float(np.sum(bins.count[used] / n * np.abs(bins.accuracy[used] - bins.confidence[used])))

