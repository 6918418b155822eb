r"""Checkers of the backward pass: ``check_gamma_beta`` (notebook 03) and ``check_backward`` (02, 04, 05).

The gradients, in the notation of the course (m = N rows, dy = dout):

.. math::

    \frac{\partial L}{\partial\beta} = \sum_i dy_i,\qquad
    \frac{\partial L}{\partial\gamma} = \sum_i dy_i\,\hat x_i,\qquad
    \frac{\partial L}{\partial x_i} =
        \underbrace{\gamma\,\mathrm{istd}\,dy_i}_{\text{direct}}
        \underbrace{-\,\gamma\,\mathrm{istd}\,\tfrac{1}{m}\textstyle\sum_j dy_j}_{\text{mean term}}
        \underbrace{-\,\gamma\,\mathrm{istd}\,\hat x_i\,\tfrac{1}{m}\textstyle\sum_j dy_j\hat x_j}_{\text{variance term}}

The three terms of dx are the three paths from x_i to the loss: directly
through xhat_i, through the batch mean mu (the mean term) and through the
batch variance var (the variance term).

Diagnosis by mutation: each known mistake changes one piece (the statistics
recomputed from x, a factor in front of all of dx, or the sign or factor of
one term); the checker computes what every single mistake and every pair of
them give on its input, from bnlib's statistics and the terms of
:func:`bncourse.checks.variants.dx_terms`, and names the one the learner's result matches.

Accepted: any correct algebra (staged node by node, compact, other
groupings), in float64 or computed in float32 (float32 results are fine):
each result must agree with :func:`bnlib.batchnorm_backward` to a relative
error of ``TOLERANCE`` = 1e-5 (for dx, relative to the size of its direct term).
"""
import numpy as np

from bnlib.batchnorm import batchnorm_backward, batchnorm_forward
from .core import (
    FLOATS,
    MATCH_TOLERANCE,
    REPRODUCE,
    CheckFailed,
    Mistake,
    as_result_array,
    as_result_tuple,
    call_learner,
    checker_inputs,
    describe_mistakes,
    first_match,
    format_array,
    is_close,
    largest_error,
    mistake_combinations,
    passed,
    without_numpy_warnings,
)
from .variants import dx_terms, statistics

__all__ = ["check_backward", "check_gamma_beta"]

# the batches the checkers use: (N, D, seed); the second catches sizes written as numbers
BATCHES = [(4, 3, 0), (6, 5, 1)]


# ------------------------------------------------------------------ dgamma and dbeta

def shared_parameter_gradient(exercise, name, value, N, D):
    """The gradient of gamma or beta as an array of shape (D,), or CheckFailed naming the shape mistake."""
    try:
        shape = np.shape(value)
    except Exception:
        shape = None
    if shape == (N, D):
        raise CheckFailed(exercise, f"{name} is not summed over the batch: shape {shape}, "
                          f"expected ({D},)", f"every row of the batch uses the same parameter, so {name} "
                          "adds up the contributions of all rows: `.sum(axis=0)`")
    if shape == (N,):
        raise CheckFailed(exercise, f"{name} is summed over the wrong axis: shape {shape}, one value per "
                          f"sample; expected ({D},), one per feature", "sum over the batch, axis=0")
    if shape is not None and len(shape) == 1 and shape[0] not in (N, D):
        raise CheckFailed(exercise, f"{name} has shape {shape}, expected ({D},): one value per feature",
                          "sum over the batch, axis=0, and keep every feature")
    if shape == (D, D) and name == "dgamma":
        raise CheckFailed(exercise, f"dgamma has shape {shape}: a matrix product such as dout.T @ xhat "
                          "multiplies every feature with every other", "you need only matching features: "
                          "(dout * xhat).sum(axis=0)")
    return as_result_array(exercise, name, value, (D,), FLOATS)


def gamma_beta_candidates(dout, expected):
    """``(dgamma, dbeta, problem, hint)`` for the mistakes that change both; ``expected`` is bnlib's pair."""
    dgamma, dbeta = expected
    N = dout.shape[0]
    yield dbeta, dgamma, "dgamma and dbeta are swapped", "dgamma comes first, then dbeta"
    yield dgamma / N, dbeta / N, "dgamma and dbeta are averaged over the batch, not summed", (
        "the gradient of a parameter shared by all rows is the sum of their contributions: "
        "`.sum(axis=0)`, not `.mean(axis=0)`")


