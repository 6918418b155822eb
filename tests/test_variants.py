"""Ghost BatchNorm, Batch Renormalization and RMSNorm: finite differences, and each as a change of
the statistics of BatchNorm or LayerNorm."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bnlib
from bnlib import (batch_renorm_backward, batch_renorm_forward, ghost_batchnorm_backward, ghost_batchnorm_forward,
                   numerical_gradient, rel_error, rmsnorm_backward, rmsnorm_forward)
from test_norms import assert_gradients, make_rows

EPS = 1e-2


def renorm_inputs(N, D, seed):
    x, gamma, beta, dout = make_rows(N, D, seed)
    rng = np.random.default_rng(seed + 1)
    running_mean = x.mean(axis=0) + rng.standard_normal(D)          # far enough that d is clipped sometimes
    running_std = x.std(axis=0) * rng.uniform(0.3, 3.0, D)
    return x, gamma, beta, dout, running_mean, running_std


# ---------------------------------------------------------------- Ghost BatchNorm

@settings(max_examples=25, deadline=None)
@given(V=st.integers(1, 3), g=st.integers(2, 4), D=st.integers(1, 3), seed=st.integers(0, 2**32 - 1))
def test_ghost_batchnorm_gradients(V, g, D, seed):
    assert_gradients(ghost_batchnorm_forward, ghost_batchnorm_backward, *make_rows(V * g, D, seed), g)


def test_ghost_batchnorm_is_batchnorm_of_each_virtual_batch():
    x, gamma, beta, dout = make_rows(12, 3, 1)
    out, cache = ghost_batchnorm_forward(x, gamma, beta, 4)
    dx, dgamma, dbeta = ghost_batchnorm_backward(dout, cache)
    parts = [bnlib.batchnorm_forward(x[v:v + 4], gamma, beta) for v in range(0, 12, 4)]
    grads = [bnlib.batchnorm_backward(dout[v:v + 4], c) for v, (_, c) in zip(range(0, 12, 4), parts)]
    assert rel_error(out, np.concatenate([o for o, _ in parts])) < 1e-12
    assert rel_error(dx, np.concatenate([g[0] for g in grads])) < 1e-12
    assert rel_error(dgamma, sum(g[1] for g in grads)) < 1e-12
    assert rel_error(dbeta, sum(g[2] for g in grads)) < 1e-12
    whole, _ = ghost_batchnorm_forward(x, gamma, beta, 12)                 # one virtual batch: BatchNorm
    assert rel_error(whole, bnlib.batchnorm_forward(x, gamma, beta)[0]) < 1e-12
    assert rel_error(out, whole) > 1e-2


# ---------------------------------------------------------------- Batch Renormalization

def renorm(r_max, d_max):
    def forward(x, gamma, beta, running_mean, running_std, eps):
        return batch_renorm_forward(x, gamma, beta, running_mean, running_std, r_max, d_max, eps)
    return forward


@pytest.mark.parametrize("r_max, d_max", [(1.0, 0.0), (1.5, 0.5), (3.0, 5.0), (100.0, 100.0)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_batch_renorm_gradients_with_r_and_d_held_constant(r_max, d_max, seed):
    x, gamma, beta, dout, rm, rs = renorm_inputs(6, 4, seed)
    forward = renorm(r_max, d_max)
    out, cache = forward(x, gamma, beta, rm, rs, EPS)
    dx, dgamma, dbeta = batch_renorm_backward(dout, cache)
    frozen = cache.r, cache.d      # r and d of this step, as constants

    def with_r_d_constant(z):
        mu = z.mean(axis=0)
        return gamma * ((z - mu) / np.sqrt(z.var(axis=0) + EPS) * frozen[0] + frozen[1]) + beta
    assert rel_error(with_r_d_constant(x), out) < 1e-12
    assert rel_error(dx, numerical_gradient(with_r_d_constant, x, dout)) < 1e-7
    assert rel_error(dgamma, numerical_gradient(lambda g: forward(x, g, beta, rm, rs, EPS), gamma, dout)) < 1e-7
    assert rel_error(dbeta, numerical_gradient(lambda b: forward(x, gamma, b, rm, rs, EPS), beta, dout)) < 1e-7


def test_batch_renorm_with_r_max_1_and_d_max_0_is_batchnorm():
    x, gamma, beta, dout, rm, rs = renorm_inputs(5, 3, 4)
    out, cache = batch_renorm_forward(x, gamma, beta, rm, rs, 1.0, 0.0)
    bn_out, bn_cache = bnlib.batchnorm_forward(x, gamma, beta)
    assert rel_error(out, bn_out) < 1e-12
    for a, b in zip(batch_renorm_backward(dout, cache), bnlib.batchnorm_backward(dout, bn_cache)):
        assert rel_error(a, b) < 1e-12


def test_unclipped_batch_renorm_outputs_the_inference_transform_but_its_gradient_is_r_times_batchnorms():
    x, gamma, beta, dout, rm, rs = renorm_inputs(6, 3, 7)
    out, cache = batch_renorm_forward(x, gamma, beta, rm, rs, 1e6, 1e6, EPS)
    assert rel_error(out, gamma * (x - rm) / rs + beta) < 1e-12
    dx, _, _ = batch_renorm_backward(dout, cache)
    bn_dx = bnlib.batchnorm_backward(dout, bnlib.batchnorm_forward(x, gamma, beta, EPS)[1])[0]
    assert rel_error(dx, cache.r * bn_dx) < 1e-12
    assert rel_error(dx, gamma * dout / rs) > 1e-2          # not the gradient of the output as computed


def test_r_and_d_are_clipped():
    x, gamma, beta, _, rm, _ = renorm_inputs(6, 3, 3)
    _, cache = batch_renorm_forward(x, gamma, beta, rm + 100.0, np.full(3, 1e-3), 2.0, 0.5)
    np.testing.assert_array_equal(cache.r, 2.0)
    np.testing.assert_array_equal(cache.d, -0.5)
    _, cache = batch_renorm_forward(x, gamma, beta, rm - 1e6, np.full(3, 1e3), 2.0, 0.5)
    np.testing.assert_array_equal(cache.r, 0.5)
    np.testing.assert_array_equal(cache.d, 0.5)


# ---------------------------------------------------------------- RMSNorm

@settings(max_examples=30, deadline=None)
@given(N=st.integers(1, 4), D=st.integers(1, 6), seed=st.integers(0, 2**32 - 1))
def test_rmsnorm_gradients(N, D, seed):
    x, gamma, _, dout = make_rows(N, D, seed)
    _, cache = rmsnorm_forward(x, gamma, EPS)
    dx, dgamma = rmsnorm_backward(dout, cache)
    assert dx.shape == x.shape and dgamma.shape == gamma.shape
    assert rel_error(dx, numerical_gradient(lambda z: rmsnorm_forward(z, gamma, EPS), x, dout)) < 1e-7
    assert rel_error(dgamma, numerical_gradient(lambda g: rmsnorm_forward(x, g, EPS), gamma, dout)) < 1e-7


def test_rmsnorm_is_layernorm_of_centred_rows_and_its_dx_has_no_mean_term():
    x, gamma, beta, dout = make_rows(4, 5, 3)
    centred = x - x.mean(axis=1, keepdims=True)
    rms, rms_cache = rmsnorm_forward(centred, gamma, 1e-3)
    ln, ln_cache = bnlib.layernorm_forward(centred, gamma, np.zeros(5), 1e-3)
    assert rel_error(rms, ln) < 1e-12
    # on centred rows the two dx differ exactly by LayerNorm's mean path, -istd/D * sum_e g_e
    rms_dx, _ = rmsnorm_backward(dout, rms_cache)
    ln_dx, _, _ = bnlib.layernorm_backward(dout, ln_cache)
    mean_path = -ln_cache.istd / 5 * (dout * gamma).sum(axis=1, keepdims=True)
    assert rel_error(ln_dx, rms_dx + mean_path) < 1e-12
    assert rel_error(rmsnorm_forward(x, gamma, 1e-3)[0], bnlib.layernorm_forward(x, gamma, beta, 1e-3)[0]) > 1e-2


def test_rmsnorm_dx_is_orthogonal_to_x_when_eps_is_zero_in_the_limit():
    """Scaling a row does not change its output (eps -> 0), so dx is orthogonal to that row."""
    x, gamma, _, dout = make_rows(3, 6, 5)
    _, cache = rmsnorm_forward(x, gamma, 1e-12)
    dx, _ = rmsnorm_backward(dout, cache)
    np.testing.assert_allclose((dx * x).sum(axis=1), 0, atol=1e-9)


def test_float32_in_gives_float32_out():
    x, gamma, beta, dout = make_rows(4, 4, 6, np.float32)
    out, cache = rmsnorm_forward(x, gamma)
    assert out.dtype == np.float32 and all(g.dtype == np.float32 for g in rmsnorm_backward(dout, cache))
    out, cache = ghost_batchnorm_forward(x, gamma, beta, 2)
    assert out.dtype == np.float32 and all(g.dtype == np.float32 for g in ghost_batchnorm_backward(dout, cache))
    out, cache = batch_renorm_forward(x, gamma, beta, np.zeros(4), np.ones(4))
    assert out.dtype == np.float32 and all(g.dtype == np.float32 for g in batch_renorm_backward(dout, cache))


X = np.arange(12.0).reshape(4, 3) ** 1.5


@pytest.mark.parametrize("call, error, words", [
    (lambda: ghost_batchnorm_forward(X, np.ones(3), np.zeros(3), 3), ValueError, "ghost_size must divide N"),
    (lambda: ghost_batchnorm_forward(X, np.ones(3), np.zeros(3), 1), ValueError, "int >= 2"),
    (lambda: ghost_batchnorm_forward(X, np.ones(3), np.zeros(3), 2.0), ValueError, "int >= 2"),
    (lambda: batch_renorm_forward(X, np.ones(3), np.zeros(3), np.zeros(3), np.ones(3), 0.5), ValueError, "r_max"),
    (lambda: batch_renorm_forward(X, np.ones(3), np.zeros(3), np.zeros(3), np.ones(3), 2, -1), ValueError, "d_max"),
    (lambda: batch_renorm_forward(X, np.ones(3), np.zeros(3), np.zeros(3), np.zeros(3)), ValueError,
     "running_std must be > 0"),
    (lambda: batch_renorm_forward(X, np.ones(3), np.zeros(3), np.zeros(2), np.ones(3)), ValueError, "running_mean"),
    (lambda: batch_renorm_forward(X[:1], np.ones(3), np.zeros(3), np.zeros(3), np.ones(3)), ValueError,
     "batch too small"),
    (lambda: rmsnorm_forward(X, np.ones(4)), ValueError, r"gamma must have shape \(3,\)"),
    (lambda: rmsnorm_forward(X[0], np.ones(3)), ValueError, "must be 2-D"),
    (lambda: rmsnorm_forward(X, np.ones(3), 0), ValueError, "eps must be > 0"),
    (lambda: rmsnorm_backward(X, bnlib.layernorm_forward(X, np.ones(3), np.zeros(3))[1]), TypeError,
     "returned by rmsnorm_forward"),
    (lambda: batch_renorm_backward(X, bnlib.batchnorm_forward(X, np.ones(3), np.zeros(3))[1]), TypeError,
     "returned by batch_renorm_forward"),
    (lambda: ghost_batchnorm_backward(X, bnlib.layernorm_forward(X, np.ones(3), np.zeros(3))[1]), TypeError,
     "returned by ghost_batchnorm_forward"),
    (lambda: rmsnorm_backward(X[:2], rmsnorm_forward(X, np.ones(3))[1]), ValueError, r"dout must have shape"),
])
def test_bad_input_gets_a_clear_message(call, error, words):
    with pytest.raises(error, match=words):
        call()
