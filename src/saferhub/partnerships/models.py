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


class OrganisationKind(models.TextChoices):
    """What an organisation is. The first five are the statutory CSP agencies (Crime and
    Disorder Act 1998, s.5); the PCC is a co-operating body; the rest provide services."""

    LOCAL_AUTHORITY = "local_authority", "Local authority"
    POLICE = "police", "Police"
    FIRE_RESCUE = "fire_rescue", "Fire and rescue"
    PROBATION = "probation", "Probation"
    HEALTH = "health", "Health / CCG"
    PCC = "pcc", "Police and Crime Commissioner"
    STATUTORY_OTHER = "statutory", "Other statutory body"
    VOLUNTARY = "voluntary", "Voluntary"
    CHARITY = "charity", "Charity"
    INDEPENDENT = "independent", "Independent"


STATUTORY_AGENCY_KINDS = (
    OrganisationKind.LOCAL_AUTHORITY,
    OrganisationKind.POLICE,
    OrganisationKind.FIRE_RESCUE,
    OrganisationKind.PROBATION,
    OrganisationKind.HEALTH,
)


class Organisation(models.Model):
    """A body that sits on a board, commissions, or provides services: the council, the police,
    a charity. Users belong to at most one; a provider user sees only its organisation's work."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    charity_number = models.CharField(max_length=20, blank=True)
    company_number = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_statutory_agency(self) -> bool:
        return self.kind in STATUTORY_AGENCY_KINDS
