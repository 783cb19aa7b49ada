"""Imports started from the web: the files are kept, then imported by a job on the queue (run by
``saferhub worker``, so that a long police.uk import does not hold the request and a crash
cannot leave it "Importing" for ever), and the upload records what was added, replaced and
rejected, line by line. The files go when the import ends."""

from __future__ import annotations

import datetime
import errno
import logging
import re
import secrets
import shutil
from pathlib import Path
from typing import Any, Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from saferhub.domain.indicators import UPLOADS, UploadOutcome
from saferhub.domain.problems import InputError
from saferhub.jobs.models import Job
from saferhub.jobs.services import JobError, job_enqueue, long_job
from saferhub.partnerships.models import Partnership
from saferhub.security.middleware import new_reference
from saferhub.security.uploads import upload_store

from ..models import ImportedFile, ImportKind, Upload, UploadStatus
from .indicator_import import indicators_import
from .policeuk_import import policeuk_import

log = logging.getLogger(__name__)

# What each kind of import reads; the content must match the suffix (security.uploads).
UPLOAD_SUFFIXES = {
    ImportKind.POLICEUK: (".csv", ".zip"),
    ImportKind.INDICATORS: (".csv", ".xlsx"),
}

POLICEUK_OUTCOME = {
    ImportedFile.Outcome.LOADED: UploadOutcome.ADDED.value,
    ImportedFile.Outcome.REPLACED: UploadOutcome.REPLACED.value,
    ImportedFile.Outcome.UNCHANGED: UploadOutcome.UNCHANGED.value,
    ImportedFile.Outcome.SUPERSEDED: UploadOutcome.SUPERSEDED.value,
}


def _safe_name(name: str) -> str:
    """The file's own name without any folder, in characters every file system accepts."""
    base = Path(name.replace("\\", "/")).name
    return re.sub(r"[^A-Za-z0-9._-]", "_", base)[:120] or "upload"


def _transition(upload: Upload, to: str) -> None:
    upload.status = UPLOADS.move(upload.status, to)


@transaction.atomic
def upload_create(
    *,
    partnership: Partnership,
    kind: str,
    files: Iterable[Any],
    user: Any,
    now: datetime.datetime,
) -> Upload:
    """Keep the uploaded files (Django ``UploadedFile``s) under ``SAFERHUB_HOME/uploads``, readable
    by saferhub's user only, until the import ends. A file refused by ``upload_store`` (type,
    size, content) raises InputError and nothing is kept."""
    files = list(files)
    upload = Upload.objects.create(
        partnership=partnership,
        kind=kind,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        uploaded_at=now,
        file_names=[f.name for f in files],
    )
    # A random part too: a database rebuilt from scratch starts its ids again at 1.
    directory = Path(settings.SAFERHUB_HOME) / "uploads" / f"{upload.pk}-{secrets.token_hex(6)}"
    directory.parent.mkdir(parents=True, exist_ok=True)
    directory.mkdir(mode=0o700)
    used: set[str] = set()
    try:
        for i, f in enumerate(files):
            name = _safe_name(f.name)
            if name in used:
                name = f"{i}-{name}"
            used.add(name)
            upload_store(f, directory / name, allowed=UPLOAD_SUFFIXES[ImportKind(kind)])
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    upload.directory = str(directory)
    upload.save(update_fields=["directory"])
    return upload


def upload_files_delete(upload: Upload) -> None:
    """The import has ended: its files are not kept (the database holds what was imported)."""
    if upload.directory:
        shutil.rmtree(upload.directory, ignore_errors=True)


