"""Reference B: the same count as one bare DuckDB query (2 threads, columns declared).

    python bench/reference_duckdb.py OUT.csv PATH...

PATH is a police.uk street CSV or a folder searched recursively for *-street.csv. Counts rows by
month x crime type x local authority (the LSOA name without its " 001A" suffix; NULL when the
LSOA name is empty, "no location") and writes the counts to OUT.csv. Prints one JSON line with
totals, for the harness to cross-check.
"""

import json
import sys
from pathlib import Path

import duckdb

COLUMNS = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]


def street_files(paths):
    files = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(f for f in p.rglob("*.csv") if f.name.endswith("-street.csv"))
        else:
            files.append(p)
    return files


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, paths = sys.argv[1], sys.argv[2:]
    files = street_files(paths)
    if not files:
        sys.exit(f"no *-street.csv files in {paths}")

    con = duckdb.connect(config={"threads": 2})
    columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in COLUMNS) + "}"
    con.execute(
        f"""
        CREATE TEMP TABLE counts AS
        SELECT "Month" AS month, "Crime type" AS crime_type,
               regexp_replace(NULLIF("LSOA name", ''), '\\s+[0-9]{{3}}[A-Z]$', '') AS la,
               count(*) AS n
        FROM read_csv($files, columns={columns}, header=true)
        GROUP BY month, crime_type, la
    """,
        {"files": [str(f) for f in files]},
    )
    con.execute(f"COPY counts TO '{out.replace(chr(39), chr(39) * 2)}' (HEADER, DELIMITER ',')")
    rows, without, groups = con.execute(
        "SELECT sum(n), coalesce(sum(n) FILTER (WHERE la IS NULL), 0), count(*) FROM counts"
    ).fetchone()
    print(
        json.dumps(
            {
                "files": len(files),
                "rows": int(rows),
                "rows_without_location": int(without),
                "groups": int(groups),
            }
        )
    )


if __name__ == "__main__":
    main()
