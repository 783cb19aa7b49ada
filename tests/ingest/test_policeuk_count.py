import zipfile

import pytest

from saferhub.domain.problems import InputError
from saferhub.ingest.policeuk import count_files
from saferhub.ingest.sources import expand_policeuk_paths


def count(paths):
    with expand_policeuk_paths(paths) as files:
        return count_files(files)


def la_counts(fc):
    return {(c.area, c.crime_type): c.count for c in fc.counts if c.area_kind == "lsoa"}


def test_counts_by_lsoa_keep_duplicate_rows(policeuk_file):
    (fc,) = count([policeuk_file()])
    assert (fc.force, fc.month, fc.rows, fc.rows_without_lsoa) == ("Test Police", "2019-01", 5, 1)
    # The two identical ASB rows are both real incidents.
    assert la_counts(fc) == {
        ("E01015025", "anti-social-behaviour"): 2,
        ("E01015159", "burglary"): 1,
        ("E01018936", "robbery"): 1,
    }
    assert [(c.area_kind, c.area, c.crime_type, c.count) for c in fc.counts if c.area_kind == "none"] == [
        ("none", "", "vehicle-crime", 1)
    ]
    assert len(fc.checksum) == 64


def test_bom_and_crlf_read_the_same_as_plain(policeuk_file, tmp_path):
    plain = count([policeuk_file("a/2019-01-x-street.csv")])[0]
    bom = count([policeuk_file("b/2019-01-x-street.csv", bom=True)])[0]
    crlf = count([policeuk_file("c/2019-01-x-street.csv", eol="\r\n")])[0]
    assert la_counts(plain) == la_counts(bom) == la_counts(crlf)
    assert plain.rows == bom.rows == crlf.rows


def test_a_row_is_counted_by_its_lsoa_code_whatever_its_name_says(policeuk_file):
    rows = [",2019-01,P,P,,,x,E01018936,Plymouth 001A,Drugs,,", ",2019-01,P,P,,,x,,Plymouth 001A,Drugs,,"]
    (fc,) = count([policeuk_file(rows=rows)])
    assert [(c.area_kind, c.area, c.crime_type, c.count) for c in fc.counts] == [
        ("lsoa", "E01018936", "drugs", 1),
        ("none", "", "drugs", 1),
    ]


def test_an_lsoa_code_with_spaces_is_that_code_and_a_blank_one_no_location(policeuk_file, tmp_path):
    """The codes are trimmed after grouping: a spaced code joins the same code written plainly."""
    rows = [
        ",2019-01,P,P,,,x,E01018936,Plymouth 001A,Drugs,,",
        ',2019-01,P,P,,,x," E01018936 ",Plymouth 001A,Drugs,,',
        ',2019-01,P,P,,,x,"  ",Plymouth 001A,Drugs,,',
        ',2019-01,P,P,,,x,"",Plymouth 001A,Burglary,,',
        ",2019-01,P,P,,,x,,Plymouth 001A,Drugs,,",
    ]
    path = policeuk_file(rows=rows)
    (fc,) = count([path])
    assert [(c.area_kind, c.area, c.crime_type, c.count) for c in fc.counts] == [
        ("lsoa", "E01018936", "drugs", 2),
        ("none", "", "burglary", 1),
        ("none", "", "drugs", 2),
    ]
    assert (fc.rows, fc.rows_without_lsoa) == (5, 3)
    # The same in the columnar store's file: one row per file and area.
    import duckdb

    with expand_policeuk_paths([path]) as files:
        (stored,) = count_files(files, counts_to=tmp_path / "counts.parquet")
    got = duckdb.sql(
        f"SELECT part, area_kind, area, drugs, burglary FROM read_parquet('{tmp_path / 'counts.parquet'}') ORDER BY ALL"
    ).fetchall()
    assert got == [(stored.part, "lsoa", "E01018936", 2, 0), (stored.part, "none", "", 2, 1)]
    assert (stored.rows, stored.rows_without_lsoa) == (5, 3)


