"""Snapshot of everything a user sees, as text, for before/after comparisons of a refactoring.

    python tools/outputs_snapshot.py DIR            # writes DIR/*.txt from a fresh SAFERHUB_HOME in DIR/home
    python tools/outputs_snapshot.py --compare A B  # prints the differences, exits 1 if any

It loads the demo (Safer Plymouth 2016/17: report, half-year return, public figures) and the real
2019 Devon & Cornwall police.uk files for Plymouth (report for December 2019), then writes each
output as normalised text: JSON with sorted keys, the text of each PDF page (pdftotext), the
paragraphs and table cells of each Word file, and every cell of each Excel sheet. Values that change
from run to run (generation times, checksums, temporary paths) are masked so that two runs of the
same code compare equal.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
from pathlib import Path


def _find_shared() -> Path:
    """../shared beside the checkout; SAFERHUB_SHARED or /work/shared for a checkout elsewhere (a worktree)."""
    repo = Path(__file__).resolve().parents[1]
    for candidate in (os.environ.get("SAFERHUB_SHARED"), repo.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "seeds").is_dir():
            return Path(candidate)
    return repo.parent / "shared"


SHARED = _find_shared()
POLICEUK = SHARED / "data" / "policeuk" / "devon-and-cornwall"

# Run-to-run noise: timestamps, checksums, keys, temporary directories.
_MASKS = [
    (re.compile(r"\b[0-9a-f]{32,}\b"), "<hex>"),
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?"), "<timestamp>"),
    (re.compile(r"/tmp/[^\s\"']+"), "<tmp>"),
    (re.compile(r"\b\d{1,2}:\d{2}(:\d{2})?\b"), "<time>"),
]


def _mask(text: str) -> str:
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


def _json_text(data: object) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False, default=str)


def _pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return "\n".join(f"=== page {i}\n{page}" for i, page in enumerate(out.split("\f"), start=1))


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    lines = [f"[{p.style.name}] {p.text}" for p in document.paragraphs]
    for t, table in enumerate(document.tables):
        for r, row in enumerate(table.rows):
            lines.append(f"table {t} row {r}: " + " | ".join(c.text for c in row.cells))
    for section in document.sections:
        lines.append("footer: " + " ".join(p.text for p in section.footer.paragraphs))
    return "\n".join(lines)


def _xlsx_text(path: Path) -> str:
    import openpyxl

    book = openpyxl.load_workbook(str(path))
    lines = []
    for sheet in book.worksheets:
        lines.append(f"=== sheet {sheet.title}")
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    lines.append(f"{cell.coordinate}: {cell.value!r} ({cell.number_format})")
        lines.append(f"charts: {len(getattr(sheet, '_charts', []))}")
    return "\n".join(lines)


def _text_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _json_text(json.loads(path.read_text()))
    if suffix == ".pdf":
        return _pdf_text(path)
    if suffix == ".docx":
        return _docx_text(path)
    if suffix == ".xlsx":
        return _xlsx_text(path)
    return path.read_text(errors="replace")


def snapshot(out: Path) -> None:
    home = out / "home"
    home.mkdir(parents=True, exist_ok=True)
    os.environ["SAFERHUB_HOME"] = str(home)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    docs = out / "files"
    docs.mkdir(exist_ok=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("demo", no_serve=True, output_dir=str(docs), verbosity=0)

    # The real 2019 police.uk files for Plymouth, and its December report in every format.
    call_command(
        "partnership", "create", "--slug", "plymouth-2019", "--name", "Plymouth 2019", "--local-authority", "Plymouth"
    )
    call_command("import", "policeuk", str(POLICEUK), "--partnership", "plymouth-2019", verbosity=0)
    for fmt in ("json", "html", "pdf", "docx", "xlsx"):
        target = docs / f"plymouth-2019-performance-2019-12.{fmt}"
        call_command(
            "report", "performance", "--partnership", "plymouth-2019", "--period", "2019-12",
            "--format", fmt, "-o", str(target), "--no-cache",
        )  # fmt: skip

    # The public figures as the public reads them.
    from django.conf import settings

    from saferhub.publishing.models import PublishedVersion

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    for version in PublishedVersion.objects.order_by("partnership__slug", "period", "number"):
        base = f"/public/{version.partnership.slug}/{version.period}/v{version.number}/"
        for suffix in ("", "figures.csv", "figures.json"):
            response = client.get(base + suffix)
            name = f"public-{version.partnership.slug}-{version.period}-v{version.number}-{suffix or 'page.html'}"
            assert response.status_code == 200, (base + suffix, response.status_code)
            (docs / name).write_bytes(response.content)

    texts = out / "text"
    texts.mkdir(exist_ok=True)
    for path in sorted(docs.iterdir()):
        if path.is_file():
            (texts / (path.name + ".txt")).write_text(_mask(_text_of(path)))
    print(f"{len(list(texts.iterdir()))} outputs written to {texts}")


def compare(before: Path, after: Path, ignore_schema_version: bool) -> int:
    a_files = {p.name for p in (before / "text").iterdir()}
    b_files = {p.name for p in (after / "text").iterdir()}
    differences = 0
    for name in sorted(a_files ^ b_files):
        print(f"only in {'before' if name in a_files else 'after'}: {name}")
        differences += 1
    for name in sorted(a_files & b_files):
        a = (before / "text" / name).read_text().splitlines()
        b = (after / "text" / name).read_text().splitlines()
        if ignore_schema_version:
            b = [line for line in b if '"schema_version"' not in line]
            a = [line for line in a if '"schema_version"' not in line]
        diff = list(difflib.unified_diff(a, b, f"before/{name}", f"after/{name}", lineterm="", n=1))
        if diff:
            differences += 1
            print("\n".join(diff[:60]))
    print(f"{len(a_files & b_files)} outputs compared, {differences} differ")
    return 1 if differences else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--ignore-schema-version", action="store_true", help="drop schema_version lines first")
    args = parser.parse_args()
    if args.compare:
        return compare(args.dirs[0], args.dirs[1], args.ignore_schema_version)
    snapshot(args.dirs[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
