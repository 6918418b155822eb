"""Generate the learner notebooks from the solution notebooks.

    python tools/student.py            # write notebooks/NN-*.ipynb from notebooks/solutions/NN-*.ipynb
    python tools/student.py --check    # exit 1 if a learner copy is out of date (writes nothing)

In a solution notebook, the answer to an exercise sits between two marker lines::

    def forward(x, gamma, beta, eps):
        ### BEGIN SOLUTION
        ...the answer...
        ### END SOLUTION

In the learner copy the answer is replaced by a stub with the indentation of
the BEGIN line::

        # YOUR CODE HERE
        raise NotImplementedError

An answer that is one assignment (a conceptual question's ``answer = "b"``)
becomes that assignment with ``...`` as its value, so that the cell runs and
the checker after it says the question is not answered yet::

    answer = ...  # YOUR ANSWER HERE

Outputs are cleared, so the learner starts from a clean page. Each learner
copy records, in its metadata, a hash of the cells it was generated with.
A learner copy whose cells no longer match that hash has been edited by a
learner; it is never overwritten: the script says so and leaves it alone.
"""
import argparse
import copy
import hashlib
import json
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = NOTEBOOKS / "solutions"

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUB = ["# YOUR CODE HERE", "raise NotImplementedError"]
ANSWER_STUB = "{name} = ...  # YOUR ANSWER HERE"
ONE_ASSIGNMENT = re.compile(r"^\s*([A-Za-z_][A-Za-z_0-9]*)\s*=[^=]")
CHECKER_TAG = "checker"
# The course's kernel, registered by `make env` (and by binder/postBuild) inside the environment:
# every notebook asks for it by name, so no other "python3" kernel on the machine can shadow it.
KERNEL = "bn-course"
KERNELSPEC = {"name": KERNEL, "display_name": "Python (BatchNorm course)", "language": "python"}
RAISES_TAG = "raises-exception"  # JupyterLab and nbclient: an error here does not stop the run
META_KEY = "bncourse"


class MarkerError(ValueError):
    """A solution cell whose BEGIN/END markers do not pair up."""


def stub_for(block, indent):
    """The stub lines for one solution block (its lines between the markers)."""
    match = ONE_ASSIGNMENT.match(block[0]) if len(block) == 1 else None
    if match:
        return [indent + ANSWER_STUB.format(name=match.group(1))]
    return [indent + s for s in STUB]


def stub_source(source, where="cell"):
    """Replace every BEGIN/END SOLUTION block of one cell's source by the stub."""
    out, inside, indent, block = [], False, "", []
    for lineno, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise MarkerError(f"{where}, line {lineno}: {BEGIN} inside another solution block")
            inside, block = True, []
            indent = line[: len(line) - len(line.lstrip())]
        elif stripped == END:
            if not inside:
                raise MarkerError(f"{where}, line {lineno}: {END} without {BEGIN}")
            inside = False
            out.extend(stub_for(block, indent))
        elif inside:
            block.append(line)
        else:
            out.append(line)
    if inside:
        raise MarkerError(f"{where}: {BEGIN} is never closed")
    return "\n".join(out)


def cells_hash(nb):
    """Hash of the cell types and sources: what a learner edits."""
    payload = [(c.cell_type, c.source) for c in nb.cells]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


def learner_notebook(solution_path):
    """The learner copy of one solution notebook, as a NotebookNode (nothing is written)."""
    solution_path = Path(solution_path)
    nb = nbformat.read(solution_path, as_version=4)
    learner = copy.deepcopy(nb)
    for index, cell in enumerate(learner.cells):
        if cell.cell_type == "code":
            cell.source = stub_source(cell.source, f"{solution_path.name}, cell {index}")
            cell.outputs = []
            cell.execution_count = None
            tags = cell.metadata.get("tags", [])
            if CHECKER_TAG in tags and RAISES_TAG not in tags:
                # the checker fails on the stub; JupyterLab's "Run All" goes on past this cell
                cell.metadata["tags"] = tags + [RAISES_TAG]
    learner.metadata[META_KEY] = {
        "generated_from": f"solutions/{solution_path.name}",
        "cells_sha256": cells_hash(learner),
    }
    return learner


def solution_paths():
    return sorted(SOLUTIONS.glob("[0-9][0-9]-*.ipynb"))


def learner_path(solution_path):
    return NOTEBOOKS / Path(solution_path).name


def edited_by_learner(path):
    """True when the learner copy's cells differ from those it was generated with."""
    nb = nbformat.read(path, as_version=4)
    recorded = nb.metadata.get(META_KEY, {}).get("cells_sha256")
    return recorded is None or recorded != cells_hash(nb)


def render(nb):
    return nbformat.writes(nb) + "\n"


def out_of_date():
    """Names of learner copies that differ from what their solutions generate."""
    stale = []
    for sol in solution_paths():
        target = learner_path(sol)
        if not target.exists() or target.read_text() != render(learner_notebook(sol)):
            stale.append(target.name)
    return stale


def write_all():
    """Write every learner copy that is missing or stale, never one a learner edited."""
    kept = 0
    for sol in solution_paths():
        target = learner_path(sol)
        text = render(learner_notebook(sol))
        if target.exists():
            if target.read_text() == text:
                continue
            if edited_by_learner(target):
                kept += 1
                print(f"kept {target.relative_to(ROOT)}: edited since it was generated, "
                      "so it is left as it is (move it away to get a fresh copy)")
                continue
        target.write_text(text)
        print(f"wrote {target.relative_to(ROOT)}")
    return kept


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale learner copies")
    args = parser.parse_args(argv)
    if args.check:
        stale = out_of_date()
        for name in stale:
            print(f"out of date: notebooks/{name} (run `make student`)")
        return 1 if stale else 0
    write_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
