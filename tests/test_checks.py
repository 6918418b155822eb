"""The checkers check_forward, check_backward and check_gamma_beta.

* the bug zoo: each mistake written as a learner would write it, and the
  words of its diagnosis that the failure message must contain;
* correct implementations, written in different ways, that must pass;
* robustness: nothing a learner's function returns or raises crashes a checker;
* the design: every candidate wrong answer is far from the right one, and the
  single mistakes are far from each other, so that a diagnosis is unambiguous.
"""
import itertools

import numpy as np
import pytest

import bnlib
from bncourse.checks import CheckFailed, check_backward, check_forward, check_gamma_beta
from bncourse.checks import backward as backward_module
from bncourse.checks import forward as forward_module
from bncourse.checks.core import MATCH_TOLERANCE, TOLERANCE, checker_inputs, relative_error
from checker_testing import fails_with

pytestmark = pytest.mark.filterwarnings("error")   # a checker prints nothing but its own message


def passes(checker, fn, capsys):
    assert checker(fn) is True
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1 and "\u2714" in printed, printed


# ====================================================================== check_forward
# a learner's building blocks, written plainly

def stats(x, eps, ddof=0):
    mu = np.mean(x, axis=0)
    var = np.var(x, axis=0, ddof=ddof)
    return mu, var


# ---------------------------------------------------------------- correct forward passes

def forward_numpy(x, gamma, beta, eps):
    mu, var = stats(x, eps)
    xhat = (x - mu) / np.sqrt(var + eps)
    return gamma * xhat + beta


def forward_staged(x, gamma, beta, eps):
    N = x.shape[0]
    mu = 1.0 / N * np.sum(x, axis=0, keepdims=True)
    xmu = x - mu
    sq = xmu**2
    var = 1.0 / N * np.sum(sq, axis=0, keepdims=True)
    sqrtvar = np.sqrt(var + eps)
    ivar = 1.0 / sqrtvar
    xhat = xmu * ivar
    gammax = gamma * xhat
    return gammax + beta


def forward_one_pass_variance(x, gamma, beta, eps):
    mu = x.mean(axis=0)
    var = (x * x).mean(axis=0) - mu * mu   # algebraically equal; fine for these small means
    return gamma * (x - mu) * (var + eps) ** -0.5 + beta


def forward_with_std_and_einsum(x, gamma, beta, eps):
    mu = np.einsum("ij->j", x) / len(x)
    std = x.std(axis=0)
    return np.einsum("j,ij->ij", gamma / np.sqrt(std**2 + eps), x - mu) + beta


def forward_float32(x, gamma, beta, eps):
    x, gamma, beta = (a.astype(np.float32) for a in (x, gamma, beta))
    mu = x.mean(axis=0)
    xhat = (x - mu) / np.sqrt(x.var(axis=0) + np.float32(eps))
    return gamma * xhat + beta


def forward_by_columns(x, gamma, beta, eps):
    out = np.empty_like(x)
    for j in range(x.shape[1]):
        column = x[:, j]
        centred = column - column.sum() / len(column)
        var = sum(c * c for c in centred) / len(column)
        out[:, j] = gamma[j] * centred / (var + eps) ** 0.5 + beta[j]
    return out.tolist()   # a nested list of floats is an array too


def forward_with_bnlib(x, gamma, beta, eps):
    out, _ = bnlib.batchnorm_forward(x, gamma, beta, eps)
    return out


CORRECT_FORWARDS = [forward_numpy, forward_staged, forward_one_pass_variance, forward_with_std_and_einsum,
                    forward_float32, forward_by_columns, forward_with_bnlib]


@pytest.mark.parametrize("fn", CORRECT_FORWARDS, ids=lambda f: f.__name__)
def test_check_forward_passes_every_correct_forward(fn, capsys):
    passes(check_forward, fn, capsys)


# ---------------------------------------------------------------- the forward bug zoo

def unbiased_variance(x, gamma, beta, eps):
    mu, var = stats(x, eps, ddof=1)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def eps_outside_sqrt(x, gamma, beta, eps):
    mu, var = stats(x, eps)
    return gamma * (x - mu) / (np.sqrt(var) + eps) + beta


def eps_added_after_the_division(x, gamma, beta, eps):
    mu, var = stats(x, eps)
    xhat = (x - mu) / np.sqrt(var) + eps
    return gamma * xhat + beta


def eps_hard_coded(x, gamma, beta, eps):
    mu, var = stats(x, eps)
    return gamma * (x - mu) / np.sqrt(var + 1e-8) + beta


