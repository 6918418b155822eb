r"""The figures of the course, one module per chapter: a figure cell of a notebook is one call.

The notebook keeps the computation, these modules the drawing. The only part of the course
that imports matplotlib.

* :mod:`.forward` (01), :mod:`.graph` (02, 04), :mod:`.backward` (03, 05), :mod:`.critical` (06),
  :mod:`.beyond` (07), :mod:`.training` (08, 09, 11), :mod:`.jacobian` (10), :mod:`.network` (13),
  :mod:`.practice` (14), :mod:`.studies` (00, 09, 11, 16: means over seeds with their spread).

Every colour comes from :mod:`.style` (Okabe–Ito; viridis and cividis for maps), and no two things
are told apart by colour alone (``tests/test_accessibility.py`` draws every figure and checks
both). Importing this package sets matplotlib's colour cycle to the same palette, so that a
figure a notebook draws itself takes the course's colours too.
"""
import matplotlib.pyplot as plt

from .style import course_style

from .backward import *  # noqa: F401,F403
from .beyond import *  # noqa: F401,F403
from .critical import *  # noqa: F401,F403
from .forward import *  # noqa: F401,F403
from .graph import *  # noqa: F401,F403
from .jacobian import *  # noqa: F401,F403
from .network import *  # noqa: F401,F403
from .studies import *  # noqa: F401,F403
from .practice import *  # noqa: F401,F403
from .training import *  # noqa: F401,F403

plt.rcParams.update(course_style())
