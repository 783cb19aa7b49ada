"""The task list "Set up your partnership": each task's state computed from the data held, and
the page that does it. Nothing is stored about the list itself, so a task done any other way (the
command line, the set-up workbook) shows as done here too."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from saferhub.partnerships.models import Organisation, Partnership

NOT_STARTED = "Not yet started"
IN_PROGRESS = "In progress"
COMPLETED = "Completed"


@dataclass(frozen=True)
class Task:
    key: str
    name: str
    hint: str
    status: str
    href: str


@dataclass(frozen=True)
class Section:
    title: str
    tasks: list[Task]


def _state(done: bool, started: bool) -> str:
    return COMPLETED if done else IN_PROGRESS if started else NOT_STARTED


def _task(key: str, name: str, hint: str, status: str, href: str, next_step: str = "") -> Task:
    """A task whose hint, while it is in progress, says what is left to do."""
    if status == IN_PROGRESS and next_step:
        hint = f"{hint}. Still to do: {next_step}"
    return Task(key, name, hint, status, href)


def _first_url(names: list[str], slug: str, fallback: str) -> str:
    """The first of the named pages that exists (with the partnership's slug, then without),
    else the fallback: the commissioning and governance set-up pages are another app's."""
    for name in names:
        for kwargs in ({"slug": slug}, {}):
            try:
                return reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
    return fallback


def task_list(partnership: Partnership) -> list[Section]:
    from saferhub.accounts.models import Role, User
    from saferhub.commissioning.models import Fund, Project
    from saferhub.governance.models import Board, Meeting
    from saferhub.performance.current import months_with_figures
    from saferhub.performance.models import Indicator, TargetValue

    slug = partnership.slug
    has_area = partnership.areas.exists()
    organisations = Organisation.objects.current()
    statutory = organisations.filter(kind__in=["local_authority", "police", "fire_rescue", "probation", "health"])
    people = User.objects.filter(is_active=True, is_superuser=False).exclude(role=Role.ADMIN)
    indicators = Indicator.objects.filter(partnership=partnership, retired_at__isnull=True)
    targets = TargetValue.objects.filter(indicator__in=indicators)
    funds = Fund.objects.filter(partnership=partnership)
    board = Board.objects.filter(partnership=partnership).first()
    return [
        Section(
            "About your partnership",
            [
                Task(
                    "area",
                    "Its name and area",
                    "The CSP, districts or LSOAs it covers",
                    _state(has_area, False),
                    reverse("setup:area", kwargs={"slug": slug}),
                ),
            ],
        ),
        Section(
            "Who takes part",
            [
                _task(
                    "organisations",
                    "Organisations",
                    "Statutory agencies, and the providers and funders",
                    _state(
                        statutory.exists() and organisations.exclude(pk__in=statutory).exists(), organisations.exists()
                    ),
                    reverse("setup:organisations"),
                    "a statutory agency" if not statutory.exists() else "a provider or funder",
                ),
                Task(
                    "people",
                    "People",
                    "Invite the people who use saferhub",
                    _state(people.exists(), False),
                    reverse("accounts:users"),
                ),
            ],
        ),
        Section(
            "Performance",
            [
                _task(
                    "indicators",
                    "Indicators and targets",
                    "The catalogue and a target for each financial year",
                    _state(indicators.exists() and targets.exists(), indicators.exists()),
                    reverse("setup:indicators", kwargs={"slug": slug}),
                    "set the targets",
                ),
                Task(
                    "data",
                    "Partner data",
                    "Upload police.uk files and partners' figures",
                    _state(bool(months_with_figures(partnership)), False),
                    reverse("performance:data"),
                ),
            ],
        ),
        Section(
            "Commissioning and governance",
            [
                _task(
                    "funds",
                    "Funds and projects",
                    "Funds, awards, intentions and the projects they pay for",
                    _state(Project.objects.filter(fund__in=funds).exists(), funds.exists()),
                    _first_url(["commissioning:setup-funds"], slug, "/commissioning/"),
                    "add a project",
                ),
                _task(
                    "board",
                    "Board and meetings",
                    "The board, its terms of reference, members and meetings",
                    _state(board is not None and Meeting.objects.filter(board=board).exists(), board is not None),
                    _first_url(["governance:setup-board"], slug, f"/governance/{slug}/"),
                    "schedule its meetings",
                ),
            ],
        ),
    ]


def tasks_done(sections: list[Section]) -> tuple[int, int]:
    tasks = [t for s in sections for t in s.tasks]
    return sum(t.status == COMPLETED for t in tasks), len(tasks)
