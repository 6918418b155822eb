"""Checker of notebook 00's warm-up exercise: the per-feature batch mean."""
from .core import as_result_array, call_learner, checker_inputs, format_array, passed, require_close

__all__ = ["check_batch_mean"]


def check_batch_mean(fn):
    r"""``fn(x)`` returns :math:`\mu_B = \frac{1}{m}\sum_i x_i`, one mean per feature, shape (D,)."""
    exercise = "check_batch_mean"
    x, *_ = checker_inputs(N=4, D=3)
    mu = as_result_array(exercise, "mu", call_learner(exercise, fn, x, names=("x",)), (3,))
    expected = x.mean(axis=0)      # the exercise's own formula: bnlib returns no mu (its caches keep x - mu)
    require_close(exercise, "mu", mu, expected, [
        (x.sum(axis=0), "you returned the sum, not the mean", "divide by m = N, the number of rows"),
        (x.sum(axis=0) / (x.shape[0] - 1), "you divided by N - 1", "the batch mean divides by m = N"),
    ], f"x =\n    {format_array(x)}\n", fallback=("wrong values", "average each column of x (axis=0)"))
    return passed(exercise, "mu is the per-feature batch mean, shape (D,)")
