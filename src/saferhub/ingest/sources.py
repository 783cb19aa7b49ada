"""Expand the paths a user gives (files, folders, police.uk zip archives) into CSV files."""

from __future__ import annotations

import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..domain.problems import ImportProblem, InputError
from .safezip import POLICEUK_ARCHIVE_LIMITS, check_zip

__all__ = ["SourceFile", "expand_policeuk_paths", "street_files_in"]


@dataclass(frozen=True)
class SourceFile:
    path: Path  # where it can be read now (inside a temporary folder for zip members)
    display: str  # what to call it in messages and run records: "archive.zip:2019-01/..."


def street_files_in(folder: Path) -> list[Path]:
    """A folder's police.uk street files (``*-street.csv``, in its subfolders too), in order."""
    return sorted(p for p in folder.rglob("*.csv") if p.name.lower().endswith("-street.csv"))


@contextmanager
def expand_policeuk_paths(paths: list[str | Path]) -> Iterator[list[SourceFile]]:
    """Yield the street CSV files named by ``paths``, extracting zip archives to a temporary folder.

    A folder contributes its ``*-street.csv`` files (police.uk's outcomes and stop-and-search
    files sit beside them and are not street crime). A file named directly is taken as it is.
    """
    files: list[SourceFile] = []
    problems: list[ImportProblem] = []
    with tempfile.TemporaryDirectory(prefix="saferhub-import-") as tmp:
        for n, raw in enumerate(paths):
            path = Path(raw)
            if not path.exists():
                problems.append(ImportProblem(str(path), None, None, "no such file or folder"))
            elif path.is_dir():
                found = street_files_in(path)
                if not found:
                    problems.append(
                        ImportProblem(
                            str(path), None, None, "the folder holds no police.uk street files (*-street.csv)"
                        )
                    )
                files.extend(SourceFile(p, str(p)) for p in found)
            elif zipfile.is_zipfile(path):
                files.extend(_extract(path, Path(tmp) / str(n), problems))
            elif path.suffix.lower() == ".zip":
                problems.append(
                    ImportProblem(str(path), None, None, "is not a readable zip archive (damaged or not a zip)")
                )
            else:
                files.append(SourceFile(path, str(path)))
        if problems:
            raise InputError(problems)
        yield files


def _extract(archive: Path, into: Path, problems: list[ImportProblem]) -> list[SourceFile]:
    try:
        check_zip(archive, POLICEUK_ARCHIVE_LIMITS)  # bounds before a byte is unzipped
    except InputError as exc:
        problems.extend(exc.problems)
        return []
    try:
        with zipfile.ZipFile(archive) as zf:
            names = [i.filename for i in zf.infolist() if not i.is_dir()]
            street = sorted(n for n in names if n.lower().endswith("-street.csv"))
            if not street:
                shown = ", ".join(names[:5]) + (" ..." if len(names) > 5 else "") or "nothing"
                problems.append(
                    ImportProblem(
                        str(archive),
                        None,
                        None,
                        f"the archive holds no police.uk street files (*-street.csv); it holds: {shown}",
                    )
                )
                return []
            out = []
            for name in street:
                target = into / name
                if not target.resolve().is_relative_to(into.resolve()):
                    problems.append(ImportProblem(f"{archive}:{name}", None, None, "unsafe path in archive"))
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(name) as src, open(target, "wb") as dst:
                    while chunk := src.read(1 << 20):
                        dst.write(chunk)
                out.append(SourceFile(target, f"{archive}:{name}"))
            return out
    except zipfile.BadZipFile as exc:
        problems.append(ImportProblem(str(archive), None, None, f"is not a readable zip archive: {exc}"))
        return []
