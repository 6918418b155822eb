"""The generated parts of the teaching guide, docs/teaching.md, and of README.md: `make guide`.

    python -m bncourse.tools.teaching_guide --write    # rewrite the generated blocks of both files
    python -m bncourse.tools.teaching_guide --check    # exit 1 if they are out of date (writes nothing)

docs/teaching.md is written by hand except between marker lines
``<!-- BEGIN GENERATED: name -->`` and ``<!-- END GENERATED: name -->``. Those
blocks are computed here from the course itself:

* ``times``: per notebook, the words of its text, its code cells, its exercises
  and the time a learner needs (:func:`minutes`);
* ``exercises``: every exercise, its checker and its points in the nbgrader release;
* ``mistakes``: the catalogue of the mistakes each checker names
  (:func:`mistake_catalogue`, read from the checkers' own code);
* ``core_path``: the core path of :mod:`bncourse.core_path`, in the README too.

README.md has blocks of its own: ``notebooks`` (the table of notebooks, from
:func:`bncourse.notebook.course_contents`, as notebook 00 shows it), ``counts`` (how many
notebooks, exercises and questions) and ``points`` (the nbgrader points). So no count in the
README falls behind when a notebook or an exercise is added.

The times are an estimate by a formula on word counts (:func:`minutes`), never a measurement, and
every time shown says so. A test (tests/test_teaching_guide.py) fails while a block is out of date.
"""
import argparse
import ast
import inspect
import re
import sys
from pathlib import Path

import nbformat

from bncourse.tools import nbgrader_course
from bncourse.tools import student

from bncourse import ROOT
from bncourse.core_path import MINUTES as CORE_MINUTES, core_path_table
from bncourse.notebook import course_contents, estimated_minutes
GUIDE = ROOT / "docs" / "teaching.md"
README = ROOT / "README.md"
ESTIMATE = "by the word-count formula"      # said next to every time the guide shows

# The time a learner needs: the formula of bncourse.notebook (words, code cells, exercises, questions).
minutes = estimated_minutes


# ----------------------------------------------------------------------------- the mistakes

def mistake_catalogue():
    """{checker name: [(problem, hint), ...]}: every mistake that each checker of bncourse.checks
    names, in the order the checker tries them, read from the checkers' own code.

    Found in the source of the checker and of the helpers and tables of its module that
    it uses: ``Mistake(group, value, problem, hint)`` entries; candidate tables of
    ``(wrong value, problem, hint)``; case tables of ``(formula, "wrong", what, habit)``
    (a judge that accepts ``what``); ``CheckFailed(exercise, problem, hint)`` with a
    fixed problem; ``problem, hint = "...", "..."``. Messages built at run time
    (f-strings) are left out: they are the generic ones every checker shares.
    """
    import bncourse.checks as checks

    catalogue, checkers = {}, sorted(n for n in dir(checks) if n.startswith("check_"))
    for name in checkers:
        function = getattr(checks, name)
        module = inspect.getmodule(function)
        tree = ast.parse(inspect.getsource(module))
        definitions = {}
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.Assign)):
                targets = [node.name] if isinstance(node, ast.FunctionDef) else \
                    [t.id for t in node.targets if isinstance(t, ast.Name)]
                for target in targets:
                    definitions[target] = node
        entries = []
        others = set(checkers) - {name}
        for node in _reachable(definitions[name], {k: v for k, v in definitions.items() if k not in others}):
            entries += _mistakes_in(node)
        catalogue[name] = list({problem: (problem, hint) for problem, hint in reversed(entries)}.values())[::-1]
    return catalogue


def _reachable(start, definitions):
    """The definition ``start`` and every module-level function or table it uses, in order."""
    seen, order, todo = set(), [], [start]
    while todo:
        node = todo.pop(0)
        if id(node) in seen:
            continue
        seen.add(id(node))
        order.append(node)
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and sub.id in definitions:
                todo.append(definitions[sub.id])
    return order


def _text(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _mistakes_in(node):
    found = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name):
            args = [_text(a) for a in sub.args]
            if sub.func.id == "Mistake" and len(args) == 4 and args[2]:
                found.append((args[2], args[3] or ""))
            elif sub.func.id == "CheckFailed" and len(args) >= 2 and args[1]:
                found.append((args[1], args[2] if len(args) > 2 and args[2] else ""))
        elif isinstance(sub, ast.Tuple):
            texts = [_text(e) for e in sub.elts]
            if len(texts) == 3 and texts[0] is None and texts[1] and texts[2] is not None:
                found.append((texts[1], texts[2]))           # (wrong value, problem, hint)
            elif len(texts) == 4 and texts[1] == "wrong" and texts[2]:
                found.append((f"the judge accepts {texts[2]}", texts[3] or ""))
        elif isinstance(sub, ast.Assign) and isinstance(sub.value, ast.Tuple) and len(sub.targets) == 1 \
                and isinstance(sub.targets[0], ast.Tuple) and len(sub.value.elts) == 2:
            texts = [_text(e) for e in sub.value.elts]
            names = [getattr(t, "id", "") for t in sub.targets[0].elts]
            if names == ["problem", "hint"] and all(texts) and texts[0] != "wrong values":
                found.append(tuple(texts))
    return found


# ----------------------------------------------------------------------------- notebooks

