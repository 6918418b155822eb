r"""A small multilayer perceptron in NumPy, with and without BatchNorm (notebook 09).

Every layer has ``forward(x)`` and ``backward(dout)`` (which returns dL/dx and
keeps the parameter gradients), and ``params()`` / ``grads()`` dictionaries
with the same names, so that one SGD step is ``p -= lr * g`` for each pair.

A hidden block is ``Linear -> [norm] -> ReLU`` (the normalization before the
nonlinearity, as in Ioffe and Szegedy, 2015), or ``Tanh`` in place of ReLU, or
a residual block ``x + alpha * (Linear -> [norm] -> ReLU)(x)``; the last layer is a Linear
layer whose outputs (logits) go into :func:`softmax_cross_entropy`. The norm
is BatchNorm (notebooks 09-11), or LayerNorm or GroupNorm (notebook 11), whose
statistics never cross the batch. A Linear layer right before a BatchNorm has
no bias: BatchNorm subtracts the batch mean, which removes any bias exactly
(notebook 10).
"""
import numpy as np

from .base import Layer
from .layers import BatchNorm1d
from .norms import _groupnorm_backward, _groupnorm_forward
from .validate import (require_choice, require_count, require_eps, require_forward_first, require_groups,
                       require_nonnegative_number, require_positive_number, validate_batch, validate_batch_size,
                       validate_dout, validate_labels, validate_sizes)

__all__ = ["Linear", "ReLU", "Tanh", "Residual", "LayerNorm1d", "GroupNorm1d", "softmax_cross_entropy", "MLP",
           "train_mlp"]

NORMS = ("batch", "layer", "group")
ACTIVATIONS = ("relu", "tanh")


class Linear(Layer):
    r"""Fully connected layer :math:`z = xW + b` with W of shape (D_in, D_out).

    Backward: :math:`\partial L/\partial W = x^\top dz`, :math:`\partial L/\partial b = \sum_i dz_i`,
    :math:`\partial L/\partial x = dz\,W^\top`.
    W starts as He initialization, :math:`\mathcal N(0, 2/D_\text{in})`, or, with ``weight_scale``
    given, :math:`\mathcal N(0, \text{weight\_scale}^2)`; b starts as zeros. With ``bias=False``
    the layer is :math:`z = xW` (``b`` and ``db`` are None): the choice before a BatchNorm layer.
    """

    def __init__(self, D_in, D_out, rng=None, bias=True, weight_scale=None):
        D_in, D_out = require_count("D_in", D_in), require_count("D_out", D_out)
        if weight_scale is not None:
            weight_scale = require_positive_number("weight_scale", weight_scale)
        rng = np.random.default_rng(rng)
        std = np.sqrt(2.0 / D_in) if weight_scale is None else float(weight_scale)
        self.W = rng.standard_normal((D_in, D_out)) * std
        self.b = np.zeros(D_out) if bias else None
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros(D_out) if bias else None
        self._x = None

    def forward(self, x):
        """z = x @ W + b for x of shape (N, D_in); keeps x for the backward pass."""
        x = validate_batch("x", x, D=self.W.shape[0], why=" = (batch, D_in)", finite=False)
        self._x = x
        z = x @ self.W
        return z if self.b is None else z + self.b

    def backward(self, dout):
        """Sets dW = x^T dout and db = sum_i dout_i; returns dx = dout W^T."""
        require_forward_first(self._x)
        dout = validate_dout(dout, self._x, (self._x.shape[0], self.W.shape[1]), finite=False)
        self.dW = self._x.T @ dout
        if self.b is not None:
            self.db = dout.sum(axis=0)
        return dout @ self.W.T

    def params(self):
        """The learned parameters by name: W, and b unless the layer has no bias."""
        return {"W": self.W} if self.b is None else {"W": self.W, "b": self.b}

    def grads(self):
        """The gradients of :meth:`params`, by the same names."""
        return {"W": self.dW} if self.b is None else {"W": self.dW, "b": self.db}


