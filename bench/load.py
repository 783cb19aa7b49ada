"""Load benchmark (`make bench`, after bench/run.py): gunicorn on 127.0.0.1 with PostgreSQL.

    .venv/bin/python bench/load.py [--users 50] [--requests 20] [--time-limit 180] [--database-url URL]

1. Prepares its own PostgreSQL database (default ``saferhub_load``, dropped and recreated):
   migrate, the demo, and one account per simulated user (half board members, who sign in with a
   password; half analysts, who also give a TOTP code computed here from their enrolled secret).
2. Starts gunicorn (production settings, behind an imaginary TLS proxy: the client sends
   ``X-Forwarded-Proto: https`` as the proxy in docs/deploy.md does) on a free port.
3. Runs ``--users`` threads at once. Each signs in; when all have, each requests ``--requests``
   pages in turn from PAGES (those that answer 200, following an index's redirect; the others are
   listed as absent), pausing ``--think`` seconds on average before each (a user glancing at a
   page; real readers take far longer; ``--think 0`` is a stress run). The run is bounded by the
   request count and by ``--time-limit`` seconds.
4. Prints p50 / p95 / max and the error rate for pages and for sign-in separately, and writes
   them to bench/data/results/load.json. Goal: pages p95 under 500 ms with no errors.

The load generator runs on the same machine as the server and the database: on 2 cores, the
figures measure the whole machine, not the server alone.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
BIN = REPO / ".venv" / "bin"
RESULTS = REPO / "bench" / "data" / "results"

# Pages a signed-in user browses, in turn. Add new ones here as they are merged; a page that does
# not answer 200 on this branch is reported as absent and left out of the figures.
PAGES = [
    "/dashboard/",
    "/indicators/anti-social-behaviour/",
    "/indicators/overall-crime/",
    "/indicators/domestic-abuse/",
    "/reports/",
    "/partnerships/safer-plymouth/performance/2016-11/",
    "/commissioning/",
    "/commissioning/projects/1/",
    "/commissioning/returns/1/",
    "/commissioning/half-year/1/",
    "/governance/",
    "/public/",
    "/public/safer-plymouth/2016-11/",
]
PASSWORD = "load-benchmark passphrase 2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(database_url: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "SAFERHUB_ENVIRONMENT": "production",
        "SECRET_KEY": os.urandom(32).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "SAFERHUB_HOME": str(REPO / "bench" / "data" / "load-home"),
        "DJANGO_SETTINGS_MODULE": "saferhub.settings",
    }


def prepare(database_url: str, users: int) -> list[tuple[str, str | None]]:
    """A fresh database with the demo and the accounts; returns (username, totp secret or None)."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = environment(database_url)
    Path(env["SAFERHUB_HOME"], "static").mkdir(parents=True, exist_ok=True)
    subprocess.run([BIN / "saferhub", "migrate", "--noinput", "-v", "0"], env=env, check=True)
    script = f"""
import datetime, json
from django.utils import timezone
from saferhub.demo import load_demo
from saferhub.accounts.models import User
from saferhub.accounts.services import totp_enrol
load_demo(now=timezone.now())
out = []
for i in range({users}):
    role = "analyst" if i % 2 else "board"
    u = User.objects.create_user(f"load{{i}}", password={PASSWORD!r}, role=role)
    out.append([u.username, totp_enrol(user=u) if role == "analyst" else None])
print(json.dumps(out))
"""
    done = subprocess.run(
        [BIN / "python", "-c", "import django; django.setup()\n" + script],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return [tuple(x) for x in json.loads(done.stdout.strip().splitlines()[-1])]


class Session:
    """One simulated user: cookies by hand (they are Secure, and the proxy speaks TLS for us)."""

    def __init__(self, port: int, host: str = "127.0.0.1"):
        self.port, self.host = port, host
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.used = False  # has a response come back on this connection yet?

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, dict, float]:
        headers = {
            "Host": self.host,
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        data = None
        if body is not None:
            data = urlencode(body)
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": f"https://{self.host}",
                    "Referer": f"https://{self.host}{path}",
                }
            )
        start = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                # The server closes a kept-alive connection left idle (gunicorn's keepalive):
                # a browser then reconnects and sends a GET again, and so do we, once.
                # A failure on a fresh connection is an error.
                if attempt == 2 or not self.used or method != "GET":
                    return 0, "", {}, time.perf_counter() - start
        self.used = True
        elapsed = time.perf_counter() - start
        for key, value in response.getheaders():
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text, dict(response.getheaders()), elapsed

    def csrf(self, path: str) -> str:
        _, text, _, _ = self.request("GET", path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        return match.group(1) if match else ""

    def sign_in(self, username: str, secret: str | None) -> tuple[bool, float]:
        from saferhub.accounts.totp import totp_code

        start = time.perf_counter()
        token = self.csrf("/accounts/login/")
        status, _, headers, _ = self.request(
            "POST", "/accounts/login/", {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
        )
        if status == 302 and "/accounts/totp/" in headers.get("Location", ""):
            import datetime

            token = self.csrf("/accounts/totp/")
            code = totp_code(secret or "", at=datetime.datetime.now(datetime.timezone.utc))
            status, _, headers, _ = self.request(
                "POST", "/accounts/totp/", {"csrfmiddlewaretoken": token, "code": code}
            )
        return status == 302 and "/accounts/" not in headers.get("Location", ""), time.perf_counter() - start


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))  # nearest rank
    return ordered[k]


