"""A Community Safety Partnership and the area it covers."""

from __future__ import annotations

from django.db import models


class Partnership(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def local_authorities(self) -> list[str]:
        return [a.value for a in self.areas.all() if a.kind == AreaKind.LOCAL_AUTHORITY]

    def lsoa_codes(self) -> list[str]:
        return [a.value for a in self.areas.all() if a.kind == AreaKind.LSOA]


class AreaKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority (by LSOA name)"
    LSOA = "lsoa", "LSOA code"


class PartnershipArea(models.Model):
    """One piece of a partnership's area: a local authority, matched by the LSOA names of
    police.uk ("Plymouth 001A" is in Plymouth), or one LSOA by its code."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="areas")
    kind = models.CharField(max_length=20, choices=AreaKind.choices)
    value = models.CharField(max_length=120)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "kind", "value"], name="partnership_area_unique"),
            models.CheckConstraint(condition=models.Q(kind__in=AreaKind.values), name="partnership_area_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"
