r"""The BatchNorm forward and compact backward passes of :mod:`bnlib.batchnorm`, tuned for memory.

Same formulas, same results (tests hold them equal to the readable versions); only the
order of the work differs. For a large batch the time goes into passes over (N, D)
arrays in memory, not into arithmetic, so these kernels:

* write results in place (``out=``, ``+=``) instead of into new temporaries;
* check x and dout for NaN and inf through a column sum they need anyway
  (:func:`bnlib.validate.require_finite_via_sum`) instead of a pass of their own;
* build dx one block of ``block_rows`` rows at a time, so that its four steps find
  the block still in the CPU cache (:func:`row_blocks`).

``python -m bncourse.bench`` measures them against the cheapest possible pass,
``np.add(a, b, out=c)``. :class:`bnlib.BatchNorm1d` and the notebooks use the readable versions.
"""
import numpy as np

from .batchnorm import BatchNormCache
from .validate import (require_block_rows, require_finite_variance, require_finite_via_sum,
                       validate_backward_inputs, validate_forward_inputs)

__all__ = ["BLOCK_BYTES", "default_block_rows", "row_blocks", "batchnorm_forward_tuned",
           "batchnorm_backward_tuned"]

# Blocks of rows of about this many bytes per array (2 MiB) fit, three arrays at a time,
# in the last-level cache of most CPUs.
BLOCK_BYTES = 2**21


def default_block_rows(D, itemsize):
    """The number of rows of D numbers of ``itemsize`` bytes that make about :data:`BLOCK_BYTES`."""
    return max(1, BLOCK_BYTES // max(1, D * itemsize))


def row_blocks(N, block_rows):
    """Slices that cut N rows into consecutive blocks of ``block_rows`` rows (the last may be shorter)."""
    return [slice(start, min(start + block_rows, N)) for start in range(0, N, block_rows)]


def batchnorm_forward_tuned(x, gamma, beta, eps=1e-5):
    r""":func:`bnlib.batchnorm_forward`, with two (N, D) arrays allocated (xhat and out) and no temporary.

    .. math::

        \mu_B = \tfrac{1}{m}\sum_i x_i,\quad
        \sigma_B^2 = \tfrac{1}{m}\sum_i (x_i-\mu_B)^2,\quad
        \hat x_i = (x_i-\mu_B)/\sqrt{\sigma_B^2+\epsilon},\quad
        y_i = \gamma\hat x_i+\beta

    x - mu is written into xhat and normalized there in place; the sum of squares is an
    ``einsum``, which needs no (N, D) temporary. Returns ``(out, cache)``.
    """
    x, gamma, beta, eps = validate_forward_inputs(x, gamma, beta, eps, finite_x=False)
    m = x.shape[0]
    x_sum = x.sum(axis=0)
    require_finite_via_sum("x", x, x_sum)
    xhat = x - x_sum / m                                # x - mu for now
    var = np.einsum("ij,ij->j", xhat, xhat) / m
    require_finite_variance("x", var)
    istd = 1.0 / np.sqrt(var + eps)
    xhat *= istd
    out = np.multiply(xhat, gamma)
    out += beta
    return out, BatchNormCache(var, istd, xhat, gamma, eps)


def batchnorm_backward_tuned(dout, cache, block_rows=None):
    r""":func:`bnlib.batchnorm_backward`, built in place one block of rows at a time.

    .. math::

        \frac{\partial L}{\partial\beta} = \sum_i dy_i,\qquad
        \frac{\partial L}{\partial\gamma} = \sum_i dy_i\,\hat x_i,\qquad
        \frac{\partial L}{\partial x_i} = \gamma\,\mathrm{istd}\Big(dy_i - \tfrac{1}{m}\sum_j dy_j
        - \hat x_i\,\tfrac{1}{m}\sum_j dy_j\hat x_j\Big)

    The only (N, D) array allocated is dx. ``block_rows`` (an int >= 1; default
    :func:`default_block_rows`) is the number of rows of dx built at once: each block
    goes through the four steps while it is in the CPU cache.
    Returns ``(dx, dgamma, dbeta)``.
    """
    dout = validate_backward_inputs(dout, cache, BatchNormCache, "batchnorm_forward", finite=False)
    m, D = dout.shape
    block_rows = default_block_rows(D, dout.itemsize) if block_rows is None else require_block_rows(block_rows)
    xhat = cache.xhat
    dbeta = dout.sum(axis=0)
    require_finite_via_sum("dout", dout, dbeta)
    dgamma = np.einsum("ij,ij->j", dout, xhat)          # sum_i dy_i xhat_i, no temporary
    mean_dy, mean_dy_xhat = dbeta / m, dgamma / m
    scale = cache.gamma * cache.istd
    dx = np.empty_like(dout)
    for rows in row_blocks(m, block_rows):
        block = dx[rows]                                # a view: writing into it writes dx
        np.multiply(xhat[rows], mean_dy_xhat, out=block)
        block += mean_dy
        np.subtract(dout[rows], block, out=block)
        block *= scale
    return dx, dgamma, dbeta