def dbeta_candidates(dout, expected, gamma=None):
    """``(dbeta, problem, hint)`` for the known mistakes in dbeta."""
    dgamma, dbeta = expected
    yield dbeta / dout.shape[0], "dbeta is averaged over the batch, not summed", (
        "the gradient of a parameter shared by all rows is the sum of their contributions: "
        "dout.sum(axis=0)")
    yield -dbeta, "a sign error in dbeta", "d out / d beta = +1: dbeta = dout.sum(axis=0)"
    yield dgamma, "dbeta is computed like dgamma, with xhat", (
        "d out / d beta = 1: dbeta = dout.sum(axis=0)")
    if gamma is not None:
        yield gamma * dbeta, "dbeta is multiplied by gamma", "d out / d beta = 1: dbeta = dout.sum(axis=0)"


def dgamma_candidates(dout, xhat, expected, x=None, gamma=None, eps=None):
    """``(dgamma, problem, hint)`` for the known mistakes in dgamma."""
    right = "d out / d gamma = xhat: dgamma = (dout * xhat).sum(axis=0)"
    dgamma, dbeta = expected
    yield dgamma / dout.shape[0], "dgamma is averaged over the batch, not summed", (
        "the gradient of a parameter shared by all rows is the sum of their contributions: "
        "(dout * xhat).sum(axis=0)")
    yield -dgamma, "a sign error in dgamma", right
    yield dout.sum(axis=0) * xhat.sum(axis=0), ("dgamma is the product of two sums, "
                                                "sum(dout) * sum(xhat), not the sum of the products"), (
        "multiply first, then sum: (dout * xhat).sum(axis=0)")
    yield dbeta, "dgamma is missing the factor xhat (that is dbeta)", right
    if gamma is not None:
        yield gamma * dgamma, "dgamma is multiplied by gamma", right
    if x is None:
        return
    yield (dout * x).sum(axis=0), "dgamma computed with x instead of xhat", (
        "out = gamma * xhat + beta, so d out / d gamma is the normalized xhat, not x")
    yield (dout * batch_statistics(x, eps)[0]).sum(axis=0), "dgamma computed with x - mu instead of xhat", (
        "xhat = (x - mu) / sqrt(var + eps): d out / d gamma is xhat")
    for combo in mistake_combinations(STATISTICS_MISTAKES):
        _, _, xhat_wrong = batch_statistics(x, eps, tuple(m.value for m in combo))
        problem, hint = describe_mistakes(combo)
        yield (dout * xhat_wrong).sum(axis=0), f"dgamma uses a wrong xhat: {problem}", hint


def gamma_beta_problem(dout, xhat, dgamma, dbeta, expected, x=None, gamma=None, eps=None):
    """None when dgamma and dbeta are right, else ``(name, problem, hint)`` for the first wrong one.

    ``expected`` is ``(dgamma, dbeta)`` of bnlib's backward pass for this dout and xhat.
    """
    right_dgamma, right_dbeta = is_close(dgamma, expected[0]), is_close(dbeta, expected[1])
    if right_dgamma and right_dbeta:
        return None
    for cand_dgamma, cand_dbeta, problem, hint in gamma_beta_candidates(dout, expected):
        if is_close(dgamma, cand_dgamma, tol=1e-3) and is_close(dbeta, cand_dbeta, tol=1e-3):
            return "dgamma", problem, hint
    if not right_dbeta:
        found = first_match(dbeta, dbeta_candidates(dout, expected, gamma))
        return ("dbeta", *(found or ("wrong values of dbeta (no common mistake matches)",
                                     "dbeta = sum over the batch of dout")))
    found = first_match(dgamma, dgamma_candidates(dout, xhat, expected, x, gamma, eps))
    return ("dgamma", *(found or ("wrong values of dgamma (no common mistake matches)",
                                  "dgamma = sum over the batch of dout * xhat")))


