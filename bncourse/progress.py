"""The learner's progress: every exercise of the course, done, wrong, broken or not started.

    python -m bncourse.progress            # every learner notebook in notebooks/ (make progress)
    python -m bncourse.progress 03 05      # some of them (make progress NB=03, or NB=3)

Each learner notebook (``notebooks/NN-name.ipynb``) is executed top to bottom
in a fresh kernel, in a temporary copy of ``notebooks/`` (nothing is written
into it), and each exercise is classified:

* **not started**: the stub is as generated, or the checker says the exercise is
  not done yet (the function still raises NotImplementedError);
* **done**: its checker passes;
* **wrong**: its checker raises CheckFailed: the message names the mistake;
* **broken**: the learner's code raises somewhere else (in the answer cell, or
  the checker cannot call it), or the function returns None: its stub was
  edited, so the work is there, but a missing ``return`` hides it.

A cell the learner changed or added that fails, or a course cell that fails
after such a change, is reported too. A notebook whose code cells are all as
generated is not executed: all its exercises are not started. The checker
that runs is always the course's own call, even where the learner edited or
deleted the checker cell.

``show_progress()`` prints the same table inside JupyterLab (the last section
of ``00-start-here``). It reads the notebooks as saved: save first.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from bncourse import ROOT
from bncourse.checks.core import without_colours
from bncourse.notebook import (KERNEL, edited_by_learner, exercises, heading_above, learner_exercises,
                          learner_notebook, names_notebook)

DONE, WRONG, BROKEN, NOT_STARTED = "done", "wrong", "broken", "not started"
MARKS = {DONE: "\u2714", WRONG: "\u2717", BROKEN: "\u2717", NOT_STARTED: "\u00b7"}
MESSAGE_LINES = 7
TIMEOUT = 120
FIX_LINE = "exit 1: something to fix (an exercise above is wrong or broken), not a crash"


@dataclass
class ExerciseResult:
    """What became of one exercise: its id ("03.2"), title, status, and the message that explains it."""
    id: str
    title: str
    status: str
    message: str = ""


@dataclass
class NotebookReport:
    """One learner notebook: its exercises, the other cells that failed, and whether it was run."""
    name: str
    exercises: list
    failing_cells: list = field(default_factory=list)
    executed: bool = False
    missing: bool = False

    @property
    def done(self):
        return sum(r.status == DONE for r in self.exercises)

    @property
    def failed(self):
        """True when an exercise is wrong or broken, or a cell the learner's work touched fails."""
        return bool(self.failing_cells) or any(r.status in (WRONG, BROKEN) for r in self.exercises)


# ---------------------------------------------------------------- classification

def first_error(cell):
    return next((o for o in cell.get("outputs", []) if o.output_type == "error"), None)


def shorten(text, lines=MESSAGE_LINES):
    """The first lines of a message, without terminal colours."""
    kept = without_colours(text).strip().splitlines()
    return "\n".join(kept[:lines] + (["..."] if len(kept) > lines else []))


def checker_message(text):
    """A checker's message without its worked example: the diagnosis, where it happened, the hint (its
    first step only: ``hint("02.3")`` gives the next ones in a notebook) and the line that rebuilds the
    checker's input."""
    lines = without_colours(text).strip().splitlines()
    hint = next((i for i, line in enumerate(lines) if line.startswith("Hint:")), len(lines))
    kept = [lines[0]] + [line for line in lines[1:hint] if line.startswith("(in ")] + lines[hint:]
    if hint > 1 and len(kept) < len(lines):
        kept.append("(the notebook shows the checker's whole message, with a small example)")
    return shorten("\n".join(kept))


