r"""Normalization over other axes: spatial BatchNorm, LayerNorm and GroupNorm (notebook 07).

All three are one computation. Choose the *reduced axes*: every index of the
other axes gets its own mean and variance, taken over the m elements that
share it. With those m elements written x_1 .. x_m:

.. math::

    \mu = \frac{1}{m}\sum_{k=1}^m x_k,\qquad
    \sigma^2 = \frac{1}{m}\sum_{k=1}^m (x_k-\mu)^2,\qquad
    \hat x_k = \frac{x_k-\mu}{\sqrt{\sigma^2+\epsilon}},\qquad
    y = \gamma\hat x+\beta

and the backward pass is the compact formula of 2-D BatchNorm, with the sums
running over the same m elements:

.. math::

    \frac{\partial L}{\partial x_k} = \frac{1}{m\sqrt{\sigma^2+\epsilon}}
    \Big(m\,g_k - \sum_j g_j - \hat x_k\sum_j g_j\hat x_j\Big),
    \qquad g = \frac{\partial L}{\partial\hat x} = \gamma\,dy

=============================  ==================  ===================  ===============
layer                          x                   reduced axes         m
=============================  ==================  ===================  ===============
2-D BatchNorm                  (N, D)              N                    N
spatial BatchNorm              (N, C, H, W)        N, H, W              N*H*W
LayerNorm                      (N, D)              D                    D
GroupNorm, G groups            (N, C, H, W)        C/G, H, W            (C/G)*H*W
=============================  ==================  ===================  ===============

:func:`normalize_forward` and :func:`normalize_backward` implement the
general case; the layers are thin wrappers that choose the axes. The spatial
BatchNorm is also written a second way, by moving C last and reshaping to the
2-D BatchNorm of :mod:`bnlib.batchnorm` (``*_via_2d``).
"""
import math
from typing import NamedTuple

import numpy as np

from .batchnorm import BatchNormCache, _batchnorm_backward, _batchnorm_forward
from .validate import (
    as_float_array,
    require_axes,
    require_batch_size,
    require_cache,
    require_eps,
    require_finite,
    require_finite_variance,
    require_group_size,
    require_groups,
    require_ndim,
    require_param,
    validate_backward_inputs,
    validate_conv_inputs,
    validate_dout,
)

__all__ = [
    "NormCache",
    "normalize_forward",
    "normalize_backward",
    "spatial_batchnorm_forward",
    "spatial_batchnorm_backward",
    "spatial_batchnorm_forward_via_2d",
    "spatial_batchnorm_backward_via_2d",
    "layernorm_forward",
    "layernorm_backward",
    "groupnorm_forward",
    "groupnorm_backward",
]


class NormCache(NamedTuple):
    """What :func:`normalize_forward` keeps for the backward pass (names as in the math)."""

    xhat: np.ndarray   # normalized input, the shape of x
    var: np.ndarray    # sigma^2 of each group; the reduced axes kept with length 1
    istd: np.ndarray   # 1 / sqrt(sigma^2 + eps), the shape of var
    gamma: np.ndarray  # scale, with as many axes as x (length 1 where it is shared)
    axes: tuple        # the reduced axes
    m: int             # number of elements behind each mean and variance
    eps: float
    layer: str = "normalize_forward"   # the forward pass that made this cache


# ---------------------------------------------------------------- the general case

def normalize_forward(x, gamma, beta, axes, eps=1e-5):
    r"""Normalize ``x`` over ``axes``, then scale and shift.

    .. math::

        \mu = \tfrac{1}{m}\sum_{k} x_k,\quad
        \sigma^2 = \tfrac{1}{m}\sum_{k} (x_k-\mu)^2,\quad
        \hat x = (x-\mu)/\sqrt{\sigma^2+\epsilon},\quad
        y = \gamma\hat x+\beta

    where the sums run over the ``axes`` (m = the product of their lengths), one
    mean and variance for each index of the other axes.

    Parameters
    ----------
    x : array of any number of axes. float32 stays float32; integers become float64.
    gamma, beta : arrays that broadcast against x (length 1 or x's length on each axis).
    axes : int or tuple of ints, the reduced axes.
    eps : float > 0.

    Returns ``(out, cache)``: out has the shape and dtype of x; cache is a :class:`NormCache`.
    """
    x = as_float_array("x", x)
    axes = require_axes(axes, x.ndim)
    m = math.prod(x.shape[a] for a in axes)
    require_group_size(m, f"m = product of the lengths of axes {axes} of x {x.shape}")
    require_finite("x", x)
    gamma = require_param("gamma", gamma, x)
    beta = require_param("beta", beta, x)
    return _normalize_forward(x, gamma, beta, axes, m, require_eps(eps))


