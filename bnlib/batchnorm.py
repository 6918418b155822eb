r"""Batch Normalization for a batch ``x`` of shape (N, D): forward and backward.

Notation of the course (one mini-batch, every feature on its own):

.. math::

    \mu_B = \frac{1}{m}\sum_{i=1}^m x_i, \qquad
    \sigma_B^2 = \frac{1}{m}\sum_{i=1}^m (x_i-\mu_B)^2, \qquad
    \hat x_i = \frac{x_i-\mu_B}{\sqrt{\sigma_B^2+\epsilon}}, \qquad
    y_i = \gamma\hat x_i + \beta

with m = N rows. Code names: ``mu``, ``var``, ``istd`` = 1/sqrt(var + eps),
``xhat``, ``out``; gradients ``dout`` = dL/dy, ``dx``, ``dgamma``, ``dbeta``.

Two backward passes compute the same three gradients:

* :func:`batchnorm_backward_staged` walks the computational graph of the
  forward pass node by node (notebook 02);
* :func:`batchnorm_backward` evaluates the compact closed form (notebook 05).

Speed. For a large batch the time goes into passes over (N, D) arrays in
memory, not into arithmetic, so the code counts them: results are written
in place with ``out=`` and ``+=`` instead of into new temporaries, and x
and dout are checked for NaN and inf through a sum that is needed anyway
(:func:`require_finite_via_sum`); the compact backward builds dx one block
of rows at a time, so that its four steps find the block in the CPU cache
(:func:`row_blocks`). ``python -m bnlib.bench`` measures each pass against
the cost of the cheapest possible one, ``np.add(a, b, out=c)``.
"""
from typing import NamedTuple

import numpy as np

from .validate import (
    as_float_array,
    require_2d,
    require_batch_size,
    require_eps,
    require_finite,
    require_shape,
)

__all__ = [
    "BatchNormCache",
    "batchnorm_forward",
    "batchnorm_backward",
    "batchnorm_backward_staged",
]


class BatchNormCache(NamedTuple):
    """What the forward pass keeps for the backward pass (each name as in the math)."""

    xmu: np.ndarray    # x_i - mu_B, shape (N, D)
    var: np.ndarray    # sigma_B^2, shape (D,)
    istd: np.ndarray   # 1 / sqrt(sigma_B^2 + eps), shape (D,)
    xhat: np.ndarray   # normalized input, shape (N, D)
    gamma: np.ndarray  # scale, shape (D,)
    eps: float


# Blocks of rows of about this many bytes per array (2 MiB) fit, three arrays
# at a time, in the last-level cache of most CPUs.
BLOCK_BYTES = 2**21


