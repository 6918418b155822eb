"""The course as notebooks: exercises, the learner copies made from the solutions, and what a learner changed.

A solution notebook (``notebooks/solutions/NN-name.ipynb``) marks each answer
between two lines::

    def forward(x, gamma, beta, eps):
        ### BEGIN SOLUTION
        ...the answer...
        ### END SOLUTION

and follows it with a code cell tagged ``checker`` that calls a checker from
:mod:`bncourse.checks`. The k-th code exercise of notebook NN is ``NN.k``; a
conceptual question, checked by ``check_answer("NN.qK", answer)``, is ``NN.qK``.
An exercise's title is the last Markdown heading above it.

The learner copy (``notebooks/NN-name.ipynb``) is the solution notebook with
every answer replaced by a stub, outputs cleared, and the exercise's id in the
metadata of its answer and checker cells, so that an exercise is found again
however the learner edits the notebook. This module reads and builds
notebooks; it writes no file (``bncourse/tools/student.py`` does) and runs none
(:mod:`bncourse.progress` does).
"""
import copy
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUB = ["# YOUR CODE HERE", "raise NotImplementedError"]
ANSWER_STUB = "{name} = ...  # YOUR ANSWER HERE"
ONE_ASSIGNMENT = re.compile(r"^\s*([A-Za-z_][A-Za-z_0-9]*)\s*=[^=]")
CHECKER_TAG = "checker"
QUESTION_CALL = re.compile(r"check_answer\(\s*[\"'](\d\d\.q\d+)[\"']")
CHECKER_CALL = re.compile(r"\b(check_\w+)\(")
CHECKER_CALL_OF = re.compile(r"\b(check_\w+)\(\s*([A-Za-z_]\w*)\s*[,)]")
RAISES_TAG = "raises-exception"   # JupyterLab's Run All and nbclient go on past an error here
META_KEY = "bncourse"
# The course's kernel, registered by `make env` (and by binder/postBuild) inside the environment:
# every notebook asks for it by name, so no other "python3" kernel on the machine can shadow it.
KERNEL = "bn-course"
KERNELSPEC = {"name": KERNEL, "display_name": "Python (BatchNorm course)", "language": "python"}
# Cell metadata that JupyterLab and nbclient write while a notebook is used: never compared. (The
# course itself may collapse a cell's code, "jupyter": {"source_hidden": true}, which the learner
# copy keeps; a learner who opens or collapses a cell changes nothing that counts.)
VOLATILE_METADATA = ("execution", "collapsed", "scrolled", "jupyter", "trusted")


class MarkerError(ValueError):
    """A solution cell whose BEGIN/END markers do not pair up."""


@dataclass(frozen=True)
class Exercise:
    """One exercise: its id ("03.2"), title, and the indices of its cells in one notebook.

    ``answer`` is the index of the cell the learner writes in, ``checker``
    that of the checker cell after it (None where the learner deleted one);
    ``prompt`` the Markdown cell that states the exercise (None if there is none).
    """
    id: str
    title: str
    answer: int
    checker: int | None
    prompt: int | None


# ---------------------------------------------------------------- stubs

def stub_for(block, indent):
    """The stub lines for one solution block (its lines between the markers).

    An answer that is one assignment (a question's ``answer = "b"``) becomes
    ``answer = ...``, so that its cell runs and the checker after it says the
    question is not answered yet; any other answer becomes
    ``# YOUR CODE HERE`` and ``raise NotImplementedError``.
    """
    match = ONE_ASSIGNMENT.match(block[0]) if len(block) == 1 else None
    if match:
        return [indent + ANSWER_STUB.format(name=match.group(1))]
    return [indent + line for line in STUB]


def stub_source(source, where="cell"):
    """Replace every BEGIN/END SOLUTION block of one cell's source by its stub."""
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


# ---------------------------------------------------------------- exercises

def notebook_number(path):
    """"03" for notebooks/03-gamma-beta.ipynb (the first two characters of the name)."""
    return Path(path).name[:2]


