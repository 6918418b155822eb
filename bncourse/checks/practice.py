"""Checkers of notebook 14 (BatchNorm in practice): recalibrating the running statistics (PreciseBN),
the variance shift of dropout before BatchNorm, gradient accumulation over micro-batches.

Each checker computes what the usual mistakes give on its input (an exponential average instead of a
true one, eval mode, the drop probability for the keep probability, the gradient of the whole batch,
...) and names the one that matches the learner's answer.
"""
import copy

import numpy as np

import bnlib
from bnlib.layers import BatchNorm1d
from bnlib.mlp import MLP
from .core import (
    CheckFailed,
    as_result_array,
    as_result_tuple,
    call_learner,
    checker_inputs,
    diagnose,
    format_array,
    is_close,
    passed,
    reproducible,
)
from .layers import model_state, running_state
from bncourse.studies.bn_order import precise_batchnorm

__all__ = ["check_recalibration", "check_dropout_variance_shift", "check_accumulated_gradients"]


# ---------------------------------------------------------------- recalibration (PreciseBN)

def recalibration_inputs():
    """A model with BatchNorm whose running statistics are stale (from other data), and the data X
    (24 rows, batches of 6) whose statistics differ from those."""
    rng = np.random.default_rng(14)
    model = MLP([3, 5, 4, 2], batchnorm=True, seed=14)
    model.train()
    for _ in range(3):                                   # stale: statistics of very different inputs
        model.forward(rng.standard_normal((8, 3)) * 0.3 - 2.0)
    X = rng.standard_normal((24, 3)) * [2.0, 0.5, 1.0] + [1.0, -1.0, 0.5]
    return model.eval(), X, 6


def batchnorms(model):
    return [layer for layer in model.layers if isinstance(layer, BatchNorm1d)]


def recalibrated(model, X, batch_size, reset=True, average=True, training=True, batches=None, biased=False):
    """A copy of ``model`` after a pass over X in batches (a correct recalibration, or a mistaken one)."""
    model = copy.deepcopy(model)
    momenta = [bn.momentum for bn in batchnorms(model)]
    for bn in batchnorms(model):
        if average:
            bn.momentum = None
        if reset:
            bn.num_batches_tracked = 0
    model.train(training)
    starts = range(0, len(X) - batch_size + 1, batch_size) if batches is None else batches
    for start in starts:
        model.forward(X[start:start + batch_size] if batches is None else X)
    for momentum, bn in zip(momenta, batchnorms(model)):
        bn.momentum = momentum
    if biased:      # the biased batch variance averaged instead of the unbiased one
        for bn in batchnorms(model):
            bn.running_var = bn.running_var * (batch_size - 1) / batch_size
    return model.eval()


@reproducible("from bncourse.checks.practice import recalibration_inputs; model, X, batch_size = recalibration_inputs()")
def check_recalibration(fn):
    """``fn(model, X, batch_size)`` recomputes the running statistics of every BatchNorm layer of
    ``model`` (a :class:`bnlib.MLP`) from X, as PreciseBN does, and returns the model in eval mode.

    One pass over X in consecutive batches of ``batch_size`` rows, in training mode, no weight
    updated; each running statistic ends as the plain average over those batches of the batch's mean
    (unbiased variance); each layer's momentum is as it was before.
    """
    exercise = "check_recalibration"
    model, X, batch_size = recalibration_inputs()
    given = copy.deepcopy(model)
    result = call_learner(exercise, fn, given, X, batch_size, names=("model", "X", "batch_size"))
    if not isinstance(result, MLP):
        raise CheckFailed(exercise, f"expected the model back, got {type(result).__name__}",
                          "end with `return model.eval()`")
    if not np.array_equal(model_state(result), model_state(model)):
        raise CheckFailed(exercise, "a weight or a gamma/beta changed: recalibration updates no parameter",
                          "only forward passes, no backward pass and no step: the running statistics "
                          "change by themselves in training mode")
    if result.training or any(layer.training for layer in result.layers):
        raise CheckFailed(exercise, "the model is still in training mode",
                          "return model.eval(): the recalibrated statistics are for eval mode")
    if any(bn.momentum != 0.1 for bn in batchnorms(result)):
        raise CheckFailed(exercise, "a layer's momentum is not what it was before (0.1): later training would "
                          "average its running statistics differently",
                          "keep each layer's momentum, set it to None for the pass, and put it back afterwards")
    received = running_state(result)
    reference = precise_batchnorm(copy.deepcopy(model), X, batch_size)
    expected = running_state(reference)
    example = (f"X has {len(X)} rows, batch_size = {batch_size}\n"
               f"expected running_mean of the first layer = {format_array(batchnorms(reference)[0].running_mean)}\n"
               f"your running_mean of the first layer     = {format_array(batchnorms(result)[0].running_mean)}")
    if is_close(received, expected):
        return passed(exercise, "each running statistic is the true average over one pass in training mode (PreciseBN)")
    diagnose(exercise, "running statistics", received, [
        (running_state(model), "the running statistics did not change: the passes ran in eval mode "
         "(or did not run)", "call model.train() before the forward passes: only training mode updates them"),
        (running_state(recalibrated(model, X, batch_size, reset=False, average=False)),
         "the running statistics are still an exponential moving average (momentum 0.1) mixed with the stale ones",
         "set each BatchNorm layer's momentum to None and num_batches_tracked to 0: then they are the plain "
         "average of the batches of this pass"),
        (running_state(recalibrated(model, X, batch_size, reset=False)),
         "momentum None, but num_batches_tracked was not reset: the stale statistics count as earlier batches "
         "of the average", "set num_batches_tracked = 0 in each BatchNorm layer before the pass"),
        (running_state(recalibrated(model, X, batch_size, batches=[0])),
         "X went through as one batch of all its rows, not in batches of batch_size",
         "loop over X[start:start + batch_size] for start in range(0, len(X), batch_size)"),
        (running_state(recalibrated(model, X, batch_size, biased=True)),
         "running_var averages the biased batch variance (divide by N)",
         "let the layers update themselves in training mode: they average the unbiased variance"),
    ], example, fallback=("wrong running statistics", "reset, momentum None, one pass in training mode, eval()"))


