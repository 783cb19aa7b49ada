"""The CSV of a published version. Text that a spreadsheet would run as a formula is made
inert with a leading apostrophe; numbers stay numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from .models import PublishedVersion

COLUMNS = ["partnership", "report_period", "version", "indicator", "title", "unit", "level", "sensitive",
           "period", "value", "same_period_last_year", "year_to_date", "last_year_to_date", "rule"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def version_csv(version: PublishedVersion) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    f = version.figures
    for ind in f["indicators"]:
        for row in ind["rows"]:
            writer.writerow([csv_cell(v) for v in (
                f["partnership_name"], f["period"], version.number, ind["code"], ind["title"], ind["unit"],
                ind["level"], ind["sensitive"], row["period"], row["value"], row["previous"], row["cumulative"],
                row["previous_cumulative"], ind["rule"],
            )])
    return out.getvalue()
