"""Checkers of notebooks 08 (train versus inference) and 09 (why it helps).

08: the running-statistics update, the eval-mode forward pass, folding into a linear layer.
09: one training step of the MLP, the per-layer gradient norms.

The references are bnlib's (BatchNorm1d's update, batchnorm_eval_forward, fold_batchnorm, the MLP's
own step); the mistakes are written out.
"""
import copy

import numpy as np

from bnlib.batchnorm import batchnorm_forward
from bnlib.layers import BatchNorm1d, batchnorm_eval_forward, fold_batchnorm
from bnlib.mlp import MLP, softmax_cross_entropy
from .core import (
    CheckFailed,
    as_result_array,
    as_result_tuple,
    call_learner,
    checker_inputs,
    MATCH_TOLERANCE,
    diagnose,
    format_array,
    is_close,
    passed,
)

__all__ = [
    "check_running_update",
    "check_eval_forward",
    "check_fold_batchnorm",
    "check_training_step",
    "check_gradient_norms",
]


# ---------------------------------------------------------------- notebook 08

def running_inputs():
    """A batch, running statistics away from (0, 1) and far from the batch's, momentum 0.3."""
    x, gamma, beta, _, eps = checker_inputs(N=4, D=3)
    running_mean = np.array([0.5, -1.0, 2.0])
    running_var = np.array([2.0, 0.5, 3.0])
    return x, gamma, beta, running_mean, running_var, eps


def check_running_update(fn):
    r"""``fn(running_mean, running_var, x, momentum)`` returns the updated ``(running_mean, running_var)``.

    PyTorch's convention: new = (1 - momentum) old + momentum batch, with the
    *unbiased* batch variance (divide by N - 1).
    """
    exercise = "check_running_update"
    x, _, _, running_mean, running_var, _ = running_inputs()
    m = 0.3
    N, D = x.shape
    result = call_learner(exercise, fn, running_mean, running_var, x, m)
    new_mean, new_var = as_result_tuple(exercise, result, ["running_mean", "running_var"])
    new_mean = as_result_array(exercise, "running_mean", new_mean, (D,))
    new_var = as_result_array(exercise, "running_var", new_var, (D,))
    bn = BatchNorm1d(D, momentum=m)
    bn.running_mean, bn.running_var = running_mean.copy(), running_var.copy()
    bn.forward(x)                                   # training mode: bnlib's update of the running statistics
    mean_ok, var_ok = bn.running_mean, bn.running_var
    mu, var_b, var_u = x.mean(axis=0), x.var(axis=0), x.var(axis=0, ddof=1)    # for the mistakes
    example = (f"x =\n    {format_array(x)}\nold running_var = {format_array(running_var)}, momentum = {m}\n"
               f"expected running_var = {format_array(var_ok)}\nyour running_var     = {format_array(new_var)}")
    cs231n = (m * running_mean + (1 - m) * mu, m * running_var + (1 - m) * var_b)
    if (not is_close(new_mean, mean_ok) and is_close(new_mean, cs231n[0], tol=MATCH_TOLERANCE)
            and is_close(new_var, cs231n[1], tol=MATCH_TOLERANCE)):
        raise CheckFailed(
            exercise, "this is the CS231n convention (Keras's too), which differs from the course's in two "
            "ways: (1) momentum weighs the OLD value, running = momentum * running + (1 - momentum) * batch; "
            "(2) running_var averages the BIASED batch variance (divide by N)",
            "the course follows PyTorch, whose layers most trained models come from: running = "
            "(1 - momentum) * running + momentum * batch (PyTorch's momentum 0.1 is CS231n's 0.9), and the "
            "UNBIASED batch variance (divide by N - 1), because running_var estimates the variance of the "
            "whole population, which a batch of N values underestimates by the factor (N - 1) / N",
            f"{example}\nexpected running_mean = {format_array(mean_ok)}\n"
            f"your running_mean     = {format_array(new_mean)}")
    if not is_close(new_mean, mean_ok):
        example_mean = (f"old running_mean = {format_array(running_mean)}, momentum = {m}, "
                        f"batch mean = {format_array(mu)}\nexpected running_mean = {format_array(mean_ok)}\n"
                        f"your running_mean     = {format_array(new_mean)}")
        diagnose(exercise, "running_mean", new_mean, [
            (m * running_mean + (1 - m) * mu, "momentum is applied the other way round",
             "in PyTorch momentum is the weight of the NEW batch: (1 - momentum) * old + momentum * batch"),
            (mu, "running_mean is just the batch mean: the old value is forgotten",
             "mix the old value and the batch mean: (1 - momentum) * old + momentum * batch"),
            (running_mean, "running_mean did not change", "add the batch mean with weight momentum"),
        ], example_mean,
            fallback=("wrong running_mean", "the batch mean is x.mean(axis=0), one value per feature"))
    if not is_close(new_var, var_ok):
        diagnose(exercise, "running_var", new_var, [
            ((1 - m) * running_var + m * var_b, "you used the biased batch variance (divide by N)",
             "PyTorch normalizes with the biased variance but averages the UNBIASED one into "
             "running_var: multiply by N / (N - 1), or use x.var(axis=0, ddof=1)"),
            (m * running_var + (1 - m) * var_b, "this is the other convention (Keras/CS231n): momentum "
             "weights the old value, and the variance is biased",
             "PyTorch: (1 - momentum) * old + momentum * unbiased batch variance"),
            (m * running_var + (1 - m) * var_u, "momentum is applied the other way round",
             "in PyTorch momentum is the weight of the NEW batch: (1 - momentum) * old + momentum * batch"),
            (var_u, "running_var is just the batch variance: the old value is forgotten",
             "mix the old value and the batch variance: (1 - momentum) * old + momentum * batch"),
            ((1 - m) * running_var + m * np.sqrt(var_u), "you averaged the standard deviation, "
             "not the variance", "running_var tracks the variance (no square root)"),
            (running_var, "running_var did not change", "add the batch variance with weight momentum"),
        ], example,
            fallback=("wrong running_var", "the unbiased batch variance is ((x - mu)**2).sum(axis=0) / (N - 1)"))
    return passed(exercise, "running statistics updated as in PyTorch (unbiased variance, "
                  "momentum weighs the new batch)")


