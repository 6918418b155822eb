"""The core path (bncourse/core_path.py): it fits its 90 minutes, its sections and exercises are where it
says, it can be followed alone (no cell on it uses a name that only a skipped cell defines), and notebook
00, the README and the teaching guide show it."""
import nbformat
import pytest

from bncourse import core_path
from bncourse.core_path import CORE_PATH, Step, missing_names, step_cells
from bncourse.notebook import solution_exercises
from bncourse.tools import student
from bncourse.tools import teaching_guide as guide

SOLUTIONS = {path.stem: path for path in student.solution_paths()}


@pytest.fixture(scope="module")
def table():
    return core_path.core_path_table()


def test_the_path_fits_its_90_minutes_and_is_most_of_them(table):
    assert 75 <= table.minutes <= core_path.MINUTES
    assert sum(f.minutes for f in table) >= table.minutes - 5, "the steps add up to the total"


def test_the_path_runs_from_00_to_the_compact_backward_pass_in_the_course_order():
    numbers = [step.notebook[:2] for step in CORE_PATH]
    assert numbers == sorted(numbers) and numbers[0] == "00" and numbers[-1] == "05"
    assert all(step.notebook in SOLUTIONS for step in CORE_PATH)


def test_every_exercise_of_a_step_lies_in_its_sections_and_is_listed(table):
    for facts in table:
        assert facts.exercises == facts.step.exercises, facts.step.notebook
    done = [e for step in CORE_PATH for e in step.exercises]
    assert "05.1" in done, "the path ends with the learner's own backward pass"
    assert any(".q" in e for e in done) and any(".q" not in e for e in done)


@pytest.mark.parametrize("step", CORE_PATH, ids=lambda s: s.notebook)
def test_no_cell_on_the_path_uses_what_the_path_skips(step):
    """Every name a cell on the path uses (the core exercises and their checkers included) is defined by a
    cell on the path before it: a learner who skips the rest misses no definition."""
    nb = nbformat.read(SOLUTIONS[step.notebook], as_version=4)
    cells = step_cells(nb, step)
    assert missing_names(nb, cells) == {}
    exercises = {e.id: e for e in solution_exercises(nb, step.notebook[:2])}
    for ex_id in step.exercises:
        assert {exercises[ex_id].answer, exercises[ex_id].checker} <= set(cells), ex_id


def made_up_notebook():
    cells = [nbformat.v4.new_markdown_cell("# 99 · Made up"), nbformat.v4.new_code_cell("import numpy as np"),
             nbformat.v4.new_markdown_cell("## Skipped"), nbformat.v4.new_code_cell("helper = np.ones(3)"),
             nbformat.v4.new_markdown_cell("## Kept"),
             nbformat.v4.new_code_cell("def f(x):\n    return helper * x + [k for k in range(3)][0]\n\ny = f(2)"),
             nbformat.v4.new_code_cell("print(y, len(y), hint)")]
    return nbformat.v4.new_notebook(cells=cells)


def test_a_cell_that_needs_a_skipped_definition_is_found():
    nb = made_up_notebook()
    kept = step_cells(nb, Step("99-made-up", ("Kept",), (), ""))
    assert kept == [0, 1, 4, 5, 6]
    assert missing_names(nb, kept) == {5: ["helper"]}
    assert missing_names(nb, step_cells(nb, Step("99-made-up", ("Skipped", "Kept"), (), ""))) == {}
    with pytest.raises(ValueError, match="0 cells hold the heading 'Gone'"):
        step_cells(nb, Step("99-made-up", ("Gone",), (), ""))


def test_notebook_00_the_readme_and_the_guide_show_the_path(table):
    nb = nbformat.read(SOLUTIONS["00-start-here"], as_version=4)
    shown = [c for c in nb.cells if c.cell_type == "code" and "core_path_table()" in c.source]
    assert len(shown) == 1 and table.markdown() in shown[0].outputs[0]["data"]["text/markdown"], \
        "notebook 00 shows the path as it is (make execute NB=notebooks/solutions/00-start-here.ipynb)"
    assert guide.readme_blocks()["core_path"] == guide.blocks()["core_path"] == guide.core_path_block()
    for text in (guide.README.read_text(encoding="utf-8"), guide.GUIDE.read_text(encoding="utf-8")):
        assert table.markdown() in text


def test_the_table_names_each_section_by_the_start_of_its_heading():
    assert core_path.short_titles(["The route", "Step 1 · From the output", "Step 2 · The local",
                                   "Step 3 · x", "Why the sum appears: one parameter", "Step 5 · y"]) == \
        ["The route", "Steps 1 to 3", "Why the sum appears", "Step 5"]
