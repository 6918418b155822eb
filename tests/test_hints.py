"""hint("02.3"): a failed check gives the idea; asked again, the equation, then a skeleton, never the answer."""
import re

import numpy as np
import pytest

from bncourse import notebook
from bncourse.checks import CheckFailed, check_backward, check_fold_batchnorm, hint, hints
from bncourse.tools import student

# every code exercise of the course (a question's reason for a wrong answer is its hint)
COURSE = [ex.id for path in student.solution_paths()
          for ex in notebook.exercises(notebook.learner_notebook(path)) if ".q" not in ex.id]


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    monkeypatch.setattr(hints, "_ASKED", {})
    monkeypatch.setattr(hints.core, "_LAST_FAILURE", {})
    monkeypatch.setattr(hints.core, "_LAST_FUNCTION", {})


def test_every_code_exercise_of_the_course_has_three_steps():
    assert len(COURSE) >= 37 and set(COURSE) == set(hints.TIERS)
    for ex in COURSE:
        idea, equation, skeleton = hints.TIERS[ex]
        assert idea and equation and skeleton, ex
        assert "..." in skeleton, f"{ex}: a skeleton leaves the learner's part out"


def test_each_call_gives_the_next_step(capsys):
    shown = []
    for _ in range(4):
        hint("05.1")
        shown.append(capsys.readouterr().out)
    assert "hint 1 of 3 (the idea)" in shown[0] and 'hint("05.1") again: the equation' in shown[0]
    assert "hint 2 of 3 (the equation)" in shown[1] and "dx_i = gamma istd / m" in shown[1]
    assert "hint 3 of 3 (a skeleton to fill in)" in shown[2] and "dx = gamma * istd / m * (...)" in shown[2]
    assert "hint 3 of 3" in shown[3] and "all the help there is" in shown[3]


def test_the_same_checker_gets_the_steps_of_its_own_exercise(capsys):
    def backward(dout, x, gamma, eps):          # 02.3's function name: its steps are the staged ones
        return x, gamma, gamma
    with pytest.raises(CheckFailed):
        check_backward(backward)
    hint()
    out = capsys.readouterr().out
    assert out.startswith("02.3, hint 1 of 3") and "Your last check of it said: Hint:" in out

    def backward_compact(dout, x, gamma, eps):
        return x, gamma, gamma
    with pytest.raises(CheckFailed) as info:
        check_backward(backward_compact)
    assert hints.more_help(info.value).startswith('Stuck? hint("05.1") gives more help')
    hint()
    assert capsys.readouterr().out.startswith("05.1, hint 1 of 3")


def test_an_exercise_without_steps_falls_back_to_its_checkers_own_hint(capsys, monkeypatch):
    monkeypatch.setattr(hints, "_INDEX", {("check_fold_batchnorm", "fold_new"): "17.1"})
    hint("17.1")
    assert "no steps of hints are written" in capsys.readouterr().out
    with pytest.raises(CheckFailed) as info:
        check_fold_batchnorm(lambda W, b, bn: (W, b))
    hint("17.1")
    out = capsys.readouterr().out
    assert f"Hint: {info.value.hint}" in out
    hint("07.q1")           # a question: its reasons are its hints
    assert "no steps of hints" in capsys.readouterr().out


def test_hint_without_a_failure_says_how_to_ask(capsys):
    hint()
    assert 'hint("02.3")' in capsys.readouterr().out


def test_a_failed_check_in_a_notebook_says_how_to_ask_for_more():
    from bncourse.checks import check_batch_mean
    with pytest.raises(CheckFailed) as info:
        check_batch_mean(lambda x: x.sum(axis=0))
    assert hints.more_help(info.value) == ('Stuck? hint("00.1") gives more help, a step at a time '
                                           "(the idea, the equation, then a skeleton).")

    def stub(x):
        raise NotImplementedError
    with pytest.raises(CheckFailed) as info:
        check_batch_mean(stub)
    assert hints.more_help(info.value) == ""        # not started: nothing to be stuck on yet


def test_the_index_of_exercises_is_read_from_the_checker_cells():
    index = notebook.checker_calls()
    assert index["check_backward", "backward"] == "02.3" and index["check_backward", "backward_compact"] == "05.1"
    assert index["check_fold_batchnorm", "fold"] == "08.3"
    assert set(index.values()) == set(COURSE)


# 12.1's idea restates the variance it asks to differentiate: the question, not the answer
@pytest.mark.parametrize("exercise", sorted(set(hints.TIERS) - {"12.1"}))
def test_the_first_step_is_an_idea_without_the_formula(exercise):
    idea = hints.TIERS[exercise][0]
    assert not re.search(r"=\s*\(|sqrt\(sum|\(b - running_mean\)|\bdx\s*=", idea), idea
