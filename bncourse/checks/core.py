"""The machinery every exercise checker shares, and the one comparison policy they all follow.

A checker calls the learner's function on inputs chosen so that bugs cannot
hide, compares with the reference implementation of bnlib, and either prints
one green line and returns None (so that a checker cell echoes nothing), or
raises :class:`CheckFailed` whose message names the likely mistake, shows a
small example, hints at the fix (the idea, never the answer: ``hint("02.3")``
gives more, step by step, see :mod:`bncourse.checks.hints`) and ends with the
line that rebuilds the checker's input (:func:`reproducible`).

Nothing a learner returns can crash a checker: None (a missing ``return``),
the wrong number of results, lists where arrays are asked for, wrong shapes or
dtypes, NaN, exceptions and in-place modification of the inputs are all turned
into a CheckFailed that says what happened. A function that calls bnlib's own
version of what it is asked to write (``forbidden``) is refused: the exercise
asks for the learner's code.

The policy, in four steps, the same for every checker:

1. **Take the result**: :func:`call_learner`, then :func:`as_result_tuple` and
   :func:`as_result_array`, which accept float64 *and* float32 (``FLOATS``)
   unless the exercise asks for float64 (pass ``dtypes=(np.float64,)``).
2. **Compare**: :func:`is_close`, with one tolerance per dtype
   (``TOLERANCES``: the float32 one for a float32 result), relative to
   max(1, max |expected|) unless a ``scale`` is given.
3. **Match the mistake table**: :func:`first_match` with ``MATCH_TOLERANCE``;
   a table is a list of ``(value, problem, hint)`` (or :class:`Mistake` values
   combined by :func:`mistake_combinations`).
4. **Format the small example and raise**: :func:`diagnose` does 3 and 4 at
   once; :func:`require_close` does 2, 3 and 4.

Which checkers a notebook calls is read from its cells tagged ``checker``
(:func:`bncourse.notebook.checkers_called`).
"""
import contextlib
import functools
import itertools
import re
from typing import NamedTuple

import numpy as np

from .learner_code import exception_hint, missing_return, parameter_names, reference_names, shorten, watching, where_raised

__all__ = [
    "CheckFailed",
    "passed",
    "call_learner",
    "as_result_tuple",
    "as_result_array",
    "format_array",
    "checker_inputs",
    "REPRODUCE",
    "CHECKER_INPUTS",
    "reproduce",
    "reproducible",
    "last_failure",
    "TOLERANCE",
    "relative_error",
    "is_close",
    "first_match",
    "largest_error",
    "Mistake",
    "mistake_combinations",
    "describe_mistakes",
    "without_numpy_warnings",
    "FLOATS",
    "TOLERANCES",
    "MATCH_TOLERANCE",
    "tolerance",
    "result_shape",
    "diagnose",
    "require_close",
    "without_colours",
]

# The dtypes a result may have unless the exercise asks for float64.
FLOATS = (np.float64, np.float32)
# A correct result agrees with the reference to this relative error, by the dtype of the
# result. Every correct algebra (staged, compact, one-pass variance, ...) gives errors near
# 1e-15 in float64 and near 1e-6 in float32 on the checkers' inputs; every mistake a checker
# names changes the result by 1e-2 or more. The float64 entry is float32's too: a float64
# result may have been computed in float32 and converted back, and that is accepted.
# An exercise that needs float64 digits asks for float64 (``dtypes=(np.float64,)``).
TOLERANCES = {np.dtype(np.float64): 1e-5, np.dtype(np.float32): 1e-5}
TOLERANCE = TOLERANCES[np.dtype(np.float64)]   # the bound quoted in the docs
# A result "is" a candidate wrong answer when it agrees with it this closely.
MATCH_TOLERANCE = 1e-3

SAME_INPUT = "(the same input: "
# the code that rebuilds checker_inputs(...), and the last line of a failure that says so
CHECKER_INPUTS = "from bncourse.checks.core import checker_inputs; x, gamma, beta, dout, eps = checker_inputs({args})"
REPRODUCE = SAME_INPUT + "`" + CHECKER_INPUTS + "`)"

