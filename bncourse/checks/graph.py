r"""Checkers of notebooks 01-03: the batch variance, identity recovery, and single nodes of the graph.

Each checker calls the learner's function on :func:`checker_inputs`, compares with
bnlib's values (the statistics and gradients of its forward and backward passes; a
node's local gradient, which bnlib computes only inside its staged backward pass, is
written out) and, when the answer is wrong, computes what the common wrong formulas
give on the same input ("diagnosis by mutation") to name the mistake.

================================  ==========================================  =========
checker                           the learner's function                       notebook
================================  ==========================================  =========
check_batch_variance              ``fn(x) -> var``                             01
check_identity_parameters         ``fn(x, eps) -> (gamma, beta)``              01
check_istd_backward               ``fn(distd, var, eps) -> dvar``              02
check_xhat_backward               ``fn(dxhat, xmu, istd) -> (dxmu, distd)``    02
check_scale_shift_backward        ``fn(dout, xhat, gamma) -> (dxhat, dgamma,   03
                                  dbeta)``
================================  ==========================================  =========
"""
import numpy as np

from bnlib.batchnorm import batchnorm_backward, batchnorm_forward
from .core import (
    CheckFailed,
    as_result_array,
    as_result_tuple,
    call_learner,
    checker_inputs,
    format_array,
    is_close,
    passed,
    require_close,
)

__all__ = [
    "check_batch_variance",
    "check_identity_parameters",
    "check_istd_backward",
    "check_xhat_backward",
    "check_scale_shift_backward",
]


def forward_cache(x, eps):
    """bnlib's forward cache of x with gamma = 1 and beta = 0: var, istd, xhat and xmu = x - mu."""
    D = x.shape[1]
    return batchnorm_forward(x, np.ones(D), np.zeros(D), eps)[1]


def one_pass_variance(x):
    """E[x^2] - E[x]^2: equal to the variance in exact arithmetic, not in floating point."""
    return (x * x).mean(axis=0) - x.mean(axis=0) ** 2


# ---------------------------------------------------------------- notebook 01

def check_batch_variance(fn):
    r"""``fn(x)`` returns :math:`\sigma_B^2=\frac1m\sum_i(x_i-\mu_B)^2` per feature, shape (D,).

    Any algebra that gives these numbers passes, also the one-pass form
    E[x^2] - E[x]^2 on an ordinary batch. A second batch, with mean 1e8 and
    spread 1, then asks for a *stable* computation: there the one-pass form
    loses every digit (catastrophic cancellation) and is refused.
    """
    exercise = "check_batch_variance"
    x, _, _, _, eps = checker_inputs(N=4, D=3)
    N = x.shape[0]
    var = as_result_array(exercise, "var", call_learner(exercise, fn, x), (3,))
    cache = forward_cache(x, eps)
    expected, xmu = cache.var, cache.xmu
    require_close(exercise, "var", var, expected, [
        (expected * N / (N - 1), "you divided by N - 1 (the unbiased estimate)",
         "the batch variance of BatchNorm divides by m = N, like np.var's default ddof=0"),
        (np.sqrt(expected), "you returned the standard deviation, not the variance",
         "do not take the square root: var is the mean of the squared deviations"),
        ((x * x).mean(axis=0), "you averaged x^2 without subtracting the mean",
         "centre first: square x - mu, then average"),
        ((xmu * xmu).sum(axis=0), "you returned the sum of squares, not its mean",
         "divide by m = N, the number of rows"),
        (xmu.mean(axis=0) ** 2, "you squared the mean deviation (which is 0) instead of "
         "averaging the squared deviations", "square each x_i - mu first, then average"),
    ], f"x =\n    {format_array(x)}\n", fallback=("var has wrong values", "average (x - mu)**2 over the batch axis, axis=0"))

    rng = np.random.default_rng(1)
    x_big = 1e8 + rng.standard_normal((8, 3)) * np.array([0.5, 1.0, 2.0])
    var_big = call_learner(exercise, fn, x_big)
    if getattr(var_big, "dtype", None) == np.float32:
        raise CheckFailed(exercise, "right on an ordinary batch, but this batch, with a mean of 1e8, "
                          "needs float64: float32 keeps about 7 digits, none of them left for a "
                          "spread of 1 around 1e8", "keep the computation in the dtype of x (float64)")
    var_big = as_result_array(exercise, "var", var_big, (3,), dtypes=(np.float64,))
    expected_big = forward_cache(x_big, eps).var
    require_close(exercise, "var", var_big, expected_big, [
        (one_pass_variance(x_big), "right on an ordinary batch, but E[x^2] - E[x]^2 loses every digit "
         "when the mean (1e8) is large against the spread (catastrophic cancellation)",
         "compute it in two passes: first mu, then the mean of (x - mu)**2"),
    ], "x = 1e8 + noise of spread 0.5, 1 and 2 (8 rows)\n",
        fallback=("wrong on a batch with a large mean (1e8)", "subtract the mean before squaring"))
    return passed(exercise, "var is the biased batch variance per feature, stable for a large mean")


