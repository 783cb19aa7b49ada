"""Published versions: the disclosure-controlled figures exactly as the public pages show them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers

from saferhub.publishing.models import PublishedVersion
from saferhub.security.query import query_slug

from .base import ScopedReadOnlyViewSet


class PublicationSerializer(serializers.ModelSerializer):
    partnership = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = PublishedVersion
        fields = [
            "id",
            "partnership",
            "period",
            "number",
            "rule_name",
            "rule_parameters",
            "approved_by_name",
            "approved_at",
            "checksum",
            "public_url",
        ]

    def get_public_url(self, obj: PublishedVersion) -> str:
        return f"/public/{obj.partnership.slug}/{obj.period}/v{obj.number}/"


class PublicationDetailSerializer(PublicationSerializer):
    # The typed figures written by the one JSON writer: a version of schema 2 exactly as stored,
    # an older one as it reads today.
    figures = serializers.JSONField(source="published_json", read_only=True)

    class Meta(PublicationSerializer.Meta):
        fields = PublicationSerializer.Meta.fields + ["figures"]


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("partnership", OpenApiTypes.STR, description="only this partnership's (slug)")]
    )
)
class PublicationViewSet(ScopedReadOnlyViewSet):
    """Published versions of performance reports; a version never changes."""

    rule = "api.publications.view"
    queryset = PublishedVersion.objects.select_related("partnership").order_by(
        "partnership__slug", "-period", "-number"
    )

    def get_serializer_class(self) -> Any:
        return PublicationDetailSerializer if self.action == "retrieve" else PublicationSerializer

    def get_queryset(self) -> QuerySet:
        qs = super().get_queryset()
        slug = (
            query_slug(self.request.query_params, "partnership") if hasattr(self, "request") and self.request else None
        )
        return qs.filter(partnership__slug=slug) if slug else qs


def register(router) -> None:
    router.register("publications", PublicationViewSet, basename="publication")
