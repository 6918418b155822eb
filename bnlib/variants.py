r"""Three relatives of BatchNorm, each a small change to whose statistics it uses (notebook 15).

* **Ghost BatchNorm** (Hoffer, Hubara & Soudry, 2017): the batch of N rows cut into N/g virtual batches
  of g rows, each normalized on its own: :func:`bnlib.normalize_forward` on x seen as (N/g, g, D).
* **Batch Renormalization** (Ioffe, 2017): the batch statistics, corrected towards the moving ones by
  r and d, which the backward pass holds constant.
* **RMSNorm** (Zhang & Sennrich, 2019): each sample divided by the root mean square of its features,
  no mean subtracted, no shift.
"""
from typing import NamedTuple

import numpy as np

from .norms import NormCache, _normalize_backward, _normalize_forward
from .validate import (require_cache, require_eps, require_param, validate_backward_inputs, validate_batch,
                       validate_dout, validate_forward_inputs)
from .validate_variants import require_ghost_size, require_positive, require_renorm_limits

__all__ = ["ghost_batchnorm_forward", "ghost_batchnorm_backward", "RenormCache", "batch_renorm_forward",
           "batch_renorm_backward", "RMSCache", "rmsnorm_forward", "rmsnorm_backward"]


# ---------------------------------------------------------------- Ghost BatchNorm