def eps_forgotten(x, gamma, beta, eps):
    mu, var = stats(x, eps)
    return gamma * (x - mu) / np.sqrt(var) + beta


def stats_per_sample(x, gamma, beta, eps):
    mu = x.mean(axis=1, keepdims=True)
    var = x.var(axis=1, keepdims=True)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def stats_per_sample_without_keepdims(x, gamma, beta, eps):
    mu = x.mean(axis=1)
    return gamma * (x - mu) / np.sqrt(x.var(axis=1) + eps) + beta


def stats_of_whole_array(x, gamma, beta, eps):
    return gamma * (x - x.mean()) / np.sqrt(x.var() + eps) + beta


def gamma_ignored(x, gamma, beta, eps):
    mu, var = stats(x, eps)
    return (x - mu) / np.sqrt(var + eps) + beta


def beta_ignored(x, gamma, beta, eps):
    mu, var = stats(x, eps)
    return gamma * (x - mu) / np.sqrt(var + eps)


def gamma_beta_swapped(x, gamma, beta, eps):
    mu, var = stats(x, eps)
    return beta * (x - mu) / np.sqrt(var + eps) + gamma


def returns_xhat(x, gamma, beta, eps):
    mu, var = stats(x, eps)
    xhat = (x - mu) / np.sqrt(var + eps)
    out = gamma * xhat + beta
    return xhat


def std_as_variance(x, gamma, beta, eps):
    mu = x.mean(axis=0)
    return gamma * (x - mu) / np.sqrt(x.std(axis=0) + eps) + beta


def no_square_root(x, gamma, beta, eps):
    mu, var = stats(x, eps)
    return gamma * (x - mu) / (var + eps) + beta


def not_centred(x, gamma, beta, eps):
    mu, var = stats(x, eps)
    return gamma * x / np.sqrt(var + eps) + beta


def beta_subtracted(x, gamma, beta, eps):
    mu, var = stats(x, eps)
    return gamma * (x - mu) / np.sqrt(var + eps) - beta


def scales_x_not_xhat(x, gamma, beta, eps):
    return gamma * x + beta


def beta_before_gamma(x, gamma, beta, eps):
    mu, var = stats(x, eps)
    return gamma * ((x - mu) / np.sqrt(var + eps) + beta)


def unbiased_and_eps_outside(x, gamma, beta, eps):
    mu, var = stats(x, eps, ddof=1)
    return gamma * (x - mu) / (np.sqrt(var) + eps) + beta


def something_else(x, gamma, beta, eps):
    return forward_numpy(x, gamma, beta, eps) + 0.05 * np.tanh(x)


def transposed_out(x, gamma, beta, eps):
    return forward_numpy(x, gamma, beta, eps).T


def returns_out_and_cache(x, gamma, beta, eps):
    return bnlib.batchnorm_forward(x, gamma, beta, eps)


def returns_mean_only(x, gamma, beta, eps):
    return x.mean(axis=0)


def batch_size_hard_coded(x, gamma, beta, eps):
    mu = x.sum(axis=0) / 4
    var = ((x - mu) ** 2).sum(axis=0) / 4
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


FORWARD_ZOO = [
    (unbiased_variance, ["unbiased variance", "N - 1"]),
    (eps_outside_sqrt, ["eps outside the square root: you divided by sqrt(var) + eps"]),
    (eps_added_after_the_division, ["eps outside the square root and outside the division"]),
    (eps_hard_coded, ["eps is not used"]),
    (eps_forgotten, ["eps is not used"]),
    (stats_per_sample, ["wrong axis", "axis=1"]),
    (stats_per_sample_without_keepdims, ["could not be broadcast", "(4,3) (4,)", "axis=0"]),
    (stats_of_whole_array, ["wrong axis", "whole array"]),
    (gamma_ignored, ["gamma is ignored"]),
    (beta_ignored, ["beta is ignored"]),
    (gamma_beta_swapped, ["gamma and beta are swapped"]),
    (returns_xhat, ["returned xhat instead of out"]),
    (std_as_variance, ["standard deviation is used where the variance belongs"]),
    (no_square_root, ["no square root"]),
    (not_centred, ["mean is not subtracted"]),
    (beta_subtracted, ["sign error", "beta is subtracted"]),
    (scales_x_not_xhat, ["applied to x, not to xhat"]),
    (beta_before_gamma, ["beta is added before scaling"]),
    (unbiased_and_eps_outside, ["two mistakes", "unbiased variance", "eps outside the square root"]),
    (something_else, ["wrong values", "largest error", "at out["]),
    (transposed_out, ["shape (3, 4)", "transposed"]),
    (returns_out_and_cache, ["returned 2 values", "out alone"]),
    (returns_mean_only, ["shape (3,)", "expected (4, 3)"]),
    (batch_size_hard_coded, ["right on a 4 x 3 batch but not on a 6 x 5 batch", "fixed numbers"]),
]


