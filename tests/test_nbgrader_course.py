"""The parts of tools/nbgrader_course.py that need no nbgrader: exercise ids, the source
notebook's cell metadata, the feedback read from a graded checker cell. (The round trip with
nbgrader itself: tests/test_instructor.py, `make test-instructor`.)"""
import nbformat
import pytest
from nbformat.notebooknode import from_dict

from bncourse.tools import nbgrader_course
from bncourse.tools import student


def test_exercise_ids_follow_the_solution_cells():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("### Exercise 1: first"),
        nbformat.v4.new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION"),
        nbformat.v4.new_code_cell("check_one(f)", metadata={"tags": ["checker"]}),
        nbformat.v4.new_markdown_cell("## Exercise 2: second"),
        nbformat.v4.new_code_cell("### BEGIN SOLUTION\nanswer = 'b'\n### END SOLUTION"),
        nbformat.v4.new_code_cell("from x import check_two\ncheck_two(answer)", metadata={"tags": ["checker"]}),
    ])
    found = nbgrader_course.find_exercises(nb, "07")
    assert [(e.id, e.slug, e.title, e.solution, e.checker, e.check) for e in found] == [
        ("07.1", "07-1", "Exercise 1: first", 1, 2, "check_one"),
        ("07.2", "07-2", "Exercise 2: second", 4, 5, "check_two")]
    nb.cells[5].metadata = {}
    with pytest.raises(ValueError, match="07.2"):
        nbgrader_course.find_exercises(nb, "07")


def test_the_source_notebook_marks_solutions_checkers_and_read_only_cells():
    path = student.solution_paths()[3]
    nb = nbgrader_course.source_notebook(path)
    exercises = nbgrader_course.find_exercises(nb, path.name[:2])
    metas = [c.metadata["nbgrader"] for c in nb.cells]
    assert [m["grade_id"] for m in metas if m["solution"]] == [f"ex-{e.slug}" for e in exercises]
    assert [(m["grade_id"], m["points"]) for m in metas if m["grade"]] == \
        [(f"check-{e.slug}", nbgrader_course.points(e)) for e in exercises]
    assert sum(m["locked"] for m in metas) == len(nb.cells) - len(exercises)
    assert all("raises-exception" in nb.cells[e.checker].metadata["tags"] for e in exercises)


def test_the_feedback_is_the_checkers_message_or_the_error_in_one_line():
    def cell(*outputs):
        return from_dict({"cell_type": "code", "outputs": list(outputs)})
    failed = {"output_type": "error", "ename": "CheckFailed", "evalue": "check_x: eps outside\nHint: inside",
              "traceback": ["\x1b[31m\u2718 CheckFailed\x1b[0m check_x: eps outside\nHint: inside"]}
    crashed = {"output_type": "error", "ename": "NameError", "evalue": "name 'f' is not defined",
               "traceback": ["Traceback (most recent call last)", "  File ..."]}
    passed = {"output_type": "stream", "name": "stdout", "text": "\x1b[32m\u2714 check_x: right\x1b[0m\n"}
    assert nbgrader_course.cell_feedback(cell(failed)) == "check_x: eps outside\nHint: inside"
    assert nbgrader_course.cell_feedback(cell(crashed)) == "NameError: name 'f' is not defined"
    assert nbgrader_course.cell_feedback(cell(passed)) == "\u2714 check_x: right"
