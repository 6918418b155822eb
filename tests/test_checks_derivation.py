"""Checkers of notebooks 04-05: correct answers pass whatever their algebra, each mistake is named."""
import numpy as np
import pytest
import sympy as sp

from bncourse import symbolic as s
from bncourse.checks.derivation import check_centre_gradient, check_symbolic_dx, check_unbiased_dx
from checker_testing import fails_with


# ---------------------------------------------------------------- check_centre_gradient

def centre_grad_chain(dxhat, x, c, eps, sign=1.0, half=-0.5, power=-1.5, centre=None, denominator=None,
                      through_var=True, use_xhat=False):
    """The chain-rule answer, with switches that reproduce each mistake."""
    m = x.shape[0]
    c = c if centre is None else centre
    xc = x - c
    v = (xc ** 2).sum(axis=0) / m
    dv = half * (v + eps) ** power * (dxhat * (xc / np.sqrt(v + eps) if use_xhat else xc)).sum(axis=0)
    dv_dc = -2.0 / (denominator or m) * xc.sum(axis=0)
    return -dxhat.sum(axis=0) / np.sqrt(v + eps) + sign * through_var * dv * dv_dc


def centre_grad_compact(dxhat, x, c, eps):
    m = x.shape[0]
    xc = x - c
    istd = 1.0 / np.sqrt((xc ** 2).mean(axis=0) + eps)
    # -istd * sum(dxhat) + istd^3 / m * sum(dxhat * xc) * sum(xc)
    return istd * (-dxhat.sum(axis=0) + istd ** 2 / m * np.einsum("ij,ij->j", dxhat, xc) * xc.sum(axis=0))


def centre_grad_loops(dxhat, x, c, eps):
    m, D = x.shape
    out = np.zeros(D)
    for d in range(D):
        xc = [x[i, d] - c[d] for i in range(m)]
        v = sum(t * t for t in xc) / m
        dv = sum(-0.5 * dxhat[i, d] * xc[i] * (v + eps) ** -1.5 for i in range(m))
        out[d] = sum(-dxhat[i, d] / (v + eps) ** 0.5 for i in range(m)) + dv * -2.0 / m * sum(xc)
    return out


@pytest.mark.parametrize("fn", [centre_grad_chain, centre_grad_compact, centre_grad_loops],
                         ids=["chain", "compact", "loops"])
def test_correct_centre_gradients_pass(fn, capsys):
    assert check_centre_gradient(fn) is True
    assert "\u2714" in capsys.readouterr().out


@pytest.mark.parametrize("kwargs, words", [
    (dict(through_var=False), "dropped the term through the variance"),
    (dict(sign=-1.0), "wrong sign"),
    (dict(half=1.0), "missing its factor -1/2"),
    (dict(half=-1.0), "missing its factor 1/2"),
    (dict(power=-0.5), "power -1/2"),
    (dict(use_xhat=True), "x-hat where it needs x - c"),
    (dict(denominator=3), "m - 1"),
])
def test_centre_gradient_mistakes_are_named(kwargs, words):
    fails_with(check_centre_gradient, lambda dxhat, x, c, eps: centre_grad_chain(dxhat, x, c, eps, **kwargs),
               words)


def test_centring_on_the_batch_mean_is_named():
    fails_with(check_centre_gradient,
               lambda dxhat, x, c, eps: centre_grad_chain(dxhat, x, c, eps, centre=x.mean(axis=0)),
               "batch mean, not on c")


def test_centre_gradient_stub_and_shapes():
    def stub(dxhat, x, c, eps):
        raise NotImplementedError
    fails_with(check_centre_gradient, stub, "not done yet")
    fails_with(check_centre_gradient, lambda dxhat, x, c, eps: dxhat, "shape (4, 3)")
    fails_with(check_centre_gradient, lambda dxhat, x, c, eps: np.zeros(3), "wrong values")


# ---------------------------------------------------------------- check_unbiased_dx

