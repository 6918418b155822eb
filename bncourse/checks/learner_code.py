"""Reading the learner's function: why it returned None, what it calls, where it raised.

The helpers of :func:`bncourse.checks.core.call_learner`: the message for a missing ``return`` (read
from the function's source), the names its code uses (to refuse bnlib's own answer), a spy on bnlib's
modules while it runs, and the hints for the commonest exceptions.
"""
import ast
import contextlib
import inspect
import sys
import textwrap
import traceback
import types

__all__ = ["missing_return", "code_names", "reference_names", "watching", "parameter_names", "shorten",
           "exception_hint", "where_raised"]


def missing_return(fn):
    """Why a function returned None: it has no `return` with a value, or one path misses it."""
    if getattr(getattr(fn, "__code__", None), "co_name", "") == "<lambda>":
        return "the expression of your lambda gives None"
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return "its `return` is missing, or it returns a value that is None"
    name = getattr(fn, "__name__", None)
    body = next((node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and node.name == name), None)
    if body is None:
        return "its `return` is missing, or it returns a value that is None"
    own = [node for node in own_nodes(body) if isinstance(node, ast.Return) and node.value is not None]
    if not own:
        return ("it has no `return` statement, so everything it computes is lost (a function "
                "without `return` gives back None)")
    return ("one path through it reaches the end without `return`, or it returns a value that is None "
            "(the result of an in-place method such as list.append or ndarray.sort is None)")


def own_nodes(function):
    """The nodes of a function's body, without those of the functions defined inside it."""
    todo = list(getattr(function, "body", []))
    while todo:
        node = todo.pop()
        yield node
        todo.extend(child for child in ast.iter_child_nodes(node)
                    if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)))


def code_names(code):
    """Every global or attribute name a code object (and the code defined inside it) uses."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= code_names(const)
    return names


def reference_names(fn, forbidden):
    """The names of the ``forbidden`` functions that ``fn`` reaches by a name of its own (a global it
    imported, ``from bnlib import groupnorm_forward``, or a variable of an enclosing function)."""
    code = getattr(fn, "__code__", None)
    if not forbidden or code is None:
        return []
    targets = {id(f): f.__name__ for f in forbidden}
    scope = dict(getattr(fn, "__globals__", {}))
    for name, cell in zip(code.co_freevars, fn.__closure__ or ()):
        with contextlib.suppress(ValueError):
            scope[name] = cell.cell_contents
    return sorted({targets[id(scope[name])] for name in code_names(code)
                   if name in scope and id(scope[name]) in targets})


@contextlib.contextmanager
def watching(forbidden):
    """While the learner's function runs, every module of bnlib that offers one of the ``forbidden``
    functions offers a spy that records the call (and then makes it): ``bnlib.groupnorm_forward(...)``."""
    called, replaced = [], []
    for function in forbidden:
        def spy(*args, _function=function, **kwargs):
            called.append(_function.__name__)
            return _function(*args, **kwargs)
        for name, module in list(sys.modules.items()):
            if (name == "bnlib" or name.startswith("bnlib.")) and getattr(module, function.__name__, None) is function:
                replaced.append((module, function.__name__, function))
                setattr(module, function.__name__, spy)
    try:
        yield called
    finally:
        for module, name, function in reversed(replaced):
            setattr(module, name, function)


def parameter_names(fn, count):
    """The names of the first ``count`` positional parameters of ``fn``, or None if it has no such list."""
    try:
        parameters = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return None
    positional = [p.name for p in parameters
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return tuple(positional[:count]) if len(positional) >= count else None


def shorten(exc, limit=300):
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def exception_hint(exc, fn, names, shapes=""):
    """A hint for the commonest exceptions in array code, else the generic advice; ``shapes`` is the
    exercise's own advice on shapes (each exercise reduces over its own axes)."""
    text = str(exc)
    if isinstance(exc, TypeError) and names and "argument" in text:
        return f"the checker calls your function as {getattr(fn, '__name__', 'fn')}({', '.join(names)})"
    if "broadcast" in text:
        return ("two arrays of incompatible shapes met in one operation: print the .shape of each"
                + (f". {shapes}" if shapes else ""))
    return "run it on a small input in a cell of its own and read the traceback"


def where_raised(exc, fn):
    """'in fn, line 4: var = ...' for the deepest line of the learner's own code, if known."""
    frames = traceback.extract_tb(exc.__traceback__)[1:]   # [0] is call_learner itself
    filename = getattr(getattr(fn, "__code__", None), "co_filename", None)
    own = [f for f in frames if f.filename == filename] or frames[:1]
    if not own:
        return ""
    frame = own[-1]
    line = f": {frame.line.strip()}" if frame.line else ""
    return f"(in {frame.name}, line {frame.lineno}{line})"
