"""bncourse.checks.core: the machinery every checker shares."""
import warnings

import numpy as np
import pytest

from bncourse.checks import CheckFailed, check_batch_mean
from bncourse.checks.core import (
    Mistake,
    as_result_array,
    as_result_tuple,
    call_learner,
    checker_inputs,
    describe_mistakes,
    first_match,
    is_close,
    largest_error,
    mistake_combinations,
    passed,
    relative_error,
    without_numpy_warnings,
)


def failure(fn, *args, **kwargs):
    with pytest.raises(CheckFailed) as info:
        fn(*args, **kwargs)
    return info.value


# ---------------------------------------------------------------- CheckFailed and passed

def test_check_failed_is_an_assertion_error_with_its_parts_in_order():
    error = CheckFailed("check_x", "the problem", "the hint", "the example")
    assert isinstance(error, AssertionError)
    assert str(error) == "check_x: the problem\nthe example\nHint: the hint"
    assert (error.exercise, error.problem, error.hint, error.example) == (
        "check_x", "the problem", "the hint", "the example")
    assert str(CheckFailed("check_x", "only a problem")) == "check_x: only a problem"


def test_passed_prints_one_green_line_and_returns_true(capsys):
    assert passed("check_x", "all good") is None
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "\u2714 check_x: all good" in out and "\033[1;32m" in out


# ---------------------------------------------------------------- call_learner

def test_call_learner_returns_the_result_and_passes_copies():
    x = np.arange(6.0).reshape(3, 2)
    seen = []
    assert call_learner("c", lambda a: seen.append(a) or a.sum(), x) == 15.0
    assert seen[0] is not x and np.array_equal(seen[0], x)


def test_call_learner_refuses_what_is_not_a_function():
    assert "expected a function, got ndarray" in str(failure(call_learner, "c", np.zeros(3)))


def test_call_learner_says_not_done_yet_for_a_stub_and_names_a_missing_return():
    def stub(x):
        raise NotImplementedError
    assert "not done yet" in str(failure(call_learner, "c", stub, 1))

    def no_return(x):
        y = 2 * x
    text = str(failure(call_learner, "c", no_return, 1))
    assert "returned None: it has no `return` statement" in text and "not done yet" not in text

    def one_path(x):
        if x > 0:
            return x
    text = str(failure(call_learner, "c", one_path, -1))
    assert "one path through it reaches the end without `return`" in text and "not done yet" not in text

    def sorts_in_place(x):
        return [3, 1].sort()
    assert "in-place method" in str(failure(call_learner, "c", sorts_in_place, 1))


def test_call_learner_shows_an_exception_with_the_learners_line():
    def forward(x):
        mu = x.mean(axis=0)
        return x - mu[:1] + np.ones(7)
    error = failure(call_learner, "check_forward", forward, np.zeros((4, 3)))
    text = str(error)
    assert text.startswith("check_forward: your function raised ValueError")
    assert "in forward, line" in text and "return x - mu[:1] + np.ones(7)" in text
    assert "broadcast" in text and ".shape" in error.hint


def test_call_learner_finds_the_learners_line_below_library_calls():
    import bnlib

    def backward(x):
        return bnlib.batchnorm_forward(x, np.ones(2), np.zeros(3))
    text = str(failure(call_learner, "c", backward, np.zeros((4, 3))))
    assert "in backward, line" in text and "bnlib.batchnorm_forward" in text


def test_call_learner_shows_how_it_calls_a_function_with_other_arguments():
    def forward(x, gamma):
        return x
    error = failure(call_learner, "c", forward, 1, 2, 3, names=("x", "gamma", "eps"))
    assert "TypeError" in str(error)
    assert error.hint == "the checker calls your function as forward(x, gamma, eps)"


def test_call_learner_detects_in_place_modification_by_name_or_by_position():
    def centre(x, y):
        x -= x.mean()
        return x
    x = np.arange(4.0)
    assert "changed its input x in place" in str(failure(call_learner, "c", centre, x, 1, names=("x", "y")))
    # without names from the checker, the learner's own parameter names
    assert "changed its input x in place" in str(failure(call_learner, "c", centre, x, 1))

    def anonymous(*args):
        args[0][0] = 7.0
        return args[0]
    assert "changed its input argument number 1 in place" in str(failure(call_learner, "c", anonymous, x, 1))
    np.testing.assert_array_equal(x, np.arange(4.0))   # the caller's array is untouched


def test_call_learner_keeps_numpy_warnings_quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = call_learner("c", lambda x: np.log(x) / 0.0, np.array([-1.0, 0.0, 1.0]))
    assert not np.isfinite(result).any()


def test_a_very_long_exception_message_is_shortened():
    def noisy(x):
        raise ValueError("word " * 500)
    assert len(str(failure(call_learner, "c", noisy, 1))) < 600


# ---------------------------------------------------------------- as_result_tuple / as_result_array

def test_as_result_tuple():
    assert as_result_tuple("c", [1, 2], ["a", "b"]) == (1, 2)
    assert "got one ndarray" in str(failure(as_result_tuple, "c", np.zeros(2), ["a", "b"]))
    assert "expected 2 results (a, b), got 3" in str(failure(as_result_tuple, "c", (1, 2, 3), ["a", "b"]))


