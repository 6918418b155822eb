"""The checkers of notebooks 08-09: correct answers (written in several ways) pass, each named mistake is named."""
import numpy as np
import pytest

from bnlib import softmax_cross_entropy
from bncourse.checks import (
    check_eval_forward,
    check_fold_batchnorm,
    check_gradient_norms,
    check_running_update,
    check_training_step,
)
from checker_testing import fails_with


def stub(*args):
    raise NotImplementedError


@pytest.mark.parametrize("checker", [check_running_update, check_eval_forward, check_fold_batchnorm,
                                     check_training_step, check_gradient_norms])
def test_a_stub_is_not_done_yet_and_none_is_a_missing_return(checker):
    fails_with(checker, stub, "not done yet")
    assert "not done yet" not in fails_with(checker, lambda *args: None, "returned None")


# ---------------------------------------------------------------- running statistics

def update_1(rm, rv, x, m):
    return (1 - m) * rm + m * x.mean(axis=0), (1 - m) * rv + m * x.var(axis=0, ddof=1)


def update_2(rm, rv, x, m):
    N = x.shape[0]
    mu = x.sum(axis=0) / N
    var_unbiased = ((x - mu) ** 2).sum(axis=0) / (N - 1)
    return rm + m * (mu - rm), rv + m * (var_unbiased - rv)


def update_3(rm, rv, x, m):
    N = x.shape[0]
    var_biased = np.mean((x - x.mean(0)) ** 2, axis=0)
    new_mean = rm.copy()
    new_mean *= 1 - m
    new_mean += m * x.mean(0)
    return [new_mean, (1 - m) * rv + m * var_biased * N / (N - 1)]


@pytest.mark.parametrize("fn", [update_1, update_2, update_3])
def test_running_update_accepts_correct_answers(fn):
    assert check_running_update(fn) is None


@pytest.mark.parametrize("fn, words", [
    (lambda rm, rv, x, m: (m * rm + (1 - m) * x.mean(0), (1 - m) * rv + m * x.var(0, ddof=1)),
     ["running_mean", "other way round"]),
    (lambda rm, rv, x, m: (x.mean(0), (1 - m) * rv + m * x.var(0, ddof=1)), ["old value is forgotten"]),
    (lambda rm, rv, x, m: (rm, rv), ["did not change"]),
    (lambda rm, rv, x, m: ((1 - m) * rm + m * x.mean(0), (1 - m) * rv + m * x.var(0)), ["biased", "N - 1"]),
    (lambda rm, rv, x, m: ((1 - m) * rm + m * x.mean(0), m * rv + (1 - m) * x.var(0)), ["Keras/CS231n"]),
    (lambda rm, rv, x, m: ((1 - m) * rm + m * x.mean(0), m * rv + (1 - m) * x.var(0, ddof=1)),
     ["running_var", "other way round"]),
    (lambda rm, rv, x, m: ((1 - m) * rm + m * x.mean(0), x.var(0, ddof=1)), ["batch variance", "forgotten"]),
    (lambda rm, rv, x, m: ((1 - m) * rm + m * x.mean(0), (1 - m) * rv + m * x.std(0, ddof=1)),
     ["standard deviation"]),
    (lambda rm, rv, x, m: ((1 - m) * rm + m * x.mean(1), rv), ["shape"]),
    (lambda rm, rv, x, m: (rm, rv, x), ["expected 2 results"]),
])
def test_running_update_names_the_mistake(fn, words):
    fails_with(check_running_update, fn, *words)


def test_running_update_refuses_in_place_updates():
    def in_place(rm, rv, x, m):
        rm *= 1 - m
        rm += m * x.mean(0)
        return rm, (1 - m) * rv + m * x.var(0, ddof=1)

    fails_with(check_running_update, in_place, "in place")


# ---------------------------------------------------------------- eval-mode forward

def eval_1(x, gamma, beta, rm, rv, eps):
    return gamma * (x - rm) / np.sqrt(rv + eps) + beta


def eval_2(x, gamma, beta, rm, rv, eps):
    scale = gamma / np.sqrt(rv + eps)          # an affine map per feature
    return x * scale + (beta - rm * scale)


def eval_3(x, gamma, beta, rm, rv, eps):
    xhat = (x - rm[None, :]) * (rv + eps) ** -0.5
    return np.einsum("d,nd->nd", gamma, xhat) + beta


