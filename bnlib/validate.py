"""Every input check of bnlib, in one place.

Each function either returns a clean value or raises an error whose message
names the problem in the words of the course (shape, dtype, batch size, NaN),
so that a learner never has to read a traceback from deep inside NumPy.

The rule of the library: a public function validates its inputs once, with
the functions of this module, then calls a private kernel (``_batchnorm_forward``,
``_normalize_forward``, ...) that trusts them. A wrapper (a layer, a norm that
chooses axes) validates what it knows, then calls the kernel directly, so no
input is checked twice.

Two families of names: ``require_*`` refuses a bad value (and returns the
value, cleaned, where there is something to clean); ``validate_*`` checks and
converts the inputs of one kind of call at once.

dtype policy (the same everywhere in bnlib):

* float32 and float64 arrays are used as they are; the result has the same
  dtype as ``x``.
* integer and boolean arrays are *converted* to float64 (a batch of integer
  pixel values is a legitimate input; normalizing it needs fractions).
* float16 and longdouble are converted to float64.
* object, complex, string and datetime arrays are *refused* with a TypeError:
  they have no meaningful mean and variance here.
"""
import numbers

import numpy as np

__all__ = [
    "as_float_array", "require_2d", "require_ndim", "require_finite", "require_finite_via_sum",
    "require_finite_variance", "require_shape", "require_batch_size", "require_group_size", "require_eps",
    "require_eps_or_zero", "require_one_feature", "require_integer", "require_count",
    "require_positive_number", "require_nonnegative_number", "require_groups", "require_momentum", "require_axes", "require_cache",
    "require_block_rows", "require_nonnegative", "require_layer", "require_choice",
    "require_forward_first", "require_param", "validate_batch", "validate_labels",
    "validate_forward_inputs", "validate_conv_inputs", "validate_dout", "validate_backward_inputs",
    "validate_sizes", "validate_weights", "validate_batch_size",
]

KEPT_DTYPES = (np.float32, np.float64)


# ---------------------------------------------------------------- arrays and their dtype

def as_float_array(name, a, like=None):
    """Return ``a`` as a float32 or float64 array, following the dtype policy.

    With ``like`` given, the result takes the dtype of ``like`` (used for
    gamma, beta and dout, which follow the dtype of x).
    """
    try:
        arr = np.asarray(a)
    except Exception as exc:  # ragged lists and other things NumPy refuses
        raise TypeError(f"{name} could not be turned into an array: {exc}") from None
    kind = arr.dtype.kind
    if kind in "iub":
        arr = arr.astype(np.float64)
    elif kind == "f":
        if arr.dtype.type not in KEPT_DTYPES:
            arr = arr.astype(np.float64)
    else:
        raise TypeError(
            f"{name} has dtype {arr.dtype}; bnlib needs real numbers "
            "(float32 or float64; integers are converted to float64)"
        )
    if like is not None and arr.dtype != like.dtype:
        arr = arr.astype(like.dtype)
    return arr


# ---------------------------------------------------------------- shapes and values

def require_2d(name, a):
    """Refuse anything but a 2-D (N, D) array."""
    require_ndim(name, a, 2, "(N, D) = (batch, features)")


def require_ndim(name, a, ndim, layout):
    """Refuse an array with the wrong number of axes, naming the expected layout."""
    if a.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D with shape {layout}; "
                         f"got {a.ndim}-D with shape {a.shape}")


def require_finite(name, a):
    """Refuse NaN and infinity, saying how many entries and where the first one is."""
    bad = ~np.isfinite(a)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        n_nan = int(np.isnan(a).sum())
        n_inf = int(bad.sum()) - n_nan
        raise ValueError(
            f"{name} contains {n_nan} NaN and {n_inf} inf value(s); "
            f"the first is at index {first}"
        )


def require_finite_via_sum(name, a, column_sums):
    """Refuse NaN and inf in ``a``, given ``column_sums = a.sum(axis=0)``.

    One NaN or inf makes the sum of its column NaN or inf, so finite sums prove
    every entry finite, without a pass over the (N, D) array just to check.
    Only when a sum is not finite is every entry looked at, to say which is bad
    (if none is, finite numbers overflowed in the sum, and ``a`` is accepted).
    """
    if not np.isfinite(column_sums).all():
        require_finite(name, a)


