"""What the performance pages show and do, through the Django test client."""

import io

import pytest

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.performance.models import AnalystComment, IndicatorValue, TargetValue, Upload, UploadStatus

from ..conftest import standard_partnership


def _file(name, data: bytes):
    f = io.BytesIO(data)
    f.name = name
    return f


def test_dashboard_has_a_tile_per_indicator_linking_to_its_page(as_user, demo):
    html = as_user("board").get("/dashboard/").content.decode()
    for ind in demo.indicators.all():
        assert f'id="tile-{ind.code}"' in html
        assert f'href="/indicators/{ind.code}/"' in html
    # overall crime, year to November 2016: 7,170 against 6,803 (the seed's Agenda Item 8)
    assert "7,170" in html and "+367" in html
    assert html.count('class="sh-sparkline"') >= 5 and 'role="img"' in html
    assert "govuk-tag--" in html and "Common cause variation" in html and "Special cause: concern" in html
    # the satisfaction rate's tile also says whether its monthly target is reliably met
    tile = html[html.index('id="tile-ist-satisfaction"') :]
    assert "May pass or fail the target" in tile[: tile.index("</li>")]


def test_indicator_page_has_months_spc_table_and_history(as_user, demo):
    html = as_user("board").get("/indicators/overall-crime/").content.decode()
    assert 'id="months"' in html and 'id="spc"' in html and 'id="changes"' in html and 'id="revisions"' in html
    assert "<svg" in html  # the charts, drawn on the server
    assert "Save commentary" not in html  # the board member reads, does not write


def test_commentary_is_saved_with_its_history_audited(as_user, demo):
    client = as_user("analyst")
    before = AnalystComment.objects.filter(indicator__code="overall-crime", period="2016-11").count()
    response = client.post("/indicators/overall-crime/?period=2016-11", {"text": "Shoplifting drove the rise."})
    assert response.status_code == 302 and "saved=1" in response["Location"]
    assert AnalystComment.objects.filter(indicator__code="overall-crime", period="2016-11").count() == before + 1
    event = AuditEvent.objects.filter(object_type="performance.indicator", summary__startswith="commentary").first()
    assert event.actor_name == "analyst" and event.after["text"] == "Shoplifting drove the rise."
    page = client.get(response["Location"]).content.decode()
    assert "Commentary saved" in page and "Shoplifting drove the rise." in page
    # the shared flash message: "Commentary saved for November 2016" once, not on the page shown again
    assert "Commentary saved for November 2016" in page and "govuk-notification-banner--success" in page
    again = client.get(response["Location"]).content.decode()
    assert "Commentary saved" not in again and "Shoplifting drove the rise." in again


def test_empty_commentary_shows_the_govuk_error_summary(as_user, demo):
    html = as_user("analyst").post("/indicators/overall-crime/", {"text": "  "}).content.decode()
    assert "govuk-error-summary" in html and 'href="#id_text"' in html and "Enter the commentary" in html
    assert "govuk-textarea--error" in html and "<title>Error:" in html


def test_unknown_indicator_is_404(as_user, demo):
    assert as_user("board").get("/indicators/nope/").status_code == 404


