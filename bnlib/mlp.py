r"""A small multilayer perceptron in NumPy, with and without BatchNorm (notebook 09).

Every layer has ``forward(x)`` and ``backward(dout)`` (which returns dL/dx and
keeps the parameter gradients), and ``params()`` / ``grads()`` dictionaries
with the same names, so that one SGD step is ``p -= lr * g`` for each pair.

A hidden block is ``Linear -> [BatchNorm1d] -> ReLU`` (BatchNorm before the
nonlinearity, as in Ioffe and Szegedy, 2015); the last layer is a Linear
layer whose outputs (logits) go into :func:`softmax_cross_entropy`.
"""
import numpy as np

from .base import Layer
from .layers import BatchNorm1d
from .validate import require_count, require_positive_number, validate_batch, validate_labels

__all__ = ["Linear", "ReLU", "softmax_cross_entropy", "MLP", "train_mlp"]


class Linear(Layer):
    r"""Fully connected layer :math:`z = xW + b` with W of shape (D_in, D_out).

    Backward: :math:`\partial L/\partial W = x^\top dz`, :math:`\partial L/\partial b = \sum_i dz_i`,
    :math:`\partial L/\partial x = dz\,W^\top`.
    W starts as He initialization, :math:`\mathcal N(0, 2/D_\text{in})`, b as zeros.
    """

    def __init__(self, D_in, D_out, rng=None):
        D_in, D_out = (require_count(name, value, ValueError) for name, value in (("D_in", D_in), ("D_out", D_out)))
        rng = np.random.default_rng(rng)
        self.W = rng.standard_normal((D_in, D_out)) * np.sqrt(2.0 / D_in)
        self.b = np.zeros(D_out)
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)
        self._x = None

    def forward(self, x):
        """z = x @ W + b for x of shape (N, D_in); keeps x for the backward pass."""
        x = validate_batch("x", x, D=self.W.shape[0], why=" = (batch, D_in)", finite=False)
        self._x = x
        return x @ self.W + self.b

    def backward(self, dout):
        """Sets dW = x^T dout and db = sum_i dout_i; returns dx = dout W^T."""
        if self._x is None:
            raise RuntimeError("backward() needs a forward() first")
        self.dW = self._x.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T

    def params(self):
        """W and b, by name."""
        return {"W": self.W, "b": self.b}

    def grads(self):
        """dW and db, under the names of :meth:`params`."""
        return {"W": self.dW, "b": self.db}


class ReLU(Layer):
    r"""Rectified linear unit :math:`a = \max(z, 0)`; backward :math:`dz = da\cdot[z > 0]`."""

    def __init__(self):
        self._mask = None

    def forward(self, z):
        """max(z, 0), remembering where z > 0."""
        self._mask = z > 0
        return np.where(self._mask, z, 0.0)

    def backward(self, dout):
        """dout where the input was positive, 0 elsewhere."""
        if self._mask is None:
            raise RuntimeError("backward() needs a forward() first")
        return np.where(self._mask, dout, 0.0)



def softmax_cross_entropy(logits, labels):
    r"""Mean cross-entropy of softmax(logits) against integer class labels, and its gradient.

    .. math::

        p_{ik} = \frac{e^{z_{ik}}}{\sum_c e^{z_{ic}}},\qquad
        L = -\frac1m\sum_i \log p_{i,y_i},\qquad
        \frac{\partial L}{\partial z_{ik}} = \frac{p_{ik} - [k = y_i]}{m}

    The row maximum is subtracted before ``exp`` (it cancels in p) so that large
    logits cannot overflow. Returns ``(loss, dlogits)``.
    """
    logits = validate_batch("logits", logits)
    N, K = logits.shape
    labels = validate_labels("labels", labels, N, K)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(N)
    loss = -log_p[rows, labels].mean()
    dlogits = np.exp(log_p)
    dlogits[rows, labels] -= 1.0
    dlogits /= N
    return float(loss), dlogits


