r"""The network of notebook 13, written out tensor by tensor, and the loop that trains it on the digits.

The network, for a batch x of N images (N, 64), H hidden features and K = 10 classes:

.. math::

    z = xW_1,\qquad a = \gamma\,\frac{z-\mu_B}{\sqrt{\sigma_B^2+\epsilon}} + \beta,\qquad
    h = \tanh(a),\qquad \text{logits} = hW_2 + b_2,\qquad
    L = -\frac1N\sum_i \log\operatorname{softmax}(\text{logits}_i)_{y_i}

(without BatchNorm: :math:`a = z + b_1`). Its backward pass is five functions, called in reverse
order (:class:`Parts`, :func:`backward`): the gradient of the logits, the last Linear layer, tanh,
BatchNorm, the first Linear layer. The learner writes each of them in notebook 13; ``REFERENCE``
holds bnlib's. :func:`train` runs plain mini-batch gradient descent with any set of parts, so that
the notebook trains with the learner's own backward pass and ``tests/test_network_study.py`` runs
the same loop on other seeds.

:data:`STUDY` is the stored result of :func:`learning_rate_study` (too long for the notebook, which
re-runs a short version): ``python -m bncourse.network`` runs it again and prints it.
"""
import argparse
import contextlib
import functools
import io
from typing import Callable, NamedTuple

import numpy as np

import bnlib
from bncourse.data import load_digits

__all__ = ["Parts", "REFERENCE", "SETTINGS", "Run", "init_params", "forward", "loss", "backward", "train",
           "predict", "accuracy", "confusion_matrix", "checked_parts", "learning_rate_study", "LEARNING_RATES",
           "study_accuracies", "STUDY",
           "summary"]

EPS = 1e-5          # BatchNorm's eps
MOMENTUM = 0.1      # the weight of a new batch in the running statistics (PyTorch's convention)

#: The notebook's training run: mini-batches of 32, 20 epochs, learning rate 0.5, 64 hidden features.
SETTINGS = {"hidden": 64, "lr": 0.5, "epochs": 20, "batch_size": 32}


class Parts(NamedTuple):
    """The five functions of the backward pass, in the order they run (signatures as in notebook 13)."""

    dlogits: Callable        # (logits, labels) -> dlogits
    output_layer: Callable   # (dlogits, h, W2) -> (dh, dW2, db2)
    tanh: Callable           # (dh, a, h) -> da
    batchnorm: Callable      # (da, z, gamma, eps) -> (dz, dgamma, dbeta)
    first_layer: Callable    # (dz, x) -> dW1


def _dlogits(logits, labels):
    return bnlib.softmax_cross_entropy(logits, labels)[1]


@functools.lru_cache(maxsize=None)
def _linear_layer(D_in, D_out, bias):
    return bnlib.Linear(D_in, D_out, rng=0, bias=bias)


def _linear(W, bias):
    """A bnlib.Linear layer holding W (one layer per shape, made once: making one draws weights)."""
    layer = _linear_layer(*W.shape, bias)
    layer.W = W
    return layer


def _output_layer(dlogits, h, W2):
    layer = _linear(W2, bias=True)
    layer.forward(h)
    dh = layer.backward(dlogits)
    return dh, layer.dW, layer.db


def _tanh(dh, a, h):
    layer = bnlib.Tanh()
    layer.forward(a)
    return layer.backward(dh)


def _batchnorm(dout, z, gamma, eps):
    _, cache = bnlib.batchnorm_forward(z, gamma, np.zeros_like(gamma), eps)
    return bnlib.batchnorm_backward(dout, cache)


def _first_layer(dz, x):
    layer = _linear(np.empty((x.shape[1], dz.shape[1])), bias=False)   # dW1 does not depend on W1
    layer.forward(x)
    layer.backward(dz)
    return layer.dW


#: bnlib's backward pass, in five parts: the course's solution.
REFERENCE = Parts(_dlogits, _output_layer, _tanh, _batchnorm, _first_layer)


# ---------------------------------------------------------------- the network

