"""Why BatchNorm? Plain and BatchNorm networks of growing depth trained on the digits (notebook 00).

Every network has hidden layers of ``width`` units (Linear -> [BatchNorm] -> ReLU), He initialization,
plain mini-batch gradient descent at one learning rate for ``epochs`` epochs, batches of 32. The same
seed gives both networks their weights and the order of their batches. Measured: the validation
accuracy after every epoch (eval mode) and the mean training loss of every epoch.
"""
import numpy as np

from .common import digits, final_accuracy, train

FULL = dict(depths=(2, 5, 10, 15, 20), width=64, lr=0.1, epochs=20, seeds=(0, 1, 2, 3, 4))
REDUCED = dict(depths=(20,), width=64, lr=0.1, epochs=2, seeds=(5, 6))
TEST_SEEDS = (10, 11)
NETWORKS = {"plain": None, "BatchNorm": "batch"}


def run(depths, width, lr, epochs, seeds):
    data = digits()
    results = {"depths": list(depths), "final": {n: [] for n in NETWORKS}, "curves": {}, "loss": {}}
    for depth in depths:
        sizes = [data[0].shape[1]] + [width] * depth + [10]
        for name, norm in NETWORKS.items():
            runs = [train(data, sizes, seed, lr, epochs, norm=norm)[1] for seed in seeds]
            results["final"][name].append([final_accuracy(h, 0.1) for h in runs])
            if depth == depths[-1]:
                results["curves"][name] = [h["test_acc"] + [0.1] * (epochs - len(h["test_acc"])) for h in runs]
                results["loss"][name] = [h["loss"] + [np.nan] * (epochs - len(h["loss"])) for h in runs]
    return results


def conclusions(results):
    plain, bn = (np.array(results["final"][n]) for n in NETWORKS)        # (depths, seeds)
    deepest = results["depths"][-1]
    assert np.all(plain[-1] < 0.65), f"the plain network of {deepest} layers fails to train"
    assert np.all(bn[-1] - plain[-1] > 0.25), "BatchNorm is far ahead at the largest depth"
    said = [f"at {deepest} hidden layers the plain network stays below 65 % validation accuracy and the "
            "BatchNorm network is more than 25 points ahead, on every seed"]
    if results["depths"][0] <= 2:
        assert np.all(plain[0] > 0.9) and np.all(bn[0] > 0.9), "both train when shallow"
        said.append(f"at {results['depths'][0]} hidden layers both pass 90 %")
    return said


def table(results):
    from . import fmt
    lines = ["validation accuracy after the last epoch (mean ± std over seeds)",
             f"{'hidden layers':14s} " + "  ".join(f"{n:>15s}" for n in NETWORKS)]
    for i, depth in enumerate(results["depths"]):
        lines.append(f"{depth:14d} " + "  ".join(f"{fmt(results['final'][n][i]):>15s}" for n in NETWORKS))
    return "\n".join(lines)