def run(args) -> dict:
    accounts = prepare(args.database_url, args.users)
    port = free_port()
    env = environment(args.database_url)
    server = subprocess.Popen(
        [
            BIN / "gunicorn",
            "saferhub.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                if Session(port).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        probe = Session(port)
        assert probe.sign_in(*accounts[0])[0], "the probe user could not sign in"
        pages, absent = [], []
        for path in PAGES:
            status, _, headers, _ = probe.request("GET", path)
            if status == 302 and headers.get("Location", "").startswith("/"):
                # An index that sends the user on (e.g. /governance/ to the board's page):
                # browse where it leads.
                path = headers["Location"]
                status = probe.request("GET", path)[0]
            (pages if status == 200 else absent).append(path)
        deadline = time.monotonic() + args.time_limit
        page_times: list[float] = []
        by_page: dict[str, list[float]] = {}
        login_times: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        start_gate = threading.Barrier(args.users)
        browse_gate = threading.Barrier(args.users)

        def user(i: int) -> None:
            session = Session(port)
            username, secret = accounts[i % len(accounts)]
            pause = random.Random(i)  # the same pauses on every run
            start_gate.wait()
            ok, took = session.sign_in(username, secret)
            with lock:
                login_times.append(took)
                if not ok:
                    errors.append(f"sign-in {username}")
            # Everyone browses together once all have signed in, so the page figures measure
            # browsing, not pages queued behind fifty password hashes (timed on their own above).
            browse_gate.wait()
            for n in range(args.requests):
                if args.think:
                    time.sleep(pause.uniform(0.5, 1.5) * args.think)
                if time.monotonic() > deadline:
                    with lock:
                        errors.append("time limit")
                    return
                path = pages[(i + n) % len(pages)]
                status, _, _, took = session.request("GET", path)
                with lock:
                    page_times.append(took)
                    by_page.setdefault(path, []).append(took)
                    if status != 200:
                        errors.append(f"{status} {path}")

        began = time.perf_counter()
        threads = [threading.Thread(target=user, args=(i,)) for i in range(args.users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(args.time_limit + 30)
        wall = time.perf_counter() - began
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
    attempted = args.users * args.requests
    ms = lambda v: round(v * 1000, 1)  # noqa: E731
    result = {
        "users": args.users,
        "requests_per_user": args.requests,
        "gunicorn_workers": args.workers,
        "think_seconds_mean": args.think,
        "pages": pages,
        "absent_pages": absent,
        "wall_seconds": round(wall, 1),
        "page_requests": len(page_times),
        "page_p50_ms": ms(percentile(page_times, 50)),
        "page_p95_ms": ms(percentile(page_times, 95)),
        "page_max_ms": ms(max(page_times, default=0)),
        "sign_in_p50_ms": ms(percentile(login_times, 50)),
        "sign_in_p95_ms": ms(percentile(login_times, 95)),
        "errors": len(errors),
        "error_rate": round(len(errors) / max(attempted + args.users, 1), 4),
        "error_sample": sorted(set(errors))[:10],
        "requests_per_second": round(len(page_times) / wall, 1) if wall else None,
    }
    result["by_page"] = {
        path: {"requests": len(t), "p50_ms": ms(percentile(t, 50)), "p95_ms": ms(percentile(t, 95))}
        for path, t in sorted(by_page.items(), key=lambda kv: -percentile(kv[1], 95))
    }
    result["goal_pages_p95_under_500ms"] = result["page_p95_ms"] < 500
    result["goal_no_errors"] = not errors
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="page requests per user after signing in")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="mean pause in seconds before each page, as a reader glances at one (uniform, "
        "half to one and a half times this; 0 for a stress run with no pause)",
    )
    parser.add_argument("--time-limit", type=float, default=180.0)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/saferhub_load"),
    )
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    os.environ.update({k: v for k, v in environment(args.database_url).items() if k == "DJANGO_SETTINGS_MODULE"})
    result = run(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps(result, indent=2))
    print(
        f"Load: {result['users']} users x {result['requests_per_user']} pages, {args.think:g} s mean pause, "
        f"gunicorn {result['gunicorn_workers']} workers, "
        f"{result['wall_seconds']} s, {result['requests_per_second']} pages/s"
    )
    print(
        f"  pages: p50 {result['page_p50_ms']} ms, p95 {result['page_p95_ms']} ms, max {result['page_max_ms']} ms "
        f"-> {'PASS' if result['goal_pages_p95_under_500ms'] else 'FAIL'} (p95 < 500 ms)"
    )
    slowest = list(result["by_page"].items())[:4]
    print("  slowest pages (p95): " + ", ".join(f"{path} {v['p95_ms']} ms" for path, v in slowest))
    print(
        f"  sign-in (password hashing, and TOTP for analysts): p50 {result['sign_in_p50_ms']} ms, p95 {result['sign_in_p95_ms']} ms"
    )
    print(
        f"  errors: {result['errors']} ({result['error_rate']:.2%}) -> {'PASS' if result['goal_no_errors'] else 'FAIL'} {result['error_sample']}"
    )
    print(
        f"  pages browsed: {', '.join(result['pages'])}; absent on this branch: {', '.join(result['absent_pages']) or 'none'}"
    )


if __name__ == "__main__":
    main()