class MLP(Layer):
    """``sizes = [D_in, H1, ..., D_out]``: hidden blocks Linear -> [BatchNorm1d] -> ReLU, then Linear.

    ``forward`` keeps the input of every ReLU in ``preactivations`` (one array
    per hidden layer), for the histograms of notebook 09.
    """

    def __init__(self, sizes, batchnorm=False, seed=0, momentum=0.1, eps=1e-5):
        if len(sizes) < 2 or any(int(s) != s or s < 1 for s in sizes):
            raise ValueError(f"sizes must be >= 2 positive integers [D_in, ..., D_out]; got {sizes}")
        rng = np.random.default_rng(seed)
        self.layers = []
        for D_in, D_out in zip(sizes[:-2], sizes[1:-1]):
            self.layers.append(Linear(D_in, D_out, rng))
            if batchnorm:
                self.layers.append(BatchNorm1d(D_out, momentum=momentum, eps=eps))
            self.layers.append(ReLU())
        self.layers.append(Linear(sizes[-2], sizes[-1], rng))
        self.preactivations = []

    @property
    def linear_layers(self):
        return [layer for layer in self.layers if isinstance(layer, Linear)]

    def train(self, mode=True):
        """Put every layer in training mode (or eval mode with mode=False). Returns self."""
        super().train(mode)
        for layer in self.layers:
            layer.train(mode)
        return self

    def forward(self, x):
        """The logits for x (N, D_in), through every layer in order."""
        x = validate_batch("x", x, finite=False)
        self.preactivations = []
        for layer in self.layers:
            if isinstance(layer, ReLU):
                self.preactivations.append(x)
            x = layer.forward(x)
        return x

    def backward(self, dlogits):
        """Backpropagate dL/dlogits through every layer; the gradients stay in the layers."""
        d = dlogits
        for layer in reversed(self.layers):
            d = layer.backward(d)
        return d

    def step(self, lr):
        """One step of plain gradient descent: p <- p - lr * dL/dp for every parameter."""
        for layer in self.layers:
            grads = layer.grads()
            for name, p in layer.params().items():
                p -= lr * grads[name]

    def accuracy(self, X, y):
        """Fraction of rows whose largest logit is the label (in the current mode)."""
        return float(np.mean(self.forward(X).argmax(axis=1) == y))


def train_mlp(model, X, y, lr, epochs, batch_size=64, seed=0, X_test=None, y_test=None,
              snapshot_epochs=()):
    r"""Mini-batch gradient descent on softmax cross-entropy; returns a history dict.

    Each step updates every parameter p of the model by :math:`p_{t+1} = p_t - \mathrm{lr}\,\partial L/\partial p`,
    with L the mean cross-entropy of the batch.

    Each epoch visits the training set once in a random order (seeded). After
    each epoch the model is evaluated in eval mode. The history holds, per epoch:
    ``loss`` (mean training-batch loss, training mode), ``eval_loss`` and ``train_acc``
    (the whole training set in eval mode), ``test_acc`` (if a test set
    is given) and ``grad_norms`` (mean over the epoch's steps of ||dL/dW|| for each
    Linear layer, shape (epochs, layers)); ``preacts[e]`` (for e in
    ``snapshot_epochs``) the ReLU inputs of the epoch's first batch, before its
    update. A run whose numbers overflow is stopped and marked ``diverged``:
    overflow raises inside the loop instead of printing warnings.
    """
    X = validate_batch("X", X)
    N = X.shape[0]
    y = validate_labels("y", y, N)
    require_positive_number("lr", lr)
    if not (isinstance(batch_size, (int, np.integer)) and 2 <= batch_size <= N):
        raise ValueError(f"batch_size must be an integer from 2 to N = {N}; got {batch_size!r}")
    rng = np.random.default_rng(seed)
    history = {"loss": [], "eval_loss": [], "train_acc": [], "test_acc": [], "grad_norms": [], "preacts": {},
               "diverged": False}
    for epoch in range(epochs):
        order = rng.permutation(N)
        losses, norms = [], []
        model.train()
        try:
            with np.errstate(over="raise", invalid="raise", divide="raise"):
                for start in range(0, N - batch_size + 1, batch_size):
                    batch = order[start:start + batch_size]
                    logits = model.forward(X[batch])
                    if start == 0 and epoch in snapshot_epochs:
                        history["preacts"][epoch] = [z.copy() for z in model.preactivations]
                    loss, dlogits = softmax_cross_entropy(logits, y[batch])
                    model.backward(dlogits)
                    norms.append([np.sqrt(np.sum(layer.dW**2)) for layer in model.linear_layers])
                    model.step(lr)
                    losses.append(loss)
                if np.mean(losses) > 1e3:   # far above log(classes): the run has blown up
                    raise FloatingPointError
                model.eval()
                logits = model.forward(X)
                eval_loss, _ = softmax_cross_entropy(logits, y)
                train_acc = float(np.mean(logits.argmax(axis=1) == y))
                test_acc = model.accuracy(X_test, y_test) if X_test is not None else None
        except FloatingPointError:
            history["diverged"] = True
            break
        history["loss"].append(float(np.mean(losses)))
        history["grad_norms"].append(np.mean(norms, axis=0))
        history["eval_loss"].append(eval_loss)
        history["train_acc"].append(train_acc)
        if test_acc is not None:
            history["test_acc"].append(test_acc)
    history["grad_norms"] = np.array(history["grad_norms"])
    return history