@without_numpy_warnings
def check_gamma_beta(fn):
    r"""Check ``fn(dout, xhat)`` returning ``(dgamma, dbeta)``, each of shape (D,).

    :math:`\partial L/\partial\gamma = \sum_i dy_i\hat x_i`, :math:`\partial L/\partial\beta = \sum_i dy_i`.
    Prints one green line and returns True, or raises CheckFailed naming the likely mistake.
    """
    exercise = "check_gamma_beta"
    for number, (N, D, seed) in enumerate(BATCHES):
        x, gamma, beta, dout, eps = checker_inputs(N, D, seed)
        _, cache = batchnorm_forward(x, gamma, beta, eps)
        xhat = cache.xhat
        _, *expected = batchnorm_backward(dout, cache)      # bnlib's dgamma and dbeta
        result = call_learner(exercise, fn, dout, xhat, names=("dout", "xhat"))
        dgamma, dbeta = as_result_tuple(exercise, result, ["dgamma", "dbeta"])
        dgamma = shared_parameter_gradient(exercise, "dgamma", dgamma, N, D)
        dbeta = shared_parameter_gradient(exercise, "dbeta", dbeta, N, D)
        found = gamma_beta_problem(dout, xhat, dgamma, dbeta, expected)
        if found is None:
            continue
        name, problem, hint = found
        index = ["dgamma", "dbeta"].index(name)
        example = "\n".join([
            f"dout =\n    {format_array(dout)}",
            f"xhat =\n    {format_array(xhat)}",
            f"expected {name} = {format_array(expected[index])}",
            f"your {name}     = {format_array((dgamma, dbeta)[index])}",
            REPRODUCE.format(args=f"{N}, {D}, {seed}" if seed else "")
            + "; xhat = bnlib.batchnorm_forward(x, gamma, beta, eps)[1].xhat",
        ])
        raise CheckFailed(exercise, on_batch(number, N, D, problem), hint, example)
    return passed(exercise, "dgamma = sum(dout * xhat) and dbeta = sum(dout), summed over the batch")


def on_batch(number, N, D, problem):
    """Say so when the first batch passed and only the second one fails."""
    if number == 0:
        return problem
    return (f"right on a 4 x 3 batch but not on a {N} x {D} batch (fixed sizes, or variables from "
            f"outside the function?): {problem}")


# ------------------------------------------------------------------ dx

# Three steps of the statistics recomputed from x can each go wrong, and two at once (an
# unbiased variance with a fixed tiny eps, as in one popular lecture) are named together.
STATISTICS_MISTAKES = [
    Mistake("statistics: variance", "unbiased", "the variance divides by N - 1 (unbiased)",
            "the batch variance divides by m = N (np.var's default, ddof=0)"),
    Mistake("statistics: eps", "sqrt(var) + eps", "eps outside the square root: istd = 1 / (sqrt(var) + eps)",
            "istd = 1 / sqrt(var + eps)"),
    Mistake("statistics: eps", "eps = 0", "eps is not used (no eps, or a fixed tiny one)",
            "use the argument eps (the checker passes eps = 0.1): istd = 1 / sqrt(var + eps)"),
    Mistake("statistics: axis", "axis 1", "statistics over the wrong axis: mean and variance per sample "
            "(axis=1)", "mean and variance are per feature, over the batch: axis=0"),
    Mistake("statistics: axis", "axis None", "statistics over the wrong axis: one mean and variance for the "
            "whole array", "mean and variance are per feature, over the batch: axis=0"),
]