def classify(answer, checker, stub):
    """The status of one executed exercise from its answer cell, its checker cell and the generated stub."""
    if answer.source.strip() == stub.strip():
        return NOT_STARTED, ""
    error = first_error(answer)
    if error is not None:
        return BROKEN, f"your answer cell raised {error.ename}: {shorten(error.evalue, 2)}"
    error = first_error(checker)
    if error is None:
        return DONE, ""
    if error.ename == "CheckFailed":
        first = error.evalue.splitlines()[0] if error.evalue else ""
        if "returned None" in first:      # the stub was edited: a missing return hides the work
            return BROKEN, checker_message(error.evalue)
        if "not done yet" in error.evalue:
            return NOT_STARTED, shorten(error.evalue, 1)
        if "your function raised" in first:
            return BROKEN, checker_message(error.evalue)
        return WRONG, checker_message(error.evalue)
    if error.ename == "KeyboardInterrupt":   # nbclient stops a cell at the time limit
        return BROKEN, f"the checker was stopped after {TIMEOUT} s: does your code loop forever?"
    if error.ename == "NameError":
        return BROKEN, (f"the checker could not find your function ({error.evalue}): did you rename it, "
                        "or does the answer cell not define it?")
    return BROKEN, f"the checker raised {error.ename}: {shorten(error.evalue, 2)}"


def where(cells, index):
    """A cell described so that a learner finds it: the heading above it and its first line."""
    first = next((line for line in cells[index].source.splitlines() if line.strip()), "(empty)")
    heading = heading_above(cells, index)
    return (f"under \"{heading}\", " if heading else "") + f"the cell that starts `{first.strip()[:60]}`"


def run(nb, folder):
    """Execute ``nb`` in a fresh course kernel with ``folder`` as its working directory; errors are kept.

    Figures are drawn by matplotlib's Agg backend and not rendered as images
    (no one sees them here), and the kernel's own log lines are not shown.
    """
    from nbclient import NotebookClient
    client = NotebookClient(nb, timeout=TIMEOUT, kernel_name=KERNEL, allow_errors=True,
                            resources={"metadata": {"path": str(folder)}})
    env = dict(os.environ, MPLBACKEND="Agg", BNLIB_PROGRESS_SKIP="1")   # 00's progress cell: not again
    client.execute(env=env, stderr=subprocess.DEVNULL)


def evaluate_notebook(learner, solution, workdir):
    """Execute one learner notebook (in ``workdir``, a copy of notebooks/) and classify its exercises."""
    learner = Path(learner)
    generated = learner_notebook(solution)
    reference = {ex.id: ex for ex in exercises(generated)}
    none_started = [ExerciseResult(ex.id, ex.title, NOT_STARTED) for ex in reference.values()]
    if not learner.exists():
        return NotebookReport(learner.stem, none_started, missing=True)
    try:
        mine = nbformat.read(learner, as_version=4)
    except Exception as exc:   # a file half saved, or edited outside JupyterLab
        return NotebookReport(learner.stem, none_started,
                              [f"the file is not a notebook that can be read ({type(exc).__name__}: "
                               f"{shorten(exc, 1)}): open it in JupyterLab and save it again"])
    code = [c.source for c in mine.cells if c.cell_type == "code"]
    untouched = not edited_by_learner(mine) or code == [c.source for c in generated.cells
                                                        if c.cell_type == "code"]
    if untouched:
        return NotebookReport(learner.stem, none_started)
    nb, found = with_course_checkers(mine, generated)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    stopped = None
    try:
        run(nb, workdir)
    except Exception as exc:   # a cell over the time limit (an endless loop?) or a kernel that died
        stopped = f"the notebook stopped: {type(exc).__name__}: {shorten(exc, 1)}"
    results, exercise_cells = [], set()
    for ex in reference.values():
        if ex.id not in found:
            results.append(ExerciseResult(ex.id, ex.title, NOT_STARTED, "its answer cell is gone"))
            continue
        answer, checker = found[ex.id]
        exercise_cells.update({id(answer), id(checker)})
        status, message = classify(answer, checker, generated.cells[ex.answer].source)
        if stopped and checker.get("execution_count") is None and status != NOT_STARTED:
            status, message = BROKEN, f"its checker did not run ({stopped})"
        results.append(ExerciseResult(ex.id, ex.title, status, message))
    course_code = {c.source for c in generated.cells if c.cell_type == "code"}
    failing = []
    for index, cell in enumerate(nb.cells):
        error = first_error(cell) if cell.cell_type == "code" else None
        if error is None or id(cell) in exercise_cells:
            continue
        whose = "a cell you changed or added" if cell.source not in course_code else \
            "a course cell, failing after a change above it"
        failing.append(f"{where(nb.cells, index)} ({whose}) raised {error.ename}: {shorten(error.evalue, 2)}")
    if stopped:
        failing.append(stopped)
    return NotebookReport(learner.stem, results, failing, executed=True)


