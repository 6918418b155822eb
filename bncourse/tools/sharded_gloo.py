"""bnlib's sharded BatchNorm on a real distributed engine: K processes, torch.distributed, gloo.

    python -m bncourse.tools.sharded_gloo              # 2 processes, shards of 5 and 3 rows
    python -m bncourse.tools.sharded_gloo 2 7 4        # 3 processes, shards of 2, 7 and 4 rows

Needs torch (``make test-torch`` installs it; tests/test_sharded_gloo.py runs this). Each process
holds one shard of one seeded batch (:func:`make_inputs`) and runs
``bnlib.sharded_batchnorm_forward/backward`` with ``allreduce = dist.all_reduce`` of its partial sums;
the results come back to this process, which compares them with BatchNorm on the whole batch.

Everything stays on this machine and stops by itself: this process binds a listening socket to
127.0.0.1 on a port the system picks free (port 0) and hands it to rank 0, whose TCPStore serves
the rendezvous on it; gloo is told to use the loopback interface (GLOO_SOCKET_IFNAME); each process
reports the addresses its own listening sockets are bound to; every wait has a timeout, after which
the processes are killed.
"""
import argparse
import datetime
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bncourse import ROOT

SIZES = (5, 3)
D, SEED, EPS = 4, 3, 1e-5
TIMEOUT = 120   # seconds for the whole run; each process's own waits time out after 60 s


def make_inputs(sizes=SIZES, D=D, seed=SEED):
    """The whole batch (sum(sizes), D), gamma, beta and dout (NumPy only, seeded): every process
    builds the same arrays and keeps its own rows."""
    rng = np.random.default_rng(seed)
    N = sum(sizes)
    x = np.linspace(-3.0, 4.0, D) + np.linspace(0.5, 3.0, D) * rng.standard_normal((N, D))
    return {"x": x, "gamma": 1.0 + 0.5 * rng.standard_normal(D), "beta": rng.standard_normal(D),
            "dout": rng.standard_normal((N, D)), "sizes": np.array(sizes), "eps": EPS}


def loopback_interface():
    """The name of the loopback interface ('lo' on Linux, 'lo0' on macOS)."""
    names = [name for _, name in socket.if_nameindex()]
    return next((n for n in names if n in ("lo", "lo0")), "lo")


def listening_addresses():
    """The local addresses of this process's listening TCP sockets, e.g. ['127.0.0.1:40123'] (Linux /proc)."""
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            link = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            for line in list(f)[1:]:
                fields = line.split()
                if fields[9] in inodes and fields[3] == "0A":            # 0A: LISTEN
                    hexaddr, port = fields[1].split(":")
                    raw = bytes.fromhex(hexaddr)
                    words = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
                    family = socket.AF_INET if len(raw) == 4 else socket.AF_INET6
                    found.append(f"{socket.inet_ntop(family, words)}:{int(port, 16)}")
    return found


def worker(rank, world, port, listen_fd, out):
    """One process: its shard through bnlib's sharded BatchNorm, the all-reduce by gloo."""
    os.environ["GLOO_SOCKET_IFNAME"] = loopback_interface()
    import torch
    import torch.distributed as dist

    import bnlib

    timeout = datetime.timedelta(seconds=60)
    if rank == 0:
        store = dist.TCPStore("127.0.0.1", port, world, True, timeout=timeout, master_listen_fd=listen_fd,
                              use_libuv=False)
    else:
        store = dist.TCPStore("127.0.0.1", port, world, False, timeout=timeout)
    dist.init_process_group("gloo", store=store, rank=rank, world_size=world, timeout=timeout)
    inputs = make_inputs(tuple(int(s) for s in out.split("@")[1].split(",")))
    bounds = np.concatenate(([0], np.cumsum(inputs["sizes"])))
    rows = slice(bounds[rank], bounds[rank + 1])
    calls = []

    def allreduce(parts):
        total = torch.from_numpy(np.sum(parts, axis=0))
        dist.all_reduce(total, op=dist.ReduceOp.SUM)
        calls.append(total.numel())
        return total.numpy()

    start = time.perf_counter()
    outs, caches = bnlib.sharded_batchnorm_forward([inputs["x"][rows]], inputs["gamma"], inputs["beta"], allreduce,
                                                   inputs["eps"])
    dxs, dgamma, dbeta = bnlib.sharded_batchnorm_backward([inputs["dout"][rows]], caches, allreduce)
    seconds = time.perf_counter() - start
    listening = listening_addresses() if os.path.isdir("/proc/self/fd") else []
    dist.barrier()
    np.savez(out.split("@")[0], out=outs[0], dx=dxs[0], dgamma=dgamma, dbeta=dbeta, calls=np.array(calls),
             seconds=seconds, listening=np.array(listening, dtype=str))
    dist.destroy_process_group()


