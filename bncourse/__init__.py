"""bncourse: the course's machinery around bnlib.

bnlib is the NumPy library a learner reads; this package holds what exists for the
course itself:

* :mod:`bncourse.checks`: the exercise checkers and the conceptual questions;
* :mod:`bncourse.notebook`: the notebook model (exercises, learner copies);
* :mod:`bncourse.progress`: the learner's progress table (``make progress``);
* :mod:`bncourse.posts`: the five source posts as data, and their verdicts;
* :mod:`bncourse.figures`: the figures of the notebooks, one module per chapter;
* :mod:`bncourse.symbolic`: SymPy proofs for every batch size m;
* :mod:`bncourse.bench`: the benchmark (``make bench``);
* :mod:`bncourse.data`: the data sets of the notebooks;
* :mod:`bncourse.tools`: the command-line modules behind the Makefile (``python -m bncourse.tools.student``).

Importing this package loads nothing but :mod:`os` and :mod:`pathlib`.
"""
import os
from pathlib import Path

# The checkout the package is installed from (editable): notebooks/, tests/, docs/ are here.
# BNCOURSE_ROOT points the command-line tools at another checkout (the tests of `make update` do).
ROOT = Path(os.environ.get("BNCOURSE_ROOT") or Path(__file__).resolve().parents[1])
