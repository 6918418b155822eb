r"""The text alternative of a figure: written once, in the figure cell's metadata, and shown everywhere.

The convention: a code cell that draws a figure carries, in its metadata, the key ``"alt"``: one or
two sentences that say what the figure shows and what to read from it (a string). From there it
reaches

* **the stored notebook**: ``make execute`` copies it into the metadata of each image output
  (``{"image/png": {"alt": ...}}``, the place IPython's ``Image(alt=...)`` uses);
* **the static book**: ``make html`` writes it as the ``alt`` of the figure's ``<img>``
  (nbconvert would otherwise write "No description has been provided for this image");
* **JupyterLab**: its image renderer (JupyterLab 4.6, ``renderImage`` of ``@jupyterlab/rendermime``)
  reads no alt text from anywhere. So the course's kernel (:func:`install_figure_alt`, loaded with
  the kernel by :mod:`bncourse.display`) adds to each figure it shows, in a cell that has an alt, an
  HTML form of the same PNG, ``<img src="data:image/png;base64,..." alt="...">``, which JupyterLab
  prefers to the bare PNG. It finds the cell by the id that JupyterLab sends with each execution and
  the notebook by the path the Jupyter server gives the kernel (``JPY_SESSION_NAME``). Outside
  JupyterLab (nbclient, nbval) no cell id is sent and the outputs stay as they are, so the stored
  notebooks and nbval's comparisons do not change.

An output may carry its own alt (``display(fig, metadata={"image/png": {"alt": ...}})``, as
:mod:`bncourse.widgets` does for a figure that changes with a control, and :func:`show_figure` for a figure
that changes from run to run); it wins over the cell's.
"""
import html
import json
import os
from pathlib import Path

__all__ = ["ALT_KEY", "NO_DESCRIPTION", "IMAGE_TYPES", "cell_alt", "figure_outputs", "output_alt",
           "cells_missing_alt", "copy_alt_to_outputs", "alt_html", "show_figure", "install_figure_alt"]

ALT_KEY = "alt"
#: nbconvert's alt text for an image without one: not a text alternative.
NO_DESCRIPTION = "No description has been provided for this image"
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")


def cell_alt(cell):
    """The text alternative in a cell's metadata, stripped, or None (none, empty, not a string)."""
    alt = cell.get("metadata", {}).get(ALT_KEY)
    return alt.strip() if isinstance(alt, str) and alt.strip() else None


def figure_outputs(cell):
    """The outputs of a code cell that show an image."""
    if cell.get("cell_type") != "code":
        return []
    return [out for out in cell.get("outputs", []) if any(t in out.get("data", {}) for t in IMAGE_TYPES)]


def output_alt(output):
    """The alt text an image output carries in its own metadata, or None."""
    for mime in IMAGE_TYPES:
        alt = output.get("metadata", {}).get(mime, {}).get(ALT_KEY)
        if isinstance(alt, str) and alt.strip():
            return alt.strip()
    return None


def cells_missing_alt(nb):
    """Indices of the cells of ``nb`` that show a figure with no text alternative (in the cell's
    metadata or the output's)."""
    return [i for i, cell in enumerate(nb["cells"])
            if any(output_alt(out) is None for out in figure_outputs(cell)) and cell_alt(cell) is None]


def copy_alt_to_outputs(nb):
    """Write each figure cell's alt into the metadata of its image outputs (an output's own alt
    stays). Returns the number of outputs changed."""
    changed = 0
    for cell in nb["cells"]:
        alt = cell_alt(cell)
        if alt is None:
            continue
        for out in figure_outputs(cell):
            if output_alt(out) is not None:
                continue
            mime = next(t for t in IMAGE_TYPES if t in out["data"])
            out.setdefault("metadata", {}).setdefault(mime, {})[ALT_KEY] = alt
            changed += 1
    return changed


def alt_html(png_base64, alt):
    """The HTML form of a PNG figure with its text alternative."""
    data = "".join(png_base64.split()) if isinstance(png_base64, str) else png_base64
    return (f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
            'style="max-width:100%;height:auto">')


def show_figure(fig, alt):
    """Show a matplotlib figure with a text alternative of its own, in the output's metadata: for a figure
    whose content changes from run to run (a timing), whose alt is computed from the same numbers. The
    figure is closed, so that the inline backend does not show it a second time."""
    import matplotlib.pyplot as plt
    from IPython.display import display
    try:
        display(fig, metadata={"image/png": {ALT_KEY: alt}})
    finally:
        plt.close(fig)


# ----------------------------------------------------------------------------- in the kernel

class _NotebookAlts:
    """The alt of each cell id of the notebook the kernel serves, read from disk (cached by mtime)."""

    def __init__(self):
        self._cache = {}   # path -> (mtime, {cell id: alt})

    def notebook_path(self):
        name = os.environ.get("JPY_SESSION_NAME")
        if not name:
            return None
        path = Path(name)
        if path.is_absolute() and path.exists():
            return path
        here = Path.cwd() / path.name   # the server starts the kernel in the notebook's folder
        return here if here.exists() else None

    def alt(self, cell_id):
        path = self.notebook_path()
        if path is None or not cell_id:
            return None
        try:
            mtime = path.stat().st_mtime
            if self._cache.get(path, (None,))[0] != mtime:
                cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
                self._cache[path] = (mtime, {c.get("id"): cell_alt(c) for c in cells if c.get("id")})
            return self._cache[path][1].get(cell_id)
        except (OSError, ValueError):
            return None


def install_figure_alt(ip=None):
    """In the course's kernel: each figure shown by a cell whose metadata has an alt (or carrying
    its own) gets an HTML form with that alt, which JupyterLab renders instead of the bare PNG.
    Does nothing outside an IPython kernel. Returns the message hook (None when not installed)."""
    if ip is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return None
        ip = get_ipython()
    publisher = getattr(ip, "display_pub", None)
    if ip is None or not hasattr(publisher, "register_hook"):
        return None
    alts = _NotebookAlts()
    current = {"cell_id": None}

    def remember_cell(info):
        current["cell_id"] = getattr(info, "cell_id", None)

    def add_alt(msg):
        if msg.get("msg_type") not in ("display_data", "update_display_data", "execute_result"):
            return msg
        content = msg.get("content", {})
        data, metadata = content.get("data", {}), content.get("metadata", {})
        if not current["cell_id"] or "image/png" not in data or "text/html" in data:
            return msg   # no cell id: not JupyterLab (nbclient and nbval send none); outputs unchanged
        alt = output_alt(content) or alts.alt(current["cell_id"])
        if alt:
            data["text/html"] = alt_html(data["image/png"], alt)
            metadata.setdefault("image/png", {})[ALT_KEY] = alt
        return msg

    ip.events.register("pre_run_cell", remember_cell)
    publisher.register_hook(add_alt)
    return add_alt
