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
(:func:`bnlib.validate.require_finite_via_sum`); the compact backward builds dx one block
of rows at a time, so that its four steps find the block in the CPU cache
(:func:`row_blocks`). ``python -m bnlib.bench`` measures each pass against
the cost of the cheapest possible one, ``np.add(a, b, out=c)``.
"""
from typing import NamedTuple

import numpy as np

from .validate import (
    require_cache,
    require_finite_via_sum,
    validate_dout,
    validate_forward_inputs,
)

__all__ = [
    "BatchNormCache",
    "batchnorm_forward",
    "batchnorm_backward",
    "batchnorm_backward_staged",
]


class BatchNormCache(NamedTuple):
    """What the forward pass keeps for the backward passes (each name as in the math).

    Only one (N, D) array: the compact backward needs xhat, istd and gamma; the
    staged one also x - mu, which is ``xhat / istd`` (the property :attr:`xmu`),
    so keeping it too would cost a third (N, D) array in every forward pass.
    """

    var: np.ndarray    # sigma_B^2, shape (D,)
    istd: np.ndarray   # 1 / sqrt(sigma_B^2 + eps), shape (D,)
    xhat: np.ndarray   # normalized input, shape (N, D)
    gamma: np.ndarray  # scale, shape (D,)
    eps: float

    @property
    def xmu(self):
        """x_i - mu_B, shape (N, D), recomputed as xhat * sqrt(var + eps) = xhat / istd."""
        return self.xhat / self.istd


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


def validate_backward_inputs(dout, cache):
    """``dout`` checked against the cache of the :func:`batchnorm_forward` it belongs to.

    dout is not checked for NaN and inf here: each backward pass does it from
    ``dout.sum(axis=0)``, which it needs anyway (see :func:`require_finite_via_sum`).
    """
    require_cache(cache, BatchNormCache, "batchnorm_forward")
    return validate_dout(dout, cache.xhat, finite=False)


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

    Memory: two (N, D) arrays are allocated (xhat for the cache, and out) and
    no temporary: x - mu is written into xhat and normalized there in place.
    """
    x, gamma, beta, eps = validate_forward_inputs(x, gamma, beta, eps, finite_x=False)
    return _batchnorm_forward(x, gamma, beta, eps)


def _batchnorm_forward(x, gamma, beta, eps):
    """The forward pass on validated inputs; x's NaN check rides on its column sums."""
    N = x.shape[0]
    x_sum = x.sum(axis=0)
    require_finite_via_sum("x", x, x_sum)        # NaN or inf in x, found without another pass
    mu = x_sum / N
    xhat = x - mu                                # x - mu for now: normalized in place below
    var = np.einsum("ij,ij->j", xhat, xhat) / N  # sum of squares without an (N, D) temporary
    istd = 1.0 / np.sqrt(var + eps)
    xhat *= istd
    out = np.multiply(xhat, gamma)
    out += beta                                  # in place: no third (N, D) array
    return out, BatchNormCache(var, istd, xhat, gamma, eps)


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
    return _batchnorm_backward(validate_backward_inputs(dout, cache), cache)


def _batchnorm_backward(dout, cache):
    """The compact backward pass on a validated dout; its NaN check rides on dbeta = sum(dout)."""
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
    dout = validate_backward_inputs(dout, cache)
    N = dout.shape[0]
    var, istd, xhat, gamma, eps = cache
    xmu = cache.xmu                               # x - mu, recomputed from xhat

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
