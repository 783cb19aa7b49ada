"""The standard police.uk indicators given to partnerships (performance/services/standard.py)."""

from saferhub.domain.policeuk import STANDARD_INDICATORS
from saferhub.partnerships.services import partnership_create
from saferhub.performance.models import Indicator
from saferhub.performance.services import standard_indicators_add


def test_each_partnership_gets_every_standard_indicator_once_in_order(db):
    a = partnership_create(slug="a", name="A", csps=["E22000056"])
    b = partnership_create(slug="b", name="B", local_authorities=["Torbay"])
    assert standard_indicators_add([a, b]) == 2 * len(STANDARD_INDICATORS)
    for p in (a, b):
        made = list(Indicator.objects.filter(partnership=p).order_by("position"))
        assert [i.code for i in made] == [s.code for s in STANDARD_INDICATORS]
        assert {(i.source, i.unit, i.frequency) for i in made} == {("policeuk", "count", "monthly")}
        assert [i.crime_types for i in made] == [list(s.crime_types) for s in STANDARD_INDICATORS]
        assert [i.polarity for i in made] == [s.polarity for s in STANDARD_INDICATORS]
