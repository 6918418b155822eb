"""A course everyone can take: figures with text alternatives, colours safe for colour-blind readers
and readable as text, nothing told apart by colour alone.

The browser test (`make test-browser`) scans the book and the notebooks in JupyterLab with axe-core;
these tests hold what can be checked without a browser: the palette the plotting code uses, the
contrast of every colour the course writes text in, the text alternative of every figure, the
mechanisms that carry it to the book and to JupyterLab, and code lines short enough to read without
scrolling sideways.
"""
import inspect
import json
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from bs4 import BeautifulSoup  # noqa: E402
from matplotlib.collections import Collection  # noqa: E402
from matplotlib.colors import ListedColormap, to_rgba  # noqa: E402
from matplotlib.container import BarContainer, ErrorbarContainer  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from bncourse import alt_text, figures, notebook, posts  # noqa: E402
from bncourse.checks import core  # noqa: E402
from bncourse.figures import style  # noqa: E402
from bncourse.posts import report  # noqa: E402
from bncourse.tools import build_html  # noqa: E402

SOLUTIONS = sorted(build_html.SOLUTIONS.glob("[0-9][0-9]-*.ipynb"))
RNG = np.random.default_rng(0)
X = RNG.standard_normal((8, 1))

# One call per figure helper of bncourse.figures, on small made-up data.
FIGURES = {
    "plot_before_after": lambda: figures.plot_before_after(RNG.standard_normal((50, 2)), RNG.standard_normal((50, 2)),
                                                          ["a", "b"]),
    "plot_eps_shrink": lambda: figures.plot_eps_shrink(np.logspace(-3, 1, 20),
                                                       {e: np.linspace(0, 1, 20) for e in (1e-5, 1e-2, 1.0)}),
    "plot_variance_errors": lambda: figures.plot_variance_errors(np.arange(1, 4), [0.0, 1e-3, 1.0], [0.0, 0.0, 1e-16]),
    "draw_batchnorm_graph": lambda: figures.draw_batchnorm_graph(backward=True),
    "draw_gradient_paths": lambda: figures.draw_gradient_paths(),
    "plot_gradient_terms": lambda: figures.plot_gradient_terms(X, {"direct": X, "via var": -X, "via mu": 0 * X}, X,
                                                               moved=int(np.argmax(X))),
    "plot_contributions": lambda: figures.plot_contributions(np.array([0.5, -0.2, 0.3, -0.1]), 0.5, 0.5),
    "plot_backward_times": lambda: figures.plot_backward_times([10, 100, 1000], [1e-4, 1e-3, 1e-2], [5e-5, 5e-4, 5e-3],
                                                               [1e-5, 1e-4, 1e-3], [4e-5, 4e-4, 4e-3]),
    "plot_speedup": lambda: figures.plot_speedup([10, 100, 1000], [1.5, 2.0, 2.5], ratio_tuned=[1.8, 2.4, 3.0]),
    "plot_conv_statistics": lambda: figures.plot_conv_statistics(RNG.random((4, 4)), RNG.standard_normal((4, 4)),
                                                                 RNG.standard_normal((4, 4))),
    "plot_verdicts": lambda: figures.plot_verdicts({(p, v): 1 + (k + j) % 3 for k, p in enumerate(posts.POSTS)
                                                    for j, v in enumerate(posts.VERDICTS)},
                                                   list(posts.POSTS), list(posts.VERDICTS), report.VERDICT_COLOURS),
    "plot_channel_columns": lambda: figures.plot_channel_columns([(np.arange(8).reshape(4, 2) % 3, "t"),
                                                                  (np.ones((4, 2)), "u")]),
    "draw_normalization_grids": lambda: figures.draw_normalization_grids(),
    "plot_running_variance": lambda: figures.plot_running_variance(np.linspace(1, 4, 30), np.linspace(1, 3, 30), 4, 0.1),
    "plot_jacobians": lambda: figures.plot_jacobians({"train": np.eye(3) - 1 / 3, "eval": np.eye(3)}),
    "plot_spirals": lambda: figures.plot_spirals(RNG.standard_normal((9, 2)), np.arange(9) % 3),
    "plot_curves": lambda: figures.plot_curves({"with BN": [1.0, 0.5, 0.2], "without": [1.0, 0.8, 0.7]}, "loss", "t"),
    "plot_preactivation_histograms": lambda: figures.plot_preactivation_histograms(
        {"a": {0: [X, X], 5: [X, X]}, "b": {0: [X, X], 5: [X, X]}}, (0, 5)),
    "plot_gradient_norms": lambda: figures.plot_gradient_norms({"with": np.ones((3, 2)), "without": 2 * np.ones((3, 2))}),
    "plot_learning_rate_sweep": lambda: figures.plot_learning_rate_sweep([0.1, 1.0], {"a": [0.5, 0.9], "b": [0.9, 0.4]}),
    "plot_batch_size_sweep": lambda: figures.plot_batch_size_sweep(
        [2, 8, 32], {"BatchNorm": [0.5, 0.8, 0.9], "BatchNorm, training mode": [0.6, 0.8, 0.9], "LayerNorm": [0.9] * 3},
        {"mean": [0.7, 0.35, 0.18], "std": [0.9, 0.4, 0.2]}),
    "plot_init_scale_sweep": lambda: figures.plot_init_scale_sweep([0.01, 0.1, 1.0], {"with": [0.9, 0.9, 0.9],
                                                                                      "without": [0.3, 0.9, np.nan]}),
    "draw_projection_m3": lambda: figures.draw_projection_m3([1.0, 2.0, 4.0], [0.5, -1.0, 0.3], eps=0.1),
    "plot_digits": lambda: figures.plot_digits(RNG.random((3, 64)), ["a", "b", "c"], ncols=3, title="t"),
    "plot_validation_curves": lambda: figures.plot_validation_curves({"BatchNorm": RNG.random((2, 4)),
                                                                     "plain": RNG.random((2, 4))}),
    "plot_confusion_matrix": lambda: figures.plot_confusion_matrix(np.array([[5, 1, 0], [0, 4, 2], [1, 0, 6]])),
    "plot_learning_rate_study": lambda: figures.plot_learning_rate_study(
        [0.1, 1.0], {"BatchNorm": RNG.random((2, 3)), "plain": RNG.random((2, 3))}, mark=0.5),
    "plot_order_study": lambda: figures.plot_order_study(
        {"accuracy": {0.05: {"before": [0.9, 0.95], "after": [0.92, 0.94]},
                      0.2: {"before": [0.9, 0.97], "after": [0.91, 0.93]}}, "settings": {"seeds": [0, 1]}}),
    "plot_batch_statistics": lambda: figures.plot_batch_statistics(RNG.standard_normal(50), RNG.random(50) + 0.5, 4),
    "plot_bands": lambda: figures.plot_bands({f"s{k}": RNG.random((2, 5)) for k in range(6)}, logy=True),
    "plot_layer_statistics": lambda: figures.plot_layer_statistics(
        {"plain": {"std": RNG.random((2, 4)), "grad": RNG.random((2, 4))},
         "BatchNorm": {"std": RNG.random((2, 4)), "grad": RNG.random((2, 4))}},
        [("std", "std", False), ("grad", "grad", True)], suptitle="t"),
}


