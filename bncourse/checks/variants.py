r"""What the checkers' mistake variants share: bnlib's statistics over any axes, and the three terms of dx.

A checker takes its reference values from bnlib. Only what a known mistake gives (a *variant*) is
written out, and the variants start from bnlib's statistics wherever the mistake leaves them alone:

* :func:`statistics`: x - mu and the NormCache of :func:`bnlib.normalize_forward` over any axes (a
  mistake may choose the wrong ones; a variance divided by m - 1 is ``cache.var * m / (m - 1)``);
* :func:`dx_terms` and :func:`compact_dx`: the compact formula of dx, in its three terms, on
  statistics a mistake may have changed (a wrong xhat or istd, another m, other sums).

Given bnlib's statistics, each helper gives bnlib's own result; tests/test_checks_variants.py holds them equal.
"""
import numpy as np

from bnlib.norms import normalize_forward

__all__ = ["statistics", "dx_terms", "compact_dx"]


def statistics(x, axes, eps):
    """``(xmu, cache)``: bnlib's normalization of ``x`` over ``axes`` (an int, a tuple, or None for all).

    ``cache`` is the NormCache of :func:`bnlib.normalize_forward` (xhat, and var and istd with the
    reduced axes kept, m the number of elements behind each mean); ``xmu`` = x - mu = xhat / istd.
    """
    axes = tuple(range(np.ndim(x))) if axes is None else axes
    _, cache = normalize_forward(x, 1.0, 0.0, axes, eps)
    return cache.xhat / cache.istd, cache


def dx_terms(xhat, istd, gamma, dout, m, axis=0):
    r"""The three terms of dx on the statistics given: direct, through the mean, through the variance.

    .. math::

        \gamma\,\mathrm{istd}\,dy_i,\qquad
        -\frac{\gamma\,\mathrm{istd}}{m}\sum_j dy_j,\qquad
        -\frac{\gamma\,\mathrm{istd}}{m}\,\hat x_i\sum_j dy_j\hat x_j

    with the sums over ``axis`` (kept, length 1). For the mistake variants: a wrong xhat or istd, a
    wrong m, sums over the wrong axis, a term dropped or changed. With gamma = 1 and ``dout`` = dL/dxhat
    it is the form of LayerNorm, whose gamma stays inside the sums.
    """
    scale = gamma * istd
    return (scale * dout,
            -scale * dout.sum(axis=axis, keepdims=True) / m,
            -scale * xhat * (dout * xhat).sum(axis=axis, keepdims=True) / m)


def compact_dx(xhat, istd, gamma, dout, m, axis=0):
    r"""dx = :math:`\frac{\gamma\,\mathrm{istd}}{m}\big(m\,dy - \sum dy - \hat x\sum dy\,\hat x\big)`,
    the sum of :func:`dx_terms`.

    On bnlib's xhat and istd this is :func:`bnlib.batchnorm_backward`'s dx; the checkers use it only on
    statistics that a mistake changed.
    """
    direct, mean, variance = dx_terms(xhat, istd, gamma, dout, m, axis)
    return direct + mean + variance
