"""Checkers of notebook 16 (depth and scale): the backward pass of a residual block.

The reference is bnlib's :class:`bnlib.Residual` (``y = x + alpha f(x)``, its ``backward``); the
mistakes are written out.
"""
import copy

import numpy as np

from bnlib.layers import BatchNorm1d
from bnlib.mlp import Linear, ReLU, Residual
from .core import (CheckFailed, as_result_array, as_result_tuple, call_learner, diagnose, format_array, is_close, passed,
                   reproducible)

__all__ = ["check_residual_backward"]


def residual_inputs(alpha=0.5, N=4, D=3, seed=3):
    """A residual block x + alpha f(x), f = Linear -> BatchNorm1d -> ReLU, run forward on a batch.

    Returns ``(block, x, dout)``: the block holds f(x) from its forward pass. alpha = 0.5 keeps apart
    the mistakes that drop alpha, put it on the skip path or square it; gamma and beta away from 1
    and 0 keep every unit of the ReLU partly active.
    """
    rng = np.random.default_rng(seed)
    norm = BatchNorm1d(D)
    norm.gamma[:] = np.linspace(0.6, 1.6, D)
    norm.beta[:] = np.linspace(-0.3, 0.4, D)
    block = Residual([Linear(D, D, rng, bias=False), norm, ReLU()], alpha=alpha)
    x = rng.standard_normal((N, D)) + np.linspace(-1.0, 1.0, D)
    block.forward(x)
    dout = rng.standard_normal((N, D)) + np.linspace(0.5, -0.5, D)
    return block, x, dout


def through_branch(block):
    """A function d -> the gradient at the block's input of d, the gradient at the branch's output,
    sent back through the branch (on a copy each time: it can be called as often as one likes)."""
    def branch_backward(d):
        for layer in reversed(copy.deepcopy(block.branch)):
            d = layer.backward(d)
        return d
    return branch_backward


@reproducible("from bncourse.checks.depth import residual_inputs; block, x, dout = residual_inputs()")
def check_residual_backward(fn):
    r"""``fn(dout, f_out, alpha, branch_backward)`` returns ``(dx, dalpha)`` for the residual block
    :math:`y = x + \alpha f(x)`: :math:`dx = dout + J_f^\top(\alpha\,dout)` and
    :math:`d\alpha = \sum_{i,d} dout_{id} f(x)_{id}`.

    ``f_out`` is f(x) from the forward pass, ``branch_backward(d)`` sends a gradient d at the branch's
    output back through the branch and returns the gradient at its input.
    """
    exercise = "check_residual_backward"
    block, x, dout = residual_inputs()
    alpha, f_out, branch = float(block.alpha[0]), block._f.copy(), through_branch(block)
    reference = copy.deepcopy(block)
    dx_ok = reference.backward(dout.copy())                 # bnlib's Residual.backward
    dalpha_ok = float(reference.dalpha[0])
    result = call_learner(exercise, fn, dout, f_out, alpha, branch,
                          names=("dout", "f_out", "alpha", "branch_backward"))
    dx, dalpha = as_result_tuple(exercise, result, ("dx", "dalpha"))
    dx = as_result_array(exercise, "dx", dx, dout.shape)
    if dalpha is not None and result_size(dalpha) > 1:
        raise CheckFailed(exercise, "dalpha is an array: alpha is one number for the whole block",
                          "alpha multiplies every entry of f(x), of every sample: add up over both axes")
    if dalpha is not None and result_size(dalpha) == 1:
        dalpha = np.reshape(np.asarray(dalpha), ())          # a number, a 0-d or a one-entry array
    dalpha = as_result_array(exercise, "dalpha", dalpha, ())
    example = (f"alpha = {alpha}\ndout  = {format_array(dout)}\nf_out = {format_array(f_out)}\n"
               f"expected dx = {format_array(dx_ok)}\nyour dx     = {format_array(dx)}\n"
               f"expected dalpha = {dalpha_ok:.4f}, your dalpha = {float(dalpha):.4f}\n"
               "(f_out is block._f of the block the next line rebuilds)")
    if not is_close(dx, dx_ok):
        through = branch(alpha * dout)
        diagnose(exercise, "dx", dx, [
            (through, "dx is only the branch's gradient: the skip path's dout is missing",
             "y = x + alpha f(x): x also reaches y directly, so dout comes back along the skip path "
             "unchanged and adds to what the branch sends back"),
            (dout + branch(dout), "the gradient sent into the branch is not scaled by alpha",
             "the branch's output is multiplied by alpha, so the gradient that enters the branch is "
             "alpha * dout"),
            (alpha * dout + through, "alpha scales the skip path too",
             "only the branch is multiplied by alpha; the skip path passes x on unchanged, and dout back"),
            (dout + branch(alpha ** 2 * dout), "alpha is applied twice on the way into the branch",
             "multiply by alpha once: the gradient at the branch's output is alpha * dout"),
            (dout, "dx is dout alone: the branch's gradient is missing",
             "that is right only for alpha = 0 (SkipInit at the start); otherwise the branch sends a "
             "gradient back too"),
            (dout * through, "the two paths' gradients are multiplied, not added",
             "where two paths meet (x + alpha f(x)), their gradients add"),
        ], example, fallback=("wrong dx (no common mistake matches)",
                              "two paths lead from x to y: the skip path, and the branch, whose output is "
                              "scaled by alpha; add what comes back along each"))
    if not is_close(dalpha, dalpha_ok):
        diagnose(exercise, "dalpha", np.asarray(dalpha), [
            (np.sum(dout), "dalpha is the sum of dout: the branch's output f(x) is missing",
             "y = x + alpha f(x), so dy/dalpha = f(x): weight each dout by f_out"),
            (np.mean(dout * f_out), "dalpha is a mean, not a sum",
             "alpha is one number used by every entry: add up the contributions of all of them"),
            (alpha * np.sum(dout * f_out), "dalpha is multiplied by alpha",
             "the derivative of alpha * f(x) with respect to alpha is f(x), without alpha"),
            (np.sum(dout * f_out) / dout.shape[0], "dalpha is divided by the batch size",
             "dout already carries the loss's 1/N: do not divide again"),
        ], example, fallback=("wrong dalpha (no common mistake matches)",
                              "y depends on alpha through alpha * f(x) alone, entry by entry"))
    return passed(exercise, "the residual block's backward pass: dout along the skip path plus the branch's "
                  "share of alpha * dout, and dalpha = sum(dout * f(x))")


def result_size(value):
    """The number of entries of a returned value (0 when it has none)."""
    try:
        return int(np.size(value))
    except Exception:
        return 0
