"""bnlib's sharded BatchNorm in several processes with torch.distributed (gloo, 127.0.0.1): `make test-torch`.

Each process holds one shard and all-reduces its partial sums with ``dist.all_reduce``
(bncourse/tools/sharded_gloo.py). The shards' outputs and gradients, gathered, must equal BatchNorm
on the whole batch in one process, torch's ``nn.BatchNorm1d`` and bnlib's, to 1e-12 (measured:
about 1e-15). PyTorch's own SyncBatchNorm is not the reference: it needs a GPU (or another
accelerator) as soon as a process group is initialized and the layer is in training mode.

This runs only under `make test-torch` (BNLIB_REQUIRE_TORCH=1): starting the processes takes seconds,
and `make test` compares bnlib with torch's stored numbers instead (tests/test_distributed.py).
"""
import os
import subprocess

import numpy as np
import pytest

from bnlib import rel_error

if not os.environ.get("BNLIB_REQUIRE_TORCH"):
    pytest.skip("runs in `make test-torch` only (several processes and torch)", allow_module_level=True)

import torch  # noqa: E402,F401  make test-torch: torch must be there

from bncourse.tools import sharded_gloo, torch_reference  # noqa: E402

TOL = 1e-12


@pytest.mark.parametrize("sizes", [(5, 3), (2, 7, 4, 1)], ids=["2 processes", "4 processes, one shard of 1 row"])
def test_gloo_processes_give_batchnorm_of_the_whole_batch(sizes):
    results, seconds = sharded_gloo.run(sizes)
    print(f"\n{len(sizes)} gloo processes, shards {sizes}: {seconds:.1f} s")
    inputs = sharded_gloo.make_inputs(sizes)
    theirs = dict(zip(("out", "dx", "dgamma", "dbeta"), torch_reference.torch_whole_batch(inputs)))
    gathered = {key: np.concatenate([r[key] for r in results]) for key in ("out", "dx")}
    for key in ("out", "dx"):
        assert gathered[key].shape == theirs[key].shape
        assert rel_error(gathered[key], theirs[key]) < TOL, key
    for r in results:                      # every process ends with the gradients of the whole batch
        assert rel_error(r["dgamma"], theirs["dgamma"]) < TOL
        assert rel_error(r["dbeta"], theirs["dbeta"]) < TOL
    assert all(e < TOL for e in sharded_gloo.compare(sizes, results).values())      # bnlib on the whole batch
    # each process all-reduced three times (1 + D, D and 2D numbers) and listened on 127.0.0.1 only
    D = sharded_gloo.D
    for r in results:
        assert r["calls"].tolist() == [1 + D, D, 2 * D]
        assert len(r["listening"]) >= 1
        assert all(address.rsplit(":", 1)[0] in ("127.0.0.1", "::ffff:127.0.0.1") for address in r["listening"]), \
            r["listening"]


def test_a_process_that_cannot_finish_is_stopped():
    """Rank 1 never joins: rank 0 waits for it in the rendezvous until the timeout kills both."""
    with pytest.raises(subprocess.TimeoutExpired):
        sharded_gloo.run((3, 4), timeout=2.0, absent=1)


def test_torchs_syncbatchnorm_refuses_cpu_tensors_only_inside_a_process_group_in_training(tmp_path):
    """What notebook 15 says of torch.nn.SyncBatchNorm (measured with torch 2.13.0): on the CPU it falls
    back to ordinary BatchNorm without a process group, and refuses the input inside one, in training mode."""
    import torch.distributed as dist

    os.environ["GLOO_SOCKET_IFNAME"] = sharded_gloo.loopback_interface()
    layer = torch.nn.SyncBatchNorm(3)
    x = torch.randn(4, 3)
    assert layer(x).shape == (4, 3)
    dist.init_process_group("gloo", init_method=f"file://{tmp_path / 'rendezvous'}", rank=0, world_size=1)
    try:
        with pytest.raises(ValueError, match="SyncBatchNorm expected input tensor to be on GPU"):
            layer(x)
        assert layer.eval()(x).shape == (4, 3)
    finally:
        dist.destroy_process_group()
