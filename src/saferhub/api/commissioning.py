"""Funds and projects: what the partnership was awarded, what it allocated and spent, and each
project's funding, spend, RAG rating and KPIs with their actuals.

The rules are commissioning's own (``commissioning.view``). A provider user sees every fund's
totals (as the commissioning overview page shows them) but only its organisation's projects;
another organisation's project answers 404, audited. Money is a string with two decimals, computed
the way the half-year return and the pages compute it (``spend_to_date`` adds a year's halves).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from saferhub.accounts.permissions import roles, rule
from saferhub.commissioning.models import Award, Fund, Project, ProjectReturn, Rag, SpendLine
from saferhub.domain.commissioning import FundYearFigures
from saferhub.security.query import query_id, query_slug, query_year

from .base import ScopedReadOnlyViewSet
from .permissions import EVERY_ROLE, deferring

ZERO = Decimal("0.00")

rule("api.funds.view")(deferring("commissioning.view", roles(*EVERY_ROLE)))
rule("api.projects.view")(deferring("commissioning.view", roles(*EVERY_ROLE)))  # a provider sees its own (scoped)


def Money(**kwargs: Any) -> serializers.DecimalField:  # noqa: N802  (reads as a field class)
    return serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True, read_only=True, **kwargs)


# ----- funds


class AwardSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="the calendar year in which the financial year starts")
    financial_year = serializers.CharField(source="year_label", help_text="e.g. 2017/18")
    amount = Money(help_text="the award for the year")
    carried_forward = Money(help_text="carried forward into the year")
    carried_forward_note = serializers.CharField()
    available = Money(help_text="amount + carried_forward")
    allocated = Money(help_text="the sum of the year's projects' funding")
    spent = Money(help_text="the year's spend to date over all its projects")
    unallocated = Money(help_text="available - allocated")
    decided_on = serializers.DateField(allow_null=True)


def award_figures(award: Award) -> dict[str, Any]:
    """An award with what the year's projects were allocated and have spent (every project of
    the year, whoever asks: these are the fund's totals)."""
    allocated = Project.objects.filter(fund_id=award.fund_id, year=award.year).aggregate(s=Sum("amount"))["s"] or ZERO
    spent = (
        SpendLine.objects.filter(
            project_return__project__fund_id=award.fund_id,
            project_return__project__year=award.year,
            project_return__period__startswith=f"{award.year}-H",
        ).aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    figures = FundYearFigures(award.available, allocated, spent)
    return {
        "year": award.year,
        "year_label": award.year_label,
        "amount": award.amount,
        "carried_forward": award.carried_forward,
        "carried_forward_note": award.carried_forward_note,
        "available": figures.available,
        "allocated": figures.allocated,
        "spent": figures.spent,
        "unallocated": figures.unallocated,
        "decided_on": award.decided_on,
    }


class FundSerializer(serializers.ModelSerializer):
    partnership = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    funder = serializers.SlugRelatedField(slug_field="name", read_only=True)
    awards = serializers.SerializerMethodField()

    class Meta:
        model = Fund
        fields = ["id", "partnership", "slug", "name", "funder", "channelled_through", "awards"]

    @extend_schema_field(AwardSerializer(many=True))
    def get_awards(self, obj: Fund) -> list[dict[str, Any]]:
        return AwardSerializer([award_figures(a) for a in obj.awards.all()], many=True).data


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("partnership", OpenApiTypes.STR, description="only this partnership's (slug)")]
    )
)
class FundViewSet(ScopedReadOnlyViewSet):
    """Funds, each with its awards by financial year: carried forward, allocated, spent, unallocated."""

    rule = "api.funds.view"
    queryset = (
        Fund.objects.select_related("partnership", "funder")
        .prefetch_related("awards")
        .order_by("partnership__slug", "name")
    )
    serializer_class = FundSerializer

    def get_queryset(self) -> QuerySet:
        qs = super().get_queryset()
        slug = query_slug(self.request.query_params, "partnership") if getattr(self, "request", None) else None
        return qs.filter(partnership__slug=slug) if slug else qs


# ----- projects


class CoFunderSerializer(serializers.Serializer):
    name = serializers.CharField()
    amount = Money(allow_null=True)
    note = serializers.CharField()


class ProviderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class ActualSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="the half year of the return, e.g. 2017-H1")
    review_state = serializers.CharField()
    value = Money(allow_null=True)
    note = serializers.CharField()


class KpiSerializer(serializers.Serializer):
    name = serializers.CharField()
    measure = serializers.CharField()
    annual_target = serializers.CharField()
    target_value = Money(allow_null=True)
    target_to_be_agreed = serializers.BooleanField()
    evidence_source = serializers.CharField()
    reporting_mechanism = serializers.CharField()
    actuals = ActualSerializer(many=True, help_text="one per return that gave a value, oldest first")


class LatestReturnSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.CharField()
    review_state = serializers.CharField()


def _returns(project: Project) -> list[ProjectReturn]:
    return sorted(project.returns.all(), key=lambda r: r.period)  # prefetched; "2017-H1" < "2017-H2"


