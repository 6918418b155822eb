"""axe-core in the page: the accessibility scan of the book and of the notebooks' content.

axe-core (Deque's engine, the one behind most accessibility audits) comes inside the PyPI package
``axe-playwright-python`` (requirements-browser.txt); this module injects its script into the page
and runs it. Every rule runs (WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices);
a page fails on a violation of impact "serious" or "critical", and the counts of every impact are
printed.

In JupyterLab only what the course controls is scanned: the output areas and the rendered
Markdown of the open notebook (:data:`NOTEBOOK_CONTENT`), not JupyterLab's own interface.
"""
import re
from collections import Counter

IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = ("critical", "serious")

_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
#: The parts of a JupyterLab page that the course writes: each cell's outputs and rendered Markdown.
NOTEBOOK_CONTENT = [f"{_PANEL} .jp-OutputArea-output", f"{_PANEL} .jp-MarkdownOutput"]

# Rules about a whole page (landmarks, title, language): JupyterLab's, not the notebook's.
PAGE_RULES = ["region", "landmark-one-main", "page-has-heading-one", "bypass", "document-title",
              "html-has-lang", "landmark-complementary-is-top-level", "landmark-unique"]


def axe_script():
    try:
        from axe_playwright_python.base import AXE_SCRIPT
    except ImportError:
        raise RuntimeError("axe-playwright-python is missing: `make test-browser` installs "
                           "requirements-browser.txt") from None
    return AXE_SCRIPT


def scan(page, include=None, exclude=None, skip_rules=()):
    """Run axe-core on the page (or on the elements matched by the selectors ``include``, less
    those of ``exclude``); return its violations: [{id, impact, help, nodes: [{target, html, summary}]}]."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_script())
    context = None
    if include or exclude:
        context = {"include": [[s] for s in include] if include else [["html"]],
                   "exclude": [[s] for s in exclude or []]}
    options = {"resultTypes": ["violations"],
               "rules": {rule: {"enabled": False} for rule in skip_rules}}
    return page.evaluate("""async ([context, options]) => {
        const found = await axe.run(context || document, options);
        return found.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                      summary: (n.failureSummary || '').slice(0, 300)}))}));
    }""", [context, options])


# JupyterLab's own boxes: an output area or a rendered Markdown cell scrolls sideways when its
# content is wider than the notebook, and JupyterLab does not let the keyboard reach it. That is
# JupyterLab's interface (the book gives the same boxes tabindex="0"); what is wide in it is the
# notebook's, and is listed so that it can be made to fit.
_LAB_BOXES = re.compile(r'^<div[^>]*class="[^"]*\b(jp-OutputArea-output|jp-MarkdownOutput)\b')


def jupyterlab_boxes(violations):
    """Split off the scrollable-region-focusable nodes that are JupyterLab's own output and Markdown
    boxes; returns (the other violations, [targets of those boxes])."""
    kept, boxes = [], []
    for v in violations:
        if v["id"] != "scrollable-region-focusable":
            kept.append(v)
            continue
        mine = [n for n in v["nodes"] if not _LAB_BOXES.match(n["html"])]
        boxes += [n["target"] for n in v["nodes"] if _LAB_BOXES.match(n["html"])]
        if mine:
            kept.append(dict(v, nodes=mine))
    return kept, boxes


def counts(violations):
    """{impact: number of elements} over every impact (0 when none)."""
    found = Counter()
    for v in violations:
        found[v["impact"]] += len(v["nodes"])
    return {impact: found.get(impact, 0) for impact in IMPACTS}


def blocking(violations):
    """One line per serious or critical violation: rule, impact, how many, the first element."""
    lines = []
    for v in violations:
        if v["impact"] in BLOCKING:
            first = v["nodes"][0]
            lines.append(f"axe {v['impact']} {v['id']} ({v['help']}): {len(v['nodes'])} element(s), "
                         f"first {first['target']}: {first['html'][:120]} -- {first['summary'][:200]}")
    return lines


def format_counts(found):
    return ", ".join(f"{impact} {found[impact]}" for impact in IMPACTS)


class Tally:
    """The axe counts per page, printed as a table at the end of the browser test."""

    def __init__(self):
        self.rows = []   # (name, counts)
        self.left_out = 0   # figures not scanned: their cells have no text alternative yet
        self.figures = {}   # book page -> (figures with a text alternative, figures)
        self.boxes = []     # (notebook, target) of JupyterLab's boxes that scroll sideways

    def add(self, name, violations, left_out=0):
        found = counts(violations)
        self.rows.append((name, found))
        self.left_out += left_out
        return found

    def total(self):
        return {impact: sum(found[impact] for _, found in self.rows) for impact in IMPACTS}

    def report(self):
        width = max([len(name) for name, _ in self.rows] + [10])
        lines = [f"{'axe-core: page':{width}}  " + "  ".join(f"{impact:>8}" for impact in IMPACTS)]
        for name, found in self.rows + [("total", self.total())]:
            lines.append(f"{name:{width}}  " + "  ".join(f"{found[impact]:8d}" for impact in IMPACTS))
        if self.figures:
            described = sum(k for k, _ in self.figures.values())
            lines.append(f"figures of the book with a text alternative: {described} of "
                         f"{sum(n for _, n in self.figures.values())}")
        if self.boxes:
            lines.append(f"not counted: {len(self.boxes)} of JupyterLab's output or Markdown boxes scroll sideways "
                         "(JupyterLab's interface, reachable in the book; their content is too wide):")
            lines += [f"  {name}: {target}" for name, target in self.boxes]
        if self.left_out:
            lines.append(f"left out of the JupyterLab scans: {self.left_out} figures whose cells have no "
                         "text alternative (\"alt\") yet; tests/test_accessibility.py counts them")
        return "\n".join(lines)
