"""The web pages' template helpers."""

from __future__ import annotations

from saferhub.domain.indicators import UploadOutcome
from saferhub.performance.templatetags.webapp import outcome_colour


def test_an_uploads_outcome_is_tagged_in_its_enums_colour():
    assert [outcome_colour(o.value) for o in UploadOutcome] == [o.colour for o in UploadOutcome]
    assert outcome_colour("added") == "green" and outcome_colour("replaced") == "blue"
    assert outcome_colour("something else") == "grey"