def require_finite_variance(name, var):
    """Refuse a variance that overflowed: the squares of x - mu passed the largest float.

    Then sqrt(var + eps) is inf and every xhat would be 0 without a word. BatchNorm's output
    hardly depends on the scale of its input, so dividing x by a large number first is safe.
    """
    if not np.isfinite(var).all():
        largest = np.finfo(var.dtype).max
        raise ValueError(
            f"the variance of {name} overflows {var.dtype} (its squares pass {largest:.3g}): {name} is far too "
            f"large (|{name}| up to about {np.sqrt(largest):.3g} is safe). Scale it down first, "
            f"e.g. {name} / abs({name}).max(): the normalized output does not change with the scale of {name}")


def require_nonnegative(name, a):
    """Refuse an array with a negative entry (a variance)."""
    if np.any(a < 0):
        raise ValueError(f"{name} must be >= 0 (it is a variance); its smallest entry is {a.min():.4g}")


def require_shape(name, a, shape, why=""):
    """Refuse an array whose shape is not exactly ``shape``."""
    if a.shape != tuple(shape):
        raise ValueError(
            f"{name} must have shape {tuple(shape)}{why}; got shape {a.shape}"
        )


def require_batch_size(N, minimum=2):
    """Refuse a training batch too small for a batch variance."""
    if N < minimum:
        raise ValueError(
            f"batch too small: N = {N}. Training-mode BatchNorm needs N >= {minimum}: "
            "the variance of a single sample is 0, so every output would be beta "
            "and every input gradient 0 (use running statistics in eval mode instead)"
        )


def require_group_size(m, where):
    """Refuse a normalization whose groups are too small for a variance (m < 2)."""
    if m < 2:
        raise ValueError(
            f"too few elements to normalize: {where} = {m}. A variance needs at least "
            "2 elements; with m = 1 every xhat is 0, every output is beta and every "
            "gradient dx is 0")


# ---------------------------------------------------------------- numbers

