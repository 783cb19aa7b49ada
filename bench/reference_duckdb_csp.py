"""Reference for the national benchmark: every CSP's counts as one bare DuckDB query.

    python bench/reference_duckdb_csp.py OUT.csv LSOA_CSP.csv PATH...

LSOA_CSP.csv maps each LSOA code (2011 and 2021) to its CSP (written by the harness from
saferhub's shipped ONS geography, untimed). Counts rows by CSP x month x crime type with the
12 columns and the dialect declared (as saferhub's import does), 2 threads, and writes them to OUT.csv; prints one JSON line of totals.
"""

import json
import sys

import duckdb
from reference_duckdb import COLUMNS, street_files


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    out, mapping, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    files = street_files(paths)
    con = duckdb.connect(config={"threads": 2})
    columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in COLUMNS) + "}"
    con.execute(
        "CREATE TEMP TABLE map AS SELECT * FROM read_csv($m, columns={'lsoa': 'VARCHAR', 'csp': 'VARCHAR'}, header=true)",
        {"m": mapping},
    )
    con.execute(
        f"""
        CREATE TEMP TABLE counts AS
        SELECT m.csp, r."Month" AS month, r."Crime type" AS crime_type, count(*) AS n
        FROM read_csv($files, columns={columns}, header=true, delim=',', quote='"', escape='"',
                      auto_detect=false) r JOIN map m ON r."LSOA code" = m.lsoa
        GROUP BY ALL
    """,
        {"files": [str(f) for f in files]},
    )
    con.execute(f"COPY counts TO '{out.replace(chr(39), chr(39) * 2)}' (HEADER, DELIMITER ',')")
    rows, csps = con.execute("SELECT sum(n), count(DISTINCT csp) FROM counts").fetchone()
    print(json.dumps({"files": len(files), "rows_in_csps": int(rows), "csps": int(csps)}))


if __name__ == "__main__":
    main()