def drawing_functions():
    """Every public function of bncourse.figures that draws (its name starts with plot_ or draw_)."""
    return sorted(name for name, obj in inspect.getmembers(figures, inspect.isfunction)
                  if name.startswith(("plot_", "draw_")))


def test_every_figure_helper_is_checked_here():
    assert sorted(FIGURES) == drawing_functions()


def _artists(fig):
    for ax in fig.axes:
        yield from ax.get_children()
        yield from (t for t in (ax.title, ax.xaxis.label, ax.yaxis.label))
    yield from fig.texts


def colours_used(fig):
    """Every (where, rgba) a figure draws with, and every colour map it uses (by name)."""
    found, maps = [], []
    for artist in _artists(fig):
        if not artist.get_visible():
            continue
        name = type(artist).__name__
        array = artist.get_array() if hasattr(artist, "get_array") and hasattr(artist, "get_cmap") else None
        if array is not None and np.ndim(array) == 3:   # an RGB image: its pixels are its colours
            found += [(name, tuple(c) + (1.0,)) for c in np.unique(np.asarray(array)[..., :3].reshape(-1, 3), axis=0)]
            continue
        if array is not None:
            maps.append(artist.get_cmap())
            continue
        if isinstance(artist, Line2D):
            found += [(name, to_rgba(artist.get_color())), (name, to_rgba(artist.get_markerfacecolor())),
                      (name, to_rgba(artist.get_markeredgecolor()))]
        elif isinstance(artist, Patch):
            if artist is getattr(artist.axes, "patch", None):
                continue   # the axes' background
            found += [(name, artist.get_facecolor()), (name, artist.get_edgecolor())]
        elif isinstance(artist, Collection):
            found += [(name, tuple(c)) for c in artist.get_facecolors()] + \
                     [(name, tuple(c)) for c in artist.get_edgecolors()]
        elif hasattr(artist, "get_color") and hasattr(artist, "get_text"):
            found.append((name, to_rgba(artist.get_color())))
    return found, maps


