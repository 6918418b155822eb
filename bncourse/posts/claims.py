"""The claims of the posts that are not one equation, each as a function that is True when it holds.

Some are about distributions (skewness at the test point), some about code (run with NumPy on a
small batch); :mod:`bncourse.posts.engine` gives the symbols and :func:`~bncourse.posts.engine.same`.
"""
import numpy as np
import sympy as sp

from .engine import T, at_point, eps, gamma, m, same, x, xhat, y

PAPER = ("Ioffe, S. and Szegedy, C. (2015). Batch Normalization: Accelerating Deep Network Training "
         "by Reducing Internal Covariate Shift. ICML 2015, arXiv:1502.03167")
SANTURKAR = ("Santurkar, S., Tsipras, D., Ilyas, A. and Madry, A. (2018). How Does Batch Normalization Help "
             "Optimization? NeurIPS 2018, arXiv:1805.11604")
COVARIATE_SHIFT = (f"BatchNorm was introduced to reduce internal covariate shift ({PAPER}), but that "
                   f"explanation is a hypothesis: {SANTURKAR} found that 'such distributional stability of "
                   "layer inputs has little to do with the success of BatchNorm' and argue that it makes the "
                   "optimization landscape smoother instead (notebook 09 repeats their test in miniature). "
                   "The post states the hypothesis as an established fact.")


def skewness(values):
    """Standardized third moment of a list of exact numbers (0 for every Gaussian)."""
    n = len(values)
    centre = sum(values) / n
    second = sum((v - centre) ** 2 for v in values) / n
    third = sum((v - centre) ** 3 for v in values) / n
    return sp.nsimplify(sp.simplify(third / second ** sp.Rational(3, 2)))


def normalization_makes_gaussian():
    """False: the skewness of xhat is the skewness of x (an affine map keeps the shape)."""
    skew_x, skew_xhat = skewness(at_point(list(x))), skewness(at_point(xhat))
    return skew_xhat == 0 and skew_x == skew_xhat


def normalized_has_zero_mean_and_unit_variance():
    """Judged at eps = 0, the normalization the claim describes: mean 0 exactly, and variance 1."""
    mean, variance = sum(xhat) / m, sum(xh ** 2 for xh in xhat) / m
    return same(mean, 0) and same(variance.subs(eps, 0), 1)


def output_std_is_gamma():
    """The standard deviation of y over the batch is gamma? At eps = 0 its square is gamma^2, but a
    standard deviation is never negative, and gamma can be: at gamma = -1 it is 1, not -1."""
    output_var = sum((yi - sum(y) / m) ** 2 for yi in y) / m
    square_right = same(output_var.subs(eps, 0), gamma ** 2)
    negative = sp.sqrt(output_var.subs(eps, 0).subs(gamma, -1)).subs(at_point_values(), simultaneous=True)
    return square_right and sp.simplify(negative - (-1)) == 0


def at_point_values():
    """The test point without gamma (which output_std_is_gamma sets to -1)."""
    from .engine import POINT
    return {k: v for k, v in POINT.items() if k != gamma}


def per_activation_is_per_channel():
    """Normalizing (N, C*H*W) columns, as the flattening code does, against per-channel BatchNorm."""
    from bnlib.norms import spatial_batchnorm_forward
    rng = np.random.default_rng(0)
    N, C, H, W = 2, 3, 2, 2
    x4 = rng.standard_normal((N, C, H, W)) + np.arange(C).reshape(1, C, 1, 1)
    flat = x4.reshape(N, C * H * W)                     # one column per activation (c, h, w)
    per_activation = ((flat - flat.mean(axis=0)) / np.sqrt(flat.var(axis=0) + 1e-5)).reshape(x4.shape)
    per_channel, _ = spatial_batchnorm_forward(x4, np.ones(C), np.zeros(C), eps=1e-5)
    return np.allclose(per_activation, per_channel)


