"""The report's charts are laid out before they are drawn (charts.py), not cropped to what
was drawn: whatever the labels and figures, every label, value, title and legend entry is
inside the picture, and the picture has no more than a small margin round them. The
picture's bounds are checked against matplotlib's own measure of what it drew."""

from __future__ import annotations

import pytest

from portal.services.reports import charts

LONG_THEME = "Special educational needs and disabilities (SEND) and transport to school"


@pytest.fixture
def drawn(monkeypatch):
    """The figures the charts draw, kept as they were saved."""
    charts.forget_drawn()
    figures = []
    draw = charts._svg
    monkeypatch.setattr(charts, "_svg", lambda figure: figures.append(figure) or draw(figure))
    yield figures
    charts.forget_drawn()


def assert_everything_shows(figure) -> None:
    width, height = figure.get_size_inches()
    ink = figure.get_tightbbox()  # inches, of every artist drawn
    slack = 0.02  # an inch in fifty: rounding in the text's measure
    assert ink.x0 >= -slack and ink.y0 >= -slack, f"cut off at the left or bottom: {ink} in {width} x {height}"
    assert ink.x1 <= width + slack and ink.y1 <= height + slack, f"cut off at the right or top: {ink} in {width} x {height}"
    # Margins as bbox_inches="tight" leaves them (0.1 inch), with some room: the layout
    # measures labels, so it keeps no more than a little space it does not need.
    assert ink.x0 < 0.35 and ink.y0 < 0.35, f"a wide empty margin: {ink}"
    assert width - ink.x1 < 0.35 and height - ink.y1 < 0.5, f"a wide empty margin: {ink} in {width} x {height}"


@pytest.mark.parametrize("labels, values", [
    (["Communication", "Delay", "Staff attitude"], [12, 7, 1]),
    ([LONG_THEME, "Delay"], [123456, 99999]),  # a long name, six-digit counts at the bar's end
    (["Delay"], [0]),
    ([], []),  # nothing in the period: one empty bar, "None"
])
def test_a_bar_chart_shows_every_label_and_value(drawn, labels, values):
    svg = charts.horizontal_bars(labels, values, "Complaints")
    assert_everything_shows(drawn[-1])
    for text in [*(labels or ["None"]), *map(str, values), "Complaints"]:
        assert f">{text}<" in svg.replace("&amp;", "&")


@pytest.mark.parametrize("categories, series", [
    (["Compliments", "Initial\ncontacts", "Stage 1", "Stage 2", "Stage 3", "Ombudsman"],
     [("Q1", [4, 6, 3, 1, 0, 0]), ("Q2", [5, 2, 1, 0, 0, 1]), ("Q3", [0, 0, 0, 0, 0, 0]), ("Q4", [9, 9, 9, 9, 9, 9])]),
    (["Upheld", "Partly\nupheld", "Not upheld", "Withdrawn"], [("Stage 1", [40000, 300, 120000, 5])]),
    # six series: a legend of two rows, wider than the axes
    (["Compliments", "Ombudsman"], [(f"Quarter number {n}", [n, 10 * n]) for n in range(1, 7)]),
    (["Ombudsman"], []),  # no series: no legend
])
def test_a_grouped_bar_chart_shows_every_label_value_and_legend_entry(drawn, categories, series):
    svg = charts.grouped_bars(categories, series, "Number received")
    figure = drawn[-1]
    assert_everything_shows(figure)
    legend = figure.axes[0].get_legend()
    if not series:
        assert legend is None
        return
    assert [text.get_text() for text in legend.get_texts()] == [name for name, _ in series]
    # The legend is below the category labels, not over them.
    renderer = figure._get_renderer()
    lowest_label = min(label.get_window_extent(renderer).y0 for label in figure.axes[0].get_xticklabels())
    assert legend.get_window_extent(renderer).y1 <= lowest_label
    assert ">Number received<" in svg


def test_the_same_figures_give_the_same_svg_and_other_figures_another(drawn):
    first = charts.horizontal_bars(["Delay", "Transport"], [3, 2], "Complaints")
    charts.forget_drawn()
    assert charts.horizontal_bars(["Delay", "Transport"], [3, 2], "Complaints") == first
    assert charts.horizontal_bars(["Delay", "Transport"], [3, 1], "Complaints") != first


def test_a_chart_leaves_no_figure_behind_and_the_collector_on():
    import gc

    from matplotlib.figure import Figure

    def figures() -> set[int]:
        return {id(o) for o in gc.get_objects() if isinstance(o, Figure)}

    charts.forget_drawn()
    before = figures()
    assert gc.isenabled()
    charts.grouped_bars(["Upheld", "Not upheld"], [("Stage 1", [3, 4]), ("Stage 2", [1, 0])], "Elements")
    charts.horizontal_bars(["Delay"], [2], "Complaints")
    assert gc.isenabled()
    # Collected with the youngest objects as soon as drawn, not left for a full collection.
    assert not figures() - before
    with pytest.raises(TypeError):
        charts.horizontal_bars(["Delay"], ["two"], "Complaints")  # a count that is not a number
    assert gc.isenabled()
    charts.forget_drawn()
