"""Notebook 09's noise test over seeds: BatchNorm followed by a random per-feature scale and shift, new at
every training step (after Santurkar et al.'s noisy BatchNorm; their exact noise is not reproduced).

The noise is *stationary jitter*: its scale has mean 1 and its shift mean 0 at every step, so it shakes
the next layer's input around a fixed distribution; it is not a drift that accumulates as the earlier
layers learn. Eval mode adds nothing. Spirals network and data of :mod:`.lr_sweep`.
"""
import numpy as np

from bnlib import MLP, BatchNorm1d, train_mlp

from .common import final_accuracy, spiral_data, train
from .lr_sweep import SIZES

FULL = dict(lrs=(0.03, 1.0), epochs=30, seeds=(0, 1, 2, 3, 4))
REDUCED = dict(lrs=(1.0,), epochs=10, seeds=(5, 6))
TEST_SEEDS = (70, 71)
NOISE = {"moderate jitter": ((0.5, 1.5), 0.5), "strong jitter": ((0.25, 1.75), 1.0)}


class NoisyBatchNorm1d(BatchNorm1d):
    """BatchNorm, then a random per-feature scale a and shift c, new at every training step."""

    def __init__(self, D, rng, scale=(0.5, 1.5), shift=0.5):
        super().__init__(D)
        self.rng, self.scale, self.shift = rng, scale, shift
        self.a = np.ones(D)

    def forward(self, x):
        out = super().forward(x)
        if not self.training:
            return out
        self.a = self.rng.uniform(*self.scale, self.D)
        return self.a * out + self.rng.uniform(-self.shift, self.shift, self.D)

    def backward(self, dout):
        return super().backward(dout * self.a if self.training else dout)


def noisy_mlp(scale, shift, seed):
    """notebook 09's BatchNorm network, its BatchNorm layers jittered (the noise seeded by ``seed`` too)."""
    model = MLP(SIZES, norm="batch", seed=seed)
    rng = np.random.default_rng(1000 + seed)
    model.layers = [NoisyBatchNorm1d(layer.D, rng, scale, shift) if isinstance(layer, BatchNorm1d) else layer
                    for layer in model.layers]
    return model


def run(lrs, epochs, seeds):
    X, y, X_test, y_test = data = spiral_data()
    results = {"lrs": list(lrs), "final": {}, "curves": {}}
    for lr in lrs:
        group = {name: [train(data, SIZES, s, lr, epochs, norm=norm)[1] for s in seeds]
                 for name, norm in (("plain", None), ("BatchNorm", "batch"))}
        for name, (scale, shift) in NOISE.items():
            group["BatchNorm + " + name] = [
                train_mlp(noisy_mlp(scale, shift, s), X, y, lr=lr, epochs=epochs, batch_size=32, seed=s,
                          X_test=X_test, y_test=y_test) for s in seeds]
        results["final"][str(lr)] = {n: [final_accuracy(h, 1 / 3) for h in hs] for n, hs in group.items()}
        results["curves"][str(lr)] = {n: [h["test_acc"] + [1 / 3] * (epochs - len(h["test_acc"])) for h in hs]
                                      for n, hs in group.items()}
    return results


def conclusions(results):
    top = str(max(results["lrs"]))
    final = {n: np.array(v) for n, v in results["final"][top].items()}
    assert np.all(final["BatchNorm + strong jitter"] > final["plain"]), "jittered BatchNorm still ahead"
    return [f"at learning rate {float(top):g}, BatchNorm with strong jitter ends ahead of the plain network on "
            "every seed"]


def table(results):
    from . import fmt
    lines = ["test accuracy after the last epoch (mean ± std over seeds)"]
    for lr, group in results["final"].items():
        lines.append(f"learning rate {float(lr):g}: " + ";  ".join(f"{n} {fmt(v)}" for n, v in group.items()))
    return "\n".join(lines)
