"""The layout of the two packages: bnlib, the small NumPy library a learner reads, and bncourse, the
course's machinery. bnlib loads NumPy only; no module passes 450 lines; nothing imports in a circle."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(p for package in ("bnlib", "bncourse") for p in (ROOT / package).rglob("*.py"))
LONGEST = 450
BNLIB_LINES = 2300   # about 2,000: the sharded BatchNorm and the three variants of notebook 15 took it past


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path):
    """The modules of bnlib and bncourse that ``path`` imports, anywhere in the file (lazy imports too)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    known = {module_name(p) for p in MODULES}
    return {m for m in found if m in known and m != name}


def test_importing_bnlib_loads_numpy_and_nothing_else():
    code = ("import sys; before = set(sys.modules); import bnlib; "
            "print(sorted({m.split('.')[0] for m in set(sys.modules) - before}))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    third_party = set(eval(loaded)) - set(sys.stdlib_module_names) - {"bnlib"}
    assert third_party == {"numpy"}, third_party


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_no_module_passes_450_lines(path):
    lines = len(path.read_text().splitlines())
    assert lines <= LONGEST, f"{module_name(path)} has {lines} lines"


def test_bnlib_is_small():
    lines = sum(len(p.read_text().splitlines()) for p in (ROOT / "bnlib").glob("*.py"))
    assert lines <= BNLIB_LINES, f"bnlib has {lines} lines"


def test_bnlib_imports_nothing_of_the_course():
    for path in (ROOT / "bnlib").glob("*.py"):
        assert not any(m.startswith("bncourse") for m in imports(path)), path.name


def test_no_module_imports_in_a_circle():
    graph = {module_name(p): imports(p) for p in MODULES}
    state = {}

    def visit(node, trail):
        if state.get(node) == "done":
            return
        assert state.get(node) != "open", "import circle: " + " -> ".join(trail + [node])
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            # a package's __init__ importing its own submodules is how a package is built, not a circle
            if not nxt.startswith(node + "."):
                visit(nxt, trail + [node])
        state[node] = "done"

    for node in sorted(graph):
        visit(node, [])
