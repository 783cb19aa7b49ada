"""Imports are atomic and idempotent; two imports of the same force-month at once give one
success and one clear refusal, never duplicates."""

from __future__ import annotations

import importlib
import threading

import pytest
from django.db import connection, connections

from saferhub.domain.problems import InputError
from saferhub.performance.models import ForceMonth, ImportRun, PoliceCount
from saferhub.performance.services import policeuk_import
from saferhub.performance.services.policeuk_import import ImportBusy
from tests.performance.conftest import NOW, data_snapshot, run_snapshot

# The module, not the function of the same name that the package exports.
importer = importlib.import_module("saferhub.performance.services.policeuk_import")


def test_a_failure_half_way_writes_nothing(db, policeuk_file, monkeypatch):
    def broken(rows):
        list(rows)[:1]
        raise RuntimeError("disk full")

    before = (data_snapshot(), run_snapshot())
    monkeypatch.setattr(importer, "insert_police_counts", broken)
    with pytest.raises(RuntimeError):
        policeuk_import(paths=[policeuk_file()], partnership=None, now=NOW)
    assert (data_snapshot(), run_snapshot()) == before


def test_the_same_file_twice_changes_nothing(db, policeuk_file):
    path = policeuk_file()
    policeuk_import(paths=[path], partnership=None, now=NOW)
    after = data_snapshot()
    run = policeuk_import(paths=[path], partnership=None, now=NOW)
    assert data_snapshot() == after and run.files_unchanged == 1


def test_two_imports_of_the_same_force_month_at_once(transactional_db, policeuk_file, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite admits one writer at a time, so two imports cannot overlap there "
                    "(run with DATABASE_URL=postgres://...)")
    path = policeuk_file()
    inside, release = threading.Event(), threading.Event()
    real = importer.insert_police_counts

    def slow(rows):
        n = real(rows)
        if threading.current_thread().name == "first":
            inside.set()  # the first import holds its transaction open here
            release.wait(30)
        return n

    monkeypatch.setattr(importer, "insert_police_counts", slow)
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
    second.join(30)
    release.set()
    first.join(30)

    assert isinstance(results["first"], ImportRun)
    refusal = results["second"]
    assert isinstance(refusal, ImportBusy)
    assert "another import of Test Police 2019-01 is in progress" in str(refusal) and "nothing was imported" in str(refusal)
    assert ForceMonth.objects.count() == 1 and ImportRun.objects.count() == 1
    keys = list(PoliceCount.objects.values_list("force_month", "area_kind", "area"))
    assert keys and len(keys) == len(set(keys))
    # And afterwards the same file is simply unchanged: idempotent.
    again = policeuk_import(paths=[path], partnership=None, now=NOW)
    assert again.files_unchanged == 1 and ForceMonth.objects.count() == 1