def _normalize_forward(x, gamma, beta, axes, m, eps, layer="normalize_forward"):
    """The general forward pass on validated inputs (gamma, beta with x's number of axes)."""
    mu = x.sum(axis=axes, keepdims=True) / m
    xmu = x - mu
    var = (xmu * xmu).sum(axis=axes, keepdims=True) / m
    require_finite_variance("x", var)
    istd = 1.0 / np.sqrt(var + eps)
    xhat = xmu * istd
    out = gamma * xhat + beta
    return out, NormCache(xhat, var, istd, gamma, axes, m, eps, layer)


def normalize_backward(dout, cache):
    r"""Backward pass of :func:`normalize_forward`.

    .. math::

        \frac{\partial L}{\partial\beta} = \sum dy,\qquad
        \frac{\partial L}{\partial\gamma} = \sum dy\,\hat x,\qquad
        g = \gamma\,dy,

        \frac{\partial L}{\partial x_k} = \frac{1}{m\sqrt{\sigma^2+\epsilon}}
        \Big(m\,g_k - \sum_j g_j - \hat x_k\sum_j g_j\hat x_j\Big)

    The sums for dgamma and dbeta run over the axes along which gamma is shared
    (length 1 in ``cache.gamma``); those in dx over the reduced axes. When gamma
    is constant over the reduced axes (BatchNorm), it factors out of dx and this
    is the 2-D formula of :func:`bnlib.batchnorm_backward`.

    Returns ``(dx, dgamma, dbeta)``: dx has the shape of x, dgamma and dbeta
    the shape of ``cache.gamma``. Accepts the cache of any forward pass of this
    module that works on x's own shape (GroupNorm's works on the grouped view).
    """
    require_cache(cache, NormCache, "normalize_forward", any_layer=True)
    return _normalize_backward(validate_dout(dout, cache.xhat), cache)


def _normalize_backward(dout, cache):
    """The general backward pass on a validated dout (the shape of ``cache.xhat``)."""
    xhat, axes, m = cache.xhat, cache.axes, cache.m
    shared = tuple(a for a, n in enumerate(cache.gamma.shape) if n == 1)
    dbeta = dout.sum(axis=shared, keepdims=True)
    dgamma = (dout * xhat).sum(axis=shared, keepdims=True)
    g = dout * cache.gamma                                   # dL/dxhat
    dx = m * g
    dx -= g.sum(axis=axes, keepdims=True)
    dx -= xhat * (g * xhat).sum(axis=axes, keepdims=True)
    dx *= cache.istd / m
    return dx, dgamma, dbeta


# ---------------------------------------------------------------- spatial BatchNorm

def spatial_batchnorm_forward(x, gamma, beta, eps=1e-5):
    r"""BatchNorm for convolutional activations: one mean and variance per channel.

    .. math::

        \mu_c = \frac{1}{m}\sum_{n,h,w} x_{nchw},\quad
        \sigma_c^2 = \frac{1}{m}\sum_{n,h,w} (x_{nchw}-\mu_c)^2,\quad
        y_{nchw} = \gamma_c\frac{x_{nchw}-\mu_c}{\sqrt{\sigma_c^2+\epsilon}}+\beta_c,
        \quad m = NHW

    x : (N, C, H, W); gamma, beta : (C,). Returns ``(out, cache)``.
    """
    x, gamma, beta = validate_conv_inputs(x, gamma, beta)
    N, C, H, W = x.shape
    require_group_size(N * H * W, f"each channel has m = N*H*W = {N}*{H}*{W}")
    require_finite("x", x)
    return _normalize_forward(x, gamma.reshape(1, C, 1, 1), beta.reshape(1, C, 1, 1), (0, 2, 3),
                              N * H * W, require_eps(eps), layer="spatial_batchnorm_forward")


