r"""Checker of the forward pass (notebook 01): ``check_forward``.

The learner writes ``forward(x, gamma, beta, eps)`` returning

.. math::

    y_i = \gamma\,\frac{x_i-\mu_B}{\sqrt{\sigma_B^2+\epsilon}} + \beta,\qquad
    \mu_B = \tfrac{1}{m}\textstyle\sum_i x_i,\quad
    \sigma_B^2 = \tfrac{1}{m}\textstyle\sum_i (x_i-\mu_B)^2 .

Diagnosis by mutation: the forward pass is a few choices (the axis of the
statistics, the variance, the centring, the denominator, the scale and shift).
Each known mistake changes one choice; the checker computes what every single
mistake, and every pair of them, gives on its input (from bnlib's mean and
variance over the axis chosen) and names the one the learner's ``out`` matches.

Accepted: any correct algebra (``np.var``, ``np.std``, two-pass or one-pass
variance, ``keepdims``) in float64, or computed in float32 (a float32 result is
fine): results must agree with :func:`bnlib.batchnorm_forward` to a relative
error of ``TOLERANCE`` = 1e-5.
"""
import numpy as np

from bnlib.batchnorm import batchnorm_forward
from .core import (
    FLOATS,
    REPRODUCE,
    CheckFailed,
    Mistake,
    as_result_array,
    call_learner,
    checker_inputs,
    describe_mistakes,
    first_match,
    format_array,
    is_close,
    largest_error,
    mistake_combinations,
    passed,
    relative_error,
    without_numpy_warnings,
)
from .variants import statistics

__all__ = ["check_forward"]

EXERCISE = "check_forward"
# the batches the checker uses: (N, D, seed); the second catches sizes written as numbers
BATCHES = [(4, 3, 0), (6, 5, 1)]

RIGHT = dict(axis=0, variance="biased", centre=True, denominator="sqrt(var + eps)",
             affine="gamma * xhat + beta")

MISTAKES = [
    Mistake("axis", 1, "statistics over the wrong axis: one mean and variance per sample (axis=1) "
            "instead of per feature", "BatchNorm normalizes each feature (column) over the batch: "
            "reduce over axis=0"),
    Mistake("axis", None, "statistics over the wrong axis: one mean and variance for the whole array "
            "instead of one per feature",
            "give each feature (column) its own statistics: reduce over axis=0"),
    Mistake("variance", "unbiased", "unbiased variance: you divided by N - 1",
            "the batch variance of training mode divides by m = N: np.var's default ddof=0"),
    Mistake("variance", "std", "the standard deviation is used where the variance belongs",
            "sqrt(var + eps) needs var = mean((x - mu)**2), not np.std"),
    Mistake("variance", "uncentred", "the variance is the mean of x**2, without subtracting the mean",
            "var = mean((x - mu)**2, axis=0)"),
    Mistake("centre", False, "the mean is not subtracted: x / sqrt(var + eps)",
            "xhat = (x - mu) / sqrt(var + eps)"),
    Mistake("denominator", "sqrt(var) + eps", "eps outside the square root: you divided by sqrt(var) + eps",
            "eps belongs inside the square root: sqrt(var + eps)"),
    Mistake("denominator", "/ sqrt(var) + eps", "eps outside the square root and outside the division: "
            "(x - mu) / sqrt(var) + eps", "eps belongs inside the square root, and the division needs "
            "brackets: (x - mu) / np.sqrt(var + eps)"),
    Mistake("denominator", "eps = 0", "eps is not used: no eps, or a fixed small one instead of the "
            "argument eps", "use the argument eps (the checker passes eps = 0.1): sqrt(var + eps)"),
    Mistake("denominator", "var + eps", "no square root: you divided by var + eps",
            "divide by the standard deviation, sqrt(var + eps)"),
    Mistake("denominator", "times", "multiplied by sqrt(var + eps) instead of dividing",
            "xhat = (x - mu) / sqrt(var + eps)"),
    Mistake("denominator", "1", "x - mu is not divided by the standard deviation",
            "xhat = (x - mu) / sqrt(var + eps)"),
    Mistake("affine", "xhat", "you returned xhat instead of out: gamma and beta are not applied",
            "finish with out = gamma * xhat + beta"),
    Mistake("affine", "xhat + beta", "gamma is ignored: out = xhat + beta",
            "scale by gamma: out = gamma * xhat + beta"),
    Mistake("affine", "gamma * xhat", "beta is ignored: out = gamma * xhat",
            "add the shift: out = gamma * xhat + beta"),
    Mistake("affine", "beta * xhat + gamma", "gamma and beta are swapped: out = beta * xhat + gamma",
            "gamma scales and beta shifts: out = gamma * xhat + beta"),
    Mistake("affine", "gamma * (xhat + beta)", "beta is added before scaling: gamma * (xhat + beta)",
            "scale first, then shift: out = gamma * xhat + beta"),
    Mistake("affine", "gamma * xhat - beta", "a sign error: beta is subtracted",
            "out = gamma * xhat + beta"),
    Mistake("affine", "gamma * x + beta", "gamma and beta are applied to x, not to xhat",
            "out = gamma * xhat + beta, with the normalized xhat"),
]