@pytest.mark.parametrize("value, shape, words", [
    (None, (3,), ["is None", "returned None in its place"]),
    ([[1.0, 2.0], [3.0]], (3,), ["is a Python list (whose rows have different lengths)", "Hint"]),
    ([1.0, 2.0, 3.0], (3,), ["is a Python list, not the NumPy array", "np.array"]),
    ((1.0, 2.0, 3.0), (3,), ["is a Python tuple"]),
    (np.array([None, 1.0]), (2,), ["dtype object"]),
    (np.zeros((3, 4)), (4, 3), ["shape (3, 4)", "transposed"]),
    (np.zeros((1, 3)), (3,), ["keepdims"]),
    (np.float64(2.0), (3,), ["one number", "axis=0"]),
    (np.zeros((4, 3)), (3,), ["batch axis", "sum it over the batch"]),
    (np.zeros((3, 5)), (3,), ["reduce over axis 0"]),
    (np.zeros(4), (3,), ["one value per sample"]),
    (np.zeros(3, dtype=np.int64), (3,), ["dtype int64, expected float64"]),
    (np.array([0.0, np.nan, np.inf]), (3,), ["NaN or inf", "index (1,)"]),
])
def test_as_result_array_refuses_with_a_reason(value, shape, words):
    text = str(failure(as_result_array, "c", "g", value, shape))
    for word in words:
        assert word in text, text


def test_as_result_array_returns_an_array_and_accepts_the_dtypes_asked_for():
    out = as_result_array("c", "g", np.array([1.0, 2.0, 3.0]), (3,))
    assert isinstance(out, np.ndarray) and out.dtype == np.float64
    single = as_result_array("c", "g", np.ones(3, np.float32), (3,), (np.float64, np.float32))
    assert single.dtype == np.float32


# ---------------------------------------------------------------- checker_inputs

def test_checker_inputs_let_no_bug_hide():
    x, gamma, beta, dout, eps = checker_inputs()
    assert x.shape == dout.shape == (4, 3) and gamma.shape == beta.shape == (3,)
    assert all(a.dtype == np.float64 for a in (x, gamma, beta, dout))
    assert x.shape[0] >= 3
    assert len(set(np.round(x.mean(axis=0), 3))) == 3 and len(set(np.round(x.std(axis=0), 3))) == 3
    assert np.all(np.abs(gamma - 1) > 1e-3) and np.all(np.abs(beta) > 1e-3)
    assert eps == 0.1 and np.all(x.var(axis=0) < 20 * eps)   # eps is not negligible
    assert np.all(dout.std(axis=0) > 0.1)
    for a, b in zip(checker_inputs(), checker_inputs()):
        np.testing.assert_array_equal(a, b)
    assert checker_inputs(6, 5, 1)[0].shape == (6, 5)


# ---------------------------------------------------------------- comparing and diagnosing

def test_relative_error_and_is_close():
    assert relative_error([1.0, 2.0], [1.0, 2.5]) == pytest.approx(0.2)
    assert relative_error([0.1], [0.2]) == pytest.approx(0.1)   # scale at least 1
    assert relative_error([1.0], [2.0], scale=10.0) == pytest.approx(0.1)
    assert relative_error(np.zeros(3), np.zeros(4)) == np.inf
    assert is_close([1.0, 2.0], [1.0, 2.0 + 1e-9]) and not is_close([1.0], [1.1])


def test_first_match_stops_at_the_first_matching_candidate():
    computed = []

    def candidates():
        for value, name in [(1.0, "one"), (2.0, "two"), (3.0, "three")]:
            computed.append(name)
            yield np.array([value]), name, "hint"
    assert first_match(np.array([2.0]), candidates()) == ("two", "hint")
    assert computed == ["one", "two"]
    assert first_match(np.array([7.0]), candidates()) is None


def test_first_match_ignores_candidates_that_are_not_finite():
    assert first_match(np.array([1.0]), [(np.array([np.nan]), "nan"), (np.array([1.0]), "one")]) == ("one",)


def test_largest_error_names_value_and_place():
    text = largest_error("out", np.array([[1.0, 2.0], [3.0, 4.5]]), np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert text == "largest error 0.5 at out[1, 1]: expected 4.0000, got 4.5000"


def test_mistake_combinations_give_singles_then_pairs_of_different_steps():
    mistakes = [Mistake("a", 1, "a1", "h"), Mistake("a", 2, "a2", "h"), Mistake("b", 1, "b1", "h")]
    combos = [tuple(m.problem for m in c) for c in mistake_combinations(mistakes)]
    assert combos == [("a1",), ("a2",), ("b1",), ("a1", "b1"), ("a2", "b1")]


def test_describe_mistakes_numbers_several():
    one, two = Mistake("a", 1, "first", "fix 1"), Mistake("b", 1, "second", "fix 2")
    assert describe_mistakes((one,)) == ("first", "fix 1")
    assert describe_mistakes((one, two)) == ("two mistakes: (1) first; (2) second", "(1) fix 1; (2) fix 2")


def test_without_numpy_warnings_keeps_the_checker_and_silences_overflow():
    @without_numpy_warnings
    def check_huge(fn):
        """doc"""
        return np.float64(1e308) * fn()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_huge(lambda: 10.0) == np.inf
    assert (check_huge.__name__, check_huge.__doc__) == ("check_huge", "doc")


# ---------------------------------------------------------------- the warm-up checker still works on it

def test_check_batch_mean_still_passes_and_fails(capsys):
    assert check_batch_mean(lambda x: x.mean(axis=0)) is None
    assert "divided by N - 1" in str(failure(check_batch_mean, lambda x: x.sum(axis=0) / (len(x) - 1)))