def unbiased_chain(dout, x, gamma, eps, var_factor=None, mean_factor=None, terms=(1, 1, 1), gain=True):
    m = x.shape[0]
    mu = x.mean(axis=0)
    s2 = ((x - mu) ** 2).sum(axis=0) / (m - 1)
    istd = 1.0 / np.sqrt(s2 + eps)
    dxhat = dout * gamma if gain else dout
    ds2 = (dxhat * (x - mu)).sum(axis=0) * -0.5 * istd ** 3
    dmu = -(dxhat * istd).sum(axis=0)
    var_factor = 2.0 / (m - 1) if var_factor is None else var_factor(m)
    mean_factor = 1.0 / m if mean_factor is None else mean_factor(m)
    return terms[0] * dxhat * istd + terms[1] * ds2 * var_factor * (x - mu) + terms[2] * dmu * mean_factor


def unbiased_compact(dout, x, gamma, eps):
    """dx = gamma istd / m (m dy - sum dy - m/(m-1) xhat sum dy xhat), xhat with the unbiased s."""
    m = x.shape[0]
    xmu = x - x.mean(axis=0)
    istd = 1.0 / np.sqrt((xmu ** 2).sum(axis=0) / (m - 1) + eps)
    xhat = xmu * istd
    return gamma * istd / m * (m * dout - dout.sum(axis=0) - m / (m - 1) * xhat * (dout * xhat).sum(axis=0))


def unbiased_numerical(dout, x, gamma, eps):
    from bnlib import numerical_gradient
    from bncourse.checks.derivation import unbiased_forward
    return numerical_gradient(lambda z: unbiased_forward(z, gamma, np.zeros_like(gamma), eps), x, dout, h=1e-6)


@pytest.mark.parametrize("fn", [unbiased_chain, unbiased_compact], ids=["chain", "compact"])
def test_correct_unbiased_dx_pass(fn):
    assert check_unbiased_dx(fn) is True


def test_the_reference_agrees_with_finite_differences():
    from bnlib import rel_error
    from bncourse.checks.core import checker_inputs
    from bncourse.checks.derivation import unbiased_dx
    x, gamma, _, dout, eps = checker_inputs(N=4, D=3, seed=5)
    assert rel_error(unbiased_dx(dout, x, gamma, eps), unbiased_numerical(dout, x, gamma, eps)) < 1e-8


