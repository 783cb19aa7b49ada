import datetime
from decimal import Decimal

from saferhub.domain.calendar import FinancialYear
from saferhub.domain.commissioning_paper import FundPosition, PaperIntention, was_by

DAY = datetime.date(2017, 1, 24)


def test_only_what_had_happened_by_the_date_counts():
    assert was_by(DAY, DAY) and not was_by(DAY + datetime.timedelta(days=1), DAY)
    assert was_by(None, DAY), "a record from before dates were kept counts as before"


def test_the_position_and_its_money_text_on_the_seeds_date():
    position = FundPosition(
        fund="Community Safety Fund",
        year=FinancialYear(2017),
        award=Decimal("400568"),
        carried_forward=Decimal(0),
        confirmed=Decimal("233500"),
        confirmed_count=3,
        committed=Decimal(0),
        committed_count=0,
    )
    assert position.available == Decimal("400568") and position.uncommitted == Decimal("400568")
    assert position.unallocated == Decimal("167068")
    assert position.title == "Community Safety Fund 2017/18"
    assert dict(position.lines) == {
        "Award": "£400,568",
        "Carried forward": "£0",
        "Available": "£400,568",
        "Confirmed intentions": "£233,500",
        "Not yet allocated to a confirmed intention": "£167,068",
        "Committed to projects": "£0",
        "Not yet committed": "£400,568",
    }


def test_an_intention_not_yet_confirmed_shows_its_state_not_an_amount():
    row = PaperIntention("Need", "Do it", None, None, "", confirmed=False, state_label="Awaiting confirmation")
    assert (row.contribution_text, row.total_budget_text, row.note) == (
        "To be confirmed",
        "To be confirmed",
        "Awaiting confirmation",
    )
    row = PaperIntention("Need", "Do it", Decimal("98500"), Decimal("2000000"), "£2m", True, "Confirmed")
    assert (row.contribution_text, row.total_budget_text, row.note) == ("£98,500", "£2,000,000", "")
    row = PaperIntention("Need", "Do it", Decimal("98500"), None, "£2m", True, "Confirmed")
    assert row.total_budget_text == "£2m"
