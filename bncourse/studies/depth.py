"""Deep networks on the digits, layer by layer: activations and gradients at initialization and after
training (notebook 16), in the manner of Karpathy's makemore part 3.

Four networks of ``depth`` hidden layers of ``width`` units: ReLU with He initialization, tanh with
weights N(0, (5/3)^2 / fan_in) (the gain makemore uses), each without and with BatchNorm. For every
hidden layer, on the validation images in one batch (training mode, on a copy): the standard deviation
of the nonlinearity's input, the fraction of *dead* ReLU units (inactive on every image) or of
*saturated* tanh outputs (|tanh z| > 0.97), and ||dL/dW||. Once at initialization, once after
``epochs`` epochs of plain gradient descent.
"""
import numpy as np

from bnlib import MLP

from .common import digits, layer_statistics, train

FULL = dict(depth=20, width=64, lr=0.1, epochs=10, seeds=(0, 1, 2, 3, 4))
REDUCED = dict(depth=12, width=32, lr=0.1, epochs=2, seeds=(5, 6))
TEST_SEEDS = (30, 31)
NETWORKS = {
    "ReLU, plain": dict(activation="relu"),
    "ReLU, BatchNorm": dict(activation="relu", norm="batch"),
    "tanh, plain": dict(activation="tanh"),
    "tanh, BatchNorm": dict(activation="tanh", norm="batch"),
}
STATISTICS = ("std", "idle", "grad")


def run(depth, width, lr, epochs, seeds):
    data = digits()
    X_val, y_val = data[2], data[3]
    sizes = [data[0].shape[1]] + [width] * depth + [10]
    results = {"networks": {}, "depth": depth}
    for name, options in NETWORKS.items():
        options = dict(options)
        if options["activation"] == "tanh":
            options["weight_scale"] = 5 / 3 / np.sqrt(width)
        found = {f"{when} {stat}": [] for when in ("init", "trained") for stat in STATISTICS}
        found["accuracy"] = []
        for seed in seeds:
            before = layer_statistics(MLP(sizes, seed=seed, **options), X_val, y_val, options["activation"])
            model, history = train(data, sizes, seed, lr, epochs, **options)      # the same initial weights
            after = layer_statistics(model, X_val, y_val, options["activation"])
            for stat in STATISTICS:
                found[f"init {stat}"].append(before[stat])
                found[f"trained {stat}"].append(after[stat])
            found["accuracy"].append(0.1 if history["diverged"] else history["test_acc"][-1])
        results["networks"][name] = found
    return results


def conclusions(results):
    net = {name: {k: np.array(v) for k, v in found.items()} for name, found in results["networks"].items()}
    said = []
    for act in ("ReLU", "tanh"):
        assert np.all(net[f"{act}, BatchNorm"]["accuracy"] > net[f"{act}, plain"]["accuracy"]), \
            f"{act}: BatchNorm ahead after training"
    said.append("with ReLU and with tanh, the BatchNorm network ends with the higher validation accuracy")
    for act in ("ReLU", "tanh"):
        assert np.all(np.abs(net[f"{act}, BatchNorm"]["init std"] - 1) < 0.01), "BatchNorm: std 1 at init"
    said.append("at initialization every BatchNorm layer's output has standard deviation 1 (gamma = 1)")
    bn = net["ReLU, BatchNorm"]
    assert np.all(bn["init idle"] == 0) and np.all(bn["trained idle"] == 0), "BatchNorm: no dead ReLU unit"
    said.append("with BatchNorm no ReLU unit is dead, at initialization or after training")
    plain = net["ReLU, plain"]
    assert np.all(plain["trained idle"].max(axis=1) > 0.05), "plain ReLU: dead units in some layer"
    said.append("the plain ReLU network has a layer with more than 5 % dead units after training")
    assert np.all(net["tanh, BatchNorm"]["trained idle"].max(axis=1) < 0.05), "tanh with BatchNorm: little saturation"
    assert np.all(net["tanh, plain"]["trained idle"].max(axis=1) > net["tanh, BatchNorm"]["trained idle"].max(axis=1)), \
        "plain tanh saturates more"
    said.append("after training, fewer than 5 % of the tanh outputs are saturated in every BatchNorm layer, and "
                "the plain tanh network's most saturated layer has more")
    first_over_last = bn["init grad"][:, 0] / bn["init grad"][:, -1]
    assert np.all(first_over_last > 3), "BatchNorm: the first layer's gradient is the largest at init"
    said.append("at initialization the BatchNorm ReLU network's first layer has ||dL/dW|| more than 3 times its "
                "last hidden layer's")
    return said


def table(results):
    from . import fmt
    lines = []
    for name, found in results["networks"].items():
        idle = "dead units" if name.startswith("ReLU") else "saturated"
        lines.append(f"{name}: validation accuracy {fmt(found['accuracy'])}")
        for when in ("init", "trained"):
            for stat, label in (("std", "std of z"), ("idle", idle), ("grad", "||dL/dW||")):
                values = np.array(found[f"{when} {stat}"])
                lines.append(f"   {when:8s} {label:11s} layers 1, mid, last: " + ",  ".join(
                    fmt(values[:, l], 3) for l in (0, values.shape[1] // 2, -1)))
    return "\n".join(lines)
