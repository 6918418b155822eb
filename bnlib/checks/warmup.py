"""Checker of notebook 00's warm-up exercise: the per-feature batch mean."""
import numpy as np

from .core import CheckFailed, as_result_array, call_learner, checker_inputs, format_array, passed

__all__ = ["check_batch_mean"]


def check_batch_mean(fn):
    r"""``fn(x)`` returns :math:`\mu_B = \frac{1}{m}\sum_i x_i`, one mean per feature, shape (D,)."""
    exercise = "check_batch_mean"
    x, *_ = checker_inputs(N=4, D=3)
    mu = as_result_array(exercise, "mu", call_learner(exercise, fn, x), (3,))
    expected = x.mean(axis=0)
    if not np.allclose(mu, expected, rtol=1e-10, atol=1e-12):
        example = (f"x =\n    {format_array(x)}\nexpected mu = {format_array(expected)}\n"
                   f"your mu     = {format_array(mu)}")
        if np.allclose(mu, x.sum(axis=0)):
            problem, hint = "you returned the sum, not the mean", "divide by m = N, the number of rows"
        elif np.allclose(mu, x.sum(axis=0) / (x.shape[0] - 1)):
            problem, hint = "you divided by N - 1", "the batch mean divides by m = N"
        else:
            problem, hint = "wrong values", "average each column of x (axis=0)"
        raise CheckFailed(exercise, problem, hint, example)
    return passed(exercise, "mu is the per-feature batch mean, shape (D,)")
