"""What the course's kernel changes in how outputs look: an IPython extension.

The course's kernel (``bn-course``, registered by ``python -m bncourse.tools.kernel``) loads it at
start; ``%load_ext bncourse.display`` loads it in any other IPython kernel. It installs

* :func:`bncourse.checks.display.install_display`: a failed check shows as its message alone;
* :func:`bncourse.alt_text.install_figure_alt`: in JupyterLab, a figure of a cell whose metadata
  has an ``"alt"`` is shown with that text alternative.

Importing the course installs nothing: the kernel that shows the outputs does.
"""
from bncourse.alt_text import install_figure_alt
from bncourse.checks.display import install_display

__all__ = ["load_ipython_extension"]


def load_ipython_extension(ip):
    """``%load_ext bncourse.display`` (and the course kernel's ``--ext``)."""
    install_display(ip)
    install_figure_alt(ip)
