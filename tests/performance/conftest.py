import datetime

import pytest
from django.utils import timezone

from saferhub.performance import counts_store
from saferhub.performance.models import (
    AnalystComment,
    ForceMonth,
    ImportedFile,
    ImportRun,
    IndicatorValue,
    TargetValue,
)

from ..conftest import standard_partnership

NOW = timezone.make_aware(datetime.datetime(2019, 12, 20, 9, 0))


def police_count_rows():
    """Every held count row of the columnar store, as (force, month, area_kind, area, *counts)."""
    fms = {pk: (force, month) for pk, force, month in ForceMonth.objects.values_list("pk", "force", "month")}
    return sorted((*fms[fm], *rest) for fm, *rest in counts_store.all_rows())


def data_snapshot():
    """Everything an import may write, as comparable values."""
    return (
        sorted(ForceMonth.objects.values_list("force", "month", "rows", "rows_without_location")),
        police_count_rows(),
        sorted(
            IndicatorValue.objects.values_list(
                "indicator__code", "period", "value", "numerator", "denominator", "reported_on"
            )
        ),
        sorted(TargetValue.objects.values_list("indicator__code", "period", "value", "kind")),
        sorted(AnalystComment.objects.values_list("indicator__code", "period", "text")),
    )


def run_snapshot():
    return (ImportRun.objects.count(), ImportedFile.objects.count())


@pytest.fixture
def plymouth(db):
    return standard_partnership(slug="plymouth", name="Safer Plymouth", local_authorities=["Plymouth"])