def check_eval_forward(fn):
    r"""``fn(x, gamma, beta, running_mean, running_var, eps)`` returns the eval-mode output.

    .. math:: y_i = \gamma\,(x_i - r_\mu)/\sqrt{r_{\sigma^2}+\epsilon} + \beta
    """
    exercise = "check_eval_forward"
    x, gamma, beta, rm, rv, eps = running_inputs()
    N, D = x.shape

    def divided_by(denominator):
        """What dividing x - running_mean by a wrong ``denominator`` gives (for the mistakes)."""
        return gamma * (x - rm) / denominator + beta

    expected, _ = batchnorm_eval_forward(x, gamma, beta, rm, rv, eps)
    out = as_result_array(exercise, "out", call_learner(exercise, fn, x, gamma, beta, rm, rv, eps), (N, D))
    example = (f"x =\n    {format_array(x)}\nrunning_mean = {format_array(rm)}, running_var = "
               f"{format_array(rv)}, eps = {eps}\nexpected out =\n    {format_array(expected)}\n"
               f"your out =\n    {format_array(out)}")
    if not is_close(out, expected):
        diagnose(exercise, "out", out, [
            (batchnorm_forward(x, gamma, beta, eps)[0], "you normalized with the batch's own mean and "
             "variance: that is training mode", "in eval mode use running_mean and running_var only"),
            (divided_by(np.sqrt(rv)), "eps is missing", "divide by sqrt(running_var + eps)"),
            (divided_by(np.sqrt(rv) + eps), "eps is added outside the square root",
             "divide by sqrt(running_var + eps)"),
            (divided_by(rv + eps), "you divided by the variance, not the standard deviation",
             "take the square root: sqrt(running_var + eps)"),
            (batchnorm_eval_forward(x, np.ones(D), np.zeros(D), rm, rv, eps)[0], "gamma and beta are missing",
             "finish with gamma * xhat + beta"),
            (batchnorm_eval_forward(x, beta, gamma, rm, rv, eps)[0], "gamma and beta are swapped",
             "gamma scales, beta shifts: gamma * xhat + beta"),
        ], example,
            fallback=("wrong values", "xhat = (x - running_mean) / sqrt(running_var + eps), out = gamma * xhat + beta"))
    single = call_learner(exercise, fn, x[:1], gamma, beta, rm, rv, eps)
    single = as_result_array(exercise, "out (for a batch of one sample)", single, (1, D))
    if not is_close(single, expected[:1]):
        raise CheckFailed(exercise, "a batch of one sample gives a different result than the same "
                          "sample inside a batch", "eval mode must not use any statistic of the batch")
    return passed(exercise, "eval mode normalizes with the running statistics, sample by sample (N = 1 too)")


