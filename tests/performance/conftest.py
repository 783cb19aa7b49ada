import datetime

import pytest
from django.utils import timezone

from saferhub.performance.bulk import CRIME_COLUMNS
from saferhub.performance.models import (
    AnalystComment,
    ForceMonth,
    ImportedFile,
    ImportRun,
    IndicatorValue,
    PoliceCount,
    TargetValue,
)

from ..conftest import standard_partnership

NOW = timezone.make_aware(datetime.datetime(2019, 12, 20, 9, 0))


def data_snapshot():
    """Everything an import may write, as comparable values."""
    return (
        sorted(ForceMonth.objects.values_list("force", "month", "rows", "rows_without_location")),
        sorted(PoliceCount.objects.values_list("month", "area_kind", "area", *CRIME_COLUMNS)),
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
