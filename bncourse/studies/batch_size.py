"""Notebook 11: BatchNorm, LayerNorm and GroupNorm at batch sizes 2 to 64, over seeds.

Notebook 09's network on 300 spiral points (spirals(100, seed=0); test points spirals(100, seed=1)),
learning rate 0.03, ``epochs`` epochs at every batch size N (so N = 2 takes 150 steps an epoch, N = 64
four). For BatchNorm also the accuracy in *training mode* on test batches of the same N. Then the same
number of steps for all: at N = 64, ``steps`` steps (as many as N = 2 takes in ``epochs`` epochs).
"""
import copy

import numpy as np

from bnlib import MLP, softmax_cross_entropy
from bncourse.data import spirals

from .common import train
from .lr_sweep import SIZES

FULL = dict(batch_sizes=(2, 4, 8, 16, 64), epochs=10, same_steps_batch=64, norms=("batch", "layer", "group"),
            seeds=(0, 1, 2, 3, 4))
REDUCED = dict(batch_sizes=(2, 4, 16), epochs=3, same_steps_batch=64, norms=("batch", "layer"), seeds=(5, 6))
TEST_SEEDS = (80, 81)
NORMS = {"BatchNorm": "batch", "LayerNorm": "layer", "GroupNorm (4 groups)": "group"}


def data():
    return (*spirals(100, seed=0), *spirals(100, seed=1))


def accuracy_in_training_mode(model, X_test, y_test, N, seed=1):
    """Test accuracy with every test batch of N normalized by its own statistics (on a copy)."""
    model = copy.deepcopy(model).train()
    order = np.random.default_rng(seed).permutation(len(X_test))
    batches = [order[s:s + N] for s in range(0, len(order) - N + 1, N)]
    return float(np.mean([np.mean(model.forward(X_test[b]).argmax(axis=1) == y_test[b]) for b in batches]))


def accuracy_after_epochs(d, norm, seed, epochs, N, lr=0.03):
    """The test accuracy after ``epochs`` epochs of batches of N: the steps of :func:`bnlib.train_mlp`
    (same initial weights, same order of batches), without its evaluation after every epoch."""
    X, y, X_test, y_test = d
    model, rng = MLP(SIZES, norm=norm, seed=seed), np.random.default_rng(seed)
    for _ in range(epochs):
        order = rng.permutation(len(X))
        model.train()
        for start in range(0, len(X) - N + 1, N):
            rows = order[start:start + N]
            _, dlogits = softmax_cross_entropy(model.forward(X[rows]), y[rows])
            model.backward(dlogits)
            model.step(lr)
    return model.eval().accuracy(X_test, y_test)


def run(batch_sizes, epochs, same_steps_batch, norms, seeds):
    d = data()
    results = {"batch_sizes": list(batch_sizes), "accuracy": {}, "same_steps": {}}
    results["accuracy"]["BatchNorm, training mode"] = []
    chosen = {name: norm for name, norm in NORMS.items() if norm in norms}
    for name, norm in chosen.items():
        results["accuracy"][name] = []
        for N in batch_sizes:
            runs = [train(d, SIZES, s, 0.03, epochs, batch_size=N, norm=norm) for s in seeds]
            results["accuracy"][name].append([h["test_acc"][-1] for _, h in runs])
            if norm == "batch":
                results["accuracy"]["BatchNorm, training mode"].append(
                    [accuracy_in_training_mode(m, d[2], d[3], N) for m, _ in runs])
    steps = epochs * (len(d[0]) // batch_sizes[0])
    epochs_big = steps // (len(d[0]) // same_steps_batch)
    results["steps"], results["same_steps_epochs"] = steps, epochs_big
    for name, norm in chosen.items():
        results["same_steps"][name] = [accuracy_after_epochs(d, norm, s, epochs_big, same_steps_batch)
                                       for s in seeds]
    return results


def conclusions(results):
    acc = {n: np.array(v) for n, v in results["accuracy"].items()}   # (batch sizes, seeds)
    sizes = results["batch_sizes"]
    said = []
    assert np.all(acc["BatchNorm"][0] < 0.75), "BatchNorm at N = 2 is far from trained"
    others = [n for n in acc if n in NORMS and n != "BatchNorm"]
    assert all(np.all(acc[n][0] - acc["BatchNorm"][0] > 0.25) for n in others), "LayerNorm, GroupNorm at N = 2"
    said.append(f"at N = 2 BatchNorm stays below 75 % test accuracy and {' and '.join(others)} "
                "more than 25 points above it, on every seed")
    i4 = sizes.index(4)
    assert np.all(acc["BatchNorm"][i4] > acc["BatchNorm, training mode"][i4]), "N = 4: eval mode beats training mode"
    said.append("at N = 4 eval mode already beats training mode on every seed")
    assert np.all(acc["BatchNorm"][-1] > acc["BatchNorm"][0] + 0.2), "BatchNorm gains with the batch size"
    said.append(f"BatchNorm at N = {sizes[-1]} is more than 20 points above N = 2 on every seed")
    same = {n: np.array(v) for n, v in results["same_steps"].items()}
    assert all(np.all(v > 0.9) for v in same.values()), "with as many steps, all three train at N = 64"
    said.append(f"given {results['steps']} steps at N = 64, all three pass 90 % on every seed")
    return said


def table(results):
    from . import fmt
    lines = ["test accuracy (mean ± std over seeds)", f"{'batch size':26s} " + "  ".join(
        f"{N:>15d}" for N in results["batch_sizes"])]
    for name, values in results["accuracy"].items():
        lines.append(f"{name:26s} " + "  ".join(f"{fmt(v):>15s}" for v in values))
    lines.append(f"same number of steps ({results['steps']}) at N = 64 ({results['same_steps_epochs']} epochs): "
                 + ";  ".join(f"{n} {fmt(v)}" for n, v in results["same_steps"].items()))
    return "\n".join(lines)
