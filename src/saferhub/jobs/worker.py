"""``saferhub worker``'s loop: django-tasks-db's worker, which also says it is alive (a heartbeat
row, for /healthz and for other workers) and, when it starts and with each heartbeat, marks
interrupted the jobs whose worker has gone (services.jobs_recover)."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from .services import heartbeat, heartbeat_end, jobs_recover

log = logging.getLogger(__name__)


class JobWorker(Worker):
    def __init__(
        self,
        *,
        worker_id: str | None = None,
        queue_names: list[str] | None = None,
        interval: float = 1,
        batch: bool = False,
        backend_name: str = "default",
        max_tasks: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            queue_names=queue_names or ["default"],
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id or get_random_string(32),
            excluded_queue_names=[],
            **kwargs,
        )
        self._stop = threading.Event()

    def run(self) -> None:
        heartbeat(self.worker_id)
        for job in jobs_recover():
            log.warning("marked job %s interrupted: its worker %s had stopped", job.pk, job.worker_id)
        beat = None
        if not self.batch:  # a batch (tests, cron) ends soon; a long-running worker beats on its own thread
            beat = threading.Thread(target=self._beat, name=f"saferhub-heartbeat-{self.worker_id[:8]}", daemon=True)
            beat.start()
        try:
            super().run()
        finally:
            self._stop.set()
            if beat is not None:
                beat.join(timeout=5)
            heartbeat_end(self.worker_id)

    def stop(self) -> None:
        """Finish the job in hand, then return from run() (what SIGTERM does to the command)."""
        self.running = False
        self._stop.set()

    def _beat(self) -> None:
        # Its own thread, so that a long import does not stop the heartbeat.
        try:
            while not self._stop.wait(settings.SAFERHUB_WORKER_HEARTBEAT_SECONDS):
                try:
                    heartbeat(self.worker_id)
                    jobs_recover()
                except Exception:  # a locked or lost database: try again at the next beat
                    log.exception("worker %s: heartbeat failed", self.worker_id)
        finally:
            connection.close()
