r"""Checkers of the derivation notebooks 04 (the input gradient) and 05 (one formula).

* :func:`check_centre_gradient` (04): dL/dc when the layer centres on a given value c, not on the
  batch mean, so that the term through the variance no longer vanishes.
* :func:`check_unbiased_dx` (04): dL/dx_i assembled from the three chain-rule terms for a BatchNorm
  whose variance divides by m - 1.
* :func:`check_symbolic_dx` (05): the compact dL/dx_k as a SymPy expression, proved equal to the
  derivative of the forward pass for every batch size m.
* :func:`check_symbolic_dvar` (12, the appendix): d sigma_B^2 / d x_k as a SymPy expression, for every m.

Each checker compares with the exact answer and, when it differs, with the answers that the common
mistakes give on the same input ("diagnosis by mutation"), to name the mistake. The two NumPy answers
are the exercises' own formulas, written out, since bnlib has no layer centred on a given c and none
with the unbiased variance (that one starts from bnlib's mean and variance); tests/test_checks_derivation.py
holds each equal to bnlib where the two meet (c = mu_B; the unbiased variance as a rescaled gamma and eps).
"""
import numpy as np

from .core import CheckFailed, as_result_array, call_learner, checker_inputs, format_array, passed, require_close
from .variants import statistics

__all__ = ["check_centre_gradient", "check_unbiased_dx", "check_symbolic_dx", "check_symbolic_dvar"]


# ------------------------------------------------------------------ notebook 04, exercise 1

def centre_gradient_terms(dxhat, x, c, eps):
    r"""The two terms of dL/dc (:func:`centre_gradient`), and v and istd = :math:`(v+\epsilon)^{-1/2}`:
    ``(direct, through_var, v, istd)``, for the answer and for its mistakes."""
    m = x.shape[0]
    xc = x - c
    v = (xc ** 2).sum(axis=0) / m
    istd = 1.0 / np.sqrt(v + eps)
    dv = -0.5 * istd ** 3 * (dxhat * xc).sum(axis=0)
    return -dxhat.sum(axis=0) * istd, dv * (-2.0 / m) * xc.sum(axis=0), v, istd


def centre_gradient(dxhat, x, c, eps):
    r"""Reference: dL/dc for :math:`\hat x_i = (x_i-c)/\sqrt{v+\epsilon}`, :math:`v=\frac1m\sum_i(x_i-c)^2`.

    .. math::

        \frac{\partial L}{\partial c} = -\frac{\sum_i d\hat x_i}{\sqrt{v+\epsilon}}
        + \frac{\partial L}{\partial v}\cdot\Big(-\frac2m\sum_i (x_i-c)\Big),\qquad
        \frac{\partial L}{\partial v} = -\frac12 (v+\epsilon)^{-3/2}\sum_i d\hat x_i\,(x_i-c)

    The exercise's own formula (bnlib has no layer centred on a given c). At c = mu_B the term through
    v vanishes, and it is minus the batch sum of bnlib's eval-mode dx with the batch's own statistics.
    """
    direct, through_var, _, _ = centre_gradient_terms(dxhat, x, c, eps)
    return direct + through_var


def check_centre_gradient(fn):
    r"""``fn(dxhat, x, c, eps)`` returns dL/dc, shape (D,), for a layer centred on a given c.

    .. math::

        v = \tfrac1m\textstyle\sum_i (x_i-c)^2,\qquad \hat x_i = \frac{x_i-c}{\sqrt{v+\epsilon}}
    """
    exercise = "check_centre_gradient"
    x, gamma, _, dout, eps = checker_inputs(N=4, D=3, seed=4)
    dxhat = dout * gamma
    c = x.mean(axis=0) + np.array([0.7, -0.4, 1.1])       # a centre that is not the batch mean
    got = as_result_array(exercise, "dc", call_learner(exercise, fn, dxhat, x, c, eps), (3,))
    expected = centre_gradient(dxhat, x, c, eps)
    require_close(exercise, "dc", got, expected, centre_gradient_mistakes(dxhat, x, c, eps),
                  f"for c = {format_array(c)}\n",
                  fallback=("wrong values", "two paths lead from c to L: through every x-hat_i directly, "
                            "and through v; add both"))
    return passed(exercise, "dL/dc has both terms, the direct one and the one through the variance")


