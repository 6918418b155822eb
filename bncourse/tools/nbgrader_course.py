"""The course as an nbgrader assignment: `make release` and `make autograde SUBMITTED=<dir>`.

    python -m bncourse.tools.nbgrader_course release [--root DIR] [--assignment NAME] [NN ...]
    python -m bncourse.tools.nbgrader_course autograde SUBMITTED [--root DIR] [--assignment NAME] [--csv PATH]

``release`` writes an nbgrader course directory (default ``build/nbgrader``)::

    build/nbgrader/
        nbgrader_config.py              course id, the gradebook, the course's own stubs
        gradebook.db                    nbgrader's sqlite gradebook
        source/bn-backward/NN-name.ipynb   the solution notebooks with nbgrader's cell metadata
        release/bn-backward/NN-name.ipynb  what learners receive (nbgrader generate_assignment)

In ``source/``, each exercise of notebook NN (a code cell holding
``### BEGIN SOLUTION``, the k-th such cell of the notebook) is a solution cell
with grade_id ``ex-NN-k``; the checker cell after it (tagged ``checker``) is an
autograder test cell with grade_id ``check-NN-k`` worth ``points(exercise)``;
every other cell is read-only (grade_id ``cell-<cell id>``). nbgrader's own
``generate_assignment`` then builds ``release/``; its solution stubs are the
course's (``bncourse/tools/student.py``), so a released notebook has exactly the cells
of the learner copy.

``autograde`` copies a folder in nbgrader's submitted layout
(``SUBMITTED/<student>/<assignment>/NN-name.ipynb``) into the course's
``submitted/``, runs ``nbgrader autograde`` and ``nbgrader generate_feedback``,
and writes the gradebook CSV (default ``build/nbgrader/grades.csv``): one row per
student, notebook and exercise, with the points and the checker's message as
feedback. Nothing in SUBMITTED is changed.
"""
import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import nbformat

from bncourse.tools import student
from bncourse import notebook as course
from bncourse.checks.core import without_colours

from bncourse import ROOT
COURSE = ROOT / "build" / "nbgrader"
ASSIGNMENT = "bn-backward"
COURSE_ID = "bn-course"
SCHEMA_VERSION = 3
NBGRADER = Path(sys.executable).parent / "nbgrader"

# Points: one per exercise; an exercise that assembles a whole pass or a whole gradient out of
# several chain-rule terms is worth two. Change a value here (or add an exercise id) and run
# `make release` again.
DEFAULT_POINTS = 1
POINTS = {
    "01.1": 2,   # the forward pass
    "02.3": 2,   # the whole backward pass, node by node
    "04.2": 2,   # the three terms of dx for the unbiased variance
    "05.1": 2,   # the compact backward pass
    "07.2": 2,   # the LayerNorm backward pass
    "09.1": 2,   # one training step of the network
    "13.4": 2,   # BatchNorm's whole backward pass, inside the network
    "15.1": 2,   # SyncBatchNorm's backward pass over shards
    "15.2": 2,   # the RMSNorm backward pass
}


# ----------------------------------------------------------------------------- exercises

class Exercise(NamedTuple):
    """Exercise ``id`` ("03.2"): the solution cell, the checker cell after it, and its title."""

    id: str
    title: str
    solution: int       # index of the code cell holding ### BEGIN SOLUTION
    checker: int        # index of the checker cell that follows it
    check: str          # the checker it calls, e.g. "check_scale_shift_backward"

    @property
    def slug(self):
        return self.id.replace(".", "-")


def find_exercises(nb, number):
    """The exercises of notebook ``number`` ("03"), as :func:`bncourse.notebook.solution_exercises` finds
    them ("03.2" for the second code exercise, "03.q1" for a question); each must be checked by the
    next code cell, tagged ``checker``."""
    found = []
    for ex in course.solution_exercises(nb, number):
        following = [i for i in range(ex.answer + 1, len(nb.cells)) if nb.cells[i].cell_type == "code"]
        if not following or following[0] != ex.checker:
            raise ValueError(f"exercise {ex.id} (cell {ex.answer}): the next code cell is not "
                             f"tagged {course.CHECKER_TAG!r}")
        calls = re.findall(r"\b(check_\w+)\s*\(", nb.cells[ex.checker].source)
        found.append(Exercise(ex.id, ex.title, ex.answer, ex.checker, calls[-1] if calls else ""))
    return found


