"""The report's charts, drawn once as plain SVG and used in every format.

Drawn by hand rather than with a plotting library: a chart here is a handful of bars, lines and
labels, and writing that SVG directly takes a millisecond where matplotlib took a tenth of a
second a chart (plus half a second to import), which decided whether a board PDF took two seconds
or nine. The SVG goes inline into the web page and the PDF (text stays text: crisp and
searchable); Word and Excel get a PNG rasterised from that same SVG (``Chart.png``), so every
format shows the same drawing.

The SVG uses presentation attributes only (no ``style``), so pages need no inline-style
exception in their Content Security Policy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Iterable, Protocol, Sequence, cast
from xml.sax.saxutils import escape, quoteattr

from saferhub.domain.calendar import FinancialYear
from saferhub.domain.report import IndicatorEntry, PeriodRow

# GOV.UK palette: colour-blind safe pairs with strong contrast.
BLACK = "#0b0c0c"
BLUE = "#1d70b8"
GREY = "#505a5f"
GRID = "#e5e6e7"
ORANGE = "#f47738"
PURPLE = "#4c2c92"
RED = "#d4351c"

FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
FONT_SIZE = 11
SMALL = 10
TOP = 40  # title on the first line, legend on the second, then the plot
PNG_SCALE = 2  # about 200 dpi at the sizes Word and Excel show them


@dataclass
class Chart:
    title: str
    svg: str
    alt: str
    width: int = 640
    height: int = 180

    @cached_property
    def png(self) -> bytes:
        """The same drawing as a PNG, for Word and Excel (which do not take SVG everywhere)."""
        import cairosvg  # loads libcairo; only Word and Excel need it

        return cast(bytes, cairosvg.svg2png(bytestring=self.svg.encode("utf-8"), scale=PNG_SCALE))


# --- scales -----------------------------------------------------------------------------------


def nice_ticks(low: float, high: float, *, target: int = 5) -> list[float]:
    """Round tick values covering [low, high], steps of 1, 2, 2.5 or 5 times a power of ten."""
    if not math.isfinite(low) or not math.isfinite(high):
        return [0.0, 1.0]
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(1, target)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    count = int(round((last - first) / step))
    return [round(first + i * step, 10) for i in range(count + 1)]


def tick_label(value: float, step: float) -> str:
    """As many decimals as the step needs (2.5 needs one, 0.25 two), thousands separated."""
    decimals = 0
    while decimals < 6 and abs(step * 10**decimals - round(step * 10**decimals)) > 1e-9:
        decimals += 1
    return f"{value:,.{decimals}f}"


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


@dataclass
class _Panel:
    """One plotting area: categories along x, a linear scale up y."""

    left: float
    top: float
    width: float
    height: float
    count: int
    y_ticks: list[float]
    parts: list[str] = field(default_factory=list)

    @property
    def y_min(self) -> float:
        return self.y_ticks[0]

    @property
    def y_max(self) -> float:
        return self.y_ticks[-1]

    def x(self, i: float) -> float:
        return self.left + self.slot * (i + 0.5)

    def y(self, v: float) -> float:
        span = (self.y_max - self.y_min) or 1.0
        return self.top + self.height - (v - self.y_min) / span * self.height

    @property
    def slot(self) -> float:
        return self.width / max(1, self.count)

    def axes(self, x_labels: Sequence[str], *, y_title: str, every: int = 1) -> None:
        step = self.y_ticks[1] - self.y_ticks[0] if len(self.y_ticks) > 1 else 1.0
        for t in self.y_ticks:
            y = self.y(t)
            self.parts.append(
                f'<line x1="{_num(self.left)}" y1="{_num(y)}" x2="{_num(self.left + self.width)}" y2="{_num(y)}" stroke="{GRID}" stroke-width="1"/>'
            )
            self.parts.append(_text(self.left - 4, y + 3.5, tick_label(t, step), anchor="end", size=SMALL))
        base = self.top + self.height
        self.parts.append(
            f'<line x1="{_num(self.left)}" y1="{_num(base)}" x2="{_num(self.left + self.width)}" y2="{_num(base)}" stroke="{GREY}" stroke-width="1"/>'
        )
        for i, label in enumerate(x_labels):
            if i % every == 0:
                self.parts.append(_text(self.x(i), base + 13, label, anchor="middle", size=SMALL))
        self.parts.append(
            _text(
                self.left - 34,
                self.top + self.height / 2,
                y_title,
                anchor="middle",
                size=SMALL,
                colour=GREY,
                upright=True,
            )
        )

    def bars(self, values: Sequence[float | None], colour: str) -> None:
        width = self.slot * 0.62
        zero = self.y(max(self.y_min, 0.0))
        for i, v in enumerate(values):
            if v is None:
                continue
            y = self.y(v)
            top, height = min(y, zero), abs(zero - y)
            self.parts.append(
                f'<rect x="{_num(self.x(i) - width / 2)}" y="{_num(top)}" width="{_num(width)}" height="{_num(height)}" fill="{colour}"/>'
            )

    def line(
        self, values: Sequence[float | None], colour: str, *, dash: str = "", markers: bool = True, width: float = 1.75
    ) -> None:
        """A line through the known values, broken where a value is missing."""
        runs: list[list[tuple[float, float]]] = [[]]
        for i, v in enumerate(values):
            if v is None:
                runs.append([])
            else:
                runs[-1].append((self.x(i), self.y(v)))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for run in runs:
            if len(run) > 1:
                pts = " ".join(f"{_num(x)},{_num(y)}" for x, y in run)
                self.parts.append(
                    f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="{width}"{dash_attr}/>'
                )
            if markers:
                for x, y in run:
                    self.parts.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="2.4" fill="{colour}"/>')

    def hline(self, start: float, end: float, value: float, colour: str, *, dash: str = "", width: float = 1.0) -> None:
        """A horizontal line from the middle of slot ``start`` to the middle of slot ``end``."""
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        y = _num(self.y(value))
        self.parts.append(
            f'<line x1="{_num(self.x(start))}" y1="{y}" x2="{_num(self.x(end))}" y2="{y}" stroke="{colour}" stroke-width="{width}"{dash_attr}/>'
        )

    def dot(self, i: int, value: float, colour: str, r: float = 3.6) -> None:
        self.parts.append(
            f'<circle cx="{_num(self.x(i))}" cy="{_num(self.y(value))}" r="{r}" fill="{colour}" stroke="#ffffff" stroke-width="0.8"/>'
        )


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: float = FONT_SIZE,
    colour: str = BLACK,
    weight: str = "",
    upright: bool = False,
) -> str:
    """A label at (x, y); ``upright`` turns it to read bottom to top, about that point."""
    bold = f' font-weight="{weight}"' if weight else ""
    turn = f' transform="rotate(-90 {_num(x)} {_num(y)})"' if upright else ""
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" font-size="{size}" text-anchor="{anchor}" fill="{colour}"{bold}{turn}>'
        f"{escape(text)}</text>"
    )


def _legend(x: float, y: float, entries: Iterable[tuple[str, str, str]]) -> list[str]:
    """Entries of (kind, colour, label), kind "bar", "line", "dash", "dot" or "dotted"; left to right."""
    parts = []
    for kind, colour, label in entries:
        if kind == "bar":
            parts.append(f'<rect x="{_num(x)}" y="{_num(y - 8)}" width="10" height="9" fill="{colour}"/>')
        elif kind == "dot":
            parts.append(f'<circle cx="{_num(x + 5)}" cy="{_num(y - 3.5)}" r="3.6" fill="{colour}"/>')
        else:
            dash = {"dash": ' stroke-dasharray="5 3"', "dotted": ' stroke-dasharray="1.5 2.5"'}.get(kind, "")
            parts.append(
                f'<line x1="{_num(x - 2)}" y1="{_num(y - 3.5)}" x2="{_num(x + 12)}" y2="{_num(y - 3.5)}" stroke="{colour}" stroke-width="1.75"{dash}/>'
            )
        parts.append(_text(x + 15, y, label, size=SMALL))
        x += 15 + 5.6 * len(label) + 14
    return parts


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sh-chart-svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family={quoteattr(FONT)} focusable="false">'
        f'<title>{escape(title)}</title><rect width="{width}" height="{height}" fill="#ffffff"/>{"".join(body)}</svg>'
    )


def _range_ticks(values: Iterable[float | None], *, from_zero: bool, floor: float | None = None) -> list[float]:
    """Ticks covering the values, from zero or padded a little; never below ``floor`` when given
    (a count or a rate cannot fall below zero, so its axis does not either)."""
    known = [v for v in values if v is not None]
    if not known:
        return [0.0, 1.0]
    low = min(0.0, min(known)) if from_zero else min(known)
    high = max(known)
    if not from_zero:
        pad = (high - low) * 0.05 or abs(high) * 0.05 or 1.0
        low, high = low - pad, high + pad
    if floor is not None:
        low = max(low, floor)
    return nice_ticks(low, high)


# --- the report's charts -----------------------------------------------------------------------


class ChartIndicator(Protocol):
    """What the figures chart draws: an indicator of the report, or its published figures."""

    @property
    def title(self) -> str: ...

    @property
    def unit(self) -> str: ...

    @property
    def periods(self) -> Sequence[PeriodRow]: ...


@dataclass(frozen=True)
class IndicatorCharts:
    """An indicator's charts, drawn once for every format: its figures and its XmR chart."""

    figures: Chart
    spc: Chart | None


