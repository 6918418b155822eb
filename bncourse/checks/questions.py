r"""The checker of the conceptual questions: ``check_answer("04.q1", answer)``.

Each notebook asks at least one question with choices (a letter) or with a number. A number is of
one of three kinds: a **count** ("count"), a whole number, compared exactly (10.5 is no count and is
refused as such); an **exact** value ("exact"), compared as the number it is (0.25, 1/10: no tolerance,
only the rounding of floating point, to 12 significant digits); or a **measured** number ("number"),
rounded to the question's ``decimals``: the only kind with a tolerance, which the question must state.
A right answer prints one green line with the reason it is right; a wrong one raises
:class:`CheckFailed` with the reason it is wrong. The answers and the reasons are not written in bnlib in plain text: for each
question, every answer that has a reason is stored under a digest of (salt, question, answer), and
its reason (with the verdict) is XOR-ed with a key stream derived from the same three, so that a
reason can be read only by giving its answer. (This keeps the answers out of sight of a casual look
at the library, nothing more: trying every choice reveals them, as does the solution notebook.)

The plain-text questions are in ``bncourse/tools/questions.py``, which writes :mod:`bncourse.checks.question_bank`
(``python -m bncourse.tools.questions --write``); a test keeps the two in step.
"""
import base64
import fractions
import hashlib
import math
import numbers

from .core import CheckFailed, passed

__all__ = ["check_answer", "normalized_answer", "answer_digest", "seal", "unseal"]

RIGHT, WRONG = "1", "0"
NUMBER_KINDS = ("count", "exact", "number")
SIGNIFICANT = 12       # an exact answer is compared to 12 significant digits: float rounding, nothing more


def _stream(salt, qid, answer, length):
    """The key stream: SHA-256 of (salt, question, answer, 'key', counter), block after block."""
    blocks, counter = [], 0
    while sum(map(len, blocks)) < length:
        blocks.append(hashlib.sha256(f"{salt}|{qid}|{answer}|key|{counter}".encode()).digest())
        counter += 1
    return b"".join(blocks)[:length]


def answer_digest(salt, qid, answer):
    """The name under which the reason of one (normalized) answer is stored."""
    return hashlib.sha256(f"{salt}|{qid}|{answer}|id".encode()).hexdigest()[:32]


def seal(salt, qid, answer, right, reason):
    """Verdict and reason of one answer, XOR-ed with its key stream, as base64 text."""
    data = ((RIGHT if right else WRONG) + reason).encode()
    return base64.b64encode(bytes(a ^ b for a, b in zip(data, _stream(salt, qid, answer, len(data))))).decode()


def unseal(salt, qid, answer, sealed):
    """The inverse of :func:`seal`: ``(right, reason)``."""
    data = base64.b64decode(sealed)
    text = bytes(a ^ b for a, b in zip(data, _stream(salt, qid, answer, len(data)))).decode()
    return text[0] == RIGHT, text[1:]


def as_number(answer):
    """A learner's number as a float: an int, a float, or text ("0.25", "1/4"); None for anything else."""
    if isinstance(answer, bool):
        return None
    if isinstance(answer, str):
        try:
            answer = float(fractions.Fraction(answer.strip()))
        except (ValueError, ZeroDivisionError):
            return None
    if not isinstance(answer, numbers.Real) or not math.isfinite(float(answer)):
        return None
    return float(answer)


def normalized_answer(question, answer):
    """The answer as the text it is stored under: a letter ("b"); a count ("10"); an exact number to 12
    significant digits ("0.25"); a measured number rounded to the question's decimals ("0.10").
    Returns None for an answer of the wrong kind (and for a count that is not a whole number)."""
    if question["kind"] == "choice":
        if not isinstance(answer, str):
            return None
        letter = answer.strip().strip("()").strip().lower()
        return letter if letter in question["choices"] else None
    value = as_number(answer)
    if value is None:
        return None
    if question["kind"] == "count":
        return str(int(value)) if value.is_integer() else None
    if question["kind"] == "exact":
        text = f"{value:.{SIGNIFICANT}g}"
        return "0" if float(text) == 0 else text
    text = f"{value:.{question['decimals']}f}"
    return text.lstrip("-") if float(text) == 0 else text   # -0.00 is 0.00


def _bank():
    from .question_bank import BANK
    return BANK


def check_answer(qid, answer):
    """Check the answer to conceptual question ``qid`` ("NN.qK"): one green line with the reason it
    is right, or CheckFailed with the reason it is wrong."""
    bank = _bank()
    if qid not in bank:
        raise CheckFailed("check_answer", f"there is no question {qid!r}",
                          f"the questions are {', '.join(sorted(bank))}")
    question = bank[qid]
    kind = {"choice": f"one of the letters {', '.join(question.get('choices', ''))}, in quotes (answer = \"a\")",
            "count": "a whole number (answer = 3): the question asks how many",
            "exact": "a number, exactly (answer = 0.5, or answer = 1/2)",
            "number": f"a number, rounded to {question.get('decimals')} decimals as the question says"}[question["kind"]]
    if answer is ... or answer is None:
        raise CheckFailed(qid, "the question is not done yet (answer is still ...)",
                          f"replace ... by your answer: {kind}")
    key = normalized_answer(question, answer)
    if key is None and question["kind"] == "count" and as_number(answer) is not None:
        raise CheckFailed(qid, f"{answer!r} is not a count: the question asks how many, and a count is a "
                          "whole number", "count again: the answer is an integer")
    if key is None:
        raise CheckFailed(qid, f"{answer!r} is not an answer to this question", f"answer with {kind}")
    sealed = question["answers"].get(answer_digest(question["salt"], qid, key))
    if sealed is None:
        raise CheckFailed(qid, f"{key} is not right", question["hint"])
    right, reason = unseal(question["salt"], qid, key, sealed)
    shown = f"({key})" if question["kind"] == "choice" else key
    if not right:
        raise CheckFailed(qid, f"{shown} is not right: {reason}", "think it through once more and try again")
    return passed(qid, f"{shown} is right: {reason}")
