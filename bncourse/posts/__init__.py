"""The five source posts, equation by equation, checked against the verified derivation (notebook 06).

Every equation a post prints for the forward or the backward pass (and what its code computes) is
*transcribed* into SymPy, in the course notation, and compared with the derivation of notebooks
01-05, recomputed from the forward definitions alone: symbolically (the difference must cancel)
and at an exact test point, with finite differences of the loss as a third witness.

The package, one part a file:

* :mod:`bncourse.posts.engine`: the symbols, the verified quantities ``TRUE``, the equality ``same``,
  the test point ``POINT``, ``at_point``, ``finite_difference`` and ``Row``, one checked claim;
* :mod:`bncourse.posts.claims`: the claims that are not one equation, as functions;
* :mod:`bncourse.posts.post000` .. ``post004``: the rows of one post each (data: the transcriptions);
* :mod:`bncourse.posts.csv_table`: all rows, the table and its CSV text (the table writer).
* :mod:`bncourse.posts.snippets`: the code the posts print, verbatim, run as printed (and as Python 2
  read it) for the rows about code;
* :mod:`bncourse.posts.report`: one post's rows as typeset HTML (:func:`~bncourse.posts.report.post_report`,
  notebook 06), read from the committed table without SymPy.

The table ships as package data, ``bncourse/posts/data/equations.csv``: :func:`read_table` reads it
without SymPy; ``make posts`` (``python -m bncourse.tools.posts_table --write``) writes it again after a row
changes, and a test fails while it is out of date.

**The rule that decides a verdict.** A row is judged on the text of the post *as printed*, read
literally, in the course's notation, and nothing else: not on what the author surely meant, not on
the post's code (which gets rows of its own), not on a later line that repairs it. The questions are
asked in this order, and the first that applies gives the verdict:

``lost``       the claim sits in symbols or a formula that our copy of the post does not contain
               (lost in extraction): nothing is rated. The evidence says what is missing and what
               the surviving words and the post's code let us check;
``typo``       the text is ill-formed as printed (a missing :math:`\\partial`, a misspelt term, a
               letter that names nothing in the post), it admits only one reading, and that
               reading is true. A well-formed formula is never a typo, even when it is obviously
               a slip: it is judged as what it literally says;
``notation``   true once the post's names are mapped to the course's (C, l or I for L; a for y;
               a node named after the product it holds; a :math:`\\sigma_i` that already contains
               :math:`\\epsilon`);
``correct``    true as printed;
``overstated`` a claim with a true core stated more generally, or more firmly, than its evidence
               allows: one network's result given as a rule, one machine's measurement given as
               the method's, a hypothesis given as an established fact;
``wrong``      a well-formed statement that is false: a wrong factor, sign, index, symbol, shape,
               a missing sum, or a formula for another quantity than the one it names. The
               evidence says whether the numbers of the post change and whether its code shares
               the error. Code is run as printed, on small inputs, and compared with ``bnlib``;
               arithmetic whose meaning depends on the Python version is rated as Python 2 read
               it when the post was written, in a row of its own.

Three kinds of claim are read the same way in every row:

* **the effect of** :math:`\\epsilon`. What a post says of the normalized output (mean 0, unit
  variance, a standard deviation of :math:`|\\gamma|`) is judged at :math:`\\epsilon = 0`, the
  normalization it describes; :math:`\\epsilon > 0` multiplies the variance by
  :math:`\\sigma_B^2/(\\sigma_B^2+\\epsilon)`, and the evidence says by how much. Such a claim is
  correct when it holds at :math:`\\epsilon = 0`, and wrong only for another reason (a sign, a shape);
* **a measured claim** (a speed, a gain in training) is judged by a measurement of the post's own code
  where it has code (``make bench``, :data:`bncourse.bench.POST001`), by the cited paper's figures
  otherwise: correct when every case measured reproduces it, overstated when only some do or when one
  case is stated as a rule, wrong when none does;
* **an explanation** of why BatchNorm helps is correct only where the evidence settles it; the
  reduction of internal covariate shift, which Santurkar et al. (2018) found to have "little to do
  with the success of BatchNorm" (notebook 09), is a hypothesis, and a post that states it as fact
  overstates it.

Importing this package loads neither SymPy nor a row, and proves nothing: each name below is
loaded from its module the first time it is used.
"""
import csv
import importlib
from importlib import resources

__all__ = [
    "POSTS", "COLUMNS", "VERDICTS", "CSV_NAME", "read_table",
    # from .engine, loaded when first used
    "BATCH_SIZE", "x", "dy", "gamma", "beta", "eps", "s", "mu", "var", "std", "xhat", "y", "loss",
    "TRUE", "POINT", "same", "at_point", "finite_difference", "prove_derivation", "Row",
    # from .csv_table, loaded when first used
    "ROWS", "table", "csv_text", "CSV_PATH",
]

POSTS = {
    "000": "Understanding the gradients for the backward pass of Batch Normalization (vishalvatsalya7, 2019)",
    "001": "the batchnorm_backward_alt post (edited 17/12/2016)",
    "002": "Gradient Calculation For Batch Normalization (2020)",
    "003": "Back propagation in BatchNorm (A. R. Gosthipaty, 2020)",
    "004": "the deepnet BatchNorm post (P. Dahal)",
}
COLUMNS = ("post", "where", "claim", "verdict", "correct_form", "evidence")
VERDICTS = ("correct", "wrong", "typo", "notation", "overstated", "lost")
CSV_NAME = "equations.csv"

_LAZY = {name: "engine" for name in __all__[__all__.index("BATCH_SIZE"):__all__.index("ROWS")]}
_LAZY.update({name: "csv_table" for name in ("ROWS", "table", "csv_text", "CSV_PATH")})


def read_table():
    """The committed table, one dict per row (columns :data:`COLUMNS`), read from the package data."""
    text = resources.files(__name__).joinpath("data", CSV_NAME).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def __getattr__(name):
    """The names of the engine and the table, imported on first use (PEP 562)."""
    if name in _LAZY:
        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
