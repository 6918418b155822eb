"""check_answer: every reason is shown for its choice, the right answers pass, the bank hides the answers."""
import re

import pytest

from bncourse.tools import questions
from bncourse.checks import CheckFailed, check_answer
from bncourse.checks.question_bank import BANK
from bncourse.checks.questions import normalized_answer

QUESTIONS = questions.QUESTIONS
WRONG = [(qid, answer) for qid, q in QUESTIONS.items() for answer in q["reasons"] if answer != q["right"]]


def test_the_bank_is_in_step_with_the_questions():
    assert questions.main([]) == 0, "run `python -m bncourse.tools.questions --write`"
    assert BANK == questions.sealed_bank()


@pytest.mark.parametrize("qid", sorted(QUESTIONS))
def test_the_right_answer_passes_with_its_reason(qid, capsys):
    q = QUESTIONS[qid]
    assert check_answer(qid, q["right"]) is None
    shown = capsys.readouterr().out
    assert "is right" in shown and q["reasons"][q["right"]][:40] in shown


@pytest.mark.parametrize("qid, answer", WRONG)
def test_every_wrong_answer_gets_its_own_reason(qid, answer):
    with pytest.raises(CheckFailed) as info:
        check_answer(qid, answer)
    message = str(info.value)
    assert "is not right" in message
    assert QUESTIONS[qid]["reasons"][answer][:40] in message


@pytest.mark.parametrize("qid", sorted(QUESTIONS))
def test_ellipsis_and_none_are_not_done_yet(qid):
    for answer in (..., None):
        with pytest.raises(CheckFailed, match="not done yet"):
            check_answer(qid, answer)


@pytest.mark.parametrize("qid, variants", [
    ("03.q1", ["b", "B", " (b) "]),
    ("11.q2", ["b", "(B)", "b "]),
    ("10.q1", [0, 0.0, "0", -0.0]),
    ("09.q1", [0.1, "0.1", 1 / 10, "1/10", 0.3 - 0.2]),        # 0.3 - 0.2 is 0.09999999999999998 in floats
    ("10.q3", [0.25, 1 / (3 + 1), "1/4", 1 - 0.75]),
    ("07.q1", [128, 128.0, "128"]),
])
def test_ways_of_writing_the_right_answer_pass(qid, variants):
    for answer in variants:
        assert check_answer(qid, answer) is None, answer


@pytest.mark.parametrize("qid, answer, words", [
    ("03.q1", "e", ["not an answer", "one of the letters a, b, c, d"]),
    ("03.q1", 2, ["not an answer", "in quotes"]),
    ("00.q1", "ten", ["not an answer", "a whole number"]),
    ("00.q1", True, ["not an answer"]),
    ("00.q1", float("nan"), ["not an answer"]),
    ("00.q1", 11, ["11 is not right", "count the columns"]),
    ("99.q9", "a", ["no question", "00.q1"]),
])
def test_answers_of_the_wrong_kind_are_named(qid, answer, words):
    with pytest.raises(CheckFailed) as info:
        check_answer(qid, answer)
    for word in words:
        assert word in str(info.value)


def test_the_bank_shows_neither_answers_nor_reasons():
    from pathlib import Path
    text = questions.BANK_PATH.read_text()
    for qid, q in QUESTIONS.items():
        assert "'right'" not in text and "'reasons'" not in text
        for reason in q["reasons"].values():
            assert reason[:25] not in text
        if q["kind"] == "choice":
            # the stored entries look alike: one per choice, none marked
            assert len(BANK[qid]["answers"]) == len(q["choices"])


def test_every_question_is_asked_in_its_notebook_with_a_checker():
    import nbformat

    from bncourse.tools import student
    asked = {}
    for path in student.solution_paths():
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for qid in re.findall(r'check_answer\("(\d\d\.q\d+)"', cell.source):
                assert "checker" in cell.metadata.get("tags", []), f"{path.name}: {qid} is not tagged checker"
                assert qid.startswith(path.name[:2]), f"{qid} asked in {path.name}"
                asked[qid] = path.name
    assert set(asked) == set(QUESTIONS)
    assert {p.name[:2] for p in student.solution_paths()} <= {qid[:2] for qid in asked}


