"""Imports are atomic and idempotent; two imports of the same force-month at once give one
success and one clear refusal, never duplicates."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from saferhub.domain.problems import InputError
from saferhub.performance import counts_store
from saferhub.performance.models import ForceMonth, ImportRun
from saferhub.performance.services import policeuk_import
from saferhub.performance.services.policeuk_import import ImportBusy
from tests.performance.conftest import NOW, data_snapshot, run_snapshot


def test_a_failure_half_way_writes_nothing(db, policeuk_file, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    before = (data_snapshot(), run_snapshot())
    monkeypatch.setattr(ForceMonth.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        policeuk_import(paths=[policeuk_file()], partnership=None, now=NOW)
    assert (data_snapshot(), run_snapshot()) == before


def test_the_same_file_twice_changes_nothing(db, policeuk_file):
    path = policeuk_file()
    policeuk_import(paths=[path], partnership=None, now=NOW)
    after = data_snapshot()
    run = policeuk_import(paths=[path], partnership=None, now=NOW)
    assert data_snapshot() == after and run.files_unchanged == 1


def _two_imports_at_once(path, monkeypatch, *, release_after: float | None) -> dict[str, object]:
    """The first import holds its transaction open after writing its counts; the second starts
    then. ``release_after``: let the first finish after that many seconds, or only once the
    second has ended (None)."""
    inside, release = threading.Event(), threading.Event()
    real = ForceMonth.objects.bulk_create

    def slow(*args, **kwargs):
        created = real(*args, **kwargs)
        if threading.current_thread().name == "first":
            inside.set()
            release.wait(30)
        return created

    monkeypatch.setattr(ForceMonth.objects, "bulk_create", slow)
    results: dict[str, object] = {}

    def run(name: str) -> None:
        try:
            results[name] = policeuk_import(paths=[path], partnership=None, now=NOW)
        except InputError as exc:
            results[name] = exc
        finally:
            connections.close_all()

    first = threading.Thread(target=run, args=("first",), name="first")
    first.start()
    assert inside.wait(30)
    second = threading.Thread(target=run, args=("second",), name="second")
    second.start()
    second.join(release_after if release_after is not None else 30)
    release.set()
    first.join(30)
    second.join(30)
    return results


def _no_duplicates() -> None:
    assert ForceMonth.objects.count() == 1
    keys = [(fm, kind, area) for fm, kind, area, *_ in counts_store.all_rows()]
    # and no counts file is left that no force-month refers to
    held = set(ForceMonth.objects.values_list("counts_file", flat=True))
    assert {p.name for p in counts_store.root().glob("*.parquet")} >= held
    assert keys and len(keys) == len(set(keys))


def test_two_imports_of_the_same_force_month_at_once(transactional_db, policeuk_file, monkeypatch):
    """PostgreSQL: the second is refused at once (an advisory lock on the force-month). SQLite lets
    one writer in at a time: the second waits for the first to commit, then finds the file held
    and changes nothing. Either way one import stored the month, once."""
    path = policeuk_file()
    postgres = connection.vendor == "postgresql"
    results = _two_imports_at_once(path, monkeypatch, release_after=None if postgres else 1.0)

    assert isinstance(results["first"], ImportRun)
    second = results["second"]
    if postgres:
        assert isinstance(second, ImportBusy)
        assert "another import of Test Police 2019-01 is in progress" in str(second) and "nothing was imported" in str(
            second
        )
        assert ImportRun.objects.count() == 1
    else:
        assert isinstance(second, ImportRun) and second.files_unchanged == 1 and second.values_added == 0
    _no_duplicates()
    # And afterwards the same file is simply unchanged: idempotent.
    again = policeuk_import(paths=[path], partnership=None, now=NOW)
    assert again.files_unchanged == 1 and ForceMonth.objects.count() == 1


def test_an_import_that_waits_too_long_for_the_writer_is_refused_clearly(transactional_db, policeuk_file, monkeypatch):
    """When the other import holds the database longer than the connection waits (SQLite's lock
    timeout; PostgreSQL's advisory lock refuses at once), the refusal names the wait and nothing
    of the second import is written."""
    if connection.vendor == "sqlite":
        monkeypatch.setitem(connections.settings["default"]["OPTIONS"], "timeout", 0.2)
    results = _two_imports_at_once(policeuk_file(), monkeypatch, release_after=None)

    assert isinstance(results["first"], ImportRun)
    refusal = results["second"]
    assert isinstance(refusal, ImportBusy) and "nothing was imported" in str(refusal)
    if connection.vendor == "sqlite":
        assert "still writing when saferhub stopped waiting" in str(refusal)
    assert ImportRun.objects.count() == 1
    _no_duplicates()
