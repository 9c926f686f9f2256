r"""Optimizers (chapter 7): one interface, explicit named state, defaults from the papers.

Every optimizer is an object with its hyperparameters in plain attributes and one method:

.. code-block:: python

    opt = Adam(lr=1e-3)
    opt.step(params, grads)   # updates each array of params in place, from the gradient of the same shape

``params`` is a list of float arrays (the weights of a network, or a single point ``[w]`` on a 2-D
surface) and ``grads`` the list of their gradients. The state (a velocity, running averages of the
gradients, the step counter ``t``) is created at the first step with the parameters' shapes: one set of
named arrays per parameter, in the symbols of the docstrings (``v``, ``s``, ``m``), visible in ``opt.state``;
``opt.reset()`` forgets it. Every rule acts entry by entry, so stepping a network's arrays one by one or
its whole flat parameter vector at once gives the same numbers.

In every formula :math:`\mathbf w` is a parameter, :math:`\mathbf g_t = \nabla L(\mathbf w_{t-1})` its
gradient at step :math:`t`, :math:`\eta` the learning rate, :math:`\beta` (:math:`\beta_1`, :math:`\beta_2`)
the decay of an exponential moving average and :math:`\epsilon` the small constant in a denominator;
products, squares, square roots and divisions of vectors are taken entry by entry.

Each update is written as its equations, one line each, computed in place with one scratch buffer per
parameter (no new arrays per step); every scalar is a Python float, so float32 parameters stay float32
(a numpy float64 scalar would silently promote them). Two steps are shared: the exponential moving average
:math:`\mathbf a \leftarrow \beta\,\mathbf a + (1 - \beta)\,\mathbf x` of RMSprop and Adam
(``_running_average``), and the scaled step :math:`\mathbf w \leftarrow \mathbf w - \eta\,\mathbf d /
(\sqrt{\mathbf s} + \epsilon)` of Adagrad, RMSprop and Adam (``_scaled_step``).
"""

from __future__ import annotations

import math

import numpy as np

from ._checks import as_scalar, lookup

__all__ = ["Optimizer", "SGD", "Momentum", "Nesterov", "Adagrad", "RMSprop", "Adam", "AdamW",
           "OPTIMIZERS", "make_optimizer"]


# --- the two steps several rules share -------------------------------------------------------------

def _running_average(a, x, beta, scratch):
    r""":math:`\mathbf a \leftarrow \beta\,\mathbf a + (1 - \beta)\,\mathbf x`, in place (``x`` may be ``scratch``)."""
    a *= beta
    np.multiply(x, 1.0 - beta, out=scratch)
    a += scratch


def _scaled_step(w, d, s, lr, eps, scratch):
    r""":math:`\mathbf w \leftarrow \mathbf w - \eta\,\mathbf d / (\sqrt{\mathbf s} + \epsilon)`, in place."""
    np.sqrt(s, out=scratch)
    scratch += eps
    np.divide(d, scratch, out=scratch)
    scratch *= lr
    w -= scratch


def _power(base, t) -> float:
    r""":math:`\beta^t` for a whole number :math:`t \ge 0`, by repeated squaring: at most :math:`2\log_2 t`
    products, with a relative error below about :math:`t\,2^{-53}` (:math:`10^{-13}` at :math:`t = 1000`, far
    below what :math:`\epsilon` changes in Adam's step).

    Adam's bias corrections use it instead of ``base ** t``: a library's ``pow`` may round the last bit of a few
    results differently from one machine (or browser) to another, a product of floats never does, so the static
    book's race (``optimizer_race.js``) takes exactly the same steps as this module.
    """
    result = 1.0
    while t:
        if t & 1:
            result *= base
        base *= base
        t >>= 1
    return result


def _learning_rate(lr) -> float:
    return as_scalar(lr, "the learning rate lr", positive=True)


# --- the interface ----------------------------------------------------------------------------------

