"""Checkers of notebook 07: correct answers in several styles pass; each diagnosed mistake is named."""
import numpy as np
import pytest

import bnlib
from bncourse.checks import (
    check_groupnorm_forward,
    check_layernorm_backward,
    check_spatial_batchnorm_by_reshape,
)
from checker_testing import fails_with


# ---------------------------------------------------------------- spatial BatchNorm by reshape

def spatial_transpose_reshape(x, gamma, beta, eps):
    N, C, H, W = x.shape
    out2d, _ = bnlib.batchnorm_forward(x.transpose(0, 2, 3, 1).reshape(-1, C), gamma, beta, eps)
    return out2d.reshape(N, H, W, C).transpose(0, 3, 1, 2)


def spatial_moveaxis(x, gamma, beta, eps):
    C = x.shape[1]
    rows = np.moveaxis(x, 1, -1).reshape(-1, C)
    xhat = (rows - rows.mean(0)) / np.sqrt(rows.var(0) + eps)
    return np.moveaxis((gamma * xhat + beta).reshape(np.moveaxis(x, 1, -1).shape), -1, 1)


def spatial_axis_tuple(x, gamma, beta, eps):
    mu = x.mean(axis=(0, 2, 3), keepdims=True)
    var = ((x - mu) ** 2).mean(axis=(0, 2, 3), keepdims=True)
    return gamma[:, None, None] * (x - mu) / np.sqrt(var + eps) + beta[:, None, None]


def spatial_library(x, gamma, beta, eps):
    return bnlib.spatial_batchnorm_forward(x, gamma, beta, eps)[0]


def spatial_in_float32(x, gamma, beta, eps):
    f32 = [np.float32(a) if np.isscalar(a) else a.astype(np.float32) for a in (x, gamma, beta, eps)]
    return spatial_transpose_reshape(*f32).astype(np.float64)


@pytest.mark.parametrize("fn", [spatial_transpose_reshape, spatial_moveaxis, spatial_axis_tuple,
                                spatial_library, spatial_in_float32])
def test_spatial_correct_answers_pass(fn, capsys):
    assert check_spatial_batchnorm_by_reshape(fn) is True
    assert "\u2714" in capsys.readouterr().out


def no_transpose(x, gamma, beta, eps):
    out2d, _ = bnlib.batchnorm_forward(x.reshape(-1, x.shape[1]), gamma, beta, eps)
    return out2d.reshape(x.shape)


def no_transpose_in_but_back(x, gamma, beta, eps):
    N, C, H, W = x.shape
    out2d, _ = bnlib.batchnorm_forward(x.reshape(-1, C), gamma, beta, eps)
    return out2d.reshape(N, H, W, C).transpose(0, 3, 1, 2)


def no_transpose_back(x, gamma, beta, eps):
    C = x.shape[1]
    out2d, _ = bnlib.batchnorm_forward(x.transpose(0, 2, 3, 1).reshape(-1, C), gamma, beta, eps)
    return out2d.reshape(x.shape)


def per_activation(x, gamma, beta, eps):
    xhat = (x - x.mean(0)) / np.sqrt(x.var(0) + eps)
    return gamma[:, None, None] * xhat + beta[:, None, None]


def per_sample(x, gamma, beta, eps):
    xhat = (x - x.mean((1, 2, 3), keepdims=True)) / np.sqrt(x.var((1, 2, 3), keepdims=True) + eps)
    return gamma[:, None, None] * xhat + beta[:, None, None]


def unbiased(x, gamma, beta, eps):
    var = x.var(axis=(0, 2, 3), keepdims=True, ddof=1)
    xhat = (x - x.mean((0, 2, 3), keepdims=True)) / np.sqrt(var + eps)
    return gamma[:, None, None] * xhat + beta[:, None, None]


def eps_outside(x, gamma, beta, eps):
    mu = x.mean(axis=(0, 2, 3), keepdims=True)
    sd = x.std(axis=(0, 2, 3), keepdims=True)
    return gamma[:, None, None] * (x - mu) / (sd + eps) + beta[:, None, None]


