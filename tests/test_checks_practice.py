"""Checkers of notebook 14: correct answers in several styles pass; each diagnosed mistake is named."""
import copy

import numpy as np
import pytest

import bnlib
from bnlib import BatchNorm1d
from bncourse.checks import check_accumulated_gradients, check_dropout_variance_shift, check_recalibration
from checker_testing import fails_with


def stub(*args):
    raise NotImplementedError


@pytest.mark.parametrize("checker", [check_recalibration, check_dropout_variance_shift, check_accumulated_gradients])
def test_the_stub_and_none_are_not_done_yet(checker):
    fails_with(checker, stub, "not done yet")
    fails_with(checker, lambda *a: None, "returned None")


# ---------------------------------------------------------------- recalibration (PreciseBN)

def bns(model):
    return [layer for layer in model.layers if isinstance(layer, BatchNorm1d)]


def precise_bn(model, X, batch_size):
    saved = [(bn.momentum, bn.num_batches_tracked) for bn in bns(model)]
    for bn in bns(model):
        bn.momentum, bn.num_batches_tracked = None, 0
    model.train()
    for start in range(0, len(X), batch_size):
        model.forward(X[start:start + batch_size])
    for bn, (momentum, _) in zip(bns(model), saved):
        bn.momentum = momentum
    return model.eval()


def by_hand(model, X, batch_size):
    """Averages of the batch statistics collected by hand, layer after layer (fvcore's way, without momentum)."""
    model.train()
    sums = {id(bn): [0.0, 0.0] for bn in bns(model)}
    batches = [X[s:s + batch_size] for s in range(0, len(X), batch_size)]
    for xb in batches:
        h = xb
        for layer in model.layers:
            if isinstance(layer, BatchNorm1d):
                sums[id(layer)][0] = sums[id(layer)][0] + h.mean(axis=0)
                sums[id(layer)][1] = sums[id(layer)][1] + h.var(axis=0, ddof=1)
                h = bnlib.batchnorm_forward(h, layer.gamma, layer.beta, layer.eps)[0]
            elif isinstance(layer, bnlib.ReLU):
                h = np.maximum(h, 0)
            else:
                h = layer.forward(h)
    for bn in bns(model):
        bn.running_mean, bn.running_var = (s / len(batches) for s in sums[id(bn)])
    return model.eval()


def momentum_one_then_average(model, X, batch_size):
    """fvcore's PreciseBN: momentum 1 for each batch, the running statistics averaged by hand."""
    batches = [X[s:s + batch_size] for s in range(0, len(X), batch_size)]
    means = {id(bn): [] for bn in bns(model)}
    variances = {id(bn): [] for bn in bns(model)}
    old = [bn.momentum for bn in bns(model)]
    for bn in bns(model):
        bn.momentum = 1.0
    model.train()
    for xb in batches:
        model.forward(xb)
        for bn in bns(model):
            means[id(bn)].append(bn.running_mean.copy())
            variances[id(bn)].append(bn.running_var.copy())
    for bn, m in zip(bns(model), old):
        bn.running_mean, bn.running_var = np.mean(means[id(bn)], axis=0), np.mean(variances[id(bn)], axis=0)
        bn.momentum = m
    return model.eval()


@pytest.mark.parametrize("fn", [precise_bn, by_hand, momentum_one_then_average])
def test_recalibration_correct_answers_pass(fn, capsys):
    assert check_recalibration(fn) is None
    assert "\u2714" in capsys.readouterr().out


def ema(model, X, batch_size):
    model.train()
    for start in range(0, len(X), batch_size):
        model.forward(X[start:start + batch_size])
    return model.eval()


def no_reset(model, X, batch_size):
    for bn in bns(model):
        bn.momentum = None
    model.train()
    for start in range(0, len(X), batch_size):
        model.forward(X[start:start + batch_size])
    for bn in bns(model):
        bn.momentum = 0.1
    return model.eval()


def in_eval_mode(model, X, batch_size):
    model.eval()
    for start in range(0, len(X), batch_size):
        model.forward(X[start:start + batch_size])
    return model


def one_batch(model, X, batch_size):
    return precise_bn(model, X, len(X))


