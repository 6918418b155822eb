r"""The studies: what BatchNorm does, measured over seeds, with the runs too long for a notebook stored.

Each study is a module with

* ``FULL``: the configuration of the stored run (at least five seeds), and ``REDUCED``: a small one
  that a notebook reruns live in a few seconds;
* ``run(**config)``: the measurements, a dictionary of lists (one entry per seed where it applies);
* ``conclusions(results)``: asserts each conclusion the course states, on *every* seed, and returns
  the sentences it checked (an ``AssertionError`` names the one that fails);
* ``table(results)``: the numbers as text, mean ± std over the seeds.

``python -m bncourse.studies [name ...]`` (``make studies``) runs the full configurations and writes
each one's results, with its configuration and the machine, to ``data/<name>.json``; :func:`load`
reads them. ``tests/test_studies.py`` reruns every study's conclusions on other seeds.

:mod:`bncourse.studies.bn_order` (notebook 14: BatchNorm before or after the activation, and PreciseBN's
recalibration) is stored the same way, in ``data/bn_order_study.json``, by its own command,
``python -m bncourse.tools.bn_order_study``.
"""
import datetime
import importlib
import json
import os
import platform
from importlib import resources

import numpy as np

__all__ = ["STUDIES", "study", "load", "machine", "mean_std", "fmt", "DATA"]

#: The studies, in the order of the notebooks that use them: 00 (motivation), 09 (lr_sweep, jitter), 16
#: (covariate_shift, depth, explosion, scale), 11 (batch_size, init_scale).
STUDIES = ("motivation", "lr_sweep", "jitter", "covariate_shift", "depth", "explosion", "scale",
           "batch_size", "init_scale")
DATA = resources.files(__package__).joinpath("data")


def study(name):
    """The module of the study ``name``."""
    if name not in STUDIES:
        raise ValueError(f"no study {name!r}; the studies are {', '.join(STUDIES)}")
    return importlib.import_module(f"{__name__}.{name}")


def machine():
    """Where a stored run was made: the CPU, Python, NumPy, the BLAS threads, the load average (the other
    programs running then, which slow the wall clock) and the date."""
    from bncourse.bench import cpu_model
    return {"cpu": cpu_model(), "python": platform.python_version(), "numpy": np.__version__,
            "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"), "load_average": round(os.getloadavg()[0], 1),
            "date": datetime.date.today().isoformat()}


def load(name):
    """The stored run of a study: a dict with ``config``, ``machine``, ``seconds`` (wall clock),
    ``cpu_seconds`` and ``results``."""
    study(name)
    return json.loads(DATA.joinpath(f"{name}.json").read_text())


def mean_std(values, axis=0):
    """Mean and standard deviation (ddof = 1, over ``axis``, the seeds) of an array-like."""
    values = np.asarray(values, dtype=float)
    return values.mean(axis=axis), values.std(axis=axis, ddof=1 if values.shape[axis] > 1 else 0)


def fmt(values, digits=3):
    """'mean ± std' of the values over the seeds (axis 0)."""
    mean, std = mean_std(values)
    return f"{mean:.{digits}f} ± {std:.{digits}f}"