def test_zip_archives_are_read(policeuk_file, tmp_path):
    src = policeuk_file()
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(src, "2019-01/2019-01-test-force-street.csv")
        zf.writestr("2019-01/2019-01-test-force-outcomes.csv", "not street data")
    (fc,) = count([archive])
    assert fc.rows == 5 and fc.source.display.endswith(":2019-01/2019-01-test-force-street.csv")


def test_extra_trailing_column_is_tolerated(policeuk_file):
    head = (
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
        "Crime type,Last outcome category,Context,Extra"
    )
    rows = [",2019-01,P,P,,,x,E01015000,Plymouth 001A,Drugs,,,1"]
    (fc,) = count([policeuk_file(header=head, rows=rows)])
    assert fc.extra_columns == ["Extra"] and fc.rows == 1


def expect_problem(paths, *, line=None, field=None, text=""):
    with pytest.raises(InputError) as err:
        count(paths)
    problem = err.value.problems[0]
    assert problem.line == line and problem.field == field, str(problem)
    assert text in str(problem)
    return problem


def test_bad_month_names_line_and_field(policeuk_file):
    rows = [",2019-01,P,P,,,x,E01,Plymouth 001A,Drugs,,", ",2019-13,P,P,,,x,E01,Plymouth 001A,Drugs,,"]
    p = expect_problem([policeuk_file(rows=rows)], line=3, field="Month", text="2019-13")
    assert "2019-01-test-force-street.csv" in p.file


def test_bad_month_in_a_bom_crlf_file_has_the_same_line(policeuk_file):
    rows = [",2019-01,P,P,,,x,E01,Plymouth 001A,Drugs,,", ",2019-13,P,P,,,x,E01,Plymouth 001A,Drugs,,"]
    expect_problem([policeuk_file(rows=rows, bom=True, eol="\r\n")], line=3, field="Month")


def test_truncated_file(policeuk_file, tmp_path):
    path = policeuk_file()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])
    expect_problem([path], line=6, field="LSOA code", text="truncated")


def test_wrong_header(policeuk_file):
    expect_problem(
        [policeuk_file(header="id,month,force,type")],
        line=1,
        field="Crime ID",
        text="not a police.uk street-level crime file",
    )


def test_empty_file(tmp_path):
    path = tmp_path / "2019-01-x-street.csv"
    path.write_bytes(b"")
    expect_problem([path], line=1, text="empty")


def test_header_only_file(policeuk_file):
    expect_problem([policeuk_file(rows=[])], line=2, text="no rows")


def test_zip_holding_something_else(tmp_path):
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("readme.txt", "hello")
        zf.writestr("2019-01/2019-01-x-outcomes.csv", "a,b")
    expect_problem([archive], text="holds no police.uk street files")


def test_damaged_zip(tmp_path):
    archive = tmp_path / "download.zip"
    archive.write_bytes(b"PK\x03\x04 this is not really a zip")
    expect_problem([archive], text="zip")


def test_unknown_crime_type(policeuk_file):
    expect_problem(
        [policeuk_file(rows=[",2019-01,P,P,,,x,E01,Plymouth 001A,Jaywalking,,"])], line=2, field="Crime type"
    )


def test_unbalanced_quote_is_located(policeuk_file):
    rows = [",2019-01,P,P,,,x,E01,Plymouth 001A,Drugs,,", ',2019-01,P,P,,,"On or near x,E01,Plymouth 001A,Drugs,,']
    p = expect_problem([policeuk_file(rows=rows)], line=3, text="")
    assert p.line == 3


def test_a_second_force_in_a_file_is_refused_whether_or_not_another_file_names_it(policeuk_file):
    """The force is read as a code of the forces the first rows name; a force no first row names
    (the files are read again as text) and one another file names are both caught."""
    other = [",2019-01,P,P,,,x,E01,Plymouth 001A,Drugs,,", ",2019-01,Q,Q,,,x,E01,Plymouth 001A,Drugs,,"]
    expect_problem([policeuk_file(rows=other)], field="Reported by", text="it names 2")
    a = policeuk_file("a/2019-01-a-street.csv", rows=[",2019-01,Q,Q,,,x,E01,Plymouth 001A,Drugs,,"])
    b = policeuk_file("b/2019-01-b-street.csv", rows=other)
    p = expect_problem([a, b], field="Reported by", text="it names 2")
    assert "2019-01-b-street.csv" in p.file


