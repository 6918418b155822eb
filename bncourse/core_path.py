r"""The core path: the backward pass of BatchNorm in about 90 minutes, and the proof that it can be followed alone.

The whole course takes a learner many hours (the teaching guide's estimate). The core path is the
shortest way through it to one goal: derive the input gradient of BatchNorm and write it in NumPy.
It is five steps, each a notebook and the sections of it to read, with the exercises and predict-first
questions to do there (:data:`CORE_PATH`); everything else may be skipped. Notebook 00, the README and
the teaching guide show it (:func:`core_path_table`).

What "may be skipped" means, checked by ``tests/test_core_path.py``:

* a section is named by its heading, and runs from the cell that holds the heading to the next cell
  that holds a heading; a step also takes its notebook's opening cells (the title and the imports,
  everything before the first level-2 heading);
* every exercise of a step lies in its sections, and every exercise in its sections is listed;
* every name a cell on the path uses is defined by a cell on the path before it (or in the same cell),
  or is Python's or the course kernel's own (:func:`missing_names`): no cell on the path, and so no
  core exercise or its checker, depends on a cell, a definition or an exercise the path skips.

Its time is the guide's estimate from the words, code cells, exercises and questions of the cells on
the path (:func:`bncourse.notebook.estimated_minutes`; the path's total rounded up to 5 minutes, each
step's to the minute), not a measurement with learners.
"""
import builtins
import math
import re
import symtable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from bncourse.notebook import estimated_minutes, notebook_number, raw_minutes, solution_exercises

__all__ = ["Step", "CORE_PATH", "MINUTES", "headings", "step_cells", "missing_names", "step_facts",
           "short_titles", "CorePathTable", "core_path_table"]

#: The time the core path is planned for (the estimate of its cells must stay within it).
MINUTES = 90


@dataclass(frozen=True)
class Step:
    """One step of the core path: a notebook (its file stem), the headings of the sections to read, in
    order, the exercises and questions to do there, and what the step is for."""
    notebook: str
    sections: tuple
    exercises: tuple
    goal: str


CORE_PATH = (
    Step("00-start-here", ("How the course works", "The core path: the backward pass in 90 minutes",
                           "Exercises and checkers", "Notation"), (),
         "how exercises and checkers work; the notation"),
    Step("01-forward", ("1. Batch statistics", "2. Normalization", "3. Scale and shift"), (),
         "the forward pass: statistics per feature, normalization, scale and shift"),
    Step("03-gamma-beta", ("The local derivatives", "Why the sum appears: one parameter, $m$ paths",
                           "Exercise 1: dgamma and dbeta"), ("03.q2", "03.1"),
         "why the gradient of a shared parameter is a sum over the batch"),
    Step("04-input-gradient", ("The route", "Step 1 · From the output back to $\\hat x_i$",
                               "Step 2 · The local derivatives of $\\hat x_i$",
                               "Step 3 · $\\partial L/\\partial\\sigma_B^2$: the variance feeds every $\\hat x_i$",
                               "Step 4 · $\\partial\\sigma_B^2/\\partial\\mu_B$, and the term that vanishes",
                               "Step 5 · $\\partial L/\\partial\\mu_B$: two paths, one of them empty",
                               "Step 6 · How the statistics depend on one sample",
                               "Step 7 · Assembling $\\partial L/\\partial x_i$"), ("04.q2",),
         "the three paths from x_i to the loss, derived step by step"),
    Step("05-compact-formula", ("From three terms to one", "The formula in NumPy",
                                "Exercise 1 · The compact backward pass"), ("05.q2", "05.1"),
         "one formula for dx, and your NumPy backward pass"),
)

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
# Names a notebook cell may use without defining them: Python's builtins, IPython's, and the course
# kernel's (bncourse.display defines hint in every notebook).
KERNEL_NAMES = set(dir(builtins)) | {"display", "get_ipython", "hint", "__file__"}


def _solutions_folder():
    from bncourse import ROOT
    return ROOT / "notebooks" / "solutions"


def headings(cell):
    """[(level, text)] of the Markdown headings of a cell (outside code fences)."""
    if cell.cell_type != "markdown":
        return []
    text = re.sub(r"```.*?```", "", cell.source, flags=re.S)
    return [(len(m.group(1)), m.group(2)) for m in map(HEADING.match, text.splitlines()) if m]


def step_cells(nb, step):
    """Indices of the cells of ``nb`` on the path for ``step``: the opening cells, then each section.
    Raises ValueError for a heading the notebook does not have."""
    marks = [i for i, cell in enumerate(nb.cells) if headings(cell)]
    first_section = next((i for i in marks if any(level == 2 for level, _ in headings(nb.cells[i]))), len(nb.cells))
    cells = set(range(first_section))
    for title in step.sections:
        found = [i for i in marks if title in (text for _, text in headings(nb.cells[i]))]
        if len(found) != 1:
            raise ValueError(f"{step.notebook}: {len(found)} cells hold the heading {title!r}")
        start = found[0]
        end = next((i for i in marks if i > start), len(nb.cells))
        cells.update(range(start, end))
    return sorted(cells)