def _allowed_map(cmap):
    if cmap.name in style.ALLOWED_MAPS:
        return True
    return isinstance(cmap, ListedColormap) and all(style.is_allowed_colour(to_rgba(c)) for c in cmap.colors)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_colour_a_figure_draws_with_is_in_the_palette(name):
    FIGURES[name]()
    fig = plt.gcf()
    found, maps = colours_used(fig)
    wrong = sorted({f"{where} {tuple(round(c, 3) for c in rgba)}" for where, rgba in found
                    if not style.is_allowed_colour(rgba)})
    plt.close("all")
    assert not wrong, f"{name} draws with colours outside the palette (Okabe–Ito, greys): {wrong}"
    assert all(_allowed_map(m) for m in maps), f"{name} uses the maps {[m.name for m in maps]}"
    assert found, "the check sees what the figure draws"


def signature(handle):
    """What tells a legend entry apart besides its colour: its kind, line style, width, marker, hatch."""
    if isinstance(handle, BarContainer):
        handle = handle.patches[0]
    if isinstance(handle, ErrorbarContainer):
        handle = handle.lines[0]   # the line through the points: its style and marker
    if isinstance(handle, Line2D):
        return ("line", str(handle.get_linestyle()), round(handle.get_linewidth(), 1), str(handle.get_marker()))
    if isinstance(handle, Patch):
        return ("patch", handle.get_hatch() or "", str(handle.get_linestyle()))
    if isinstance(handle, Collection):
        paths = handle.get_paths()
        shape = np.round(paths[0].vertices, 2).tobytes() if paths and hasattr(handle, "get_sizes") else b""
        return ("collection", str(handle.get_linestyle()), handle.get_hatch() or "", shape)
    return (type(handle).__name__,)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_no_two_legend_entries_differ_by_colour_alone(name):
    FIGURES[name]()
    fig = plt.gcf()
    for ax in fig.axes:
        handles, labels = ax.get_legend_handles_labels()
        seen = {}
        for handle, label in zip(handles, labels):
            key = signature(handle)
            assert key not in seen, f"{name}: {label!r} and {seen[key]!r} differ by colour alone"
            seen[key] = label
    plt.close("all")


def test_the_palette_is_okabe_ito_and_its_styles_differ():
    assert len(set(style.CYCLE)) == 8 and set(style.CYCLE) == set(style.OKABE_ITO)
    lines = [style.line_style(k) for k in range(len(style.CYCLE))]
    assert len({str(s["linestyle"]) for s in lines}) == len(lines) and len({s["marker"] for s in lines}) == len(lines)
    assert len(set(style.HATCHES)) == len(style.HATCHES)
    assert style.is_allowed_colour(to_rgba(style.BLUE)) and style.is_allowed_colour(to_rgba("#777777"))
    assert not style.is_allowed_colour(to_rgba("tab:green")) and not style.is_allowed_colour(to_rgba("#c0392b"))


