r"""Figures you can move: a figure drawn again when a control moves, with its static twin.

:func:`movable_figure` shows a control (a row of buttons, one per value, the chosen one pressed)
and under it a figure drawn at the control's value. In JupyterLab, choosing another value draws
the figure again in place (the same output, updated by its display id). Everywhere else the same cell shows the figure at the default value, *the static
twin*: the static book (`make html`), nbval (which compares the figure's text line and the
control's, not the picture), a reader without widgets. Nothing interactive is needed to follow
the course: the static twin is the figure of the text.

Each drawing carries its text alternative in the output's metadata (``alt``: a string, or a
function of the value), which the book and JupyterLab show (:mod:`bncourse.alt_text`).

    from bncourse.widgets import movable_figure
    movable_figure(lambda eps: draw_projection(x, dy, eps).figure, "eps", [0.0, 1e-3, 1e-1, 1.0],
                   value=0.0, alt=lambda eps: f"... at eps = {eps:g}: ...")

Why buttons and not a slider: ipywidgets' sliders (noUiSlider) give their handle no accessible
name, which axe-core counts as a serious violation (``aria-input-field-name``); toggle buttons
are buttons named by their words, reached with Tab and pressed with Enter or Space. The browser
test presses them with the keyboard and checks that the picture changes
(:mod:`bncourse.tools.browser.widgets`).
"""
from dataclasses import dataclass
from typing import Any, Callable

__all__ = ["MovableFigure", "movable_figure", "static_text"]


@dataclass
class MovableFigure:
    """What :func:`movable_figure` shows: the control, the display of the figure, and ``redraw``."""
    control: Any
    handle: Any
    draw: Callable
    alt: Any
    name: str

    def _ipython_display_(self):
        """Nothing more to show when a cell ends with the call: the control and figure are shown."""

    def alt_at(self, value):
        return self.alt(value) if callable(self.alt) else self.alt

    def redraw(self, value):
        """Draw the figure at ``value`` into the same output (what moving the control does)."""
        _show(self.draw(value), self.alt_at(value), handle=self.handle)


def _show(fig, alt, handle=None):
    """Display a matplotlib figure (with its alt in the output's metadata), or update ``handle``;
    the figure is closed, so that the inline backend does not show it a second time."""
    import matplotlib.pyplot as plt
    from IPython.display import display
    metadata = {"image/png": {"alt": alt}} if alt else None
    try:
        if handle is None:
            return display(fig, metadata=metadata, display_id=True)
        handle.update(fig, metadata=metadata)
        return handle
    finally:
        plt.close(fig)


def static_text(name, value, values=None):
    """The words a reader without widgets (the book, nbval) sees in place of the control."""
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    among = f" (in JupyterLab it moves through {', '.join(_fmt(v) for v in values)})" if values else ""
    return f"Control: {name} = {shown}{among}; the figure below is drawn at {name} = {shown}."


def _fmt(v):
    return f"{v:g}" if isinstance(v, float) else str(v)


def movable_figure(draw, name, values, value=None, alt=None, description=None):
    """Show a control over ``values`` (a sequence, in order: one button each) and the figure
    ``draw(value)`` under it.

    ``draw(v)`` returns a matplotlib Figure. ``value`` is the default (the static twin is drawn at
    it; the first of ``values`` if None). ``alt``: the figure's text alternative, a string or a
    function of the value. ``description``: the control's label (``name`` if None). Returns a
    :class:`MovableFigure`.
    """
    import ipywidgets as widgets
    from IPython.display import display

    values = list(values)
    if not values:
        raise ValueError("movable_figure needs at least one value")
    value = values[0] if value is None else value
    if value not in values:
        raise ValueError(f"the default value {value!r} is not among the values {values!r}")
    label = description or name
    control = widgets.ToggleButtons(options=[(_fmt(v), v) for v in values], value=value, description=label,
                                    tooltips=[f"{name} = {_fmt(v)}" for v in values],
                                    style={"description_width": "initial", "button_width": "auto"})
    bundle = control._repr_mimebundle_()
    bundle["text/plain"] = static_text(name, value, values)
    display(bundle, raw=True)
    moving = MovableFigure(control=control, handle=None, draw=draw, alt=alt, name=name)
    moving.handle = _show(draw(value), moving.alt_at(value))
    control.observe(lambda change: moving.redraw(change["new"]), names="value")
    return moving
