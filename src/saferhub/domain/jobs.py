"""The states of a job (one piece of long work, saferhub.jobs), declared once here; the model's
choices are built from them (saferhub.choices)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["JobStatus"]


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {"queued": "Waiting to start", "running": "Running", "done": "Done", "failed": "Failed"}[self.value]
