"""The instructor's round trip with nbgrader (`make test-instructor`, which installs nbgrader).

In a temporary course directory with its own sqlite gradebook: `make release`,
then three students work copies of the released notebooks (all solved; every
other exercise solved and the forward pass with one named mistake; untouched),
then `make autograde`. Every exercise's points are asserted (full, zero with the
mistake named in the feedback, zero with "not done yet"), in the gradebook CSV
and in nbgrader's HTML feedback; the released notebooks hold no solution code.

Skipped under `make test` (nbgrader is not part of the learner's environment).
"""
import csv
import html
import os
import re
import subprocess
import time
from pathlib import Path

import nbformat
import pytest

from bncourse.tools import nbgrader_course as course
from bncourse import notebook
from bncourse.tools import student

pytestmark = pytest.mark.skipif(os.environ.get("BNLIB_INSTRUCTOR") != "1",
                                reason="the nbgrader round trip runs under `make test-instructor`")

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = course.ASSIGNMENT
# the one named mistake of the second student: the forward pass with the unbiased variance
MISTAKE_EXERCISE = "01.1"
RIGHT_LINE = "var = (xmu ** 2).mean(axis=0)"
WRONG_LINE = "var = x.var(axis=0, ddof=1)"
MISTAKE_NAMED = "unbiased variance: you divided by N - 1"
NOT_DONE = "not done yet"


def all_exercises():
    """{notebook stem: [Exercise, ...]} of every solution notebook."""
    return {p.stem: course.find_exercises(nbformat.read(p, as_version=4), p.name[:2])
            for p in student.solution_paths()}


EXERCISES = all_exercises()
ORDER = [e.id for stem in sorted(EXERCISES) for e in EXERCISES[stem]]
HALF = set(ORDER[::2]) - {MISTAKE_EXERCISE}   # every other exercise, solved right


def answer(exercise_id, solution_source):
    """What the second student writes for one exercise (None: leaves the stub)."""
    if exercise_id == MISTAKE_EXERCISE:
        assert RIGHT_LINE in solution_source
        return solution_source.replace(RIGHT_LINE, WRONG_LINE)
    return solution_source if exercise_id in HALF else None


