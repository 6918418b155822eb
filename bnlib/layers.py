r"""BatchNorm as a layer: training mode, running statistics, eval mode, folding (notebook 08).

:class:`BatchNorm1d` follows PyTorch's ``torch.nn.BatchNorm1d`` exactly:

* training mode normalizes with the batch statistics :math:`\mu_B` and the
  *biased* :math:`\sigma_B^2` (divide by m), through :func:`bnlib.batchnorm_forward`,
  and updates the running statistics with the *unbiased* batch variance:

  .. math::

      \text{running\_mean} \leftarrow (1-\text{momentum})\,\text{running\_mean} + \text{momentum}\,\mu_B

      \text{running\_var} \leftarrow (1-\text{momentum})\,\text{running\_var}
          + \text{momentum}\,\tfrac{m}{m-1}\sigma_B^2

  starting from running_mean = 0 and running_var = 1;
* eval mode normalizes every sample with the running statistics alone, so the
  samples of a batch no longer interact and a batch of one sample is fine.

:func:`fold_batchnorm` merges an eval-mode BatchNorm1d into the linear layer
``y = x @ W + b`` before it. The small MLP of notebook 09 lives in :mod:`bnlib.mlp`.
"""
import numpy as np

from .base import Layer
from .batchnorm import _batchnorm_backward, _batchnorm_forward
from .validate import (
    require_batch_size,
    require_count,
    require_eps,
    require_forward_first,
    require_layer,
    require_momentum,
    require_nonnegative,
    require_param,
    validate_backward_inputs,
    validate_batch,
    validate_dout,
    validate_weights,
)

__all__ = [
    "BatchNorm1d",
    "EvalCache",
    "batchnorm_eval_forward",
    "batchnorm_eval_backward",
    "fold_batchnorm",
]


class EvalCache:
    """What the eval-mode forward pass keeps for its backward pass."""

    __slots__ = ("xhat", "gamma", "istd")

    def __init__(self, xhat, gamma, istd):
        self.xhat = xhat      # (x - running_mean) * istd, shape (N, D)
        self.gamma = gamma    # scale, shape (D,)
        self.istd = istd      # 1 / sqrt(running_var + eps), shape (D,)


def batchnorm_eval_forward(x, gamma, beta, running_mean, running_var, eps=1e-5):
    r"""Eval-mode BatchNorm: normalize with fixed (running) statistics.

    .. math::

        \hat x_i = \frac{x_i - \text{running\_mean}}{\sqrt{\text{running\_var}+\epsilon}},\qquad
        y_i = \gamma\hat x_i + \beta

    Each row is transformed on its own (an affine map per feature), so any N >= 1 works.
    Returns ``(out, cache)``.
    """
    x = validate_batch("x", x)
    D = x.shape[1]
    gamma, beta, running_mean, running_var = (
        require_param(name, value, x, (D,), " (one value per feature of x)")
        for name, value in (("gamma", gamma), ("beta", beta),
                            ("running_mean", running_mean), ("running_var", running_var)))
    require_nonnegative("running_var", running_var)
    return _batchnorm_eval_forward(x, gamma, beta, running_mean, running_var, require_eps(eps))


def _batchnorm_eval_forward(x, gamma, beta, running_mean, running_var, eps):
    """The eval-mode forward pass on validated inputs."""
    istd = 1.0 / np.sqrt(running_var + eps)
    xhat = (x - running_mean) * istd
    out = gamma * xhat + beta
    return out, EvalCache(xhat, gamma, istd)


def batchnorm_eval_backward(dout, cache):
    r"""Backward pass of :func:`batchnorm_eval_forward`: no coupling across the batch.

    The statistics are constants, so :math:`\partial\hat x_i/\partial x_j = 0` for
    :math:`i \ne j` and

    .. math::

        \frac{\partial L}{\partial x_i} = \frac{\gamma\, dy_i}{\sqrt{\text{running\_var}+\epsilon}},\qquad
        \frac{\partial L}{\partial\gamma} = \sum_i dy_i\,\hat x_i,\qquad
        \frac{\partial L}{\partial\beta} = \sum_i dy_i

    Returns ``(dx, dgamma, dbeta)``.
    """
    return _batchnorm_eval_backward(validate_backward_inputs(dout, cache, EvalCache, "batchnorm_eval_forward"), cache)


def _batchnorm_eval_backward(dout, cache):
    """The eval-mode backward pass on a validated dout."""
    dx = dout * (cache.gamma * cache.istd)
    dgamma = np.einsum("ij,ij->j", dout, cache.xhat)
    dbeta = dout.sum(axis=0)
    return dx, dgamma, dbeta


