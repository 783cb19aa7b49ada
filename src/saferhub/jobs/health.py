"""/healthz's check of the job worker: a heartbeat recent enough (SAFERHUB_WORKER_STALE_SECONDS)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def worker_needed() -> bool:
    """Only a queue in the database needs a worker; the immediate backend runs jobs in the request."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "") if hasattr(settings, "TASKS") else ""
    return backend.startswith("django_tasks_db")


def worker_check() -> Check:
    if not worker_needed():
        return Check("worker", True, "not needed: jobs run in the request")
    from .services import live_worker_ids

    try:
        alive = live_worker_ids(now=timezone.now())
    except Exception:  # the database cannot be read: the database check says why
        return Check("worker", False, "cannot read the workers' heartbeats")
    if not alive:
        return Check("worker", False, "no job worker is running (start `saferhub worker`)")
    return Check("worker", True, f"{len(alive)} running")
