"""A real crash: `saferhub worker` killed (SIGKILL) in the middle of a job. The job is not left
running for ever: the next worker to start marks it failed, interrupted, and a retry completes it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.test_cli import saferhub

REPO = Path(__file__).resolve().parents[2]


def _job(home: Path, code: str) -> dict:
    script = (
        "import json; from saferhub.jobs.models import Job; from saferhub.jobs import services as s; "
        + code
        + "; j = Job.objects.get(); print(json.dumps({k: getattr(j, k) for k in "
        "('status', 'interrupted', 'message', 'attempts')}))"
    )
    return json.loads(saferhub(home, "shell", "-c", script).stdout.strip().splitlines()[-1])


def test_a_killed_worker_leaves_no_job_running_for_ever(tmp_path: Path):
    saferhub(tmp_path, "migrate", "--noinput")
    started, release = tmp_path / "started", tmp_path / "release"
    job = _job(
        tmp_path,
        f"s.job_enqueue(function='tests.jobs.sleepy.wait_for_file', "
        f"arguments={{'started': {str(started)!r}, 'release': {str(release)!r}}})",
    )
    assert job["status"] == "queued"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"SAFERHUB_HOME": str(tmp_path)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "saferhub", "worker", "--interval", "0.2"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert started.exists(), "the worker never started the job"
    finally:
        worker.kill()  # SIGKILL: no clean-up of any kind
        worker.wait()
    assert _job(tmp_path, "pass")["status"] == "running"  # what the crash left

    saferhub(tmp_path, "worker", "--batch")  # the worker starts again
    job = _job(tmp_path, "pass")
    assert job == {
        "status": "failed",
        "interrupted": True,
        "attempts": 1,
        "message": "interrupted (the server stopped during the test job); retry",
    }

    release.write_text("go")
    job = _job(tmp_path, "s.job_retry(Job.objects.get())")
    assert job["status"] == "queued" and not job["interrupted"]
    saferhub(tmp_path, "worker", "--batch")
    assert _job(tmp_path, "pass") == {"status": "done", "interrupted": False, "attempts": 2, "message": ""}
