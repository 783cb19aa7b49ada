import zipfile

import pytest

from saferhub.domain.problems import InputError
from saferhub.performance import counts_store
from saferhub.performance.models import ForceMonth, ImportedFile
from saferhub.performance.services import policeuk_import

from ..conftest import NOW, data_snapshot, run_snapshot


def test_import_records_a_run_with_checksums_and_area_split(plymouth, policeuk_file):
    run = policeuk_import(paths=[policeuk_file()], partnership=plymouth, now=NOW)
    (f,) = run.imported_files.all()
    assert (
        len(f.checksum) == 64
        and f.checksum_algorithm == "blake3"
        and f.outcome == "loaded"
        and f.force == "Test Police"
        and f.month == "2019-01"
    )
    assert (run.rows_read, run.rows_without_location, run.rows_in_area, run.rows_outside_area) == (5, 1, 3, 1)


def test_importing_the_same_file_again_changes_nothing(plymouth, policeuk_file):
    path = policeuk_file()
    policeuk_import(paths=[path], partnership=plymouth, now=NOW)
    before = data_snapshot()
    run = policeuk_import(paths=[path], partnership=plymouth, now=NOW)
    assert data_snapshot() == before
    assert [f.outcome for f in run.imported_files.all()] == ["unchanged"]
    assert ForceMonth.objects.get().source.run_id != run.pk


def test_a_republished_month_replaces_the_force_month(plymouth, policeuk_file):
    policeuk_import(paths=[policeuk_file("first/2019-01-test-force-street.csv")], partnership=plymouth, now=NOW)
    rows = [",2019-01,Test Police,Test Police,,,x,E01015025,Plymouth 001A,Drugs,,"]
    run = policeuk_import(
        paths=[policeuk_file("again/2019-01-test-force-street.csv", rows=rows)], partnership=plymouth, now=NOW
    )
    assert [f.outcome for f in run.imported_files.all()] == ["replaced"]
    ((_fm, kind, area, *counts),) = counts_store.all_rows()
    by_type = dict(zip(counts_store.CRIME_COLUMNS, counts))
    assert (kind, area, by_type["drugs"], by_type["burglary"], by_type["anti_social_behaviour"]) == (
        "lsoa",
        "E01015025",
        1,
        0,
        0,
    )
    assert ForceMonth.objects.get().rows == 1


def test_a_republication_in_the_same_import_wins_over_the_first(plymouth, policeuk_file):
    first = policeuk_file("2019-01/2019-01-test-force-street.csv")
    policeuk_file(
        "2019-02/2019-01-test-force-street.csv",
        rows=[",2019-01,Test Police,Test Police,,,x,E01015025,Plymouth 001A,Drugs,,"],
    )
    run = policeuk_import(paths=[first.parent.parent], partnership=plymouth, now=NOW)
    assert sorted(run.imported_files.values_list("outcome", flat=True)) == ["loaded", "superseded"]
    assert ForceMonth.objects.get().rows == 1


def bad_inputs(policeuk_file, tmp_path):
    truncated = policeuk_file("t/2019-02-test-force-street.csv")
    truncated.write_bytes(truncated.read_bytes()[:-40])
    empty = tmp_path / "e" / "2019-02-test-force-street.csv"
    empty.parent.mkdir()
    empty.write_bytes(b"")
    archive = tmp_path / "other.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("notes.txt", "hello")
    return {
        "truncated": truncated,
        "wrong header": policeuk_file("h/2019-02-test-force-street.csv", header="a,b,c"),
        "month 2019-13": policeuk_file(
            "m/2019-02-test-force-street.csv", rows=[",2019-13,P,P,,,x,E01,Plymouth 001A,Drugs,,"]
        ),
        "empty": empty,
        "zip of something else": archive,
        "bom + crlf + bad month": policeuk_file(
            "b/2019-02-test-force-street.csv", bom=True, eol="\r\n", rows=[",2019-13,P,P,,,x,E01,Plymouth 001A,Drugs,,"]
        ),
    }


@pytest.mark.parametrize(
    "case", ["truncated", "wrong header", "month 2019-13", "empty", "zip of something else", "bom + crlf + bad month"]
)
def test_bad_input_changes_nothing_and_names_the_fault(plymouth, policeuk_file, tmp_path, case):
    good = policeuk_file("good/2019-01-test-force-street.csv")
    policeuk_import(paths=[good], partnership=plymouth, now=NOW)
    before, runs = data_snapshot(), run_snapshot()
    bad = bad_inputs(policeuk_file, tmp_path)[case]
    # The good file of another month alongside: all or nothing.
    other_month = policeuk_file(
        "next/2019-03-test-force-street.csv",
        rows=[",2019-03,Test Police,Test Police,,,x,E01015025,Plymouth 001A,Drugs,,"],
    )
    with pytest.raises(InputError) as err:
        policeuk_import(paths=[other_month, bad], partnership=plymouth, now=NOW)
    assert data_snapshot() == before and run_snapshot() == runs
    message = str(err.value)
    assert str(bad) in message
    if case not in ("zip of something else",):
        assert "line " in message


def test_bom_and_crlf_files_import_the_same_counts(plymouth, policeuk_file):
    policeuk_import(paths=[policeuk_file("a/2019-01-test-force-street.csv")], partnership=plymouth, now=NOW)
    plain = data_snapshot()
    policeuk_import(
        paths=[policeuk_file("b/2019-01-test-force-street.csv", bom=True, eol="\r\n")], partnership=plymouth, now=NOW
    )
    assert data_snapshot() == plain
    assert ImportedFile.objects.filter(outcome="replaced").count() == 1


def test_a_counts_file_that_cannot_be_written_rolls_the_import_back(plymouth, policeuk_file, monkeypatch):
    """The counts file is written in a thread while the bookkeeping is prepared: if that write
    fails, nothing is committed (all or nothing), and the failure is the import's."""
    before = data_snapshot()
    real = counts_store.path_of
    monkeypatch.setattr(counts_store, "path_of", lambda name: real(name).parent / "no-such-folder" / name)
    with pytest.raises(Exception, match="(?i)no-such-folder|directory|IO Error"):
        policeuk_import(paths=[policeuk_file()], partnership=None, now=NOW)
    assert data_snapshot() == before
    assert not ImportedFile.objects.exists() and not ForceMonth.objects.exists()


def test_the_counts_file_is_whole_when_the_import_returns(db, policeuk_file):
    run = policeuk_import(paths=[policeuk_file()], partnership=None, now=NOW)
    fm = ForceMonth.objects.get()
    assert counts_store.path_of(fm.counts_file).exists()
    assert sum(r[3 + counts_store.CRIME_COLUMNS.index("anti_social_behaviour")] for r in counts_store.all_rows()) == 2
    assert run.rows_read == 5