def fold_inputs():
    rng = np.random.default_rng(5)
    D_in, D_out = 3, 4
    W = rng.standard_normal((D_in, D_out))
    b = rng.standard_normal(D_out)
    bn = BatchNorm1d(D_out, momentum=0.1, eps=0.1)
    bn.gamma[:] = [0.5, 1.5, -1.2, 2.0]
    bn.beta[:] = [0.3, -0.7, 1.1, 0.0]
    bn.running_mean[:] = [1.0, -2.0, 0.5, 3.0]
    bn.running_var[:] = [0.25, 4.0, 1.5, 0.8]
    return W, b, bn.eval()


def check_fold_batchnorm(fn):
    r"""``fn(W, b, bn)`` returns ``(W_folded, b_folded)`` with x @ W_folded + b_folded = bn(x @ W + b) in eval mode.

    W has shape (D_in, D_out); bn is an eval-mode :class:`bnlib.BatchNorm1d` with D_out features.
    """
    exercise = "check_fold_batchnorm"
    W, b, bn = fold_inputs()
    given = copy.deepcopy(bn)
    W_f, b_f = as_result_tuple(exercise, call_learner(exercise, fn, W, b, given), ["W_folded", "b_folded"])
    for name in ("gamma", "beta", "running_mean", "running_var"):
        if not np.array_equal(getattr(given, name), getattr(bn, name)):
            raise CheckFailed(exercise, f"your function changed bn.{name}",
                              "folding reads the layer; compute new arrays instead of writing into it")
    W_f = as_result_array(exercise, "W_folded", W_f, W.shape)
    b_f = as_result_array(exercise, "b_folded", b_f, b.shape)
    W_ok, b_ok = fold_batchnorm(W, b, bn)
    g, be, rm, rv, eps = bn.gamma, bn.beta, bn.running_mean, bn.running_var, bn.eps
    s = g / np.sqrt(rv + eps)                       # the scale of each output feature, for the mistakes
    example = (f"W = {format_array(W)}\nb = {format_array(b)}\ngamma = {format_array(g)}, "
               f"beta = {format_array(be)}\nrunning_mean = {format_array(rm)}, running_var = "
               f"{format_array(rv)}, eps = {eps}\n")
    if not is_close(W_f, W_ok):
        diagnose(exercise, "W_folded", W_f, [
            (W, "W_folded is W unchanged", "multiply column j of W by s_j = gamma_j / sqrt(running_var_j + eps)"),
            (W * g / np.sqrt(rv), "eps is missing", "s = gamma / sqrt(running_var + eps)"),
            (W * g / (rv + eps), "you divided by the variance, not the standard deviation",
             "s = gamma / sqrt(running_var + eps)"),
            (W / np.sqrt(rv + eps), "gamma is missing from the scale", "s = gamma / sqrt(running_var + eps)"),
        ], example + f"expected W_folded = {format_array(W_ok)}\nyour W_folded     = {format_array(W_f)}",
            fallback=("wrong W_folded", "W_folded = W * s, which scales column j (output feature j) by s_j"))
    if not is_close(b_f, b_ok):
        diagnose(exercise, "b_folded", b_f, [
            (b * s + be, "running_mean was not subtracted", "b_folded = (b - running_mean) * s + beta"),
            (b + be - rm * s, "the old bias b was not scaled by s", "b_folded = (b - running_mean) * s + beta"),
            ((b - rm) * s, "beta is missing", "b_folded = (b - running_mean) * s + beta"),
            (be - rm * s, "the old bias b is missing", "b_folded = (b - running_mean) * s + beta"),
            ((b - rm) * g / np.sqrt(rv) + be, "eps is missing", "s = gamma / sqrt(running_var + eps)"),
        ], example + f"expected b_folded = {format_array(b_ok)}\nyour b_folded     = {format_array(b_f)}",
            fallback=("wrong b_folded", "expand gamma * (x @ W + b - running_mean) * istd + beta and collect the "
            "terms without x"))
    return passed(exercise, "x @ W_folded + b_folded equals the linear layer followed by eval-mode BatchNorm")


