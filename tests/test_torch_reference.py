"""bnlib.BatchNorm1d against PyTorch's torch.nn.BatchNorm1d, on the same inputs and settings.

The fixture tests/data/torch_batchnorm1d.npz was written by bncourse/tools/torch_reference.py
(torch 2.13.0, CPU, float64): three training steps with momentum 0.2 and eps 1e-3,
then eval mode on a batch of five and on a batch of one; and the same with momentum=None
(PyTorch's cumulative average, keys prefixed ``cumulative_``). The comparison always runs
against the fixture; a second test re-runs torch live when it can be imported.

Tolerance: both sides compute in float64 with a different order of operations, so
they agree to rounding, measured at most 2e-15 relative (bnlib.rel_error, max-norm).
The bound 1e-12 leaves room for other BLAS/CPU combinations while any mistake in
the semantics (biased running variance, momentum the other way round, eval mode with
batch statistics) shows up at 1e-2 or more.
"""
import os
from pathlib import Path

import numpy as np
import pytest

from bncourse.tools import torch_reference
from bnlib import BatchNorm1d, rel_error

FIXTURE = Path(__file__).parent / "data" / "torch_batchnorm1d.npz"
TOL = 1e-12


def bnlib_batchnorm1d(inputs, momentum="given"):
    """The same run as torch_reference.torch_batchnorm1d, with bnlib.BatchNorm1d."""
    D = inputs["gamma"].shape[0]
    momentum = float(inputs["momentum"]) if momentum == "given" else momentum
    bn = BatchNorm1d(D, momentum=momentum, eps=float(inputs["eps"]))
    bn.gamma[:] = inputs["gamma"]
    bn.beta[:] = inputs["beta"]
    result = {key: [] for key in ("out_train", "dx_train", "dgamma_train", "dbeta_train",
                                  "running_mean", "running_var")}
    for x, dout in zip(inputs["x_train"], inputs["dout_train"]):
        out = bn.forward(x)
        dx = bn.backward(dout)
        for key, value in (("out_train", out), ("dx_train", dx), ("dgamma_train", bn.dgamma),
                           ("dbeta_train", bn.dbeta), ("running_mean", bn.running_mean),
                           ("running_var", bn.running_var)):
            result[key].append(value.copy())
    result = {key: np.array(value) for key, value in result.items()}
    bn.eval()
    result["out_eval"] = bn.forward(inputs["x_eval"])
    result["dx_eval"] = bn.backward(inputs["dout_eval"])
    result["dgamma_eval"], result["dbeta_eval"] = bn.dgamma.copy(), bn.dbeta.copy()
    result["out_single"] = bn.forward(inputs["x_single"])
    return result


KEYS = ["out_train", "running_mean", "running_var", "dx_train", "dgamma_train", "dbeta_train",
        "out_eval", "dx_eval", "dgamma_eval", "dbeta_eval", "out_single"]


@pytest.fixture(scope="module")
def stored():
    with np.load(FIXTURE) as data:
        return {key: data[key] for key in data.files}


def test_fixture_inputs_are_those_of_make_inputs(stored):
    """The stored inputs can be rebuilt without torch: the fixture is not stale."""
    for key, value in torch_reference.make_inputs().items():
        np.testing.assert_array_equal(stored[key], value, err_msg=key)


@pytest.mark.parametrize("key", KEYS)
def test_bnlib_matches_the_stored_torch_numbers(stored, key):
    ours = bnlib_batchnorm1d(stored)[key]
    assert ours.shape == stored[key].shape
    assert rel_error(ours, stored[key]) < TOL, key


@pytest.mark.parametrize("key", KEYS)
def test_momentum_none_is_torchs_cumulative_average(stored, key):
    ours = bnlib_batchnorm1d(stored, momentum=None)[key]
    assert rel_error(ours, stored["cumulative_" + key]) < TOL, key


def test_the_fixture_would_catch_the_other_convention(stored):
    """Keras-style running variance (biased) differs from torch far beyond the tolerance."""
    x = stored["x_train"][0]
    m = float(stored["momentum"])
    biased = (1 - m) * 1.0 + m * x.var(axis=0)
    assert rel_error(biased, stored["running_var"][0]) > 1e-2
    swapped = m * 0.0 + (1 - m) * x.mean(axis=0)
    assert rel_error(swapped, stored["running_mean"][0]) > 1e-2


def test_bnlib_matches_live_torch():
    if os.environ.get("BNLIB_REQUIRE_TORCH"):   # `make test-torch`: torch must be there
        import torch  # noqa: F401
    else:
        pytest.importorskip("torch")
    inputs = torch_reference.make_inputs(seed=11, steps=4, N=6, D=5, N_eval=3, momentum=0.1, eps=1e-5)
    for momentum in (0.1, None):
        theirs = torch_reference.torch_batchnorm1d({**inputs, "momentum": momentum})
        ours = bnlib_batchnorm1d(inputs, momentum=momentum)
        for key in KEYS:
            assert rel_error(ours[key], theirs[key]) < TOL, (momentum, key)