# Term mistakes come before the factor in front, so that a pair of equal effect is named
# as a learner writing the staged form would make it (e.g. both "/ N" forgotten).
DX_MISTAKES = STATISTICS_MISTAKES + [
    Mistake("mean", "0", "dx is missing the mean term (the path through mu)",
            "mu depends on every x_i: add dmu / N, with dmu = -sum(dxhat * istd); in the compact form "
            "the term - sum(dout)"),
    Mistake("mean", "-1", "a sign error in the mean term (the path through mu)",
            "d xhat_i / d mu = -istd, so dmu = -sum(dxhat) * istd, and dx gets + dmu / N"),
    Mistake("mean", "N/(N-1)", "a wrong factor in the mean term: 1/(N - 1) where 1/N belongs",
            "d mu / d x_i = 1/m with m = N"),
    Mistake("mean", "N", "a wrong factor: the mean term is not divided by N",
            "d mu / d x_i = 1/N: dx gets dmu / N"),
    Mistake("variance", "0", "dx is missing the variance term (the path through var)",
            "var depends on every x_i: add dvar * 2 * (x - mu) / N, with "
            "dvar = sum(dxhat * (x - mu)) * (-1/2) * (var + eps)**(-3/2)"),
    Mistake("variance", "-1", "a sign error in the variance term (the path through var)",
            "d (var + eps)**(-1/2) / d var = -1/2 (var + eps)**(-3/2): keep the minus"),
    Mistake("variance", "N/(N-1)", "a wrong factor in the variance term: 2/(N - 1) where 2/N belongs",
            "the biased variance gives d var / d x_i = 2 (x_i - mu) / N"),
    Mistake("variance", "1/2", "a wrong factor in the variance term: 1/N where 2/N belongs",
            "d var / d x_i = 2 (x_i - mu) / N: the 2 comes from the square"),
    Mistake("variance", "2", "a wrong factor: the variance term is twice too large (2/N where 1/N belongs, "
            "or the -1/2 lost)", "the -1/2 of d (var + eps)**(-1/2) and the 2 of d (x - mu)**2 cancel"),
    Mistake("variance", "-2", "a wrong factor: the -1/2 of d (var + eps)**(-1/2) / d var is missing",
            "dvar = sum(dxhat * (x - mu)) * (-1/2) * (var + eps)**(-3/2)"),
    Mistake("variance", "N", "a wrong factor: the variance term is not divided by N",
            "d var / d x_i = 2 (x_i - mu) / N"),
    Mistake("variance", "power -1/2", "the variance term has the wrong power of (var + eps): -1/2 where "
            "-3/2 belongs (or x - mu where xhat belongs)",
            "d (var + eps)**(-1/2) / d var = -1/2 (var + eps)**(-3/2)"),
    Mistake("variance", "power -1", "the variance term has the wrong power of (var + eps): -1 where "
            "-3/2 belongs", "d (var + eps)**(-1/2) / d var = -1/2 (var + eps)**(-3/2)"),
    Mistake("variance", "power -2", "the variance term has the wrong power of (var + eps): -2 where "
            "-3/2 belongs (or xhat where x - mu belongs)", "d (var + eps)**(-1/2) / d var = -1/2 (var + eps)**(-3/2)"),
    Mistake("variance", "sum(dout)", "the variance term uses sum(dout) where sum(dout * xhat) belongs",
            "the variance term is - gamma * istd * xhat * mean(dout * xhat)"),
    Mistake("overall", "1/gamma", "dx is not multiplied by gamma",
            "out = gamma * xhat + beta, so dxhat = dout * gamma: every term of dx carries gamma"),
    Mistake("overall", "-1", "a sign error: dx has the wrong sign throughout",
            "check the sign of each local derivative; the direct term is +gamma * istd * dout"),
    Mistake("overall", "N", "a wrong factor: the 1/N in front of dx is missing",
            "dx = (gamma * istd / N) * (N * dout - sum(dout) - xhat * sum(dout * xhat))"),
    Mistake("overall", "N/(N-1)", "a wrong factor: 1/(N - 1) in front of dx where 1/N belongs",
            "m = N in every factor of the biased batch statistics"),
    Mistake("overall", "1/istd", "dx is not divided by sqrt(var + eps)",
            "xhat = (x - mu) * istd, so every term of dx carries istd = 1 / sqrt(var + eps)"),
    Mistake("direct", "0", "dx is missing the direct term gamma * istd * dout",
            "x_i reaches xhat_i directly too: add dxhat * istd"),
    Mistake("direct", "-1", "a sign error in the direct term gamma * istd * dout",
            "d xhat_i / d x_i = +istd along the direct path"),
    Mistake("direct", "1/istd", "the direct term dxhat * istd is not divided by sqrt(var + eps)",
            "d xhat_i / d x_i = istd = 1 / sqrt(var + eps) along the direct path"),
    Mistake("direct", "1/N", "a wrong factor: the direct term lacks the factor N",
            "in the compact form, N * dout: dx = (gamma * istd / N) * (N * dout - ...)"),
]

FACTORS = {"1": lambda N: 1.0, "0": lambda N: 0.0, "-1": lambda N: -1.0, "1/2": lambda N: 0.5,
           "2": lambda N: 2.0, "-2": lambda N: -2.0, "N": lambda N: N, "1/N": lambda N: 1 / N,
           "N/(N-1)": lambda N: N / (N - 1)}