def play(released, source, student_name):
    """A student's copy of one released notebook: solution cells filled in from the source."""
    nb = nbformat.read(released, as_version=4)
    solutions = {c.metadata["nbgrader"]["grade_id"]: c.source
                 for c in nbformat.read(source, as_version=4).cells}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("solution"):
            continue
        exercise_id = meta["grade_id"][len("ex-"):].replace("-", ".")
        text = solutions[meta["grade_id"]]
        if student_name == "all-solved":
            cell.source = text
        elif student_name == "half-solved":
            cell.source = answer(exercise_id, text) or cell.source
    return nb


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("nbgrader")
    root = workdir / "course"
    start = time.monotonic()
    subprocess.run(["make", "--no-print-directory", "release", f"NBGRADER_ROOT={root}"], cwd=ROOT, check=True)
    released = time.monotonic()
    submitted = workdir / "submitted"
    for name in ("all-solved", "half-solved", "untouched"):
        folder = submitted / name / ASSIGNMENT
        folder.mkdir(parents=True)
        for path in sorted((root / "release" / ASSIGNMENT).glob("*.ipynb")):
            nbformat.write(play(path, root / "source" / ASSIGNMENT / path.name, name), folder / path.name)
    subprocess.run(["make", "--no-print-directory", "autograde", f"SUBMITTED={submitted}",
                    f"NBGRADER_ROOT={root}"], cwd=ROOT, check=True)
    end = time.monotonic()
    print(f"\nround trip: release {released - start:.0f} s, autograde of 3 students {end - released:.0f} s")
    with open(root / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return root, {(r["student"], r["exercise"]): r for r in rows}, rows


def test_the_course_directory_has_the_stated_layout(round_trip):
    root, _, _ = round_trip
    names = sorted(p.name for p in student.solution_paths())
    assert (root / "nbgrader_config.py").is_file() and (root / "gradebook.db").is_file()
    for folder in ("source", "release"):
        assert sorted(p.name for p in (root / folder / ASSIGNMENT).glob("*.ipynb")) == names
    for name in ("all-solved", "half-solved", "untouched"):
        assert sorted(p.name for p in (root / "feedback" / name / ASSIGNMENT).glob("*.html")) == \
            [n.replace(".ipynb", ".html") for n in names]


def test_the_source_carries_nbgrader_metadata(round_trip):
    root, _, _ = round_trip
    for stem, exercises in EXERCISES.items():
        nb = nbformat.read(root / "source" / ASSIGNMENT / f"{stem}.ipynb", as_version=4)
        metas = [c.metadata["nbgrader"] for c in nb.cells]
        assert len({m["grade_id"] for m in metas}) == len(metas), "grade ids are unique"
        for e in exercises:
            assert metas[e.solution] == {"solution": True, "grade": False, "locked": False,
                                         "grade_id": f"ex-{e.slug}", "schema_version": 3}
            assert metas[e.checker] == {"solution": False, "grade": True, "locked": True,
                                        "points": course.points(e), "grade_id": f"check-{e.slug}",
                                        "schema_version": 3}
        special = {e.solution for e in exercises} | {e.checker for e in exercises}
        assert all(m["locked"] and not m["grade"] and not m["solution"]
                   for i, m in enumerate(metas) if i not in special), "every other cell is read-only"


def test_released_notebooks_hold_no_solution_code(round_trip):
    root, _, _ = round_trip
    for path in student.solution_paths():
        released = nbformat.read(root / "release" / ASSIGNMENT / path.name, as_version=4)
        solution = nbformat.read(path, as_version=4)
        text = "\n".join(c.source for c in released.cells)
        assert notebook.BEGIN not in text and notebook.END not in text
        for e in EXERCISES[path.stem]:
            source = solution.cells[e.solution].source
            block = source.split(notebook.BEGIN)[1].split(notebook.END)[0]
            answer_lines = {line.strip() for line in block.splitlines() if line.strip()}
            stub = set(released.cells[e.solution].source.splitlines())
            assert not answer_lines & {line.strip() for line in stub}, f"{e.id}: solution code released"
            assert all(c.outputs == [] for c in released.cells if c.cell_type == "code")
        # the released cells are exactly the learner copy's cells
        learner = notebook.learner_notebook(path)
        assert [(c.cell_type, c.source) for c in released.cells] == \
            [(c.cell_type, c.source) for c in learner.cells]


def label(e):
    """How the checker's message starts: the checker's name, or a question's id (check_answer says "04.q1")."""
    return e.id if e.check == "check_answer" else e.check


def test_every_exercise_scores_as_expected(round_trip):
    _, grades, rows = round_trip
    assert len(rows) == 3 * len(ORDER)
    for stem, exercises in EXERCISES.items():
        for e in exercises:
            full = float(course.points(e))
            solved = grades["all-solved", e.id]
            assert (solved["notebook"], float(solved["points"]), float(solved["max_points"])) == (stem, full, full)
            assert solved["feedback"].startswith(f"\u2714 {label(e)}:"), solved["feedback"]

            untouched = grades["untouched", e.id]
            assert float(untouched["points"]) == 0.0
            assert untouched["feedback"].startswith(f"{label(e)}: ") and NOT_DONE in untouched["feedback"]

            half = grades["half-solved", e.id]
            if e.id == MISTAKE_EXERCISE:
                assert float(half["points"]) == 0.0
                assert half["feedback"].startswith(f"{label(e)}: {MISTAKE_NAMED}"), half["feedback"]
            elif e.id in HALF:
                assert float(half["points"]) == full
            else:
                assert float(half["points"]) == 0.0 and NOT_DONE in half["feedback"]
    total = {name: sum(float(r["points"]) for r in rows if r["student"] == name)
             for name in ("all-solved", "half-solved", "untouched")}
    assert 0 < total["half-solved"] < total["all-solved"] and total["untouched"] == 0


def feedback_text(root, name, stem):
    page = (root / "feedback" / name / ASSIGNMENT / f"{stem}.html").read_text(encoding="utf-8")
    page = re.sub(r"<style.*?</style>|<script.*?</script>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_the_html_feedback_shows_the_checkers_message_not_a_traceback(round_trip):
    root, grades, _ = round_trip
    for name in ("half-solved", "untouched"):
        for stem, exercises in EXERCISES.items():
            text = feedback_text(root, name, stem)
            assert "most recent call last" not in text and "bncourse/checks" not in text
            for e in exercises:
                if float(grades[name, e.id]["points"]) == 0.0:
                    first_line = grades[name, e.id]["feedback"].splitlines()[0]
                    assert f"\u2718 CheckFailed {first_line}" in text, (name, e.id)
    mistake = feedback_text(root, "half-solved", "01-forward")
    assert f"check_forward: {MISTAKE_NAMED}" in mistake


def test_the_release_stubs_are_the_learner_copies_stubs():
    """A one-assignment answer becomes `answer = ...` (nbgrader's own stub would raise, and the
    checker would then fail with a NameError instead of saying "not answered yet")."""
    from bncourse.tools.nbgrader_stubs import CourseClearSolutions

    def solution_cell(source):
        return nbformat.v4.new_code_cell(source, metadata={"nbgrader": {
            "solution": True, "grade": False, "locked": False, "grade_id": "ex", "schema_version": 3}})

    nb = nbformat.v4.new_notebook(cells=[
        solution_cell("### BEGIN SOLUTION\nanswer = \"b\"\n### END SOLUTION"),
        solution_cell("def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"),
    ], metadata={"kernelspec": {"name": "bn-course", "language": "python", "display_name": "x"}})
    nb, _ = CourseClearSolutions().preprocess(nb, {})
    assert nb.cells[0].source == "answer = ...  # YOUR ANSWER HERE"
    assert nb.cells[1].source == "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError"
    namespace = {}
    exec(nb.cells[0].source, namespace)   # the cell runs; the checker then sees an unanswered question
    assert namespace["answer"] is Ellipsis
