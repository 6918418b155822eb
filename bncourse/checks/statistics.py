"""Checkers of notebook 15 (whose statistics): the backward pass of SyncBatchNorm over shards, RMSNorm's
backward pass.

The references are bnlib's (its sharded BatchNorm, its RMSNorm); the mistakes are written out.
The SyncBatchNorm checker hands the learner an ``allreduce`` that records what it is sent, so that it
can name the mistakes of communication (no all-reduce, whole arrays sent) as well as those of the
formula (the shard's own m, averaged sums, LayerNorm's mean path kept in RMSNorm, ...).
"""
import numpy as np

from bnlib.distributed import ShardCache, local_allreduce, sharded_batchnorm_backward
from bnlib.variants import RMSCache, rmsnorm_backward
from .core import (
    CheckFailed,
    as_result_array,
    as_result_tuple,
    call_learner,
    diagnose,
    format_array,
    is_close,
    passed,
    reproducible,
)

__all__ = ["check_sync_batchnorm_backward", "check_rmsnorm_backward"]


# ---------------------------------------------------------------- SyncBatchNorm backward

def shard_inputs(sizes=(3, 5, 2), D=3, seed=15):
    """douts and xhats of three shards of unequal size, gamma, the istd of the whole batch, m."""
    rng = np.random.default_rng(seed)
    m = sum(sizes)
    x = np.linspace(-2.0, 3.0, D) + np.linspace(0.5, 2.5, D) * rng.standard_normal((m, D))
    x[:sizes[0]] += 1.0                      # the shards' own statistics differ from the whole batch's
    eps = 0.1
    istd = 1.0 / np.sqrt(x.var(axis=0) + eps)
    xhat = (x - x.mean(axis=0)) * istd
    dout = rng.standard_normal((m, D)) + np.linspace(0.3, -0.7, D)
    gamma = np.linspace(0.5, 2.0, D) + 0.1 * rng.standard_normal(D)
    cut = np.cumsum(sizes)[:-1]
    return np.split(dout, cut), np.split(xhat, cut), gamma, istd, m


def sync_grads(douts, xhats, gamma, istd, m, local_sums=False, local_m=False, scale=1.0):
    """The sharded backward pass (correct, or with the sums or m of each shard alone, or scaled sums)."""
    dbeta = scale * sum(d.sum(axis=0) for d in douts)
    dgamma = scale * sum((d * h).sum(axis=0) for d, h in zip(douts, xhats))
    dxs = []
    for d, h in zip(douts, xhats):
        sb, sg = (d.sum(axis=0), (d * h).sum(axis=0)) if local_sums else (dbeta, dgamma)
        mk = len(d) if local_m else m
        dxs.append(gamma * istd / mk * (mk * d - sb - h * sg))
    return dxs, dgamma, dbeta