def is_real_number(value):
    """True for a Python or NumPy real number (int or float); False for a bool, a string, an array."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def require_eps(eps):
    """Refuse an eps that is not a positive finite real number; return it as a float."""
    if not is_real_number(eps):
        raise TypeError(f"eps must be a positive real number, such as 1e-5; got {eps!r} ({type(eps).__name__})")
    value = float(eps)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(
            f"eps must be > 0 (it keeps sqrt(var + eps) away from zero); got {eps!r}"
        )
    return value


def require_eps_or_zero(eps):
    """eps > 0 as everywhere in bnlib, or exactly 0 (the Jacobian of one feature, where eps = 0 makes
    it a projection); return it as a float."""
    if is_real_number(eps) and eps == 0:
        return 0.0
    return require_eps(eps)


def require_one_feature(name, x):
    """The m >= 2 finite samples of ONE feature, shape (m,), as a float array."""
    x = as_float_array(name, x)
    if x.ndim != 1:
        raise ValueError(f"{name} must be the m samples of ONE feature, shape (m,); got shape {x.shape} "
                         "(for a batch (N, D) take one column, x[:, d])")
    if x.shape[0] < 2:
        raise ValueError(f"a batch needs m >= 2 samples to have a variance; got m = {x.shape[0]}")
    require_finite(name, x)
    return x


def is_integer(a):
    """True for a Python or NumPy integer (not a bool)."""
    return isinstance(a, (int, np.integer)) and not isinstance(a, (bool, np.bool_))


def require_integer(name, value):
    """Refuse anything but a Python or NumPy integer (a bool is refused); return it as an int."""
    if not is_integer(value):
        raise TypeError(f"{name} must be an int; got {value!r}")
    return int(value)


def require_count(name, value):
    """Refuse anything but an integer >= 1 (a number of features, of inputs, ...); return it as an int.

    A value that is not an integer at all is a TypeError; an integer below 1 a ValueError.
    """
    if not is_integer(value):
        raise TypeError(f"{name} must be a positive integer; got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer (>= 1); got {value}")
    return int(value)


def require_positive_number(name, value):
    """Refuse anything but a finite real number > 0 (a learning rate, say); return it as a float."""
    if not is_real_number(value):
        raise TypeError(f"{name} must be a positive number; got {value!r}")
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive number; got {value!r}")
    return float(value)


def require_nonnegative_number(name, value):
    """Refuse anything but a finite real number >= 0 (a weight decay, an initial scale); return it as a float."""
    if not is_real_number(value):
        raise TypeError(f"{name} must be a number >= 0; got {value!r}")
    if not (np.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a number >= 0; got {value!r}")
    return float(value)


def require_groups(G, C):
    """Refuse a number of groups that is not a positive int dividing C; return it as an int."""
    G = require_integer("G, the number of groups,", G)
    if G < 1:
        raise ValueError(f"G, the number of groups, must be >= 1; got {G}")
    if C % G != 0:
        raise ValueError(f"C = {C} channels cannot be split into G = {G} groups of equal size: "
                         f"C must be divisible by G (C % G = {C % G})")
    return G


def require_momentum(momentum):
    """Refuse a momentum outside [0, 1]; None (a plain average of all batches, as PyTorch) passes."""
    if momentum is None:
        return None
    if isinstance(momentum, (bool, np.bool_)) or not isinstance(momentum, (int, float, np.number)):
        raise TypeError(f"momentum must be a number in [0, 1]; got {momentum!r}")
    value = float(momentum)
    if not 0.0 <= value <= 1.0:
        raise ValueError(
            f"momentum must be in [0, 1] (the weight of the new batch, PyTorch's convention); "
            f"got {momentum!r}"
        )
    return value


def require_axes(axes, ndim):
    """The reduced axes as a sorted tuple of non-negative ints (negative counts from the end)."""
    if is_integer(axes):
        axes = (axes,)
    if not isinstance(axes, (tuple, list)) or not all(is_integer(a) for a in axes):
        raise TypeError(f"axes must be an int or a tuple of ints; got {axes!r}")
    if not axes:
        raise ValueError("axes is empty: name at least one axis to normalize over")
    if any(not -ndim <= a < ndim for a in axes):
        raise ValueError(f"axes {tuple(axes)} out of range for an array with {ndim} axes")
    axes = tuple(sorted(int(a) % ndim for a in axes))
    if len(set(axes)) != len(axes):
        raise ValueError(f"axes {axes} names an axis twice")
    return axes


def require_block_rows(block_rows):
    """The number of rows of one block of a tuned kernel: an int >= 1."""
    return require_count("block_rows", block_rows)


def require_layer(name, layer, kind, training=None):
    """Refuse anything but an instance of ``kind``; with ``training`` given, in that mode."""
    if not isinstance(layer, kind):
        raise TypeError(f"{name} must be a bnlib.{kind.__name__}; got {type(layer).__name__}")
    if training is not None and layer.training != training:
        wanted, call = ("training", "train()") if training else ("eval", "eval()")
        raise ValueError(f"{name} is not in {wanted} mode; this reproduces {wanted} mode only: "
                         f"call {name}.{call} first")


def require_choice(name, value, choices):
    """Refuse a value that is not one of ``choices``; return it."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}")
    return value


def require_forward_first(kept):
    """Refuse a backward pass before any forward pass (``kept``: what the forward pass keeps, else None)."""
    if kept is None:
        raise RuntimeError("backward() needs a forward() first: there is nothing to differentiate")


def require_cache(cache, kind, layer, any_layer=False):
    """Refuse a cache that is not a ``kind`` made by the forward pass ``layer``.

    A cache with a ``layer`` field (the norms of notebook 07) must name ``layer``
    there, unless ``any_layer`` (a general backward pass takes every such cache).
    """
    if not isinstance(cache, kind):
        made_by = type(cache).__name__
    else:
        made_by = layer if any_layer else getattr(cache, "layer", layer)
    if made_by != layer:
        raise TypeError(f"cache must be the second value returned by {layer}; got {made_by}")


# ---------------------------------------------------------------- the inputs of one call

def require_param(name, p, x, shape=None, why=""):
    """gamma, beta (or a running statistic) in the dtype of x, finite; of ``shape`` when given.

    Without ``shape`` the parameter must broadcast against x: it gets x's number
    of axes, each of length 1 or the length of x's axis (the general norm).
    """
    p = as_float_array(name, p, like=x)
    if shape is not None:
        require_shape(name, p, shape, why)
    else:
        if p.ndim > x.ndim:
            raise ValueError(f"{name} has {p.ndim} axes but x has only {x.ndim}")
        p = p.reshape((1,) * (x.ndim - p.ndim) + p.shape)
        if any(n not in (1, nx) for n, nx in zip(p.shape, x.shape)):
            raise ValueError(f"{name} with shape {p.shape} does not broadcast against x of shape "
                             f"{x.shape}: each axis must have length 1 or the length of x's axis")
    require_finite(name, p)
    return p