def test_partner_upload_lists_added_replaced_and_unchanged_lines_and_audits_values(as_user, demo):
    client = as_user("analyst")
    # the demo holds 90% for September 2016 and a flat target of 90% for December
    csv = b"indicator,period,value,target\nist-satisfaction,2016-09,90,\nist-satisfaction,2016-12,77.5,80\n"
    response = client.post("/data/", {"kind": "indicators", "files": _file("december.csv", csv)})
    upload = Upload.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/data/uploads/{upload.pk}/"
    assert upload.status == UploadStatus.DONE and upload.uploaded_by.username == "analyst"
    lines = {o["line"]: o for o in upload.outcomes}
    assert lines[2]["value"] == "unchanged" and lines[3]["value"] == "added" and lines[3]["target"] == "replaced"
    html = client.get(response["Location"]).content.decode()
    assert 'id="outcomes"' in html and "unchanged" in html and "added" in html
    assert TargetValue.objects.get(indicator__code="ist-satisfaction", period="2016-12").value == 80
    target_event = AuditEvent.objects.filter(
        actor_name="analyst", summary__startswith="target of ist-satisfaction for 2016-12"
    ).get()
    assert target_event.before["target"] == "90.0000" and target_event.after == {
        "period": "2016-12",
        "target": "80",
        "target_kind": "flat",
    }
    value_event = AuditEvent.objects.filter(
        actor_name="analyst", summary__startswith="value of ist-satisfaction for 2016-12"
    ).get()
    assert (
        value_event.actor_name == "analyst"
        and value_event.before is None
        and value_event.after == {"period": "2016-12", "value": "77.5"}
    )
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT, actor_name="analyst").exists()


def test_a_revised_value_is_replaced_with_before_and_after(as_user, demo):
    client = as_user("analyst")
    client.post(
        "/data/",
        {"kind": "indicators", "files": _file("rev.csv", b"indicator,period,value\nist-satisfaction,2016-09,12\n")},
    )
    upload = Upload.objects.get()
    assert upload.outcomes[0]["value"] == "replaced"
    event = AuditEvent.objects.filter(
        actor_name="analyst", summary__startswith="value of ist-satisfaction for 2016-09"
    ).get()
    assert (
        event.action == AuditAction.UPDATE
        and event.before == {"period": "2016-09", "value": "90.0000"}
        and event.after == {"period": "2016-09", "value": "12"}
    )


def test_a_rejected_upload_names_the_line_and_changes_nothing(as_user, demo):
    client = as_user("analyst")
    count = IndicatorValue.objects.count()
    client.post(
        "/data/",
        {
            "kind": "indicators",
            "files": _file("bad.csv", b"indicator,period,value\nist-satisfaction,2016-11,81\nnope,2016-11,3\n"),
        },
    )
    upload = Upload.objects.get()
    assert upload.status == UploadStatus.FAILED and IndicatorValue.objects.count() == count
    assert upload.problems[0]["line"] == 3 and upload.problems[0]["field"] == "indicator"
    html = client.get(f"/data/uploads/{upload.pk}/").content.decode()
    assert 'id="rejected"' in html and "bad.csv" in html and "nothing was changed" in html


def test_upload_form_errors(as_user, demo):
    client = as_user("analyst")
    html = client.post("/data/", {}).content.decode()
    assert "Select what kind of data you are uploading" in html and "Select a file to upload" in html
    html = client.post("/data/", {"kind": "policeuk", "files": _file("notes.txt", b"x")}).content.decode()
    assert "notes.txt must be a CSV or ZIP file" in html and not Upload.objects.exists()


def test_police_upload_reports_each_file(as_user, demo, policeuk_file):
    client = as_user("analyst")
    path = policeuk_file()
    with open(path, "rb") as f:
        client.post("/data/", {"kind": "policeuk", "files": f})
    upload = Upload.objects.get()
    assert upload.status == UploadStatus.DONE
    assert upload.outcomes == [
        {"file": path.name, "force": upload.outcomes[0]["force"], "month": "2019-01", "rows": 5, "outcome": "added"}
    ]
    status = client.get(f"/data/uploads/{upload.pk}/status.json").json()
    assert status == {"id": upload.pk, "status": "done", "status_label": "Imported", "finished": True}


def test_background_import_finishes_and_records_the_result(live_worker, client, policeuk_file):
    """The import runs outside the request, on the job queue's worker; the page it redirects to follows it."""
    import time

    from saferhub.accounts.models import User
    from saferhub.demo import load_demo
    from tests.performance.conftest import NOW

    load_demo(now=NOW)
    client.force_login(User.objects.get(username="analyst"))
    with open(policeuk_file(), "rb") as f:
        response = client.post("/data/", {"kind": "policeuk", "files": f})
    upload = Upload.objects.get()
    deadline = time.monotonic() + 60
    while not upload.finished and time.monotonic() < deadline:
        time.sleep(0.2)
        upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE and upload.run is not None
    page = client.get(response["Location"]).content.decode()
    assert "upload-progress.js" not in page and "Success" in page  # finished: no more polling