def unsummed_dgamma_has_shape_of_gamma():
    """dgamma = dout * xhat, without the sum over the batch: shape (N, D), gamma has (D,)."""
    from bnlib.batchnorm import batchnorm_forward
    rng = np.random.default_rng(0)
    x2, dout = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    _, cache = batchnorm_forward(x2, np.ones(3), np.zeros(3), eps=1e-8)
    return (dout * cache.xhat).shape == (3,)


def layer_update_works_with_unsummed_dgamma():
    """The layer keeps gamma as (1, D); an in-place step with the (N, D) dgamma cannot broadcast."""
    rng = np.random.default_rng(0)
    gamma_layer, dgamma = np.ones((1, 3)), rng.standard_normal((5, 3))
    try:
        gamma_layer -= 0.1 * dgamma
    except ValueError:
        return False
    return True


def code_backward_matches(eps_code=1e-8):
    """dvar, dmu, dX as the deepnet backward code computes them, against the staged reference."""
    from bnlib.batchnorm import batchnorm_backward_staged, batchnorm_forward
    rng = np.random.default_rng(1)
    x2, g, b, dout = (rng.standard_normal((6, 4)), rng.standard_normal(4),
                      rng.standard_normal(4), rng.standard_normal((6, 4)))
    _, cache = batchnorm_forward(x2, g, b, eps=eps_code)
    n = x2.shape[0]
    xmu = x2 - x2.mean(axis=0)
    inv = 1.0 / np.sqrt(x2.var(axis=0) + eps_code)
    dxn = dout * g
    dvar_code = np.sum(dxn * xmu, axis=0) * -0.5 * (x2.var(axis=0) + eps_code) ** -1.5
    dmu_code = np.sum(-dxn * inv, axis=0) + dvar_code * np.sum(-2.0 * xmu, axis=0) / n
    dx_code = dxn * inv + dmu_code / n + dvar_code * 2.0 * xmu / n
    dx_ref, _, dbeta_ref = batchnorm_backward_staged(dout, cache)
    return np.allclose(dx_code, dx_ref, rtol=1e-9, atol=1e-12) and np.allclose(dout.sum(axis=0), dbeta_ref)


def compact_forms(dx_of):
    """A compact dx written with dgamma and dbeta, compared with the verified one for every sample."""
    return same([dx_of(i) for i in range(m)], T["dx"])


# ---------------------------------------------------------------- the posts' code, run as printed

def _small_batch(shape=(5, 3), seed=2):
    """x, gamma, beta, dout: features with different means and scales, gamma != 1, beta != 0."""
    rng = np.random.default_rng(seed)
    D = shape[-1] if len(shape) == 2 else int(np.prod(shape[1:]))
    x = rng.standard_normal(shape) * 1.5 + 0.5
    return x, rng.standard_normal(D) + 1.0, rng.standard_normal(D), rng.standard_normal(shape)


def _close(a, b):
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-9, atol=1e-12)


def printed_cs231n_code_matches():
    """Post 000's batchnorm_forward and batchnorm_backward, run as printed on a (5, 3) batch: out,
    dx, dgamma and dbeta have bnlib's shapes and values."""
    from bnlib.batchnorm import batchnorm_backward, batchnorm_forward
    from .snippets import run_snippet
    x2, g, b, dout = _small_batch()
    forward = run_snippet("000", "forward")["batchnorm_forward"]
    backward = run_snippet("000", "backward")["batchnorm_backward"]
    out, cache = forward(x2, g, b, 1e-5)
    out_ref, cache_ref = batchnorm_forward(x2, g, b, eps=1e-5)
    return _close(out, out_ref) and all(
        _close(got, want) for got, want in zip(backward(dout, cache), batchnorm_backward(dout, cache_ref)))


def printed_backward_alt_matches():
    """Post 001's batchnorm_backward_alt, indentation restored, on a (5, 3) batch: dx, dgamma and
    dbeta have bnlib's shapes and values."""
    from bnlib.batchnorm import batchnorm_backward, batchnorm_forward
    from .snippets import run_snippet
    x2, g, b, dout = _small_batch()
    _, cache = batchnorm_forward(x2, g, b, eps=1e-5)
    alt = run_snippet("001", "backward_alt")["batchnorm_backward_alt"]
    return all(_close(got, want) for got, want in
               zip(alt(dout, (cache.gamma, cache.xhat, cache.istd)), batchnorm_backward(dout, cache)))


