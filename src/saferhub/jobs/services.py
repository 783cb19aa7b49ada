"""Enqueue, run, recover and retry jobs. The work itself is a plain function decorated with
``long_job``; the worker (``saferhub worker``) runs it through the one django-tasks task
``saferhub.jobs.tasks.run_job``."""

from __future__ import annotations

import datetime
import logging
import os
import socket
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from saferhub.domain.jobs import JOBS, JobEvent
from saferhub.domain.problems import SaferhubError

from .models import Job, JobStatus, WorkerHeartbeat

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])


class JobError(SaferhubError):
    """A job cannot do what was asked (for example retry one that was not interrupted)."""


class JobRefused(SaferhubError):
    """The work cannot be done as asked: the job fails with this message, for the user (no traceback)."""


@dataclass(frozen=True)
class JobKind:
    noun: str  # what the user calls the work: "import", "pack build"
    on_interrupted: Callable[[Job], None] | None = None  # tell the subject (the upload) it stopped
    on_retry: Callable[[Job], None] | None = None  # make the subject ready again; JobError if it cannot be


def long_job(
    *, noun: str, on_interrupted: Callable[[Job], None] | None = None, on_retry: Callable[[Job], None] | None = None
) -> Callable[[F], F]:
    """Mark a module-level function as work a job may run (with JSON arguments, by keyword)."""

    def mark(fn: F) -> F:
        fn.job_kind = JobKind(noun, on_interrupted, on_retry)  # type: ignore[attr-defined]
        return fn

    return mark


def _kind(job: Job) -> JobKind:
    kind = getattr(import_string(job.function), "job_kind", None)
    if not isinstance(kind, JobKind):
        raise JobError(f"{job.function} is not a long_job")
    return kind


def interrupted_message(noun: str) -> str:
    return f"interrupted (the server stopped during the {noun}); retry"


def job_enqueue(
    *,
    function: str,
    arguments: dict[str, Any],
    subject: Any = None,
    actor: Any = None,
    now: datetime.datetime | None = None,
    run_now: bool = False,
) -> Job:
    """Record a job and put it on the queue (the settings' TASKS backend). ``run_now`` runs it in
    this process instead, at once (the command line's imports)."""
    job = Job.objects.create(
        function=function,
        arguments=arguments,
        created_at=now or timezone.now(),
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=subject.pk if subject is not None else None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _kind(job)  # refuse at once a function that is not a long_job
    if run_now:
        job_run(job_id=job.pk, worker_id=f"in-process-{os.getpid()}")
    else:
        _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job: Job) -> None:
    from .tasks import run_job

    result = run_job.enqueue(job.pk)  # the immediate backend has run it by now
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))


def job_run(*, job_id: int, worker_id: str) -> None:
    """Run one attempt of a job, if it is still waiting (an interrupted or finished job is not)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or not JOBS.allows(job.status, JobEvent.START):
            log.warning("job %s is not waiting to run (%s): skipped", job_id, getattr(job, "status", "gone"))
            return
        job.status, job.started_at, job.worker_id = (
            JOBS.move(job.status, JobEvent.START),
            timezone.now(),
            worker_id[:64],
        )
        job.attempts += 1
        job.save(update_fields=["status", "started_at", "worker_id", "attempts"])
    try:
        import_string(job.function)(**job.arguments)
    except JobRefused as e:
        _finish(job, JobEvent.FAIL, str(e))
        return
    except Exception:
        log.exception("job %s failed", job.pk)
        _finish(job, JobEvent.FAIL, f"The {_kind(job).noun} failed unexpectedly. Tell your administrator.")
        raise
    except BaseException:  # the worker is being stopped under the job (SystemExit, KeyboardInterrupt)
        job_interrupt(job, now=timezone.now())
        raise
    _finish(job, JobEvent.SUCCEED, "")


def _finish(job: Job, event: JobEvent, message: str) -> None:
    """End a running job. The table says where ``event`` takes a running job; the conditional
    UPDATE (still running) is the guard that two workers cannot both finish it."""
    status = JOBS.move(JobStatus.RUNNING, event)
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=status, message=message, finished_at=timezone.now()
    )


def job_interrupt(job: Job, *, now: datetime.datetime) -> None:
    """The worker running ``job`` is gone: the job failed, may be retried, and its subject is told."""
    kind = _kind(job)
    with transaction.atomic():
        # Conditional, like _finish: only a job the table lets be interrupted (queued or running) is.
        updated = Job.objects.filter(pk=job.pk, status__in=JOBS.states_allowing(JobEvent.INTERRUPT)).update(
            status=JOBS.move(JobStatus.RUNNING, JobEvent.INTERRUPT),  # failed, from either state
            interrupted=True,
            message=interrupted_message(kind.noun),
            finished_at=now,
        )
        if not updated:
            return
        job.refresh_from_db()
        _task_result_failed(job, now=now)
        if kind.on_interrupted:
            kind.on_interrupted(job)
    log.warning("job %s (%s) was interrupted: its worker %s stopped", job.pk, job.function, job.worker_id)


def _task_result_failed(job: Job, *, now: datetime.datetime) -> None:
    """django-tasks would show its task RUNNING for ever: say it failed, and why."""
    from django.apps import apps

    if not job.task_id or not apps.is_installed("django_tasks_db"):
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=job.task_id, status="RUNNING").update(
        status="FAILED", finished_at=now, exception_class_path="saferhub.jobs.Interrupted", traceback=job.message
    )


def job_retry(job: Job, *, actor: Any = None) -> Job:
    """Put an interrupted job back on the queue (a new attempt, a new task)."""
    if not job.retryable:
        raise JobError("only an interrupted job can be retried")
    kind = _kind(job)
    with transaction.atomic():
        if kind.on_retry:
            kind.on_retry(job)
        job.status, job.interrupted, job.message = JOBS.move(job.status, JobEvent.RETRY), False, ""
        job.started_at = job.finished_at = None
        job.worker_id = ""
        job.save(update_fields=["status", "interrupted", "message", "started_at", "finished_at", "worker_id"])
    _enqueue(job)
    job.refresh_from_db()
    return job


# ----------------------------------------------------------------------- workers and recovery
def heartbeat(worker_id: str, *, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id, hostname=socket.gethostname(), pid=os.getpid(), started_at=now, seen_at=now
        )


def heartbeat_end(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def live_worker_ids(*, now: datetime.datetime) -> set[str]:
    """Workers that said they were alive recently enough, less those on this machine whose process is gone."""
    cut = now - datetime.timedelta(seconds=settings.SAFERHUB_WORKER_STALE_SECONDS)
    host = socket.gethostname()
    return {
        w.worker_id
        for w in WorkerHeartbeat.objects.filter(seen_at__gte=cut)
        if w.hostname != host or _process_alive(w.pid)
    }


def jobs_recover(*, now: datetime.datetime | None = None) -> list[Job]:
    """Mark failed (interrupted, may be retried) every running job whose worker is gone; forget
    heartbeats that have stopped. A worker calls this when it starts and with each heartbeat."""
    now = now or timezone.now()
    alive = live_worker_ids(now=now)
    stuck = list(
        Job.objects.filter(status=JobStatus.RUNNING)
        .exclude(worker_id__in=alive)
        .exclude(worker_id__startswith="in-process-")
    )
    for job in stuck:
        job_interrupt(job, now=now)
    WorkerHeartbeat.objects.exclude(worker_id__in=alive).delete()
    return stuck
