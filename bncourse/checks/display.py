"""How a failed check looks in IPython/JupyterLab: the diagnosis first, no wall of traceback.

An IPython extension: the course's kernel (``bn-course``, registered by
``python -m bncourse.tools.kernel``) loads it at start, and ``%load_ext bncourse.checks.display``
loads it in any other IPython. Importing the checkers installs nothing.
"""

__all__ = ["install_display", "load_ipython_extension"]


def install_display(ip=None):
    """In an IPython shell (``ip``, else the running one), show CheckFailed as its message alone,
    followed by how to ask for more help, and define ``hint`` (``hint("02.3")``,
    :mod:`bncourse.checks.hints`) in the shell's namespace.

    Does nothing outside IPython. The cell still ends in an error (so "Run All" stops
    there, and nbclient and nbval see the failure); only the rendering of the
    traceback changes.
    """
    if ip is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return
        ip = get_ipython()
    if ip is None:
        return
    from .core import CheckFailed, RED, RESET
    from .hints import more_help

    def show_check_failed(shell, etype, value, tb, tb_offset=None):
        text = f"{RED}\u2718 CheckFailed{RESET} {value}"
        more = more_help(value)
        if more:
            text += f"\n{more}"
        shell._showtraceback(etype, value, [text])
        return [text]

    ip.set_custom_exc((CheckFailed,), show_check_failed)
    from .hints import hint
    if hasattr(ip, "push"):
        ip.push({"hint": hint})          # hint("02.3") in any cell of the course's notebooks


def load_ipython_extension(ip):
    """``%load_ext bncourse.checks.display`` (and the course kernel's ``--ext``)."""
    install_display(ip)