def points(exercise):
    return POINTS.get(exercise.id, DEFAULT_POINTS)


# ----------------------------------------------------------------------------- release

def nbgrader_metadata(**fields):
    return dict(fields, schema_version=SCHEMA_VERSION)


def source_notebook(solution_path):
    """The nbgrader source version of one solution notebook (nothing is written)."""
    solution_path = Path(solution_path)
    nb = nbformat.read(solution_path, as_version=4)
    exercises = find_exercises(nb, solution_path.name[:2])
    solutions = {e.solution: e for e in exercises}
    checkers = {e.checker: e for e in exercises}
    for index, cell in enumerate(nb.cells):
        if index in solutions:
            meta = nbgrader_metadata(solution=True, grade=False, locked=False,
                                     grade_id=f"ex-{solutions[index].slug}")
        elif index in checkers:
            meta = nbgrader_metadata(solution=False, grade=True, locked=True,
                                     points=points(checkers[index]), grade_id=f"check-{checkers[index].slug}")
            tags = cell.metadata.get("tags", [])
            if course.RAISES_TAG not in tags:   # as in the learner copies: Run All goes on past it
                cell.metadata["tags"] = tags + [course.RAISES_TAG]
        else:
            meta = nbgrader_metadata(solution=False, grade=False, locked=True, grade_id=f"cell-{cell.id}")
        cell.metadata["nbgrader"] = meta
    return nb


def config_text(root):
    """nbgrader_config.py of the course directory: the gradebook, the kernel's time, the stubs."""
    return f'''# Written by `make release` (bncourse/tools/nbgrader_course.py); regenerated each time.
from bncourse.tools.nbgrader_stubs import course_preprocessors

c = get_config()
c.CourseDirectory.course_id = {COURSE_ID!r}
c.CourseDirectory.root = {str(root)!r}
c.CourseDirectory.db_url = {"sqlite:///" + str(root / "gradebook.db")!r}
# nbgrader's generate_assignment with the course's stubs in place of ClearSolutions' own
c.GenerateAssignment.preprocessors = course_preprocessors()
# the longest cell of the course (a training run) takes a few seconds; nbgrader's default is 30 s
c.Execute.timeout = 120
'''


def selected(numbers):
    paths = student.solution_paths()
    if not numbers:
        return paths
    chosen = [p for p in paths if p.name[:2] in numbers]
    missing = sorted(set(numbers) - {p.name[:2] for p in chosen})
    if missing:
        raise SystemExit(f"no solution notebook numbered {', '.join(missing)}")
    return chosen