@pytest.mark.parametrize("fn", [eval_1, eval_2, eval_3])
def test_eval_forward_accepts_correct_answers(fn):
    assert check_eval_forward(fn) is None


@pytest.mark.parametrize("fn, words", [
    (lambda x, g, b, rm, rv, eps: g * (x - x.mean(0)) / np.sqrt(x.var(0) + eps) + b, ["training mode"]),
    (lambda x, g, b, rm, rv, eps: g * (x - rm) / np.sqrt(rv) + b, ["eps is missing"]),
    (lambda x, g, b, rm, rv, eps: g * (x - rm) / (np.sqrt(rv) + eps) + b, ["outside the square root"]),
    (lambda x, g, b, rm, rv, eps: g * (x - rm) / (rv + eps) + b, ["variance, not the standard deviation"]),
    (lambda x, g, b, rm, rv, eps: (x - rm) / np.sqrt(rv + eps), ["gamma and beta are missing"]),
    (lambda x, g, b, rm, rv, eps: b * (x - rm) / np.sqrt(rv + eps) + g, ["swapped"]),
    (lambda x, g, b, rm, rv, eps: (g * (x - rm) / np.sqrt(rv + eps) + b).T, ["transposed"]),
    (lambda x, g, b, rm, rv, eps: 2 * g * (x - rm) / np.sqrt(rv + eps) + b, ["wrong values"]),
])
def test_eval_forward_names_the_mistake(fn, words):
    fails_with(check_eval_forward, fn, *words)


def test_eval_forward_catches_a_batch_dependence_the_full_batch_hides():
    def sneaky(x, g, b, rm, rv, eps):
        out = eval_1(x, g, b, rm, rv, eps)
        return out if len(x) > 1 else out + 1.0

    fails_with(check_eval_forward, sneaky, "batch of one sample")


# ---------------------------------------------------------------- folding

def fold_1(W, b, bn):
    s = bn.gamma / np.sqrt(bn.running_var + bn.eps)
    return W * s, (b - bn.running_mean) * s + bn.beta


def fold_2(W, b, bn):
    s = bn.gamma / np.sqrt(bn.running_var + bn.eps)
    return W @ np.diag(s), b * s + (bn.beta - bn.running_mean * s)


def fold_3(W, b, bn):
    # let the layer do the work: bn in eval mode is an affine map, read off at 0 and on the unit vectors
    b_folded = bn.forward((b)[None, :])[0]
    W_folded = np.vstack([bn.forward((W[i] + b)[None, :])[0] - b_folded for i in range(W.shape[0])])
    return W_folded, b_folded


@pytest.mark.parametrize("fn", [fold_1, fold_2, fold_3])
def test_fold_accepts_correct_answers(fn):
    assert check_fold_batchnorm(fn) is None


def scale(bn):
    return bn.gamma / np.sqrt(bn.running_var + bn.eps)


@pytest.mark.parametrize("fn, words", [
    (lambda W, b, bn: (W, (b - bn.running_mean) * scale(bn) + bn.beta), ["W unchanged"]),
    (lambda W, b, bn: (W * bn.gamma / np.sqrt(bn.running_var), b), ["eps is missing"]),
    (lambda W, b, bn: (W * bn.gamma / (bn.running_var + bn.eps), b), ["variance, not the standard"]),
    (lambda W, b, bn: (W / np.sqrt(bn.running_var + bn.eps), b), ["gamma is missing"]),
    (lambda W, b, bn: (W * scale(bn), b * scale(bn) + bn.beta), ["running_mean was not subtracted"]),
    (lambda W, b, bn: (W * scale(bn), b + bn.beta - bn.running_mean * scale(bn)), ["not scaled"]),
    (lambda W, b, bn: (W * scale(bn), (b - bn.running_mean) * scale(bn)), ["beta is missing"]),
    (lambda W, b, bn: (W * scale(bn), bn.beta - bn.running_mean * scale(bn)), ["old bias b is missing"]),
    (lambda W, b, bn: ((W * scale(bn)).T, b), ["transposed"]),
])
def test_fold_names_the_mistake(fn, words):
    fails_with(check_fold_batchnorm, fn, *words)


