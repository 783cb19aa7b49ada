import json
from decimal import Decimal

import pytest

from saferhub.domain.exact_json import exact_json_dumps


def test_money_is_a_number_with_exactly_its_digits():
    text = exact_json_dumps({"amountAwarded": Decimal("160200.10"), "n": [Decimal("-0.01"), 2]})
    assert text == '{"amountAwarded": 160200.10, "n": [-0.01, 2]}'
    assert json.loads(text, parse_float=Decimal)["amountAwarded"] == Decimal("160200.10")


def test_a_figure_too_long_for_a_float_keeps_its_pennies():
    big = Decimal("90071992547409.93")  # beyond 2**53 pennies: float() would round it
    assert str(float(big)) != str(big)
    assert exact_json_dumps(big) == str(big)


def test_text_that_looks_like_money_stays_text():
    assert json.loads(exact_json_dumps({"t": "160200.10", "q": 'a "quote"'})) == {"t": "160200.10", "q": 'a "quote"'}


def test_not_a_number_is_refused():
    with pytest.raises(ValueError):
        exact_json_dumps(Decimal("NaN"))