class Optimizer:
    """The interface every optimizer shares: ``step(params, grads)``, ``reset()``, ``state``, ``t``.

    A subclass names its state arrays in ``state_names`` (each starts at zero, with the parameter's shape
    and dtype) and writes one update rule for a single parameter array, ``_update(w, g, scratch, **state)``:
    the state arrives by name, e.g. ``def _update(self, w, g, scratch, m, s)`` for Adam.
    """

    #: The names of the state arrays each parameter gets, in the symbols of the docstring.
    state_names: tuple[str, ...] = ()
    #: False for AdamW, which decays the weights directly instead of adding the decay to the gradient.
    couples_decay = True

    def __init__(self, lr, weight_decay=0.0):
        self.lr = _learning_rate(lr)
        self.weight_decay = as_scalar(weight_decay, "weight_decay", nonnegative=True)
        self.reset()

    def reset(self) -> None:
        """Forget the state: the next step is step 1 again."""
        self.t = 0
        self._slots = []  # per parameter: {"scratch": buffer, **named state arrays}
        self._shapes = None

    @property
    def state(self) -> dict:
        """The state as a dict: ``t`` and, for each name in ``state_names``, one array per parameter."""
        return {"t": self.t, **{name: [slot[name] for slot in self._slots] for name in self.state_names}}

    def __repr__(self):
        hyper = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_") and k != "t")
        return f"{type(self).__name__}({hyper})"

    def step(self, params, grads):
        """Update every array of ``params`` in place, one step down its gradient; returns ``params``."""
        if self._shapes is None:
            self._start(params, grads)
        elif len(params) != len(self._shapes) or len(grads) != len(params):
            self._mismatch(params, grads)
        else:
            for p, g, shape in zip(params, grads, self._shapes):
                if p.shape != shape or g.shape != shape:
                    self._mismatch(params, grads)
        self.t += 1
        couple = self.weight_decay and self.couples_decay
        for w, g, slot in zip(params, grads, self._slots):
            if couple:
                g = g + self.weight_decay * w  # weight decay as an L2 term: its gradient lambda w joins g
            self._update(w, g, **slot)
        return params

    def _start(self, params, grads):
        self._check_pairs(params, grads)
        for p, g in zip(params, grads):
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f" or not p.flags.writeable:
                raise TypeError("params must be writable float numpy arrays (they are updated in place); "
                                f"got {type(p).__name__} {getattr(p, 'dtype', '')}")
            if not isinstance(g, np.ndarray):
                raise TypeError(f"grads must be numpy arrays; got {type(g).__name__}")
        self._shapes = [p.shape for p in params]
        self._slots = [{"scratch": np.empty_like(p), **{name: np.zeros_like(p) for name in self.state_names}}
                       for p in params]

    def _mismatch(self, params, grads):
        self._check_pairs(params, grads)
        raise ValueError(f"this optimizer's state was made for parameters of shapes {self._shapes}; "
                         f"got {[np.shape(p) for p in params]}. Call reset() to start over with new parameters")

    @staticmethod
    def _check_pairs(params, grads):
        if isinstance(params, np.ndarray) or isinstance(grads, np.ndarray):
            raise TypeError("params and grads must be lists of arrays, e.g. step([w], [g]) for one array")
        if len(params) != len(grads):
            raise ValueError(f"got {len(params)} parameter arrays but {len(grads)} gradients")
        for i, (p, g) in enumerate(zip(params, grads)):
            if np.shape(p) != np.shape(g):
                raise ValueError(f"gradient {i} has shape {np.shape(g)} but its parameter has shape {np.shape(p)}")
            if not np.all(np.isfinite(g)):
                raise ValueError(f"gradient {i} contains NaN or infinite values (shape {np.shape(g)})")

    def _update(self, w, g, scratch, **state):  # pragma: no cover - every subclass defines it
        """One step for one parameter array ``w`` with gradient ``g``, a ``scratch`` buffer and its named state."""
        raise NotImplementedError


# --- the rules --------------------------------------------------------------------------------------

class SGD(Optimizer):
    r"""Plain (stochastic) gradient descent: a step against the gradient.

    .. math::
        \mathbf w_{t} = \mathbf w_{t-1} - \eta\, \mathbf g_t

    With a weight decay :math:`\lambda` the gradient of the L2 penalty :math:`\tfrac{\lambda}{2}\lVert \mathbf w
    \rVert^2` joins :math:`\mathbf g_t`, and the step shrinks every weight by the factor :math:`1 - \eta\lambda`
    before the usual step:

    .. math::
        \mathbf w_{t} = \mathbf w_{t-1} - \eta\,(\mathbf g_t + \lambda\mathbf w_{t-1})
        = (1 - \eta\lambda)\,\mathbf w_{t-1} - \eta\, \mathbf g_t

    Book: eq-weight-decay.

    Parameters
    ----------
    lr : float, default 0.01
        :math:`\eta` (no paper prescribes one; 0.01 is the usual starting point, as in Keras). On a
        quadratic whose Hessian has largest eigenvalue :math:`\mu_{\max}`, steps converge only for
        :math:`\eta < 2/\mu_{\max}` (chapter 5).
    weight_decay : float, default 0
        :math:`\lambda`: adds :math:`\lambda \mathbf w` to the gradient (an L2 penalty
        :math:`\tfrac{\lambda}{2}\lVert \mathbf w \rVert^2`; for SGD the two are the same thing).

    State: none.
    """

    def __init__(self, lr=0.01, weight_decay=0.0):
        super().__init__(lr, weight_decay)

    def _update(self, w, g, scratch):
        w -= np.multiply(g, self.lr, out=scratch)  # w_t = w_{t-1} - lr g_t