@pytest.mark.parametrize("fn, words", [
    (no_transpose, ["missing-transpose bug", "without moving the channels last", "mixes values"]),
    (no_transpose_in_but_back, ["missing-transpose bug", "transpose on the way in"]),
    (no_transpose_back, ["missing-transpose bug on the way out", ".transpose(0, 3, 1, 2)"]),
    (per_activation, ["per-activation", "N*H*W"]),
    (per_sample, ["per sample"]),
    (unbiased, ["m - 1"]),
    (eps_outside, ["outside the square root"]),
    (lambda x, g, b, e: spatial_transpose_reshape(x, g, b, e) + 1e-3, ["wrong values in out"]),
    (lambda x, g, b, e: spatial_transpose_reshape(x, g, b, e).transpose(0, 2, 3, 1),
     ["channels are still last"]),
    (lambda x, g, b, e: spatial_transpose_reshape(x, g, b, e).transpose(0, 2, 3, 1).reshape(-1, x.shape[1]),
     ["2-D shape", "reshape the result back"]),
    (lambda x, g, b, e: spatial_transpose_reshape(x, g, b, e).transpose(0, 1, 3, 2),
     ["wrong order"]),
    (lambda x, g, b, e: bnlib.spatial_batchnorm_forward(x, g, b, e), ["returned a tuple", "only out"]),
    (lambda x, g, b, e: None, ["not done yet"]),
])
def test_spatial_mistakes_are_named(fn, words):
    fails_with(check_spatial_batchnorm_by_reshape, fn, *words)


def test_the_stub_is_not_done_yet():
    def stub(*args):
        raise NotImplementedError
    for checker in (check_spatial_batchnorm_by_reshape, check_layernorm_backward, check_groupnorm_forward):
        fails_with(checker, stub, "not done yet")


# ---------------------------------------------------------------- LayerNorm backward

def ln_compact(dout, xhat, istd, gamma):
    D = dout.shape[1]
    g = dout * gamma
    dx = istd / D * (D * g - g.sum(1, keepdims=True) - xhat * (g * xhat).sum(1, keepdims=True))
    return dx, (dout * xhat).sum(0), dout.sum(0)


def ln_staged(dout, xhat, istd, gamma):
    D = dout.shape[1]
    dxhat = dout * gamma
    dvar = (dxhat * xhat).sum(1, keepdims=True) * -0.5 * istd ** 2        # through xmu * istd
    dmu = -(dxhat * istd).sum(1, keepdims=True)                           # the var path to mu vanishes
    xmu = xhat / istd
    dx = dxhat * istd + dvar * 2 * xmu / D + dmu / D
    return dx, np.einsum("nd,nd->d", dout, xhat), dout.sum(axis=0)


def ln_via_library(dout, xhat, istd, gamma):
    # rebuild an x with these xhat and istd, then let bnlib do it: any x = xhat / istd + c works
    eps = 0.1   # the checker's eps; var = 1/istd^2 - eps
    var = 1 / istd**2 - eps
    x = xhat * np.sqrt(var + eps)
    _, cache = bnlib.layernorm_forward(x, gamma, np.zeros_like(gamma), eps)
    return bnlib.layernorm_backward(dout, cache)


def ln_transpose_batchnorm(dout, xhat, istd, gamma):
    # LayerNorm is BatchNorm of the transpose, with gamma applied after: dxhat^T through the 2-D formula
    dx, dg, db = ln_compact(dout, xhat, istd, gamma)
    g = (dout * gamma).T
    N = g.shape[0]
    dxT = istd.T / N * (N * g - g.sum(0) - xhat.T * (g * xhat.T).sum(0))
    return dxT.T, dg, db


@pytest.mark.parametrize("fn", [ln_compact, ln_staged, ln_via_library, ln_transpose_batchnorm])
def test_layernorm_correct_answers_pass(fn):
    assert check_layernorm_backward(fn) is True


def replace(base, dx=None, dgamma=None, dbeta=None):
    def fn(dout, xhat, istd, gamma):
        r = list(base(dout, xhat, istd, gamma))
        for k, f in enumerate((dx, dgamma, dbeta)):
            if f is not None:
                r[k] = f(dout, xhat, istd, gamma)
        return tuple(r)
    return fn


def ln_dx(axis, m_of, mean=True, var=True, use_gamma=True, factored=False, with_istd=True):
    def f(dout, xhat, istd, gamma):
        m = m_of(dout)
        g = dout if factored or not use_gamma else dout * gamma
        dx = m * g
        if mean:
            dx = dx - g.sum(axis, keepdims=True)
        if var:
            dx = dx - xhat * (g * xhat).sum(axis, keepdims=True)
        dx = (istd if with_istd else 1.0) / m * dx
        return gamma * dx if factored else dx
    return f


