"""Demo governance: Safer Plymouth's board with its statutory members, the draft terms of
reference and the meeting of 24 January 2017 (items 5, 6 and 8 of the seed's supplement pack),
the priorities named in the strategic assessment (scored illustratively, and labelled so), and
the supplement pack built from the live papers.

Names of people are not in the seed: representatives are given by their post only."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from saferhub.partnerships.models import Organisation, OrganisationKind, Partnership

DATA_DIR = Path(__file__).resolve().parent / "safer_plymouth"
ACTOR = "demo"
MEETING_DATE = datetime.date(2017, 1, 24)

# (organisation, kind, representative post, board role, deputy post)
MEMBERS = [
    (
        "Plymouth City Council",
        OrganisationKind.LOCAL_AUTHORITY,
        "Cabinet Member for Safer Communities",
        "chair",
        "Head of Community Connections",
    ),
    (
        "Devon and Cornwall Police",
        OrganisationKind.POLICE,
        "Local Policing Area Commander",
        "vice_chair",
        "Chief Inspector, Plymouth",
    ),
    (
        "Devon and Somerset Fire and Rescue Service",
        OrganisationKind.FIRE_RESCUE,
        "Group Manager, Plymouth",
        "member",
        "Station Manager, Plymouth",
    ),
    (
        "National Probation Service",
        OrganisationKind.PROBATION,
        "Head of Plymouth Probation Delivery Unit",
        "member",
        "Senior Probation Officer",
    ),
    (
        "NEW Devon Clinical Commissioning Group",
        OrganisationKind.HEALTH,
        "Director of Integrated Commissioning",
        "member",
        "Strategic Commissioning Manager",
    ),
    (
        "Office of the Police and Crime Commissioner for Devon and Cornwall",
        OrganisationKind.PCC,
        "Head of Partnerships, OPCC",
        "member",
        "Partnership Officer, OPCC",
    ),
]

# The seed's strategic assessment (sections 3.3-3.5): name, kind, owner organisation,
# linked indicators, linked work (projects), illustrative sub-scores, scope, confidence.
PRIORITIES = [
    (
        "Domestic Abuse and Sexual Violence including Child Sexual Exploitation",
        "priority",
        "Plymouth City Council",
        ["domestic-abuse", "domestic-abuse-referrals"],
        ["Plymouth Domestic Abuse contract", "Therapeutic counselling (SARC)"],
        {
            "physical": 4,
            "psychological": 4,
            "financial": 2,
            "community": 2,
            "frequency": 4,
            "victim vulnerability": 4,
            "capacity gap": 2,
            "capability gap": 1,
        },
        "city",
        "B",
    ),
    (
        "Hate Crime",
        "priority",
        "Devon and Cornwall Police",
        ["hate-crime", "ist-incidents", "ist-satisfaction"],
        [],
        {
            "physical": 2,
            "psychological": 3,
            "financial": 1,
            "community": 4,
            "frequency": 3,
            "victim vulnerability": 3,
            "capacity gap": 1,
            "capability gap": 1,
        },
        "city",
        "B",
    ),
    (
        "Emerging areas of threat, risk and harm",
        "priority",
        "Office of the Police and Crime Commissioner for Devon and Cornwall",
        [],
        ["Emerging threat, risk and harm fund"],
        {
            "physical": 2,
            "psychological": 2,
            "financial": 2,
            "community": 2,
            "frequency": 2,
            "victim vulnerability": 2,
            "capacity gap": 2,
            "capability gap": 2,
        },
        "city",
        "D",
    ),
    (
        "Modern Slavery",
        "emerging",
        "Plymouth City Council",
        [],
        [],
        {
            "physical": 4,
            "psychological": 4,
            "financial": 3,
            "community": 2,
            "frequency": 1,
            "victim vulnerability": 4,
            "capacity gap": 3,
            "capability gap": 3,
        },
        "force area",
        "C",
    ),
    (
        "Cyber Crime including Fraud",
        "emerging",
        "Devon and Cornwall Police",
        [],
        [],
        {
            "physical": 0,
            "psychological": 2,
            "financial": 4,
            "community": 1,
            "frequency": 4,
            "victim vulnerability": 3,
            "capacity gap": 3,
            "capability gap": 3,
        },
        "national",
        "C",
    ),
    (
        "Prevent",
        "emerging",
        "Plymouth City Council",
        [],
        [],
        {
            "physical": 4,
            "psychological": 3,
            "financial": 1,
            "community": 4,
            "frequency": 1,
            "victim vulnerability": 3,
            "capacity gap": 1,
            "capability gap": 1,
        },
        "city",
        "C",
    ),
    (
        "Mental health",
        "cross_cutting",
        "NEW Devon Clinical Commissioning Group",
        [],
        [],
        {
            "physical": 2,
            "psychological": 4,
            "financial": 1,
            "community": 2,
            "frequency": 3,
            "victim vulnerability": 4,
            "capacity gap": 2,
            "capability gap": 1,
        },
        "city",
        "C",
    ),
    (
        "Alcohol and drugs",
        "cross_cutting",
        "Plymouth City Council",
        ["violence-with-injury-excl-da", "anti-social-behaviour"],
        ["Community drug and alcohol treatment programme"],
        {
            "physical": 3,
            "psychological": 2,
            "financial": 2,
            "community": 3,
            "frequency": 4,
            "victim vulnerability": 2,
            "capacity gap": 1,
            "capability gap": 1,
        },
        "city",
        "C",
    ),
]

ITEMS = [
    (
        5,
        "Commissioning Intentions 2017-18",
        "To discuss the Commissioning Intentions 2017-18 document.",
        "Integrated Commissioning",
        # The seed's paper, written in saferhub (commissioning_intentions_2017.json), then the
        # fund's position on the meeting's date from the commissioning records. The priorities'
        # scores are illustrative, not agreed, so they stay out of the pack (governance pages).
        [
            ("written", "commissioning_intentions_2017.json", {}),
            ("Commissioning update: the fund's position", "commissioning_update", {"intentions": False}),
        ],
    ),
    (
        6,
        "Draft Terms of Reference",
        "To discuss the draft Terms of Reference for Safer Plymouth.",
        "Chair",
        [("Draft Terms of Reference", "terms_of_reference", {"version": "2017 draft"})],
    ),
    (
        8,
        "Performance update",
        "To receive an update on Performance.",
        "Community safety analyst",
        [("Safer Plymouth Performance Report", "performance_report", {"period": "2016-11"})],
    ),
]


def load(*, partnership: Partnership, now: datetime.datetime) -> None:
    from saferhub.governance.models import Board

    if Board.objects.filter(partnership=partnership).exists():
        return  # loading twice changes nothing
    from saferhub.domain.governance import DEFAULT_SCHEME
    from saferhub.governance import services as s
    from saferhub.performance.models import Indicator

    board = s.board_create(
        partnership=partnership,
        name="Safer Plymouth",
        actor=ACTOR,
        now=now,
        quorum_minimum_members=4,
        quorum_minimum_statutory=3,
    )
    seats = {}
    for org_name, kind, post, role, deputy in MEMBERS:
        org, _ = Organisation.objects.get_or_create(name=org_name, defaults={"kind": kind})
        seats[org_name] = s.membership_create(
            board=board,
            organisation=org,
            representative=post,
            title=post,
            board_role=role,
            deputy=deputy,
            deputy_title=deputy,
            starts_on=datetime.date(2016, 9, 1),
            actor=ACTOR,
            now=now,
        )

    sections = json.loads((DATA_DIR / "terms_of_reference.json").read_text(encoding="utf-8"))
    s.terms_create(
        board=board,
        version="2017 draft",
        drafted_on=MEETING_DATE,
        sections=[tuple(x) for x in sections],
        actor=ACTOR,
        now=now,
    )

    meeting = s.meeting_create(
        board=board,
        date=MEETING_DATE,
        starts_at=datetime.time(10, 0),
        ends_at=datetime.time(13, 0),
        venue="Warspite Room, Council House, Plymouth",
        actor=ACTOR,
        now=now,
    )
    items = {}
    for number, subject, purpose, lead, papers in ITEMS:
        item = items[number] = s.agenda_item_create(
            meeting=meeting, number=number, subject=subject, purpose=purpose, lead=lead, actor=ACTOR, now=now
        )
        for title, generator, options in papers:
            if title == "written":
                _written_paper(item, DATA_DIR / generator, now)
            else:
                s.paper_add(item=item, title=title, generator=generator, options=options, actor=ACTOR, now=now)
    s.action_create(
        meeting=meeting,
        item=items[5],
        owner="Integrated Commissioning",
        due_on=datetime.date(2017, 3, 31),
        description="Scope Healthy Relationships work with schools covering CSE and domestic abuse, with PDAP "
        "and MACSE (seed recommendation; demo action).",
        actor=ACTOR,
        now=now,
    )
    s.action_create(
        meeting=meeting,
        item=items[6],
        owner="Chair",
        due_on=datetime.date(2017, 4, 30),
        description="Bring the Terms of Reference back for adoption (demo action).",
        actor=ACTOR,
        now=now,
    )

    s.scheme_set(board=board, config=DEFAULT_SCHEME.to_config(), actor=ACTOR, now=now)
    for name, kind, owner, codes, projects, values, scope, confidence in PRIORITIES:
        p = s.priority_create(
            board=board,
            name=name,
            kind=kind,
            owner=seats[owner],
            projects=projects,
            source="Plymouth Crime Strategic Assessment / Organised Crime Local Profiles",
            indicators=Indicator.objects.filter(partnership=partnership, code__in=codes),
            actor=ACTOR,
            now=now,
        )
        s.priority_score(
            priority=p,
            values=values,
            scope=scope,
            confidence=confidence,
            scored_on=MEETING_DATE,
            illustrative=True,
            note="Illustrative score for the demo, not an agreed assessment.",
            actor=ACTOR,
            now=now,
        )


def _written_paper(item, path: Path, now: datetime.datetime) -> None:
    from saferhub.governance.paper_services import paper_write

    paper = json.loads(path.read_text(encoding="utf-8"))
    paper_write(
        item=item,
        title=paper["title"],
        author=paper["author"],
        body=paper["body"],
        status="for_board",
        note=paper["source"],
        actor=ACTOR,
        now=now,
    )


def write_outputs(*, partnership: Partnership, out_dir: Path) -> list[Path]:
    """The supplement pack of 24 January 2017: issued from the live papers on the first run
    (here rather than in ``load``, which every test of the demo calls, because rendering the
    performance report takes seconds), then written unchanged on every later run."""
    from django.utils import timezone

    from saferhub.governance.models import Meeting, Pack
    from saferhub.governance.packs import pack_issue

    meeting = Meeting.objects.filter(board__partnership=partnership, date=MEETING_DATE).first()
    if meeting is None:
        return []
    pack = Pack.objects.filter(meeting=meeting).order_by("-issue").first()
    if pack is None:
        pack = pack_issue(meeting=meeting, kind="supplement", actor=ACTOR, now=timezone.now())
    path = out_dir / f"{partnership.slug}-{MEETING_DATE:%Y-%m-%d}-supplement-pack.pdf"
    path.write_bytes(bytes(pack.pdf))
    return [path]