@pytest.mark.parametrize("fn, words", FORWARD_ZOO, ids=[f.__name__ for f, _ in FORWARD_ZOO])
def test_check_forward_names_the_mistake(fn, words):
    fails_with(check_forward, fn, "check_forward", *words)


def test_a_wrong_value_shows_the_input_the_expected_and_the_received_out_and_a_hint():
    message = fails_with(check_forward, unbiased_variance, "x =", "gamma =", "eps = 0.1",
                         "expected out =", "your out =", "Hint:", "checker_inputs()")
    x, gamma, beta, _, eps = checker_inputs()
    expected = bnlib.batchnorm_forward(x, gamma, beta, eps)[0]
    assert f"{expected[0, 0]:.4f}" in message
    assert f"{unbiased_variance(x, gamma, beta, eps)[0, 0]:.4f}" in message


# ====================================================================== check_backward

def recompute(x, eps, ddof=0):
    N = x.shape[0]
    mu = x.mean(axis=0)
    xmu = x - mu
    var = (xmu**2).sum(axis=0) / (N - ddof)
    istd = 1 / np.sqrt(var + eps)
    return N, xmu, var, istd, xmu * istd


def staged(dout, x, gamma, eps, *, ddof=0, dmu_sign=-1, dvar_half=-0.5, dvar_power=-1.5,
           var_denominator=None, mean_denominator=None, with_gamma=True, with_dmu=True, with_dvar=True):
    """The node-by-node backward pass with knobs for the classic slips (the defaults are right)."""
    N, xmu, var, istd, xhat = recompute(x, eps, ddof)
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dxhat = dout * gamma if with_gamma else dout
    dvar = (dxhat * xmu).sum(axis=0) * dvar_half * (var + eps) ** dvar_power
    dmu = dmu_sign * (dxhat * istd).sum(axis=0) + dvar * np.mean(-2.0 * xmu, axis=0)
    dx = dxhat * istd
    if with_dvar:
        dx = dx + dvar * 2 * xmu / (var_denominator or N)
    if with_dmu:
        dx = dx + dmu / (mean_denominator or N)
    return dx, dgamma, dbeta


# ---------------------------------------------------------------- correct backward passes

def backward_staged(dout, x, gamma, eps):
    return staged(dout, x, gamma, eps)


def backward_compact(dout, x, gamma, eps):
    N, xmu, var, istd, xhat = recompute(x, eps)
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * xhat, axis=0)
    dx = (gamma * istd / N) * (N * dout - dbeta - xhat * dgamma)
    return dx, dgamma, dbeta


def backward_with_means(dout, x, gamma, eps):
    """dx = gamma / std * (dout - mean(dout) - xhat * mean(dout * xhat)), in float32."""
    x, dout, gamma = (a.astype(np.float32) for a in (x, dout, gamma))
    std = np.sqrt(x.var(axis=0) + np.float32(eps))
    xhat = (x - x.mean(axis=0)) / std
    dx = gamma / std * (dout - dout.mean(axis=0) - xhat * (dout * xhat).mean(axis=0))
    return dx, (dout * xhat).sum(axis=0), dout.sum(axis=0)


def backward_with_xmu_and_lists(dout, x, gamma, eps):
    """In terms of x - mu and (var + eps)^(-3/2); returns lists."""
    N = len(x)
    xmu = x - x.mean(axis=0)
    var = np.mean(xmu**2, axis=0)
    v = var + eps
    dxhat = dout * gamma
    dx = (dxhat * v - np.mean(dxhat, axis=0) * v - xmu * np.mean(dxhat * xmu, axis=0)) * v**-1.5
    dgamma = np.einsum("ij,ij->j", dout, xmu) / np.sqrt(v)
    return list(dx), dgamma.tolist(), [float(s) for s in dout.sum(axis=0)]


def backward_with_bnlib(dout, x, gamma, eps):
    _, cache = bnlib.batchnorm_forward(x, gamma, np.zeros_like(gamma), eps)
    return bnlib.batchnorm_backward_staged(dout, cache)


