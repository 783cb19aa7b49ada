"""Trim police.uk street files to the rows in one CSP's area, byte for byte.

    python -m saferhub.demo.torbay.build SOURCE_DIR

SOURCE_DIR holds the Devon & Cornwall street files of 2019 as police.uk publishes them
(``2019-MM-devon-and-cornwall-street.csv``). Each file is written again with its header and only
the rows whose LSOA code lies in Torbay's area (the shipped geography's CSP E22000060), every line
exactly as it was (its quoting and CRLF line ends), so the importer reads these copies as it reads
the originals. November and before go to ``policeuk/`` (loaded by the demo); December goes to
``upload/``, for the analyst to upload through /data/. Not used at run time."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Iterator

HERE = Path(__file__).resolve().parent
CSP = "E22000060"  # Torbay
LEFT_OUT = "2019-12"


def _records(path: Path) -> Iterator[tuple[list[str], str]]:
    """Each CSV record with the exact text of the lines it spans (a quoted field may hold a line end)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        consumed: list[str] = []

        def lines() -> Iterator[str]:
            for line in f:
                consumed.append(line)
                yield line

        for record in csv.reader(lines()):
            yield record, "".join(consumed)
            consumed.clear()


def trim(source: Path, target: Path, lsoas: set[str]) -> int:
    kept = 0
    with open(target, "w", newline="", encoding="utf-8") as out:
        records = _records(source)
        header, text = next(records)
        lsoa = header.index("LSOA code")
        out.write(text)
        for record, text in records:
            if len(record) > lsoa and record[lsoa].strip() in lsoas:
                out.write(text)
                kept += 1
    return kept


def main(source_dir: str) -> None:
    from saferhub.domain.geography import geography

    area = geography().area(csps=[CSP], districts=[], lsoas=[])
    for source in sorted(Path(source_dir).glob("2019-*-devon-and-cornwall-street.csv")):
        folder = HERE / ("upload" if source.name.startswith(LEFT_OUT) else "policeuk")
        folder.mkdir(exist_ok=True)
        kept = trim(source, folder / source.name, set(area.lsoas))
        print(f"{folder.name}/{source.name}: {kept} rows")


if __name__ == "__main__":
    main(sys.argv[1])
