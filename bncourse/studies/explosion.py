r"""Gradient explosion at initialization in deep BatchNorm networks (Yang et al., 2019): notebook 16.

No training: each network is built with its seed, one batch of B training images goes forward, the
softmax cross-entropy's gradient comes back, and we record :math:`\lVert\partial L/\partial h_l\rVert^2`,
the squared norm of the gradient at the input of each hidden block l. The *rate* is the geometric mean
of :math:`\lVert g_l\rVert^2/\lVert g_{l+1}\rVert^2` over the middle blocks (the first and last five are
left out): the factor by which the squared gradient norm grows per layer, going back towards the input,
as Yang et al. define it ("the gradient norm squared grows as :math:`\beta^L`").

Their Theorem 3.10: a linear BatchNorm network explodes at the rate :math:`(B-2)/(B-3)`; a ReLU one at a
rate that decreases to :math:`\pi/(\pi-1)\approx 1.467` as :math:`B\to\infty`. The theory is for infinitely
wide layers; ``linear_width`` is wide enough for the first to show within a few per cent.
"""
import numpy as np

from bnlib import MLP, BatchNorm1d, Linear, softmax_cross_entropy

from .common import digits, per_seed

FULL = dict(width=128, depth=40, batch_sizes=(8, 32, 128), linear_width=512, linear_depth=40,
            linear_batch_sizes=(6, 8, 16), seeds=(0, 1, 2, 3, 4))
REDUCED = dict(width=64, depth=24, batch_sizes=(8, 128), linear_width=256, linear_depth=24,
               linear_batch_sizes=(8,), seeds=(5, 6))
TEST_SEEDS = (20, 21)

#: name -> the options of bnlib.MLP: no skip connection, or residual blocks x + alpha f(x)
NETWORKS = {
    "plain (He)": {},
    "BatchNorm": dict(norm="batch"),
    "BatchNorm, gamma 0.1": dict(norm="batch", gamma=0.1),
    "BatchNorm, residual": dict(norm="batch", residual=True),
    "BatchNorm, residual, gamma 0.1": dict(norm="batch", residual=True, gamma=0.1),
    "BatchNorm, SkipInit (alpha 0)": dict(norm="batch", residual=True, alpha=0.0),
}
RELU_LIMIT = np.pi / (np.pi - 1)


def squared_gradient_norms(layers, x, upstream):
    """Forward through ``layers``, backward from ``upstream(out)`` (returns dL/dout); the squared norm
    of the gradient at the input of every Linear layer or residual block, first to last."""
    for layer in layers:
        x = layer.forward(x)
    d, norms = upstream(x), []
    for layer in reversed(layers):
        d = layer.backward(d)
        if isinstance(layer, Linear) or hasattr(layer, "branch"):
            norms.append(float(np.sum(d ** 2)))
    return np.array(norms[::-1])


def rate(norms, skip=5):
    """Geometric mean of ||g_l||^2 / ||g_{l+1}||^2 over the middle layers."""
    n = np.asarray(norms)[skip:len(norms) - skip]
    return float(np.exp(np.mean(np.log(n[:-1] / n[1:]))))


def relu_networks(width, depth, B, seed):
    """{name: (norms per block, rate)} for each network of NETWORKS at one batch size and seed."""
    X, y, _, _ = digits()
    rows = np.random.default_rng(seed).choice(len(X), B, replace=False)
    out = {}
    for name, options in NETWORKS.items():
        model = MLP([X.shape[1]] + [width] * depth + [10], seed=seed, **options)
        norms = squared_gradient_norms(model.layers, X[rows], lambda z: softmax_cross_entropy(z, y[rows])[1])
        out[name] = norms
    return out


def linear_network(width, depth, B, seed):
    """Squared gradient norms per layer of depth x (Linear -> BatchNorm), no nonlinearity, Gaussian input."""
    rng = np.random.default_rng(seed)
    layers = []
    for _ in range(depth):
        layers += [Linear(width, width, rng, bias=False), BatchNorm1d(width)]
    x = rng.standard_normal((B, width))
    return squared_gradient_norms(layers, x, lambda z: rng.standard_normal(z.shape))