def test_importing_the_figures_sets_the_colour_cycle():
    assert plt.rcParams["axes.prop_cycle"].by_key()["color"] == list(style.CYCLE)


# ----------------------------------------------------------------------------- contrast of text

def test_contrast_ratio_follows_wcag():
    assert style.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert style.contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert style.contrast_ratio("#b0b0b0", "#ffffff") == pytest.approx(2.17, abs=0.01)   # the old prompts


def test_every_verdict_has_its_word_its_colour_and_its_hatch():
    assert set(report.VERDICT_COLOURS) == set(posts.VERDICTS) == set(style.VERDICT_HATCHES)
    assert len(set(style.VERDICT_HATCHES.values())) == len(style.VERDICT_HATCHES), "one hatch per verdict"
    for verdict, colour in report.VERDICT_COLOURS.items():
        text = style.text_colour_on(colour)
        assert style.contrast_ratio(text, colour) >= 4.5, (verdict, colour, text)
        badge = report._badge(verdict)
        assert f">{verdict}</span>" in badge and f"color:{text}" in badge, "the badge carries its word"


def test_the_book_writes_every_text_colour_at_4_5_to_1():
    for name, colour in build_html.SYNTAX_COLOURS.items():
        assert style.contrast_ratio(colour, build_html.CODE_BACKGROUND) >= 4.5, name
    for name, colour in build_html.TERMINAL_COLOURS.items():
        for ground in ("#FFFFFF", build_html.ERROR_BACKGROUND):
            assert style.contrast_ratio(colour, ground) >= 4.5, (name, ground)
    assert style.contrast_ratio(build_html.PROMPT_COLOUR, "#FFFFFF") >= 4.5
    css = build_html.colour_css()
    assert all(colour in css for colour in build_html.SYNTAX_COLOURS.values())
    assert "--jp-cell-prompt-not-active-opacity: 1" in css


def test_checker_lines_are_bold_for_the_dark_shades_of_jupyterlab():
    # bold green and red are drawn #007427 on white and #b22b31 on #fdd: 5.9:1 and 5.1:1
    assert core.GREEN == "\033[1;32m" and core.RED == "\033[1;31m"
    assert style.contrast_ratio("#007427", "#FFFFFF") >= 4.5 and style.contrast_ratio("#b22b31", "#FFDDDD") >= 4.5


# ----------------------------------------------------------------------------- text alternatives

def figure_cells(nb):
    return [i for i, cell in enumerate(nb.cells) if alt_text.figure_outputs(cell)]


def missing_alts(paths):
    """{notebook: [figure cells without a text alternative]} over ``paths``."""
    found = {path.name: alt_text.cells_missing_alt(nbformat.read(path, as_version=4)) for path in paths}
    return {name: cells for name, cells in found.items() if cells}


def test_every_figure_has_a_text_alternative():
    assert SOLUTIONS, "the solution notebooks are found"
    missing = missing_alts(SOLUTIONS)
    assert not missing, f"figure cells without \"alt\" in their metadata: {missing}"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_every_text_alternative_given_is_a_description(path):
    """An "alt" that is there is a string of a sentence or two, not a placeholder."""
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if alt_text.ALT_KEY not in cell.metadata:
            continue
        alt = cell.metadata[alt_text.ALT_KEY]
        assert isinstance(alt, str), f"{path.name} cell {i}: alt must be a string"
        assert 30 <= len(alt.strip()) <= 600 and alt.strip() != alt_text.NO_DESCRIPTION, \
            f"{path.name} cell {i}: {alt!r} is not one or two sentences"
        assert alt_text.figure_outputs(cell), f"{path.name} cell {i} has an alt but shows no figure"


