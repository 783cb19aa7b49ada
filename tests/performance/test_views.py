import pytest

from saferhub.demo import load_demo

from .conftest import NOW


@pytest.fixture
def demo(db, client):
    partnership = load_demo(now=NOW)
    # The report pages are for signed-in people; the board member has the fewest rights.
    from saferhub.accounts.models import User

    client.force_login(User.objects.get(username="board"))
    return partnership


def test_home_sends_a_signed_in_user_to_the_dashboard(client, demo):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/dashboard/"


def test_home_sends_a_visitor_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_report_pages_need_a_login(client, demo):
    client.logout()
    response = client.get("/partnerships/safer-plymouth/performance/2016-11/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def test_latest_redirects_to_the_latest_month(client, demo):
    response = client.get("/partnerships/safer-plymouth/performance/")
    assert response.status_code == 302 and response["Location"].endswith("/performance/2016-11/")


def test_report_page_shows_the_figures_and_commentary(client, demo):
    html = client.get("/partnerships/safer-plymouth/performance/2016-11/").content.decode()
    assert "7,170" in html and "6,803" in html and "+367" in html
    assert "an increase of 5%" in html
    assert "missing" in html  # the ist incidents' November figure


def test_report_json_is_the_same_structure_as_the_command(client, demo):
    from saferhub.domain.calendar import Month
    from saferhub.performance.models import Indicator
    from saferhub.performance.report import build_performance_report
    from saferhub.rendering.report_json import report_json

    Indicator.objects.update(sensitive=False)  # no password prompt before the export
    data = client.get("/partnerships/safer-plymouth/performance/2016-11.json").json()
    assert data == report_json(build_performance_report(demo, Month(2016, 11)))


@pytest.mark.parametrize(
    "url", ["/partnerships/nope/performance/2016-11/", "/partnerships/safer-plymouth/performance/2016-13/"]
)
def test_unknown_partnership_or_period_is_404(client, demo, url):
    assert client.get(url).status_code == 404


def test_the_report_page_has_a_month_chooser_that_goes_to_the_chosen_month(client, demo):
    html = client.get("/partnerships/safer-plymouth/performance/2016-11/").content.decode()
    chooser = html[html.index('id="month-chooser"') :]
    chooser = chooser[: chooser.index("</form>")]
    assert (
        '<form method="get" action="/partnerships/safer-plymouth/performance/" class="govuk-!-margin-bottom-6" id="month-chooser">'
        in html
    )
    assert (
        '<option value="2016-11" selected>November 2016</option>' in chooser and '<option value="2016-04">' in chooser
    )
    response = client.get("/partnerships/safer-plymouth/performance/?period=2016-10")
    assert response.status_code == 302 and response["Location"].endswith("/performance/2016-10/")
    assert client.get("/partnerships/safer-plymouth/performance/?period=2016-99").status_code == 400
