import datetime
from decimal import Decimal as D

import pytest
from openpyxl import Workbook

from saferhub.domain.problems import InputError
from saferhub.performance.models import Indicator, IndicatorValue, TargetValue
from saferhub.performance.services import indicators_import

from ..conftest import NOW, data_snapshot, run_snapshot


@pytest.fixture
def catalogue(plymouth):
    Indicator.objects.create(
        partnership=plymouth,
        code="da-referrals",
        title="Referrals",
        polarity="higher_is_better",
        frequency="quarterly",
        unit="count",
        source="partner",
        noun="referrals",
    )
    Indicator.objects.create(
        partnership=plymouth,
        code="satisfaction",
        title="Satisfaction",
        polarity="higher_is_better",
        frequency="monthly",
        unit="percentage",
        source="partner",
        noun="satisfaction rate",
    )
    Indicator.objects.create(
        partnership=plymouth,
        code="ist",
        title="ist incidents",
        polarity="higher_is_better",
        frequency="monthly",
        unit="count",
        source="partner",
        noun="incidents",
    )
    return plymouth


def write(tmp_path, text, name="figures.csv", bom=False, eol="\n"):
    path = tmp_path / name
    data = text.replace("\n", eol).encode()
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


GOOD = """indicator,period,value,numerator,denominator,target,reported_on
da-referrals,2016-Q1,518,,,,2016-10-05
satisfaction,2016-04,,45,50,90,2016-10-05
ist,2016-04,41,,,55,2016-10-05
ist,2016-05,,,,108,2016-10-05
"""


def test_import_values_rates_and_targets(catalogue, tmp_path):
    run = indicators_import(path=write(tmp_path, GOOD), partnership=catalogue, now=NOW)
    assert (run.values_added, run.targets_set) == (3, 3)
    sat = IndicatorValue.objects.get(indicator__code="satisfaction")
    assert (sat.numerator, sat.denominator, sat.value) == (D(45), D(50), D(90))
    assert TargetValue.objects.get(indicator__code="ist", period="2016-05").kind == "cumulative"
    assert TargetValue.objects.get(indicator__code="satisfaction").kind == "flat"


def test_same_file_twice_changes_nothing(catalogue, tmp_path):
    path = write(tmp_path, GOOD)
    indicators_import(path=path, partnership=catalogue, now=NOW)
    before = data_snapshot()
    run = indicators_import(path=path, partnership=catalogue, now=NOW)
    assert data_snapshot() == before and run.values_added == 0 and run.values_unchanged == 3


def test_revisions_are_kept_and_the_latest_wins(catalogue, tmp_path):
    indicators_import(path=write(tmp_path, GOOD), partnership=catalogue, now=NOW)
    revised = "indicator,period,value,reported_on\nda-referrals,2016-Q1,520,2016-11-02\n"
    indicators_import(path=write(tmp_path, revised, "rev.csv"), partnership=catalogue, now=NOW)
    values = list(IndicatorValue.objects.filter(indicator__code="da-referrals").values_list("value", "reported_on"))
    assert values == [(D(518), datetime.date(2016, 10, 5)), (D(520), datetime.date(2016, 11, 2))]
    from saferhub.performance.selectors import partner_observations

    obs = partner_observations(list(Indicator.objects.filter(code="da-referrals")))
    assert obs["da-referrals"]["2016-Q1"].value == D(520)


