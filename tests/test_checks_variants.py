"""bncourse.checks.variants: the pieces the checkers' mistake variants share, given bnlib's statistics,
give bnlib's own results (so that a variant differs from bnlib's answer by its mistake alone)."""
import numpy as np
import pytest

import bnlib
from bncourse.checks import backward
from bncourse.checks.core import checker_inputs
from bncourse.checks.variants import compact_dx, dx_terms, statistics


@pytest.mark.parametrize("shape, axes", [((4, 3), 0), ((4, 3), 1), ((4, 3), None), ((2, 3, 2, 4), (0, 2, 3)),
                                         ((5,), 0)])
def test_statistics_are_bnlibs_and_numpys(shape, axes):
    x = np.random.default_rng(0).standard_normal(shape) * 2.0 + 1.5
    xmu, cache = statistics(x, axes, 0.1)
    reduced = tuple(range(x.ndim)) if axes is None else axes
    np.testing.assert_allclose(xmu, x - x.mean(axis=reduced, keepdims=True), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(cache.var, x.var(axis=reduced, keepdims=True), rtol=1e-12)
    np.testing.assert_array_equal(cache.xhat, bnlib.normalize_forward(x, 1.0, 0.0, reduced, 0.1)[1].xhat)
    assert cache.m == x.size // cache.var.size


@pytest.mark.parametrize("N, D, seed", [(4, 3, 0), (6, 5, 1)])
def test_the_compact_formula_on_bnlibs_statistics_is_bnlibs_dx(N, D, seed):
    x, gamma, beta, dout, eps = checker_inputs(N, D, seed)
    _, cache = bnlib.batchnorm_forward(x, gamma, beta, eps)
    dx = bnlib.batchnorm_backward(dout, cache)[0]
    np.testing.assert_allclose(compact_dx(cache.xhat, cache.istd, gamma, dout, N), dx, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(sum(dx_terms(cache.xhat, cache.istd, gamma, dout, N)), dx, rtol=1e-10, atol=1e-12)


def test_the_layernorm_form_with_gamma_inside_is_bnlibs_dx():
    x, gamma, beta, dout, eps = checker_inputs(4, 5, 3)
    _, cache = bnlib.layernorm_forward(x, gamma, beta, eps)
    dx = bnlib.layernorm_backward(dout, cache)[0]
    np.testing.assert_allclose(compact_dx(cache.xhat, cache.istd, 1.0, dout * gamma, 5, axis=1), dx,
                               rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("N, D, seed", [(4, 3, 0), (6, 5, 1)])
def test_the_backward_statistics_without_a_mistake_are_bnlibs(N, D, seed):
    x, gamma, beta, _, eps = checker_inputs(N, D, seed)
    _, cache = bnlib.batchnorm_forward(x, gamma, beta, eps)
    xmu, istd, xhat = backward.batch_statistics(x, eps)
    np.testing.assert_allclose(xmu, np.broadcast_to(cache.xmu, xmu.shape), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(istd.ravel(), cache.istd, rtol=1e-12)
    np.testing.assert_allclose(xhat, cache.xhat, rtol=1e-12, atol=1e-12)
    # a statistics mistake changes them: the unbiased variance, eps outside the root
    m = N
    np.testing.assert_allclose(backward.batch_statistics(x, eps, "unbiased")[1].ravel(),
                               1 / np.sqrt(cache.var * m / (m - 1) + eps), rtol=1e-12)
    np.testing.assert_allclose(backward.batch_statistics(x, eps, "sqrt(var) + eps")[1].ravel(),
                               1 / (np.sqrt(cache.var) + eps), rtol=1e-12)