def init_params(seed, batchnorm=True, hidden=64, D_in=64, classes=10):
    """The starting weights: those of ``bnlib.MLP([D_in, hidden, classes], batchnorm, activation="tanh",
    seed=seed)`` (He initialization, zero biases, gamma = 1, beta = 0), as a dict of copies.

    With BatchNorm: W1 (no bias), gamma, beta, W2, b2; without: W1, b1, W2, b2. The two networks of
    one seed start from the same W1 and W2.
    """
    model = bnlib.MLP([D_in, hidden, classes], batchnorm=batchnorm, activation="tanh", seed=seed)
    first, last = model.layers[0], model.layers[-1]
    params = {"W1": first.W.copy()}
    if batchnorm:
        params.update(gamma=model.layers[1].gamma.copy(), beta=model.layers[1].beta.copy())
    else:
        params["b1"] = first.b.copy()
    params.update(W2=last.W.copy(), b2=last.b.copy())
    return params


def forward(params, x, running=None, training=True):
    """The logits of the batch x (N, D_in) and a cache of every tensor the backward pass needs.

    Training mode normalizes with the batch's statistics and, when ``running`` (a dict with
    "mean" and "var") is given, updates it as bnlib.BatchNorm1d does; eval mode normalizes with
    ``running`` alone.
    """
    z = x @ params["W1"]                                    # (N, H)  first Linear, no bias
    if "gamma" not in params:
        a = z + params["b1"]                                # no BatchNorm: a bias instead
    elif training:
        N = x.shape[0]
        mu, var = z.mean(axis=0), z.var(axis=0)             # batch statistics, biased variance
        a = params["gamma"] * (z - mu) / np.sqrt(var + EPS) + params["beta"]
        if running is not None:                             # PyTorch's update, unbiased variance
            running["mean"] = (1 - MOMENTUM) * running["mean"] + MOMENTUM * mu
            running["var"] = (1 - MOMENTUM) * running["var"] + MOMENTUM * var * N / (N - 1)
    else:
        a = params["gamma"] * (z - running["mean"]) / np.sqrt(running["var"] + EPS) + params["beta"]
    h = np.tanh(a)                                          # (N, H)
    logits = h @ params["W2"] + params["b2"]                # (N, K)
    return logits, {"x": x, "z": z, "a": a, "h": h, "logits": logits}


def loss(logits, labels):
    """The mean softmax cross-entropy of the batch (bnlib.softmax_cross_entropy's first value)."""
    return bnlib.softmax_cross_entropy(logits, labels)[0]


def backward(parts, params, cache, labels):
    """The gradient of the mean loss with respect to every parameter: the five parts in reverse order."""
    dlogits = parts.dlogits(cache["logits"], labels)
    dh, dW2, db2 = parts.output_layer(dlogits, cache["h"], params["W2"])
    da = parts.tanh(dh, cache["a"], cache["h"])
    if "gamma" in params:
        dz, dgamma, dbeta = parts.batchnorm(da, cache["z"], params["gamma"], EPS)
        grads = {"gamma": dgamma, "beta": dbeta}
    else:
        dz = da                                             # a = z + b1
        grads = {"b1": da.sum(axis=0)}
    dW1 = parts.first_layer(dz, cache["x"])
    return {"W1": dW1, **grads, "W2": dW2, "b2": db2}


# ---------------------------------------------------------------- training

class Run(NamedTuple):
    """A trained network: its parameters, running statistics (None without BatchNorm), and per epoch
    the mean training loss and the validation accuracy (eval mode)."""

    params: dict
    running: dict
    losses: list
    val_acc: list


def train(parts=REFERENCE, seed=0, batchnorm=True, lr=SETTINGS["lr"], epochs=SETTINGS["epochs"],
          batch_size=SETTINGS["batch_size"], hidden=SETTINGS["hidden"], digits=None):
    """Plain mini-batch gradient descent, p <- p - lr dL/dp, on the training digits; returns a :class:`Run`.

    Each epoch visits the training images once in an order drawn from ``seed`` (which also draws the
    starting weights), in batches of ``batch_size`` (the last, incomplete batch is left out), in
    training mode; after each epoch the validation accuracy is measured in eval mode.
    """
    digits = digits or load_digits()
    X, y = digits.train.X, digits.train.y
    params = init_params(seed, batchnorm, hidden, X.shape[1], int(y.max()) + 1)
    running = {"mean": np.zeros(hidden), "var": np.ones(hidden)} if batchnorm else None
    rng = np.random.default_rng(seed)
    losses, val_acc = [], []
    for epoch in range(epochs):
        order = rng.permutation(len(y))
        batch_losses = []
        with np.errstate(over="ignore", invalid="ignore"):      # a diverging run shows in its accuracy
            for start in range(0, len(y) - batch_size + 1, batch_size):
                rows = order[start:start + batch_size]
                logits, cache = forward(params, X[rows], running, training=True)
                batch_losses.append(loss(logits, y[rows]) if np.isfinite(logits).all() else np.inf)
                grads = backward(parts, params, cache, y[rows])
                for name, p in params.items():
                    p -= lr * grads[name]
        losses.append(float(np.mean(batch_losses)))
        val_acc.append(accuracy(Run(params, running, losses, val_acc), digits.val))
    return Run(params, running, losses, val_acc)


