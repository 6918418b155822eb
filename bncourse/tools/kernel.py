"""Register the course's Jupyter kernel, ``bn-course``, inside the running environment.

    python -m bncourse.tools.kernel      # `make env` and binder/postBuild run this

The kernel is this environment's Python with one IPython extension loaded at start,
:mod:`bncourse.display`, which shows a failed check as its message alone (no traceback) and, in
JupyterLab, each figure with the text alternative of its cell. Importing the checkers installs
nothing: the kernel that shows them does.
"""
import json
import sys
from pathlib import Path

from ipykernel.kernelspec import install

from bncourse.notebook import KERNEL, KERNELSPEC

EXTENSION = "bncourse.display"


def main():
    folder = Path(install(kernel_name=KERNEL, display_name=KERNELSPEC["display_name"], prefix=sys.prefix))
    spec_path = folder / "kernel.json"
    spec = json.loads(spec_path.read_text())
    spec["argv"] = [arg for arg in spec["argv"] if not arg.startswith("--ext=")] + [f"--ext={EXTENSION}"]
    spec_path.write_text(json.dumps(spec, indent=1))
    print(f"kernel {KERNEL!r} ({KERNELSPEC['display_name']}) in {folder}, with the extension {EXTENSION}")


if __name__ == "__main__":
    main()
