from decimal import Decimal as D

import pytest

from saferhub.domain.status import Status, assess_status


@pytest.mark.parametrize(
    "polarity, value, previous, target, expected",
    [
        ("lower_is_better", D(90), D(100), None, Status.IMPROVING),
        ("lower_is_better", D(110), D(100), None, Status.WORSENING),
        ("higher_is_better", D(110), D(100), None, Status.IMPROVING),
        ("higher_is_better", D(90), D(100), None, Status.WORSENING),
        ("higher_is_better", D(100), D(100), None, Status.NO_CHANGE),
        ("higher_is_better", D(361), None, D(375), Status.OFF_TARGET),
        ("higher_is_better", D(375), None, D(375), Status.ON_TARGET),
        ("lower_is_better", D(375), D(10), D(375), Status.ON_TARGET),  # the target wins over last year
        ("lower_is_better", D(376), D(999), D(375), Status.OFF_TARGET),
        ("monitor_only", D(1149), D(1223), None, Status.MONITOR_ONLY),
        ("lower_is_better", D(5), None, None, Status.NOT_ASSESSED),
        ("lower_is_better", None, D(5), None, Status.NO_DATA),
    ],
)
def test_status_rule(polarity, value, previous, target, expected):
    assert assess_status(polarity, ytd_value=value, ytd_previous=previous, ytd_target=target) is expected


def test_figures_that_cannot_be_pooled_are_not_assessed_rather_than_missing():
    assert (
        assess_status("higher_is_better", ytd_value=None, ytd_previous=None, ytd_target=D(90), figures_held=True)
        is Status.NOT_ASSESSED
    )
