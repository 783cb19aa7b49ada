"""Check a zip container (an .xlsx workbook, a police.uk archive) before anything unzips it.

Read from the central directory only: the number of entries, the total uncompressed size, each
entry's compression ratio, unsafe names and macros. Python's zipfile never yields more bytes
than an entry declares, so once the declared sizes pass, reading cannot exhaust memory or disk.
The XML parts of a workbook are then streamed, within those bounds, to refuse DTDs and entity
declarations (billion laughs, external entities) before openpyxl parses them."""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..domain.problems import ImportProblem, InputError

__all__ = ["ZipLimits", "XLSX_LIMITS", "POLICEUK_ARCHIVE_LIMITS", "check_zip", "check_xlsx", "ZIP_MAGIC"]

ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class ZipLimits:
    max_file_bytes: int
    max_uncompressed: int
    max_entries: int
    max_ratio: int
    # Tiny entries compress absurdly well legitimately (a run of spaces): ignore the ratio below this.
    ratio_floor_bytes: int = 64 * 1024


# A partner's figures fit in a few megabytes; generous bounds still stop a bomb early.
XLSX_LIMITS = ZipLimits(max_file_bytes=20 * 1024**2, max_uncompressed=100 * 1024**2, max_entries=500, max_ratio=100)
# police.uk archives: a national year is ~1.5 GB of CSV in ~550 files, compressing about 8 to 1.
POLICEUK_ARCHIVE_LIMITS = ZipLimits(
    max_file_bytes=8 * 1024**3, max_uncompressed=40 * 1024**3, max_entries=20_000, max_ratio=60
)

MACRO_MARKERS = ("vbaproject", "macroenabled", "vbadata", ".bin")


def _refuse(path: Path, message: str) -> InputError:
    return InputError(ImportProblem(str(path), None, None, message))


def check_zip(path: Path, limits: ZipLimits) -> list[zipfile.ZipInfo]:
    """The entries of a zip file that passes every bound; InputError otherwise."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise _refuse(path, f"is {size:,} bytes; the limit is {limits.max_file_bytes:,}")
    with open(path, "rb") as f:
        if f.read(4) != ZIP_MAGIC:
            raise _refuse(path, "its content is not a zip container (an .xlsx workbook or .zip archive is one)")
    try:
        with zipfile.ZipFile(path) as zf:
            entries = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(path, f"is a damaged zip container: {exc}") from None
    if len(entries) > limits.max_entries:
        raise _refuse(path, f"holds {len(entries):,} entries; the limit is {limits.max_entries:,}")
    total = 0
    for info in entries:
        name = info.filename
        if name.startswith(("/", "\\")) or ".." in Path(name.replace("\\", "/")).parts:
            raise _refuse(path, f"holds an entry with an unsafe path: {name!r}")
        if info.flag_bits & 0x1:
            raise _refuse(path, f"holds an encrypted entry: {name!r}")
        total += info.file_size
        if total > limits.max_uncompressed:
            raise _refuse(path, f"would unzip to more than {limits.max_uncompressed:,} bytes (a zip bomb?)")
        if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise _refuse(path, f"entry {name!r} compresses {ratio}:1; the limit is {limits.max_ratio}:1 (a zip bomb?)")
    return entries


def check_xlsx(path: Path, limits: ZipLimits = XLSX_LIMITS) -> None:
    """Refuse a workbook that is a bomb, carries macros, or declares XML entities or a DTD."""
    entries = check_zip(path, limits)
    names = {i.filename for i in entries}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise _refuse(path, "is a zip file but not an Excel workbook (.xlsx)")
    for name in names:
        if any(marker in name.lower() for marker in MACRO_MARKERS):
            raise _refuse(path, f"carries macros or binary parts ({name}): save it as a plain .xlsx without macros")
    try:
        with zipfile.ZipFile(path) as zf:
            for info in entries:
                if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    _check_xml(path, zf, info)
    except InputError:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise _refuse(path, f"is a damaged workbook: {exc}") from None


def _check_xml(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    tail = b""
    with zf.open(info) as part:
        while chunk := part.read(256 * 1024):
            window = (tail + chunk).upper()
            if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                raise _refuse(path, f"part {info.filename} declares a DTD or XML entities, which are refused")
            if b"MACROENABLED" in window and info.filename == "[Content_Types].xml":
                raise _refuse(path, "is a macro-enabled workbook: save it as a plain .xlsx")
            tail = chunk[-16:]
