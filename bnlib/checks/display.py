"""How a failed check looks in IPython/JupyterLab: the diagnosis first, no wall of traceback."""

__all__ = ["install_display"]


def install_display():
    """In an IPython kernel, show CheckFailed as its message alone (does nothing elsewhere).

    The cell still ends in an error (so "Run All" stops there, and nbclient and
    nbval see the failure); only the rendering of the traceback changes.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    ip = get_ipython()
    if ip is None:
        return
    from .core import CheckFailed, RED, RESET

    def show_check_failed(shell, etype, value, tb, tb_offset=None):
        text = f"{RED}\u2718 CheckFailed{RESET} {value}"
        shell._showtraceback(etype, value, [text])
        return [text]

    ip.set_custom_exc((CheckFailed,), show_check_failed)
