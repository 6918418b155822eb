"""The course as a learner meets it: JupyterLab in a real (headless) browser.

    python -m bncourse.tools.browser_test                       # every notebook, solution and learner copy
    python -m bncourse.tools.browser_test 00 03                 # chosen notebooks (by number)
    python -m bncourse.tools.browser_test --book _build/html    # also read the static book in the browser

Starts JupyterLab from the course environment on a free loopback port with a
token, a temporary settings and workspaces folder (news pop-up off) and its
root on a temporary copy of notebooks/ (JupyterLab autosaves: the committed
notebooks are never opened). Drives Debian's Chromium (/usr/bin/chromium)
with Playwright, runs every cell through the Run menu, and checks what a
learner sees:

* solution notebook: every checker cell shows its green tick line, every
  figure is an image that loaded, every formula is typeset (no raw `$$`),
  no cell shows an error;
* learner copy: every checker shows the short "not done yet" diagnosis (no
  traceback), no other cell fails, and the cells after a failing checker
  still run;
* the learner's loop (when 00 and 03 are chosen): in 03-gamma-beta, a wrong
  dgamma is typed and its checker names the mistake, then a right one passes;
  the notebook is saved (Ctrl+S) and bncourse.progress classifies it; Run All in
  00-start-here shows the progress table with that exercise done.

With --book, each page of the static book is opened too: its formulas must be
typeset by the MathJax copy inside the book (no network), its figures load and
show the text alternatives of their cells.

Accessibility: axe-core (from axe-playwright-python) scans every page of the
book and, in JupyterLab, the outputs and Markdown of every notebook (not
JupyterLab's own interface); a serious or critical violation fails the page,
and the counts per page and in total are printed. A small notebook made for the
test (in the temporary root) checks that a figure shows its cell's alt in
JupyterLab and that a figure you can move (bncourse.widgets) changes when its
control is moved with the keyboard.

One screenshot per notebook goes to build/screenshots/. Exit status 0 when
everything holds; the last line is "N passed, N failed".
"""
import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from bncourse import ROOT

import nbformat

from bncourse.tools.browser.axe import Tally, blocking, scan
from bncourse.tools.browser.book import test_book_page
from bncourse.tools.browser.lab import (CHROMIUM, CHROMIUM_FLAGS, DEFAULT, REQUIRED, SCREENSHOTS, SOLUTIONS, Lab,
                                         screenshot)
from bncourse.tools.browser.notebooks import test_learners_loop, test_notebook
from bncourse.tools.browser.widgets import test_mechanisms

# ----------------------------------------------------------------------------- main

