"""What every checker test asks: does the checker fail, and does its message name the mistake?"""
import pytest

from bncourse.checks import CheckFailed


def fails_with(checker, fn, *words):
    """Run ``checker(fn)``, expect CheckFailed, and return its message after checking ``words`` in it."""
    with pytest.raises(CheckFailed) as info:
        checker(fn)
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} not in:\n{message}"
    return message
