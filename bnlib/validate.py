"""Input checks shared by every function of bnlib.

Each check either returns a clean NumPy array or raises an error whose
message names the problem in the words of the course (shape, dtype, batch
size, NaN), so that a learner never has to read a traceback from deep
inside NumPy.

dtype policy (the same everywhere in bnlib):

* float32 and float64 arrays are used as they are; the result has the same
  dtype as ``x``.
* integer and boolean arrays are *converted* to float64 (a batch of integer
  pixel values is a legitimate input; normalizing it needs fractions).
* float16 and longdouble are converted to float64.
* object, complex, string and datetime arrays are *refused* with a TypeError:
  they have no meaningful mean and variance here.
"""
import numpy as np

__all__ = [
    "as_float_array",
    "require_2d",
    "require_finite",
    "require_shape",
    "require_batch_size",
    "require_eps",
]

KEPT_DTYPES = (np.float32, np.float64)


def as_float_array(name, a, like=None):
    """Return ``a`` as a float32 or float64 array, following the dtype policy.

    With ``like`` given, the result takes the dtype of ``like`` (used for
    gamma, beta and dout, which follow the dtype of x).
    """
    try:
        arr = np.asarray(a)
    except Exception as exc:  # ragged lists and other things NumPy refuses
        raise TypeError(f"{name} could not be turned into an array: {exc}") from None
    kind = arr.dtype.kind
    if kind in "iub":
        arr = arr.astype(np.float64)
    elif kind == "f":
        if arr.dtype.type not in KEPT_DTYPES:
            arr = arr.astype(np.float64)
    else:
        raise TypeError(
            f"{name} has dtype {arr.dtype}; bnlib needs real numbers "
            "(float32 or float64; integers are converted to float64)"
        )
    if like is not None and arr.dtype != like.dtype:
        arr = arr.astype(like.dtype)
    return arr


def require_2d(name, a):
    """Refuse anything but a 2-D (N, D) array."""
    if a.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D with shape (N, D) = (batch, features); "
            f"got {a.ndim}-D with shape {a.shape}"
        )


def require_finite(name, a):
    """Refuse NaN and infinity, saying how many entries and where the first one is."""
    bad = ~np.isfinite(a)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        n_nan = int(np.isnan(a).sum())
        n_inf = int(bad.sum()) - n_nan
        raise ValueError(
            f"{name} contains {n_nan} NaN and {n_inf} inf value(s); "
            f"the first is at index {first}"
        )


def require_shape(name, a, shape, why=""):
    """Refuse an array whose shape is not exactly ``shape``."""
    if a.shape != tuple(shape):
        raise ValueError(
            f"{name} must have shape {tuple(shape)}{why}; got shape {a.shape}"
        )


def require_batch_size(N, minimum=2):
    """Refuse a training batch too small for a batch variance."""
    if N < minimum:
        raise ValueError(
            f"batch too small: N = {N}. Training-mode BatchNorm needs N >= {minimum}: "
            "the variance of a single sample is 0, so every output would be beta "
            "and every input gradient 0 (use running statistics in eval mode instead)"
        )


def require_eps(eps):
    """Refuse an eps that is not a positive finite number."""
    if isinstance(eps, (bool, np.bool_)) or not np.isscalar(eps):
        raise TypeError(f"eps must be a positive number; got {eps!r}")
    try:
        value = float(eps)
    except (TypeError, ValueError):
        raise TypeError(f"eps must be a positive number; got {eps!r}") from None
    if not np.isfinite(value) or value <= 0:
        raise ValueError(
            f"eps must be > 0 (it keeps sqrt(var + eps) away from zero); got {eps!r}"
        )
    return value
