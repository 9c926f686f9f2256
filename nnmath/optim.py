r"""Optimizers (chapter 7): one interface, explicit state, defaults from the papers.

Every optimizer is an object with its hyperparameters and its state in plain attributes, and one method:

.. code-block:: python

    opt = Adam(lr=1e-3)
    opt.step(params, grads)   # updates each array of params in place, from the gradient of the same shape

``params`` is a list of float arrays (the weights of a network, or a single point ``[w]`` on a 2-D
surface) and ``grads`` the list of their gradients. The state (a velocity, running averages of the
gradients, the step counter ``t``) is created at the first step with the parameters' shapes and is
visible in ``opt.state``; ``opt.reset()`` forgets it. Every rule acts entry by entry, so stepping a
network's arrays one by one or its whole flat parameter vector at once gives the same numbers.

In every formula :math:`\mathbf w` is a parameter, :math:`\mathbf g = \nabla L(\mathbf w)` its
gradient at the current step, :math:`\eta` the learning rate; products, squares, square roots and
divisions of vectors are taken entry by entry.

The updates are written in place with one scratch buffer per parameter (no new arrays per step), and
every scalar is a Python float, so float32 parameters stay float32 (a numpy float64 scalar would
silently promote them).
"""

from __future__ import annotations

import math

import numpy as np

from ._checks import as_scalar

__all__ = ["Optimizer", "SGD", "Momentum", "Nesterov", "Adagrad", "RMSprop", "Adam", "AdamW",
           "OPTIMIZERS", "make_optimizer"]


def _rate(value, name):
    value = as_scalar(value, name)
    if value <= 0:
        raise ValueError(f"the learning rate {name} must be positive; got {value}")
    return value


def _unit_interval(value, name):
    value = as_scalar(value, name)
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must lie in [0, 1); got {value}")
    return value


class Optimizer:
    """The interface every optimizer shares: ``step(params, grads)``, ``reset()``, ``state``, ``t``.

    Subclasses name their state arrays in ``_state_names`` and write one update rule, ``_update``,
    for a single parameter array.
    """

    _state_names: tuple[str, ...] = ()

    def __init__(self, lr, weight_decay=0.0):
        self.lr = _rate(lr, "lr")
        self.weight_decay = as_scalar(weight_decay, "weight_decay", nonnegative=True)
        self.reset()

    def reset(self) -> None:
        """Forget the state: the next step is step 1 again."""
        self.t = 0
        for name in self._state_names:
            setattr(self, name, [])
        self._slots = []  # per parameter: (scratch buffer, *state arrays), what _update works on
        self._shapes = None

    @property
    def state(self) -> dict:
        """The state as a dict: ``t`` and one list of arrays (one per parameter) for each state variable."""
        return {"t": self.t, **{name: getattr(self, name) for name in self._state_names}}

    def __repr__(self):
        hyper = ", ".join(f"{k}={v!r}" for k, v in vars(self).items()
                          if not k.startswith("_") and k not in ("t", *self._state_names))
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
        couple = self.weight_decay and self._couples_decay
        for w, g, slot in zip(params, grads, self._slots):
            if couple:
                g = g + self.weight_decay * w  # weight decay as an L2 term: its gradient lambda * w joins g
            self._update(w, g, *slot)
        return params

    _couples_decay = True  # False for AdamW, which decays the weights directly

    def _start(self, params, grads):
        self._check_pairs(params, grads)
        for p, g in zip(params, grads):
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f" or not p.flags.writeable:
                raise TypeError("params must be writable float numpy arrays (they are updated in place); "
                                f"got {type(p).__name__} {getattr(p, 'dtype', '')}")
            if not isinstance(g, np.ndarray):
                raise TypeError(f"grads must be numpy arrays; got {type(g).__name__}")
        self._shapes = [p.shape for p in params]
        for name in self._state_names:
            setattr(self, name, [np.zeros_like(p) for p in params])
        buffers = [np.empty_like(p) for p in params]
        self._slots = [(buf, *(getattr(self, name)[i] for name in self._state_names))
                       for i, buf in enumerate(buffers)]

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

    def _update(self, w, g, buf, *state):  # pragma: no cover - every subclass defines it
        """One step for one parameter array ``w`` with gradient ``g``, a scratch ``buf`` and its state arrays."""
        raise NotImplementedError