def _needed_and_defined(source):
    """(names a cell needs from outside it, names it defines at its top level)."""
    table = symtable.symtable(source, "<cell>", "exec")
    defined = {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported()}
    needed = {s.get_name() for s in table.get_symbols()
              if s.is_referenced() and not (s.is_assigned() or s.is_imported())}
    todo = list(table.get_children())
    while todo:
        child = todo.pop()
        needed |= {s.get_name() for s in child.get_symbols() if s.is_referenced() and s.is_global()}
        todo += child.get_children()
    return needed - defined, defined


def missing_names(nb, cells):
    """{cell index: sorted names} for each code cell among ``cells`` that uses a name no earlier cell
    among ``cells`` (nor the cell itself, nor Python or the kernel) defines."""
    known, missing = set(KERNEL_NAMES), {}
    for i in cells:
        cell = nb.cells[i]
        if cell.cell_type != "code":
            continue
        needed, defined = _needed_and_defined(cell.source)
        lacking = sorted(needed - known - defined)
        if lacking:
            missing[i] = lacking
        known |= defined
    return missing


@dataclass(frozen=True)
class StepFacts:
    """A step as found in its notebook: its cells, the exercises in them, and what the time estimate
    counts in them (words of text, code cells, code exercises, questions)."""
    step: Step
    cells: tuple
    exercises: tuple
    counts: tuple

    @property
    def minutes(self):
        """The estimate for this step alone, rounded up to the minute (the path's total is rounded once)."""
        return math.ceil(raw_minutes(*self.counts))


def step_facts(step, folder=None):
    """The facts of one step, read from its solution notebook."""
    path = Path(folder or _solutions_folder()) / f"{step.notebook}.ipynb"
    nb = nbformat.read(path, as_version=4)
    cells = step_cells(nb, step)
    found = tuple(ex.id for ex in solution_exercises(nb, notebook_number(path)) if ex.answer in cells)
    words = sum(len(nb.cells[i].source.split()) for i in cells if nb.cells[i].cell_type == "markdown")
    code = sum(1 for i in cells if nb.cells[i].cell_type == "code")
    questions = sum(".q" in e for e in found)
    return StepFacts(step, tuple(cells), found, (words, code, len(found) - questions, questions))


def short_titles(sections):
    """The sections as the table names them: each heading up to its first " · " or ": " ("Step 4",
    "Why the sum appears"), and a run of steps as one ("Steps 1 to 7")."""
    shown = [re.split(r" · |: ", title, maxsplit=1)[0] for title in sections]
    out = []
    for title in shown:
        step = re.fullmatch(r"Steps? (\d+)(?: to (\d+))?", title)
        last = re.fullmatch(r"Steps? (\d+)(?: to (\d+))?", out[-1]) if out else None
        if step and last and int(step.group(1)) == int(last.group(2) or last.group(1)) + 1:
            out[-1] = f"Steps {last.group(1)} to {step.group(1)}"
        else:
            out.append(title)
    return out


class CorePathTable(list):
    """The core path as a table (a list of :class:`StepFacts`): Markdown in a notebook and in the docs."""

    @property
    def minutes(self):
        """The estimate for the whole path: the guide's formula on all its cells, rounded up to 5 minutes."""
        return estimated_minutes(*(sum(f.counts[k] for f in self) for k in range(4)))

    def markdown(self):
        lines = ["| step | notebook | read these sections | do | what for | minutes (estimated) |",
                 "|---:|---|---|---|---|---:|"]
        for k, f in enumerate(self, start=1):
            done = ", ".join(f.step.exercises) or "(none)"
            lines.append(f"| {k} | `{f.step.notebook}` | {'; '.join(short_titles(f.step.sections))} | {done} | {f.step.goal} | "
                         f"{f.minutes} |")
        lines.append(f"| | **all** | | | | **{self.minutes}** |")
        return "\n".join(lines)

    def _repr_markdown_(self):
        return self.markdown()

    def __repr__(self):
        return "\n".join(f"{k}. {f.step.notebook}: {'; '.join(f.step.sections)} ({f.minutes} min)"
                         for k, f in enumerate(self, start=1)) + f"\nall: {self.minutes} min, estimated"


def core_path_table(folder=None):
    """The core path, read from the solution notebooks in ``folder`` (default: the course's)."""
    return CorePathTable(step_facts(step, folder) for step in CORE_PATH)
