"""Notebook 09's network on the spirals, with and without BatchNorm, over a range of learning rates.

``bnlib.MLP([2, 32, 32, 32, 32, 3])``, He initialization, plain mini-batch gradient descent, batches of
32, ``epochs`` epochs; the seed sets the initial weights and the order of the batches (the data set is
fixed: spirals(200, seed=0), test points spirals(100, seed=1)). Stored per seed: the final test
accuracy at every learning rate (1/3, chance, for a run that diverged) and, at ``lr_curves``, the test
accuracy and training loss per epoch, the gradient norms per layer and epoch, and the standard
deviation of each layer's ReLU input in the first batch of the ``snapshots`` epochs.
"""
import numpy as np

from .common import final_accuracy, spiral_data, train

FULL = dict(lrs=(0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0), epochs=30, lr_curves=0.03,
            snapshots=(0, 3, 29), seeds=(0, 1, 2, 3, 4))
REDUCED = dict(lrs=(0.03, 1.0), epochs=10, lr_curves=0.03, snapshots=(0, 9), seeds=(5, 6))
TEST_SEEDS = (60, 61)
SIZES = [2, 32, 32, 32, 32, 3]
NETWORKS = {"plain": None, "BatchNorm": "batch"}


def run(lrs, epochs, lr_curves, snapshots, seeds):
    data = spiral_data()
    results = {"lrs": list(lrs), "final": {}, "curves": {}}
    for name, norm in NETWORKS.items():
        final = []
        for lr in lrs:
            runs = [train(data, SIZES, seed, lr, epochs, norm=norm, snapshot_epochs=snapshots)[1] for seed in seeds]
            final.append([final_accuracy(h, 1 / 3) for h in runs])
            if lr == lr_curves:
                results["curves"][name] = {
                    "test_acc": [h["test_acc"] for h in runs], "eval_loss": [h["eval_loss"] for h in runs],
                    "grad_norms": [h["grad_norms"].tolist() for h in runs],
                    "preact_std": [[[float(np.std(z)) for z in h["preacts"][e]] for e in snapshots] for h in runs]}
        results["final"][name] = final
    return results


def trains(results, name, level=0.9):
    """The learning rates at which the network reached ``level`` test accuracy on every seed."""
    return [lr for lr, accs in zip(results["lrs"], results["final"][name]) if min(accs) >= level]


def conclusions(results):
    plain, bn = trains(results, "plain"), trains(results, "BatchNorm")
    said = []
    assert set(plain) <= set(bn), "BatchNorm trains at every learning rate at which the plain network trains"
    assert len(bn) > len(plain), "... and at more of them"
    said.append(f"BatchNorm reaches 90 % test accuracy on every seed at the learning rates {bn}, "
                f"the plain network at {plain}")
    big = max(lr for lr in results["lrs"] if lr <= 1.0)
    i = results["lrs"].index(big)
    plain_big, bn_big = np.array(results["final"]["plain"][i]), np.array(results["final"]["BatchNorm"][i])
    assert np.all(bn_big >= 0.9) and np.all(bn_big > plain_big), f"at lr {big} BatchNorm passes 90 % and leads"
    said.append(f"at learning rate {big:g} BatchNorm passes 90 % and ends ahead of the plain network on every seed")
    grads = {n: np.array(results["curves"][n]["grad_norms"]) for n in NETWORKS}     # (seeds, epochs, layers)
    assert np.all(grads["BatchNorm"][:, 0] > grads["plain"][:, 0]), "BatchNorm: larger gradients in the first epoch"
    said.append("in the first epoch at learning rate 0.03, every layer's ||dL/dW|| is larger with BatchNorm than "
                "without")
    curves = {n: np.array(results["curves"][n]["preact_std"]) for n in NETWORKS}     # (seeds, snapshots, layers)
    assert np.all(np.abs(curves["BatchNorm"] - 1) < 0.1), "BatchNorm: ReLU inputs keep std near 1"
    said.append("with BatchNorm every layer's ReLU input keeps a standard deviation within 0.1 of 1 at every "
                "snapshot")
    return said


def table(results):
    from . import fmt
    lines = ["test accuracy after the last epoch (mean ± std over seeds)",
             f"{'learning rate':14s} " + "  ".join(f"{n:>15s}" for n in NETWORKS)]
    for i, lr in enumerate(results["lrs"]):
        lines.append(f"{lr:14g} " + "  ".join(f"{fmt(results['final'][n][i]):>15s}" for n in NETWORKS))
    return "\n".join(lines)
