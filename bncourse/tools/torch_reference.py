"""PyTorch's numbers for BatchNorm1d, the reference that bnlib.BatchNorm1d is tested against.

    python -m bncourse.tools.torch_reference          # writes tests/data/torch_batchnorm1d.npz
                                                      # and tests/data/torch_sharded_batchnorm.npz

Needs torch, which is not part of the course environment; any Python with torch
and NumPy will do, for example a separate venv:

    python3 -m venv /tmp/torchvenv && /tmp/torchvenv/bin/pip install torch numpy
    /tmp/torchvenv/bin/python -m bncourse.tools.torch_reference

The inputs come from :func:`make_inputs` (NumPy only, seeded), so the test can
rebuild them; :func:`torch_batchnorm1d` runs them through ``torch.nn.BatchNorm1d``
in float64 (with the given momentum, and again with momentum=None, PyTorch's cumulative
average): a few training steps (outputs, running statistics after each step,
gradients dx, dgamma, dbeta), then eval mode (outputs and gradients, also for a
batch of one sample). tests/test_torch_reference.py compares bnlib with the
stored file always, and with torch itself when torch can be imported.
"""
import sys
from pathlib import Path

import numpy as np

from bncourse import ROOT
FIXTURE = ROOT / "tests" / "data" / "torch_batchnorm1d.npz"
# torch.nn.BatchNorm1d on the whole batch of the sharded runs (bncourse.tools.sharded_gloo.make_inputs)
SHARDED_FIXTURE = ROOT / "tests" / "data" / "torch_sharded_batchnorm.npz"
SHARDED_CASES = {"two": (5, 3), "four": (2, 7, 4, 1)}

# Settings chosen so that nothing is a default: momentum and eps differ from 0.1 and 1e-5,
# gamma != 1, beta != 0, every feature has its own mean and scale, dout is not uniform.
SETTINGS = {"seed": 7, "steps": 3, "N": 8, "D": 4, "N_eval": 5, "momentum": 0.2, "eps": 1e-3}


def make_inputs(seed=SETTINGS["seed"], steps=SETTINGS["steps"], N=SETTINGS["N"], D=SETTINGS["D"],
                N_eval=SETTINGS["N_eval"], momentum=SETTINGS["momentum"], eps=SETTINGS["eps"]):
    """The seeded inputs of the reference run, as a dict of NumPy arrays and numbers."""
    rng = np.random.default_rng(seed)
    means = np.linspace(-3.0, 4.0, D)
    scales = np.linspace(0.5, 3.0, D)
    return {
        "momentum": momentum,
        "eps": eps,
        "gamma": 1.0 + 0.5 * rng.standard_normal(D),
        "beta": rng.standard_normal(D),
        "x_train": means + scales * rng.standard_normal((steps, N, D)),
        "dout_train": rng.standard_normal((steps, N, D)),
        "x_eval": means + scales * rng.standard_normal((N_eval, D)),
        "dout_eval": rng.standard_normal((N_eval, D)),
        "x_single": means + scales * rng.standard_normal((1, D)),
    }


def torch_batchnorm1d(inputs):
    """Run ``inputs`` through torch.nn.BatchNorm1d in float64; returns a dict of NumPy arrays."""
    import torch

    def run(layer, x, dout):
        xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        layer.weight.grad = None
        layer.bias.grad = None
        out = layer(xt)
        out.backward(torch.tensor(dout, dtype=torch.float64))
        return (out.detach().numpy().copy(), xt.grad.numpy().copy(),
                layer.weight.grad.numpy().copy(), layer.bias.grad.numpy().copy())

    D = inputs["gamma"].shape[0]
    layer = torch.nn.BatchNorm1d(D, momentum=inputs["momentum"], eps=inputs["eps"]).double()
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(inputs["gamma"]))
        layer.bias.copy_(torch.tensor(inputs["beta"]))
    result = {key: [] for key in ("out_train", "dx_train", "dgamma_train", "dbeta_train",
                                  "running_mean", "running_var")}
    layer.train()
    for x, dout in zip(inputs["x_train"], inputs["dout_train"]):
        out, dx, dgamma, dbeta = run(layer, x, dout)
        for key, value in zip(("out_train", "dx_train", "dgamma_train", "dbeta_train"),
                              (out, dx, dgamma, dbeta)):
            result[key].append(value)
        result["running_mean"].append(layer.running_mean.numpy().copy())
        result["running_var"].append(layer.running_var.numpy().copy())
    result = {key: np.array(value) for key, value in result.items()}
    layer.eval()
    (result["out_eval"], result["dx_eval"],
     result["dgamma_eval"], result["dbeta_eval"]) = run(layer, inputs["x_eval"], inputs["dout_eval"])
    with torch.no_grad():
        result["out_single"] = layer(torch.tensor(inputs["x_single"])).numpy().copy()
    return result


def torch_whole_batch(inputs):
    """torch.nn.BatchNorm1d in training mode on the whole batch ``inputs["x"]``, float64:
    ``(out, dx, dgamma, dbeta)`` as NumPy arrays."""
    import torch

    D = inputs["gamma"].shape[0]
    layer = torch.nn.BatchNorm1d(D, eps=inputs["eps"]).double().train()
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(inputs["gamma"]))
        layer.bias.copy_(torch.tensor(inputs["beta"]))
    x = torch.tensor(inputs["x"], dtype=torch.float64, requires_grad=True)
    out = layer(x)
    out.backward(torch.tensor(inputs["dout"], dtype=torch.float64))
    return tuple(t.detach().numpy().copy() for t in (out, x.grad, layer.weight.grad, layer.bias.grad))


def main():
    import torch
    from bncourse.tools.sharded_gloo import make_inputs as sharded_inputs

    inputs = make_inputs()
    result = torch_batchnorm1d(inputs)
    # the same inputs with momentum=None: PyTorch's cumulative average of the batch statistics
    cumulative = torch_batchnorm1d({**inputs, "momentum": None})
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    np.savez(FIXTURE, torch_version=np.array(torch.__version__),
             **{k: np.asarray(v) for k, v in inputs.items()}, **result,
             **{f"cumulative_{k}": v for k, v in cumulative.items()})
    print(f"wrote {FIXTURE.relative_to(ROOT)} with torch {torch.__version__}: "
          f"{len(inputs['x_train'])} training steps, eval batch of {len(inputs['x_eval'])} and of 1")
    stored = {}
    for case, sizes in SHARDED_CASES.items():
        for key, value in zip(("out", "dx", "dgamma", "dbeta"), torch_whole_batch(sharded_inputs(sizes))):
            stored[f"{case}_{key}"] = value
    np.savez(SHARDED_FIXTURE, torch_version=np.array(torch.__version__), **stored)
    print(f"wrote {SHARDED_FIXTURE.relative_to(ROOT)}: torch's BatchNorm1d on the whole batch of "
          + ", ".join(f"shards {sizes}" for sizes in SHARDED_CASES.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
