"""Indicators, the figures behind them and the import runs that brought the figures in.

Every stored figure points to the run that brought it, and every run records its files'
checksums, so a report can say exactly where each number came from.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from saferhub.choices import text_choices
from saferhub.domain import indicators, status
from saferhub.partnerships.models import Partnership

# The domain's polarity (saferhub.domain.status), as Django choices.
Polarity = text_choices(status.Polarity)


# The domain's indicator words (saferhub.domain.indicators), as Django choices.
Frequency = text_choices(indicators.Frequency)
Unit = text_choices(indicators.Unit)
Source = text_choices(indicators.Source)
TargetKind = text_choices(indicators.TargetKind)
ImportKind = text_choices(indicators.ImportKind)


class Indicator(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    polarity = models.CharField(max_length=20, choices=Polarity.choices)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    unit = models.CharField(max_length=12, choices=Unit.choices, default=Unit.COUNT)
    source = models.CharField(max_length=10, choices=Source.choices)
    # police.uk API slugs counted by a police.uk indicator; empty for partner figures.
    crime_types = models.JSONField(default=list, blank=True)
    noun = models.CharField(
        max_length=120, help_text='What is counted, for commentary: "anti-social behaviour incidents".'
    )
    owner = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    # Domestic abuse, sexual violence, child sexual exploitation, hate crime, anything about
    # children: published only at partnership x quarter level, with stricter suppression.
    sensitive = models.BooleanField(default=False)
    # Retired, not deleted: its figures and targets stay for history; it leaves the dashboard and reports.
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partnership", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="indicator_code_unique"),
            models.CheckConstraint(condition=Q(polarity__in=Polarity.values), name="indicator_polarity_valid"),
            models.CheckConstraint(condition=Q(frequency__in=Frequency.values), name="indicator_frequency_valid"),
            models.CheckConstraint(condition=Q(unit__in=Unit.values), name="indicator_unit_valid"),
            models.CheckConstraint(condition=Q(source__in=Source.values), name="indicator_source_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"


class ImportRun(models.Model):
    """One successful import. A failed import leaves no trace in the data, by design."""

    kind = models.CharField(max_length=12, choices=ImportKind.choices)
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.SET_NULL, related_name="import_runs"
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    files = models.PositiveIntegerField(default=0)
    files_unchanged = models.PositiveIntegerField(default=0)
    rows_read = models.BigIntegerField(default=0)
    rows_without_location = models.BigIntegerField(default=0)
    rows_in_area = models.BigIntegerField(null=True, blank=True)
    rows_outside_area = models.BigIntegerField(null=True, blank=True)
    values_added = models.PositiveIntegerField(default=0)
    values_unchanged = models.PositiveIntegerField(default=0)
    targets_set = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import #{self.pk} at {self.started_at:%Y-%m-%d %H:%M}"


class ImportedFile(models.Model):
    class Outcome(models.TextChoices):
        LOADED = "loaded", "Loaded"
        REPLACED = "replaced", "Replaced an earlier publication"
        UNCHANGED = "unchanged", "Unchanged (same checksum already held)"
        SUPERSEDED = "superseded", "Superseded by a later file for the same force-month in this import"

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="imported_files")
    name = models.CharField(max_length=500)
    checksum = models.CharField(max_length=64)
    checksum_algorithm = models.CharField(max_length=10, default="sha256")
    size = models.BigIntegerField()
    rows = models.BigIntegerField(default=0)
    force = models.CharField(max_length=120, blank=True)
    month = models.CharField(max_length=7, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)

    class Meta:
        ordering = ["run", "name"]
        indexes = [models.Index(fields=["checksum"])]


class ForceMonth(models.Model):
    """The police.uk publication currently held for one force and month. Its counts by LSOA and
    crime type are in the columnar store (saferhub.performance.counts_store). A republished
    month replaces it."""

    force = models.CharField(max_length=120)
    month = models.CharField(max_length=7)
    source = models.ForeignKey(ImportedFile, on_delete=models.PROTECT, related_name="+")
    rows = models.BigIntegerField()
    rows_without_location = models.BigIntegerField()
    # Its counts: the rows of this part of this Parquet file of the columnar store.
    counts_file = models.CharField(max_length=64, default="")
    counts_part = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["force", "month"], name="force_month_unique")]
        ordering = ["force", "month"]


def crime_type_column(slug: str) -> str:
    """The counts column of a police.uk crime type slug: "anti-social-behaviour" -> "anti_social_behaviour"."""
    return slug.replace("-", "_")


class IndicatorValue(models.Model):
    """One revision of a partner-supplied figure. The latest ``reported_on`` wins; earlier
    revisions are kept so that a report can be reproduced as it stood."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.CharField(max_length=7)
    value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    reported_on = models.DateField()
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="indicator_values")

    class Meta:
        ordering = ["indicator", "period", "reported_on", "id"]
        indexes = [models.Index(fields=["indicator", "period"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=False) | (Q(numerator__isnull=False) & Q(denominator__isnull=False)),
                name="indicator_value_has_figure",
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="indicator_value_denominator_positive",
            ),
        ]


class TargetValue(models.Model):
    """The target for one period of a financial year: a point on a cumulative trajectory, or a
    flat level for that period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period = models.CharField(max_length=7)
    value = models.DecimalField(max_digits=16, decimal_places=4)
    kind = models.CharField(max_length=10, choices=TargetKind.choices)
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="targets")

    class Meta:
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="target_period_unique"),
            models.CheckConstraint(condition=Q(kind__in=TargetKind.values), name="target_kind_valid"),
        ]


class AnalystComment(models.Model):
    """The analyst's own words on an indicator for one reporting month, shown beside the
    generated commentary. Edits keep their history as new rows; the latest is shown."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="comments")
    period = models.CharField(max_length=7)  # the reporting month, YYYY-MM
    text = models.TextField()
    author = models.CharField(max_length=150, blank=True)
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["indicator", "period", "written_at", "id"]
        indexes = [models.Index(fields=["indicator", "period"])]


UploadStatus = text_choices(indicators.UploadStatus)


class Upload(models.Model):
    """Files uploaded through the web for one import, and what became of them. Unlike an
    ImportRun (which exists only for a successful import), an upload also records a rejection
    and the lines at fault, so the person who sent the files can see why."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="uploads")
    kind = models.CharField(max_length=12, choices=ImportKind.choices)
    status = models.CharField(max_length=10, choices=UploadStatus.choices, default=UploadStatus.QUEUED)
    uploaded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_names = models.JSONField(default=list)
    directory = models.CharField(max_length=500, blank=True)
    run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="uploads")
    # What happened to each line (partner figures) or file (police.uk): added, replaced, unchanged.
    outcomes = models.JSONField(default=list, blank=True)
    # Why it was rejected: ImportProblem fields (file, line, field, message).
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=UploadStatus.values), name="upload_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=ImportKind.values), name="upload_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"upload #{self.pk} ({self.get_kind_display()}, {self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (UploadStatus.DONE, UploadStatus.FAILED)

    @property
    def status_colour(self) -> str:
        """The GOV.UK tag colour of its status (the domain's word for it)."""
        return indicators.UploadStatus(self.status).colour
