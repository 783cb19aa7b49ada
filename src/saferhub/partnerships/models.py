"""A Community Safety Partnership and the area it covers."""

from __future__ import annotations

from django.db import models


class PartnershipQuerySet(models.QuerySet):
    def current(self) -> "PartnershipQuerySet":
        """The partnerships offered as choices: not retired."""
        return self.filter(retired_at__isnull=True)


class Partnership(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    # The police force areas (ONS E23/W15 codes) that police the area: their files make a month held.
    police_force_areas = models.JSONField(default=list, blank=True)
    # Retired, not deleted: its data and addresses stay for history; it is no longer offered as a choice.
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def local_authorities(self) -> list[str]:
        """The districts (ONS codes) the area was defined with."""
        return [a.value for a in self.areas.all() if a.kind == AreaKind.LOCAL_AUTHORITY]

    def lsoa_codes(self) -> list[str]:
        return [a.value for a in self.areas.all() if a.kind == AreaKind.LSOA]

    def csp_codes(self) -> list[str]:
        return [a.value for a in self.areas.all() if a.kind == AreaKind.CSP]


class AreaKind(models.TextChoices):
    CSP = "csp", "Community Safety Partnership (ONS code)"
    LOCAL_AUTHORITY = "local_authority", "Local authority district (ONS code)"
    LSOA = "lsoa", "LSOA code (2011 or 2021)"


class PartnershipArea(models.Model):
    """One piece of a partnership's area as it was defined: a CSP, a district (current or former)
    or one LSOA, each by its ONS code. What LSOAs these make is kept in PartnershipLsoa."""

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


class PartnershipLsoa(models.Model):
    """One LSOA code (2011 or 2021) of a partnership's area, resolved from its PartnershipArea
    pieces through the shipped ONS lookups (saferhub.domain.geography). police.uk counts are
    kept by LSOA, so a partnership's figures are its LSOAs' counts, each LSOA once."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="lsoas")
    lsoa = models.CharField(max_length=9)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "lsoa"], name="partnership_lsoa_unique")]
        indexes = [models.Index(fields=["lsoa"], name="partnership_lsoa_code")]


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


class OrganisationQuerySet(models.QuerySet):
    def current(self) -> "OrganisationQuerySet":
        """The organisations offered as choices: not retired."""
        return self.filter(retired_at__isnull=True)


class Organisation(models.Model):
    """A body that sits on a board, commissions, or provides services: the council, the police,
    a charity. Users belong to at most one; a provider user sees only its organisation's work."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    charity_number = models.CharField(max_length=20, blank=True)
    company_number = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Retired, not deleted: its history (funds, seats, users) stays; it is no longer offered as a choice.
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_statutory_agency(self) -> bool:
        return self.kind in STATUTORY_AGENCY_KINDS