def test_a_figure_without_alt_is_found():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("plot()"), nbformat.v4.new_code_cell("plot()")])
    for cell in nb.cells:
        cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBOR", "text/plain": "<Figure>"})]
    nb.cells[1].metadata["alt"] = "A curve that rises, then flattens: the loss falls fast, then slowly."
    assert alt_text.cells_missing_alt(nb) == [0]
    assert alt_text.copy_alt_to_outputs(nb) == 1
    assert nb.cells[1].outputs[0].metadata["image/png"]["alt"].startswith("A curve")
    assert alt_text.cells_missing_alt(nb) == [0] and alt_text.copy_alt_to_outputs(nb) == 0


def test_the_book_writes_the_alt_of_a_figure_cell(tmp_path):
    code = nbformat.v4.new_code_cell("plot()", execution_count=1)
    code.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<F>"})]
    code.metadata["alt"] = 'Two "curves" & one line: the first <falls>, the second stays.'
    bare = nbformat.v4.new_code_cell("plot()", execution_count=2)
    bare.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<F>"})]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 99 · Check"), code, bare])
    page = BeautifulSoup(build_html.convert(nb, "99 · Check"), features="html.parser")
    alts = [img.get("alt") for img in page.select(".jp-OutputArea-output img")]
    assert alts == [code.metadata["alt"], alt_text.NO_DESCRIPTION]
    assert "alt" not in nb.cells[1].outputs[0].get("metadata", {}).get("image/png", {}), "the notebook is unchanged"


def test_the_book_pages_have_landmarks_and_keyboard_access(tmp_path):
    out = tmp_path / "html"
    build_html.build(out, [p for p in SOLUTIONS if p.name.startswith("06-")] or SOLUTIONS[:1])
    index = (out / "index.html").read_text()
    assert index.count("<main>") == 1 and "</main>" in index
    page = next(p for p in out.glob("[0-9][0-9]-*.html")).read_text()
    labels = re.findall(r'<nav class="bn-nav" aria-label="([^"]+)"', page)
    assert len(labels) == 2 and len(set(labels)) == 2, "two navigation bars, each with its own name"
    assert page.count("<main") == 1
    for report_div in re.findall(r'<div class="bn-posts-report"[^>]*>', page):
        assert 'tabindex="0"' in report_div and 'role="region"' in report_div and "aria-label=" in report_div
    names = re.findall(r'role="region"[^>]*aria-label="([^"]+)"|aria-label="([^"]+)"[^>]*role="region"', page)
    names = [a or b for a, b in names]
    assert len(names) == len(set(names)), "every region of a page has a name of its own (axe: landmark-unique)"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_headings_do_not_skip_a_level(path):
    nb = nbformat.read(path, as_version=4)
    levels = [len(m.group(1)) for cell in nb.cells if cell.cell_type == "markdown"
              for m in re.finditer(r"^(#{1,6})\s", re.sub(r"```.*?```", "", cell.source, flags=re.S), flags=re.M)]
    assert levels and levels[0] == 1, f"{path.name} starts with a level-1 heading"
    jumps = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
    assert not jumps, f"{path.name}: a heading skips a level: {jumps}"


# ----------------------------------------------------------------------------- the kernel's alt hook

class FakePublisher:
    def __init__(self):
        self.hooks = []

    def register_hook(self, hook):
        self.hooks.append(hook)


class FakeEvents:
    def __init__(self):
        self.callbacks = {}

    def register(self, event, callback):
        self.callbacks[event] = callback


class FakeShell:
    def __init__(self):
        self.display_pub, self.events = FakePublisher(), FakeEvents()


def _message(metadata=None):
    return {"msg_type": "display_data",
            "content": {"data": {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}, "metadata": metadata or {}}}