def centre_gradient_mistakes(dxhat, x, c, eps):
    """``(dc, problem, hint)`` for the common mistakes in dL/dc."""
    m = x.shape[0]
    direct, through_var, v, istd = centre_gradient_terms(dxhat, x, c, eps)
    mean_centred = centre_gradient(dxhat, x, x.mean(axis=0), eps)
    return [
        (direct, "you dropped the term through the variance",
         "it vanishes only when the centre is the batch mean: here sum_i (x_i - c) is not 0, "
         "so dL/dv * dv/dc stays"),
        (direct - through_var, "the term through the variance has the wrong sign",
         "dv/dc = -(2/m) sum_i (x_i - c): the minus comes from the inner derivative of (x_i - c)^2"),
        (mean_centred, "you centred on the batch mean, not on c",
         "use x - c everywhere (in x-hat and in v); c is not x.mean(axis=0) here"),
        (direct - 2.0 * through_var, "dL/dv is missing its factor -1/2",
         "d (v + eps)^(-1/2) / dv = -(1/2) (v + eps)^(-3/2)"),
        (direct + 2.0 * through_var, "dL/dv is missing its factor 1/2",
         "d (v + eps)^(-1/2) / dv = -(1/2) (v + eps)^(-3/2)"),
        (direct + through_var * (v + eps), "dL/dv uses the power -1/2 instead of -3/2",
         "differentiate (v + eps)^(-1/2): the exponent drops by one, to -3/2"),
        (direct + through_var * istd, "dL/dv uses x-hat where it needs x - c",
         "dx-hat_i/dv = -(1/2)(x_i - c)(v + eps)^(-3/2)"),
        (direct + through_var * m / (m - 1), "you divided by m - 1", "v divides by m, so dv/dc has 2/m"),
    ]


# ------------------------------------------------------------------ notebook 04, exercise 2

def unbiased_statistics(x, eps):
    r"""``(xmu, istd)``: bnlib's :math:`x-\mu_B`, and :math:`1/\sqrt{s^2+\epsilon}` with
    :math:`s^2=\frac{1}{m-1}\sum_i (x_i-\mu_B)^2`, bnlib's biased variance times m/(m - 1)."""
    m = x.shape[0]
    xmu, cache = statistics(x, 0, eps)
    return xmu, 1.0 / np.sqrt(cache.var * m / (m - 1) + eps)


def unbiased_forward(x, gamma, beta, eps):
    r"""BatchNorm whose variance divides by m - 1: :math:`s^2=\frac{1}{m-1}\sum_i (x_i-\mu_B)^2`."""
    xmu, istd = unbiased_statistics(x, eps)
    return gamma * xmu * istd + beta


def unbiased_terms(dout, x, gamma, eps):
    r"""The pieces of :func:`unbiased_dx`, for the answer and for its mistakes:
    ``(direct, through_s2, dmu)`` = :math:`(d\hat x_i/\sqrt{s^2+\epsilon},\;
    \partial L/\partial s^2\cdot(x_i-\mu_B),\; \partial L/\partial\mu_B)`."""
    xmu, istd = unbiased_statistics(x, eps)
    dxhat = dout * gamma
    ds2 = -0.5 * istd ** 3 * (dxhat * xmu).sum(axis=0)
    dmu = -istd * dxhat.sum(axis=0)
    return dxhat * istd, ds2 * xmu, dmu


def unbiased_dx(dout, x, gamma, eps):
    r"""dL/dx_i of :func:`unbiased_forward` by the three chain-rule terms.

    .. math::

        \frac{\partial L}{\partial x_i} = \frac{d\hat x_i}{\sqrt{s^2+\epsilon}}
        + \frac{\partial L}{\partial s^2}\,\frac{2(x_i-\mu_B)}{m-1}
        + \frac{\partial L}{\partial \mu_B}\,\frac1m

    The exercise's own formula (bnlib has no BatchNorm with the unbiased variance). It is bnlib's dx
    for gamma * sqrt((m-1)/m) and eps * (m-1)/m, the same function of x (a test holds the two equal).
    """
    m = x.shape[0]
    direct, through_s2, dmu = unbiased_terms(dout, x, gamma, eps)
    return direct + through_s2 * 2.0 / (m - 1) + dmu / m