def backward_by_jacobian(dout, x, gamma, eps):
    """Per feature, the N x N Jacobian of xhat with respect to x, applied to dxhat."""
    N, xmu, var, istd, xhat = recompute(x, eps)
    dx = np.empty_like(x)
    eye = np.eye(N)
    for j in range(x.shape[1]):
        jac = istd[j] * (eye - 1 / N - np.outer(xhat[:, j], xhat[:, j]) / N)
        dx[:, j] = jac.T @ (gamma[j] * dout[:, j])
    return dx, (dout * xhat).sum(axis=0), dout.sum(axis=0)


CORRECT_BACKWARDS = [backward_staged, backward_compact, backward_with_means, backward_with_xmu_and_lists,
                     backward_with_bnlib, backward_by_jacobian]


@pytest.mark.parametrize("fn", CORRECT_BACKWARDS, ids=lambda f: f.__name__)
def test_check_backward_passes_every_correct_backward(fn, capsys):
    passes(check_backward, fn, capsys)


# ---------------------------------------------------------------- the backward bug zoo

def replace(index, value_of):
    """A backward pass that is right except for result number ``index``, computed by ``value_of``."""
    def backward(dout, x, gamma, eps):
        results = list(backward_compact(dout, x, gamma, eps))
        N, xmu, var, istd, xhat = recompute(x, eps)
        results[index] = value_of(dout=dout, x=x, gamma=gamma, xhat=xhat, istd=istd, N=N, dx=results[0])
        return tuple(results)
    return backward


def compact(dout, x, gamma, eps, *, mean_factor=1.0, var_factor=1.0, front=None, ddof=0, eps_outside=False):
    N, xmu, var, istd, xhat = recompute(x, eps, ddof)
    if eps_outside:
        istd = 1 / (np.sqrt(var) + eps)
        xhat = xmu * istd
    dbeta, dgamma = dout.sum(axis=0), (dout * xhat).sum(axis=0)
    dx = (gamma * istd * (front or 1 / N)) * (N * dout - mean_factor * dbeta - var_factor * xhat * dgamma)
    return dx, dgamma, dbeta


def bw(**knobs):
    return lambda dout, x, gamma, eps: staged(dout, x, gamma, eps, **knobs)


def cw(**knobs):
    return lambda dout, x, gamma, eps: compact(dout, x, gamma, eps, **knobs)


def unbiased_istd_only_in_dx(dout, x, gamma, eps):
    _, cache = bnlib.batchnorm_forward(x, gamma, 0 * gamma, eps)
    xhat = cache.xhat
    N, xmu, var, istd, _ = recompute(x, eps, ddof=1)
    xhat_wrong = xmu * istd
    dx = gamma * istd * (dout - dout.mean(axis=0) - xhat_wrong * (dout * xhat_wrong).mean(axis=0))
    return dx, (dout * xhat).sum(axis=0), dout.sum(axis=0)


def dgamma_dbeta_swapped(dout, x, gamma, eps):
    dx, dgamma, dbeta = backward_compact(dout, x, gamma, eps)
    return dx, dbeta, dgamma


def results_reordered(dout, x, gamma, eps):
    dx, dgamma, dbeta = backward_compact(dout, x, gamma, eps)
    return dgamma, dbeta, dx


def dx_plus_noise(dout, x, gamma, eps):
    dx, dgamma, dbeta = backward_compact(dout, x, gamma, eps)
    return dx + 0.1 * np.sin(3 * x), dgamma, dbeta


def no_mean_term_compact(dout, x, gamma, eps):
    """Mean term missing and nothing else: the columns of dx do not sum to zero."""
    return cw(mean_factor=0.0)(dout, x, gamma, eps)


