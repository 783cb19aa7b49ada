from __future__ import annotations

import email
import email.policy
import os
import socket
from email.message import EmailMessage
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _find_shared() -> Path:
    """../shared beside the checkout; SAFERHUB_SHARED or /work/shared for a clone elsewhere."""
    for candidate in (os.environ.get("SAFERHUB_SHARED"), REPO.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "seeds").is_dir():
            return Path(candidate)
    return REPO.parent / "shared"


SHARED = _find_shared()
DEVON_AND_CORNWALL = SHARED / "data" / "policeuk" / "devon-and-cornwall"
SEED_REPORT = SHARED / "seeds" / "000_51b0f8925625abc6.txt"

os.environ.setdefault("SAFERHUB_HOME", str(REPO / "var" / "test-home"))
(Path(os.environ["SAFERHUB_HOME"]) / "static").mkdir(parents=True, exist_ok=True)


def pytest_collection_modifyitems(config, items):
    # Tests that read ../shared must not silently pass on a clone without it: fail loudly.
    if not SHARED.exists():
        raise pytest.UsageError(f"the tests need the shared data at {SHARED} (set SAFERHUB_SHARED)")


@pytest.fixture
def policeuk_file(tmp_path):
    """Write a small police.uk street file and return its path."""

    def write(
        name: str = "2019-01-test-force-street.csv",
        rows: list[str] | None = None,
        *,
        header: str | None = None,
        eol: str = "\n",
        bom: bool = False,
    ) -> Path:
        head = header or (
            "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
            "LSOA code,LSOA name,Crime type,Last outcome category,Context"
        )
        body = (
            rows
            if rows is not None
            else [
                ",2019-01,Test Police,Test Police,-4.1,50.4,On or near A,E01015025,Plymouth 001A,Anti-social behaviour,,",
                ",2019-01,Test Police,Test Police,-4.1,50.4,On or near A,E01015025,Plymouth 001A,Anti-social behaviour,,",
                "abc,2019-01,Test Police,Test Police,-4.1,50.4,On or near B,E01015159,Plymouth 002B,Burglary,Under investigation,",
                "abd,2019-01,Test Police,Test Police,-4.1,50.4,On or near C,E01018936,Cornwall 001A,Robbery,Under investigation,",
                "abe,2019-01,Test Police,Test Police,,,No location,,,Vehicle crime,Under investigation,",
            ]
        )
        text = eol.join([head, *body]) + eol
        data = text.encode("utf-8")
        if bom:
            data = b"\xef\xbb\xbf" + data
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    return write


@pytest.fixture(autouse=True)
def _force_login_comes_through_the_door(monkeypatch):
    """``client.force_login(user)`` stands for a completed sign-in at the door: the password and,
    where the role needs it, the second factor. Without the door's mark the session would be ended
    at its first request (saferhub.accounts.door); tests of the door itself post to it."""
    from django.test.client import ClientMixin

    from saferhub.accounts.door import door_mark

    original = ClientMixin._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        door_mark(session, user, second_factor=True)
        session.save()

    monkeypatch.setattr(ClientMixin, "_login", _login)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The demo creates five users; the production hasher would cost seconds per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Jobs (imports from the web) run in the request with django-tasks' immediate backend, so a
    # test sees an upload's result at once; tests/jobs and the journeys that follow an import run
    # the database queue and the real worker (the `job_worker` fixtures).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def database_queue(settings):
    """The real queue (django-tasks-db), as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def run_worker(database_queue, monkeypatch):
    """Run the worker in this thread until the queue is empty (``saferhub worker --batch``)."""
    from django_tasks_db.management.commands import db_worker

    from saferhub.jobs.worker import JobWorker

    # The worker closes its connection between tasks, as Django does between requests; here that
    # connection holds the test's transaction, so (as Django's TestCase does for requests) it stays.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run(worker_id: str = "test-worker") -> None:
        JobWorker(worker_id=worker_id, batch=True, interval=0).run()

    return run


@pytest.fixture
def live_worker(transactional_db, database_queue, settings):
    """A worker on its own thread for the whole test, as `saferhub worker` beside the server."""
    import threading

    from django.db import connection

    from saferhub.jobs.worker import JobWorker

    settings.SAFERHUB_WORKER_HEARTBEAT_SECONDS = 0.5
    worker = JobWorker(worker_id="live-test-worker", interval=0.1)

    def run() -> None:
        try:
            worker.run()
        finally:
            connection.close()

    thread = threading.Thread(target=run, name="saferhub-test-worker", daemon=True)
    thread.start()
    yield worker
    worker.stop()
    thread.join(timeout=30)


@pytest.fixture(autouse=True)
def _fresh_report_cache(settings, request):
    # Ids are reused after a rolled-back test, so one test's cached report could match another's
    # data version; each test gets an empty in-memory cache (the file cache is tested on its own).
    settings.CACHES = {
        **settings.CACHES,
        "reports": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"reports-{request.node.nodeid}",
        },
    }


# A real SMTP server for the email tests (issue 15): aiosmtpd on a free localhost port, with
# Django's SMTP backend pointed at it; the messages it received are read back.
class _Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["X-Envelope-To"]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()


def body_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def standard_partnership(**kwargs):
    """A partnership with the standard police.uk indicators, as the ``partnership`` command makes
    it: partnerships makes the partnership, performance gives it its indicators."""
    from saferhub.partnerships.services import partnership_create
    from saferhub.performance.services import standard_indicators_add

    partnership = partnership_create(**kwargs)
    standard_indicators_add([partnership])
    return partnership
