"""The report's charts as SVG documents, drawn with matplotlib.

Each chart is a ``Figure`` drawn on its own SVG canvas, never through pyplot, whose global
state is not safe across the threads of a web server. Colour is never the only way to tell
series apart (WCAG 1.4.1): grouped bars carry a hatch pattern each, a legend that shows the
pattern, and their value printed on them. The colours reach at least 3:1 against white and
the single-series bars are dark blue (5.2:1 on white); labels are near-black on white. Fonts are Arial or Liberation Sans (the metric twin that
fonts-liberation installs), falling back to DejaVu Sans, which matplotlib ships.

A chart is drawn once for the figures it shows: the last ``KEPT`` charts drawn are kept in
this process, keyed by everything drawn (labels, values, axis title), so a repeat view of a
period's report draws nothing, and a change in the records, which changes a figure, draws
that chart afresh. Each chart is drawn once, its figure laid out beforehand from the
measured sizes of its labels (``_place``): ``bbox_inches="tight"``, which finds the edges by
drawing the figure unseen first, doubled the time (0.055 s a chart against 0.035 s).

The SVG goes into the page as ``<img src="data:image/svg+xml;base64,...">`` (``data_uri``):
matplotlib writes a ``<style>`` element and style attributes, which the page's
Content-Security-Policy would block inline but which govern only their own document in an
image. The PDF uses the same SVGs.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from functools import lru_cache

import matplotlib

matplotlib.use("svg")  # no GUI backend, ever

from matplotlib.backend_bases import RendererBase  # noqa: E402
from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402

from portal.services.common.collector import without_collections  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

# Process-wide settings, set once on import and never changed per request.
matplotlib.rcParams.update({
    "font.family": "sans-serif",
    "font.sans-serif": ["Arial", "Liberation Sans", "DejaVu Sans"],
    "font.size": 10,
    "svg.fonttype": "none",  # text stays text: smaller, and searchable in the PDF
    "svg.hashsalt": "feedback-report",  # the same figures give the same SVG
    "hatch.linewidth": 1.0,
})

# Grouped bars: light fills with a near-black edge and near-black hatching, so that each bar's
# outline stands out from white (WCAG 1.4.11) and the patterns show on every fill.
COLOURS = ["#5694ca", "#f3f2f1", "#85994b", "#f499be", "#ffdd00", "#b1b4b6"]
HATCHES = ["", "///", "xx", "\\\\\\", "--", "++"]  # lines only: dots bloat the SVG
BAR = "#1d70b8"
TEXT = "#0b0c0c"
WIDTH_IN = 6.4
KEPT = 32  # the report has four charts: the last eight periods' (10 to 40 KB each)


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    FigureCanvasSVG(figure)
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


# --- Laying a chart out before it is drawn ----------------------------------------------
# ``bbox_inches="tight"`` finds the figure's edges by drawing it once unseen and then again
# for real, and matplotlib's layout engines draw it unseen first too: that first drawing
# was half of a chart's time. Instead the axes keep the size they have in a figure of
# WIDTH_IN by the chart's height (matplotlib's default margins), and the figure is made
# around them from what is measured without drawing: the width and height of each label
# in its font. PAD is the margin "tight" left.

PT = 1 / 72  # inches in a point
PAD = 0.1
TICK = 3.5 + 3.5  # a tick's length and the gap to its label, in points
LABEL_PAD = 4.0  # between the tick labels and the axis title, in points
FONT = 10
_measure = RendererBase()


@lru_cache(maxsize=1024)
def _size(text: str, size: float = FONT) -> tuple[float, float]:
    """``text``'s width and height in points as matplotlib sets it (lines 1.2 apart)."""
    font = FontProperties(size=size)
    lines = text.split("\n")
    width = max(_measure.get_text_width_height_descent(line, font, ismath=False)[0] for line in lines)
    height = _measure.get_text_width_height_descent("lp", font, ismath=False)[1]
    return width, height * (1 + 1.2 * (len(lines) - 1))


def _place(figure: Figure, axes, box: tuple[float, float], margins: tuple[float, float, float, float]) -> None:
    """Size ``figure`` to ``axes`` of ``box`` (width, height) inches with ``margins`` (left,
    bottom, right, top) inches round it, each with PAD added."""
    (width, height), (left, bottom, right, top) = box, (m + PAD for m in margins)
    across, down = left + width + right, bottom + height + top
    figure.set_size_inches(across, down)
    axes.set_position([left / across, bottom / down, width / across, height / down])


def _axes_box(height: float) -> tuple[float, float]:
    """The axes' size in a figure of WIDTH_IN by ``height``, at matplotlib's default margins."""
    return WIDTH_IN * (0.9 - 0.125), height * (0.88 - 0.11)


def _tidy(axes) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(colors=TEXT)


def horizontal_bars(labels: Sequence[str], values: Sequence[int], xlabel: str) -> str:
    """One series as horizontal bars, largest at the top, each labelled with its value."""
    return _horizontal_bars(tuple(labels), tuple(values), xlabel)


@lru_cache(maxsize=KEPT)
@without_collections()  # a figure is some ten thousand objects in cycles
def _horizontal_bars(labels: tuple[str, ...], values: tuple[int, ...], xlabel: str) -> str:
    labels, values = list(labels) or ["None"], list(values) or [0]
    box = _axes_box(max(1.6, 0.42 * len(labels) + 0.9))
    figure = Figure()
    axes = figure.add_subplot()
    positions = range(len(labels))
    bars = axes.barh(positions, values, color=BAR, edgecolor=TEXT, linewidth=0.6)
    axes.set_yticks(list(positions), labels=labels)
    axes.invert_yaxis()
    axes.bar_label(bars, padding=3, color=TEXT)
    axes.set_xlabel(xlabel, color=TEXT)
    end = max(max(values), 1) * 1.15
    axes.set_xlim(0, end)
    axes.xaxis.get_major_locator().set_params(integer=True)
    _tidy(axes)
    _place(figure, axes, box, _horizontal_margins(labels, values, xlabel, end, box[0]))
    return _svg(figure)


