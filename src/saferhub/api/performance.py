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

from saferhub.domain.calendar import PeriodError
from saferhub.domain.report import figure
from saferhub.partnerships.models import Partnership
from saferhub.performance.cache import performance_report
from saferhub.performance.models import Indicator
from saferhub.performance.permissions import FIGURES
from saferhub.performance.selectors import observations_for
from saferhub.rendering.report_json import json_figure, report_json
from saferhub.security.query import month_in_range

from .base import ScopedReadOnlyViewSet
from .sensitive import require_sensitive_read, sensitive_export_record, sensitive_read


class ValueSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="YYYY-MM, or YYYY-Qn for a quarter of the financial year starting in YYYY")
    value = serializers.FloatField(allow_null=True)
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)


class IndicatorSerializer(serializers.ModelSerializer):
    values = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "code",
            "title",
            "polarity",
            "frequency",
            "unit",
            "source",
            "crime_types",
            "noun",
            "owner",
            "notes",
            "sensitive",
            "values",
        ]

    @extend_schema_field(ValueSerializer(many=True))
    def get_values(self, obj: Indicator) -> list[dict[str, Any]]:
        series = self.context["observations"].get(obj.code, {})
        return [
            {
                "period": p,
                "value": json_figure(figure(o.value, 4)),
                "numerator": json_figure(figure(o.numerator, 4)),
                "denominator": json_figure(figure(o.denominator, 4)),
            }
            for p, o in sorted(series.items())
        ]


def _partnership(slug: str) -> Partnership:
    p = Partnership.objects.prefetch_related("areas").filter(slug=slug).first()
    if p is None:
        raise Http404("No such partnership")
    return p


class IndicatorViewSet(ScopedReadOnlyViewSet):
    """A partnership's indicators, each with its values (the latest revision of each period).
    A sensitive indicator needs a token with the read:sensitive scope (or, in the browser, the
    password re-entered); each such read is an audited export."""

    rule = FIGURES
    queryset = Indicator.objects.order_by("position", "code")
    serializer_class = IndicatorSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Indicator.objects.none()
        return super().get_queryset().filter(partnership=_partnership(self.kwargs["partnership_slug"]))

    def get_object(self) -> Indicator:
        # The partnership's own indicator of that code (codes repeat across partnerships).
        indicator = self.get_queryset().filter(code=self.kwargs["code"]).first()
        if indicator is None:
            raise Http404("No such indicator")
        return indicator

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Sensitive indicators are listed only to a caller who may read them; that read is an export."""
        qs = self.get_queryset()
        if not sensitive_read(request)[0]:
            qs = qs.exclude(sensitive=True)
        indicators = list(qs)
        held = [i.code for i in indicators if i.sensitive]
        if held:
            sensitive_export_record(
                request,
                indicators[0].partnership,
                f"indicators with their values, sensitive ones included ({', '.join(held)})",
            )
        return Response(self.get_serializer(indicators, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        indicator = self.get_object()
        if indicator.sensitive:
            require_sensitive_read(request, indicator)
            sensitive_export_record(request, indicator, f"sensitive indicator {indicator.code} with its values")
        return Response(self.get_serializer(indicator).data)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False) and "partnership_slug" in self.kwargs:
            partnership = _partnership(self.kwargs["partnership_slug"])
            indicators = list(Indicator.objects.filter(partnership=partnership))
            context["observations"] = observations_for(partnership, indicators)
        return context


class PerformanceReportView(APIView):
    """The performance report of a partnership for a reporting month: the same JSON structure
    as ``saferhub report`` and the report pages are made from. With sensitive indicators it
    needs the read:sensitive scope (or the password re-entered) and is an audited export."""

    rule = FIGURES

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Performance report for a month")
    def get(self, request: Request, slug: str, period: str) -> Response:
        partnership = _partnership(slug)
        try:
            month = month_in_range(period)
        except PeriodError:
            raise Http404("No such period") from None
        sensitive = Indicator.objects.filter(partnership=partnership, sensitive=True).exists()
        if sensitive:  # the report holds every figure unsuppressed: an export, as the web download
            require_sensitive_read(request, partnership)
        report = performance_report(partnership, month)
        if sensitive:
            sensitive_export_record(request, partnership, f"performance report {month.label} as JSON")
        return Response(report_json(report))


def register(router) -> None:
    router.register(
        r"partnerships/(?P<partnership_slug>[-a-zA-Z0-9_]+)/indicators", IndicatorViewSet, basename="indicator"
    )


def paths() -> list:
    from django.urls import path

    return [
        path(
            "partnerships/<slug:slug>/reports/performance/<str:period>/",
            PerformanceReportView.as_view(),
            name="report-performance",
        )
    ]
