"""Retention: what `saferhub purge` deletes (ASVS 8.3.8). The ages of records are months, in
settings ``SAFERHUB_RETENTION_MONTHS``; audit events are kept 24 months by default.

Uploaded files are deleted when their import ends; the files of an upload whose import never
ended (interrupted and not retried) and folders no upload claims are deleted
``SAFERHUB_UPLOAD_RETENTION_DAYS`` days after the upload (7 by default). Files whose job is
still waiting or running are kept whatever their age. Jobs that ended, and the queue's results,
are deleted ``SAFERHUB_JOB_RETENTION_DAYS`` (30) after they ended.

The audit log refuses deletion through its model on purpose; this is the one place that
deletes events, with a queryset, from a command an operator runs, and it records that it did."""

from __future__ import annotations

import datetime
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

OPTIONAL_IN_SUMMARY = {"upload_files", "finished_jobs", "job_queue_results"}


@dataclass(frozen=True)
class PurgeItem:
    kind: str
    older_than: datetime.datetime
    count: int
    oldest: datetime.datetime | None


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and time ``months`` months earlier (clamped to the month's last day)."""
    import calendar

    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _querysets(now: datetime.datetime):
    from django_tasks_db.models import DBTaskResult

    from saferhub.accounts.models import LoginFailure
    from saferhub.audit.models import AuditEvent
    from saferhub.jobs.models import Job, JobStatus

    months = settings.SAFERHUB_RETENTION_MONTHS
    cut_audit = months_before(now, months["audit_events"])
    cut_login = months_before(now, months["login_failures"])
    cut_jobs = now - datetime.timedelta(days=settings.SAFERHUB_JOB_RETENTION_DAYS)
    return [
        ("audit_events", cut_audit, AuditEvent.objects.filter(at__lt=cut_audit), "at"),
        ("login_failures", cut_login, LoginFailure.objects.filter(at__lt=cut_login), "at"),
        # Jobs that ended (and the queue's results, which may hold a traceback) are kept for a while
        # to answer "what happened to my import?", then go.
        (
            "finished_jobs",
            cut_jobs,
            Job.objects.filter(status__in=[JobStatus.DONE, JobStatus.FAILED], finished_at__lt=cut_jobs),
            "finished_at",
        ),
        (
            "job_queue_results",
            cut_jobs,
            DBTaskResult.objects.filter(status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=cut_jobs),
            "finished_at",
        ),
    ]


def _upload_folders(now: datetime.datetime) -> tuple[datetime.datetime, list[tuple[Path, datetime.datetime]]]:
    """The folders under SAFERHUB_HOME/uploads older than the retention, with their age."""
    from saferhub.performance.models import Upload

    cut = now - datetime.timedelta(days=settings.SAFERHUB_UPLOAD_RETENTION_DAYS)
    root = Path(settings.SAFERHUB_HOME) / "uploads"
    if not root.is_dir():
        return cut, []
    uploads = {u.directory: u for u in Upload.objects.exclude(directory="")}
    pending = _uploads_with_pending_jobs()
    out = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        upload = uploads.get(str(folder))
        if upload is not None and upload.pk in pending:
            continue  # its import has yet to run: the worker needs the files
        at = (
            upload.uploaded_at
            if upload is not None
            else datetime.datetime.fromtimestamp(folder.stat().st_mtime, tz=datetime.timezone.utc)
        )
        if at < cut:
            out.append((folder, at))
    return cut, out


def _uploads_with_pending_jobs() -> set[int]:
    try:
        from saferhub.jobs.selectors import pending_subject_ids
    except ImportError:  # pragma: no cover - the jobs app is part of saferhub
        return set()
    return pending_subject_ids("performance.upload")


def purge_plan(*, now: datetime.datetime) -> list[PurgeItem]:
    out = []
    for kind, cut, qs, field in _querysets(now):
        oldest = qs.order_by(field).values_list(field, flat=True).first()
        out.append(PurgeItem(kind, cut, qs.count(), oldest))
    cut, folders = _upload_folders(now)
    out.append(PurgeItem("upload_files", cut, len(folders), min((at for _, at in folders), default=None)))
    return out


@transaction.atomic
def purge_run(*, now: datetime.datetime) -> list[PurgeItem]:
    from saferhub.audit.models import AuditAction
    from saferhub.audit.services import audit_record

    done = purge_plan(now=now)
    for kind, cut, qs, _ in _querysets(now):
        qs.delete()  # a queryset delete: AuditEvent.delete() (which refuses) is not called
    for folder, _ in _upload_folders(now)[1]:
        shutil.rmtree(folder, ignore_errors=True)
    # Uploads and jobs are named in the summary only when there were some (the record stays short).
    summary = "; ".join(
        f"{i.count} {i.kind.replace('_', ' ')} before {i.older_than:%Y-%m-%d}"
        for i in done
        if i.kind not in OPTIONAL_IN_SUMMARY or i.count
    )
    audit_record(
        actor="saferhub purge",
        action=AuditAction.DELETE,
        object_type="retention",
        summary=f"retention purge: {summary}",
        at=now,
    )
    return done
