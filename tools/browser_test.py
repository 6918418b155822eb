"""The course as a learner meets it: JupyterLab in a real (headless) browser.

    python tools/browser_test.py                       # every notebook, solution and learner copy
    python tools/browser_test.py 00 03                 # chosen notebooks (by number)
    python tools/browser_test.py --book _build/html    # also read the static book in the browser

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
  the notebook is saved (Ctrl+S) and bnlib.progress classifies it; Run All in
  00-start-here shows the progress table with that exercise done.

With --book, each page of the static book is opened too: its formulas must be
typeset by the MathJax copy inside the book (no network) and its figures load.

One screenshot per notebook goes to build/screenshots/. Exit status 0 when
everything holds; the last line is "N passed, N failed".
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = NOTEBOOKS / "solutions"
SCREENSHOTS = ROOT / "build" / "screenshots"
REQUIRED = ["00", "01", "05", "10", "11"]   # always there: "all" without one of them fails
DEFAULT = ["all"]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-quic"]
RUN_TIMEOUT = 120  # seconds for one notebook to run all its cells

# Settings a learner would not notice: no news or update check (no network here), every
# cell attached to the page (so that all of them can be inspected), no autosave.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/extensionmanager-extension/plugin": {"enabled": False},
}


# ----------------------------------------------------------------------------- JupyterLab

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """JupyterLab on a temporary copy of notebooks/, stopped on exit."""

    def __init__(self, workdir):
        self.workdir = Path(workdir)
        self.root = self.workdir / "notebooks"
        shutil.copytree(NOTEBOOKS, self.root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        settings = self.workdir / "settings"
        for name, values in LAB_SETTINGS.items():
            path = settings / f"{name}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        for sub in ("workspaces", "config", "data", "runtime"):
            (self.workdir / sub).mkdir()
        self.port = free_port()
        self.token = os.urandom(16).hex()
        self.url = f"http://127.0.0.1:{self.port}"
        bindir = Path(sys.executable).parent
        cmd = [str(bindir / "jupyter"), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
               f"--LabApp.user_settings_dir={settings}",
               f"--LabApp.workspaces_dir={self.workdir / 'workspaces'}",
               "--LabApp.news_url=", "--ServerApp.terminals_enabled=False"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        env = dict(os.environ,
                   PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}",
                   JUPYTER_CONFIG_DIR=str(self.workdir / "config"),   # no user config
                   JUPYTER_DATA_DIR=str(self.workdir / "data"),       # no user kernels: the venv's
                   JUPYTER_RUNTIME_DIR=str(self.workdir / "runtime"),
                   PYTHONHASHSEED="0")
        env.pop("MPLBACKEND", None)  # figures inline, as a learner gets them
        self.log = open(self.workdir / "jupyterlab.log", "w")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                     cwd=self.root, start_new_session=True)
        self.wait_ready()

    def api(self, path, method="GET"):
        req = urllib.request.Request(f"{self.url}/api/{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = resp.read()
            return json.loads(body) if body else None

    def wait_ready(self, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited:\n{self.log_text()}")
            try:
                self.api("status")
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"JupyterLab did not answer within {timeout} s:\n{self.log_text()}")

    def log_text(self):
        if not self.log.closed:
            self.log.flush()
        return (self.workdir / "jupyterlab.log").read_text()[-4000:]

    def shutdown_kernels(self):
        for session in self.api("sessions"):
            self.api(f"sessions/{session['id']}", method="DELETE")

    def notebook_url(self, relpath):
        return f"{self.url}/lab/tree/{relpath}?token={self.token}&reset"

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


# ----------------------------------------------------------------------------- what the page shows

# One record per cell of the open notebook, in order (windowingMode "none": all are attached).
CELLS_JS = r"""
() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const cells = [...panel.querySelectorAll('.jp-Notebook .jp-Cell')];
  const visibleText = (el) => {
    const clone = el.cloneNode(true);
    clone.querySelectorAll('code, pre, mjx-container, mjx-assistive-mml, .MathJax, script')
         .forEach(n => n.remove());
    return clone.textContent;
  };
  return cells.map(c => {
    const outputs = [...c.querySelectorAll('.jp-OutputArea-output')];
    const md = c.querySelector('.jp-MarkdownOutput');
    return {
      type: c.classList.contains('jp-CodeCell') ? 'code'
          : c.classList.contains('jp-MarkdownCell') ? 'markdown' : 'raw',
      prompt: (c.querySelector('.jp-InputArea-prompt') || {textContent: ''}).textContent.trim(),
      hidden: c.querySelector('.jp-InputPlaceholder') !== null,   // code collapsed (source_hidden)
      errors: outputs.filter(o => o.getAttribute('data-mime-type') === 'application/vnd.jupyter.stderr')
                     .map(o => o.innerText),
      text: outputs.map(o => o.innerText).join('\n'),
      green: [...c.querySelectorAll('.jp-OutputArea-output .ansi-green-fg')].map(e => e.textContent),
      images: [...c.querySelectorAll('.jp-OutputArea-output img')]
                .map(i => i.complete && i.naturalWidth > 0),
      rendered: md !== null && !c.classList.contains('jp-mod-editMode') && md.offsetParent !== null,
      math: c.querySelectorAll('mjx-container').length,
      outputMath: c.querySelectorAll('.jp-OutputArea-output mjx-container').length,
      outputRaw: outputs.map(o => { const k = o.cloneNode(true);
                                    k.querySelectorAll('mjx-container').forEach(n => n.remove());
                                    return k.textContent; }).join('\n'),
      markdownText: md ? visibleText(md) : '',
    };
  });
}
"""

KERNEL_IDLE = '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator[data-status="idle"]'


def math_in(source):
    """Does a markdown source contain LaTeX (outside code spans and fences)?"""
    text = re.sub(r"```.*?```", "", source, flags=re.S)
    text = re.sub(r"`[^`]*`", "", text)
    return bool(re.search(r"\$[^$]+\$", text))


def open_notebook(page, lab, relpath):
    """Open a notebook and wait until its kernel is connected and idle."""
    with page.expect_websocket(lambda ws: "/api/kernels/" in ws.url, timeout=60_000):
        page.goto(lab.notebook_url(relpath))
    page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_selector(KERNEL_IDLE, timeout=60_000)


def ran(cell):
    """Has a code cell run? Its prompt shows a number; a cell whose code is collapsed shows no
    prompt, so there its outputs tell (the course collapses only cells that draw or print)."""
    if re.fullmatch(r"\[\d+\]:", cell["prompt"]):
        return True
    return cell["hidden"] and bool(cell["text"].strip() or cell["images"])


def started(page):
    prompts = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt")
    return any(p.strip() not in ("", "[ ]:") for p in prompts.all_text_contents())


def run_all(page, attempts=3):
    """Run > Run All Cells, as a learner does; again if the kernel was not listening yet."""
    for _ in range(attempts):
        page.click('.lm-MenuBar-item:has-text("Run")')
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if started(page):
                return
            time.sleep(0.25)
    raise RuntimeError("Run All Cells ran nothing: the kernel never started executing")


def wait_until_run(page, nb, timeout=RUN_TIMEOUT):
    """Wait until every code cell has an execution number and every formula is typeset."""
    deadline = time.monotonic() + timeout
    idle_since = None
    while True:
        cells = page.evaluate(CELLS_JS)
        pending = [i for i, c in enumerate(cells) if c["type"] == "code" and not ran(c)]
        untypeset = [i for i, (c, src) in enumerate(zip(cells, nb.cells))
                     if c["type"] == "markdown" and math_in(src.source) and not c["math"]]
        busy = page.locator(KERNEL_IDLE).count() == 0 or any(c["prompt"] == "[*]:" for c in cells)
        if not pending and not untypeset and not busy:
            return cells
        idle_since = None if busy else (idle_since or time.monotonic())
        if time.monotonic() > deadline or (idle_since and time.monotonic() - idle_since > 8):
            return cells   # finished with cells left unrun (or unrendered): reported by the checks
        time.sleep(0.5)


def screenshot(page, name, focus=None):
    """Save what the learner sees; scroll the first cell of interest into view first."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if focus is not None:
        page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(focus) \
            .scroll_into_view_if_needed()
        page.wait_for_timeout(300)
    page.screenshot(path=str(path))
    return path