def biased(model, X, batch_size):
    model = by_hand(model, X, batch_size)
    for bn in bns(model):
        bn.running_var = bn.running_var * (batch_size - 1) / batch_size
    return model


def trained(model, X, batch_size):
    bnlib.train_mlp(model, X, np.zeros(len(X), dtype=int), lr=0.1, epochs=1, batch_size=batch_size)
    return precise_bn(model, X, batch_size)


def left_training(model, X, batch_size):
    return precise_bn(model, X, batch_size).train()


def momentum_left_none(model, X, batch_size):
    model = precise_bn(model, X, batch_size)
    for bn in bns(model):
        bn.momentum = None
    return model


@pytest.mark.parametrize("fn, words", [
    (ema, ["exponential moving average", "momentum to None"]),
    (no_reset, ["num_batches_tracked was not reset"]),
    (in_eval_mode, ["did not change", "model.train()"]),
    (one_batch, ["one batch of all its rows"]),
    (biased, ["biased batch variance"]),
    (trained, ["a weight or a gamma/beta changed"]),
    (left_training, ["still in training mode"]),
    (momentum_left_none, ["momentum is not what it was before"]),
    (lambda model, X, b: "done", ["expected the model back"]),
])
def test_recalibration_mistakes_are_named(fn, words):
    fails_with(check_recalibration, fn, *words)


# ---------------------------------------------------------------- dropout variance shift

@pytest.mark.parametrize("fn", [
    lambda c, v, keep: ((c ** 2 + v) / keep - c ** 2, v),
    lambda c, v, keep: (v / keep + c ** 2 * (1 - keep) / keep, v.copy()),
    lambda c, v, keep: ((v + c * c) / keep - c * c, v + 0 * c),                    # E[X^2] - E[X]^2
    lambda c, v, keep: (v + (1 / keep - 1) * (c ** 2 + v), v),
])
def test_dropout_correct_answers_pass(fn, capsys):
    assert check_dropout_variance_shift(fn) is None


@pytest.mark.parametrize("fn, words", [
    (lambda c, v, keep: (v / keep, v), ["term of the mean is missing"]),
    (lambda c, v, keep: ((c ** 2 + v) / (1 - keep) - c ** 2, v), ["keep and drop are swapped", "nn.Dropout(p)"]),
    (lambda c, v, keep: (keep * (c ** 2 + v) - (keep * c) ** 2, v), ["without the 1/keep scaling"]),
    (lambda c, v, keep: ((c ** 2 + v) / keep, v), ["E[X^2], not the variance"]),
    (lambda c, v, keep: (v, v), ["var_train equals v"]),
    (lambda c, v, keep: (v, (c ** 2 + v) / keep - c ** 2), ["wrong order"]),
    (lambda c, v, keep: ((c ** 2 + v) / keep - c ** 2, (c ** 2 + v) / keep - c ** 2), ["at inference dropout does nothing"]),
    (lambda c, v, keep: ((c ** 2 + v) / keep - c ** 2, keep * v), ["scaled by keep"]),
    (lambda c, v, keep: (v + 1.0, v), ["var_train"]),
    (lambda c, v, keep: v, ["expected 2 results"]),
])
def test_dropout_mistakes_are_named(fn, words):
    fails_with(check_dropout_variance_shift, fn, *words)


# ---------------------------------------------------------------- gradient accumulation

def accumulate(x, gamma, beta, dout, micro):
    dx, dgamma, dbeta = np.zeros_like(x), np.zeros_like(gamma), np.zeros_like(gamma)
    for s in range(0, len(x), micro):
        _, cache = bnlib.batchnorm_forward(x[s:s + micro], gamma, beta)
        dx[s:s + micro], dg, db = bnlib.batchnorm_backward(dout[s:s + micro], cache)
        dgamma += dg
        dbeta += db
    return dx, dgamma, dbeta