def ghost_batchnorm_forward(x, gamma, beta, ghost_size, eps=1e-5):
    r"""BatchNorm on each of the N/g virtual batches of g = ``ghost_size`` consecutive rows of x (N, D).

    .. math::

        x\ (N, D)\ \to\ (N/g,\ g,\ D),\qquad \text{reduced axis } 1,\quad m = g

    Rows v*g .. v*g + g - 1 form virtual batch v; g must divide N. Returns ``(out, cache)``.
    """
    x, gamma, beta, eps = validate_forward_inputs(x, gamma, beta, eps)
    N, D = x.shape
    g = require_ghost_size(ghost_size, N)
    out, cache = _normalize_forward(x.reshape(N // g, g, D), gamma.reshape(1, 1, D), beta.reshape(1, 1, D), (1,),
                                    g, eps, layer="ghost_batchnorm_forward")
    return out.reshape(N, D), cache


def ghost_batchnorm_backward(dout, cache):
    r"""Backward pass of :func:`ghost_batchnorm_forward`: the compact formula inside each virtual batch v,
    dgamma and dbeta summed over all of them.

    .. math::

        \frac{\partial L}{\partial x_i} = \frac{\gamma}{g\sqrt{\sigma_v^2+\epsilon}}
        \Big(g\,dy_i - \sum_{j\in v} dy_j - \hat x_i\sum_{j\in v} dy_j\hat x_j\Big),\quad
        \frac{\partial L}{\partial\gamma} = \sum_i dy_i\hat x_i,\quad \frac{\partial L}{\partial\beta} = \sum_i dy_i

    Returns ``(dx, dgamma, dbeta)``."""
    require_cache(cache, NormCache, "ghost_batchnorm_forward")
    V, g, D = cache.xhat.shape
    dout = validate_dout(dout, cache.xhat, (V * g, D))
    dx, dgamma, dbeta = _normalize_backward(dout.reshape(V, g, D), cache)
    return dx.reshape(V * g, D), dgamma.ravel(), dbeta.ravel()


# ---------------------------------------------------------------- Batch Renormalization

class RenormCache(NamedTuple):
    """What :func:`batch_renorm_forward` keeps; ``mu`` and ``std`` are there for the moving averages."""

    xhat: np.ndarray   # BatchNorm's (x - mu_B) / sigma_B, (N, D)
    r: np.ndarray      # clip(sigma_B / sigma, 1/r_max, r_max), (D,)
    d: np.ndarray      # clip((mu_B - mu) / sigma, -d_max, d_max), (D,)
    istd: np.ndarray   # 1 / sigma_B, (D,)
    gamma: np.ndarray  # (D,)
    mu: np.ndarray     # mu_B, (D,)
    std: np.ndarray    # sigma_B = sqrt(sigma_B^2 + eps), (D,)


def batch_renorm_forward(x, gamma, beta, running_mean, running_std, r_max=3.0, d_max=5.0, eps=1e-5):
    r"""Batch Renormalization in training mode (Ioffe 2017, Algorithm 1).

    .. math::

        \sigma_B = \sqrt{\sigma_B^2+\epsilon},\quad
        r = \mathrm{clip}_{[1/r_{\max},\,r_{\max}]}\Big(\frac{\sigma_B}{\sigma}\Big),\quad
        d = \mathrm{clip}_{[-d_{\max},\,d_{\max}]}\Big(\frac{\mu_B-\mu}{\sigma}\Big),\quad
        y_i = \gamma\Big(\frac{x_i-\mu_B}{\sigma_B}\,r + d\Big)+\beta

    with :math:`\mu, \sigma` the moving mean and standard deviation (``running_mean``, ``running_std``,
    (D,)). r_max = 1, d_max = 0 is BatchNorm. The caller updates the moving averages from
    ``cache.mu`` and ``cache.std``. Returns ``(out, cache)``.
    """
    x, gamma, beta, eps = validate_forward_inputs(x, gamma, beta, eps)
    D = x.shape[1]
    running_mean = require_param("running_mean", running_mean, x, (D,), " (one per feature)")
    running_std = require_positive("running_std", require_param("running_std", running_std, x, (D,)))
    r_max, d_max = require_renorm_limits(r_max, d_max)
    m = x.shape[0]
    mu = x.sum(axis=0) / m
    xmu = x - mu
    std = np.sqrt((xmu * xmu).sum(axis=0) / m + eps)
    r = np.clip(std / running_std, 1.0 / r_max, r_max)
    d = np.clip((mu - running_mean) / running_std, -d_max, d_max)
    xhat = xmu / std
    return gamma * (xhat * r + d) + beta, RenormCache(xhat, r, d, 1.0 / std, gamma, mu, std)


def batch_renorm_backward(dout, cache):
    r"""Backward pass of :func:`batch_renorm_forward`, r and d held constant: BatchNorm's, times r.

    .. math::

        \frac{\partial L}{\partial\beta} = \sum_i dy_i,\quad
        \frac{\partial L}{\partial\gamma} = \sum_i dy_i\,(\hat x_i r + d),\quad
        g_i = r\,\gamma\,dy_i,\quad
        \frac{\partial L}{\partial x_i} = \frac{1}{m\,\sigma_B}\Big(m\,g_i - \sum_j g_j - \hat x_i\sum_j g_j\hat x_j\Big)

    Returns ``(dx, dgamma, dbeta)``.
    """
    dout = validate_backward_inputs(dout, cache, RenormCache, "batch_renorm_forward")
    m = dout.shape[0]
    xhat = cache.xhat
    g = dout * (cache.gamma * cache.r)
    dx = cache.istd / m * (m * g - g.sum(axis=0) - xhat * (g * xhat).sum(axis=0))
    return dx, (dout * (xhat * cache.r + cache.d)).sum(axis=0), dout.sum(axis=0)


# ---------------------------------------------------------------- RMSNorm

class RMSCache(NamedTuple):
    """What :func:`rmsnorm_forward` keeps for the backward pass."""

    xhat: np.ndarray   # x / rms, (N, D)
    irms: np.ndarray   # 1 / sqrt(mean_d x^2 + eps), (N, 1)
    gamma: np.ndarray  # (D,)


def rmsnorm_forward(x, gamma, eps=1e-5):
    r"""RMSNorm: each sample (row of x, (N, D)) divided by the root mean square of its D features.

    .. math::

        \mathrm{rms}_n = \sqrt{\frac1D\sum_d x_{nd}^2+\epsilon},\qquad
        \hat x_{nd} = \frac{x_{nd}}{\mathrm{rms}_n},\qquad y_{nd} = \gamma_d\,\hat x_{nd}

    No mean is subtracted and there is no shift beta. eps sits inside the square root (the paper's
    formula has none; its code adds one to the rms). Any N >= 1, D >= 1. Returns ``(out, cache)``.
    """
    x = validate_batch("x", x)
    D = x.shape[1]
    gamma = require_param("gamma", gamma, x, (D,), " (one scale per feature of x)")
    return _rmsnorm_forward(x, gamma, require_eps(eps))


def _rmsnorm_forward(x, gamma, eps):
    """RMSNorm on validated inputs."""
    irms = 1.0 / np.sqrt((x * x).sum(axis=1, keepdims=True) / x.shape[1] + eps)
    xhat = x * irms
    return gamma * xhat, RMSCache(xhat, irms, gamma)


def rmsnorm_backward(dout, cache):
    r"""Backward pass of :func:`rmsnorm_forward`: LayerNorm's, without the path through the mean.

    .. math::

        g = \gamma\,dy,\qquad
        \frac{\partial L}{\partial x_{nd}} = \frac{1}{D\,\mathrm{rms}_n}\Big(D\,g_{nd} - \hat x_{nd}\sum_e g_{ne}\hat x_{ne}\Big),
        \qquad \frac{\partial L}{\partial\gamma_d} = \sum_n dy_{nd}\,\hat x_{nd}

    Returns ``(dx, dgamma)``.
    """
    dout = validate_backward_inputs(dout, cache, RMSCache, "rmsnorm_forward")
    D = dout.shape[1]
    g = dout * cache.gamma
    dx = cache.irms / D * (D * g - cache.xhat * (g * cache.xhat).sum(axis=1, keepdims=True))
    return dx, (dout * cache.xhat).sum(axis=0)