def test_reports_page_offers_every_format_and_downloads_are_audited(as_user, demo):
    client = as_user("board")
    html = client.get("/reports/").content.decode()
    for fmt in ("json", "pdf", "docx", "xlsx"):
        assert f"/reports/download.{fmt}?period=2016-11" in html
    response = client.get("/reports/download.docx?period=2016-11")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).get()
    assert event.actor_name == "board" and "DOCX" in event.summary


def test_reports_page_lists_the_latest_half_year_return_with_its_downloads(as_user, demo):
    from decimal import Decimal

    from django.utils import timezone

    from saferhub.commissioning.models import HalfYearReturn
    from saferhub.commissioning.services import half_year_return_update

    signed = HalfYearReturn.objects.get(period="2017-H1")
    # Changing the claim on the signed return opens version 2: the page offers that one only.
    latest = half_year_return_update(
        half_year_return=signed, claimed=signed.claimed - Decimal("0.01"), actor="test", now=timezone.now()
    )
    assert latest.version == 2
    html = as_user("board").get("/reports/").content.decode()
    table = html[html.index('id="half-year-returns"') : html.index("</table>", html.index('id="half-year-returns"'))]
    assert "Community Safety Fund: First half of 2017/18" in table and "(version 2)" in table
    assert f'href="/commissioning/half-year/{latest.pk}/"' in table
    assert f"/commissioning/half-year/{signed.pk}/" not in table
    for fmt in ("pdf", "docx", "xlsx", "json"):
        assert f'href="/commissioning/half-year/{latest.pk}/return.{fmt}"' in table
        assert as_user("board").get(f"/commissioning/half-year/{latest.pk}/return.{fmt}").status_code == 200


def test_half_year_returns_are_listed_for_the_csp_not_for_providers(demo):
    from django.contrib.auth.models import AnonymousUser

    from saferhub.accounts.models import User
    from saferhub.commissioning.selectors import half_year_returns_latest

    assert [str(h) for h in half_year_returns_latest(User.objects.get(username="commissioner"), demo)] == [
        "Community Safety Fund 2017-H1 v1"
    ]
    # A return to the funder covers every provider's project: a provider's own user is shown none.
    assert half_year_returns_latest(User.objects.get(username="provider"), demo) == []
    assert half_year_returns_latest(AnonymousUser(), demo) == []


def test_choosing_a_partnership_is_kept_in_the_session(as_user, demo):
    from saferhub.partnerships.services import partnership_create

    partnership_create(slug="elsewhere", name="Elsewhere", local_authorities=["Exeter"])
    client = as_user("board")
    assert "Safer Plymouth" in client.get("/dashboard/").content.decode()
    client.post("/dashboard/partnership/", {"partnership": "elsewhere"})
    html = client.get("/dashboard/").content.decode()
    assert "Elsewhere" in html and 'id="tile-overall-crime"' not in html


def test_a_police_uk_zip_is_imported_and_its_members_named(as_user, demo, policeuk_file, tmp_path):
    import zipfile

    path = policeuk_file("2019-01/2019-01-test-force-street.csv")
    archive = tmp_path / "police.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(path, "2019-01/2019-01-test-force-street.csv")
    client = as_user("analyst")
    with open(archive, "rb") as f:
        client.post("/data/", {"kind": "policeuk", "files": f})
    upload = Upload.objects.get()
    assert upload.status == UploadStatus.DONE, upload.problems
    assert [(o["month"], o["outcome"]) for o in upload.outcomes] == [("2019-01", "added")]
    assert "uploads/" not in upload.outcomes[0]["file"] and upload.outcomes[0]["file"].endswith(
        "2019-01-test-force-street.csv"
    )


