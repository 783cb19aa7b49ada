"""The publishing pages as a table of role x action, and the public pages."""

from __future__ import annotations

import csv
import io

import pytest

from saferhub.audit.models import AuditEvent
from saferhub.domain.calendar import Month
from saferhub.publishing.downloads import csv_cell
from saferhub.publishing.models import Publication, PublicationState, PublishedVersion
from saferhub.publishing.services import publication_approve, publication_propose

from .conftest import NOW, load_figures

ROLES = ["anonymous", "admin", "analyst", "commissioner", "provider", "board"]
# What each role gets: 200/302 allowed (302: redirected after the change), 403 forbidden, "login": sent to sign in.
TABLE = {
    "proposals page": {
        "anonymous": "login",
        "admin": 200,
        "analyst": 200,
        "commissioner": 200,
        "provider": 403,
        "board": 403,
    },
    "propose": {"anonymous": "login", "admin": 302, "analyst": 302, "commissioner": 403, "provider": 403, "board": 403},
    "proposal page": {
        "anonymous": "login",
        "admin": 200,
        "analyst": 200,
        "commissioner": 200,
        "provider": 403,
        "board": 403,
    },
    "approve": {"anonymous": "login", "admin": 302, "analyst": 403, "commissioner": 302, "provider": 403, "board": 403},
    "reject": {"anonymous": "login", "admin": 302, "analyst": 403, "commissioner": 302, "provider": 403, "board": 403},
    "public index": {r: 200 for r in ROLES},
    "public version": {r: 200 for r in ROLES},
    "public csv": {r: 200 for r in ROLES},
}


@pytest.fixture
def proposed(partnership, users):
    return publication_propose(partnership=partnership, period=Month(2016, 9), actor=users["analyst"], now=NOW)


@pytest.fixture
def published(partnership, users):
    p = publication_propose(partnership=partnership, period=Month(2016, 8), actor=users["analyst"], now=NOW)
    return publication_approve(publication=p, actor=users["admin"], now=NOW)


def do(client, action, proposed, published):
    v = published
    return {
        "proposals page": lambda: client.get("/publishing/"),
        "propose": lambda: client.post(
            "/publishing/propose/", {"partnership": "testcsp", "month": "7", "year": "2016"}
        ),
        "proposal page": lambda: client.get(f"/publishing/{proposed.pk}/"),
        "approve": lambda: client.post(f"/publishing/{proposed.pk}/approve/"),
        "reject": lambda: client.post(f"/publishing/{proposed.pk}/reject/", {"reason": "Not yet"}),
        "public index": lambda: client.get("/public/"),
        "public version": lambda: client.get(f"/public/testcsp/{v.period}/"),
        "public csv": lambda: client.get(f"/public/testcsp/{v.period}/v{v.number}/figures.csv"),
    }[action]()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(TABLE))
def test_role_by_action(client, users, proposed, published, role, action):
    if role != "anonymous":
        client.force_login(users[role])
    denials = AuditEvent.objects.filter(action="denied").count()
    response = do(client, action, proposed, published)
    expected = TABLE[action][role]
    if expected == "login":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected
    if expected == 403:
        assert AuditEvent.objects.filter(action="denied").count() == denials + 1
    if action == "approve":
        proposed.refresh_from_db()
        assert (proposed.state == PublicationState.PUBLISHED) == (expected == 302)
    if action == "propose":
        assert Publication.objects.filter(period="2016-07").exists() == (expected == 302)


def test_public_page_shows_suppressed_figures_with_the_note(client, published):
    html = client.get("/public/testcsp/2016-08/").content.decode()
    assert "[c]" in html and 'id="suppression-note"' in html and "Counts of 1 to 4 are suppressed" in html
    assert "Sensitive" in html and "rounded to the nearest 5" in html
    assert published.checksum in html and "small-numbers-1-4+sensitive-1-9-round-5" in html
    assert "style=" not in html.split("</head>")[1]  # no inline styles in the page body
    assert "Download these figures (CSV)" in html


def test_nothing_unpublished_is_reachable_in_public(client, proposed, published):
    assert client.get(f"/public/testcsp/{proposed.period}/").status_code == 404
    assert client.get(f"/public/testcsp/{proposed.period}/figures.csv").status_code == 404
    assert client.get(f"/public/testcsp/{published.period}/v2/").status_code == 404
    assert client.get("/public/nope/2016-08/").status_code == 404
    index = client.get("/public/").content.decode()
    assert "August 2016" in index and "September 2016" not in index


