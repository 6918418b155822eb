"""nbgrader's generate_assignment with the course's solution stubs (loaded by nbgrader_config.py).

nbgrader's ClearSolutions replaces every ``### BEGIN SOLUTION`` block with
``raise NotImplementedError()``. The course stubs a block the way the learner
copies do (``bncourse/tools/student.py``): ``# YOUR CODE HERE`` and ``raise
NotImplementedError`` inside a function, but ``answer = ...  # YOUR ANSWER HERE``
for an answer that is one assignment. There ``raise`` would stop the cell before
``answer`` exists, and the checker would end in a NameError instead of saying
"not answered yet".
"""
from nbgrader.converters.generate_assignment import GenerateAssignment
from nbgrader.preprocessors import ClearSolutions

from bncourse import notebook


class CourseClearSolutions(ClearSolutions):
    """ClearSolutions whose stubs are the learner copies' stubs."""

    def _replace_solution_region(self, cell, language):
        if cell.cell_type != "code" or notebook.BEGIN not in cell.source:
            return super()._replace_solution_region(cell, language)
        cell.source = notebook.stub_source(cell.source, "solution cell")
        return True


def course_preprocessors():
    """GenerateAssignment's preprocessors, ClearSolutions replaced by CourseClearSolutions."""
    default = GenerateAssignment.class_traits()["preprocessors"].default()
    return [CourseClearSolutions if p is ClearSolutions else p for p in default]