def variant_forward(x, gamma, beta, eps, axis=0, variance="biased", centre=True,
                    denominator="sqrt(var + eps)", affine="gamma * xhat + beta"):
    """The forward pass with each step chosen by name, for the mistakes (RIGHT names the right choices).

    x - mu and the biased variance over ``axis`` are bnlib's (:func:`bnlib.normalize_forward`); each
    mistake changes one step after them. The checker's reference is :func:`bnlib.batchnorm_forward`.
    """
    xmu, cache = statistics(x, axis, eps)
    var = {"biased": lambda: cache.var,
           "unbiased": lambda: cache.var * cache.m / (cache.m - 1),
           "std": lambda: np.sqrt(cache.var),
           "uncentred": lambda: (x**2).mean(axis=axis, keepdims=True),
           }[variance]()
    numerator = xmu if centre else x
    xhat = {
        "sqrt(var + eps)": lambda: numerator / np.sqrt(var + eps),
        "sqrt(var) + eps": lambda: numerator / (np.sqrt(var) + eps),
        "/ sqrt(var) + eps": lambda: numerator / np.sqrt(var) + eps,
        "eps = 0": lambda: numerator / np.sqrt(var),
        "var + eps": lambda: numerator / (var + eps),
        "times": lambda: numerator * np.sqrt(var + eps),
        "1": lambda: numerator,
    }[denominator]()
    return {
        "gamma * xhat + beta": lambda: gamma * xhat + beta,
        "xhat": lambda: xhat,
        "xhat + beta": lambda: xhat + beta,
        "gamma * xhat": lambda: gamma * xhat,
        "beta * xhat + gamma": lambda: beta * xhat + gamma,
        "gamma * (xhat + beta)": lambda: gamma * (xhat + beta),
        "gamma * xhat - beta": lambda: gamma * xhat - beta,
        "gamma * x + beta": lambda: gamma * x + beta,
    }[affine]()


def candidates(x, gamma, beta, eps):
    """``(out, combo)`` for every single mistake, then every pair of them."""
    yield x, (Mistake("result", "x", "you returned x unchanged", "compute out = gamma * xhat + beta"),)
    for combo in mistake_combinations(MISTAKES):
        choices = dict(RIGHT, **{m.group: m.value for m in combo})
        yield variant_forward(x, gamma, beta, eps, **choices), combo


@without_numpy_warnings
def check_forward(fn):
    r"""Check ``fn(x, gamma, beta, eps)``, the training-mode forward pass, returning ``out`` (N, D).

    :math:`y_i = \gamma (x_i-\mu_B)/\sqrt{\sigma_B^2+\epsilon} + \beta`, batch statistics
    per feature, biased variance. Prints one green line and returns True, or
    raises CheckFailed naming the likely mistake.
    """
    for number, (N, D, seed) in enumerate(BATCHES):
        try:
            check_on_batch(fn, N, D, seed)
        except CheckFailed as failure:
            if number == 0:
                raise
            raise CheckFailed(EXERCISE, f"right on a 4 x 3 batch but not on a {N} x {D} batch: "
                              f"{failure.problem}", "does your function use fixed numbers (4, 3) "
                              "or variables from outside instead of its arguments and their shapes? "
                              f"Otherwise: {failure.hint}", failure.example) from None
    return passed(EXERCISE, "out = gamma * xhat + beta, with per-feature batch statistics "
                  "(biased variance, eps inside the square root)")


def check_on_batch(fn, N, D, seed):
    """Raise CheckFailed unless ``fn`` gives the right ``out`` on the checker's batch (N, D, seed)."""
    x, gamma, beta, _, eps = checker_inputs(N, D, seed)
    result = call_learner(EXERCISE, fn, x, gamma, beta, eps, names=("x", "gamma", "beta", "eps"))
    if isinstance(result, tuple):
        raise CheckFailed(EXERCISE, f"your function returned {len(result)} values; it should return "
                          "out alone", "return only out (this exercise keeps no cache)")
    out = as_result_array(EXERCISE, "out", result, (N, D), FLOATS)
    expected, _ = batchnorm_forward(x, gamma, beta, eps)
    if is_close(out, expected):
        return
    found = first_match(out, candidates(x, gamma, beta, eps))
    if found:
        problem, hint = describe_mistakes(found[0])
    else:
        problem, hint = generic_diagnosis(out, expected, beta)
    example = "\n".join([
        f"x =\n    {format_array(x)}",
        f"gamma = {format_array(gamma)}, beta = {format_array(beta)}, eps = {eps}",
        f"expected out =\n    {format_array(expected)}",
        f"your out =\n    {format_array(out)}",
        largest_error("out", out, expected),
        REPRODUCE.format(args=f"{N}, {D}, {seed}" if seed else ""),
    ])
    raise CheckFailed(EXERCISE, problem, hint, example)


def generic_diagnosis(out, expected, beta):
    """No known mistake matches: say which of the two properties of out holds."""
    mean_right = relative_error(out.mean(axis=0), beta) < 1e-3
    spread_right = relative_error(out.std(axis=0), expected.std(axis=0)) < 1e-3
    if mean_right and not spread_right:
        return ("wrong values: each column of out has mean beta, as it should, but the wrong spread",
                "check the variance and the division by sqrt(var + eps), then the scale gamma")
    if spread_right and not mean_right:
        return ("wrong values: each column of out has the right spread but the wrong mean",
                "check the centring x - mu and the shift beta")
    return ("wrong values (no common mistake matches)",
            "compute mu, var, xhat and out one at a time, from the arguments only (no variables "
            "from outside the function), and compare them with the cache of bnlib.batchnorm_forward "
            "on the same input")
