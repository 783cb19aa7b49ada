"""The Content Security Policy allows no inline styles, so no page may carry any: every style
comes from a stylesheet file, and the charts' SVG uses presentation attributes."""

from __future__ import annotations

import re

import pytest

PAGES = [
    ("analyst", "/dashboard/"),
    ("analyst", "/indicators/overall-crime/"),
    ("analyst", "/indicators/ist-incidents/"),
    ("analyst", "/reports/"),
    ("analyst", "/partnerships/safer-plymouth/performance/2016-11/"),
    ("analyst", "/data/"),
    ("commissioner", "/commissioning/"),
    ("commissioner", "/commissioning/projects/{project}/"),
    ("board", "/governance/"),
    ("admin", "/audit/"),
    (None, "/public/"),
    (None, "/accounts/login/"),
]


@pytest.mark.parametrize(("username", "url"), PAGES)
def test_pages_carry_no_inline_styles(as_user, username, url):
    from saferhub.commissioning.models import Project

    client = as_user(username)
    url = url.format(project=Project.objects.order_by("pk").first().pk)  # ids differ on PostgreSQL
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html), re.search(r".{60}\sstyle=.{60}", html)
    assert "style-src 'self';" in response["Content-Security-Policy"]


def test_report_pages_link_the_report_stylesheet(as_user):
    html = as_user("analyst").get("/partnerships/safer-plymouth/performance/2016-11/").content.decode()
    assert re.search(r'<link rel="stylesheet" href="/static/saferhub/report\.css', html)


def test_the_standalone_html_report_is_a_file_with_its_styles(as_user):
    response = as_user("analyst").get("/partnerships/safer-plymouth/performance/2016-11/download.html")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".sh-report .chart-and-table" in response.content.decode()  # the stylesheet, copied in
