"""bnlib.checks.core.REGISTRY says which checkers each notebook's exercises call: it must be the truth.

A new exercise adds its checker to the registry; a new notebook with exercises adds an entry.
"""
import re
from pathlib import Path

import nbformat
import pytest

from bnlib import checks
from bnlib.checks.core import REGISTRY

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "notebooks" / "solutions").glob("[0-9][0-9]-*.ipynb"))
CALL = re.compile(r"\b(check_\w+)\(")


def checkers_called(path):
    """The checkers the cells tagged `checker` call, in the order of the notebook."""
    nb = nbformat.read(path, as_version=4)
    return tuple(name for cell in nb.cells if "checker" in cell.metadata.get("tags", [])
                 for name in CALL.findall(cell.source))


def test_the_registry_names_every_notebook_with_exercises_and_no_other():
    with_exercises = {p.stem for p in SOLUTIONS if checkers_called(p)}
    assert set(REGISTRY) == with_exercises


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_the_registry_lists_the_checkers_of_each_notebook_in_order(path):
    assert checkers_called(path) == REGISTRY.get(path.stem, ())


def test_every_registered_checker_is_a_public_checker_with_a_docstring():
    for names in REGISTRY.values():
        for name in names:
            checker = getattr(checks, name, None)
            assert callable(checker) and checker.__doc__, name
            assert name in checks.__dict__ and not name.startswith("_")


def test_every_public_checker_is_used_by_some_notebook():
    public = {name for name in dir(checks) if name.startswith("check_") and callable(getattr(checks, name))}
    registered = {name for names in REGISTRY.values() for name in names}
    assert public == registered
