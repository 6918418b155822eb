"""What the studies share: the data sets, one training run, the statistics of a network's layers."""
import copy
import functools

import numpy as np

from bnlib import MLP, softmax_cross_entropy, train_mlp
from bncourse.data import load_digits, spirals

__all__ = ["digits", "spiral_data", "final_accuracy", "train", "per_seed", "layer_statistics"]


@functools.lru_cache(maxsize=None)
def digits():
    """The digits' training and validation splits: (X, y, X_val, y_val)."""
    d = load_digits()
    return d.train.X, d.train.y, d.val.X, d.val.y


@functools.lru_cache(maxsize=None)
def spiral_data(n_train=200, n_test=100):
    """Notebook 09's spirals: (X, y, X_test, y_test), training points seeded 0, test points seeded 1."""
    return (*spirals(n_train, seed=0), *spirals(n_test, seed=1))


def final_accuracy(history, chance):
    """The last epoch's test accuracy, or chance for a run that diverged."""
    return chance if history["diverged"] else history["test_acc"][-1]


def train(data, sizes, seed, lr, epochs, batch_size=32, **options):
    """One run of :func:`bnlib.train_mlp` on ``data`` = (X, y, X_test, y_test); options go to the MLP,
    except ``weight_decay`` and ``snapshot_epochs``. Returns (model, history)."""
    X, y, X_test, y_test = data
    fit = {k: options.pop(k) for k in ("weight_decay", "snapshot_epochs") if k in options}
    model = MLP(sizes, seed=seed, **options)
    return model, train_mlp(model, X, y, lr=lr, epochs=epochs, batch_size=batch_size, seed=seed,
                            X_test=X_test, y_test=y_test, **fit)


def per_seed(seeds, fn):
    """[fn(seed) for seed in seeds] as a NumPy array: axis 0 is the seed."""
    return np.array([fn(seed) for seed in seeds], dtype=float)


def layer_statistics(model, X, y, activation):
    """Per hidden layer, on one batch (training mode): the std of the nonlinearity's input, the fraction
    of dead units (ReLU: inactive on every sample) or of saturated outputs (tanh: |tanh z| > 0.97, as in
    Karpathy's makemore part 3), and ||dL/dW|| of the layer's Linear weights."""
    model = copy.deepcopy(model).train()       # the running statistics of the model stay as they were
    _, dlogits = softmax_cross_entropy(model.forward(X), y)
    model.backward(dlogits)
    z = model.preactivations
    if activation == "relu":
        idle = [float(np.mean(np.all(zl <= 0, axis=0))) for zl in z]
    else:
        idle = [float(np.mean(np.abs(np.tanh(zl)) > 0.97)) for zl in z]
    grads = [float(np.linalg.norm(layer.dW)) for layer in model.linear_layers[:-1]]
    return {"std": [float(zl.std()) for zl in z], "idle": idle, "grad": grads}
