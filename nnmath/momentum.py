r"""Momentum on a quadratic, exactly (chapter 7): one 2 × 2 linear recurrence per eigen-direction.

On the quadratic :math:`f(\mathbf w) = \tfrac12 (\mathbf w - \mathbf w^*)^\top H (\mathbf w - \mathbf w^*)`
the gradient is :math:`H(\mathbf w - \mathbf w^*)`. In the eigenvector basis of :math:`H`
(eigenvalues :math:`\mu_i`, the curvatures) every coordinate :math:`c` of the error
:math:`\mathbf w - \mathbf w^*` moves on its own, and for the momentum methods it obeys a linear
recurrence of order two,

.. math::
    c_t = (\operatorname{tr}M)\, c_{t-1} - (\det M)\, c_{t-2}, \qquad
    \begin{pmatrix} c_t \\ c_{t-1} \end{pmatrix} = M \begin{pmatrix} c_{t-1} \\ c_{t-2} \end{pmatrix},
    \qquad M = \begin{pmatrix} \operatorname{tr}M & -\det M \\ 1 & 0 \end{pmatrix},

with, for the learning rate :math:`\eta` and the momentum coefficient :math:`\beta`,

* Polyak's heavy ball (:class:`nnmath.optim.Momentum`): :math:`\operatorname{tr}M = 1 + \beta - \eta\mu`,
  :math:`\det M = \beta`;
* Nesterov's method (:class:`nnmath.optim.Nesterov`): :math:`\operatorname{tr}M = (1 + \beta)(1 - \eta\mu)`,
  :math:`\det M = \beta(1 - \eta\mu)`.

The roots :math:`r_{1,2}` of :math:`r^2 - (\operatorname{tr}M)\,r + \det M = 0` (the eigenvalues of :math:`M`)
decide everything: the
mode decays like :math:`\rho^t` with :math:`\rho = \max(|r_1|, |r_2|)`, oscillates when the roots are
complex, and diverges when :math:`\rho > 1`. Plain gradient descent is the case :math:`\beta = 0`
(:math:`\rho = |1 - \eta\mu|`, :func:`nnmath.descent.convergence_factor`).

This module computes those quantities (:func:`mode_matrix`, :func:`mode_roots`, :func:`mode_rate`,
:func:`mode_regime`, :func:`mode_errors`), the worst mode over a Hessian (:func:`convergence_factor`),
the region of :math:`(\eta, \beta)` where the method converges (:func:`lr_limit`), the best tuning
(:func:`optimal_parameters`) and the step count it implies (:func:`steps_to_reduce`). It also writes the
other common convention for the momentum step (:func:`gradient_sum_step`, the one of PyTorch's ``SGD``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._checks import as_array, as_int, as_scalar

__all__ = [
    "METHODS", "mode_coefficients", "mode_matrix", "mode_roots", "mode_rate", "mode_regime", "mode_errors",
    "convergence_factor", "lr_limit", "Tuning", "optimal_parameters", "steps_to_reduce", "effective_lr",
    "stationary_variance", "gradient_sum_step",
]

#: The momentum methods analysed here: Polyak's heavy ball and Nesterov's accelerated gradient.
METHODS = ("heavy_ball", "nesterov")


def _method(method) -> str:
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(repr(m) for m in METHODS)}; got {method!r}")
    return method


def _hyper(lr, beta, mu):
    """Broadcast arrays of η, β, μ, checked: η > 0, 0 ≤ β < 1, μ finite (a negative μ is a direction of ascent)."""
    lr = as_array(lr, "lr", finite=True)
    beta = as_array(beta, "beta", finite=True)
    mu = as_array(mu, "mu", finite=True)
    if np.any(lr <= 0):
        raise ValueError(f"the learning rate lr must be positive; got min {lr.min():.4g}")
    if np.any((beta < 0) | (beta >= 1)):
        raise ValueError(f"beta must lie in [0, 1); got values from {beta.min():.4g} to {beta.max():.4g}")
    try:
        return np.broadcast_arrays(lr.astype(float), beta.astype(float), mu.astype(float))
    except ValueError:
        raise ValueError(f"lr, beta and mu must broadcast together (shapes {lr.shape}, {beta.shape}, "
                         f"{mu.shape})") from None


def mode_coefficients(lr, beta, mu, method="heavy_ball"):
    r"""The trace and determinant of one eigen-mode's step matrix :math:`M`: its recurrence is
    :math:`c_t = (\operatorname{tr}M)\,c_{t-1} - (\det M)\,c_{t-2}`.

    .. math::
        \text{heavy ball: } \operatorname{tr}M = 1 + \beta - \eta\mu,\ \det M = \beta; \qquad
        \text{Nesterov: } \operatorname{tr}M = (1 + \beta)(1 - \eta\mu),\ \det M = \beta(1 - \eta\mu)

    Derivation (heavy ball): with :math:`v_t = \beta v_{t-1} - \eta\mu c_{t-1}` and :math:`c_t = c_{t-1} + v_t`,
    :math:`v_{t-1} = c_{t-1} - c_{t-2}`, so :math:`c_t = c_{t-1} + \beta(c_{t-1} - c_{t-2}) - \eta\mu c_{t-1}`.
    Nesterov takes the gradient at the look-ahead point :math:`y = c_{t-1} + \beta(c_{t-1} - c_{t-2})`:
    :math:`c_t = (1 - \eta\mu)\,y`.

    Book: eq-momentum-mode.

    Parameters
    ----------
    lr, beta, mu : float or array_like, broadcast together
        :math:`\eta > 0`, :math:`0 \le \beta < 1`, the curvature :math:`\mu`.
    method : {"heavy_ball", "nesterov"}

    Returns
    -------
    trace, det : ndarray, the broadcast shape
    """
    lr, beta, mu = _hyper(lr, beta, mu)
    if _method(method) == "heavy_ball":
        return 1.0 + beta - lr * mu, beta.copy()
    shrink = 1.0 - lr * mu  # the gradient at the look-ahead point scales both coefficients
    return (1.0 + beta) * shrink, beta * shrink


def mode_matrix(lr, beta, mu, method="heavy_ball") -> np.ndarray:
    r"""The 2 × 2 matrix that advances one eigen-mode by a step: :math:`(c_t, c_{t-1}) = M (c_{t-1}, c_{t-2})`.

    .. math::
        M = \begin{pmatrix} a & -b \\ 1 & 0 \end{pmatrix}

    with the trace and determinant from :func:`mode_coefficients`. Its eigenvalues are the roots of
    :math:`r^2 - (\operatorname{tr}M)\,r + \det M = 0` (:func:`mode_roots`).

    Parameters
    ----------
    lr, beta, mu : float
    method : {"heavy_ball", "nesterov"}

    Returns
    -------
    ndarray, shape (2, 2)
    """
    for name, value in (("lr", lr), ("beta", beta), ("mu", mu)):
        as_scalar(value, name)
    trace, det = mode_coefficients(lr, beta, mu, method)
    return np.array([[float(trace), -float(det)], [1.0, 0.0]])


def mode_roots(lr, beta, mu, method="heavy_ball") -> np.ndarray:
    r"""The two roots of :math:`r^2 - (\operatorname{tr}M)\,r + \det M = 0`: the eigenvalues of :func:`mode_matrix`.

    .. math::
        r_{1,2} = \frac{\operatorname{tr}M \pm \sqrt{(\operatorname{tr}M)^2 - 4\det M}}{2}

    When :math:`(\operatorname{tr}M)^2 < 4\det M` the roots are complex conjugates with
    :math:`|r_1| = |r_2| = \sqrt{\det M}`: the mode
    oscillates, and for the heavy ball it then decays at the rate :math:`\sqrt\beta` whatever :math:`\eta\mu` is.

    Returns
    -------
    ndarray of complex, shape (..., 2)
        The root of larger modulus first.
    """
    trace, det = mode_coefficients(lr, beta, mu, method)
    root = np.sqrt((trace * trace - 4.0 * det).astype(complex))
    r1, r2 = (trace + root) / 2.0, (trace - root) / 2.0
    swap = np.abs(r2) > np.abs(r1)
    return np.stack([np.where(swap, r2, r1), np.where(swap, r1, r2)], axis=-1)


def mode_rate(lr, beta, mu, method="heavy_ball"):
    r"""The convergence factor of one eigen-mode: the spectral radius of :func:`mode_matrix`.

    .. math::
        \rho(\eta, \beta; \mu) = \max\bigl(|r_1|, |r_2|\bigr)

    After many steps the mode shrinks by :math:`\rho` per step (exactly :math:`|c_t| \le C\rho^t`, with an extra
    factor :math:`t` when the roots coincide). With :math:`\beta = 0` the heavy ball is plain gradient descent
    and :math:`\rho = |1 - \eta\mu|`.

    Returns
    -------
    float or ndarray, the broadcast shape of the inputs
    """
    rate = np.abs(mode_roots(lr, beta, mu, method)[..., 0])
    return float(rate) if rate.ndim == 0 else rate


def mode_regime(lr, beta, mu, method="heavy_ball") -> str:
    r"""What one eigen-mode does, in words, from its roots :math:`r_{1,2}` (:func:`mode_roots`).

    ===============================  ============================================================
    ``"diverges"``                   :math:`\rho \ge 1` (``"stalls"`` if exactly 1 at :math:`\mu = 0`)
    ``"oscillates"``                 complex roots: the mode swings around 0 while it shrinks
    ``"flips sign"``                 real roots, the dominant one negative: sign changes every step
    ``"smooth"``                     real roots, the dominant one positive: a monotone decay
    ===============================  ============================================================
    """
    for name, value in (("lr", lr), ("beta", beta), ("mu", mu)):
        as_scalar(value, name)
    r = mode_roots(lr, beta, mu, method)
    rho = float(np.abs(r[0]))
    if rho >= 1.0 - 1e-12:
        return "stalls" if float(mu) == 0.0 else "diverges"
    if abs(float(r[0].imag)) > 1e-12:
        return "oscillates"
    return "flips sign" if float(r[0].real) < 0 else "smooth"


def mode_errors(lr, beta, mu, steps, c0=1.0, method="heavy_ball") -> np.ndarray:
    r"""One eigen-mode's error :math:`c_t` for :math:`t = 0, \dots, \text{steps}`, from the recurrence of :math:`M`.

    .. math::
        c_t = (\operatorname{tr}M)\, c_{t-1} - (\det M)\, c_{t-2}

    the first row of :math:`(c_t, c_{t-1}) = M (c_{t-1}, c_{t-2})`, so :math:`(c_t, c_{t-1}) = M^t (c_0, c_{-1})`.
    Both methods start at rest (:math:`\mathbf v_0 = \mathbf 0`). For the heavy ball that means
    :math:`c_{-1} = c_0`. For Nesterov the sequence is the one :class:`nnmath.optim.Nesterov` stores, the
    look-ahead point :math:`\tilde c = c + \beta v`; its first step is :math:`\tilde c_1 = (1 - (1 + \beta)\eta\mu)\,
    c_0` and then the recurrence runs from :math:`(\tilde c_1, \tilde c_0)`.

    Computed from the coefficients (:func:`mode_coefficients`), not by running an optimizer, so it is an
    independent check of :mod:`nnmath.optim`. Each step is two products and a difference of floats, rounded the
    same way on every processor (a 2 × 2 matrix product may be fused differently by the BLAS of each machine), and
    by the momentum widget's page in the static book. Values beyond :math:`10^{300}` in size are cut to ±inf (a
    diverging mode).

    Book: eq-momentum-mode.

    Returns
    -------
    ndarray, shape (steps + 1,)
    """
    for name, value in (("lr", lr), ("beta", beta), ("mu", mu)):
        as_scalar(value, name)
    trace, det = (float(v) for v in mode_coefficients(lr, beta, mu, method))
    steps = as_int(steps, "steps")
    c0 = as_scalar(c0, "c0")
    out = np.full(steps + 1, c0)
    if steps == 0:
        return out
    if method == "heavy_ball":
        c, previous, first = c0, c0, 1  # c_0 and c_{-1} = c_0: at rest
    else:
        c, previous, first = (1.0 - (1.0 + float(beta)) * float(lr) * float(mu)) * c0, c0, 2
        out[1] = c
    for t in range(first, steps + 1):
        c, previous = trace * c - det * previous, c  # Python floats: an overflow is inf, never a warning
        if not abs(c) <= 1e300:  # once a mode overflows, every later value is just "infinitely far"
            out[t:] = math.copysign(math.inf, previous)
            break
        out[t] = c
    return out


def _curvatures(H):
    """Eigenvalues of a symmetric positive definite Hessian (ascending), or a 1-D array of them, checked."""
    H = as_array(H, "H", ndim=(1, 2), finite=True)
    if H.ndim == 2:
        if H.shape[0] != H.shape[1]:
            raise ValueError(f"a Hessian is square; got shape {H.shape}")
        if not np.allclose(H, H.T, rtol=1e-10, atol=1e-12):
            raise ValueError("a Hessian is symmetric (H = H^T); this H is not")
        mus = np.linalg.eigvalsh(H)
    else:
        mus = np.sort(H)
    if mus.size == 0:
        raise ValueError("H has no curvatures (empty)")
    if mus[0] <= 0:
        raise ValueError(f"the quadratic has no minimum: every curvature must be positive, the smallest is "
                         f"{mus[0]:.4g}")
    return mus.astype(float)


def convergence_factor(lr, beta, H, method="heavy_ball") -> float:
    r"""The worst eigen-mode's convergence factor on the quadratic with Hessian :math:`H`.

    .. math::
        \rho(\eta, \beta) = \max_i\, \rho(\eta, \beta; \mu_i)

    The error shrinks like :math:`\rho^t` (up to a constant, and a factor :math:`t` at a double root); the
    method converges exactly when :math:`\rho < 1`. With :math:`\beta = 0` this is
    :func:`nnmath.descent.convergence_factor`.

    Parameters
    ----------
    lr, beta : float
    H : array_like, shape (d, d), or its eigenvalues, shape (d,)
        Symmetric positive definite.
    method : {"heavy_ball", "nesterov"}
    """
    mus = _curvatures(H)
    lr, beta = as_scalar(lr, "lr"), as_scalar(beta, "beta")
    return float(np.max(mode_rate(lr, beta, mus, method)))


def lr_limit(beta, mu_max, method="heavy_ball") -> float:
    r"""The largest learning rate for which a momentum method converges on a quadratic with top curvature
    :math:`\mu_\max`: the edge of the :math:`(\eta, \beta)` region.

    By the Jury conditions for :math:`r^2 - (\operatorname{tr}M)\,r + \det M` (both roots inside the unit circle
    exactly when :math:`|\det M| < 1`, :math:`1 - \operatorname{tr}M + \det M > 0` and
    :math:`1 + \operatorname{tr}M + \det M > 0`),

    .. math::
        \text{heavy ball: } 0 < \eta < \frac{2(1 + \beta)}{\mu_\max}, \qquad
        \text{Nesterov: } 0 < \eta < \frac{2(1 + \beta)}{(1 + 2\beta)\,\mu_\max},

    for :math:`0 \le \beta < 1`. At :math:`\beta = 0` both are gradient descent's :math:`2/\mu_\max`; as
    :math:`\beta \to 1` the heavy ball's limit doubles to :math:`4/\mu_\max` and Nesterov's shrinks to
    :math:`4/(3\mu_\max)`.

    Book: eq-momentum-lr-limit, eq-nesterov-lr-limit.
    """
    beta = as_scalar(beta, "beta", unit_interval=True)
    mu_max = as_scalar(mu_max, "mu_max", positive=True)
    if _method(method) == "heavy_ball":
        return 2.0 * (1.0 + beta) / mu_max
    return 2.0 * (1.0 + beta) / ((1.0 + 2.0 * beta) * mu_max)


@dataclass(frozen=True)
class Tuning:
    r"""The best constant hyperparameters of a method on a quadratic, and the convergence factor they give.

    Attributes
    ----------
    lr : float
        :math:`\eta^*`.
    beta : float
        :math:`\beta^*` (0 for plain gradient descent).
    rate : float
        :math:`\rho^*`, the worst mode's factor per step.
    """

    lr: float
    beta: float
    rate: float


def optimal_parameters(H, method="heavy_ball") -> Tuning:
    r"""The :math:`(\eta, \beta)` that make a momentum method fastest on a quadratic of condition number :math:`\kappa`.

    Heavy ball (Polyak, 1964): make both extreme modes critically damped, :math:`(\operatorname{tr}M)^2 = 4\det M`,
    with opposite signs of :math:`\operatorname{tr}M`; then

    .. math::
        \eta^* = \frac{4}{(\sqrt{\mu_\max} + \sqrt{\mu_\min})^2}, \qquad
        \beta^* = \Bigl(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\Bigr)^2, \qquad
        \rho^* = \sqrt{\beta^*} = \frac{\sqrt\kappa - 1}{\sqrt\kappa + 1},

    against gradient descent's best :math:`\rho = (\kappa - 1)/(\kappa + 1)` (:func:`nnmath.descent.optimal_lr`).
    Nesterov's method, tuned for a quadratic (Lessard, Recht & Packard, 2016):

    .. math::
        \eta^* = \frac{4}{3\mu_\max + \mu_\min}, \qquad
        \beta^* = \frac{\sqrt{3\kappa + 1} - 2}{\sqrt{3\kappa + 1} + 2}, \qquad
        \rho^* = 1 - \frac{2}{\sqrt{3\kappa + 1}}.

    Both are checked against a brute-force search over :math:`(\eta, \beta)` in the tests.

    Book: eq-momentum-optimal.

    Parameters
    ----------
    H : array_like, shape (d, d), or its eigenvalues, shape (d,)
    method : {"heavy_ball", "nesterov"}
    """
    mus = _curvatures(H)
    mu_min, mu_max = float(mus[0]), float(mus[-1])
    kappa = mu_max / mu_min
    if _method(method) == "heavy_ball":
        root = math.sqrt(kappa)
        lr = 4.0 / (math.sqrt(mu_max) + math.sqrt(mu_min)) ** 2
        beta = ((root - 1.0) / (root + 1.0)) ** 2
    else:
        q = math.sqrt(3.0 * kappa + 1.0)
        lr = 4.0 / (3.0 * mu_max + mu_min)
        beta = (q - 2.0) / (q + 2.0)
    return Tuning(lr, beta, convergence_factor(lr, beta, mus, method))


def steps_to_reduce(rate, factor=1e-6) -> int:
    r"""How many steps a geometric rate :math:`\rho` needs to shrink an error by ``factor``: the least
    :math:`k` with :math:`\rho^k \le \text{factor}`.

    .. math::
        k = \Bigl\lceil \frac{\ln(\text{factor})}{\ln \rho} \Bigr\rceil

    An estimate from the asymptotic rate: a double root adds a factor :math:`t` (a few more steps).
    """
    rate = as_scalar(rate, "rate", nonnegative=True)
    factor = as_scalar(factor, "factor", positive=True)
    if not factor < 1:
        raise ValueError(f"factor must lie in (0, 1); got {factor}")
    if rate >= 1:
        raise ValueError(f"a rate of {rate:.4g} never shrinks the error (it must be below 1)")
    if rate == 0:
        return 1
    return int(math.ceil(math.log(factor) / math.log(rate) - 1e-12))


def effective_lr(lr, beta) -> float:
    r"""The step momentum takes, per unit of gradient, on a slope that never changes: :math:`\eta/(1 - \beta)`.

    With :math:`\mathbf g_t = \mathbf g` constant, :math:`\mathbf v_t = -\eta\,\mathbf g\,(1 + \beta + \dots +
    \beta^{t-1}) = -\eta\,\mathbf g\,\frac{1 - \beta^t}{1 - \beta} \to -\frac{\eta}{1 - \beta}\,\mathbf g`:
    ten times gradient descent's step at :math:`\beta = 0.9`.
    """
    lr = as_scalar(lr, "lr", positive=True)
    beta = as_scalar(beta, "beta", unit_interval=True)
    return lr / (1.0 - beta)


def stationary_variance(lr, beta, mu, noise) -> float:
    r"""The spread the heavy ball settles into on a noisy parabola: the variance of :math:`c_t` for large :math:`t`.

    Take :math:`f(c) = \tfrac12\mu c^2` and a gradient :math:`\mu c_{t-1} + \xi_t` with independent noise of
    mean 0 and variance :math:`\operatorname{Var}[\xi]` (``noise``), as a mini-batch gives. The heavy ball is then
    the autoregression :math:`c_t = (1 + \beta - \eta\mu) c_{t-1} - \beta c_{t-2} - \eta\xi_t`, whose
    stationary variance (multiply by :math:`c_t`, :math:`c_{t-1}` and take expectations) is

    .. math::
        \operatorname{Var}[c] = \frac{(1 + \beta)\,\eta\operatorname{Var}[\xi]}{(1 - \beta)\,\mu\,
        \bigl(2(1 + \beta) - \eta\mu\bigr)}
        \;\approx\; \frac{\eta}{1 - \beta}\cdot\frac{\operatorname{Var}[\xi]}{2\mu}\quad(\eta\mu \ll 1).

    At :math:`\beta = 0` it is plain SGD's :math:`\eta\operatorname{Var}[\xi]/(\mu(2 - \eta\mu))`. To first order it
    depends on :math:`\eta` and :math:`\beta` only through the effective step :math:`\eta/(1 - \beta)`: momentum does
    not average the noise away; at the same effective step it settles into the same cloud as SGD.

    Book: eq-momentum-noise.

    Parameters
    ----------
    lr, beta : float
        Inside the region of convergence (:func:`lr_limit`).
    mu : float
        :math:`\mu > 0`.
    noise : float
        :math:`\operatorname{Var}[\xi] \ge 0`.
    """
    lr = as_scalar(lr, "lr", positive=True)
    beta = as_scalar(beta, "beta")
    mu = as_scalar(mu, "mu", positive=True)
    noise = as_scalar(noise, "noise", nonnegative=True)
    if not lr < lr_limit(beta, mu):
        raise ValueError(f"lr = {lr:.4g} does not converge for beta = {beta} and mu = {mu} (the limit is "
                         f"{lr_limit(beta, mu):.4g}): there is no stationary spread")
    return (1.0 + beta) * lr * noise / ((1.0 - beta) * mu * (2.0 * (1.0 + beta) - lr * mu))


def gradient_sum_step(w, buffer, g, lr, beta, nesterov=False):
    r"""One momentum step in the *gradient-sum* convention (PyTorch's ``torch.optim.SGD``, no dampening).

    The buffer :math:`\boldsymbol\nu` sums gradients, and the learning rate multiplies it when the step is taken:

    .. math::
        \boldsymbol\nu_t = \beta\,\boldsymbol\nu_{t-1} + \mathbf g_t, \qquad
        \mathbf w_t = \mathbf w_{t-1} - \eta_t\,\boldsymbol\nu_t
        \qquad \bigl(\text{Nesterov: }
        \mathbf w_t = \mathbf w_{t-1} - \eta_t(\mathbf g_t + \beta\,\boldsymbol\nu_t)\bigr)

    :class:`nnmath.optim.Momentum` uses the *velocity* convention of Sutskever et al. (2013),
    :math:`\mathbf v_t = \beta\mathbf v_{t-1} - \eta_t\mathbf g_t`, :math:`\mathbf w_t = \mathbf w_{t-1} + \mathbf v_t`.
    For a constant :math:`\eta` the two are the same method (:math:`\mathbf v = -\eta\,\boldsymbol\nu`); when
    :math:`\eta_t` changes they are not: here a change of :math:`\eta` rescales the whole accumulated velocity
    at once, there it only weighs the new gradients.

    Book: eq-gradient-sum.

    Parameters
    ----------
    w, buffer, g : array_like, the same shape
        The parameters, the gradient buffer :math:`\boldsymbol\nu` (zeros before the first step) and the gradient
        at ``w``.
    lr, beta : float
    nesterov : bool, default False

    Returns
    -------
    w_new, buffer_new : ndarray
        New arrays; the inputs are not changed.
    """
    w = as_array(w, "w", finite=True)
    buffer = as_array(buffer, "buffer", finite=True)
    g = as_array(g, "g", finite=True)
    if not (w.shape == buffer.shape == g.shape):
        raise ValueError(f"w, buffer and g must have the same shape (w: {w.shape}, buffer: {buffer.shape}, "
                         f"g: {g.shape})")
    lr = as_scalar(lr, "lr", positive=True)
    beta = as_scalar(beta, "beta", unit_interval=True)
    buffer_new = beta * buffer + g
    step = g + beta * buffer_new if nesterov else buffer_new
    return w - lr * step, buffer_new