def names_notebook(name, path):
    """Does ``name`` ("3", "03", "03-gamma", "03-gamma-beta" or "notebooks/03-gamma-beta.ipynb") name the
    notebook at ``path``? Its number (one digit is enough), then any start of the rest of its name."""
    stem = Path(str(name)).name.removesuffix(".ipynb")
    if stem.isdigit() and len(stem) == 1:
        stem = "0" + stem
    return len(stem) >= 2 and Path(path).stem.startswith(stem)


def heading_above(cells, index):
    """The last Markdown heading above cell ``index``, without its #'s ("" if there is none)."""
    for cell in reversed(cells[:index]):
        if cell.cell_type == "markdown":
            headings = [line.lstrip("#").strip() for line in cell.source.splitlines()
                        if line.startswith("#")]
            if headings:
                return headings[-1]
    return ""


def prompt_above(cells, index):
    """Index of the Markdown cell just above cell ``index`` (None if the cell above is code)."""
    if index > 0 and cells[index - 1].cell_type == "markdown":
        return index - 1
    return None


def exercise_id(cell):
    """The exercise id recorded in a learner copy's cell metadata (None if there is none)."""
    return cell.metadata.get(META_KEY, {}).get("exercise")


def question_id(checker_source):
    """"04.q1" for a checker cell that calls check_answer("04.q1", ...); None for any other."""
    match = QUESTION_CALL.search(checker_source)
    return match.group(1) if match else None


def solution_exercises(nb, number):
    """The exercises of a solution notebook: each answer cell and the first checker cell after it.

    A code exercise is numbered by its place among the notebook's code exercises
    ("03.2"); a conceptual question keeps the id its checker call names ("03.q1"),
    so that adding a question never renumbers the exercises.
    """
    found, k = [], 0
    answers = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and BEGIN in c.source]
    for answer in answers:
        later = [i for i, c in enumerate(nb.cells)
                 if i > answer and c.cell_type == "code" and CHECKER_TAG in c.metadata.get("tags", [])]
        checker = later[0] if later else None
        ex_id = question_id(nb.cells[checker].source) if checker is not None else None
        if ex_id is None:
            k += 1
            ex_id = f"{number}.{k}"
        found.append(Exercise(ex_id, heading_above(nb.cells, answer), answer, checker,
                              prompt_above(nb.cells, answer)))
    return found


def role(cell):
    """"answer" or "checker" for a cell of an exercise in a learner copy (None for any other cell)."""
    return cell.metadata.get(META_KEY, {}).get("role")


def exercises(nb, number="00"):
    """The exercises of a notebook: from the ids in its cells' metadata (a learner copy), or from its
    markers and checker tags (a solution notebook, whose number must then be given)."""
    recorded = [(i, c) for i, c in enumerate(nb.cells) if exercise_id(c)]
    if not recorded:
        return solution_exercises(nb, number)
    found = []
    for i, cell in recorded:
        if role(cell) == "answer":
            checker = next((j for j, c in recorded if exercise_id(c) == exercise_id(cell)
                            and role(c) == "checker"), None)
            found.append(Exercise(exercise_id(cell), cell.metadata[META_KEY].get("title", ""),
                                  i, checker, prompt_above(nb.cells, i)))
    return found


def learner_exercises(nb, reference):
    """The exercises of ``reference`` (a generated learner copy) as found in the learner's ``nb``.

    Cells are found by the exercise id in their metadata. An exercise whose answer
    cell cannot be found is left out; one whose checker cell is gone has checker None.
    """
    ids = {ex.id: ex for ex in exercises(nb)} if any(map(exercise_id, nb.cells)) else {}
    return [ids[ex.id] for ex in exercises(reference) if ex.id in ids]


def checkers_called(nb):
    """The names of the checkers that the cells tagged ``checker`` call, in order (a path or a notebook).

    The notebooks are the registry of the checkers: nothing else lists which exercise calls which.
    """
    if not isinstance(nb, nbformat.NotebookNode):
        nb = nbformat.read(nb, as_version=4)
    return tuple(name for cell in nb.cells if CHECKER_TAG in cell.metadata.get("tags", [])
                 for name in CHECKER_CALL.findall(cell.source))


