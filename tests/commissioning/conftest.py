import datetime

import pytest

from saferhub.partnerships.services import partnership_create

NOW = datetime.datetime(2017, 11, 6, 9, 0, tzinfo=datetime.timezone.utc)


@pytest.fixture
def partnership(db):
    return partnership_create(slug="safer-plymouth", name="Safer Plymouth", local_authorities=["Plymouth"])


@pytest.fixture
def fund(partnership):
    """The seed's Community Safety Fund 2017-18 as the demo loads it."""
    from saferhub.commissioning.models import Fund
    from saferhub.demo import commissioning as demo

    demo.load(partnership=partnership, now=NOW)
    return Fund.objects.get(partnership=partnership, slug=demo.FUND_SLUG)
