from __future__ import annotations

from saferhub.accounts.models import Role, User
from saferhub.demo import load_demo
from saferhub.performance.models import Indicator
from saferhub.publishing.models import PublishedVersion
from tests.performance.conftest import NOW


def test_demo_marks_sensitive_indicators_and_publishes_once(client, db):
    load_demo(now=NOW)
    load_demo(now=NOW)  # loading twice changes nothing
    partnership_codes = set(Indicator.objects.filter(sensitive=True).values_list("code", flat=True))
    assert partnership_codes == {"domestic-abuse", "domestic-abuse-referrals", "hate-crime"}
    (version,) = PublishedVersion.objects.all()
    assert (
        version.period == "2016-11"
        and User.objects.get(username=version.approved_by_name).role in (Role.ADMIN, Role.COMMISSIONER)
        and version.verify()
    )
    da = next(i for i in version.figures["indicators"] if i["code"] == "domestic-abuse")
    assert da["level"] == "quarter" and all(r["period"][4:6] == "-Q" for r in da["rows"])
    assert all(
        isinstance(r["value"], int) and r["value"] % 5 == 0 for r in da["rows"] if r["value"] not in (None, "[c]")
    )
    html = client.get("/public/safer-plymouth/2016-11/").content.decode()
    assert "Domestic abuse crimes and incidents" in html and "Overall crime" in html


def test_demo_public_page_shows_small_counts_as_c(client, db):
    """The demo's vehicle-arson indicator has genuine monthly counts of 1 to 4: published through the
    normal propose/approve path, they show as "[c]", and so does whatever would give them away."""
    from lxml import html as lxml_html

    from saferhub.domain.disclosure import SUPPRESSED

    load_demo(now=NOW)
    version = PublishedVersion.objects.get()
    arson = next(i for i in version.figures["indicators"] if i["code"] == "ntea-vehicle-arson")
    small = [r for r in arson["rows"] if r["value"] == SUPPRESSED]
    assert small, "some months are suppressed"
    assert all(
        isinstance(r["value"], int) and r["value"] >= 5 or r["value"] in (SUPPRESSED, None) for r in arson["rows"]
    )

    page = lxml_html.fromstring(client.get("/public/safer-plymouth/2016-11/").content.decode())
    section = page.xpath("//section[@aria-labelledby='ind-ntea-vehicle-arson']")[0]
    cells = [td.text_content().strip() for td in section.xpath(".//tbody//td")]
    assert sum(c.startswith(SUPPRESSED) for c in cells) >= len(small)
    month_cells = [tr.xpath("./td")[0].text_content().strip() for tr in section.xpath(".//tbody/tr")]
    # The demo's raw counts include 1, 2 and 3 this year; none of them is shown.
    assert not {"1", "2", "3", "4"} & set(month_cells), month_cells
    # Secondary suppression: October 2016 (1) is hidden, and it cannot be worked out from the year to date.
    rows = {r["period"]: r for r in arson["rows"]}
    assert rows["2016-10"]["value"] == SUPPRESSED
    assert SUPPRESSED in (
        rows["2016-10"]["cumulative"],
        rows["2016-09"]["cumulative"],
        rows["2016-11"]["value"],
        rows["2016-11"]["cumulative"],
    )


def test_the_demo_hides_no_cell_it_need_not(db):
    """Every cell the demo's version hides is a small count, or needed: shown, the audit fails
    or a small count could be worked out. And the share of cells published is what the version
    holds (docs/publishing.md records it)."""
    from saferhub.domain.calendar import Month
    from saferhub.domain.disclosure import SUPPRESSED, Sum, recoverable, round_to
    from saferhub.domain.disclosure_audit import Release, audit
    from saferhub.performance.report import build_performance_report
    from saferhub.publishing.figures import RULES, protect_report

    load_demo(now=NOW)
    version = PublishedVersion.objects.get()
    report = build_performance_report(version.partnership, Month.parse(version.period))
    sensitive = Indicator.objects.filter(partnership=version.partnership, sensitive=True).values_list("code", flat=True)
    figures, protection, cells = protect_report(report, sensitive=sensitive)
    assert list(figures.suppressed) == version.figures["suppressed"] and protection.audit.passed
    published = protection.published
    hidden = {k for k, v in published.items() if v == SUPPRESSED}
    assert protection.primary <= hidden and len(version.figures["cells"]) == len(cells) - len(hidden)
    sums = [Sum(s.total, tuple(s.parts)) for s in figures.sums]
    rule_of = {i.code: RULES[i.rule.name] for i in figures.indicators if i.unit == "count"}
    cell_rules = {k: rule_of[k.split("|")[0]] for k in cells}
    primary = {k: (cell_rules[k].low, cell_rules[k].high) for k in protection.primary}
    for k in sorted(hidden - protection.primary):
        shown = {**published, k: round_to(cells[k], cell_rules[k].rounding)}
        result = audit([Release(shown, cell_rules, sums)], primary, check=list(primary))
        still_hidden = [m for m, v in shown.items() if v == SUPPRESSED]
        assert not result.passed or recoverable(sums, still_hidden) & protection.primary, k


def test_the_demo_hides_the_fewest_cells_that_protect_its_small_counts(db):
    """The demo's version hides a proven minimum (the mixed-integer programme's, checked by the
    audit), never more than the greedy choice with pruning would (docs/publishing.md records
    both shares)."""
    from saferhub.domain.calendar import Month
    from saferhub.domain.disclosure import SUPPRESSED
    from saferhub.domain.disclosure_audit import protect_audited
    from saferhub.performance.report import build_performance_report
    from saferhub.publishing.figures import _table

    load_demo(now=NOW)
    version = PublishedVersion.objects.get()
    assert version.audit["passed"] and version.audit["suppression"].startswith("fewest and smallest")
    report = build_performance_report(version.partnership, Month.parse(version.period))
    sensitive = Indicator.objects.filter(partnership=version.partnership, sensitive=True).values_list("code", flat=True)
    _, _, _, rules_by_code, cells, sums = _table(report, sensitive)
    rules = {k: rules_by_code[k.split("|")[0]] for k in cells}
    greedy = protect_audited(cells, rules, sums, method="greedy")
    greedy_hidden = {k for k, v in greedy.published.items() if v == SUPPRESSED}
    hidden = set(version.figures["suppressed"])
    assert greedy.audit.passed and greedy.primary <= hidden
    assert (len(hidden), sum(cells[k] for k in hidden)) <= (len(greedy_hidden), sum(cells[k] for k in greedy_hidden))
    assert len(hidden) < len(greedy_hidden)  # on the demo the greedy choice is not the minimum
