"""The report page's rendered body (tables and matplotlib charts, seconds of CPU) is cached per
partnership, period and *data version*: any import, comment, target or definition change gives
a new version, so a cached page is never stale. Under load the charts are drawn once, not once
a request (docs/benchmarks.md, load benchmark)."""

from __future__ import annotations

import hashlib
from typing import Callable

from django.core.cache import cache
from django.db.models import Count, Max

from saferhub.partnerships.models import Partnership

from .models import AnalystComment, ForceMonth, Indicator, IndicatorValue, TargetValue

TIMEOUT_SECONDS = 3600


def data_version(partnership: Partnership) -> str:
    """A digest of everything a report of this partnership reads (five small queries)."""
    definitions = list(Indicator.objects.filter(partnership=partnership).order_by("pk").values_list())
    parts = [
        partnership.name, partnership.slug, definitions,
        IndicatorValue.objects.filter(indicator__partnership=partnership).aggregate(n=Count("id"), m=Max("id")),
        TargetValue.objects.filter(indicator__partnership=partnership).aggregate(n=Count("id"), m=Max("run_id")),
        AnalystComment.objects.filter(indicator__partnership=partnership).aggregate(n=Count("id"), m=Max("id")),
        ForceMonth.objects.aggregate(n=Count("id"), m=Max("id")),
        list(partnership.areas.values_list("kind", "value")) if hasattr(partnership, "areas") else [],
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def cached_report_body(partnership: Partnership, period: str, render: Callable[[], str]) -> str:
    key = f"saferhub:report-body:{partnership.pk}:{period}:{data_version(partnership)}"
    body = cache.get(key)
    if body is None:
        body = render()
        cache.set(key, body, TIMEOUT_SECONDS)
    return body
