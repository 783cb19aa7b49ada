"""The sheets of the set-up workbook, in the order they load, with their columns and an example
row each. Lists of values come from the models' choices, declared once there."""

from __future__ import annotations

from saferhub.accounts.models import Role
from saferhub.commissioning.models import IntentionState
from saferhub.domain.policeuk import CRIME_TYPE_BY_SLUG
from saferhub.domain.setup_workbook import CellKind as K
from saferhub.domain.setup_workbook import Column as C
from saferhub.domain.setup_workbook import Sheet
from saferhub.governance.models import BoardRole, MeetingKind
from saferhub.partnerships.models import OrganisationKind
from saferhub.performance.models import Frequency, Polarity, Source, TargetKind, Unit

FUND = C("Fund", "fund", required=True, hint="The fund's slug, as on the Funds sheet.")
YEAR = C("Year", "year", K.FINANCIAL_YEAR, required=True)
PROJECT = C("Project", "project", required=True, hint="The project's letter, as on the Projects sheet.")
ORGANISATION_REF = "The organisation's name, as on the Organisations sheet."

PARTNERSHIP = Sheet(
    "Partnership",
    (
        C("Name", "name", required=True),
        C("CSP codes", "csps", K.LIST, hint="Community Safety Partnerships by ONS code (E22...) or name."),
        C("Local authorities", "local_authorities", K.LIST, hint="Districts by ONS code or name."),
        C("LSOA codes", "lsoas", K.LIST, hint="Single LSOAs (2011 or 2021 codes)."),
        C(
            "Standard police.uk indicators",
            "standard_indicators",
            K.BOOLEAN,
            hint="Give a new partnership the standard police.uk indicators (default yes).",
        ),
    ),
    ("Torbay Community Safety Partnership", "E22000060", "", "", "yes"),
    "the partnership's name and its area (one row; give at least one of the three area columns)",
    single=True,
)
ORGANISATIONS = Sheet(
    "Organisations",
    (
        C("Name", "name", required=True),
        C("Kind", "kind", K.CHOICE, required=True, choices=tuple(OrganisationKind.values)),
        C("Charity number", "charity_number"),
        C("Company number", "company_number"),
    ),
    ("Torbay Council", "local_authority", "", ""),
    "statutory agencies, providers and funders",
    keys=("name",),
)
PEOPLE = Sheet(
    "People",
    (
        C("Email", "email", required=True, hint="The user signs in with it; a new one is invited by email."),
        C("Role", "role", K.CHOICE, required=True, choices=tuple(Role.values)),
        C("Organisation", "organisation", hint=ORGANISATION_REF + " A provider needs one."),
    ),
    ("analyst@example.org", "analyst", ""),
    "the users and their roles (each new one is emailed an invitation once the workbook has loaded)",
    keys=("email",),
)
INDICATORS = Sheet(
    "Indicators",
    (
        C("Code", "code", required=True, hint="Short, lower case, with hyphens: da-referrals."),
        C("Title", "title", required=True),
        C("Source", "source", K.CHOICE, required=True, choices=tuple(Source.values)),
        C("Polarity", "polarity", K.CHOICE, required=True, choices=tuple(Polarity.values)),
        C("Frequency", "frequency", K.CHOICE, choices=tuple(Frequency.values), hint="Default monthly."),
        C("Unit", "unit", K.CHOICE, choices=tuple(Unit.values), hint="Default count."),
        C("Crime types", "crime_types", K.LIST, hint="For police.uk: " + ", ".join(CRIME_TYPE_BY_SLUG)),
        C("Noun", "noun", hint='What is counted, for commentary: "domestic abuse referrals".'),
        C("Owner", "owner"),
        C("Sensitive", "sensitive", K.BOOLEAN, hint="Published only by partnership and quarter."),
        C("Notes", "notes"),
    ),
    (
        "da-referrals",
        "Domestic abuse referrals",
        "partner",
        "monitor_only",
        "monthly",
        "count",
        "",
        "domestic abuse referrals",
        "Police",
        "yes",
        "",
    ),
    "the indicator catalogue (police.uk and partner-supplied)",
    keys=("code",),
)
TARGETS = Sheet(
    "Targets",
    (
        C("Indicator", "indicator", required=True, hint="The indicator's code."),
        C("Period", "period", K.PERIOD, required=True),
        C("Target", "target", K.NUMBER, required=True),
        C("Kind", "kind", K.CHOICE, required=True, choices=tuple(TargetKind.values)),
    ),
    ("burglary", "2019-04", "50", "flat"),
    "targets for any indicator, police.uk ones included, by month or quarter",
    keys=("indicator", "period"),
)
FUNDS = Sheet(
    "Funds",
    (
        C("Slug", "slug", required=True, hint="Short name in addresses: community-safety-fund."),
        C("Name", "name", required=True),
        C("Funder", "funder", required=True, hint=ORGANISATION_REF),
        C("Channelled through", "channelled_through"),
    ),
    ("community-safety-fund", "Community Safety Fund", "Police and Crime Commissioner", ""),
    "the funds that award the partnership money",
    keys=("slug",),
)
AWARDS = Sheet(
    "Awards",
    (
        FUND,
        YEAR,
        C("Amount", "amount", K.MONEY, required=True),
        C("Carried forward", "carried_forward", K.MONEY),
        C("Carry-forward note", "carried_forward_note"),
        C("Decided on", "decided_on", K.DATE),
    ),
    ("community-safety-fund", "2019/20", "250000.00", "", "", ""),
    "each fund's award for each financial year",
    keys=("fund", "year"),
)
INTENTIONS = Sheet(
    "Intentions",
    (
        FUND,
        YEAR,
        C("As at", "as_at", K.DATE, required=True, hint="The date of the paper that set it out."),
        C("Number", "position", K.INTEGER, required=True, hint="Its number in that paper."),
        C("Area of need", "area_of_need", required=True),
        C("Recommendation", "recommendation", required=True),
        C("State", "state", K.CHOICE, required=True, choices=tuple(IntentionState.values)),
        C("Contribution", "contribution", K.MONEY, hint="Required when confirmed."),
        C("Total budget", "total_budget", K.MONEY),
        C("Total budget note", "total_budget_note"),
    ),
    (
        "community-safety-fund",
        "2019/20",
        "2019-02-01",
        "1",
        "Domestic abuse",
        "Continue the IDVA service",
        "confirmed",
        "80000.00",
        "",
        "",
    ),
    "commissioning intentions and their states",
    keys=("fund", "year", "as_at", "position"),
)
PROJECTS = Sheet(
    "Projects",
    (
        FUND,
        YEAR,
        C("Letter", "letter", required=True),
        C("Title", "title", required=True),
        C("Provider", "provider", hint=ORGANISATION_REF),
        C("Amount", "amount", K.MONEY, required=True),
        C("Share of service", "share_of_service", hint='e.g. "60% of the service".'),
        C("Total service budget", "total_service_budget", K.MONEY),
        C("Commissioning body", "commissioning_body"),
        C("Contract start", "contract_start", K.DATE),
        C("Contract end", "contract_end", K.DATE),
    ),
    (
        "community-safety-fund",
        "2019/20",
        "A",
        "IDVA service",
        "Example Domestic Abuse Charity",
        "80000.00",
        "",
        "",
        "",
        "2019-04-01",
        "2020-03-31",
    ),
    "the projects (contracts) each fund pays for",
    keys=("fund", "year", "letter"),
)
KPIS = Sheet(
    "KPIs",
    (
        FUND,
        YEAR,
        PROJECT,
        C("KPI", "name", required=True),
        C("Measure", "measure", required=True),
        C("Annual target", "annual_target", required=True, hint='As the specification says it: "75% or more".'),
        C("Target value", "target_value", K.NUMBER, hint="Empty when to be agreed."),
        C("Evidence source", "evidence_source"),
        C("Reporting mechanism", "reporting_mechanism"),
    ),
    (
        "community-safety-fund",
        "2019/20",
        "A",
        "Victims who engage",
        "% of referred victims who engage",
        "75% or more",
        "75",
        "Case management system",
        "Half-yearly return",
    ),
    "each project's KPIs and outcome measures (the provider enters actuals against them)",
    keys=("fund", "year", "project", "name"),
)
MILESTONES = Sheet(
    "Milestones",
    (
        FUND,
        YEAR,
        PROJECT,
        C("Activity", "activity", required=True),
        C("Deadline", "deadline", K.DATE, required=True),
        C("Deadline label", "deadline_label", hint='When only a month is known: "January 2020".'),
        C("Deliverables", "deliverables"),
        C("Done", "done", K.BOOLEAN),
    ),
    ("community-safety-fund", "2019/20", "A", "Contract awarded", "2019-03-15", "", "", "no"),
    "each project's procurement milestones",
    keys=("fund", "year", "project", "activity"),
)
RETURNS = Sheet(
    "Returns",
    (
        FUND,
        C("Half year", "period", required=True, hint="e.g. 2019-H1 (April to September of 2019/20)."),
        C("Area", "area", required=True, hint="The area as the funder's return names it."),
        C("Claimed", "claimed", K.MONEY, required=True),
        C("Due on", "due_on", K.DATE),
        C("Half-year end", "half_year_end_label", hint='As the return prints it: "30 September 2019".'),
    ),
    ("community-safety-fund", "2019-H1", "Torbay", "125000.00", "2019-10-31", "30 September 2019"),
    "the claim schedule: each half-year return to the funder, what it claims and when it is due",
    keys=("fund", "period"),
)
BOARD = Sheet(
    "Board",
    (
        C("Name", "name", required=True),
        C("Quorum: members", "quorum_minimum_members", K.INTEGER, hint="Default 5."),
        C("Quorum: statutory agencies", "quorum_minimum_statutory", K.INTEGER, hint="Default 3."),
        C("Deputies count", "quorum_deputies_count", K.BOOLEAN, hint="A deputy counts to the quorum (default yes)."),
    ),
    ("Torbay Community Safety Partnership Board", "5", "3", "yes"),
    "the partnership's board and its quorum rule (one row)",
    single=True,
)
MEMBERS = Sheet(
    "Members",
    (
        C("Organisation", "organisation", required=True, hint=ORGANISATION_REF),
        C("Representative", "representative", required=True),
        C("Title", "title", hint="The representative's job title."),
        C("Board role", "board_role", K.CHOICE, choices=tuple(BoardRole.values), hint="Default member."),
        C("Deputy", "deputy"),
        C("Deputy title", "deputy_title"),
        C("Starts on", "starts_on", K.DATE, required=True),
        C("Ends on", "ends_on", K.DATE),
    ),
    ("Torbay Council", "A. Person", "Director of Community Services", "chair", "", "", "2019-04-01", ""),
    "the board's members and their deputies (the Board sheet must name the board)",
    keys=("organisation", "representative", "starts_on"),
)
MEETINGS = Sheet(
    "Meetings",
    (
        C("Date", "date", K.DATE, required=True),
        C("Starts at", "starts_at", K.TIME, required=True),
        C("Ends at", "ends_at", K.TIME),
        C("Kind", "kind", K.CHOICE, choices=tuple(MeetingKind.values), hint="Default quarterly."),
        C("Venue", "venue", required=True),
    ),
    ("2019-06-20", "14:00", "16:00", "quarterly", "Town Hall, Torquay"),
    "the board's meeting schedule",
    keys=("date", "starts_at"),
)

AGENDA = Sheet(
    "Agenda items",
    (
        C("Meeting date", "date", K.DATE, required=True, hint="A meeting on the Meetings sheet."),
        C("Number", "number", K.INTEGER, required=True),
        C("Subject", "subject", required=True),
        C("Purpose", "purpose", required=True, hint='e.g. "To note the performance report."'),
        C("Lead", "lead"),
    ),
    ("2019-06-20", "5", "Performance report", "To note the performance report.", "Community safety analyst"),
    "each meeting's agenda (papers are added on the meeting's page)",
    keys=("date", "number"),
)

SHEETS = (
    PARTNERSHIP,
    ORGANISATIONS,
    PEOPLE,
    INDICATORS,
    TARGETS,
    FUNDS,
    AWARDS,
    INTENTIONS,
    PROJECTS,
    KPIS,
    MILESTONES,
    RETURNS,
    BOARD,
    MEMBERS,
    MEETINGS,
    AGENDA,
)
