"""The states of a job (one piece of long work, saferhub.jobs), declared once here; the model's
choices are built from them (saferhub.choices). And the job's life, as the one transition
table of saferhub.domain.workflow."""

from __future__ import annotations

from enum import StrEnum

from .workflow import Workflow

__all__ = ["JobStatus", "JobEvent", "JOBS"]


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {"queued": "Waiting to start", "running": "Running", "done": "Done", "failed": "Failed"}[self.value]


class JobEvent(StrEnum):
    START = "start"  # a worker takes it from the queue
    SUCCEED = "succeed"  # the work returned
    FAIL = "fail"  # the work raised (or refused)
    INTERRUPT = "interrupt"  # the worker stopped under it, or went before taking it
    RETRY = "retry"  # an interrupted job goes back on the queue


# A job's life: (state, event) -> new state. A job that failed may be retried only when it was
# interrupted (Job.retryable says so: the table holds the move, the flag is the job's).
JOBS: Workflow[JobStatus, JobEvent] = Workflow(
    JobStatus,
    JobEvent,
    {
        (JobStatus.QUEUED, JobEvent.START): JobStatus.RUNNING,
        (JobStatus.QUEUED, JobEvent.INTERRUPT): JobStatus.FAILED,
        (JobStatus.RUNNING, JobEvent.SUCCEED): JobStatus.DONE,
        (JobStatus.RUNNING, JobEvent.FAIL): JobStatus.FAILED,
        (JobStatus.RUNNING, JobEvent.INTERRUPT): JobStatus.FAILED,
        (JobStatus.FAILED, JobEvent.RETRY): JobStatus.QUEUED,
    },
    lambda state, event: f"a job that is {state} cannot {event}",
)