def test_a_later_version_supersedes_but_keeps_the_earlier(client, users, partnership, published, tmp_path):
    # Issue 16: the same figures again are refused (see test_services), so a figure is revised first.
    load_figures(partnership, tmp_path, {"thefts": {"2016-06": 40}}, reported_on="2016-11-01")
    p = publication_propose(partnership=partnership, period=Month(2016, 8), actor=users["analyst"], now=NOW)
    v2 = publication_approve(publication=p, actor=users["commissioner"], now=NOW)
    assert v2.number == 2
    old = client.get("/public/testcsp/2016-08/v1/").content.decode()
    assert "A later version of these figures has been published" in old
    latest = client.get("/public/testcsp/2016-08/").content.decode()
    assert "A later version" not in latest and "version 1" in latest


def test_csv_download_holds_the_published_cells_as_numbers_and_suppressed_as_c(client, published):
    response = client.get("/public/testcsp/2016-08/v1/figures.csv")
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    may = next(r for r in rows if r["indicator"] == "thefts" and r["period"] == "2016-05")
    assert may["value"] == "[c]"
    june = next(r for r in rows if r["indicator"] == "thefts" and r["period"] == "2016-06")
    assert june["value"] == "24" and june["same_period_last_year"] == "25"
    hate = [r for r in rows if r["indicator"] == "hate-crime"]
    assert {r["period"] for r in hate} == {"2016-Q1", "2016-Q2", "2016-Q3", "2016-Q4"} and hate[0]["sensitive"] == "yes"
    # Public reads are counted, not audited one by one (issue 12, finding 9).
    from saferhub.audit.models import ReadCount

    assert not AuditEvent.objects.filter(action="export", object_type="publishing.publishedversion").exists()
    assert ReadCount.objects.get(object_id=str(published.pk), what="figures.csv").count == 1


@pytest.mark.parametrize(
    "value,expected",
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Thefts", "Thefts"),
        ("[c]", "[c]"),
        (-317, "-317"),
        (12, "12"),
        (2.5, "2.5"),
        (None, ""),
    ],
)
def test_csv_cells_neutralise_formulas_but_numbers_stay_numbers(value, expected):
    assert csv_cell(value) == expected


def test_csv_of_a_title_starting_with_a_formula(client, partnership, users):
    from saferhub.performance.models import Indicator

    Indicator.objects.filter(code="thefts").update(title='=HYPERLINK("http://evil","x")')
    p = publication_propose(partnership=partnership, period=Month(2016, 9), actor=users["analyst"], now=NOW)
    publication_approve(publication=p, actor=users["admin"], now=NOW)
    text = client.get("/public/testcsp/2016-09/figures.csv").content.decode()
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


def test_propose_form_errors_are_shown_beside_the_fields(client, users):
    client.force_login(users["analyst"])
    response = client.post("/publishing/propose/", {"partnership": "nope", "month": "13", "year": "2016"})
    html = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in html
    assert "Select the partnership" in html and "Enter the report month" in html
    assert not Publication.objects.exists()


def test_proposal_page_previews_the_public_figures_and_reject_needs_a_reason(client, users, proposed):
    client.force_login(users["commissioner"])
    html = client.get(f"/publishing/{proposed.pk}/").content.decode()
    assert "The figures as they would be published" in html and "[c]" in html and "Approve and publish" in html
    response = client.post(f"/publishing/{proposed.pk}/reject/", {"reason": "  "})
    assert response.status_code == 302 and "error=reason" in response["Location"]
    proposed.refresh_from_db()
    assert proposed.state == PublicationState.PROPOSED
    assert not PublishedVersion.objects.filter(period="2016-09").exists()


def test_the_proposer_is_not_offered_approval_and_cannot_approve_through_the_page(client, users, partnership):
    """Issue 12, finding 6: the admin who proposed a report may not also approve it."""
    client.force_login(users["admin"])
    response = client.post("/publishing/propose/", {"partnership": "testcsp", "month": "9", "year": "2016"})
    p = Publication.objects.get(period="2016-09")
    assert response.status_code == 302 and p.proposed_by == users["admin"]
    page = client.get(f"/publishing/{p.pk}/").content.decode()
    assert "Approve and publish" not in page and "another person must approve it" in page
    response = client.post(f"/publishing/{p.pk}/approve/")
    assert response.status_code == 302 and response["Location"] == f"/publishing/{p.pk}/"
    assert "another person must approve it" in client.get(f"/publishing/{p.pk}/").content.decode()
    p.refresh_from_db()
    assert p.state == PublicationState.PROPOSED and not PublishedVersion.objects.exists()
    client.force_login(users["commissioner"])
    assert "Approve and publish" in client.get(f"/publishing/{p.pk}/").content.decode()
    response = client.post(f"/publishing/{p.pk}/approve/")
    assert response.status_code == 302 and response["Location"] == "/public/testcsp/2016-09/v1/"