BACKWARD_ZOO = [
    # dgamma and dbeta
    (replace(1, lambda dout, xhat, **_: dout * xhat), ["dgamma is not summed over the batch", "(4, 3)"]),
    (replace(2, lambda dout, **_: dout), ["dbeta is not summed over the batch"]),
    (replace(1, lambda dout, x, **_: (dout * x).sum(axis=0)), ["dgamma computed with x instead of xhat"]),
    (replace(1, lambda dout, xhat, **_: (dout * xhat).mean(axis=0)), ["dgamma is averaged"]),
    (replace(2, lambda dout, **_: -dout.sum(axis=0)), ["sign error in dbeta"]),
    (replace(1, lambda dout, xhat, gamma, **_: gamma * (dout * xhat).sum(axis=0)),
     ["dgamma is multiplied by gamma"]),
    (replace(1, lambda dout, xhat, **_: (dout * xhat).sum(axis=0, keepdims=True)), ["keepdims"]),
    (replace(1, lambda dout, xhat, **_: dout.T @ xhat), ["matrix product"]),
    (replace(1, lambda dout, xhat, **_: (dout * xhat).sum(axis=1)), ["wrong axis"]),
    (dgamma_dbeta_swapped, ["dgamma and dbeta are swapped"]),
    (bw(ddof=1), ["dgamma uses a wrong xhat", "N - 1"]),
    # dx: missing terms
    (bw(with_dmu=False), ["dx is missing the mean term"]),
    (no_mean_term_compact, ["dx is missing the mean term"]),
    (bw(with_dvar=False), ["dx is missing the variance term"]),
    (cw(var_factor=0.0), ["dx is missing the variance term"]),
    (bw(with_gamma=False), ["dx is not multiplied by gamma"]),
    # dx: signs
    (bw(dmu_sign=+1), ["sign error in the mean term"]),
    (bw(dvar_half=+0.5), ["sign error in the variance term"]),
    (replace(0, lambda dx, **_: -dx), ["sign error", "wrong sign throughout"]),
    (cw(mean_factor=-1.0), ["sign error in the mean term"]),
    # dx: factors
    (bw(var_denominator=3), ["wrong factor in the variance term", "2/(N - 1)"]),
    (bw(mean_denominator=3), ["wrong factor in the mean term", "1/(N - 1)"]),
    (bw(dvar_half=-0.25), ["1/N where 2/N belongs"]),
    (cw(var_factor=2.0), ["twice too large"]),
    (bw(dvar_half=1.0), ["-1/2", "missing"]),
    (bw(var_denominator=1), ["variance term is not divided by N"]),
    (bw(mean_denominator=1), ["mean term is not divided by N"]),
    (cw(front=1.0), ["1/N in front of dx is missing"]),
    (cw(front=1 / 3), ["1/(N - 1) in front of dx"]),
    (bw(dvar_power=-0.5), ["wrong power of (var + eps)", "-1/2 where -3/2"]),
    (bw(dvar_power=-1.0), ["wrong power of (var + eps)", "-1 where -3/2"]),
    (replace(0, lambda dx, istd, **_: dx / istd), ["not divided by sqrt(var + eps)"]),
    (replace(0, lambda dx, gamma, istd, dout, **_: dx - gamma * istd * dout + gamma * dout),
     ["direct term dxhat * istd is not divided by sqrt(var + eps)"]),
    (replace(0, lambda dx, gamma, istd, dout, N, **_: dx - gamma * istd * dout * (N - 1) / N),
     ["direct term lacks the factor N"]),
    # dx: statistics recomputed wrong
    (unbiased_istd_only_in_dx, ["the variance divides by N - 1"]),
    (cw(eps_outside=True), ["eps outside the square root"]),
    (replace(0, lambda dout, x, gamma, **_: staged(dout, x, gamma, 1e-8)[0]), ["eps is not used"]),
    # two at once: the staged form with both "/ N" forgotten
    (bw(var_denominator=1, mean_denominator=1), ["two mistakes", "mean term is not divided by N",
                                                 "variance term is not divided by N"]),
    # shapes and order
    (replace(0, lambda dx, **_: dx.T), ["dx has shape (3, 4)", "transposed"]),
    (replace(0, lambda dx, **_: dx.sum(axis=0)), ["dx has shape (3,)", "the shape of x"]),
    (results_reordered, ["wrong order"]),
    # anything else
    (dx_plus_noise, ["wrong values of dx", "largest error", "at dx["]),
]


@pytest.mark.parametrize("fn, words", BACKWARD_ZOO, ids=[f"{i}-{w[0][:40]}" for i, (_, w) in
                                                          enumerate(BACKWARD_ZOO)])
def test_check_backward_names_the_mistake(fn, words):
    fails_with(check_backward, fn, "check_backward", *words)


def test_a_wrong_dx_shows_input_expected_received_status_and_hint():
    fails_with(check_backward, bw(with_dmu=False), "x =", "gamma =", "dout =", "expected dx =",
               "your dx =", "dx WRONG, dgamma right, dbeta right", "Hint:")


def test_generic_dx_message_uses_the_column_sums():
    fails_with(check_backward, dx_plus_noise, "columns sum to", "must sum to 0")


# ====================================================================== check_gamma_beta

def gamma_beta_sums(dout, xhat):
    return (dout * xhat).sum(axis=0), dout.sum(axis=0)


def gamma_beta_einsum_ones(dout, xhat):
    ones = np.ones(len(dout))
    return np.einsum("ij,ij->j", dout, xhat), ones @ dout