class Momentum(Optimizer):
    r"""Gradient descent with momentum, the "heavy ball" (Polyak, 1964; Sutskever et al., 2013).

    .. math::
        \mathbf v_t &= \beta\, \mathbf v_{t-1} - \eta\, \mathbf g_t, \qquad \mathbf v_0 = \mathbf 0 \\
        \mathbf w_t &= \mathbf w_{t-1} + \mathbf v_t

    Unrolled from :math:`\mathbf v_0 = \mathbf 0`, the velocity is a decaying sum of every gradient so far,

    .. math::
        \mathbf v_t = -\eta \sum_{s=1}^{t} \beta^{\,t-s}\, \mathbf g_s :

    along a direction where the gradient keeps its sign, steps grow up to :math:`1/(1-\beta)` times; where it
    flips, they cancel.

    Book: eq-momentum, eq-velocity-sum.

    Parameters
    ----------
    lr : float, default 0.01
    beta : float, default 0.9
        The momentum coefficient :math:`\beta` (0.9 in Sutskever et al., 2013).
    weight_decay : float, default 0

    State: ``v``, the velocity (one array per parameter).
    """

    state_names = ("v",)

    def __init__(self, lr=0.01, beta=0.9, weight_decay=0.0):
        self.beta = as_scalar(beta, "beta", unit_interval=True)
        super().__init__(lr, weight_decay)

    def _update(self, w, g, scratch, v):
        v *= self.beta
        v -= np.multiply(g, self.lr, out=scratch)  # v_t = beta v_{t-1} - lr g_t
        w += v  # w_t = w_{t-1} + v_t


class Nesterov(Momentum):
    r"""Nesterov accelerated gradient (Nesterov, 1983), in the momentum form of Sutskever et al. (2013).

    Nesterov's idea is to take the gradient at the point the momentum is about to carry us to:

    .. math::
        \mathbf v_t = \beta\, \mathbf v_{t-1} - \eta\, \nabla L(\mathbf w_{t-1} + \beta\, \mathbf v_{t-1}),
        \qquad \mathbf w_t = \mathbf w_{t-1} + \mathbf v_t

    To keep one interface (the gradient at the stored parameters), the parameters stored are the
    look-ahead point :math:`\tilde{\mathbf w} = \mathbf w + \beta \mathbf v`. Then
    :math:`\mathbf g_t = \nabla L(\tilde{\mathbf w}_{t-1})` and the same method reads (Bengio et al., 2013)

    .. math::
        \mathbf v_t &= \beta\, \mathbf v_{t-1} - \eta\, \mathbf g_t \\
        \tilde{\mathbf w}_t &= \tilde{\mathbf w}_{t-1} + \beta\, \mathbf v_t - \eta\, \mathbf g_t

    Book: eq-nesterov, eq-nesterov-stored.

    Parameters
    ----------
    lr : float, default 0.01
    beta : float, default 0.9
    weight_decay : float, default 0

    State: ``v``, the velocity.
    """

    def _update(self, w, g, scratch, v):
        step = np.multiply(g, self.lr, out=scratch)  # lr g_t
        v *= self.beta
        v -= step  # v_t = beta v_{t-1} - lr g_t
        w -= step
        w += np.multiply(v, self.beta, out=scratch)  # w_t = w_{t-1} - lr g_t + beta v_t


