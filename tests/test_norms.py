"""Normalization over other axes: spatial BatchNorm, LayerNorm, GroupNorm and the general function."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bnlib
from bnlib import (
    groupnorm_backward,
    groupnorm_forward,
    layernorm_backward,
    layernorm_forward,
    normalize_backward,
    normalize_forward,
    numerical_gradient,
    rel_error,
    spatial_batchnorm_backward,
    spatial_batchnorm_backward_via_2d,
    spatial_batchnorm_forward,
    spatial_batchnorm_forward_via_2d,
)

EPS = 1e-2   # large enough that no group of a random test input is nearly constant relative to eps


def make_conv(N, C, H, W, seed, dtype=np.float64):
    """A conv batch whose channels have distinct means and scales, gamma != 1, beta != 0, random dout."""
    rng = np.random.default_rng(seed)
    x = (rng.uniform(-3, 3, (1, C, 1, 1))
         + rng.uniform(0.5, 2, (1, C, 1, 1)) * rng.standard_normal((N, C, H, W)))
    gamma = rng.uniform(0.5, 2.0, C) * rng.choice([-1, 1], C)
    beta = rng.standard_normal(C)
    dout = rng.standard_normal((N, C, H, W)) + rng.standard_normal((1, C, 1, 1))
    return (a.astype(dtype) for a in (x, gamma, beta, dout))


def make_rows(N, D, seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 3, (N, 1)) + rng.uniform(0.5, 2, (N, 1)) * rng.standard_normal((N, D))
    gamma = rng.uniform(0.5, 2.0, D) * rng.choice([-1, 1], D)
    beta = rng.standard_normal(D)
    dout = rng.standard_normal((N, D))
    return (a.astype(dtype) for a in (x, gamma, beta, dout))


def dx_error(dx, reference, dout, gamma, istd):
    """Error of dx against the size of the terms it is a difference of (see test_batchnorm.dx_error)."""
    terms = np.abs(dout).max() * np.abs(gamma).max() * np.abs(istd).max()
    return np.abs(dx - reference).max() / max(terms, np.abs(reference).max())


def assert_gradients(forward, backward, x, gamma, beta, dout, *extra):
    """dx, dgamma and dbeta of ``backward`` against central differences of ``forward``."""
    _, cache = forward(x, gamma, beta, *extra, EPS)
    dx, dgamma, dbeta = backward(dout, cache)
    dx_num = numerical_gradient(lambda z: forward(z, gamma, beta, *extra, EPS), x, dout)
    dgamma_num = numerical_gradient(lambda g: forward(x, g, beta, *extra, EPS), gamma, dout)
    dbeta_num = numerical_gradient(lambda b: forward(x, gamma, b, *extra, EPS), beta, dout)
    assert dx.shape == x.shape and dgamma.shape == gamma.shape and dbeta.shape == beta.shape
    assert dx_error(dx, dx_num, dout, gamma, cache.istd) < 1e-7
    assert rel_error(dgamma, dgamma_num) < 1e-7
    assert rel_error(dbeta, dbeta_num) < 1e-7


conv_shapes = dict(N=st.integers(1, 3), C=st.integers(1, 4), H=st.integers(1, 3),
                   W=st.integers(1, 3), seed=st.integers(0, 2**32 - 1))


# ---------------------------------------------------------------- gradients against finite differences

@settings(max_examples=30, deadline=None)
@given(**conv_shapes)
def test_spatial_batchnorm_gradients(N, C, H, W, seed):
    if N * H * W < 2:
        return
    assert_gradients(spatial_batchnorm_forward, spatial_batchnorm_backward, *make_conv(N, C, H, W, seed))


@settings(max_examples=30, deadline=None)
@given(N=st.integers(1, 4), D=st.integers(2, 8), seed=st.integers(0, 2**32 - 1))
def test_layernorm_gradients(N, D, seed):
    assert_gradients(layernorm_forward, layernorm_backward, *make_rows(N, D, seed))


@settings(max_examples=30, deadline=None)
@given(G=st.integers(1, 3), per_group=st.integers(1, 3), N=st.integers(1, 2), H=st.integers(1, 3),
       W=st.integers(1, 3), seed=st.integers(0, 2**32 - 1))
def test_groupnorm_gradients(G, per_group, N, H, W, seed):
    if per_group * H * W < 2:
        return
    assert_gradients(groupnorm_forward, groupnorm_backward, *make_conv(N, G * per_group, H, W, seed), G)


@settings(max_examples=20, deadline=None)
@given(shape=st.lists(st.integers(1, 3), min_size=1, max_size=4), data=st.data())
def test_general_normalize_gradients_for_any_axes_and_gamma_layout(shape, data):
    ndim = len(shape)
    axes = tuple(data.draw(st.sets(st.integers(0, ndim - 1), min_size=1)))
    if np.prod([shape[a] for a in axes]) < 2:
        return
    gamma_shape = tuple(data.draw(st.sampled_from([1, n])) for n in shape)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    x = rng.standard_normal(shape) * 2 + 1
    gamma = rng.uniform(0.5, 2, gamma_shape)
    beta = rng.standard_normal(gamma_shape)
    dout = rng.standard_normal(shape)
    forward = lambda x, g, b, eps: normalize_forward(x, g, b, axes, eps)  # noqa: E731
    assert_gradients(forward, normalize_backward, x, gamma, beta, dout)


# ---------------------------------------------------------------- the same numbers, computed other ways

@settings(max_examples=30, deadline=None)
@given(**conv_shapes)
def test_spatial_batchnorm_equals_transpose_reshape_to_2d_batchnorm(N, C, H, W, seed):
    if N * H * W < 2:
        return
    x, gamma, beta, dout = make_conv(N, C, H, W, seed)
    out, cache = spatial_batchnorm_forward(x, gamma, beta)
    out2, cache2 = spatial_batchnorm_forward_via_2d(x, gamma, beta)
    assert rel_error(out, out2) < 1e-12
    for a, b in zip(spatial_batchnorm_backward(dout, cache), spatial_batchnorm_backward_via_2d(dout, cache2)):
        assert a.shape == b.shape
        assert dx_error(a, b, dout, gamma, cache.istd) < 1e-12


def test_spatial_statistics_are_per_channel_over_n_h_w():
    x, gamma, beta, _ = make_conv(3, 4, 5, 2, 0)
    out, cache = spatial_batchnorm_forward(x, np.ones(4), np.zeros(4), 1e-5)
    assert cache.m == 3 * 5 * 2 and cache.var.shape == (1, 4, 1, 1)
    np.testing.assert_allclose(cache.var.ravel(), x.var(axis=(0, 2, 3)), rtol=1e-12)
    np.testing.assert_allclose(out.mean(axis=(0, 2, 3)), 0, atol=1e-12)


def test_missing_transpose_mixes_channels_and_is_not_spatial_batchnorm():
    x, gamma, beta, _ = make_conv(2, 3, 2, 2, 1)
    N, C, H, W = x.shape
    wrong, _ = bnlib.batchnorm_forward(x.reshape(N * H * W, C), gamma, beta)
    right, _ = spatial_batchnorm_forward(x, gamma, beta)
    assert rel_error(wrong.reshape(x.shape), right) > 0.1
    channel = np.broadcast_to(np.arange(C).reshape(1, C, 1, 1), x.shape)
    for column in channel.reshape(N * H * W, C).T:   # every "feature" of the wrong reshape holds every channel
        assert set(column) == set(range(C))


def test_layernorm_is_2d_batchnorm_of_the_transpose_with_gamma_applied_after():
    x, gamma, beta, dout = make_rows(5, 4, 2)
    out, _ = layernorm_forward(x, gamma, beta, 1e-3)
    xhat_t, _ = bnlib.batchnorm_forward(x.T, np.ones(5), np.zeros(5), 1e-3)
    assert rel_error(out, gamma * xhat_t.T + beta) < 1e-12


def test_instance_norm_is_groupnorm_with_g_equal_c_and_layernorm_with_g_one():
    x, gamma, beta, dout = make_conv(2, 6, 3, 2, 3)
    instance, _ = normalize_forward(x, gamma.reshape(6, 1, 1), beta.reshape(6, 1, 1), (2, 3), 1e-3)
    layer, _ = normalize_forward(x, gamma.reshape(6, 1, 1), beta.reshape(6, 1, 1), (1, 2, 3), 1e-3)
    assert rel_error(groupnorm_forward(x, gamma, beta, 6, 1e-3)[0], instance) < 1e-12
    assert rel_error(groupnorm_forward(x, gamma, beta, 1, 1e-3)[0], layer) < 1e-12
    # and LayerNorm on the flattened sample with gamma repeated over each channel's pixels
    flat, _ = layernorm_forward(x.reshape(2, -1), np.repeat(gamma, 6), np.repeat(beta, 6), 1e-3)
    assert rel_error(flat.reshape(x.shape), layer) < 1e-12


def test_groupnorm_groups_consecutive_channels():
    x, _, _, _ = make_conv(2, 6, 3, 3, 4)
    _, cache = groupnorm_forward(x, np.ones(6), np.zeros(6), 3, 1e-5)
    expected = x.reshape(2, 3, 2, 3, 3).var(axis=(2, 3, 4))
    np.testing.assert_allclose(cache.var.reshape(2, 3), expected, rtol=1e-12)
    assert cache.m == 2 * 3 * 3


@pytest.mark.parametrize("make, forward, backward, extra", [
    (lambda s: make_conv(3, 4, 2, 3, s), spatial_batchnorm_forward, spatial_batchnorm_backward, ()),
    (lambda s: make_rows(5, 6, s), layernorm_forward, layernorm_backward, ()),
    (lambda s: make_conv(2, 4, 3, 2, s), groupnorm_forward, groupnorm_backward, (2,)),
])
def test_dx_sums_to_zero_over_every_group(make, forward, backward, extra):
    # shifting one group's inputs by a constant leaves its output unchanged
    x, gamma, beta, dout = make(5)
    _, cache = forward(x, gamma, beta, *extra)
    dx, _, _ = backward(dout, cache)
    view = dx.reshape(cache.xhat.shape).sum(axis=cache.axes)
    scale = np.abs(dout).max() * np.abs(gamma).max() * cache.istd.max() * cache.m
    np.testing.assert_allclose(view, 0, atol=1e-13 * scale)


# ---------------------------------------------------------------- dtypes

@pytest.mark.parametrize("make, forward, backward, extra", [
    (lambda dt: make_conv(3, 4, 2, 3, 6, dt), spatial_batchnorm_forward, spatial_batchnorm_backward, ()),
    (lambda dt: make_conv(3, 4, 2, 3, 6, dt), spatial_batchnorm_forward_via_2d,
     spatial_batchnorm_backward_via_2d, ()),
    (lambda dt: make_rows(5, 6, 6, dt), layernorm_forward, layernorm_backward, ()),
    (lambda dt: make_conv(2, 4, 3, 2, 6, dt), groupnorm_forward, groupnorm_backward, (2,)),
])
def test_float32_in_gives_float32_out_close_to_float64(make, forward, backward, extra):
    x, gamma, beta, dout = make(np.float32)
    out, cache = forward(x, gamma, beta, *extra)
    grads = backward(dout, cache)
    assert out.dtype == np.float32 and all(g.dtype == np.float32 for g in grads)
    x, gamma, beta, dout = make(np.float64)
    out64, cache64 = forward(x, gamma, beta, *extra)
    assert rel_error(out, out64) < 1e-5
    for g, g64 in zip(grads, backward(dout, cache64)):
        assert rel_error(g, g64) < 1e-4
    # float64 gamma and beta follow a float32 x
    out, _ = forward(x.astype(np.float32), gamma, beta, *extra)
    assert out.dtype == np.float32


def test_integer_input_becomes_float64_and_inputs_are_not_modified():
    x = (np.arange(2 * 4 * 3 * 3).reshape(2, 4, 3, 3) ** 2) % 7
    gamma, beta = np.ones(4, dtype=int), np.arange(4)
    copies = [a.copy() for a in (x, gamma, beta)]
    for out, cache in [spatial_batchnorm_forward(x, gamma, beta), groupnorm_forward(x, gamma, beta, 2)]:
        assert out.dtype == np.float64
    for a, c in zip((x, gamma, beta), copies):
        np.testing.assert_array_equal(a, c)


def test_layernorm_works_for_a_single_sample():
    out, _ = layernorm_forward(np.array([[1.0, 2.0, 4.0]]), np.ones(3), np.zeros(3))
    np.testing.assert_allclose(out.mean(), 0, atol=1e-12)


def test_every_public_function_states_its_equation():
    for name in ["normalize_forward", "normalize_backward", "spatial_batchnorm_forward",
                 "spatial_batchnorm_backward", "layernorm_forward", "layernorm_backward",
                 "groupnorm_forward", "groupnorm_backward"]:
        doc = getattr(bnlib, name).__doc__
        assert doc and "math::" in doc, name


# ---------------------------------------------------------------- bad input

X4 = np.arange(2 * 4 * 3 * 2, dtype=float).reshape(2, 4, 3, 2) ** 1.5
X2 = np.arange(12.0).reshape(3, 4) ** 1.5


@pytest.mark.parametrize("call, error, words", [
    (lambda: spatial_batchnorm_forward(X2, np.ones(4), np.zeros(4)), ValueError, r"4-D.*\(N, C, H, W\)"),
    (lambda: spatial_batchnorm_forward(X4, np.ones(3), np.zeros(4)), ValueError,
     r"gamma must have shape \(4,\) \(one value per channel"),
    (lambda: spatial_batchnorm_forward(X4, np.ones(4), np.zeros((4, 1))), ValueError, r"beta must have shape"),
    (lambda: spatial_batchnorm_forward(X4[:1, :, :1, :1], np.ones(4), np.zeros(4)), ValueError,
     r"too few elements to normalize: each channel has m = N\*H\*W = 1\*1\*1 = 1"),
    (lambda: spatial_batchnorm_forward(np.where(X4 > 9, np.nan, X4), np.ones(4), np.zeros(4)),
     ValueError, "x contains .* NaN"),
    (lambda: spatial_batchnorm_forward(X4, np.ones(4), np.zeros(4), 0.0), ValueError, "eps must be > 0"),
    (lambda: spatial_batchnorm_forward(X4, [1.0, np.nan, 1.0, 1.0], np.zeros(4)), ValueError, "gamma contains 1 NaN"),
    (lambda: groupnorm_forward(X4, np.ones(4), [0.0, 0.0, np.inf, 0.0], 2), ValueError, "beta contains 0 NaN and 1 inf"),
    (lambda: spatial_batchnorm_forward(X4.astype(complex), np.ones(4), np.zeros(4)), TypeError, "dtype complex"),
    (lambda: spatial_batchnorm_forward_via_2d(X4[0], np.ones(4), np.zeros(4)), ValueError, "4-D"),
    (lambda: layernorm_forward(X4, np.ones(4), np.zeros(4)), ValueError, r"2-D with shape \(N, D\)"),
    (lambda: layernorm_forward(X2, np.ones(3), np.zeros(4)), ValueError, r"gamma must have shape \(4,\)"),
    (lambda: layernorm_forward(X2[:, :1], np.ones(1), np.zeros(1)), ValueError,
     "too few elements to normalize: each sample has m = D = 1"),
    (lambda: layernorm_forward(X2, np.ones(4), np.zeros(4), -1.0), ValueError, "eps must be > 0"),
    (lambda: layernorm_forward(np.where(X2 > 5, np.inf, X2), np.ones(4), np.zeros(4)), ValueError, "inf"),
    (lambda: groupnorm_forward(X4, np.ones(4), np.zeros(4), 3), ValueError,
     r"C = 4 channels cannot be split into G = 3 groups.*divisible by G \(C % G = 1\)"),
    (lambda: groupnorm_forward(X4, np.ones(4), np.zeros(4), 0), ValueError, "G, the number of groups, must be >= 1"),
    (lambda: groupnorm_forward(X4, np.ones(4), np.zeros(4), 2.0), TypeError, "G, the number of groups, must be an int"),
    (lambda: groupnorm_forward(X4, np.ones(4), np.zeros(4), True), TypeError, "must be an int"),
    (lambda: groupnorm_forward(X4[:, :, :1, :1], np.ones(4), np.zeros(4), 4), ValueError,
     r"too few elements to normalize: each group has m = \(C/G\)\*H\*W = 1\*1\*1 = 1"),
    (lambda: groupnorm_forward(X4, np.ones(2), np.zeros(4), 2), ValueError, r"one value per channel"),
    (lambda: groupnorm_forward(X2, np.ones(4), np.zeros(4), 2), ValueError, "4-D"),
    (lambda: normalize_forward(X4, 1.0, 0.0, ()), ValueError, "axes is empty"),
    (lambda: normalize_forward(X4, 1.0, 0.0, (0, 4)), ValueError, "out of range"),
    (lambda: normalize_forward(X4, 1.0, 0.0, (1, -3)), ValueError, "names an axis twice"),
    (lambda: normalize_forward(X4, 1.0, 0.0, "hw"), TypeError, "axes must be an int or a tuple"),
    (lambda: normalize_forward(X4, np.ones(3), 0.0, (0, 2, 3)), ValueError, "does not broadcast"),
    (lambda: normalize_forward(X2, np.ones((1, 1, 4)), 0.0, 0), ValueError, "gamma has 3 axes"),
    (lambda: normalize_forward(X4[..., :1], 1.0, 0.0, 3), ValueError, "too few elements"),
])
def test_bad_input_gets_a_clear_message(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_backward_refuses_bad_dout_and_foreign_caches():
    _, spatial = spatial_batchnorm_forward(X4, np.ones(4), np.zeros(4))
    _, group = groupnorm_forward(X4, np.ones(4), np.zeros(4), 2)
    _, layer = layernorm_forward(X2, np.ones(4), np.zeros(4))
    _, via = spatial_batchnorm_forward_via_2d(X4, np.ones(4), np.zeros(4))
    with pytest.raises(ValueError, match=r"dout must have shape \(2, 4, 3, 2\)"):
        spatial_batchnorm_backward(np.ones((2, 4, 2, 3)), spatial)
    with pytest.raises(ValueError, match=r"dout must have shape \(2, 4, 3, 2\)"):
        groupnorm_backward(np.ones((2, 2, 2, 3, 2)), group)
    with pytest.raises(ValueError, match=r"dout must have shape \(2, 4, 3, 2\)"):
        spatial_batchnorm_backward_via_2d(np.ones((2, 3, 2, 4)), via)
    with pytest.raises(ValueError, match="dout contains"):
        layernorm_backward(np.full((3, 4), np.nan), layer)
    with pytest.raises(TypeError, match="dout has dtype object"):
        layernorm_backward(np.ones((3, 4), dtype=object), layer)
    with pytest.raises(TypeError, match="returned by groupnorm_forward; got spatial_batchnorm_forward"):
        groupnorm_backward(np.ones(X4.shape), spatial)
    with pytest.raises(TypeError, match="returned by layernorm_forward; got tuple"):
        layernorm_backward(np.ones((3, 4)), (1, 2))
    with pytest.raises(TypeError, match="returned by spatial_batchnorm_forward_via_2d"):
        spatial_batchnorm_backward_via_2d(np.ones(X4.shape), spatial)
    with pytest.raises(TypeError, match="returned by normalize_forward; got BatchNormCache"):
        normalize_backward(np.ones((4, 3)), bnlib.batchnorm_forward(X2.T, np.ones(3), np.zeros(3))[1])


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
def test_a_variance_that_overflows_is_refused_by_every_norm():
    big = X4 * 1e160
    for forward, args in ((spatial_batchnorm_forward, (np.ones(4), np.zeros(4))),
                          (groupnorm_forward, (np.ones(4), np.zeros(4), 2)),
                          (normalize_forward, (np.ones(1), np.zeros(1), (0, 2)))):
        with pytest.raises(ValueError, match="the variance of x overflows"):
            forward(big, *args)
    with pytest.raises(ValueError, match="the variance of x overflows"):
        layernorm_forward(X2 * 1e160, np.ones(4), np.zeros(4))
