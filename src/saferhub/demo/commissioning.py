"""Demo data for commissioning: Safer Plymouth's Community Safety Fund 2017-18 with the January
2017 intentions, projects A-H and their first-half return, reviewed, accepted and signed by the
CSP manager as in the seed (the treasurer's signature is not in the seed, so it is left to do)."""

from __future__ import annotations

import datetime
from pathlib import Path

from saferhub.partnerships.models import Organisation, Partnership

# The provider of project A in the seed's half-year return ("Delivered by Sanctuary Housing
# Association which is a charity"); the demo's provider user belongs to it.
PROJECT_A_PROVIDER = "Sanctuary Housing Association"

FUND_SLUG = "community-safety-fund"
YEAR = 2017
PERIOD = "2017-H1"
UTC = datetime.timezone.utc
# When things happened, from the seed: due and signed 3 November 2017.
SUBMITTED_AT = datetime.datetime(2017, 10, 31, 12, 0, tzinfo=UTC)
ACCEPTED_AT = datetime.datetime(2017, 11, 2, 12, 0, tzinfo=UTC)
SIGNED_ON = datetime.date(2017, 11, 3)
# The CSP manager who reviewed and signed (the demo's ``csp-manager`` account, demo/users.py).
CSP_MANAGER = ("Matt Garrett", "Head of Community Connections")


# The seed return's appendices A-D (its pages 14-27), by the project that cites each, as
# narratives written in saferhub: the Harbour Centre's report and three service specifications.
APPENDIX_DIR = Path(__file__).parent / "safer_plymouth" / "appendices"
APPENDICES = {"C": ("A",), "D": ("B",), "E": ("C",), "G": ("D",)}


def _organisation(name: str) -> Organisation:
    from .commissioning_seed import ORGANISATIONS

    kind, charity, company = ORGANISATIONS[name]
    org, _ = Organisation.objects.get_or_create(
        name=name, defaults={"kind": kind, "charity_number": charity, "company_number": company}
    )
    return org


def load(*, partnership: Partnership, now: datetime.datetime) -> None:
    """Load the fund once; a second load finds it and changes nothing."""
    from saferhub.commissioning.models import Fund

    from .users import load_office_holders

    _organisation(PROJECT_A_PROVIDER)
    # The CSP manager and the treasurer are accounts with their offices: the CSP manager's
    # signature below is made by that account, as any signature is.
    load_office_holders(partnership=partnership, now=now)
    if Fund.objects.filter(partnership=partnership, slug=FUND_SLUG).exists():
        return
    _load_fund(partnership, now)


