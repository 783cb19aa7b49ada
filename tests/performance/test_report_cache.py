"""The report page's charts are drawn once per data version, and any change to the data shows."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from saferhub.demo import load_demo

from .conftest import NOW

URL = "/partnerships/safer-plymouth/performance/2016-11/"


@pytest.fixture
def signed_in(client, django_user_model, db):
    cache.clear()
    load_demo(now=NOW)
    client.force_login(django_user_model.objects.create_user("analyst1", role="analyst"))
    yield client
    cache.clear()


def test_charts_are_drawn_once_for_the_same_data(signed_in, monkeypatch):
    import saferhub.rendering.formats as formats

    calls = []
    real = formats.charts_for
    monkeypatch.setattr(formats, "charts_for", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = signed_in.get(URL).content
    second = signed_in.get(URL).content
    assert len(calls) == 1
    assert first.split(b'name="csrfmiddlewaretoken"')[0] == second.split(b'name="csrfmiddlewaretoken"')[0]


def test_a_change_to_the_data_is_shown_at_once(signed_in):
    from saferhub.performance.models import AnalystComment, Indicator
    from saferhub.performance.services import comment_set

    signed_in.get(URL)
    indicator = Indicator.objects.get(code="overall-crime")
    comment_set(indicator=indicator, period="2016-11", text="A brand new comment on crime.", author="Analyst", now=NOW)
    assert b"A brand new comment on crime." in signed_in.get(URL).content
    Indicator.objects.filter(pk=indicator.pk).update(title="Overall crime (renamed)")
    assert b"Overall crime (renamed)" in signed_in.get(URL).content
