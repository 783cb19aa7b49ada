"""The performance models' choices are the domain's words, declared once (saferhub.domain.indicators)."""

from __future__ import annotations

from saferhub.domain import indicators
from saferhub.performance.models import ImportRun, Upload


def test_the_kind_of_an_import_and_an_upload_is_the_domains_import_kind():
    words = [(k.value, k.label) for k in indicators.ImportKind]
    assert words == [("policeuk", "police.uk street files"), ("indicators", "Partner indicator figures")]
    assert ImportRun._meta.get_field("kind").choices == words
    assert Upload._meta.get_field("kind").choices == words