def spatial_batchnorm_backward(dout, cache):
    r"""Backward pass of :func:`spatial_batchnorm_forward`: the 2-D formula summed over N, H, W.

    .. math::

        \frac{\partial L}{\partial\beta_c} = \sum_{n,h,w} dy_{nchw},\quad
        \frac{\partial L}{\partial\gamma_c} = \sum_{n,h,w} dy_{nchw}\hat x_{nchw},\quad
        \frac{\partial L}{\partial x_{nchw}} = \frac{\gamma_c}{m\sqrt{\sigma_c^2+\epsilon}}
        \Big(m\,dy_{nchw} - \frac{\partial L}{\partial\beta_c}
        - \hat x_{nchw}\frac{\partial L}{\partial\gamma_c}\Big)

    Returns ``(dx, dgamma, dbeta)`` with shapes (N, C, H, W), (C,), (C,).
    """
    dout = validate_backward_inputs(dout, cache, NormCache, "spatial_batchnorm_forward")
    dx, dgamma, dbeta = _normalize_backward(dout, cache)
    return dx, dgamma.ravel(), dbeta.ravel()


class Via2dCache(NamedTuple):
    """Cache of :func:`spatial_batchnorm_forward_via_2d`: the 2-D cache and the 4-D shape."""

    cache2d: BatchNormCache
    shape: tuple


def spatial_batchnorm_forward_via_2d(x, gamma, beta, eps=1e-5):
    r"""The same as :func:`spatial_batchnorm_forward`, through 2-D BatchNorm.

    Move the channels last, (N, C, H, W) -> (N, H, W, C), so that each row of
    the reshape to (N*H*W, C) is one pixel and each column one channel: a 2-D
    batch with m = N*H*W rows and D = C features. Reshaping *without* the
    transpose runs without error but mixes the channels inside every column.
    """
    x, gamma, beta = validate_conv_inputs(x, gamma, beta)
    N, C, H, W = x.shape
    require_batch_size(N * H * W)
    x2d = x.transpose(0, 2, 3, 1).reshape(N * H * W, C)
    out2d, cache2d = _batchnorm_forward(x2d, gamma, beta, require_eps(eps))
    out = out2d.reshape(N, H, W, C).transpose(0, 3, 1, 2)
    return out, Via2dCache(cache2d, x.shape)


def spatial_batchnorm_backward_via_2d(dout, cache):
    r"""Backward of :func:`spatial_batchnorm_forward_via_2d`: the same moves on dout and back on dx.

    With rows r = (n, h, w) of the (N*H*W, C) view, the 2-D compact formula per channel c:

    .. math::

        \frac{\partial L}{\partial x_{rc}} = \frac{\gamma_c}{m\sqrt{\sigma_c^2+\epsilon}}
        \Big(m\,dy_{rc} - \sum_{r'} dy_{r'c} - \hat x_{rc}\sum_{r'} dy_{r'c}\hat x_{r'c}\Big),
        \qquad m = N H W
    """
    require_cache(cache, Via2dCache, "spatial_batchnorm_forward_via_2d")
    N, C, H, W = cache.shape
    dout = validate_dout(dout, cache.cache2d.xhat, cache.shape)
    dout2d = dout.transpose(0, 2, 3, 1).reshape(N * H * W, C)
    dx2d, dgamma, dbeta = _batchnorm_backward(dout2d, cache.cache2d)
    dx = dx2d.reshape(N, H, W, C).transpose(0, 3, 1, 2)
    return dx, dgamma, dbeta


# ---------------------------------------------------------------- LayerNorm

def layernorm_forward(x, gamma, beta, eps=1e-5):
    r"""LayerNorm: each sample (row) normalized over its own D features.

    .. math::

        \mu_n = \frac{1}{D}\sum_d x_{nd},\quad
        \sigma_n^2 = \frac{1}{D}\sum_d (x_{nd}-\mu_n)^2,\quad
        y_{nd} = \gamma_d\frac{x_{nd}-\mu_n}{\sqrt{\sigma_n^2+\epsilon}}+\beta_d,
        \quad m = D

    x : (N, D), any N >= 1 (no statistic crosses the batch); gamma, beta : (D,).
    Returns ``(out, cache)``.
    """
    x = as_float_array("x", x)
    require_ndim("x", x, 2, "(N, D) = (batch, features)")
    N, D = x.shape
    gamma, beta = (require_param(name, p, x, (D,), " (one value per feature of x)")
                   for name, p in (("gamma", gamma), ("beta", beta)))
    require_group_size(D, "each sample has m = D")
    require_finite("x", x)
    return _normalize_forward(x, gamma.reshape(1, D), beta.reshape(1, D), (1,), D, require_eps(eps),
                              layer="layernorm_forward")


