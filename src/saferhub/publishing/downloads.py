"""The downloads of a published version: CSV and JSON, each with the data dictionary (columns,
units, markers). Both are formula-safe: text that a spreadsheet would run as a formula is made
inert by ``saferhub.rendering.safe_cells`` (one neutraliser for every export); numbers stay numbers."""

from __future__ import annotations

import json
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from saferhub.domain.published import DATA_DICTIONARY, MARKERS
from saferhub.rendering.published_json import figure_json
from saferhub.rendering.safe_cells import neutralise, write_csv

from .models import PublishedVersion

COLUMNS = [c.column for c in DATA_DICTIONARY]


def csv_cell(value: Any) -> Any:
    """One CSV cell: empty for no figure, yes/no, a number as it is, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    return neutralise(str(value))


def _rows(version: PublishedVersion) -> list[list[Any]]:
    """One row of values per period of each indicator, in the order of COLUMNS: the CSV and the
    JSON are both written from these."""
    f = version.published
    return [
        [
            f.partnership_name,
            f.period.label,
            version.number,
            ind.code,
            ind.title,
            ind.unit.value,
            ind.level.value,
            ind.sensitive,
            ind.source.value if ind.source else "",
            row.period.label,
            # Each figure as the version's JSON holds it: "[c]", a count, a percentage.
            figure_json(row.value),
            figure_json(row.previous),
            figure_json(row.cumulative),
            figure_json(row.previous_cumulative),
            ind.rule.name,
        ]
        for ind in f.indicators
        for row in ind.rows
    ]


def version_csv(version: PublishedVersion) -> str:
    return write_csv([COLUMNS, *([csv_cell(v) for v in r] for r in _rows(version))])


def _safe(value: Any) -> Any:
    """Every string of the JSON neutralised as in the CSV (a JSON file opened in a spreadsheet)."""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, list):
        return [_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: _safe(v) for k, v in value.items()}
    return value


def version_json(version: PublishedVersion) -> str:
    f = version.published
    doc = {
        "partnership": f.partnership_name,
        "report_period": f.period.label,
        "version": version.number,
        "approved_at": version.approved_at.isoformat(),
        "rule": version.rule_name,
        "checksum": version.checksum,
        "data_dictionary": {
            "columns": [asdict(c) for c in DATA_DICTIONARY],
            "markers": [asdict(m) for m in MARKERS],
            "note": "Each row is one period of one indicator; 'null' is no figure held.",
        },
        "rows": [dict(zip(COLUMNS, r)) for r in _rows(version)],
    }
    return json.dumps(_safe(doc), ensure_ascii=False, indent=1)