def check_unbiased_dx(fn):
    r"""``fn(dout, x, gamma, eps)`` returns dL/dx, shape (N, D), of BatchNorm with the unbiased variance.

    .. math::  s^2 = \tfrac{1}{m-1}\textstyle\sum_i (x_i-\mu_B)^2,\qquad
               y_i = \gamma\,(x_i-\mu_B)/\sqrt{s^2+\epsilon} + \beta
    """
    exercise = "check_unbiased_dx"
    x, gamma, _, dout, eps = checker_inputs(N=4, D=3, seed=5)
    N, D = x.shape
    got = as_result_array(exercise, "dx", call_learner(exercise, fn, dout, x, gamma, eps), (N, D))
    expected = unbiased_dx(dout, x, gamma, eps)
    m = N
    direct, through_s2, dmu = unbiased_terms(dout, x, gamma, eps)
    require_close(exercise, "dx", got, expected, [
        (direct + through_s2 * 2.0 / m + dmu / m,
         "the variance term uses 2/m: that is dsigma^2/dx_i of the biased variance",
         "here the variance divides by m - 1, so ds^2/dx_i = 2 (x_i - mu) / (m - 1)"),
        (direct + through_s2 * 2.0 / (m - 1) + dmu / (m - 1),
         "the mean term uses 1/(m - 1)", "the mean still divides by m: dmu/dx_i = 1/m"),
        (direct + through_s2 * 2.0 / (m - 1), "the term through the mean is missing",
         "add dL/dmu * dmu/dx_i = dL/dmu / m"),
        (direct + dmu / m, "the term through the variance is missing",
         "add dL/ds^2 * ds^2/dx_i"),
        (direct,
         "only the direct term is there", "x_i also reaches L through the mean and the variance"),
        (direct + through_s2 / (m - 1) + dmu / m,
         "the variance term lacks the factor 2", "d (x_i - mu)^2 / dx_i = 2 (x_i - mu)"),
        (unbiased_dx(dout / gamma, x, gamma, eps), "gamma is missing", "dL/dx-hat_i = gamma * dy_i"),
    ], example=(f"expected dx[:, 0] = {format_array(expected[:, 0])}\n"
                f"your dx[:, 0]     = {format_array(got[:, 0])}"),
        fallback=("wrong values", "assemble dx_i = dx-hat_i/sqrt(s^2+eps) + dL/ds^2 * ds^2/dx_i "
                  "+ dL/dmu * dmu/dx_i, each piece for the variance that divides by m - 1"))
    return passed(exercise, "dx of the unbiased-variance BatchNorm: all three terms right")


# ------------------------------------------------------------------ notebook 05, exercise 2

def _symbolic_candidates():
    """The exact dL/dx_k for any m, and the wrong formulas a learner may write, with diagnoses."""
    import sympy as sp
    from .. import symbolic as s

    istd = 1 / sp.sqrt(s.batch_variance() + s.eps)
    sum_dy = s.batch_sum(s.dy[s.j], s.j)
    sum_dy_xhat = s.batch_sum(s.dy[s.j] * s.normalized(s.j), s.j)
    xhat_k = s.normalized(s.k)

    def compact(scale=s.gamma * istd / s.m, size=s.m, mean_term=1, var_term=1):
        return scale * (size * s.dy[s.k] - mean_term * sum_dy - var_term * xhat_k * sum_dy_xhat)

    exact = s.batch_sum(s.dy[s.i] * (s.gamma * s.normalized(s.i) + s.beta), s.i).diff(s.x[s.k])
    wrong = [
        (compact(var_term=0), "the term with x-hat_k * sum_j dy_j x-hat_j is missing",
         "it is what the variance path leaves after simplification"),
        (compact(mean_term=0), "the term -sum_j dy_j is missing", "it is what the mean path leaves"),
        (compact(var_term=-1), "the x-hat term has the wrong sign", "both sums are subtracted"),
        (compact(scale=s.gamma * istd / (s.m - 1), size=s.m - 1), "you used m - 1 for the batch size",
         "the batch variance of the course divides by m"),
        (compact(scale=istd / s.m), "gamma is missing", "dL/dx-hat_i = gamma dy_i"),
        (compact(scale=s.gamma * istd ** 3 / s.m), "the scale is gamma / sqrt(var + eps)^3",
         "the common factor is gamma / (m sqrt(var + eps))"),
    ]
    return exact, wrong


