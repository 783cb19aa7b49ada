"""saferhub worker [--batch] [--interval S]: run the jobs on the queue (imports started from the
web, pack builds) until stopped. Run one (or more) beside the web server in production."""

from __future__ import annotations

import logging
import signal
import sys
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand

from saferhub.jobs.worker import JobWorker


class Command(BaseCommand):
    help = "Run the job worker: imports started from the web and other long work. --batch runs what is waiting, then stops."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="run the jobs waiting now, then stop")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between looks at an empty queue (default 1)"
        )
        parser.add_argument("--worker-id", default=None, help="a name unique among the workers (default: random)")

    def handle(self, *args: Any, **opts: Any) -> None:
        logging.getLogger("django_tasks_db").setLevel(logging.INFO if opts["verbosity"] else logging.WARNING)
        worker = JobWorker(worker_id=opts["worker_id"], interval=opts["interval"], batch=opts["batch"])

        def stop(signum: int, frame: FrameType | None) -> None:
            if not worker.running:  # the second signal: stop now (the job in hand is marked interrupted)
                sys.exit(1)
            self.stderr.write(f"saferhub worker: {signal.strsignal(signum)}: finishing the job in hand, then stopping")
            worker.stop()
            if not worker.running_task:
                sys.exit(0)

        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, stop)
        self.stdout.write(f"saferhub worker {worker.worker_id} started (Ctrl-C to stop)")
        worker.run()