def test_fold_refuses_changes_to_the_layer():
    def writes_into_bn(W, b, bn):
        out = fold_1(W, b, bn)
        bn.gamma[:] = 1.0
        return out

    fails_with(check_fold_batchnorm, writes_into_bn, "changed bn.gamma")


# ---------------------------------------------------------------- training step

def step_1(model, x, labels, lr):
    model.train()
    loss, dlogits = softmax_cross_entropy(model.forward(x), labels)
    model.backward(dlogits)
    model.step(lr)
    return loss


def step_2(model, x, labels, lr):
    model.train(True)
    logits = model.forward(x)
    loss, dlogits = softmax_cross_entropy(logits, labels)
    model.backward(dlogits)
    for layer in model.layers:
        for name, p in layer.params().items():
            p -= lr * layer.grads()[name]
    return np.float64(loss)


def step_3(model, x, labels, lr):
    model.train()
    logits = model.forward(x)
    N = len(labels)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(N), labels]).mean()
    p[np.arange(N), labels] -= 1
    model.backward(p / N)
    model.step(lr)
    return loss


@pytest.mark.parametrize("fn", [step_1, step_2, step_3])
def test_training_step_accepts_correct_answers(fn):
    assert check_training_step(fn) is None


def no_update(model, x, labels, lr):
    model.train()
    loss, d = softmax_cross_entropy(model.forward(x), labels)
    model.backward(d)
    return loss


def eval_mode_step(model, x, labels, lr):
    loss, d = softmax_cross_entropy(model.forward(x), labels)
    model.backward(d)
    model.step(lr)
    return loss


def uphill(model, x, labels, lr):
    return step_1(model, x, labels, -lr)


def twice(model, x, labels, lr):
    model.train()
    loss, d = softmax_cross_entropy(model.forward(x), labels)
    model.backward(d)
    model.step(lr)
    model.step(lr)
    return loss


def loss_after(model, x, labels, lr):
    step_1(model, x, labels, lr)
    return softmax_cross_entropy(model.forward(x), labels)[0]


def returns_logits(model, x, labels, lr):
    step_1(model, x, labels, lr)
    return model.forward(x)


@pytest.mark.parametrize("fn, words", [
    (no_update, ["did not change"]),
    (eval_mode_step, ["eval mode", "model.train()"]),
    (uphill, ["uphill"]),
    (twice, ["twice"]),
    (loss_after, ["after the update"]),
    (returns_logits, ["expected the loss"]),
    (lambda model, x, labels, lr: 0.0 * step_1(model, x, labels, lr) + 1.0, ["not the batch loss"]),
])
def test_training_step_names_the_mistake(fn, words):
    fails_with(check_training_step, fn, *words)


# ---------------------------------------------------------------- gradient norms

@pytest.mark.parametrize("fn", [
    lambda model: [np.linalg.norm(layer.dW) for layer in model.linear_layers],
    lambda model: np.array([np.sqrt((layer.grads()["W"] ** 2).sum()) for layer in model.linear_layers]),
    lambda model: tuple(np.sqrt(np.einsum("ij,ij->", l.dW, l.dW)) for l in model.layers if hasattr(l, "dW")),
])
def test_gradient_norms_accepts_correct_answers(fn):
    assert check_gradient_norms(fn) is None


@pytest.mark.parametrize("fn, words", [
    (lambda model: [np.sum(l.dW ** 2) for l in model.linear_layers], ["squared"]),
    (lambda model: [np.sqrt(sum(np.sum(g ** 2) for g in l.grads().values())) for l in model.linear_layers],
     ["bias"]),
    (lambda model: [np.linalg.norm(l.W) for l in model.linear_layers], ["norms of the weights"]),
    (lambda model: [np.abs(l.dW).sum() for l in model.linear_layers], ["L1"]),
    (lambda model: [np.abs(l.dW).max() for l in model.linear_layers], ["largest entry"]),
    (lambda model: [np.linalg.norm(l.dW) for l in model.linear_layers][::-1], ["reverse order"]),
    (lambda model: [np.linalg.norm(l.dW) for l in model.linear_layers][:2], ["shape"]),
])
def test_gradient_norms_names_the_mistake(fn, words):
    fails_with(check_gradient_norms, fn, *words)


