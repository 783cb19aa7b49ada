"""A job (one piece of long work, retried as often as needed) and the workers' heartbeats."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from saferhub.choices import text_choices
from saferhub.domain import jobs as domain_jobs

# The domain's job states (saferhub.domain.jobs), as Django choices.
JobStatus = text_choices(domain_jobs.JobStatus)


class Job(models.Model):
    # The dotted path of a function decorated with saferhub.jobs.services.long_job.
    function = models.CharField(max_length=200)
    arguments = models.JSONField(default=dict, blank=True)
    # What the job works on, so that its page can find it: ("performance.upload", 12).
    subject_type = models.CharField(max_length=100, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    # Failed because the worker stopped under it (a crash, a kill, a restart): it may be retried.
    interrupted = models.BooleanField(default=False)
    message = models.TextField(blank=True)  # for the user: never a traceback
    attempts = models.PositiveIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)  # the django-tasks result of the latest attempt
    worker_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"]), models.Index(fields=["status"])]
        constraints = [models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="job_status_valid")]

    def __str__(self) -> str:
        return f"job #{self.pk} {self.function.rsplit('.', 1)[-1]} ({self.status})"

    @property
    def retryable(self) -> bool:
        return self.status == JobStatus.FAILED and self.interrupted


class WorkerHeartbeat(models.Model):
    """A running ``saferhub worker`` says it is alive every few seconds (SAFERHUB_WORKER_HEARTBEAT_SECONDS)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"worker {self.worker_id} on {self.hostname} (pid {self.pid})"
