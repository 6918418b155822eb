"""Notebook 11: the scale of the initial weights, with and without BatchNorm, over seeds.

Every W of notebook 09's network starts as N(0, w^2); 300 spiral points, batches of 32, learning rate
0.1, ``epochs`` epochs. BatchNorm also with eps = 1e-10 in place of 1e-5: if eps were what makes the
smallest scales train worse, the smaller eps would close the gap.
"""
import numpy as np

from .batch_size import data
from .common import final_accuracy, train
from .lr_sweep import SIZES

FULL = dict(scales=(1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0), epochs=20, seeds=(0, 1, 2, 3, 4))
REDUCED = dict(scales=(1e-3, 1.0), epochs=12, seeds=(5, 6))
TEST_SEEDS = (90, 91)
NETWORKS = {"plain": dict(norm=None), "BatchNorm": dict(norm="batch"),
            "BatchNorm, eps 1e-10": dict(norm="batch", eps=1e-10)}


def run(scales, epochs, seeds):
    d = data()
    results = {"scales": list(scales), "accuracy": {}, "diverged": {}}
    for name, options in NETWORKS.items():
        acc, div = [], []
        for w in scales:
            runs = [train(d, SIZES, s, 0.1, epochs, weight_scale=w, **options)[1] for s in seeds]
            acc.append([final_accuracy(h, 1 / 3) for h in runs])
            div.append([bool(h["diverged"]) for h in runs])
        results["accuracy"][name], results["diverged"][name] = acc, div
    return results


def conclusions(results):
    acc = {n: np.array(v) for n, v in results["accuracy"].items()}     # (scales, seeds)
    scales = np.array(results["scales"])
    said = []
    assert np.all(acc["BatchNorm"] > 0.75), "BatchNorm trains at every scale"
    said.append("BatchNorm passes 75 % test accuracy at every scale, on every seed")
    small = scales <= 0.01
    assert np.all(acc["plain"][small] < 0.5), "plain network stuck for small scales"
    assert np.all(acc["plain"][scales >= 1.0] < 0.5), "plain network fails at w = 1"
    said.append("the plain network stays below 50 % for w <= 0.01 and at w = 1, on every seed")
    return said


def table(results):
    from . import fmt
    lines = ["test accuracy (mean ± std over seeds; a diverged run counts as 1/3)",
             f"{'weight scale w':22s} " + "  ".join(f"{w:>15g}" for w in results["scales"])]
    for name, values in results["accuracy"].items():
        lines.append(f"{name:22s} " + "  ".join(f"{fmt(v):>15s}" for v in values))
    return "\n".join(lines)
