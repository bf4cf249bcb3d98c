"""The y axis of the analytics bar charts: a few round steps, whole numbers for counts (a chart of
conversations has no tick at "1.2"), and every bar fits under the axis maximum."""

from __future__ import annotations

import re

import pytest

from web.services.svg_charts import _axis, bar_chart


@pytest.mark.parametrize(("top", "counts", "axis_max", "step"), [
    (0, True, 1, 1),        # an empty range still draws an axis
    (1, True, 1, 1),
    (3, True, 3, 1),        # was 0, 1.2, 2.5, 3.8, 5
    (5, True, 6, 2),
    (8, True, 8, 2),
    (37, True, 40, 10),
    (101, True, 150, 50),
    (0.7, False, 0.8, 0.2),  # hours or shares may have fractional steps
    (12.5, False, 15, 5),
])
def test_axis(top, counts, axis_max, step):
    assert _axis(top, counts) == (pytest.approx(axis_max), pytest.approx(step))


def _ticks(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end"[^>]*>([^<]*)</text>', svg)


def test_count_chart_ticks_are_whole_numbers_and_bars_fit():
    svg = str(bar_chart("c", "Conversations", "per day", ["01.12", "02.12"],
                        [("bot", [1, 0], "#000"), ("handed over", [2, 1], "#111")]))
    assert _ticks(svg) == ["0", "1", "2", "3"]
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg)]
    assert heights and max(heights) <= 260


def test_fractional_values_keep_fractional_ticks():
    assert _ticks(str(bar_chart("c", "Hours", "median", ["a"], [("h", [0.7], "#000")]))) == \
        ["0", "0.2", "0.4", "0.6", "0.8"]