def test_a_superseded_proposal_says_so_and_offers_no_approval(client, users, partnership, tmp_path):
    from .conftest import load_figures

    first = publication_propose(partnership=partnership, period=Month(2016, 9), actor=users["analyst"], now=NOW)
    load_figures(partnership, tmp_path, {"thefts": {"2016-06": 40}}, reported_on="2016-11-01")
    client.force_login(users["commissioner"])
    page = client.get(f"/publishing/{first.pk}/").content.decode()
    assert "changed since" in page and "Approve and publish" not in page
    second = publication_propose(partnership=partnership, period=Month(2016, 9), actor=users["analyst"], now=NOW)
    page = client.get(f"/publishing/{first.pk}/").content.decode()
    assert "Superseded" in page and "Approve and publish" not in page and f"/publishing/{second.pk}/" in page
    client.post(f"/publishing/{first.pk}/approve/")
    first.refresh_from_db()
    assert first.state == PublicationState.SUPERSEDED and not PublishedVersion.objects.exists()


def test_public_page_reads_as_a_bulletin_with_headlines_charts_and_details(client, published):
    """Issue 16: each indicator's headline sentence from the published figures, its chart and its
    table; the rule's code name and the checksum in a details section, not in the page's text."""
    from lxml import html as lxml_html

    page = lxml_html.fromstring(client.get("/public/testcsp/2016-08/").content.decode())
    thefts = page.xpath("//section[@aria-labelledby='ind-thefts']")[0]
    sentence = thefts.xpath(".//p[contains(@class,'govuk-body-l')]")[0].text_content()
    # Thefts, April to August 2016: 18 + 3 + 24 + 26 + 19 = 90 (May's 3 is hidden, the total is not).
    assert sentence.startswith("Thefts: 90 in the year to August 2016") and "same period last year (118" in sentence
    assert thefts.xpath(".//figure[@role='img']/svg") or thefts.xpath(".//figure[@role='img']")
    details = page.xpath("//details")[0].text_content()
    assert published.checksum in details and published.rule_name in details and "audit" in details.lower()
    outside = "".join(e.text_content() for e in page.xpath("//main/*[not(self::details)]"))
    assert published.checksum not in outside and "small-numbers-1-4" not in outside
    assert page.xpath("//table[.//caption[contains(., 'download')]]"), "the data dictionary is on the page"


def test_headline_is_written_from_published_figures_only():
    from dataclasses import replace

    from saferhub.domain.disclosure import SENSITIVE, STANDARD
    from saferhub.domain.published import Level, Marker, PublishedIndicator, PublishedYearToDate
    from saferhub.domain.status import Polarity

    ytd = PublishedYearToDate(Month(2016, 8), value=1234, previous=1300, change=None, change_pct=None)
    ind = PublishedIndicator(
        code="thefts",
        title="Thefts",
        unit="count",
        polarity=Polarity.LOWER_IS_BETTER,
        sensitive=False,
        level=Level.MONTH,
        rule=STANDARD,
        source="partner",
        rows=(),
        ytd=ytd,
    )
    assert (
        ind.headline
        == "Thefts: 1,234 in the year to August 2016: 66 fewer than in the same period last year (1,300, 5.1%)."
    )
    assert "not published" in replace(ind, ytd=replace(ytd, value=Marker.SUPPRESSED)).headline
    assert "no figure for the same period last year" in replace(ind, ytd=replace(ytd, previous=None)).headline
    assert "rounded to the nearest 5" in replace(ind, rule=SENSITIVE).headline


def test_json_download_has_the_data_dictionary_and_is_formula_safe(client, partnership, users):
    import json

    from saferhub.performance.models import Indicator

    Indicator.objects.filter(code="thefts").update(title='=HYPERLINK("http://evil","x")')
    p = publication_propose(partnership=partnership, period=Month(2016, 9), actor=users["analyst"], now=NOW)
    publication_approve(publication=p, actor=users["admin"], now=NOW)
    response = client.get("/public/testcsp/2016-09/figures.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    doc = json.loads(response.content)
    columns = [c["column"] for c in doc["data_dictionary"]["columns"]]
    assert columns[:3] == ["partnership", "report_period", "version"] and "year_to_date" in columns
    assert any(m["marker"] == "[c]" for m in doc["data_dictionary"]["markers"])
    titles = {r["title"] for r in doc["rows"]}
    assert '\'=HYPERLINK("http://evil","x")' in titles and not any(t.startswith("=") for t in titles)
    may = next(r for r in doc["rows"] if r["indicator"] == "thefts" and r["period"] == "2016-05")
    assert may["value"] == "[c]" and isinstance(next(r for r in doc["rows"] if r["period"] == "2016-06")["value"], int)


def test_signed_in_users_have_published_figures_in_the_menu(client, users):
    for role in ("provider", "analyst", "board"):
        client.force_login(users[role])
        html = client.get("/public/").content.decode()
        assert 'href="/public/"' in html and "Published figures" in html