def check_identity_parameters(fn):
    r"""``fn(x, eps)`` returns ``(gamma, beta)`` for which BatchNorm gives back its input, y = x.

    :math:`\gamma=\sqrt{\sigma_B^2+\epsilon}` and :math:`\beta=\mu_B` undo the normalization:
    :math:`\gamma\hat x_i+\beta = (x_i-\mu_B)+\mu_B = x_i`.
    """
    exercise = "check_identity_parameters"
    x, _, _, _, eps = checker_inputs(N=4, D=3)
    result = as_result_tuple(exercise, call_learner(exercise, fn, x, eps), ("gamma", "beta"))
    gamma = as_result_array(exercise, "gamma", result[0], (3,))
    beta = as_result_array(exercise, "beta", result[1], (3,))
    cache = forward_cache(x, eps)
    var, std = cache.var, 1 / cache.istd      # gamma = sqrt(var + eps), bnlib's
    mu = x.mean(axis=0)       # beta = mu_B: the exercise's own formula (bnlib's caches keep x - mu, not mu)
    inputs = f"x =\n    {format_array(x)}\neps = {eps}\n"
    require_close(exercise, "beta", beta, mu, [
        (np.zeros(3), "beta = 0 keeps the output centred at 0, not at the mean of x",
         "the shift must put the mean back: beta = mu"),
        (std, "gamma and beta are swapped", "return (gamma, beta) in that order"),
    ], inputs, fallback=("beta has wrong values", "beta must put back the batch mean"))
    require_close(exercise, "gamma", gamma, std, [
        (np.sqrt(var), "you left out eps: sqrt(var) is not quite the divisor of the forward pass",
         "xhat was divided by sqrt(var + eps), so gamma must multiply by exactly that"),
        (1.0 / std, "you returned 1/sqrt(var + eps): that normalizes again instead of undoing it",
         "multiply back by what the forward pass divided by"),
        (var + eps, "you returned var + eps, without the square root",
         "gamma is a standard deviation, sqrt(var + eps)"),
        (np.ones(3), "gamma = 1 leaves the normalized spread", "gamma must rescale by sqrt(var + eps)"),
    ], inputs, fallback=("gamma has wrong values", "gamma must undo the division by sqrt(var + eps)"))
    return passed(exercise, "gamma = sqrt(var + eps), beta = mu: BatchNorm returns its input")


# ---------------------------------------------------------------- notebook 02

