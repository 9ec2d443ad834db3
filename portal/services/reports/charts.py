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
that chart afresh. Drawing is most of the page's time (about 0.3 s a chart, two draws each:
``bbox_inches="tight"`` measures the figure by drawing it once first).

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

from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: E402
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
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return buffer.getvalue()


def _tidy(axes) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(colors=TEXT)


def horizontal_bars(labels: Sequence[str], values: Sequence[int], xlabel: str) -> str:
    """One series as horizontal bars, largest at the top, each labelled with its value."""
    return _horizontal_bars(tuple(labels), tuple(values), xlabel)


@lru_cache(maxsize=KEPT)
def _horizontal_bars(labels: tuple[str, ...], values: tuple[int, ...], xlabel: str) -> str:
    labels, values = list(labels) or ["None"], list(values) or [0]
    height = max(1.6, 0.42 * len(labels) + 0.9)
    figure = Figure(figsize=(WIDTH_IN, height))
    axes = figure.add_subplot()
    positions = range(len(labels))
    bars = axes.barh(positions, values, color=BAR, edgecolor=TEXT, linewidth=0.6)
    axes.set_yticks(list(positions), labels=labels)
    axes.invert_yaxis()
    axes.bar_label(bars, padding=3, color=TEXT)
    axes.set_xlabel(xlabel, color=TEXT)
    axes.set_xlim(0, max(max(values), 1) * 1.15)
    axes.xaxis.get_major_locator().set_params(integer=True)
    _tidy(axes)
    return _svg(figure)


def grouped_bars(categories: Sequence[str], series: Sequence[tuple[str, Sequence[int]]],
                 ylabel: str) -> str:
    """Several series (such as quarters) side by side for each category; each series has
    its own colour and hatch pattern, and every bar is labelled with its value."""
    return _grouped_bars(tuple(categories), tuple((name, tuple(values)) for name, values in series), ylabel)


@lru_cache(maxsize=KEPT)
def _grouped_bars(categories: tuple[str, ...], series: tuple[tuple[str, tuple[int, ...]], ...],
                  ylabel: str) -> str:
    count = max(len(series), 1)
    width = 0.8 / count
    figure = Figure(figsize=(WIDTH_IN, 3.6))
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
    axes.set_ylabel(ylabel, color=TEXT)
    axes.set_ylim(0, top * 1.18)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.legend(frameon=False, ncols=min(count, 5), loc="upper center",
                bbox_to_anchor=(0.5, -0.12), handleheight=1.4, handlelength=2.4)
    _tidy(axes)
    return _svg(figure)


def forget_drawn() -> None:
    """Let go of the charts kept (for measuring and testing a first view)."""
    _horizontal_bars.cache_clear()
    _grouped_bars.cache_clear()


def data_uri(svg: str) -> str:
    """The SVG as a data: address for an ``<img>`` (the CSP allows ``img-src data:``)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
