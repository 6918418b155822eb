"""JupyterLab on a loopback port with a temporary root, and what a page of it shows."""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bncourse import ROOT
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
      green: [...c.querySelectorAll('.jp-OutputArea-output [class*="ansi-green"]')].map(e => e.textContent),
      images: [...c.querySelectorAll('.jp-OutputArea-output img')]
                .map(i => i.complete && i.naturalWidth > 0),
      alts: [...c.querySelectorAll('.jp-OutputArea-output img')].map(i => i.getAttribute('alt')),
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



# ----------------------------------------------------------------------------- one cell at a time

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