def test_a_blank_force_after_the_first_row_names_its_line(policeuk_file):
    rows = [",2019-01,P,P,,,x,E01,Plymouth 001A,Drugs,,", ",2019-01,,P,,,x,E01,Plymouth 001A,Drugs,,"]
    expect_problem([policeuk_file(rows=rows)], line=3, field="Reported by", text="empty")
    rows = [",2019-01,P,P,,,x,E01,Plymouth 001A,Drugs,,", ',2019-01," ",P,,,x,E01,Plymouth 001A,Drugs,,']
    expect_problem([policeuk_file(rows=rows)], line=3, field="Reported by", text="empty")


def test_forces_of_several_files_are_each_their_own(policeuk_file):
    a = policeuk_file("a/2019-01-a-street.csv", rows=[",2019-01,P,P,,,x,E01,Plymouth 001A,Drugs,,"])
    b = policeuk_file("b/2019-01-b-street.csv", rows=[",2019-01,Q,Q,,,x,E01,Plymouth 001A,Drugs,,"] * 2)
    assert [(fc.force, fc.rows) for fc in count([a, b])] == [("P", 1), ("Q", 2)]


def test_a_count_over_65535_in_one_lsoa_and_crime_type_is_exact(policeuk_file):
    """The scan packs the counts in 16-bit fields; one that overflows is counted exactly."""
    rows = [",2019-01,P,P,,,x,E01018936,Plymouth 001A,Drugs,,"] * 65_537
    rows += [",2019-01,P,P,,,x,E01018936,Plymouth 001A,Robbery,,"] * 3
    rows += [",2019-01,P,P,,,x,E01018936,Plymouth 001A,Other crime,,"] * 2
    (fc,) = count([policeuk_file(rows=rows)])
    assert la_counts(fc) == {
        ("E01018936", "drugs"): 65_537,
        ("E01018936", "robbery"): 3,
        ("E01018936", "other-crime"): 2,
    }
    assert fc.rows == 65_542


def test_the_counts_file_is_sorted_by_area_in_row_groups_that_do_not_overlap(policeuk_file, tmp_path):
    """One area's read skips the row groups outside its codes: the file must be in area order
    (the rows without a location, area '', first), whatever order the files list them in."""
    import random

    import duckdb

    rng = random.Random(14)
    paths = []
    for month in ("2019-01", "2019-02", "2019-03"):
        codes = [f"E0{n:07d}" for n in range(12_000)]
        rng.shuffle(codes)
        rows = [f",{month},P,P,,,x,{code},n,{rng.choice(['Drugs', 'Burglary', 'Robbery'])},," for code in codes]
        rows[5000:5000] = [f",{month},P,P,,,x,,n,Drugs,,"] * 3
        paths.append(policeuk_file(f"{month}/{month}-p-street.csv", rows=rows))
    out = tmp_path / "counts.parquet"
    with expand_policeuk_paths(paths) as files:
        stored = count_files(files, counts_to=out)
    areas = [a for (a,) in duckdb.sql(f"SELECT area FROM read_parquet('{out}')").fetchall()]
    assert len(areas) == 3 * 12_001
    assert areas == sorted(areas) and areas[:3] == ["", "", ""]
    groups = duckdb.sql(
        f"SELECT row_group_id, min(stats_min_value), max(stats_max_value) FROM parquet_metadata('{out}') "
        "WHERE path_in_schema = 'area' GROUP BY ALL ORDER BY 1"
    ).fetchall()
    assert len(groups) > 2
    assert all(prev[2] <= nxt[1] for prev, nxt in zip(groups, groups[1:]))
    # And the counts are those of the files.
    assert [(fc.rows, fc.rows_without_lsoa) for fc in stored] == [(12_003, 3)] * 3
    ((total,),) = duckdb.sql(f"SELECT sum(drugs + burglary + robbery) FROM read_parquet('{out}')").fetchall()
    assert total == 3 * 12_003


