"""Generate the learner notebooks from the solution notebooks, and give a learner a fresh copy.

    python -m bncourse.tools.student               # write notebooks/NN-*.ipynb from notebooks/solutions/NN-*.ipynb
    python -m bncourse.tools.student --check       # exit 1 if an untouched learner copy is out of date (writes nothing)
    python -m bncourse.tools.student --reset 03    # a fresh copy of notebook 03; the learner's goes to notebooks/.backup/

How a learner copy is made (stubs, exercise ids, outputs cleared) is
:func:`bncourse.notebook.learner_notebook`. Each copy records a hash of the cells
it was generated with. A copy whose cells still match that hash is untouched
and is brought up to date; a copy whose cells differ belongs to the learner and
is never overwritten. When the course changes a notebook that the learner has
edited, the new version is written beside it (``NN-name.new.ipynb``) with the
list of exercises that changed.
"""
import argparse
import shutil
import sys
import time
from pathlib import Path

import nbformat

from bncourse import ROOT
from bncourse.notebook import (changed_exercises, differences, edited_by_learner, learner_notebook, names_notebook,
                               render)

NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = NOTEBOOKS / "solutions"
BACKUP = ".backup"


def solution_paths():
    return sorted(SOLUTIONS.glob("[0-9][0-9]-*.ipynb"))


def learner_path(solution_path):
    return NOTEBOOKS / Path(solution_path).name


def new_version_path(solution_path):
    """Where the new version of an edited learner copy is written: NN-name.new.ipynb beside it."""
    return NOTEBOOKS / (Path(solution_path).stem + ".new.ipynb")


def shown(path):
    return Path(path).relative_to(ROOT) if Path(path).is_relative_to(ROOT) else Path(path)


def out_of_date():
    """Names of the untouched learner copies that differ from what their solutions generate.

    A copy the learner has edited belongs to the learner and is not compared;
    outputs, execution counts and JupyterLab's session metadata never count.
    """
    stale = []
    for sol in solution_paths():
        target = learner_path(sol)
        if not target.exists():
            stale.append(target.name)
            continue
        mine = nbformat.read(target, as_version=4)
        if not edited_by_learner(mine) and differences(mine, learner_notebook(sol)):
            stale.append(target.name)
    return stale


def backup(path):
    """Move ``path`` to notebooks/.backup/<stem>.<time>.ipynb (never over another file); return where."""
    folder = NOTEBOOKS / BACKUP
    folder.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{Path(path).stem}.{stamp}.ipynb"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{Path(path).stem}.{stamp}-{n}.ipynb"
    shutil.move(path, target)
    return target


def describe(exercises_):
    return "; ".join(f"{ex.id} {ex.title}" for ex in exercises_)


def write_new_version(sol, mine, generated):
    """The course changed a notebook the learner edited: write the new version beside it, say what changed."""
    target, beside = learner_path(sol), new_version_path(sol)
    text = render(generated)
    if beside.exists() and beside.read_text() != text:
        if edited_by_learner(nbformat.read(beside, as_version=4)):
            print(f"moved {shown(beside)} (edited) to {shown(backup(beside))}")
        beside.unlink(missing_ok=True)
    if not beside.exists():
        beside.write_text(text)
    changed, removed = changed_exercises(mine, generated)
    print(f"kept {shown(target)}: you edited it, and the course has a new version of it, written "
          f"beside it as {shown(beside)}.")
    if changed:
        print(f"    exercises new or changed: {describe(changed)}")
    if removed:
        print(f"    exercises no longer in the course: {', '.join(removed)}")
    if not changed and not removed:
        print("    no exercise changed, only the text and code around them")
    print(f"    Copy your answers into the new version, or run `make reset NB={sol.name[:2]}` to start "
          "from it (your copy then goes to notebooks/.backup/).")


def write_all():
    """Write every learner copy that is missing or out of date, never one a learner edited.

    Returns the number of edited copies kept.
    """
    kept = 0
    for sol in solution_paths():
        target = learner_path(sol)
        generated = learner_notebook(sol)
        if not target.exists():
            target.write_text(render(generated))
            print(f"wrote {shown(target)}")
            continue
        mine = nbformat.read(target, as_version=4)
        if not edited_by_learner(mine):
            if differences(mine, generated):
                target.write_text(render(generated))
                print(f"wrote {shown(target)}")
            continue
        kept += 1
        if mine.metadata.get("bncourse", {}).get("cells_sha256") == generated.metadata["bncourse"]["cells_sha256"]:
            print(f"kept {shown(target)}: edited since it was generated, so it is left as it is "
                  f"(`make reset NB={sol.name[:2]}` gives you a fresh copy and keeps yours in notebooks/.backup/)")
        else:
            write_new_version(sol, mine, generated)
    return kept


def find_solution(name):
    """The solution notebook that "03", "03-gamma-beta" or "notebooks/03-gamma-beta.ipynb" names."""
    matches = [p for p in solution_paths() if names_notebook(name, p)]
    if len(matches) != 1:
        names = ", ".join(p.name[:2] for p in solution_paths())
        raise SystemExit(f"no single notebook is called {name!r}: give its number, one of {names}")
    return matches[0]


def reset(name):
    """A fresh learner copy of one notebook; the learner's copy is moved to notebooks/.backup/, never deleted."""
    sol = find_solution(name)
    target, text = learner_path(sol), render(learner_notebook(sol))
    if target.exists() and target.read_text() == text:
        print(f"{shown(target)} is already a fresh copy: nothing to do")
        return None
    moved = backup(target) if target.exists() else None
    target.write_text(text)
    if moved:
        print(f"moved your copy to {shown(moved)}")
    print(f"wrote a fresh {shown(target)}")
    return moved


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale untouched learner copies")
    parser.add_argument("--reset", metavar="NB", help="a fresh copy of notebook NB (e.g. 03)")
    args = parser.parse_args(argv)
    if args.check:
        stale = out_of_date()
        for name in stale:
            print(f"out of date: notebooks/{name} (run `make student`)")
        return 1 if stale else 0
    if args.reset is not None:
        reset(args.reset)
        return 0
    write_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