def notebook_facts():
    """Per solution notebook: (path, title, markdown words, code cells, exercises)."""
    facts = []
    for path in student.solution_paths():
        nb = nbformat.read(path, as_version=4)
        title = next((line.lstrip("#").strip() for c in nb.cells if c.cell_type == "markdown"
                      for line in c.source.splitlines() if line.startswith("# ")), path.stem)
        words = sum(len(c.source.split()) for c in nb.cells if c.cell_type == "markdown")
        code = sum(1 for c in nb.cells if c.cell_type == "code")
        facts.append((path, title, words, code, nbgrader_course.find_exercises(nb, path.name[:2])))
    return facts


def is_question(exercise):
    """A conceptual question (checked by check_answer), not a code exercise."""
    return exercise.check == "check_answer"


def times_block(facts):
    lines = [f"| notebook | words of text | code cells | exercises | questions | time, {ESTIMATE} (not measured) |",
             "|---|---:|---:|---:|---:|---:|"]
    total = n_code = n_questions = 0
    for path, title, words, code, exercises in facts:
        questions = sum(map(is_question, exercises))
        m = minutes(words, code, len(exercises) - questions, questions)
        total, n_code, n_questions = total + m, n_code + len(exercises) - questions, n_questions + questions
        lines.append(f"| `{path.stem}` | {words} | {code} | {len(exercises) - questions} | {questions} | "
                     f"{m} min, estimated |")
    lines.append(f"| **all** | {sum(f[2] for f in facts)} | {sum(f[3] for f in facts)} | "
                 f"{n_code} | {n_questions} | {total} min ({total / 60:.1f} h), estimated |")
    return "\n".join(lines)


def _cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def _plain(text):
    """A checker's message as Markdown that shows it literally (x**2 is not bold, $ is not math)."""
    return _cell(re.sub(r"([\\`*_<>$\[\]])", r"\\\1", text))


def exercises_block(facts):
    lines = ["| exercise | title | checker | points |", "|---|---|---|---:|"]
    for _, _, _, _, exercises in facts:
        for e in exercises:
            lines.append(f"| {e.id} | {_cell(e.title)} | `{e.check}` | {nbgrader_course.points(e)} |")
    return "\n".join(lines)


def mistakes_block(facts):
    catalogue = mistake_catalogue()
    used = {}
    for _, _, _, _, exercises in facts:
        for e in exercises:
            used.setdefault(e.check, []).append(e.id)
    parts = []
    for check, ids in used.items():
        entries = catalogue.get(check, [])
        parts.append(f"**`{check}`** (exercise {', '.join(ids)}): {len(entries)} named mistakes\n")
        parts += [f"- {_plain(problem)}" + (f" *Hint:* {_plain(hint)}" if hint else "") for problem, hint in entries]
        parts.append("")
    return "\n".join(parts).rstrip()


def core_path_block():
    """The core path (bncourse/core_path.py) as a table, with the sentence that says how its time is estimated."""
    table = core_path_table()
    return (table.markdown() + f"\n\nAbout {table.minutes} minutes {ESTIMATE} (not measured), within the "
            f"{CORE_MINUTES} the path is planned for.")


def blocks():
    facts = notebook_facts()
    return {"times": times_block(facts), "exercises": exercises_block(facts), "mistakes": mistakes_block(facts),
            "core_path": core_path_block()}


def readme_blocks():
    """The generated blocks of README.md: the table of notebooks, the counts, the points."""
    contents = course_contents()
    notebooks, exercises, questions = contents.counts
    doubled = sorted(e for e, p in nbgrader_course.POINTS.items() if p > nbgrader_course.DEFAULT_POINTS)
    total = 0
    for path, _, _, _, found in notebook_facts():
        total += sum(nbgrader_course.points(e) for e in found)
    return {
        "core_path": core_path_block(),
        "notebooks": contents.markdown(),
        "counts": (f"The course has {notebooks} notebooks, with {exercises} code exercises and {questions} "
                   f"conceptual questions ({exercises + questions} in all)."),
        "points": (f"**Points:** one per exercise; two for the {len(doubled)} exercises that assemble a whole "
                   f"pass or gradient out of several chain-rule terms ({', '.join(doubled)}): {total} in all."),
    }


def render(text, generated, name_of_file=GUIDE.name):
    """``text`` with each generated block replaced by its current content."""
    for name, body in generated.items():
        pattern = re.compile(rf"(<!-- BEGIN GENERATED: {name} -->\n).*?(\n?<!-- END GENERATED: {name} -->)", re.S)
        if not pattern.search(text):
            raise ValueError(f"{name_of_file} has no block {name!r}")
        text = pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2).lstrip("\n"), text)
    return text


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether the guide is current")
    parser.add_argument("--write", action="store_true", help="rewrite the generated blocks")
    args = parser.parse_args(argv)
    status = 0
    for path, generated in ((GUIDE, blocks()), (README, readme_blocks())):
        text = path.read_text(encoding="utf-8")
        new = render(text, generated, path.name)
        if args.check or not args.write:
            if new != text:
                print(f"{path.relative_to(ROOT)} is out of date: run `make guide`")
                status = 1
            else:
                print(f"{path.relative_to(ROOT)} is current")
        elif new != text:
            path.write_text(new, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
