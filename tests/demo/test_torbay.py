"""The demo's police.uk partnership (issue 15): Torbay, from the shipped trimmed 2019 files, with
December left out; an analyst's upload of December moves Torbay's dashboard and not Plymouth's."""

from __future__ import annotations

import csv
import re

import pytest

from saferhub.accounts.models import User
from saferhub.demo import load_demo, torbay
from saferhub.demo.torbay.build import trim
from saferhub.domain.geography import geography
from saferhub.partnerships.models import Partnership
from saferhub.performance.current import latest_month
from saferhub.performance.models import Indicator, Source, Upload, UploadStatus
from saferhub.performance.report import build_performance_report
from saferhub.rendering.report_json import report_json
from tests.conftest import DEVON_AND_CORNWALL
from tests.performance.conftest import NOW


def _caption(html: str) -> str:
    return re.search(r'<span class="govuk-caption-l">([^<]*)</span>', html).group(1)


def _rows_by_type(path) -> dict[str, int]:
    counts: dict[str, int] = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            counts[row["Crime type"]] = counts.get(row["Crime type"], 0) + 1
    return counts


@pytest.mark.parametrize("month", ["2019-01", "2019-12"])
def test_the_shipped_files_are_the_real_ones_trimmed_to_torbay_byte_for_byte(month, tmp_path):
    name = f"{month}-devon-and-cornwall-street.csv"
    shipped = (torbay.UPLOAD_FILE if month == "2019-12" else torbay.POLICEUK_DIR / name).read_bytes()
    area = geography().area(csps=[torbay.CSP], districts=[], lsoas=[])
    kept = trim(DEVON_AND_CORNWALL / name, tmp_path / name, set(area.lsoas))
    assert (tmp_path / name).read_bytes() == shipped and kept > 1000
    assert shipped.count(b"\r\n") == kept + 1  # police.uk's CRLF line ends, kept
    original = set((DEVON_AND_CORNWALL / name).read_bytes().split(b"\r\n"))
    assert all(line in original for line in shipped.split(b"\r\n"))


def test_december_is_left_out_of_the_demo_load():
    assert sorted(p.name[:7] for p in torbay.POLICEUK_DIR.glob("*.csv")) == [f"2019-{m:02}" for m in range(1, 12)]
    assert torbay.UPLOAD_FILE.is_file() and not (torbay.POLICEUK_DIR / torbay.UPLOAD_FILE.name).exists()
    assert (torbay.HERE / "SOURCE.md").read_text().count("Open Government Licence") == 1


def test_torbay_is_the_official_csp_with_the_standard_police_indicators(db):
    partnership = torbay.load(now=NOW)
    assert partnership.name == "Torbay Community Safety Partnership"
    assert [(a.kind, a.value) for a in partnership.areas.all()] == [("csp", "E22000060")]
    indicators = Indicator.objects.filter(partnership=partnership)
    assert indicators.exists() and set(indicators.values_list("source", flat=True)) == {Source.POLICEUK}
    assert str(latest_month(partnership)) == "2019-11"
    # Loading again changes nothing: the same files are held.
    before = list(partnership.lsoas.values_list("lsoa", flat=True))
    assert torbay.load(now=NOW).pk == partnership.pk
    assert list(partnership.lsoas.values_list("lsoa", flat=True)) == before


def test_uploading_the_left_out_month_moves_torbay_and_leaves_plymouth_alone(
    client, db, database_queue, run_worker, monkeypatch
):
    monkeypatch.setenv("SAFERHUB_DEMO_PASSWORD", "demo-pass-123")
    plymouth = load_demo(now=NOW)
    police = torbay.load(now=NOW)
    client.force_login(User.objects.get(username="analyst"))
    plymouth_page = client.get("/dashboard/").content.decode()
    plymouth_month = latest_month(plymouth)
    plymouth_report = build_performance_report(plymouth, plymouth_month)

    assert client.post("/dashboard/partnership/", {"partnership": torbay.SLUG}).status_code == 302
    before = client.get("/dashboard/").content.decode()
    assert _caption(before) == "Torbay Community Safety Partnership, figures to November 2019"

    with open(torbay.UPLOAD_FILE, "rb") as f:
        response = client.post("/data/", {"kind": "policeuk", "files": f})
    upload = Upload.objects.get()
    assert response.status_code == 302 and upload.partnership == police
    run_worker()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE and upload.outcomes[0]["outcome"] == "added"

    after = client.get("/dashboard/").content.decode()
    assert _caption(after) == "Torbay Community Safety Partnership, figures to December 2019"
    report = report_json(build_performance_report(police, latest_month(police)))
    december = {i["code"]: i["periods"][8]["value"] for i in report["indicators"]}  # April is 0: December is 8
    assert report["period"] == "2019-12"
    assert december["anti-social-behaviour"] == _rows_by_type(torbay.UPLOAD_FILE)["Anti-social behaviour"]
    assert december["burglary"] == _rows_by_type(torbay.UPLOAD_FILE)["Burglary"]

    # Safer Plymouth: its own month, its own figures, its dashboard as it was.
    assert latest_month(Partnership.objects.get(pk=plymouth.pk)) == plymouth_month
    assert build_performance_report(plymouth, plymouth_month) == plymouth_report
    client.post("/dashboard/partnership/", {"partnership": plymouth.slug})
    assert _caption(client.get("/dashboard/").content.decode()) == _caption(plymouth_page)
    assert _caption(plymouth_page) == "Safer Plymouth, figures to November 2016"
