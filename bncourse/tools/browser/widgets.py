"""Figures you can move, and figures' text alternatives, as JupyterLab shows them.

:func:`move_control` moves the control of a cell (the buttons of
:func:`bncourse.widgets.movable_figure`) with the keyboard, as a learner who does not use a mouse would, and reports whether the figure
changed (its picture and its alt text). :func:`test_mechanisms` plays a small notebook made for the
test in JupyterLab's temporary root (never in notebooks/): a figure cell with an ``"alt"`` in its
metadata, and a figure you can move; it checks that each image shows its text alternative, that
pressing the control's next button draws the figure again, and that axe-core finds nothing
serious in their outputs.
"""
import re
import time

import nbformat

from bncourse.notebook import KERNELSPEC

from .axe import NOTEBOOK_CONTENT, blocking, measured_contrast, scan
from .lab import cell_locator, open_notebook, run_all, screenshot, wait_until_run

CHECK_NOTEBOOK = "_accessibility-check.ipynb"
STATIC_ALT = "A straight line rising from 1 to 3: the check's static figure."

FIGURE_CELL = """import matplotlib.pyplot as plt
plt.figure(figsize=(3, 2))
plt.plot([1, 2, 3], "o-")
plt.show()"""

SLIDER_CELL = """import matplotlib.pyplot as plt
from bncourse.widgets import movable_figure

def draw(slope):
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [0, slope], "o-")
    ax.set_ylim(0, 3)
    ax.set_title(f"slope {slope}")
    return fig

movable_figure(draw, "slope", [1, 2, 3], value=1, alt=lambda s: f"A line of slope {s}.")"""

IMAGES_JS = """(i) => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')[i]
                  .querySelectorAll('.jp-OutputArea-output img')]
                  .map(img => ({src: img.getAttribute('src').slice(-200), alt: img.getAttribute('alt')}))"""


def check_notebook():
    """The notebook that :func:`test_mechanisms` plays."""
    figure = nbformat.v4.new_code_cell(FIGURE_CELL)
    figure.metadata["alt"] = STATIC_ALT
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Check: figures with their text alternatives, a figure you can move"),
        figure, nbformat.v4.new_code_cell(SLIDER_CELL)],
        metadata={"kernelspec": dict(KERNELSPEC)})


def images(page, index):
    return page.evaluate(IMAGES_JS, index)


CONTROL = ".jp-OutputArea-output .widget-toggle-buttons button"
DECODED_JS = """(i) => Promise.all([...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')[i]
                  .querySelectorAll('.jp-OutputArea-output img')].map(img => img.decode().catch(() => null)))"""


def move_control(page, index, key="Enter", timeout=20):
    """Focus the first button of cell ``index``'s control that is not pressed, press ``key``;
    return (before, after): the cell's images [{src (its end), alt}] before the key and once they
    changed (or at the timeout)."""
    before = images(page, index)
    cell_locator(page, index).locator(f"{CONTROL}:not(.mod-active)").first.focus()
    page.keyboard.press(key)
    deadline = time.monotonic() + timeout
    after = images(page, index)
    while after == before and time.monotonic() < deadline:
        time.sleep(0.3)
        after = images(page, index)
    return before, after


#: The notebooks with figures you can move, and how many each has (a widget that disappears is caught).
MOVABLE = {"04": 1, "10": 1, "11": 1}


def movable_cells(nb):
    """Indices of the cells of ``nb`` that show a figure you can move (they call movable_figure)."""
    return [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
            and re.search(r"^movable_figure\(", cell.source, flags=re.M)]


def check_movable_figures(page, nb, number, name=None):
    """Press the next button of each movable figure of the open notebook with the keyboard (a screenshot
    of each after it moved, named after ``name``); returns (problems, [(cell, alt before, alt after)])."""
    problems, moved = [], []
    cells = movable_cells(nb)
    if len(cells) != MOVABLE.get(number, 0):
        problems.append(f"{len(cells)} figures you can move, expected {MOVABLE.get(number, 0)}")
    for index in cells:
        cell_locator(page, index).locator(CONTROL).first.wait_for(timeout=30_000)
        before, after = move_control(page, index)
        if len(before) != 1 or len(after) != 1 or not all(img["alt"] for img in before + after):
            problems.append(f"cell {index}: the movable figure shows {before!r}, then {after!r}")
        elif after[0]["src"] == before[0]["src"] or after[0]["alt"] == before[0]["alt"]:
            problems.append(f"cell {index}: pressing the control's next button did not change the picture and its alt")
        else:
            moved.append((index, before[0]["alt"], after[0]["alt"]))
        if name:   # the new picture decoded and painted (a busy machine paints a large image in pieces)
            page.evaluate(DECODED_JS, index)
            page.wait_for_timeout(1500)
            screenshot(page, f"{name}-moved-cell{index}", index)
    return problems, moved


def test_mechanisms(page, lab, tally=None):
    """Play the check notebook; returns (problems, seconds)."""
    start = time.monotonic()
    nb = check_notebook()
    nbformat.write(nb, lab.root / CHECK_NOTEBOOK)
    open_notebook(page, lab, CHECK_NOTEBOOK)
    run_all(page)
    wait_until_run(page, nb)
    problems = []
    shown = images(page, 1)
    if [img["alt"] for img in shown] != [STATIC_ALT]:
        problems.append(f"a figure cell with an alt in its metadata shows {shown!r}")
    page.wait_for_selector(CONTROL, timeout=30_000)
    before, after = move_control(page, 2)
    if [img["alt"] for img in before] != ["A line of slope 1."]:
        problems.append(f"the movable figure at its default value shows {before!r}")
    if len(after) != 1 or after == before:
        problems.append("pressing the control's next button with the keyboard did not change the figure")
    elif after[0]["alt"] != "A line of slope 2.":
        problems.append(f"after the control moved, the figure's alt is {after[0]['alt']!r}")
    screenshot(page, "check-widgets-and-alt", 2)
    if tally is not None:
        violations = scan(page, NOTEBOOK_CONTENT) + measured_contrast(page, NOTEBOOK_CONTENT)
        tally.add(f"lab {CHECK_NOTEBOOK}", violations)
        problems += blocking(violations)
    lab.shutdown_kernels()
    return problems, time.monotonic() - start
