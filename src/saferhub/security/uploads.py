"""Accepting uploaded files (ASVS 12.1.1, 12.2.1, 12.3.1): bounded size, an allowed type, content
that matches the type, stored under a name we choose, readable by the owner only.

Limits (settings, from the environment): ``SAFERHUB_MAX_UPLOAD_BYTES`` a file,
``SAFERHUB_MAX_UPLOAD_REQUEST_BYTES`` all files of one request, ``SAFERHUB_MAX_UPLOAD_FILES``
files in one request. ``LimitedUploadHandler`` (first in ``FILE_UPLOAD_HANDLERS``) applies them
to every multipart request while Django parses the body, so a refused file is never held in
memory or in a temporary file; the view shows ``upload_refusal(request)`` in its form.
Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bounds the other fields, not files.

``upload_store`` writes an accepted file where an import will read it; ``upload_accept`` gives a
temporary path for an import run at once::

    with upload_accept(request.FILES["file"], allowed=(".csv", ".xlsx")) as path:
        indicators_import(path=path, ...)
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

from saferhub.domain.problems import ImportProblem, InputError
from saferhub.ingest.safezip import ZIP_MAGIC

SIGNATURES = {".xlsx": (ZIP_MAGIC,), ".zip": (ZIP_MAGIC,), ".pdf": (b"%PDF",)}
BINARY_HINTS = (b"\x00", ZIP_MAGIC, b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\x1f\x8b", b"MZ")
REFUSAL_ATTRIBUTE = "saferhub_upload_refusal"


def size_in_words(n: int) -> str:
    """A limit as people read it: 50 MB, 2 KB, 1,000 bytes."""
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= size and n % size == 0:
            return f"{n // size:,} {unit}"
    return f"{n:,} bytes"


def file_too_large(name: str) -> str:
    return f"{name} must be smaller than {size_in_words(settings.SAFERHUB_MAX_UPLOAD_BYTES)}"


def request_too_large() -> str:
    limit = size_in_words(settings.SAFERHUB_MAX_UPLOAD_REQUEST_BYTES)
    return f"The selected files must be smaller than {limit} in total: upload them in smaller batches"


def too_many_files(count: int) -> str:
    return f"Select {settings.SAFERHUB_MAX_UPLOAD_FILES} files or fewer at a time (you selected {count})"


class LimitedUploadHandler(FileUploadHandler):
    """Drops (``SkipFile``) every file of a request once a limit is passed, counting the bytes as
    they arrive: the declared lengths may lie. The other fields, the CSRF token among them, are
    still read, so the view can answer with its form and the refusal."""

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: Any = None
    ) -> None:
        self.files = 0
        self.total = 0
        self.refusal: str | None = None
        self.over_request = content_length > settings.SAFERHUB_MAX_UPLOAD_REQUEST_BYTES
        if self.over_request:
            self.refusal = request_too_large()

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        self.files += 1
        self.current = file_name
        self.current_bytes = 0
        if self.files > settings.SAFERHUB_MAX_UPLOAD_FILES:
            if not self.over_request:  # the count, not one file's size, is then what to fix first
                self.refusal = too_many_files(self.files)
            raise SkipFile
        if self.refusal:
            raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.current_bytes += len(raw_data)
        self.total += len(raw_data)
        if self.current_bytes > settings.SAFERHUB_MAX_UPLOAD_BYTES:
            self.refusal = self.refusal or file_too_large(self.current)
            raise SkipFile
        if self.total > settings.SAFERHUB_MAX_UPLOAD_REQUEST_BYTES:
            self.refusal = request_too_large()
            self.over_request = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler keeps the file

    def upload_complete(self) -> None:
        if self.request is not None and getattr(self, "refusal", None):
            setattr(self.request, REFUSAL_ATTRIBUTE, self.refusal)


def upload_refusal(request: HttpRequest) -> str | None:
    """Why the request's files were refused (a GOV.UK error message naming the limit), or None.
    Read ``request.FILES`` first: it is the parse that decides."""
    request.FILES  # noqa: B018 (parsing the body sets the refusal)
    refusal: str | None = getattr(request, REFUSAL_ATTRIBUTE, None)
    if refusal:
        return refusal
    # Without the handler (another FILE_UPLOAD_HANDLERS), the sizes Django measured still count.
    files = [f for name in request.FILES for f in request.FILES.getlist(name)]
    if len(files) > settings.SAFERHUB_MAX_UPLOAD_FILES:
        return too_many_files(len(files))
    for f in files:
        if f.size > settings.SAFERHUB_MAX_UPLOAD_BYTES:
            return file_too_large(f.name)
    if sum(f.size for f in files) > settings.SAFERHUB_MAX_UPLOAD_REQUEST_BYTES:
        return request_too_large()
    return None


def _refuse(name: str, message: str) -> InputError:
    return InputError(ImportProblem(name, None, None, message))


def content_matches(suffix: str, head: bytes) -> bool:
    """Does the file's start agree with its extension?"""
    if suffix in SIGNATURES:
        return head.startswith(SIGNATURES[suffix])
    if suffix == ".csv":
        return not head.startswith(BINARY_HINTS[1:]) and b"\x00" not in head
    return False


def upload_store(uploaded: Any, path: Path, *, allowed: tuple[str, ...] = (".csv", ".xlsx")) -> Path:
    """Check an uploaded file and write it to ``path`` (a name we chose), mode 0600; refused with
    InputError (and nothing left behind) if its type, size or content is wrong."""
    name = Path(getattr(uploaded, "name", "") or "upload").name
    suffix = Path(name).suffix.lower()
    if suffix not in allowed:
        raise _refuse(name, f"{suffix or 'no extension'} files are not accepted here: use {', '.join(allowed)}")
    limit = settings.SAFERHUB_MAX_UPLOAD_BYTES
    if uploaded.size > limit:
        raise _refuse(name, f"is {uploaded.size:,} bytes; the limit is {limit:,}")
    try:
        written = 0
        head = b""
        # O_EXCL: never through a link or over a file already there; 0600 from the start.
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            for chunk in uploaded.chunks():
                written += len(chunk)
                if written > limit:  # the declared size may lie
                    raise _refuse(name, f"is larger than the limit of {limit:,} bytes")
                if len(head) < 8192:
                    head += chunk[: 8192 - len(head)]
                out.write(chunk)
        if not content_matches(suffix, head):
            raise _refuse(name, f"its content does not match its type ({suffix}): refused")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


@contextmanager
def upload_accept(uploaded: Any, *, allowed: tuple[str, ...] = (".csv", ".xlsx")) -> Iterator[Path]:
    """Check an uploaded file and yield a temporary path holding it; refused with InputError."""
    suffix = Path(Path(getattr(uploaded, "name", "") or "upload").name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="saferhub-upload-") as tmp:
        yield upload_store(uploaded, Path(tmp) / f"upload{suffix}", allowed=allowed)  # never the visitor's name
