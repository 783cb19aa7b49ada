"""Public reads are counted, not audited one by one (issue 12, finding 9): a flood of anonymous
downloads of a published CSV adds no audit rows, only to one counter row per version and day."""

from __future__ import annotations

import pytest

from saferhub.audit.models import AuditEvent
from saferhub.domain.calendar import Month
from saferhub.publishing.services import publication_approve, publication_propose

from .conftest import NOW


@pytest.fixture
def published(partnership, users):
    p = publication_propose(partnership=partnership, period=Month(2016, 8), actor=users["analyst"], now=NOW)
    return publication_approve(publication=p, actor=users["admin"], now=NOW)


def test_a_flood_of_public_csv_downloads_writes_no_audit_rows_but_is_counted(client, published):
    before = AuditEvent.objects.count()
    for url in ["/public/testcsp/2016-08/figures.csv"] * 30 + ["/public/testcsp/2016-08/v1/figures.csv"] * 20:
        assert client.get(url).status_code == 200
    assert AuditEvent.objects.count() == before
    from saferhub.audit.models import ReadCount

    counter = ReadCount.objects.get()
    assert counter.count == 50 and counter.what == "figures.csv"
    assert (counter.object_type, counter.object_id) == ("publishing.publishedversion", str(published.pk))


def test_a_signed_in_reader_is_counted_the_same_way(client, published, users):
    from saferhub.audit.models import ReadCount

    client.force_login(users["board"])
    before = AuditEvent.objects.count()
    client.get("/public/testcsp/2016-08/figures.csv")
    assert AuditEvent.objects.count() == before and ReadCount.objects.get().count == 1


def test_counts_are_kept_per_day(published):
    import datetime

    from saferhub.audit.models import ReadCount
    from saferhub.audit.services import read_count

    for days in (0, 0, 1):
        read_count(obj=published, what="figures.csv", at=NOW + datetime.timedelta(days=days))
    assert sorted(ReadCount.objects.values_list("count", flat=True)) == [1, 2]


def test_json_downloads_are_counted_as_the_csv_downloads_are(client, published):
    """The JSON download said it was counted like the CSV, but nothing counted it."""
    from saferhub.audit.models import ReadCount

    before = AuditEvent.objects.count()
    for url in ["/public/testcsp/2016-08/figures.json"] * 3 + ["/public/testcsp/2016-08/v1/figures.json"] * 2:
        assert client.get(url).status_code == 200
    assert AuditEvent.objects.count() == before
    counter = ReadCount.objects.get()
    assert counter.count == 5 and counter.what == "figures.json"