class ReLU(Layer):
    r"""Rectified linear unit :math:`a = \max(z, 0)`; backward :math:`dz = da\cdot[z > 0]`."""

    def __init__(self):
        self._z = None

    def forward(self, z):
        """max(z, 0); keeps z for the backward pass."""
        self._z = validate_batch("z", z, finite=False)
        return np.where(self._z > 0, self._z, 0.0)

    def backward(self, dout):
        """dout where the input was positive, 0 elsewhere."""
        require_forward_first(self._z)
        dout = validate_dout(dout, self._z, finite=False)
        return np.where(self._z > 0, dout, 0.0)


class Tanh(Layer):
    r"""Hyperbolic tangent :math:`a = \tanh z`; backward :math:`dz = da\,(1 - a^2)`."""

    def __init__(self):
        self._z = self._a = None

    def forward(self, z):
        """tanh(z); keeps z and the output for the backward pass."""
        self._z = validate_batch("z", z, finite=False)
        self._a = np.tanh(self._z)
        return self._a

    def backward(self, dout):
        """dout * (1 - tanh(z)^2)."""
        require_forward_first(self._a)
        return validate_dout(dout, self._a, finite=False) * (1.0 - self._a**2)


class Residual(Layer):
    r"""A residual block :math:`y = x + \alpha\,f(x)`: ``branch`` is a list of layers (f), alpha a learned scalar.

    .. math::

        \frac{\partial L}{\partial x} = dy + J_f^\top(\alpha\,dy),\qquad
        \frac{\partial L}{\partial\alpha} = \sum_{i,d} dy_{id}\,f(x)_{id}

    ``alpha=1`` is the usual residual block; ``alpha=0`` is SkipInit (De and Smith, 2020): every block
    starts as the identity and learns how much of its branch to add.
    """

    def __init__(self, branch, alpha=1.0):
        self.branch = list(branch)
        self.alpha = np.array([require_nonnegative_number("alpha", alpha)])
        self.dalpha = np.zeros(1)
        self._f = None

    def train(self, mode=True):
        """Training or eval mode, for the block and every layer of its branch. Returns self."""
        for layer in self.branch:
            layer.train(mode)
        return super().train(mode)

    def forward(self, x):
        """x + alpha * f(x), keeping f(x) for the backward pass."""
        f = x
        for layer in self.branch:
            f = layer.forward(f)
        self._f = f
        return x + self.alpha[0] * f

    def backward(self, dout):
        """Sets dalpha = sum(dout * f(x)); returns dout + the branch's backward pass of alpha * dout."""
        require_forward_first(self._f)
        self.dalpha = np.array([np.sum(dout * self._f)])
        d = self.alpha[0] * dout
        for layer in reversed(self.branch):
            d = layer.backward(d)
        return dout + d

    def params(self):
        """alpha, a learned scalar (the branch's layers keep their own parameters)."""
        return {"alpha": self.alpha}

    def grads(self):
        """dL/dalpha."""
        return {"alpha": self.dalpha}