def _figures(values: Iterable[Decimal | None]) -> list[float | None]:
    """Figures as the chart's coordinates."""
    return [None if v is None else float(v) for v in values]


def _labels(periods: Sequence[PeriodRow]) -> list[str]:
    """Within one financial year the month is enough ("Apr"); the legend names the year."""
    return [p.period.short_name.split("-")[0] for p in periods]


PANEL_HEIGHT = 150  # the plotting area of one panel of the figures chart
FIGURES_WIDTH = 320  # narrow and tall: the chart stands beside its table


def indicator_chart(ind: ChartIndicator, financial_year: FinancialYear | str) -> Chart:
    """This year's periods as bars against last year's as a line; a cumulative target, when set,
    as a dashed line against the cumulative on a second panel below (rates: the target on the same
    one). Narrow, so that it stands beside the table of the same figures."""
    periods = ind.periods
    year = str(financial_year)
    labels = _labels(periods)
    is_rate = ind.unit == "percentage"
    targeted = any(p.target_cumulative is not None for p in periods)
    two_panels = targeted and not is_rate
    this = _figures(p.value for p in periods)
    last = _figures(p.previous for p in periods)
    has_last = any(v is not None for v in last)
    width = FIGURES_WIDTH
    block = TOP + PANEL_HEIGHT + 22  # title, legend, plot and month labels
    height = block * (2 if two_panels else 1)
    targets = _figures(p.target_cumulative for p in periods) if is_rate and targeted else []
    upper = _Panel(48, TOP, width - 56, PANEL_HEIGHT, len(periods), _range_ticks(this + last + targets, from_zero=True))
    body = [_text(8, 12, "Each period", weight="bold")]
    upper.axes(labels, y_title="%" if is_rate else "Count")
    upper.bars(this, BLUE)
    legend = [("bar", BLUE, year)]
    if has_last:
        upper.line(last, ORANGE)
        legend.append(("line", ORANGE, "Last year"))
    if targets:
        upper.line(targets, GREY, dash="5 3", markers=False, width=1.25)
        legend.append(("dash", GREY, "Target"))
    for i, p in enumerate(periods):
        if p.missing:
            upper.parts.append(_text(upper.x(i) + 3, upper.y(0) - 4, "missing", size=8, colour=RED, upright=True))
    body += upper.parts + _legend(8, 27, legend)
    if two_panels:
        cumulative = _figures(p.cumulative for p in periods)
        target = _figures(p.target_cumulative for p in periods)
        lower = _Panel(
            48, block + TOP, width - 56, PANEL_HEIGHT, len(periods), _range_ticks(cumulative + target, from_zero=True)
        )
        lower.axes(labels, y_title="Cumulative")
        lower.line(cumulative, BLUE)
        lower.line(target, GREY, dash="5 3", markers=False, width=1.25)
        body += [_text(8, block + 12, "Cumulative against target", weight="bold")]
        body += lower.parts + _legend(8, block + 27, [("line", BLUE, "Cumulative"), ("dash", GREY, "Target")])
    alt = (
        f"Chart of {ind.title} for each period of {year}"
        + (" against last year" if has_last else "")
        + ("; cumulative against target" if targeted else "")
        + "; the same figures are in the table."
    )
    return Chart(title=ind.title, svg=_svg(width, height, alt, body), alt=alt, width=width, height=height)