def test_the_reference_is_bnlibs_dx_for_a_rescaled_gamma_and_eps():
    """With s^2 = m/(m-1) var: gamma xmu / sqrt(s^2 + eps) = gamma' xmu / sqrt(var + eps') for
    gamma' = gamma sqrt((m-1)/m), eps' = eps (m-1)/m, so the two layers, and their dx, are bnlib's."""
    from bnlib import batchnorm_backward, batchnorm_forward
    from bncourse.checks.core import checker_inputs
    from bncourse.checks.derivation import unbiased_dx, unbiased_forward
    x, gamma, beta, dout, eps = checker_inputs(N=4, D=3, seed=5)
    m = x.shape[0]
    out, cache = batchnorm_forward(x, gamma * np.sqrt((m - 1) / m), beta, eps * (m - 1) / m)
    np.testing.assert_allclose(unbiased_forward(x, gamma, beta, eps), out, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(unbiased_dx(dout, x, gamma, eps), batchnorm_backward(dout, cache)[0],
                               rtol=1e-10, atol=1e-12)


def test_the_centre_gradient_at_the_batch_mean_is_bnlibs():
    """At c = mu_B the term through v vanishes: dL/dc = -istd sum_i dxhat_i, minus the batch sum of
    bnlib's eval-mode dx when the running statistics are the batch's own."""
    from bnlib import batchnorm_eval_backward, batchnorm_eval_forward, batchnorm_forward
    from bncourse.checks.core import checker_inputs
    from bncourse.checks.derivation import centre_gradient
    x, gamma, beta, dout, eps = checker_inputs(N=4, D=3, seed=4)
    mu, var = x.mean(axis=0), batchnorm_forward(x, gamma, beta, eps)[1].var
    _, cache = batchnorm_eval_forward(x, gamma, beta, mu, var, eps)
    dx_eval = batchnorm_eval_backward(dout, cache)[0]
    np.testing.assert_allclose(centre_gradient(dout * gamma, x, mu, eps), -dx_eval.sum(axis=0), rtol=1e-10)
    # and away from the mean it is the chain rule of this file's learners
    c = mu + np.array([0.7, -0.4, 1.1])
    np.testing.assert_allclose(centre_gradient(dout * gamma, x, c, eps),
                               centre_grad_chain(dout * gamma, x, c, eps), rtol=1e-10)


@pytest.mark.parametrize("kwargs, words", [
    (dict(var_factor=lambda m: 2.0 / m), "uses 2/m"),
    (dict(mean_factor=lambda m: 1.0 / (m - 1)), "mean term uses 1/(m - 1)"),
    (dict(terms=(1, 1, 0)), "through the mean is missing"),
    (dict(terms=(1, 0, 1)), "through the variance is missing"),
    (dict(terms=(1, 0, 0)), "only the direct term"),
    (dict(var_factor=lambda m: 1.0 / (m - 1)), "lacks the factor 2"),
    (dict(gain=False), "gamma is missing"),
])
def test_unbiased_dx_mistakes_are_named(kwargs, words):
    fails_with(check_unbiased_dx, lambda dout, x, gamma, eps: unbiased_chain(dout, x, gamma, eps, **kwargs),
               words)


def test_unbiased_dx_stub_transposed_and_in_place():
    fails_with(check_unbiased_dx, lambda dout, x, gamma, eps: None, "not done yet")
    fails_with(check_unbiased_dx, lambda dout, x, gamma, eps: unbiased_chain(dout, x, gamma, eps).T,
               "transposed")

    def in_place(dout, x, gamma, eps):
        x -= x.mean(axis=0)
        return unbiased_chain(dout, x, gamma, eps)
    fails_with(check_unbiased_dx, in_place, "in place")


# ---------------------------------------------------------------- check_symbolic_dx

ISTD = 1 / sp.sqrt(s.batch_variance() + s.eps)


def symbolic_compact():
    return s.gamma * ISTD / s.m * (s.m * s.dy[s.k] - s.batch_sum(s.dy[s.j], s.j)
                                   - s.normalized(s.k) * s.batch_sum(s.dy[s.j] * s.normalized(s.j), s.j))


def symbolic_with_param_grads():
    dbeta = s.batch_sum(s.dy[s.i], s.i)
    dgamma = s.batch_sum(s.dy[s.i] * s.normalized(s.i), s.i)
    return s.gamma * ISTD * (s.dy[s.k] - (dbeta + s.normalized(s.k) * dgamma) / s.m)


def symbolic_three_terms():
    mean, variance = s.batch_mean(), s.batch_variance()
    dxhat = lambda idx: s.gamma * s.dy[idx]
    dvar = s.batch_sum(dxhat(s.j) * (s.x[s.j] - mean), s.j) * -sp.Rational(1, 2) * (variance + s.eps) ** -1.5
    dmu = -ISTD * s.batch_sum(dxhat(s.j), s.j)
    return dxhat(s.k) * ISTD + dvar * 2 * (s.x[s.k] - mean) / s.m + dmu / s.m


@pytest.mark.parametrize("fn", [symbolic_compact, symbolic_with_param_grads, symbolic_three_terms],
                         ids=["compact", "dbeta-dgamma", "three-terms"])
def test_correct_symbolic_dx_pass(fn):
    assert check_symbolic_dx(fn) is True


def mutate(**changes):
    scale = changes.get("scale", s.gamma * ISTD / s.m)
    size = changes.get("size", s.m)
    mean_term = changes.get("mean_term", 1)
    var_term = changes.get("var_term", 1)
    return lambda: scale * (size * s.dy[s.k] - mean_term * s.batch_sum(s.dy[s.j], s.j)
                            - var_term * s.normalized(s.k) * s.batch_sum(s.dy[s.j] * s.normalized(s.j), s.j))


@pytest.mark.parametrize("fn, words", [
    (mutate(var_term=0), "x-hat_k * sum_j dy_j x-hat_j is missing"),
    (mutate(mean_term=0), "-sum_j dy_j is missing"),
    (mutate(var_term=-1), "wrong sign"),
    (mutate(scale=s.gamma * ISTD / (s.m - 1), size=s.m - 1), "m - 1"),
    (mutate(scale=ISTD / s.m), "gamma is missing"),
    (mutate(scale=s.gamma * ISTD ** 3 / s.m), "sqrt(var + eps)^3"),
    (mutate(scale=2 * s.gamma * ISTD / s.m), "not equal to dL/dx_k for every m"),
], ids=["var-term", "mean-term", "sign", "m-1", "gamma", "istd^3", "other"])
def test_symbolic_dx_mistakes_are_named(fn, words):
    fails_with(check_symbolic_dx, fn, words)


def test_symbolic_dx_refuses_what_it_cannot_prove():
    fails_with(check_symbolic_dx, lambda: None, "not done yet")
    fails_with(check_symbolic_dx, lambda: 3.0, "SymPy expression")
    fails_with(check_symbolic_dx, lambda: s.gamma * s.dy[s.i], "dy[k]")
    fails_with(check_symbolic_dx, lambda: s.dy[s.k] * (s.x[s.k] - s.mu), "display symbols")
    fails_with(check_symbolic_dx, lambda: s.dy[s.k] + sp.Sum(s.x[s.j], (s.j, 1, s.m - 1)), "cannot be reduced")


# ---------------------------------------------------------------- check_symbolic_dvar (appendix 12)

from bncourse.checks.derivation import check_symbolic_dvar  # noqa: E402

CENTRED = s.x[s.k] - s.batch_mean()


@pytest.mark.parametrize("fn", [
    lambda: 2 * CENTRED / s.m,
    lambda: 2 * s.x[s.k] / s.m - 2 * s.batch_sum(s.x[s.j], s.j) / s.m ** 2,
    lambda: s.batch_variance().diff(s.x[s.k]),
    lambda: 2 * s.normalized(s.k) * sp.sqrt(s.batch_variance() + s.eps) / s.m,
], ids=["centred", "expanded", "raw-derivative", "via-xhat"])
def test_correct_symbolic_dvar_pass(fn):
    assert check_symbolic_dvar(fn) is True


@pytest.mark.parametrize("fn, words", [
    (lambda: CENTRED / s.m, "factor 2 is missing"),
    (lambda: 2 * CENTRED / (s.m - 1), "m - 1"),
    (lambda: 2 * s.x[s.k] / s.m, "the mean is missing"),
    (lambda: 2 * CENTRED, "1/m is missing"),
    (lambda: -2 * CENTRED / s.m, "sign is wrong"),
    (lambda: 3 * CENTRED / s.m, "not equal to d sigma_B^2 / d x_k"),
], ids=["factor-2", "m-1", "no-mean", "no-1/m", "sign", "other"])
def test_symbolic_dvar_mistakes_are_named(fn, words):
    fails_with(check_symbolic_dvar, fn, words)


def test_symbolic_dvar_refuses_what_it_cannot_prove():
    fails_with(check_symbolic_dvar, lambda: None, "not done yet")
    fails_with(check_symbolic_dvar, lambda: 2.0, "SymPy expression")
    fails_with(check_symbolic_dvar, lambda: 2 * s.x[s.i] / s.m, "x[k]")
    fails_with(check_symbolic_dvar, lambda: 2 * (s.x[s.k] - s.mu) / s.m, "display symbols")
    fails_with(check_symbolic_dvar, lambda: s.x[s.k] + sp.Sum(s.x[s.j], (s.j, 1, s.m - 1)), "cannot be reduced")
