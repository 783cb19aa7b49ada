"""A board paper (a PDF) is an upload like any other: the same limits, the same GOV.UK message."""

from django.core.files.uploadedfile import SimpleUploadedFile

from saferhub.governance.models import Paper

from .conftest import blank_pdf
from .test_views_form_errors import BASE, assert_govuk_errors


def test_a_paper_over_the_upload_limit_is_refused_naming_the_limit(client, users, business, settings):
    settings.SAFERHUB_MAX_UPLOAD_BYTES = 1_000
    client.force_login(users["analyst"])
    m, item = business["meeting"], business["item"]
    before = Paper.objects.count()
    pdf = blank_pdf(3)
    assert len(pdf) > 1_000
    response = client.post(
        f"{BASE}meetings/{m.pk}/add-paper/",
        {"item": item.pk, "title": "Too big", "file": SimpleUploadedFile("big.pdf", pdf, "application/pdf")},
    )
    assert_govuk_errors(response, {"paper-file": "Big.pdf must be smaller than 1,000 bytes"})
    assert Paper.objects.count() == before
