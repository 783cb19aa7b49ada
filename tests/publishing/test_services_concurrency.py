"""Two approvals for one partnership at the same time: each must be protected and audited against
the other's version, or the two together can give away what each hides on its own (the audit
sees "everything ever published" only if what is being published beside it is committed first).
PostgreSQL runs transactions side by side (READ COMMITTED): the approval's
``select_for_update().select_related("partnership")`` locks the partnership's row as well as the
proposal's, so approvals for one partnership take turns. SQLite lets one writer in at a time
(BEGIN IMMEDIATE). A guard: it passes on both today, and fails if the lock is narrowed to the
proposal alone (``of=("self",)``, tried on PostgreSQL)."""

from __future__ import annotations

import threading

from django.db import connections

from saferhub.domain.calendar import Month
from saferhub.publishing import services
from saferhub.publishing.services import publication_approve, publication_propose

from .conftest import NOW, one_user_per_role, small_partnership


def test_two_approvals_at_once_each_audit_against_the_other(transactional_db, tmp_path, monkeypatch):
    partnership = small_partnership(tmp_path)
    users = one_user_per_role()
    august = publication_propose(partnership=partnership, period=Month(2016, 8), actor=users["analyst"], now=NOW)
    september = publication_propose(partnership=partnership, period=Month(2016, 9), actor=users["analyst"], now=NOW)

    inside, release = threading.Event(), threading.Event()
    seen: dict[str, int] = {}
    real_earlier = services.earlier_releases
    real_notify = services.notifications.publication_approved

    def earlier(partnership, cells):
        releases, named = real_earlier(partnership, cells)
        seen[threading.current_thread().name] = len(releases)
        return releases, named

    def notify(p, actor):  # the last step inside the first approval's transaction: hold it open there
        real_notify(p, actor)
        if threading.current_thread().name == "first":
            inside.set()
            release.wait(30)

    monkeypatch.setattr(services, "earlier_releases", earlier)
    monkeypatch.setattr(services.notifications, "publication_approved", notify)
    errors: dict[str, BaseException] = {}

    def run(name, publication, actor):
        try:
            publication_approve(publication=publication, actor=actor, now=NOW)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors[name] = exc
        finally:
            connections.close_all()

    first = threading.Thread(target=run, args=("first", august, users["admin"]), name="first")
    first.start()
    assert inside.wait(60)
    second = threading.Thread(target=run, args=("second", september, users["commissioner"]), name="second")
    second.start()
    second.join(3.0)  # without a lock the second approval is done by now, blind to the first
    release.set()
    first.join(60)
    second.join(60)

    assert not errors, errors
    assert seen == {"first": 0, "second": 1}, seen
