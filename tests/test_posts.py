"""The table of the five posts (notebook 06): up to date, verdicts proved, evidence sound, cheap to import."""
import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from bncourse import posts
from bncourse.posts import POINT, ROWS, TRUE, at_point, finite_difference, same

from bncourse.tools import posts_table

COMPUTED = [r for r in ROWS if r.printed is not None or r.check is not None]
EQUATIONS = [r for r in ROWS if r.printed is not None]


def test_the_derivation_is_proved_on_demand():
    assert posts.prove_derivation()


def test_the_committed_csv_is_what_the_package_builds():
    committed = posts.CSV_PATH.read_text(encoding="utf-8")
    assert committed == posts.csv_text(), "out of date: run `make posts`"


def test_the_csv_is_package_data_read_without_the_checkout():
    assert Path(str(posts.CSV_PATH)).parent.parent == Path(posts.__file__).parent
    assert posts.read_table() == list(csv.DictReader(posts.csv_text().splitlines()))


def test_importing_the_package_loads_no_sympy_and_proves_nothing():
    """What keeps `import bncourse.posts` cheap (measured in issue13-after.txt: about 0.1 s, NumPy's import)."""
    code = ("import sys, bncourse.posts; "
            "print(sorted(m for m in sys.modules if m == 'sympy' or m.startswith('bncourse.posts.')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_the_engine_does_not_prove_at_import():
    code = ("import bncourse.posts.engine as e, sys; "
            "print(e._rational.cache_info().currsize)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "0"


def test_the_csv_has_the_columns_and_verdicts_of_the_contract():
    rows = posts.read_table()
    assert list(rows[0]) == ["post", "where", "claim", "verdict", "correct_form", "evidence"]
    assert {r["verdict"] for r in rows} == set(posts.VERDICTS)
    assert {r["post"] for r in rows} == {"000", "001", "002", "003", "004"}
    assert all(r["claim"] and r["correct_form"] and r["where"] for r in rows)
    assert all(r["evidence"] for r in rows if r["verdict"] != "correct")


def test_the_command_line_reports_up_to_date_and_writes_nothing(capsys):
    before = posts.CSV_PATH.read_bytes()
    assert posts_table.main([]) == 0
    assert "up to date" in capsys.readouterr().out
    assert posts.CSV_PATH.read_bytes() == before


def test_each_post_is_one_module_and_no_row_is_repeated():
    from bncourse.posts import post000, post001, post002, post003, post004
    modules = [post000, post001, post002, post003, post004]
    assert [m.ROWS for m in modules] and sum((m.ROWS for m in modules), []) == ROWS
    for module, post in zip(modules, posts.POSTS):
        assert {r.post for r in module.ROWS} == {post}


def test_every_row_is_unique():
    keys = [(r.post, r.where, r.claim) for r in ROWS]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("row", COMPUTED, ids=lambda r: f"{r.post} {r.where}")
def test_each_computed_verdict_holds(row):
    """correct, notation and typo (in its only reading) hold; wrong fails."""
    assert row.holds() == (row.verdict != "wrong")


@pytest.mark.parametrize("row", [r for r in EQUATIONS if r.verdict == "wrong"], ids=lambda r: f"{r.post} {r.where}")
def test_each_wrong_equation_has_an_exact_counterexample(row):
    printed, true = at_point(row.printed()), at_point(TRUE[row.quantity])
    if isinstance(true, list):
        assert any(sp.simplify(p - t) != 0 for p, t in zip(printed, true))
    else:
        assert sp.simplify(printed - true) != 0
    assert "At the test point" in row.evidence() and "printed" in row.evidence()


def test_rows_without_a_computation_rest_on_a_named_source_or_observation():
    for r in ROWS:
        if r.printed is None and r.check is None:
            assert any(w in r.evidence() for w in ("Ioffe", "Measured", "our copy", "cited")), r.where


def test_the_known_wrong_equations_are_all_found():
    wrong = {(r.post, r.where) for r in ROWS if r.verdict == "wrong"}
    for expected in [("000", "l.22, forward: scale and shift"), ("004", "l.18, forward: scale and shift"),
                     ("002", "l.35, backward: dx with local derivatives"), ("002", "l.43-45, backward: dx assembled"),
                     ("002", "l.55-56, backward: dmu with dy"), ("002", "l.68, reference"),
                     ("003", "l.107, backward: dmu"), ("003", "l.127, backward: chain rule for dx"),
                     ("004", "l.35, backward: dmu"), ("004", "l.37, backward: dx"),
                     ("004", "l.51, backward code: dgamma"), ("004", "l.21-26, forward code: the axes")]:
        assert expected in wrong, expected


def test_the_test_point_separates_what_posts_confuse():
    std, mu, var = at_point(posts.std), at_point(posts.mu), at_point(posts.var)
    assert (posts.BATCH_SIZE, mu, std) == (4, 3, 2)
    assert sp.sqrt(var) != std and POINT[posts.beta] != POINT[posts.eps] and POINT[posts.gamma] != 1


def test_the_truth_is_the_derivative_of_the_loss():
    assert same(TRUE["dx"], [sp.diff(posts.loss, xi) for xi in posts.x])
    compact = [posts.gamma / (posts.BATCH_SIZE * posts.std) * (posts.BATCH_SIZE * posts.dy[i] - TRUE["dbeta"] - posts.xhat[i] * TRUE["dgamma"])
               for i in range(posts.BATCH_SIZE)]
    assert same(compact, TRUE["dx"])


def test_same_tells_equal_from_different():
    s = posts.std
    assert same(1 / s ** 3, (posts.var + posts.eps) ** sp.Rational(-3, 2))
    assert not same(1 / s, 1 / sp.sqrt(posts.var))
    assert not same(TRUE["dvar"], TRUE["dvar"] * (posts.var + posts.eps) / 4)   # equal at POINT only
    assert same([1, 2], [1, 2]) and not same([1, 2], [1, 3])


@pytest.mark.parametrize("quantity", ["dx", "dgamma", "dbeta", "dxhat", "dvar", "dmu"])
def test_finite_differences_agree_with_the_truth(quantity):
    true = at_point(TRUE[quantity])
    for i in range(posts.BATCH_SIZE if isinstance(true, list) else 1):
        exact = float(true[i] if isinstance(true, list) else true)
        assert abs(finite_difference(quantity, i) - exact) < 1e-6


def test_finite_difference_is_none_where_no_gradient_is_meant():
    assert finite_difference("mu") is None


def test_the_float32_remark_about_eps_1e8():
    for v in (0.25, 1.0, 10.0):
        assert np.float32(v) + np.float32(1e-8) == np.float32(v)
    assert np.float32(0.2) + np.float32(1e-8) != np.float32(0.2)