def _deepnet_fragments(python2=False):
    """Post 004's forward and backward fragments, run one after the other on an (N, C, H, W) batch
    with gamma and beta of shape (1, C*H*W), as the post's layer stores them."""
    from .snippets import run_snippet
    X4, g, b, dout4 = _small_batch((3, 2, 2, 2))
    names = {"X": X4, "gamma": g.reshape(1, -1), "beta": b.reshape(1, -1)}
    forward = run_snippet("004", "forward", **names)
    backward = run_snippet("004", "backward", python2=python2, dout=dout4,
                           **names, **{k: forward[k] for k in ("mu", "var", "X_norm")})
    return X4, dout4, names, forward, backward


def _per_activation_reference(X4, gamma, beta, dout4):
    """bnlib's staged pass on the (N, C*H*W) columns, eps = 1e-8: what the post's code means."""
    from bnlib.batchnorm import batchnorm_backward_staged, batchnorm_forward
    flat = X4.reshape(X4.shape[0], -1)
    out, cache = batchnorm_forward(flat, gamma.ravel(), beta.ravel(), eps=1e-8)
    return out, batchnorm_backward_staged(dout4.reshape(flat.shape), cache)


def deepnet_forward_fragment_keeps_the_shape():
    """The forward fragment's out against the input's shape (its values are right, flattened)."""
    X4, dout4, names, forward, _ = _deepnet_fragments()
    out_ref, _ = _per_activation_reference(X4, names["gamma"], names["beta"], dout4)
    assert np.allclose(forward["out"], out_ref)          # the values are right, only the shape is in question
    return forward["out"].shape == X4.shape


def deepnet_backward_fragment_keeps_the_shape():
    """The backward fragment's dX against the input's shape (its values are right, flattened)."""
    X4, dout4, names, _, backward = _deepnet_fragments()
    _, (dx_ref, _, _) = _per_activation_reference(X4, names["gamma"], names["beta"], dout4)
    assert np.allclose(backward["dX"], dx_ref)
    return backward["dX"].shape == X4.shape


def deepnet_backward_fragment_values(python2=False):
    """dvar, dmu, dX and dbeta of the backward fragment (flattened), read by Python 3 or as Python 2
    read it, against bnlib's staged backward with eps = 1e-8."""
    X4, dout4, names, _, backward = _deepnet_fragments(python2)
    _, (dx_ref, _, dbeta_ref) = _per_activation_reference(X4, names["gamma"], names["beta"], dout4)
    return (np.allclose(backward["dX"], dx_ref, rtol=1e-9, atol=1e-12)
            and np.allclose(backward["dbeta"], dbeta_ref))


def _deepnet_layer():
    """The post's Batchnorm class, indentation restored, after one forward and one backward call."""
    from .snippets import run_snippet
    X4, _, _, dout4 = _small_batch((3, 2, 2, 2))
    layer = run_snippet("004", "class")["Batchnorm"](X4.shape[1:])
    out = layer.forward(X4)
    dX, (dgamma, dbeta) = layer.backward(dout4)
    return X4, dout4, layer, out, dX, dgamma, dbeta


def deepnet_layer_forward_and_dx_match():
    """The class's forward output and dX have the input's shape and bnlib's values (per activation)."""
    X4, dout4, layer, out, dX, _, _ = _deepnet_layer()
    out_ref, (dx_ref, _, _) = _per_activation_reference(X4, layer.gamma, layer.beta, dout4)
    return _close(out, out_ref.reshape(X4.shape)) and _close(dX, dx_ref.reshape(X4.shape))


def deepnet_layer_dbeta_has_shape_of_beta():
    """The class's dbeta, shape (C*H*W,), against its beta, shape (1, C*H*W)."""
    _, _, layer, _, _, _, dbeta = _deepnet_layer()
    return dbeta.shape == layer.beta.shape
