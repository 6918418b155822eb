"""`make update` (the README's "Updating the course"): git pull with edited notebooks keeps every learner edit.

A small course is committed in a temporary "upstream" repository and cloned as
the learner's. The learner edits a notebook; the course then changes that
notebook's first exercise and another notebook. `python -m bncourse.tools.update_course` (what
`make update` runs) must pull the new course, give back the learner's notebook
byte for byte, write the new version beside it and name the changed exercise.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from bncourse import notebook as course

ROOT = Path(__file__).resolve().parents[1]
GIT_ENV = {"GIT_AUTHOR_NAME": "Course", "GIT_AUTHOR_EMAIL": "course@example.org",
           "GIT_COMMITTER_NAME": "Course", "GIT_COMMITTER_EMAIL": "course@example.org"}

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(repo, *args):
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env={**os.environ, **GIT_ENV})
    assert done.returncode == 0, done.stderr
    return done.stdout


def solution(prompt):
    new = nbformat.v4
    return new.new_notebook(cells=[
        new.new_markdown_cell(f"### Exercise 1: plus one\n\n{prompt}"),
        new.new_code_cell("def f(x):\n    ### BEGIN SOLUTION\n    return x + 1\n    ### END SOLUTION"),
        new.new_code_cell("assert f(1) == 2", metadata={"tags": ["checker"]}),
        new.new_markdown_cell("### Exercise 2: twice"),
        new.new_code_cell("def g(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"),
        new.new_code_cell("assert g(1) == 2", metadata={"tags": ["checker"]})])


def write_course(repo, prompt, other="A second notebook."):
    """The solutions and their generated learner copies, as the course commits them."""
    solutions = repo / "notebooks" / "solutions"
    solutions.mkdir(parents=True, exist_ok=True)
    nbformat.write(solution(prompt), solutions / "01-demo.ipynb")
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(other)]),
                   solutions / "02-other.ipynb")
    for sol in solutions.glob("*.ipynb"):
        (repo / "notebooks" / sol.name).write_text(course.render(course.learner_notebook(sol)))


def test_make_update_keeps_every_learner_edit(tmp_path):
    upstream, learner = tmp_path / "upstream", tmp_path / "learner"
    upstream.mkdir()
    (upstream / ".gitignore").write_text("notebooks/.backup/\n")
    write_course(upstream, "Write `f(x)` returning x + 1.")
    git(upstream, "init", "-q", "-b", "main")
    git(upstream, "add", "-A")
    git(upstream, "commit", "-qm", "course, first version")
    git(tmp_path, "clone", "-q", str(upstream), str(learner))

    mine_path = learner / "notebooks" / "01-demo.ipynb"
    nb = nbformat.read(mine_path, as_version=4)
    nb.cells[1].source = nb.cells[1].source.replace("raise NotImplementedError", "return x + 1")
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="ran\n")]
    nb.cells.insert(3, nbformat.v4.new_markdown_cell("My note: f shifts by one."))
    nbformat.write(nb, mine_path)
    mine = mine_path.read_bytes()
    (learner / "notebooks" / "my-scratch.ipynb").write_text("{}")      # a file of the learner's own

    write_course(upstream, "Write `f(x)` returning x + 1, as a float.", other="A second notebook, revised.")
    git(upstream, "commit", "-qam", "course, second version")

    done = subprocess.run([sys.executable, "-m", "bncourse.tools.update_course"], cwd=learner,
                          capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV, "BNCOURSE_ROOT": str(learner)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert mine_path.read_bytes() == mine                                # the learner's notebook, as it was
    assert (learner / "notebooks" / "my-scratch.ipynb").read_text() == "{}"
    assert "revised" in (learner / "notebooks" / "02-other.ipynb").read_text()        # the course moved on
    assert "as a float" in (learner / "notebooks" / "solutions" / "01-demo.ipynb").read_text()
    beside = learner / "notebooks" / "01-demo.new.ipynb"
    assert "as a float" in beside.read_text()
    assert "01.1 Exercise 1: plus one" in done.stdout and "01.2" not in done.stdout
    backups = list((learner / "notebooks" / ".backup").glob("update-*/01-demo.ipynb"))
    assert [b.read_bytes() for b in backups] == [mine]


def test_a_failed_pull_leaves_the_learners_notebooks_as_they_were(tmp_path):
    repo = tmp_path / "alone"
    write_course(repo, "Write `f(x)`.")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "course")
    mine_path = repo / "notebooks" / "01-demo.ipynb"
    mine_path.write_text(mine_path.read_text().replace("raise NotImplementedError", "return x + 1"))
    mine = mine_path.read_bytes()
    done = subprocess.run([sys.executable, "-m", "bncourse.tools.update_course"], cwd=repo, capture_output=True,
                          text=True, env={**os.environ, "BNCOURSE_ROOT": str(repo)})
    assert done.returncode != 0                                # no remote to pull from
    assert "git pull failed" in done.stderr
    assert mine_path.read_bytes() == mine