D_of, N_of = (lambda d: d.shape[1]), (lambda d: d.shape[0])


@pytest.mark.parametrize("fn, words", [
    (replace(ln_compact, dx=ln_dx(1, D_of, factored=True)), ["gamma was pulled out of the sums"]),
    (replace(ln_compact, dx=ln_dx(0, D_of)), ["over the batch (axis 0)", "axis=1"]),
    (replace(ln_compact, dx=ln_dx(0, N_of)), ["over the batch (axis 0) with m = N"]),
    (replace(ln_compact, dx=ln_dx(1, N_of)), ["m = N was used", "m = D"]),
    (replace(ln_compact, dx=ln_dx(1, D_of, mean=False)), ["term through the mean"]),
    (replace(ln_compact, dx=ln_dx(1, D_of, var=False)), ["term through the variance"]),
    (replace(ln_compact, dx=ln_dx(1, D_of, use_gamma=False)), ["gamma is missing from dx"]),
    (replace(ln_compact, dx=ln_dx(1, D_of, with_istd=False)), ["istd = 1/sqrt(var + eps) is missing"]),
    (replace(ln_compact, dx=lambda d, xh, i, g: 2 * ln_compact(d, xh, i, g)[0]), ["wrong values in dx"]),
    (replace(ln_compact, dbeta=lambda d, xh, i, g: (d * g).sum(0)), ["dbeta is multiplied by gamma"]),
    (replace(ln_compact, dgamma=lambda d, xh, i, g: (d * g * xh).sum(0)), ["dgamma is multiplied by gamma"]),
    (replace(ln_compact, dgamma=lambda d, xh, i, g: d.sum(0), dbeta=lambda d, xh, i, g: (d * xh).sum(0)),
     ["swapped"]),
    (replace(ln_compact, dgamma=lambda d, xh, i, g: (d * xh).sum(1)), ["one value per sample"]),
    (replace(ln_compact, dbeta=lambda d, xh, i, g: d), ["still has a batch axis"]),
    (lambda d, xh, i, g: ln_compact(d, xh, i, g)[:2], ["expected 3 results"]),
])
def test_layernorm_mistakes_are_named(fn, words):
    fails_with(check_layernorm_backward, fn, *words)


# ---------------------------------------------------------------- GroupNorm forward

def gn_grouped(x, gamma, beta, G, eps):
    N, C, H, W = x.shape
    xg = x.reshape(N, G, -1)
    xhat = (xg - xg.mean(-1, keepdims=True)) / np.sqrt(xg.var(-1, keepdims=True) + eps)
    return gamma[:, None, None] * xhat.reshape(x.shape) + beta[:, None, None]


def gn_loop(x, gamma, beta, G, eps):
    out = np.empty_like(x)
    size = x.shape[1] // G
    for n in range(x.shape[0]):
        for g in range(G):
            block = x[n, g * size:(g + 1) * size]
            out[n, g * size:(g + 1) * size] = (block - block.mean()) / np.sqrt(block.var() + eps)
    return gamma.reshape(1, -1, 1, 1) * out + beta.reshape(1, -1, 1, 1)


def gn_library(x, gamma, beta, G, eps):
    return bnlib.groupnorm_forward(x, gamma, beta, G, eps)[0]


def gn_layernorm_per_group(x, gamma, beta, G, eps):
    # each (sample, group) is one row of a LayerNorm without scale, then the per-channel scale
    N, C, H, W = x.shape
    rows = x.reshape(N * G, -1)
    xhat, _ = bnlib.layernorm_forward(rows, np.ones(rows.shape[1]), np.zeros(rows.shape[1]), eps)
    return gamma[:, None, None] * xhat.reshape(x.shape) + beta[:, None, None]


def test_the_grouped_variant_with_the_right_axes_is_bnlibs_groupnorm():
    from bncourse.checks.beyond import conv_inputs, grouped_forward
    x, gamma, beta, eps = conv_inputs(N=2, C=6, H=2, W=3, seed=11)
    for G in (3, 2, 1, 6):
        np.testing.assert_allclose(grouped_forward(x, gamma, beta, G, (2, 3, 4), eps),
                                   bnlib.groupnorm_forward(x, gamma, beta, G, eps)[0], rtol=1e-12, atol=1e-12)
    # by stride, with one channel per group either way, it is the same
    np.testing.assert_allclose(grouped_forward(x, gamma, beta, 6, (1, 3, 4), eps, strided=True),
                               bnlib.groupnorm_forward(x, gamma, beta, 6, eps)[0], rtol=1e-12, atol=1e-12)