def check_symbolic_dx(fn):
    r"""``fn()`` returns a SymPy expression for dL/dx_k, in the names of :mod:`bncourse.symbolic`.

    It must equal the derivative of :math:`L=\sum_i dy_i\,(\gamma\hat x_i+\beta)` with respect to
    ``x[k]`` for every batch size m; the proof is :func:`bncourse.symbolic.equal_for_any_m`.
    """
    import sympy as sp
    from .. import symbolic as s

    exercise = "check_symbolic_dx"
    expr = call_learner(exercise, fn)
    if not isinstance(expr, sp.Expr):
        raise CheckFailed(exercise, f"expected a SymPy expression, got {type(expr).__name__}",
                          "build it from the names of bncourse.symbolic: batch_sum, normalized, dy, "
                          "gamma, m, eps, k")
    if expr.has(s.mu) or expr.has(s.var):
        raise CheckFailed(exercise, "the expression uses the display symbols mu_B or sigma_B^2",
                          "write the statistics as batch_mean() and batch_variance(), so that "
                          "they depend on x")
    if not expr.has(s.dy[s.k]):
        raise CheckFailed(exercise, "the expression does not contain dy[k]",
                          "it is the gradient for sample k: use dy[k] and normalized(k); sum over j")
    exact, wrong = _symbolic_candidates()
    return _judge_for_any_m(exercise, expr, exact, wrong,
                            "your dL/dx_k equals the derivative of the forward pass for every m",
                            ("not equal to dL/dx_k for every m",
                             "start from gamma / (m sqrt(var + eps)) times three terms: m dy_k, a sum of dy, "
                             "and x-hat_k times a sum of dy x-hat"))


def _judge_for_any_m(exercise, expr, exact, wrong, what, otherwise):
    """Pass when ``expr`` equals ``exact`` for every m; else name the first ``(candidate, problem, hint)``
    of ``wrong`` it equals, or fail with ``otherwise`` = (problem, hint)."""
    from .. import symbolic as s

    try:
        if s.equal_for_any_m(expr, exact):
            return passed(exercise, what)
        for candidate, problem, hint in wrong:
            if s.equal_for_any_m(expr, candidate):
                raise CheckFailed(exercise, problem, hint)
    except (ValueError, TypeError) as exc:
        raise CheckFailed(exercise, f"the expression cannot be reduced: {exc}",
                          "sum over j from 1 to m with batch_sum(..., j)") from None
    raise CheckFailed(exercise, *otherwise)


# ------------------------------------------------------------------ notebook 12 (appendix), exercise 1

def _require_symbolic_in_x(exercise, expr):
    """Refuse what is not a SymPy expression in x[k] built from the names of bncourse.symbolic."""
    import sympy as sp
    from .. import symbolic as s

    if not isinstance(expr, sp.Expr):
        raise CheckFailed(exercise, f"expected a SymPy expression, got {type(expr).__name__}",
                          "build it from the names of bncourse.symbolic: x, k, j, m, batch_sum, batch_mean")
    if expr.has(s.mu) or expr.has(s.var):
        raise CheckFailed(exercise, "the expression uses the display symbols mu_B or sigma_B^2",
                          "write the mean as batch_mean(), so that it depends on x")
    if not expr.has(s.k):
        raise CheckFailed(exercise, "the expression does not contain x[k] (no index k)",
                          "the derivative with respect to x_k depends on x_k itself")


def check_symbolic_dvar(fn):
    r"""``fn()`` returns :math:`\partial\sigma_B^2/\partial x_k` as a SymPy expression for every batch size m.

    .. math:: \sigma_B^2 = \frac1m\sum_j (x_j-\mu_B)^2,\qquad
              \frac{\partial\sigma_B^2}{\partial x_k} = \frac{2}{m}(x_k-\mu_B)

    proved with :func:`bncourse.symbolic.equal_for_any_m`.
    """
    from .. import symbolic as s

    exercise = "check_symbolic_dvar"
    expr = call_learner(exercise, fn)
    _require_symbolic_in_x(exercise, expr)
    centred = s.x[s.k] - s.batch_mean()
    wrong = [
        (centred / s.m, "the factor 2 is missing", "d (x_k - mu_B)^2 / d x_k = 2 (x_k - mu_B)"),
        (2 * centred / (s.m - 1), "you divided by m - 1",
         "the batch variance of the course divides by m"),
        (2 * s.x[s.k] / s.m, "the mean is missing: 2 x_k / m",
         "the path through mu_B adds 0 (sum_j (x_j - mu_B) = 0), but x_k - mu_B stays as it is"),
        (2 * centred, "the factor 1/m is missing", "sigma_B^2 is a mean: every square has weight 1/m"),
        (-2 * centred / s.m, "the sign is wrong", "sigma_B^2 grows when x_k moves away from the mean"),
    ]
    return _judge_for_any_m(exercise, expr, s.batch_variance().diff(s.x[s.k]), wrong,
                            "your d sigma_B^2 / d x_k equals the derivative for every m",
                            ("not equal to d sigma_B^2 / d x_k for every m",
                             "the variance is (1/m) sum_j (x_j - mu_B)^2: differentiate one square, "
                             "and the sum of the others through mu_B"))