def validate_batch(name, x, D=None, why="", finite=True):
    """x as a float (N, D) array; with ``D`` given, exactly D features; finite unless told not to."""
    x = as_float_array(name, x)
    require_2d(name, x)
    if D is not None and x.shape[1] != D:
        raise ValueError(f"{name} must have shape (N, {D}){why}; got shape {x.shape}")
    if finite:
        require_finite(name, x)
    return x


def validate_labels(name, labels, N, K=None):
    """N integer class labels, shape (N,), each in 0..K-1 when K (the number of classes) is given."""
    labels = np.asarray(labels)
    if labels.shape != (N,) or labels.dtype.kind not in "iu":
        raise ValueError(f"{name} must be {N} integer class labels, shape ({N},); "
                         f"got dtype {labels.dtype}, shape {labels.shape}")
    if K is not None and labels.size and (labels.min() < 0 or labels.max() >= K):
        raise ValueError(f"{name} must lie in 0..{K - 1} (the columns of logits)")
    return labels


def validate_forward_inputs(x, gamma, beta, eps, finite_x=True):
    """The inputs of a training-mode BatchNorm forward pass: ``(x, gamma, beta, eps)``, clean.

    x is (N, D) with N >= 2; gamma and beta are (D,) in the dtype of x; eps > 0.
    With ``finite_x=False`` x is not checked for NaN and inf: the kernel does it
    from ``x.sum(axis=0)`` (see :func:`require_finite_via_sum`).
    """
    x = validate_batch("x", x, finite=finite_x)
    N, D = x.shape
    require_batch_size(N)
    gamma = require_param("gamma", gamma, x, (D,), " (one scale per feature of x)")
    beta = require_param("beta", beta, x, (D,), " (one shift per feature of x)")
    return x, gamma, beta, require_eps(eps)


def validate_conv_inputs(x, gamma, beta):
    """x as a float (N, C, H, W) array; gamma and beta as (C,) arrays in its dtype."""
    x = as_float_array("x", x)
    require_ndim("x", x, 4, "(N, C, H, W) = (batch, channels, height, width)")
    C = x.shape[1]
    gamma = require_param("gamma", gamma, x, (C,), " (one value per channel of x)")
    beta = require_param("beta", beta, x, (C,), " (one value per channel of x)")
    return x, gamma, beta


def validate_weights(name, W, D_out):
    """A weight matrix (D_in, D_out) of ``y = x @ W + b``, finite, whose D_out columns are the next layer's features."""
    W = as_float_array(name, W)
    if W.ndim != 2 or W.shape[1] != D_out:
        raise ValueError(f"{name} must have shape (D_in, {D_out}): its columns are the {D_out} features of the "
                         f"layer after it (y = x @ {name} + b); got shape {W.shape}")
    require_finite(name, W)
    return W


def validate_sizes(sizes):
    """The layer widths of an MLP, [D_in, H1, ..., D_out]: at least two positive integers."""
    if (not isinstance(sizes, (list, tuple)) or len(sizes) < 2
            or not all(is_integer(s) and s >= 1 for s in sizes)):
        raise ValueError(f"sizes must be >= 2 positive integers [D_in, ..., D_out]; got {sizes!r}")
    return [int(s) for s in sizes]


def validate_batch_size(batch_size, N):
    """A mini-batch size for training with BatchNorm: an integer from 2 to N (the training set)."""
    if not (is_integer(batch_size) and 2 <= batch_size <= N):
        raise ValueError(f"batch_size must be an integer from 2 to N = {N}; got {batch_size!r}")
    return int(batch_size)


def validate_backward_inputs(dout, cache, kind, layer, shape=None, finite=True):
    """``dout`` checked against the cache of the forward pass ``layer`` it belongs to (its xhat's shape,
    or ``shape``); see :func:`validate_dout` for ``finite``."""
    require_cache(cache, kind, layer)
    return validate_dout(dout, cache.xhat, shape, finite)


def validate_dout(dout, like, shape=None, finite=True):
    """dout in the dtype of ``like`` (the cached xhat), of ``shape`` (default: like's), finite.

    With ``finite=False`` dout is not checked for NaN and inf: the kernel does it
    from ``dout.sum(axis=0)`` (see :func:`require_finite_via_sum`).
    """
    dout = as_float_array("dout", dout, like=like)
    require_shape("dout", dout, like.shape if shape is None else shape, " (the shape of x and of out)")
    if finite:
        require_finite("dout", dout)
    return dout