def gn_one_pass_variance(x, gamma, beta, G, eps):
    N, C, H, W = x.shape
    xg = x.reshape(N, G, -1)
    mu = xg.mean(-1, keepdims=True)
    var = (xg ** 2).mean(-1, keepdims=True) - mu ** 2
    xhat = ((xg - mu) / np.sqrt(var + eps)).reshape(x.shape)
    return gamma[:, None, None] * xhat + beta[:, None, None]


@pytest.mark.parametrize("fn", [gn_grouped, gn_loop, gn_library, gn_layernorm_per_group,
                                gn_one_pass_variance])
def test_groupnorm_correct_answers_pass(fn):
    assert check_groupnorm_forward(fn) is True


def gn_strided(x, gamma, beta, G, eps):
    N, C, H, W = x.shape
    xg = x.reshape(N, C // G, G, H, W)
    xhat = (xg - xg.mean((1, 3, 4), keepdims=True)) / np.sqrt(xg.var((1, 3, 4), keepdims=True) + eps)
    return gamma[:, None, None] * xhat.reshape(x.shape) + beta[:, None, None]


def gn_axes(axes):
    def fn(x, gamma, beta, G, eps):
        N, C, H, W = x.shape
        xg = x.reshape(N, G, C // G, H, W)
        xhat = (xg - xg.mean(axes, keepdims=True)) / np.sqrt(xg.var(axes, keepdims=True) + eps)
        return gamma[:, None, None] * xhat.reshape(x.shape) + beta[:, None, None]
    return fn


def gn_ddof(x, gamma, beta, G, eps):
    N, C, H, W = x.shape
    xg = x.reshape(N, G, -1)
    xhat = (xg - xg.mean(-1, keepdims=True)) / np.sqrt(xg.var(-1, keepdims=True, ddof=1) + eps)
    return gamma[:, None, None] * xhat.reshape(x.shape) + beta[:, None, None]


def gn_eps_outside(x, gamma, beta, G, eps):
    N, C, H, W = x.shape
    xg = x.reshape(N, G, -1)
    xhat = (xg - xg.mean(-1, keepdims=True)) / (xg.std(-1, keepdims=True) + eps)
    return gamma[:, None, None] * xhat.reshape(x.shape) + beta[:, None, None]


def gn_fixed_g(G_used):
    return lambda x, gamma, beta, G, eps: gn_grouped(x, gamma, beta, G_used(x), eps)


@pytest.mark.parametrize("fn, words", [
    (gn_strided, ["grouped by stride", "consecutive"]),
    (gn_fixed_g(lambda x: x.shape[1]), ["InstanceNorm, G = C"]),
    (gn_fixed_g(lambda x: 1), ["G = 1, LayerNorm"]),
    (gn_axes((2,)), ["not over H and W"]),
    (gn_axes((0, 2, 3, 4)), ["also run over the batch"]),
    (lambda x, g, b, G, e: spatial_axis_tuple(x, g, b, e), ["that is BatchNorm"]),
    (gn_ddof, ["m - 1"]),
    (gn_eps_outside, ["outside the square root"]),
    (gn_fixed_g(lambda x: 3), ["G = 2", "wrong values in out (G = 2)"]),
    (lambda x, g, b, G, e: gn_grouped(x, g, b, G, e).transpose(0, 2, 3, 1), ["channels are still last"]),
    (lambda x, g, b, G, e: (gn_grouped(x, g, b, G, e), None), ["returned a tuple"]),
    (lambda x, g, b, G, e: gn_grouped(x, g, b, G, e).astype(int), ["dtype"]),
])
def test_groupnorm_mistakes_are_named(fn, words):
    fails_with(check_groupnorm_forward, fn, *words)


def test_checkers_do_not_let_learners_modify_the_inputs():
    def in_place(x, gamma, beta, eps):
        x -= x.mean(axis=(0, 2, 3), keepdims=True)
        return spatial_axis_tuple(x, gamma, beta, eps)
    fails_with(check_spatial_batchnorm_by_reshape, in_place, "in place")