def test_the_json_report_is_audited_as_an_export(as_user, demo):
    as_user("board").get("/partnerships/safer-plymouth/performance/2016-11.json")
    assert (
        AuditEvent.objects.filter(action=AuditAction.EXPORT, actor_name="board", summary__endswith="as JSON").count()
        == 1
    )


def test_a_police_indicator_lists_the_files_its_months_came_from(db, client, policeuk_file):
    from saferhub.accounts.models import User
    from saferhub.performance.services import policeuk_import
    from tests.performance.conftest import NOW

    p = standard_partnership(slug="plymouth", name="Plymouth", local_authorities=["Plymouth"])
    policeuk_import(paths=[policeuk_file("a/2019-01-test-force-street.csv")], partnership=p, now=NOW)
    rows = ["abz,2019-01,Test Police,Test Police,-4.1,50.4,On or near B,E01015159,Plymouth 002B,Burglary,,"]
    policeuk_import(paths=[policeuk_file("b/2019-01-test-force-street.csv", rows=rows)], partnership=p, now=NOW)
    client.force_login(User.objects.create_user(username="b", password="x", role="board"))
    html = client.get("/indicators/burglary/?period=2019-01").content.decode()
    table = html[html.index('id="revisions"') :]
    assert (
        "Replaced an earlier publication" in table and "Loaded" in table and "b/2019-01-test-force-street.csv" in table
    )


TORBAY_ROW = (
    ",{month},Devon & Cornwall Police,Devon & Cornwall Police,-3.538,50.487,On or near Winchester Avenue,"
    "E01015262,Torbay 001A,Burglary,Under investigation,"
)


def test_each_partnership_has_its_own_latest_month(as_user, demo, policeuk_file):
    """Importing police.uk data for another partnership never moves this one's month: the demo's
    indicators are partner-supplied, to November 2016."""
    from saferhub.performance.services import policeuk_import
    from tests.performance.conftest import NOW

    torbay = standard_partnership(slug="torbay", name="Safer Torbay", local_authorities=["Torbay"])
    path = policeuk_file("2019-11-devon-and-cornwall-street.csv", rows=[TORBAY_ROW.format(month="2019-11")])
    policeuk_import(paths=[path], partnership=torbay, now=NOW)
    client = as_user("board")
    html = client.get("/dashboard/").content.decode()
    assert "Safer Plymouth, figures to November 2016" in html and "7,170" in html
    assert client.get("/partnerships/safer-plymouth/performance/")["Location"].endswith("/performance/2016-11/")
    # Torbay's own month is its police.uk month; Plymouth's figures are not shown for it.
    client.post("/dashboard/partnership/", {"partnership": "torbay"})
    html = client.get("/dashboard/").content.decode()
    assert "Safer Torbay, figures to November 2019" in html and "7,170" not in html
    assert client.get("/partnerships/torbay/performance/")["Location"].endswith("/performance/2019-11/")
    reports = client.get("/reports/").content.decode()
    assert "Safer Torbay, figures to November 2019" in reports and "Performance report, November 2019" in reports


def _chooser(html: str) -> str:
    start = html.index('<select class="govuk-select" id="period" name="period"')
    return html[start : html.index("</select>", start)]


@pytest.mark.parametrize("url", ["/dashboard/", "/indicators/overall-crime/", "/reports/"])
def test_dashboard_indicator_and_reports_pages_have_a_month_chooser(as_user, demo, url):
    client = as_user("board")
    chooser = _chooser(client.get(url).content.decode())
    assert '<option value="2016-11" selected>November 2016</option>' in chooser
    assert '<option value="2016-04">April 2016</option>' in chooser
    assert chooser.index("2016-11") < chooser.index("2016-04")  # newest first
    html = client.get(url + "?period=2016-10").content.decode()
    assert "Safer Plymouth, figures to October 2016" in html
    assert '<option value="2016-10" selected>October 2016</option>' in _chooser(html)
    assert client.get(url + "?period=2016-99").status_code == 400