# ---------------------------------------------------------------- notebook 09

def step_inputs():
    rng = np.random.default_rng(8)
    x = rng.standard_normal((6, 2)) * [2.0, 0.5] + [1.0, -1.0]
    labels = np.array([0, 1, 2, 1, 0, 2])
    model = MLP([2, 5, 4, 3], batchnorm=True, seed=3)
    # give the BatchNorm layers running statistics and parameters away from their start values
    model.train()
    model.forward(rng.standard_normal((8, 2)) * 3 + 2)
    for layer in model.layers:
        if isinstance(layer, BatchNorm1d):
            layer.gamma[:] = rng.uniform(0.5, 1.5, layer.D)
            layer.beta[:] = rng.uniform(-0.5, 0.5, layer.D)
    return model.eval(), x, labels


def model_state(model):
    """Every learned parameter of the model, flattened into one vector."""
    return np.concatenate([p.ravel() for layer in model.layers for p in layer.params().values()])


def running_state(model):
    """The running statistics of every BatchNorm layer, flattened into one vector."""
    return np.concatenate([np.concatenate([layer.running_mean, layer.running_var])
                           for layer in model.layers if isinstance(layer, BatchNorm1d)])


def sgd_step(model, x, labels, lr, train=True):
    """One step of bnlib's MLP: forward (in training mode unless ``train`` is False), softmax
    cross-entropy, backward, ``model.step(lr)``; returns the loss before the update."""
    model.train(train)
    loss, dlogits = softmax_cross_entropy(model.forward(x), labels)
    model.backward(dlogits)
    model.step(lr)
    return loss