def layernorm_backward(dout, cache):
    r"""Backward pass of :func:`layernorm_forward`.

    gamma varies along the normalized axis, so it stays inside the sums:

    .. math::

        \frac{\partial L}{\partial\beta_d} = \sum_n dy_{nd},\quad
        \frac{\partial L}{\partial\gamma_d} = \sum_n dy_{nd}\hat x_{nd},\quad
        g_{nd} = \gamma_d\,dy_{nd},\quad
        \frac{\partial L}{\partial x_{nd}} = \frac{1}{D\sqrt{\sigma_n^2+\epsilon}}
        \Big(D\,g_{nd} - \sum_e g_{ne} - \hat x_{nd}\sum_e g_{ne}\hat x_{ne}\Big)

    Returns ``(dx, dgamma, dbeta)`` with shapes (N, D), (D,), (D,).
    """
    dout = validate_backward_inputs(dout, cache, NormCache, "layernorm_forward")
    dx, dgamma, dbeta = _normalize_backward(dout, cache)
    return dx, dgamma.ravel(), dbeta.ravel()


# ---------------------------------------------------------------- GroupNorm

def groupnorm_forward(x, gamma, beta, G, eps=1e-5):
    r"""GroupNorm: each sample's C channels split into G groups of C/G consecutive channels.

    .. math::

        \mu_{ng} = \frac{1}{m}\sum_{c\in g,\,h,\,w} x_{nchw},\quad
        \sigma_{ng}^2 = \frac{1}{m}\sum_{c\in g,\,h,\,w} (x_{nchw}-\mu_{ng})^2,\quad
        y_{nchw} = \gamma_c\frac{x_{nchw}-\mu_{ng}}{\sqrt{\sigma_{ng}^2+\epsilon}}+\beta_c,
        \quad m = \tfrac{C}{G}HW

    Channel c belongs to group c // (C/G). G = C is InstanceNorm; G = 1 normalizes as
    LayerNorm over (C, H, W) does, but gamma and beta stay one per channel, (C,), where
    LayerNorm's are one per element, (C, H, W). x : (N, C, H, W); gamma, beta : (C,).
    Returns ``(out, cache)``.
    """
    x, gamma, beta = validate_conv_inputs(x, gamma, beta)
    N, C, H, W = x.shape
    G = require_groups(G, C)
    require_group_size(C // G * H * W, f"each group has m = (C/G)*H*W = {C // G}*{H}*{W}")
    require_finite("x", x)
    return _groupnorm_forward(x, gamma, beta, G, require_eps(eps))


def _groupnorm_forward(x, gamma, beta, G, eps):
    """GroupNorm on validated inputs: x (N, C, H, W), gamma and beta (C,), G dividing C."""
    N, C, H, W = x.shape
    m = C // G * H * W
    grouped = x.reshape(N, G, C // G, H, W)
    gamma = gamma.reshape(1, G, C // G, 1, 1)
    beta = beta.reshape(1, G, C // G, 1, 1)
    out, cache = _normalize_forward(grouped, gamma, beta, (2, 3, 4), m, eps, layer="groupnorm_forward")
    return out.reshape(N, C, H, W), cache


def groupnorm_backward(dout, cache):
    r"""Backward pass of :func:`groupnorm_forward`: the general formula over (C/G, H, W).

    .. math::

        \frac{\partial L}{\partial\beta_c} = \sum_{n,h,w} dy_{nchw},\quad
        \frac{\partial L}{\partial\gamma_c} = \sum_{n,h,w} dy_{nchw}\hat x_{nchw},\quad
        g = \gamma_c\,dy,\quad
        \frac{\partial L}{\partial x_{nchw}} = \frac{1}{m\sqrt{\sigma_{ng}^2+\epsilon}}
        \Big(m\,g_{nchw} - \sum_{\text{group}} g - \hat x_{nchw}\sum_{\text{group}} g\,\hat x\Big)

    Returns ``(dx, dgamma, dbeta)`` with shapes (N, C, H, W), (C,), (C,).
    """
    require_cache(cache, NormCache, "groupnorm_forward")
    N, G, Cg, H, W = cache.xhat.shape
    dout = validate_dout(dout, cache.xhat, (N, G * Cg, H, W))
    return _groupnorm_backward(dout, cache)


def _groupnorm_backward(dout, cache):
    """GroupNorm's backward pass on a validated dout of shape (N, C, H, W)."""
    N, G, Cg, H, W = cache.xhat.shape
    dx, dgamma, dbeta = _normalize_backward(dout.reshape(cache.xhat.shape), cache)
    return dx.reshape(N, G * Cg, H, W), dgamma.ravel(), dbeta.ravel()
