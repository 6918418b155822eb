"""The input checks of the sharded BatchNorm and of BatchNorm's relatives (notebook 15).

Same rules as :mod:`bnlib.validate`, whose basic checks these build on: ``require_*`` refuses one
bad value, ``validate_*`` checks the inputs of one kind of call; every message names the problem.
"""
import numpy as np

from .validate import (as_float_array, is_integer, is_real_number, require_cache, require_eps, require_param,
                       validate_batch, validate_dout)

__all__ = ["require_allreduce", "require_ghost_size", "require_renorm_limits", "require_positive",
           "validate_shards", "validate_shard_douts"]


def require_allreduce(allreduce):
    """Refuse an ``allreduce`` that is not a function of the list of per-shard partial sums."""
    if not callable(allreduce):
        raise TypeError(f"allreduce must be a function: allreduce(parts) returns the sum of the partial sums "
                        f"over every shard (bnlib.local_allreduce in one process); got {type(allreduce).__name__}")
    return allreduce


def validate_shards(shards, gamma, beta, allreduce, eps):
    """The shards of one batch: a non-empty list of (m_k, D) arrays (m_k >= 1, one dtype), gamma and
    beta (D,) in that dtype, a callable allreduce and eps > 0. Returns them, clean."""
    if not isinstance(shards, (list, tuple)) or len(shards) == 0:
        raise TypeError("shards must be a non-empty list of arrays (m_k, D), the part of the batch on each "
                        f"device; got {type(shards).__name__}")
    first = validate_batch("shards[0]", shards[0])
    D = first.shape[1]
    clean = [first] + [as_float_array(f"shards[{k}]", s, like=first) for k, s in enumerate(shards) if k]
    for k, s in enumerate(clean):
        validate_batch(f"shards[{k}]", s, D=D, why=" (every shard has the same features)")
        if s.shape[0] < 1:
            raise ValueError(f"shards[{k}] has no rows: every shard holds at least one sample")
    gamma = require_param("gamma", gamma, first, (D,), " (one scale per feature)")
    beta = require_param("beta", beta, first, (D,), " (one shift per feature)")
    return clean, gamma, beta, require_allreduce(allreduce), require_eps(eps)


def validate_shard_douts(douts, caches, kind, allreduce):
    """One dout per shard, each of the shape of its shard's cached xhat; the caches of ``kind``."""
    require_allreduce(allreduce)
    if not isinstance(caches, (list, tuple)) or not isinstance(douts, (list, tuple)) or len(douts) != len(caches):
        raise ValueError("douts and caches must be two lists of the same length, one entry per shard "
                         "(caches: the second value returned by sharded_batchnorm_forward)")
    for cache in caches:
        require_cache(cache, kind, "sharded_batchnorm_forward")
    return [validate_dout(d, c.xhat) for d, c in zip(douts, caches)]


def require_ghost_size(ghost_size, N):
    """The rows of one virtual batch: an int >= 2 that divides N."""
    if not is_integer(ghost_size) or ghost_size < 2:
        raise ValueError(f"ghost_size must be an int >= 2 (a virtual batch needs a variance); got {ghost_size!r}")
    if N % ghost_size:
        raise ValueError(f"N = {N} rows cannot be split into virtual batches of ghost_size = {ghost_size}: "
                         f"ghost_size must divide N (N % ghost_size = {N % ghost_size})")
    return int(ghost_size)


def require_renorm_limits(r_max, d_max):
    """Batch Renormalization's clipping limits: r_max >= 1 and d_max >= 0, real numbers."""
    if not (is_real_number(r_max) and np.isfinite(r_max) and r_max >= 1):
        raise ValueError(f"r_max must be a number >= 1 (r is clipped to [1/r_max, r_max]); got {r_max!r}")
    if not (is_real_number(d_max) and np.isfinite(d_max) and d_max >= 0):
        raise ValueError(f"d_max must be a number >= 0 (d is clipped to [-d_max, d_max]); got {d_max!r}")
    return float(r_max), float(d_max)


def require_positive(name, a):
    """Refuse an array with an entry <= 0 (a standard deviation that divides)."""
    if np.any(a <= 0):
        raise ValueError(f"{name} must be > 0 (it divides); its smallest entry is {a.min():.4g}")
    return a