def test_training_step_notices_an_extra_training_mode_forward_pass():
    def extra_forward(model, x, labels, lr):
        loss = step_1(model, x, labels, lr)
        model.forward(x)          # still in training mode: updates the running statistics again
        return loss

    fails_with(check_training_step, extra_forward, "running statistics")


# ---------------------------------------------------------------- third edition: what a learner's walkthrough found

def test_the_spectral_norm_is_named():
    fails_with(check_gradient_norms, lambda model: [np.linalg.norm(l.dW, 2) for l in model.linear_layers],
               "spectral norm", "np.linalg.norm(dW, 2)")


def test_bnlibs_fold_batchnorm_and_eval_forward_are_refused():
    import bnlib
    fails_with(check_fold_batchnorm, lambda W, b, bn: bnlib.fold_batchnorm(W, b, bn), "calls bnlib's fold_batchnorm",
               "your own code")
    fails_with(check_eval_forward, lambda x, g, b, rm, rv, eps: bnlib.batchnorm_eval_forward(x, g, b, rm, rv, eps)[0],
               "calls bnlib's batchnorm_eval_forward")


def fold_right(W, b, bn):
    s = bn.gamma / np.sqrt(bn.running_var + bn.eps)
    return W * s, (b - bn.running_mean) * s + bn.beta


@pytest.mark.parametrize("checker, wrong, answers", [
    # no hint of 08.3 and 09.2 writes out the answer (notebook 00: "a hint, never the answer")
    (check_fold_batchnorm, [lambda W, b, bn: (W, fold_right(W, b, bn)[1]),
                            lambda W, b, bn: (fold_right(W, b, bn)[0], b * 2.0),
                            lambda W, b, bn: (fold_right(W, b, bn)[0], fold_right(W, b, bn)[1] - bn.beta),
                            lambda W, b, bn: (W * 1.5, b)],
     ["(b - running_mean) * s + beta", "W * s", "gamma / sqrt(running_var + eps)", "gamma_j / sqrt"]),
    (check_gradient_norms, [lambda model: [np.abs(l.dW).sum() for l in model.linear_layers],
                            lambda model: [7.0, 1.0, 2.0, 3.0][:len(model.linear_layers)],
                            lambda model: [np.abs(l.dW).max() for l in model.linear_layers]],
     ["sqrt(sum(dW ** 2))", "sqrt(sum(layer.dW ** 2))", "sqrt((layer.dW"]),
])
def test_a_hint_never_gives_the_answer(checker, wrong, answers):
    for fn in wrong:
        message = fails_with(checker, fn, "Hint:")
        assert not any(answer in message for answer in answers), message


@pytest.mark.parametrize("checker, fn, rebuild", [
    (check_running_update, lambda rm, rv, x, m: (rm, rv), "running_inputs()"),
    (check_eval_forward, lambda x, g, b, rm, rv, eps: x, "running_inputs()"),
    (check_eval_forward, lambda x, g, b, rm, rv, eps: g * (x - x.mean(0)) / np.sqrt(rv + eps) + b
     if len(x) == 1 else g * (x - rm) / np.sqrt(rv + eps) + b, "x = x[:1]"),
    (check_fold_batchnorm, lambda W, b, bn: (W, b), "fold_inputs()"),
    (check_training_step, lambda model, x, labels, lr: 0.0, "step_inputs()"),
    (check_gradient_norms, lambda model: [1.0, 2.0, 3.0, 4.0][:len(model.linear_layers)], "norms_inputs()"),
])
def test_every_failure_ends_with_the_line_that_rebuilds_the_input(checker, fn, rebuild):
    last = fails_with(checker, fn).splitlines()[-1]
    assert last.startswith("(the same input: `") and rebuild in last, last
    names = {}
    exec(last[len("(the same input: `"):-2], names)       # the line runs as it stands
    assert len(names) > 2


def test_a_running_mean_failure_shows_the_batch():
    message = fails_with(check_running_update, lambda rm, rv, x, m: (rm, (1 - m) * rv + m * x.var(0, ddof=1)),
                         "running_mean did not change", "x =")


def test_a_list_of_norms_is_accepted_as_the_prompt_says():
    assert check_gradient_norms(lambda model: [float(np.linalg.norm(l.dW)) for l in model.linear_layers]) is None
