"""Django's choices built from the domain's vocabulary, so that each state, polarity and status
is declared once (in ``saferhub.domain``) and the models, forms and templates read the same
words: the stored values and the labels are the domain enum's own."""

from __future__ import annotations

from enum import Enum
from typing import Any

from django.db import models


def text_choices(domain_enum: type[Enum]) -> Any:
    """A ``models.TextChoices`` with the members, values and labels (each member's ``label``) of
    ``domain_enum``: ``.choices`` and ``.values`` for fields and constraints, ``.label`` on a member."""
    members = [(m.name, (m.value, getattr(m, "label"))) for m in domain_enum]
    return models.TextChoices(domain_enum.__name__, members)
