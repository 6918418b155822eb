"""Play the learner: answer exercises in learner copies, run and save them with outputs as JupyterLab does."""
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from bncourse.notebook import KERNEL, exercises, learner_notebook


def solution_answer(solution, exercise_id):
    """The answer cell of one exercise in a solution notebook, markers removed: a right answer."""
    nb = nbformat.read(solution, as_version=4)
    ex = next(e for e in exercises(nb, Path(solution).name[:2]) if e.id == exercise_id)
    lines = [line for line in nb.cells[ex.answer].source.splitlines()
             if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")]
    return "\n".join(lines)


def answer(learner, exercise_id, source):
    """Write ``source`` into the answer cell of one exercise of a learner copy."""
    nb = nbformat.read(learner, as_version=4)
    ex = next(e for e in exercises(nb) if e.id == exercise_id)
    nb.cells[ex.answer].source = source
    nbformat.write(nb, learner)


def add_note(learner, text, after=0):
    """Add a Markdown cell of the learner's own."""
    nb = nbformat.read(learner, as_version=4)
    nb.cells.insert(after + 1, nbformat.v4.new_markdown_cell(text))
    nbformat.write(nb, learner)


RESET = "%reset -f\nimport os as _os, matplotlib.pyplot as _plt\n_os.chdir({folder!r})\n_plt.close('all')\ndel _os, _plt"


def run(nb, folder, km=None):
    """Execute ``nb`` as Run All does, errors kept in the outputs, with ``folder`` as working directory.

    With ``km`` (a running course kernel, the tests' ``course_kernel``), in that kernel after
    ``%reset -f``: the same as a fresh kernel for a notebook, without starting one and importing
    NumPy, SymPy and matplotlib again.
    """
    if km is None:
        NotebookClient(nb, timeout=120, kernel_name=KERNEL, allow_errors=True,
                       resources={"metadata": {"path": str(folder)}}).execute()
        return nb
    nb.cells.insert(0, nbformat.v4.new_code_cell(RESET.format(folder=str(folder))))
    NotebookClient(nb, km=km, timeout=120, kernel_name=KERNEL, allow_errors=True).execute()
    reset = nb.cells.pop(0)
    assert not [o for o in reset.outputs if o.output_type == "error"], "the reset cell failed"
    return nb


def run_and_save(learner, km=None):
    """Run All and save with the outputs, as JupyterLab does (errors do not stop the run)."""
    nb = run(nbformat.read(learner, as_version=4), Path(learner).parent, km)
    nbformat.write(nb, learner)


def solve_all(folder):
    """Answer every exercise of every learner copy in ``folder`` with the solution's code."""
    folder = Path(folder)
    for solution in sorted((folder / "solutions").glob("[0-9][0-9]-*.ipynb")):
        for ex in exercises(learner_notebook(solution)):
            answer(folder / solution.name, ex.id, solution_answer(solution, ex.id))
