r"""Scale invariance in training: the weights before a BatchNorm layer, their norm and the effective
learning rate, with and without weight decay (notebook 16; the idea is van Laarhoven's, 2017).

For each unit j of a hidden Linear layer followed by BatchNorm, :math:`w_j\cdot\partial L/\partial w_j = 0`
(notebook 16 proves it), so a gradient step without weight decay can only lengthen :math:`w_j`:
:math:`\lVert w_j'\rVert^2 = \lVert w_j\rVert^2 + \mathrm{lr}^2\lVert g_j\rVert^2`. Measured per epoch,
on the digits: the norm of each hidden layer's W, the effective learning rate
:math:`\mathrm{lr}/\lVert w_j\rVert^2` (the mean over the layer's units) and, at every step, the largest
:math:`|\cos(w_j, g_j)|`; plain gradient descent with weight decay :math:`\lambda` on the W's, from weights
N(0, ``weight_scale``^2), small enough that the growth shows within a few epochs.
"""
import numpy as np

from bnlib import MLP, softmax_cross_entropy

from .common import digits

FULL = dict(depth=4, width=64, lr=0.1, epochs=30, weight_scale=0.05, weight_decays=(0.0, 1e-3, 1e-2), seeds=(0, 1, 2, 3, 4))
REDUCED = dict(depth=3, width=32, lr=0.1, epochs=3, weight_scale=0.05, weight_decays=(0.0, 1e-2), seeds=(5, 6))
TEST_SEEDS = (40, 41)


def train_and_measure(sizes, seed, lr, epochs, weight_decay, weight_scale, batch_size=32):
    """One run; per epoch the norms (layers), the effective learning rates (layers), the largest |cos|
    and the validation accuracy."""
    X, y, X_val, y_val = digits()
    model = MLP(sizes, norm="batch", seed=seed, weight_scale=weight_scale)
    hidden = model.linear_layers[:-1]
    rng = np.random.default_rng(seed)
    out = {"norm": [[float(np.linalg.norm(l.W)) for l in hidden]],
           "lr_eff": [[float(np.mean(lr / np.sum(l.W ** 2, axis=0))) for l in hidden]], "cos": [], "accuracy": []}
    for _ in range(epochs):
        order, cos = rng.permutation(len(X)), 0.0
        model.train()
        for start in range(0, len(X) - batch_size + 1, batch_size):
            rows = order[start:start + batch_size]
            _, dlogits = softmax_cross_entropy(model.forward(X[rows]), y[rows])
            model.backward(dlogits)
            for l in hidden:
                c = np.sum(l.W * l.dW, axis=0) / (np.linalg.norm(l.W, axis=0) * np.linalg.norm(l.dW, axis=0) + 1e-300)
                cos = max(cos, float(np.abs(c).max()))
            model.step(lr, weight_decay)
        out["cos"].append(cos)
        out["norm"].append([float(np.linalg.norm(l.W)) for l in hidden])
        out["lr_eff"].append([float(np.mean(lr / np.sum(l.W ** 2, axis=0))) for l in hidden])
        out["accuracy"].append(model.eval().accuracy(X_val, y_val))
    return out


def run(depth, width, lr, epochs, weight_scale, weight_decays, seeds):
    sizes = [digits()[0].shape[1]] + [width] * depth + [10]
    results = {"weight_decays": list(weight_decays), "lr": lr, "runs": {}}
    for wd in weight_decays:
        runs = [train_and_measure(sizes, seed, lr, epochs, wd, weight_scale) for seed in seeds]
        results["runs"][str(wd)] = {key: [r[key] for r in runs] for key in runs[0]}
    return results


def conclusions(results):
    runs = {float(k): {key: np.array(v) for key, v in r.items()} for k, r in results["runs"].items()}
    none, strongest = runs[0.0], runs[max(runs)]
    said = []
    assert np.all(none["cos"] < 1e-2), "the gradient is orthogonal to each unit's weights"
    said.append("at every step, |cos(w_j, dL/dw_j)| stays below 0.01 for every unit before a BatchNorm layer "
                "(not 0: eps = 1e-5 breaks the invariance a little)")
    assert np.all(np.diff(none["norm"], axis=1) > 0), "without weight decay the norm grows at every epoch"
    said.append("without weight decay every layer's ||W|| grows at every epoch")
    assert np.all(none["lr_eff"][:, -1] < 0.9 * none["lr_eff"][:, 0]), "the effective learning rate falls"
    said.append("without weight decay the effective learning rate lr/||w_j||^2 ends more than 10 % below its start")
    assert np.all(strongest["norm"][:, -1] < none["norm"][:, -1]), "weight decay keeps the norm smaller"
    assert np.all(strongest["lr_eff"][:, -1] > none["lr_eff"][:, -1]), "... and the effective rate higher"
    said.append(f"with weight decay {max(runs):g} every layer ends with a smaller ||W|| and a higher effective "
                "learning rate than without")
    return said


def table(results):
    from . import fmt
    lines = ["per hidden layer, first and last (mean ± std over seeds): ||W|| and lr/||w_j||^2 at the end; accuracy"]
    for wd, r in results["runs"].items():
        norm, lr_eff = np.array(r["norm"]), np.array(r["lr_eff"])
        lines.append(f"weight decay {float(wd):g}: ||W|| from {fmt(norm[:, 0, 0])} to {fmt(norm[:, -1, 0])} "
                     f"(layer 1), {fmt(norm[:, 0, -1])} to {fmt(norm[:, -1, -1])} (last); effective lr "
                     f"{fmt(lr_eff[:, 0, 0], 4)} to {fmt(lr_eff[:, -1, 0], 4)} (layer 1); "
                     f"validation accuracy {fmt(np.array(r['accuracy'])[:, -1])}; largest |cos| "
                     f"{np.max(r['cos']):.1e}")
    return "\n".join(lines)