def upload_run(*, upload: Upload, now: Callable[[], datetime.datetime]) -> Upload:
    """Import the upload's files. The import itself is all or nothing; the upload records the
    outcome either way. ``now`` is a clock, asked when the import starts and when it ends."""
    _transition(upload, UploadStatus.RUNNING)
    upload.started_at = now()
    upload.save(update_fields=["status", "started_at"])
    paths = sorted(Path(upload.directory).iterdir())
    try:
        if upload.kind == ImportKind.POLICEUK:
            run = policeuk_import(
                paths=paths, partnership=upload.partnership, now=upload.started_at, actor=upload.uploaded_by
            )
            outcomes = [
                {
                    "file": _shown(f.name, upload),
                    "force": f.force,
                    "month": f.month,
                    "rows": f.rows,
                    "outcome": POLICEUK_OUTCOME.get(f.outcome, f.outcome),
                }
                for f in run.imported_files.all()
            ]
        else:
            run = indicators_import(
                path=paths[0],
                partnership=upload.partnership,
                now=upload.started_at,
                actor=upload.uploaded_by,
                name=upload.file_names[0],
            )
            outcomes = run.line_outcomes
    except InputError as exc:
        _transition(upload, UploadStatus.FAILED)
        upload.problems = [_problem(p, upload) for p in exc.problems]
    except Exception as exc:  # an unexpected failure must still end the upload, or the page would wait for ever
        reference = new_reference()
        log.exception("upload %s failed (reference %s)", upload.pk, reference)
        _transition(upload, UploadStatus.FAILED)
        upload.problems = [
            {
                "file": ", ".join(upload.file_names),
                "line": None,
                "field": None,
                "message": _unexpected_failure(exc, reference),
            }
        ]
    else:
        _transition(upload, UploadStatus.DONE)
        upload.run, upload.outcomes = run, outcomes
    upload.finished_at = now()
    upload.save()
    upload_files_delete(upload)
    return upload


def _unexpected_failure(exc: BaseException, reference: str) -> str:
    """What the user reads: never the exception's text (a server path, an OS error), but what
    happened in words and the reference under which the log holds the detail."""
    disk_full = (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "disk is full" in str(exc)
    what = "The server ran out of disk space during the import." if disk_full else "The import failed unexpectedly."
    return f"{what} Nothing was changed. Tell your administrator, quoting reference {reference}."


def _shown(stored: str, upload: Upload) -> str:
    """A stored file's name as the user sent it: without the upload folder (a zip's member keeps its path)."""
    prefix = upload.directory.rstrip("/") + "/"
    return stored[len(prefix) :] if stored.startswith(prefix) else stored


def _problem(p, upload: Upload) -> dict[str, Any]:
    # The stored path means nothing to the user: name the file as they sent it.
    name = Path(p.file).name
    for original in upload.file_names:
        if _safe_name(original) == name or name.endswith(_safe_name(original)):
            name = original
    return {"file": name, "line": p.line, "field": p.field, "message": p.message}


UPLOAD_JOB = "saferhub.performance.services.uploads.upload_job"


def upload_start(
    *, upload: Upload, now: Callable[[], datetime.datetime] = timezone.now, background: bool = True
) -> Job:
    """Put the import on the job queue (``background=False``: run it now, in this process). The
    import's clock is the worker's; ``now`` is accepted for the callers that pass one."""
    return job_enqueue(
        function=UPLOAD_JOB,
        arguments={"upload_id": upload.pk},
        subject=upload,
        actor=upload.uploaded_by,
        run_now=not background,
    )


def _upload_interrupted(job: Job) -> None:
    upload = Upload.objects.select_for_update().get(pk=job.subject_id)
    if upload.finished:
        return
    _transition(upload, UploadStatus.FAILED)
    upload.problems = [
        {
            "file": ", ".join(upload.file_names),
            "line": None,
            "field": None,
            "message": f"The import was {job.message}. Nothing was changed.",
        }
    ]
    upload.finished_at = job.finished_at
    upload.save(update_fields=["status", "problems", "finished_at"])


def _upload_retry(job: Job) -> None:
    upload = Upload.objects.select_for_update().get(pk=job.subject_id)
    if not (upload.directory and Path(upload.directory).is_dir()):
        raise JobError("the files of this upload are no longer kept: upload them again")
    _transition(upload, UploadStatus.QUEUED)
    upload.problems, upload.started_at, upload.finished_at = [], None, None
    upload.save(update_fields=["status", "problems", "started_at", "finished_at"])


@long_job(noun="import", on_interrupted=_upload_interrupted, on_retry=_upload_retry)
def upload_job(*, upload_id: int) -> None:
    """What the worker runs: one upload's import."""
    upload_run(upload=Upload.objects.get(pk=upload_id), now=timezone.now)
