import os

import nbformat
import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def course_kernel():
    """One course kernel for the tests that run notebooks as a learner would (see learner_play.run)."""
    from jupyter_core.utils import run_sync
    from nbclient import NotebookClient

    from bncourse import ROOT
    from bncourse.notebook import KERNEL
    km = NotebookClient(nbformat.v4.new_notebook(), kernel_name=KERNEL).create_kernel_manager()
    run_sync(km.start_kernel)(cwd=str(ROOT / "notebooks"))
    yield km
    run_sync(km.shutdown_kernel)(now=True)
