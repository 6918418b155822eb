"""The third edition's corrections to the text of the notebooks, each held where a test can hold it.

The mathematics behind each correction is asserted in the notebook itself (nbval runs it); these tests
hold the words: a statement that was found wrong must not come back, and the corrected one must stay.
"""
import re
from pathlib import Path

import nbformat
import pytest

import bnlib

SOLUTIONS = Path(__file__).resolve().parents[1] / "notebooks" / "solutions"
ALL = sorted(SOLUTIONS.glob("[0-9][0-9]-*.ipynb"))


def notebook(stem):
    return nbformat.read(next(SOLUTIONS.glob(f"{stem}-*.ipynb")), as_version=4)


def text(stem, kind="markdown"):
    return "\n".join(c.source for c in notebook(stem).cells if c.cell_type == kind)


def printed(stem):
    return "\n".join(o.get("text", "") for c in notebook(stem).cells if c.cell_type == "code"
                     for o in c.outputs if o.output_type == "stream")


def flat(words):
    return " ".join(words.split())


def test_1_the_eval_mode_gap_is_the_running_mean_not_rounding():
    words = flat(text("10"))
    assert "the running mean has learned it" not in words
    assert "the reason is not rounding" in words and "(1-0.9^T)\\,b" in words.replace(" ", "")
    assert "running_mean + b" in words
    assert "running_mean holds 1 - 0.9^180 of each bias" in printed("10")


def test_2_the_staged_docstring_names_nine_nodes_and_x_and_xmu_as_shared():
    doc = bnlib.batchnorm_backward_staged.__doc__
    assert "nine small nodes" in doc and "x feeds (1) and (2), xmu feeds (3) and (7)" in doc
    assert "(9)" in doc and "(xmu, mu)" not in doc
    assert "x feeds (1) and (2), xmu feeds (3) and (7)" in printed("02")


def test_3_deepnets_dbeta_is_on_the_line_directly_above():
    assert "two lines above" not in text("03") and "the line directly above" in text("03")


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_6_no_notebook_proves_non_zeroness_with_simplify(path):
    """`sp.simplify(e) != 0` proves nothing (simplify may just fail to reach 0): evaluate at a point."""
    code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    assert not re.search(r"simplify\([^\n]*\)\s*!=\s*0", code)


def test_5_only_batchnorm_is_no_longer_claimed():
    words = flat(text("10"))
    assert "Only BatchNorm cancels a bias" not in words
    assert "InstanceNorm" in words and "$b - \\bar b$ stays" in words
    assert "cancelled by InstanceNorm (G = C), not by GroupNorm with G = 1" in printed("10")


def test_7_groupnorm_with_one_group_prints_that_it_is_layernorms_normalization():
    out = printed("07")
    assert "G = 1 equals LayerNorm (axes" not in out and "equals LayerNorm's normalization" in out


def test_8_the_identity_sentence_says_that_training_mode_depends_on_the_batch():
    words = flat(text("01"))
    assert "never removes a function the network could represent before;" not in words
    assert "in training mode only for the statistics of the batch at hand" in words


def test_11_notebook_06_prints_no_raw_tex():
    out = "\n".join(o.get("text", "") for c in notebook("06").cells if c.cell_type == "code"
                    and "getsource" not in c.source for o in c.outputs if o.output_type == "stream")
    assert not re.search(r"\\(partial|hat|sqrt|sigma|mu|epsilon)\b", out), "typeset it with post_report"
    cell = next(c for c in notebook("06").cells if c.cell_type == "code" and "rows=[row.record()]" in c.source)
    assert any("bn-posts-report" in o.get("data", {}).get("text/html", "") for o in cell.outputs)


def test_13_the_canonical_sources_are_credited():
    two = flat(text("02"))
    assert "Frederik Kratzert's" in two and "Understanding the backward pass through Batch Normalization Layer" in two
    assert "(2016)" in two and "`sqrtvar`, `ivar` and `gammax`" in two
    assert "CS231n's assignment 2" in two and "Becoming a Backprop Ninja" in two
    assert "Becoming a Backprop Ninja" in flat(text("04")) and "Bessel's correction" in flat(text("04"))
    five = flat(text("05"))
    assert "CS231n's assignment 2" in five and "Becoming a Backprop Ninja" in five


def test_21_25_notebook_00_says_how_to_ask_for_more_and_what_each_command_checks():
    words = flat(text("00"))
    assert "hint, never the answer" not in words or "Ask for more" in words
    assert 'hint("01.1")' in words and "the idea, then the equation, then a skeleton" in words
    assert "`make progress` checks your own work**: about 20 s" in words
    assert "`make test` also checks the course itself" in words and "which takes minutes" in words
    assert "`make progress NB=3`" in words and "exit 1: something to fix" in words


READING_ORDER = [p.name[:2] for p in ALL if "appendix" not in p.name]


@pytest.mark.parametrize("here, after", list(zip(READING_ORDER, READING_ORDER[1:])))
def test_every_notebook_points_to_the_next_in_the_reading_order(here, after):
    """00 to 16 without the appendix (12): each notebook names the one to open next, in bold."""
    assert re.search(r"\*\*" + after + r"[ -·]", text(here)), f"notebook {here} never names {after}"


def test_only_the_last_notebook_says_the_course_ends():
    ends = [p.name[:2] for p in ALL if "end of the course" in flat(text(p.name[:2]))]
    assert ends == [READING_ORDER[-1]]
