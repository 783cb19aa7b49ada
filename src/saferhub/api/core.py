"""Partnerships and organisations."""

from __future__ import annotations

from rest_framework import serializers

from saferhub.partnerships.models import Organisation, Partnership

from .base import ScopedReadOnlyViewSet


class PartnershipSerializer(serializers.ModelSerializer):
    local_authorities = serializers.SerializerMethodField()
    lsoa_codes = serializers.SerializerMethodField()

    class Meta:
        model = Partnership
        fields = ["slug", "name", "local_authorities", "lsoa_codes"]

    def get_local_authorities(self, obj: Partnership) -> list[str]:
        return obj.local_authorities()

    def get_lsoa_codes(self, obj: Partnership) -> list[str]:
        return obj.lsoa_codes()


class PartnershipViewSet(ScopedReadOnlyViewSet):
    """Community Safety Partnerships."""

    rule = "api.partnerships.view"
    queryset = Partnership.objects.prefetch_related("areas").order_by("name")
    serializer_class = PartnershipSerializer
    lookup_field = "slug"


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "charity_number", "company_number"]


class OrganisationViewSet(ScopedReadOnlyViewSet):
    """Organisations. A provider user sees only its own."""

    rule = "api.organisations.view"
    queryset = Organisation.objects.order_by("name")
    serializer_class = OrganisationSerializer
    organisation_field = "pk"


def register(router) -> None:
    router.register("partnerships", PartnershipViewSet, basename="partnership")
    router.register("organisations", OrganisationViewSet, basename="organisation")