# Bold green and bold red: JupyterLab and nbconvert draw bold colours in their dark ("intense")
# shades, #007427 on white (5.9:1) and #b22b31 on the error background #fdd (5.1:1), which reach
# WCAG 2.1 AA's 4.5:1; the plain ones (#00a250, #e75c58) do not.
GREEN, RED, RESET = "\033[1;32m", "\033[1;31m", "\033[0m"
TICK = "\u2714"
COLOUR_CODE = re.compile(r"\x1b\[[0-9;]*m")


def without_colours(text):
    """A checker's message or green line without its terminal colours (for reports and gradebooks)."""
    return COLOUR_CODE.sub("", str(text))


class CheckFailed(AssertionError):
    """Raised by a checker: the learner's answer is not right (yet).

    The message comes first and names the mistake; IPython shows it without
    the frames inside bnlib (see :mod:`bncourse.checks.display`). Its lines:
    ``exercise: problem``, the small example, ``Hint: ...`` and, last, ``inputs``:
    the line that rebuilds the checker's input (see :func:`reproducible`).
    """

    def __init__(self, exercise, problem, hint="", example="", inputs=""):
        self.exercise = exercise
        self.problem = problem
        self.hint = hint
        self.example = example
        self.inputs = inputs
        super().__init__(self.message())
        _LAST_FAILURE[exercise] = _LAST_FAILURE["*"] = self

    def message(self):
        parts = [f"{self.exercise}: {self.problem}"]
        if self.example:
            parts.append(self.example)
        if self.hint:
            parts.append(f"Hint: {self.hint}")
        if self.inputs:
            parts.append(self.inputs)
        return "\n".join(parts)

    def with_inputs(self, inputs):
        """The same failure, ending with the line ``inputs`` that rebuilds the checker's input."""
        again = CheckFailed(self.exercise, self.problem, self.hint, self.example, inputs)
        again.__traceback__ = self.__traceback__
        return again


# The last failure of each checker (or question), and the name of the last function it checked:
# what hint() needs to know which exercise a learner is stuck on.
_LAST_FAILURE = {}
_LAST_FUNCTION = {}


def last_failure(exercise):
    """The last CheckFailed of ``exercise`` (a checker's name, a question's id, or "*" for the last
    of all) and the name of the function it checked: ``(failure, function name)``, None when unknown."""
    failure = _LAST_FAILURE.get(exercise)
    name = failure.exercise if exercise == "*" and failure is not None else exercise
    return failure, _LAST_FUNCTION.get(name)


def passed(exercise, what):
    """Print the one green line of a passed check. Returns None, so that the cell echoes nothing."""
    print(f"{GREEN}{TICK} {exercise}: {what}{RESET}")


def reproduce(call):
    """The last line of a failure: how to rebuild the checker's input, ``call`` being Python code."""
    return f"{SAME_INPUT}`{call}`)"


def reproducible(call):
    """Decorate a checker whose input ``call`` (Python code, e.g. ``"from bncourse.checks.layers import
    fold_inputs; W, b, bn = fold_inputs()"``) rebuilds: every failure that ran the learner's code ends
    with that line, unless the checker gave one of its own (another batch, another gamma)."""
    def decorate(checker):
        @functools.wraps(checker)
        def with_input_line(*args, **kwargs):
            try:
                return checker(*args, **kwargs)
            except CheckFailed as failure:
                if failure.inputs or "not done yet" in failure.problem:
                    raise
                raise failure.with_inputs(reproduce(call)) from None
        return with_input_line
    return decorate


def format_array(a, precision=4):
    """A small array as compact text for a failure message."""
    with np.printoptions(precision=precision, suppress=True, linewidth=100, threshold=40):
        return np.array2string(np.asarray(a), prefix="    ")


