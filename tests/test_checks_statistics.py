"""Checkers of notebook 15: correct answers in several styles pass; each diagnosed mistake is named."""
import numpy as np
import pytest

import bnlib
from bncourse.checks import check_rmsnorm_backward, check_sync_batchnorm_backward
from checker_testing import fails_with


def stub(*args):
    raise NotImplementedError


@pytest.mark.parametrize("checker", [check_sync_batchnorm_backward, check_rmsnorm_backward])
def test_the_stub_and_none_are_not_done_yet(checker):
    fails_with(checker, stub, "not done yet")
    fails_with(checker, lambda *a: None, "returned None")


# ---------------------------------------------------------------- SyncBatchNorm backward

def two_all_reduces(douts, xhats, gamma, istd, m, allreduce):
    dbeta = allreduce([d.sum(axis=0) for d in douts])
    dgamma = allreduce([(d * h).sum(axis=0) for d, h in zip(douts, xhats)])
    return [gamma * istd / m * (m * d - dbeta - h * dgamma) for d, h in zip(douts, xhats)], dgamma, dbeta


def one_all_reduce(douts, xhats, gamma, istd, m, allreduce):
    D = gamma.shape[0]
    sums = allreduce([np.concatenate([d.sum(0), np.einsum("ij,ij->j", d, h)]) for d, h in zip(douts, xhats)])
    dbeta, dgamma = sums[:D], sums[D:]
    dxs = [gamma * istd * (d - dbeta / m - h * dgamma / m) for d, h in zip(douts, xhats)]
    return dxs, dgamma, dbeta


def test_sync_refuses_bnlibs_sharded_backward():
    def through_bnlib_caches(douts, xhats, gamma, istd, m, allreduce):
        caches = [bnlib.ShardCache(h, istd, gamma, m) for h in xhats]
        return bnlib.sharded_batchnorm_backward(douts, caches, allreduce)
    fails_with(check_sync_batchnorm_backward, through_bnlib_caches, "your own code")


def in_float32(douts, xhats, gamma, istd, m, allreduce):
    down = [[a.astype(np.float32) for a in douts], [a.astype(np.float32) for a in xhats],
            gamma.astype(np.float32), istd.astype(np.float32)]
    dxs, dgamma, dbeta = two_all_reduces(*down, m, lambda parts: allreduce(parts).astype(np.float32))
    assert dgamma.dtype == np.float32
    return dxs, dgamma, dbeta


@pytest.mark.parametrize("fn", [two_all_reduces, one_all_reduce, in_float32])
def test_sync_correct_answers_pass(fn, capsys):
    assert check_sync_batchnorm_backward(fn) is None
    assert "\u2714" in capsys.readouterr().out


def local(douts, xhats, gamma, istd, m, allreduce, own_m=True, own_sums=True):
    dxs = []
    for d, h in zip(douts, xhats):
        mk = len(d) if own_m else m
        dxs.append(gamma * istd / mk * (mk * d - d.sum(0) - h * (d * h).sum(0)))
    dbeta = allreduce([d.sum(0) for d in douts])
    dgamma = allreduce([(d * h).sum(0) for d, h in zip(douts, xhats)])
    return dxs, dgamma, dbeta


def with_own_m(douts, xhats, gamma, istd, m, allreduce):
    dbeta = allreduce([d.sum(0) for d in douts])
    dgamma = allreduce([(d * h).sum(0) for d, h in zip(douts, xhats)])
    return [gamma * istd / len(d) * (len(d) * d - dbeta - h * dgamma) for d, h in zip(douts, xhats)], dgamma, dbeta


def averaged(douts, xhats, gamma, istd, m, allreduce):
    K = len(douts)
    mean = lambda parts: allreduce(parts) / K   # noqa: E731
    return two_all_reduces(douts, xhats, gamma, istd, m, mean)


def swapped(douts, xhats, gamma, istd, m, allreduce):
    dxs, dgamma, dbeta = two_all_reduces(douts, xhats, gamma, istd, m, allreduce)
    return dxs, dbeta, dgamma


def concatenated(douts, xhats, gamma, istd, m, allreduce):
    dout, xhat = np.concatenate(douts), np.concatenate(xhats)
    dbeta, dgamma = dout.sum(0), (dout * xhat).sum(0)
    return [gamma * istd / m * (m * d - dbeta - h * dgamma) for d, h in zip(douts, xhats)], dgamma, dbeta


def whole_arrays_sent(douts, xhats, gamma, istd, m, allreduce):
    padded = [np.pad(d, ((0, 10 - len(d)), (0, 0))) for d in douts]
    allreduce(padded)
    return two_all_reduces(douts, xhats, gamma, istd, m, allreduce)


