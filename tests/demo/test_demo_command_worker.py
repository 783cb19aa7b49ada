"""`saferhub demo` serves the app with the job worker beside it, and stops the worker with it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.test_cli import saferhub


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthz(port: int) -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
            return int(r.status)
    except urllib.error.HTTPError as e:
        return int(e.code)
    except OSError:
        return None


def test_the_demo_starts_the_worker_and_stops_it_on_exit(tmp_path: Path):
    saferhub(tmp_path, "migrate", "--noinput")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SAFERHUB_WORKER_STALE_SECONDS")}
    demo = subprocess.Popen(
        [sys.executable, "-m", "saferhub", "demo", "--port", str(port)],
        env=env | {"SAFERHUB_HOME": str(tmp_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 400  # the demo renders its documents first
        status = None
        while time.monotonic() < deadline and status != 200:
            time.sleep(1)
            status = _healthz(port)
        assert status == 200, "the demo's /healthz never said its worker was alive"
    finally:
        demo.send_signal(signal.SIGTERM)  # as a supervisor stops it; Ctrl-C takes the same way out
        out, _ = demo.communicate(timeout=60)
    pid = int(out.split("Started the job worker (`saferhub worker`, pid ")[1].split(")")[0])
    assert "Stopped the job worker." in out
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
