"""The colours the course uses: safe for colour-blind readers, and readable as text.

* Lines, bars, points and arrows take their colours from the Okabe–Ito palette (Okabe & Ito,
  "Color Universal Design", 2008): eight colours that stay distinct under the common colour
  vision deficiencies. The figures never tell two things apart by colour alone: each also
  differs by a marker, a line style, a hatch or a word (``tests/test_accessibility.py``).
* Maps (an image of a matrix, a colour scale) use viridis (a magnitude) or cividis (a signed
  value, on a scale symmetric about 0), both perceptually uniform and safe for colour-blind
  readers.
* Greys (black to white) are neutral: reference lines, frames, shading.

Text on a coloured ground (the verdict badges of notebook 06) must reach WCAG 2.1 AA's contrast
of 4.5:1: :func:`contrast_ratio` measures it, :func:`text_colour_on` picks black or white.

This module imports nothing: the posts' report (HTML) uses it without matplotlib.
"""

__all__ = ["OKABE_ITO", "BLACK", "ORANGE", "SKY_BLUE", "BLUISH_GREEN", "YELLOW", "BLUE", "VERMILLION",
           "REDDISH_PURPLE", "CYCLE", "LINE_STYLES", "MARKERS", "HATCHES", "GREY", "LIGHT_GREY",
           "FORWARD_COLOR", "BACKWARD_COLOR", "MAGNITUDE_MAP", "SIGNED_MAP", "ALLOWED_MAPS",
           "VERDICT_COLOURS", "VERDICT_HATCHES", "line_style", "bar_style", "relative_luminance",
           "contrast_ratio", "text_colour_on", "is_allowed_colour", "course_style"]

# The eight colours of Okabe and Ito, by their names.
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
OKABE_ITO = (BLACK, ORANGE, SKY_BLUE, BLUISH_GREEN, YELLOW, BLUE, VERMILLION, REDDISH_PURPLE)

#: The order in which a figure gives colours to its lines (yellow last: it is pale on white).
CYCLE = (BLUE, VERMILLION, BLUISH_GREEN, ORANGE, REDDISH_PURPLE, SKY_BLUE, BLACK, YELLOW)
#: The line styles and markers that go with the colours of ``CYCLE``, one each, in the same order:
#: line k has colour CYCLE[k], style LINE_STYLES[k] and marker MARKERS[k].
LINE_STYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3)), (0, (8, 3)), (0, (3, 1, 1, 1)))
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
#: Hatches for bars and areas, one per colour of ``CYCLE`` ("" for the first: plain).
HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo", "--")

GREY = "#666666"        # reference lines, labels of secondary things
LIGHT_GREY = "#BBBBBB"  # shading, a "lost" verdict

FORWARD_COLOR = BLUE             # the forward pass, the input
BACKWARD_COLOR = VERMILLION      # the backward pass, the output

MAGNITUDE_MAP = "viridis"   # a map of values >= 0
SIGNED_MAP = "cividis"      # a map of signed values, on a scale symmetric about 0
ALLOWED_MAPS = ("viridis", "cividis", "Greys", "gray", "binary")

#: The colour of each verdict of the posts' table (notebook 06): the badge behind the verdict's word
#: and the bar of the chart (which also has a hatch per verdict). Text on each: :func:`text_colour_on`.
VERDICT_COLOURS = {"correct": BLUISH_GREEN, "notation": SKY_BLUE, "typo": YELLOW, "wrong": VERMILLION,
                   "overstated": REDDISH_PURPLE, "lost": LIGHT_GREY}

#: The hatch of each verdict's bars (the chart of notebook 06 tells verdicts apart without colour too).
VERDICT_HATCHES = {"correct": "", "notation": "..", "typo": "oo", "wrong": "xx", "overstated": "//",
                   "lost": "--"}


def line_style(k):
    """The k-th line of a figure: colour, line style and marker all differ from line to line."""
    k %= len(CYCLE)
    return {"color": CYCLE[k], "linestyle": LINE_STYLES[k], "marker": MARKERS[k]}


def bar_style(k):
    """The k-th kind of bar of a figure: colour and hatch differ (the hatch drawn in black)."""
    k %= len(CYCLE)
    return {"color": CYCLE[k], "hatch": HATCHES[k], "edgecolor": BLACK, "linewidth": 0.6}


def _rgb(colour):
    """(r, g, b) in [0, 1] of "#RRGGBB", "#RGB", "white" or "black"."""
    named = {"white": "#FFFFFF", "black": "#000000"}
    text = named.get(colour.lower(), colour).lstrip("#")
    if len(text) == 3:
        text = "".join(2 * c for c in text)
    if len(text) != 6:
        raise ValueError(f"not a colour of the form #RRGGBB: {colour!r}")
    return tuple(int(text[i:i + 2], 16) / 255 for i in (0, 2, 4))


def relative_luminance(colour):
    """WCAG 2.1's relative luminance of an sRGB colour: 0 for black, 1 for white."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in _rgb(colour)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground, background):
    """WCAG 2.1's contrast ratio (L1 + 0.05) / (L2 + 0.05), from 1 to 21; AA asks 4.5 for text."""
    a, b = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_colour_on(background):
    """Black or white, whichever contrasts more with ``background``."""
    return max((BLACK, "#FFFFFF"), key=lambda text: contrast_ratio(text, background))


def is_allowed_colour(rgba):
    """Is an (r, g, b[, a]) colour of matplotlib one of the palette's, or a grey (neutral)?"""
    r, g, b = (round(255 * c) for c in rgba[:3])
    if len(rgba) > 3 and rgba[3] == 0:
        return True    # fully transparent: not drawn
    if max(r, g, b) - min(r, g, b) <= 2:
        return True    # a grey, black or white
    return any(max(abs(r - R), abs(g - G), abs(b - B)) <= 2
               for R, G, B in (tuple(round(255 * c) for c in _rgb(colour)) for colour in OKABE_ITO))


def course_style():
    """matplotlib settings of the course (for ``plt.rc_context`` or ``plt.rcParams.update``): the
    Okabe–Ito cycle of colours and viridis as the default map."""
    from cycler import cycler
    return {"axes.prop_cycle": cycler(color=list(CYCLE)), "image.cmap": MAGNITUDE_MAP}