def test_measured_numbers_are_rounded_to_the_questions_decimals_and_the_others_are_not():
    q = {"kind": "number", "decimals": 2}
    assert normalized_answer(q, 0.104) == "0.10"
    assert normalized_answer(q, -0.001) == "0.00"
    assert normalized_answer(q, "x") is None
    assert normalized_answer({"kind": "exact"}, 0.104) == "0.104"
    assert normalized_answer({"kind": "exact"}, 0.1 + 1e-15) == "0.1"        # floating point, nothing more
    assert normalized_answer({"kind": "count"}, 10.5) is None
    assert normalized_answer({"kind": "count"}, 10.0) == "10"


@pytest.mark.parametrize("qid, answer", [
    ("00.q1", 10.5), ("00.q1", 9.5), ("00.q1", 10.4), ("02.q1", 1.6), ("02.q1", 2.5), ("07.q1", 127.6),
])
def test_a_count_must_be_a_whole_number(qid, answer):
    with pytest.raises(CheckFailed) as info:
        check_answer(qid, answer)
    assert "is not a count" in str(info.value) and "whole number" in str(info.value)


@pytest.mark.parametrize("qid, answer", [("10.q1", 0.001), ("10.q1", -0.004), ("09.q1", 0.104), ("09.q1", 0.11),
                                         ("10.q3", 0.251), ("10.q3", 0.2499)])
def test_an_exact_answer_has_no_tolerance(qid, answer):
    with pytest.raises(CheckFailed, match="is not right"):
        check_answer(qid, answer)


def test_counts_are_counts_and_a_tolerance_is_stated_in_its_question():
    import nbformat

    from bncourse.tools import student
    counting = {qid for qid, q in QUESTIONS.items() if q["kind"] == "count"}
    assert {"00.q1", "02.q1", "07.q1"} <= counting
    texts = {}
    for path in student.solution_paths():
        nb = nbformat.read(path, as_version=4)
        for index, cell in enumerate(nb.cells):
            for qid in re.findall(r'check_answer\("(\d\d\.q\d+)"', cell.source):
                texts[qid] = "\n".join(c.source for c in nb.cells[max(0, index - 3):index] if c.cell_type == "markdown")
    for qid, q in QUESTIONS.items():
        if q["kind"] == "number":       # a measured number: the question says how it is rounded
            assert re.search(rf"{q['decimals']} decimals?|to \d+ decimal", texts[qid]), qid
        if q["kind"] in ("count", "exact"):
            assert "decimal" not in texts[qid], qid


def test_every_derivation_notebook_asks_a_predict_first_question_before_a_result():
    """Notebooks 02 to 05 and 10 ask at least one predict-first question each, in a Markdown cell that
    starts with "**Predict first (NN.qK).**", and a cell that is not an exercise runs after its checker
    (the result the learner predicted)."""
    import nbformat

    from bncourse.notebook import BEGIN, CHECKER_TAG
    from bncourse.tools import student
    from bncourse.tools.predict_questions import PREDICT_FIRST
    asked = {}
    for path in student.solution_paths():
        nb = nbformat.read(path, as_version=4)
        for index, cell in enumerate(nb.cells):
            found = re.match(r"\*\*Predict first \((\d\d\.q\d+)\)\.\*\*", cell.source)
            if cell.cell_type != "markdown" or not found:
                continue
            qid = found.group(1)
            answer, checker = nb.cells[index + 1], nb.cells[index + 2]
            assert BEGIN in answer.source and f'check_answer("{qid}", answer)' in checker.source, qid
            assert CHECKER_TAG in checker.metadata.get("tags", []), qid
            later = [c for c in nb.cells[index + 3:index + 6] if c.cell_type == "code"]
            assert later and not any(BEGIN in c.source or CHECKER_TAG in c.metadata.get("tags", []) for c in later), \
                f"{qid}: no cell that shows the result follows the question"
            asked[qid] = path.name[:2]
    assert set(asked) == set(PREDICT_FIRST)
    assert {"02", "03", "04", "05", "10"} <= set(asked.values())
