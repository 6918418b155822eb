"""The static book in the browser: formulas typeset offline, figures loaded."""
import time

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


def test_book_page(page, path):
    """Open one page of the static book from disk, all network requests refused."""
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
    return problems


