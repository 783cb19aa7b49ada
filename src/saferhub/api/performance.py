"""Indicators with their values, and the performance report."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from saferhub.domain.calendar import Month, PeriodError
from saferhub.partnerships.models import Partnership
from saferhub.performance.models import Indicator
from saferhub.performance.permissions import FIGURES
from saferhub.performance.cache import performance_report
from saferhub.performance.report import number
from saferhub.performance.selectors import observations_for

from .base import ScopedReadOnlyViewSet


class ValueSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="YYYY-MM, or YYYY-Qn for a quarter of the financial year starting in YYYY")
    value = serializers.FloatField(allow_null=True)
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)


class IndicatorSerializer(serializers.ModelSerializer):
    values = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = ["code", "title", "polarity", "frequency", "unit", "source", "crime_types", "noun", "owner",
                  "notes", "sensitive", "values"]

    @extend_schema_field(ValueSerializer(many=True))
    def get_values(self, obj: Indicator) -> list[dict[str, Any]]:
        series = self.context["observations"].get(obj.code, {})
        return [{"period": p, "value": number(o.value, 4), "numerator": number(o.numerator, 4),
                 "denominator": number(o.denominator, 4)} for p, o in sorted(series.items())]


def _partnership(slug: str) -> Partnership:
    p = Partnership.objects.prefetch_related("areas").filter(slug=slug).first()
    if p is None:
        raise Http404("No such partnership")
    return p


class IndicatorViewSet(ScopedReadOnlyViewSet):
    """A partnership's indicators, each with its values (the latest revision of each period)."""

    rule = FIGURES
    queryset = Indicator.objects.order_by("position", "code")
    serializer_class = IndicatorSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Indicator.objects.none()
        return super().get_queryset().filter(partnership=_partnership(self.kwargs["partnership_slug"]))

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False) and "partnership_slug" in self.kwargs:
            partnership = _partnership(self.kwargs["partnership_slug"])
            indicators = list(Indicator.objects.filter(partnership=partnership))
            context["observations"] = observations_for(partnership, indicators)
        return context


class PerformanceReportView(APIView):
    """The performance report of a partnership for a reporting month: the same JSON structure
    as ``saferhub report`` and the report pages are made from."""

    rule = FIGURES

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Performance report for a month")
    def get(self, request: Request, slug: str, period: str) -> Response:
        partnership = _partnership(slug)
        try:
            month = Month.parse(period)
        except PeriodError:
            raise Http404("No such period") from None
        return Response(performance_report(partnership, month))


def register(router) -> None:
    router.register(r"partnerships/(?P<partnership_slug>[-a-zA-Z0-9_]+)/indicators", IndicatorViewSet, basename="indicator")


def paths() -> list:
    from django.urls import path

    return [path("partnerships/<slug:slug>/reports/performance/<str:period>/", PerformanceReportView.as_view(),
                 name="report-performance")]
