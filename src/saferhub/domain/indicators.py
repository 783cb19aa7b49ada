"""The words of an indicator and of the uploads that bring its figures: how often it is
reported, what it counts, where its figures come from, how its targets run, and what became of
an upload. Declared once here; the models' choices are built from these (saferhub.choices), and
the values are str, so comparisons with stored text and JSON output are unchanged."""

from __future__ import annotations

from enum import StrEnum

from .workflow import Workflow

__all__ = ["Frequency", "Unit", "Source", "ImportKind", "UploadOutcome", "TargetKind", "UploadStatus", "UPLOADS"]


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"

    @property
    def label(self) -> str:
        return {"monthly": "Monthly", "quarterly": "Quarterly"}[self.value]


class Unit(StrEnum):
    COUNT = "count"
    PERCENTAGE = "percentage"

    @property
    def label(self) -> str:
        return {"count": "Count", "percentage": "Percentage (numerator / denominator)"}[self.value]


class Source(StrEnum):
    POLICEUK = "policeuk"
    PARTNER = "partner"

    @property
    def label(self) -> str:
        return {"policeuk": "police.uk street-level crime", "partner": "Partner-supplied figures"}[self.value]


class ImportKind(StrEnum):
    """What an import (or an upload) brings in: police.uk's street files or partners' figures."""

    POLICEUK = "policeuk"
    INDICATORS = "indicators"

    @property
    def label(self) -> str:
        return {"policeuk": "police.uk street files", "indicators": "Partner indicator figures"}[self.value]


class UploadOutcome(StrEnum):
    """What an upload did with each of its files (police.uk) or lines (partners' figures), in the
    words its page shows."""

    ADDED = "added"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"
    SUPERSEDED = "superseded"

    @property
    def colour(self) -> str:
        """GOV.UK tag colour."""
        return {"added": "green", "replaced": "blue", "unchanged": "grey", "superseded": "grey"}[self.value]


class TargetKind(StrEnum):
    CUMULATIVE = "cumulative"
    FLAT = "flat"

    @property
    def label(self) -> str:
        return {"cumulative": "Cumulative trajectory", "flat": "Flat level each period"}[self.value]


# Not JobStatus (domain.jobs), though the values are the same: a rejected import is a FAILED upload whose job is DONE.
class UploadStatus(StrEnum):
    """An upload of figures through the web: the same four moments as its job, in the words of
    an import (an upload that failed was rejected)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {"queued": "Waiting to start", "running": "Importing", "done": "Imported", "failed": "Rejected"}[
            self.value
        ]

    @property
    def colour(self) -> str:
        """GOV.UK tag colour."""
        return {"queued": "grey", "running": "blue", "done": "green", "failed": "red"}[self.value]


# An upload's life; any other move is a bug. An import interrupted by a crash fails (from either
# state its job was in) and may go back to the queue (saferhub.jobs' retry, which only an
# interrupted job allows).
UPLOADS: Workflow[UploadStatus, UploadStatus] = Workflow.of_moves(
    UploadStatus,
    {
        UploadStatus.QUEUED: [UploadStatus.RUNNING, UploadStatus.FAILED],
        UploadStatus.RUNNING: [UploadStatus.DONE, UploadStatus.FAILED],
        UploadStatus.DONE: [],
        UploadStatus.FAILED: [UploadStatus.QUEUED],
    },
    lambda state, to: f"an upload cannot go from {state} to {to}",
)
