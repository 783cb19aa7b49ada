"""The report, its web body and its downloads are built once per data version, and any change to
the data shows at once."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from saferhub.demo import load_demo

from .conftest import NOW

URL = "/partnerships/safer-plymouth/performance/2016-11/"


@pytest.fixture
def signed_in(client, django_user_model, db):
    load_demo(now=NOW)
    client.force_login(django_user_model.objects.create_user("analyst1", role="analyst"))
    return client


def _count_calls(monkeypatch, module, name):
    calls = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def test_report_and_charts_are_built_once_for_the_same_data(signed_in, monkeypatch):
    import saferhub.performance.cache as report_cache
    import saferhub.rendering.formats as formats

    charts = _count_calls(monkeypatch, formats, "charts_for")
    builds = _count_calls(monkeypatch, report_cache, "build_performance_report")
    first = signed_in.get(URL).content
    second = signed_in.get(URL).content
    signed_in.get("/dashboard/")
    signed_in.get("/indicators/overall-crime/")
    assert len(charts) == 1 and len(builds) == 1
    assert first.split(b'name="csrfmiddlewaretoken"')[0] == second.split(b'name="csrfmiddlewaretoken"')[0]


def test_a_change_to_the_data_is_shown_at_once(signed_in):
    from saferhub.performance.models import Indicator
    from saferhub.performance.services import comment_set

    signed_in.get(URL)
    signed_in.get("/dashboard/")
    indicator = Indicator.objects.get(code="overall-crime")
    comment_set(indicator=indicator, period="2016-11", text="A brand new comment on crime.", author="Analyst", now=NOW)
    assert b"A brand new comment on crime." in signed_in.get(URL).content
    Indicator.objects.filter(pk=indicator.pk).update(title="Overall crime (renamed)")
    assert b"Overall crime (renamed)" in signed_in.get(URL).content
    assert b"Overall crime (renamed)" in signed_in.get("/dashboard/").content


def test_a_new_partner_figure_changes_the_version(signed_in):
    from saferhub.partnerships.models import Partnership
    from saferhub.performance.cache import data_version
    from saferhub.performance.models import Indicator, IndicatorValue

    partnership = Partnership.objects.get(slug="safer-plymouth")
    before = data_version(partnership)
    latest = IndicatorValue.objects.filter(indicator__partnership=partnership).order_by("-id").first()
    IndicatorValue.objects.create(
        **{f.name: getattr(latest, f.name) for f in IndicatorValue._meta.concrete_fields if f.name not in ("id",)}
        | {"reported_on": latest.reported_on}
    )
    assert data_version(partnership) != before
    assert Indicator.objects.filter(partnership=partnership).exists()


def test_a_download_is_rendered_once_and_served_again_from_the_cache(signed_in, monkeypatch):
    import saferhub.rendering as rendering
    from saferhub.performance.models import Indicator

    Indicator.objects.update(sensitive=False)  # sensitive figures would ask for the password first
    renders = _count_calls(monkeypatch, rendering, "render_report")
    first = signed_in.get(URL + "download.xlsx")
    second = signed_in.get(URL + "download.xlsx")
    assert first.status_code == second.status_code == 200
    assert first["Content-Type"].startswith("application/vnd.openxmlformats")
    assert first.content == second.content and len(renders) == 1


def test_the_file_cache_is_shared_between_processes(settings, tmp_path, db):
    """The configured cache is files: what one process stores another reads."""
    import subprocess
    import sys

    settings.CACHES = {
        **settings.CACHES,
        "reports": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)},
    }
    caches["reports"].set("shared-key", {"figure": 1575}, 60)
    script = (
        "from django.conf import settings; settings.configure(CACHES={'default': {'BACKEND': "
        f"'django.core.cache.backends.filebased.FileBasedCache', 'LOCATION': {str(tmp_path)!r}}}}});"
        "from django.core.cache import cache; print(cache.get('shared-key'))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "{'figure': 1575}"


def test_a_comment_saved_after_a_reset_of_the_database_shows_at_once(signed_in):
    """The cache outlives the database (make demo, a test run): a comment saved again at the same
    id and count, with other words, must not be served the report cached for the first."""
    from django.db import transaction

    from saferhub.performance.models import AnalystComment, Indicator
    from saferhub.performance.services import comment_set

    indicator = Indicator.objects.get(code="overall-crime")
    page = "/indicators/overall-crime/?period=2016-11"

    class Reset(Exception):
        pass

    try:
        with transaction.atomic():
            first = comment_set(
                indicator=indicator, period="2016-11", text="Words of the first session.", author="A", now=NOW
            )
            assert b"Words of the first session." in signed_in.get(URL).content
            signed_in.get(page)
            raise Reset
    except Reset:
        pass
    # The same id, count and time again (a fresh database reuses them), other words.
    AnalystComment.objects.create(
        id=first.pk,
        indicator=indicator,
        period="2016-11",
        text="Words of the second session.",
        author="A",
        written_at=NOW,
    )
    assert b"Words of the second session." in signed_in.get(URL).content
    html = signed_in.get(page).content.decode()
    form = html[html.index('id="commentary"') :]
    assert "Words of the second session." in form[: form.index("</textarea>")]


def test_new_rendering_code_gives_a_new_version(signed_in, monkeypatch):
    """A renderer changed without RENDER_VERSION bumped (the Word report's sources note, 3 December)
    served the old code's documents from the cache. The version now holds a digest of the code."""
    from saferhub.partnerships.models import Partnership
    from saferhub.performance import cache

    partnership = Partnership.objects.get(slug="safer-plymouth")
    before = cache.data_version(partnership)
    assert cache.code_version() == cache.code_version()  # read once, the same each time
    monkeypatch.setattr(cache, "code_version", lambda: "a-newer-renderer")
    assert cache.data_version(partnership) != before
