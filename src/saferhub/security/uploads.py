"""Accepting an uploaded file for an importer (ASVS 12.1.1, 12.2.1): bounded size, an allowed
type, content that matches the type, stored under a name we choose. Upload views call
``upload_accept`` and give the importer the path it returns, inside ``with``::

    with upload_accept(request.FILES["file"], allowed=(".csv", ".xlsx")) as path:
        indicators_import(path=path, ...)
"""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from django.conf import settings

from saferhub.domain.problems import ImportProblem, InputError
from saferhub.ingest.safezip import ZIP_MAGIC

SIGNATURES = {".xlsx": (ZIP_MAGIC,), ".zip": (ZIP_MAGIC,)}
BINARY_HINTS = (b"\x00", ZIP_MAGIC, b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\x1f\x8b", b"MZ")


def _refuse(name: str, message: str) -> InputError:
    return InputError(ImportProblem(name, None, None, message))


def content_matches(suffix: str, head: bytes) -> bool:
    """Does the file's start agree with its extension?"""
    if suffix in SIGNATURES:
        return head.startswith(SIGNATURES[suffix])
    if suffix == ".csv":
        return not head.startswith(BINARY_HINTS[1:]) and b"\x00" not in head
    return False


@contextmanager
def upload_accept(uploaded, *, allowed: tuple[str, ...] = (".csv", ".xlsx")) -> Iterator[Path]:
    """Check an uploaded file and yield a temporary path holding it; refused with InputError."""
    name = Path(getattr(uploaded, "name", "") or "upload").name
    suffix = Path(name).suffix.lower()
    if suffix not in allowed:
        raise _refuse(name, f"{suffix or 'no extension'} files are not accepted here: use {', '.join(allowed)}")
    if uploaded.size > settings.SAFERHUB_MAX_UPLOAD_BYTES:
        raise _refuse(name, f"is {uploaded.size:,} bytes; the limit is {settings.SAFERHUB_MAX_UPLOAD_BYTES:,}")
    with tempfile.TemporaryDirectory(prefix="saferhub-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"  # never the visitor's file name on disk
        written = 0
        with open(path, "wb") as out:
            for chunk in uploaded.chunks():
                written += len(chunk)
                if written > settings.SAFERHUB_MAX_UPLOAD_BYTES:  # the declared size may lie
                    raise _refuse(name, f"is larger than the limit of {settings.SAFERHUB_MAX_UPLOAD_BYTES:,} bytes")
                out.write(chunk)
        with open(path, "rb") as f:
            head = f.read(8192)
        if not content_matches(suffix, head):
            raise _refuse(name, f"its content does not match its type ({suffix}): refused")
        yield path
