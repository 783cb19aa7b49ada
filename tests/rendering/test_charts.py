"""The hand-drawn SVG charts: scales, what is drawn, and the PNG copy for Word and Excel."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal

import pytest

from saferhub.domain.calendar import Month
from saferhub.domain.report import PeriodRow, Spc, SpcPoint, SpcSegment, real
from saferhub.rendering.charts import PNG_SCALE, indicator_chart, nice_ticks, spc_chart, tick_label

SVG = "{http://www.w3.org/2000/svg}"


def _figure(v):
    return None if v is None else Decimal(v)


def _periods(values, previous, targets=None):
    months = [
        "2016-04",
        "2016-05",
        "2016-06",
        "2016-07",
        "2016-08",
        "2016-09",
        "2016-10",
        "2016-11",
        "2016-12",
        "2017-01",
        "2017-02",
        "2017-03",
    ]
    targets = targets or [None] * 12
    cumulative, total = [], 0
    for v in values:
        total = total + v if v is not None and total is not None else None
        cumulative.append(total)
    return tuple(
        PeriodRow(
            period=Month.parse(m),
            value=_figure(v),
            previous=_figure(p),
            change=None,
            cumulative=_figure(c),
            previous_cumulative=None,
            target=None,
            target_cumulative=_figure(t),
            gap=None,
            due=i < 8,
        )
        for i, (m, v, p, c, t) in enumerate(zip(months, values, previous, cumulative, targets))
    )


@dataclass(frozen=True)
class _Indicator:
    """What the charts draw of an indicator: its title, unit, periods and SPC."""

    title: str
    unit: str
    periods: tuple[PeriodRow, ...]
    spc: Spc | None


def _indicator(values, previous, *, unit="count", targets=None, spc=None):
    return _Indicator("Overall crime", unit, _periods(values, previous, targets), spc)


def _spc(points, segments, target=None):
    """An XmR chart from plain points {i, period, value, point_type} and segments {start, end, mean, lpl, upl}."""
    return Spc(
        segments=tuple(
            SpcSegment(
                start=s["start"],
                end=s["end"],
                mean=real(s["mean"]),
                lpl=real(s["lpl"]),
                upl=real(s["upl"]),
                lower_2sigma=None,
                upper_2sigma=None,
                start_period=None,
                end_period=None,
                trial_limits=False,
                unit=s.get("unit", "count"),
            )
            for s in segments
        ),
        points=tuple(
            SpcPoint(
                i=p["i"],
                value=real(float(p["value"])),
                special_cause=p["point_type"] != "common_cause",
                rules=(),
                point_type=p["point_type"],
                period=Month.parse(p["period"]),
            )
            for p in points
        ),
        variation_icon="common_cause",
        assurance=None,
        target=real(target),
    )


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 1692, [0, 500, 1000, 1500, 2000]),
        (0, 67, [0, 20, 40, 60, 80]),
        (0, 9, [0, 2, 4, 6, 8, 10]),
        (0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (1262.3, 1757.1, [1200, 1300, 1400, 1500, 1600, 1700, 1800]),
        (5, 5, [5, 6, 7, 8, 9, 10]),
    ],
)
def test_nice_ticks_cover_the_range_in_round_steps(low, high, expected):
    assert nice_ticks(low, high) == pytest.approx(expected)


def test_tick_labels_take_the_decimals_their_step_needs():
    assert tick_label(1500, 500) == "1,500"
    assert tick_label(0.5, 0.25) == "0.50"
    assert tick_label(7.5, 2.5) == "7.5"
    assert tick_label(0.4, 0.2) == "0.4"


def test_figures_chart_draws_a_bar_per_known_month_and_last_year_as_a_line():
    values = [1335, 1576, 1611, 1692, 1637, 1590, 1570, 1575, None, None, None, None]
    previous = [1652, 1684, 1407, 1469, 1386, 1467, 1565, 1386, 1427, 1332, 1334, 1498]
    chart = indicator_chart(_indicator(values, previous), "2016/17")
    root = ET.fromstring(chart.svg)
    assert root.find(f"{SVG}title").text == chart.alt
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "#1d70b8" and float(r.get("height")) > 0]
    assert len(bars) == 8 + 1  # eight months and the legend's swatch
    lines = [p for p in root.iter(f"{SVG}polyline") if p.get("stroke") == "#f47738"]
    assert len(lines) == 1 and len(lines[0].get("points").split()) == 12
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert labels.count("Apr") == 1 and "Mar" in labels and "2,000" in labels
    assert "style=" not in chart.svg  # no inline styles: the page's CSP allows none


def test_taller_bar_is_drawn_taller():
    chart = indicator_chart(_indicator([10, 20] + [None] * 10, [None] * 12), "2016/17")
    heights = [
        float(r.get("height"))
        for r in ET.fromstring(chart.svg).iter(f"{SVG}rect")
        if r.get("fill") == "#1d70b8" and r.get("width") != "10"
    ]
    assert heights[1] == pytest.approx(2 * heights[0], rel=0.01)


def test_a_missing_month_is_marked_and_its_line_broken():
    values = [41, 61, None, 67, 34, 51, 47, None, None, None, None, None]
    chart = indicator_chart(_indicator(values, [None] * 12), "2016/17")
    texts = [t.text for t in ET.fromstring(chart.svg).iter(f"{SVG}text")]
    assert texts.count("missing") == 2  # Jun and Nov are due and missing; Dec on are not yet due


def test_a_count_with_a_target_gets_a_cumulative_panel():
    targets = [55, 108, 162, 214, 268, 321, 375, 428, 482, 536, 588, 640]
    chart = indicator_chart(
        _indicator([41, 61, 60, 67, 34, 51, 47] + [None] * 5, [None] * 12, targets=targets), "2016/17"
    )
    texts = [t.text for t in ET.fromstring(chart.svg).iter(f"{SVG}text")]
    assert "Cumulative against target" in texts and "Target" in texts
    assert "cumulative against target" in chart.alt


def test_spc_chart_colours_special_causes_by_meaning_and_draws_limits_per_segment():
    points = [
        {
            "i": i,
            "period": f"2015-{i + 4:02d}" if i < 9 else f"2016-{i - 8:02d}",
            "value": v,
            "point_type": "common_cause",
        }
        for i, v in enumerate([10, 11, 9, 10, 12, 10, 9, 11, 10, 30, 10, 11])
    ]
    points[9]["point_type"] = "special_cause_concern"
    spc = _spc(
        points,
        [
            {"start": 0, "end": 5, "mean": 10.3, "lpl": 7.0, "upl": 13.6},
            {"start": 6, "end": 11, "mean": 13.5, "lpl": 1.0, "upl": 26.0},
        ],
    )
    chart = spc_chart(_indicator([1] * 12, [None] * 12, spc=spc))
    root = ET.fromstring(chart.svg)
    concern = [c for c in root.iter(f"{SVG}circle") if c.get("fill") == "#f47738" and c.get("r") == "3.6"]
    assert len(concern) == 2  # the point and its legend entry
    dashed = [
        ln for ln in root.iter(f"{SVG}line") if ln.get("stroke-dasharray") == "5 3" and ln.get("x1") != ln.get("x2")
    ]
    assert len(dashed) == 2 * 2 + 1  # two limits per segment and the legend
    assert "Concern" in [t.text for t in root.iter(f"{SVG}text")]


def test_no_spc_chart_without_points():
    assert spc_chart(_indicator([1] * 12, [None] * 12, spc=None)) is None


def test_png_copy_is_the_same_drawing_rasterised():
    chart = indicator_chart(_indicator([5, 6] + [None] * 10, [4, 7] + [None] * 10), "2016/17")
    png = chart.png
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    assert width == int(chart.width * PNG_SCALE)


def test_spc_chart_draws_no_lower_limit_below_zero_for_a_count():
    """A count cannot fall below zero: a lower limit below it is no limit (the tables say "no lower
    limit"), so the chart draws only the upper one (issue 17)."""
    values = [3, 0, 1, 4, 0, 2, 5, 1, 0, 3, 2, 1]
    points = [
        {"i": i, "period": f"2016-{i + 1:02d}", "value": v, "point_type": "common_cause"} for i, v in enumerate(values)
    ]
    chart = spc_chart(
        _indicator(
            [1] * 12, [None] * 12, spc=_spc(points, [{"start": 0, "end": 11, "mean": 1.8, "lpl": -3.3, "upl": 6.9}])
        )
    )
    root = ET.fromstring(chart.svg)
    dashed = [
        ln for ln in root.iter(f"{SVG}line") if ln.get("stroke-dasharray") == "5 3" and ln.get("x1") != ln.get("x2")
    ]
    assert len(dashed) == 1 + 1  # the upper limit and the legend


def test_spc_chart_draws_no_upper_limit_above_100_for_a_percentage():
    """A percentage cannot rise above 100%: the demo's satisfaction rate drew its upper limit at
    about 110% while its table said "no upper limit"; now only the lower one is drawn."""
    values = [100, 89, 89, 86, 75, 90]
    points = [
        {"i": i, "period": f"2016-{i + 4:02d}", "value": v, "point_type": "common_cause"} for i, v in enumerate(values)
    ]
    segment = {"start": 0, "end": 5, "mean": 88.2, "lpl": 66.9, "upl": 109.5, "unit": "percentage"}
    chart = spc_chart(_indicator([1] * 12, [None] * 12, unit="percentage", spc=_spc(points, [segment])))
    root = ET.fromstring(chart.svg)
    dashed = [
        ln for ln in root.iter(f"{SVG}line") if ln.get("stroke-dasharray") == "5 3" and ln.get("x1") != ln.get("x2")
    ]
    assert len(dashed) == 1 + 1  # the lower limit and the legend


def _y_ticks(svg: str) -> list[float]:
    """The chart's numeric axis labels (the months are words), as numbers."""
    texts = [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]
    return [
        float(t.replace(",", "").replace("\N{MINUS SIGN}", "-"))
        for t in texts
        if re.fullmatch(r"[-−]?[\d,]+(\.\d+)?", t)
    ]


@pytest.mark.parametrize(
    "values, lpl, upl",
    [
        # The demo's hate crime: a lower limit just above zero, padded to an axis from -20 before.
        ([17, 30, 22, 54, 35, 28, 41, 19, 33, 25, 38, 30], 0.38, 62.82),
        # Vehicle arson: a lower limit below zero, not drawn, and the values' padding below zero.
        ([3, 0, 1, 4, 0, 2, 5, 1, 0, 3, 2, 1], -3.26, 13.26),
    ],
)
def test_a_counts_spc_axis_starts_at_zero(values, lpl, upl):
    """A count cannot fall below zero, so its XmR chart's axis does not either (issue 17)."""
    points = [
        {"i": i, "period": f"2016-{i + 1:02d}", "value": v, "point_type": "common_cause"} for i, v in enumerate(values)
    ]
    mean = sum(values) / len(values)
    chart = spc_chart(
        _indicator(
            [1] * 12, [None] * 12, spc=_spc(points, [{"start": 0, "end": 11, "mean": mean, "lpl": lpl, "upl": upl}])
        )
    )
    ticks = _y_ticks(chart.svg)
    assert ticks and min(ticks) == 0 and max(ticks) >= upl
