"""The machinery every exercise checker shares.

A checker calls the learner's function on inputs chosen so that bugs cannot
hide, compares with the reference implementation of bnlib, and either prints
one green line and returns True, or raises :class:`CheckFailed` whose message
names the likely mistake, shows a small example and hints at the fix.

Nothing a learner returns can crash a checker: None, the wrong number of
results, wrong shapes or dtypes, NaN, exceptions and in-place modification of
the inputs are all turned into a CheckFailed that says what happened.
"""
import numpy as np

__all__ = [
    "CheckFailed",
    "passed",
    "call_learner",
    "as_result_tuple",
    "as_result_array",
    "format_array",
    "checker_inputs",
]

GREEN, RED, RESET = "\033[32m", "\033[31m", "\033[0m"
TICK = "\u2714"


class CheckFailed(AssertionError):
    """Raised by a checker: the learner's answer is not right (yet).

    The message comes first and names the mistake; IPython shows it without
    the frames inside bnlib (see :mod:`bnlib.checks.display`).
    """

    def __init__(self, exercise, problem, hint="", example=""):
        self.exercise = exercise
        self.problem = problem
        self.hint = hint
        self.example = example
        parts = [f"{exercise}: {problem}"]
        if example:
            parts.append(example)
        if hint:
            parts.append(f"Hint: {hint}")
        super().__init__("\n".join(parts))


def passed(exercise, what):
    """Print the one green line of a passed check and return True."""
    print(f"{GREEN}{TICK} {exercise}: {what}{RESET}")
    return True


def format_array(a, precision=4):
    """A small array as compact text for a failure message."""
    with np.printoptions(precision=precision, suppress=True, linewidth=100, threshold=40):
        return np.array2string(np.asarray(a), prefix="    ")


def call_learner(exercise, fn, *args):
    """Call ``fn(*args)`` with copies of the inputs; turn every way it can go wrong into CheckFailed.

    Returns what ``fn`` returned. Refuses None ("not done yet") and detects
    in-place modification of any array argument.
    """
    if not callable(fn):
        raise CheckFailed(exercise, f"expected a function, got {type(fn).__name__}",
                          "pass the function itself, without calling it: check(my_fn), not check(my_fn())")
    given = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    try:
        result = fn(*given)
    except NotImplementedError:
        raise CheckFailed(exercise, "the exercise is not done yet (the function still raises "
                          "NotImplementedError)", "replace the line `raise NotImplementedError` "
                          "under `# YOUR CODE HERE` with your code") from None
    except Exception as exc:
        raise CheckFailed(exercise, f"your function raised {type(exc).__name__}: {exc}",
                          "run it on a small input in a cell of its own and read the traceback") from None
    for index, (before, after) in enumerate(zip(args, given)):
        if isinstance(before, np.ndarray) and not np.array_equal(before, after, equal_nan=True):
            raise CheckFailed(exercise, f"your function changed its input argument number {index + 1} "
                              "in place", "operations like `x -= mu` or `x *= istd` write into the "
                              "caller's array; compute into a new array (`xmu = x - mu`)")
    if result is None:
        raise CheckFailed(exercise, "your function returned None: the exercise is not done yet",
                          "end the function with a `return` statement")
    return result


def as_result_tuple(exercise, result, names):
    """Check that ``result`` is a tuple or list of ``len(names)`` values."""
    n = len(names)
    if not isinstance(result, (tuple, list)):
        raise CheckFailed(exercise, f"expected {n} results ({', '.join(names)}), "
                          f"got one {type(result).__name__}",
                          f"return them together: `return {', '.join(names)}`")
    if len(result) != n:
        raise CheckFailed(exercise, f"expected {n} results ({', '.join(names)}), got {len(result)}",
                          f"return exactly `{', '.join(names)}`, in that order")
    return tuple(result)


def as_result_array(exercise, name, value, shape, dtypes=(np.float64,)):
    """Check one returned array: a number array of the right shape, dtype and finite."""
    if value is None:
        raise CheckFailed(exercise, f"{name} is None: the exercise is not done yet",
                          f"compute {name} and return it")
    try:
        arr = np.asarray(value)
    except Exception:
        raise CheckFailed(exercise, f"{name} is not an array (got {type(value).__name__})") from None
    if arr.dtype.kind not in "fiu":
        raise CheckFailed(exercise, f"{name} has dtype {arr.dtype}, not a number array",
                          "return a NumPy array of floats")
    shape = tuple(shape)
    if arr.shape != shape:
        if arr.shape == shape[::-1] and len(shape) == 2:
            hint = f"{name} is transposed: check which axis is the batch (axis 0, N rows)"
        elif len(shape) == 1 and arr.ndim == 2 and arr.shape[1:] == shape:
            hint = f"{name} still has a batch axis: sum it over the batch, `.sum(axis=0)`"
        elif len(shape) == 1 and arr.ndim == 2 and shape[0] in arr.shape:
            hint = f"{name} must be one value per feature: reduce over axis 0 (the batch)"
        elif len(shape) == 1 and arr.ndim == 1 and arr.shape[0] != shape[0]:
            hint = f"{name} has one value per sample; it needs one per feature: use axis=0"
        else:
            hint = "compare the shapes of the arrays in your formula"
        raise CheckFailed(exercise, f"{name} has shape {arr.shape}, expected {shape}", hint)
    if arr.dtype.type not in dtypes:
        allowed = " or ".join(np.dtype(d).name for d in dtypes)
        raise CheckFailed(exercise, f"{name} has dtype {arr.dtype}, expected {allowed}",
                          "keep the computation in floating point, in the dtype of the input")
    if not np.all(np.isfinite(arr)):
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise CheckFailed(exercise, f"{name} contains NaN or inf (first at index {where})",
                          "look for a division by zero or a square root of a negative number")
    return arr


def checker_inputs(N=4, D=3, seed=0):
    """Inputs that let no bug hide: distinct feature means and scales, gamma != 1, beta != 0.

    Returns ``x, gamma, beta, dout, eps`` in float64. N >= 3 separates 1/N from
    1/(N-1) and 2/N; a random, non-uniform dout keeps every term of dx visible;
    eps is large (0.1) so that eps inside versus outside the square root differ.
    """
    rng = np.random.default_rng(seed)
    means = np.linspace(-2.0, 3.0, D)
    scales = np.linspace(0.5, 2.5, D)
    x = means + scales * rng.standard_normal((N, D))
    gamma = np.linspace(0.5, 2.0, D) + 0.1 * rng.standard_normal(D)
    beta = np.linspace(-1.0, 1.5, D) + 0.1 * rng.standard_normal(D)
    dout = rng.standard_normal((N, D)) + np.linspace(0.3, -0.7, D)
    return x, gamma, beta, dout, 0.1
