r"""Internal covariate shift as Santurkar et al. (2018, Definition 2.1) define it, on the digits: notebook 16.

At step t, :math:`G_{t,i}` is the gradient of layer i's weights with every layer at its values of step t;
:math:`G'_{t,i}` is the same gradient on the same batch after the layers *before* i (their W, gamma and beta)
have taken their step t update. The shift of layer i is :math:`\lVert G-G'\rVert_2`; we also report it
relative to :math:`\lVert G\rVert` and the cosine of G and G'. Measured at every ``every``-th step of
``epochs`` epochs of plain gradient descent, for the hidden Linear layers 2 to ``depth``, and averaged
over those steps and layers.
"""
import copy

import numpy as np

from bnlib import MLP, softmax_cross_entropy

from .common import digits

FULL = dict(depth=8, width=64, lr=0.1, epochs=5, every=5, seeds=(0, 1, 2, 3, 4))
REDUCED = dict(depth=5, width=32, lr=0.1, epochs=1, every=6, seeds=(5, 6))
TEST_SEEDS = (50, 51)
NETWORKS = {"plain": None, "BatchNorm": "batch"}


def shift_of_each_layer(model, x, labels, lr):
    """(||G - G'||, ||G - G'|| / ||G||, cos(G, G')) for each hidden Linear layer after the first."""
    model.train()
    _, dlogits = softmax_cross_entropy(model.forward(x), labels)
    model.backward(dlogits)
    layers = list(model.all_layers())
    updated = [{name: p - lr * layer.grads()[name] for name, p in layer.params().items()} for layer in layers]
    linear = [i for i, layer in enumerate(layers) if layer in model.linear_layers[:-1]]
    found = []
    for i in linear[1:]:
        G = layers[i].dW.copy()
        moved = copy.deepcopy(model)
        moved_layers = list(moved.all_layers())
        for j in range(i):
            for name, value in updated[j].items():
                moved_layers[j].params()[name][...] = value
        _, d = softmax_cross_entropy(moved.forward(x), labels)
        moved.backward(d)
        G2 = moved_layers[i].dW
        dist = float(np.linalg.norm(G - G2))
        found.append((dist, dist / float(np.linalg.norm(G)),
                      float(np.sum(G * G2) / (np.linalg.norm(G) * np.linalg.norm(G2)))))
    return found


def measure(sizes, norm, seed, lr, epochs, every, batch_size=32):
    """Mean over the measured steps and layers of the three measures, and the final validation accuracy."""
    X, y, X_val, y_val = digits()
    model, rng, found, step = MLP(sizes, norm=norm, seed=seed), np.random.default_rng(seed), [], 0
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X) - batch_size + 1, batch_size):
            rows = order[start:start + batch_size]
            if step % every == 0:
                found += shift_of_each_layer(model, X[rows], y[rows], lr)    # leaves the gradients of step t
            else:
                model.train()
                _, dlogits = softmax_cross_entropy(model.forward(X[rows]), y[rows])
                model.backward(dlogits)
            model.step(lr)
            step += 1
    found = np.array(found)
    return [*found.mean(axis=0), model.eval().accuracy(X_val, y_val)]


def run(depth, width, lr, epochs, every, seeds):
    sizes = [digits()[0].shape[1]] + [width] * depth + [10]
    results = {}
    for name, norm in NETWORKS.items():
        per_seed = np.array([measure(sizes, norm, seed, lr, epochs, every) for seed in seeds])
        results[name] = {key: list(per_seed[:, k]) for k, key in enumerate(("l2", "relative", "cosine", "accuracy"))}
    return results


def conclusions(results):
    plain, bn = ({k: np.array(v) for k, v in results[n].items()} for n in NETWORKS)
    said = []
    assert np.all(bn["accuracy"] > plain["accuracy"]), "BatchNorm trains faster here"
    said.append("the BatchNorm network ends ahead on validation accuracy")
    assert np.all(bn["relative"] > 0.3) and np.all(bn["cosine"] < 0.9), "BatchNorm leaves a large shift"
    said.append("with BatchNorm the shift stays large: ||G - G'|| is more than 30 % of ||G|| and cos(G, G') "
                "below 0.9, on every seed")
    return said


def table(results):
    from . import fmt
    lines = ["internal covariate shift (Santurkar et al., Def. 2.1), mean over steps and layers; mean ± std over seeds",
             "network" + " " * 4 + "".join(f"{h:>16s}" for h in ("||G - G'||", "relative", "cos(G, G')", "accuracy"))]
    for name, r in results.items():
        lines.append(f"{name:10s} " + " ".join(f"{fmt(r[k]):>15s}" for k in ("l2", "relative", "cosine", "accuracy")))
    return "\n".join(lines)