def call_learner(exercise, fn, *args, names=None, shapes="", forbidden=()):
    """Call ``fn(*args)`` with copies of the inputs; turn every way it can go wrong into CheckFailed.

    Returns what ``fn`` returned. Refuses None (a missing ``return``: the message names it) and
    detects in-place modification of any array argument. With ``names`` (the names of the
    arguments, e.g. ``("x", "gamma", "beta", "eps")``) the messages name the argument changed in
    place, and a call that fails because the function takes other arguments shows how it is
    called. ``shapes`` is the exercise's own advice for a broadcast error (which axis its sums run
    over, which shapes meet). ``forbidden`` are bnlib's functions that compute the answer itself
    (the reference the checker compares with, or its twins): a function that calls one of them is
    refused, since the exercise asks for the learner's own code. NumPy's floating point warnings
    are silenced during the call: the checker reports NaN and inf itself.
    """
    if not callable(fn):
        raise CheckFailed(exercise, f"expected a function, got {type(fn).__name__}",
                          "pass the function itself, without calling it: check(my_fn), not check(my_fn())")
    _LAST_FUNCTION[exercise] = getattr(fn, "__name__", None)
    given = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    used = reference_names(fn, forbidden)
    try:
        with np.errstate(all="ignore"), watching(forbidden) as called:
            result = fn(*given)
    except NotImplementedError:
        raise CheckFailed(exercise, "the exercise is not done yet (the function still raises "
                          "NotImplementedError)", "replace the line `raise NotImplementedError` "
                          "under `# YOUR CODE HERE` with your code") from None
    except Exception as exc:
        raise CheckFailed(exercise, f"your function raised {type(exc).__name__}: {shorten(exc)}",
                          exception_hint(exc, fn, names, shapes), where_raised(exc, fn)) from None
    used = used or called
    if used:
        raise CheckFailed(exercise, f"your function calls bnlib's {used[0]}, which computes the answer "
                          "itself (it is the reference the checker compares with): the exercise asks "
                          "for your own code", "write the steps yourself with NumPy operations; the "
                          "notebook's text above the exercise has the formula")
    names = names or parameter_names(fn, len(args))
    for index, (before, after) in enumerate(zip(args, given)):
        if isinstance(before, np.ndarray) and not np.array_equal(before, after, equal_nan=True):
            which = f"its input {names[index]}" if names else f"its input argument number {index + 1}"
            raise CheckFailed(exercise, f"your function changed {which} in place",
                              "operations like `x -= mu` or `x *= istd` write into the "
                              "caller's array; compute into a new array (`xmu = x - mu`)")
    if result is None:
        raise CheckFailed(exercise, f"your function returned None: {missing_return(fn)}",
                          "end the function with `return` and what it computed "
                          "(the prompt says what to return, and in which order)")
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


def result_shape(value):
    """The shape of a returned value, or None when it has none (a ragged list, an odd object)."""
    try:
        return np.shape(value)
    except Exception:
        return None


def as_result_array(exercise, name, value, shape, dtypes=FLOATS):
    """Check one returned array: a number array of the right shape, dtype (float64 or float32
    unless ``dtypes`` says otherwise) and finite."""
    if value is None:
        raise CheckFailed(exercise, f"{name} is None: your function returned None in its place",
                          f"compute {name} and return it")
    if isinstance(value, (list, tuple)):
        ragged = " (whose rows have different lengths)" if result_shape(value) is None else ""
        raise CheckFailed(exercise, f"{name} is a Python {type(value).__name__}{ragged}, not the NumPy "
                          f"array the exercise asks for", f"compute {name} with NumPy operations on "
                          "whole arrays (or wrap it: np.array(...)), so that it has a shape and a dtype")
    try:
        arr = np.asarray(value)
    except Exception:
        ragged = " (a list whose rows have different lengths)" if isinstance(value, (list, tuple)) else ""
        raise CheckFailed(exercise, f"{name} is not an array (got {type(value).__name__}{ragged})",
                          f"return {name} as a NumPy array of floats") from None
    if arr.dtype.kind not in "fiu":
        raise CheckFailed(exercise, f"{name} has dtype {arr.dtype}, not a number array",
                          "return a NumPy array of floats")
    shape = tuple(shape)
    if arr.shape != shape:
        if arr.shape == shape[::-1] and len(shape) == 2:
            hint = f"{name} is transposed: the exercise asks for the shape {shape}"
        elif len(shape) == 1 and arr.shape == (1,) + shape:
            hint = f"{name} kept the summed axis: drop `keepdims=True` (shape (D,), not (1, D))"
        elif len(shape) == 1 and arr.ndim == 0:
            hint = (f"{name} is one number: that is a sum or mean over every entry; "
                    "reduce over the batch only, axis=0")
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