def tagged(cell, tag):
    return tag in cell.metadata.get("tags", [])


def check_cells_match(nb, cells):
    problems = []
    if len(cells) != len(nb.cells):
        problems.append(f"the page shows {len(cells)} cells, the notebook has {len(nb.cells)}")
    for i, (c, src) in enumerate(zip(cells, nb.cells)):
        if src.cell_type == "code" and not ran(c):
            problems.append(f"cell {i} did not run (prompt {c['prompt']!r})")
        if src.cell_type == "markdown":
            if not c["rendered"]:
                problems.append(f"cell {i}: markdown not rendered")
            elif math_in(src.source) and not c["math"]:
                problems.append(f"cell {i}: LaTeX not typeset")
            if "$$" in c["markdownText"] or re.search(r"\\(frac|partial|sum|mu|sigma)\b", c["markdownText"]):
                problems.append(f"cell {i}: raw LaTeX left in the rendered text")
    return problems


def report_formulas(src):
    """How many formulas the stored output of a cell typesets as a table of the posts (0: none)."""
    found = [re.search(r'class="bn-posts-report" data-formulas="(\d+)"', "".join(o.get("data", {}).get("text/html", "")))
             for o in src.get("outputs", [])]
    return sum(int(f.group(1)) for f in found if f)


def check_typeset_reports(nb, cells):
    """The tables of the posts (notebook 06): every formula typeset in the output area, no raw TeX."""
    problems = []
    for i, (c, src) in enumerate(zip(cells, nb.cells)):
        wanted = report_formulas(src) if src.cell_type == "code" else 0
        if not wanted:
            continue
        if c["outputMath"] < wanted:
            problems.append(f"cell {i}: {c['outputMath']} formulas typeset in the output, {wanted} expected")
        if "$" in c["outputRaw"] or re.search(r"\\(frac|partial|sum|mu|sigma|hat)\b", c["outputRaw"]):
            problems.append(f"cell {i}: raw TeX left in the output: {c['outputRaw'][:200]!r}")
    return problems