@reproducible("from bncourse.checks.statistics import shard_inputs; douts, xhats, gamma, istd, m = shard_inputs()")
def check_sync_batchnorm_backward(fn):
    r"""``fn(douts, xhats, gamma, istd, m, allreduce)`` returns ``(dxs, dgamma, dbeta)`` of BatchNorm over the
    concatenated shards, computed shard by shard.

    douts, xhats: lists with one (m_k, D) array per shard; gamma and istd (the whole batch's) (D,);
    m the rows of the whole batch; ``allreduce(parts)`` returns the sum of a list of per-shard arrays.

    .. math:: dx^{(k)}_i = \frac{\gamma\,\mathrm{istd}}{m}\Big(m\,dy^{(k)}_i - \sum dy - \hat x^{(k)}_i\sum dy\,\hat x\Big)
    """
    exercise = "check_sync_batchnorm_backward"
    douts, xhats, gamma, istd, m = shard_inputs()
    K, D = len(douts), gamma.shape[0]
    sent = []

    def allreduce(parts):
        parts = [np.asarray(p, dtype=float) for p in parts]
        if len(parts) != K or len({p.shape for p in parts}) != 1:
            raise CheckFailed(exercise, f"allreduce was given {len(parts)} parts of shapes "
                              f"{[p.shape for p in parts]}: it takes one array per shard, all of one shape",
                              "call allreduce([partial_sum(shard) for each shard]), e.g. "
                              "allreduce([d.sum(axis=0) for d in douts])")
        sent.append(parts[0].size)
        return np.sum(parts, axis=0)

    result = call_learner(exercise, fn, douts, xhats, gamma, istd, m, allreduce,
                          names=("douts", "xhats", "gamma", "istd", "m", "allreduce"),
                          forbidden=(sharded_batchnorm_backward,))
    dxs, dgamma, dbeta = as_result_tuple(exercise, result, ["dxs", "dgamma", "dbeta"])
    if not isinstance(dxs, (list, tuple)) or len(dxs) != K:
        raise CheckFailed(exercise, f"dxs must be a list of {K} arrays, one per shard; got {type(dxs).__name__}"
                          + (f" of length {len(dxs)}" if isinstance(dxs, (list, tuple)) else ""),
                          "return [dx_of_shard(k) for each shard], each of the shape of its dout")
    dxs = [as_result_array(exercise, f"dxs[{k}]", dx, d.shape) for k, (dx, d) in enumerate(zip(dxs, douts))]
    dgamma = as_result_array(exercise, "dgamma", dgamma, (D,))
    dbeta = as_result_array(exercise, "dbeta", dbeta, (D,))
    received = np.concatenate([a.ravel() for a in (*dxs, dgamma, dbeta)])

    def stack(grads):
        return np.concatenate([a.ravel() for a in (*grads[0], grads[1], grads[2])])

    expected = sharded_batchnorm_backward(douts, [ShardCache(h, istd, gamma, m) for h in xhats], local_allreduce)
    example = (f"shards of {[len(d) for d in douts]} rows, m = {m}\nexpected dgamma = {format_array(expected[1])}\n"
               f"your dgamma     = {format_array(dgamma)}\nexpected dxs[0][0] = {format_array(expected[0][0][0])}\n"
               f"your dxs[0][0]     = {format_array(dxs[0][0])}")
    if is_close(received, stack(expected)):
        if not sent:
            raise CheckFailed(exercise, "right numbers, but allreduce was never called: no device holds every "
                              "shard, so the sums over the batch must come from the all-reduce",
                              "compute each shard's partial sums and add them with allreduce([...])")
        if sum(sent) > 2 * D:
            raise CheckFailed(exercise, f"right numbers, but {sum(sent)} numbers went through allreduce per shard "
                              f"where 2D = {2 * D} suffice: the backward pass needs only sum(dy) and sum(dy * xhat)",
                              "all-reduce the two per-feature sums, not whole arrays")
        return passed(exercise, f"SyncBatchNorm's backward pass from the all-reduce of {sum(sent)} numbers per shard "
                      "(sum dy and sum dy xhat)")
    swapped = sync_grads(douts, xhats, gamma, istd, m)
    diagnose(exercise, "the gradients", received, [
        (stack(sync_grads(douts, xhats, gamma, istd, m, local_sums=True, local_m=True)),
         "each shard used its own sums and its own row count: that is BatchNorm of each shard alone, not of "
         "the whole batch", "add the shards' partial sums with allreduce and use the whole batch's m"),
        (stack(sync_grads(douts, xhats, gamma, istd, m, local_sums=True)),
         "dx uses each shard's own sums of dy and dy * xhat: the sums of the whole batch come from the all-reduce",
         "dbeta = allreduce([d.sum(axis=0) for d in douts]), and the same for dy * xhat"),
        (stack(sync_grads(douts, xhats, gamma, istd, m, local_m=True)),
         "dx uses the shard's row count m_k where the formula has m, the rows of the whole batch",
         "every shard divides by the same m, the size of the whole batch"),
        (stack(sync_grads(douts, xhats, gamma, istd, m, scale=1 / K)),
         "the sums were averaged over the shards (an all-reduce with the mean): BatchNorm's sums add up",
         "use the total the all-reduce returns, not divided by the number of shards"),
        (stack((swapped[0], swapped[2], swapped[1])), "dgamma and dbeta are swapped",
         "dbeta = sum dy, dgamma = sum dy * xhat"),
    ], example, fallback=("wrong gradients", "notebook 05's compact formula on each shard's rows, with the whole "
                                  "batch's dbeta, dgamma and m"))


# ---------------------------------------------------------------- RMSNorm backward

def rms_inputs(N=4, D=5, seed=19):
    """xhat = x / rms, irms (N, 1), gamma (D,) and dout, from an RMSNorm forward pass."""
    rng = np.random.default_rng(seed)
    x = np.linspace(-1.0, 2.0, N)[:, None] + np.linspace(0.5, 2.0, N)[:, None] * rng.standard_normal((N, D))
    irms = 1.0 / np.sqrt((x ** 2).mean(axis=1, keepdims=True) + 0.1)
    gamma = np.linspace(0.5, 2.0, D) + 0.2 * rng.standard_normal(D)
    dout = rng.standard_normal((N, D)) + np.linspace(0.3, -0.7, D)
    return dout, x * irms, irms, gamma