class ProjectSerializer(serializers.ModelSerializer):
    fund = serializers.PrimaryKeyRelatedField(read_only=True)
    partnership = serializers.SerializerMethodField()
    financial_year = serializers.CharField(source="year_label", read_only=True)
    provider = serializers.SerializerMethodField()
    funding = Money(source="amount")
    carried_forward_included = Money()
    share_of_service = serializers.CharField(read_only=True)
    total_service_budget = Money(allow_null=True)
    cofunders = CoFunderSerializer(many=True, read_only=True)
    spend_to_date = serializers.SerializerMethodField()
    rag = serializers.SerializerMethodField()
    rag_label = serializers.SerializerMethodField()
    latest_return = serializers.SerializerMethodField()
    kpis = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "fund",
            "partnership",
            "year",
            "financial_year",
            "letter",
            "title",
            "provider",
            "provider_note",
            "commissioning_body",
            "funding",
            "carried_forward_included",
            "share_of_service",
            "total_service_budget",
            "cofunders",
            "contract_start",
            "contract_end",
            "spend_to_date",
            "rag",
            "rag_label",
            "latest_return",
            "kpis",
        ]

    def get_partnership(self, obj: Project) -> str:
        return obj.fund.partnership.slug

    @extend_schema_field(ProviderSerializer(allow_null=True))
    def get_provider(self, obj: Project) -> dict[str, Any] | None:
        p = obj.provider
        return None if p is None else {"id": p.pk, "name": p.name, "kind": p.kind}

    @extend_schema_field(Money())
    def get_spend_to_date(self, obj: Project) -> str:
        # As ``spend_to_date(project, "<year>-H2")``: every half of the project's year.
        lines = (s.amount for r in _returns(obj) if r.period.startswith(f"{obj.year}-H") for s in r.spend_lines.all())
        return f"{sum(lines, ZERO):.2f}"

    def _latest(self, obj: Project) -> ProjectReturn | None:
        returns = _returns(obj)
        return returns[-1] if returns else None

    @extend_schema_field(serializers.ChoiceField(choices=Rag.choices, allow_null=True))
    def get_rag(self, obj: Project) -> str | None:
        latest = self._latest(obj)
        return (latest.rag or None) if latest else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_rag_label(self, obj: Project) -> str | None:
        latest = self._latest(obj)
        return Rag(latest.rag).label if latest and latest.rag else None

    @extend_schema_field(LatestReturnSerializer(allow_null=True))
    def get_latest_return(self, obj: Project) -> dict[str, Any] | None:
        latest = self._latest(obj)
        return None if latest is None else {"id": latest.pk, "period": latest.period, "review_state": latest.state}

    @extend_schema_field(KpiSerializer(many=True))
    def get_kpis(self, obj: Project) -> list[dict[str, Any]]:
        by_kpi: dict[int, list[dict[str, Any]]] = {}
        for r in _returns(obj):
            for a in r.actuals.all():
                by_kpi.setdefault(a.kpi_id, []).append(
                    {"period": r.period, "review_state": r.state, "value": a.value, "note": a.note}
                )
        rows = [
            {
                "name": k.name,
                "measure": k.measure,
                "annual_target": k.annual_target,
                "target_value": k.target_value,
                "target_to_be_agreed": k.target_to_be_agreed,
                "evidence_source": k.evidence_source,
                "reporting_mechanism": k.reporting_mechanism,
                "actuals": by_kpi.get(k.pk, []),
            }
            for k in obj.kpis.all()
        ]
        return KpiSerializer(rows, many=True).data


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("partnership", OpenApiTypes.STR, description="only this partnership's (slug)"),
            OpenApiParameter("fund", OpenApiTypes.INT, description="only this fund's (id)"),
            OpenApiParameter("year", OpenApiTypes.INT, description="only this financial year's (the year it starts)"),
        ]
    )
)
class ProjectViewSet(ScopedReadOnlyViewSet):
    """Projects (contracts) a fund pays for. A provider user sees only its organisation's."""

    rule = "api.projects.view"
    queryset = (
        Project.objects.select_related("fund", "fund__partnership", "provider")
        .prefetch_related(
            "cofunders",
            "kpis",
            Prefetch("returns", queryset=ProjectReturn.objects.prefetch_related("spend_lines", "actuals")),
        )
        .order_by("fund__partnership__slug", "fund__name", "-year", "letter")
    )
    serializer_class = ProjectSerializer
    organisation_field = "provider_id"

    def get_queryset(self) -> QuerySet:
        qs = super().get_queryset()
        if self.action != "list" or not getattr(self, "request", None):
            return qs
        params = self.request.query_params
        slug, fund, year = query_slug(params, "partnership"), query_id(params, "fund"), query_year(params, "year")
        if slug is not None:
            qs = qs.filter(fund__partnership__slug=slug)
        if fund is not None:
            qs = qs.filter(fund=fund)
        if year is not None:
            qs = qs.filter(year=year)
        return qs


def register(router) -> None:
    router.register("funds", FundViewSet, basename="fund")
    router.register("projects", ProjectViewSet, basename="project")
