"""Mutation check: every typical slip in a kernel of bnlib must make the fast tests fail.

    python -m bncourse.tools.mutate              # every mutant (make mutate), about two minutes
    python -m bncourse.tools.mutate --list       # the mutants, without running anything
    python -m bncourse.tools.mutate dx-sign      # the mutants whose name contains "dx-sign"

Each mutant is one small edit of one kernel: 1/m dropped, m - 1 for m, a wrong axis, a block off
by one, the sign of a term. The package is copied to a temporary folder, the edit is applied to the
copy (the checkout is never touched), and the fast tests of bnlib (:data:`FAST_TESTS`) run against
it. A mutant the tests let pass *survives*: some mistake of that kind would go unnoticed. The
report is a table, one line per mutant, and the exit status is 1 when any survives.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from bncourse import ROOT

FAST_TESTS = ["tests/test_batchnorm.py", "tests/test_tuned.py", "tests/test_norms.py", "tests/test_layers.py",
              "tests/test_distributed.py", "tests/test_variants.py"]


class Mutant(NamedTuple):
    name: str       # short and unique
    kernel: str     # what it breaks
    module: str     # file of bnlib
    before: str     # the text replaced, which occurs exactly once in the module
    after: str


MUTANTS = [
    # the forward pass (batchnorm._batchnorm_forward)
    Mutant("forward-mean-no-1/m", "forward", "batchnorm.py", "mu = x.sum(axis=0) / m", "mu = x.sum(axis=0)"),
    Mutant("forward-var-m-1", "forward", "batchnorm.py", "var = (xmu * xmu).sum(axis=0) / m",
           "var = (xmu * xmu).sum(axis=0) / (m - 1)"),
    Mutant("forward-mean-axis", "forward", "batchnorm.py", "mu = x.sum(axis=0) / m",
           "mu = x.sum(axis=1, keepdims=True) / x.shape[1]"),
    Mutant("forward-centre-sign", "forward", "batchnorm.py", "    xmu = x - mu\n    var", "    xmu = x + mu\n    var"),
    Mutant("forward-eps-outside", "forward", "batchnorm.py", "istd = 1.0 / np.sqrt(var + eps)",
           "istd = 1.0 / (np.sqrt(var) + eps)"),
    # the compact backward pass (batchnorm._batchnorm_backward)
    Mutant("compact-no-1/m", "compact backward", "batchnorm.py", "cache.gamma * cache.istd / m *",
           "cache.gamma * cache.istd *"),
    Mutant("compact-m-1", "compact backward", "batchnorm.py", "(m * dout - dbeta", "((m - 1) * dout - dbeta"),
    Mutant("compact-dbeta-axis", "compact backward", "batchnorm.py", "    dbeta = dout.sum(axis=0)\n    dgamma = (dout",
           "    dbeta = dout.sum(axis=1, keepdims=True)\n    dgamma = (dout"),
    Mutant("compact-sign", "compact backward", "batchnorm.py", "- xhat * dgamma)", "+ xhat * dgamma)"),
    # the staged backward pass
    Mutant("staged-dvar-factor", "staged backward", "batchnorm.py", "dvar = dstd / (2.0 * std)", "dvar = dstd / std"),
    Mutant("staged-dmu-no-1/m", "staged backward", "batchnorm.py", "dx = dxmu + dmu / m", "dx = dxmu + dmu"),
    Mutant("staged-dmu-sign", "staged backward", "batchnorm.py", "dmu = -dxmu.sum(axis=0)", "dmu = dxmu.sum(axis=0)"),
    Mutant("staged-dsq-m-1", "staged backward", "batchnorm.py", "dsq = np.broadcast_to(dvar / m,",
           "dsq = np.broadcast_to(dvar / (m - 1),"),
    # the general normalization (norms._normalize_forward / _normalize_backward)
    Mutant("normalize-var-m-1", "normalize (all norms)", "norms.py",
           "var = (xmu * xmu).sum(axis=axes, keepdims=True) / m",
           "var = (xmu * xmu).sum(axis=axes, keepdims=True) / (m - 1)"),
    Mutant("normalize-dx-sign", "normalize (all norms)", "norms.py",
           "dx -= xhat * (g * xhat).sum(axis=axes, keepdims=True)",
           "dx += xhat * (g * xhat).sum(axis=axes, keepdims=True)"),
    Mutant("normalize-dx-no-1/m", "normalize (all norms)", "norms.py", "dx *= cache.istd / m", "dx *= cache.istd"),
    Mutant("normalize-dgamma-axes", "normalize (all norms)", "norms.py",
           "shared = tuple(a for a, n in enumerate(cache.gamma.shape) if n == 1)",
           "shared = tuple(a for a, n in enumerate(cache.gamma.shape) if n == 1 and a == 0)"),
    # the layers over other axes
    Mutant("spatial-axes", "spatial BatchNorm", "norms.py", "(0, 2, 3),\n", "(0, 3),\n"),
    Mutant("layernorm-axis", "LayerNorm", "norms.py", "(1,), D, require_eps(eps)", "(0,), D, require_eps(eps)"),
    Mutant("groupnorm-grouping", "GroupNorm", "norms.py", "grouped = x.reshape(N, G, C // G, H, W)",
           "grouped = x.reshape(N, C // G, G, H, W).swapaxes(1, 2)"),
    Mutant("groupnorm-m", "GroupNorm", "norms.py", "    m = C // G * H * W\n    grouped",
           "    m = C * H * W // G - 1\n    grouped"),
    # the tuned kernels (tuned.py)
    Mutant("blocks-off-by-one", "tuned blocks", "tuned.py", "min(start + block_rows, N)",
           "min(start + block_rows - 1, N)"),
    Mutant("blocks-last-row", "tuned blocks", "tuned.py", "range(0, N, block_rows)", "range(0, N - 1, block_rows)"),
    Mutant("blocks-size-bytes", "tuned blocks", "tuned.py", "BLOCK_BYTES // max(1, D * itemsize)",
           "BLOCK_BYTES // max(1, D)"),
    Mutant("tuned-dx-sign", "tuned backward", "tuned.py", "block += mean_dy", "block -= mean_dy"),
    Mutant("tuned-forward-m-1", "tuned forward", "tuned.py", 'var = np.einsum("ij,ij->j", xhat, xhat) / m',
           'var = np.einsum("ij,ij->j", xhat, xhat) / (m - 1)'),
    # running statistics and eval mode (layers.py)
    Mutant("running-var-biased", "running statistics", "layers.py", "self._cache.var * N / (N - 1)",
           "self._cache.var"),
    Mutant("running-momentum-swapped", "running statistics", "layers.py",
           "(1.0 - m) * self.running_mean + m * batch_mean", "m * self.running_mean + (1.0 - m) * batch_mean"),
    Mutant("running-average-count", "running statistics", "layers.py", "1.0 / self.num_batches_tracked",
           "1.0 / (self.num_batches_tracked + 1)"),
    Mutant("eval-eps-outside", "eval mode", "layers.py", "istd = 1.0 / np.sqrt(running_var + eps)",
           "istd = 1.0 / (np.sqrt(running_var) + eps)"),
    Mutant("eval-dx-no-gamma", "eval mode", "layers.py", "dx = dout * (cache.gamma * cache.istd)",
           "dx = dout * cache.istd"),
    # the network pieces (mlp.py) and the Jacobian
    Mutant("softmax-no-1/N", "softmax cross-entropy", "mlp.py", "    dlogits /= N\n", "\n"),
    Mutant("linear-db-mean", "Linear", "mlp.py", "self.db = dout.sum(axis=0)", "self.db = dout.mean(axis=0)"),
    Mutant("tanh-derivative", "Tanh", "mlp.py", "(1.0 - self._a**2)", "(1.0 - self._a)"),
    Mutant("residual-no-skip-gradient", "Residual", "mlp.py", "        return dout + d\n", "        return d\n"),
    Mutant("residual-alpha-twice", "Residual", "mlp.py", "d = self.alpha[0] * dout", "d = self.alpha[0] ** 2 * dout"),
    Mutant("residual-dalpha-sign", "Residual", "mlp.py", "np.array([np.sum(dout * self._f)])",
           "np.array([-np.sum(dout * self._f)])"),
    Mutant("weight-decay-sign", "weight decay", "mlp.py", "grads[name] + weight_decay * p", "grads[name] - weight_decay * p"),
    Mutant("jacobian-sign", "Jacobian", "jacobian.py", "- np.outer(xhat, xhat))", "+ np.outer(xhat, xhat))"),
    # the sharded BatchNorm (distributed.py): local statistics, local m, a sum left out of the all-reduce
    Mutant("sharded-local-count", "sharded BatchNorm", "distributed.py", "m = int(round(float(totals[0])))",
           "m = shards[0].shape[0]"),
    Mutant("sharded-var-m-1", "sharded BatchNorm", "distributed.py", "for x in shards]) / m   # D numbers",
           "for x in shards]) / (m - 1)   # D numbers"),
    Mutant("sharded-backward-local-m", "sharded BatchNorm", "distributed.py", "c.gamma * c.istd / c.m * (c.m * d",
           "c.gamma * c.istd / len(d) * (len(d) * d"),
    Mutant("sharded-sums-swapped", "sharded BatchNorm", "distributed.py", "dbeta, dgamma = sums[:D], sums[D:]",
           "dgamma, dbeta = sums[:D], sums[D:]"),
    Mutant("sharded-one-shard-summed", "sharded BatchNorm", "distributed.py", "sums = _reduced(allreduce, parts)",
           "sums = _reduced(allreduce, parts[:1])"),
    # Ghost BatchNorm, Batch Renormalization, RMSNorm (variants.py)
    Mutant("ghost-stride", "Ghost BatchNorm", "variants.py", "x.reshape(N // g, g, D), gamma",
           "x.reshape(g, N // g, D).swapaxes(0, 1), gamma"),
    Mutant("renorm-d-sign", "Batch Renormalization", "variants.py", "d = np.clip((mu - running_mean)",
           "d = np.clip((running_mean - mu)"),
    Mutant("renorm-backward-no-r", "Batch Renormalization", "variants.py", "g = dout * (cache.gamma * cache.r)",
           "g = dout * cache.gamma"),
    Mutant("renorm-dgamma-bn", "Batch Renormalization", "variants.py", "(dout * (xhat * cache.r + cache.d)).sum",
           "(dout * xhat).sum"),
    Mutant("rmsnorm-mean-term", "RMSNorm", "variants.py", "(D * g - cache.xhat", "(D * g - g.sum(axis=1, keepdims=True) - cache.xhat"),
    Mutant("rmsnorm-eps-outside", "RMSNorm", "variants.py",
           "irms = 1.0 / np.sqrt((x * x).sum(axis=1, keepdims=True) / x.shape[1] + eps)",
           "irms = 1.0 / (np.sqrt((x * x).sum(axis=1, keepdims=True) / x.shape[1]) + eps)"),
    Mutant("rmsnorm-axis", "RMSNorm", "variants.py", "(g * cache.xhat).sum(axis=1, keepdims=True)",
           "(g * cache.xhat).sum(axis=0, keepdims=True)"),
]


def run_tests(copy_root, timeout=600):
    """Run the fast tests with ``copy_root`` first on the path; return (passed, first failed test, seconds).

    Each run starts without Hypothesis's database of failing examples (an example saved under one
    mutant would otherwise be replayed under the next) and draws its examples from one fixed seed, so
    that the table is the same from run to run."""
    env = {**os.environ, "PYTHONPATH": str(copy_root), "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg"}
    shutil.rmtree(copy_root / ".hypothesis", ignore_errors=True)
    start = time.monotonic()
    tests = [str(ROOT / path) for path in FAST_TESTS]
    # run from the copy: Python puts the working directory first on the path, before PYTHONPATH
    done = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                           "--hypothesis-seed=0", *tests],
                          cwd=copy_root, env=env, capture_output=True, text=True, timeout=timeout)
    failed = re.search(r"^(?:FAILED|ERROR) \S*?(tests/\S+)", done.stdout, flags=re.M)
    return done.returncode == 0, failed.group(1) if failed else "", time.monotonic() - start


def loaded_from(copy_root):
    """Where ``import bnlib`` finds the package with ``copy_root`` first on the path."""
    env = {**os.environ, "PYTHONPATH": str(copy_root)}
    return subprocess.run([sys.executable, "-c", "import bnlib; print(bnlib.__file__)"], env=env, cwd=copy_root,
                          capture_output=True, text=True, check=True).stdout.strip()


def apply(mutant, copy_root):
    path = copy_root / "bnlib" / mutant.module
    text = (ROOT / "bnlib" / mutant.module).read_text()
    count = text.count(mutant.before)
    if count != 1:
        raise SystemExit(f"mutant {mutant.name}: its text occurs {count} times in bnlib/{mutant.module}, not once "
                         "(the kernel changed: update MUTANTS)")
    path.write_text(text.replace(mutant.before, mutant.after))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="run only the mutants whose name contains one of these")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTANTS if not args.names or any(n in m.name for n in args.names)]
    if args.list:
        for m in chosen:
            print(f"{m.name:26} {m.kernel:22} bnlib/{m.module}: {m.before.strip()!r} -> {m.after.strip()!r}")
        return 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bn-mutate-") as tmp:
        copy_root = Path(tmp)
        shutil.copytree(ROOT / "bnlib", copy_root / "bnlib")
        where = loaded_from(copy_root)
        if not where.startswith(str(copy_root)):
            raise SystemExit(f"the copy is not the bnlib that tests import ({where}): cannot mutate safely")
        ok, failed, seconds = run_tests(copy_root)
        if not ok:
            raise SystemExit(f"the fast tests fail without any mutation ({failed}): fix them first")
        print(f"unmutated copy: the fast tests pass ({seconds:.1f} s)\n")
        print(f"{'mutant':26} {'kernel':22} {'result':9} {'seconds':>7}  first failing test")
        survivors = []
        for m in chosen:
            apply(m, copy_root)
            try:
                ok, failed, seconds = run_tests(copy_root)
            finally:
                shutil.copyfile(ROOT / "bnlib" / m.module, copy_root / "bnlib" / m.module)
            result = "SURVIVED" if ok else "killed"
            if ok:
                survivors.append(m.name)
            print(f"{m.name:26} {m.kernel:22} {result:9} {seconds:7.1f}  {failed}", flush=True)
        ok, failed, _ = run_tests(copy_root)
        if not ok:
            raise SystemExit(f"the fast tests fail on the unmutated copy after the mutants ({failed}): "
                             "something outside the mutants broke them, and the table above cannot be trusted")
    print(f"\n{len(chosen) - len(survivors)} of {len(chosen)} mutants killed, {len(survivors)} survived "
          f"({time.monotonic() - started:.0f} s)" + (": " + ", ".join(survivors) if survivors else ""))
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
