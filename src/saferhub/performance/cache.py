"""The performance report, its web body and its downloads, cached per *data version*.

Building a report runs exact confidence intervals for every indicator (tens of milliseconds) and
rendering a PDF takes a second or more; a board's figures change a few times a month and are read
far more often. So each is kept under a key that holds a digest of everything a report reads: any
import, revision, target, comment or definition change gives a new version, so nothing cached is
ever stale, and nothing needs invalidating. The cache is ``settings.CACHES["reports"]``: files
under SAFERHUB_HOME, shared by web workers and commands (docs/deploy.md).
"""

from __future__ import annotations

import hashlib
from contextlib import suppress
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Callable

from django.core.cache import caches
from django.db.models import Count, Max

from saferhub.domain.calendar import Month
from saferhub.domain.report import PerformanceReport
from saferhub.partnerships.models import Partnership
from saferhub.rendering.report_json import SCHEMA_VERSION, read_report, report_json

from .models import AnalystComment, ForceMonth, ImportRun, Indicator, IndicatorValue, TargetValue
from .report import build_performance_report

TIMEOUT_SECONDS = 7 * 24 * 3600
# Bump when the report's structure or its rendering changes, so older entries are not served.
# 3: the SPC chart draws no lower limit below zero for a count.
RENDER_VERSION = 3


def _cache():
    return caches["reports"]


def _digest_of_code() -> str:
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    with suppress(PackageNotFoundError):
        digest.update(version("saferhub").encode())  # an installed release (a zip holds no files to read)
    for folder in ("domain", "rendering", "performance", "templates"):
        for path in sorted((package / folder).rglob("*")):
            if path.suffix in {".py", ".html", ".css", ".txt"} and "__pycache__" not in path.parts:
                digest.update(path.relative_to(package).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# Read when this module is imported (a few milliseconds), not at the first report: a worker that
# started on older code and is asked only after an upgrade in place keys with its own code.
_CODE_VERSION = _digest_of_code()


def code_version() -> str:
    """A digest of the code that builds and renders a report (the domain, the rendering and its
    templates, this app's report and selectors, the page templates) and of the installed
    version: an upgraded saferhub never serves a document its older code rendered, whether or not
    someone remembered to bump RENDER_VERSION."""
    return _CODE_VERSION


def data_version(partnership: Partnership) -> str:
    """A digest of everything a report of this partnership reads (a few small queries)."""
    definitions = list(Indicator.objects.filter(partnership=partnership).order_by("pk").values_list())
    parts = [
        SCHEMA_VERSION,
        RENDER_VERSION,
        code_version(),
        partnership.name,
        partnership.slug,
        definitions,
        IndicatorValue.objects.filter(indicator__partnership=partnership).aggregate(n=Count("id"), m=Max("id")),
        TargetValue.objects.filter(indicator__partnership=partnership).aggregate(n=Count("id"), m=Max("run_id")),
        _comments_version(partnership),
        # A republished force-month points at its new file; an import run adds to the sources note.
        ForceMonth.objects.aggregate(n=Count("id"), m=Max("id"), s=Max("source_id")),
        ImportRun.objects.aggregate(n=Count("id"), m=Max("id")),
        list(partnership.areas.values_list("kind", "value")) if hasattr(partnership, "areas") else [],
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _comments_version(partnership: Partnership) -> str:
    """Every comment's id, month, time and words: a count and the last id are not enough, as the
    cache outlives the database (a demo loaded again, a test run) and a comment saved there again
    gets the same id and count with other words, which must show at once."""
    rows = (
        AnalystComment.objects.filter(indicator__partnership=partnership)
        .order_by("id")
        .values_list("id", "indicator_id", "period", "written_at", "text")
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def _cached(key: str, build: Callable[[], Any]) -> Any:
    store = _cache()
    value = store.get(key)
    if value is None:
        value = build()
        store.set(key, value, TIMEOUT_SECONDS)
    return value


def performance_report(partnership: Partnership, month: Month, *, version: str | None = None) -> PerformanceReport:
    """``build_performance_report``, built once per data version. The cache keeps the report's
    JSON, read back by the one reader (which upgrades an entry of an older schema)."""
    version = version or data_version(partnership)
    stored = _cached(
        f"report:{partnership.pk}:{month.label}:{version}",
        lambda: report_json(build_performance_report(partnership, month)),
    )
    return read_report(stored)


def report_and_body(partnership: Partnership, month: Month) -> tuple[PerformanceReport, str]:
    """The report and its HTML body for the web pages, charts included, for one data version."""
    from saferhub.rendering.formats import charts_for
    from saferhub.rendering.html_report import render_html

    version = data_version(partnership)
    report = performance_report(partnership, month, version=version)
    body = _cached(
        f"report-body:{partnership.pk}:{month.label}:{version}",
        lambda: render_html(report, charts_for(report), standalone=False),
    )
    return report, body


def rendered_report(partnership: Partnership, month: Month, fmt: str) -> bytes:
    """The report's bytes in one format. A second download of unchanged figures reads one cache
    entry: the report itself is fetched (or built) only when the file has to be rendered."""
    from saferhub.rendering import render_report

    version = data_version(partnership)
    return _cached(
        f"report-file:{partnership.pk}:{month.label}:{fmt}:{version}",
        lambda: render_report(performance_report(partnership, month, version=version), fmt),
    )
