"""The teaching guide (docs/teaching.md): its generated blocks are current, its catalogue of
mistakes is the checkers' own, and its numbers follow from the notebooks."""
import re

import nbformat
import pytest

from bncourse.tools import nbgrader_course
from bncourse.tools import student
from bncourse.tools import teaching_guide as guide
from bncourse.checks import backward, forward


def test_the_generated_blocks_are_current():
    text = guide.GUIDE.read_text(encoding="utf-8")
    assert guide.render(text, guide.blocks()) == text, "docs/teaching.md is out of date: run `make guide`"
    readme = guide.README.read_text(encoding="utf-8")
    assert guide.render(readme, guide.readme_blocks()) == readme, "README.md is out of date: run `make guide`"


def outside_generated_blocks(text):
    return re.sub(r"<!-- BEGIN GENERATED: (\w+) -->.*?<!-- END GENERATED: \1 -->", "", text, flags=re.S)


def test_no_count_of_the_course_in_the_readme_can_fall_behind():
    """Counts of notebooks, exercises, questions and points are generated; none is written by hand."""
    readme = guide.README.read_text(encoding="utf-8")
    by_hand = outside_generated_blocks(readme)
    numbers = r"(\d+|two|three|five|ten|twelve|thirteen|fourteen|fifteen|sixteen)"
    assert not re.findall(rf"\b{numbers} (?:solution )?(?:notebooks|exercises|questions)\b", by_hand, flags=re.I)
    assert not re.search(r"\b\d+ in all\b", by_hand)
    notebooks, exercises, questions = guide.course_contents().counts
    assert f"{notebooks} notebooks, with {exercises} code exercises and {questions} conceptual questions" in readme
    for path in student.solution_paths():
        assert f"| `{path.stem}` |" in readme, path.stem


def test_every_time_the_guide_shows_says_it_comes_from_the_word_count_formula():
    text = guide.GUIDE.read_text(encoding="utf-8")
    block = re.search(r"<!-- BEGIN GENERATED: times -->(.*?)<!-- END GENERATED: times -->", text, re.S).group(1)
    rows = [line for line in block.strip().splitlines()[2:]]
    assert rows and all(line.rstrip(" |").endswith("estimated") for line in rows), rows
    assert "word-count formula (not measured)" in block.splitlines()[1]
    for line in outside_generated_blocks(text).splitlines():
        if re.search(r"\| minutes", line):
            assert "word-count estimates" in line, line


def test_render_replaces_a_stale_block_and_refuses_a_missing_one():
    text = "a\n<!-- BEGIN GENERATED: times -->\nold\n<!-- END GENERATED: times -->\nb\n"
    assert guide.render(text, {"times": "new"}) == \
        "a\n<!-- BEGIN GENERATED: times -->\nnew\n<!-- END GENERATED: times -->\nb\n"
    with pytest.raises(ValueError, match="mistakes"):
        guide.render(text, {"mistakes": "x"})


def test_the_catalogue_holds_every_mistake_table_of_the_checkers():
    catalogue = guide.mistake_catalogue()
    problems = {name: [p for p, _ in entries] for name, entries in catalogue.items()}
    assert all(m.problem in problems["check_forward"] for m in forward.MISTAKES)
    assert all(m.problem in problems["check_backward"] for m in backward.DX_MISTAKES)
    assert all(m.problem in problems["check_gamma_beta"] for m in backward.STATISTICS_MISTAKES)
    # inline candidate tables, fixed CheckFailed problems and case tables are read too
    assert "you returned the standard deviation, not the variance" in problems["check_batch_variance"]
    assert "the two results are in the wrong order" in problems["check_xhat_backward"]
    assert any("unbiased variance" in p for p in problems["check_judge_dx"])


def test_every_exercise_checker_names_several_mistakes():
    catalogue = guide.mistake_catalogue()
    for path, _, _, _, exercises in guide.notebook_facts():
        for e in exercises:
            if e.check == "check_answer":      # a question: its reasons are sealed, not a catalogue
                continue
            assert len(catalogue[e.check]) >= 2, f"{e.id}: {e.check} names {len(catalogue[e.check])} mistakes"
            assert all(problem.strip() for problem, _ in catalogue[e.check])


def test_the_guide_lists_every_exercise_with_its_checker_and_points():
    text = guide.GUIDE.read_text(encoding="utf-8")
    for path in student.solution_paths():
        for e in nbgrader_course.find_exercises(nbformat.read(path, as_version=4), path.name[:2]):
            assert re.search(rf"^\| {re.escape(e.id)} \| .* \| `{e.check}` \| {nbgrader_course.points(e)} \|$",
                             text, flags=re.M), e.id
            assert f"**`{e.check}`**" in text


def test_the_time_estimate_follows_the_stated_rule():
    assert guide.minutes(1000, 0, 0) == 10           # 100 words a minute
    assert guide.minutes(0, 10, 0) == 5              # half a minute a code cell
    assert guide.minutes(0, 0, 2) == 20              # ten minutes an exercise
    assert guide.minutes(1001, 0, 0) == 15           # rounded up to 5 minutes
    assert guide.minutes(0, 0, 0, 5) == 10           # two minutes a question
    for path, title, words, code, exercises in guide.notebook_facts():
        assert words > 500 and code > 0 and title.startswith(path.name[:2])