def check_istd_backward(fn):
    r"""``fn(distd, var, eps)`` returns dL/dvar through the node :math:`istd = (\sigma_B^2+\epsilon)^{-1/2}`.

    .. math::  \frac{\partial L}{\partial\sigma_B^2}
               = \frac{\partial L}{\partial\, istd}\cdot\Big(-\tfrac12(\sigma_B^2+\epsilon)^{-3/2}\Big)
    """
    exercise = "check_istd_backward"
    x, _, _, dout, eps = checker_inputs(N=4, D=3)
    var = forward_cache(x, eps).var
    distd = dout.sum(axis=0) + np.array([0.4, -1.1, 0.7])
    dvar = as_result_array(exercise, "dvar", call_learner(exercise, fn, distd, var, eps), (3,))
    s = var + eps
    expected = -0.5 * distd * s ** -1.5   # the node's own gradient (bnlib's staged pass computes it inside)
    require_close(exercise, "dvar", dvar, expected, [
        (-0.5 * s ** -1.5, "you returned the local derivative alone, without the incoming "
         "gradient distd", "chain rule: multiply the local derivative by distd"),
        (0.5 * distd * s ** -1.5, "the sign is wrong",
         "istd falls when var grows: d istd / d var is negative"),
        (-0.5 * distd * s ** -0.5, "the exponent is -1/2; the derivative of s^(-1/2) has -3/2",
         "d/ds s^(-1/2) = -1/2 s^(-3/2)"),
        (-distd * s ** -1.5, "the factor 1/2 is missing", "d/ds s^(-1/2) = -1/2 s^(-3/2)"),
        (-0.5 * distd * var ** -1.5, "eps is missing: the node is 1/sqrt(var + eps)",
         "keep eps inside: (var + eps)^(-3/2)"),
        (-distd / s, "you differentiated 1/s instead of 1/sqrt(s)",
         "d/ds s^(-1/2) = -1/2 s^(-3/2)"),
        (-distd / s ** 2, "you differentiated 1/s instead of 1/sqrt(s)",
         "d/ds s^(-1/2) = -1/2 s^(-3/2)"),
    ], f"distd = {format_array(distd)}\nvar   = {format_array(var)}\neps = {eps}\n",
        fallback=("dvar has wrong values", "d istd / d var = -1/2 (var + eps)^(-3/2), times distd"))
    return passed(exercise, "dvar = -1/2 (var + eps)^(-3/2) * distd")


def check_xhat_backward(fn):
    r"""``fn(dxhat, xmu, istd)`` returns ``(dxmu, distd)`` through the node :math:`\hat x_i = xmu_i\cdot istd`.

    .. math::  \frac{\partial L}{\partial\, xmu_i} = d\hat x_i\cdot istd,\qquad
               \frac{\partial L}{\partial\, istd} = \sum_i d\hat x_i\cdot xmu_i

    ``dxmu`` is the contribution of this node only (shape (N, D)); ``distd`` is
    summed over the batch because one istd per feature is shared by all rows.
    """
    exercise = "check_xhat_backward"
    x, gamma, _, dout, eps = checker_inputs(N=4, D=3)
    N, D = x.shape
    cache = forward_cache(x, eps)
    xmu, istd = cache.xmu, cache.istd
    dxhat = dout * gamma
    result = as_result_tuple(exercise, call_learner(exercise, fn, dxhat, xmu, istd), ("dxmu", "distd"))
    shapes = [np.shape(r) for r in result]
    if shapes == [(D,), (N, D)]:
        raise CheckFailed(exercise, "the two results are in the wrong order",
                          "return dxmu (shape (N, D)) first, then distd (shape (D,))")
    dxmu = as_result_array(exercise, "dxmu", result[0], (N, D))
    distd = as_result_array(exercise, "distd", result[1], (D,))
    inputs = f"dxhat =\n    {format_array(dxhat)}\nxmu =\n    {format_array(xmu)}\nistd = {format_array(istd)}\n"
    # the node's own gradients (bnlib's staged backward pass computes them inside only)
    expected_dxmu, expected_distd = dxhat * istd, (dxhat * xmu).sum(axis=0)
    require_close(exercise, "dxmu", dxmu, expected_dxmu, [
        (dxhat * xmu, "dxmu is multiplied by xmu: the gradient of one factor of a product "
         "is the *other* factor", "d(xmu * istd)/d xmu = istd"),
        (dxhat, "dxmu is missing the factor istd", "d(xmu * istd)/d xmu = istd"),
    ], inputs, fallback=("dxmu has wrong values", "dxmu = dxhat * istd"))
    require_close(exercise, "distd", distd, expected_distd, [
        ((dxhat * istd).sum(axis=0), "distd is multiplied by istd: the gradient of one "
         "factor of a product is the *other* factor", "d(xmu * istd)/d istd = xmu"),
        ((dxhat * xmu).mean(axis=0), "you averaged over the batch; the gradients of a shared "
         "value add up", "sum over axis 0, do not divide by N"),
        (dxhat.sum(axis=0), "distd is missing the factor xmu", "d(xmu * istd)/d istd = xmu"),
    ], inputs, fallback=("distd has wrong values", "distd = sum over the batch of dxhat * xmu"))
    return passed(exercise, "dxmu = dxhat * istd, distd = sum_i dxhat_i * xmu_i")