def test_a_file_refused_after_the_scan_stops_the_counts_write(policeuk_file, tmp_path, monkeypatch):
    """The Parquet write goes on in a thread while the files are checked; a refusal found in
    those checks (a second month in a file) stops that thread before the error is raised."""
    import threading

    from saferhub.ingest import policeuk

    started = []
    real = policeuk.CountsWrite.__init__

    def spy(self, copy, con):
        real(self, copy, con)
        started.append(self)

    monkeypatch.setattr(policeuk.CountsWrite, "__init__", spy)
    rows = [",2019-01,P,P,,,x,E01,Plymouth 001A,Drugs,,", ",2019-02,P,P,,,x,E01,Plymouth 001A,Drugs,,"]
    with expand_policeuk_paths([policeuk_file(rows=rows)]) as files:
        with pytest.raises(InputError, match="Month"):
            policeuk.count_files_writing(files, counts_to=tmp_path / "counts.parquet")
    (write,) = started
    assert not write._thread.is_alive()
    assert all(t.name != "saferhub-counts-write" for t in threading.enumerate())


def test_a_failure_in_the_summary_stops_the_write_beside_it(policeuk_file, tmp_path, monkeypatch):
    """The write starts beside the per-file summary; when the summary failed (out of memory, an
    interrupt) the write's thread was left running, its connection and table held. It is stopped."""
    import threading

    from saferhub.ingest import policeuk

    def failing(con, packed_total):
        raise MemoryError("the summary ran out of memory")

    monkeypatch.setattr(policeuk, "_summarise", failing)
    with expand_policeuk_paths([policeuk_file()]) as files:
        with pytest.raises(MemoryError):
            policeuk.count_files_writing(files, counts_to=tmp_path / "counts.parquet")
    assert all(t.name != "saferhub-counts-write" for t in threading.enumerate())


def test_count_files_writing_hands_back_a_write_to_wait_for(policeuk_file, tmp_path):
    import duckdb

    from saferhub.ingest.policeuk import count_files_writing

    out = tmp_path / "counts.parquet"
    with expand_policeuk_paths([policeuk_file()]) as files:
        (fc,), write = count_files_writing(files, counts_to=out)
    write.wait()
    rows = duckdb.sql(f"SELECT part, area_kind, area FROM '{out}' ORDER BY ALL").fetchall()
    assert rows == [
        (fc.part, "lsoa", "E01015025"),
        (fc.part, "lsoa", "E01015159"),
        (fc.part, "lsoa", "E01018936"),
        (fc.part, "none", ""),
    ]


def test_a_header_and_first_row_longer_than_8_kb_are_still_read(policeuk_file):
    """The headers are read from a file's first 8 kB, or its first 64 kB when those do not hold
    the header and the first row: a long first row still gives the file's force."""
    from saferhub.ingest.policeuk import _first_force, _head

    long_location = "On or near " + "x" * 9000
    rows = [f",2019-01,Long Police,Long Police,,,{long_location},E01015025,n,Drugs,,"] * 2
    path = policeuk_file(rows=rows)
    with open(path, "rb") as f:
        head = _head(f)
    assert len(head) > 9000 and _first_force(head) == "Long Police"
    (fc,) = count([path])
    assert (fc.force, fc.rows) == ("Long Police", 2)
    short = policeuk_file("2019-01-short-street.csv")
    with open(short, "rb") as f:
        assert _first_force(_head(f)) == "Test Police"


def test_a_carry_in_the_packed_counts_redoes_the_counts_file_exactly(policeuk_file, tmp_path):
    """The counts file's write starts beside the summary, on the packed counts; when the summary
    finds a group too large for them, that write is stopped and the file written exactly."""
    import duckdb

    rows = [",2019-01,P,P,,,x,E01018936,Plymouth 001A,Drugs,,"] * 65_537
    rows += [",2019-01,P,P,,,x,E01018936,Plymouth 001A,Robbery,,"] * 3
    out = tmp_path / "counts.parquet"
    with expand_policeuk_paths([policeuk_file(rows=rows)]) as files:
        (fc,) = count_files(files, counts_to=out)
    got = duckdb.sql(f"SELECT part, area, drugs, robbery, burglary FROM '{out}'").fetchall()
    assert got == [(fc.part, "E01018936", 65_537, 3, 0)]
    assert fc.rows == 65_540