@pytest.mark.parametrize("fn, words", [
    (local, ["its own sums and its own row count", "BatchNorm of each shard alone"]),
    (lambda *a: local(*a, own_m=False), ["each shard's own sums"]),
    (with_own_m, ["row count m_k"]),
    (averaged, ["averaged over the shards"]),
    (swapped, ["dgamma and dbeta are swapped"]),
    (concatenated, ["allreduce was never called"]),
    (whole_arrays_sent, ["numbers went through allreduce per shard", "2D = 6"]),
    (lambda d, h, g, i, m, a: (two_all_reduces(d, h, g, i, m, a)[0][:2], *two_all_reduces(d, h, g, i, m, a)[1:]),
     ["a list of 3 arrays"]),
    (lambda d, h, g, i, m, a: a([d[0].sum(0)]), ["allreduce was given 1 parts"]),
    (lambda d, h, g, i, m, a: tuple([[x + 1e-2 for x in r] if isinstance(r, list) else r
                                     for r in two_all_reduces(d, h, g, i, m, a)]), ["wrong gradients"]),
])
def test_sync_mistakes_are_named(fn, words):
    fails_with(check_sync_batchnorm_backward, fn, *words)


# ---------------------------------------------------------------- RMSNorm backward

def rms_compact(dout, xhat, irms, gamma):
    D = dout.shape[1]
    g = dout * gamma
    return irms / D * (D * g - xhat * (g * xhat).sum(1, keepdims=True)), (dout * xhat).sum(0)


def rms_projection(dout, xhat, irms, gamma):
    g = dout * gamma
    return irms * (g - xhat * (g * xhat).mean(axis=1, keepdims=True)), np.einsum("nd,nd->d", dout, xhat)


def rms_staged(dout, xhat, irms, gamma):
    """Through the nodes: x -> ms = mean(x^2) -> irms = (ms + eps)^(-1/2) -> xhat = x * irms."""
    D = dout.shape[1]
    dxhat = dout * gamma
    x = xhat / irms
    dirms = (dxhat * x).sum(axis=1, keepdims=True)
    dms = dirms * -0.5 * irms ** 3
    return dxhat * irms + dms * 2 * x / D, (dout * xhat).sum(axis=0)


def rms_via_bnlib(dout, xhat, irms, gamma):
    return bnlib.rmsnorm_backward(dout, bnlib.RMSCache(xhat, irms, gamma))


@pytest.mark.parametrize("fn", [rms_compact, rms_projection, rms_staged])
def test_rms_correct_answers_pass(fn, capsys):
    assert check_rmsnorm_backward(fn) is None


def test_rms_refuses_bnlibs_own_backward_pass():
    fails_with(check_rmsnorm_backward, rms_via_bnlib, "rmsnorm_backward", "your own code")


def layernorm_style(dout, xhat, irms, gamma):
    D = dout.shape[1]
    g = dout * gamma
    dx = irms / D * (D * g - g.sum(1, keepdims=True) - xhat * (g * xhat).sum(1, keepdims=True))
    return dx, (dout * xhat).sum(0)


@pytest.mark.parametrize("fn, words", [
    (layernorm_style, ["LayerNorm's term through the mean"]),
    (lambda d, h, i, g: (g * rms_compact(d, h, i, np.ones_like(g))[0], (d * h).sum(0)), ["pulled out of the sum"]),
    (lambda d, h, i, g: (i / d.shape[1] * (d.shape[1] * d * g - h * (d * g * h).sum(0, keepdims=True)),
                         (d * h).sum(0)), ["runs over the batch"]),
    (lambda d, h, i, g: rms_compact(d, h, 1.0, g), ["irms = 1/rms is missing"]),
    (lambda d, h, i, g: (d * g * i, (d * h).sum(0)), ["only the direct path"]),
    (lambda d, h, i, g: (i * (d.shape[1] * d * g - h * (d * g * h).sum(1, keepdims=True)), (d * h).sum(0)),
     ["1/D is missing"]),
    (lambda d, h, i, g: rms_compact(d, h, i, np.ones_like(g)), ["gamma is missing from dx"]),
    (lambda d, h, i, g: (rms_compact(d, h, i, g)[0], d.sum(0)), ["RMSNorm has no beta"]),
    (lambda d, h, i, g: (rms_compact(d, h, i, g)[0], (d * h).mean(0)), ["mean over the batch"]),
    (lambda d, h, i, g: (rms_compact(d, h, i, g)[0], (d * g * h).sum(0)), ["extra factor gamma"]),
    (lambda d, h, i, g: (rms_compact(d, h, i, g)[0] + 1e-2, (d * h).sum(0)), ["wrong values in dx"]),
    (lambda d, h, i, g: (*rms_compact(d, h, i, g), d.sum(0)), ["expected 2 results"]),
])
def test_rms_mistakes_are_named(fn, words):
    fails_with(check_rmsnorm_backward, fn, *words)