def run(width, depth, batch_sizes, linear_width, linear_depth, linear_batch_sizes, seeds):
    results = {"batch_sizes": list(batch_sizes), "linear_batch_sizes": list(linear_batch_sizes),
               "rate": {name: [] for name in NETWORKS}, "total": {name: [] for name in NETWORKS},
               "norms": {}, "linear_rate": [], "linear_theory": [(B - 2) / (B - 3) for B in linear_batch_sizes]}
    for B in batch_sizes:
        runs = [relu_networks(width, depth, B, seed) for seed in seeds]
        for name in NETWORKS:
            results["rate"][name].append([rate(r[name]) for r in runs])
            results["total"][name].append([r[name][1] / r[name][-1] for r in runs])
        if B == batch_sizes[-1]:
            results["norms"] = {name: [list(r[name]) for r in runs] for name in NETWORKS}
    for B in linear_batch_sizes:
        results["linear_rate"].append(list(per_seed(seeds, lambda s: rate(linear_network(linear_width, linear_depth, B, s)))))
    return results


def conclusions(results):
    rates = {name: np.array(v) for name, v in results["rate"].items()}      # (batch sizes, seeds)
    total = {name: np.array(v) for name, v in results["total"].items()}
    said = []
    assert np.all(rates["BatchNorm"] > 1.3), "a deep BatchNorm network's gradient explodes at initialization"
    assert np.all(rates["plain (He)"] < 1.1), "the plain network with He initialization does not explode"
    said.append("without skip connections, BatchNorm's squared gradient norm grows by a factor above 1.3 per layer "
                "at every batch size; the plain network's (He initialization) by less than 1.1")
    assert np.all(rates["BatchNorm"][0] > rates["BatchNorm"][-1]), "the rate falls with the batch size"
    assert np.all(np.abs(rates["BatchNorm"][-1] / RELU_LIMIT - 1) < 0.08), "rate near pi/(pi - 1) at the largest B"
    said.append(f"the rate falls as B grows; at B = {results['batch_sizes'][-1]} it is within 8 % of "
                "pi/(pi - 1) = 1.467, the limit of Theorem 3.10")
    assert np.all(rates["BatchNorm, gamma 0.1"] > 1.3), "a small gamma without skip connections does not help"
    said.append("gamma = 0.1 without skip connections still explodes (ReLU(0.1 x) = 0.1 ReLU(x), and the next "
                "BatchNorm undoes the factor)")
    assert np.all(total["BatchNorm, residual"] * 10 < total["BatchNorm"]), "a residual connection tames it"
    said.append("residual blocks cut the growth from the last hidden layer to the first by more than a factor 10")
    skip = np.array(results["norms"]["BatchNorm, SkipInit (alpha 0)"])[:, 1:-1]
    assert np.allclose(skip, skip[:, :1], rtol=1e-10), "SkipInit: the gradient passes every block unchanged"
    said.append("with SkipInit (alpha = 0) the gradient crosses every residual block unchanged at initialization")
    theory = np.array(results["linear_theory"])[:, None]
    assert np.all(np.abs(np.array(results["linear_rate"]) / theory - 1) < 0.08), "linear network: (B-2)/(B-3)"
    said.append("a linear BatchNorm network's rate is within 8 % of (B - 2)/(B - 3) on every seed")
    return said


def table(results):
    from . import fmt
    lines = ["squared gradient norm, growth per layer (mean ± std over seeds)",
             f"{'network':32s} " + "  ".join(f"{'B = ' + str(B):>15s}" for B in results["batch_sizes"])
             + f"  {'growth over the net, B = ' + str(results['batch_sizes'][-1]):>30s}"]
    for name in NETWORKS:
        lines.append(f"{name:32s} " + "  ".join(f"{fmt(r):>15s}" for r in results["rate"][name])
                     + f"  {np.mean(results['total'][name][-1]):30.3g}")
    lines.append(f"linear BatchNorm network: " + "; ".join(
        f"B = {B}: {fmt(r)} (theory {t:.3f})"
        for B, r, t in zip(results["linear_batch_sizes"], results["linear_rate"], results["linear_theory"])))
    return "\n".join(lines)