def select(wanted):
    """Solution notebooks named by number ("00"), or all of them; a missing one is an error."""
    available = sorted(SOLUTIONS.glob("[0-9][0-9]-*.ipynb"))
    if wanted == ["all"]:
        present = {p.name[:2] for p in available}
        return available, [n for n in REQUIRED if n not in present]
    chosen, missing = [], []
    for number in wanted:
        found = [p for p in available if p.name.startswith(f"{number}-")]
        (chosen.extend(found) if found else missing.append(number))
    return chosen, missing


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*",
                        help=f"notebook numbers, or 'all' (default: {' '.join(DEFAULT)}; "
                        "or the environment variable NOTEBOOKS)")
    parser.add_argument("--book", type=Path, help="also check the static book built in this folder")
    args = parser.parse_args(argv)
    wanted = args.notebooks or os.environ.get("NOTEBOOKS", "").split() or DEFAULT
    solutions, missing = select(wanted)

    if not Path(CHROMIUM).exists():
        print(f"no browser at {CHROMIUM}: `make test-browser` installs Debian's chromium "
              "(or set CHROMIUM to another Chromium)", file=sys.stderr)
        return 2
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("Playwright is missing: `make test-browser` installs requirements-browser.txt",
              file=sys.stderr)
        return 2

    for old in SCREENSHOTS.glob("*.png"):   # the folder shows this run only
        old.unlink()
    results = []   # (name, problems, seconds)
    tally = Tally()
    for number in missing:
        results.append((f"notebook {number}", [f"no solution notebook {number}-*.ipynb"], 0.0))
    with tempfile.TemporaryDirectory(prefix="bn-browser-") as workdir, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        # nothing but the local server: a page that reaches out would hang offline
        context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/]).*"), lambda route: route.abort())
        lab = Lab(workdir)
        try:
            page = context.new_page()
            for sol in solutions:
                for kind, rel in (("solution", f"solutions/{sol.name}"), ("learner", sol.name)):
                    if not (lab.root / rel).exists():
                        results.append((rel, ["missing (run `make student`)"], 0.0))
                        continue
                    try:
                        problems, seconds, shot = test_notebook(page, lab, rel, kind, tally)
                    except Exception as exc:  # a timeout or a crash of the page: report, go on
                        problems, seconds, shot = [f"{type(exc).__name__}: {exc}"], 0.0, None
                        try:
                            screenshot(page, Path(rel).stem + ("" if kind == "solution" else "-learner"))
                            page.close()
                        except Exception:
                            pass
                        page = context.new_page()
                    results.append((rel, problems, seconds))
                    status = "ok" if not problems else "FAILED"
                    print(f"{status:6} {rel:45} {seconds:5.1f} s  {os.path.relpath(shot, ROOT) if shot else ''}",
                          flush=True)
            try:
                problems, seconds = test_mechanisms(page, lab, tally)
            except Exception as exc:
                problems, seconds = [f"{type(exc).__name__}: {exc}"], 0.0
                screenshot(page, "check-widgets-and-alt-failed")
                page.close()
                page = context.new_page()
            results.append(("figures' alt and a figure you can move, in JupyterLab", problems, seconds))
            print(f"{'ok' if not problems else 'FAILED':6} {'alt texts, a movable figure moved by keyboard':45} "
                  f"{seconds:5.1f} s", flush=True)
            if {"00", "03"} <= {sol.name[:2] for sol in solutions}:
                try:
                    problems, seconds = test_learners_loop(page, lab)
                except Exception as exc:
                    problems, seconds = [f"{type(exc).__name__}: {exc}"], 0.0
                    screenshot(page, "loop-failed")
                results.append(("the learner's loop (03 wrong, right, saved; 00's table)", problems, seconds))
                print(f"{'ok' if not problems else 'FAILED':6} {'the learner loop: 03.1 wrong, right, progress':45} "
                      f"{seconds:5.1f} s", flush=True)
            if args.book:
                for sol in solutions:
                    html = args.book / f"{sol.stem}.html"
                    if not html.exists():
                        results.append((f"book {html.name}", ["page missing (run `make html`)"], 0.0))
                        continue
                    start = time.monotonic()
                    problems = test_book_page(page, html.resolve(), nbformat.read(sol, as_version=4), tally)
                    seconds = time.monotonic() - start
                    results.append((f"book {html.name}", problems, seconds))
                    print(f"{'ok' if not problems else 'FAILED':6} {'book/' + html.name:45} {seconds:5.1f} s",
                          flush=True)
                    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(SCREENSHOTS / f"book-{sol.stem}.png"))
                guide = args.book / "teaching.html"   # the teaching guide, a page of the book too
                if guide.exists():
                    problems = test_book_page(page, guide.resolve(), tally=tally)
                    results.append(("book teaching.html", problems, 0.0))
                    print(f"{'ok' if not problems else 'FAILED':6} book/teaching.html", flush=True)
                    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(SCREENSHOTS / "book-teaching.png"))
                index = args.book / "index.html"
                links = []
                if index.exists():
                    page.goto(index.resolve().as_uri())
                    links = page.locator("ol.bn-toc > li > a").evaluate_all(
                        "as => as.map(a => a.getAttribute('href'))")
                expected = [f"{sol.stem}.html" for sol in solutions]
                problems = [] if all(e in links for e in expected) else [f"contents list {links}, expected {expected}"]
                if index.exists():
                    violations = scan(page)
                    tally.add("book index.html", violations)
                    problems += blocking(violations)
                results.append(("book index.html", problems, 0.0))
                print(f"{'ok' if not problems else 'FAILED':6} book/index.html", flush=True)
                page.screenshot(path=str(SCREENSHOTS / "book-index.png"))
        finally:
            lab.stop()
            browser.close()
        failed = [(name, problems) for name, problems, _ in results if problems]
        for name, problems in failed:
            print(f"\n{name}:")
            for p in problems:
                print(f"  - {p}")
        if failed and any("did not run" in p for _, ps in failed for p in ps):
            print("\nJupyterLab log (end):\n" + lab.log_text())
    if tally.rows:
        print("\n" + tally.report())
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
