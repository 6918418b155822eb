"""Execute solution notebooks in place, top to bottom in a fresh kernel (for authors).

    python -m bncourse.tools.execute                          # every notebook in notebooks/solutions/
    python -m bncourse.tools.execute notebooks/solutions/01-forward.ipynb
    python -m bncourse.tools.execute 16                       # make execute NB=16: by its number

The stored outputs are what `make test` (nbval) compares against, so run this
after changing a solution notebook, then `make student`. Tests never run it.
No timestamps are stored (nbclient's ``record_timing`` is off, and old ones are
removed), so a re-run changes only what the cells print; no widget state is stored (a figure you can
move shows its static twin outside JupyterLab). The text alternative of each figure
cell (its metadata "alt") is copied into the metadata of its image outputs
(:func:`bncourse.alt_text.copy_alt_to_outputs`).
"""
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from bncourse import ROOT
from bncourse.alt_text import copy_alt_to_outputs
from bncourse.notebook import KERNEL, KERNELSPEC, names_notebook

SOLUTIONS = ROOT / "notebooks" / "solutions"


def execute(path, timeout=120):
    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    nb.metadata.kernelspec = KERNELSPEC
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)
    # store_widget_state=False: the state of a figure's control (bncourse.widgets) is the kernel's, not the
    # notebook's; without it the book and nbval show the control's text line and the static figure.
    client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL, record_timing=False, store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    copy_alt_to_outputs(nb)
    nbformat.write(nb, path)
    return time.perf_counter() - start


def solution_path(name):
    """The solution notebook ``name`` names: a path, or its number ("3", "03") or the start of its name."""
    if Path(name).is_file():
        return Path(name)
    found = [p for p in sorted(SOLUTIONS.glob("[0-9][0-9]-*.ipynb")) if names_notebook(name, p)]
    if len(found) != 1:
        raise SystemExit(f"{name!r} names {'no' if not found else len(found)} solution notebooks: give a "
                         "path, or a notebook's number (NB=16)")
    return found[0]


def main(argv):
    os.environ.setdefault("PYTHONHASHSEED", "0")
    paths = [solution_path(a) for a in argv] or sorted(SOLUTIONS.glob("[0-9][0-9]-*.ipynb"))
    for p in paths:
        seconds = execute(p)
        print(f"executed {Path(p).relative_to(ROOT) if Path(p).is_absolute() else p} in {seconds:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
