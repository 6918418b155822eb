"""Exercise checkers: each passes with one green line or raises CheckFailed naming the mistake.

Every checker takes the learner's *function* (not its result), calls it on
inputs chosen so that bugs cannot hide, and compares with bnlib's reference.
How a failure is shown in a notebook is set up by the course's kernel, which
loads the IPython extension :mod:`bncourse.display` (which installs
:mod:`bncourse.checks.display`); importing this package installs nothing.
"""
from .core import CheckFailed
from .warmup import *  # noqa: F401,F403  notebook 00
from .forward import *  # noqa: F401,F403  check_forward (notebook 01)
from .backward import *  # noqa: F401,F403  check_backward, check_gamma_beta
from .graph import *  # noqa: F401,F403  notebooks 01-03
from .derivation import *  # noqa: F401,F403  notebooks 04-05
from .critical import *  # noqa: F401,F403  notebook 06
from .beyond import *  # noqa: F401,F403  notebook 07
from .layers import *  # noqa: F401,F403  notebooks 08-09
from .jacobian import *  # noqa: F401,F403  notebook 10
from .depth import *  # noqa: F401,F403  notebook 16
from .network import *  # noqa: F401,F403  notebook 13
from .practice import *  # noqa: F401,F403  notebook 14
from .statistics import *  # noqa: F401,F403  notebook 15
from .questions import check_answer  # noqa: F401  the conceptual questions of every notebook
from .hints import hint  # noqa: F401  more help on an exercise, a step at a time: hint("02.3")
