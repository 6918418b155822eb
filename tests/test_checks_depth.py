"""The checker of notebook 16: correct answers (written in several ways) pass, each named mistake is named."""
import numpy as np
import pytest

from bncourse.checks import check_residual_backward
from bncourse.checks.depth import residual_inputs, through_branch
from checker_testing import fails_with


def test_stub_and_none_are_not_done_yet():
    def stub(*args):
        raise NotImplementedError
    fails_with(check_residual_backward, stub, "not done yet")
    fails_with(check_residual_backward, lambda *args: None, "returned None")
    fails_with(check_residual_backward, lambda dout, f, a, bb: (dout + bb(a * dout), None), "dalpha is None")


def test_the_reference_is_bnlibs_residual_block():
    block, x, dout = residual_inputs()
    branch = through_branch(block)
    dx = block.backward(dout)
    assert np.allclose(dx, dout + branch(0.5 * dout))
    assert np.isclose(block.dalpha[0], np.sum(dout * block._f))
    assert np.allclose(branch(dout), branch(dout))          # the learner may call it as often as it likes


@pytest.mark.parametrize("fn", [
    lambda dout, f, a, bb: (dout + bb(a * dout), np.sum(dout * f)),
    lambda dout, f, a, bb: (dout + a * bb(dout), np.einsum("ij,ij->", dout, f)),            # the branch is linear
    lambda dout, f, a, bb: [np.add(dout, bb(dout * a)), float((dout * f).sum(axis=0).sum())],
    lambda dout, f, a, bb: (dout + bb(a * dout), np.array([np.vdot(dout, f)])),             # a one-entry array
])
def test_correct_answers_pass(fn):
    assert check_residual_backward(fn) is None


@pytest.mark.parametrize("fn, words", [
    (lambda dout, f, a, bb: (bb(a * dout), np.sum(dout * f)), ["skip path", "missing"]),
    (lambda dout, f, a, bb: (dout + bb(dout), np.sum(dout * f)), ["not scaled by alpha"]),
    (lambda dout, f, a, bb: (a * dout + bb(a * dout), np.sum(dout * f)), ["alpha scales the skip path"]),
    (lambda dout, f, a, bb: (dout + bb(a * a * dout), np.sum(dout * f)), ["applied twice"]),
    (lambda dout, f, a, bb: (dout, np.sum(dout * f)), ["dout alone"]),
    (lambda dout, f, a, bb: (dout * bb(a * dout), np.sum(dout * f)), ["multiplied, not added"]),
    (lambda dout, f, a, bb: (dout + bb(a * dout) + 1.0, np.sum(dout * f)), ["wrong dx", "two paths"]),
    (lambda dout, f, a, bb: (dout + bb(a * dout), np.sum(dout)), ["f(x) is missing"]),
    (lambda dout, f, a, bb: (dout + bb(a * dout), np.mean(dout * f)), ["a mean, not a sum"]),
    (lambda dout, f, a, bb: (dout + bb(a * dout), a * np.sum(dout * f)), ["multiplied by alpha"]),
    (lambda dout, f, a, bb: (dout + bb(a * dout), np.sum(dout * f) / len(dout)), ["divided by the batch size"]),
    (lambda dout, f, a, bb: (dout + bb(a * dout), np.sum(dout * f) + 1.0), ["wrong dalpha"]),
    (lambda dout, f, a, bb: (dout + bb(a * dout), (dout * f).sum(axis=0)), ["dalpha is an array"]),
    (lambda dout, f, a, bb: dout + bb(a * dout), ["expected 2 results"]),
    (lambda dout, f, a, bb: ((dout + bb(a * dout)).T, np.sum(dout * f)), ["shape"]),
])
def test_each_mistake_is_named(fn, words):
    fails_with(check_residual_backward, fn, *words)


def test_a_failure_shows_the_input_and_how_to_rebuild_it():
    message = fails_with(check_residual_backward, lambda dout, f, a, bb: (dout + bb(dout), np.sum(dout * f)),
                         "alpha = 0.5", "expected dx", "your dx", "(the same input: `from bncourse.checks.depth import residual_inputs")
    assert "Hint:" in message
