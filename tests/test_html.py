"""The static book (`make html`): a page per solution notebook, with its figures and its math,
an index that links them all, and nothing loaded from the network.

The book is built once into a temporary folder from the stored outputs (no notebook is run);
`make test-browser` also opens the pages in Chromium and checks that MathJax typesets them offline.
"""
import base64
import re
from pathlib import Path

import nbformat
import pytest

from bncourse.tools import build_html

SOLUTIONS = sorted(build_html.SOLUTIONS.glob("[0-9][0-9]-*.ipynb"))
PNG_DATA = re.compile(r'<img[^>]+src="data:image/png;base64,([A-Za-z0-9+/=\s]+)"')


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    out = tmp_path_factory.mktemp("book") / "html"
    build_html.build(out)
    return out


def figures(nb):
    return sum("image/png" in out.get("data", {}) for c in nb.cells if c.cell_type == "code"
               for out in c.get("outputs", []))


def formulas(nb):
    """The inline and display formulas ($...$ / $$...$$) of the markdown cells."""
    found = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text = re.sub(r"```.*?```|`[^`]*`", "", cell.source, flags=re.S)
            found += re.findall(r"\$\$(.+?)\$\$|\$([^$\n]+)\$", text, flags=re.S)
    return [a or b for a, b in found]


def test_the_index_links_every_notebook_in_order(book):
    index = (book / "index.html").read_text()
    links = re.findall(r'<li><a href="([0-9][0-9]-[^"#]+\.html)">', index)
    assert links == [f"{p.stem}.html" for p in SOLUTIONS]
    assert "#" in index and index.count("<ul>") >= 1, "the contents list each notebook's sections"


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_each_page_holds_its_figures_and_math(book, solution):
    nb = nbformat.read(solution, as_version=4)
    page = (book / f"{solution.stem}.html").read_text()
    # figures: embedded in the page, real PNG data, at least one per stored figure
    images = PNG_DATA.findall(page)
    assert len(images) >= figures(nb)
    for data in images:
        assert base64.b64decode(re.sub(r"\s", "", data))[:8] == b"\x89PNG\r\n\x1a\n"
    # math: every formula of the text is on the page as TeX, for MathJax to typeset
    tex = formulas(nb)
    assert tex, "a notebook of the course states its formulas in LaTeX"
    for formula in tex[:20]:
        assert formula.strip()[:30].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
            in page, f"formula missing from the page: {formula[:60]}"
    # the checkers' green lines are on the page too
    if any("checker" in c.metadata.get("tags", []) for c in nb.cells):
        assert "\u2714" in page


def test_math_is_typeset_from_a_copy_inside_the_book(book):
    mathjax = book / build_html.MATHJAX_URL
    assert mathjax.stat().st_size > 1_000_000   # the whole TeX-to-SVG build, fonts included
    for solution in SOLUTIONS:
        page = (book / f"{solution.stem}.html").read_text()
        assert f'<script src="{build_html.MATHJAX_URL}"' in page
        assert "window.MathJax" in page


def test_no_page_loads_anything_from_the_network(book):
    for page in book.glob("*.html"):
        text = page.read_text()
        assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', text), page.name


def test_pages_link_to_their_neighbours(book):
    first = (book / f"{SOLUTIONS[0].stem}.html").read_text()
    assert 'href="index.html"' in first
    if len(SOLUTIONS) > 1:
        assert f'href="{SOLUTIONS[1].stem}.html"' in first


def test_a_notebook_that_never_ran_is_refused(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 99 · Draft"),
                                         nbformat.v4.new_code_cell("1 + 1")])
    path = tmp_path / "99-draft.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(build_html.BookError, match="never run"):
        build_html.build(tmp_path / "out", [path])


def test_the_teaching_guide_is_a_page_of_the_book(book):
    page = (book / build_html.GUIDE_PAGE).read_text()
    index = (book / "index.html").read_text()
    assert f'href="{build_html.GUIDE_PAGE}"' in index
    assert "<table" in page and build_html.GUIDE_TITLE in page
    assert "check_forward" in page and "unbiased variance: you divided by N - 1" in page
    assert f'<script src="{build_html.MATHJAX_URL}"' in page and 'href="index.html"' in page
    assert "BEGIN GENERATED" not in re.sub(r"<!--.*?-->", "", page, flags=re.S), "the markers stay comments"


def hidden_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and "hide-input" in c.metadata.get("tags", [])]


def test_figure_code_collapsed_in_the_notebook_is_hidden_in_the_book(book):
    collapsed = [(p, c) for p in SOLUTIONS for c in hidden_cells(nbformat.read(p, as_version=4))]
    assert collapsed, "some figure code is collapsed (tag hide-input)"
    for path, cell in collapsed:
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, \
            f"{path.name}: a cell tagged hide-input is not collapsed in JupyterLab"
        page = (book / f"{path.stem}.html").read_text()
        first_line = cell.source.splitlines()[0]
        assert first_line.strip() and html_escape(first_line) not in page, \
            f"{path.name}: the hidden code is shown in the book: {first_line}"
        assert len(PNG_DATA.findall(page)) >= figures(nb_of(path)), "its figure is still there"


def html_escape(text):
    import html
    return html.escape(text, quote=False)


def nb_of(path):
    return nbformat.read(path, as_version=4)


def proof_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and "proof" in c.metadata.get("tags", [])]


def test_a_long_proof_is_collapsed_in_the_notebooks_and_opens_from_its_first_line_in_the_book(book):
    """A proof cell (tag proof) is collapsed in the solution and in the learner copy, its first line says
    what it proves (JupyterLab shows that line on the collapsed cell), and the book shows that line as the
    summary of a <details> that holds its code."""
    from bncourse.notebook import learner_notebook
    found = [(p, c) for p in SOLUTIONS for c in proof_cells(nbformat.read(p, as_version=4))]
    assert {p.name[:2] for p, _ in found} >= {"02", "03", "04", "05", "10"}
    for path in {p for p, _ in found}:
        learner = learner_notebook(path)
        page = (book / f"{path.stem}.html").read_text()
        summaries = re.findall(r'<details class="bn-proof"><summary>(.*?)</summary>', page, flags=re.S)
        cells = proof_cells(nbformat.read(path, as_version=4))
        assert len(summaries) == len(cells), path.name
        for cell, summary in zip(cells, summaries):
            first = cell.source.splitlines()[0]
            assert first.startswith("# Proof") and len(first) > 40, f"{path.name}: {first!r} says what it proves"
            assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, f"{path.name}: {first}"
            assert html_escape(first.lstrip("# ")) == summary.strip()
            twin = next(c for c in learner.cells if c.get("id") == cell.get("id"))
            assert twin.metadata.get("jupyter", {}).get("source_hidden") is True, "the learner copy keeps it collapsed"
