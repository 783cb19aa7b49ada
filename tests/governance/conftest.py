import datetime

import pytest
from django.utils import timezone

from saferhub.domain.governance import DEFAULT_SCHEME
from saferhub.governance import services as s
from saferhub.partnerships.models import Organisation
from saferhub.partnerships.services import partnership_create

NOW = timezone.make_aware(datetime.datetime(2017, 1, 20, 9, 0))
MEETING_DAY = datetime.date(2017, 1, 24)

ORGS = [
    ("Council", "local_authority"),
    ("Police", "police"),
    ("Fire", "fire_rescue"),
    ("Probation", "probation"),
    ("CCG", "health"),
    ("OPCC", "pcc"),
    ("Charity", "charity"),
]


def blank_pdf(pages: int, text: str = "Uploaded paper") -> bytes:
    from weasyprint import HTML

    body = "".join(
        f'<section style="break-after: page"><h1>{text} sheet {i}</h1></section>' for i in range(1, pages + 1)
    )
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


@pytest.fixture
def board(db):
    partnership = partnership_create(slug="testham", name="Safer Testham", local_authorities=["Plymouth"])
    b = s.board_create(
        partnership=partnership,
        name="Safer Testham",
        actor="test",
        now=NOW,
        quorum_minimum_members=4,
        quorum_minimum_statutory=3,
    )
    return b


@pytest.fixture
def members(board):
    out = {}
    for name, kind in ORGS:
        org = Organisation.objects.create(name=f"{name} of Testham", kind=kind)
        out[kind] = s.membership_create(
            board=board,
            organisation=org,
            representative=f"{name} rep",
            deputy=f"{name} deputy",
            starts_on=datetime.date(2016, 4, 1),
            actor="test",
            now=NOW,
        )
    return out


@pytest.fixture
def meeting(board):
    return s.meeting_create(
        board=board,
        date=MEETING_DAY,
        starts_at=datetime.time(10),
        ends_at=datetime.time(13),
        venue="Warspite Room, Council House",
        actor="test",
        now=NOW,
    )


@pytest.fixture
def users(db):
    from saferhub.accounts.models import User

    return {
        role: User.objects.create_user(username=role, password="x", role=role)
        for role in ("admin", "analyst", "commissioner", "board")
    }


@pytest.fixture
def business(board, members, meeting):
    """A meeting with an item, a paper and an action, a scored priority and draft terms of reference."""
    item = s.agenda_item_create(
        meeting=meeting, number=8, subject="Performance update", purpose="To receive.", actor="t", now=NOW
    )
    s.paper_add(item=item, title="Paper", content=blank_pdf(1), actor="t", now=NOW)
    action = s.action_create(
        meeting=meeting, item=item, description="Check the figures", owner="Analyst", actor="t", now=NOW
    )
    s.scheme_set(board=board, config=DEFAULT_SCHEME.to_config(), actor="t", now=NOW)
    priority = s.priority_create(board=board, name="Hate crime", owner=members["police"], actor="t", now=NOW)
    terms = s.terms_create(
        board=board,
        version="draft",
        drafted_on=datetime.date(2017, 1, 1),
        sections=[("Vision", "Safe.")],
        actor="t",
        now=NOW,
    )
    return {"meeting": meeting, "action": action, "priority": priority, "terms": terms, "item": item}
