r"""What every layer of bnlib shares: a mode, parameters and their gradients.

A layer maps ``x`` to ``forward(x)`` and a gradient ``dout`` = dL/d(output) to
``backward(dout)`` = dL/dx, keeping the gradients of its parameters. ``params()``
and ``grads()`` are dictionaries with the same names, so that one step of
gradient descent is

.. math::  p \leftarrow p - \mathrm{lr}\,\frac{\partial L}{\partial p}

for each pair. ``train()`` and ``eval()`` switch the mode; only layers whose
computation depends on it (BatchNorm) read ``training``.
"""

__all__ = ["Layer"]


class Layer:
    """The base of :class:`bnlib.BatchNorm1d`, :class:`bnlib.Linear` and :class:`bnlib.ReLU`.

    ``training`` is True after ``train()`` (the start) and False after ``eval()``.
    A layer without parameters keeps the empty ``params()`` and ``grads()`` of this base.
    """

    training = True

    def train(self, mode=True):
        """Switch to training mode (eval mode with mode=False). Returns self."""
        self.training = bool(mode)
        return self

    def eval(self):
        """Switch to eval mode. Returns self."""
        return self.train(False)

    def params(self):
        """The learned parameters by name (the arrays themselves: an optimizer updates them in place)."""
        return {}

    def grads(self):
        """The gradients of :meth:`params`, by the same names, from the last backward pass."""
        return {}

    def forward(self, x):
        """The output for input ``x``."""
        raise NotImplementedError(f"{type(self).__name__} must define forward(x)")

    def backward(self, dout):
        """dL/dx for dL/d(output) = ``dout``, keeping the parameter gradients."""
        raise NotImplementedError(f"{type(self).__name__} must define backward(dout)")
