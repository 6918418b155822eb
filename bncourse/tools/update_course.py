"""Bring the course up to date with `git pull`, keeping every edit a learner made (`make update`).

    python -m bncourse.tools.update_course

1. Every learner copy (notebooks/NN-name.ipynb) that git sees as changed is
   copied to notebooks/.backup/update-<time>/.
2. Those files are set back to their committed version, so that `git pull`
   can update them.
3. `git pull --ff-only`.
4. The learner's copies are put back, byte for byte; then, as `make student`
   does, each one whose notebook the course changed gets the new version
   written beside it (NN-name.new.ipynb) with the list of exercises that changed.

If `git pull` fails, the learner's copies are put back at once and the message
of git says why. The backup folder is kept.
"""
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bncourse import ROOT
from bncourse.tools import student

LEARNER_COPY = re.compile(r"^notebooks/\d\d-[^/]+\.ipynb$")


def git(*args):
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)


def changed_learner_copies():
    """The learner copies that git sees as changed (tracked and modified)."""
    status = git("status", "--porcelain", "--untracked-files=no", "--", "notebooks")
    if status.returncode != 0:
        raise SystemExit(f"git status failed: {status.stderr.strip()} (is this a clone of the course?)")
    paths = [line[3:].strip() for line in status.stdout.splitlines() if line[:2].strip() in ("M", "MM", "AM")]
    return [p for p in paths if LEARNER_COPY.match(p) and not p.endswith(".new.ipynb")]


def put_back(saved, folder):
    for path in saved:
        shutil.copyfile(folder / Path(path).name, ROOT / path)


def update():
    saved = changed_learner_copies()
    folder = student.NOTEBOOKS / student.BACKUP / time.strftime("update-%Y%m%d-%H%M%S")
    if saved:
        folder.mkdir(parents=True)
        for path in saved:
            shutil.copyfile(ROOT / path, folder / Path(path).name)
        print(f"saved your {len(saved)} edited notebook(s) in {folder.relative_to(ROOT)}")
        restore = git("checkout", "--", *saved)
        if restore.returncode != 0:
            put_back(saved, folder)
            raise SystemExit(f"git checkout failed: {restore.stderr.strip()}; your notebooks are as they were")
    pull = git("pull", "--ff-only")
    put_back(saved, folder)
    if pull.returncode != 0:
        print(pull.stdout + pull.stderr, file=sys.stderr)
        raise SystemExit("git pull failed (its message is above); your notebooks are as they were. "
                         "If git names files you changed outside notebooks/, commit or stash them first.")
    print(pull.stdout.strip() or "git pull: done")
    if saved:
        print(f"put your notebooks back: {', '.join(Path(p).name for p in saved)}")
    student.write_all()


if __name__ == "__main__":
    update()
