"""The checksums' head start: a child process hashes the files `saferhub import policeuk`
names while Django starts; the import uses a digest only for the very file it reads."""

import os
import subprocess
import sys

import pytest

from saferhub.domain.digest import blake3_of_file
from saferhub.ingest import headstart
from saferhub.ingest.policeuk import count_files
from saferhub.ingest.sources import expand_policeuk_paths


@pytest.fixture(autouse=True)
def no_head_start_left():
    headstart.stop()
    yield
    headstart.stop()


def test_the_child_hashes_the_folders_street_files_and_a_named_file(policeuk_file, tmp_path):
    a = policeuk_file("m/2019-01-a-street.csv")
    b = policeuk_file("m/sub/2019-02-b-street.csv")
    (tmp_path / "m" / "2019-01-a-outcomes.csv").write_text("not street crime\n")
    c = policeuk_file("2019-03-c-street.csv")
    headstart.start([str(tmp_path / "m"), str(c), "--partnership", "plymouth"])
    assert headstart._current is not None
    assert headstart._current.index == {str(a): 0, str(b): 1, str(c): 2}
    for path in (a, b, c):
        assert headstart.checksum(path) == blake3_of_file(path)
    assert headstart.checksum(tmp_path / "m" / "2019-01-a-outcomes.csv") is None  # not one it hashed


def test_a_file_changed_after_the_child_hashed_it_is_not_taken(policeuk_file):
    path = policeuk_file()
    headstart.start([str(path)])
    assert headstart.checksum(path) == blake3_of_file(path)
    path.write_text(path.read_text() + ",2019-01,Test Police,Test Police,,,x,,,Drugs,,\n")
    os.utime(path, ns=(1, 1))  # a different modification time even on a coarse clock
    assert headstart.checksum(path) is None


def test_the_import_takes_the_head_starts_digests_and_hashes_the_rest_itself(policeuk_file, tmp_path):
    a = policeuk_file("2019-01-a-street.csv")
    b = policeuk_file("2019-02-b-street.csv", rows=[",2019-02,Test Police,Test Police,,,x,E01015025,n,Drugs,,"])
    headstart.start([str(a)])  # b is not in the head start
    taken = []
    real = headstart._current.checksum

    def spy(p):
        taken.append(p)
        return real(p)

    headstart._current.checksum = spy
    with expand_policeuk_paths([a, b]) as files:
        counted = count_files(files)
    assert [fc.checksum for fc in counted] == [blake3_of_file(a), blake3_of_file(b)]
    assert taken == [str(a), str(b)]  # asked for both; b (None) was hashed by the import


def test_a_dead_child_means_the_import_hashes_every_file(policeuk_file):
    path = policeuk_file()
    headstart.start([str(path)])
    headstart._current.proc.kill()
    headstart._current.proc.wait()
    with expand_policeuk_paths([path]) as files:
        (fc,) = count_files(files)
    assert fc.checksum == blake3_of_file(path)


def test_no_head_start_for_arguments_naming_no_street_file(tmp_path):
    headstart.start([str(tmp_path / "missing")])
    assert headstart._current is None
    headstart.start(["--partnership"])
    assert headstart._current is None


def test_the_command_starts_the_head_start_and_imports(policeuk_file, tmp_path):
    """`saferhub import policeuk` with the head start: the run's checksums are the files'."""
    a = policeuk_file("d/2019-01-a-street.csv")
    env = dict(os.environ, SAFERHUB_HOME=str(tmp_path / "home"))
    env.pop("DATABASE_URL", None)
    saferhub = [sys.executable, "-c", "from saferhub.cli import main; main()"]
    subprocess.run([*saferhub, "migrate", "--noinput"], env=env, check=True, capture_output=True)
    code = (
        "import sys; from saferhub.cli import main\n"
        "from saferhub.ingest import headstart\n"
        "try:\n    main()\n"
        "finally:\n"
        "    from saferhub.performance.models import ImportedFile\n"
        "    print('head start:', headstart._current is not None)\n"
        "    print('checksums:', list(ImportedFile.objects.values_list('checksum', flat=True)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, "import", "policeuk", str(tmp_path / "d")],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "1 files (1 loaded)" in out
    assert "head start: True" in out
    assert f"checksums: ['{blake3_of_file(a)}']" in out


def test_after_the_scan_the_import_hashes_what_a_stalled_child_has_not_reached(policeuk_file, tmp_path):
    """On a busy machine the niced child may be far behind when the scan ends: the import then
    hashes the rest itself, from the last file backwards, and ends the child."""
    import signal

    paths = [policeuk_file(f"f/2019-0{i}-x-street.csv") for i in range(1, 5)]
    headstart.start([str(tmp_path / "f")])
    hs = headstart._current
    os.kill(hs.proc.pid, signal.SIGSTOP)  # the child gets no CPU at all
    hashed = []

    def hash_file(p):
        hashed.append(p.name)
        return blake3_of_file(p)

    headstart.finish(hash_file)
    done_by_child = len(hs.results)
    assert hashed == [p.name for p in reversed(paths)][: len(paths) - done_by_child]
    assert [headstart.checksum(p) for p in paths] == [blake3_of_file(p) for p in paths]
    hs.proc.wait(timeout=10)  # ended (killed while stopped)


def test_finish_leaves_a_child_that_is_done_alone(policeuk_file):
    path = policeuk_file()
    headstart.start([str(path)])
    assert headstart.checksum(path) == blake3_of_file(path)  # the child has reported it
    headstart.finish(lambda p: pytest.fail("nothing is left to hash"))


def test_the_child_never_imports_a_blake3_from_the_folder_the_command_runs_in(policeuk_file, tmp_path, monkeypatch):
    """Started as "python -c", the child put the working folder first on its path: a blake3.py
    planted there (in a data folder, say) ran inside the import. The child is now isolated (-I)."""
    path = policeuk_file()
    planted = tmp_path / "planted"
    planted.mkdir()
    (planted / "blake3.py").write_text(f"open({str(tmp_path / 'ran')!r}, 'w').close()\n")
    monkeypatch.chdir(planted)
    headstart.start([str(path)])
    assert headstart.checksum(path) == blake3_of_file(path)
    assert not (tmp_path / "ran").exists()


def test_a_digest_names_the_files_device_as_well_as_its_inode(policeuk_file):
    path = policeuk_file()
    headstart.start([str(path)])
    assert headstart.checksum(path) == blake3_of_file(path)
    line = headstart._current.results[0].split()
    assert line[3:] == [str(os.stat(path).st_ino), str(os.stat(path).st_dev)]