class SGD(Optimizer):
    r"""Plain (stochastic) gradient descent: a step against the gradient.

    .. math::
        \mathbf w_{t} = \mathbf w_{t-1} - \eta\, \mathbf g_t

    Parameters
    ----------
    lr : float, default 0.01
        :math:`\eta` (no paper prescribes one; 0.01 is the usual starting point, as in Keras). On a
        quadratic whose Hessian has largest eigenvalue :math:`L`, steps converge only for
        :math:`\eta < 2/L` (chapter 5).
    weight_decay : float, default 0
        :math:`\lambda`: adds :math:`\lambda \mathbf w` to the gradient (an L2 penalty
        :math:`\tfrac{\lambda}{2}\lVert \mathbf w \rVert^2`; for SGD the two are the same thing).
    """

    def __init__(self, lr=0.01, weight_decay=0.0):
        super().__init__(lr, weight_decay)

    def _update(self, w, g, buf):
        np.multiply(g, self.lr, out=buf)
        w -= buf  # w <- w - lr g


class Momentum(Optimizer):
    r"""Gradient descent with momentum, the "heavy ball" (Polyak, 1964; Sutskever et al., 2013).

    .. math::
        \mathbf v_t &= \beta\, \mathbf v_{t-1} - \eta\, \mathbf g_t, \qquad \mathbf v_0 = \mathbf 0 \\
        \mathbf w_t &= \mathbf w_{t-1} + \mathbf v_t

    The velocity :math:`\mathbf v` is a decaying sum of past steps: along a direction where the gradient
    keeps its sign, steps grow up to :math:`1/(1-\beta)` times; where it flips, they cancel.

    Parameters
    ----------
    lr : float, default 0.01
    beta : float, default 0.9
        The momentum coefficient :math:`\beta` (0.9 in Sutskever et al., 2013).
    weight_decay : float, default 0

    State: ``velocity`` (one array per parameter).
    """

    _state_names = ("velocity",)

    def __init__(self, lr=0.01, beta=0.9, weight_decay=0.0):
        self.beta = _unit_interval(beta, "beta")
        super().__init__(lr, weight_decay)

    def _update(self, w, g, buf, v):
        v *= self.beta
        np.multiply(g, self.lr, out=buf)
        v -= buf  # v <- beta v - lr g
        w += v  # w <- w + v


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

    Parameters
    ----------
    lr : float, default 0.01
    beta : float, default 0.9
    weight_decay : float, default 0

    State: ``velocity``.
    """

    def _update(self, w, g, buf, v):
        v *= self.beta
        np.multiply(g, self.lr, out=buf)
        v -= buf  # v <- beta v - lr g
        w -= buf  # w <- w - lr g ...
        np.multiply(v, self.beta, out=buf)
        w += buf  # ... + beta v


class Adagrad(Optimizer):
    r"""Adagrad (Duchi, Hazan & Singer, 2011): each parameter's step shrinks with its history of gradients.

    .. math::
        \mathbf G_t &= \mathbf G_{t-1} + \mathbf g_t^2, \qquad \mathbf G_0 = \mathbf 0 \\
        \mathbf w_t &= \mathbf w_{t-1} - \frac{\eta}{\sqrt{\mathbf G_t} + \epsilon}\, \mathbf g_t

    Parameters that see large gradients get small steps and rare ones large steps. Because
    :math:`\mathbf G` only grows, the steps eventually shrink towards zero.

    Parameters
    ----------
    lr : float, default 0.01
        :math:`\eta` (the common default, e.g. in PyTorch and Keras; the paper leaves it free).
    eps : float, default 1e-8
        Guards the division while :math:`\mathbf G` is still 0.
    weight_decay : float, default 0

    State: ``G`` (the sum of squared gradients).
    """

    _state_names = ("G",)

    def __init__(self, lr=0.01, eps=1e-8, weight_decay=0.0):
        self.eps = as_scalar(eps, "eps", positive=True)
        super().__init__(lr, weight_decay)

    def _update(self, w, g, buf, G):
        np.multiply(g, g, out=buf)
        G += buf  # G <- G + g^2
        np.sqrt(G, out=buf)
        buf += self.eps
        np.divide(g, buf, out=buf)
        buf *= self.lr
        w -= buf  # w <- w - lr g / (sqrt(G) + eps)


class RMSprop(Optimizer):
    r"""RMSprop (Tieleman & Hinton, 2012, Coursera lecture 6.5): Adagrad with a forgetting average.

    .. math::
        \mathbf s_t &= \rho\, \mathbf s_{t-1} + (1 - \rho)\, \mathbf g_t^2, \qquad \mathbf s_0 = \mathbf 0 \\
        \mathbf w_t &= \mathbf w_{t-1} - \frac{\eta}{\sqrt{\mathbf s_t} + \epsilon}\, \mathbf g_t

    The running mean of squared gradients :math:`\mathbf s` forgets old gradients, so the steps do not
    die out as Adagrad's do: each parameter moves by roughly :math:`\eta` times the gradient's sign.

    Parameters
    ----------
    lr : float, default 0.001
        :math:`\eta`, as suggested in the lecture.
    rho : float, default 0.9
        :math:`\rho`, the decay of the average (the lecture's 0.9).
    eps : float, default 1e-8
    weight_decay : float, default 0

    State: ``s`` (the running mean of squared gradients).
    """

    _state_names = ("s",)

    def __init__(self, lr=0.001, rho=0.9, eps=1e-8, weight_decay=0.0):
        self.rho = _unit_interval(rho, "rho")
        self.eps = as_scalar(eps, "eps", positive=True)
        super().__init__(lr, weight_decay)

    def _update(self, w, g, buf, s):
        s *= self.rho
        np.multiply(g, g, out=buf)
        buf *= 1.0 - self.rho
        s += buf  # s <- rho s + (1 - rho) g^2
        np.sqrt(s, out=buf)
        buf += self.eps
        np.divide(g, buf, out=buf)
        buf *= self.lr
        w -= buf  # w <- w - lr g / (sqrt(s) + eps)


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2015): momentum on the gradient, RMSprop on its scale, both bias-corrected.

    Algorithm 1 of the paper, with :math:`\mathbf m_0 = \mathbf v_0 = \mathbf 0`:

    .. math::
        \mathbf m_t &= \beta_1 \mathbf m_{t-1} + (1 - \beta_1)\, \mathbf g_t \\
        \mathbf v_t &= \beta_2 \mathbf v_{t-1} + (1 - \beta_2)\, \mathbf g_t^2 \\
        \hat{\mathbf m}_t &= \frac{\mathbf m_t}{1 - \beta_1^t}, \qquad
        \hat{\mathbf v}_t = \frac{\mathbf v_t}{1 - \beta_2^t} \\
        \mathbf w_t &= \mathbf w_{t-1} - \eta\, \frac{\hat{\mathbf m}_t}{\sqrt{\hat{\mathbf v}_t} + \epsilon}

    :math:`\mathbf m` is the first moment (a running mean of :math:`\mathbf g`), :math:`\mathbf v` the second
    (a running mean of :math:`\mathbf g^2`), and the hats are their bias-corrected values.

    Why the bias correction: the averages start at 0, so early on they underestimate. At step 1,
    :math:`\mathbf m_1 = (1-\beta_1)\mathbf g_1 = 0.1\,\mathbf g_1`; dividing by :math:`1 - \beta_1^1 = 0.1`
    gives back :math:`\mathbf g_1`. Without it the first steps would be far too small (or, since
    :math:`1-\beta_2` is even smaller, too large): with correction the first step is
    :math:`\eta\,\mathbf g_1/(\lvert\mathbf g_1\rvert + \epsilon) \approx \eta\,\operatorname{sign}(\mathbf g_1)`.

    The code uses the paper's equivalent rearrangement (end of its section 2), which saves a pass:
    :math:`\eta_t = \eta\sqrt{1-\beta_2^t}/(1-\beta_1^t)`,
    :math:`\hat\epsilon_t = \epsilon\sqrt{1-\beta_2^t}` and
    :math:`\mathbf w_t = \mathbf w_{t-1} - \eta_t\, \mathbf m_t / (\sqrt{\mathbf v_t} + \hat\epsilon_t)`,
    which is the same number.

    Parameters
    ----------
    lr : float, default 0.001
    beta1 : float, default 0.9
    beta2 : float, default 0.999
    eps : float, default 1e-8
        All four are the paper's defaults.
    weight_decay : float, default 0
        :math:`\lambda`, added to the gradient as :math:`\lambda\mathbf w` (an L2 penalty in the loss).
        In Adam that term is then divided by :math:`\sqrt{\hat{\mathbf v}}` like the rest of the gradient, so
        weights with large gradients are decayed less; :class:`AdamW` decays all weights alike.

    State: ``m``, ``v`` (the two moments) and ``t`` (the step count, for the bias correction).
    """

    _state_names = ("m", "v")

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
        self.beta1 = _unit_interval(beta1, "beta1")
        self.beta2 = _unit_interval(beta2, "beta2")
        self.eps = as_scalar(eps, "eps", positive=True)
        super().__init__(lr, weight_decay)

    def _update(self, w, g, buf, m, v):
        b1, b2, t = self.beta1, self.beta2, self.t
        m *= b1
        np.multiply(g, 1.0 - b1, out=buf)
        m += buf  # m <- b1 m + (1 - b1) g
        v *= b2
        np.multiply(g, g, out=buf)
        buf *= 1.0 - b2
        v += buf  # v <- b2 v + (1 - b2) g^2
        correction2 = math.sqrt(1.0 - b2**t)  # math.sqrt: a Python float, so float32 stays float32
        lr_t = self.lr * correction2 / (1.0 - b1**t)
        np.sqrt(v, out=buf)
        buf += self.eps * correction2
        np.divide(m, buf, out=buf)
        buf *= lr_t
        w -= buf  # w <- w - lr m_hat / (sqrt(v_hat) + eps), rearranged


class AdamW(Adam):
    r"""AdamW (Loshchilov & Hutter, 2019): Adam with the weight decay taken out of the gradient.

    .. math::
        \mathbf w_t = \mathbf w_{t-1} - \eta\lambda\, \mathbf w_{t-1}
            - \eta\, \frac{\hat{\mathbf m}_t}{\sqrt{\hat{\mathbf v}_t} + \epsilon}

    with :math:`\hat{\mathbf m}_t, \hat{\mathbf v}_t` as in :class:`Adam`, computed from the plain gradient.
    Every weight shrinks by the same factor :math:`1 - \eta\lambda` per step, whatever its gradient
    history ("decoupled" weight decay); an L2 term in Adam's gradient would instead be rescaled by
    :math:`1/\sqrt{\hat{\mathbf v}}`.

    Parameters
    ----------
    lr, beta1, beta2, eps : as in :class:`Adam`
    weight_decay : float, default 0.01
        :math:`\lambda` (the default of PyTorch's AdamW; the paper tunes it per task).

    State: ``m``, ``v``, ``t``.
    """

    _couples_decay = False

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
        super().__init__(lr, beta1, beta2, eps, weight_decay)

    def _update(self, w, g, buf, m, v):
        if self.weight_decay:
            w *= 1.0 - self.lr * self.weight_decay  # w <- w - lr lambda w
        super()._update(w, g, buf, m, v)


OPTIMIZERS = {cls.__name__.lower(): cls for cls in (SGD, Momentum, Nesterov, Adagrad, RMSprop, Adam, AdamW)}


def make_optimizer(name, **hyperparameters) -> Optimizer:
    """An optimizer from its name (``"sgd"``, ``"momentum"``, ``"nesterov"``, ``"adagrad"``, ``"rmsprop"``,
    ``"adam"``, ``"adamw"``) and keyword hyperparameters; the paper's defaults fill the rest."""
    if not isinstance(name, str):
        raise TypeError(f"optimizer name must be a string such as 'adam', not {type(name).__name__}")
    try:
        cls = OPTIMIZERS[name.lower()]
    except KeyError:
        known = ", ".join(OPTIMIZERS)
        raise ValueError(f"unknown optimizer {name!r}; choose one of: {known}") from None
    return cls(**hyperparameters)