def nbgrader(root, *args):
    """Run one nbgrader command in the course directory; stop with its log if it fails."""
    # nbgrader runs `alembic` (its gradebook's migrations) from PATH: the environment's bin first
    env = dict(os.environ, PATH=f"{NBGRADER.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    done = subprocess.run([str(NBGRADER), *args], cwd=root, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"nbgrader {' '.join(args)} failed (exit {done.returncode})")
    return done.stdout + done.stderr


def release(root=COURSE, assignment=ASSIGNMENT, numbers=None):
    """Write source/<assignment>/ and let nbgrader's generate_assignment build release/<assignment>/."""
    root = Path(root).resolve()
    source = root / "source" / assignment
    if source.exists():
        shutil.rmtree(source)
    source.mkdir(parents=True)
    (root / "nbgrader_config.py").write_text(config_text(root))
    for path in selected(numbers):
        nbformat.write(source_notebook(path), source / path.name)
    nbgrader(root, "generate_assignment", assignment, "--force")
    released = sorted((root / "release" / assignment).glob("*.ipynb"))
    print(f"released {len(released)} notebooks: {root / 'release' / assignment}")
    return released


# ----------------------------------------------------------------------------- autograde

def cell_feedback(cell):
    """What a test cell said: the checker's message (a failure), else its printed line.

    A failure that is not the checker's (a NameError when the learner deleted the
    function, say) gives its exception's name and message, no traceback.
    """
    for output in cell.get("outputs", []):
        if output.output_type == "error":   # a checker's message, or the error that stopped the cell
            return output.evalue if output.ename == "CheckFailed" else f"{output.ename}: {output.evalue}"
    printed = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream")
    return without_colours(printed).strip()


def gradebook_rows(root, assignment):
    """One dict per student, notebook and exercise: points from nbgrader's gradebook,
    feedback from the autograded notebook's checker cell."""
    from nbgrader.api import Gradebook

    rows = []
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for submission in sorted(gb.assignment_submissions(assignment), key=lambda s: s.student.id):
            for nb_submission in sorted(submission.notebooks, key=lambda n: n.name):
                path = root / "autograded" / submission.student.id / assignment / f"{nb_submission.name}.ipynb"
                cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c
                         for c in nbformat.read(path, as_version=4).cells}
                order = list(cells)
                for grade in sorted(nb_submission.grades, key=lambda g: order.index(g.name)):
                    if not grade.name.startswith("check-"):
                        continue
                    rows.append({
                        "student": submission.student.id,
                        "notebook": nb_submission.name,
                        "exercise": grade.name[len("check-"):].replace("-", "."),
                        "points": grade.score,
                        "max_points": grade.max_score,
                        "feedback": cell_feedback(cells[grade.name]),
                    })
    return rows


CSV_COLUMNS = ["student", "notebook", "exercise", "points", "max_points", "feedback"]


def autograde(submitted, root=COURSE, assignment=ASSIGNMENT, csv_path=None):
    """Grade SUBMITTED/<student>/<assignment>/ with nbgrader; write the gradebook CSV and feedback."""
    root, submitted = Path(root).resolve(), Path(submitted).resolve()
    if not (root / "release" / assignment).is_dir():
        raise SystemExit(f"no release of {assignment} in {root}: run `make release` first")
    students = sorted(p.parent.name for p in submitted.glob(f"*/{assignment}") if p.is_dir())
    if not students:
        raise SystemExit(f"{submitted} holds no <student>/{assignment}/ folder (nbgrader's submitted layout)")
    target = root / "submitted"
    if submitted != target.resolve():
        for name in students:
            if (target / name / assignment).exists():
                shutil.rmtree(target / name / assignment)
            shutil.copytree(submitted / name / assignment, target / name / assignment)
    nbgrader(root, "autograde", assignment, "--force")
    nbgrader(root, "generate_feedback", assignment, "--force")
    rows = gradebook_rows(root, assignment)
    csv_path = Path(csv_path) if csv_path else root / "grades.csv"
    with open(csv_path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"graded {len(students)} students: {csv_path}, feedback in {root / 'feedback'}")
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rel = sub.add_parser("release", help="write source/ and release/ of the course directory")
    rel.add_argument("notebooks", nargs="*", help="notebook numbers (default: all)")
    grade = sub.add_parser("autograde", help="grade a folder of submitted notebooks")
    grade.add_argument("submitted", type=Path, help="folder of <student>/<assignment>/NN-name.ipynb")
    grade.add_argument("--csv", type=Path, help="the gradebook CSV (default: ROOT/grades.csv)")
    for p in (rel, grade):
        p.add_argument("--root", type=Path, default=Path(os.environ.get("NBGRADER_ROOT", COURSE)),
                       help="the nbgrader course directory (default: build/nbgrader)")
        p.add_argument("--assignment", default=ASSIGNMENT, help=f"assignment name (default: {ASSIGNMENT})")
    args = parser.parse_args(argv)
    if args.command == "release":
        release(args.root, args.assignment, args.notebooks)
    else:
        autograde(args.submitted, args.root, args.assignment, args.csv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