class GroupNorm1d(Layer):
    r"""GroupNorm for inputs (N, D): each sample's D features in G groups of D/G consecutive features.

    .. math::

        \mu_{ng} = \frac{1}{m}\sum_{d\in g} x_{nd},\quad
        \sigma_{ng}^2 = \frac{1}{m}\sum_{d\in g} (x_{nd}-\mu_{ng})^2,\quad
        y_{nd} = \gamma_d\frac{x_{nd}-\mu_{ng}}{\sqrt{\sigma_{ng}^2+\epsilon}}+\beta_d,
        \quad m = D/G

    :func:`bnlib.groupnorm_forward` on x seen as (N, D, 1, 1). No statistic crosses the batch, so
    training and eval mode are the same computation and any N >= 1 works.
    """

    def __init__(self, D, G, eps=1e-5):
        self.D = require_count("D", D)
        self.G = require_groups(G, self.D)
        self.eps = require_eps(eps)
        self.gamma = np.ones(self.D)
        self.beta = np.zeros(self.D)
        self.dgamma = np.zeros(self.D)
        self.dbeta = np.zeros(self.D)
        self._cache = None

    def forward(self, x):
        """Normalize each sample's groups of features of ``x`` (N, D); returns y, same shape."""
        x = validate_batch("x", x, D=self.D)
        gamma, beta = (p.astype(x.dtype, copy=False) for p in (self.gamma, self.beta))
        out, self._cache = _groupnorm_forward(x[:, :, None, None], gamma, beta, self.G, self.eps)
        return out[:, :, 0, 0]

    def backward(self, dout):
        """Returns dx; sets ``dgamma`` and ``dbeta`` (:func:`bnlib.groupnorm_backward`)."""
        require_forward_first(self._cache)
        dout = validate_dout(dout, self._cache.xhat, (self._cache.xhat.shape[0], self.D))
        dx, self.dgamma, self.dbeta = _groupnorm_backward(dout[:, :, None, None], self._cache)
        return dx[:, :, 0, 0]

    def params(self):
        """gamma and beta, one per feature."""
        return {"gamma": self.gamma, "beta": self.beta}

    def grads(self):
        """dL/dgamma and dL/dbeta."""
        return {"gamma": self.dgamma, "beta": self.dbeta}


class LayerNorm1d(GroupNorm1d):
    r"""LayerNorm for inputs (N, D): GroupNorm with one group, :math:`m = D`.

    .. math::

        y_{nd} = \gamma_d\frac{x_{nd}-\mu_n}{\sqrt{\sigma_n^2+\epsilon}}+\beta_d,\qquad
        \mu_n = \frac1D\sum_d x_{nd},\quad \sigma_n^2 = \frac1D\sum_d (x_{nd}-\mu_n)^2
    """

    def __init__(self, D, eps=1e-5):
        super().__init__(D, 1, eps)


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
    """``sizes = [D_in, H1, ..., D_out]``: hidden blocks Linear -> [norm] -> ReLU, then Linear.

    ``norm`` is None (no normalization), "batch" (:class:`bnlib.BatchNorm1d`; ``batchnorm=True``
    says the same), "layer" (:class:`LayerNorm1d`) or "group" (:class:`GroupNorm1d` with
    ``groups`` groups). The Linear layer before a BatchNorm has no bias, since BatchNorm cancels
    it (notebook 10); ``bias_before_batchnorm=True`` keeps it, to show that nothing changes.
    ``weight_scale`` (None: He initialization) sets the standard deviation of every W.
    ``activation`` is "relu" or "tanh"; ``gamma`` the initial scale of every norm layer.
    With ``residual=True`` every hidden block whose width does not change is a :class:`Residual`
    block ``x + alpha * block(x)``, alpha starting at ``alpha`` (0: SkipInit).
    ``preactivations`` holds the input of every nonlinearity from the last forward pass (one array
    per hidden layer), for the histograms of notebook 09.
    """

    def __init__(self, sizes, batchnorm=False, seed=0, momentum=0.1, eps=1e-5, norm=None, groups=4,
                 weight_scale=None, bias_before_batchnorm=False, activation="relu", residual=False,
                 alpha=1.0, gamma=1.0):
        sizes = validate_sizes(sizes)
        norm = require_choice("norm", "batch" if batchnorm and norm is None else norm, (None, *NORMS))
        if batchnorm and norm != "batch":
            raise ValueError(f"batchnorm=True means norm='batch'; got norm={norm!r} as well")
        nonlinearity = {"relu": ReLU, "tanh": Tanh}[require_choice("activation", activation, ACTIVATIONS)]
        gamma, alpha = require_positive_number("gamma", gamma), require_nonnegative_number("alpha", alpha)
        self.norm = norm
        rng = np.random.default_rng(seed)
        self.layers = []
        for D_in, D_out in zip(sizes[:-2], sizes[1:-1]):
            block = [Linear(D_in, D_out, rng, bias=norm != "batch" or bias_before_batchnorm,
                            weight_scale=weight_scale)]
            if norm is not None:
                block.append({"batch": lambda: BatchNorm1d(D_out, momentum=momentum, eps=eps),
                              "layer": lambda: LayerNorm1d(D_out, eps=eps),
                              "group": lambda: GroupNorm1d(D_out, groups, eps=eps)}[norm]())
                block[-1].gamma[:] = gamma
            block.append(nonlinearity())
            self.layers += [Residual(block, alpha)] if residual and D_in == D_out else block
        self.layers.append(Linear(sizes[-2], sizes[-1], rng, weight_scale=weight_scale))

    def all_layers(self):
        """Every layer in order, the layers of each residual branch included (and the block after them)."""
        for layer in self.layers:
            yield from getattr(layer, "branch", ())
            yield layer

    @property
    def linear_layers(self):
        return [layer for layer in self.all_layers() if isinstance(layer, Linear)]

    @property
    def preactivations(self):
        """The input of every ReLU or Tanh in the last forward pass, first to last."""
        return [layer._z for layer in self.all_layers() if isinstance(layer, (ReLU, Tanh))]

    def train(self, mode=True):
        """Put every layer in training mode (or eval mode with mode=False). Returns self."""
        super().train(mode)
        for layer in self.layers:
            layer.train(mode)
        return self

    def forward(self, x):
        """The logits for x (N, D_in), through every layer in order."""
        x = validate_batch("x", x, finite=False)
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dlogits):
        """Backpropagate dL/dlogits through every layer; the gradients stay in the layers."""
        d = dlogits
        for layer in reversed(self.layers):
            d = layer.backward(d)
        return d

    def step(self, lr, weight_decay=0.0):
        r"""One step of gradient descent: p <- p - lr * dL/dp for every parameter, and for the weights W
        of the Linear layers with weight decay :math:`\lambda`: W <- W - lr * (dL/dW + lambda W)."""
        for layer in self.all_layers():
            grads = layer.grads()
            for name, p in layer.params().items():
                p -= lr * (grads[name] + weight_decay * p if name == "W" and weight_decay else grads[name])

    def accuracy(self, X, y):
        """Fraction of rows whose largest logit is the label (in the current mode)."""
        return float(np.mean(self.forward(X).argmax(axis=1) == y))


