"""Reading jobs: the latest job of a subject; subjects whose job has yet to end."""

from __future__ import annotations

from typing import Any, Iterable

from .models import Job, JobStatus


def job_latest(subject: Any) -> Job | None:
    return (
        Job.objects.filter(subject_type=subject._meta.label_lower, subject_id=subject.pk)
        .order_by("-created_at", "-id")
        .first()
    )


def jobs_latest(subject_type: str, ids: Iterable[int]) -> dict[int, Job]:
    """The latest job of each of these subjects, by subject id (one query)."""
    out: dict[int, Job] = {}
    for job in Job.objects.filter(subject_type=subject_type, subject_id__in=list(ids)).order_by("created_at", "id"):
        assert job.subject_id is not None
        out[job.subject_id] = job
    return out


def pending_subject_ids(subject_type: str) -> set[int]:
    """Subjects whose job waits or runs: their files are still needed, whatever their age."""
    ids = Job.objects.filter(subject_type=subject_type, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).values_list(
        "subject_id", flat=True
    )
    return {i for i in ids if i is not None}
