r"""BatchNorm over a batch split across devices: SyncBatchNorm from the compact formula (notebook 15).

Device k holds the shard :math:`x^{(k)}` of :math:`m_k` rows; the batch is their concatenation, with
:math:`m = \sum_k m_k` rows. Every sum over the batch is a sum over the shards of a sum inside each
shard, so BatchNorm of the whole batch needs, per feature, only these totals:

.. math::

    \text{forward:}\quad m,\ \ \sum x \ \Rightarrow\ \mu_B, \qquad \sum (x-\mu_B)^2 \ \Rightarrow\ \sigma_B^2

    \text{backward:}\quad \sum dy = \frac{\partial L}{\partial\beta},\qquad
    \sum dy\,\hat x = \frac{\partial L}{\partial\gamma},\qquad
    \frac{\partial L}{\partial x_i} = \frac{\gamma}{m\sqrt{\sigma_B^2+\epsilon}}
    \Big(m\,dy_i - \sum dy - \hat x_i\sum dy\,\hat x\Big)

Each device computes its partial sums; an **all-reduce** adds them up and gives every device the
total. ``allreduce(parts)`` takes the list of partial sums of the shards this process holds (arrays
of one shape) and returns their total over every shard of every process: :func:`local_allreduce`
when one process holds all the shards; with ``torch.distributed``, ``dist.all_reduce`` of the sum of
the parts. Three all-reduces per layer and step: 1 + D numbers (m and the sum of x), then D (the sum
of the squared deviations: two passes, as in :func:`bnlib.batchnorm_forward`, so that no digit is
lost when |mu| >> sigma), then 2D in the backward pass.
"""
from typing import NamedTuple

import numpy as np

from .validate import require_batch_size, require_finite_variance, require_shape
from .validate_variants import validate_shard_douts, validate_shards

__all__ = ["ShardCache", "local_allreduce", "sharded_batchnorm_forward", "sharded_batchnorm_backward"]


class ShardCache(NamedTuple):
    """What the sharded forward pass keeps on one device for the backward pass."""

    xhat: np.ndarray   # this shard's normalized rows, (m_k, D)
    istd: np.ndarray   # 1 / sqrt(sigma_B^2 + eps) of the WHOLE batch, (D,)
    gamma: np.ndarray  # (D,)
    m: int             # rows of the whole batch


def local_allreduce(parts):
    r"""The all-reduce of one process that holds every shard: the sum of the partial sums.

    .. math::  \text{allreduce}(s_1, \dots, s_K) = \sum_{k=1}^K s_k
    """
    return np.sum(parts, axis=0)


def _reduced(allreduce, parts):
    """allreduce(parts) as an array of the parts' shape and dtype."""
    total = np.asarray(allreduce(parts), dtype=parts[0].dtype)
    require_shape("allreduce(parts)", total, parts[0].shape, " (the total of the per-shard partial sums)")
    return total


def sharded_batchnorm_forward(shards, gamma, beta, allreduce, eps=1e-5):
    r"""Training-mode BatchNorm of the concatenated shards, each shard normalized where it lies.

    .. math::

        m = \sum_k m_k,\quad \mu_B = \frac1m\sum_k\sum_{i} x^{(k)}_i,\quad
        \sigma_B^2 = \frac1m\sum_k\sum_i \big(x^{(k)}_i-\mu_B\big)^2,\quad
        y^{(k)}_i = \gamma\,\frac{x^{(k)}_i-\mu_B}{\sqrt{\sigma_B^2+\epsilon}}+\beta

    shards : list of arrays (m_k, D), m_k >= 1, of every shard this process holds; the whole batch
        has m >= 2 rows. gamma, beta : (D,). allreduce : see the module's docstring.

    Returns ``(outs, caches)``: one output (m_k, D) and one :class:`ShardCache` per shard.
    """
    shards, gamma, beta, allreduce, eps = validate_shards(shards, gamma, beta, allreduce, eps)
    return _sharded_forward(shards, gamma, beta, allreduce, eps)


def _sharded_forward(shards, gamma, beta, allreduce, eps):
    """The sharded forward pass on validated inputs."""
    dt = shards[0].dtype
    totals = _reduced(allreduce, [np.concatenate((np.array([x.shape[0]], dt), x.sum(axis=0))) for x in shards])
    m = int(round(float(totals[0])))                                          # 1 + D numbers
    require_batch_size(m)
    mu = totals[1:] / m
    var = _reduced(allreduce, [((x - mu) ** 2).sum(axis=0) for x in shards]) / m   # D numbers
    require_finite_variance("x", var)
    istd = 1.0 / np.sqrt(var + eps)
    xhats = [(x - mu) * istd for x in shards]
    return [gamma * xhat + beta for xhat in xhats], [ShardCache(xhat, istd, gamma, m) for xhat in xhats]


def sharded_batchnorm_backward(douts, caches, allreduce):
    r"""Backward pass of :func:`sharded_batchnorm_forward`: one all-reduce of 2D numbers.

    .. math::

        \frac{\partial L}{\partial\beta} = \sum_k\sum_i dy^{(k)}_i,\quad
        \frac{\partial L}{\partial\gamma} = \sum_k\sum_i dy^{(k)}_i\hat x^{(k)}_i,\quad
        \frac{\partial L}{\partial x^{(k)}_i} = \frac{\gamma}{m\sqrt{\sigma_B^2+\epsilon}}
        \Big(m\,dy^{(k)}_i - \frac{\partial L}{\partial\beta} - \hat x^{(k)}_i\frac{\partial L}{\partial\gamma}\Big)

    The two totals the all-reduce brings are dbeta and dgamma themselves. Returns
    ``(dxs, dgamma, dbeta)``: one dx (m_k, D) per shard, and the gradients of the whole batch.
    """
    douts = validate_shard_douts(douts, caches, ShardCache, allreduce)
    return _sharded_backward(douts, caches, allreduce)


def _sharded_backward(douts, caches, allreduce):
    """The sharded backward pass on validated douts."""
    D = caches[0].gamma.shape[0]
    parts = [np.concatenate((d.sum(axis=0), (d * c.xhat).sum(axis=0))) for d, c in zip(douts, caches)]
    sums = _reduced(allreduce, parts)                                                  # 2D numbers
    dbeta, dgamma = sums[:D], sums[D:]
    dxs = [c.gamma * c.istd / c.m * (c.m * d - dbeta - c.xhat * dgamma) for d, c in zip(douts, caches)]
    return dxs, dgamma, dbeta
