"""The table of the posts as typeset mathematics, one post at a time (notebook 06).

:func:`post_report` reads the committed table (no SymPy) and returns an HTML object whose formulas
are TeX between ``$ ... $``: JupyterLab's MathJax typesets them in the output area, and so does the
MathJax copy inside the static book (``make html``). Each row shows the claim as printed, the verdict
(coloured), the correct form beside it and the evidence.

The table holds a formula either alone (a claim such as ``\\mu_B = (1/m) \\sum_i x_i``) or inside a
sentence (an evidence such as "x_i where \\hat x_i belongs"). :func:`typeset` finds the formulas of a
sentence: a run of words that contain a TeX command, an index or an exponent, with the operators,
numbers and brackets between them, and puts it between dollars; plain words stay text.
"""
import html
import re

from bncourse.figures.style import VERDICT_COLOURS, text_colour_on

__all__ = ["VERDICT_COLOURS", "badge_style", "typeset", "post_report"]

# VERDICT_COLOURS: the colour of each verdict (the same in the bar chart of notebook 06), from the
# course's palette (bncourse.figures.style); the word on a badge is black or white, whichever
# contrasts more (at least 4.5:1: tests/test_accessibility.py).

_STRONG = re.compile(r"\\[A-Za-z,;:! ]|[_^{}]")         # a TeX command, an index, an exponent, braces
_CODE = re.compile(r"^[^\\]*[A-Za-z]_[A-Za-z]{2,}")      # a code name such as X_norm: not a formula
_COMMAND_AT_END = re.compile(r"\\(hat|bar|tilde|sqrt|frac|sum|partial|text|mathrm)$")   # its argument follows
_TRAILING = ",.;:'\""


def _is_math(word):
    return bool(_STRONG.search(word)) and not _CODE.search(word)


def _is_glue(word):
    """Operators, numbers, brackets and one-letter names: part of a formula between two formula words."""
    return not re.search(r"[A-Za-z]{2,}", word) and not _CODE.search(word)


def _balanced(words):
    text = " ".join(words)
    return text.count("{") == text.count("}")


def _formula_end(words, i):
    """The index after the formula that starts at words[i]."""
    j = i + 1
    while j < len(words):
        previous, word = words[j - 1], words[j]
        if (_is_math(word) or not _balanced(words[i:j]) or _COMMAND_AT_END.search(previous)
                or (_is_glue(word) and (previous == "=" or word == "="
                                        or all(_is_glue(w) for w in words[j + 1:])
                                        or any(_is_math(w) for w in words[j + 1:j + 3])))):
            j += 1
        else:
            break
    return j


def typeset(text):
    r"""HTML of ``text`` with each formula in it between dollars: ``"x_i where \hat x_i"`` gives
    ``"$x_i$ where $\hat x_i$"``. A text that is one formula as a whole is one ``$...$``."""
    words = text.split()
    out, i = [], 0
    while i < len(words):
        if not _is_math(words[i]):
            out.append(html.escape(words[i]))
            i += 1
            continue
        j = _formula_end(words, i)
        formula = " ".join(words[i:j])
        head = tail = ""
        while formula and formula[-1] in _TRAILING:
            formula, tail = formula[:-1], formula[-1] + tail
        while formula.startswith("(") and formula.count("(") > formula.count(")"):
            formula, head = formula[1:], head + "("
        while formula.endswith(")") and formula.count(")") > formula.count("("):
            formula, tail = formula[:-1], ")" + tail
        out.append(html.escape(head) + "$" + html.escape(formula) + "$" + html.escape(tail))
        i = j
    return " ".join(out)


def _cell(text, code=False):
    """One table cell; a cell that is one formula as a whole keeps it on one line."""
    if code:
        return f"<td><code>{html.escape(text)}</code></td>"
    shown = typeset(text)
    whole = shown.startswith("$") and shown.endswith("$") and shown.count("$") == 2
    return f'<td class="bn-formula">{shown}</td>' if whole else f"<td>{shown}</td>"


def badge_style(verdict):
    """The inline style of a verdict's badge: its colour behind a black or white word."""
    colour = VERDICT_COLOURS.get(verdict, "#444444")
    return (f"background:{colour};color:{text_colour_on(colour)};border-radius:3px;padding:1px 6px;"
            "font-weight:bold;white-space:nowrap")


def _badge(verdict):
    return f'<span style="{badge_style(verdict)}">{html.escape(verdict)}</span>'


# Left-aligned cells, formulas at full size (scrolled sideways when wider than the page), the
# evidence in grey under its claim; the same in JupyterLab and in the book.
_STYLE = ("<style>"
          ".bn-posts-report{overflow-x:auto}"
          ".bn-posts-report table{border-collapse:collapse;font-size:95%}"
          ".bn-posts-report th,.bn-posts-report td{text-align:left !important;vertical-align:top;"
          "padding:3px 8px}"
          ".bn-posts-report tr.bn-claim{border-top:1px solid #ccc}"
          ".bn-posts-report td.bn-where{width:8em;min-width:8em;color:#555;font-size:85%}"
          ".bn-posts-report td.bn-formula,.bn-posts-report td.bn-verdict{white-space:nowrap}"
          ".bn-posts-report tr.bn-evidence td{color:#444;font-size:88%;padding-bottom:8px}"
          ".bn-posts-report mjx-container svg{max-width:none !important}"
          "</style>")


def _looks_like_code(row):
    return "code" in row["where"] and not _is_math(row["claim"])


def post_report(post, verdicts=None, rows=None):
    """One post's rows as an HTML table (``IPython.display.HTML``): where, the claim as printed, the
    verdict, the correct form, and the evidence under them, formulas typeset: rows = [r : r.post = post]."""
    from IPython.display import HTML

    from . import POSTS, read_table
    rows = read_table() if rows is None else rows
    chosen = [r for r in rows if r["post"] == post and (verdicts is None or r["verdict"] in verdicts)]
    if post not in POSTS:
        raise ValueError(f"no post {post!r}: the posts are {', '.join(POSTS)}")
    body = []
    for r in chosen:
        code = _looks_like_code(r)
        body.append(
            '<tr class="bn-claim">'
            f'<td class="bn-where" rowspan="2">{html.escape(r["where"])}</td>'
            f"{_cell(r['claim'], code)}"
            f'<td class="bn-verdict">{_badge(r["verdict"])}</td>'
            f"{_cell(r['correct_form'], code and not _is_math(r['correct_form']))}"
            "</tr>"
            f'<tr class="bn-evidence"><td colspan="3">{typeset(r["evidence"])}</td></tr>')
    formulas = sum(row.count("$") // 2 for row in body)
    # a region the keyboard reaches (tabindex), named by its post (and its rows, when it shows some of them:
    # two regions of a page need two names): the table scrolls sideways
    some = "" if rows is None and verdicts is None else \
        f", {'row' if len(chosen) == 1 else 'rows'} {', '.join(r['where'] for r in chosen)}"
    name = html.escape(f"Post {post}{some}: {POSTS[post]} (a wide table: scroll it sideways with the arrow keys)")
    page = (f'<div class="bn-posts-report" data-formulas="{formulas}" tabindex="0" role="region" '
            f'aria-label="{name}">{_STYLE}'
            f"<p><b>Post {post}</b>: {html.escape(POSTS[post])}, {len(chosen)} row{'s' * (len(chosen) != 1)}</p>"
            "<table><thead><tr><th>where</th><th>claim as printed</th><th>verdict</th><th>correct form</th>"
            "</tr></thead><tbody>" + "".join(body) + "</tbody></table></div>")
    return HTML(page)