POINT_COLOURS = {
    "special_cause_improvement": (BLUE, "Improvement"),
    "special_cause_concern": (ORANGE, "Concern"),
    "special_cause_neutral_high": (PURPLE, "Special cause"),
    "special_cause_neutral_low": (PURPLE, "Special cause"),
}


def spc_chart(ind: IndicatorEntry) -> Chart | None:
    """An XmR chart: the values, each segment's mean and process limits, a target when set, and
    special-cause points coloured by what they mean for this indicator's polarity. A lower limit
    below zero cannot bind (a count or a rate is never negative), nor can a percentage's upper limit
    above 100%: neither is drawn nor scaled for, as the tables print "no lower limit" and "no upper
    limit"."""
    spc = ind.spc
    if spc is None or not spc.points:
        return None
    points = spc.points
    values = [float(p.value) for p in points]
    bounds = [
        float(v)
        for s in spc.segments
        for v in (s.lpl if s.lower_binds else None, s.upl if s.upper_binds else None)
        if v is not None
    ]
    target = float(spc.target) if spc.target is not None else None
    width, height = 520, 210
    panel = _Panel(
        48,
        TOP,
        width - 60,
        height - TOP - 40,
        len(points),
        # A count's or a rate's axis starts no lower than zero (the values cannot go below it).
        _range_ticks(
            values + bounds + ([target] if target is not None else []),
            from_zero=False,
            floor=0.0 if min(values) >= 0 else None,
        ),
    )
    labels = [p.label for p in points]
    # Six or so labels, level: enough to read the months off, and far fewer shapes to draw in a PDF.
    panel.axes(labels, y_title="Value", every=max(1, math.ceil(len(points) / 6)))
    for seg in spc.segments:
        panel.hline(seg.start, seg.end, float(seg.mean), BLACK, width=1.1)
        if seg.upl is not None and seg.upper_binds:
            panel.hline(seg.start, seg.end, float(seg.upl), GREY, dash="5 3")
        if seg.lpl is not None and seg.lower_binds:
            panel.hline(seg.start, seg.end, float(seg.lpl), GREY, dash="5 3")
    if target is not None:
        panel.hline(0, len(points) - 1, target, RED, dash="1.5 2.5", width=1.5)
    panel.line(values, GREY, markers=len(points) <= 24, width=1.1)
    seen: dict[str, str] = {}
    for p in points:
        if p.point_type in POINT_COLOURS:
            colour, label = POINT_COLOURS[p.point_type]
            panel.dot(p.i, float(p.value), colour)
            seen.setdefault(label, colour)
    legend = [("line", BLACK, "Mean"), ("dash", GREY, "Process limits")]
    if target is not None:
        legend.append(("dotted", RED, "Target"))
    legend += [("dot", colour, label) for label, colour in seen.items()]
    body = [_text(8, 12, "Variation over time (XmR)", weight="bold")] + panel.parts + _legend(8, 27, legend)
    alt = (
        f"XmR chart of {ind.title} over {len(points)} months with its mean and process limits"
        + ("; points of special cause are coloured" if seen else "")
        + "."
    )
    return Chart(title=f"{ind.title}: SPC", svg=_svg(width, height, alt, body), alt=alt, width=width, height=height)
