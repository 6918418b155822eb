r"""The figures of the course, one module per chapter: a figure cell of a notebook is one call.

The notebook keeps the computation, these modules the drawing. The only part of the course
that imports matplotlib.

* :mod:`.forward` (01), :mod:`.graph` (02, 04), :mod:`.backward` (03, 05), :mod:`.critical` (06),
  :mod:`.beyond` (07), :mod:`.training` (08, 09, 11), :mod:`.jacobian` (10), :mod:`.network` (13),
  :mod:`.practice` (14), :mod:`.studies` (00, 09, 11, 16: means over seeds with their spread).
"""
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