def gamma_beta_diagonal_loops(dout, xhat):
    dgamma = np.diag(dout.T @ xhat)
    dbeta = [sum(dout[i, j] for i in range(dout.shape[0])) for j in range(dout.shape[1])]
    return dgamma, dbeta


def gamma_beta_float32_list(dout, xhat):
    d, h = dout.astype(np.float32), xhat.astype(np.float32)
    return [np.sum(d * h, axis=0), np.sum(d, axis=0)]


CORRECT_GAMMA_BETAS = [gamma_beta_sums, gamma_beta_einsum_ones, gamma_beta_diagonal_loops,
                       gamma_beta_float32_list]


@pytest.mark.parametrize("fn", CORRECT_GAMMA_BETAS, ids=lambda f: f.__name__)
def test_check_gamma_beta_passes_every_correct_implementation(fn, capsys):
    passes(check_gamma_beta, fn, capsys)


GAMMA_BETA_ZOO = [
    (lambda dout, xhat: (dout * xhat, dout.sum(axis=0)), ["dgamma is not summed over the batch"]),
    (lambda dout, xhat: ((dout * xhat).sum(axis=0), dout), ["dbeta is not summed over the batch"]),
    (lambda dout, xhat: ((dout * xhat).sum(axis=1), dout.sum(axis=1)), ["wrong axis"]),
    (lambda dout, xhat: ((dout * xhat).mean(axis=0), dout.mean(axis=0)), ["averaged over the batch"]),
    (lambda dout, xhat: ((dout * xhat).sum(axis=0), dout.mean(axis=0)), ["dbeta is averaged"]),
    (lambda dout, xhat: (dout.sum(axis=0), (dout * xhat).sum(axis=0)), ["dgamma and dbeta are swapped"]),
    (lambda dout, xhat: (dout.sum(axis=0) * xhat.sum(axis=0), dout.sum(axis=0)), ["product of two sums"]),
    (lambda dout, xhat: (dout.sum(axis=0), dout.sum(axis=0)), ["missing the factor xhat"]),
    (lambda dout, xhat: (-(dout * xhat).sum(axis=0), dout.sum(axis=0)), ["sign error in dgamma"]),
    (lambda dout, xhat: ((dout * xhat).sum(axis=0), (dout * xhat).sum(axis=0)), ["computed like dgamma"]),
    (lambda dout, xhat: (dout.T @ xhat, dout.sum(axis=0)), ["matrix product"]),
    (lambda dout, xhat: (np.sum(dout * xhat), dout.sum(axis=0)), ["one number"]),
    (lambda dout, xhat: ((dout * xhat).sum(axis=0, keepdims=True), dout.sum(axis=0)), ["keepdims"]),
    (lambda dout, xhat: ((dout * xhat ** 2).sum(axis=0), dout.sum(axis=0)), ["wrong values of dgamma"]),
    (lambda dout, xhat: ((dout * xhat)[:4].sum(axis=0), dout[:4].sum(axis=0)), ["right on a 4 x 3 batch"]),
]


@pytest.mark.parametrize("fn, words", GAMMA_BETA_ZOO, ids=[w[0] for _, w in GAMMA_BETA_ZOO])
def test_check_gamma_beta_names_the_mistake(fn, words):
    fails_with(check_gamma_beta, fn, "check_gamma_beta", *words)


def test_a_wrong_dgamma_shows_dout_xhat_expected_and_received():
    fails_with(check_gamma_beta, lambda dout, xhat: (-(dout * xhat).sum(axis=0), dout.sum(axis=0)),
               "dout =", "xhat =", "expected dgamma =", "your dgamma", "Hint:")


# ====================================================================== robustness, for every checker

CHECKERS = {  # checker: (how many arguments, how many results, a correct function)
    check_forward: (4, 1, forward_numpy),
    check_backward: (4, 3, backward_compact),
    check_gamma_beta: (2, 2, gamma_beta_sums),
}
EACH = pytest.mark.parametrize("checker", list(CHECKERS), ids=lambda c: c.__name__)


def stub(*args):
    # YOUR CODE HERE
    raise NotImplementedError


@EACH
def test_a_stub_is_not_done_yet(checker):
    message = fails_with(checker, stub, "not done yet")
    assert len(message.splitlines()) <= 5   # notebooks show it whole


@EACH
def test_returning_none_is_not_done_yet(checker):
    fails_with(checker, lambda *a: None, "not done yet")


