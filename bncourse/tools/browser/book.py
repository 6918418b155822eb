"""The static book in the browser: formulas typeset offline, figures loaded with their text
alternatives, and axe-core's scan of every page."""
import time

from bncourse.alt_text import NO_DESCRIPTION, cell_alt, figure_outputs, output_alt

from .axe import blocking, scan

# ----------------------------------------------------------------------------- the static book

BOOK_JS = r"""
() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('code, pre, script, style, mjx-container, .jp-OutputArea')
      .forEach(n => n.remove());
  return {
    typeset: document.querySelectorAll('mjx-container').length,
    errors: document.querySelectorAll('mjx-merror, [data-mjx-error]').length,
    images: [...document.querySelectorAll('img')].map(i => i.complete && i.naturalWidth > 0),
    alts: [...document.querySelectorAll('.jp-OutputArea-output img')].map(i => i.getAttribute('alt')),
    rawDollars: (body.textContent.match(/\$\$/g) || []).length,
    reportFormulas: [...document.querySelectorAll('.bn-posts-report')]
                      .reduce((n, r) => n + Number(r.dataset.formulas), 0),
    reportTypeset: document.querySelectorAll('.bn-posts-report mjx-container').length,
    reportRaw: [...document.querySelectorAll('.bn-posts-report')].map(r => {
                  const k = r.cloneNode(true);
                  k.querySelectorAll('mjx-container').forEach(n => n.remove());
                  return k.textContent; }).join(' ').includes('$'),
  };
}
"""


def expected_alts(nb):
    """The text alternative of each figure output of a notebook, in order (None: it has none)."""
    return [output_alt(out) or cell_alt(cell) for cell in nb.cells for out in figure_outputs(cell)]


def check_alts(shown, nb):
    """Each figure with a text alternative shows it as its alt; returns (problems, figures with one)."""
    wanted = expected_alts(nb)
    problems = []
    for k, alt in enumerate(wanted):
        if alt and alt not in shown:
            problems.append(f"figure {k + 1}: its alt text is not on the page: {alt[:80]!r}")
    return problems, sum(1 for a in shown if a and a != NO_DESCRIPTION)


def test_book_page(page, path, nb=None, tally=None):
    """Open one page of the static book from disk, all network requests refused. With ``nb`` (its
    notebook), check the figures' alt texts; with ``tally``, scan the page with axe-core."""
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    deadline = time.monotonic() + 30
    while True:
        shown = page.evaluate(BOOK_JS)
        if shown["typeset"] or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    page.wait_for_timeout(500)
    shown = page.evaluate(BOOK_JS)
    problems = []
    if not shown["typeset"]:
        problems.append("no formula typeset by MathJax")
    if shown["errors"]:
        problems.append(f"{shown['errors']} MathJax errors")
    if shown["rawDollars"]:
        problems.append(f"raw $$ left {shown['rawDollars']} times")
    if not all(shown["images"]):
        problems.append("an image did not load")
    if shown["reportTypeset"] < shown["reportFormulas"]:
        problems.append(f"tables of the posts: {shown['reportTypeset']} formulas typeset, "
                        f"{shown['reportFormulas']} expected")
    if shown["reportRaw"]:
        problems.append("tables of the posts: a raw $ left")
    if nb is not None:
        missing, described = check_alts(shown["alts"], nb)
        problems += missing
        if tally is not None:
            tally.figures[path.name] = (described, len(shown["alts"]))
    if tally is not None:
        violations = scan(page)
        tally.add(f"book {path.name}", violations)
        problems += blocking(violations)
    return problems