def relative_error(received, expected, scale=None):
    """max |received - expected| / scale, with ``scale`` = max(1, max |expected|) unless given."""
    received = np.asarray(received, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if received.shape != expected.shape:
        return np.inf
    if scale is None:
        scale = max(1.0, float(np.abs(expected).max(initial=0.0)))
    return float(np.abs(received - expected).max(initial=0.0)) / scale


def tolerance(dtype):
    """The relative error a correct result of this dtype may have: float32's for float32, else float64's."""
    return TOLERANCES.get(np.dtype(dtype), TOLERANCES[np.dtype(np.float64)])


def is_close(received, expected, scale=None, tol=None):
    """True when ``received`` equals ``expected`` up to ``tol`` relative to ``scale``.

    Without ``tol``, the tolerance of the dtype of ``received`` (:data:`TOLERANCES`).
    """
    if tol is None:
        tol = tolerance(getattr(received, "dtype", np.float64))
    return relative_error(received, expected, scale) <= tol


def first_match(received, candidates, scale=None, tol=MATCH_TOLERANCE):
    """The first ``(value, *about)`` of ``candidates`` whose value ``received`` matches, else None.

    ``candidates`` may be a generator: candidates are computed only until one matches.
    This is diagnosis by mutation: each candidate is what a known mistake gives
    on the checker's input.
    """
    with np.errstate(all="ignore"):
        for value, *about in candidates:
            if np.all(np.isfinite(value)) and is_close(received, value, scale, tol):
                return tuple(about)
    return None


def diagnose(exercise, name, received, mistakes, example="", fallback=None, scale=None):
    """Raise CheckFailed for a wrong ``received``, naming the first mistake of the table it matches.

    ``mistakes`` is a table of ``(value, problem, hint)``, the value being what the mistake
    gives on the checker's input (None skips a row); it may be a generator, computed only
    until a row matches. ``fallback`` is the ``(problem, hint)`` when none matches.
    """
    rows = ((value, problem, hint) for value, problem, hint in mistakes
            if value is not None and result_shape(value) == result_shape(received))
    found = first_match(received, rows, scale)
    if found is None:
        found = fallback or (f"wrong values in {name} (no common mistake matches)",
                             "compare your result with the expected one on the small input shown, "
                             "one step at a time")
    raise CheckFailed(exercise, found[0], found[1], example)


def require_close(exercise, name, received, expected, mistakes=(), inputs="", fallback=None, scale=None,
                  example=None):
    """Return quietly when ``received`` is close to ``expected`` (:func:`is_close`), else :func:`diagnose`.

    The message shows ``inputs`` (text ending in a newline), then the expected and the
    received value, unless a whole ``example`` is given.
    """
    if is_close(received, expected, scale):
        return
    if example is None:
        example = (f"{inputs}expected {name} = {format_array(expected)}\n"
                   f"your {name}     = {format_array(received)}")
    diagnose(exercise, name, received, mistakes, example, fallback, scale)


def largest_error(name, received, expected):
    """'largest error 0.53 at out[2, 1]: expected 1.2345, got 0.8045' (same shapes)."""
    diff = np.abs(np.asarray(received, dtype=np.float64) - expected)
    where = np.unravel_index(int(np.argmax(diff)), diff.shape)
    index = ", ".join(str(int(i)) for i in where)
    return (f"largest error {diff[where]:.3g} at {name}[{index}]: "
            f"expected {expected[where]:.4f}, got {received[where]:.4f}")


class Mistake(NamedTuple):
    """One way to get a step wrong: the ``group`` (step) takes ``value`` instead of the right one."""

    group: str
    value: object
    problem: str
    hint: str


def mistake_combinations(mistakes, most=2):
    """Every single mistake first, then every pair from different groups (up to ``most`` at once)."""
    for count in range(1, most + 1):
        for combo in itertools.combinations(mistakes, count):
            if len({m.group for m in combo}) == count:
                yield combo


def describe_mistakes(combo):
    """``(problem, hint)`` for one mistake, or numbered for several."""
    if len(combo) == 1:
        return combo[0].problem, combo[0].hint
    words = {2: "two", 3: "three"}.get(len(combo), str(len(combo)))
    problem = f"{words} mistakes: " + "; ".join(f"({i}) {m.problem}" for i, m in enumerate(combo, 1))
    hint = "; ".join(f"({i}) {m.hint}" for i, m in enumerate(combo, 1))
    return problem, hint


def without_numpy_warnings(checker):
    """Decorate a checker: NumPy's floating point warnings (overflow in a learner's huge
    result, say) stay silent; the checker's message says what is wrong."""
    @functools.wraps(checker)
    def quiet_checker(*args, **kwargs):
        with np.errstate(all="ignore"):
            return checker(*args, **kwargs)
    return quiet_checker