# ---------------------------------------------------------------- dropout before BatchNorm

def dropout_inputs():
    """c (the units' means), v (their variances) and keep (dropout's probability of keeping a unit)."""
    return np.array([0.0, 1.5, -2.0, 0.5]), np.array([1.0, 0.25, 2.0, 4.0]), 0.8


@reproducible("from bncourse.checks.practice import dropout_inputs; c, v, keep = dropout_inputs()")
def check_dropout_variance_shift(fn):
    r"""``fn(c, v, keep)`` returns ``(var_train, var_test)``: the variance of a unit after dropout in
    training mode and in inference.

    The unit x has mean c and variance v; dropout keeps it with probability ``keep`` and scales what
    it keeps by 1/keep (inverted dropout, :math:`X = a\,x/\text{keep}`, :math:`a\sim\text{Bernoulli(keep)}`).

    .. math:: \mathrm{Var}_\text{train} = \frac{c^2+v}{\text{keep}} - c^2,\qquad \mathrm{Var}_\text{test} = v
    """
    exercise = "check_dropout_variance_shift"
    c, v, keep = dropout_inputs()
    result = call_learner(exercise, fn, c, v, keep, names=("c", "v", "keep"))
    var_train, var_test = as_result_tuple(exercise, result, ["var_train", "var_test"])
    var_train = as_result_array(exercise, "var_train", np.broadcast_to(var_train, c.shape)
                                if np.ndim(var_train) == 0 else var_train, c.shape)
    var_test = as_result_array(exercise, "var_test", np.broadcast_to(var_test, c.shape)
                               if np.ndim(var_test) == 0 else var_test, c.shape)
    train_ok = (c ** 2 + v) / keep - c ** 2
    inputs = f"c = {format_array(c)}, v = {format_array(v)}, keep = {keep}\n"
    if is_close(var_train, v) and is_close(var_test, train_ok):
        raise CheckFailed(exercise, "the two results are in the wrong order",
                          "return (var_train, var_test): training mode first")
    if not is_close(var_test, v):
        diagnose(exercise, "var_test", var_test, [
            (train_ok, "var_test is the training-mode variance: at inference dropout does nothing",
             "with dropout off, X = x, so Var_test = v"),
            (keep * v, "var_test was scaled by keep: inverted dropout already scaled in training, so inference "
             "leaves x as it is", "Var_test = v"),
        ], f"{inputs}expected var_test = {format_array(v)}\nyour var_test     = {format_array(var_test)}")
    drop = 1 - keep
    if not is_close(var_train, train_ok):
        diagnose(exercise, "var_train", var_train, [
            (v / keep, "the term of the mean is missing: dropping a unit of mean c != 0 adds variance too",
             "E[X^2] = E[a^2] E[x^2] / keep^2 = (c^2 + v) / keep, and E[X] = c: Var = (c^2 + v)/keep - c^2"),
            ((c ** 2 + v) / drop - c ** 2, "keep and drop are swapped: keep is the probability of KEEPING the "
             "unit (PyTorch's nn.Dropout(p) takes the probability of dropping it)", "use keep, here 0.8"),
            (keep * (c ** 2 + v) - (keep * c) ** 2, "this is dropout without the 1/keep scaling (Var of a x)",
             "inverted dropout divides what it keeps by keep: X = a x / keep"),
            ((c ** 2 + v) / keep, "this is E[X^2], not the variance: subtract E[X]^2 = c^2",
             "Var = E[X^2] - E[X]^2 = (c^2 + v)/keep - c^2"),
            (v, "var_train equals v: dropout in training mode changes the variance",
             "compute E[X^2] - E[X]^2 for X = a x / keep"),
        ], f"{inputs}expected var_train = {format_array(train_ok)}\nyour var_train     = {format_array(var_train)}")
    return passed(exercise, "Var_train = (c^2 + v)/keep - c^2 and Var_test = v: the shift BatchNorm sees at inference")


# ---------------------------------------------------------------- gradient accumulation