def test_in_jupyterlab_a_figure_gets_the_alt_of_its_cell(tmp_path, monkeypatch):
    cell = nbformat.v4.new_code_cell("plot()")
    cell.metadata["alt"] = "The loss falls with BatchNorm & stays flat without it."
    nb = nbformat.v4.new_notebook(cells=[cell, nbformat.v4.new_code_cell("print(1)")])
    (tmp_path / "nb.ipynb").write_text(json.dumps(nb))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JPY_SESSION_NAME", "course/nb.ipynb")
    shell = FakeShell()
    hook = alt_text.install_figure_alt(shell)
    assert shell.display_pub.hooks == [hook]
    run = shell.events.callbacks["pre_run_cell"]

    run(type("Info", (), {"cell_id": cell.id})())
    msg = hook(_message())
    assert 'alt="The loss falls with BatchNorm &amp; stays flat without it."' in msg["content"]["data"]["text/html"]
    assert msg["content"]["data"]["text/html"].startswith('<img src="data:image/png;base64,iVBORw0KGgo="')
    assert msg["content"]["metadata"]["image/png"]["alt"].startswith("The loss falls")

    run(type("Info", (), {"cell_id": nb.cells[1].id})())   # a cell without alt: unchanged
    assert "text/html" not in hook(_message())["content"]["data"]
    own = hook(_message({"image/png": {"alt": "Its own words."}}))   # an output's own alt wins
    assert 'alt="Its own words."' in own["content"]["data"]["text/html"]

    run(type("Info", (), {"cell_id": None})())   # nbclient and nbval send no cell id: unchanged
    assert "text/html" not in hook(_message({"image/png": {"alt": "Its own words."}}))["content"]["data"]


def test_the_course_kernel_extension_installs_both_displays():
    from bncourse import display
    from bncourse.tools import kernel
    assert kernel.EXTENSION == "bncourse.display"
    shell = FakeShell()
    calls = []
    shell.set_custom_exc = lambda exc, handler: calls.append(exc)
    display.load_ipython_extension(shell)
    assert calls and shell.display_pub.hooks, "the checks' display and the figures' alt are installed"


# ----------------------------------------------------------------------------- figures you can move

class FakeHandle:
    def __init__(self, shown):
        self.shown = shown

    def update(self, obj, metadata=None):
        self.shown.append(("update", obj, metadata))


def test_a_movable_figure_shows_its_static_twin_and_redraws_in_place(monkeypatch):
    import IPython.display

    from bncourse import widgets
    shown = []

    def fake_display(obj, metadata=None, display_id=None, raw=False):
        shown.append(("display", obj, metadata))
        return FakeHandle(shown) if display_id else None

    monkeypatch.setattr(IPython.display, "display", fake_display)
    drawn = []

    def draw(eps):
        drawn.append(eps)
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, eps])
        return fig

    moving = widgets.movable_figure(draw, "eps", [0.0, 0.1, 1.0], value=0.1, alt=lambda e: f"At eps = {e:g}.")
    control, twin = shown[0][1], shown[1]
    assert control["text/plain"] == ("Control: eps = 0.1 (in JupyterLab it moves through 0, 0.1, 1); "
                                     "the figure below is drawn at eps = 0.1.")
    assert "application/vnd.jupyter.widget-view+json" in control, "a widget in JupyterLab"
    assert twin[0] == "display" and twin[2] == {"image/png": {"alt": "At eps = 0.1."}} and drawn == [0.1]
    assert [label for label, _ in moving.control.options] == ["0", "0.1", "1"]
    moving.control.value = 1.0   # what pressing the button "1" does
    assert drawn == [0.1, 1.0] and shown[-1][0] == "update" and shown[-1][2] == {"image/png": {"alt": "At eps = 1."}}
    assert plt.get_fignums() == [], "each drawing is closed: the inline backend shows it once"
    with pytest.raises(ValueError, match="not among the values"):
        widgets.movable_figure(draw, "eps", [0.0, 1.0], value=0.5)


def table_headers(markdown):
    """The header cells of every Markdown table in ``markdown`` (the row above a |---| line)."""
    lines = re.sub(r"```.*?```", "", markdown, flags=re.S).splitlines()
    return [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line, below in zip(lines, lines[1:])
            if line.strip().startswith("|") and re.match(r"^\s*\|?\s*:?-{3,}", below)]