@EACH
def test_a_none_among_the_results_is_not_done_yet(checker):
    n_results = CHECKERS[checker][1]
    if n_results > 1:
        fails_with(checker, lambda *a: (None,) * n_results, "is None", "not done yet")


@EACH
def test_check_failed_is_an_assertion_error(checker):
    with pytest.raises(AssertionError):
        checker(stub)


@EACH
def test_the_result_of_a_call_instead_of_the_function(checker):
    fails_with(checker, np.zeros(3), "expected a function")


@EACH
def test_an_exception_is_shown_with_the_exercise_and_the_line(checker):
    def learner(*args):
        scale = 1 / 0
        return scale
    fails_with(checker, learner, checker.__name__, "ZeroDivisionError", "line", "scale = 1 / 0")


@EACH
def test_a_function_with_other_arguments_is_told_how_it_is_called(checker):
    fails_with(checker, lambda a: a, "TypeError", "calls your function as")


@EACH
def test_a_broadcasting_error_gets_a_hint_about_shapes(checker):
    def learner(*args):
        return args[-1 if checker is check_gamma_beta else 0] + np.ones(7)
    fails_with(checker, learner, "broadcast", ".shape")


@EACH
def test_modifying_an_input_in_place_is_detected(checker):
    correct = CHECKERS[checker][2]
    index, name = {check_forward: (0, "x"), check_backward: (1, "x"),
                   check_gamma_beta: (1, "xhat")}[checker]

    def learner(*args):
        result = correct(*args)
        args[index][0, 0] += 1.0
        return result
    fails_with(checker, learner, f"changed its input {name} in place")


@EACH
def test_the_wrong_number_of_results(checker):
    _, n_results, correct = CHECKERS[checker]
    if n_results == 1:
        fails_with(checker, lambda *a: (correct(*a), correct(*a), 0), "returned 3 values")
    else:
        fails_with(checker, lambda *a: correct(*a)[:-1], f"expected {n_results} results")
        fails_with(checker, lambda *a: (*correct(*a), 0), f"expected {n_results} results")
        fails_with(checker, lambda *a: correct(*a)[0], f"expected {n_results} results")


@EACH
@pytest.mark.parametrize("bad, words", [
    (np.nan, ["NaN or inf"]),
    (np.inf, ["NaN or inf"]),
    ("int", ["dtype int64"]),
    ("complex", ["dtype complex128"]),
    ("float16", ["dtype float16", "float64 or float32"]),
    ("text", ["not a number array"]),
])
def test_nan_inf_and_wrong_dtypes(checker, bad, words):
    _, n_results, correct = CHECKERS[checker]

    def spoil(a):
        a = np.array(a, dtype=np.float64)
        if isinstance(bad, float):
            a.flat[1] = bad
            return a
        return {"int": lambda: a.astype(np.int64), "complex": lambda: a + 0j,
                "float16": lambda: a.astype(np.float16), "text": lambda: a.astype(str)}[bad]()

    def learner(*args):
        result = correct(*args)
        if n_results == 1:
            return spoil(result)
        return (spoil(result[0]), *result[1:])
    fails_with(checker, learner, *words)


WEIRD_RESULTS = [
    0, 1.5, "out", b"x", [], (), [[]], {}, {"dx": 1}, set(), object(), np.float64(1.0), np.array(2.0),
    np.zeros(0), np.zeros((0, 3)), np.zeros((4, 3, 1)), np.zeros((1, 4, 3)), np.array([None, 1.0]),
    [[1, 2], [3]], [np.zeros((4, 3)), np.zeros(3)], np.full((4, 3), 1e308), np.full((4, 3), -1e308),
    (np.full((4, 3), 1e308), np.full(3, -1e308), np.full(3, 1e308)), np.full((4, 3), 1e-320),
    (np.zeros((4, 3)),) * 5, (x for x in range(3)),
    np.ma.masked_array([1.0, 2.0, 3.0], mask=[0, 1, 0]), np.zeros((4, 3), dtype=bool), range(3),
    lambda: 0, Ellipsis, NotImplemented, np.datetime64("2020-01-01"), [np.nan] * 3, (None, None, None),
    (np.zeros((4, 3)), "dgamma", "dbeta"), (np.zeros((4, 3)), [1, 2], np.zeros(3)),
]


@EACH
@pytest.mark.parametrize("weird", WEIRD_RESULTS, ids=lambda w: type(w).__name__)
def test_no_return_value_crashes_a_checker(checker, weird):
    with pytest.raises(CheckFailed):
        checker(lambda *args: weird)


