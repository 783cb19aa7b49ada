"""saferhub demo [--no-serve] [--port N] [--no-worker]: load Safer Plymouth's demo figures and
users, and Torbay's police.uk months, write Plymouth's November 2016 report and Torbay's November
2019 one, print one login per role and where the month left out for upload is, and serve the web
app on it, with the job worker (`saferhub worker`) beside it, stopped when the server stops."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from saferhub.demo import REPORT_PERIOD, load_demo, torbay, write_part_outputs
from saferhub.domain.calendar import Month
from saferhub.performance.report import build_performance_report
from saferhub.rendering import render_report, render_reports


class Command(BaseCommand):
    help = "Load the demo (Safer Plymouth and Torbay), write their reports and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="load and write the outputs, then stop")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on (default 127.0.0.1:8000)")
        parser.add_argument("--port", type=int, default=None, help="serve on 127.0.0.1 at this port instead of 8000")
        parser.add_argument("--no-worker", action="store_true", help="serve without starting the job worker beside it")
        parser.add_argument(
            "--output-dir", default=None, help="where to write the report (default: $SAFERHUB_HOME/demo)"
        )

    def handle(self, *args, **opts):
        now = timezone.now()
        partnership = load_demo(now=now)
        police_partnership = torbay.load(now=now)
        out_dir = Path(opts["output_dir"] or settings.SAFERHUB_HOME / "demo")
        out_dir.mkdir(parents=True, exist_ok=True)
        self._write_report(partnership, REPORT_PERIOD, out_dir)
        for path in write_part_outputs(partnership=partnership, out_dir=out_dir):
            self.stdout.write(f"Wrote {path}")
        self._write_report(police_partnership, torbay.REPORT_PERIOD, out_dir)
        self.stdout.write(
            f"{police_partnership.name}'s December 2019 police.uk file is left out for you to upload: sign in "
            f"as analyst, choose {police_partnership.name} on the dashboard, and upload it at /data/:\n"
            f"  {torbay.UPLOAD_FILE}"
        )
        addr = f"127.0.0.1:{opts['port']}" if opts["port"] else opts["addr"]
        self._print_logins()
        url = f"http://{addr}/"
        if opts["no_serve"]:
            self.stdout.write(f"Serve it with `saferhub demo` and open {url}")
            return
        self.stdout.write(f"Open {url} and sign in  (Ctrl-C to stop)")
        worker = None if opts["no_worker"] else self._start_worker()
        # SIGTERM or a closed terminal stops the server as Ctrl-C does: through `finally`, which stops the worker.
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, lambda signum, frame: sys.exit(0))
        try:
            call_command("runserver", addr, use_reloader=False)
        finally:
            if worker is not None:
                self._stop_worker(worker)

    def _write_report(self, partnership, period: str, out_dir: Path) -> None:
        report = build_performance_report(partnership, Month.parse(period))
        json_path = out_dir / f"{partnership.slug}-performance-{period}.json"
        json_path.write_bytes(render_report(report, "json"))
        self.stdout.write(f"Loaded {partnership.name}: {len(report.indicators)} indicators.")
        self.stdout.write(f"Wrote {json_path}")
        # The board's copy: every format from the same structure as the JSON, charts drawn once.
        for fmt, data in render_reports(report, ("pdf", "docx", "xlsx", "html")).items():
            path = out_dir / f"{partnership.slug}-performance-{period}.{fmt}"
            path.write_bytes(data)
            self.stdout.write(f"Wrote {path}")

    def _start_worker(self) -> subprocess.Popen[bytes]:
        """The job worker beside the server (imports from /data/ run on it), as in production."""
        worker = subprocess.Popen([sys.executable, "-m", "saferhub", "worker", "--verbosity", "0"])
        self.stdout.write(f"Started the job worker (`saferhub worker`, pid {worker.pid}).")
        return worker

    def _stop_worker(self, worker: subprocess.Popen[bytes]) -> None:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)  # it finishes the job in hand, then stops
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        self.stdout.write("Stopped the job worker.")

    def _print_logins(self) -> None:
        from saferhub.demo.users import PASSWORD_ENV, logins, password_file, second_factors

        self.stdout.write("Demo logins (one per role, and the two who sign the half-year return):")
        for username, role, password in logins():
            self.stdout.write(f"  {username:<13} {password}   {role}")
        import os

        if not os.environ.get(PASSWORD_ENV):
            self.stdout.write(f"  (password generated and kept in {password_file()}; set {PASSWORD_ENV} to choose it)")
        factors = second_factors()
        if factors:
            self.stdout.write(
                "Second factor: these roles then ask for a 6-digit code. Add each key to an "
                "authenticator app (or run `saferhub totp USERNAME` on this machine):"
            )
            for username, secret in factors:
                self.stdout.write(f"  {username:<13} {secret}")