def test_a_table_header_cell_is_empty_is_found():
    assert table_headers("| | a |\n|---|---|\n| 1 | 2 |") == [["", "a"]]
    assert table_headers("| $m$ | a |\n|---|---|") == [["$m$", "a"]]


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_every_table_header_cell_has_words(path):
    """A header cell must have text a screen reader can read (axe: empty-table-header): not empty, and not
    a formula alone (MathJax's typeset formula gives the header no text of its own)."""
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for header in table_headers(cell.source):
            bare = [h for h in header if not re.sub(r"\$[^$]*\$", "", h).strip()]
            assert not bare, f"{path.name} cell {i}: table header cells without words: {header}"


# ----------------------------------------------------------------------------- the course's movable figures

def test_the_notebooks_move_figures_where_moving_teaches_each_with_its_static_twin():
    """04 (one sample dragged away), 10 (eps and the projection), 11 (the batch size and the spread of the
    batch statistics): each stores its control's text line and its figure at the default value, with an
    alt of its own (the browser test presses each control in JupyterLab)."""
    from bncourse.tools.browser.widgets import MOVABLE, movable_cells
    found = {}
    for path in SOLUTIONS:
        nb = nbformat.read(path, as_version=4)
        for index in movable_cells(nb):
            found[path.name[:2]] = found.get(path.name[:2], 0) + 1
            outputs = nb.cells[index].outputs
            control = [o for o in outputs if o.get("data", {}).get("text/plain", "").startswith("Control: ")]
            assert len(control) == 1 and "in JupyterLab it moves through" in control[0]["data"]["text/plain"], index
            assert "application/vnd.jupyter.widget-view+json" in control[0]["data"]
            [figure] = alt_text.figure_outputs(nb.cells[index])
            assert 30 <= len(alt_text.output_alt(figure)) <= 600, f"{path.name} cell {index}"
            assert alt_text.ALT_KEY not in nb.cells[index].metadata, "the alt changes with the control: the output's"
        assert "widgets" not in nb.metadata, f"{path.name}: no widget state stored (the book shows the static twin)"
    assert found == MOVABLE


@pytest.mark.parametrize("value", [0.0, 0.1, 1.0, 10.0])
def test_the_projection_describes_itself_at_every_eps(value):
    x, dy = np.array([0.2, 1.5, -0.8]), np.array([1.4, -0.6, 0.5])
    text = figures.describe_projection_m3(x, dy, value)
    assert 30 <= len(text) <= 600 and f"eps = {value:g}" in text
    assert ("lies on the dashed grey line" in text) == (value == 0)


@pytest.mark.parametrize("shift", [0.0, 5.0, 30.0])
def test_the_dragged_sample_describes_itself(shift):
    x = np.array([[1.0], [2.0], [4.0], [9.0]])
    x[3] += shift
    xhat = (x - x.mean()) / x.std()
    terms = {"direct": xhat, "via var": -0.5 * xhat, "via mu": np.full_like(x, -0.3)}
    text = figures.describe_gradient_terms(x, terms, sum(terms.values()), moved=3, shift=shift)
    assert 30 <= len(text) <= 600 and "(-0.30)" in text and f"x̂ is {xhat[3, 0]:.2f}" in text
    assert ("moved by" in text) == (shift != 0)


@pytest.mark.parametrize("N", [2, 64])
def test_the_batch_statistics_describe_themselves(N):
    rng = np.random.default_rng(0)
    means, stds = rng.standard_normal(400) / np.sqrt(N), np.abs(1 + rng.standard_normal(400) / np.sqrt(N))
    text = figures.describe_batch_statistics(means, stds, N)
    assert 30 <= len(text) <= 600 and f"N = {N}" in text and f"1/√N = {1 / np.sqrt(N):.2f}" in text