def test_xlsx(catalogue, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Indicator code", "Period", "Value"])
    ws.append(["ist", "2016-04", 41])
    ws.append(["ist", "2016-05", 61])
    path = tmp_path / "figures.xlsx"
    wb.save(path)
    run = indicators_import(path=path, partnership=catalogue, now=NOW)
    assert run.values_added == 2
    assert IndicatorValue.objects.get(period="2016-05").value == D(61)


def test_xlsx_error_names_the_row(catalogue, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["indicator", "period", "value"])
    ws.append(["ist", "2016-04", 41])
    ws.append(["ist", "2016-13", 61])
    path = tmp_path / "figures.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as err:
        indicators_import(path=path, partnership=catalogue, now=NOW)
    assert str(err.value).startswith(f"{path}, line 3, field 'period'")


def test_bom_and_crlf_are_read(catalogue, tmp_path):
    run = indicators_import(path=write(tmp_path, GOOD, bom=True, eol="\r\n"), partnership=catalogue, now=NOW)
    assert run.values_added == 3


BAD = {
    "truncated": (GOOD + "ist,2016-06", 6, "value"),
    "wrong header": ("code_name,when,amount\nist,2016-04,41\n", 1, "indicator"),
    "month 2019-13": ("indicator,period,value\nist,2016-04,41\nist,2019-13,5\n", 3, "period"),
    "empty": ("", 1, None),
    "unknown indicator": ("indicator,period,value\nnope,2016-04,41\n", 2, "indicator"),
    "quarter for a monthly indicator": ("indicator,period,value\nist,2016-Q1,41\n", 2, "period"),
    "not a number": ("indicator,period,value\nist,2016-04,forty\n", 2, "value"),
    "rate without denominator": ("indicator,period,numerator,denominator\nsatisfaction,2016-04,5,\n", 2, "denominator"),
    "numerator above denominator": (
        "indicator,period,numerator,denominator\nsatisfaction,2016-04,6,5\n",
        2,
        "numerator",
    ),
    "duplicate period": ("indicator,period,value\nist,2016-04,41\nist,2016-04,42\n", 3, "period"),
    "negative count": ("indicator,period,value\nist,2016-04,-1\n", 2, "value"),
    "future revision date": ("indicator,period,value,reported_on\nist,2016-04,1,2030-01-01\n", 2, "reported_on"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_changes_nothing_and_names_the_fault(catalogue, tmp_path, case):
    indicators_import(path=write(tmp_path, GOOD, "good.csv"), partnership=catalogue, now=NOW)
    before, runs = data_snapshot(), run_snapshot()
    text, line, field = BAD[case]
    path = write(tmp_path, text)
    with pytest.raises(InputError) as err:
        indicators_import(path=path, partnership=catalogue, now=NOW)
    assert data_snapshot() == before and run_snapshot() == runs
    (problem,) = err.value.problems
    assert (problem.file, problem.line, problem.field) == (str(path), line, field), str(problem)


def test_a_zip_given_as_csv_is_refused(catalogue, tmp_path):
    import zipfile

    path = tmp_path / "figures.csv"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("x.txt", "hello")
    with pytest.raises(InputError, match="not CSV"):
        indicators_import(path=path, partnership=catalogue, now=NOW)


@pytest.fixture
def with_burglary(catalogue):
    # The partnership has the standard police.uk indicators, burglary among them.
    assert Indicator.objects.filter(partnership=catalogue, code="burglary", source="policeuk").exists()
    return catalogue


def test_targets_can_be_set_on_a_policeuk_indicator(tmp_path, with_burglary):
    # Issue 15: "'burglary' is not an indicator of this partnership (known: da-referrals)".
    path = write(tmp_path, "indicator,period,target\nburglary,2019-04,120\nburglary,2019-05,240\n")
    run = indicators_import(path=path, partnership=with_burglary, now=NOW)
    assert run.targets_set == 2
    targets = TargetValue.objects.filter(indicator__code="burglary").order_by("period")
    assert [(t.period, t.value, t.kind) for t in targets] == [
        ("2019-04", D("120"), "cumulative"),
        ("2019-05", D("240"), "cumulative"),
    ]


def test_a_value_for_a_policeuk_indicator_is_refused_with_the_reason(tmp_path, with_burglary):
    path = write(tmp_path, "indicator,period,value,target\nburglary,2019-04,17,120\n")
    with pytest.raises(InputError) as err:
        indicators_import(path=path, partnership=with_burglary, now=NOW)
    (problem,) = err.value.problems
    assert problem.line == 2 and problem.field == "value"
    assert "police.uk" in problem.message
    assert not TargetValue.objects.exists()