# ---------------------------------------------------------------- notebook 03

def check_scale_shift_backward(fn):
    r"""``fn(dout, xhat, gamma)`` returns ``(dxhat, dgamma, dbeta)`` through :math:`y_i=\gamma\hat x_i+\beta`.

    .. math::  d\hat x_i = dy_i\,\gamma,\qquad
               \frac{\partial L}{\partial\gamma} = \sum_i dy_i\,\hat x_i,\qquad
               \frac{\partial L}{\partial\beta} = \sum_i dy_i

    dxhat keeps the batch axis (each xhat_i is its own variable); dgamma and
    dbeta sum over it (gamma and beta are shared by all rows).
    """
    exercise = "check_scale_shift_backward"
    x, gamma, beta, dout, eps = checker_inputs(N=4, D=3)
    N, D = x.shape
    _, cache = batchnorm_forward(x, gamma, beta, eps)
    xhat = cache.xhat
    result = as_result_tuple(exercise, call_learner(exercise, fn, dout, xhat, gamma),
                             ("dxhat", "dgamma", "dbeta"))
    if np.shape(result[0]) == (D,):
        raise CheckFailed(exercise, "dxhat has shape (D,): you summed it over the batch",
                          "each xhat_i is a separate variable with its own gradient dout_i * gamma: "
                          "dxhat keeps the shape (N, D); only gradients of shared parameters are summed")
    if np.shape(result[1]) == (N, D):
        raise CheckFailed(exercise, "dgamma has shape (N, D): it is missing the sum over the batch",
                          "gamma is shared by all N rows, so the N contributions dout_i * xhat_i add "
                          "up: `.sum(axis=0)`")
    dxhat = as_result_array(exercise, "dxhat", result[0], (N, D))
    dgamma = as_result_array(exercise, "dgamma", result[1], (D,))
    dbeta = as_result_array(exercise, "dbeta", result[2], (D,))
    inputs = f"dout =\n    {format_array(dout)}\nxhat =\n    {format_array(xhat)}\ngamma = {format_array(gamma)}\n"
    # dxhat is the node's own (bnlib's staged pass computes it inside); dgamma and dbeta are bnlib's
    expected = (dout * gamma, *batchnorm_backward(dout, cache)[1:])
    require_close(exercise, "dxhat", dxhat, expected[0], [
        (dout, "dxhat is missing the factor gamma", "dy_i/dxhat_i = gamma"),
        (dout * xhat, "dxhat is multiplied by xhat; that product belongs to dgamma",
         "dy_i/dxhat_i = gamma"),
        (dout / gamma, "you divided by gamma", "dy_i/dxhat_i = gamma: multiply"),
    ], inputs, fallback=("dxhat has wrong values", "dxhat = dout * gamma"))
    require_close(exercise, "dgamma", dgamma, expected[1], [
        (expected[2], "dgamma equals dbeta: the factor xhat is missing", "dy_i/dgamma = xhat_i"),
        ((dout * gamma).sum(axis=0), "dgamma is multiplied by gamma instead of xhat",
         "dy_i/dgamma = xhat_i"),
        ((dout * xhat).mean(axis=0), "you averaged over the batch; the gradients of a shared "
         "parameter add up", "sum over axis 0, do not divide by N"),
    ], inputs, fallback=("dgamma has wrong values", "dgamma = sum over the batch of dout * xhat"))
    require_close(exercise, "dbeta", dbeta, expected[2], [
        (expected[1], "dbeta is multiplied by xhat; that belongs to dgamma", "dy_i/dbeta = 1"),
        (dout.mean(axis=0), "you averaged over the batch; the gradients of a shared "
         "parameter add up", "sum over axis 0, do not divide by N"),
        ((dout * gamma).sum(axis=0), "dbeta is multiplied by gamma", "dy_i/dbeta = 1"),
    ], inputs, fallback=("dbeta has wrong values", "dbeta = sum over the batch of dout"))
    return passed(exercise, "dxhat = dout * gamma (N, D); dgamma, dbeta summed over the batch (D,)")
