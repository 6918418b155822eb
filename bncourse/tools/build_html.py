"""Build the course as a static HTML book, readable offline: `make html`.

    python -m bncourse.tools.build_html                      # into _build/html
    python -m bncourse.tools.build_html --out /tmp/book      # elsewhere
    python -m bncourse.tools.build_html --execute            # re-execute the notebooks first (in memory)

One page per solution notebook (nbconvert, JupyterLab look, figures embedded
in the page as PNG data), an index page with the table of contents (every
notebook and its sections), previous/next links on every page. Formulas are
typeset in the reader's browser by a copy of MathJax 3 placed inside the
book (one file, `_static/mathjax/tex-svg-full.js`, from the PyPI package
`django-static-mathjax`, which holds MathJax's own build), so the book needs
no network: open `_build/html/index.html` in any browser.

By default the outputs stored in the solution notebooks are used (they are
what `make test` verifies); a notebook with a code cell that never ran is
refused.

Accessibility (WCAG 2.1 AA, checked with axe-core by `make test-browser`): the
style sheet `_static/book.css` darkens the colours of nbconvert's page that
read below 4.5:1 (the prompts, the syntax colours, the terminal colours) and
underlines links; every page has one main landmark and labelled navigation
bars; each figure's `<img>` takes its alt text from the figure cell's metadata
(`"alt"`, see bncourse.alt_text); the wide tables of the posts (notebook 06)
can be reached and scrolled with the keyboard (`tabindex="0"`, a region with
a name), and so can a display formula wider than the page.
"""
import argparse
import copy
import html
import re
import shutil
import sys
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup
from jinja2 import DictLoader
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

from bncourse.alt_text import copy_alt_to_outputs
from bncourse.notebook import KERNEL
from bncourse.posts.report import VERDICT_COLOURS, badge_style

from bncourse import ROOT
SOLUTIONS = ROOT / "notebooks" / "solutions"
OUT = ROOT / "_build" / "html"
# the teaching guide, a page of its own after the notebooks (linked from the index)
GUIDE = ROOT / "docs" / "teaching.md"
GUIDE_PAGE = "teaching.html"
GUIDE_TITLE = "Teaching with this course"
TITLE = "Batch Normalization, backward: derived and verified"
MATHJAX_FILE = "tex-svg-full.js"
MATHJAX_URL = f"_static/mathjax/{MATHJAX_FILE}"
# MathJax 3 from one local file: TeX in, SVG out. The glyphs are path data inside the script,
# so no web font has to load (browsers refuse fonts to file:// pages) and nothing comes from
# the network. nbconvert's own MathJax 2 configuration block is inert under MathJax 3.
MATHJAX_CONFIG = """<script>
window.MathJax = {
  tex: {inlineMath: [["$", "$"], ["\\\\(", "\\\\)"]], displayMath: [["$$", "$$"], ["\\\\[", "\\\\]"]],
        processEscapes: true, processEnvironments: true, tags: "ams"},
  svg: {fontCache: "global"},
  options: {enableMenu: false}
};
</script>
"""

# Colours of nbconvert's JupyterLab page that read below WCAG 2.1 AA's 4.5:1, darkened: the syntax
# colours (on the code background CODE_BACKGROUND), the terminal colours of outputs (on white and
# on the error background ERROR_BACKGROUND), the prompts In [1]: (grey at half opacity: 2.2:1).
CODE_BACKGROUND = "#f5f5f5"
ERROR_BACKGROUND = "#ffdddd"
SYNTAX_COLOURS = {"atom": "#3939b0", "bracket": "#5c5c35", "builtin": "#006b00", "comment": "#3a6b6b",
                  "error": "#c00000", "hr": "#6b6b6b", "keyword": "#006b00", "meta": "#8a1ad6",
                  "number": "#006b00", "operator": "#8a1ad6", "quote": "#006b00"}
TERMINAL_COLOURS = {"black": "#3e424d", "red": "#b22b31", "green": "#007427", "yellow": "#7a5c00",
                    "blue": "#0059b3", "magenta": "#9c2a8c", "cyan": "#006b6e", "white": "#595959"}
PROMPT_COLOUR = "#595959"