def run(sizes=SIZES, timeout=TIMEOUT, absent=None):
    """Start one process per shard, wait for them (killing them all after ``timeout`` seconds), and
    return ``(results, seconds)``: one dict per rank, and the wall time of the whole run. ``absent``
    (a rank, for the test of the timeout) starts that rank as a process that never joins, so the others
    wait for it until they are killed and ``subprocess.TimeoutExpired`` is raised."""
    start = time.perf_counter()
    world = len(sizes)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))                     # a free port, on the loopback address only
    listener.listen(world)
    port = listener.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    with tempfile.TemporaryDirectory(prefix="bn-gloo-") as tmp:
        files = [Path(tmp) / f"rank{r}.npz" for r in range(world)]
        spec = ",".join(str(s) for s in sizes)
        procs = []
        try:
            for rank in range(world):
                args = [sys.executable, "-m", "bncourse.tools.sharded_gloo", "--worker", str(rank), str(world),
                        str(port), str(listener.fileno()), f"{files[rank]}@{spec}"]
                if rank == absent:
                    args = [sys.executable, "-c", "import time; time.sleep(3600)"]
                procs.append(subprocess.Popen(args, env=env, pass_fds=(listener.fileno(),) if rank == 0 else (),
                                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
            listener.close()                              # rank 0 holds it now
            logs = [p.communicate(timeout=max(1.0, timeout - (time.perf_counter() - start)))[0] for p in procs]
        finally:
            for p in procs:
                if p.poll() is None:
                    p.kill()
                    p.wait()
        for rank, (p, log) in enumerate(zip(procs, logs)):
            if p.returncode != 0:
                raise RuntimeError(f"rank {rank} exited with status {p.returncode}:\n{log}")
        results = []
        for f in files:
            with np.load(f) as data:
                results.append({key: data[key] for key in data.files})
    return results, time.perf_counter() - start


def compare(sizes=SIZES, results=None):
    """Largest relative errors of the gathered shards against bnlib's BatchNorm on the whole batch."""
    import bnlib
    inputs = make_inputs(sizes)
    out, cache = bnlib.batchnorm_forward(inputs["x"], inputs["gamma"], inputs["beta"], inputs["eps"])
    dx, dgamma, dbeta = bnlib.batchnorm_backward(inputs["dout"], cache)
    gathered = {"out": np.concatenate([r["out"] for r in results]), "dx": np.concatenate([r["dx"] for r in results])}
    errors = {"out": bnlib.rel_error(gathered["out"], out), "dx": bnlib.rel_error(gathered["dx"], dx)}
    for name, whole in (("dgamma", dgamma), ("dbeta", dbeta)):
        errors[name] = max(bnlib.rel_error(r[name], whole) for r in results)
    return errors


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        rank, world, port, listen_fd, out = argv[1:6]
        worker(int(rank), int(world), int(port), int(listen_fd), out)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES), help="rows of each process's shard")
    sizes = tuple(parser.parse_args(argv).sizes)
    results, seconds = run(sizes)
    print(f"{len(sizes)} processes (gloo, 127.0.0.1), shards of {', '.join(map(str, sizes))} rows: {seconds:.1f} s")
    for name, error in compare(sizes, results).items():
        print(f"  {name:7s} largest relative error against BatchNorm on the whole batch: {error:.1e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