def predict(run, X):
    """The predicted digit for each row of X, in eval mode (the running statistics)."""
    with np.errstate(over="ignore", invalid="ignore"):
        logits, _ = forward(run.params, X, run.running, training=False)
    return np.where(np.isfinite(logits).all(axis=1), logits.argmax(axis=1), -1)   # -1: the run diverged


def accuracy(run, split):
    """The fraction of the images of ``split`` (a bncourse.data.Split) whose digit the network predicts."""
    return float(np.mean(predict(run, split.X) == split.y))


def confusion_matrix(labels, predicted, classes=10):
    """C[i, j] = how many images of digit i were predicted as j."""
    C = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(C, (labels, predicted), 1)
    return C


def summary(values):
    """'0.975 ± 0.005 (min 0.967, max 0.983)': mean ± standard deviation (ddof=0) over the seeds."""
    v = np.asarray(values, dtype=float)
    return f"{v.mean():.3f} ± {v.std():.3f} (min {v.min():.3f}, max {v.max():.3f})"


# ---------------------------------------------------------------- the learner's parts, checked

CHECKERS = {"dlogits": "check_dlogits", "output_layer": "check_output_layer_backward",
            "tanh": "check_tanh_backward", "batchnorm": "check_network_batchnorm_backward",
            "first_layer": "check_first_layer_backward"}


def checked_parts(dlogits, output_layer, tanh, batchnorm, first_layer, quiet=False):
    """The learner's five functions as :class:`Parts`, each one only if its checker passes.

    A function whose checker fails (not done yet, or a mistake) is replaced by bnlib's, and the
    table printed says so, with the checker's first line: the notebook runs top to bottom either way,
    and the training uses every part of the learner's that is right.
    """
    from bncourse import checks
    from bncourse.checks.core import CheckFailed

    given = dict(dlogits=dlogits, output_layer=output_layer, tanh=tanh, batchnorm=batchnorm,
                 first_layer=first_layer)
    chosen = {}
    for name, fn in given.items():
        checker = getattr(checks, CHECKERS[name])
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                checker(fn)
            chosen[name], status = fn, "yours"
        except CheckFailed as failed:
            chosen[name] = getattr(REFERENCE, name)
            why = "is not done yet" if "not done yet" in failed.problem else f"fails its checker: {failed.problem}"
            status = f"bnlib's (yours {why})"
        if not quiet:
            print(f"{getattr(fn, '__name__', name):32s} {status}")
    return Parts(**chosen)


# ---------------------------------------------------------------- the stored study

LEARNING_RATES = (0.03, 0.1, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0)
NETWORKS = {"BatchNorm": True, "plain": False}


def learning_rate_study(lrs=LEARNING_RATES, seeds=range(10), parts=REFERENCE, **settings):
    """{(network, lr): {"val": [...], "test": [...]}}: per seed, how many validation and test images the
    network trained with ``lr`` (and :data:`SETTINGS` otherwise) classifies right, in eval mode."""
    digits = load_digits()
    results = {}
    for network, batchnorm in NETWORKS.items():
        for lr in lrs:
            runs = [train(parts, seed, batchnorm, lr, digits=digits, **settings) for seed in seeds]
            results[(network, lr)] = {split: [int(np.sum(predict(run, getattr(digits, split).X)
                                                         == getattr(digits, split).y)) for run in runs]
                                      for split in ("val", "test")}
    return results


def study_accuracies(split="test", study=None):
    """{(network, lr): array of accuracies, one per seed} from the stored :data:`STUDY` (or ``study``)."""
    study = STUDY if study is None else study
    size = STUDY_SPLIT_SIZES[split]
    return {key: np.array(counts[split]) / size for key, counts in study["results"].items()}


STUDY_SPLIT_SIZES = {"val": 359, "test": 359}

