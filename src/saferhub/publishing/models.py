"""Publication of performance reports to the public.

An analyst proposes a report (partnership, reporting month); an admin or commissioner other than
the proposer approves it, which freezes a ``PublishedVersion``: the disclosure-controlled figures, the rule that made
them, who approved them and when, and a checksum. A version never changes: later data changes
do not touch it, and publishing the same month again makes a new version.
"""

from __future__ import annotations

import hashlib
import json
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from saferhub.choices import text_choices
from saferhub.domain import publication
from saferhub.domain.problems import SaferhubError
from saferhub.domain.published import PublishedFigures
from saferhub.partnerships.models import Partnership
from saferhub.rendering.published_json import Json, figures_json, read_figures

# The domain's publication states (saferhub.domain.publication), as Django choices.
PublicationState = text_choices(publication.PublicationState)


class Publication(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="publications")
    period = models.CharField(max_length=7)  # the report month, YYYY-MM
    state = models.CharField(max_length=10, choices=PublicationState.choices, default=PublicationState.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    note = models.TextField(blank=True)
    # SHA-256 of the keyed prints of the month's true cells as proposed (services.true_prints;
    # blank on proposals made before it was kept): if they change, approval is refused.
    figures_checksum = models.CharField(max_length=64, blank=True)
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=PublicationState.values), name="publication_state_valid"),
            # One open proposal per report at a time.
            models.UniqueConstraint(
                fields=["partnership", "period"],
                condition=Q(state=PublicationState.PROPOSED),
                name="publication_one_open_proposal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} {self.period} ({self.get_state_display()})"

    @property
    def state_colour(self) -> str:
        """The GOV.UK tag colour of its state (the domain's word for it)."""
        return publication.PublicationState(self.state).colour


class FrozenError(SaferhubError):
    """A published version is never changed or deleted."""


class PublishedVersionQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise FrozenError("published versions never change")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise FrozenError("published versions are never deleted")


class PublishedVersion(models.Model):
    publication = models.OneToOneField(Publication, on_delete=models.PROTECT, related_name="version")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="published_versions")
    period = models.CharField(max_length=7)
    number = models.PositiveIntegerField()  # 1, 2, ... for the same partnership and month
    figures = models.JSONField()  # as stored, of its schema: read it as ``published``
    rule_name = models.CharField(max_length=100)
    rule_parameters = models.JSONField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by_name = models.CharField(max_length=150)  # kept as it was, whatever happens to the user
    approved_at = models.DateTimeField()
    checksum = models.CharField(max_length=64)  # SHA-256 of the canonical JSON of figures and rule
    # The disclosure audit run before publication: each suppressed cell's possible range given
    # every figure published so far, and whether each rule's range stayed possible.
    audit = models.JSONField(default=dict)
    # Keyed hashes (HMAC with the site's secret key) of every cell's true count, not published:
    # a later version can tell an unrevised cell (the same unknown) from a revised one (a new one).
    cell_fingerprints = models.JSONField(default=dict)

    objects = PublishedVersionQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-period", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "period", "number"], name="published_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} {self.period} version {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise FrozenError("published versions never change")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise FrozenError("published versions are never deleted")

    @cached_property
    def published(self) -> PublishedFigures:
        """The stored figures as the typed value, whatever the schema they were stored in."""
        return read_figures(self.figures)

    @property
    def published_json(self) -> Json:
        """The figures as the JSON writer gives them now (what the API serves)."""
        return figures_json(self.published)

    def verify(self) -> bool:
        return self.checksum == version_checksum(self.figures, self.rule_name, self.rule_parameters)


def version_checksum(figures: Any, rule_name: str, rule_parameters: Any) -> str:
    canonical = json.dumps(
        {"figures": figures, "rule": {"name": rule_name, "parameters": rule_parameters}},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
