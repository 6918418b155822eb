"""bnlib's core: forward statistics, both backward passes against finite differences, every error path."""
import inspect

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bnlib
from bnlib import (
    batchnorm_backward,
    batchnorm_backward_staged,
    batchnorm_forward,
    numerical_gradient,
    rel_error,
)

BACKWARDS = [batchnorm_backward, batchnorm_backward_staged]


def make_batch(N, D, seed, dtype=np.float64):
    """A batch whose features have distinct means and scales, with gamma != 1, beta != 0, random dout."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-5, 5, D) + rng.uniform(0.1, 3, D) * rng.standard_normal((N, D))
    gamma = rng.uniform(0.5, 2.0, D) * rng.choice([-1, 1], D)
    beta = rng.standard_normal(D)
    dout = rng.standard_normal((N, D)) + rng.standard_normal(D)
    return (a.astype(dtype) for a in (x, gamma, beta, dout))


def dx_error(dx, reference, gamma, cache, dout):
    """Error of dx against the size of the terms it is a difference of.

    dx = gamma istd / m (m dy - sum dy - xhat sum dy xhat): when the terms nearly
    cancel (N = 2 gives |dx| of order eps), any two correct computations differ by
    rounding of the terms' size, so that is the scale to measure against.
    """
    terms = np.abs(gamma * cache.istd * dout).max()
    return np.abs(dx - reference).max() / max(terms, np.abs(reference).max())


# ---------------------------------------------------------------- forward statistics

@settings(max_examples=40, deadline=None)
@given(N=st.integers(2, 64), D=st.integers(1, 16), seed=st.integers(0, 2**32 - 1))
def test_forward_normalizes_every_feature(N, D, seed):
    x, _, _, _ = make_batch(N, D, seed)
    eps = 1e-3
    _, cache = batchnorm_forward(x, np.ones(D), np.zeros(D), eps)
    var = x.var(axis=0)
    np.testing.assert_allclose(cache.xhat.mean(axis=0), 0, atol=1e-12)
    # the variance of xhat is var / (var + eps): eps shrinks it a little below 1
    np.testing.assert_allclose(cache.xhat.var(axis=0), var / (var + eps), rtol=1e-10)


@settings(max_examples=40, deadline=None)
@given(N=st.integers(2, 64), D=st.integers(1, 16), seed=st.integers(0, 2**32 - 1))
def test_gamma_beta_set_any_target_mean_and_std(N, D, seed):
    x, _, _, _ = make_batch(N, D, seed)
    rng = np.random.default_rng(seed)
    target_mean = rng.uniform(-10, 10, D)
    target_std = rng.uniform(0.1, 10, D)
    eps = 1e-5
    var = x.var(axis=0)
    # choose gamma to undo the small shrink by eps: std(xhat) = sqrt(var / (var + eps))
    gamma = target_std / np.sqrt(var / (var + eps))
    out, _ = batchnorm_forward(x, gamma, target_mean, eps)
    assert np.all(np.abs(out.mean(axis=0) - target_mean) < 1e-9 * (1 + np.abs(target_mean)))
    np.testing.assert_allclose(out.std(axis=0), target_std, rtol=1e-9)


def test_identity_is_recovered_with_gamma_std_and_beta_mean():
    x, _, _, _ = make_batch(8, 5, 1)
    eps = 1e-5
    out, _ = batchnorm_forward(x, np.sqrt(x.var(axis=0) + eps), x.mean(axis=0), eps)
    np.testing.assert_allclose(out, x, rtol=1e-12, atol=1e-12)


def test_variance_is_computed_stably_for_a_large_offset():
    rng = np.random.default_rng(0)
    noise = rng.standard_normal((256, 3))
    x = 1e8 + noise
    _, cache = batchnorm_forward(x, np.ones(3), np.zeros(3))
    # the naive E[x^2] - E[x]^2 loses every digit here: check that it would
    naive = (x**2).mean(axis=0) - x.mean(axis=0) ** 2
    assert rel_error(naive, noise.var(axis=0)) > 0.1
    assert rel_error(cache.var, noise.var(axis=0)) < 1e-6
    np.testing.assert_allclose(cache.xhat.std(axis=0), 1.0, rtol=1e-4)


# ---------------------------------------------------------------- gradients

@settings(max_examples=25, deadline=None)
@given(N=st.integers(2, 64), D=st.integers(1, 16), seed=st.integers(0, 2**32 - 1))
@pytest.mark.parametrize("backward", BACKWARDS, ids=["compact", "staged"])
def test_backward_matches_finite_differences(backward, N, D, seed):
    x, gamma, beta, dout = make_batch(N, D, seed)
    eps = 1e-2
    _, cache = batchnorm_forward(x, gamma, beta, eps)
    dx, dgamma, dbeta = backward(dout, cache)
    dx_num = numerical_gradient(lambda z: batchnorm_forward(z, gamma, beta, eps), x, dout)
    dgamma_num = numerical_gradient(lambda g: batchnorm_forward(x, g, beta, eps), gamma, dout)
    dbeta_num = numerical_gradient(lambda b: batchnorm_forward(x, gamma, b, eps), beta, dout)
    assert dx.shape == x.shape and dgamma.shape == (D,) and dbeta.shape == (D,)
    assert dx_error(dx, dx_num, gamma, cache, dout) < 1e-7
    assert rel_error(dgamma, dgamma_num) < 1e-7
    assert rel_error(dbeta, dbeta_num) < 1e-7


@settings(max_examples=50, deadline=None)
@given(N=st.integers(2, 64), D=st.integers(1, 16), seed=st.integers(0, 2**32 - 1))
def test_staged_and_compact_agree_to_1e_12(N, D, seed):
    x, gamma, beta, dout = make_batch(N, D, seed)
    _, cache = batchnorm_forward(x, gamma, beta)
    dx, dgamma, dbeta = batchnorm_backward(dout, cache)
    dx_s, dgamma_s, dbeta_s = batchnorm_backward_staged(dout, cache)
    assert rel_error(dgamma, dgamma_s) < 1e-12
    assert rel_error(dbeta, dbeta_s) < 1e-12
    assert dx_error(dx, dx_s, gamma, cache, dout) < 1e-12


def test_dx_sums_to_zero_and_feels_scaling_only_through_eps():
    # shifting every x_i of a feature by c leaves y unchanged, so sum_i dx_i = 0;
    # scaling x - mu changes y only through eps: sum_i dx_i (x_i - mu) = gamma istd^2 eps dgamma
    x, gamma, beta, dout = make_batch(16, 4, 3)
    eps = 0.5
    _, cache = batchnorm_forward(x, gamma, beta, eps)
    dx, dgamma, _ = batchnorm_backward(dout, cache)
    scale = np.abs(gamma * cache.istd * dout).max() * 16
    np.testing.assert_allclose(dx.sum(axis=0), 0, atol=1e-13 * scale)
    np.testing.assert_allclose((dx * cache.xmu).sum(axis=0),
                               gamma * cache.istd**2 * eps * dgamma, rtol=1e-10)


@pytest.mark.parametrize("backward", BACKWARDS, ids=["compact", "staged"])
def test_float32_in_gives_float32_out(backward):
    x, gamma, beta, dout = make_batch(32, 6, 4, dtype=np.float32)
    out, cache = batchnorm_forward(x, gamma, beta)
    grads = backward(dout, cache)
    assert out.dtype == np.float32
    assert all(g.dtype == np.float32 for g in grads)
    x64, g64, b64, d64 = make_batch(32, 6, 4, dtype=np.float32)
    ref = batchnorm_backward(d64.astype(np.float64),
                             batchnorm_forward(x64.astype(np.float64), g64.astype(np.float64),
                                               b64.astype(np.float64))[1])
    for g, r in zip(grads, ref):
        assert rel_error(g, r) < 1e-4


def test_float64_in_gives_float64_out_and_float64_params_follow_float32_x():
    x, gamma, beta, dout = make_batch(8, 3, 5)
    out, cache = batchnorm_forward(x, gamma, beta)
    assert out.dtype == np.float64
    out32, _ = batchnorm_forward(x.astype(np.float32), gamma, beta)   # float64 gamma, beta
    assert out32.dtype == np.float32


def test_integer_input_is_converted_to_float64():
    x = np.arange(12).reshape(4, 3) ** 2
    out, _ = batchnorm_forward(x, np.ones(3, dtype=int), np.zeros(3, dtype=int))
    assert out.dtype == np.float64
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-12)


def test_inputs_are_not_modified():
    x, gamma, beta, dout = make_batch(8, 3, 6)
    copies = [a.copy() for a in (x, gamma, beta, dout)]
    _, cache = batchnorm_forward(x, gamma, beta)
    for backward in BACKWARDS:
        backward(dout, cache)
    for a, c in zip((x, gamma, beta, dout), copies):
        np.testing.assert_array_equal(a, c)


# ---------------------------------------------------------------- helpers

def test_numerical_gradient_of_a_known_function():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    dout = np.array([[1.0, 2.0], [-1.0, 0.5]])
    grad = numerical_gradient(lambda z: z**3, x, dout)
    np.testing.assert_allclose(grad, 3 * x**2 * dout, rtol=1e-8)
    np.testing.assert_array_equal(x, [[1.0, -2.0], [0.5, 3.0]])   # x restored


def test_numerical_gradient_refuses_mismatched_shapes():
    with pytest.raises(ValueError, match="shape"):
        numerical_gradient(lambda z: z.sum(axis=0), np.ones((3, 2)), np.ones((3, 2)))


def test_rel_error():
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0
    assert rel_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert rel_error([1.0, 2.0], [1.0, 2.2]) == pytest.approx(0.2 / 2.2)
    with pytest.raises(ValueError, match="shapes"):
        rel_error(np.ones(3), np.ones(4))


def test_every_public_function_states_its_equation():
    functions = [name for name in bnlib.__all__ if inspect.isfunction(getattr(bnlib, name))]
    assert "batchnorm_backward" in functions and len(functions) >= 15
    for name in functions:
        doc = getattr(bnlib, name).__doc__
        assert doc and ("math::" in doc or "=" in doc), name


# ---------------------------------------------------------------- bad input

GOOD_X = np.arange(12.0).reshape(4, 3) ** 1.5


@pytest.mark.parametrize(
    "x, gamma, beta, eps, error, words",
    [
        (np.ones(5), np.ones(5), np.zeros(5), 1e-5, ValueError, r"2-D.*\(5,\)"),
        (np.ones((2, 3, 4)), np.ones(3), np.zeros(3), 1e-5, ValueError, "2-D"),
        (GOOD_X, np.ones(4), np.zeros(3), 1e-5, ValueError, r"gamma must have shape \(3,\)"),
        (GOOD_X, np.ones((1, 3)), np.zeros(3), 1e-5, ValueError, r"gamma must have shape \(3,\)"),
        (GOOD_X, np.ones(3), np.zeros(2), 1e-5, ValueError, r"beta must have shape \(3,\)"),
        (GOOD_X[:1], np.ones(3), np.zeros(3), 1e-5, ValueError, "batch too small: N = 1"),
        (np.where(GOOD_X > 5, np.nan, GOOD_X), np.ones(3), np.zeros(3), 1e-5, ValueError, "NaN"),
        (np.where(GOOD_X > 5, np.inf, GOOD_X), np.ones(3), np.zeros(3), 1e-5, ValueError, "inf"),
        (GOOD_X, np.ones(3), np.zeros(3), 0.0, ValueError, "eps must be > 0"),
        (GOOD_X, np.ones(3), np.zeros(3), -1e-5, ValueError, "eps must be > 0"),
        (GOOD_X, np.ones(3), np.zeros(3), "small", TypeError, "eps must be a positive real number"),
        (GOOD_X, np.ones(3), np.zeros(3), "1e-5", TypeError, r"eps must be a positive real number, such as 1e-5; got '1e-5' \(str\)"),
        (GOOD_X, np.ones(3), np.zeros(3), True, TypeError, "eps must be a positive real number"),
        (GOOD_X, np.ones(3), np.zeros(3), np.array([1e-5]), TypeError, "eps must be a positive real number"),
        (GOOD_X.astype(object), np.ones(3), np.zeros(3), 1e-5, TypeError, "dtype object"),
        (GOOD_X.astype(complex), np.ones(3), np.zeros(3), 1e-5, TypeError, "dtype complex"),
        (GOOD_X, np.array(["a", "b", "c"]), np.zeros(3), 1e-5, TypeError, "gamma has dtype"),
        ([[1.0, 2.0], [3.0]], np.ones(2), np.zeros(2), 1e-5, TypeError, "x could not be turned"),
    ],
)
def test_forward_refuses_bad_input_with_a_clear_message(x, gamma, beta, eps, error, words):
    with pytest.raises(error, match=words):
        batchnorm_forward(x, gamma, beta, eps)


@pytest.mark.parametrize("backward", BACKWARDS, ids=["compact", "staged"])
def test_backward_refuses_bad_dout_and_cache(backward):
    _, cache = batchnorm_forward(GOOD_X, np.ones(3), np.zeros(3))
    with pytest.raises(ValueError, match=r"dout must have shape \(4, 3\).*got shape \(3, 4\)"):
        backward(np.ones((3, 4)), cache)
    with pytest.raises(ValueError, match="dout contains 7 NaN"):
        backward(np.where(GOOD_X > 10, np.nan, 1.0), cache)
    with pytest.raises(TypeError, match="dout has dtype object"):
        backward(np.ones((4, 3), dtype=object), cache)
    with pytest.raises(TypeError, match="cache must be the second value returned by batchnorm_forward"):
        backward(np.ones((4, 3)), (1, 2, 3))


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")   # NumPy's, then ours
@pytest.mark.parametrize("dtype, scale", [(np.float64, 1e160), (np.float32, 1e20)])
def test_a_variance_that_overflows_is_refused_not_returned_as_zeros(dtype, scale):
    x = (GOOD_X * scale).astype(dtype)
    with pytest.raises(ValueError, match=r"the variance of x overflows .*Scale it down first"):
        batchnorm_forward(x, np.ones(3, dtype), np.zeros(3, dtype))


def test_a_large_input_whose_variance_fits_is_normalized_as_a_small_one():
    out_large, _ = batchnorm_forward(GOOD_X * 1e150, np.ones(3), np.zeros(3))
    out, _ = batchnorm_forward(GOOD_X, np.ones(3), np.zeros(3), eps=1e-300)
    assert np.allclose(out_large, out, rtol=1e-12, atol=1e-12)
