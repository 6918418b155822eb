"""The mutation check (`make mutate`) stays in step with the kernels it mutates."""
from pathlib import Path

from bncourse.tools import mutate

ROOT = Path(__file__).resolve().parents[1]


def test_every_mutant_edits_text_that_occurs_once_in_its_kernel():
    for m in mutate.MUTANTS:
        text = (ROOT / "bnlib" / m.module).read_text()
        assert text.count(m.before) == 1, f"{m.name}: {text.count(m.before)} occurrences in bnlib/{m.module}"
        assert m.before != m.after


def test_the_mutants_cover_every_kernel_the_issue_names():
    kernels = {m.kernel for m in mutate.MUTANTS}
    assert {"forward", "compact backward", "staged backward", "spatial BatchNorm", "LayerNorm", "GroupNorm",
            "tuned blocks", "running statistics"} <= kernels
    assert len({m.name for m in mutate.MUTANTS}) == len(mutate.MUTANTS)
    for path in mutate.FAST_TESTS:
        assert (ROOT / path).is_file(), path
