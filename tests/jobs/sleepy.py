"""A job for the kill test: it says it started, then waits for a file (or two minutes)."""

from __future__ import annotations

import time
from pathlib import Path

from saferhub.jobs.services import long_job


@long_job(noun="test job")
def wait_for_file(*, started: str, release: str) -> None:
    Path(started).write_text("running")
    deadline = time.monotonic() + 120
    while not Path(release).exists():
        if time.monotonic() > deadline:
            raise TimeoutError("never released")
        time.sleep(0.1)
