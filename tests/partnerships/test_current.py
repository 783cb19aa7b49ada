"""The current partnership of the pages whose addresses name none (partnerships/current.py)."""

from django.test import RequestFactory

from saferhub.partnerships.current import choose_partnership, current_partnership
from saferhub.partnerships.models import Partnership


class Session(dict):
    pass


def _request():
    request = RequestFactory().get("/")
    request.session = Session()
    return request


def test_the_first_partnership_until_one_is_chosen_then_the_chosen_one(db):
    first = Partnership.objects.create(slug="first", name="First")
    second = Partnership.objects.create(slug="second", name="Second")
    request = _request()
    assert current_partnership(request) == first
    assert choose_partnership(request, "second") == second
    assert current_partnership(request) == second
    # An unknown slug changes nothing; a chosen partnership that has gone falls back to the first.
    assert choose_partnership(request, "nowhere") is None
    assert current_partnership(request) == second
    second.delete()
    assert current_partnership(request) == first


def test_no_partnership_at_all(db):
    assert current_partnership(_request()) is None