def check_solution(nb, cells):
    problems = check_cells_match(nb, cells) + check_typeset_reports(nb, cells)
    for i, (c, src) in enumerate(zip(cells, nb.cells)):
        if src.cell_type != "code":
            continue
        if c["errors"]:
            problems.append(f"cell {i} shows an error or stderr: {c['errors'][0][:300]}")
        if tagged(src, "checker") and not any("\u2714" in g for g in c["green"]):
            problems.append(f"checker cell {i} shows no green tick line: {c['text'][:300]!r}")
        stored = sum("image/png" in o.get("data", {}) for o in src.get("outputs", []))
        if len(c["images"]) < stored:
            problems.append(f"cell {i}: {len(c['images'])} images shown, {stored} expected")
        if not all(c["images"]):
            problems.append(f"cell {i}: an image did not load")
    return problems


def check_learner(nb, cells):
    problems = check_cells_match(nb, cells)
    checkers = [i for i, src in enumerate(nb.cells) if tagged(src, "checker")]
    if not checkers:
        problems.append("the learner copy has no checker cell")
    for i, (c, src) in enumerate(zip(cells, nb.cells)):
        if src.cell_type != "code":
            continue
        if i in checkers:
            if not c["errors"]:
                problems.append(f"checker cell {i} shows no failure on a stub")
                continue
            shown = c["errors"][0].strip()
            lines = shown.splitlines()
            if not lines[0].startswith("\u2718 CheckFailed") or "not done yet" not in lines[0]:
                problems.append(f"checker cell {i}: the diagnosis is not the first line: {shown[:300]!r}")
            if len(lines) > 6 or "Traceback" in shown or "File \"" in shown or "bnlib/" in shown:
                problems.append(f"checker cell {i}: a traceback is shown ({len(lines)} lines): {shown[:300]!r}")
        elif c["errors"]:
            problems.append(f"cell {i} fails in the learner copy: {c['errors'][0][:300]}")
    return problems


def test_notebook(page, lab, relpath, kind):
    nb = nbformat.read(lab.root / relpath, as_version=4)
    start = time.monotonic()
    open_notebook(page, lab, relpath)
    run_all(page)
    cells = wait_until_run(page, nb)
    problems = (check_solution if kind == "solution" else check_learner)(nb, cells)
    if kind == "solution":
        images = [i for i, c in enumerate(cells) if c["images"]]
        focus = images[0] if images else next((i for i, s in enumerate(nb.cells) if tagged(s, "checker")), None)
    else:
        focus = next((i for i, s in enumerate(nb.cells) if tagged(s, "checker")), None)
    name = Path(relpath).stem + ("" if kind == "solution" else "-learner")
    shot = screenshot(page, name, focus)
    lab.shutdown_kernels()
    return problems, time.monotonic() - start, shot


# ----------------------------------------------------------------------------- the learner's loop