@EACH
@pytest.mark.parametrize("exc", [ValueError("bad"), KeyError("mu"), RecursionError(), MemoryError(),
                                 FloatingPointError("overflow"), AssertionError("own assert")])
def test_no_exception_crashes_a_checker(checker, exc):
    def learner(*args):
        raise exc
    fails_with(checker, learner, type(exc).__name__, checker.__name__)


# ====================================================================== the design of the diagnosis

BATCHES = forward_module.BATCHES


@pytest.mark.parametrize("N, D, seed", BATCHES)
def test_forward_candidates_are_far_from_right_and_single_mistakes_far_apart(N, D, seed):
    x, gamma, beta, _, eps = checker_inputs(N, D, seed)
    right = bnlib.batchnorm_forward(x, gamma, beta, eps)[0]
    found = list(forward_module.candidates(x, gamma, beta, eps))
    assert min(relative_error(value, right) for value, _ in found) > 1000 * TOLERANCE
    singles = [value for value, combo in found if len(combo) == 1]
    assert len(singles) == len(forward_module.MISTAKES) + 1
    for a, b in itertools.combinations(singles, 2):
        assert relative_error(a, b) > 10 * MATCH_TOLERANCE


@pytest.mark.parametrize("N, D, seed", BATCHES)
def test_dx_candidates_are_far_from_right_and_single_mistakes_far_apart(N, D, seed):
    x, gamma, beta, dout, eps = checker_inputs(N, D, seed)
    _, cache = bnlib.batchnorm_forward(x, gamma, beta, eps)
    right = bnlib.batchnorm_backward(dout, cache)[0]
    scale = np.abs(gamma * cache.istd * dout).max()
    found = list(backward_module.dx_candidates(dout, x, gamma, eps))
    assert min(relative_error(value, right, scale) for value, _ in found) > 1000 * TOLERANCE
    singles = [value for value, combo in found if len(combo) == 1]
    assert len(singles) == len(backward_module.DX_MISTAKES)
    for a, b in itertools.combinations(singles, 2):
        assert relative_error(a, b, scale) > 10 * MATCH_TOLERANCE


@pytest.mark.parametrize("N, D, seed", BATCHES)
def test_the_variants_without_a_mistake_are_bnlibs(N, D, seed):
    """The mistake variants start from bnlib's statistics: with no mistake named they give bnlib's
    results (the checkers' references), so that a variant differs from it by its mistake alone."""
    x, gamma, beta, dout, eps = checker_inputs(N, D, seed)
    out, cache = bnlib.batchnorm_forward(x, gamma, beta, eps)
    np.testing.assert_allclose(forward_module.variant_forward(x, gamma, beta, eps), out, rtol=1e-12)
    dx = bnlib.batchnorm_backward(dout, cache)[0]
    np.testing.assert_allclose(backward_module.variant_dx(dout, x, gamma, eps), dx, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("mistake", forward_module.MISTAKES, ids=lambda m: f"{m.group}={m.value}")
def test_every_forward_mistake_in_the_table_is_named_when_made_alone(mistake):
    def learner(x, gamma, beta, eps):
        return forward_module.variant_forward(x, gamma, beta, eps, **{mistake.group: mistake.value})
    message = fails_with(check_forward, learner, mistake.problem)
    assert "mistakes:" not in message


@pytest.mark.parametrize("mistake", backward_module.DX_MISTAKES, ids=lambda m: f"{m.group}={m.value}")
def test_every_dx_mistake_in_the_table_is_named_when_made_alone(mistake):
    group = "statistics_" if backward_module.is_statistics(mistake) else mistake.group

    def learner(dout, x, gamma, eps):
        _, dgamma, dbeta = backward_compact(dout, x, gamma, eps)
        return backward_module.variant_dx(dout, x, gamma, eps, **{group: mistake.value}), dgamma, dbeta
    message = fails_with(check_backward, learner, mistake.problem, "dx WRONG, dgamma right, dbeta right")
    assert "mistakes:" not in message


def test_float32_errors_of_a_correct_backward_stay_far_below_the_tolerance():
    worst = 0.0
    for seed in range(20):
        x, gamma, beta, dout, eps = checker_inputs(4, 3, seed)
        _, cache = bnlib.batchnorm_forward(x, gamma, beta, eps)
        right = bnlib.batchnorm_backward(dout, cache)[0]
        dx32 = backward_with_means(dout, x, gamma, eps)[0]
        worst = max(worst, relative_error(dx32, right, np.abs(gamma * cache.istd * dout).max()))
    assert worst < TOLERANCE / 5
