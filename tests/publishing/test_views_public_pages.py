"""The public pages as a reader finds them (issue 16, looked at in a browser): a partnership's own
page, a contents list on a long report, plain words, tables that scroll in their own region on a
phone rather than widen the page, and a chart whose gaps are explained."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from saferhub.domain.calendar import Month
from saferhub.partnerships.models import Partnership
from saferhub.publishing.services import publication_approve, publication_propose

from .conftest import NOW, load_figures


def publish(partnership, users, month=Month(2016, 8)):
    p = publication_propose(partnership=partnership, period=month, actor=users["analyst"], now=NOW)
    return publication_approve(publication=p, actor=users["admin"], now=NOW)


@pytest.fixture
def published(partnership, users):
    return publish(partnership, users)


def test_a_partnership_named_partnership_is_not_called_a_partnership_twice(client, partnership, users):
    """Torbay's page read "These are the Torbay Community Safety Partnership partnership's ... figures"."""
    Partnership.objects.filter(pk=partnership.pk).update(name="Test Community Safety Partnership")
    publish(partnership, users)
    text = lxml_html.fromstring(client.get("/public/testcsp/2016-08/").content).text_content()
    assert "Partnership partnership" not in text
    assert "figures of Test Community Safety Partnership for the financial year 2016/17" in " ".join(text.split())


def test_a_partnership_page_lists_each_published_report_with_its_versions(client, partnership, users, tmp_path):
    publish(partnership, users)
    load_figures(partnership, tmp_path, {"thefts": {"2016-06": 40}}, reported_on="2016-11-01")
    publish(partnership, users)  # version 2 of August
    publish(partnership, users, Month(2016, 7))
    response = client.get("/public/testcsp/")
    assert response.status_code == 200
    page = lxml_html.fromstring(response.content)
    rows = page.xpath("//main//table/tbody/tr")
    assert [r.xpath("string(th)").strip() for r in rows] == ["August 2016", "July 2016"]  # newest month first
    links = page.xpath("//main//a/@href")
    assert "/public/testcsp/2016-08/" in links and "/public/testcsp/2016-08/v1/" in links
    assert "/public/testcsp/2016-07/" in links
    assert 'id="suppression-note"' in response.content.decode()
    # The index and each version link to it.
    assert "/public/testcsp/" in lxml_html.fromstring(client.get("/public/").content).xpath("//main//a/@href")
    version = lxml_html.fromstring(client.get("/public/testcsp/2016-08/").content)
    assert "/public/testcsp/" in version.xpath("//main//a/@href")


def test_a_partnership_with_nothing_published_has_no_public_page(client, partnership, users):
    publication_propose(partnership=partnership, period=Month(2016, 8), actor=users["analyst"], now=NOW)
    assert client.get("/public/testcsp/").status_code == 404  # a proposal is not published
    assert client.get("/public/nope/").status_code == 404


def test_a_report_has_a_contents_list_of_its_indicators(client, published):
    page = lxml_html.fromstring(client.get("/public/testcsp/2016-08/").content)
    contents = page.xpath("//main//nav[@aria-labelledby='contents-title']//a/@href")
    assert contents == ["#suppression-note", "#ind-thefts", "#ind-hate-crime", "#data-dictionary"]
    for target in contents:
        assert page.xpath(f"//*[@id='{target[1:]}']"), target


@pytest.mark.parametrize("address", ["/public/", "/public/testcsp/", "/public/testcsp/2016-08/"])
def test_every_public_table_scrolls_in_its_own_labelled_focusable_region(client, published, address):
    """On a 375px phone a five-column table widened the whole page; in its own region only the
    table scrolls, and the region is reachable by keyboard (WCAG 2.1.1, 1.4.10)."""
    page = lxml_html.fromstring(client.get(address).content)
    tables = page.xpath("//main//table")
    assert tables
    for table in tables:
        region = table.getparent()
        assert "sh-scroll" in region.get("class", "").split(), table.xpath("string(caption)")
        assert region.get("role") == "region" and region.get("tabindex") == "0"
        assert table.xpath("caption/@id") == [region.get("aria-labelledby")]


def test_a_chart_with_suppressed_figures_says_its_gaps_are_not_zeros(client, published):
    page = lxml_html.fromstring(client.get("/public/testcsp/2016-08/").content)
    thefts = page.xpath("//section[@aria-labelledby='ind-thefts']")[0]
    assert "[c]" in thefts.text_content()  # May 2016 is 3
    assert "A gap in the chart is a figure not published ([c]), not a zero" in thefts.text_content()