LOOP_NOTEBOOK = "03-gamma-beta.ipynb"
LOOP_EXERCISE = "03.1"
WRONG_ANSWER = '''def gamma_beta_backward(dout, xhat):
    return (dout * xhat).mean(axis=0), dout.sum(axis=0)'''
RIGHT_ANSWER = '''def gamma_beta_backward(dout, xhat):
    return (dout * xhat).sum(axis=0), dout.sum(axis=0)'''


def cell_locator(page, index):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(index)


def type_and_run(page, index, text):
    """Replace the source of cell ``index`` as a learner types it, then Shift+Enter."""
    editor = cell_locator(page, index).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(text)   # no auto-indent or auto-closed brackets on pasted text
    page.keyboard.press("Shift+Enter")


def run_cell(page, index):
    cell_locator(page, index).click()
    page.keyboard.press("Escape")
    page.keyboard.press("Shift+Enter")


def cell_output(page, index, timeout=30):
    """The text of one cell's output once its kernel is idle again."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.locator(KERNEL_IDLE).count() and "[*]" not in cell_locator(page, index).inner_text():
            text = cell_locator(page, index).locator(".jp-OutputArea").inner_text()
            if text.strip():
                return text
        time.sleep(0.3)
    return cell_locator(page, index).inner_text()


def test_learners_loop(page, lab):
    """Work one exercise wrong, then right, save, and read the progress table in 00-start-here."""
    from bnlib.course import exercises
    from bnlib.progress import DONE, NOT_STARTED, evaluate
    problems = []
    start = time.monotonic()
    nb = nbformat.read(lab.root / LOOP_NOTEBOOK, as_version=4)
    ex = next(e for e in exercises(nb) if e.id == LOOP_EXERCISE)
    open_notebook(page, lab, LOOP_NOTEBOOK)
    run_all(page)
    wait_until_run(page, nb)
    type_and_run(page, ex.answer, WRONG_ANSWER)
    run_cell(page, ex.checker)
    wrong = cell_output(page, ex.checker)
    if "check_gamma_beta" not in wrong or "not done yet" in wrong or "Traceback" in wrong:
        problems.append(f"a wrong dgamma is not diagnosed as such: {wrong[:300]!r}")
    screenshot(page, "loop-1-wrong-answer", ex.checker)
    type_and_run(page, ex.answer, RIGHT_ANSWER)
    run_cell(page, ex.checker)
    right = cell_output(page, ex.checker)
    if "\u2714" not in right:
        problems.append(f"a right answer does not pass: {right[:300]!r}")
    screenshot(page, "loop-2-right-answer", ex.checker)
    page.keyboard.press("Control+S")
    page.wait_for_timeout(1500)
    lab.shutdown_kernels()

    saved = nbformat.read(lab.root / LOOP_NOTEBOOK, as_version=4)
    if RIGHT_ANSWER not in saved.cells[ex.answer].source:
        problems.append("the answer typed in JupyterLab is not in the saved notebook")
    results = {e.id: e.status for r in evaluate(lab.root, ["03"]) for e in r.exercises}
    if results.pop(LOOP_EXERCISE, None) != DONE or set(results.values()) != {NOT_STARTED}:
        problems.append(f"progress after saving: {results}")

    start_here = "00-start-here.ipynb"
    open_notebook(page, lab, start_here)
    run_all(page)
    nb00 = nbformat.read(lab.root / start_here, as_version=4)
    cells = wait_until_run(page, nb00)
    table = cells[-1]["text"]
    line = next((l for l in table.splitlines() if l.startswith("03-gamma-beta")), "")
    if line.count("\u2714") != 1 or f"1/{len(exercises(nb))}" not in line:
        problems.append(f"the progress table in 00-start-here does not show 03.1 done: {table[:400]!r}")
    screenshot(page, "loop-3-progress-table", len(nb00.cells) - 1)
    lab.shutdown_kernels()
    return problems, time.monotonic() - start


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
                        problems, seconds, shot = test_notebook(page, lab, rel, kind)
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
                    problems = test_book_page(page, html.resolve())
                    seconds = time.monotonic() - start
                    results.append((f"book {html.name}", problems, seconds))
                    print(f"{'ok' if not problems else 'FAILED':6} {'book/' + html.name:45} {seconds:5.1f} s",
                          flush=True)
                    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(SCREENSHOTS / f"book-{sol.stem}.png"))
                guide = args.book / "teaching.html"   # the teaching guide, a page of the book too
                if guide.exists():
                    problems = test_book_page(page, guide.resolve())
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
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