class BatchNorm1d(Layer):
    r"""A BatchNorm layer for inputs (N, D) with PyTorch's semantics.

    Parameters
    ----------
    D : int, the number of features.
    momentum : float in [0, 1], the weight of the *new* batch in the running
        averages (PyTorch's convention; Keras calls 1 - momentum its momentum);
        None gives, as in PyTorch, the plain average of all batches so far
        (the weight of batch t is 1/t).
    eps : float > 0, added to the variance inside the square root.

    Attributes
    ----------
    gamma, beta : (D,) float64, learned scale (ones) and shift (zeros).
    running_mean, running_var : (D,) float64, start at zeros and ones.
    training : bool, True after ``train()`` (the default), False after ``eval()``.
    num_batches_tracked : int, the number of training-mode forward passes so far.
    dgamma, dbeta : (D,) set by :meth:`backward`.

    Training mode:
    :math:`y_i = \gamma(x_i-\mu_B)/\sqrt{\sigma_B^2+\epsilon}+\beta` with the biased
    :math:`\sigma_B^2`, then
    :math:`r_\mu \leftarrow (1-\text{momentum})\,r_\mu + \text{momentum}\,\mu_B` and
    :math:`r_{\sigma^2} \leftarrow (1-\text{momentum})\,r_{\sigma^2} + \text{momentum}\,\tfrac{m}{m-1}\sigma_B^2`.

    Eval mode: :math:`y_i = \gamma(x_i-r_\mu)/\sqrt{r_{\sigma^2}+\epsilon}+\beta`.
    """

    def __init__(self, D, momentum=0.1, eps=1e-5):
        self.D = require_count("D (the number of features)", D)
        self.momentum = require_momentum(momentum)
        self.eps = require_eps(eps)
        self.gamma = np.ones(self.D)
        self.beta = np.zeros(self.D)
        self.running_mean = np.zeros(self.D)
        self.running_var = np.ones(self.D)
        self.dgamma = np.zeros(self.D)
        self.dbeta = np.zeros(self.D)
        self.training = True
        self.num_batches_tracked = 0
        self._cache = None

    def __repr__(self):
        mode = "train" if self.training else "eval"
        return f"BatchNorm1d({self.D}, momentum={self.momentum}, eps={self.eps}, mode={mode})"

    def forward(self, x):
        """Normalize ``x`` (N, D): batch statistics in training mode, running ones in eval mode."""
        x = validate_batch("x", x, D=self.D, why=f" (this layer has D = {self.D} features)")
        gamma, beta = (p.astype(x.dtype, copy=False) for p in (self.gamma, self.beta))
        if not self.training:
            running_mean, running_var = (r.astype(x.dtype, copy=False)
                                         for r in (self.running_mean, self.running_var))
            out, self._cache = _batchnorm_eval_forward(x, gamma, beta, running_mean, running_var, self.eps)
            return out
        N = x.shape[0]
        require_batch_size(N)
        out, self._cache = _batchnorm_forward(x, gamma, beta, self.eps)
        self.update_running_stats(x.mean(axis=0), self._cache.var * N / (N - 1))
        return out

    def update_running_stats(self, batch_mean, batch_var_unbiased):
        r"""new = (1 - momentum) * old + momentum * batch, for the mean and the unbiased variance.

        With momentum None the weight of batch t is 1/t: a plain average of all batches.
        """
        self.num_batches_tracked += 1
        m = 1.0 / self.num_batches_tracked if self.momentum is None else self.momentum
        self.running_mean = (1.0 - m) * self.running_mean + m * batch_mean
        self.running_var = (1.0 - m) * self.running_var + m * batch_var_unbiased

    def backward(self, dout):
        """Gradients of the last forward pass: returns dx, sets ``dgamma`` and ``dbeta``.

        Training mode uses :func:`bnlib.batchnorm_backward` (every sample's gradient
        depends on the whole batch); eval mode uses :func:`batchnorm_eval_backward`
        (dx = dout * gamma / sqrt(running_var + eps), sample by sample).
        """
        require_forward_first(self._cache)
        dout = validate_dout(dout, self._cache.xhat)
        backward = _batchnorm_eval_backward if isinstance(self._cache, EvalCache) else _batchnorm_backward
        dx, self.dgamma, self.dbeta = backward(dout, self._cache)
        return dx

    def params(self):
        """The learned parameters by name (the arrays themselves: an optimizer updates them in place)."""
        return {"gamma": self.gamma, "beta": self.beta}

    def grads(self):
        """The gradients of :meth:`params`, by the same names."""
        return {"gamma": self.dgamma, "beta": self.dbeta}


def fold_batchnorm(W, b, bn):
    r"""Fold an eval-mode BatchNorm1d into the linear layer before it.

    The linear layer is ``z = x @ W + b`` with W of shape (D_in, D_out) (as in
    :class:`bnlib.Linear`), followed by ``y = bn(z)`` in eval mode. With
    :math:`s = \gamma/\sqrt{\text{running\_var}+\epsilon}` (one scale per output feature):

    .. math::

        y = (xW + b - r_\mu)\,s + \beta = x\,(W\,\mathrm{diag}(s)) + \big((b - r_\mu)\,s + \beta\big)

    Returns ``(W_folded, b_folded)``: each column j of W is multiplied by s_j.
    The folded layer equals the pair only in eval mode (training mode uses
    the statistics of each batch), so ``bn`` must be in eval mode.
    """
    require_layer("bn", bn, BatchNorm1d, training=False)
    W = validate_weights("W", W, bn.D)
    D_out = W.shape[1]
    b = require_param("b", b, W, (D_out,), " (one bias per column of W)")
    scale = bn.gamma / np.sqrt(bn.running_var + bn.eps)
    W_folded = W * scale
    b_folded = (b - bn.running_mean) * scale + bn.beta
    return W_folded, b_folded

