r"""Numerical gradients and the relative error: how every backward pass of the course is tested.

A backward pass claims the gradient of the scalar

.. math::  L(x) = \sum_k f(x)_k \, dout_k

(``dout`` plays the upstream gradient dL/dy). Central differences estimate the
same gradient without any calculus, one entry of x at a time.
"""
import numpy as np

from .validate import as_float_array, require_finite

__all__ = ["numerical_gradient", "rel_error"]


def numerical_gradient(f, x, dout, h=1e-5):
    r"""Central-difference gradient of :math:`L(x)=\sum f(x)\cdot dout` with respect to ``x``.

    .. math::

        \frac{\partial L}{\partial x_k} \approx
        \frac{\sum f(x + h e_k)\,dout - \sum f(x - h e_k)\,dout}{2h}

    The error is O(h^2) plus rounding of order eps_machine / h; h = 1e-5 balances
    the two in float64 (about 1e-10 relative).

    ``f`` maps an array shaped like ``x`` to an array shaped like ``dout``. If
    it returns a tuple, such as ``(out, cache)`` from a forward pass, its first
    item is used. ``x`` is evaluated in float64 and restored afterwards.
    """
    x = as_float_array("x", x).astype(np.float64)   # a private copy: the caller's x is never touched
    dout = as_float_array("dout", dout).astype(np.float64)
    require_finite("x", x)
    require_finite("dout", dout)
    if not (np.isscalar(h) and np.isfinite(h) and h > 0):
        raise ValueError(f"h must be a positive step size; got {h!r}")

    def loss(x_probe):
        out = f(x_probe)
        if isinstance(out, tuple):
            out = out[0]
        out = np.asarray(out, dtype=np.float64)
        if out.shape != dout.shape:
            raise ValueError(
                f"f(x) has shape {out.shape} but dout has shape {dout.shape}; "
                "they must match to form sum(f(x) * dout)"
            )
        return float(np.sum(out * dout))

    grad = np.zeros_like(x)
    for k in np.ndindex(x.shape):
        x_k = x[k]
        x[k] = x_k + h
        plus = loss(x)
        x[k] = x_k - h
        minus = loss(x)
        x[k] = x_k
        grad[k] = (plus - minus) / (2.0 * h)
    return grad


def rel_error(a, b):
    r"""Relative error between two arrays, measured against the larger of them.

    .. math::  \mathrm{rel}(a, b) = \frac{\max_k |a_k-b_k|}{\max(\max_k|a_k|,\ \max_k|b_k|)}

    0 for identical arrays (also for two zero arrays); about 1e-7 means seven
    matching digits. Taking the maximum over the whole array, not entry by
    entry, keeps entries close to zero from inflating the error.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"cannot compare shapes {a.shape} and {b.shape}")
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0))
    if scale == 0.0:
        return 0.0
    return float(np.max(np.abs(a - b)) / scale)
