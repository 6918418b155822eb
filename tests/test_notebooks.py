"""Learner notebooks: generated from the solutions, in step with them, and failing only at the checkers.

The solution notebooks themselves are executed and compared cell by cell by nbval
(`make test`); these tests cover the learner copies, which nbval cannot compare
because their checker cells are meant to fail. They test the copies as the course
generates them, never the learner's files: a learner copy that has been edited,
run or saved belongs to the learner (bncourse.progress checks the learner's work).
"""
import re
from pathlib import Path

import nbformat
import pytest

import learner_play as play
from bncourse.tools import student
from bncourse import notebook
from bncourse import notebook as course
from bncourse.notebook import KERNEL

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = student.solution_paths()


def test_every_notebook_asks_for_the_course_kernel():
    for path in SOLUTIONS:
        assert nbformat.read(path, as_version=4).metadata.kernelspec.name == KERNEL, path.name
        assert notebook.learner_notebook(path).metadata.kernelspec.name == KERNEL, path.name


def test_there_are_solution_notebooks():
    assert [p.name for p in SOLUTIONS][:1] == ["00-start-here.ipynb"]


def test_learner_copies_are_in_step_with_their_solutions():
    """Untouched learner copies match what `make student` generates; edited ones are the learner's."""
    stale = student.out_of_date()
    assert not stale, f"learner copies out of date, run `make student`: {stale}"


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_every_exercise_has_an_id_a_title_and_a_checker(solution):
    learner = notebook.learner_notebook(solution)
    found = course.exercises(learner)
    number = solution.name[:2]
    code = [ex.id for ex in found if ".q" not in ex.id]
    questions = [ex.id for ex in found if ".q" in ex.id]
    assert code == [f"{number}.{k}" for k in range(1, len(code) + 1)]
    # a question may go anywhere (a predict-first question stands before the result it asks about): its ids
    # are q1, q2, ... without a gap, in any order, and a new one takes the next free id
    assert sorted(questions, key=lambda q: int(q.split(".q")[1])) == [f"{number}.q{k}" for k in range(1, len(questions) + 1)]
    assert len(set(ex.id for ex in found)) == len(found)
    for ex in found:
        assert ex.title and ex.checker == ex.answer + 1, ex
        assert course.role(learner.cells[ex.checker]) == "checker"
        assert "check_" in learner.cells[ex.checker].source


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_every_exercise_has_a_stub_followed_by_a_checker(solution):
    nb = nbformat.read(solution, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    stubs = [i for i, c in enumerate(code) if notebook.BEGIN in c.source]
    checkers = [i for i, c in enumerate(code) if "checker" in c.metadata.get("tags", [])]
    assert stubs, "a notebook of the course ends with exercises"
    assert len(checkers) >= len(stubs) >= 1
    for i in stubs:   # the checker comes after its exercise, before the next exercise
        assert any(i < j for j in checkers), f"exercise in code cell {i} has no checker after it"
    for j in checkers:
        assert "check_" in code[j].source, "a checker cell calls a checker from bncourse.checks"


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_learner_notebook_fails_only_at_its_checkers(solution, course_kernel):
    nb = notebook.learner_notebook(solution)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "learner copy has outputs"
    play.run(nb, student.NOTEBOOKS, course_kernel)
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
    assert notebook.stub_source(SOLVED) == '''def f(x):
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
    with pytest.raises(notebook.MarkerError, match=words):
        notebook.stub_source(bad)


PROMPT_1 = "### Exercise 1: plus one\n\nWrite `f(x)` returning x + 1."
PROMPT_2 = "### Exercise 2: twice\n\nWrite `g(x)` returning 2 x."
TWICE = 'def g(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION'


def demo_solution(prompt_1=PROMPT_1):
    """A small solution notebook with two exercises, each with its prompt and checker."""
    new = nbformat.v4
    return new.new_notebook(cells=[
        new.new_markdown_cell(prompt_1), new.new_code_cell(SOLVED),
        new.new_code_cell("assert f(1) == 2", metadata={"tags": ["checker"]}),
        new.new_markdown_cell(PROMPT_2), new.new_code_cell(TWICE),
        new.new_code_cell("assert g(1) == 2", metadata={"tags": ["checker"]})])


def make_course(tmp_path, monkeypatch):
    solutions = tmp_path / "notebooks" / "solutions"
    solutions.mkdir(parents=True)
    nbformat.write(demo_solution(), solutions / "01-demo.ipynb")
    monkeypatch.setattr(student, "ROOT", tmp_path)
    monkeypatch.setattr(student, "NOTEBOOKS", tmp_path / "notebooks")
    monkeypatch.setattr(student, "SOLUTIONS", solutions)
    return solutions / "01-demo.ipynb", tmp_path / "notebooks" / "01-demo.ipynb"


def edit(path, change):
    nb = nbformat.read(path, as_version=4)
    change(nb)
    nbformat.write(nb, path)


def answer_exercise_1(nb):
    nb.cells[1].source = nb.cells[1].source.replace("raise NotImplementedError", "return x + 1")


def test_make_student_writes_then_updates_an_unedited_copy(tmp_path, monkeypatch):
    solution, learner = make_course(tmp_path, monkeypatch)
    assert student.out_of_date() == ["01-demo.ipynb"]
    student.write_all()
    assert "raise NotImplementedError" in learner.read_text()
    assert student.out_of_date() == []
    edit(solution, lambda nb: setattr(nb.cells[1], "source", SOLVED.replace("print(1)", "print(2)")))
    assert student.out_of_date() == ["01-demo.ipynb"]
    assert student.write_all() == 0
    assert "print(2)" in learner.read_text()


def test_a_copy_run_and_saved_with_outputs_is_still_in_step(tmp_path, monkeypatch):
    solution, learner = make_course(tmp_path, monkeypatch)
    student.write_all()

    def run_it(nb):   # what JupyterLab leaves: outputs, counts, timing metadata, a collapsed cell
        nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="1\n")]
        nb.cells[1].execution_count = 3
        nb.cells[1].metadata["execution"] = {"iopub.status.busy": "2026-11-30T10:00:00Z"}
        nb.cells[2].metadata["collapsed"] = True
        nb.metadata["widgets"] = {"state": {}}
    edit(learner, run_it)
    saved = learner.read_bytes()
    assert student.out_of_date() == []
    assert student.write_all() == 0
    assert learner.read_bytes() == saved


def test_make_student_never_overwrites_a_learners_work(tmp_path, monkeypatch, capsys):
    solution, learner = make_course(tmp_path, monkeypatch)
    student.write_all()
    edit(learner, answer_exercise_1)
    mine = learner.read_bytes()
    assert student.out_of_date() == []          # an edited copy is the learner's, never "stale"
    assert student.write_all() == 1
    assert learner.read_bytes() == mine
    out = capsys.readouterr().out
    assert "edited since it was generated" in out and "make reset NB=01" in out


def test_a_course_update_is_written_beside_an_edited_copy(tmp_path, monkeypatch, capsys):
    solution, learner = make_course(tmp_path, monkeypatch)
    student.write_all()
    edit(learner, answer_exercise_1)
    mine = learner.read_bytes()
    nbformat.write(demo_solution(PROMPT_1 + " Return a float."), solution)
    capsys.readouterr()
    assert student.write_all() == 1
    assert learner.read_bytes() == mine
    beside = learner.with_name("01-demo.new.ipynb")
    assert beside.read_text() == course.render(notebook.learner_notebook(solution))
    out = capsys.readouterr().out
    assert "01-demo.new.ipynb" in out
    assert "01.1 Exercise 1: plus one" in out and "01.2" not in out   # only the changed exercise
    student.write_all()                          # a second run changes nothing
    assert beside.read_text() == course.render(notebook.learner_notebook(solution))


def test_an_edited_new_version_is_moved_to_the_backup_before_it_is_replaced(tmp_path, monkeypatch):
    solution, learner = make_course(tmp_path, monkeypatch)
    student.write_all()
    edit(learner, answer_exercise_1)
    nbformat.write(demo_solution(PROMPT_1 + " (2)"), solution)
    student.write_all()
    beside = learner.with_name("01-demo.new.ipynb")
    edit(beside, answer_exercise_1)
    work = beside.read_bytes()
    nbformat.write(demo_solution(PROMPT_1 + " (3)"), solution)
    student.write_all()
    backups = list((tmp_path / "notebooks" / ".backup").glob("01-demo.new.*.ipynb"))
    assert [b.read_bytes() for b in backups] == [work]
    assert "(3)" in beside.read_text()


def test_reset_gives_a_fresh_copy_and_moves_the_learners_to_the_backup(tmp_path, monkeypatch, capsys):
    solution, learner = make_course(tmp_path, monkeypatch)
    student.write_all()
    edit(learner, answer_exercise_1)
    mine = learner.read_bytes()
    moved = student.reset("01")
    assert moved.parent == tmp_path / "notebooks" / ".backup" and moved.name.startswith("01-demo.")
    assert moved.read_bytes() == mine
    assert learner.read_text() == course.render(notebook.learner_notebook(solution))
    assert str(moved.relative_to(tmp_path)) in capsys.readouterr().out
    assert student.reset("01-demo") is None      # already fresh: nothing is moved
    edit(learner, answer_exercise_1)
    second = student.reset("notebooks/01-demo.ipynb")
    assert second != moved and second.exists() and moved.exists()


def test_reset_names_the_notebooks_when_it_cannot_tell_which(tmp_path, monkeypatch):
    make_course(tmp_path, monkeypatch)
    with pytest.raises(SystemExit, match="01"):
        student.reset("07")


def test_learner_metadata_records_its_origin():
    for solution in SOLUTIONS:
        meta = notebook.learner_notebook(solution).metadata["bncourse"]
        assert meta["generated_from"] == f"solutions/{solution.name}"
        assert meta["number"] == solution.name[:2]


def test_an_answer_that_is_one_assignment_becomes_an_ellipsis():
    source = '### BEGIN SOLUTION\nanswer = "b"\n### END SOLUTION\ncheck_answer("04.q1", answer)'
    assert notebook.stub_source(source) == 'answer = ...  # YOUR ANSWER HERE\ncheck_answer("04.q1", answer)'
    two_lines = '### BEGIN SOLUTION\nanswer = "b"\nother = 1\n### END SOLUTION'
    assert "raise NotImplementedError" in notebook.stub_source(two_lines)
    comparison = '### BEGIN SOLUTION\nx == 1\n### END SOLUTION'
    assert "raise NotImplementedError" in notebook.stub_source(comparison)


def test_a_notebook_is_named_by_its_number_its_name_or_its_path():
    path = student.SOLUTIONS / "03-gamma-beta.ipynb"
    for name in ("3", "03", "03-gamma", "03-gamma-beta", "notebooks/03-gamma-beta.ipynb", "03-gamma-beta.ipynb"):
        assert course.names_notebook(name, path), name        # make progress NB=3 is notebook 03
    for name in ("0", "4", "30", "04", "03-beta", "gamma-beta"):
        assert not course.names_notebook(name, path), name


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_solution_notebooks_store_no_execution_timestamps(path):
    """`make execute` records no timing (nbclient's record_timing off): a re-run changes only outputs."""
    nb = nbformat.read(path, as_version=4)
    stamped = [i for i, cell in enumerate(nb.cells) if "execution" in cell.metadata]
    assert not stamped, f"cells {stamped} carry execution timestamps"


# ---------------------------------------------------------------- third edition

@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_a_passing_checker_cell_echoes_nothing(path):
    """No `Out[n]: True` under the green line: a checker returns None, so its cell has no result."""
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        if "checker" in cell.metadata.get("tags", []):
            kinds = [o.output_type for o in cell.outputs]
            assert kinds and set(kinds) == {"stream"}, f"{path.name}, cell {index}: outputs {kinds}"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_every_checker_cell_imports_the_checkers_it_calls(path):
    """A checker cell runs on its own, after its answer cell only: it relies on no import made elsewhere."""
    for source in (c.source for c in nbformat.read(path, as_version=4).cells
                   if "checker" in c.metadata.get("tags", [])):
        for name in course.CHECKER_CALL.findall(source):
            assert re.search(rf"^from bncourse\.checks import .*\b{name}\b", source, re.M), (path.name, name)


def test_every_solution_notebook_stores_its_one_line_summary():
    for path in SOLUTIONS:
        summary = nbformat.read(path, as_version=4).metadata.get("bncourse", {}).get("summary", "")
        assert 20 <= len(summary) <= 200 and "\n" not in summary, path.name


def test_the_table_of_notebooks_is_read_from_the_notebooks_and_picks_up_a_new_one(tmp_path):
    import shutil
    for path in SOLUTIONS[:2]:
        shutil.copy(path, tmp_path / path.name)
    new = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "# 13 · A whole network by hand\n\nThe learner's own backward pass trains it. More text.")])
    nbformat.write(new, tmp_path / "13-network-by-hand.ipynb")
    contents = course.course_contents(tmp_path)
    assert [c.stem for c in contents] == [p.stem for p in SOLUTIONS[:2]] + ["13-network-by-hand"]
    assert contents[2].title == "A whole network by hand"
    assert contents[2].summary == "The learner's own backward pass trains it."      # no summary stored yet
    assert "| `13-network-by-hand` | The learner's own backward pass trains it. |" in contents._repr_markdown_()


def test_notebook_00_shows_the_table_it_computes_not_one_written_by_hand():
    nb = nbformat.read(SOLUTIONS[0], as_version=4)
    assert not any("| 09 |" in c.source or "| 01 | forward" in c.source for c in nb.cells if c.cell_type == "markdown")
    cell = next(c for c in nb.cells if c.cell_type == "code" and "course_contents()" in c.source)
    shown = "".join(o["data"]["text/markdown"] for o in cell.outputs if o.output_type == "execute_result")
    assert all(f"`{p.stem}`" in shown for p in SOLUTIONS), "re-run notebook 00: make execute NB=..."