#: The stored run of :func:`learning_rate_study` (``python -m bncourse.network``): images classified
#: right out of 359, per seed 0..9, for each network and learning rate, with SETTINGS otherwise.
STUDY = {
    "date": "2026-12-02",
    "machine": "Intel Xeon, a guest with 2 cores; Python 3.11.7, NumPy 2.4.6, OpenBLAS 0.3.31 on 1 thread",
    "seconds": 36,
    "seeds": 10,
    "results": {
        ('BatchNorm', 0.03): {'val': [343, 341, 340, 345, 344, 344, 339, 344, 340, 343], 'test': [345, 345, 342, 347, 345, 340, 346, 345, 343, 345]},
        ('BatchNorm', 0.1): {'val': [347, 346, 346, 349, 347, 347, 346, 349, 347, 347], 'test': [348, 349, 346, 351, 349, 344, 350, 347, 348, 350]},
        ('BatchNorm', 0.3): {'val': [349, 345, 349, 350, 345, 349, 349, 348, 348, 347], 'test': [349, 351, 348, 352, 349, 347, 353, 348, 349, 353]},
        ('BatchNorm', 0.5): {'val': [352, 349, 350, 352, 346, 348, 351, 350, 347, 349], 'test': [348, 351, 347, 350, 349, 349, 353, 349, 350, 353]},
        ('BatchNorm', 1.0): {'val': [351, 349, 350, 345, 351, 350, 351, 351, 351, 351], 'test': [349, 351, 349, 344, 351, 349, 353, 350, 351, 352]},
        ('BatchNorm', 2.0): {'val': [352, 350, 355, 348, 349, 352, 348, 346, 349, 350], 'test': [351, 348, 351, 347, 346, 351, 351, 350, 351, 352]},
        ('BatchNorm', 3.0): {'val': [351, 349, 352, 347, 352, 350, 346, 349, 351, 348], 'test': [352, 348, 352, 349, 348, 346, 352, 349, 351, 351]},
        ('BatchNorm', 5.0): {'val': [349, 345, 347, 344, 345, 351, 343, 348, 348, 342], 'test': [347, 354, 349, 356, 350, 355, 348, 354, 348, 348]},
        ('plain', 0.03): {'val': [339, 340, 340, 339, 335, 338, 338, 338, 339, 333], 'test': [340, 343, 343, 340, 337, 339, 337, 342, 341, 341]},
        ('plain', 0.1): {'val': [346, 346, 343, 344, 345, 344, 346, 345, 342, 345], 'test': [345, 345, 344, 343, 344, 343, 342, 347, 342, 347]},
        ('plain', 0.3): {'val': [346, 347, 346, 348, 344, 346, 349, 348, 348, 350], 'test': [347, 346, 348, 347, 347, 345, 345, 346, 343, 350]},
        ('plain', 0.5): {'val': [347, 347, 347, 348, 342, 346, 348, 349, 349, 349], 'test': [348, 344, 349, 347, 347, 346, 349, 346, 342, 350]},
        ('plain', 1.0): {'val': [349, 346, 348, 351, 345, 352, 347, 350, 347, 350], 'test': [348, 348, 351, 349, 346, 350, 350, 348, 349, 351]},
        ('plain', 2.0): {'val': [127, 127, 241, 250, 163, 84, 153, 246, 248, 194], 'test': [125, 130, 234, 265, 162, 89, 152, 254, 243, 200]},
        ('plain', 3.0): {'val': [36, 35, 36, 35, 36, 73, 36, 111, 36, 97], 'test': [36, 35, 36, 35, 36, 72, 36, 112, 36, 101]},
        ('plain', 5.0): {'val': [36, 36, 36, 36, 36, 36, 35, 36, 35, 36], 'test': [36, 36, 36, 36, 36, 36, 35, 36, 35, 36]},
    },
}


def main(argv=None):
    """Run the learning-rate study and print it as the literal of STUDY's results."""
    parser = argparse.ArgumentParser(description="the learning-rate study of notebook 13 (about a minute)")
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args(argv)
    results = learning_rate_study(seeds=range(args.seeds))
    print("    \"results\": {")
    for key, counts in results.items():
        print(f"        {key!r}: {counts!r},")
    print("    },")
    for (network, lr), counts in results.items():
        print(f"# {network:9s} lr {lr:<5g} test {summary(np.array(counts['test']) / 359)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