def colour_css():
    """The CSS that gives the page its readable colours (a test checks each contrast)."""
    lines = [":root {"]
    lines += [f"  --jp-mirror-editor-{name}-color: {colour};" for name, colour in SYNTAX_COLOURS.items()]
    lines += [f"  --jp-cell-prompt-not-active-font-color: {PROMPT_COLOUR};",
              "  --jp-cell-prompt-not-active-opacity: 1;", "}"]
    for name, colour in TERMINAL_COLOURS.items():
        lines.append(f".jp-RenderedText pre .ansi-{name}-fg, .jp-RenderedText pre .ansi-{name}-intense-fg "
                     f"{{ color: {colour}; }}")
    return "\n".join(lines) + "\n"


CSS = """
/* links in the text are underlined: not told apart by colour alone */
.jp-RenderedHTMLCommon a:link, .jp-RenderedHTMLCommon a:visited, .jp-RenderedText pre a:link,
.jp-RenderedText pre a:visited, .bn-index a:link, .bn-index a:visited { text-decoration: underline; }
/* what the keyboard reaches shows where it is */
[tabindex="0"]:focus-visible, a:focus-visible { outline: 3px solid #0072B2; outline-offset: 2px; }
mjx-container[display="true"] { overflow-x: auto; overflow-y: hidden; max-width: 100%; }
body.bn-index { font-family: system-ui, sans-serif; max-width: 50em; margin: 2em auto; padding: 0 1em;
                line-height: 1.5; color: #222; }
.bn-index h1 { font-size: 1.8em; }
.bn-index ol.bn-toc { list-style: none; padding-left: 0; }   /* each title carries its number */
.bn-index ol.bn-toc > li { margin: 0.8em 0; font-size: 1.1em; }
.bn-index ol.bn-toc ul { font-size: 0.9em; margin: 0.2em 0; }
nav.bn-nav { font-family: system-ui, sans-serif; display: flex; justify-content: space-between;
             max-width: 1100px; margin: 0.5em auto; padding: 0.4em 1em; background: #f3f5f7;
             border-radius: 4px; }
nav.bn-nav a { text-decoration: none; }
nav.bn-nav a:hover, nav.bn-nav a:focus-visible { text-decoration: underline; }
/* a proof collapsed as in JupyterLab: its first line, which says what it proves, opens the code */
details.bn-proof > summary { cursor: pointer; font-family: var(--jp-code-font-family, monospace);
                             font-size: 0.9em; color: #333; padding: 0.3em 0 0.3em 4.5em; }
details.bn-proof > summary:focus-visible { outline: 3px solid #0072B2; outline-offset: 2px; }
"""

# After MathJax has typeset the page: a display formula wider than the page scrolls sideways and
# can be reached with the keyboard (tabindex), as a region named by its formula.
SCROLL_SCRIPT = """<script>
window.addEventListener("load", function () {
  var mark = function () {
    document.querySelectorAll('mjx-container[display="true"]').forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "formula, scrolls sideways");
      }
    });
  };
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { MathJax.startup.promise.then(mark); }
});
</script>
"""

# nbconvert's JupyterLab template, with each figure's alt text (from the output's metadata, where
# `figure_alts` puts the cell's "alt") instead of nbconvert's "No description has been provided".
TEMPLATE = "bnbook.html.j2"
TEMPLATE_SOURCE = """{%- extends 'index.html.j2' -%}
{% block data_png scoped %}
{%- set alt = output | get_metadata('alt', 'image/png') -%}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
{%- if alt %} alt="{{ alt | escape_html }}"{% endif %}
{%- set width=output | get_metadata('width', 'image/png') -%}
{%- if width is not none %} width={{ width | escape_html }}{% endif %}
{%- set height=output | get_metadata('height', 'image/png') -%}
{%- if height is not none %} height={{ height | escape_html }}{% endif %}
>
</div>
{%- endblock data_png %}
"""


class BookError(RuntimeError):
    """A notebook that cannot go into the book as it is."""


def mathjax_source():
    """MathJax 3's single-file build, from the `django-static-mathjax` package (plain files, no Django)."""
    try:
        import mathjax
    except ImportError:
        raise BookError("the package django-static-mathjax is missing: run `make env` "
                        "(it is pinned in requirements.txt)") from None
    folder = Path(mathjax.__file__).parent / "static" / "mathjax"
    if not (folder / "es5" / MATHJAX_FILE).exists():
        raise BookError(f"no es5/{MATHJAX_FILE} in {folder}")
    return folder


def load(path, execute=False):
    nb = nbformat.read(path, as_version=4)
    if execute:
        from nbclient import NotebookClient
        NotebookClient(nb, timeout=120, kernel_name=KERNEL,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    unrun = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.execution_count is None]
    if unrun:
        raise BookError(f"{path.name}: code cell {unrun[0]} has never run; "
                        f"run `make execute NB=notebooks/solutions/{path.name}` (or build with --execute)")
    return nb