class Adagrad(Optimizer):
    r"""Adagrad (Duchi, Hazan & Singer, 2011): each parameter's step shrinks with its history of gradients.

    .. math::
        \mathbf s_t &= \mathbf s_{t-1} + \mathbf g_t^2, \qquad \mathbf s_0 = \mathbf 0 \\
        \mathbf w_t &= \mathbf w_{t-1} - \frac{\eta}{\sqrt{\mathbf s_t} + \epsilon}\, \mathbf g_t

    Parameters that see large gradients get small steps and rare ones large steps. Because the running
    sum of squares :math:`\mathbf s` only grows, the steps eventually shrink towards zero (the paper calls
    it :math:`G`).

    Book: eq-adagrad.

    Parameters
    ----------
    lr : float, default 0.01
        :math:`\eta` (the common default, e.g. in PyTorch and Keras; the paper leaves it free).
    eps : float, default 1e-8
        :math:`\epsilon`, guards the division while :math:`\mathbf s` is still 0.
    weight_decay : float, default 0

    State: ``s``, the sum of squared gradients.
    """

    state_names = ("s",)

    def __init__(self, lr=0.01, eps=1e-8, weight_decay=0.0):
        self.eps = as_scalar(eps, "eps", positive=True)
        super().__init__(lr, weight_decay)

    def _update(self, w, g, scratch, s):
        s += np.multiply(g, g, out=scratch)  # s_t = s_{t-1} + g_t^2
        _scaled_step(w, g, s, self.lr, self.eps, scratch)  # w_t = w_{t-1} - lr g_t / (sqrt(s_t) + eps)


