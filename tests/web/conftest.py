import pytest

from saferhub.accounts.models import User
from saferhub.demo import load_demo
from tests.performance.conftest import NOW

ROLES = ["admin", "analyst", "commissioner", "provider", "board"]


@pytest.fixture
def demo(db):
    from saferhub.performance.models import Indicator

    partnership = load_demo(now=NOW)
    # The demo marks domestic abuse and hate crime sensitive, so exports would first ask for the
    # password again; that is tested in tests/accounts. These page tests export freely.
    Indicator.objects.update(sensitive=False)
    return partnership


@pytest.fixture
def as_user(client, demo):
    """A test client signed in as one of the demo users (None: anonymous)."""

    def sign_in(username):
        client.logout()
        if username:
            client.force_login(User.objects.get(username=username))
        return client

    return sign_in