def with_course_checkers(mine, generated):
    """A copy of the learner's notebook in which every exercise is followed by the course's checker call.

    Returns the copy and {exercise id: (answer cell, checker cell)}: a checker
    cell the learner edited gets the course's call back, a deleted one is put
    back after the answer.
    """
    nb = nbformat.from_dict(mine)
    found = {}
    located = learner_exercises(nb, generated)
    reference = {ex.id: ex for ex in exercises(generated)}
    for ex in sorted(located, key=lambda e: e.answer, reverse=True):
        call = generated.cells[reference[ex.id].checker].source if reference[ex.id].checker is not None else ""
        if ex.checker is None:
            checker = nbformat.v4.new_code_cell(call)
            nb.cells.insert(ex.answer + 1, checker)
        else:
            checker = nb.cells[ex.checker]
            checker.source = call
        found[ex.id] = (nb.cells[ex.answer], checker)
    return nb, found


# ---------------------------------------------------------------- the whole course

def default_folder():
    """The folder of the learner notebooks: the working directory inside notebooks/, else the checkout's."""
    here = Path.cwd()
    for candidate in (here, here.parent):
        if (candidate / "solutions").is_dir():
            return candidate
    return ROOT / "notebooks"


def selected(folder, only=()):
    """(learner copy, solution) pairs, all of them or those whose number or name is in ``only``
    ("3" is notebook 03)."""
    pairs = [(Path(folder) / sol.name, sol) for sol in sorted((Path(folder) / "solutions").glob("[0-9][0-9]-*.ipynb"))]
    if not only:
        return pairs
    chosen = [(l, s) for l, s in pairs if any(names_notebook(w, s) for w in only)]
    if not chosen:
        raise ValueError(f"no notebook matches {', '.join(map(str, only))}: give numbers such as 03, "
                         f"one of {', '.join(s.stem[:2] for _, s in pairs)}")
    return chosen


def evaluate(folder=None, only=(), jobs=2):
    """Evaluate the learner notebooks in ``folder`` (default: notebooks/), ``jobs`` kernels at a time."""
    folder = Path(folder or default_folder()).resolve()
    pairs = selected(folder, only)
    with tempfile.TemporaryDirectory(prefix="bn-progress-") as tmp:
        workdir = Path(tmp) / "notebooks"
        shutil.copytree(folder, workdir, ignore=shutil.ignore_patterns(".backup", ".ipynb_checkpoints"))
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            return list(pool.map(lambda pair: evaluate_notebook(pair[0], pair[1], workdir), pairs))


def progress_table(reports):
    """One line per notebook: a mark per exercise (done, wrong or broken, not started) and done/total."""
    width = max([len(r.name) for r in reports] + [8])
    lines = [f"{'notebook':{width}}  exercises        done", "-" * (width + 24)]
    total = done = 0
    for r in reports:
        marks = " ".join(MARKS[e.status] for e in r.exercises)
        extra = f"  + {len(r.failing_cells)} failing cell{'s' * (len(r.failing_cells) > 1)}" \
            if r.failing_cells else ""
        lines.append(f"{r.name:{width}}  {marks:15}  {r.done}/{len(r.exercises)}{extra}")
        total, done = total + len(r.exercises), done + r.done
    lines += ["-" * (width + 24), f"{'total':{width}}  {'':15}  {done}/{total}",
              f"{MARKS[DONE]} done   {MARKS[WRONG]} wrong or broken   {MARKS[NOT_STARTED]} not started"]
    return "\n".join(lines)