def notebook_title(nb, path):
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, flags=re.M)
            if m:
                return m.group(1).strip()
    return path.stem


def headings(page_html, level):
    """(id, text) of every <hN id=...> in a converted page."""
    found = []
    for m in re.finditer(rf'<h{level} id="([^"]+)"[^>]*>(.*?)</h{level}>', page_html, flags=re.S):
        text = re.sub(r"<a class=\"anchor-link\".*?</a>", "", m.group(2), flags=re.S)
        text = html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
        found.append((m.group(1), text))
    return found


def nav(prev, nxt, where="top"):
    """The bar of links to the previous page, the contents and the next page; its label names
    where it is (a page has two, and landmarks of one kind need distinct names)."""
    left = f'<a href="{prev[0]}">&larr; {html.escape(prev[1])}</a>' if prev else "<span></span>"
    right = f'<a href="{nxt[0]}">{html.escape(nxt[1])} &rarr;</a>' if nxt else "<span></span>"
    label = "Pages of the course" + (" (end of page)" if where == "bottom" else "")
    return f'<nav class="bn-nav" aria-label="{label}">{left}<a href="index.html">Contents</a>{right}</nav>'


# A code cell tagged `hide-input` (collapsed in JupyterLab: metadata jupyter.source_hidden) shows
# only its output in the book.
HIDE_INPUT_TAG = "hide-input"
# A code cell tagged `proof` (a long proof that only confirms a step; collapsed in JupyterLab, its first
# line saying what it proves) shows that line in the book, and its code opens from it.
PROOF_TAG = "proof"


def convert(nb, title):
    nb = copy.deepcopy(nb)
    copy_alt_to_outputs(nb)   # the cell's "alt" into its image outputs, where the template reads it
    exporter = HTMLExporter(template_name="lab", mathjax_url=MATHJAX_URL,
                            extra_loaders=[DictLoader({TEMPLATE: TEMPLATE_SOURCE})], template_file=TEMPLATE)
    exporter.register_preprocessor(TagRemovePreprocessor(remove_input_tags={HIDE_INPUT_TAG}, enabled=True),
                                   enabled=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = accessible(body)
    script = f'<script src="{MATHJAX_URL}"'
    if script not in body:
        raise BookError("nbconvert's page does not load MathJax where expected")
    body = body.replace(script, MATHJAX_CONFIG + script, 1)
    # require.js (for interactive widgets, which the course has none of) would come from a CDN
    body = re.sub(r'<script src="https?://[^"]*require[^"]*"></script>\s*', "", body)
    if re.search(r'<(script|link)[^>]+(src|href)="https?://', body):
        raise BookError("a page would load a script or style sheet from the network")
    return body


def accessible(body):
    """What nbconvert's page lacks for WCAG 2.1 AA, added to the converted page:

    * the posts' tables (notebook 06), which scroll sideways, are regions named by their post
      that the keyboard reaches (``tabindex="0"``);
    * each verdict badge takes its colours from the posts' report (``badge_style``), so a page
      built from outputs stored before a change of the palette shows the current colours;
    * an image output without alt text keeps nbconvert's (the test of the notebooks fails on it).
    """
    soup = BeautifulSoup(body, features="html.parser")
    for report in soup.select("div.bn-posts-report:not([tabindex])"):   # stored before the report had them
        title = report.find("p")
        name = " ".join(title.get_text(" ").split()) if title else "a table of the posts"
        report["tabindex"] = "0"
        report["role"] = "region"
        report["aria-label"] = f"{name} (a wide table: scroll it sideways with the arrow keys)"
    for badge in soup.select("td.bn-verdict > span"):
        verdict = badge.get_text().strip()
        if verdict in VERDICT_COLOURS:
            badge["style"] = badge_style(verdict)
    for cell in soup.select(f"div.celltag_{PROOF_TAG}"):
        collapse_proof(soup, cell)
    return str(soup)


def collapse_proof(soup, cell):
    """A proof cell (tag ``proof``, collapsed in JupyterLab) shows its first line, which says what it
    proves, and its output; its code opens from that line (a ``<details>`` element: keyboard and
    screen readers handle it)."""
    wrapper = cell.select_one("div.jp-Cell-inputWrapper")
    code = cell.select_one("div.jp-InputArea-editor pre")
    if wrapper is None or code is None:
        return
    first = code.get_text().lstrip().splitlines()[0].lstrip("# ").strip()
    details = soup.new_tag("details", attrs={"class": "bn-proof"})
    summary = soup.new_tag("summary")
    summary.string = first
    details.append(summary)
    wrapper.wrap(details)   # details: the summary, then the code


def add_nav(body, prev=None, nxt=None):
    body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + "\n" + nav(prev, nxt, "top"), body, count=1)
    return body.replace("</body>", nav(prev, nxt, "bottom") + "\n" + SCROLL_SCRIPT + "</body>", 1)