def check_training_step(fn):
    """``fn(model, x, labels, lr)`` does one SGD step on ``model`` in training mode and returns the loss.

    The loss is the softmax cross-entropy of the batch *before* the update.
    """
    exercise = "check_training_step"
    model, x, labels = step_inputs()
    lr = 0.1
    before = model_state(model)

    def after(step):
        """``(loss, parameters, model)`` after ``step`` on a copy of the model."""
        m = copy.deepcopy(model)
        loss = step(m)
        return loss, model_state(m), m

    def twice(m):
        """The update applied twice (the same gradients)."""
        loss = sgd_step(m, x, labels, lr)
        m.step(lr)
        return loss

    variants = {"ok": after(lambda m: sgd_step(m, x, labels, lr)),      # the reference
                "eval": after(lambda m: sgd_step(m, x, labels, lr, train=False)),
                "uphill": after(lambda m: sgd_step(m, x, labels, -lr)),
                "twice": after(twice)}
    learner_model = copy.deepcopy(model)
    loss = call_learner(exercise, fn, learner_model, x, labels, lr)
    try:
        loss = float(loss)
    except (TypeError, ValueError):
        raise CheckFailed(exercise, f"expected the loss (one number), got {type(loss).__name__}",
                          "return the loss that softmax_cross_entropy gave you") from None
    state = model_state(learner_model)
    loss_ok, state_ok, model_ok = variants["ok"]
    if not is_close(state, state_ok):
        if is_close(state, before):
            raise CheckFailed(exercise, "the model's parameters did not change",
                              "after model.backward(dlogits), call model.step(lr) (or update each "
                              "parameter in place: p -= lr * grad)")
        for key, problem, hint in [
            ("eval", "the step ran in eval mode: the BatchNorm layers used their running statistics",
             "call model.train() before the forward pass"),
            ("uphill", "the parameters moved uphill (the sign of the update is +)",
             "gradient descent subtracts: p -= lr * grad"),
            ("twice", "the parameters moved twice as far: the update was applied twice",
             "call model.step(lr) once per training step"),
        ]:
            if is_close(state, variants[key][1]):
                raise CheckFailed(exercise, problem, hint)
        raise CheckFailed(exercise, "the parameters after your step differ from one SGD step",
                          "forward in training mode, softmax_cross_entropy, backward, then step(lr)")
    if not is_close(loss, loss_ok):
        after, _ = softmax_cross_entropy(copy.deepcopy(model_ok).train().forward(x), labels)
        if np.isclose(loss, after):
            raise CheckFailed(exercise, "you returned the loss after the update",
                              "return the loss computed in the forward pass of this step")
        raise CheckFailed(exercise, f"the returned loss {loss:.6f} is not the batch loss {loss_ok:.6f}",
                          "return the first value of softmax_cross_entropy(logits, labels)")
    if not is_close(running_state(learner_model), running_state(model_ok)):
        raise CheckFailed(exercise, "the running statistics of the BatchNorm layers differ from one "
                          "forward pass in training mode",
                          "run exactly one forward pass in training mode per step: each one updates "
                          "running_mean and running_var")
    return passed(exercise, "one training step: forward in training mode, loss, backward, update")


def check_gradient_norms(fn):
    r"""``fn(model)`` returns :math:`\lVert\partial L/\partial W\rVert_F` for each Linear layer, in order."""
    exercise = "check_gradient_norms"
    model, x, labels = step_inputs()
    sgd_step(model, x, labels, lr=0.0)              # bnlib's gradients, in the layers
    linears = model.linear_layers
    # the exercise's own formula, the Frobenius norm of bnlib's dW (as bnlib.train_mlp's grad_norms)
    expected = np.array([np.sqrt(np.sum(layer.dW ** 2)) for layer in linears])
    result = call_learner(exercise, fn, copy.deepcopy(model))
    norms = as_result_array(exercise, "norms", np.asarray(result, dtype=float)
                            if isinstance(result, (list, tuple)) else result, (len(linears),))
    example = f"expected norms = {format_array(expected)}\nyour norms     = {format_array(norms)}"
    if not is_close(norms, expected):
        diagnose(exercise, "norms", norms, [
            (expected ** 2, "these are the squared norms", "take the square root of the sum of squares"),
            (np.array([np.sqrt(np.sum(l.dW ** 2) + (0.0 if l.db is None else np.sum(l.db ** 2)))
                       for l in linears]),
             "the bias gradients are included", "use dW alone"),
            (np.array([np.sqrt(np.sum(l.W ** 2)) for l in linears]),
             "these are the norms of the weights, not of their gradients", "use layer.dW, not layer.W"),
            (np.array([np.abs(l.dW).sum() for l in linears]), "this is the sum of absolute values (L1)",
             "the Frobenius norm is sqrt(sum(dW ** 2))"),
            (np.array([np.abs(l.dW).max() for l in linears]), "this is the largest entry, not the norm",
             "the Frobenius norm is sqrt(sum(dW ** 2))"),
            (expected[::-1], "the layers are in reverse order", "go through model.linear_layers from first to last"),
        ], example,
            fallback=("wrong norms", "one number per Linear layer: sqrt(sum(layer.dW ** 2))"))
    return passed(exercise, "one Frobenius norm of dL/dW per Linear layer, in order")
