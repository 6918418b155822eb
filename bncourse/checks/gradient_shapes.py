"""The shapes of the backward pass's results: the gradient of a shared parameter (D,), dx (N, D), the order.

The checks every backward checker runs before it compares values (``check_backward``, ``check_gamma_beta``),
each mistake of shape named: a gradient not summed over the batch, summed over the wrong axis, dx summed,
the results in the wrong order.
"""
import numpy as np

from .core import FLOATS, CheckFailed, as_result_array

__all__ = ["shared_parameter_gradient", "input_gradient", "results_in_wrong_order"]


def shared_parameter_gradient(exercise, name, value, N, D):
    """The gradient of gamma or beta as an array of shape (D,), or CheckFailed naming the shape mistake."""
    try:
        shape = np.shape(value)
    except Exception:
        shape = None
    if shape == (N, D):
        raise CheckFailed(exercise, f"{name} is not summed over the batch: shape {shape}, "
                          f"expected ({D},)", f"every row of the batch uses the same parameter, so {name} "
                          "adds up the contributions of all rows: `.sum(axis=0)`")
    if shape == (N,):
        raise CheckFailed(exercise, f"{name} is summed over the wrong axis: shape {shape}, one value per "
                          f"sample; expected ({D},), one per feature", "sum over the batch, axis=0")
    if shape is not None and len(shape) == 1 and shape[0] not in (N, D):
        raise CheckFailed(exercise, f"{name} has shape {shape}, expected ({D},): one value per feature",
                          "sum over the batch, axis=0, and keep every feature")
    if shape == (D, D) and name == "dgamma":
        raise CheckFailed(exercise, f"dgamma has shape {shape}: a matrix product such as dout.T @ xhat "
                          "multiplies every feature with every other", "you need only matching features: "
                          "(dout * xhat).sum(axis=0)")
    return as_result_array(exercise, name, value, (D,), FLOATS)


def input_gradient(exercise, value, N, D):
    """dx as an array of shape (N, D), or CheckFailed naming the shape mistake."""
    try:
        shape = np.shape(value)
    except Exception:
        shape = None
    if shape in ((D,), (N,), (1, D)):
        raise CheckFailed(exercise, f"dx has shape {shape}, expected ({N}, {D}), the shape of x",
                          "every entry x_i gets its own gradient: do not sum or average dx over an axis")
    return as_result_array(exercise, "dx", value, (N, D), FLOATS)


def results_in_wrong_order(exercise, results, N, D):
    """CheckFailed when the three results have the right shapes in the wrong order."""
    try:
        shapes = [np.shape(r) for r in results]
    except Exception:
        return
    if shapes[0] != (N, D) and (N, D) in shapes[1:] and (D,) in shapes:
        raise CheckFailed(exercise, f"the results come in the wrong order: shapes {shapes}",
                          "return dx, dgamma, dbeta, in this order")
