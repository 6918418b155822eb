"""Measurements too long for a notebook, stored with the settings that made them (notebook 14).

    python -m bncourse.tools.bn_order_study      # runs the study, writes bncourse/studies/data/bn_order_study.json

**BatchNorm before or after the activation.** The network of the course on the handwritten digits,
[64, 64, 64, 10], in two orders: Linear -> BatchNorm -> ReLU (Ioffe and Szegedy's order, what
:class:`bnlib.MLP` builds) and Linear (with its bias) -> ReLU -> BatchNorm. Same data order and
initial weights for a given seed; plain SGD; test accuracy after the last epoch. The notebook plots
the stored runs and reruns the first seeds live.
"""
import json
from pathlib import Path

import numpy as np

from bnlib import MLP, BatchNorm1d, ReLU, train_mlp
from bncourse.data import load_digits

ORDER_STUDY = Path(__file__).parent / "data" / "bn_order_study.json"
ORDER_SETTINGS = {"sizes": [64, 64, 64, 10], "epochs": 8, "batch_size": 32, "learning_rates": [0.05, 0.2],
                  "seeds": list(range(10)), "orders": ["before", "after"], "data": "load_digits(): train, test"}


def ordered_mlp(order, seed, sizes=ORDER_SETTINGS["sizes"]):
    """bnlib.MLP with BatchNorm before each ReLU (``"before"``), or after it (``"after"``, the Linear
    layers keep their bias: nothing removes it before the ReLU)."""
    model = MLP(sizes, norm="batch", seed=seed, bias_before_batchnorm=(order == "after"))
    if order == "after":
        layers = model.layers
        for i in range(len(layers) - 1):
            if isinstance(layers[i], BatchNorm1d) and isinstance(layers[i + 1], ReLU):
                layers[i], layers[i + 1] = layers[i + 1], layers[i]
    return model


def order_run(order, seed, lr, epochs=ORDER_SETTINGS["epochs"], batch_size=ORDER_SETTINGS["batch_size"]):
    """One run of the study: the test accuracy after ``epochs`` epochs."""
    digits = load_digits()
    history = train_mlp(ordered_mlp(order, seed), digits.train.X, digits.train.y, lr=lr, epochs=epochs,
                        batch_size=batch_size, seed=seed, X_test=digits.test.X, y_test=digits.test.y)
    return float(np.nan) if history["diverged"] else history["test_acc"][-1]


def run_order_study(settings=ORDER_SETTINGS):
    """Every (learning rate, order, seed) of ``settings``: ``{"settings": ..., "accuracy": {lr: {order: [...]}}}``."""
    accuracy = {str(lr): {order: [order_run(order, seed, lr, settings["epochs"], settings["batch_size"])
                                  for seed in settings["seeds"]] for order in settings["orders"]}
                for lr in settings["learning_rates"]}
    return {"settings": settings, "accuracy": accuracy}


def load_order_study():
    """The stored study (see :func:`run_order_study`)."""
    return json.loads(ORDER_STUDY.read_text())


def paired_interval(a, b, t=2.262):
    """Mean and 95 % t-interval of the paired differences a - b (t for 9 degrees of freedom, 10 seeds)."""
    diff = np.asarray(a) - np.asarray(b)
    half = t * diff.std(ddof=1) / np.sqrt(len(diff))
    return float(diff.mean()), float(diff.mean() - half), float(diff.mean() + half)


def precise_batchnorm(model, X, batch_size):
    r"""Recompute the running statistics of every BatchNorm layer of ``model`` from X (PreciseBN):
    one pass in consecutive batches of ``batch_size`` rows in training mode, no weight updated, each
    statistic the plain average over the batches (momentum None from num_batches_tracked = 0):

    .. math:: r_\mu = \frac1T\sum_{t=1}^T \mu_t,\qquad r_{\sigma^2} = \frac1T\sum_{t=1}^T \frac{m}{m-1}\sigma_t^2

    Each layer's momentum is put back afterwards. Returns the model, in eval mode.
    """
    layers = [layer for layer in model.layers if isinstance(layer, BatchNorm1d)]
    momenta = [layer.momentum for layer in layers]
    for layer in layers:
        layer.momentum, layer.num_batches_tracked = None, 0
    model.train()
    for start in range(0, len(X) - batch_size + 1, batch_size):
        model.forward(X[start:start + batch_size])
    for layer, momentum in zip(layers, momenta):
        layer.momentum = momentum
    return model.eval()
