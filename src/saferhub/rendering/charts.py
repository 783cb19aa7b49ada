"""Charts drawn once with matplotlib, exported as SVG (HTML, PDF) and PNG (Word, Excel)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no screen; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from saferhub.domain.calendar import parse_period  # noqa: E402

# GOV.UK palette: colour-blind safe pairs with strong contrast.
BLUE = "#1d70b8"
GREY = "#505a5f"
LIGHT_GREY = "#b1b4b6"
ORANGE = "#f47738"
PURPLE = "#4c2c92"
RED = "#d4351c"
GREEN = "#00703c"

def _available_families(wanted: list[str]) -> list[str]:
    """The wanted families that matplotlib's font cache knows. Asking for a missing one makes
    matplotlib search and warn for every piece of text (seconds per report), which happens when
    fonts were installed after its cache was built."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    return [w for w in wanted if w in known] + ["sans-serif"]


plt.rcParams.update({
    "font.family": _available_families(["Liberation Sans", "DejaVu Sans"]),
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "none",  # text stays text: searchable and crisp in the PDF
    "svg.hashsalt": "saferhub",  # stable ids, so the same report gives the same file
})


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str
    png: bytes | None
    alt: str


def _unique_ids(svg: str, prefix: str) -> str:
    """Prefix every id (and reference to one) so that many charts can share one page."""
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r'url\(#([^)]+)\)', lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    return re.sub(r'(xlink:href|href)="#([^"]+)"', lambda m: f'{m.group(1)}="#{prefix}-{m.group(2)}"', svg)


def _finish(fig: Figure, title: str, alt: str, png: bool, key: str) -> Chart:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = re.sub(r"^<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?", "", buf.getvalue())
    svg = _unique_ids(svg, re.sub(r"[^A-Za-z0-9_-]", "-", key))
    raster = None
    if png:
        buf_png = io.BytesIO()
        fig.savefig(buf_png, format="png", dpi=150, bbox_inches="tight")
        raster = buf_png.getvalue()
    plt.close(fig)
    return Chart(title=title, svg=svg, png=raster, alt=alt)


def _labels(periods: list[dict[str, Any]]) -> list[str]:
    return [parse_period(p["period"]).short_name for p in periods]


def indicator_chart(ind: dict[str, Any], financial_year: str, *, png: bool = True) -> Chart:
    """This year's periods as bars against last year's as a line; a cumulative target, when
    set, as a dashed line against the cumulative on a second panel."""
    periods = ind["periods"]
    labels = _labels(periods)
    x = list(range(len(periods)))
    has_target = any(p["target_cumulative"] is not None for p in periods)
    is_rate = ind["unit"] == "percentage"
    fig, axes = plt.subplots(1, 2 if has_target and not is_rate else 1, figsize=(8.0, 1.75))
    ax = axes[0] if isinstance(axes, (list, tuple)) or hasattr(axes, "__len__") else axes
    this = [p["value"] for p in periods]
    last = [p["previous"] for p in periods]
    ax.bar([i for i, v in zip(x, this) if v is not None], [v for v in this if v is not None], color=BLUE, label=financial_year)
    if any(v is not None for v in last):
        ax.plot([i for i, v in zip(x, last) if v is not None], [v for v in last if v is not None],
                color=ORANGE, marker="o", markersize=3, linewidth=1.5, label="Last year")
    if is_rate and has_target:
        targets = [p["target_cumulative"] for p in periods]
        ax.plot([i for i, v in zip(x, targets) if v is not None], [v for v in targets if v is not None],
                color=GREY, linestyle="--", linewidth=1, label="Target")
    missing = [i for i, p in enumerate(periods) if p["due"] and p["value"] is None]
    for i in missing:
        ax.annotate("missing", (i, 0), xytext=(0, 4), textcoords="offset points", ha="center", fontsize=7, color=RED, rotation=90)
    ax.set_xticks(x, labels, rotation=0 if len(x) <= 4 else 90)
    ax.set_ylabel("%" if is_rate else "Count")
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=7, loc="lower right")
    ax.set_title("Each period", fontsize=9, loc="left")
    if has_target and not is_rate:
        ax2 = axes[1]
        cum = [p["cumulative"] for p in periods]
        target = [p["target_cumulative"] for p in periods]
        ax2.plot([i for i, v in zip(x, cum) if v is not None], [v for v in cum if v is not None], color=BLUE, marker="o", markersize=3, label="Cumulative")
        ax2.plot([i for i, v in zip(x, target) if v is not None], [v for v in target if v is not None], color=GREY, linestyle="--", label="Target (cumulative)")
        ax2.set_xticks(x, labels, rotation=90)
        ax2.set_ylim(bottom=0)
        ax2.legend(frameon=False, fontsize=7, loc="upper left")
        ax2.set_title("Cumulative against target", fontsize=9, loc="left")
    fig.tight_layout()
    alt = f"Chart of {ind['title']} for each period of {financial_year}" + (" against last year" if any(v is not None for v in last) else "") + "; the same figures are in the table."
    return _finish(fig, ind["title"], alt, png, f"chart-{ind['code']}")


def spc_chart(ind: dict[str, Any], *, png: bool = True) -> Chart | None:
    """An XmR chart: values, mean, process limits, special-cause points coloured by meaning."""
    spc = ind.get("spc")
    if not spc or not spc.get("points"):
        return None
    points = spc["points"]
    labels = [p.get("period") or str(p["i"]) for p in points]
    fig, ax = plt.subplots(figsize=(8.0, 1.9))
    xs = [p["i"] for p in points]
    ax.plot(xs, [p["value"] for p in points], color=GREY, linewidth=1, marker="o", markersize=3, zorder=2)
    colours = {"special_cause_improvement": BLUE, "special_cause_concern": ORANGE,
               "special_cause_neutral_high": PURPLE, "special_cause_neutral_low": PURPLE}
    for p in points:
        if p["point_type"] in colours:
            ax.plot([p["i"]], [p["value"]], "o", color=colours[p["point_type"]], markersize=5, zorder=3)
    for seg in spc["segments"]:
        span = [seg["start"], seg["end"]]
        ax.plot(span, [seg["mean"]] * 2, color="#0b0c0c", linewidth=1)
        ax.plot(span, [seg["upl"]] * 2, color=GREY, linestyle="--", linewidth=1)
        ax.plot(span, [seg["lpl"]] * 2, color=GREY, linestyle="--", linewidth=1)
    if spc.get("target") is not None:
        ax.axhline(spc["target"], color=RED, linestyle=":", linewidth=1)
    step = max(1, len(xs) // 12)
    ax.set_xticks(xs[::step], [parse_period(label).short_name if "-" in label else label for label in labels[::step]], rotation=90)
    ax.set_title("Statistical process control (XmR): mean and process limits", fontsize=9, loc="left")
    fig.tight_layout()
    alt = f"XmR chart of {ind['title']} over {len(points)} months with its mean and process limits; points of special cause are coloured."
    return _finish(fig, f"{ind['title']}: SPC", alt, png, f"spc-{ind['code']}")