def guide_page(path=GUIDE):
    """The teaching guide (Markdown) as a book page: one Markdown cell through the same converter."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(path.read_text(encoding="utf-8"))])
    body = convert(nb, GUIDE_TITLE)
    body = body.replace("</head>", '<link rel="stylesheet" href="_static/book.css">\n</head>', 1)
    return add_nav(body)


def index_page(entries, guide=False):
    items = []
    for href, title, sections in entries:
        subs = "".join(f'<li><a href="{href}#{sid}">{html.escape(text)}</a></li>' for sid, text in sections)
        items.append(f'<li><a href="{href}">{html.escape(title)}</a>' + (f"<ul>{subs}</ul>" if subs else "") + "</li>")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(TITLE)}</title>
<link rel="stylesheet" href="_static/book.css">
{MATHJAX_CONFIG}<script src="{MATHJAX_URL}"></script>
</head>
<body class="bn-index">
<main>
<h1>{html.escape(TITLE)}</h1>
<p>Every gradient of a Batch Normalization layer derived step by step, each partial derivative proved
with SymPy, implemented in NumPy and checked against finite differences. These pages are the
complete notebooks with their outputs; to run the code and work the exercises, open the notebooks
in JupyterLab (see the course's README).</p>
<h2>Contents</h2>
<ol class="bn-toc" start="0">
{chr(10).join(items)}
</ol>
{f'<h2>For instructors</h2>{chr(10)}<p><a href="{GUIDE_PAGE}">{GUIDE_TITLE}</a>: objectives, times, '
 'paths for a session and a lab, and the mistakes each checker recognizes.</p>' if guide else ''}
</main>
</body>
</html>
"""


def build(out=OUT, notebooks=None, execute=False):
    """Write the book into ``out``; return the list of page paths."""
    out = Path(out)
    paths = sorted(notebooks) if notebooks else sorted(SOLUTIONS.glob("[0-9][0-9]-*.ipynb"))
    if not paths:
        raise BookError(f"no notebooks in {SOLUTIONS}")
    static = mathjax_source()
    loaded = [(p, load(p, execute)) for p in paths]
    titles = [(f"{p.stem}.html", notebook_title(nb, p)) for p, nb in loaded]
    if out.exists():
        shutil.rmtree(out)
    (out / "_static").mkdir(parents=True)
    (out / "_static" / "mathjax").mkdir()
    shutil.copy(static / "es5" / MATHJAX_FILE, out / MATHJAX_URL)
    shutil.copy(static / "LICENSE", out / "_static" / "mathjax" / "LICENSE")
    (out / "_static" / "book.css").write_text(colour_css() + CSS)
    entries, pages = [], []
    for k, (path, nb) in enumerate(loaded):
        href, title = titles[k]
        body = convert(nb, title)
        body = body.replace("</head>", '<link rel="stylesheet" href="_static/book.css">\n</head>', 1)
        body = add_nav(body, titles[k - 1] if k else None, titles[k + 1] if k + 1 < len(titles) else None)
        page = out / href
        page.write_text(body, encoding="utf-8")
        pages.append(page)
        entries.append((href, title, headings(body, 2)))
    guide = GUIDE.exists()
    if guide:
        page = out / GUIDE_PAGE
        page.write_text(guide_page(), encoding="utf-8")
        pages.append(page)
    (out / "index.html").write_text(index_page(entries, guide), encoding="utf-8")
    return pages


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default: _build/html)")
    parser.add_argument("--execute", action="store_true", help="re-execute each notebook first")
    parser.add_argument("notebooks", nargs="*", type=Path, help="solution notebooks (default: all)")
    args = parser.parse_args(argv)
    try:
        pages = build(args.out, args.notebooks, args.execute)
    except BookError as exc:
        print(f"make html: {exc}", file=sys.stderr)
        return 1
    for page in pages:
        print(f"wrote {page}")
    print(f"book ready: {args.out / 'index.html'} ({len(pages)} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