def batch_statistics(x, eps, hows=()):
    """``(xmu, istd, xhat)`` of x: bnlib's, or as the STATISTICS_MISTAKES named in ``hows`` change them.

    ``hows`` is one value of a mistake (a string) or several (a tuple), e.g. ``("unbiased", "eps = 0")``.
    The mean and the biased variance over the axis (the right one unless a mistake names another)
    are bnlib's; a mistake in the variance or in eps recomputes istd from them.
    """
    hows = (hows,) if isinstance(hows, str) else tuple(hows)
    axis = 1 if "axis 1" in hows else None if "axis None" in hows else 0
    xmu, cache = statistics(x, axis, eps)
    var, istd = cache.var, cache.istd
    if "unbiased" in hows:
        var = var * cache.m / (cache.m - 1)
        istd = 1 / np.sqrt(var + eps)
    if "sqrt(var) + eps" in hows:
        istd = 1 / (np.sqrt(var) + eps)
    elif "eps = 0" in hows:
        istd = 1 / np.sqrt(var)
    return xmu, istd, xmu * istd


def is_statistics(mistake):
    """True for a mistake in the statistics recomputed from x (the others are in the terms of dx)."""
    return mistake.group.startswith("statistics")


def variant_dx(dout, x, gamma, eps, statistics_=(), overall="1", direct="1", mean="1", variance="1"):
    """dx as the mistakes named change it: the three terms of :func:`bncourse.checks.variants.dx_terms`
    (direct, mean term, variance term), each piece chosen by name ("1" leaves it as it is).

    ``statistics_`` names the statistics mistakes, as :func:`batch_statistics` takes them. For the
    mistake table only: the checker's reference is :func:`bnlib.batchnorm_backward`.
    """
    N = x.shape[0]
    _, istd, xhat = batch_statistics(x, eps, statistics_)
    direct_term, mean_term, variance_term = dx_terms(xhat, istd, gamma, dout, N)
    if variance == "power -1/2":
        variance_term = variance_term / istd**2
    elif variance == "power -1":
        variance_term = variance_term / istd
    elif variance == "power -2":
        variance_term = variance_term * istd
    elif variance == "sum(dout)":
        variance_term = xhat * mean_term
    else:
        variance_term = FACTORS[variance](N) * variance_term
    direct_term = direct_term / istd if direct == "1/istd" else FACTORS[direct](N) * direct_term
    dx = direct_term + FACTORS[mean](N) * mean_term + variance_term
    if overall == "1/gamma":
        return dx / gamma
    if overall == "1/istd":
        return dx / istd
    return FACTORS[overall](N) * dx


def dx_candidates(dout, x, gamma, eps):
    """``(dx, combo)`` for every single mistake in DX_MISTAKES, then every pair of them."""
    for combo in mistake_combinations(DX_MISTAKES):
        choices = {m.group: m.value for m in combo if not is_statistics(m)}
        hows = tuple(m.value for m in combo if is_statistics(m))
        yield variant_dx(dout, x, gamma, eps, hows, **choices), combo


def statistics_problem(dout, x, gamma, eps, dx, dgamma, dx_scale):
    """``(problem, hint)`` when dx and dgamma both come from wrongly recomputed statistics, else None.

    One or two statistics mistakes at once, as the forward checker names them.
    """
    for combo in mistake_combinations(STATISTICS_MISTAKES):
        hows = tuple(m.value for m in combo)
        _, _, xhat = batch_statistics(x, eps, hows)
        if (is_close(dgamma, (dout * xhat).sum(axis=0), tol=MATCH_TOLERANCE)
                and is_close(dx, variant_dx(dout, x, gamma, eps, hows), dx_scale, tol=MATCH_TOLERANCE)):
            problem, hint = describe_mistakes(combo)
            return ("the statistics recomputed from x are wrong, so dgamma uses a wrong xhat and dx is "
                    f"off too: {problem}", hint)
    return None


def input_gradient(exercise, value, N, D):
    """dx as an array of shape (N, D), or CheckFailed naming the shape mistake."""
    try:
        shape = np.shape(value)
    except Exception:
        shape = None
    if shape in ((D,), (N,), (1, D)):
        raise CheckFailed(exercise, f"dx has shape {shape}, expected ({N}, {D}), the shape of x",
                          "every entry x_i gets its own gradient: do not sum or average dx over an axis")
    return as_result_array(exercise, "dx", value, (N, D), FLOATS)


