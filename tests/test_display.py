"""How a checker's verdict looks in JupyterLab (the browser itself: `make test-browser`)."""
import nbformat
import pytest

from bncourse import notebook
from bncourse.tools import student
from bncourse.checks import CheckFailed, check_batch_mean, display


class FakeShell:
    """The two things install_display uses of an IPython shell."""

    def __init__(self):
        self.handler = self.shown = None

    def set_custom_exc(self, types, handler):
        self.types, self.handler = types, handler

    def _showtraceback(self, etype, value, stb):
        self.shown = (etype, value, stb)

    def push(self, names):
        self.pushed = names


@pytest.fixture
def shell(monkeypatch):
    fake = FakeShell()
    monkeypatch.setattr("IPython.get_ipython", lambda: fake)
    display.install_display()
    return fake


def raised(check, fn):
    with pytest.raises(CheckFailed) as info:
        check(fn)
    return info.value


def test_a_failure_shows_the_diagnosis_first_and_no_traceback(shell):
    assert shell.types == (CheckFailed,)
    failure = raised(check_batch_mean, lambda x: x.mean(axis=1))
    shell.handler(shell, CheckFailed, failure, failure.__traceback__)
    etype, value, stb = shell.shown
    text = "\n".join(stb)
    lines = text.splitlines()
    assert etype is CheckFailed and value is failure
    assert lines[0].startswith("\x1b[1;31m\u2718 CheckFailed\x1b[0m check_batch_mean: ")
    assert "Traceback" not in text and "File " not in text and "bnlib/" not in text
    assert len(lines) <= 12


def test_a_failure_ends_with_how_to_ask_for_more_and_hint_is_defined(shell):
    from bncourse.checks import hint
    assert shell.pushed == {"hint": hint}
    failure = raised(check_batch_mean, lambda x: x.sum(axis=0))
    shell.handler(shell, CheckFailed, failure, failure.__traceback__)
    lines = "\n".join(shell.shown[2]).splitlines()
    assert lines[-1].startswith('Stuck? hint("00.1") gives more help') and lines[-2].startswith("(the same input:")


def test_not_done_yet_is_short(shell):
    def stub(x):
        raise NotImplementedError
    failure = raised(check_batch_mean, stub)
    shell.handler(shell, CheckFailed, failure, failure.__traceback__)
    lines = "\n".join(shell.shown[2]).splitlines()
    assert "not done yet" in lines[0] and len(lines) <= 6


def test_a_pass_is_one_green_line(capsys):
    assert check_batch_mean(lambda x: x.mean(axis=0)) is None      # a checker cell echoes nothing
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("\x1b[1;32m\u2714 check_batch_mean")


def test_outside_ipython_nothing_changes(monkeypatch):
    monkeypatch.setattr("IPython.get_ipython", lambda: None)
    display.install_display()   # no error, nothing to install


@pytest.mark.parametrize("solution", student.solution_paths(), ids=lambda p: p.stem)
def test_run_all_goes_on_past_a_failing_checker_in_a_learner_copy(solution):
    """JupyterLab's Run All stops at an error, except in a cell tagged raises-exception."""
    learner = notebook.learner_notebook(solution)
    for sol_cell, cell in zip(nbformat.read(solution, as_version=4).cells, learner.cells):
        tags = cell.metadata.get("tags", [])
        if "checker" in tags:
            assert "raises-exception" in tags
            assert "raises-exception" not in sol_cell.metadata.get("tags", []), \
                "a solution's checker must pass: nbval would accept it failing"
        else:
            assert "raises-exception" not in tags
