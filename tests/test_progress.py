"""The learner's loop: progress classifies every exercise, fails only for wrong or broken work, writes nothing.

The main test plays the learner in a temporary copy of notebooks/: answers some
exercises right, one wrong and one so that it raises, adds a note of their own,
runs and saves the notebooks with their outputs as JupyterLab does, then runs
`python -m bncourse.progress` (what `make progress` runs) and the course's own
checks on that folder.
"""
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import learner_play as play
from bncourse.tools import student
from bncourse import notebook as course, progress

ROOT = Path(__file__).resolve().parents[1]


def fresh_notebooks(tmp_path):
    """notebooks/ as a fresh clone has it: the solutions, any data, and the learner copies as generated."""
    folder = tmp_path / "notebooks"
    source = ROOT / "notebooks"

    def not_the_learners(directory, names):
        learner = {n for n in names if Path(directory) == source and n[:2].isdigit()}
        return learner | {".backup", ".ipynb_checkpoints"}
    shutil.copytree(source, folder, ignore=not_the_learners)
    for solution in sorted((folder / "solutions").glob("[0-9][0-9]-*.ipynb")):
        (folder / solution.name).write_text(course.render(course.learner_notebook(solution)))
    return folder


def fingerprint(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def run_progress(folder, *notebooks):
    env = {k: v for k, v in os.environ.items() if k != "BNLIB_PROGRESS_SKIP"}
    return subprocess.run([sys.executable, "-m", "bncourse.progress", "--folder", str(folder), *notebooks],
                          capture_output=True, text=True, env=env, cwd=ROOT)


def by_id(reports):
    return {e.id: e for r in reports for e in r.exercises}


WRONG_DGAMMA = '''def gamma_beta_backward(dout, xhat):
    """(dgamma, dbeta), each of shape (D,)."""
    return (dout * xhat).mean(axis=0), dout.sum(axis=0)'''      # right shape, wrong values

NO_RETURN = '''def batch_variance(x):
    """var per feature, in two passes."""
    xmu = x - x.mean(axis=0)
    var = (xmu ** 2).mean(axis=0)'''                # right, but the return is missing: it hides the work

RAISES = '''def scale_shift_backward(dout, xhat, gamma):
    """(dxhat, dgamma, dbeta)."""
    dxhat = dout * gamma
    return dxhat, (dout * xhat).sum(axis=0), dout.sum(axis=0) + dbeta_so_far'''


def test_a_fresh_clone_has_every_exercise_not_started_and_runs_nothing(tmp_path):
    folder = fresh_notebooks(tmp_path)
    reports = progress.evaluate(folder)
    assert [r.name for r in reports] == [p.stem for p in sorted((folder / "solutions").glob("*.ipynb"))]
    assert all(e.status == progress.NOT_STARTED for r in reports for e in r.exercises)
    assert not any(r.executed or r.failed for r in reports)
    assert sum(len(r.exercises) for r in reports) >= 23


def test_the_learners_loop(tmp_path, monkeypatch, capsys, course_kernel):
    folder = fresh_notebooks(tmp_path)
    ch00, ch01, ch02, ch03 = (folder / f"{n}.ipynb" for n in ("00-start-here", "01-forward",
                                                               "02-computational-graph", "03-gamma-beta"))
    play.answer(ch00, "00.1", play.solution_answer(folder / "solutions" / ch00.name, "00.1"))
    play.answer(ch01, "01.2", NO_RETURN)
    play.answer(ch03, "03.1", WRONG_DGAMMA)
    play.answer(ch03, "03.2", RAISES)
    play.add_note(ch03, "**My note:** dbeta sums dout over the batch, like the bias of a linear layer.")
    for nb in (ch00, ch01, ch02, ch03):           # 02 is only run and saved, not edited
        play.run_and_save(nb, course_kernel)
    before = fingerprint(folder)

    # `python -m bncourse.progress --folder ...` in this process, keeping what it evaluated
    evaluated, evaluate = [], progress.evaluate
    monkeypatch.setattr(progress, "evaluate", lambda *a, **k: evaluated.append(evaluate(*a, **k)) or evaluated[-1])
    assert progress.main(["--folder", str(folder)]) == 1
    out = capsys.readouterr().out
    row_00 = next(line for line in out.splitlines() if line.startswith("00-start-here"))
    n_00 = len(course.exercises(course.learner_notebook(folder / "solutions" / ch00.name)))
    assert f"1/{n_00}" in row_00 and row_00.count("\u2714") == 1
    assert "03.1): wrong" in out and "03.2): broken" in out
    assert "Exercise 1: dgamma and dbeta (03.1): wrong" in out
    assert "NameError: name 'dbeta_so_far' is not defined" in out
    assert "(01.2): broken" in out and "it has no `return` statement" in out      # not "not started"
    assert out.rstrip().splitlines()[-1].startswith("exit 1: something to fix")
    assert "Traceback" not in out
    assert "total" in out and "1/" in out.split("total")[1].splitlines()[0]

    # the command itself, as `make progress NB=2` runs it: 02 was run and saved but not edited, so
    # nothing runs and nothing is wrong; with 03, its wrong and broken answers make it exit 1
    only_02 = run_progress(folder, "2")
    assert only_02.returncode == 0 and "02-computational-graph" in only_02.stdout
    assert "03-gamma-beta" not in only_02.stdout and "exit 1" not in only_02.stdout
    only_03 = run_progress(folder, "2", "3")
    assert only_03.returncode == 1 and only_03.stdout.rstrip().splitlines()[-1].startswith("exit 1: something to fix")
    assert "00-start-here" not in only_03.stdout

    results = by_id(evaluated[0])
    assert results["00.1"].status == progress.DONE
    assert results["03.1"].status == progress.WRONG and "check_gamma_beta" in results["03.1"].message
    assert results["03.2"].status == progress.BROKEN
    assert {results[i].status for i in ("02.1", "02.2", "02.3", "01.1")} == {progress.NOT_STARTED}
    assert results["01.2"].status == progress.BROKEN and "returned None" in results["01.2"].message

    # the course's checks on the same folder: edited copies are the learner's, untouched ones in step
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(student, "NOTEBOOKS", folder)
        mp.setattr(student, "SOLUTIONS", folder / "solutions")
        assert student.out_of_date() == []
    assert fingerprint(folder) == before          # not a byte of the learner's files changed


def executed_cell(source, error=None, outputs=()):
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = list(outputs)
    if error:
        cell.outputs.append(nbformat.v4.new_output("error", ename=error[0], evalue=error[1], traceback=[]))
    return cell


STUB = "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError"


@pytest.mark.parametrize("answer, answer_error, checker_error, status, words", [
    (STUB, None, ("CheckFailed", "check_f: the exercise is not done yet"), "not started", ""),
    (STUB + "  # later", None, ("CheckFailed", "check_f: the exercise is not done yet"), "not started",
     "not done yet"),
    ("def f(x):\n    y = 2 * x", None, ("CheckFailed", "check_f: your function returned None: it has no `return` "
                                        "statement\nHint: end the function with `return`"), "broken",
     "it has no `return` statement"),
    ("def f(x):\n    return x", None, None, "done", ""),
    ("def f(x):\n    return x + 1", None, ("CheckFailed", "check_f: you added one\nx = [1]\nHint: do not"),
     "wrong", "you added one\nHint: do not"),
    ("def f(x):\n    return y", None, ("CheckFailed", "check_f: your function raised NameError: y\n"
                                      "(in f, line 2: return y)"), "broken", "(in f, line 2"),
    ("def f(x)\n    return x", ("SyntaxError", "expected ':'"), ("NameError", "name 'f' is not defined"),
     "broken", "answer cell raised SyntaxError"),
    ("def g(x):\n    return x", None, ("NameError", "name 'f' is not defined"), "broken", "did you rename it"),
    ("def f(x):\n    return x", None, ("KeyboardInterrupt", ""), "broken", "loop forever"),
    ("def f(x):\n    return x", None, ("ValueError", "bad"), "broken", "the checker raised ValueError"),
])
def test_each_exercise_is_classified(answer, answer_error, checker_error, status, words):
    got, message = progress.classify(executed_cell(answer, answer_error), executed_cell("check_f(f)", checker_error),
                                     STUB)
    assert got == status
    assert words in message


def test_the_course_checker_runs_even_where_the_learner_edited_or_deleted_it():
    solution = ROOT / "notebooks" / "solutions" / "03-gamma-beta.ipynb"
    generated = course.learner_notebook(solution)
    mine = nbformat.from_dict(generated)
    found = {e.id: e for e in course.exercises(mine)}
    first, second = found["03.1"], found["03.2"]
    mine.cells[first.checker].source = "print('all good')"      # edited away
    del mine.cells[second.checker]                               # deleted
    nb, found = progress.with_course_checkers(mine, generated)
    assert found["03.1"][1].source == generated.cells[first.checker].source
    assert found["03.2"][1].source == generated.cells[second.checker].source
    assert nb.cells.index(found["03.2"][1]) == nb.cells.index(found["03.2"][0]) + 1
    assert len(mine.cells) == len(generated.cells) - 1          # the learner's notebook is untouched


def test_the_table_counts_and_marks():
    reports = [progress.NotebookReport("01-forward", [progress.ExerciseResult("01.1", "a", progress.DONE),
                                                      progress.ExerciseResult("01.2", "b", progress.WRONG, "m"),
                                                      progress.ExerciseResult("01.3", "c", progress.NOT_STARTED)]),
               progress.NotebookReport("03-gamma-beta", [progress.ExerciseResult("03.1", "d", progress.DONE)],
                                       failing_cells=["under x, the cell that starts `y` raised ..."])]
    table = progress.progress_table(reports)
    assert "01-forward" in table and "\u2714 \u2717 \u00b7" in table and "1/3" in table
    assert "+ 1 failing cell" in table
    assert table.splitlines()[-2].split() == ["total", "2/4"]
    text = progress.report_text(reports)
    assert "01-forward, b (01.2): wrong" in text and "03-gamma-beta: under x" in text
    assert "2 notebooks with a wrong or broken answer" in text


def test_a_failing_cell_of_the_learners_own_is_reported(tmp_path):
    folder = fresh_notebooks(tmp_path)
    ch00 = folder / "00-start-here.ipynb"
    nb = nbformat.read(ch00, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("my_value = 1 / 0"))
    nbformat.write(nb, ch00)
    report, = progress.evaluate(folder, ["00"])
    assert report.failed and report.executed
    assert len(report.failing_cells) == 1
    assert "1 / 0" in report.failing_cells[0] and "ZeroDivisionError" in report.failing_cells[0]
    assert "a cell you changed or added" in report.failing_cells[0]


def test_unknown_notebooks_are_named():
    with pytest.raises(ValueError, match="give numbers such as 03"):
        progress.selected(ROOT / "notebooks", ["42"])
    assert run_progress(ROOT / "notebooks", "42").returncode == 2


def test_show_progress_prints_the_table(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("BNLIB_PROGRESS_SKIP", raising=False)
    folder = fresh_notebooks(tmp_path)
    monkeypatch.chdir(folder / "solutions")          # where 00-start-here's last cell runs under nbval
    assert progress.default_folder() == folder
    progress.show_progress()
    shown = capsys.readouterr().out
    assert "00-start-here" in shown and "nothing wrong or broken" in shown
    monkeypatch.setenv("BNLIB_PROGRESS_SKIP", "1")
    progress.show_progress()
    assert "00-start-here" not in capsys.readouterr().out


def test_a_notebook_that_cannot_be_read_is_reported_not_a_crash(tmp_path):
    folder = fresh_notebooks(tmp_path)
    (folder / "03-gamma-beta.ipynb").write_text('{"cells": [')          # saved half-way
    report, = progress.evaluate(folder, ["03"])
    assert report.failed and "not a notebook that can be read" in report.failing_cells[0]


def test_an_endless_loop_is_reported_not_a_crash(tmp_path, monkeypatch):
    monkeypatch.setattr(progress, "TIMEOUT", 3)
    folder = fresh_notebooks(tmp_path)
    play.answer(folder / "00-start-here.ipynb", "00.1", "def batch_mean(x):\n    while True:\n        pass")
    report, = progress.evaluate(folder, ["00"])
    result = next(e for e in report.exercises if e.id == "00.1")
    assert result.status == progress.BROKEN and "stopped after 3 s" in result.message


def test_a_kernel_that_dies_is_reported_not_a_crash(tmp_path):
    folder = fresh_notebooks(tmp_path)
    play.answer(folder / "00-start-here.ipynb", "00.1", "import os\nos._exit(1)")
    report, = progress.evaluate(folder, ["00"])
    assert report.failed
    assert any("the notebook stopped: DeadKernelError" in cell for cell in report.failing_cells)
    assert next(e for e in report.exercises if e.id == "00.1").status == progress.BROKEN


def test_titles_are_plain_text_in_the_terminal():
    from bncourse.tools import student
    for solution in student.solution_paths():
        for ex in course.exercises(course.learner_notebook(solution)):
            shown = progress.plain(ex.title)
            assert "$" not in shown and "\\" not in shown, (ex.id, shown)
    assert progress.plain("Exercise 1: the derivative of the variance, for every $m$").endswith("for every m")
    assert progress.plain(r"one node, $istd=(var+\epsilon)^{-1/2}$") == "one node, istd=(var+eps)^(-1/2)"
    report = progress.NotebookReport("12-x", [progress.ExerciseResult("12.1", "Exercise 1: for every $m$",
                                                                      progress.WRONG, "check: no")])
    assert "Exercise 1: for every m (12.1): wrong" in progress.diagnoses([report])