def results_in_wrong_order(exercise, results, N, D):
    """CheckFailed when the three results have the right shapes in the wrong order."""
    try:
        shapes = [np.shape(r) for r in results]
    except Exception:
        return
    if shapes[0] != (N, D) and (N, D) in shapes[1:] and (D,) in shapes:
        raise CheckFailed(exercise, f"the results come in the wrong order: shapes {shapes}",
                          "return dx, dgamma, dbeta, in this order")


@without_numpy_warnings
def check_backward(fn):
    r"""Check ``fn(dout, x, gamma, eps)`` returning ``(dx, dgamma, dbeta)``: the whole backward pass.

    .. math::

        \frac{\partial L}{\partial x_i} = \frac{\gamma}{m\sqrt{\sigma_B^2+\epsilon}}
        \Big(m\,dy_i - \sum_j dy_j - \hat x_i \sum_j dy_j\,\hat x_j\Big)

    The function recomputes the forward statistics from x itself. Prints one
    green line and returns True, or raises CheckFailed naming the likely mistake.
    """
    exercise = "check_backward"
    for number, (N, D, seed) in enumerate(BATCHES):
        x, gamma, beta, dout, eps = checker_inputs(N, D, seed)
        result = call_learner(exercise, fn, dout, x, gamma, eps, names=("dout", "x", "gamma", "eps"))
        results = as_result_tuple(exercise, result, ["dx", "dgamma", "dbeta"])
        results_in_wrong_order(exercise, results, N, D)
        dx = input_gradient(exercise, results[0], N, D)
        dgamma = shared_parameter_gradient(exercise, "dgamma", results[1], N, D)
        dbeta = shared_parameter_gradient(exercise, "dbeta", results[2], N, D)

        _, cache = batchnorm_forward(x, gamma, beta, eps)
        expected = dict(zip(["dx", "dgamma", "dbeta"], batchnorm_backward(dout, cache)))
        dx_scale = max(np.abs(gamma * cache.istd * dout).max(), np.abs(expected["dx"]).max())
        right = {"dx": is_close(dx, expected["dx"], dx_scale),
                 "dgamma": is_close(dgamma, expected["dgamma"]),
                 "dbeta": is_close(dbeta, expected["dbeta"])}
        if all(right.values()):
            continue
        statistics_wrong = None if right["dx"] else statistics_problem(dout, x, gamma, eps, dx, dgamma, dx_scale)
        found = None if statistics_wrong else gamma_beta_problem(
            dout, cache.xhat, dgamma, dbeta, (expected["dgamma"], expected["dbeta"]), x, gamma, eps)
        if statistics_wrong:
            name, (problem, hint) = "dx", statistics_wrong
        elif found:
            name, problem, hint = found
        else:
            name = "dx"
            combo = first_match(dx, dx_candidates(dout, x, gamma, eps), dx_scale)
            problem, hint = describe_mistakes(combo[0]) if combo else generic_dx_diagnosis(dx, dx_scale)
        received = {"dx": dx, "dgamma": dgamma, "dbeta": dbeta}[name]
        status = ", ".join(f"{k} {'right' if ok else 'WRONG'}" for k, ok in right.items())
        example = "\n".join([
            f"x =\n    {format_array(x)}",
            f"gamma = {format_array(gamma)}, eps = {eps}",
            f"dout =\n    {format_array(dout)}",
            f"expected {name} =\n    {format_array(expected[name])}",
            f"your {name} =\n    {format_array(received)}",
            largest_error(name, received, expected[name]) + f"   (your results: {status})",
            REPRODUCE.format(args=f"{N}, {D}, {seed}" if seed else ""),
        ])
        raise CheckFailed(exercise, on_batch(number, N, D, problem), hint, example)
    return passed(exercise, "dx, dgamma and dbeta match the reference backward pass")


def generic_dx_diagnosis(dx, scale):
    """No known mistake matches dx: use the fact that every column of a right dx sums to zero."""
    column_sums = dx.sum(axis=0)
    if np.abs(column_sums).max() > 1e-3 * scale:
        return (f"wrong values of dx; its columns sum to {format_array(column_sums)}, and each must sum "
                "to 0 (adding a constant to a feature of x does not change out)",
                "the direct term and the mean term (the path through mu) must balance: "
                "check the mean term and its factor 1/N")
    return ("wrong values of dx (no common mistake matches); each column sums to 0, as it must, "
            "so the mean term is probably right", "check the variance term (the path through var) "
            "step by step against bnlib.batchnorm_backward_staged")
