"""What the dashboard and indicator pages show, built from the report structure (so that the
pages and every download agree), plus the history kept beside it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.domain.calendar import Month
from saferhub.domain.report import (
    NO_FIGURE,
    IndicatorEntry,
    PerformanceReport,
    SpcSegment,
    figure_text,
    special_cause_label,
)
from saferhub.domain.status import Polarity
from saferhub.partnerships.models import Partnership

from .models import AnalystComment, ForceMonth, ImportedFile, Indicator, IndicatorValue
from .selectors import POLICE_COLUMNS, police_counts_by_force_month
from .sparkline import sparkline_svg

SPARKLINE_MONTHS = 24


def latest_month(partnership: Partnership) -> Month | None:
    """The partnership's own latest month (saferhub.performance.current.latest_month)."""
    from .current import latest_month as own_latest_month

    return own_latest_month(partnership)


@dataclass(frozen=True)
class Tile:
    """An indicator's tile on the dashboard: its figures and a sparkline of its recent months."""

    ind: IndicatorEntry
    sparkline: str
    months: int


def dashboard_tiles(report: PerformanceReport) -> list[Tile]:
    tiles = []
    for ind in report.indicators:
        series = _recent_values(ind)
        tiles.append(
            Tile(
                ind=ind,
                sparkline=sparkline_svg(series, label=f"{ind.title}: the last {len(series)} months' values as a line"),
                months=len(series),
            )
        )
    return tiles


def _recent_values(ind: IndicatorEntry) -> list[float | None]:
    """The SPC series (every month held, unbroken) when there is one, else this year's periods."""
    if ind.spc is not None and ind.spc.points:
        return [float(p.value) for p in ind.spc.points][-SPARKLINE_MONTHS:]
    return [None if p.value is None else float(p.value) for p in ind.periods]


@dataclass(frozen=True)
class SpcRow:
    """A month of the SPC chart's data, with its segment's mean and limits, written with the
    report's SPC text (so a limit that cannot bind says so, as in the PDF)."""

    period: Optional[Month]
    value: Decimal
    segment: SpcSegment
    point_type: str
    rules: tuple[str, ...]
    polarity: Polarity

    @property
    def value_text(self) -> str:
        return figure_text(self.value, self.segment.unit)

    @property
    def mean_text(self) -> str:
        return self.segment.mean_text

    @property
    def lower_text(self) -> str:
        return self.segment.lower_text

    @property
    def upper_text(self) -> str:
        return self.segment.upper_text

    @property
    def signal_text(self) -> str:
        """The special cause in the report's words; a dash for a month that breaks no rule."""
        return special_cause_label(self.point_type, self.polarity) if self.rules else NO_FIGURE


def spc_rows(ind: IndicatorEntry) -> list[SpcRow]:
    """The SPC chart's data as table rows: each month's value with its segment's mean and limits."""
    if ind.spc is None:
        return []
    return [
        SpcRow(p.period, p.value, ind.spc.segment_of(p.i), p.point_type, p.rules, ind.polarity) for p in ind.spc.points
    ]


def value_revisions(indicator: Indicator) -> list[IndicatorValue]:
    return list(
        IndicatorValue.objects.filter(indicator=indicator).select_related("run").order_by("period", "reported_on", "id")
    )


def indicator_changes(indicator: Indicator, limit: int = 100) -> list[AuditEvent]:
    """Every audited change of the indicator's values, targets and commentary, newest first."""
    return list(
        AuditEvent.objects.filter(object_type=indicator._meta.label_lower, object_id=str(indicator.pk)).exclude(
            action=AuditAction.DENIED
        )[:limit]
    )


def comment_history(indicator: Indicator, period: str) -> list[AnalystComment]:
    return list(AnalystComment.objects.filter(indicator=indicator, period=period).order_by("-written_at", "-id"))


def police_file_history(partnership: Partnership, limit: int = 60) -> list[ImportedFile]:
    """The police.uk files that brought or replaced the months counted for this partnership,
    newest first: a republished month shows as a replacement."""
    with_rows = police_counts_by_force_month(partnership, POLICE_COLUMNS)
    forces = set(ForceMonth.objects.filter(pk__in=list(with_rows)).values_list("force", flat=True))
    return list(
        ImportedFile.objects.filter(
            force__in=list(forces), outcome__in=[ImportedFile.Outcome.LOADED, ImportedFile.Outcome.REPLACED]
        )
        .select_related("run")
        .order_by("-month", "-run__started_at", "-id")[:limit]
    )