def test_a_figure_that_changes_from_run_to_run_carries_an_alt_computed_from_its_numbers(monkeypatch):
    import IPython.display
    size = np.array([1e3, 1e4, 1e5, 1e6])
    staged, compact, tuned, one_pass = 1e-5 * size, 5e-6 * size, 3e-6 * size, 1e-6 * size
    text = figures.describe_backward_times(size, staged, compact, one_pass, tuned)
    assert 30 <= len(text) <= 600 and "2.0 times the compact one" in text and "slope is 1.0" in text
    text = figures.describe_speedup(size, staged / compact, staged / tuned)
    assert 30 <= len(text) <= 600 and "2.0 to 2.0 times faster" in text and "inside the band at 4 of 4" in text
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, metadata=None: shown.append(metadata))
    fig, _ = plt.subplots()
    alt_text.show_figure(fig, "A line: nothing more.")
    assert shown == [{"image/png": {"alt": "A line: nothing more."}}] and plt.get_fignums() == []


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_no_notebook_picks_its_own_colours(path):
    """The notebooks draw through bncourse.figures (whose palette the tests above check): a figure cell that
    chose a colour or a colour map itself would escape that check."""
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            found = re.findall(r"\b(color|colors|cmap|facecolor|edgecolor)\s*=", cell.source)
            assert not found, f"{path.name} cell {i} sets {found}: use bncourse.figures and its style"


# ----------------------------------------------------------------------------- code you can read

CODE_WIDTH = 95


def long_code_lines(nb):
    """(cell index, line) of every line longer than CODE_WIDTH in a code cell that shows its source."""
    return [(index, line) for index, cell in enumerate(nb.cells)
            if cell.cell_type == "code" and not cell.metadata.get("jupyter", {}).get("source_hidden")
            for line in cell.source.split("\n") if len(line) > CODE_WIDTH]


def test_a_long_line_of_code_is_found_unless_its_cell_is_collapsed():
    long_line = "x = " + "1 + " * 30 + "1"
    shown = nbformat.v4.new_code_cell(f"y = 1\n{long_line}")
    collapsed = nbformat.v4.new_code_cell(long_line, metadata={"jupyter": {"source_hidden": True}})
    text = nbformat.v4.new_markdown_cell(long_line)
    nb = nbformat.v4.new_notebook(cells=[text, shown, collapsed])
    assert long_code_lines(nb) == [(1, long_line)]


def test_every_line_of_visible_code_fits_jupyterlab_at_1280_px():
    """JupyterLab at 1280 px wide with the file browser open shows about 97 characters of a line of a
    code cell; a longer line scrolls sideways and the learner cannot read its end. Every line of a code
    cell that shows its source is at most 95 characters long, in the solution notebooks and in the
    learner copies as `make student` generates them. A cell collapsed with ``jupyter.source_hidden``
    (a long proof that only confirms a step) may have longer lines."""
    found = []
    for path in SOLUTIONS:
        found += [(f"solutions/{path.name}", index, line)
                  for index, line in long_code_lines(nbformat.read(path, as_version=4))]
        found += [(path.name, index, line) for index, line in long_code_lines(notebook.learner_notebook(path))]
    assert not found, f"lines longer than {CODE_WIDTH} characters:\n" + "\n".join(
        f"{name} cell {index} ({len(line)} characters): {line}" for name, index, line in found)


def placeholder_free_fstrings(source):
    """The f-strings of ``source`` that hold no ``{...}``: plain strings written with a stray f."""
    import io
    import tokenize
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    return [t.string for t in tokens if t.type == tokenize.STRING
            and re.match(r"^[rR]?[fF][rR]?['\"]", t.string) and "{" not in t.string]


def test_a_stray_f_is_found():
    assert placeholder_free_fstrings('print(f"a {x} "\n      f"b")') == ['f"b"']
    assert placeholder_free_fstrings('print("a", f"{x}")') == []


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name[:2])
def test_no_f_string_without_a_placeholder(path):
    """Learners read the notebooks' code as examples: an f prefix marks a string that has fields."""
    nb = nbformat.read(path, as_version=4)
    found = [(i, s) for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
             for s in placeholder_free_fstrings(cell.source)]
    assert not found, f"{path.name}: {found}"
