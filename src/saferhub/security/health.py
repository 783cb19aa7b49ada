"""What ``/healthz`` checks: a list of named checks, each a function that returns when all is well
and raises when not. Add one with a line in ``CHECKS`` (for example the job worker's:
``("worker", worker_seen_recently)``). The view answers 503 when any check fails; the reason goes
to the log under a reference, never to the caller."""

from __future__ import annotations

import logging
from typing import Callable

from django.conf import settings
from django.db import connection, transaction

from saferhub.domain.problems import SaferhubError

from .middleware import new_reference

logger = logging.getLogger("saferhub.security")

Check = Callable[[], None]


def database_answers() -> None:
    """A real query, of the table every signed-in page reads first, within a short timeout: a
    locked database fails here in seconds, not after the pages' 20-second wait."""
    timeout = float(getattr(settings, "SAFERHUB_HEALTH_TIMEOUT_SECONDS", 2))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA busy_timeout")
            usual = int(cursor.fetchone()[0])
            cursor.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            try:
                cursor.execute("SELECT 1 FROM django_session LIMIT 1")
                cursor.fetchall()
            finally:
                cursor.execute(f"PRAGMA busy_timeout = {usual}")
        else:
            with transaction.atomic():
                # SET LOCAL ends with this transaction: other requests keep their own timeouts.
                cursor.execute("SET LOCAL statement_timeout = %s", [f"{int(timeout * 1000)}ms"])
                cursor.execute("SELECT 1 FROM django_session LIMIT 1")
                cursor.fetchall()


class HealthProblem(SaferhubError):
    """A check's failure whose words are safe to show the caller (no path, no detail of the
    system): the worker's "no job worker is running", say."""


def worker_running() -> None:
    """The job worker has been seen recently (jobs/health.py), when the queue needs one."""
    from saferhub.jobs.health import worker_check

    worker = worker_check()
    if not worker.ok:
        raise HealthProblem(worker.detail)


CHECKS: list[tuple[str, Check]] = [
    ("database", database_answers),
    ("worker", worker_running),
]


def health_report() -> list[tuple[str, bool, str]]:
    """Run every check, in order: (name, passed, words safe to show)."""
    results = []
    for name, check in CHECKS:
        try:
            check()
        except HealthProblem as problem:
            logger.error("health check %s failed: %s", name, problem)
            results.append((name, False, str(problem)))
        except Exception:  # noqa: BLE001 - any failure of a check is an unhealthy answer
            logger.error("health check %s failed (reference %s)", name, new_reference(), exc_info=True)
            results.append((name, False, ""))
        else:
            results.append((name, True, ""))
    return results
