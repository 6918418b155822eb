r"""The Jacobian of BatchNorm for one feature, and what it says about the backward pass (notebook 10).

For one feature, the forward pass maps the batch :math:`x\in\mathbb R^m` to :math:`y\in\mathbb R^m`.
Its Jacobian, with :math:`s=\sqrt{\sigma_B^2+\epsilon}`, is

.. math::

    J_{jk} = \frac{\partial y_j}{\partial x_k}
           = \frac{\gamma}{m\,s}\big(m\,\delta_{jk} - 1 - \hat x_j\hat x_k\big),
    \qquad J = \frac{\gamma}{s}\,P,\qquad
    P = I - \tfrac1m\mathbf 1\mathbf 1^\top - \tfrac1m\hat x\hat x^\top ,

a symmetric matrix, so the backward pass :math:`dx = J^\top dy` is :math:`dx = \frac{\gamma}{s}P\,dy`:
the compact formula of notebook 05. :math:`P\mathbf 1 = 0` always; :math:`P\hat x = \delta\,\hat x`
with :math:`\delta = \epsilon/(\sigma_B^2+\epsilon)`, because
:math:`\lVert\hat x\rVert^2 = m\,\sigma_B^2/(\sigma_B^2+\epsilon)`. With :math:`\epsilon = 0`, P is the
orthogonal projection onto the directions orthogonal to both :math:`\mathbf 1` and :math:`\hat x`.
"""
import numpy as np

from .validate import require_eps_or_zero, require_one_feature

__all__ = ["batchnorm_jacobian", "projection_matrix", "projection_defect"]


def normalized_feature(x, eps):
    r""":math:`\hat x = (x-\mu_B)/\sqrt{\sigma_B^2+\epsilon}` and :math:`s=\sqrt{\sigma_B^2+\epsilon}` of one feature."""
    xmu = x - x.mean()
    s = np.sqrt(np.mean(xmu * xmu) + eps)
    return xmu / s, s


def batchnorm_jacobian(x, gamma=1.0, eps=1e-5):
    r"""The m x m Jacobian :math:`J_{jk} = \partial y_j/\partial x_k` of BatchNorm for one feature.

    .. math:: J = \frac{\gamma}{m\sqrt{\sigma_B^2+\epsilon}}\big(m I - \mathbf 1\mathbf 1^\top - \hat x\hat x^\top\big)

    x : (m,), the samples of one feature, m >= 2; gamma : that feature's scale (a number);
    eps >= 0 (eps = 0 is allowed here, for a feature that is not constant).
    J is symmetric, so ``J @ dy`` is the input gradient dx of the same feature.
    """
    x = require_one_feature("x", x)
    eps = require_eps_or_zero(eps)
    m = x.shape[0]
    if eps == 0 and np.all(x == x[0]):
        raise ValueError("the feature is constant and eps = 0: sqrt(var + eps) = 0, the Jacobian does "
                         "not exist (this is what eps > 0 is for)")
    xhat, s = normalized_feature(x, eps)
    return float(gamma) / (m * s) * (m * np.eye(m) - np.ones((m, m)) - np.outer(xhat, xhat))


def projection_matrix(xhat):
    r""":math:`P = I - \frac1m\mathbf 1\mathbf 1^\top - \frac1m\hat x\hat x^\top` for a normalized feature ``xhat`` (m,)."""
    xhat = require_one_feature("xhat", xhat)
    m = xhat.shape[0]
    return np.eye(m) - np.ones((m, m)) / m - np.outer(xhat, xhat) / m


def projection_defect(var, eps):
    r""":math:`\delta = \epsilon/(\sigma_B^2+\epsilon)`: P keeps this fraction of :math:`\hat x` (0 when eps = 0).

    P's eigenvalues are 0 (along :math:`\mathbf 1`), :math:`\delta` (along :math:`\hat x`) and 1 (the
    other m - 2 directions), so :math:`\lVert P^2-P\rVert_2 = \delta(1-\delta)`.
    """
    var = np.asarray(var, dtype=np.float64)
    eps = require_eps_or_zero(eps)
    if np.any(var < 0) or np.any(var + eps == 0):
        raise ValueError("var must be >= 0 (a variance), and var + eps > 0")
    return eps / (var + eps)