TEX_WORDS = {r"\epsilon": "eps", r"\hat x": "xhat", r"\hat{x}": "xhat", r"\cdot ": "*", r"\cdot": "*", r"\mu": "mu",
             r"\sigma": "sigma", r"\gamma": "gamma", r"\beta": "beta", r"\partial": "d", r"\sum": "sum",
             r"\text": "", r"\mathrm": "", r"\times": "x", r"\to": "->"}


def plain(title):
    r"""A title as plain text for a terminal: ``$istd=(var+\epsilon)^{-1/2}$`` gives istd=(var+eps)^(-1/2)."""
    def formula(match):
        text = match.group(1)
        for tex, word in TEX_WORDS.items():
            text = text.replace(tex, word)
        text = re.sub(r"\^\{([^{}]*)\}", r"^(\1)", text)
        text = re.sub(r"_\{([^{}]*)\}", r"_\1", text)
        return text.replace("{", "").replace("}", "").replace("\\", "")
    return re.sub(r"\$([^$]*)\$", formula, title)


def diagnoses(reports):
    """What is wrong or broken, exercise by exercise, with the checker's message."""
    lines = []
    for r in reports:
        for e in r.exercises:
            if e.status in (WRONG, BROKEN):
                title = plain(e.title)
                name = title if e.id in title else f"{title or 'exercise'} ({e.id})"
                lines.append(f"{MARKS[e.status]} {r.name}, {name}: {e.status}")
                lines += ["    " + line for line in e.message.splitlines()]
        for cell in r.failing_cells:
            lines.append(f"{MARKS[BROKEN]} {r.name}: {cell}")
        if r.missing:
            lines.append(f"{MARKS[NOT_STARTED]} {r.name}: the learner copy is missing (`make student` writes it)")
    return "\n".join(lines)


def report_text(reports, seconds=None):
    """The table, then the diagnoses, then one line that says what it comes to."""
    parts = [progress_table(reports)]
    if any(r.failed for r in reports):
        parts.append(diagnoses(reports))
    failed = sum(r.failed for r in reports)
    ran = sum(r.executed for r in reports)
    timing = f" ({ran} notebook{'s' * (ran != 1)} run, {seconds:.1f} s)" if seconds is not None else ""
    parts.append(f"your exercises: {failed} notebook{'s' * (failed != 1)} with a wrong or broken answer{timing}"
                 if failed else f"your exercises: nothing wrong or broken{timing}")
    return "\n\n".join(parts)


def show_progress(folder=None, only=(), jobs=2):
    """Print the progress table of the saved learner notebooks, and what is wrong (for a notebook cell).

    Where BNLIB_PROGRESS_SKIP is set, it prints one line instead: in the kernels that progress
    itself runs (00-start-here would otherwise start progress again) and in the course's own
    tests (`make test` evaluates the learner's notebooks once, at its end).
    """
    if os.environ.get("BNLIB_PROGRESS_SKIP"):
        print("(not computed here: this notebook is being run by `make test` or `make progress`, "
              "which show the table themselves)")
        return
    print_progress(folder, only, jobs)


def print_progress(folder=None, only=(), jobs=2):
    """Evaluate, print the table, the diagnoses and the summary line; return the reports."""
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=1) as pool:   # a thread without the running kernel's event loop
        reports = pool.submit(evaluate, folder, only, jobs).result()
    print(report_text(reports, time.perf_counter() - start))
    return reports


def main(argv=None):
    parser = argparse.ArgumentParser(description="The learner's progress: every exercise, classified.")
    parser.add_argument("notebooks", nargs="*", help="numbers or names (default: all)")
    parser.add_argument("--folder", help="the folder of the learner notebooks (default: notebooks/)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="kernels at a time")
    args = parser.parse_args(argv)
    try:
        reports = print_progress(args.folder, args.notebooks, args.jobs)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    if any(r.failed for r in reports):
        # make adds "*** [Makefile:..] Error 1" after this: it is the status, not a crash
        print(f"\n{FIX_LINE}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
