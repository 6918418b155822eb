"""The claims of the posts that are not one equation, each as a function that is True when it holds.

Some are about distributions (skewness at the test point), some about code (run with NumPy on a
small batch); :mod:`bnlib.posts.engine` gives the symbols and :func:`~bnlib.posts.engine.same`.
"""
import numpy as np
import sympy as sp

from .engine import T, at_point, gamma, m, same, x, xhat, y

PAPER = ("Ioffe, S. and Szegedy, C. (2015). Batch Normalization: Accelerating Deep Network Training "
         "by Reducing Internal Covariate Shift. ICML 2015, arXiv:1502.03167")


def skewness(values):
    """Standardized third moment of a list of exact numbers (0 for every Gaussian)."""
    n = len(values)
    centre = sum(values) / n
    second = sum((v - centre) ** 2 for v in values) / n
    third = sum((v - centre) ** 3 for v in values) / n
    return sp.nsimplify(sp.simplify(third / second ** sp.Rational(3, 2)))


def normalization_makes_gaussian():
    """False: the skewness of xhat is the skewness of x (an affine map keeps the shape)."""
    skew_x, skew_xhat = skewness(at_point(list(x))), skewness(at_point(xhat))
    return skew_xhat == 0 and skew_x == skew_xhat


def output_std_is_gamma():
    """The standard deviation of y over the batch, |gamma| sqrt(var / (var + eps)), against gamma."""
    output_var = sum((yi - sum(y) / m) ** 2 for yi in y) / m
    return same(output_var, gamma ** 2)


def per_activation_is_per_channel():
    """Normalizing (N, C*H*W) columns, as the flattening code does, against per-channel BatchNorm."""
    from ..norms import spatial_batchnorm_forward
    rng = np.random.default_rng(0)
    N, C, H, W = 2, 3, 2, 2
    x4 = rng.standard_normal((N, C, H, W)) + np.arange(C).reshape(1, C, 1, 1)
    flat = x4.reshape(N, C * H * W)                     # one column per activation (c, h, w)
    per_activation = ((flat - flat.mean(axis=0)) / np.sqrt(flat.var(axis=0) + 1e-5)).reshape(x4.shape)
    per_channel, _ = spatial_batchnorm_forward(x4, np.ones(C), np.zeros(C), eps=1e-5)
    return np.allclose(per_activation, per_channel)


def unsummed_dgamma_has_shape_of_gamma():
    """dgamma = dout * xhat, without the sum over the batch: shape (N, D), gamma has (D,)."""
    from ..batchnorm import batchnorm_forward
    rng = np.random.default_rng(0)
    x2, dout = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    _, cache = batchnorm_forward(x2, np.ones(3), np.zeros(3), eps=1e-8)
    return (dout * cache.xhat).shape == (3,)


def layer_update_works_with_unsummed_dgamma():
    """The layer keeps gamma as (1, D); an in-place step with the (N, D) dgamma cannot broadcast."""
    rng = np.random.default_rng(0)
    gamma_layer, dgamma = np.ones((1, 3)), rng.standard_normal((5, 3))
    try:
        gamma_layer -= 0.1 * dgamma
    except ValueError:
        return False
    return True


def code_backward_matches(eps_code=1e-8):
    """dvar, dmu, dX as the deepnet backward code computes them, against the staged reference."""
    from ..batchnorm import batchnorm_backward_staged, batchnorm_forward
    rng = np.random.default_rng(1)
    x2, g, b, dout = (rng.standard_normal((6, 4)), rng.standard_normal(4),
                      rng.standard_normal(4), rng.standard_normal((6, 4)))
    _, cache = batchnorm_forward(x2, g, b, eps=eps_code)
    n = x2.shape[0]
    xmu = x2 - x2.mean(axis=0)
    inv = 1.0 / np.sqrt(x2.var(axis=0) + eps_code)
    dxn = dout * g
    dvar_code = np.sum(dxn * xmu, axis=0) * -0.5 * (x2.var(axis=0) + eps_code) ** -1.5
    dmu_code = np.sum(-dxn * inv, axis=0) + dvar_code * np.sum(-2.0 * xmu, axis=0) / n
    dx_code = dxn * inv + dmu_code / n + dvar_code * 2.0 * xmu / n
    dx_ref, _, dbeta_ref = batchnorm_backward_staged(dout, cache)
    return np.allclose(dx_code, dx_ref, rtol=1e-9, atol=1e-12) and np.allclose(dout.sum(axis=0), dbeta_ref)


def compact_forms(dx_of):
    """A compact dx written with dgamma and dbeta, compared with the verified one for every sample."""
    return same([dx_of(i) for i in range(m)], T["dx"])