class RMSprop(Optimizer):
    r"""RMSprop (Tieleman & Hinton, 2012, Coursera lecture 6.5): Adagrad with a forgetting average.

    .. math::
        \mathbf s_t &= \beta\, \mathbf s_{t-1} + (1 - \beta)\, \mathbf g_t^2, \qquad \mathbf s_0 = \mathbf 0 \\
        \mathbf w_t &= \mathbf w_{t-1} - \frac{\eta}{\sqrt{\mathbf s_t} + \epsilon}\, \mathbf g_t

    The running mean of squared gradients :math:`\mathbf s` forgets old gradients, so the steps do not
    die out as Adagrad's do: each parameter moves by roughly :math:`\eta` times the gradient's sign.

    Book: eq-rmsprop.

    Parameters
    ----------
    lr : float, default 0.001
        :math:`\eta`, as suggested in the lecture.
    beta : float, default 0.9
        :math:`\beta`, the decay of the average: the lecture's 0.9. Keras calls it ``rho``, PyTorch ``alpha``
        (default 0.99 there).
    eps : float, default 1e-8
    weight_decay : float, default 0

    State: ``s``, the running mean of squared gradients.
    """

    state_names = ("s",)

    def __init__(self, lr=0.001, beta=0.9, eps=1e-8, weight_decay=0.0):
        self.beta = as_scalar(beta, "beta", unit_interval=True)
        self.eps = as_scalar(eps, "eps", positive=True)
        super().__init__(lr, weight_decay)

    def _update(self, w, g, scratch, s):
        _running_average(s, np.multiply(g, g, out=scratch), self.beta, scratch)  # s_t = beta s + (1 - beta) g^2
        _scaled_step(w, g, s, self.lr, self.eps, scratch)  # w_t = w_{t-1} - lr g_t / (sqrt(s_t) + eps)


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2015): momentum on the gradient, RMSprop on its scale, both bias-corrected.

    Algorithm 1 of the paper, with :math:`\mathbf m_0 = \mathbf s_0 = \mathbf 0`:

    .. math::
        \mathbf m_t &= \beta_1 \mathbf m_{t-1} + (1 - \beta_1)\, \mathbf g_t \\
        \mathbf s_t &= \beta_2 \mathbf s_{t-1} + (1 - \beta_2)\, \mathbf g_t^2 \\
        \hat{\mathbf m}_t &= \frac{\mathbf m_t}{1 - \beta_1^t}, \qquad
        \hat{\mathbf s}_t = \frac{\mathbf s_t}{1 - \beta_2^t} \\
        \mathbf w_t &= \mathbf w_{t-1} - \eta\, \frac{\hat{\mathbf m}_t}{\sqrt{\hat{\mathbf s}_t} + \epsilon}

    :math:`\mathbf m` is the first moment (a running mean of :math:`\mathbf g`), :math:`\mathbf s` the second
    (a running mean of :math:`\mathbf g^2`; Kingma & Ba call it :math:`\mathbf v`, which this book keeps for
    momentum's velocity), and the hats are their bias-corrected values.

    Why the bias correction: the averages start at 0, so early on they underestimate. At step 1,
    :math:`\mathbf m_1 = (1-\beta_1)\mathbf g_1 = 0.1\,\mathbf g_1`; dividing by :math:`1 - \beta_1^1 = 0.1`
    gives back :math:`\mathbf g_1`. Without it the first steps would be far too small (or, since
    :math:`1-\beta_2` is even smaller, too large): with correction the first step is
    :math:`\eta\,\mathbf g_1/(\lvert\mathbf g_1\rvert + \epsilon) \approx \eta\,\operatorname{sign}(\mathbf g_1)`.

    The code uses the paper's equivalent rearrangement (end of its section 2), which saves a pass:
    :math:`\eta_t = \eta\sqrt{1-\beta_2^t}/(1-\beta_1^t)`,
    :math:`\hat\epsilon_t = \epsilon\sqrt{1-\beta_2^t}` and
    :math:`\mathbf w_t = \mathbf w_{t-1} - \eta_t\, \mathbf m_t / (\sqrt{\mathbf s_t} + \hat\epsilon_t)`,
    which is the same number.

    Book: eq-adam.

    Parameters
    ----------
    lr : float, default 0.001
    beta1 : float, default 0.9
    beta2 : float, default 0.999
    eps : float, default 1e-8
        All four are the paper's defaults.
    weight_decay : float, default 0
        :math:`\lambda`, added to the gradient as :math:`\lambda\mathbf w` (an L2 penalty in the loss).
        In Adam that term is then divided by :math:`\sqrt{\hat{\mathbf s}}` like the rest of the gradient, so
        weights with large gradients are decayed less; :class:`AdamW` decays all weights alike.

    State: ``m`` and ``s`` (the two moments), and ``t`` (the step count, for the bias correction).
    """

    state_names = ("m", "s")

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
        self.beta1 = as_scalar(beta1, "beta1", unit_interval=True)
        self.beta2 = as_scalar(beta2, "beta2", unit_interval=True)
        self.eps = as_scalar(eps, "eps", positive=True)
        super().__init__(lr, weight_decay)

    def _update(self, w, g, scratch, m, s):
        b1, b2, t = self.beta1, self.beta2, self.t
        _running_average(m, g, b1, scratch)  # m_t = beta1 m_{t-1} + (1 - beta1) g_t
        _running_average(s, np.multiply(g, g, out=scratch), b2, scratch)  # s_t = beta2 s_{t-1} + (1 - beta2) g_t^2
        # w_t = w_{t-1} - lr m_hat / (sqrt(s_hat) + eps), rearranged: math.sqrt keeps a Python float (float32 stays)
        correction2 = math.sqrt(1.0 - _power(b2, t))
        _scaled_step(w, m, s, self.lr * correction2 / (1.0 - _power(b1, t)), self.eps * correction2, scratch)


class AdamW(Adam):
    r"""AdamW (Loshchilov & Hutter, 2019): Adam with the weight decay taken out of the gradient.

    .. math::
        \mathbf w_t = \mathbf w_{t-1} - \eta\lambda\, \mathbf w_{t-1}
            - \eta\, \frac{\hat{\mathbf m}_t}{\sqrt{\hat{\mathbf s}_t} + \epsilon}

    with :math:`\hat{\mathbf m}_t, \hat{\mathbf s}_t` as in :class:`Adam`, computed from the plain gradient.
    Every weight shrinks by the same factor :math:`1 - \eta\lambda` per step, whatever its gradient
    history ("decoupled" weight decay); an L2 term in Adam's gradient would instead be rescaled by
    :math:`1/\sqrt{\hat{\mathbf s}}`.

    Book: eq-adamw.

    Parameters
    ----------
    lr, beta1, beta2, eps : as in :class:`Adam`
    weight_decay : float, default 0.01
        :math:`\lambda` (the default of PyTorch's AdamW; the paper tunes it per task).

    State: ``m``, ``s``, ``t``.
    """

    couples_decay = False

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
        super().__init__(lr, beta1, beta2, eps, weight_decay)

    def _update(self, w, g, scratch, m, s):
        if self.weight_decay:
            w *= 1.0 - self.lr * self.weight_decay  # w <- w - lr lambda w
        super()._update(w, g, scratch, m=m, s=s)


#: The optimizers by name: ``"sgd"``, ``"momentum"``, ``"nesterov"``, ``"adagrad"``, ``"rmsprop"``, ``"adam"``,
#: ``"adamw"``.
OPTIMIZERS = {cls.__name__.lower(): cls for cls in (SGD, Momentum, Nesterov, Adagrad, RMSprop, Adam, AdamW)}


def make_optimizer(name, **hyperparameters) -> Optimizer:
    """An optimizer from its name (``"sgd"``, ``"momentum"``, ``"nesterov"``, ``"adagrad"``, ``"rmsprop"``,
    ``"adam"``, ``"adamw"``) and keyword hyperparameters; the paper's defaults fill the rest."""
    return lookup(OPTIMIZERS, name, "optimizer")(**hyperparameters)
