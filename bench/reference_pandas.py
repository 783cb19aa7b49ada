"""Reference A: the count an analyst would write with plain pandas (no pyarrow engine).

    python bench/reference_pandas.py OUT.csv PATH...

PATH is a police.uk street CSV or a folder searched recursively for *-street.csv. Counts rows by
Month x Crime type x local authority (the LSOA name without its " 001A" suffix; rows with an
empty LSOA name are counted under an empty local authority, "no location") and writes the
counts to OUT.csv. Prints one JSON line with totals, for the harness to cross-check.
"""

import json
import sys
from pathlib import Path

import pandas as pd


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

    df = pd.concat((pd.read_csv(f) for f in files), ignore_index=True)
    df["LA"] = df["LSOA name"].str.replace(r"\s+\d{3}[A-Z]$", "", regex=True)
    counts = df.groupby(["Month", "Crime type", "LA"], dropna=False).size().reset_index(name="n")
    counts.to_csv(out, index=False)

    print(
        json.dumps(
            {
                "files": len(files),
                "rows": int(len(df)),
                "rows_without_location": int(df["LA"].isna().sum()),
                "groups": int(len(counts)),
            }
        )
    )


if __name__ == "__main__":
    main()