def accumulate_by_reshape(x, gamma, beta, dout, micro):
    """All micro-batches at once, as Ghost BatchNorm computes them: (k, micro, D), statistics over axis 1."""
    k, D = len(x) // micro, x.shape[1]
    xs, ds = x.reshape(k, micro, D), dout.reshape(k, micro, D)
    istd = 1 / np.sqrt(xs.var(axis=1, keepdims=True) + 1e-5)
    xhat = (xs - xs.mean(axis=1, keepdims=True)) * istd
    dx = gamma * istd / micro * (micro * ds - ds.sum(axis=1, keepdims=True)
                                 - xhat * (ds * xhat).sum(axis=1, keepdims=True))
    return dx.reshape(x.shape), (ds * xhat).sum(axis=(0, 1)), dout.sum(axis=0)


def test_accumulation_refuses_bnlibs_ghost_batchnorm():
    def ghost(x, gamma, beta, dout, micro):
        return bnlib.ghost_batchnorm_backward(dout, bnlib.ghost_batchnorm_forward(x, gamma, beta, micro)[1])
    fails_with(check_accumulated_gradients, ghost, "ghost_batchnorm_backward", "your own code")


def accumulate_by_hand(x, gamma, beta, dout, micro):
    parts = []
    for xb, db in zip(np.split(x, len(x) // micro), np.split(dout, len(x) // micro)):
        xhat = (xb - xb.mean(0)) / np.sqrt(xb.var(0) + 1e-5)
        dx = gamma / np.sqrt(xb.var(0) + 1e-5) / micro * (micro * db - db.sum(0) - xhat * (db * xhat).sum(0))
        parts.append((dx, (db * xhat).sum(0), db.sum(0)))
    return np.concatenate([p[0] for p in parts]), sum(p[1] for p in parts), sum(p[2] for p in parts)


@pytest.mark.parametrize("fn", [accumulate, accumulate_by_reshape, accumulate_by_hand])
def test_accumulation_correct_answers_pass(fn, capsys):
    assert check_accumulated_gradients(fn) is None


def whole_batch(x, gamma, beta, dout, micro):
    return bnlib.batchnorm_backward(dout, bnlib.batchnorm_forward(x, gamma, beta)[1])


def averaged(x, gamma, beta, dout, micro):
    dx, dg, db = accumulate(x, gamma, beta, dout, micro)
    K = len(x) // micro
    return dx, dg / K, db / K


def all_divided(x, gamma, beta, dout, micro):
    K = len(x) // micro
    return tuple(g / K for g in accumulate(x, gamma, beta, dout, micro))


def last_only(x, gamma, beta, dout, micro):
    dx = np.zeros_like(x)
    for s in range(0, len(x), micro):
        _, cache = bnlib.batchnorm_forward(x[s:s + micro], gamma, beta)
        dx[s:s + micro], dgamma, dbeta = bnlib.batchnorm_backward(dout[s:s + micro], cache)
    return dx, dgamma, dbeta


def strided(x, gamma, beta, dout, micro):
    K = len(x) // micro
    dx, dgamma, dbeta = np.zeros_like(x), 0, 0
    for k in range(K):
        _, cache = bnlib.batchnorm_forward(x[k::K], gamma, beta)
        dx[k::K], dg, db = bnlib.batchnorm_backward(dout[k::K], cache)
        dgamma, dbeta = dgamma + dg, dbeta + db
    return dx, dgamma, dbeta


@pytest.mark.parametrize("fn, words", [
    (whole_batch, ["ONE batch of N rows", "own mean and variance"]),
    (averaged, ["mean over the micro-batches"]),
    (all_divided, ["divided by the number of micro-batches"]),
    (last_only, ["only the last micro-batch"]),
    (strided, ["strided rows"]),
    (lambda *a: tuple(g + 1e-2 for g in accumulate(*a)), ["wrong gradients"]),
    (lambda *a: accumulate(*a)[:2], ["expected 3 results"]),
    (lambda *a: (accumulate(*a)[0].T, *accumulate(*a)[1:]), ["transposed"]),
])
def test_accumulation_mistakes_are_named(fn, words):
    fails_with(check_accumulated_gradients, fn, *words)


def test_recalibration_leaves_the_checkers_model_alone():
    """The checker hands the learner a copy: a second run sees the same stale model."""
    assert check_recalibration(precise_bn) is None and check_recalibration(precise_bn) is None
    fails_with(check_recalibration, ema, "exponential")
    assert check_recalibration(copy.deepcopy(precise_bn)) is None
