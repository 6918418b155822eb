"""Learner notebooks: generated from the solutions, in step with them, and failing only at the checkers.

The solution notebooks themselves are executed and compared cell by cell by nbval
(`make test`); these tests cover the learner copies, which nbval cannot compare
because their checker cells are meant to fail.
"""
import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import student
from student import KERNEL

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = student.solution_paths()
LEARNERS = [student.learner_path(p) for p in SOLUTIONS]


def test_every_notebook_asks_for_the_course_kernel():
    for path in SOLUTIONS + LEARNERS:
        assert nbformat.read(path, as_version=4).metadata.kernelspec.name == KERNEL, path.name


def test_there_are_solution_notebooks():
    assert [p.name for p in SOLUTIONS][:1] == ["00-start-here.ipynb"]


def test_learner_copies_are_in_step_with_their_solutions():
    stale = student.out_of_date()
    assert not stale, f"learner copies out of date, run `make student`: {stale}"


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_every_exercise_has_a_stub_followed_by_a_checker(solution):
    nb = nbformat.read(solution, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    stubs = [i for i, c in enumerate(code) if student.BEGIN in c.source]
    checkers = [i for i, c in enumerate(code) if "checker" in c.metadata.get("tags", [])]
    assert stubs, "a notebook of the course ends with exercises"
    assert len(checkers) >= len(stubs) >= 1
    for i in stubs:   # the checker comes after its exercise, before the next exercise
        assert any(i < j for j in checkers), f"exercise in code cell {i} has no checker after it"
    for j in checkers:
        assert "check_" in code[j].source, "a checker cell calls a checker from bnlib.checks"


@pytest.mark.parametrize("learner", LEARNERS, ids=lambda p: p.stem)
def test_learner_notebook_fails_only_at_its_checkers(learner):
    nb = nbformat.read(learner, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "learner copy has outputs"
    client = NotebookClient(nb, timeout=120, kernel_name=KERNEL, allow_errors=True,
                            resources={"metadata": {"path": str(learner.parent)}})
    client.execute()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if "checker" in cell.metadata.get("tags", []):
            assert errors, f"cell {index}: the checker passed on a stub"
            assert errors[0].ename == "CheckFailed", f"cell {index}: {errors[0].ename}: {errors[0].evalue}"
            assert "not done yet" in errors[0].evalue, f"cell {index}: {errors[0].evalue}"
            # the learner sees the diagnosis, not a wall of traceback
            assert len("".join(errors[0].traceback).splitlines()) <= 6
        else:
            assert not errors, f"cell {index} fails in the learner copy: {errors[0].evalue}"


# ---------------------------------------------------------------- the generator itself

SOLVED = '''def f(x):
    """doc"""
    ### BEGIN SOLUTION
    y = x + 1
    return y
    ### END SOLUTION

print(1)'''


def test_stub_replaces_the_solution_and_keeps_the_rest():
    assert student.stub_source(SOLVED) == '''def f(x):
    """doc"""
    # YOUR CODE HERE
    raise NotImplementedError

print(1)'''


@pytest.mark.parametrize("bad, words", [
    ("### BEGIN SOLUTION\nx = 1", "never closed"),
    ("x = 1\n### END SOLUTION", "without"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "inside another"),
])
def test_unpaired_markers_are_refused(bad, words):
    with pytest.raises(student.MarkerError, match=words):
        student.stub_source(bad)


def make_course(tmp_path, monkeypatch):
    solutions = tmp_path / "notebooks" / "solutions"
    solutions.mkdir(parents=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(SOLVED)])
    nbformat.write(nb, solutions / "01-demo.ipynb")
    monkeypatch.setattr(student, "ROOT", tmp_path)
    monkeypatch.setattr(student, "NOTEBOOKS", tmp_path / "notebooks")
    monkeypatch.setattr(student, "SOLUTIONS", solutions)
    return solutions / "01-demo.ipynb", tmp_path / "notebooks" / "01-demo.ipynb"


def test_make_student_writes_then_updates_an_unedited_copy(tmp_path, monkeypatch):
    solution, learner = make_course(tmp_path, monkeypatch)
    assert student.out_of_date() == ["01-demo.ipynb"]
    student.write_all()
    assert "raise NotImplementedError" in learner.read_text()
    assert student.out_of_date() == []
    nb = nbformat.read(solution, as_version=4)
    nb.cells[0].source = SOLVED.replace("print(1)", "print(2)")
    nbformat.write(nb, solution)
    assert student.write_all() == 0
    assert "print(2)" in learner.read_text()


def test_make_student_never_overwrites_a_learners_work(tmp_path, monkeypatch, capsys):
    solution, learner = make_course(tmp_path, monkeypatch)
    student.write_all()
    nb = nbformat.read(learner, as_version=4)
    nb.cells[0].source = nb.cells[0].source.replace("raise NotImplementedError", "return x + 1")
    nbformat.write(nb, learner)
    mine = learner.read_text()
    sol = nbformat.read(solution, as_version=4)
    sol.cells[0].source += "\nprint(3)"
    nbformat.write(sol, solution)
    assert student.write_all() == 1
    assert learner.read_text() == mine
    assert "edited since it was generated" in capsys.readouterr().out


def test_learner_metadata_records_its_origin():
    for learner in LEARNERS:
        meta = json.loads(learner.read_text())["metadata"]["bncourse"]
        assert meta["generated_from"] == f"solutions/{learner.name}"


def test_an_answer_that_is_one_assignment_becomes_an_ellipsis():
    source = '### BEGIN SOLUTION\nanswer = "b"\n### END SOLUTION\ncheck_answer("04.q1", answer)'
    assert student.stub_source(source) == 'answer = ...  # YOUR ANSWER HERE\ncheck_answer("04.q1", answer)'
    two_lines = '### BEGIN SOLUTION\nanswer = "b"\nother = 1\n### END SOLUTION'
    assert "raise NotImplementedError" in student.stub_source(two_lines)
    comparison = '### BEGIN SOLUTION\nx == 1\n### END SOLUTION'
    assert "raise NotImplementedError" in student.stub_source(comparison)