def rms_dx(g, xhat, irms, axis=1, mean_term=False, var_term=True, over_m=True, m=None):
    """irms/m (m g - xhat sum g xhat), sums over ``axis`` (m its length unless given); the terms optional."""
    m = g.shape[axis] if m is None else m
    dx = m * g
    if mean_term:
        dx = dx - g.sum(axis=axis, keepdims=True)
    if var_term:
        dx = dx - xhat * (g * xhat).sum(axis=axis, keepdims=True)
    return irms / m * dx if over_m else irms * dx


@reproducible("from bncourse.checks.statistics import rms_inputs; dout, xhat, irms, gamma = rms_inputs()")
def check_rmsnorm_backward(fn):
    r"""``fn(dout, xhat, irms, gamma)`` returns ``(dx, dgamma)`` of RMSNorm.

    .. math::

        g = \gamma\,dy,\qquad dx = \frac{\mathrm{irms}}{D}\Big(D\,g - \hat x\sum_d g\,\hat x\Big),\qquad
        d\gamma = \sum_n dy\,\hat x

    dout and xhat are (N, D); irms = 1/rms is (N, 1), one per sample; gamma is (D,).
    """
    exercise = "check_rmsnorm_backward"
    dout, xhat, irms, gamma = rms_inputs()
    N, D = dout.shape
    result = call_learner(exercise, fn, dout, xhat, irms, gamma, names=("dout", "xhat", "irms", "gamma"),
                          forbidden=(rmsnorm_backward,))
    dx, dgamma = as_result_tuple(exercise, result, ["dx", "dgamma"])
    dx = as_result_array(exercise, "dx", dx, (N, D))
    dgamma = as_result_array(exercise, "dgamma", dgamma, (D,))
    inputs = f"dout =\n    {format_array(dout)}\ngamma = {format_array(gamma)}\n"
    expected, dgamma_ok = rmsnorm_backward(dout, RMSCache(xhat, irms, gamma))
    if not is_close(dgamma, dgamma_ok):
        diagnose(exercise, "dgamma", dgamma, [
            (dout.sum(axis=0), "dgamma is the sum of dout: that is a beta's gradient (RMSNorm has no beta)",
             "dgamma = (dout * xhat).sum(axis=0)"),
            ((dout * xhat).mean(axis=0), "dgamma is a mean over the batch, not a sum", "sum over axis 0"),
            ((dout * gamma * xhat).sum(axis=0), "dgamma has an extra factor gamma", "dgamma = sum_n dout * xhat"),
        ], f"{inputs}expected dgamma = {format_array(dgamma_ok)}\nyour dgamma     = {format_array(dgamma)}")
    g = dout * gamma
    if is_close(dx, expected):
        return passed(exercise, "dx and dgamma of RMSNorm: LayerNorm's formula without the path through the mean")
    diagnose(exercise, "dx", dx, [
        (rms_dx(g, xhat, irms, mean_term=True), "you kept LayerNorm's term through the mean, - sum_d g: RMSNorm "
         "subtracts no mean, so that path does not exist", "drop the term - sum_d g: only the rms depends on the "
         "other features of the row"),
        (gamma * rms_dx(dout, xhat, irms), "gamma was pulled out of the sum: it varies along the features, over "
         "which RMSNorm sums", "start from g = dout * gamma and use g inside the sum"),
        (rms_dx(g, xhat, irms, axis=0), "the sum runs over the batch (axis 0): RMSNorm's statistic is per sample",
         "sum over the features, axis=1, keepdims=True"),
        (rms_dx(g, xhat, irms, axis=0, m=D), "the sum runs over the batch (axis 0): RMSNorm's statistic is per sample",
         "sum over the features, axis=1, keepdims=True"),
        (rms_dx(g, xhat, 1.0), "the factor irms = 1/rms is missing", "multiply by irms, shape (N, 1)"),
        (rms_dx(g, xhat, irms, var_term=False), "only the direct path: the path through the rms, "
         "- xhat sum_d g xhat, is missing", "x_d also reaches every output of its row through the row's rms: add "
         "that path"),
        (rms_dx(g, xhat, irms, over_m=False), "the factor 1/D is missing in front of the bracket",
         "the rms is the root of a mean over the D features: its derivative brings 1/D"),
        (rms_dx(dout, xhat, irms), "gamma is missing from dx", "dL/dxhat = dout * gamma"),
    ], f"{inputs}expected dx[0] = {format_array(expected[0])}\nyour dx[0]     = {format_array(dx[0])}")