def train_mlp(model, X, y, lr, epochs, batch_size=64, seed=0, X_test=None, y_test=None,
              snapshot_epochs=(), weight_decay=0.0):
    r"""Mini-batch gradient descent on softmax cross-entropy; returns a history dict.

    Each step updates every parameter p of the model by :math:`p_{t+1} = p_t - \mathrm{lr}\,\partial L/\partial p`,
    with L the mean cross-entropy of the batch (and, with ``weight_decay`` :math:`\lambda > 0`, the
    weights W of the Linear layers decay: :math:`W_{t+1} = W_t - \mathrm{lr}\,(\partial L/\partial W + \lambda W_t)`).

    Each epoch visits the training set once in a random order (seeded). After
    each epoch the model is evaluated in eval mode. The history holds, per epoch:
    ``loss`` (mean training-batch loss, training mode), ``eval_loss`` and ``train_acc``
    (the whole training set in eval mode), ``test_acc`` (if a test set
    is given) and ``grad_norms`` (mean over the epoch's steps of ||dL/dW|| for each
    Linear layer, shape (epochs, layers)); ``preacts[e]`` (for e in
    ``snapshot_epochs``) the inputs of the nonlinearities of the epoch's first batch, before its
    update. A run whose numbers overflow is stopped and marked ``diverged``:
    overflow raises inside the loop instead of printing warnings.
    """
    X = validate_batch("X", X)
    N = X.shape[0]
    y = validate_labels("y", y, N)
    require_positive_number("lr", lr)
    weight_decay = require_nonnegative_number("weight_decay", weight_decay)
    batch_size = validate_batch_size(batch_size, N)
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
                    model.step(lr, weight_decay)
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
