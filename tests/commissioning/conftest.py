import datetime

import pytest

from saferhub.partnerships.services import partnership_create

NOW = datetime.datetime(2017, 11, 6, 9, 0, tzinfo=datetime.timezone.utc)


def safer_plymouth():
    return partnership_create(slug="safer-plymouth", name="Safer Plymouth", local_authorities=["Plymouth"])


def seed_fund(partnership):
    """The seed's Community Safety Fund 2017-18 as the demo loads it."""
    from saferhub.commissioning.models import Fund
    from saferhub.demo import commissioning as demo

    demo.load(partnership=partnership, now=NOW)
    return Fund.objects.get(partnership=partnership, slug=demo.FUND_SLUG)


@pytest.fixture
def partnership(db):
    return safer_plymouth()


@pytest.fixture
def fund(partnership):
    return seed_fund(partnership)