def batchnorm_grads(x, gamma, beta, dout, eps):
    out, cache = bnlib.batchnorm_forward(x, gamma, beta, eps)
    return bnlib.batchnorm_backward(dout, cache)


def accumulated(x, gamma, beta, dout, eps, micro, rows=None, reduce=sum, last_only=False):
    """The gradients of gradient accumulation over micro-batches (or of a mistaken version)."""
    N = x.shape[0]
    groups = rows or [slice(s, s + micro) for s in range(0, N, micro)]
    dx = np.zeros_like(x)
    parts = []
    for rows_k in groups:
        g = batchnorm_grads(x[rows_k], gamma, beta, dout[rows_k], eps)
        dx[rows_k] = g[0]
        parts.append(g[1:])
    if last_only:
        return dx, parts[-1][0], parts[-1][1]
    return dx, reduce(p[0] for p in parts), reduce(p[1] for p in parts)


def accumulation_inputs():
    """x (12 rows whose two halves differ), gamma, beta, dout, and micro = 4 rows per micro-batch."""
    x, gamma, beta, dout, _ = checker_inputs(N=12, D=3, seed=3)
    x[6:] += [1.5, -1.0, 2.0]           # the second half differs: micro-batch statistics differ from the whole
    return x, gamma, beta, dout, 4


@reproducible("from bncourse.checks.practice import accumulation_inputs; "
              "x, gamma, beta, dout, micro = accumulation_inputs()")
def check_accumulated_gradients(fn):
    r"""``fn(x, gamma, beta, dout, micro)`` returns ``(dx, dgamma, dbeta)`` as gradient accumulation computes
    them: the N rows of x in consecutive micro-batches of ``micro`` rows, each through training-mode
    BatchNorm (eps = 1e-5) with its own statistics and its rows of dout, the gradients summed.

    .. math:: d\gamma = \sum_k\sum_{i\in k} dy_i\,\hat x^{(k)}_i,\qquad d\beta = \sum_i dy_i,\qquad
              dx_i = \text{BatchNorm's } dx \text{ of the micro-batch } k \ni i
    """
    exercise = "check_accumulated_gradients"
    x, gamma, beta, dout, micro = accumulation_inputs()
    eps = 1e-5
    N, D = x.shape
    result = call_learner(exercise, fn, x, gamma, beta, dout, micro, names=("x", "gamma", "beta", "dout", "micro"),
                          forbidden=(bnlib.ghost_batchnorm_backward,))
    dx, dgamma, dbeta = as_result_tuple(exercise, result, ["dx", "dgamma", "dbeta"])
    dx = as_result_array(exercise, "dx", dx, (N, D))
    dgamma = as_result_array(exercise, "dgamma", dgamma, (D,))
    dbeta = as_result_array(exercise, "dbeta", dbeta, (D,))
    expected = accumulated(x, gamma, beta, dout, eps, micro)
    whole = batchnorm_grads(x, gamma, beta, dout, eps)
    K = N // micro
    strided = accumulated(x, gamma, beta, dout, eps, micro, rows=[slice(k, N, K) for k in range(K)])
    mean_of = accumulated(x, gamma, beta, dout, eps, micro, reduce=lambda parts: sum(parts) / K)
    last = accumulated(x, gamma, beta, dout, eps, micro, last_only=True)
    received = np.concatenate([dx.ravel(), dgamma, dbeta])
    stack = lambda grads: np.concatenate([grads[0].ravel(), grads[1], grads[2]])   # noqa: E731
    if is_close(received, stack(expected)):
        return passed(exercise, "each micro-batch normalized by its own statistics, the gradients summed: "
                      "not the gradient of one batch of N")
    example = (f"x has N = {N} rows, micro = {micro}\nexpected dgamma = {format_array(expected[1])}\n"
               f"your dgamma     = {format_array(dgamma)}\nexpected dx[0] = {format_array(expected[0][0])}\n"
               f"your dx[0]     = {format_array(dx[0])}")
    diagnose(exercise, "the gradients", received, [
        (stack(whole), "these are the gradients of ONE batch of N rows: under gradient accumulation each "
         "micro-batch is normalized with its own mean and variance", "loop over x[s:s + micro], one BatchNorm "
         "forward and backward per micro-batch, and sum dgamma and dbeta"),
        (stack(mean_of), "dgamma and dbeta are the mean over the micro-batches: dout already holds the gradient "
         "of the whole loss, so the contributions add up", "sum the micro-batches' dgamma and dbeta"),
        (stack((mean_of[0] / K, *mean_of[1:])), "every gradient was divided by the number of micro-batches",
         "dout is the gradient of the loss of the whole batch: nothing needs dividing"),
        (stack(last), "dgamma and dbeta hold only the last micro-batch: they were overwritten, not accumulated",
         "dgamma += ... (start from zeros), one term per micro-batch"),
        (stack(strided), "the micro-batches are strided rows (k, k + K, ...); gradient accumulation feeds "
         "consecutive rows", "micro-batch k is x[k * micro:(k + 1) * micro]"),
    ], example, fallback=("wrong gradients", "one BatchNorm forward and backward per micro-batch of consecutive rows"))
