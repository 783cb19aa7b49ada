"""The columnar store of police.uk counts: what the database refers to is what is read, a
replaced month's old counts go after the commit, a failed import leaves nothing that is read, a
lost store is said plainly and an import of the same files brings it back."""

import pytest

from saferhub.performance import counts_store
from saferhub.performance.models import ForceMonth
from saferhub.performance.selectors import POLICE_COLUMNS, police_counts_by_force_month, police_counts_for
from saferhub.performance.services import policeuk_import

from .conftest import NOW

DRUGS = ",2019-01,Test Police,Test Police,,,x,E01015025,Plymouth 001A,Drugs,,"


def files_in_store():
    return sorted(p.name for p in counts_store.root().glob("*.parquet")) if counts_store.root().exists() else []


def test_an_import_writes_one_counts_file_that_its_force_months_name(plymouth, policeuk_file):
    policeuk_import(paths=[policeuk_file("a/2019-01-test-force-street.csv")], partnership=plymouth, now=NOW)
    policeuk_import(
        paths=[policeuk_file("b/2019-02-test-force-street.csv", rows=[DRUGS.replace("2019-01", "2019-02")])],
        partnership=plymouth,
        now=NOW,
    )
    named = sorted(ForceMonth.objects.values_list("counts_file", flat=True))
    assert len(set(named)) == 2 and set(named) <= set(files_in_store())
    by_fm = police_counts_by_force_month(plymouth, POLICE_COLUMNS)
    months = dict(ForceMonth.objects.values_list("pk", "month"))
    got = {months[fm]: {k: v for k, v in counts.items() if v} for fm, counts in by_fm.items()}
    assert got == {"2019-01": {"anti-social-behaviour": 2, "burglary": 1}, "2019-02": {"drugs": 1}}


def test_re_importing_the_same_file_writes_no_new_counts_file(plymouth, policeuk_file):
    path = policeuk_file()
    policeuk_import(paths=[path], partnership=plymouth, now=NOW)
    before = files_in_store()
    run = policeuk_import(paths=[path], partnership=plymouth, now=NOW)
    assert run.files_unchanged == 1 and files_in_store() == before


def test_a_replaced_month_s_old_counts_file_goes_after_the_commit(
    plymouth, policeuk_file, django_capture_on_commit_callbacks
):
    policeuk_import(paths=[policeuk_file("first/2019-01-test-force-street.csv")], partnership=plymouth, now=NOW)
    (old,) = ForceMonth.objects.values_list("counts_file", flat=True)
    with django_capture_on_commit_callbacks(execute=True):
        policeuk_import(
            paths=[policeuk_file("again/2019-01-test-force-street.csv", rows=[DRUGS])], partnership=plymouth, now=NOW
        )
    (new,) = ForceMonth.objects.values_list("counts_file", flat=True)
    assert new != old and old not in files_in_store() and new in files_in_store()
    (counts,) = police_counts_by_force_month(plymouth, POLICE_COLUMNS).values()
    assert {k: v for k, v in counts.items() if v} == {"drugs": 1}


def test_a_failed_import_leaves_no_counts_file(plymouth, policeuk_file, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    before = files_in_store()
    monkeypatch.setattr(ForceMonth.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        policeuk_import(paths=[policeuk_file()], partnership=plymouth, now=NOW)
    assert files_in_store() == before and not ForceMonth.objects.exists()


def test_a_lost_store_is_said_plainly_and_the_same_files_bring_it_back(plymouth, policeuk_file):
    path = policeuk_file()
    policeuk_import(paths=[path], partnership=plymouth, now=NOW)
    expected = police_counts_by_force_month(plymouth, POLICE_COLUMNS)
    for name in files_in_store():
        counts_store.path_of(name).unlink()
    with pytest.raises(counts_store.CountsMissing, match="restore it, or import the files again"):
        police_counts_by_force_month(plymouth, POLICE_COLUMNS)
    run = policeuk_import(paths=[path], partnership=plymouth, now=NOW)
    assert run.files_unchanged == 1
    assert police_counts_by_force_month(plymouth, POLICE_COLUMNS) == expected


def test_counts_for_many_partnerships_at_once_equal_each_one_s_own(db, policeuk_file):
    from saferhub.partnerships.services import partnership_create

    a = partnership_create(slug="plymouth", name="Safer Plymouth", local_authorities=["Plymouth"])
    b = partnership_create(slug="cornwall", name="Safer Cornwall", local_authorities=["Cornwall"])
    c = partnership_create(slug="one", name="One LSOA", lsoa_codes=["E01015159"])
    policeuk_import(paths=[policeuk_file()], partnership=None, now=NOW)
    together = police_counts_for([a, b, c])
    assert together == {p.pk: police_counts_by_force_month(p, POLICE_COLUMNS) for p in (a, b, c)}
    assert all(together.values())
