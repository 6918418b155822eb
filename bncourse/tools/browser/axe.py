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


# axe-core's color-contrast rule does not evaluate the text of JupyterLab's output areas (it finds
# nothing to check there, and reports an internal error when it tries: measured with JupyterLab
# 4.6 and axe 4.12), so in JupyterLab the browser test measures that contrast itself, as axe does
# on the book: WCAG 2.1's ratio of the text's colour to the first opaque background behind it,
# at least 4.5:1 (3:1 for large text: 24 px, or 18.66 px bold). The syntax colours of a code
# block in Markdown are JupyterLab's theme (its editor's, classes ͼ..), and are left aside.
CONTRAST_JS = r"""
(selectors) => {
  const rgba = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return [0, 0, 0, 0];
                        const p = m[1].split(',').map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                               return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    return layers.reverse().reduce((acc, c) => over(c, acc), [255, 255, 255, 1]);
  };
  const found = [];
  const seen = new Set();
  for (const root of selectors.flatMap(s => [...document.querySelectorAll(s)])) {
    for (const el of [root, ...root.querySelectorAll('*')]) {
      if (seen.has(el) || el.closest('mjx-container, svg, .jp-InputArea-editor, .cm-editor')) continue;
      if (/(^|\s)ͼ/.test(String(el.className)) && el.closest('pre')) continue;   // JupyterLab's syntax theme
      seen.add(el);
      const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
      if (!text || !el.getClientRects().length) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
      const bg = background(el);
      const fg = over(rgba(style.color), bg);
      const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      const ratio = (a + 0.05) / (b + 0.05);
      const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
      const needed = (size >= 24 || (size >= 18.66 && bold)) ? 3 : 4.5;
      if (ratio < needed) {
        found.push({target: el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : ''),
                    html: el.outerHTML.slice(0, 200),
                    summary: `contrast ${ratio.toFixed(2)}:1 (needs ${needed}:1): ${style.color} on rgb(${bg.slice(0, 3).map(Math.round).join(', ')})`});
      }
    }
  }
  return found;
}
"""


def measured_contrast(page, include):
    """The text of the elements matched by ``include`` whose contrast is below WCAG 2.1 AA, as a
    violation in axe's form (an empty list when there is none)."""
    nodes = page.evaluate(CONTRAST_JS, include)
    return [{"id": "color-contrast (measured by the browser test)", "impact": "serious",
             "help": "Text must have a contrast of at least 4.5:1 with its background", "nodes": nodes}] if nodes else []


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
