"""/healthz (issue 12, finding 13): a list of named checks, the database's among them (a real
query with a short timeout); 503 with a plain message when any fails."""

from __future__ import annotations

import contextlib
import sqlite3
import time

import pytest
from django.db import connection


@contextlib.contextmanager
def _database_locked():
    """Another process holds the database (SQLite) or the session table (PostgreSQL) exclusively,
    as a long write, a backup or an administrator's shell can."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        other = sqlite3.connect(settings["NAME"], timeout=0.1, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
    else:
        import psycopg

        other = psycopg.connect(
            host=settings["HOST"] or None,
            port=settings["PORT"] or None,
            user=settings["USER"] or None,
            dbname=settings["NAME"],
        )
        other.execute("LOCK TABLE django_session IN ACCESS EXCLUSIVE MODE")
    try:
        yield
    finally:
        other.rollback() if connection.vendor != "sqlite" else other.execute("ROLLBACK")
        other.close()


def test_healthz_answers_ok_when_every_check_passes(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert response.content.decode().splitlines() == ["ok", "database: ok", "worker: ok"]


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_while_the_database_is_locked(client, settings):
    settings.SAFERHUB_HEALTH_TIMEOUT_SECONDS = 0.5
    with _database_locked():
        started = time.monotonic()
        response = client.get("/healthz")
        took = time.monotonic() - started
    text = response.content.decode()
    assert response.status_code == 503 and response["Content-Type"].startswith("text/plain")
    assert text.splitlines()[0] == "unavailable" and "database: failed" in text
    assert "Traceback" not in text and "locked" not in text and str(settings.SAFERHUB_HOME) not in text
    assert took < 5, "the check has a short timeout, not the pages' 20 s"
    assert response["Cache-Control"] == "no-store"
    # and the database answers again once the lock is gone
    assert client.get("/healthz").status_code == 200


def test_a_check_added_to_the_registry_is_run_and_named(client, db, monkeypatch):
    from saferhub.security import health

    def mail() -> None:
        raise RuntimeError("the mail relay at /srv/secret refused us")

    monkeypatch.setattr(health, "CHECKS", [*health.CHECKS, ("mail", mail)])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content.decode().splitlines()[1:] == ["database: ok", "worker: ok", "mail: failed"]
