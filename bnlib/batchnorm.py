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

Each is written as the formula reads. The same formulas, rewritten to make as
few passes over memory as possible, are in :mod:`bnlib.tuned`; tests hold the
two versions equal.
"""
from typing import NamedTuple

import numpy as np

from .validate import require_finite_variance, validate_backward_inputs, validate_forward_inputs

__all__ = [
    "BatchNormCache",
    "batchnorm_forward",
    "batchnorm_backward",
    "batchnorm_backward_staged",
]


class BatchNormCache(NamedTuple):
    """What the forward pass keeps for the backward passes (each name as in the math).

    One (N, D) array: the compact backward needs xhat, istd and gamma; the staged
    one also x - mu, which is ``xhat / istd`` (the property :attr:`xmu`).
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
    eps : real number > 0, added to the variance inside the square root.

    Returns
    -------
    out : array (N, D), the dtype of x
    cache : BatchNormCache, for the backward pass

    The variance is computed in two passes (centre first, then average the
    squares). The one-pass formula E[x^2] - E[x]^2 subtracts two nearly equal
    large numbers and loses every digit when |mu| >> sigma.
    """
    x, gamma, beta, eps = validate_forward_inputs(x, gamma, beta, eps)
    return _batchnorm_forward(x, gamma, beta, eps)


def _batchnorm_forward(x, gamma, beta, eps):
    """The forward pass on validated inputs."""
    m = x.shape[0]
    mu = x.sum(axis=0) / m
    xmu = x - mu
    var = (xmu * xmu).sum(axis=0) / m
    require_finite_variance("x", var)
    istd = 1.0 / np.sqrt(var + eps)
    xhat = xmu * istd
    out = gamma * xhat + beta
    return out, BatchNormCache(var, istd, xhat, gamma, eps)


def batchnorm_backward(dout, cache):
    r"""Compact closed-form backward pass of :func:`batchnorm_forward`.

    .. math::

        \frac{\partial L}{\partial\beta} = \sum_i dy_i,\qquad
        \frac{\partial L}{\partial\gamma} = \sum_i dy_i\,\hat x_i,

        \frac{\partial L}{\partial x_i} = \frac{\gamma}{m\sqrt{\sigma_B^2+\epsilon}}
        \Big(m\,dy_i - \sum_j dy_j - \hat x_i \sum_j dy_j\,\hat x_j\Big)

    Returns ``(dx, dgamma, dbeta)`` with shapes (N, D), (D,), (D,).
    """
    return _batchnorm_backward(validate_backward_inputs(dout, cache, BatchNormCache, "batchnorm_forward"), cache)


def _batchnorm_backward(dout, cache):
    """The compact backward pass on a validated dout."""
    m = dout.shape[0]
    xhat = cache.xhat
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dx = cache.gamma * cache.istd / m * (m * dout - dbeta - xhat * dgamma)
    return dx, dgamma, dbeta


def batchnorm_backward_staged(dout, cache):
    r"""Backward pass of :func:`batchnorm_forward`, node by node through its graph.

    The forward pass as a graph of nine small nodes (notebook 02, after Kratzert 2016)::

        mu   = sum_i x_i / m       (1)   xmu  = x - mu           (2)   sq  = xmu ** 2    (3)
        var  = sum_i sq_i / m      (4)   std  = sqrt(var + eps)  (5)   istd = 1 / std    (6)
        xhat = xmu * istd          (7)   gx   = gamma * xhat     (8)   out = gx + beta   (9)

    Each node, visited in reverse, multiplies the gradient arriving at its
    output by its local derivative. A value that feeds two nodes collects the
    sum of what flows back along both: x feeds (1) and (2), xmu feeds (3) and (7).

    Returns ``(dx, dgamma, dbeta)``.
    """
    dout = validate_backward_inputs(dout, cache, BatchNormCache, "batchnorm_forward")
    m = dout.shape[0]
    var, istd, xhat, gamma, eps = cache
    xmu = cache.xmu                               # x - mu, recomputed from xhat

    # (9) out = gx + beta
    dbeta = dout.sum(axis=0)
    dgx = dout
    # (8) gx = gamma * xhat
    dgamma = (dgx * xhat).sum(axis=0)
    dxhat = dgx * gamma
    # (7) xhat = xmu * istd: xmu and istd both feed it
    distd = (dxhat * xmu).sum(axis=0)
    dxmu_direct = dxhat * istd
    # (6) istd = 1 / std:   d istd / d std = -1 / std^2
    std = np.sqrt(var + eps)
    dstd = -distd / std**2
    # (5) std = sqrt(var + eps):   d std / d var = 1 / (2 std)
    dvar = dstd / (2.0 * std)
    # (4) var = mean(sq):   d var / d sq_i = 1 / m
    dsq = np.broadcast_to(dvar / m, dout.shape)
    # (3) sq = xmu^2:   d sq / d xmu = 2 xmu; add the direct path from (7)
    dxmu = dxmu_direct + 2.0 * xmu * dsq
    # (2) xmu = x - mu: x gets dxmu directly, mu gets -sum_i dxmu_i
    dmu = -dxmu.sum(axis=0)
    # (1) mu = mean(x):   d mu / d x_i = 1 / m; add the direct path from (2)
    dx = dxmu + dmu / m
    return dx, dgamma, dbeta