def checker_calls(folder=None):
    """{(checker, name of the learner's function it is called with): exercise id} for every code
    exercise of the solution notebooks in ``folder`` (default: the course's): which exercise a check
    is about (``check_backward(backward)`` is 02.3, ``check_backward(backward_compact)`` 05.1)."""
    folder = Path(folder) if folder else _solutions_folder()
    found = {}
    for path in sorted(folder.glob("[0-9][0-9]-*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for ex in solution_exercises(nb, notebook_number(path)):
            if ex.checker is not None:
                for checker, function in CHECKER_CALL_OF.findall(nb.cells[ex.checker].source):
                    found[checker, function] = ex.id
    return found


def _solutions_folder():
    from bncourse import ROOT
    return ROOT / "notebooks" / "solutions"


# ---------------------------------------------------------------- the time a learner needs

# The teaching guide's estimate (docs/teaching.md, "Time a learner needs"): careful reading of technical
# text with formulas at half the pace of ordinary prose (about 200 words a minute); half a minute to run
# and look at each code cell; ten minutes for each exercise, two for each conceptual question.
READING_WORDS_PER_MINUTE = 100
MINUTES_PER_CODE_CELL = 0.5
MINUTES_PER_EXERCISE = 10
MINUTES_PER_QUESTION = 2


def raw_minutes(words, code_cells, exercises, questions=0):
    """Estimated minutes, not rounded: words / 100 + code cells / 2 + 10 per exercise + 2 per question."""
    return (words / READING_WORDS_PER_MINUTE + MINUTES_PER_CODE_CELL * code_cells
            + MINUTES_PER_EXERCISE * exercises + MINUTES_PER_QUESTION * questions)


def estimated_minutes(words, code_cells, exercises, questions=0):
    """Estimated minutes: words / 100 + code cells / 2 + 10 per exercise + 2 per question, rounded up to 5."""
    return int(-(-raw_minutes(words, code_cells, exercises, questions) // 5) * 5)


# ---------------------------------------------------------------- the table of contents

SUMMARY_KEY = "summary"      # nb.metadata["bncourse"]["summary"] of a solution notebook: what you learn


@dataclass(frozen=True)
class Contents:
    """One notebook in the course's table of contents: its file stem, title and one-line summary."""
    stem: str
    title: str
    summary: str
    exercises: int
    questions: int


def notebook_title(nb, fallback=""):
    """The text of a notebook's first heading, without its number: "Start here" for "# 00 · Start here"."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return re.sub(r"^\d\d\s*[·:.-]\s*", "", line[2:].strip())
    return fallback


def notebook_summary(nb):
    """The one-line summary a solution notebook stores in its metadata (``bncourse.summary``), or, if it
    has none yet, the first sentence of its first paragraph of text."""
    stored = nb.metadata.get(META_KEY, {}).get(SUMMARY_KEY)
    if stored:
        return stored
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text = " ".join(line for line in cell.source.splitlines() if line.strip() and not line.startswith("#"))
            if text:
                return re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].strip()
    return ""


def course_contents(folder=None):
    """The course's table of contents, read from the solution notebooks (``folder``, default the
    course's): each notebook's title (its first heading), summary (its metadata) and exercises, in
    order. A new notebook appears by itself. In a notebook cell it shows as a table."""
    folder = Path(folder) if folder else _solutions_folder()
    rows = []
    for path in sorted(folder.glob("[0-9][0-9]-*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        found = solution_exercises(nb, notebook_number(path))
        questions = sum(1 for ex in found if ".q" in ex.id)
        rows.append(Contents(path.stem, notebook_title(nb, path.stem), notebook_summary(nb),
                             len(found) - questions, questions))
    return ContentsTable(rows)


class ContentsTable(list):
    """A list of :class:`Contents`, shown as a Markdown table in a notebook and as text elsewhere."""

    def markdown(self):
        lines = ["| notebook | what you learn |", "|---|---|"]
        lines += [f"| `{c.stem}` | {c.summary} |" for c in self]
        return "\n".join(lines)

    def _repr_markdown_(self):
        return self.markdown()

    def __repr__(self):
        width = max(len(c.stem) for c in self) if self else 0
        return "\n".join(f"{c.stem:{width}}  {c.summary}" for c in self)

    @property
    def counts(self):
        """(notebooks, code exercises, questions)."""
        return len(self), sum(c.exercises for c in self), sum(c.questions for c in self)


def exercise_fingerprint(nb, ex):
    """A hash of what states and checks one exercise: its prompt, its stub and its checker call."""
    parts = [nb.cells[i].source if i is not None else "" for i in (ex.prompt, ex.answer, ex.checker)]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


# ---------------------------------------------------------------- learner copies

def cells_hash(nb):
    """Hash of the cell types and sources: what a learner edits."""
    payload = [(c.cell_type, c.source) for c in nb.cells]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


def learner_notebook(solution_path):
    """The learner copy of one solution notebook, as a NotebookNode (nothing is written)."""
    solution_path = Path(solution_path)
    nb = nbformat.read(solution_path, as_version=4)
    number = notebook_number(solution_path)
    found = solution_exercises(nb, number)
    learner = copy.deepcopy(nb)
    for index, cell in enumerate(learner.cells):
        cell.metadata.pop("execution", None)   # the solution's run times
        if cell.cell_type == "code":
            cell.source = stub_source(cell.source, f"{solution_path.name}, cell {index}")
            cell.outputs = []
            cell.execution_count = None
            tags = cell.metadata.get("tags", [])
            if CHECKER_TAG in tags and RAISES_TAG not in tags:
                # the checker fails on the stub; JupyterLab's "Run All" goes on past this cell
                cell.metadata["tags"] = tags + [RAISES_TAG]
    for ex in found:
        learner.cells[ex.answer].metadata[META_KEY] = {"exercise": ex.id, "role": "answer",
                                                       "title": ex.title}
        if ex.checker is not None:
            learner.cells[ex.checker].metadata[META_KEY] = {"exercise": ex.id, "role": "checker"}
    learner.metadata[META_KEY] = {
        "generated_from": f"solutions/{solution_path.name}",
        "number": number,
        "cells_sha256": cells_hash(learner),
        "exercises": {ex.id: exercise_fingerprint(learner, ex) for ex in found},
    }
    return learner


def render(nb):
    """The text a learner copy is written as."""
    return nbformat.writes(nb) + "\n"


def edited_by_learner(nb):
    """True when a learner copy's cells differ from those it was generated with."""
    recorded = nb.metadata.get(META_KEY, {}).get("cells_sha256")
    return recorded is None or recorded != cells_hash(nb)


def course_metadata(cell):
    """The metadata of a cell that belongs to the course (tags, exercise ids), not to the session."""
    return {k: v for k, v in cell.metadata.items() if k not in VOLATILE_METADATA}


def differences(nb, generated):
    """How an untouched learner copy differs from the generated one, in sources and metadata only.

    Outputs, execution counts, cell ids, widget state, the kernel chosen and
    the metadata that JupyterLab writes while the notebook is used never count. Returns a list
    of short descriptions (empty when the copy is in step).
    """
    found = []
    if len(nb.cells) != len(generated.cells):
        return [f"{len(nb.cells)} cells, expected {len(generated.cells)}"]
    for index, (mine, theirs) in enumerate(zip(nb.cells, generated.cells)):
        if (mine.cell_type, mine.source) != (theirs.cell_type, theirs.source):
            found.append(f"cell {index}: its source")
        elif course_metadata(mine) != course_metadata(theirs):
            found.append(f"cell {index}: its metadata")
    if nb.metadata.get(META_KEY) != generated.metadata.get(META_KEY):
        found.append("the course's notebook metadata")
    return found


def changed_exercises(nb, generated):
    """The exercises of ``generated`` (a fresh learner copy) that are new or stated or checked otherwise
    than in the learner's ``nb``, and the ids of those that are gone: ``(changed, removed)``.

    Each copy records the fingerprint of every exercise it was generated with
    (prompt, stub and checker call); a copy that records none counts every exercise as changed.
    """
    now = generated.metadata[META_KEY]["exercises"]
    then = nb.metadata.get(META_KEY, {}).get("exercises", {})
    changed = [ex for ex in exercises(generated) if then.get(ex.id) != now[ex.id]]
    return changed, [ex_id for ex_id in then if ex_id not in now]