def _horizontal_margins(labels, values, xlabel: str, end: float, width: float):
    """(left, bottom, right, top) inches: the category labels at the left; the tick labels
    and the title below; at the right, half the last tick's label or the value printed
    past the longest bar (3 points after it, as bar_label's padding), whichever is more."""
    left = max(_size(label)[0] for label in labels) + TICK
    bottom = TICK + _size("0")[1] + LABEL_PAD + _size(xlabel)[1]
    longest = max(values)
    past_bar = longest / end * width / PT + 3 + _size(f"{longest:g}")[0] - width / PT
    right = max(_size(str(int(end)))[0] / 2, past_bar, 0)
    return left * PT, bottom * PT, right * PT, 0


def grouped_bars(categories: Sequence[str], series: Sequence[tuple[str, Sequence[int]]],
                 ylabel: str) -> str:
    """Several series (such as quarters) side by side for each category; each series has
    its own colour and hatch pattern, and every bar is labelled with its value."""
    return _grouped_bars(tuple(categories), tuple((name, tuple(values)) for name, values in series), ylabel)


@lru_cache(maxsize=KEPT)
@without_collections()  # a figure is some ten thousand objects in cycles
def _grouped_bars(categories: tuple[str, ...], series: tuple[tuple[str, tuple[int, ...]], ...],
                  ylabel: str) -> str:
    count = max(len(series), 1)
    width = 0.8 / count
    box = _axes_box(3.6)
    figure = Figure()
    axes = figure.add_subplot()
    top = 1
    for index, (name, values) in enumerate(series):
        offsets = [c - 0.4 + width * (index + 0.5) for c in range(len(categories))]
        bars = axes.bar(offsets, list(values), width, label=name,
                        color=COLOURS[index % len(COLOURS)], edgecolor=TEXT, linewidth=0.6,
                        hatch=HATCHES[index % len(HATCHES)])
        axes.bar_label(bars, padding=2, color=TEXT, fontsize=8)
        top = max([top, *values])
    axes.set_xticks(range(len(categories)), labels=list(categories))
    # The limits matplotlib's margins would give the bars (5% of their span each side),
    # set here so that the layout knows where the first and last labels fall.
    span = max(len(categories), 1) - 0.2
    across = (-0.4 - 0.05 * span, span - 0.4 + 0.05 * span)
    axes.set_xlim(*across)
    axes.set_ylabel(ylabel, color=TEXT)
    axes.set_ylim(0, top * 1.18)
    axes.yaxis.get_major_locator().set_params(integer=True)
    legend = _legend_size([name for name, _ in series], min(count, 5))
    # The legend a little below the tick labels, centred under the axes.
    below = (TICK + _size(_tallest(categories))[1] + LEGEND_GAP) * PT
    if series:
        axes.legend(frameon=False, ncols=min(count, 5), loc="upper center", borderaxespad=0,
                    bbox_to_anchor=(0.5, -below / box[1]), handleheight=1.4, handlelength=2.4)
    _tidy(axes)
    _place(figure, axes, box, _grouped_margins(categories, ylabel, top * 1.18, across, box[0], below, legend))
    return _svg(figure)


LEGEND_GAP = 2  # points between the tick labels and the legend (inside its own 4)


def _tallest(labels) -> str:
    return max(labels, key=lambda label: label.count("\n"), default="")


def _legend_size(names: list[str], columns: int) -> tuple[float, float]:
    """The legend's (width, height) in points, every column as wide as the widest name:
    each entry a 2.4 by 1.4 em handle, 0.8 em, the name; 2 em between columns, 0.5 em
    between rows, 0.4 em round it (matplotlib's legend.* defaults and the sizes above)."""
    if not names:
        return 0, 0
    em = FONT
    rows = -(-len(names) // columns)
    entry = 2.4 * em + 0.8 * em + max(_size(name)[0] for name in names)
    row = max(1.4 * em, _size("lp")[1])
    return (columns * entry + (columns - 1) * 2 * em + 0.8 * em,
            rows * row + (rows - 1) * 0.5 * em + 0.8 * em)


def _grouped_margins(categories, ylabel: str, end: float, across: tuple[float, float], width: float,
                     below: float, legend: tuple[float, float]):
    """(left, bottom, right, top) inches: the axis title and tick labels at the left; the
    category labels and the legend below; the first and last category's label where it
    stands past the axes' ends, and the legend where it is wider than the axes; half the
    top tick's label above."""
    tick_width, tick_height = _size(str(int(end)))
    left = (_size(ylabel)[1] + LABEL_PAD + tick_width + TICK) * PT
    first, last = (_size(categories[0])[0], _size(categories[-1])[0]) if categories else (0, 0)
    per_unit = width / (across[1] - across[0])
    left_past = first / 2 * PT - (0 - across[0]) * per_unit
    right_past = last / 2 * PT - (across[1] - (len(categories) - 1)) * per_unit
    legend_past = max(0, legend[0] * PT - width) / 2
    return (max(left, left_past, legend_past), below + legend[1] * PT,
            max(right_past, legend_past, 0), tick_height / 2 * PT)


def forget_drawn() -> None:
    """Let go of the charts kept (for measuring and testing a first view)."""
    _horizontal_bars.cache_clear()
    _grouped_bars.cache_clear()


def data_uri(svg: str) -> str:
    """The SVG as a data: address for an ``<img>`` (the CSP allows ``img-src data:``)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
