"""Statistics in one voice (issue 17): for every demo indicator with a year-to-date test, the
interval and p-value printed beside the verdict are the ones that decide it, in the PDF and the
Word file; the commentary reconciles the verdict with the SPC signal."""

import io
import re

import pytest
from docx import Document

from saferhub.rendering import render_report
from saferhub.rendering.report_json import report_json

from .conftest import pdf_pages

pytestmark = pytest.mark.django_db

VERDICT = re.compile(
    r"The change is (within normal variation|a significant increase|a significant reduction): "
    r"rate ratio ([0-9.]+), 95% interval ([0-9.]+) to ([0-9.]+), p (=|<) ([0-9.]+)"
)


def _check(printed: list[tuple[str, ...]], report) -> None:
    tested = [ind for ind in report["indicators"] if ind["significance"]]
    assert len(tested) >= 5
    assert len(printed) == len(tested), "every tested indicator prints its verdict with its numbers"
    for ind, (words, rr, low, high, sign, p) in zip(tested, printed):
        decision = ind["significance"]["decision"]
        assert words == ind["significance"]["words"] == decision["words"], ind["code"]
        assert float(low) == pytest.approx(decision["ci95"][0], abs=0.005), ind["code"]
        assert float(high) == pytest.approx(decision["ci95"][1], abs=0.005), ind["code"]
        if sign == "=":
            assert float(p) == pytest.approx(decision["p_value"], rel=0.01), ind["code"]
        significant = words != "within normal variation"
        # The printed figures decide the printed words.
        assert significant == (sign == "<" and float(p) <= 0.001 or sign == "=" and float(p) < 0.05), ind["code"]
        assert significant == (float(low) > 1 or float(high) < 1), ind["code"]
        if ind["significance"]["dispersion"] and ind["significance"]["dispersion"]["overdispersed"]:
            assert decision["test"] == "adjusted", ind["code"]


def test_pdf_prints_the_figures_that_decide_each_verdict(demo_report, tmp_path):
    text = " ".join(pdf_pages(render_report(demo_report, "pdf"), tmp_path))
    _check(VERDICT.findall(text), report_json(demo_report))
    # The plain exact test is still there, as secondary detail, where the adjusted test decides.
    adjusted = [
        i
        for i in report_json(demo_report)["indicators"]
        if i["significance"] and i["significance"]["decision"]["test"] == "adjusted"
    ]
    assert adjusted, "the demo has over-dispersed indicators (overall crime, hate crime)"
    assert text.count("Without that adjustment the exact Poisson test would give") == len(adjusted)


def test_word_prints_the_figures_that_decide_each_verdict(demo_report):
    doc = Document(io.BytesIO(render_report(demo_report, "docx")))
    found = [m for p in doc.paragraphs for m in VERDICT.findall(p.text)]
    _check(found, report_json(demo_report))


def test_overall_crime_reconciles_the_verdict_with_the_spc_signal(demo_report):
    """The seed case: the year so far within normal variation, the last months a special cause."""
    ind = next(i for i in report_json(demo_report)["indicators"] if i["code"] == "overall-crime")
    assert ind["significance"]["words"] == "within normal variation"
    assert ind["spc"]["variation_icon"] == "concern_high"
    assert (
        "Although the year so far is within normal variation compared with last year, the latest months are unusually high"
        in ind["commentary"]
    )
    assert ind["spc_reading"] == "Year to date within normal variation; latest months unusually high"


def test_the_spc_words_never_deny_the_special_causes_the_chart_marks(demo_report, tmp_path):
    """Serious acquisitive crime's chart marked April and May 2015 as special causes (two of three
    points beyond two sigma) under the words "Common cause variation": the latest month's type
    (as Making Data Count's icon shows it), read as the whole chart's. The PDF now names the
    marked months and says the signal has not continued."""
    by_code = {ind.code: ind for ind in demo_report.indicators}
    spc = by_code["serious-acquisitive-crime"].spc
    marked = [
        ind
        for ind in demo_report.indicators
        if ind.spc and ind.spc.variation_icon == "common_cause" and any(p.special_cause for p in ind.spc.points)
    ]
    assert marked, "the demo has a common-cause indicator whose chart marks earlier special causes"
    assert spc.earlier_special_causes_text.startswith("The chart marks April to May 2015 (unusually high) as special")
    text = " ".join(pdf_pages(render_report(demo_report, "pdf"), tmp_path))
    for ind in marked:
        assert ind.spc.earlier_special_causes_text in text, ind.code
    # and never where the latest month is itself a special cause, or nothing is marked
    for ind in demo_report.indicators:
        if ind.spc and ind not in marked:
            assert ind.spc.earlier_special_causes_text is None, ind.code
