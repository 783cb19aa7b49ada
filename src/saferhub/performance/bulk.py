"""Fast inserts of police.uk counts: a national import writes hundreds of thousands of rows,
which the ORM's bulk_create does an order of magnitude slower than the drivers can."""

from __future__ import annotations

from typing import Iterable

from django.db import connection

from saferhub.domain.policeuk import CRIME_TYPES

from .models import PoliceCount, crime_type_column

CRIME_COLUMNS = tuple(crime_type_column(slug) for slug in CRIME_TYPES.values())
COLUMNS = ("force_month_id", "month", "area_kind", "area", *CRIME_COLUMNS)


def insert_police_counts(rows: Iterable[tuple]) -> int:
    """Insert ``(force_month_id, month, area_kind, area, *counts)`` rows, the counts in the order
    of ``CRIME_COLUMNS``; returns how many.

    Runs inside the caller's transaction."""
    table = connection.ops.quote_name(PoliceCount._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    n = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3 cursor: COPY is the fast path
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
            return n
        batch: list[tuple] = []
        # SQLite: the driver's own executemany (in this transaction), without the per-row
        # placeholder conversion of Django's wrapper: half the cost on a national import.
        raw = connection.connection
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['?'] * len(COLUMNS))})"
        for row in rows:
            batch.append(row)
            if len(batch) >= 50_000:
                raw.executemany(sql, batch)
                n += len(batch)
                batch = []
        if batch:
            raw.executemany(sql, batch)
            n += len(batch)
    return n