def row_blocks(a, block_bytes=BLOCK_BYTES):
    """Slices that cut the rows of the 2-D array ``a`` into blocks of about ``block_bytes``.

    Several in-place steps over one block run while the block is in the CPU
    cache; the same steps over a whole large array would each fetch it from
    main memory again. A small array is one block.
    """
    N, D = a.shape
    step = max(1, block_bytes // max(1, D * a.itemsize))
    return [slice(start, start + step) for start in range(0, N, step)]


def require_finite_via_sum(name, a, column_sums):
    """Refuse NaN and inf in ``a``, given ``column_sums = a.sum(axis=0)``.

    One NaN or inf makes the sum of its column NaN or inf, so finite sums prove
    every entry finite, without a pass over the (N, D) array just to check.
    Only when a sum is not finite is every entry looked at, to say which is bad
    (if none is, finite numbers overflowed in the sum, and ``a`` is accepted).
    """
    if not np.isfinite(column_sums).all():
        require_finite(name, a)


def check_forward_inputs(x, gamma, beta, eps, check_x_values=True):
    """Validate and convert the inputs of a training-mode forward pass.

    Returns ``(x, gamma, beta, eps)`` with gamma and beta in the dtype of x.
    With ``check_x_values=False`` x is not checked for NaN and inf: the caller
    does it from ``x.sum(axis=0)`` (see :func:`require_finite_via_sum`).
    """
    x = as_float_array("x", x)
    require_2d("x", x)
    N, D = x.shape
    require_batch_size(N)
    if check_x_values:
        require_finite("x", x)
    gamma = as_float_array("gamma", gamma, like=x)
    beta = as_float_array("beta", beta, like=x)
    require_shape("gamma", gamma, (D,), " (one scale per feature of x)")
    require_shape("beta", beta, (D,), " (one shift per feature of x)")
    require_finite("gamma", gamma)
    require_finite("beta", beta)
    eps = require_eps(eps)
    return x, gamma, beta, eps


def check_backward_inputs(dout, cache, check_dout_values=True):
    """Validate ``dout`` against the cache of the forward pass it belongs to.

    With ``check_dout_values=False`` dout is not checked for NaN and inf: the
    caller does it from ``dout.sum(axis=0)`` (see :func:`require_finite_via_sum`).
    """
    if not isinstance(cache, BatchNormCache):
        raise TypeError(
            "cache must be the second value returned by batchnorm_forward; "
            f"got {type(cache).__name__}"
        )
    dout = as_float_array("dout", dout, like=cache.xhat)
    require_shape("dout", dout, cache.xhat.shape, " (the shape of x and of out)")
    if check_dout_values:
        require_finite("dout", dout)
    return dout


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    r"""Training-mode BatchNorm forward pass.

    .. math::

        \mu_B = \tfrac{1}{m}\sum_i x_i,\quad
        \sigma_B^2 = \tfrac{1}{m}\sum_i (x_i-\mu_B)^2,\quad
        \hat x_i = (x_i-\mu_B)/\sqrt{\sigma_B^2+\epsilon},\quad
        y_i = \gamma\hat x_i+\beta

    Parameters
    ----------
    x : array (N, D), N >= 2. float32 stays float32; integers become float64.
    gamma, beta : arrays (D,)
    eps : float > 0, added to the variance inside the square root.

    Returns
    -------
    out : array (N, D), the dtype of x
    cache : BatchNormCache, for the backward pass

    The variance is computed in two passes (centre first, then average the
    squares). The one-pass formula E[x^2] - E[x]^2 subtracts two nearly equal
    large numbers and loses every digit when |mu| >> sigma.

    Memory: three (N, D) arrays are allocated (xmu and xhat for the cache,
    and out) and no temporary; x and xmu are read twice each, xhat once.
    """
    x, gamma, beta, eps = check_forward_inputs(x, gamma, beta, eps, check_x_values=False)
    N = x.shape[0]
    x_sum = x.sum(axis=0)
    require_finite_via_sum("x", x, x_sum)        # NaN or inf in x, found without another pass
    mu = x_sum / N
    xmu = x - mu
    var = np.einsum("ij,ij->j", xmu, xmu) / N   # sum of squares without an (N, D) temporary
    istd = 1.0 / np.sqrt(var + eps)
    xhat = xmu * istd
    out = np.multiply(xhat, gamma)
    out += beta                                  # in place: no fourth (N, D) array
    return out, BatchNormCache(xmu, var, istd, xhat, gamma, eps)


def batchnorm_backward(dout, cache):
    r"""Compact closed-form backward pass of :func:`batchnorm_forward`.

    .. math::

        \frac{\partial L}{\partial\beta} = \sum_i dy_i,\qquad
        \frac{\partial L}{\partial\gamma} = \sum_i dy_i\,\hat x_i,

        \frac{\partial L}{\partial x_i} = \frac{\gamma}{m\sqrt{\sigma_B^2+\epsilon}}
        \Big(m\,dy_i - \sum_j dy_j - \hat x_i \sum_j dy_j\,\hat x_j\Big)

    Returns ``(dx, dgamma, dbeta)`` with shapes (N, D), (D,), (D,).

    Memory: the only (N, D) array allocated is dx itself; dout is read three
    times (two sums, then dx), xhat twice. The four steps that build dx run on
    one block of rows at a time (:func:`row_blocks`): the block is still in the
    CPU cache for steps two to four, which then cost far less than passes over
    the whole of dx in main memory.
    """
    dout = check_backward_inputs(dout, cache, check_dout_values=False)
    N = dout.shape[0]
    xhat = cache.xhat
    dbeta = dout.sum(axis=0)
    require_finite_via_sum("dout", dout, dbeta)   # NaN or inf in dout, without another pass
    dgamma = np.einsum("ij,ij->j", dout, xhat)    # sum_i dy_i * xhat_i, no temporary
    # dx = gamma * istd * (dout - mean_dy - xhat * mean_dy_xhat), written in place into dx
    mean_dy = dbeta / N                           # (1/m) sum_j dy_j
    mean_dy_xhat = dgamma / N                     # (1/m) sum_j dy_j xhat_j
    scale = cache.gamma * cache.istd
    dx = np.empty_like(dout)
    for rows in row_blocks(dx):
        block = dx[rows]                          # a view: writing into it writes dx
        np.multiply(xhat[rows], mean_dy_xhat, out=block)
        block += mean_dy
        np.subtract(dout[rows], block, out=block)
        block *= scale
    return dx, dgamma, dbeta


def batchnorm_backward_staged(dout, cache):
    r"""Backward pass of :func:`batchnorm_forward`, node by node through its graph.

    The forward pass as a graph of small nodes (notebook 02)::

        mu   = sum_i x_i / m          (1)   xmu  = x - mu             (2)
        sq   = xmu ** 2               (3)   var  = sum_i sq_i / m     (4)
        std  = sqrt(var + eps)        (5)   istd = 1 / std            (6)
        xhat = xmu * istd             (7)   out  = gamma * xhat + beta (8)

    Each node, visited in reverse, multiplies the gradient arriving at its
    output by its local derivative; a value used by two nodes (xmu, mu)
    collects the sum of what flows back along both paths.

    Returns ``(dx, dgamma, dbeta)``.
    """
    dout = check_backward_inputs(dout, cache, check_dout_values=False)
    N = dout.shape[0]
    xmu, var, istd, xhat, gamma, eps = cache

    # (8) out = gamma * xhat + beta
    dbeta = dout.sum(axis=0)
    require_finite_via_sum("dout", dout, dbeta)   # the same check as the compact backward
    dgamma = (dout * xhat).sum(axis=0)
    dxhat = dout * gamma
    # (7) xhat = xmu * istd: xmu and istd both feed it
    distd = (dxhat * xmu).sum(axis=0)
    dxmu_direct = dxhat * istd
    # (6) istd = 1 / std:   d istd / d std = -1 / std^2
    std = np.sqrt(var + eps)
    dstd = -distd / std**2
    # (5) std = sqrt(var + eps):   d std / d var = 1 / (2 std)
    dvar = dstd / (2.0 * std)
    # (4) var = mean(sq):   d var / d sq_i = 1 / m
    dsq = np.broadcast_to(dvar / N, dout.shape)
    # (3) sq = xmu^2:   d sq / d xmu = 2 xmu; add the direct path from (7)
    dxmu = dxmu_direct + 2.0 * xmu * dsq
    # (2) xmu = x - mu: x gets dxmu directly, mu gets -sum_i dxmu_i
    dmu = -dxmu.sum(axis=0)
    # (1) mu = mean(x):   d mu / d x_i = 1 / m
    dx = dxmu + dmu / N
    return dx, dgamma, dbeta
