"""The one django-tasks task: run a saferhub Job (services.job_run) by its id."""

from __future__ import annotations

from django_tasks import TaskContext, task

from .services import job_run


@task(takes_context=True)
def run_job(context: TaskContext, job_id: int) -> None:
    worker_ids = context.task_result.worker_ids
    job_run(job_id=job_id, worker_id=worker_ids[-1] if worker_ids else "")
