"""The checkers the notebooks call are the public, documented checkers of bncourse.checks, and no other.

The notebooks are the registry: a checker is found by reading the cells tagged ``checker``
(:func:`bncourse.notebook.checkers_called`); nothing keeps a second list by hand.
"""
from pathlib import Path

import pytest

from bncourse import checks
from bncourse.notebook import checkers_called

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "notebooks" / "solutions").glob("[0-9][0-9]-*.ipynb"))
CALLED = {path.stem: checkers_called(path) for path in SOLUTIONS}


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_every_checker_a_notebook_calls_is_a_public_checker_with_a_docstring(path):
    for name in CALLED[path.stem]:
        checker = getattr(checks, name, None)
        assert callable(checker) and checker.__doc__, f"{path.stem} calls {name}, which bncourse.checks lacks"
        assert name in checks.__dict__ and not name.startswith("_")


def test_every_public_checker_is_used_by_some_notebook():
    public = {name for name in dir(checks) if name.startswith("check_") and callable(getattr(checks, name))}
    called = {name for names in CALLED.values() for name in names}
    assert public == called, f"not called by any notebook: {sorted(public - called)}"


def test_checkers_called_reads_the_checker_cells_in_order():
    import nbformat
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("check_b(f)", metadata={"tags": ["checker"]}),
        nbformat.v4.new_code_cell("check_a(g)"),                               # not a checker cell
        nbformat.v4.new_code_cell("x = 1\ncheck_c(h); check_answer('01.q1', x)",
                                  metadata={"tags": ["checker"]})])
    assert checkers_called(nb) == ("check_b", "check_c", "check_answer")