def _load_fund(partnership: Partnership, now: datetime.datetime) -> None:
    from decimal import Decimal

    from saferhub.commissioning import services, setup
    from saferhub.commissioning.appendices import appendix_add_narrative
    from saferhub.commissioning.models import Kpi

    from . import commissioning_seed as seed

    fund = setup.fund_create(
        partnership=partnership,
        slug=FUND_SLUG,
        name="Community Safety Fund",
        funder=_organisation(seed.PCC),
        now=now,
        channelled_through="Western Planning and Delivery Unit (Plymouth City Council and NEW Devon CCG integrated commissioning team)",
    )
    award_2017, _ = setup.award_set(
        fund=fund, years=[2017, 2018], amount=Decimal("400568"), now=now, decided_on=seed.AWARD_DECIDED_ON
    )
    setup.carry_forward_record(
        award=award_2017,
        amount=Decimal("27678"),
        now=now,
        known_on=seed.CARRIED_FORWARD_ON,
        note="2016/17 grant carried forward for an additional IDVA and MARAC co-ordinator",
    )
    intentions = [
        setup.intention_create(
            fund=fund,
            year=YEAR,
            as_at=seed.AS_AT,
            area_of_need=need,
            recommendation=rec,
            state=state,
            contribution=None if c is None else Decimal(c),
            total_budget=None if t is None else Decimal(t),
            total_budget_note=note,
            position=i,
            now=now,
        )
        for i, (need, rec, state, c, t, note) in enumerate(seed.INTENTIONS)
    ]
    hyr = services.half_year_return_open(
        fund=fund,
        period=PERIOD,
        area=partnership.name,
        claimed=Decimal("200284"),
        due_on=datetime.date(2017, 11, 3),
        half_year_end_label="October 2017",
        now=now,
    )
    for letter, p in seed.PROJECTS.items():
        p = dict(p)
        ret = p.pop("return")
        provider = p.pop("provider")
        intention = p.pop("intention", None)
        milestones = [
            {"activity": a, "deadline": d, "deadline_label": lbl, "deliverables": dl, "done": done}
            for a, d, lbl, dl, done in p.pop("milestones", [])
        ]
        project = setup.project_create(
            fund=fund,
            year=YEAR,
            letter=letter,
            amount=Decimal(p.pop("amount")),
            now=now,
            provider=_organisation(provider) if provider else None,
            intention=intentions[intention] if intention is not None else None,
            cofunders=[(n, None if a is None else Decimal(a), note) for n, a, note in p.pop("cofunders", [])],
            milestones=milestones,
            committed_on=seed.COMMITTED_ON[letter],
            **p,
        )
        for appendix in APPENDICES.get(letter, ()):
            title, _, text = (APPENDIX_DIR / f"{appendix}.txt").read_text(encoding="utf-8").partition("\n\n")
            appendix_add_narrative(project=project, title=title.strip(), text=text, actor=CSP_MANAGER[0], now=now)
        kpis = list(Kpi.objects.filter(project=project).order_by("position"))
        pr = services.project_return_open(
            project=project, period=PERIOD, due_on=datetime.date(2017, 10, 31), now=SUBMITTED_AT
        )
        services.project_return_update(
            project_return=pr,
            actor=CSP_MANAGER[0],
            now=SUBMITTED_AT,
            achieved=ret["achieved"],
            actions=ret["actions"],
            rag=ret["rag"],
            spend_lines=[(c, Decimal(a)) for c, a in ret.get("spend", [])],
            actuals={kpis[i].pk: (Decimal(v), note) for i, (v, note) in ret.get("actuals", {}).items()},
        )
        services.project_return_submit(project_return=pr, actor=CSP_MANAGER[0], now=SUBMITTED_AT)
        services.project_return_accept(project_return=pr, actor=CSP_MANAGER[0], now=ACCEPTED_AT)
    from saferhub.accounts.models import User

    csp_manager = User.objects.get(username="csp-manager")
    services.half_year_return_sign(
        half_year_return=hyr,
        step="csp_manager",
        actor=csp_manager,
        now=datetime.datetime.combine(SIGNED_ON, datetime.time(12), tzinfo=UTC),
    )


def write_outputs(*, partnership: Partnership, out_dir: Path) -> list[Path]:
    """The demo's half-year return as JSON, PDF, Word and Excel, and the fund's 360Giving file."""
    from saferhub.commissioning.appendices import appendix_pdf
    from saferhub.commissioning.models import Fund
    from saferhub.commissioning.open_data import grants_json, grants_package
    from saferhub.commissioning.returns import build_half_year_return, half_year_return_for
    from saferhub.rendering.formats import render_return

    fund = Fund.objects.get(partnership=partnership, slug=FUND_SLUG)
    hyr = half_year_return_for(fund, YEAR)
    data = build_half_year_return(hyr)
    base = out_dir / f"{partnership.slug}-{FUND_SLUG}-{PERIOD}-return"
    paths = []
    for fmt in ("json", "pdf", "docx", "xlsx"):
        paths.append(base.with_suffix(f".{fmt}"))
        paths[-1].write_bytes(render_return(data, fmt, attachments=appendix_pdf))
    grants = out_dir / f"{partnership.slug}-{FUND_SLUG}-{YEAR}-360giving.json"
    grants.write_text(grants_json(grants_package(fund=fund, year=YEAR)), encoding="utf-8")
    return [*paths, grants]
